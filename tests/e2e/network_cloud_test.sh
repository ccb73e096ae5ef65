#!/usr/bin/env bash
# Networking as a user gets it from ./deploy/allinone.sh (the real installer, with
# gureum-network and gureum-network-agent on the controller), the official openstack CLI
# and real QEMU VMs of the tiny test image (tests/images/build-tiny.sh: DHCP by udhcpc,
# GUREUM-IP <addr> and the output of a user_data script on the serial console):
#
#  1. a network, a subnet, a security group with an ICMP ingress rule, two VMs with fixed
#     IPs (one on a port made beforehand, one asking for the network with a fixed IP and
#     the security group) whose user_data pings the other: both get their
#     address by DHCP and ping each other (PING-OK); the ICMP rule deleted -> PING-FAIL,
#     added back -> PING-OK again;
#  2. a second host added by hand (a network namespace with its own libvirt,
#     tests/lib/netns_host.sh, running gureum-compute-agent and gureum-network-agent):
#     a VM there gets its address from the controller's DHCP and pings over VXLAN;
#  3. an external flat network on a veth whose peer sits in an "external" namespace, a
#     router with its gateway there and an interface on the subnet, a floating IP on a
#     VM: it answers ping from the external namespace;
#  4. everything deleted: no brq/vxlan device, qdhcp/qrouter namespace, dnsmasq process
#     or gureum nftables table of ours is left, on the controller and on the second host.
#
# Names made here start with gnc (links, namespaces) or nc- (cloud resources). Leaves the
# all-in-one cloud stopped (gureum-deploy stop) and the test host and namespaces removed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$here/lib.sh"

netns=$repo/tests/lib/netns_host.sh
answers=$E2E_DIR/answers.conf
ext_ns=gnc-ext                # the "external" world
ext_if=gncext0                # the controller's physical interface for physnet extnet
ext_peer=gncext1              # its peer, in $ext_ns, at 203.0.113.1
host2=nc1                     # the second host (namespace gh-nc1)
host2_bridge=gncbr0
host2_addr=10.78.0.11
host_up=0
cleanup_net() {
  local rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    e2e_dump_cloud "$E2E_DIR/$host2"/*.log "$E2E_DIR/$host2"/*.out \
      /var/log/gureum/network.log /var/log/gureum/network-agent.log \
      /var/log/gureum/compute.log /var/log/gureum/compute-agent.log || true
  fi
  if [ "$host_up" = 1 ]; then
    GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" down "$host2" >/dev/null 2>&1 || true
    # Its agents are gone: so are its service records (the next run starts clean).
    local id
    for id in $(openstack compute service list --host "$host2" -f value -c ID 2>/dev/null); do
      openstack compute service delete "$id" >/dev/null 2>&1 || true
    done
    for id in $(openstack network agent list --host "$host2" -f value -c ID 2>/dev/null); do
      openstack network agent delete "$id" >/dev/null 2>&1 || true
    done
  fi
  ip link del "$host2_bridge" 2>/dev/null || true
  if [ "${E2E_KEEP:-0}" != 1 ]; then
    /usr/local/bin/gureum-deploy stop --state-dir /run/gureum >/dev/null 2>&1 || true
  fi
  ip link del "$ext_if" 2>/dev/null || true
  ip netns del "$ext_ns" 2>/dev/null || true
  e2e_stop_host_daemons
  e2e_cleanup
}
trap cleanup_net EXIT

ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1)
if [ -z "$ip" ]; then
  echo "SKIP: this machine has no default route, so no primary address for the installer"
  exit 77
fi
if /usr/local/bin/gureum-deploy status --state-dir /run/gureum 2>/dev/null | grep -q running &&
   [ "${NC_REUSE_CLOUD:-0}" != 1 ]; then
  echo "note: an all-in-one cloud is running; the installer reconfigures it"
fi

# ---- the external world: a namespace at 203.0.113.1, wired to the controller by a veth ----
ip netns del "$ext_ns" 2>/dev/null || true
ip link del "$ext_if" 2>/dev/null || true
ip netns add "$ext_ns"
ip link add "$ext_if" type veth peer name "$ext_peer"
ip link set "$ext_peer" netns "$ext_ns"
ip -n "$ext_ns" link set lo up
ip -n "$ext_ns" addr add 203.0.113.1/24 dev "$ext_peer"
ip -n "$ext_ns" link set "$ext_peer" up
ip link set "$ext_if" up

# ---- the installer, with the network agent's provider interface ----
{
  sed -e "s/@HOST_IP@/$ip/" -e "s/@HOSTNAME@/$(hostname -s)/" \
      -e 's/^CONFIG_REPORT_INTERVAL=.*/CONFIG_REPORT_INTERVAL=2/' \
      -e 's/^CONFIG_SERVICE_DOWN_TIME=.*/CONFIG_SERVICE_DOWN_TIME=10/' \
      -e 's/^CONFIG_VIRT_TYPE=.*/CONFIG_VIRT_TYPE=qemu/' \
      -e "s/^CONFIG_NETWORK_PHYSICAL_INTERFACE_MAPPINGS=.*/CONFIG_NETWORK_PHYSICAL_INTERFACE_MAPPINGS=extnet:$ext_if/" \
      "$repo/deploy/answers.conf.template" |
    while IFS= read -r line; do
      while [[ $line == *@GENERATE@* ]]; do line=${line/@GENERATE@/$(openssl rand -hex 16)}; done
      printf '%s\n' "$line"
    done
} > "$answers"
grep -q '^CONFIG_SERVICES=.*network-agent' "$answers" || fail "the answer file has no network-agent"
if [ "${NC_SKIP_INSTALL:-0}" != 1 ]; then
  e2e_note_host_daemons
  check "./deploy/allinone.sh (with network and network-agent)" run_allinone "$answers" allinone.log
fi
unset OS_IDENTITY_GRPC
# shellcheck disable=SC1091
source /etc/gureum/admin-openrc
ctl=$(hostname -s)

# ---- a clean start: what an earlier run may have left ----
leftovers=$(openstack server list --all-projects -f value -c ID | paste -sd' ' -)
# shellcheck disable=SC2086
[ -z "$leftovers" ] || openstack server delete --wait $leftovers || true
for id in $(openstack floating ip list -f value -c ID); do openstack floating ip delete "$id" || true; done
for r in $(openstack router list -f value -c Name | grep '^nc-' || true); do
  openstack router remove subnet "$r" nc-sub >/dev/null 2>&1 || true
  openstack router unset --external-gateway "$r" >/dev/null 2>&1 || true
  openstack router delete "$r" || true
done
for p in $(openstack port list -f value -c Name | grep '^nc-' || true); do openstack port delete "$p" || true; done
for n in nc-net nc-ext; do openstack network delete "$n" >/dev/null 2>&1 || true; done
openstack security group delete nc-sg >/dev/null 2>&1 || true
for svc in $host2; do
  for id in $(openstack compute service list --host "$svc" -f value -c ID); do
    openstack compute service delete "$id" || true
  done
done

openstack compute service set --enable "$ctl" gureum-compute-agent >/dev/null 2>&1 || true

wait_until 90 "the controller's compute agent is up" host_is "$ctl" "enabled up"
agent_alive() {
  openstack network agent list -f value -c Host -c Alive | awk -v h="$1" '$1 == h' | grep -qiE 'true|:-\)'
}
wait_until 90 "the controller's network agent reports alive" agent_alive "$ctl"

# ---- the tiny image and a flavor ----
tiny=$GUREUM_BUILD_DIR/tiny-image
check "build the tiny image" "$repo/tests/images/build-tiny.sh" "$tiny"
for name in tiny tiny-kernel tiny-initrd; do
  for id in $(openstack image list --name "$name" -f value -c ID); do openstack image delete "$id"; done
done
check "upload tiny-kernel" openstack image create tiny-kernel --disk-format aki \
  --container-format aki --file "$tiny/tiny-kernel" --public
check "upload tiny-initrd" openstack image create tiny-initrd --disk-format ari \
  --container-format ari --file "$tiny/tiny-initrd" --public
kernel_id=$(openstack image show tiny-kernel -f value -c id)
ramdisk_id=$(openstack image show tiny-initrd -f value -c id)
check "upload tiny" openstack image create tiny --disk-format raw --container-format bare \
  --file "$tiny/tiny-disk.raw" --public --property kernel_id="$kernel_id" \
  --property ramdisk_id="$ramdisk_id"
openstack flavor show m1.tiny >/dev/null 2>&1 ||
  check "flavor m1.tiny" openstack flavor create m1.tiny --vcpus 1 --ram 128 --disk 1

# ---- 1. a network, a security group allowing ICMP, two VMs pinging each other ----
check "network create nc-net" openstack network create nc-net
net_id=$(openstack network show nc-net -f value -c id)
check "subnet create nc-sub 10.91.0.0/24" openstack subnet create nc-sub --network nc-net \
  --subnet-range 10.91.0.0/24
check "security group create nc-sg" openstack security group create nc-sg
# quota show asks compute-api and gureum-network (and skips the absent volume service).
check "quota show" openstack quota show -f json
grep -q '"cores"' "$E2E_DIR/out" && grep -q '"ports"' "$E2E_DIR/out" && grep -q '"secgroup-rules"' "$E2E_DIR/out" ||
  fail "quota show lacks compute or network quotas: $(cat "$E2E_DIR/out")"
icmp_rule=$(openstack security group rule create --ingress --protocol icmp nc-sg -f value -c id)
[ -n "$icmp_rule" ] || fail "security group rule create gave no id"
pass_count=$((pass_count + 1)); echo "ok: ICMP ingress rule $icmp_rule"
mkport() {  # name address
  openstack port create --network nc-net --fixed-ip "subnet=nc-sub,ip-address=$2" \
    --security-group nc-sg "$1"
}
check "port nc-p1 at 10.91.0.11" mkport nc-p1 10.91.0.11
check "port nc-p3 at 10.91.0.13" mkport nc-p3 10.91.0.13
pinger() {  # target -> a user_data file pinging it every second
  local f=$E2E_DIR/ping-$1.sh
  cat > "$f" <<SCRIPT
#!/bin/sh
while :; do
  if ping -c1 -W1 $1 >/dev/null 2>&1; then echo "PING-OK $1"; else echo "PING-FAIL $1"; fi
  sleep 1
done
SCRIPT
  echo "$f"
}
check "server nc-vm1 on nc-p1 (pings .12)" openstack server create --image tiny --flavor m1.tiny \
  --port nc-p1 --user-data "$(pinger 10.91.0.12)" --availability-zone "nova:$ctl" nc-vm1
# nc-vm2 asks for the network with a fixed IP instead: its port is made at build
# (AllocatePort) with the server's security group.
check "server nc-vm2 on nc-net at 10.91.0.12 (pings .11)" openstack server create --image tiny \
  --flavor m1.tiny --nic "net-id=$net_id,v4-fixed-ip=10.91.0.12" --security-group nc-sg \
  --user-data "$(pinger 10.91.0.11)" --availability-zone "nova:$ctl" nc-vm2
wait_until 240 "nc-vm1 ACTIVE" status_is nc-vm1 ACTIVE
wait_until 240 "nc-vm2 ACTIVE" status_is nc-vm2 ACTIVE
check "nc-vm1's addresses show 10.91.0.11 on nc-net" bash -c \
  "openstack server show nc-vm1 -f value -c addresses | grep -q 'nc-net.*10.91.0.11'"
# The agent (its main, with the installer's state_path) has dnsmasq drop root.
dnsmasq_users=$(ps -o user= -p "$(pgrep -d, -f -- "dhcp/$net_id/pid")" | sort -u | paste -sd' ' -) || true
check "nc-net's dnsmasq runs as nobody (it runs as: $dnsmasq_users)" test "$dnsmasq_users" = nobody
vm2_id=$(openstack server show nc-vm2 -f value -c id)
check "nc-vm2's port was made for it (device $vm2_id, nc-sg, ACTIVE)" bash -c \
  "openstack port list --device-id $vm2_id -f value -c 'Fixed IP Addresses' -c Status |
     grep -q '10.91.0.12.*ACTIVE' &&
   openstack port show \$(openstack port list --device-id $vm2_id -f value -c ID) \
     -f value -c security_group_ids | grep -q \$(openstack security group show nc-sg -f value -c id)"
check "nc-p1 is ACTIVE, bound to $ctl" bash -c \
  "[ \"\$(openstack port show nc-p1 -f value -c status)\" = ACTIVE ] &&
   openstack port show nc-p1 -f value -c binding_host_id | grep -qx '$ctl'"
tap1=tap$(openstack port show nc-p1 -f value -c id | cut -c1-11)
check "libvirt plugged $tap1 into brq${net_id:0:11}" bash -c \
  "[ \"\$(basename \"\$(readlink /sys/class/net/$tap1/master)\")\" = brq${net_id:0:11} ]"

console() { gureum_cli server console log "$@"; }
# The log is read whole before grep: a `grep -q` stopping early would break the client's pipe.
console_has() { local log; log=$(console "$1") && grep -q "$2" <<<"$log"; }
# The last `n` ping lines all say `word` (the guest prints one a second).
last_pings_are() {  # vm word n
  local log; log=$(console "$1") || return 1
  local lines; lines=$(grep -E '^PING-(OK|FAIL) ' <<<"$log" | tail -n "$3")
  [ "$(grep -c "^$2 " <<<"$lines")" = "$3" ]
}
wait_until 240 "nc-vm1 got 10.91.0.11 by DHCP" console_has nc-vm1 "GUREUM-IP 10.91.0.11"
wait_until 120 "nc-vm2 got 10.91.0.12 by DHCP" console_has nc-vm2 "GUREUM-IP 10.91.0.12"
wait_until 120 "nc-vm1 pings nc-vm2 (PING-OK 10.91.0.12)" last_pings_are nc-vm1 PING-OK 3
wait_until 120 "nc-vm2 pings nc-vm1 (PING-OK 10.91.0.11)" last_pings_are nc-vm2 PING-OK 3

check "delete the ICMP rule" openstack security group rule delete "$icmp_rule"
wait_until 90 "without the rule nc-vm1's pings fail (PING-FAIL)" last_pings_are nc-vm1 PING-FAIL 4
wait_until 90 "and nc-vm2's too" last_pings_are nc-vm2 PING-FAIL 4
icmp_rule=$(openstack security group rule create --ingress --protocol icmp nc-sg -f value -c id)
[ -n "$icmp_rule" ] || fail "security group rule create (again) gave no id"
pass_count=$((pass_count + 1)); echo "ok: ICMP rule added back ($icmp_rule)"
wait_until 90 "with the rule back nc-vm1 pings again (PING-OK)" last_pings_are nc-vm1 PING-OK 3
wait_until 90 "and nc-vm2 too" last_pings_are nc-vm2 PING-OK 3

# ---- 2. a second host added by hand: compute agent + network agent, VXLAN ----
service_password=$(awk -F' = ' '/^\[/{s=$0} s=="[service_auth]" && $1=="password"{print $2}' /etc/gureum/gureum.conf)
amqp_url=$(sed -n 's/^transport_url = //p' /etc/gureum/gureum.conf)
mkdir -p "$E2E_DIR/netns"
chmod 0755 "$E2E_DIR"
GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" up "$host2" "$host2_addr/24" "$host2_bridge" \
  > "$E2E_DIR/$host2-up.log" 2>&1 || { cat "$E2E_DIR/$host2-up.log"; fail "host $host2 did not come up"; }
host_up=1
mkdir -p "$E2E_DIR/$host2/instances" "$E2E_DIR/$host2/network"
cat > "$E2E_DIR/$host2/gureum.conf" <<CONF
[DEFAULT]
host = $host2
my_ip = $host2_addr
transport_url = $amqp_url
log_dir = $E2E_DIR/$host2
[compute]
connection_uri = qemu:///system
virt_type = qemu
instances_path = $E2E_DIR/$host2/instances
placement_grpc = $ip:18778
image_grpc = $ip:19292
network_grpc = $ip:19696
report_interval = 2
reserved_host_memory_mb = 0
memory_mb = 1024
vcpus = 4
[network_agent]
network_grpc = $ip:19696
local_ip = $host2_addr
state_path = $E2E_DIR/$host2/network
report_interval = 2
# DHCP and routers stay on the controller.
dhcp = false
l3 = false
[service_auth]
identity_grpc = $ip:15000
username = gureum
password = $service_password
project_name = service
CONF
GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" exec "$host2" /usr/local/bin/gureum-network-agent \
  --config-file "$E2E_DIR/$host2/gureum.conf" > "$E2E_DIR/$host2/network-agent.out" 2>&1 &
GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" exec "$host2" /usr/local/bin/gureum-compute-agent \
  --config-file "$E2E_DIR/$host2/gureum.conf" > "$E2E_DIR/$host2/compute-agent.out" 2>&1 &
wait_until 90 "host $host2 joins: its compute agent is up" host_is "$host2" "enabled up"
wait_until 90 "host $host2's network agent reports alive" agent_alive "$host2"
check "server nc-vm3 on $host2 on nc-p3 (pings nc-vm1 over VXLAN)" openstack server create \
  --image tiny --flavor m1.tiny --port nc-p3 --user-data "$(pinger 10.91.0.11)" \
  --availability-zone "nova:$host2" nc-vm3
wait_until 240 "nc-vm3 ACTIVE" status_is nc-vm3 ACTIVE
check "nc-vm3 runs on $host2" bash -c \
  "[ \"\$(openstack server show nc-vm3 -f value -c OS-EXT-SRV-ATTR:host)\" = $host2 ]"
vni=$(openstack network show nc-net -f value -c provider:segmentation_id)
in_host2() { GUREUM_NETNS_DIR=$E2E_DIR/netns "$netns" exec "$host2" "$@"; }
check "$host2 has brq${net_id:0:11} and vxlan-$vni" bash -c \
  "GUREUM_NETNS_DIR='$E2E_DIR/netns' '$netns' exec $host2 ip link show brq${net_id:0:11} &&
   GUREUM_NETNS_DIR='$E2E_DIR/netns' '$netns' exec $host2 ip link show vxlan-$vni"
wait_until 240 "nc-vm3 got 10.91.0.13 from the controller's DHCP over VXLAN" console_has nc-vm3 "GUREUM-IP 10.91.0.13"
wait_until 120 "nc-vm3 on $host2 pings nc-vm1 on $ctl over VXLAN" last_pings_are nc-vm3 PING-OK 3

# ---- 3. a router to an external flat network, a floating IP answering from outside ----
check "external flat network nc-ext on physnet extnet" openstack network create --external \
  --provider-network-type flat --provider-physical-network extnet nc-ext
check "its subnet 203.0.113.0/24 (gateway .1, the external namespace)" openstack subnet create \
  nc-ext-sub --network nc-ext --subnet-range 203.0.113.0/24 --gateway 203.0.113.1 --no-dhcp \
  --allocation-pool start=203.0.113.10,end=203.0.113.100
check "router nc-r" openstack router create nc-r
check "router gateway on nc-ext" openstack router set --external-gateway nc-ext nc-r
check "router interface on nc-sub" openstack router add subnet nc-r nc-sub
fip=$(openstack floating ip create nc-ext -f value -c floating_ip_address)
[ -n "$fip" ] || fail "floating ip create gave no address"
pass_count=$((pass_count + 1)); echo "ok: floating IP $fip"
check "floating IP $fip on nc-p1 (nc-vm1)" openstack floating ip set --port nc-p1 "$fip"
router_id=$(openstack router show nc-r -f value -c id)
# Nova shows an associated floating IP in the server's addresses, after the fixed one.
vm1_addresses=$(openstack server show nc-vm1 -f value -c addresses)
case "$vm1_addresses" in
  *"$fip"*) pass_count=$((pass_count + 1)); echo "ok: server show nc-vm1 lists $fip ($vm1_addresses)" ;;
  *) fail "server show nc-vm1 does not list the floating IP $fip: $vm1_addresses" ;;
esac
# iputils' ping when installed, else busybox's (busybox-static is in deploy/packages.txt).
if command -v ping >/dev/null; then ping_cmd=(ping); else ping_cmd=(busybox ping); fi
ext_ping() { ip netns exec "$ext_ns" "${ping_cmd[@]}" -c1 -W2 "$1"; }
wait_until 120 "nc-vm1 answers ping on $fip from the external namespace" ext_ping "$fip"
gw_ip=$(openstack router show nc-r -f json | python3 -c \
  'import json,sys; r=json.load(sys.stdin); g=r.get("external_gateway_info") or {}; print((g.get("external_fixed_ips") or [{}])[0].get("ip_address",""))')
[ -z "$gw_ip" ] || wait_until 60 "the router's gateway $gw_ip answers from outside" ext_ping "$gw_ip"

# ---- 4. everything deleted, nothing of ours left ----
check "floating ip delete" openstack floating ip delete "$fip"
check "router remove subnet" openstack router remove subnet nc-r nc-sub
check "router unset gateway" openstack router unset --external-gateway nc-r
check "router delete" openstack router delete nc-r
# Without --wait (the client polls each server in turn every 5 s).
check "server delete" openstack server delete nc-vm1 nc-vm2 nc-vm3
wait_until 60 "the three servers are gone" no_servers_left
check "nc-vm2's own port went with it" bash -c "[ -z \"\$(openstack port list --device-id $vm2_id -f value -c ID)\" ]"
check "the user's ports stay, unbound" bash -c \
  "[ \"\$(openstack port show nc-p1 -f value -c device_id)\" = '' ] &&
   [ \"\$(openstack port show nc-p3 -f value -c status)\" = DOWN ]"
check "ports delete" openstack port delete nc-p1 nc-p3
check "subnets and networks delete" bash -c \
  "openstack subnet delete nc-sub nc-ext-sub && openstack network delete nc-net nc-ext"
check "security group delete" openstack security group delete nc-sg
ours_left() {  # prints what is left of ours on the controller (root namespace) and host2
  local where
  for where in root "$host2"; do
    local run=()
    [ "$where" = root ] || run=(env GUREUM_NETNS_DIR="$E2E_DIR/netns" "$netns" exec "$host2")
    "${run[@]}" ip -o link show 2>/dev/null |
      awk -F': ' '{print $2}' | sed 's/@.*//' |
      grep -E "^(brq${net_id:0:11}|vxlan-$vni)\$" | sed "s/^/$where: link /" || true
    if [ "$where" = root ]; then
      # The external network's bridge holds $ext_if; it must have let it go.
      [ -z "$(ip -o link show "$ext_if" | grep -o 'master brq[0-9a-f-]*')" ] ||
        echo "root: $ext_if still in a bridge"
      ip netns list | awk '{print $1}' | grep -E "^(qdhcp-$net_id|qrouter-$router_id)\$" |
        sed 's/^/root: namespace /' || true
      pgrep -a dnsmasq | grep -F "$net_id" | sed 's/^/root: dnsmasq /' || true
    fi
    "${run[@]}" nft list tables 2>/dev/null | grep -E ' gureum$' | sed "s/^/$where: nft /" || true
  done
}
deadline=$(($(date +%s) + 60))
until [ -z "$(ours_left)" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    ours_left
    fail "60 s after the deletes, the above is still there"
  fi
  sleep 2
done
pass_count=$((pass_count + 1))
echo "ok: no bridge, VXLAN device, namespace, dnsmasq or gureum nftables table of ours is left"
echo "PASS: $pass_count checks"
