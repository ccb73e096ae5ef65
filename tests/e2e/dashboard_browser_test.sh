#!/usr/bin/env bash
# The dashboard in a real headless browser (issue 20): real gureum-identity, -image,
# -network, block storage (API + a volume agent, file backend), -compute-api + -scheduler,
# one compute agent booting real QEMU guests on qemu:///system (the tiny test image,
# tests/images/build-tiny.sh) and gureum-dashboard. dashboard_browser.py drives Debian's
# Chromium (chromium-driver + python3-selenium) as a project member: log in, upload an
# image, launch an instance from the wizard and see it turn ACTIVE without a reload, read
# the guest's boot output in its console log, create a volume, attach it and see it in-use
# without a reload, snapshot it and extend it while in-use, detach it, create a network and subnet, allocate and associate a
# floating IP, delete everything, log out;
# then the security checks (stolen cookie 401 after logout, no CSRF token 403, member on an
# admin API 403, cookie flags) and the admin's pages (hypervisor, compute services
# disabled and enabled, network agents, a flavor created and deleted, every project's
# instances, identity).
# Screenshots of each page go to $GUREUM_TEST_ARTIFACTS/dashboard (or
# build/test-artifacts/dashboard).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] ||
   ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
  echo "SKIP: chromium, chromium-driver or python3-selenium is not installed (deploy/packages.txt)"
  exit 77
fi
source "$here/lib.sh"
source "$here/image_lib.sh"
source "$here/block_storage_lib.sh"
source "$here/compute_lib.sh"
source "$here/network_lib.sh"
source "$here/object_storage_lib.sh"
source "$here/dashboard_lib.sh"
uri=${GUREUM_TEST_LIBVIRT_URI:-qemu:///system}
virsh -c "$uri" version >/dev/null 2>&1 || { echo "SKIP: no libvirtd at $uri"; exit 77; }
# A folder of our own: other e2e scripts sweep /tmp/gureum-e2e.* while we run.
rm -rf "$E2E_DIR"; E2E_DIR=$(mktemp -d /tmp/gureum-dashboard-e2e.XXXXXX)
trap 'remove_qemu_test_leftovers; drop_compute_databases; drop_block_storage_database; drop_network_database; drop_image_database; drop_identity_database; e2e_cleanup' EXIT
t_start=$(now_ms)
artifacts=${GUREUM_TEST_ARTIFACTS:-$GUREUM_BUILD_DIR/test-artifacts}/dashboard
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png

DASH_HYPERVISOR=qemu DASH_OBJECT_STORAGE=1 deploy_dashboard_cloud
t_browser=$(now_ms)

rc=0
DASH_URL="http://127.0.0.1:$dash_port" DASH_IDENTITY="http://127.0.0.1:$rest_port/v3" \
  DASH_NETWORK="http://127.0.0.1:$net_rest_port" DASH_HOST="$host" \
  DASH_OBJECT_STORE="http://127.0.0.1:$proxy_port/v1" \
  DASH_MEMBER_PASSWORD="$member_password" DASH_ADMIN_PASSWORD="$admin_password" \
  DASH_ARTIFACTS="$artifacts" DASH_WORK="$E2E_DIR" \
  timeout 400 /usr/bin/python3 "$here/dashboard_browser.py" || rc=$?
t_end=$(now_ms)
echo "dashboard_browser: deploy $(((t_browser - t_start) / 1000)) s, browser $(((t_end - t_browser) / 1000)) s; screenshots in $artifacts"
for pid in "${E2E_PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a service (pid $pid) is no longer running"; rc=1; }
done
[ "$rc" = 0 ] || fail "dashboard_browser: see above (exit $rc)"

# A session survives a restart of the dashboard ([dashboard] session_file): the new process
# starts with no session in memory, so a 200 comes from the sealed file.
login_cookie() {
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"user\": \"admin\", \"password\": \"$admin_password\"}" \
    "http://127.0.0.1:$dash_port/api/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(gureum_session=[^;]*\).*/\1/p'
}
cookie=$(login_cookie)
[ -n "$cookie" ] || fail "no session cookie from /api/login"
kill "$dash_pid"; wait "$dash_pid" 2>/dev/null || true
start_dashboard
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$dash_port/api/session")
[ "$status" = 200 ] || fail "the session after a dashboard restart: $status, not 200"
echo "ok: a session survives a dashboard restart (sealed session file)"
echo "dashboard_browser: all checks passed"
