/*
 * fold.h - constant folding, before code generation.
 */
#ifndef EDICT_FOLD_H
#define EDICT_FOLD_H

#include "program.h"

/* Fold the constant subtrees of every decision, param, table and function
 * of a checked program into constants (Node.is_const, Node.k). */
void fold_program(Program *p);

#endif
