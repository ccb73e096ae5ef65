#!/usr/bin/env bash
# End to end: the Debian python3-openstackclient against a running gureum-network (real
# binary, real identity, PostgreSQL and RabbitMQ): network/subnet/port create, list, show
# with filters, security group rule create/delete, router create / add subnet / set
# --external-gateway, floating ip create/set --port/unset/delete, quota list, the 4xx
# answers of bad input, and another project seeing nothing.
source "$(dirname "$0")/../../../tests/e2e/lib.sh"
source "$(dirname "$0")/../../../tests/e2e/network_lib.sh"

deploy_identity 'S3cret!admin'
deploy_network
check "point the network endpoints at the test port" \
  set_endpoints network "http://127.0.0.1:$net_rest_port"
export OS_NETWORK_GRPC="127.0.0.1:$net_grpc_port"
value() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$E2E_DIR/out" "$1"; }

check "extension list" openstack extension list --network -f value -c Alias
for a in router external-net security-group quotas binding port-security; do
  grep -qx "$a" "$E2E_DIR/out" || fail "extension list lacks $a"
done
check "network create" openstack network create private -f json
net_id=$(value id)
[ "$(value mtu)" = 1450 ] || fail "a VXLAN network's MTU is 1450"
check "subnet create" openstack subnet create --network private --subnet-range 10.0.0.0/24 \
  --dns-nameserver 192.0.2.53 private-subnet -f json
subnet_id=$(value id)
[ "$(value gateway_ip)" = 10.0.0.1 ] || fail "default gateway"
check "network list" openstack network list -f value -c Name
grep -qx private "$E2E_DIR/out" || fail "network list lacks private"
check "network show by name" openstack network show private -f json
check "port create" openstack port create --network private vm-port -f json
port_id=$(value id)
grep -q '10.0.0.' "$E2E_DIR/out" || fail "the port has no 10.0.0.x address"
check "port create with a fixed ip" openstack port create --network private \
  --fixed-ip subnet=private-subnet,ip-address=10.0.0.50 fixed-port -f json
check_fails "the same ip again is refused" openstack port create --network private \
  --fixed-ip subnet=private-subnet,ip-address=10.0.0.50 dup-port
grep -q "already allocated" "$E2E_DIR/err" || fail "409 message: $(cat "$E2E_DIR/err")"
check_fails "an address outside the subnet is refused" openstack port create --network private \
  --fixed-ip subnet=private-subnet,ip-address=10.9.9.9 bad-port
check "port list --fixed-ip" openstack port list --fixed-ip ip-address=10.0.0.50 -f value -c Name
grep -qx fixed-port "$E2E_DIR/out" || fail "filter by fixed ip"
check "port list --network" openstack port list --network private -f value -c ID
[ "$(wc -l <"$E2E_DIR/out")" -ge 2 ] || fail "port list --network"
check_fails "bad CIDR refused" openstack subnet create --network private --subnet-range 10.1.0.5/24 bad
check_fails "network in use refused" openstack network delete private

check "security group create" openstack security group create web -f json
check "security group rule create" openstack security group rule create --protocol tcp \
  --dst-port 22 --ingress web -f json
rule_id=$(value id)
check "security group rule create icmp" openstack security group rule create --protocol icmp web
check_fails "duplicate rule refused" openstack security group rule create --protocol tcp --dst-port 22 web
check "security group rule list" openstack security group rule list web -f value -c ID
grep -qx "$rule_id" "$E2E_DIR/out" || fail "rule list lacks the rule"
check "security group rule delete" openstack security group rule delete "$rule_id"
check "port set --security-group" openstack port set --security-group web vm-port
check "security group list" openstack security group list -f value -c Name
grep -qx default "$E2E_DIR/out" || fail "no default group"

check "external network create" openstack network create --external public -f json
check "external subnet create" openstack subnet create --network public --subnet-range 203.0.113.0/24 \
  --no-dhcp public-subnet
check "router create" openstack router create r1 -f json
check "router add subnet" openstack router add subnet r1 private-subnet
check "router set --external-gateway" openstack router set --external-gateway public r1
check "router show" openstack router show r1 -f json
grep -q '"network_id": "' "$E2E_DIR/out" || fail "router has no gateway: $(cat "$E2E_DIR/out")"
check "floating ip create" openstack floating ip create public -f json
fip=$(value floating_ip_address)
check "floating ip set --port" openstack floating ip set --port vm-port "$fip"
check "floating ip show" openstack floating ip show "$fip" -f json
[ "$(value port_id)" = "$port_id" ] || fail "floating ip not associated"
check "floating ip unset --port" openstack floating ip unset --port "$fip"
check "floating ip delete" openstack floating ip delete "$fip"
# (openstack quota show needs a compute endpoint in OSC 6.0; quota list --network does not.)
check "quota list --network --detail" openstack quota list --network --detail --project admin -f json
python3 - "$E2E_DIR/out" <<'PY' || fail "quota details: $(cat "$E2E_DIR/out")"
import json, sys
rows = {r["Resource"]: r for r in json.load(open(sys.argv[1]))}
assert rows["ports"]["Limit"] == 500 and rows["ports"]["In Use"] >= 2, rows
assert rows["networks"]["In Use"] == 2, rows
PY
check "quota list --network" openstack quota list --network -f json
check "network agent list" openstack network agent list

# The gureum CLI over gRPC.
gureum() { "$GUREUM_BUILD_DIR/cli/gureum" "$@"; }
check "gureum network create" gureum network create cli-net -f json
check "gureum subnet create" gureum subnet create cli-sub --network cli-net --subnet-range 10.50.0.0/24
check "gureum network list" gureum network list -f value -c Name
grep -qx cli-net "$E2E_DIR/out" || fail "gureum network list lacks cli-net"
check "gureum port create" gureum port create cli-port --network cli-net --fixed-ip ip-address=10.50.0.77 -f json
grep -q 10.50.0.77 "$E2E_DIR/out" || fail "gureum port create: $(cat "$E2E_DIR/out")"
check_fails "gureum port create with a taken ip" gureum port create cli-port2 --network cli-net \
  --fixed-ip ip-address=10.50.0.77
grep -q "already allocated" "$E2E_DIR/err" || fail "gureum 409 message: $(cat "$E2E_DIR/err")"
check "gureum port list" gureum port list --network cli-net -f value -c Name
grep -qx cli-port "$E2E_DIR/out" || fail "gureum port list"
check "gureum port show" gureum port show cli-port -f json
check "gureum security group create" gureum security group create cli-sg
check "gureum security group rule create" gureum security group rule create cli-sg --protocol tcp --dst-port 80
check "gureum security group show" gureum security group show cli-sg -f json
grep -q "ingress IPv4 tcp 80:80" "$E2E_DIR/out" || fail "gureum rule not shown: $(cat "$E2E_DIR/out")"
check "gureum router create" gureum router create cli-r
check "gureum router add subnet" gureum router add subnet cli-r cli-sub
check "gureum router set --external-gateway" gureum router set cli-r --external-gateway public
check "gureum floating ip create" gureum floating ip create public --port cli-port -f json
cli_fip=$(value id)
check "gureum floating ip delete" gureum floating ip delete "$cli_fip"
check "gureum router remove subnet" gureum router remove subnet cli-r cli-sub
check "gureum router delete" gureum router delete cli-r
check "gureum port delete" gureum port delete cli-port
check "gureum subnet delete" gureum subnet delete cli-sub
check "gureum network delete" gureum network delete cli-net
check "gureum security group delete" gureum security group delete cli-sg

# Another project sees none of it.
check "project create" openstack project create other
check "user create" openstack user create bob --password bob-pw --project other
check "role add" openstack role add --user bob --project other member
bob() { env OS_USERNAME=bob OS_PASSWORD=bob-pw OS_PROJECT_NAME=other openstack "$@"; }
check_fails "bob cannot see private" bob network show "$net_id"
check "bob's network list" bob network list -f value -c Name
grep -qx private "$E2E_DIR/out" && fail "bob sees project admin's network"
grep -qx public "$E2E_DIR/out" || fail "bob should see the external network"
check_fails "bob cannot create a port on private" bob port create --network "$net_id" p

check "router remove subnet" openstack router remove subnet r1 private-subnet
check "router unset gateway" openstack router unset --external-gateway r1
check "router delete" openstack router delete r1
check "port delete" openstack port delete vm-port fixed-port
check "subnet delete" openstack subnet delete private-subnet
check "network delete" openstack network delete private public
echo "PASS ($pass_count checks)"
