#!/bin/sh
# bench/serve/run.sh - `edict serve` under load (not a test; no timing is
# asserted anywhere): wrk against POST /v1/decide with the KOTRA rules and
# the benchmark companies at 1, 16 and 64 connections (throughput, p50 and
# p99 latency), the server's memory over a long run, and in the same run
# `edict batch` lines/s on the same companies and queries.
#
#   bench/serve/run.sh [--edict build/edict] [--companies N] [--seconds S]
#                      [--long-seconds S] [--threads N] [--queries Q,Q]
#
# Prints a Markdown report.  Needs wrk (Debian: wrk).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
edict=$root/build/edict
ncomp=10000
secs=10
long=60
threads=4
queries=voucher.eligible,voucher.priority,voucher.award,voucher.fast_track
while [ $# -gt 0 ]; do
	case "$1" in
	--edict) edict=$2; shift 2 ;;
	--companies) ncomp=$2; shift 2 ;;
	--seconds) secs=$2; shift 2 ;;
	--long-seconds) long=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--queries) queries=$2; shift 2 ;;
	*) echo "usage: $0 [--edict PATH] [--companies N] [--seconds S] [--long-seconds S] [--threads N] [--queries Q,Q]" >&2; exit 2 ;;
	esac
done
command -v wrk >/dev/null || { echo "bench/serve/run.sh needs wrk (apt-get install wrk)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$root/bench/gen/companies.py" "$ncomp" >"$work/companies.ndjson"

# edict batch on the same companies and queries, one thread and as many as the server
qargs=$(echo "$queries" | tr ',' '\n' | sed 's/^/--query /' | tr '\n' ' ')
batch() { # JOBS
	# shellcheck disable=SC2086
	"$edict" batch "$root/rules/kotra" $qargs --as-of 2026-12-01 --jobs "$1" <"$work/companies.ndjson" 2>&1 >/dev/null |
		sed -n 's/.*(\([0-9]*\) lines\/s).*/\1/p'
}
b1=$(batch 1)
bn=$(batch "$threads")

"$edict" serve "$root/rules/kotra" --listen 127.0.0.1:0 --threads "$threads" 2>"$work/serve.log" &
pid=$!
port=""
for _ in $(seq 50); do
	port=$(sed -n 's/.*on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/serve.log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

run() { # CONNECTIONS SECONDS
	t=$(( $1 < 4 ? $1 : 4 ))
	COMPANIES=$work/companies.ndjson QUERIES=$queries wrk -t "$t" -c "$1" -d "${2}s" --latency \
		-s "$here/decide.lua" "http://127.0.0.1:$port/" | sed -n 's/^RESULT //p'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "## edict serve: POST /v1/decide, KOTRA rules, $ncomp benchmark companies"
echo
echo "$(nproc) CPUs; server --threads $threads; queries $queries; $(date -u +%Y-%m-%d)"
echo
echo "| connections | requests/s | p50 | p90 | p99 | errors |"
echo "|---:|---:|---:|---:|---:|---:|"
rss0=$(rss)
for c in 1 16 64; do
	r=$(run "$c" "$secs")
	printf '| %s | %s | %s µs | %s µs | %s µs | %s |\n' "$c" "$(field "$r" rps)" "$(field "$r" p50_us)" \
		"$(field "$r" p90_us)" "$(field "$r" p99_us)" "$(( $(field "$r" errors) + $(field "$r" non2xx) ))"
done
echo
echo "edict batch on the same companies and queries: $b1 lines/s (1 job), $bn lines/s ($threads jobs)"
echo
echo "Memory (resident) over a long run at 16 connections, sampled every $(( long / 6 > 0 ? long / 6 : 1 )) s:"
echo
rss1=$(rss)
total=0
printf 'start %s KiB, after the runs above %s KiB' "$rss0" "$rss1"
step=$(( long / 6 > 0 ? long / 6 : 1 ))
i=0
while [ $i -lt 6 ]; do
	r=$(run 16 "$step")
	total=$(( total + $(field "$r" requests) ))
	printf '; %s requests: %s KiB' "$total" "$(rss)"
	i=$(( i + 1 ))
done
echo
kill -TERM "$pid"
wait "$pid" || true
