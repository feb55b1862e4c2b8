/*
 * fuzz_layout.c - libFuzzer harness for the formatter (interp/layout.c).
 *
 * The input is one rule file.  When it has syntax errors the formatter
 * must refuse it with an error; otherwise its result must parse without
 * errors to the same syntax tree (tests/fuzz/ast_text.h: every field the
 * parser sets, without places), and formatting the result again must give
 * it back byte for byte (idempotence).  CTest also replays through it the
 * source corpus and every .edict file of the repository (fmt.tree).
 */
#include "ast_text.h"
#include "fuzz_common.h"
#include "layout.h"
#include "parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static const Module *parse_text(const char *text, size_t len, Diags *d)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "in.edict";
	s->text = text;
	s->len = len;
	return parse_module(s, d);
}

/* One input, under the protected call: running out of memory is a clean outcome. */
static void one_input(void *ud)
{
	const FuzzInput *in = ud;
	char *text = fuzz_text(in->data, in->size);
	size_t size = in->size;
	Diags *d = diag_new();
	size_t n1;
	const char *once = layout_format("in.edict", text, size, d, &n1);
	if (!once) {
		FUZZ_ASSERT(d->nerrors > 0);
		return;
	}
	FUZZ_ASSERT(strlen(once) == n1);
	Diags *d1 = diag_new(), *d2 = diag_new();
	const Module *before = parse_text(text, size, d1);
	const Module *after = parse_text(once, n1, d2);
	FUZZ_ASSERT(before && after && d1->nerrors == 0 && d2->nerrors == 0);
	FUZZ_ASSERT(strcmp(ast_text(before), ast_text(after)) == 0);
	size_t n2;
	const char *twice = layout_format("in.edict", once, n1, diag_new(), &n2);
	FUZZ_ASSERT(twice && n2 == n1 && memcmp(once, twice, n1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size > 64 * 1024)
		return -1;
	FuzzInput in = {data, size};
	(void)pr_call(one_input, &in);
	return 0;
}
