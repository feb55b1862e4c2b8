#!/bin/sh
# tsan.sh SOURCE_DIR WORK_DIR - the thread test (test_thread.c) under
# ThreadSanitizer: builds libedict with -fsanitize=thread in WORK_DIR (a
# separate CMake build, incremental after the first run), links the test
# to it, and runs eight threads on one rule set, then again while the main
# thread compiles the rules to machine code.
#
# ThreadSanitizer cannot deliver the signals with which the collector stops
# the threads for a collection, so the run switches collection off
# (GC_DONT_GC=1) and stays small enough for that; tests/thread's plain run
# (ctest -R thread.run) covers collections.  (Helgrind was tried too: with
# collection off it runs clean, but it also misses a race planted in the
# test, so it is not used.)
set -eu
src=$1
work=$2
cc=${CC:-cc}
mkdir -p "$work"
cmake -S "$src" -B "$work/build" -DEDICT_TSAN=ON -DEDICT_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_COMPILER="$cc" > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" --target edict_shared -j2 > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }
"$cc" -std=gnu11 -g -O1 -fsanitize=thread -I"$src/include" -o "$work/test_thread" "$src/tests/thread/test_thread.c" \
	-L"$work/build" -ledict -lgc -Wl,-rpath,"$work/build" -pthread
GC_DONT_GC=1 TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" \
	"$work/test_thread" "$src/examples/voucher" 200 8 1
# and with the rules compiled to machine code while the threads evaluate
GC_DONT_GC=1 TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" \
	"$work/test_thread" "$src/examples/voucher" 200 8 1 native
