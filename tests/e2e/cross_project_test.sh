#!/usr/bin/env bash
# Cross-project isolation over every REST API (issue 16): real gureum-identity, -image,
# -network, -compute-api + -scheduler and one simulated compute agent (test:///default).
# cross_project.py makes projects A, B (domain Default) and C (a second domain D), users
# with every kind of role, one of every resource as A's member, and then tries every verb
# on A's resources as everyone else, and creates in B that point at A's: nobody crosses a
# project line, every refusal has OpenStack's code (404 by id for another project's
# resource, 403 for a forbidden action on a visible one, 401 without a valid token), A's
# resources are unchanged afterwards, and an admin of a project that is not the admin
# project has no cloud powers (CROSS_PROJECT_LEGACY_ADMIN=1 runs it with
# [policy] legacy_admin = true, where it has). It prints a table of (service, resource,
# actor, verb) -> (expected, got) and fails listing every mismatch.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/image_lib.sh"
source "$here/compute_lib.sh"
source "$here/network_lib.sh"
trap 'drop_compute_databases; drop_network_database; drop_image_database; drop_identity_database; e2e_cleanup' EXIT
t_start=$(now_ms)

admin_password='Xp!admin-1'
deploy_identity "$admin_password"
if [ "${CROSS_PROJECT_LEGACY_ADMIN:-0}" = 1 ]; then
  # deploy_identity started identity before this line: start it again with the switch.
  printf '[policy]\nlegacy_admin = true\n' >>"$E2E_DIR/gureum.conf"
  kill "${E2E_PIDS[-1]}"; wait "${E2E_PIDS[-1]}" 2>/dev/null || true
  "$GUREUM_BUILD_DIR/identity/gureum-identity" --config-file "$E2E_DIR/gureum.conf" \
    >>"$E2E_DIR/identity.stdout" 2>&1 &
  E2E_PIDS[-1]=$!
  sleep 0.5
  wait_http "http://127.0.0.1:$rest_port/v3"
fi
deploy_image

deploy_network

COMPUTE_EXTRA_CONF="network_grpc = 127.0.0.1:$net_grpc_port" \
  deploy_compute_controller "$admin_password"
check "point the network endpoints at the test port" \
  set_endpoints network "http://127.0.0.1:$net_rest_port"
# With the network service, so that a server's ports are really made (and then time out:
# there is no network agent here).
start_sim_agent xp-host1 "network_grpc = 127.0.0.1:$net_grpc_port" "vif_plugging_timeout = 12"
WAIT_POLL=0.3 wait_until 60 "the simulated host reports up" host_is xp-host1 "enabled up"

t_py=$(now_ms)
rc=0
XP_IDENTITY="http://127.0.0.1:$rest_port" XP_IMAGE="http://127.0.0.1:$image_rest_port" \
  XP_COMPUTE="http://127.0.0.1:$capi_rest_port/v2.1" XP_NETWORK="http://127.0.0.1:$net_rest_port" \
  XP_ADMIN_PASSWORD="$admin_password" XP_LEGACY_ADMIN="${CROSS_PROJECT_LEGACY_ADMIN:-0}" \
  timeout 150 python3 "$here/cross_project.py" || rc=$?
t_end=$(now_ms)
echo "cross_project: deploy $(((t_py - t_start) / 1000)) s, checks $(((t_end - t_py) / 1000)) s"
# Every service must still run (an attack that crashed one shows here too).
for f in identity image network compute-api scheduler; do
  if grep -qE ' (CRITICAL|FATAL) |Segmentation|terminate called' "$E2E_DIR/$f.stdout" "$E2E_DIR/$f.log" 2>/dev/null; then
    echo "--- $f wrote:"; grep -hE ' (CRITICAL|FATAL) |Segmentation|terminate called' \
      "$E2E_DIR/$f.stdout" "$E2E_DIR/$f.log" 2>/dev/null | tail -n 5
    rc=1
  fi
done
for pid in "${E2E_PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a service (pid $pid) is no longer running"; rc=1; }
done
[ "$rc" = 0 ] || fail "cross_project: mismatches above (exit $rc)"
echo "cross_project: all checks passed"
