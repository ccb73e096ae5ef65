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
lib_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "remove_qemu_test_leftovers; $lib_trap" EXIT

deploy_identity 'S3cret!admin'
legacy_admin_identity
deploy_image
deploy_service_user 'S3cret!admin'
capi_grpc_port=$(free_port)
BS_COMPUTE_GRPC=127.0.0.1:$capi_grpc_port deploy_block_storage
start_volume_agent
COMPUTE_EXTRA_CONF="block_storage_grpc = 127.0.0.1:$bs_grpc_port" \
  deploy_compute_controller 'S3cret!admin'
set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
start_qemu_agent "tempest-vol-$$" 127.0.0.1
wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c State | grep -q up"
for t in network object-store; do openstack service delete "$t" >/dev/null 2>&1 || true; done

upload_tiny_image
sel=${1:-'^tempest\.api\.compute\.volumes\.'}
TEMPEST_IMAGE=$(openstack image show tiny -f value -c id) \
  TEMPEST_FLAVOR=$(openstack flavor show m1.tiny -f value -c id) \
  bash tests/e2e/tempest_run.sh "$sel" "${TEMPEST_WS:-/tmp/gureum-tempest-compute-volume}"
cp "$E2E_DIR"/*.log "$E2E_DIR"/*.stdout "${TEMPEST_WS:-/tmp/gureum-tempest-compute-volume}/" \
  2>/dev/null || true
