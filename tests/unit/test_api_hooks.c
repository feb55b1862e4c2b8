/*
 * test_api_hooks.c - unit tests for the library's internal interface for
 * front ends (interp/api.h): what-if on parameters and decisions
 * (api_override, api_clear_overrides), as a server asks it; a context that
 * recycles (api_recycle_facts), as `edict batch` runs one.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "format.h"
#include "mem.h"

static const char *rules =
	"module voucher\n"
	"enum company_size = sme | midsize | large\n"
	"fact company { size : company_size  us_export_share : percent }\n"
	"param priority_share : percent = 10%\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.us_export_share >= priority_share\n"
	"decision award : money KRW = if priority then 30_000_000 KRW else 10_000_000 KRW\n";

static edict_ctx *context(const char *facts)
{
	cr_assert_eq(edict_init(), EDICT_OK);
	edict_rules *r;
	cr_assert_eq(edict_load_source("voucher.edict", rules, EDICT_NUL_TERMINATED, &r), EDICT_OK, "%s",
		     edict_rules_report(r));
	edict_ctx *x;
	cr_assert_eq(edict_ctx_new(r, &x), EDICT_OK);
	edict_rules_free(r);
	cr_assert_eq(edict_ctx_set_facts_json(x, facts, EDICT_NUL_TERMINATED), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_eq(edict_ctx_set_as_of(x, "2026-12-01"), EDICT_OK);
	return x;
}

static const char *text_of(edict_ctx *x, const char *query)
{
	edict_value *v;
	cr_assert_eq(edict_eval(x, query, &v), EDICT_OK, "%s", edict_ctx_errmsg(x));
	return edict_value_text(v);
}

Test(api_hooks, what_if_a_parameter_changes)
{
	edict_ctx *x = context("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"8%\"}}");
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_eq(api_override(x, "priority_share", "5%"), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_str_eq(text_of(x, "priority"), "true");
	cr_assert_str_eq(text_of(x, "award"), "30000000 KRW");
	/* a decision, fixed: what depends on it follows */
	cr_assert_eq(api_override(x, "voucher.priority", "false"), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_eq(api_clear_overrides(x), EDICT_OK);
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_str_eq(text_of(x, "priority_share"), "10%");
	edict_ctx_free(x);
}

Test(api_hooks, what_if_refuses_what_it_cannot_do)
{
	edict_ctx *x = context("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"8%\"}}");
	cr_assert_eq(api_override(x, "priority_shares", "5%"), EDICT_EUSAGE);
	cr_assert_str_eq(edict_ctx_errmsg(x),
			 "there is no decision or parameter named 'priority_shares'; did you mean 'priority_share'?");
	cr_assert_eq(api_override(x, "priority_share", "5 KRW"), EDICT_EFACTS);
	cr_assert(strstr(edict_ctx_errmsg(x), "voucher.priority_share: "), "%s", edict_ctx_errmsg(x));
	cr_assert_eq(api_override(x, "priority_share", NULL), EDICT_EUSAGE);
	cr_assert_eq(api_override(NULL, "priority_share", "5%"), EDICT_EUSAGE);
	/* nothing was fixed */
	cr_assert_str_eq(text_of(x, "priority_share"), "10%");
	edict_ctx_free(x);
}

/* ------------------------------------------------- recycling contexts */

/* A context that recycles (api_recycle_facts), as `edict batch` runs one:
 * a fact-free decision (kept from one document to the next) reached only
 * by some documents, lists made by every evaluation, texts of the
 * documents among the results. */
static const char *stream_rules =
	"module shop\n"
	"enum company_size = sme | midsize | large\n"
	"fact company { name : string  size : company_size  us_export_share : percent }\n"
	"param priority_share : percent = 10%\n"
	"decision codes : list of string = [c for c in [\"a\", \"bb\", \"ccc\"] where c != \"bb\"]\n"
	"decision big_codes : list of string = if company.size = large then codes else []\n"
	"decision tags : list of string = [company.name, \"fixed\"]\n"
	"decision shares : list of percent = [company.us_export_share, priority_share]\n";

static const char *const stream_queries[] = {"big_codes", "tags", "shares"};
#define NSTREAM 3

/* Document i of the stream: the names grow longer; with `odd`, every 50th
 * comes with an escape in a key (the one-pass reader declines it, json-c's
 * tree reads it), every 70th has a size that does not exist (refused: the
 * facts before stay) and the as-of date changes every 40th (the kept
 * decision is decided again). */
static const char *stream_doc(long i, bool odd)
{
	static char doc[256];
	const char *size = odd && i % 70 == 69 ? "huge" : i % 3 == 0 ? "large" : "sme";
	snprintf(doc, sizeof doc,
		 "{\"as_of\": \"2026-%02ld-01\", \"company\": {\"%s\": \"Company %ld\", \"size\": \"%s\","
		 " \"us_export_share\": \"%ld%%\"}}",
		 odd ? 1 + i / 40 % 12 : 1, odd && i % 50 == 49 ? "na\\u006de" : "name", i * 7919, size, i % 30);
	return doc;
}

static const Program *stream_prog; /* the rules of the contexts below */

/* Set document i and evaluate the queries, their values as text into out. */
static void stream_line(edict_ctx *x, const struct Query *const *qs, long i, bool odd, Buf *out)
{
	int st = edict_ctx_set_facts_json(x, stream_doc(i, odd), EDICT_NUL_TERMINATED);
	cr_assert(st == EDICT_OK || (odd && i % 70 == 69), "document %ld: %s", i, edict_ctx_errmsg(x));
	Value vals[NSTREAM];
	const char *errs[NSTREAM];
	cr_assert_eq(api_eval_queries(x, qs, NSTREAM, vals, errs), 0, "line %ld: %s", i, errs[0]);
	out->n = 0;
	for (int k = 0; k < NSTREAM; k++)
		fmt_json(stream_prog, vals[k], out);
}

/* A context for the stream's rules: interpreted, or with the queries
 * compiled to machine code (where libgccjit is missing, interpreted too). */
static edict_ctx *stream_ctx(bool recycling, bool native, const struct Query **qs)
{
	static edict_rules *loaded[2]; /* one rule set of each kind for every context, kept */
	cr_assert_eq(edict_init(), EDICT_OK);
	edict_rules **r = &loaded[native];
	if (!*r) {
		cr_assert_eq(edict_load_source("shop.edict", stream_rules, EDICT_NUL_TERMINATED, r), EDICT_OK, "%s",
			     edict_rules_report(*r));
		if (native)
			edict_rules_native(*r, stream_queries, NSTREAM);
	}
	stream_prog = api_program(*r);
	edict_ctx *x;
	cr_assert_eq(edict_ctx_new(*r, &x), EDICT_OK);
	if (recycling)
		cr_assert_eq(api_recycle_facts(x), EDICT_OK);
	for (int k = 0; k < NSTREAM; k++)
		cr_assert_not_null(qs[k] = api_query(x, stream_queries[k]), "%s", edict_ctx_errmsg(x));
	return x;
}

/* Document after document, a recycling context (run by the interpreter
 * or by machine code) gives what a plain one gives, also after an override
 * and across changes of the as-of date. */
static void answers_as_a_plain_one(bool native)
{
	const struct Query *qr[NSTREAM], *qp[NSTREAM];
	edict_ctx *rec = stream_ctx(true, native, qr), *plain = stream_ctx(false, false, qp);
	Buf a = {0}, b = {0};
	for (long i = 0; i < 600; i++) {
		if (i == 300) {
			cr_assert_eq(api_override(rec, "priority_share", "25%"), EDICT_OK, "%s", edict_ctx_errmsg(rec));
			cr_assert_eq(api_override(plain, "priority_share", "25%"), EDICT_OK);
		}
		stream_line(rec, qr, i, true, &a);
		stream_line(plain, qp, i, true, &b);
		cr_assert_str_eq(a.s, b.s, "document %ld", i);
	}
	edict_ctx_free(rec);
	edict_ctx_free(plain);
}

Test(api_hooks, a_recycling_context_answers_as_a_plain_one)
{
	answers_as_a_plain_one(false);
}

Test(api_hooks, a_recycling_native_context_answers_as_a_plain_one)
{
	answers_as_a_plain_one(true);
}

/* The bound that keeps `edict batch` flat: once running, a recycling
 * context asks the collector for no more memory, however many documents
 * follow (not counted in stress mode, where every object comes from the
 * collector). */
Test(api_hooks, a_recycling_context_stops_allocating)
{
	const struct Query *qs[NSTREAM];
	edict_ctx *x = stream_ctx(true, false, qs);
	if (mem_stress())
		return;
	Buf out = {0};
	long i = 0;
	for (; i < 100; i++) /* its buffers and regions reach their size */
		stream_line(x, qs, i, false, &out);
	size_t before = GC_get_total_bytes();
	for (; i < 200; i++)
		stream_line(x, qs, i, false, &out);
	size_t n_docs = GC_get_total_bytes() - before;
	before = GC_get_total_bytes();
	for (; i < 1200; i++)
		stream_line(x, qs, i, false, &out);
	size_t ten_n_docs = GC_get_total_bytes() - before;
	cr_assert_eq(n_docs, 0, "100 documents took %zu bytes from the collector", n_docs);
	cr_assert_eq(ten_n_docs, 0, "1,000 documents took %zu bytes from the collector", ten_n_docs);
	edict_ctx_free(x);
}
