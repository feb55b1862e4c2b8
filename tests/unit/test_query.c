/*
 * test_query.c - unit tests for interp/query.c: queries asked from outside
 * the rules, and the rule files' own tests and checks.
 *
 * query_run_tests must print one PASS/FAIL line per test and a closing
 * count, and say for a failed `expect x = v` what x actually was;
 * query_run_checks must turn failed checks into diagnostics of the check's
 * severity, naming the failing items of a `for ... showing` check.
 * Compiling a query must leave the shared program as it was: the query
 * keeps its own nodes and text, and its explanation finds them.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "check.h"
#include "explain.h"
#include "facts.h"
#include "load.h"
#include "parse.h"
#include "query.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(query, .init = setup);

static Program *prog(const char *text)
{
	return tu_program(text);
}

static const char *RULES = "enum company_size = sme | midsize | large\n"
			   "fact company { size : company_size  us_export_share : percent }\n"
			   "param priority_share : percent\n"
			   "  from 2025-05-01 = 10%\n"
			   "decision eligible : bool = company.size in [sme, midsize]\n"
			   "decision priority : bool = eligible and company.us_export_share >= priority_share\n"
			   "decision ratio : decimal = 1 / 0\n";

static const char *run_tests(const char *tests, int want_failed, int want_passed)
{
	Program *p = prog(xprintf("%s%s", RULES, tests));
	Buf b = {0};
	int passed = -1;
	int failed = query_run_tests(p, &b, false, &passed);
	cr_assert_eq(failed, want_failed, "%s", buf_cstr(&b));
	cr_assert_eq(passed, want_passed, "%s", buf_cstr(&b));
	return buf_cstr(&b);
}

Test(query, passing_tests)
{
	const char *out = run_tests("test \"priority at 10%\" {\n"
				    "  as of 2025-06-01\n"
				    "  given company = { size: sme, us_export_share: 10% }\n"
				    "  expect priority\n"
				    "}\n"
				    "test \"one field\" {\n"
				    "  as of 2025-06-01\n"
				    "  given company.size = large\n"
				    "  expect not eligible\n"
				    "  expect priority = false\n"
				    "}\n",
				    0, 2);
	cr_assert_str_eq(out, "PASS t.priority at 10%\nPASS t.one field\n2 passed, 0 failed\n");
}

Test(query, failing_expectations_say_what_was_found)
{
	const char *out = run_tests("test \"wrong\" {\n"
				    "  as of 2025-06-01\n"
				    "  given company = { size: large, us_export_share: 50% }\n"
				    "  expect priority = true\n"
				    "}\n"
				    "test \"bare\" {\n"
				    "  given company.size = large\n"
				    "  expect eligible\n"
				    "}\n"
				    "test \"missing\" {\n"
				    "  as of 2025-06-01\n"
				    "  given company.size = sme\n"
				    "  expect priority = true\n"
				    "}\n"
				    "test \"error\" {\n"
				    "  expect ratio = 1\n"
				    "}\n",
				    4, 0);
	cr_assert_str_eq(out, "FAIL t.wrong\n"
			      "     t.edict:11:10: expected priority = true, but priority is false\n"
			      "FAIL t.bare\n"
			      "     t.edict:15:10: expected eligible, but it is false\n"
			      "FAIL t.missing\n"
			      "     t.edict:20:10: expected priority = true, but priority is unknown (missing: "
			      "company.us_export_share)\n"
			      "FAIL t.error\n"
			      "     t.edict:23:10: t.edict:7:28: division by zero\n"
			      "0 passed, 4 failed\n");
}

Test(query, as_of_of_a_test_picks_dated_values)
{
	const char *out = run_tests("test \"before\" {\n  as of 2025-04-30\n  expect priority_share = 10%\n}\n", 1, 0);
	cr_assert(strstr(out, "the parameter 't.priority_share' has no value on 2025-04-30") != NULL, "%s", out);
}

Test(query, colour_marks_pass_and_fail)
{
	Program *p = prog(xprintf("%s%s", RULES, "test \"a\" { expect 1 = 1 }\ntest \"b\" { expect 1 = 2 }\n"));
	Buf b = {0};
	int passed;
	query_run_tests(p, &b, true, &passed);
	cr_assert(strstr(buf_cstr(&b), "\033[32mPASS\033[0m t.a\n") != NULL, "%s", buf_cstr(&b));
	cr_assert(strstr(buf_cstr(&b), "\033[1;31mFAIL\033[0m t.b\n") != NULL, "%s", buf_cstr(&b));
}

static const char *ROADMAP = "record task { number : int  launch_month : int optional }\n"
			     "fact company { staff : int }\n"
			     "param tasks : list of task = [\n"
			     "  {number: 1, launch_month: 1},\n"
			     "  {number: 3},\n"
			     "  {number: 13, launch_month: 14},\n"
			     "]\n";

static Diags *run_checks(const char *checks, int want_failed)
{
	Program *p = prog(xprintf("%s%s", ROADMAP, checks));
	Diags *d = diag_new();
	date_t day;
	date_parse("2026-12-01", 10, &day);
	int failed = query_run_checks(p, day, d);
	cr_assert_eq(failed, want_failed);
	return d;
}

Test(query, checks_that_hold_say_nothing)
{
	Diags *d = run_checks("check \"three tasks\": length(tasks) = 3\n"
			      "check \"numbered\": for t in tasks: t.number > 0 showing t.number\n",
			      0);
	cr_assert_eq(d->n, 0);
}

Test(query, failing_checks)
{
	Diags *d = run_checks("check \"seventeen tasks\": length(tasks) = 17 source \"annex 2\"\n"
			      "check warning \"every task has a launch month\": for t in tasks: t.launch_month is known showing t.number\n"
			      "check \"months are 1 to 12\": for t in tasks: t.launch_month <= 12 showing t.number\n"
			      "check warning \"about facts\": company.staff > 0\n",
			      2);
	cr_assert_eq(d->n, 4);
	cr_assert_eq(d->items[0].sev, SEV_ERROR);
	cr_assert_str_eq(d->items[0].msg, "check \"seventeen tasks\" fails where length(tasks) is 3 (in length(tasks) = 17)");
	cr_assert_str_eq(d->items[0].hint, "source: \"annex 2\"");
	cr_assert_eq(d->items[0].loc.line, 8);
	cr_assert_eq(d->items[1].sev, SEV_WARNING);
	cr_assert_str_eq(d->items[1].msg, "check \"every task has a launch month\" fails where t.number is 3");
	cr_assert_eq(d->items[2].sev, SEV_ERROR);
	cr_assert_str_eq(d->items[2].msg, "check \"months are 1 to 12\" fails where t.number is 13",
			 "an unknown month in the rules' own data is not a failure of '<= 12'");
	cr_assert_eq(d->items[3].sev, SEV_WARNING);
	cr_assert_str_eq(d->items[3].msg, "check \"about facts\" cannot be decided: it depends on facts, and checks look only at "
					  "the rules' own data");
	cr_assert_eq(d->nerrors, 2);
	cr_assert_eq(d->nwarnings, 2);
}

Test(query, check_that_cannot_run)
{
	Diags *d = run_checks("check \"division\": 1 / 0 > 1\n", 1);
	cr_assert_str_eq(d->items[0].msg, "check \"division\" could not run: division by zero");
}

Test(query, queries_name_a_decision_or_an_expression)
{
	Program *p = prog(RULES);
	Diags *d = diag_new();
	Query *q = query_compile(p, "priority", "--query", d);
	cr_assert_not_null(q);
	cr_assert_geq(q->decl, 0, "a decision name is a decision query");
	cr_assert_eq(p->decls[q->decl], prog_find_decl(p, "t.priority"));
	q = query_compile(p, "t.priority", "--query", d);
	cr_assert_geq(q->decl, 0);
	q = query_compile(p, "priority and eligible", "--query", d);
	cr_assert_eq(q->decl, -1);
	cr_assert_str_eq(q->text, "priority and eligible");
	cr_assert_null(query_compile(p, "priority and", "--query", d));
	cr_assert_null(query_compile(p, "nothing", "--query", d));
	cr_assert_eq(d->nerrors, 2);
}

static const char *FACTS14 = "{\"as_of\": \"2026-12-01\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\"}}";

Test(query, one_context_many_queries)
{
	Program *p = prog(RULES);
	Ctx *c = vm_new(p);
	const char *err;
	cr_assert_eq(facts_load_json(c, FACTS14, strlen(FACTS14), "f.json", &err), ST_OK);
	vm_reset(c);
	Diags *d = diag_new();
	const char *qs[] = {"eligible", "priority", "priority_share * 2", "company.us_export_share - priority_share"};
	const char *want[] = {"true", "true", "0.2", "4%"};
	for (int i = 0; i < 4; i++) {
		Query *q = query_compile(p, qs[i], "--query", d);
		cr_assert_not_null(q);
		Value v;
		cr_assert_eq(query_run(c, q, &v), ST_OK, "%s", c->errmsg);
		cr_assert_str_eq(fmt_value_str(p, v), want[i], "%s", qs[i]);
	}
}

/* Several queries under one protected call: the values of those before a
 * failure, the failing one's index and message, nothing run after it; the
 * context is fit for the next evaluation, and the queries give what
 * query_run gives one by one, plain or in explain mode. */
Test(query, many_queries_at_once)
{
	Program *p = prog(RULES);
	Ctx *c = vm_new(p);
	const char *err;
	cr_assert_eq(facts_load_json(c, FACTS14, strlen(FACTS14), "f.json", &err), ST_OK);
	Diags *d = diag_new();
	const char *texts[] = {"eligible", "priority_share * 2", "ratio", "priority"};
	Query *qs[4];
	for (int i = 0; i < 4; i++)
		cr_assert_not_null(qs[i] = query_compile(p, texts[i], "--query", d));
	for (int trace = 0; trace <= 1; trace++) {
		ctx_set_trace(c, trace);
		vm_reset(c);
		Value v[4] = {0};
		int failed = -1;
		cr_assert_eq(query_run_many(c, (const Query *const *)qs, 4, v, &failed), ST_RUNTIME);
		cr_assert_eq(failed, 2, "the third query divides by zero");
		cr_assert_not_null(strstr(c->errmsg, "zero"), "%s", c->errmsg);
		cr_assert_str_eq(fmt_value_str(p, v[0]), "true");
		cr_assert_str_eq(fmt_value_str(p, v[1]), "0.2");
		cr_assert_eq(v[3].tag, 0, "nothing runs after the failure");
		/* the one after it, on its own and then with the first two */
		cr_assert_eq(query_run_many(c, (const Query *const *)qs + 3, 1, v + 3, &failed), ST_OK, "%s", c->errmsg);
		cr_assert_str_eq(fmt_value_str(p, v[3]), "true");
		Query *ok[3] = {qs[3], qs[0], qs[1]};
		cr_assert_eq(query_run_many(c, (const Query *const *)ok, 3, v, &failed), ST_OK, "%s", c->errmsg);
		cr_assert_str_eq(fmt_value_str(p, v[0]), "true");
		cr_assert_str_eq(fmt_value_str(p, v[2]), "0.2");
	}
	cr_assert_eq(query_run_many(c, NULL, 0, NULL, NULL), ST_OK, "no queries, nothing to do");
}

/* ------------------------------------------------ queries own their nodes */

/* q compiled and run traced in c under frame, its explanation as text. */
static const char *explained(Ctx *c, const char *q, int frame)
{
	Diags *d = diag_new();
	Query *qq = query_compile((Program *)c->p, q, "--query", d);
	cr_assert_not_null(qq, "%s", d->n ? d->items[0].msg : "");
	ctx_set_query_frame(c, frame);
	Value v;
	cr_assert_eq(query_run(c, qq, &v), ST_OK, "%s", c->errmsg);
	Buf b = {0};
	explain_text(c, frame, q, v, &b, NULL);
	return buf_cstr(&b);
}

static Ctx *traced_ctx(Program *p)
{
	Ctx *c = vm_new(p);
	const char *err;
	cr_assert_eq(facts_load_json(c, FACTS14, strlen(FACTS14), "f.json", &err), ST_OK);
	ctx_set_trace(c, true);
	vm_reset(c);
	return c;
}

Test(query, compiling_queries_leaves_the_program_as_it_was)
{
	Program *p = prog(RULES);
	int nodes = p->nnodes, sources = p->diags->nsources;
	const char *first = "eligible and company.us_export_share >= 12%";
	const char *want = explained(traced_ctx(p), first, -1);
	cr_assert(strstr(want, "holds   company.us_export_share >= 12%: true\n"), "%s", want);
	cr_assert(strstr(want, "holds   eligible: true\n"), "%s", want);
	Diags *d = diag_new();
	for (int i = 0; i < 3000; i++) {
		const char *q = xprintf("priority or company.us_export_share * %d > priority_share + %d%%", i, i);
		Query *qq = query_compile(p, q, "--query", d);
		cr_assert_not_null(qq, "%s", d->n ? d->items[0].msg : q);
		cr_assert_gt(qq->own->nnodes, 0);
		cr_assert_eq(qq->own->nodes[0]->id, p->nnodes, "a query's nodes are numbered after the program's");
	}
	cr_assert_eq(d->n, 0);
	cr_assert_eq(p->nnodes, nodes, "compiling queries added %d nodes to the program", p->nnodes - nodes);
	cr_assert_eq(p->diags->nsources, sources, "compiling queries added sources to the program");
	/* the same explanation afterwards: the query's conditions by its own text */
	cr_assert_str_eq(explained(traced_ctx(p), first, -1), want);
}

Test(query, each_query_frame_explains_its_own_conditions)
{
	Program *p = prog(RULES);
	Ctx *c = traced_ctx(p);
	/* two queries in one context, as `edict eval` runs them: each its frame */
	(void)explained(c, "eligible and company.us_export_share >= 12%", -2);
	(void)explained(c, "company.us_export_share < 5% or priority", -3);
	Buf a = {0}, b = {0};
	explain_text(c, -2, "first", val_bool(true), &a, NULL);
	explain_text(c, -3, "second", val_bool(true), &b, NULL);
	cr_assert(strstr(buf_cstr(&a), "holds   company.us_export_share >= 12%: true\n"), "%s", buf_cstr(&a));
	cr_assert_null(strstr(buf_cstr(&a), "< 5%"), "%s", buf_cstr(&a));
	cr_assert(strstr(buf_cstr(&b), "fails   company.us_export_share < 5%: false\n"), "%s", buf_cstr(&b));
	cr_assert(strstr(buf_cstr(&b), "holds   priority: true\n"), "%s", buf_cstr(&b));
}

Test(query, a_runtime_error_in_a_query_quotes_the_query)
{
	Program *p = prog(RULES);
	int sources = p->diags->nsources;
	Ctx *c = traced_ctx(p);
	Diags *d = diag_new();
	Query *q = query_compile(p, "1 / (company.us_export_share - 14%) > 1", "--query", d);
	cr_assert_not_null(q);
	Value v;
	cr_assert_eq(query_run(c, q, &v), ST_RUNTIME);
	Diag dg = {SEV_ERROR, c->errloc, c->errmsg, NULL};
	cr_assert_str_eq(diag_render(q->own->diags, &dg, false), "--query:1:1: error: division by zero\n"
								  " 1 | 1 / (company.us_export_share - 14%) > 1\n"
								  "   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
	cr_assert_eq(p->diags->nsources, sources);
}

Test(query, a_given_value_checked_after_the_load_keeps_its_nodes)
{
	Program *p = prog(RULES);
	int nodes = p->nnodes;
	const char *path[] = {"company", "us_export_share"};
	TestStep s = {.kind = TS_GIVEN, .path = path, .npath = 2};
	Diags *d = diag_new();
	const Source *src = tu_source("<repl>", "priority_share + 2%");
	s.expr = parse_expr(src, d);
	Own *own = prog_own(p, src);
	int nlocals = 0;
	cr_assert(chk_given(p, own, &s, d, &nlocals), "%s", d->n ? d->items[0].msg : "");
	cr_assert_eq(p->nnodes, nodes);
	cr_assert_eq(own->nnodes, 3, "the sum and its two sides");
	cr_assert_str_eq(prog_own_text(p, own, s.expr), "priority_share + 2%");
}
