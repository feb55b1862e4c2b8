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
#include "schema.h"

int cmd_check(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "check") < 0)
		return EXIT_USAGE;
	Diags *d = diag_new();
	Program *p = load_paths(o.paths, o.npaths, d);
	if (p && d->nerrors == 0) {
		date_t as_of = date_today();
		if (o.as_of)
			date_parse(o.as_of, strlen(o.as_of), &as_of);
		query_run_checks(p, as_of, d);
	}
	cli_print_diags(d);
	if (d->nerrors)
		return EXIT_DIAG;
	if (p) {
		fprintf(stderr, "%d file%s checked: %d decision%s, %d check%s, %d test%s; %d warning%s\n", p->nmods,
			p->nmods == 1 ? "" : "s", p->ndecls, p->ndecls == 1 ? "" : "s", p->nchecks, p->nchecks == 1 ? "" : "s",
			p->ntests, p->ntests == 1 ? "" : "s", d->nwarnings, d->nwarnings == 1 ? "" : "s");
		/* the hash `edict serve` reports with every decision */
		char hash[72];
		schema_hash(p, hash);
		fprintf(stderr, "rule set hash %s\n", hash);
	}
	return EXIT_OK;
}

