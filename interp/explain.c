/*
 * explain.c - explanations built from an evaluation's trace.
 *
 * Each decision appears once, with the case that applied (and the policy
 * text it cites), the conditions it tested, the facts it read, the
 * functions it called and the decisions it used; those follow, indented
 * under it.  Each function call traced its own frame (vm.c), so two calls
 * of one function show their own cases.  A short explanation leaves out
 * what a single line would misstate (conditions tested per item of a loop)
 * or what the call line already says (the conditions inside a function),
 * and joins a plain helper's reads to its caller; a full one shows all.
 * Values from defaults are marked, and shares are shown as percentages.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "cite.h"
#include "explain.h"

/* ------------------------------------------------- summing a trace up */

/* The trace's events grouped by frame: the event indexes ordered by frame,
 * then by time.  Built once per explanation, so that explaining each
 * decision costs its own events, not the whole trace again. */
typedef struct EvIndex {
	const TraceEv *ev;
	int64_t *order; /* frame << 32 | event index: sorting these sorts by frame, then time */
	int n;
} EvIndex;

static int by_frame(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static EvIndex ev_index(const Ctx *c)
{
	EvIndex ix = {c->ev, GC_MALLOC_ATOMIC(sizeof(int64_t) * (size_t)(c->nev + 1)), c->nev};
	for (int i = 0; i < c->nev; i++)
		ix.order[i] = (int64_t)c->ev[i].frame * ((int64_t)1 << 32) + i;
	qsort(ix.order, (size_t)ix.n, sizeof(int64_t), by_frame);
	return ix;
}

static const TraceEv *ev_at(const EvIndex *ix, int i)
{
	return &ix->ev[(uint32_t)ix->order[i]];
}

/* One de-duplicating set: the index + 1 of an entry of arr, by a key. */
typedef struct Dedup {
	int *at;
	uint32_t mask;
} Dedup;

static Dedup dedup_new(int n)
{
	uint32_t cap = 16;
	while (cap < 2u * (uint32_t)n)
		cap *= 2;
	Dedup d = {GC_MALLOC_ATOMIC(sizeof(int) * cap), cap - 1};
	return d;
}

static int *dedup_slot(Dedup *d, const TraceEv **arr, const TraceEv *e);

static uint32_t ev_key_hash(const TraceEv *e)
{
	uint32_t h = 2166136261u;
	if (e->kind == TR_CALL) {
		uint64_t k = (uint64_t)e->a * 2654435761u;
		for (int i = 0; i < e->nargs; i++)
			k = (k ^ val_hash(e->args[i])) * 0x100000001b3u;
		return (uint32_t)(k ^ k >> 32);
	}
	if (e->kind != TR_FACT)
		return (uint32_t)e->a * 2654435761u;
	for (uint32_t i = 0; i < e->path->len; i++)
		h = (h ^ (unsigned char)e->path->data[i]) * 16777619u;
	return h;
}

/* Calls alike: one function, equal arguments (unknowns never equal). */
static bool same_call(const TraceEv *a, const TraceEv *b)
{
	if (a->a != b->a || a->nargs != b->nargs)
		return false;
	for (int i = 0; i < a->nargs; i++)
		if (!val_equal(a->args[i], b->args[i]))
			return false;
	return true;
}

static bool ev_same_key(const TraceEv *a, const TraceEv *b)
{
	if (a->kind == TR_CALL)
		return same_call(a, b);
	return a->kind == TR_FACT ? a->path->len == b->path->len && memcmp(a->path->data, b->path->data, a->path->len) == 0
				  : a->a == b->a;
}

/* Where e's key sits in arr: its slot, which holds 0 when the key is new. */
static int *dedup_slot(Dedup *d, const TraceEv **arr, const TraceEv *e)
{
	uint32_t j = ev_key_hash(e) & d->mask;
	while (d->at[j] && !ev_same_key(arr[d->at[j] - 1], e))
		j = (j + 1) & d->mask;
	return &d->at[j];
}

/* Keep e in arr: a later value of a key already there replaces it when
 * `latest`, else the first stays. */
static void keep(Dedup *d, const TraceEv ***arr, int *n, const TraceEv *e, bool latest)
{
	if (2u * (uint32_t)(*n + 1) > d->mask + 1) {
		/* the events of helper calls join their caller's: room for more */
		*d = dedup_new(2 * (*n + 1));
		for (int i = 0; i < *n; i++)
			*dedup_slot(d, *arr, (*arr)[i]) = i + 1;
	}
	int *slot = dedup_slot(d, *arr, e);
	if (!*slot) {
		AST_PUSH(*arr, *n, e);
		*slot = *n;
	} else if (latest) {
		(*arr)[*slot - 1] = e;
	}
}

/* A call as the text form shows it: `name(arg, ...)`. */
static const char *call_label(const Program *p, const TraceEv *e)
{
	const Decl *f = p->funcs[e->a];
	Buf b = {0};
	buf_printf(&b, "%s(", f->qname);
	for (int i = 0; i < e->nargs; i++) {
		if (i)
			buf_puts(&b, ", ");
		fmt_value(p, e->args[i], &b);
	}
	buf_puts(&b, ")");
	return b.s;
}

/* The call of a frame of its own (a frame from ndecls + 1 up), or NULL. */
static const MemberCall *frame_call(const Ctx *c, int frame)
{
	int i = frame - c->p->ndecls - 1;
	return i >= 0 && i < c->nmcalls ? &c->mcalls[i] : NULL;
}

const Node *explain_cond(const Ctx *c, const TraceEv *e)
{
	return prog_node(c->p, ctx_frame_own(c, e->frame), e->a);
}

const char *explain_cond_text(const Ctx *c, const TraceEv *e)
{
	return prog_own_text(c->p, ctx_frame_own(c, e->frame), explain_cond(c, e));
}

/* Whether a condition is shown: in a short explanation, not one tested
 * for each item of a loop, nor one tested inside a function (the call
 * shows which case applied). */
static bool shown(const Ctx *c, const TraceEv *e, bool all)
{
	if (all || c->explain_full)
		return true;
	const MemberCall *m = frame_call(c, e->frame);
	return !explain_cond(c, e)->in_loop && (!m || c->p->funcs[m->func]->each);
}

/* Whether a call is shown as a call: always in a full explanation, else
 * when its function has cases or cites its source.  A plain helper's
 * facts, decisions and calls are shown as its caller's. */
static bool call_shown(const Ctx *c, const TraceEv *e)
{
	const Decl *f = c->p->funcs[e->a];
	return c->explain_full || !f->body || f->ncites > 0;
}

/* The sets an ExplainSum is built with, one per kind of event; all: every
 * condition, and every call's events joined to its caller's. */
typedef struct Sets {
	Dedup conds, facts, uses, calls;
	bool all;
} Sets;

/* The first event of a frame in the index. */
static int frame_start(const EvIndex *ix, int frame)
{
	int lo = 0, hi = ix->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ev_at(ix, mid)->frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The events of a frame into s; own: the frame explained (its case), not
 * a helper's joined to it. */
static void gather_frame(const Ctx *c, const EvIndex *ix, int frame, ExplainSum *s, Sets *sets, bool own)
{
	for (int i = frame_start(ix, frame); i < ix->n && ev_at(ix, i)->frame == frame; i++) {
		const TraceEv *e = ev_at(ix, i);
		if (e->kind == TR_CASE) {
			if (own)
				s->kase = e->a;
		} else if (e->kind == TR_COND) {
			if (shown(c, e, sets->all))
				keep(&sets->conds, &s->conds, &s->nconds, e, true);
		} else if (e->kind == TR_FACT) {
			keep(&sets->facts, &s->facts, &s->nfacts, e, true);
		} else if (e->kind == TR_DECISION) {
			keep(&sets->uses, &s->uses, &s->nuses, e, false);
		} else if (e->kind == TR_CALL && e->args) {
			if (!sets->all && call_shown(c, e))
				keep(&sets->calls, &s->calls, &s->ncalls, e, false);
			else
				gather_frame(c, ix, e->callee, s, sets, false);
		} else if (e->kind == TR_NOTE) {
			AST_PUSH(s->notes, s->nnotes, e);
		}
	}
}

static void summarize_as(const Ctx *c, const EvIndex *ix, int frame, ExplainSum *s, bool all)
{
	memset(s, 0, sizeof *s);
	s->kase = -1;
	Sets sets = {dedup_new(8), dedup_new(8), dedup_new(8), dedup_new(8), all};
	gather_frame(c, ix, frame, s, &sets, true);
}

static void summarize(const Ctx *c, const EvIndex *ix, int frame, ExplainSum *s)
{
	summarize_as(c, ix, frame, s, false);
}

void explain_summarize(const Ctx *c, int frame, ExplainSum *s)
{
	EvIndex ix = ev_index(c);
	summarize_as(c, &ix, frame, s, true);
}

/* The rule a frame decided: a decision, a function called or a decision
 * for one member (see MemberCall), or NULL for a query. */
static const Decl *frame_decl(const Ctx *c, int frame)
{
	if (frame >= 0 && frame < c->p->ndecls)
		return c->p->decls[frame];
	const MemberCall *m = frame_call(c, frame);
	return m ? c->p->funcs[m->func] : NULL;
}

/* The value of a list of facts such as household.members, read without
 * running anything; false for any other expression. */
static bool fact_list(const Ctx *c, const Node *n, Value *out)
{
	if (n->kind == N_NAME && n->ref == R_FACT) {
		*out = c->facts[n->slot];
		return true;
	}
	Value rec;
	if (n->kind != N_FIELD || !fact_list(c, n->kids[0], &rec) || rec.tag != V_REC || (uint32_t)n->slot >= rec.as.r->n)
		return false;
	*out = rec.as.r->f[n->slot];
	return true;
}

/* Where record r sits in value v, as a suffix of v's name: "" for v
 * itself, "[2]" for the second item of a list; NULL when it is not there. */
static const char *place_in(Value v, const Rec *r)
{
	if (v.tag == V_REC && v.as.r == r)
		return "";
	if (v.tag == V_LIST)
		for (uint32_t i = 0; i < v.as.l->len; i++)
			if (v.as.l->items[i].tag == V_REC && v.as.l->items[i].as.r == r)
				return xprintf("[%u]", i + 1);
	return NULL;
}

/* How a decision for one member is named: by the list of the block
 * (household.members[2].benefit), else by a decision of this evaluation
 * whose value is the member or holds it (first_spouse.exclusion), else
 * with the member's value. */
static const char *frame_label(const Ctx *c, int frame)
{
	const Program *p = c->p;
	const MemberCall *m = frame_call(c, frame);
	if (!m)
		return p->decls[frame]->qname;
	const Decl *d = p->funcs[m->func];
	const Rec *r = m->member.tag == V_REC ? m->member.as.r : NULL;
	Value list;
	const char *at;
	if (r && d->each->over && fact_list(c, d->each->over, &list) && (at = place_in(list, r)))
		return xprintf("%s%s.%s", prog_node_text(p, d->each->over), at, d->name);
	for (int i = 0; r && i < p->ndecls; i++)
		if (ctx_memo_hit(c, i) && (at = place_in(c->memo[i], r)))
			return xprintf("%s%s.%s", p->decls[i]->qname, at, d->name);
	Buf b = {0};
	fmt_value(p, m->member, &b);
	return xprintf("%s.%s, for the %s %.*s", d->each->var, d->name, d->each->var, (int)b.n, b.s);
}

static const Case *applied(const Decl *d, int kase)
{
	if (!d || kase < 0)
		return NULL;
	return kase < d->ncases ? &d->cases[kase] : NULL;
}

const char *explain_case_name(const Decl *d, int i)
{
	const Case *k = &d->cases[i];
	if (d->is_table)
		return k->is_default ? "the default row" : xprintf("row %d", i + 1);
	if (d->kind == D_PARAM)
		return k->from ? xprintf("the value from %s", k->from) : "its value";
	if (k->label)
		return xprintf("exception '%s'", k->label);
	if (k->cond)
		return "an exception";
	return d->ncases > 1 ? "the default" : "its rule";
}

/* Whether case i of d is a default standing where no exception or row
 * applied: its value is what the rules give when nothing particular does. */
static bool by_default(const Decl *d, int i)
{
	const Case *k = applied(d, i);
	if (!k || !k->is_default || d->kind == D_PARAM)
		return false;
	for (int j = 0; j < d->ncases; j++)
		if (d->cases[j].cond)
			return true;
	return false;
}

/* The default a fact or field declares, found by its path (`company.size`;
 * a path through a list item names no field). */
static const Node *declared_default(const Program *p, const Str *path)
{
	const char *s = path->data, *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : path->len;
	const Decl *root = NULL;
	for (int i = 0; i < p->nfacts && !root; i++)
		if (strlen(p->facts[i]->name) == n && memcmp(p->facts[i]->name, s, n) == 0)
			root = p->facts[i];
	if (!root)
		return NULL;
	const Node *dflt = root->dflt;
	const Type *t = root->type;
	while (dot) {
		s = dot + 1;
		dot = strchr(s, '.');
		n = dot ? (size_t)(dot - s) : strlen(s);
		const Field *f = NULL;
		for (int i = 0; t && t->kind == TY_REC && t->def && i < t->def->nfields && !f; i++)
			if (strlen(t->def->fields[i].name) == n && memcmp(t->def->fields[i].name, s, n) == 0)
				f = &t->def->fields[i];
		if (!f)
			return NULL;
		dflt = f->dflt;
		t = f->type;
	}
	return dflt;
}

/* Whether a fact read has the value its declaration gives when the facts
 * leave it out. */
static bool fact_default(const Program *p, const TraceEv *e)
{
	const Node *d = declared_default(p, e->path);
	if (!d || e->v.tag == V_UNKNOWN)
		return false;
	if (d->is_const)
		return val_equal(d->k, e->v);
	return d->kind == N_LIST && d->nkids == 0 && e->v.tag == V_LIST && e->v.as.l->len == 0;
}

/* A value that came from an `otherwise`: the fallback was taken. */
static bool is_fallback(const Node *n)
{
	return n->kind == N_OTHERWISE;
}

/* A value as an explanation shows it: a share (a decision or function of
 * decimal numbers that the rules compare with percentages) as a
 * percentage, 12.5% rather than 0.125. */
static Value as_shown(const Decl *d, Value v)
{
	if (d && d->is_share && (v.tag == V_DEC || v.tag == V_INT))
		return val_dec(V_PCT, val_get_dec(v), 0);
	return v;
}

/* The word a condition's line starts with, seven letters wide. */
static const char *cond_word(const Node *n, Value v)
{
	if (is_fallback(n))
		return "default";
	if (v.tag == V_BOOL)
		return v.as.i ? "holds  " : "fails  ";
	return v.tag == V_UNKNOWN ? "unknown" : "value  ";
}

static void indent(Buf *b, int n)
{
	for (int i = 0; i < n; i++)
		buf_puts(b, "  ");
}

static void missing_text(Value v, Buf *b)
{
	if (v.tag != V_UNKNOWN || !v.as.m || !v.as.m->len)
		return;
	buf_puts(b, " (missing: ");
	for (uint32_t i = 0; i < v.as.m->len; i++)
		buf_printf(b, "%s%s", i ? ", " : "", v.as.m->paths[i]->data);
	buf_puts(b, ")");
}

static void text_cites(Buf *b, const Citation *cs, int n, int depth)
{
	for (int i = 0; i < n; i++) {
		indent(b, depth);
		buf_printf(b, "%s %s\n", cs[i].assumption ? "assumption:" : "source:", cite_text(&cs[i]));
	}
}

static void text_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, int depth,
		      unsigned char *seen);

/* The case of d that applied (NULL: a query) with its citations, and d's own. */
static void text_case(const Decl *d, const ExplainSum *s, Value v, Buf *b, int depth)
{
	if (!d)
		return;
	const Case *k = applied(d, s->kase);
	if (k) {
		indent(b, depth + 1);
		buf_printf(b, "by %s at %s:%d\n", explain_case_name(d, s->kase), k->loc.file, k->loc.line);
		text_cites(b, k->cites, k->ncites, depth + 2);
	} else if (d->body) {
		/* a function written as one rule */
		indent(b, depth + 1);
		buf_printf(b, "by its rule at %s:%d\n", d->body->loc.file, d->body->loc.line);
	} else if (v.tag == V_UNKNOWN) {
		indent(b, depth + 1);
		buf_printf(b, "undecided at %s:%d: it depends on facts that are missing\n", d->loc.file, d->loc.line);
	}
	text_cites(b, d->cites, d->ncites, depth + 2);
}

/* A function call: its arguments and value, then what it did. */
static void text_call(const Ctx *c, const EvIndex *ix, const TraceEv *e, Buf *b, int depth, unsigned char *seen);

/* What a frame did, under its head line: the case, the conditions, the
 * facts read, the functions called and the decisions used. */
static void text_body(const Ctx *c, const EvIndex *ix, const Decl *d, const ExplainSum *sum, Value v, Buf *b,
		      int depth, unsigned char *seen)
{
	const Program *p = c->p;
	ExplainSum s = *sum;
	text_case(d, &s, v, b, depth);
	for (int i = 0; i < s.nconds; i++) {
		const Node *n = explain_cond(c, s.conds[i]);
		indent(b, depth + 1);
		Value cv = s.conds[i]->v;
		buf_printf(b, "%s %s: ", cond_word(n, cv), explain_cond_text(c, s.conds[i]));
		fmt_value(p, cv, b);
		missing_text(cv, b);
		buf_puts(b, "\n");
	}
	for (int i = 0; i < s.nnotes; i++) {
		indent(b, depth + 2);
		buf_printf(b, "%s\n", s.notes[i]->path->data);
	}
	for (int i = 0; i < s.nfacts; i++) {
		indent(b, depth + 1);
		buf_printf(b, "fact   %s = ", s.facts[i]->path->data);
		fmt_value(p, s.facts[i]->v, b);
		buf_puts(b, fact_default(p, s.facts[i]) ? "  (default)\n" : "\n");
	}
	for (int i = 0; i < s.ncalls; i++)
		text_call(c, ix, s.calls[i], b, depth + 1, seen);
	for (int i = 0; i < s.nuses; i++) {
		int u = s.uses[i]->a;
		text_node(c, ix, u, frame_label(c, u), s.uses[i]->v, b, depth + 1, seen);
	}
}

static void text_call(const Ctx *c, const EvIndex *ix, const TraceEv *e, Buf *b, int depth, unsigned char *seen)
{
	const Decl *f = c->p->funcs[e->a];
	indent(b, depth);
	buf_printf(b, "%s = ", call_label(c->p, e));
	fmt_value(c->p, as_shown(f, e->v), b);
	missing_text(e->v, b);
	ExplainSum s;
	summarize(c, ix, e->callee, &s);
	buf_puts(b, by_default(f, s.kase) ? "  (default)\n" : "\n");
	text_body(c, ix, f, &s, e->v, b, depth, seen);
}

static void text_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, int depth,
		      unsigned char *seen)
{
	const Program *p = c->p;
	const Decl *d = frame_decl(c, decl);
	bool is_decl = decl >= 0 && decl < p->ndecls; /* else a decision for one member */
	indent(b, depth);
	buf_printf(b, "%s = ", label);
	fmt_value(p, as_shown(d, v), b);
	missing_text(v, b);
	if (is_decl && seen[decl]) {
		buf_puts(b, "  (explained above)\n");
		return;
	}
	ExplainSum s;
	summarize(c, ix, decl, &s);
	if (d && !(is_decl && c->state[decl] == DS_OVERRIDDEN) && by_default(d, s.kase))
		buf_puts(b, "  (default)");
	buf_puts(b, "\n");
	if (is_decl) {
		seen[decl] = 1;
		if (c->state[decl] == DS_OVERRIDDEN) {
			indent(b, depth + 1);
			buf_puts(b, "set for this evaluation (what-if), not decided by its rules\n");
			return;
		}
	}
	text_body(c, ix, d, &s, v, b, depth, seen);
}

void explain_text(const Ctx *c, int decl, const char *label, Value v, Buf *out, unsigned char *seen)
{
	if (!seen) {
		seen = GC_MALLOC_ATOMIC((size_t)c->p->ndecls + 1);
		memset(seen, 0, (size_t)c->p->ndecls + 1);
	}
	EvIndex ix = ev_index(c);
	text_node(c, &ix, decl, label, v, out, 0, seen);
	if (c->trace_truncated)
		buf_puts(out, "  (the explanation stops here: recording it needed more than the evaluation's memory limit)\n");
}

void explain_missing_json(Value v, Buf *b)
{
	buf_puts(b, "[");
	if (v.tag == V_UNKNOWN && v.as.m)
		for (uint32_t i = 0; i < v.as.m->len; i++) {
			if (i)
				buf_puts(b, ",");
			buf_json_str(b, v.as.m->paths[i]->data, v.as.m->paths[i]->len);
		}
	buf_puts(b, "]");
}

static void json_loc(Buf *b, Loc l)
{
	buf_puts(b, "\"file\":");
	buf_json_str(b, l.file ? l.file : "", l.file ? strlen(l.file) : 0);
	buf_printf(b, ",\"line\":%d,\"column\":%d", l.line, l.col);
}

static void json_cites(Buf *b, const Citation *cs, int n)
{
	buf_puts(b, "\"sources\":[");
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!cs[i].assumption) {
			if (k++)
				buf_puts(b, ",");
			buf_json_str(b, cs[i].text, strlen(cs[i].text));
		}
	buf_puts(b, "],\"assumptions\":[");
	k = 0;
	for (int i = 0; i < n; i++)
		if (cs[i].assumption) {
			if (k++)
				buf_puts(b, ",");
			buf_json_str(b, cs[i].text, strlen(cs[i].text));
		}
	buf_puts(b, "]");
	/* the citations of declared documents, field by field */
	k = 0;
	for (int i = 0; i < n; i++)
		if (cs[i].document) {
			buf_puts(b, k++ ? "," : ",\"citations\":[");
			explain_citation_json(b, &cs[i]);
		}
	if (k)
		buf_puts(b, "]");
}

static void json_opt(Buf *b, const char *key, const char *v)
{
	buf_printf(b, ",\"%s\":", key);
	if (v)
		buf_json_str(b, v, strlen(v));
	else
		buf_puts(b, "null");
}

void explain_citation_json(Buf *b, const Citation *c)
{
	const Decl *doc = c->document;
	buf_puts(b, "{\"document\":");
	buf_json_str(b, doc->name, strlen(doc->name));
	json_opt(b, "kind", doc->doc_kind);
	static const char *const fields[] = {"title", "issuer", "date", "version", "reference"};
	for (int i = 0; i < 5; i++)
		json_opt(b, fields[i], cite_doc_field(doc, fields[i]));
	json_opt(b, "pinpoint", c->pinpoint);
	json_opt(b, "quote", c->quote);
	buf_puts(b, "}");
}

static void json_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, unsigned char *seen);

/* The case of d that applied, or null. */
static void json_case(const Decl *d, int kase, Buf *b)
{
	const Case *k = applied(d, kase);
	if (!k) {
		buf_puts(b, ",\"case\":null");
		return;
	}
	buf_puts(b, ",\"case\":{\"name\":");
	const char *nm = explain_case_name(d, kase);
	buf_json_str(b, nm, strlen(nm));
	buf_printf(b, ",\"index\":%d,", kase);
	json_loc(b, k->loc);
	buf_puts(b, ",");
	json_cites(b, k->cites, k->ncites);
	buf_puts(b, "}");
}

static void json_call(const Ctx *c, const EvIndex *ix, const TraceEv *e, Buf *b, unsigned char *seen);

/* The members every explanation object ends with, from the case on. */
static void json_body(const Ctx *c, const EvIndex *ix, const Decl *d, const ExplainSum *s, Buf *b, unsigned char *seen)
{
	const Program *p = c->p;
	json_case(d, s->kase, b);
	buf_puts(b, ",\"conditions\":[");
	for (int i = 0; i < s->nconds; i++) {
		const Node *n = explain_cond(c, s->conds[i]);
		if (i)
			buf_puts(b, ",");
		buf_puts(b, "{\"text\":");
		const char *t = explain_cond_text(c, s->conds[i]);
		buf_json_str(b, t, strlen(t));
		buf_puts(b, ",\"value\":");
		fmt_json(p, s->conds[i]->v, b);
		if (is_fallback(n))
			buf_puts(b, ",\"default\":true");
		buf_puts(b, ",");
		json_loc(b, n->loc);
		buf_puts(b, "}");
	}
	buf_puts(b, "],");
	if (s->nnotes) {
		buf_puts(b, "\"notes\":[");
		for (int i = 0; i < s->nnotes; i++) {
			if (i)
				buf_puts(b, ",");
			buf_json_str(b, s->notes[i]->path->data, s->notes[i]->path->len);
		}
		buf_puts(b, "],");
	}
	buf_puts(b, "\"facts\":[");
	for (int i = 0; i < s->nfacts; i++) {
		if (i)
			buf_puts(b, ",");
		buf_puts(b, "{\"path\":");
		buf_json_str(b, s->facts[i]->path->data, s->facts[i]->path->len);
		buf_puts(b, ",\"value\":");
		fmt_json(p, s->facts[i]->v, b);
		buf_puts(b, fact_default(p, s->facts[i]) ? ",\"default\":true}" : "}");
	}
	buf_puts(b, "]");
	for (int i = 0; i < s->ncalls; i++) {
		buf_puts(b, i ? "," : ",\"calls\":[");
		json_call(c, ix, s->calls[i], b, seen);
	}
	if (s->ncalls)
		buf_puts(b, "]");
	buf_puts(b, ",\"uses\":[");
	for (int i = 0; i < s->nuses; i++) {
		if (i)
			buf_puts(b, ",");
		int u = s->uses[i]->a;
		json_node(c, ix, u, frame_label(c, u), s->uses[i]->v, b, seen);
	}
	buf_puts(b, "]}");
}

static void json_call(const Ctx *c, const EvIndex *ix, const TraceEv *e, Buf *b, unsigned char *seen)
{
	const Program *p = c->p;
	const Decl *f = p->funcs[e->a];
	buf_puts(b, "{\"function\":");
	buf_json_str(b, f->qname, strlen(f->qname));
	buf_puts(b, ",\"arguments\":[");
	for (int i = 0; i < e->nargs; i++) {
		if (i)
			buf_puts(b, ",");
		fmt_json(p, e->args[i], b);
	}
	buf_puts(b, "],\"value\":");
	fmt_json(p, e->v, b);
	buf_puts(b, ",\"missing\":");
	explain_missing_json(e->v, b);
	buf_puts(b, ",");
	json_loc(b, f->loc);
	buf_puts(b, ",");
	json_cites(b, f->cites, f->ncites);
	ExplainSum s;
	summarize(c, ix, e->callee, &s);
	if (by_default(f, s.kase))
		buf_puts(b, ",\"default\":true");
	json_body(c, ix, f, &s, b, seen);
}

static void json_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, unsigned char *seen)
{
	const Program *p = c->p;
	const Decl *d = frame_decl(c, decl);
	bool is_decl = decl >= 0 && decl < p->ndecls; /* else a decision for one member */
	buf_puts(b, "{\"decision\":");
	buf_json_str(b, label, strlen(label));
	buf_puts(b, ",\"value\":");
	fmt_json(p, v, b);
	buf_puts(b, ",\"missing\":");
	explain_missing_json(v, b);
	if (is_decl && seen[decl]) {
		buf_puts(b, ",\"see_above\":true}");
		return;
	}
	ExplainSum s;
	summarize(c, ix, decl, &s);
	if (d) {
		if (is_decl)
			seen[decl] = 1;
		buf_puts(b, ",");
		json_loc(b, d->loc);
		buf_puts(b, ",");
		json_cites(b, d->cites, d->ncites);
		if (is_decl && c->state[decl] == DS_OVERRIDDEN)
			buf_puts(b, ",\"what_if\":true");
		else if (by_default(d, s.kase))
			buf_puts(b, ",\"default\":true");
	}
	json_body(c, ix, d, &s, b, seen);
}

void explain_json(const Ctx *c, int decl, const char *label, Value v, Buf *out)
{
	unsigned char *seen = GC_MALLOC_ATOMIC((size_t)c->p->ndecls + 1);
	memset(seen, 0, (size_t)c->p->ndecls + 1);
	EvIndex ix = ev_index(c);
	json_node(c, &ix, decl, label, v, out, seen);
	if (c->trace_truncated && out->n && out->s[out->n - 1] == '}') {
		out->n--;
		buf_puts(out, ",\"truncated\":true}");
	}
}
