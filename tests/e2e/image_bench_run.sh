#!/usr/bin/env bash
# Runs tests/bench/image_bench against real gureum-identity and gureum-image processes
# deployed as the e2e tests deploy them (needs GUREUM_TEST_PG_URI / GUREUM_TEST_AMQP_URL
# from tests/lib/services.sh). Not a ctest test: a benchmark prints, it does not assert.
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/image_bench_run.sh [--mib 1024]
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/image_lib.sh"
trap 'drop_image_database; drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'Bench!admin1'
deploy_image
token=$(openstack token issue -f value -c id)
"$GUREUM_BUILD_DIR/tests/bench/image_bench" --rest "http://127.0.0.1:$image_rest_port" \
  --grpc "127.0.0.1:$image_grpc_port" --token "$token" --pid "$image_pid" \
  --store-dir "$image_dir" "$@"
