#!/usr/bin/env bash
# Object storage side by side with Debian's Swift 2.30 (issue 19), in one run on this
# machine: tests/bench/object_bench (4 KiB PUT and GET at concurrency 8, 256 MiB PUT and GET
# from one client) against
#   - ours: gureum-identity, three gureum-object-servers (one device each), the proxy
#     (tests/e2e/object_storage_lib.sh, as the object storage e2e test deploys them), and
#   - Swift: Debian's swift-proxy-server (tempauth, memcached) and one account, container and object
#     server over three devices (directories, mount_check = false) in three zones, 3 replicas,
#     ports 16xxx, everything under $E2E_DIR,
# plus dd of the disk's sequential write and read speed (1 GiB, direct I/O) where both keep
# their data. ROUNDS (default 3) rounds, ours and Swift taking turns so that both see the
# same load; the table shows each scenario's median round. Prints one table; stops every
# process it started.
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   GUREUM_BUILD_DIR=build bash tests/bench/swift_side_by_side.sh [--objects 2000]
#
# Installs the swift packages with apt-get when they are missing (root; package scripts are
# kept from starting daemons). SWIFT_WORKERS (default 2, the cores here) sets each Swift
# server's workers. Not a ctest test: a benchmark prints, it does not assert.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/tests/e2e/lib.sh"
source "$repo/tests/e2e/object_storage_lib.sh"
swift_pids=()
stop_swift() {
  local p
  for p in "${swift_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${swift_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap 'stop_swift; drop_identity_database; e2e_cleanup' EXIT

install_swift() {
  local missing="" p policy=/usr/sbin/policy-rc.d made=0
  for p in swift swift-proxy swift-object swift-container swift-account memcached; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing="$missing $p"
  done
  [ -n "$missing" ] || return 0
  echo "installing Debian's Swift:$missing"
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made=1
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
    >"$E2E_DIR/apt.log" 2>&1
  local rc=$?
  [ "$made" = 0 ] || rm -f "$policy"
  [ "$rc" = 0 ] || fail "apt-get install$missing: $(tail -n 5 "$E2E_DIR/apt.log")"
}

# Swift's configuration and rings under $E2E_DIR/swift; servers on 127.0.0.1.
configure_swift() {
  local s=$E2E_DIR/swift kind port i workers=${SWIFT_WORKERS:-2}
  declare -gA sw_ports
  sw_proxy_port=$(free_port)
  sw_memcached_port=$(free_port)
  sw_ports=([object]=$(free_port) [container]=$(free_port) [account]=$(free_port))
  mkdir -p "$s/node/d1" "$s/node/d2" "$s/node/d3" "$s/run" "$s/cache"
  cat >"$s/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = $(openssl rand -hex 8)
swift_hash_path_prefix = $(openssl rand -hex 8)
[storage-policy:0]
name = Policy-0
default = yes
EOF
  for kind in object container account; do
    port=${sw_ports[$kind]}
    (cd "$s" && swift-ring-builder "$kind.builder" create 8 3 1 >/dev/null) || fail "ring $kind"
    for i in 1 2 3; do
      (cd "$s" && swift-ring-builder "$kind.builder" add "r1z$i-127.0.0.1:$port/d$i" 100 \
        >/dev/null) || fail "ring add $kind d$i"
    done
    (cd "$s" && swift-ring-builder "$kind.builder" rebalance >/dev/null)
    cat >"$s/$kind-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
devices = $s/node
mount_check = false
workers = $workers
user = $(id -un)
swift_dir = $s
log_facility = LOG_LOCAL2
[pipeline:main]
pipeline = $kind-server
[app:$kind-server]
use = egg:swift#$kind
[$kind-replicator]
[$kind-updater]
[$kind-auditor]
EOF
  done
  cat >"$s/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $sw_proxy_port
workers = $workers
user = $(id -un)
swift_dir = $s
[pipeline:main]
pipeline = catch_errors cache tempauth proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_bench_tester = testing .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$sw_memcached_port
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:proxy-logging]
use = egg:swift#proxy_logging
EOF
}

start_swift() {
  local s=$E2E_DIR/swift kind
  # memcached caches account and container info for the proxy, as in any Swift install.
  memcached -l 127.0.0.1 -p "$sw_memcached_port" -U 0 -u "$(id -un)" -m 64 >"$s/memcached.log" 2>&1 &
  swift_pids+=($!)
  for kind in object container account proxy; do
    "swift-$kind-server" "$s/$kind-server.conf" >"$s/$kind.log" 2>&1 &
    swift_pids+=($!)
  done
  wait_http "http://127.0.0.1:$sw_proxy_port/info"
  curl -sf -D "$s/auth" -o /dev/null -H "X-Auth-User: bench:tester" -H "X-Auth-Key: testing" \
    "http://127.0.0.1:$sw_proxy_port/auth/v1.0" || fail "tempauth: no token"
  sw_token=$(sed -n 's/^X-Auth-Token: *\([^\r]*\).*/\1/Ip' "$s/auth")
  sw_url=$(sed -n 's/^X-Storage-Url: *\([^\r]*\).*/\1/Ip' "$s/auth")
  [ -n "$sw_token" ] && [ -n "$sw_url" ] || fail "tempauth: $(cat "$s/auth")"
}

# dd's MB/s (its last line) for a 1 GiB sequential write and read with direct I/O.
disk_speed() {
  local f=$E2E_DIR/dd.bin w r
  w=$(dd if=/dev/zero of="$f" bs=4M count=256 oflag=direct conv=fsync 2>&1 | tail -n1)
  r=$(dd if="$f" of=/dev/null bs=4M iflag=direct 2>&1 | tail -n1)
  rm -f "$f"
  dd_write=$(awk -F', ' '{print $NF}' <<<"$w")
  dd_read=$(awk -F', ' '{print $NF}' <<<"$r")
}

bench() {  # name round url token args...
  local name=$1 round=$2 url=$3 token=$4
  shift 4
  echo "-- object_bench against $name (round $round)" >&2
  "$GUREUM_BUILD_DIR/tests/bench/object_bench" --url "$url" --token "$token" --tsv \
    --container "bench$round" "$@" >"$E2E_DIR/$name.$round.tsv" ||
    fail "object_bench against $name failed"
}

# Per scenario, the round with the median ops/s (its whole row: ops/s, MiB/s, errors).
median_rows() {  # name
  local name=$1 sc
  cut -f1 "$E2E_DIR/$name.1.tsv" | while read -r sc; do
    cat "$E2E_DIR/$name".*.tsv | awk -F'\t' -v sc="$sc" '$1 == sc' | sort -t$'\t' -k2,2g |
      awk '{ rows[NR] = $0 } END { print rows[int((NR + 1) / 2)] }'
  done >"$E2E_DIR/$name.tsv"
}

print_table() {
  echo
  echo "== object storage side by side: Gureum vs Debian's Swift 2.30 (3 replicas, same disk) =="
  printf '%-12s %14s %14s %14s %14s %8s\n' scenario "gureum ops/s" "gureum MiB/s" \
    "swift ops/s" "swift MiB/s" ratio
  paste "$E2E_DIR/gureum.tsv" "$E2E_DIR/swift.tsv" | while IFS=$'\t' read -r sc go gm ge _ so sm se; do
    ratio=$(awk -v a="$go" -v b="$so" 'BEGIN {if (b > 0) printf "%.1fx", a / b; else print "-"}')
    printf '%-12s %14s %14s %14s %14s %8s' "$sc" "$go" "$gm" "$so" "$sm" "$ratio"
    [ "$ge$se" = 00 ] && echo || echo "  (errors: gureum $ge, swift $se)"
  done
  echo "(each figure: the median of $rounds rounds, Gureum and Swift taking turns)"
  echo "disk (dd 1 GiB, direct I/O): write $dd_write, read $dd_read"
  local put
  put=$(awk -F'\t' '$1 == "PUT 256 MiB" {print $3}' "$E2E_DIR/gureum.tsv")
  [ -z "$put" ] || awk -v p="$put" -v d="$dd_write" 'BEGIN {
    n = d + 0; if (d ~ /GB/) n *= 1000;  # dd prints MB/s or GB/s (decimal)
    printf "Gureum PUT 256 MiB: %.0f MiB/s of objects = %.0f MB/s written (3 replicas on this one disk) = %.0f%% of dd write\n", p, 3 * p * 1.048576, 300 * p * 1.048576 / n }'
  echo "goals (issue 19): 4 KiB PUT and GET >= 10x Swift; 256 MiB PUT and GET >= 70% of dd's"
}

install_swift
deploy_identity 'Bench!admin1'
deploy_object_storage
token=$(openstack token issue -f value -c id)
project=$(openstack token issue -f value -c project_id)
configure_swift
start_swift
disk_speed
rounds=${ROUNDS:-3}
for round in $(seq "$rounds"); do
  bench gureum "$round" "http://127.0.0.1:$proxy_port/v1/AUTH_$project" "$token" "$@"
  bench swift "$round" "$sw_url" "$sw_token" "$@"
done
median_rows gureum
median_rows swift
print_table
stop_swift
swift_pids=()
