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

Str *val_str_new(const char *s, size_t n)
{
	Str *p = GC_MALLOC_ATOMIC(sizeof(Str) + n + 1);
	p->len = (uint32_t)n;
	memcpy(p->data, s, n);
	p->data[n] = 0;
	return p;
}

Value val_str(const char *s, size_t n)
{
	Value v = {.tag = V_STR};
	v.as.s = val_str_new(s, n);
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
	Rec *r = GC_MALLOC(sizeof *r);
	r->n = nfields;
	r->f = nfields ? GC_MALLOC(sizeof(Value) * nfields) : NULL;
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
	int64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
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
		return a.aux == b.aux && a.as.i == b.as.i;
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
