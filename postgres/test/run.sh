#!/bin/sh
# postgres/test/run.sh - the extension's regression tests against a real
# PostgreSQL, started here and stopped at the end, also on failure.
#
#   sh postgres/test/run.sh BUILT_MODULE OUTDIR
#
# 1. A private installation in a temporary directory: copies of the server's
#    programs (PostgreSQL finds its share and lib directories from where its
#    programs are), links to everything else, and the extension's files.
# 2. initdb into it and pg_ctl start on a Unix socket in it (no TCP); as
#    root, both run as the user postgres, since initdb refuses root.
# 3. pg_regress runs the cases of sql/ and compares with expected/; on a
#    difference, OUTDIR/regression.diffs says what.
set -eu

module=$1
outdir=$2
here=$(cd "$(dirname "$0")" && pwd)
pgbin=$(pg_config --bindir)
pgshare=$(pg_config --sharedir)
pglib=$(pg_config --pkglibdir)
regress=$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress

tmp=$(mktemp -d /tmp/edict-pg.XXXXXX)
data=$tmp/data
as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	as_pg() { runuser -u postgres -- "$@"; }
fi
stop() {
	if [ -f "$data/postmaster.pid" ]; then
		as_pg "$tmp/inst$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

# 1. the private installation
inst=$tmp/inst
mkdir -p "$inst$pgbin" "$inst$pgshare/extension" "$inst$pglib"
for p in postgres initdb pg_ctl; do cp "$pgbin/$p" "$inst$pgbin/"; done
for f in "$pgshare"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$inst$pgshare/"; done
for f in "$pgshare"/extension/*; do ln -s "$f" "$inst$pgshare/extension/"; done
for f in "$pglib"/*; do ln -s "$f" "$inst$pglib/"; done
rm -f "$inst$pglib/edict.so" "$inst$pgshare/extension/edict.control" "$inst$pgshare"/extension/edict--*.sql
cp "$module" "$inst$pglib/edict.so"
cp "$here/../edict.control" "$here"/../edict--*.sql "$inst$pgshare/extension/"
# the cases, and the rule sets they read (edict.rules_root is relative to
# the data directory)
cp -r "$here/sql" "$here/expected" "$tmp/"
mkdir -p "$tmp/out"

# 2. the server
[ "$(id -u)" -eq 0 ] && chown -R postgres "$tmp"
as_pg "$inst$pgbin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log"; exit 1; }
cp -r "$here/rules" "$data/rules"
mkdir -p "$data/rules/changing"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$data/rules"
cat >>"$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$tmp'
port = 54329
edict.rules_root = 'rules'
max_worker_processes = 8
max_parallel_workers = 4
fsync = off
EOF
as_pg "$inst$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 start >/dev/null ||
	{ cat "$tmp/server.log"; exit 1; }

# 3. the cases
rc=0
as_pg "$regress" --bindir="$pgbin" --host="$tmp" --port=54329 --user=postgres \
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
