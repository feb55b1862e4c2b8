#!/bin/sh
# bench/run.sh - Edict's benchmark suite, one command.
#
#   bench/run.sh [--size tiny|small|full] [--only 1,2,3,4,5,6] [--out FILE]
#                [--build DIR] [--edict PATH] [--no-build] [--install] [--update-doc]
#
# Builds the benchmark programs (bench/CMakeLists.txt, with the Edict core,
# in DIR, default build-bench-suite), generates the data from fixed seeds
# (nothing is downloaded) and runs the five workloads against the peers:
# Lua 5.4, LuaJIT (-joff and JIT), jq, Python and a C program written for
# the workload; then (6) the Python door, bench/python/frame.py: the
# package's decide_frame beside pandas, left out with a note when pandas is
# not installed for /usr/bin/python3.  Writes a Markdown report (default
# DIR/results-SIZE.md, plus the raw figures as .json) and prints it;
# --update-doc also puts it into docs/performance.md (between its results
# markers).  That page explains every table.  Exit status 0 when every
# implementation decided the same as the C program, 1 when one did not; no
# timing is ever asserted.
#
# Sizes: tiny (seconds; what CTest runs), small (a few minutes), full (the
# targets' 1,000,000 companies; 10 to 20 minutes on 2 cores).  --install adds
# the peers from Debian with apt-get when they are missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=small
build="$root/build-bench-suite"
only=1,2,3,4,5,6
out=""
edict=""
do_build=1
install=0
update_doc=0

while [ $# -gt 0 ]; do
	case "$1" in
	--size) size=$2; shift 2 ;;
	--size=*) size=${1#--size=}; shift ;;
	--only) only=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--edict) edict=$2; shift 2 ;;
	--no-build) do_build=0; shift ;;
	--install) install=1; shift ;;
	--update-doc) update_doc=1; shift ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done

case "$size" in
tiny|small|full) ;;
*) echo "bench/run.sh: --size must be tiny, small or full, not '$size'" >&2; exit 2 ;;
esac

if [ "$install" = 1 ]; then
	missing=""
	for p in lua5.4 luajit lua-cjson jq hyperfine python3 python3-pandas; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		echo "Installing:$missing" >&2
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
	fi
fi

if [ "$do_build" = 1 ]; then
	cmake -S "$here" -B "$build" >/dev/null
	cmake --build "$build" -j 2 >/dev/null
fi

python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
set -- --size "$size" --build "$build" --only "$only"
[ -n "$out" ] && set -- "$@" --out "$out"
[ -n "$edict" ] && set -- "$@" --edict "$edict"
[ "$update_doc" = 1 ] && set -- "$@" --update-doc
exec "$python" "$here/lib/suite.py" "$@"
