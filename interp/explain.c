/*
 * explain.c - explanations built from an evaluation's trace.
 *
 * Each decision appears once, with the case that applied (and the policy
 * text it cites), the conditions it tested, the facts it read and the
 * decisions it used; the decisions it used follow, indented under it.
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

static uint32_t ev_key_hash(const TraceEv *e)
{
	uint32_t h = 2166136261u;
	if (e->kind != TR_FACT)
		return (uint32_t)e->a * 2654435761u;
	for (uint32_t i = 0; i < e->path->len; i++)
		h = (h ^ (unsigned char)e->path->data[i]) * 16777619u;
	return h;
}

static bool ev_same_key(const TraceEv *a, const TraceEv *b)
{
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
	int *slot = dedup_slot(d, *arr, e);
	if (!*slot) {
		AST_PUSH(*arr, *n, e);
		*slot = *n;
	} else if (latest) {
		(*arr)[*slot - 1] = e;
	}
}

static void summarize(const EvIndex *ix, int frame, ExplainSum *s)
{
	memset(s, 0, sizeof *s);
	s->kase = -1;
	/* the first event of the frame, then all of them */
	int lo = 0, hi = ix->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ev_at(ix, mid)->frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	int end = lo;
	while (end < ix->n && ev_at(ix, end)->frame == frame)
		end++;
	Dedup conds = dedup_new(end - lo), facts = dedup_new(end - lo), uses = dedup_new(end - lo);
	for (int i = lo; i < end; i++) {
		const TraceEv *e = ev_at(ix, i);
		if (e->kind == TR_CASE)
			s->kase = e->a;
		else if (e->kind == TR_COND)
			keep(&conds, &s->conds, &s->nconds, e, true);
		else if (e->kind == TR_FACT)
			keep(&facts, &s->facts, &s->nfacts, e, true);
		else if (e->kind == TR_DECISION)
			keep(&uses, &s->uses, &s->nuses, e, false);
	}
}

void explain_summarize(const Ctx *c, int frame, ExplainSum *s)
{
	EvIndex ix = ev_index(c);
	summarize(&ix, frame, s);
}

/* The rule a frame decided: a decision, a decision for one member (a
 * frame from ndecls up, see MemberCall), or NULL for a query. */
static const Decl *frame_decl(const Ctx *c, int frame)
{
	if (frame < 0)
		return NULL;
	if (frame < c->p->ndecls)
		return c->p->decls[frame];
	return c->p->funcs[c->mcalls[frame - c->p->ndecls].func];
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
	if (frame < p->ndecls)
		return p->decls[frame]->qname;
	const MemberCall *m = &c->mcalls[frame - p->ndecls];
	const Decl *d = p->funcs[m->func];
	const Rec *r = m->member.tag == V_REC ? m->member.as.r : NULL;
	Value list;
	const char *at;
	if (r && d->each->over && fact_list(c, d->each->over, &list) && (at = place_in(list, r)))
		return xprintf("%s%s.%s", prog_node_text(p, d->each->over), at, d->name);
	for (int i = 0; r && i < p->ndecls; i++)
		if ((c->stamp[i] == c->epoch || c->state[i] >= DS_OVERRIDDEN) && (at = place_in(c->memo[i], r)))
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
	if (d->kind == D_TABLE)
		return k->is_default ? "the default row" : xprintf("row %d", i + 1);
	if (d->kind == D_PARAM)
		return k->from ? xprintf("the value from %s", k->from) : "its value";
	if (k->label)
		return xprintf("exception '%s'", k->label);
	if (k->cond)
		return "an exception";
	return d->ncases > 1 ? "the default" : "its rule";
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

static void text_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, int depth,
		      unsigned char *seen)
{
	const Program *p = c->p;
	indent(b, depth);
	buf_printf(b, "%s = ", label);
	fmt_value(p, v, b);
	missing_text(v, b);
	bool is_decl = decl >= 0 && decl < p->ndecls;
	if (is_decl && seen[decl]) {
		buf_puts(b, "  (explained above)\n");
		return;
	}
	buf_puts(b, "\n");
	if (is_decl)
		seen[decl] = 1;
	ExplainSum s;
	summarize(ix, decl, &s);
	const Decl *d = frame_decl(c, decl);
	if (d) {
		if (is_decl && c->state[decl] == DS_OVERRIDDEN) {
			indent(b, depth + 1);
			buf_puts(b, "set for this evaluation (what-if), not decided by its rules\n");
			return;
		}
		const Case *k = applied(d, s.kase);
		if (k) {
			indent(b, depth + 1);
			buf_printf(b, "by %s at %s:%d\n", explain_case_name(d, s.kase), k->loc.file, k->loc.line);
			for (int i = 0; i < k->ncites; i++) {
				indent(b, depth + 2);
				buf_printf(b, "%s %s\n", k->cites[i].assumption ? "assumption:" : "source:", cite_text(&k->cites[i]));
			}
		} else if (v.tag == V_UNKNOWN) {
			indent(b, depth + 1);
			buf_printf(b, "undecided at %s:%d: it depends on facts that are missing\n", d->loc.file, d->loc.line);
		}
		for (int i = 0; i < d->ncites; i++) {
			indent(b, depth + 2);
			buf_printf(b, "%s %s\n", d->cites[i].assumption ? "assumption:" : "source:", cite_text(&d->cites[i]));
		}
	}
	for (int i = 0; i < s.nconds; i++) {
		const Node *n = p->nodes[s.conds[i]->a];
		indent(b, depth + 1);
		Value cv = s.conds[i]->v;
		buf_printf(b, "%s %s: ", cv.tag == V_BOOL ? (cv.as.i ? "holds  " : "fails  ") : cv.tag == V_UNKNOWN ? "unknown" : "value  ",
			   prog_node_text(p, n));
		fmt_value(p, s.conds[i]->v, b);
		missing_text(s.conds[i]->v, b);
		buf_puts(b, "\n");
	}
	for (int i = 0; i < s.nfacts; i++) {
		indent(b, depth + 1);
		buf_printf(b, "fact   %s = ", s.facts[i]->path->data);
		fmt_value(p, s.facts[i]->v, b);
		buf_puts(b, "\n");
	}
	for (int i = 0; i < s.nuses; i++) {
		int u = s.uses[i]->a;
		text_node(c, ix, u, frame_label(c, u), s.uses[i]->v, b, depth + 1, seen);
	}
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

static void json_node(const Ctx *c, const EvIndex *ix, int decl, const char *label, Value v, Buf *b, unsigned char *seen)
{
	const Program *p = c->p;
	buf_puts(b, "{\"decision\":");
	buf_json_str(b, label, strlen(label));
	buf_puts(b, ",\"value\":");
	fmt_json(p, v, b);
	buf_puts(b, ",\"missing\":");
	explain_missing_json(v, b);
	bool is_decl = decl >= 0 && decl < p->ndecls;
	if (is_decl && seen[decl]) {
		buf_puts(b, ",\"see_above\":true}");
		return;
	}
	const Decl *d = frame_decl(c, decl);
	if (d) {
		buf_puts(b, ",");
		json_loc(b, d->loc);
		buf_puts(b, ",");
		json_cites(b, d->cites, d->ncites);
	}
	if (is_decl) {
		seen[decl] = 1;
		if (c->state[decl] == DS_OVERRIDDEN)
			buf_puts(b, ",\"what_if\":true");
	}
	ExplainSum s;
	summarize(ix, decl, &s);
	const Case *k = applied(d, s.kase);
	if (k) {
		buf_puts(b, ",\"case\":{\"name\":");
		const char *nm = explain_case_name(d, s.kase);
		buf_json_str(b, nm, strlen(nm));
		buf_printf(b, ",\"index\":%d,", s.kase);
		json_loc(b, k->loc);
		buf_puts(b, ",");
		json_cites(b, k->cites, k->ncites);
		buf_puts(b, "}");
	} else {
		buf_puts(b, ",\"case\":null");
	}
	buf_puts(b, ",\"conditions\":[");
	for (int i = 0; i < s.nconds; i++) {
		const Node *n = p->nodes[s.conds[i]->a];
		if (i)
			buf_puts(b, ",");
		buf_puts(b, "{\"text\":");
		const char *t = prog_node_text(p, n);
		buf_json_str(b, t, strlen(t));
		buf_puts(b, ",\"value\":");
		fmt_json(p, s.conds[i]->v, b);
		buf_puts(b, ",");
		json_loc(b, n->loc);
		buf_puts(b, "}");
	}
	buf_puts(b, "],\"facts\":[");
	for (int i = 0; i < s.nfacts; i++) {
		if (i)
			buf_puts(b, ",");
		buf_puts(b, "{\"path\":");
		buf_json_str(b, s.facts[i]->path->data, s.facts[i]->path->len);
		buf_puts(b, ",\"value\":");
		fmt_json(p, s.facts[i]->v, b);
		buf_puts(b, "}");
	}
	buf_puts(b, "],\"uses\":[");
	for (int i = 0; i < s.nuses; i++) {
		if (i)
			buf_puts(b, ",");
		int u = s.uses[i]->a;
		json_node(c, ix, u, frame_label(c, u), s.uses[i]->v, b, seen);
	}
	buf_puts(b, "]}");
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
