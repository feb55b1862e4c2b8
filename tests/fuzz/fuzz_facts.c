/*
 * fuzz_facts.c - libFuzzer harness for JSON facts against a fixed schema.
 *
 * The schema below declares a fact of every kind of type (enums, records
 * with optional and default fields, nested records, lists of records,
 * money in one currency and in any, percentages, dates, durations, tariff
 * codes, text).  Each input is a JSON document: it is loaded, and when it
 * fits, every decision is evaluated and printed as text and as JSON under
 * small limits.  The same document is then loaded a second time into the
 * same context, which must give the same outcome (loading replaces facts).
 *
 * Loading goes through facts_load_json: the one-pass reader first, json-c's
 * tree for what it declines.  Each input is also read by the one-pass
 * reader alone and by the full reader alone: what the first takes, the
 * second must accept with the same results.
 *
 * Invariants: a refusal has a message; printed JSON is valid JSON; the two
 * readers agree.
 */
#include "facts.h"
#include "format.h"
#include "fuzz_common.h"
#include "fuzz_schema.h"
#include "load.h"

static Program *prog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "schema.edict";
	s->text = schema;
	s->len = sizeof schema - 1;
	const Source *srcs[1] = {s};
	Diags *d = diag_new();
	prog = load_sources(srcs, 1, d);
	if (!prog || d->nerrors) {
		for (int i = 0; i < d->n; i++)
			fputs(diag_render(d, &d->items[i], false), stderr);
		__builtin_trap();
	}
	return 0;
}

static void evaluate(Ctx *c, Buf *digest);

/* Load and evaluate; returns the load status and a digest of the results. */
static int run(Ctx *c, const char *text, size_t len, Buf *digest)
{
	const char *err = NULL;
	int st = facts_load_json(c, text, len, "facts", &err);
	if (st != ST_OK) {
		FUZZ_ASSERT(st == ST_FACTS && err != NULL);
		buf_puts(digest, err);
		return st;
	}
	evaluate(c, digest);
	return ST_OK;
}

/* Every decision of prog in c, into digest. */
static void evaluate(Ctx *c, Buf *digest)
{
	date_parse(FUZZ_AS_OF, strlen(FUZZ_AS_OF), &c->as_of);
	vm_reset(c);
	for (int i = 0; i < prog->ndecls; i++) {
		Value v;
		int rs = vm_eval_decl(c, i, &v);
		FUZZ_ASSERT(rs >= ST_OK && rs <= ST_INTERRUPTED);
		if (rs != ST_OK) {
			FUZZ_ASSERT(c->errmsg != NULL);
			buf_printf(digest, "%d:%s\n", rs, c->errmsg);
			vm_reset(c);
			continue;
		}
		fmt_value(prog, v, digest);
		Buf j = {0};
		fmt_json(prog, v, &j);
		assert_json(j.s ? j.s : "null", j.s ? j.n : 4);
		buf_add(digest, j.s ? j.s : "", j.n);
		buf_puts(digest, "\n");
	}
}

/* The one-pass reader (facts_load_text) takes only what the full reader
 * (json-c's tree) accepts, with the same as-of date and the same results. */
static void readers_agree(const char *text, size_t size)
{
	Ctx *fast = fuzz_ctx(prog), *full = fuzz_ctx(prog);
	FactsSpan id;
	if (facts_load_text(fast, text, size, NULL, &id) != ST_OK)
		return;
	json_object *tree = NULL;
	FactsError e;
	FUZZ_ASSERT(facts_read(text, size, &tree, &e) == ST_OK);
	const char *err = NULL;
	int st = facts_load_object(full, tree, "facts", &err);
	json_object_put(tree);
	FUZZ_ASSERT(st == ST_OK);
	FUZZ_ASSERT(fast->as_of == full->as_of);
	Buf a = {0}, b = {0};
	evaluate(fast, &a);
	evaluate(full, &b);
	FUZZ_ASSERT(a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0));
}

/* One input, under the protected call: running out of memory is a clean outcome. */
static void one_input(void *ud)
{
	const FuzzInput *in = ud;
	const uint8_t *data = in->data;
	size_t size = in->size;
	char *text = fuzz_text(data, size);
	Ctx *c = fuzz_ctx(prog);
	Buf a = {0}, b = {0};
	int st1 = run(c, text, size, &a);
	/* loading again into the same context gives the same outcome */
	int st2 = run(c, text, size, &b);
	FUZZ_ASSERT(st1 == st2);
	FUZZ_ASSERT(a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0));
	readers_agree(text, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size > 256 * 1024)
		return -1;
	FuzzInput in = {data, size};
	(void)pr_call(one_input, &in);
	return 0;
}
