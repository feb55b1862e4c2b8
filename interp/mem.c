/*
 * mem.c - allocation through the collector, with out-of-memory unwinding,
 * fault injection and a stress mode.  See mem.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static __thread long fail_countdown;
static __thread int failed;
static int stress;
static __thread uint64_t count_allocs, count_bytes;

void mem_init(void)
{
	const char *s = getenv("EDICT_GC_STRESS");
	stress = s && *s && strcmp(s, "0") != 0;
}

/* Holding collections, on this thread: how deep, how much was allocated
 * meanwhile, and whether that passed MEM_HOLD_MAX and let them run again. */
static __thread int held;
static __thread size_t held_bytes;
static __thread int held_cut;

void mem_hold_collections(void)
{
	if (stress)
		return;
	if (held++ == 0) {
		held_bytes = 0;
		held_cut = 0;
		/* first the collection the collector would make at its next
		 * allocation (it collects once a third of the heap has been
		 * allocated since the last one): held off, it would never come
		 * when loads follow each other, and the garbage of every earlier
		 * load would stay */
		size_t since = GC_get_bytes_since_gc(), heap = GC_get_heap_size();
		if (since > heap / 3)
			GC_gcollect();
	}
	if (!held_cut)
		GC_disable();
}

void mem_release_collections(void)
{
	if (stress || held == 0)
		return;
	if (!held_cut)
		GC_enable();
	held--;
}

/* A load that allocates more than MEM_HOLD_MAX (a huge or hostile rule set)
 * lets the collector run again, so memory stays bounded by what is live. */
static void held_alloc(size_t n)
{
	held_bytes += n;
	if (held_bytes > MEM_HOLD_MAX && !held_cut) {
		for (int i = 0; i < held; i++)
			GC_enable();
		held_cut = 1;
	}
}

void mem_fail_after(long n)
{
	fail_countdown = n;
	failed = 0;
}

int mem_failed(void)
{
	return failed;
}

/* Thrown to the innermost protected call; NULL outside any. */
static void *out_of_memory(void)
{
	if (pr_active())
		pr_throw(ST_MEMORY);
	return NULL;
}

void mem_counts(uint64_t *allocs, uint64_t *bytes)
{
	*allocs = count_allocs;
	*bytes = count_bytes;
}

/* What comes before every allocation of n bytes: counting it, an injected
 * failure (false), a stress collection, the hold on collections. */
static bool before_alloc(size_t n)
{
	count_allocs++;
	count_bytes += n;
	if (fail_countdown > 0 && --fail_countdown == 0) {
		failed = 1;
		return false;
	}
	if (stress)
		GC_gcollect();
	if (held)
		held_alloc(n);
	return true;
}

void *mem_alloc(size_t n, int atomic)
{
	if (!before_alloc(n))
		return out_of_memory();
	void *p = atomic ? GC_malloc_atomic(n) : GC_malloc(n);
	if (!p)
		return out_of_memory();
	if (atomic)
		memset(p, 0, n); /* the collector leaves atomic memory uncleared */
	return p;
}

void *mem_realloc(void *p, size_t n)
{
	if (!before_alloc(n))
		return out_of_memory();
	void *q = GC_realloc(p, n);
	if (!q && n)
		return out_of_memory();
	return q;
}
