#!/usr/bin/env bash
# Tempest 33's compute tests that need the network service (Nova's network proxies:
# tempest.api.compute.security_groups, floating_ips, test_networks, test_tenant_networks,
# admin.test_security_groups, servers' addresses) against identity (the legacy admin rule
# Tempest's dynamic credentials need), image, gureum-network, compute-api + scheduler and
# one simulated compute host (libvirt's test:///default) whose ports a gureum-network-agent
# wires in a network namespace of its own (gnnp-cnt: bridges and VXLAN there; DHCP and
# routers off, so nothing is wired on this machine), so that servers go ACTIVE with real
# ports and fixed IPs. An external network "public" (203.0.113.0/24) is Tempest's
# public_network_id and floating_network_name: its dynamic projects get a network, a
# subnet and a router to it, and floating IPs come from it. Block storage and object
# storage are taken out of the catalog. Tempest gets a second image and flavor, compute's
# microversions up to compute-api's maximum, resize (on the one host) and server metadata. NO_NETWORK=1: the same run without the network
# service (not deployed, not in the catalog, compute without network_grpc), as
# tests/e2e/compute_volume_tempest_run.sh runs compute: the baseline to compare with.
# Not part of ./tests/run.sh (minutes); needs tests/lib/services.sh's servers:
#   tests/lib/services.sh start /tmp/t && source /tmp/t/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/compute_network_tempest_run.sh [SELECTION] [WORKSPACE]
# SELECTION as tests/e2e/tempest_run.sh takes it (default: the network proxies' tests),
# WORKSPACE default /tmp/gureum-tempest-compute-network.
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
source tests/e2e/image_lib.sh
source tests/e2e/block_storage_lib.sh
source tests/e2e/compute_lib.sh
source tests/e2e/network_lib.sh
sel=${1:-'^tempest\.api\.compute\.(security_groups|floating_ips|test_networks|test_tenant_networks|admin\.test_networks|admin\.test_security_groups)'}
ws=${2:-/tmp/gureum-tempest-compute-network}
ns=gnnp-cnt  # the namespace of the network agent, and the compute host's name

deploy_identity 'S3cret!admin'
legacy_admin_identity
deploy_image
deploy_service_user 'S3cret!admin'
with_network=$([ "${NO_NETWORK:-0}" = 1 ] && echo 0 || echo 1)
if [ "$with_network" = 1 ]; then
  deploy_network
  COMPUTE_EXTRA_CONF="network_grpc = 127.0.0.1:$net_grpc_port
allow_resize_to_same_host = true" \
    deploy_compute_controller 'S3cret!admin'
  check "point the network endpoints at the test port" \
    set_endpoints network "http://127.0.0.1:$net_rest_port"
else
  COMPUTE_EXTRA_CONF="allow_resize_to_same_host = true" deploy_compute_controller 'S3cret!admin'
  openstack service delete network >/dev/null 2>&1 || true
fi
for t in volumev3 volumev2 block-storage object-store; do
  openstack service delete "$t" >/dev/null 2>&1 || true
done

ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
cleanup_ns() {
  local rc=$?
  [ -z "${net_agent_pid:-}" ] || { kill "$net_agent_pid" 2>/dev/null; wait "$net_agent_pid" 2>/dev/null; }
  ip netns del "$ns" 2>/dev/null || true
  drop_compute_databases
  drop_network_database
  drop_image_database
  drop_identity_database
  e2e_cleanup
  exit "$rc"
}
trap cleanup_ns EXIT
if [ "$with_network" = 1 ]; then
  cat >"$E2E_DIR/network-agent.conf" <<CONF
[DEFAULT]
host = $ns
[network_agent]
local_ip = 10.255.9.2
network_grpc = 127.0.0.1:$net_grpc_port
state_path = $E2E_DIR/network-agent-state
datapath_namespace = $ns
dhcp = false
l3 = false
report_interval = 5
CONF
  "$GUREUM_BUILD_DIR/network/agent/gureum-network-agent" --config-file "$E2E_DIR/gureum.conf" \
    --config-file "$E2E_DIR/network-agent.conf" >"$E2E_DIR/network-agent.stdout" 2>&1 &
  net_agent_pid=$!
  E2E_PIDS+=("$net_agent_pid")
  start_sim_agent "$ns" "network_grpc = 127.0.0.1:$net_grpc_port" "vif_plugging_timeout = 60"
else
  start_sim_agent "$ns"
fi
WAIT_POLL=0.3 wait_until 60 "the simulated host reports up" host_is "$ns" "enabled up"

head -c 1048576 /dev/urandom >"$E2E_DIR/disk.raw"
check "image" openstack image create simimg --disk-format raw --container-format bare \
  --file "$E2E_DIR/disk.raw" --public
check "a second image" openstack image create simimg-alt --disk-format raw \
  --container-format bare --file "$E2E_DIR/disk.raw" --public
check "flavor" openstack flavor create m1.nano --vcpus 1 --ram 128 --disk 1
check "a second flavor (flavor_ref_alt: resizes, flavor filters)" \
  openstack flavor create m1.micro --vcpus 1 --ram 192 --disk 1
# One host: resizes stay on it (allow_resize_to_same_host above); server metadata is
# writable (Tempest ties its metadata tests to xenapi_apis).
extra_conf="[compute-feature-enabled]
resize = true
xenapi_apis = true"
if [ "$with_network" = 1 ]; then
  wait_until 30 "the network agent reported itself" \
    sh -c "openstack network agent list -f value -c Host | grep -qx $ns"
  check "external network public" openstack network create public --external
  check "its subnet" openstack subnet create public-subnet --network public \
    --subnet-range 203.0.113.0/24
  extra_conf="$extra_conf
[network]
public_network_id = $(openstack network show public -f value -c id)
floating_network_name = public"
fi

max_mv=$(openstack versions show --service compute --status CURRENT -f value \
  -c 'Max Microversion' 2>/dev/null | head -1)
TEMPEST_EXTRA_CONF=$extra_conf \
  TEMPEST_COMPUTE_MICROVERSIONS=${max_mv:+2.1 $max_mv} \
  TEMPEST_IMAGE=$(openstack image show simimg -f value -c id) \
  TEMPEST_IMAGE_ALT=$(openstack image show simimg-alt -f value -c id) \
  TEMPEST_FLAVOR=$(openstack flavor show m1.nano -f value -c id) \
  bash tests/e2e/tempest_run.sh "$sel" "$ws"
cp "$E2E_DIR"/*.log "$E2E_DIR"/*.stdout "$E2E_DIR/hosts/$ns"/*.stdout "$ws/" 2>/dev/null || true
