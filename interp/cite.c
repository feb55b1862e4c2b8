/*
 * cite.c - declared documents and the citations of them (see cite.h).
 *
 * Runs after the checker, when every constant value is known: a quote can
 * then be compared with the value that cites it.  Documents are global to
 * the rule set, like types; they are looked up by binary search in a
 * sorted copy of the list, so checking costs n log n in the citations.
 *
 * Stale quotes: the figures of a quote (an amount with its currency or
 * "million", a percentage, a duration in days, weeks, months or years,
 * written in digits or as a word up to twelve) are compared with the cited
 * value when it is a constant of the same kind; if the quote holds figures
 * of that kind and none equals the value, the quote no longer says what the
 * rule does, and the check warns with both.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "cite.h"
#include "format.h"

/* ================================================================ walking */

static void visit_fields(TypeDef *td, Decl *owner, CiteVisit fn, void *arg)
{
	for (int j = 0; j < td->nfields; j++)
		for (int k = 0; k < td->fields[j].ncites; k++)
			fn(&td->fields[j].cites[k], owner, NULL, arg);
}

static void visit_cases(Case *k, int n, Decl *owner, CiteVisit fn, void *arg)
{
	for (int i = 0; i < n; i++)
		for (int c = 0; c < k[i].ncites; c++)
			fn(&k[i].cites[c], owner, &k[i], arg);
}

void cite_each(const Program *p, CiteVisit fn, void *arg)
{
	for (int i = 0; i < p->nmods; i++) {
		Module *m = p->mods[i];
		for (int j = 0; j < m->ndecls; j++) {
			Decl *d = m->decls[j];
			for (int k = 0; k < d->ncites; k++)
				fn(&d->cites[k], d, NULL, arg);
			visit_cases(d->cases, d->ncases, d, fn, arg);
			for (int b = 0; b < d->nbrackets; b++) {
				visit_cases(d->brackets[b].thresholds, d->brackets[b].nthresholds, d, fn, arg);
				visit_cases(d->brackets[b].values, d->brackets[b].nvalues, d, fn, arg);
			}
			if (d->def && !d->def->is_enum)
				visit_fields(d->def, d, fn, arg);
		}
	}
}

/* ================================================================ documents */

static const char *const kinds[] = {
#define X(k) #k,
	CITE_KINDS(X)
#undef X
};
static const char *const fields[] = {"title", "issuer", "date", "version", "reference"};
enum { NKINDS = sizeof kinds / sizeof kinds[0], NFIELDS = sizeof fields / sizeof fields[0] };

static const Node *doc_entry(const Decl *doc, const char *field)
{
	if (!doc->entries)
		return NULL;
	for (int i = 0; i < doc->entries->nkids; i++) {
		const Node *e = doc->entries->kids[i];
		if (e->text && strcmp(e->text, field) == 0)
			return e->nkids ? e->kids[0] : NULL;
	}
	return NULL;
}

const char *cite_doc_field(const Decl *doc, const char *field)
{
	const Node *v = doc_entry(doc, field);
	return v && (v->kind == N_STRING || v->kind == N_DATE) ? v->text : NULL;
}

static void check_document(Diags *d, const Decl *doc)
{
	bool kind_ok = false;
	for (int i = 0; i < NKINDS; i++)
		kind_ok |= strcmp(doc->doc_kind, kinds[i]) == 0;
	if (!kind_ok) {
		Diag *dg = diag_add(d, SEV_ERROR, doc->doc_kind_loc, "'%s' is not a kind of document", doc->doc_kind);
		const char *best = diag_closest(doc->doc_kind, kinds, NKINDS);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
		else
			diag_hint(dg, "write one of: law, regulation, agreement, guidance, commentary");
	}
	for (int i = 0; i < doc->entries->nkids; i++) {
		const Node *e = doc->entries->kids[i];
		int f = -1;
		for (int k = 0; k < NFIELDS; k++)
			if (strcmp(e->text, fields[k]) == 0)
				f = k;
		for (int k = 0; k < i; k++)
			if (strcmp(doc->entries->kids[k]->text, e->text) == 0)
				diag_add(d, SEV_ERROR, e->loc, "the document '%s' gives its %s twice", doc->name, e->text);
		if (f < 0) {
			Diag *dg = diag_add(d, SEV_ERROR, e->loc, "a document has no field '%s'", e->text);
			const char *best = diag_closest(e->text, fields, NFIELDS);
			if (best)
				diag_hint(dg, "did you mean '%s'?", best);
			else
				diag_hint(dg, "a document has a title, and may have an issuer, a date, a version and a reference");
			continue;
		}
		const Node *v = e->kids[0];
		bool is_date = strcmp(e->text, "date") == 0;
		if (v->kind != (is_date ? N_DATE : N_STRING))
			diag_add(d, SEV_ERROR, v->loc, is_date ? "the date of a document is written like 2015-07-28"
							       : "the %s of a document is a text in quotes",
				 e->text);
	}
	if (!doc_entry(doc, "title"))
		diag_add(d, SEV_ERROR, doc->loc, "the document '%s' has no title; add title: \"...\"", doc->name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(Decl *const *)a)->name, (*(Decl *const *)b)->name);
}

/* ================================================================ figures */

typedef enum { FIG_MONEY, FIG_PCT, FIG_DAYS, FIG_MONTHS } FigKind;

typedef struct Fig {
	FigKind kind;
	Dec amount; /* money, percent (as written: 10 for 10%), days or months */
	uint16_t cur;
	const char *text;
} Fig;

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* The word at s, if it is `w` (case-insensitive) or `w` + "s", not followed by a letter. */
static size_t word_is(const char *s, const char *w)
{
	size_t n = strlen(w);
	if (strncasecmp(s, w, n) != 0)
		return 0;
	if (s[n] == 's')
		n++;
	return is_alpha(s[n]) ? 0 : n;
}

static bool currency_at(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z' && !is_alpha(s[3]);
}

static Dec times(Dec a, int64_t k)
{
	Dec r;
	return dec_mul(a, dec_from_int(k), &r) == DEC_OK ? r : a;
}

/* The duration unit at s: days (1) or months (12 for years); *len its length. */
static int dur_unit_at(const char *s, size_t *len, FigKind *kind, int64_t *scale)
{
	static const struct { const char *w; FigKind k; int64_t scale; } units[] = {
		{"day", FIG_DAYS, 1}, {"week", FIG_DAYS, 7}, {"month", FIG_MONTHS, 1}, {"year", FIG_MONTHS, 12}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if ((*len = word_is(s, units[i].w)) != 0) {
			*kind = units[i].k;
			*scale = units[i].scale;
			return 1;
		}
	return 0;
}

/* The figure whose number is `num` (digits only) and whose unit follows at s. */
static bool unit_after(const char *q, size_t start, const char *num, const char *s, Fig *f)
{
	Dec a;
	if (dec_parse(num, strlen(num), &a) != DEC_OK)
		return false;
	while (*s == ' ')
		s++;
	const char *end = s;
	if (*s == '%') {
		*f = (Fig){FIG_PCT, a, 0, NULL};
		end = s + 1;
	} else {
		static const struct { const char *w; int64_t k; } mult[] = {
			{"million", 1000000}, {"billion", 1000000000}, {"trillion", 1000000000000}};
		int64_t k = 1;
		size_t wl = 0;
		for (size_t i = 0; i < sizeof mult / sizeof mult[0] && !wl; i++)
			if ((wl = word_is(s, mult[i].w)) != 0)
				k = mult[i].k;
		if (!wl && (*s == 'M' || *s == 'B' || *s == 'T') && !is_alpha(s[1]))
			wl = 1, k = *s == 'M' ? 1000000 : *s == 'B' ? 1000000000 : 1000000000000;
		const char *c = s + wl;
		while (wl && *c == ' ')
			c++;
		size_t ul;
		FigKind dk;
		int64_t scale;
		if (currency_at(c)) {
			char code[4] = {c[0], c[1], c[2], 0};
			*f = (Fig){FIG_MONEY, times(a, k), val_currency(code), NULL};
			end = c + 3;
		} else if (!wl && dur_unit_at(s, &ul, &dk, &scale)) {
			*f = (Fig){dk, times(a, scale), 0, NULL};
			end = s + ul;
		} else {
			return false;
		}
	}
	f->text = ast_strdup(q + start, (size_t)(end - q) - start);
	return true;
}

static int quote_figures(const char *q, Fig *out, int max)
{
	static const char *const words[] = {"one", "two",   "three", "four",   "five",  "six",
					    "seven", "eight", "nine", "ten", "eleven", "twelve"};
	int n = 0;
	for (size_t i = 0; q[i] && n < max; i++) {
		if (i > 0 && (is_alpha(q[i - 1]) || is_digit(q[i - 1])))
			continue;
		char num[64];
		size_t nl = 0, j = i;
		if (is_digit(q[i])) {
			while ((is_digit(q[j]) || ((q[j] == ',' || q[j] == '_' || q[j] == '.') && is_digit(q[j + 1]))) && nl < 60) {
				if (q[j] != ',' && q[j] != '_')
					num[nl++] = q[j];
				j++;
			}
			num[nl] = 0;
			/* a currency before the number: "EUR 6,000" */
			size_t start = i;
			if (i >= 4 && q[i - 1] == ' ' && currency_at(q + i - 4) && (i == 4 || !is_alpha(q[i - 5]))) {
				Dec a;
				if (dec_parse(num, nl, &a) == DEC_OK) {
					char code[4] = {q[i - 4], q[i - 3], q[i - 2], 0};
					out[n++] = (Fig){FIG_MONEY, a, val_currency(code), ast_strdup(q + i - 4, j - i + 4)};
					i = j - 1;
					continue;
				}
			}
			if (unit_after(q, start, num, q + j, &out[n]))
				n++;
			i = j - 1;
			continue;
		}
		for (int w = 0; w < 12; w++) {
			size_t wl = strlen(words[w]);
			if (strncasecmp(q + i, words[w], wl) == 0 && q[i + wl] == ' ') {
				size_t ul;
				FigKind dk;
				int64_t scale;
				if (dur_unit_at(q + i + wl + 1, &ul, &dk, &scale)) {
					out[n++] = (Fig){dk, times(dec_from_int(w + 1), scale), 0, ast_strdup(q + i, wl + 1 + ul)};
					break;
				}
			}
		}
	}
	return n;
}

/* The value as a figure of a quote, or false when it is not one. */
static bool value_figure(Value v, Fig *f)
{
	switch (v.tag) {
	case V_MONEY:
		*f = (Fig){FIG_MONEY, val_get_dec(v), v.cur, NULL};
		return true;
	case V_PCT:
		*f = (Fig){FIG_PCT, times(val_get_dec(v), 100), 0, NULL};
		return true;
	case V_DUR: {
		static const int64_t scale[] = {1, 7, 1, 12};
		*f = (Fig){v.cur <= DU_WEEKS ? FIG_DAYS : FIG_MONTHS, dec_from_int(v.as.i * scale[v.cur]), 0, NULL};
		return true;
	}
	default:
		return false;
	}
}

/* 70000000 KRW as 70,000,000 KRW: an amount an officer reads at a glance. */
static const char *grouped(Value v)
{
	Buf raw = {0}, b = {0};
	fmt_scalar_text(v, &raw);
	const char *s = buf_cstr(&raw);
	size_t digits = 0;
	while (is_digit(s[digits + (s[0] == '-')]))
		digits++;
	size_t i = 0;
	if (s[0] == '-')
		buf_add(&b, s, 1), i = 1;
	for (size_t k = 0; k < digits; k++) {
		buf_add(&b, s + i + k, 1);
		if ((digits - k - 1) % 3 == 0 && k + 1 < digits)
			buf_add(&b, ",", 1);
	}
	buf_puts(&b, s + i + digits);
	return buf_cstr(&b);
}

/* The constant a case gives, following a parameter it names; from is set
 * to the date that value starts, or NULL. */
static bool case_constant(const Case *k, Value *v, const char **from)
{
	const Node *n = k->value;
	*from = k->from;
	if (n && n->is_const) {
		*v = n->k;
		return true;
	}
	if (n && n->kind == N_NAME && n->ref == R_DECL && n->decl && n->decl->kind == D_PARAM && n->decl->ncases > 0) {
		const Decl *prm = n->decl;
		const Case *last = &prm->cases[0];
		for (int i = 1; i < prm->ncases; i++)
			if (prm->cases[i].from && (!last->from || strcmp(prm->cases[i].from, last->from) > 0))
				last = &prm->cases[i];
		if (last->value && last->value->is_const) {
			*v = last->value->k;
			*from = last->from;
			return true;
		}
	}
	return false;
}

static void check_quote(Diags *d, const Citation *c, const Decl *owner, const Case *kase)
{
	if (!kase && owner->ncases == 1 && owner->kind != D_TABLE)
		kase = &owner->cases[0];
	Value v;
	const char *from;
	Fig want;
	if (!kase || !case_constant(kase, &v, &from) || !value_figure(v, &want))
		return;
	Fig figs[16];
	int n = quote_figures(c->quote, figs, 16);
	const Fig *first = NULL;
	for (int i = 0; i < n; i++) {
		if (figs[i].kind != want.kind || (want.kind == FIG_MONEY && figs[i].cur != want.cur))
			continue;
		if (dec_cmp(figs[i].amount, want.amount) == 0)
			return;
		if (!first)
			first = &figs[i];
	}
	if (!first)
		return;
	Diag *dg = diag_add(d, SEV_WARNING, c->quote_loc, "quote says %s, the value is %s%s%s", first->text, grouped(v),
			    from ? " from " : "", from ? from : "");
	diag_hint(dg, "quote the words that give the value now, or correct the value");
}

/* ================================================================ citations */

typedef struct Resolve {
	Diags *d;
	Decl **sorted;
	int n;
	const char **names;
} Resolve;

static void resolve(Citation *c, Decl *owner, Case *kase, void *arg)
{
	Resolve *r = arg;
	if (!c->doc)
		return;
	Decl key = {.name = c->doc}, *kp = &key;
	Decl **hit = r->n ? bsearch(&kp, r->sorted, (size_t)r->n, sizeof(Decl *), by_name) : NULL;
	if (!hit) {
		Diag *dg = diag_add(r->d, SEV_ERROR, c->loc, "there is no document named '%s' in this rule set", c->doc);
		const char *best = diag_closest(c->doc, r->names, r->n);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
		else
			diag_hint(dg, "declare it once: document %s : regulation { title: \"...\" }", c->doc);
		return;
	}
	Decl *doc = *hit;
	c->document = doc;
	bool legal = strcmp(doc->doc_kind, "law") == 0 || strcmp(doc->doc_kind, "regulation") == 0;
	if (legal && !c->pinpoint) {
		Diag *dg = diag_add(r->d, SEV_WARNING, c->loc, "this citation of the %s '%s' names no article, annex or other place in it",
				    doc->doc_kind, doc->name);
		diag_hint(dg, "add where: source %s \"Article 41\"", doc->name);
	}
	const char *title = cite_doc_field(doc, "title");
	Buf b = {0};
	buf_puts(&b, title ? title : doc->name);
	if (c->pinpoint) { /* in pieces: a format here was half of what citations cost a load */
		buf_puts(&b, ", ");
		buf_puts(&b, c->pinpoint);
	}
	if (c->quote) {
		buf_puts(&b, ": \"");
		buf_puts(&b, c->quote);
		buf_puts(&b, "\"");
	}
	c->text = buf_cstr(&b);
	if (c->quote)
		check_quote(r->d, c, owner, kase);
}

void cite_check(Program *p, Diags *d)
{
	Resolve r = {d, NULL, 0, NULL};
	r.sorted = GC_MALLOC(sizeof(Decl *) * ((size_t)p->ndocs + 1));
	for (int i = 0; i < p->ndocs; i++)
		check_document(d, p->docs[i]);
	if (p->ndocs) {
		memcpy(r.sorted, p->docs, sizeof(Decl *) * (size_t)p->ndocs);
		qsort(r.sorted, (size_t)p->ndocs, sizeof(Decl *), by_name);
	}
	r.names = GC_MALLOC(sizeof(char *) * ((size_t)p->ndocs + 1));
	for (int i = 0; i < p->ndocs; i++) {
		if (i && strcmp(r.sorted[i - 1]->name, r.sorted[i]->name) == 0) {
			Diag *dg = diag_add(d, SEV_ERROR, r.sorted[i]->loc, "the document '%s' is declared twice", r.sorted[i]->name);
			diag_hint(dg, "the other one is at %s:%d", r.sorted[i - 1]->loc.file, r.sorted[i - 1]->loc.line);
		}
		r.names[r.n++] = r.sorted[i]->name;
	}
	cite_each(p, resolve, &r);
}

const char *cite_text(const Citation *c)
{
	return c->doc ? c->text : xprintf("\"%s\"", c->text);
}
