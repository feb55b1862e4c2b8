/*
 * vm.h - the bytecode interpreter.
 *
 * It runs chunks in an evaluation context (ctx.h).  Runtime errors (a
 * conflict between exceptions, a division by zero, a limit) unwind to
 * vm_eval with a status and a location; nothing is printed.
 */
#ifndef EDICT_VM_H
#define EDICT_VM_H

#include "ctx.h"

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

/* One evaluation of several: a chunk, or a decision (decl >= 0, ch its
 * chunk), decided in the context as it stands. */
typedef struct VmTask {
	const Chunk *ch;
	int decl;
} VmTask;
/* Evaluate n tasks in order under one protected call (one setjmp rather
 * than one a task), out[i] the value of task i: ST_OK, or the status of the
 * first that fails, *failed its index, c->errmsg and c->errloc saying why
 * (the ones after it are not run).  `at` is an array of n pointers (of
 * any object type) and task i the VmTask at byte offset `off` of the
 * object the i-th points to: a host's own objects, such as compiled
 * queries, hold their tasks, so nothing is copied per evaluation. */
int vm_eval_many(Ctx *c, const void *at, size_t off, int n, Value *out, int *failed);

#endif
