#!/bin/sh
# tests/fuzz/run.sh - run the libFuzzer harnesses for a bounded time each.
#
#   sh tests/fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]
#
# BUILD_DIR is a build configured with -DCMAKE_C_COMPILER=clang
# -DEDICT_FUZZ=ON (tests/quickstart.sh test makes one: build-fuzz), at the
# default build type: built with -O0 (Debug), the interpreter's frames are
# so large under AddressSanitizer that the corpus's function calling itself
# past the depth limit (200 calls) overflows an 8 MiB stack first.  Each
# harness (default: all) runs niced for SECONDS on a working corpus in
# BUILD_DIR/fuzz-work/<harness>, starting from tests/fuzz/corpus/<harness>
# and the regression inputs.  Prints one summary line per harness (runs,
# executions per second, coverage, crashes) and exits 1 if any harness
# found a crash, leaving the input as BUILD_DIR/fuzz-work/<harness>/crash-*
# (minimize it with: fuzz_<harness> -minimize_crash=1 -runs=10000 FILE).
# EDICT_FUZZ_NO_UTF8=1 turns off the harnesses' UTF-8 check of JSON output,
# to look past a known bug of that kind while it is being fixed.
# EDICT_FUZZ_NATIVE=1 makes the source harness compile each rule set that
# loads to machine code (the native tier) and decide it again: the same
# outcome as the interpreter's, or a crash the fuzzer keeps.
set -u

build=${1:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
secs=${2:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
# by default every harness of tests/fuzz (fuzz_<harness>.c)
harnesses=${*:-$(for f in "$here"/fuzz_*.c; do f=${f##*/fuzz_}; echo "${f%.c}"; done)}

status=0
printf '%-8s %8s %10s %8s %7s %8s %s\n' harness seconds runs exec/s cov features crashes
for h in $harnesses; do
	bin=$build/tests/fuzz/fuzz_$h
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin is missing; build with -DEDICT_FUZZ=ON" >&2
		status=1
		continue
	fi
	work=$build/fuzz-work/$h
	mkdir -p "$work/corpus"
	dict=$here/edict.dict
	case $h in facts | factsdoc | serve | ndjson) dict=$here/json.dict ;; lsp) dict=$here/lsp.dict ;; esac
	# the longest input each harness takes (larger ones it skips)
	maxlen=65536
	[ "$h" = query ] && maxlen=4096
	[ "$h" = api ] && maxlen=16384
	[ "$h" = serve ] && maxlen=16384
	dirs="$work/corpus $here/corpus/$h"
	[ -d "$here/regressions/$h" ] && dirs="$dirs $here/regressions/$h"
	start=$(date +%s)
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
		nice -n 10 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
		-dict="$dict" -print_final_stats=1 -artifact_prefix="$work/" $dirs >"$work/log.txt" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt")
	last=$(grep -E '^#[0-9]+' "$work/log.txt" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	crashes=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
	printf '%-8s %8s %10s %8s %7s %8s %s\n' "$h" "$took" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		status=1
		echo "== fuzz_$h failed (exit $rc); the end of $work/log.txt:"
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x|Test unit written' "$work/log.txt" | head -30
	fi
done
exit $status
