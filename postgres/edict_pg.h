/*
 * edict_pg.h - what the two files of the PostgreSQL extension share.
 *
 * edict_pg.c holds the SQL functions, the settings, errors and
 * interruption; ruleset.c finds rule sets (a table or a directory) and
 * keeps each backend's loaded ones.  Only the library's public header is
 * used, like any host.
 */
#ifndef EDICT_PG_H
#define EDICT_PG_H

#include "postgres.h"

#include "fmgr.h"

#include "edict.h"

/* A rule set loaded in this backend, with the one context it evaluates
 * in.  Both handles are the library's uncollectable handles, so they may
 * live in malloc'd memory (docs/postgres.md, "The collector"). */
typedef struct PgRules {
	char *name;
	uint64 hash; /* of the content it was loaded from */
	edict_rules *rules;
	edict_ctx *ctx;
	struct PgRules *next;
} PgRules;

/* The rule set called name, as it is now (a statement finds it once and
 * keeps it in fn_extra); ERROR when there is none or it has errors. */
PgRules *pg_rules_for(FunctionCallInfo fcinfo, text *name);
/* Load a rule set without keeping it (edict_check): the handle carries
 * the diagnostics; the caller frees it. */
edict_rules *pg_rules_load_fresh(const char *name);

/* Start the library in this backend, once (the collector: see
 * docs/postgres.md). */
void pg_edict_start(void);

/* The settings (edict_pg.c). */
extern char *pg_rules_root;

#endif
