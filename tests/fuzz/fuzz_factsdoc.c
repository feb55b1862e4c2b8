/*
 * fuzz_factsdoc.c - libFuzzer harness for facts built piece by piece
 * (edict_facts_*: the door of the PostgreSQL extension and of hosts whose
 * facts are parsed already), against the schema of fuzz_schema.h.
 *
 * The first byte chooses how the rest is read:
 *   - even: JSON text.  When json-c parses it into an object, the tree is
 *     reported event by event to one context and the text given to another
 *     (edict_ctx_set_facts_json): unless one refuses the document itself
 *     (its JSON, sizes, UTF-8), both must give the same status and
 *     message, and when they load, the same value for every decision.
 *   - odd: a program of events, a byte each (object, list, end, key,
 *     text, number, true, false, null), texts with a length byte and
 *     carved from the input (so they may hold NUL bytes and bad UTF-8),
 *     then a commit.  Every status must be OK, facts or memory; after a
 *     failure every call must fail the same way; a committed document must
 *     evaluate, printing valid JSON.
 * Texts are handed over as malloc'd copies (json_walk.h).
 */
#include <stdlib.h>

#include "edict.h"
#include "fuzz_common.h"
#include "fuzz_schema.h"
#include "json_walk.h"

static edict_rules *rules;
static edict_ctx *built, *parsed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	edict_init();
	if (edict_load_source("schema.edict", schema, sizeof schema - 1, &rules) != EDICT_OK ||
	    edict_ctx_new(rules, &built) != EDICT_OK || edict_ctx_new(rules, &parsed) != EDICT_OK) {
		fputs(edict_rules_report(rules), stderr);
		__builtin_trap();
	}
	edict_ctx_set_limits(built, FUZZ_MAX_STEPS, FUZZ_MAX_BYTES);
	edict_ctx_set_limits(parsed, FUZZ_MAX_STEPS, FUZZ_MAX_BYTES);
	edict_ctx_set_as_of(built, FUZZ_AS_OF);
	edict_ctx_set_as_of(parsed, FUZZ_AS_OF);
	return 0;
}

/* Every decision, as JSON or the error, into one text. */
static char *decide_all(edict_ctx *x)
{
	size_t cap = 4096, n = 0;
	char *all = malloc(cap);
	all[0] = 0;
	for (size_t i = 0; i < edict_rules_decision_count(rules); i++) {
		const char *json;
		int st = edict_eval_json(x, edict_rules_decision_name(rules, i), &json);
		FUZZ_ASSERT(st >= EDICT_OK && st <= EDICT_EINTERRUPTED);
		if (st == EDICT_OK)
			assert_json(json, strlen(json));
		const char *s = st == EDICT_OK ? json : edict_ctx_errmsg(x);
		size_t k = strlen(s);
		if (n + k + 2 > cap) {
			cap = (n + k + 2) * 2;
			all = realloc(all, cap);
		}
		memcpy(all + n, s, k);
		n += k;
		all[n++] = '\n';
		all[n] = 0;
	}
	return all;
}

static void from_text(const char *text, size_t n)
{
	json_tokener *tok = json_tokener_new_ex(200);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *j = json_tokener_parse_ex(tok, text, (int)n);
	bool whole = json_tokener_get_error(tok) == json_tokener_success && json_tokener_get_parse_end(tok) == n;
	json_tokener_free(tok);
	if (!whole || json_object_get_type(j) != json_type_object) {
		json_object_put(j);
		return; /* the text reader and json-c differ on such texts */
	}
	edict_facts_begin(built);
	int sw = walk_json(built, j);
	json_object_put(j);
	int sb = edict_facts_commit(built);
	FUZZ_ASSERT(sw == EDICT_OK || sb == sw);
	int sp = edict_ctx_set_facts_json(parsed, text, n);
	/* the checks of the document itself (a key given twice, which json-c's
	 * tree no longer shows; UTF-8; depth and sizes) place their refusals
	 * differently (line:col in a text, the path in a tree), and the C API's
	 * text door does not make all of them yet: compare the rest */
	const char *why = edict_ctx_errmsg(parsed), *bwhy = edict_ctx_errmsg(built);
	if ((sp == EDICT_EFACTS && (strstr(why, "invalid JSON") || strstr(why, "invalid facts"))) ||
	    (sb == EDICT_EFACTS && (strstr(bwhy, "invalid JSON") || strstr(bwhy, "invalid facts"))))
		return;
	FUZZ_ASSERT(sb == sp);
	FUZZ_ASSERT(strcmp(edict_ctx_errmsg(built), why) == 0);
	if (sb != EDICT_OK)
		return;
	char *a = decide_all(built), *b = decide_all(parsed);
	FUZZ_ASSERT(strcmp(a, b) == 0);
	free(a);
	free(b);
}

static void from_events(const uint8_t *d, size_t n)
{
	int first_failure = EDICT_OK;
	edict_facts_begin(built);
	for (size_t i = 0; i < n;) {
		uint8_t op = d[i++] % 9;
		int st;
		if (op == 3 || op == 4 || op == 5) {
			size_t len = i < n ? d[i++] : 0;
			if (len > n - i)
				len = n - i;
			st = walk_text(op == 3 ? edict_facts_key : op == 4 ? edict_facts_string : edict_facts_number, built,
				       (const char *)d + i, len);
			i += len;
		} else {
			st = op == 0 ? edict_facts_object(built)
			     : op == 1 ? edict_facts_array(built)
			     : op == 2 ? edict_facts_end(built)
			     : op == 6 ? edict_facts_bool(built, 1)
			     : op == 7 ? edict_facts_bool(built, 0)
				       : edict_facts_null(built);
		}
		FUZZ_ASSERT(st == EDICT_OK || st == EDICT_EFACTS || st == EDICT_ENOMEM);
		FUZZ_ASSERT(st == EDICT_OK || edict_ctx_errmsg(built)[0]);
		FUZZ_ASSERT(first_failure == EDICT_OK || st == first_failure);
		if (st != EDICT_OK && first_failure == EDICT_OK)
			first_failure = st;
	}
	int st = edict_facts_commit(built);
	FUZZ_ASSERT(first_failure == EDICT_OK || st == first_failure);
	FUZZ_ASSERT(st == EDICT_OK || st == EDICT_EFACTS || st == EDICT_ENOMEM);
	if (st == EDICT_OK)
		free(decide_all(built));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rules)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0 || size > 256 * 1024)
		return -1;
	if (data[0] % 2 == 0)
		from_text((const char *)data + 1, size - 1);
	else
		from_events(data + 1, size - 1);
	return 0;
}
