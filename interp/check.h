/*
 * check.h - the checker: syntax trees -> a checked Program.
 *
 * Resolves every name (locals, decisions of this and imported modules, facts,
 * enumeration members, builtins), gives every expression a type and reports
 * what does not fit in a policy officer's words.  Also finds dependency
 * cycles between decisions and turns literals into constant values.
 * The compiler (compile.c) runs only on a Program without errors.
 */
#ifndef EDICT_CHECK_H
#define EDICT_CHECK_H

#include "program.h"

/* The deepest expression tree the checker accepts (see ast_add). */
#define CHK_MAX_DEPTH 500

/* Check a whole rule set.  Always returns a Program; errors are in d. */
Program *chk_program(Module **mods, int nmods, Diags *d);

/* Check an expression typed outside any module (a --query, a REPL line)
 * against a checked program.  Every module's names are visible by their
 * qualified names, and bare names when unique.  Returns its type (TY_ERROR
 * after reporting); *nlocals receives the frame size it needs.  The
 * expression's nodes go to own (prog_own, with the expression's source),
 * or to the program's table when own is NULL: only while loading it. */
const Type *chk_query(Program *p, Own *own, Node *expr, const Type *expect, Diags *d, int *nlocals);

/* Check a value for a fact path (a test's `given`, the REPL's `set`):
 * resolves the path segments to a root and slots, and the expression
 * against the path's type, its nodes kept as chk_query keeps them.
 * Returns false after reporting. */
bool chk_given(Program *p, Own *own, TestStep *s, Diags *d, int *nlocals);

/* The constant value of a literal node (is_const). */
Value chk_literal(const Node *n);

#endif
