#!/usr/bin/env bash
# Tempest 33's identity API tests (tempest.api.identity) against identity alone, deployed as
# the e2e tests deploy it (throw-away ports, the test PostgreSQL, OpenStack's legacy admin rule
# that Tempest's dynamic credentials need); every other service is taken out of the catalog.
# Not part of ./tests/run.sh (minutes); needs tests/lib/services.sh's servers:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/identity_tempest_run.sh
# TEMPEST_SEL: a regex for one class while fixing, e.g.
#   TEMPEST_SEL='^tempest\.api\.identity\.v3\.test_ec2_credentials\.'
# TEMPEST_WS: the Tempest workspace (default /tmp/gureum-tempest-identity); the log is
# WORKSPACE/run-<selection>.log, identity's own log is copied beside it.
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
deploy_identity 'S3cret!admin'
legacy_admin_identity
for t in $(openstack service list -f value -c Type); do
  [ "$t" = identity ] || openstack service delete "$t" || true
done
ws=${TEMPEST_WS:-/tmp/gureum-tempest-identity}
bash tests/e2e/tempest_run.sh "${TEMPEST_SEL:-identity}" "$ws"
cp "$E2E_DIR"/*.log "$E2E_DIR"/*.stdout "$ws/" 2>/dev/null || true
