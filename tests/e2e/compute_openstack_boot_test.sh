#!/bin/bash
# The official openstack CLI boots a server end to end: gureum-identity, gureum-image,
# gureum-scheduler, gureum-compute-api and one gureum-compute-agent on libvirt's
# test:///default (a simulated host). Flavor and keypair create, image upload, server
# create --wait, list, show, stop, start, reboot, console log, delete --wait; quota 403;
# the host's compute service is up and its hypervisor shows the usage.
source "$(dirname "$0")/lib.sh"
# A folder of our own: other e2e scripts sweep /tmp/gureum-e2e.* while we run.
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-compute-e2e.XXXXXX)

deploy_identity 'S3cret!admin'
cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = compute-e2e
password = compute-e2e-pw
project_name = service
CONF
check "bootstrap the service user" manage identity bootstrap --admin-password 'S3cret!admin' \
  --identity-url "http://127.0.0.1:$rest_port/v3"

for db in gureum_compute gureum_scheduler gureum_image; do
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" 2>/dev/null
done
image_rest=$(free_port); image_grpc=$(free_port)
compute_rest=$(free_port); compute_grpc=$(free_port)
sched_grpc=$(free_port)
host=e2e-host-$$
cp "$E2E_DIR/gureum.conf" "$E2E_DIR/agent.conf"
cat >>"$E2E_DIR/gureum.conf" <<CONF
[image]
host = 127.0.0.1
rest_port = $image_rest
grpc_port = $image_grpc
filesystem_store_datadir = $E2E_DIR/images
[scheduler]
host = 127.0.0.1
grpc_port = $sched_grpc
rest_port = 0
compute_api_grpc = 127.0.0.1:$compute_grpc
[compute]
host = 127.0.0.1
rest_port = $compute_rest
grpc_port = $compute_grpc
image_grpc = 127.0.0.1:$image_grpc
placement_grpc = 127.0.0.1:$sched_grpc
service_down_time = 30s
CONF
sed -i "s/^\[DEFAULT\]$/[DEFAULT]\nhost = $host/" "$E2E_DIR/agent.conf"
cat >>"$E2E_DIR/agent.conf" <<CONF
[compute]
connection_uri = test:///default
instances_path = $E2E_DIR/instances
placement_grpc = 127.0.0.1:$sched_grpc
image_grpc = 127.0.0.1:$image_grpc
vcpus = 8
memory_mb = 16384
disk_gb = 100
report_interval = 2
console_interval = 1
CONF
for svc in compute scheduler image; do check "db sync $svc" manage db sync $svc; done
run() {  # run NAME BINARY CONF
  "$GUREUM_BUILD_DIR/$2" --config-file "$3" >"$E2E_DIR/$1.stdout" 2>&1 &
  E2E_PIDS+=($!)
}
run image image/gureum-image "$E2E_DIR/gureum.conf"
run compute compute/api/gureum-compute-api "$E2E_DIR/gureum.conf"
run scheduler scheduler/gureum-scheduler "$E2E_DIR/gureum.conf"
wait_http "http://127.0.0.1:$image_rest/"
wait_http "http://127.0.0.1:$compute_rest/"
run agent compute/agent/gureum-compute-agent "$E2E_DIR/agent.conf"
check "point the compute endpoints at the test port" \
  set_endpoints compute "http://127.0.0.1:$compute_rest/v2.1"
check "point the image endpoints at the test port" \
  set_endpoints image "http://127.0.0.1:$image_rest"
export OS_COMPUTE_GRPC="127.0.0.1:$compute_grpc"
value() { tr -d '\n' <"$E2E_DIR/out"; }

WAIT_POLL=0.3 wait_until 30 "the agent reports its host up" host_is "$host" "enabled up"
check "compute service list shows the host up" openstack compute service list -f value -c Host -c State
grep -qx "$host up" "$E2E_DIR/out" || fail "host not up: $(value)"

head -c 1048576 /dev/zero >"$E2E_DIR/disk.raw"
check "image create" openstack image create --file "$E2E_DIR/disk.raw" --disk-format raw \
  --container-format bare --public tiny
check "flavor create" openstack flavor create m1.tiny --ram 256 --vcpus 1 --disk 1
check "keypair create" openstack keypair create k1
check "server create --wait" timeout 120 openstack server create --image tiny --flavor m1.tiny \
  --key-name k1 --wait vm1
check "server show" openstack server show vm1 -f value -c status
[ "$(value)" = ACTIVE ] || fail "vm1 is $(value)"
check "server list" openstack server list -f value -c Name -c Status
grep -qx "vm1 ACTIVE" "$E2E_DIR/out" || fail "server list: $(value)"
check "server set --property" openstack server set --property role=web vm1
check "server show properties" openstack server show vm1 -f value -c properties
grep -q "'role': 'web'" "$E2E_DIR/out" || fail "properties: $(value)"
check "server unset --property" openstack server unset --property role vm1
check "server stop" openstack server stop vm1
wait_status() {
  local i
  for i in $(seq 1 100); do
    [ "$(openstack server show vm1 -f value -c status)" = "$1" ] && return 0
    sleep 0.3
  done
  fail "vm1 never became $1"
}
wait_status SHUTOFF
check_fails "stop again conflicts (409)" openstack server stop vm1
grep -q "while it is in vm_state stopped" "$E2E_DIR/err" || fail "409 text: $(cat "$E2E_DIR/err")"
check "server start" openstack server start vm1
wait_status ACTIVE
check "server reboot" openstack server reboot vm1
wait_status ACTIVE
check "server reboot --hard" openstack server reboot --hard vm1
wait_status ACTIVE
check "console log" openstack console log show vm1
check "server event list" openstack server event list vm1 -f value -c Action
grep -qx create "$E2E_DIR/out" && grep -qx stop "$E2E_DIR/out" || fail "events: $(value)"
check "hypervisor list" openstack hypervisor list -f value -c "Hypervisor Hostname"
grep -qx "$host" "$E2E_DIR/out" || fail "hypervisor list: $(value)"
check "gureum server list" "$GUREUM_BUILD_DIR/cli/gureum" server list -f value -c Name -c Status
grep -qx "vm1 ACTIVE" "$E2E_DIR/out" || fail "gureum server list: $(value)"

check "quota set --cores 1" openstack quota set --cores 1 admin
check_fails "quota exceeded" openstack server create --image tiny --flavor m1.tiny vm2
grep -q "Quota exceeded for cores: Requested 1, but already used 1 of 1 cores" "$E2E_DIR/err" \
  || fail "quota text: $(cat "$E2E_DIR/err")"

check "server delete --wait" openstack server delete --wait vm1
check "server list is empty" openstack server list -f value
[ -z "$(value)" ] || fail "left: $(value)"
echo "compute_openstack_boot: $pass_count checks passed"
