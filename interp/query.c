/*
 * query.c - compiling and running queries, tests and checks.
 */
#include "mem.h"
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "coverage.h"
#include "facts.h"
#include "parse.h"
#include "cite.h"
#include "query.h"

/* The dotted name an expression is written as (a, a.b, a.b.c), or NULL. */
static const char *dotted(const Node *e)
{
	if (e->kind == N_NAME)
		return e->text;
	const char *left = e->kind == N_FIELD ? dotted(e->kids[0]) : NULL;
	return left ? xprintf("%s.%s", left, e->text) : NULL;
}

/* A query's text as a source named name (its own string: sources are
 * told apart by identity). */
static Source *query_source(const char *name, const char *text)
{
	Source *src = GC_MALLOC(sizeof *src);
	src->path = xprintf("%s", name);
	src->text = text;
	src->len = strlen(text);
	return src;
}

/* Whether the text parses as the dotted name it is. */
static bool reads_as_name(const char *text)
{
	Diags *scratch = diag_new();
	Node *e = parse_expr(query_source("query", text), scratch);
	const char *name = e && !scratch->nerrors ? dotted(e) : NULL;
	return name && strcmp(name, text) == 0;
}

/* A query that names a public decision whose module name cannot be read as
 * a name (the module of a file is named after it: "my rules.edict",
 * "règles.edict", "decision.edict", "1abc.edict"): the decision itself, as
 * the query text could never be parsed to it.  NULL for any other text. */
static Node *decision_named(const Program *p, const char *text)
{
	for (int i = 0; i < p->ndecls; i++) {
		Decl *dl = p->decls[i];
		if ((dl->kind == D_PARAM || dl->kind == D_DECISION || dl->kind == D_TABLE) && !dl->private_ && dl->type &&
		    strcmp(dl->qname, text) == 0) {
			if (reads_as_name(text))
				return NULL;
			Node *e = ast_node(N_NAME, dl->loc);
			e->text = dl->qname;
			e->ref = R_DECL;
			e->decl = dl;
			e->type = dl->type;
			return e;
		}
	}
	return NULL;
}

Query *query_compile(Program *p, const char *text, const char *name, Diags *d)
{
	Node *named = decision_named(p, text);
	if (named) {
		Query *q = GC_MALLOC(sizeof *q);
		q->text = text;
		q->expr = named;
		q->type = named->type;
		q->decl = named->decl->index;
		q->own = prog_own(p, NULL);
		q->plain = cg_expr(p, q->own, named, 0, false, text);
		q->traced = cg_expr(p, q->own, named, 0, true, text);
		q->task = (VmTask){p->dchunk[q->decl], q->decl};
		return q;
	}
	Source *src = query_source(name, text);
	int before = d->nerrors;
	Node *e = parse_expr(src, d);
	if (!e || d->nerrors > before)
		return NULL;
	Own *own = prog_own(p, src);
	int nlocals = 0;
	const Type *t = chk_query(p, own, e, NULL, d, &nlocals);
	if (d->nerrors > before)
		return NULL;
	Query *q = GC_MALLOC(sizeof *q);
	q->text = text;
	q->expr = e;
	q->type = t;
	q->decl = e->kind == N_NAME && e->ref == R_DECL ? e->decl->index : -1;
	q->own = own;
	q->plain = cg_expr(p, own, e, nlocals, false, text);
	q->traced = cg_expr(p, own, e, nlocals, true, text);
	q->task = q->decl >= 0 ? (VmTask){p->dchunk[q->decl], q->decl} : (VmTask){q->plain, -1};
	return q;
}

/* In explain mode: the query's traced chunk, which for a decision records
 * it as used by the query, then decides it. */
static int run_traced(Ctx *c, const Query *q, Value *out)
{
	if (ctx_set_frame_own(c, c->top_frame, q->own) != ST_OK)
		return c->status;
	return vm_eval_chunk(c, q->traced, out);
}

int query_run(Ctx *c, const Query *q, Value *out)
{
	if (__builtin_expect(c->trace, 0))
		return run_traced(c, q, out);
	if (q->decl >= 0)
		return vm_eval_decl(c, q->decl, out);
	return vm_eval_chunk(c, q->plain, out);
}

/* Explain mode: each query on its own, with its trace. */
static __attribute__((noinline)) int run_each_traced(Ctx *c, const Query *const *qs, int n, Value *out, int *failed)
{
	for (int at = 0; at < n; at++) {
		int st = query_run(c, qs[at], &out[at]);
		if (st != ST_OK) {
			*failed = at;
			return st;
		}
	}
	return ST_OK;
}

int query_run_many(Ctx *c, const Query *const *qs, int n, Value *out, int *failed)
{
	if (__builtin_expect(c->trace, 0))
		return run_each_traced(c, qs, n, out, failed);
	/* the tasks as the queries hold them: nothing copied */
	return vm_eval_many(c, qs, offsetof(Query, task), n, out, failed);
}

/* ---------------------------------------------------------------- tests */

static const char *describe_failure(Program *p, Ctx *c, Node *e, Value got)
{
	/* for `a = b`, say what a actually was */
	if (e->kind == N_BINARY && e->op == BIN_EQ) {
		Chunk *lhs = cg_expr(p, NULL, e->kids[0], 64, false, "expect");
		Value v;
		if (vm_eval_chunk(c, lhs, &v) == ST_OK) {
			const char *s = fmt_value_str(p, v);
			if (v.tag == V_UNKNOWN && v.as.m && v.as.m->len) {
				Buf b = {0};
				for (uint32_t i = 0; i < v.as.m->len; i++)
					buf_printf(&b, "%s%s", i ? ", " : "", v.as.m->paths[i]->data);
				s = xprintf("unknown (missing: %s)", buf_cstr(&b));
			}
			return xprintf("expected %s, but %s is %s", prog_node_text(p, e), prog_node_text(p, e->kids[0]), s);
		}
	}
	return xprintf("expected %s, but it is %s", prog_node_text(p, e), fmt_value_str(p, got));
}

/* A record written in a test's `given` stands for facts: the fields it
 * leaves out are missing facts with their paths (or their declared
 * defaults), exactly as if the JSON had left them out. */
static void fill_record(const Program *p, Value *v, const Node *lit, const char *path)
{
	if (!lit || lit->kind != N_RECORD || v->tag != V_REC || !lit->type || lit->type->kind != TY_REC)
		return;
	const TypeDef *td = lit->type->def;
	for (int f = 0; f < td->nfields && f < (int)v->as.r->n; f++) {
		const Node *given = NULL;
		for (int i = 0; i < lit->nkids; i++)
			if (lit->kids[i]->slot == f && strcmp(lit->kids[i]->text, td->fields[f].name) == 0)
				given = lit->kids[i]->kids[0];
		const char *fp = xprintf("%s.%s", path, td->fields[f].name);
		if (given)
			fill_record(p, &v->as.r->f[f], given, fp);
		else if (!td->fields[f].dflt)
			v->as.r->f[f] = facts_absent(p, td->fields[f].type, NULL, fp);
	}
}

static void fill_missing(const Program *p, Value *v, const Node *lit, const char **path, int npath)
{
	char *text = xprintf("%s", path[0]);
	for (int i = 1; i < npath; i++)
		text = xprintf("%s.%s", text, path[i]);
	fill_record(p, v, lit, text);
}

/* One test; with cov, in explain mode, its trace counted after each
 * evaluation. */
static const char *run_test(Program *p, Decl *t, Loc *where, Coverage *cov)
{
	Ctx *c = vm_new(p);
	facts_clear(c);
	/* coverage reads the trace: explain mode, for the tests only */
	c->trace = cov != NULL;
	const char *why = NULL;
	*where = t->loc;
	/* the as-of date first, wherever it is written */
	for (int j = 0; j < t->nsteps; j++)
		if (t->steps[j].kind == TS_ASOF)
			date_parse(t->steps[j].date, strlen(t->steps[j].date), &c->as_of);
	for (int j = 0; j < t->nsteps && !why; j++) {
		TestStep *s = &t->steps[j];
		if (s->kind != TS_GIVEN)
			continue;
		Chunk *ch = cg_expr(p, NULL, s->expr, 64, false, "given");
		Value v;
		int st = vm_eval_chunk(c, ch, &v);
		if (cov)
			cov_harvest(cov, c);
		if (st != ST_OK) {
			why = xprintf("the given value could not be computed: %s", c->errmsg);
			*where = s->loc;
			break;
		}
		fill_missing(p, &v, s->expr, s->path, s->npath);
		facts_set_path(c, s->fact, s->slots ? s->slots + 1 : NULL, s->npath - 1, v);
		vm_reset(c);
	}
	/* facts that break a requirement decide nothing, in a test as in an evaluation */
	const char *cite;
	Loc at;
	if (!why && p->nrequires && query_requires(c, &why, &at, &cite) != ST_OK)
		*where = t->loc;
	vm_reset(c);
	for (int j = 0; j < t->nsteps && !why; j++) {
		TestStep *s = &t->steps[j];
		if (s->kind != TS_EXPECT)
			continue;
		Chunk *ch = cg_expr(p, NULL, s->expr, t->nlocals + 8, false, "expect");
		Value v;
		int st = vm_eval_chunk(c, ch, &v);
		if (cov)
			cov_harvest(cov, c);
		if (st != ST_OK) {
			why = xprintf("%s:%d:%d: %s", c->errloc.file, c->errloc.line, c->errloc.col, c->errmsg);
			*where = s->loc;
		} else if (!(v.tag == V_BOOL && v.as.i)) {
			why = describe_failure(p, c, s->expr, v);
			*where = s->loc;
		}
	}
	return why;
}

const char *query_run_test(Program *p, Decl *t, Loc *where)
{
	return run_test(p, t, where, NULL);
}

int query_run_tests(Program *p, Buf *out, bool color, int *passed)
{
	return query_run_tests_cov(p, out, color, passed, NULL);
}

static bool written_in(const Decl *t, const char *const *files, int n)
{
	if (!files)
		return true;
	for (int i = 0; i < n; i++)
		if (t->loc.file && strcmp(t->loc.file, files[i]) == 0)
			return true;
	return false;
}

/* The tests written in files (all when files is NULL). */
static int run_tests(Program *p, const char *const *files, int nfiles, Buf *out, bool color, int *passed,
		     Coverage *cov)
{
	int failed = 0;
	*passed = 0;
	const char *green = color ? "\033[32m" : "", *red = color ? "\033[1;31m" : "", *reset = color ? "\033[0m" : "";
	for (int i = 0; i < p->ntests; i++) {
		Decl *t = p->tests[i];
		if (!written_in(t, files, nfiles))
			continue;
		Loc where;
		const char *why = run_test(p, t, &where, cov);
		if (why) {
			failed++;
			buf_printf(out, "%sFAIL%s %s\n     %s:%d:%d: %s\n", red, reset, t->qname, where.file, where.line, where.col, why);
		} else {
			(*passed)++;
			buf_printf(out, "%sPASS%s %s\n", green, reset, t->qname);
		}
	}
	buf_printf(out, "%d passed, %d failed\n", *passed, failed);
	return failed;
}

int query_run_tests_cov(Program *p, Buf *out, bool color, int *passed, Coverage *cov)
{
	return run_tests(p, NULL, 0, out, color, passed, cov);
}

int query_run_tests_in(Program *p, const char *const *files, int n, Buf *out, bool color, int *passed)
{
	return run_tests(p, files, n, out, color, passed, NULL);
}

/* --------------------------------------------------------------- checks */

int query_run_checks(Program *p, date_t as_of, Diags *d)
{
	return query_run_checks_cov(p, as_of, d, NULL);
}

/* The value of e, written out, or NULL when it cannot be computed. */
static const char *value_text(Program *p, Ctx *c, Node *e)
{
	Value v;
	if (vm_eval_chunk(c, cg_expr(p, NULL, e, 64, false, "check"), &v) != ST_OK)
		return NULL;
	return fmt_value_str(p, v);
}

/* What a failed check saw: the first false part of an 'and', and for a
 * comparison the values of its sides that are not written out ("where
 * length(tasks) is 3"). NULL when there is nothing to add. */
static const char *seen_values(Program *p, Ctx *c, Node *e)
{
	if (e->kind == N_BINARY && e->op == BIN_AND) {
		Value v;
		if (vm_eval_chunk(c, cg_expr(p, NULL, e->kids[0], 64, false, "check"), &v) == ST_OK && v.tag == V_BOOL &&
		    !v.as.i)
			return seen_values(p, c, e->kids[0]);
		return seen_values(p, c, e->kids[1]);
	}
	bool cmp = e->kind == N_BINARY && (e->op == BIN_EQ || e->op == BIN_NE || e->op == BIN_LT || e->op == BIN_LE ||
					     e->op == BIN_GT || e->op == BIN_GE);
	if (!cmp)
		return NULL;
	Buf b = {0};
	for (int i = 0; i < 2; i++) {
		Node *side = e->kids[i];
		const char *v = side->is_const ? NULL : value_text(p, c, side);
		if (v)
			buf_printf(&b, "%s%s is %s", b.n ? " and " : "", prog_node_text(p, side), v);
	}
	return b.n ? xprintf("%s (in %s)", buf_cstr(&b), prog_node_text(p, e)) : NULL;
}

/* "source: Act, Article 2" or "assumption: ...": a citation as a message's hint */
static const char *cite_hint(const Citation *c)
{
	return xprintf("%s %s", c->assumption ? "assumption:" : "source:", cite_text(c));
}

int query_requires(Ctx *c, const char **msg, Loc *where, const char **cite)
{
	Program *p = (Program *)c->p;
	for (int i = 0; i < p->nrequires; i++) {
		Decl *k = p->requires[i];
		Value v;
		int st = vm_eval_chunk(c, p->rchunk[i], &v);
		if (st != ST_OK) {
			*msg = c->errmsg;
			*where = c->errloc;
			*cite = NULL;
			return st;
		}
		if (v.tag != V_BOOL || v.as.i)
			continue; /* holds, or unknown: facts not given break nothing */
		const char *seen = seen_values(p, c, k->cond);
		*cite = k->ncites ? cite_hint(&k->cites[0]) : NULL;
		*msg = xprintf("the facts break the requirement \"%s\" (%s:%d:%d): %s%s%s", k->name, k->loc.file,
			       k->loc.line, k->loc.col, seen ? seen : xprintf("%s is false", prog_node_text(p, k->cond)),
			       *cite ? "; " : "", *cite ? *cite : "");
		*where = k->loc;
		return ST_FACTS;
	}
	return ST_OK;
}

int query_run_checks_cov(Program *p, date_t as_of, Diags *d, Coverage *cov)
{
	int failed = 0;
	for (int i = 0; i < p->nchecks; i++) {
		Decl *k = p->checks[i];
		Ctx *c = vm_new(p);
		facts_clear(c);
		c->as_of = as_of;
		Chunk *ch = cg_check(p, k);
		Value v;
		Severity sev = k->severity ? SEV_ERROR : SEV_WARNING;
		int st = vm_eval_chunk(c, ch, &v);
		const char *msg = NULL;
		if (st != ST_OK)
			msg = xprintf("check \"%s\" could not run: %s", k->name, c->errmsg);
		else if (v.tag == V_UNKNOWN)
			msg = xprintf("check \"%s\" cannot be decided: it depends on facts, and checks look only at the rules' own data",
				      k->name);
		else if (v.tag == V_BOOL && !v.as.i) {
			const char *seen = seen_values(p, c, k->cond);
			msg = seen ? xprintf("check \"%s\" fails where %s", k->name, seen) : xprintf("check \"%s\" fails", k->name);
		}
		else if (v.tag == V_LIST && v.as.l->len == 1)
			msg = xprintf("check \"%s\" fails where %s is %s", k->name, prog_node_text(p, k->showing),
				      fmt_value_str(p, v.as.l->items[0]));
		else if (v.tag == V_LIST && v.as.l->len)
			msg = xprintf("check \"%s\" fails where %s is one of %s", k->name, prog_node_text(p, k->showing),
				      fmt_value_str(p, v));
		if (cov)
			cov_check(cov, i, !msg);
		if (msg) {
			Diag *dg = diag_add(d, sev, k->loc, "%s", msg);
			if (k->ncites)
				diag_hint(dg, "%s", cite_hint(&k->cites[0]));
			if (sev == SEV_ERROR)
				failed++;
		}
	}
	return failed;
}
