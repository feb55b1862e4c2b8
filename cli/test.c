/*
 * test.c - `edict test PATH... [--coverage] [--lcov FILE] [--min PERCENT]`:
 * run the tests written in the rule files and, with --coverage, say what
 * they exercised (interp/coverage.c): a summary by module on standard
 * output, an lcov trace file with --lcov, and exit status 1 when the share
 * covered is below --min.
 */
#include "mem.h"
#include <stdio.h>

#include "commands.h"
#include "common.h"
#include "api.h"
#include "coverage.h"

/* The report, the lcov file and the threshold; returns the exit status. */
static int report(const Opts *o, Program *p, Coverage *cov)
{
	/* checks are exercised by running them, as `edict check` does */
	query_run_checks_cov(p, date_today(), diag_new(), cov);
	Buf b = {0};
	cov_summary(cov, &b);
	fputs(buf_cstr(&b), stdout);
	if (o->lcov) {
		Buf l = {0};
		cov_lcov(cov, &l);
		const char *err;
		if (!fio_write_file(o->lcov, l.s ? l.s : "", l.n, &err)) {
			fprintf(stderr, "edict: %s\n", err);
			return EXIT_DIAG;
		}
	}
	int n, covered;
	cov_totals(cov, &n, &covered);
	if (n && covered * 100.0 < o->min * n) {
		fprintf(stderr, "edict: the tests exercise %.1f%% of the rules, below the minimum of %g%%\n",
			covered * 100.0 / n, o->min);
		return EXIT_DIAG;
	}
	return EXIT_OK;
}

int cmd_test(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "test") < 0)
		return EXIT_USAGE;
	Program *p = cli_load(&o);
	if (!p)
		return EXIT_DIAG;
	Coverage *cov = o.coverage ? cov_new(p) : NULL;
	Buf b = {0};
	int passed;
	int failed = query_run_tests_cov(p, &b, cli_color(stdout), &passed, cov);
	fputs(buf_cstr(&b), stdout);
	int status = cov ? report(&o, p, cov) : EXIT_OK;
	return failed ? EXIT_DIAG : status;
}
