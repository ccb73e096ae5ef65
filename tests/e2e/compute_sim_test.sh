#!/usr/bin/env bash
# The compute control plane against simulated hosts (issue 5): real gureum-identity,
# gureum-image, gureum-scheduler, gureum-compute-api and twenty gureum-compute-agent
# processes on libvirt's test:///default driver, over the test PostgreSQL and RabbitMQ,
# driven by the official openstack CLI and by concurrent REST requests (nova_load.py).
#
#   - 200 creates at once over 20 hosts all reach ACTIVE; no provider exceeds its
#     inventory x allocation ratio; after deleting them all no allocation is left
#   - an anti-affinity group spreads over distinct hosts
#   - a disabled service is skipped; a killed agent goes down and is no longer chosen
#   - a host whose builds fail: the build is rescheduled to an alternate
#   - no valid host: ERROR with a readable fault
#   - a user of project A never sees project B's servers
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/image_lib.sh"
source "$here/compute_lib.sh"
trap 'drop_compute_databases; drop_image_database; drop_identity_database; e2e_cleanup' EXIT

admin_password='Sim!admin1'
deploy_identity "$admin_password"
deploy_image
deploy_compute_controller "$admin_password"

# ---- twenty simulated hosts (4 vCPUs x 4.0, 2.5 GiB x 1.0, 40 GiB each) ----
for i in $(seq -w 1 20); do start_sim_agent "sim$i"; done
all_up() { [ "$(gureum_cli compute service list -f value -c State | grep -c up)" -ge 20 ]; }
wait_until 60 "twenty simulated hosts report up" all_up

head -c 1048576 /dev/urandom > "$E2E_DIR/disk.raw"
check "image" openstack image create simimg --disk-format raw --container-format bare \
  --file "$E2E_DIR/disk.raw" --public
check "flavor" openstack flavor create sim.small --vcpus 1 --ram 256 --disk 1
check "quota for 200 servers" openstack quota set --instances 400 --cores 400 --ram 409600 admin

# ---- 200 at once: 20 hosts x 10 fit exactly (2560 MiB / 256 MiB) ----
check "200 concurrent creates all ACTIVE" python3 "$here/nova_load.py" create 200 \
  --flavor sim.small --image simimg --prefix load --timeout 300
cat "$E2E_DIR/out"
check "no provider is overcommitted" python3 "$here/nova_load.py" check-placement
check "every host holds exactly 10" bash -c \
  "[ \"\$(openstack server list --long --limit -1 --name '^load-' -f value -c Host | awk '{print \$1}' | sort | uniq -c | awk '{print \$1}' | sort -u)\" = 10 ]"
openstack server create --image simimg --flavor sim.small --wait one-too-many \
  >/dev/null 2>&1 || true
check_fails "one-too-many is not ACTIVE" bash -c \
  "[ \"\$(openstack server show one-too-many -f value -c status)\" = ACTIVE ]"
check "its fault says no valid host" bash -c \
  "openstack server show one-too-many -f json | grep -q 'No valid host'"
check "delete all 201" python3 "$here/nova_load.py" delete-all --prefix '' --timeout 300
zero_usage() {
  python3 "$here/nova_load.py" usage-total |
    python3 -c 'import json, sys; sys.exit(1 if any(json.load(sys.stdin).values()) else 0)'
}
wait_until 30 "no allocation left after deleting them all" zero_usage

# ---- anti-affinity ----
check "anti-affinity group" openstack server group create --policy anti-affinity apart
group=$(openstack server group show apart -f value -c id)
for i in 1 2 3 4 5; do
  check "create apart-$i" openstack server create --image simimg --flavor sim.small \
    --hint group="$group" --wait "apart-$i"
done
check "the five are on five hosts" bash -c \
  "[ \"\$(openstack server list --long --name '^apart-' -f value -c Host | awk '{print \$1}' | sort -u | wc -l)\" = 5 ]"

# ---- a disabled service is skipped; a killed agent goes down and is skipped ----
check "disable sim01" openstack compute service set --disable --disable-reason maintenance \
  sim01 gureum-compute-agent
stop_sim_agent sim02
wait_until 30 "sim02 is down after its agent was killed" host_is sim02 "enabled down"
for i in $(seq 1 12); do
  openstack server create --image simimg --flavor sim.small "skip-$i" -f value -c id >/dev/null
done
skip_done() { ! gureum_cli server list --name '^skip-' -f value -c Status | grep -q BUILD; }
wait_until 60 "twelve more servers built" skip_done
check "none went to sim01 (disabled) or sim02 (down)" bash -c \
  "! openstack server list --long --name '^skip-' -f value -c Host | awk '{print \$1}' | grep -qE '^sim0[12]$'"

# ---- a failing host: the build is rescheduled to an alternate ----
start_sim_agent simbad "image_grpc = 127.0.0.1:1"
wait_until 30 "simbad is up" host_is simbad "enabled up"
# Zone "rz" holds simbad (empty, so the RAM weigher puts it first) and a host that already
# runs a server: the build fails on simbad (its image service address is dead) and is
# rescheduled to the other.
partner=$(openstack server list --long --name '^skip-' -f value -c Host | awk 'NR == 1 {print $1}')
check "aggregate with zone rz" openstack aggregate create --zone rz resched
check "simbad in rz" openstack aggregate add host resched simbad
check "$partner in rz" openstack aggregate add host resched "$partner"
check "a build that simbad fails is rescheduled" openstack server create --image simimg \
  --flavor sim.small --availability-zone rz --wait resched-2
check "resched-2 is ACTIVE on $partner" bash -c \
  "[ \"\$(openstack server show resched-2 -f value -c status)\" = ACTIVE ] && [ \"\$(openstack server show resched-2 -f value -c OS-EXT-SRV-ATTR:host)\" = '$partner' ]"
check "simbad tried first" grep -q "$(openstack server show resched-2 -f value -c id)" \
  "$E2E_DIR/hosts/simbad/compute-agent.log"

# ---- project isolation ----
check "project B" openstack project create --domain Default projb
check "user of B" openstack user create --domain Default --password 'B!pass12' userb
check "member of B" openstack role add --project projb --user userb member
(
  export OS_USERNAME=userb OS_PASSWORD='B!pass12' OS_PROJECT_NAME=projb
  check "B lists no servers of A" bash -c "[ -z \"\$(openstack server list -f value -c ID)\" ]"
  id=$(OS_USERNAME=admin OS_PASSWORD="$admin_password" OS_PROJECT_NAME=admin \
    openstack server show resched-2 -f value -c id)
  check_fails "B cannot show A's server" openstack server show "$id"
  check_fails "B cannot delete A's server" openstack server delete "$id"
)
echo "PASS: $pass_count checks"
