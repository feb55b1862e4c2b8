/*
 * whatif.c - why-not and what-if as JSON (whatif.h), for `edict serve`.
 *
 * Both work on evaluation contexts of the C interface, so the facts were
 * read and checked exactly as for any evaluation, and the step, memory and
 * time limits of the context hold.  The reasons a decision changed are the
 * REPL's: the trace of each evaluation, summarised (explain.h), compared.
 */
#include "mem.h"
#include <string.h>

#include "api.h"
#include "cite.h"
#include "explain.h"
#include "whatif.h"
#include "whynot.h"

static int status_of(int st)
{
	return st == ST_LIMIT ? EDICT_ELIMIT : st == ST_INTERRUPTED ? EDICT_EINTERRUPTED : st == ST_MEMORY ? EDICT_ENOMEM
									      : EDICT_ERUNTIME;
}

static const char *eval_error(const Ctx *c, const Decl *d)
{
	return xprintf("%s: %s", d->qname, c->errmsg ? c->errmsg : "the evaluation failed");
}

static const Decl *find_decision(const Program *p, const char *name, const char **err)
{
	Decl *d = prog_find_decl(p, name);
	if (!d || (d->kind != D_DECISION && d->kind != D_TABLE)) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(p->ndecls + 1));
		int nc = 0;
		for (int i = 0; i < p->ndecls; i++)
			if (p->decls[i]->kind != D_PARAM && !p->decls[i]->private_)
				cands[nc++] = strchr(name, '.') ? p->decls[i]->qname : p->decls[i]->name;
		const char *best = diag_closest(name, cands, nc);
		const Decl *bd = best ? prog_find_decl(p, best) : NULL;
		if (bd)
			best = bd->qname;
		*err = xprintf("there is no decision named '%s'%s", name, best ? xprintf("; did you mean '%s'?", best) : "");
		return NULL;
	}
	if (!d->type || d->type->kind != TY_BOOL) {
		*err = xprintf("why-not works on yes/no decisions; %s is %s", d->qname, ty_name(d->type));
		return NULL;
	}
	return d;
}

static int whynot(edict_ctx *x, const char *decision, Buf *out, const char **err)
{
	Ctx *c = api_ctx_vm(x, false);
	if (!c || !decision) {
		*err = "no context or no decision";
		return EDICT_EUSAGE;
	}
	const Decl *d = find_decision(c->p, decision, err);
	if (!d)
		return EDICT_EUSAGE;
	Value v;
	int st = vm_eval_decl(c, d->index, &v);
	if (st != ST_OK) {
		*err = eval_error(c, d);
		return status_of(st);
	}
	bool want = v.tag == V_BOOL ? !v.as.i : true;
	Buf text = {0};
	st = whynot_explain(c, d->index, want, &text, err);
	if (st != ST_OK) {
		if (!*err)
			*err = "the analysis failed";
		return status_of(st);
	}
	buf_puts(out, "{\"decision\":");
	buf_json_str(out, d->qname, strlen(d->qname));
	buf_puts(out, ",\"value\":");
	fmt_json(c->p, v, out);
	buf_puts(out, want ? ",\"want\":true,\"answer\":" : ",\"want\":false,\"answer\":");
	buf_json_str(out, text.s ? text.s : "", text.n);
	buf_puts(out, "}");
	return EDICT_OK;
}

static int compare(edict_ctx *before, edict_ctx *after, Buf *out, const char **err);

/* The arguments of a protected analysis. */
typedef struct Analysis {
	edict_ctx *a, *b;
	const char *decision;
	Buf *out;
	const char **err;
	int st;
} Analysis;

static void whynot_body(void *ud)
{
	Analysis *k = ud;
	k->st = whynot(k->a, k->decision, k->out, k->err);
}

static void compare_body(void *ud)
{
	Analysis *k = ud;
	k->st = compare(k->a, k->b, k->out, k->err);
}

/* Run an analysis; out of memory is EDICT_ENOMEM. */
static int analyse(void (*body)(void *), Analysis *k)
{
	*k->err = NULL;
	if (pr_call(body, k) != ST_OK) {
		*k->err = "out of memory";
		return EDICT_ENOMEM;
	}
	return k->st;
}

int whatif_whynot_json(edict_ctx *x, const char *decision, Buf *out, const char **err)
{
	Analysis k = {x, NULL, decision, out, err, EDICT_OK};
	return analyse(whynot_body, &k);
}

/* ------------------------------------------------------------- what if */

static const char *truth_word(const Program *p, Value v)
{
	if (v.tag == V_BOOL)
		return v.as.i ? "holds" : "fails";
	return fmt_value_str(p, v);
}

static const TraceEv *find_ev(const TraceEv **arr, int n, const TraceEv *e)
{
	for (int i = 0; i < n; i++)
		if (e->kind == TR_FACT ? strcmp(arr[i]->path->data, e->path->data) == 0 : arr[i]->a == e->a)
			return arr[i];
	return NULL;
}

void whatif_reasons(const Ctx *a, const Ctx *b, int d, const char *in, Buf *out)
{
	const Program *p = b->p;
	Decl *dd = p->decls[d];
	ExplainSum sa, sb;
	explain_summarize(a, d, &sa);
	explain_summarize(b, d, &sb);
	if (sb.kase >= 0 && sb.kase != sa.kase && sb.kase < dd->ncases) {
		const Case *k = &dd->cases[sb.kase];
		buf_printf(out, "%s    now by %s (%s:%d)", in, explain_case_name(dd, sb.kase), k->loc.file, k->loc.line);
		if (sa.kase >= 0 && sa.kase < dd->ncases)
			buf_printf(out, "; before by %s", explain_case_name(dd, sa.kase));
		buf_puts(out, "\n");
		for (int i = 0; i < k->ncites; i++)
			buf_printf(out, "%s      %s %s\n", in, k->cites[i].assumption ? "assumption:" : "source:", cite_text(&k->cites[i]));
	}
	const char **said = NULL; /* several rows may test the same condition */
	int nsaid = 0;
	for (int i = 0; i < sb.nconds; i++) {
		const TraceEv *was = find_ev(sa.conds, sa.nconds, sb.conds[i]);
		if (!was)
			continue;
		const char *x = truth_word(p, was->v), *y = truth_word(p, sb.conds[i]->v);
		if (strcmp(x, y) == 0)
			continue;
		const char *line = xprintf("%s    %s: %s -> %s\n", in, explain_cond_text(b, sb.conds[i]), x, y);
		bool dup = false;
		for (int k = 0; k < nsaid && !dup; k++)
			dup = strcmp(said[k], line) == 0;
		if (dup)
			continue;
		AST_PUSH(said, nsaid, line);
		buf_puts(out, line);
	}
	for (int i = 0; i < sb.nfacts; i++) {
		const TraceEv *was = find_ev(sa.facts, sa.nfacts, sb.facts[i]);
		if (!was)
			continue;
		const char *x = fmt_value_str(p, was->v), *y = fmt_value_str(p, sb.facts[i]->v);
		if (strcmp(x, y) != 0)
			buf_printf(out, "%s    %s: %s -> %s\n", in, sb.facts[i]->path->data, x, y);
	}
	for (int i = 0; i < sb.nuses; i++) {
		const TraceEv *was = find_ev(sa.uses, sa.nuses, sb.uses[i]);
		if (!was)
			continue;
		const char *x = fmt_value_str(p, was->v), *y = fmt_value_str(p, sb.uses[i]->v);
		if (strcmp(x, y) != 0)
			buf_printf(out, "%s    uses %s: %s -> %s\n", in, p->decls[sb.uses[i]->a]->qname, x, y);
	}
}

static bool shown(const Decl *d)
{
	return !d->private_ && (d->kind == D_DECISION || d->kind == D_TABLE);
}

/* Evaluate every public decision on a traced context; false after an
 * error (in *err, *st). */
static bool decide_all(Ctx *c, Value *vals, const char **err, int *st)
{
	for (int i = 0; i < c->p->ndecls; i++) {
		if (!shown(c->p->decls[i]))
			continue;
		int s = vm_eval_decl(c, i, &vals[i]);
		if (s == ST_RUNTIME) {
			vals[i] = val_unknown(NULL); /* shown as an error, like the REPL */
			continue;
		}
		if (s != ST_OK) {
			*err = eval_error(c, c->p->decls[i]);
			*st = status_of(s);
			return false;
		}
	}
	return true;
}

/* Each line of text as a JSON string, without its indent. */
static void lines_json(Buf *out, const char *text)
{
	buf_puts(out, "[");
	int k = 0;
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		const char *s = text;
		while (n && *s == ' ')
			s++, n--;
		if (k++)
			buf_puts(out, ",");
		buf_json_str(out, s, n);
		text = nl ? nl + 1 : text + strlen(text);
	}
	buf_puts(out, "]");
}

static int compare(edict_ctx *xa, edict_ctx *xb, Buf *out, const char **err)
{
	Ctx *a = api_ctx_vm(xa, true), *b = NULL;
	if (!a) {
		*err = "no context";
		return EDICT_EUSAGE;
	}
	const Program *p = a->p;
	Value *va = GC_MALLOC(sizeof(Value) * (size_t)(p->ndecls + 1));
	Value *vb = GC_MALLOC(sizeof(Value) * (size_t)(p->ndecls + 1));
	int st = EDICT_OK;
	if (!decide_all(a, va, err, &st))
		return st;
	b = api_ctx_vm(xb, true);
	if (!b || b->p != p) {
		*err = "the two cases must use the same rules";
		return EDICT_EUSAGE;
	}
	if (!decide_all(b, vb, err, &st))
		return st;
	buf_puts(out, "{\"changes\":[");
	int k = 0;
	for (int i = 0; i < p->ndecls; i++) {
		if (!shown(p->decls[i]))
			continue;
		const char *x = fmt_value_str(p, va[i]), *y = fmt_value_str(p, vb[i]);
		if (strcmp(x, y) == 0)
			continue;
		if (k++)
			buf_puts(out, ",");
		buf_puts(out, "{\"decision\":");
		buf_json_str(out, p->decls[i]->qname, strlen(p->decls[i]->qname));
		buf_puts(out, ",\"before\":");
		fmt_json(p, va[i], out);
		buf_puts(out, ",\"after\":");
		fmt_json(p, vb[i], out);
		buf_puts(out, ",\"before_text\":");
		buf_json_str(out, x, strlen(x));
		buf_puts(out, ",\"after_text\":");
		buf_json_str(out, y, strlen(y));
		buf_puts(out, ",\"reasons\":");
		Buf why = {0};
		whatif_reasons(a, b, i, "", &why);
		lines_json(out, why.s);
		buf_puts(out, "}");
	}
	buf_puts(out, "]}");
	return EDICT_OK;
}

int whatif_compare_json(edict_ctx *before, edict_ctx *after, Buf *out, const char **err)
{
	Analysis k = {before, after, NULL, out, err, EDICT_OK};
	return analyse(compare_body, &k);
}
