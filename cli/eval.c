/*
 * eval.c - `edict eval PATH... --facts FILE`: evaluate decisions for one set
 * of facts, as text, as JSON, or with their explanations.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "api.h"

/* The queries of an eval: the --query texts, or every public decision.
 * After errors, NULL; they are printed unless `quiet`. */
static Query **compile_queries(Program *p, const Opts *o, int *nq, bool quiet)
{
	Diags *d = diag_new();
	Query **qs = NULL;
	*nq = 0;
	if (o->eval.nqueries) {
		for (int i = 0; i < o->eval.nqueries; i++) {
			Query *q = query_compile(p, o->eval.queries[i], "--query", d);
			AST_PUSH(qs, *nq, q);
		}
	} else {
		for (int i = 0; i < p->ndecls; i++) {
			Decl *dd = p->decls[i];
			if (dd->kind == D_PARAM || dd->private_)
				continue;
			Query *q = query_compile(p, dd->qname, "--query", d);
			AST_PUSH(qs, *nq, q);
		}
	}
	if (d->nerrors) {
		if (!quiet)
			cli_print_diags(d);
		return NULL;
	}
	if (*nq == 0) {
		fputs("edict: these rules have no public decision to evaluate; name what to evaluate with --query\n", stderr);
		return GC_MALLOC(sizeof(Query *)); /* an empty list, not an error */
	}
	return qs;
}

/* ------------------------------------------------------------ the summary */

static void missing_list(Value v, Buf *b)
{
	for (uint32_t j = 0; v.as.m && j < v.as.m->len; j++)
		buf_printf(b, "%s%s", j ? ", " : "", v.as.m->paths[j]->data);
}

/* The fact roots an unknown value waits for ("company", "product"), once each. */
static void missing_roots(Value v, const char ***roots, int *n)
{
	for (uint32_t j = 0; v.tag == V_UNKNOWN && v.as.m && j < v.as.m->len; j++) {
		const char *path = v.as.m->paths[j]->data;
		size_t len = strcspn(path, ".[");
		bool have = false;
		for (int k = 0; k < *n && !have; k++)
			have = strlen((*roots)[k]) == len && strncmp((*roots)[k], path, len) == 0;
		if (!have)
			AST_PUSH(*roots, *n, ast_strdup(path, len));
	}
}

/* Whether the facts leave out the whole of a fact root (no "product"
 * section at all): unknown, an empty list, or a record with no field known. */
static bool root_absent(const Ctx *c, const char *root)
{
	const Decl *f = prog_find_fact(c->p, root);
	if (!f)
		return false;
	Value v = c->facts[f->fact];
	if (v.tag == V_UNKNOWN || (v.tag == V_LIST && v.as.l->len == 0))
		return true;
	if (v.tag != V_REC)
		return false;
	for (uint32_t i = 0; i < v.as.r->n; i++)
		if (v.as.r->f[i].tag != V_UNKNOWN)
			return false;
	return true;
}

/* One module of the summary: its known values, then its unknown decisions
 * grouped by the facts they wait for; a module none of whose decisions is
 * known takes one line. qs[from..to) are the module's decisions. */
static void summary_module(const Ctx *c, const Module *m, Query **qs, Value *vals, const char **errs, int from,
			   int to, Buf *b)
{
	const Program *p = c->p;
	int known = 0, shown = 0, unknown = 0, known_from_facts = 0;
	const char **roots = NULL;
	int nroots = 0;
	for (int i = from; i < to; i++)
		if (!errs[i]) {
			shown++;
			if (vals[i].tag != V_UNKNOWN) {
				known++;
				known_from_facts += !p->keep[qs[i]->decl];
			} else {
				unknown++;
				missing_roots(vals[i], &roots, &nroots);
			}
		}
	if (!shown)
		return;
	/* what it decides from facts waits for sections the facts do not have */
	bool absent = unknown > 0 && known_from_facts == 0;
	for (int k = 0; k < nroots && absent; k++)
		absent = root_absent(c, roots[k]);
	if (!known || absent) {
		buf_printf(b, "%s: %d decision%s unknown, waiting for ", m->name, unknown, unknown == 1 ? "" : "s");
		for (int k = 0; k < nroots; k++)
			buf_printf(b, "%s%s", k ? (k == nroots - 1 ? " and " : ", ") : "", roots[k]);
		buf_puts(b, nroots ? "" : "facts");
		if (known)
			buf_printf(b, " (%d more, fixed by the rules)", known);
		buf_puts(b, "\n");
		return;
	}
	buf_printf(b, "%s\n", m->name);
	size_t skip = strlen(m->name) + 1;
	for (int i = from; i < to; i++) {
		if (errs[i] || vals[i].tag == V_UNKNOWN)
			continue;
		buf_printf(b, "  %s = ", qs[i]->text + skip);
		fmt_value(p, vals[i], b);
		buf_puts(b, "\n");
	}
	/* each set of missing facts once, with the decisions that wait for it */
	unsigned char *done = GC_MALLOC_ATOMIC((size_t)(to - from) + 1);
	memset(done, 0, (size_t)(to - from) + 1);
	for (int i = from; i < to; i++) {
		if (errs[i] || vals[i].tag != V_UNKNOWN || done[i - from])
			continue;
		Buf need = {0};
		missing_list(vals[i], &need);
		buf_puts(b, "  unknown: ");
		for (int k = i, n = 0; k < to; k++) {
			if (errs[k] || vals[k].tag != V_UNKNOWN || done[k - from])
				continue;
			Buf other = {0};
			missing_list(vals[k], &other);
			if (strcmp(buf_cstr(&other), buf_cstr(&need)) != 0)
				continue;
			done[k - from] = 1;
			buf_printf(b, "%s%s", n++ ? ", " : "", qs[k]->text + skip);
		}
		buf_printf(b, need.n ? " (missing: %s)\n" : " (the rules give no value; no fact is missing)\n", buf_cstr(&need));
	}
}

/* `edict eval` without --query: every public decision, grouped by module. */
static void print_summary(const Ctx *c, Query **qs, Value *vals, const char **errs, int nq, const char *day, Buf *b)
{
	const Program *p = c->p;
	buf_printf(b, "as of %s\n", day);
	int i = 0;
	while (i < nq) {
		const Module *m = p->decls[qs[i]->decl]->module;
		int j = i;
		while (j < nq && p->decls[qs[j]->decl]->module == m)
			j++;
		summary_module(c, m, qs, vals, errs, i, j, b);
		i = j;
	}
}

/* The rules and the queries to run: with --query, only what the queries
 * reach is loaded whole (load_paths_for; docs/language.md, section 17).
 * When that fails, or a query does not compile against it, the whole rule
 * set is loaded and reported as `edict check` would: the same words and
 * hints.  NULL after errors (printed). */
static Query **load_queries(const Opts *o, Program **pp, int *nq)
{
	Query **qs = NULL;
	if (o->eval.nqueries) {
		Diags *d = diag_new();
		*pp = load_paths_for(o->eval.paths, o->eval.npaths, o->eval.queries, o->eval.nqueries, d);
		if (*pp && !d->nerrors && (qs = compile_queries(*pp, o, nq, true)) != NULL)
			cli_print_diags(d);
	}
	if (!qs && (*pp = cli_load(o)) != NULL)
		qs = compile_queries(*pp, o, nq, false);
	return qs;
}

/* The results of an eval: each query's value, or its error. */
typedef struct Results {
	const Program *p;
	Query **qs;
	int nq;
	Ctx *c;
	Value *vals;
	const char **errs;
	int nerr;
} Results;

static void run_queries(Results *r, bool json)
{
	r->vals = GC_MALLOC(sizeof(Value) * (size_t)(r->nq + 1));
	r->errs = GC_MALLOC(sizeof(char *) * (size_t)(r->nq + 1));
	Ctx *c = r->c;
	for (int i = 0; i < r->nq; i++) {
		ctx_set_query_frame(c, -2 - i); /* each query's own trace, for its explanation */
		if (query_run(c, r->qs[i], &r->vals[i]) == ST_OK)
			continue;
		/* the same shape as any diagnostic: where, what, the line, carets */
		Diag dg = {SEV_ERROR, c->errloc, c->errmsg, NULL};
		r->errs[i] = diag_render(r->qs[i]->own->diags, &dg, cli_color(stderr));
		if (json)
			r->errs[i] = xprintf("%s:%d:%d: error: %s", c->errloc.file ? c->errloc.file : "?", c->errloc.line,
					     c->errloc.col, c->errmsg);
		r->nerr++;
	}
}

/* The members of one section of the JSON output, query text first. */
typedef enum Section { S_DECISIONS, S_MISSING, S_ERRORS, S_EXPLANATIONS } Section;

static void json_section(Buf *b, const Results *r, const char *name, Section sec)
{
	buf_printf(b, ",\"%s\":{", name);
	int k = 0;
	for (int i = 0; i < r->nq; i++) {
		const Value *v = &r->vals[i];
		if ((sec == S_ERRORS) != (r->errs[i] != NULL) || (sec == S_MISSING && v->tag != V_UNKNOWN))
			continue;
		const char *q = r->qs[i]->text;
		if (k++)
			buf_puts(b, ",");
		buf_json_str(b, q, strlen(q));
		buf_puts(b, ":");
		if (sec == S_DECISIONS)
			fmt_json(r->p, *v, b);
		else if (sec == S_MISSING)
			explain_missing_json(*v, b);
		else if (sec == S_ERRORS)
			buf_json_str(b, r->errs[i], strlen(r->errs[i]));
		else
			explain_json(r->c, r->qs[i]->decl >= 0 ? r->qs[i]->decl : -2 - i, q, *v, b);
	}
	buf_puts(b, "}");
}

static void print_json(Buf *b, const Results *r, const char *day, bool explain)
{
	buf_printf(b, "{\"as_of\":\"%s\"", day);
	json_section(b, r, "decisions", S_DECISIONS);
	json_section(b, r, "missing", S_MISSING);
	if (r->nerr)
		json_section(b, r, "errors", S_ERRORS);
	if (explain)
		json_section(b, r, "explanations", S_EXPLANATIONS);
	buf_puts(b, "}\n");
}

static void print_text(Buf *b, const Results *r, const char *day, bool explain)
{
	unsigned char *seen = GC_MALLOC_ATOMIC((size_t)r->p->ndecls + 1);
	if (explain)
		buf_printf(b, "as of %s\n\n", day);
	for (int i = 0; i < r->nq; i++) {
		if (r->errs[i])
			continue;
		const Value *v = &r->vals[i];
		if (explain) {
			explain_text(r->c, r->qs[i]->decl >= 0 ? r->qs[i]->decl : -2 - i, r->qs[i]->text, *v, b, seen);
			buf_puts(b, "\n");
			continue;
		}
		buf_printf(b, "%s = ", r->qs[i]->text);
		fmt_value(r->p, *v, b);
		if (v->tag == V_UNKNOWN && v->as.m && v->as.m->len) {
			buf_puts(b, " (missing: ");
			for (uint32_t j = 0; j < v->as.m->len; j++)
				buf_printf(b, "%s%s", j ? ", " : "", v->as.m->paths[j]->data);
			buf_puts(b, ")");
		}
		buf_puts(b, "\n");
	}
}

/* A context with the facts of --facts (or standard input); NULL after
 * printing why not. */
static Ctx *facts_context(Program *p, const Opts *o)
{
	size_t len;
	const char *err;
	bool in = strcmp(o->facts, "-") == 0;
	char *text = load_file(in ? "/dev/stdin" : o->facts, FACTS_MAX_BYTES, &len, &err);
	if (!text) {
		fprintf(stderr, "edict: %s\n", err);
		return NULL;
	}
	Ctx *c = vm_new(p);
	ctx_set_trace(c, o->explain);
	ctx_set_explain_full(c, o->explain_full);
	if (facts_load_json(c, text, len, in ? "<stdin>" : o->facts, &err) != ST_OK) {
		fprintf(stderr, "error: %s\n", err);
		return NULL;
	}
	date_t day_of = c->as_of;
	if (o->eval.as_of && date_parse(o->eval.as_of, strlen(o->eval.as_of), &day_of) == 0)
		ctx_set_as_of(c, day_of);
	vm_reset(c);
	const char *msg, *cite;
	Loc where;
	if (query_requires(c, &msg, &where, &cite) != ST_OK) {
		fprintf(stderr, "error: %s: %s\n", in ? "<stdin>" : o->facts, msg);
		return NULL;
	}
	vm_reset(c);
	return c;
}

/* An eval holds collections off (mem_hold_collections; released also
 * when out of memory unwinds), as the load alone did, and after the load
 * for EVAL_HOLD_BYTES more: its small objects are then all carved from the
 * load's chunks, one after the other, where a fresh process's collector
 * would give each size of object a page of its own as the queries
 * compile, the facts are read and the answers are made (some 24 of the
 * 219 pages a one-company eval from an image touched).  One company takes
 * some 0.1 MB after the load; past the limit (large facts), collections
 * run again and memory stays bounded by what is live. */
#define EVAL_HOLD_BYTES ((size_t)8 << 20)

/* The program, the queries and the facts' context; an exit status other
 * than EXIT_OK when it stops there (after printing why). */
static int setup(const Opts *o, Results *r)
{
	Program *p = NULL;
	if (!(r->qs = load_queries(o, &p, &r->nq)))
		return EXIT_DIAG;
	mem_hold_for(EVAL_HOLD_BYTES);
	r->p = p;
	if (!(r->c = facts_context(p, o)))
		return EXIT_FACTS;
	return EXIT_OK;
}

/* An eval after its options: setup, the queries run, the answers printed. */
static int eval(const Opts *o)
{
	Results r = {0};
	int st = setup(o, &r);
	if (st != EXIT_OK)
		return st;
	run_queries(&r, o->json);
	char day[DATE_TEXT_LEN + 1];
	date_format(r.c->as_of, day);
	Buf b = {0};
	if (o->json)
		print_json(&b, &r, day, o->explain);
	else if (!o->eval.nqueries && !o->explain)
		print_summary(r.c, r.qs, r.vals, r.errs, r.nq, day, &b);
	else
		print_text(&b, &r, day, o->explain);
	fputs(buf_cstr(&b), stdout);
	for (int i = 0; i < r.nq; i++)
		if (r.errs[i])
			fprintf(stderr, o->json ? "%s\n" : "%s", r.errs[i]);
	return r.nerr ? EXIT_DIAG : EXIT_OK;
}

typedef struct Eval {
	const Opts *o;
	int status;
} Eval;

static void eval_body(void *ud)
{
	Eval *e = ud;
	e->status = eval(e->o);
}

int cmd_eval(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "eval") < 0)
		return EXIT_USAGE;
	if (!o.facts) {
		cli_usage_error("'edict eval' needs --facts FILE (or --facts - to read standard input)%s", "");
		return EXIT_USAGE;
	}
	Eval e = {&o, EXIT_OK};
	mem_hold_collections();
	int st = pr_call(eval_body, &e);
	mem_release_collections();
	pr_pass(st);
	return e.status;
}
