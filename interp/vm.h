/*
 * vm.h - the bytecode interpreter.
 *
 * An evaluation context (Ctx) holds everything one evaluation needs: the
 * facts, the as-of date, the memo of decisions already decided, the value
 * stack, the limits and, in explain mode, the trace.  A compiled Program is
 * shared read-only; each thread uses its own Ctx.  Runtime errors (a
 * conflict between exceptions, a division by zero, a limit) unwind to
 * vm_eval with a status and a location; nothing is printed.
 */
#ifndef EDICT_VM_H
#define EDICT_VM_H

#include <setjmp.h>
#include <signal.h>

#include "program.h"

/* Statuses, shared with the public API (include/edict.h uses the same numbers). */
enum {
	ST_OK = 0,
	ST_SYNTAX = 1,
	ST_TYPE = 2,
	ST_FACTS = 3,
	ST_RUNTIME = 4,
	ST_LIMIT = 5,
	ST_MEMORY = 6,
	ST_USAGE = 7,
	ST_IO = 8,
	ST_INTERRUPTED = 9
};

typedef enum TraceKind { TR_COND, TR_FACT, TR_CASE, TR_DECISION } TraceKind;

typedef struct TraceEv {
	TraceKind kind;
	int frame; /* decl index whose evaluation recorded it; -1 for the query */
	int a;     /* node id / case index / decl index; for TR_FACT: unused */
	const Str *path; /* TR_FACT */
	Value v;
} TraceEv;

#define VM_DEFAULT_MAX_STEPS 10000000ull
#define VM_DEFAULT_MAX_BYTES (64u << 20)
#define VM_MAX_DEPTH 200

typedef struct Ctx {
	const Program *p;
	Value *facts;
	Value *memo;
	unsigned char *state; /* per decl: 0, 1 deciding, 3 overridden, 4 kept from an earlier evaluation */
	uint32_t *stamp;      /* per decl: == epoch when decided in this evaluation */
	uint32_t epoch;
	date_t as_of;
	date_t memo_as_of; /* the as-of date the kept (fact-free) decisions were decided for */
	Value *stack;
	int cap;
	int stack_top; /* where the next decision's frame starts */
	int depth;
	int frame;     /* decl index being evaluated, or top_frame */
	int top_frame; /* the frame number of the query being run (negative) */
	unsigned long long steps, max_steps;
	size_t bytes, max_bytes;
	bool trace;
	TraceEv *ev;
	int nev, evcap;
	bool trace_truncated; /* the trace hit the memory limit: explanations are partial */
	volatile sig_atomic_t *interrupt;
	/* the last error */
	int status;
	const char *errmsg;
	Loc errloc;
	jmp_buf *jb;
} Ctx;

Ctx *vm_new(const Program *p);
/* Forget decided values and the trace (facts, overrides and as-of stay). */
void vm_reset(Ctx *c);
/* Fix the value of a decision or param for this context (what-if, reforms). */
void vm_override(Ctx *c, int decl, Value v);
void vm_clear_overrides(Ctx *c);

/* Evaluate a chunk (a query) or a decision.  Returns a status; on success
 * *out holds the value, else c->errmsg and c->errloc say what went wrong. */
int vm_eval_chunk(Ctx *c, const Chunk *ch, Value *out);
int vm_eval_decl(Ctx *c, int decl, Value *out);

/* Compare two known values of one type for sorting (-1, 0, 1). */
int vm_compare(Value a, Value b);

#endif
