/*
 * cli.c - the `edict` command: check, eval, test, disasm, batch, repl.
 *
 * The command is a host like any other: it loads a rule set, reports
 * diagnostics, and evaluates.  Exit statuses are a contract:
 *   0 success (warnings allowed), 1 diagnostics, failed tests or checks,
 *   2 usage error, 3 invalid facts input.
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "disasm.h"
#include "explain.h"
#include "facts.h"
#include "load.h"
#include "query.h"
#include "repl.h"
#include "simulate.h"

#ifndef EDICT_VERSION
#define EDICT_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_DIAG = 1, EXIT_USAGE = 2, EXIT_FACTS = 3 };

static bool color_out(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(nc && *nc);
}

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "edict: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nRun 'edict help' for the commands and their options.\n");
}

void cli_print_diags(const Diags *d)
{
	bool color = color_out(stderr);
	const Diag **order = diag_sorted(d);
	for (int i = 0; i < d->n; i++)
		fputs(diag_render(d, order[i], color), stderr);
	int max = d->max_errors ? d->max_errors : 100;
	if (d->nerrors > max)
		fprintf(stderr, "... and %d more errors\n", d->nerrors - max);
	if (d->nwarnings > DIAG_MAX_WARNINGS)
		fprintf(stderr, "... and %d more warnings\n", d->nwarnings - DIAG_MAX_WARNINGS);
}

static const char *help_text =
	"Edict " EDICT_VERSION " - policy rules that read like policy.\n"
	"\n"
	"Usage:\n"
	"  edict check PATH...                  check rule files and run their checks\n"
	"  edict eval PATH... --facts FILE|-    evaluate decisions for one set of facts\n"
	"        [--query Q]... [--as-of DATE] [--json] [--explain]\n"
	"  edict test PATH...                   run the tests written in the rule files\n"
	"  edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--fail-fast]\n"
	"                                       one JSON document a line in, one result a line out\n"
	"  edict simulate PATH... --reform REFORM --population FILE.ndjson [--query Q]...\n"
	"        [--as-of DATE] [--budget AMOUNT] [--examples N] [--json]\n"
	"                                       what a reform changes across a population\n"
	"  edict repl PATH... [--facts FILE] [--as-of DATE] [--echo]\n"
	"                                       ask questions, try what-ifs, see why not ('help' inside)\n"
	"  edict disasm PATH...                 show the compiled bytecode\n"
	"  edict --version                      print the version\n"
	"  edict help                           print this help\n"
	"\n"
	"PATH is a .edict file or a directory of them.  Q is a decision name\n"
	"(voucher.priority) or any expression over the rules ('roadmap.launching_in(3)').\n"
	"Without --query, every public decision is evaluated.  --as-of defaults to\n"
	"the facts' \"as_of\" field, else today.\n"
	"\n"
	"Exit status: 0 success, 1 errors, failed tests or checks, 2 usage error,\n"
	"3 invalid facts.\n";

int cli_shared_option(int argc, char **argv, int *i, const char ***queries, int *nqueries, const char **as_of,
		      int *jobs, CliUsage usage)
{
	const char *a = argv[*i];
	bool more = *i + 1 < argc;
	if (strcmp(a, "--query") == 0 || strcmp(a, "-q") == 0) {
		if (!more)
			return usage("%s needs a decision name or an expression after it", a), -1;
		AST_PUSH(*queries, *nqueries, argv[++*i]);
		return 1;
	}
	if (strcmp(a, "--as-of") == 0) {
		if (!more)
			return usage("%s needs a date like 2026-12-01", a), -1;
		*as_of = argv[++*i];
		date_t d;
		if (date_parse(*as_of, strlen(*as_of), &d) != 0)
			return usage("--as-of needs a real date like 2026-12-01, not '%s'", *as_of), -1;
		return 1;
	}
	if (jobs && (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0)) {
		if (!more)
			return usage("%s needs a number", a), -1;
		char *end;
		long n = strtol(argv[++*i], &end, 10);
		if (*end || n < 1 || n > 256)
			return usage("--jobs needs a number from 1 to 256, not '%s'", argv[*i]), -1;
		*jobs = (int)n;
		return 1;
	}
	return 0;
}

/* Options shared by the commands that take a rule set. */
typedef struct Opts {
	const char **paths;
	int npaths;
	const char **queries;
	int nqueries;
	const char *facts;
	const char *as_of;
	bool json, explain, fail_fast;
	int jobs;
} Opts;

static int parse_opts(int argc, char **argv, Opts *o, const char *cmd)
{
	memset(o, 0, sizeof *o);
	o->jobs = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		int shared = cli_shared_option(argc, argv, &i, &o->queries, &o->nqueries, &o->as_of, &o->jobs, usage_error);
		if (shared < 0)
			return -1;
		if (shared) {
			continue;
		} else if (strcmp(a, "--facts") == 0 || strcmp(a, "-f") == 0) {
			if (!more)
				return usage_error("%s needs a file name (or - for standard input)", a), -1;
			o->facts = argv[++i];
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--explain") == 0) {
			o->explain = true;
		} else if (strcmp(a, "--fail-fast") == 0) {
			o->fail_fast = true;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s'", a), -1;
		} else {
			AST_PUSH(o->paths, o->npaths, a);
		}
	}
	if (o->npaths == 0)
		return usage_error("'edict %s' needs at least one rule file or directory", cmd), -1;
	return 0;
}

Program *cli_load(const Opts *o)
{
	Diags *d = diag_new();
	Program *p = load_paths(o->paths, o->npaths, d);
	cli_print_diags(d);
	if (!p || d->nerrors)
		return NULL;
	return p;
}

static int cmd_check(int argc, char **argv)
{
	Opts o;
	if (parse_opts(argc, argv, &o, "check") < 0)
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
	if (p)
		fprintf(stderr, "%d file%s checked: %d decision%s, %d check%s, %d test%s; %d warning%s\n", p->nmods,
			p->nmods == 1 ? "" : "s", p->ndecls, p->ndecls == 1 ? "" : "s", p->nchecks, p->nchecks == 1 ? "" : "s",
			p->ntests, p->ntests == 1 ? "" : "s", d->nwarnings, d->nwarnings == 1 ? "" : "s");
	return EXIT_OK;
}

/* The queries of an eval: the --query texts, or every public decision.
 * After errors, NULL; they are printed unless `quiet`. */
static Query **compile_queries(Program *p, const Opts *o, int *nq, bool quiet)
{
	Diags *d = diag_new();
	Query **qs = NULL;
	*nq = 0;
	if (o->nqueries) {
		for (int i = 0; i < o->nqueries; i++) {
			Query *q = query_compile(p, o->queries[i], "--query", d);
			AST_PUSH(qs, *nq, q);
		}
	} else {
		for (int i = 0; i < p->ndecls; i++) {
			Decl *dd = p->decls[i];
			if (dd->kind == D_PARAM || dd->private_)
				continue;
			Query *q = query_compile(p, dd->qname, "--query", d);
			AST_PUSH(qs, *nq, q);
		}
	}
	if (d->nerrors) {
		if (!quiet)
			cli_print_diags(d);
		return NULL;
	}
	if (*nq == 0) {
		fputs("edict: these rules have no public decision to evaluate; name what to evaluate with --query\n", stderr);
		return GC_MALLOC(sizeof(Query *)); /* an empty list, not an error */
	}
	return qs;
}

static int cmd_eval(int argc, char **argv)
{
	Opts o;
	if (parse_opts(argc, argv, &o, "eval") < 0)
		return EXIT_USAGE;
	if (!o.facts) {
		usage_error("'edict eval' needs --facts FILE (or --facts - to read standard input)%s", "");
		return EXIT_USAGE;
	}
	/* With --query, only what the queries reach is loaded whole
	 * (load_paths_for; docs/language.md, section 17).  When that fails,
	 * or a query does not compile against it, the whole rule set is loaded
	 * and reported as `edict check` would: the same words and hints. */
	Program *p = NULL;
	Query **qs = NULL;
	int nq = 0;
	if (o.nqueries) {
		Diags *d = diag_new();
		p = load_paths_for(o.paths, o.npaths, o.queries, o.nqueries, d);
		if (p && !d->nerrors && (qs = compile_queries(p, &o, &nq, true)) != NULL)
			cli_print_diags(d);
	}
	if (!qs) {
		if (!(p = cli_load(&o)))
			return EXIT_DIAG;
		if (!(qs = compile_queries(p, &o, &nq, false)))
			return EXIT_DIAG;
	}
	size_t len;
	const char *err;
	char *text;
	if (strcmp(o.facts, "-") == 0)
		text = load_file("/dev/stdin", FACTS_MAX_BYTES, &len, &err);
	else
		text = load_file(o.facts, FACTS_MAX_BYTES, &len, &err);
	if (!text) {
		fprintf(stderr, "edict: %s\n", err);
		return EXIT_FACTS;
	}
	Ctx *c = vm_new(p);
	c->trace = o.explain;
	if (facts_load_json(c, text, len, strcmp(o.facts, "-") == 0 ? "<stdin>" : o.facts, &err) != ST_OK) {
		fprintf(stderr, "error: %s\n", err);
		return EXIT_FACTS;
	}
	if (o.as_of)
		date_parse(o.as_of, strlen(o.as_of), &c->as_of);
	vm_reset(c);
	Value *vals = GC_MALLOC(sizeof(Value) * (size_t)(nq + 1));
	const char **errs = GC_MALLOC(sizeof(char *) * (size_t)(nq + 1));
	int nerr = 0;
	for (int i = 0; i < nq; i++) {
		c->top_frame = -2 - i; /* each query's own trace, for its explanation */
		if (query_run(c, qs[i], &vals[i]) != ST_OK) {
			/* the same shape as any diagnostic: where, what, the line, carets */
			Diag dg = {SEV_ERROR, c->errloc, c->errmsg, NULL};
			errs[i] = diag_render(p->diags, &dg, color_out(stderr));
			if (o.json)
				errs[i] = xprintf("%s:%d:%d: error: %s", c->errloc.file ? c->errloc.file : "?", c->errloc.line,
						  c->errloc.col, c->errmsg);
			nerr++;
		}
	}
	char day[DATE_TEXT_LEN + 1];
	date_format(c->as_of, day);
	Buf b = {0};
	if (o.json) {
		buf_printf(&b, "{\"as_of\":\"%s\",\"decisions\":{", day);
		int k = 0;
		for (int i = 0; i < nq; i++) {
			if (errs[i])
				continue;
			if (k++)
				buf_puts(&b, ",");
			buf_json_str(&b, qs[i]->text, strlen(qs[i]->text));
			buf_puts(&b, ":");
			fmt_json(p, vals[i], &b);
		}
		buf_puts(&b, "},\"missing\":{");
		k = 0;
		for (int i = 0; i < nq; i++) {
			if (errs[i] || vals[i].tag != V_UNKNOWN)
				continue;
			if (k++)
				buf_puts(&b, ",");
			buf_json_str(&b, qs[i]->text, strlen(qs[i]->text));
			buf_puts(&b, ":");
			explain_missing_json(vals[i], &b);
		}
		buf_puts(&b, "}");
		if (nerr) {
			buf_puts(&b, ",\"errors\":{");
			k = 0;
			for (int i = 0; i < nq; i++) {
				if (!errs[i])
					continue;
				if (k++)
					buf_puts(&b, ",");
				buf_json_str(&b, qs[i]->text, strlen(qs[i]->text));
				buf_puts(&b, ":");
				buf_json_str(&b, errs[i], strlen(errs[i]));
			}
			buf_puts(&b, "}");
		}
		if (o.explain) {
			buf_puts(&b, ",\"explanations\":{");
			k = 0;
			for (int i = 0; i < nq; i++) {
				if (errs[i])
					continue;
				if (k++)
					buf_puts(&b, ",");
				buf_json_str(&b, qs[i]->text, strlen(qs[i]->text));
				buf_puts(&b, ":");
				explain_json(c, qs[i]->decl >= 0 ? qs[i]->decl : -2 - i, qs[i]->text, vals[i], &b);
			}
			buf_puts(&b, "}");
		}
		buf_puts(&b, "}\n");
	} else {
		unsigned char *seen = GC_MALLOC_ATOMIC((size_t)p->ndecls + 1);
		if (o.explain)
			buf_printf(&b, "as of %s\n\n", day);
		for (int i = 0; i < nq; i++) {
			if (errs[i])
				continue;
			if (o.explain) {
				explain_text(c, qs[i]->decl >= 0 ? qs[i]->decl : -2 - i, qs[i]->text, vals[i], &b, seen);
				buf_puts(&b, "\n");
				continue;
			}
			buf_printf(&b, "%s = ", qs[i]->text);
			fmt_value(p, vals[i], &b);
			if (vals[i].tag == V_UNKNOWN && vals[i].as.m && vals[i].as.m->len) {
				buf_puts(&b, " (missing: ");
				for (uint32_t j = 0; j < vals[i].as.m->len; j++)
					buf_printf(&b, "%s%s", j ? ", " : "", vals[i].as.m->paths[j]->data);
				buf_puts(&b, ")");
			}
			buf_puts(&b, "\n");
		}
	}
	fputs(buf_cstr(&b), stdout);
	for (int i = 0; i < nq; i++)
		if (errs[i])
			fprintf(stderr, o.json ? "%s\n" : "%s", errs[i]);
	return nerr ? EXIT_DIAG : EXIT_OK;
}

/* The commands that load a rule set and print one report about it. */
static int cmd_report(int argc, char **argv, const char *cmd)
{
	Opts o;
	if (parse_opts(argc, argv, &o, cmd) < 0)
		return EXIT_USAGE;
	Program *p = cli_load(&o);
	if (!p)
		return EXIT_DIAG;
	Buf b = {0};
	int failed = 0, passed;
	if (strcmp(cmd, "test") == 0)
		failed = query_run_tests(p, &b, color_out(stdout), &passed);
	else
		disasm_program(p, &b);
	fputs(buf_cstr(&b), stdout);
	return failed ? EXIT_DIAG : EXIT_OK;
}

int main(int argc, char **argv)
{
	GC_INIT();
	mem_init();
	MemTry oom;
	if (mem_try(&oom)) {
		fputs("edict: out of memory\n", stderr);
		return EXIT_DIAG;
	}
	if (argc < 2) {
		fputs(help_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("edict %s\n", EDICT_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(help_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(argc - 2, argv + 2);
	if (strcmp(cmd, "test") == 0 || strcmp(cmd, "disasm") == 0)
		return cmd_report(argc - 2, argv + 2, cmd);
	if (strcmp(cmd, "repl") == 0)
		return repl_main(argc - 2, argv + 2);
	if (strcmp(cmd, "batch") == 0)
		return batch_main(argc - 2, argv + 2);
	if (strcmp(cmd, "simulate") == 0)
		return simulate_main(argc - 2, argv + 2);
	usage_error("unknown command '%s'", cmd);
	return EXIT_USAGE;
}
