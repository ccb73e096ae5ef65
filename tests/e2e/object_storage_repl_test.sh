#!/usr/bin/env bash
# End to end (issue 19): object storage's background processes on real processes. A real
# gureum-identity, a 4-device ring (four zones, three replicas) built with gureum-manage,
# four gureum-object-server processes (one device each, on 127.0.0.2-5, their passes run
# on POST /passes/... only, so that the test decides when), a gureum-object-proxy, and the
# swift client:
#   (a) a server stopped, uploads and reads still work (handoffs); started again, one
#       replication pass gives it every object, and the handoffs' copies are gone;
#   (b) a replica's bytes corrupted on disk: GETs never return them, the auditor
#       quarantines a corrupt copy, the replicator restores it;
#   (d) an object with X-Delete-After is gone after an expirer pass, from its container's
#       listing too;
#   (c) a device removed from the ring and rebalanced, the servers and the proxy reload the
#       ring, the replicator copies its partitions to their new devices: every object and
#       the listing stay readable without it (its server, out of the ring, does nothing:
#       as Swift's, a replicator that does not find itself in the ring stays idle).
# The account and container databases replicate too: every replica of the listing has
# every object after (a).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
trap 'drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'
export OS_AUTH_VERSION=3
nodes() { python3 "$E2E_REPO/tests/e2e/object_storage_repl_nodes.py" "$@"; }

# The ring: 2^6 partitions, three replicas, four devices in four zones.
ring=$E2E_DIR/object.ring
obj_manage() { "$GUREUM_BUILD_DIR/cli/gureum-manage" object ring "$@"; }
check "ring create" obj_manage create "$ring" --part-power 6 --replicas 3
ports=(0)
for i in 1 2 3 4; do
  ports+=("$(free_port)")
  check "ring add device $i" obj_manage add "$ring" --region 1 --zone "$i" \
    --ip "127.0.0.$((i + 1))" --port "${ports[$i]}" --device "sd$i" --weight 100
done
check "ring rebalance" obj_manage rebalance "$ring"

pids=(0 0 0 0 0)
host() { echo "127.0.0.$(($1 + 1)):${ports[$1]}"; }
start_server() {  # start_server I
  local i=$1
  mkdir -p "$E2E_DIR/node$i/sd$i"
  cat >"$E2E_DIR/object-server-$i.conf" <<CONF
[DEFAULT]
log_dir = $E2E_DIR
[object_server]
host = 127.0.0.$((i + 1))
rest_port = ${ports[$i]}
devices = $E2E_DIR/node$i
ring_file = $ring
replicator_interval = 0
auditor_interval = 0
expirer_interval = 0
CONF
  "$GUREUM_BUILD_DIR/object-storage/server/gureum-object-server" \
    --config-file "$E2E_DIR/object-server-$i.conf" >>"$E2E_DIR/object-server-$i.stdout" 2>&1 &
  pids[i]=$!
  E2E_PIDS+=($!)
  wait_http "http://$(host "$i")/healthz"
}
stop_server() {
  kill "${pids[$1]}"
  wait "${pids[$1]}" 2>/dev/null || true
  pids[$1]=0
}
# run_pass NAME: one pass (replicate, audit, expire) on every running server.
run_pass() {
  local i
  for i in 1 2 3 4; do
    [ "${pids[$i]}" != 0 ] || continue
    curl -sf -X POST "http://$(host "$i")/passes/$1" || return 1
    echo
  done
}
for i in 1 2 3 4; do start_server "$i"; done

start_object_proxy
account=AUTH_$(openstack project show admin -f value -c id)
token=$(openstack token issue -f value -c id)
url=http://127.0.0.1:$proxy_port/v1/$account/repl

cd "$E2E_DIR"
mkdir -p up
for n in $(seq 1 12); do echo "small object $n $RANDOM" >"up/f$n"; done
head -c $((5 * 1024 * 1024)) /dev/urandom >up/big.bin
objects=(up/big.bin)
for n in $(seq 1 12); do objects+=("up/f$n"); done
check "swift post repl (the container, every server up)" swift post repl

# (a) A server away: writes go to handoffs; back, one pass brings it up to date.
stop_server 1
check "swift upload with server 1 stopped" swift upload repl up
check "swift download with server 1 stopped" swift download repl -D down-a
for o in "${objects[@]}"; do cmp -s "$o" "down-a/$o" || fail "$o differs"; done
start_server 1
check "one replication pass" run_pass replicate
cat "$E2E_DIR/out"
on_server1=0
for o in "${objects[@]}"; do
  while read -r at device part route hash_dir; do
    [ "$at" = "$(host 1)" ] || continue
    on_server1=$((on_server1 + 1))
    check "server 1 has $o" curl -sf -o /dev/null -I "http://$at$route"
  done < <(nodes "$ring" "$account" repl "$o")
done
[ "$on_server1" -gt 0 ] || fail "server 1 is a primary of none of the objects"
copies=$(find "$E2E_DIR"/node*/sd*/objects -name '*.data' | wc -l)
[ "$copies" = $((3 * ${#objects[@]})) ] || fail "$copies copies on disk, not 3 x ${#objects[@]}"
echo "ok: server 1 got its $on_server1 replicas; no handoff copy left ($copies copies)"
# Every replica of the container's listing has every object (databases replicate too).
while read -r at device part route hash_dir; do
  check "the container listing at $at" curl -sf "http://$at$route"
  [ "$(grep -o '"name"' "$E2E_DIR/out" | wc -l)" = ${#objects[@]} ] ||
    fail "the listing at $at: $(cat "$E2E_DIR/out")"
done < <(nodes "$ring" "$account" repl)

# (b) Corrupt replicas: never served; quarantined; restored.
corrupt() {  # corrupt OBJECT: the bytes of its replica 0; prints "host route dir hash"
  local at device part route hash_dir n
  read -r at device part route hash_dir < <(nodes "$ring" "$account" repl "$1")
  n=${device#sd}
  printf 'CORRUPT' | dd of="$(ls "$E2E_DIR/node$n/$device/objects/$part/$hash_dir/"*.data)" \
    conv=notrunc bs=1 seek=3 status=none
  echo "$at $route $E2E_DIR/node$n/$device $hash_dir"
}
read -r at1 route1 dev1 hash1 < <(corrupt up/f1)
check "swift download a small object whose replica 0 is corrupt" swift download repl up/f1 -o f1
cmp -s up/f1 f1 || fail "the download of f1 differs"
[ -d "$dev1/quarantined/objects/$hash1" ] || fail "the corrupt f1 was not quarantined"
read -r at2 route2 dev2 hash2 < <(corrupt up/f2)
check "an auditor pass" run_pass audit
grep -q '"quarantined":1' "$E2E_DIR/out" || fail "audit: $(cat "$E2E_DIR/out")"
[ -d "$dev2/quarantined/objects/$hash2" ] || fail "the auditor did not quarantine f2"
read -r at3 route3 dev3 hash3 < <(corrupt up/big.bin)
code=0
curl -s -H "X-Auth-Token: $token" -o big-1 "$url/up/big.bin" || code=$?
[ "$code" != 0 ] || cmp -s up/big.bin big-1 || fail "a GET answered corrupt bytes of big.bin"
check "swift download big.bin (its corrupt copy quarantined by the GET)" \
  swift download repl up/big.bin -o big-2
cmp -s up/big.bin big-2 || fail "big.bin differs"
[ -d "$dev3/quarantined/objects/$hash3" ] || fail "the corrupt big.bin was not quarantined"
check "a replication pass" run_pass replicate
for pair in "$at1$route1 up/f1" "$at2$route2 up/f2" "$at3$route3 up/big.bin"; do
  check "the copy at ${pair% *} is good again" curl -sf -o restored "http://${pair% *}"
  cmp -s "${pair#* }" restored || fail "the restored ${pair#* } differs"
done
echo "ok: corrupt copies never served, quarantined, restored"

# (d) Expiry.
echo "short-lived" >up/exp.txt
check "swift upload with X-Delete-After: 2" swift upload repl up/exp.txt -H "X-Delete-After: 2"
check "swift list repl" swift list repl
grep -q "^up/exp.txt$" "$E2E_DIR/out" || fail "exp.txt not listed: $(cat "$E2E_DIR/out")"
sleep 3
check "an expirer pass" run_pass expire
grep -q '"expired":1' "$E2E_DIR/out" || fail "expire: $(cat "$E2E_DIR/out")"
check_fails "the expired object is gone" swift download repl up/exp.txt -o exp.txt
check "swift list repl" swift list repl
! grep -q "exp.txt" "$E2E_DIR/out" || fail "exp.txt still listed: $(cat "$E2E_DIR/out")"
tombstones=$(find "$E2E_DIR"/node*/sd*/objects -name '*.ts' | wc -l)
[ "$tombstones" = 3 ] || fail "$tombstones tombstones, not 3"
echo "ok: expired, tombstoned on its three replicas, out of the listing"

# (c) A device removed from the ring: its data moves, every object stays readable.
check "ring remove sd4" obj_manage remove "$ring" "$(nodes "$ring" --device-id sd4)"
check "ring rebalance" obj_manage rebalance "$ring"
sleep 6  # the servers and the proxy look at the ring file every 5 s
check "a replication pass on the new ring" run_pass replicate
check "a second replication pass" run_pass replicate
grep -q '"in_ring":false' "$E2E_DIR/out" || fail "server 4 still finds itself in the ring"
stop_server 4
check "swift download every object without sd4" swift download repl "${objects[@]}" -D down-c
for o in "${objects[@]}"; do cmp -s "$o" "down-c/$o" || fail "$o differs after removal"; done
copies=$(find "$E2E_DIR"/node[123]/sd*/objects -name '*.data' | wc -l)
[ "$copies" = $((3 * ${#objects[@]})) ] || fail "$copies copies on sd1-3, not 3 x ${#objects[@]}"
check "swift list repl without sd4 (the container's databases moved too)" swift list repl
[ "$(wc -l <"$E2E_DIR/out")" = ${#objects[@]} ] || fail "listing: $(cat "$E2E_DIR/out")"
echo "ok: every object and the listing on sd1-3 without the removed device"
echo "PASS: object storage background processes ($pass_count checks)"
