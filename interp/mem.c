/*
 * mem.c - allocation through the collector, with out-of-memory unwinding,
 * fault injection and a stress mode.  See mem.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mem.h"
#include <gc/gc_mark.h>

static __thread long fail_countdown;
static __thread int failed;
static int stress;
int mem_watched;
/* Regions and arenas need the collector to follow pointers into an
 * object's inside (its default); a host that turned that off gets every
 * object from the collector itself. */
static int no_regions;

/* From now on every allocation of a region takes the slow path, which
 * counts it, may fail it and collects before it in stress mode. */
static void watch(void)
{
	__atomic_store_n(&mem_watched, 1, __ATOMIC_RELAXED);
}
static __thread uint64_t count_allocs, count_bytes;

/* Before the collector (mem_start_lazy): whether this process still is,
 * and the mapping its objects are carved from (NULL until the first). */
static int lazy;
static char *lazy_base, *lazy_at, *lazy_end;
static char *lazy_ready; /* the mapping's pages below it are in place */

void mem_heap_at_least(size_t bytes)
{
	mem_need_collector();
	size_t have = GC_get_heap_size();
	if (have < bytes)
		(void)GC_expand_hp(bytes - have);
}

void mem_init(void)
{
	const char *s = getenv("EDICT_GC_STRESS");
	long every = s && *s ? strtol(s, NULL, 10) : 0;
	stress = every > 0 && every <= 1000000 ? (int)every : s && *s && strcmp(s, "0") != 0;
	no_regions = !GC_get_all_interior_pointers();
	if (stress || no_regions)
		watch();
}

/* Declared with the mapping's section below. */
static void start_collector(void);

void mem_start(void)
{
	start_collector();
	mem_init();
}

void mem_start_lazy(void)
{
	mem_init();
	if (stress)
		mem_start(); /* stress collections need the collector from the start */
	else
		lazy = 1;
}

bool mem_lazy(void)
{
	return lazy != 0;
}

void mem_need_collector(void)
{
	if (lazy)
		mem_start();
}

bool mem_stress(void)
{
	return stress != 0;
}

/* Holding collections, on this thread: how deep, how much was allocated
 * meanwhile, and whether that passed held_max (MEM_HOLD_MAX, or less:
 * mem_hold_for) and let them run again. */
static __thread int held;
static __thread size_t held_bytes, held_max;
static __thread int held_cut;
/* The arena (below) of this thread's load: [atomic] the next object's
 * header and the chunk's end.  The collector does not see these (thread
 * storage), which is why they are let go when the hold ends. */
static __thread char *arena_at[2], *arena_end[2];
/* The bytes of chunks this thread's load has taken so far, and those it
 * expects to take still (mem_expect). */
static __thread size_t arena_taken, arena_expected;

void mem_hold_collections(void)
{
	if (stress)
		return;
	if (held++ == 0) {
		held_bytes = 0;
		held_max = MEM_HOLD_MAX;
		held_cut = 0;
		/* first the collection the collector would make at its next
		 * allocation (it collects once a third of the heap has been
		 * allocated since the last one): held off, it would never come
		 * when loads follow each other, and the garbage of every earlier
		 * load would stay */
		if (!lazy && GC_get_bytes_since_gc() > GC_get_heap_size() / 3)
			GC_gcollect();
	}
	if (!held_cut && !lazy)
		GC_disable();
}

void mem_release_collections(void)
{
	if (stress || held == 0)
		return;
	if (!held_cut && !lazy)
		GC_enable();
	if (--held == 0) {
		arena_at[0] = arena_at[1] = NULL; /* unseen by the collector: the chunks may go */
		arena_taken = arena_expected = 0;
	}
}

void mem_expect(size_t bytes)
{
	if (!held)
		return;
	arena_expected = bytes;
	/* a load that would fill the mapping (mem_start_lazy), 4 KiB page by
	 * page, starts the collector now and takes its large chunks */
	if (lazy && bytes >= MEM_LAZY_MAX)
		mem_start();
}

void mem_hold_for(size_t bytes)
{
	if (held && held_bytes + bytes < held_max)
		held_max = held_bytes + bytes;
}

/* A load that allocates more than held_max (a huge or hostile rule set)
 * lets the collector run again, so memory stays bounded by what is live. */
static void held_alloc(size_t n)
{
	held_bytes += n;
	if (held_bytes > held_max && !held_cut) {
		for (int i = 0; i < held && !lazy; i++)
			GC_enable();
		held_cut = 1;
	}
}

void mem_fail_after(long n)
{
	fail_countdown = n;
	failed = 0;
	if (n)
		watch();
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
	watch();
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
	if (stress && count_allocs % (uint64_t)stress == 0)
		GC_gcollect();
	if (held)
		held_alloc(n);
	return true;
}

/* ---------------------------------------------------------------- arena */

/* While this thread holds collections (a load), small objects are carved
 * from chunks of MEM_ARENA_CHUNK bytes, one for objects with pointers and
 * one for atomic ones: a fresh process's collector takes some 450
 * instructions for each of the first few hundred objects of a size, and a
 * load makes thousands.  A chunk lives while anything in it is pointed to
 * (the collector follows pointers into an object's inside), so what a load
 * builds is kept or freed with its neighbours: nearly all of it stays
 * anyway, and one load's objects never share a chunk with another's.  Each
 * object is preceded by a word holding its size and kind, for mem_realloc;
 * objects stay 16-byte aligned. */
#define MEM_ARENA_CHUNK ((size_t)32 << 10)
#define MEM_ARENA_MAX ((size_t)2 << 10) /* larger objects come from the collector itself */
/* A large load (one that has taken MEM_ARENA_LARGE_AFTER bytes of chunks,
 * or expects to: mem_expect)
 * takes its next chunks MEM_ARENA_LARGE bytes at a time, asking the kernel
 * for huge pages (MADV_HUGEPAGE) under them: every 4 KiB page a process
 * touches first costs a fault, which for a rule set of 10,000 decisions
 * (some 45 MB of trees and code) was a third of `edict check`'s time; a
 * huge page takes one fault for 2 MiB.  Where the kernel gives no huge
 * pages the advice does nothing. */
#define MEM_ARENA_LARGE ((size_t)4 << 20)
#define MEM_ARENA_LARGE_AFTER ((size_t)4 << 20)
#define MEM_HUGE_PAGE ((uintptr_t)2 << 20)
/* and larger objects come from its chunks too (the arrays of the whole
 * program, the texts of the files), up to a sixteenth of one */
#define MEM_ARENA_LARGE_MAX (MEM_ARENA_LARGE / 16)

/* Whether this thread's load is large (its chunks are). */
static bool arena_large(void)
{
	return arena_taken + arena_expected >= MEM_ARENA_LARGE_AFTER;
}

/* Objects with pointers that the collector does not clear (it would touch
 * every page of a large chunk before the advice): large pointer chunks are
 * cleared here, after it.  Made once, on first use. */
static unsigned uncleared_kind(void)
{
	static unsigned kind;
	static int made;
	if (!__atomic_load_n(&made, __ATOMIC_ACQUIRE)) {
		GC_alloc_lock();
		if (!made) {
			kind = GC_new_kind_inner(GC_new_free_list_inner(), GC_DS_LENGTH, 1, 0);
			__atomic_store_n(&made, 1, __ATOMIC_RELEASE);
		}
		GC_alloc_unlock();
	}
	return kind;
}

/* A large chunk: MEM_ARENA_LARGE bytes starting on a huge page, inside an
 * object of a huge page more (the pages of its ends are never touched, so
 * they cost nothing).  A chunk for pointers is given back to the kernel
 * before use (MADV_DONTNEED), which makes it read as zeros without touching
 * a page; atomic objects are cleared one by one (arena_alloc). */
static char *large_chunk(int atomic)
{
	size_t n = MEM_ARENA_LARGE + MEM_HUGE_PAGE;
	char *c = atomic ? GC_malloc_atomic(n) : GC_generic_malloc(n, (int)uncleared_kind());
	if (!c)
		return NULL;
	char *from = (char *)(((uintptr_t)c + MEM_HUGE_PAGE - 1) & ~(MEM_HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
	if (!atomic && madvise(c, n, MADV_DONTNEED) != 0)
		memset(c, 0, n);
	(void)madvise(from, MEM_ARENA_LARGE, MADV_HUGEPAGE);
#else
	if (!atomic)
		memset(c, 0, n);
#endif
	return from;
}

/* The bytes an object of n bytes takes with its header, and the object
 * carved at *at (where the caller found that many), *at moved past it:
 * its header word holds its size and kind (mem_realloc).  Starting from
 * 8 bytes past a 16-byte boundary, objects stay 16-byte aligned. */
static size_t carve_step(size_t n)
{
	return (n + sizeof(size_t) + 15) & ~(size_t)15;
}

static void *carve(char **at, size_t n, int atomic)
{
	char *h = *at;
	*(size_t *)h = n << 1 | (size_t)atomic;
	*at = h + carve_step(n);
	return h + sizeof(size_t);
}

static void *arena_alloc(size_t n, int atomic)
{
	char *at = arena_at[atomic];
	if (!at || at + sizeof(size_t) + n > arena_end[atomic]) {
		bool large = arena_large();
		size_t size = large ? MEM_ARENA_LARGE : MEM_ARENA_CHUNK;
		char *c = large ? large_chunk(atomic) : atomic ? GC_malloc_atomic(size) : GC_malloc(size);
		if (!c)
			return NULL;
		arena_taken += size;
		at = c + 16 - sizeof(size_t); /* the collector's objects are 16-byte aligned */
		arena_end[atomic] = c + size;
	}
	arena_at[atomic] = at;
	char *p = carve(&arena_at[atomic], n, atomic);
	if (atomic)
		memset(p, 0, n); /* a pointer chunk comes cleared */
	return p;
}

/* ------------------------------------------------- before the collector */

/* Put the mapping's pages in place up to `to`, rounded up to whole
 * windows, in one system call, where the kernel can (Linux 5.14 on): a
 * page the carving touches first would otherwise cost a fault of its own,
 * about twice what the kernel takes for it here.  A start-up carves a few
 * windows; one that cannot be put in place is faulted in as before. */
static void lazy_populate(uintptr_t to)
{
#ifdef MADV_POPULATE_WRITE
	static bool unable;
	size_t want = (to - (uintptr_t)lazy_ready + MEM_LAZY_WINDOW - 1) / MEM_LAZY_WINDOW * MEM_LAZY_WINDOW;
	if (want > (size_t)(lazy_end - lazy_ready))
		want = (size_t)(lazy_end - lazy_ready);
	if (!unable && madvise(lazy_ready, want, MADV_POPULATE_WRITE) != 0)
		unable = true;
	lazy_ready += want; /* put in place or not, the next call is a window on */
#else
	(void)to;
	lazy_ready = lazy_end; /* faulted in as they are reached */
#endif
}

/* n bytes carved from the mapping of a process before its collector
 * (cleared: its pages are fresh and never reused); NULL, and the
 * collector started, where the mapping is full or cannot be made. */
static void *lazy_alloc(size_t n, int atomic)
{
	if (!lazy_base) {
		void *m = mmap(NULL, MEM_LAZY_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);
		if (m == MAP_FAILED) {
			mem_start();
			return NULL;
		}
		lazy_base = lazy_ready = m;
		lazy_end = lazy_base + MEM_LAZY_MAX;
		lazy_at = lazy_base + 16 - sizeof(size_t);
	}
	uintptr_t end = n < MEM_LAZY_MAX ? (uintptr_t)lazy_at + carve_step(n) : UINTPTR_MAX;
	if (__builtin_expect(end > (uintptr_t)lazy_ready, 0)) { /* below lazy_ready, below lazy_end */
		if (end > (uintptr_t)lazy_end) {
			mem_start();
			return NULL;
		}
		lazy_populate(end);
	}
	return carve(&lazy_at, n, atomic);
}

/* Whether p was carved before the collector started. */
static bool in_lazy(const void *p)
{
	return (const char *)p >= lazy_base && (const char *)p < lazy_end;
}

/* The collector's start (mem_start): the used part of the mapping becomes
 * one of its roots, and a hold on collections that began before now holds
 * them. */
static void start_collector(void)
{
	static int started;
	if (started)
		return;
	started = 1;
	lazy = 0;
	GC_set_dont_precollect(1);
	GC_INIT();
	mem_heap_at_least(MEM_INITIAL_HEAP);
	if (lazy_base)
		GC_add_roots(lazy_base, lazy_at);
	for (int i = 0; i < held && !held_cut; i++)
		GC_disable();
}

void *mem_uncollectable(size_t n)
{
	mem_need_collector();
	return GC_malloc_uncollectable(n);
}

void mem_free(void *p)
{
	if (!in_lazy(p))
		GC_free(p);
}

/* n rounded up to whole cache lines. */
static size_t whole_lines(size_t n)
{
	return (n + MEM_LINE - 1) & ~(size_t)(MEM_LINE - 1);
}

void *mem_alloc_apart(size_t n)
{
	if (lazy)
		return mem_alloc(n, 0);
	if (!before_alloc(n))
		return out_of_memory();
	/* the collector finds the object by a pointer to its inside (it
	 * registers the offset where it does not look inside objects) */
	void *p = GC_memalign(MEM_LINE, whole_lines(n ? n : 1));
	return p ? p : out_of_memory();
}

/* The object's lines begin at the first line boundary a pointer's width
 * into it, where the object's own address is kept for mem_free_apart. */
void *mem_uncollectable_apart(size_t n)
{
	char *base = mem_uncollectable(whole_lines(n) + 2 * MEM_LINE);
	if (!base)
		return NULL;
	char *p = (char *)(((uintptr_t)base + sizeof(void *) + MEM_LINE - 1) & ~(uintptr_t)(MEM_LINE - 1));
	((void **)p)[-1] = base;
	return p;
}

void mem_free_apart(void *p)
{
	if (p)
		mem_free(((void **)p)[-1]);
}

/* ---------------------------------------------------------------- objects */

/* Whether p (from mem_alloc) lies inside an arena chunk. */
static bool in_arena(void *p)
{
	void *base = p ? GC_base(p) : NULL;
	return base && base != p;
}

/* n bytes from the collector itself (cleared), or from the mapping before
 * it starts. */
static void *from_collector(size_t n, int atomic)
{
	if (__builtin_expect(lazy, 0)) {
		void *p = lazy_alloc(n, atomic);
		if (p)
			return p;
	}
	void *p = atomic ? GC_malloc_atomic(n) : GC_malloc(n);
	if (!p)
		return out_of_memory();
	if (atomic)
		memset(p, 0, n); /* the collector leaves atomic memory uncleared */
	return p;
}

void *mem_alloc(size_t n, int atomic)
{
	if (!before_alloc(n))
		return out_of_memory();
	if (held && !held_cut && !lazy && !no_regions && (n <= MEM_ARENA_MAX || (n <= MEM_ARENA_LARGE_MAX && arena_large()))) {
		void *p = arena_alloc(n, atomic);
		return p ? p : out_of_memory();
	}
	return from_collector(n, atomic);
}

/* ---------------------------------------------------------------- regions */

void *mem_region_slow(MemRegion *r, size_t n)
{
	if (!before_alloc(n))
		return out_of_memory();
	if (stress || no_regions || n > MEM_REGION_MAX)
		return from_collector(n, 0);
	if (MEM_REGION_STEP(n) > (size_t)(r->end - r->at)) {
		size_t size = !r->chunk ? MEM_REGION_FIRST : r->chunk < MEM_REGION_CHUNK ? 2 * r->chunk : r->chunk;
		char *c = from_collector(size, 0);
		if (!c)
			return NULL; /* out of memory outside any protected call */
		r->at = c;
		r->end = c + size;
		r->chunk = size;
	}
	return mem_region_take(r, n);
}

void *mem_realloc(void *p, size_t n)
{
	if (in_lazy(p) || in_arena(p)) {
		size_t h = ((size_t *)p)[-1], old = h >> 1;
		void *q = mem_alloc(n, (int)(h & 1));
		if (q)
			memcpy(q, p, old < n ? old : n);
		return q;
	}
	if (lazy) /* p is NULL: every other object was carved from the mapping */
		return mem_alloc(n, 0);
	if (!before_alloc(n))
		return out_of_memory();
	void *q = GC_realloc(p, n);
	if (!q && n)
		return out_of_memory();
	return q;
}
