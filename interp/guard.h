/*
 * guard.h - invariants written as code, as SQLite's ALWAYS/NEVER.
 *
 * NEVER(x) marks a defensive branch for a condition the code believes can
 * never hold (a compiler bug, a table out of step); ALWAYS(x) one that
 * always holds.  In debug builds (no NDEBUG: the sanitizer and coverage
 * builds) a violated belief stops the program at once, where it went
 * wrong; in release builds the branch is kept and handled, so the library
 * never aborts.  DEBUG_ASSERT(x) checks what is proven, in debug builds
 * only, where checking would cost in the hot paths.
 */
#ifndef EDICT_GUARD_H
#define EDICT_GUARD_H

#include <assert.h>

#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x) (x)
#define DEBUG_ASSERT(x) ((void)0)
#else
#define ALWAYS(x) ((x) ? 1 : (assert(0 && #x), 0))
#define NEVER(x) ((x) ? (assert(0 && #x), 1) : 0)
#define DEBUG_ASSERT(x) assert(x)
#endif

#endif
