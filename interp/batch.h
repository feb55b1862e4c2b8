/*
 * batch.h - `edict batch`: one JSON fact document a line in, one result a
 * line out, streamed, optionally on several threads.
 *
 * Also declares the few hooks of api.c that the command line's batch and
 * simulate modes use beyond the public interface (include/edict.h): they
 * hand over facts already parsed by json-c, and look at values and
 * programs directly.  They are not exported from libedict.
 */
#ifndef EDICT_BATCH_H
#define EDICT_BATCH_H

#include <json-c/json.h>

#include "edict.h"
#include "program.h"

/* `edict batch ARGS...` (the words after "batch"); returns the exit status. */
int batch_main(int argc, char **argv);

/* Replace a context's facts with a parsed JSON document, as
 * edict_ctx_set_facts_json does with text. */
int api_set_facts_object(edict_ctx *ctx, json_object *root);
/* The value behind a handle (NULL for a NULL or stale handle). */
const Value *api_value(const edict_value *v);
/* The compiled program of a rule set (NULL when it has errors). */
const Program *api_program(const edict_rules *rules);

#endif
