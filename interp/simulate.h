/*
 * simulate.h - `edict simulate`: a population of fact documents evaluated
 * under a rule set and under a reform of it, and what changes.
 *
 * A reform is a small rule file whose declarations replace the declarations
 * of the same name in the module it names (load_reform, in load.c), like
 * OpenFisca's reforms: `module voucher` + `param priority_share : percent =
 * 8%`.  The report says, for each query, how many records change and in
 * which direction, the totals of money results, and a few records that
 * flip with the reason.
 */
#ifndef EDICT_SIMULATE_H
#define EDICT_SIMULATE_H

#include "load.h"

/* `edict simulate ARGS...` (the words after "simulate"); returns the exit status. */
int simulate_main(int argc, char **argv);

#endif
