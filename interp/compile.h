/*
 * compile.h - the code generator: checked trees -> bytecode chunks.
 *
 * Each param, decision, table and function becomes a Chunk; so does each
 * query, check and test expectation.  Names are already resolved to slots,
 * so the bytecode never looks anything up by string.  Every instruction
 * keeps the source span it came from.
 */
#ifndef EDICT_COMPILE_H
#define EDICT_COMPILE_H

#include "program.h"

/* What a load does with each declaration (the functions last) once it is
 * folded and compiled, while its tree is in the cache: analysing its
 * table (load.c). */
typedef void (*CgVisit)(Program *p, Decl *d, void *ud);
/* Compile every declaration of a program that checked without errors
 * (folding its trees first, unless cg_fold_program did), each then handed
 * to visit (unless NULL); nothing when it has its code already. */
void cg_program(Program *p, CgVisit visit, void *ud);
/* Only the folding of cg_program (fold.c), for a load that makes no code
 * (load_paths_checked): the trees are as a compiled program's. */
void cg_fold_program(Program *p, CgVisit visit, void *ud);

/* The explain-mode chunk of decl (or function) `index`, compiled on first
 * use; safe to call from threads sharing the program. */
const Chunk *cg_traced(const Program *p, int index, bool function);

/* Compile one checked expression (a query, a test's expectation, a check).
 * trace: emit explanation records.  own: the Own it was checked with
 * (chk_query), or NULL. */
Chunk *cg_expr(const Program *p, const Own *own, Node *expr, int nlocals, bool trace, const char *name);

/* The most values the chunk's code has on the stack at once, above its
 * locals: each instruction's stack effect followed along every path. */
int cg_max_stack(const Chunk *ch);
/* The stack depth before each word of the chunk's code (-1: no path
 * reaches it, or it is an operand word); *max (if not NULL) as above. */
int *cg_stack_depths(const Chunk *ch, int *max);

/* Compile a check: gives true/false, or for `check ... for x in xs` the list
 * of `showing` values of the items that fail. */
Chunk *cg_check(const Program *p, Decl *check);

#endif
