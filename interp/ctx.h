/*
 * ctx.h - the evaluation context, and what an evaluation may spend.
 *
 * An evaluation context (Ctx) holds everything one evaluation needs: the
 * facts, the as-of date, the memo of decisions already decided, the value
 * stack, the limits and, in explain mode, the trace.  A compiled Program is
 * shared read-only; each thread uses its own Ctx.  The VM (vm.c) runs code
 * in a context; the builtins (builtins.c) and the constant folder (fold.c)
 * use only its limits, through the functions below, which return a status
 * and leave the message in the context (nothing unwinds from here).
 */
#ifndef EDICT_CTX_H
#define EDICT_CTX_H

#include <signal.h>
#include <stdint.h>

#include "arith.h"
#include "mem.h"
#include "program.h"
#include "status.h"

/* Where a decision stands in a context (Ctx.state); overridden and kept
 * values are read from the memo without deciding. */
typedef enum DecState {
	DS_UNDECIDED = 0, /* decided in this evaluation only if its stamp is the epoch */
	DS_DECIDING = 1,  /* being decided: meeting it again is a cycle */
	DS_OVERRIDDEN = 3, /* fixed by vm_override (what-if, reforms) */
	DS_KEPT = 4       /* decided in an earlier evaluation, and reads no facts */
} DecState;

/* The stamp of a decision kept or overridden (Ctx.stamp): every epoch
 * finds its value in the memo; the stamp goes back below the epoch when
 * the decision leaves those states. */
#define STAMP_ALWAYS UINT32_MAX

/* TR_NOTE: a line a builtin adds to the explanation (a scale's bracket), in `path` */
typedef enum TraceKind { TR_COND, TR_FACT, TR_CASE, TR_DECISION, TR_CALL, TR_NOTE } TraceKind;

typedef struct TraceEv {
	TraceKind kind;
	/* decl index whose evaluation recorded it; negative for a query; from
	 * ndecls + 1 on, a function call's own frame (see TR_CALL) */
	int frame;
	int a;      /* node id / case index / decl index / function index; for TR_FACT, TR_NOTE: unused */
	int callee; /* TR_CALL: the frame the called function recorded into */
	int nargs;  /* TR_CALL: how many arguments */
	const Str *path;   /* TR_FACT, TR_NOTE */
	const Value *args; /* TR_CALL: the arguments */
	Value v;           /* TR_CALL: the function's value */
} TraceEv;

/* A frame of its own (explain mode): a function call, or one decision for
 * each member decided for one member. */
typedef struct MemberCall {
	int func;     /* the function or decision, as a function index */
	Value member; /* the member's record; unknown for a function call */
} MemberCall;

#define VM_DEFAULT_MAX_STEPS 10000000ull
#define VM_DEFAULT_MAX_BYTES (64u << 20)

typedef struct Ctx {
	const Program *p;
	const unsigned char *keep; /* p->keep, read once for each decision decided */
	Value *facts;
	Value *memo;
	unsigned char *state; /* per decl: a DecState */
	uint32_t *stamp;      /* per decl: == epoch when decided in this evaluation, STAMP_ALWAYS when kept or overridden */
	uint32_t epoch;       /* from 1 up, always below STAMP_ALWAYS */
	date_t as_of;
	date_t memo_as_of; /* the as-of date the kept (fact-free) decisions were decided for */
	Value *stack;
	int cap;
	int stack_top; /* where the next decision's frame starts */
	int depth;
	/* the decisions the interpreter's loop is deciding without leaving
	 * it: where each of their callers goes on (vm.c); room for
	 * calls_cap, grown as evaluations go deeper than depth_room */
	struct VmCall *calls;
	int ncalls, calls_cap, depth_room;
	struct VmRun *run; /* the decisions an evaluation asks for, which the loop decides in turn (vm.c) */
	/* the lowest stack address evaluation may reach on the thread running
	 * it before the VM looks again (ctx_find_stack_floor; provisional
	 * until an evaluation on the thread first goes deep); set as each
	 * evaluation starts, machine code reads it as a pointer */
	uintptr_t stack_floor;
	int frame;     /* explain mode: the decl index being evaluated, or top_frame */
	int top_frame; /* the frame number of the query being run (negative) */
	unsigned long long steps, max_steps;
	size_t bytes, max_bytes;
	MemRegion region; /* where ctx_alloc carves small values from */
	/* values made to outlast the facts they were made with: decisions
	 * kept for later evaluations, overrides (a count) */
	uint32_t kept;
	/* where the region stood, and `kept`, when the facts were last set
	 * (ctx_reuse_region) */
	char *reuse_from;
	uint32_t reuse_kept;
	bool trace;
	bool explain_full; /* explanations show loop items and what functions test inside */
	TraceEv *ev;
	int nev, evcap;
	/* explain mode: each function call and each decision decided for one
	 * member of a list has a frame of its own, numbered from the program's
	 * ndecls + 1 up: frame ndecls + 1 + i is mcalls[i] */
	MemberCall *mcalls;
	int nmcalls, mccap;
	/* explain mode: the nodes and source of the query each query frame
	 * ran (frame -1 - i: frame_own[i]), which the program does not hold */
	const Own **frame_own;
	int nframe_own;
	bool trace_truncated; /* the trace hit the memory limit: explanations are partial */
	volatile sig_atomic_t *interrupt;
	/* the last error */
	int status;
	const char *errmsg;
	Loc errloc;
} Ctx;

/* The settings a front end may change (cli/ never writes the fields). */
/* Record an explanation trace from the next evaluation on. */
void ctx_set_trace(Ctx *c, bool on);
/* Explanations in full (`--explain=full`): also the conditions tested for
 * each item of a loop and inside the functions called (explain.h). */
void ctx_set_explain_full(Ctx *c, bool on);
/* The date the rules are evaluated for. */
void ctx_set_as_of(Ctx *c, date_t day);
/* Limits of each evaluation; 0 keeps a limit as it is. */
void ctx_set_limits(Ctx *c, unsigned long long max_steps, size_t max_bytes);
/* A flag that, once raised (from any thread or a signal handler), stops
 * the evaluation under way with ST_INTERRUPTED. */
void ctx_set_interrupt(Ctx *c, volatile sig_atomic_t *flag);
/* The frame number the trace of the next query's own conditions is filed
 * under (negative; explain.c reads a query's explanation by it). */
void ctx_set_query_frame(Ctx *c, int frame);
/* Explain mode: the Own of the query that runs in (negative) frame, where
 * the node ids of its trace are looked up (query_run sets it).  ST_OK, or
 * ST_MEMORY (recorded) when there was no memory for it. */
int ctx_set_frame_own(Ctx *c, int frame, const Own *own);
/* The Own of frame: NULL for a decision's or a function's frame, or a
 * query frame that has none. */
const Own *ctx_frame_own(const Ctx *c, int frame);

/* A context for running builtins outside an evaluation (constant folding):
 * the default limits, no facts, no memo. */
Ctx *ctx_scratch(const Program *p);

/* The lowest stack address an evaluation on this thread may reach: the
 * stack's low end with room left below for the helpers, the error path
 * and the collector.  Where the stack's bounds cannot be had, 1, below
 * every stack: only the depth limit stops a deep evaluation.  Asking
 * costs a system call or more (on the main thread glibc reads
 * /proc/self/maps): the VM asks once a thread. */
uintptr_t ctx_find_stack_floor(void);

/* Record an error in the context; returns status. */
int ctx_fail(Ctx *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* n bytes from the collector (small ones with pointers from the context's
 * region), counted against the memory limit; NULL (with the error
 * recorded) past the limit or out of memory. */
void *ctx_alloc_any(Ctx *c, size_t n, bool atomic);
/* The same, with the common case inline: a small object with pointers
 * that fits the region's chunk and the limit. */
static inline void *ctx_alloc(Ctx *c, size_t n, bool atomic)
{
	if (__builtin_expect(!atomic && mem_region_fits(&c->region, n) && c->bytes + n <= c->max_bytes, 1)) {
		c->bytes += n;
		return mem_region_take(&c->region, n);
	}
	return ctx_alloc_any(c, n, atomic);
}
/* Whether decision d's value is in c->memo[d] without deciding it: decided
 * in this evaluation (its stamp is the epoch), kept from an earlier one, or
 * overridden (its stamp is STAMP_ALWAYS, above every epoch): one compare. */
static inline bool ctx_memo_hit(const Ctx *c, int d)
{
	return c->stamp[d] >= c->epoch;
}
/* New facts are set and the host keeps no value of the evaluations made
 * with the earlier ones (api_recycle_facts): carve over what they took
 * from the region, unless one of them made a value that outlasts the
 * facts (kept); so a context that evaluates document after document asks
 * the collector for nothing more. */
void ctx_reuse_region(Ctx *c);
/* Spend n steps of the step limit and look at the interrupt flag: ST_OK, or
 * ST_LIMIT / ST_INTERRUPTED with the error recorded.  Work that runs long
 * calls it as it goes (builtins over big lists). */
int ctx_charge(Ctx *c, unsigned long long n);
/* The steps left before the limit (none where c->steps is past it). */
static inline long long ctx_steps_left(const Ctx *c)
{
	return c->steps < c->max_steps ? (long long)(c->max_steps - c->steps) : 0;
}
/* Charge the steps of comparing a with b, as the comparison operators
 * spend them (arith.h: ar_compare_steps): long texts, lists and records
 * cost what they read, other values nothing.  ST_OK, or as ctx_charge. */
static inline int ctx_charge_compare(Ctx *c, Value a, Value b)
{
	long long n = ar_may_weigh(a) ? ar_compare_steps(a, b, ctx_steps_left(c)) : 0;
	return n ? ctx_charge(c, (unsigned long long)n) : ST_OK;
}
/* The message of an evaluation that ran out of steps. */
const char *ctx_steps_message(const Ctx *c);

/* Explain mode: record an event of the current frame (the trace counts
 * against the memory limit; past it, recording stops and the explanation
 * says it is partial). */
void ctx_trace(Ctx *c, TraceKind k, int a, const Str *path, Value v);
/* A line a builtin adds to the explanation of the current frame. */
void ctx_trace_note(Ctx *c, const char *text);

#endif
