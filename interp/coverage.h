/*
 * coverage.h - what the tests of a rule set exercise: `edict test --coverage`.
 *
 * The items measured are the decisions, tables and parameters; each case of
 * a decision (its default and each exception), each row of a table, each
 * dated value of a parameter (every `from` on its own); and each check.  A
 * decision is covered when a test decided it, a case or row when a test's
 * evaluation chose it, a dated value when a test ran on a date it was in
 * force; a check when it ran and held.
 *
 * Recording costs nothing when coverage is off: the tests then run exactly
 * as before.  When it is on they run in explain mode (the traced bytecode),
 * and after each evaluation cov_harvest takes the trace's records of
 * decisions decided and cases chosen.  The report is text for people
 * (by module, with the uncovered items by file:line) or lcov's trace file
 * format for editors and genhtml.
 */
#ifndef EDICT_COVERAGE_H
#define EDICT_COVERAGE_H

#include "format.h"
#include "vm.h"

typedef struct Coverage Coverage;

/* Every item of p, none covered yet. */
Coverage *cov_new(const Program *p);
/* Take the records of c's trace (then emptied) into the counts. */
void cov_harvest(Coverage *cov, Ctx *c);
/* Check i of the program ran; held: it did not fail. */
void cov_check(Coverage *cov, int check, bool held);

/* Items, and how many of them are covered. */
void cov_totals(const Coverage *cov, int *items, int *covered);
/* The summary for people: a line per module, and under it each item not
 * covered as "file:line:col: what". */
void cov_summary(const Coverage *cov, Buf *out);
/* The lcov trace file: per source file, its decisions, tables and
 * parameters as functions (FN/FNDA) and every item as a line (DA). */
void cov_lcov(const Coverage *cov, Buf *out);

#endif
