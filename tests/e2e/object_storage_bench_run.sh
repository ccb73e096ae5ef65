#!/usr/bin/env bash
# Runs tests/bench/object_bench (4 KiB PUT and GET at concurrency 8) against a proxy and
# three object servers deployed as the object storage e2e test deploys them (needs
# GUREUM_TEST_PG_URI / GUREUM_TEST_AMQP_URL from tests/lib/services.sh). Not a ctest test:
# a benchmark prints, it does not assert.
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/object_storage_bench_run.sh [--objects 4000]
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
trap 'drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'Bench!admin1'
deploy_object_storage
token=$(openstack token issue -f value -c id)
project=$(openstack token issue -f value -c project_id)
"$GUREUM_BUILD_DIR/tests/bench/object_bench" --url "http://127.0.0.1:$proxy_port/v1/AUTH_$project" \
  --token "$token" "$@"
