/*
 * test_api.c - unit tests for the public C interface (include/edict.h,
 * interp/api.c): every entry point with good and bad arguments, and every
 * status it can return.
 *
 * Like a host, this file includes only edict.h; the one internal function
 * it uses, mem_fail_after (fault injection, interp/mem.c), is declared here.
 */
#include <criterion/criterion.h>

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "edict.h"

void mem_fail_after(long n);
int mem_failed(void);

#ifndef EDICT_SOURCE_DIR
#define EDICT_SOURCE_DIR "."
#endif

static const char *voucher_rules =
	"module voucher\n"
	"enum company_size = sme | midsize | large\n"
	"record office { city : string  staff : int optional }\n"
	"fact company {\n"
	"  name : string optional\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_requested : money KRW optional\n"
	"  voucher_received : money KRW default 0 KRW\n"
	"  employees : int optional\n"
	"  founded : date optional\n"
	"  office : office optional\n"
	"  markets : list of string optional\n"
	"}\n"
	"param voucher_cap : money KRW = 50_000_000 KRW source \"up to 50 million KRW per company\"\n"
	"param priority_share : percent\n"
	"  from 2025-05-01 = 10% source \"10%+ US export share\"\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.us_export_share >= priority_share\n"
	"decision award : money KRW =\n"
	"  if eligible then min(company.voucher_requested, max(voucher_cap - company.voucher_received, 0 KRW)) else 0 KRW\n"
	"decision disbursement : duration\n"
	"  default 30 days\n"
	"  exception fast when priority then 14 days source \"fast track\"\n"
	"decision staff : int = company.office.staff\n"
	"decision markets : list of string = company.markets\n"
	"decision per_employee : money KRW = award / company.employees\n"
	"decision office : office = company.office\n"
	"decision looping : int = sum(count(y for y in range(1, 3000) where y > x) for x in range(1, 3000))\n"
	"decision conflict : int\n"
	"  default 0\n"
	"  exception a when eligible then 1\n"
	"  exception b when priority then 2\n"
	"private decision hidden : bool = true\n";

static const char *sme_facts =
	"{\"as_of\": \"2026-12-01\", \"id\": \"C-1\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\","
	" \"voucher_requested\": \"80000000 KRW\", \"employees\": 8}}";

static edict_rules *load_ok(void)
{
	edict_rules *r = NULL;
	int st = edict_load_source("voucher.edict", voucher_rules, EDICT_NUL_TERMINATED, &r);
	cr_assert_eq(st, EDICT_OK, "load: %s (%s)", edict_status_name(st), edict_rules_report(r));
	cr_assert_not_null(r);
	return r;
}

static edict_ctx *ctx_with(edict_rules *r, const char *facts)
{
	edict_ctx *c = NULL;
	cr_assert_eq(edict_ctx_new(r, &c), EDICT_OK);
	cr_assert_not_null(c);
	if (facts)
		cr_assert_eq(edict_ctx_set_facts_json(c, facts, EDICT_NUL_TERMINATED), EDICT_OK, "%s", edict_ctx_errmsg(c));
	return c;
}

static const char *eval_json(edict_ctx *c, const char *q)
{
	const char *j = NULL;
	int st = edict_eval_json(c, q, &j);
	cr_assert_eq(st, EDICT_OK, "%s: %s %s", q, edict_status_name(st), edict_ctx_errmsg(c));
	return j;
}

/* ------------------------------------------------------ version, statuses */

Test(api, version)
{
	cr_assert_str_eq(EDICT_VERSION_STRING, "0.1.0");
	cr_assert_eq(EDICT_VERSION_NUMBER, 100);
	cr_assert_str_eq(edict_version(), EDICT_VERSION_STRING);
}

Test(api, status_names_match_the_numbers)
{
	static const struct {
		int st;
		const char *name;
	} want[] = {{EDICT_OK, "ok"},		 {EDICT_ESYNTAX, "syntax"}, {EDICT_ETYPE, "type"},
		    {EDICT_EFACTS, "facts"},	 {EDICT_ERUNTIME, "runtime"}, {EDICT_ELIMIT, "limit"},
		    {EDICT_ENOMEM, "memory"},	 {EDICT_EUSAGE, "usage"},	  {EDICT_EIO, "io"},
		    {EDICT_EINTERRUPTED, "interrupted"}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		cr_assert_eq(want[i].st, (int)i, "the numbers are fixed: %s", want[i].name);
		cr_assert_str_eq(edict_status_name(want[i].st), want[i].name);
	}
	cr_assert_str_eq(edict_status_name(-1), "unknown");
	cr_assert_str_eq(edict_status_name(10), "unknown");
}

Test(api, init_and_attach_are_idempotent)
{
	cr_assert_eq(edict_init(), EDICT_OK);
	cr_assert_eq(edict_init(), EDICT_OK);
	cr_assert_eq(edict_thread_attach(), EDICT_OK);
	cr_assert_eq(edict_thread_attach(), EDICT_OK);
	/* the main thread was registered by the collector itself: detach leaves it */
	cr_assert_eq(edict_thread_detach(), EDICT_OK);
	edict_rules *r = load_ok();
	edict_rules_free(r);
}

/* ---------------------------------------------------------------- loading */

Test(api, load_source_ok)
{
	edict_rules *r = load_ok();
	cr_assert_eq(edict_rules_status(r), EDICT_OK);
	cr_assert_eq(edict_rules_diag_count(r), 0);
	cr_assert_str_eq(edict_rules_report(r), "");
	/* public decisions: not params, not private */
	size_t n = edict_rules_decision_count(r);
	cr_assert_eq(n, 10);
	cr_assert_str_eq(edict_rules_decision_name(r, 0), "voucher.eligible");
	cr_assert_str_eq(edict_rules_decision_name(r, 2), "voucher.award");
	for (size_t i = 0; i < n; i++)
		cr_assert_str_neq(edict_rules_decision_name(r, i), "voucher.hidden");
	cr_assert_null(edict_rules_decision_name(r, n));
	edict_rules_free(r);
}

Test(api, load_source_syntax_error_is_data)
{
	edict_rules *r = NULL;
	const char *text = "decision x : bool =\n  1 +\n";
	int st = edict_load_source("bad.edict", text, strlen(text), &r);
	cr_assert_eq(st, EDICT_ESYNTAX);
	cr_assert_not_null(r, "a handle even on failure");
	cr_assert_eq(edict_rules_status(r), EDICT_ESYNTAX);
	cr_assert_geq(edict_rules_diag_count(r), 1);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_OK);
	cr_assert_eq(d.severity, EDICT_SEV_ERROR);
	cr_assert_str_eq(d.file, "bad.edict");
	cr_assert_geq(d.line, 2);
	cr_assert_geq(d.column, 1);
	cr_assert_not_null(d.message);
	const char *t = edict_rules_diag_text(r, 0);
	cr_assert_not_null(t);
	cr_assert(strstr(t, "bad.edict:") == t, "rendered: %s", t);
	cr_assert_not_null(strstr(t, "^"), "carets under the place: %s", t);
	cr_assert_not_null(strstr(edict_rules_report(r), t));
	/* no contexts from a broken rule set, and no decisions */
	edict_ctx *c = NULL;
	cr_assert_eq(edict_ctx_new(r, &c), EDICT_EUSAGE);
	cr_assert_null(c);
	cr_assert_eq(edict_rules_decision_count(r), 0);
	edict_rules_free(r);
}

Test(api, load_source_type_error_with_hint)
{
	edict_rules *r = NULL;
	const char *text = "decision a : bool = true\ndecision b : bool = a and bb\n";
	cr_assert_eq(edict_load_source("t.edict", text, EDICT_NUL_TERMINATED, &r), EDICT_ETYPE);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_OK);
	cr_assert_eq(d.line, 2);
	cr_assert_eq(d.column, 27);
	cr_assert_eq(d.end_line, 2);
	cr_assert_eq(d.end_column, 28);
	cr_assert_not_null(strstr(d.message, "bb"), "%s", d.message);
	edict_rules_free(r);
}

Test(api, warnings_do_not_fail_a_load)
{
	edict_rules *r = NULL;
	const char *text = "decision a : int = 1\ncheck warning \"never\": a = 2\n";
	cr_assert_eq(edict_load_source("w.edict", text, EDICT_NUL_TERMINATED, &r), EDICT_OK);
	edict_rules_free(r);
}

Test(api, load_paths)
{
	const char *paths[] = {EDICT_SOURCE_DIR "/examples/voucher"};
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_paths(paths, 1, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_ctx *c = ctx_with(r, "{\"as_of\":\"2026-12-01\",\"company\":{\"size\":\"sme\",\"us_export_share\":\"14%\"}}");
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, load_paths_missing_is_eio)
{
	const char *paths[] = {"/nonexistent/edict/rules"};
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_paths(paths, 1, &r), EDICT_EIO);
	cr_assert_not_null(r);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_OK);
	cr_assert_eq(d.line, 0);
	cr_assert_not_null(strstr(d.message, "/nonexistent/edict/rules"), "%s", d.message);
	edict_rules_free(r);
}

Test(api, load_several_sources)
{
	edict_source srcs[] = {
		{"rates.edict", "param rate : percent = 10%\n", EDICT_NUL_TERMINATED},
		{"main.edict", "import rates\ndecision twice : percent = rates.rate + rates.rate\n", EDICT_NUL_TERMINATED},
	};
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_sources(srcs, 2, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_ctx *c = ctx_with(r, NULL);
	cr_assert_str_eq(eval_json(c, "main.twice"), "\"20%\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, load_bad_arguments)
{
	edict_rules *r = (edict_rules *)1;
	cr_assert_eq(edict_load_paths(NULL, 1, &r), EDICT_EUSAGE);
	cr_assert_null(r, "out is cleared");
	const char *paths[] = {"x"}, *nullpath[] = {NULL};
	cr_assert_eq(edict_load_paths(paths, 1, NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_load_paths(nullpath, 1, &r), EDICT_EUSAGE);
	cr_assert_eq(edict_load_source(NULL, "x", 1, &r), EDICT_EUSAGE);
	cr_assert_eq(edict_load_source("a", NULL, 1, &r), EDICT_EUSAGE);
	cr_assert_eq(edict_load_source("a", "x", 1, NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_load_sources(NULL, 1, &r), EDICT_EUSAGE);
	cr_assert_null(r, "out is cleared");
	cr_assert_eq(edict_rules_status(NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_rules_diag_count(NULL), 0);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(NULL, 0, &d), EDICT_EUSAGE);
	cr_assert_null(edict_rules_diag_text(NULL, 0));
	cr_assert_str_eq(edict_rules_report(NULL), "");
	cr_assert_eq(edict_rules_decision_count(NULL), 0);
	cr_assert_null(edict_rules_decision_name(NULL, 0));
	edict_rules_free(NULL);
	r = load_ok();
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_EUSAGE, "out of range");
	cr_assert_eq(edict_rules_diag(r, 0, NULL), EDICT_EUSAGE);
	cr_assert_null(edict_rules_diag_text(r, 5));
	edict_rules_free(r);
}

/* A load refused for what was passed, not for NULLs, still gives a
 * handle, whose one diagnostic says why (edict.h). */
static void assert_refused(int st, edict_rules **rp, const char *message)
{
	edict_rules *r = *rp;
	cr_assert_eq(st, EDICT_EUSAGE, "%s", edict_status_name(st));
	cr_assert_not_null(r, "a handle for: %s", message);
	cr_assert_eq(edict_rules_status(r), EDICT_EUSAGE);
	cr_assert_eq(edict_rules_diag_count(r), 1);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_OK);
	cr_assert_eq(d.severity, EDICT_SEV_ERROR);
	cr_assert_null(d.file, "%s", d.file);
	cr_assert_str_eq(d.message, message);
	edict_rules_free(r);
}

Test(api, load_refused_with_a_reason)
{
	edict_rules *r = NULL;
	const char *paths[] = {"x"};
	edict_source s = {"a.edict", "decision a : int = 1", EDICT_NUL_TERMINATED};
	const char *none = "no rule files were given: the list of files is empty";
	assert_refused(edict_load_paths(paths, 0, &r), &r, none);
	assert_refused(edict_load_sources(&s, 0, &r), &r, none);
	static const char *many[10001];
	for (int i = 0; i < 10001; i++)
		many[i] = "x";
	assert_refused(edict_load_paths(many, 10001, &r), &r, "a rule set may hold at most 10000 files");
	edict_rules *broken = NULL;
	cr_assert_eq(edict_load_source("b.edict", "decision b : int = ", EDICT_NUL_TERMINATED, &broken), EDICT_ESYNTAX);
	const char *base_failed = "the rule set to reform did not load; fix its errors before loading a reform";
	assert_refused(edict_load_reform_source(broken, "r.edict", "module b", EDICT_NUL_TERMINATED, &r), &r, base_failed);
	assert_refused(edict_load_reform(broken, paths, 1, &r), &r, base_failed);
	edict_rules_free(broken);
}

Test(api, text_with_a_length_need_not_end)
{
	char text[] = "decision a : int = 41 + 1XXXX";
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_source("len.edict", text, strlen(text) - 4, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_ctx *c = ctx_with(r, NULL);
	cr_assert_str_eq(eval_json(c, "a"), "42");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, strings_are_copied_in)
{
	char *text = strdup("decision a : int = 7\n");
	char *name = strdup("copied.edict");
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_source(name, text, EDICT_NUL_TERMINATED, &r), EDICT_OK);
	memset(text, 'X', strlen(text));
	free(text);
	free(name);
	edict_ctx *c = ctx_with(r, NULL);
	char *q = strdup("copied.a");
	cr_assert_str_eq(eval_json(c, q), "7");
	free(q);
	cr_assert_str_eq(eval_json(c, "copied.a"), "7");
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* ---------------------------------------------------------------- reforms */

Test(api, reform_replaces_by_name)
{
	edict_rules *base = load_ok(), *reform = NULL;
	const char *text = "module voucher\nparam priority_share : percent = 8%\n";
	cr_assert_eq(edict_load_reform_source(base, "reform.edict", text, EDICT_NUL_TERMINATED, &reform), EDICT_OK, "%s",
		     edict_rules_report(reform));
	const char *facts = "{\"as_of\":\"2026-12-01\",\"company\":{\"size\":\"sme\",\"us_export_share\":\"9%\"}}";
	edict_ctx *cb = ctx_with(base, facts), *cr = ctx_with(reform, facts);
	cr_assert_str_eq(eval_json(cb, "voucher.priority"), "false");
	cr_assert_str_eq(eval_json(cr, "voucher.priority"), "true");
	cr_assert_str_eq(eval_json(cr, "voucher.priority_share"), "\"8%\"");
	/* the base is not changed, and outlives or predeceases the reform */
	edict_rules_free(base);
	cr_assert_str_eq(eval_json(cb, "voucher.priority"), "false");
	edict_ctx_free(cb);
	edict_ctx_free(cr);
	edict_rules_free(reform);
}

Test(api, reform_addition_warns_and_unknown_module_fails)
{
	edict_rules *base = load_ok(), *reform = NULL;
	const char *typo = "module voucher\nparam priorty_share : percent = 8%\n";
	cr_assert_eq(edict_load_reform_source(base, "typo.edict", typo, EDICT_NUL_TERMINATED, &reform), EDICT_OK);
	cr_assert_eq(edict_rules_diag_count(reform), 1);
	edict_diag d;
	cr_assert_eq(edict_rules_diag(reform, 0, &d), EDICT_OK);
	cr_assert_eq(d.severity, EDICT_SEV_WARNING);
	cr_assert_str_eq(d.file, "typo.edict");
	cr_assert_eq(d.line, 2);
	cr_assert_not_null(strstr(d.message, "did you mean 'priority_share'"), "%s", d.message);
	edict_rules_free(reform);

	const char *elsewhere = "module vouchr\nparam priority_share : percent = 8%\n";
	cr_assert_eq(edict_load_reform_source(base, "mod.edict", elsewhere, EDICT_NUL_TERMINATED, &reform), EDICT_ETYPE);
	cr_assert_eq(edict_rules_diag(reform, 0, &d), EDICT_OK);
	cr_assert_not_null(strstr(d.message, "'vouchr'"), "%s", d.message);
	cr_assert_not_null(strstr(d.message, "did you mean 'voucher'?"), "%s", d.message);
	edict_rules_free(reform);

	const char *bad_type = "module voucher\nparam priority_share : bool = true\n";
	cr_assert_eq(edict_load_reform_source(base, "type.edict", bad_type, EDICT_NUL_TERMINATED, &reform), EDICT_ETYPE);
	edict_rules_free(reform);

	cr_assert_eq(edict_load_reform_source(NULL, "x", "module voucher", EDICT_NUL_TERMINATED, &reform), EDICT_EUSAGE);
	const char *none[] = {"/nonexistent/reform.edict"};
	cr_assert_eq(edict_load_reform(base, none, 1, &reform), EDICT_EIO);
	edict_rules_free(reform);
	cr_assert_eq(edict_load_reform(base, NULL, 1, &reform), EDICT_EUSAGE);
	edict_rules_free(base);
}

/* ---------------------------------------------------------------- contexts */

Test(api, ctx_bad_arguments)
{
	edict_ctx *c = NULL;
	cr_assert_eq(edict_ctx_new(NULL, &c), EDICT_EUSAGE);
	edict_rules *r = load_ok();
	cr_assert_eq(edict_ctx_new(r, NULL), EDICT_EUSAGE);
	edict_ctx_free(NULL);
	cr_assert_eq(edict_ctx_reset(NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_facts_json(NULL, "{}", 2), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_fact(NULL, "company.size", "sme"), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_bool(NULL, "a", 1), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_int(NULL, "a", 1), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_text(NULL, "a", "x"), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_unknown(NULL, "a"), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_as_of(NULL, "2026-12-01"), EDICT_EUSAGE);
	cr_assert_null(edict_ctx_as_of(NULL));
	cr_assert_eq(edict_ctx_set_limits(NULL, 1, 1), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_interrupt(NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_status(NULL), EDICT_EUSAGE);
	cr_assert_str_eq(edict_ctx_errmsg(NULL), "the context is NULL or was freed");
	edict_diag d;
	cr_assert_eq(edict_ctx_error(NULL, &d), EDICT_EUSAGE);
	const char *s;
	edict_value *v;
	cr_assert_eq(edict_eval(NULL, "voucher.award", &v), EDICT_EUSAGE);
	cr_assert_eq(edict_eval_json(NULL, "voucher.award", &s), EDICT_EUSAGE);
	cr_assert_eq(edict_missing_json(NULL, "voucher.award", &s), EDICT_EUSAGE);
	cr_assert_eq(edict_explain_json(NULL, "voucher.award", &s), EDICT_EUSAGE);
	cr_assert_eq(edict_explain_text(NULL, "voucher.award", &s), EDICT_EUSAGE);
	cr_assert_eq(edict_prepare(NULL, "voucher.award"), EDICT_EUSAGE);

	c = ctx_with(r, NULL);
	cr_assert_eq(edict_ctx_error(c, NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_facts_json(c, NULL, 0), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "NULL"));
	cr_assert_eq(edict_ctx_set_fact(c, NULL, "sme"), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_text(c, "company.size", NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_eval(c, NULL, &v), EDICT_EUSAGE);
	cr_assert_eq(edict_eval(c, "voucher.award", NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_eval_json(c, "voucher.award", NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_explain_json(c, NULL, &s), EDICT_EUSAGE);
	cr_assert_eq(edict_prepare(c, NULL), EDICT_EUSAGE);
	/* a success clears the error */
	cr_assert_eq(edict_prepare(c, "voucher.award"), EDICT_OK);
	cr_assert_eq(edict_ctx_status(c), EDICT_OK);
	cr_assert_str_eq(edict_ctx_errmsg(c), "");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, contexts_outlive_their_rules_handle)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_rules_free(r); /* the rules stay while a context uses them */
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	edict_ctx_free(c);
}

Test(api, facts_json)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "true");
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	cr_assert_str_eq(edict_ctx_as_of(c), "2026-12-01");
	/* a length, not a NUL */
	const char *two = "{\"company\":{\"size\":\"large\",\"us_export_share\":\"1%\"}}GARBAGE";
	cr_assert_eq(edict_ctx_set_facts_json(c, two, strlen(two) - 7), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "false");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, invalid_facts_leave_the_facts_unchanged)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "true");
	/* invalid JSON: the place in the text */
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"company\": {\"size\": }", EDICT_NUL_TERMINATED), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_status(c), EDICT_EFACTS);
	edict_diag d;
	cr_assert_eq(edict_ctx_error(c, &d), EDICT_OK);
	cr_assert_str_eq(d.file, "facts");
	cr_assert_eq(d.line, 1);
	cr_assert_geq(d.column, 20);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "invalid JSON"), "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "true", "the facts before stay");
	/* a value that does not fit its declaration */
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"company\": {\"size\": \"sme\", \"us_export_share\": \"lots\"}}",
					      EDICT_NUL_TERMINATED),
		     EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "company.us_export_share"), "%s", edict_ctx_errmsg(c));
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "percentage"), "%s", edict_ctx_errmsg(c));
	/* an unknown fact, with a suggestion */
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"compnay\": {}}", EDICT_NUL_TERMINATED), EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "company"), "%s", edict_ctx_errmsg(c));
	/* not an object, a bad as_of */
	cr_assert_eq(edict_ctx_set_facts_json(c, "[1, 2]", EDICT_NUL_TERMINATED), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"as_of\": \"2026-02-30\"}", EDICT_NUL_TERMINATED), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_as_of(c), "2026-12-01");
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, set_fact_json_and_edict_forms)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, NULL);
	cr_assert_eq(edict_ctx_set_as_of(c, "2026-12-01"), EDICT_OK);
	/* JSON forms */
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", "\"midsize\""), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_fact(c, "company.us_export_share", "\"12%\""), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	/* Edict literals */
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", "large"), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "false");
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", " sme "), EDICT_OK);
	cr_assert_eq(edict_ctx_set_fact(c, "company.us_export_share", "9.5%"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "false");
	cr_assert_eq(edict_ctx_set_fact(c, "company.voucher_requested", "30_000_000 KRW"), EDICT_OK, "%s",
		     edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"30000000 KRW\"");
	cr_assert_eq(edict_ctx_set_fact(c, "company.founded", "2001-02-03"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "company.founded"), "\"2001-02-03\"");
	cr_assert_eq(edict_ctx_set_fact(c, "company.employees", "12"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_fact(c, "company.markets", "[\"US\", \"JP\"]"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.markets"), "[\"US\",\"JP\"]");
	/* a record written in Edict, and a field of an absent record */
	cr_assert_eq(edict_ctx_set_fact(c, "company.office", "{city: \"Busan\", staff: 3}"), EDICT_OK, "%s",
		     edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.staff"), "3");
	cr_assert_eq(edict_ctx_set_unknown(c, "company.office"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.staff"), "null");
	cr_assert_eq(edict_ctx_set_fact(c, "company.office.staff", "5"), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "voucher.staff"), "5");
	const char *m;
	cr_assert_eq(edict_missing_json(c, "company.office.city", &m), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(m, "[\"company.office.city\"]", "the other fields of the new record are missing");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, set_fact_errors)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	cr_assert_eq(edict_ctx_set_fact(c, "company.us_share", "10%"), EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "company.us_share"), "%s", edict_ctx_errmsg(c));
	edict_diag d;
	cr_assert_eq(edict_ctx_error(c, &d), EDICT_OK);
	cr_assert_not_null(d.hint);
	cr_assert_not_null(strstr(d.hint, "us_export_share"), "%s", d.hint);
	cr_assert_eq(edict_ctx_set_fact(c, "compny.size", "sme"), EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "did you mean 'company'"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_fact(c, "company.size.x", "sme"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_fact(c, "", "sme"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", "huge"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_fact(c, "company.size", "\"huge\""), EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "one of"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_fact(c, "company.us_export_share", "12 KRW"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_fact(c, "company.voucher_requested", "10 USD"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_fact(c, "company.us_export_share", "(("), EDICT_EFACTS);
	/* the facts before are kept */
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, typed_setters)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, NULL);
	edict_ctx_set_as_of(c, "2026-12-01");
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "sme"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.us_export_share", "10%"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.voucher_requested", "12000000 KRW"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.name", "Hanbit \"Apparel\""), EDICT_OK);
	cr_assert_eq(edict_ctx_set_int(c, "company.employees", 4), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "company.name"), "\"Hanbit \\\"Apparel\\\"\"");
	cr_assert_str_eq(eval_json(c, "voucher.per_employee"), "\"3000000 KRW\"");
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	/* the wrong type for the fact */
	cr_assert_eq(edict_ctx_set_bool(c, "company.size", 1), EDICT_EFACTS);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "company.size"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_int(c, "company.size", 1), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_text(c, "company.employees", "many"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_text(c, "company.office", "Busan"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "huge"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_bool(c, "nothing", 1), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_unknown(c, "company.nothing"), EDICT_EFACTS);
	/* unknown, as JSON null */
	cr_assert_eq(edict_ctx_set_unknown(c, "company.size"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "null");
	const char *m;
	cr_assert_eq(edict_missing_json(c, "voucher.eligible", &m), EDICT_OK);
	cr_assert_str_eq(m, "[\"company.size\"]");
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* Setters change in place the records they made themselves, until an
 * evaluation reads the facts: after one, the next setter copies again, so
 * each evaluation sees the facts as they were set before it. */
Test(api, setters_before_and_after_evaluations)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, NULL);
	edict_ctx_set_as_of(c, "2026-12-01");
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "sme"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.us_export_share", "12%"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.name", "First"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "true");
	const char *first = strdup(eval_json(c, "company"));
	cr_assert_not_null(strstr(first, "\"First\""), "%s", first);
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "large"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.name", "Second"), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "false");
	const char *second = eval_json(c, "company");
	cr_assert_not_null(strstr(second, "\"Second\""), "%s", second);
	cr_assert_not_null(strstr(second, "\"large\""), "%s", second);
	/* the same path set many times, and an error between: the last value counts */
	for (int i = 0; i < 40; i++)
		cr_assert_eq(edict_ctx_set_text(c, "company.size", i % 2 ? "sme" : "midsize"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "huge"), EDICT_EFACTS);
	cr_assert_str_eq(eval_json(c, "company.size"), "\"sme\"");
	free((void *)first);
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, as_of)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, "{\"as_of\":\"2025-06-01\",\"company\":{\"size\":\"sme\",\"us_export_share\":\"12%\"}}");
	cr_assert_str_eq(edict_ctx_as_of(c), "2025-06-01", "the document's date");
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	/* before the dated param starts: a runtime error, with the place */
	cr_assert_eq(edict_ctx_set_as_of(c, "2025-04-30"), EDICT_OK);
	cr_assert_str_eq(edict_ctx_as_of(c), "2025-04-30", "the date set beats the document's");
	const char *j;
	cr_assert_eq(edict_eval_json(c, "voucher.priority", &j), EDICT_ERUNTIME);
	edict_diag d;
	cr_assert_eq(edict_ctx_error(c, &d), EDICT_OK);
	cr_assert_str_eq(d.file, "voucher.edict");
	cr_assert_eq(d.line, 16);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "2025-04-30"), "%s", edict_ctx_errmsg(c));
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "voucher.edict:16:"), "%s", edict_ctx_errmsg(c));
	/* NULL clears it: the document's date again */
	cr_assert_eq(edict_ctx_set_as_of(c, NULL), EDICT_OK);
	cr_assert_str_eq(edict_ctx_as_of(c), "2025-06-01");
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	/* bad dates are usage errors, and change nothing */
	cr_assert_eq(edict_ctx_set_as_of(c, "2026-02-30"), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "does not exist"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_as_of(c, "1/2/2026"), EDICT_EUSAGE);
	cr_assert_eq(edict_ctx_set_as_of(c, ""), EDICT_EUSAGE);
	cr_assert_str_eq(edict_ctx_as_of(c), "2025-06-01");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, reset)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_ctx_set_as_of(c, "2026-01-01");
	edict_ctx_set_limits(c, 1000, 0);
	cr_assert_eq(edict_ctx_reset(c), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.eligible"), "null", "the facts are gone");
	cr_assert_str_neq(edict_ctx_as_of(c), "2026-01-01", "the date is today's again");
	const char *j;
	cr_assert_eq(edict_eval_json(c, "voucher.looping", &j), EDICT_ELIMIT, "the limits stay");
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* -------------------------------------------------------------- evaluation */

Test(api, eval_decisions_and_expressions)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	cr_assert_str_eq(eval_json(c, "voucher.disbursement"), "\"14 days\"");
	cr_assert_str_eq(eval_json(c, "disbursement"), "\"14 days\"", "a bare name when unique");
	cr_assert_str_eq(eval_json(c, "voucher.award * 2"), "\"100000000 KRW\"");
	cr_assert_str_eq(eval_json(c, "company.size"), "\"sme\"");
	cr_assert_str_eq(eval_json(c, "as_of"), "\"2026-12-01\"");
	cr_assert_eq(edict_prepare(c, "voucher.eligible and priority"), EDICT_OK);
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, query_errors)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_value *v = NULL;
	/* an unknown decision: a usage error, with a suggestion */
	cr_assert_eq(edict_eval(c, "voucher.priorty", &v), EDICT_EUSAGE);
	cr_assert_null(v);
	cr_assert(strstr(edict_ctx_errmsg(c), "query:1:") == edict_ctx_errmsg(c), "%s", edict_ctx_errmsg(c));
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "priority"), "%s", edict_ctx_errmsg(c));
	edict_diag d;
	cr_assert_eq(edict_ctx_error(c, &d), EDICT_OK);
	cr_assert_str_eq(d.file, "query");
	cr_assert_eq(d.line, 1);
	/* syntax */
	cr_assert_eq(edict_eval(c, "voucher.award >", &v), EDICT_ESYNTAX);
	cr_assert_eq(edict_eval(c, "", &v), EDICT_ESYNTAX);
	cr_assert_eq(edict_eval(c, "1 +* 2", &v), EDICT_ESYNTAX);
	/* types */
	cr_assert_eq(edict_eval(c, "voucher.award + true", &v), EDICT_ETYPE);
	cr_assert_eq(edict_eval(c, "voucher.eligible and 3", &v), EDICT_ETYPE);
	cr_assert_eq(edict_eval(c, "company.size = nothing_like_this", &v), EDICT_ETYPE);
	cr_assert_eq(edict_ctx_status(c), EDICT_ETYPE);
	/* the context still works */
	cr_assert_str_eq(eval_json(c, "voucher.priority"), "true");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, runtime_errors)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *j;
	/* two exceptions apply and neither overrides the other */
	cr_assert_eq(edict_eval_json(c, "voucher.conflict", &j), EDICT_ERUNTIME);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "voucher.edict:"), "%s", edict_ctx_errmsg(c));
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "overrides"), "%s", edict_ctx_errmsg(c));
	/* division by zero */
	cr_assert_eq(edict_ctx_set_int(c, "company.employees", 0), EDICT_OK);
	cr_assert_eq(edict_eval_json(c, "voucher.per_employee", &j), EDICT_ERUNTIME);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "zero"), "%s", edict_ctx_errmsg(c));
	edict_diag d;
	cr_assert_eq(edict_ctx_error(c, &d), EDICT_OK);
	cr_assert_eq(d.line, 27);
	cr_assert_eq(edict_eval_json(c, "1 / 0", &j), EDICT_ERUNTIME);
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, limits)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *j;
	cr_assert_eq(edict_ctx_set_limits(c, 10000, 0), EDICT_OK);
	cr_assert_eq(edict_eval_json(c, "voucher.looping", &j), EDICT_ELIMIT);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "steps"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_ctx_set_limits(c, 0, 4096), EDICT_OK);
	cr_assert_eq(edict_eval_json(c, "range(1, 10000)", &j), EDICT_ELIMIT);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "memory"), "%s", edict_ctx_errmsg(c));
	/* each evaluation has the whole budget: many small ones pass */
	cr_assert_eq(edict_ctx_set_limits(c, 200, 0), EDICT_OK);
	for (int i = 0; i < 100; i++) {
		char q[64];
		snprintf(q, sizeof q, "%d + 1", i);
		cr_assert_eq(edict_eval_json(c, q, &j), EDICT_OK, "%s", edict_ctx_errmsg(c));
	}
	cr_assert_eq(edict_ctx_set_limits(c, 0, 0), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, interrupt)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *j;
	cr_assert_eq(edict_ctx_interrupt(c), EDICT_OK);
	cr_assert_eq(edict_eval_json(c, "voucher.award", &j), EDICT_EINTERRUPTED);
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"", "the request is used up");
	edict_ctx_free(c);
	edict_rules_free(r);
}

static void *interrupter(void *arg)
{
	edict_ctx *c = arg;
	for (int i = 0; i < 2000; i++) {
		edict_ctx_interrupt(c);
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

Test(api, interrupt_from_another_thread)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_ctx_set_limits(c, UINT64_MAX / 2, 0);
	pthread_t t;
	pthread_create(&t, NULL, interrupter, c);
	const char *j;
	int st = edict_eval_json(c, "voucher.looping", &j);
	pthread_join(t, NULL);
	cr_assert_eq(st, EDICT_EINTERRUPTED, "%s: %s", edict_status_name(st), edict_ctx_errmsg(c));
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, explanations)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *j;
	cr_assert_eq(edict_explain_json(c, "voucher.disbursement", &j), EDICT_OK, "%s", edict_ctx_errmsg(c));
	json_object *o = json_tokener_parse(j);
	cr_assert_not_null(o, "valid JSON: %s", j);
	json_object *f;
	cr_assert(json_object_object_get_ex(o, "decision", &f));
	cr_assert_str_eq(json_object_get_string(f), "voucher.disbursement");
	cr_assert(json_object_object_get_ex(o, "value", &f));
	cr_assert_str_eq(json_object_get_string(f), "14 days");
	cr_assert(json_object_object_get_ex(o, "case", &f));
	json_object *src;
	cr_assert(json_object_object_get_ex(f, "sources", &src));
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(src, 0)), "fast track");
	cr_assert(json_object_object_get_ex(o, "uses", &f));
	cr_assert_geq(json_object_array_length(f), 1);
	json_object_put(o);
	const char *t;
	cr_assert_eq(edict_explain_text(c, "voucher.disbursement", &t), EDICT_OK);
	cr_assert(strstr(t, "voucher.disbursement = 14 days") == t, "%s", t);
	cr_assert_not_null(strstr(t, "exception 'fast'"), "%s", t);
	/* an expression, and results stay consistent after explaining */
	cr_assert_eq(edict_explain_json(c, "voucher.award > 10_000_000 KRW", &j), EDICT_OK, "%s", edict_ctx_errmsg(c));
	o = json_tokener_parse(j);
	cr_assert_not_null(o, "valid JSON: %s", j);
	json_object_put(o);
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"50000000 KRW\"");
	cr_assert_eq(edict_explain_json(c, "voucher.nope", &j), EDICT_EUSAGE);
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, missing_facts)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, "{\"as_of\":\"2026-12-01\",\"company\":{\"size\":\"sme\"}}");
	const char *m;
	cr_assert_eq(edict_missing_json(c, "voucher.priority", &m), EDICT_OK);
	cr_assert_str_eq(m, "[\"company.us_export_share\"]");
	cr_assert_eq(edict_missing_json(c, "voucher.eligible", &m), EDICT_OK);
	cr_assert_str_eq(m, "[]");
	edict_value *v;
	cr_assert_eq(edict_eval(c, "voucher.award", &v), EDICT_OK);
	cr_assert_eq(edict_value_kind(v), EDICT_KIND_UNKNOWN);
	cr_assert_str_eq(edict_value_missing_json(v), "[\"company.voucher_requested\"]");
	cr_assert_str_eq(edict_value_text(v), "unknown");
	cr_assert_str_eq(edict_value_json(v), "null");
	int b;
	cr_assert_eq(edict_value_bool(v, &b), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "company.voucher_requested"), "%s", edict_ctx_errmsg(c));
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* ------------------------------------------------------------------ values */

Test(api, typed_values)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_value *v;
	int b = -1;
	cr_assert_eq(edict_eval(c, "voucher.priority", &v), EDICT_OK);
	cr_assert_eq(edict_value_kind(v), EDICT_KIND_BOOL);
	cr_assert_eq(edict_value_bool(v, &b), EDICT_OK);
	cr_assert_eq(b, 1);
	cr_assert_eq(edict_value_bool(v, NULL), EDICT_EUSAGE);
	int64_t i;
	cr_assert_eq(edict_value_int(v, &i), EDICT_EUSAGE, "a bool is not a number");
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "not a whole number"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_eval(c, "company.employees * 2", &v), EDICT_OK);
	cr_assert_eq(edict_value_kind(v), EDICT_KIND_INT);
	cr_assert_eq(edict_value_int(v, &i), EDICT_OK);
	cr_assert_eq(i, 16);
	struct {
		const char *q;
		int kind;
		const char *text, *json;
	} cases[] = {
		{"voucher.award", EDICT_KIND_MONEY, "50000000 KRW", "\"50000000 KRW\""},
		{"company.us_export_share", EDICT_KIND_PERCENT, "14%", "\"14%\""},
		{"voucher.disbursement", EDICT_KIND_DURATION, "14 days", "\"14 days\""},
		{"as_of", EDICT_KIND_DATE, "2026-12-01", "\"2026-12-01\""},
		{"company.size", EDICT_KIND_ENUM, "sme", "\"sme\""},
		{"1 / 4", EDICT_KIND_DECIMAL, "0.25", "0.25"},
		{"\"a\\\"b\"", EDICT_KIND_TEXT, "\"a\\\"b\"", "\"a\\\"b\""},
		{"hs \"6205.20\"", EDICT_KIND_HSCODE, "hs \"6205.20\"", "\"6205.20\""},
		{"[1, 2]", EDICT_KIND_LIST, "[1, 2]", "[1,2]"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		cr_assert_eq(edict_eval(c, cases[k].q, &v), EDICT_OK, "%s: %s", cases[k].q, edict_ctx_errmsg(c));
		cr_assert_eq(edict_value_kind(v), cases[k].kind, "%s", cases[k].q);
		cr_assert_str_eq(edict_value_text(v), cases[k].text, "%s", cases[k].q);
		cr_assert_str_eq(edict_value_json(v), cases[k].json, "%s", cases[k].q);
		cr_assert_str_eq(edict_value_missing_json(v), "[]");
	}
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, lists_and_records)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	cr_assert_eq(edict_ctx_set_fact(c, "company.markets", "[\"US\", \"JP\", \"DE\"]"), EDICT_OK);
	cr_assert_eq(edict_ctx_set_fact(c, "company.office", "{\"city\": \"Busan\", \"staff\": 3}"), EDICT_OK);
	edict_value *v, *item, *field;
	size_t n;
	cr_assert_eq(edict_eval(c, "voucher.markets", &v), EDICT_OK);
	cr_assert_eq(edict_value_list_length(v, &n), EDICT_OK);
	cr_assert_eq(n, 3);
	cr_assert_eq(edict_value_list_item(v, 2, &item), EDICT_OK);
	cr_assert_str_eq(edict_value_text(item), "\"DE\"");
	cr_assert_eq(edict_value_list_item(v, 3, &item), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "3 items"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_value_list_item(v, 0, NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_value_list_length(v, NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_value_field(v, "city", &field), EDICT_EUSAGE, "a list has no fields");
	cr_assert_eq(edict_eval(c, "voucher.office", &v), EDICT_OK);
	cr_assert_eq(edict_value_kind(v), EDICT_KIND_RECORD);
	cr_assert_eq(edict_value_field(v, "city", &field), EDICT_OK);
	cr_assert_str_eq(edict_value_text(field), "\"Busan\"");
	cr_assert_eq(edict_value_field(v, "staf", &field), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "did you mean 'staff'"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_value_field(v, NULL, &field), EDICT_EUSAGE);
	cr_assert_eq(edict_value_list_length(v, &n), EDICT_EUSAGE);
	cr_assert_str_eq(edict_value_json(v), "{\"city\":\"Busan\",\"staff\":3}");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, several_queries_in_one_call)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *qs[] = {"voucher.eligible", "award", "company.name", "[1, 2]"};
	edict_value *v[4];
	size_t failed = 99;
	cr_assert_eq(edict_eval_many(c, qs, 4, v, &failed), EDICT_OK);
	cr_assert_eq(failed, 4, "n when every query succeeded");
	cr_assert_str_eq(edict_value_json(v[0]), "true");
	cr_assert_str_eq(edict_value_text(v[1]), "50000000 KRW");
	cr_assert_eq(edict_value_kind(v[2]), EDICT_KIND_UNKNOWN);
	cr_assert_eq(edict_value_kind(v[3]), EDICT_KIND_LIST);
	const char *json;
	cr_assert_eq(edict_eval_many_json(c, qs, 4, &json, NULL), EDICT_OK);
	cr_assert_str_eq(json, "[true,\"50000000 KRW\",null,[1,2]]");
	/* each as edict_eval_json writes it */
	for (int i = 0; i < 4; i++) {
		const char *one;
		cr_assert_eq(edict_eval_json(c, qs[i], &one), EDICT_OK);
		cr_assert_not_null(strstr(json, one), "%s in %s", one, json);
	}
	cr_assert_eq(edict_eval_many_json(c, qs, 0, &json, &failed), EDICT_OK);
	cr_assert_str_eq(json, "[]");
	cr_assert_eq(failed, 0);
	/* the first that fails stops the rest, with its message */
	const char *bad[] = {"voucher.priority", "voucher.conflict", "nonsense(", "voucher.award"};
	edict_value *w[4] = {NULL, NULL, NULL, NULL};
	cr_assert_eq(edict_eval(c, "voucher.conflict", &w[1]), EDICT_ERUNTIME);
	const char *alone = strdup(edict_ctx_errmsg(c));
	w[1] = NULL;
	cr_assert_eq(edict_eval_many(c, bad, 4, w, &failed), EDICT_ERUNTIME, "%s", edict_ctx_errmsg(c));
	cr_assert_eq(failed, 1);
	cr_assert_str_eq(edict_ctx_errmsg(c), alone, "the message edict_eval gives");
	free((void *)alone);
	cr_assert_str_eq(edict_value_json(w[0]), "true", "the results before it are set");
	cr_assert_null(w[2]);
	cr_assert_eq(edict_eval_many_json(c, bad + 2, 2, &json, &failed), EDICT_ESYNTAX);
	cr_assert_eq(failed, 0);
	/* NULL arguments */
	cr_assert_eq(edict_eval_many(NULL, qs, 4, v, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 4);
	cr_assert_eq(edict_eval_many(c, NULL, 4, v, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 4);
	cr_assert_eq(edict_eval_many(c, qs, 4, NULL, &failed), EDICT_EUSAGE);
	cr_assert_eq(edict_eval_many_json(c, qs, 4, NULL, NULL), EDICT_EUSAGE);
	const char *with_null[] = {"award", NULL};
	cr_assert_eq(edict_eval_many(c, with_null, 2, v, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 1);
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* One document's results as edict_eval_many_json gives them for it alone. */
static char *alone_json(edict_ctx *c, const char *doc, const char *const *qs, size_t n)
{
	const char *json;
	cr_assert_eq(edict_ctx_set_facts_json(c, doc, EDICT_NUL_TERMINATED), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_eval_many_json(c, qs, n, &json, NULL), EDICT_OK, "%s", edict_ctx_errmsg(c));
	return strdup(json);
}

Test(api, many_documents_in_one_call)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	const char *qs[] = {"voucher.eligible", "award", "company.name", "voucher.priority"};
	const char *docs[] = {sme_facts, "{\"company\":{\"size\":\"large\",\"us_export_share\":\"1%\",\"name\":\"Big\"}}",
			      "{\"company\":{\"size\":\"midsize\"}}"};
	char *one[3], want[512];
	for (int i = 0; i < 3; i++)
		one[i] = alone_json(c, docs[i], qs, 4);
	snprintf(want, sizeof want, "[%s,%s,%s]", one[0], one[1], one[2]);
	const char *json;
	size_t failed = 99;
	cr_assert_eq(edict_eval_batch_json(c, docs, NULL, 3, qs, 4, &json, &failed), EDICT_OK, "%s",
		     edict_ctx_errmsg(c));
	cr_assert_str_eq(json, want, "each document's array as edict_eval_many_json writes it");
	cr_assert_eq(failed, 3, "ndocs when every document succeeded");
	const char *size;
	cr_assert_eq(edict_eval_json(c, "company.size", &size), EDICT_OK);
	cr_assert_str_eq(size, "\"midsize\"", "the context holds the last document's facts");
	/* lengths: a document need not end in NUL */
	const char *cut[] = {"{\"company\":{\"size\":\"large\",\"us_export_share\":\"1%\",\"name\":\"Big\"}}GARBAGE"};
	size_t len = strlen(cut[0]) - strlen("GARBAGE");
	cr_assert_eq(edict_eval_batch_json(c, cut, &len, 1, qs, 4, &json, &failed), EDICT_OK, "%s", edict_ctx_errmsg(c));
	snprintf(want, sizeof want, "[%s]", one[1]);
	cr_assert_str_eq(json, want);
	/* no documents, no queries */
	cr_assert_eq(edict_eval_batch_json(c, docs, NULL, 0, qs, 4, &json, &failed), EDICT_OK);
	cr_assert_str_eq(json, "[]");
	cr_assert_eq(failed, 0);
	cr_assert_eq(edict_eval_batch_json(c, docs, NULL, 2, qs, 0, &json, &failed), EDICT_OK);
	cr_assert_str_eq(json, "[[],[]]");
	/* the first document refused stops the rest, with the message setting its facts gives */
	const char *refused[] = {docs[1], "{\"company\":{\"size\":\"tiny\"}}", docs[0]};
	cr_assert_eq(edict_ctx_set_facts_json(c, refused[1], EDICT_NUL_TERMINATED), EDICT_EFACTS);
	char *msg = strdup(edict_ctx_errmsg(c));
	cr_assert_eq(edict_eval_batch_json(c, refused, NULL, 3, qs, 4, &json, &failed), EDICT_EFACTS);
	cr_assert_eq(failed, 1);
	cr_assert_str_eq(edict_ctx_errmsg(c), msg);
	free(msg);
	/* and the first query that fails: its document's index, its message */
	const char *conflict[] = {"voucher.conflict"};
	const char *two[] = {docs[1], "{\"company\":{\"size\":\"midsize\",\"us_export_share\":\"14%\"}}"};
	cr_assert_eq(edict_eval_batch_json(c, two, NULL, 2, conflict, 1, &json, &failed), EDICT_ERUNTIME);
	cr_assert_eq(failed, 1, "the large company meets neither exception; the midsize one both");
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "conflict"), "%s", edict_ctx_errmsg(c));
	/* NULL arguments */
	cr_assert_eq(edict_eval_batch_json(NULL, docs, NULL, 3, qs, 4, &json, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 3);
	cr_assert_eq(edict_eval_batch_json(c, NULL, NULL, 3, qs, 4, &json, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 3);
	cr_assert_eq(edict_eval_batch_json(c, docs, NULL, 3, NULL, 4, &json, &failed), EDICT_EUSAGE);
	cr_assert_eq(edict_eval_batch_json(c, docs, NULL, 3, qs, 4, NULL, NULL), EDICT_EUSAGE);
	const char *with_null[] = {docs[0], NULL};
	cr_assert_eq(edict_eval_batch_json(c, with_null, NULL, 2, qs, 4, &json, &failed), EDICT_EUSAGE);
	cr_assert_eq(failed, 1);
	for (int i = 0; i < 3; i++)
		free(one[i]);
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, values_live_as_long_as_their_facts)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_value *a, *b;
	cr_assert_eq(edict_eval(c, "voucher.award", &a), EDICT_OK);
	cr_assert_eq(edict_eval(c, "voucher.eligible", &b), EDICT_OK);
	/* several results of the same facts at once */
	cr_assert_str_eq(edict_value_text(a), "50000000 KRW");
	cr_assert_eq(edict_value_kind(b), EDICT_KIND_BOOL);
	/* new facts: the old results are stale, and say so */
	cr_assert_eq(edict_ctx_set_text(c, "company.size", "large"), EDICT_OK);
	cr_assert_eq(edict_value_kind(a), -1);
	cr_assert_null(edict_value_text(a));
	int x;
	cr_assert_eq(edict_value_bool(b, &x), EDICT_EUSAGE);
	cr_assert_not_null(strstr(edict_ctx_errmsg(c), "changed"), "%s", edict_ctx_errmsg(c));
	cr_assert_eq(edict_eval(c, "voucher.award", &a), EDICT_OK);
	cr_assert_str_eq(edict_value_text(a), "0 KRW");
	/* NULL values */
	cr_assert_eq(edict_value_kind(NULL), -1);
	cr_assert_eq(edict_value_bool(NULL, &x), EDICT_EUSAGE);
	cr_assert_null(edict_value_text(NULL));
	cr_assert_null(edict_value_json(NULL));
	cr_assert_null(edict_value_missing_json(NULL));
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, many_results_of_one_set_of_facts_all_live_and_all_stale_after)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	/* more than the library hands out from one block */
	enum { N = 60 };
	edict_value *v[N];
	for (int i = 0; i < N; i++)
		cr_assert_eq(edict_eval(c, i % 2 ? "voucher.award" : "company.employees + 1", &v[i]), EDICT_OK);
	for (int i = 0; i < N; i++) {
		cr_assert_str_eq(edict_value_text(v[i]), i % 2 ? "50000000 KRW" : "9", "result %d", i);
		for (int k = 0; k < i; k++)
			cr_assert_neq(v[i], v[k], "results %d and %d are one handle", k, i);
	}
	cr_assert_eq(edict_ctx_set_int(c, "company.employees", 4), EDICT_OK);
	for (int i = 0; i < N; i++)
		cr_assert_eq(edict_value_kind(v[i]), -1, "result %d of the old facts", i);
	edict_value *now;
	cr_assert_eq(edict_eval(c, "company.employees + 1", &now), EDICT_OK);
	cr_assert_str_eq(edict_value_text(now), "5");
	cr_assert_eq(edict_value_kind(v[0]), -1, "the new result is not an old handle again");
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, setters_tell_paths_of_one_length_apart_and_go_on_after_a_wrong_one)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, "{}");
	/* company.size and company.name: the same length, the same start */
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(edict_ctx_set_text(c, "company.size", round == 1 ? "large" : "sme"), EDICT_OK);
		cr_assert_eq(edict_ctx_set_text(c, "company.name", "Hanbit"), EDICT_OK);
		cr_assert_eq(edict_ctx_set_text(c, "company.sise", "sme"), EDICT_EFACTS);
		cr_assert_not_null(strstr(edict_ctx_errmsg(c), "size"), "%s", edict_ctx_errmsg(c));
		cr_assert_eq(edict_ctx_set_text(c, "company.us_export_share", "14%"), EDICT_OK);
		cr_assert_eq(edict_ctx_set_int(c, "company.employees", 8 + round), EDICT_OK);
		const char *json;
		cr_assert_eq(edict_eval_json(c, "company.name", &json), EDICT_OK);
		cr_assert_str_eq(json, "\"Hanbit\"");
		cr_assert_eq(edict_eval_json(c, "company.size", &json), EDICT_OK);
		cr_assert_str_eq(json, round == 1 ? "\"large\"" : "\"sme\"");
		cr_assert_eq(edict_eval_json(c, "company.employees", &json), EDICT_OK);
		cr_assert_str_eq(json, round == 0 ? "8" : round == 1 ? "9" : "10");
	}
	edict_ctx_free(c);
	edict_rules_free(r);
}

Test(api, copy_out)
{
	edict_rules *r = load_ok();
	edict_ctx *c = ctx_with(r, sme_facts);
	edict_value *v;
	cr_assert_eq(edict_eval(c, "voucher.award", &v), EDICT_OK);
	char buf[64];
	cr_assert_eq(edict_value_copy_text(v, buf, sizeof buf), strlen("50000000 KRW"));
	cr_assert_str_eq(buf, "50000000 KRW");
	cr_assert_eq(edict_value_copy_text(v, buf, 5), strlen("50000000 KRW"), "the whole length, like snprintf");
	cr_assert_str_eq(buf, "5000");
	cr_assert_eq(edict_value_copy_json(v, buf, sizeof buf), strlen("\"50000000 KRW\""));
	cr_assert_str_eq(buf, "\"50000000 KRW\"");
	cr_assert_eq(edict_value_copy_json(v, NULL, 0), strlen("\"50000000 KRW\""));
	cr_assert_eq(edict_value_copy_text(NULL, buf, sizeof buf), 0);
	cr_assert_str_eq(buf, "");
	/* a text longer than the room the library first makes it in */
	char facts[2048] = "{\"company\": {\"size\": \"sme\", \"markets\": [";
	for (int i = 0; i < 60; i++)
		snprintf(facts + strlen(facts), sizeof facts - strlen(facts), "%s\"M%02d\"", i ? ", " : "", i);
	strcat(facts, "]}}");
	cr_assert_eq(edict_ctx_set_facts_json(c, facts, EDICT_NUL_TERMINATED), EDICT_OK);
	cr_assert_eq(edict_eval(c, "voucher.markets", &v), EDICT_OK);
	char big[1024];
	size_t n = edict_value_copy_json(v, big, sizeof big);
	cr_assert_eq(n, strlen("[\"M00\",") + 58 * strlen("\"M01\",") + strlen("\"M59\"]"), "%zu: %s", n, big);
	cr_assert_eq(strlen(big), n);
	cr_assert_eq(strncmp(big, "[\"M00\",\"M01\",", 13), 0, "%s", big);
	cr_assert_str_eq(big + n - 12, "\"M58\",\"M59\"]");
	cr_assert_str_eq(edict_value_json(v), big, "the kept text is the same");
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* ---------------------------------------------------------------- memory */

/* Make every allocation in turn fail, through a whole session: each call
 * must answer EDICT_OK or EDICT_ENOMEM, never crash, and the same session
 * must succeed once the failure comes too late to matter. */
static int session(char *award, size_t size)
{
	edict_rules *r = NULL;
	int st = edict_load_source("voucher.edict", voucher_rules, EDICT_NUL_TERMINATED, &r);
	if (st != EDICT_OK) {
		edict_rules_free(r);
		return st;
	}
	edict_ctx *c = NULL;
	st = edict_ctx_new(r, &c);
	if (st == EDICT_OK)
		st = edict_ctx_set_facts_json(c, sme_facts, EDICT_NUL_TERMINATED);
	if (st == EDICT_OK)
		st = edict_ctx_set_fact(c, "company.office", "{city: \"Busan\", staff: 3}");
	edict_value *v = NULL;
	if (st == EDICT_OK)
		st = edict_eval(c, "voucher.award + 1 KRW", &v);
	const char *j = NULL;
	if (st == EDICT_OK)
		st = edict_explain_json(c, "voucher.disbursement", &j);
	if (st == EDICT_OK && !edict_value_text(v))
		st = edict_ctx_status(c);
	if (st == EDICT_OK && edict_value_copy_text(v, award, size) == 0)
		st = edict_ctx_status(c);
	edict_ctx_free(c);
	edict_rules_free(r);
	return st;
}

Test(api, out_of_memory_everywhere)
{
	char award[64];
	int n, ok = 0;
	for (n = 1; n < 200000 && !ok; n += n < 2000 ? 1 : 37) {
		mem_fail_after(n);
		award[0] = 0;
		int st = session(award, sizeof award);
		cr_assert(st == EDICT_OK || st == EDICT_ENOMEM, "allocation %d failing gave %s", n, edict_status_name(st));
		cr_assert(st == EDICT_OK || mem_failed(), "allocation %d: ENOMEM without a failure", n);
		if (st == EDICT_OK) {
			cr_assert(!mem_failed(), "allocation %d failed, yet the session succeeded", n);
			cr_assert_str_eq(award, "50000001 KRW");
			ok = 1;
		}
	}
	mem_fail_after(0);
	cr_assert(ok, "the session never succeeded");
	cr_log_info("the session first succeeded with allocation %d failing", n - 1);
	cr_assert_gt(n, 50, "allocations were really made to fail");
	/* and after all that, everything works */
	award[0] = 0;
	cr_assert_eq(session(award, sizeof award), EDICT_OK);
	cr_assert_str_eq(award, "50000001 KRW");
}

/* ---------------------------------------------------------------- threads */

static edict_rules *shared;

static void *thread_body(void *arg)
{
	/* no attach: the first call registers this thread */
	intptr_t k = (intptr_t)arg;
	edict_ctx *c;
	if (edict_ctx_new(shared, &c) != EDICT_OK)
		return (void *)1;
	intptr_t bad = 0;
	for (int i = 0; i < 200; i++) {
		char facts[256], q[64];
		snprintf(facts, sizeof facts,
			 "{\"as_of\":\"2026-12-01\",\"company\":{\"size\":\"sme\",\"us_export_share\":\"%d%%\","
			 "\"voucher_requested\":\"%d KRW\"}}",
			 i % 20, (int)(k * 1000 + i));
		snprintf(q, sizeof q, "voucher.award + %d KRW", (int)k);
		const char *j;
		if (edict_ctx_set_facts_json(c, facts, EDICT_NUL_TERMINATED) != EDICT_OK ||
		    edict_eval_json(c, q, &j) != EDICT_OK) {
			bad++;
			continue;
		}
		char want[64];
		snprintf(want, sizeof want, "\"%d KRW\"", (int)(k * 1000 + i + k));
		bad += strcmp(j, want) != 0;
		if (edict_explain_json(c, "voucher.priority", &j) != EDICT_OK)
			bad++;
	}
	edict_ctx_free(c);
	return (void *)bad;
}

Test(api, threads_share_one_rule_set)
{
	shared = load_ok();
	pthread_t t[6];
	for (intptr_t k = 0; k < 6; k++)
		cr_assert_eq(pthread_create(&t[k], NULL, thread_body, (void *)k), 0);
	for (int k = 0; k < 6; k++) {
		void *bad;
		pthread_join(t[k], &bad);
		cr_assert_eq((intptr_t)bad, 0, "thread %d had %ld wrong results", k, (long)(intptr_t)bad);
	}
	edict_rules_free(shared);
}

static void *attach_detach_body(void *arg)
{
	(void)arg;
	intptr_t bad = 0;
	bad += edict_thread_attach() != EDICT_OK;
	edict_ctx *c;
	if (edict_ctx_new(shared, &c) != EDICT_OK)
		return (void *)1;
	const char *j;
	bad += edict_ctx_set_facts_json(c, sme_facts, EDICT_NUL_TERMINATED) != EDICT_OK;
	bad += edict_eval_json(c, "voucher.award", &j) != EDICT_OK || strcmp(j, "\"50000000 KRW\"") != 0;
	bad += edict_thread_detach() != EDICT_OK;
	/* the handle is still good; the next call registers the thread again */
	bad += edict_ctx_set_facts_json(c, sme_facts, EDICT_NUL_TERMINATED) != EDICT_OK;
	bad += edict_eval_json(c, "voucher.priority", &j) != EDICT_OK || strcmp(j, "true") != 0;
	edict_ctx_free(c);
	return (void *)bad;
}

Test(api, attach_detach_and_again)
{
	shared = load_ok();
	pthread_t t[3];
	for (int k = 0; k < 3; k++)
		cr_assert_eq(pthread_create(&t[k], NULL, attach_detach_body, NULL), 0);
	for (int k = 0; k < 3; k++) {
		void *bad;
		pthread_join(t[k], &bad);
		cr_assert_eq((intptr_t)bad, 0);
	}
	/* collections after the threads are gone must not look for them */
	edict_ctx *c = ctx_with(shared, sme_facts);
	for (int i = 0; i < 2000; i++)
		cr_assert_str_eq(eval_json(c, "voucher.award + 0 KRW"), "\"50000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(shared);
}

Test(api, reform_from_a_file)
{
	char path[] = "/tmp/edict-reform-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	const char *text = "module voucher\nparam voucher_cap : money KRW = 40_000_000 KRW\n";
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	edict_rules *base = load_ok(), *reform = NULL;
	const char *paths[] = {path};
	int st = edict_load_reform(base, paths, 1, &reform);
	unlink(path);
	cr_assert_eq(st, EDICT_OK, "%s", edict_rules_report(reform));
	edict_ctx *c = ctx_with(reform, sme_facts);
	cr_assert_str_eq(eval_json(c, "voucher.award"), "\"40000000 KRW\"");
	edict_ctx_free(c);
	edict_rules_free(reform);
	edict_rules_free(base);
}

/* ----------------------------------------------------------- requirements */

Test(api, facts_that_break_a_requirement_are_invalid_facts)
{
	const char *rules = "fact company { employees : int }\n"
			    "require \"the number of employees is never negative\": company.employees >= 0\n"
			    "  source \"SME Act, Article 2\"\n"
			    "decision small : bool = company.employees < 300\n";
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_source("sme.edict", rules, EDICT_NUL_TERMINATED, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_ctx *c = ctx_with(r, "{\"company\": {\"employees\": -3}}");
	const char *j = NULL;
	cr_assert_eq(edict_eval_json(c, "small", &j), EDICT_EFACTS);
	edict_diag e;
	cr_assert_eq(edict_ctx_error(c, &e), EDICT_OK);
	cr_assert_str_eq(e.file, "sme.edict");
	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.column, 9);
	cr_assert_str_eq(e.hint, "source: \"SME Act, Article 2\"");
	cr_assert(strstr(edict_ctx_errmsg(c), "the facts break the requirement \"the number of employees is never "
					   "negative\" (sme.edict:2:9): company.employees is -3"),
		  "%s", edict_ctx_errmsg(c));
	/* facts that satisfy it, or leave it unknown, are decided */
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"company\": {\"employees\": 3}}", EDICT_NUL_TERMINATED), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "small"), "true");
	cr_assert_eq(edict_ctx_set_facts_json(c, "{\"company\": {}}", EDICT_NUL_TERMINATED), EDICT_OK);
	cr_assert_str_eq(eval_json(c, "small"), "null");
	edict_ctx_free(c);
	edict_rules_free(r);
}

/* A member with its value, set in JSON or in Edict notation, and read back. */
Test(api, a_member_with_its_value_through_the_api)
{
	const char *rules = "enum prior_sale = none | most_recent of date\n"
			    "fact sale { prior : prior_sale }\n"
			    "decision prior : prior_sale = sale.prior\n";
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_source("home.edict", rules, EDICT_NUL_TERMINATED, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_ctx *c = ctx_with(r, "{\"sale\": {\"prior\": {\"most_recent\": \"2024-05-01\"}}}");
	cr_assert_str_eq(eval_json(c, "prior"), "{\"most_recent\":\"2024-05-01\"}");
	cr_assert_eq(edict_ctx_set_fact(c, "sale.prior", "most_recent(2023-02-01)"), EDICT_OK, "%s", edict_ctx_errmsg(c));
	edict_value *v = NULL;
	cr_assert_eq(edict_eval(c, "prior", &v), EDICT_OK);
	cr_assert_eq(edict_value_kind(v), EDICT_KIND_ENUM);
	cr_assert_str_eq(edict_value_text(v), "most_recent(2023-02-01)");
	/* a member name alone is no value for a member that carries one */
	cr_assert_eq(edict_ctx_set_text(c, "sale.prior", "most_recent"), EDICT_EFACTS);
	cr_assert_eq(edict_ctx_set_text(c, "sale.prior", "none"), EDICT_OK, "%s", edict_ctx_errmsg(c));
	cr_assert_str_eq(eval_json(c, "prior"), "\"none\"");
	edict_ctx_free(c);
	edict_rules_free(r);
}
