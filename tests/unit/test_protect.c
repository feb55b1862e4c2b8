/*
 * test_protect.c - the protected-call boundary (protect.h): a throw ends
 * the innermost pr_call with its status, from however deep; calls nest,
 * and pr_pass hands a status on to the next one out; the caller's own
 * variables, held in registers across the call, are as they were after a
 * throw (the jump restores what the work changed); pr_active says whether
 * a call is under way.
 */
#include <criterion/criterion.h>

#include "protect.h"
#include "unit.h"

TestSuite(protect, .init = tu_start);

static void returns(void *ud)
{
	*(bool *)ud = pr_active();
}

Test(protect, a_body_that_returns_gives_ok_and_is_inside_a_call)
{
	bool inside = false;
	cr_assert_not(pr_active());
	cr_assert_eq(pr_call(returns, &inside), ST_OK);
	cr_assert(inside);
	cr_assert_not(pr_active());
}

/* Throw status from depth calls down, noting how deep the work went. */
typedef struct Deep {
	int depth;
	int status;
	int reached;
} Deep;

static void dive(Deep *d, int level)
{
	d->reached = level;
	if (level == d->depth)
		pr_throw(d->status);
	if (level < d->depth)
		dive(d, level + 1);
	d->reached = -1; /* never: the throw does not come back */
}

static void dive_body(void *ud)
{
	dive(ud, 0);
}

Test(protect, a_throw_from_deep_down_ends_the_call_with_its_status)
{
	const int statuses[] = {ST_RUNTIME, ST_LIMIT, ST_MEMORY, ST_INTERRUPTED};
	for (int s = 0; s < 4; s++)
		for (int depth = 0; depth < 200; depth += 37) {
			Deep d = {depth, statuses[s], 0};
			cr_assert_eq(pr_call(dive_body, &d), statuses[s]);
			cr_assert_eq(d.reached, depth);
			cr_assert_not(pr_active());
		}
}

Test(protect, a_throw_of_ok_still_fails)
{
	Deep d = {3, ST_OK, 0};
	cr_assert_eq(pr_call(dive_body, &d), ST_RUNTIME);
}

/* An inner call that throws, then (outer->status) what the outer body does
 * with its status: pass it on, or throw its own after the inner call. */
typedef struct Nest {
	int inner_status;
	int inner_got;
	bool pass;
	int after;
	bool still_inside;
} Nest;

static void inner_body(void *ud)
{
	pr_throw(((Nest *)ud)->inner_status);
}

static void outer_body(void *ud)
{
	Nest *n = ud;
	n->inner_got = pr_call(inner_body, n);
	n->still_inside = pr_active();
	if (n->pass)
		pr_pass(n->inner_got);
	if (n->after != ST_OK)
		pr_throw(n->after);
}

Test(protect, calls_nest_and_a_throw_reaches_the_innermost)
{
	Nest n = {ST_LIMIT, ST_OK, false, ST_OK, false};
	cr_assert_eq(pr_call(outer_body, &n), ST_OK);
	cr_assert_eq(n.inner_got, ST_LIMIT);
	cr_assert(n.still_inside);
}

Test(protect, pr_pass_hands_the_status_to_the_next_call_out)
{
	Nest n = {ST_MEMORY, ST_OK, true, ST_OK, false};
	cr_assert_eq(pr_call(outer_body, &n), ST_MEMORY);
	cr_assert_eq(n.inner_got, ST_MEMORY);
	cr_assert_not(pr_active());
	pr_pass(ST_MEMORY); /* outside every call: returns */
	pr_pass(ST_OK);
}

Test(protect, after_an_inner_call_a_throw_reaches_the_outer_one)
{
	Nest n = {ST_RUNTIME, ST_OK, false, ST_INTERRUPTED, false};
	cr_assert_eq(pr_call(outer_body, &n), ST_INTERRUPTED);
	cr_assert_eq(n.inner_got, ST_RUNTIME);
}

/* Work that scribbles over the registers a caller keeps its variables in,
 * then throws or not (ud: an int, odd to throw). */
static void scribble(void *ud)
{
	int k = *(int *)ud;
	volatile long sink = 0;
	long a = k * 3, b = k * 5, c = k * 7, e = k * 11, f = k * 13, g = k * 17;
	for (int i = 0; i < 8; i++) {
		a = a * 31 + b;
		b = b * 29 + c;
		c = c * 23 + e;
		e = e * 19 + f;
		f = f * 17 + g;
		g = g * 13 + a;
	}
	sink = a ^ b ^ c ^ e ^ f ^ g;
	(void)sink;
	if (k & 1)
		pr_throw(ST_RUNTIME);
}

Test(protect, the_callers_variables_survive_a_throw)
{
	/* sums the compiler keeps in registers across the calls */
	long s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
	int thrown = 0;
	for (int k = 0; k < 1000; k++) {
		int st = pr_call(scribble, &k);
		thrown += st != ST_OK;
		s1 += k;
		s2 += 2L * k;
		s3 += (long)k * k;
		s4 ^= k;
		s5 += st;
	}
	cr_assert_eq(thrown, 500);
	cr_assert_eq(s1, 499500);
	cr_assert_eq(s2, 999000);
	cr_assert_eq(s3, 332833500);
	cr_assert_eq(s4, 0);
	cr_assert_eq(s5, 500L * ST_RUNTIME);
}
