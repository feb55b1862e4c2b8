/*
 * test_explain.c - unit tests for interp/explain.c: explanations built from
 * the trace of an evaluation.
 *
 * A small voucher rule set is evaluated with tracing on, as `edict eval
 * --explain` does; the text form is compared whole, and the JSON form
 * (docs/explain.md) is parsed back with json-c and checked field by field:
 * the case that applied and its citations, the conditions with their
 * values and places, the facts read, the decisions used (nested, each
 * explained once), undecided decisions and what-if values.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <json-c/json.h>
#include <string.h>

#include "explain.h"
#include "facts.h"
#include "load.h"
#include "query.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(explain, .init = setup);

static const char *RULES = "enum company_size = sme | midsize | large\n"
			   "fact company {\n"
			   "  size : company_size\n"
			   "  us_export_share : percent optional\n"
			   "}\n"
			   "param priority_share : percent\n"
			   "  from 2025-05-01 = 10% source \"Task 4: priority share\"\n"
			   "decision eligible : bool = company.size in [sme, midsize]\n"
			   "  source \"practice\" assumption \"mid-sized firms count\"\n"
			   "decision priority : bool = eligible and company.us_export_share >= priority_share\n"
			   "decision disbursement : duration\n"
			   "  default 30 days source \"standard\"\n"
			   "  exception fast when priority then 14 days source \"fast track\"\n"
			   "table level : string hit first\n"
			   "  when company.us_export_share >= 50% then \"intensive\"\n"
			   "  when company.us_export_share >= 10% then \"standard\" source \"row 2\"\n"
			   "  default \"light\"\n";

static Program *program(void)
{
	static Program *p;
	if (!p)
		p = tu_program_at("x.edict", RULES);
	return p;
}

static Ctx *traced(const char *facts)
{
	Ctx *c = vm_new(program());
	const char *err = NULL;
	cr_assert_eq(facts_load_json(c, facts, strlen(facts), "facts.json", &err), ST_OK, "%s", err);
	c->trace = true;
	vm_reset(c);
	return c;
}

static const char *FULL = "{\"as_of\": \"2026-12-01\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\"}}";
static const char *PARTIAL = "{\"as_of\": \"2026-12-01\", \"company\": {\"size\": \"sme\"}}";

/* Evaluate q in c; the explanation target (decl index or -1) in *target. */
static Value eval(Ctx *c, const char *q, int *target)
{
	Diags *d = diag_new();
	Query *qq = query_compile((Program *)c->p, q, "--query", d);
	cr_assert_not_null(qq, "%s", d->n ? d->items[0].msg : "");
	Value v;
	cr_assert_eq(query_run(c, qq, &v), ST_OK, "%s", c->errmsg);
	*target = qq->decl >= 0 ? qq->decl : c->top_frame;
	return v;
}

static const char *text_of(Ctx *c, const char *q)
{
	int t;
	Value v = eval(c, q, &t);
	Buf b = {0};
	explain_text(c, t, q, v, &b, NULL);
	return buf_cstr(&b);
}

static json_object *json_of(Ctx *c, const char *q)
{
	int t;
	Value v = eval(c, q, &t);
	Buf b = {0};
	explain_json(c, t, q, v, &b);
	json_object *j = json_tokener_parse(buf_cstr(&b));
	cr_assert_not_null(j, "not JSON: %s", buf_cstr(&b));
	return j;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	cr_assert_eq(json_object_get_type(v), json_type_string, "\"%s\" is not a string", key);
	return json_object_get_string(v);
}

static int num(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	cr_assert_eq(json_object_get_type(v), json_type_int, "\"%s\" is not a number", key);
	return json_object_get_int(v);
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* ------------------------------------------------------------------ text */

Test(explain, text_of_an_exception_with_its_uses)
{
	Ctx *c = traced(FULL);
	cr_assert_str_eq(text_of(c, "disbursement"), "disbursement = 14 days\n"
						     "  by exception 'fast' at x.edict:13\n"
						     "    source: \"fast track\"\n"
						     "  holds   priority: true\n"
						     "  x.priority = true\n"
						     "    by its rule at x.edict:10\n"
						     "    holds   eligible: true\n"
						     "    holds   company.us_export_share >= priority_share: true\n"
						     "    fact   company.us_export_share = 14%\n"
						     "    x.eligible = true\n"
						     "      by its rule at x.edict:8\n"
						     "        source: \"practice\"\n"
						     "        assumption: \"mid-sized firms count\"\n"
						     "      holds   company.size in [sme, midsize]: true\n" "      fact   company.size = sme\n"
						     "    x.priority_share = 10%\n"
						     "      by the value from 2025-05-01 at x.edict:7\n"
						     "        source: \"Task 4: priority share\"\n");
}

Test(explain, text_of_a_table_row)
{
	Ctx *c = traced(FULL);
	cr_assert_str_eq(text_of(c, "level"), "level = \"standard\"\n"
					      "  by row 2 at x.edict:16\n"
					      "    source: \"row 2\"\n"
					      "  fails   company.us_export_share >= 50%: false\n"
					      "  holds   company.us_export_share >= 10%: true\n"
					      "  fact   company.us_export_share = 14%\n");
}

Test(explain, text_of_an_undecided_decision)
{
	Ctx *c = traced(PARTIAL);
	const char *t = text_of(c, "disbursement");
	cr_assert(strncmp(t,
			  "disbursement = unknown (missing: company.us_export_share)\n"
			  "  undecided at x.edict:11: it depends on facts that are missing\n"
			  "  unknown priority: unknown (missing: company.us_export_share)\n"
			  "  x.priority = unknown (missing: company.us_export_share)\n"
			  "    by its rule at x.edict:10\n"
			  "    holds   eligible: true\n"
			  "    unknown company.us_export_share >= priority_share: unknown (missing: company.us_export_share)\n"
			  "    fact   company.us_export_share = unknown\n",
			  strlen("disbursement = unknown (missing: company.us_export_share)\n"
				 "  undecided at x.edict:11: it depends on facts that are missing\n"
				 "  unknown priority: unknown (missing: company.us_export_share)\n"
				 "  x.priority = unknown (missing: company.us_export_share)\n"
				 "    by its rule at x.edict:10\n"
				 "    holds   eligible: true\n"
				 "    unknown company.us_export_share >= priority_share: unknown (missing: "
				 "company.us_export_share)\n"
				 "    fact   company.us_export_share = unknown\n")) == 0,
		  "%s", t);
}

Test(explain, text_of_a_query_expression_explains_each_decision_once)
{
	Ctx *c = traced(PARTIAL);
	cr_assert_str_eq(text_of(c, "priority or eligible"),
			 "priority or eligible = true\n"
			 "  unknown priority: unknown (missing: company.us_export_share)\n"
			 "  holds   eligible: true\n"
			 "  x.priority = unknown (missing: company.us_export_share)\n"
			 "    by its rule at x.edict:10\n"
			 "    holds   eligible: true\n"
			 "    unknown company.us_export_share >= priority_share: unknown (missing: company.us_export_share)\n"
			 "    fact   company.us_export_share = unknown\n"
			 "    x.eligible = true\n"
			 "      by its rule at x.edict:8\n"
			 "        source: \"practice\"\n"
			 "        assumption: \"mid-sized firms count\"\n"
			 "      holds   company.size in [sme, midsize]: true\n" "      fact   company.size = sme\n"
			 "    x.priority_share = 10%\n"
			 "      by the value from 2025-05-01 at x.edict:7\n"
			 "        source: \"Task 4: priority share\"\n"
			 "  x.eligible = true  (explained above)\n");
}

Test(explain, text_of_a_what_if_value)
{
	Ctx *c = traced(FULL);
	Decl *e = prog_find_decl(c->p, "eligible");
	vm_override(c, e->index, val_bool(false));
	vm_reset(c);
	const char *t = text_of(c, "priority");
	cr_assert_str_eq(t, "priority = false\n"
			    "  by its rule at x.edict:10\n"
			    "  fails   eligible: false\n"
			    "  x.eligible = false\n"
			    "    set for this evaluation (what-if), not decided by its rules\n");
}

/* ------------------------------------------------------------------ JSON */

Test(explain, json_fields_of_a_decision)
{
	Ctx *c = traced(FULL);
	json_object *j = json_of(c, "disbursement");
	cr_assert_str_eq(str(j, "decision"), "disbursement");
	cr_assert_str_eq(str(j, "value"), "14 days");
	cr_assert_str_eq(plain(get(j, "missing")), "[]");
	cr_assert_str_eq(str(j, "file"), "x.edict");
	cr_assert_eq(num(j, "line"), 11);
	cr_assert_eq(num(j, "column"), 10);
	cr_assert_str_eq(plain(get(j, "sources")), "[]");
	cr_assert_str_eq(plain(get(j, "assumptions")), "[]");
	json_object *k = get(j, "case");
	cr_assert_str_eq(str(k, "name"), "exception 'fast'");
	cr_assert_eq(num(k, "index"), 1);
	cr_assert_str_eq(str(k, "file"), "x.edict");
	cr_assert_eq(num(k, "line"), 13);
	cr_assert_eq(num(k, "column"), 3);
	cr_assert_str_eq(plain(get(k, "sources")), "[\"fast track\"]");
	cr_assert_str_eq(plain(get(k, "assumptions")), "[]");
	json_object *conds = get(j, "conditions");
	cr_assert_eq(json_object_array_length(conds), 1);
	json_object *c0 = json_object_array_get_idx(conds, 0);
	cr_assert_str_eq(str(c0, "text"), "priority");
	cr_assert(json_object_get_boolean(get(c0, "value")));
	cr_assert_eq(num(c0, "line"), 13);
	cr_assert_eq(num(c0, "column"), 23);
	cr_assert_str_eq(plain(get(j, "facts")), "[]");
	cr_assert_eq(json_object_array_length(get(j, "uses")), 1);
	cr_assert_null(json_object_object_get(j, "what_if"), "what_if appears only for what-if values");
}

Test(explain, json_uses_nest_and_repeat_as_see_above)
{
	Ctx *c = traced(PARTIAL);
	json_object *j = json_of(c, "priority or eligible");
	cr_assert_str_eq(str(j, "decision"), "priority or eligible");
	cr_assert(json_object_get_boolean(get(j, "value")));
	cr_assert_eq(json_object_get_type(get(j, "case")), json_type_null);
	json_object *uses = get(j, "uses");
	cr_assert_eq(json_object_array_length(uses), 2);
	json_object *pr = json_object_array_get_idx(uses, 0);
	cr_assert_str_eq(str(pr, "decision"), "x.priority");
	cr_assert_eq(json_object_get_type(get(pr, "value")), json_type_null, "unknown is null");
	cr_assert_str_eq(plain(get(pr, "missing")), "[\"company.us_export_share\"]");
	cr_assert_str_eq(plain(get(pr, "facts")), "[{\"path\":\"company.us_export_share\",\"value\":null}]");
	json_object *inner = get(pr, "uses");
	cr_assert_eq(json_object_array_length(inner), 2);
	json_object *el = json_object_array_get_idx(inner, 0);
	cr_assert_str_eq(str(el, "decision"), "x.eligible");
	cr_assert_str_eq(plain(get(get(el, "case"), "sources")), "[\"practice\"]");
	cr_assert_str_eq(plain(get(get(el, "case"), "assumptions")), "[\"mid-sized firms count\"]");
	cr_assert_str_eq(plain(get(el, "facts")), "[{\"path\":\"company.size\",\"value\":\"sme\"}]");
	json_object *ps = json_object_array_get_idx(inner, 1);
	cr_assert_str_eq(str(ps, "decision"), "x.priority_share");
	cr_assert_str_eq(str(ps, "value"), "10%");
	cr_assert_str_eq(str(get(ps, "case"), "name"), "the value from 2025-05-01");
	/* eligible again, at the top: only a pointer back */
	json_object *again = json_object_array_get_idx(uses, 1);
	cr_assert_str_eq(plain(again), "{\"decision\":\"x.eligible\",\"value\":true,\"missing\":[],\"see_above\":true}");
}

Test(explain, json_of_an_undecided_table)
{
	Ctx *c = traced(PARTIAL);
	json_object *j = json_of(c, "level");
	cr_assert_eq(json_object_get_type(get(j, "value")), json_type_null);
	cr_assert_str_eq(plain(get(j, "missing")), "[\"company.us_export_share\"]");
	cr_assert_eq(json_object_get_type(get(j, "case")), json_type_null);
	json_object *conds = get(j, "conditions");
	cr_assert_eq(json_object_array_length(conds), 2);
	cr_assert_str_eq(str(json_object_array_get_idx(conds, 0), "text"), "company.us_export_share >= 50%");
	cr_assert_eq(json_object_get_type(get(json_object_array_get_idx(conds, 0), "value")), json_type_null);
}

Test(explain, json_of_a_what_if_value)
{
	Ctx *c = traced(FULL);
	Decl *e = prog_find_decl(c->p, "eligible");
	vm_override(c, e->index, val_bool(false));
	vm_reset(c);
	json_object *j = json_of(c, "eligible");
	cr_assert(json_object_get_boolean(get(j, "what_if")));
	cr_assert_not(json_object_get_boolean(get(j, "value")));
}

Test(explain, missing_lists)
{
	Buf b = {0};
	explain_missing_json(val_bool(true), &b);
	cr_assert_str_eq(buf_cstr(&b), "[]");
	Missing *m = val_missing_union(val_missing1("company.size", 12), val_missing1("company.staff", 13));
	Buf b2 = {0};
	explain_missing_json(val_unknown(m), &b2);
	cr_assert_str_eq(buf_cstr(&b2), "[\"company.size\",\"company.staff\"]");
}

/* ------------------------------------------------ function calls */

static const char *CALLS = "record child { age : int  disabled : bool default false }\n"
			   "fact household { first : child  second : child }\n"
			   "function amount_for(c : child) : int\n"
			   "  default 0 source \"s. 1\"\n"
			   "  exception minor when c.age < 18 then 250 source \"s. 2\"\n"
			   "  exception disabled when c.disabled then 400 overrides minor\n"
			   "function twice(n : int) : int = n * 2\n"
			   "decision benefit : int = amount_for(household.first) + twice(amount_for(household.second))\n"
			   "decision minors : int = count(c for c in [household.first, household.second] where c.age < 18 and "
			   "not c.disabled)\n";

static Ctx *traced_calls(bool full)
{
	static Program *p;
	if (!p)
		p = tu_program_at("c.edict", CALLS);
	Ctx *c = vm_new(p);
	const char *facts = "{\"as_of\": \"2026-01-01\", \"household\": {\"first\": {\"age\": 30}, \"second\": {\"age\": 9}}}";
	const char *err = NULL;
	cr_assert_eq(facts_load_json(c, facts, strlen(facts), "facts.json", &err), ST_OK, "%s", err);
	c->trace = true;
	ctx_set_explain_full(c, full);
	vm_reset(c);
	return c;
}

Test(explain, each_call_of_a_function_with_its_own_case)
{
	Ctx *c = traced_calls(false);
	const char *t = text_of(c, "benefit");
	cr_assert_str_eq(t, "benefit = 500\n"
			    "  by its rule at c.edict:8\n"
			    "  fact   household.first = {age: 30, disabled: false}\n"
			    "  fact   household.second = {age: 9, disabled: false}\n"
			    "  c.amount_for({age: 30, disabled: false}) = 0  (default)\n"
			    "    by the default at c.edict:4\n"
			    "      source: \"s. 1\"\n"
			    "  c.amount_for({age: 9, disabled: false}) = 250\n"
			    "    by exception 'minor' at c.edict:5\n"
			    "      source: \"s. 2\"\n");
}

Test(explain, json_calls_carry_arguments_and_case)
{
	Ctx *c = traced_calls(false);
	json_object *calls = get(json_of(c, "benefit"), "calls");
	cr_assert_eq(json_object_array_length(calls), 2);
	json_object *second = json_object_array_get_idx(calls, 1);
	cr_assert_str_eq(str(second, "function"), "c.amount_for");
	cr_assert_eq(json_object_get_int(get(json_object_array_get_idx(get(second, "arguments"), 0), "age")), 9);
	cr_assert_str_eq(str(get(second, "case"), "name"), "exception 'minor'");
	json_object *first = json_object_array_get_idx(calls, 0);
	cr_assert(json_object_get_boolean(get(first, "default")));
}

Test(explain, full_shows_helpers_and_loop_conditions)
{
	Ctx *c = traced_calls(false);
	const char *t = text_of(c, "minors");
	cr_assert_null(strstr(t, "c.age < 18"), "%s", t);
	c = traced_calls(true);
	t = text_of(c, "minors");
	cr_assert_not_null(strstr(t, "holds   c.age < 18: true"), "%s", t);
	t = text_of(c, "benefit");
	cr_assert_not_null(strstr(t, "c.twice(250) = 500"), "%s", t);
	cr_assert_not_null(strstr(t, "fails   c.disabled: false"), "%s", t);
}
