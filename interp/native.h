/*
 * native.h - the native tier: a rule set's decisions and functions
 * compiled to machine code.
 *
 * native_compile translates the bytecode of every decision and function
 * into machine code through libgccjit, which it opens at run time: where
 * the library is missing, the bytecode interpreter runs everything, and
 * nothing else changes (the explain-mode instructions, which only the
 * interpreter's explain chunks hold, are the only ones not translated).  The machine code does what the interpreter does,
 * instruction for instruction, calling the interpreter's own operations
 * (vmrt.h) for everything but the simple cases it does in place, so both
 * give the same values, errors and step counts.  Explanations always use
 * the interpreter (its chunks record the trace).
 */
#ifndef EDICT_NATIVE_H
#define EDICT_NATIVE_H

#include "ctx.h"

/* A chunk in machine code: base as for the interpreter's exec (-1: the
 * context's stack top), always -1 for a decision, never for a function
 * (native.c counts on it). */
typedef Value (*NativeFn)(Ctx *c, int base);

typedef struct Native {
	NativeFn *dfn; /* per decl, NULL: interpreted */
	/* per decl, NULL where it has none (only decisions the roots name,
	 * below, have one): its task function, tfn[d](c, -1),
	 * decision d as a task of an evaluation, entered from its top (no
	 * decision being decided, the context's stack top 0, not in explain
	 * mode): its value from the memo, else decided by the same code as
	 * dfn[d] and put into the memo, all in machine code, where the known
	 * decision and whether it is kept save the work of doing it in C */
	NativeFn *tfn;
	NativeFn *ffn; /* per function */
	int ndone, nchunks; /* chunks in machine code, of all */
} Native;

/* Compile p's decisions and functions to machine code and attach them to
 * p (p->native), before any thread evaluates with p: those that the roots
 * (chunks: queries, say) decide and call, directly or not, or, roots NULL,
 * all of them.  Returns how many chunks are native (0: none; the
 * interpreter runs everything, silently); once p has native code, asking
 * again changes nothing.  Where `why` is not NULL it receives why nothing
 * was compiled, or NULL. */
int native_compile(Program *p, const Chunk *const *roots, int nroots, const char **why);

/* Whether this build can compile to machine code at all. */
bool native_available(void);

/* Whether native_compile may run while other threads evaluate: it compiles
 * in a child process, except in a build with AddressSanitizer, which
 * compiles in the process itself (native.c says why). */
bool native_beside_threads(void);

/* Whether every rule set should be compiled to machine code as it loads:
 * the environment variable EDICT_NATIVE is 1 (for hosts that cannot pass
 * an option, and to run a whole test suite on the native tier). */
bool native_by_default(void);

#endif
