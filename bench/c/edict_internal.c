/*
 * edict_internal.c - the Edict side of the benchmark, through the library's
 * internal interface (interp/load.h, query.h, vm.h, facts.h).
 *
 *   bench_edict memory  --rules P... --data F [--reps N] [--variant values|json] [--query Q]...
 *   bench_edict stream  --rules P... [--query Q]...   < in.ndjson > out.ndjson
 *   bench_edict load    --rules P... [--reps N]
 *   bench_edict ctx     --rules P... [--query Q]...
 *   bench_edict decimal [--n N] [--reps N]
 *   bench_edict repeat  --rules P... --facts F --query Q... [--times T] [--reps N]
 *
 * memory (workload 1): every company is read and converted to typed fact
 *   values first (not timed); then each pass sets one reused context's facts
 *   to a company's values, resets it and decides the queries (together,
 *   under one protected call: query_run_many), timed with the process CPU
 *   clock.  Like `edict batch`, it keeps no value of an earlier company, so
 *   the context carves each evaluation's values over the last one's
 *   (ctx_reuse_region).  --variant json instead loads the company's JSON text
 *   into the context each time (json-c parse + typed conversion + decisions).
 * stream: a stand-in for `edict batch` until it exists: NDJSON in, one result
 *   line out per input line.
 * load (workload 3): load, check and compile the rule set, N times.
 * ctx (workload 4): bytes of one evaluation context, new and after use.
 * decimal (workload 5): the exact-decimal primitives against doubles.
 * repeat (workload 5): decide each query T times over one facts document
 *   (reset between), for the per-element cost of the decimal rule set.
 *
 * --native (memory, stream, ctx, repeat): what the queries reach is
 * compiled to machine code first, as `edict batch --native` compiles it.
 *
 * The queries default to the four decisions of the suite (voucher.eligible,
 * voucher.priority, voucher.award, support.pending), in that order, which is
 * the order the checksum expects.
 */
#include "mem.h"

#include <json-c/json.h>

#include "common.h"
#include "facts.h"
#include "format.h"
#include "load.h"
#include "native.h"
#include "query.h"

#define MAXQ 16

typedef struct Opts {
	const char *rules[64];
	int nrules;
	const char *queries[MAXQ];
	int nq;
	const char *data;
	const char *facts;
	long times;
	const char *variant;
	bool native;
	int reps;
	long n;
} Opts;

static _Noreturn void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench_edict: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static void parse_opts(int argc, char **argv, Opts *o)
{
	memset(o, 0, sizeof *o);
	o->reps = 3;
	o->variant = "values";
	o->n = 1000000;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--native") == 0) {
			o->native = true;
			continue;
		}
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			die("option %s needs a value", a);
		if (strcmp(a, "--rules") == 0 && o->nrules < 64)
			o->rules[o->nrules++] = v;
		else if (strcmp(a, "--query") == 0 && o->nq < MAXQ)
			o->queries[o->nq++] = v;
		else if (strcmp(a, "--facts") == 0)
			o->facts = v;
		else if (strcmp(a, "--times") == 0)
			o->times = atol(v);
		else if (strcmp(a, "--data") == 0)
			o->data = v;
		else if (strcmp(a, "--variant") == 0)
			o->variant = v;
		else if (strcmp(a, "--reps") == 0)
			o->reps = atoi(v);
		else if (strcmp(a, "--n") == 0)
			o->n = atol(v);
		else
			die("unknown option %s", a);
		i++;
	}
	if (o->nq == 0) {
		o->queries[o->nq++] = "voucher.eligible";
		o->queries[o->nq++] = "voucher.priority";
		o->queries[o->nq++] = "voucher.award";
		o->queries[o->nq++] = "support.pending";
	}
}

static Program *load_rules(const Opts *o)
{
	if (o->nrules == 0)
		die("%s", "--rules PATH is required");
	Diags *d = diag_new();
	Program *p = load_paths(o->rules, o->nrules, d);
	if (!p || d->nerrors) {
		for (int i = 0; i < d->n; i++)
			fprintf(stderr, "%s\n", diag_render(d, &d->items[i], false));
		die("%s", "the rule set has errors");
	}
	return p;
}

/* --native: what the queries reach compiled to machine code, as `edict
 * batch --native` compiles it (the queries' decisions with task functions,
 * native.h). */
static void compile_native(Program *p, Query **qs, int nq)
{
	const Chunk *roots[MAXQ];
	for (int i = 0; i < nq; i++)
		roots[i] = qs[i]->plain;
	const char *why;
	int n = native_compile(p, roots, nq, &why);
	fprintf(stderr, "bench_edict: %d of %d chunks in machine code%s%s\n", n, p->ndecls + p->nfuncs, why ? ": " : "",
		why ? why : "");
}

static void compile_queries(Program *p, const Opts *o, Query **qs)
{
	Diags *d = diag_new();
	for (int i = 0; i < o->nq; i++) {
		qs[i] = query_compile(p, o->queries[i], "--query", d);
		if (!qs[i]) {
			for (int j = 0; j < d->n; j++)
				fprintf(stderr, "%s\n", diag_render(d, &d->items[j], false));
			die("cannot compile the query %s", o->queries[i]);
		}
	}
	if (o->native)
		compile_native(p, qs, o->nq);
}

/* -1 unknown, 0 false, 1 true */
static int tri(Value v)
{
	return v.tag == V_BOOL ? (int)v.as.i : -1;
}

/* The checksum of one company's four results (query order as documented). */
static void sum_add(Sum *s, const Value *v, int nq)
{
	s->n++;
	if (nq < 4)
		return;
	sum_tri(&s->et, &s->ef, &s->eu, tri(v[0]));
	sum_tri(&s->pt, &s->pf, &s->pu, tri(v[1]));
	if (v[2].tag == V_MONEY) {
		int64_t a;
		if (dec_to_int(val_get_dec(v[2]), &a))
			s->award += a;
	} else {
		s->au++;
	}
	if (v[3].tag == V_LIST) {
		const List *l = v[3].as.l;
		for (uint32_t k = 0; k < l->len; k++)
			s->pendw += (long long)(k + 1) * l->items[k].as.i;
		s->pendn += l->len;
	} else {
		s->pendu++;
	}
}

static void eval_fail(Ctx *c, const char *what)
{
	fprintf(stderr, "bench_edict: %s: %s:%d:%d: %s\n", what, c->errloc.file ? c->errloc.file : "?", c->errloc.line,
		c->errloc.col, c->errmsg ? c->errmsg : "?");
	exit(4);
}

/* ------------------------------------------------------------ workload 1 */

static int cmd_memory(const Opts *o)
{
	Program *p = load_rules(o);
	Query *qs[MAXQ];
	compile_queries(p, o, qs);
	if (!o->data)
		die("%s", "--data FILE is required");
	Lines l = read_lines(o->data);
	bool json = strcmp(o->variant, "json") == 0;
	Ctx *c = vm_new(p);
	/* values: each company's fact roots, converted once, before timing */
	Value *snap = NULL;
	size_t nf = (size_t)p->nfacts;
	if (!json) {
		snap = GC_MALLOC(sizeof(Value) * (nf ? nf : 1) * (l.n ? l.n : 1));
		for (size_t i = 0; i < l.n; i++) {
			const char *err;
			if (facts_load_json(c, l.s[i], l.len[i], "data", &err) != ST_OK)
				die("bad facts: %s", err);
			memcpy(snap + i * nf, c->facts, sizeof(Value) * nf);
		}
	}
	double *ns = calloc((size_t)o->reps, sizeof *ns);
	Sum s = {0};
	size_t bytes0 = 0, bytes1 = 0;
	for (int r = 0; r < o->reps; r++) {
		memset(&s, 0, sizeof s);
		GC_gcollect();
		bytes0 = GC_get_total_bytes();
		double t0 = cpu_ns();
		for (size_t i = 0; i < l.n; i++) {
			if (json) {
				const char *err;
				if (facts_load_json(c, l.s[i], l.len[i], "data", &err) != ST_OK)
					die("bad facts: %s", err);
			} else {
				memcpy(c->facts, snap + i * nf, sizeof(Value) * nf);
			}
			/* nothing of the last company's evaluation is kept: its
			 * values are carved over, as `edict batch` does */
			ctx_reuse_region(c);
			vm_reset(c);
			Value v[MAXQ];
			int failed;
			if (query_run_many(c, (const Query *const *)qs, o->nq, v, &failed) != ST_OK)
				eval_fail(c, o->queries[failed]);
			sum_add(&s, v, o->nq);
		}
		ns[r] = (cpu_ns() - t0) / (double)(l.n ? l.n : 1);
		bytes1 = GC_get_total_bytes();
	}
	char extra[128];
	snprintf(extra, sizeof extra, "\"alloc_bytes_per_record\": %.1f, \"gc_count\": %lu",
		 (double)(bytes1 - bytes0) / (double)(l.n ? l.n : 1), (unsigned long)GC_get_gc_no());
	print_reps(ns, o->reps, &s, extra);
	return 0;
}

/* ------------------------------------------------------------ stream */

static int cmd_stream(const Opts *o)
{
	Program *p = load_rules(o);
	Query *qs[MAXQ];
	compile_queries(p, o, qs);
	Ctx *c = vm_new(p);
	json_tokener *tok = json_tokener_new_ex(FACTS_MAX_DEPTH);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long lineno = 0, bad = 0;
	Buf b = {0};
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		b.n = 0;
		json_tokener_reset(tok);
		json_object *root = json_tokener_parse_ex(tok, line, (int)n);
		const char *err = NULL;
		json_object *id = NULL;
		if (!root)
			err = "not JSON";
		else {
			json_object_object_get_ex(root, "id", &id);
			if (facts_load_object(c, root, "<stdin>", &err) != ST_OK && !err)
				err = "bad facts";
		}
		buf_printf(&b, "{\"line\":%lld", lineno);
		if (id)
			buf_printf(&b, ",\"id\":%s", json_object_to_json_string_ext(id, JSON_C_TO_STRING_PLAIN));
		if (err) {
			bad++;
			buf_puts(&b, ",\"error\":");
			buf_json_str(&b, err, strlen(err));
		} else {
			vm_reset(c);
			buf_puts(&b, ",\"decisions\":{");
			for (int q = 0; q < o->nq; q++) {
				Value v;
				if (q)
					buf_puts(&b, ",");
				buf_json_str(&b, o->queries[q], strlen(o->queries[q]));
				buf_puts(&b, ":");
				if (query_run(c, qs[q], &v) != ST_OK)
					buf_puts(&b, "null");
				else
					fmt_json(p, v, &b);
			}
			buf_puts(&b, "}");
		}
		buf_puts(&b, "}\n");
		fwrite(b.s, 1, b.n, stdout);
		json_object_put(root);
	}
	fflush(stdout);
	fprintf(stderr, "%lld lines, %lld bad\n", lineno, bad);
	return bad ? 1 : 0;
}

/* ------------------------------------------------------------ workload 3 */

static int cmd_load(const Opts *o)
{
	double *ns = calloc((size_t)o->reps, sizeof *ns);
	int ndecls = 0, nmods = 0;
	for (int r = 0; r < o->reps; r++) {
		double t0 = wall_ns();
		Program *p = load_rules(o);
		ns[r] = wall_ns() - t0;
		ndecls = p->ndecls;
		nmods = p->nmods;
	}
	Sum s = {0};
	char extra[128];
	snprintf(extra, sizeof extra, "\"decls\": %d, \"modules\": %d", ndecls, nmods);
	print_reps(ns, o->reps, &s, extra);
	return 0;
}

/* ------------------------------------------------------------ workload 4 */

static int cmd_ctx(const Opts *o)
{
	Program *p = load_rules(o);
	Query *qs[MAXQ];
	compile_queries(p, o, qs);
	enum { N = 1000 };
	static Ctx *keep[N];
	GC_gcollect();
	size_t b0 = GC_get_total_bytes();
	for (int i = 0; i < N; i++)
		keep[i] = vm_new(p);
	size_t b1 = GC_get_total_bytes();
	/* after one evaluation: the value stack exists, memo slots are filled */
	const char *doc = "{\"company\":{\"size\":\"sme\",\"us_export_share\":\"12%\",\"voucher_requested\":\"1000000 KRW\","
			  "\"consulting_done\":false,\"finance_arranged\":false,\"logistics_arranged\":false,"
			  "\"high_potential_selected\":false}}";
	for (int i = 0; i < N; i++) {
		const char *err;
		if (facts_load_json(keep[i], doc, strlen(doc), "ctx", &err) != ST_OK)
			die("bad facts: %s", err);
	}
	size_t b2 = GC_get_total_bytes();
	for (int i = 0; i < N; i++) {
		vm_reset(keep[i]);
		for (int q = 0; q < o->nq; q++) {
			Value v;
			if (query_run(keep[i], qs[q], &v) != ST_OK)
				eval_fail(keep[i], o->queries[q]);
		}
	}
	size_t b3 = GC_get_total_bytes();
	printf("{\"ctx_new_bytes\": %.1f, \"facts_bytes\": %.1f, \"first_eval_bytes\": %.1f, \"decls\": %d, \"facts\": %d}\n",
	       (double)(b1 - b0) / N, (double)(b2 - b1) / N, (double)(b3 - b2) / N, p->ndecls, p->nfacts);
	return 0;
}

/* ------------------------------------------------------------ workload 5 */

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static volatile double dsink;
static volatile long long isink;

static int cmd_decimal(const Opts *o)
{
	size_t n = (size_t)o->n;
	Dec *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *pct = malloc(n * sizeof *pct);
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *fp = malloc(n * sizeof *fp);
	for (size_t i = 0; i < n; i++) {
		/* amounts with two decimals up to 1,000,000.00; percentages with one */
		int64_t ca = (int64_t)(next() % 100000000), cb = (int64_t)(next() % 100000000), cp = (int64_t)(next() % 1000);
		a[i] = (Dec){ca, -2};
		b[i] = (Dec){cb, -2};
		pct[i] = (Dec){cp, -3}; /* 12.3% = 0.123 */
		x[i] = (double)ca / 100;
		y[i] = (double)cb / 100;
		fp[i] = (double)cp / 1000;
	}
	const char *names[] = {"add", "mul", "compare", "money_x_percent"};
	printf("{");
	for (int op = 0; op < 4; op++) {
		double *dn = calloc((size_t)o->reps, sizeof *dn), *fn = calloc((size_t)o->reps, sizeof *fn);
		for (int r = 0; r < o->reps; r++) {
			Dec z = {0, 0}, acc = {0, 0};
			long long cnt = 0;
			double t0 = cpu_ns();
			for (size_t i = 0; i < n; i++) {
				switch (op) {
				case 0: dec_add(a[i], b[i], &z); acc.coef ^= z.coef; break;
				case 1: dec_mul(a[i], b[i], &z); acc.coef ^= z.coef; break;
				case 2: cnt += dec_cmp(a[i], b[i]); break;
				default: dec_mul(a[i], pct[i], &z); acc.coef ^= z.coef; break;
				}
			}
			dn[r] = (cpu_ns() - t0) / (double)n;
			isink = (long long)acc.coef + cnt;
			double facc = 0;
			t0 = cpu_ns();
			for (size_t i = 0; i < n; i++) {
				switch (op) {
				case 0: facc += x[i] + y[i]; break;
				case 1: facc += x[i] * y[i]; break;
				case 2: facc += x[i] < y[i]; break;
				default: facc += x[i] * fp[i]; break;
				}
			}
			fn[r] = (cpu_ns() - t0) / (double)n;
			dsink = facc;
		}
		printf("%s\"%s\": {\"dec_ns\": %.2f, \"double_ns\": %.2f}", op ? ", " : "", names[op], median(dn, o->reps),
		       median(fn, o->reps));
	}
	printf("}\n");
	return 0;
}

static int cmd_repeat(const Opts *o)
{
	Program *p = load_rules(o);
	Query *qs[MAXQ];
	compile_queries(p, o, qs);
	if (!o->facts)
		die("%s", "--facts FILE is required");
	size_t len;
	const char *err;
	char *text = load_file(o->facts, FACTS_MAX_BYTES, &len, &err);
	if (!text)
		die("%s", err);
	Ctx *c = vm_new(p);
	if (facts_load_json(c, text, len, o->facts, &err) != ST_OK)
		die("bad facts: %s", err);
	long times = o->times > 0 ? o->times : 10;
	double *ns = calloc((size_t)o->reps, sizeof *ns);
	printf("{");
	for (int q = 0; q < o->nq; q++) {
		Value v = {0};
		for (int r = 0; r < o->reps; r++) {
			double t0 = cpu_ns();
			for (long t = 0; t < times; t++) {
				vm_reset(c);
				if (query_run(c, qs[q], &v) != ST_OK)
					eval_fail(c, o->queries[q]);
			}
			ns[r] = (cpu_ns() - t0) / (double)times;
		}
		printf("%s\"%s\": {\"ns_per_eval\": %.1f, \"value\": \"%s\"}", q ? ", " : "", o->queries[q],
		       median(ns, o->reps), fmt_value_str(p, v));
	}
	printf("}\n");
	return 0;
}

int main(int argc, char **argv)
{
	GC_INIT();
	mem_init();
	if (argc < 2)
		die("%s", "usage: bench_edict memory|stream|load|ctx|decimal [options]");
	Opts o;
	parse_opts(argc, argv, &o);
	const char *cmd = argv[1];
	if (strcmp(cmd, "memory") == 0)
		return cmd_memory(&o);
	if (strcmp(cmd, "stream") == 0)
		return cmd_stream(&o);
	if (strcmp(cmd, "load") == 0)
		return cmd_load(&o);
	if (strcmp(cmd, "ctx") == 0)
		return cmd_ctx(&o);
	if (strcmp(cmd, "decimal") == 0)
		return cmd_decimal(&o);
	if (strcmp(cmd, "repeat") == 0)
		return cmd_repeat(&o);
	die("unknown command %s", cmd);
}
