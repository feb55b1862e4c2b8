/*
 * common.c - the pieces of the command line that its commands share
 * (common.h): diagnostics on stderr, usage errors, option parsing.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "api.h"
#include "load.h"
#include "native.h"

bool cli_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(nc && *nc);
}

void cli_usage(const char *who, const char *fmt, const char *arg, const char *then)
{
	fprintf(stderr, "%s: ", who);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", then);
}

void cli_usage_error(const char *fmt, const char *arg)
{
	cli_usage("edict", fmt, arg, "Run 'edict help' for the commands and their options.");
}

static bool in_files(const char *file, const char *const *files, int n)
{
	for (int i = 0; file && i < n; i++)
		if (strcmp(file, files[i]) == 0)
			return true;
	return false;
}

void cli_print_diags(const Diags *d)
{
	cli_print_reform_diags(d, NULL, 0);
}

void cli_print_reform_diags(const Diags *d, const char *const *files, int nfiles)
{
	bool color = cli_color(stderr);
	const Diag **order = diag_sorted(d);
	for (int i = 0; i < d->n; i++)
		if (!files || order[i]->sev == SEV_ERROR || in_files(order[i]->loc.file, files, nfiles))
			fputs(diag_render(d, order[i], color), stderr);
	int max = d->max_errors ? d->max_errors : 100;
	if (d->nerrors > max)
		fprintf(stderr, "... and %d more errors\n", d->nerrors - max);
	if (d->nwarnings > DIAG_MAX_WARNINGS)
		fprintf(stderr, "... and %d more warnings\n", d->nwarnings - DIAG_MAX_WARNINGS);
}

const char *cli_option_value(int argc, char **argv, int *i, const char *need, CliUsage usage)
{
	if (*i + 1 >= argc)
		return usage(need, argv[*i]), NULL;
	return argv[++*i];
}

/* The value of an option that names a file or folder to write: not
 * missing, and not empty (an empty name names nothing to write to). */
static const char *named_value(int argc, char **argv, int *i, const char *need)
{
	const char *opt = argv[*i];
	const char *v = cli_option_value(argc, argv, i, need, cli_usage_error);
	if (v && !*v) {
		cli_usage_error(xprintf("%s, not an empty name", need), opt);
		return NULL;
	}
	return v;
}

int cli_shared_option(int argc, char **argv, int *i, CliEvalOpts *e, CliUsage usage)
{
	const char *a = argv[*i];
	if (strcmp(a, "--query") == 0 || strcmp(a, "-q") == 0) {
		const char *q = cli_option_value(argc, argv, i, "%s needs a decision name or an expression after it", usage);
		if (!q)
			return -1;
		AST_PUSH(e->queries, e->nqueries, q);
		return 1;
	}
	if (strcmp(a, "--as-of") == 0) {
		if (!(e->as_of = cli_option_value(argc, argv, i, "%s needs a date like 2026-12-01", usage)))
			return -1;
		date_t d;
		if (date_parse(e->as_of, strlen(e->as_of), &d) != 0)
			return usage("--as-of needs a real date like 2026-12-01, not '%s'", e->as_of), -1;
		return 1;
	}
	if (strcmp(a, "--native") == 0) {
		e->run.native = true;
		return 1;
	}
	if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
		long n;
		if (cli_number_option(argc, argv, i, "--jobs", 1, 256, &n, usage) < 0)
			return -1;
		e->run.jobs = (int)n;
		return 1;
	}
	return 0;
}

int cli_number_option(int argc, char **argv, int *i, const char *name, long lo, long hi, long *n, CliUsage usage)
{
	const char *v = cli_option_value(argc, argv, i, "%s needs a number", usage);
	if (!v)
		return -1;
	char *end;
	*n = strtol(v, &end, 10);
	if (*end || *n < lo || *n > hi)
		return usage(xprintf("%s needs a number from %ld to %ld, not '%%s'", name, lo, hi), argv[*i]), -1;
	return 1;
}

/* One word of cli_parse_eval_opts: 1 taken, 2 --help, 0 a rule path
 * (taken too), -1 after calling usage. */
static int eval_word(int argc, char **argv, int *i, CliEvalOpts *e, CliOwnOption own, void *opts, CliUsage usage)
{
	const char *a = argv[*i];
	int taken = own(argc, argv, i, opts, usage);
	if (!taken)
		taken = cli_shared_option(argc, argv, i, e, usage);
	if (taken)
		return taken;
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		return 2;
	if (a[0] == '-' && a[1])
		return usage("unknown option '%s'", a), -1;
	AST_PUSH(e->paths, e->npaths, a);
	return 0;
}

int cli_parse_eval_opts(int argc, char **argv, CliEvalOpts *e, CliOwnOption own, void *opts, CliUsage usage,
			const char *help)
{
	memset(e, 0, sizeof *e);
	e->run.jobs = 1;
	for (int i = 0; i < argc; i++) {
		int w = eval_word(argc, argv, &i, e, own, opts, usage);
		if (w < 0)
			return EXIT_USAGE;
		if (w == 2) {
			fputs(help, stdout);
			return EXIT_OK;
		}
	}
	if (e->npaths == 0)
		return usage("needs at least one rule file or directory%s", ""), EXIT_USAGE;
	return CLI_GO_ON;
}

static bool is_coverage_option(const char *a)
{
	return strcmp(a, "--coverage") == 0 || strcmp(a, "--lcov") == 0 || strcmp(a, "--min") == 0;
}

/* --coverage, --lcov FILE, --min PERCENT (80, 80% or 92.5). */
static int coverage_option(int argc, char **argv, int *i, Opts *o)
{
	const char *a = argv[*i];
	o->coverage = true;
	if (strcmp(a, "--coverage") == 0)
		return 0;
	const char *v = cli_option_value(argc, argv, i, "%s needs a value after it", cli_usage_error);
	if (!v)
		return -1;
	if (strcmp(a, "--lcov") == 0) {
		o->lcov = v;
		return 0;
	}
	char *end;
	o->min = strtod(v, &end);
	if (end == v || (*end && strcmp(end, "%") != 0) || !(o->min >= 0 && o->min <= 100))
		return cli_usage_error("--min needs a percentage from 0 to 100, like 80 or 92.5%%, not '%s'", v), -1;
	return 0;
}

int cli_parse_opts(int argc, char **argv, Opts *o, const char *cmd)
{
	memset(o, 0, sizeof *o);
	o->eval.run.jobs = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int shared = cli_shared_option(argc, argv, &i, &o->eval, cli_usage_error);
		if (shared < 0)
			return -1;
		if (shared) {
			continue;
		} else if (strcmp(a, "--facts") == 0 || strcmp(a, "-f") == 0) {
			if (!(o->facts = cli_option_value(argc, argv, &i, "%s needs a file name (or - for standard input)",
							  cli_usage_error)))
				return -1;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--explain") == 0 || strcmp(a, "--explain=full") == 0) {
			o->explain = true;
			o->explain_full = strcmp(a, "--explain=full") == 0;
		} else if (strncmp(a, "--explain=", 10) == 0) {
			return cli_usage_error("--explain takes no value, or '=full' to show every item of a loop and the inside "
					       "of the functions called, not '%s'", a + 10), -1;
		} else if (strcmp(a, "--fail-fast") == 0) {
			o->fail_fast = true;
		} else if (strcmp(cmd, "test") == 0 && is_coverage_option(a)) {
			if (coverage_option(argc, argv, &i, o) < 0)
				return -1;
		} else if (strcmp(cmd, "compile") == 0 && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
			if (!(o->out = named_value(argc, argv, &i, "%s needs the name of the image file to write, like kotra.edc")))
				return -1;
		} else if (strcmp(cmd, "test") == 0 && strcmp(a, "--reform") == 0) {
			const char *r = cli_option_value(argc, argv, &i, "%s needs a rule file or directory that changes the rules",
							 cli_usage_error);
			if (!r)
				return -1;
			AST_PUSH(o->reforms, o->nreforms, r);
		} else if (strcmp(cmd, "doc") == 0 && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
			if (!(o->out = named_value(argc, argv, &i, "%s needs a folder to write the site into")))
				return -1;
		} else if (strcmp(cmd, "graph") == 0 && strcmp(a, "--format") == 0) {
			if (i + 1 >= argc || (strcmp(argv[i + 1], "dot") != 0 && strcmp(argv[i + 1], "svg") != 0))
				return cli_usage_error("--format needs 'dot' or 'svg'%s", ""), -1;
			o->format = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a), -1;
		} else {
			AST_PUSH(o->eval.paths, o->eval.npaths, a);
		}
	}
	if (o->eval.npaths == 0)
		return cli_usage_error("'edict %s' needs at least one rule file or directory", cmd), -1;
	return 0;
}

Program *cli_load(const Opts *o)
{
	Diags *d = diag_new();
	Program *p = load_paths(o->eval.paths, o->eval.npaths, d);
	cli_print_diags(d);
	if (!p || d->nerrors)
		return NULL;
	return p;
}


bool cli_image_cache(int *argc, char **argv)
{
	bool off = false;
	int k = 0;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--no-cache") == 0)
			off = true;
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	const char *env = getenv("EDICT_CACHE");
	if (off || (env && (strcmp(env, "off") == 0 || strcmp(env, "0") == 0)))
		return false;
	const char *dir = env && *env && strcmp(env, "on") != 0 && strcmp(env, "1") != 0 ? env : NULL;
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (!dir && xdg && xdg[0] == '/')
		dir = xprintf("%s/edict", xdg);
	else if (!dir && home && home[0] == '/')
		dir = xprintf("%s/.cache/edict", home);
	load_set_image_cache(dir);
	return dir != NULL;
}

void cli_heap_for_jobs(int jobs)
{
	if (jobs > 1 && !getenv("GC_INITIAL_HEAP_SIZE"))
		mem_heap_at_least(CLI_HEAP_PER_JOB * (size_t)jobs);
}

static void *native_main(void *arg)
{
	CliNative *n = arg;
	for (int i = 0; i < n->nrules; i++)
		edict_rules_native(n->rules[i], n->queries, n->nqueries); /* or the interpreter runs it all */
	return NULL;
}

void cli_native_start(CliNative *n)
{
	if (!n->nrules)
		return;
	n->started = native_beside_threads() && pthread_create(&n->thread, NULL, native_main, n) == 0;
	if (!n->started)
		native_main(n);
}

void cli_native_wait(CliNative *n)
{
	if (n->started)
		pthread_join(n->thread, NULL);
	n->started = false;
}
