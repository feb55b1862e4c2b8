/*
 * coverage.c - counting what the tests exercise, and reporting it
 * (coverage.h).
 *
 * The items are laid out once, when the coverage starts: for each
 * decision, table and parameter one item for the declaration, followed by
 * one per case when it has cases of its own (several, or one that is
 * conditional or dated); the same for each decision decided for each
 * member of a list; then one per check.  The trace records of an
 * evaluation name a declaration by its index (TR_DECISION) or a case by
 * its declaration and index (TR_CASE), so counting is an index lookup; a
 * decision for one member is named by its frame (MemberCall).
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "explain.h"

typedef struct Item {
	const Decl *decl;  /* the decision, table, parameter or check */
	int kase;          /* the case, or -1 for the declaration itself */
	Loc loc;
	unsigned long hits;
} Item;

struct Coverage {
	const Program *p;
	Item *items;
	int n;
	int *first;   /* per program decl: the index of its item */
	int *ffirst;  /* per function: the index of its item, for a decision for each member; else -1 */
	int *checks;  /* per check: the index of its item */
};

/* Whether the cases of d are items of their own. */
static bool case_items(const Decl *d)
{
	return d->ncases > 1 || (d->ncases == 1 && (d->cases[0].cond || d->cases[0].from || d->cases[0].until));
}

static int add(Coverage *cov, const Decl *d, int kase, Loc loc)
{
	Item it = {d, kase, loc, 0};
	AST_PUSH(cov->items, cov->n, it);
	return cov->n - 1;
}

/* The item of declaration d, then one for each of its cases. */
static int add_decl(Coverage *cov, const Decl *d)
{
	int at = add(cov, d, -1, d->loc);
	if (case_items(d))
		for (int k = 0; k < d->ncases; k++)
			add(cov, d, k, d->cases[k].from ? d->cases[k].from_loc : d->cases[k].loc);
	return at;
}

/* The item of the declaration a trace frame decided (and the declaration
 * in *d), or -1 for a query's frame. */
static int frame_item(const Coverage *cov, const Ctx *c, int frame, const Decl **d)
{
	const Program *p = cov->p;
	if (frame >= 0 && frame < p->ndecls) {
		*d = p->decls[frame];
		return cov->first[frame];
	}
	int i = frame - p->ndecls - 1; /* a frame of its own: Ctx.mcalls[i] */
	if (i < 0 || i >= c->nmcalls)
		return -1;
	int f = c->mcalls[i].func;
	*d = p->funcs[f];
	return cov->ffirst[f];
}

Coverage *cov_new(const Program *p)
{
	Coverage *cov = GC_MALLOC(sizeof *cov);
	cov->p = p;
	cov->first = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(p->ndecls + 1));
	cov->checks = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(p->nchecks + 1));
	cov->ffirst = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(p->nfuncs + 1));
	for (int i = 0; i < p->ndecls; i++)
		cov->first[i] = add_decl(cov, p->decls[i]);
	for (int i = 0; i < p->nfuncs; i++)
		cov->ffirst[i] = p->funcs[i]->each ? add_decl(cov, p->funcs[i]) : -1;
	for (int i = 0; i < p->nchecks; i++)
		cov->checks[i] = add(cov, p->checks[i], -1, p->checks[i]->loc);
	return cov;
}

void cov_harvest(Coverage *cov, Ctx *c)
{
	for (int i = 0; i < c->nev; i++) {
		const TraceEv *e = &c->ev[i];
		const Decl *d;
		int at;
		if (e->kind == TR_DECISION && (at = frame_item(cov, c, e->a, &d)) >= 0) {
			cov->items[at].hits++;
		} else if (e->kind == TR_CASE && (at = frame_item(cov, c, e->frame, &d)) >= 0) {
			/* choosing a case decides its declaration too */
			if (!cov->items[at].hits)
				cov->items[at].hits = 1;
			if (case_items(d) && e->a >= 0 && e->a < d->ncases)
				cov->items[at + 1 + e->a].hits++;
		}
	}
	c->nev = 0;
}

void cov_check(Coverage *cov, int check, bool held)
{
	if (held && check >= 0 && check < cov->p->nchecks)
		cov->items[cov->checks[check]].hits++;
}

void cov_totals(const Coverage *cov, int *items, int *covered)
{
	*items = cov->n;
	*covered = 0;
	for (int i = 0; i < cov->n; i++)
		*covered += cov->items[i].hits > 0;
}

/* ------------------------------------------------------------ reports */

static const char *module_of(const Item *it)
{
	const char *m = it->decl->module ? it->decl->module->name : NULL;
	return m ? m : "";
}

static const char *file_of(const Item *it)
{
	return it->loc.file ? it->loc.file : "";
}

/* What an item is, in words: "parameter monitoring.threshold: the value
 * from 2027-01-01", "check \"tasks are numbered\"". */
static const char *describe(const Item *it)
{
	const Decl *d = it->decl;
	if (d->kind == D_CHECK)
		return xprintf("check \"%s\"", d->name);
	if (it->kase >= 0)
		return xprintf("%s: %s", d->qname, explain_case_name(d, it->kase));
	const char *kind = d->kind == D_TABLE ? "table" : d->kind == D_PARAM ? "parameter" : "decision";
	return xprintf("%s %s", kind, d->qname);
}

/* "83.3%": one decimal, rounded, without floating point. */
static void percent(Buf *b, int covered, int n)
{
	long tenths = n ? ((long)covered * 1000 + n / 2) / n : 1000;
	buf_printf(b, "%ld.%ld%%", tenths / 10, tenths % 10);
}

static int by_module(const void *a, const void *b)
{
	const Item *x = *(const Item *const *)a, *y = *(const Item *const *)b;
	int c = strcmp(module_of(x), module_of(y));
	if (!c)
		c = strcmp(file_of(x), file_of(y));
	if (!c)
		c = x->loc.line != y->loc.line ? (x->loc.line < y->loc.line ? -1 : 1) : 0;
	if (!c)
		c = x->loc.col != y->loc.col ? (x->loc.col < y->loc.col ? -1 : 1) : 0;
	return c;
}

/* The items sorted by a comparison (a GC array of pointers). */
static const Item **sorted(const Coverage *cov, int (*cmp)(const void *, const void *))
{
	const Item **v = GC_MALLOC(sizeof(Item *) * (size_t)(cov->n + 1));
	for (int i = 0; i < cov->n; i++)
		v[i] = &cov->items[i];
	if (cov->n)
		qsort(v, (size_t)cov->n, sizeof *v, cmp);
	return v;
}

void cov_summary(const Coverage *cov, Buf *out)
{
	const Item **v = sorted(cov, by_module);
	int width = 6;
	for (int i = 0; i < cov->n; i++)
		width = (int)strlen(module_of(v[i])) > width ? (int)strlen(module_of(v[i])) : width;
	buf_puts(out, "\ncoverage: the decisions, cases, table rows, dated values and checks the tests exercised\n");
	for (int s = 0; s < cov->n;) {
		int e = s, covered = 0;
		while (e < cov->n && strcmp(module_of(v[e]), module_of(v[s])) == 0)
			covered += v[e++]->hits > 0;
		buf_printf(out, "  %-*s %4d of %4d  ", width, *module_of(v[s]) ? module_of(v[s]) : "(main)", covered, e - s);
		percent(out, covered, e - s);
		buf_puts(out, "\n");
		for (int i = s; i < e; i++)
			if (!v[i]->hits)
				buf_printf(out, "    %s:%d:%d: not exercised: %s\n", file_of(v[i]), v[i]->loc.line, v[i]->loc.col,
					   describe(v[i]));
		s = e;
	}
	int n, covered;
	cov_totals(cov, &n, &covered);
	buf_printf(out, "total: %d of %d items exercised, ", covered, n);
	percent(out, covered, n);
	buf_puts(out, "\n");
}

static int by_file(const void *a, const void *b)
{
	const Item *x = *(const Item *const *)a, *y = *(const Item *const *)b;
	int c = strcmp(file_of(x), file_of(y));
	if (!c)
		c = x->loc.line != y->loc.line ? (x->loc.line < y->loc.line ? -1 : 1) : 0;
	return c;
}

/* One file's record: [s, e) of v, all of that file. */
static void lcov_file(const Item **v, int s, int e, Buf *out)
{
	buf_printf(out, "TN:\nSF:%s\n", file_of(v[s]));
	int fn = 0, fnh = 0;
	for (int i = s; i < e; i++)
		if (v[i]->kase < 0 && v[i]->decl->kind != D_CHECK) {
			buf_printf(out, "FN:%d,%s\nFNDA:%lu,%s\n", v[i]->loc.line, v[i]->decl->qname, v[i]->hits,
				   v[i]->decl->qname);
			fn++;
			fnh += v[i]->hits > 0;
		}
	buf_printf(out, "FNF:%d\nFNH:%d\n", fn, fnh);
	/* several items on one line make one line, with their hits summed */
	int lf = 0, lh = 0;
	for (int i = s; i < e;) {
		unsigned long hits = 0;
		int j = i;
		while (j < e && v[j]->loc.line == v[i]->loc.line)
			hits += v[j++]->hits;
		buf_printf(out, "DA:%d,%lu\n", v[i]->loc.line, hits);
		lf++;
		lh += hits > 0;
		i = j;
	}
	buf_printf(out, "LF:%d\nLH:%d\nend_of_record\n", lf, lh);
}

void cov_lcov(const Coverage *cov, Buf *out)
{
	const Item **v = sorted(cov, by_file);
	for (int s = 0; s < cov->n;) {
		int e = s;
		while (e < cov->n && strcmp(file_of(v[e]), file_of(v[s])) == 0)
			e++;
		if (*file_of(v[s]))
			lcov_file(v, s, e, out);
		s = e;
	}
}
