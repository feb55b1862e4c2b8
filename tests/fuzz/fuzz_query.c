/*
 * fuzz_query.c - libFuzzer harness for query and REPL lines: parse_expr,
 * chk_query, the compiler and the VM, against the fixed rule set of
 * fuzz_schema.h with facts that fit it.
 *
 * A line starting "given " is a REPL assignment (`given company.size =
 * large`): parse_given + chk_given, then the value is computed and set, and
 * every decision is evaluated again.  Any other line is a query: compiled,
 * run plain and traced, explained, printed as text and JSON.  The second
 * line, if any, is a second query asked of the same context, as a REPL
 * session does.
 */
#include "check.h"
#include "compile.h"
#include "explain.h"
#include "facts.h"
#include "format.h"
#include "fuzz_common.h"
#include "fuzz_schema.h"
#include "load.h"
#include "parse.h"
#include "query.h"

static Program *prog;
static int nnodes, nsources; /* the program's nodes and sources: no query adds to them */

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
	nnodes = prog->nnodes;
	nsources = prog->diags->nsources;
	return 0;
}

static void ask(Ctx *c, const char *line)
{
	Diags *d = diag_new();
	Query *q = query_compile(prog, line, "<repl>", d);
	for (int i = 0; i < d->n; i++) {
		FUZZ_ASSERT(d->items[i].msg != NULL);
		(void)diag_render(d, &d->items[i], false);
	}
	if (!q) {
		FUZZ_ASSERT(d->nerrors > 0);
		return;
	}
	FUZZ_ASSERT(d->nerrors == 0);
	for (int trace = 0; trace <= 1; trace++) {
		c->trace = trace;
		vm_reset(c);
		Value v;
		int st = query_run(c, q, &v);
		FUZZ_ASSERT(st >= ST_OK && st <= ST_INTERRUPTED);
		if (st != ST_OK) {
			FUZZ_ASSERT(c->errmsg != NULL);
			continue;
		}
		Buf b = {0}, j = {0};
		fmt_value(prog, v, &b);
		fmt_json(prog, v, &j);
		assert_json(j.s ? j.s : "null", j.s ? j.n : 4);
		if (trace) {
			Buf e = {0}, ej = {0};
			explain_text(c, q->decl >= 0 ? q->decl : c->top_frame, line, v, &e, NULL);
			explain_json(c, q->decl >= 0 ? q->decl : c->top_frame, line, v, &ej);
			assert_json(ej.s ? ej.s : "{}", ej.s ? ej.n : 2);
		}
	}
}

static void given(Ctx *c, const char *line)
{
	Source *src = GC_MALLOC(sizeof *src);
	src->path = "<repl>";
	src->text = line;
	src->len = strlen(line);
	Diags *d = diag_new();
	TestStep *s = parse_given(src, d);
	if (!s)
		return;
	Own *own = prog_own(prog, src);
	int nlocals = 0;
	if (!chk_given(prog, own, s, d, &nlocals) || d->nerrors)
		return;
	vm_reset(c);
	Value v;
	int st = vm_eval_chunk(c, cg_expr(prog, own, s->expr, nlocals, false, "given"), &v);
	FUZZ_ASSERT(st >= ST_OK && st <= ST_INTERRUPTED);
	if (st != ST_OK)
		return;
	facts_set_path(c, s->fact, s->slots ? s->slots + 1 : NULL, s->npath - 1, v);
	vm_reset(c);
	for (int i = 0; i < prog->ndecls; i++) {
		Value r;
		if (vm_eval_decl(c, i, &r) != ST_OK)
			vm_reset(c);
	}
}

/* One input, under the protected call: running out of memory is a clean outcome. */
static void one_input(void *ud)
{
	const FuzzInput *in = ud;
	const uint8_t *data = in->data;
	size_t size = in->size;
	char *text = fuzz_text(data, size);
	Ctx *c = fuzz_ctx(prog);
	const char *err;
	FUZZ_ASSERT(facts_load_json(c, schema_facts, sizeof schema_facts - 1, "facts", &err) == ST_OK);
	date_parse(FUZZ_AS_OF, strlen(FUZZ_AS_OF), &c->as_of);
	/* up to two lines, one after the other in the same context */
	char *nl = memchr(text, '\n', size);
	if (nl)
		*nl = 0;
	const char *lines[2] = {text, nl ? nl + 1 : NULL};
	for (int i = 0; i < 2 && lines[i]; i++) {
		if (strncmp(lines[i], "given ", 6) == 0)
			given(c, lines[i] + 6);
		else
			ask(c, lines[i]);
	}
	/* a query owns its nodes and text: the shared program never grows */
	FUZZ_ASSERT(prog->nnodes == nnodes && prog->diags->nsources == nsources);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size > 4096)
		return -1;
	FuzzInput in = {data, size};
	(void)pr_call(one_input, &in);
	return 0;
}
