/*
 * vm.c - the bytecode interpreter loop.
 *
 * A stack machine over 16-byte Values.  Each chunk runs in a frame on the
 * context's value stack: its locals first, then its operands.  Decisions are
 * memoized per evaluation, so each is decided at most once; functions are
 * not.  The loop decides the decisions an evaluation asks for, and those
 * they use, without calling itself (c->calls remembers where each caller
 * goes on); functions, builtins and explain mode call it again.  Dispatch
 * uses computed goto where the compiler has it, else a switch; both share
 * one body through the VMCASE/VMBREAK macros.
 *
 * Unknown values flow through every operation (Kleene logic for and, or,
 * not); errors are thrown (protect.h) back to vm_eval_* with a message and
 * the location of the instruction that failed.
 */
#include "mem.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arith.h"
#include "builtins.h"
#include "compile.h"
#include "format.h"
#include "guard.h"
#include "native.h"
#include "opcodes.h"
#include "protect.h"
#include "scale.h"
#include "vm.h"
#include "vmrt.h"

/* ------------------------------------------------------------- errors */

static _Noreturn void fail_at(Ctx *c, int status, Loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static _Noreturn void fail_at(Ctx *c, int status, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->errmsg = xvprintf(fmt, ap);
	va_end(ap);
	c->status = status;
	c->errloc = loc;
	pr_throw(status);
}

/* The location of the instruction being run, kept for messages. */
typedef struct Frame {
	const Chunk *ch;
	const uint32_t *pc;
} Frame;

#define FAIL(status, ...) fail_at(c, status, fr->ch->locs[fr->pc - fr->ch->code - 1], __VA_ARGS__)

/* Unwind with the error already recorded in the context (ctx.h). */
static _Noreturn __attribute__((cold, noinline)) void raise_at(Ctx *c, Loc loc)
{
	c->errloc = loc;
	pr_throw(c->status);
}

static inline void *vm_alloc(Ctx *c, const Frame *fr, size_t n, bool atomic)
{
	void *p = ctx_alloc(c, n, atomic);
	if (!p)
		raise_at(c, fr->ch->locs[fr->pc - fr->ch->code - 1]);
	return p;
}

/* An evaluation's tasks (queries, each a decision or a chunk): run_calls
 * runs them in turn, or, where nothing is in machine code, the
 * interpreter's loop does (VM_TASKS). */
typedef struct VmRun {
	Ctx *c;
	const void *at; /* n pointers; the tasks at byte offset off of what they point to */
	size_t off;
	int n;
	int i;    /* the task under way */
	int decl; /* its decision, -1 for a chunk (next_task sets both) */
	Value *out;
} Run;

/* Task i of the n pointers at `at`, each to an object holding its task at
 * byte offset off. */
static inline const VmTask *task_at(const void *at, size_t off, int i)
{
	const char *obj; /* read as bytes: the array holds a host's own pointer type */
	memcpy(&obj, (const char *)at + sizeof obj * (size_t)i, sizeof obj);
	return (const VmTask *)(obj + off);
}

/* The first task from r->i on that has to run (those decided already go
 * straight to r->out), or NULL when none is left. */
static inline const VmTask *next_task(Ctx *c, Run *r)
{
	int i = r->i, n = r->n; /* in registers: a Value stored may alias r */
	for (; i < n; i++) {
		const VmTask *t = task_at(r->at, r->off, i);
		if (t->decl < 0 || !ctx_memo_hit(c, t->decl)) {
			r->i = i;
			r->decl = t->decl;
			return t;
		}
		r->out[i] = c->memo[t->decl];
	}
	r->i = n;
	return NULL;
}

/* Begin task t: its frame at the bottom of the stack; a decision, marked
 * as being decided.  Returns its chunk. */
static inline const Chunk *begin_task(Ctx *c, const VmTask *t)
{
	if (t->decl >= 0)
		c->state[t->decl] = DS_DECIDING;
	c->stack_top = 0;
	return t->ch;
}

/* A decision the interpreter's loop decides without leaving it (DECIDE):
 * where its caller goes on when it returns.  Each level is also counted in
 * c->depth, so there are never more than VM_MAX_DEPTH. */
typedef struct VmCall {
	const Chunk *ch;
	const uint32_t *pc;
	int base;
	int decl;
} VmCall;

/* ----------------------------------------------------------- contexts */

/* This thread's stack floor (ctx_find_stack_floor), 0 until an
 * evaluation on it first goes deep: on the main thread looking it up reads
 * the process's memory map, which a shallow evaluation (one company at the
 * command line) should not pay for. */
static __thread uintptr_t thread_floor;

/* How far below where it starts an evaluation goes before the thread's
 * floor is looked up. */
#define STACK_PROBE 8192

/* The floor an evaluation starting at `here` first compares with: the
 * thread's, where it is known, else a provisional one STACK_PROBE below. */
static inline uintptr_t first_floor(uintptr_t here)
{
	uintptr_t f = thread_floor;
	return __builtin_expect(f != 0, 1) ? f : here - STACK_PROBE;
}

/* Whether `here`, below c's floor, is below the thread's own: the
 * provisional floor gives way to the thread's, looked up once. */
static __attribute__((noinline, cold)) bool below_floor(Ctx *c, uintptr_t here)
{
	if (!thread_floor)
		thread_floor = ctx_find_stack_floor();
	c->stack_floor = thread_floor;
	return here < thread_floor;
}

Ctx *vm_new(const Program *p)
{
	/* what an evaluation writes, apart from other contexts' */
	Ctx *c = mem_alloc_apart(sizeof *c);
	if (!c)
		return NULL;
	c->p = p;
	c->keep = p->keep;
	c->facts = mem_alloc_apart(sizeof(Value) * (size_t)(p->nfacts + 1));
	c->memo = mem_alloc_apart(sizeof(Value) * (size_t)(p->ndecls + 1));
	c->state = mem_alloc_apart((size_t)p->ndecls + 1);
	c->stamp = mem_alloc_apart(sizeof(uint32_t) * ((size_t)p->ndecls + 1));
	if (!c->facts || !c->memo || !c->state || !c->stamp)
		return NULL; /* (what it gives is cleared: every state undecided, no stamp) */
	c->epoch = 1;
	c->max_steps = VM_DEFAULT_MAX_STEPS;
	c->max_bytes = VM_DEFAULT_MAX_BYTES;
	c->frame = -1;
	c->top_frame = -1;
	c->as_of = date_today();
	return c;
}

/* Forget what this evaluation decided: a new epoch, so no decision's stamp
 * reaches it any more but those kept or overridden (constant time, whatever
 * the size of the rule set, but once in 2^32 evaluations: the epoch never
 * reaches STAMP_ALWAYS). */
static void new_epoch(Ctx *c)
{
	if (++c->epoch == STAMP_ALWAYS) {
		for (int i = 0; i < c->p->ndecls; i++)
			if (c->stamp[i] != STAMP_ALWAYS)
				c->stamp[i] = 0;
		c->epoch = 1;
	}
}

/* Forget the values kept from earlier evaluations (fact-free decisions). */
static void drop_kept(Ctx *c)
{
	for (int i = 0; i < c->p->ndecls; i++)
		if (c->state[i] == DS_KEPT) {
			c->state[i] = DS_UNDECIDED;
			c->stamp[i] = 0;
		}
}

void vm_reset(Ctx *c)
{
	new_epoch(c);
	/* decisions that read no facts keep their value while the date stays */
	if (c->memo_as_of != c->as_of || c->trace)
		drop_kept(c);
	c->memo_as_of = c->as_of;
	c->nev = 0;
	c->nmcalls = 0;
	c->trace_truncated = false;
	c->steps = 0;
	c->bytes = 0;
	c->depth = 0;
	c->ncalls = 0;
	c->frame = c->top_frame;
	c->status = ST_OK;
	c->errmsg = NULL;
}

void vm_override(Ctx *c, int decl, Value v)
{
	/* values decided or kept may depend on the one overridden */
	new_epoch(c);
	drop_kept(c);
	c->memo[decl] = v;
	c->stamp[decl] = STAMP_ALWAYS;
	c->state[decl] = DS_OVERRIDDEN;
	c->kept++;
}

void vm_clear_overrides(Ctx *c)
{
	memset(c->state, 0, (size_t)c->p->ndecls + 1);
	memset(c->stamp, 0, sizeof(uint32_t) * ((size_t)c->p->ndecls + 1));
	new_epoch(c);
}


/* A frame of its own for a call of function f in explain mode (member:
 * the record a decision for each member is decided for, else unknown):
 * its number, from the program's ndecls + 1 up (Ctx.mcalls); -1 when the
 * trace is out of memory. */
static int new_frame(Ctx *c, int f, Value member)
{
	if (c->nmcalls == c->mccap) {
		int cap = c->mccap ? c->mccap * 2 : 16;
		size_t grow = sizeof(MemberCall) * (size_t)(cap - c->mccap);
		if (cap > INT_MAX / 2 - c->p->ndecls || c->bytes + grow > c->max_bytes) {
			c->trace_truncated = true;
			return -1;
		}
		c->bytes += grow;
		MemberCall *m = GC_MALLOC(sizeof(MemberCall) * (size_t)cap);
		if (c->nmcalls)
			memcpy(m, c->mcalls, sizeof(MemberCall) * (size_t)c->nmcalls);
		c->mcalls = m;
		c->mccap = cap;
	}
	c->mcalls[c->nmcalls] = (MemberCall){f, member};
	return c->p->ndecls + 1 + c->nmcalls++;
}

/* The frame of decision f (a function index) for one member: the frame
 * of an earlier call for the same member where there is a recent one, so
 * a decision used twice for a member is explained once.  -1 when the
 * trace is out of memory. */
static int member_frame(Ctx *c, int f, Value member)
{
	for (int i = c->nmcalls - 1; i >= 0 && i >= c->nmcalls - 64; i--)
		if (c->mcalls[i].func == f && c->mcalls[i].member.tag == V_REC && c->mcalls[i].member.as.r == member.as.r)
			return c->p->ndecls + 1 + i;
	return new_frame(c, f, member);
}

static inline Value exec(Ctx *c, const Chunk *ch, int base);

/* A function call in explain mode: the function records its case,
 * conditions and facts into a frame of its own, and the caller's frame
 * records the call with its arguments and value, so that two calls of one
 * function are explained apart.  The arguments are copied first: the
 * callee's frame starts where they lie. */
static Value traced_call(Ctx *c, const Chunk *fc, int f, int base, int argc)
{
	Value *args = NULL;
	size_t size = sizeof(Value) * (size_t)argc;
	if (c->bytes + size <= c->max_bytes && (args = GC_MALLOC(size ? size : 1)) != NULL) {
		c->bytes += size;
		memcpy(args, c->stack + base, size);
	}
	int saved = c->frame, callee = new_frame(c, f, val_unknown(NULL));
	if (callee < 0)
		return exec(c, fc, base);
	c->frame = callee;
	Value v = exec(c, fc, base);
	c->frame = saved;
	if (!args) {
		c->trace_truncated = true;
		return v;
	}
	int before = c->nev;
	ctx_trace(c, TR_CALL, f, NULL, v);
	if (c->nev > before) {
		c->ev[c->nev - 1].callee = callee;
		c->ev[c->nev - 1].nargs = argc;
		c->ev[c->nev - 1].args = args;
	}
	return v;
}

/* ---------------------------------------------------------- arithmetic */

/* The operations of arith.c, failing at the instruction being run. */
static void must(Ctx *c, Frame *fr, ArStatus st, Value a, Value b)
{
	if (st != AR_OK)
		FAIL(ST_RUNTIME, "%s", ar_message(st, a, b));
}

static Value arith(Ctx *c, Frame *fr, ArOp op, Value a, Value b)
{
	Value r;
	must(c, fr, ar_arith(op, a, b, &r), a, b);
	return r;
}

static int compare(Ctx *c, Frame *fr, Value a, Value b)
{
	int r;
	must(c, fr, ar_compare(a, b, &r), a, b);
	return r;
}

static bool equal(Ctx *c, Frame *fr, Value a, Value b)
{
	bool r;
	must(c, fr, ar_equal(a, b, &r), a, b);
	return r;
}

/* JNEK's test: whether a is still the constant k an unrolled loop was
 * compiled for, the very value (as a param's kept value is) or an equal
 * one.  Comparing costs no steps: it stops within k, a short constant
 * list (compile.c: UNROLL_MAX_ITEMS). */
static inline bool still_const(Ctx *c, Frame *fr, Value a, Value k)
{
	if (ar_same_header(&a, &k) && a.as.i == k.as.i)
		return true;
	return a.tag != V_UNKNOWN && equal(c, fr, a, k);
}

/* ----------------------------------------------------------- the lists */

/* An empty list to accumulate into, its first items in the same block. */
static Value new_acc_list(Ctx *c, Frame *fr)
{
	List *l = vm_alloc(c, fr, sizeof(List) + sizeof(Value) * LIST_FIRST_ROOM, false);
	l->len = 0;
	l->items = (Value *)(l + 1);
	return val_list(l);
}

/* Twice the room for the n items of l (out of line: appending is the
 * common case). */
static __attribute__((noinline)) void list_double(Ctx *c, Frame *fr, List *l, uint32_t n)
{
	Value *items = vm_alloc(c, fr, sizeof(Value) * n * 2, false);
	memcpy(items, l->items, sizeof(Value) * n);
	l->items = items;
}

static inline __attribute__((always_inline)) Value list_grow(Ctx *c, Frame *fr, Value acc, Value item)
{
	List *l = acc.as.l;
	uint32_t n = l->len;
	/* a list accumulator starts with room for LIST_FIRST_ROOM items
	 * (new_acc_list); capacity doubles at powers of two from there, so the
	 * length alone tells when */
	if (list_full(n))
		list_double(c, fr, l, n);
	l->items[n] = item;
	l->len = n + 1;
	return acc;
}

/* A list of n items, its items in the same block. */
static Value new_list(Ctx *c, Frame *fr, uint32_t n)
{
	List *l = vm_alloc(c, fr, sizeof(List) + sizeof(Value) * n, false);
	l->len = n;
	l->items = n ? (Value *)(l + 1) : NULL;
	return val_list(l);
}

/* ---------------------------------------------------------------- PICK */

/* Which true exceptions reach each case through `overrides`, in one or
 * more steps: for case i, by[2i] and by[2i + 1] hold up to two of them (as
 * index + 1; 0: none), enough to tell "beaten by another true case" from
 * "reached only from itself" round a circle of overrides.  One search from
 * every true exception at once; a case is entered once as a source and at
 * most twice as reached, so the cost is linear in cases and overrides. */
static int *overriders(Ctx *c, const Frame *fr, const CaseTab *t, const Value *conds)
{
	int n = t->n;
	int *by = vm_alloc(c, fr, sizeof(int) * (size_t)(5 * n), true);
	int *queue = by + 2 * n, tail = 0; /* entries 2v (v as a source) and 2v + 1 (v reached) */
	for (int v = 0; v < n; v++)
		if (!t->is_default[v] && conds[v].tag == V_BOOL && conds[v].as.i)
			queue[tail++] = 2 * v;
	for (int head = 0; head < tail; head++) {
		int v = queue[head] / 2;
		int from[2] = {v + 1, 0};
		if (queue[head] & 1)
			from[0] = by[2 * v], from[1] = by[2 * v + 1];
		for (int e = t->over_start[v]; e < t->over_start[v + 1]; e++) {
			int *w = &by[2 * t->over[e]];
			bool grew = false;
			for (int k = 0; k < 2; k++)
				if (from[k] && w[0] != from[k] && w[1] != from[k] && !w[1]) {
					w[w[0] ? 1 : 0] = from[k];
					grew = true;
				}
			if (grew)
				queue[tail++] = 2 * t->over[e] + 1;
		}
	}
	return by;
}

/* Whether exception i is beaten: reached from a true exception other
 * than itself (by from overriders; NULL: nothing overrides). */
static bool overridden(const int *by, int i, bool is_true)
{
	if (!by)
		return false;
	if (is_true && by[2 * i] == i + 1)
		return by[2 * i + 1] != 0;
	return by[2 * i] != 0;
}

/* Precedence when every condition is known and there is one winner,
 * without the search: the one true exception (another true exception
 * can neither beat it nor be beaten without one), or else the one true
 * default of the highest rank.  -1 where it takes the search (pick). */
static inline __attribute__((always_inline)) int pick_known(const CaseTab *t, const Value *conds)
{
	int exc = -1, dflt = -1, top = -1;
	bool tie = false;
	if (t->mode == PICK_FIRST)
		return -1;
	for (int i = 0; i < t->n; i++) {
		if (conds[i].tag != V_BOOL)
			return -1;
		if (!conds[i].as.i)
			continue;
		if (!t->is_default[i]) {
			if (exc >= 0)
				return -1;
			exc = i;
		} else if (t->rank[i] >= top) {
			tie = t->rank[i] == top;
			top = t->rank[i];
			dflt = i;
		}
	}
	return exc >= 0 ? exc : tie ? -1 : dflt;
}

/* Choose among the cases of a decision.  Returns the case index, or -1 with
 * *unknown set when the choice depends on missing facts. */
static int pick(Ctx *c, Frame *fr, const CaseTab *t, const Value *conds, Value *unknown)
{
	int n = t->n;
	if (t->mode == PICK_FIRST) {
		Value u = {.tag = V_BOOL};
		for (int i = 0; i < n; i++) {
			Value v = conds[i];
			if (v.tag == V_UNKNOWN && !t->is_default[i])
				u = u.tag == V_UNKNOWN ? val_unknown_union(u, v) : v;
			else if (v.tag == V_BOOL && v.as.i && (!t->is_default[i] || u.tag != V_UNKNOWN)) {
				if (t->is_default[i]) {
					/* the default row applies only when no row did */
					bool any = false;
					for (int j = 0; j < n; j++)
						any |= !t->is_default[j] && conds[j].tag == V_BOOL && conds[j].as.i;
					if (any)
						continue;
				}
				if (u.tag == V_UNKNOWN) {
					*unknown = u;
					return -1;
				}
				return i;
			}
		}
		if (u.tag == V_UNKNOWN) {
			*unknown = u;
			return -1;
		}
		return -2;
	}
	/* precedence: a true case wins unless a true case beats it; an
	 * undecided case matters unless a true case beats it.  Linear in the
	 * cases and their overrides. */
	bool exc_true = false;
	int top = -1; /* the highest rank of a true default */
	for (int i = 0; i < n; i++)
		if (conds[i].tag == V_BOOL && conds[i].as.i) {
			if (!t->is_default[i])
				exc_true = true;
			else if (t->rank[i] > top)
				top = t->rank[i];
		}
	int *by = t->over_start && exc_true ? overriders(c, fr, t, conds) : NULL;
	int win = -1, win2 = -1;
	Value u = {.tag = V_BOOL};
	for (int i = 0; i < n; i++) {
		bool is_true = conds[i].tag == V_BOOL && conds[i].as.i;
		if (!is_true && conds[i].tag != V_UNKNOWN)
			continue;
		bool beaten = t->is_default[i] ? exc_true || t->rank[i] < top : overridden(by, i, is_true);
		if (beaten)
			continue;
		if (!is_true)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, conds[i]) : conds[i];
		else if (win < 0)
			win = i;
		else if (win2 < 0)
			win2 = i;
	}
	if (u.tag == V_UNKNOWN) {
		*unknown = u;
		return -1;
	}
	if (win2 >= 0) {
		if (t->mode == PICK_UNIQUE)
			FAIL(ST_RUNTIME, "%s and %s both apply, but this table allows only one row (hit unique)",
			     prog_case_label(fr->ch->decl, win), prog_case_label(fr->ch->decl, win2));
		FAIL(ST_RUNTIME, "%s and %s both apply and neither overrides the other; add 'overrides' to one of them",
		     prog_case_label(fr->ch->decl, win), prog_case_label(fr->ch->decl, win2));
	}
	return win >= 0 ? win : -2;
}

/* ------------------------------------------------------------- tables */

/* No row of a table applies and it has no default row. */
static _Noreturn void no_row(Ctx *c, Frame *fr)
{
	const Decl *d = fr->ch->decl;
	bool dated = false;
	for (int i = 0; d && i < d->ncases; i++)
		dated |= d->cases[i].from || d->cases[i].until;
	if (dated) {
		char day[DATE_TEXT_LEN + 1];
		date_format(c->as_of, day);
		FAIL(ST_RUNTIME, "no row of table '%s' applies on %s, and it has no 'default' row", fr->ch->name, day);
	}
	FAIL(ST_RUNTIME, "no row of table '%s' applies, and it has no 'default' row; add a row for this case, or a "
			 "'default' row", fr->ch->name);
}

/* The rank of a value in a table's order of values: 0 is the highest. */
static int64_t rank_of(Ctx *c, Frame *fr, const CaseTab *t, Value v, int row)
{
	if (t->order.tag == V_LIST) {
		for (uint32_t i = 0; i < t->order.as.l->len; i++)
			if (t->order.as.l->items[i].tag == v.tag && val_equal(t->order.as.l->items[i], v))
				return i;
		FAIL(ST_RUNTIME, "%s gives %s, which is not in the order of the values of table '%s'",
		     prog_case_label(fr->ch->decl, row), fmt_value_str(c->p, v), fr->ch->name);
	}
	if (v.tag == V_BOOL)
		return !v.as.i; /* true ranks first */
	return v.as.i;          /* an enum member: the order declared */
}

/* Spend, before comparing row value a with b, the steps the comparison
 * operators spend for it (ar_compare_steps): a long text, list or record
 * costs what it reads.  The step limit's error, at the table's
 * instruction, where they run out. */
static void spend_compare(Ctx *c, Frame *fr, Value a, Value b)
{
	if (ctx_charge_compare(c, a, b))
		raise_at(c, fr->ch->locs[fr->pc - fr->ch->code - 1]);
}

/* Whether row value a differs from b (hit any), its steps spent. */
static bool differs(Ctx *c, Frame *fr, Value a, Value b)
{
	if (a.tag != b.tag)
		return true;
	spend_compare(c, fr, a, b);
	return !val_equal(a, b);
}

/* What undecided rows are compared with under any and priority, worked
 * out once for all of them: the first known value of the rows that apply
 * and whether the others all equal it (any); the ranks of the rows that
 * apply, found as far as a comparison needed them, and the greatest of
 * those (priority).  So the check is proportional to the rows, and finds
 * the same errors in the same order as comparing with each row would. */
typedef struct Applying {
	const Value *v;
	const int *row;
	uint32_t k;
	int first;   /* any: the first known value, -1 for none */
	int uniform; /* any: -1 not yet known, else whether all known values equal it */
	uint32_t ranked; /* priority: ranks found for v[0..ranked-1] */
	int64_t worst;   /* the greatest of them (the lowest ranked), -1 for none */
} Applying;

/* Under any: whether the known values of the rows that apply all agree. */
static bool all_agree(Ctx *c, Frame *fr, Applying *a)
{
	if (a->uniform < 0) {
		a->uniform = 1;
		for (uint32_t j = (uint32_t)a->first + 1; j < a->k && a->uniform; j++)
			if (a->v[j].tag != V_UNKNOWN && differs(c, fr, a->v[j], a->v[a->first]))
				a->uniform = 0;
	}
	return a->uniform;
}

/* Whether an undecided row giving p could change the result: under any,
 * where it differs from a known value of a row that applies; under
 * priority, where it could outrank one. */
static bool undecided_matters(Ctx *c, Frame *fr, const CaseTab *t, Applying *a, const Value *p)
{
	if (a->first < 0)
		return false; /* nothing known applies: nothing to change */
	if (t->hit == HIT_ANY)
		return !all_agree(c, fr, a) || differs(c, fr, p[1], a->v[a->first]);
	int64_t r = rank_of(c, fr, t, p[1], (int)p[0].as.i);
	while (a->worst <= r && a->ranked < a->k) {
		uint32_t j = a->ranked++;
		if (a->v[j].tag != V_UNKNOWN) {
			int64_t rj = rank_of(c, fr, t, a->v[j], a->row[j]);
			a->worst = rj > a->worst ? rj : a->worst;
		}
	}
	return a->worst > r;
}

/* Under any, priority and output order: from the triples [row, value,
 * condition] of the rows that apply (condition true) or may apply (unknown
 * for missing facts), keep those that apply in v/row and return what the
 * undecided ones leave open: unknown for the facts of those that could
 * change the result, or a known value (false) when none could. */
static Value undecided_rows(Ctx *c, Frame *fr, const CaseTab *t, List *l, Value *v, int *row, uint32_t *n)
{
	uint32_t k = 0;
	Value u = {.tag = V_BOOL};
	for (uint32_t i = 0; i < l->len; i++) {
		const Value *p = l->items[i].as.l->items;
		if (p[2].tag == V_BOOL) {
			v[k] = p[1];
			row[k++] = (int)p[0].as.i;
		}
	}
	*n = k;
	Applying a = {v, row, k, -1, -1, 0, -1};
	for (uint32_t j = 0; j < k && a.first < 0; j++)
		if (v[j].tag != V_UNKNOWN)
			a.first = (int)j;
	for (uint32_t i = 0; i < l->len; i++) {
		const Value *p = l->items[i].as.l->items;
		if (p[2].tag != V_UNKNOWN || !p[2].as.m || p[2].as.m->len == 0)
			continue; /* decided, or unknown only in the rules' own data: not met */
		bool matters = k == 0 || t->hit == HIT_OUTPUT_ORDER || p[1].tag == V_UNKNOWN ||
			       undecided_matters(c, fr, t, &a, p);
		if (matters)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, p[2]) : p[2];
	}
	return u;
}

/* 'hit sum': the values added up, from the table's zero. */
static Value hit_sum(Ctx *c, Frame *fr, const CaseTab *t, const Value *v, uint32_t n)
{
	Value r = t->zero;
	for (uint32_t i = 0; i < n; i++)
		r = arith(c, fr, AR_ADD, r, v[i]);
	return r;
}

/* 'hit min' and 'hit max': the least or the greatest value, the first of
 * equals. */
static Value hit_min_max(Ctx *c, Frame *fr, const CaseTab *t, const Value *v, uint32_t n)
{
	if (n == 0)
		return val_unknown(NULL); /* nothing to choose from, and no default */
	Value r = v[0];
	for (uint32_t i = 1; i < n; i++) {
		spend_compare(c, fr, v[i], r);
		int k = compare(c, fr, v[i], r);
		if (t->hit == HIT_MIN ? k < 0 : k > 0)
			r = v[i];
	}
	return r;
}

/* 'hit any': the value the rows that apply agree on. */
static Value hit_any(Ctx *c, Frame *fr, const Value *v, const int *row, uint32_t n)
{
	if (n == 0)
		no_row(c, fr);
	for (uint32_t i = 1; i < n; i++)
		if (differs(c, fr, v[i], v[0]))
			FAIL(ST_RUNTIME, "%s and %s both apply and give different values (%s and %s), but in a 'hit any' "
					 "table rows that apply together must agree",
			     prog_case_label(fr->ch->decl, row[0]), prog_case_label(fr->ch->decl, row[i]),
			     fmt_value_str(c->p, v[0]), fmt_value_str(c->p, v[i]));
	return v[0];
}

/* 'hit priority': the value of the row of the best rank, the first of
 * equals. */
static Value hit_priority(Ctx *c, Frame *fr, const CaseTab *t, const Value *v, const int *row, uint32_t n)
{
	if (n == 0)
		no_row(c, fr);
	uint32_t best = 0;
	int64_t br = rank_of(c, fr, t, v[0], row[0]);
	for (uint32_t i = 1; i < n; i++) {
		int64_t r = rank_of(c, fr, t, v[i], row[i]);
		if (r < br) {
			br = r;
			best = i;
		}
	}
	return v[best];
}

/* A row's place under output order: its rank, then where it stood. */
typedef struct Ranked {
	int64_t rank;
	uint32_t at;
} Ranked;

static int cmp_ranked(const void *x, const void *y)
{
	const Ranked *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* 'hit output order': the values in a list sorted by rank, stably: rows
 * of equal rank stay in rule order. */
static Value hit_output_order(Ctx *c, Frame *fr, const CaseTab *t, const Value *v, const int *row, uint32_t n)
{
	Ranked *rk = vm_alloc(c, fr, sizeof(Ranked) * (n + 1), true);
	for (uint32_t i = 0; i < n; i++)
		rk[i] = (Ranked){rank_of(c, fr, t, v[i], row[i]), i};
	qsort(rk, n, sizeof *rk, cmp_ranked);
	Value out = new_list(c, fr, n);
	for (uint32_t i = 0; i < n; i++)
		out.as.l->items[i] = v[rk[i].at];
	return out;
}

/* The value of a table that chooses among, or adds up, the known values
 * v of the rows that apply (row: their numbers). */
static Value hit_choose(Ctx *c, Frame *fr, const CaseTab *t, Value *v, const int *row, uint32_t n)
{
	switch (t->hit) {
	case HIT_SUM:
		return hit_sum(c, fr, t, v, n);
	case HIT_MIN:
	case HIT_MAX:
		return hit_min_max(c, fr, t, v, n);
	case HIT_ANY:
		return hit_any(c, fr, v, row, n);
	case HIT_PRIORITY:
		return hit_priority(c, fr, t, v, row, n);
	case HIT_OUTPUT_ORDER:
		return hit_output_order(c, fr, t, v, row, n);
	default:
		break;
	}
	FAIL(ST_RUNTIME, "unknown hit policy");
}

/* The value of a gathering table from the values of the rows that apply
 * (triples [row, value, condition] for any, priority and output order). */
static Value hit_reduce(Ctx *c, Frame *fr, const CaseTab *t, List *l, bool *none)
{
	uint32_t n = l->len;
	bool pairs = t->hit == HIT_ANY || t->hit == HIT_PRIORITY || t->hit == HIT_OUTPUT_ORDER;
	Value *v = vm_alloc(c, fr, sizeof(Value) * (n + 1), false);
	int *row = vm_alloc(c, fr, sizeof(int) * (n + 1), true);
	Value u = {.tag = V_BOOL};
	if (pairs) {
		u = undecided_rows(c, fr, t, l, v, row, &n);
		if (u.tag == V_UNKNOWN)
			return u;
	} else {
		for (uint32_t i = 0; i < n; i++)
			v[i] = l->items[i];
	}
	if (n == 0 && t->has_default) {
		*none = true; /* the default row's value follows */
		return u;
	}
	for (uint32_t i = 0; i < n; i++)
		if (v[i].tag == V_UNKNOWN)
			u = u.tag == V_UNKNOWN ? val_unknown_union(u, v[i]) : v[i];
	switch (t->hit) {
	case HIT_COLLECT:
	case HIT_RULE_ORDER:
		return val_list(l);
	case HIT_COUNT:
		return val_int(n);
	default:
		break;
	}
	if (u.tag == V_UNKNOWN)
		return u;
	return hit_choose(c, fr, t, v, row, n);
}

/* ------------------------------------------------- loops and records */

/* The instructions below are shared by the loop and by native code
 * (vmrt.h), so that both do one thing one way. */

/* Note an unknown met by a loop's filter or fold in its marker slot: the
 * loop's result will be unknown for those facts too. */
static void note_unknown(Value *marker, Value a)
{
	*marker = marker->tag == V_UNKNOWN ? val_unknown_union(*marker, a) : a;
}

/* ACCINIT: start accumulator L[s] of kind `kind`. */
static inline __attribute__((always_inline)) void acc_init(Ctx *c, Frame *fr, Value *L, int s, int kind)
{
	switch (kind) {
	case ACC_LIST:
		L[s] = new_acc_list(c, fr);
		break;
	case ACC_COUNT:
		L[s] = val_int(0);
		break;
	case ACC_ALL:
		L[s] = val_bool(true);
		break;
	case ACC_ANY:
		L[s] = val_bool(false);
		break;
	default:
		L[s] = val_unknown(NULL);
		break;
	}
	L[s + 1] = val_bool(false);
}

/* ACC of a kind other than ACC_LIST (out of line: see ACC_FOLD): the
 * steps it spends beyond the instruction's own, for min and max those of
 * comparing a with the best so far, as the comparison operators spend
 * them (ar_compare_steps); more than budget, and nothing done, where they
 * run out. */
static __attribute__((noinline)) long long acc_fold_value(Ctx *c, Frame *fr, Value *L, int s, int kind, Value a,
							   long long budget)
{
	if (a.tag == V_UNKNOWN) {
		note_unknown(&L[s + 1], a);
		return 0;
	}
	switch (kind) {
	case ACC_SUM: {
		int64_t r;
		if (ar_same_scale(L[s], a) && ar_is_numeric(a) && !__builtin_add_overflow(L[s].as.i, a.as.i, &r))
			L[s].as.i = r;
		else
			L[s] = arith(c, fr, AR_ADD, L[s], a);
		break;
	}
	case ACC_COUNT:
		L[s].as.i++;
		break;
	case ACC_MIN:
	case ACC_MAX:
		if (L[s].tag == V_UNKNOWN) {
			L[s] = a;
		} else {
			long long n = ar_may_weigh(a) ? ar_compare_steps(a, L[s], budget) : 0;
			if (n > budget)
				return n;
			int r = compare(c, fr, a, L[s]);
			if (kind == ACC_MIN ? r < 0 : r > 0)
				L[s] = a;
			return n;
		}
		break;
	case ACC_ALL:
		if (!a.as.i)
			L[s] = a;
		break;
	case ACC_ANY:
		if (a.as.i)
			L[s] = a;
		break;
	}
	return 0;
}

/* ACCEND: the result of accumulator L[s]: unknown if an unknown was met,
 * except where all/any are decided anyway. */
static inline __attribute__((always_inline)) Value acc_end(Ctx *c, Frame *fr, const Value *L, int s, int kind)
{
	Value u = L[s + 1];
	if (kind == ACC_ALL && !L[s].as.i)
		return L[s];
	if (kind == ACC_ANY && L[s].as.i)
		return L[s];
	if (u.tag == V_UNKNOWN)
		return u;
	if ((kind == ACC_MIN || kind == ACC_MAX) && L[s].tag == V_UNKNOWN)
		FAIL(ST_RUNTIME, "%s of no values", kind == ACC_MIN ? "min" : "max");
	return L[s];
}

/* MKLIST: n values become a list. */
static Value make_list(Ctx *c, Frame *fr, const Value *items, int n)
{
	Value l = new_list(c, fr, (uint32_t)n);
	if (n)
		memcpy(l.as.l->items, items, sizeof(Value) * (size_t)n);
	return l;
}

/* MKREC: n values become the fields of a record of type t. */
static Value make_rec(Ctx *c, Frame *fr, int t, const Value *fields, int n)
{
	Rec *r = vm_alloc(c, fr, sizeof(Rec) + sizeof(Value) * (size_t)n, false); /* its fields in the same block */
	r->n = (uint32_t)n;
	r->f = (Value *)(r + 1);
	memcpy(r->f, fields, sizeof(Value) * (size_t)n);
	Value v = {.tag = V_REC, .aux = t};
	v.as.r = r;
	return v;
}

/* MKENUM: member k carrying the value v (known). */
static Value make_enum(Ctx *c, Frame *fr, Value k, Value v)
{
	EnumData *e = vm_alloc(c, fr, sizeof(EnumData), false);
	e->member = k.as.i;
	e->data = v;
	Value m = {.tag = V_ENUM, .big = 1, .aux = k.aux};
	m.as.e = e;
	return m;
}

/* MEMBER (data false): a member carrying a value as the plain member, so
 * a match compares members alone; ENUMDATA (data true): the value it
 * carries.  Anything else stays as it is. */
static Value enum_part(Value v, bool data)
{
	if (v.tag != V_ENUM || !v.big)
		return v;
	return data ? v.as.e->data : val_enum(v.aux, v.as.e->member);
}

/* IN_HS: the tariff code a in the chapter, heading or subheading b (kind
 * says which), or in any of the list b; both known. */
static bool hs_in(int kind, Value a, Value b)
{
	if (b.tag != V_LIST)
		return ar_hs_match(kind, a, b);
	for (uint32_t i = 0; i < b.as.l->len; i++)
		if (ar_hs_match(kind, a, b.as.l->items[i]))
			return true;
	return false;
}

/* PICK: where case table t sends the code, from the conditions in L: the
 * chosen body's address, or -1 with *u the unknown to push (then on past
 * the bodies, t->end); no case at all is an error. */
static int pick_target(Ctx *c, Frame *fr, const CaseTab *t, const Value *L, Value *u)
{
	int i = pick(c, fr, t, L + t->first_slot, u);
	if (i >= 0)
		return t->target[i];
	if (i == -1)
		return -1;
	const Chunk *ch = fr->ch;
	char day[DATE_TEXT_LEN + 1];
	date_format(c->as_of, day);
	if (ch->decl && ch->decl->kind == D_PARAM)
		FAIL(ST_RUNTIME, "the parameter '%s' has no value on %s", ch->decl->qname, day);
	if (ch->decl && ch->decl->is_table)
		no_row(c, fr);
	FAIL(ST_RUNTIME, "no case of '%s' applies on %s, and it has no default", ch->name, day);
}

/* PICK: pick_target, the common case of precedence in line. */
static inline int pick_to(Ctx *c, Frame *fr, const CaseTab *t, const Value *L, Value *u)
{
	int i = pick_known(t, L + t->first_slot);
	return i >= 0 ? t->target[i] : pick_target(c, fr, t, L, u);
}

/* ------------------------------------------------------------ the loop */

/* Call function f, whose arguments start at stack slot base.  In explain
 * mode a decision for one member is decided in its own frame, and the
 * caller records it as a decision it used. */
static Value call_rule(Ctx *c, const Chunk *fc, int f, int base)
{
	int mf = c->trace && c->p->funcs[f]->each ? member_frame(c, f, c->stack[base]) : -1;
	if (mf < 0)
		return exec(c, fc, base);
	int saved = c->frame;
	c->frame = mf;
	Value v = exec(c, fc, base);
	c->frame = saved;
	ctx_trace(c, TR_DECISION, mf, NULL, v);
	return v;
}

/* Call function f outside explain mode, in machine code where it has some. */
static Value call_plain(Ctx *c, int f, int nb)
{
	const Native *nat = prog_native(c->p);
	if (nat && nat->ffn[f])
		return nat->ffn[f](c, nb);
	return exec(c, c->p->fchunk[f], nb);
}

/* An entry past c->depth_room, the depth c->calls has room for: past the
 * limit, an error; else c->calls grown.  It starts small and doubles, as
 * most rule sets nest a few levels.  A level decided in line is pushed
 * after its entry, at most at depth - 1, so room for depth_room entries is
 * enough.  Pointer-free for the collector: the chunks it points into are
 * the program's, which c->p holds. */
static __attribute__((noinline, cold)) void deeper(Ctx *c, const Chunk *ch)
{
	if (c->depth > VM_MAX_DEPTH)
		fail_at(c, ST_LIMIT, ch->locs[0], "decisions and functions call each other more than %d deep", VM_MAX_DEPTH);
	int cap = c->calls_cap ? 2 * c->calls_cap : 8;
	while (cap < c->depth)
		cap *= 2;
	if (cap > VM_MAX_DEPTH)
		cap = VM_MAX_DEPTH;
	VmCall *k = GC_MALLOC_ATOMIC(sizeof(VmCall) * (size_t)cap); /* throws ST_MEMORY when short */
	if (c->ncalls)
		memcpy(k, c->calls, sizeof(VmCall) * (size_t)c->ncalls);
	c->calls = k;
	c->calls_cap = c->depth_room = cap;
}

static void ensure_stack(Ctx *c, int need)
{
	if (need <= c->cap)
		return;
	int cap = c->cap ? c->cap : 256;
	while (cap < need)
		cap *= 2;
	Value *s = GC_MALLOC(sizeof(Value) * (size_t)cap); /* throws ST_MEMORY when short */
	if (c->cap)
		memcpy(s, c->stack, sizeof(Value) * (size_t)c->cap);
	c->stack = s;
	c->cap = cap;
}

/* Decision d decided as v, into the memo: for this evaluation, or kept
 * (after: DS_KEPT) for the next ones too. */
static inline void decided(Ctx *c, int d, Value v, unsigned char after)
{
	c->memo[d] = v;
	c->stamp[d] = after == DS_KEPT ? STAMP_ALWAYS : c->epoch;
	c->state[d] = after;
}

/* The state of decision d once decided outside explain mode: kept, where
 * it reads no facts (its value holds for the next evaluations too). */
static inline unsigned char after_deciding(Ctx *c, int d)
{
	if (!c->keep[d])
		return DS_UNDECIDED;
	c->kept++; /* the region's recycling keeps its value */
	return DS_KEPT;
}

/* Decision d, not in the memo, marked as being decided: an error (at the
 * instruction fr is at) where it already is, as it depends on itself. */
static inline void begin_deciding(Ctx *c, const Frame *fr, int d)
{
	if (c->state[d] == DS_DECIDING)
		FAIL(ST_RUNTIME, "'%s' depends on itself", c->p->decls[d]->qname);
	c->state[d] = DS_DECIDING;
}

/* Decision d, not in the memo, about to be decided by its code compiled
 * in line (DECIDE_IN): marked as being decided, a level deeper, as its
 * call would be (c->calls is not used). */
static inline void into_line(Ctx *c, Frame *fr, int d)
{
	begin_deciding(c, fr, d);
	if (__builtin_expect(++c->depth > c->depth_room, 0))
		deeper(c, c->p->dchunk[d]);
}

/* Decision d decided as v by its code compiled in line (DECIDED): into
 * the memo, as its return would put it there, and a level up. */
static inline void out_of_line(Ctx *c, int d, Value v)
{
	decided(c, d, v, after_deciding(c, d));
	c->depth--;
}

/* Decision d, marked as being decided, decided in explain mode: through
 * its traced code, what it records recorded for d. */
static __attribute__((noinline, cold)) Value decide_traced(Ctx *c, int d)
{
	int saved = c->frame;
	c->frame = d;
	Value v = exec(c, cg_traced(c->p, d, false), -1);
	c->frame = saved;
	decided(c, d, v, DS_UNDECIDED);
	return v;
}

/* Decision d's machine code, or NULL where it is interpreted. */
static inline NativeFn native_dfn(const Program *p, int d)
{
	const Native *nat = prog_native(p);
	return nat ? nat->dfn[d] : NULL;
}

/* Decision d, marked as being decided, decided now: in explain mode
 * (c->trace) through its traced code; else through fn, its machine code
 * (NULL: interpreted).  Its frame starts at the stack top. */
static inline __attribute__((always_inline)) Value decide_now(Ctx *c, int d, NativeFn fn)
{
	if (__builtin_expect(c->trace, 0))
		return decide_traced(c, d);
	Value v = fn ? fn(c, -1) : exec(c, c->p->dchunk[d], -1);
	decided(c, d, v, after_deciding(c, d));
	return v;
}

/* Decision d's value, deciding it where it is not in the memo.  Out of
 * line (decide) for the instructions, which test the memo first where it
 * matters (DECIDE): gcc splitting its memo test into each of them cost the
 * benchmark 20 to 28 instructions a company. */
static inline __attribute__((always_inline)) Value decide_in(Ctx *c, Frame *fr, int d)
{
	if (ctx_memo_hit(c, d))
		return c->memo[d];
	begin_deciding(c, fr, d);
	return decide_now(c, d, native_dfn(c->p, d));
}

static __attribute__((noinline)) Value decide(Ctx *c, Frame *fr, int d)
{
	return decide_in(c, fr, d);
}

#if defined(__GNUC__)
#define VM_COMPUTED_GOTO 1
#endif

/* The value dated values hold on a date: the pairs [date, value] are in
 * date order, and the last one from that date or before wins.  Before the
 * first, unknown for "PATH on DATE".  *how says which value it was. */
static Value dated_value(const List *l, int64_t when, const char *path, const char *on, const char **how)
{
	uint32_t lo = 0, hi = l->len; /* the first pair after `when` */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->items[mid].as.l->items[0].as.i <= when)
			lo = mid + 1;
		else
			hi = mid;
	}
	char from[16];
	if (lo > 0) {
		date_format((date_t)l->items[lo - 1].as.l->items[0].as.i, from);
		*how = xprintf("the value from %s", from);
		return l->items[lo - 1].as.l->items[1];
	}
	*how = "it has no dated value";
	if (l->len) {
		date_format((date_t)l->items[0].as.l->items[0].as.i, from);
		*how = xprintf("before its first dated value, from %s", from);
	}
	const char *m = xprintf("%s on %s", path, on);
	return val_unknown(val_missing1(m, strlen(m)));
}

/* AT: the value of a fact over time s on the date `when`; traced, the read
 * is recorded as "PATH on DATE (the value from FROM)" for explanations. */
static Value series_value(Ctx *c, Value s, Value when, const Str *path, int traced)
{
	char on[16] = "an unknown date";
	if (when.tag == V_DATE)
		date_format((date_t)when.as.i, on);
	Value v;
	const char *how;
	if (s.tag == V_UNKNOWN || when.tag == V_UNKNOWN) {
		v = val_unknown_union(s, when);
		how = s.tag == V_UNKNOWN ? "not given" : "the date is unknown";
	} else if (s.tag != V_LIST || when.tag != V_DATE) {
		return val_unknown(NULL); /* never made by the facts reader or a test (a bug): no value */
	} else {
		v = dated_value(s.as.l, when.as.i, path->data, on, &how);
	}
	if (traced) {
		const char *t = xprintf("%s on %s (%s)", path->data, on, how);
		ctx_trace(c, TR_FACT, 0, val_str_new(t, strlen(t)), v);
	}
	return v;
}

/* Room on the stack for ch's frame at base. */
static inline __attribute__((always_inline)) void frame_room(Ctx *c, const Chunk *ch, int base)
{
	if (__builtin_expect(base + ch->nlocals + ch->maxstack > c->cap, 0))
		ensure_stack(c, base + ch->nlocals + ch->maxstack);
}

/* Entering a chunk: one level deeper (within the limit; from a C call,
 * c_call, which takes stack of its own, above the thread's stack floor
 * too), its frame at base (-1: the stack top), room on the stack.
 * Returns the base. */
static inline __attribute__((always_inline)) int enter_as(Ctx *c, const Chunk *ch, int base, bool c_call)
{
	char here; /* its address: how low on the thread's stack this call is */
	if (__builtin_expect(++c->depth > c->depth_room, 0))
		deeper(c, ch);
	if (c_call && __builtin_expect((uintptr_t)&here < c->stack_floor, 0) && below_floor(c, (uintptr_t)&here))
		fail_at(c, ST_LIMIT, ch->locs[0], "decisions and functions call each other too deeply for this thread's stack");
	if (base < 0)
		base = c->stack_top;
	frame_room(c, ch, base);
	return base;
}

static inline __attribute__((always_inline)) int enter(Ctx *c, const Chunk *ch, int base)
{
	return enter_as(c, ch, base, true);
}

/* A chunk the loop goes on in without calling itself (a decision). */
static inline __attribute__((always_inline)) int enter_in_loop(Ctx *c, const Chunk *ch, int base)
{
	return enter_as(c, ch, base, false);
}

static Value exec_at(Ctx *c, const Chunk *ch, int base, int start, int depth);
#define VM_TASKS (-2)

/* min(a, b) or max(a, b) (acc: ACC_MIN or ACC_MAX) of ab[0], ab[1], two
 * known values that order in place (amounts of one scale): as the builtin
 * chooses, the second only where it is strictly better.  False where it
 * takes the builtin (bi_call). */
static inline bool min_max_in_place(int acc, const Value *ab, Value *out)
{
	if (!ar_same_scale(ab[0], ab[1]))
		return false;
	bool second = acc == ACC_MIN ? ab[1].as.i < ab[0].as.i : ab[1].as.i > ab[0].as.i;
	*out = ab[second];
	return true;
}

/* IN of *top in l, beyond a plain member: *top becomes the answer
 * (ar_in_within), and the result is budget less the steps of comparing
 * long values it spent, below 0 where they ran out (out of line, and with
 * the budget handed back, so that it stays in exec_at's register). */
static __attribute__((noinline)) long long in_within(Value *top, const List *l, long long budget)
{
	ar_in_within(*top, l, &budget, top);
	return budget;
}

/* Whether order r (-1, 0, 1) meets comparison op (LT, LE, GT or GE): a
 * bit for each r in a mask for each op, rather than a test for each op. */
static inline bool order_holds(unsigned op, int r)
{
	_Static_assert(OP_LE == OP_LT + 1 && OP_GT == OP_LT + 2 && OP_GE == OP_LT + 3, "LT, LE, GT, GE in a row");
	static const unsigned char holds[4] = {1, 3, 4, 6}; /* r < 0 | r = 0 | r > 0: bits 0, 1, 2 */
	return holds[op - OP_LT] >> (r + 1) & 1;
}

/* The truth of a OP b, OP a comparison (LT, LE, GT, GE, EQ, NE) or IN,
 * where the two known values decide it in place, as OP's own fast path
 * would, and *cost (the steps of IN's items) is within budget: 0 or 1; -1
 * where OP must run as an instruction (unknowns, text, wide numbers...). */
static inline int test_in_place(unsigned op, Value a, Value b, long long budget, long long *cost)
{
	int r;
	*cost = 0;
	switch (op) {
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		/* decimals in 64 bits at one scale or two alike (which varies from
		 * record to record), then whole numbers, dates and the like */
		if (ar_order_scaled(a, b, &r))
			return order_holds(op, r);
		if (!ar_same_scale(a, b))
			return -1;
		return order_holds(op, (a.as.i > b.as.i) - (a.as.i < b.as.i));
	case OP_EQ:
	case OP_NE:
		if (!ar_equal_in_place(a, b))
			return -1;
		return (a.as.i == b.as.i) == (op == OP_EQ);
	case OP_IN:
		if (a.tag != V_ENUM || a.big || b.tag != V_LIST || b.as.l->len > budget)
			return -1;
		*cost = b.as.l->len;
		return ar_in_place(a, b.as.l);
	default:
		return -1;
	}
}

/* Field f of fact root r (`company.size`); a root that is not a record
 * (unknown: not given) stands for its fields too. */
static inline Value fact_field(const Ctx *c, int r, uint32_t f)
{
	const Value *v = &c->facts[r];
	return v->tag == V_REC ? v->as.r->f[f] : *v;
}

/* ITER S B at word it: the next item of the list in L[S] into L[S+2], and
 * the word after the ITER; at the end of the list, word B. */
static inline const uint32_t *iter_next(Value *L, const uint32_t *code, const uint32_t *it)
{
	int s = INS_A(it[0]);
	const List *l = L[s].as.l;
	int64_t i = L[s + 1].as.i;
	if (i >= (int64_t)l->len)
		return code + it[1];
	L[s + 2] = l->items[i];
	L[s + 1].as.i = i + 1;
	return it + 2;
}

static inline __attribute__((always_inline)) Value exec(Ctx *c, const Chunk *ch, int base)
{
	return exec_at(c, ch, base, -1, 0);
}

/* Run ch, entered at base, from word `start` with `depth` values on its
 * operand stack, to its RETURN; start -1: enter it first (at base, -1
 * for the stack top) and run it from the beginning; start VM_TASKS: decide
 * the tasks of c->run (ch and base unused). */
static Value exec_at(Ctx *c, const Chunk *ch, int base, int start, int depth)
{
	/* VM_TASKS: the decisions of c->run, in turn, from the first one not
	 * decided yet */
	const bool tasks = start == VM_TASKS;
	if (tasks) {
		const VmTask *t = next_task(c, c->run);
		if (!t)
			return val_unknown(NULL);
		ch = begin_task(c, t);
		base = 0; /* begin_task's bottom of the stack */
		start = -1;
	}
	if (start < 0) {
		base = enter(c, ch, base);
		start = 0;
	}
	/* every local is written before it is read (the compiler sees to it) */
	Value *L = c->stack + base;
	Value *sp = L + ch->nlocals + depth; /* next free slot */
	/* pc lives in a register: a call that may fail is handed a frame
	 * with its value (AT_PC), which errors read for their location */
	const uint32_t *code = ch->code, *pc = code + start;
	const Value *K = ch->k;
	/* the decisions this run of the loop decides in line are those above
	 * floor in c->calls */
	const int floor = c->ncalls;
	uint32_t w;
	Value a, b;
	/* the step budget lives in a register; c->steps is brought up to date
	 * around calls, which spend from the same budget */
	long long budget = (long long)(c->max_steps - c->steps);
#define STEPS_OUT() (c->steps = c->max_steps - (unsigned long long)budget)
#define STEPS_IN() (budget = (long long)(c->max_steps - c->steps))

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define JUMPTO(t) (pc = code + (t))
#define AT_PC() (&(Frame){ch, pc})
#undef FAIL
#define FAIL(status, ...) fail_at(c, status, ch->locs[pc - code - 1], __VA_ARGS__)
#define RELOAD()                                                                       \
	do {                                                                           \
		ptrdiff_t off_ = sp - L;                                               \
		L = c->stack + base;                                                   \
		sp = L + off_;                                                         \
	} while (0)
#define SAVE_TOP() (c->stack_top = (int)(sp - c->stack))
#define INTERRUPTED() (c->interrupt && __atomic_load_n(c->interrupt, __ATOMIC_RELAXED))
/* Go on in chunk ch_ at word pc_ of the frame at base_ (its locals L). */
#define SWITCH_TO(ch_, pc_, base_)                                                     \
	do {                                                                           \
		ch = (ch_);                                                            \
		code = ch->code;                                                       \
		K = ch->k;                                                             \
		pc = (pc_);                                                            \
		base = (base_);                                                        \
		L = c->stack + base;                                                   \
	} while (0)
/* Go on at the start of chunk ch_, its frame at base_, entered already,
 * with nothing on its operand stack. */
#define START_AT(ch_, base_)                                                           \
	do {                                                                           \
		SWITCH_TO((ch_), (ch_)->code, (base_));                                \
		sp = L + ch->nlocals;                                                  \
	} while (0)
/* Go on at the start of decision chunk dc_, its frame at the stack's top
 * (c->stack_top), counted as one level deeper. */
#define GO_INTO(dc_)                                                                   \
	do {                                                                           \
		const Chunk *dc_in_ = (dc_);                                           \
		int nb_ = enter_in_loop(c, dc_in_, -1);                                \
		START_AT(dc_in_, nb_);                                                 \
	} while (0)
/* The chunk's value is a_: a level up, back to the chunk that decided it
 * in line, its decision decided; at the bottom of the loop's calls, on to
 * the next task (task_done, which keeps the level for it) where the loop
 * runs an evaluation's tasks, else out of the loop. */
#define RETURN_VALUE(a_)                                                               \
	do {                                                                           \
		if (c->ncalls == floor) {                                              \
			if (tasks) {                                                   \
				a = (a_);                                              \
				goto task_done;                                        \
			}                                                              \
			c->depth--;                                                    \
			STEPS_OUT();                                                   \
			return (a_);                                                   \
		}                                                                      \
		c->depth--;                                                            \
		a = (a_);                                                              \
		const VmCall *k_ = &c->calls[--c->ncalls];                             \
		decided(c, k_->decl, a, after_deciding(c, k_->decl));                  \
		sp = c->stack + base; /* the callee's frame began at the caller's top */ \
		SWITCH_TO(k_->ch, k_->pc, k_->base);                                   \
		PUSH(a);                                                               \
	} while (0)

#ifdef VM_COMPUTED_GOTO
	static const void *const labels[OP__ALL] = {
#define X(name, words, effect, doc) &&op_##name,
		EDICT_OPCODES(X)
#undef X
#define X(name, first, doc) &&op_##name,
		EDICT_FUSED(X)
#undef X
	};
#define VMDISPATCH()                                                                   \
	do {                                                                           \
		DEBUG_ASSERT(sp - L <= ch->nlocals + ch->maxstack);                    \
		if (__builtin_expect(--budget < 0, 0))                                 \
			goto steps_exceeded;                                           \
		w = *pc++;                                                         \
		goto *labels[INS_RAW(w)];                                              \
	} while (0)
#define VMCASE(name) op_##name:
#define VMBREAK VMDISPATCH()
	VMDISPATCH();
#else
#define VMCASE(name) case OP_##name: op_##name:
#define VMBREAK break
	for (;;) {
		DEBUG_ASSERT(sp - L <= ch->nlocals + ch->maxstack);
		if (--budget < 0)
			goto steps_exceeded;
		w = *pc++;
		switch (INS_RAW(w)) {
#endif

	/* CONST: push the constant K[A]. */
	VMCASE(CONST)
		PUSH(K[INS_A(w)]);
		VMBREAK;
	/* TRUE, FALSE, UNKNOWN: push a literal. */
	VMCASE(TRUE)
		PUSH(val_bool(true));
		VMBREAK;
	VMCASE(FALSE)
		PUSH(val_bool(false));
		VMBREAK;
	VMCASE(UNKNOWN)
		PUSH(val_unknown(NULL));
		VMBREAK;
	/* ASOF: push the as-of date of this evaluation. */
	VMCASE(ASOF)
		PUSH(val_date(c->as_of));
		VMBREAK;
	VMCASE(POP)
		sp--;
		VMBREAK;
	/* LOCAL, SETLOCAL: read and write frame slot A. */
	VMCASE(LOCAL)
		PUSH(L[INS_A(w)]);
		VMBREAK;
	VMCASE(SETLOCAL)
		L[INS_A(w)] = POP();
		VMBREAK;
	/* FACT: push fact root A; missing facts are unknown values carrying
	 * their path, put there by the facts loader. */
	VMCASE(FACT)
		PUSH(c->facts[INS_A(w)]);
		VMBREAK;
	/* FIELD: replace the record on top with its field A.  The field of an
	 * unknown record is unknown for the same facts. */
	VMCASE(FIELD)
		if (TOP().tag == V_REC)
			TOP() = TOP().as.r->f[INS_A(w)];
		VMBREAK;
	/* LOCALFIELD A B: push field B of the record in L[A]. */
	VMCASE(LOCALFIELD) {
		Value r = L[INS_A(w)];
		uint32_t f = *pc++;
		PUSH(r.tag == V_REC ? r.as.r->f[f] : r);
		VMBREAK;
	}
	/* FACTFIELD A B: push field B of fact root A (`company.size`). */
	VMCASE(FACTFIELD) {
		PUSH(fact_field(c, INS_A(w), *pc++));
		VMBREAK;
	}
	/* DECIDE: push decision A, deciding it on first use (memoized). */
	VMCASE(DECIDE) {
		int d = INS_A(w);
		if (__builtin_expect(ctx_memo_hit(c, d) && !c->trace, 1)) {
			PUSH(c->memo[d]); /* decided or kept: straight from the memo */
			VMBREAK;
		}
		/* not in the memo (outside explain mode, a hit went on above):
		 * decided here, without a call, where it is interpreted */
		if (!c->trace && !native_dfn(c->p, d)) {
			begin_deciding(c, AT_PC(), d);
			const VmCall k = {ch, pc, base, d};
			SAVE_TOP();
			GO_INTO(c->p->dchunk[d]); /* room in c->calls (deeper) */
			c->calls[c->ncalls++] = k;
			VMBREAK;
		}
		if (ctx_memo_hit(c, d)) {
			a = c->memo[d];
		} else {
			SAVE_TOP();
			STEPS_OUT();
			a = decide(c, AT_PC(), d);
			STEPS_IN();
			RELOAD();
		}
		if (c->trace)
			ctx_trace(c, TR_DECISION, d, NULL, a);
		PUSH(a);
		VMBREAK;
	}
	/* DECIDE_IN A B: decision A, its code compiled in line up to its
	 * DECIDED (compile.c: decide_in_line): where the memo has it, pushed,
	 * and on past its code at B; else marked as being decided, and on
	 * into its code.  In explain mode (code compiled for it has no
	 * DECIDE_IN), as DECIDE from B, whose word before (the DECIDED) has
	 * the same place. */
	VMCASE(DECIDE_IN) {
		int d = INS_A(w), to = (int)*pc++;
		if (__builtin_expect(ctx_memo_hit(c, d) && !c->trace, 1)) {
			PUSH(c->memo[d]);
			JUMPTO(to);
			VMBREAK;
		}
		if (__builtin_expect(c->trace, 0)) {
			JUMPTO(to);
			goto op_DECIDE;
		}
		into_line(c, AT_PC(), d);
		VMBREAK;
	}
	/* DECIDED A: the top is the value of decision A, decided in line:
	 * into the memo, as its return would put it there, and a level up. */
	VMCASE(DECIDED) {
		out_of_line(c, INS_A(w), TOP());
		VMBREAK;
	}
	/* CALL A B: call function A; its B arguments are the top of the stack
	 * and become its first locals. */
	VMCASE(CALL) {
		int f = INS_A(w), argc = (int)*pc++;
		sp -= argc;
		int nb = (int)(sp - c->stack);
		const Chunk *fc = c->trace ? cg_traced(c->p, f, true) : c->p->fchunk[f];
		STEPS_OUT();
		a = !c->trace ? call_plain(c, f, nb) : c->p->funcs[f]->each ? call_rule(c, fc, f, nb) : traced_call(c, fc, f, nb, argc);
		STEPS_IN();
		RELOAD();
		PUSH(a);
		VMBREAK;
	}
	/* BUILTIN A B: builtin A over the top B values. */
	VMCASE(BUILTIN) {
		int bi = INS_A(w), argc = (int)*pc++;
		sp -= argc;
		int acc = bi_table[bi].acc;
		if ((acc != ACC_MIN && acc != ACC_MAX) || argc != 2 || !min_max_in_place(acc, sp, &a)) {
			STEPS_OUT();
			if (bi_call(c, bi, sp, argc, &a) != ST_OK)
				raise_at(c, ch->locs[pc - code - 1]);
			STEPS_IN();
		}
		PUSH(a);
		VMBREAK;
	}
	/* RETURN: the top of the stack is the chunk's value. */
	VMCASE(RETURN)
		RETURN_VALUE(TOP());
		VMBREAK;
	/* ADD, SUB, MUL, DIV: exact arithmetic (value.h, decimal.h); ints
	 * check for overflow; money keeps its currency. */
	VMCASE(ADD)
		b = POP();
		a = TOP();
		if (ar_same_scale(a, b) && ar_is_numeric(a) && !__builtin_add_overflow(a.as.i, b.as.i, &TOP().as.i))
			VMBREAK;
		TOP() = arith(c, AT_PC(), AR_ADD, a, b);
		VMBREAK;
	VMCASE(SUB)
		b = POP();
		a = TOP();
		if (ar_same_scale(a, b) && ar_is_numeric(a) && !__builtin_sub_overflow(a.as.i, b.as.i, &TOP().as.i))
			VMBREAK;
		TOP() = arith(c, AT_PC(), AR_SUB, a, b);
		VMBREAK;
	VMCASE(MUL)
		b = POP();
		TOP() = arith(c, AT_PC(), AR_MUL, TOP(), b);
		VMBREAK;
	VMCASE(DIV)
		b = POP();
		TOP() = arith(c, AT_PC(), AR_DIV, TOP(), b);
		VMBREAK;
	/* NEG: arithmetic negation. */
	VMCASE(NEG) {
		a = TOP();
		must(c, AT_PC(), ar_neg(a, &TOP()), a, a);
		VMBREAK;
	}
	/* Comparing long texts, lists or records spends steps in proportion
	 * to what it reads (ar_compare_steps), at the instruction. */
#define WEIGHED_STEPS(a_, steps_)                                                      \
	do {                                                                           \
		if (ar_may_weigh(a_)) {                                                \
			budget -= (steps_);                                            \
			if (budget < 0)                                                \
				goto steps_exceeded;                                   \
		}                                                                      \
	} while (0)
#define COMPARE_STEPS(a_, b_) WEIGHED_STEPS(a_, ar_compare_steps(a_, b_, budget))
	/* ACC: fold a_ into accumulator L[s_] of kind kind_.  Appending to a
	 * list (a comprehension) with room left calls nothing; min and max
	 * spend what they compare (acc_fold_value). */
#define ACC_FOLD(s_, kind_, a_)                                                                        \
	do {                                                                                           \
		if (kind_ == ACC_LIST)                                                                 \
			L[s_] = list_grow(c, AT_PC(), L[s_], a_);                                     \
		else if ((budget -= acc_fold_value(c, AT_PC(), L, s_, kind_, a_, budget)) < 0)        \
			goto steps_exceeded;                                                           \
	} while (0)
	/* EQ, NE: equality of two values of one type (1.0 = 1.00). */
	VMCASE(EQ)
	VMCASE(NE) {
		b = POP();
		a = TOP();
		if (ar_equal_in_place(a, b)) {
			TOP() = val_bool((a.as.i == b.as.i) == (INS_RAW(w) == OP_EQ));
			VMBREAK;
		}
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		COMPARE_STEPS(a, b);
		bool eq = equal(c, AT_PC(), a, b);
		TOP() = val_bool(INS_RAW(w) == OP_EQ ? eq : !eq);
		VMBREAK;
	}
	/* EQK: the top = K[A], a known constant (`size = sme`, `t = 6`). */
	VMCASE(EQK)
		a = TOP();
		b = K[INS_A(w)];
		if (ar_equal_in_place(a, b)) { /* before equal(), which would need the frame's pc */
			TOP() = val_bool(a.as.i == b.as.i);
		} else if (a.tag != V_UNKNOWN) {
			COMPARE_STEPS(a, b);
			TOP() = val_bool(equal(c, AT_PC(), a, b));
		}
		VMBREAK;
	/* LT, LE, GT, GE: order of numbers, amounts, dates, durations, text. */
	VMCASE(LT)
	VMCASE(LE)
	VMCASE(GT)
	VMCASE(GE) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		int r;
		if (ar_same_scale(a, b)) {
			r = (a.as.i > b.as.i) - (a.as.i < b.as.i); /* the coefficients decide */
		} else if (!ar_order_scaled(a, b, &r)) {
			COMPARE_STEPS(a, b);
			r = compare(c, AT_PC(), a, b);
		}
		TOP() = val_bool(order_holds(INS_RAW(w), r));
		VMBREAK;
	}
	/* GEK, LTK: compare the top with the constant K[A] (thresholds). */
	VMCASE(GEK)
	VMCASE(LTK) {
		a = TOP();
		if (a.tag == V_UNKNOWN)
			VMBREAK;
		b = K[INS_A(w)];
		int r;
		if (ar_same_scale(a, b)) {
			r = (a.as.i > b.as.i) - (a.as.i < b.as.i);
		} else if (!ar_order_scaled(a, b, &r)) {
			COMPARE_STEPS(a, b);
			r = compare(c, AT_PC(), a, b);
		}
		TOP() = val_bool(INS_RAW(w) == OP_GEK ? r >= 0 : r < 0);
		VMBREAK;
	}
	/* NOT: Kleene negation: not unknown is unknown. */
	VMCASE(NOT)
		if (TOP().tag == V_BOOL)
			TOP().as.i = !TOP().as.i;
		VMBREAK;
	/* AND, OR: Kleene logic: false and unknown = false; true or unknown = true. */
	VMCASE(AND)
		b = POP();
		if (!ar_and_known(&TOP(), b)) /* both known: in place */
			TOP() = ar_and(TOP(), b);
		VMBREAK;
	VMCASE(OR)
		b = POP();
		if (!ar_or_known(&TOP(), b))
			TOP() = ar_or(TOP(), b);
		VMBREAK;
	/* JFALSE_KEEP, JTRUE_KEEP: short-circuit when the left side decides. */
	VMCASE(JFALSE_KEEP)
		if (TOP().tag == V_BOOL && !TOP().as.i)
			JUMPTO(INS_A(w));
		VMBREAK;
	VMCASE(JTRUE_KEEP)
		if (TOP().tag == V_BOOL && TOP().as.i)
			JUMPTO(INS_A(w));
		VMBREAK;
	/* JUMP: to A; a backward jump is where an interrupt is noticed. */
	VMCASE(JUMP)
		if (INTERRUPTED())
			goto interrupted;
		JUMPTO(INS_A(w));
		VMBREAK;
	/* IFTEST: pop a condition.  True: skip the next word and run the
	 * 'then' branch.  False: jump to the 'else' branch at A.  Unknown:
	 * the result of the whole if is unknown: push it and run the next word,
	 * a JUMP past the if. */
	VMCASE(IFTEST)
		a = POP();
		if (a.tag == V_BOOL) {
			if (a.as.i)
				pc++;
			else
				JUMPTO(INS_A(w));
		} else {
			PUSH(a);
		}
		VMBREAK;
	/* JKNOWN_KEEP: `a otherwise b`: keep a and jump past b unless a is unknown. */
	VMCASE(JKNOWN_KEEP)
		if (TOP().tag != V_UNKNOWN)
			JUMPTO(INS_A(w));
		VMBREAK;
	/* JNEK A B: the guard of a loop unrolled over the list K[A], the
	 * value its source had when compiled (compile.c: unroll): where the
	 * top is still that list (the very value, or an equal one) it is
	 * popped and the unrolled code runs; otherwise (an override: another
	 * list, or unknown) the loop at B runs over it. */
	VMCASE(JNEK) {
		int to = (int)*pc++;
		if (still_const(c, AT_PC(), TOP(), K[INS_A(w)]))
			sp--;
		else
			JUMPTO(to);
		VMBREAK;
	}
	/* FALLBACK: after b of `a otherwise b` (a unknown, below it): b, and if b
	 * is unknown too, the facts of both could still decide it. */
	VMCASE(FALLBACK)
		b = POP();
		TOP() = b.tag == V_UNKNOWN ? val_unknown_union(TOP(), b) : b;
		VMBREAK;
	/* IN: membership of a in the list b. */
	VMCASE(IN) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		/* a step per item, so a long list counts against the limit, and
		 * the steps of comparing long values with the items it looks at
		 * (ar_in_within) */
		budget -= b.as.l->len;
		if (budget < 0)
			goto steps_exceeded;
		/* a plain member is in the list or not: no unknown item can decide */
		if (a.tag == V_ENUM && !a.big) {
			TOP() = val_bool(ar_in_place(a, b.as.l));
			VMBREAK;
		}
		budget = in_within(&TOP(), b.as.l, budget);
		if (budget < 0)
			goto steps_exceeded;
		VMBREAK;
	}
	/* IN_HS: tariff code a in chapter / heading / subheading b (A says which). */
	VMCASE(IN_HS) {
		b = POP();
		a = TOP();
		if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN) {
			TOP() = val_unknown_union(a, b);
			VMBREAK;
		}
		if (b.tag == V_LIST) {
			budget -= b.as.l->len;
			if (budget < 0)
				goto steps_exceeded;
		}
		TOP() = val_bool(hs_in(INS_A(w), a, b));
		VMBREAK;
	}
	/* IS_KNOWN: whether the top is known; never unknown itself. */
	VMCASE(IS_KNOWN)
		TOP() = val_bool(TOP().tag != V_UNKNOWN);
		VMBREAK;
	/* MKLIST: the top A values become a list. */
	VMCASE(MKLIST) {
		int n = INS_A(w);
		SAVE_TOP();
		sp -= n;
		a = make_list(c, AT_PC(), sp, n);
		PUSH(a);
		VMBREAK;
	}
	/* MKREC A B: the top B values become the fields of a record of type A. */
	VMCASE(MKREC) {
		int t = INS_A(w), n = (int)*pc++;
		sp -= n;
		a = make_rec(c, AT_PC(), t, sp, n);
		PUSH(a);
		VMBREAK;
	}
	/* MKENUM A: the top becomes the value carried by member K[A]
	 * (`most_recent(2024-05-01)`); an unknown value leaves it unknown. */
	VMCASE(MKENUM) {
		if (TOP().tag != V_UNKNOWN)
			TOP() = make_enum(c, AT_PC(), K[INS_A(w)], TOP());
		VMBREAK;
	}
	/* MEMBER: a member carrying a value becomes the plain member, so a
	 * match compares members alone. */
	VMCASE(MEMBER)
		TOP() = enum_part(TOP(), false);
		VMBREAK;
	/* ENUMDATA: the member on top becomes the value it carries (a match
	 * arm `most_recent(d)`, whose member the arm has already tested). */
	VMCASE(ENUMDATA)
		TOP() = enum_part(TOP(), true);
		VMBREAK;
	/* ITERPREP A B: start a loop over the list on top: L[A] = the list,
	 * L[A+1] = the cursor.  An unknown list makes the whole loop unknown:
	 * it is pushed as the result and the loop skipped (to B). */
	VMCASE(ITERPREP) {
		int s = INS_A(w), to = (int)*pc++;
		a = POP();
		if (a.tag == V_UNKNOWN) {
			PUSH(a);
			JUMPTO(to);
			VMBREAK;
		}
		L[s] = a;
		L[s + 1] = val_int(0);
		VMBREAK;
	}
	/* ITER A B: next item into L[A+2], or jump to B at the end. */
	VMCASE(ITER) {
		pc = iter_next(L, code, pc - 1);
		if (INTERRUPTED())
			goto interrupted;
		VMBREAK;
	}
	/* ACCINIT A B: start accumulator L[A] of kind B; L[A+1] collects the
	 * unknowns met on the way. */
	VMCASE(ACCINIT) {
		int s = INS_A(w), kind = (int)*pc++;
		acc_init(c, AT_PC(), L, s, kind);
		VMBREAK;
	}
	/* FILTER A B: pop a condition: true goes on; false jumps to B;
	 * unknown because of missing facts is noted in L[A+1] (the result will
	 * be unknown for them) and jumps to B.  An unknown that no fact caused
	 * (the rules' own data leave a value out) counts as not met, as SQL's
	 * WHERE does with NULL. */
	VMCASE(FILTER) {
		int s = INS_A(w), to = (int)*pc++;
		a = POP();
		if (a.tag == V_BOOL) {
			if (!a.as.i)
				JUMPTO(to);
		} else {
			if (a.as.m && a.as.m->len > 0)
				note_unknown(&L[s + 1], a);
			JUMPTO(to);
		}
		VMBREAK;
	}
	/* ACC A B: fold the top into accumulator L[A] of kind B. */
	VMCASE(ACC) {
		int s = INS_A(w), kind = (int)*pc++;
		a = POP();
		ACC_FOLD(s, kind, a);
		VMBREAK;
	}
	/* ACCEND A B: push the result of accumulator L[A]: unknown if an
	 * unknown was met, except where all/any are decided anyway. */
	VMCASE(ACCEND) {
		int s = INS_A(w), kind = (int)*pc++;
		a = acc_end(c, AT_PC(), L, s, kind);
		PUSH(a);
		VMBREAK;
	}
	/* HIT A: the gathering table A reduces the list on top (the values of
	 * the rows that apply) by its policy and jumps past the default row's
	 * value; when no row applied and there is a default row, it goes on to
	 * its value.  An unknown list (a row's condition waits for facts) stays
	 * unknown.  Costs a step per row gathered. */
	VMCASE(HIT) {
		const CaseTab *t = ch->cases[INS_A(w)];
		a = POP();
		if (a.tag == V_UNKNOWN) {
			PUSH(a);
			JUMPTO(t->end);
		} else {
			budget -= a.as.l->len;
			if (budget < 0)
				goto steps_exceeded;
			bool none = false;
			STEPS_OUT(); /* comparing long row values spends steps */
			a = hit_reduce(c, AT_PC(), t, a.as.l, &none);
			STEPS_IN();
			if (!none) { /* else on to the default row's value */
				PUSH(a);
				JUMPTO(t->end);
			}
		}
		VMBREAK;
	}
	/* PICK A: the case table A of this chunk chooses among the conditions
	 * in L[0..n-1]: an exception beats a default, a case beats the ones it
	 * overrides; two winners are a conflict.  Jumps to the winner's body,
	 * or pushes unknown and jumps past the bodies. */
	VMCASE(PICK) {
		const CaseTab *t = ch->cases[INS_A(w)];
		int to = pick_to(c, AT_PC(), t, L, &a);
		if (to < 0) {
			PUSH(a);
			to = t->end;
		}
		JUMPTO(to);
		VMBREAK;
	}
	/* DATEIN A B: whether the as-of date is in [K[A], K[B]); an unknown
	 * bound is open. */
	VMCASE(DATEIN) {
		Value f = K[INS_A(w)], u = K[*pc++];
		bool in = (f.tag != V_DATE || c->as_of >= f.as.i) && (u.tag != V_DATE || c->as_of < u.as.i);
		PUSH(val_bool(in));
		VMBREAK;
	}
	/* AT A B: pop a date; replace the dated values of a fact over time
	 * below it with the value they hold on that date (series_value). */
	VMCASE(AT) {
		b = POP();
		int traced = (int)*pc++;
		TOP() = series_value(c, TOP(), b, K[INS_A(w)].as.s, traced);
		VMBREAK;
	}
	/* SCALE: the description of a scale on top (scale.h) becomes its
	 * brackets in force on the as-of date. */
	VMCASE(SCALE) {
		if (scale_in_force(c, TOP(), &a) != ST_OK)
			raise_at(c, ch->locs[pc - code - 1]);
		TOP() = a;
		VMBREAK;
	}
	/* ERROR: a runtime error with the message K[A]. */
	VMCASE(ERROR)
		FAIL(ST_RUNTIME, "%s", K[INS_A(w)].as.s->data);
	/* The superinstructions (opcodes.h): the whole sequence where its
	 * common case holds and the steps suffice, charging one step for each
	 * instruction after the first; else the first instruction alone, and
	 * the others after it as they stand. */
#define FUSED_STEPS(n, first)                                                          \
	do {                                                                           \
		if (__builtin_expect(budget < (n), 0))                                 \
			goto op_##first;                                               \
		budget -= (n);                                                         \
	} while (0)
	/* After a superinstruction's jump back to the head of a loop: that
	 * ITER too, where a step is left.  The ITER's own test of the
	 * interrupt flag is not made: the superinstruction makes it first. */
#define THEN_ITER()                                                                    \
	do {                                                                           \
		if (INS_RAW(*pc) == OP_ITER && budget > 0) {                           \
			budget--;                                                      \
			pc = iter_next(L, code, pc);                                   \
		}                                                                      \
	} while (0)
	/* LOCAL_EQK_IFTEST: LOCAL A; EQK K; IFTEST T; JUMP (`if t = 6 then`)
	 * where the local compares in place: true goes on past the JUMP,
	 * false to T.  Where T tests the same local again (`else if t = 11`,
	 * the arms of a match), that test runs here too, with the three steps
	 * a dispatch and its fast path would charge, while they suffice. */
	VMCASE(LOCAL_EQK_IFTEST) {
		/* the constant compares in place (compile.c: fuse_fits) */
		const Value *x = &L[INS_A(w)], *k = &K[INS_A(pc[0])];
		if (!ar_same_header(x, k))
			goto op_LOCAL;
		FUSED_STEPS(2, LOCAL);
		for (;;) {
			if (x->as.i == k->as.i) {
				pc += 3;
				break;
			}
			pc = code + INS_A(pc[1]); /* T, not yet dispatched */
			if (*pc != w || budget < 3 || !ar_same_header(x, &K[INS_A(pc[1])]))
				break;
			budget -= 3;
			k = &K[INS_A(*++pc)];
		}
		VMBREAK;
	}
	/* NOT_FILTER: NOT; FILTER S B (`where not c`) of a known condition:
	 * true jumps to B (and runs the ITER there), false goes on. */
	VMCASE(NOT_FILTER)
		if (TOP().tag != V_BOOL || INTERRUPTED()) /* the ITER's test, for THEN_ITER */
			goto op_NOT;
		FUSED_STEPS(1, NOT);
		if (POP().as.i) {
			JUMPTO(pc[1]);
			THEN_ITER();
		} else {
			pc += 2;
		}
		VMBREAK;
	/* LOCAL_ACC_JUMP: LOCAL A; ACC S K; JUMP T: fold L[A] into the
	 * accumulator and go round the loop again: the ITER at T too. */
	VMCASE(LOCAL_ACC_JUMP) {
		if (INTERRUPTED())
			goto op_LOCAL;
		FUSED_STEPS(2, LOCAL);
		int s = INS_A(pc[0]), kind = (int)pc[1];
		pc += 2; /* an error is the ACC's */
		ACC_FOLD(s, kind, L[INS_A(w)]);
		JUMPTO(INS_A(pc[0]));
		THEN_ITER();
		VMBREAK;
	}
	/* FACTFIELD_JUMP: FACTFIELD A B; JUMP T. */
	VMCASE(FACTFIELD_JUMP) {
		if (INTERRUPTED())
			goto op_FACTFIELD;
		FUSED_STEPS(1, FACTFIELD);
		PUSH(fact_field(c, INS_A(w), pc[0]));
		JUMPTO(INS_A(pc[1]));
		VMBREAK;
	}
	/* FACTFIELD_NOT_FILTER: FACTFIELD A B; JUMP T where T is NOT; FILTER
	 * S E, of a known truth: true jumps to E (and runs the ITER there),
	 * false goes on past the FILTER, with nothing on the stack.
	 * FACTFIELD_WHERE_NOT: the same with the NOT right after the FACTFIELD
	 * (an unrolled loop's `where not`). */
	VMCASE(FACTFIELD_NOT_FILTER)
	VMCASE(FACTFIELD_WHERE_NOT) {
		if (INTERRUPTED())
			goto op_FACTFIELD;
		a = fact_field(c, INS_A(w), pc[0]);
		if (a.tag != V_BOOL)
			goto op_FACTFIELD;
		bool jumps = INS_RAW(w) == OP_FACTFIELD_NOT_FILTER;
		FUSED_STEPS(jumps ? 3 : 2, FACTFIELD);
		const uint32_t *t = jumps ? code + INS_A(pc[1]) : pc + 1; /* the NOT; its FILTER's E in t[2] */
		if (a.as.i) {
			JUMPTO(t[2]);
			THEN_ITER();
		} else {
			pc = t + 3;
		}
		VMBREAK;
	}
	/* FACTFIELD_UNLESS_ACC: FACTFIELD A B; NOT; FILTER S E; CONST K; ACC
	 * S LIST, E right after it, of a known truth where the list has room:
	 * K appended unless the fact is true, and on past it either way,
	 * without a branch on the fact (its item is written anyway, beyond
	 * the list's length where it is left out), with the steps the
	 * instructions run would charge. */
	VMCASE(FACTFIELD_UNLESS_ACC) {
		if (INTERRUPTED())
			goto op_FACTFIELD;
		a = fact_field(c, INS_A(w), pc[0]);
		List *l = L[INS_A(pc[2])].as.l;
		uint32_t n = l->len;
		if (a.tag != V_BOOL || budget < 4 || list_full(n))
			goto op_FACTFIELD;
		unsigned keep = !a.as.i;
		budget -= 2 + 2 * (long long)keep;
		l->items[n] = K[INS_A(pc[4])];
		l->len = n + keep;
		pc += 7;
		VMBREAK;
	}
	/* CONST_ACC: CONST K; ACC S B: an unrolled loop's item into its
	 * accumulator. */
	VMCASE(CONST_ACC) {
		FUSED_STEPS(1, CONST);
		int s = INS_A(pc[0]), kind = (int)pc[1];
		pc += 2; /* an error is the ACC's */
		ACC_FOLD(s, kind, K[INS_A(w)]);
		VMBREAK;
	}
	/* FACTFIELD_DECIDE: FACTFIELD A B; DECIDE D where D is decided
	 * already (outside explain mode); and the comparison or IN after
	 * them where the two values decide it in place (test_in_place), and
	 * an AND or OR after that whose left side is a known truth. */
	VMCASE(FACTFIELD_DECIDE) {
		int d = INS_A(pc[1]);
		if (!ctx_memo_hit(c, d) || c->trace)
			goto op_FACTFIELD;
		FUSED_STEPS(1, FACTFIELD);
		a = fact_field(c, INS_A(w), pc[0]);
		b = c->memo[d];
		pc += 2;
		/* and the comparison or `in` after them, where it runs in place */
		if (budget > 0) {
			long long cost;
			int t = test_in_place(INS_RAW(*pc), a, b, budget - 1, &cost);
			if (t >= 0) {
				budget -= 1 + cost;
				pc++;
				/* and the `and`, `or` whose known left side is below */
				unsigned op = INS_RAW(*pc);
				if ((op == OP_AND || op == OP_OR) && budget > 0 &&
				    (op == OP_AND ? ar_and_known(&TOP(), val_bool(t)) : ar_or_known(&TOP(), val_bool(t)))) {
					budget--;
					pc++;
					VMBREAK;
				}
				PUSH(val_bool(t));
				VMBREAK;
			}
		}
		sp[0] = a;
		sp[1] = b;
		sp += 2;
		VMBREAK;
	}
	/* JUMP_RETURN: JUMP T where T is a RETURN. */
	VMCASE(JUMP_RETURN)
		if (INTERRUPTED())
			goto op_JUMP;
		FUSED_STEPS(1, JUMP);
		RETURN_VALUE(TOP());
		VMBREAK;
	/* BUILTIN_MIN2, BUILTIN_MAX2: BUILTIN min 2 or max 2 of two known
	 * values that order in place (amounts of one scale): the second only
	 * where it is strictly better, as the builtin chooses. */
	VMCASE(BUILTIN_MIN2)
	VMCASE(BUILTIN_MAX2) {
		if (!min_max_in_place(INS_RAW(w) == OP_BUILTIN_MIN2 ? ACC_MIN : ACC_MAX, sp - 2, &a))
			goto op_BUILTIN;
		sp[-2] = a;
		sp--;
		pc++; /* past the count of arguments */
		VMBREAK;
	}
#undef FUSED_STEPS
#undef THEN_ITER
#undef COMPARE_STEPS
#undef ACC_FOLD
#undef WEIGHED_STEPS
	/* TRACE_*: explanation records; they leave the stack as it is. */
	VMCASE(TRACE_COND)
		ctx_trace(c, TR_COND, INS_A(w), NULL, TOP());
		VMBREAK;
	VMCASE(TRACE_FACT)
		ctx_trace(c, TR_FACT, 0, K[INS_A(w)].as.s, TOP());
		VMBREAK;
	VMCASE(TRACE_CASE)
		ctx_trace(c, TR_CASE, INS_A(w), NULL, val_bool(true));
		VMBREAK;

	/* A task's decision decided: into the memo and the results, and on to
	 * the next task not decided yet, or out of the loop. */
task_done: {
		Run *r = c->run;
		if (r->decl >= 0)
			decided(c, r->decl, a, after_deciding(c, r->decl));
		r->out[r->i++] = a;
		const VmTask *t = next_task(c, r);
		if (!t) {
			c->depth--;
			STEPS_OUT();
			return a;
		}
		/* the next task at the same level as the one done, whose entry
		 * counted it (RETURN_VALUE left it there): its frame at the
		 * bottom of the stack */
		ch = begin_task(c, t);
		frame_room(c, ch, 0);
		START_AT(ch, 0);
		VMBREAK;
	}

#ifndef VM_COMPUTED_GOTO
		default:
			FAIL(ST_RUNTIME, "bad instruction");
		}
	}
#endif

steps_exceeded:
	fail_at(c, ST_LIMIT, ch->locs[pc - code > 0 ? pc - code - 1 : 0], "%s", ctx_steps_message(c));
interrupted:
	fail_at(c, ST_INTERRUPTED, ch->locs[pc - code > 0 ? pc - code - 1 : 0], "interrupted");
}

#undef FAIL
#define FAIL(status, ...) fail_at(c, status, fr->ch->locs[fr->pc - fr->ch->code - 1], __VA_ARGS__)

/* ------------------------------------------------------------- entries */

/* The tasks in order from the first, while each is a decision with a task
 * function (native.h), which does in machine code what run_calls does for
 * the others; how many ran. */
static int run_task_fns(Ctx *c, Run *r)
{
	NativeFn *const tfn = prog_native(c->p)->tfn;
	const void *at = r->at;
	size_t off = r->off;
	Value *out = r->out;
	int i = 0;
	for (int d, n = r->n; i < n && (d = task_at(at, off, i)->decl) >= 0 && tfn[d]; i++) {
		r->i = i;
		c->stack_top = 0;
		out[i] = tfn[d](c, -1);
	}
	return i;
}

/* The tasks in order from `from`, each entered from C: where the rule set is in
 * machine code, or in explain mode.  Between two of them the context is
 * as a decision leaves it (its frame back to the query's, the status
 * untouched), so only the stack's top is set again; where one fails, r->i
 * says which.  The table of machine code is read once for all of them.
 * At the top no decision is being decided (an evaluation that fails
 * leaves none so), so a task's decision is marked without looking, as
 * begin_task marks it. */
static __attribute__((noinline)) void run_calls(Ctx *c, Run *r, int from)
{
	const Native *nat = prog_native(c->p);
	NativeFn *const dfn = nat ? nat->dfn : NULL;
	const void *at = r->at;
	size_t off = r->off;
	Value *out = r->out;
	for (int i = from, n = r->n; i < n; i++) {
		const VmTask *t = task_at(at, off, i);
		int d = t->decl;
		if (d >= 0 && ctx_memo_hit(c, d)) {
			out[i] = c->memo[d];
			continue;
		}
		r->i = i;
		c->stack_top = 0;
		if (d < 0) {
			out[i] = exec(c, t->ch, 0);
			continue;
		}
		c->state[d] = DS_DECIDING;
		out[i] = decide_now(c, d, dfn ? dfn[d] : NULL);
	}
}

/* The stack of r's context at its first size, for run_begin, which it
 * hands r back to: nothing it holds lives across the call, so that the
 * way into the loop (loop_body) saves no registers. */
static __attribute__((noinline, cold)) Run *first_stack(Run *r)
{
	ensure_stack(r->c, 256);
	return r;
}

/* What an evaluation's body does first. */
static inline Run *run_begin(Run *r)
{
	if (__builtin_expect(r->c->cap < 256, 0))
		r = first_stack(r);
	r->c->status = ST_OK;
	r->c->frame = r->c->top_frame;
	return r;
}

/* An evaluation's tasks, under its protected call, each entered from C. */
static void calls_body(void *ud)
{
	Run *r = run_begin(ud);
	run_calls(r->c, r, 0);
}

/* The same in machine code, outside explain mode: the tasks with task
 * functions first, the way in kept to what they need. */
static void task_fns_body(void *ud)
{
	Run *r = run_begin(ud);
	int i = run_task_fns(r->c, r);
	if (i < r->n)
		run_calls(r->c, r, i);
}

/* An evaluation's tasks, under its protected call, interpreted: the loop
 * runs them all, without returning between them. */
static void loop_body(void *ud)
{
	Run *r = run_begin(ud);
	r->c->run = r;
	exec_at(r->c, NULL, 0, VM_TASKS, 0);
}

/* The evaluation's protected call, one for all the tasks: an error leaves
 * the context ready for the next evaluation (no decision left
 * half-decided); out of memory is passed on to the caller's protected
 * call, as it abandons the caller's work too. */
int vm_eval_many(Ctx *c, const void *at, size_t off, int n, Value *out, int *failed)
{
	Run r = {c, at, off, n, 0, -1, out};
	char here; /* its address: where this evaluation starts on the stack */
	c->stack_floor = first_floor((uintptr_t)&here);
	/* the body for the way the tasks run, chosen before the call (a
	 * loop_body that needs no saved registers) */
	int st = pr_call(c->trace ? calls_body : prog_native(c->p) ? task_fns_body : loop_body, &r);
	if (__builtin_expect(st == ST_OK, 1))
		return ST_OK;
	*failed = r.i;
	c->depth = 0;
	c->ncalls = 0;
	c->frame = c->top_frame;
	for (int i = 0; i < c->p->ndecls; i++)
		if (c->state[i] == DS_DECIDING)
			c->state[i] = DS_UNDECIDED;
	if (st == ST_MEMORY) {
		c->status = ST_MEMORY;
		c->errmsg = "out of memory";
		pr_pass(st);
	}
	return st;
}

int vm_eval_chunk(Ctx *c, const Chunk *ch, Value *out)
{
	int failed;
	const VmTask t = {ch, -1}, *at = &t;
	return vm_eval_many(c, &at, 0, 1, out, &failed);
}

int vm_eval_decl(Ctx *c, int decl, Value *out)
{
	/* decided already in this evaluation, kept or overridden: no code runs */
	if (ctx_memo_hit(c, decl)) {
		c->status = ST_OK;
		c->frame = c->top_frame;
		*out = c->memo[decl];
		return ST_OK;
	}
	int failed;
	const VmTask t = {c->p->dchunk[decl], decl}, *at = &t;
	return vm_eval_many(c, &at, 0, 1, out, &failed);
}

/* ---------------------------------------------------- for native code */

/* The frame of the instruction at word pc of ch, for errors. */
#define AT_WORD(ch, pc) (&(Frame){(ch), (ch)->code + (pc) + 1})

int nrt_enter(Ctx *c, const Chunk *ch, int base)
{
	return enter(c, ch, base);
}

Value nrt_resume(Ctx *c, const Chunk *ch, int base, int pc, int depth)
{
	return exec_at(c, ch, base, pc, depth);
}

Value nrt_decide(Ctx *c, const Chunk *ch, int pc, int d, int top)
{
	c->stack_top = top;
	return decide(c, AT_WORD(ch, pc), d);
}

Value nrt_call(Ctx *c, int f, int nb)
{
	return call_plain(c, f, nb);
}

Value nrt_builtin(Ctx *c, const Chunk *ch, int pc, int bi, int nb, int argc)
{
	Value v;
	if (bi_call(c, bi, c->stack + nb, argc, &v) != ST_OK)
		raise_at(c, ch->locs[pc]);
	return v;
}

Value nrt_arith(Ctx *c, const Chunk *ch, int pc, int op, Value a, Value b)
{
	return arith(c, AT_WORD(ch, pc), (ArOp)op, a, b);
}

Value nrt_neg(Ctx *c, const Chunk *ch, int pc, Value a)
{
	Value r;
	must(c, AT_WORD(ch, pc), ar_neg(a, &r), a, a);
	return r;
}

/* Spend n steps (the weight of a comparison) at word pc, as the
 * interpreter does at the instruction. */
static void spend_at(Ctx *c, const Chunk *ch, int pc, long long n)
{
	if (n > ctx_steps_left(c))
		nrt_steps_out(c, ch, pc);
	c->steps += (unsigned long long)n;
}

int nrt_compare(Ctx *c, const Chunk *ch, int pc, Value a, Value b)
{
	if (ar_may_weigh(a))
		spend_at(c, ch, pc, ar_compare_steps(a, b, ctx_steps_left(c)));
	return compare(c, AT_WORD(ch, pc), a, b);
}

int nrt_equal(Ctx *c, const Chunk *ch, int pc, Value a, Value b)
{
	if (ar_may_weigh(a))
		spend_at(c, ch, pc, ar_compare_steps(a, b, ctx_steps_left(c)));
	return equal(c, AT_WORD(ch, pc), a, b);
}

Value nrt_in(Ctx *c, const Chunk *ch, int pc, Value a, const List *l)
{
	long long left = ctx_steps_left(c);
	Value r;
	if (!ar_in_within(a, l, &left, &r))
		nrt_steps_out(c, ch, pc);
	c->steps = c->max_steps - (unsigned long long)left;
	return r;
}

Value nrt_mklist(Ctx *c, const Chunk *ch, int pc, int nb, int n)
{
	c->stack_top = nb + n;
	return make_list(c, AT_WORD(ch, pc), c->stack + nb, n);
}

Value nrt_mkrec(Ctx *c, const Chunk *ch, int pc, int t, int nb, int n)
{
	return make_rec(c, AT_WORD(ch, pc), t, c->stack + nb, n);
}

void *nrt_alloc(Ctx *c, const Chunk *ch, int pc, int n)
{
	return vm_alloc(c, AT_WORD(ch, pc), (size_t)n, false);
}

void *nrt_alloc_all(Ctx *c, const Chunk *ch, int pc, int n)
{
	if (c->bytes + (size_t)n > c->max_bytes) /* what ctx_alloc would refuse */
		return NULL;
	return vm_alloc(c, AT_WORD(ch, pc), (size_t)n, false);
}

void nrt_accinit(Ctx *c, const Chunk *ch, int pc, int s, int kind)
{
	acc_init(c, AT_WORD(ch, pc), c->stack, s, kind);
}

void nrt_acc(Ctx *c, const Chunk *ch, int pc, int s, int kind, Value a)
{
	if (kind == ACC_LIST)
		c->stack[s] = list_grow(c, AT_WORD(ch, pc), c->stack[s], a);
	else
		spend_at(c, ch, pc, acc_fold_value(c, AT_WORD(ch, pc), c->stack, s, kind, a, ctx_steps_left(c)));
}

Value nrt_accend(Ctx *c, const Chunk *ch, int pc, int s, int kind)
{
	return acc_end(c, AT_WORD(ch, pc), c->stack, s, kind);
}

void nrt_into_line(Ctx *c, const Chunk *ch, int pc, int d)
{
	into_line(c, AT_WORD(ch, pc), d);
}

int nrt_still_const(Ctx *c, const Chunk *ch, int pc, Value a, Value k)
{
	return still_const(c, AT_WORD(ch, pc), a, k);
}

void nrt_filter_unknown(Ctx *c, int marker, Value a)
{
	if (a.as.m && a.as.m->len > 0)
		note_unknown(&c->stack[marker], a);
}

int nrt_pick(Ctx *c, const Chunk *ch, int pc, int t, int base, int top)
{
	Value u;
	int to = pick_to(c, AT_WORD(ch, pc), ch->cases[t], c->stack + base, &u);
	if (to < 0)
		c->stack[top] = u;
	return to;
}

int nrt_hit(Ctx *c, const Chunk *ch, int pc, int t, Value a, int top)
{
	bool none = false;
	Value v = hit_reduce(c, AT_WORD(ch, pc), ch->cases[t], a.as.l, &none);
	if (none)
		return 0;
	c->stack[top] = v;
	return 1;
}

_Noreturn void nrt_error(Ctx *c, const Chunk *ch, int pc)
{
	fail_at(c, ST_RUNTIME, ch->locs[pc], "%s", ch->k[INS_A(ch->code[pc])].as.s->data);
}

_Noreturn void nrt_steps_out(Ctx *c, const Chunk *ch, int pc)
{
	fail_at(c, ST_LIMIT, ch->locs[pc], "%s", ctx_steps_message(c));
}

_Noreturn void nrt_interrupted(Ctx *c, const Chunk *ch, int pc)
{
	fail_at(c, ST_INTERRUPTED, ch->locs[pc], "interrupted");
}

Value nrt_mkenum(Ctx *c, const Chunk *ch, int pc, Value v)
{
	return v.tag == V_UNKNOWN ? v : make_enum(c, AT_WORD(ch, pc), ch->k[INS_A(ch->code[pc])], v);
}

Value nrt_enum_part(Value v, int data)
{
	return enum_part(v, data);
}

int nrt_hs_in(int kind, Value a, Value b)
{
	return hs_in(kind, a, b);
}

Value nrt_at(Ctx *c, const Chunk *ch, int pc, Value s, Value when)
{
	return series_value(c, s, when, ch->k[INS_A(ch->code[pc])].as.s, (int)ch->code[pc + 1]);
}

Value nrt_scale(Ctx *c, const Chunk *ch, int pc, Value v)
{
	Value r;
	if (scale_in_force(c, v, &r) != ST_OK)
		raise_at(c, ch->locs[pc]);
	return r;
}
