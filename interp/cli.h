/*
 * cli.h - pieces of the command line shared by its commands (cli.c) and
 * the REPL and batch modes.
 */
#ifndef EDICT_CLI_H
#define EDICT_CLI_H

#include "program.h"

void cli_print_diags(const Diags *d);

#endif
