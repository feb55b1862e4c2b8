/*
 * test_vm.c - unit tests for interp/vm.c, the bytecode interpreter.
 *
 * Small programs are built from rule text with load_sources; expressions
 * are compiled as queries (query_compile) and run in a fresh evaluation
 * context (query_run), the way `edict eval --query` does.  Results are
 * compared in Edict notation (fmt_value_str), which shows the kind, the
 * scale and the currency of a value at once: "2.50", "5000000 KRW", "14%".
 * Covered: exact arithmetic, Kleene logic and its truth tables, the facts an
 * unknown remembers, comprehensions and quantifiers, decision tables and
 * their hit policies, defaults/exceptions precedence and conflicts, dated
 * values, and the limits (steps, call depth, the thread's stack) that end
 * runaway evaluations.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "arith.h"
#include "compile.h"
#include "disasm.h"
#include "facts.h"
#include "load.h"
#include "opcodes.h"
#include "query.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(vm, .init = setup);

static Program *plain(void)
{
	static Program *p;
	if (!p)
		p = tu_program("decision nothing : bool = true\n");
	return p;
}

/* The value of an expression that needs no rules or facts. */
static const char *show(const char *q)
{
	return tu_show(tu_ctx(plain(), NULL), q);
}

#define EXPECT(q, want) cr_expect_str_eq(show(q), want, "%s", q)
#define EXPECT_IN(c, q, want) cr_expect_str_eq(tu_show(c, q), want, "%s", q)

/* The missing facts of an unknown value, comma-separated. */
static const char *missing(Value v)
{
	cr_assert_eq(v.tag, V_UNKNOWN, "expected an unknown value");
	Buf b = {0};
	if (v.as.m)
		for (uint32_t i = 0; i < v.as.m->len; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", v.as.m->paths[i]->data);
	return buf_cstr(&b);
}

/* ----------------------------------------------------------- arithmetic */

Test(vm, integer_arithmetic)
{
	EXPECT("1 + 2 * 3", "7");
	EXPECT("(1 + 2) * 3", "9");
	EXPECT("10 - 4 - 3", "3");
	EXPECT("-5 + 2", "-3");
	EXPECT("7 / 2", "3.5");
	EXPECT("10 / 5", "2");
}

Test(vm, decimal_rules)
{
	/* 34 significant digits, half-even */
	EXPECT("1 / 3", "0.3333333333333333333333333333333333");
	EXPECT("2 / 3", "0.6666666666666666666666666666666667");
	EXPECT("1000000 / 7", "142857.1428571428571428571428571429");
	/* add and subtract keep the finer scale */
	EXPECT("1.50 + 1", "2.50");
	EXPECT("2.50 - 0.50", "2.00");
	/* multiply and divide drop trailing fractional zeros */
	EXPECT("0.10 * 500", "50");
	EXPECT("2.00 * 1.50", "3");
	EXPECT("0.1 + 0.2", "0.3");
	EXPECT("1.0 = 1.00", "true");
}

Test(vm, rounding)
{
	EXPECT("round(2.5)", "2");
	EXPECT("round(3.5)", "4");
	EXPECT("round(-2.5)", "-2");
	EXPECT("round(2.345, 2)", "2.34");
	EXPECT("round(2.355, 2)", "2.36");
	EXPECT("floor(2.7)", "2");
	EXPECT("floor(-2.5)", "-3");
	EXPECT("ceil(2.1)", "3");
	EXPECT("ceil(-2.5)", "-2");
	EXPECT("floor(2.567, 2)", "2.56");
	EXPECT("ceil(2.561, 2)", "2.57");
	EXPECT("round(1234.5 KRW)", "1234 KRW");
	EXPECT("round(1250 KRW, -2)", "1200 KRW");
	EXPECT("round(1350 KRW, -2)", "1400 KRW");
	/* a percentage rounds in percentage points */
	EXPECT("round(12.345%, 1)", "12.3%");
	EXPECT("round(12.35%, 1)", "12.4%");
	EXPECT("floor(12.5%)", "12%");
	EXPECT("ceil(12.01%)", "13%");
	EXPECT("round(2.5, 200)", "error: rounding to 200 places is out of range (-100 to 100)");
}

Test(vm, money_and_percentages)
{
	EXPECT("10% * 50_000_000 KRW", "5000000 KRW");
	EXPECT("50_000_000 KRW * 10%", "5000000 KRW");
	EXPECT("12.5% * 200 KRW", "25 KRW");
	EXPECT("100 KRW / 3", "33.33333333333333333333333333333333 KRW");
	EXPECT("100 KRW / 50 KRW", "2");
	EXPECT("10.00 USD + 5 USD", "15.00 USD");
	EXPECT("10% + 5%", "15%");
	EXPECT("10% * 10%", "1%");
	EXPECT("10% / 2", "5%");
	EXPECT("10% / 5%", "2");
	EXPECT("amount(5 KRW)", "5");
	EXPECT("abs(-5 KRW)", "5 KRW");
	EXPECT("max(0 KRW, 5 KRW - 10 KRW)", "0 KRW");
	EXPECT("10% >= 10%", "true");
	EXPECT("0.1 = 10%", "true");
}

Test(vm, overflow_is_an_error)
{
	EXPECT("9223372036854775807 + 1", "error: the whole number is too large: whole numbers go to 9223372036854775807, decimals to 34 digits; write one of the numbers with a decimal point (2.0) to compute in decimals");
	EXPECT("-9223372036854775807 - 2", "error: the whole number is too large: whole numbers go to 9223372036854775807, decimals to 34 digits; write one of the numbers with a decimal point (2.0) to compute in decimals");
	EXPECT("3037000500 * 3037000500", "error: the whole number is too large: whole numbers go to 9223372036854775807, decimals to 34 digits; write one of the numbers with a decimal point (2.0) to compute in decimals");
	EXPECT("999999999999999999999999999999999.9 * 100", "error: the result is too large for a decimal (34 digits, exponents to 6144)");
	/* rounding to 34 digits is not an overflow */
	EXPECT("999999999999999999999999999999999.9 + 0.1", "1000000000000000000000000000000000");
}

Test(vm, division_by_zero)
{
	EXPECT("1 / 0", "error: division by zero");
	EXPECT("1.5 / 0.0", "error: division by zero");
	EXPECT("5 KRW / 0", "error: division by zero");
}

Test(vm, dates_and_durations)
{
	EXPECT("2025-03-01 - 2025-02-01", "28");
	EXPECT("2025-01-31 + 1 month", "2025-02-28");
	EXPECT("2024-01-31 + 1 month", "2024-02-29");
	EXPECT("2024-02-29 + 1 year", "2025-02-28");
	EXPECT("2025-03-31 - 1 month", "2025-02-28");
	EXPECT("2025-05-01 + 2 weeks", "2025-05-15");
	EXPECT("2025-12-31 + 1 day", "2026-01-01");
	EXPECT("1 week + 3 days", "10 days");
	EXPECT("1 year + 1 month", "13 months");
	EXPECT("2 * 3 days", "6 days");
	EXPECT("5 days - 10 days", "-5 days");
	EXPECT("2 weeks = 14 days", "true");
	EXPECT("1 year = 12 months", "true");
	EXPECT("2 weeks < 15 days", "true");
	EXPECT("let m = 1 month; m < 31 days", "error: cannot compare a duration in days or weeks with one in months or years");
	EXPECT("days_between(2025-01-01, 2025-03-01)", "59");
	EXPECT("year_of(2025-03-01)", "2025");
	EXPECT("month_of(2025-03-01)", "3");
	EXPECT("as_of", "2026-12-01");
	EXPECT("9999-12-31 + 1 day", "error: the date falls outside the years 0001 to 9999");
}

Test(vm, tariff_codes)
{
	EXPECT("hs \"6205.20\" in chapter 62", "true");
	EXPECT("hs \"6205.20\" in chapter 61", "false");
	EXPECT("hs \"6205.20\" in heading [6204, 6205]", "true");
	EXPECT("hs \"6205.20.10\" in subheading hs \"6205.20\"", "true");
	EXPECT("hs \"6205.30\" in subheading hs \"6205.20\"", "false");
	EXPECT("chapter_of(hs \"0101\")", "1");
	EXPECT("heading_of(hs \"6205.20\")", "6205");
}

Test(vm, lists_and_builtins)
{
	EXPECT("sum([1.5, 2])", "3.5");
	EXPECT("sum([])", "0");
	EXPECT("count([])", "0");
	EXPECT("min(1, 2.5)", "1");
	EXPECT("max([1, 2, 3])", "3");
	EXPECT("min([])", "error: min of an empty list");
	EXPECT("sort([3, 1, 2])", "[1, 2, 3]");
	EXPECT("distinct([1, 1, 2])", "[1, 2]");
	EXPECT("length(\"abc\")", "3");
	EXPECT("length([1, 2])", "2");
	EXPECT("range(1, 4)", "[1, 2, 3, 4]");
	EXPECT("1 in [1, 2]", "true");
	EXPECT("3 not in [1, 2]", "true");
	EXPECT("\"a\" < \"b\"", "true");
	EXPECT("let x = 5; x * 2", "10");
	EXPECT("if 1 > 2 then \"a\" else \"b\"", "\"b\"");
}

/* Texts order as a dictionary does: a text before every longer text it
 * begins, and by the first byte that differs, however far apart. */
Test(vm, texts_order_by_their_first_difference)
{
	Program *p = tu_program("fact doc {\n  s : string\n  t : string\n}\n");
	Ctx *c = tu_ctx(p, "{\"doc\": {\"s\": \"ab\", \"t\": \"abc\"}}");
	EXPECT_IN(c, "[doc.s < doc.t, doc.s <= doc.t, doc.t > doc.s, doc.t >= doc.s]", "[true, true, true, true]");
	EXPECT_IN(c, "[doc.t < doc.s, doc.t <= doc.s, doc.s > doc.t, doc.s >= doc.t]", "[false, false, false, false]");
	c = tu_ctx(p, "{\"doc\": {\"s\": \"az\", \"t\": \"ba\"}}");
	EXPECT_IN(c, "[doc.s < doc.t, doc.t > doc.s, doc.s >= doc.t]", "[true, true, false]");
	EXPECT_IN(c, "\"ab\" < \"abc\"", "true");
}

/* ---------------------------------------------------------------- Kleene */

/* The facts for one truth value of a and one of b: "t", "f" or "u" (missing). */
static const char *ab_facts(char a, char b)
{
	Buf j = {0};
	buf_puts(&j, "{\"f\": {");
	int n = 0;
	if (a != 'u')
		buf_printf(&j, "\"a\": %s", a == 't' ? "true" : "false"), n++;
	if (b != 'u')
		buf_printf(&j, "%s\"b\": %s", n ? ", " : "", b == 't' ? "true" : "false");
	buf_puts(&j, "}}");
	return buf_cstr(&j);
}

Test(vm, kleene_truth_tables)
{
	Program *p = tu_program("fact f { a : bool optional  b : bool optional }\n");
	static const char vals[] = "tfu";
	/* rows: a; columns: b; t = true, f = false, u = unknown */
	static const char *const and_t[3] = {"tfu", "fff", "ufu"};
	static const char *const or_t[3] = {"ttt", "tfu", "tuu"};
	static const char not_t[3] = {'f', 't', 'u'};
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			Ctx *c = tu_ctx(p, ab_facts(vals[i], vals[j]));
			const char *want_and = and_t[i][j] == 't' ? "true" : and_t[i][j] == 'f' ? "false" : "unknown";
			const char *want_or = or_t[i][j] == 't' ? "true" : or_t[i][j] == 'f' ? "false" : "unknown";
			cr_expect_str_eq(tu_show(c, "f.a and f.b"), want_and, "%c and %c", vals[i], vals[j]);
			cr_expect_str_eq(tu_show(c, "f.b and f.a"), want_and, "%c and %c (swapped)", vals[j], vals[i]);
			cr_expect_str_eq(tu_show(c, "f.a or f.b"), want_or, "%c or %c", vals[i], vals[j]);
			cr_expect_str_eq(tu_show(c, "f.b or f.a"), want_or, "%c or %c (swapped)", vals[j], vals[i]);
			if (j == 0) {
				const char *want_not = not_t[i] == 't' ? "true" : not_t[i] == 'f' ? "false" : "unknown";
				cr_expect_str_eq(tu_show(c, "not f.a"), want_not, "not %c", vals[i]);
			}
		}
}

Test(vm, kleene_with_literals)
{
	EXPECT("false and unknown", "false");
	EXPECT("unknown and false", "false");
	EXPECT("true or unknown", "true");
	EXPECT("unknown or true", "true");
	EXPECT("true and unknown", "unknown");
	EXPECT("false or unknown", "unknown");
	EXPECT("not unknown", "unknown");
	EXPECT("unknown = unknown", "unknown");
	EXPECT("unknown >= 10%", "unknown");
	EXPECT("if unknown then 1 else 2", "unknown");
	EXPECT("unknown otherwise 3", "3");
	EXPECT("1 otherwise 3", "1");
	EXPECT("unknown is known", "false");
	EXPECT("unknown is unknown", "true");
	EXPECT("3 is known", "true");
}

Test(vm, quantifiers_with_unknowns)
{
	EXPECT("all([])", "true");
	EXPECT("any([])", "false");
	EXPECT("all([true, unknown])", "unknown");
	EXPECT("all([false, unknown])", "false");
	EXPECT("any([true, unknown])", "true");
	EXPECT("any([false, unknown])", "unknown");
	EXPECT("1 in [unknown, 1]", "true");
	EXPECT("2 in [unknown, 1]", "unknown");
	EXPECT("max(unknown, 3)", "unknown");
}

/* -------------------------------------------------------- missing facts */

static const char *FIRM = "enum company_size = sme | midsize | large\n"
			  "fact company {\n"
			  "  size : company_size optional\n"
			  "  us_export_share : percent optional\n"
			  "  staff : int optional\n"
			  "  voucher_requested : money KRW optional\n"
			  "  voucher_received : money KRW default 0 KRW\n"
			  "}\n"
			  "decision eligible : bool = company.size in [sme, midsize]\n"
			  "decision priority : bool = eligible and company.us_export_share >= 10%\n"
			  "decision award : money KRW = if eligible then min(company.voucher_requested, 50_000_000 KRW) else 0 KRW\n"
			  "decision either : bool = company.us_export_share >= 10% or company.staff > 100\n";

static const char *missing_of(Ctx *c, const char *q)
{
	Value v;
	cr_assert_eq(tu_run(c, q, &v), ST_OK, "%s: %s", q, c->errmsg);
	return missing(v);
}

Test(vm, unknowns_remember_their_facts)
{
	Program *p = tu_program(FIRM);
	Ctx *c = tu_ctx(p, "{\"company\": {}}");
	cr_assert_str_eq(missing_of(c, "company.us_export_share >= 10%"), "company.us_export_share");
	cr_assert_str_eq(missing_of(c, "eligible"), "company.size");
	cr_assert_str_eq(missing_of(c, "priority"), "company.size, company.us_export_share");
	cr_assert_str_eq(missing_of(c, "either"), "company.staff, company.us_export_share");
	cr_assert_str_eq(missing_of(c, "company.staff + company.staff"), "company.staff");
}

Test(vm, missing_lists_only_facts_that_can_change_the_result)
{
	Program *p = tu_program(FIRM);
	/* a large firm: its share and request cannot change anything */
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"large\"}}");
	EXPECT_IN(c, "eligible", "false");
	EXPECT_IN(c, "priority", "false");
	EXPECT_IN(c, "award", "0 KRW");
	/* an SME: each decision waits for its own facts */
	c = tu_ctx(p, "{\"company\": {\"size\": \"sme\"}}");
	EXPECT_IN(c, "eligible", "true");
	cr_assert_str_eq(missing_of(c, "priority"), "company.us_export_share");
	cr_assert_str_eq(missing_of(c, "award"), "company.voucher_requested");
	/* true or unknown: decided */
	c = tu_ctx(p, "{\"company\": {\"us_export_share\": \"14%\"}}");
	EXPECT_IN(c, "either", "true");
	EXPECT_IN(c, "company.voucher_received", "0 KRW");
	/* `a otherwise b` with both unknown: see otherwise_lists_the_facts_of_both_sides */
}

/* ------------------------------------------------------- comprehensions */

static const char *ROADMAP = "record task {\n"
			     "  number : int\n"
			     "  launch_month : int optional\n"
			     "  dhaka : bool default false\n"
			     "}\n"
			     "param tasks : list of task = [\n"
			     "  {number: 1, launch_month: 1, dhaka: true},\n"
			     "  {number: 3, launch_month: 2},\n"
			     "  {number: 13},\n"
			     "]\n"
			     "record kpi { month : int  on_target : bool optional }\n"
			     "fact kpis : list of kpi\n"
			     "function launching_in(month : int) : list of int =\n"
			     "  [t.number for t in tasks where t.launch_month = month]\n";

Test(vm, comprehensions_and_generators)
{
	Ctx *c = tu_ctx(tu_program(ROADMAP), NULL);
	EXPECT_IN(c, "launching_in(1)", "[1]");
	EXPECT_IN(c, "launching_in(2)", "[3]");
	EXPECT_IN(c, "launching_in(7)", "[]");
	EXPECT_IN(c, "[t.number * 2 for t in tasks]", "[2, 6, 26]");
	EXPECT_IN(c, "count(t for t in tasks where t.dhaka)", "1");
	EXPECT_IN(c, "sum(t.number for t in tasks)", "17");
	EXPECT_IN(c, "max(t.number for t in tasks where not t.dhaka)", "13");
	EXPECT_IN(c, "all(t.number > 0 for t in tasks)", "true");
	EXPECT_IN(c, "any(t.number = 13 for t in tasks)", "true");
	/* an unknown launch month in the rules' own data counts as not met */
	EXPECT_IN(c, "[t.number for t in tasks where t.launch_month > 0]", "[1, 3]");
	EXPECT_IN(c, "count(t for t in tasks where t.launch_month is unknown)", "1");
	EXPECT_IN(c, "[t.number for t in tasks where t.launch_month is known]", "[1, 3]");
}

Test(vm, comprehension_over_facts_with_unknown_items)
{
	Program *p = tu_program(ROADMAP);
	Ctx *c = tu_ctx(p, "{\"kpis\": [{\"month\": 1, \"on_target\": true}, {\"month\": 2}, {\"month\": 3, \"on_target\": false}]}");
	EXPECT_IN(c, "all(k.on_target for k in kpis)", "false");
	EXPECT_IN(c, "any(k.on_target for k in kpis)", "true");
	Value v;
	cr_assert_eq(tu_run(c, "[k.month for k in kpis where k.on_target]", &v), ST_OK);
	cr_assert_str_eq(missing(v), "kpis[2].on_target", "a fact's unknown in a filter leaves the result open");
	cr_assert_eq(tu_run(c, "count(k for k in kpis where k.on_target)", &v), ST_OK);
	cr_assert_str_eq(missing(v), "kpis[2].on_target");
	c = tu_ctx(p, NULL);
	cr_assert_eq(tu_run(c, "count(k for k in kpis)", &v), ST_OK);
	cr_assert_str_eq(missing(v), "kpis");
}

/* ------------------------------------------------------------- tables */

static const char *TABLES = "enum company_size = sme | midsize | large\n"
			    "fact company { size : company_size  share : percent  new_exporter : bool }\n"
			    "table level : string hit first\n"
			    "  when company.share >= 50% then \"intensive\"\n"
			    "  when company.share >= 10% then \"standard\"\n"
			    "  default \"light\"\n"
			    "table band : string hit unique\n"
			    "  when company.size = sme then \"small\"\n"
			    "  when company.size = midsize then \"middle\"\n"
			    "  when company.size = large then \"large\"\n"
			    "table overlapping : string hit unique\n"
			    "  when company.size = sme then \"small\"\n"
			    "  when company.size in [sme, midsize] then \"not large\"\n"
			    "table services : list of string hit collect\n"
			    "  when company.size in [sme, midsize] then \"consulting\"\n"
			    "  when company.share >= 10% then \"US briefing\"\n"
			    "  when company.new_exporter then \"coaching\"\n"
			    "table points : int hit sum\n"
			    "  when company.size = sme then 10\n"
			    "  when company.share >= 10% then 5\n"
			    "  when company.new_exporter then 3\n"
			    "table reasons : int hit count\n"
			    "  when company.size = sme then 1\n"
			    "  when company.share >= 10% then 1\n"
			    "  when company.new_exporter then 1\n"
			    "table best : percent hit max\n"
			    "  when company.size = sme then 80%\n"
			    "  when company.new_exporter then 90%\n"
			    "  when true then 50%\n"
			    "table worst : percent hit min\n"
			    "  when company.size = sme then 80%\n"
			    "  when company.new_exporter then 90%\n"
			    "  when true then 50%\n"
			    "table only_large : string hit first\n"
			    "  when company.size = large then \"large\"\n";

Test(vm, table_hit_policies)
{
	Program *p = tu_program(TABLES);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\", \"share\": \"14%\", \"new_exporter\": false}}");
	EXPECT_IN(c, "level", "\"standard\"");
	EXPECT_IN(c, "band", "\"small\"");
	EXPECT_IN(c, "services", "[\"consulting\", \"US briefing\"]");
	EXPECT_IN(c, "points", "15");
	EXPECT_IN(c, "reasons", "2");
	EXPECT_IN(c, "best", "80%");
	EXPECT_IN(c, "worst", "50%");
	EXPECT_IN(c, "overlapping", "error: row 1 (line 12) and row 2 (line 13) both apply, but this table allows only one row (hit unique)");
	EXPECT_IN(c, "only_large", "error: no row of table 't.only_large' applies, and it has no 'default' row; add a row for this case, or a 'default' row");

	c = tu_ctx(p, "{\"company\": {\"size\": \"large\", \"share\": \"60%\", \"new_exporter\": true}}");
	EXPECT_IN(c, "level", "\"intensive\"");
	EXPECT_IN(c, "band", "\"large\"");
	EXPECT_IN(c, "services", "[\"US briefing\", \"coaching\"]");
	EXPECT_IN(c, "points", "8");
	EXPECT_IN(c, "best", "90%");
	EXPECT_IN(c, "worst", "50%");
	EXPECT_IN(c, "overlapping", "error: no row of table 't.overlapping' applies, and it has no 'default' row; add a row for this case, or a 'default' row");

	c = tu_ctx(p, "{\"company\": {\"size\": \"midsize\", \"share\": \"5%\", \"new_exporter\": false}}");
	EXPECT_IN(c, "level", "\"light\"");
}

Test(vm, first_hit_with_unknown_rows)
{
	Program *p = tu_program(TABLES);
	/* share missing: the first row is undecided, so the result is too */
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\", \"new_exporter\": false}}");
	Value v;
	cr_assert_eq(tu_run(c, "level", &v), ST_OK);
	cr_assert_str_eq(missing(v), "company.share");
	/* a sum over rows, one undecided */
	cr_assert_eq(tu_run(c, "points", &v), ST_OK);
	cr_assert_str_eq(missing(v), "company.share");
}

/* ------------------------------------------------ defaults, exceptions */

static const char *DISB = "enum company_size = sme | midsize | large\n"
			  "fact company { size : company_size  share : percent optional }\n"
			  "decision conflict : duration\n"
			  "  default 30 days\n"
			  "  exception fast when company.share >= 10% then 14 days\n"
			  "  exception slow when company.size = midsize then 40 days\n"
			  "decision ordered : duration\n"
			  "  default 30 days\n"
			  "  exception fast when company.share >= 10% then 14 days\n"
			  "  exception slow when company.size = midsize then 40 days overrides fast\n"
			  "decision only_exceptions : duration\n"
			  "  default 30 days from 2030-01-01\n"
			  "  exception small when company.size = sme then 14 days\n"
			  "decision dated : int\n"
			  "  default 1\n"
			  "  exception later when true then 2 from 2027-01-01\n";

Test(vm, exceptions_beat_the_default)
{
	Program *p = tu_program(DISB);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\", \"share\": \"14%\"}}");
	EXPECT_IN(c, "conflict", "14 days");
	EXPECT_IN(c, "ordered", "14 days");
	EXPECT_IN(c, "only_exceptions", "14 days");
	c = tu_ctx(p, "{\"company\": {\"size\": \"large\", \"share\": \"1%\"}}");
	EXPECT_IN(c, "conflict", "30 days");
	EXPECT_IN(c, "only_exceptions", "error: no case of 't.only_exceptions' applies on 2026-12-01, and it has no default");
}

Test(vm, conflict_between_exceptions)
{
	Program *p = tu_program(DISB);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"midsize\", \"share\": \"14%\"}}");
	Value v;
	int st = tu_run(c, "conflict", &v);
	cr_assert_eq(st, ST_RUNTIME);
	cr_assert_str_eq(c->errmsg, "exception 'fast' (line 5) and exception 'slow' (line 6) both apply and neither overrides the "
				    "other; add 'overrides' to one of them");
	cr_assert_str_eq(c->errloc.file, "t.edict");
	cr_assert_eq(c->errloc.line, 3);
	EXPECT_IN(c, "ordered", "40 days");
}

Test(vm, an_undecided_exception_leaves_the_decision_open)
{
	Program *p = tu_program(DISB);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\"}}");
	Value v;
	cr_assert_eq(tu_run(c, "ordered", &v), ST_OK);
	cr_assert_str_eq(missing(v), "company.share");
	/* a midsize firm: 'slow' applies and overrides the undecided 'fast' */
	c = tu_ctx(p, "{\"company\": {\"size\": \"midsize\"}}");
	EXPECT_IN(c, "ordered", "40 days");
}

Test(vm, dated_cases_follow_the_as_of_date)
{
	Program *p = tu_program(DISB);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\"}}");
	EXPECT_IN(c, "dated", "1");
	date_parse("2027-01-01", 10, &c->as_of);
	EXPECT_IN(c, "dated", "2");
}

Test(vm, dated_params)
{
	Program *p = tu_program("param share : percent\n"
			  "  from 2025-05-01 = 10%\n"
			  "  from 2027-01-01 until 2028-01-01 = 8%\n");
	Ctx *c = tu_ctx(p, NULL);
	static const struct {
		const char *day, *want;
	} days[] = {{"2025-04-30", "error: the parameter 't.share' has no value on 2025-04-30"},
		    {"2025-05-01", "10%"},
		    {"2026-12-31", "10%"},
		    {"2027-01-01", "8%"},
		    {"2027-12-31", "8%"},
		    {"2028-01-01", "10%"}};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		date_parse(days[i].day, 10, &c->as_of);
		cr_expect_str_eq(tu_show(c, "share"), days[i].want, "on %s", days[i].day);
	}
}

/* ------------------------------------------------------------- memo */

Test(vm, decisions_are_decided_once_per_evaluation)
{
	/* a decision used many times costs one evaluation: the steps show it */
	Program *p = tu_program("function slow(n : int) : int = sum(i for i in range(1, n))\n"
			  "decision base : int = slow(1000)\n"
			  "decision twice : int = base + base\n");
	Ctx *c = tu_ctx(p, NULL);
	Value v;
	cr_assert_eq(tu_run(c, "base", &v), ST_OK);
	unsigned long long one = c->steps;
	cr_assert_eq(tu_run(c, "twice", &v), ST_OK);
	cr_assert_str_eq(fmt_value_str(p, v), "1001000");
	cr_assert_lt(c->steps, one + one / 2, "base is evaluated once, not twice (%llu vs %llu steps)", c->steps, one);
}

/* ------------------------------------------------------------- limits */

Test(vm, step_limit_stops_runaway_evaluation)
{
	Program *p = tu_program("function fib(n : int) : int = if n < 2 then n else fib(n - 1) + fib(n - 2)\n");
	Ctx *c = tu_ctx(p, NULL);
	c->max_steps = 1000;
	Value v;
	int st = tu_run(c, "fib(25)", &v);
	cr_assert_eq(st, ST_LIMIT);
	cr_assert_str_eq(c->errmsg,
			 "this evaluation took more than 1000 steps; it may loop without end, or the step limit is too low");
	/* the same context works again after a reset, within the limit */
	c->max_steps = VM_DEFAULT_MAX_STEPS;
	cr_assert_eq(tu_run(c, "fib(15)", &v), ST_OK);
	cr_assert_str_eq(fmt_value_str(p, v), "610");
}

Test(vm, recursion_depth_limit)
{
	Program *p = tu_program("function forever(n : int) : int = forever(n + 1)\n"
			  "function down(n : int) : int = if n = 0 then 0 else down(n - 1)\n");
	Ctx *c = tu_ctx(p, NULL);
	Value v;
	int st = tu_run(c, "forever(1)", &v);
	cr_assert_eq(st, ST_LIMIT);
	cr_assert_str_eq(c->errmsg, xprintf("decisions and functions call each other more than %d deep", VM_MAX_DEPTH));
	cr_assert_eq(c->errloc.line, 1);
	/* well below the limit is fine */
	cr_assert_eq(tu_run(c, "down(50)", &v), ST_OK);
	cr_assert_str_eq(fmt_value_str(p, v), "0");
}

Test(vm, a_small_thread_stack_stops_a_deep_recursion_cleanly)
{
	tu_expect_small_stack_stops(tu_ctx(tu_program(TU_DEEP_RULES), NULL));
}

Test(vm, a_large_thread_stack_holds_the_same_recursion)
{
	tu_expect_large_stack_holds(tu_ctx(tu_program(TU_DEEP_RULES), NULL));
}

Test(vm, memory_limit_stops_a_large_evaluation)
{
	Program *p = tu_program("function numbers(n : int) : list of int = [i * 2 for i in range(1, n)]\n");
	Ctx *c = tu_ctx(p, NULL);
	c->max_bytes = 4096;
	Value v;
	int st = tu_run(c, "length(numbers(100000))", &v);
	cr_assert_eq(st, ST_LIMIT, "status %d: %s", st, c->errmsg ? c->errmsg : "");
	cr_assert_str_eq(c->errmsg, "this evaluation needs more than the memory limit of 4096 bytes");
	c->max_bytes = VM_DEFAULT_MAX_BYTES;
	cr_assert_eq(tu_run(c, "length(numbers(100))", &v), ST_OK);
	cr_assert_str_eq(fmt_value_str(p, v), "100");
}

/* Facts with n texts of len bytes, each of them 'x', and a key as long
 * whose last byte differs, so that every comparison reads it all. */
static const char *long_texts(int n, size_t len)
{
	char *t = GC_MALLOC_ATOMIC(len + 1);
	memset(t, 'x', len);
	t[len] = 0;
	const char *items = "";
	for (int i = 0; i < n; i++)
		items = xprintf("%s%s\"%s\"", items, i ? ", " : "", t);
	t[len - 1] = 'y';
	return xprintf("{\"doc\": {\"texts\": [%s], \"key\": \"%s\"}}", items, t);
}

/* Each query q[i][0] stops at a limit of 10000 steps with the step-limit
 * message, and gives q[i][1] under the default limit, in more than `least`
 * steps. */
static void stops_at_10000_steps(Program *p, Ctx *c, const char *const (*q)[2], size_t n, unsigned long long least)
{
	for (size_t i = 0; i < n; i++) {
		Value v;
		c->max_steps = 10000;
		int st = tu_run(c, q[i][0], &v);
		cr_expect_eq(st, ST_LIMIT, "%s: status %d", q[i][0], st);
		cr_expect_str_eq(c->errmsg ? c->errmsg : "",
				 "this evaluation took more than 10000 steps; it may loop without end, or the step limit is too low",
				 "%s", q[i][0]);
		c->max_steps = VM_DEFAULT_MAX_STEPS;
		cr_expect_eq(tu_run(c, q[i][0], &v), ST_OK, "%s: %s", q[i][0], c->errmsg);
		cr_expect_str_eq(fmt_value_str(p, v), q[i][1], "%s", q[i][0]);
		cr_expect_gt(c->steps, least, "%s: %llu steps", q[i][0], c->steps);
	}
}

static const char LONG_TEXT_FACTS[] = "fact doc {\n  texts : list of string\n  key : string\n}\n";

/* The queries q over 32 texts of 64 KiB and a key as long stop at 10000
 * steps (stops_at_10000_steps); the query `light` over texts of 63 bytes,
 * which weigh nothing, costs a few steps a text, as it did. */
static void over_long_texts(const char *const (*q)[2], size_t n, unsigned long long least, const char *light)
{
	Program *p = tu_program(LONG_TEXT_FACTS);
	stops_at_10000_steps(p, tu_ctx(p, long_texts(32, 65536)), q, n, least);
	Ctx *c = tu_ctx(p, long_texts(32, 63));
	Value v;
	cr_assert_eq(tu_run(c, light, &v), ST_OK, "%s: %s", light, c->errmsg);
	cr_expect_lt(c->steps, 32 * 8, "%s: %llu steps", light, c->steps);
}

/* Comparing long texts spends steps in proportion to their bytes: 32
 * texts of 64 KiB, each compared once, take far more than 10000 steps
 * (a step for each 64 bytes), where they were a step a comparison. */
Test(vm, step_limit_counts_the_bytes_of_long_texts_compared)
{
	static const char *const q[][2] = {
		{"count(t for t in doc.texts where t = doc.key)", "0"},
		{"count(t for t in doc.texts where t != doc.key)", "32"},
		{"count(t for t in doc.texts where t <= doc.key)", "32"},
		{"count(t for t in doc.texts where doc.key < t)", "0"},
		{"doc.key in doc.texts", "false"},
		{"[doc.texts] = [doc.texts]", "true"},
	};
	over_long_texts(q, sizeof q / sizeof *q, 32 * 1024, "count(t for t in doc.texts where t = doc.key)");
}

/* min and max compare as the comparison operators do, a step for each 64
 * bytes of the texts they compare: over 32 texts of 64 KiB (in a list, as
 * arguments, two at a time, and in a comprehension) they take far more
 * than 10000 steps, where they took a step a comparison. */
Test(vm, step_limit_counts_the_bytes_of_long_texts_min_and_max_compare)
{
	static const char *const q[][2] = {
		{"count([min(doc.texts)])", "1"},
		{"count([max(doc.texts)])", "1"},
		{"count([max(t, doc.key, t) for t in doc.texts])", "32"},
		{"count([min(t, doc.key) for t in doc.texts])", "32"},
		{"count([max(doc.key, t) for t in doc.texts])", "32"},
		{"count([min(t for t in doc.texts)])", "1"},
		{"count([max(t for t in doc.texts where true)])", "1"},
	};
	over_long_texts(q, sizeof q / sizeof *q, 31 * 1024,
			"count([min(t for t in doc.texts), max(doc.texts), min(doc.key, doc.key)])");
}

/* `in` spends the steps of comparing long texts only for the items it
 * looks at: finding the first of 32 texts of 64 KiB reads one of them, and
 * stays within 10000 steps, which the whole list would take three times
 * over (a text that is not there still stops at the limit). */
Test(vm, step_limit_counts_only_the_items_in_looks_at)
{
	Program *p = tu_program(LONG_TEXT_FACTS);
	Ctx *c = tu_ctx(p, long_texts(32, 65536));
	Value v;
	c->max_steps = 10000;
	cr_assert_eq(tu_run(c, "first(doc.texts) in doc.texts", &v), ST_OK, "%s", c->errmsg);
	cr_expect_str_eq(fmt_value_str(p, v), "true");
	cr_expect_gt(c->steps, 1024, "%llu steps", c->steps);
	cr_expect_lt(c->steps, 1024 + 64, "%llu steps", c->steps);
	static const char *const q[][2] = {{"doc.key in doc.texts", "false"}};
	stops_at_10000_steps(p, c, q, 1, 32 * 1024);
}

/* Tables over one text of len bytes, each 'x' (key), and a count that is
 * missing (n): `top` (hit max) and `agreed` (hit any) gather 32 rows that
 * all give the key; `open` (hit any) 16 that apply and 16 whose condition
 * waits for n, each of which could only change the result by giving
 * another value. */
static Program *long_row_tables(void)
{
	const char *rows = "", *half = "";
	for (int i = 0; i < 32; i++)
		rows = xprintf("%s  when doc.key != \"\" then doc.key\n", rows);
	for (int i = 0; i < 16; i++)
		half = xprintf("%s  when doc.key != \"\" then doc.key\n  when doc.n > 0 then doc.key\n", half);
	return tu_program(xprintf("fact doc {\n  key : string\n  n : int\n}\n"
				  "table top : string hit max\n%stable agreed : string hit any\n%s"
				  "table open : string hit any\n%s", rows, rows, half));
}

static const char *one_text(size_t len)
{
	char *t = GC_MALLOC_ATOMIC(len + 1);
	memset(t, 'x', len);
	t[len] = 0;
	return xprintf("{\"doc\": {\"key\": \"%s\"}}", t);
}

/* Tables that compare what their rows give (hit max, hit any, and the
 * check of rows that wait for facts) spend the steps of comparing long
 * texts as the comparison operators do: 32 rows giving a text of 64 KiB
 * take far more than 10000 steps, where they took a few steps a row. */
Test(vm, step_limit_counts_the_bytes_of_long_row_values_tables_compare)
{
	Program *p = long_row_tables();
	static const char *const q[][2] = {
		{"count([top])", "1"},
		{"count([agreed])", "1"},
		{"count([open])", "1"},
	};
	stops_at_10000_steps(p, tu_ctx(p, one_text(65536)), q, sizeof q / sizeof *q, 30 * 1024);
	Ctx *c = tu_ctx(p, one_text(63));
	Value v;
	cr_assert_eq(tu_run(c, "count([open])", &v), ST_OK, "%s", c->errmsg);
	cr_expect_str_eq(fmt_value_str(p, v), "1");
	cr_expect_lt(c->steps, 32 * 32, "%llu steps", c->steps); /* about 16 a row, whatever compares */
}

/* Under hit any, a row that waits for facts matters only where it could
 * give another value than the rows that apply; under hit priority, only
 * where it could outrank one of them: the result is then unknown for its
 * facts, else the value of the rows that apply. */
Test(vm, undecided_rows_matter_only_where_they_could_change_the_result)
{
	Program *p = tu_program("enum grade = high | mid | low\n"
				"fact f { a : bool  b : bool }\n"
				"table same : int hit any\n  when true then 1\n  when f.a then 1\n  when true then 1\n"
				"table other : int hit any\n  when true then 1\n  when f.a then 2\n"
				"table split : int hit any\n  when true then 1\n  when f.b then 2\n  when f.a then 1\n"
				"table below : grade hit priority\n  when true then mid\n  when f.a then low\n  when true then low\n"
				"table above : grade hit priority\n  when true then low\n  when f.a then low\n  when f.b then high\n"
				"table nothing : grade hit priority\n  when f.a then low\n  default mid\n");
	Ctx *c = tu_ctx(p, "{\"f\": {\"b\": false}}");
	Value v;
	EXPECT_IN(c, "same", "1");
	cr_assert_eq(tu_run(c, "other", &v), ST_OK);
	cr_expect_str_eq(missing(v), "f.a");
	/* f.a's row would give the value of the rows that apply */
	EXPECT_IN(c, "split", "1");
	EXPECT_IN(c, "below", "mid");
	EXPECT_IN(c, "above", "low");
	cr_assert_eq(tu_run(c, "nothing", &v), ST_OK);
	cr_expect_str_eq(missing(v), "f.a");
	c = tu_ctx(p, "{\"f\": {\"a\": true}}");
	cr_assert_eq(tu_run(c, "above", &v), ST_OK);
	cr_expect_str_eq(missing(v), "f.b");
	cr_assert_eq(tu_run(c, "split", &v), ST_OK);
	cr_expect_str_eq(missing(v), "f.b");
}

Test(vm, errors_carry_their_location)
{
	Program *p = tu_program("fact company { staff : int  us_staff : int }\n"
			  "decision ratio : decimal = company.us_staff / company.staff\n");
	Ctx *c = tu_ctx(p, "{\"company\": {\"staff\": 0, \"us_staff\": 3}}");
	Value v;
	cr_assert_eq(tu_run(c, "ratio", &v), ST_RUNTIME);
	cr_assert_str_eq(c->errmsg, "division by zero");
	cr_assert_eq(c->errloc.line, 2);
	cr_assert_eq(c->errloc.col, 28);
}

Test(vm, what_if_overrides)
{
	Program *p = tu_program(FIRM);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"sme\", \"us_export_share\": \"5%\"}}");
	EXPECT_IN(c, "priority", "false");
	Decl *e = prog_find_decl(p, "eligible");
	cr_assert_not_null(e);
	vm_override(c, e->index, val_bool(false));
	EXPECT_IN(c, "eligible", "false");
	EXPECT_IN(c, "award", "0 KRW");
	vm_clear_overrides(c);
	EXPECT_IN(c, "eligible", "true");
}

Test(vm, compare_orders_values)
{
	cr_assert_eq(ar_order(val_int(1), val_int(2)), -1);
	cr_assert_eq(ar_order(val_int(2), val_int(2)), 0);
	cr_assert_eq(ar_order(val_date(10), val_date(3)), 1);
	Dec a = {15, -1}, b = {150, -2};
	cr_assert_eq(ar_order(val_dec(V_DEC, a, 0), val_dec(V_DEC, b, 0)), 0, "1.5 and 1.50 are equal");
	cr_assert_eq(ar_order(val_dur(2, DU_WEEKS), val_dur(13, DU_DAYS)), 1);
	/* texts by their bytes and lengths, a NUL inside included, as = reads them */
	cr_assert_eq(ar_order(val_str("a\0b", 3), val_str("a\0c", 3)), -1);
	cr_assert_eq(ar_order(val_str("a\0", 2), val_str("a", 1)), 1);
	cr_assert_eq(ar_order(val_str("ab", 2), val_str("abc", 3)), -1);
	cr_assert_eq(ar_order(val_str("abc", 3), val_str("abc", 3)), 0);
	cr_assert_eq(ar_order(val_str("\xc3\xa9", 2), val_str("z", 1)), 1, "bytes compare unsigned");
}

/* ------------------------------------------------------------ inlining */

/* Small functions that call no other are compiled into their callers
 * (compile.c, inline_call): the results must be those of a real call,
 * whatever the arguments are (locals, expressions, unknowns) and whatever
 * locals the body has of its own (let, match, loops). */
static const char *const INLINED =
	"enum size = sme | midsize | large\n"
	"fact company { size : size  staff : int  done : bool }\n"
	"function step_done(t : int) : bool =\n"
	"  if t = 6 then company.done else if t = 11 then true else false\n"
	"function weight(s : size) : int = match s { sme => 1, midsize => 2, default => 3 }\n"
	"function scaled(x : int, y : int) : int = let z = x * 10; z + y\n"
	"function total(n : int) : int = sum(i * n for i in range(1, 3))\n"
	"function twice(n : int) : int = scaled(n, n)\n"
	"decision pending : list of int = [t for t in [6, 11, 12] where not step_done(t)]\n"
	"decision mixed : int = scaled(weight(company.size), total(company.staff)) + twice(1)\n";

Test(vm, inlined_functions_compute_what_calls_do)
{
	Program *p = tu_program(INLINED);
	Ctx *c = tu_ctx(p, "{\"company\": {\"size\": \"midsize\", \"staff\": 2, \"done\": false}}");
	EXPECT_IN(c, "pending", "[6, 12]");
	/* weight = 2 -> z = 20; total(2) = 1*2 + 2*2 + 3*2 = 12; twice(1) = 11 */
	EXPECT_IN(c, "mixed", "43");
	EXPECT_IN(c, "[scaled(x, x + 1) for x in [1, 2]]", "[12, 23]");
	EXPECT_IN(c, "step_done(6) or step_done(11)", "true");
	/* an unknown argument or fact flows through the body as it does through a call */
	Ctx *u = tu_ctx(p, "{\"company\": {\"staff\": 1}}");
	Value v;
	cr_assert_eq(tu_run(u, "pending", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.done");
	cr_assert_eq(tu_run(u, "weight(company.size)", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.size");
}

Test(vm, small_leaf_functions_are_inlined_and_explain_mode_keeps_the_call)
{
	Program *p = tu_program(INLINED);
	int decl = -1;
	for (int i = 0; i < p->ndecls; i++)
		if (strcmp(p->decls[i]->name, "pending") == 0)
			decl = i;
	cr_assert_geq(decl, 0);
	Buf plain_code = {0}, traced = {0};
	disasm_chunk(p, p->dchunk[decl], &plain_code);
	disasm_chunk(p, cg_traced(p, decl, false), &traced);
	cr_expect_null(strstr(buf_cstr(&plain_code), "CALL"), "%s", buf_cstr(&plain_code));
	cr_expect_not_null(strstr(buf_cstr(&plain_code), "; company.done"), "%s", buf_cstr(&plain_code));
	/* the loop over [6, 11, 12] is unrolled: `t = 6` is decided as it is compiled */
	cr_expect_null(strstr(buf_cstr(&plain_code), "EQK"), "%s", buf_cstr(&plain_code));
	cr_expect_null(strstr(buf_cstr(&plain_code), "ITER"), "%s", buf_cstr(&plain_code));
	cr_expect_not_null(strstr(buf_cstr(&traced), "CALL"), "%s", buf_cstr(&traced));
	cr_expect_not_null(strstr(buf_cstr(&traced), "ITER"), "%s", buf_cstr(&traced));
	/* twice calls scaled, so it is called, not inlined: a recursion's depth stays as written */
	for (int i = 0; i < p->ndecls; i++)
		if (strcmp(p->decls[i]->name, "mixed") == 0)
			decl = i;
	Buf mixed = {0};
	disasm_chunk(p, p->dchunk[decl], &mixed);
	cr_expect_not_null(strstr(buf_cstr(&mixed), "; t.twice"), "%s", buf_cstr(&mixed));
	cr_expect_null(strstr(buf_cstr(&mixed), "; t.scaled"), "%s", buf_cstr(&mixed));
}

/* A loop over a constant list is unrolled, and one over a param's list
 * too, guarded: the unrolled code runs while the param has the value it
 * was compiled with; an override, or a date before the param applies,
 * runs the loop as written.  Both give what the loop gives. */
static const char *const UNROLLED =
	"fact company { a : bool  b : bool  n : int }\n"
	"param sequence : list of int\n"
	"  from 2025-01-01 = [6, 11, 12]\n"
	"function done(t : int) : bool = if t = 6 then company.a else if t = 11 then company.b else false\n"
	"decision pending : list of int = [t for t in sequence where not done(t)]\n"
	"decision total : int = sum(t * company.n for t in sequence where t != 11)\n"
	"decision above : int = count(t for t in [1, 2, 3] where t > company.n)\n"
	"decision nested : list of int = [sum(t * u for u in sequence where u > 6) for t in [1, 2]]\n"
	"decision eight : list of int = [t for t in [1, 2, 3, 4, 5, 6, 7, 8] where not company.b]\n";

static const char *disasm_of(Program *p, const char *name)
{
	Buf b = {0};
	disasm_chunk(p, p->dchunk[prog_find_decl(p, name)->index], &b);
	return buf_cstr(&b);
}

Test(vm, loops_over_constant_lists_are_unrolled_and_guarded)
{
	Program *p = tu_program(UNROLLED);
	const char *pending = disasm_of(p, "pending"), *above = disasm_of(p, "above");
	cr_expect_not_null(strstr(pending, "JNEK"), "%s", pending);
	cr_expect_null(strstr(above, "ITER"), "%s", above); /* a literal list needs no guard */
	cr_expect_null(strstr(above, "JNEK"), "%s", above);
	Ctx *c = tu_ctx(p, "{\"company\": {\"a\": true, \"b\": false, \"n\": 2}}");
	date_parse("2026-12-01", 10, &c->as_of);
	EXPECT_IN(c, "pending", "[11, 12]");
	EXPECT_IN(c, "total", "36");
	EXPECT_IN(c, "above", "1");
	/* appended without a branch while the list has room, and past its first room by the ACC */
	EXPECT_IN(c, "eight", "[1, 2, 3, 4, 5, 6, 7, 8]");
	EXPECT_IN(c, "[t for t in sequence where t > company.n * 5]", "[11, 12]");
	/* an override: the loop as written, over the new list */
	Value v;
	cr_assert_eq(tu_run(c, "[12, 6, 11, 11]", &v), ST_OK, "%s", c->errmsg);
	vm_override(c, prog_find_decl(p, "sequence")->index, v);
	EXPECT_IN(c, "pending", "[12, 11, 11]");
	EXPECT_IN(c, "total", "36");
	/* an equal list, though not the one compiled: the unrolled code */
	cr_assert_eq(tu_run(c, "[6, 11, 12]", &v), ST_OK, "%s", c->errmsg);
	vm_override(c, prog_find_decl(p, "sequence")->index, v);
	EXPECT_IN(c, "pending", "[11, 12]");
	vm_clear_overrides(c);
	EXPECT_IN(c, "pending", "[11, 12]");
	/* before the param applies, the loop fails as the param does */
	date_parse("2024-12-31", 10, &c->as_of);
	vm_reset(c);
	cr_assert_neq(tu_run(c, "pending", &v), ST_OK);
	cr_expect_str_eq(c->errmsg, "the parameter 't.sequence' has no value on 2024-12-31");
	/* an unknown fact in an unrolled condition leaves the result unknown, as in the loop */
	Ctx *u = tu_ctx(p, "{\"company\": {\"b\": true, \"n\": 1}}");
	date_parse("2026-12-01", 10, &u->as_of);
	cr_assert_eq(tu_run(u, "pending", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.a");
	EXPECT_IN(u, "nested", "[23, 46]");
	EXPECT_IN(u, "eight", "[]");
}

/* A decision compiled in line is decided once and kept in the memo; code
 * compiled so, run in explain mode, decides it as DECIDE does there and
 * records it. */
Test(vm, decisions_compiled_in_line_are_decided_once_and_recorded)
{
	Program *p = tu_program("fact company { a : int }\n"
				"decision base : int = company.a * 2\n"
				"decision top : int = base + base + 1\n");
	int base = prog_find_decl(p, "base")->index, top = prog_find_decl(p, "top")->index;
	const char *code = disasm_of(p, "top");
	cr_expect_not_null(strstr(code, "DECIDE_IN"), "%s", code);
	Ctx *c = tu_ctx(p, "{\"company\": {\"a\": 3}}");
	EXPECT_IN(c, "top", "13");
	cr_expect(ctx_memo_hit(c, base), "base is in the memo");
	cr_expect_eq(c->depth, 0);
	vm_reset(c);
	ctx_set_trace(c, true);
	Value v;
	cr_assert_eq(vm_eval_chunk(c, p->dchunk[top], &v), ST_OK, "%s", c->errmsg);
	cr_assert_str_eq(fmt_value_str(p, v), "13");
	bool recorded = false;
	for (int i = 0; i < c->nev; i++)
		recorded |= c->ev[i].kind == TR_DECISION && c->ev[i].a == base;
	cr_expect(recorded, "explain mode records the decision compiled in line");
}

/* The in-place paths of ADD, SUB, min and max (two values of one kind and
 * scale) give what the general ones give, and leave the rest to them:
 * wider results, other scales, unknowns, and wide numbers (beyond 64
 * bits), which have one header at one scale but are ordered by their
 * value, never their payload. */
Test(vm, in_place_arithmetic_and_min_max_agree_with_the_general_paths)
{
	Program *p = tu_program("fact company { a : money KRW  b : money KRW  r : percent  s : percent\n"
			  "  x : decimal  y : decimal  w : money KRW  v : money KRW }\n");
	Ctx *c = tu_ctx(p, "{\"company\": {\"a\": \"9000000000000000000 KRW\", \"b\": \"9000000000000000000 KRW\", "
			"\"r\": \"10%\", \"s\": \"10.0%\", \"x\": \"99999999999999999999999.5\", "
			"\"y\": \"11111111111111111111111.5\", \"w\": \"90000000000000000000 KRW\", "
			"\"v\": \"10000000000000000000 KRW\"}}");
	EXPECT_IN(c, "company.x > company.y", "true");
	EXPECT_IN(c, "company.y > company.x", "false");
	EXPECT_IN(c, "company.y >= company.x", "false");
	EXPECT_IN(c, "company.x < company.y", "false");
	EXPECT_IN(c, "min(company.x, company.y)", "11111111111111111111111.5");
	EXPECT_IN(c, "max(company.y, company.x)", "99999999999999999999999.5");
	EXPECT_IN(c, "min(company.w, company.v)", "10000000000000000000 KRW");
	EXPECT_IN(c, "max(company.v, company.w)", "90000000000000000000 KRW");
	EXPECT_IN(c, "company.w - company.v", "80000000000000000000 KRW");
	EXPECT_IN(c, "company.a + company.b", "18000000000000000000 KRW");
	EXPECT_IN(c, "company.a - company.b - company.b", "-9000000000000000000 KRW");
	EXPECT_IN(c, "company.r + company.s", "20.0%");
	EXPECT_IN(c, "sum(x for x in [company.a, company.b, 1 KRW])", "18000000000000000001 KRW");
	EXPECT_IN(c, "sum(x for x in [company.r, company.s, company.r])", "30.0%");
	EXPECT_IN(c, "min(company.a, company.b + 1 KRW)", "9000000000000000000 KRW");
	EXPECT_IN(c, "max(company.r, company.s)", "10%");
	EXPECT_IN(c, "min(company.s, company.r)", "10.0%");
	/* a test against a constant of any kind (EQK) is equality as '=' has it */
	EXPECT_IN(c, "company.s = 10%", "true");
	EXPECT_IN(c, "company.r = 10.00%", "true");
	EXPECT_IN(c, "company.a = 9000000000000000000 KRW", "true");
	EXPECT_IN(c, "company.r = 11%", "false");
	Ctx *u = tu_ctx(p, "{\"company\": {}}");
	Value v;
	cr_assert_eq(tu_run(u, "min(company.a, company.b)", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.a, company.b");
	cr_assert_eq(tu_run(u, "company.a - company.b", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.a, company.b");
	cr_assert_eq(tu_run(u, "company.r = 10%", &v), ST_OK, "%s", u->errmsg);
	cr_assert_str_eq(missing(v), "company.r");
}

/* Comparisons of numbers of one kind at two scales (a fact's 14.5% against
 * a threshold's 10%) are made in 64 bits when they fit, else in 128. */
Test(vm, comparisons_across_scales)
{
	Program *p = tu_program("fact company { share : percent  big : decimal }\n"
			  "param threshold : percent = 10%\n");
	Ctx *c = tu_ctx(p, "{\"company\": {\"share\": \"10.000%\", \"big\": \"9223372036854775807\"}}");
	EXPECT_IN(c, "company.share >= threshold", "true");
	EXPECT_IN(c, "company.share < threshold", "false");
	EXPECT_IN(c, "company.share > threshold", "false");
	EXPECT_IN(c, "company.big > 9223372036854775806.5", "true");
	EXPECT_IN(c, "company.big < 9223372036854775807.5", "true");
	/* scaling company.big to tenths passes 64 bits: the general path decides */
	EXPECT_IN(c, "company.big > 1.5", "true");
	EXPECT_IN(c, "company.big <= 1.5", "false");
}

/* LT, LE, GT and GE each give their own answer for less, equal and
 * greater, in place (whole numbers, amounts of one scale) and at two scales. */
Test(vm, each_comparison_for_each_order)
{
	Program *p = tu_program("fact company { one : int  two : int  r : percent  s : percent }\n");
	Ctx *c = tu_ctx(p, "{\"company\": {\"one\": 1, \"two\": 2, \"r\": \"10%\", \"s\": \"10.50%\"}}");
	static const char *const ops[] = {"<", "<=", ">", ">="};
	static const char *const pairs[][2] = {{"company.one", "company.two"}, {"company.two", "company.two"},
					       {"company.two", "company.one"}, {"company.r", "company.s"},
					       {"company.s", "company.s"}, {"company.s", "company.r"}};
	/* ops[o] of pairs[i]: less, equal, greater */
	static const bool want[4][3] = {{true, false, false}, {true, true, false}, {false, false, true}, {false, true, true}};
	for (int o = 0; o < 4; o++)
		for (int i = 0; i < 6; i++) {
			const char *e = xprintf("%s %s %s", pairs[i][0], ops[o], pairs[i][1]);
			EXPECT_IN(c, e, want[o][i % 3] ? "true" : "false");
		}
}

/* Either side of `otherwise` can decide it, so both sides' facts are missing. */
Test(vm, otherwise_lists_the_facts_of_both_sides)
{
	Program *p = tu_program("fact company { voucher_requested : money KRW optional  staff : int optional }\n");
	Ctx *c = tu_ctx(p, NULL);
	Value v;
	cr_assert_eq(tu_run(c, "company.voucher_requested otherwise company.staff * 1 KRW", &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
	cr_assert_not_null(v.as.m);
	cr_assert_eq(v.as.m->len, 2);
	cr_assert_str_eq(v.as.m->paths[0]->data, "company.staff");
	cr_assert_str_eq(v.as.m->paths[1]->data, "company.voucher_requested");
}

/* ------------------------------------------- members that carry a value */

Test(vm, members_with_values_compare_match_and_stay_unknown_without_them)
{
	Program *p = tu_program("enum prior_sale = none | most_recent of date\n"
				"fact sale { date : date  prior : prior_sale }\n"
				"decision recent : bool =\n"
				"  match sale.prior { most_recent(d) => d > sale.date - 2 years, none => false }\n"
				"decision kind : string = match sale.prior { most_recent => \"sold\", none => \"never\" }\n");
	Ctx *c = tu_ctx(p, "{\"sale\": {\"date\": \"2025-06-01\", \"prior\": {\"most_recent\": \"2024-06-01\"}}}");
	EXPECT_IN(c, "recent", "true");
	EXPECT_IN(c, "kind", "\"sold\"");
	EXPECT_IN(c, "sale.prior = most_recent(2024-06-01)", "true");
	EXPECT_IN(c, "sale.prior = most_recent(2024-06-02)", "false");
	EXPECT_IN(c, "sale.prior = none", "false");
	EXPECT_IN(c, "sale.prior in [none, most_recent(2024-06-01)]", "true");
	EXPECT_IN(c, "most_recent(sale.date)", "most_recent(2025-06-01)");
	c = tu_ctx(p, "{\"sale\": {\"date\": \"2025-06-01\", \"prior\": \"none\"}}");
	EXPECT_IN(c, "recent", "false");
	EXPECT_IN(c, "kind", "\"never\"");
	/* a member built from an unknown value is unknown */
	c = tu_ctx(p, "{\"sale\": {\"prior\": \"none\"}}");
	Value v;
	cr_assert_eq(tu_run(c, "most_recent(sale.date)", &v), ST_OK);
	cr_assert_str_eq(missing(v), "sale.date");
}

/* The values of an evaluation come from the context's region (mem.h): a
 * value kept after its chunk has been left behind, with the chunk reached
 * only through pointers into its inside, survives collections whole, and
 * the context's limit still counts every object. */
Test(vm, values_outlive_the_region_chunk_they_came_from)
{
	Program *p = tu_program("record step { task : int  done : bool }\n"
				"fact n : int\n"
				"decision steps : list of step = [{task: i, done: i mod 2 = 0} for i in range(1, n)]\n"
				"decision pending : list of int = [s.task for s in steps where not s.done]\n");
	Ctx *c = tu_ctx(p, "{\"n\": 7}");
	Value kept;
	cr_assert_eq(tu_run(c, "steps", &kept), ST_OK, "%s", c->errmsg);
	const char *want = fmt_value_str(p, kept);
	/* later evaluations take new chunks, larger ones as they go */
	for (int i = 0; i < 2000; i++) {
		Value v;
		cr_assert_eq(tu_run(c, "pending", &v), ST_OK, "%s", c->errmsg);
		cr_assert_str_eq(fmt_value_str(p, v), "[1, 3, 5, 7]");
		if (i % 500 == 0)
			GC_gcollect();
	}
	GC_gcollect();
	cr_assert_str_eq(fmt_value_str(p, kept), want);
	cr_assert_str_eq(want, "[{task: 1, done: false}, {task: 2, done: true}, {task: 3, done: false}, "
			       "{task: 4, done: true}, {task: 5, done: false}, {task: 6, done: true}, "
			       "{task: 7, done: false}]");
	/* the memory limit counts region objects as before */
	ctx_set_limits(c, 0, 200);
	Value v;
	cr_assert_eq(tu_run(c, "pending", &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "memory limit of 200 bytes"), "%s", c->errmsg);
}

/* ------------------------------------------------- superinstructions */

static const char FUSED_RULES[] =
	"fact company {\n  consulting : bool optional\n  finance : bool optional\n  logistics : bool optional\n"
	"  region : string optional\n  share : percent optional\n  staff : int optional\n  kind : size optional\n"
	"  pay : money optional\n}\n"
	"param sequence : list of int = [6, 11, 12, 14]\n"
	"param names : list of string = [\"a\", \"b\", \"c\"]\n"
	"param floor : percent = 10%\n"
	"function done(t : int) : bool =\n"
	"  if t = 6 then company.consulting\n  else if t = 11 then company.finance\n"
	"  else if t = 12 then company.logistics\n  else false\n"
	"function label(n : string) : int = if n = \"b\" then 1 else if n = company.region then 2 else 3\n"
	"decision pending : list of int = [t for t in sequence where not done(t)]\n"
	"decision labels : list of int = [label(n) for n in names]\n"
	"decision many : list of int = [i for i in range(1, 40) where not (i = 7)]\n"
	"decision high : bool = company.share >= floor and company.share < 50.125%\n"
	"decision level : int = if company.consulting then 1 else 2\n"
	"decision grant : int\n  default 1\n  exception more when company.finance then 2\n"
	"decision first : bool = done(6) or done(12)\n"
	"enum size = sme | midsize | large\n"
	"param sizes : list of size = [large, sme, midsize]\n"
	"param days : list of date = [2024-01-31, 2024-02-29]\n"
	"function rank(s : size) : int = if s = sme then 1 else if s = large then 2 else 3\n"
	"function leap(d : date) : bool = if d = 2024-02-29 then company.consulting else company.finance\n"
	"decision ranks : list of int = [rank(s) for s in sizes]\n"
	"decision leaps : list of date = [d for d in days where not leap(d)]\n"
	"decision staff_cap : int = min(company.staff, 50)\n"
	"decision staff_floor : int = max(company.staff, 50)\n"
	"decision staff_least : int = min(company.staff, 50, 7)\n"
	"decision least : percent = min(company.share, floor)\n"
	"function pair(a : int, b : int) : int = if a = 6 then 10 else if b = 7 then 20 else if a = 12 then 30 else 40\n"
	"decision pairs : list of int = [pair(t, t - 4) for t in sequence]\n"
	"param limit : int = 50\n"
	"param region_b : string = \"b\"\n"
	"param pay_floor : money = 100 USD\n"
	"decision sized : bool = company.kind in sizes\n"
	"decision at_limit : bool = company.staff = limit\n"
	"decision off_limit : bool = company.staff != limit or company.staff <= limit\n"
	"decision above : bool = company.staff > limit\n"
	"decision in_b : bool = company.region = region_b\n"
	"decision paid : bool = company.pay >= pay_floor\n"
	"decision both : bool = company.consulting and company.staff >= limit\n"
	"decision either : bool = company.consulting or company.staff >= limit\n"
	"decision unsure : bool = company.finance and company.staff < limit\n";

static const char *const FUSED_QUERIES[] = {"pending", "labels", "many", "high", "floor", "high",
					    "level", "grant", "first", "ranks", "leaps", "staff_cap", "staff_floor", "staff_least", "least", "pairs", "sized", "at_limit", "off_limit", "above", "in_b", "paid", "both", "either", "unsure"};

static const char *const FUSED_FACTS[] = {
	("{\"company\": {\"consulting\": true, \"finance\": false, \"logistics\": true, \"region\": \"c\", \"share\": \"10.5%\", "
	 "\"staff\": 50, \"kind\": \"midsize\", \"pay\": \"100.50 USD\"}}"),
	"{\"company\": {\"consulting\": false, \"region\": \"b\", \"share\": \"9.99%\", \"staff\": 7, \"pay\": \"99 KRW\"}}",
	"{\"company\": {}}",
};

/* Every superinstruction of p's chunks back to its first instruction: the
 * code as it was before cg_fuse, which the interpreter runs one by one. */
static void unfuse(Program *p)
{
	for (int i = 0; i < p->ndecls + p->nfuncs; i++) {
		Chunk *ch = i < p->ndecls ? p->dchunk[i] : p->fchunk[i - p->ndecls];
		for (int pc = 0; ch && pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
			ch->code[pc] = INS(INS_OP(ch->code[pc]), INS_A(ch->code[pc]));
	}
}

/* How many instructions of p's chunks are marked as superinstruction op. */
static int count_fused(const Program *p, OpCode op)
{
	int n = 0;
	for (int i = 0; i < p->ndecls + p->nfuncs; i++) {
		const Chunk *ch = i < p->ndecls ? p->dchunk[i] : p->fchunk[i - p->ndecls];
		for (int pc = 0; ch && pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])]) {
			cr_assert_lt(INS_OP(ch->code[pc]), OP__COUNT, "every word reads as a plain instruction");
			n += INS_RAW(ch->code[pc]) == (unsigned)op;
		}
	}
	return n;
}

/* How many instructions of decision d's chunk are marked as op. */
static int count_fused_in(const Program *p, const char *d, OpCode op)
{
	const Chunk *ch = p->dchunk[prog_find_decl(p, d)->index];
	int n = 0;
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
		n += INS_RAW(ch->code[pc]) == (unsigned)op;
	return n;
}

/* The value of q (with the facts it misses), or the error and its place. */
static const char *value_or_error(Ctx *c, const char *q)
{
	Value v;
	int st = tu_run(c, q, &v);
	if (st != ST_OK)
		return xprintf("error %d at %d:%d: %s", st, c->errloc.line, c->errloc.col, c->errmsg);
	return xprintf("%s%s%s", fmt_value_str(c->p, v), v.tag == V_UNKNOWN ? " " : "", v.tag == V_UNKNOWN ? missing(v) : "");
}

/* The value of q and the steps spent, or the error and its place. */
static const char *fused_outcome(Ctx *c, const char *q)
{
	const char *what = value_or_error(c, q);
	return xprintf("%s (%llu steps)", what, (unsigned long long)c->steps);
}

Test(vm, superinstructions_are_marked_and_read_as_their_first_instruction)
{
	Program *p = tu_program(FUSED_RULES);
	cr_expect_geq(count_fused(p, OP_LOCAL_EQK_IFTEST), 3, "if t = 6 / 11 / 12");
	/* whole numbers, members and dates compare in place; not `n = "b"` */
	cr_expect_eq(count_fused_in(p, "pending", OP_LOCAL_EQK_IFTEST), 3);
	cr_expect_eq(count_fused_in(p, "ranks", OP_LOCAL_EQK_IFTEST), 2, "s = sme, s = large");
	cr_expect_eq(count_fused_in(p, "leaps", OP_LOCAL_EQK_IFTEST), 1, "d = 2024-02-29");
	cr_expect_eq(count_fused_in(p, "labels", OP_LOCAL_EQK_IFTEST), 0, "a text constant");
	cr_expect_geq(count_fused(p, OP_NOT_FILTER), 1, "where not ...");
	cr_expect_geq(count_fused(p, OP_LOCAL_ACC_JUMP), 2, "[t for t in ...]");
	cr_expect_geq(count_fused(p, OP_FACTFIELD_JUMP), 2, "then company.consulting");
	/* a fact's truth on its way to `where not`: each branch that jumps there */
	cr_expect_eq(count_fused_in(p, "pending", OP_FACTFIELD_NOT_FILTER), 3);
	cr_expect_eq(count_fused_in(p, "leaps", OP_FACTFIELD_NOT_FILTER), 1, "the last branch falls through");
	cr_expect_eq(count_fused_in(p, "first", OP_FACTFIELD_NOT_FILTER), 0, "done(6) or done(12)");
	/* min and max of two; not of three */
	cr_expect_eq(count_fused_in(p, "staff_cap", OP_BUILTIN_MIN2), 1);
	cr_expect_eq(count_fused_in(p, "staff_floor", OP_BUILTIN_MAX2), 1);
	cr_expect_eq(count_fused_in(p, "staff_floor", OP_BUILTIN_MIN2), 0);
	cr_expect_eq(count_fused_in(p, "staff_least", OP_BUILTIN_MIN2), 0);
	cr_expect_geq(count_fused(p, OP_JUMP_RETURN), 3, "the end of a case or of a branch");
	cr_expect_geq(count_fused(p, OP_FACTFIELD_DECIDE), 1, "company.share >= floor");
	/* a fact's field against a decision, compared after them in line (vm.c: test_in_place) */
	const char *const against[] = {"sized", "at_limit", "off_limit", "above", "in_b", "paid", "both", "either", "unsure"};
	for (size_t i = 0; i < sizeof against / sizeof *against; i++)
		cr_expect_eq(count_fused_in(p, against[i], OP_FACTFIELD_DECIDE), 1 + (i == 2), "%s", against[i]);
	Buf b = {0};
	disasm_chunk(p, p->dchunk[prog_find_decl(p, "pending")->index], &b);
	cr_expect_not_null(strstr(buf_cstr(&b), "LOCAL "), "the listing shows the instructions as written");
	unfuse(p);
	cr_expect_eq(count_fused(p, OP_LOCAL_EQK_IFTEST) + count_fused(p, OP_NOT_FILTER) +
			     count_fused(p, OP_LOCAL_ACC_JUMP) + count_fused(p, OP_FACTFIELD_JUMP) +
			     count_fused(p, OP_JUMP_RETURN) + count_fused(p, OP_FACTFIELD_DECIDE) +
			     count_fused(p, OP_FACTFIELD_NOT_FILTER) + count_fused(p, OP_BUILTIN_MIN2) +
			     count_fused(p, OP_BUILTIN_MAX2),
		     0);
}

/* Each query on each facts under the limits from lim: the same values,
 * unknowns, errors, places and steps with the superinstructions as
 * without them. */
static void fused_same(unsigned long long steps_from, unsigned long long steps_to, size_t bytes_from, size_t bytes_to,
		       bool interrupt)
{
	Program *fused = tu_program(FUSED_RULES), *plain_code = tu_program(FUSED_RULES);
	unfuse(plain_code);
	static volatile sig_atomic_t flag = 1;
	for (size_t f = 0; f < sizeof FUSED_FACTS / sizeof *FUSED_FACTS; f++)
		for (unsigned long long s = steps_from; s <= steps_to; s++)
			for (size_t by = bytes_from; by <= bytes_to; by += 8) {
				Ctx *a = tu_ctx(fused, FUSED_FACTS[f]), *b = tu_ctx(plain_code, FUSED_FACTS[f]);
				ctx_set_limits(a, s, by);
				ctx_set_limits(b, s, by);
				if (interrupt) {
					ctx_set_interrupt(a, &flag);
					ctx_set_interrupt(b, &flag);
				}
				for (size_t q = 0; q < sizeof FUSED_QUERIES / sizeof *FUSED_QUERIES; q++) {
					const char *want = fused_outcome(b, FUSED_QUERIES[q]);
					cr_expect_str_eq(fused_outcome(a, FUSED_QUERIES[q]), want, "facts %zu, %llu steps, %zu bytes, %s",
							 f, s, by, FUSED_QUERIES[q]);
				}
			}
}

Test(vm, superinstructions_give_what_the_instructions_give)
{
	fused_same(VM_DEFAULT_MAX_STEPS, VM_DEFAULT_MAX_STEPS, VM_DEFAULT_MAX_BYTES, VM_DEFAULT_MAX_BYTES, false);
}

Test(vm, superinstructions_stop_at_the_same_step)
{
	/* every step limit in turn, so that one runs out inside each sequence */
	fused_same(1, 200, VM_DEFAULT_MAX_BYTES, VM_DEFAULT_MAX_BYTES, false);
}

Test(vm, superinstructions_stop_at_the_same_allocation_and_interrupt)
{
	fused_same(VM_DEFAULT_MAX_STEPS, VM_DEFAULT_MAX_STEPS, 16, 1200, false);
	fused_same(VM_DEFAULT_MAX_STEPS, VM_DEFAULT_MAX_STEPS, VM_DEFAULT_MAX_BYTES, VM_DEFAULT_MAX_BYTES, true);
}

/* ----------------------------------------------------- nested decisions */

/* Decisions that read decisions not yet decided, each in a frame of its
 * own: values, unknowns, errors and their places, and the limits. */
static const char NEST_RULES[] =
	"fact company { staff : int optional  us_staff : int optional  large : bool optional }\n"
	"param base_rate : int = 3\n"
	"decision rate : int = base_rate * 2\n"
	"decision share : decimal = company.us_staff / company.staff\n"
	"decision big : bool = share > 0.5 and company.large\n"
	"decision level : int = if big then rate + 1 else rate\n"
	"decision top : int = level + level + rate\n"
	"decision names : list of int = [i * level for i in range(1, 3)]\n"
	"decision doubled : list of int = [i * 2 for i in names]\n";

static const char *const NEST_FACTS[] = {
	"{\"company\": {\"staff\": 4, \"us_staff\": 3, \"large\": true}}",
	"{\"company\": {\"staff\": 4}}",
	"{\"company\": {\"staff\": 0, \"us_staff\": 3, \"large\": true}}",
};

Test(vm, nested_decisions_give_values_unknowns_and_errors_in_their_place)
{
	Program *p = tu_program(NEST_RULES);
	static const char *const want[][3] = {
		{"20", "[7, 14, 21]", "[14, 28, 42]"},
		{"unknown company.large, company.us_staff", "[unknown, unknown, unknown]", "[unknown, unknown, unknown]"},
		/* the error is the inner decision's, at its division */
		{"error 4 at 4:28: division by zero", "error 4 at 4:28: division by zero", "error 4 at 4:28: division by zero"},
	};
	for (size_t f = 0; f < sizeof NEST_FACTS / sizeof *NEST_FACTS; f++) {
		Ctx *c = tu_ctx(p, NEST_FACTS[f]);
		cr_expect_str_eq(value_or_error(c, "top"), want[f][0], "facts %zu", f);
		cr_expect_str_eq(value_or_error(c, "names"), want[f][1], "facts %zu", f);
		cr_expect_str_eq(value_or_error(c, "doubled"), want[f][2], "facts %zu", f);
		cr_expect_str_eq(value_or_error(c, "top"), want[f][0], "facts %zu, again", f);
	}
}

/* Decision `from` reads decision `to` where its code read decision `was`:
 * a circle the checker would have refused, made in the code itself. */
static void reroute(Program *p, const char *from, const char *was, const char *to)
{
	Chunk *ch = p->dchunk[prog_find_decl(p, from)->index];
	int w = prog_find_decl(p, was)->index, n = 0;
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
		if (INS_OP(ch->code[pc]) == OP_DECIDE && INS_A(ch->code[pc]) == w) {
			ch->code[pc] = INS(OP_DECIDE, prog_find_decl(p, to)->index);
			n++;
		}
	cr_assert_eq(n, 1);
}

Test(vm, nested_decisions_depending_on_themselves)
{
	/* rate a param: a decision this small would be compiled in line */
	Program *p = tu_program("param rate : int = 6\n"
				"decision loop_a : int = loop_b + 1\n"
				"decision loop_b : int = loop_c + 1\n"
				"decision loop_c : int = rate + 1\n");
	reroute(p, "loop_c", "rate", "loop_a");
	p->native = NULL; /* machine code, where a run made some, was made from the code as it was */
	Ctx *c = tu_ctx(p, NULL);
	/* where it comes round: at loop_c's reading of loop_a */
	cr_assert_str_eq(value_or_error(c, "loop_a"), "error 4 at 4:25: 't.loop_a' depends on itself");
	cr_assert_str_eq(value_or_error(c, "loop_b + 1"), "error 4 at 2:25: 't.loop_b' depends on itself");
	/* nothing is left half-decided */
	cr_assert_str_eq(value_or_error(c, "rate"), "6");
	cr_assert_str_eq(value_or_error(c, "loop_a"), "error 4 at 4:25: 't.loop_a' depends on itself");
}

Test(vm, nested_decisions_stop_at_the_depth_limit)
{
	/* n0 reads n1, which reads n2, ... each on its own line */
	Buf b = {0};
	int n = VM_MAX_DEPTH + 20;
	for (int i = 0; i < n - 1; i++)
		buf_printf(&b, "decision n%d : int = n%d + 1\n", i, i + 1);
	buf_printf(&b, "decision n%d : int = 0\n", n - 1);
	Program *p = tu_program(buf_cstr(&b));
	Ctx *c = tu_ctx(p, NULL);
	/* the decision one past the limit, at its start */
	cr_assert_str_eq(value_or_error(c, "n0"), xprintf("error 5 at %d:23: decisions and functions call each other more than %d deep",
						    VM_MAX_DEPTH + 1, VM_MAX_DEPTH));
	cr_assert_str_eq(value_or_error(c, "n30"), "189");
	/* a new context makes room for the callers as the chain goes deeper,
	 * each of them still there to go back to */
	Ctx *fresh = tu_ctx(p, NULL);
	cr_assert_str_eq(value_or_error(fresh, "n30"), "189");
	cr_assert_str_eq(value_or_error(fresh, "n25 - n30"), "5");
}

/* Lines 2 to 9 of NEST_RULES: the parameter and the decisions. */
static bool in_a_decision(const Ctx *c, bool inner)
{
	return c->errloc.line >= (inner ? 2 : 7) && c->errloc.line <= (inner ? 6 : 9);
}

Test(vm, nested_decisions_stop_at_every_step)
{
	Program *p = tu_program(NEST_RULES);
	Ctx *c = tu_ctx(p, NEST_FACTS[0]);
	Value v;
	cr_assert_eq(tu_run(c, "top", &v), ST_OK);
	unsigned long long all = c->steps;
	int inner = 0;
	for (unsigned long long s = 1; s <= all; s++) {
		c = tu_ctx(p, NEST_FACTS[0]);
		ctx_set_limits(c, s, VM_DEFAULT_MAX_BYTES);
		if (s == all) {
			cr_assert_str_eq(value_or_error(c, "top"), "20", "%llu steps", s);
			break;
		}
		cr_assert_eq(tu_run(c, "top", &v), ST_LIMIT, "%llu steps", s);
		cr_assert_str_eq(c->errmsg, ctx_steps_message(c));
		cr_assert(in_a_decision(c, false) || in_a_decision(c, true), "%llu steps: line %d", s, c->errloc.line);
		inner += in_a_decision(c, true);
	}
	cr_assert_gt(inner, 5, "the limit stops inside the decisions read, in their place");
}

Test(vm, nested_decisions_stop_at_every_allocation)
{
	Program *p = tu_program(NEST_RULES);
	bool met = false;
	for (size_t by = 16; by <= 600; by += 8) {
		Ctx *c = tu_ctx(p, NEST_FACTS[0]);
		ctx_set_limits(c, VM_DEFAULT_MAX_STEPS, by);
		Value v;
		int st = tu_run(c, "doubled", &v);
		if (st == ST_OK) {
			cr_assert_str_eq(fmt_value_str(p, v), "[14, 28, 42]", "%zu bytes", by);
			met = true;
			continue;
		}
		cr_assert(!met, "%zu bytes: a larger limit is enough when a smaller one is", by);
		cr_assert_eq(st, ST_LIMIT, "%zu bytes: %s", by, c->errmsg);
		cr_assert_str_eq(c->errmsg, xprintf("this evaluation needs more than the memory limit of %zu bytes", by));
		cr_assert(c->errloc.line == 8 || c->errloc.line == 9, "%zu bytes: line %d", by, c->errloc.line);
	}
	cr_assert(met);
}

/* The memo's test is one compare of a stamp with the epoch: a value kept
 * across evaluations carries a stamp every epoch reaches; the epoch wraps
 * around without a stamp from before passing for this evaluation's. */
Test(vm, memo_stamps_hold_across_the_epoch_wrapping_around)
{
	Program *p = tu_program(NEST_RULES);
	Ctx *c = tu_ctx(p, NEST_FACTS[0]);
	int rate = prog_find_decl(p, "rate")->index, level = prog_find_decl(p, "level")->index;
	c->epoch = STAMP_ALWAYS - 2;
	for (int i = 0; i < 4; i++) {
		cr_assert_str_eq(tu_show(c, "top"), "20", "evaluation %d", i);
		cr_assert_eq(c->state[rate], DS_KEPT, "evaluation %d", i);
		cr_assert_eq(c->stamp[level], c->epoch, "evaluation %d", i);
		vm_reset(c); /* the second time round, the epoch wraps around */
		cr_assert_lt(c->epoch, STAMP_ALWAYS);
		cr_assert(ctx_memo_hit(c, rate), "evaluation %d: rate is kept", i);
		cr_assert(!ctx_memo_hit(c, level), "evaluation %d, epoch %u: level is to decide again", i, c->epoch);
	}
	cr_assert_lt(c->epoch, 10u, "the epoch wrapped around");
}

/* A value kept across evaluations is decided again when the date changes. */
Test(vm, kept_decisions_are_dropped_when_the_date_changes)
{
	Program *p = tu_program("param share : percent\n"
			  "  from 2025-05-01 = 10%\n"
			  "  from 2027-01-01 = 8%\n"
			  "decision rate : percent = share\n");
	Ctx *c = tu_ctx(p, NULL);
	int rate = prog_find_decl(p, "rate")->index;
	date_parse("2026-12-31", 10, &c->as_of);
	for (int i = 0; i < 2; i++) {
		cr_assert_str_eq(tu_show(c, "rate"), "10%");
		cr_assert_eq(c->state[rate], DS_KEPT);
	}
	date_parse("2027-01-01", 10, &c->as_of);
	cr_assert_str_eq(tu_show(c, "rate"), "8%");
	cr_assert_eq(c->state[rate], DS_KEPT);
	date_parse("2026-12-31", 10, &c->as_of);
	cr_assert_str_eq(tu_show(c, "rate"), "10%");
}

Test(vm, nested_decisions_keep_fact_free_values_and_overrides)
{
	Program *p = tu_program(NEST_RULES);
	Ctx *c = tu_ctx(p, NEST_FACTS[0]);
	Value v;
	cr_assert_eq(tu_run(c, "top", &v), ST_OK);
	unsigned long long first = c->steps;
	/* rate reads no facts: kept from the first evaluation, it costs no steps now */
	cr_assert_eq(tu_run(c, "top", &v), ST_OK);
	cr_assert_str_eq(fmt_value_str(p, v), "20");
	cr_assert_lt(c->steps, first);
	vm_override(c, prog_find_decl(p, "level")->index, val_int(10));
	cr_assert_str_eq(value_or_error(c, "top"), "26");
	cr_assert_str_eq(value_or_error(c, "names"), "[10, 20, 30]");
	vm_clear_overrides(c);
	cr_assert_str_eq(value_or_error(c, "top"), "20");
	cr_assert_str_eq(value_or_error(c, "names"), "[7, 14, 21]");
}

/* What an evaluation writes in two contexts made one after the other (as
 * a command makes one for each of its threads): no cache line holds some
 * of each, so that two threads evaluating at once never write to one. */
typedef struct Span {
	uintptr_t first, last; /* the first and last cache line */
} Span;

static Span span(const void *p, size_t n)
{
	return (Span){(uintptr_t)p / MEM_LINE, ((uintptr_t)p + n - 1) / MEM_LINE};
}

static void spans_of(const Ctx *c, Span out[5])
{
	const Program *p = c->p;
	out[0] = span(c, sizeof *c);
	out[1] = span(c->facts, sizeof(Value) * (size_t)(p->nfacts + 1));
	out[2] = span(c->memo, sizeof(Value) * (size_t)(p->ndecls + 1));
	out[3] = span(c->state, (size_t)p->ndecls + 1);
	out[4] = span(c->stamp, sizeof(uint32_t) * ((size_t)p->ndecls + 1));
}

Test(vm, contexts_made_one_after_another_share_no_cache_line)
{
	Program *p = tu_program(NEST_RULES);
	Ctx *c0 = vm_new(p), *c1 = vm_new(p);
	cr_assert(c0 && c1);
	Span a[5], b[5];
	spans_of(c0, a);
	spans_of(c1, b);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 5; j++)
			cr_assert(a[i].last < b[j].first || b[j].last < a[i].first,
				  "part %d of one context and part %d of the other share a cache line", i, j);
}
