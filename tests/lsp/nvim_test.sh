#!/bin/sh
# nvim_test.sh - run nvim_test.lua in a headless Neovim against edict lsp.
#
#   sh tests/lsp/nvim_test.sh EDICT
#
# Exits 77 (CTest: skipped) when Neovim is not installed; tests/quickstart.sh
# installs it (Debian's neovim).
set -u
edict=${1:?usage: nvim_test.sh EDICT}
here=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null 2>&1 || { echo "nvim is not installed: skipped"; exit 77; }
case $edict in /*) ;; *) edict=$(pwd)/$edict ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$here/rules" "$tmp/rules"
# the file opens with an error: a misspelt fact
sed -i 's/firm\.export_share >=/firm.export_shar >=/' "$tmp/rules/grant.edict"
grep -q 'export_shar >=' "$tmp/rules/grant.edict" || { echo "the fixture did not change"; exit 1; }
cd "$tmp"
EDICT=$edict EDICT_VIM=$here/../../editors/vim EDICT_RULES=$tmp/rules XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp \
	XDG_STATE_HOME=$tmp XDG_CACHE_HOME=$tmp timeout 120 nvim --headless --clean -c "luafile $here/nvim_test.lua" 2>&1
rc=$?
# nvim's own exit status: 0 after :qall, 1 after :cquit 1
[ "$rc" -eq 0 ] && echo "nvim_test: passed"
exit $rc
