/*
 * decimal.c - exact decimal arithmetic for Edict.
 *
 * How the arithmetic works.  A Dec is coef * 10^exp with |coef| < 10^34,
 * so a coefficient needs at most 113 bits and lives in an __int128.  All
 * work is done on magnitudes (unsigned) with the sign kept aside, which
 * keeps signed overflow out of the picture.
 *
 * An exact intermediate result can be wider than 128 bits: a product of two
 * coefficients has up to 68 digits, an addend aligned to a finer scale up
 * to 70, a dividend scaled up for long division up to 69.  Those live in a
 * U256, four 64-bit limbs, of which we need only a few operations: multiply
 * two 128-bit numbers, multiply or divide by a 64-bit number, add, subtract,
 * compare and count decimal digits.
 *
 * Every operation that may need rounding ends in finish(): it drops decimal
 * digits from the exact magnitude until 34 remain (and the exponent is at
 * least DEC_EMIN), remembering the first dropped digit (lead) and whether
 * anything non-zero came after it (sticky).  Those two are all that any
 * rounding mode needs.  Then it checks the one overflow rule of the
 * language: the integer part may not need more than 34 digits.
 *
 * Addition aligns both operands on the smaller exponent.  When the smaller
 * operand lies wholly below the digit where the result will be rounded, it
 * is replaced by a one at a position just under that digit: the sum then
 * rounds exactly as the true sum would (both fall strictly between the same
 * two neighbouring rounding points), and the alignment never leaves 256 bits.
 *
 * Division scales the dividend so that the quotient has 35 or 36 digits;
 * the remainder of the integer division becomes the sticky flag.
 *
 * No binary floating point, no allocation, no output.
 */
#include "decimal.h"

#include <string.h>

typedef unsigned __int128 u128;

/* A 256-bit unsigned number, least significant limb first. */
typedef struct U256 {
	uint64_t w[4];
} U256;

/* Sticky, saturated upper bound for digit counts taken from text, far above
 * any meaningful exponent yet far below int64_t overflow. */
#define BIG ((int64_t)1000000000000000)


#define E19 ((u128)10000000000000000000ULL)

/* 10^0 .. 10^38: every power of ten that fits in 128 bits. */
static const u128 pow10_128[39] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL,
	10000000000000000000ULL,
	E19 * 10ULL,
	E19 * 100ULL,
	E19 * 1000ULL,
	E19 * 10000ULL,
	E19 * 100000ULL,
	E19 * 1000000ULL,
	E19 * 10000000ULL,
	E19 * 100000000ULL,
	E19 * 1000000000ULL,
	E19 * 10000000000ULL,
	E19 * 100000000000ULL,
	E19 * 1000000000000ULL,
	E19 * 10000000000000ULL,
	E19 * 100000000000000ULL,
	E19 * 1000000000000000ULL,
	E19 * 10000000000000000ULL,
	E19 * 100000000000000000ULL,
	E19 * 1000000000000000000ULL,
	E19 * 10000000000000000000ULL,
};

/* 10^34: the first coefficient that is too large. */
#define COEF_LIMIT pow10_128[DEC_DIGITS]

uint64_t dec_pow10(int n)
{
	return (uint64_t)pow10_128[n];
}

/*
** ---------------------------------------------------------------------
** Small helpers on 128-bit magnitudes.
** ---------------------------------------------------------------------
*/

static u128 mag(dec_coef c)
{
	/* |c| < 10^34 for a valid Dec, so the negation cannot overflow. */
	return c < 0 ? (u128)-c : (u128)c;
}

static Dec make(u128 m, int neg, int64_t e)
{
	Dec d;
	d.coef = neg ? -(dec_coef)m : (dec_coef)m;
	d.exp = (int32_t)e;
	return d;
}

static int64_t clamp_exp(int64_t e)
{
	return e < DEC_EMIN ? DEC_EMIN : e > DEC_EMAX ? DEC_EMAX : e;
}

static int bitlen128(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);
	if (hi)
		return 128 - __builtin_clzll(hi);
	if ((uint64_t)v)
		return 64 - __builtin_clzll((uint64_t)v);
	return 0;
}

/* Number of decimal digits of v; 0 for 0.  (bits * 1233) >> 12 is a close
 * lower estimate of bits * log10(2), never above the true digit count, so
 * at most two steps up are needed. */
static int digits128(u128 v)
{
	int d;
	if (v == 0)
		return 0;
	d = (bitlen128(v) * 1233) >> 12;
	while (d < 39 && v >= pow10_128[d])
		d++;
	return d;
}

/* Should a magnitude be rounded away from zero?  lead is the first dropped
 * digit, sticky says whether anything after it was non-zero, odd is the
 * parity of the kept part, neg the sign of the number. */
static int round_up(DecRound mode, int neg, int lead, int sticky, int odd)
{
	if (lead == 0 && !sticky)
		return 0; /* exact */
	switch (mode) {
	case DEC_HALF_UP:
		return lead >= 5;
	case DEC_FLOOR:
		return neg;
	case DEC_CEIL:
		return !neg;
	case DEC_TRUNC:
		return 0;
	case DEC_HALF_DOWN:
		return lead > 5 || (lead == 5 && sticky);
	case DEC_UP:
		return 1;
	case DEC_HALF_EVEN:
	default:
		return lead > 5 || (lead == 5 && (sticky || odd));
	}
}

/* Divide *m by 10^k (k >= 1), reporting the first dropped digit in *lead
 * and or-ing "something non-zero after it" into *sticky. */
static void drop128(u128 *m, int64_t k, int *lead, int *sticky)
{
	if (k > 39) { /* m < 2^128 < 10^39: everything is below the lead digit */
		*sticky |= *m != 0;
		*lead = 0;
		*m = 0;
		return;
	}
	if (k > 1) {
		u128 p = pow10_128[k - 1];
		*sticky |= (*m % p) != 0;
		*m /= p;
	}
	*lead = (int)(*m % 10);
	*m /= 10;
}

/*
** ---------------------------------------------------------------------
** 256-bit unsigned arithmetic, just what the operations need.
** ---------------------------------------------------------------------
*/

static U256 u256_from(u128 v)
{
	U256 x;
	x.w[0] = (uint64_t)v;
	x.w[1] = (uint64_t)(v >> 64);
	x.w[2] = 0;
	x.w[3] = 0;
	return x;
}

static int u256_fits128(U256 x)
{
	return x.w[2] == 0 && x.w[3] == 0;
}

/* The low 128 bits. */
static u128 u256_low(U256 x)
{
	return ((u128)x.w[1] << 64) | x.w[0];
}

static int u256_is_zero(U256 x)
{
	return (x.w[0] | x.w[1] | x.w[2] | x.w[3]) == 0;
}

static int u256_cmp(U256 a, U256 b)
{
	int i;
	for (i = 3; i >= 0; i--) {
		if (a.w[i] != b.w[i])
			return a.w[i] < b.w[i] ? -1 : 1;
	}
	return 0;
}

/* a + b; callers guarantee no carry out of the top limb. */
static U256 u256_add(U256 a, U256 b)
{
	U256 r;
	unsigned carry = 0;
	int i;
	for (i = 0; i < 4; i++) {
		uint64_t s = a.w[i] + b.w[i];
		unsigned c1 = s < a.w[i];
		r.w[i] = s + carry;
		carry = c1 | (r.w[i] < s);
	}
	return r;
}

/* a - b with a >= b. */
static U256 u256_sub(U256 a, U256 b)
{
	U256 r;
	unsigned borrow = 0;
	int i;
	for (i = 0; i < 4; i++) {
		uint64_t d = a.w[i] - b.w[i];
		unsigned b1 = a.w[i] < b.w[i];
		r.w[i] = d - borrow;
		borrow = b1 | (d < borrow);
	}
	return r;
}

/* The full 256-bit product of two 128-bit numbers. */
static U256 u256_mul128(u128 a, u128 b)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	u128 p00 = (u128)a0 * b0;
	u128 p01 = (u128)a0 * b1;
	u128 p10 = (u128)a1 * b0;
	u128 p11 = (u128)a1 * b1;
	u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
	/* Each term below is a part of the true product, whose top half is
	 * < 2^128, so this sum cannot wrap. */
	u128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + p11;
	U256 r;
	r.w[0] = (uint64_t)p00;
	r.w[1] = (uint64_t)mid;
	r.w[2] = (uint64_t)hi;
	r.w[3] = (uint64_t)(hi >> 64);
	return r;
}

/* x * m; callers guarantee the product fits. */
static U256 u256_mul64(U256 x, uint64_t m)
{
	U256 r;
	uint64_t carry = 0;
	int i;
	for (i = 0; i < 4; i++) {
		u128 t = (u128)x.w[i] * m + carry;
		r.w[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
	return r;
}

/* *x /= d, returning the remainder; d != 0. */
static uint64_t u256_div64(U256 *x, uint64_t d)
{
	uint64_t rem = 0;
	int i;
	for (i = 3; i >= 0; i--) {
		u128 cur = ((u128)rem << 64) | x->w[i];
		x->w[i] = (uint64_t)(cur / d);
		rem = (uint64_t)(cur % d);
	}
	return rem;
}

/* m * 10^k; callers guarantee the product stays below 2^256. */
static U256 u256_scale(u128 m, int64_t k)
{
	U256 x = u256_mul128(m, pow10_128[k > 38 ? 38 : k]);
	for (k -= 38; k > 0; k -= 19)
		x = u256_mul64(x, (uint64_t)pow10_128[k > 19 ? 19 : k]);
	return x;
}

static int u256_digits(U256 x)
{
	int d, bits, i;
	if (u256_fits128(x))
		return digits128(u256_low(x));
	for (i = 3; x.w[i] == 0; i--)
		;
	bits = 64 * i + 64 - __builtin_clzll(x.w[i]);
	/* As in digits128; 2^256 < 10^78 bounds the count. */
	d = (bits * 1233) >> 12;
	while (d < 78 && u256_cmp(x, u256_scale(1, d)) >= 0)
		d++;
	return d;
}

/* As drop128, for 256 bits. */
static void u256_drop(U256 *x, int64_t k, int *lead, int *sticky)
{
	int64_t rest;
	if (k > 78) {
		*sticky |= !u256_is_zero(*x);
		*lead = 0;
		memset(x, 0, sizeof *x);
		return;
	}
	for (rest = k - 1; rest > 0; rest -= 19) {
		if (u256_div64(x, (uint64_t)pow10_128[rest > 19 ? 19 : rest]))
			*sticky = 1;
	}
	*lead = (int)u256_div64(x, 10);
}

/* Binary long division of n by d (d >= 1) for a quotient known to fit in
 * 128 bits.  The remainder stays below d < 2^127, so it never overflows. */
static u128 u256_divlong(U256 n, u128 d, u128 *rem)
{
	u128 q = 0, r = 0;
	int i;
	for (i = 255; i >= 0 && !((n.w[i >> 6] >> (i & 63)) & 1); i--)
		;
	for (; i >= 0; i--) {
		r = (r << 1) | ((n.w[i >> 6] >> (i & 63)) & 1);
		q <<= 1;
		if (r >= d) {
			r -= d;
			q |= 1;
		}
	}
	*rem = r;
	return q;
}

/*
** ---------------------------------------------------------------------
** Rounding an exact result.
** ---------------------------------------------------------------------
*/

/*
 * The exact result is (neg ? -1 : 1) * m * 10^e, plus something below the
 * last digit of m when sticky is set.  Round it half-even to DEC_DIGITS
 * significant digits with an exponent of at least DEC_EMIN, and fail if the
 * integer part then needs more than DEC_DIGITS digits.
 */
static DecStatus finish(U256 m, int64_t e, int sticky, int neg, Dec *r)
{
	int d = u256_digits(m);
	int64_t drop = d > DEC_DIGITS ? d - DEC_DIGITS : 0;
	int lead = 0;
	u128 c;

	if (e + drop < DEC_EMIN)
		drop = DEC_EMIN - e;
	if (drop > 0) {
		u256_drop(&m, drop, &lead, &sticky);
		e += drop;
	}
	c = u256_low(m); /* now below 10^34 */
	if (round_up(DEC_HALF_EVEN, neg, lead, sticky, (int)(c & 1))) {
		c++;
		if (c == COEF_LIMIT) { /* 9999..9 carried into a 35th digit */
			c = pow10_128[DEC_DIGITS - 1];
			e++;
		}
	}
	if (c == 0) {
		*r = make(0, 0, clamp_exp(e));
		return DEC_OK;
	}
	if (digits128(c) + e > DEC_DIGITS)
		return DEC_OVERFLOW;
	*r = make(c, neg, e);
	return DEC_OK;
}

/*
** ---------------------------------------------------------------------
** Parsing.
** ---------------------------------------------------------------------
*/

/* Digits of a number's text, as they are read. */
typedef struct Digits {
	u128 coef;     /* significant digits so far, trailing zeros excluded */
	int64_t ndig;  /* digits in coef, counted from the first non-zero one */
	int64_t zeros; /* zeros read after the last non-zero digit */
	int64_t frac;  /* digits after the point */
	int toolong;   /* more than DEC_DIGITS significant digits */
} Digits;

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void put_digit(Digits *d, int c, int in_frac)
{
	if (in_frac && d->frac < BIG)
		d->frac++;
	if (c == 0) {
		/* Leading zeros are not significant. */
		if (d->ndig > 0 && d->zeros < BIG)
			d->zeros++;
		return;
	}
	if (d->toolong || d->ndig + d->zeros + 1 > DEC_DIGITS) {
		d->toolong = 1;
		return;
	}
	d->coef = d->coef * pow10_128[d->zeros + 1] + (unsigned)c;
	d->ndig += d->zeros + 1;
	d->zeros = 0;
}

/* Read a run of at least one digit from s[*i], with single underscores
 * between two digits when us is set.  Returns 0 when no digit is there. */
static int scan_digits(const char *s, size_t n, size_t *i, Digits *d,
		int in_frac, int us)
{
	size_t j = *i;
	if (j >= n || !is_digit(s[j]))
		return 0;
	for (;;) {
		put_digit(d, s[j] - '0', in_frac);
		j++;
		if (j < n && is_digit(s[j]))
			continue;
		if (us && j + 1 < n && s[j] == '_' && is_digit(s[j + 1])) {
			j++;
			continue;
		}
		break;
	}
	*i = j;
	return 1;
}

/*
 * A literal keeps its scale exactly, so every digit from the first non-zero
 * one on is significant, trailing fractional zeros included ("1.50" is
 * 150e-2).  A literal of only zeros may be as long as it likes; its exponent
 * is clamped to DEC_EMIN.  A non-zero literal with more than -DEC_EMIN
 * fractional digits cannot keep its scale either: DEC_TOOLONG.
 */
/* The usual text of a fact, like "19.6" or "94500000": at most 19 plain
 * digits, with perhaps a point between two of them.  Read at 64 bits, it
 * gives what the general reader below gives (the digits as one integer,
 * the exponent minus the digits after the point), at a fraction of the
 * cost; anything else (underscores, longer or odd text) is left to it. */
static int parse_plain(const char *s, size_t n, Dec *out)
{
	size_t i = 0;
	int neg = 0, nd = 0, frac = 0, point = 0;
	uint64_t v = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n; i++) {
		char ch = s[i];
		if (is_digit(ch)) {
			v = v * 10 + (uint64_t)(ch - '0');
			nd++;
			frac += point;
		} else if (ch == '.' && !point && nd > 0 && i + 1 < n) {
			point = 1;
		} else {
			return 0;
		}
	}
	if (nd == 0 || nd > 19)
		return 0;
	*out = make(v, neg, -frac);
	return 1;
}

DecStatus dec_parse(const char *s, size_t n, Dec *out)
{
	if (parse_plain(s, n, out))
		return DEC_OK;
	Digits d = {0, 0, 0, 0, 0};
	size_t i = 0;
	int neg = 0;
	int64_t e;
	u128 c;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (!scan_digits(s, n, &i, &d, 0, 1))
		return DEC_SYNTAX;
	if (i < n && s[i] == '.') {
		i++;
		if (!scan_digits(s, n, &i, &d, 1, 1))
			return DEC_SYNTAX;
	}
	if (i != n)
		return DEC_SYNTAX;
	if (d.toolong || d.ndig + d.zeros > DEC_DIGITS)
		return DEC_TOOLONG;
	c = d.coef * pow10_128[d.zeros];
	e = -d.frac;
	if (e < DEC_EMIN) {
		if (c != 0)
			return DEC_TOOLONG;
		e = DEC_EMIN;
	}
	*out = make(c, neg, e);
	return DEC_OK;
}

/*
 * JSON numbers.  The exponent is applied exactly: "2.5E-2" is 25e-3 and
 * "1e3" is 1e3 (formatted "1000").  Trailing zeros of the digit string that
 * would take it past DEC_DIGITS digits are dropped into the exponent, since
 * JSON has no notion of scale; any other excess digit is DEC_TOOLONG, as
 * for a literal.  A value whose integer part needs more than DEC_DIGITS
 * digits is DEC_OVERFLOW, like an arithmetic result; a tiny one is rounded
 * at DEC_EMIN.  The exponent text may be arbitrarily long.
 */
DecStatus dec_parse_json(const char *s, size_t n, Dec *out)
{
	Digits d = {0, 0, 0, 0, 0};
	size_t i = 0;
	int neg = 0, eneg = 0;
	int64_t ex = 0, extra = 0, e;
	u128 c;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i < n && s[i] == '0') {
		put_digit(&d, 0, 0);
		i++;
	} else if (!scan_digits(s, n, &i, &d, 0, 0)) {
		return DEC_SYNTAX;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (!scan_digits(s, n, &i, &d, 1, 0))
			return DEC_SYNTAX;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= n || !is_digit(s[i]))
			return DEC_SYNTAX;
		for (; i < n && is_digit(s[i]); i++) {
			if (ex < BIG)
				ex = ex * 10 + (s[i] - '0');
		}
	}
	if (i != n)
		return DEC_SYNTAX;
	if (d.toolong)
		return DEC_TOOLONG;
	if (d.zeros > DEC_DIGITS - d.ndig) {
		extra = d.zeros - (DEC_DIGITS - d.ndig);
		d.zeros = DEC_DIGITS - d.ndig;
	}
	c = d.coef * pow10_128[d.zeros];
	/* Every term is below a few times BIG: no overflow. */
	e = (eneg ? -ex : ex) - d.frac + extra;
	/* a zero, or a number too small to hold, is plain 0 unless its scale
	 * is one a person would write (0.000) */
	if (c == 0) {
		*out = make(0, 0, e < -DEC_DIGITS ? 0 : clamp_exp(e));
		return DEC_OK;
	}
	DecStatus st = finish(u256_from(c), e, 0, neg, out);
	if (st == DEC_OK && out->coef == 0)
		*out = make(0, 0, 0);
	return st;
}

/*
** ---------------------------------------------------------------------
** Conversions and small queries.
** ---------------------------------------------------------------------
*/

Dec dec_from_int(int64_t i)
{
	Dec d;
	d.coef = i;
	d.exp = 0;
	return d;
}

int dec_to_int(Dec a, int64_t *out)
{
	u128 m = mag(a.coef);
	int neg = a.coef < 0;
	u128 limit = neg ? (u128)INT64_MAX + 1 : (u128)INT64_MAX;

	if (m == 0) {
		*out = 0;
		return 1;
	}
	if (a.exp > 0) {
		if (a.exp > 18 || m > limit / pow10_128[a.exp])
			return 0;
		m *= pow10_128[a.exp];
	} else if (a.exp < 0) {
		int64_t k = -(int64_t)a.exp;
		if (k > 38 || m % pow10_128[k] != 0)
			return 0; /* a fraction (m < 10^39 is never a multiple of 10^39) */
		m /= pow10_128[k];
	}
	if (m > limit)
		return 0;
	*out = neg ? (int64_t)(-(dec_coef)m) : (int64_t)m;
	return 1;
}

int dec_is_zero(Dec a)
{
	return a.coef == 0;
}

int dec_sign(Dec a)
{
	return (a.coef > 0) - (a.coef < 0);
}

Dec dec_neg(Dec a)
{
	a.coef = -a.coef;
	return a;
}

Dec dec_abs(Dec a)
{
	if (a.coef < 0)
		a.coef = -a.coef;
	return a;
}

Dec dec_reduce(Dec a)
{
	u128 m;
	uint64_t s;
	int neg;
	int64_t e = a.exp;

	if (a.coef == 0) {
		if (a.exp < 0)
			a.exp = 0;
		return a;
	}
	if (e >= 0)
		return a;
	m = mag(a.coef);
	neg = a.coef < 0;
	/* Eight zeros at a time in 128 bits, then the cheaper 64-bit loop. */
	while (m > UINT64_MAX && e <= -8 && m % 100000000 == 0) {
		m /= 100000000;
		e += 8;
	}
	if (m > UINT64_MAX) {
		while (e < 0 && m % 10 == 0) {
			m /= 10;
			e++;
		}
		return make(m, neg, e);
	}
	s = (uint64_t)m;
	while (e <= -4 && s % 10000 == 0) {
		s /= 10000;
		e += 4;
	}
	while (e < 0 && s % 10 == 0) {
		s /= 10;
		e++;
	}
	return make(s, neg, e);
}

/*
** ---------------------------------------------------------------------
** Arithmetic.
** ---------------------------------------------------------------------
*/

/* The general case of dec_add. */
static DecStatus add_slow(Dec a, Dec b, Dec *r)
{
	u128 ma, mb;
	int na, nb, da, db, neg;
	int64_t diff, e;
	U256 x, y, s;

	if (a.exp < b.exp) { /* make a the operand with the coarser scale */
		Dec t = a;
		a = b;
		b = t;
	}
	ma = mag(a.coef);
	mb = mag(b.coef);
	na = a.coef < 0;
	nb = b.coef < 0;
	e = b.exp;
	if (ma == 0)
		return finish(u256_from(mb), e, 0, nb, r);
	da = digits128(ma);
	db = digits128(mb);
	/*
	 * Is b wholly below 10^(top(a) - 35), where top(a) = a.exp + da - 1 is
	 * the position of a's leading digit?  Then |a + b| > 10^(top(a) - 1),
	 * the result keeps at most 34 digits from position top(a) - 1 down, so
	 * its rounding unit is 10^(top(a) - 34) or coarser, and b only matters
	 * through its sign and being non-zero: replace it by a one just below.
	 */
	if ((int64_t)b.exp + db <= (int64_t)a.exp + da - 36) {
		mb = mb != 0;
		e = (int64_t)a.exp + da - 37;
	}
	/* Here da + (a.exp - e) <= 70: the aligned a stays below 10^70. */
	diff = (int64_t)a.exp - e;
	x = u256_scale(ma, diff);
	y = u256_from(mb);
	if (na == nb) {
		s = u256_add(x, y);
		neg = na;
	} else if (u256_cmp(x, y) >= 0) {
		s = u256_sub(x, y);
		neg = na;
	} else {
		s = u256_sub(y, x);
		neg = nb;
	}
	return finish(s, e, 0, neg, r);
}

DecStatus dec_add(Dec a, Dec b, Dec *r)
{
	/* Fast paths: same scale, or a scale that aligns within 34 digits,
	 * and an exact sum that fits with no integer part to check. */
	if (a.exp == b.exp) {
		dec_coef s = a.coef + b.coef;
		if (a.exp <= 0 && s < (dec_coef)COEF_LIMIT && s > -(dec_coef)COEF_LIMIT) {
			r->coef = s;
			r->exp = a.exp;
			return DEC_OK;
		}
	} else {
		Dec hi = a.exp > b.exp ? a : b, lo = a.exp > b.exp ? b : a;
		int64_t diff = (int64_t)hi.exp - lo.exp;
		if (lo.exp <= 0 && diff < DEC_DIGITS
				&& mag(hi.coef) < pow10_128[DEC_DIGITS - diff]) {
			dec_coef s = hi.coef * (dec_coef)pow10_128[diff] + lo.coef;
			if (s < (dec_coef)COEF_LIMIT && s > -(dec_coef)COEF_LIMIT) {
				r->coef = s;
				r->exp = lo.exp;
				return DEC_OK;
			}
		}
	}
	return add_slow(a, b, r);
}

DecStatus dec_sub(Dec a, Dec b, Dec *r)
{
	return dec_add(a, dec_neg(b), r);
}

DecStatus dec_mul(Dec a, Dec b, Dec *r)
{
	u128 ma = mag(a.coef), mb = mag(b.coef);
	int neg = (a.coef < 0) != (b.coef < 0);
	int64_t e = (int64_t)a.exp + b.exp;
	Dec t;
	DecStatus st;

	if (ma == 0 || mb == 0) {
		*r = make(0, 0, 0);
		return DEC_OK;
	}
	/* Fast path: a product of two 64-bit magnitudes fits in 128 bits. */
	if (ma <= UINT64_MAX && mb <= UINT64_MAX) {
		u128 p = ma * mb;
		if (p < COEF_LIMIT && e <= 0 && e >= DEC_EMIN) {
			*r = dec_reduce(make(p, neg, e));
			return DEC_OK;
		}
	}
	st = finish(u256_mul128(ma, mb), e, 0, neg, &t);
	if (st != DEC_OK)
		return st;
	*r = dec_reduce(t);
	return DEC_OK;
}

DecStatus dec_div(Dec a, Dec b, Dec *r)
{
	u128 ma = mag(a.coef), mb = mag(b.coef), q;
	int neg = (a.coef < 0) != (b.coef < 0);
	int64_t s, e;
	int sticky;
	U256 x;
	Dec t;
	DecStatus st;

	if (mb == 0)
		return DEC_DIVZERO;
	if (ma == 0) {
		*r = make(0, 0, 0);
		return DEC_OK;
	}
	/*
	 * With ma of da digits and mb of db digits, ma * 10^s / mb lies in
	 * (10^(da+s-db-1), 10^(da+s-db+1)).  s = 35 + db - da (>= 1) makes the
	 * quotient 35 or 36 digits long: at least one digit to round on.  The
	 * scaled dividend stays below 10^(35+db) <= 10^69.
	 */
	s = DEC_DIGITS + 1 + digits128(mb) - digits128(ma);
	x = u256_scale(ma, s);
	e = (int64_t)a.exp - b.exp - s;
	if (mb <= UINT64_MAX) {
		sticky = u256_div64(&x, (uint64_t)mb) != 0;
	} else {
		u128 rem;
		q = u256_divlong(x, mb, &rem);
		sticky = rem != 0;
		x = u256_from(q);
	}
	st = finish(x, e, sticky, neg, &t);
	if (st != DEC_OK)
		return st;
	*r = dec_reduce(t);
	return DEC_OK;
}

int dec_cmp(Dec a, Dec b)
{
	int sa, sb, c;
	int64_t ta, tb;
	u128 ma, mb;

	if (a.exp == b.exp)
		return (a.coef > b.coef) - (a.coef < b.coef);
	sa = dec_sign(a);
	sb = dec_sign(b);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	ma = mag(a.coef);
	mb = mag(b.coef);
	/* Compare the positions of the leading digits first ... */
	ta = (int64_t)a.exp + digits128(ma);
	tb = (int64_t)b.exp + digits128(mb);
	if (ta != tb) {
		c = ta < tb ? -1 : 1;
	} else {
		/* ... and only when they agree align the coefficients: the
		 * exponent difference is then the difference of digit counts,
		 * so the aligned one has no more digits than the other. */
		if (a.exp > b.exp)
			ma *= pow10_128[(int64_t)a.exp - b.exp];
		else
			mb *= pow10_128[(int64_t)b.exp - a.exp];
		c = (ma > mb) - (ma < mb);
	}
	return sa > 0 ? c : -c;
}

/*
 * The result has exponent -places whenever that can be represented: a
 * coarser number gains zeros (round(2, 2) = 2.00), a finer one is rounded
 * (round(2.345, 2) = 2.35 half-even or half-up).  Negative places give a
 * positive exponent: round(1234, -2) = 12e2, formatted "1200".  When the
 * gained zeros would take the coefficient past 34 digits, or -places is
 * below DEC_EMIN, no rounding is needed and a is returned unchanged.
 * DEC_OVERFLOW when rounding up makes the integer part need 35 digits.
 */
DecStatus dec_round(Dec a, int places, DecRound mode, Dec *r)
{
	int64_t t = -(int64_t)places, k;
	u128 m = mag(a.coef);
	int neg = a.coef < 0, lead = 0, sticky = 0;

	if (a.exp >= t) {
		k = (int64_t)a.exp - t;
		if (t >= DEC_EMIN && (m == 0 || (k <= DEC_DIGITS
				&& m < pow10_128[DEC_DIGITS - k])))
			*r = make(m * pow10_128[k > DEC_DIGITS ? 0 : k], neg, t);
		else
			*r = a;
		return DEC_OK;
	}
	drop128(&m, t - a.exp, &lead, &sticky);
	if (round_up(mode, neg, lead, sticky, (int)(m & 1)))
		m++;
	if (m == 0) {
		*r = make(0, 0, clamp_exp(t));
		return DEC_OK;
	}
	if (digits128(m) + t > DEC_DIGITS)
		return DEC_OVERFLOW;
	*r = make(m, neg, t);
	return DEC_OK;
}

/*
** ---------------------------------------------------------------------
** Whole powers.
** ---------------------------------------------------------------------
*/

/*
 * x^n for a whole n, rounded once, half-even, to 34 digits.
 *
 * With |x| = c 10^e, |x|^m = c^m 10^(e m) and |x|^-m = (1/c)^m 10^(-e m).
 * The power of c, or of 1/c taken to k limbs by long division, is computed
 * by squaring in a wide number of k limbs of 18 digits: every product is
 * cut to its top k limbs.  A cut lowers a number by less than u times it,
 * u = 10^-(18(k-1)), as the k limbs kept start with a non-zero one.  A
 * product carries the cuts of both factors and its own, so at most (1+t)m
 * cuts reach the result, t being 1 when 1/c was cut.
 * With A the wide result, A <= |x^n| <= A (1+u)^((1+t)m) <= A + 2(1+t)m u A.
 * When A and that upper end round to the same decimal, the power rounds
 * to it too.  A power that was cut anywhere has more than 54 significant
 * digits (the powers of a number not divisible by ten only grow in
 * digits), so it is no halfway point and lies strictly above A.
 *
 * When the two ends round apart, the power lies within 2(1+t)m u of a
 * halfway point, and it is tried again with twice the limbs, up to 32
 * (u = 10^-558); past that the lower end is taken, whose rounding may then
 * be one unit off only if the power lies within one part in 10^538 of a
 * halfway point.  A wide power that passes 10^34 or falls below 10^-6145
 * stops there: its own power is too large, or rounds to zero.
 */

#define LIMB 1000000000000000000ULL /* 10^18 */
#define LIMB_DIGITS 18
#define WIDE_FIRST 4 /* limbs of the first try: 55 digits or more */
#define WIDE_MAX 32  /* limbs of the last try */

/* l[0 .. n-1] * 10^e, least significant limb first, l[n-1] != 0. */
typedef struct Wide {
	uint64_t l[2 * WIDE_MAX];
	int n;
	int64_t e;
} Wide;

/* Drop zero limbs from both ends: the value stays as it was. */
static void wide_trim(Wide *w)
{
	int lo = 0;
	while (w->n > 1 && w->l[w->n - 1] == 0)
		w->n--;
	while (lo < w->n - 1 && w->l[lo] == 0)
		lo++;
	if (lo) {
		memmove(w->l, w->l + lo, (size_t)(w->n - lo) * sizeof w->l[0]);
		w->n -= lo;
		w->e += (int64_t)lo * LIMB_DIGITS;
	}
}

static void wide_from(u128 c, int64_t e, Wide *w)
{
	w->l[0] = (uint64_t)(c % LIMB);
	w->l[1] = (uint64_t)(c / LIMB); /* c < 10^34 < 10^36 */
	w->n = 2;
	w->e = e;
	wide_trim(w);
}

/* r = a * b cut to k limbs; *cut is set when the cut dropped a non-zero
 * digit.  r may be a or b.  A column holds at most 32 products below 10^36
 * and a carry below 10^21, well within 128 bits. */
static void wide_mul(const Wide *a, const Wide *b, int k, Wide *r, int *cut)
{
	Wide t;
	u128 carry = 0;
	int i, col;
	t.n = a->n + b->n;
	t.e = a->e + b->e;
	for (col = 0; col < t.n; col++) {
		u128 sum = carry, q;
		int lo = col - b->n + 1 > 0 ? col - b->n + 1 : 0;
		int hi = col < a->n - 1 ? col : a->n - 1;
		for (i = lo; i <= hi; i++)
			sum += (u128)a->l[i] * b->l[col - i];
		q = sum <= UINT64_MAX ? (uint64_t)sum / LIMB : sum / LIMB;
		t.l[col] = (uint64_t)(sum - q * LIMB);
		carry = q;
	}
	wide_trim(&t);
	if (t.n > k) {
		int drop = t.n - k;
		for (i = 0; i < drop; i++)
			*cut |= t.l[i] != 0;
		memmove(t.l, t.l + drop, (size_t)k * sizeof t.l[0]);
		t.n = k;
		t.e += (int64_t)drop * LIMB_DIGITS;
		wide_trim(&t);
	}
	r->n = t.n;
	r->e = t.e;
	memcpy(r->l, t.l, (size_t)t.n * sizeof t.l[0]);
}

/* 1/c (c >= 1) to k limbs by long division; *cut is set when a remainder
 * was left.  Each quotient limb is below 10^18 since the remainder before
 * it is below c. */
static void wide_inverse(u128 c, int k, Wide *w, int *cut)
{
	u128 rem = 1;
	int got = 0;
	w->e = 0;
	if (c == 1) {
		wide_from(1, 0, w);
		return;
	}
	while (got < k) {
		u128 q;
		if (c <= UINT64_MAX) {
			u128 cur = rem * LIMB; /* below 2^64 10^18 < 2^124 */
			q = cur / c;
			rem = cur - q * c;
		} else {
			q = u256_divlong(u256_mul128(rem, LIMB), c, &rem);
		}
		w->e -= LIMB_DIGITS;
		if (q != 0 || got > 0)
			w->l[k - 1 - got++] = (uint64_t)q;
	}
	w->n = k;
	*cut |= rem != 0;
	wide_trim(w);
}

/* The number of decimal digits of w's limbs. */
static int64_t wide_digits(const Wide *w)
{
	return (int64_t)(w->n - 1) * LIMB_DIGITS + digits128(w->l[w->n - 1]);
}

/* w is a power x^p, p <= m, taken low: x^p is at most half as large again.
 * Is x^p past 10^34, and so x^m too large (1), or below 10^-6145, so that
 * x^m rounds to zero (-1)? */
static int wide_out_of_range(const Wide *w)
{
	int64_t top = w->e + wide_digits(w); /* 10^(top-1) <= w < 10^top */
	if (top - 1 >= DEC_DIGITS)
		return 1;
	return top <= DEC_EMIN - 2 ? -1 : 0;
}

/* w + add: the upper end of a wide result. */
static void wide_add(Wide *w, u128 add)
{
	int i;
	for (i = 0; add != 0; i++) {
		u128 s = add % LIMB + (i < w->n ? w->l[i] : 0);
		add /= LIMB;
		if (i >= w->n)
			w->n = i + 1;
		w->l[i] = (uint64_t)(s % LIMB);
		add += s / LIMB;
	}
}

/* Round w (plus something below its last digit when sticky is set) to a
 * decimal.  finish sees its first 35 or 36 digits, enough to round on, and
 * the rest as sticky: the top two limbs and as many digits of the third as
 * they lack. */
static DecStatus wide_round(const Wide *w, int sticky, int neg, Dec *r)
{
	uint64_t top[3] = {0, 0, 0};
	int i, have = w->n < 3 ? w->n : 3;
	for (i = 0; i < have; i++)
		top[i] = w->l[w->n - 1 - i];
	for (i = 0; i < w->n - 3; i++)
		sticky |= w->l[i] != 0;
	int take = DEC_DIGITS + 1 - LIMB_DIGITS - digits128(top[0]);
	take = take > 0 ? take : 0; /* digits wanted from the third limb */
	uint64_t unit = (uint64_t)pow10_128[LIMB_DIGITS - take];
	sticky |= top[2] % unit != 0;
	u128 v = ((u128)top[0] * LIMB + top[1]) * pow10_128[take] + top[2] / unit;
	int64_t e = w->e + (int64_t)(w->n - 3) * LIMB_DIGITS + LIMB_DIGITS - take;
	return finish(u256_from(v), e, sticky, neg, r);
}

typedef enum PowTry { POW_SURE, POW_UNSURE } PowTry;

/* One try at |x|^m (or |x|^-m when inv) with k limbs. */
static PowTry pow_try(Dec x, uint64_t m, int inv, int k, DecStatus *st, Dec *r)
{
	int neg = x.coef < 0 && (m & 1), cut = 0, out;
	u128 cuts = (u128)m; /* (1+t) m: the cuts that reach the result */
	Wide base, acc;
	if (inv) {
		wide_inverse(mag(x.coef), k, &base, &cut);
		base.e -= x.exp;
		cuts += cut ? m : 0;
	} else {
		wide_from(mag(x.coef), x.exp, &base);
	}
	wide_from(1, 0, &acc);
	out = wide_out_of_range(&base);
	while (!out) {
		if (m & 1) {
			wide_mul(&acc, &base, k, &acc, &cut);
			out = wide_out_of_range(&acc);
		}
		m >>= 1;
		if (!m || out)
			break;
		wide_mul(&base, &base, k, &base, &cut);
		out = wide_out_of_range(&base);
	}
	if (out) {
		*r = make(0, 0, 0);
		*st = out > 0 ? DEC_OVERFLOW : DEC_OK;
		return POW_SURE;
	}
	*st = wide_round(&acc, cut, neg, r);
	if (!cut)
		return POW_SURE;
	/* A < 10^(18(k-1)) (l[k-1] + 1), so 2 cuts u A <= 2 cuts (l[k-1] + 1) */
	Dec hi;
	u128 top = acc.n >= k ? acc.l[k - 1] : 0;
	wide_add(&acc, 2 * cuts * (top + 1));
	DecStatus hst = wide_round(&acc, 1, neg, &hi);
	if (hst != *st || (hst == DEC_OK && dec_cmp(hi, *r) != 0))
		return POW_UNSURE;
	return POW_SURE;
}

DecStatus dec_pow_int(Dec x, int64_t n, Dec *r)
{
	/* -n overflows for the least whole number: m is |n| without it */
	uint64_t m = n < 0 ? (uint64_t)(-(n + 1)) + 1 : (uint64_t)n;
	DecStatus st;
	int k;
	if (m == 0) {
		*r = dec_from_int(1);
		return DEC_OK;
	}
	if (x.coef == 0) {
		*r = make(0, 0, 0);
		return n < 0 ? DEC_DIVZERO : DEC_OK;
	}
	for (k = WIDE_FIRST; pow_try(x, m, n < 0, k, &st, r) == POW_UNSURE && k < WIDE_MAX; k *= 2)
		;
	return st;
}

/*
** ---------------------------------------------------------------------
** Formatting.
** ---------------------------------------------------------------------
*/

/* Decimal digits of v into buf (no NUL), returning their count (>= 1). */
static int u128_text(u128 v, char *buf)
{
	char tmp[40];
	int n = 0, i;

	while (v > UINT64_MAX) {
		uint64_t chunk = (uint64_t)(v % E19);
		v /= E19;
		for (i = 0; i < 19; i++) {
			tmp[n++] = (char)('0' + chunk % 10);
			chunk /= 10;
		}
	}
	{
		uint64_t s = (uint64_t)v;
		do {
			tmp[n++] = (char)('0' + s % 10);
			s /= 10;
		} while (s);
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

size_t dec_format(Dec a, char *buf)
{
	char dig[40];
	char *p = buf;
	int nd = u128_text(mag(a.coef), dig);
	/* A valid Dec has its exponent in range; clamping keeps an invalid one
	 * from writing past DEC_FMT_MAX. */
	int64_t e = clamp_exp(a.exp);

	if (a.coef < 0)
		*p++ = '-';
	if (e >= 0) {
		memcpy(p, dig, (size_t)nd);
		p += nd;
		if (a.coef != 0) {
			memset(p, '0', (size_t)e);
			p += e;
		}
	} else if (nd > -e) {
		size_t ip = (size_t)(nd + e);
		memcpy(p, dig, ip);
		p += ip;
		*p++ = '.';
		memcpy(p, dig + ip, (size_t)-e);
		p += -e;
	} else {
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', (size_t)(-e - nd));
		p += -e - nd;
		memcpy(p, dig, (size_t)nd);
		p += nd;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

const char *dec_status_text(DecStatus s)
{
	switch (s) {
	case DEC_OK:
		return "no error";
	case DEC_SYNTAX:
		return "not a number";
	case DEC_TOOLONG:
		return "the number has more than 34 significant digits";
	case DEC_OVERFLOW:
		return "the result is too large for a decimal (34 digits, exponents to 6144)";
	case DEC_DIVZERO:
		return "division by zero";
	}
	return "unknown decimal error";
}
