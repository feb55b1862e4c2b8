/*
 * serve_openapi.c - GET /openapi.json: the service described in OpenAPI
 * 3.1, with the rule set's facts schema (edict_rules_schema_json) as the
 * Facts component, so a client generator sees the real fact types.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "service.h"

/* The fixed part; @FACTS@, @DECISIONS@ and @RULESET@ are put in. */
static const char *const doc =
	"{\"openapi\":\"3.1.0\","
	"\"info\":{\"title\":\"Edict decision service\",\"version\":\"" EDICT_VERSION "\","
	"\"description\":\"Decisions of the rule set @RULESET@ over HTTP. Typed values are strings in Edict notation "
	"(\\\"14%\\\", \\\"50000000 KRW\\\", \\\"2026-12-01\\\"); a missing fact is null or left out.\"},"
	"\"security\":[{},{\"bearer\":[]}],"
	"\"paths\":{"
	"\"/v1/decide\":{\"post\":{\"summary\":\"Decide for one set of facts\",\"operationId\":\"decide\","
	"\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/DecideRequest\"}}}},"
	"\"responses\":{\"200\":{\"description\":\"The decisions, as edict eval --json gives them, and the rule set\","
	"\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/DecideResponse\"}}}},"
	"\"400\":{\"$ref\":\"#/components/responses/BadRequest\"},\"401\":{\"$ref\":\"#/components/responses/Unauthorized\"},"
	"\"413\":{\"$ref\":\"#/components/responses/TooLarge\"},\"422\":{\"$ref\":\"#/components/responses/Unprocessable\"},"
	"\"503\":{\"$ref\":\"#/components/responses/Unavailable\"}}}},"
	"\"/v1/batch\":{\"post\":{\"summary\":\"Decide for one facts document a line (NDJSON), one result a line\","
	"\"operationId\":\"batch\",\"parameters\":["
	"{\"name\":\"query\",\"in\":\"query\",\"required\":false,\"schema\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
	"\"style\":\"form\",\"explode\":true,\"description\":\"what to evaluate (repeatable); default every public decision\"},"
	"{\"name\":\"as_of\",\"in\":\"query\",\"required\":false,\"schema\":{\"type\":\"string\",\"format\":\"date\"}}],"
	"\"requestBody\":{\"required\":true,\"content\":{\"application/x-ndjson\":{\"schema\":{\"type\":\"string\"}}}},"
	"\"responses\":{\"200\":{\"description\":\"One record a line, as edict batch writes them\","
	"\"content\":{\"application/x-ndjson\":{\"schema\":{\"type\":\"string\"}}}},"
	"\"400\":{\"$ref\":\"#/components/responses/BadRequest\"},\"401\":{\"$ref\":\"#/components/responses/Unauthorized\"},"
	"\"413\":{\"$ref\":\"#/components/responses/TooLarge\"},"
	"\"422\":{\"$ref\":\"#/components/responses/Unprocessable\"}}}},"
	"\"/v1/whynot\":{\"post\":{\"summary\":\"What would flip a yes/no decision\",\"operationId\":\"whynot\","
	"\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/WhyNotRequest\"}}}},"
	"\"responses\":{\"200\":{\"description\":\"The smallest changes of facts or date that flip it, in sentences\","
	"\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\",\"required\":[\"decision\",\"answer\"],"
	"\"properties\":{\"ruleset\":{\"$ref\":\"#/components/schemas/Ruleset\"},\"as_of\":{\"type\":\"string\"},"
	"\"decision\":{\"type\":\"string\"},\"value\":{},\"want\":{\"type\":\"boolean\"},\"answer\":{\"type\":\"string\"}}}}}},"
	"\"400\":{\"$ref\":\"#/components/responses/BadRequest\"},\"422\":{\"$ref\":\"#/components/responses/Unprocessable\"}}}},"
	"\"/v1/whatif\":{\"post\":{\"summary\":\"The decisions that differ between two cases, and why\",\"operationId\":\"whatif\","
	"\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/WhatIfRequest\"}}}},"
	"\"responses\":{\"200\":{\"description\":\"Each decision that changes, before and after, with the reasons\","
	"\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/WhatIfResponse\"}}}},"
	"\"400\":{\"$ref\":\"#/components/responses/BadRequest\"},\"422\":{\"$ref\":\"#/components/responses/Unprocessable\"}}}},"
	"\"/v1/schema\":{\"get\":{\"summary\":\"The facts as JSON Schema, the decisions with their types\",\"operationId\":\"schema\","
	"\"responses\":{\"200\":{\"description\":\"The schema\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
	"\"/v1/examples\":{\"get\":{\"summary\":\"The example cases built into the service\",\"operationId\":\"examples\","
	"\"responses\":{\"200\":{\"description\":\"Example companies and products\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
	"\"/openapi.json\":{\"get\":{\"summary\":\"This document\",\"operationId\":\"openapi\","
	"\"responses\":{\"200\":{\"description\":\"OpenAPI 3.1\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
	"\"/healthz\":{\"get\":{\"summary\":\"The process is up\",\"operationId\":\"healthz\",\"security\":[{}],"
	"\"responses\":{\"200\":{\"description\":\"up\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
	"\"/readyz\":{\"get\":{\"summary\":\"Rules are in service and the process is not draining\",\"operationId\":\"readyz\",\"security\":[{}],"
	"\"responses\":{\"200\":{\"description\":\"ready (reload_error shows a failed reload; the old rules serve)\","
	"\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},"
	"\"503\":{\"description\":\"draining, or no rules\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
	"\"/metrics\":{\"get\":{\"summary\":\"Prometheus metrics\",\"operationId\":\"metrics\","
	"\"responses\":{\"200\":{\"description\":\"Prometheus text format 0.0.4\",\"content\":{\"text/plain\":{\"schema\":{\"type\":\"string\"}}}}}}}"
	"},"
	"\"components\":{"
	"\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\",\"description\":\"when started with --token-file\"}},"
	"\"responses\":{"
	"\"BadRequest\":{\"description\":\"Malformed JSON or a request that is not well formed\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}},"
	"\"Unauthorized\":{\"description\":\"A bearer token is needed\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}},"
	"\"TooLarge\":{\"description\":\"The body, or a batch's reply, is over the limit\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}},"
	"\"Unprocessable\":{\"description\":\"Facts that do not fit the schema (with the field's path), or an evaluation over its step, memory or time limit, or a batch over its time limit\","
	"\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}},"
	"\"Unavailable\":{\"description\":\"No rules in service, or out of memory\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}},"
	"\"schemas\":{"
	"\"Facts\":@FACTS@,"
	"\"Decision\":{\"type\":\"string\",\"enum\":@DECISIONS@},"
	"\"Ruleset\":{\"type\":\"object\",\"required\":[\"name\",\"hash\"],\"properties\":{\"name\":{\"type\":\"string\"},\"hash\":{\"type\":\"string\"}}},"
	"\"Error\":{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\",\"required\":[\"status\",\"kind\",\"message\"],"
	"\"properties\":{\"status\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"}}}}},"
	"\"DecideRequest\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	"\"facts\":{\"$ref\":\"#/components/schemas/Facts\"},\"queries\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1},"
	"\"as_of\":{\"type\":\"string\",\"format\":\"date\"},\"explain\":{\"type\":\"boolean\"}}},"
	"\"DecideResponse\":{\"type\":\"object\",\"required\":[\"as_of\",\"decisions\",\"missing\",\"ruleset\"],\"properties\":{"
	"\"as_of\":{\"type\":\"string\",\"format\":\"date\"},\"decisions\":{\"type\":\"object\"},"
	"\"missing\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
	"\"errors\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},\"explanations\":{\"type\":\"object\"},"
	"\"ruleset\":{\"$ref\":\"#/components/schemas/Ruleset\"}}},"
	"\"WhyNotRequest\":{\"type\":\"object\",\"required\":[\"decision\"],\"additionalProperties\":false,\"properties\":{"
	"\"decision\":{\"type\":\"string\"},\"facts\":{\"$ref\":\"#/components/schemas/Facts\"},\"as_of\":{\"type\":\"string\",\"format\":\"date\"}}},"
	"\"Case\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	"\"facts\":{\"$ref\":\"#/components/schemas/Facts\"},\"as_of\":{\"type\":\"string\",\"format\":\"date\"}}},"
	"\"WhatIfRequest\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	"\"facts\":{\"$ref\":\"#/components/schemas/Facts\"},\"as_of\":{\"type\":\"string\",\"format\":\"date\"},"
	"\"changes\":{\"type\":\"object\",\"description\":\"fact path -> new value (JSON, or Edict notation); as_of -> a date\"},"
	"\"before\":{\"$ref\":\"#/components/schemas/Case\"},\"after\":{\"$ref\":\"#/components/schemas/Case\"}}},"
	"\"WhatIfResponse\":{\"type\":\"object\",\"required\":[\"changes\"],\"properties\":{"
	"\"ruleset\":{\"$ref\":\"#/components/schemas/Ruleset\"},\"before\":{\"type\":\"object\"},\"after\":{\"type\":\"object\"},"
	"\"changes\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"decision\",\"before\",\"after\",\"reasons\"],"
	"\"properties\":{\"decision\":{\"type\":\"string\"},\"before\":{},\"after\":{},\"before_text\":{\"type\":\"string\"},"
	"\"after_text\":{\"type\":\"string\"},\"reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}}}}"
	"}}}\n";

/* Replace every `from` in s by `to`. */
static const char *replace(const char *s, const char *from, const char *to)
{
	Buf b = {0};
	size_t fl = strlen(from);
	for (const char *at; (at = strstr(s, from)); s = at + fl) {
		buf_add(&b, s, (size_t)(at - s));
		buf_puts(&b, to);
	}
	buf_puts(&b, s);
	return buf_cstr(&b);
}

typedef struct OpenApi {
	const Ruleset *rs;
	char *out;
} OpenApi;

static void openapi_body(void *ud)
{
	OpenApi *k = ud;
	const Ruleset *rs = k->rs;
	json_object *schema = json_tokener_parse(strstr(rs->schema, "\"facts\":") ? rs->schema : "{}"), *facts = NULL,
		    *decisions = NULL;
	char *out = NULL;
	if (schema && json_object_object_get_ex(schema, "facts", &facts) &&
	    json_object_object_get_ex(schema, "decisions", &decisions)) {
		json_object_object_del(facts, "$schema"); /* OpenAPI 3.1's dialect is 2020-12 already */
		Buf names = {0};
		buf_puts(&names, "[");
		for (size_t i = 0; i < json_object_array_length(decisions); i++) {
			json_object *d = json_object_array_get_idx(decisions, i), *n;
			json_object_object_get_ex(d, "name", &n);
			if (i)
				buf_puts(&names, ",");
			buf_json_str(&names, json_object_get_string(n), strlen(json_object_get_string(n)));
		}
		buf_puts(&names, "]");
		const char *f = json_object_to_json_string_ext(facts, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		f = replace(f, "\"#/$defs/", "\"#/components/schemas/Facts/$defs/");
		const char *s = replace(doc, "@FACTS@", f);
		s = replace(s, "@DECISIONS@", buf_cstr(&names));
		Buf name = {0}; /* inside a JSON string: escaped, without its quotes */
		buf_json_str(&name, rs->name, strlen(rs->name));
		s = replace(s, "@RULESET@", xprintf("%.*s (%s)", (int)name.n - 2, name.s + 1, rs->hash));
		out = strdup(s);
	}
	if (schema)
		json_object_put(schema);
	k->out = out;
}

char *serve_openapi(const Ruleset *rs)
{
	edict_thread_attach();
	OpenApi k = {rs, NULL};
	return pr_call(openapi_body, &k) == ST_OK ? k.out : NULL;
}
