# Helpers for end-to-end tests (sourced). They run the real binaries from the build tree
# against the throw-away PostgreSQL and RabbitMQ that ./tests/run.sh started, with the
# official OpenStack clients.
set -euo pipefail

# The set of throw-away servers this test was given (gureum_e2e_test's SERVICES):
# a is the run's own (GUREUM_TEST_* as tests/run.sh exported them), b the second set that
# tests/run.sh starts for the e2e tests (its folder in GUREUM_TEST_SERVICES_B).
if [ "${GUREUM_E2E_SERVICES:-a}" = b ]; then
  # shellcheck disable=SC1091
  source "${GUREUM_TEST_SERVICES_B:?set b: run through ./tests/run.sh}/env"
fi
: "${GUREUM_TEST_PG_URI:?run through ./tests/run.sh}"
: "${GUREUM_TEST_AMQP_URL:?run through ./tests/run.sh}"
E2E_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GUREUM_BUILD_DIR=${GUREUM_BUILD_DIR:-$E2E_REPO/build}

E2E_DIR=$(mktemp -d /tmp/gureum-e2e.XXXXXX)
E2E_PIDS=()
e2e_cleanup() {
  local pid
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # Volume exports are daemons (qemu-storage-daemon --daemonize): none outlives its test.
  # SIGKILL: a daemon whose client vanished with its namespace waits for it on SIGTERM.
  pkill -KILL -f -- "qemu-storage-daemon .*$E2E_DIR/" 2>/dev/null || true
  if [ "${E2E_KEEP:-0}" != 1 ]; then rm -rf "$E2E_DIR"; fi
}
trap e2e_cleanup EXIT

# fail MESSAGE: ends the test, with the last lines the test's processes wrote
# (E2E_DIR/*.stdout, *.log): a service that exited at start says why there.
fail() {
  echo "FAIL: $*" >&2
  local f
  for f in "$E2E_DIR"/*.stdout "$E2E_DIR"/*.log; do
    [ -s "$f" ] || continue
    echo "--- last lines of ${f##*/}" >&2
    tail -n 8 "$f" >&2
  done
  exit 1
}
pass_count=0
# passed DESCRIPTION START_MS: counts a check and prints it with the seconds it took, so a
# slow step shows in the log (start from now_ms).
now_ms() { date +%s%3N; }
passed() {
  local ms=$(($(now_ms) - $2))
  pass_count=$((pass_count + 1))
  printf 'ok: %s (%d.%d s)\n' "$1" $((ms / 1000)) $((ms % 1000 / 100))
}
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  local what=$1 t0; t0=$(now_ms); shift
  if "$@" >"$E2E_DIR/out" 2>"$E2E_DIR/err"; then
    passed "$what" "$t0"
  else
    echo "--- stdout"; cat "$E2E_DIR/out"; echo "--- stderr"; cat "$E2E_DIR/err"
    fail "$what"
  fi
}
check_fails() {  # check_fails DESCRIPTION COMMAND...: the command must fail
  local what=$1 t0; t0=$(now_ms); shift
  if "$@" >"$E2E_DIR/out" 2>"$E2E_DIR/err"; then
    cat "$E2E_DIR/out"; fail "$what (it succeeded)"
  fi
  passed "$what" "$t0"
}
# wait_until SECONDS DESCRIPTION COMMAND...: polls the command (every WAIT_POLL seconds,
# default 1) until it succeeds; fails after SECONDS. Counts as a check.
wait_until() {
  local seconds=$1 what=$2 t0; t0=$(now_ms); shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after ${seconds}s: $what"
    sleep "${WAIT_POLL:-1}"
  done
  passed "$what" "$t0"
}

# The gureum CLI (C++ over gRPC). A test checks the openstack client's behaviour with the
# openstack client; its set-up steps and the polls that wait for a state use this one: a
# call of the openstack client costs about 1.3 CPU-seconds on the 2-core machine (Python
# imports), so polling with it every second kept most of a core busy.
gureum_cli() { "$GUREUM_BUILD_DIR/cli/gureum" "$@"; }
# set_endpoints SERVICE URL: every endpoint of SERVICE (each interface) points at URL.
set_endpoints() {
  local id
  for id in $(gureum_cli endpoint list --service "$1" -f value -c ID); do
    gureum_cli endpoint set --url "$2" "$id" >/dev/null
  done
}

# Polls through it, shared by the compute tests:
# host_is HOST STATE: the host's compute agent is "enabled up", "disabled down", ...
host_is() {
  [ "$(gureum_cli compute service list -f value -c Host -c Binary -c Status -c State |
       awk -v h="$1" '$1 == h && $2 == "gureum-compute-agent" {print $3, $4}')" = "$2" ]
}
# status_is SERVER STATUS: the server's status (ACTIVE, SHUTOFF, ...).
status_is() { [ "$(gureum_cli server show "$1" -f value -c status)" = "$2" ]; }
# no_servers_left: the project has no server (any more).
no_servers_left() { [ -z "$(gureum_cli server list -f value -c ID)" ]; }

# shellcheck source=tests/lib/free_port.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/free_port.sh"

# The server part of the test URI (no database), for [database] connection.
pg_server_uri() { echo "${GUREUM_TEST_PG_URI%/*}"; }

# wait_http URL: polls until the URL answers (any status), up to 30 s.
wait_http() {
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.1
  done
  fail "nothing answers at $1"
}

# deploy_identity ADMIN_PASSWORD: a fresh gureum_identity database on the test server, a
# config file, db sync, bootstrap, and gureum-identity running on free ports. Sets
# rest_port, grpc_port and manage(); exports the admin's OS_* variables (the
# admin-openrc) and OS_IDENTITY_GRPC for the gureum CLI.
# legacy_admin_identity: OpenStack's legacy admin rule ([policy] legacy_admin: the admin role on
# any project is a cloud admin), which Tempest's dynamic credentials need; identity, started
# first by deploy_identity, is restarted to read it (the services started later read it too).
legacy_admin_identity() {
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[policy]
legacy_admin = true
CONF
  kill "${E2E_PIDS[0]}"; wait "${E2E_PIDS[0]}" 2>/dev/null || true
  "$GUREUM_BUILD_DIR/identity/gureum-identity" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/identity.stdout" 2>&1 &
  E2E_PIDS[0]=$!
  wait_http "http://127.0.0.1:$rest_port/v3"
}

deploy_identity() {
  local admin_password=$1
  local db=gureum_identity
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "CREATE DATABASE $db" 2>/dev/null
  rest_port=$(free_port)
  grpc_port=$(free_port)
  cat >"$E2E_DIR/gureum.conf" <<CONF
[DEFAULT]
transport_url = $GUREUM_TEST_AMQP_URL
log_dir = $E2E_DIR
[database]
connection = $(pg_server_uri)
[identity]
host = 127.0.0.1
rest_port = $rest_port
grpc_port = $grpc_port
public_host = 127.0.0.1
key_repository = $E2E_DIR/keys
CONF
  manage() { "$GUREUM_BUILD_DIR/cli/gureum-manage" --config-file "$E2E_DIR/gureum.conf" "$@"; }
  check "db sync" manage db sync identity
  check "bootstrap" manage identity bootstrap --admin-password "$admin_password" \
    --identity-url "http://127.0.0.1:$rest_port/v3"
  "$GUREUM_BUILD_DIR/identity/gureum-identity" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/identity.stdout" 2>&1 &
  E2E_PIDS+=($!)
  wait_http "http://127.0.0.1:$rest_port/v3"
  export OS_AUTH_URL="http://127.0.0.1:$rest_port/v3" OS_IDENTITY_API_VERSION=3
  export OS_USERNAME=admin OS_PASSWORD="$admin_password" OS_PROJECT_NAME=admin
  export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=RegionOne
  export OS_IDENTITY_GRPC="127.0.0.1:$grpc_port"
}

drop_identity_database() {
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_identity WITH (FORCE)" || true
}

# The host's own PostgreSQL clusters, RabbitMQ node, libvirtd and virtlogd, which
# ./deploy/allinone.sh starts when they are not running (and libvirtd again when it
# rewrites libvirtd.conf: on a fresh machine it replaces the libvirtd that
# tests/lib/libvirt.sh started). A test that runs the installer notes which were up
# before (e2e_note_host_daemons) and stops the others when it ends
# (e2e_stop_host_daemons), so ./tests/run.sh leaves a machine's daemons as it found them.
host_pg_online() { pg_lsclusters -h 2>/dev/null | awk '$4 == "online" {print $1 "/" $2}'; }
host_rabbit_up() { timeout 20 rabbitmqctl -q status >/dev/null 2>&1; }
# host_libvirt_pids NAME: pids of NAME (libvirtd, virtlogd) in this network namespace;
# the test hosts in namespaces (tests/lib/netns_host.sh) run their own.
host_libvirt_pids() {
  local me pid; me=$(readlink /proc/self/ns/net)
  for pid in $(pgrep -x "$1"); do
    [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$me" ] || echo "$pid"
  done
}
e2e_note_host_daemons() {
  E2E_PG_BEFORE=$(host_pg_online | tr '\n' ' ')
  E2E_RABBIT_BEFORE=0
  if host_rabbit_up; then E2E_RABBIT_BEFORE=1; fi
  E2E_LIBVIRT_BEFORE=" $(host_libvirt_pids libvirtd | tr '\n' ' ') $(host_libvirt_pids virtlogd | tr '\n' ' ') "
  E2E_HOST_NOTED=1
}
e2e_stop_host_daemons() {
  [ "${E2E_HOST_NOTED:-0}" = 1 ] && [ "${E2E_KEEP:-0}" != 1 ] || return 0
  local c pid name
  for c in $(host_pg_online); do
    case " $E2E_PG_BEFORE " in *" $c "*) ;; *) pg_ctlcluster "${c%/*}" "${c#*/}" stop || true ;; esac
  done
  if [ "$E2E_RABBIT_BEFORE" = 0 ] && host_rabbit_up; then
    timeout 60 rabbitmqctl -q stop >/dev/null 2>&1 || true
  fi
  for name in libvirtd virtlogd; do  # libvirtd first: it logs through virtlogd
    for pid in $(host_libvirt_pids "$name"); do
      case "$E2E_LIBVIRT_BEFORE" in *" $pid "*) continue ;; esac
      kill "$pid" 2>/dev/null || continue
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
  done
}

# run_allinone ANSWERS LOG: ./deploy/allinone.sh (the installer tests') with that answer
# file and two build jobs; its output goes to E2E_DIR/LOG, and its last 60 lines to
# stdout when it fails.
run_allinone() {
  GUREUM_ANSWERS=$1 GUREUM_JOBS=2 "$E2E_REPO/deploy/allinone.sh" >"$E2E_DIR/$2" 2>&1 ||
    { tail -n 60 "$E2E_DIR/$2"; return 1; }
}

# e2e_dump_cloud LOG...: for a test's exit trap after a failure, before it takes its cloud
# down, so that a red CI run says why. Servers first (with the fault of any that is not
# ACTIVE), then compute services, network agents and ports, then the warnings and last
# lines of each LOG that exists. Needs the admin's OS_* variables.
e2e_dump_cloud() {
  echo "=== the cloud at the failure"
  openstack server list --all-projects --long -f value -c ID -c Name -c Status \
    -c "Task State" -c Host 2>&1 | head -n 20 || true
  local id
  for id in $(openstack server list --all-projects -f value -c ID -c Status 2>/dev/null |
      awk '$2 != "ACTIVE" {print $1}' | head -n 6); do
    openstack server show "$id" -f value -c name -c status -c fault 2>&1 | head -n 5 || true
  done
  openstack compute service list -f value 2>&1 | head -n 10 || true
  openstack network agent list -f value -c Host -c "Agent Type" -c Alive 2>&1 | head -n 10 || true
  openstack port list -f value -c ID -c Status -c "Fixed IP Addresses" 2>&1 | head -n 20 || true
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "=== $f (warnings and errors, last 15)"
    grep -E ' (WARN|ERROR|CRITICAL) ' "$f" | tail -n 15 || true
    echo "=== $f (last 10 lines)"
    tail -n 10 "$f"
  done
}
