/*
 * floor.c - the floor of workload 2: json-c merely parsing the lines.
 *
 *   bench_floor < companies.ndjson
 *
 * Reads NDJSON from standard input and parses each line with json-c (the
 * parser Edict's facts loader uses), then throws the tree away: no
 * decisions, no output: the floor of any program that parses with json-c,
 * which `edict batch`, with its own one-pass reader, is measured against.  Prints the line count to stderr.
 *
 * The tokener is set up as `edict batch` sets up its own (cli/batch.c):
 * strict JSON, at most 64 levels deep (FACTS_MAX_DEPTH in interp/facts.h),
 * one tokener reset for each line, the line given without its newline.
 * Strict mode is also the cheaper one (json-c then compares true, false and
 * null case-sensitively), so a floor in the default mode would flatter
 * Edict by a few percent.  Like `edict batch`, the thread uses glibc's C
 * locale object, which spares json-c its locale switch around each parse
 * (a twelfth of the parse).
 */
#include <json-c/json.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#define FLOOR_MAX_DEPTH 64

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long lines = 0, objects = 0;
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (c_locale)
		uselocale(c_locale);
	json_tokener *tok = json_tokener_new_ex(FLOOR_MAX_DEPTH);
	if (!tok)
		return 2;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		json_tokener_reset(tok);
		json_object *o = json_tokener_parse_ex(tok, line, (int)n);
		lines++;
		if (o && json_object_is_type(o, json_type_object))
			objects++;
		json_object_put(o);
	}
	json_tokener_free(tok);
	free(line);
	if (c_locale) {
		uselocale(LC_GLOBAL_LOCALE);
		freelocale(c_locale);
	}
	fprintf(stderr, "lines=%lld objects=%lld\n", lines, objects);
	return objects == lines ? 0 : 1;
}
