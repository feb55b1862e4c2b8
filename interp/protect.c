/*
 * protect.c - the protected-call boundary (see protect.h): a chain of jump
 * buffers per thread, innermost first.
 *
 * The jump is the compiler's own (__builtin_setjmp / __builtin_longjmp)
 * where it has one: it saves a few registers in line, where the C
 * library's setjmp also saves the signal mask, which no throw changes (a
 * throw comes from the work itself, never from a signal handler), at the
 * cost of a call into the library on every evaluation.  The longjmp comes
 * from another function (pr_throw) with the value 1, as the builtins
 * require.  Built with AddressSanitizer, the C library's pair stays: the
 * sanitizer intercepts longjmp to forget the poisoned stack it abandons.
 */
#include <setjmp.h>
#include <stddef.h>

#include "protect.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PR_LIBC_JUMP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || !defined(__GNUC__)
#define PR_LIBC_JUMP 1
#endif

#ifdef PR_LIBC_JUMP
typedef jmp_buf JumpBuf;
#define PR_SETJMP(jb) setjmp(jb)
#define PR_LONGJMP(jb) longjmp((jb), 1)
#else
typedef void *JumpBuf[5]; /* the frame, the resumption address, the stack pointer and room */
#define PR_SETJMP(jb) __builtin_setjmp(jb)
#define PR_LONGJMP(jb) __builtin_longjmp((jb), 1)
#endif

typedef struct Boundary {
	JumpBuf jb;
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
	if (PR_SETJMP(b.jb) == 0)
		body(ud);
	innermost = b.prev;
	return b.status;
}

void pr_throw(int status)
{
	Boundary *b = innermost;
	b->status = status == ST_OK ? ST_RUNTIME : status;
	PR_LONGJMP(b->jb);
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
