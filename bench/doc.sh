#!/bin/sh
# bench/doc.sh - how long `edict doc rules/kotra` takes: checking the rules,
# building every page, laying out the dependency graph with Graphviz and
# writing the site.  A measurement, not a test: nothing is asserted.
#
#   bench/doc.sh [--edict PATH] [--runs N] [--rules DIR]
#
# Prints the median and fastest wall time of N runs, the same for `edict
# check` and for Graphviz alone (`edict graph --format svg`), and the
# processor time and peak memory of one run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
edict="$root/build/edict"
runs=10
rules="$root/rules/kotra"
while [ $# -gt 0 ]; do
	case "$1" in
	--edict) edict=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--rules) rules=$2; shift 2 ;;
	*) echo "usage: bench/doc.sh [--edict PATH] [--runs N] [--rules DIR]" >&2; exit 2 ;;
	esac
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s%N; }
measure() { # measure LABEL COMMAND...: one line per run, then median and best
	label=$1
	shift
	times=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		times="$times $(( (t1 - t0) / 1000000 ))"
		i=$((i + 1))
	done
	echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk -v label="$label" '
		{ v[NR] = $1 }
		END { printf "%-40s median %5d ms   best %5d ms   (%d runs)\n", label, v[int((NR + 1) / 2)], v[1], NR }'
}

echo "edict: $edict"
echo "rules: $rules ($(find "$rules" -name '*.edict' | wc -l) files, $(cat $(find "$rules" -name '*.edict') | wc -l) lines)"
"$edict" doc "$rules" -o "$out/site" >/dev/null 2>&1
echo "site:  $(find "$out/site" -type f | wc -l) files, $(du -sk "$out/site" | cut -f1) KB"
measure "edict doc (whole site)" "$edict" doc "$rules" -o "$out/site"
measure "edict check (load, check, run checks)" "$edict" check "$rules"
measure "edict graph --format svg (Graphviz)" "$edict" graph "$rules" --format svg
# processor time, which a busy machine disturbs less than wall time
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f "edict doc, processor time of one run: %U s user, %S s system, %M KB peak memory" \
		"$edict" doc "$rules" -o "$out/site" >/dev/null 2>"$out/time" || true
	tail -1 "$out/time"
fi
