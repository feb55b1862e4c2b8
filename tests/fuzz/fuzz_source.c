/*
 * fuzz_source.c - libFuzzer harness for rule source: lexer, parser,
 * checker, compiler, table analysis, and evaluation of what compiles.
 *
 * The input is rule text.  A line "----" splits it into up to four files
 * (m0.edict .. m3.edict), so imports between modules are exercised too.
 * When the rules load without errors, every param, decision and table is
 * evaluated (plain and traced, with explanations), every check and every
 * test runs, the bytecode is disassembled and results are printed as text
 * and as JSON, all under small step and memory limits.
 *
 * The site `edict doc` writes (site.c: every page, views evaluated, the
 * dependency graph as DOT) is built too.
 *
 * With EDICT_FUZZ_NATIVE set, every decision is then compiled to machine
 * code (native.h), each named by a query so that it has a task function,
 * and decided again: it must give what the interpreter gave, to the step
 * and the error's place.
 *
 * Besides "no crash, no sanitizer report", the harness checks invariants:
 * errors come with a message; a rule set without errors is compiled; JSON
 * output is valid JSON (json-c, strict); every page of the site has a path
 * and its whole text.
 */
#include "check.h"
#include "compile.h"
#include "disasm.h"
#include "explain.h"
#include "graph.h"
#include "facts.h"
#include "fuzz_common.h"
#include "load.h"
#include "native.h"
#include "parse.h"
#include "query.h"
#include "site.h"

#define MAX_FILES 4

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void check_status(const Ctx *c, int st)
{
	FUZZ_ASSERT(st >= ST_OK && st <= ST_INTERRUPTED);
	if (st != ST_OK)
		FUZZ_ASSERT(c->errmsg != NULL);
}

static void show(const Program *p, Value v)
{
	Buf b = {0};
	fmt_value(p, v, &b);
	Buf j = {0};
	fmt_json(p, v, &j);
	assert_json(j.s ? j.s : "null", j.s ? j.n : 4);
	Buf m = {0};
	explain_missing_json(v, &m);
	assert_json(m.s ? m.s : "[]", m.s ? m.n : 2);
}

#define NATIVE_FUZZ_WORDS 1000

/* What deciding decl i in a fresh context gives: the value and the facts
 * it waits for, or the error, its place and message. */
static const char *outcome(Program *p, int i)
{
	Ctx *c = fuzz_ctx(p);
	facts_clear(c);
	vm_reset(c);
	Value v;
	int st = vm_eval_decl(c, i, &v);
	if (st != ST_OK)
		return xprintf("error %d at %d:%d: %s", st, c->errloc.line, c->errloc.col, c->errmsg);
	Buf m = {0};
	explain_missing_json(v, &m);
	return xprintf("%s %s (%llu steps)", fmt_value_str(p, v), m.s ? m.s : "", (unsigned long long)c->steps);
}

/* With EDICT_FUZZ_NATIVE set (tests/fuzz/run.sh's native run): every
 * decision compiled to machine code (native.h) decides as the interpreter
 * did, to the step. */
static void same_in_machine_code(Program *p)
{
	/* compiling costs about a millisecond a word of bytecode: rule sets
	 * past NATIVE_FUZZ_WORDS would only time the fuzzer out */
	long words = 0;
	for (int i = 0; i < p->ndecls; i++)
		words += p->dchunk[i] ? p->dchunk[i]->n : 0;
	for (int i = 0; i < p->nfuncs; i++)
		words += p->fchunk[i] ? p->fchunk[i]->n : 0;
	if (words > NATIVE_FUZZ_WORDS)
		return;
	const char **want = GC_MALLOC(sizeof(char *) * (size_t)(p->ndecls + 1));
	for (int i = 0; i < p->ndecls; i++)
		want[i] = outcome(p, i);
	/* each decision named by a query, as `edict batch --native` names
	 * them, so that each has its task function and is decided through it */
	const Chunk **roots = GC_MALLOC(sizeof(Chunk *) * (size_t)(p->ndecls + 1));
	int nroots = 0;
	for (int i = 0; i < p->ndecls; i++) {
		Query *q = query_compile(p, p->decls[i]->qname, "--query", diag_new());
		if (q)
			roots[nroots++] = q->plain;
	}
	if (native_compile(p, roots, nroots, NULL) == 0)
		return;
	for (int i = 0; i < p->ndecls; i++)
		FUZZ_ASSERT(strcmp(outcome(p, i), want[i]) == 0);
}

static void evaluate(Program *p)
{
	Ctx *c = fuzz_ctx(p);
	facts_clear(c);
	for (int trace = 0; trace <= 1; trace++) {
		c->trace = trace;
		vm_reset(c);
		for (int i = 0; i < p->ndecls; i++) {
			Value v;
			int st = vm_eval_decl(c, i, &v);
			check_status(c, st);
			if (st != ST_OK) {
				vm_reset(c);
				continue;
			}
			show(p, v);
			if (trace) {
				Buf b = {0};
				explain_text(c, i, p->decls[i]->qname, v, &b, NULL);
				Buf j = {0};
				explain_json(c, i, p->decls[i]->qname, v, &j);
				assert_json(j.s ? j.s : "{}", j.s ? j.n : 2);
			}
		}
	}
	/* checks, as `edict check` runs them, with the fuzzing limits */
	for (int i = 0; i < p->nchecks; i++) {
		Chunk *ch = cg_check(p, p->checks[i]);
		vm_reset(c);
		Value v;
		check_status(c, vm_eval_chunk(c, ch, &v));
	}
	/* tests, as query_run_tests runs them */
	for (int i = 0; i < p->ntests; i++) {
		Decl *t = p->tests[i];
		Ctx *tc = fuzz_ctx(p);
		facts_clear(tc);
		for (int j = 0; j < t->nsteps; j++)
			if (t->steps[j].kind == TS_ASOF)
				date_parse(t->steps[j].date, strlen(t->steps[j].date), &tc->as_of);
		int st = ST_OK;
		for (int j = 0; j < t->nsteps && st == ST_OK; j++) {
			TestStep *s = &t->steps[j];
			if (s->kind != TS_GIVEN)
				continue;
			Value v;
			st = vm_eval_chunk(tc, cg_expr(p, NULL, s->expr, 64, false, "given"), &v);
			check_status(tc, st);
			if (st == ST_OK)
				facts_set_path(tc, s->fact, s->slots ? s->slots + 1 : NULL, s->npath - 1, v);
			vm_reset(tc);
		}
		for (int j = 0; j < t->nsteps && st == ST_OK; j++) {
			TestStep *s = &t->steps[j];
			if (s->kind != TS_EXPECT)
				continue;
			Value v;
			Chunk *ch = cg_expr(p, NULL, s->expr, t->nlocals + 8, false, "expect");
			check_status(tc, vm_eval_chunk(tc, ch, &v));
		}
	}
	Buf b = {0};
	disasm_program(p, &b);
	/* the site, as `edict doc` builds it (without Graphviz) */
	SiteOpts so = {date_from_ymd(2026, 12, 1), NULL, NULL, "fuzz"};
	int npages = 0;
	SitePage *pages = site_build(p, &so, &npages);
	FUZZ_ASSERT(npages > 0);
	for (int i = 0; i < npages; i++)
		FUZZ_ASSERT(pages[i].path && pages[i].path[0] && pages[i].data);
	(void)graph_dot(p, NULL, "module/");
}

/* One input, under the protected call: running out of memory is a clean outcome. */
static void one_input(void *ud)
{
	const FuzzInput *in = ud;
	const uint8_t *data = in->data;
	size_t size = in->size;
	char *text = fuzz_text(data, size);
	const Source *srcs[MAX_FILES];
	int n = 0;
	const char *start = text, *end = text + size;
	while (n < MAX_FILES) {
		const char *cut = NULL;
		if (n < MAX_FILES - 1)
			for (const char *q = start; q + 6 <= end; q++)
				if (memcmp(q, "\n----\n", 6) == 0) {
					cut = q;
					break;
				}
		Source *s = GC_MALLOC(sizeof *s);
		s->path = xprintf("m%d.edict", n);
		s->text = start;
		s->len = (size_t)((cut ? cut + 1 : end) - start);
		srcs[n++] = s;
		if (!cut)
			break;
		start = cut + 6;
	}
	/* the outline scan a query-only load reads every file with (load.c):
	 * whatever the text, it ends, and its type declarations parse alone */
	for (int i = 0; i < n; i++) {
		Outline o;
		parse_outline(srcs[i], &o);
		FUZZ_ASSERT(o.nimports >= 0 && o.nnames >= 0 && o.ntypes >= 0);
		for (int j = 0; j < o.ntypes; j++)
			FUZZ_ASSERT(o.types[j].off + o.types[j].len <= srcs[i]->len);
		(void)parse_outline_types(srcs[i], &o, diag_new());
	}
	Diags *d = diag_new();
	Program *p = load_sources(srcs, n, d);
	for (int i = 0; i < d->n; i++) {
		FUZZ_ASSERT(d->items[i].msg != NULL);
		(void)diag_render(d, &d->items[i], false);
	}
	if (p && d->nerrors == 0) {
		for (int i = 0; i < p->ndecls; i++)
			FUZZ_ASSERT(p->dchunk[i] != NULL);
		evaluate(p);
		if (getenv("EDICT_FUZZ_NATIVE"))
			same_in_machine_code(p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size > 64 * 1024)
		return -1; /* larger inputs only slow the search down */
	FuzzInput in = {data, size};
	(void)pr_call(one_input, &in);
	return 0;
}
