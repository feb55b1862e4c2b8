/*
 * test_decmath.c - unit tests for interp/decmath.c: powers, roots,
 * exponentials, logarithms and remainders of 34-digit decimals, at their
 * edges (zero, negatives, whole and fractional exponents, huge and tiny
 * results).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "decmath.h"

static Dec d(const char *s)
{
	Dec x;
	cr_assert_eq(dec_parse(s, strlen(s), &x), DEC_OK, "%s", s);
	return x;
}

static const char *text(Dec x)
{
	static char buf[DEC_FMT_MAX];
	size_t n = dec_format(x, buf);
	buf[n] = 0;
	return buf;
}


Test(decmath, whole_powers_are_exact)
{
	Dec r;
	cr_assert_eq(dm_pow_int(d("2"), 10, &r), DM_OK);
	cr_expect_str_eq(text(r), "1024");
	cr_assert_eq(dm_pow_int(d("2"), 100, &r), DM_OK);
	cr_expect_str_eq(text(r), "1267650600228229401496703205376");
	cr_assert_eq(dm_pow_int(d("1.5"), 2, &r), DM_OK);
	cr_expect_str_eq(text(r), "2.25");
	cr_assert_eq(dm_pow_int(d("-3"), 3, &r), DM_OK);
	cr_expect_str_eq(text(r), "-27");
	cr_assert_eq(dm_pow_int(d("7"), 0, &r), DM_OK);
	cr_expect_str_eq(text(r), "1");
	cr_assert_eq(dm_pow_int(d("0"), 0, &r), DM_OK);
	cr_expect_str_eq(text(r), "1");
	cr_assert_eq(dm_pow_int(d("2"), -2, &r), DM_OK);
	cr_expect_str_eq(text(r), "0.25");
}

Test(decmath, powers_past_34_digits_round_and_past_the_range_fail)
{
	Dec r;
	/* 3^70 has 34 digits: exact; 3^100 has 48 whole digits, past what a decimal holds */
	cr_assert_eq(dm_pow_int(d("3"), 70, &r), DM_OK);
	cr_expect_str_eq(text(r), "2503155504993241601315571986085849");
	cr_expect_eq(dm_pow_int(d("3"), 100, &r), DM_OVERFLOW);
	/* a fraction past 34 digits is rounded: 1.1^100 */
	cr_assert_eq(dm_pow_int(d("1.1"), 100, &r), DM_OK);
	cr_expect_str_eq(text(r), "13780.61233982227018411833717208964");
	cr_expect_eq(dm_pow_int(d("10"), 7000, &r), DM_OVERFLOW);
	cr_expect_eq(dm_pow_int(d("2"), INT64_MAX, &r), DM_OVERFLOW);
	cr_expect_eq(dm_pow_int(d("0"), -1, &r), DM_DIVZERO);
	/* a tiny result becomes zero rather than an error */
	cr_assert_eq(dm_pow_int(d("0.1"), 10000, &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	/* 1 to any power, even the most negative exponent */
	cr_assert_eq(dm_pow_int(d("1"), INT64_MIN, &r), DM_OK);
	cr_expect_str_eq(text(r), "1");
}

/* A negative power whose positive one is past the range is tiny, not too
 * large: exact where it can be, zero below the smallest decimal, as a
 * tiny product is (0.1^6200 is 0, so 10^-6200 is 0 too). */
Test(decmath, negative_powers_of_large_numbers_are_tiny)
{
	Dec r;
	cr_assert_eq(dm_pow_int(d("10"), -100, &r), DM_OK);
	cr_expect(r.coef == 1 && r.exp == -100, "%s", text(r));
	cr_assert_eq(dm_pow_int(d("-10"), -101, &r), DM_OK);
	cr_expect(r.coef == -1 && r.exp == -101, "%s", text(r));
	cr_assert_eq(dm_pow_int(d("10"), -6143, &r), DM_OK);
	cr_expect(r.coef == 1 && r.exp == -6143, "%s", text(r));
	const struct { const char *x; int64_t n; } zero[] = {
		{"10", -6144}, {"10", -6200}, {"10", INT64_MIN}, {"2", -30000}, {"2", INT64_MIN + 1}, {"2", INT64_MIN},
	};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
		cr_assert_eq(dm_pow_int(d(zero[i].x), zero[i].n, &r), DM_OK, "%s^%lld", zero[i].x, (long long)zero[i].n);
		cr_expect_str_eq(text(r), "0", "%s^%lld", zero[i].x, (long long)zero[i].n);
	}
	/* 3^-100, 48 places down: 34 digits, the last few rounded */
	cr_assert_eq(dm_pow_int(d("3"), -100, &r), DM_OK);
	char want[100] = "0.";
	memset(want + 2, '0', 47);
	strcpy(want + 49, "1940325217482632837588506028804");
	cr_expect(strncmp(text(r), want, strlen(want)) == 0 && strlen(text(r)) == strlen(want) + 3, "%s", text(r));
	/* and the other way: a tiny number to a large negative power is too large */
	cr_expect_eq(dm_pow_int(d("0.1"), -6200, &r), DM_OVERFLOW);
	cr_expect_eq(dm_pow_int(d("0"), INT64_MIN, &r), DM_DIVZERO);
}

Test(decmath, fractional_powers)
{
	Dec r;
	cr_assert_eq(dm_pow(d("4"), d("0.5"), &r), DM_OK);
	Dec two;
	cr_assert_eq(dec_round(r, 30, DEC_HALF_EVEN, &two), DEC_OK);
	cr_expect_str_eq(text(dec_reduce(two)), "2");
	cr_expect_eq(dm_pow(d("-8"), d("0.5"), &r), DM_DOMAIN);
	cr_expect_eq(dm_pow(d("0"), d("-0.5"), &r), DM_DIVZERO);
	cr_assert_eq(dm_pow(d("0"), d("0.5"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	/* a whole exponent written with a point is still whole */
	cr_assert_eq(dm_pow(d("2"), d("3.00"), &r), DM_OK);
	cr_expect_str_eq(text(r), "8");
}

Test(decmath, square_roots)
{
	Dec r;
	cr_assert_eq(dm_sqrt(d("16"), &r), DM_OK);
	cr_expect_str_eq(text(r), "4");
	cr_assert_eq(dm_sqrt(d("2"), &r), DM_OK);
	cr_expect_str_eq(text(r), "1.414213562373095048801688724209698");
	cr_assert_eq(dm_sqrt(d("0.0001"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0.01");
	cr_assert_eq(dm_sqrt(d("0"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	cr_expect_eq(dm_sqrt(d("-1"), &r), DM_DOMAIN);
	/* far outside the range of a double */
	Dec big = d("1");
	big.exp = 6000;
	cr_assert_eq(dm_sqrt(big, &r), DM_OK);
	cr_expect_eq(r.exp, 3000);
	cr_expect_str_eq(text((Dec){r.coef, 0}), "1");
}

Test(decmath, exponentials_and_logarithms)
{
	Dec r;
	cr_assert_eq(dm_exp(d("0"), &r), DM_OK);
	cr_expect_str_eq(text(r), "1");
	cr_assert_eq(dm_exp(d("1"), &r), DM_OK);
	cr_expect_str_eq(text(r), "2.718281828459045235360287471352662");
	cr_assert_eq(dm_exp(d("-100000"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	cr_expect_eq(dm_exp(d("100000"), &r), DM_OVERFLOW);
	cr_assert_eq(dm_ln(d("1"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	cr_assert_eq(dm_ln(d("10"), &r), DM_OK);
	cr_expect_str_eq(text(r), "2.302585092994045684017991454684364");
	/* the last of 34 digits may be off by one: compare 32 */
	cr_assert_eq(dm_ln(d("2"), &r), DM_OK);
	cr_assert_eq(dec_round(r, 32, DEC_HALF_EVEN, &r), DEC_OK);
	cr_expect_str_eq(text(r), "0.69314718055994530941723212145818");
	cr_expect_eq(dm_ln(d("0"), &r), DM_DOMAIN);
	cr_expect_eq(dm_ln(d("-2"), &r), DM_DOMAIN);
}

Test(decmath, remainders_take_the_sign_of_the_divisor)
{
	Dec r;
	cr_assert_eq(dm_mod(d("7.5"), d("2"), &r), DM_OK);
	cr_expect_str_eq(text(r), "1.5");
	cr_assert_eq(dm_mod(d("-7.5"), d("2"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0.5");
	cr_assert_eq(dm_mod(d("7.5"), d("-2"), &r), DM_OK);
	cr_expect_str_eq(text(r), "-0.5");
	cr_assert_eq(dm_mod(d("6"), d("3"), &r), DM_OK);
	cr_expect_str_eq(text(r), "0");
	cr_expect_eq(dm_mod(d("1"), d("0"), &r), DM_DIVZERO);
}
