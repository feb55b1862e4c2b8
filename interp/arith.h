/*
 * arith.h - the operations on values, as plain functions.
 *
 * Arithmetic, comparison, equality, Kleene logic, membership, rounding and
 * negation of runtime values, each a function that returns a status rather
 * than raising an error, so that the constant folder (fold.c) and the VM
 * (vm.c) compute with one piece of code, as Lua's lcode.c and lvm.c share
 * luaO_rawarith.  The VM turns a status into a runtime error at the
 * instruction that failed (ar_message says it in words); the folder leaves
 * a subtree that fails unfolded, so the error comes when it is evaluated.
 *
 * This module knows values (value.h) and decimals (decimal.h), nothing of
 * programs, contexts or bytecode.
 */
#ifndef EDICT_ARITH_H
#define EDICT_ARITH_H

#include <stddef.h>
#include <string.h>

#include "value.h"

typedef enum ArStatus {
	AR_OK = 0,
	AR_INT_OVERFLOW,  /* a whole number passed 64 bits */
	AR_MIXED,         /* two kinds of value that do not combine */
	AR_CURRENCY,      /* two currencies added, subtracted or divided */
	AR_CMP_CURRENCY,  /* two currencies compared */
	AR_DUR_UNITS,     /* days (or weeks) with months (or years) */
	AR_CMP_DUR_UNITS, /* the same, compared */
	AR_DATE_RANGE,    /* a date outside 0001 to 9999 */
	AR_DUR_RANGE,     /* a duration past AR_DUR_MAX units */
	AR_DIVZERO,       /* division by zero */
	AR_DEC_OVERFLOW   /* a decimal too large */
} ArStatus;

typedef enum ArOp { AR_ADD, AR_SUB, AR_MUL, AR_DIV } ArOp;

/* A duration stays within +/- AR_DUR_MAX units, so converting weeks to days
 * or years to months never overflows. */
#define AR_DUR_MAX 100000000

/* The message of a failed operation on a and b, for a policy officer. */
const char *ar_message(ArStatus st, Value a, Value b);

/* a op b; unknown in, unknown out (for the facts of both). */
ArStatus ar_arith(ArOp op, Value a, Value b, Value *out);
/* -a */
ArStatus ar_neg(Value a, Value *out);
/* |a| of a known number or amount */
ArStatus ar_abs(Value a, Value *out);
/* x rounded to `places` digits after the point (a whole number stays one
 * unless places < 0). */
ArStatus ar_round(Value x, int places, DecRound mode, Value *out);

/* The order of two known values of one type (-1, 0, 1), refusing amounts
 * in two currencies and durations in days against months. */
ArStatus ar_compare(Value a, Value b, int *out);
/* The same without the refusals: for sorting values already checked. */
int ar_order(Value a, Value b);
/* Equality of two known values (1.0 = 1.00); two currencies are refused. */
ArStatus ar_equal(Value a, Value b, bool *out);

/* Kleene logic: false and unknown = false, true or unknown = true. */
Value ar_and(Value a, Value b);
Value ar_or(Value a, Value b);
/* `a in list`: true, false, or unknown when an unknown item could decide. */
Value ar_in(Value a, const List *list);
/* Tariff code in chapter, heading (whole numbers) or subheading (a code);
 * kind is an HsLevel (ast.h). */
bool ar_hs_match(int kind, Value code, Value want);

/* ---- the steps of comparing long values, the same in both tiers */

/* The steps beyond its instruction's own that comparing a with b spends
 * (=, <>, <, <=, >, >=): the lighter one's val_compare_weight, so that a
 * comparison of long texts, lists or records costs in proportion to what
 * it reads.  Counted up to budget + 1 (more than is left). */
long long ar_compare_steps(Value a, Value b, long long budget);
/* `a in l` (ar_in) spending from *budget, as it goes, the steps of
 * comparing a with each item it looks at (ar_compare_steps), each before
 * that comparison: so it spends nothing for the items after the one that
 * equals a.  False, *budget below 0, where they run out first. */
bool ar_in_within(Value a, const List *l, long long *budget, Value *out);

/* ---- the VM's fast paths, shared so that they stay in step */

/* Whether ar_compare_steps(a, b) may be more than 0: a quick test ahead of
 * it, true for texts and the tags after them (lists, records, members,
 * which weigh something where they carry a value). */
static inline bool ar_may_weigh(Value a)
{
	_Static_assert(V_STR < V_ENUM && V_ENUM < V_HS && V_HS < V_LIST && V_LIST < V_REC,
		       "texts and the values that may hold them come last");
	return a.tag >= V_STR;
}

static inline bool ar_is_numeric(Value v)
{
	return v.tag == V_INT || val_is_declike(v);
}

/* Whether a and b have one header (type, width, currency, scale: the 8
 * bytes before the payload), in one test rather than one for each field.
 * With b an ar_in_place_const, ar_equal_in_place(a, b) then holds. */
_Static_assert(offsetof(Value, as) == sizeof(uint64_t) &&
		       sizeof(((Value *)0)->tag) + sizeof(((Value *)0)->big) + sizeof(((Value *)0)->cur) +
				       sizeof(((Value *)0)->aux) ==
			       sizeof(uint64_t),
	       "a value's header is its first 8 bytes, without padding");
static inline bool ar_same_header(const Value *a, const Value *b)
{
	uint64_t x, y;
	memcpy(&x, a, sizeof x);
	memcpy(&y, b, sizeof y);
	return x == y;
}

/* Two known values whose 64-bit coefficients order them as the values are
 * ordered: one kind of number, date, member or truth, one scale (and
 * currency), neither wide.  Text, durations (weeks against days), lists
 * and unknowns are compared otherwise. */
static inline bool ar_same_scale(Value a, Value b)
{
	/* one header: one tag, width, currency and scale */
	return ar_same_header(&a, &b) && !a.big &&
	       ((a.tag >= V_BOOL && a.tag <= V_DATE) || a.tag == V_ENUM || a.tag == V_HS);
}

/* Two 64-bit coefficients x (exponent ea) and y (eb) brought to the finer
 * of the two scales: false (x and y then undefined) where that passes 64
 * bits.  Both are multiplied, the finer by 1, so that which of the two is
 * finer (a fact's 9.99% against a rule's 10%, from one record to the next)
 * is not a branch the processor has to guess. */
static inline bool ar_one_scale(int64_t *x, int ea, int64_t *y, int eb)
{
	int64_t d = (int64_t)ea - eb;
	if (d > 18 || d < -18)
		return false;
	int up_x = d > 0 ? (int)d : 0, up_y = d < 0 ? (int)-d : 0;
	bool over_x = __builtin_mul_overflow(*x, (int64_t)dec_pow10(up_x), x);
	bool over_y = __builtin_mul_overflow(*y, (int64_t)dec_pow10(up_y), y);
	return !(over_x | over_y);
}

/* The order (-1, 0, 1) of two known decimals, amounts (of one currency)
 * or percentages of one kind at two scales, brought to the finer one in 64
 * bits, as ar_compare orders them; false where that takes ar_compare
 * (wide, far apart, or two kinds). */
static inline bool ar_order_scaled(Value a, Value b, int *r)
{
	if (a.tag != b.tag || !val_is_declike(a) || a.big || b.big || a.cur != b.cur)
		return false;
	int64_t x = a.as.i, y = b.as.i;
	if (!ar_one_scale(&x, a.aux, &y, b.aux))
		return false;
	*r = (x > y) - (x < y);
	return true;
}

/* Kleene and, or of a and b where both are known truths: the result in
 * place in *a, and true; false where either is unknown or not a truth
 * (ar_and, ar_or decide those). */
static inline bool ar_and_known(Value *a, Value b)
{
	if (a->tag != V_BOOL || b.tag != V_BOOL)
		return false;
	a->as.i = a->as.i && b.as.i;
	return true;
}

static inline bool ar_or_known(Value *a, Value b)
{
	if (a->tag != V_BOOL || b.tag != V_BOOL)
		return false;
	a->as.i = a->as.i || b.as.i;
	return true;
}

/* The bits of a value's header (its first word) but its currency: what
 * membership compares of an item's header with a member's or a whole
 * number's, which have no currency. */
static inline uint64_t ar_all_but_currency(void)
{
	const Value cur = {.cur = UINT16_MAX};
	uint64_t m;
	memcpy(&m, &cur, sizeof m);
	return ~m;
}

/* Whether a plain member or a whole number a is among the items of l,
 * compared in place (ar_in does the rest: unknown items, other kinds). */
static inline bool ar_in_place(Value a, const List *l)
{
	/* eight items at a time without a branch on each: which of a short
	 * list's items a record's value is changes from one record to the
	 * next.  An item is a's kind, width and type (its header but the
	 * currency, which members and whole numbers have none of) and a's
	 * coefficient: a wide one is the same number where it is the same one. */
	const uint64_t mask = ar_all_but_currency();
	uint64_t head;
	memcpy(&head, &a, sizeof head);
	head &= mask;
	bool found = false;
	for (uint32_t i = 0; i < l->len; i++) {
		uint64_t h;
		memcpy(&h, &l->items[i], sizeof h);
		found |= ((h & mask) == head) & (l->items[i].as.i == a.as.i);
		if ((i & 7) == 7 && found)
			break;
	}
	return found;
}

/* Two values equal exactly when their 64-bit payloads are: whole numbers,
 * truth, dates, members of one enumeration. */
static inline bool ar_equal_in_place(Value a, Value b)
{
	/* a member that carries a value (big) is compared with val_equal */
	return a.tag == b.tag && (a.tag == V_INT || a.tag == V_BOOL || a.tag == V_DATE ||
				  (a.tag == V_ENUM && a.aux == b.aux && !a.big && !b.big));
}

/* A constant that ar_equal_in_place compares with whatever equals it. */
static inline bool ar_in_place_const(Value k)
{
	return ar_equal_in_place(k, k);
}

#endif
