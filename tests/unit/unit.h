/*
 * unit.h - what the unit tests share: a program from rule text, a context
 * with facts, a query run in it.
 *
 * Every helper asserts (Criterion) that its step worked, so a test reads as
 * the behaviour it checks.  Linked into every tests/unit/test_*.c.
 */
#ifndef EDICT_TEST_UNIT_H
#define EDICT_TEST_UNIT_H

#include "load.h"
#include "vm.h"

/* Start the collector as every process using Edict does (MEM_START), so
 * that EDICT_GC_STRESS=1 (the .gcstress runs) collects at every
 * allocation.  Each suite's setup calls it. */
void tu_start(void);
/* A source called path holding text (not copied). */
const Source *tu_source(const char *path, const char *text);
/* Load rule text as one file, t.edict; the diagnostics go to d (NULL: a new
 * set).  May return NULL when the text does not parse. */
Program *tu_load(const char *text, Diags *d);
/* Load rule text that must check without errors (as file t.edict, or path). */
Program *tu_program(const char *text);
Program *tu_program_at(const char *path, const char *text);
/* A fresh context for p with these facts (JSON; NULL for none), as of 2026-12-01. */
Ctx *tu_ctx(Program *p, const char *facts);
/* Run the query q in c: its status, the value in *out. */
int tu_run(Ctx *c, const char *q, Value *out);
/* Run the query q in c as tu_run does, but on a thread of its own whose
 * stack is stack_size bytes (at least the system's least): the status,
 * the value in *out. */
int tu_run_on_stack(Ctx *c, const char *q, size_t stack_size, Value *out);
/* A function f(n) that calls itself n deep (and answers n). */
extern const char TU_DEEP_RULES[];
/* In c, a context for TU_DEEP_RULES, on a thread with a large stack
 * (8 MiB): f(190), within the depth limit, is 190. */
void tu_expect_large_stack_holds(Ctx *c);
/* The same on a thread whose stack (48 KiB) is too small for it, in the
 * interpreter or in machine code, once the room kept below the floor is
 * taken off: it stops with the stack's error; then c goes on to the
 * evaluation on the large stack. */
void tu_expect_small_stack_stops(Ctx *c);
/* The value of q in c in Edict notation; "error: ..." on a runtime error. */
const char *tu_show(Ctx *c, const char *q);
/* A fact schema with a field of every kind of type (enum, percent, money
 * in one currency, date, duration, tariff code, int, decimal, bool, a
 * nested record, lists of text and of records, money in any currency):
 * the facts readers' tests load documents against it. */
extern const char *const TU_FACTS_RULES;

#endif
