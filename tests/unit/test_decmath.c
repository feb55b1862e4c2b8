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
	/* 3^-100, 48 places down: 34 digits (the last a zero, dropped), rounded once */
	cr_assert_eq(dm_pow_int(d("3"), -100, &r), DM_OK);
	char want[100] = "0.";
	memset(want + 2, '0', 47);
	strcpy(want + 49, "194032521748263283758850602880465");
	cr_expect_str_eq(text(r), want);
	/* and the other way: a tiny number to a large negative power is too large */
	cr_expect_eq(dm_pow_int(d("0.1"), -6200, &r), DM_OVERFLOW);
	cr_expect_eq(dm_pow_int(d("0"), INT64_MIN, &r), DM_DIVZERO);
}

/* A whole power is the exact power rounded once, half to even, to 34
 * digits, wherever it fits a decimal.  The expected values were computed
 * with Python's decimal module in its pure-Python form (_pydecimal, whose
 * power is correctly rounded) in Context(prec=34, rounding=ROUND_HALF_EVEN,
 * Emax=33, Emin=-6110), whose least exponent, -6143, and largest value,
 * below 10^34, are those of Edict's decimals, and printed with '%E' after
 * normalize(); for |n| <= 20000 they were checked against the exact power,
 * a fractions.Fraction rounded by hand.  The C form of the module (libmpdec)
 * is one unit off in the last digit for the three marked "C off".  NULL:
 * the power is too large. */
Test(decmath, whole_powers_are_correctly_rounded)
{
	static const struct {
		const char *x;
		int64_t n;
		const char *want;
	} cases[] = {
	    /* exact */
	    {"2", 10, "1.024E+3"},
	    {"1.5", 2, "2.25E+0"},
	    {"3", 70, "2.503155504993241601315571986085849E+33"},
	    {"3", 71, "7.509466514979724803946715958257547E+33"},
	    {"7", 40, "6.366805760909027985741435139224001E+33"},
	    {"2", 112, "5.192296858534827628530496329220096E+33"},
	    {"-1.5", 5, "-7.59375E+0"},
	    {"2", -2, "2.5E-1"},
	    {"2", -10, "9.765625E-4"},
	    {"-2", -3, "-1.25E-1"},
	    {"10", -100, "1E-100"},
	    /* 5^50 has 35 digits and ends in 5: a tie, to the even digit */
	    {"0.5", 50, "8.881784197001252323389053344726562E-16"},
	    {"0.5", 51, "4.440892098500626161694526672363281E-16"},
	    /* rounded: growth and discount factors */
	    {"1.1", 100, "1.378061233982227018411833717208964E+4"},
	    {"1.05", 40, "7.039988712124646244927265263917088E+0"},
	    {"1.0425", 40, "5.284970236605211327890606734802378E+0"},
	    {"0.95", 40, "1.285121565651033632860194758044106E-1"},
	    {"1.00375", 360, "3.847698049963501743507148269543041E+0"},
	    {"1.05", -40, "1.420456823002778898622102014793656E-1"},
	    {"1.0425", -30, "2.868917704690616619161106088623025E-1"},
	    {"1.00375", -360, "2.598956537167685853703442228254259E-1"},
	    /* rounded: larger and longer */
	    {"1.5", 100, "4.065611775352152373972797075670417E+17"},
	    {"12345.6789", 8, "5.396594884482166474814145321212574E+32"},
	    {"0.3105", 34, "5.371487302196382894352916075434575E-18"}, /* C off */
	    {"0.8", -350, "8.289046058458094980903836776809409E+33"},  /* C off */
	    {"123456789012345678901234567890.1234", -5, "3.48678455790530229713366683366329E-146"},
	    /* negative powers whose positive ones are too large */
	    {"3", -72, "4.438841729547725630899815243381429E-35"},
	    {"7", -41, "2.24378044849834188953508338423201E-35"},
	    {"3", -100, "1.94032521748263283758850602880465E-48"},
	    /* near one, to large powers */
	    {"1.0000001", 1000000, "1.105170912549793416638382709346716E+0"},
	    {"1.0000000000000000000006", 689203, "1.000000000000000413521800000000086E+0"}, /* C off */
	    {"1.000000000000000000000000000000001", 1000000000000000000, "1.0000000000000010000000000000005E+0"},
	    {"0.9999999999999999999999999999999999", INT64_MAX, "9.999999999999990776627963145228447E-1"},
	    {"1.0000000000000000000000000003", -646433, "9.999999999999999999998060701E-1"},
	    /* too close to a halfway point for the first try, of 55 digits or
	     * more, to settle: worked again wider */
	    {"1.000000000000000062788160969", 762083884831097587, "6.038428359912197698186474021495958E+20"},
	    /* at the edges: fewer digits near the least exponent, then zero, or too large */
	    {"3", -12870, "2.81E-6141"},
	    {"3", -12880, "0"},
	    {"0.1", 6200, "0"},
	    {"10", -6200, "0"},
	    {"3", 72, NULL},
	    {"2", 113, NULL},
	    {"1.0000001", 1000000000, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		Dec r, want;
		DmStatus s = dm_pow_int(d(cases[i].x), cases[i].n, &r);
		if (!cases[i].want) {
			cr_expect_eq(s, DM_OVERFLOW, "%s^%lld", cases[i].x, (long long)cases[i].n);
			continue;
		}
		cr_assert_eq(dec_parse_json(cases[i].want, strlen(cases[i].want), &want), DEC_OK, "%s", cases[i].want);
		char wtext[DEC_FMT_MAX];
		wtext[dec_format(dec_reduce(want), wtext)] = 0;
		cr_assert_eq(s, DM_OK, "%s^%lld", cases[i].x, (long long)cases[i].n);
		cr_expect_str_eq(text(r), wtext, "%s^%lld", cases[i].x, (long long)cases[i].n);
	}
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
