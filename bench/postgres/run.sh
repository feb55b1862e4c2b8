#!/bin/sh
# bench/postgres/run.sh - the PostgreSQL extension beside `edict batch` on
# the benchmark companies (a benchmark, not a test: nothing is asserted
# about time).
#
#   sh bench/postgres/run.sh [ROWS] [BUILD]     (defaults: 100000, build)
#
# Starts a private PostgreSQL (postgres/test/server.sh) with BUILD's
# extension, loads ROWS companies of bench/gen/companies.py into a table,
# and runs edict_decide_all over all of them with 0, 1 and 2 parallel
# workers; then `edict batch` (1 and 2 threads) on the same rows as NDJSON,
# with the same four queries and as-of date.  measure.py checks that both
# decide the same for every company and prints the table.
set -eu

rows=${1:-100000}
build=${2:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)

tmp=$(mktemp -d /tmp/edict-pg-bench.XXXXXX)
pgext=$root/postgres
. "$root/postgres/test/server.sh"
trap 'pg_private_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

pg_private_init "$build/postgres/edict.so" 54331
cp -r "$root/bench/rules" "$data/bench"
cat >>"$data/postgresql.conf" <<CONF
edict.rules_root = '.'
max_worker_processes = 8
max_parallel_workers = 4
shared_buffers = 256MB
CONF
pg_private_start

python3 "$root/bench/gen/companies.py" "$rows" >"$tmp/companies.ndjson"
chmod a+r "$tmp/companies.ndjson"
as_pg psql -X -q -h "$tmp" -p 54331 -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION edict;
CREATE TABLE companies (facts jsonb NOT NULL);
\copy companies FROM '$tmp/companies.ndjson' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
VACUUM ANALYZE companies;
SQL
python3 "$here/measure.py" --host "$tmp" --port 54331 --edict "$build/edict" --rules "$root/bench/rules" \
	--ndjson "$tmp/companies.ndjson" --rows "$rows"
