/*
 * vm.c - the bytecode interpreter loop.
 *
 * A stack machine over 16-byte Values.  Each chunk runs in a frame on the
 * context's value stack: its locals first, then its operands.  Decisions are
 * memoized per evaluation, so each is decided at most once; functions are
 * not.  Dispatch uses computed goto where the compiler has it, else a
 * switch; both share one body through the VMCASE/VMBREAK macros.
 *
 * Unknown values flow through every operation (Kleene logic for and, or,
 * not); errors longjmp back to vm_eval_* with a message and the location of
 * the instruction that failed.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "format.h"
#include "opcodes.h"
#include "vm.h"

const char *const op_names[OP__COUNT] = {
#define X(name, words, effect, doc) #name,
	EDICT_OPCODES(X)
#undef X
};

const unsigned char op_words[OP__COUNT] = {
#define X(name, words, effect, doc) words,
	EDICT_OPCODES(X)
#undef X
};

/* ------------------------------------------------------------- errors */

static _Noreturn void fail_at(Ctx *c, int status, Loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static _Noreturn void fail_at(Ctx *c, int status, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->errmsg = xvprintf(fmt, ap);
	va_end(ap);
	c->status = status;
	c->errloc = loc;
	longjmp(*c->jb, 1);
}

/* The location of the instruction being run, kept for messages. */
typedef struct Frame {
	const Chunk *ch;
	const uint32_t *pc;
} Frame;

#define FAIL(status, ...) fail_at(c, status, fr->ch->locs[fr->pc - fr->ch->code - 1], __VA_ARGS__)

static void *vm_alloc(Ctx *c, const Frame *fr, size_t n, bool atomic)
{
	c->bytes += n;
	if (c->bytes > c->max_bytes)
		fail_at(c, ST_LIMIT, fr->ch->locs[fr->pc - fr->ch->code - 1],
			"this evaluation needs more than the memory limit of %zu bytes", c->max_bytes);
	void *p = atomic ? GC_MALLOC_ATOMIC(n) : GC_MALLOC(n);
	if (!p)
		fail_at(c, ST_MEMORY, fr->ch->locs[fr->pc - fr->ch->code - 1], "out of memory");
	return p;
}

/* ----------------------------------------------------------- contexts */

Ctx *vm_new(const Program *p)
{
	Ctx *c = GC_MALLOC(sizeof *c);
	if (!c)
		return NULL;
	c->p = p;
	c->facts = GC_MALLOC(sizeof(Value) * (size_t)(p->nfacts + 1));
	c->memo = GC_MALLOC(sizeof(Value) * (size_t)(p->ndecls + 1));
	c->state = GC_MALLOC_ATOMIC((size_t)p->ndecls + 1);
	c->stamp = GC_MALLOC_ATOMIC(sizeof(uint32_t) * ((size_t)p->ndecls + 1));
	if (!c->facts || !c->memo || !c->state || !c->stamp)
		return NULL;
	memset(c->state, 0, (size_t)p->ndecls + 1);
	memset(c->stamp, 0, sizeof(uint32_t) * ((size_t)p->ndecls + 1));
	c->epoch = 1;
	c->max_steps = VM_DEFAULT_MAX_STEPS;
	c->max_bytes = VM_DEFAULT_MAX_BYTES;
	c->frame = -1;
	c->top_frame = -1;
	c->as_of = date_today();
	return c;
}

/* Forget what this evaluation decided: a new epoch, so no decision's stamp
 * matches any more (constant time, whatever the size of the rule set). */
static void new_epoch(Ctx *c)
{
	if (++c->epoch == 0) {
		memset(c->stamp, 0, sizeof(uint32_t) * ((size_t)c->p->ndecls + 1));
		c->epoch = 1;
	}
}

/* Forget the values kept from earlier evaluations (fact-free decisions). */
static void drop_kept(Ctx *c)
{
	for (int i = 0; i < c->p->ndecls; i++)
		if (c->state[i] == 4)
			c->state[i] = 0;
}

void vm_reset(Ctx *c)
{
	new_epoch(c);
	/* decisions that read no facts keep their value while the date stays */
	if (c->memo_as_of != c->as_of || c->trace)
		drop_kept(c);
	c->memo_as_of = c->as_of;
	c->nev = 0;
	c->trace_truncated = false;
	c->steps = 0;
	c->bytes = 0;
	c->depth = 0;
	c->frame = c->top_frame;
	c->status = ST_OK;
	c->errmsg = NULL;
}

void vm_override(Ctx *c, int decl, Value v)
{
	/* values decided or kept may depend on the one overridden */
	new_epoch(c);
	drop_kept(c);
	c->memo[decl] = v;
	c->state[decl] = 3;
}

void vm_clear_overrides(Ctx *c)
{
	memset(c->state, 0, (size_t)c->p->ndecls + 1);
	new_epoch(c);
}

static void trace_add(Ctx *c, TraceKind k, int a, const Str *path, Value v)
{
	if (c->nev == c->evcap) {
		int cap = c->evcap ? c->evcap * 2 : 64;
		/* the trace counts against the evaluation's memory; when it would
		 * not fit, recording stops and the explanation says so */
		size_t grow = sizeof(TraceEv) * (size_t)(cap - c->evcap);
		if (c->bytes + grow > c->max_bytes) {
			c->trace_truncated = true;
			return;
		}
		c->bytes += grow;
		TraceEv *ev = GC_MALLOC(sizeof(TraceEv) * (size_t)cap);
		if (!ev)
			return;
		if (c->nev)
			memcpy(ev, c->ev, sizeof(TraceEv) * (size_t)c->nev);
		c->ev = ev;
		c->evcap = cap;
	}
	TraceEv e = {k, c->frame, a, path, v};
	c->ev[c->nev++] = e;
}

/* ---------------------------------------------------------- arithmetic */

static bool is_numeric(Value v)
{
	return v.tag == V_INT || val_is_declike(v);
}

static const int64_t pow10_tab[19] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
	100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000};

/* The coefficients of two numbers that fit in 64 bits (a whole number has
 * scale 0), brought to the finer of their two scales, *e: false when
 * either is wide or the scaling would pass 64 bits. */
static bool one_scale(Value a, Value b, int64_t *x, int64_t *y, int *e)
{
	if (a.big || b.big)
		return false;
	int ea = a.tag == V_INT ? 0 : a.aux, eb = b.tag == V_INT ? 0 : b.aux;
	int64_t d = (int64_t)ea - eb;
	*x = a.as.i;
	*y = b.as.i;
	*e = ea < eb ? ea : eb;
	if (d > 18 || d < -18)
		return false;
	if (d > 0)
		return !__builtin_mul_overflow(*x, pow10_tab[d], x);
	if (d < 0)
		return !__builtin_mul_overflow(*y, pow10_tab[-d], y);
	return true;
}

static const char *tag_name(Value v)
{
	switch ((ValueTag)v.tag) {
	case V_MONEY: return "an amount of money";
	case V_PCT: return "a percentage";
	case V_DEC: return "a decimal number";
	case V_INT: return "a whole number";
	case V_DATE: return "a date";
	case V_DUR: return "a duration";
	default: return "a value";
	}
}

static void check_dec(Ctx *c, Frame *fr, DecStatus st)
{
	if (st == DEC_OK)
		return;
	if (st == DEC_DIVZERO)
		FAIL(ST_RUNTIME, "division by zero");
	FAIL(ST_RUNTIME, "%s", dec_status_text(st));
}

static Value arith(Ctx *c, Frame *fr, OpCode op, Value a, Value b);

/* Durations in days and weeks are counted in days; months and years in months. */
static bool dur_days(Value v) { return v.cur == DU_DAYS || v.cur == DU_WEEKS; }
static int64_t dur_base(Value v)
{
	return v.cur == DU_WEEKS ? v.as.i * 7 : v.cur == DU_YEARS ? v.as.i * 12 : v.as.i;
}

/* A duration stays within +/- DUR_MAX units, so converting weeks to days or
 * years to months never overflows. */
#define DUR_MAX 100000000

static Value dur_checked(Ctx *c, Frame *fr, int64_t n, DurUnit u, bool ovf)
{
	if (ovf || n > DUR_MAX || n < -DUR_MAX)
		FAIL(ST_RUNTIME, "the duration is too large (more than %d units)", DUR_MAX);
	return val_dur(n, u);
}

static Value date_plus(Ctx *c, Frame *fr, Value d, Value dur, int sign)
{
	date_t r;
	int rc;
	if (dur_days(dur))
		rc = date_add_days((date_t)d.as.i, sign * dur_base(dur), &r);
	else
		rc = date_add_months((date_t)d.as.i, sign * dur_base(dur), &r);
	if (rc != 0)
		FAIL(ST_RUNTIME, "the date falls outside the years 0001 to 9999");
	return val_date(r);
}

static Value arith(Ctx *c, Frame *fr, OpCode op, Value a, Value b)
{
	if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN)
		return val_unknown_union(a, b);
	int64_t r;
	if (a.tag == V_INT && b.tag == V_INT) {
		bool ovf = false;
		switch (op) {
		case OP_ADD: ovf = __builtin_add_overflow(a.as.i, b.as.i, &r); break;
		case OP_SUB: ovf = __builtin_sub_overflow(a.as.i, b.as.i, &r); break;
		case OP_MUL: ovf = __builtin_mul_overflow(a.as.i, b.as.i, &r); break;
		default: goto decimal;
		}
		if (ovf)
			FAIL(ST_RUNTIME, "the whole number is too large (overflow)");
		return val_int(r);
	}
	if (a.tag == V_DATE || b.tag == V_DATE) {
		if (a.tag == V_DATE && b.tag == V_DATE && op == OP_SUB)
			return val_int(a.as.i - b.as.i);
		if (a.tag == V_DATE && b.tag == V_DUR)
			return date_plus(c, fr, a, b, op == OP_SUB ? -1 : 1);
		if (b.tag == V_DATE && a.tag == V_DUR && op == OP_ADD)
			return date_plus(c, fr, b, a, 1);
		FAIL(ST_RUNTIME, "cannot combine %s and %s", tag_name(a), tag_name(b));
	}
	if (a.tag == V_DUR || b.tag == V_DUR) {
		if (a.tag == V_DUR && b.tag == V_DUR && (op == OP_ADD || op == OP_SUB)) {
			if (dur_days(a) != dur_days(b))
				FAIL(ST_RUNTIME, "cannot combine a duration in days or weeks with one in months or years");
			if (a.cur == b.cur) {
				bool ovf = __builtin_add_overflow(a.as.i, op == OP_ADD ? b.as.i : -b.as.i, &r);
				return dur_checked(c, fr, r, (DurUnit)a.cur, ovf);
			}
			int64_t x = dur_base(a), y = dur_base(b);
			return dur_checked(c, fr, op == OP_ADD ? x + y : x - y, dur_days(a) ? DU_DAYS : DU_MONTHS, false);
		}
		if (op == OP_MUL && (a.tag == V_INT || b.tag == V_INT)) {
			Value d = a.tag == V_DUR ? a : b, n = a.tag == V_DUR ? b : a;
			bool ovf = __builtin_mul_overflow(d.as.i, n.as.i, &r);
			return dur_checked(c, fr, r, (DurUnit)d.cur, ovf);
		}
		FAIL(ST_RUNTIME, "cannot combine %s and %s", tag_name(a), tag_name(b));
	}
decimal:
	if (!is_numeric(a) || !is_numeric(b))
		FAIL(ST_RUNTIME, "cannot combine %s and %s", tag_name(a), tag_name(b));
	/* the kind of the result */
	ValueTag tag = V_DEC;
	uint16_t cur = 0;
	if (a.tag == V_MONEY || b.tag == V_MONEY) {
		if (a.tag == V_MONEY && b.tag == V_MONEY) {
			/* the zero of an empty sum has no currency and takes the other's */
			if (!a.cur)
				a.cur = b.cur;
			if (!b.cur)
				b.cur = a.cur;
			if (a.cur != b.cur) {
				char x[4], y[4];
				val_currency_text(a.cur, x);
				val_currency_text(b.cur, y);
				FAIL(ST_RUNTIME, "cannot combine an amount in %s with one in %s without an exchange rate", x, y);
			}
			tag = (op == OP_DIV) ? V_DEC : V_MONEY;
		} else {
			tag = V_MONEY;
		}
		cur = a.tag == V_MONEY ? a.cur : b.cur;
	} else if (a.tag == V_PCT && b.tag == V_PCT && op != OP_DIV) {
		tag = V_PCT;
	} else if (a.tag == V_PCT && op == OP_DIV && b.tag != V_PCT) {
		tag = V_PCT;
	}
	/* fast paths: coefficients that fit in 64 bits give the same result as
	 * decimal.c (add/sub keep the finer scale; mul drops trailing fractional
	 * zeros, and zero is plain 0), without 128-bit arithmetic */
	if (!a.big && !b.big && op != OP_DIV) {
		int64_t x, y;
		bool ok;
		int e;
		if (op == OP_MUL) {
			ok = !__builtin_mul_overflow(a.as.i, b.as.i, &r);
			e = (a.tag == V_INT ? 0 : a.aux) + (b.tag == V_INT ? 0 : b.aux);
			if (ok && r == 0)
				e = 0;
			while (ok && r != 0 && e < 0 && r % 10 == 0)
				r /= 10, e++;
			ok = ok && e >= DEC_EMIN && e <= DEC_EMAX;
		} else {
			ok = one_scale(a, b, &x, &y, &e) &&
			     !(op == OP_ADD ? __builtin_add_overflow(x, y, &r) : __builtin_sub_overflow(x, y, &r));
		}
		if (ok) {
			Value v = {.tag = (uint8_t)tag, .cur = cur, .aux = e};
			v.as.i = r;
			return v;
		}
	}
	Dec x = val_get_dec(a), y = val_get_dec(b), z;
	DecStatus st;
	switch (op) {
	case OP_ADD: st = dec_add(x, y, &z); break;
	case OP_SUB: st = dec_sub(x, y, &z); break;
	case OP_MUL: st = dec_mul(x, y, &z); break;
	default: st = dec_div(x, y, &z); break;
	}
	check_dec(c, fr, st);
	return val_dec(tag, z, cur);
}

int vm_compare(Value a, Value b)
{
	if (a.tag == V_INT && b.tag == V_INT)
		return (a.as.i > b.as.i) - (a.as.i < b.as.i);
	if (is_numeric(a) && is_numeric(b)) {
		/* small coefficients: compared at the finer scale in 64 bits */
		int64_t x, y;
		int e;
		if (one_scale(a, b, &x, &y, &e))
			return (x > y) - (x < y);
		return dec_cmp(val_get_dec(a), val_get_dec(b));
	}
	switch ((ValueTag)a.tag) {
	case V_DATE:
	case V_ENUM:
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
	case V_STR:
		return strcmp(a.as.s->data, b.as.s->data);
	default:
		return 0;
	}
}

static int compare(Ctx *c, Frame *fr, Value a, Value b)
{
	if (a.tag == V_MONEY && b.tag == V_MONEY && a.cur != b.cur && a.cur && b.cur) {
		char x[4], y[4];
		val_currency_text(a.cur, x);
		val_currency_text(b.cur, y);
		FAIL(ST_RUNTIME, "cannot compare an amount in %s with one in %s without an exchange rate", x, y);
	}
	if (a.tag == V_DUR && b.tag == V_DUR && dur_days(a) != dur_days(b))
		FAIL(ST_RUNTIME, "cannot compare a duration in days or weeks with one in months or years");
	return vm_compare(a, b);
}

/* Two known values whose 64-bit coefficients order them as the values are
 * ordered: one kind of number, date, member or truth, one scale (and
 * currency), neither wide.  Text, durations (weeks against days), lists
 * and unknowns are compared otherwise. */
static inline bool same_scale(Value a, Value b)
{
	return a.tag == b.tag && !a.big && !b.big && a.aux == b.aux && a.cur == b.cur &&
	       ((a.tag >= V_BOOL && a.tag <= V_DATE) || a.tag == V_ENUM || a.tag == V_HS);
}

/* Two values equal exactly when their 64-bit payloads are: whole numbers,
 * truth, dates, members of one enumeration. */
static inline bool equal_in_place(Value a, Value b)
{
	return a.tag == b.tag && (a.tag == V_INT || a.tag == V_BOOL || a.tag == V_DATE || (a.tag == V_ENUM && a.aux == b.aux));
}

/* Equality of two known values (1.0 = 1.00); amounts in two currencies
 * are an error, as in compare. */
static inline bool equal(Ctx *c, Frame *fr, Value a, Value b)
{
	if (equal_in_place(a, b))
		return a.as.i == b.as.i; /* the common tests of members and numbers */
	if (a.tag == V_MONEY && b.tag == V_MONEY && a.cur != b.cur)
		(void)compare(c, fr, a, b);
	return val_equal(a, b);
}

static Value kleene_and(Value a, Value b)
{
	if ((a.tag == V_BOOL && !a.as.i) || (b.tag == V_BOOL && !b.as.i))
		return val_bool(false);
	if (a.tag == V_BOOL && b.tag == V_BOOL)
		return val_bool(true);
	return val_unknown_union(a.tag == V_UNKNOWN ? a : val_bool(true), b.tag == V_UNKNOWN ? b : val_bool(true));
}

static Value kleene_or(Value a, Value b)
{
	if ((a.tag == V_BOOL && a.as.i) || (b.tag == V_BOOL && b.as.i))
		return val_bool(true);
	if (a.tag == V_BOOL && b.tag == V_BOOL)
		return val_bool(false);
	return val_unknown_union(a.tag == V_UNKNOWN ? a : val_bool(false), b.tag == V_UNKNOWN ? b : val_bool(false));
}


static bool hs_match(int kind, Value code, Value want)
{
	switch (kind) {
	case HS_CHAPTER:
		return want.tag == V_INT && val_hs_chapter(code) == want.as.i;
	case HS_HEADING:
		return want.tag == V_INT && val_hs_heading(code) == want.as.i;
	default:
		return want.tag == V_HS && code.aux >= want.aux && code.as.i / pow10_tab[code.aux - want.aux] == want.as.i;
	}
}

/* ------------------------------------------------------------ builtins */

#define LIST_FIRST_ROOM 4

/* An empty list to accumulate into, its first items in the same block. */
static Value new_acc_list(Ctx *c, Frame *fr)
{
	List *l = vm_alloc(c, fr, sizeof(List) + sizeof(Value) * LIST_FIRST_ROOM, false);
	l->len = 0;
	l->items = (Value *)(l + 1);
	return val_list(l);
}

static Value list_grow(Ctx *c, Frame *fr, Value acc, Value item)
{
	List *l = acc.as.l;
	uint32_t n = l->len;
	/* a list accumulator starts with room for LIST_FIRST_ROOM items
	 * (new_acc_list); capacity doubles at powers of two from there, so the
	 * length alone tells when */
	if (n >= LIST_FIRST_ROOM && (n & (n - 1)) == 0) {
		Value *items = vm_alloc(c, fr, sizeof(Value) * n * 2, false);
		memcpy(items, l->items, sizeof(Value) * n);
		l->items = items;
	}
	l->items[n] = item;
	l->len = n + 1;
	return acc;
}

static Value new_list(Ctx *c, Frame *fr, uint32_t n)
{
	List *l = vm_alloc(c, fr, sizeof(List), false);
	l->len = n;
	l->items = n ? vm_alloc(c, fr, sizeof(Value) * n, false) : NULL;
	return val_list(l);
}

static Value unknown_in(const List *l)
{
	Value u = {.tag = V_BOOL};
	for (uint32_t i = 0; i < l->len; i++)
		if (l->items[i].tag == V_UNKNOWN)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, l->items[i]) : l->items[i];
	return u;
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
		tmp[k++] = vm_compare(v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, sizeof(Value) * n);
}

static Value round_value(Ctx *c, Frame *fr, Value x, int places, DecRound mode)
{
	if (x.tag == V_INT && places >= 0)
		return x;
	Dec r;
	check_dec(c, fr, dec_round(val_get_dec(x), places, mode, &r));
	if (x.tag == V_INT) {
		int64_t i;
		if (dec_to_int(r, &i))
			return val_int(i);
	}
	return val_dec(x.tag == V_INT ? V_DEC : (ValueTag)x.tag, r, x.cur);
}

static Value builtin(Ctx *c, Frame *fr, Builtin b, Value *a, int argc)
{
	for (int i = 0; i < argc; i++)
		if (a[i].tag == V_UNKNOWN) {
			Value u = a[i];
			for (int j = i + 1; j < argc; j++)
				if (a[j].tag == V_UNKNOWN)
					u = val_unknown_union(u, a[j]);
			return u;
		}
	switch (b) {
	case B_MIN:
	case B_MAX: {
		Value *v = a;
		int n = argc;
		if (argc == 1) {
			Value u = unknown_in(a[0].as.l);
			if (u.tag == V_UNKNOWN)
				return u;
			v = a[0].as.l->items;
			n = (int)a[0].as.l->len;
			if (n == 0)
				FAIL(ST_RUNTIME, "%s of an empty list", b == B_MIN ? "min" : "max");
		}
		Value best = v[0];
		for (int i = 1; i < n; i++) {
			int cmp = compare(c, fr, v[i], best);
			if (b == B_MIN ? cmp < 0 : cmp > 0)
				best = v[i];
		}
		return best;
	}
	case B_SUM: {
		Value u = unknown_in(a[0].as.l);
		if (u.tag == V_UNKNOWN)
			return u;
		Value s = a[1];
		for (uint32_t i = 0; i < a[0].as.l->len; i++)
			s = arith(c, fr, OP_ADD, s, a[0].as.l->items[i]);
		return s;
	}
	case B_COUNT:
	case B_LENGTH:
		if (a[0].tag == V_STR) {
			int64_t n = 0;
			for (uint32_t i = 0; i < a[0].as.s->len; i++)
				n += (a[0].as.s->data[i] & 0xc0) != 0x80;
			return val_int(n);
		}
		return val_int(a[0].as.l->len);
	case B_ALL:
	case B_ANY: {
		Value r = val_bool(b == B_ALL);
		for (uint32_t i = 0; i < a[0].as.l->len; i++)
			r = b == B_ALL ? kleene_and(r, a[0].as.l->items[i]) : kleene_or(r, a[0].as.l->items[i]);
		return r;
	}
	case B_SORT: {
		List *src = a[0].as.l;
		Value u = unknown_in(src);
		if (u.tag == V_UNKNOWN)
			return u;
		Value out = new_list(c, fr, src->len);
		if (src->len) {
			memcpy(out.as.l->items, src->items, sizeof(Value) * src->len);
			Value *tmp = vm_alloc(c, fr, sizeof(Value) * src->len, false);
			sort_values(out.as.l->items, tmp, src->len);
		}
		return out;
	}
	case B_DISTINCT: {
		List *src = a[0].as.l;
		Value out = new_list(c, fr, src->len);
		uint32_t k = 0;
		for (uint32_t i = 0; i < src->len; i++) {
			bool seen = false;
			for (uint32_t j = 0; j < k && !seen; j++)
				seen = src->items[i].tag != V_UNKNOWN && val_equal(out.as.l->items[j], src->items[i]);
			if (!seen)
				out.as.l->items[k++] = src->items[i];
		}
		out.as.l->len = k;
		return out;
	}
	case B_ABS:
		if (a[0].tag == V_INT) {
			if (a[0].as.i == INT64_MIN)
				FAIL(ST_RUNTIME, "the whole number is too large (overflow)");
			return val_int(a[0].as.i < 0 ? -a[0].as.i : a[0].as.i);
		}
		return val_dec((ValueTag)a[0].tag, dec_abs(val_get_dec(a[0])), a[0].cur);
	case B_ROUND:
	case B_FLOOR:
	case B_CEIL: {
		int64_t places = argc > 1 ? a[1].as.i : 0;
		if (places < -100 || places > 100)
			FAIL(ST_RUNTIME, "rounding to %lld places is out of range (-100 to 100)", (long long)places);
		/* a percentage rounds in percent points: round(12.345%, 1) = 12.3% */
		if (a[0].tag == V_PCT)
			places += 2;
		Value r = round_value(c, fr, a[0], (int)places, b == B_ROUND ? DEC_HALF_EVEN : b == B_FLOOR ? DEC_FLOOR : DEC_CEIL);
		if (argc == 1 && r.tag == V_DEC) {
			/* a decimal rounded to no places is a whole number */
			int64_t i;
			if (!dec_to_int(val_get_dec(r), &i))
				FAIL(ST_RUNTIME, "the rounded number is too large for a whole number");
			return val_int(i);
		}
		return r;
	}
	case B_AMOUNT:
		return val_dec(V_DEC, val_get_dec(a[0]), 0);
	case B_CHAPTER:
		return val_int(val_hs_chapter(a[0]));
	case B_HEADING: {
		int h = val_hs_heading(a[0]);
		if (h < 0)
			return val_unknown(NULL);
		return val_int(h);
	}
	case B_YEAR:
	case B_MONTH:
	case B_DAY: {
		int y, m, d;
		date_to_ymd((date_t)a[0].as.i, &y, &m, &d);
		return val_int(b == B_YEAR ? y : b == B_MONTH ? m : d);
	}
	case B_RANGE: {
		int64_t lo = a[0].as.i, hi = a[1].as.i;
		if (hi < lo)
			return new_list(c, fr, 0);
		uint64_t span = (uint64_t)hi - (uint64_t)lo; /* exact: hi >= lo */
		if (span >= 1000000)
			FAIL(ST_LIMIT, "range(%lld, %lld) would hold more than 1000000 numbers", (long long)lo, (long long)hi);
		Value out = new_list(c, fr, (uint32_t)(span + 1));
		for (uint32_t i = 0; i <= span; i++)
			out.as.l->items[i] = val_int(lo + (int64_t)i);
		return out;
	}
	case B_DAYS_BETWEEN:
		return val_int(a[1].as.i - a[0].as.i);
	case B_CHANGES_HEADING:
		/* a change of tariff heading: the first four digits differ */
		if (a[0].aux < 4 || a[1].aux < 4)
			FAIL(ST_RUNTIME, "a change of tariff heading needs codes of at least four digits");
		return val_bool(val_hs_heading(a[0]) != val_hs_heading(a[1]));
	case B_AS_PERCENT:
		return val_dec(V_PCT, val_get_dec(a[0]), 0);
	case B_CURRENCY: {
		if (!a[0].cur)
			return val_unknown(NULL);
		char cur[4];
		val_currency_text(a[0].cur, cur);
		return val_str(cur, 3);
	}
	case B__COUNT:
		break;
	}
	FAIL(ST_RUNTIME, "unknown builtin");
}

/* ---------------------------------------------------------------- PICK */

/* Choose among the cases of a decision.  Returns the case index, or -1 with
 * *unknown set when the choice depends on missing facts. */
static int pick(Ctx *c, Frame *fr, const CaseTab *t, const Value *conds, Value *unknown)
{
	int n = t->n;
	if (t->mode == PICK_FIRST) {
		Value u = {.tag = V_BOOL};
		for (int i = 0; i < n; i++) {
			Value v = conds[i];
			if (v.tag == V_UNKNOWN && !t->is_default[i])
				u = u.tag == V_UNKNOWN ? val_unknown_union(u, v) : v;
			else if (v.tag == V_BOOL && v.as.i && (!t->is_default[i] || u.tag != V_UNKNOWN)) {
				if (t->is_default[i]) {
					/* the default row applies only when no row did */
					bool any = false;
					for (int j = 0; j < n; j++)
						any |= !t->is_default[j] && conds[j].tag == V_BOOL && conds[j].as.i;
					if (any)
						continue;
				}
				if (u.tag == V_UNKNOWN) {
					*unknown = u;
					return -1;
				}
				return i;
			}
		}
		if (u.tag == V_UNKNOWN) {
			*unknown = u;
			return -1;
		}
		return -2;
	}
	/* precedence: a true case wins unless a true case beats it */
	int win = -1, win2 = -1;
	for (int i = 0; i < n; i++) {
		if (!(conds[i].tag == V_BOOL && conds[i].as.i))
			continue;
		bool beaten = false;
		for (int j = 0; j < n && !beaten; j++)
			beaten = j != i && conds[j].tag == V_BOOL && conds[j].as.i && t->beats[j * n + i];
		if (beaten)
			continue;
		if (win < 0)
			win = i;
		else if (win2 < 0)
			win2 = i;
	}
	/* an undecided case matters unless a true case beats it */
	Value u = {.tag = V_BOOL};
	for (int i = 0; i < n; i++) {
		if (conds[i].tag != V_UNKNOWN)
			continue;
		bool beaten = false;
		for (int j = 0; j < n && !beaten; j++)
			beaten = conds[j].tag == V_BOOL && conds[j].as.i && t->beats[j * n + i];
		if (!beaten)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, conds[i]) : conds[i];
	}
	if (u.tag == V_UNKNOWN) {
		*unknown = u;
		return -1;
	}
	if (win2 >= 0) {
		if (t->mode == PICK_UNIQUE)
			FAIL(ST_RUNTIME, "%s and %s both apply, but this table allows only one row (hit unique)",
			     cg_case_label(fr->ch->decl, win), cg_case_label(fr->ch->decl, win2));
		FAIL(ST_RUNTIME, "%s and %s both apply and neither overrides the other; add 'overrides' to one of them",
		     cg_case_label(fr->ch->decl, win), cg_case_label(fr->ch->decl, win2));
	}
	return win >= 0 ? win : -2;
}

/* ------------------------------------------------------------- tables */

/* No row of a table applies and it has no default row. */
static _Noreturn void no_row(Ctx *c, Frame *fr)
{
	const Decl *d = fr->ch->decl;
	bool dated = false;
	for (int i = 0; d && i < d->ncases; i++)
		dated |= d->cases[i].from || d->cases[i].until;
	if (dated) {
		char day[DATE_TEXT_LEN + 1];
		date_format(c->as_of, day);
		FAIL(ST_RUNTIME, "no row of table '%s' applies on %s, and it has no 'default' row", fr->ch->name, day);
	}
	FAIL(ST_RUNTIME, "no row of table '%s' applies, and it has no 'default' row; add a row for this case, or a "
			 "'default' row", fr->ch->name);
}

/* The rank of a value in a table's order of values: 0 is the highest. */
static int64_t rank_of(Ctx *c, Frame *fr, const CaseTab *t, Value v, int row)
{
	if (t->order.tag == V_LIST) {
		for (uint32_t i = 0; i < t->order.as.l->len; i++)
			if (t->order.as.l->items[i].tag == v.tag && val_equal(t->order.as.l->items[i], v))
				return i;
		FAIL(ST_RUNTIME, "%s gives %s, which is not in the order of the values of table '%s'",
		     cg_case_label(fr->ch->decl, row), fmt_value_str(c->p, v), fr->ch->name);
	}
	if (v.tag == V_BOOL)
		return !v.as.i; /* true ranks first */
	return v.as.i;          /* an enum member: the order declared */
}

/* The value of a gathering table from the values of the rows that apply
 * (pairs [row, value] for any, priority and output order). */
static Value hit_reduce(Ctx *c, Frame *fr, const CaseTab *t, List *l)
{
	uint32_t n = l->len;
	bool pairs = t->hit == HIT_ANY || t->hit == HIT_PRIORITY || t->hit == HIT_OUTPUT_ORDER;
	Value *v = vm_alloc(c, fr, sizeof(Value) * (n + 1), false);
	int *row = vm_alloc(c, fr, sizeof(int) * (n + 1), true);
	Value u = {.tag = V_BOOL};
	for (uint32_t i = 0; i < n; i++) {
		v[i] = pairs ? l->items[i].as.l->items[1] : l->items[i];
		row[i] = pairs ? (int)l->items[i].as.l->items[0].as.i : 0;
		if (v[i].tag == V_UNKNOWN)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, v[i]) : v[i];
	}
	switch (t->hit) {
	case HIT_COLLECT:
	case HIT_RULE_ORDER:
		return val_list(l);
	case HIT_COUNT:
		return val_int(n);
	default:
		break;
	}
	if (u.tag == V_UNKNOWN)
		return u;
	switch (t->hit) {
	case HIT_SUM: {
		Value r = t->zero;
		for (uint32_t i = 0; i < n; i++)
			r = arith(c, fr, OP_ADD, r, v[i]);
		return r;
	}
	case HIT_MIN:
	case HIT_MAX: {
		if (n == 0)
			return val_unknown(NULL); /* nothing to choose from, and no default */
		Value r = v[0];
		for (uint32_t i = 1; i < n; i++) {
			int k = compare(c, fr, v[i], r);
			if (t->hit == HIT_MIN ? k < 0 : k > 0)
				r = v[i];
		}
		return r;
	}
	case HIT_ANY:
		if (n == 0)
			no_row(c, fr);
		for (uint32_t i = 1; i < n; i++)
			if (v[i].tag != v[0].tag || !val_equal(v[i], v[0]))
				FAIL(ST_RUNTIME, "%s and %s both apply and give different values (%s and %s), but in a 'hit any' "
						 "table rows that apply together must agree",
				     cg_case_label(fr->ch->decl, row[0]), cg_case_label(fr->ch->decl, row[i]),
				     fmt_value_str(c->p, v[0]), fmt_value_str(c->p, v[i]));
		return v[0];
	case HIT_PRIORITY: {
		if (n == 0)
			no_row(c, fr);
		uint32_t best = 0;
		int64_t br = rank_of(c, fr, t, v[0], row[0]);
		for (uint32_t i = 1; i < n; i++) {
			int64_t r = rank_of(c, fr, t, v[i], row[i]);
			if (r < br) {
				br = r;
				best = i;
			}
		}
		return v[best];
	}
	case HIT_OUTPUT_ORDER: {
		/* a stable sort by rank: rows of equal rank stay in rule order */
		int64_t *rk = vm_alloc(c, fr, sizeof(int64_t) * (n + 1), true);
		for (uint32_t i = 0; i < n; i++)
			rk[i] = rank_of(c, fr, t, v[i], row[i]);
		for (uint32_t i = 1; i < n; i++)
			for (uint32_t j = i; j > 0 && rk[j - 1] > rk[j]; j--) {
				int64_t tr = rk[j];
				rk[j] = rk[j - 1];
				rk[j - 1] = tr;
				Value tv = v[j];
				v[j] = v[j - 1];
				v[j - 1] = tv;
			}
		Value out = new_list(c, fr, n);
		if (n)
			memcpy(out.as.l->items, v, sizeof(Value) * n);
		return out;
	}
	default:
		break;
	}
	FAIL(ST_RUNTIME, "unknown hit policy");
}

/* ------------------------------------------------------------ the loop */

static Value exec(Ctx *c, const Chunk *ch, int base);

static void ensure_stack(Ctx *c, int need)
{
	if (need <= c->cap)
		return;
	int cap = c->cap ? c->cap : 256;
	while (cap < need)
		cap *= 2;
	Value *s = GC_MALLOC(sizeof(Value) * (size_t)cap);
	if (!s) {
		c->status = ST_MEMORY;
		c->errmsg = "out of memory";
		longjmp(*c->jb, 1);
	}
	if (c->cap)
		memcpy(s, c->stack, sizeof(Value) * (size_t)c->cap);
	c->stack = s;
	c->cap = cap;
}

static Value decide(Ctx *c, Frame *fr, int d)
{
	if (c->stamp[d] == c->epoch || c->state[d] >= 3)
		return c->memo[d];
	if (c->state[d] == 1)
		FAIL(ST_RUNTIME, "'%s' depends on itself", c->p->decls[d]->qname);
	c->state[d] = 1;
	int saved = c->frame;
	c->frame = d;
	const Chunk *ch = c->trace ? cg_traced(c->p, d, false) : c->p->dchunk[d];
	Value v = exec(c, ch, -1); /* its frame starts at the caller's stack top */
	c->frame = saved;
	c->memo[d] = v;
	c->stamp[d] = c->epoch;
	/* without facts in it, the value holds for the next evaluation too */
	c->state[d] = c->p->keep[d] && !c->trace ? 4 : 0;
	return v;
}

#if defined(__GNUC__)
#define VM_COMPUTED_GOTO 1
#endif

static Value exec(Ctx *c, const Chunk *ch, int base)
{
	if (++c->depth > VM_MAX_DEPTH) {
		c->status = ST_LIMIT;
		c->errmsg = xprintf("decisions and functions call each other more than %d deep", VM_MAX_DEPTH);
		c->errloc = ch->locs[0];
		longjmp(*c->jb, 1);
	}
	if (base < 0)
		base = c->stack_top;
	if (__builtin_expect(base + ch->nlocals + ch->n + 4 > c->cap, 0))
		ensure_stack(c, base + ch->nlocals + ch->n + 4);
	/* every local is written before it is read (the compiler sees to it) */
	Value *L = c->stack + base;
	Value *sp = L + ch->nlocals; /* next free slot */
	/* pc lives in a register: the frame's copy, which errors read for
	 * their location, is brought up to date (AT_PC) before each call that
	 * may fail */
	const uint32_t *code = ch->code, *pc = code;
	Frame frame = {ch, code}, *fr = &frame;
	const Value *K = ch->k;
	uint32_t w;
	Value a, b;
	/* the step budget lives in a register; c->steps is brought up to date
	 * around calls, which spend from the same budget */
	long long budget = (long long)(c->max_steps - c->steps);
#define STEPS_OUT() (c->steps = c->max_steps - (unsigned long long)budget)
#define STEPS_IN() (budget = (long long)(c->max_steps - c->steps))

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define JUMPTO(t) (pc = code + (t))
#define AT_PC() (fr->pc = pc, fr)
#undef FAIL
#define FAIL(status, ...) fail_at(c, status, ch->locs[pc - code - 1], __VA_ARGS__)
#define RELOAD()                                                                       \
	do {                                                                           \
		ptrdiff_t off_ = sp - L;                                               \
		L = c->stack + base;                                                   \
		sp = L + off_;                                                         \
	} while (0)
#define SAVE_TOP() (c->stack_top = (int)(sp - c->stack))

#ifdef VM_COMPUTED_GOTO
	static const void *const labels[OP__COUNT] = {
#define X(name, words, effect, doc) &&op_##name,
		EDICT_OPCODES(X)
#undef X
	};
#define VMDISPATCH()                                                                   \
	do {                                                                           \
		if (__builtin_expect(--budget < 0, 0))                                 \
			goto steps_exceeded;                                           \
		w = *pc++;                                                         \
		goto *labels[INS_OP(w)];                                               \
	} while (0)
#define VMCASE(name) op_##name:
#define VMBREAK VMDISPATCH()
	VMDISPATCH();
#else
#define VMCASE(name) case OP_##name:
#define VMBREAK break
	for (;;) {
		if (--budget < 0)
			goto steps_exceeded;
		w = *pc++;
		switch (INS_OP(w)) {
#endif

	/* CONST: push the constant K[A]. */
	VMCASE(CONST)
		PUSH(K[INS_A(w)]);
		VMBREAK;
	/* TRUE, FALSE, UNKNOWN: push a literal. */
	VMCASE(TRUE)
		PUSH(val_bool(true));
		VMBREAK;
	VMCASE(FALSE)
		PUSH(val_bool(false));
		VMBREAK;
	VMCASE(UNKNOWN)
		PUSH(val_unknown(NULL));
		VMBREAK;
	/* ASOF: push the as-of date of this evaluation. */
	VMCASE(ASOF)
		PUSH(val_date(c->as_of));
		VMBREAK;
	VMCASE(POP)
		sp--;
		VMBREAK;
	/* LOCAL, SETLOCAL: read and write frame slot A. */
	VMCASE(LOCAL)
		PUSH(L[INS_A(w)]);
		VMBREAK;
	VMCASE(SETLOCAL)
		L[INS_A(w)] = POP();
		VMBREAK;
	/* FACT: push fact root A; missing facts are unknown values carrying
	 * their path, put there by the facts loader. */
	VMCASE(FACT)
		PUSH(c->facts[INS_A(w)]);
		VMBREAK;
	/* FIELD: replace the record on top with its field A.  The field of an
	 * unknown record is unknown for the same facts. */
	VMCASE(FIELD)
		if (TOP().tag == V_REC)
			TOP() = TOP().as.r->f[INS_A(w)];
		VMBREAK;
	/* LOCALFIELD A B: push field B of the record in L[A]. */
	VMCASE(LOCALFIELD) {
		Value r = L[INS_A(w)];
		uint32_t f = *pc++;
		PUSH(r.tag == V_REC ? r.as.r->f[f] : r);
		VMBREAK;
	}
	/* FACTFIELD A B: push field B of fact root A (`company.size`). */
	VMCASE(FACTFIELD) {
		Value r = c->facts[INS_A(w)];
		uint32_t f = *pc++;
		PUSH(r.tag == V_REC ? r.as.r->f[f] : r);
		VMBREAK;
	}
	/* DECIDE: push decision A, deciding it on first use (memoized). */
	VMCASE(DECIDE) {
		int d = INS_A(w);
		if (c->stamp[d] == c->epoch || c->state[d] >= 3) {
			a = c->memo[d];
		} else {
			SAVE_TOP();
			STEPS_OUT();
			a = decide(c, AT_PC(), d);
			STEPS_IN();
			RELOAD();
		}
		if (c->trace)
			trace_add(c, TR_DECISION, d, NULL, a);
		PUSH(a);
		VMBREAK;
	}
	/* CALL A B: call function A; its B arguments are the top of the stack
	 * and become its first locals. */
	VMCASE(CALL) {
		int f = INS_A(w), argc = (int)*pc++;
		sp -= argc;
		int nb = (int)(sp - c->stack);
		const Chunk *fc = c->trace ? cg_traced(c->p, f, true) : c->p->fchunk[f];
		STEPS_OUT();
		a = exec(c, fc, nb);
		STEPS_IN();
		RELOAD();
		PUSH(a);
		VMBREAK;
	}
	/* BUILTIN A B: builtin A over the top B values. */
	VMCASE(BUILTIN) {
		int bi = INS_A(w), argc = (int)*pc++;
		sp -= argc;
		if ((bi == B_MIN || bi == B_MAX) && argc == 2 && same_scale(sp[0], sp[1])) {
			/* min(a, b) of two known amounts: as builtin() chooses, b only when it is strictly better */
			bool second = bi == B_MIN ? sp[1].as.i < sp[0].as.i : sp[1].as.i > sp[0].as.i;
			a = sp[second];
		} else {
			a = builtin(c, AT_PC(), (Builtin)bi, sp, argc);
		}
		PUSH(a);
		VMBREAK;
	}
	/* RETURN: the top of the stack is the chunk's value. */
	VMCASE(RETURN)
		c->depth--;
		STEPS_OUT();
		return TOP();
	/* ADD, SUB, MUL, DIV: exact arithmetic (value.h, decimal.h); ints
	 * check for overflow; money keeps its currency. */
	VMCASE(ADD)
		b = POP();
		a = TOP();
		if (same_scale(a, b) && is_numeric(a) && !__builtin_add_overflow(a.as.i, b.as.i, &TOP().as.i))
			VMBREAK;
		TOP() = arith(c, AT_PC(), OP_ADD, a, b);
		VMBREAK;
	VMCASE(SUB)
		b = POP();
		a = TOP();
		if (same_scale(a, b) && is_numeric(a) && !__builtin_sub_overflow(a.as.i, b.as.i, &TOP().as.i))
			VMBREAK;
		TOP() = arith(c, AT_PC(), OP_SUB, a, b);
		VMBREAK;
	VMCASE(MUL)
		b = POP();
		TOP() = arith(c, AT_PC(), OP_MUL, TOP(), b);
		VMBREAK;
	VMCASE(DIV)
		b = POP();
		TOP() = arith(c, AT_PC(), OP_DIV, TOP(), b);
		VMBREAK;
	/* NEG: arithmetic negation. */
	VMCASE(NEG)
		a = TOP();
		if (a.tag == V_INT) {
			if (a.as.i == INT64_MIN)
				FAIL(ST_RUNTIME, "the whole number is too large (overflow)");
			TOP().as.i = -a.as.i;
		} else if (a.tag == V_DUR) {
			TOP().as.i = -a.as.i; /* within DUR_MAX, so it cannot overflow */
		} else if (a.tag != V_UNKNOWN) {
			TOP() = val_dec((ValueTag)a.tag, dec_neg(val_get_dec(a)), a.cur);
		}
		VMBREAK;
	/* EQ, NE: equality of two values of one type (1.0 = 1.00). */
	VMCASE(EQ)
	VMCASE(NE) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		bool eq = equal(c, AT_PC(), a, b);
		TOP() = val_bool(INS_OP(w) == OP_EQ ? eq : !eq);
		VMBREAK;
	}
	/* EQK: the top = K[A], a known constant (`size = sme`, `t = 6`). */
	VMCASE(EQK)
		a = TOP();
		b = K[INS_A(w)];
		if (equal_in_place(a, b)) /* before equal(), which would need the frame's pc */
			TOP() = val_bool(a.as.i == b.as.i);
		else if (a.tag != V_UNKNOWN)
			TOP() = val_bool(equal(c, AT_PC(), a, b));
		VMBREAK;
	/* LT, LE, GT, GE: order of numbers, amounts, dates, durations, text. */
	VMCASE(LT)
	VMCASE(LE)
	VMCASE(GT)
	VMCASE(GE) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		int r;
		if (same_scale(a, b))
			r = (a.as.i > b.as.i) - (a.as.i < b.as.i); /* the coefficients decide */
		else
			r = compare(c, AT_PC(), a, b);
		OpCode op = INS_OP(w);
		TOP() = val_bool(op == OP_LT ? r < 0 : op == OP_LE ? r <= 0 : op == OP_GT ? r > 0 : r >= 0);
		VMBREAK;
	}
	/* GEK, LTK: compare the top with the constant K[A] (thresholds). */
	VMCASE(GEK)
	VMCASE(LTK) {
		a = TOP();
		if (a.tag == V_UNKNOWN)
			VMBREAK;
		b = K[INS_A(w)];
		int r;
		if (same_scale(a, b))
			r = (a.as.i > b.as.i) - (a.as.i < b.as.i);
		else
			r = compare(c, AT_PC(), a, b);
		TOP() = val_bool(INS_OP(w) == OP_GEK ? r >= 0 : r < 0);
		VMBREAK;
	}
	/* NOT: Kleene negation: not unknown is unknown. */
	VMCASE(NOT)
		if (TOP().tag == V_BOOL)
			TOP().as.i = !TOP().as.i;
		VMBREAK;
	/* AND, OR: Kleene logic: false and unknown = false; true or unknown = true. */
	VMCASE(AND)
		b = POP();
		TOP() = kleene_and(TOP(), b);
		VMBREAK;
	VMCASE(OR)
		b = POP();
		TOP() = kleene_or(TOP(), b);
		VMBREAK;
	/* JFALSE_KEEP, JTRUE_KEEP: short-circuit when the left side decides. */
	VMCASE(JFALSE_KEEP)
		if (TOP().tag == V_BOOL && !TOP().as.i)
			JUMPTO(INS_A(w));
		VMBREAK;
	VMCASE(JTRUE_KEEP)
		if (TOP().tag == V_BOOL && TOP().as.i)
			JUMPTO(INS_A(w));
		VMBREAK;
	/* JUMP: to A; a backward jump is where an interrupt is noticed. */
	VMCASE(JUMP)
		if (c->interrupt && __atomic_load_n(c->interrupt, __ATOMIC_RELAXED))
			goto interrupted;
		JUMPTO(INS_A(w));
		VMBREAK;
	/* IFTEST: pop a condition.  True: skip the next word and run the
	 * 'then' branch.  False: jump to the 'else' branch at A.  Unknown:
	 * the result of the whole if is unknown: push it and run the next word,
	 * a JUMP past the if. */
	VMCASE(IFTEST)
		a = POP();
		if (a.tag == V_BOOL) {
			if (a.as.i)
				pc++;
			else
				JUMPTO(INS_A(w));
		} else {
			PUSH(a);
		}
		VMBREAK;
	/* JKNOWN_KEEP: `a otherwise b`: keep a and jump past b unless a is unknown. */
	VMCASE(JKNOWN_KEEP)
		if (TOP().tag != V_UNKNOWN)
			JUMPTO(INS_A(w));
		VMBREAK;
	/* FALLBACK: after b of `a otherwise b` (a unknown, below it): b, and if b
	 * is unknown too, the facts of both could still decide it. */
	VMCASE(FALLBACK)
		b = POP();
		TOP() = b.tag == V_UNKNOWN ? val_unknown_union(TOP(), b) : b;
		VMBREAK;
	/* IN: membership of a in the list b. */
	VMCASE(IN) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		Value r = val_bool(false);
		if (a.tag == V_ENUM || a.tag == V_INT) {
			/* members and whole numbers: compare in place */
			for (uint32_t i = 0; i < b.as.l->len; i++) {
				Value x = b.as.l->items[i];
				if (x.tag == a.tag && x.as.i == a.as.i && x.aux == a.aux) {
					r = val_bool(true);
					break;
				}
			}
			if (r.as.i || a.tag == V_ENUM) {
				TOP() = r;
				VMBREAK;
			}
		}
		for (uint32_t i = 0; i < b.as.l->len; i++) {
			Value x = b.as.l->items[i];
			if (x.tag == V_UNKNOWN)
				r = r.tag == V_UNKNOWN ? val_unknown_union(r, x) : x;
			else if (val_equal(a, x)) {
				r = val_bool(true);
				break;
			}
		}
		TOP() = r;
		VMBREAK;
	}
	/* IN_HS: tariff code a in chapter / heading / subheading b (A says which). */
	VMCASE(IN_HS) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		bool r = false;
		if (b.tag == V_LIST) {
			for (uint32_t i = 0; i < b.as.l->len && !r; i++)
				r = hs_match(INS_A(w), a, b.as.l->items[i]);
		} else {
			r = hs_match(INS_A(w), a, b);
		}
		TOP() = val_bool(r);
		VMBREAK;
	}
	/* IS_KNOWN: whether the top is known; never unknown itself. */
	VMCASE(IS_KNOWN)
		TOP() = val_bool(TOP().tag != V_UNKNOWN);
		VMBREAK;
	/* MKLIST: the top A values become a list. */
	VMCASE(MKLIST) {
		int n = INS_A(w);
		SAVE_TOP();
		Value l = new_list(c, AT_PC(), (uint32_t)n);
		sp -= n;
		if (n)
			memcpy(l.as.l->items, sp, sizeof(Value) * (size_t)n);
		PUSH(l);
		VMBREAK;
	}
	/* MKREC A B: the top B values become the fields of a record of type A. */
	VMCASE(MKREC) {
		int t = INS_A(w), n = (int)*pc++;
		Rec *r = vm_alloc(c, AT_PC(), sizeof(Rec), false);
		r->n = (uint32_t)n;
		r->f = vm_alloc(c, AT_PC(), sizeof(Value) * (size_t)(n ? n : 1), false);
		sp -= n;
		memcpy(r->f, sp, sizeof(Value) * (size_t)n);
		Value v = {.tag = V_REC, .aux = t};
		v.as.r = r;
		PUSH(v);
		VMBREAK;
	}
	/* ITERPREP A B: start a loop over the list on top: L[A] = the list,
	 * L[A+1] = the cursor.  An unknown list makes the whole loop unknown:
	 * it is pushed as the result and the loop skipped (to B). */
	VMCASE(ITERPREP) {
		int s = INS_A(w), to = (int)*pc++;
		a = POP();
		if (a.tag == V_UNKNOWN) {
			PUSH(a);
			JUMPTO(to);
			VMBREAK;
		}
		L[s] = a;
		L[s + 1] = val_int(0);
		VMBREAK;
	}
	/* ITER A B: next item into L[A+2], or jump to B at the end. */
	VMCASE(ITER) {
		int s = INS_A(w), to = (int)*pc++;
		List *l = L[s].as.l;
		int64_t i = L[s + 1].as.i;
		if (i < (int64_t)l->len) {
			L[s + 2] = l->items[i];
			L[s + 1].as.i = i + 1;
		} else {
			JUMPTO(to);
		}
		if (c->interrupt && __atomic_load_n(c->interrupt, __ATOMIC_RELAXED))
			goto interrupted;
		VMBREAK;
	}
	/* ACCINIT A B: start accumulator L[A] of kind B; L[A+1] collects the
	 * unknowns met on the way. */
	VMCASE(ACCINIT) {
		int s = INS_A(w), kind = (int)*pc++;
		switch (kind) {
		case ACC_LIST:
			L[s] = new_acc_list(c, AT_PC());
			break;
		case ACC_COUNT:
			L[s] = val_int(0);
			break;
		case ACC_ALL:
			L[s] = val_bool(true);
			break;
		case ACC_ANY:
			L[s] = val_bool(false);
			break;
		default:
			L[s] = val_unknown(NULL);
			break;
		}
		L[s + 1] = val_bool(false);
		VMBREAK;
	}
	/* FILTER A B: pop a condition: true goes on; false jumps to B;
	 * unknown because of missing facts is noted in L[A+1] (the result will
	 * be unknown for them) and jumps to B.  An unknown that no fact caused
	 * (the rules' own data leave a value out) counts as not met, as SQL's
	 * WHERE does with NULL. */
	VMCASE(FILTER) {
		int s = INS_A(w), to = (int)*pc++;
		a = POP();
		if (a.tag == V_BOOL) {
			if (!a.as.i)
				JUMPTO(to);
		} else if (!a.as.m || a.as.m->len == 0) {
			JUMPTO(to);
		} else {
			L[s + 1] = L[s + 1].tag == V_UNKNOWN ? val_unknown_union(L[s + 1], a) : a;
			JUMPTO(to);
		}
		VMBREAK;
	}
	/* ACC A B: fold the top into accumulator L[A] of kind B. */
	VMCASE(ACC) {
		int s = INS_A(w), kind = (int)*pc++;
		a = POP();
		if (a.tag == V_UNKNOWN && kind != ACC_LIST) {
			L[s + 1] = L[s + 1].tag == V_UNKNOWN ? val_unknown_union(L[s + 1], a) : a;
			VMBREAK;
		}
		switch (kind) {
		case ACC_LIST:
			L[s] = list_grow(c, AT_PC(), L[s], a);
			break;
		case ACC_SUM: {
			int64_t r;
			if (same_scale(L[s], a) && is_numeric(a) && !__builtin_add_overflow(L[s].as.i, a.as.i, &r))
				L[s].as.i = r;
			else
				L[s] = arith(c, AT_PC(), OP_ADD, L[s], a);
			break;
		}
		case ACC_COUNT:
			L[s].as.i++;
			break;
		case ACC_MIN:
		case ACC_MAX:
			if (L[s].tag == V_UNKNOWN) {
				L[s] = a;
			} else {
				int r = compare(c, AT_PC(), a, L[s]);
				if (kind == ACC_MIN ? r < 0 : r > 0)
					L[s] = a;
			}
			break;
		case ACC_ALL:
			if (!a.as.i)
				L[s] = a;
			break;
		case ACC_ANY:
			if (a.as.i)
				L[s] = a;
			break;
		}
		VMBREAK;
	}
	/* ACCEND A B: push the result of accumulator L[A]: unknown if an
	 * unknown was met, except where all/any are decided anyway. */
	VMCASE(ACCEND) {
		int s = INS_A(w), kind = (int)*pc++;
		Value u = L[s + 1];
		if (kind == ACC_ALL && !L[s].as.i)
			PUSH(L[s]);
		else if (kind == ACC_ANY && L[s].as.i)
			PUSH(L[s]);
		else if (u.tag == V_UNKNOWN)
			PUSH(u);
		else if ((kind == ACC_MIN || kind == ACC_MAX) && L[s].tag == V_UNKNOWN)
			FAIL(ST_RUNTIME, "%s of no values", kind == ACC_MIN ? "min" : "max");
		else
			PUSH(L[s]);
		VMBREAK;
	}
	/* HIT A: the gathering table A reduces the list on top (the values of
	 * the rows that apply) by its policy and jumps past the default row's
	 * value; when no row applied and there is a default row, it goes on to
	 * its value.  An unknown list (a row's condition waits for facts) stays
	 * unknown.  Costs a step per row gathered. */
	VMCASE(HIT) {
		const CaseTab *t = ch->cases[INS_A(w)];
		a = POP();
		if (a.tag == V_UNKNOWN) {
			PUSH(a);
			JUMPTO(t->end);
		} else if (a.as.l->len == 0 && t->has_default) {
			VMBREAK;
		} else {
			budget -= a.as.l->len;
			if (budget < 0)
				goto steps_exceeded;
			a = hit_reduce(c, AT_PC(), t, a.as.l);
			PUSH(a);
			JUMPTO(t->end);
		}
		VMBREAK;
	}
	/* PICK A: the case table A of this chunk chooses among the conditions
	 * in L[0..n-1]: an exception beats a default, a case beats the ones it
	 * overrides; two winners are a conflict.  Jumps to the winner's body,
	 * or pushes unknown and jumps past the bodies. */
	VMCASE(PICK) {
		const CaseTab *t = ch->cases[INS_A(w)];
		Value u;
		int i = pick(c, AT_PC(), t, L + t->first_slot, &u);
		if (i >= 0) {
			JUMPTO(t->target[i]);
		} else if (i == -1) {
			PUSH(u);
			JUMPTO(t->end);
		} else {
			char day[DATE_TEXT_LEN + 1];
			date_format(c->as_of, day);
			if (ch->decl && ch->decl->kind == D_PARAM)
				FAIL(ST_RUNTIME, "the parameter '%s' has no value on %s", ch->decl->qname, day);
			if (ch->decl && ch->decl->is_table)
				no_row(c, AT_PC());
			FAIL(ST_RUNTIME, "no case of '%s' applies on %s, and it has no default", ch->name, day);
		}
		VMBREAK;
	}
	/* DATEIN A B: whether the as-of date is in [K[A], K[B]); an unknown
	 * bound is open. */
	VMCASE(DATEIN) {
		Value f = K[INS_A(w)], u = K[*pc++];
		bool in = (f.tag != V_DATE || c->as_of >= f.as.i) && (u.tag != V_DATE || c->as_of < u.as.i);
		PUSH(val_bool(in));
		VMBREAK;
	}
	/* ERROR: a runtime error with the message K[A]. */
	VMCASE(ERROR)
		FAIL(ST_RUNTIME, "%s", K[INS_A(w)].as.s->data);
	/* TRACE_*: explanation records; they leave the stack as it is. */
	VMCASE(TRACE_COND)
		trace_add(c, TR_COND, INS_A(w), NULL, TOP());
		VMBREAK;
	VMCASE(TRACE_FACT)
		trace_add(c, TR_FACT, 0, K[INS_A(w)].as.s, TOP());
		VMBREAK;
	VMCASE(TRACE_CASE)
		trace_add(c, TR_CASE, INS_A(w), NULL, val_bool(true));
		VMBREAK;

#ifndef VM_COMPUTED_GOTO
		default:
			FAIL(ST_RUNTIME, "bad instruction");
		}
	}
#endif

steps_exceeded:
	fail_at(c, ST_LIMIT, ch->locs[pc - code > 0 ? pc - code - 1 : 0],
		"this evaluation took more than %llu steps; it may loop without end, or the step limit is too low",
		c->max_steps);
interrupted:
	fail_at(c, ST_INTERRUPTED, ch->locs[pc - code > 0 ? pc - code - 1 : 0], "interrupted");
}

#undef FAIL
#define FAIL(status, ...) fail_at(c, status, fr->ch->locs[fr->pc - fr->ch->code - 1], __VA_ARGS__)

/* ------------------------------------------------------------- entries */

static int run(Ctx *c, const Chunk *ch, int decl, Value *out)
{
	jmp_buf jb;
	jmp_buf *saved = c->jb;
	c->jb = &jb;
	if (setjmp(jb)) {
		c->jb = saved;
		c->depth = 0;
		c->frame = c->top_frame;
		/* a decision left half-decided is forgotten */
		for (int i = 0; i < c->p->ndecls; i++)
			if (c->state[i] == 1)
				c->state[i] = 0;
		return c->status;
	}
	c->status = ST_OK;
	c->frame = c->top_frame;
	c->stack_top = 0;
	if (__builtin_expect(c->cap < 256, 0))
		ensure_stack(c, 256);
	Frame top = {ch, NULL};
	Value v = decl >= 0 ? decide(c, &top, decl) : exec(c, ch, 0);
	c->jb = saved;
	*out = v;
	return ST_OK;
}

int vm_eval_chunk(Ctx *c, const Chunk *ch, Value *out)
{
	return run(c, ch, -1, out);
}

int vm_eval_decl(Ctx *c, int decl, Value *out)
{
	return run(c, c->p->dchunk[decl], decl, out);
}
