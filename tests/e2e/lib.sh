# Helpers for end-to-end tests (sourced). They run the real binaries from the build tree
# against the throw-away PostgreSQL and RabbitMQ that ./tests/run.sh started, with the
# official OpenStack clients.
set -euo pipefail

: "${GUREUM_TEST_PG_URI:?run through ./tests/run.sh}"
: "${GUREUM_TEST_AMQP_URL:?run through ./tests/run.sh}"
GUREUM_BUILD_DIR=${GUREUM_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}

E2E_DIR=$(mktemp -d /tmp/gureum-e2e.XXXXXX)
E2E_PIDS=()
e2e_cleanup() {
  local pid
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${E2E_KEEP:-0}" != 1 ]; then rm -rf "$E2E_DIR"; fi
}
trap e2e_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass_count=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  local what=$1; shift
  if "$@" >"$E2E_DIR/out" 2>"$E2E_DIR/err"; then
    pass_count=$((pass_count + 1)); echo "ok: $what"
  else
    echo "--- stdout"; cat "$E2E_DIR/out"; echo "--- stderr"; cat "$E2E_DIR/err"
    fail "$what"
  fi
}
check_fails() {  # check_fails DESCRIPTION COMMAND...: the command must fail
  local what=$1; shift
  if "$@" >"$E2E_DIR/out" 2>"$E2E_DIR/err"; then
    cat "$E2E_DIR/out"; fail "$what (it succeeded)"
  fi
  pass_count=$((pass_count + 1)); echo "ok: $what"
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
  done
}

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
