#!/bin/sh
# pack.sh - build the VS Code extension package (edict.vsix) with @vscode/vsce.
#
#   sh editors/vscode/pack.sh [OUT.vsix]
#
# Installs the extension's npm packages (package-lock.json) in a copy of
# this directory, then packs it; the .vsix lands at OUT (default:
# editors/vscode/edict.vsix).  Install it with
#   code --install-extension edict.vsix
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/edict.vsix}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/." "$work/"
rm -rf "$work/node_modules" "$work/test" "$work"/*.vsix
cd "$work"
npm ci --no-audit --no-fund --loglevel=error
npx --no-install vsce package --skip-license --allow-missing-repository --out "$out"
