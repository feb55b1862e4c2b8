/*
 * test_scale.c - unit tests for interp/scale.c, bracket schedules.
 *
 * A scale is declared in rule text and read through its builtins in
 * queries, on chosen as-of dates: the tax summed over brackets, the rate
 * and amount of the bracket a base falls in, the average rate, dated
 * thresholds and rates (with an `until`), bases on and below thresholds,
 * and the runtime errors of a scale with nothing in force.  The checker's
 * messages for slips in a scale are asserted with their place.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "load.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(scale, .init = setup);

static const char rules[] = "param tax_scale : scale\n"
                            "  bracket from 0 rate 10%\n"
                            "  bracket from 100 rate 20%\n"
                            "    threshold from 2027-01-01 = 150\n"
                            "    rate from 2028-01-01 = 25% until 2029-01-01\n"
                            "  bracket from 1000 rate 40%\n"
                            "param fee_scale : scale\n"
                            "  bracket from 10 KRW amount 100 KRW\n"
                            "  bracket from 50 KRW amount 70.5 KRW\n";

/* The value of q on `day`, in Edict notation. */
static const char *on(const char *day, const char *q)
{
	Ctx *c = tu_ctx(tu_program(rules), NULL);
	date_t d;
	cr_assert_eq(date_parse(day, strlen(day), &d), 0);
	ctx_set_as_of(c, d);
	return tu_show(c, q);
}

#define EXPECT_ON(day, q, want) cr_expect_str_eq(on(day, q), want, "%s on %s", q, day)

Test(scale, tax_sums_each_brackets_part)
{
	EXPECT_ON("2026-06-01", "marginal_tax(tax_scale, 0)", "0");
	EXPECT_ON("2026-06-01", "marginal_tax(tax_scale, 50)", "5");
	EXPECT_ON("2026-06-01", "marginal_tax(tax_scale, 100)", "10");
	/* 100 at 10%, 900 at 20%, 500 at 40% */
	EXPECT_ON("2026-06-01", "marginal_tax(tax_scale, 1500)", "390");
	EXPECT_ON("2026-06-01", "marginal_tax(tax_scale, 100.5)", "10.1");
}

Test(scale, a_base_on_a_threshold_is_in_the_bracket_it_starts)
{
	EXPECT_ON("2026-06-01", "marginal_rate(tax_scale, 99.99)", "10%");
	EXPECT_ON("2026-06-01", "marginal_rate(tax_scale, 100)", "20%");
	EXPECT_ON("2026-06-01", "marginal_rate(tax_scale, 1000)", "40%");
	EXPECT_ON("2026-06-01", "marginal_rate(tax_scale, -5)", "0%");
}

Test(scale, thresholds_and_rates_change_on_their_own_dates)
{
	EXPECT_ON("2026-12-31", "marginal_rate(tax_scale, 120)", "20%");
	EXPECT_ON("2027-01-01", "marginal_rate(tax_scale, 120)", "10%");
	EXPECT_ON("2027-01-01", "marginal_tax(tax_scale, 200)", "25");
	EXPECT_ON("2028-01-01", "marginal_tax(tax_scale, 200)", "27.5");
	/* the temporary rate ends: the bracket's own rate is back */
	EXPECT_ON("2029-01-01", "marginal_tax(tax_scale, 200)", "25");
}

Test(scale, average_rate)
{
	EXPECT_ON("2026-06-01", "average_rate(tax_scale, 1500)", "26%");
	EXPECT_ON("2026-06-01", "average_rate(tax_scale, 0)", "0%");
}

Test(scale, single_amounts)
{
	EXPECT_ON("2026-06-01", "bracket_amount(fee_scale, 5 KRW)", "0 KRW");
	EXPECT_ON("2026-06-01", "bracket_amount(fee_scale, 10 KRW)", "100 KRW");
	EXPECT_ON("2026-06-01", "bracket_amount(fee_scale, 49.99 KRW)", "100 KRW");
	EXPECT_ON("2026-06-01", "bracket_amount(fee_scale, 50 KRW)", "70.5 KRW");
}

Test(scale, nothing_in_force_is_a_runtime_error)
{
	Program *p = tu_program("param s : scale\n"
	                        "  bracket\n"
	                        "    threshold from 2026-01-01 = 0\n"
	                        "    rate from 2027-01-01 = 5%\n");
	Ctx *c = tu_ctx(p, NULL);
	date_t d;
	date_parse("2025-06-01", 10, &d);
	ctx_set_as_of(c, d);
	cr_expect_str_eq(tu_show(c, "marginal_tax(s, 10)"), "error: the scale has no bracket in force on 2025-06-01");
	date_parse("2026-06-01", 10, &d);
	ctx_set_as_of(c, d);
	cr_expect_str_eq(tu_show(c, "marginal_tax(s, 10)"),
	                 "error: bracket 1 of the scale has a threshold but no rate or amount in force on 2026-06-01");
}

/* The first error of text, at line:col. */
static void error_at(const char *text, const char *msg, int line, int col)
{
	Diags *d = diag_new();
	tu_load(text, d);
	cr_assert_gt(d->nerrors, 0, "expected an error in: %s", text);
	cr_expect_str_eq(d->items[0].msg, msg);
	cr_expect_eq(d->items[0].loc.line, line, "%s: line %d", msg, d->items[0].loc.line);
	cr_expect_eq(d->items[0].loc.col, col, "%s: col %d", msg, d->items[0].loc.col);
}

Test(scale, slips_are_reported_where_they_are)
{
	error_at("param s : scale\n  bracket from 0 rate 5%\n  bracket from 0 rate 6%\n",
	         "brackets 1 and 2 of 's' both start at 0", 3, 16);
	error_at("param s : scale\n  bracket from 0 rate 5%\n  bracket from 10 rate 0.06\n",
	         "a bracket's rate is a percentage, but this is a decimal number", 3, 24);
	error_at("param s : money KRW\n  bracket from 0 KRW rate 5%\n", "a parameter with brackets is a scale", 1, 11);
	error_at("decision d : scale = 5\n", "a scale is a parameter written with its brackets", 1, 14);
	error_at("param s : scale\n  bracket from 0 rate 5%\n    threshold from 2026-02-30 = 3\n",
	         "2026-02-30 is not a real date", 3, 20);
	error_at("param s : scale\n  bracket from 0 rate 5%\ndecision d : percent = marginal_rate(s, 5 KRW)\n",
	         "the scale's thresholds are a whole number, but this base is an amount of money in KRW", 3, 41);
}
