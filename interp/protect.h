/*
 * protect.h - the one protected-call boundary.
 *
 * Work that may fail deep down runs inside pr_call, which returns the
 * status the work was abandoned with: an evaluation error thrown by the VM
 * (a runtime error, a limit, an interrupt) or running out of memory, thrown
 * by the allocator (mem.c), each one more status through the same boundary,
 * as Lua's luaD_rawrunprotected / luaD_throw carry every error kind.  Calls
 * nest: a throw reaches the innermost pr_call of the thread.  What a throw
 * abandons is garbage for the collector; whoever catches one puts its own
 * state right and may pass the status on with pr_throw.
 *
 * The jump buffer is set once, in pr_call (protect.c says with what).
 */
#ifndef EDICT_PROTECT_H
#define EDICT_PROTECT_H

#include <stdbool.h>

#include "status.h"

/* Run body(ud); ST_OK when it returns, else the status it was thrown with. */
int pr_call(void (*body)(void *ud), void *ud);

/* Abandon the work of the innermost pr_call with status (not ST_OK).
 * Only inside a pr_call (pr_active). */
_Noreturn void pr_throw(int status);

/* After putting its own state right, pass a status caught by pr_call on to
 * the next protected call out; returns when it is ST_OK or there is none. */
void pr_pass(int status);

/* Whether this thread is inside a pr_call. */
bool pr_active(void);

#endif
