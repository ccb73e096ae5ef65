#!/usr/bin/env bash
# Tempest 33's volume API tests (tempest.api.volume) against identity, image, block storage
# and a volume agent deployed as the e2e tests deploy them; compute, network, placement and
# object storage are taken out of the catalog, so the tests that need servers skip. Not part
# of ./tests/run.sh (minutes); needs tests/lib/services.sh's servers:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/block_storage_tempest_run.sh
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
source tests/e2e/image_lib.sh
source tests/e2e/block_storage_lib.sh
deploy_identity 'S3cret!admin'
legacy_admin_identity
deploy_image
deploy_service_user 'S3cret!admin'
deploy_block_storage
start_volume_agent
wait_until 30 "backend up" sh -c "openstack volume service list -f value -c State | grep -q up"
for t in compute network placement object-store; do
  openstack service delete "$t" || true
done
check "image" openstack image create --file /dev/null --disk-format raw --container-format bare --public empty
bash tests/e2e/tempest_run.sh "${TEMPEST_SEL:-volume}" "${TEMPEST_WS:-/tmp/gureum-tempest-volume}"
cp "$E2E_DIR"/*.log "${TEMPEST_WS:-/tmp/gureum-tempest-volume}/" 2>/dev/null || true
