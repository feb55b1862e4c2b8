/*
 * fold.h - constant folding, before code generation.
 */
#ifndef EDICT_FOLD_H
#define EDICT_FOLD_H

#include "program.h"

/* Fold the constant subtrees of a checked decision, param, table or
 * function into constants (Node.is_const, Node.k). */
void fold_decl(Decl *d);

/* The value of node n (an operator, `if`, `otherwise`, `in`, `is`, a list)
 * from its kids' values kv[0..nkids), as its instructions would compute
 * it; false where it has none at compile time (a division by zero, a
 * kind of node that is not computed here). */
bool fold_with(const Node *n, const Value *kv, Value *out);

#endif
