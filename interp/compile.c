/*
 * compile.c - code generation for the stack VM.
 *
 * One pass over a checked tree, emitting 32-bit words (opcodes.h).  Literals
 * become constants; a comparison with a constant becomes a superinstruction
 * (GEK, LTK, EQK); a field of a local or of a fact becomes LOCALFIELD or
 * FACTFIELD; a small function is compiled into its caller; common
 * sequences are marked for the interpreter as superinstructions (fuse).  Boolean operators
 * short-circuit under Kleene logic: `a and b` skips b only when a is false.
 * The cases of a decision become condition slots and one PICK instruction,
 * which applies precedence and reports conflicts.  In trace mode the same
 * code also records conditions, facts and the chosen case for explanations.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "arith.h"
#include "builtins.h"
#include "compile.h"
#include "fold.h"
#include "guard.h"
#include "opcodes.h"
#include "scale.h"

/* Small functions are compiled into their callers (see inline_call). */
#define INLINE_MAX_NODES 40

/* Loops over constant lists are unrolled (see unroll): lists of at most
 * UNROLL_MAX_ITEMS items, whose item and condition, copied once per item,
 * come to at most UNROLL_MAX_NODES nodes in all; at most UNROLL_DEPTH
 * loops inside one another. */
#define UNROLL_MAX_ITEMS 8
#define UNROLL_MAX_NODES 160
#define UNROLL_DEPTH 4

/* The arrays a chunk is emitted into, reused from one chunk to the next;
 * a finished chunk keeps exact-size copies (seal). */
typedef struct Work {
	uint32_t *code;
	Loc *locs;
	int cap;
} Work;

typedef struct Cg {
	const Program *p;
	const Own *own; /* where an expression checked after the load keeps its nodes and source */
	Chunk *ch;
	Work *w;
	bool trace;
	int fact_depth; /* inside a field chain rooted at a fact */
	/* while a function's body is compiled into its caller, its local slots
	 * are mapped into the caller's frame by lmap (NULL: the chunk's own) */
	const int *lmap;
	int nfree; /* the first local slot of the frame not in use */
	/* the chunk's scalar constants by value, so that reusing one costs the
	 * same for the thousandth constant as for the first (kcap a power of
	 * two; slots hold index + 1, 0 is empty) */
	int *kindex;
	int kcap;
	/* frame slots whose value is known while their code is generated: the
	 * variable of a loop unrolled over a constant list (unroll), item by
	 * item; tests on it are decided here (static_value) */
	struct {
		int slot;
		Value v;
	} known[UNROLL_DEPTH];
	int nknown;
	bool in_decision; /* in the code of a decision compiled in line */
} Cg;

static Cg cg_new(const Program *p, Chunk *ch, bool trace, Work *w)
{
	ch->code = w->code;
	ch->locs = w->locs;
	ch->cap = w->cap;
	return (Cg){.p = p, .ch = ch, .w = w, .trace = trace, .nfree = ch->nlocals};
}

/* ------------------------------------------------------ stack depth */

typedef struct Depths {
	int *at;   /* per word: the stack depth before it, -1 unseen */
	int *work; /* addresses to visit */
	int nwork, max, n;
} Depths;

/* The flow reaches address t with depth d. */
static void flow(Depths *s, int t, int d)
{
	if (NEVER(t < 0 || t >= s->n || d < 0))
		return;
	if (d > s->max)
		s->max = d;
	if (s->at[t] < 0) {
		s->at[t] = d;
		s->work[s->nwork++] = t;
	} else {
		DEBUG_ASSERT(s->at[t] == d); /* every path reaches an address with one depth */
	}
}

/* Where the instruction at pc goes on, with what depth (opcodes.h: the
 * effects of the instructions that do not jump are in op_effect). */
static void successors(Depths *s, const Chunk *ch, int pc, int d)
{
	uint32_t w = ch->code[pc];
	OpCode op = INS_OP(w);
	int a = INS_A(w), next = pc + 1 + op_words[op];
	int b = op_words[op] ? (int)ch->code[pc + 1] : 0;
	switch (op) {
	case OP_RETURN:
	case OP_ERROR:
		return;
	case OP_JUMP:
		flow(s, a, d);
		return;
	case OP_JFALSE_KEEP:
	case OP_JTRUE_KEEP:
	case OP_JKNOWN_KEEP:
		flow(s, next, d);
		flow(s, a, d);
		return;
	case OP_IFTEST: /* unknown: kept, on to the JUMP past the if; true: past it; false: to A */
		flow(s, next, d);
		flow(s, next + 1, d - 1);
		flow(s, a, d - 1);
		return;
	case OP_ITERPREP: /* an unknown list is pushed back and the loop skipped */
		flow(s, next, d - 1);
		flow(s, b, d);
		return;
	case OP_ITER:
		flow(s, next, d);
		flow(s, b, d);
		return;
	case OP_DECIDE_IN: /* in the memo: pushed, past the code; else into it */
		flow(s, next, d);
		flow(s, b, d + 1);
		return;
	case OP_JNEK: /* the same list: popped; else kept, to B */
		flow(s, next, d - 1);
		flow(s, b, d);
		return;
	case OP_FILTER:
		flow(s, next, d - 1);
		flow(s, b, d - 1);
		return;
	case OP_PICK: {
		const CaseTab *t = ch->cases[a];
		for (int i = 0; i < t->n; i++)
			flow(s, t->target[i], d);
		flow(s, t->end, d + 1); /* undecided: unknown pushed */
		return;
	}
	case OP_HIT: /* none applied: on to the default row (where there is one); else the result past it */
		if (ch->cases[a]->has_default)
			flow(s, next, d - 1);
		flow(s, ch->cases[a]->end, d);
		return;
	case OP_CALL:
	case OP_BUILTIN:
	case OP_MKREC:
		flow(s, next, d + 1 - b);
		return;
	case OP_MKLIST:
		flow(s, next, d + 1 - a);
		return;
	default:
		DEBUG_ASSERT(op_effect[op] != VAR);
		flow(s, next, d + op_effect[op]);
		return;
	}
}

/* The depth before each word of ch into at[] (-1: never reached), with
 * work[] for the addresses to visit (both of ch->n + 1 ints); the most. */
static int depths_into(const Chunk *ch, int *at, int *work)
{
	Depths s = {at, work, 0, 0, ch->n};
	for (int i = 0; i < ch->n; i++)
		s.at[i] = -1;
	if (ch->n > 0)
		flow(&s, 0, 0);
	while (s.nwork > 0) {
		int pc = s.work[--s.nwork];
		successors(&s, ch, pc, s.at[pc]);
	}
	return s.max;
}

int *cg_stack_depths(const Chunk *ch, int *max)
{
	int *at = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(ch->n + 1));
	int m = depths_into(ch, at, GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(ch->n + 1)));
	if (max)
		*max = m;
	return at;
}

/* Every chunk is analysed once as it is sealed: most are short, and their
 * work arrays live on the stack instead of the heap of the load. */
int cg_max_stack(const Chunk *ch)
{
	enum { SMALL = 256 };
	if (ch->n >= SMALL) {
		int max = 0;
		cg_stack_depths(ch, &max);
		return max;
	}
	int at[SMALL], work[SMALL];
	return depths_into(ch, at, work);
}

/* ------------------------------------------------- superinstructions */

/* Whether the instructions from word pc are ops[0..n), each one whole in
 * the chunk. */
static bool sequence_at(const Chunk *ch, int pc, const OpCode *ops, int n)
{
	for (int i = 0; i < n; i++) {
		if (pc >= ch->n || INS_OP(ch->code[pc]) != ops[i])
			return false;
		pc += 1 + op_words[ops[i]];
		if (pc > ch->n)
			return false;
	}
	return true;
}

/* Whether the sequence at pc, which has the instructions of
 * superinstruction op, also meets what the interpreter's fast path for op
 * takes for granted. */
static bool fuse_fits(const Chunk *ch, int pc, OpCode op)
{
	static const OpCode not_filter[] = {OP_NOT, OP_FILTER};
	switch (op) {
	case OP_LOCAL_EQK_IFTEST: /* the local is compared by its header (ar_same_header) */
		return ar_in_place_const(ch->k[INS_A(ch->code[pc + 1])]);
	case OP_FACTFIELD_NOT_FILTER: /* the JUMP's target */
		return sequence_at(ch, INS_A(ch->code[pc + 2]), not_filter, 2);
	case OP_FACTFIELD_UNLESS_ACC: { /* the FILTER's and ACC's list, and the FILTER past the ACC */
		const uint32_t *c = ch->code + pc;
		return INS_A(c[3]) == INS_A(c[6]) && c[7] == ACC_LIST && (int)c[4] == pc + 8;
	}
	case OP_BUILTIN_MIN2: /* which builtin, and two arguments */
	case OP_BUILTIN_MAX2:
		return bi_table[INS_A(ch->code[pc])].acc == (op == OP_BUILTIN_MIN2 ? ACC_MIN : ACC_MAX) &&
		       ch->code[pc + 1] == 2;
	default:
		return true;
	}
}

/* Mark the first instruction of each common sequence with its
 * superinstruction (opcodes.h: EDICT_FUSED), and each jump to a RETURN;
 * the words stay as they are.  The first pattern that fits wins. */
static void fuse(Chunk *ch)
{
	static const struct {
		OpCode fused, seq[5];
		int n;
	} pat[] = {
		{OP_LOCAL_EQK_IFTEST, {OP_LOCAL, OP_EQK, OP_IFTEST}, 3},
		{OP_NOT_FILTER, {OP_NOT, OP_FILTER}, 2},
		{OP_LOCAL_ACC_JUMP, {OP_LOCAL, OP_ACC, OP_JUMP}, 3},
		{OP_FACTFIELD_NOT_FILTER, {OP_FACTFIELD, OP_JUMP}, 2},
		{OP_FACTFIELD_UNLESS_ACC, {OP_FACTFIELD, OP_NOT, OP_FILTER, OP_CONST, OP_ACC}, 5},
		{OP_FACTFIELD_WHERE_NOT, {OP_FACTFIELD, OP_NOT, OP_FILTER}, 3},
		{OP_CONST_ACC, {OP_CONST, OP_ACC}, 2},
		{OP_FACTFIELD_JUMP, {OP_FACTFIELD, OP_JUMP}, 2},
		{OP_FACTFIELD_DECIDE, {OP_FACTFIELD, OP_DECIDE}, 2},
		{OP_BUILTIN_MIN2, {OP_BUILTIN}, 1},
		{OP_BUILTIN_MAX2, {OP_BUILTIN}, 1},
	};
	static const OpCode ret[] = {OP_RETURN};
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])]) {
		uint32_t w = ch->code[pc];
		for (size_t i = 0; i < sizeof pat / sizeof *pat; i++)
			if (sequence_at(ch, pc, pat[i].seq, pat[i].n) && fuse_fits(ch, pc, pat[i].fused)) {
				ch->code[pc] = INS(pat[i].fused, INS_A(w));
				break;
			}
		if (INS_OP(w) == OP_JUMP && sequence_at(ch, INS_A(w), ret, 1))
			ch->code[pc] = INS(OP_JUMP_RETURN, INS_A(w));
	}
}

/* The chunk, its code and locations copied out of the work arrays, and
 * the most stack it needs. */
static Chunk *seal(Cg *g)
{
	Chunk *ch = g->ch;
	uint32_t *code = GC_MALLOC_ATOMIC(sizeof(uint32_t) * (size_t)ch->n);
	Loc *locs = GC_MALLOC(sizeof(Loc) * (size_t)ch->n);
	memcpy(code, ch->code, sizeof(uint32_t) * (size_t)ch->n);
	memcpy(locs, ch->locs, sizeof(Loc) * (size_t)ch->n);
	ch->code = code;
	ch->locs = locs;
	ch->cap = ch->n;
	ch->maxstack = cg_max_stack(ch);
	fuse(ch);
	return ch;
}

/* Local slot s of the code being compiled, in the frame of the chunk. */
static int local(const Cg *g, int s)
{
	return g->lmap ? g->lmap[s] : s;
}

/* ------------------------------------------------------------ emission */

static int emit_word(Cg *g, uint32_t w, Loc loc)
{
	Chunk *ch = g->ch;
	if (ch->n == ch->cap) {
		int cap = ch->cap ? ch->cap * 2 : 64;
		uint32_t *code = GC_MALLOC_ATOMIC(sizeof(uint32_t) * (size_t)cap);
		Loc *locs = GC_MALLOC(sizeof(Loc) * (size_t)cap);
		if (ch->n) {
			memcpy(code, ch->code, sizeof(uint32_t) * (size_t)ch->n);
			memcpy(locs, ch->locs, sizeof(Loc) * (size_t)ch->n);
		}
		ch->code = g->w->code = code;
		ch->locs = g->w->locs = locs;
		ch->cap = g->w->cap = cap;
	}
	ch->code[ch->n] = w;
	ch->locs[ch->n] = loc;
	return ch->n++;
}

static int emit(Cg *g, OpCode op, int a, Loc loc)
{
	return emit_word(g, INS(op, a), loc);
}

static int emit2(Cg *g, OpCode op, int a, int b, Loc loc)
{
	int at = emit(g, op, a, loc);
	emit_word(g, (uint32_t)b, loc);
	return at;
}

/* Point the jump at `at` (its A operand, or its B word) to `target`. */
static void patch_a(Cg *g, int at, int target)
{
	g->ch->code[at] = INS(INS_OP(g->ch->code[at]), target);
}

static void patch_b(Cg *g, int at, int target)
{
	g->ch->code[at + 1] = (uint32_t)target;
}

static int here(Cg *g) { return g->ch->n; }

/* Scalars are pooled: equal ones share a slot.  Lists, records, wide
 * decimals, texts and unknowns never compare equal here. */
static bool pooled(Value v)
{
	return v.tag != V_LIST && v.tag != V_REC && v.tag != V_UNKNOWN && v.tag != V_STR && !v.big;
}

static bool same_scalar(Value a, Value b)
{
	return a.tag == b.tag && a.as.i == b.as.i && a.aux == b.aux && a.cur == b.cur && !a.big && !b.big;
}

static uint32_t scalar_hash(Value v)
{
	uint64_t h = (uint64_t)v.as.i * 0x9e3779b97f4a7c15u ^ ((uint64_t)v.tag << 48 | (uint64_t)v.cur << 32 | (uint32_t)v.aux);
	return (uint32_t)(h ^ h >> 29);
}

static void kindex_put(Cg *g, int i)
{
	uint32_t j = scalar_hash(g->ch->k[i]) & (uint32_t)(g->kcap - 1);
	while (g->kindex[j])
		j = (j + 1) & (uint32_t)(g->kcap - 1);
	g->kindex[j] = i + 1;
}

/* Grow the index to twice the pool's size, filled from the pool. */
static void kindex_grow(Cg *g)
{
	Chunk *ch = g->ch;
	g->kcap = 64;
	while (g->kcap < 4 * ch->nk)
		g->kcap *= 2;
	g->kindex = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)g->kcap);
	memset(g->kindex, 0, sizeof(int) * (size_t)g->kcap);
	for (int i = 0; i < ch->nk; i++)
		if (pooled(ch->k[i]))
			kindex_put(g, i);
}

static int konst(Cg *g, Value v)
{
	Chunk *ch = g->ch;
	if (pooled(v) && g->kindex) {
		for (uint32_t j = scalar_hash(v) & (uint32_t)(g->kcap - 1); g->kindex[j]; j = (j + 1) & (uint32_t)(g->kcap - 1))
			if (same_scalar(ch->k[g->kindex[j] - 1], v))
				return g->kindex[j] - 1;
	} else if (pooled(v)) {
		/* small pools: a look along the pool is cheaper than an index */
		for (int i = 0; i < ch->nk; i++)
			if (same_scalar(ch->k[i], v))
				return i;
	}
	if (ch->nk == ch->kcap) {
		int cap = ch->kcap ? ch->kcap * 2 : 8;
		Value *k = GC_MALLOC(sizeof(Value) * (size_t)cap);
		if (ch->nk)
			memcpy(k, ch->k, sizeof(Value) * (size_t)ch->nk);
		ch->k = k;
		ch->kcap = cap;
	}
	ch->k[ch->nk] = v;
	int i = ch->nk++;
	if (ch->nk >= 16 && (!g->kindex || 2 * ch->nk > g->kcap))
		kindex_grow(g);
	else if (g->kindex && pooled(v))
		kindex_put(g, i);
	return i;
}

static void push_const(Cg *g, Value v, Loc loc)
{
	if (v.tag == V_BOOL)
		emit(g, v.as.i ? OP_TRUE : OP_FALSE, 0, loc);
	else if (v.tag == V_UNKNOWN && !v.as.m)
		emit(g, OP_UNKNOWN, 0, loc);
	else
		emit(g, OP_CONST, konst(g, v), loc);
}

static Chunk *new_chunk(const char *name, int nlocals)
{
	Chunk *ch = GC_MALLOC(sizeof *ch);
	ch->name = name;
	ch->nlocals = nlocals;
	return ch;
}

/* --------------------------------------------------------- expressions */

static void expr(Cg *g, Node *n);

/* The number of nodes of a tree, counting no further than `limit`. */
static int tree_size(const Node *n, int limit)
{
	if (!n)
		return 0;
	int size = 1;
	for (int i = 0; i < n->nkids && size <= limit; i++)
		size += tree_size(n->kids[i], limit - size);
	return size;
}

/* The value of a local known while its code is generated (see unroll),
 * or NULL. */
static const Value *known_local(const Cg *g, int slot)
{
	for (int i = g->nknown - 1; i >= 0; i--)
		if (g->known[i].slot == slot)
			return &g->known[i].v;
	return NULL;
}

/* Whether the value of n is known here, from constants and the known
 * locals, and which: computed as its instructions would (fold_with). */
static bool static_value(const Cg *g, const Node *n, Value *out)
{
	if (n->is_const) {
		*out = n->k;
		return n->k.tag != V_UNKNOWN;
	}
	if (n->kind == N_NAME) {
		const Value *v = n->ref == R_LOCAL ? known_local(g, local(g, n->slot)) : NULL;
		if (v)
			*out = *v;
		return v != NULL;
	}
	if ((n->kind != N_BINARY && n->kind != N_UNARY && n->kind != N_IN && n->kind != N_IS &&
	     n->kind != N_IF && n->kind != N_OTHERWISE) ||
	    n->nkids > 3)
		return false;
	Value kv[3];
	for (int i = 0; i < n->nkids; i++)
		if (!static_value(g, n->kids[i], &kv[i]))
			return false;
	return fold_with(n, kv, out) && out->tag != V_UNKNOWN;
}

/* The start of a fold of kind into accumulator slot acc (and its
 * unknown-marker, acc + 1). */
static void acc_start(Cg *g, int acc, int kind, const Type *elem_type, Loc loc)
{
	emit2(g, OP_ACCINIT, acc, kind, loc);
	if (kind == ACC_SUM) {
		push_const(g, ty_zero(elem_type), loc);
		emit(g, OP_SETLOCAL, acc, loc);
	}
}

/* One item of generator gen into accumulator acc: its condition, where
 * there is one and it is not decided here, and its element, unless it is
 * decided here that the condition does not hold.  Returns the condition's
 * FILTER (its target still to patch), or -1. */
static int loop_item(Cg *g, Node *gen, int acc, int kind)
{
	int filter = -1;
	Node *where = gen->kids[2];
	Value met;
	if (where && g->nknown && static_value(g, where, &met) && met.tag == V_BOOL) {
		if (!met.as.i)
			return -1; /* an item of an unrolled loop, left out here */
		where = NULL;
	}
	if (where) {
		expr(g, where);
		filter = emit2(g, OP_FILTER, acc, 0, where->loc);
	}
	if (kind == ACC_COUNT)
		emit(g, OP_TRUE, 0, gen->loc);
	else
		expr(g, gen->kids[0]);
	emit2(g, OP_ACC, acc, kind, gen->kids[0]->loc);
	return filter;
}

/* The loop over the list on top of the stack. */
static void iterate(Cg *g, Node *gen, int kind, const Type *elem_type)
{
	int base = local(g, gen->slot), acc = base + 3;
	int prep = emit2(g, OP_ITERPREP, base, 0, gen->loc);
	acc_start(g, acc, kind, elem_type, gen->loc);
	int top = here(g);
	int iter = emit2(g, OP_ITER, base, 0, gen->loc);
	int filter = loop_item(g, gen, acc, kind);
	if (filter >= 0)
		patch_b(g, filter, top);
	emit(g, OP_JUMP, top, gen->loc);
	patch_b(g, iter, here(g));
	emit2(g, OP_ACCEND, acc, kind, gen->loc);
	patch_b(g, prep, here(g));
}

/* The value of a param with one value, unconditional (dated or not),
 * once folded: the constant list a loop over it can be unrolled over. */
static bool param_value(Decl *d, Value *out)
{
	if (d->kind != D_PARAM || d->ncases != 1 || d->nbrackets || d->cases[0].cond)
		return false;
	fold_decl(d); /* folded already, or it comes later in the program */
	Node *v = d->cases[0].value;
	*out = v->k;
	return v->is_const;
}

/* Whether the loop of generator gen is unrolled, and over which list:
 * outside explain mode (an explanation shows the loop as written), over a
 * short constant list, or a param's (guarded: a what-if can override it;
 * on a date before its one value the param itself fails), with a small
 * body. */
static bool unroll_over(Cg *g, Node *gen, Value *items, bool *guarded)
{
	Node *src = gen->kids[1];
	if (g->trace || g->nknown == UNROLL_DEPTH)
		return false;
	*guarded = !src->is_const;
	if (src->is_const)
		*items = src->k;
	else if (!(src->kind == N_NAME && src->ref == R_DECL && param_value(src->decl, items)))
		return false;
	if (items->tag != V_LIST || items->as.l->len > UNROLL_MAX_ITEMS)
		return false;
	int body = tree_size(gen->kids[0], UNROLL_MAX_NODES) + tree_size(gen->kids[2], UNROLL_MAX_NODES);
	return body * (int)items->as.l->len <= UNROLL_MAX_NODES;
}

/* The loop of generator gen unrolled over the constant list items: each
 * item's code with the loop variable known to be that item, so that the
 * tests on it are decided here (`if t = 6` in a function it calls). */
static void unroll(Cg *g, Node *gen, int kind, const Type *elem_type, Value items)
{
	int base = local(g, gen->slot), acc = base + 3;
	acc_start(g, acc, kind, elem_type, gen->loc);
	int k = g->nknown++;
	g->known[k].slot = base + 2; /* where ITER would put the item */
	for (uint32_t i = 0; i < items.as.l->len; i++) {
		g->known[k].v = items.as.l->items[i];
		int filter = loop_item(g, gen, acc, kind);
		if (filter >= 0)
			patch_b(g, filter, here(g));
	}
	g->nknown--;
	emit2(g, OP_ACCEND, acc, kind, gen->loc);
}

/* A loop over a generator `elem for x in xs where cond`, folding with
 * kind: unrolled where it can be (unroll_over); over a param's list, the
 * unrolled code runs while the param's value is still the one it was
 * compiled with (JNEK), and the loop otherwise. */
static void loop(Cg *g, Node *gen, int kind, const Type *elem_type)
{
	Value items;
	bool guarded;
	if (!unroll_over(g, gen, &items, &guarded)) {
		expr(g, gen->kids[1]);
		iterate(g, gen, kind, elem_type);
		return;
	}
	if (!guarded) {
		unroll(g, gen, kind, elem_type, items);
		return;
	}
	expr(g, gen->kids[1]);
	int guard = emit2(g, OP_JNEK, konst(g, items), 0, gen->loc);
	unroll(g, gen, kind, elem_type, items);
	int end = emit(g, OP_JUMP, 0, gen->loc);
	patch_b(g, guard, here(g));
	iterate(g, gen, kind, elem_type);
	patch_a(g, end, here(g));
}

static bool is_fact_chain(const Node *n)
{
	while (n->kind == N_FIELD)
		n = n->kids[0];
	return n->kind == N_NAME && n->ref == R_FACT;
}

static const char *fact_path_text(const Program *p, const Node *n)
{
	if (n->kind == N_FIELD)
		return xprintf("%s.%s", fact_path_text(p, n->kids[0]), n->text);
	return p->facts[n->slot]->name;
}

static OpCode binop(int op)
{
	switch (op) {
	case BIN_ADD: return OP_ADD;
	case BIN_SUB: return OP_SUB;
	case BIN_MUL: return OP_MUL;
	case BIN_DIV: return OP_DIV;
	case BIN_EQ: return OP_EQ;
	case BIN_NE: return OP_NE;
	case BIN_LT: return OP_LT;
	case BIN_LE: return OP_LE;
	case BIN_GT: return OP_GT;
	case BIN_GE: return OP_GE;
	default: (void)NEVER(true); return OP_GE; /* and/or are conditions (cond) */
	}
}

/* Whether a function calls no function: inlining it cannot recurse, and
 * the call depth a recursion reaches stays what the rules say. */
static bool calls_none(const Decl *f)
{
	for (int i = 0; i < f->ndeps; i++)
		if (f->deps[i]->kind == D_FUNCTION)
			return false;
	return true;
}

/* Slots for the nl locals of code compiled in line, above those in use in
 * the caller's frame: the map from the code's own slots to the frame's. */
static int *frame_above(Cg *g, int nl)
{
	int *map = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(nl ? nl : 1));
	for (int s = 0; s < nl; s++)
		map[s] = g->nfree + s;
	g->nfree += nl;
	if (g->nfree > g->ch->nlocals)
		g->ch->nlocals = g->nfree;
	return map;
}

/* A small decision of one unconditional, undated value, used by other
 * code, is compiled into it as a small function is, and still decided
 * once an evaluation: DECIDE_IN takes its value from the memo where it is
 * there, and goes past its code; DECIDED puts the value its code gives in
 * the memo.  No param (kept from one evaluation to the next, nearly always
 * in the memo), not in explain mode (an explanation shows the decision),
 * and not inside another decision compiled in line. */
static bool decide_in_line(Cg *g, const Node *n)
{
	Decl *d = n->decl;
	if (g->trace || g->in_decision || d->kind != D_DECISION || d->is_table || d->nbrackets ||
	    d->ncases != 1 || d->cases[0].cond || d->cases[0].from || d->cases[0].until ||
	    tree_size(d->cases[0].value, INLINE_MAX_NODES) > INLINE_MAX_NODES)
		return false;
	int j = emit2(g, OP_DECIDE_IN, d->index, 0, n->loc);
	int base = g->nfree;
	const int *outer = g->lmap;
	g->lmap = frame_above(g, d->nlocals);
	g->in_decision = true;
	expr(g, d->cases[0].value);
	g->in_decision = false;
	g->lmap = outer;
	g->nfree = base;
	emit(g, OP_DECIDED, d->index, n->loc);
	patch_b(g, j, here(g));
	return true;
}

/* A call of a small function that calls no other compiles to its body, in
 * the caller's frame: no frame to set up, and the body's tests meet the
 * caller's constants.  Its parameters take their own slots above the
 * caller's locals, or, for an argument that is already a local, that local
 * itself (parameters are never assigned).  Explain mode keeps the call, so
 * that an explanation shows the function as written. */
static bool inline_call(Cg *g, Node *n)
{
	Decl *f = n->decl;
	if (g->trace || !f->body || !calls_none(f) ||
	    tree_size(f->body, INLINE_MAX_NODES) > INLINE_MAX_NODES)
		return false;
	int base = g->nfree;
	int *map = frame_above(g, f->nlocals); /* its parameters are its first locals */
	for (int i = 0; i < f->nparams; i++) {
		Node *a = n->kids[i + 1];
		if (a->kind == N_NAME && a->ref == R_LOCAL && !a->is_const) {
			map[i] = local(g, a->slot);
		} else {
			expr(g, a);
			emit(g, OP_SETLOCAL, base + i, a->loc);
		}
	}
	const int *outer = g->lmap;
	g->lmap = map;
	expr(g, f->body);
	g->lmap = outer;
	g->nfree = base;
	return true;
}

/* A tree the checker never passes on (a bug in Edict): it fails where it
 * is evaluated, with a message that says so, and is never taken for a
 * legitimate unknown. */
static void cannot_compile(Cg *g, const Node *n)
{
	static const char msg[] = "internal error: this part of the rules could not be compiled (a bug in Edict)";
	(void)NEVER(true); /* reaching here is a bug */
	emit(g, OP_ERROR, konst(g, val_str(msg, sizeof msg - 1)), n->loc);
}

/* A condition: like expr, but in trace mode each operand of and/or/not is
 * recorded with its value, so an explanation can say which part failed. */
static void cond(Cg *g, Node *n)
{
	Value v;
	if (g->nknown && static_value(g, n, &v)) {
		push_const(g, v, n->loc);
		return;
	}
	if (n->kind == N_BINARY && (n->op == BIN_AND || n->op == BIN_OR)) {
		cond(g, n->kids[0]);
		int j = emit(g, n->op == BIN_AND ? OP_JFALSE_KEEP : OP_JTRUE_KEEP, 0, n->loc);
		cond(g, n->kids[1]);
		emit(g, n->op == BIN_AND ? OP_AND : OP_OR, 0, n->loc);
		patch_a(g, j, here(g));
		return;
	}
	expr(g, n);
	if (g->trace && !n->is_const)
		emit(g, OP_TRACE_COND, n->id, n->loc);
}

/* After the dated values of a fact over time (n reads them): its value at
 * `when` (NULL: the as-of date).  The path names the fact in the unknown
 * of a read before its first value, and in the explanation of the read.
 * Read whole by an enclosing `at`, the values stay as they are. */
static void series_at(Cg *g, Node *n, Node *when)
{
	if (n->series_read == SR_WHOLE && !when)
		return;
	const char *path = is_fact_chain(n) ? fact_path_text(g->p, n) : prog_own_text(g->p, g->own, n);
	if (when)
		expr(g, when);
	else
		emit(g, OP_ASOF, 0, n->loc);
	emit2(g, OP_AT, konst(g, val_str(path, strlen(path))), g->trace && g->fact_depth == 0, n->loc);
}

/* A name: a local, a decision (decided once per evaluation) or a fact. */
static void name_ref(Cg *g, Node *n)
{
	switch (n->ref) {
	case R_LOCAL:
		emit(g, OP_LOCAL, local(g, n->slot), n->loc);
		return;
	case R_DECL:
		if (!decide_in_line(g, n))
			emit(g, OP_DECIDE, n->decl->index, n->loc);
		return;
	case R_FACT:
		emit(g, OP_FACT, n->slot, n->loc);
		if (n->series_read)
			series_at(g, n, NULL);
		else if (g->trace && g->fact_depth == 0)
			emit(g, OP_TRACE_FACT, konst(g, val_str(g->p->facts[n->slot]->name, strlen(g->p->facts[n->slot]->name))), n->loc);
		return;
	default: /* members are constants; functions and builtins are called */
		cannot_compile(g, n);
		return;
	}
}

/* expr '.' name: a field of a local or of a fact root in one instruction. */
static void field(Cg *g, Node *n)
{
	Node *k = n->kids[0];
	if (k->kind == N_NAME && k->ref == R_LOCAL) {
		emit2(g, OP_LOCALFIELD, local(g, k->slot), n->slot, n->loc);
		if (n->series_read)
			series_at(g, n, NULL);
		return;
	}
	bool fact = is_fact_chain(n);
	if (k->kind == N_NAME && k->ref == R_FACT) {
		emit2(g, OP_FACTFIELD, k->slot, n->slot, n->loc);
	} else {
		g->fact_depth++;
		expr(g, k);
		g->fact_depth--;
		emit(g, OP_FIELD, n->slot, n->loc);
	}
	if (n->series_read) {
		series_at(g, n, NULL);
	} else if (fact && g->trace && g->fact_depth == 0) {
		const char *path = fact_path_text(g->p, n);
		emit(g, OP_TRACE_FACT, konst(g, val_str(path, strlen(path))), n->loc);
	}
}

/* name '(' args ')': a function (inlined when small) or a builtin; a
 * builtin over a generator is a loop. */
static void call(Cg *g, Node *n)
{
	int argc = n->nkids - 1;
	if (n->ref == R_FUNC) {
		if (inline_call(g, n))
			return;
		for (int i = 0; i < argc; i++)
			expr(g, n->kids[i + 1]);
		emit2(g, OP_CALL, n->decl->index, argc, n->loc);
		return;
	}
	if (n->ref == R_MEMBER) { /* most_recent(d): the member carrying d */
		expr(g, n->kids[1]);
		emit(g, OP_MKENUM, konst(g, val_enum(n->type->def->id, n->slot)), n->loc);
		return;
	}
	int b = n->slot;
	if (argc == 1 && n->kids[1]->kind == N_GEN) {
		Node *gen = n->kids[1];
		loop(g, gen, bi_table[b].acc, gen->kids[0]->type ? gen->kids[0]->type : &ty_int);
		return;
	}
	for (int i = 0; i < argc; i++)
		expr(g, n->kids[i + 1]);
	if ((bi_table[b].flags & BI_ZERO) && argc == 1) {
		/* sum of a plain list: the zero's type comes from the list */
		const Type *t = n->kids[1]->type;
		push_const(g, ty_zero(t && t->kind == TY_LIST ? t->elem : &ty_int), n->loc);
		argc = 2;
	}
	emit2(g, OP_BUILTIN, b, argc, n->loc);
	/* a scale's tax or rate is explained with the brackets it used */
	if (g->trace && bi_table[b].result == BR_SCALE)
		emit(g, OP_TRACE_COND, n->id, n->loc);
}

/* expr op expr: a test against a constant is one superinstruction. */
static void binary(Cg *g, Node *n)
{
	if (n->op == BIN_AND || n->op == BIN_OR) {
		cond(g, n);
		return;
	}
	if (n->op == BIN_MOD || n->op == BIN_POW) {
		/* computed by the builtins of the same meaning */
		expr(g, n->kids[0]);
		expr(g, n->kids[1]);
		emit2(g, OP_BUILTIN, bi_lookup(n->op == BIN_MOD ? "modulo" : "power"), 2, n->loc);
		return;
	}
	expr(g, n->kids[0]);
	const Node *r = n->kids[1];
	if ((n->op == BIN_GE || n->op == BIN_LT) && r->is_const && (val_is_declike(r->k) || r->k.tag == V_INT)) {
		emit(g, n->op == BIN_GE ? OP_GEK : OP_LTK, konst(g, r->k), n->loc);
		return;
	}
	if (n->op == BIN_EQ && r->is_const && r->k.tag != V_UNKNOWN) {
		emit(g, OP_EQK, konst(g, r->k), n->loc);
		return;
	}
	expr(g, n->kids[1]);
	emit(g, binop(n->op), 0, n->loc);
}

/* `if c then a else b`, also a decision's one exception (cases): c
 * unknown leaves it as the result, as PICK would. */
static void branch(Cg *g, Node *c, Node *a, Node *b, Loc loc)
{
	/* `if not c then a else b` tests c for `if c then b else a`: an
	 * unknown c is what `not c` is (explain mode records the `not`) */
	if (!g->trace && c->kind == N_UNARY && c->op == UN_NOT && !c->is_const) {
		branch(g, c->kids[0], b, a, loc);
		return;
	}
	cond(g, c);
	int test = emit(g, OP_IFTEST, 0, loc);
	int to_end_unknown = emit(g, OP_JUMP, 0, loc);
	expr(g, a);
	int to_end = emit(g, OP_JUMP, 0, loc);
	patch_a(g, test, here(g));
	expr(g, b);
	patch_a(g, to_end_unknown, here(g));
	patch_a(g, to_end, here(g));
}

/* 'if' cond 'then' a 'else' b: an unknown condition makes it unknown; a
 * condition known as the code is generated (unroll) chooses here. */
static void if_then_else(Cg *g, Node *n)
{
	Value c;
	if (g->nknown && static_value(g, n->kids[0], &c) && c.tag == V_BOOL) {
		expr(g, n->kids[c.as.i ? 1 : 2]); /* the test is decided here */
		return;
	}
	branch(g, n->kids[0], n->kids[1], n->kids[2], n->loc);
}

/* 'match' expr '{' arms '}': one test of the subject per arm. */
static void match(Cg *g, Node *n)
{
	if (NEVER(!n->kids[0]->type || n->kids[0]->type->kind != TY_ENUM || !n->kids[0]->type->def)) {
		cannot_compile(g, n); /* the checker reports a match without an enumeration */
		return;
	}
	int subject = local(g, n->slot);
	bool carries = n->kids[0]->type->def->member_types != NULL; /* members with values: test the member alone */
	expr(g, n->kids[0]);
	emit(g, OP_SETLOCAL, subject, n->loc);
	int *ends = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(2 * n->nkids + 2));
	int nends = 0;
	Node *dflt = NULL;
	for (int i = 1; i < n->nkids; i++) {
		Node *arm = n->kids[i];
		if (arm->slot < 0) {
			dflt = arm;
			continue;
		}
		emit(g, OP_LOCAL, subject, arm->loc);
		if (carries)
			emit(g, OP_MEMBER, 0, arm->loc);
		emit(g, OP_EQK, konst(g, val_enum(n->kids[0]->type->def->id, arm->slot)), arm->loc);
		int test = emit(g, OP_IFTEST, 0, arm->loc);
		ends[nends++] = emit(g, OP_JUMP, 0, arm->loc);
		if (arm->nkids > 1) { /* most_recent(d) => ...: d is the member's value */
			emit(g, OP_LOCAL, subject, arm->loc);
			emit(g, OP_ENUMDATA, 0, arm->loc);
			emit(g, OP_SETLOCAL, local(g, arm->kids[1]->slot), arm->loc);
		}
		expr(g, arm->kids[0]);
		ends[nends++] = emit(g, OP_JUMP, 0, arm->loc);
		patch_a(g, test, here(g));
	}
	if (dflt)
		expr(g, dflt->kids[0]);
	else
		emit(g, OP_ERROR, konst(g, val_str("no branch of this match applies", 31)), n->loc);
	for (int i = 0; i < nends; i++)
		patch_a(g, ends[i], here(g));
}

/* '[' items ']': one constant when every item is one. */
static void list(Cg *g, Node *n)
{
	bool all_const = true;
	for (int i = 0; i < n->nkids; i++)
		all_const &= n->kids[i]->is_const && n->kids[i]->k.tag != V_UNKNOWN;
	if (all_const) {
		List *l = val_list_new((uint32_t)n->nkids);
		for (int i = 0; i < n->nkids; i++)
			l->items[i] = n->kids[i]->k;
		emit(g, OP_CONST, konst(g, val_list(l)), n->loc);
		return;
	}
	for (int i = 0; i < n->nkids; i++)
		expr(g, n->kids[i]);
	emit(g, OP_MKLIST, n->nkids, n->loc);
}

/* '{' field ':' expr ... '}': every field in slot order, defaults filled in. */
static void record(Cg *g, Node *n)
{
	TypeDef *td = n->type->def;
	for (int f = 0; f < td->nfields; f++) {
		Node *val = NULL;
		for (int i = 0; i < n->nkids; i++)
			if (n->kids[i]->slot == f && strcmp(n->kids[i]->text, td->fields[f].name) == 0)
				val = n->kids[i]->kids[0];
		if (val)
			expr(g, val);
		else if (td->fields[f].dflt)
			expr(g, td->fields[f].dflt);
		else
			emit(g, OP_UNKNOWN, 0, n->loc);
	}
	emit2(g, OP_MKREC, td->id, td->nfields, n->loc);
}

/* A test's dated values: the list of [date, value] pairs a fact over
 * time holds (check_series has put the dates in order). */
static void series_values(Cg *g, Node *n)
{
	for (int i = 0; i + 1 < n->nkids; i += 2) {
		expr(g, n->kids[i]);
		expr(g, n->kids[i + 1]);
		emit(g, OP_MKLIST, 2, n->kids[i]->loc);
	}
	emit(g, OP_MKLIST, n->nkids / 2, n->loc);
}

/* Any expression: its value on top of the stack. */
static void expr(Cg *g, Node *n)
{
	Value v;
	if (n->is_const || (g->nknown && static_value(g, n, &v))) {
		push_const(g, n->is_const ? n->k : v, n->loc);
		return;
	}
	switch (n->kind) {
	case N_ASOF: emit(g, OP_ASOF, 0, n->loc); return;
	case N_NAME: name_ref(g, n); return;
	case N_FIELD: field(g, n); return;
	case N_CALL: call(g, n); return;
	case N_BINARY: binary(g, n); return;
	case N_IF: if_then_else(g, n); return;
	case N_MATCH: match(g, n); return;
	case N_LIST: list(g, n); return;
	case N_RECORD: record(g, n); return;
	case N_COMP: loop(g, n->kids[0], ACC_LIST, NULL); return;
	case N_AT:
		expr(g, n->kids[0]);
		series_at(g, n->kids[0], n->kids[1]);
		return;
	case N_SERIES: series_values(g, n); return;
	case N_UNARY:
		if (n->op == UN_NEG) {
			expr(g, n->kids[0]);
			emit(g, OP_NEG, 0, n->loc);
		} else {
			cond(g, n->kids[0]);
			emit(g, OP_NOT, 0, n->loc);
		}
		return;
	case N_IN:
		expr(g, n->kids[0]);
		expr(g, n->kids[1]);
		emit(g, n->op ? OP_IN_HS : OP_IN, n->op, n->loc);
		return;
	case N_IS:
		expr(g, n->kids[0]);
		emit(g, OP_IS_KNOWN, 0, n->loc);
		if (!n->ival)
			emit(g, OP_NOT, 0, n->loc);
		return;
	case N_OTHERWISE: {
		expr(g, n->kids[0]);
		int j = emit(g, OP_JKNOWN_KEEP, 0, n->loc);
		expr(g, n->kids[1]);
		emit(g, OP_FALLBACK, 0, n->loc);
		/* an explanation marks the value the fallback gave */
		if (g->trace)
			emit(g, OP_TRACE_COND, n->id, n->loc);
		patch_a(g, j, here(g));
		return;
	}
	case N_LET:
		expr(g, n->kids[0]);
		emit(g, OP_SETLOCAL, local(g, n->slot), n->loc);
		expr(g, n->kids[1]);
		return;
	default:
		cannot_compile(g, n);
		return;
	}
}

/* ---------------------------------------------------------------- cases */

/* Push the condition under which case i applies: its own condition and its dates. */
static void case_cond(Cg *g, Decl *d, int i)
{
	Case *k = &d->cases[i];
	if (k->cond)
		cond(g, k->cond);
	if (k->from || k->until) {
		date_t f = 0, u = 0;
		Value vf = val_unknown(NULL), vu = val_unknown(NULL);
		if (k->from && date_parse(k->from, strlen(k->from), &f) == 0)
			vf = val_date(f);
		if (k->until && date_parse(k->until, strlen(k->until), &u) == 0)
			vu = val_date(u);
		emit2(g, OP_DATEIN, konst(g, vf), konst(g, vu), k->loc);
		if (k->cond)
			emit(g, OP_AND, 0, k->loc);
	} else if (!k->cond) {
		emit(g, OP_TRUE, 0, k->loc);
	}
}

/* The explicit order of a table's values (hit priority [..]), folded to a
 * constant list by the checker's literals; unknown means the enum's order. */
static Value hit_order(const Decl *d)
{
	const Node *o = d->hit_order;
	if (!o)
		return val_unknown(NULL);
	List *l = val_list_new((uint32_t)o->nkids);
	for (int i = 0; i < o->nkids; i++)
		l->items[i] = o->kids[i]->is_const ? o->kids[i]->k : val_unknown(NULL);
	return val_list(l);
}

/* A table that gathers every row that applies (any, priority, output order,
 * rule order, collect and its sum, count, min and max): the rows' values go
 * into a list, with their row numbers where the policy needs them, and HIT
 * reduces the list by the policy.  When no row applies, HIT falls through to
 * the default row's value, if there is one. */
static void gather(Cg *g, Decl *d, int base)
{
	Loc loc = d->loc;
	int acc = local(g, base + d->ncases);
	bool pairs = d->hit == HIT_ANY || hit_ranks(d->hit);
	int dflt = -1;
	emit2(g, OP_ACCINIT, acc, ACC_LIST, loc);
	for (int i = 0; i < d->ncases; i++) {
		if (d->cases[i].is_default) {
			dflt = i;
			continue;
		}
		Loc at = d->cases[i].loc;
		case_cond(g, d, i);
		if (pairs) {
			/* [row, value, condition] for every row that applies or may
			 * apply: whether an undecided row matters depends on its value */
			int c = local(g, base + i);
			emit(g, OP_SETLOCAL, c, at);
			emit(g, OP_LOCAL, c, at);
			int skip = emit(g, OP_JFALSE_KEEP, 0, at);
			emit(g, OP_POP, 0, at);
			if (g->trace)
				emit(g, OP_TRACE_CASE, i, at);
			push_const(g, val_int(i), at);
			expr(g, d->cases[i].value);
			emit(g, OP_LOCAL, c, at);
			emit(g, OP_MKLIST, 3, at);
			emit2(g, OP_ACC, acc, ACC_LIST, at);
			int next = emit(g, OP_JUMP, 0, at);
			patch_a(g, skip, here(g));
			emit(g, OP_POP, 0, at);
			patch_a(g, next, here(g));
			continue;
		}
		int f = emit2(g, OP_FILTER, acc, 0, at);
		if (g->trace)
			emit(g, OP_TRACE_CASE, i, at);
		if (d->hit == HIT_COUNT)
			emit(g, OP_TRUE, 0, loc);
		else
			expr(g, d->cases[i].value);
		emit2(g, OP_ACC, acc, ACC_LIST, at);
		patch_b(g, f, here(g));
	}
	emit2(g, OP_ACCEND, acc, ACC_LIST, loc);
	CaseTab *t = GC_MALLOC(sizeof *t);
	t->mode = PICK_GATHER;
	t->hit = d->hit;
	t->n = d->ncases;
	t->has_default = dflt >= 0;
	t->order = hit_order(d);
	const Type *vt = d->type->kind == TY_LIST ? d->type->elem : d->type;
	t->zero = ty_zero(vt);
	Chunk *ch = g->ch;
	AST_PUSH(ch->cases, ch->ncases, t);
	emit(g, OP_HIT, ch->ncases - 1, loc);
	if (dflt >= 0) {
		if (g->trace)
			emit(g, OP_TRACE_CASE, dflt, d->cases[dflt].loc);
		expr(g, d->cases[dflt].value);
		if (hit_gives_list(d->hit))
			emit(g, OP_MKLIST, 1, d->cases[dflt].loc);
	}
	t->end = here(g);
	emit(g, OP_RETURN, 0, loc);
}

/* Order dated values by their `from` text (ISO dates sort as text). */
static int by_from(const void *a, const void *b)
{
	return strcmp((*(const Case *const *)a)->from, (*(const Case *const *)b)->from);
}

/* Each default's rank: 0 undated, else 1 + the number of distinct earlier
 * `from` dates, so that a later amendment outranks an earlier one, as it
 * supersedes it; exceptions keep 0.  n log n in the cases. */
static int *date_ranks(const Decl *d)
{
	int n = d->ncases, m = 0;
	int *rank = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(n ? n : 1));
	Case **dated = GC_MALLOC(sizeof(Case *) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		if (d->cases[i].is_default && d->cases[i].from)
			dated[m++] = &d->cases[i];
	qsort(dated, (size_t)m, sizeof *dated, by_from);
	for (int i = 0, r = 0; i < m; i++) {
		if (i == 0 || strcmp(dated[i - 1]->from, dated[i]->from) != 0)
			r++;
		rank[dated[i] - d->cases] = r;
	}
	return rank;
}

/* The `overrides` of each case as index lists (see CaseTab); NULL when no
 * case overrides another. */
static int *override_lists(const Decl *d, int **over)
{
	int n = d->ncases, total = 0;
	for (int i = 0; i < n; i++)
		total += d->cases[i].override_idx ? d->cases[i].noverrides : 0;
	*over = NULL;
	if (!total)
		return NULL;
	int *start = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(n + 1));
	int *list = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)total);
	int k = 0;
	for (int i = 0; i < n; i++) {
		start[i] = k;
		for (int j = 0; d->cases[i].override_idx && j < d->cases[i].noverrides; j++)
			if (d->cases[i].override_idx[j] >= 0 && d->cases[i].override_idx[j] != i)
				list[k++] = d->cases[i].override_idx[j];
	}
	start[n] = k;
	*over = list;
	return start;
}

/* Of a decision of an unconditional default and one exception, neither
 * dated nor overriding: the exception's case (which PICK would choose
 * exactly where its condition holds, the default where it does not, and
 * neither where it is unknown); else -1. */
static int one_exception(const Decl *d)
{
	if (d->is_table || d->ncases != 2)
		return -1;
	for (int i = 0; i < 2; i++) {
		const Case *k = &d->cases[i];
		bool cond_as_its_kind = k->is_default ? !k->cond : k->cond != NULL;
		if (k->from || k->until || k->noverrides || !cond_as_its_kind)
			return -1;
	}
	return d->cases[0].is_default == d->cases[1].is_default ? -1 : d->cases[0].is_default ? 1 : 0;
}

static void cases(Cg *g, Decl *d)
{
	Loc loc = d->loc;
	/* a table with parameters keeps its rows' slots after them */
	int base = d->kind == D_FUNCTION ? d->nparams : 0;
	if (d->is_table && hit_gathers(d->hit)) {
		gather(g, d, base);
		return;
	}
	/* a single unconditional, undated case needs no PICK */
	if (d->ncases == 1 && !d->cases[0].cond && !d->cases[0].from && !d->cases[0].until) {
		if (g->trace)
			emit(g, OP_TRACE_CASE, 0, d->cases[0].loc);
		/* a true/false rule is a condition: explain its parts */
		if (g->trace && d->type && d->type->kind == TY_BOOL)
			cond(g, d->cases[0].value);
		else
			expr(g, d->cases[0].value);
		emit(g, OP_RETURN, 0, loc);
		return;
	}
	int e = one_exception(d);
	if (e >= 0 && !g->trace) {
		branch(g, d->cases[e].cond, d->cases[e].value, d->cases[1 - e].value, d->cases[e].loc);
		emit(g, OP_RETURN, 0, loc);
		return;
	}
	CaseTab *t = GC_MALLOC(sizeof *t);
	int n = d->ncases;
	t->n = n;
	t->mode = d->is_table ? (d->hit == HIT_FIRST ? PICK_FIRST : PICK_UNIQUE) : PICK_PRECEDENCE;
	t->hit = d->hit;
	t->first_slot = local(g, base);
	t->target = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)n);
	t->is_default = GC_MALLOC_ATOMIC((size_t)n);
	for (int i = 0; i < n; i++)
		t->is_default[i] = d->cases[i].is_default;
	t->rank = date_ranks(d);
	t->over_start = override_lists(d, &t->over);
	for (int i = 0; i < n; i++) {
		case_cond(g, d, i);
		emit(g, OP_SETLOCAL, local(g, base + i), d->cases[i].loc);
	}
	Chunk *ch = g->ch;
	AST_PUSH(ch->cases, ch->ncases, t);
	emit(g, OP_PICK, ch->ncases - 1, loc);
	int *ends = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)n);
	for (int i = 0; i < n; i++) {
		t->target[i] = here(g);
		if (g->trace)
			emit(g, OP_TRACE_CASE, i, d->cases[i].loc);
		expr(g, d->cases[i].value);
		ends[i] = emit(g, OP_JUMP, 0, d->cases[i].loc);
	}
	t->end = here(g);
	for (int i = 0; i < n; i++)
		patch_a(g, ends[i], t->end);
	emit(g, OP_RETURN, 0, loc);
}

/* ----------------------------------------------------------------- entry */

static Chunk *decl_chunk(const Program *p, Decl *d, bool trace, Work *w)
{
	Cg g = cg_new(p, new_chunk(d->qname, d->nlocals), trace, w);
	g.ch->decl = d;
	if (d->kind == D_FUNCTION) {
		g.ch->nargs = d->nparams;
	}
	if (d->kind == D_FUNCTION && d->body) {
		expr(&g, d->body);
		emit(&g, OP_RETURN, 0, d->loc);
	} else if (d->nbrackets) {
		/* a scale: its brackets in force on the as-of date */
		push_const(&g, scale_describe(d), d->loc);
		emit(&g, OP_SCALE, 0, d->loc);
		emit(&g, OP_RETURN, 0, d->loc);
	} else {
		cases(&g, d);
	}
	return seal(&g);
}

/* Fold each declaration's trees (unless done), compile it (when code) and
 * hand it to visit (unless NULL): the functions' folding first, as calls
 * inline their folded bodies.  Each declaration is folded right before it
 * is compiled and visited, while its tree is in the cache, and the next
 * one's is read meanwhile: a large rule set's trees are larger than the
 * cache, and a walk over them waits on memory at nearly every node. */
static void fold_and_compile(Program *p, bool fold, bool code, CgVisit visit, void *ud)
{
	for (int i = 0; i < p->nfuncs && fold; i++)
		fold_decl(p->funcs[i]);
	Work w = {0};
	for (int i = 0; i < p->ndecls; i++) {
		if (i + 1 < p->ndecls)
			ast_prefetch_decl(p->decls[i + 1]);
		if (fold)
			fold_decl(p->decls[i]);
		if (code)
			p->dchunk[i] = decl_chunk(p, p->decls[i], false, &w);
		if (visit)
			visit(p, p->decls[i], ud);
	}
	p->folded = true;
	for (int i = 0; i < p->nfuncs; i++) {
		if (code)
			p->fchunk[i] = decl_chunk(p, p->funcs[i], false, &w);
		if (visit)
			visit(p, p->funcs[i], ud);
	}
}

void cg_fold_program(Program *p, CgVisit visit, void *ud)
{
	fold_and_compile(p, !p->folded, false, visit, ud);
}

void cg_program(Program *p, CgVisit visit, void *ud)
{
	if (p->dchunk)
		return;
	p->dchunk = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->ndecls + 1));
	p->dchunk_tr = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->ndecls + 1));
	p->fchunk = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->nfuncs + 1));
	p->fchunk_tr = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->nfuncs + 1));
	fold_and_compile(p, !p->folded, true, visit, ud);
	p->rchunk = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->nrequires + 1));
	for (int i = 0; i < p->nrequires; i++)
		p->rchunk[i] = cg_check(p, p->requires[i]);
}

/* The explain-mode chunks are compiled when an explanation first needs
 * them: most loads never explain, and these chunks cost three times the
 * plain ones (their records name facts and conditions).  Threads sharing
 * the program may race to compile one; each builds a whole chunk before
 * publishing it, the chunks are alike, and the last one stays. */
const Chunk *cg_traced(const Program *p, int index, bool function)
{
	Chunk **slot = function ? &p->fchunk_tr[index] : &p->dchunk_tr[index];
	Chunk *ch = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (!ch) {
		/* compiling reads the program and writes only the new chunk */
		Work w = {0};
		ch = decl_chunk(p, function ? p->funcs[index] : p->decls[index], true, &w);
		__atomic_store_n(slot, ch, __ATOMIC_RELEASE);
	}
	return ch;
}

Chunk *cg_expr(const Program *p, const Own *own, Node *e, int nlocals, bool trace, const char *name)
{
	Work w = {0};
	Cg g = cg_new(p, new_chunk(name, nlocals), trace, &w);
	g.own = own;
	/* a query's parts are explained, not the query itself (its value is the answer) */
	if (trace && e->kind == N_BINARY && (e->op == BIN_AND || e->op == BIN_OR))
		cond(&g, e);
	else
		expr(&g, e);
	emit(&g, OP_RETURN, 0, e->loc);
	return seal(&g);
}

Chunk *cg_check(const Program *p, Decl *d)
{
	Work w = {0};
	Cg g = cg_new(p, new_chunk(d->qname, d->nlocals), false, &w);
	if (!d->over) {
		expr(&g, d->cond);
		emit(&g, OP_RETURN, 0, d->loc);
		return seal(&g);
	}
	/* the list of `showing` values of the items whose condition is false */
	int base = d->index, acc = base + 3;
	expr(&g, d->over);
	int prep = emit2(&g, OP_ITERPREP, base, 0, d->loc);
	emit2(&g, OP_ACCINIT, acc, ACC_LIST, d->loc);
	int top = here(&g);
	int iter = emit2(&g, OP_ITER, base, 0, d->loc);
	expr(&g, d->cond);
	emit(&g, OP_NOT, 0, d->cond->loc);
	emit2(&g, OP_FILTER, acc, top, d->cond->loc);
	expr(&g, d->showing);
	emit2(&g, OP_ACC, acc, ACC_LIST, d->showing->loc);
	emit(&g, OP_JUMP, top, d->loc);
	patch_b(&g, iter, here(&g));
	emit2(&g, OP_ACCEND, acc, ACC_LIST, d->loc);
	patch_b(&g, prep, here(&g));
	emit(&g, OP_RETURN, 0, d->loc);
	return seal(&g);
}
