/*
 * builtins.c - the builtin functions: their table and their code.
 *
 * One entry per builtin (builtins.h says what each field means), then one
 * function per builtin, or per family (min and max).  Every implementation
 * gets known arguments, allocates through ctx_alloc (counted against the
 * evaluation's memory) and spends steps in proportion to its work: bi_call
 * spends the entry's cost before it runs, and loops over big lists look at
 * the interrupt flag as they go (ctx_charge), so a million-item call stays
 * within the limits and can be stopped.
 */
#define _GNU_SOURCE /* memmem */
#include "mem.h"
#include <string.h>

#include "arith.h"
#include "builtins.h"
#include "decmath.h"
#include "format.h"
#include "opcodes.h"
#include "scale.h"

/* Loops look at the interrupt flag every this many items. */
#define POLL_EVERY 65536
/* range() makes at most this many numbers. */
#define RANGE_MAX 1000000

static int keep_going(Ctx *c, uint32_t i)
{
	return (i % POLL_EVERY) == POLL_EVERY - 1 ? ctx_charge(c, 0) : ST_OK;
}

/* The comparisons a merge sort of n items makes of each item, at most. */
static unsigned sort_depth(uint64_t n)
{
	unsigned log = 1;
	while ((1ull << log) < n)
		log++;
	return log;
}

/* Steps for comparing or hashing the items of l times over: the bytes of
 * their texts and the values inside them (val_weight), as contains and
 * replace spend a step a byte; bi_call has spent a step an item.  So a
 * list of long texts sorted, or made distinct, stays within the limit. */
static int charge_reading(Ctx *c, const List *l, unsigned times)
{
	uint64_t left = (uint64_t)ctx_steps_left(c), cap = left / times + 1, w = 0;
	for (uint32_t i = 0; i < l->len && w <= cap; i++)
		w += val_weight(l->items[i], cap - w);
	return w ? ctx_charge(c, w * times) : ST_OK;
}

static int arith_fail(Ctx *c, ArStatus st, Value a, Value b)
{
	return ctx_fail(c, ST_RUNTIME, "%s", ar_message(st, a, b));
}

/* A list of n items to fill; NULL past the memory limit. */
static List *new_list(Ctx *c, uint32_t n)
{
	List *l = ctx_alloc(c, sizeof(List), false);
	if (!l)
		return NULL;
	l->len = n;
	l->items = n ? ctx_alloc(c, sizeof(Value) * n, false) : NULL;
	return n && !l->items ? NULL : l;
}

/* The unknowns among a list's items, as one unknown; a known value (false) when none. */
static Value unknown_in(const List *l)
{
	Value u = {.tag = V_BOOL};
	for (uint32_t i = 0; i < l->len; i++)
		if (l->items[i].tag == V_UNKNOWN)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, l->items[i]) : l->items[i];
	return u;
}

/* --------------------------------------------------------------- lists */

/* min(list), max(list), min(a, b, ...), max(a, b, ...) */
static int minmax(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	bool min = b->acc == ACC_MIN;
	const Value *v = a;
	int n = argc;
	if (argc == 1) {
		Value u = unknown_in(a[0].as.l);
		if (u.tag == V_UNKNOWN) {
			*out = u;
			return ST_OK;
		}
		v = a[0].as.l->items;
		n = (int)a[0].as.l->len;
		if (n == 0)
			return ctx_fail(c, ST_RUNTIME, "%s of an empty list", b->name);
	}
	Value best = v[0];
	for (int i = 1; i < n; i++) {
		int cmp;
		if (ctx_charge_compare(c, v[i], best))
			return c->status;
		ArStatus st = ar_compare(v[i], best, &cmp);
		if (st != AR_OK)
			return arith_fail(c, st, v[i], best);
		if (min ? cmp < 0 : cmp > 0)
			best = v[i];
		if (keep_going(c, (uint32_t)i))
			return c->status;
	}
	*out = best;
	return ST_OK;
}

/* sum(list), with the zero of its items as a[1] */
static int sum(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	Value u = unknown_in(a[0].as.l);
	if (u.tag == V_UNKNOWN) {
		*out = u;
		return ST_OK;
	}
	Value s = a[1];
	for (uint32_t i = 0; i < a[0].as.l->len; i++) {
		Value x = a[0].as.l->items[i];
		ArStatus st = ar_arith(AR_ADD, s, x, &s);
		if (st != AR_OK)
			return arith_fail(c, st, s, x);
		if (keep_going(c, i))
			return c->status;
	}
	*out = s;
	return ST_OK;
}

/* count(list), length(list), length(text): characters, not bytes */
static int length(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	if (a[0].tag == V_STR) {
		int64_t n = 0;
		for (uint32_t i = 0; i < a[0].as.s->len; i++)
			n += (a[0].as.s->data[i] & 0xc0) != 0x80;
		*out = val_int(n);
		return ST_OK;
	}
	*out = val_int(a[0].as.l->len);
	return ST_OK;
}

/* all(list), any(list): Kleene logic over the items */
static int all_any(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	bool all = b->acc == ACC_ALL;
	Value r = val_bool(all);
	for (uint32_t i = 0; i < a[0].as.l->len; i++) {
		r = all ? ar_and(r, a[0].as.l->items[i]) : ar_or(r, a[0].as.l->items[i]);
		if (keep_going(c, i))
			return c->status;
	}
	*out = r;
	return ST_OK;
}

static void sort_values(Value *v, Value *tmp, uint32_t n)
{
	if (n < 2)
		return;
	uint32_t h = n / 2;
	sort_values(v, tmp, h);
	sort_values(v + h, tmp, n - h);
	uint32_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = ar_order(v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, sizeof(Value) * n);
}

/* sort(list): a stable merge sort */
static int sort(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	List *src = a[0].as.l;
	Value u = unknown_in(src);
	if (u.tag == V_UNKNOWN) {
		*out = u;
		return ST_OK;
	}
	if (charge_reading(c, src, sort_depth(src->len)))
		return c->status;
	List *l = new_list(c, src->len);
	if (!l)
		return c->status;
	if (src->len) {
		memcpy(l->items, src->items, sizeof(Value) * src->len);
		Value *tmp = ctx_alloc(c, sizeof(Value) * src->len, false);
		if (!tmp)
			return c->status;
		sort_values(l->items, tmp, src->len);
	}
	*out = val_list(l);
	return ST_OK;
}

/* Where v, or an item equal to it, sits in an open-addressed table of
 * indices + 1 into kept[] (0: empty); returns the slot. */
static uint32_t find_slot(const uint32_t *slots, uint32_t mask, const Value *kept, const uint64_t *hashes,
			  Value v, uint64_t h, bool *found)
{
	uint32_t i = (uint32_t)h & mask;
	for (; slots[i]; i = (i + 1) & mask) {
		uint32_t k = slots[i] - 1;
		if (hashes[k] == h && val_equal(kept[k], v)) {
			*found = true;
			return i;
		}
	}
	*found = false;
	return i;
}

/* distinct(list): the items in order, each value once (an unknown item is
 * always kept: it may be any value).  Linear time: equal values hash alike. */
static int distinct(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	List *src = a[0].as.l;
	/* each item is hashed, and compared with the one it equals */
	if (charge_reading(c, src, 2))
		return c->status;
	List *l = new_list(c, src->len);
	if (!l)
		return c->status;
	uint32_t cap = 16;
	while (cap < 2 * (uint64_t)src->len)
		cap *= 2;
	uint32_t *slots = ctx_alloc(c, sizeof(uint32_t) * cap, true);
	uint64_t *hashes = ctx_alloc(c, sizeof(uint64_t) * (src->len ? src->len : 1), true);
	if (!slots || !hashes)
		return c->status;
	memset(slots, 0, sizeof(uint32_t) * cap);
	uint32_t k = 0;
	for (uint32_t i = 0; i < src->len; i++) {
		Value v = src->items[i];
		if (keep_going(c, i))
			return c->status;
		if (v.tag == V_UNKNOWN) {
			hashes[k] = 0;
			l->items[k++] = v;
			continue;
		}
		uint64_t h = val_hash(v);
		bool seen;
		uint32_t s = find_slot(slots, cap - 1, l->items, hashes, v, h, &seen);
		if (seen)
			continue;
		hashes[k] = h;
		l->items[k] = v;
		slots[s] = ++k;
	}
	l->len = k;
	*out = val_list(l);
	return ST_OK;
}

/* range(lo, hi): the whole numbers lo .. hi */
static int range(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	int64_t lo = a[0].as.i, hi = a[1].as.i;
	List *l;
	if (hi < lo) {
		if (!(l = new_list(c, 0)))
			return c->status;
		*out = val_list(l);
		return ST_OK;
	}
	uint64_t span = (uint64_t)hi - (uint64_t)lo; /* exact: hi >= lo */
	if (span >= RANGE_MAX)
		return ctx_fail(c, ST_LIMIT, "range(%lld, %lld) would hold more than %d numbers", (long long)lo,
				(long long)hi, RANGE_MAX);
	if (ctx_charge(c, span + 1) || !(l = new_list(c, (uint32_t)(span + 1))))
		return c->status;
	for (uint32_t i = 0; i <= span; i++)
		l->items[i] = val_int(lo + (int64_t)i);
	*out = val_list(l);
	return ST_OK;
}

/* ------------------------------------------------------------- numbers */

static int absolute(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	ArStatus st = ar_abs(a[0], out);
	return st == AR_OK ? ST_OK : arith_fail(c, st, a[0], a[0]);
}

/* The rounding mode a rounding builtin is named after. */
static DecRound round_mode(const char *name)
{
	static const struct { const char *name; DecRound mode; } modes[] = {
		{"round", DEC_HALF_EVEN},	  {"round_half_even", DEC_HALF_EVEN}, {"round_half_up", DEC_HALF_UP},
		{"round_half_down", DEC_HALF_DOWN}, {"round_up", DEC_UP},	      {"round_down", DEC_TRUNC},
		{"floor", DEC_FLOOR},		  {"ceil", DEC_CEIL},		      {"ceiling", DEC_CEIL},
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(modes[i].name, name) == 0)
			return modes[i].mode;
	return DEC_HALF_EVEN;
}

/* round and its modes, floor, ceil (x [, places]); a percentage rounds in percent points */
static int rounding(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	int64_t places = argc > 1 ? a[1].as.i : 0;
	if (places < -100 || places > 100)
		return ctx_fail(c, ST_RUNTIME, "rounding to %lld places is out of range (-100 to 100)", (long long)places);
	/* round(12.345%, 1) = 12.3% */
	if (a[0].tag == V_PCT)
		places += 2;
	DecRound mode = round_mode(b->name);
	Value r;
	ArStatus st = ar_round(a[0], (int)places, mode, &r);
	if (st != AR_OK)
		return arith_fail(c, st, a[0], a[0]);
	if (argc == 1 && r.tag == V_DEC) {
		/* a decimal rounded to no places is a whole number */
		int64_t i;
		if (!dec_to_int(val_get_dec(r), &i))
			return ctx_fail(c, ST_RUNTIME, "the rounded number is too large for a whole number");
		r = val_int(i);
	}
	*out = r;
	return ST_OK;
}

/* amount(money): the number without its currency */
static int amount(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	*out = val_dec(V_DEC, val_get_dec(a[0]), 0);
	return ST_OK;
}

/* as_percent(0.25) = 25% */
static int as_percent(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	*out = val_dec(V_PCT, val_get_dec(a[0]), 0);
	return ST_OK;
}

/* currency_of(money): its three letters; unknown for an amount in no currency */
static int currency_of(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	if (!a[0].cur) {
		*out = val_unknown(NULL);
		return ST_OK;
	}
	char cur[4];
	val_currency_text(a[0].cur, cur);
	*out = val_str(cur, 3);
	return ST_OK;
}

/* ------------------------------------------------------- tariff codes */

static int chapter_of(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	*out = val_int(val_hs_chapter(a[0]));
	return ST_OK;
}

static int heading_of(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	int h = val_hs_heading(a[0]);
	*out = h < 0 ? val_unknown(NULL) : val_int(h);
	return ST_OK;
}

/* changes_heading(material, product): a change of tariff heading, the
 * first four digits differ */
static int changes_heading(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	if (a[0].aux < 4 || a[1].aux < 4)
		return ctx_fail(c, ST_RUNTIME, "a change of tariff heading needs codes of at least four digits");
	*out = val_bool(val_hs_heading(a[0]) != val_hs_heading(a[1]));
	return ST_OK;
}

/* --------------------------------------------------------------- dates */

/* year_of, month_of, day_of */
static int date_part(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)argc;
	int y, m, d;
	date_to_ymd((date_t)a[0].as.i, &y, &m, &d);
	*out = val_int(b->name[0] == 'y' ? y : b->name[0] == 'm' ? m : d);
	return ST_OK;
}

static int days_between(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	*out = val_int(a[1].as.i - a[0].as.i);
	return ST_OK;
}

/* ------------------------------------------------- powers, roots, logs */

static int math_fail(Ctx *c, const BuiltinDef *b, DmStatus st, Value x)
{
	switch (st) {
	case DM_DIVZERO:
		return ctx_fail(c, ST_RUNTIME, "%s: zero has no negative power (a division by zero)", b->name);
	case DM_DOMAIN:
		return ctx_fail(c, ST_RUNTIME, "%s of %s has no value: %s", b->name, fmt_value_str(c->p, x),
				b->name[0] == 'l' ? "the logarithm needs a number above zero"
				: b->name[0] == 's' ? "the square root needs a number not below zero"
						    : "a negative number has no power with a fractional exponent");
	default:
		return ctx_fail(c, ST_RUNTIME, "%s: the result is too large for a decimal (34 digits, exponents to 6144)",
				b->name);
	}
}

/* sqrt(x), exp(x), ln(x): decimals to 34 digits */
static int decfn(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	Dec x = val_get_dec(a[0]), r;
	DmStatus st = b->name[0] == 's' ? dm_sqrt(x, &r) : b->name[0] == 'e' ? dm_exp(x, &r) : dm_ln(x, &r);
	if (st)
		return math_fail(c, b, st, a[0]);
	*out = val_dec(V_DEC, r, 0);
	return ST_OK;
}

/* x ^ y (the operator; also power(x, y)): for a whole y the exact power
 * rounded once to 34 digits, 34 digits otherwise */
static int power(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	Dec r;
	DmStatus st = dm_pow(val_get_dec(a[0]), val_get_dec(a[1]), &r);
	if (st)
		return math_fail(c, b, st, a[0]);
	*out = val_dec(V_DEC, r, 0);
	return ST_OK;
}

/* n mod d (the operator): the remainder with the sign of d, as DMN's
 * modulo; whole numbers stay whole, an amount stays an amount */
static int modulo(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	if (a[0].tag == V_INT && a[1].tag == V_INT) {
		int64_t n = a[0].as.i, d = a[1].as.i;
		if (d == 0)
			return ctx_fail(c, ST_RUNTIME, "division by zero in %lld mod 0", (long long)n);
		int64_t r = d == -1 ? 0 : n % d;
		if (r != 0 && (r < 0) != (d < 0))
			r += d;
		*out = val_int(r);
		return ST_OK;
	}
	if (a[0].tag == V_MONEY && a[1].tag == V_MONEY && a[0].cur && a[1].cur && a[0].cur != a[1].cur)
		return arith_fail(c, AR_CURRENCY, a[0], a[1]);
	Dec r;
	DmStatus st = dm_mod(val_get_dec(a[0]), val_get_dec(a[1]), &r);
	if (st == DM_DIVZERO)
		return ctx_fail(c, ST_RUNTIME, "division by zero in %s mod 0", fmt_value_str(c->p, a[0]));
	if (st)
		return ctx_fail(c, ST_RUNTIME, "the remainder is too large for a decimal");
	ValueTag tag = a[0].tag == V_MONEY ? V_MONEY : V_DEC;
	*out = val_dec(tag, r, tag == V_MONEY ? a[0].cur : 0);
	return ST_OK;
}

/* sign(x): -1, 0 or 1 */
static int sign(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)b, (void)argc;
	*out = val_int(a[0].tag == V_INT ? (a[0].as.i > 0) - (a[0].as.i < 0) : dec_sign(val_get_dec(a[0])));
	return ST_OK;
}

/* round_to(x, unit): x to a whole number of units, half to even:
 * round_to(12_345 KRW, 10 KRW) is 12_340 KRW */
static int round_to(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	Value q, w, r;
	if (dec_is_zero(val_get_dec(a[1])))
		return ctx_fail(c, ST_RUNTIME, "round_to needs a unit that is not zero");
	ArStatus st = ar_arith(AR_DIV, a[0], a[1], &q);
	if (st == AR_OK)
		st = ar_round(q, 0, DEC_HALF_EVEN, &w);
	if (st == AR_OK)
		st = ar_arith(AR_MUL, w.tag == V_MONEY ? val_dec(V_DEC, val_get_dec(w), 0) : w, a[1], &r);
	if (st != AR_OK)
		return arith_fail(c, st, a[0], a[1]);
	if (a[0].tag == V_INT && r.tag == V_DEC) {
		int64_t i;
		if (dec_to_int(val_get_dec(r), &i))
			r = val_int(i);
	}
	*out = r;
	return ST_OK;
}

/* ---------------------------------------------------------- more lists */

/* concat(a, b, ...): the lists one after the other; concat(list of lists) likewise */
static int concat(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b;
	const Value *ls = a;
	int n = argc;
	if (argc == 1) {
		Value u = unknown_in(a[0].as.l);
		if (u.tag == V_UNKNOWN) {
			*out = u;
			return ST_OK;
		}
		ls = a[0].as.l->items;
		n = (int)a[0].as.l->len;
	}
	uint64_t total = 0;
	for (int i = 0; i < n; i++)
		total += ls[i].as.l->len;
	if (total > UINT32_MAX / 2)
		return ctx_fail(c, ST_LIMIT, "the joined list would be too long");
	if (ctx_charge(c, total))
		return c->status;
	List *l = new_list(c, (uint32_t)total);
	if (!l)
		return c->status;
	uint32_t k = 0;
	for (int i = 0; i < n; i++)
		for (uint32_t j = 0; j < ls[i].as.l->len; j++)
			l->items[k++] = ls[i].as.l->items[j];
	*out = val_list(l);
	return ST_OK;
}

/* item(list, i), also written list[i]: 1-based; -1 is the last item */
static int item(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	const List *l = a[0].as.l;
	int64_t i = a[1].as.i;
	int64_t at = i > 0 ? i - 1 : (int64_t)l->len + i;
	if (i == 0 || at < 0 || at >= (int64_t)l->len)
		return ctx_fail(c, ST_RUNTIME, "there is no item %lld in a list of %u item%s; items count from 1 (and "
					       "from -1 at the end)",
				(long long)i, l->len, l->len == 1 ? "" : "s");
	*out = l->items[at];
	return ST_OK;
}

/* first(list), last(list); of an empty list, an error */
static int first_last(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	const List *l = a[0].as.l;
	if (l->len == 0)
		return ctx_fail(c, ST_RUNTIME, "%s of an empty list", b->name);
	*out = l->items[b->name[0] == 'f' ? 0 : l->len - 1];
	return ST_OK;
}

/* reverse(list) */
static int reverse(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	const List *src = a[0].as.l;
	List *l = new_list(c, src->len);
	if (!l)
		return c->status;
	for (uint32_t i = 0; i < src->len; i++)
		l->items[i] = src->items[src->len - 1 - i];
	*out = val_list(l);
	return ST_OK;
}

/* flatten(list of lists): one level less */
static int flatten(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	return concat(c, b, a, argc, out);
}

/* index_of(list, value): the places (from 1) where the value is */
static int index_of(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	const List *src = a[0].as.l;
	Value u = unknown_in(src);
	if (u.tag == V_UNKNOWN) {
		*out = u;
		return ST_OK;
	}
	if (charge_reading(c, src, 1))
		return c->status;
	uint32_t n = 0;
	bool *hit = ctx_alloc(c, src->len + 1, true);
	if (!hit)
		return c->status;
	for (uint32_t i = 0; i < src->len; i++) {
		bool eq = false;
		hit[i] = ar_equal(src->items[i], a[1], &eq) == AR_OK && eq; /* 1 = 1.0 */
		n += hit[i];
	}
	List *l = new_list(c, n);
	if (!l)
		return c->status;
	n = 0;
	for (uint32_t i = 0; i < src->len; i++)
		if (hit[i])
			l->items[n++] = val_int((int64_t)i + 1);
	*out = val_list(l);
	return ST_OK;
}

/* sublist(list, start [, length]): from item start (1-based; negative from the end) */
static int sublist(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b;
	const List *src = a[0].as.l;
	int64_t i = a[1].as.i, len = (int64_t)src->len;
	int64_t at = i > 0 ? i - 1 : len + i;
	if (i == 0 || at < 0 || at > len || (i > 0 && at == len && len > 0) || (len == 0 && i != 1))
		return ctx_fail(c, ST_RUNTIME, "sublist cannot start at item %lld of a list of %lld item%s", (long long)i,
				(long long)len, len == 1 ? "" : "s");
	int64_t n = argc > 2 ? a[2].as.i : len - at;
	/* n may be as large as a whole number goes: at + n could overflow */
	if (n < 0 || n > len - at)
		return ctx_fail(c, ST_RUNTIME, "sublist of %lld item%s from item %lld goes past the end of a list of %lld",
				(long long)n, n == 1 ? "" : "s", (long long)i, (long long)len);
	if (ctx_charge(c, (unsigned long long)n))
		return c->status;
	List *l = new_list(c, (uint32_t)n);
	if (!l)
		return c->status;
	for (int64_t k = 0; k < n; k++)
		l->items[k] = src->items[at + k];
	*out = val_list(l);
	return ST_OK;
}

/* union(a, b, ...): the items of all, each value once, in order */
static int list_union(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	Value all;
	int st = concat(c, b, a, argc, &all);
	if (st != ST_OK || all.tag == V_UNKNOWN) {
		*out = all;
		return st;
	}
	return distinct(c, b, &all, 1, out);
}

/* A stable merge sort of the places idx[0..n) by keys[idx], ascending or descending. */
static void sort_places(const Value *keys, uint32_t *idx, uint32_t *tmp, uint32_t n, bool desc)
{
	if (n < 2)
		return;
	uint32_t h = n / 2;
	sort_places(keys, idx, tmp, h, desc);
	sort_places(keys, idx + h, tmp, n - h, desc);
	uint32_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		int o = ar_order(keys[idx[j]], keys[idx[i]]);
		tmp[k++] = (desc ? o > 0 : o < 0) ? idx[j++] : idx[i++];
	}
	while (i < h)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, sizeof(uint32_t) * n);
}

/* sort_desc(list); sort_by(list, keys), sort_by_desc(list, keys): the
 * items in the order of the keys at the same places (stable: equal keys
 * keep their order), as in sort_by(tasks, [t.number for t in tasks]) */
static int sort_keyed(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	const List *src = a[0].as.l, *keys = argc > 1 ? a[1].as.l : src;
	if (keys->len != src->len)
		return ctx_fail(c, ST_RUNTIME, "%s needs as many keys as items, but has %u keys for %u items", b->name,
				keys->len, src->len);
	Value u = unknown_in(keys);
	if (u.tag == V_UNKNOWN) {
		*out = u;
		return ST_OK;
	}
	uint32_t n = src->len;
	if (charge_reading(c, keys, sort_depth(n)))
		return c->status;
	List *l = new_list(c, n);
	uint32_t *idx = ctx_alloc(c, sizeof(uint32_t) * (n + 1), true), *tmp = ctx_alloc(c, sizeof(uint32_t) * (n + 1), true);
	if (!l || !idx || !tmp)
		return c->status;
	for (uint32_t i = 0; i < n; i++)
		idx[i] = i;
	sort_places(keys->items, idx, tmp, n, strstr(b->name, "desc") != NULL);
	for (uint32_t i = 0; i < n; i++)
		l->items[i] = src->items[idx[i]];
	*out = val_list(l);
	return ST_OK;
}

/* ---------------------------------------------------------------- text */

static Value text(Ctx *c, const char *s, size_t n)
{
	Str *t = ctx_alloc(c, sizeof(Str) + n + 1, true);
	if (!t)
		return val_unknown(NULL);
	t->len = (uint32_t)n;
	memcpy(t->data, s, n);
	t->data[n] = 0;
	Value v = {.tag = V_STR};
	v.as.s = t;
	return v;
}

/* Where sub first is in s from byte `from` on, or NULL.  In time linear in
 * their lengths (memmem, not a comparison of sub at every place), so that
 * the step a byte of s that contains, replace and split spend bounds it. */
static const char *find(const Str *s, const Str *sub, uint32_t from)
{
	return memmem(s->data + from, s->len - from, sub->data, sub->len);
}

/* contains(text, part), starts_with(text, start), ends_with(text, end) */
static int text_test(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)c, (void)argc;
	const Str *s = a[0].as.s, *t = a[1].as.s;
	bool r;
	if (b->name[0] == 'c')
		r = find(s, t, 0) != NULL;
	else if (t->len > s->len)
		r = false;
	else
		r = memcmp(b->name[0] == 's' ? s->data : s->data + s->len - t->len, t->data, t->len) == 0;
	*out = val_bool(r);
	return ST_OK;
}

/* upper(text), lower(text): the letters a-z and A-Z; other characters stay */
static int text_case(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	Value r = text(c, a[0].as.s->data, a[0].as.s->len);
	if (r.tag != V_STR)
		return c->status;
	bool up = b->name[0] == 'u';
	for (uint32_t i = 0; i < r.as.s->len; i++) {
		char ch = r.as.s->data[i];
		if (up && ch >= 'a' && ch <= 'z')
			r.as.s->data[i] = (char)(ch - 32);
		else if (!up && ch >= 'A' && ch <= 'Z')
			r.as.s->data[i] = (char)(ch + 32);
	}
	*out = r;
	return ST_OK;
}

/* The byte offset of character k (0-based) of s, or s->len past the end. */
static uint32_t char_at(const Str *s, int64_t k)
{
	uint32_t i = 0;
	for (int64_t n = 0; i < s->len; i++)
		if ((s->data[i] & 0xc0) != 0x80 && n++ == k)
			return i;
	return s->len;
}

static int64_t char_count(const Str *s)
{
	int64_t n = 0;
	for (uint32_t i = 0; i < s->len; i++)
		n += (s->data[i] & 0xc0) != 0x80;
	return n;
}

/* substring(text, start [, length]): characters, from 1 (negative: from the end) */
static int substring(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b;
	const Str *s = a[0].as.s;
	int64_t len = char_count(s), i = a[1].as.i;
	int64_t at = i > 0 ? i - 1 : len + i;
	if (i == 0 || at < 0 || at > len)
		return ctx_fail(c, ST_RUNTIME, "substring cannot start at character %lld of a text of %lld character%s",
				(long long)i, (long long)len, len == 1 ? "" : "s");
	int64_t n = argc > 2 ? a[2].as.i : len - at;
	if (n < 0)
		return ctx_fail(c, ST_RUNTIME, "substring needs a length not below zero, not %lld", (long long)n);
	if (n > len - at) /* not at + n > len: that could overflow */
		n = len - at;
	uint32_t from = char_at(s, at), to = char_at(s, at + n);
	*out = text(c, s->data + from, to - from);
	return out->tag == V_STR ? ST_OK : c->status;
}

/* replace(text, part, with): every occurrence of part, left to right */
static int replace(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	const Str *s = a[0].as.s, *p = a[1].as.s, *w = a[2].as.s;
	if (p->len == 0)
		return ctx_fail(c, ST_RUNTIME, "replace needs a part to look for that is not empty");
	uint64_t n = 0;
	for (const char *q = find(s, p, 0); q; q = find(s, p, (uint32_t)(q - s->data) + p->len))
		n++;
	uint64_t size = s->len + n * w->len - n * p->len;
	if (size > UINT32_MAX / 2)
		return ctx_fail(c, ST_LIMIT, "the replaced text would be too long");
	if (ctx_charge(c, size))
		return c->status;
	char *buf = ctx_alloc(c, size + 1, true);
	if (!buf)
		return c->status;
	uint32_t from = 0, k = 0;
	for (const char *q = find(s, p, 0); q; q = find(s, p, from)) {
		uint32_t at = (uint32_t)(q - s->data);
		memcpy(buf + k, s->data + from, at - from);
		k += at - from;
		memcpy(buf + k, w->data, w->len);
		k += w->len;
		from = at + p->len;
	}
	memcpy(buf + k, s->data + from, s->len - from);
	k += s->len - from;
	*out = text(c, buf, k);
	return out->tag == V_STR ? ST_OK : c->status;
}

/* split(text, separator): the parts between the separators */
static int split(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	const Str *s = a[0].as.s, *sep = a[1].as.s;
	if (sep->len == 0)
		return ctx_fail(c, ST_RUNTIME, "split needs a separator that is not empty");
	uint32_t n = 1;
	for (const char *q = find(s, sep, 0); q; q = find(s, sep, (uint32_t)(q - s->data) + sep->len))
		n++;
	List *l = new_list(c, n);
	if (!l)
		return c->status;
	uint32_t from = 0, k = 0;
	for (const char *q = find(s, sep, 0); q; q = find(s, sep, from)) {
		uint32_t at = (uint32_t)(q - s->data);
		l->items[k++] = text(c, s->data + from, at - from);
		from = at + sep->len;
	}
	l->items[k++] = text(c, s->data + from, s->len - from);
	for (uint32_t i = 0; i < k; i++)
		if (l->items[i].tag != V_STR)
			return c->status;
	*out = val_list(l);
	return ST_OK;
}

/* join(list of text [, separator]) */
static int join(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b;
	const List *src = a[0].as.l;
	Value u = unknown_in(src);
	if (u.tag == V_UNKNOWN) {
		*out = u;
		return ST_OK;
	}
	const Str *sep = argc > 1 ? a[1].as.s : NULL;
	uint64_t size = 0;
	for (uint32_t i = 0; i < src->len; i++)
		size += src->items[i].as.s->len + (i && sep ? sep->len : 0);
	if (size > UINT32_MAX / 2)
		return ctx_fail(c, ST_LIMIT, "the joined text would be too long");
	if (ctx_charge(c, size))
		return c->status;
	char *buf = ctx_alloc(c, size + 1, true);
	if (!buf)
		return c->status;
	uint32_t k = 0;
	for (uint32_t i = 0; i < src->len; i++) {
		if (i && sep) {
			memcpy(buf + k, sep->data, sep->len);
			k += sep->len;
		}
		memcpy(buf + k, src->items[i].as.s->data, src->items[i].as.s->len);
		k += src->items[i].as.s->len;
	}
	*out = text(c, buf, k);
	return out->tag == V_STR ? ST_OK : c->status;
}

/* string(x): x written as Edict writes it (a text stays as it is) */
static int string(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)b, (void)argc;
	if (a[0].tag == V_STR) {
		*out = a[0];
		return ST_OK;
	}
	const char *t = fmt_value_str(c->p, a[0]);
	size_t n = strlen(t);
	if (ctx_charge(c, n))
		return c->status;
	*out = text(c, t, n);
	return out->tag == V_STR ? ST_OK : c->status;
}

/* --------------------------------------------------------------- table */

#define ARG(form, kinds, need) {form, kinds, NULL, need}
#define EXACT(type, need) {BA_EXACT, 0, type, need}
#define NONE {BA_VALUE, 0, NULL, NULL}
#define MONEY BK(TY_MONEY)
#define SORTABLE (BK_ORDERED | BK(TY_ENUM) | BK(TY_HS))
#define SORTABLE_NEED "a list of numbers, amounts, dates, text or enumeration members"
#define WHOLE_OR_DEC (BK(TY_INT) | BK(TY_DEC))
/* marginal_tax, marginal_rate, average_rate, bracket_amount: scale.c */
static int scale_fn(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	(void)argc;
	ScaleAsk ask = strcmp(b->name, "marginal_tax") == 0    ? SCALE_TAX
		       : strcmp(b->name, "marginal_rate") == 0 ? SCALE_RATE
		       : strcmp(b->name, "average_rate") == 0  ? SCALE_AVERAGE
							       : SCALE_AMOUNT;
	return scale_ask(c, ask, a[0].as.l, a[1], out);
}

#define SCALE_ARGS {ARG(BA_VALUE, BK(TY_SCALE), "a scale"), ARG(BA_VALUE, WHOLE_OR_DEC | MONEY, "a number or an amount")}
#define ROUND_ARGS {ARG(BA_VALUE, BK_NUM | MONEY, "a number, percentage or amount"), EXACT(&ty_int, "the number of decimal places")}
#define TEXT_ARGS {EXACT(&ty_str, "a text"), EXACT(&ty_str, "a text")}

const BuiltinDef bi_table[] = {
	{"min", 1, -1, {ARG(BA_SPREAD, BK_ORDERED, "numbers, amounts, dates or durations"), NONE},
	 BR_ITEM, NULL, BI_AT_CALL, ACC_MIN, BC_ITEMS, minmax},
	{"max", 1, -1, {ARG(BA_SPREAD, BK_ORDERED, "numbers, amounts, dates or durations"), NONE},
	 BR_ITEM, NULL, BI_AT_CALL, ACC_MAX, BC_ITEMS, minmax},
	{"sum", 1, 1, {ARG(BA_ITEMS, BK_NUM | MONEY | BK(TY_DUR), "numbers or amounts"), NONE},
	 BR_ITEM, NULL, BI_ZERO, ACC_SUM, BC_ITEMS, sum},
	{"count", 1, 1, {ARG(BA_ITEMS, 0, NULL), NONE}, BR_TYPE, &ty_int, 0, ACC_COUNT, BC_TEXT, length},
	{"all", 1, 1, {ARG(BA_ITEMS, BK(TY_BOOL), "true/false conditions"), NONE},
	 BR_TYPE, &ty_bool, 0, ACC_ALL, BC_ITEMS, all_any},
	{"any", 1, 1, {ARG(BA_ITEMS, BK(TY_BOOL), "true/false conditions"), NONE},
	 BR_TYPE, &ty_bool, 0, ACC_ANY, BC_ITEMS, all_any},
	{"length", 1, 1, {ARG(BA_VALUE, BK(TY_LIST) | BK(TY_STR) | BK(TY_EMPTY), "a list or text"), NONE},
	 BR_TYPE, &ty_int, BI_LENIENT, ACC_LIST, BC_TEXT, length},
	{"sort", 1, 1,
	 {ARG(BA_LIST, BK_ORDERED | BK(TY_ENUM) | BK(TY_HS),
	      "a list of numbers, amounts, dates, text or enumeration members"), NONE},
	 BR_ARG, NULL, 0, ACC_LIST, BC_SORT, sort},
	{"distinct", 1, 1, {ARG(BA_LIST, 0, NULL), NONE}, BR_ARG, NULL, 0, ACC_LIST, BC_ITEMS, distinct},
	{"abs", 1, 1, {ARG(BA_VALUE, BK_NUM | MONEY, "a number or an amount"), NONE},
	 BR_ARG, NULL, 0, ACC_LIST, BC_ONE, absolute},
	{"round", 1, 2, {ARG(BA_VALUE, BK_NUM | MONEY, "a number, percentage or amount"),
			 EXACT(&ty_int, "the number of decimal places")},
	 BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"floor", 1, 2, {ARG(BA_VALUE, BK_NUM | MONEY, "a number, percentage or amount"),
			 EXACT(&ty_int, "the number of decimal places")},
	 BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"ceil", 1, 2, {ARG(BA_VALUE, BK_NUM | MONEY, "a number, percentage or amount"),
			EXACT(&ty_int, "the number of decimal places")},
	 BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"amount", 1, 1, {ARG(BA_VALUE, MONEY, "money"), NONE}, BR_TYPE, &ty_dec, 0, ACC_LIST, BC_ONE, amount},
	{"chapter_of", 1, 1, {EXACT(&ty_hs, "the argument"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, chapter_of},
	{"heading_of", 1, 1, {EXACT(&ty_hs, "the argument"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, heading_of},
	{"year_of", 1, 1, {EXACT(&ty_date, "the argument"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, date_part},
	{"month_of", 1, 1, {EXACT(&ty_date, "the argument"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, date_part},
	{"day_of", 1, 1, {EXACT(&ty_date, "the argument"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, date_part},
	{"range", 2, 2, {EXACT(&ty_int, "the first number"), EXACT(&ty_int, "the last number")},
	 BR_LIST, &ty_int, 0, ACC_LIST, BC_MADE, range},
	{"days_between", 2, 2, {EXACT(&ty_date, "the first date"), EXACT(&ty_date, "the second date")},
	 BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, days_between},
	{"as_percent", 1, 1, {ARG(BA_VALUE, BK(TY_DEC) | BK(TY_INT), "a number (a fraction like 0.25)"), NONE},
	 BR_TYPE, &ty_pct, 0, ACC_LIST, BC_ONE, as_percent},
	{"changes_heading", 2, 2,
	 {EXACT(&ty_hs, "the material's tariff code"), EXACT(&ty_hs, "the product's tariff code")},
	 BR_TYPE, &ty_bool, 0, ACC_LIST, BC_ONE, changes_heading},
	{"currency_of", 1, 1, {ARG(BA_VALUE, MONEY, "an amount of money"), NONE},
	 BR_TYPE, &ty_str, 0, ACC_LIST, BC_ONE, currency_of},
	/* numbers */
	{"sqrt", 1, 1, {ARG(BA_VALUE, WHOLE_OR_DEC, "a number"), NONE}, BR_TYPE, &ty_dec, 0, ACC_LIST, BC_ONE, decfn},
	{"exp", 1, 1, {ARG(BA_VALUE, WHOLE_OR_DEC, "a number"), NONE}, BR_TYPE, &ty_dec, 0, ACC_LIST, BC_ONE, decfn},
	{"ln", 1, 1, {ARG(BA_VALUE, WHOLE_OR_DEC, "a number"), NONE}, BR_TYPE, &ty_dec, 0, ACC_LIST, BC_ONE, decfn},
	{"power", 2, 2, {ARG(BA_VALUE, WHOLE_OR_DEC, "plain numbers"), ARG(BA_VALUE, WHOLE_OR_DEC, "plain numbers")},
	 BR_TYPE, &ty_dec, 0, ACC_LIST, BC_ONE, power},
	/* also written n mod d */
	{"modulo", 2, 2, {ARG(BA_VALUE, WHOLE_OR_DEC | MONEY, "numbers or amounts"), ARG(BA_VALUE, WHOLE_OR_DEC | MONEY, "numbers or amounts")},
	 BR_NUMERIC, NULL, 0, ACC_LIST, BC_ONE, modulo},
	{"sign", 1, 1, {ARG(BA_VALUE, BK_NUM | MONEY, "a number or an amount"), NONE}, BR_TYPE, &ty_int, 0, ACC_LIST, BC_ONE, sign},
	{"round_half_even", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"round_half_up", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"round_half_down", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"round_up", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"round_down", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"ceiling", 1, 2, ROUND_ARGS, BR_ROUNDED, NULL, 0, ACC_LIST, BC_ONE, rounding},
	{"round_to", 2, 2, {ARG(BA_VALUE, BK_NUM | MONEY, "a number or an amount"), ARG(BA_VALUE, BK_NUM | MONEY, "the unit, like 10 KRW")},
	 BR_ARG, NULL, 0, ACC_LIST, BC_ONE, round_to},
	/* lists */
	{"concat", 1, -1, {ARG(BA_SPREAD, BK(TY_LIST) | BK(TY_EMPTY), "lists"), NONE},
	 BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, concat},
	{"item", 2, 2, {ARG(BA_LIST, 0, NULL), EXACT(&ty_int, "the place of the item")},
	 BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, item},
	{"first", 1, 1, {ARG(BA_LIST, 0, NULL), NONE}, BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, first_last},
	{"last", 1, 1, {ARG(BA_LIST, 0, NULL), NONE}, BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, first_last},
	{"reverse", 1, 1, {ARG(BA_LIST, 0, NULL), NONE}, BR_ARG, NULL, 0, ACC_LIST, BC_ITEMS, reverse},
	{"flatten", 1, 1, {ARG(BA_LIST, BK(TY_LIST) | BK(TY_EMPTY), "a list of lists"), NONE},
	 BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, flatten},
	{"index_of", 2, 2, {ARG(BA_LIST, 0, NULL), NONE}, BR_LIST, &ty_int, 0, ACC_LIST, BC_ITEMS, index_of},
	{"sublist", 2, 3, {ARG(BA_LIST, 0, NULL), EXACT(&ty_int, "the place to start")},
	 BR_ARG, NULL, 0, ACC_LIST, BC_ONE, sublist},
	{"union", 1, -1, {ARG(BA_SPREAD, BK(TY_LIST) | BK(TY_EMPTY), "lists"), NONE},
	 BR_ITEM, NULL, 0, ACC_LIST, BC_ONE, list_union},
	{"sort_desc", 1, 1, {ARG(BA_LIST, SORTABLE, SORTABLE_NEED), NONE}, BR_ARG, NULL, 0, ACC_LIST, BC_SORT, sort_keyed},
	{"sort_by", 2, 2, {ARG(BA_LIST, 0, NULL), ARG(BA_LIST, SORTABLE, SORTABLE_NEED)}, BR_ARG, NULL, 0, ACC_LIST, BC_SORT, sort_keyed},
	{"sort_by_desc", 2, 2, {ARG(BA_LIST, 0, NULL), ARG(BA_LIST, SORTABLE, SORTABLE_NEED)}, BR_ARG, NULL, 0, ACC_LIST, BC_SORT, sort_keyed},
	/* text */
	{"contains", 2, 2, TEXT_ARGS, BR_TYPE, &ty_bool, 0, ACC_LIST, BC_TEXT, text_test},
	{"starts_with", 2, 2, TEXT_ARGS, BR_TYPE, &ty_bool, 0, ACC_LIST, BC_TEXT, text_test},
	{"ends_with", 2, 2, TEXT_ARGS, BR_TYPE, &ty_bool, 0, ACC_LIST, BC_TEXT, text_test},
	{"upper", 1, 1, {EXACT(&ty_str, "a text"), NONE}, BR_TYPE, &ty_str, 0, ACC_LIST, BC_TEXT, text_case},
	{"lower", 1, 1, {EXACT(&ty_str, "a text"), NONE}, BR_TYPE, &ty_str, 0, ACC_LIST, BC_TEXT, text_case},
	{"substring", 2, 3, {EXACT(&ty_str, "a text"), EXACT(&ty_int, "a place in the text")},
	 BR_TYPE, &ty_str, 0, ACC_LIST, BC_TEXT, substring},
	{"replace", 3, 3, TEXT_ARGS, BR_TYPE, &ty_str, 0, ACC_LIST, BC_TEXT, replace},
	{"split", 2, 2, TEXT_ARGS, BR_LIST, &ty_str, 0, ACC_LIST, BC_TEXT, split},
	{"join", 1, 2, {ARG(BA_LIST, BK(TY_STR), "a list of texts"), EXACT(&ty_str, "the separator")},
	 BR_TYPE, &ty_str, 0, ACC_LIST, BC_ITEMS, join},
	{"marginal_tax", 2, 2, SCALE_ARGS, BR_SCALE, NULL, 0, ACC_LIST, BC_ITEMS, scale_fn},
	{"marginal_rate", 2, 2, SCALE_ARGS, BR_SCALE, NULL, 0, ACC_LIST, BC_ITEMS, scale_fn},
	{"average_rate", 2, 2, SCALE_ARGS, BR_SCALE, NULL, 0, ACC_LIST, BC_ITEMS, scale_fn},
	{"bracket_amount", 2, 2, SCALE_ARGS, BR_SCALE, NULL, 0, ACC_LIST, BC_ITEMS, scale_fn},
	{"string", 1, 1, {NONE, NONE}, BR_TYPE, &ty_str, 0, ACC_LIST, BC_ONE, string},
};

const int bi_count = (int)(sizeof bi_table / sizeof bi_table[0]);

int bi_lookup(const char *name)
{
	for (int i = 0; i < bi_count; i++)
		if (strcmp(bi_table[i].name, name) == 0)
			return i;
	return -1;
}

/* ---------------------------------------------------------------- calls */

static unsigned long long cost_of(const BuiltinDef *b, const Value *a)
{
	uint64_t n;
	switch (b->cost) {
	case BC_TEXT:
		return a[0].tag == V_STR ? a[0].as.s->len : 0;
	case BC_ITEMS:
	case BC_SORT:
		n = a[0].tag == V_LIST ? a[0].as.l->len : 0;
		return b->cost == BC_SORT ? n * sort_depth(n) : n;
	default:
		return 0;
	}
}

int bi_call(Ctx *c, int bi, const Value *a, int argc, Value *out)
{
	for (int i = 0; i < argc; i++)
		if (a[i].tag == V_UNKNOWN) {
			Value u = a[i];
			for (int j = i + 1; j < argc; j++)
				if (a[j].tag == V_UNKNOWN)
					u = val_unknown_union(u, a[j]);
			*out = u;
			return ST_OK;
		}
	const BuiltinDef *b = &bi_table[bi];
	unsigned long long n = cost_of(b, a);
	if (n && ctx_charge(c, n))
		return c->status;
	return b->fn(c, b, a, argc, out);
}
