#!/usr/bin/env bash
# The conformance run (issue 21): Debian's Tempest 33 against a fresh all-in-one, with a table
# of passed / failed / skipped per selection and every failure listed with its reason.
# Not part of ./tests/run.sh: the whole of it takes hours on a 2-core machine.
#
#   ./tests/conformance.sh [SELECTION ...]
#
# SELECTION as tests/e2e/tempest_run.sh takes it: identity, image, network, compute, volume,
# object_storage (the whole tempest.api.<service>), interop-compute, interop-storage (the
# interop guideline's lists in tests/conformance/interop/), or a regex. Default: identity
# image network compute volume interop-compute, and object storage (all of
# tempest.api.object_storage but container sync) and interop-storage when the catalog has
# object-store.
#
# It runs ./deploy/allinone.sh first with CONFIG_POLICY_LEGACY_ADMIN=true in the answer file:
# Tempest's dynamic credentials make an admin by giving the admin role on a fresh project,
# which is OpenStack's legacy rule; Gureum's default (a cloud admin is an admin of the admin
# project or system scope) refuses that. GUREUM_CONFORMANCE_SKIP_DEPLOY=1 uses the running
# all-in-one as it is.
#
# Reasons for known failures: tests/conformance/known-failures.txt, lines "REGEX<TAB>REASON";
# a failure that matches none is listed as "unexplained". Logs: $GUREUM_CONFORMANCE_DIR
# (default /tmp/gureum-conformance), one run-<selection>.log each.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ws=${GUREUM_CONFORMANCE_DIR:-/tmp/gureum-conformance}
answers=/etc/gureum/answers.conf

if [ "${GUREUM_CONFORMANCE_SKIP_DEPLOY:-0}" != 1 ]; then
  if [ -f "$answers" ]; then
    sed -i 's/^CONFIG_POLICY_LEGACY_ADMIN=.*/CONFIG_POLICY_LEGACY_ADMIN=true/' "$answers"
  else
    ./deploy/allinone.sh  # makes the answer file, then reconfigure below
    sed -i 's/^CONFIG_POLICY_LEGACY_ADMIN=.*/CONFIG_POLICY_LEGACY_ADMIN=true/' "$answers"
  fi
  ./deploy/allinone.sh
fi
# shellcheck disable=SC1091
source /etc/gureum/admin-openrc

selections=("$@")
if [ ${#selections[@]} -eq 0 ]; then
  selections=(identity image network compute volume interop-compute)
  catalog=$(openstack catalog list -f value -c Type)
  if printf '%s\n' "$catalog" | grep -qx object-store; then
    # Object storage: the whole tempest.api.object_storage but container sync (which Gureum
    # lacks; each of its tests would wait 10 minutes), and the interop storage list.
    selections+=('^tempest\.api\.object_storage\.(?!test_container_sync)' interop-storage)
  fi
fi

mkdir -p "$ws"
known="$root/tests/conformance/known-failures.txt"
reason_of() {  # the reason of a failed test id, from the known failures
  local id=$1 regex reason
  while IFS=$'\t' read -r regex reason; do
    case "$regex" in '' | '#'*) continue ;; esac
    if printf '%s\n' "$id" | grep -Eq -- "$regex"; then
      printf '%s' "$reason"
      return
    fi
  done <"$known"
  printf 'unexplained'
}
count() { sed -n "s/^ - $1: *\([0-9]*\).*/\1/p" "$2" | tail -1; }

table=$ws/table.md
failures=$ws/failures.md
printf '| selection | passed | failed | skipped | pass rate (of not skipped) |\n|---|---|---|---|---|\n' >"$table"
: >"$failures"
for sel in "${selections[@]}"; do
  echo "conformance: running $sel ..." >&2
  bash tests/e2e/tempest_run.sh "$sel" "$ws/tempest" >/dev/null 2>&1 || true
  name=${sel//[^A-Za-z0-9_-]/_}
  [ ${#name} -le 80 ] || name=regex-$(printf '%s' "$sel" | md5sum | cut -c1-12)
  log="$ws/tempest/run-$name.log"
  passed=$(count Passed "$log"); failed=$(count Failed "$log"); skipped=$(count Skipped "$log")
  passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
  rate=$(awk -v p="$passed" -v f="$failed" 'BEGIN { if (p + f) printf "%.0f%%", 100 * p / (p + f); else print "-" }')
  printf '| %s | %s | %s | %s | %s |\n' "$sel" "$passed" "$failed" "$skipped" "$rate" >>"$table"
  printf '\n### %s\n\n' "$sel" >>"$failures"
  { grep -E '^\{[0-9]+\} .* \.\.\. FAILED' "$log" || true; } | sed -E -e 's/^\{[0-9]+\} (setUpClass|tearDownClass) \(([^)]*)\).*/\2 (\1)/' \
    -e 's/^\{[0-9]+\} ([^ []+).*/\1/' | sort -u |
    while read -r id; do printf -- '- `%s`: %s\n' "$id" "$(reason_of "$id")"; done >>"$failures"
done
cat "$table"
echo
echo "## Failures"
cat "$failures"
echo
echo "conformance: logs in $ws/tempest (run-<selection>.log)"
