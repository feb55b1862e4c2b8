/*
 * tables.c - overlap and gap warnings for decision tables.
 *
 * Where each row's condition is a conjunction of simple tests of the same
 * inputs against constants (`size = sme`, `share >= 10%`, `x in [a, b]`,
 * `flag`, `not flag`; the cell tests of a table with input columns are
 * written so by the parser), the rows can be compared before anything runs:
 *   - in a `hit unique` table, two rows that can both apply are reported
 *     with an example of when they do; in a `hit any` table, only when
 *     their values may differ;
 *   - under `hit first`, a row that applies only where an earlier row
 *     applies is never chosen; under `hit priority`, likewise a row whose
 *     value ranks no higher than that of a row it lies within;
 *   - in a table that picks one row and has no default row, values for
 *     which no row applies are reported (a gap).  Over several inputs,
 *     each input's values are cut into the pieces the rows' bounds make
 *     (each member; each bound and the stretches between), and every
 *     combination of pieces is tried against the rows, within a bounded
 *     number of them.
 * Tables whose conditions are anything else are left alone: the check only
 * speaks when it can be sure.
 */
#include "mem.h"
#include <string.h>

#include "arith.h"
#include "format.h"
#include "tables.h"
#include "vm.h"

#define TAB_MAX_PAIRS 20000   /* pairs of rows compared per table */
#define TAB_MAX_FINDINGS 20   /* overlaps reported per table */
#define TAB_MAX_CELLS 100000  /* combinations of pieces of inputs tried for a gap */
#define TAB_MAX_TESTS 4000000 /* and tests of them against rows' conditions */

/* A set of values of one input: a union of intervals over an ordered
 * domain, or a set of members of a finite domain (enum, bool). */
typedef struct Ival {
	bool has_lo, has_hi, lo_in, hi_in;
	Value lo, hi;
} Ival;

typedef struct Constraint {
	const char *input; /* the input's source text, e.g. company.us_export_share */
	const Node *node;
	bool finite;       /* enum or bool: members[] */
	int nmembers;
	unsigned char *members; /* finite: which members are allowed */
	Ival *iv;          /* ordered: union of intervals */
	int niv;
} Constraint;

typedef struct Row {
	Constraint *c;
	int n;
} Row;

static int domain_size(const Type *t)
{
	if (t->kind == TY_BOOL)
		return 2;
	if (t->kind == TY_ENUM)
		return t->def->nmembers;
	return 0;
}

static bool ordered_type(const Type *t)
{
	return t->kind == TY_INT || t->kind == TY_DEC || t->kind == TY_PCT || t->kind == TY_MONEY || t->kind == TY_DATE;
}

static Constraint *find(const Row *r, const char *input)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->c[i].input, input) == 0)
			return &r->c[i];
	return NULL;
}

static Constraint *get(Row *r, const Program *p, const Node *x)
{
	const char *in = prog_node_text(p, x);
	Constraint *c = find(r, in);
	if (c)
		return c;
	Constraint nc = {0};
	nc.input = in;
	nc.node = x;
	int size = domain_size(x->type);
	if (size) {
		nc.finite = true;
		nc.nmembers = size;
		nc.members = GC_MALLOC_ATOMIC((size_t)size);
		memset(nc.members, 1, (size_t)size);
	} else {
		nc.iv = GC_MALLOC(sizeof(Ival));
		memset(nc.iv, 0, sizeof(Ival));
		nc.niv = 1; /* everything */
	}
	AST_PUSH(r->c, r->n, nc);
	return &r->c[r->n - 1];
}

static int member_index(Value k)
{
	return k.tag == V_BOOL ? (int)k.as.i : (int)k.as.i;
}

/* Intersect interval a with b. Returns false when empty. */
static bool meet(Ival a, Ival b, Ival *out)
{
	Ival r = a;
	if (b.has_lo) {
		int c = r.has_lo ? ar_order(b.lo, r.lo) : 1;
		if (c > 0 || (c == 0 && !b.lo_in)) {
			r.lo = b.lo;
			r.lo_in = b.lo_in;
			r.has_lo = true;
		}
	}
	if (b.has_hi) {
		int c = r.has_hi ? ar_order(b.hi, r.hi) : -1;
		if (c < 0 || (c == 0 && !b.hi_in)) {
			r.hi = b.hi;
			r.hi_in = b.hi_in;
			r.has_hi = true;
		}
	}
	if (r.has_lo && r.has_hi) {
		int c = ar_order(r.lo, r.hi);
		if (c > 0 || (c == 0 && !(r.lo_in && r.hi_in)))
			return false;
	}
	*out = r;
	return true;
}

/* Restrict constraint c to the intervals `with` (a union). */
static void restrict_to(Constraint *c, const Ival *with, int nwith)
{
	Ival *out = NULL;
	int n = 0;
	for (int i = 0; i < c->niv; i++)
		for (int j = 0; j < nwith; j++) {
			Ival m;
			if (meet(c->iv[i], with[j], &m))
				AST_PUSH(out, n, m);
		}
	c->iv = out;
	c->niv = n;
}

/* `x in [constants]`: x's members or points limited to the list's. */
static bool atom_in(Row *r, const Program *p, const Node *n, bool negate)
{
	const Node *x = n->kids[0];
	List *l = n->kids[1]->k.as.l;
	Constraint *c = get(r, p, x);
	if (c->finite) {
		unsigned char *in = GC_MALLOC_ATOMIC((size_t)c->nmembers);
		memset(in, 0, (size_t)c->nmembers);
		for (uint32_t i = 0; i < l->len; i++) {
			int m = member_index(l->items[i]);
			if (m >= 0 && m < c->nmembers)
				in[m] = 1;
		}
		for (int i = 0; i < c->nmembers; i++)
			if (negate ? in[i] : !in[i])
				c->members[i] = 0;
		return true;
	}
	if (!ordered_type(x->type) || negate)
		return false;
	Ival *pts = GC_MALLOC(sizeof(Ival) * (l->len + 1));
	for (uint32_t i = 0; i < l->len; i++)
		pts[i] = (Ival){true, true, true, true, l->items[i], l->items[i]};
	restrict_to(c, pts, (int)l->len);
	return true;
}

/* `x op constant` (either way round): x's members or interval limited. */
static bool atom_compare(Row *r, const Program *p, const Node *n, bool negate)
{
	int op = n->op;
	const Node *x = n->kids[0], *k = n->kids[1];
	if (x->is_const && !k->is_const) {
		const Node *t = x;
		x = k;
		k = t;
		op = op == BIN_LT ? BIN_GT : op == BIN_GT ? BIN_LT : op == BIN_LE ? BIN_GE : op == BIN_GE ? BIN_LE : op;
	}
	if (x->is_const || !k->is_const || k->k.tag == V_UNKNOWN)
		return false;
	if (negate) {
		switch (op) {
		case BIN_LT: op = BIN_GE; break;
		case BIN_LE: op = BIN_GT; break;
		case BIN_GT: op = BIN_LE; break;
		case BIN_GE: op = BIN_LT; break;
		case BIN_EQ: op = BIN_NE; break;
		case BIN_NE: op = BIN_EQ; break;
		default: return false;
		}
	}
	Constraint *c = get(r, p, x);
	if (c->finite) {
		int m = member_index(k->k);
		if (m < 0 || m >= c->nmembers || (op != BIN_EQ && op != BIN_NE))
			return false;
		for (int i = 0; i < c->nmembers; i++)
			if (op == BIN_EQ ? i != m : i == m)
				c->members[i] = 0;
		return true;
	}
	if (!ordered_type(x->type))
		return false;
	Ival iv = {0};
	Value v = k->k;
	/* whole numbers: a strict bound is the inclusive one next to it, so
	 * `x < 10` and `x >= 10` meet without a gap */
	if (x->type->kind == TY_INT && v.tag == V_INT && (op == BIN_LT || op == BIN_GT) && v.as.i > INT64_MIN + 1 &&
	    v.as.i < INT64_MAX - 1) {
		v = val_int(op == BIN_LT ? v.as.i - 1 : v.as.i + 1);
		op = op == BIN_LT ? BIN_LE : BIN_GE;
	}
	switch (op) {
	case BIN_LT: iv = (Ival){false, true, false, false, v, v}; break;
	case BIN_LE: iv = (Ival){false, true, false, true, v, v}; break;
	case BIN_GT: iv = (Ival){true, false, false, false, v, v}; break;
	case BIN_GE: iv = (Ival){true, false, true, false, v, v}; break;
	case BIN_EQ: iv = (Ival){true, true, true, true, v, v}; break;
	case BIN_NE: {
		Ival two[2] = {{false, true, false, false, v, v}, {true, false, false, false, v, v}};
		restrict_to(c, two, 2);
		return true;
	}
	default: return false;
	}
	restrict_to(c, &iv, 1);
	return true;
}

/* One atom of a row's condition.  Returns false if it is not simple. */
static bool atom(Row *r, const Program *p, const Node *n, bool negate)
{
	if (n->kind == N_UNARY && n->op == UN_NOT)
		return atom(r, p, n->kids[0], !negate);
	if (n->kind == N_BINARY && n->op == BIN_AND && !negate)
		return atom(r, p, n->kids[0], false) && atom(r, p, n->kids[1], false);
	if (!n->type)
		return false;
	/* a bare true/false input */
	if ((n->kind == N_NAME || n->kind == N_FIELD) && n->type->kind == TY_BOOL && !n->is_const) {
		Constraint *c = get(r, p, n);
		c->members[negate ? 1 : 0] = 0;
		return true;
	}
	if (n->kind == N_IN)
		return n->op == 0 && !n->kids[0]->is_const && n->kids[1]->is_const && n->kids[1]->k.tag == V_LIST &&
		       atom_in(r, p, n, negate);
	return n->kind == N_BINARY && atom_compare(r, p, n, negate);
}

static bool constraint_empty(const Constraint *c)
{
	if (c->finite) {
		for (int i = 0; i < c->nmembers; i++)
			if (c->members[i])
				return false;
		return true;
	}
	return c->niv == 0;
}

/* Describe one value inside the constraint, for the message. */
static const char *example(const Program *p, const Constraint *c)
{
	if (c->finite) {
		for (int i = 0; i < c->nmembers; i++)
			if (c->members[i]) {
				if (c->node->type->kind == TY_BOOL)
					return xprintf("%s is %s", c->input, i ? "true" : "false");
				return xprintf("%s is %s", c->input, c->node->type->def->members[i]);
			}
		return "";
	}
	const Ival *iv = &c->iv[0];
	if (iv->has_lo && iv->lo_in)
		return xprintf("%s is %s", c->input, fmt_value_str(p, iv->lo));
	if (iv->has_hi && iv->hi_in)
		return xprintf("%s is %s", c->input, fmt_value_str(p, iv->hi));
	if (iv->has_lo && iv->has_hi)
		return xprintf("%s is between %s and %s", c->input, fmt_value_str(p, iv->lo), fmt_value_str(p, iv->hi));
	if (iv->has_lo)
		return xprintf("%s is above %s", c->input, fmt_value_str(p, iv->lo));
	if (iv->has_hi)
		return xprintf("%s is below %s", c->input, fmt_value_str(p, iv->hi));
	return xprintf("%s is anything", c->input);
}

/* Do rows a and b both apply somewhere?  Fills a witness. */
static bool rows_meet(const Program *p, const Row *a, const Row *b, const char **witness)
{
	Row m = {0};
	for (int i = 0; i < a->n; i++)
		AST_PUSH(m.c, m.n, a->c[i]);
	for (int i = 0; i < b->n; i++) {
		Constraint *c = find(&m, b->c[i].input);
		if (!c) {
			AST_PUSH(m.c, m.n, b->c[i]);
			continue;
		}
		Constraint nc = *c;
		if (nc.finite) {
			nc.members = GC_MALLOC_ATOMIC((size_t)nc.nmembers);
			for (int j = 0; j < nc.nmembers; j++)
				nc.members[j] = c->members[j] && b->c[i].members[j];
		} else {
			restrict_to(&nc, b->c[i].iv, b->c[i].niv);
		}
		*c = nc;
	}
	char *w = NULL;
	for (int i = 0; i < m.n; i++) {
		if (constraint_empty(&m.c[i]))
			return false;
		const char *e = example(p, &m.c[i]);
		w = w ? xprintf("%s and %s", w, e) : xprintf("%s", e);
	}
	*witness = w ? w : "always";
	return true;
}

/* Is interval x inside interval y? */
static bool iv_within(const Ival *x, const Ival *y)
{
	if (y->has_lo) {
		if (!x->has_lo)
			return false;
		int c = ar_order(x->lo, y->lo);
		if (c < 0 || (c == 0 && x->lo_in && !y->lo_in))
			return false;
	}
	if (y->has_hi) {
		if (!x->has_hi)
			return false;
		int c = ar_order(x->hi, y->hi);
		if (c > 0 || (c == 0 && x->hi_in && !y->hi_in))
			return false;
	}
	return true;
}

/* Does row b apply only where row a applies?  (b lies within a.) */
static bool row_within(const Row *b, const Row *a)
{
	for (int i = 0; i < a->n; i++) {
		const Constraint *ca = &a->c[i];
		const Constraint *cb = NULL;
		for (int j = 0; j < b->n && !cb; j++)
			if (strcmp(b->c[j].input, ca->input) == 0)
				cb = &b->c[j];
		if (ca->finite) {
			for (int m = 0; m < ca->nmembers; m++)
				if (!ca->members[m] && (!cb || cb->members[m]))
					return false;
			continue;
		}
		if (!cb) {
			if (ca->niv == 1 && !ca->iv[0].has_lo && !ca->iv[0].has_hi)
				continue; /* a allows anything here */
			return false;
		}
		for (int k = 0; k < cb->niv; k++) {
			bool in = false;
			for (int m = 0; m < ca->niv && !in; m++)
				in = iv_within(&cb->iv[k], &ca->iv[m]);
			if (!in)
				return false;
		}
	}
	return true;
}

/* The rank of a row's constant value under hit priority (0 highest), or -1. */
static int64_t row_rank(const Decl *d, const Case *k)
{
	const Node *v = k->value;
	if (!v->is_const)
		return -1;
	if (d->hit_order) {
		for (int i = 0; i < d->hit_order->nkids; i++)
			if (d->hit_order->kids[i]->is_const && d->hit_order->kids[i]->k.tag == v->k.tag &&
			    val_equal(d->hit_order->kids[i]->k, v->k))
				return i;
		return -1;
	}
	if (v->k.tag == V_ENUM)
		return v->k.as.i;
	if (v->k.tag == V_BOOL)
		return !v->k.as.i;
	return -1;
}

/* Two rows of a `hit any` table that can both apply must give one value:
 * only rows whose values are the same constant are sure to. */
static bool same_value(const Case *a, const Case *b)
{
	return a->value->is_const && b->value->is_const && a->value->k.tag == b->value->k.tag &&
	       val_equal(a->value->k, b->value->k);
}

/* Under hit first or priority: rows that can never be chosen. */
static void never_chosen(const Program *p, const Decl *d, const Row *rows, const int *index, int nrows,
			 Diags *diags)
{
	(void)p;
	long budget = TAB_MAX_PAIRS;
	int found = 0;
	for (int j = 1; j < nrows && found < TAB_MAX_FINDINGS; j++)
		for (int i = 0; i < nrows && budget > 0; i++, budget--) {
			if (i == j || !row_within(&rows[j], &rows[i]))
				continue;
			const Case *ki = &d->cases[index[i]], *kj = &d->cases[index[j]];
			if (d->hit == HIT_FIRST && i > j)
				continue;
			if (d->hit == HIT_PRIORITY) {
				int64_t ri = row_rank(d, ki), rj = row_rank(d, kj);
				if (ri < 0 || rj < 0 || ri > rj || (ri == rj && i > j))
					continue;
			}
			Diag *dg = diag_add(diags, SEV_WARNING, kj->loc, "row %d of table '%s' is never chosen: row %d applies "
									 "whenever it does%s",
					    index[j] + 1, d->name, index[i] + 1,
					    d->hit == HIT_FIRST ? ", and comes first" : ", and its value ranks higher");
			diag_hint(dg, "remove the row, narrow row %d, or move this row above it", index[i] + 1);
			found++;
			break;
		}
}

/* For a single ordered input: the first stretch no row covers, if any. */
static const char *ordered_gap(const Program *p, const char *input, Ival *iv, int n)
{
	/* sort by lower bound (no lower bound first) */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			Ival *x = &iv[j - 1], *y = &iv[j];
			bool swap = x->has_lo && (!y->has_lo || ar_order(y->lo, x->lo) < 0 ||
						  (ar_order(y->lo, x->lo) == 0 && y->lo_in && !x->lo_in));
			if (!swap)
				break;
			Ival t = *x;
			*x = *y;
			*y = t;
		}
	if (n == 0)
		return xprintf("%s is anything", input);
	if (iv[0].has_lo)
		return xprintf("%s is %s %s", input, iv[0].lo_in ? "below" : "at or below", fmt_value_str(p, iv[0].lo));
	/* the covered stretch grows from minus infinity */
	bool open = false, hi_in = false;
	Value hi = {0};
	if (iv[0].has_hi) {
		hi = iv[0].hi;
		hi_in = iv[0].hi_in;
	} else {
		open = true;
	}
	for (int i = 1; i < n && !open; i++) {
		int c = ar_order(iv[i].lo, hi);
		/* whole numbers: 9 and 10 are neighbours */
		if (c > 0 && hi.tag == V_INT && iv[i].lo.tag == V_INT && hi_in && iv[i].lo_in && iv[i].lo.as.i == hi.as.i + 1)
			c = 0;
		if (c > 0 && hi.tag == V_INT && iv[i].lo.tag == V_INT && hi_in && iv[i].lo_in)
			return xprintf("%s is from %lld to %lld", input, (long long)hi.as.i + 1, (long long)iv[i].lo.as.i - 1);
		if (c > 0 || (c == 0 && !hi_in && !iv[i].lo_in))
			return c == 0 ? xprintf("%s is %s", input, fmt_value_str(p, hi))
				      : xprintf("%s is between %s and %s", input, fmt_value_str(p, hi), fmt_value_str(p, iv[i].lo));
		if (!iv[i].has_hi) {
			open = true;
		} else {
			int d = ar_order(iv[i].hi, hi);
			if (d > 0 || (d == 0 && iv[i].hi_in)) {
				hi = iv[i].hi;
				hi_in = iv[i].hi_in;
			}
		}
	}
	if (!open)
		return xprintf("%s is %s %s", input, hi_in ? "above" : "at or above", fmt_value_str(p, hi));
	return NULL;
}

/* Pairs of rows of a 'hit unique' or 'hit any' table that apply together
 * (giving different values, for 'hit any'), within a bounded number of
 * pairs. */
static void overlapping_rows(const Program *p, const Decl *d, const Row *rows, const int *index, int nrows,
			     Diags *diags)
{
	/* bounded work: a table of thousands of rows must not stall a load */
	long budget = TAB_MAX_PAIRS;
	int found = 0, more = 0;
	for (int i = 0; i < nrows && budget > 0; i++)
		for (int j = i + 1; j < nrows && budget > 0; j++, budget--) {
			const char *w;
			if (d->hit == HIT_ANY && same_value(&d->cases[index[i]], &d->cases[index[j]]))
				continue;
			if (!rows_meet(p, &rows[i], &rows[j], &w))
				continue;
			if (found++ >= TAB_MAX_FINDINGS) {
				more++;
			} else if (d->hit == HIT_ANY) {
				Diag *dg = diag_add(diags, SEV_WARNING, d->cases[index[j]].loc,
						    "rows %d and %d of table '%s' give different values and both apply when %s",
						    index[i] + 1, index[j] + 1, d->name, w);
				diag_hint(dg, "in a 'hit any' table, rows that apply together must give the same value; "
					      "narrow one of them, or use 'hit first' or 'hit priority'");
			} else {
				Diag *dg = diag_add(diags, SEV_WARNING, d->cases[index[j]].loc,
						    "rows %d and %d of table '%s' overlap: both apply when %s", index[i] + 1,
						    index[j] + 1, d->name, w);
				diag_hint(dg, "a 'hit unique' table needs rows that exclude each other; narrow one of them, "
					      "or use 'hit first' if the first row should win");
			}
		}
	if (more)
		diag_add(diags, SEV_WARNING, d->loc, "table '%s' has %d more pairs of overlapping rows", d->name, more);
}

/* ------------------------------------------------- gaps over several inputs */

/* One input of a table, cut into pieces: each member of a finite domain,
 * or, for an ordered one, each bound some row uses and the open stretches
 * before, between and after them. */
typedef struct Axis {
	const Constraint *c; /* one of the rows' constraints on it: name and type */
	int npieces;
	Ival *pieces;        /* ordered: the pieces; finite: NULL, piece i is member i */
} Axis;

static int axis_of(const Axis *ax, int nax, const char *input)
{
	for (int i = 0; i < nax; i++)
		if (strcmp(ax[i].c->input, input) == 0)
			return i;
	return -1;
}

/* The bounds the rows put on one ordered input, sorted, each once. */
static Value *bounds_of(const Row *rows, int nrows, const char *input, int *n)
{
	Value *v = NULL;
	*n = 0;
	for (int i = 0; i < nrows; i++) {
		const Constraint *c = find(&rows[i], input);
		for (int k = 0; c && k < c->niv; k++) {
			if (c->iv[k].has_lo)
				AST_PUSH(v, *n, c->iv[k].lo);
			if (c->iv[k].has_hi)
				AST_PUSH(v, *n, c->iv[k].hi);
		}
	}
	for (int i = 1; i < *n; i++) /* insertion sort: tables have few bounds */
		for (int j = i; j > 0 && ar_order(v[j], v[j - 1]) < 0; j--) {
			Value t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	int m = 0;
	for (int i = 0; i < *n; i++)
		if (m == 0 || ar_order(v[i], v[m - 1]) != 0)
			v[m++] = v[i];
	*n = m;
	return v;
}

/* Whether no value lies strictly between a and b: whole numbers side by side. */
static bool adjacent(Value a, Value b)
{
	return a.tag == V_INT && b.tag == V_INT && !a.big && !b.big && a.as.i < INT64_MAX && a.as.i + 1 == b.as.i;
}

/* An ordered input's pieces: (-inf, b0), [b0], (b0, b1), [b1], ... (bn, inf). */
static void cut(Axis *a, const Value *b, int nb)
{
	a->npieces = 0;
	a->pieces = NULL;
	Ival first = {false, nb > 0, false, false, nb ? b[0] : (Value){0}, nb ? b[0] : (Value){0}};
	AST_PUSH(a->pieces, a->npieces, first);
	for (int i = 0; i < nb; i++) {
		Ival point = {true, true, true, true, b[i], b[i]};
		AST_PUSH(a->pieces, a->npieces, point);
		if (i + 1 < nb && adjacent(b[i], b[i + 1]))
			continue;
		Ival after = {true, i + 1 < nb, false, false, b[i], i + 1 < nb ? b[i + 1] : b[i]};
		AST_PUSH(a->pieces, a->npieces, after);
	}
}

/* The inputs of the rows, each cut into pieces. */
static Axis *axes_of(const Row *rows, int nrows, int *nax)
{
	Axis *ax = NULL;
	*nax = 0;
	for (int i = 0; i < nrows; i++)
		for (int j = 0; j < rows[i].n; j++) {
			const Constraint *c = &rows[i].c[j];
			if (axis_of(ax, *nax, c->input) >= 0)
				continue;
			Axis a = {c, c->nmembers, NULL};
			if (!c->finite) {
				int nb;
				Value *b = bounds_of(rows, nrows, c->input, &nb);
				cut(&a, b, nb);
			}
			AST_PUSH(ax, *nax, a);
		}
	return ax;
}

/* Which pieces of its input constraint c allows (pieces lie wholly inside
 * or wholly outside each of its intervals). */
static unsigned char *allowed(const Constraint *c, const Axis *a)
{
	unsigned char *in = GC_MALLOC_ATOMIC((size_t)a->npieces + 1);
	for (int k = 0; k < a->npieces; k++) {
		in[k] = c->finite ? c->members[k] : 0;
		for (int m = 0; !c->finite && m < c->niv && !in[k]; m++)
			in[k] = iv_within(&a->pieces[k], &c->iv[m]);
	}
	return in;
}

/* A piece of an input, in words. */
static const char *piece_text(const Program *p, const Axis *a, int k)
{
	const char *in = a->c->input;
	if (a->c->finite)
		return a->c->node->type->kind == TY_BOOL ? xprintf("%s is %s", in, k ? "true" : "false")
							 : xprintf("%s is %s", in, a->c->node->type->def->members[k]);
	const Ival *iv = &a->pieces[k];
	if (iv->lo_in)
		return xprintf("%s is %s", in, fmt_value_str(p, iv->lo));
	if (iv->has_lo && iv->has_hi && iv->lo.tag == V_INT && iv->hi.tag == V_INT && !iv->lo.big && !iv->hi.big)
		return iv->lo.as.i + 2 == iv->hi.as.i ? xprintf("%s is %lld", in, (long long)iv->lo.as.i + 1)
						      : xprintf("%s is from %lld to %lld", in, (long long)iv->lo.as.i + 1,
								(long long)iv->hi.as.i - 1);
	if (iv->has_lo && iv->has_hi)
		return xprintf("%s is between %s and %s", in, fmt_value_str(p, iv->lo), fmt_value_str(p, iv->hi));
	if (iv->has_lo)
		return xprintf("%s is above %s", in, fmt_value_str(p, iv->lo));
	return iv->has_hi ? xprintf("%s is below %s", in, fmt_value_str(p, iv->hi)) : xprintf("%s is anything", in);
}

/* For each row, for each of its constraints: its input and the pieces it
 * allows. */
typedef struct Test {
	int axis;
	const unsigned char *in;
} Test;

static bool some_row_applies(const Test *const *tests, const Row *rows, int nrows, const int *at)
{
	for (int i = 0; i < nrows; i++) {
		int j = 0;
		while (j < rows[i].n && tests[i][j].in[at[tests[i][j].axis]])
			j++;
		if (j == rows[i].n)
			return true;
	}
	return false;
}

/* The first combination of pieces (one per input) that no row covers, in
 * words, or NULL when every one is covered or there are too many to try. */
static const char *uncovered_many(const Program *p, const Row *rows, int nrows)
{
	int nax;
	Axis *ax = axes_of(rows, nrows, &nax);
	long cells = 1, width = 0;
	for (int a = 0; a < nax; a++)
		if ((cells *= ax[a].npieces) > TAB_MAX_CELLS)
			return NULL;
	for (int i = 0; i < nrows; i++)
		width += rows[i].n;
	if (cells * (width + nrows) > TAB_MAX_TESTS)
		return NULL;
	Test **tests = GC_MALLOC(sizeof(Test *) * (size_t)nrows);
	for (int i = 0; i < nrows; i++) {
		tests[i] = GC_MALLOC(sizeof(Test) * (size_t)(rows[i].n + 1));
		for (int j = 0; j < rows[i].n; j++) {
			int a = axis_of(ax, nax, rows[i].c[j].input);
			tests[i][j] = (Test){a, allowed(&rows[i].c[j], &ax[a])};
		}
	}
	int *at = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)nax);
	memset(at, 0, sizeof(int) * (size_t)nax);
	for (long n = 0; n < cells; n++) {
		if (!some_row_applies((const Test *const *)tests, rows, nrows, at)) {
			const char *w = NULL;
			for (int a = 0; a < nax; a++)
				w = w ? xprintf("%s and %s", w, piece_text(p, &ax[a], at[a])) : piece_text(p, &ax[a], at[a]);
			return w;
		}
		for (int a = nax - 1; a >= 0 && ++at[a] == ax[a].npieces; a--) /* the next combination */
			at[a] = 0;
	}
	return NULL;
}

/* A value of the table's inputs that no row covers, or NULL. */
static const char *uncovered(const Program *p, const Row *rows, int nrows)
{
	const char *input = NULL;
	for (int i = 0; i < nrows; i++)
		for (int j = 0; j < rows[i].n; j++) {
			if (input && strcmp(input, rows[i].c[j].input) != 0)
				return uncovered_many(p, rows, nrows);
			input = rows[i].c[j].input;
		}
	if (!input)
		return NULL;
	const Constraint *first = &rows[0].c[0];
	if (!first->finite) {
		Ival *all = NULL;
		int n = 0;
		for (int i = 0; i < nrows; i++)
			for (int j = 0; j < rows[i].c[0].niv; j++)
				AST_PUSH(all, n, rows[i].c[0].iv[j]);
		return ordered_gap(p, input, all, n);
	}
	for (int m = 0; m < first->nmembers; m++) {
		bool covered = false;
		for (int i = 0; i < nrows && !covered; i++)
			covered = rows[i].c[0].members[m];
		if (!covered)
			return first->node->type->kind == TY_BOOL
				       ? xprintf("%s is %s", input, m ? "true" : "false")
				       : xprintf("%s is %s", input, first->node->type->def->members[m]);
	}
	return NULL;
}

void tab_analyze(const Program *p, const Decl *d, Diags *diags)
{
	if (!d->is_table)
		return;
	Row *rows = GC_MALLOC(sizeof(Row) * (size_t)(d->ncases + 1));
	bool has_default = false;
	int nrows = 0;
	int *index = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(d->ncases + 1));
	for (int i = 0; i < d->ncases; i++) {
		const Case *k = &d->cases[i];
		if (k->is_default) {
			has_default = true;
			continue;
		}
		if (k->from || k->until)
			return; /* dated rows: the dates decide, not only the conditions */
		Row r = {0};
		if (!atom(&r, p, k->cond, false))
			return;
		index[nrows] = i;
		rows[nrows++] = r;
	}
	if (d->hit == HIT_UNIQUE || d->hit == HIT_ANY)
		overlapping_rows(p, d, rows, index, nrows, diags);
	if (d->hit == HIT_FIRST || d->hit == HIT_PRIORITY)
		never_chosen(p, d, rows, index, nrows, diags);
	/* a gathering table that finds no row gives its empty result; one that
	 * picks a row fails */
	bool picks = d->hit == HIT_UNIQUE || d->hit == HIT_FIRST || d->hit == HIT_ANY || d->hit == HIT_PRIORITY;
	if (has_default || !picks || nrows == 0)
		return;
	const char *gap = uncovered(p, rows, nrows);
	if (gap) {
		Diag *dg = diag_add(diags, SEV_WARNING, d->loc, "no row of table '%s' applies when %s", d->name, gap);
		diag_hint(dg, "add a row for it, or a 'default' row");
	}
}
