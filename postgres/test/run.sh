#!/bin/sh
# postgres/test/run.sh - the extension's regression tests against a real
# PostgreSQL, started here and stopped at the end, also on failure.
#
#   sh postgres/test/run.sh BUILT_MODULE OUTDIR
#
# A private installation and server (server.sh: initdb in a temporary
# directory, a Unix socket only, as the user postgres when run as root);
# pg_regress runs the cases of sql/ in the order of schedule and compares
# with expected/; on a difference, OUTDIR/regression.diffs says what.
set -eu

module=$1
outdir=$2
here=$(cd "$(dirname "$0")" && pwd)
regress=$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress
port=54329

tmp=$(mktemp -d /tmp/edict-pg.XXXXXX)
pgext=$(dirname "$here")
. "$here/server.sh"
trap 'pg_private_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

pg_private_init "$module" $port
# the rule sets the cases read (edict.rules_root is relative to the data
# directory); rules/changing is written by the cases themselves
cp -r "$here/rules" "$data/rules"
mkdir -p "$data/rules/changing"
cat >>"$data/postgresql.conf" <<EOF2
edict.rules_root = 'rules'
max_worker_processes = 8
max_parallel_workers = 4
EOF2
pg_private_start
cp -r "$here/sql" "$here/expected" "$tmp/"
mkdir -p "$tmp/out"
[ "$(id -u)" -ne 0 ] || chown -R postgres "$tmp/out"

rc=0
as_pg "$regress" --bindir="$pgbin" --host="$tmp" --port=$port --user=postgres \
	--dbname=edict_regress --inputdir="$tmp" --outputdir="$tmp/out" \
	--schedule="$here/schedule" || rc=$?
rm -rf "$outdir"
mkdir -p "$outdir"
cp -r "$tmp/out/." "$outdir/" 2>/dev/null || true
if [ $rc -ne 0 ]; then
	[ -f "$tmp/out/regression.diffs" ] && cat "$tmp/out/regression.diffs"
	echo "--- server log"
	tail -50 "$tmp/server.log"
fi
exit $rc
