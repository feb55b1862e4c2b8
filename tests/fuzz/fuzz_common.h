/*
 * fuzz_common.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each harness defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize).
 * Built with clang -fsanitize=fuzzer,address,undefined (EDICT_FUZZ=ON) it
 * is a fuzzer; built with replay.c instead it is a plain program that feeds
 * files to the same function, which is how the normal tests replay the seed
 * corpora and every crash ever found (tests/fuzz/regressions/).
 *
 * Evaluation in harnesses runs with small limits, so that a runaway input
 * stops at the limit quickly instead of slowing the fuzzer: the limits are
 * part of what is tested.
 */
#ifndef EDICT_FUZZ_COMMON_H
#define EDICT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "date.h"
#include "mem.h"
#include "vm.h"

#define FUZZ_MAX_STEPS 20000ull
#define FUZZ_MAX_BYTES (1u << 20)
#define FUZZ_AS_OF "2026-06-15"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An input, for a harness's protected call (protect.h). */
typedef struct FuzzInput {
	const uint8_t *data;
	size_t size;
} FuzzInput;

static inline void fuzz_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	GC_INIT();
	mem_init();
}

/* The input as a NUL-terminated GC string (inputs may hold NUL bytes;
 * len keeps them). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = GC_MALLOC_ATOMIC(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* A context with the fuzzing limits and a fixed as-of date. */
static inline Ctx *fuzz_ctx(const Program *p)
{
	Ctx *c = vm_new(p);
	c->max_steps = FUZZ_MAX_STEPS;
	c->max_bytes = FUZZ_MAX_BYTES;
	date_parse(FUZZ_AS_OF, strlen(FUZZ_AS_OF), &c->as_of);
	return c;
}

/* A bug the harness itself detects: crash loudly so the fuzzer keeps it. */
#define FUZZ_ASSERT(cond)                                                               \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                       \
			__builtin_trap();                                               \
		}                                                                       \
	} while (0)

/* Printed JSON must be JSON: strict, valid UTF-8, nothing after it. */
static inline void assert_json(const char *s, size_t n)
{
	/* a space ends a bare number or literal, which json-c would otherwise
	 * wait for more of */
	char *t = GC_MALLOC_ATOMIC(n + 2);
	memcpy(t, s, n);
	t[n] = ' ';
	/* EDICT_FUZZ_NO_UTF8=1 skips the UTF-8 check, to look past a known
	 * bug while it is being fixed */
	static int utf8 = -1;
	if (utf8 < 0) {
		const char *e = getenv("EDICT_FUZZ_NO_UTF8");
		utf8 = !(e && *e && *e != '0');
	}
	/* explanations nest a level or two per decision used (up to the call
	 * depth of 200): deeper than json-c's default of 32 */
	json_tokener *tok = json_tokener_new_ex(1000);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | (utf8 ? JSON_TOKENER_VALIDATE_UTF8 : 0));
	json_object *o = json_tokener_parse_ex(tok, t, (int)n + 1);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o)
		json_object_put(o);
	if (e != json_tokener_success || end < n) {
		fprintf(stderr, "invalid JSON output (%s at byte %zu of %zu): %.*s\n", json_tokener_error_desc(e), end, n,
			(int)(n > 2000 ? 2000 : n), s);
		__builtin_trap();
	}
}

#endif
