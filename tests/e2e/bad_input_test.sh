#!/usr/bin/env bash
# Bad input against every REST API: gureum-identity, -image, -network, -compute-api and
# the scheduler's Placement API, real binaries over the test PostgreSQL and RabbitMQ.
# bad_input.py sends malformed and truncated JSON, JSON that is not an object, wrong
# types, oversize names, invalid UTF-8 and NUL in bodies and paths, path traversal, huge
# and negative numbers, unknown fields, short bodies (not executed), bodies over the
# limit, protocol garbage, a client trickling its header (dropped within the head
# deadline) and 100 idle keep-alive connections (other requests still served). Never a
# 5xx or a hang; a 4xx has a JSON body with a message and no SQL or exception text; each
# service answers GET / from the same process afterwards. Prints a table with counts per
# service and fails listing every failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/image_lib.sh"
source "$here/compute_lib.sh"
source "$here/network_lib.sh"
trap 'drop_compute_databases; drop_network_database; drop_image_database; drop_identity_database; e2e_cleanup' EXIT
t_start=$(now_ms)

admin_password='Bi!admin-1'
deploy_identity "$admin_password"
identity_pid=${E2E_PIDS[-1]}
deploy_image

deploy_network

COMPUTE_EXTRA_CONF="network_grpc = 127.0.0.1:$net_grpc_port" \
  deploy_compute_controller "$admin_password"
compute_pid=${E2E_PIDS[-2]}
scheduler_pid=${E2E_PIDS[-1]}
wait_http "http://127.0.0.1:$sched_rest_port/"

t_py=$(now_ms)
rc=0
BI_SERVICES="identity=http://127.0.0.1:$rest_port:$identity_pid,image=http://127.0.0.1:$image_rest_port:$image_pid,compute=http://127.0.0.1:$capi_rest_port:$compute_pid,network=http://127.0.0.1:$net_rest_port:$network_pid,placement=http://127.0.0.1:$sched_rest_port:$scheduler_pid" \
  BI_ADMIN_PASSWORD="$admin_password" timeout 170 python3 "$here/bad_input.py" || rc=$?
t_end=$(now_ms)
echo "bad_input: deploy $(((t_py - t_start) / 1000)) s, checks $(((t_end - t_py) / 1000)) s"
for pid in "${E2E_PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a service (pid $pid) is no longer running"; rc=1; }
done
[ "$rc" = 0 ] || fail "bad_input: failures above (exit $rc)"
echo "bad_input: all checks passed"
