#!/bin/sh
# run.sh - the TextMate grammar test (grammar_test.js), for CTest.
#
#   sh editors/vscode/test/run.sh WORK_DIR
#
# Installs vscode-textmate and vscode-oniguruma (package-lock.json) into
# WORK_DIR with npm, from its cache when it can; without npm or without
# the packages (no network and an empty cache) it exits 77, which CTest
# reports as skipped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: run.sh WORK_DIR}
mkdir -p "$work"
command -v npm >/dev/null 2>&1 || { echo "npm is not installed: skipped"; exit 77; }
cp "$here/package.json" "$here/package-lock.json" "$work/"
if ! (cd "$work" && { npm ci --prefer-offline --no-audit --no-fund --loglevel=error ||
		      npm ci --offline --no-audit --no-fund --loglevel=error; }); then
	echo "the npm packages could not be installed (offline?): skipped"
	exit 77
fi
NODE_PATH="$work/node_modules" exec node "$here/grammar_test.js"
