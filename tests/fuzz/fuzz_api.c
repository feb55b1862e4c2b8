/*
 * fuzz_api.c - libFuzzer harness for the C API (include/edict.h): the
 * entry points called in random order with random arguments, as a careless
 * or hostile host program would.
 *
 * The input is a little program: each operation is a byte, followed by its
 * arguments, carved from the input (numbers, and strings with a length
 * prefix that may hold NUL bytes).  It starts with the rule set of
 * fuzz_schema.h loaded and a context made from it; operations load other
 * rules (or reforms) from the input, set facts by JSON, by path and by type,
 * set dates and limits, evaluate (one query or several at once), explain,
 * read values and diagnostics, use values after their facts changed (stale
 * handles), pass NULL pointers and out-of-range indexes, interrupt, reset
 * and free.
 *
 * Every string handed to the library is a malloc'd copy freed right after
 * the call, so ASan catches the library keeping a pointer it does not own.
 * Invariants: statuses are in the documented range; JSON results are valid
 * JSON; copies report the length of the text; the documented non-NULL
 * results are not NULL.
 */
#include <stdlib.h>

#include "edict.h"
#include "format.h"
#include "fuzz_common.h"
#include "fuzz_schema.h"

/* ------------------------------------------------------------ input */

typedef struct In {
	const uint8_t *p;
	size_t n;
} In;

static unsigned byte(In *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t num(In *in, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | byte(in);
	return v;
}

/* A malloc'd string from the input: one length byte (two when it is 255).
 * *len receives its length; it may hold NUL bytes. */
static char *str(In *in, size_t *len)
{
	size_t n = byte(in);
	if (n == 255)
		n = (size_t)num(in, 2);
	if (n > in->n)
		n = in->n;
	char *s = malloc(n + 1);
	memcpy(s, in->p, n);
	s[n] = 0;
	in->p += n;
	in->n -= n;
	if (len)
		*len = n;
	return s;
}

/* ------------------------------------------------------------ checks */

static void status_ok(int st)
{
	FUZZ_ASSERT(st >= EDICT_OK && st <= EDICT_EINTERRUPTED);
}

static void json_ok(int st, const char *json)
{
	status_ok(st);
	if (st == EDICT_OK) {
		FUZZ_ASSERT(json != NULL);
		assert_json(json, strlen(json));
	}
}

/* ------------------------------------------------------------ state */

static edict_rules *base;       /* the schema's rule set, loaded once */
static edict_rules *rules;      /* the rule set in use (base, or loaded from the input) */
static edict_ctx *ctx;
static edict_value *values[4];  /* values handed out, kept across operations (maybe stale) */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	FUZZ_ASSERT(edict_init() == EDICT_OK);
	int st = edict_load_source("schema.edict", schema, sizeof schema - 1, &base);
	if (st != EDICT_OK) {
		fputs(edict_rules_report(base), stderr);
		__builtin_trap();
	}
	return 0;
}

static void new_ctx(void)
{
	/* values die with their context (using them after is the host's bug) */
	memset(values, 0, sizeof values);
	edict_ctx_free(ctx);
	ctx = NULL;
	int st = edict_ctx_new(rules, &ctx);
	status_ok(st);
	if (st == EDICT_OK) {
		FUZZ_ASSERT(ctx != NULL);
		FUZZ_ASSERT(edict_ctx_set_limits(ctx, FUZZ_MAX_STEPS, FUZZ_MAX_BYTES) == EDICT_OK);
		FUZZ_ASSERT(edict_ctx_set_as_of(ctx, FUZZ_AS_OF) == EDICT_OK);
	} else {
		FUZZ_ASSERT(st == EDICT_EUSAGE);
	}
}

static void use_rules(edict_rules *r)
{
	/* contexts may outlive their rule set: free the rules first sometimes */
	if (rules && rules != base)
		edict_rules_free(rules);
	rules = r;
	new_ctx();
}

static void read_rules(In *in)
{
	size_t n = edict_rules_diag_count(rules);
	size_t i = byte(in) % (n + 2); /* sometimes out of range */
	edict_diag d;
	int st = edict_rules_diag(rules, i, &d);
	if (i < n) {
		FUZZ_ASSERT(st == EDICT_OK && d.message != NULL);
		FUZZ_ASSERT(edict_rules_diag_text(rules, i) != NULL);
	} else {
		FUZZ_ASSERT(st == EDICT_EUSAGE);
		FUZZ_ASSERT(edict_rules_diag_text(rules, i) == NULL);
	}
	FUZZ_ASSERT(edict_rules_report(rules) != NULL);
	size_t nd = edict_rules_decision_count(rules);
	for (size_t k = 0; k < nd && k < 64; k++)
		FUZZ_ASSERT(edict_rules_decision_name(rules, k) != NULL);
	(void)edict_rules_decision_name(rules, nd + byte(in));
	status_ok(edict_rules_status(rules));
}

static void read_value(In *in, edict_value *v)
{
	int kind = edict_value_kind(v);
	FUZZ_ASSERT(kind >= -1 && kind <= EDICT_KIND_RECORD);
	int b;
	int64_t i;
	status_ok(edict_value_bool(v, &b));
	status_ok(edict_value_int(v, &i));
	const char *t = edict_value_text(v);
	const char *j = edict_value_json(v);
	const char *m = edict_value_missing_json(v);
	if (kind >= 0) {
		FUZZ_ASSERT(t && j && m);
		assert_json(j, strlen(j));
		assert_json(m, strlen(m));
		/* a copy reports the whole length, whatever the buffer */
		size_t size = byte(in) % 16;
		char *buf = malloc(size ? size : 1);
		FUZZ_ASSERT(edict_value_copy_text(v, size ? buf : NULL, size) == strlen(t));
		FUZZ_ASSERT(edict_value_copy_json(v, buf, size) == strlen(j));
		if (size)
			FUZZ_ASSERT(strlen(buf) < size);
		free(buf);
	}
	size_t n;
	int st = edict_value_list_length(v, &n);
	status_ok(st);
	edict_value *item = NULL;
	if (st == EDICT_OK && n) {
		FUZZ_ASSERT(edict_value_list_item(v, byte(in) % n, &item) == EDICT_OK);
		values[byte(in) % 4] = item;
	}
	status_ok(edict_value_list_item(v, n + byte(in), &item));
	char *name = str(in, NULL);
	edict_value *f = NULL;
	st = edict_value_field(v, name, &f);
	status_ok(st);
	if (st == EDICT_OK)
		values[byte(in) % 4] = f;
	free(name);
}

/* Every entry point with NULL where a pointer goes. */
static void nulls(void)
{
	edict_rules *r = NULL;
	edict_ctx *c = NULL;
	edict_value *v = NULL;
	const char *s = NULL;
	edict_diag d;
	FUZZ_ASSERT(edict_load_paths(NULL, 1, &r) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_load_source(NULL, NULL, 0, NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_load_sources(NULL, 0, &r) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_load_reform_source(NULL, "x", "x", 1, &r) == EDICT_EUSAGE);
	edict_rules_free(r);
	FUZZ_ASSERT(edict_rules_status(NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_rules_diag_count(NULL) == 0);
	FUZZ_ASSERT(edict_rules_diag(NULL, 0, &d) == EDICT_EUSAGE);
	(void)edict_rules_diag_text(NULL, 0);
	(void)edict_rules_report(NULL);
	FUZZ_ASSERT(edict_rules_decision_count(NULL) == 0);
	(void)edict_rules_decision_name(NULL, 0);
	edict_rules_free(NULL);
	FUZZ_ASSERT(edict_ctx_new(NULL, &c) == EDICT_EUSAGE);
	edict_ctx_free(NULL);
	FUZZ_ASSERT(edict_ctx_reset(NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_set_facts_json(NULL, "{}", 2) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_set_fact(ctx, NULL, "1") == EDICT_EUSAGE || !ctx);
	FUZZ_ASSERT(edict_ctx_set_text(ctx, "company.size", NULL) != EDICT_OK);
	FUZZ_ASSERT(edict_ctx_set_bool(NULL, "x", 1) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_set_int(NULL, "x", 1) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_set_unknown(NULL, "x") == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_set_as_of(NULL, "2026-01-01") == EDICT_EUSAGE);
	(void)edict_ctx_as_of(NULL);
	FUZZ_ASSERT(edict_ctx_set_limits(NULL, 1, 1) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_interrupt(NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_status(NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_errmsg(NULL) != NULL);
	FUZZ_ASSERT(edict_ctx_error(NULL, &d) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_ctx_error(ctx, NULL) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_eval(NULL, "x", &v) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_eval(ctx, NULL, &v) == EDICT_EUSAGE || !ctx);
	FUZZ_ASSERT(edict_eval(ctx, "eligible", NULL) == EDICT_EUSAGE || !ctx);
	FUZZ_ASSERT(edict_eval_json(ctx, "eligible", NULL) == EDICT_EUSAGE || !ctx);
	FUZZ_ASSERT(edict_missing_json(NULL, "x", &s) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_explain_json(NULL, "x", &s) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_explain_text(ctx, NULL, &s) == EDICT_EUSAGE || !ctx);
	FUZZ_ASSERT(edict_value_kind(NULL) == -1);
	FUZZ_ASSERT(edict_value_text(NULL) == NULL);
	FUZZ_ASSERT(edict_value_json(NULL) == NULL);
	FUZZ_ASSERT(edict_value_copy_text(NULL, NULL, 0) == 0);
	size_t n;
	FUZZ_ASSERT(edict_value_list_length(NULL, &n) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_value_field(NULL, "x", &v) == EDICT_EUSAGE);
	FUZZ_ASSERT(edict_status_name(-1) != NULL);
	FUZZ_ASSERT(edict_version() != NULL);
}

static const char *const paths[] = {
	"company", "company.size", "company.us_export_share", "company.voucher_received", "company.founded",
	"company.employees", "company.rating", "company.home", "company.home.city", "company.tags", "tasks",
	"price", "wait", "sizes", "matrix", "company.nosuch", "nosuch", "", ".", "company..size", "as_of",
};

static void step(In *in)
{
	unsigned op = byte(in) % 26;
	size_t len;
	char *a, *b;
	const char *out = NULL;
	edict_value *v = NULL;
	edict_rules *r = NULL;
	int st;
	switch (op) {
	case 0: /* load rules from the input */
		a = str(in, &len);
		st = edict_load_source("fuzz.edict", a, len, &r);
		free(a);
		status_ok(st);
		FUZZ_ASSERT(r != NULL);
		FUZZ_ASSERT(edict_rules_status(r) == st);
		use_rules(r);
		break;
	case 1: /* a reform of the base rules */
		a = str(in, &len);
		st = edict_load_reform_source(base, "reform.edict", a, len, &r);
		free(a);
		status_ok(st);
		if (r)
			use_rules(r);
		break;
	case 2:
		use_rules(base);
		break;
	case 3:
		new_ctx();
		break;
	case 4: /* facts as a JSON document from the input */
		a = str(in, &len);
		st = edict_ctx_set_facts_json(ctx, a, byte(in) & 1 ? EDICT_NUL_TERMINATED : len);
		free(a);
		status_ok(st);
		break;
	case 5: /* the schema's own facts */
		status_ok(edict_ctx_set_facts_json(ctx, schema_facts, EDICT_NUL_TERMINATED));
		break;
	case 6: /* one fact by path, JSON or Edict notation */
		a = str(in, NULL);
		b = str(in, NULL);
		status_ok(edict_ctx_set_fact(ctx, byte(in) & 1 ? a : paths[byte(in) % 21], b));
		free(a);
		free(b);
		break;
	case 7:
		status_ok(edict_ctx_set_bool(ctx, paths[byte(in) % 21], (int)byte(in) - 1));
		status_ok(edict_ctx_set_int(ctx, paths[byte(in) % 21], (int64_t)num(in, 8)));
		break;
	case 8:
		a = str(in, NULL);
		status_ok(edict_ctx_set_text(ctx, paths[byte(in) % 21], a));
		free(a);
		status_ok(edict_ctx_set_unknown(ctx, paths[byte(in) % 21]));
		break;
	case 9: /* dates: from the input, or none */
		a = str(in, NULL);
		st = edict_ctx_set_as_of(ctx, byte(in) & 1 ? a : NULL);
		free(a);
		status_ok(st);
		if (ctx)
			FUZZ_ASSERT(edict_ctx_as_of(ctx) != NULL);
		break;
	case 10: /* limits: small, zero (the defaults are too slow here) */
		if (ctx) {
			uint64_t steps = num(in, 2) * 4;
			size_t bytes = (size_t)num(in, 2) * 64;
			FUZZ_ASSERT(edict_ctx_set_limits(ctx, steps ? steps : 1, bytes ? bytes : 1) == EDICT_OK);
		}
		break;
	case 11: /* evaluate a query from the input */
	case 12:
		a = str(in, NULL);
		st = edict_eval(ctx, a, &v);
		free(a);
		status_ok(st);
		if (st == EDICT_OK) {
			FUZZ_ASSERT(v != NULL);
			values[byte(in) % 4] = v;
			read_value(in, v);
		} else if (ctx) {
			FUZZ_ASSERT(edict_ctx_status(ctx) == st);
			FUZZ_ASSERT(*edict_ctx_errmsg(ctx) != 0);
			edict_diag d;
			FUZZ_ASSERT(edict_ctx_error(ctx, &d) == EDICT_OK);
		}
		break;
	case 13: /* evaluate a decision of the rule set by name */
		if (edict_rules_decision_count(rules)) {
			const char *name =
				edict_rules_decision_name(rules, byte(in) % edict_rules_decision_count(rules));
			st = edict_eval(ctx, name, &v);
			status_ok(st);
			if (st == EDICT_OK)
				values[byte(in) % 4] = v;
		}
		break;
	case 14:
		a = str(in, NULL);
		st = edict_eval_json(ctx, a, &out);
		json_ok(st, out);
		st = edict_missing_json(ctx, a, &out);
		json_ok(st, out);
		free(a);
		break;
	case 15:
		a = str(in, NULL);
		st = edict_explain_json(ctx, a, &out);
		json_ok(st, out);
		st = edict_explain_text(ctx, a, &out);
		status_ok(st);
		if (st == EDICT_OK)
			FUZZ_ASSERT(out != NULL);
		free(a);
		break;
	case 16: /* values handed out earlier: maybe stale by now */
		read_value(in, values[byte(in) % 4]);
		break;
	case 17:
		read_rules(in);
		break;
	case 18:
		status_ok(edict_ctx_reset(ctx));
		break;
	case 19: /* an interrupt request before an evaluation stops it */
		if (ctx) {
			FUZZ_ASSERT(edict_ctx_interrupt(ctx) == EDICT_OK);
			st = edict_eval(ctx, "sum(x for x in range(1, 1000))", &v);
			FUZZ_ASSERT(st == EDICT_EINTERRUPTED || st == EDICT_OK || st == EDICT_ETYPE);
		}
		break;
	case 20:
		nulls();
		break;
	case 21:
		FUZZ_ASSERT(edict_status_name((int)num(in, 4)) != NULL);
		break;
	case 22: /* several files that import each other */
	{
		edict_source srcs[3];
		char *texts[3];
		size_t k = byte(in) % 3 + 1;
		for (size_t i = 0; i < k; i++) {
			texts[i] = str(in, &len);
			srcs[i].name = i == 0 ? "a.edict" : i == 1 ? "b.edict" : "c";
			srcs[i].text = texts[i];
			srcs[i].len = len;
		}
		st = edict_load_sources(srcs, k, &r);
		for (size_t i = 0; i < k; i++)
			free(texts[i]);
		status_ok(st);
		if (r)
			use_rules(r);
		break;
	}
	case 23: /* several queries in one call, some maybe NULL */
	{
		char *qs[4];
		edict_value *vs[4];
		size_t k = byte(in) % 5, failed = 99;
		for (size_t i = 0; i < k; i++)
			qs[i] = byte(in) % 8 ? str(in, NULL) : NULL;
		if (byte(in) & 1) {
			st = edict_eval_many(ctx, (const char *const *)qs, k, vs, &failed);
			status_ok(st);
			for (size_t i = 0; st == EDICT_OK && i < k; i++)
				values[byte(in) % 4] = vs[i];
		} else {
			st = edict_eval_many_json(ctx, (const char *const *)qs, k, &out, &failed);
			json_ok(st, out);
		}
		FUZZ_ASSERT(st == EDICT_OK ? failed == k : failed <= k);
		for (size_t i = 0; i < k; i++)
			free(qs[i]);
		break;
	}
	case 25: /* several documents in one call, some maybe NULL, with or without lengths */
	{
		char *docs[3], *qs[3];
		size_t lens[3] = {0, 0, 0}, nd = byte(in) % 4, nq = byte(in) % 4, failed = 99;
		for (size_t i = 0; i < nd; i++)
			docs[i] = byte(in) % 8 ? str(in, &lens[i]) : NULL;
		for (size_t i = 0; i < nq; i++)
			qs[i] = byte(in) % 8 ? str(in, NULL) : NULL;
		st = edict_eval_batch_json(ctx, (const char *const *)docs, byte(in) & 1 ? lens : NULL, nd,
					   (const char *const *)qs, nq, &out, &failed);
		json_ok(st, out);
		FUZZ_ASSERT(st == EDICT_OK ? failed == nd : failed <= nd);
		for (size_t i = 0; i < nd; i++)
			free(docs[i]);
		for (size_t i = 0; i < nq; i++)
			free(qs[i]);
		break;
	}
	default: /* free the context and carry on without one for a while */
		memset(values, 0, sizeof values);
		edict_ctx_free(ctx);
		ctx = NULL;
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return -1;
	In in = {data, size};
	rules = base;
	ctx = NULL;
	new_ctx();
	for (int i = 0; i < 64 && in.n; i++)
		step(&in);
	edict_ctx_free(ctx);
	ctx = NULL;
	if (rules != base)
		edict_rules_free(rules);
	rules = NULL;
	memset(values, 0, sizeof values);
	return 0;
}
