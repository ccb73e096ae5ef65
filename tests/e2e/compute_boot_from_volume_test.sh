#!/bin/bash
# Issue 18: boot from volume with real VMs. gureum-identity, gureum-image,
# gureum-block-storage with a real gureum-volume-agent (file backend, NBD exports from
# qemu-storage-daemon), gureum-scheduler, gureum-compute-api, and a gureum-compute-agent on
# qemu:///system (libvirtd: tests/lib/libvirt.sh) booting the tiny image
# (tests/images/build-tiny.sh) from a volume:
#
#   openstack server create --image tiny --boot-from-volume 1
#        -> block storage makes a 1 GiB volume of the image (the user's project); the
#           guest's root disk /dev/vda is that volume (NBD, vda, boot order 1): it sees
#           1 GiB and writes a pattern 512 MiB in, past the image's 16 MiB
#   server delete  -> the volume stays, available
#   server create --volume <it>  -> a second guest boots from it and reads the pattern;
#                  the compute agent restarted meanwhile keeps it running
#   server delete, then a third server from the volume with delete_on_termination true
#                  (the Nova API directly: the client cannot say so for a root volume)
#                  -> deleting it deletes the volume
#
# Also: openstack server volume list and show (image "", volumes_attached), Nova's 400 for
# an image source without a size, and for a volume of another project.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/image_lib.sh"
source "$(dirname "$0")/block_storage_lib.sh"
source "$(dirname "$0")/compute_lib.sh"
# A folder of our own (other e2e scripts sweep /tmp/gureum-e2e.*), that QEMU may traverse
# (the instances' config drives and console logs are under it).
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-bfv-e2e.XXXXXX)
chmod 0755 "$E2E_DIR"
uri=${GUREUM_TEST_LIBVIRT_URI:-qemu:///system}
virsh -c "$uri" version >/dev/null 2>&1 || { echo "SKIP: no libvirtd at $uri"; exit 77; }

# Domains of this test's instances go whatever happens, and the volume agent stops (it
# would restart the exports), before what block_storage_lib.sh's trap does.
lib_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "remove_qemu_test_leftovers; $lib_trap" EXIT

deploy_identity 'S3cret!admin'
deploy_image
deploy_service_user 'S3cret!admin'
deploy_block_storage
start_volume_agent
COMPUTE_EXTRA_CONF="block_storage_grpc = 127.0.0.1:$bs_grpc_port" \
  deploy_compute_controller 'S3cret!admin'
# The bootstrap in deploy_compute_controller pointed the catalog back at default ports.
set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
cinder_token

# The compute agent of this host on qemu:///system, software emulation.
host=bfv-e2e-$$
QEMU_AGENT_EXTRA_CONF="block_device_allocate_timeout = 120" start_qemu_agent "$host" 127.0.0.1
wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c Host -c State | grep -q '@file up'"

# ---- the tiny image and a flavor
upload_tiny_image
tiny_id=$(openstack image show tiny -f value -c id)

# ---- the guest's job: report its root disk's size, then write (MODE=write) or read back
# the pattern 512 MiB into /dev/vda, past the image. The markers are built from pieces so
# that the user_data echoed on the console at boot never matches them.
write_user_data() {
  cat >"$E2E_DIR/user_data.$1" <<SH
#!/bin/sh
m=BFV; p=PAT; mode=$1
while [ ! -b /dev/vda ]; do sleep 1; done
echo "\${m}TEST-SIZE \$(cat /sys/block/vda/size) \$(cat /sys/block/vda/serial 2>/dev/null)"
if [ "\$mode" = write ]; then
  printf '%s' "\${p}TERN-bfv-4242-root-volume" |
    dd of=/dev/vda bs=512 seek=1048576 count=1 conv=sync,fsync 2>/dev/null && sync &&
    echo "\${m}TEST-WROTE"
else
  echo "\${m}TEST-READ \$(dd if=/dev/vda bs=512 skip=1048576 count=1 2>/dev/null | tr -d '\000')"
fi
SH
}
write_user_data write
write_user_data read
console_has() { grep -q "$2" "$E2E_DIR/instances/$1/console.log" 2>/dev/null; }

# ---- 1: an image source, made into a 1 GiB volume of the user's project
check "server create --boot-from-volume 1 (a real QEMU guest)" timeout 240 openstack server \
  create --image tiny --boot-from-volume 1 --flavor m1.tiny \
  --user-data "$E2E_DIR/user_data.write" --wait bfv1
vm1=$(openstack server show bfv1 -f value -c id)
check "server volume list bfv1" openstack server volume list bfv1 -f value -c "Volume ID" -c Device
read -r dev vol <"$E2E_DIR/out"  # the client prints Device first
[ "$dev" = /dev/vda ] && [ -n "$vol" ] || fail "server volume list: $(cat "$E2E_DIR/out")"
check "server show: no image, the volume attached" openstack server show bfv1 -f json
python3 - "$E2E_DIR/out" "$vol" <<'PY' || fail "server show: $(cat "$E2E_DIR/out")"
import json, sys
s = json.load(open(sys.argv[1]))
assert "booted from volume" in str(s["image"]) or s["image"] in ("", None), s["image"]
vols = s.get("volumes_attached") or s.get("os-extended-volumes:volumes_attached")
assert sys.argv[2] in str(vols), vols
PY
wait_until 10 "the root volume is in-use" volume_is "$vol" in-use
check "the volume is the user's, 1 GiB, bootable" openstack volume show "$vol" -f json
python3 - "$E2E_DIR/out" "$(openstack project show admin -f value -c id)" <<'PY' || fail "volume show: $(cat "$E2E_DIR/out")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["size"] == 1, v["size"]
assert str(v["bootable"]).lower() == "true", v["bootable"]
assert v.get("os-vol-tenant-attr:tenant_id", sys.argv[2]) == sys.argv[2], v
PY
check "the domain boots the NBD volume as vda" virsh -c "$uri" dumpxml "$vm1"
grep -q "protocol='nbd'" "$E2E_DIR/out" || fail "no nbd disk in the domain XML"
grep -q "<boot order='1'/>" "$E2E_DIR/out" || fail "the volume is not first in the boot order"
[ ! -e "$E2E_DIR/instances/$vm1/disk" ] || fail "a local root disk was made"
wait_until 180 "bfv1's guest sees its 1 GiB root disk" console_has "$vm1" "BFVTEST-SIZE 2097152"
wait_until 60 "bfv1's guest wrote past the image" console_has "$vm1" "BFVTEST-WROTE"
check_fails "the root volume cannot be detached" openstack server remove volume bfv1 "$vol"

# ---- delete keeps the volume (delete_on_termination false)
check "server delete bfv1 --wait" timeout 120 openstack server delete --wait bfv1
wait_until 60 "the volume is available after the delete" volume_is "$vol" available

# ---- 2: an existing volume: the second guest sees the first one's data
check "server create --volume (a second guest)" timeout 240 openstack server create \
  --volume "$vol" --flavor m1.tiny --user-data "$E2E_DIR/user_data.read" --wait bfv2
vm2=$(openstack server show bfv2 -f value -c id)
wait_until 10 "the volume is in-use again" volume_is "$vol" in-use
wait_until 180 "bfv2's guest reads bfv1's pattern" \
  console_has "$vm2" "BFVTEST-READ PATTERN-bfv-4242-root-volume"
# The compute agent restarted with bfv2 running keeps it, on its volume.
kill "$compute_agent_pid"; wait "$compute_agent_pid" || fail "the agent did not exit cleanly"
run_qemu_agent
WAIT_POLL=0.5 wait_until 60 "the restarted compute agent reports its host up" \
  host_is "$host" "enabled up"
sleep 3  # a few power-state syncs (report_interval 1)
check "bfv2 is still ACTIVE after the restart" openstack server show bfv2 -f value -c status
[ "$(tr -d '\n' <"$E2E_DIR/out")" = ACTIVE ] || fail "bfv2 is $(cat "$E2E_DIR/out")"
check "bfv2's domain still runs" virsh -c "$uri" domstate "$vm2"
grep -q running "$E2E_DIR/out" || fail "bfv2's domain: $(cat "$E2E_DIR/out")"
volume_is "$vol" in-use || fail "the volume is not in-use after the agent's restart"
check "server delete bfv2 --wait" timeout 120 openstack server delete --wait bfv2
wait_until 60 "the volume is available again" volume_is "$vol" available

# ---- 3: delete_on_termination=true: deleting the server deletes the volume. The client
# 6.0 cannot ask for it on a root volume (--block-device needs --image beside it, and
# novaclient then adds the image as a second boot_index 0 mapping, which Nova refuses too):
# the Nova API directly, with the body the client sends for --volume plus the flag.
token=$(openstack token issue -f value -c id)
# nova_create TOKEN BODY: POST /servers; the answer in $E2E_DIR/nova.json, the status echoed.
nova_create() {
  curl -s -o "$E2E_DIR/nova.json" -w '%{http_code}' -X POST -H "X-Auth-Token: $1" \
    -H "Content-Type: application/json" -d "$2" "http://127.0.0.1:$capi_rest_port/v2.1/servers"
}
flavor_id=$(openstack flavor show m1.tiny -f value -c id)
user_data=$(base64 -w0 "$E2E_DIR/user_data.read")
root_mapping() {  # root_mapping SOURCE UUID [EXTRA JSON FIELDS]
  echo "{\"uuid\": \"$2\", \"source_type\": \"$1\", \"destination_type\": \"volume\", \"boot_index\": 0${3:+, $3}}"
}
server_body() {  # server_body NAME MAPPING
  echo "{\"server\": {\"name\": \"$1\", \"imageRef\": \"\", \"flavorRef\": \"$flavor_id\", \"user_data\": \"$user_data\", \"block_device_mapping_v2\": [$2]}}"
}
status=$(nova_create "$token" "$(server_body bfv3 "$(root_mapping volume "$vol" '"delete_on_termination": true')")")
[ "$status" = 202 ] || fail "create bfv3: $status $(cat "$E2E_DIR/nova.json")"
passed "POST /servers with a root volume marked delete_on_termination" "$(now_ms)"
vm3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["server"]["id"])' "$E2E_DIR/nova.json")
server_active() { [ "$(openstack server show "$1" -f value -c status)" = ACTIVE ]; }
wait_until 240 "bfv3 is ACTIVE" server_active "$vm3"
check "server show bfv3 (2.3 shows delete_on_termination)" \
  openstack --os-compute-api-version 2.3 server show "$vm3" -f json
grep -q '"delete_on_termination": true' "$E2E_DIR/out" || fail "not marked: $(cat "$E2E_DIR/out")"
wait_until 180 "bfv3's guest reads the pattern too" \
  console_has "$vm3" "BFVTEST-READ PATTERN-bfv-4242-root-volume"
check "server delete bfv3 --wait" timeout 120 openstack server delete --wait "$vm3"
volume_gone() { cinder GET "/volumes/$vol" >/dev/null; [ "$(cat "$E2E_DIR/http_status")" = 404 ]; }
wait_until 60 "the volume is deleted with the server" volume_gone

# ---- bad input: Nova's 400s
status=$(nova_create "$token" "$(server_body bad1 "$(root_mapping image "$tiny_id")")")
[ "$status" = 400 ] && grep -q "need to have a non-zero size specified" "$E2E_DIR/nova.json" ||
  fail "an image source without a size: $status $(cat "$E2E_DIR/nova.json")"
passed "an image source without a size: 400" "$(now_ms)"
check "a volume of the admin project" openstack volume create --size 1 mine -f value -c id
mine=$(tr -d '\n' <"$E2E_DIR/out")
check "project other" openstack project create bfv-other
check "user bob" openstack user create --project bfv-other --password 'b0b-pw!' bob
check "bob is a member of it" openstack role add --project bfv-other --user bob member
bob_token=$(OS_USERNAME=bob OS_PASSWORD='b0b-pw!' OS_PROJECT_NAME=bfv-other \
  openstack token issue -f value -c id)
status=$(nova_create "$bob_token" "$(server_body bad2 "$(root_mapping volume "$mine")")")
[ "$status" = 400 ] && grep -q "failed to get volume $mine" "$E2E_DIR/nova.json" ||
  fail "someone else's volume: $status $(cat "$E2E_DIR/nova.json")"
passed "someone else's volume: 400" "$(now_ms)"
wait_until 30 "the refused create left the volume available" volume_is "$mine" available
check "volume delete mine" openstack volume delete "$mine"
echo "compute_boot_from_volume: $pass_count checks passed"
