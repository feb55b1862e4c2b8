/*
 * test_thread.c - one rule set evaluated from eight threads at once.
 *
 * The program is written the way a host would write it: it includes only
 * edict.h and starts its threads with plain pthread_create.  Half of the
 * threads call edict_thread_attach() first; the others rely on the library
 * registering them on their first call.
 *
 * A single-threaded run over every company gives the expected results (the
 * value of each decision as JSON, its missing facts and its explanation);
 * then every thread, with its own context, evaluates every company again,
 * starting at a different place, and compares each result with the
 * expected one.  While they do, each thread also asks queries no one has
 * asked before (compiled under the rule set's lock while the others read
 * explanations), sets facts one by one with the typed setters, and
 * releases its context and makes a new one now and then.  When they have
 * all exited, the main thread runs everything once more.
 *
 * With "no-interior" after the rounds, the host first tells the collector
 * not to follow pointers into an object's inside (a setting some hosts of
 * the collector choose, which the library has to live with): then it
 * includes gc.h too.  With "native", the main thread compiles the rules to
 * machine code (edict_rules_native) while the others evaluate, so that
 * their evaluations move from the interpreter to the machine code midway,
 * with the same results; it says how many threads were still evaluating
 * when the compile ended.
 *
 * Usage: test_thread RULES_DIR [COMPANIES [THREADS [ROUNDS [no-interior|native]]]]
 * Exit status 0 when every result matched; the mismatches are printed.
 */
#include <gc/gc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edict.h"

static edict_rules *rules;
static int ncompanies = 300, nthreads = 8, rounds = 2;
static char **facts;     /* one JSON document per company */
static char ***expected; /* [company][query] */
static const char **queries;
static int nqueries;
static int failures;
static pthread_mutex_t report = PTHREAD_MUTEX_INITIALIZER;

static const char *const sizes[] = {"sme", "midsize", "large"};

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (!d)
		abort();
	memcpy(d, s, n);
	return d;
}

/* A company, the same for the same number. */
static char *company(int i)
{
	unsigned x = (unsigned)i * 2654435761u + 12345u;
	char buf[512];
	const char *requested = x % 7 == 0 ? "" : NULL;
	char req[64];
	if (!requested) {
		snprintf(req, sizeof req, ",\"voucher_requested\":\"%u KRW\"", (x >> 8) % 90 * 1000000u);
		requested = req;
	}
	snprintf(buf, sizeof buf,
		 "{\"id\":\"C%d\",\"as_of\":\"%s\",\"company\":{\"size\":\"%s\",\"us_export_share\":\"%u.%u%%\"%s%s}}", i,
		 x % 5 == 0 ? "2025-04-30" : "2026-12-01", sizes[(x >> 3) % 3], (x >> 4) % 25, (x >> 9) % 10, requested,
		 x % 11 == 0 ? ",\"voucher_received\":\"20000000 KRW\"" : "");
	return dup(buf);
}

/* Everything one company gives, as one string per query. */
static char *results(edict_ctx *ctx, const char *query)
{
	const char *json, *missing, *explain;
	if (edict_eval_json(ctx, query, &json) != EDICT_OK)
		return dup(edict_ctx_errmsg(ctx));
	if (edict_missing_json(ctx, query, &missing) != EDICT_OK)
		return dup(edict_ctx_errmsg(ctx));
	if (edict_explain_json(ctx, query, &explain) != EDICT_OK)
		return dup(edict_ctx_errmsg(ctx));
	size_t n = strlen(json) + strlen(missing) + strlen(explain) + 8;
	char *s = malloc(n);
	if (!s)
		abort();
	snprintf(s, n, "%s | %s | %s", json, missing, explain);
	return s;
}

static void mismatch(int t, int c, int q, const char *got, const char *want)
{
	pthread_mutex_lock(&report);
	if (failures++ < 10)
		fprintf(stderr, "thread %d, company %d, %s:\n  got  %.300s\n  want %.300s\n", t, c, queries[q], got, want);
	pthread_mutex_unlock(&report);
}

/* How many workers have not finished their rounds yet. */
static int nrunning;

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	if (t % 2 == 0)
		edict_thread_attach();
	edict_ctx *ctx;
	if (edict_ctx_new(rules, &ctx) != EDICT_OK) {
		mismatch(t, -1, 0, "edict_ctx_new failed", "ok");
		return NULL;
	}
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < ncompanies; k++) {
			int c = (k + t * ncompanies / nthreads) % ncompanies;
			if (edict_ctx_set_facts_json(ctx, facts[c], EDICT_NUL_TERMINATED) != EDICT_OK) {
				mismatch(t, c, 0, edict_ctx_errmsg(ctx), "facts accepted");
				continue;
			}
			for (int q = 0; q < nqueries; q++) {
				char *got = results(ctx, queries[q]);
				if (strcmp(got, expected[c][q]) != 0)
					mismatch(t, c, q, got, expected[c][q]);
				free(got);
			}
			/* a query never asked before: compiled while others read */
			char query[128];
			snprintf(query, sizeof query, "voucher.eligible or voucher.award >= %d KRW", t * 100000 + r * 1000 + k);
			edict_value *v;
			int b;
			if (edict_eval(ctx, query, &v) != EDICT_OK || edict_value_bool(v, &b) != EDICT_OK)
				mismatch(t, c, 0, edict_ctx_errmsg(ctx), "a yes/no answer");
			/* the same company through the typed setters */
			if (k % 10 == 0) {
				edict_ctx_reset(ctx);
				edict_ctx_set_as_of(ctx, "2026-12-01");
				edict_ctx_set_text(ctx, "company.size", "sme");
				edict_ctx_set_text(ctx, "company.us_export_share", "12%");
				edict_ctx_set_fact(ctx, "company.voucher_requested", "30_000_000 KRW");
				const char *award = NULL;
				if (edict_eval_json(ctx, "voucher.award", &award) != EDICT_OK || strcmp(award, "\"30000000 KRW\"") != 0)
					mismatch(t, c, 0, award ? award : edict_ctx_errmsg(ctx), "\"30000000 KRW\"");
				edict_ctx_reset(ctx); /* the date set here would beat the next document's */
			}
			/* and now and then a new context */
			if (k % 97 == 96) {
				edict_ctx_free(ctx);
				if (edict_ctx_new(rules, &ctx) != EDICT_OK) {
					mismatch(t, c, 0, "edict_ctx_new failed", "ok");
					return NULL;
				}
			}
		}
	}
	__atomic_fetch_sub(&nrunning, 1, __ATOMIC_RELEASE);
	edict_ctx_free(ctx);
	if (t % 2 == 0)
		edict_thread_detach();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_thread RULES_DIR [COMPANIES [THREADS [ROUNDS [no-interior|native]]]]\n");
		return 2;
	}
	if (argc > 2)
		ncompanies = atoi(argv[2]);
	if (argc > 3)
		nthreads = atoi(argv[3]);
	if (argc > 4)
		rounds = atoi(argv[4]);
	if (argc > 5 && strcmp(argv[5], "no-interior") == 0)
		GC_set_all_interior_pointers(0);
	bool native = argc > 5 && strcmp(argv[5], "native") == 0;
	edict_init();
	const char *paths[] = {argv[1]};
	if (edict_load_paths(paths, 1, &rules) != EDICT_OK) {
		fputs(edict_rules_report(rules), stderr);
		return 1;
	}
	nqueries = (int)edict_rules_decision_count(rules);
	queries = malloc(sizeof(char *) * (size_t)nqueries);
	for (int q = 0; q < nqueries; q++)
		queries[q] = edict_rules_decision_name(rules, (size_t)q);
	/* the single-threaded answers */
	facts = malloc(sizeof(char *) * (size_t)ncompanies);
	expected = malloc(sizeof(char **) * (size_t)ncompanies);
	edict_ctx *ctx;
	if (!facts || !expected || edict_ctx_new(rules, &ctx) != EDICT_OK)
		return 1;
	for (int c = 0; c < ncompanies; c++) {
		facts[c] = company(c);
		expected[c] = malloc(sizeof(char *) * (size_t)nqueries);
		if (edict_ctx_set_facts_json(ctx, facts[c], EDICT_NUL_TERMINATED) != EDICT_OK) {
			fprintf(stderr, "company %d: %s\n", c, edict_ctx_errmsg(ctx));
			return 1;
		}
		for (int q = 0; q < nqueries; q++)
			expected[c][q] = results(ctx, queries[q]);
	}
	edict_ctx_free(ctx);
	pthread_t *th = malloc(sizeof(pthread_t) * (size_t)nthreads);
	nrunning = nthreads;
	for (int t = 0; t < nthreads; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t) != 0) {
			fprintf(stderr, "cannot start thread %d\n", t);
			return 1;
		}
	size_t nnative = native ? edict_rules_native(rules, queries, (size_t)nqueries) : 0;
	int running = __atomic_load_n(&nrunning, __ATOMIC_ACQUIRE);
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	if (native)
		printf("%zu decisions and functions compiled to machine code while %d of %d threads were evaluating\n", nnative,
		       running, nthreads);
	/* The threads are gone (half of them never detached: the library must
	 * have unregistered them as they exited).  Collections now must not
	 * look for them: run everything once more on this thread. */
	if (edict_ctx_new(rules, &ctx) != EDICT_OK)
		return 1;
	for (int c = 0; c < ncompanies; c++) {
		if (edict_ctx_set_facts_json(ctx, facts[c], EDICT_NUL_TERMINATED) != EDICT_OK)
			mismatch(-1, c, 0, edict_ctx_errmsg(ctx), "facts accepted");
		for (int q = 0; q < nqueries; q++) {
			char *got = results(ctx, queries[q]);
			if (strcmp(got, expected[c][q]) != 0)
				mismatch(-1, c, q, got, expected[c][q]);
			free(got);
		}
	}
	edict_ctx_free(ctx);
	edict_rules_free(rules);
	for (int c = 0; c < ncompanies; c++) {
		for (int q = 0; q < nqueries; q++)
			free(expected[c][q]);
		free(expected[c]);
		free(facts[c]);
	}
	free(expected);
	free(facts);
	free(queries);
	free(th);
	printf("%d threads x %d companies x %d decisions x %d rounds: %d mismatches\n", nthreads, ncompanies, nqueries, rounds,
	       failures);
	return failures ? 1 : 0;
}
