/*
 * protect.c - the protected-call boundary (see protect.h): a chain of jump
 * buffers per thread, innermost first.
 */
#include <setjmp.h>
#include <stddef.h>

#include "protect.h"

typedef struct Boundary {
	jmp_buf jb;
	struct Boundary *prev;
	volatile int status;
} Boundary;

static __thread Boundary *innermost;

int pr_call(void (*body)(void *ud), void *ud)
{
	Boundary b;
	b.prev = innermost;
	b.status = ST_OK;
	innermost = &b;
	if (setjmp(b.jb) == 0)
		body(ud);
	innermost = b.prev;
	return b.status;
}

void pr_throw(int status)
{
	Boundary *b = innermost;
	b->status = status == ST_OK ? ST_RUNTIME : status;
	longjmp(b->jb, 1);
}

void pr_pass(int status)
{
	if (status != ST_OK && innermost)
		pr_throw(status);
}

bool pr_active(void)
{
	return innermost != NULL;
}
