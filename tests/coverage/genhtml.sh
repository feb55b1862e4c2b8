#!/bin/sh
# tests/coverage/genhtml.sh - `edict test --lcov` writes a trace file that
# lcov's genhtml reads: the page of the rule file lists its decisions as
# functions, with the ones the tests never decided marked.
#
#   sh genhtml.sh EDICT RULE_DIR WORK_DIR
set -eu
edict=$1 rules=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
"$edict" test "$rules" --lcov "$work/coverage.info" >"$work/test.out"
grep -q '^SF:' "$work/coverage.info"
genhtml --quiet --output-directory "$work/html" "$work/coverage.info" >"$work/genhtml.out" 2>&1 || {
	cat "$work/genhtml.out"
	exit 1
}
# genhtml's own summary of the functions (the decisions, tables, parameters)
funcs=$(find "$work/html" -name '*.edict.func.html' | head -1)
[ -n "$funcs" ] || { echo "genhtml wrote no function page"; exit 1; }
grep -q 'voucher.award' "$funcs" || { echo "voucher.award is missing from $funcs"; exit 1; }
grep -q 'voucher.disbursement' "$funcs" || { echo "voucher.disbursement is missing from $funcs"; exit 1; }
echo "genhtml read $(grep -c '^SF:' "$work/coverage.info") file(s); pages in $work/html"
