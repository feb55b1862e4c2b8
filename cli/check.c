/*
 * check.c - `edict check PATH...`: load a rule set, report its diagnostics,
 * and run the checks written in it.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "api.h"
#include "format.h"
#include "load.h"
#include "query.h"
#include "schema.h"

/* "3" and "parameter" -> "3 parameters, " appended to b */
static void count(Buf *b, int n, const char *what, const char *sep)
{
	buf_printf(b, "%d %s%s%s", n, what, n == 1 ? "" : "s", sep);
}

/* The summary line, on standard output: parameters and decisions apart. */
static void print_summary(const Program *p, int nwarnings)
{
	int nparams = 0, neach = 0; /* neach: decisions for each member of a list */
	for (int i = 0; i < p->ndecls; i++)
		nparams += p->decls[i]->kind == D_PARAM;
	for (int i = 0; i < p->nfuncs; i++)
		neach += p->funcs[i]->each != NULL;
	Buf b = {0};
	buf_printf(&b, "%d file%s checked: ", p->nmods, p->nmods == 1 ? "" : "s");
	count(&b, nparams, "parameter", ", ");
	count(&b, p->ndecls - nparams + neach, "decision", ", ");
	count(&b, p->nchecks, "check", ", ");
	count(&b, p->ntests, "test", "; ");
	count(&b, nwarnings, "warning", "\n");
	fputs(buf_cstr(&b), stdout);
}

/* Each reform found under the paths, loaded over the rules: false when
 * one has errors (its diagnostics printed). */
static bool check_reforms(Program *p)
{
	bool ok = true;
	for (int i = 0; i < p->nreforms; i++) {
		Diags *d = diag_new();
		Program *rp = load_reform(p, &p->reforms[i], 1, d);
		cli_print_reform_diags(d, &p->reforms[i]->path, 1);
		ok &= rp && !d->nerrors;
	}
	return ok;
}

int cmd_check(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "check") < 0)
		return EXIT_USAGE;
	Diags *d = diag_new();
	/* the code is made only for the checks written in the rules */
	Program *p = load_paths_checked(o.eval.paths, o.eval.npaths, d);
	if (p && d->nerrors == 0 && p->nchecks) {
		load_code(p);
		date_t as_of = date_today();
		if (o.eval.as_of)
			date_parse(o.eval.as_of, strlen(o.eval.as_of), &as_of);
		query_run_checks(p, as_of, d);
	}
	cli_print_diags(d);
	if (d->nerrors)
		return EXIT_DIAG;
	if (p && !check_reforms(p))
		return EXIT_DIAG;
	if (p) {
		print_summary(p, d->nwarnings);
		if (p->nreforms)
			printf("%d reform%s checked\n", p->nreforms, p->nreforms == 1 ? "" : "s");
		/* the hash `edict serve` reports with every decision */
		char hash[72];
		schema_hash(p, hash);
		printf("rule set hash %s\n", hash);
	}
	return EXIT_OK;
}

