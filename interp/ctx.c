/*
 * ctx.c - spending an evaluation's limits (see ctx.h).
 *
 * The VM keeps its step budget in a register and brings c->steps up to date
 * around the calls that spend from it; the builtins and the folder spend
 * through ctx_charge, which also notices an interrupt.  The stack an
 * evaluation may use is bounded too: ctx_find_stack_floor tells the VM how low
 * on this thread's stack it may go.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "mem.h"
#include <pthread.h>
#include <stdarg.h>
#include <string.h>

#include "ctx.h"

/* Room left below the floor: for the frames of the call that finds
 * itself past it, the error's message and the collector, which may run on
 * that path.  At least STACK_ROOM_MIN bytes, or an eighth of the stack. */
#define STACK_ROOM_MIN ((size_t)32 << 10)

/* A stack smaller than the room gets a floor above its top: every
 * evaluation on it stops at once, with the error. */
uintptr_t ctx_find_stack_floor(void)
{
#ifdef __linux__ /* glibc and musl */
	pthread_attr_t a;
	void *low;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &a) != 0)
		return 1;
	int st = pthread_attr_getstack(&a, &low, &size);
	pthread_attr_destroy(&a);
	if (st != 0 || !low || !size)
		return 1;
	size_t room = size / 8 > STACK_ROOM_MIN ? size / 8 : STACK_ROOM_MIN;
	return (uintptr_t)low + room;
#else
	return 1;
#endif
}

Ctx *ctx_scratch(const Program *p)
{
	Ctx *c = GC_MALLOC(sizeof *c);
	if (!c)
		return NULL;
	c->p = p;
	c->keep = p->keep;
	c->max_steps = VM_DEFAULT_MAX_STEPS;
	c->max_bytes = VM_DEFAULT_MAX_BYTES;
	c->frame = -1;
	c->top_frame = -1;
	return c;
}

void ctx_set_trace(Ctx *c, bool on)
{
	c->trace = on;
}

void ctx_set_explain_full(Ctx *c, bool on)
{
	c->explain_full = on;
}

void ctx_set_as_of(Ctx *c, date_t day)
{
	c->as_of = day;
}

void ctx_set_limits(Ctx *c, unsigned long long max_steps, size_t max_bytes)
{
	if (max_steps)
		c->max_steps = max_steps;
	if (max_bytes)
		c->max_bytes = max_bytes;
}

void ctx_set_interrupt(Ctx *c, volatile sig_atomic_t *flag)
{
	c->interrupt = flag;
}

void ctx_set_query_frame(Ctx *c, int frame)
{
	c->top_frame = frame;
}

int ctx_set_frame_own(Ctx *c, int frame, const Own *own)
{
	int i = -1 - frame;
	if (i < 0)
		return ST_OK;
	if (i >= c->nframe_own) {
		int n = i + 1 > 2 * c->nframe_own ? i + 1 : 2 * c->nframe_own;
		const Own **grown = GC_MALLOC(sizeof *grown * (size_t)n);
		if (!grown)
			return ctx_fail(c, ST_MEMORY, "out of memory");
		if (c->nframe_own)
			memcpy(grown, c->frame_own, sizeof *grown * (size_t)c->nframe_own);
		c->frame_own = grown;
		c->nframe_own = n;
	}
	c->frame_own[i] = own;
	return ST_OK;
}

const Own *ctx_frame_own(const Ctx *c, int frame)
{
	int i = -1 - frame;
	return i >= 0 && i < c->nframe_own ? c->frame_own[i] : NULL;
}

int ctx_fail(Ctx *c, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->errmsg = xvprintf(fmt, ap);
	va_end(ap);
	c->status = status;
	return status;
}

void *ctx_alloc_any(Ctx *c, size_t n, bool atomic)
{
	c->bytes += n;
	if (c->bytes > c->max_bytes) {
		ctx_fail(c, ST_LIMIT, "this evaluation needs more than the memory limit of %zu bytes", c->max_bytes);
		return NULL;
	}
	void *p = atomic ? GC_MALLOC_ATOMIC(n) : mem_region_alloc(&c->region, n);
	if (!p)
		ctx_fail(c, ST_MEMORY, "out of memory");
	return p;
}

void ctx_reuse_region(Ctx *c)
{
	if (c->kept == c->reuse_kept)
		(void)mem_region_rewind(&c->region, c->reuse_from);
	c->reuse_from = c->region.at;
	c->reuse_kept = c->kept;
}

const char *ctx_steps_message(const Ctx *c)
{
	return xprintf("this evaluation took more than %llu steps; it may loop without end, or the step limit is too low",
		       c->max_steps);
}

int ctx_charge(Ctx *c, unsigned long long n)
{
	if (n > c->max_steps - c->steps || c->steps > c->max_steps) {
		c->steps = c->max_steps;
		c->errmsg = ctx_steps_message(c);
		return c->status = ST_LIMIT;
	}
	c->steps += n;
	if (c->interrupt && __atomic_load_n(c->interrupt, __ATOMIC_RELAXED))
		return ctx_fail(c, ST_INTERRUPTED, "interrupted");
	return ST_OK;
}

void ctx_trace(Ctx *c, TraceKind k, int a, const Str *path, Value v)
{
	if (c->nev == c->evcap) {
		int cap = c->evcap ? c->evcap * 2 : 64;
		/* the trace counts against the evaluation's memory; when it would
		 * not fit, recording stops and the explanation says so */
		size_t grow = sizeof(TraceEv) * (size_t)(cap - c->evcap);
		if (c->bytes + grow > c->max_bytes) {
			c->trace_truncated = true;
			return;
		}
		c->bytes += grow;
		TraceEv *ev = GC_MALLOC(sizeof(TraceEv) * (size_t)cap);
		if (!ev)
			return;
		if (c->nev)
			memcpy(ev, c->ev, sizeof(TraceEv) * (size_t)c->nev);
		c->ev = ev;
		c->evcap = cap;
	}
	TraceEv e = {k, c->frame, a, 0, 0, path, NULL, v};
	c->ev[c->nev++] = e;
}

void ctx_trace_note(Ctx *c, const char *text)
{
	ctx_trace(c, TR_NOTE, 0, val_str_new(text, strlen(text)), val_bool(true));
}
