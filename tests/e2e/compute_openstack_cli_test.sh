#!/bin/bash
# The official openstack CLI (python3-openstackclient 6.0) against gureum-identity and
# gureum-compute-api: flavors (+properties, private access), keypairs (generate and
# import), server groups, quotas, availability zones, aggregates, compute services and
# hypervisors, limits, and the gureum CLI's flavor/keypair commands over gRPC. Booting a
# server needs image, scheduler and agent as well: compute_boot_test.sh (coordinator).
source "$(dirname "$0")/lib.sh"
# A folder of our own: other e2e scripts sweep /tmp/gureum-e2e.* while we run.
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-compute-e2e.XXXXXX)

deploy_identity 'S3cret!admin'
cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = compute-e2e
password = compute-e2e-pw
project_name = service
CONF
check "bootstrap the service user" manage identity bootstrap --admin-password 'S3cret!admin' \
  --identity-url "http://127.0.0.1:$rest_port/v3"

psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_compute WITH (FORCE)" \
  -c "CREATE DATABASE gureum_compute" 2>/dev/null
compute_rest=$(free_port)
compute_grpc=$(free_port)
cat >>"$E2E_DIR/gureum.conf" <<CONF
[compute]
host = 127.0.0.1
rest_port = $compute_rest
grpc_port = $compute_grpc
CONF
check "db sync compute" manage db sync compute
"$GUREUM_BUILD_DIR/compute/api/gureum-compute-api" --config-file "$E2E_DIR/gureum.conf" \
  >"$E2E_DIR/compute.stdout" 2>&1 &
E2E_PIDS+=($!)
wait_http "http://127.0.0.1:$compute_rest/"
check "point the compute endpoints at the test port" \
  set_endpoints compute "http://127.0.0.1:$compute_rest/v2.1"
export OS_COMPUTE_GRPC="127.0.0.1:$compute_grpc"
value() { tr -d '\n' <"$E2E_DIR/out"; }

check "versions" curl -sf "http://127.0.0.1:$compute_rest/"
grep -q '"min_version": *"2.1"' "$E2E_DIR/out" || grep -q '"min_version":"2.1"' "$E2E_DIR/out" || fail "discovery"

check "flavor create" openstack flavor create m1.tiny --ram 512 --vcpus 1 --disk 1 --id 1
check "flavor create private" openstack flavor create --private m1.secret --ram 1024 --vcpus 2 --disk 5
check "flavor set --property" openstack flavor set --property hw:cpu_policy=shared m1.tiny
check "flavor show" openstack flavor show m1.tiny -f value -c properties
grep -q "hw:cpu_policy" "$E2E_DIR/out" || fail "flavor property not shown: $(value)"
check "flavor list" openstack flavor list -f value -c Name
grep -qx m1.tiny "$E2E_DIR/out" || fail "flavor list lacks m1.tiny"
check "flavor list --all" openstack flavor list --all -f value -c Name
grep -qx m1.secret "$E2E_DIR/out" || fail "flavor list --all lacks the private flavor"
check "flavor access" openstack flavor set --project admin m1.secret
check "flavor unset --property" openstack flavor unset --property hw:cpu_policy m1.tiny
check_fails "duplicate flavor refused" openstack flavor create m1.tiny --ram 512 --vcpus 1 --disk 1

check "keypair create (generate)" openstack keypair create k1
grep -q "BEGIN OPENSSH PRIVATE KEY" "$E2E_DIR/out" || fail "no private key printed"
cp "$E2E_DIR/out" "$E2E_DIR/k1.pem"; chmod 600 "$E2E_DIR/k1.pem"
check "the generated key is a valid OpenSSH key" ssh-keygen -y -f "$E2E_DIR/k1.pem"
ssh-keygen -q -t ed25519 -N '' -f "$E2E_DIR/id_test"
check "keypair create --public-key" openstack keypair create --public-key "$E2E_DIR/id_test.pub" k2
check "keypair show" openstack keypair show k2 -f value -c fingerprint
expected=$(ssh-keygen -l -E md5 -f "$E2E_DIR/id_test.pub" | awk '{print $2}' | sed 's/^MD5://')
[ "$(value)" = "$expected" ] || fail "fingerprint $(value) != $expected"
check "keypair list" openstack keypair list -f value -c Name
grep -qx k1 "$E2E_DIR/out" && grep -qx k2 "$E2E_DIR/out" || fail "keypair list"
check "keypair delete" openstack keypair delete k1

check "server group create" openstack server group create --policy anti-affinity spread
check "server group list" openstack server group list -f value -c Name
grep -qx spread "$E2E_DIR/out" || fail "server group list"
check "server group delete" openstack server group delete spread

check "quota set" openstack quota set --cores 40 --instances 12 admin
# (quota show also asks the volume and network services, which are not running here.)
check "quota list --compute" openstack quota list --compute --project admin -f json
grep -q '"Cores": 40' "$E2E_DIR/out" || fail "quota list: $(value)"
check "quota list --compute --detail" openstack quota list --compute --detail --project admin -f value
check "limits (compute)" curl -sf -H "X-Auth-Token: $(openstack token issue -f value -c id)" \
  "http://127.0.0.1:$compute_rest/v2.1/limits"
grep -q '"maxTotalCores":40' "$E2E_DIR/out" || fail "limits: $(value)"

check "aggregate create" openstack aggregate create --zone az1 rack1
check "aggregate set --property" openstack aggregate set --property ssd=true rack1
check "aggregate show" openstack aggregate show rack1 -f value -c properties
grep -q "ssd" "$E2E_DIR/out" || fail "aggregate properties: $(value)"
check "aggregate list" openstack aggregate list -f value -c Name
check "availability zone list" openstack availability zone list --compute -f value -c "Zone Name"
grep -qx nova "$E2E_DIR/out" || fail "zone list: $(value)"
check "aggregate delete" openstack aggregate delete rack1

check "compute service list" openstack compute service list -f value
check "hypervisor list" openstack hypervisor list -f value

check "gureum flavor list" "$GUREUM_BUILD_DIR/cli/gureum" flavor list -f value -c Name
grep -qx m1.tiny "$E2E_DIR/out" || fail "gureum flavor list"
check "gureum keypair list" "$GUREUM_BUILD_DIR/cli/gureum" keypair list -f value -c Name
grep -qx k2 "$E2E_DIR/out" || fail "gureum keypair list"
check "gureum compute service list" "$GUREUM_BUILD_DIR/cli/gureum" compute service list
check "flavor delete" openstack flavor delete m1.tiny
echo "compute_openstack_cli: $pass_count checks passed"
