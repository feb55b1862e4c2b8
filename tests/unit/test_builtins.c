/*
 * test_builtins.c - unit tests for interp/builtins.c, the builtins table.
 *
 * The table itself (every name found, arities the checker enforces), and
 * what every builtin owes the limits: its steps are charged in proportion
 * to its work, before the work, so a million-item call stays within the
 * step limit and stops at an interrupt; `distinct` is linear (hashing) and
 * still keeps the first of equal values (1 = 1.0, 2 weeks = 14 days);
 * `x in list` costs a step per item.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>
#include <time.h>

#include "builtins.h"
#include "format.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(builtins, .init = setup);

static Ctx *plain(void)
{
	static Program *p;
	if (!p)
		p = tu_program("decision nothing : bool = true\n");
	return tu_ctx(p, NULL);
}

#define EXPECT(q, want) cr_expect_str_eq(tu_show(plain(), q), want, "%s", q)

static const char *steps_message(unsigned long long n)
{
	return xprintf("error: this evaluation took more than %llu steps; it may loop without end, or the step limit is too low", n);
}

Test(builtins, every_entry_is_found_by_its_name)
{
	cr_assert_gt(bi_count, 20);
	for (int i = 0; i < bi_count; i++) {
		cr_expect_eq(bi_lookup(bi_table[i].name), i, "%s", bi_table[i].name);
		cr_expect_not_null(bi_table[i].fn, "%s has no code", bi_table[i].name);
		cr_expect(bi_table[i].hi < 0 || bi_table[i].hi >= bi_table[i].lo, "%s", bi_table[i].name);
	}
	cr_expect_eq(bi_lookup("no_such_builtin"), -1);
}

Test(builtins, the_checker_applies_each_entrys_arity)
{
	for (int i = 0; i < bi_count; i++) {
		const BuiltinDef *b = &bi_table[i];
		if (b->hi < 0)
			continue;
		/* one argument too many */
		Buf args = {0};
		for (int k = 0; k <= b->hi; k++)
			buf_printf(&args, "%s1", k ? ", " : "");
		Diags *d = diag_new();
		tu_load(xprintf("decision x : int = %s(%s)\n", b->name, buf_cstr(&args)), d);
		cr_expect_geq(d->nerrors, 1, "%s", b->name);
		cr_expect(d->n && strstr(d->items[0].msg, xprintf("%s takes", b->name)), "%s: %s", b->name,
			  d->n ? d->items[0].msg : "");
	}
}

Test(builtins, distinct_keeps_the_first_of_equal_values)
{
	EXPECT("distinct([3, 1, 3, 2, 1])", "[3, 1, 2]");
	EXPECT("distinct([1.50, 1.5, 2, 2.0])", "[1.50, 2]");
	EXPECT("distinct([2 weeks, 14 days, 1 month])", "[2 weeks, 1 month]");
	EXPECT("distinct([100 KRW, 100.00 KRW, 5 KRW])", "[100 KRW, 5 KRW]");
	EXPECT("distinct([\"a\", \"b\", \"a\"])", "[\"a\", \"b\"]");
	EXPECT("distinct([[1, 2], [1, 2.0], [2]])", "[[1, 2], [2]]");
	EXPECT("distinct([])", "[]");
}

Test(builtins, distinct_of_a_million_items_is_linear)
{
	/* quadratic, this would compare 10^11 pairs */
	EXPECT("length(distinct(range(1, 1000000)))", "1000000");
	EXPECT("length(distinct([floor(i / 3) for i in range(1, 300000)]))", "100001");
}

Test(builtins, distinct_of_a_million_items_respects_the_step_limit)
{
	Ctx *c = plain();
	/* range makes a million numbers (a million steps), distinct needs a million more */
	c->max_steps = 1500000;
	cr_assert_str_eq(tu_show(c, "length(distinct(range(1, 1000000)))"), steps_message(1500000));
	cr_assert_leq(c->steps, c->max_steps);
	c->max_steps = 2100000;
	cr_assert_str_eq(tu_show(c, "length(distinct(range(1, 1000000)))"), "1000000");
}

Test(builtins, a_builtin_stops_at_an_interrupt)
{
	Ctx *c = plain();
	volatile sig_atomic_t stop = 1;
	c->interrupt = &stop;
	Value v;
	cr_assert_eq(tu_run(c, "length(distinct(range(1, 1000000)))", &v), ST_INTERRUPTED);
	cr_assert_str_eq(c->errmsg, "interrupted");
	stop = 0;
	cr_assert_str_eq(tu_show(c, "length(distinct(range(1, 10)))"), "10");
}

Test(builtins, membership_in_a_list_costs_a_step_per_item)
{
	Ctx *c = plain();
	c->max_steps = 1500000;
	cr_assert_str_eq(tu_show(c, "999999 in range(1, 1000000)"), steps_message(1500000));
	c->max_steps = 2100000;
	cr_assert_str_eq(tu_show(c, "999999 in range(1, 1000000)"), "true");
}

Test(builtins, sort_and_sum_are_charged_for_their_items)
{
	Ctx *c = plain();
	c->max_steps = 1500000;
	cr_assert_str_eq(tu_show(c, "length(sort(range(1, 1000000)))"), steps_message(1500000));
	cr_assert_str_eq(tu_show(c, "sum(range(1, 1000000))"), steps_message(1500000));
	c->max_steps = 2100000;
	cr_assert_str_eq(tu_show(c, "sum(range(1, 1000000))"), "500000500000");
}

/* Comparing and hashing read every byte of two equal texts: a list of a
 * thousand texts of 10,000 bytes is ten million bytes to read for each
 * pass, and is charged so (it took seconds, within a few thousand steps) */
Test(builtins, comparing_long_texts_is_charged_by_the_byte)
{
	Program *p = tu_program("decision t : string = join([\"a\" for i in range(1, 10000)])\n"
				"record r { name : string }\n"
				"decision rs : list of r = [{name: t} for j in range(1, 1000)]\n");
	const char *qs[] = {
		"length(distinct([t for j in range(1, 1000)]))",
		"length(union([t for j in range(1, 500)], [t for j in range(1, 500)]))",
		"length(sort([t for j in range(1, 1000)]))",
		"length(sort_desc([t for j in range(1, 1000)]))",
		"length(sort(j for j in range(1, 1000) by t))",
		"length(sort_by(range(1, 1000), [t for j in range(1, 1000)]))",
		"length(index_of([t for j in range(1, 1000)], t))",
		"length(distinct([[t] for j in range(1, 1000)]))",
		"length(distinct(rs))",
	};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		Ctx *c = tu_ctx(p, NULL);
		c->max_steps = 1000000;
		cr_expect_str_eq(tu_show(c, qs[i]), steps_message(1000000), "%s", qs[i]);
		cr_expect_leq(c->steps, c->max_steps, "%s", qs[i]);
		/* with room for the bytes, the same call gives its answer */
		c = tu_ctx(p, NULL);
		c->max_steps = 300000000;
		cr_expect_str_eq(tu_show(c, qs[i]), i == 0 || i == 1 || i == 7 || i == 8 ? "1" : "1000", "%s", qs[i]);
	}
}

Test(builtins, an_unknown_argument_makes_the_call_unknown_before_any_work)
{
	Program *p = tu_program("fact company { n : int optional }\n");
	Ctx *c = tu_ctx(p, "{\"company\": {}}");
	c->max_steps = 100;
	Value v;
	cr_assert_eq(tu_run(c, "length(distinct(range(1, company.n)))", &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
}

/* ------------------------------------------------ numbers for DMN models */

Test(builtins, powers_and_remainders_at_their_edges)
{
	EXPECT("2 ^ 10", "1024");
	EXPECT("2 ^ -2", "0.25");
	EXPECT("(-2) ^ 3", "-8");
	EXPECT("-2 ^ 2", "-4");
	EXPECT("2 ^ 3 ^ 2", "512");
	EXPECT("0 ^ 0", "1");
	EXPECT("1.5 ^ 2", "2.25");
	EXPECT("0.1 ^ 10000", "0");
	EXPECT("power(10, 3)", "1000");
	EXPECT("10 ^ 7000", "error: power: the result is too large for a decimal (34 digits, exponents to 6144)");
	EXPECT("0 ^ -1", "error: power: zero has no negative power (a division by zero)");
	EXPECT("(-8) ^ 0.5", "error: power of -8 has no value: a negative number has no power with a fractional exponent");
	EXPECT("7 mod 3", "1");
	EXPECT("-7 mod 3", "2");
	EXPECT("7 mod -3", "-2");
	EXPECT("-7 mod -3", "-1");
	EXPECT("7.5 mod 2", "1.5");
	EXPECT("10 KRW mod 3", "1 KRW");
	EXPECT("modulo(7, 2.5)", "2");
	EXPECT("modulo(7.5, 2)", "1.5");
	EXPECT("-9223372036854775807 mod -1", "0");
	EXPECT("5 mod 0", "error: division by zero in 5 mod 0");
	EXPECT("5.5 mod 0", "error: division by zero in 5.5 mod 0");
}

Test(builtins, roots_exponentials_logarithms_and_signs)
{
	EXPECT("sqrt(16)", "4");
	EXPECT("sqrt(2)", "1.414213562373095048801688724209698");
	EXPECT("sqrt(0)", "0");
	EXPECT("sqrt(-1)", "error: sqrt of -1 has no value: the square root needs a number not below zero");
	EXPECT("exp(0)", "1");
	EXPECT("exp(-100000)", "0");
	EXPECT("exp(100000)", "error: exp: the result is too large for a decimal (34 digits, exponents to 6144)");
	EXPECT("ln(1)", "0");
	EXPECT("ln(10)", "2.302585092994045684017991454684364");
	EXPECT("ln(0)", "error: ln of 0 has no value: the logarithm needs a number above zero");
	EXPECT("round(exp(ln(5)), 30)", "5.000000000000000000000000000000");
	EXPECT("sign(-3)", "-1");
	EXPECT("sign(0)", "0");
	EXPECT("sign(0.001)", "1");
	EXPECT("sign(-5 KRW)", "-1");
	EXPECT("sign(-2%)", "-1");
}

Test(builtins, rounding_modes_at_ties_and_on_negative_numbers)
{
	EXPECT("round(2.5)", "2");
	EXPECT("round_half_even(3.5)", "4");
	EXPECT("round_half_up(2.5)", "3");
	EXPECT("round_half_up(-2.5)", "-3");
	EXPECT("round_half_down(2.5)", "2");
	EXPECT("round_half_down(-2.5)", "-2");
	EXPECT("round_half_down(2.51)", "3");
	EXPECT("round_up(2.1)", "3");
	EXPECT("round_up(-2.1)", "-3");
	EXPECT("round_down(2.9)", "2");
	EXPECT("round_down(-2.9)", "-2");
	EXPECT("ceiling(-2.9)", "-2");
	EXPECT("floor(-2.1)", "-3");
	EXPECT("round_half_up(2.345, 2)", "2.35");
	EXPECT("round_half_up(1250 KRW, -2)", "1300 KRW");
	EXPECT("round_half_down(12.345%, 2)", "12.34%");
	EXPECT("round_up(3)", "3");
}

Test(builtins, round_to_a_unit)
{
	EXPECT("round_to(12_345 KRW, 10 KRW)", "12340 KRW");
	EXPECT("round_to(12_355 KRW, 10 KRW)", "12360 KRW");
	EXPECT("round_to(-12_355 KRW, 10 KRW)", "-12360 KRW");
	EXPECT("round_to(1234.567 USD, 0.01 USD)", "1234.57 USD");
	EXPECT("round_to(17, 5)", "15");
	EXPECT("round_to(0.126, 0.05)", "0.15");
	EXPECT("round_to(5 KRW, 0 KRW)", "error: round_to needs a unit that is not zero");
}

/* --------------------------------------------------- lists for DMN models */

Test(builtins, concatenation_indexing_first_and_last)
{
	EXPECT("concat([1, 2], [3], [])", "[1, 2, 3]");
	EXPECT("concat([[1], [2, 3]])", "[1, 2, 3]");
	EXPECT("concat([], [])", "[]");
	EXPECT("[10, 20, 30][1]", "10");
	EXPECT("[10, 20, 30][3]", "30");
	EXPECT("[10, 20, 30][-1]", "30");
	EXPECT("[10, 20, 30][-3]", "10");
	EXPECT("[10, 20, 30][4]", "error: there is no item 4 in a list of 3 items; items count from 1 (and from -1 at the end)");
	EXPECT("[10, 20, 30][0]", "error: there is no item 0 in a list of 3 items; items count from 1 (and from -1 at the end)");
	EXPECT("[10][-2]", "error: there is no item -2 in a list of 1 item; items count from 1 (and from -1 at the end)");
	EXPECT("first([4, 5])", "4");
	EXPECT("last([4, 5])", "5");
	EXPECT("first([])", "error: first of an empty list");
	EXPECT("last([])", "error: last of an empty list");
}

Test(builtins, reverse_flatten_index_of_sublist_union)
{
	EXPECT("reverse([1, 2, 3])", "[3, 2, 1]");
	EXPECT("reverse([])", "[]");
	EXPECT("flatten([[1], [], [2, 3]])", "[1, 2, 3]");
	EXPECT("flatten([[[1]], [[2]]])", "[[1], [2]]");
	EXPECT("index_of([1, 2, 1], 1)", "[1, 3]");
	EXPECT("index_of([1, 2], 5)", "[]");
	EXPECT("index_of([1.0, 2], 1)", "[1]");
	EXPECT("sublist([1, 2, 3, 4], 2, 2)", "[2, 3]");
	EXPECT("sublist([1, 2, 3, 4], 2)", "[2, 3, 4]");
	EXPECT("sublist([1, 2, 3, 4], -2)", "[3, 4]");
	EXPECT("sublist([1, 2], 1, 0)", "[]");
	EXPECT("sublist([], 1)", "[]");
	EXPECT("sublist([1, 2], 3)", "error: sublist cannot start at item 3 of a list of 2 items");
	EXPECT("sublist([1, 2], 1, 3)", "error: sublist of 3 items from item 1 goes past the end of a list of 2");
	/* the largest length: past the end from every start, never an overflow */
	EXPECT("sublist([1, 2, 3], 1, 9223372036854775807)",
	       "error: sublist of 9223372036854775807 items from item 1 goes past the end of a list of 3");
	EXPECT("sublist([1, 2, 3], 2, 9223372036854775807)",
	       "error: sublist of 9223372036854775807 items from item 2 goes past the end of a list of 3");
	EXPECT("sublist([1, 2, 3], 3, 9223372036854775807)",
	       "error: sublist of 9223372036854775807 items from item 3 goes past the end of a list of 3");
	EXPECT("sublist([1, 2, 3], -1, 9223372036854775807)",
	       "error: sublist of 9223372036854775807 items from item -1 goes past the end of a list of 3");
	EXPECT("sublist([], 1, 9223372036854775807)",
	       "error: sublist of 9223372036854775807 items from item 1 goes past the end of a list of 0");
	EXPECT("union([1, 2], [2, 3], [3, 1])", "[1, 2, 3]");
	EXPECT("union([], [])", "[]");
	EXPECT("union([1.0], [1])", "[1.0]");
}

Test(builtins, sums_of_no_items_are_zero_of_their_kind)
{
	EXPECT("sum([])", "0");
	EXPECT("sum(x for x in [1, 2] where x > 5)", "0");
	EXPECT("sum(x * 1 KRW for x in [1, 2] where x > 5)", "0 KRW");
	EXPECT("sum(p for p in [1%, 2%] where p > 5%)", "0%");
	EXPECT("sum(d for d in [1 day] where d > 5 days)", "0 days");
	EXPECT("sum(x * 0.5 for x in [1, 2] where x > 5)", "0");
}

Test(builtins, sorting_descending_and_by_keys)
{
	EXPECT("sort_desc([2, 3, 1])", "[3, 2, 1]");
	EXPECT("sort_desc([])", "[]");
	EXPECT("sort_by([\"a\", \"b\", \"c\"], [2, 1, 2])", "[\"b\", \"a\", \"c\"]");
	EXPECT("sort_by_desc([\"a\", \"b\", \"c\"], [2, 1, 2])", "[\"a\", \"c\", \"b\"]");
	EXPECT("sort_by([1, 2], [1])", "error: sort_by needs as many keys as items, but has 1 keys for 2 items");
}

/* ---------------------------------------------------- text for DMN models */

Test(builtins, text_tests_and_cases)
{
	EXPECT("contains(\"hello\", \"ell\")", "true");
	EXPECT("contains(\"hello\", \"\")", "true");
	EXPECT("contains(\"\", \"a\")", "false");
	EXPECT("starts_with(\"hello\", \"he\")", "true");
	EXPECT("starts_with(\"he\", \"hello\")", "false");
	EXPECT("ends_with(\"hello\", \"lo\")", "true");
	EXPECT("ends_with(\"hello\", \"\")", "true");
	EXPECT("upper(\"Hanbit 한빛\")", "\"HANBIT 한빛\"");
	EXPECT("lower(\"SELF-EMPLOYED\")", "\"self-employed\"");
	EXPECT("upper(\"\")", "\"\"");
}

Test(builtins, substring_replace_split_join)
{
	EXPECT("substring(\"한빛섬유\", 2, 2)", "\"빛섬\"");
	EXPECT("substring(\"hello\", 2)", "\"ello\"");
	EXPECT("substring(\"hello\", -3)", "\"llo\"");
	EXPECT("substring(\"hello\", 4, 10)", "\"lo\"");
	EXPECT("substring(\"hello\", 6)", "\"\"");
	EXPECT("substring(\"ab\", 4)", "error: substring cannot start at character 4 of a text of 2 characters");
	EXPECT("substring(\"ab\", 0)", "error: substring cannot start at character 0 of a text of 2 characters");
	EXPECT("substring(\"ab\", 1, -1)", "error: substring needs a length not below zero, not -1");
	/* the largest length takes the rest, from every start */
	EXPECT("substring(\"abc\", 1, 9223372036854775807)", "\"abc\"");
	EXPECT("substring(\"abc\", 2, 9223372036854775807)", "\"bc\"");
	EXPECT("substring(\"abc\", 3, 9223372036854775807)", "\"c\"");
	EXPECT("substring(\"abc\", 4, 9223372036854775807)", "\"\"");
	EXPECT("substring(\"abc\", -1, 9223372036854775807)", "\"c\"");
	EXPECT("replace(\"a-b-c\", \"-\", \"+\")", "\"a+b+c\"");
	EXPECT("replace(\"aaa\", \"aa\", \"b\")", "\"ba\"");
	EXPECT("replace(\"abc\", \"x\", \"y\")", "\"abc\"");
	EXPECT("replace(\"abc\", \"\", \"y\")", "error: replace needs a part to look for that is not empty");
	EXPECT("split(\"a,b,,c\", \",\")", "[\"a\", \"b\", \"\", \"c\"]");
	EXPECT("split(\"\", \",\")", "[\"\"]");
	EXPECT("split(\"a\", \"\")", "error: split needs a separator that is not empty");
	EXPECT("join([\"a\", \"b\"], \", \")", "\"a, b\"");
	EXPECT("join([\"a\", \"b\"])", "\"ab\"");
	EXPECT("join([])", "\"\"");
}

Test(builtins, string_writes_values_as_edict_does)
{
	EXPECT("string(12.50)", "\"12.50\"");
	EXPECT("string(50_000_000 KRW)", "\"50000000 KRW\"");
	EXPECT("string(12.5%)", "\"12.5%\"");
	EXPECT("string(2026-12-01)", "\"2026-12-01\"");
	EXPECT("string(2 weeks)", "\"2 weeks\"");
	EXPECT("string(true)", "\"true\"");
	EXPECT("string(\"as is\")", "\"as is\"");
	EXPECT("string([1, 2])", "\"[1, 2]\"");
	EXPECT("string(hs \"6205.20\")", "\"hs \\\"6205.20\\\"\"");
}

Test(builtins, the_new_builtins_are_unknown_for_an_unknown_argument)
{
	Program *p = tu_program("fact f { n : decimal optional  s : string optional  xs : list of int optional }\n");
	Ctx *c = tu_ctx(p, "{\"f\": {}}");
	static const char *const qs[] = {
		"f.n ^ 2", "2 ^ f.n", "f.n mod 2", "sqrt(f.n)", "exp(f.n)", "ln(f.n)", "sign(f.n)",
		"round_half_up(f.n)", "round_to(f.n, 5)", "concat(f.xs, [1])", "f.xs[1]", "first(f.xs)",
		"reverse(f.xs)", "sublist(f.xs, 1)", "union(f.xs, [1])", "index_of(f.xs, 1)", "contains(f.s, \"a\")",
		"upper(f.s)", "substring(f.s, 1)", "replace(f.s, \"a\", \"b\")", "split(f.s, \",\")",
		"join([f.s, \"a\"])", "string(f.n)", "sort_desc(f.xs)"};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		Value v;
		cr_assert_eq(tu_run(c, qs[i], &v), ST_OK, "%s: %s", qs[i], c->errmsg ? c->errmsg : "");
		cr_expect_eq(v.tag, V_UNKNOWN, "%s", qs[i]);
	}
}

Test(builtins, the_list_and_text_builtins_are_charged_for_their_work)
{
	Ctx *c = plain();
	c->max_steps = 1500000;
	cr_assert_str_eq(tu_show(c, "length(concat(range(1, 400000), range(1, 400000)))"), steps_message(1500000));
	cr_assert_str_eq(tu_show(c, "length(reverse(range(1, 1000000)))"), steps_message(1500000));
	cr_assert_str_eq(tu_show(c, "length(sort_desc(range(1, 1000000)))"), steps_message(1500000));
	c->max_steps = 10000;
	cr_assert_str_eq(tu_show(c, "length(replace(join([\"ab\" for i in range(1, 2000)]), \"a\", \"xyz\"))"),
			 steps_message(10000));
}

/* contains, split and replace look for a part in time in proportion to
 * the text they read, as they are charged: a part of 256 KiB that almost
 * matches at every place of a text of 1 MiB is looked for in milliseconds,
 * where comparing it in full at every place took seconds each time. */
Test(builtins, looking_for_a_long_part_takes_time_in_proportion_to_the_text)
{
	size_t n = (size_t)1 << 20, m = (size_t)256 << 10; /* the longest texts facts may hold */
	char *t = GC_MALLOC_ATOMIC(n + 1), *part = GC_MALLOC_ATOMIC(m + 1);
	memset(t, 'a', n);
	t[n] = 0;
	memset(part, 'a', m);
	part[m - 1] = 'b';
	part[m] = 0;
	Program *p = tu_program("fact doc {\n  text : string\n  part : string\n}\n");
	Ctx *c = tu_ctx(p, xprintf("{\"doc\": {\"text\": \"%s\", \"part\": \"%s\"}}", t, part));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_expect_str_eq(tu_show(c, "contains(doc.text, doc.part)"), "false");
	cr_expect_str_eq(tu_show(c, "count(split(doc.text, doc.part))"), "1");
	cr_expect_str_eq(tu_show(c, "replace(doc.text, doc.part, \"\") = doc.text"), "true");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_expect_lt(secs, 1.0, "%.2f s", secs);
}

Test(builtins, a_list_builtin_takes_a_for_as_its_list)
{
	EXPECT("sort(x for x in [3, 1, 2])", "[1, 2, 3]");
	EXPECT("distinct(x for x in [1, 1, 2] where x < 5)", "[1, 2]");
	EXPECT("reverse(x * 2 for x in [1, 2, 3] where x > 1)", "[6, 4]");
	EXPECT("first(x for x in [5, 6] where x > 5)", "6");
}

Test(builtins, sort_by_a_key_ascending_or_descending)
{
	EXPECT("sort(x for x in [3, 1, 2] by x descending)", "[3, 2, 1]");
	EXPECT("sort(x for x in [\"bb\", \"a\", \"ccc\"] by length(x))", "[\"a\", \"bb\", \"ccc\"]");
	EXPECT("sort(x for x in [\"bb\", \"a\", \"ccc\"] by length(x) descending)", "[\"ccc\", \"bb\", \"a\"]");
	EXPECT("sort(x for x in [1, 2, 3, 4] where x > 1 by -x ascending)", "[4, 3, 2]");
	/* equal keys keep their order */
	EXPECT("sort(x for x in [\"b\", \"a\", \"c\"] by 1)", "[\"b\", \"a\", \"c\"]");
	EXPECT("sort(x for x in [] by x)", "[]");
}
