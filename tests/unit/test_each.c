/*
 * test_each.c - unit tests for rules decided for each member of a list:
 * `for each person in household.members { decisions }`.
 *
 * The block is read by the parser (grammar/parser.y), its decisions are
 * resolved by the checker (check.c) as rules of one member, run by the VM
 * as calls, and explained per member (explain.c).  The tests ask a member's
 * decision, add it up over the members, look at the checker's messages and
 * places for the slips an officer makes, read the explanations of each
 * member, and ask the same through the public C API.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <json-c/json.h>
#include <string.h>

#include "edict.h"
#include "explain.h"
#include "facts.h"
#include "query.h"
#include "symbols.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(each, .init = setup);

static const char *RULES = "record person {\n"
			   "  name : string\n"
			   "  age : int\n"
			   "  income : money EUR optional\n"
			   "}\n"
			   "fact household { members : list of person }\n"
			   "for each person in household.members {\n"
			   "  decision child : bool = person.age < 18\n"
			   "  decision benefit : money EUR\n"
			   "    default 0 EUR\n"
			   "    exception when child then 100 EUR source \"child allowance\"\n"
			   "    exception low when not child and person.income < 1000 EUR then 50 EUR\n"
			   "}\n"
			   "decision total : money EUR = sum(p.benefit for p in household.members)\n"
			   "decision children : int = count(p for p in household.members where p.child)\n";

static const char *FAMILY = "{\"household\": {\"members\": ["
			    "{\"name\": \"Ana\", \"age\": 40, \"income\": \"900 EUR\"},"
			    "{\"name\": \"Ben\", \"age\": 7},"
			    "{\"name\": \"Cy\", \"age\": 45, \"income\": \"3000 EUR\"}]}}";

static Program *program(void)
{
	static Program *p;
	if (!p)
		p = tu_program_at("h.edict", RULES);
	return p;
}

Test(each, decided_for_each_member)
{
	Ctx *c = tu_ctx(program(), FAMILY);
	cr_assert_str_eq(tu_show(c, "household.members[1].benefit"), "50 EUR");
	cr_assert_str_eq(tu_show(c, "household.members[2].benefit"), "100 EUR");
	cr_assert_str_eq(tu_show(c, "household.members[3].benefit"), "0 EUR");
	cr_assert_str_eq(tu_show(c, "[p.child for p in household.members]"), "[false, true, false]");
}

Test(each, added_up_and_counted)
{
	Ctx *c = tu_ctx(program(), FAMILY);
	cr_assert_str_eq(tu_show(c, "total"), "150 EUR");
	cr_assert_str_eq(tu_show(c, "children"), "1");
	Ctx *none = tu_ctx(program(), "{\"household\": {\"members\": []}}");
	cr_assert_str_eq(tu_show(none, "total"), "0 EUR");
}

Test(each, a_missing_field_leaves_that_member_unknown)
{
	Ctx *c = tu_ctx(program(), "{\"household\": {\"members\": [{\"name\": \"Di\", \"age\": 30}]}}");
	Value v;
	cr_assert_eq(tu_run(c, "household.members[1].benefit", &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
	cr_assert_eq(tu_run(c, "total", &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
}

/* A loop inside the block that takes the member's name for something
 * else: the block's own decisions still mean this member's. */
Test(each, the_member_is_the_blocks_even_under_a_loop_of_its_name)
{
	Program *p = tu_program("record person { age : int }\n"
				"record pet { legs : int  name : string  weight : int }\n"
				"fact household { members : list of person  pets : list of pet }\n"
				"for each person in household.members {\n"
				"  decision child : bool = person.age < 18\n"
				"  decision pets_of_a_child : int = count(person for person in household.pets where child)\n"
				"}\n");
	Ctx *c = tu_ctx(p, "{\"household\": {\"members\": [{\"age\": 4}, {\"age\": 40}],"
			   " \"pets\": [{\"legs\": 4, \"name\": \"Rex\", \"weight\": 30}]}}");
	cr_assert_str_eq(tu_show(c, "household.members[1].pets_of_a_child"), "1");
	cr_assert_str_eq(tu_show(c, "household.members[2].pets_of_a_child"), "0");
}

/* ------------------------------------------------------------ slips */

static const Diag *only_error(const char *text)
{
	Diags *d = diag_new();
	tu_load(text, d);
	cr_assert_gt(d->nerrors, 0, "expected an error in: %s", text);
	return &d->items[0];
}

static void error_at(const char *text, const char *msg, int line, int col)
{
	const Diag *dg = only_error(text);
	cr_assert_str_eq(dg->msg, msg);
	cr_assert_eq(dg->loc.line, line, "line of \"%s\": %d", msg, dg->loc.line);
	cr_assert_eq(dg->loc.col, col, "column of \"%s\": %d", msg, dg->loc.col);
}

#define HEAD "record person { name : string  age : int }\nfact household { members : list of person  size : int }\n"

Test(each, used_without_a_member)
{
	error_at(HEAD "for each person in household.members {\n"
		      "  decision child : bool = person.age < 18\n"
		      "}\n"
		      "decision any_child : bool = child\n",
		 "'child' is decided for each person in household.members, so it needs to say which one", 6, 29);
	const Diag *dg = only_error(HEAD "for each person in household.members {\n"
					 "  decision child : bool = person.age < 18\n"
					 "}\n"
					 "decision any_child : bool = child\n");
	cr_assert_str_eq(dg->hint, "count them with count(person for person in household.members where person.child), or "
				   "name one, as in household.members[1].child");
}

Test(each, an_unknown_member_field)
{
	error_at(HEAD "for each person in household.members {\n"
		      "  decision child : bool = person.agee < 18\n"
		      "}\n",
		 "person record has no field 'agee'; did you mean 'person.age'?", 4, 27);
	error_at(HEAD "for each person in household.members {\n"
		      "  decision child : bool = person.age < 18\n"
		      "}\n"
		      "decision n : int = count(p for p in household.members where p.chlid)\n",
		 "person record has no field 'chlid'; did you mean 'p.child'?", 6, 61);
}

Test(each, the_block_needs_a_list_of_records)
{
	error_at(HEAD "for each person in household.size {\n  decision one : int = 1\n}\n",
		 "'for each person in ...' needs a list of records, but this is a whole number", 3, 20);
	error_at(HEAD "for every person in household.members {\n  decision one : int = 1\n}\n",
		 "a block of rules for each member starts 'for each'", 3, 5);
	error_at(HEAD "for each person in household.members {\n  param cap : int = 1\n}\n",
		 "only decisions can be written for each member of a list", 4, 9);
	error_at(HEAD "for each person in household.members {\n"
		      "  for each other in household.members {\n    decision one : int = 1\n  }\n}\n",
		 "a 'for each' block cannot be written inside another", 4, 3);
}

Test(each, an_empty_block_is_worth_a_warning)
{
	Diags *d = diag_new();
	cr_assert_not_null(tu_load(HEAD "for each person in household.members {\n}\n", d));
	cr_assert_eq(d->nerrors, 0);
	cr_assert_eq(d->n, 1);
	cr_assert_eq(d->items[0].sev, SEV_WARNING);
	cr_assert_str_eq(d->items[0].msg, "this 'for each person' block holds no decision");
	cr_assert_eq(d->items[0].loc.line, 3);
}

Test(each, names_that_clash_or_loop)
{
	error_at(HEAD "for each person in household.members {\n  decision age : int = 1\n}\n",
		 "'age' is both a field of person and a decision for each person", 4, 12);
	error_at(HEAD "for each person in household.members {\n  decision a : int = a + 1\n}\n",
		 "'t.a' depends on itself: t.a -> t.a", 4, 12);
	error_at(HEAD "for each person in household.members {\n  decision a : int = 1\n}\n"
		      "decision b : int = a(household.members[1])\n",
		 "'a' is decided for each person, not called like a function", 6, 20);
}

/* ------------------------------------------------------ explanations */

static Ctx *traced(void)
{
	Ctx *c = tu_ctx(program(), FAMILY);
	c->trace = true;
	vm_reset(c);
	return c;
}

static const char *explained(Ctx *c, const char *q, bool json)
{
	Diags *d = diag_new();
	Query *qq = query_compile((Program *)c->p, q, "--query", d);
	cr_assert_not_null(qq);
	Value v;
	cr_assert_eq(query_run(c, qq, &v), ST_OK, "%s", c->errmsg);
	int target = qq->decl >= 0 ? qq->decl : c->top_frame;
	Buf b = {0};
	if (json)
		explain_json(c, target, q, v, &b);
	else
		explain_text(c, target, q, v, &b, NULL);
	return buf_cstr(&b);
}

Test(each, explained_for_each_member)
{
	const char *t = explained(traced(), "total", false);
	cr_assert(strstr(t, "  household.members[1].benefit = 50 EUR\n"
			    "    by exception 'low' at h.edict:12\n"),
		  "%s", t);
	cr_assert(strstr(t, "  household.members[2].benefit = 100 EUR\n"
			    "    by an exception at h.edict:11\n"
			    "      source: \"child allowance\"\n"),
		  "%s", t);
	cr_assert(strstr(t, "    household.members[2].child = true\n"
			    "      by its rule at h.edict:8\n"
			    "      holds   person.age < 18: true\n"),
		  "%s", t);
	/* the total's own rule, not a member's case */
	cr_assert(strstr(t, "total = 150 EUR\n  by its rule at h.edict:14\n"), "%s", t);
}

Test(each, explained_as_json)
{
	const char *t = explained(traced(), "household.members[3].benefit", true);
	json_object *j = json_tokener_parse(t);
	cr_assert_not_null(j, "%s", t);
	json_object *uses, *use, *kase, *name;
	cr_assert(json_object_object_get_ex(j, "uses", &uses));
	cr_assert_eq(json_object_array_length(uses), 1, "%s", t);
	use = json_object_array_get_idx(uses, 0);
	cr_assert(json_object_object_get_ex(use, "decision", &name));
	cr_assert_str_eq(json_object_get_string(name), "household.members[3].benefit");
	cr_assert(json_object_object_get_ex(use, "case", &kase));
	cr_assert(json_object_object_get_ex(kase, "name", &name));
	cr_assert_str_eq(json_object_get_string(name), "the default");
	json_object_put(j);
}

/* ------------------------------------- the same rules, other inputs */

static const char *SALE = "fact couple { years_owned : int  first_used : int  second_used : int }\n"
			  "record home_sale { years_owned : int  years_used : int  limit : money USD }\n"
			  "for each sale : home_sale {\n"
			  "  decision qualifies : bool = sale.years_owned >= 2 and sale.years_used >= 2\n"
			  "  decision exclusion : money USD = if qualifies then sale.limit else 0 USD\n"
			  "}\n"
			  "decision first_spouse : home_sale =\n"
			  "  {years_owned: couple.years_owned, years_used: couple.first_used, limit: 250_000 USD}\n"
			  "decision second_spouse : home_sale =\n"
			  "  {years_owned: couple.years_owned, years_used: couple.second_used, limit: 250_000 USD}\n"
			  "decision excluded : money USD = first_spouse.exclusion + second_spouse.exclusion\n";

static const char *COUPLE = "{\"couple\": {\"years_owned\": 5, \"first_used\": 3, \"second_used\": 1}}";

Test(each, a_group_of_rules_applied_to_two_inputs)
{
	Ctx *c = tu_ctx(tu_program_at("s.edict", SALE), COUPLE);
	cr_assert_str_eq(tu_show(c, "first_spouse.exclusion"), "250000 USD");
	cr_assert_str_eq(tu_show(c, "second_spouse.exclusion"), "0 USD");
	cr_assert_str_eq(tu_show(c, "excluded"), "250000 USD");
}

Test(each, each_input_explained_by_the_decision_that_made_it)
{
	Ctx *c = tu_ctx(tu_program_at("s.edict", SALE), COUPLE);
	c->trace = true;
	vm_reset(c);
	const char *t = explained(c, "excluded", false);
	cr_assert(strstr(t, "  s.first_spouse.exclusion = 250000 USD\n"
			    "    by its rule at s.edict:5\n"
			    "    holds   qualifies: true\n"
			    "    s.first_spouse.qualifies = true\n"),
		  "%s", t);
	cr_assert(strstr(t, "  s.second_spouse.exclusion = 0 USD\n"), "%s", t);
}

Test(each, a_group_of_rules_needs_a_record_type_and_an_input)
{
	error_at("for each n : int {\n  decision one : int = 1\n}\n",
		 "'for each n : ...' needs a record type, but this is a whole number", 1, 14);
	error_at("record home_sale { years_used : int }\n"
		 "for each sale : home_sale {\n  decision qualifies : bool = sale.years_used >= 2\n}\n"
		 "decision any : bool = qualifies\n",
		 "'qualifies' is decided for each sale, so it needs to say for which one", 5, 23);
}

/* ------------------------------------------------- editors' index */

Test(each, names_in_a_block_are_found_by_editors)
{
	SymIndex *ix = sym_index(program());
	/* `child` in the exception of `benefit` (line 11), and `p.benefit` (line 14) */
	const SymUse *u = sym_at(ix, "h.edict", 11, 20);
	cr_assert_not_null(u);
	cr_assert_str_eq(u->sym->name, "child");
	u = sym_at(ix, "h.edict", 14, 37);
	cr_assert_not_null(u);
	cr_assert_str_eq(u->sym->name, "benefit");
	/* the member's field */
	u = sym_at(ix, "h.edict", 8, 35);
	cr_assert_not_null(u);
	cr_assert_str_eq(u->sym->name, "age");
}

/* --------------------------------------------------------- C API */

Test(each, asked_through_the_api)
{
	edict_rules *r;
	cr_assert_eq(edict_load_source("h.edict", RULES, EDICT_NUL_TERMINATED, &r), EDICT_OK);
	edict_ctx *c;
	cr_assert_eq(edict_ctx_new(r, &c), EDICT_OK);
	cr_assert_eq(edict_ctx_set_facts_json(c, FAMILY, strlen(FAMILY)), EDICT_OK);
	const char *j;
	cr_assert_eq(edict_eval_json(c, "household.members[2].benefit", &j), EDICT_OK);
	cr_assert_str_eq(j, "\"100 EUR\"");
	cr_assert_eq(edict_eval_json(c, "sum(p.benefit for p in household.members)", &j), EDICT_OK);
	cr_assert_str_eq(j, "\"150 EUR\"");
	int st = edict_eval_json(c, "benefit", &j);
	cr_assert_eq(st, EDICT_EUSAGE, "status %d", st);
	edict_ctx_free(c);
	edict_rules_free(r);
}
