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
#include "mem.h"
#include <string.h>

#include "arith.h"
#include "builtins.h"
#include "opcodes.h"

/* Loops look at the interrupt flag every this many items. */
#define POLL_EVERY 65536
/* range() makes at most this many numbers. */
#define RANGE_MAX 1000000

static int keep_going(Ctx *c, uint32_t i)
{
	return (i % POLL_EVERY) == POLL_EVERY - 1 ? ctx_charge(c, 0) : ST_OK;
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

/* round, floor, ceil (x [, places]); a percentage rounds in percent points */
static int rounding(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out)
{
	int64_t places = argc > 1 ? a[1].as.i : 0;
	if (places < -100 || places > 100)
		return ctx_fail(c, ST_RUNTIME, "rounding to %lld places is out of range (-100 to 100)", (long long)places);
	/* round(12.345%, 1) = 12.3% */
	if (a[0].tag == V_PCT)
		places += 2;
	DecRound mode = b->name[0] == 'r' ? DEC_HALF_EVEN : b->name[0] == 'f' ? DEC_FLOOR : DEC_CEIL;
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

/* --------------------------------------------------------------- table */

#define ARG(form, kinds, need) {form, kinds, NULL, need}
#define EXACT(type, need) {BA_EXACT, 0, type, need}
#define NONE {BA_VALUE, 0, NULL, NULL}
#define MONEY BK(TY_MONEY)

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
		if (b->cost == BC_SORT) {
			unsigned log = 1;
			while ((1ull << log) < n)
				log++;
			n *= log;
		}
		return n;
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
