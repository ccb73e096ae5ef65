#!/usr/bin/env bash
# Runs tests/bench/block_storage_bench against real gureum-identity, gureum-block-storage and
# gureum-volume-agent processes deployed as the e2e tests deploy them (needs
# GUREUM_TEST_PG_URI / GUREUM_TEST_AMQP_URL from tests/lib/services.sh). Not a ctest test: a
# benchmark prints, it does not assert.
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/block_storage_bench_run.sh [--volumes 40]
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/block_storage_lib.sh"

deploy_identity 'Bench!admin1'
deploy_block_storage
start_volume_agent
cinder_token
check "quotas for the benchmark" openstack quota set --volumes -1 --gigabytes -1 admin
wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c State | grep -q up"
"$GUREUM_BUILD_DIR/tests/bench/block_storage_bench" --rest "http://127.0.0.1:$bs_rest_port" \
  --project "$bs_project" --token "$bs_token" "$@"
drop_block_storage_database
drop_identity_database
