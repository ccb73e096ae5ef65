#!/usr/bin/env bash
# End to end: gureum-network-agent against the real gureum-network (with identity,
# PostgreSQL and RabbitMQ), its datapath in a namespace standing in for a host:
#  - ReportAgent registers the host (openstack network agent list);
#  - a network with a DHCP subnet gets its DHCP port bound to the host, the qdhcp
#    namespace and dnsmasq;
#  - a port created with --host becomes ACTIVE (the agent wired the bridge and rules),
#    and a "VM" with the port's MAC on a tap-named veth gets the port's address by DHCP;
#  - a security group rule created through the API reaches the host's nft rules (cast);
#  - deleting the port, subnet and network leaves no bridge, namespace, dnsmasq or rule.
# Needs root (skipped with 77 otherwise).
source "$(dirname "$0")/../../../tests/e2e/lib.sh"
source "$(dirname "$0")/../../../tests/e2e/network_lib.sh"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }

HOSTNS=gnae-h1
VMNS=gnae-vm1
EXTNS=gnae-ext
agent_pid=
net_id=
router_id=
agent_cleanup() {
  [ -n "$agent_pid" ] && { kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; } || true
  local f pid
  for f in "$E2E_DIR"/agent-state/dhcp/*/pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    grep -qa "$E2E_DIR" "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  ip netns del "$VMNS" 2>/dev/null || true
  ip netns del "$EXTNS" 2>/dev/null || true
  ip netns del "$HOSTNS" 2>/dev/null || true
  [ -n "$net_id" ] && ip netns del "qdhcp-$net_id" 2>/dev/null || true
  [ -n "$router_id" ] && ip netns del "qrouter-$router_id" 2>/dev/null || true
  e2e_cleanup
}
trap agent_cleanup EXIT

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
deploy_network
set_endpoints network "http://127.0.0.1:$net_rest_port"

# The host: a namespace; the agent stays in ours (it reaches the services on 127.0.0.1).
ip netns del "$HOSTNS" 2>/dev/null || true
ip netns del "$VMNS" 2>/dev/null || true
ip netns del "$EXTNS" 2>/dev/null || true
ip netns add "$HOSTNS"
ip -n "$HOSTNS" link set lo up
# The external network's wire: gnae-ext on the host, eth0 with the upstream gateway in EXTNS.
ip netns add "$EXTNS"
ip -n "$HOSTNS" link add gnae-ext type veth peer name eth0 netns "$EXTNS"
ip -n "$HOSTNS" link set gnae-ext up
ip -n "$EXTNS" addr add 172.31.77.1/24 dev eth0
ip -n "$EXTNS" link set eth0 up
cat >"$E2E_DIR/agent.conf" <<CONF
[DEFAULT]
host = $HOSTNS
[network_agent]
local_ip = 10.255.7.1
network_grpc = 127.0.0.1:$net_grpc_port
state_path = $E2E_DIR/agent-state
datapath_namespace = $HOSTNS
physical_interface_mappings = gnaeext:gnae-ext
resync_interval = 5
report_interval = 2
debounce_ms = 50
CONF
"$GUREUM_BUILD_DIR/network/agent/gureum-network-agent" --config-file "$E2E_DIR/gureum.conf" \
  --config-file "$E2E_DIR/agent.conf" >"$E2E_DIR/agent.stdout" 2>&1 &
agent_pid=$!

# wait_for DESCRIPTION COMMAND...: polls (up to 30 s) until the command succeeds.
wait_for() {
  local what=$1 i; shift
  for i in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then pass_count=$((pass_count + 1)); echo "ok: $what"; return 0; fi
    sleep 0.2
  done
  echo "--- agent log"; tail -30 "$E2E_DIR/network-agent.log" 2>/dev/null || cat "$E2E_DIR/agent.stdout"
  fail "$what"
}
agent_listed() { openstack network agent list -f value -c Host | grep -qx "$HOSTNS"; }
wait_for "the agent reported itself" agent_listed

check "network create" openstack network create gnae-net -f value -c id
net_id=$(cat "$E2E_DIR/out")
bridge=brq${net_id:0:11}
check "subnet create" openstack subnet create --network gnae-net --subnet-range 10.80.0.0/24 \
  --dns-nameserver 192.0.2.53 gnae-subnet -f value -c id
dnsmasq_up() {
  local pid; pid=$(cat "$E2E_DIR/agent-state/dhcp/$net_id/pid") && kill -0 "$pid" &&
    ip netns list | grep -q "^qdhcp-$net_id"
}
wait_for "the DHCP namespace and dnsmasq on the host" dnsmasq_up
check "port create bound to the host" openstack port create --network gnae-net --host "$HOSTNS" \
  --device-owner compute:nova gnae-port -f json
port_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$E2E_DIR/out")
mac=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mac_address"])' "$E2E_DIR/out")
ip=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); f=j["fixed_ips"]; print((f[0] if isinstance(f, list) else f)["ip_address"])' "$E2E_DIR/out" 2>/dev/null ||
     openstack port show "$port_id" -f json -c fixed_ips | python3 -c 'import json,sys; print(json.load(sys.stdin)["fixed_ips"][0]["ip_address"])')
port_active() { [ "$(openstack port show "$port_id" -f value -c status)" = ACTIVE ]; }
wait_for "the port is ACTIVE" port_active
check "the bridge exists on the host" ip -n "$HOSTNS" link show "$bridge"
check "the port's rules are in place" ip netns exec "$HOSTNS" nft list chain bridge gureum port_in
grep -q "tap${port_id:0:11}" "$E2E_DIR/out" || fail "no rule for tap${port_id:0:11}: $(cat "$E2E_DIR/out")"

# A "VM" on the port: the tap as libvirt would plug it, then DHCP.
ip netns add "$VMNS"
ip -n "$HOSTNS" link add "tap${port_id:0:11}" type veth peer name eth0 netns "$VMNS"
ip -n "$HOSTNS" link set "tap${port_id:0:11}" master "$bridge" up
ip -n "$VMNS" link set eth0 address "$mac" up
cat >"$E2E_DIR/dhcp.sh" <<'SH'
#!/bin/sh
if [ "$1" = bound ]; then
  ip addr add "$ip/$mask" dev "$interface"
  [ -n "$router" ] && ip route replace default via "$router"
fi
exit 0
SH
chmod +x "$E2E_DIR/dhcp.sh"
check "the VM gets an address by DHCP" ip netns exec "$VMNS" busybox udhcpc -i eth0 -n -q -t 6 -T 1 -s "$E2E_DIR/dhcp.sh"
check "it is the port's address" ip -n "$VMNS" -4 addr show dev eth0
grep -q "$ip/24" "$E2E_DIR/out" || fail "the VM has $(cat "$E2E_DIR/out"), not $ip"

# A rule through the API reaches the host by cast.
sg=$(openstack port show "$port_id" -f json -c security_group_ids | python3 -c 'import json,sys; print(json.load(sys.stdin)["security_group_ids"][0])')
check "security group rule create" openstack security group rule create --ingress --protocol tcp \
  --dst-port 2222 "$sg" -f value -c id
rule_id=$(cat "$E2E_DIR/out")
rule_applied() { ip netns exec "$HOSTNS" nft list table inet gureum | grep -q "dport 2222"; }
wait_for "the new rule is in the host's nftables" rule_applied

# A router to the outside and a floating IP on the port.
check "external network" openstack network create --external --provider-network-type flat \
  --provider-physical-network gnaeext gnae-ext-net -f value -c id
ext_id=$(cat "$E2E_DIR/out")
check "external subnet" openstack subnet create --network gnae-ext-net --subnet-range 172.31.77.0/24 \
  --gateway 172.31.77.1 --no-dhcp gnae-ext-subnet
check "router create" openstack router create gnae-router -f value -c id
router_id=$(cat "$E2E_DIR/out")
check "router gateway" openstack router set --external-gateway gnae-ext-net gnae-router
check "router interface" openstack router add subnet gnae-router gnae-subnet
check "icmp allowed in" openstack security group rule create --ingress --protocol icmp "$sg"
check "floating ip create" openstack floating ip create gnae-ext-net -f value -c floating_ip_address
fip=$(cat "$E2E_DIR/out")
check "floating ip set --port" openstack floating ip set --port "$port_id" "$fip"
fip_answers() { ip netns exec "$EXTNS" busybox ping -c 1 -W 1 "$fip"; }
wait_for "the floating IP $fip answers from the external namespace" fip_answers
check "the router namespace has the floating IP" ip -n "qrouter-$router_id" addr show
grep -q "$fip/32" "$E2E_DIR/out" || fail "no $fip/32 on the gateway leg: $(cat "$E2E_DIR/out")"

# Deleting everything leaves nothing.
ip -n "$HOSTNS" link del "tap${port_id:0:11}"
ip netns del "$VMNS"
check "floating ip delete" openstack floating ip delete "$fip"
check "router remove subnet" openstack router remove subnet gnae-router gnae-subnet
check "router unset gateway" openstack router unset --external-gateway gnae-router
check "router delete" openstack router delete gnae-router
check "port delete" openstack port delete "$port_id"
check "subnet delete" openstack subnet delete gnae-subnet
check "network delete" openstack network delete gnae-net
check "external subnet delete" openstack subnet delete gnae-ext-subnet
check "external network delete" openstack network delete gnae-ext-net
nothing_left() {
  ! ip -n "$HOSTNS" link show "$bridge" && ! ip -n "$HOSTNS" link show "brq${ext_id:0:11}" &&
    ! ip netns list | grep -q "qdhcp-$net_id" && ! ip netns list | grep -q "qrouter-$router_id" &&
    ip -n "$HOSTNS" link show gnae-ext &&
    ! ip netns exec "$HOSTNS" nft list tables | grep -q gureum &&
    [ ! -e "$E2E_DIR/agent-state/dhcp/$net_id" ]
}
wait_for "no bridge, namespace, dnsmasq or nft table left" nothing_left
kill "$agent_pid"
wait "$agent_pid" || fail "the agent did not exit cleanly on SIGTERM"
agent_pid=
echo "all $pass_count checks passed"
