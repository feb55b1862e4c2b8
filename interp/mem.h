/*
 * mem.h - every allocation of the library, from the collector.
 *
 * Files include this instead of <gc.h>.  GC_MALLOC and friends are routed
 * through mem_alloc so that:
 *   - running out of memory unwinds to the API entry point that started the
 *     work (mem_try), which returns an out-of-memory status: nothing
 *     half-built is kept, and the collector reclaims the rest;
 *   - test builds can make the Nth allocation fail (mem_fail_after), for
 *     N = 1, 2, 3 ... (SQLite's fault simulation);
 *   - a stress mode collects at every allocation (EDICT_GC_STRESS=1 in the
 *     environment), which finds pointers hidden from the collector.
 */
#ifndef EDICT_MEM_H
#define EDICT_MEM_H

#include <gc.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

void *mem_alloc(size_t n, int atomic);
void *mem_realloc(void *p, size_t n);

#undef GC_MALLOC
#undef GC_MALLOC_ATOMIC
#undef GC_REALLOC
#define GC_MALLOC(n) mem_alloc((n), 0)
#define GC_MALLOC_ATOMIC(n) mem_alloc((n), 1)
#define GC_REALLOC(p, n) mem_realloc((p), (n))

/* An out-of-memory handler for the calling thread: set by mem_try, restored
 * by mem_end.  Without one, an allocation that fails returns NULL. */
typedef struct MemTry {
	jmp_buf jb;
	struct MemTry *prev;
} MemTry;

void mem_push(MemTry *t);
void mem_pop(MemTry *t);
/* Pass an out-of-memory unwind on to the next handler out (after cleaning
 * up in a mem_try of one's own).  Returns only when there is none. */
void mem_raise(void);
/* Run `body` so that running out of memory jumps to `on_oom`:
 *     MemTry t;
 *     if (mem_try(&t)) { ...out of memory...; }
 *     ...work...
 *     mem_pop(&t);
 */
#define mem_try(t) (mem_push(t), setjmp((t)->jb) ? (mem_pop(t), 1) : 0)

/* Fault injection (all builds; costs one branch per allocation): fail the
 * nth allocation from now on this thread (0 turns it off).  mem_failed()
 * says whether an injected failure happened. */
void mem_fail_after(long n);
int mem_failed(void);

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

/* How many allocations (and bytes asked for) this thread has made through
 * mem_alloc and mem_realloc: a deterministic measure of a stage's work,
 * which the complexity tests compare at sizes n and 10n. */
void mem_counts(uint64_t *allocs, uint64_t *bytes);

/* Called once by edict_init / the command line. */
void mem_init(void);

#endif
