/*
 * fold.h - constant folding, before code generation.
 */
#ifndef EDICT_FOLD_H
#define EDICT_FOLD_H

#include "program.h"

/* Fold the constant subtrees of a checked decision, param, table or
 * function into constants (Node.is_const, Node.k). */
void fold_decl(Decl *d);

#endif
