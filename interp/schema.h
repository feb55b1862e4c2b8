/*
 * schema.h - the content hash of a rule set, for the command line (the
 * public forms are edict_rules_hash and edict_rules_schema_json).
 */
#ifndef EDICT_SCHEMA_H
#define EDICT_SCHEMA_H

#include "program.h"

/* "sha256:" and 64 hex digits, over each module's name and text. */
void schema_hash(const Program *p, char out[72]);

#endif
