/*
 * tables.h - overlap and gap analysis of decision tables (tables.c).
 */
#ifndef EDICT_TABLES_H
#define EDICT_TABLES_H

#include "program.h"

/* Warn about rows of a `hit unique` table that can both apply, and about
 * values of a single-input table that no row covers.  Runs after constant
 * folding, on a compiled program. */
void tab_analyze(const Program *p, const Decl *d, Diags *diags);

#endif
