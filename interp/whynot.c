/*
 * whynot.c - the smallest change of facts that would flip a yes/no decision.
 *
 * propose() walks the checked tree of a condition with a wanted truth value
 * and returns alternatives ("candidates"), each a set of changes that
 * together should give that value:
 *   - `a and b` wanted true needs both sides (a product of their
 *     candidates), wanted false needs either side (a union); `or` the
 *     other way round; `not` flips what is wanted;
 *   - a comparison of a fact with a value the rules compute (a literal, a
 *     param, another decision) proposes the threshold itself: for
 *     `company.us_export_share >= priority_share` wanted true, the share
 *     10%; for a strict comparison, the threshold plus a small step;
 *   - `fact in [..]` proposes the list's members (or, wanted false, the
 *     other members of the enumeration);
 *   - a yes/no decision or table used by name is opened in turn: a case
 *     whose value is the wanted one, with its condition made true (and, for
 *     a default, the exceptions that now apply made false).
 * Separately, the dates on which a dated parameter or a dated case reached
 * from the decision changes are tried as other as-of dates.
 * Every candidate is VERIFIED by evaluating the decision again in a scratch
 * context with the changes applied; only those that flip it are shown,
 * fewest changes first, and a candidate that contains a smaller verified
 * one is dropped.  A proposal is a guess; verification makes it an answer.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "facts.h"
#include "whynot.h"

#define MAX_CANDS 64    /* alternatives kept per node */
#define MAX_CHANGES 4   /* changes in one alternative */
#define MAX_CHOICES 16  /* values tried for one fact */
#define MAX_DEPTH 12    /* decisions opened inside each other */
#define MAX_DATES 16    /* dated boundaries tried */
#define MAX_TRIES 64    /* evaluations for one candidate */

typedef enum { CH_FACT, CH_ASOF } ChangeKind;
/* How a change is worded: were X / X or more / more than X / ... */
typedef enum { PH_IS, PH_GE, PH_GT, PH_LE, PH_LT } Phrase;

typedef struct Change {
	ChangeKind kind;
	/* CH_FACT: the fact at root.slots[0..nslots) */
	const char *path;
	int root;
	int *slots;
	int nslots;
	const Type **types; /* types[0] is the root's, types[nslots] the fact's */
	Value now;
	Phrase ph;
	Value bound;
	Value *choices;
	int nchoices;
	/* CH_ASOF */
	date_t date;
	const char *because;
} Change;

typedef struct Cand {
	Change **ch;
	int n;
	bool *ok; /* after verification: per change, per choice (MAX_CHOICES each) */
} Cand;

/* A list of alternatives.  No alternative at all: no way was found.  One
 * alternative with no change: the condition already has the wanted value. */
typedef struct Cands {
	Cand *v;
	int n;
} Cands;

typedef struct W {
	const Program *p;
	const Ctx *base;
	Ctx *now; /* the base facts, for the values of sub-expressions */
	int nlocals;
	int depth;
	unsigned char *busy;
	bool stop;
	int status;
	const char *err;
} W;

static const Cands none = {NULL, 0};

static Cands already(void)
{
	Cands c = {GC_MALLOC(sizeof(Cand)), 1};
	return c;
}

static Cands one(Change *ch)
{
	Cands c = {GC_MALLOC(sizeof(Cand)), 1};
	c.v[0].ch = GC_MALLOC(sizeof(Change *));
	c.v[0].ch[0] = ch;
	c.v[0].n = 1;
	return c;
}

static Cands cands_or(Cands a, Cands b)
{
	if (!b.n)
		return a;
	if (!a.n)
		return b;
	Cands c = {GC_MALLOC(sizeof(Cand) * (size_t)(a.n + b.n)), 0};
	for (int i = 0; i < a.n && c.n < MAX_CANDS; i++)
		c.v[c.n++] = a.v[i];
	for (int i = 0; i < b.n && c.n < MAX_CANDS; i++)
		c.v[c.n++] = b.v[i];
	return c;
}

static bool same_fact(const Change *x, const Change *y)
{
	return x->kind == CH_FACT && y->kind == CH_FACT && strcmp(x->path, y->path) == 0;
}

/* Both a and b: every pair, merged; a pair that changes one fact twice is
 * kept only when it is the same change. */
static Cands cands_and(Cands a, Cands b)
{
	Cands c = {GC_MALLOC(sizeof(Cand) * MAX_CANDS), 0};
	for (int i = 0; i < a.n; i++)
		for (int j = 0; j < b.n && c.n < MAX_CANDS; j++) {
			Cand m = {GC_MALLOC(sizeof(Change *) * (size_t)(a.v[i].n + b.v[j].n + 1)), 0, NULL};
			bool clash = false;
			for (int k = 0; k < a.v[i].n; k++)
				m.ch[m.n++] = a.v[i].ch[k];
			for (int k = 0; k < b.v[j].n && !clash; k++) {
				Change *x = b.v[j].ch[k];
				bool dup = false;
				for (int l = 0; l < m.n; l++)
					if (m.ch[l] == x) {
						dup = true;
					} else if (same_fact(m.ch[l], x)) {
						clash = true;
					}
				if (!dup)
					m.ch[m.n++] = x;
			}
			if (!clash && m.n <= MAX_CHANGES)
				c.v[c.n++] = m;
		}
	return c;
}

/* ------------------------------------------------------------ helpers */

static bool is_fact_path(const Node *n)
{
	if (n->series_read)
		return false; /* a fact over time: dated values, not one to change */
	if (n->kind == N_NAME)
		return n->ref == R_FACT;
	if (n->kind == N_FIELD && n->ref == R_NONE)
		return is_fact_path(n->kids[0]);
	return false;
}

static bool is_decl_ref(const Node *n)
{
	return (n->kind == N_NAME || n->kind == N_FIELD) && n->ref == R_DECL && n->decl;
}

/* A value the officer could give for a single fact. */
static bool scalar_type(const Type *t)
{
	switch (t->kind) {
	case TY_BOOL: case TY_INT: case TY_DEC: case TY_MONEY: case TY_PCT:
	case TY_DATE: case TY_DUR: case TY_STR: case TY_HS: case TY_ENUM:
		return true;
	default:
		return false;
	}
}

/* Local variables used outside any `let` or generator inside n: such a node
 * cannot be evaluated on its own. */
static bool free_locals(const Node *n, bool bound)
{
	if (!n)
		return false;
	if (n->kind == N_GEN || n->kind == N_LET || n->kind == N_COMP)
		bound = true;
	if (n->kind == N_NAME && n->ref == R_LOCAL && !bound)
		return true;
	if (n->kind == N_FIELD && n->kids[0]->kind == N_NAME && n->kids[0]->ref == R_LOCAL && !bound)
		return true;
	for (int i = 0; i < n->nkids; i++)
		if (free_locals(n->kids[i], bound))
			return true;
	return false;
}

static Ctx *clone(W *w)
{
	const Ctx *b = w->base;
	Ctx *c = vm_new(b->p);
	memcpy(c->facts, b->facts, sizeof(Value) * (size_t)b->p->nfacts);
	c->as_of = b->as_of;
	c->interrupt = b->interrupt;
	c->max_steps = b->max_steps;
	c->max_bytes = b->max_bytes;
	vm_reset(c);
	return c;
}

static void failed(W *w, Ctx *c, int st)
{
	if (st == ST_INTERRUPTED || st == ST_MEMORY) {
		w->stop = true;
		w->status = st;
		w->err = c->errmsg;
	}
}

/* The value of a sub-expression of a rule for the current facts. */
static bool eval_node(W *w, Node *n, Value *out)
{
	if (n->is_const) {
		*out = n->k;
		return true;
	}
	if (w->stop || free_locals(n, false))
		return false;
	Chunk *ch = cg_expr(w->p, NULL, n, w->nlocals + 8, false, "why");
	int st = vm_eval_chunk(w->now, ch, out);
	if (st != ST_OK) {
		failed(w, w->now, st);
		return false;
	}
	return true;
}

static Change *fact_change(W *w, const Node *n)
{
	Change *ch = GC_MALLOC(sizeof *ch);
	ch->kind = CH_FACT;
	int depth = 0;
	const Node *m;
	for (m = n; m->kind == N_FIELD; m = m->kids[0])
		depth++;
	ch->root = m->slot;
	ch->nslots = depth;
	ch->slots = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(depth + 1));
	int i = depth - 1;
	for (m = n; m->kind == N_FIELD; m = m->kids[0])
		ch->slots[i--] = m->slot;
	ch->types = GC_MALLOC(sizeof(Type *) * (size_t)(depth + 1));
	ch->types[0] = w->p->facts[ch->root]->type;
	char *path = xprintf("%s", w->p->facts[ch->root]->name);
	for (i = 0; i < depth; i++) {
		const Field *f = &ch->types[i]->def->fields[ch->slots[i]];
		ch->types[i + 1] = f->type;
		path = xprintf("%s.%s", path, f->name);
	}
	ch->path = path;
	if (!eval_node(w, (Node *)n, &ch->now))
		ch->now = val_unknown(NULL);
	ch->choices = GC_MALLOC(sizeof(Value) * MAX_CHOICES);
	return ch;
}

static const Type *fact_type(const Change *ch)
{
	return ch->types[ch->nslots];
}

static void add_choice(Change *ch, Value v)
{
	if (ch->nchoices >= MAX_CHOICES || v.tag == V_UNKNOWN)
		return;
	for (int i = 0; i < ch->nchoices; i++)
		if (val_equal(ch->choices[i], v))
			return;
	ch->choices[ch->nchoices++] = v;
}

/* Put v at the change's place in c, making the records on the way exist. */
static void set_fact(W *w, Ctx *c, const Change *ch, Value v)
{
	for (int i = 0; i < ch->nslots; i++) {
		Value at = c->facts[ch->root];
		for (int k = 0; k < i && at.tag == V_REC; k++)
			at = at.as.r->f[ch->slots[k]];
		if (at.tag != V_REC) {
			char *path = xprintf("%s", w->p->facts[ch->root]->name);
			for (int k = 0; k < i; k++)
				path = xprintf("%s.%s", path, ch->types[k]->def->fields[ch->slots[k]].name);
			facts_set_path(c, ch->root, ch->slots, i, facts_absent(w->p, ch->types[i], NULL, path));
		}
	}
	facts_set_path(c, ch->root, ch->slots, ch->nslots, v);
}

/* ---------------------------------------------------- thresholds */

static int mirror(int op)
{
	switch (op) {
	case BIN_LT: return BIN_GT;
	case BIN_LE: return BIN_GE;
	case BIN_GT: return BIN_LT;
	case BIN_GE: return BIN_LE;
	default: return op;
	}
}

static int negate(int op)
{
	switch (op) {
	case BIN_LT: return BIN_GE;
	case BIN_LE: return BIN_GT;
	case BIN_GT: return BIN_LE;
	case BIN_GE: return BIN_LT;
	case BIN_EQ: return BIN_NE;
	default: return BIN_EQ;
	}
}

/* The bound as a value of the fact's type: a whole-number fact compared
 * with 2.5 needs 3 for `>= 2.5`. */
/* Whether choice i of a finite type (a member, or false/true) can be
 * offered as it is: a member that carries a value has no value to offer. */
static bool offerable(const Type *t, int i)
{
	return t->kind != TY_ENUM || !t->def->member_types || !t->def->member_types[i];
}

static bool convert(const Type *t, Value b, DecRound mode, Value *out)
{
	switch (t->kind) {
	case TY_INT:
		if (b.tag == V_INT) {
			*out = b;
			return true;
		}
		if (b.tag == V_DEC) {
			Dec r;
			int64_t i;
			if (dec_round(val_get_dec(b), 0, mode, &r) != DEC_OK || !dec_to_int(r, &i))
				return false;
			*out = val_int(i);
			return true;
		}
		return false;
	case TY_DEC:
		if (b.tag == V_INT) {
			*out = val_dec(V_DEC, dec_from_int(b.as.i), 0);
			return true;
		}
		return b.tag == V_DEC && (*out = b, true);
	case TY_MONEY: return b.tag == V_MONEY && (!t->cur || !b.cur || t->cur == b.cur) && (*out = b, true);
	case TY_PCT: return b.tag == V_PCT && (*out = b, true);
	case TY_DATE: return b.tag == V_DATE && (*out = b, true);
	case TY_DUR: return b.tag == V_DUR && (*out = b, true);
	case TY_BOOL: return b.tag == V_BOOL && (*out = b, true);
	case TY_STR: return b.tag == V_STR && (*out = b, true);
	case TY_HS: return b.tag == V_HS && (*out = b, true);
	case TY_ENUM: return b.tag == V_ENUM && (*out = b, true);
	default: return false;
	}
}

/* The bound moved by a small step (sign +1 or -1): a witness for a strict
 * comparison.  The wording still says "more than 10%". */
static bool step(Value b, Value now, int sign, Value *out)
{
	switch ((ValueTag)b.tag) {
	case V_INT:
		*out = val_int(b.as.i + sign);
		return true;
	case V_DATE: {
		date_t d;
		if (date_add_days((date_t)b.as.i, sign, &d) != 0)
			return false;
		*out = val_date(d);
		return true;
	}
	case V_DUR:
		*out = val_dur(b.as.i + sign, (DurUnit)b.cur);
		return true;
	case V_DEC:
	case V_MONEY:
	case V_PCT: {
		Dec x = val_get_dec(b), r;
		int e = b.tag == V_PCT ? -4 : -2;
		if (x.exp < e)
			e = x.exp;
		if (val_is_declike(now) && now.tag == b.tag && val_get_dec(now).exp < e)
			e = val_get_dec(now).exp;
		Dec s = {sign, e};
		if (dec_add(x, s, &r) != DEC_OK)
			return false;
		*out = val_dec((ValueTag)b.tag, r, b.cur);
		return true;
	}
	default:
		return false;
	}
}

/* ---------------------------------------------------------- proposing */

static Cands propose(W *w, Node *n, bool want);

static Cands propose_cmp(W *w, Node *n, bool want)
{
	int op = want ? n->op : negate(n->op);
	Cands out = none;
	for (int side = 0; side < 2; side++) {
		Node *f = n->kids[side], *o = n->kids[1 - side];
		if (!is_fact_path(f) || !scalar_type(f->type))
			continue;
		Value b;
		if (!eval_node(w, o, &b) || b.tag == V_UNKNOWN)
			continue;
		int sop = side == 0 ? op : mirror(op);
		Change *ch = fact_change(w, f);
		const Type *t = fact_type(ch);
		Value v, s;
		switch (sop) {
		case BIN_EQ:
			ch->ph = PH_IS;
			if (convert(t, b, DEC_TRUNC, &v) && (t->kind != TY_INT || b.tag == V_INT || dec_sign(val_get_dec(b)) == 0 ||
							     val_equal(val_dec(V_DEC, dec_from_int(v.as.i), 0), b)))
				add_choice(ch, v);
			break;
		case BIN_NE:
			ch->ph = PH_IS;
			if (t->kind == TY_ENUM && b.tag == V_ENUM) {
				for (int i = 0; i < t->def->nmembers; i++)
					if (i != val_member(b) && offerable(t, i))
						add_choice(ch, val_enum(t->def->id, i));
			} else if (t->kind == TY_BOOL && b.tag == V_BOOL) {
				add_choice(ch, val_bool(!b.as.i));
			}
			break;
		case BIN_GE:
		case BIN_LE:
			ch->ph = sop == BIN_GE ? PH_GE : PH_LE;
			if (convert(t, b, sop == BIN_GE ? DEC_CEIL : DEC_FLOOR, &v)) {
				ch->bound = v;
				add_choice(ch, v);
			}
			break;
		case BIN_GT:
		case BIN_LT:
			ch->ph = sop == BIN_GT ? PH_GT : PH_LT;
			if (convert(t, b, sop == BIN_GT ? DEC_FLOOR : DEC_CEIL, &v)) {
				ch->bound = b;
				if (step(v, ch->now, sop == BIN_GT ? 1 : -1, &s))
					add_choice(ch, s);
			}
			break;
		}
		if (ch->nchoices)
			out = cands_or(out, one(ch));
	}
	return out;
}

static Cands propose_in(W *w, Node *n, bool want)
{
	Node *f = n->kids[0];
	if (n->op != 0 || !is_fact_path(f) || !scalar_type(f->type))
		return none;
	Value l;
	if (!eval_node(w, n->kids[1], &l) || l.tag != V_LIST)
		return none;
	Change *ch = fact_change(w, f);
	ch->ph = PH_IS;
	const Type *t = fact_type(ch);
	if (want) {
		for (uint32_t i = 0; i < l.as.l->len; i++) {
			Value v;
			if (convert(t, l.as.l->items[i], DEC_TRUNC, &v))
				add_choice(ch, v);
		}
	} else if (t->kind == TY_ENUM || t->kind == TY_BOOL) {
		int n_all = t->kind == TY_BOOL ? 2 : t->def->nmembers;
		for (int i = 0; i < n_all; i++) {
			if (!offerable(t, i))
				continue;
			Value v = t->kind == TY_BOOL ? val_bool(i) : val_enum(t->def->id, i);
			bool listed = false;
			for (uint32_t k = 0; k < l.as.l->len; k++)
				if (l.as.l->items[k].tag == v.tag && val_equal(l.as.l->items[k], v))
					listed = true;
			if (!listed)
				add_choice(ch, v);
		}
	}
	return ch->nchoices ? one(ch) : none;
}

static bool const_is(const Node *n, bool want)
{
	return n->is_const && n->k.tag == V_BOOL && (bool)n->k.as.i == want;
}

/* Does case k of d apply now (or might it: unknown)? */
static bool applies(W *w, Case *k)
{
	if (!k->cond)
		return true;
	Value v;
	if (!eval_node(w, k->cond, &v))
		return true;
	return v.tag == V_UNKNOWN || (v.tag == V_BOOL && v.as.i);
}

static Cands propose_decl(W *w, Decl *d, bool want)
{
	if ((d->kind != D_DECISION && d->kind != D_TABLE) || w->depth >= MAX_DEPTH || w->busy[d->index])
		return none;
	w->busy[d->index] = 1;
	w->depth++;
	int saved = w->nlocals;
	w->nlocals = d->nlocals;
	Cands out = none;
	for (int i = 0; i < d->ncases && !w->stop; i++) {
		Case *k = &d->cases[i];
		Cands val = k->value->is_const ? (const_is(k->value, want) ? already() : none) : propose(w, k->value, want);
		if (!val.n)
			continue;
		Cands alt = val;
		if (k->cond)
			alt = cands_and(propose(w, k->cond, true), alt);
		/* what now beats this case must stop applying: for a default, the
		 * exceptions; for a table row (hit first), the rows above it */
		Cands quiet = already();
		bool any = false;
		for (int j = 0; j < d->ncases; j++) {
			Case *o = &d->cases[j];
			if (j == i || !o->cond || (d->kind == D_TABLE && j > i) || (d->kind == D_DECISION && k->cond))
				continue;
			if (!o->value->is_const || const_is(o->value, want) || !applies(w, o))
				continue;
			quiet = cands_and(quiet, propose(w, o->cond, false));
			any = true;
		}
		if (any)
			alt = cands_and(alt, quiet);
		out = cands_or(out, alt);
		/* an exception made to apply may meet another exception that applies
		 * now: offer to quiet those as well */
		if (k->cond && d->kind == D_DECISION) {
			Cands both = alt;
			bool more = false;
			for (int j = 0; j < d->ncases; j++) {
				Case *o = &d->cases[j];
				if (j == i || !o->cond || !o->value->is_const || const_is(o->value, want) || !applies(w, o))
					continue;
				both = cands_and(both, propose(w, o->cond, false));
				more = true;
			}
			if (more)
				out = cands_or(out, both);
		}
	}
	w->nlocals = saved;
	w->depth--;
	w->busy[d->index] = 0;
	return out;
}

static Cands propose(W *w, Node *n, bool want)
{
	if (w->stop)
		return none;
	Value now;
	if (eval_node(w, n, &now) && now.tag == V_BOOL && (bool)now.as.i == want)
		return already();
	switch (n->kind) {
	case N_BINARY:
		switch (n->op) {
		case BIN_AND:
			return want ? cands_and(propose(w, n->kids[0], true), propose(w, n->kids[1], true))
				    : cands_or(propose(w, n->kids[0], false), propose(w, n->kids[1], false));
		case BIN_OR:
			return want ? cands_or(propose(w, n->kids[0], true), propose(w, n->kids[1], true))
				    : cands_and(propose(w, n->kids[0], false), propose(w, n->kids[1], false));
		case BIN_EQ: case BIN_NE: case BIN_LT: case BIN_LE: case BIN_GT: case BIN_GE:
			return propose_cmp(w, n, want);
		default:
			return none;
		}
	case N_UNARY:
		return n->op == UN_NOT ? propose(w, n->kids[0], !want) : none;
	case N_IN:
		return propose_in(w, n, want);
	case N_OTHERWISE:
		return propose(w, n->kids[0], want);
	case N_IF:
		return cands_or(cands_and(propose(w, n->kids[0], true), propose(w, n->kids[1], want)),
				cands_and(propose(w, n->kids[0], false), propose(w, n->kids[2], want)));
	case N_NAME:
	case N_FIELD:
		if (is_decl_ref(n) && n->decl->type && n->decl->type->kind == TY_BOOL)
			return propose_decl(w, n->decl, want);
		if (is_fact_path(n) && n->type && n->type->kind == TY_BOOL) {
			Change *ch = fact_change(w, n);
			ch->ph = PH_IS;
			add_choice(ch, val_bool(want));
			return one(ch);
		}
		return none;
	default:
		return none;
	}
}

/* --------------------------------------------------------- verifying */

static bool try_picks(W *w, int decl, bool want, const Cand *c, const int *pick)
{
	Ctx *x = clone(w);
	for (int i = 0; i < c->n; i++) {
		const Change *ch = c->ch[i];
		if (ch->kind == CH_ASOF)
			x->as_of = ch->date;
		else
			set_fact(w, x, ch, ch->choices[pick[i]]);
	}
	vm_reset(x);
	Value v;
	int st = vm_eval_decl(x, decl, &v);
	if (st != ST_OK) {
		failed(w, x, st);
		return false;
	}
	return v.tag == V_BOOL && (bool)v.as.i == want;
}

/* Find one combination of choices that flips the decision, then which
 * other choices of each change also do with the rest kept. */
static bool verify(W *w, int decl, bool want, Cand *c)
{
	int *pick = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(c->n + 1));
	memset(pick, 0, sizeof(int) * (size_t)(c->n + 1));
	bool found = false;
	for (int tries = 0; tries < MAX_TRIES && !w->stop; tries++) {
		if (try_picks(w, decl, want, c, pick)) {
			found = true;
			break;
		}
		int i = 0;
		while (i < c->n && ++pick[i] >= (c->ch[i]->kind == CH_FACT ? c->ch[i]->nchoices : 1))
			pick[i++] = 0;
		if (i == c->n)
			break;
	}
	if (!found)
		return false;
	c->ok = GC_MALLOC(sizeof(bool) * (size_t)c->n * MAX_CHOICES);
	int *alt = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(c->n + 1));
	for (int i = 0; i < c->n; i++) {
		c->ok[i * MAX_CHOICES + pick[i]] = true;
		if (c->ch[i]->kind != CH_FACT)
			continue;
		for (int j = 0; j < c->ch[i]->nchoices && !w->stop; j++) {
			if (j == pick[i])
				continue;
			memcpy(alt, pick, sizeof(int) * (size_t)c->n);
			alt[i] = j;
			c->ok[i * MAX_CHOICES + j] = try_picks(w, decl, want, c, alt);
		}
	}
	return true;
}

/* a's changes are all among b's */
static bool subset(const Cand *a, const Cand *b)
{
	for (int i = 0; i < a->n; i++) {
		bool in = false;
		for (int j = 0; j < b->n && !in; j++)
			in = a->ch[i] == b->ch[j] || same_fact(a->ch[i], b->ch[j]) ||
			     (a->ch[i]->kind == CH_ASOF && b->ch[j]->kind == CH_ASOF && a->ch[i]->date == b->ch[j]->date);
		if (!in)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------- dates */

static void reach(const Program *p, Decl *d, unsigned char *seen, Decl ***out, int *n)
{
	for (int i = 0; i < d->ndeps; i++) {
		Decl *x = d->deps[i];
		if (!x)
			continue;
		int key = x->kind == D_FUNCTION ? p->ndecls + x->index : x->index;
		if (seen[key])
			continue;
		seen[key] = 1;
		AST_PUSH(*out, *n, x);
		reach(p, x, seen, out, n);
	}
}

/* Nearest to the current date first; of two as near, the later (the
 * future is what officers plan for). */
static void sort_by_distance(date_t *d, int n, date_t base)
{
	for (int i = 1; i < n; i++) {
		date_t x = d[i];
		long dx = labs((long)x - base);
		int j = i;
		for (; j > 0; j--) {
			long dy = labs((long)d[j - 1] - base);
			if (dy < dx || (dy == dx && d[j - 1] > x))
				break;
			d[j] = d[j - 1];
		}
		d[j] = x;
	}
}

static Cands date_cands(W *w, Decl *d, bool want)
{
	const Program *p = w->p;
	unsigned char *seen = GC_MALLOC_ATOMIC((size_t)(p->ndecls + p->nfuncs + 1));
	memset(seen, 0, (size_t)(p->ndecls + p->nfuncs + 1));
	Decl **ds = NULL;
	int nd = 0;
	seen[d->index] = 1;
	AST_PUSH(ds, nd, d);
	reach(p, d, seen, &ds, &nd);
	date_t *dates = NULL;
	int ndates = 0;
	for (int i = 0; i < nd; i++) {
		if (ds[i]->kind == D_FUNCTION)
			continue;
		for (int k = 0; k < ds[i]->ncases; k++) {
			const char *when[2] = {ds[i]->cases[k].from, ds[i]->cases[k].until};
			for (int e = 0; e < 2; e++) {
				date_t t;
				if (!when[e] || date_parse(when[e], strlen(when[e]), &t) != 0 || t == w->base->as_of)
					continue;
				bool dup = false;
				for (int j = 0; j < ndates; j++)
					dup |= dates[j] == t;
				if (!dup)
					AST_PUSH(dates, ndates, t);
			}
		}
	}
	if (!ndates)
		return none;
	sort_by_distance(dates, ndates, w->base->as_of);
	Cands out = none;
	int kept = 0;
	for (int i = 0; i < ndates && i < MAX_DATES && kept < 2 && !w->stop; i++) {
		Change *ch = GC_MALLOC(sizeof *ch);
		ch->kind = CH_ASOF;
		ch->date = dates[i];
		Cand c = {&ch, 1, NULL};
		int pick = 0;
		if (!try_picks(w, d->index, want, &c, &pick))
			continue;
		/* which dated rules change on the way there */
		Ctx *then = clone(w);
		then->as_of = dates[i];
		vm_reset(then);
		char *because = NULL;
		for (int j = 0; j < nd; j++) {
			Decl *x = ds[j];
			if (x->kind == D_FUNCTION || x == d)
				continue;
			bool dated = false;
			for (int k = 0; k < x->ncases; k++)
				dated |= x->cases[k].from || x->cases[k].until;
			if (!dated)
				continue;
			Value a, b;
			if (vm_eval_decl(w->now, x->index, &a) != ST_OK || vm_eval_decl(then, x->index, &b) != ST_OK)
				continue;
			const char *ta = fmt_value_str(p, a), *tb = fmt_value_str(p, b);
			if (strcmp(ta, tb) == 0)
				continue;
			const char *part = xprintf("%s is %s", x->name, tb);
			because = because ? xprintf("%s and %s", because, part) : (char *)part;
		}
		ch->because = because;
		Cands one_c = one(ch);
		one_c.v[0].ok = GC_MALLOC(sizeof(bool) * MAX_CHOICES);
		one_c.v[0].ok[0] = true;
		out = cands_or(out, one_c);
		kept++;
	}
	return out;
}

/* -------------------------------------------------------- fallback */

/* When the tree gives no answer (the decision compares a computed amount,
 * say), try each other value of every enumeration and yes/no fact the
 * evaluation read, one at a time; verification keeps those that flip it. */
static Cands read_fact_cands(W *w, Decl *d)
{
	Ctx *t = clone(w);
	t->trace = true;
	Value v;
	if (vm_eval_decl(t, d->index, &v) != ST_OK) {
		failed(w, t, t->status);
		return none;
	}
	Cands out = none;
	const char **seen = NULL;
	int nseen = 0;
	for (int i = 0; i < t->nev; i++) {
		if (t->ev[i].kind != TR_FACT || strchr(t->ev[i].path->data, '['))
			continue;
		const char *path = t->ev[i].path->data;
		bool dup = false;
		for (int k = 0; k < nseen && !dup; k++)
			dup = strcmp(seen[k], path) == 0;
		if (dup)
			continue;
		AST_PUSH(seen, nseen, path);
		/* the fact's place: its root, then a field per dot */
		const char *dot = strchr(path, '.');
		size_t rl = dot ? (size_t)(dot - path) : strlen(path);
		int root = -1;
		for (int k = 0; k < w->p->nfacts; k++)
			if (strlen(w->p->facts[k]->name) == rl && strncmp(w->p->facts[k]->name, path, rl) == 0)
				root = k;
		if (root < 0)
			continue;
		Change *ch = GC_MALLOC(sizeof *ch);
		ch->kind = CH_FACT;
		ch->path = path;
		ch->root = root;
		ch->slots = GC_MALLOC_ATOMIC(sizeof(int) * 16);
		ch->types = GC_MALLOC(sizeof(Type *) * 17);
		ch->types[0] = w->p->facts[root]->type;
		bool ok = true;
		for (const char *seg = dot; seg && ok; seg = strchr(seg + 1, '.')) {
			const Type *at = ch->types[ch->nslots];
			const char *end = strchr(seg + 1, '.');
			size_t n = end ? (size_t)(end - seg - 1) : strlen(seg + 1);
			ok = at->kind == TY_REC && ch->nslots < 15;
			int slot = -1;
			for (int k = 0; ok && k < at->def->nfields; k++)
				if (strlen(at->def->fields[k].name) == n && strncmp(at->def->fields[k].name, seg + 1, n) == 0)
					slot = k;
			ok = ok && slot >= 0;
			if (ok) {
				ch->slots[ch->nslots] = slot;
				ch->types[ch->nslots + 1] = at->def->fields[slot].type;
				ch->nslots++;
			}
		}
		const Type *ft = ok ? fact_type(ch) : NULL;
		if (!ft || (ft->kind != TY_ENUM && ft->kind != TY_BOOL))
			continue;
		ch->now = t->ev[i].v;
		ch->ph = PH_IS;
		ch->choices = GC_MALLOC(sizeof(Value) * MAX_CHOICES);
		int n_all = ft->kind == TY_BOOL ? 2 : ft->def->nmembers;
		for (int k = 0; k < n_all; k++) {
			Value x = ft->kind == TY_BOOL ? val_bool(k) : val_enum(ft->def->id, k);
			if (offerable(ft, k) && (ch->now.tag == V_UNKNOWN || !val_equal(ch->now, x)))
				add_choice(ch, x);
		}
		if (ch->nchoices)
			out = cands_or(out, one(ch));
	}
	return out;
}

/* ------------------------------------------------------------- words */

static void value_text(const Program *p, Value v, Buf *b)
{
	if (v.tag == V_UNKNOWN)
		buf_puts(b, "not given");
	else
		fmt_value(p, v, b);
}

static bool later_words(const Change *ch)
{
	return fact_type(ch)->kind == TY_DATE;
}

static void change_text(const Program *p, const Cand *c, int i, Buf *b)
{
	const Change *ch = c->ch[i];
	if (ch->kind == CH_ASOF) {
		char day[DATE_TEXT_LEN + 1];
		date_format(ch->date, day);
		buf_printf(b, "as of %s", day);
		if (ch->because)
			buf_printf(b, ", when %s", ch->because);
		return;
	}
	buf_printf(b, "%s were ", ch->path);
	bool dates = later_words(ch);
	switch (ch->ph) {
	case PH_IS: {
		int k = 0;
		for (int j = 0; j < ch->nchoices; j++)
			if (c->ok[i * MAX_CHOICES + j]) {
				if (k++)
					buf_puts(b, " or ");
				fmt_value(p, ch->choices[j], b);
			}
		break;
	}
	case PH_GE:
		fmt_value(p, ch->bound, b);
		buf_puts(b, dates ? " or later" : " or more");
		break;
	case PH_LE:
		fmt_value(p, ch->bound, b);
		buf_puts(b, dates ? " or earlier" : " or less");
		break;
	case PH_GT:
		buf_puts(b, dates ? "later than " : "more than ");
		fmt_value(p, ch->bound, b);
		break;
	case PH_LT:
		buf_puts(b, dates ? "earlier than " : "less than ");
		fmt_value(p, ch->bound, b);
		break;
	}
}

static void cand_text(const Program *p, const Cand *c, Buf *b)
{
	if (c->n == 1) {
		if (c->ch[0]->kind == CH_FACT)
			buf_puts(b, "if ");
		change_text(p, c, 0, b);
		if (c->ch[0]->kind == CH_FACT) {
			buf_puts(b, "; it is ");
			value_text(p, c->ch[0]->now, b);
		}
		return;
	}
	buf_puts(b, "if ");
	for (int i = 0; i < c->n; i++) {
		if (i)
			buf_puts(b, i == c->n - 1 ? " and " : ", ");
		change_text(p, c, i, b);
		if (c->ch[i]->kind == CH_FACT) {
			buf_puts(b, " (it is ");
			value_text(p, c->ch[i]->now, b);
			buf_puts(b, ")");
		}
	}
}

static int by_size(const void *a, const void *b)
{
	const Cand *x = *(const Cand *const *)a, *y = *(const Cand *const *)b;
	bool dx = x->n && x->ch[0]->kind == CH_ASOF, dy = y->n && y->ch[0]->kind == CH_ASOF;
	if (dx != dy)
		return dx - dy;
	if (x->n != y->n)
		return x->n - y->n;
	return x < y ? -1 : x > y;
}

int whynot_explain(const Ctx *base, int decl, bool want, Buf *out, const char **err)
{
	const Program *p = base->p;
	Decl *d = p->decls[decl];
	W w = {p, base, NULL, d->nlocals, 0, NULL, false, ST_OK, NULL};
	w.busy = GC_MALLOC_ATOMIC((size_t)p->ndecls + 1);
	memset(w.busy, 0, (size_t)p->ndecls + 1);
	w.now = clone(&w);
	Value v;
	int st = vm_eval_decl(w.now, decl, &v);
	if (st != ST_OK) {
		*err = w.now->errmsg;
		return st;
	}
	const char *truth = want ? "true" : "false";
	buf_printf(out, "%s is ", d->qname);
	fmt_value(p, v, out);
	if (v.tag == V_UNKNOWN && v.as.m && v.as.m->len) {
		buf_puts(out, ": it needs ");
		for (uint32_t i = 0; i < v.as.m->len; i++)
			buf_printf(out, "%s%s", i ? (i + 1 == v.as.m->len ? " and " : ", ") : "", v.as.m->paths[i]->data);
	}
	buf_puts(out, ".\n");
	if (v.tag == V_BOOL && (bool)v.as.i == want) {
		buf_printf(out, "It is already %s.\n", truth);
		return ST_OK;
	}

	Cands c = propose_decl(&w, d, want);
	Cand **ok = NULL;
	int nok = 0;
	for (int i = 0; i < c.n && !w.stop; i++) {
		if (!c.v[i].n)
			continue;
		bool dup = false;
		for (int j = 0; j < nok && !dup; j++)
			dup = subset(ok[j], &c.v[i]);
		if (dup)
			continue;
		if (!verify(&w, decl, want, &c.v[i]))
			continue;
		/* a smaller answer found later replaces the larger ones */
		for (int j = 0; j < nok; j++)
			if (subset(&c.v[i], ok[j]))
				ok[j--] = ok[--nok];
		AST_PUSH(ok, nok, &c.v[i]);
	}
	if (!nok && !w.stop) {
		Cands fc = read_fact_cands(&w, d);
		for (int i = 0; i < fc.n && !w.stop; i++)
			if (verify(&w, decl, want, &fc.v[i]))
				AST_PUSH(ok, nok, &fc.v[i]);
	}
	if (!w.stop) {
		Cands dc = date_cands(&w, d, want);
		for (int i = 0; i < dc.n; i++)
			AST_PUSH(ok, nok, &dc.v[i]);
	}
	if (w.stop) {
		*err = w.err ? w.err : "interrupted";
		return w.status;
	}
	if (!nok) {
		buf_printf(out, "No change of a fact or of the date was found that makes it %s; 'explain %s' shows how it was decided.\n",
			   truth, prog_find_decl(p, d->name) == d ? d->name : d->qname);
		return ST_OK;
	}
	qsort(ok, (size_t)nok, sizeof *ok, by_size);
	for (int i = 0; i < nok && i < WHYNOT_MAX_ANSWERS; i++) {
		buf_printf(out, "%s ", i ? "Or it would be" : "It would be");
		buf_puts(out, truth);
		buf_puts(out, " ");
		cand_text(p, ok[i], out);
		buf_puts(out, ".\n");
	}
	if (nok > WHYNOT_MAX_ANSWERS)
		buf_printf(out, "(%d more ways are not shown)\n", nok - WHYNOT_MAX_ANSWERS);
	return ST_OK;
}
