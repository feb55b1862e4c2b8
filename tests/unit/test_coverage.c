/*
 * test_coverage.c - unit tests for interp/coverage.c: the items a rule set
 * has, what its tests exercise of them, and the reports.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "coverage.h"
#include "load.h"
#include "query.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(coverage, .init = setup);

static Program *prog(const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "t.edict";
	s->text = text;
	s->len = strlen(text);
	const Source *srcs[1] = {s};
	Diags *d = diag_new();
	Program *p = load_sources(srcs, 1, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	return p;
}

static const char *RULES = "fact n : int\n"
			   "param limit : int\n"
			   "  from 2025-01-01 = 10\n"
			   "  from 2027-01-01 = 20\n"
			   "decision big : bool = n > limit\n"
			   "decision band : string\n"
			   "  default \"small\"\n"
			   "  exception large when big then \"large\"\n"
			   "check \"holds\": 1 < 2\n"
			   "check \"fails\": 2 < 1\n";

/* Run the tests written after RULES with coverage; returns it. */
static Coverage *run(const char *tests)
{
	Program *p = prog(xprintf("%s%s", RULES, tests));
	Coverage *cov = cov_new(p);
	Buf b = {0};
	int passed;
	cr_assert_eq(query_run_tests_cov(p, &b, false, &passed, cov), 0, "%s", buf_cstr(&b));
	query_run_checks_cov(p, 0, diag_new(), cov);
	return cov;
}

Test(coverage, items_and_what_a_test_exercises)
{
	Coverage *cov = run("test \"t\" { as of 2026-01-01 given n = 50 expect band = \"large\" }\n");
	int n, covered;
	cov_totals(cov, &n, &covered);
	/* limit + 2 values, big, band + 2 cases, 2 checks */
	cr_assert_eq(n, 9);
	/* not: the 2027 value, band's default, the failing check */
	cr_assert_eq(covered, 6);
	Buf b = {0};
	cov_summary(cov, &b);
	const char *s = buf_cstr(&b);
	cr_assert(strstr(s, "t.edict:4:8: not exercised: t.limit: the value from 2027-01-01"), "%s", s);
	cr_assert(strstr(s, "t.edict:7:3: not exercised: t.band: the default"), "%s", s);
	cr_assert(strstr(s, "not exercised: check \"fails\""), "%s", s);
	cr_assert(strstr(s, "total: 6 of 9 items exercised, 66.7%"), "%s", s);
}

Test(coverage, nothing_is_counted_without_tests)
{
	Coverage *cov = cov_new(prog(RULES));
	int n, covered;
	cov_totals(cov, &n, &covered);
	cr_assert_eq(n, 9);
	cr_assert_eq(covered, 0);
}

Test(coverage, lcov_records)
{
	Coverage *cov = run("test \"t\" { as of 2027-06-01 given n = 5 expect band = \"small\" }\n");
	Buf b = {0};
	cov_lcov(cov, &b);
	const char *s = buf_cstr(&b);
	cr_assert(strncmp(s, "TN:\nSF:t.edict\n", 15) == 0, "%s", s);
	cr_assert(strstr(s, "FN:2,t.limit\n"), "%s", s);
	cr_assert(strstr(s, "DA:3,0\n"), "%s", s); /* the 2025 value is not used in 2027 */
	cr_assert(strstr(s, "DA:8,0\n"), "%s", s); /* nor is the exception */
	cr_assert(strstr(s, "end_of_record\n"), "%s", s);
}
