/*
 * decimal.h - exact decimal arithmetic for Edict.
 *
 * Every decimal, money amount and percentage in Edict is a Dec: an integer
 * coefficient times a power of ten.  Nothing passes through binary floating
 * point.  The rule, documented in docs/language.md:
 *   - at most 34 significant digits (DEC_DIGITS), like IEEE 754 decimal128;
 *   - addition, subtraction and multiplication are exact when the exact
 *     result fits in 34 digits; otherwise the result is rounded half-even to
 *     34 significant digits, and if the integer part alone needs more than
 *     34 digits the operation fails with DEC_OVERFLOW (never a wrap);
 *   - division rounds half-even to 34 significant digits;
 *   - add/sub keep the finer of the two scales (1.50 + 1 = 2.50); mul and div
 *     results are reduced: trailing fractional zeros are dropped (0.10 * 500 = 50);
 *   - dec_round rounds to a number of fractional places with an explicit mode.
 * The exponent stays within [DEC_EMIN, DEC_EMAX]; outside it is DEC_OVERFLOW
 * (or, for tiny results, rounding to zero at DEC_EMIN).
 * This module knows nothing of values, types or the VM.
 */
#ifndef EDICT_DECIMAL_H
#define EDICT_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define DEC_DIGITS 34
#define DEC_EMIN (-6143)
#define DEC_EMAX 6144
/* Longest text dec_format can produce, with sign and NUL. */
#define DEC_FMT_MAX (DEC_DIGITS + 6200)

typedef __int128 dec_coef;

typedef struct Dec {
	dec_coef coef; /* |coef| < 10^34 */
	int32_t exp;   /* value = coef * 10^exp */
} Dec;

typedef enum DecStatus {
	DEC_OK = 0,
	DEC_SYNTAX,   /* not a decimal number */
	DEC_TOOLONG,  /* more than DEC_DIGITS significant digits in a literal */
	DEC_OVERFLOW, /* result too large */
	DEC_DIVZERO   /* division by zero */
} DecStatus;

typedef enum DecRound {
	DEC_HALF_EVEN, /* banker's rounding: the default */
	DEC_HALF_UP,   /* half away from zero */
	DEC_FLOOR,     /* towards minus infinity */
	DEC_CEIL,      /* towards plus infinity */
	DEC_TRUNC,     /* towards zero */
	DEC_HALF_DOWN, /* half towards zero */
	DEC_UP         /* away from zero */
} DecRound;

/* Parse "-12.50", "1_000", "0.5".  Underscores between digits are allowed
 * (policy text writes 50_000_000).  No exponent notation, no leading '+'.
 * The scale of the text is kept: "10.00" has exp -2.
 * JSON numbers ("1e3", "2.5E-2") are accepted by dec_parse_json. */
DecStatus dec_parse(const char *s, size_t n, Dec *out);
DecStatus dec_parse_json(const char *s, size_t n, Dec *out);

/* 10^n for 0 <= n <= 19: the one table of powers of ten. */
uint64_t dec_pow10(int n);

Dec dec_from_int(int64_t i);
/* Exact conversion to int64; fails (returns 0) when there is a fraction or
 * the value does not fit. */
int dec_to_int(Dec a, int64_t *out);
int dec_is_zero(Dec a);
int dec_sign(Dec a); /* -1, 0, 1 */

DecStatus dec_add(Dec a, Dec b, Dec *r);
DecStatus dec_sub(Dec a, Dec b, Dec *r);
DecStatus dec_mul(Dec a, Dec b, Dec *r);
DecStatus dec_div(Dec a, Dec b, Dec *r);
Dec dec_neg(Dec a);
Dec dec_abs(Dec a);
/* Numeric comparison: 1.0 == 1.00.  Returns -1, 0, 1. */
int dec_cmp(Dec a, Dec b);
/* Round to `places` digits after the point (negative: to tens, hundreds ..). */
DecStatus dec_round(Dec a, int places, DecRound mode, Dec *r);
/* x^n for a whole n: the exact power rounded once, half-even, to 34 digits
 * (zero below the smallest decimal).  DEC_OVERFLOW when the integer part
 * of the result needs more than 34 digits, DEC_DIVZERO for 0^-n. */
DecStatus dec_pow_int(Dec x, int64_t n, Dec *r);
/* Drop trailing fractional zeros (never makes exp positive). */
Dec dec_reduce(Dec a);

/* Plain notation, never exponent form: "-1234.50".  buf must hold
 * DEC_FMT_MAX bytes; returns the length written. */
size_t dec_format(Dec a, char *buf);

const char *dec_status_text(DecStatus s);

#endif
