#!/usr/bin/env bash
# Tempest 33's object storage API tests (tempest.api.object_storage) against identity
# (OpenStack's legacy admin rule, which Tempest's dynamic credentials need) and object storage
# as the e2e tests deploy it (tests/e2e/object_storage_lib.sh: three object servers on a
# 3-device ring and the proxy, throw-away ports); every other service is taken out of the
# catalog. Not part of ./tests/run.sh (minutes); needs tests/lib/services.sh's servers:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/object_tempest_run.sh [SELECTION] [WORKSPACE]
# SELECTION as tests/e2e/tempest_run.sh takes it (default: every tempest.api.object_storage
# test but container sync's, which Gureum lacks and whose tests would each wait 10 minutes for
# a sync that never comes; a class regex such as
# '^tempest\.api\.object_storage\.test_object_services\.'), WORKSPACE default
# /tmp/gureum-tempest-object. The log is WORKSPACE/run-<selection>.log; the proxy's and the
# object servers' logs are copied beside it.
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
source tests/e2e/object_storage_lib.sh
sel=${1:-'^tempest\.api\.object_storage\.(?!test_container_sync)'}
ws=${2:-/tmp/gureum-tempest-object}
trap 'drop_identity_database; e2e_cleanup' EXIT
deploy_identity 'S3cret!admin'
legacy_admin_identity
deploy_object_storage
for t in $(openstack service list -f value -c Type); do
  case "$t" in identity | object-store) ;; *) openstack service delete "$t" || true ;; esac
done
# Tempest's reseller admin (test_account_services' cross-account calls).
openstack role create ResellerAdmin >/dev/null 2>&1 || true
bash tests/e2e/tempest_run.sh "$sel" "$ws"
mkdir -p "$ws"
cp "$E2E_DIR"/*.log "$E2E_DIR"/*.stdout "$ws/" 2>/dev/null || true
