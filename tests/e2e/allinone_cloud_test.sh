#!/usr/bin/env bash
# The cloud as an operator gets it: ./deploy/allinone.sh (the real installer: system
# PostgreSQL, RabbitMQ and libvirtd, every service under gureum-deploy), then as a user
# with the official openstack CLI and the gureum CLI: a swift upload and download through
# the installed object storage, the tiny test image uploaded, a
# real QEMU VM booted, its console read, stopped, started, rebooted, resized and deleted,
# with nothing left behind. Then two compute hosts added by hand (network namespaces with
# their own libvirt, tests/lib/netns_host.sh), servers spread over them, one host's agent
# stopped: it goes down and new servers land on the other.
#
# Leaves the all-in-one cloud stopped (gureum-deploy stop) and the test hosts removed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$here/lib.sh"

netns=$repo/tests/lib/netns_host.sh
answers=$E2E_DIR/answers.conf
hosts_up=()
cleanup_cloud() {
  local rc=$? h
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    e2e_dump_cloud "$E2E_DIR"/c1/*.log "$E2E_DIR"/c2/*.log "$E2E_DIR"/c1/agent.out \
      "$E2E_DIR"/c2/agent.out /var/log/gureum/scheduler.log /var/log/gureum/compute.log || true
  fi
  for h in "${hosts_up[@]}"; do "$netns" down "$h" >/dev/null 2>&1 || true; done
  if [ "${E2E_KEEP:-0}" != 1 ]; then
    /usr/local/bin/gureum-deploy stop --state-dir /run/gureum >/dev/null 2>&1 || true
  fi
  e2e_stop_host_daemons
  e2e_cleanup
}
trap cleanup_cloud EXIT

# ---- the installer, with short heartbeats so that "down" is quick to see ----
ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1)
if [ -z "$ip" ]; then
  # The installer needs the host's primary address (the source of its default route);
  # a machine without one cannot run it. 77: ctest reports the test as skipped.
  echo "SKIP: this machine has no default route, so no primary address for the installer"
  exit 77
fi
{
  sed -e "s/@HOST_IP@/$ip/" -e "s/@HOSTNAME@/$(hostname -s)/" \
      -e 's/^CONFIG_REPORT_INTERVAL=.*/CONFIG_REPORT_INTERVAL=2/' \
      -e 's/^CONFIG_SERVICE_DOWN_TIME=.*/CONFIG_SERVICE_DOWN_TIME=10/' \
      -e 's/^CONFIG_VIRT_TYPE=.*/CONFIG_VIRT_TYPE=qemu/' "$repo/deploy/answers.conf.template" |
    while IFS= read -r line; do
      while [[ $line == *@GENERATE@* ]]; do line=${line/@GENERATE@/$(openssl rand -hex 16)}; done
      printf '%s\n' "$line"
    done
} > "$answers"
e2e_note_host_daemons
check "./deploy/allinone.sh" run_allinone "$answers" allinone.log

# ---- run again, as an operator would after editing nothing: it succeeds, restarts no
# service, and PostgreSQL and RabbitMQ still run with Gureum's databases and vhost ----
deploy_pids() {  # "service pid" of each service gureum-deploy runs
  /usr/local/bin/gureum-deploy status --state-dir /run/gureum | awk 'NR > 2 && $2 == "running" {print $1, $3}'
}
pids_before=$(deploy_pids)
[ -n "$pids_before" ] || fail "gureum-deploy status shows no running service after the install"
check "./deploy/allinone.sh again" run_allinone "$answers" allinone-2.log
check "the second run restarted no service" test "$(deploy_pids)" = "$pids_before"
answer() { sed -n "s/^$1=//p" "$answers"; }
gureum_dbs() {
  runuser -u postgres -- psql -X -At -p "$(answer CONFIG_DB_PORT)" \
    -c "SELECT datname FROM pg_database WHERE datname LIKE 'gureum\_%' ORDER BY 1" | paste -sd' ' -
}
check "PostgreSQL runs with Gureum's databases" test "$(gureum_dbs)" = \
  "gureum_block_storage gureum_compute gureum_identity gureum_image gureum_network gureum_scheduler"
check "RabbitMQ runs with Gureum's vhost" bash -c "rabbitmqctl -q -n rabbit@$(hostname -s) list_vhosts \
  --no-table-headers | grep -qx '$(answer CONFIG_AMQP_VHOST)'"

unset OS_IDENTITY_GRPC
# shellcheck disable=SC1091
source /etc/gureum/admin-openrc
ctl=$(hostname -s)

# The installer keeps what an earlier run left (that is its job): start from a clean
# project all the same.
leftovers=$(openstack server list --all-projects -f value -c ID | paste -sd' ' -)
# shellcheck disable=SC2086
[ -z "$leftovers" ] || openstack server delete --wait $leftovers || true
for name in tiny tiny-kernel tiny-initrd; do
  for id in $(openstack image list --name "$name" -f value -c ID); do openstack image delete "$id"; done
done
for name in m1.tiny m1.small; do openstack flavor delete "$name" >/dev/null 2>&1 || true; done
for svc in c1 c2; do
  for id in $(openstack compute service list --host "$svc" -f value -c ID); do
    openstack compute service delete "$id" || true
  done
done
openstack compute service set --enable "$ctl" gureum-compute-agent >/dev/null 2>&1 || true

wait_until 60 "the controller's compute agent is up" host_is "$ctl" "enabled up"

# ---- the tiny image: kernel (aki), initramfs (ari), and the disk that names them ----
tiny=$GUREUM_BUILD_DIR/tiny-image
check "build the tiny image" "$repo/tests/images/build-tiny.sh" "$tiny"
check "upload tiny-kernel" openstack image create tiny-kernel --disk-format aki \
  --container-format aki --file "$tiny/tiny-kernel" --public
check "upload tiny-initrd" openstack image create tiny-initrd --disk-format ari \
  --container-format ari --file "$tiny/tiny-initrd" --public
kernel_id=$(openstack image show tiny-kernel -f value -c id)
ramdisk_id=$(openstack image show tiny-initrd -f value -c id)
check "upload tiny" openstack image create tiny --disk-format raw --container-format bare \
  --file "$tiny/tiny-disk.raw" --public --property kernel_id="$kernel_id" \
  --property ramdisk_id="$ramdisk_id"
check "flavor m1.tiny" openstack flavor create m1.tiny --vcpus 1 --ram 128 --disk 1
check "flavor m1.small" openstack flavor create m1.small --vcpus 1 --ram 192 --disk 2

# ---- block storage: the controller's volume agent serves a backend; a volume comes and goes
for id in $(openstack volume list --name allinone-vol -f value -c ID); do
  openstack volume delete --force "$id" || true
done
WAIT_POLL=2 wait_until 60 "the volume agent's backend is up" sh -c \
  "openstack volume service list -f value -c Host -c State | grep -q '^$ctl@file up'"
check "volume create" openstack volume create --size 1 allinone-vol
volume_is() { [ "$(openstack volume show allinone-vol -f value -c status)" = "$1" ]; }
WAIT_POLL=2 wait_until 60 "the volume is available" volume_is available

# ---- object storage: the proxy and three object servers the installer started, their
# ring, the catalog's object-store endpoint; swift uploads and downloads through them ----
for i in 1 2 3; do
  check "gureum-deploy runs object-server-$i" bash -c \
    "/usr/local/bin/gureum-deploy status --state-dir /run/gureum | grep -qE '^object-server-$i +running'"
done
check "gureum-deploy runs object-proxy" bash -c \
  "/usr/local/bin/gureum-deploy status --state-dir /run/gureum | grep -qE '^object-proxy +running'"
check "the ring has three devices" /usr/local/bin/gureum-manage object ring show /etc/gureum/object.ring
grep -q "3 replicas, 3 devices" "$E2E_DIR/out" || fail "ring: $(cat "$E2E_DIR/out")"
check "the catalog lists object-store" openstack endpoint list --service object-store -f value -c URL
grep -qE ":8080/v1/AUTH_[$%]\(project_id\)s" "$E2E_DIR/out" || fail "endpoint: $(cat "$E2E_DIR/out")"
OS_AUTH_VERSION=3 swift delete allinone-objects >/dev/null 2>&1 || true
head -c $((3 * 1024 * 1024)) /dev/urandom >"$E2E_DIR/object.bin"
check "swift upload" env OS_AUTH_VERSION=3 swift upload allinone-objects "$E2E_DIR/object.bin" \
  --object-name object.bin
check "swift download" env OS_AUTH_VERSION=3 swift download allinone-objects object.bin \
  -o "$E2E_DIR/object-down.bin"
cmp -s "$E2E_DIR/object.bin" "$E2E_DIR/object-down.bin" || fail "the downloaded object differs"
check "swift delete" env OS_AUTH_VERSION=3 swift delete allinone-objects
echo "ok: swift upload/download through the installed object storage"

# ---- one real VM through its whole life ----
check "openstack server create --wait" openstack server create --image tiny --flavor m1.tiny \
  --wait vm1
check "vm1 is ACTIVE" status_is vm1 ACTIVE
# The log is read whole before grep: a `grep -q` stopping early would break the client's pipe.
console_has() { local log; log=$(gureum_cli server console log "$1") && grep -q "$2" <<<"$log"; }
wait_until 120 "console log shows the guest booted" console_has vm1 GUREUM-TINY-BOOTED
check "the guest read its metadata from the config drive" console_has vm1 GUREUM-METADATA-BEGIN
# vm1's domain by its uuid (another test's VM may run on this libvirtd too).
domain=$(openstack server show vm1 -f value -c id)
virsh -c qemu:///system domstate "$domain" >/dev/null 2>&1 || domain=
[ -n "$domain" ] || fail "no libvirt domain runs for vm1"
check "stop" openstack server stop vm1
wait_until 90 "vm1 SHUTOFF" status_is vm1 SHUTOFF
check "start" openstack server start vm1
wait_until 60 "vm1 ACTIVE after start" status_is vm1 ACTIVE
check "reboot --hard --wait" openstack server reboot --hard --wait vm1
check "vm1 ACTIVE after reboot" status_is vm1 ACTIVE
if [ "${SKIP_RESIZE:-0}" != 1 ]; then
# One host: the answer file's all-in-one default allows a resize to the same host.
check "resize to m1.small" openstack server resize --flavor m1.small --wait vm1
wait_until 60 "vm1 VERIFY_RESIZE" status_is vm1 VERIFY_RESIZE
check "resize confirm" openstack server resize confirm vm1
wait_until 60 "vm1 ACTIVE on m1.small" status_is vm1 ACTIVE
check "vm1's flavor is m1.small" bash -c "openstack server show vm1 -f value -c flavor | grep -q m1.small"
# The volume through the installed path: the agent's export on this host's address behind
# its nftables filter, the compute agent's connector, libvirt's hot-plug into vm1.
check "server add volume" openstack server add volume vm1 allinone-vol
WAIT_POLL=2 wait_until 60 "the volume is in-use" volume_is in-use
check "the domain has the volume's disk" bash -c \
  "virsh -c qemu:///system dumpxml '$domain' | grep -q \"<serial>$(openstack volume show allinone-vol -f value -c id)\""
# Extend while attached (3.42): block storage tells compute-api, the agent grows the disk.
check "volume set --size 2 while attached" \
  openstack --os-volume-api-version 3.42 volume set --size 2 allinone-vol
vdisk_is_2g() {
  local info
  info=$(virsh -c qemu:///system domblkinfo "$domain" vdb 2>/dev/null) &&
    grep -q "^Capacity: *2147483648$" <<<"$info"
}
WAIT_POLL=2 wait_until 60 "the domain's disk grew to 2 GiB" vdisk_is_2g
check "server remove volume" openstack server remove volume vm1 allinone-vol
WAIT_POLL=2 wait_until 90 "the volume is available again" volume_is available
check "volume delete" openstack volume delete allinone-vol
fi
check "gureum server create --wait" "$GUREUM_BUILD_DIR/cli/gureum" server create \
  --image tiny --flavor m1.tiny --wait vm2
check "vm2 is ACTIVE" status_is vm2 ACTIVE
our_servers="$(openstack server show vm1 -f value -c id) $(openstack server show vm2 -f value -c id)"
check "delete vm1 and vm2" openstack server delete --wait vm1 vm2
no_domains() { [ -z "$(virsh -c qemu:///system list --all --name | grep .)" ]; }
wait_until 30 "no libvirt domain is left" no_domains
# Only this test's servers: a host that served a cloud before may hold other folders.
no_disks() {
  local id
  for id in $our_servers; do
    [ ! -e "/var/lib/gureum/instances/$id" ] && [ ! -e "/var/lib/gureum/instances/${id}_resize" ] ||
      return 1
  done
}
wait_until 30 "no instance folder or disk of vm1 or vm2 is left" no_disks
zero_usage() {
  python3 "$here/nova_load.py" usage-total |
    python3 -c 'import json, sys; sys.exit(1 if any(json.load(sys.stdin).values()) else 0)'
}
wait_until 30 "no allocation is left in placement" zero_usage

# ---- two compute hosts added by hand ----
service_password=$(sed -n 's/^CONFIG_SERVICE_PASSWORD=//p' "$answers")
amqp_url=$(sed -n 's/^transport_url = //p' /etc/gureum/gureum.conf)
start_host() {  # name address
  local name=$1 addr=$2
  "$netns" up "$name" "$addr/24" > "$E2E_DIR/$name-up.log" 2>&1 ||
    { cat "$E2E_DIR/$name-up.log"; fail "host $name did not come up"; }
  hosts_up+=("$name")
  mkdir -p "$E2E_DIR/$name/instances"
  cat > "$E2E_DIR/$name/gureum.conf" <<CONF
[DEFAULT]
host = $name
my_ip = $addr
transport_url = $amqp_url
log_dir = $E2E_DIR/$name
[compute]
connection_uri = qemu:///system
virt_type = qemu
instances_path = $E2E_DIR/$name/instances
placement_grpc = $ip:18778
image_grpc = $ip:19292
report_interval = 2
reserved_host_memory_mb = 0
memory_mb = 1024
vcpus = 4
[service_auth]
identity_grpc = $ip:15000
username = gureum
password = $service_password
project_name = service
CONF
  "$netns" exec "$name" /usr/local/bin/gureum-compute-agent \
    --config-file "$E2E_DIR/$name/gureum.conf" > "$E2E_DIR/$name/agent.out" 2>&1 &
  echo $! > "$E2E_DIR/$name/agent.pid"
}
chmod 0755 "$E2E_DIR"
start_host c1 10.77.0.11
start_host c2 10.77.0.12
wait_until 60 "host c1 joins: compute service list shows it up" host_is c1 "enabled up"
wait_until 60 "host c2 joins: compute service list shows it up" host_is c2 "enabled up"
check "gureum compute service list shows c1 and c2" bash -c \
  "'$GUREUM_BUILD_DIR/cli/gureum' compute service list | grep c1 | grep -q up"
check "disable the controller's compute service" openstack compute service set --disable \
  --disable-reason "multi-node test" "$ctl" gureum-compute-agent
for i in 1 2 3 4 5 6; do
  openstack server create --image tiny --flavor m1.tiny spread-$i -f value -c id \
    > /dev/null || fail "create spread-$i"
done
all_active() {
  [ "$(gureum_cli server list --name '^spread-' -f value -c Status | grep -c ACTIVE)" = 6 ]
}
wait_until 240 "six servers ACTIVE" all_active
hosts_of() { openstack server list --long --name '^spread-' -f value -c Host | awk '{print $1}' | sort | uniq -c; }
hosts_of
check "servers spread over c1 and c2" bash -c \
  "[ \"\$(openstack server list --long --name '^spread-' -f value -c Host | awk '{print \$1}' | sort -u | tr '\n' ' ')\" = 'c1 c2 ' ]"
kill "$(cat "$E2E_DIR/c1/agent.pid")"
wait_until 40 "c1's agent stopped: c1 is down" host_is c1 "enabled down"
check "a new server after that" openstack server create --image tiny --flavor m1.tiny --wait after-down
check "it went to c2" bash -c "[ \"\$(openstack server show after-down -f value -c OS-EXT-SRV-ATTR:host)\" = c2 ]"
# c1 comes back (its agent restarted); then everything is deleted and nothing is left.
"$netns" exec c1 /usr/local/bin/gureum-compute-agent \
  --config-file "$E2E_DIR/c1/gureum.conf" >> "$E2E_DIR/c1/agent.out" 2>&1 &
wait_until 60 "c1's agent restarted: c1 is up again" host_is c1 "enabled up"
ids=$(openstack server list --name '^(spread-|after-down)' -f value -c ID | paste -sd' ' -)
# Without --wait: the client waits for each server in turn, polling every 5 s (35 s for
# seven); "delete vm1 and vm2" above covers --wait.
# shellcheck disable=SC2086
check "delete every server" openstack server delete $ids
wait_until 60 "every server is gone" no_servers_left
host_clean() { [ -z "$("$netns" exec "$1" virsh -c qemu:///system list --all --name | grep .)" ]; }
wait_until 30 "no domain left on c1" host_clean c1
wait_until 30 "no domain left on c2" host_clean c2
wait_until 30 "no allocation is left in placement" zero_usage
echo "PASS: $pass_count checks"
