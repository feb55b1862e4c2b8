/*
 * test_check.c - unit tests for interp/check.c, the checker.
 *
 * Small rule sets are loaded from memory with load_sources (which parses,
 * checks and compiles); the tests look at the types the checker gives to
 * expressions (through query_compile, as `--query` does), at how names
 * resolve across modules, and at the exact text and place of its
 * diagnostics, which a policy officer has to understand.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "check.h"
#include "load.h"
#include "parse.h"
#include "query.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(check, .init = setup);

static Program *load2(const char *p1, const char *t1, const char *p2, const char *t2, Diags *d)
{
	const Source *s[2] = {tu_source(p1, t1), p2 ? tu_source(p2, t2) : NULL};
	return load_sources(s, p2 ? 2 : 1, d);
}

/* A rule file that must check cleanly. */
static Program *ok(const char *text)
{
	return tu_program(text);
}

/* A rule file with errors: its diagnostics. */
static Diags *errs(const char *text)
{
	Diags *d = diag_new();
	load2("t.edict", text, NULL, NULL, d);
	cr_assert_gt(d->nerrors, 0, "expected an error in: %s", text);
	return d;
}

/* The diagnostic with this exact message, which must exist. */
static const Diag *find(const Diags *d, const char *msg)
{
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->items[i].msg, msg) == 0)
			return &d->items[i];
	cr_assert_fail("no diagnostic \"%s\"; the first is \"%s\"", msg, d->n ? d->items[0].msg : "(none)");
	return NULL;
}

static void error_at(const char *text, const char *msg, int line, int col)
{
	const Diag *dg = find(errs(text), msg);
	cr_assert_eq(dg->sev, SEV_ERROR);
	cr_assert_eq(dg->loc.line, line, "line of \"%s\": %d", msg, dg->loc.line);
	cr_assert_eq(dg->loc.col, col, "column of \"%s\": %d", msg, dg->loc.col);
}

/* The type of a query over p, as the checker names it. */
static const char *qtype(Program *p, const char *q)
{
	Diags *d = diag_new();
	Query *qq = query_compile(p, q, "--query", d);
	cr_assert_not_null(qq, "query %s: %s", q, d->n ? d->items[0].msg : "");
	return ty_name(qq->type);
}

/* The first error of a query over p. */
static const Diag *qerror(Program *p, const char *q)
{
	Diags *d = diag_new();
	Query *qq = query_compile(p, q, "--query", d);
	cr_assert_null(qq, "query %s should not check", q);
	cr_assert_gt(d->nerrors, 0);
	return &d->items[0];
}

static const char *VOUCHER =
	"enum company_size = sme | midsize | large\n"
	"record kpi_report { month : int  exports : money USD  on_target : bool optional }\n"
	"fact company {\n"
	"  name : string optional\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_received : money KRW default 0 KRW\n"
	"  founded : date optional\n"
	"  hs_code : hscode optional\n"
	"}\n"
	"fact kpi_reports : list of kpi_report\n"
	"param voucher_cap : money KRW = 50_000_000 KRW\n"
	"param priority_share : percent\n"
	"  from 2025-05-01 = 10%\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.us_export_share >= priority_share\n"
	"decision award : money KRW = if eligible then voucher_cap - company.voucher_received else 0 KRW\n"
	"decision disbursement : duration\n"
	"  default 30 days\n"
	"  exception fast when priority then 14 days\n"
	"table level : string hit first\n"
	"  when company.us_export_share >= 50% then \"intensive\"\n"
	"  default \"light\"\n"
	"table services : list of string hit collect\n"
	"  when eligible then \"consulting\"\n"
	"function cap_left(received : money KRW) : money KRW = max(voucher_cap - received, 0 KRW)\n";

/* --------------------------------------------------------------- types */

Test(check, literal_types)
{
	Program *p = ok(VOUCHER);
	cr_assert_str_eq(qtype(p, "42"), "whole number");
	cr_assert_str_eq(qtype(p, "12.50"), "decimal number");
	cr_assert_str_eq(qtype(p, "10%"), "percentage");
	cr_assert_str_eq(qtype(p, "50_000_000 KRW"), "money in KRW");
	cr_assert_str_eq(qtype(p, "2025-05-01"), "date");
	cr_assert_str_eq(qtype(p, "14 days"), "duration");
	cr_assert_str_eq(qtype(p, "\"x\""), "text");
	cr_assert_str_eq(qtype(p, "hs \"6205.20\""), "tariff code");
	cr_assert_str_eq(qtype(p, "true"), "true/false");
	cr_assert_str_eq(qtype(p, "as_of"), "date");
	cr_assert_str_eq(qtype(p, "[1, 2]"), "list of whole number");
	cr_assert_str_eq(qtype(p, "sme"), "company_size");
}

Test(check, arithmetic_types)
{
	Program *p = ok(VOUCHER);
	cr_assert_str_eq(qtype(p, "1 + 2"), "whole number");
	cr_assert_str_eq(qtype(p, "1 / 2"), "decimal number", "int / int is decimal");
	cr_assert_str_eq(qtype(p, "1 + 0.5"), "decimal number");
	cr_assert_str_eq(qtype(p, "10% * 50_000_000 KRW"), "money in KRW", "a percentage of money is money");
	cr_assert_str_eq(qtype(p, "voucher_cap * 2"), "money in KRW");
	cr_assert_str_eq(qtype(p, "voucher_cap / 3"), "money in KRW");
	cr_assert_str_eq(qtype(p, "voucher_cap / 1000 KRW"), "decimal number", "money / money is a ratio");
	cr_assert_str_eq(qtype(p, "10% + 5%"), "percentage");
	cr_assert_str_eq(qtype(p, "10% * 10%"), "percentage");
	cr_assert_str_eq(qtype(p, "10% / 2"), "percentage");
	cr_assert_str_eq(qtype(p, "10% * 3"), "decimal number");
	cr_assert_str_eq(qtype(p, "2025-05-01 + 14 days"), "date");
	cr_assert_str_eq(qtype(p, "2025-05-01 - 2025-01-01"), "whole number", "date - date is days");
	cr_assert_str_eq(qtype(p, "2 weeks + 3 days"), "duration");
	cr_assert_str_eq(qtype(p, "3 * 14 days"), "duration");
	cr_assert_str_eq(qtype(p, "-voucher_cap"), "money in KRW");
}

Test(check, fact_decision_and_function_types)
{
	Program *p = ok(VOUCHER);
	cr_assert_str_eq(qtype(p, "company"), "company record");
	cr_assert_str_eq(qtype(p, "company.size"), "company_size");
	cr_assert_str_eq(qtype(p, "company.voucher_received"), "money in KRW");
	cr_assert_str_eq(qtype(p, "kpi_reports"), "list of kpi_report record");
	cr_assert_str_eq(qtype(p, "priority"), "true/false");
	cr_assert_str_eq(qtype(p, "t.award"), "money in KRW", "qualified with the module name");
	cr_assert_str_eq(qtype(p, "level"), "text");
	cr_assert_str_eq(qtype(p, "services"), "list of text");
	cr_assert_str_eq(qtype(p, "cap_left(1 KRW)"), "money in KRW");
}

Test(check, builtin_types)
{
	Program *p = ok(VOUCHER);
	cr_assert_str_eq(qtype(p, "count(r for r in kpi_reports where r.on_target)"), "whole number");
	cr_assert_str_eq(qtype(p, "sum(r.exports for r in kpi_reports)"), "money in USD");
	cr_assert_str_eq(qtype(p, "all(r.on_target for r in kpi_reports)"), "true/false");
	cr_assert_str_eq(qtype(p, "[r.month for r in kpi_reports where r.on_target]"), "list of whole number");
	cr_assert_str_eq(qtype(p, "min(1, 2.5)"), "decimal number");
	cr_assert_str_eq(qtype(p, "max([2025-01-01, as_of])"), "date");
	cr_assert_str_eq(qtype(p, "length(kpi_reports)"), "whole number");
	cr_assert_str_eq(qtype(p, "round(2.5)"), "whole number", "rounding to no places gives a whole number");
	cr_assert_str_eq(qtype(p, "round(2.567, 2)"), "decimal number");
	cr_assert_str_eq(qtype(p, "round(12.5%)"), "percentage", "a percentage rounds in percentage points");
	cr_assert_str_eq(qtype(p, "round(5)"), "whole number");
	cr_assert_str_eq(qtype(p, "round(voucher_cap / 3, -3)"), "money in KRW");
	cr_assert_str_eq(qtype(p, "amount(voucher_cap)"), "decimal number");
	cr_assert_str_eq(qtype(p, "chapter_of(hs \"6205.20\")"), "whole number");
	cr_assert_str_eq(qtype(p, "range(1, 6)"), "list of whole number");
	cr_assert_str_eq(qtype(p, "sort([3, 1])"), "list of whole number");
	cr_assert_str_eq(qtype(p, "days_between(2025-01-01, as_of)"), "whole number");
}

Test(check, conditions_and_forms)
{
	Program *p = ok(VOUCHER);
	cr_assert_str_eq(qtype(p, "company.size in [sme, midsize]"), "true/false");
	cr_assert_str_eq(qtype(p, "company.hs_code in chapter 62"), "true/false");
	cr_assert_str_eq(qtype(p, "company.founded is known"), "true/false");
	cr_assert_str_eq(qtype(p, "company.name otherwise \"(no name)\""), "text");
	cr_assert_str_eq(qtype(p, "if priority then 14 days else 30 days"), "duration");
	cr_assert_str_eq(qtype(p, "let x = 5; x * 2"), "whole number");
	cr_assert_str_eq(qtype(p, "match company.size { sme => 80%, default => 50% }"), "percentage");
	cr_assert_str_eq(qtype(p, "unknown"), "(error)", "a bare unknown has no type of its own");
}

/* --------------------------------------------------------- type errors */

Test(check, currency_mix_is_a_type_error)
{
	error_at("param a : money KRW = 1 KRW\nparam b : money USD = 1 USD\ndecision c : money KRW = a + b\n",
		 "cannot add an amount of money in KRW and an amount of money in USD: the currencies differ", 3, 26);
	const Diag *dg = find(errs("decision c : bool = 1 KRW < 1 USD\n"), "cannot compare an amount of money in KRW with an amount of money in USD");
	cr_assert_str_eq(dg->hint, "the currencies differ; convert with an explicit rate, as in amount(x) * 1400 KRW");
	error_at("decision c : decimal = 1 KRW / 1 USD\n",
		 "cannot divide an amount of money in KRW by an amount of money in USD: the currencies differ", 1, 24);
	error_at("decision c : money KRW = 1 KRW * 1 KRW\n", "cannot multiply two amounts of money", 1, 26);
}

Test(check, declared_result_type_must_match)
{
	error_at("decision x : int = \"a\"\n", "the value of 'x' should be a whole number, but this is text", 1, 20);
	error_at("decision x : percent = 0.5\n", "the value of 'x' should be a percentage, but this is a decimal number", 1, 24);
	const Diag *dg = find(errs("fact company { share : percent }\ndecision x : bool = company.share\n"),
			      "the value of 'x' should be true or false, but this is a percentage");
	cr_assert_str_eq(dg->hint, "compare it with something, as in 'company.share >= 10%'");
}

Test(check, logic_needs_conditions)
{
	error_at("decision x : bool = true and 1\n",
		 "each side of 'and' and 'or' should be true or false, but this is a whole number", 1, 30);
}

Test(check, plain_numbers_dates_and_percentages)
{
	const Diag *dg = find(errs("decision d : date = 2025-05-01 + 14\n"), "cannot add a plain number and a date");
	cr_assert_str_eq(dg->hint, "write the unit: '2025-05-01 + N days'");
	dg = find(errs("decision d : percent = 10% + 1\n"), "cannot add a percentage and a plain number");
	cr_assert_str_eq(dg->hint, "a percentage of something is written with '*', as in 10% * amount");
}

Test(check, lists_if_and_otherwise_need_one_type)
{
	error_at("decision x : list of int = [1, \"a\"]\n",
		 "a list holds values of one type: this is text, the ones before are a whole number", 1, 32);
	error_at("decision x : int = if true then 1 else \"a\"\n",
		 "both branches of 'if' must give one type, but 'then' gives a whole number and 'else' gives text", 1, 20);
	error_at("fact c { n : int optional }\ndecision x : int = c.n otherwise \"a\"\n",
		 "both sides of 'otherwise' must be of one type, but here are a whole number and text", 2, 20);
}

Test(check, match_must_be_exhaustive)
{
	const Diag *dg = find(errs("enum s = a | b | c\nfact f { v : s }\ndecision x : int = match f.v { a => 1, b => 2 }\n"),
			      "this match does not say what happens for: c");
	cr_assert_str_eq(dg->hint, "add a branch for each, or 'default => ...'");
	error_at("enum s = alpha | beta\nfact f { v : s }\ndecision x : int = match f.v { alpha => 1, zzz => 2, default => 3 }\n",
		 "'zzz' is not a member of s", 3, 44);
	error_at("decision x : int = match 3 { default => 1 }\n", "'match' works on an enumeration, but this is a whole number", 1,
		 26);
}

Test(check, literal_errors)
{
	error_at("decision d : date = 2025-02-29\n", "2025-02-29 is not a real date: that day does not exist in that month", 1, 21);
	error_at("decision h : hscode = hs \"abc\"\n", "\"abc\" is not a tariff code", 1, 23);
	const Diag *dg = find(errs("decision n : int = 99999999999999999999\n"), "this whole number is too large");
	cr_assert_str_eq(dg->hint, "whole numbers go up to 9223372036854775807, decimals to 34 digits: write 99999999999999999999.0 to make it a decimal");
	error_at("decision n : decimal = 1.00000000000000000000000000000000001\n",
		 "the number has more than 34 significant digits", 1, 24);
}

Test(check, builtin_argument_counts_and_types)
{
	error_at("decision b : int = round(1, 2, 3)\n", "round takes 1 or 2 arguments, not 3", 1, 20);
	error_at("decision b : int = length()\n", "length takes 1 argument, not 0", 1, 20);
	error_at("decision b : int = sum(3)\n", "sum needs a list, but this is a whole number", 1, 24);
	error_at("decision b : bool = all([1, 2])\n", "all needs true/false conditions, not a whole number", 1, 25);
	error_at("decision b : decimal = amount(3)\n", "amount needs money, not a whole number", 1, 31);
	error_at("decision b : decimal = round(2.5, 1.5)\n",
		 "the number of decimal places should be a whole number, but this is a decimal number", 1, 35);
}

Test(check, function_calls)
{
	error_at("function f(a : int) : int = a + 1\ndecision x : int = f(1, 2)\n", "f takes 1 argument, not 2", 2, 20);
	error_at("function f(a : int) : int = a + 1\ndecision x : int = f(\"a\")\n",
		 "argument 'a' should be a whole number, but this is text", 2, 22);
	error_at("function f(a : int) : int = a\ndecision x : int = f\n", "'f' is a function; it needs its arguments", 2, 20);
	error_at("decision d : int = 1\ndecision x : int = d(1)\n", "'d' is a decision, not a function; write it without parentheses",
		 2, 20);
}

/* --------------------------------------------------------------- names */

Test(check, unknown_names_with_suggestions)
{
	error_at("decision eligible : bool = true\ndecision y : bool = eligble\n",
		 "unknown name 'eligble'; did you mean 'eligible'?", 2, 21);
	error_at("enum s = sme | large\nfact f { v : s }\ndecision y : bool = f.v = smee\n",
		 "unknown name 'smee'; did you mean 'sme'?", 3, 27);
	const Diag *dg = find(errs("decision y : int = nothing_like_it\n"), "unknown name 'nothing_like_it'");
	cr_assert_null(dg->hint);
	/* a member in other letters */
	error_at("enum s = sme | large\nfact f { v : s }\ndecision y : bool = f.v = LARGE\n",
		 "unknown name 'LARGE'; did you mean 'large'?", 3, 27);
}

/* Three capital letters read as a currency code: a member spelt so is
 * suggested; otherwise the amount lacks its number. */
Test(check, currency_code_alone)
{
	error_at("enum s = sme | large\nfact f { v : s }\ndecision y : bool = f.v = SME\n",
		 "unknown name 'SME'; did you mean 'sme'? Three capital letters are read as a currency code", 3, 27);
	const Diag *dg = find(errs("decision x : money KRW = KRW\n"), "'KRW' is a currency code, and a currency needs an amount before it");
	cr_assert_str_eq(dg->hint, "write an amount such as '100 KRW'; names of three capital letters are reserved for currencies");
}

Test(check, unknown_fact_field_with_suggestion)
{
	error_at("fact company { us_export_share : percent }\ndecision x : bool = company.us_export_shar >= 10%\n",
		 "unknown fact 'company.us_export_shar'; did you mean 'company.us_export_share'?", 2, 21);
	/* a shortened name, word by word */
	error_at("fact company { size : string  us_export_share : percent }\ndecision x : bool = company.us_share >= 10%\n",
		 "unknown fact 'company.us_share'; did you mean 'company.us_export_share'?", 2, 21);
}

Test(check, unknown_type)
{
	const Diag *dg = find(errs("decision award : amount = 1\n"), "unknown type 'amount'");
	cr_assert_eq(dg->loc.col, 18);
	cr_assert_str_eq(dg->hint, "types are bool, int, decimal, money, percent, date, duration, string, hscode, 'list of T', "
				   "or an enum or record declared in the rules");
	error_at("decision c : percent KRW = 1%\n", "only money takes a currency", 1, 14);
}

Test(check, duplicates)
{
	const Diag *dg = find(errs("decision x : int = 1\ndecision x : int = 2\n"), "'x' is declared twice in module t");
	cr_assert_eq(dg->loc.line, 2);
	cr_assert_str_eq(dg->hint, "the other one is at t.edict:1");
	error_at("enum s = a | b\nenum s = c\n", "the type 's' is declared twice", 2, 6);
	error_at("enum s = a | b | a\n", "'a' is listed twice in s", 1, 18);
	error_at("record r { a : int  a : int }\n", "the field 'a' is declared twice in r", 1, 21);
	error_at("decision d : duration\n  default 1 day\n  exception e when true then 2 days\n  exception e when false then 3 days\n",
		 "two exceptions in d are named 'e'", 4, 3);
}

Test(check, duplicate_test_names)
{
	const char *two = "decision a : int = 1\ntest \"x\" {\n  expect a = 1\n}\ntest \"x\" {\n  expect a = 1\n}\n";
	const Diag *dg = find(errs(two), "the test \"x\" is declared twice in module t");
	cr_assert_eq(dg->loc.line, 5);
	cr_assert_eq(dg->loc.col, 6);
	cr_assert_str_eq(dg->hint, "the other one is at t.edict:2");
	/* one name in two modules, and two names in one, are fine */
	const char *one = "decision a : int = 1\ntest \"x\" {\n  expect a = 1\n}\n";
	Diags *d = diag_new();
	cr_assert_not_null(load2("t.edict", one, "u.edict", one, d));
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	ok("decision a : int = 1\ntest \"x\" {\n  expect a = 1\n}\ntest \"y\" {\n  expect a = 1\n}\n");
}

Test(check, overrides_must_name_an_exception)
{
	error_at("decision d : duration\n  default 1 day\n  exception a when true then 2 days overrides b\n",
		 "there is no exception named 'b' in d", 3, 47);
	error_at("decision d : duration\n  default 1 day\n  exception a when true then 2 days overrides a\n",
		 "an exception cannot override itself", 3, 47);
}

Test(check, dependency_cycle_names_the_circle)
{
	const Diag *dg = find(errs("decision award : int = cap + 1\ndecision cap : int = limit + 1\ndecision limit : int = award + 1\n"),
			      "'t.award' depends on itself: t.award -> t.cap -> t.limit -> t.award");
	cr_assert_eq(dg->loc.line, 1);
	cr_assert_eq(dg->loc.col, 10);
	cr_assert_str_eq(dg->hint, "a decision cannot be used to decide itself; break the circle");
}

/* n decisions, each using the next: d0 = d1 + 1, ..., d(n-1) = 1. */
static Diags *chain(int n)
{
	Buf b = {0};
	for (int i = 0; i < n - 1; i++)
		buf_printf(&b, "decision d%d : int = d%d + 1\n", i, i + 1);
	buf_printf(&b, "decision d%d : int = 1\n", n - 1);
	Diags *d = diag_new();
	cr_assert_not_null(load2("t.edict", buf_cstr(&b), NULL, NULL, d));
	return d;
}

Test(check, a_chain_deeper_than_an_evaluation_goes_is_a_warning)
{
	Diags *d = chain(200); /* as deep as an evaluation goes: quiet */
	cr_assert_eq(d->n, 0, "%s", d->n ? d->items[0].msg : "");
	d = chain(5000);
	cr_assert_eq(d->n, 1);
	cr_assert_eq(d->nerrors, 0);
	const Diag *dg = find(d, "'t.d4799' uses decisions and functions 201 deep (t.d4799 -> t.d4800 -> t.d4801 -> "
				 "t.d4802 -> ...); an evaluation goes at most 200 deep, so asking it stops with an error");
	cr_assert_eq(dg->sev, SEV_WARNING);
	cr_assert_eq(dg->loc.line, 4800);
}

Test(check, tables_declare_the_right_type)
{
	error_at("table t : string hit collect\n  when true then \"a\"\n",
		 "a table with 'hit collect' gives a list; declare it as 'list of text'", 1, 11);
	error_at("table t : string hit count\n  when true then \"a\"\n", "a table with 'hit count' gives a whole number; declare it as int",
		 1, 11);
}

Test(check, dated_cases)
{
	error_at("param p : percent\n  from 2026-01-01 until 2025-01-01 = 1%\n", "'until' must come after 'from'", 2, 25);
}

/* `company_size.sme` names the member of that enumeration (docs-13, fixed). */
Test(check, member_written_with_its_enumeration)
{
	Diags *d = diag_new();
	Program *p = load2("t.edict", "enum company_size = sme | large\n"
			  "enum band = sme | big\n"
			  "fact company { size : company_size }\n"
			  "decision s : bool = company.size = company_size.sme\n",
			  NULL, NULL, d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	Diags *qd = diag_new();
	Query *q = query_compile(p, "[company_size.sme, company_size.large]", "--query", qd);
	cr_assert_not_null(q, "%s", qd->n ? qd->items[0].msg : "");
	cr_assert_str_eq(ty_name(q->type), "list of company_size");
}

/* ------------------------------------------------------------- modules */

Test(check, modules_import_each_other_by_name)
{
	Diags *d = diag_new();
	Program *p = load2("budget.edict", "decision cap : int = 5\nfunction double(x : int) : int = x * 2\n", "voucher.edict",
			   "import budget\ndecision award : int = budget.cap + budget.double(1)\n", d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_str_eq(qtype(p, "voucher.award"), "whole number");
	Decl *a = prog_find_decl(p, "voucher.award");
	cr_assert_not_null(a);
	cr_assert_str_eq(a->qname, "voucher.award");
	cr_assert_eq(prog_find_decl(p, "award"), a, "a unique bare name finds the decision");
	cr_assert_not_null(prog_find_decl(p, "budget.double"));
	cr_assert_null(prog_find_decl(p, "nothing"));
}

Test(check, import_with_alias)
{
	Diags *d = diag_new();
	load2("budget.edict", "decision cap : int = 5\n", "voucher.edict", "import budget as b\ndecision award : int = b.cap + 1\n",
	      d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
}

Test(check, module_not_imported)
{
	Diags *d = diag_new();
	load2("budget.edict", "decision cap : int = 5\n", "voucher.edict", "decision award : int = budget.cap + 1\n", d);
	const Diag *dg = find(d, "module 'budget' is not imported here");
	cr_assert_str_eq(dg->loc.file, "voucher.edict");
	cr_assert_eq(dg->loc.col, 24);
	cr_assert_str_eq(dg->hint, "add 'import budget' at the top of this file");
}

Test(check, module_errors)
{
	Diags *d = diag_new();
	load2("budget.edict", "decision cap : int = 5\nprivate decision secret : int = 1\n", "voucher.edict",
	      "import budget\nimport budgets\ndecision award : int = budget.capp + budget.secret\n", d);
	find(d, "there is no module named 'budgets' in this rule set; did you mean 'budget'?");
	find(d, "module 'budget' has no decision, parameter or function named 'capp'; did you mean 'budget.cap'?");
	find(d, "'secret' is private to module 'budget'");
	cr_assert_eq(d->nerrors, 3);
}

Test(check, same_name_in_two_modules_needs_the_module)
{
	Diags *d = diag_new();
	Program *p = load2("a.edict", "decision cap : int = 1\n", "b.edict", "decision cap : int = 2\n", d);
	cr_assert_eq(d->nerrors, 0);
	const Diag *dg = qerror(p, "cap");
	cr_assert_str_eq(dg->msg, "'cap' is declared in several modules; write it with its module, as in module.cap");
	cr_assert_str_eq(qtype(p, "a.cap"), "whole number");
}

Test(check, types_and_facts_are_global)
{
	Diags *d = diag_new();
	load2("types.edict", "enum company_size = sme | large\nfact company { size : company_size }\n", "voucher.edict",
	      "decision small : bool = company.size = sme\n", d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
}

/* ------------------------------------------------------------ programs */

Test(check, program_tables)
{
	Program *p = ok(VOUCHER);
	cr_assert_eq(p->nmods, 1);
	cr_assert_str_eq(p->mods[0]->name, "t");
	cr_assert_eq(p->nfacts, 2);
	cr_assert_eq(p->nfuncs, 1);
	/* params, decisions and tables share the memo slots */
	cr_assert_eq(p->ndecls, 8);
	Decl *d = prog_find_decl(p, "t.disbursement");
	cr_assert_not_null(d);
	cr_assert_eq(p->decls[d->index], d);
	cr_assert_not_null(prog_find_fact(p, "company"));
	cr_assert_null(prog_find_fact(p, "compnay"));
}

Test(check, several_errors_in_one_run_in_file_order)
{
	Diags *d = errs("decision a : int = \"a\"\ndecision b : bool = 1 KRW + 1 USD > 0 KRW\ndecision c : int = nope\n");
	cr_assert_eq(d->nerrors, 3);
	cr_assert_eq(d->items[0].loc.line, 1);
	cr_assert_eq(d->items[1].loc.line, 2);
	cr_assert_eq(d->items[2].loc.line, 3);
}

Test(check, queries_report_into_their_own_text)
{
	Program *p = ok(VOUCHER);
	const Diag *dg = qerror(p, "award + 1 USD");
	cr_assert_str_eq(dg->msg, "cannot add an amount of money in KRW and an amount of money in USD: the currencies differ");
	cr_assert_str_eq(dg->loc.file, "--query");
	cr_assert_eq(dg->loc.col, 1);
	dg = qerror(p, "priorty");
	cr_assert_str_eq(dg->msg, "unknown name 'priorty'; did you mean 'priority'?");
}

Test(check, given_paths)
{
	Program *p = ok(VOUCHER);
	Diags *d = diag_new();
	TestStep s = {0};
	const char *path[] = {"company", "us_export_share"};
	s.kind = TS_GIVEN;
	s.path = path;
	s.npath = 2;
	s.expr = parse_expr(tu_source("<given>", "14%"), d);
	cr_assert_not_null(s.expr);
	int nlocals = 0;
	cr_assert(chk_given(p, prog_own(p, NULL), &s, d, &nlocals));
	cr_assert_str_eq(ty_name(s.type), "percentage");

	const char *bad_path[] = {"company", "us_export_shar"};
	s.path = bad_path;
	cr_assert_not(chk_given(p, prog_own(p, NULL), &s, d, &nlocals));
	cr_assert_str_eq(d->items[d->n - 1].msg, "unknown fact 'company.us_export_shar'; did you mean 'company.us_export_share'?");
}

/* The plural follows the number shown. */
Test(check, builtin_arity_message_says_at_least_one_argument)
{
	Diags *d = diag_new();
	tu_load("decision b : int = min()\n", d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "min takes at least 1 argument, not 0");
}

/* A member that carries a value is never written without it, nor a member
 * without one given a value; a match arm names only a value that is there. */
Test(check, members_that_carry_values_are_used_with_them)
{
	const char *rules = "enum prior_sale = none | most_recent of date\n"
			    "fact sale { prior : prior_sale }\n";
	struct {
		const char *decl, *msg;
	} cases[] = {
		{"decision a : bool = sale.prior = most_recent\n", "'most_recent' carries a date, and here it has none"},
		{"decision a : bool = sale.prior = none(2024-01-01)\n",
		 "'none' carries no value, so it takes nothing in brackets"},
		{"decision a : bool = match sale.prior { none(x) => true, most_recent => false }\n",
		 "'none' carries no value, so there is nothing to name 'x' here"},
		{"decision a : bool = sale.prior = most_recent(12)\n",
		 "the value of 'most_recent' should be a date, but this is a whole number"},
		{"decision a : bool = match sale.prior { most_recent(d) => d > 2024-01-01 }\n",
		 "this match does not say what happens for: none"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		Diags *d = diag_new();
		tu_load(xprintf("%s%s", rules, cases[i].decl), d);
		cr_assert_eq(d->nerrors, 1, "%s", cases[i].decl);
		cr_assert_str_eq(d->items[0].msg, cases[i].msg);
	}
	Diags *d = diag_new();
	tu_load(xprintf("%s%s", rules,
			"decision a : bool = match sale.prior { most_recent(d) => d > 2024-01-01, none => false }\n"
			"decision b : bool = match sale.prior { most_recent => true, default => false }\n"
			"decision c : bool = sale.prior = most_recent(2024-01-01) or sale.prior = none\n"),
		d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
}

Test(check, a_requirement_is_a_condition)
{
	Diags *d = diag_new();
	tu_load("fact company { employees : int }\n"
		"require \"never negative\": company.employees\n",
		d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "a requirement should be true or false, but this is a whole number");
}
