/*
 * decmath.h - powers, roots, exponentials and logarithms of decimals.
 *
 * Built on the exact decimal arithmetic of decimal.h: every result has at
 * most DEC_DIGITS (34) significant digits.  A power with a whole exponent
 * is the exact power rounded once (half to even, dec_pow_int); square
 * roots, exponentials and logarithms are computed to 34 digits, the last
 * of which may be off by one.  Used by the builtins sqrt, exp, ln and
 * the operator '^'.
 */
#ifndef EDICT_DECMATH_H
#define EDICT_DECMATH_H

#include "decimal.h"

typedef enum DmStatus {
	DM_OK = 0,
	DM_OVERFLOW, /* the result is too large for a decimal */
	DM_DIVZERO,  /* zero to a negative power */
	DM_DOMAIN    /* no real result: the root or logarithm of a negative number, ... */
} DmStatus;

/* x ^ n for a whole n; a result too small for a decimal is 0. */
DmStatus dm_pow_int(Dec x, int64_t n, Dec *r);
/* x ^ y: whole y through dm_pow_int, otherwise exp(y * ln x) for x > 0. */
DmStatus dm_pow(Dec x, Dec y, Dec *r);
DmStatus dm_sqrt(Dec x, Dec *r);
DmStatus dm_exp(Dec x, Dec *r);
DmStatus dm_ln(Dec x, Dec *r);
/* n mod d with the sign of d (DMN's modulo): n - d * floor(n / d). */
DmStatus dm_mod(Dec n, Dec d, Dec *r);

#endif
