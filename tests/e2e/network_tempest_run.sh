#!/usr/bin/env bash
# Tempest 33's network API tests (tempest.api.network) against identity (OpenStack's legacy
# admin rule, which Tempest's dynamic credentials need) and gureum-network deployed as the e2e
# tests deploy them, on throw-away ports; compute, image, volume, placement and object storage
# are taken out of the catalog. A gureum-network-agent reports from a network namespace of its
# own (gnetc-tempest; DHCP and routers off, so it wires nothing on this machine) so that the
# agent tests have an agent to look at. Not part of ./tests/run.sh (minutes); needs
# tests/lib/services.sh's servers:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/network_tempest_run.sh [SELECTION] [WORKSPACE]
# SELECTION as tests/e2e/tempest_run.sh takes it (default network; a class regex such as
# '^tempest\.api\.network\.test_tags\.'), WORKSPACE default /tmp/gureum-tempest-network.
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
source tests/e2e/network_lib.sh
sel=${1:-network}
ws=${2:-/tmp/gureum-tempest-network}
ns=gnetc-tempest
SERVICE_PASSWORD=svc-$(openssl rand -hex 8)
deploy_identity 'S3cret!admin'
cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
check "bootstrap the services' user" manage identity bootstrap --admin-password 'S3cret!admin' \
  --identity-url "http://127.0.0.1:$rest_port/v3"
legacy_admin_identity
deploy_network
set_endpoints network "http://127.0.0.1:$net_rest_port"
for t in compute image volumev3 volumev2 block-storage placement object-store; do
  openstack service delete "$t" >/dev/null 2>&1 || true
done

ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
cleanup_ns() {
  local rc=$?
  [ -z "${agent_pid:-}" ] || { kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; }
  ip netns del "$ns" 2>/dev/null || true
  e2e_cleanup
  exit "$rc"
}
trap cleanup_ns EXIT
cat >"$E2E_DIR/agent.conf" <<CONF
[DEFAULT]
host = $ns
[network_agent]
local_ip = 10.255.9.1
network_grpc = 127.0.0.1:$net_grpc_port
state_path = $E2E_DIR/agent-state
datapath_namespace = $ns
dhcp = false
l3 = false
report_interval = 5
CONF
"$GUREUM_BUILD_DIR/network/agent/gureum-network-agent" --config-file "$E2E_DIR/gureum.conf" \
  --config-file "$E2E_DIR/agent.conf" >"$E2E_DIR/agent.stdout" 2>&1 &
agent_pid=$!
wait_until 30 "the agent reported itself" \
  sh -c "openstack network agent list -f value -c Host | grep -qx $ns"

bash tests/e2e/tempest_run.sh "$sel" "$ws"
cp "$E2E_DIR"/*.log "$ws/" 2>/dev/null || true
