/*
 * test.c - `edict test PATH... [--reform FILE|DIR]... [--coverage] [--lcov
 * FILE] [--min PERCENT]`: run the tests written in the rule files and,
 * with --coverage, say what they exercised (interp/coverage.c): a summary
 * by module on standard output, an lcov trace file with --lcov, and exit
 * status 1 when the share covered is below --min.
 *
 * Reforms: the tests written in a reform run over the rules as the reform
 * changes them, the other tests over the rules as they are.  Each file
 * under the paths that starts `reform NAME` is a reform on its own; the
 * files given with --reform are one reform together.
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

/* The tests of one reform (files, a name for it) over the rules as it
 * changes them (rp): adds to *passed and *failed; false when the reform has
 * errors (printed). */
static bool test_reform(Program *rp, const Diags *d, const char *const *files, int nfiles,
			const char *name, int *passed, int *failed)
{
	printf("\nReform %s\n", name);
	fflush(stdout);
	cli_print_reform_diags(d, files, nfiles);
	if (!rp || d->nerrors) {
		printf("not tested: the reform has errors\n");
		return false;
	}
	Buf b = {0};
	int ok;
	*failed += query_run_tests_in(rp, files, nfiles, &b, cli_color(stdout), &ok);
	*passed += ok;
	fputs(buf_cstr(&b), stdout);
	return true;
}

/* Every reform: those found under the paths, one by one, then the one of
 * --reform.  Returns whether all loaded; counts into *passed, *failed. */
static bool test_reforms(const Opts *o, Program *p, int *passed, int *failed)
{
	bool ok = true;
	for (int i = 0; i < p->nreforms; i++) {
		Diags *d = diag_new();
		Program *rp = load_reform(p, &p->reforms[i], 1, d);
		const char *file = p->reforms[i]->path;
		ok &= test_reform(rp, d, &file, 1, file, passed, failed);
	}
	if (o->nreforms) {
		Diags *d = diag_new();
		Program *rp = load_reform_paths(p, o->reforms, o->nreforms, d);
		int nfiles = 0;
		const char **files = load_find_files(o->reforms, o->nreforms, diag_new(), &nfiles);
		Buf name = {0};
		for (int i = 0; i < o->nreforms; i++)
			buf_printf(&name, "%s%s", i ? ", " : "", o->reforms[i]);
		ok &= test_reform(rp, d, files, nfiles, buf_cstr(&name), passed, failed);
	}
	return ok;
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
	bool loaded = true;
	if (p->nreforms || o.nreforms) {
		loaded = test_reforms(&o, p, &passed, &failed);
		printf("\nin all: %d passed, %d failed\n", passed, failed);
	}
	int status = cov ? report(&o, p, cov) : EXIT_OK;
	return failed || !loaded ? EXIT_DIAG : status;
}
