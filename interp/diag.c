/*
 * diag.c - collecting and rendering diagnostics.
 *
 * Stages append Diag records; the command line, the REPL and the C API decide
 * how to show them.  Rendering quotes the source line with carets under the
 * span, in the shape `file:line:col: error: message`.
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

#define QUOTE_MAX 160 /* columns of a source line quoted in a message */

/* How many columns a terminal gives the character at s (k bytes long, a
 * whole UTF-8 character): two for the wide scripts (Hangul, the CJK
 * ideographs, kana, full-width forms), none for combining accents, else one. */
static int char_columns(const unsigned char *s, size_t k)
{
	if (k == 1)
		return 1;
	unsigned c = s[0] & (0xff >> (k + 1));
	for (size_t j = 1; j < k; j++)
		c = (c << 6) | (s[j] & 0x3f);
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f))
		return 0;
	bool wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
		    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
		    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
	return wide ? 2 : 1;
}

/* The columns bytes [from, to) of a quoted line take on a terminal. */
static int columns(const char *line, int from, int to)
{
	int cols = 0;
	for (int i = from; i < to;) {
		size_t k = buf_utf8_len((const unsigned char *)line + i, (size_t)(to - i));
		k = k ? k : 1;
		cols += char_columns((const unsigned char *)line + i, k);
		i += (int)k;
	}
	return cols;
}

/* Most results are short (names, paths): format once into a buffer on the
 * stack and copy, and only format twice when the result does not fit. */
char *xvprintf(const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *s = GC_MALLOC_ATOMIC((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvprintf(fmt, ap);
	va_end(ap);
	return s;
}

Diags *diag_new(void)
{
	return GC_MALLOC(sizeof(Diags));
}

void diag_add_source(Diags *d, const Source *src)
{
	AST_PUSH(d->sources, d->nsources, src);
}

const char *source_line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *cr = memchr(p, '\r', (size_t)((nl ? nl : end) - p));
	return cr ? cr : nl ? nl : end;
}

/* The start of the line after the one at p, or NULL after the last. */
static const char *next_line(const char *p, const char *end)
{
	const char *e = source_line_end(p, end);
	return e < end ? e + source_eol(e, end) : NULL;
}

/* src's line index, built once: two threads may both build it, and both
 * publish the same values. */
static const size_t *line_index(const Source *src)
{
	const size_t *ls = __atomic_load_n(&src->line_start, __ATOMIC_ACQUIRE);
	if (ls)
		return ls;
	const char *t = src->text, *end = t + src->len;
	int n = 1;
	for (const char *q = t; (q = next_line(q, end)) != NULL;)
		n++;
	size_t *w = GC_MALLOC_ATOMIC(sizeof(size_t) * (size_t)(n + 1));
	int k = 0;
	w[k++] = 0;
	for (const char *q = t; (q = next_line(q, end)) != NULL;)
		w[k++] = (size_t)(q - t);
	Source *s = (Source *)src;
	__atomic_store_n(&s->nlines, k, __ATOMIC_RELAXED);
	__atomic_store_n(&s->line_start, w, __ATOMIC_RELEASE);
	return w;
}

int source_nlines(const Source *src)
{
	line_index(src);
	return __atomic_load_n(&src->nlines, __ATOMIC_RELAXED);
}

long source_line_offset(const Source *src, int line)
{
	const size_t *ls = line_index(src);
	if (line < 1 || line > __atomic_load_n(&src->nlines, __ATOMIC_RELAXED))
		return -1;
	return (long)ls[line - 1];
}

const Source *diag_find_source(const Diags *d, const char *file)
{
	if (!file)
		return NULL;
	/* the very string first: several sources may share a name ("--query") */
	for (const Diags *l = d; l; l = l->parent)
		for (int i = l->nsources - 1; i >= 0; i--)
			if (l->sources[i]->path == file)
				return l->sources[i];
	for (const Diags *l = d; l; l = l->parent)
		for (int i = l->nsources - 1; i >= 0; i--)
			if (strcmp(l->sources[i]->path, file) == 0)
				return l->sources[i];
	return NULL;
}

Diag *diag_vadd(Diags *d, Severity sev, Loc loc, const char *fmt, va_list ap)
{
	/* past the budget a diagnostic is counted, not kept: its hint goes to a
	 * scratch Diag of this list (not a shared one: lists may be on threads) */
	int max = d->max_errors ? d->max_errors : 100;
	if ((sev == SEV_ERROR && d->nerrors >= max) || (sev != SEV_ERROR && d->nwarnings >= DIAG_MAX_WARNINGS)) {
		if (sev == SEV_ERROR)
			d->nerrors++;
		else
			d->nwarnings++;
		memset(&d->sink, 0, sizeof d->sink);
		return &d->sink;
	}
	Diag dg = {sev, loc, xvprintf(fmt, ap), NULL, NULL, NULL, 0};
	AST_PUSH(d->items, d->n, dg);
	if (sev == SEV_ERROR)
		d->nerrors++;
	else if (sev == SEV_WARNING)
		d->nwarnings++;
	return &d->items[d->n - 1];
}

Diag *diag_add(Diags *d, Severity sev, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	Diag *dg = diag_vadd(d, sev, loc, fmt, ap);
	va_end(ap);
	return dg;
}

void diag_hint(Diag *dg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *h = xvprintf(fmt, ap);
	va_end(ap);
	/* a suggestion reads best in the message itself: "...; did you mean 'x'?" */
	if (dg->msg && strncmp(h, "did you mean", 12) == 0) {
		dg->msg = xprintf("%s; %s", dg->msg, h);
		const char *q = strncmp(h, "did you mean '", 14) == 0 ? strstr(h + 14, "'?") : NULL;
		if (q)
			dg->fix = ast_strdup(h + 14, (size_t)(q - (h + 14)));
	} else {
		dg->hint = h;
	}
}

void diag_related(Diag *dg, Loc loc, const char *msg)
{
	DiagRel r = {loc, msg};
	AST_PUSH(dg->related, dg->nrelated, r);
}

static int by_place(const void *a, const void *b)
{
	const Diag *x = *(const Diag *const *)a, *y = *(const Diag *const *)b;
	int c = strcmp(x->loc.file ? x->loc.file : "", y->loc.file ? y->loc.file : "");
	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line - y->loc.line;
	if (x->loc.col != y->loc.col)
		return x->loc.col - y->loc.col;
	return x < y ? -1 : x > y;
}

const Diag **diag_sorted(const Diags *d)
{
	const Diag **order = GC_MALLOC(sizeof(Diag *) * (size_t)(d->n + 1));
	for (int i = 0; i < d->n; i++)
		order[i] = &d->items[i];
	qsort(order, (size_t)d->n, sizeof *order, by_place);
	return order;
}

const char *diag_severity_name(Severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* Find line `line` (1-based) of src; returns its start and length. */
static const char *source_line(const Source *src, int line, int *len)
{
	const char *end = src->text + src->len;
	long off = source_line_offset(src, line);
	if (off < 0)
		return NULL;
	const char *p = src->text + off;
	if (p > end || (p == end && line > 1 && src->len && source_eol(end - 1, end)))
		return NULL;
	*len = (int)(source_line_end(p, end) - p);
	return p;
}

char *diag_render(const Diags *d, const Diag *dg, bool color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *sevc = !color ? "" : dg->sev == SEV_ERROR ? "\033[1;31m" : dg->sev == SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
	char *out;
	if (dg->loc.file && dg->loc.line <= 0)
		out = xprintf("%s%s:%s %s%s:%s %s\n", bold, dg->loc.file, reset, sevc, diag_severity_name(dg->sev), reset, dg->msg);
	else if (dg->loc.file)
		out = xprintf("%s%s:%d:%d:%s %s%s:%s %s\n", bold, dg->loc.file, dg->loc.line, dg->loc.col, reset, sevc,
			      diag_severity_name(dg->sev), reset, dg->msg);
	else
		out = xprintf("%s%s:%s %s\n", sevc, diag_severity_name(dg->sev), reset, dg->msg);
	const Source *src = diag_find_source(d, dg->loc.file);
	int len = 0;
	const char *line = src && dg->loc.line > 0 ? source_line(src, dg->loc.line, &len) : NULL;
	if (line) {
		int width = snprintf(NULL, 0, "%d", dg->loc.line);
		int start = dg->loc.col - 1;
		if (start < 0)
			start = 0;
		if (start > len)
			start = len;
		int stop = dg->loc.eline == dg->loc.line ? dg->loc.ecol : len;
		if (stop > len)
			stop = len;
		/* a long line is quoted around the span only */
		int from = 0, to = len;
		if (len > QUOTE_MAX) {
			from = start > QUOTE_MAX / 4 ? start - QUOTE_MAX / 4 : 0;
			to = from + QUOTE_MAX < len ? from + QUOTE_MAX : len;
			if (stop > to)
				stop = to;
		}
		const char *pre = from > 0 ? "..." : "", *post = to < len ? "..." : "";
		int lead = (int)strlen(pre);
		/* Tabs become single spaces so the carets line up; control bytes and
		 * bytes beyond ASCII show as '?' so the quote is safe to print */
		int clen = to - from;
		char *copy = GC_MALLOC_ATOMIC((size_t)clen + 1);
		for (int i = 0; i < clen; i++) {
			unsigned char ch = (unsigned char)line[from + i];
			size_t k = ch >= 0x80 ? buf_utf8_len((const unsigned char *)line + from + i, (size_t)(clen - i)) : 1;
			if (ch >= 0x80 && k > 1) {
				memcpy(copy + i, line + from + i, k); /* a whole character: shown as it is */
				i += (int)k - 1;
				continue;
			}
			copy[i] = ch == '\t' || ch == '\r' ? ' ' : ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
		}
		copy[clen] = 0;
		start = start - from + lead;
		stop = stop - from + lead;
		/* the carets go under the characters as a terminal shows them */
		int n = columns(copy, start - lead, stop - lead);
		start = lead + columns(copy, 0, start - lead);
		if (n < 1)
			n = 1;
		char *carets = GC_MALLOC_ATOMIC((size_t)(start + n) + 1);
		memset(carets, ' ', (size_t)start);
		memset(carets + start, '^', (size_t)n);
		carets[start + n] = 0;
		out = xprintf("%s %*d | %s%s%s\n %*s | %s%s%s\n", out, width, dg->loc.line, pre, copy, post, width, "", sevc, carets,
			      reset);
	}
	if (dg->hint)
		out = xprintf("%s%snote:%s %s\n", out, color ? "\033[1;36m" : "", reset, dg->hint);
	return out;
}

/* Edit distance, bounded: good enough for names of a few dozen characters. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

/* Every '_'-separated word of name appears in cand, in order, as a whole
 * word: us_share ~ us_export_share. */
static bool words_in_order(const char *name, const char *cand)
{
	if (!strchr(name, '_'))
		return false;
	const char *c = cand;
	const char *w = name;
	while (*w) {
		size_t n = strcspn(w, "_");
		bool found = false;
		while (*c) {
			size_t m = strcspn(c, "_");
			if (m == n && strncmp(c, w, n) == 0) {
				found = true;
				c += m;
				if (*c == '_')
					c++;
				break;
			}
			c += m;
			if (*c == '_')
				c++;
		}
		if (!found)
			return false;
		w += n;
		if (*w == '_')
			w++;
	}
	return true;
}

const char *diag_closest(const char *name, const char *const *cands, int n)
{
	const char *best = NULL;
	int bestd = 1 << 30;
	size_t ln = strlen(name);
	for (int i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		int dd = distance(name, cands[i]);
		/* a shared prefix of a longer name counts as close too */
		size_t lc = strlen(cands[i]);
		if (ln >= 3 && lc > ln && strncmp(name, cands[i], ln) == 0 && dd > 1)
			dd = (int)(lc - ln) > 8 ? dd : 2;
		if (dd > 2 && words_in_order(name, cands[i]))
			dd = 2;
		if (dd < bestd) {
			bestd = dd;
			best = cands[i];
		}
	}
	int limit = ln <= 3 ? 1 : ln <= 6 ? 2 : 3;
	return bestd <= limit ? best : NULL;
}
