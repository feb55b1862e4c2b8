/*
 * mem.h - every allocation of the library, from the collector.
 *
 * Files include this instead of <gc.h>.  GC_MALLOC and friends are routed
 * through mem_alloc so that:
 *   - running out of memory is thrown (pr_throw, protect.h) as ST_MEMORY
 *     to the innermost protected call, in the end the API entry point that
 *     started the work, which returns an out-of-memory status: nothing
 *     half-built is kept, and the collector reclaims the rest.  Outside any
 *     protected call an allocation that fails returns NULL;
 *   - test builds can make the Nth allocation fail (mem_fail_after), for
 *     N = 1, 2, 3 ... (SQLite's fault simulation);
 *   - a stress mode collects at every allocation (EDICT_GC_STRESS=1 in the
 *     environment), or at every Nth (EDICT_GC_STRESS=N), which finds
 *     pointers hidden from the collector.
 */
#ifndef EDICT_MEM_H
#define EDICT_MEM_H

#include <gc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protect.h"

void *mem_alloc(size_t n, int atomic);
void *mem_realloc(void *p, size_t n);

#undef GC_MALLOC
#undef GC_MALLOC_ATOMIC
#undef GC_REALLOC
#define GC_MALLOC(n) mem_alloc((n), 0)
#define GC_MALLOC_ATOMIC(n) mem_alloc((n), 1)
#define GC_REALLOC(p, n) mem_realloc((p), (n))

/* Fault injection (all builds; costs one branch per allocation): fail the
 * nth allocation from now on this thread (0 turns it off).  mem_failed()
 * says whether an injected failure happened. */
void mem_fail_after(long n);
int mem_failed(void);

/* A region: small objects with pointers carved one after the other from
 * chunks, each chunk an object of the collector (cleared by it): the first
 * of MEM_REGION_FIRST bytes, each next one twice the last up to
 * MEM_REGION_CHUNK, so a context that evaluates once stays small and one
 * that evaluates many times asks the collector for a chunk rarely.  An
 * evaluation context keeps one (ctx_alloc): the values of an evaluation
 * are many small records and lists, and the collector's own allocation,
 * with its thread-local free lists, costs some 150 instructions an object
 * where the region's costs a handful.  Nothing is recycled by hand: a
 * chunk lives while anything in it is pointed to (the collector follows
 * pointers into an object's inside) or while it is the region's current
 * chunk (the region sits in collected memory), so how long a value lives
 * is the collector's business as before.  Larger objects, and every object
 * in stress mode, come from the collector itself.  Counting, fault
 * injection and stress collections see each object: while any of them is
 * on (mem_watched) every allocation takes the slow path.  An object from a
 * region is never given to mem_realloc (which reads the header that the
 * load's arena puts before its objects). */
typedef struct MemRegion {
	char *at, *end;
	size_t chunk; /* the size of the last chunk taken (0: none yet) */
} MemRegion;
#define MEM_REGION_FIRST ((size_t)1 << 10)
#define MEM_REGION_CHUNK ((size_t)32 << 10)
#define MEM_REGION_MAX ((size_t)512)

/* Set, and never cleared, once stress mode, fault injection or counting
 * has been asked for in this process (or where regions cannot be used:
 * mem.c). */
extern int mem_watched;
void *mem_region_slow(MemRegion *r, size_t n);

/* Objects stay 16-byte aligned, as the collector's are. */
#define MEM_REGION_STEP(n) (((n) + 15) & ~(size_t)15)

/* Whether n bytes can be carved from r's chunk as it is, with nothing to
 * count (the fast path). */
static inline int mem_region_fits(const MemRegion *r, size_t n)
{
	return n <= MEM_REGION_MAX && MEM_REGION_STEP(n) <= (size_t)(r->end - r->at) &&
	       !__atomic_load_n(&mem_watched, __ATOMIC_RELAXED);
}

/* Carve n bytes that fit (mem_region_fits). */
static inline void *mem_region_take(MemRegion *r, size_t n)
{
	void *p = r->at;
	r->at += MEM_REGION_STEP(n);
	return p;
}

/* Carve again from `from` on (a point of r's chunk that r->at held
 * earlier), clearing what was carved since: for an owner that knows none
 * of it is pointed to any more.  False, with nothing changed, when r has
 * taken another chunk since (the older one goes with what is in it) or
 * from is NULL. */
static inline bool mem_region_rewind(MemRegion *r, char *from)
{
	uintptr_t f = (uintptr_t)from, at = (uintptr_t)r->at;
	if (!from || !r->chunk || f < (uintptr_t)(r->end - r->chunk) || f > at)
		return false;
	__builtin_memset(from, 0, at - f);
	r->at = from;
	return true;
}

/* n bytes with pointers, cleared, from region r; out of memory as
 * mem_alloc. */
static inline void *mem_region_alloc(MemRegion *r, size_t n)
{
	if (__builtin_expect(mem_region_fits(r, n), 1))
		return mem_region_take(r, n);
	return mem_region_slow(r, n);
}

/* Whether stress mode is on (EDICT_GC_STRESS): then nothing is held and no
 * object comes from a chunk or a region. */
bool mem_stress(void);

/* Hold collections off while a rule set loads: nearly everything a load
 * allocates (trees, types, bytecode) stays alive, so collecting while the
 * heap grows finds little and costs a mark of all of it each time.  Calls
 * nest; every mem_hold_collections is matched by mem_release_collections,
 * also when out of memory unwinds.  Holding first makes the collection
 * that is due, so loads one after the other (a host reloading its rules)
 * do not keep the garbage of the earlier ones.  Collections are held for
 * every thread: a load is short; one that allocates more than MEM_HOLD_MAX
 * lets them run again.  In stress mode both do nothing, so the
 * stress collections still run inside a load. */
#define MEM_HOLD_MAX ((size_t)256 << 20)
void mem_hold_collections(void);
void mem_release_collections(void);
/* While this thread holds collections: let them run again once it has
 * allocated more than bytes from now on (if that comes before
 * MEM_HOLD_MAX), until the outermost hold ends. */
void mem_hold_for(size_t bytes);
/* What the load holding collections on this thread expects to allocate
 * still (an estimate, from the size of its rule text): one that will pass
 * the few MB after which its objects come from large chunks on huge pages
 * (mem.c) takes those from the start, instead of first some MB of small
 * chunks whose 4 KiB pages fault in one by one (before the collector,
 * mem_start_lazy, such a load starts it).  Outside a load, nothing. */
void mem_expect(size_t bytes);

/* How many allocations (and bytes asked for) this thread has made through
 * mem_alloc, mem_realloc and regions: a deterministic measure of a stage's
 * work, which the complexity tests compare at sizes n and 10n.  Objects
 * from regions are counted from the first call of mem_counts in the
 * process on (mem_watched). */
void mem_counts(uint64_t *allocs, uint64_t *bytes);

/* Called once by edict_init / the command line. */
void mem_init(void);

/* Start the collector, then mem_init: the one start-up of a process that
 * uses Edict (mem_start; MEM_START is kept for the callers that use it).
 * The collector skips the collection it would make while starting
 * (nothing is garbage yet), which scanned every static variable and cost a
 * short command a third of its start-up; and its heap starts at
 * MEM_INITIAL_HEAP (mapped, not touched), so that loading a rule set
 * neither grows it step by step nor collects right after (a fifth of a
 * one-company evaluation's instructions).  Called again (a host calling
 * edict_init after the command line started), only mem_init runs again;
 * called after mem_start_lazy, it ends the time before the collector. */
#define MEM_INITIAL_HEAP ((size_t)1 << 20)
void mem_start(void);
#define MEM_START() mem_start()

/* The start-up of a one-shot command (the command line's eval, check,
 * compile ...), which opts into it: the collector is not started yet.
 * Starting it clears and touches some twenty pages of its own tables, a
 * fifth of a one-company evaluation from a compiled image.  Until it
 * starts, every object is carved, one after the other, from one mapping
 * of MEM_LAZY_MAX bytes (reserved, its pages put in place a window at a
 * time as they are reached)
 * and is never freed: a short command ends long before that matters.
 * The collector starts (mem_start) when the mapping is full, so that a
 * large input is collected as always and memory stays bounded, when a
 * load expects to fill the mapping (mem_expect), or when
 * something needs it: an object it must not collect or free
 * (GC_MALLOC_UNCOLLECTABLE), a finalizer, threads (edict_init and the
 * API), the heap's size.  The used part of the mapping then becomes a
 * root of the collector: an object made later and pointed to only from
 * an object made before stays alive.  GC_FREE of an object from the
 * mapping does nothing; mem_realloc copies it.  Stress mode
 * (EDICT_GC_STRESS) starts the collector at once.  Single-threaded only:
 * a host library never calls this. */
#define MEM_LAZY_MAX ((size_t)4 << 20)
#define MEM_LAZY_WINDOW ((size_t)64 << 10) /* put in place at a time (lazy_populate) */
void mem_start_lazy(void);
/* Whether this process is still before its collector (mem_start_lazy). */
bool mem_lazy(void);
/* Start the collector now if this process was still before it: called by
 * what needs it (a finalizer, dlopen through the collector, threads). */
void mem_need_collector(void);

/* An object the collector neither collects nor moves, which GC_FREE
 * frees: the collector starts first.  GC_FREE of an object carved before
 * the collector started does nothing. */
void *mem_uncollectable(size_t n);
void mem_free(void *p);
#undef GC_MALLOC_UNCOLLECTABLE
#undef GC_FREE
#define GC_MALLOC_UNCOLLECTABLE(n) mem_uncollectable(n)
#define GC_FREE(p) mem_free(p)

/* A cache line, which no two threads should both write to: for each
 * write one makes, the line leaves the other's cache. */
#define MEM_LINE 64
/* n bytes with pointers, cleared, on cache lines of their own: for what one
 * thread writes at every evaluation while others write theirs (a
 * context, its memo), which would otherwise lie side by side where one
 * thread made them all (a command making a context for each of its
 * workers).  Not for mem_realloc or GC_FREE.  Before the collector starts
 * (one thread then), mem_alloc's. */
void *mem_alloc_apart(size_t n);
/* The same for an object the collector neither collects nor moves (a
 * host's handle), freed with mem_free_apart. */
void *mem_uncollectable_apart(size_t n);
void mem_free_apart(void *p);

/* Grow the collected heap to at least `bytes` (mapped, not touched): the
 * collector collects when a part of the heap has been allocated since the
 * last time, so a larger heap collects less often. */
void mem_heap_at_least(size_t bytes);

#endif
