#!/bin/sh
# tests/coverage.sh BUILD_DIR - the line coverage of the C code (interp/,
# cli/, grammar/) after the tests ran in a build made with
# -DEDICT_COVERAGE=ON: an lcov summary, and the lines of each file in
# BUILD_DIR/coverage.txt.  tests/quickstart.sh test runs it last.
set -eu
dir=${1:?usage: sh tests/coverage.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
info="$dir/coverage.info"
lcov --quiet --capture --directory "$dir" --base-directory "$here" --output-file "$info.all" \
	--rc lcov_branch_coverage=0 --ignore-errors gcov,source >/dev/null 2>&1 ||
	lcov --quiet --capture --directory "$dir" --output-file "$info.all" >/dev/null
lcov --quiet --extract "$info.all" "$here/interp/*" "$here/cli/*" "$here/grammar/*" "*/parser.c" "*/lexer.c" \
	--output-file "$info" >/dev/null
lcov --list "$info" >"$dir/coverage.txt" 2>/dev/null || true
echo "== line coverage of interp/, cli/ and grammar/ (per file: $dir/coverage.txt)"
lcov --summary "$info" 2>&1 | grep -E "lines|functions"
