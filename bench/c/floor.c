/*
 * floor.c - the floor of workload 2: json-c merely parsing the lines.
 *
 *   bench_floor < companies.ndjson
 *
 * Reads NDJSON from standard input and parses each line with json-c (the
 * parser Edict's facts loader uses), then throws the tree away: no
 * decisions, no output.  Streaming Edict cannot beat this; the issue asks
 * `edict batch` to stay within 1.5x of it.  Prints the line count to stderr.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long lines = 0, objects = 0;
	json_tokener *tok = json_tokener_new();
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_tokener_reset(tok);
		json_object *o = json_tokener_parse_ex(tok, line, (int)n);
		lines++;
		if (o && json_object_is_type(o, json_type_object))
			objects++;
		json_object_put(o);
	}
	json_tokener_free(tok);
	free(line);
	fprintf(stderr, "lines=%lld objects=%lld\n", lines, objects);
	return objects == lines ? 0 : 1;
}
