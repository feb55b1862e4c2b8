/*
 * test_decimal.c - unit tests for interp/decimal.c.
 *
 * Most checks compare the plain text of a result, which shows both the value
 * and the scale ("2.50" is not "2.5").  Expected values of the long results
 * were computed independently with a 34-digit half-even decimal context.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "decimal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* Parse a literal that must be valid. */
static Dec P(const char *s)
{
	Dec d = {0, 0};
	DecStatus st = dec_parse(s, strlen(s), &d);
	cr_assert_eq(st, DEC_OK, "dec_parse(\"%s\"): %s", s, dec_status_text(st));
	return d;
}

/* Parse a JSON number that must be valid. */
static Dec J(const char *s)
{
	Dec d = {0, 0};
	DecStatus st = dec_parse_json(s, strlen(s), &d);
	cr_assert_eq(st, DEC_OK, "dec_parse_json(\"%s\"): %s", s, dec_status_text(st));
	return d;
}

static Dec mk(long long coef, int exp)
{
	Dec d;
	d.coef = coef;
	d.exp = exp;
	return d;
}

/* Format into one of a few rotating buffers. */
static const char *F(Dec d)
{
	static char bufs[4][DEC_FMT_MAX];
	static int next;
	char *b = bufs[next++ & 3];
	size_t n = dec_format(d, b);
	cr_assert_eq(n, strlen(b));
	return b;
}

static DecStatus parse_st(const char *s)
{
	Dec d;
	return dec_parse(s, strlen(s), &d);
}

static DecStatus json_st(const char *s)
{
	Dec d;
	return dec_parse_json(s, strlen(s), &d);
}

typedef DecStatus (*BinOp)(Dec, Dec, Dec *);

/* a op b must succeed with exactly the text `want`. */
static void op_ok(BinOp op, const char *a, const char *b, const char *want)
{
	Dec r = {0, 0};
	DecStatus st = op(P(a), P(b), &r);
	cr_assert_eq(st, DEC_OK, "%s ? %s: %s", a, b, dec_status_text(st));
	cr_assert_str_eq(F(r), want, "%s ? %s", a, b);
}

/* a op b must fail with `want`, leaving the result untouched. */
static void op_fails(BinOp op, Dec a, Dec b, DecStatus want)
{
	Dec r = mk(777, -1);
	DecStatus st = op(a, b, &r);
	cr_assert_eq(st, want, "got %s", dec_status_text(st));
	cr_assert(r.coef == 777 && r.exp == -1, "result written on failure");
}

static void round_ok(const char *a, int places, DecRound mode, const char *want)
{
	Dec r = {0, 0};
	DecStatus st = dec_round(P(a), places, mode, &r);
	cr_assert_eq(st, DEC_OK, "round(%s, %d, %d): %s", a, places, mode,
			dec_status_text(st));
	cr_assert_str_eq(F(r), want, "round(%s, %d, %d)", a, places, mode);
}

static int cmp(const char *a, const char *b)
{
	return dec_cmp(P(a), P(b));
}

/* 34 nines: the largest coefficient. */
#define NINES34 "9999999999999999999999999999999999"

/* ------------------------------------------------------------------ */
/* dec_parse                                                            */
/* ------------------------------------------------------------------ */

Test(decimal, parse_basic)
{
	Dec d = P("-12.50");
	cr_assert(d.coef == -1250);
	cr_assert_eq(d.exp, -2);
	d = P("0");
	cr_assert(d.coef == 0 && d.exp == 0);
	d = P("42");
	cr_assert(d.coef == 42 && d.exp == 0);
	d = P("0.5");
	cr_assert(d.coef == 5 && d.exp == -1);
}

Test(decimal, parse_keeps_scale)
{
	Dec d = P("10.00");
	cr_assert(d.coef == 1000);
	cr_assert_eq(d.exp, -2);
	d = P("0.000");
	cr_assert(d.coef == 0);
	cr_assert_eq(d.exp, -3);
	cr_assert_str_eq(F(P("1.50")), "1.50");
	cr_assert_str_eq(F(P("-0.0010")), "-0.0010");
}

Test(decimal, parse_leading_zeros)
{
	Dec d = P("007");
	cr_assert(d.coef == 7 && d.exp == 0);
	d = P("-000.50");
	cr_assert(d.coef == -50 && d.exp == -2);
	cr_assert_str_eq(F(P("0000123.4500")), "123.4500");
}

Test(decimal, parse_minus_zero_is_zero)
{
	Dec d = P("-0");
	cr_assert(d.coef == 0);
	cr_assert_eq(dec_sign(d), 0);
	cr_assert_str_eq(F(d), "0");
	cr_assert_str_eq(F(P("-0.00")), "0.00");
}

Test(decimal, parse_underscores)
{
	cr_assert(P("1_000").coef == 1000);
	cr_assert(P("50_000_000").coef == 50000000);
	Dec d = P("1_000.000_5");
	cr_assert(d.coef == 10000005 && d.exp == -4);
	cr_assert(P("-1_2_3").coef == -123);
}

Test(decimal, parse_underscore_errors)
{
	const char *bad[] = {"_1", "1_", "1__0", "1_.5", "1._5", "1.5_", "_",
		"-_1", "_.5", "1_000_"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(parse_st(bad[i]), DEC_SYNTAX, "\"%s\"", bad[i]);
}

Test(decimal, parse_syntax_errors)
{
	const char *bad[] = {"", ".", "-", "1.", ".5", "-.5", "+1", "1e3", " 1",
		"1 ", "1.2.3", "--1", "abc", "0x10", "1,5", "-1.", "1-", "12a"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(parse_st(bad[i]), DEC_SYNTAX, "\"%s\"", bad[i]);
}

Test(decimal, parse_uses_length_not_nul)
{
	Dec d;
	cr_assert_eq(dec_parse("12345", 3, &d), DEC_OK);
	cr_assert(d.coef == 123 && d.exp == 0);
	char raw[4] = {'7', '.', '5', 'x'}; /* no terminator */
	cr_assert_eq(dec_parse(raw, 3, &d), DEC_OK);
	cr_assert(d.coef == 75 && d.exp == -1);
	cr_assert_eq(dec_parse(raw, 4, &d), DEC_SYNTAX);
	cr_assert_eq(dec_parse(raw, 0, &d), DEC_SYNTAX);
}

Test(decimal, parse_digit_limit)
{
	/* 34 significant digits are fine, 35 are not. */
	Dec d = P(NINES34);
	cr_assert_str_eq(F(d), NINES34);
	cr_assert_eq(parse_st("-" NINES34), DEC_OK);
	cr_assert_eq(parse_st("1" NINES34), DEC_TOOLONG);
	cr_assert_eq(parse_st("99999999999999999.99999999999999999"), DEC_OK);
	cr_assert_eq(parse_st("99999999999999999.999999999999999999"), DEC_TOOLONG);
	/* Leading zeros do not count ... */
	cr_assert_eq(parse_st("00000000" NINES34), DEC_OK);
	cr_assert_eq(parse_st("0.0000000000" NINES34), DEC_OK);
	/* ... trailing zeros do, in the integer and in the fraction. */
	cr_assert_eq(parse_st("10000000000000000000000000000000000"), DEC_TOOLONG);
	cr_assert_eq(parse_st("1.000000000000000000000000000000000"), DEC_OK);
	cr_assert_eq(parse_st("1.0000000000000000000000000000000000"), DEC_TOOLONG);
}

/* Up to 19 plain digits are read at 64 bits, longer ones the general way:
 * the two must meet without a seam. */
Test(decimal, parse_around_19_digits)
{
	cr_assert_str_eq(F(P("9999999999999999999")), "9999999999999999999");
	cr_assert_str_eq(F(P("99999999999999999999")), "99999999999999999999");
	cr_assert_str_eq(F(P("18446744073709551616")), "18446744073709551616");
	cr_assert_str_eq(F(P("-1234567890.123456789")), "-1234567890.123456789");
	cr_assert_str_eq(F(P("1234567890.1234567890")), "1234567890.1234567890");
	cr_assert_str_eq(F(P("0.000000000000000001")), "0.000000000000000001");
	Dec d = P("1000000000000000000");
	cr_assert(d.coef == 1000000000000000000 && d.exp == 0);
	d = P("10000000000000000000");
	cr_assert(d.coef == (dec_coef)10000000000000000000u && d.exp == 0);
}

Test(decimal, parse_long_zeros)
{
	/* A literal of only zeros may be long: it is still zero. */
	Dec d = P("0.00000000000000000000000000000000000000000000000000");
	cr_assert(d.coef == 0);
	cr_assert_eq(d.exp, -50);
	d = P("000000000000000000000000000000000000000000000000000000");
	cr_assert(d.coef == 0 && d.exp == 0);
}

Test(decimal, parse_syntax_beats_toolong)
{
	cr_assert_eq(parse_st("1234567890123456789012345678901234567890x"), DEC_SYNTAX);
	cr_assert_eq(parse_st("1234567890123456789012345678901234567890."), DEC_SYNTAX);
}

Test(decimal, parse_too_many_fraction_digits)
{
	/* A non-zero literal whose scale is below DEC_EMIN cannot be kept. */
	static char buf[7000];
	size_t n = 0;
	buf[n++] = '0';
	buf[n++] = '.';
	while (n < 6500)
		buf[n++] = '0';
	buf[n++] = '1';
	Dec d;
	cr_assert_eq(dec_parse(buf, n, &d), DEC_TOOLONG);
	buf[n - 1] = '0';
	cr_assert_eq(dec_parse(buf, n, &d), DEC_OK);
	cr_assert(d.coef == 0);
	cr_assert_eq(d.exp, DEC_EMIN);
}

/* ------------------------------------------------------------------ */
/* dec_parse_json                                                       */
/* ------------------------------------------------------------------ */

Test(decimal, json_basic)
{
	Dec d = J("1e3");
	cr_assert(d.coef == 1 && d.exp == 3);
	cr_assert_str_eq(F(d), "1000");
	d = J("2.5E-2");
	cr_assert(d.coef == 25 && d.exp == -3);
	cr_assert_str_eq(F(d), "0.025");
	cr_assert_str_eq(F(J("-12.50")), "-12.50");
	cr_assert_str_eq(F(J("0")), "0");
	cr_assert_str_eq(F(J("-0")), "0");
	cr_assert_str_eq(F(J("1E+2")), "100");
	cr_assert_str_eq(F(J("0.5e1")), "5");
	cr_assert_str_eq(F(J("-7e-1")), "-0.7");
	cr_assert_str_eq(F(J("123.456e0")), "123.456");
}

Test(decimal, json_syntax_errors)
{
	const char *bad[] = {"", "-", "01", "-01", "1.", ".5", "1e", "1e+", "1E-",
		"+1", "1_000", "--1", "1.5e", "e5", "1.e5", "0x1", " 1", "1 ",
		"1e5.5", "Infinity", "NaN", "1ee5"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(json_st(bad[i]), DEC_SYNTAX, "\"%s\"", bad[i]);
}

Test(decimal, json_huge_exponent)
{
	cr_assert_eq(json_st("1e999999999999"), DEC_OVERFLOW);
	cr_assert_eq(json_st("-1e99999999999999999999999999999999999999"), DEC_OVERFLOW);
	cr_assert_eq(json_st("1e6145"), DEC_OVERFLOW);
	/* A zero stays zero whatever its exponent. */
	Dec d = J("0e999999999999");
	cr_assert(d.coef == 0);
	cr_assert_str_eq(F(d), "0");
	/* A number too small to hold is plain zero (not 0.000... to DEC_EMIN). */
	d = J("1e-999999999999");
	cr_assert(dec_is_zero(d));
	cr_assert_eq(d.exp, 0);
	cr_assert_str_eq(F(d), "0");
	/* A zero keeps a scale a person would write. */
	d = J("0.000");
	cr_assert_eq(d.exp, -3);
	d = J("-1e-99999999999999999999999999");
	cr_assert(dec_is_zero(d));
}

Test(decimal, json_integer_part_limit)
{
	/* Values are held to the arithmetic rule: at most 34 integer digits. */
	cr_assert_eq(json_st("1e34"), DEC_OVERFLOW);
	cr_assert_eq(json_st("-1e34"), DEC_OVERFLOW);
	Dec d = J("9.999e33");
	cr_assert_str_eq(F(d), "9999000000000000000000000000000000");
	cr_assert_eq(json_st("1e33"), DEC_OK);
}

Test(decimal, json_digit_limit)
{
	cr_assert_eq(json_st("12345678901234567890123456789012345"), DEC_TOOLONG);
	cr_assert_eq(json_st("1.2345678901234567890123456789012345"), DEC_TOOLONG);
	cr_assert_eq(json_st(NINES34), DEC_OK);
	/* Excess trailing zeros move into the exponent. */
	Dec d = J("1.0000000000000000000000000000000000000000");
	cr_assert_str_eq(F(d), "1.000000000000000000000000000000000");
	cr_assert(dec_cmp(d, dec_from_int(1)) == 0);
	d = J("10000000000000000000000000000000000000000e-10");
	cr_assert_str_eq(F(d), "1000000000000000000000000000000.000");
	cr_assert_eq(json_st("10000000000000000000000000000000000000000"), DEC_OVERFLOW);
}

Test(decimal, json_tiny_rounds_at_emin)
{
	/* 25e-6145 is 0.25e-6143: rounds half-even to zero units of 1e-6143;
	 * 15e-6144 is 1.5e-6143: rounds to 2e-6143. */
	Dec d = J("25e-6145");
	cr_assert(d.coef == 0);
	d = J("15e-6144");
	cr_assert(d.coef == 2);
	cr_assert_eq(d.exp, DEC_EMIN);
	d = J("1e-6143");
	cr_assert(d.coef == 1 && d.exp == DEC_EMIN);
}

/* ------------------------------------------------------------------ */
/* dec_format                                                           */
/* ------------------------------------------------------------------ */

Test(decimal, format_plain)
{
	char buf[DEC_FMT_MAX];
	cr_assert_eq(dec_format(mk(1234, -2), buf), 5);
	cr_assert_str_eq(buf, "12.34");
	cr_assert_str_eq(F(mk(1234, 2)), "123400");
	cr_assert_str_eq(F(mk(5, -3)), "0.005");
	cr_assert_str_eq(F(mk(-5, -1)), "-0.5");
	cr_assert_str_eq(F(mk(0, -2)), "0.00");
	cr_assert_str_eq(F(mk(0, 0)), "0");
	cr_assert_str_eq(F(mk(0, 3)), "0");
	cr_assert_str_eq(F(mk(-1234, -4)), "-0.1234");
	cr_assert_str_eq(F(mk(-1234, -3)), "-1.234");
	cr_assert_str_eq(F(mk(-1234, 0)), "-1234");
	cr_assert_str_eq(F(mk(INT64_MIN, 0)), "-9223372036854775808");
}

Test(decimal, format_wide_coefficients)
{
	cr_assert_str_eq(F(P("-" NINES34)), "-" NINES34);
	cr_assert_str_eq(F(P("1234567890123456789012345678.901234")),
			"1234567890123456789012345678.901234");
	cr_assert_str_eq(F(P("0.1000000000000000000000000000000001")),
			"0.1000000000000000000000000000000001");
	cr_assert_str_eq(F(P("1000000000000000000.000000000000001")),
			"1000000000000000000.000000000000001");
}

Test(decimal, format_extreme_exponents)
{
	static char buf[DEC_FMT_MAX];
	Dec d = P("-" NINES34);
	d.exp = DEC_EMAX;
	size_t n = dec_format(d, buf);
	cr_assert_eq(n, 1 + 34 + (size_t)DEC_EMAX);
	cr_assert_lt(n, (size_t)DEC_FMT_MAX);
	cr_assert_eq(buf[n - 1], '0');
	d.exp = DEC_EMIN;
	n = dec_format(d, buf);
	cr_assert_eq(n, 3 + (size_t)-DEC_EMIN); /* "-0." then 6143 digits */
	cr_assert_eq(strncmp(buf, "-0.000", 6), 0);
	cr_assert_eq(buf[n - 1], '9');
}

/* ------------------------------------------------------------------ */
/* Conversions and small functions                                      */
/* ------------------------------------------------------------------ */

Test(decimal, from_int)
{
	Dec d = dec_from_int(-42);
	cr_assert(d.coef == -42 && d.exp == 0);
	cr_assert_str_eq(F(dec_from_int(INT64_MAX)), "9223372036854775807");
	cr_assert_str_eq(F(dec_from_int(INT64_MIN)), "-9223372036854775808");
}

Test(decimal, to_int_exact_only)
{
	int64_t v = -1;
	cr_assert(dec_to_int(P("2.00"), &v));
	cr_assert_eq(v, 2);
	cr_assert(dec_to_int(P("-2.0"), &v));
	cr_assert_eq(v, -2);
	cr_assert(dec_to_int(P("0.000"), &v));
	cr_assert_eq(v, 0);
	cr_assert(dec_to_int(J("1e18"), &v));
	cr_assert_eq(v, 1000000000000000000LL);
	cr_assert(dec_to_int(J("-12e2"), &v));
	cr_assert_eq(v, -1200);
	v = 99;
	cr_assert_not(dec_to_int(P("2.5"), &v));
	cr_assert_not(dec_to_int(P("-0.01"), &v));
	cr_assert_not(dec_to_int(P("1.000000000000000000000000000000001"), &v));
	cr_assert_eq(v, 99);
}

Test(decimal, to_int_range)
{
	int64_t v;
	cr_assert(dec_to_int(P("9223372036854775807"), &v));
	cr_assert_eq(v, INT64_MAX);
	cr_assert(dec_to_int(P("-9223372036854775808.000"), &v));
	cr_assert_eq(v, INT64_MIN);
	cr_assert_not(dec_to_int(P("9223372036854775808"), &v));
	cr_assert_not(dec_to_int(P("-9223372036854775809"), &v));
	cr_assert_not(dec_to_int(J("1e19"), &v));
	cr_assert_not(dec_to_int(J("1e33"), &v));
	cr_assert_not(dec_to_int(P(NINES34), &v));
	cr_assert(dec_to_int(mk(1, DEC_EMIN), &v) == 0);
}

Test(decimal, sign_zero_neg_abs)
{
	cr_assert_eq(dec_sign(P("-0.01")), -1);
	cr_assert_eq(dec_sign(P("0.00")), 0);
	cr_assert_eq(dec_sign(P("3")), 1);
	cr_assert(dec_is_zero(P("0.000")));
	cr_assert_not(dec_is_zero(P("0.001")));
	cr_assert_str_eq(F(dec_neg(P("1.50"))), "-1.50");
	cr_assert_str_eq(F(dec_neg(P("-1.50"))), "1.50");
	cr_assert_str_eq(F(dec_neg(P("0.0"))), "0.0");
	cr_assert_str_eq(F(dec_abs(P("-" NINES34))), NINES34);
	cr_assert_str_eq(F(dec_abs(P("2.5"))), "2.5");
}

Test(decimal, reduce)
{
	cr_assert_str_eq(F(dec_reduce(P("10.00"))), "10");
	Dec d = dec_reduce(P("10.00"));
	cr_assert(d.coef == 10 && d.exp == 0);
	cr_assert_str_eq(F(dec_reduce(P("1.2300"))), "1.23");
	cr_assert_str_eq(F(dec_reduce(P("-0.500"))), "-0.5");
	d = dec_reduce(P("0.000"));
	cr_assert(d.coef == 0 && d.exp == 0);
	/* Integer zeros are not fractional: untouched. */
	d = dec_reduce(P("1000"));
	cr_assert(d.coef == 1000 && d.exp == 0);
	d = dec_reduce(J("1e3"));
	cr_assert(d.coef == 1 && d.exp == 3);
	d = dec_reduce(P("1.000000000000000000000000000000000"));
	cr_assert(d.coef == 1 && d.exp == 0);
	d = dec_reduce(P("123456789012345678901234567.8900000"));
	cr_assert_str_eq(F(d), "123456789012345678901234567.89");
}

Test(decimal, status_text)
{
	cr_assert_str_eq(dec_status_text(DEC_TOOLONG),
			"the number has more than 34 significant digits");
	cr_assert_str_eq(dec_status_text(DEC_OVERFLOW), "the result is too large for a decimal (34 digits, exponents to 6144)");
	cr_assert_str_eq(dec_status_text(DEC_DIVZERO), "division by zero");
	cr_assert_str_eq(dec_status_text(DEC_SYNTAX), "not a number");
	cr_assert_gt(strlen(dec_status_text(DEC_OK)), 0);
	cr_assert_gt(strlen(dec_status_text((DecStatus)99)), 0);
}

/* ------------------------------------------------------------------ */
/* Addition and subtraction                                             */
/* ------------------------------------------------------------------ */

Test(decimal, add_keeps_finer_scale)
{
	op_ok(dec_add, "1.50", "1", "2.50");
	op_ok(dec_add, "1", "1.50", "2.50");
	op_ok(dec_add, "0.1", "0.2", "0.3");
	op_ok(dec_add, "5", "0.000", "5.000");
	op_ok(dec_add, "0", "0.00", "0.00");
	op_ok(dec_add, "-1.25", "0.25", "-1.00");
	op_ok(dec_add, "123", "456", "579");
	op_ok(dec_add, "-123", "-456", "-579");
	op_ok(dec_add, "0.001", "1000", "1000.001");
}

Test(decimal, sub_basic)
{
	op_ok(dec_sub, "1.5", "1.50", "0.00");
	op_ok(dec_sub, "100", "0.001", "99.999");
	op_ok(dec_sub, "0.001", "100", "-99.999");
	op_ok(dec_sub, "-5", "-7.5", "2.5");
	op_ok(dec_sub, "10.00", "10", "0.00");
	op_ok(dec_sub, "0", "3.25", "-3.25");
}

Test(decimal, add_positive_exponents)
{
	Dec r;
	cr_assert_eq(dec_add(J("1e3"), J("2e2"), &r), DEC_OK);
	cr_assert(r.coef == 12 && r.exp == 2);
	cr_assert_str_eq(F(r), "1200");
	cr_assert_eq(dec_add(J("1e3"), P("0.5"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "1000.5");
}

Test(decimal, add_wide_coefficients)
{
	op_ok(dec_add, "1234567890123456789012345678.901234",
			"8765432109876543210987654321.098766",
			"10000000000000000000000000000.00000");
	op_ok(dec_sub, "1000000000000000000000000000000000",
			"0.1", "999999999999999999999999999999999.9");
}

Test(decimal, add_rounds_to_34_digits)
{
	/* The exact sum has 35 digits: rounded half-even on the last one. */
	op_ok(dec_add, "1", "0.0000000000000000000000000000000001",
			"1.000000000000000000000000000000000");
	op_ok(dec_add, "1", "0.0000000000000000000000000000000009",
			"1.000000000000000000000000000000001");
	op_ok(dec_add, "-1", "-0.0000000000000000000000000000000009",
			"-1.000000000000000000000000000000001");
}

Test(decimal, add_ties_to_even)
{
	/* ...4.5 -> ...4 (even stays), ...5.5 -> ...6 (odd goes up). */
	op_ok(dec_add, "1234567890123456789012345678901234", "0.5",
			"1234567890123456789012345678901234");
	op_ok(dec_add, "1234567890123456789012345678901235", "0.5",
			"1234567890123456789012345678901236");
	op_ok(dec_sub, "-1234567890123456789012345678901234", "0.5",
			"-1234567890123456789012345678901234");
	op_ok(dec_sub, "-1234567890123456789012345678901235", "0.5",
			"-1234567890123456789012345678901236");
	/* Just above the tie goes up even from an even digit. */
	op_ok(dec_add, "1234567890123456789012345678901234", "0.50001",
			"1234567890123456789012345678901235");
	op_ok(dec_add, "1", "0.0000000000000000000000000000000005",
			"1.000000000000000000000000000000000");
	op_ok(dec_add, "1.000000000000000000000000000000001",
			"0.0000000000000000000000000000000005",
			"1.000000000000000000000000000000002");
}

Test(decimal, add_far_apart_exponents)
{
	/* b lies far below the rounding digit of a: only its sign counts. */
	Dec r;
	cr_assert_eq(dec_add(P("1"), J("1e-100"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "1.000000000000000000000000000000000");
	/* 0.999..9 (100 nines) rounds up to 34 digits. */
	cr_assert_eq(dec_sub(P("1"), J("1e-100"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "1.000000000000000000000000000000000");
	cr_assert_eq(dec_sub(J("1e-100"), P("1"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "-1.000000000000000000000000000000000");
	/* Near the boundary: 0.(33 nines)94 -> 34 nines; 0.(34 nines)5 is a
	 * tie on an odd digit -> up. */
	cr_assert_eq(dec_sub(P("1"), J("6e-35"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "0.9999999999999999999999999999999999");
	cr_assert_eq(dec_sub(P("1"), J("5e-35"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "1.000000000000000000000000000000000");
	cr_assert_eq(dec_sub(P("1"), J("1e-34"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "0.9999999999999999999999999999999999");
	/* 10^33 - 10^-60 rounds up to 10^33 again, carrying to 34 digits. */
	cr_assert_eq(dec_sub(J("1e33"), J("1e-60"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "1000000000000000000000000000000000");
	cr_assert_eq(dec_add(P(NINES34), J("-1e-6000"), &r), DEC_OK);
	cr_assert_str_eq(F(r), NINES34);
	cr_assert_eq(dec_add(mk(5, 0), mk(0, -100), &r), DEC_OK);
	cr_assert_str_eq(F(r), "5.000000000000000000000000000000000");
	cr_assert_eq(dec_add(mk(1, DEC_EMIN), mk(1, DEC_EMIN), &r), DEC_OK);
	cr_assert(r.coef == 2 && r.exp == DEC_EMIN);
	/* Tiny plus tinier: 34 digits of the larger, the rest rounded off. */
	cr_assert_eq(dec_add(mk(3, -6000), mk(7, DEC_EMIN), &r), DEC_OK);
	cr_assert_eq(dec_cmp(r, mk(3, -6000)), 0);
	cr_assert(r.coef == (dec_coef)3000000000000000000LL * 1000000000000000LL);
	cr_assert_eq(r.exp, -6000 - 33);
}

Test(decimal, add_overflow)
{
	op_fails(dec_add, P(NINES34), P("1"), DEC_OVERFLOW);
	op_fails(dec_sub, P("-" NINES34), P("1"), DEC_OVERFLOW);
	op_fails(dec_add, P(NINES34), P("0.5"), DEC_OVERFLOW); /* rounds up to 10^34 */
	op_fails(dec_add, P(NINES34), P(NINES34), DEC_OVERFLOW);
	op_fails(dec_add, J("1e33"), J("9e33"), DEC_OVERFLOW);
	/* Just inside. */
	op_ok(dec_add, NINES34, "0.4", NINES34);
	op_ok(dec_add, NINES34, "-" NINES34, "0");
}

Test(decimal, add_fast_path_matches_general)
{
	/* Same-scale sums near and across the 64-bit boundary. */
	op_ok(dec_add, "9223372036854775807", "1", "9223372036854775808");
	op_ok(dec_add, "-9223372036854775808", "-1", "-9223372036854775809");
	op_ok(dec_add, "5000000000000000000000000000000000",
			"4999999999999999999999999999999999", NINES34);
	op_ok(dec_add, "0.01", "0.02", "0.03");
}

/* ------------------------------------------------------------------ */
/* Multiplication                                                       */
/* ------------------------------------------------------------------ */

Test(decimal, mul_reduces)
{
	op_ok(dec_mul, "0.10", "50000000", "5000000");
	Dec r;
	cr_assert_eq(dec_mul(P("0.10"), P("50000000"), &r), DEC_OK);
	cr_assert(r.coef == 5000000 && r.exp == 0);
	op_ok(dec_mul, "0.10", "500", "50");
	op_ok(dec_mul, "1.5", "2", "3");
	op_ok(dec_mul, "2.50", "4", "10");
	op_ok(dec_mul, "-0.5", "0.5", "-0.25");
	op_ok(dec_mul, "-0.5", "-0.5", "0.25");
	op_ok(dec_mul, "1000", "1000", "1000000");
	cr_assert_eq(dec_mul(P("0.00"), P("-5.5"), &r), DEC_OK);
	cr_assert(r.coef == 0 && r.exp == 0);
}

Test(decimal, mul_percent_math)
{
	op_ok(dec_mul, "19.99", "0.15", "2.9985");
	op_ok(dec_mul, "50000000", "0.035", "1750000");
	op_ok(dec_mul, "1234.56", "0.075", "92.592");
	/* 20% of 20500, then the rest. */
	Dec pct, amt = P("20500.00"), rest;
	cr_assert_eq(dec_mul(amt, P("0.20"), &pct), DEC_OK);
	cr_assert_str_eq(F(pct), "4100");
	cr_assert_eq(dec_sub(amt, pct, &rest), DEC_OK);
	cr_assert_str_eq(F(rest), "16400.00");
	Dec p;
	cr_assert_eq(dec_div(P("7.5"), P("100"), &p), DEC_OK);
	cr_assert_eq(dec_mul(P("1234.56"), p, &p), DEC_OK);
	cr_assert_str_eq(F(p), "92.592");
}

Test(decimal, mul_wide_coefficients)
{
	op_ok(dec_mul, "1234567890123456789.012345678901234",
			"98765.43210987654321098765432109876",
			"121932631137021795226185.0327338667");
	op_ok(dec_mul, "-1234567890123456789.012345678901234",
			"0.000009876543210987654321098765432109",
			"-12193263113702.17952261850327338559");
}

Test(decimal, mul_rounds_then_reduces)
{
	/* The exact square has 35 digits; rounded, its trailing zeros go. */
	op_ok(dec_mul, "1.00000000000000001", "1.00000000000000001",
			"1.00000000000000002");
	/* Ties to even both ways. */
	op_ok(dec_mul, "9000000000000000000000000000000001", "0.5",
			"4500000000000000000000000000000000");
	op_ok(dec_mul, "9000000000000000000000000000000003", "0.5",
			"4500000000000000000000000000000002");
	op_ok(dec_mul, "-9000000000000000000000000000000003", "0.5",
			"-4500000000000000000000000000000002");
}

Test(decimal, mul_overflow)
{
	op_fails(dec_mul, P("100000000000000000"), P("100000000000000000"), DEC_OVERFLOW);
	op_fails(dec_mul, P("-100000000000000000"), P("100000000000000000"), DEC_OVERFLOW);
	op_fails(dec_mul, P(NINES34), P("1.1"), DEC_OVERFLOW);
	op_fails(dec_mul, J("1e30"), J("1e30"), DEC_OVERFLOW);
	op_fails(dec_mul, mk(1, DEC_EMAX), mk(1, DEC_EMAX), DEC_OVERFLOW);
	op_ok(dec_mul, "99999999999999999", "100000000000000000",
			"9999999999999999900000000000000000");
	op_ok(dec_mul, NINES34, "1", NINES34);
	/* 9999999999999999999999999999999999.75 rounds up into a 35th
	 * integer digit: an overflow too. */
	op_fails(dec_mul, P("99999999999999999.5"), P("100000000000000000.5"),
			DEC_OVERFLOW);
	op_ok(dec_mul, "99999999999999999.5", "100000000000000000.4",
			"9999999999999999990000000000000000");
}

Test(decimal, mul_tiny_and_huge_exponents)
{
	Dec r;
	/* Far below DEC_EMIN: rounds to zero. */
	cr_assert_eq(dec_mul(J("1e-6000"), J("1e-6000"), &r), DEC_OK);
	cr_assert(r.coef == 0 && r.exp == 0);
	/* Huge times tiny is fine. */
	cr_assert_eq(dec_mul(mk(3, DEC_EMAX), mk(2, DEC_EMIN), &r), DEC_OK);
	cr_assert_str_eq(F(r), "60");
	cr_assert_eq(dec_mul(mk(25, -6100), mk(4, -100), &r), DEC_OK);
	cr_assert(r.coef == 0 && r.exp == 0); /* 1e-6198 */
	/* 123.456e-6143 keeps what DEC_EMIN allows: 123e-6143. */
	cr_assert_eq(dec_mul(mk(123456, -6100), mk(1, -46), &r), DEC_OK);
	cr_assert(r.coef == 123 && r.exp == DEC_EMIN);
	cr_assert_eq(dec_mul(mk(123556, -6100), mk(-1, -46), &r), DEC_OK);
	cr_assert(r.coef == -124 && r.exp == DEC_EMIN);
}

/* ------------------------------------------------------------------ */
/* Division                                                             */
/* ------------------------------------------------------------------ */

Test(decimal, div_exact)
{
	op_ok(dec_div, "1", "4", "0.25");
	op_ok(dec_div, "10", "4", "2.5");
	op_ok(dec_div, "100.00", "4", "25");
	op_ok(dec_div, "1", "1024", "0.0009765625");
	op_ok(dec_div, "6", "0.5", "12");
	op_ok(dec_div, "0.001", "0.1", "0.01");
	op_ok(dec_div, "0", "5", "0");
	Dec r;
	cr_assert_eq(dec_div(P("10"), P("4"), &r), DEC_OK);
	cr_assert(r.coef == 25 && r.exp == -1);
}

Test(decimal, div_rounds_to_34_digits)
{
	op_ok(dec_div, "1", "3", "0.3333333333333333333333333333333333");
	op_ok(dec_div, "2", "3", "0.6666666666666666666666666666666667");
	op_ok(dec_div, "20500", "30000", "0.6833333333333333333333333333333333");
	op_ok(dec_div, "1", "7", "0.1428571428571428571428571428571429");
	op_ok(dec_div, "1000", "3", "333.3333333333333333333333333333333");
}

Test(decimal, div_signs)
{
	op_ok(dec_div, "-7", "2", "-3.5");
	op_ok(dec_div, "7", "-2", "-3.5");
	op_ok(dec_div, "-7", "-2", "3.5");
	op_ok(dec_div, "-2", "3", "-0.6666666666666666666666666666666667");
	op_ok(dec_div, "-1", "-3", "0.3333333333333333333333333333333333");
}

Test(decimal, div_ties_to_even)
{
	op_ok(dec_div, "9000000000000000000000000000000001", "2",
			"4500000000000000000000000000000000");
	op_ok(dec_div, "9000000000000000000000000000000003", "2",
			"4500000000000000000000000000000002");
}

Test(decimal, div_wide_divisor)
{
	/* A divisor above 64 bits takes the long-division path. */
	op_ok(dec_div, "1", "12345678901234567890123",
			"0.0000000000000000000000810000007290000066339030573612545");
	op_ok(dec_div, "98765432109876543210987654321", "12345678901234567890123",
			"8000000.072900000663390302036126416");
	op_ok(dec_div, "24691357802469135780246", "12345678901234567890123", "2");
}

Test(decimal, div_by_zero)
{
	op_fails(dec_div, P("1"), P("0"), DEC_DIVZERO);
	op_fails(dec_div, P("0"), P("0.00"), DEC_DIVZERO);
	op_fails(dec_div, P("-5.5"), P("-0"), DEC_DIVZERO);
}

Test(decimal, div_overflow_and_tiny)
{
	op_fails(dec_div, P("1000000000000000000000000000000000"), P("0.01"), DEC_OVERFLOW);
	op_fails(dec_div, P("1"), mk(1, DEC_EMIN), DEC_OVERFLOW);
	Dec r;
	cr_assert_eq(dec_div(mk(1, DEC_EMIN), P("3"), &r), DEC_OK);
	cr_assert(r.coef == 0 && r.exp == 0);
	cr_assert_eq(dec_div(mk(1, DEC_EMIN), P("0.5"), &r), DEC_OK);
	cr_assert(r.coef == 2 && r.exp == DEC_EMIN);
}

Test(decimal, div_then_mul_round_trip)
{
	Dec third, r;
	cr_assert_eq(dec_div(P("1"), P("3"), &third), DEC_OK);
	cr_assert_eq(dec_mul(third, P("3"), &r), DEC_OK);
	cr_assert_str_eq(F(r), "0.9999999999999999999999999999999999");
	cr_assert_eq(dec_cmp(r, P("1")), -1);
}

/* ------------------------------------------------------------------ */
/* dec_round                                                            */
/* ------------------------------------------------------------------ */

Test(decimal, round_half_even)
{
	round_ok("2.5", 0, DEC_HALF_EVEN, "2");
	round_ok("3.5", 0, DEC_HALF_EVEN, "4");
	round_ok("-2.5", 0, DEC_HALF_EVEN, "-2");
	round_ok("-3.5", 0, DEC_HALF_EVEN, "-4");
	round_ok("2.5000001", 0, DEC_HALF_EVEN, "3");
	round_ok("2.4999999", 0, DEC_HALF_EVEN, "2");
	round_ok("2.345", 2, DEC_HALF_EVEN, "2.34");
	round_ok("2.355", 2, DEC_HALF_EVEN, "2.36");
	round_ok("0.125", 2, DEC_HALF_EVEN, "0.12");
}

Test(decimal, round_half_up)
{
	round_ok("2.5", 0, DEC_HALF_UP, "3");
	round_ok("-2.5", 0, DEC_HALF_UP, "-3");
	round_ok("2.4999", 0, DEC_HALF_UP, "2");
	round_ok("2.345", 2, DEC_HALF_UP, "2.35");
	round_ok("-2.345", 2, DEC_HALF_UP, "-2.35");
	round_ok("0.125", 2, DEC_HALF_UP, "0.13");
}

Test(decimal, round_floor_ceil_trunc)
{
	round_ok("2.5", 0, DEC_FLOOR, "2");
	round_ok("-2.5", 0, DEC_FLOOR, "-3");
	round_ok("-2.1", 0, DEC_FLOOR, "-3");
	round_ok("2.1", 0, DEC_CEIL, "3");
	round_ok("-2.9", 0, DEC_CEIL, "-2");
	round_ok("2.9", 0, DEC_TRUNC, "2");
	round_ok("-2.9", 0, DEC_TRUNC, "-2");
	round_ok("0.004", 2, DEC_CEIL, "0.01");
	round_ok("-0.004", 2, DEC_CEIL, "0.00");
	round_ok("-0.004", 2, DEC_FLOOR, "-0.01");
	round_ok("1.000000000000000000000000000000001", 0, DEC_CEIL, "2");
	round_ok("-1.000000000000000000000000000000001", 0, DEC_FLOOR, "-2");
	/* Already on the grid: no mode changes anything. */
	for (int m = DEC_HALF_EVEN; m <= DEC_TRUNC; m++)
		round_ok("-2.50", 2, (DecRound)m, "-2.50");
}

Test(decimal, round_sets_scale)
{
	/* The result has exponent -places when the digits allow it. */
	round_ok("2", 2, DEC_HALF_EVEN, "2.00");
	Dec r;
	cr_assert_eq(dec_round(P("2"), 2, DEC_HALF_EVEN, &r), DEC_OK);
	cr_assert(r.coef == 200 && r.exp == -2);
	round_ok("1.5", 3, DEC_TRUNC, "1.500");
	round_ok("0", 4, DEC_HALF_EVEN, "0.0000");
	/* Too many digits to pad: returned unchanged (it is exact anyway). */
	round_ok("1.5", 40, DEC_HALF_EVEN, "1.5");
	round_ok(NINES34, 1, DEC_HALF_EVEN, NINES34);
	round_ok("99999999999999999999999999999999.9", 1, DEC_HALF_EVEN,
			"99999999999999999999999999999999.9");
	round_ok("9999999999999999999999999999999.9", 2, DEC_HALF_EVEN,
			"9999999999999999999999999999999.90");
}

Test(decimal, round_negative_places)
{
	Dec r;
	cr_assert_eq(dec_round(P("1234.5"), -2, DEC_HALF_EVEN, &r), DEC_OK);
	cr_assert(r.coef == 12 && r.exp == 2);
	cr_assert_str_eq(F(r), "1200");
	round_ok("1250", -2, DEC_HALF_EVEN, "1200");
	round_ok("1350", -2, DEC_HALF_EVEN, "1400");
	round_ok("1250", -2, DEC_HALF_UP, "1300");
	round_ok("-1250", -2, DEC_FLOOR, "-1300");
	round_ok("-1250", -2, DEC_CEIL, "-1200");
	round_ok("49", -2, DEC_HALF_UP, "0");
	round_ok("50", -2, DEC_HALF_EVEN, "0");
	round_ok("50", -2, DEC_HALF_UP, "100");
	round_ok("1", -3, DEC_CEIL, "1000");
	round_ok("-1", -3, DEC_CEIL, "0");
	round_ok("7", -1, DEC_TRUNC, "0");
}

Test(decimal, round_overflow)
{
	Dec r = mk(777, -1);
	cr_assert_eq(dec_round(P(NINES34), -1, DEC_HALF_EVEN, &r), DEC_OVERFLOW);
	cr_assert(r.coef == 777 && r.exp == -1);
	cr_assert_eq(dec_round(P("-" NINES34), -1, DEC_FLOOR, &r), DEC_OVERFLOW);
	cr_assert_eq(dec_round(P(NINES34), -1, DEC_TRUNC, &r), DEC_OK);
	cr_assert_str_eq(F(r), "9999999999999999999999999999999990");
	cr_assert_eq(dec_round(P("999999999999999999999999999999999.5"), 0,
			DEC_HALF_EVEN, &r), DEC_OK);
	cr_assert_str_eq(F(r), "1000000000000000000000000000000000");
}

Test(decimal, round_extreme_places)
{
	Dec r;
	cr_assert_eq(dec_round(P("1.5"), INT_MAX, DEC_HALF_EVEN, &r), DEC_OK);
	cr_assert_str_eq(F(r), "1.5");
	cr_assert_eq(dec_round(P("1.5"), INT_MIN, DEC_HALF_EVEN, &r), DEC_OK);
	cr_assert(dec_is_zero(r));
	cr_assert_eq(dec_round(P("1.5"), INT_MIN, DEC_CEIL, &r), DEC_OVERFLOW);
	cr_assert_eq(dec_round(P("-1.5"), INT_MIN, DEC_CEIL, &r), DEC_OK);
	cr_assert(dec_is_zero(r));
	cr_assert_eq(dec_round(P("0.001"), 0, DEC_CEIL, &r), DEC_OK);
	cr_assert_str_eq(F(r), "1");
	cr_assert_eq(dec_round(mk(1, DEC_EMIN), 2, DEC_CEIL, &r), DEC_OK);
	cr_assert_str_eq(F(r), "0.01");
}

/* ------------------------------------------------------------------ */
/* dec_cmp                                                              */
/* ------------------------------------------------------------------ */

Test(decimal, cmp_across_scales)
{
	cr_assert_eq(cmp("1.0", "1.00"), 0);
	cr_assert_eq(cmp("1", "1.000"), 0);
	cr_assert_eq(cmp("0", "0.000"), 0);
	cr_assert_eq(cmp("1.1", "1.09"), 1);
	cr_assert_eq(cmp("1.09", "1.1"), -1);
	cr_assert_eq(cmp("12.5", "12.50"), 0);
	cr_assert_eq(cmp("12.5", "12.51"), -1);
	cr_assert_eq(cmp("100", "99.999"), 1);
}

Test(decimal, cmp_signs)
{
	cr_assert_eq(cmp("-1.1", "-1.09"), -1);
	cr_assert_eq(cmp("-1.09", "-1.1"), 1);
	cr_assert_eq(cmp("-0.5", "0"), -1);
	cr_assert_eq(cmp("0", "-0.5"), 1);
	cr_assert_eq(cmp("-0.001", "0.001"), -1);
	cr_assert_eq(cmp("-100", "-99.999"), -1);
	cr_assert_eq(cmp("-0.00", "0"), 0);
}

Test(decimal, cmp_extreme_exponents)
{
	cr_assert_eq(dec_cmp(J("1e-6000"), P("0")), 1);
	cr_assert_eq(dec_cmp(J("1e-6000"), P("0.001")), -1);
	cr_assert_eq(dec_cmp(J("-1e-6000"), P("-0.001")), 1);
	cr_assert_eq(dec_cmp(P(NINES34), P("0.0000001")), 1);
	cr_assert_eq(dec_cmp(mk(1, DEC_EMAX), mk(1, DEC_EMIN)), 1);
	cr_assert_eq(dec_cmp(mk(-1, DEC_EMAX), mk(-1, DEC_EMIN)), -1);
	cr_assert_eq(dec_cmp(J("1e30"), P("1000000000000000000000000000000")), 0);
	cr_assert_eq(dec_cmp(J("1e30"), P("1000000000000000000000000000000.01")), -1);
	cr_assert_eq(dec_cmp(dec_from_int(5), P("5.0000000000000000000000000000000")), 0);
	cr_assert_eq(dec_cmp(dec_from_int(5), P("5.0000000000000000000000000000001")), -1);
}

Test(decimal, cmp_same_exponent_fast_path)
{
	cr_assert_eq(dec_cmp(dec_from_int(INT64_MIN), dec_from_int(INT64_MAX)), -1);
	cr_assert_eq(dec_cmp(P("-" NINES34), P(NINES34)), -1);
	cr_assert_eq(dec_cmp(P("3.14"), P("3.14")), 0);
}

/* ------------------------------------------------------------------ */
/* Identities over many values                                          */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A random Dec with at most 15 digits and 0..6 fractional places. */
static Dec rand_dec(void)
{
	uint64_t r = next_rand();
	long long c = (long long)(r % 1000000000000000ULL);
	if (r >> 63)
		c = -c;
	switch ((r >> 50) % 3) {
	case 0:
		c %= 1000;
		break;
	case 1:
		c %= 10000000;
		break;
	}
	return mk(c, -(int)((r >> 40) % 7));
}

Test(decimal, identities)
{
	for (int i = 0; i < 20000; i++) {
		Dec a = rand_dec(), b = rand_dec(), s, d, p, q;
		/* (a + b) - b == a, exactly and with a's value. */
		cr_assert_eq(dec_add(a, b, &s), DEC_OK);
		cr_assert_eq(dec_sub(s, b, &d), DEC_OK);
		cr_assert_eq(dec_cmp(d, a), 0, "%s + %s - %s = %s", F(a), F(b), F(b), F(d));
		cr_assert_eq(d.exp, a.exp < b.exp ? a.exp : b.exp);
		/* a + b == b + a, a - b == -(b - a). */
		cr_assert_eq(dec_add(b, a, &d), DEC_OK);
		cr_assert(d.coef == s.coef && d.exp == s.exp);
		cr_assert_eq(dec_sub(a, b, &s), DEC_OK);
		cr_assert_eq(dec_sub(b, a, &d), DEC_OK);
		cr_assert_eq(dec_cmp(s, dec_neg(d)), 0);
		/* cmp agrees with the sign of the difference. */
		cr_assert_eq(dec_cmp(a, b), dec_sign(s));
		/* (a * b) / b == a when b != 0 (the product is exact). */
		cr_assert_eq(dec_mul(a, b, &p), DEC_OK);
		if (!dec_is_zero(b)) {
			cr_assert_eq(dec_div(p, b, &q), DEC_OK);
			cr_assert_eq(dec_cmp(q, a), 0, "%s * %s / %s = %s", F(a), F(b), F(b), F(q));
		}
		/* Products are reduced. */
		cr_assert(p.exp >= 0 || p.coef % 10 != 0);
		/* Format then parse gives back the same value and scale. */
		Dec back;
		const char *t = F(a);
		cr_assert_eq(dec_parse(t, strlen(t), &back), DEC_OK);
		cr_assert(back.coef == a.coef && back.exp == a.exp);
		/* Rounding to 2 places: the floor <= a <= the ceiling, within 0.01. */
		Dec lo, hi, gap;
		cr_assert_eq(dec_round(a, 2, DEC_FLOOR, &lo), DEC_OK);
		cr_assert_eq(dec_round(a, 2, DEC_CEIL, &hi), DEC_OK);
		cr_assert_leq(dec_cmp(lo, a), 0);
		cr_assert_geq(dec_cmp(hi, a), 0);
		cr_assert_eq(dec_sub(hi, lo, &gap), DEC_OK);
		cr_assert_leq(dec_cmp(gap, P("0.01")), 0);
	}
}
