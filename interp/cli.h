/*
 * cli.h - pieces of the command line shared by its commands (cli.c) and
 * the REPL and batch modes.
 */
#ifndef EDICT_CLI_H
#define EDICT_CLI_H

#include "program.h"

void cli_print_diags(const Diags *d);

/* The options the commands that evaluate share: --query/-q, --as-of and,
 * when jobs is not NULL, --jobs/-j.  argv[*i] is looked at; returns 1 when it
 * was one of them (and *i moves past its value), 0 when it was not, -1 after
 * calling usage with the reason. */
typedef void (*CliUsage)(const char *fmt, const char *arg);
int cli_shared_option(int argc, char **argv, int *i, const char ***queries, int *nqueries, const char **as_of,
		      int *jobs, CliUsage usage);

#endif
