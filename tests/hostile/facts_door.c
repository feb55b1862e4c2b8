/*
 * facts_door.c - the C API's doors for facts, for tests/hostile/doors.py.
 *
 *     facts_door RULES FILE           edict_ctx_set_facts_json(FILE's bytes)
 *     facts_door RULES FILE PATH      edict_ctx_set_fact(PATH, FILE's bytes)
 *
 * Prints "ok" and the value of every decision, or the status name and the
 * message; exits 0 when the facts were taken, 3 when refused, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edict.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *s = malloc(cap + 1);
	size_t got;
	while (s && (got = fread(s + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			s = realloc(s, (cap *= 2) + 1);
	}
	fclose(f);
	if (s)
		s[len] = 0;
	*n = len;
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 3 || edict_init() != EDICT_OK)
		return 2;
	const char *paths[] = {argv[1]};
	edict_rules *rules;
	edict_ctx *ctx;
	if (edict_load_paths(paths, 1, &rules) != EDICT_OK || edict_ctx_new(rules, &ctx) != EDICT_OK) {
		fprintf(stderr, "the rules do not load\n");
		return 1;
	}
	size_t n;
	char *text = slurp(argv[2], &n);
	if (!text)
		return 1;
	int st = argc > 3 ? edict_ctx_set_fact(ctx, argv[3], text) : edict_ctx_set_facts_json(ctx, text, n);
	free(text);
	if (st != EDICT_OK) {
		printf("%s: %s\n", edict_status_name(st), edict_ctx_errmsg(ctx));
		edict_ctx_free(ctx);
		edict_rules_free(rules);
		return st == EDICT_EFACTS ? 3 : 1;
	}
	printf("ok\n");
	for (size_t i = 0; i < edict_rules_decision_count(rules); i++) {
		const char *json;
		const char *name = edict_rules_decision_name(rules, i);
		if (edict_eval_json(ctx, name, &json) == EDICT_OK)
			printf("%s = %s\n", name, json);
	}
	edict_ctx_free(ctx);
	edict_rules_free(rules);
	return 0;
}
