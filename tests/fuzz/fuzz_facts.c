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
 * A reform of the schema adds fields (to a fact and to a record in a
 * list) and a fact: a document the reformed rules accept, with what only
 * they declare taken out (facts_drop_unknown, as `edict simulate` does for
 * the rules as they are), must load under the schema, and taking out
 * again changes nothing.
 *
 * Invariants: a refusal has a message; printed JSON is valid JSON; the two
 * readers agree.
 */
#include "facts.h"
#include "format.h"
#include "fuzz_common.h"
#include "fuzz_schema.h"
#include "load.h"

static Program *prog, *wider;

static const char reform[] = "reform schema\n"
			     "record task {\n"
			     "  number : int\n"
			     "  name : string\n"
			     "  launch_month : int optional\n"
			     "  budget : money KRW default 0 KRW\n"
			     "  code : hscode optional\n"
			     "  dhaka : bool default false\n"
			     "  remote : bool optional\n"
			     "}\n"
			     "fact company {\n"
			     "  size : company_size\n"
			     "  us_export_share : percent\n"
			     "  voucher_received : money KRW default 0 KRW\n"
			     "  founded : date optional\n"
			     "  employees : int optional\n"
			     "  rating : decimal optional\n"
			     "  home : address optional\n"
			     "  tags : list of string default []\n"
			     "  green : bool optional\n"
			     "}\n"
			     "fact vehicle { co2 : int }\n";

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
	Source *r = GC_MALLOC(sizeof *r);
	r->path = "reform.edict";
	r->text = reform;
	r->len = sizeof reform - 1;
	const Source *rs[1] = {r};
	wider = prog && !d->nerrors ? load_reform(prog, rs, 1, d) : NULL;
	if (!prog || !wider || d->nerrors) {
		for (int i = 0; i < d->n; i++)
			fputs(diag_render(d, &d->items[i], false), stderr);
		__builtin_trap();
	}
	return 0;
}

/* What the reform alone declares, taken out of a document it accepts. */
static void drop_reform_facts(const char *text, size_t len)
{
	json_object *doc;
	FactsError fe;
	if (facts_read(text, len, &doc, &fe) != ST_OK)
		return;
	const char *err;
	if (facts_load_object(fuzz_ctx(wider), doc, "facts", &err) == ST_OK) {
		facts_drop_unknown(prog, wider, doc);
		FUZZ_ASSERT(facts_load_object(fuzz_ctx(prog), doc, "facts", &err) == ST_OK);
		const char *once = xprintf("%s", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
		facts_drop_unknown(prog, wider, doc);
		FUZZ_ASSERT(strcmp(once, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN)) == 0);
	}
	json_object_put(doc);
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
	drop_reform_facts(text, size);
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
