/*
 * test_complexity.c - every stage's cost grows in proportion to its input.
 *
 * Each case builds an input of size n and of size 10n (a decision table of
 * n rows, a match of n arms, n dated values, a chain of n overriding
 * exceptions, n decisions, a facts list of n records ...), runs one stage
 * on each (loading: lexing, parsing, checking, compiling and table
 * analysis; evaluating; explaining; reading facts) and compares what the
 * two runs cost.  The measures are deterministic, never the clock:
 *   - allocations and bytes asked of the library's one allocation path
 *     (mem_counts);
 *   - basic blocks of the library run: the test links a copy of the core
 *     built with -fsanitize-coverage=trace-pc, whose every block calls
 *     __sanitizer_cov_trace_pc, defined here to count (no hardware
 *     counter, no valgrind; the work done inside the C library, strcmp and
 *     memcpy, is not counted, but the loops that call them are).
 * Linear growth gives a ratio near 10, n log n about 13; the test fails
 * above 16 (a quadratic stage gives about 100).  The stages that used to
 * be quadratic or cubic (a rows x rows matrix, a transitive closure,
 * look-ups along lists) each have a case here.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edict.h"
#include "mem.h"

#define MAX_RATIO 16.0

/* ------------------------------------------------------------ measures */

typedef struct Cost {
	uint64_t allocs, bytes, blocks;
} Cost;

static uint64_t blocks;

/* Called at every basic block of the counted core. */
void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
	blocks++;
}

static void start(Cost *c)
{
	mem_counts(&c->allocs, &c->bytes);
	c->blocks = blocks;
}

static void stop(Cost *c)
{
	uint64_t a, b;
	mem_counts(&a, &b);
	c->allocs = a - c->allocs;
	c->bytes = b - c->bytes;
	c->blocks = blocks - c->blocks;
}

/* ------------------------------------------------------------- inputs */

typedef struct Text {
	char *s;
	size_t n, cap;
} Text;

static void add(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(Text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->n + (size_t)k + 1 > t->cap) {
		t->cap = (t->n + (size_t)k + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	t->n += (size_t)k;
}

/* Each case: the rules for size n, facts, the query to evaluate. */
typedef struct Case {
	const char *name;
	void (*rules)(Text *t, int n);
	void (*facts)(Text *t, int n); /* NULL: {} */
	const char *query;
	int n;
} Case;

static void table_unique(Text *t, int n)
{
	add(t, "fact company {\n  score : int\n}\ntable band : int hit unique\n");
	for (int i = 0; i < n; i++)
		add(t, "  when company.score >= %d and company.score < %d then %d\n", i * 10, i * 10 + 10, i);
	add(t, "  default -1\n");
}

static void table_first(Text *t, int n)
{
	add(t, "fact company {\n  score : int\n}\ntable band : int hit first\n");
	for (int i = n - 1; i >= 0; i--)
		add(t, "  when company.score >= %d then %d\n", i * 10, i);
	add(t, "  default -1\n");
}

static void score_facts(Text *t, int n)
{
	add(t, "{\"company\": {\"score\": %d}}", n * 10 - 5);
}

static void match_arms(Text *t, int n)
{
	add(t, "enum kind = m0");
	for (int i = 1; i < n; i++)
		add(t, " | m%d", i);
	add(t, "\nfact company {\n  kind : kind\n}\ndecision d : int =\n  match company.kind {");
	for (int i = 0; i < n; i++)
		add(t, "%s m%d => %d", i ? "," : "", i, i);
	add(t, " }\n");
}

static void match_facts(Text *t, int n)
{
	add(t, "{\"company\": {\"kind\": \"m%d\"}}", n - 1);
}

static void dated_values(Text *t, int n)
{
	add(t, "param p : int\n");
	for (int i = 0; i < n; i++) /* 28 days a month keeps every date real */
		add(t, "  from %04d-%02d-%02d = %d\n", 1000 + i / 336, 1 + i / 28 % 12, 1 + i % 28, i);
}

static void exception_chain(Text *t, int n)
{
	/* each exception overrides the next: the closure is the whole chain */
	add(t, "fact company {\n  score : int\n}\ndecision d : int\n  default 0\n");
	for (int i = 0; i < n; i++) {
		add(t, "  exception e%d when company.score > %d then %d", i, i, i);
		if (i + 1 < n)
			add(t, " overrides e%d", i + 1);
		add(t, "\n");
	}
}

static void many_decisions(Text *t, int n)
{
	add(t, "fact company {\n  score : int\n}\ndecision d0 : int = company.score\n");
	for (int i = 1; i < n; i++)
		add(t, "decision d%d : int = d%d + %d\n", i, i % 100 ? i - 1 : 0, i);
	add(t, "decision last : int = d%d\n", n - 1);
}

static void facts_list(Text *t, int n)
{
	(void)n;
	add(t, "record item {\n  id : int\n  name : string\n}\nfact items : list of item\n"
	       "decision total : int = sum(i.id for i in items)\n");
}

static void facts_list_json(Text *t, int n)
{
	add(t, "{\"items\": [");
	for (int i = 0; i < n; i++)
		add(t, "%s{\"id\": %d, \"name\": \"item %d\"}", i ? ", " : "", i, i);
	add(t, "]}");
}

static void record_fields(Text *t, int n)
{
	add(t, "fact company {\n");
	for (int i = 0; i < n; i++)
		add(t, "  f%d : int\n", i);
	add(t, "}\ndecision d : int = company.f%d + company.f0\n", n - 1);
}

static void record_fields_json(Text *t, int n)
{
	add(t, "{\"company\": {");
	for (int i = 0; i < n; i++)
		add(t, "%s\"f%d\": %d", i ? ", " : "", i, i);
	add(t, "}}");
}

static void list_literal(Text *t, int n)
{
	add(t, "param limits : list of int = [0");
	for (int i = 1; i < n; i++)
		add(t, ", %d", i);
	add(t, "]\ndecision d : int = sum(x for x in limits where x > 5)\n");
}

static const Case cases[] = {
	{"table, hit unique (rows)", table_unique, score_facts, "band", 1000},
	{"table, hit first (rows)", table_first, score_facts, "band", 1000},
	{"match (arms)", match_arms, match_facts, "d", 1000},
	{"dated values", dated_values, NULL, "p", 400},
	{"chain of overriding exceptions", exception_chain, score_facts, "d", 400},
	{"decisions", many_decisions, score_facts, "last", 1000},
	{"facts list (records)", facts_list, facts_list_json, "total", 2000},
	{"record fields (rules and facts)", record_fields, record_fields_json, "d", 1000},
	{"list literal (items)", list_literal, NULL, "d", 2000},
};

/* ------------------------------------------------------------ running */

enum { LOAD, FACTS, EVAL, EXPLAIN, NSTAGES };
static const char *stage_names[NSTAGES] = {"load", "facts", "eval", "explain"};

static int run(const Case *k, int n, Cost out[NSTAGES])
{
	Text r = {0}, f = {0};
	k->rules(&r, n);
	if (k->facts)
		k->facts(&f, n);
	else
		add(&f, "{}");
	edict_rules *rules = NULL;
	edict_ctx *ctx = NULL;
	const char *res = NULL, *why = NULL;
	int st;
	start(&out[LOAD]);
	st = edict_load_source("c.edict", r.s, r.n, &rules);
	stop(&out[LOAD]);
	if (st != EDICT_OK) {
		fprintf(stderr, "%s: the rules do not load:\n%s\n", k->name, rules ? edict_rules_report(rules) : "");
		return -1;
	}
	if (edict_ctx_new(rules, &ctx) != EDICT_OK)
		return -1;
	edict_ctx_set_limits(ctx, UINT64_MAX, (size_t)1 << 40);
	start(&out[FACTS]);
	st = edict_ctx_set_facts_json(ctx, f.s, f.n);
	stop(&out[FACTS]);
	if (st == EDICT_OK) {
		start(&out[EVAL]);
		st = edict_eval_json(ctx, k->query, &res);
		stop(&out[EVAL]);
	}
	if (st == EDICT_OK) {
		start(&out[EXPLAIN]);
		st = edict_explain_text(ctx, k->query, &why);
		stop(&out[EXPLAIN]);
	}
	if (st != EDICT_OK)
		fprintf(stderr, "%s at %d: %s\n", k->name, n, edict_ctx_errmsg(ctx));
	edict_ctx_free(ctx);
	edict_rules_free(rules);
	free(r.s);
	free(f.s);
	return st == EDICT_OK ? 0 : -1;
}

static double ratio(uint64_t big, uint64_t small)
{
	return small ? (double)big / (double)small : big ? 1e9 : 1;
}

/* One measure of one stage: its ratio, printed; false when too steep. */
static bool judge(const char *what, const char *stage, const char *measure, uint64_t a, uint64_t b)
{
	double q = ratio(b, a);
	bool ok = q <= MAX_RATIO;
	printf("  %-8s %-13s %14llu -> %14llu  x%6.1f%s\n", stage, measure, (unsigned long long)a, (unsigned long long)b, q,
	       ok ? "" : "  TOO STEEP");
	if (!ok)
		fprintf(stderr, "FAIL: %s: %s %s grow %.1f times for 10 times the input\n", what, stage, measure, q);
	return ok;
}

int main(void)
{
	if (edict_init() != EDICT_OK)
		return 1;
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const Case *k = &cases[i];
		Cost small[NSTAGES], big[NSTAGES];
		/* a first run at the small size warms the collector's heap */
		if (run(k, k->n, small) != 0 || run(k, k->n, small) != 0 || run(k, 10 * k->n, big) != 0) {
			failures++;
			continue;
		}
		printf("%s: n = %d -> %d\n", k->name, k->n, 10 * k->n);
		for (int s = 0; s < NSTAGES; s++) {
			failures += !judge(k->name, stage_names[s], "allocations", small[s].allocs, big[s].allocs);
			failures += !judge(k->name, stage_names[s], "bytes", small[s].bytes, big[s].bytes);
			failures += !judge(k->name, stage_names[s], "blocks", small[s].blocks, big[s].blocks);
		}
	}
	printf("%s\n", failures ? "FAILED" : "every stage grows in proportion to its input");
	return failures ? 1 : 0;
}
