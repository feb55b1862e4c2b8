/*
 * json_walk.h - a json-c tree reported to a context event by event
 * (edict_facts_*), the way a database or a scripting language reports its
 * own parsed facts.  Shared by fuzz_factsdoc.c and tests/unit/test_factsdoc.c.
 *
 * Every text handed over is a malloc'd copy freed right after the call, so
 * AddressSanitizer catches the library keeping a pointer it does not own.
 */
#ifndef EDICT_JSON_WALK_H
#define EDICT_JSON_WALK_H

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "edict.h"

static inline int walk_text(int (*fn)(edict_ctx *, const char *, size_t), edict_ctx *x, const char *s, size_t n)
{
	char *copy = malloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = 0;
	int st = fn(x, copy, n);
	free(copy);
	return st;
}

/* Report j; stops at the first failure and returns its status. */
static inline int walk_json(edict_ctx *x, json_object *j)
{
	int st;
	switch (json_object_get_type(j)) {
	case json_type_null: return edict_facts_null(x);
	case json_type_boolean: return edict_facts_bool(x, json_object_get_boolean(j));
	case json_type_int:
	case json_type_double: {
		const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
		return walk_text(edict_facts_number, x, s, strlen(s));
	}
	case json_type_string:
		return walk_text(edict_facts_string, x, json_object_get_string(j), (size_t)json_object_get_string_len(j));
	case json_type_array:
		if ((st = edict_facts_array(x)) != EDICT_OK)
			return st;
		for (size_t i = 0; i < json_object_array_length(j); i++)
			if ((st = walk_json(x, json_object_array_get_idx(j, i))) != EDICT_OK)
				return st;
		return edict_facts_end(x);
	case json_type_object:
		if ((st = edict_facts_object(x)) != EDICT_OK)
			return st;
		json_object_object_foreach(j, k, v)
		{
			if ((st = walk_text(edict_facts_key, x, k, strlen(k))) != EDICT_OK || (st = walk_json(x, v)) != EDICT_OK)
				return st;
		}
		return edict_facts_end(x);
	}
	return EDICT_EUSAGE;
}

#endif
