/*
 * decmath.c - powers, roots, exponentials and logarithms of decimals.
 *
 * Method: a whole power is dec_pow_int of decimal.c, rounded once from a
 * wider power; every other function works in the 34-digit arithmetic of
 * decimal.c.
 *   - sqrt scales x by an even power of ten into the range of a double,
 *     starts from the double's root and refines it by Newton's iteration;
 *   - exp splits x = k ln 10 + r with 0 <= r < ln 10, sums the Taylor series
 *     of e^r and shifts the result by k decimal places;
 *   - ln splits x = m 10^E with 1 <= m < 10, takes three square roots of m
 *     (so it lies within 1 and 1.34) and sums the series of 2 atanh z,
 *     z = (m - 1) / (m + 1), which then converges fast.
 * Every loop has a fixed bound, so the cost of a call is bounded too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "decmath.h"

/* ln 10 to 34 digits */
static const char LN10[] = "2.302585092994045684017991454684364";

static Dec lit(const char *s)
{
	Dec d = {0, 0};
	size_t n = 0;
	while (s[n])
		n++;
	dec_parse(s, n, &d);
	return d;
}

static DmStatus st(DecStatus s)
{
	return s == DEC_OK ? DM_OK : s == DEC_DIVZERO ? DM_DIVZERO : DM_OVERFLOW;
}

/* Is x a whole number that fits 64 bits? */
static bool whole(Dec x, int64_t *n)
{
	Dec t;
	if (dec_round(x, 0, DEC_TRUNC, &t) != DEC_OK || dec_cmp(t, x) != 0)
		return false;
	return dec_to_int(t, n);
}

static double to_double(Dec x)
{
	char buf[DEC_FMT_MAX];
	size_t n = dec_format(x, buf);
	buf[n] = 0;
	return strtod(buf, NULL);
}

static Dec from_double(double v)
{
	char buf[40];
	int n = snprintf(buf, sizeof buf, "%.17g", v);
	Dec d = {0, 0};
	dec_parse_json(buf, (size_t)n, &d);
	return d;
}

/* The number of digits of x's coefficient. */
static int ndigits(Dec x)
{
	dec_coef c = x.coef < 0 ? -x.coef : x.coef;
	int d = 1;
	while (c >= 10) {
		c /= 10;
		d++;
	}
	return d;
}

DmStatus dm_pow_int(Dec x, int64_t n, Dec *r)
{
	Dec p;
	DecStatus s = dec_pow_int(x, n, &p);
	if (s)
		return st(s);
	*r = dec_reduce(p);
	return DM_OK;
}

/* A first guess at the root of y (0 < y < 10^36), in doubles: Newton's
 * iteration from y itself, without the C library's sqrt. */
static double dsqrt(double y)
{
	double g = y > 1 ? y : 1;
	for (int i = 0; i < 80; i++)
		g = (g + y / g) / 2;
	return g;
}

DmStatus dm_sqrt(Dec x, Dec *r)
{
	if (dec_sign(x) < 0)
		return DM_DOMAIN;
	if (dec_is_zero(x)) {
		*r = dec_from_int(0);
		return DM_OK;
	}
	/* x = y 10^(2h), y within the range of a double */
	int64_t e = x.exp + ndigits(x);
	int64_t h = e / 2;
	Dec y = x;
	y.exp -= (int32_t)(2 * h);
	Dec g = from_double(dsqrt(to_double(y)));
	Dec two = dec_from_int(2);
	for (int i = 0; i < 6; i++) {
		Dec q, s;
		if (dec_div(y, g, &q) || dec_add(g, q, &s) || dec_div(s, two, &g))
			return DM_OVERFLOW;
	}
	g.exp += (int32_t)h;
	if (g.exp > DEC_EMAX)
		return DM_OVERFLOW;
	*r = dec_reduce(g);
	return DM_OK;
}

DmStatus dm_exp(Dec x, Dec *r)
{
	/* e^14200 and beyond exceed 10^6144; e^-14200 and below round to zero */
	if (dec_cmp(x, dec_from_int(14200)) > 0)
		return DM_OVERFLOW;
	if (dec_cmp(x, dec_from_int(-14200)) < 0) {
		*r = dec_from_int(0);
		return DM_OK;
	}
	Dec ln10 = lit(LN10), q, k, kl, rem;
	if (dec_div(x, ln10, &q) || dec_round(q, 0, DEC_FLOOR, &k) || dec_mul(k, ln10, &kl) || dec_sub(x, kl, &rem))
		return DM_OVERFLOW;
	int64_t k10;
	if (!dec_to_int(k, &k10))
		return DM_OVERFLOW;
	Dec sum = dec_from_int(1), term = dec_from_int(1);
	for (int i = 1; i < 80; i++) {
		Dec t2, next;
		if (dec_mul(term, rem, &t2) || dec_div(t2, dec_from_int(i), &term) || dec_add(sum, term, &next))
			return DM_OVERFLOW;
		if (dec_cmp(next, sum) == 0)
			break;
		sum = next;
	}
	sum.exp += (int32_t)k10;
	if (sum.exp > DEC_EMAX)
		return DM_OVERFLOW;
	if (sum.exp < DEC_EMIN)
		sum = dec_from_int(0);
	*r = dec_reduce(sum);
	return DM_OK;
}

DmStatus dm_ln(Dec x, Dec *r)
{
	if (dec_sign(x) <= 0)
		return DM_DOMAIN;
	/* x = m 10^E with 1 <= m < 10 */
	int d = ndigits(x);
	int64_t big_e = (int64_t)x.exp + d - 1;
	Dec m = x;
	m.exp = 1 - d;
	for (int i = 0; i < 3; i++)
		if (dm_sqrt(m, &m))
			return DM_OVERFLOW;
	Dec one = dec_from_int(1), num, den, z, z2;
	if (dec_sub(m, one, &num) || dec_add(m, one, &den) || dec_div(num, den, &z) || dec_mul(z, z, &z2))
		return DM_OVERFLOW;
	Dec sum = z, pw = z;
	for (int i = 3; i < 200; i += 2) {
		Dec t, next;
		if (dec_mul(pw, z2, &pw) || dec_div(pw, dec_from_int(i), &t) || dec_add(sum, t, &next))
			return DM_OVERFLOW;
		if (dec_cmp(next, sum) == 0)
			break;
		sum = next;
	}
	Dec lnm, eln10, res;
	if (dec_mul(sum, dec_from_int(16), &lnm) || dec_mul(dec_from_int(big_e), lit(LN10), &eln10) ||
	    dec_add(lnm, eln10, &res))
		return DM_OVERFLOW;
	*r = dec_reduce(res);
	return DM_OK;
}

DmStatus dm_pow(Dec x, Dec y, Dec *r)
{
	int64_t n;
	if (whole(y, &n))
		return dm_pow_int(x, n, r);
	if (dec_is_zero(x)) {
		if (dec_sign(y) < 0)
			return DM_DIVZERO;
		*r = dec_from_int(0);
		return DM_OK;
	}
	if (dec_sign(x) < 0)
		return DM_DOMAIN;
	Dec l, p;
	DmStatus s = dm_ln(x, &l);
	if (s)
		return s;
	if (dec_mul(l, y, &p))
		return DM_OVERFLOW;
	return dm_exp(p, r);
}

DmStatus dm_mod(Dec n, Dec d, Dec *r)
{
	if (dec_is_zero(d))
		return DM_DIVZERO;
	Dec q, f, p, m;
	if (dec_div(n, d, &q) || dec_round(q, 0, DEC_FLOOR, &f) || dec_mul(d, f, &p) || dec_sub(n, p, &m))
		return DM_OVERFLOW;
	/* the quotient was rounded to 34 digits: bring the remainder between 0 and d */
	if (!dec_is_zero(m) && dec_sign(m) != dec_sign(d) && dec_add(m, d, &m))
		return DM_OVERFLOW;
	Dec am = dec_abs(m), ad = dec_abs(d);
	if (dec_cmp(am, ad) >= 0 && dec_sub(m, d, &m))
		return DM_OVERFLOW;
	*r = m;
	return DM_OK;
}
