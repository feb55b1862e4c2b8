/*
 * test_mem.c - the start of a one-shot command before the collector
 * (mem_start_lazy, mem.h): objects carved from one mapping, the collector
 * started at the mapping's bound or when something needs it, the mapping
 * then a root of the collector; realloc and free of the carved objects;
 * fault injection, the memory limit and a hold on collections in that
 * mode; and memory that stays bounded when a large input passes the bound.
 *
 * Each test runs in a process of its own (Criterion), which starts as the
 * command line starts a one-shot command.  Stress mode starts the
 * collector at once (one test checks that), so the suite has no stress run.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "facts.h"
#include "format.h"
#include "mem.h"
#include "unit.h"

static void setup(void)
{
	unsetenv("EDICT_GC_STRESS");
	mem_start_lazy();
}

TestSuite(mem, .init = setup, .timeout = 120);

static const char RULES[] = "fact company { size : string  requested : money KRW }\n"
			    "param cap : money KRW = 50_000_000 KRW\n"
			    "decision award : money KRW = if company.size = \"sme\" then min(cap, company.requested) "
			    "else 0 KRW\n";
static const char FACTS[] = "{\"company\": {\"size\": \"sme\", \"requested\": \"1000000 KRW\"}}";

Test(mem, a_small_evaluation_never_starts_the_collector)
{
	cr_assert(mem_lazy());
	Ctx *c = tu_ctx(tu_program(RULES), FACTS);
	cr_assert_str_eq(tu_show(c, "award"), "1000000 KRW");
	cr_assert(mem_lazy(), "a rule set and one company fit in the mapping");
	cr_assert_eq(GC_is_init_called(), 0);
}

Test(mem, stress_mode_starts_the_collector_at_once)
{
	/* the suite's setup started without stress: start a second time */
	setenv("EDICT_GC_STRESS", "1", 1);
	mem_start_lazy();
	cr_assert_not(mem_lazy());
	cr_assert(GC_is_init_called());
	cr_assert(mem_stress());
}

/* Finalizers count the objects the collector frees: those pointed to from
 * an object made before it started, and the others. */
static int freed_kept, freed_loose;

static void count_freed(void *obj, void *kept)
{
	(void)obj;
	if (kept)
		freed_kept++;
	else
		freed_loose++;
}

/* n objects of the collector, each with a finalizer; their addresses go to
 * holder (NULL: they are kept nowhere). */
static __attribute__((noinline)) void make_watched(void **holder, int n)
{
	for (int i = 0; i < n; i++) {
		char *o = GC_MALLOC(64);
		strcpy(o, "still here");
		GC_REGISTER_FINALIZER(o, count_freed, holder ? &freed_kept : NULL, NULL, NULL);
		if (holder)
			holder[i] = o;
	}
}

/* Fill the mapping with atomic objects of 64 KiB until the collector
 * starts; how many bytes that took. */
static size_t fill_mapping(void)
{
	size_t total = 0, step = (size_t)64 << 10;
	while (mem_lazy()) {
		cr_assert_not_null(GC_MALLOC_ATOMIC(step));
		total += step;
		cr_assert_leq(total, MEM_LAZY_MAX + step, "the collector never started");
	}
	return total;
}

Test(mem, the_collector_starts_at_the_bound_and_keeps_what_earlier_objects_point_to)
{
	void **holder = GC_MALLOC(sizeof(void *) * 100);
	size_t total = fill_mapping();
	cr_assert_geq(total, MEM_LAZY_MAX - ((size_t)128 << 10), "started after %zu bytes", total);
	cr_assert(GC_is_init_called());
	cr_assert_geq(GC_get_heap_size(), MEM_INITIAL_HEAP);
	make_watched(holder, 100);
	make_watched(NULL, 100);
	for (int i = 0; i < 3; i++) {
		GC_gcollect();
		GC_invoke_finalizers();
	}
	cr_assert_gt(freed_loose, 0, "the collector frees objects nothing points to");
	cr_assert_eq(freed_kept, 0, "an object pointed to only from the mapping was freed");
	for (int i = 0; i < 100; i++)
		cr_assert_str_eq(holder[i], "still here");
}

Test(mem, realloc_copies_and_free_ignores_objects_made_before_the_collector)
{
	char *s = GC_MALLOC_ATOMIC(6);
	memcpy(s, "hello", 6);
	char *t = GC_REALLOC(s, 4096);
	cr_assert_neq(t, s);
	cr_assert_str_eq(t, "hello");
	for (int i = 6; i < 4096; i++)
		cr_assert_eq(t[i], 0, "byte %d of the grown object is not cleared", i);
	GC_FREE(s);
	cr_assert_str_eq(s, "hello", "GC_FREE gave the carved object back");
	char **fresh = GC_REALLOC(NULL, 4 * sizeof(char *));
	cr_assert_null(fresh[3]);
	fresh[0] = t;
	cr_assert(mem_lazy());
	mem_need_collector();
	cr_assert_not(mem_lazy());
	/* after the start: an earlier object grows into one of the collector */
	char *u = GC_REALLOC(t, 8192);
	cr_assert_not_null(GC_base(u));
	cr_assert_str_eq(u, "hello");
	GC_FREE(t);
	GC_FREE(fresh);
	cr_assert_str_eq(t, "hello");
	GC_FREE(u);
}

Test(mem, a_hold_on_collections_begun_before_the_start_holds_after_it)
{
	mem_hold_collections();
	mem_hold_collections();
	mem_need_collector();
	cr_assert(GC_is_disabled());
	mem_release_collections();
	cr_assert(GC_is_disabled());
	mem_release_collections();
	cr_assert_not(GC_is_disabled());
}

Test(mem, the_collector_stays_off_for_what_does_not_need_it_and_starts_for_what_does)
{
	mem_hold_collections();
	mem_release_collections();
	cr_assert(mem_lazy());
	void *u = GC_MALLOC_UNCOLLECTABLE(32);
	cr_assert_not(mem_lazy(), "an uncollectable object needs the collector");
	cr_assert_not_null(GC_base(u));
	GC_FREE(u);
}

Test(mem, a_load_that_expects_to_fill_the_mapping_starts_the_collector)
{
	mem_hold_collections();
	mem_expect(MEM_LAZY_MAX / 8);
	cr_assert(mem_lazy());
	mem_expect(MEM_LAZY_MAX);
	cr_assert_not(mem_lazy());
	cr_assert(GC_is_disabled(), "the load still holds collections");
	mem_release_collections();
	cr_assert_not(GC_is_disabled());
}

/* One load and evaluation inside a protected call. */
typedef struct Attempt {
	const char *got;
} Attempt;

static void attempt_body(void *ud)
{
	const Source *srcs[1] = {tu_source("t.edict", RULES)};
	Program *p = load_sources(srcs, 1, diag_new());
	cr_assert_not_null(p);
	((Attempt *)ud)->got = tu_show(tu_ctx(p, FACTS), "award");
}

Test(mem, an_injected_failure_unwinds_before_the_collector)
{
	for (long n = 1; n <= 40; n++) {
		Attempt a = {NULL};
		mem_fail_after(n);
		int st = pr_call(attempt_body, &a);
		cr_assert_eq(st, ST_MEMORY, "allocation %ld failed, yet the run returned %d", n, st);
		cr_assert(mem_failed());
		mem_fail_after(0);
	}
	cr_assert(mem_lazy(), "the failures happened before the collector");
	Attempt a = {NULL};
	cr_assert_eq(pr_call(attempt_body, &a), ST_OK);
	cr_assert_str_eq(a.got, "1000000 KRW");
}

Test(mem, the_memory_limit_holds_before_the_collector)
{
	Program *p = tu_program("function numbers(n : int) : list of int = [i * 2 for i in range(1, n)]\n");
	Ctx *c = tu_ctx(p, NULL);
	c->max_bytes = 4096;
	Value v;
	cr_assert_eq(tu_run(c, "length(numbers(100000))", &v), ST_LIMIT);
	cr_assert_str_eq(c->errmsg, "this evaluation needs more than the memory limit of 4096 bytes");
	cr_assert(mem_lazy());
}

/* A facts document of n monthly reports (some 60 bytes each). */
static const char *reports(int n)
{
	Buf b = {0};
	buf_puts(&b, "{\"company\": {\"size\": \"sme\", \"us_export_share\": \"12%\"}, \"kpi_reports\": [");
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s{\"month\": %d, \"exports\": \"%d USD\"}", i ? ", " : "", i % 12 + 1, i * 7);
	buf_puts(&b, "]}");
	return buf_cstr(&b);
}

Test(mem, a_large_input_past_the_bound_is_collected)
{
	Program *p = tu_program(TU_FACTS_RULES);
	const char *doc = reports(5000);
	uint64_t allocs0, bytes0, allocs, bytes;
	mem_counts(&allocs0, &bytes0);
	for (int i = 0; i < 60; i++) {
		Ctx *c = tu_ctx(p, doc);
		cr_assert_str_eq(tu_show(c, "length(kpi_reports)"), "5000");
	}
	mem_counts(&allocs, &bytes);
	cr_assert_not(mem_lazy());
	/* the facts read took many times the mapping and the heap; the heap
	 * holds what is live (one document's facts at a time) */
	cr_assert_gt(bytes - bytes0, 8 * MEM_LAZY_MAX, "only %llu bytes", (unsigned long long)(bytes - bytes0));
	cr_assert_lt(GC_get_heap_size(), (bytes - bytes0) / 4, "heap %zu after %llu bytes", GC_get_heap_size(),
		     (unsigned long long)(bytes - bytes0));
}
