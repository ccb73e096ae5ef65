#!/usr/bin/env bash
# Fails, naming the files, when a C++ file git tracks differs from what clang-format makes
# of it with the project's .clang-format (Debian 12's clang-format 14). Fix with:
#   git ls-files '*.cc' '*.h' | xargs clang-format -i
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bad=$(git ls-files '*.cc' '*.h' | xargs -P "$(nproc)" -n 32 clang-format --dry-run -Werror 2>&1 |
  sed -n 's/^\([^:]*\.\(cc\|h\)\):[0-9]*:[0-9]*: error:.*/\1/p' | sort -u || true)
if [ -n "$bad" ]; then
  echo "check-format: these files are not formatted (clang-format -i them):" >&2
  echo "$bad" | sed 's/^/  /' >&2
  exit 1
fi
echo "check-format: $(git ls-files '*.cc' '*.h' | wc -l) files formatted"
