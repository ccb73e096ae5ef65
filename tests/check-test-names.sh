#!/usr/bin/env bash
# A Catch2 test case whose name holds ';' runs nothing under ctest: catch_discover_tests
# registers each case by name, CMake cuts the name at the ';' (a list separator), and the
# cut name matches no case, which Catch counts as a pass. ./tests/run.sh runs this check
# first and stops at such a name.
cd "$(dirname "$0")/.." || exit 1
bad=$(git ls-files '*.cc' | xargs grep -n 'TEST_CASE("[^"]*;' 2>/dev/null)
if [ -n "$bad" ]; then
  echo "check-test-names: test case names with ';' (ctest would run nothing for them):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "check-test-names: no test case name holds ';'"
