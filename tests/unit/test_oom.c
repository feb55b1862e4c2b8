/*
 * test_oom.c - out-of-memory injection, SQLite style: for N = 1, 2, 3 ...
 * the Nth allocation of a representative run fails.
 *
 * The run (run_all below) loads a two-module rule set that imports the
 * standard library (load_sources: parse, check, compile, table analysis),
 * loads JSON facts, compiles and evaluates queries plain and traced, explains
 * them, prints values as text and JSON, and runs the rules' own tests and
 * checks.  For every N until the run makes fewer than N allocations:
 *   - the run must end at the protected call (pr_call), nowhere else:
 *     no crash, no error status made up from a half-built object;
 *   - a normal run right after must succeed with exactly the results of a
 *     run that never failed: nothing global was left half-changed (nor
 *     the collector left disabled by a load that unwound).
 * The same sweep is made over load_paths (files on disk), which also checks
 * that no file descriptor is leaked by an unwind.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "compile.h"
#include "explain.h"
#include "facts.h"
#include "format.h"
#include "load.h"
#include "mem.h"
#include "query.h"
#include "api.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(oom, .init = setup, .timeout = 600);

static const char rules_main[] =
	"# the main module: facts, params, decisions, a table, a function, tests, checks\n"
	"import rates\n"
	"import std.calendar\n"
	"enum company_size = sme | midsize | large\n"
	"record task { number : int  name : string  launch_month : int optional  budget : money KRW default 0 KRW }\n"
	"fact company {\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_received : money KRW default 0 KRW\n"
	"  founded : date optional\n"
	"}\n"
	"fact tasks : list of task\n"
	"param cap : money KRW = 50_000_000 KRW source \"Task 4\"\n"
	"decision eligible : bool = company.size in [sme, midsize] source \"practice\"\n"
	"decision priority : bool = eligible and company.us_export_share >= rates.priority_share\n"
	"decision total : money KRW = sum(t.budget for t in tasks)\n"
	"decision award : money KRW = if eligible then min(cap - company.voucher_received, total) else 0 KRW\n"
	"decision speed : duration\n"
	"  default 30 days\n"
	"  exception fast when priority then 14 days source \"fast track\"\n"
	"  exception slow when company.size = large then 40 days overrides fast\n"
	"table grade : string hit first\n"
	"  when total > 100_000_000 KRW then \"big\"\n"
	"  when total > 10_000_000 KRW then \"medium\"\n"
	"  default \"small\"\n"
	"function launching_in(month : int) : list of int = [t.number for t in tasks where t.launch_month = month]\n"
	"decision march : list of int = launching_in(3)\n"
	"decision quarter : int = std.calendar.quarter_of(as_of)\n"
	"decision age : int = days_between(company.founded, as_of) otherwise 0\n"
	"decision names : list of string = sort([t.name for t in tasks])\n"
	"check \"the cap is positive\": cap > 0 KRW\n"
	"test \"priority at 10%\" {\n"
	"  as of 2026-06-01\n"
	"  given company = { size: sme, us_export_share: 10% }\n"
	"  expect priority = true\n"
	"  expect speed = 14 days\n"
	"}\n"
	"test \"large\" {\n"
	"  given company.size = large\n"
	"  given company.us_export_share = 50%\n"
	"  expect speed = 40 days\n"
	"}\n";

static const char rules_rates[] =
	"module rates\n"
	"param priority_share : percent\n"
	"  from 2025-05-01 = 10% source \"Task 4\"\n"
	"  from 2027-01-01 until 2028-01-01 = 8% source \"2027 notice\"\n";

static const char facts[] =
	"{\"as_of\": \"2026-12-01\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\",\n"
	" \"voucher_received\": \"10000000 KRW\", \"founded\": \"2019-03-01\"},\n"
	" \"tasks\": [{\"number\": 1, \"name\": \"b\", \"launch_month\": 3, \"budget\": \"20000000 KRW\"},\n"
	"           {\"number\": 2, \"name\": \"a\", \"budget\": \"5000000 KRW\"}]}";

static const char *queries[] = {
	"award", "priority", "speed", "grade", "march", "quarter", "age", "names",
	"award > 10_000_000 KRW and priority", "[t.number for t in tasks where t.budget > 1_000_000 KRW]",
};

static const Source *mksrc(const char *path, const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = path;
	s->text = text;
	s->len = strlen(text);
	return s;
}

/* Everything after loading: facts, queries, explanations, tests, checks.
 * Appends every result to *out. */
static void evaluate(Program *p, Buf *out)
{
	Ctx *c = vm_new(p);
	const char *err = NULL;
	int st = facts_load_json(c, facts, strlen(facts), "facts", &err);
	cr_assert_eq(st, ST_OK, "%s", err ? err : "");
	enum { NQ = sizeof queries / sizeof queries[0] };
	Query *all[NQ];
	for (size_t i = 0; i < NQ; i++) {
		Diags *d = diag_new();
		Query *q = all[i] = query_compile(p, queries[i], "query", d);
		cr_assert_not_null(q, "query %s", queries[i]);
		for (int trace = 0; trace <= 1; trace++) {
			c->trace = trace;
			vm_reset(c);
			Value v;
			st = query_run(c, q, &v);
			cr_assert_eq(st, ST_OK, "%s: %s", queries[i], c->errmsg);
			buf_printf(out, "%s = ", queries[i]);
			fmt_value(p, v, out);
			buf_puts(out, " ");
			fmt_json(p, v, out);
			buf_puts(out, "\n");
			if (trace)
				explain_text(c, q->decl >= 0 ? q->decl : c->top_frame, queries[i], v, out, NULL);
		}
	}
	/* all of them at once, under one protected call */
	c->trace = false;
	vm_reset(c);
	Value vals[NQ];
	int at = -1;
	st = query_run_many(c, (const Query *const *)all, NQ, vals, &at);
	cr_assert_eq(st, ST_OK, "%d: %s", at, c->errmsg);
	for (size_t i = 0; i < NQ; i++)
		buf_printf(out, "%s = %s\n", queries[i], fmt_value_str(p, vals[i]));
	int passed = 0;
	int failed = query_run_tests(p, out, false, &passed);
	cr_assert_eq(failed, 0, "%s", buf_cstr(out));
	Diags *d = diag_new();
	query_run_checks(p, c->as_of, d);
	cr_assert_eq(d->nerrors, 0);
}

/* The whole run from rule text in memory. */
static const char *run_sources(void)
{
	const Source *srcs[2] = {mksrc("main.edict", rules_main), mksrc("rates.edict", rules_rates)};
	Diags *d = diag_new();
	Program *p = load_sources(srcs, 2, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? diag_render(d, &d->items[0], false) : "");
	Buf out = {0};
	evaluate(p, &out);
	return buf_cstr(&out);
}

static char dir[64];

/* The whole run from files on disk. */
static const char *run_paths(void)
{
	const char *paths[1] = {dir};
	Diags *d = diag_new();
	Program *p = load_paths(paths, 1, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? diag_render(d, &d->items[0], false) : "");
	Buf out = {0};
	evaluate(p, &out);
	return buf_cstr(&out);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

typedef struct Attempt {
	const char *(*run)(void);
	const char *got;
} Attempt;

static void attempt_body(void *ud)
{
	Attempt *a = ud;
	a->got = a->run();
}

/* One run with allocation n failing (0: none).  Returns the run's result,
 * NULL when it unwound; *failed says whether allocation n was reached. */
static const char *attempt(const char *(*run)(void), long n, bool *failed)
{
	Attempt a = {run, NULL};
	mem_fail_after(n);
	if (pr_call(attempt_body, &a) != ST_OK)
		a.got = NULL;
	const char *got = a.got;
	*failed = mem_failed();
	mem_fail_after(0);
	return got;
}

/* Make allocation N fail for N = 1, 2, 3 ... (every `stride`th N) until a
 * run makes no more than N allocations.  Returns how many N were tried. */
static int sweep(const char *(*run)(void), const char *expected, int stride, int *allocations)
{
	int tried = 0;
	for (long n = 1;; n += stride) {
		bool failed;
		const char *got = attempt(run, n, &failed);
		if (!failed) {
			/* the run finished before allocation n: every point was tried */
			cr_assert_not_null(got);
			cr_assert_str_eq(got, expected);
			*allocations = (int)n - 1;
			return tried;
		}
		tried++;
		cr_assert_null(got, "allocation %ld failed, yet the run carried on and returned", n);
		/* a load holds collections off (mem_hold_collections): an unwind
		 * must not leave them held */
		cr_assert_eq(GC_is_disabled(), 0, "after a failure at allocation %ld the collector stays disabled", n);
		/* the library is still usable: a normal run gives the normal results */
		const char *again = run();
		cr_assert_str_eq(again, expected, "after a failure at allocation %ld the results differ", n);
		cr_assert(n < 10000000, "the run never ends");
	}
}

static int stride_for(int allocations, int max_runs)
{
	const char *e = getenv("EDICT_OOM_STRIDE");
	if (e && atoi(e) > 0)
		return atoi(e);
	return allocations / max_runs + 1;
}

/* How many allocations a run makes: the largest N whose failure is hit. */
static int count_allocations(const char *(*run)(void))
{
	long lo = 1, hi = 1;
	bool failed;
	for (;;) {
		attempt(run, hi, &failed);
		if (!failed)
			break;
		lo = hi;
		hi *= 2;
	}
	while (lo + 1 < hi) {
		long mid = (lo + hi) / 2;
		attempt(run, mid, &failed);
		if (failed)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}

Test(oom, every_allocation_of_load_and_evaluation)
{
	const char *expected = run_sources();
	cr_assert_not_null(strstr(expected, "award = 25000000 KRW"), "%s", expected);
	cr_assert_not_null(strstr(expected, " passed, 0 failed"), "%s", expected);
	int total = count_allocations(run_sources);
	/* every N when that is affordable; EDICT_OOM_STRIDE=1 forces it */
	int stride = stride_for(total, 4000);
	int allocations = 0;
	int tried = sweep(run_sources, expected, stride, &allocations);
	cr_log_info("oom: %d allocations in a run; %d failure points tried (every %d)", allocations, tried, stride);
	fprintf(stderr, "oom.sources: %d allocations per run, %d failure points tried (stride %d)\n", allocations, tried,
		stride);
	cr_assert_geq(allocations, total - stride);
	cr_assert_geq(tried, allocations / stride);
}

static void write_file(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(oom, loading_from_files_leaks_no_descriptor)
{
	strcpy(dir, "/tmp/edict-oom-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	write_file("main.edict", rules_main);
	write_file("rates.edict", rules_rates);
	const char *expected = run_paths();
	int fds = open_fds();
	int total = count_allocations(run_paths);
	int stride = stride_for(total, 4000);
	int allocations = 0;
	int tried = sweep(run_paths, expected, stride, &allocations);
	fprintf(stderr, "oom.paths: %d allocations per run, %d failure points tried (stride %d)\n", allocations, tried,
		stride);
	int after = open_fds();
	char p[128];
	snprintf(p, sizeof p, "%s/main.edict", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/rates.edict", dir);
	unlink(p);
	rmdir(dir);
	cr_assert_eq(after, fds, "%d file descriptors leaked by out-of-memory unwinds (rely-16)", after - fds);
}

/* ---------------------------------------------------- a test per feature */

/* The builtins over long lists, in a fresh context of a program loaded
 * once: a failure anywhere in them (the VM's own protected call catches
 * it, puts the context right and passes it on) ends at the run's. */
static Program *lists_prog;

static const char *run_builtins(void)
{
	Ctx *c = vm_new(lists_prog);
	facts_clear(c);
	vm_reset(c);
	static const char *const lists_queries[] = {
		"length(distinct([floor(i / 3) for i in range(1, 3000)]))",
		"sort([3000 - i for i in range(1, 3000)])[1] otherwise 0",
		"sum(range(1, 3000))",
		"2999 in range(1, 3000)",
		"max(range(1, 3000))",
	};
	Buf out = {0};
	for (size_t i = 0; i < sizeof lists_queries / sizeof *lists_queries; i++) {
		Diags *d = diag_new();
		Query *q = query_compile(lists_prog, lists_queries[i], "q", d);
		if (!q)
			continue; /* a query the language does not have: left out */
		Value v;
		cr_assert_eq(query_run(c, q, &v), ST_OK, "%s: %s", lists_queries[i], c->errmsg);
		buf_printf(&out, "%s = %s\n", lists_queries[i], fmt_value_str(lists_prog, v));
	}
	return buf_cstr(&out);
}

Test(oom, every_allocation_of_the_builtins_over_lists)
{
	const Source *srcs[1] = {mksrc("lists.edict", "decision nothing : bool = true\n")};
	Diags *d = diag_new();
	lists_prog = load_sources(srcs, 1, d);
	cr_assert_not_null(lists_prog);
	const char *expected = run_builtins();
	cr_assert_not_null(strstr(expected, ") = 1001\n"), "%s", expected);
	cr_assert_not_null(strstr(expected, "sum(range(1, 3000)) = 4501500\n"), "%s", expected);
	int total = count_allocations(run_builtins);
	int allocations = 0;
	int tried = sweep(run_builtins, expected, stride_for(total, 2000), &allocations);
	fprintf(stderr, "oom.builtins: %d allocations per run, %d failure points tried\n", allocations, tried);
	cr_assert_gt(tried, 0);
}

/* ------------------------------------------------- through the interface */

/* Rule text loaded and a context made for it, as a host does: NULL with
 * *why saying which step ran out of memory (*r to free either way). */
static edict_ctx *interface_ctx(const char *text, edict_rules **r, const char **why)
{
	edict_ctx *x = NULL;
	*r = NULL;
	if (edict_load_source("t.edict", text, EDICT_NUL_TERMINATED, r) != EDICT_OK)
		*why = "load: out of memory";
	else if (edict_ctx_new(*r, &x) != EDICT_OK)
		*why = "ctx: out of memory";
	return x;
}

/* Make allocation n of run fail for n = 1, 2, 3 ...: each answer is the
 * normal one, NULL (the failure came in this test's own code, outside the
 * library) or one that `fits` accepts, and the next run is normal again.
 * Returns how many failure points were tried; *changed how many answers
 * differed from the normal one yet fitted. */
static int interface_sweep(const char *(*run)(void), bool (*fits)(const char *got, const char *expected), int *changed)
{
	const char *expected = run();
	int tried = 0;
	*changed = 0;
	for (long n = 1;; n++, tried++) {
		bool failed;
		const char *got = attempt(run, n, &failed);
		if (!failed) {
			cr_assert_str_eq(got, expected);
			return tried;
		}
		bool same = !got || strcmp(got, expected) == 0;
		cr_assert(same || fits(got, expected), "allocation %ld failed, and the answer is: %s", n, got);
		*changed += !same;
		cr_assert_str_eq(run(), expected, "after a failure at allocation %ld", n);
		cr_assert(n < 1000000, "the run never ends");
	}
}

/* What-if through the library's interface: every failure is answered
 * EDICT_ENOMEM by the entry point it happens in, and the next calls work. */
static const char *run_what_if(void)
{
	edict_rules *r;
	const char *got = NULL;
	edict_ctx *x = interface_ctx("fact company { share : percent }\n"
				     "param threshold : percent = 10%\n"
				     "decision priority : bool = company.share >= threshold\n",
				     &r, &got);
	if (x) {
		edict_value *v;
		int st = edict_ctx_set_facts_json(x, "{\"company\": {\"share\": \"8%\"}}", EDICT_NUL_TERMINATED);
		if (st == EDICT_OK)
			st = api_override(x, "threshold", "5%");
		if (st == EDICT_OK)
			st = edict_eval(x, "priority", &v);
		const char *text = st == EDICT_OK ? edict_value_text(v) : NULL;
		got = text ? xprintf("priority = %s", text) : xprintf("%s", edict_ctx_errmsg(x));
		if (!text && st == EDICT_OK)
			st = edict_ctx_status(x);
		cr_assert(st == EDICT_OK || st == EDICT_ENOMEM, "status %d: %s", st, got);
		edict_ctx_free(x);
	}
	edict_rules_free(r);
	return got;
}

static bool says_out_of_memory(const char *got, const char *expected)
{
	(void)expected;
	return strstr(got, "out of memory") != NULL;
}

Test(oom, every_allocation_of_what_if_through_the_interface)
{
	cr_assert_eq(edict_init(), EDICT_OK);
	cr_assert_str_eq(run_what_if(), "priority = true");
	int changed;
	int tried = interface_sweep(run_what_if, says_out_of_memory, &changed);
	fprintf(stderr, "oom.what_if: %d failure points tried\n", tried);
	cr_assert_gt(tried, 10);
}

/* Several queries in one call of the interface (api_eval_queries, as
 * `edict batch` and the server answer a line): running out of memory fails
 * the query it happens in, and the others are still answered.  The answer
 * is each query's value or error, "; " after each. */
static const char *run_queries(void)
{
	edict_rules *r;
	const char *got = NULL;
	edict_ctx *x = interface_ctx("fact company { share : percent  staff : int }\n"
				     "decision priority : bool = company.share >= 10%\n"
				     "decision ratio : decimal = 100 / company.staff\n"
				     "decision shares : list of percent = [company.share, company.share + 1%]\n",
				     &r, &got);
	if (x) {
		const Query *qs[3] = {api_query(x, "priority"), api_query(x, "ratio"), api_query(x, "shares")};
		const char *doc = "{\"company\": {\"share\": \"8%\", \"staff\": 0}}";
		got = "facts or queries: out of memory";
		if (qs[0] && qs[1] && qs[2] && edict_ctx_set_facts_json(x, doc, EDICT_NUL_TERMINATED) == EDICT_OK) {
			Value vals[3];
			const char *errs[3];
			int nerr = api_eval_queries(x, qs, 3, vals, errs);
			Buf b = {0};
			for (int i = 0; i < 3; i++) {
				nerr -= errs[i] != NULL;
				buf_printf(&b, "%s; ", errs[i] ? errs[i] : fmt_value_str(api_program(r), vals[i]));
			}
			cr_assert_eq(nerr, 0, "the count of failed queries is the number of errors");
			got = buf_cstr(&b);
		}
		edict_ctx_free(x);
	}
	edict_rules_free(r);
	return got;
}

/* How many answers had some queries answered and others out of memory. */
static int answered_in_part;

/* got is expected with some of its answers "out of memory", or a step
 * before the queries ran out of memory. */
static bool queries_out_of_memory(const char *got, const char *expected)
{
	if (strstr(got, ": out of memory"))
		return true;
	int answered = 0;
	while (*got && *expected) {
		const char *g = strstr(got, "; "), *e = strstr(expected, "; ");
		if (!g || !e)
			return false;
		bool oom = (size_t)(g - got) == strlen("out of memory") && strncmp(got, "out of memory", 13) == 0;
		if (!oom && (g - got != e - expected || strncmp(got, expected, (size_t)(g - got)) != 0))
			return false;
		answered += !oom;
		got = g + 2;
		expected = e + 2;
	}
	answered_in_part += answered > 0;
	return !*got && !*expected;
}

Test(oom, every_allocation_of_several_queries_in_one_call)
{
	cr_assert_eq(edict_init(), EDICT_OK);
	const char *expected = run_queries();
	cr_assert_not_null(strstr(expected, "false; "), "%s", expected);
	cr_assert_not_null(strstr(expected, "division by zero"), "%s", expected);
	cr_assert_not_null(strstr(expected, "; [8%, 9%]; "), "%s", expected);
	int changed;
	int tried = interface_sweep(run_queries, queries_out_of_memory, &changed);
	fprintf(stderr, "oom.queries: %d failure points tried, %d answered in part\n", tried, answered_in_part);
	cr_assert_gt(answered_in_part, 0, "a failure inside a query leaves the others answered");
}
