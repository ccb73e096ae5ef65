# Helpers for the end-to-end tests that run gureum-network (sourced after lib.sh and
# deploy_identity).
#
# deploy_network: a fresh gureum_network database, the [network] section appended to the
# test's gureum.conf (and [service_auth] identity_grpc, for its token checks), db sync,
# gureum-network running on free ports. Sets net_rest_port, net_grpc_port, network_pid.
deploy_network() {
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_network WITH (FORCE)" \
    -c "CREATE DATABASE gureum_network" 2>/dev/null
  net_rest_port=$(free_port)
  net_grpc_port=$(free_port)
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[network]
host = 127.0.0.1
rest_port = $net_rest_port
grpc_port = $net_grpc_port
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
CONF
  check "db sync network" manage db sync network
  "$GUREUM_BUILD_DIR/network/server/gureum-network" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/network.stdout" 2>&1 &
  network_pid=$!
  E2E_PIDS+=("$network_pid")
  wait_http "http://127.0.0.1:$net_rest_port/"
}

drop_network_database() {
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_network WITH (FORCE)" || true
}
