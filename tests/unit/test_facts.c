/*
 * test_facts.c - unit tests for interp/facts.c: JSON facts -> typed values.
 *
 * Every value kind is read from its JSON form and printed back in Edict
 * notation, so a test shows both what was understood and how it is kept
 * (12% is kept as the fraction 0.12 but prints as "12%").  Missing facts
 * and nulls become unknowns that remember their path; every error message
 * of the loader is checked word for word, path included.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "check.h"
#include "facts.h"
#include "format.h"
#include "load.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(facts, .init = setup);

static Program *program(void)
{
	static Program *p;
	if (!p)
		p = tu_program(TU_FACTS_RULES);
	return p;
}

static Ctx *ctx(void)
{
	Ctx *c = vm_new(program());
	facts_clear(c);
	return c;
}

/* Load facts that must be valid. */
static Ctx *loaded(const char *json)
{
	Ctx *c = ctx();
	const char *err = NULL;
	int st = facts_load_json(c, json, strlen(json), "facts.json", &err);
	cr_assert_eq(st, ST_OK, "%s", err ? err : "");
	return c;
}

/* The error of facts of len bytes (they may hold NUL bytes) that must be refused. */
static const char *refused_n(const char *json, size_t len)
{
	Ctx *c = ctx();
	const char *err = NULL;
	cr_assert_eq(facts_load_json(c, json, len, "facts.json", &err), ST_FACTS, "facts %s were accepted", json);
	cr_assert_not_null(err);
	return err;
}

/* The error of facts that must be refused. */
static const char *refused(const char *json)
{
	return refused_n(json, strlen(json));
}

static Value root(Ctx *c, const char *name)
{
	Decl *f = prog_find_fact(c->p, name);
	cr_assert_not_null(f, "no fact %s", name);
	return c->facts[f->fact];
}

/* A field of the company fact, in Edict notation. */
static const char *field(Ctx *c, const char *name)
{
	Value r = root(c, "company");
	cr_assert_eq(r.tag, V_REC);
	const TypeDef *td = c->p->types[r.aux];
	for (int i = 0; i < td->nfields; i++)
		if (strcmp(td->fields[i].name, name) == 0)
			return fmt_value_str(c->p, r.as.r->f[i]);
	cr_assert_fail("no field %s", name);
	return NULL;
}

static Value field_value(Ctx *c, const char *name)
{
	Value r = root(c, "company");
	const TypeDef *td = c->p->types[r.aux];
	for (int i = 0; i < td->nfields; i++)
		if (strcmp(td->fields[i].name, name) == 0)
			return r.as.r->f[i];
	cr_assert_fail("no field %s", name);
	return val_bool(false);
}

static const char *missing_path(Value v)
{
	cr_assert_eq(v.tag, V_UNKNOWN, "expected unknown, got %s", fmt_value_str(program(), v));
	cr_assert_not_null(v.as.m);
	cr_assert_eq(v.as.m->len, 1);
	return v.as.m->paths[0]->data;
}

/* ---------------------------------------------------------- conversion */

Test(facts, every_scalar_kind)
{
	Ctx *c = loaded("{\"as_of\": \"2026-12-01\", \"company\": {"
			"\"name\": \"Hanbit Textiles\", \"size\": \"sme\", \"us_export_share\": \"14%\","
			"\"voucher_requested\": \"80000000 KRW\", \"voucher_received\": \"10000000.50 KRW\","
			"\"founded\": \"2019-03-15\", \"processing\": \"14 days\", \"hs_code\": \"6205.20\","
			"\"staff\": 42, \"rate\": 0.125, \"listed\": true}}");
	cr_assert_str_eq(field(c, "name"), "\"Hanbit Textiles\"");
	cr_assert_str_eq(field(c, "size"), "sme");
	cr_assert_str_eq(field(c, "us_export_share"), "14%");
	cr_assert_str_eq(field(c, "voucher_requested"), "80000000 KRW");
	cr_assert_str_eq(field(c, "voucher_received"), "10000000.50 KRW", "the scale of an amount is kept");
	cr_assert_str_eq(field(c, "founded"), "2019-03-15");
	cr_assert_str_eq(field(c, "processing"), "14 days");
	cr_assert_str_eq(field(c, "hs_code"), "hs \"6205.20\"");
	cr_assert_str_eq(field(c, "staff"), "42");
	cr_assert_str_eq(field(c, "rate"), "0.125");
	cr_assert_str_eq(field(c, "listed"), "true");
	char day[11];
	date_format(c->as_of, day);
	cr_assert_str_eq(day, "2026-12-01", "\"as_of\" sets the evaluation date");
}

Test(facts, percent_is_kept_as_a_fraction)
{
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"12.5%\"}}");
	Value v = field_value(c, "us_export_share");
	cr_assert_eq(v.tag, V_PCT);
	Dec d = val_get_dec(v);
	char buf[DEC_FMT_MAX];
	dec_format(d, buf);
	cr_assert_str_eq(buf, "0.125");
}

Test(facts, decimals_keep_their_exact_digits)
{
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"rate\": 0.1000000000000000000000000000000001}}");
	cr_assert_str_eq(field(c, "rate"), "0.1000000000000000000000000000000001");
	c = loaded("{\"company\": {\"size\": \"sme\", \"rate\": 1e3}}");
	cr_assert_str_eq(field(c, "rate"), "1000");
	c = loaded("{\"company\": {\"size\": \"sme\", \"rate\": \"2.50\"}}");
	cr_assert_str_eq(field(c, "rate"), "2.50", "a decimal may come as text");
}

Test(facts, durations_in_every_unit)
{
	static const char *const durs[] = {"1 day", "14 days", "2 weeks", "1 month", "6 months", "1 year", "3 years"};
	for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++) {
		Ctx *c = loaded(xprintf("{\"company\": {\"size\": \"sme\", \"processing\": \"%s\"}}", durs[i]));
		cr_assert_str_eq(field(c, "processing"), durs[i]);
	}
}

Test(facts, records_lists_and_defaults)
{
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"office\": {\"city\": \"Busan\"}, \"tags\": [\"textiles\", \"sme\"]},"
			"\"kpi_reports\": [{\"month\": 1, \"exports\": \"1000 USD\", \"on_target\": true},"
			"{\"month\": 2, \"exports\": \"2000 USD\"}]}");
	cr_assert_str_eq(field(c, "office"), "{city: \"Busan\", country: \"KR\"}", "a field's default fills the gap");
	cr_assert_str_eq(field(c, "tags"), "[\"textiles\", \"sme\"]");
	cr_assert_str_eq(field(c, "voucher_received"), "0 KRW");
	cr_assert_str_eq(field(c, "listed"), "false");
	Value l = root(c, "kpi_reports");
	cr_assert_eq(l.tag, V_LIST);
	cr_assert_eq(l.as.l->len, 2);
	cr_assert_str_eq(fmt_value_str(c->p, l.as.l->items[0]), "{month: 1, exports: 1000 USD, on_target: true}");
	Value second = l.as.l->items[1];
	cr_assert_str_eq(missing_path(second.as.r->f[2]), "kpi_reports[2].on_target"); /* from 1 */
}

Test(facts, money_of_any_currency)
{
	Ctx *c = loaded("{\"fee\": \"10.00 USD\"}");
	cr_assert_str_eq(fmt_value_str(c->p, root(c, "fee")), "10.00 USD");
	c = loaded("{\"fee\": \"500 EUR\"}");
	cr_assert_str_eq(fmt_value_str(c->p, root(c, "fee")), "500 EUR");
}

Test(facts, missing_and_null_are_unknown_with_their_path)
{
	Ctx *c = loaded("{\"company\": {\"size\": null, \"name\": null}}");
	cr_assert_str_eq(missing_path(field_value(c, "size")), "company.size");
	cr_assert_str_eq(missing_path(field_value(c, "name")), "company.name");
	cr_assert_str_eq(missing_path(field_value(c, "us_export_share")), "company.us_export_share");
	cr_assert_str_eq(missing_path(field_value(c, "office")), "company.office");
	cr_assert_str_eq(missing_path(root(c, "kpi_reports")), "kpi_reports");
}

Test(facts, absent_record_reports_each_field)
{
	Ctx *c = loaded("{}");
	Value r = root(c, "company");
	cr_assert_eq(r.tag, V_REC, "an absent record is a record of absent fields");
	cr_assert_str_eq(missing_path(field_value(c, "size")), "company.size");
	cr_assert_str_eq(field(c, "voucher_received"), "0 KRW");
	c = loaded("{\"company\": null}");
	cr_assert_str_eq(missing_path(root(c, "company")), "company");
}

Test(facts, id_is_allowed)
{
	Ctx *c = loaded("{\"id\": \"KR-2026-0001\", \"company\": {\"size\": \"large\"}}");
	cr_assert_str_eq(field(c, "size"), "large");
}

Test(facts, a_new_document_replaces_the_old)
{
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"staff\": 3}}");
	const char *err;
	const char *j = "{\"company\": {\"size\": \"large\"}}";
	cr_assert_eq(facts_load_json(c, j, strlen(j), "facts.json", &err), ST_OK);
	cr_assert_str_eq(field(c, "size"), "large");
	cr_assert_str_eq(missing_path(field_value(c, "staff")), "company.staff");
}

/* -------------------------------------------------------------- errors */

Test(facts, error_bad_percent)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"abc\"}}"),
			 "facts.json: company.us_export_share: expected a percentage like \"12%\", got \"abc\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"us_export_share\": 14}}"),
			 "facts.json: company.us_export_share: expected a percentage like \"12%\", got 14");
}

Test(facts, error_unknown_field_and_fact)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"us_exports_share\": \"14%\"}}"),
			 "facts.json: company: unknown field \"us_exports_share\"; did you mean \"us_export_share\"?");
	cr_assert_str_eq(refused("{\"compnay\": {}}"), "facts.json: unknown fact \"compnay\"; did you mean \"company\"?");
	cr_assert_str_eq(refused("{\"zzzzzzzz\": 1}"), "facts.json: unknown fact \"zzzzzzzz\"");
}

Test(facts, error_enum_member)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"huge\"}}"),
			 "facts.json: company.size: expected one of \"sme\", \"midsize\", \"large\", got \"huge\"");
}

Test(facts, error_money)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"voucher_requested\": \"80000 USD\"}}"),
			 "facts.json: company.voucher_requested: expected an amount like \"100 KRW\", got \"80000 USD\": the "
			 "currency differs");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"voucher_requested\": \"80000\"}}"),
			 "facts.json: company.voucher_requested: expected an amount like \"100 KRW\", got \"80000\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"voucher_requested\": 80000}}"),
			 "facts.json: company.voucher_requested: expected an amount like \"100 KRW\", got 80000");
	cr_assert_str_eq(refused("{\"fee\": \"12\"}"), "facts.json: fee: expected an amount like \"50000000 KRW\", got \"12\"");
}

Test(facts, error_other_kinds)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"founded\": \"2025-02-30\"}}"),
			 "facts.json: company.founded: expected a date like \"2026-12-01\", got \"2025-02-30\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"processing\": \"two weeks\"}}"),
			 "facts.json: company.processing: expected a duration like \"14 days\", got \"two weeks\"");
	/* Past 100000000 units a duration is refused here, so date arithmetic never overflows on it. */
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"processing\": \"9999999999999999 years\"}}"),
			 "facts.json: company.processing: expected a duration like \"14 days\", got \"9999999999999999 years\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"processing\": \"-100000001 days\"}}"),
			 "facts.json: company.processing: expected a duration like \"14 days\", got \"-100000001 days\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"hs_code\": \"shirts\"}}"),
			 "facts.json: company.hs_code: expected a tariff code like \"6205.20\", got \"shirts\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"staff\": 4.5}}"),
			 "facts.json: company.staff: expected a whole number like 42, got 4.5");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"listed\": \"yes\"}}"),
			 "facts.json: company.listed: expected true or false, got \"yes\"");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"name\": 42}}"),
			 "facts.json: company.name: expected text in quotes, got 42");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"rate\": true}}"),
			 "facts.json: company.rate: expected a number like 12.5, got true");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"tags\": \"textiles\"}}"),
			 "facts.json: company.tags: expected a list (JSON array) of text, got \"textiles\"");
	cr_assert_str_eq(refused("{\"company\": \"sme\"}"), "facts.json: company: expected a company (JSON object), got \"sme\"");
}

Test(facts, error_inside_a_list_names_the_item)
{
	cr_assert_str_eq(refused("{\"kpi_reports\": [{\"month\": 1, \"exports\": \"1000 USD\"}, {\"month\": 2, \"exports\": \"1,000 USD\"}]}"),
			 "facts.json: kpi_reports[2].exports: expected an amount like \"100 USD\", got \"1,000 USD\"");
}

Test(facts, error_long_values_are_shortened)
{
	const char *e = refused("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"this is a very long text that goes on and on\"}}");
	cr_assert_str_eq(e, "facts.json: company.us_export_share: expected a percentage like \"12%\", got \"this is a very long text "
			    "that goes o...");
}

Test(facts, error_number_too_large)
{
	/* beyond 64 bits json-c clamps: the message then shows the clamped number (bug docs-16) */
	const char *e = refused("{\"company\": {\"size\": \"sme\", \"staff\": 9223372036854775808}}");
	cr_assert(strncmp(e, "facts.json: company.staff: the number ", 38) == 0, "%s", e);
	cr_assert(strstr(e, " is too large") != NULL, "%s", e);
	/* json-c clamps to the largest and least whole numbers: those are
	 * refused, each in its own words */
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"staff\": 9223372036854775807}}"),
			 "facts.json: company.staff: the number is too large for a whole number (at most 9223372036854775806)");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"staff\": -9223372036854775808}}"),
			 "facts.json: company.staff: the number is too small for a whole number (at least -9223372036854775807)");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"staff\": -99999999999999999999}}"),
			 "facts.json: company.staff: the number is too small for a whole number (at least -9223372036854775807)");
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"staff\": -9223372036854775807}}");
	cr_assert_str_eq(field(c, "staff"), "-9223372036854775807");
}

Test(facts, error_as_of)
{
	cr_assert_str_eq(refused("{\"as_of\": \"yesterday\"}"), "facts.json: as_of: expected a date like \"2026-12-01\", got \"yesterday\"");
	cr_assert_str_eq(refused("{\"as_of\": 20261201}"), "facts.json: as_of: expected a date like \"2026-12-01\", got 20261201");
}

Test(facts, error_not_an_object)
{
	cr_assert_str_eq(refused("[1, 2]"), "facts.json: the facts must be a JSON object, like {\"company\": {...}}");
	cr_assert_str_eq(refused("\"company\""), "facts.json: the facts must be a JSON object, like {\"company\": {...}}");
	/* a bare number: see a_bare_number_is_not_an_object */
}

Test(facts, error_invalid_json_with_line_and_column)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\",\n  \"us_export_share\": \"14%\",,\n}}"),
			 "facts.json:2:28: invalid JSON: quoted object property name expected");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\""), "facts.json:1:27: invalid JSON: the JSON ends too early");
	cr_assert_str_eq(refused(""), "facts.json:1:1: invalid JSON: the JSON ends too early");
	cr_assert_str_eq(refused("{} x"), "facts.json:1:4: invalid JSON: unexpected character");
	cr_assert_str_eq(refused("{\"a\": tru}"), "facts.json:1:10: invalid JSON: boolean expected");
}

/* Numbers JSON does not allow, json-c's own reading aside: refused as
 * invalid JSON with their line and column, as a decimal, a whole number
 * or the id; the forms JSON allows are read as before. */
Test(facts, numbers_json_does_not_allow)
{
	static const char *const slips[] = {"00", "-00", "01.5", "-01", "007", "0.", "1.e5", "01e5", "01."};
	for (size_t i = 0; i < sizeof slips / sizeof slips[0]; i++) {
		const char *at = "facts.json:2:11: invalid JSON: the number ";
		cr_assert_eq(strncmp(refused(xprintf("{\"company\": {\"size\": \"sme\",\n  \"rate\": %s}}", slips[i])), at,
				     strlen(at)), 0, "%s", slips[i]);
		cr_assert_eq(strncmp(refused(xprintf("{\"company\": {\"size\": \"sme\",\n  \"staff\": %s}}", slips[i])),
				     "facts.json:2:12: invalid JSON: ", 31), 0, "%s", slips[i]);
		cr_assert_eq(strncmp(refused(xprintf("{\"id\": %s}", slips[i])), "facts.json:1:8: invalid JSON: ", 30), 0, "%s",
			     slips[i]);
	}
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"rate\": 01.5}}"),
			 "facts.json:1:37: invalid JSON: the number 01.5 starts with a 0 followed by other digits, which JSON "
			 "does not allow; write 1.5");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"rate\": 1.e5}}"),
			 "facts.json:1:37: invalid JSON: the number 1.e5 has no digits after its decimal point, which JSON "
			 "does not allow; write 1.0e5");
	static const char *const others[] = {".5", "1e", "+1", "-", "1e+"};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		cr_assert_eq(strncmp(refused(xprintf("{\"company\": {\"size\": \"sme\", \"rate\": %s}}", others[i])),
				     "facts.json:1:", 13), 0, "%s", others[i]);
	static const char *const fine[][2] = {{"0", "0"}, {"-0", "0"}, {"0.5", "0.5"}, {"-0.5", "-0.5"}, {"1e5", "100000"}};
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
		cr_assert_str_eq(field(loaded(xprintf("{\"company\": {\"size\": \"sme\", \"rate\": %s}}", fine[i][0])), "rate"),
				 fine[i][1]);
}

/* A NUL character would cut a key or a typed text short ("large\u0000zzz"
 * read as "large", "size\u0000x" taken for "size"): refused where it
 * stands.  A string keeps it (tests/hostile: it is not cut off). */
Test(facts, error_nul_character)
{
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"large\\u0000zzz\", \"us_export_share\": \"1%\"}}"),
			 "facts.json: company.size: invalid facts: the value holds a NUL character (\\u0000), "
			 "which only a string may hold");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\\u0000\"}}"),
			 "facts.json: company.us_export_share: invalid facts: the value holds a NUL character (\\u0000), "
			 "which only a string may hold");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\", \"founded\": \"2026-01-01\\u0000\"}}"),
			 "facts.json: company.founded: invalid facts: the value holds a NUL character (\\u0000), "
			 "which only a string may hold");
	cr_assert_str_eq(refused("{\"company\\u0000zz\": {\"size\": \"sme\"}}"),
			 "facts.json:1:2: invalid facts: the key \"company\\u0000zz\" may not hold a NUL character (\\u0000)");
	cr_assert_str_eq(refused("{\"company\": {\"size\": \"sme\",\n \"size\\u0000x\": \"large\"}}"),
			 "facts.json:2:2: invalid facts: the key \"size\\u0000x\" may not hold a NUL character (\\u0000)");
	/* an escaped backslash before u0000 is no NUL */
	cr_assert_str_eq(refused("{\"company\": {\"size\\\\u0000\": \"sme\"}}"),
			 "facts.json: company: unknown field \"size\\u0000\"");
	Ctx *c = loaded("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"name\": \"a\\\\u0000\"}}");
	cr_assert_str_eq(field(c, "name"), "\"a\\\\u0000\"");
	c = loaded("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"name\": \"a\\u0000b\"}}");
	cr_assert_str_eq(field(c, "name"), "\"a\\u0000b\"");
}

/* A NUL byte in the document: json-c would stop there, as at its end. */
Test(facts, error_nul_byte)
{
	const char mid[] = "{\"company\":{\"size\":\0 7}}", in[] = "{\"company\":{\"name\":\"a\0b\"}}",
		   after[] = "{\"company\":{\"size\":7}}\0", line2[] = "{\n  \0}";
	const char *why = "invalid JSON: the document holds a NUL byte (a character of code 0), which JSON may not hold";
	cr_assert_str_eq(refused_n(mid, sizeof mid - 1), xprintf("facts.json:1:20: %s", why));
	cr_assert_str_eq(refused_n(in, sizeof in - 1), xprintf("facts.json:1:22: %s", why));
	cr_assert_str_eq(refused_n(after, sizeof after - 1), xprintf("facts.json:1:23: %s", why));
	cr_assert_str_eq(refused_n(line2, sizeof line2 - 1), xprintf("facts.json:2:3: %s", why));
}

Test(facts, error_nested_too_deep)
{
	Buf b = {0};
	for (int i = 0; i < FACTS_MAX_DEPTH + 1; i++)
		buf_puts(&b, "[");
	for (int i = 0; i < FACTS_MAX_DEPTH + 1; i++)
		buf_puts(&b, "]");
	const char *e = refused(xprintf("{\"x\": %s}", buf_cstr(&b)));
	cr_assert(strstr(e, xprintf("invalid JSON: the JSON is nested more than %d deep", FACTS_MAX_DEPTH)) != NULL, "%s", e);
}

/* The reader keeps one tokener a thread: a document cut off in the middle
 * of a surrogate pair must leave nothing for the next one to read. */
Test(facts, nothing_left_for_the_next_document)
{
	json_object *o;
	FactsError e;
	const char *cuts[] = {"{\"k\": \"\\ud83d", "{\"k\": \"\\ud83d\\", "{\"k\": \"\\ud83d\\u", "{\"k\": \"\\ud83d\\u00"};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		cr_assert_neq(facts_read(cuts[i], strlen(cuts[i]), &o, &e), ST_OK);
		const char *next = "{\"k\": \"\\u0041b\"}";
		cr_assert_eq(facts_read(next, strlen(next), &o, &e), ST_OK, "after %s", cuts[i]);
		json_object *k;
		cr_assert(json_object_object_get_ex(o, "k", &k));
		cr_assert_str_eq(json_object_get_string(k), "Ab", "after %s", cuts[i]);
		json_object_put(o);
	}
}

/* ------------------------------------------------------------- helpers */

Test(facts, scalar_parsing)
{
	Value v;
	cr_assert_eq(facts_scalar(&ty_pct, "14%", 3, &v), 0);
	cr_assert_str_eq(fmt_value_str(NULL, v), "14%");
	cr_assert_eq(facts_scalar(&ty_pct, " 7.5% ", 6, &v), -1, "blanks around are refused, as in the as-of date");
	cr_assert_eq(facts_scalar(&ty_pct, "7.5%", 4, &v), 0);
	cr_assert_str_eq(fmt_value_str(NULL, v), "7.5%");
	cr_assert_eq(facts_scalar(&ty_hs, "6205..20", 8, &v), -1, "one separator between pairs of digits");
	cr_assert_eq(facts_scalar(&ty_hs, "6205.20", 7, &v), 0);
	cr_assert_eq(facts_scalar(&ty_pct, "14", 2, &v), -1);
	cr_assert_eq(facts_scalar(&ty_money, "50000000 KRW", 12, &v), 0);
	cr_assert_str_eq(fmt_value_str(NULL, v), "50000000 KRW");
	cr_assert_eq(facts_scalar(ty_money_in(val_currency("USD")), "5 KRW", 5, &v), -2, "another currency");
	cr_assert_eq(facts_scalar(&ty_money, "5 krw", 5, &v), -1);
	cr_assert_eq(facts_scalar(&ty_date, "2026-12-01", 10, &v), 0);
	cr_assert_eq(facts_scalar(&ty_date, "2026-12-32", 10, &v), -1);
	cr_assert_eq(facts_scalar(&ty_dur, "2 weeks", 7, &v), 0);
	cr_assert_str_eq(fmt_value_str(NULL, v), "2 weeks");
	cr_assert_eq(facts_scalar(&ty_dur, "2.5 weeks", 9, &v), -1, "durations are whole");
	cr_assert_eq(facts_scalar(&ty_dur, "2 fortnights", 12, &v), -1);
	cr_assert_eq(facts_scalar(&ty_hs, "6205.20", 7, &v), 0);
	cr_assert_str_eq(fmt_value_str(NULL, v), "hs \"6205.20\"");
}

Test(facts, set_path_copies_records)
{
	Ctx *a = loaded("{\"company\": {\"size\": \"sme\", \"staff\": 3}}");
	Ctx *b = vm_new(a->p);
	memcpy(b->facts, a->facts, sizeof(Value) * (size_t)a->p->nfacts);
	Decl *f = prog_find_fact(a->p, "company");
	int slot = -1;
	for (int i = 0; i < f->def->nfields; i++)
		if (strcmp(f->def->fields[i].name, "staff") == 0)
			slot = i;
	cr_assert_geq(slot, 0);
	facts_set_path(b, f->fact, &slot, 1, val_int(40));
	cr_assert_str_eq(fmt_value_str(b->p, b->facts[f->fact].as.r->f[slot]), "40");
	cr_assert_str_eq(field(a, "staff"), "3", "the other context still sees its own value");
}

/* The error of loading json against rules that must check. */
static const char *facts_error(const char *rules, const char *json)
{
	Ctx *c = vm_new(tu_program(rules));
	const char *err = NULL;
	cr_assert_eq(facts_load_json(c, json, strlen(json), "facts.json", &err), ST_FACTS);
	return err;
}

/* A bare JSON number is a complete document, just not an object. */
Test(facts, a_bare_number_is_not_an_object)
{
	cr_assert_str_eq(facts_error("fact staff : int\n", "42"),
			 "facts.json: the facts must be a JSON object, like {\"company\": {...}}");
}

/* json-c keeps no text for integers past 64 bits (it clamps them), so the
 * message names the limit rather than quoting a number that was not written. */
Test(facts, a_too_large_number_is_not_misquoted)
{
	cr_assert_str_eq(facts_error("fact company { staff : int }\n", "{\"company\": {\"staff\": 99999999999999999999}}"),
			 "facts.json: company.staff: the number is too large for a whole number (at most 9223372036854775806)");
}

/* ------------------------------------------------------ facts over time */

Test(facts, dated_values_are_kept_in_date_order)
{
	Ctx *c = loaded("{\"headcount\": {\"2025-01-01\": 10, \"2025-04-01\": 12, \"2025-07-01\": null}}");
	cr_assert_str_eq(fmt_value_str(c->p, root(c, "headcount")),
			 "[[2025-01-01, 10], [2025-04-01, 12], [2025-07-01, unknown]]");
	cr_assert_str_eq(missing_path(root(c, "headcount").as.l->items[2].as.l->items[1]), "headcount from 2025-07-01",
			 "a null value is unknown from its date, and says so");
	cr_assert_str_eq(missing_path(root(ctx(), "headcount")), "headcount", "dated values not given are unknown");
	cr_assert_str_eq(fmt_value_str(c->p, root(loaded("{\"headcount\": {}}"), "headcount")), "[]");
}

Test(facts, dated_values_are_read_at_a_date)
{
	Program *p = program();
	Ctx *c = tu_ctx(p, "{\"headcount\": {\"2025-01-01\": 10, \"2025-04-01\": 12}}");
	cr_assert_str_eq(tu_show(c, "headcount at 2025-03-31"), "10");
	cr_assert_str_eq(tu_show(c, "headcount at 2025-04-01"), "12", "a value holds from its own date");
	cr_assert_str_eq(tu_show(c, "headcount"), "12", "without 'at': on the as-of date");
	Value v;
	cr_assert_eq(tu_run(c, "headcount at 2024-12-31", &v), ST_OK);
	cr_assert_str_eq(missing_path(v), "headcount on 2024-12-31", "before the first value: unknown, with the date");
}

Test(facts, error_dated_values)
{
	cr_assert_str_eq(refused("{\"headcount\": 10}"),
			 "facts.json: headcount: expected dated values: a JSON object with the date each value holds from, "
			 "like {\"2025-01-01\": ..., \"2025-04-01\": ...}, got 10");
	cr_assert_str_eq(refused("{\"headcount\": {\"2025-04-01\": 12, \"2025-01-01\": 10}}"),
			 "facts.json: headcount: the dates are not in order: 2025-01-01 comes after 2025-04-01; write them "
			 "from the earliest");
	cr_assert_str_eq(refused("{\"headcount\": {\"1 April\": 12}}"),
			 "facts.json: headcount: \"1 April\" is not a date; each key is the date its value holds from, like "
			 "\"2025-01-01\"");
	cr_assert_str_eq(refused("{\"headcount\": {\"2025-02-30\": 12}}"),
			 "facts.json: headcount: \"2025-02-30\" is not a date; each key is the date its value holds from, like "
			 "\"2025-01-01\"");
	cr_assert_str_eq(refused("{\"headcount\": {\"2025-01-01\": 10, \"2025-04-01\": \"12\"}}"),
			 "facts.json: headcount from 2025-04-01: expected a whole number like 42, got \"12\"");
	cr_assert_str_eq(refused("{\"headcount\": {\"2025-01-01\": 10, \"2025-01-01\": 12}}"),
			 "facts.json:1:34: invalid facts: the key \"2025-01-01\" appears twice in one object; keep one",
			 "a date given twice is refused where it is");
}

/* ------------------------------------------- members that carry a value */

static const char *SALE_RULES = "enum prior_sale = none | most_recent of date | pending of money USD\n"
				"fact sale { prior : prior_sale }\n";

static const char *sale_facts(const char *prior, int want)
{
	Program *p = tu_program(SALE_RULES);
	Ctx *c = vm_new(p);
	const char *json = xprintf("{\"sale\": {\"prior\": %s}}", prior);
	const char *err = NULL;
	int st = facts_load_json(c, json, strlen(json), "facts.json", &err);
	cr_assert_eq(st, want, "%s: %s", prior, err ? err : "accepted");
	return st == ST_OK ? tu_show(c, "sale.prior") : err;
}

Test(facts, a_member_with_its_value_is_an_object_with_one_key)
{
	cr_assert_str_eq(sale_facts("{\"most_recent\": \"2024-05-01\"}", ST_OK), "most_recent(2024-05-01)");
	cr_assert_str_eq(sale_facts("{\"pending\": \"120 USD\"}", ST_OK), "pending(120 USD)");
	cr_assert_str_eq(sale_facts("\"none\"", ST_OK), "none");
}

Test(facts, a_member_with_a_value_is_refused_without_it_or_with_a_wrong_one)
{
	cr_assert_str_eq(sale_facts("\"most_recent\"", ST_FACTS),
			 "facts.json: sale.prior: \"most_recent\" carries a value: write {\"most_recent\": ...} with a date "
			 "like \"2026-12-01\"");
	cr_assert_str_eq(sale_facts("{\"most_recent\": null}", ST_FACTS),
			 "facts.json: sale.prior: \"most_recent\" needs its value: write {\"most_recent\": ...} with a date "
			 "like \"2026-12-01\"");
	cr_assert_str_eq(sale_facts("{\"none\": 1}", ST_FACTS),
			 "facts.json: sale.prior: \"none\" carries no value; write it as \"none\"");
	cr_assert_str_eq(sale_facts("{\"pending\": \"120 EUR\"}", ST_FACTS),
			 "facts.json: sale.prior.pending: expected an amount like \"100 USD\", got \"120 EUR\": the currency "
			 "differs");
	cr_assert_str_eq(sale_facts("{\"most_recent\": \"2024-05-01\", \"pending\": \"1 USD\"}", ST_FACTS),
			 "facts.json: sale.prior: expected one of \"none\", {\"most_recent\": ...}, {\"pending\": ...}, got "
			 "{\"most_recent\":\"2024-05-01\",\"pending\"...");
}
