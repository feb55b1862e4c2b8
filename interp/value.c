/*
 * value.c - constructing and comparing runtime values.
 *
 * The VM's hot path works on the inline forms in value.h; this file holds
 * the slower helpers: wide decimals, strings, lists, currencies, tariff codes
 * and the fact sets carried by unknown values.
 */
#include "mem.h"
#include <string.h>

#include "value.h"

Value val_dec(ValueTag tag, Dec d, uint16_t cur)
{
	Value v = {.tag = (uint8_t)tag, .cur = cur};
	if (d.coef >= INT64_MIN && d.coef <= INT64_MAX) {
		v.as.i = (int64_t)d.coef;
		v.aux = d.exp;
	} else {
		Dec *p = GC_MALLOC_ATOMIC(sizeof *p);
		*p = d;
		v.big = 1;
		v.as.d = p;
	}
	return v;
}

Dec val_get_dec(Value v)
{
	if (v.big)
		return *v.as.d;
	if (v.tag == V_INT)
		return dec_from_int(v.as.i);
	Dec d = {v.as.i, v.aux};
	return d;
}

uint16_t val_currency(const char *c)
{
	if (!c || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' || c[2] > 'Z')
		return 0;
	return (uint16_t)(1 + (c[0] - 'A') * 676 + (c[1] - 'A') * 26 + (c[2] - 'A'));
}

void val_currency_text(uint16_t cur, char out[4])
{
	if (cur == 0) {
		memcpy(out, "???", 4);
		return;
	}
	int n = cur - 1;
	out[0] = (char)('A' + n / 676);
	out[1] = (char)('A' + n / 26 % 26);
	out[2] = (char)('A' + n % 26);
	out[3] = 0;
}

Str *val_str_fill(void *mem, const char *s, size_t n)
{
	Str *p = mem;
	p->len = (uint32_t)n;
	memcpy(p->data, s, n);
	p->data[n] = 0;
	return p;
}

Str *val_str_new(const char *s, size_t n)
{
	return val_str_fill(GC_MALLOC_ATOMIC(sizeof(Str) + n + 1), s, n);
}

Value val_str(const char *s, size_t n)
{
	Value v = {.tag = V_STR};
	v.as.s = val_str_new(s, n);
	return v;
}

Value val_enum_data(int type, int64_t member, Value data)
{
	EnumData *e = GC_MALLOC(sizeof *e);
	e->member = member;
	e->data = data;
	Value v = {.tag = V_ENUM, .big = 1, .aux = type};
	v.as.e = e;
	return v;
}

List *val_list_new(uint32_t len)
{
	List *l = GC_MALLOC(sizeof *l);
	l->len = len;
	l->items = len ? GC_MALLOC(sizeof(Value) * len) : NULL;
	return l;
}

Value val_list(List *l)
{
	Value v = {.tag = V_LIST};
	v.as.l = l;
	return v;
}

Value val_rec(int type, uint32_t nfields)
{
	Rec *r = GC_MALLOC(sizeof *r + sizeof(Value) * nfields); /* its fields in the same block */
	r->n = nfields;
	r->f = nfields ? (Value *)(r + 1) : NULL;
	Value v = {.tag = V_REC, .aux = type};
	v.as.r = r;
	return v;
}

/* "6205", "6205.20", "6205.20.10", "620520": digits, with dots only after
 * the heading and between pairs of digits.  2 to 12 digits. */
int val_hs_parse(const char *s, size_t n, Value *out)
{
	int64_t digits = 0;
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (count >= 12)
				return -1;
			digits = digits * 10 + (c - '0');
			count++;
		} else if (c == '.' || c == ' ') {
			/* one separator between pairs of digits: "6205.20", never "6205..20" */
			if (count < 4 || count % 2 || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
				return -1;
		} else {
			return -1;
		}
	}
	if (count < 2 || count % 2)
		return -1;
	Value v = {.tag = V_HS, .aux = count};
	v.as.i = digits;
	*out = v;
	return 0;
}

static int64_t pow10i(int n)
{
	return n > 0 ? (int64_t)dec_pow10(n) : 1;
}

int val_hs_chapter(Value v) { return (int)(v.as.i / pow10i(v.aux - 2)); }
int val_hs_heading(Value v) { return v.aux < 4 ? -1 : (int)(v.as.i / pow10i(v.aux - 4)); }

Missing *val_missing1(const char *path, size_t n)
{
	Missing *m = GC_MALLOC(sizeof(Missing) + sizeof(Str *));
	m->len = 1;
	m->paths[0] = val_str_new(path, n);
	return m;
}

Missing *val_missing_union(Missing *a, Missing *b)
{
	if (!a || a == b)
		return b ? b : a;
	if (!b)
		return a;
	Missing *m = GC_MALLOC(sizeof(Missing) + sizeof(Str *) * (a->len + b->len));
	uint32_t i = 0, j = 0, k = 0;
	while (i < a->len || j < b->len) {
		int c = i >= a->len ? 1 : j >= b->len ? -1 : strcmp(a->paths[i]->data, b->paths[j]->data);
		if (c <= 0) {
			m->paths[k++] = a->paths[i++];
			if (c == 0)
				j++;
		} else {
			m->paths[k++] = b->paths[j++];
		}
	}
	m->len = k;
	return m;
}

Value val_unknown_union(Value a, Value b)
{
	Missing *ma = a.tag == V_UNKNOWN ? a.as.m : NULL;
	Missing *mb = b.tag == V_UNKNOWN ? b.as.m : NULL;
	return val_unknown(val_missing_union(ma, mb));
}

const char *val_kind_name(Value v)
{
	switch ((ValueTag)v.tag) {
	case V_UNKNOWN: return "unknown";
	case V_BOOL: return "true or false";
	case V_INT: return "a whole number";
	case V_DEC: return "a decimal number";
	case V_MONEY: return "an amount of money";
	case V_PCT: return "a percentage";
	case V_DATE: return "a date";
	case V_DUR: return "a duration";
	case V_STR: return "text";
	case V_ENUM: return "a member of an enumeration";
	case V_HS: return "a tariff code";
	case V_LIST: return "a list";
	case V_REC: return "a record";
	}
	return "a value";
}

bool val_equal(Value a, Value b)
{
	if (val_is_declike(a) || val_is_declike(b) || a.tag == V_INT || b.tag == V_INT) {
		bool an = val_is_declike(a) || a.tag == V_INT, bn = val_is_declike(b) || b.tag == V_INT;
		if (!an || !bn)
			return false;
		if ((a.tag == V_MONEY) != (b.tag == V_MONEY))
			return false;
		if (a.tag == V_MONEY && a.cur != b.cur && a.cur && b.cur)
			return false;
		if (a.tag == V_INT && b.tag == V_INT)
			return a.as.i == b.as.i;
		return dec_cmp(val_get_dec(a), val_get_dec(b)) == 0;
	}
	if (a.tag != b.tag)
		return false;
	switch ((ValueTag)a.tag) {
	case V_BOOL:
	case V_DATE:
		return a.as.i == b.as.i;
	case V_DUR: {
		/* by length: 2 weeks = 14 days, 1 year = 12 months; days and months never meet */
		bool ad = a.cur == DU_DAYS || a.cur == DU_WEEKS, bd = b.cur == DU_DAYS || b.cur == DU_WEEKS;
		if (ad != bd)
			return false;
		int64_t x = a.cur == DU_WEEKS ? a.as.i * 7 : a.cur == DU_YEARS ? a.as.i * 12 : a.as.i;
		int64_t y = b.cur == DU_WEEKS ? b.as.i * 7 : b.cur == DU_YEARS ? b.as.i * 12 : b.as.i;
		return x == y;
	}
	case V_ENUM:
		if (a.aux != b.aux || val_member(a) != val_member(b) || a.big != b.big)
			return false;
		return !a.big || val_equal(a.as.e->data, b.as.e->data);
	case V_HS:
		return a.aux == b.aux && a.as.i == b.as.i;
	case V_STR:
		return a.as.s->len == b.as.s->len && memcmp(a.as.s->data, b.as.s->data, a.as.s->len) == 0;
	case V_LIST:
		if (a.as.l->len != b.as.l->len)
			return false;
		for (uint32_t i = 0; i < a.as.l->len; i++)
			if (!val_equal(a.as.l->items[i], b.as.l->items[i]))
				return false;
		return true;
	case V_REC:
		if (a.aux != b.aux || a.as.r->n != b.as.r->n)
			return false;
		for (uint32_t i = 0; i < a.as.r->n; i++)
			if (!val_equal(a.as.r->f[i], b.as.r->f[i]))
				return false;
		return true;
	default:
		return false;
	}
}

/* ----------------------------------------------------------------- hashing */

static uint64_t weigh(Value v, uint64_t limit, unsigned shift);

/* The weight of n values, and a step each, counted up to limit; their
 * texts' bytes shifted right by shift. */
static uint64_t weigh_all(const Value *v, uint32_t n, uint64_t limit, unsigned shift)
{
	uint64_t w = n;
	for (uint32_t i = 0; i < n && w <= limit; i++)
		w += weigh(v[i], limit - w, shift);
	return w;
}

static uint64_t weigh(Value v, uint64_t limit, unsigned shift)
{
	switch ((ValueTag)v.tag) {
	case V_STR: return v.as.s->len >> shift;
	case V_LIST: return weigh_all(v.as.l->items, v.as.l->len, limit, shift);
	case V_REC: return weigh_all(v.as.r->f, v.as.r->n, limit, shift);
	case V_ENUM: return v.big ? weigh_all(&v.as.e->data, 1, limit, shift) : 0;
	default: return 0;
	}
}

uint64_t val_weight(Value v, uint64_t limit)
{
	return weigh(v, limit, 0);
}

uint64_t val_compare_weight(Value v, uint64_t limit)
{
	return weigh(v, limit, VAL_BYTES_A_STEP_SHIFT);
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* A number without trailing zeros (1.50 and 1.5 and 15E-1 alike), so that
 * numbers val_equal calls equal hash alike. */
static uint64_t hash_number(Value v)
{
	int64_t e;
	if (!v.big) {
		int64_t c = v.as.i;
		e = v.tag == V_INT ? 0 : v.aux;
		if (c == 0)
			e = 0;
		while (c != 0 && c % 10 == 0)
			c /= 10, e++;
		return mix(mix((uint64_t)c, (uint64_t)(c < 0 ? -1 : 0)), (uint64_t)e);
	}
	Dec d = *v.as.d;
	dec_coef c = d.coef;
	e = d.exp;
	while (c != 0 && c % 10 == 0)
		c /= 10, e++;
	unsigned __int128 u = (unsigned __int128)c;
	return mix(mix((uint64_t)u, (uint64_t)(u >> 64)), (uint64_t)e);
}

uint64_t val_hash(Value v)
{
	uint64_t h = 0;
	switch ((ValueTag)v.tag) {
	case V_INT:
	case V_DEC:
	case V_PCT:
		return mix(1, hash_number(v));
	case V_MONEY:
		return mix(2, hash_number(v));
	case V_DUR: {
		bool days = v.cur == DU_DAYS || v.cur == DU_WEEKS;
		int64_t n = v.cur == DU_WEEKS ? v.as.i * 7 : v.cur == DU_YEARS ? v.as.i * 12 : v.as.i;
		return mix(days ? 3 : 4, (uint64_t)n);
	}
	case V_STR:
		h = 14695981039346656037ull;
		for (uint32_t i = 0; i < v.as.s->len; i++)
			h = (h ^ (unsigned char)v.as.s->data[i]) * 1099511628211ull;
		return mix(5, h);
	case V_LIST:
		h = mix(6, v.as.l->len);
		for (uint32_t i = 0; i < v.as.l->len; i++)
			h = mix(h, val_hash(v.as.l->items[i]));
		return h;
	case V_REC:
		h = mix(7, (uint64_t)v.aux);
		for (uint32_t i = 0; i < v.as.r->n; i++)
			h = mix(h, val_hash(v.as.r->f[i]));
		return h;
	case V_ENUM:
		h = mix(mix(8 + v.tag, (uint64_t)v.aux), (uint64_t)val_member(v));
		return v.big ? mix(h, val_hash(v.as.e->data)) : h;
	case V_UNKNOWN:
		return 0;
	default: /* truth, dates, members, tariff codes: tag, kind and payload */
		return mix(mix(8 + v.tag, (uint64_t)v.aux), (uint64_t)v.as.i);
	}
}
