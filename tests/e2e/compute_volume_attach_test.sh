#!/bin/bash
# Issue 18: a block-storage volume attached to a real VM. gureum-identity, gureum-image,
# gureum-block-storage with a real gureum-volume-agent (file backend, NBD exports from
# qemu-storage-daemon), gureum-scheduler, gureum-compute-api, and a gureum-compute-agent
# on qemu:///system (libvirtd: tests/lib/libvirt.sh) booting the tiny image
# (tests/images/build-tiny.sh). The guest's user_data loop reports on the serial console:
#
#   openstack server add volume     -> the guest sees /dev/vdb appear (no reboot), writes a
#                                      pattern to it and says so
#   openstack server remove volume  -> the guest sees it go; the volume is available
#   add volume again                -> the guest reads the pattern back
#   remove, then add to a second VM on a second host (a namespace host with its own
#   libvirt, tests/lib/netns_host.sh; it reaches the controller's services and the NBD
#   export through the test bridge) -> that guest reads the pattern
#   openstack server delete         -> the volume is available again
#
# Also: os-volume_attachments list/show, volumes_attached in the server, the 400 of a
# second attach of an attached volume, the 404 of a volume that does not exist.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/image_lib.sh"
source "$(dirname "$0")/block_storage_lib.sh"
source "$(dirname "$0")/compute_lib.sh"
# A folder of our own (other e2e scripts sweep /tmp/gureum-e2e.*), that QEMU may traverse
# (the instance's disks and console log are under it).
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-volattach-e2e.XXXXXX)
chmod 0755 "$E2E_DIR"
uri=${GUREUM_TEST_LIBVIRT_URI:-qemu:///system}
virsh -c "$uri" version >/dev/null 2>&1 || { echo "SKIP: no libvirtd at $uri"; exit 77; }

# The test bridge: the controller's end is gw, the second host h2 (below) is addr2. The
# volume agent exports on gw, so both hosts reach its NBD exports.
net=10.$((150 + RANDOM % 50)).$((RANDOM % 250)); gw=$net.1; addr2=$net.2
bridge=gva$(($$ % 100000)); h2=vh$(($$ % 100000))
netns=$E2E_REPO/tests/lib/netns_host.sh
forwarders=()
# Domains of this test's instances go whatever happens (the agent's own delete is
# checked below), and the volume agent stops (it would restart the exports), before what
# block_storage_lib.sh's trap does.
remove_test_domains() {
  set +e  # all of it, whatever fails
  local d
  for d in "${forwarders[@]}"; do kill "$d" 2>/dev/null; done
  GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" down "$h2" >/dev/null 2>&1
  ip link del "$bridge" 2>/dev/null
  remove_qemu_test_leftovers
}
lib_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "remove_test_domains; $lib_trap" EXIT

deploy_identity 'S3cret!admin'
deploy_image
deploy_service_user 'S3cret!admin'
# Block storage tells compute-api of a grown attached volume (volume-extended): its port is
# chosen before either starts.
capi_grpc_port=$(free_port)
BS_COMPUTE_GRPC=127.0.0.1:$capi_grpc_port deploy_block_storage
port_min=$(free_port)
cat "$E2E_DIR/gureum.conf" >"$E2E_DIR/agent.conf"
cat >>"$E2E_DIR/agent.conf" <<CONF
[volume]
backends = file:$E2E_DIR/volumes
export_address = $gw
export_port_min = $port_min
export_port_max = $((port_min + 50))
state_dir = $E2E_DIR/volume-agent
report_interval = 1
image_grpc = 127.0.0.1:$image_grpc_port
CONF
GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" up "$h2" "$addr2/24" "$bridge" \
  >"$E2E_DIR/$h2-up.log" 2>&1 || fail "host $h2 did not come up: $(cat "$E2E_DIR/$h2-up.log")"
start_volume_agent
COMPUTE_EXTRA_CONF="block_storage_grpc = 127.0.0.1:$bs_grpc_port" \
  deploy_compute_controller 'S3cret!admin'
# The bootstrap in deploy_compute_controller pointed the catalog back at default ports.
set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
cinder_token

# The compute agent of this host on qemu:///system, software emulation.
host=vol-e2e-$$
start_qemu_agent "$host" "$gw"
wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c Host -c State | grep -q '@file up'"

# ---- the tiny image and a flavor
upload_tiny_image

# ---- the guest's loop: each time /dev/vdb appears, write (first time) or read (later)
# the pattern, then wait for it to go. The markers are built from pieces so that the
# user_data echoed on the console at boot never matches them.
cat >"$E2E_DIR/user_data" <<'SH'
#!/bin/sh
m=VOL; p=PAT; n=0; writes=1
while true; do
  while [ ! -b /dev/vdb ]; do sleep 1; done
  n=$((n + 1))
  echo "${m}TEST-SEEN vdb $n $(cat /sys/block/vdb/serial 2>/dev/null)"
  if [ "$n" -le "$writes" ]; then
    printf '%s' "${p}TERN-4242-guest-wrote-this" |
      dd of=/dev/vdb bs=512 conv=sync,fsync 2>/dev/null && sync &&
      echo "${m}TEST-WROTE $n"
  else
    echo "${m}TEST-READ $(dd if=/dev/vdb bs=512 count=1 2>/dev/null | tr -d '\000')"
  fi
  s0=$(cat /sys/block/vdb/size 2>/dev/null)
  while [ -b /dev/vdb ]; do
    s=$(cat /sys/block/vdb/size 2>/dev/null)
    [ -n "$s" ] && [ "$s" != "$s0" ] && echo "${m}TEST-SIZE $n $s" && s0=$s
    sleep 1
  done
  echo "${m}TEST-GONE $n"
done
SH
check "server create --wait (a real QEMU guest)" timeout 180 openstack server create \
  --image tiny --flavor m1.tiny --user-data "$E2E_DIR/user_data" --wait vm1
vm=$(openstack server show vm1 -f value -c id)
log=$E2E_DIR/instances/$vm/console.log
console_has() { grep -q "$1" "$log" 2>/dev/null; }
wait_until 180 "the guest runs its user_data" console_has GUREUM-USERDATA-RUN

check "volume create" openstack volume create --size 1 vol1 -f value -c id
vol=$(tr -d '\n' <"$E2E_DIR/out")
wait_until 60 "vol1 available" volume_is "$vol" available

# ---- attach: the guest sees a new disk
check "server add volume" openstack server add volume vm1 vol1
wait_until 90 "vol1 in-use" volume_is "$vol" in-use
wait_until 90 "the guest sees /dev/vdb appear" console_has "VOLTEST-SEEN vdb 1"
wait_until 60 "the guest wrote its pattern to the volume" console_has "VOLTEST-WROTE 1"
check "the guest's disk serial is the volume id" console_has "VOLTEST-SEEN vdb 1 ${vol:0:20}"
check "the domain has the NBD disk" virsh -c "$uri" dumpxml "$vm"
grep -q "protocol='nbd'" "$E2E_DIR/out" || fail "no nbd disk in the domain XML"
check "server volume list" openstack server volume list vm1 -f value -c "Volume ID" -c Device
grep -qx "/dev/vdb $vol" "$E2E_DIR/out" || fail "server volume list: $(cat "$E2E_DIR/out")"
check "server show lists the volume" openstack server show vm1 -f json
grep -q "$vol" "$E2E_DIR/out" || fail "volumes_attached lacks $vol"
check_fails "attaching it again is refused" openstack server add volume vm1 vol1
check_fails "a volume that does not exist" openstack server add volume vm1 no-such-volume

# ---- detach: the guest loses it, the volume is available again
check "server remove volume" openstack server remove volume vm1 vol1
wait_until 90 "the guest sees /dev/vdb go" console_has "VOLTEST-GONE 1"
wait_until 60 "vol1 available after the detach" volume_is "$vol" available
check "server volume list is empty" openstack server volume list vm1 -f value
[ -z "$(tr -d '\n' <"$E2E_DIR/out")" ] || fail "left attached: $(cat "$E2E_DIR/out")"

# ---- re-attach: the guest reads what it wrote
check "server add volume again" openstack server add volume vm1 vol1
wait_until 90 "vol1 in-use again" volume_is "$vol" in-use
wait_until 90 "the guest reads its pattern back" console_has "VOLTEST-READ PATTERN-4242-guest-wrote-this"

check "server remove volume (from vm1)" openstack server remove volume vm1 vol1
wait_until 90 "vm1's guest sees it go again" console_has "VOLTEST-GONE 2"
wait_until 60 "vol1 available again" volume_is "$vol" available

# ---- a second host: the controller's services reach it through forwarders on the bridge
amqp_port=${GUREUM_TEST_AMQP_URL##*:}; amqp_port=${amqp_port%%/*}
for p in "$amqp_port" "$grpc_port" "$sched_grpc_port" "$image_grpc_port" "$bs_grpc_port"; do
  socat "TCP-LISTEN:$p,bind=$gw,reuseaddr,fork" "TCP:127.0.0.1:$p" &
  forwarders+=($!)
done
mkdir -p "$E2E_DIR/$h2/instances"
sed -e "s/^host = $host$/host = $h2/" -e "s/^my_ip = .*/my_ip = $addr2/" \
  -e "s|127.0.0.1|$gw|g" -e "s|$E2E_DIR/instances|$E2E_DIR/$h2/instances|" \
  "$E2E_DIR/compute-agent.conf" >"$E2E_DIR/$h2/compute-agent.conf"
GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" exec "$h2" \
  "$GUREUM_BUILD_DIR/compute/agent/gureum-compute-agent" \
  --config-file "$E2E_DIR/$h2/compute-agent.conf" >"$E2E_DIR/$h2-compute-agent.stdout" 2>&1 &
E2E_PIDS+=($!)
WAIT_POLL=0.5 wait_until 60 "host $h2's compute agent is up" host_is "$h2" "enabled up"
sed 's/writes=1/writes=0/' "$E2E_DIR/user_data" >"$E2E_DIR/user_data2"
check "server create vm2 on $h2" timeout 180 openstack server create --image tiny \
  --flavor m1.tiny --user-data "$E2E_DIR/user_data2" --availability-zone "nova:$h2" --wait vm2
vm2=$(openstack server show vm2 -f value -c id)
log2=$E2E_DIR/$h2/instances/$vm2/console.log
console2_has() { grep -q "$1" "$log2" 2>/dev/null; }
wait_until 180 "vm2's guest runs its user_data" console2_has GUREUM-USERDATA-RUN
check "server add volume (to vm2 on $h2)" openstack server add volume vm2 vol1
wait_until 90 "vol1 in-use on $h2" volume_is "$vol" in-use
wait_until 90 "vm2's guest on $h2 reads what vm1's wrote" \
  console2_has "VOLTEST-READ PATTERN-4242-guest-wrote-this"

# ---- extend while attached (3.42), on the second host: the volume agent grows the file
# and brings its export back; block storage tells compute (volume-extended); the agent on
# h2 makes QEMU reconnect and grow the disk; the guest sees 2 GiB without a reboot.
check "volume set --size 2 while in-use (3.42)" \
  openstack --os-volume-api-version 3.42 volume set --size 2 vol1
in_use_at_2g() { volume_is "$vol" in-use && [ "$(json_field volume.size)" = 2 ]; }
wait_until 60 "vol1 in-use at 2 GiB" in_use_at_2g
wait_until 90 "vm2's guest sees /dev/vdb grow to 2 GiB" console2_has "VOLTEST-SIZE 1 4194304"
check "no I/O error on the guest's console" \
  sh -c "! grep -qi 'I/O error' '$log2'"
check_fails "a smaller size is refused" \
  openstack --os-volume-api-version 3.42 volume set --size 1 vol1

# ---- a server deleted with its volume attached: the volume is available again
check "server delete vm2 --wait" timeout 120 openstack server delete --wait vm2
wait_until 60 "vol1 available after the server's delete" volume_is "$vol" available
check "server delete vm1 --wait" timeout 120 openstack server delete --wait vm1
check "volume delete" openstack volume delete vol1
echo "compute_volume_attach: $pass_count checks passed"
