#!/usr/bin/env bash
# Tempest 33's volume tests that need servers (tempest.api.compute.volumes, and the interop
# list's volume tests) against identity, image, block storage with a volume agent, and
# compute (API, scheduler, an agent booting real QEMU guests on qemu:///system), deployed as
# the e2e tests deploy them; network and object storage are taken out of the catalog.
# Not part of ./tests/run.sh (minutes); needs tests/lib/services.sh's servers and libvirtd:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/compute_volume_tempest_run.sh [SELECTION]
# SELECTION as tests/e2e/tempest_run.sh takes it (default: the compute volume tests).
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
source tests/e2e/image_lib.sh
source tests/e2e/block_storage_lib.sh
source tests/e2e/compute_lib.sh
uri=${GUREUM_TEST_LIBVIRT_URI:-qemu:///system}
virsh -c "$uri" version >/dev/null 2>&1 || { echo "SKIP: no libvirtd at $uri"; exit 77; }
chmod 0755 "$E2E_DIR"
remove_test_domains() {
  set +e
  local d
  for d in $(virsh -c "$uri" list --all --uuid 2>/dev/null); do
    virsh -c "$uri" dumpxml "$d" 2>/dev/null | grep -q "$E2E_DIR" || continue
    virsh -c "$uri" destroy "$d" >/dev/null 2>&1
    virsh -c "$uri" undefine "$d" >/dev/null 2>&1
  done
  [ -z "${volume_agent_pid:-}" ] || { kill "$volume_agent_pid"; wait "$volume_agent_pid"; } 2>/dev/null
  for d in "$E2E_DIR"/volume-agent/exports/*.pid; do
    [ -f "$d" ] && kill "$(cat "$d")" 2>/dev/null
  done
}
lib_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "remove_test_domains; $lib_trap" EXIT

deploy_identity 'S3cret!admin'
# Tempest's dynamic credentials make project admins: OpenStack's legacy admin rule.
cat >>"$E2E_DIR/gureum.conf" <<CONF
[policy]
legacy_admin = true
CONF
kill "${E2E_PIDS[0]}"; wait "${E2E_PIDS[0]}" 2>/dev/null || true
"$GUREUM_BUILD_DIR/identity/gureum-identity" --config-file "$E2E_DIR/gureum.conf" \
  >"$E2E_DIR/identity.stdout" 2>&1 &
E2E_PIDS+=($!)
wait_http "http://127.0.0.1:$rest_port/v3"
deploy_image
deploy_service_user 'S3cret!admin'
capi_grpc_port=$(free_port)
BS_COMPUTE_GRPC=127.0.0.1:$capi_grpc_port deploy_block_storage
start_volume_agent
COMPUTE_EXTRA_CONF="block_storage_grpc = 127.0.0.1:$bs_grpc_port" \
  deploy_compute_controller 'S3cret!admin'
set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
host=tempest-vol-$$
mkdir -p "$E2E_DIR/instances"
cat >"$E2E_DIR/compute-agent.conf" <<CONF
[DEFAULT]
host = $host
my_ip = 127.0.0.1
transport_url = $GUREUM_TEST_AMQP_URL
[compute]
connection_uri = $uri
virt_type = qemu
kvm_probe_kernel = /nonexistent
instances_path = $E2E_DIR/instances
placement_grpc = 127.0.0.1:$sched_grpc_port
image_grpc = 127.0.0.1:$image_grpc_port
block_storage_grpc = 127.0.0.1:$bs_grpc_port
volume_detach_timeout = 60
report_interval = 2
reserved_host_memory_mb = 0
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
"$GUREUM_BUILD_DIR/compute/agent/gureum-compute-agent" \
  --config-file "$E2E_DIR/compute-agent.conf" >"$E2E_DIR/compute-agent.stdout" 2>&1 &
E2E_PIDS+=($!)
wait_until 60 "the compute agent reports its host up" host_is "$host" "enabled up"
wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c State | grep -q up"
for t in network object-store; do openstack service delete "$t" >/dev/null 2>&1 || true; done

tiny=$GUREUM_BUILD_DIR/tiny-image
check "build the tiny image" tests/images/build-tiny.sh "$tiny"
check "upload tiny-kernel" openstack image create tiny-kernel --disk-format aki \
  --container-format aki --file "$tiny/tiny-kernel" --public
check "upload tiny-initrd" openstack image create tiny-initrd --disk-format ari \
  --container-format ari --file "$tiny/tiny-initrd" --public
check "upload tiny" openstack image create tiny --disk-format raw --container-format bare \
  --file "$tiny/tiny-disk.raw" --public \
  --property kernel_id="$(openstack image show tiny-kernel -f value -c id)" \
  --property ramdisk_id="$(openstack image show tiny-initrd -f value -c id)"
check "flavor m1.tiny" openstack flavor create m1.tiny --vcpus 1 --ram 128 --disk 1
sel=${1:-'^tempest\.api\.compute\.volumes\.'}
TEMPEST_IMAGE=$(openstack image show tiny -f value -c id) \
  TEMPEST_FLAVOR=$(openstack flavor show m1.tiny -f value -c id) \
  bash tests/e2e/tempest_run.sh "$sel" "${TEMPEST_WS:-/tmp/gureum-tempest-compute-volume}"
cp "$E2E_DIR"/*.log "$E2E_DIR"/*.stdout "${TEMPEST_WS:-/tmp/gureum-tempest-compute-volume}/" \
  2>/dev/null || true
