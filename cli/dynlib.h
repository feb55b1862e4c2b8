/*
 * dynlib.h - shared libraries the command opens the first time a subcommand
 * needs them (Graphviz for doc and graph, libmicrohttpd for serve), so that
 * every other command starts without loading them and their dependencies.
 */
#ifndef EDICT_CLI_DYNLIB_H
#define EDICT_CLI_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

/* One function to look up: its name and where its address goes. */
typedef struct DynFn {
	const char *name;
	void **slot;
} DynFn;

/* Open the library SONAME (a later call finds it open) and fill every
 * slot.  False, with a sentence in *why, when the library or one of the
 * functions is missing; no slot is filled then. */
bool dyn_load(const char *soname, const DynFn *fns, size_t n, const char **why);

#endif
