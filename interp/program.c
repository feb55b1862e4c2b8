/*
 * program.c - the types of a rule set, and looking things up in a
 * compiled Program.
 */
#include "mem.h"
#include <string.h>

#include "program.h"

/* ---------------------------------------------------------------- types */

const Type ty_error = {TY_ERROR, 0, NULL, NULL};
const Type ty_bool = {TY_BOOL, 0, NULL, NULL};
const Type ty_int = {TY_INT, 0, NULL, NULL};
const Type ty_dec = {TY_DEC, 0, NULL, NULL};
const Type ty_money = {TY_MONEY, 0, NULL, NULL};
const Type ty_pct = {TY_PCT, 0, NULL, NULL};
const Type ty_date = {TY_DATE, 0, NULL, NULL};
const Type ty_dur = {TY_DUR, 0, NULL, NULL};
const Type ty_str = {TY_STR, 0, NULL, NULL};
const Type ty_hs = {TY_HS, 0, NULL, NULL};
const Type ty_empty = {TY_EMPTY, 0, NULL, NULL};

const Type *ty_list(const Type *elem)
{
	Type *t = GC_MALLOC(sizeof *t);
	t->kind = TY_LIST;
	t->elem = elem;
	return t;
}

const Type *ty_series(const Type *elem)
{
	Type *t = GC_MALLOC(sizeof *t);
	t->kind = TY_SERIES;
	t->elem = elem;
	return t;
}

const Type *ty_money_in(uint16_t cur)
{
	if (!cur)
		return &ty_money;
	Type *t = GC_MALLOC(sizeof *t);
	t->kind = TY_MONEY;
	t->cur = cur;
	return t;
}

const Type *ty_named(TypeDef *def)
{
	Type *t = GC_MALLOC(sizeof *t);
	t->kind = def->is_enum ? TY_ENUM : TY_REC;
	t->def = def;
	return t;
}

bool ty_equal(const Type *a, const Type *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TY_MONEY:
		return a->cur == b->cur;
	case TY_LIST:
	case TY_SERIES:
		return ty_equal(a->elem, b->elem);
	case TY_ENUM:
	case TY_REC:
		return a->def == b->def;
	default:
		return true;
	}
}

const char *ty_name(const Type *t)
{
	char c[4];
	switch (t->kind) {
	case TY_ERROR: return "(error)";
	case TY_BOOL: return "true/false";
	case TY_INT: return "whole number";
	case TY_DEC: return "decimal number";
	case TY_MONEY:
		if (!t->cur)
			return "money";
		val_currency_text(t->cur, c);
		return xprintf("money in %s", c);
	case TY_PCT: return "percentage";
	case TY_DATE: return "date";
	case TY_DUR: return "duration";
	case TY_STR: return "text";
	case TY_HS: return "tariff code";
	case TY_ENUM: return xprintf("%s", t->def->name);
	case TY_REC: return xprintf("%s record", t->def->name);
	case TY_LIST: return xprintf("list of %s", ty_name(t->elem));
	case TY_EMPTY: return "empty list";
	case TY_SERIES: return xprintf("%s over time", ty_name(t->elem));
	case TY_SCALE: return t->amount ? "scale of amounts" : "scale of rates";
	}
	return "?";
}


/* The zero of a sum, typed after the elements. */
Value ty_zero(const Type *t)
{
	Dec z = {0, 0};
	switch (t->kind) {
	case TY_DEC: return val_dec(V_DEC, z, 0);
	case TY_PCT: return val_dec(V_PCT, z, 0);
	case TY_MONEY: return val_dec(V_MONEY, z, t->cur);
	case TY_DUR: return val_dur(0, DU_DAYS);
	default: return val_int(0);
	}
}

Decl *prog_find_decl(const Program *p, const char *name)
{
	Decl *bare = NULL;
	int nbare = 0;
	for (int i = 0; i < p->ndecls + p->nfuncs; i++) {
		Decl *d = i < p->ndecls ? p->decls[i] : p->funcs[i - p->ndecls];
		if (strcmp(d->qname, name) == 0)
			return d;
		if (strcmp(d->name, name) == 0) {
			bare = d;
			nbare++;
		}
	}
	return nbare == 1 ? bare : NULL;
}

Decl *prog_find_fact(const Program *p, const char *name)
{
	for (int i = 0; i < p->nfacts; i++)
		if (strcmp(p->facts[i]->name, name) == 0)
			return p->facts[i];
	return NULL;
}

Own *prog_own(const Program *p, const Source *src)
{
	Own *o = GC_MALLOC(sizeof *o);
	o->diags = diag_new();
	o->diags->parent = p->diags;
	if (src)
		diag_add_source(o->diags, src);
	return o;
}

const Node *prog_node(const Program *p, const Own *o, int id)
{
	if (id >= 0 && id < p->nnodes)
		return p->nodes[id];
	if (o && id >= p->nnodes && id - p->nnodes < o->nnodes)
		return o->nodes[id - p->nnodes];
	return NULL;
}

static const char *span_text(const Diags *d, const Node *n);

const char *prog_node_text(const Program *p, const Node *n)
{
	return prog_own_text(p, NULL, n);
}

/* A cell test of a table reads as its column and the test: "applicant.age: < 18". */
const char *prog_own_text(const Program *p, const Own *o, const Node *n)
{
	const Diags *d = o ? o->diags : p ? p->diags : NULL;
	if (n->column)
		return xprintf("%s: %s", span_text(d, n->column), span_text(d, n));
	return span_text(d, n);
}

static const char *span_text(const Diags *d, const Node *n)
{
	const Source *src = d ? diag_find_source(d, n->loc.file) : NULL;
	if (!src || n->loc.line <= 0)
		return n->text ? n->text : "?";
	const char *end = src->text + src->len;
	long off = source_line_offset(src, n->loc.line);
	if (off < 0)
		return n->text ? n->text : "?";
	int line = n->loc.line;
	const char *start = src->text + off + (n->loc.col - 1);
	const char *stop = start;
	int l = line, c = n->loc.col;
	while (stop < end && (l < n->loc.eline || (l == n->loc.eline && c <= n->loc.ecol))) {
		int eol = source_eol(stop, end);
		if (eol)
			l++, c = 1, stop += eol;
		else
			c++, stop++;
	}
	if (start > end || stop <= start)
		return n->text ? n->text : "?";
	/* fold line breaks and runs of blanks so a condition reads on one line */
	char *out = GC_MALLOC_ATOMIC((size_t)(stop - start) + 1);
	size_t k = 0;
	bool space = false;
	for (const char *s = start; s < stop; s++) {
		bool blank = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (blank) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = *s;
	}
	out[k] = 0;
	return out;
}

const char *prog_case_label(const Decl *d, int i)
{
	const Case *k = &d->cases[i];
	if (d->is_table)
		return xprintf("row %d (line %d)", i + 1, k->loc.line);
	if (k->label)
		return xprintf("exception '%s' (line %d)", k->label, k->loc.line);
	if (k->is_default)
		return xprintf("the %s on line %d", d->kind == D_PARAM ? "value" : "default", k->loc.line);
	return xprintf("the exception on line %d", k->loc.line);
}
