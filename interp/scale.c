/*
 * scale.c - bracket schedules (`scale` parameters) and the builtins that
 * read them.
 *
 * A scale parameter is compiled to one constant, its description: for each
 * bracket, the dated values of its threshold and of its rate (or amount).
 * When the parameter is decided, SCALE (vm.c) turns the description into
 * the brackets in force on the as-of date, [[threshold, rate], ...], lowest
 * first; the builtins marginal_tax, marginal_rate, average_rate and
 * bracket_amount compute on that list with exact arithmetic (arith.c), and
 * in explain mode note each bracket they used with the amount in it.
 */
#include "mem.h"
#include <string.h>

#include "arith.h"
#include "cite.h"
#include "ctx.h"
#include "diag.h"
#include "format.h"
#include "scale.h"

/* ------------------------------------------------- the description */

/* A description: for each bracket, [thresholds, rates or amounts, whether
 * amounts], each of the first two a list of dated values. */

/* A value's citations as the explanation prints them, or unknown. */
static Value cites_of(const Case *k)
{
	if (!k->ncites)
		return val_unknown(NULL);
	Buf b = {0};
	for (int i = 0; i < k->ncites; i++)
		buf_printf(&b, "%s%s %s", i ? ", " : "",
		           k->cites[i].assumption ? "assumption:" : "source:", cite_text(&k->cites[i]));
	return val_str(b.s, b.n);
}

/* [[from, until, value, citations], ...]: a date or unknown (open) for
 * each bound. */
static Value dated_list(const Case *k, int n)
{
	List *l = val_list_new((uint32_t)n);
	for (int i = 0; i < n; i++) {
		List *e = val_list_new(4);
		date_t d;
		e->items[0] =
		    k[i].from && date_parse(k[i].from, strlen(k[i].from), &d) == 0 ? val_date(d) : val_unknown(NULL);
		e->items[1] =
		    k[i].until && date_parse(k[i].until, strlen(k[i].until), &d) == 0 ? val_date(d) : val_unknown(NULL);
		e->items[2] = k[i].value->is_const ? k[i].value->k : val_unknown(NULL);
		e->items[3] = cites_of(&k[i]);
		l->items[i] = val_list(e);
	}
	return val_list(l);
}

Value scale_describe(const Decl *d)
{
	List *l = val_list_new((uint32_t)d->nbrackets);
	for (int i = 0; i < d->nbrackets; i++) {
		const Bracket *b = &d->brackets[i];
		List *pair = val_list_new(3);
		pair->items[0] = dated_list(b->thresholds, b->nthresholds);
		pair->items[1] = dated_list(b->values, b->nvalues);
		pair->items[2] = val_bool(b->nvalues && strcmp(b->values[0].label, "amount") == 0);
		l->items[i] = val_list(pair);
	}
	return val_list(l);
}

/* ------------------------------------------------- on the as-of date */

int scale_pick(const List *dated, date_t day)
{
	int found = -1;
	date_t best = 0;
	for (uint32_t i = 0; i < dated->len; i++) {
		const Value *e = dated->items[i].as.l->items;
		bool dated_from = e[0].tag == V_DATE;
		if ((dated_from && day < e[0].as.i) || (e[1].tag == V_DATE && day >= e[1].as.i))
			continue;
		date_t f = dated_from ? e[0].as.i : INT32_MIN;
		if (found < 0 || f >= best) {
			best = f;
			found = (int)i;
		}
	}
	return found;
}

/* The value in force on the as-of date; in explain mode, a dated or cited
 * one is noted: "bracket 2, threshold from 2023-01-01: 14000000 KRW". */
static bool in_force(Ctx *c, const List *dated, uint32_t bracket, const char *part, Value *out)
{
	int i = scale_pick(dated, c->as_of);
	if (i < 0)
		return false;
	const Value *e = dated->items[i].as.l->items;
	*out = e[2];
	if (c->trace && (e[0].tag == V_DATE || e[3].tag == V_STR)) {
		char from[24] = "";
		if (e[0].tag == V_DATE) {
			strcpy(from, " from ");
			date_format(e[0].as.i, from + 6);
		}
		ctx_trace_note(c, xprintf("bracket %u, %s%s: %s%s%s", bracket + 1, part, from, fmt_value_str(c->p, e[2]),
		                         e[3].tag == V_STR ? ", " : "", e[3].tag == V_STR ? e[3].as.s->data : ""));
	}
	return true;
}

int scale_in_force(Ctx *c, Value desc, Value *out)
{
	const List *bs = desc.as.l;
	List *l = val_list_new(bs->len);
	uint32_t n = 0;
	for (uint32_t i = 0; i < bs->len; i++) {
		const Value *parts = bs->items[i].as.l->items;
		Value t, r;
		if (!in_force(c, parts[0].as.l, i, "threshold", &t))
			continue; /* not yet (or no longer) a bracket */
		if (!in_force(c, parts[1].as.l, i, parts[2].as.i ? "amount" : "rate", &r)) {
			char day[16];
			date_format(c->as_of, day);
			return ctx_fail(c, ST_RUNTIME,
			                "bracket %u of the scale has a threshold but no rate or amount in force on %s",
			                i + 1, day);
		}
		List *pair = val_list_new(2);
		pair->items[0] = t;
		pair->items[1] = r;
		l->items[n++] = val_list(pair);
	}
	if (!n) {
		char day[16];
		date_format(c->as_of, day);
		return ctx_fail(c, ST_RUNTIME, "the scale has no bracket in force on %s", day);
	}
	l->len = n;
	*out = val_list(l);
	return ST_OK;
}

/* ------------------------------------------------- the builtins */

static Value threshold(const List *s, uint32_t i)
{
	return s->items[i].as.l->items[0];
}
static Value rate(const List *s, uint32_t i)
{
	return s->items[i].as.l->items[1];
}

static int arith(Ctx *c, ArOp op, Value a, Value b, Value *out)
{
	ArStatus st = ar_arith(op, a, b, out);
	return st == AR_OK ? ST_OK : ctx_fail(c, ST_RUNTIME, "%s", ar_message(st, a, b));
}

/* How many brackets start at or below the base: the base falls in the
 * last of them (none: below the first threshold). */
static int brackets_reached(Ctx *c, const List *s, Value base, uint32_t *n)
{
	*n = 0;
	for (uint32_t i = 0; i < s->len; i++) {
		int cmp;
		ArStatus st = ar_compare(base, threshold(s, i), &cmp);
		if (st != AR_OK)
			return ctx_fail(c, ST_RUNTIME, "%s", ar_message(st, base, threshold(s, i)));
		if (cmp < 0)
			break;
		*n = i + 1;
	}
	return ST_OK;
}

/* Explain mode: "bracket 2, from 14,000,000 KRW, at 15%: 1,200,000 KRW". */
static void note(Ctx *c, const List *s, uint32_t i, Value part, Value amount)
{
	if (!c->trace)
		return;
	const char *from = fmt_value_str(c->p, threshold(s, i));
	const char *r = fmt_value_str(c->p, rate(s, i));
	const char *v = fmt_value_str(c->p, amount);
	const char *text = part.tag == V_UNKNOWN ? xprintf("bracket %u, from %s: %s", i + 1, from, v)
	                                         : xprintf("bracket %u, from %s, %s of %s: %s", i + 1, from, r,
	                                                   fmt_value_str(c->p, part), v);
	ctx_trace_note(c, text);
}

/* The tax on a base: each bracket's rate on the part of the base between
 * its threshold and the next one. */
static int tax_on(Ctx *c, const List *s, Value base, Value *out)
{
	uint32_t n;
	int st = brackets_reached(c, s, base, &n);
	if (st == ST_OK)
		st = arith(c, AR_SUB, base, base, out); /* zero, in the base's kind */
	for (uint32_t i = 0; i < n && st == ST_OK; i++) {
		Value top = i + 1 < n ? threshold(s, i + 1) : base, part, amount;
		st = arith(c, AR_SUB, top, threshold(s, i), &part);
		if (st == ST_OK)
			st = arith(c, AR_MUL, part, rate(s, i), &amount);
		if (st == ST_OK)
			st = arith(c, AR_ADD, *out, amount, out);
		if (st == ST_OK)
			note(c, s, i, part, amount);
	}
	return st;
}

int scale_ask(Ctx *c, ScaleAsk ask, const List *s, Value base, Value *out)
{
	uint32_t n;
	int st;
	if (ask == SCALE_TAX)
		return tax_on(c, s, base, out);
	if (ask == SCALE_AVERAGE) {
		Value tax, zero;
		if ((st = tax_on(c, s, base, &tax)) != ST_OK || (st = arith(c, AR_SUB, base, base, &zero)) != ST_OK)
			return st;
		bool is_zero = true;
		ar_equal(base, zero, &is_zero);
		Dec z = {0, 0};
		Value q = val_dec(V_DEC, z, 0);
		if (!is_zero && (st = arith(c, AR_DIV, tax, base, &q)) != ST_OK)
			return st;
		*out = val_dec(V_PCT, val_get_dec(q), 0);
		return ST_OK;
	}
	if ((st = brackets_reached(c, s, base, &n)) != ST_OK)
		return st;
	if (ask == SCALE_RATE) {
		Dec z = {0, 0};
		*out = n ? rate(s, n - 1) : val_dec(V_PCT, z, 0);
	} else { /* bracket_amount: the amount of the bracket the base falls in */
		if (n)
			*out = rate(s, n - 1);
		else if ((st = arith(c, AR_SUB, rate(s, 0), rate(s, 0), out)) != ST_OK)
			return st;
	}
	if (n)
		note(c, s, n - 1, val_unknown(NULL), *out);
	return ST_OK;
}
