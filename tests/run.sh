#!/usr/bin/env bash
# The one test command. On a fresh Debian 12 machine (as root) it:
#   1. installs the Debian packages in deploy/packages.txt that are missing, and fails at
#      once if a C++ file is not as clang-format makes it (tests/check-format.sh) or a
#      production function is over 80 lines without a reason (tests/check-function-length.py)
#      or a test case's name holds ';' (tests/check-test-names.sh: ctest would run nothing),
#   2. configures and builds everything in build/ (Ninja, Release, ccache),
#   3. starts a throw-away PostgreSQL cluster and RabbitMQ node on free loopback ports
#      (and, while the first tests run, a second pair for the end-to-end tests),
#   4. runs ctest: unit tests in parallel, then integration tests one at a time (some
#      restart the broker, which must not pull the rug from under another test), then
#      the end-to-end tests (real binaries driven by the official OpenStack clients),
#      three at a time,
#   5. stops everything it started, and exits non-zero if anything failed.
#
#   ./tests/run.sh                 everything
#   ./tests/run.sh -R common_amqp  only tests matching a ctest regex (and no fuzzing)
#   GUREUM_BUILD_DIR=...           another build tree (default: build/)
#   GUREUM_FUZZ_SECONDS=N          how long each libFuzzer target runs (default 30)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${GUREUM_BUILD_DIR:-$top/build}
filter=()
if [ "${1:-}" = "-R" ] && [ -n "${2:-}" ]; then filter=(-R "$2"); fi

step() { printf '\n== %s ==\n' "$*"; }
start_time=$(date +%s)

step "packages"
"$top/deploy/install-deps.sh"

step "format"
# Every C++ file as the project's .clang-format makes it (tests/check-format.sh).
"$top/tests/check-format.sh"
# No production function over 80 lines without a reason written beside it (issue 17).
python3 "$top/tests/check-function-length.py"
# No Catch2 test case name with ';': ctest cuts it there and runs nothing, silently.
"$top/tests/check-test-names.sh"

step "build ($build)"
jobs=$(nproc)
# Paths relative to the checkout in ccache's keys: another clone reuses the same cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$top}
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DGUREUM_BUILD_TESTS=ON -DGUREUM_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j "$jobs"
echo "built in $(($(date +%s) - start_time)) s"

step "servers"
run_dir=$(mktemp -d /tmp/gureum-tests.XXXXXX)
set_b_pid=""
cleanup() {
  if [ -n "$set_b_pid" ]; then wait "$set_b_pid" 2>/dev/null || true; fi
  "$top/tests/lib/libvirt.sh" stop "$run_dir" || true
  "$top/tests/lib/services.sh" stop "$run_dir/b" || true
  "$top/tests/lib/services.sh" stop "$run_dir" || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
"$top/tests/lib/services.sh" start "$run_dir"
# shellcheck disable=SC1091
source "$run_dir/env"
echo "PostgreSQL: ${GUREUM_TEST_PG_URI}"
echo "RabbitMQ:   ${GUREUM_TEST_AMQP_URL/guest:guest@/}"
# libvirtd for the tests that boot real VMs (the compute agent's boot test); if it cannot
# start, those tests fail and say so, the others still run.
"$top/tests/lib/libvirt.sh" start "$run_dir" || echo "libvirt: libvirtd did not start" >&2
# shellcheck disable=SC1091
source "$run_dir/libvirt.env"
# A second PostgreSQL + RabbitMQ (set b) for the end-to-end tests, started now so that it
# is up by the time they run: with two sets, two tests that recreate the service
# databases and use the fixed queue names run at once (gureum_e2e_test's SERVICES).
"$top/tests/lib/services.sh" start "$run_dir/b" >"$run_dir/set-b.log" 2>&1 &
set_b_pid=$!
export GUREUM_TEST_SERVICES_B=$run_dir/b

step "tests"
status=0
ctest --test-dir "$build" -L unit -j "$jobs" --output-on-failure "${filter[@]}" || status=1
# libFuzzer on the token parser, the REST body decoders and the request target, a bounded time each, in a clang
# tree of its own (tests/fuzz/run.sh); skipped when -R picks tests.
if [ ${#filter[@]} -eq 0 ]; then
  step "fuzz"
  "$top/tests/fuzz/run.sh" "${GUREUM_FUZZ_SECONDS:-30}" || status=1
  step "tests"
fi
ctest --test-dir "$build" -L integration --output-on-failure "${filter[@]}" || status=1
# Three at a time: most of an end-to-end test's time is waiting (VMs booting, a client's
# --wait polling every 5 s). One lane per set of servers and one for the tests that hold
# the host (locks: gureum_e2e_test in cmake/GureumHelpers.cmake).
wait "$set_b_pid" || {
  echo "the second set of servers (b) did not start:" >&2
  cat "$run_dir/set-b.log" >&2
  status=1
}
set_b_pid=""
ctest --test-dir "$build" -L e2e -j 3 --output-on-failure "${filter[@]}" || status=1

elapsed=$(($(date +%s) - start_time))
if [ "$status" -eq 0 ]; then
  echo "tests/run.sh: all tests passed in ${elapsed} s"
else
  echo "tests/run.sh: FAILED (${elapsed} s)" >&2
fi
exit "$status"
