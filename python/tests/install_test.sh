#!/bin/sh
# python/tests/install_test.sh - `pip install ./python` works offline: into
# a fresh virtual environment (with the system's packages visible, for
# setuptools), with no index and no build isolation; then the installed
# package, not the source tree, decides.
#
#   sh python/tests/install_test.sh PYTHON SOURCE_DIR LIBEDICT
set -eu
py=$1
src=$2
lib=$3
tmp=$(mktemp -d /tmp/edict-py.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# a copy: pip builds in the tree it installs from
cp -r "$src/python" "$tmp/src"
rm -rf "$tmp/src/build" "$tmp/src"/*.egg-info
"$py" -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --no-index --no-build-isolation --quiet "$tmp/src"
rm -rf "$tmp/src"
cd "$tmp"
EDICT_LIBRARY=$lib "$tmp/venv/bin/python" - <<'PY'
import os, sys
import edict
from decimal import Decimal
assert edict.__file__.startswith(sys.prefix), edict.__file__
rules = edict.RuleSet.from_text("module m\nfact c { share : percent }\n"
                                "decision high : bool = c.share >= 10%\n"
                                "decision cap : money KRW = 50_000_000 KRW\n", "m.edict")
got = rules.decide({"c": {"share": "14%"}}, ["m.high", "m.cap"])
assert got == {"m.high": True, "m.cap": edict.Money(Decimal("50000000"), "KRW")}, got
print("installed", edict.__file__, "libedict", edict.version())
PY
