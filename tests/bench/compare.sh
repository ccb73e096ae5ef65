#!/usr/bin/env bash
# Runs the same benchmarks from two builds in turn (old, new, old, new ...), so that both
# see the same machine, and prints each table under a heading. For "no figure worse than
# before": build the old commit in a worktree of its own, then
#
#   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
#   tests/bench/compare.sh /work/old/build /work/main/build 2 grpc_bench identity_bench
#
# Arguments: OLD_BUILD NEW_BUILD ROUNDS BENCH [BENCH ...]; a bench may carry arguments in
# quotes ("identity_bench --tokens 1000 --validations 30000 --issues 3").
set -euo pipefail
old=$1 new=$2 rounds=$3
shift 3
for bench in "$@"; do
  name=${bench%% *}
  args=${bench#"$name"}
  for round in $(seq 1 "$rounds"); do
    for side in old new; do
      dir=$old
      [ "$side" = new ] && dir=$new
      echo "=== $name ($side, round $round)"
      # shellcheck disable=SC2086
      "$dir/tests/bench/$name" $args 2>&1 | grep -v '^\[20' || echo "($name exited $?)"
    done
  done
done
