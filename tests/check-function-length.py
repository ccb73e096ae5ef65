#!/usr/bin/env python3
"""Fails, naming them, on production functions longer than 80 lines (issue 17).

A function here is a definition that starts at column 0 (free functions and members defined
out of their class, as the tree writes them) and ends at the next "}" at column 0; its
lambdas count as part of it. A function may be longer when a comment within the three lines
above it says why and contains "Longer than 80 lines". Tests, benchmarks and fuzz targets
are not production code and are not checked.
"""
import re
import subprocess
import sys

LIMIT = 80
START = re.compile(r'^[A-Za-z_].*\)\s*(const)?\s*(override)?\s*(->\s*[\w:<>, ]+)?\s*\{$')
SKIP = re.compile(r'^(namespace|struct|class|enum|union|extern|template)\b')


def main():
    files = subprocess.check_output(['git', 'ls-files', '*.cc'], text=True).split()
    bad = []
    for path in files:
        if '/tests/' in path or path.startswith('tests/'):
            continue
        lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
        start = None
        for i, line in enumerate(lines):
            if start is None:
                if START.match(line) and not SKIP.match(line) and '=' not in line.split('(')[0]:
                    start = i
            elif line == '}':
                length = i - start + 1
                reason = any('Longer than 80 lines' in l for l in lines[max(0, start - 3):start])
                if length > LIMIT and not reason:
                    bad.append(f'  {path}:{start + 1}: {length} lines: {lines[start][:70]}')
                start = None
    if bad:
        print(f'check-function-length: functions over {LIMIT} lines without a reason beside them:',
              file=sys.stderr)
        print('\n'.join(bad), file=sys.stderr)
        return 1
    print(f'check-function-length: no production function over {LIMIT} lines without a reason')
    return 0


if __name__ == '__main__':
    sys.exit(main())
