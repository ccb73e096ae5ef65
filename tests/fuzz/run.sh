#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in a clang tree of their own (build-fuzz/,
# AddressSanitizer + UBSan + fuzzer coverage on every Gureum target they link) and runs
# each for a bounded time from the seed corpus in tests/fuzz/corpus/<target> (copied:
# what a run finds stays in the tree's folder, the checked-in seeds do not change).
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]     default 30
#
# A crash, a leak, a sanitizer report or an input slower than 10 s fails the run; the
# input that did it is kept in build-fuzz/findings/<target>/ and named in the output.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${GUREUM_FUZZ_BUILD_DIR:-$top/build-fuzz}
targets=(token_fuzz json_body_fuzz request_target_fuzz)

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$top}
CC=clang CXX=clang++ cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DGUREUM_FUZZ=ON -DGUREUM_BUILD_TESTS=OFF \
  -DGUREUM_BUILD_BENCH=OFF -DGUREUM_WERROR=OFF >/dev/null
ninja -C "$build" -j "$(nproc)" "${targets[@]}"

passed=0
failed=0
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  findings=$build/findings/$t
  mkdir -p "$corpus" "$findings"
  cp -n "$top/tests/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  echo "== $t: ${seconds} s"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" >"$build/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$build/$t.log" | tail -n 2 || true
    passed=$((passed + 1))
  else
    tail -n 40 "$build/$t.log"
    echo "FAIL: $t: see the input in $findings/" >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
