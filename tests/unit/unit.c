/*
 * unit.c - the unit tests' shared helpers (unit.h).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "facts.h"
#include "format.h"
#include "mem.h"
#include "query.h"
#include "unit.h"

void tu_start(void)
{
	MEM_START();
}

const Source *tu_source(const char *path, const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = path;
	s->text = text;
	s->len = strlen(text);
	return s;
}

Program *tu_load(const char *text, Diags *d)
{
	const Source *srcs[1] = {tu_source("t.edict", text)};
	return load_sources(srcs, 1, d ? d : diag_new());
}

Program *tu_program(const char *text)
{
	return tu_program_at("t.edict", text);
}

Program *tu_program_at(const char *path, const char *text)
{
	Diags *d = diag_new();
	const Source *srcs[1] = {tu_source(path, text)};
	Program *p = load_sources(srcs, 1, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "rules do not check: %s (line %d)", d->n ? d->items[0].msg : "",
		     d->n ? d->items[0].loc.line : 0);
	return p;
}

Ctx *tu_ctx(Program *p, const char *facts)
{
	Ctx *c = vm_new(p);
	cr_assert_not_null(c);
	facts_clear(c);
	if (facts) {
		const char *err = NULL;
		int st = facts_load_json(c, facts, strlen(facts), "facts.json", &err);
		cr_assert_eq(st, ST_OK, "facts: %s", err);
	}
	date_parse("2026-12-01", 10, &c->as_of);
	vm_reset(c);
	return c;
}

/* The query q compiled for c, and c made ready for it. */
static Query *ready(Ctx *c, const char *q)
{
	Diags *d = diag_new();
	Query *qq = query_compile((Program *)c->p, q, "--query", d);
	cr_assert_not_null(qq, "query %s: %s", q, d->n ? d->items[0].msg : "");
	vm_reset(c);
	return qq;
}

int tu_run(Ctx *c, const char *q, Value *out)
{
	return query_run(c, ready(c, q), out);
}

typedef struct OnThread {
	Ctx *c;
	const Query *q;
	int st;
	Value v;
} OnThread;

/* The thread's body: no assertions here, they belong to the test's thread. */
static void *run_on_thread(void *arg)
{
	OnThread *t = arg;
	t->st = query_run(t->c, t->q, &t->v);
	return NULL;
}

int tu_run_on_stack(Ctx *c, const char *q, size_t stack_size, Value *out)
{
	/* GC_MALLOC: the value the thread leaves here must stay seen */
	OnThread *t = GC_MALLOC(sizeof *t);
	cr_assert_not_null(t);
	t->c = c;
	t->q = ready(c, q);
	pthread_attr_t a;
	pthread_t th;
	cr_assert_eq(pthread_attr_init(&a), 0);
	long least = sysconf(_SC_THREAD_STACK_MIN);
	if (least > 0 && stack_size < (size_t)least)
		stack_size = (size_t)least;
	cr_assert_eq(pthread_attr_setstacksize(&a, stack_size), 0, "a stack of %zu bytes", stack_size);
	/* the collector's pthread_create (GC_THREADS, mem.h): the thread is
	 * registered with it while it runs */
	cr_assert_eq(pthread_create(&th, &a, run_on_thread, t), 0);
	pthread_attr_destroy(&a);
	cr_assert_eq(pthread_join(th, NULL), 0);
	*out = t->v;
	return t->st;
}

const char TU_DEEP_RULES[] = "function f(n : int) : int = if n = 0 then 0 else f(n - 1) + 1\n";

void tu_expect_large_stack_holds(Ctx *c)
{
	Value v;
	cr_assert_eq(tu_run_on_stack(c, "f(190)", (size_t)8 << 20, &v), ST_OK, "%s", c->errmsg);
	cr_assert_str_eq(fmt_value_str(c->p, v), "190");
}

void tu_expect_small_stack_stops(Ctx *c)
{
	Value v;
	cr_assert_eq(tu_run_on_stack(c, "f(190)", (size_t)48 << 10, &v), ST_LIMIT);
	cr_assert_str_eq(c->errmsg, "decisions and functions call each other too deeply for this thread's stack");
	cr_assert_eq(c->errloc.line, 1);
	tu_expect_large_stack_holds(c);
}

const char *tu_show(Ctx *c, const char *q)
{
	Value v;
	int st = tu_run(c, q, &v);
	if (st != ST_OK)
		return xprintf("error: %s", c->errmsg);
	return fmt_value_str(c->p, v);
}

const char *const TU_FACTS_RULES = "enum company_size = sme | midsize | large\n"
				   "record kpi_report { month : int  exports : money USD  on_target : bool optional }\n"
				   "record address { city : string  country : string default \"KR\" }\n"
				   "fact company {\n"
				   "  name : string optional\n"
				   "  size : company_size\n"
				   "  us_export_share : percent\n"
				   "  voucher_requested : money KRW optional\n"
				   "  voucher_received : money KRW default 0 KRW\n"
				   "  founded : date optional\n"
				   "  processing : duration optional\n"
				   "  hs_code : hscode optional\n"
				   "  staff : int optional\n"
				   "  rate : decimal optional\n"
				   "  listed : bool default false\n"
				   "  office : address optional\n"
				   "  tags : list of string default []\n"
				   "}\n"
				   "fact kpi_reports : list of kpi_report\n"
				   "fact fee : money optional\n"
				   "fact headcount : int over time\n";
