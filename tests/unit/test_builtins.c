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

#include "builtins.h"
#include "format.h"
#include "unit.h"

static void setup(void)
{
	GC_INIT();
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

Test(builtins, an_unknown_argument_makes_the_call_unknown_before_any_work)
{
	Program *p = tu_program("fact company { n : int optional }\n");
	Ctx *c = tu_ctx(p, "{\"company\": {}}");
	c->max_steps = 100;
	Value v;
	cr_assert_eq(tu_run(c, "length(distinct(range(1, company.n)))", &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
}
