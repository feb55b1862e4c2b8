/*
 * arith.c - arithmetic, comparison and logic on values (see arith.h).
 *
 * Whole numbers check for overflow; decimals, amounts and percentages are
 * exact (decimal.c), with fast paths for coefficients that fit in 64 bits
 * which give the same results as decimal.c; money keeps its currency; dates
 * move by durations in days or months.  Nothing here raises an error: each
 * function returns a status for its caller to report.
 */
#include "mem.h"
#include <string.h>

#include "arith.h"
#include "ast.h"
#include "diag.h"

/* ------------------------------------------------------------ messages */

const char *ar_message(ArStatus st, Value a, Value b)
{
	char x[4], y[4];
	switch (st) {
	case AR_OK: return "no error";
	case AR_INT_OVERFLOW:
		return "the whole number is too large: whole numbers go to 9223372036854775807, decimals to 34 digits; "
		       "write one of the numbers with a decimal point (2.0) to compute in decimals";
	case AR_MIXED: return xprintf("cannot combine %s and %s", val_kind_name(a), val_kind_name(b));
	case AR_CURRENCY:
	case AR_CMP_CURRENCY:
		val_currency_text(a.cur, x);
		val_currency_text(b.cur, y);
		return xprintf("cannot %s an amount in %s with one in %s without an exchange rate",
			       st == AR_CURRENCY ? "combine" : "compare", x, y);
	case AR_DUR_UNITS:
	case AR_CMP_DUR_UNITS:
		return xprintf("cannot %s a duration in days or weeks with one in months or years",
			       st == AR_DUR_UNITS ? "combine" : "compare");
	case AR_DATE_RANGE: return "the date falls outside the years 0001 to 9999";
	case AR_DUR_RANGE: return xprintf("the duration is too large (more than %d units)", AR_DUR_MAX);
	case AR_DIVZERO: return "division by zero";
	case AR_DEC_OVERFLOW: return dec_status_text(DEC_OVERFLOW);
	}
	return "arithmetic error";
}

static ArStatus from_dec(DecStatus st)
{
	return st == DEC_OK ? AR_OK : st == DEC_DIVZERO ? AR_DIVZERO : AR_DEC_OVERFLOW;
}

/* ----------------------------------------------------------- durations */

/* Durations in days and weeks are counted in days; months and years in months. */
static bool dur_days(Value v) { return v.cur == DU_DAYS || v.cur == DU_WEEKS; }
static int64_t dur_base(Value v)
{
	return v.cur == DU_WEEKS ? v.as.i * 7 : v.cur == DU_YEARS ? v.as.i * 12 : v.as.i;
}

static ArStatus dur_checked(int64_t n, DurUnit u, bool ovf, Value *out)
{
	if (ovf || n > AR_DUR_MAX || n < -AR_DUR_MAX)
		return AR_DUR_RANGE;
	*out = val_dur(n, u);
	return AR_OK;
}

static ArStatus date_plus(Value d, Value dur, int sign, Value *out)
{
	date_t r;
	int rc;
	if (dur.as.i > AR_DUR_MAX || dur.as.i < -AR_DUR_MAX)
		return AR_DUR_RANGE;
	if (dur_days(dur))
		rc = date_add_days((date_t)d.as.i, sign * dur_base(dur), &r);
	else
		rc = date_add_months((date_t)d.as.i, sign * dur_base(dur), &r);
	if (rc != 0)
		return AR_DATE_RANGE;
	*out = val_date(r);
	return AR_OK;
}

/* Dates and durations: date +/- duration, date - date, duration +/- duration,
 * duration * whole number. */
static ArStatus time_arith(ArOp op, Value a, Value b, Value *out)
{
	int64_t r;
	if (a.tag == V_DATE || b.tag == V_DATE) {
		if (a.tag == V_DATE && b.tag == V_DATE && op == AR_SUB) {
			*out = val_int(a.as.i - b.as.i);
			return AR_OK;
		}
		if (a.tag == V_DATE && b.tag == V_DUR)
			return date_plus(a, b, op == AR_SUB ? -1 : 1, out);
		if (b.tag == V_DATE && a.tag == V_DUR && op == AR_ADD)
			return date_plus(b, a, 1, out);
		return AR_MIXED;
	}
	if (a.tag == V_DUR && b.tag == V_DUR && (op == AR_ADD || op == AR_SUB)) {
		if (dur_days(a) != dur_days(b))
			return AR_DUR_UNITS;
		if (a.cur == b.cur) {
			bool ovf = __builtin_add_overflow(a.as.i, op == AR_ADD ? b.as.i : -b.as.i, &r);
			return dur_checked(r, (DurUnit)a.cur, ovf, out);
		}
		int64_t x = dur_base(a), y = dur_base(b);
		return dur_checked(op == AR_ADD ? x + y : x - y, dur_days(a) ? DU_DAYS : DU_MONTHS, false, out);
	}
	if (op == AR_MUL && (a.tag == V_INT || b.tag == V_INT)) {
		Value d = a.tag == V_DUR ? a : b, n = a.tag == V_DUR ? b : a;
		bool ovf = __builtin_mul_overflow(d.as.i, n.as.i, &r);
		return dur_checked(r, (DurUnit)d.cur, ovf, out);
	}
	return AR_MIXED;
}

/* ------------------------------------------------------------- numbers */

/* The coefficients of two numbers that fit in 64 bits (a whole number has
 * scale 0), brought to the finer of their two scales, *e: false when
 * either is wide or the scaling would pass 64 bits. */
static bool one_scale(Value a, Value b, int64_t *x, int64_t *y, int *e)
{
	if (a.big || b.big)
		return false;
	int ea = a.tag == V_INT ? 0 : a.aux, eb = b.tag == V_INT ? 0 : b.aux;
	*x = a.as.i;
	*y = b.as.i;
	*e = ea < eb ? ea : eb;
	return ar_one_scale(x, ea, y, eb);
}

/* The kind (and currency) of a op b for numbers, amounts and percentages. */
static ArStatus result_kind(ArOp op, Value *a, Value *b, ValueTag *tag, uint16_t *cur)
{
	*tag = V_DEC;
	*cur = 0;
	if (a->tag == V_MONEY || b->tag == V_MONEY) {
		if (a->tag == V_MONEY && b->tag == V_MONEY) {
			/* the zero of an empty sum has no currency and takes the other's */
			if (!a->cur)
				a->cur = b->cur;
			if (!b->cur)
				b->cur = a->cur;
			if (a->cur != b->cur)
				return AR_CURRENCY;
			*tag = (op == AR_DIV) ? V_DEC : V_MONEY;
		} else {
			*tag = V_MONEY;
		}
		*cur = a->tag == V_MONEY ? a->cur : b->cur;
	} else if (a->tag == V_PCT && b->tag == V_PCT && op != AR_DIV) {
		*tag = V_PCT;
	} else if (a->tag == V_PCT && op == AR_DIV && b->tag != V_PCT) {
		*tag = V_PCT;
	}
	return AR_OK;
}

/* Coefficients that fit in 64 bits give the same result as decimal.c
 * (add/sub keep the finer scale; mul drops trailing fractional zeros, and
 * zero is plain 0), without 128-bit arithmetic.  False: take the long way. */
static bool small_arith(ArOp op, Value a, Value b, int64_t *r, int *e)
{
	if (a.big || b.big || op == AR_DIV)
		return false;
	if (op == AR_MUL) {
		bool ok = !__builtin_mul_overflow(a.as.i, b.as.i, r);
		*e = (a.tag == V_INT ? 0 : a.aux) + (b.tag == V_INT ? 0 : b.aux);
		if (ok && *r == 0)
			*e = 0;
		while (ok && *r != 0 && *e < 0 && *r % 10 == 0)
			*r /= 10, ++*e;
		return ok && *e >= DEC_EMIN && *e <= DEC_EMAX;
	}
	int64_t x, y;
	return one_scale(a, b, &x, &y, e) &&
	       !(op == AR_ADD ? __builtin_add_overflow(x, y, r) : __builtin_sub_overflow(x, y, r));
}

static ArStatus int_arith(ArOp op, int64_t a, int64_t b, Value *out)
{
	int64_t r;
	bool ovf;
	switch (op) {
	case AR_ADD: ovf = __builtin_add_overflow(a, b, &r); break;
	case AR_SUB: ovf = __builtin_sub_overflow(a, b, &r); break;
	default: ovf = __builtin_mul_overflow(a, b, &r); break;
	}
	if (ovf)
		return AR_INT_OVERFLOW;
	*out = val_int(r);
	return AR_OK;
}

ArStatus ar_arith(ArOp op, Value a, Value b, Value *out)
{
	if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
		*out = val_unknown_union(a, b);
		return AR_OK;
	}
	if (a.tag == V_INT && b.tag == V_INT && op != AR_DIV)
		return int_arith(op, a.as.i, b.as.i, out);
	if (a.tag == V_DATE || b.tag == V_DATE || a.tag == V_DUR || b.tag == V_DUR)
		return time_arith(op, a, b, out);
	if (!ar_is_numeric(a) || !ar_is_numeric(b))
		return AR_MIXED;
	ValueTag tag;
	uint16_t cur;
	ArStatus st = result_kind(op, &a, &b, &tag, &cur);
	if (st != AR_OK)
		return st;
	int64_t r;
	int e;
	if (small_arith(op, a, b, &r, &e)) {
		Value v = {.tag = (uint8_t)tag, .cur = cur, .aux = e};
		v.as.i = r;
		*out = v;
		return AR_OK;
	}
	Dec x = val_get_dec(a), y = val_get_dec(b), z;
	DecStatus ds;
	switch (op) {
	case AR_ADD: ds = dec_add(x, y, &z); break;
	case AR_SUB: ds = dec_sub(x, y, &z); break;
	case AR_MUL: ds = dec_mul(x, y, &z); break;
	default: ds = dec_div(x, y, &z); break;
	}
	if (ds != DEC_OK)
		return from_dec(ds);
	*out = val_dec(tag, z, cur);
	return AR_OK;
}

ArStatus ar_neg(Value a, Value *out)
{
	if (a.tag == V_INT) {
		if (a.as.i == INT64_MIN)
			return AR_INT_OVERFLOW;
		a.as.i = -a.as.i;
	} else if (a.tag == V_DUR) {
		a.as.i = -a.as.i; /* within AR_DUR_MAX, so it cannot overflow */
	} else if (a.tag != V_UNKNOWN) {
		a = val_dec((ValueTag)a.tag, dec_neg(val_get_dec(a)), a.cur);
	}
	*out = a;
	return AR_OK;
}

ArStatus ar_abs(Value a, Value *out)
{
	if (a.tag == V_INT) {
		if (a.as.i == INT64_MIN)
			return AR_INT_OVERFLOW;
		*out = val_int(a.as.i < 0 ? -a.as.i : a.as.i);
		return AR_OK;
	}
	*out = val_dec((ValueTag)a.tag, dec_abs(val_get_dec(a)), a.cur);
	return AR_OK;
}

ArStatus ar_round(Value x, int places, DecRound mode, Value *out)
{
	if (x.tag == V_INT && places >= 0) {
		*out = x;
		return AR_OK;
	}
	Dec r;
	DecStatus ds = dec_round(val_get_dec(x), places, mode, &r);
	if (ds != DEC_OK)
		return from_dec(ds);
	if (x.tag == V_INT) {
		int64_t i;
		if (dec_to_int(r, &i)) {
			*out = val_int(i);
			return AR_OK;
		}
	}
	*out = val_dec(x.tag == V_INT ? V_DEC : (ValueTag)x.tag, r, x.cur);
	return AR_OK;
}

/* ---------------------------------------------------------- comparison */

int ar_order(Value a, Value b)
{
	if (a.tag == V_INT && b.tag == V_INT)
		return (a.as.i > b.as.i) - (a.as.i < b.as.i);
	if (ar_is_numeric(a) && ar_is_numeric(b)) {
		/* small coefficients: compared at the finer scale in 64 bits */
		int64_t x, y;
		int e;
		if (one_scale(a, b, &x, &y, &e))
			return (x > y) - (x < y);
		return dec_cmp(val_get_dec(a), val_get_dec(b));
	}
	switch ((ValueTag)a.tag) {
	case V_ENUM:
		if (val_member(a) != val_member(b) || !a.big || !b.big)
			return (val_member(a) > val_member(b)) - (val_member(a) < val_member(b));
		return ar_order(a.as.e->data, b.as.e->data);
	case V_DATE:
	case V_BOOL:
		return (a.as.i > b.as.i) - (a.as.i < b.as.i);
	case V_HS:
		if (a.aux != b.aux)
			return a.aux - b.aux;
		return (a.as.i > b.as.i) - (a.as.i < b.as.i);
	case V_DUR: {
		int64_t x = dur_base(a), y = dur_base(b);
		return (x > y) - (x < y);
	}
	case V_STR: {
		/* byte by byte over their lengths, as equality reads them (a text
		 * from the facts may hold a NUL); memcmp's sign is any size */
		const Str *x = a.as.s, *y = b.as.s;
		int r = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);
		if (r == 0)
			r = (x->len > y->len) - (x->len < y->len);
		return (r > 0) - (r < 0);
	}
	default:
		return 0;
	}
}

ArStatus ar_compare(Value a, Value b, int *out)
{
	if (a.tag == V_MONEY && b.tag == V_MONEY && a.cur != b.cur && a.cur && b.cur)
		return AR_CMP_CURRENCY;
	if (a.tag == V_DUR && b.tag == V_DUR && dur_days(a) != dur_days(b))
		return AR_CMP_DUR_UNITS;
	*out = ar_order(a, b);
	return AR_OK;
}

ArStatus ar_equal(Value a, Value b, bool *out)
{
	if (ar_equal_in_place(a, b)) {
		*out = a.as.i == b.as.i; /* the common tests of members and numbers */
		return AR_OK;
	}
	if (a.tag == V_MONEY && b.tag == V_MONEY && a.cur != b.cur && a.cur && b.cur)
		return AR_CMP_CURRENCY;
	*out = val_equal(a, b);
	return AR_OK;
}

/* The lighter of weight wa (a's) and b's, counted up to cap; more than
 * cap where both are. */
static uint64_t lighter(uint64_t wa, Value b, uint64_t cap)
{
	uint64_t wb = val_compare_weight(b, wa < cap ? wa : cap);
	return wa < wb ? wa : wb;
}

/* The most a weight is counted up to with budget steps left. */
static uint64_t cap_of(long long budget)
{
	return budget < 0 ? 0 : (uint64_t)budget;
}

/* The steps of weight w: at most cap + 1. */
static long long steps_of(uint64_t w, uint64_t cap)
{
	return (long long)(w > cap ? cap + 1 : w);
}

long long ar_compare_steps(Value a, Value b, long long budget)
{
	uint64_t cap = cap_of(budget), wa = val_compare_weight(a, cap);
	return wa ? steps_of(lighter(wa, b, cap), cap) : 0;
}

/* Spend from *budget the steps of comparing a value of weight wa (> 0)
 * with b; false where they run out. */
static bool spend_compare(uint64_t wa, Value b, long long *budget)
{
	uint64_t cap = cap_of(*budget);
	*budget -= steps_of(lighter(wa, b, cap), cap);
	return *budget >= 0;
}

/* a in l, a of weight wa (0: it spends nothing), compared with the items
 * in turn up to the first equal one, each comparison's steps spent from
 * *budget before it is made; false where they run out first. */
static bool in_items(Value a, uint64_t wa, const List *l, long long *budget, Value *out)
{
	Value r = val_bool(false);
	for (uint32_t i = 0; i < l->len; i++) {
		Value x = l->items[i];
		if (x.tag == V_UNKNOWN) {
			r = r.tag == V_UNKNOWN ? val_unknown_union(r, x) : x;
			continue;
		}
		if (wa && !spend_compare(wa, x, budget))
			return false;
		if (val_equal(a, x)) {
			r = val_bool(true);
			break;
		}
	}
	*out = r;
	return true;
}

bool ar_in_within(Value a, const List *l, long long *budget, Value *out)
{
	uint64_t wa = val_compare_weight(a, cap_of(*budget));
	if (!wa) {
		*out = ar_in(a, l);
		return true;
	}
	return in_items(a, wa, l, budget, out);
}

/* --------------------------------------------------------------- logic */

Value ar_and(Value a, Value b)
{
	if (ar_and_known(&a, b))
		return a;
	if ((a.tag == V_BOOL && !a.as.i) || (b.tag == V_BOOL && !b.as.i))
		return val_bool(false);
	return val_unknown_union(a.tag == V_UNKNOWN ? a : val_bool(true), b.tag == V_UNKNOWN ? b : val_bool(true));
}

Value ar_or(Value a, Value b)
{
	if (ar_or_known(&a, b))
		return a;
	if ((a.tag == V_BOOL && a.as.i) || (b.tag == V_BOOL && b.as.i))
		return val_bool(true);
	return val_unknown_union(a.tag == V_UNKNOWN ? a : val_bool(false), b.tag == V_UNKNOWN ? b : val_bool(false));
}

Value ar_in(Value a, const List *l)
{
	if ((a.tag == V_ENUM && !a.big) || a.tag == V_INT) {
		/* members and whole numbers: compare in place */
		if (ar_in_place(a, l))
			return val_bool(true);
		if (a.tag == V_ENUM)
			return val_bool(false);
	}
	long long none = 0;
	Value r;
	in_items(a, 0, l, &none, &r);
	return r;
}

bool ar_hs_match(int kind, Value code, Value want)
{
	switch (kind) {
	case HS_CHAPTER:
		return want.tag == V_INT && val_hs_chapter(code) == want.as.i;
	case HS_HEADING:
		return want.tag == V_INT && val_hs_heading(code) == want.as.i;
	default:
		return want.tag == V_HS && code.aux >= want.aux && code.as.i / (int64_t)dec_pow10(code.aux - want.aux) == want.as.i;
	}
}
