#!/usr/bin/env bash
# The dashboard's benchmark (issue 20): the instances page of a project with COUNT
# instances (default 1000, on one simulated host) renders its first rows in how many ms
# (navigation to table, in headless Chromium), and what the proxied list call costs.
# Not a ctest test: a benchmark prints, it does not assert.
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   GUREUM_BUILD_DIR=build bash tests/e2e/dashboard_bench_run.sh [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${1:-1000}
source "$here/lib.sh"
source "$here/image_lib.sh"
source "$here/block_storage_lib.sh"
source "$here/compute_lib.sh"
source "$here/network_lib.sh"
source "$here/dashboard_lib.sh"
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-dashboard-bench.XXXXXX)
trap 'drop_compute_databases; drop_block_storage_database; drop_network_database; drop_image_database; drop_identity_database; e2e_cleanup' EXIT

# Room for COUNT one-vCPU instances, whatever the allocation ratios.
deploy_dashboard_cloud "vcpus = $count" "memory_mb = $((count * 4 + 4096))" "disk_gb = $((count + 100))"
check "flavor m1.nano" openstack flavor create m1.nano --vcpus 1 --ram 1 --disk 0
check "demo may run $count instances" openstack quota set --instances "$count" \
  --cores "$count" --ram $((count * 2)) demo
head -c 1024 /dev/urandom >"$E2E_DIR/nano.raw"
check "image nano" openstack image create nano --disk-format raw --container-format bare \
  --file "$E2E_DIR/nano.raw" --public

export OS_USERNAME=alice OS_PASSWORD=$member_password OS_PROJECT_NAME=demo
t0=$(now_ms)
check "boot $count instances in one request" openstack server create bench --image nano \
  --flavor m1.nano --min "$count" --max "$count"
token=$(openstack token issue -f value -c id)
active() {  # every instance is ACTIVE (pages of up to 1000 through the marker)
  local n=0 marker="" page
  while :; do
    page=$(curl -sf -H "X-Auth-Token: $token" \
      "http://127.0.0.1:$capi_rest_port/v2.1/servers?status=ACTIVE&limit=1000${marker:+&marker=$marker}" |
      /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin)["servers"]; print(len(s), s[-1]["id"] if s else "")')
    n=$((n + ${page% *})); marker=${page#* }
    [ "${page% *}" = 1000 ] || break
  done
  [ "$n" -ge "$count" ]
}
WAIT_POLL=5 wait_until 1800 "$count instances ACTIVE" active
echo "measure: $count instances ACTIVE in $((($(now_ms) - t0) / 1000)) s"

DASH_URL="http://127.0.0.1:$dash_port" DASH_MEMBER_PASSWORD="$member_password" \
  DASH_COUNT="$count" timeout 300 /usr/bin/python3 "$here/dashboard_bench.py"
