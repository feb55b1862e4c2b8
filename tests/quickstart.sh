#!/bin/sh
# tests/quickstart.sh - set up a fresh Debian 12 machine, build Edict, and run
# either the main job (demo) or every test (test).  README.md's two quick-start
# commands call this script, and so does .ci/run.
#
#   sh tests/quickstart.sh demo   evaluate the rule library on an example company,
#                                 explain three decisions, and write the HTML site
#   sh tests/quickstart.sh test   run all tests, fuzz each input surface for a
#                                 while, run all tests again under ASan and
#                                 UBSan, then measure line coverage (the last
#                                 lines are ctest's summary and the coverage)
set -eu

mode=${1:-demo}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

packages="gcc make cmake flex bison pkg-config libgc-dev libcriterion-dev libjson-c-dev libedit-dev libmicrohttpd-dev libgraphviz-dev python3"
# the tests also fuzz every input surface for a minute each (tests/fuzz), and
# check the benchmark peers decide as Edict does (bench.tiny); edict serve's
# tests check its facts schema and OpenAPI document (python3-jsonschema), make
# a certificate for TLS (openssl) and drive its page in headless chromium; the
# PostgreSQL extension is built against, and tested in, a PostgreSQL 15
# (postgres/); the Python package is tested with pytest and pandas, and
# installed with pip into a virtual environment (python/); genhtml reads
# `edict test --lcov` and the line coverage of the sanitizer run (lcov); the editor packages are tested with a headless
# Neovim and with npm's vscode-textmate (editors/); the site that `edict doc`
# writes is opened in headless chromium too (doc.browser); the native tier
# (--native) is built against libgccjit's header and its suites run with it;
# strace counts the system calls of the start-up cache's check (image.syscalls)
[ "$mode" = test ] && packages="$packages libgccjit-12-dev clang libclang-rt-14-dev lua5.4 luajit lua-cjson jq hyperfine
	python3-jsonschema openssl chromium postgresql-15 postgresql-server-dev-15
	python3-pytest python3-pandas python3-pip python3-venv python3-setuptools
	neovim nodejs npm lcov strace"

# Node.js and npm may come from elsewhere than Debian (NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package): a working npm is enough
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 &&
	packages=$(echo $packages | tr ' ' '\n' | grep -vx 'nodejs\|npm' | tr '\n' ' ')

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "Installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)

build() { # build DIR [cmake options...]
	dir=$1
	shift
	cmake -S . -B "$dir" -DEDICT_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

case "$mode" in
demo)
	build build
	if [ -d rules/kotra ] && [ -f examples/companies/dhaka_garment_maker.json ]; then
		facts=examples/companies/dhaka_garment_maker.json
		echo "== What the KOTRA rules decide for a garment maker in Dhaka ($facts)"
		./build/edict eval rules/kotra --facts "$facts"
		echo
		echo "== Why: the voucher award, the support still pending, and the EU route, with the policy they cite"
		./build/edict eval rules/kotra --facts "$facts" --explain \
			--query voucher.award --query support.pending --query origin.eu.originating
		echo "== The rules as a policy document (HTML, opens without a server)"
		./build/edict doc rules/kotra -o build/site 2>/dev/null
	else
		./build/edict eval examples/voucher --facts examples/voucher/company.json --explain
	fi
	;;
test)
	build build
	NO_COLOR=1 ctest --test-dir build --output-on-failure -j "$jobs"
	# Fuzzing: each libFuzzer harness for a bounded time (EDICT_FUZZ_SECONDS,
	# default 60), starting from its seeds and every crash ever found.
	fuzz_seconds=${EDICT_FUZZ_SECONDS:-60}
	probe=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$probe/p.c"
	if [ "$fuzz_seconds" -gt 0 ] && command -v clang >/dev/null 2>&1 &&
		clang -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
		echo "== fuzzing each input surface for $fuzz_seconds s (tests/fuzz/run.sh)"
		cmake -S . -B build-fuzz -DEDICT_WERROR=ON -DCMAKE_C_COMPILER=clang -DEDICT_FUZZ=ON >/dev/null
		cmake --build build-fuzz -j "$jobs" --target fuzzers
		sh tests/fuzz/run.sh build-fuzz "$fuzz_seconds"
		echo "== rule source again, each rule set also compiled to machine code (--native): the same results"
		EDICT_FUZZ_NATIVE=1 sh tests/fuzz/run.sh build-fuzz "$fuzz_seconds" source
	else
		echo "== fuzzing skipped: clang with libFuzzer (libclang-rt-14-dev) is not available"
	fi
	rm -rf "$probe"
	echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	build build-asan -DEDICT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	status=0
	# (the unit suites' GC-stress runs are left out here: the same suites run
	# under the sanitizers without stress, and under stress in the first
	# pass; both at once took over five minutes for one suite)
	NO_COLOR=1 ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure -j "$jobs" \
		-E '^unit\..*\.gcstress$' || status=$?
	# Line coverage (gcov, reported with lcov by tests/coverage.sh), measured
	# on the suites that run the library in-process and through the command
	# (not those that limit file sizes or link an installed copy).
	echo "== line coverage of the C code"
	build build-cov -DEDICT_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug
	find build-cov -name '*.gcda' -delete
	NO_COLOR=1 ctest --test-dir build-cov -j "$jobs" -R "^(unit|golden|rules|check|docs|repl.golden$|batch.golden$|limits|hostile|fuzz.replay)" \
		-E 'gcstress' >/dev/null ||
		echo "(some suites failed in the coverage build; see build-cov/Testing)"
	sh tests/coverage.sh build-cov || echo "== line coverage could not be measured (lcov)"
	exit $status
	;;
*)
	echo "usage: sh tests/quickstart.sh demo|test" >&2
	exit 2
	;;
esac
