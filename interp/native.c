/*
 * native.c - the native tier: bytecode chunks translated to machine code
 * through libgccjit (native.h says what it promises).
 *
 * Each chunk becomes one C-level function, Value f(Ctx *c, int base), whose
 * frame lives where the interpreter's would, on the context's value stack:
 * L[0 ..] are its locals, and there its operands go where one of the
 * interpreter's operations reads them.  Since the depth of the operand
 * stack at each instruction is known (cg_stack_depths), every operand is a
 * fixed slot, kept in a C variable of its own (gcc keeps them in
 * registers), and the stack pointer disappears.  Each instruction becomes a
 * block of its own (gcc joins them up); the simple cases (reading facts and
 * fields, constants, truth values, comparisons and sums of numbers, jumps,
 * loops over lists and what they gather, lists and records, `in` over a
 * list of constants, memoized decisions) are done in place, everything
 * else calls the interpreter's own operation for that instruction
 * (vmrt.h).  Steps are counted one an instruction, as the interpreter
 * counts them (and comparisons of long values by their weight, in the
 * helpers), with the limit met at the same instructions; interrupts are
 * looked for where the interpreter looks, except at the jumps within a
 * loop's body (its head looks once an iteration); memory as the
 * interpreter counts it, with the limit met at the same instructions.
 * A decision that evaluations run as a task of their own (one that a
 * query among the roots names) is translated twice: as its function, and
 * as its task function (native.h), which does the memo's part of the work
 * too, with the decision known.
 *
 * libgccjit is opened with dlopen on the first compile, so the command and
 * the library start as fast without it and run without it: no library, no
 * header at build time, or a compile that fails all mean "interpreted".
 */
#define _GNU_SOURCE /* pipe2 */
#include "mem.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "native.h"

bool native_by_default(void)
{
	const char *v = getenv("EDICT_NATIVE");
	return v && strcmp(v, "1") == 0;
}

#ifdef EDICT_HAVE_GCCJIT

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgccjit.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "compile.h"
#include "opcodes.h"
#include "protect.h"
#include "vmrt.h"

_Static_assert(sizeof(Value) == 16 && offsetof(Value, as) == 8, "a Value is two 64-bit words");
_Static_assert(sizeof(date_t) == 4, "dates are 32-bit");
_Static_assert(sizeof(List) == 16 && sizeof(Rec) == 16 && offsetof(List, len) == 0 && offsetof(Rec, n) == 0 &&
		       offsetof(List, items) == 8 && offsetof(Rec, f) == 8,
	       "a list and a record share one header: the count, then the pointer to the values");

/* ------------------------------------------------------ the library */

/* The libgccjit functions used, looked up by name once. */
#define JIT_FUNCS(X)                                                                                                   \
	X(context_acquire) X(context_release) X(context_set_int_option)                     \
	X(context_get_first_error) X(context_get_type) X(type_get_pointer)        \
	X(context_new_field) X(context_new_struct_type) X(struct_as_type) X(context_new_param) X(param_as_rvalue)      \
	X(context_new_function) X(function_new_block) X(function_new_local) X(lvalue_as_rvalue)                        \
	X(context_new_rvalue_from_int) X(context_new_rvalue_from_long) X(context_new_rvalue_from_ptr)                  \
	X(context_new_binary_op) X(context_new_comparison) X(context_new_call_through_ptr) X(context_new_cast)         \
	X(context_new_array_access) X(lvalue_access_field) X(rvalue_dereference) X(lvalue_get_address)                 \
	X(block_add_assignment) X(block_add_eval) X(block_end_with_conditional) X(block_end_with_jump)                  \
	X(block_end_with_return) X(context_new_function_ptr_type) X(type_get_volatile)                                 \
	X(context_set_bool_print_errors_to_stderr) X(context_new_unary_op) X(context_new_bitcast) X(context_set_bool_allow_unreachable_blocks) X(function_get_param) X(context_new_call) X(context_compile_to_file)

static struct {
#define X(n) __typeof__(gcc_jit_##n) *n;
	JIT_FUNCS(X)
#undef X
} J;

static bool jit_ok;
static pthread_once_t jit_once = PTHREAD_ONCE_INIT;

static void jit_open(void)
{
	mem_need_collector(); /* dlopen goes through the collector, and the finalizer (attach) needs it */
	void *h = dlopen("libgccjit.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
#define X(n)                                                                                                           \
	if (!(*(void **)&J.n = dlsym(h, "gcc_jit_" #n)))                                                              \
		return;
	JIT_FUNCS(X)
#undef X
	jit_ok = true;
}

bool native_available(void)
{
	pthread_once(&jit_once, jit_open);
	return jit_ok;
}

/* ----------------------------------------------------- the helpers */

/* The interpreter's operations native code calls (vmrt.h, arith.h,
 * value.h), with their signatures: the result, then the parameters, as
 * v (a Value), i (an int), p (a pointer) or n (no result). */
#define HELPERS(X)                                                                                                     \
	X(ENTER, "ippi", nrt_enter) X(DECIDE, "vppiii", nrt_decide) X(CALL, "vpii", nrt_call)                          \
	X(BUILTIN, "vppiiii", nrt_builtin) X(ARITH, "vppiivv", nrt_arith) X(NEG, "vppiv", nrt_neg)                       \
	X(COMPARE, "ippivv", nrt_compare) X(EQUAL, "ippivv", nrt_equal) X(MKLIST, "vppiii", nrt_mklist)                 \
	X(MKREC, "vppiiii", nrt_mkrec) X(ACCINIT, "nppiii", nrt_accinit) X(ACC, "nppiiiv", nrt_acc)                     \
	X(ACCEND, "vppiii", nrt_accend) X(FILTER_UNKNOWN, "npiv", nrt_filter_unknown) X(PICK, "ippiiii", nrt_pick)       \
	X(HIT, "ippiivi", nrt_hit) X(ERROR, "nppi", nrt_error) X(STEPS_OUT, "nppi", nrt_steps_out)                      \
	X(INTERRUPTED, "nppi", nrt_interrupted) X(UNION, "vvv", val_unknown_union) X(AND, "vvv", ar_and)                \
	X(OR, "vvv", ar_or) X(IN, "vvp", ar_in) X(MKENUM, "vppiv", nrt_mkenum) X(ENUM_PART, "vvi", nrt_enum_part)          \
	X(HS_IN, "iivv", nrt_hs_in) X(AT, "vppivv", nrt_at) X(SCALE, "vppiv", nrt_scale)                               \
	X(RESUME, "vppiii", nrt_resume) X(ALLOC, "pppii", nrt_alloc) X(ALLOC_ALL, "pppii", nrt_alloc_all)             \
	X(IN_WEIGHED, "vppivp", nrt_in) X(STILL_CONST, "ippivv", nrt_still_const)  \
	X(INTO_LINE, "nppii", nrt_into_line)

enum {
#define X(name, sig, fn) H_##name,
	HELPERS(X)
#undef X
	H__COUNT
};

#include "arith.h"

typedef gcc_jit_rvalue *R;
typedef gcc_jit_lvalue *LV;

/* What one compile needs: the context, the types, the helpers. */
typedef struct Jit {
	gcc_jit_context *j;
	gcc_jit_type *t_int, *t_i64, *t_u64, *t_u32, *t_u8, *t_void, *t_ptr, *t_char_p, *t_v, *t_vp, *t_bool;
	gcc_jit_field *w0, *w1;
	R helper[H__COUNT];
	const Program *p;
	gcc_jit_function **fns; /* per chunk (decls, then functions): its function, or NULL */
	gcc_jit_function **tasks; /* per decl: its task function (native.h), or NULL */
	int **depths;           /* per chunk: cg_stack_depths */
} Jit;

static gcc_jit_type *sig_type(Jit *x, char k)
{
	return k == 'v' ? x->t_v : k == 'i' ? x->t_int : k == 'p' ? x->t_ptr : x->t_void;
}

/* Powers of ten, and for each the largest coefficient that multiplied by
 * it fits in 64 bits (order_scaled). */
static int64_t pow10s[19], pow10_fits[19];
static pthread_once_t pow10_once = PTHREAD_ONCE_INIT;

static void fill_pow10(void)
{
	for (int d = 0; d < 19; d++) {
		pow10s[d] = (int64_t)dec_pow10(d);
		pow10_fits[d] = INT64_MAX / pow10s[d];
	}
}

static void make_types(Jit *x)
{
	gcc_jit_context *j = x->j;
	x->t_int = J.context_get_type(j, GCC_JIT_TYPE_INT);
	x->t_i64 = J.context_get_type(j, GCC_JIT_TYPE_LONG_LONG);
	x->t_u64 = J.context_get_type(j, GCC_JIT_TYPE_UNSIGNED_LONG_LONG);
	x->t_u32 = J.context_get_type(j, GCC_JIT_TYPE_UNSIGNED_INT);
	x->t_u8 = J.context_get_type(j, GCC_JIT_TYPE_UNSIGNED_CHAR);
	x->t_void = J.context_get_type(j, GCC_JIT_TYPE_VOID);
	x->t_bool = J.context_get_type(j, GCC_JIT_TYPE_BOOL);
	x->t_ptr = J.context_get_type(j, GCC_JIT_TYPE_VOID_PTR);
	x->t_char_p = J.type_get_pointer(J.context_get_type(j, GCC_JIT_TYPE_CHAR));
	x->w0 = J.context_new_field(j, NULL, x->t_u64, "w0");
	x->w1 = J.context_new_field(j, NULL, x->t_u64, "w1");
	gcc_jit_field *f[2] = {x->w0, x->w1};
	x->t_v = J.struct_as_type(J.context_new_struct_type(j, NULL, "Value", 2, f));
	x->t_vp = J.type_get_pointer(x->t_v);
	pthread_once(&pow10_once, fill_pow10);
	static const struct {
		const char *sig;
		void (*fn)(void);
	} defs[H__COUNT] = {
#define X(name, sig, fn) {sig, (void (*)(void))fn},
		HELPERS(X)
#undef X
	};
	for (int h = 0; h < H__COUNT; h++) {
		const char *sig = defs[h].sig;
		gcc_jit_type *params[8];
		int n = (int)strlen(sig) - 1;
		for (int i = 0; i < n; i++)
			params[i] = sig_type(x, sig[i + 1]);
		gcc_jit_type *ft = J.context_new_function_ptr_type(j, NULL, sig_type(x, sig[0]), n, params, 0);
		void *addr;
		memcpy(&addr, &defs[h].fn, sizeof addr);
		x->helper[h] = J.context_new_rvalue_from_ptr(j, ft, addr);
	}
}

/* ----------------------------------------------- building blocks */

/* One chunk being translated. */
typedef struct Gen {
	Jit *x;
	gcc_jit_context *j;
	const Chunk *ch;
	gcc_jit_function *fn;
	gcc_jit_block *b;    /* the block being filled */
	gcc_jit_block **at;  /* per word: the block of the instruction there */
	int *depth;          /* per word: the operand stack's depth before it */
	int *blocklen;       /* per word: at a block's first instruction, its length; else 0 */
	bool *in_loop;       /* per word: within a loop's body, where its ITER polls the interrupt */
	R c;                 /* the context */
	LV base, L, budget;  /* the frame's base and values; the steps left */
	LV dummy;            /* a Value to return from blocks that never return */
	LV where;            /* the instruction being run, for the failures below */
	gcc_jit_block *fail[H__COUNT]; /* per helper that fails: its one block */
	int *konst;          /* per operand (by depth), within a block: the constant it was pushed as, or -1 */
	LV *ops;             /* per operand (by depth): the C variable that holds it */
	int nops;
	LV group;            /* the one block of the lists and records made next (make_group), or NULL */
	int group_left, group_off; /* how many of them are still to be made; the offset of the next */
	int pc, nl;          /* the instruction; the chunk's locals */
	int lead;            /* the first instruction of the block being translated */
	int ntemp;
	int task;            /* the decision a task function is for (native.h), else -1 */
} Gen;

static R ci(Gen *g, long v)
{
	return J.context_new_rvalue_from_int(g->j, g->x->t_int, (int)v);
}

static R cl(Gen *g, gcc_jit_type *t, long long v)
{
	return J.context_new_rvalue_from_long(g->j, t, (long)v);
}

static R rv(LV l)
{
	return J.lvalue_as_rvalue(l);
}

static R bin(Gen *g, enum gcc_jit_binary_op op, gcc_jit_type *t, R a, R b)
{
	return J.context_new_binary_op(g->j, NULL, op, t, a, b);
}

static R cmp(Gen *g, enum gcc_jit_comparison op, R a, R b)
{
	return J.context_new_comparison(g->j, NULL, op, a, b);
}

static R both(Gen *g, R a, R b)
{
	return bin(g, GCC_JIT_BINARY_OP_LOGICAL_AND, g->x->t_bool, a, b);
}

static R cast(Gen *g, R v, gcc_jit_type *t)
{
	return J.context_new_cast(g->j, NULL, v, t);
}

/* A Value's second word as the pointer it holds. */
static R to_ptr(Gen *g, R word)
{
	return J.context_new_bitcast(g->j, NULL, word, g->x->t_ptr);
}

static void set(Gen *g, LV l, R v)
{
	J.block_add_assignment(g->b, NULL, l, v);
}

static LV temp(Gen *g, gcc_jit_type *t)
{
	char name[24];
	snprintf(name, sizeof name, "t%d", g->ntemp++);
	return J.function_new_local(g->fn, NULL, t, name);
}

static gcc_jit_block *block(Gen *g)
{
	return J.function_new_block(g->fn, NULL);
}

static void jump(Gen *g, gcc_jit_block *to)
{
	J.block_end_with_jump(g->b, NULL, to);
}

static R call(Gen *g, int h, int n, R *args)
{
	return J.context_new_call_through_ptr(g->j, NULL, g->x->helper[h], n, args);
}

/* A call of a helper that never returns, ending the block. */
static void call_noreturn(Gen *g, int h, int n, R *args)
{
	J.block_add_eval(g->b, NULL, call(g, h, n, args));
	J.block_end_with_return(g->b, NULL, rv(g->dummy));
}

/* The lvalue of type t at byte offset off of the pointer p. */
static LV at_offset(Gen *g, R p, size_t off, gcc_jit_type *t)
{
	LV byte = J.context_new_array_access(g->j, NULL, cast(g, p, g->x->t_char_p), cl(g, g->x->t_i64, (long long)off));
	return J.rvalue_dereference(cast(g, J.lvalue_get_address(byte, NULL), J.type_get_pointer(t)), NULL);
}

#define CTX(g, field, t) at_offset((g), (g)->c, offsetof(Ctx, field), (t))

/* The Value `from` into `to`, word by word: a whole Value copied from
 * memory goes through memory (a copy in the function's frame, as well as
 * the words in registers), its two words go straight into registers. */
static void copy(Gen *g, LV to, LV from)
{
	set(g, J.lvalue_access_field(to, NULL, g->x->w0), rv(J.lvalue_access_field(from, NULL, g->x->w0)));
	set(g, J.lvalue_access_field(to, NULL, g->x->w1), rv(J.lvalue_access_field(from, NULL, g->x->w1)));
}

/* Frame slot k in the context's stack. */
static LV stack_slot(Gen *g, int k)
{
	return J.context_new_array_access(g->j, NULL, rv(g->L), ci(g, k));
}

/* Frame slot k, its two words, and its tag: the locals live in the
 * context's stack (where the interpreter's operations find them), the
 * operands in C variables, which the compiler keeps in registers; spill
 * and unspill move them where an operation of the interpreter's reads or
 * writes them. */
static LV slot(Gen *g, int k)
{
	return k >= g->nl && k - g->nl < g->nops ? g->ops[k - g->nl] : stack_slot(g, k);
}

/* Slots k .. k + n - 1 into the context's stack, and back. */
static void spill(Gen *g, int k, int n)
{
	for (int i = k < g->nl ? g->nl : k; i < k + n; i++)
		copy(g, stack_slot(g, i), slot(g, i));
}

static void unspill(Gen *g, int k, int n)
{
	for (int i = k < g->nl ? g->nl : k; i < k + n; i++)
		copy(g, slot(g, i), stack_slot(g, i));
}

/* The operands below slot k into the frame around a call that runs code
 * (a decision, a function), and back: held in registers across it, each
 * would take a callee-saved register, pushed and popped on every entry to
 * the function; in the frame they cost only where the call is made. */
static void park(Gen *g, int k)
{
	spill(g, g->nl, k - g->nl);
}

static void unpark(Gen *g, int k)
{
	unspill(g, g->nl, k - g->nl);
}

static LV w0(Gen *g, int k)
{
	return J.lvalue_access_field(slot(g, k), NULL, g->x->w0);
}

static LV w1(Gen *g, int k)
{
	return J.lvalue_access_field(slot(g, k), NULL, g->x->w1);
}

static R tag_of(Gen *g, R word0)
{
	return bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->x->t_u64, word0, cl(g, g->x->t_u64, 0xff));
}

static R tag_is(Gen *g, int k, int tag)
{
	return cmp(g, GCC_JIT_COMPARISON_EQ, tag_of(g, rv(w0(g, k))), cl(g, g->x->t_u64, tag));
}

/* The two words of a Value known now. */
static void words(Value v, uint64_t w[2])
{
	memcpy(w, &v, sizeof(Value));
}

static void set_value(Gen *g, int k, Value v)
{
	uint64_t w[2];
	words(v, w);
	set(g, w0(g, k), cl(g, g->x->t_u64, (long long)w[0]));
	set(g, w1(g, k), cl(g, g->x->t_u64, (long long)w[1]));
}

/* The slot of operand i from the top (0: the top) at this instruction. */
static int top(Gen *g, int i)
{
	return g->nl + g->depth[g->pc] - 1 - i;
}

/* What the translation knows of the operands within a block: which were
 * pushed as constants.  At a block's start nothing is known (and no group
 * of lists and records is being made). */
static void forget_constants(Gen *g)
{
	for (int i = 0; i <= g->ch->maxstack; i++)
		g->konst[i] = -1;
	g->group_left = 0;
}

/* After the instruction op (operand a) at g->pc: its result, the new top,
 * is the constant K[a] for CONST, else not known; the operands below it
 * are as they were (an instruction writes no operand below its result). */
static void track_constants(Gen *g, OpCode op, int a)
{
	int next = g->pc + 1 + op_words[op];
	if (next >= g->ch->n || g->depth[next] <= 0)
		return;
	int d = g->depth[next];
	for (int i = d - 1; i <= g->ch->maxstack; i++)
		g->konst[i] = -1;
	if (op == OP_CONST)
		g->konst[d - 1] = a;
}

/* The constant that operand i from the top holds, if known; else NULL. */
static const Value *known_constant(Gen *g, int i)
{
	int d = g->depth[g->pc] - 1 - i;
	return d >= 0 && d <= g->ch->maxstack && g->konst[d] >= 0 ? &g->ch->k[g->konst[d]] : NULL;
}

/* The absolute stack index of frame slot k. */
static R abs_slot(Gen *g, int k)
{
	return bin(g, GCC_JIT_BINARY_OP_PLUS, g->x->t_int, rv(g->base), ci(g, k));
}

static R chunk_ptr(Gen *g)
{
	return J.context_new_rvalue_from_ptr(g->j, g->x->t_ptr, (void *)g->ch);
}

/* L = the context's stack + base, after anything that may grow the stack. */
static void reload(Gen *g)
{
	R stack = cast(g, rv(CTX(g, stack, g->x->t_ptr)), g->x->t_vp);
	set(g, g->L, J.lvalue_get_address(J.context_new_array_access(g->j, NULL, stack, rv(g->base)), NULL));
}

/* The step budget in and out of the context around calls that spend it. */
static void steps_out(Gen *g)
{
	R max = rv(CTX(g, max_steps, g->x->t_u64));
	set(g, CTX(g, steps, g->x->t_u64), bin(g, GCC_JIT_BINARY_OP_MINUS, g->x->t_u64, max, cast(g, rv(g->budget), g->x->t_u64)));
}

static void steps_in(Gen *g)
{
	R left = bin(g, GCC_JIT_BINARY_OP_MINUS, g->x->t_u64, rv(CTX(g, max_steps, g->x->t_u64)), rv(CTX(g, steps, g->x->t_u64)));
	set(g, g->budget, cast(g, left, g->x->t_i64));
}

/* Fail at this instruction with helper h when cond holds: one block a
 * function for each kind of failure, told where by `at`. */
static void fail_if(Gen *g, R cond, int h)
{
	gcc_jit_block *good = block(g), *here = g->b;
	if (!g->fail[h]) {
		g->b = g->fail[h] = block(g);
		R args[3] = {g->c, chunk_ptr(g), rv(g->where)};
		call_noreturn(g, h, 3, args);
	}
	J.block_end_with_conditional(here, NULL, cond, g->fail[h], good);
	g->b = good;
}

/* Spend n steps at this instruction; past the limit, the error is placed
 * at word `word` of the code, where the interpreter places it. */
static void spend(Gen *g, R n, int word)
{
	set(g, g->where, ci(g, word));
	set(g, g->budget, bin(g, GCC_JIT_BINARY_OP_MINUS, g->x->t_i64, rv(g->budget), n));
	fail_if(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(g->budget), cl(g, g->x->t_i64, 0)), H_STEPS_OUT);
}

static void store_decided(Gen *g, int d, R v);

/* The function returns v: a task function (native.h) puts its decision's
 * value into the memo first, as the interpreter's decided would. */
static void finish(Gen *g, R v)
{
	if (g->task >= 0) {
		LV t = temp(g, g->x->t_v);
		set(g, t, v);
		store_decided(g, g->task, rv(t));
		v = rv(t);
	}
	J.block_end_with_return(g->b, NULL, v);
}

/* Spend the k steps of the instructions from pc on at once, where the
 * budget holds them all (at the start of a block, or after a call within
 * one); else the interpreter goes on with the chunk from pc, and stops at
 * the instruction where it runs out, as it would have. */
static void charge_from(Gen *g, int k, int pc)
{
	gcc_jit_block *resume = block(g), *go = block(g);
	set(g, g->budget, bin(g, GCC_JIT_BINARY_OP_MINUS, g->x->t_i64, rv(g->budget), cl(g, g->x->t_i64, k)));
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_LT, rv(g->budget), cl(g, g->x->t_i64, 0)), resume, go);
	g->b = resume;
	set(g, g->budget, bin(g, GCC_JIT_BINARY_OP_PLUS, g->x->t_i64, rv(g->budget), cl(g, g->x->t_i64, k)));
	steps_out(g);
	spill(g, g->nl, g->depth[pc]);
	R args[5] = {g->c, chunk_ptr(g), rv(g->base), ci(g, pc), ci(g, g->depth[pc])};
	finish(g, call(g, H_RESUME, 5, args));
	g->b = go;
}

/* How many instructions of the block follow this one. */
static int rest_of_block(Gen *g)
{
	int n = 0;
	for (int pc = g->lead; pc <= g->pc; pc += 1 + op_words[INS_OP(g->ch->code[pc])])
		n++;
	return g->blocklen[g->lead] - n;
}

/* Around a call that spends steps within a block (a decision, a function,
 * a builtin): the steps charged for the instructions after it are handed
 * back before it, so that the callee counts from where the interpreter's
 * would, and charged again after it (the interpreter going on from the
 * next instruction where the budget no longer holds them). */
static void before_call(Gen *g)
{
	int rest = rest_of_block(g);
	if (rest)
		set(g, g->budget, bin(g, GCC_JIT_BINARY_OP_PLUS, g->x->t_i64, rv(g->budget), cl(g, g->x->t_i64, rest)));
	steps_out(g);
}

static void after_call(Gen *g)
{
	steps_in(g);
	reload(g);
}

/* After the call's result is in its slot: the rest of the block charged again. */
static void recharge(Gen *g, OpCode op)
{
	int rest = rest_of_block(g);
	if (rest)
		charge_from(g, rest, g->pc + 1 + op_words[op]);
}

/* Whether a comparison of slot a with the constant K[kidx] (kidx >= 0) or
 * another slot (kidx < 0) may spend the steps of comparing long values
 * (arith.h: ar_compare_steps): not where the constant weighs nothing. */
static bool may_weigh(Gen *g, int kidx)
{
	return kidx < 0 || val_compare_weight(g->ch->k[kidx], 1) > 0;
}

/* Whether slot a may weigh something (arith.h: ar_may_weigh). */
static R may_weigh_at(Gen *g, int a)
{
	return cmp(g, GCC_JIT_COMPARISON_GE, tag_of(g, rv(w0(g, a))), cl(g, g->x->t_u64, V_STR));
}

/* What a comparison's result r makes of slot a (order_holds, equal_holds). */
typedef void Holds(Gen *g, OpCode op, int a, LV r);

/* Helper h called with its n args, its result into r (NULL: none). */
static void call_into(Gen *g, int h, int n, R *args, LV r)
{
	if (r)
		set(g, r, call(g, h, n, args));
	else
		J.block_add_eval(g->b, NULL, call(g, h, n, args));
}

/* Op's helper (vmrt.h: nrt_compare, nrt_equal, nrt_acc) h called with its
 * n args, its result into r; then on to `out`, which makes slot a of it.
 * Where the helper may spend steps (the value in slot a may weigh
 * something, compared with another slot (kidx < 0) or with a constant
 * that weighs something), as a call within a block: the rest of its steps
 * handed back around it, and charged again once slot a holds the result
 * (holds), before the next instruction. */
static void weighed_call(Gen *g, OpCode op, int kidx, int h, int n, R *args, LV r, int a, Holds *holds, gcc_jit_block *out)
{
	gcc_jit_block *light = block(g), *heavy = block(g);
	if (may_weigh(g, kidx))
		J.block_end_with_conditional(g->b, NULL, may_weigh_at(g, a), heavy, light);
	else
		jump(g, light);
	g->b = light;
	call_into(g, h, n, args, r);
	jump(g, out);
	g->b = heavy;
	before_call(g);
	call_into(g, h, n, args, r);
	steps_in(g);
	holds(g, op, a, r);
	recharge(g, op);
	jump(g, g->at[g->pc + 1 + op_words[op]]);
}

/* The interrupt flag, where there is one, stops the evaluation here (at
 * the instruction's last word, as the interpreter says). */
static void check_interrupt(Gen *g)
{
	LV flagp = temp(g, g->x->t_ptr);
	set(g, flagp, rv(CTX(g, interrupt, J.type_get_volatile(g->x->t_ptr))));
	gcc_jit_block *has = block(g), *go = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(flagp), J.context_new_rvalue_from_ptr(g->j, g->x->t_ptr, NULL)), has, go);
	g->b = has;
	set(g, g->where, ci(g, g->pc + op_words[INS_OP(g->ch->code[g->pc])]));
	R flag = rv(at_offset(g, rv(flagp), 0, J.type_get_volatile(g->x->t_int)));
	fail_if(g, cmp(g, GCC_JIT_COMPARISON_NE, flag, ci(g, 0)), H_INTERRUPTED);
	jump(g, go);
	g->b = go;
}

/* The length of the list in slot k (known to be a list). */
static R list_len(Gen *g, R list_word)
{
	return rv(at_offset(g, to_ptr(g, list_word), offsetof(List, len), g->x->t_u32));
}

/* ------------------------------------------------------- translation */

static void go_next(Gen *g, int words)
{
	jump(g, g->at[g->pc + words]);
}

/* Slot k := the record field f of slot src, or src itself if it is no record. */
static void emit_field(Gen *g, int k, int src, int f)
{
	LV t0 = temp(g, g->x->t_u64), t1 = temp(g, g->x->t_u64);
	set(g, t0, rv(w0(g, src)));
	set(g, t1, rv(w1(g, src)));
	gcc_jit_block *rec = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, tag_of(g, rv(t0)), cl(g, g->x->t_u64, V_REC)), rec, done);
	g->b = rec;
	R fields = rv(at_offset(g, to_ptr(g, rv(t1)), offsetof(Rec, f), g->x->t_vp));
	LV fv = J.context_new_array_access(g->j, NULL, fields, ci(g, f));
	set(g, t0, rv(J.lvalue_access_field(fv, NULL, g->x->w0)));
	set(g, t1, rv(J.lvalue_access_field(fv, NULL, g->x->w1)));
	jump(g, done);
	g->b = done;
	set(g, w0(g, k), rv(t0));
	set(g, w1(g, k), rv(t1));
}

/* The fact root A into slot k. */
static void emit_fact(Gen *g, int k, int a)
{
	R facts = cast(g, rv(CTX(g, facts, g->x->t_ptr)), g->x->t_vp);
	copy(g, slot(g, k), J.context_new_array_access(g->j, NULL, facts, ci(g, a)));
}

static LV state_of(Gen *g, int d)
{
	gcc_jit_type *t = J.type_get_pointer(g->x->t_u8);
	return J.context_new_array_access(g->j, NULL, cast(g, rv(CTX(g, state, g->x->t_ptr)), t), ci(g, d));
}

static LV stamp_of(Gen *g, int d)
{
	gcc_jit_type *t = J.type_get_pointer(g->x->t_u32);
	return J.context_new_array_access(g->j, NULL, cast(g, rv(CTX(g, stamp, g->x->t_ptr)), t), ci(g, d));
}

static LV memo_of(Gen *g, int d)
{
	return J.context_new_array_access(g->j, NULL, cast(g, rv(CTX(g, memo, g->x->t_ptr)), g->x->t_vp), ci(g, d));
}

/* Whether decision d is in the memo (ctx_memo_hit): its stamp reaches the
 * evaluation's epoch. */
static R memo_hit(Gen *g, int d)
{
	return cmp(g, GCC_JIT_COMPARISON_GE, rv(stamp_of(g, d)), rv(CTX(g, epoch, g->x->t_u32)));
}

/* Decision d decided as v: into the memo, as the interpreter's decided
 * does outside explain mode, kept where it reads no facts (known here). */
static void store_decided(Gen *g, int d, R v)
{
	Jit *x = g->x;
	bool keep = x->p->keep[d];
	set(g, memo_of(g, d), v);
	R now = keep ? cl(g, x->t_u32, STAMP_ALWAYS) : rv(CTX(g, epoch, x->t_u32));
	set(g, stamp_of(g, d), now);
	set(g, state_of(g, d), J.context_new_rvalue_from_int(g->j, x->t_u8, keep ? DS_KEPT : DS_UNDECIDED));
	if (keep) { /* counted as decide counts it */
		LV kept = CTX(g, kept, x->t_u32);
		set(g, kept, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u32, rv(kept), J.context_new_rvalue_from_int(g->j, x->t_u32, 1)));
	}
}

/* A decision in machine code, decided where the memo misses: what the
 * interpreter's decide does outside explain mode, with a direct call. */
static void decide_direct(Gen *g, int d, int k, gcc_jit_block *done)
{
	Jit *x = g->x;
	gcc_jit_block *cycle = block(g), *go = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, cast(g, rv(state_of(g, d)), x->t_int), ci(g, DS_DECIDING)), cycle, go);
	g->b = cycle; /* the interpreter's decide says which decision depends on itself */
	R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, d), abs_slot(g, k)};
	J.block_add_eval(g->b, NULL, call(g, H_DECIDE, 5, args));
	J.block_end_with_return(g->b, NULL, rv(g->dummy));
	g->b = go;
	set(g, state_of(g, d), J.context_new_rvalue_from_int(g->j, x->t_u8, DS_DECIDING));
	LV saved = temp(g, x->t_int), v = temp(g, x->t_v);
	set(g, saved, rv(CTX(g, frame, x->t_int)));
	set(g, CTX(g, frame, x->t_int), ci(g, d));
	set(g, CTX(g, stack_top, x->t_int), abs_slot(g, k));
	park(g, k);
	before_call(g);
	R cargs[2] = {g->c, ci(g, -1)};
	set(g, v, J.context_new_call(g->j, NULL, x->fns[d], 2, cargs));
	after_call(g);
	unpark(g, k);
	set(g, CTX(g, frame, x->t_int), rv(saved));
	store_decided(g, d, rv(v));
	copy(g, slot(g, k), v);
	recharge(g, OP_DECIDE);
	jump(g, done);
}

/* Where decision d is in the memo (ctx_memo_hit): into slot k, and on to
 * `done`; the code after this runs where it is not. */
static void memo_first(Gen *g, int d, int k, gcc_jit_block *done)
{
	gcc_jit_block *hit = block(g), *miss = block(g);
	J.block_end_with_conditional(g->b, NULL, memo_hit(g, d), hit, miss);
	g->b = hit;
	copy(g, slot(g, k), memo_of(g, d));
	jump(g, done);
	g->b = miss;
}

/* A decision's code done (its RETURN, or DECIDED in line): a level up. */
static void level_up(Gen *g)
{
	LV depth = CTX(g, depth, g->x->t_int);
	set(g, depth, bin(g, GCC_JIT_BINARY_OP_MINUS, g->x->t_int, rv(depth), ci(g, 1)));
}

/* DECIDE_IN D B: in the memo, to B; else on into the code in line, as
 * the interpreter's into_line goes: marked as being decided and a level
 * deeper, in place where it is neither being decided already nor past the
 * depth the context has room for, else through into_line itself (which
 * fails, or grows the room). */
static void emit_decide_in(Gen *g, int d, int to)
{
	Jit *x = g->x;
	memo_first(g, d, top(g, -1), g->at[to]);
	LV depth = temp(g, x->t_int);
	set(g, depth, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_int, rv(CTX(g, depth, x->t_int)), ci(g, 1)));
	R deciding = cmp(g, GCC_JIT_COMPARISON_EQ, cast(g, rv(state_of(g, d)), x->t_int), ci(g, DS_DECIDING));
	R deeper = cmp(g, GCC_JIT_COMPARISON_GT, rv(depth), rv(CTX(g, depth_room, x->t_int)));
	gcc_jit_block *fast = block(g), *slow = block(g), *next = g->at[g->pc + 2];
	J.block_end_with_conditional(g->b, NULL, J.context_new_binary_op(g->j, NULL, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool, deciding, deeper), slow, fast);
	g->b = fast;
	set(g, state_of(g, d), J.context_new_rvalue_from_int(g->j, x->t_u8, DS_DECIDING));
	set(g, CTX(g, depth, x->t_int), rv(depth));
	jump(g, next);
	g->b = slow;
	before_call(g);
	R args[4] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, d)};
	J.block_add_eval(g->b, NULL, call(g, H_INTO_LINE, 4, args));
	after_call(g);
	jump(g, next);
}

/* DECIDED D: the value on top into the memo, as out_of_line does, and a
 * level up. */
static void emit_decided(Gen *g, int d)
{
	store_decided(g, d, rv(slot(g, top(g, 0))));
	level_up(g);
	go_next(g, 1);
}

static void emit_decide(Gen *g, int d)
{
	Jit *x = g->x;
	int k = top(g, -1);
	gcc_jit_block *done = g->at[g->pc + 1];
	memo_first(g, d, k, done);
	if (x->fns[d]) {
		decide_direct(g, d, k, done);
		return;
	}
	before_call(g);
	LV v = temp(g, x->t_v);
	R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, d), abs_slot(g, k)};
	set(g, v, call(g, H_DECIDE, 5, args));
	after_call(g);
	copy(g, slot(g, k), v);
	recharge(g, OP_DECIDE);
	jump(g, done);
}

static void emit_minmax(Gen *g, bool is_min, int k, gcc_jit_block *other);

/* CALL and BUILTIN: argc arguments on top become one result in their place. */
static void emit_call(Gen *g, bool builtin, int f, int argc)
{
	int k = top(g, argc - 1);
	int acc = builtin ? bi_table[f].acc : -1;
	if ((acc == ACC_MIN || acc == ACC_MAX) && argc == 2)
		emit_minmax(g, acc == ACC_MIN, k, block(g));
	spill(g, k, argc); /* the arguments, where the callee reads them */
	before_call(g);
	LV v = temp(g, g->x->t_v);
	if (builtin) {
		R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, f), abs_slot(g, k), ci(g, argc)};
		set(g, v, call(g, H_BUILTIN, 6, args));
	} else if (g->x->fns[g->x->p->ndecls + f]) {
		R args[2] = {g->c, abs_slot(g, k)};
		set(g, v, J.context_new_call(g->j, NULL, g->x->fns[g->x->p->ndecls + f], 2, args));
	} else {
		R args[3] = {g->c, ci(g, f), abs_slot(g, k)};
		set(g, v, call(g, H_CALL, 3, args));
	}
	after_call(g);
	copy(g, slot(g, k), v);
	recharge(g, builtin ? OP_BUILTIN : OP_CALL);
	go_next(g, 2);
}

static R same_scale(Gen *g, R a0, R b0, bool numeric);

/* min(a, b) and max(a, b) of two known amounts of one scale, in place, as
 * the interpreter does: b only when it is strictly better; else on to
 * `other`, the builtin's call. */
static void emit_minmax(Gen *g, bool is_min, int k, gcc_jit_block *other)
{
	Jit *x = g->x;
	gcc_jit_block *fast = block(g), *take = block(g), *done = g->at[g->pc + 2];
	J.block_end_with_conditional(g->b, NULL, same_scale(g, rv(w0(g, k)), rv(w0(g, k + 1)), false), fast, other);
	g->b = fast;
	R a = cast(g, rv(w1(g, k)), x->t_i64), b = cast(g, rv(w1(g, k + 1)), x->t_i64);
	J.block_end_with_conditional(g->b, NULL, cmp(g, is_min ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, b, a), take, done);
	g->b = take;
	copy(g, slot(g, k), slot(g, k + 1));
	jump(g, done);
	g->b = other;
}

/* Whether slots a and b hold values of one scale whose 64-bit words order
 * them (arith.h: ar_same_scale), and, numeric: of a kind that adds. */
static R same_scale(Gen *g, R a0, R b0, bool numeric)
{
	Jit *x = g->x;
	R tag = tag_of(g, a0);
	R big_clear = cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, a0, cl(g, x->t_u64, 0xff00)), cl(g, x->t_u64, 0));
	R kind;
	if (numeric)
		kind = both(g, cmp(g, GCC_JIT_COMPARISON_GE, tag, cl(g, x->t_u64, V_INT)), cmp(g, GCC_JIT_COMPARISON_LE, tag, cl(g, x->t_u64, V_PCT)));
	else
		kind = bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool,
			   both(g, cmp(g, GCC_JIT_COMPARISON_GE, tag, cl(g, x->t_u64, V_BOOL)), cmp(g, GCC_JIT_COMPARISON_LE, tag, cl(g, x->t_u64, V_DATE))),
			   bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool, cmp(g, GCC_JIT_COMPARISON_EQ, tag, cl(g, x->t_u64, V_ENUM)),
			       cmp(g, GCC_JIT_COMPARISON_EQ, tag, cl(g, x->t_u64, V_HS))));
	return both(g, both(g, cmp(g, GCC_JIT_COMPARISON_EQ, a0, b0), big_clear), kind);
}

/* Slot k := a truth value (worked out before the slot is written, as it
 * may read the slot). */
static void set_bool(Gen *g, int k, R truth)
{
	LV t = temp(g, g->x->t_u64);
	set(g, t, cast(g, truth, g->x->t_u64));
	set_value(g, k, val_bool(false));
	set(g, w1(g, k), rv(t));
}

/* Slot k := the union of the unknowns in slots a and b (value.h). */
static void emit_union(Gen *g, int k, int a, int b)
{
	R args[2] = {rv(slot(g, a)), rv(slot(g, b))};
	set(g, slot(g, k), call(g, H_UNION, 2, args));
}

static R is_unknown(Gen *g, int k)
{
	return tag_is(g, k, V_UNKNOWN);
}

/* Slot a's payload := a + b or a - b of the values in slots a and b
 * where they are numbers of one scale and the result does not overflow;
 * else on to `slow`. */
static void add_in_place(Gen *g, int op, int a, int b, gcc_jit_block *slow)
{
	Jit *x = g->x;
	gcc_jit_block *fast = block(g);
	J.block_end_with_conditional(g->b, NULL, same_scale(g, rv(w0(g, a)), rv(w0(g, b)), true), fast, slow);
	g->b = fast;
	LV r = temp(g, x->t_u64);
	R av = rv(w1(g, a)), bv = rv(w1(g, b));
	set(g, r, bin(g, op == AR_ADD ? GCC_JIT_BINARY_OP_PLUS : GCC_JIT_BINARY_OP_MINUS, x->t_u64, av, bv));
	/* overflow: the sign of the result is wrong for the operands' */
	R sa = bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, x->t_u64, av, rv(r));
	R sb = bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, x->t_u64, op == AR_ADD ? bv : av, op == AR_ADD ? rv(r) : bv);
	R over = cmp(g, GCC_JIT_COMPARISON_LT, cast(g, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, sa, sb), x->t_i64), cl(g, x->t_i64, 0));
	if (op == AR_SUB) /* a - b overflows when a and b differ in sign and the result's differs from a's */
		over = cmp(g, GCC_JIT_COMPARISON_LT,
			   cast(g, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, x->t_u64, av, bv), sa), x->t_i64),
			   cl(g, x->t_i64, 0));
	gcc_jit_block *store = block(g);
	J.block_end_with_conditional(g->b, NULL, over, slow, store);
	g->b = store;
	set(g, w1(g, a), rv(r));
}

/* ADD and SUB in place when no overflow; else (and MUL, DIV) arith.c. */
static void emit_arith(Gen *g, int op)
{
	int a = top(g, 1), b = top(g, 0);
	gcc_jit_block *slow = block(g), *done = g->at[g->pc + 1];
	if (op == AR_ADD || op == AR_SUB) {
		add_in_place(g, op, a, b, slow);
		jump(g, done);
	} else {
		jump(g, slow);
	}
	g->b = slow;
	R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, op), rv(slot(g, a)), rv(slot(g, b))};
	set(g, slot(g, a), call(g, H_ARITH, 6, args));
	jump(g, done);
}

/* Entry d of one of the tables above. */
static R table_at(Gen *g, int64_t *table, R d)
{
	R t = J.context_new_rvalue_from_ptr(g->j, J.type_get_pointer(g->x->t_i64), table);
	return rv(J.context_new_array_access(g->j, NULL, t, d));
}

/* The coefficient in v (an i64) times 10^d where that fits in 64 bits;
 * else on to `slow`. */
static void scale_up(Gen *g, LV v, R d, gcc_jit_block *slow)
{
	Jit *x = g->x;
	LV fits = temp(g, x->t_i64);
	set(g, fits, table_at(g, pow10_fits, d));
	R over = bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool, cmp(g, GCC_JIT_COMPARISON_GT, rv(v), rv(fits)),
		     cmp(g, GCC_JIT_COMPARISON_LT, rv(v), J.context_new_unary_op(g->j, NULL, GCC_JIT_UNARY_OP_MINUS, x->t_i64, rv(fits))));
	gcc_jit_block *ok = block(g);
	J.block_end_with_conditional(g->b, NULL, over, slow, ok);
	g->b = ok;
	set(g, v, bin(g, GCC_JIT_BINARY_OP_MULT, x->t_i64, rv(v), table_at(g, pow10s, d)));
}

/* Slot a and the other side (words b0, b1): small amounts of one kind
 * (and currency) at two scales, which same_scale turned down: r := their
 * order at the finer scale where the other coefficient scaled to it fits
 * in 64 bits (arith.c: one_scale); else on to `slow`. */
static void order_scaled(Gen *g, int a, R b0, R b1, LV r, gcc_jit_block *slow, gcc_jit_block *done)
{
	Jit *x = g->x;
	R a0 = rv(w0(g, a)), low = cl(g, x->t_u64, 0xffffffff), tag = tag_of(g, a0);
	R kind = both(g, cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, a0, low), bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, b0, low)),
		      both(g, cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, a0, cl(g, x->t_u64, 0xff00)), cl(g, x->t_u64, 0)),
			   both(g, cmp(g, GCC_JIT_COMPARISON_GE, tag, cl(g, x->t_u64, V_DEC)), cmp(g, GCC_JIT_COMPARISON_LE, tag, cl(g, x->t_u64, V_PCT)))));
	gcc_jit_block *go = block(g), *near = block(g), *up = block(g), *down = block(g), *order = block(g);
	J.block_end_with_conditional(g->b, NULL, kind, go, slow);
	g->b = go;
	/* the exponents, in the upper halves; d > 0: a's is the coarser */
	R c32 = cl(g, x->t_i64, 32);
	LV d = temp(g, x->t_i64), xa = temp(g, x->t_i64), yb = temp(g, x->t_i64);
	set(g, d, bin(g, GCC_JIT_BINARY_OP_MINUS, x->t_i64, bin(g, GCC_JIT_BINARY_OP_RSHIFT, x->t_i64, cast(g, a0, x->t_i64), c32),
		      bin(g, GCC_JIT_BINARY_OP_RSHIFT, x->t_i64, cast(g, b0, x->t_i64), c32)));
	R in_range = cmp(g, GCC_JIT_COMPARISON_LE, cast(g, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_i64, rv(d), cl(g, x->t_i64, 18)), x->t_u64), cl(g, x->t_u64, 36));
	J.block_end_with_conditional(g->b, NULL, in_range, near, slow);
	g->b = near;
	set(g, xa, cast(g, rv(w1(g, a)), x->t_i64));
	set(g, yb, cast(g, b1, x->t_i64));
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_GT, rv(d), cl(g, x->t_i64, 0)), up, down);
	g->b = up;
	scale_up(g, xa, rv(d), slow);
	jump(g, order);
	g->b = down;
	scale_up(g, yb, J.context_new_unary_op(g->j, NULL, GCC_JIT_UNARY_OP_MINUS, x->t_i64, rv(d)), slow);
	jump(g, order);
	g->b = order;
	set(g, r, bin(g, GCC_JIT_BINARY_OP_MINUS, x->t_int, cast(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(xa), rv(yb)), x->t_int),
		      cast(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(xa), rv(yb)), x->t_int)));
	jump(g, done);
}

static R other_whole(Gen *g, int kidx, int b);

static enum gcc_jit_comparison order_op(OpCode op);

/* Slot a becomes whether order r (-1, 0, 1) meets comparison op. */
static void order_holds(Gen *g, OpCode op, int a, LV r)
{
	set_bool(g, a, cmp(g, order_op(op), rv(r), ci(g, 0)));
}

/* Slot a becomes whether it and the value b0, b1 (slot b's, or the
 * constant K[kidx]'s where kidx >= 0), both known, meet comparison op:
 * their order in place for one scale or two near ones, else arith.c's;
 * then on to the next instruction. */
static void order(Gen *g, OpCode op, int a, R b0, R b1, int kidx, int b)
{
	Jit *x = g->x;
	LV r = temp(g, x->t_int);
	gcc_jit_block *fast = block(g), *slow = block(g), *done = block(g), *scaled = block(g);
	J.block_end_with_conditional(g->b, NULL, same_scale(g, rv(w0(g, a)), b0, false), fast, scaled);
	g->b = scaled;
	order_scaled(g, a, b0, b1, r, slow, done);
	g->b = fast;
	R av = cast(g, rv(w1(g, a)), x->t_i64), bv = cast(g, b1, x->t_i64);
	set(g, r, bin(g, GCC_JIT_BINARY_OP_MINUS, x->t_int, cast(g, cmp(g, GCC_JIT_COMPARISON_GT, av, bv), x->t_int),
		      cast(g, cmp(g, GCC_JIT_COMPARISON_LT, av, bv), x->t_int)));
	jump(g, done);
	g->b = slow;
	R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), rv(slot(g, a)), other_whole(g, kidx, b)};
	weighed_call(g, op, kidx, H_COMPARE, 5, args, r, a, order_holds, done);
	g->b = done;
	order_holds(g, op, a, r);
	jump(g, g->at[g->pc + 1]);
}

static enum gcc_jit_comparison order_op(OpCode op)
{
	switch (op) {
	case OP_LT:
	case OP_LTK:
		return GCC_JIT_COMPARISON_LT;
	case OP_LE:
		return GCC_JIT_COMPARISON_LE;
	case OP_GT:
		return GCC_JIT_COMPARISON_GT;
	default:
		return GCC_JIT_COMPARISON_GE;
	}
}

/* Comparisons with an unknown side: against a constant the slot a stays
 * as it is, else it becomes the union of both sides' unknowns; either way
 * on to `done`.  The code after this runs for two known sides. */
static void unknown_first(Gen *g, bool konst, int a, int b, gcc_jit_block *done)
{
	gcc_jit_block *unk = block(g), *known = block(g);
	R u = konst ? is_unknown(g, a) : bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, g->x->t_bool, is_unknown(g, a), is_unknown(g, b));
	J.block_end_with_conditional(g->b, NULL, u, unk, known);
	g->b = unk;
	if (!konst)
		emit_union(g, a, a, b);
	jump(g, done);
	g->b = known;
}

/* The right side of a comparison: the constant K[kidx] (kidx >= 0) or
 * slot b, as its two words. */
static void other_side(Gen *g, int kidx, int b, R *b0, R *b1)
{
	if (kidx < 0) {
		*b0 = rv(w0(g, b));
		*b1 = rv(w1(g, b));
		return;
	}
	uint64_t w[2];
	words(g->ch->k[kidx], w);
	*b0 = cl(g, g->x->t_u64, (long long)w[0]);
	*b1 = cl(g, g->x->t_u64, (long long)w[1]);
}

/* The right side as a whole Value, for a helper's call: made in the block
 * that calls it, so that the fast paths do not store the constant. */
static R other_whole(Gen *g, int kidx, int b)
{
	if (kidx < 0)
		return rv(slot(g, b));
	R b0, b1;
	other_side(g, kidx, b, &b0, &b1);
	LV kv = temp(g, g->x->t_v);
	set(g, J.lvalue_access_field(kv, NULL, g->x->w0), b0);
	set(g, J.lvalue_access_field(kv, NULL, g->x->w1), b1);
	return rv(kv);
}

/* LT, LE, GT, GE (two slots) and GEK, LTK (a slot and a constant). */
static void emit_compare(Gen *g, OpCode op, int kidx)
{
	bool konst = op == OP_GEK || op == OP_LTK;
	int a = top(g, konst ? 0 : 1), b = top(g, 0);
	gcc_jit_block *done = g->at[g->pc + 1];
	unknown_first(g, konst, a, b, done);
	R b0, b1;
	other_side(g, konst ? kidx : -1, b, &b0, &b1);
	order(g, op, a, b0, b1, konst ? kidx : -1, b);
}

/* Whether a constant is equal to another value of its kind exactly when
 * their payloads are (arith.h: ar_equal_in_place). */
static bool in_place(Value k)
{
	return k.tag == V_INT || k.tag == V_BOOL || k.tag == V_DATE || (k.tag == V_ENUM && !k.big);
}

/* Slot a becomes whether equality eq (0 or 1) meets op (EQ, NE, EQK). */
static void equal_holds(Gen *g, OpCode op, int a, LV eq)
{
	set_bool(g, a, cmp(g, op == OP_NE ? GCC_JIT_COMPARISON_EQ : GCC_JIT_COMPARISON_NE, rv(eq), ci(g, 0)));
}

/* EQ, NE (two slots) and EQK (a slot and a constant). */
static void emit_equal(Gen *g, OpCode op, int kidx)
{
	Jit *x = g->x;
	bool konst = op == OP_EQK;
	int a = top(g, konst ? 0 : 1), b = top(g, 0);
	gcc_jit_block *done = g->at[g->pc + 1];
	unknown_first(g, konst, a, b, done);
	LV eq = temp(g, x->t_int);
	R b0, b1;
	other_side(g, konst ? kidx : -1, b, &b0, &b1);
	gcc_jit_block *fast = block(g), *slow = block(g), *out = block(g);
	R same = cmp(g, GCC_JIT_COMPARISON_EQ, rv(w0(g, a)), b0);
	if (!konst || in_place(g->ch->k[kidx])) {
		R tag = tag_of(g, b0);
		R simple = bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool,
			       both(g, cmp(g, GCC_JIT_COMPARISON_GE, tag, cl(g, x->t_u64, V_BOOL)), cmp(g, GCC_JIT_COMPARISON_LE, tag, cl(g, x->t_u64, V_INT))),
			       bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool, cmp(g, GCC_JIT_COMPARISON_EQ, tag, cl(g, x->t_u64, V_DATE)),
				   both(g, cmp(g, GCC_JIT_COMPARISON_EQ, tag, cl(g, x->t_u64, V_ENUM)),
					cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, b0, cl(g, x->t_u64, 0xff00)), cl(g, x->t_u64, 0)))));
		J.block_end_with_conditional(g->b, NULL, both(g, same, simple), fast, slow);
	} else {
		jump(g, slow);
	}
	g->b = fast;
	set(g, eq, cast(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(w1(g, a)), b1), x->t_int));
	jump(g, out);
	g->b = slow;
	R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), rv(slot(g, a)), other_whole(g, konst ? kidx : -1, b)};
	weighed_call(g, op, konst ? kidx : -1, H_EQUAL, 5, args, eq, a, equal_holds, out);
	g->b = out;
	equal_holds(g, op, a, eq);
	jump(g, done);
}

/* AND, OR: two truth values in place, else Kleene logic in arith.c. */
static void emit_logic(Gen *g, bool is_and)
{
	int a = top(g, 1), b = top(g, 0);
	gcc_jit_block *fast = block(g), *slow = block(g), *done = g->at[g->pc + 1];
	J.block_end_with_conditional(g->b, NULL, both(g, tag_is(g, a, V_BOOL), tag_is(g, b, V_BOOL)), fast, slow);
	g->b = fast;
	R v = bin(g, is_and ? GCC_JIT_BINARY_OP_BITWISE_AND : GCC_JIT_BINARY_OP_BITWISE_OR, g->x->t_u64, rv(w1(g, a)), rv(w1(g, b)));
	set_bool(g, a, cmp(g, GCC_JIT_COMPARISON_NE, v, cl(g, g->x->t_u64, 0)));
	jump(g, done);
	g->b = slow;
	R args[2] = {rv(slot(g, a)), rv(slot(g, b))};
	set(g, slot(g, a), call(g, is_and ? H_AND : H_OR, 2, args));
	jump(g, done);
}

/* A branch on the truth value in slot k: to `yes` when it is the boolean
 * `want`, else on to `no`. */
static void branch_bool(Gen *g, int k, bool want, gcc_jit_block *yes, gcc_jit_block *no)
{
	R w = cmp(g, want ? GCC_JIT_COMPARISON_NE : GCC_JIT_COMPARISON_EQ, rv(w1(g, k)), cl(g, g->x->t_u64, 0));
	J.block_end_with_conditional(g->b, NULL, both(g, tag_is(g, k, V_BOOL), w), yes, no);
}

static void emit_iftest(Gen *g, int to)
{
	int k = top(g, 0);
	gcc_jit_block *isbool = block(g);
	J.block_end_with_conditional(g->b, NULL, tag_is(g, k, V_BOOL), isbool, g->at[g->pc + 1]);
	g->b = isbool;
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(w1(g, k)), cl(g, g->x->t_u64, 0)), g->at[g->pc + 2], g->at[to]);
}

/* Whether every item of the list l is a member without data, or every
 * one a whole number: ar_in compares those in place. */
static bool plain_items(const List *l)
{
	for (uint32_t i = 0; i < l->len; i++)
		if (l->items[i].tag != l->items[0].tag || l->items[i].big || (l->items[i].tag != V_ENUM && l->items[i].tag != V_INT))
			return false;
	return l->len > 0;
}

/* A value's first word (its header) without its currency: what ar_in
 * compares of members and whole numbers (ar_all_but_currency). */
static R but_currency(Gen *g, R word0)
{
	return bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->x->t_u64, word0, cl(g, g->x->t_u64, (long long)ar_all_but_currency()));
}

/* IN over a constant list of plain items (plain_items): a value of their
 * kind (and not big) is in it when one item has its words, its currency
 * apart (what ar_in compares); others go to ar_in. */
static void in_constant(Gen *g, int a, const List *l)
{
	Jit *x = g->x;
	gcc_jit_block *unk = block(g), *known = block(g), *plain = block(g), *slow = block(g), *done = g->at[g->pc + 1];
	J.block_end_with_conditional(g->b, NULL, is_unknown(g, a), unk, known);
	g->b = unk;
	emit_union(g, a, a, top(g, 0));
	jump(g, done);
	g->b = known;
	spend(g, cl(g, x->t_i64, l->len), g->pc); /* a step per item */
	R a0 = but_currency(g, rv(w0(g, a)));
	uint64_t w[2];
	words(l->items[0], w);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, a0, cl(g, x->t_u64, 0xffff)),
								   cl(g, x->t_u64, (long long)(w[0] & 0xffff))), plain, slow);
	g->b = plain;
	R found = NULL;
	for (uint32_t i = 0; i < l->len; i++) {
		words(l->items[i], w);
		R same = both(g, cmp(g, GCC_JIT_COMPARISON_EQ, a0, cl(g, x->t_u64, (long long)(w[0] & ar_all_but_currency()))),
			      cmp(g, GCC_JIT_COMPARISON_EQ, rv(w1(g, a)), cl(g, x->t_u64, (long long)w[1])));
		found = found ? bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, x->t_bool, found, same) : same;
	}
	set_bool(g, a, found);
	jump(g, done);
	g->b = slow;
	R args[2] = {rv(slot(g, a)), J.context_new_rvalue_from_ptr(g->j, x->t_ptr, (void *)l)};
	set(g, slot(g, a), call(g, H_IN, 2, args));
	jump(g, done);
}

/* IN of a member without data (slot a) in a list (slot b): whether an
 * item has its words, its currency apart (what ar_in compares; an
 * unknown item does not matter); other values on to `slow`.  Every item
 * is looked at, with no branch on which one it is: which member a
 * record's value is changes from one record to the next, the list's
 * length does not. */
static void in_members(Gen *g, int a, int b, gcc_jit_block *slow)
{
	Jit *x = g->x;
	LV a0 = temp(g, x->t_u64), i = temp(g, x->t_u32), list = temp(g, x->t_ptr), found = temp(g, x->t_bool);
	gcc_jit_block *head = block(g), *body = block(g), *end = block(g);
	set(g, a0, but_currency(g, rv(w0(g, a))));
	R member = cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u64, rv(a0), cl(g, x->t_u64, 0xffff)), cl(g, x->t_u64, V_ENUM));
	set(g, list, to_ptr(g, rv(w1(g, b))));
	set(g, i, J.context_new_rvalue_from_int(g->j, x->t_u32, 0));
	set(g, found, J.context_new_rvalue_from_int(g->j, x->t_bool, 0));
	J.block_end_with_conditional(g->b, NULL, member, head, slow);
	g->b = head;
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_LT, rv(i), rv(at_offset(g, rv(list), offsetof(List, len), x->t_u32))), body, end);
	g->b = body;
	LV item = J.context_new_array_access(g->j, NULL, rv(at_offset(g, rv(list), offsetof(List, items), x->t_vp)), rv(i));
	R same = bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_bool,
		     cmp(g, GCC_JIT_COMPARISON_EQ, but_currency(g, rv(J.lvalue_access_field(item, NULL, x->w0))), rv(a0)),
		     cmp(g, GCC_JIT_COMPARISON_EQ, rv(J.lvalue_access_field(item, NULL, x->w1)), rv(w1(g, a))));
	set(g, found, bin(g, GCC_JIT_BINARY_OP_BITWISE_OR, x->t_bool, rv(found), same));
	set(g, i, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u32, rv(i), J.context_new_rvalue_from_int(g->j, x->t_u32, 1)));
	jump(g, head);
	g->b = end;
	set_bool(g, a, rv(found));
	jump(g, g->at[g->pc + 1]);
}

static void emit_in(Gen *g)
{
	int a = top(g, 1), b = top(g, 0);
	const Value *list = known_constant(g, 0);
	if (list && list->tag == V_LIST && plain_items(list->as.l)) {
		in_constant(g, a, list->as.l);
		return;
	}
	gcc_jit_block *unk = block(g), *known = block(g), *done = g->at[g->pc + 1];
	J.block_end_with_conditional(g->b, NULL, bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, g->x->t_bool, is_unknown(g, a), is_unknown(g, b)), unk, known);
	g->b = unk;
	emit_union(g, a, a, b);
	jump(g, done);
	g->b = known;
	spend(g, cast(g, list_len(g, rv(w1(g, b))), g->x->t_i64), g->pc); /* a step per item */
	gcc_jit_block *slow = block(g);
	in_members(g, a, b, slow);
	g->b = slow;
	gcc_jit_block *light = block(g), *heavy = block(g);
	J.block_end_with_conditional(g->b, NULL, may_weigh_at(g, a), heavy, light);
	g->b = light;
	R args[2] = {rv(slot(g, a)), to_ptr(g, rv(w1(g, b)))};
	set(g, slot(g, a), call(g, H_IN, 2, args));
	jump(g, done);
	/* where it may spend the steps of comparing long values (IN ends its
	 * block) */
	g->b = heavy;
	steps_out(g);
	R wargs[5] = {g->c, chunk_ptr(g), ci(g, g->pc), rv(slot(g, a)), to_ptr(g, rv(w1(g, b)))};
	set(g, slot(g, a), call(g, H_IN_WEIGHED, 5, wargs));
	steps_in(g);
	jump(g, done);
}

/* IN_HS A: as IN, a step per item of a list of codes. */
static void emit_in_hs(Gen *g, int kind)
{
	int a = top(g, 1), b = top(g, 0);
	gcc_jit_block *unk = block(g), *known = block(g), *list = block(g), *test = block(g), *done = g->at[g->pc + 1];
	J.block_end_with_conditional(g->b, NULL, bin(g, GCC_JIT_BINARY_OP_LOGICAL_OR, g->x->t_bool, is_unknown(g, a), is_unknown(g, b)), unk, known);
	g->b = unk;
	emit_union(g, a, a, b);
	jump(g, done);
	g->b = known;
	J.block_end_with_conditional(g->b, NULL, tag_is(g, b, V_LIST), list, test);
	g->b = list;
	spend(g, cast(g, list_len(g, rv(w1(g, b))), g->x->t_i64), g->pc);
	jump(g, test);
	g->b = test;
	R args[3] = {ci(g, kind), rv(slot(g, a)), rv(slot(g, b))};
	set_bool(g, a, cmp(g, GCC_JIT_COMPARISON_NE, call(g, H_HS_IN, 3, args), ci(g, 0)));
	jump(g, done);
}

/* MKENUM, MEMBER, ENUMDATA, AT, SCALE: the value on top (and for AT the
 * date above it) through the interpreter's code; false for others. */
static bool emit_replace_top(Gen *g, OpCode op)
{
	int k = top(g, op == OP_AT ? 1 : 0);
	R v = rv(slot(g, k)), here[3] = {g->c, chunk_ptr(g), ci(g, g->pc)};
	R r;
	if (op == OP_MKENUM || op == OP_SCALE) {
		R args[4] = {here[0], here[1], here[2], v};
		r = call(g, op == OP_MKENUM ? H_MKENUM : H_SCALE, 4, args);
	} else if (op == OP_AT) {
		R args[5] = {here[0], here[1], here[2], v, rv(slot(g, top(g, 0)))};
		r = call(g, H_AT, 5, args);
	} else if (op == OP_MEMBER || op == OP_ENUMDATA) {
		R args[2] = {v, ci(g, op == OP_ENUMDATA)};
		r = call(g, H_ENUM_PART, 2, args);
	} else {
		return false;
	}
	LV t = temp(g, g->x->t_v);
	set(g, t, r);
	copy(g, slot(g, k), t);
	go_next(g, 1 + op_words[op]);
	return true;
}

static void emit_iter(Gen *g, int s, int to)
{
	Jit *x = g->x;
	check_interrupt(g);
	LV i = temp(g, x->t_u64);
	set(g, i, rv(w1(g, s + 1)));
	R list = rv(w1(g, s));
	gcc_jit_block *more = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_LT, rv(i), cast(g, list_len(g, list), x->t_u64)), more, g->at[to]);
	g->b = more;
	R items = rv(at_offset(g, to_ptr(g, list), offsetof(List, items), x->t_vp));
	copy(g, slot(g, s + 2), J.context_new_array_access(g->j, NULL, items, cast(g, rv(i), x->t_i64)));
	set(g, w1(g, s + 1), bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u64, rv(i), cl(g, x->t_u64, 1)));
	go_next(g, 2);
}

static void emit_filter(Gen *g, int s, int to)
{
	int k = top(g, 0);
	gcc_jit_block *isbool = block(g), *unk = block(g);
	J.block_end_with_conditional(g->b, NULL, tag_is(g, k, V_BOOL), isbool, unk);
	g->b = isbool;
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(w1(g, k)), cl(g, g->x->t_u64, 0)), g->at[g->pc + 2], g->at[to]);
	g->b = unk;
	R args[3] = {g->c, abs_slot(g, s + 1), rv(slot(g, k))};
	spill(g, s + 1, 1);
	J.block_add_eval(g->b, NULL, call(g, H_FILTER_UNKNOWN, 3, args));
	unspill(g, s + 1, 1);
	jump(g, g->at[to]);
}

/* JNEK K B: on to the next instruction where the top is still the
 * constant (its two words; else, as the interpreter does, an equal value),
 * to B otherwise. */
static void emit_jnek(Gen *g, int kidx, int to)
{
	int a = top(g, 0);
	R k0, k1;
	other_side(g, kidx, -1, &k0, &k1);
	gcc_jit_block *slow = block(g), *next = g->at[g->pc + 2];
	R same = both(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(w0(g, a)), k0), cmp(g, GCC_JIT_COMPARISON_EQ, rv(w1(g, a)), k1));
	J.block_end_with_conditional(g->b, NULL, same, next, slow);
	g->b = slow;
	R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), rv(slot(g, a)), other_whole(g, kidx, -1)};
	R still = cmp(g, GCC_JIT_COMPARISON_NE, call(g, H_STILL_CONST, 5, args), ci(g, 0));
	J.block_end_with_conditional(g->b, NULL, still, next, g->at[to]);
}

/* Jump to the address in the int `to`, one of the n addresses in `targets`. */
static void jump_table(Gen *g, R to, const int *targets, int n)
{
	for (int i = 0; i < n; i++) {
		gcc_jit_block *no = block(g);
		J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, to, ci(g, targets[i])), g->at[targets[i]], no);
		g->b = no;
	}
	jump(g, g->at[targets[n - 1]]); /* never: `to` is one of them */
}

/* How many of the cases of tab (defaults or the others) hold true: their
 * conditions are truth values. */
static R count_true(Gen *g, const CaseTab *tab, bool defaults)
{
	R n = ci(g, 0);
	for (int i = 0; i < tab->n; i++)
		if (tab->is_default[i] == defaults)
			n = bin(g, GCC_JIT_BINARY_OP_PLUS, g->x->t_int, n,
				cast(g, cmp(g, GCC_JIT_COMPARISON_NE, rv(w1(g, tab->first_slot + i)), cl(g, g->x->t_u64, 0)), g->x->t_int));
	return n;
}

/* On to the body of the first case of tab (defaults or the others, or
 * either: any) that holds true, one of which does. */
static void to_true_case(Gen *g, const CaseTab *tab, bool any, bool defaults)
{
	int last = -1;
	for (int i = 0; i < tab->n; i++)
		if (any || tab->is_default[i] == defaults)
			last = i;
	for (int i = 0; i < last; i++) {
		if (!any && tab->is_default[i] != defaults)
			continue;
		gcc_jit_block *no = block(g);
		J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(w1(g, tab->first_slot + i)), cl(g, g->x->t_u64, 0)),
					     g->at[tab->target[i]], no);
		g->b = no;
	}
	jump(g, g->at[tab->target[last]]);
}

/* PICK in place where every condition is a truth value and the winner is
 * plain (vm.c: pick): the one case that holds; else the one exception
 * that holds, which beats the defaults, where nothing overrides (the
 * interpreter's search of overrides takes memory); else on to `slow`. */
static void pick_in_place(Gen *g, const CaseTab *tab, gcc_jit_block *slow)
{
	Jit *x = g->x;
	R known = NULL;
	for (int i = 0; i < tab->n; i++) {
		R b = tag_is(g, tab->first_slot + i, V_BOOL);
		known = known ? both(g, known, b) : b;
	}
	gcc_jit_block *count = block(g), *one = block(g), *exc = block(g);
	J.block_end_with_conditional(g->b, NULL, known, count, slow);
	g->b = count;
	LV nexc = temp(g, x->t_int), ndef = temp(g, x->t_int);
	set(g, nexc, count_true(g, tab, false));
	set(g, ndef, count_true(g, tab, true));
	R single = cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_int, rv(nexc), rv(ndef)), ci(g, 1));
	bool overrides = tab->mode != PICK_FIRST && tab->over_start; /* a true exception: the search */
	if (overrides)
		single = both(g, single, cmp(g, GCC_JIT_COMPARISON_EQ, rv(nexc), ci(g, 0)));
	J.block_end_with_conditional(g->b, NULL, single, one, tab->mode == PICK_FIRST || overrides ? slow : exc);
	g->b = one;
	to_true_case(g, tab, true, false);
	g->b = exc; /* more than one holds: an exception alone beats the defaults */
	gcc_jit_block *it = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, rv(nexc), ci(g, 1)), it, slow);
	g->b = it;
	to_true_case(g, tab, false, false);
}

static void emit_pick(Gen *g, int t)
{
	const CaseTab *tab = g->ch->cases[t];
	if (tab->n > 0 && tab->mode != PICK_GATHER) {
		gcc_jit_block *slow = block(g);
		pick_in_place(g, tab, slow);
		g->b = slow;
	}
	LV to = temp(g, g->x->t_int);
	R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, t), rv(g->base), abs_slot(g, top(g, -1))};
	spill(g, tab->first_slot, tab->n); /* its conditions */
	set(g, to, call(g, H_PICK, 6, args));
	gcc_jit_block *known = block(g), *unk = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_LT, rv(to), ci(g, 0)), unk, known);
	g->b = unk; /* the unknown it wrote */
	unspill(g, top(g, -1), 1);
	jump(g, g->at[tab->end]);
	g->b = known;
	jump_table(g, rv(to), tab->target, tab->n);
}

static void emit_hit(Gen *g, int t)
{
	const CaseTab *tab = g->ch->cases[t];
	int k = top(g, 0);
	gcc_jit_block *known = block(g);
	J.block_end_with_conditional(g->b, NULL, is_unknown(g, k), g->at[tab->end], known);
	g->b = known;
	spend(g, cast(g, list_len(g, rv(w1(g, k))), g->x->t_i64), g->pc);
	R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, t), rv(slot(g, k)), abs_slot(g, k)};
	LV applied = temp(g, g->x->t_int);
	before_call(g); /* comparing long row values spends steps */
	set(g, applied, call(g, H_HIT, 6, args));
	steps_in(g);
	gcc_jit_block *wrote = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(applied), ci(g, 0)), wrote, g->at[g->pc + 1]);
	g->b = wrote; /* the result it wrote */
	unspill(g, k, 1);
	jump(g, g->at[tab->end]);
}

static void emit_datein(Gen *g, int k, Value from, Value until)
{
	R asof = rv(CTX(g, as_of, g->x->t_int)), in = NULL;
	if (from.tag == V_DATE)
		in = cmp(g, GCC_JIT_COMPARISON_GE, asof, ci(g, (long)from.as.i));
	if (until.tag == V_DATE) {
		R before = cmp(g, GCC_JIT_COMPARISON_LT, asof, ci(g, (long)until.as.i));
		in = in ? both(g, in, before) : before;
	}
	if (in)
		set_bool(g, k, in);
	else
		set_value(g, k, val_bool(true));
}

/* The byte at offset off of the pointer p, as a pointer. */
static R byte_address(Gen *g, R p, size_t off)
{
	LV byte = J.context_new_array_access(g->j, NULL, cast(g, p, g->x->t_char_p), cl(g, g->x->t_i64, (long long)off));
	return cast(g, J.lvalue_get_address(byte, NULL), g->x->t_ptr);
}

/* Value i of a list or record whose values follow its header. */
static void set_item(Gen *g, R p, int i, R v0, R v1)
{
	size_t off = sizeof(List) + sizeof(Value) * (size_t)i;
	set(g, at_offset(g, p, off, g->x->t_u64), v0);
	set(g, at_offset(g, p, off + 8, g->x->t_u64), v1);
}

/* The bytes of a list or record with room for n values after its header. */
static int block_bytes(int n)
{
	return (int)(sizeof(List) + sizeof(Value) * (size_t)n);
}

/* How many values MKLIST or MKREC at pc makes one of; -1 for others. */
static int made_of(const Chunk *ch, int pc)
{
	OpCode op = INS_OP(ch->code[pc]);
	return op == OP_MKLIST ? INS_A(ch->code[pc]) : op == OP_MKREC ? (int)ch->code[pc + 1] : -1;
}

/* Whether an instruction neither allocates nor fails, so that what the
 * lists and records around it take can be taken at once. */
static bool quiet(OpCode op)
{
	switch (op) {
	case OP_CONST: case OP_TRUE: case OP_FALSE: case OP_UNKNOWN: case OP_ASOF: case OP_POP: case OP_FACT:
	case OP_FACTFIELD: case OP_FIELD: case OP_LOCAL: case OP_LOCALFIELD: case OP_MKLIST: case OP_MKREC:
		return true;
	default:
		return false;
	}
}

/* n bytes for lists or records, taken as ctx_alloc takes them: carved
 * from the context's region in place where they fit its chunk and the
 * memory limit and nothing watches allocations (mem_region_fits), else
 * through helper h (nrt_alloc, nrt_alloc_all), which counts, fails or
 * gives NULL where the interpreter would. */
static R alloc_bytes(Gen *g, int h, int n)
{
	Jit *x = g->x;
	LV p = temp(g, x->t_ptr);
	R args[4] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, n)};
	if ((size_t)n > MEM_REGION_MAX) {
		set(g, p, call(g, h, 4, args));
		return rv(p);
	}
	long long step = (long long)MEM_REGION_STEP((size_t)n);
	LV at = CTX(g, region.at, x->t_u64), bytes = CTX(g, bytes, x->t_u64);
	R room = bin(g, GCC_JIT_BINARY_OP_MINUS, x->t_u64, rv(CTX(g, region.end, x->t_u64)), rv(at));
	R watched = rv(at_offset(g, J.context_new_rvalue_from_ptr(g->j, x->t_ptr, (void *)&mem_watched), 0, x->t_int));
	R under = cmp(g, GCC_JIT_COMPARISON_LE, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u64, rv(bytes), cl(g, x->t_u64, n)),
		      rv(CTX(g, max_bytes, x->t_u64)));
	R fits = both(g, both(g, cmp(g, GCC_JIT_COMPARISON_GE, room, cl(g, x->t_u64, step)), cmp(g, GCC_JIT_COMPARISON_EQ, watched, ci(g, 0))), under);
	gcc_jit_block *fast = block(g), *slow = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, fits, fast, slow);
	g->b = fast;
	set(g, bytes, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u64, rv(bytes), cl(g, x->t_u64, n)));
	set(g, p, to_ptr(g, rv(at)));
	set(g, at, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u64, rv(at), cl(g, x->t_u64, step)));
	jump(g, done);
	g->b = slow;
	set(g, p, call(g, h, 4, args));
	jump(g, done);
	g->b = done;
	return rv(p);
}

/* At a list or record made in place: where more follow within the block
 * with only quiet instructions between, the bytes of all of them are taken
 * at once, in one block (nrt_alloc_all), and each is made in its part. */
static void make_group(Gen *g)
{
	int count = 0, bytes = 0;
	for (int pc = g->pc; pc < g->ch->n; pc += 1 + op_words[INS_OP(g->ch->code[pc])]) {
		int n = made_of(g->ch, pc);
		if ((pc > g->pc && g->blocklen[pc]) || !quiet(INS_OP(g->ch->code[pc])) || n == 0)
			break; /* a new block, or an instruction that allocates (an empty list: its own way) */
		if (n > 0) {
			count++;
			bytes += block_bytes(n);
		}
	}
	if (count < 2)
		return;
	g->group = temp(g, g->x->t_ptr);
	set(g, g->group, alloc_bytes(g, H_ALLOC_ALL, bytes));
	g->group_left = count;
	g->group_off = 0;
}

/* A list's or record's bytes: its part of the group's block where there
 * is one (make_group), else a block of its own. */
static R alloc_block(Gen *g, int bytes, bool grouped)
{
	Jit *x = g->x;
	LV p = temp(g, x->t_ptr);
	if (grouped && !g->group_left)
		make_group(g);
	if (!grouped || !g->group_left)
		return alloc_bytes(g, H_ALLOC, bytes);
	gcc_jit_block *part = block(g), *own = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_NE, rv(g->group), J.context_new_rvalue_from_ptr(g->j, x->t_ptr, NULL)), part,
				     own);
	g->b = part;
	set(g, p, byte_address(g, rv(g->group), (size_t)g->group_off));
	jump(g, done);
	g->b = own;
	set(g, p, alloc_bytes(g, H_ALLOC, bytes));
	jump(g, done);
	g->b = done;
	g->group_left--;
	g->group_off += bytes;
	return rv(p);
}

/* A new list or record (their headers are alike) with room for `room`
 * values after the header, in one block, holding n of them so far;
 * grouped: made with others (alloc_block). */
static R new_block(Gen *g, int room, int n, bool grouped)
{
	Jit *x = g->x;
	LV p = temp(g, x->t_ptr);
	set(g, p, alloc_block(g, block_bytes(room), grouped));
	set(g, at_offset(g, rv(p), offsetof(List, len), x->t_u32), J.context_new_rvalue_from_int(g->j, x->t_u32, n));
	set(g, at_offset(g, rv(p), offsetof(List, items), x->t_ptr), byte_address(g, rv(p), sizeof(List)));
	return rv(p);
}

/* Slot k := the Value `head` (a list's or a record's) pointing to p. */
static void set_pointer(Gen *g, int k, Value head, R p)
{
	uint64_t w[2];
	words(head, w);
	set(g, w0(g, k), cl(g, g->x->t_u64, (long long)w[0]));
	set(g, w1(g, k), J.context_new_bitcast(g->j, NULL, p, g->x->t_u64));
}

/* MKLIST and MKREC of n > 0 values from slot k, built in place in one
 * block (the interpreter's take two of the same bytes in all): the
 * constants among the values written as such. */
static void make_in_place(Gen *g, bool rec, int t, int k, int n)
{
	R p = new_block(g, n, n, true);
	for (int i = 0; i < n; i++) {
		const Value *kv = known_constant(g, n - 1 - i);
		if (kv) {
			uint64_t w[2];
			words(*kv, w);
			set_item(g, p, i, cl(g, g->x->t_u64, (long long)w[0]), cl(g, g->x->t_u64, (long long)w[1]));
		} else {
			set_item(g, p, i, rv(w0(g, k + i)), rv(w1(g, k + i)));
		}
	}
	set_pointer(g, k, rec ? (Value){.tag = V_REC, .aux = t} : val_list(NULL), p);
}

/* ACCINIT in place (vm.c: acc_init): accumulator s starts empty, with no
 * unknown met. */
static void acc_init_in_place(Gen *g, int s, int kind)
{
	if (kind == ACC_LIST)
		set_pointer(g, s, val_list(NULL), new_block(g, LIST_FIRST_ROOM, 0, false));
	else
		set_value(g, s, kind == ACC_COUNT ? val_int(0) : kind == ACC_ALL || kind == ACC_ANY ? val_bool(kind == ACC_ALL) : val_unknown(NULL));
	set_value(g, s + 1, val_bool(false));
}

/* ACC in place (vm.c: acc_fold) for the kinds and cases that need no
 * more room, no arithmetic beyond a sum in place and no unknown; the rest
 * on to `slow`.  False for a kind left to the interpreter's code. */
static bool acc_fold_in_place(Gen *g, int s, int kind, gcc_jit_block *slow)
{
	Jit *x = g->x;
	int a = top(g, 0);
	if (kind == ACC_LIST) {
		LV l = temp(g, x->t_ptr), n = temp(g, x->t_u32);
		set(g, l, to_ptr(g, rv(w1(g, s))));
		set(g, n, rv(at_offset(g, rv(l), offsetof(List, len), x->t_u32)));
		R u1 = J.context_new_rvalue_from_int(g->j, x->t_u32, 1);
		R full = both(g, cmp(g, GCC_JIT_COMPARISON_GE, rv(n), J.context_new_rvalue_from_int(g->j, x->t_u32, LIST_FIRST_ROOM)),
			      cmp(g, GCC_JIT_COMPARISON_EQ, bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, x->t_u32, rv(n), bin(g, GCC_JIT_BINARY_OP_MINUS, x->t_u32, rv(n), u1)),
				  J.context_new_rvalue_from_int(g->j, x->t_u32, 0)));
		gcc_jit_block *room = block(g);
		J.block_end_with_conditional(g->b, NULL, full, slow, room);
		g->b = room;
		R items = rv(at_offset(g, rv(l), offsetof(List, items), x->t_vp));
		set(g, J.context_new_array_access(g->j, NULL, items, rv(n)), rv(slot(g, a)));
		set(g, at_offset(g, rv(l), offsetof(List, len), x->t_u32), bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u32, rv(n), u1));
		return true;
	}
	if (kind == ACC_SUM) {
		add_in_place(g, AR_ADD, s, a, slow);
		return true;
	}
	if (kind != ACC_COUNT && kind != ACC_ALL && kind != ACC_ANY)
		return false;
	gcc_jit_block *known = block(g);
	J.block_end_with_conditional(g->b, NULL, is_unknown(g, a), slow, known);
	g->b = known;
	if (kind == ACC_COUNT) {
		set(g, w1(g, s), bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_u64, rv(w1(g, s)), cl(g, x->t_u64, 1)));
		return true;
	}
	/* all: the first false one decides; any: the first true one */
	gcc_jit_block *take = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, cmp(g, kind == ACC_ALL ? GCC_JIT_COMPARISON_EQ : GCC_JIT_COMPARISON_NE, rv(w1(g, a)), cl(g, x->t_u64, 0)), take,
				     done);
	g->b = take;
	copy(g, slot(g, s), slot(g, a));
	jump(g, done);
	g->b = done;
	return true;
}

/* ACCEND in place (vm.c: acc_end) but for min and max (which may fail):
 * the result, unless an unknown was met where all and any are not
 * decided anyway. */
static bool acc_end_in_place(Gen *g, int s, int kind)
{
	if (kind == ACC_MIN || kind == ACC_MAX)
		return false;
	int k = top(g, -1);
	gcc_jit_block *unk = block(g), *result = block(g), *done = block(g), *check = block(g);
	if (kind == ACC_ALL || kind == ACC_ANY) {
		R decided = cmp(g, kind == ACC_ALL ? GCC_JIT_COMPARISON_EQ : GCC_JIT_COMPARISON_NE, rv(w1(g, s)), cl(g, g->x->t_u64, 0));
		J.block_end_with_conditional(g->b, NULL, decided, result, check);
	} else {
		jump(g, check);
	}
	g->b = check;
	J.block_end_with_conditional(g->b, NULL, is_unknown(g, s + 1), unk, result);
	g->b = unk;
	copy(g, slot(g, k), slot(g, s + 1));
	jump(g, done);
	g->b = result;
	copy(g, slot(g, k), slot(g, s));
	jump(g, done);
	g->b = done;
	return true;
}

/* After ACC through the interpreter's code: its accumulator back from
 * the stack. */
static void acc_holds(Gen *g, OpCode op, int a, LV r)
{
	(void)op, (void)a, (void)r;
	unspill(g, INS_A(g->ch->code[g->pc]), 2);
}

/* The accumulator instructions: in place where they can be, else through
 * the interpreter's own code. */
static void emit_acc(Gen *g, OpCode op, int s, int kind)
{
	gcc_jit_block *slow = block(g), *done = g->at[g->pc + 2];
	bool fast = op == OP_ACCINIT ? (acc_init_in_place(g, s, kind), true)
				     : op == OP_ACC ? acc_fold_in_place(g, s, kind, slow) : acc_end_in_place(g, s, kind);
	if (fast)
		jump(g, done);
	else
		jump(g, slow);
	g->b = slow;
	R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), abs_slot(g, s), ci(g, kind), NULL};
	spill(g, s, 2);
	if (op == OP_ACCINIT) {
		J.block_add_eval(g->b, NULL, call(g, H_ACCINIT, 5, args));
	} else if (op == OP_ACC) {
		args[5] = rv(slot(g, top(g, 0)));
		if (kind == ACC_MIN || kind == ACC_MAX) {
			/* they may spend the steps of comparing long values */
			gcc_jit_block *out = block(g);
			weighed_call(g, op, -1, H_ACC, 6, args, NULL, top(g, 0), acc_holds, out);
			g->b = out;
		} else {
			J.block_add_eval(g->b, NULL, call(g, H_ACC, 6, args));
		}
	} else {
		set(g, slot(g, top(g, -1)), call(g, H_ACCEND, 5, args));
	}
	unspill(g, s, 2);
	jump(g, done);
}

/* MKLIST and MKREC: n values on top become one. */
static void emit_make(Gen *g, bool rec, int t, int n)
{
	int k = top(g, n - 1);
	LV v = temp(g, g->x->t_v);
	if (n > 0) {
		make_in_place(g, rec, t, k, n);
		go_next(g, rec ? 2 : 1);
		return;
	}
	if (rec) {
		R args[6] = {g->c, chunk_ptr(g), ci(g, g->pc), ci(g, t), abs_slot(g, k), ci(g, n)};
		set(g, v, call(g, H_MKREC, 6, args));
	} else {
		R args[5] = {g->c, chunk_ptr(g), ci(g, g->pc), abs_slot(g, k), ci(g, n)};
		set(g, v, call(g, H_MKLIST, 5, args));
	}
	copy(g, slot(g, k), v);
	go_next(g, rec ? 2 : 1);
}

/* Constants and locals: the simple instructions that load or store a
 * slot; false for others. */
static bool emit_load(Gen *g, OpCode op, int a)
{
	switch (op) {
	case OP_CONST:
		set_value(g, top(g, -1), g->ch->k[a]);
		return true;
	case OP_TRUE:
	case OP_FALSE:
		set_value(g, top(g, -1), val_bool(op == OP_TRUE));
		return true;
	case OP_UNKNOWN:
		set_value(g, top(g, -1), val_unknown(NULL));
		return true;
	case OP_ASOF: {
		int k = top(g, -1);
		set_value(g, k, val_date(0));
		set(g, w1(g, k), cast(g, cast(g, rv(CTX(g, as_of, g->x->t_int)), g->x->t_i64), g->x->t_u64));
		return true;
	}
	case OP_POP:
		return true;
	case OP_LOCAL: { /* word by word: gcc then reads the words from where they are */
		int k = top(g, -1);
		set(g, w0(g, k), rv(w0(g, a)));
		set(g, w1(g, k), rv(w1(g, a)));
		return true;
	}
	case OP_SETLOCAL:
		copy(g, slot(g, a), slot(g, top(g, 0)));
		return true;
	default:
		return false;
	}
}

/* Facts and fields: the simple instructions that read one; false for
 * others. */
static bool emit_read(Gen *g, OpCode op, int a, int b)
{
	switch (op) {
	case OP_FACT:
		emit_fact(g, top(g, -1), a);
		return true;
	case OP_FIELD:
		emit_field(g, top(g, 0), top(g, 0), a);
		return true;
	case OP_LOCALFIELD:
		emit_field(g, top(g, -1), a, b);
		return true;
	case OP_FACTFIELD:
		emit_fact(g, top(g, -1), a);
		emit_field(g, top(g, -1), top(g, -1), b);
		return true;
	default:
		return false;
	}
}

/* NOT on the slot k: a yes/no turned over in place, anything else (an
 * unknown) left as it is. */
static void emit_not(Gen *g, int k)
{
	gcc_jit_block *isbool = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, tag_is(g, k, V_BOOL), isbool, done);
	g->b = isbool;
	set(g, w1(g, k), cast(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(w1(g, k)), cl(g, g->x->t_u64, 0)), g->x->t_u64));
	jump(g, done);
	g->b = done;
}

/* FALLBACK, after b of `a otherwise b` (a, unknown, in slot k; b in bk):
 * b, or if b is unknown too, an unknown for the facts of both. */
static void emit_fallback(Gen *g, int k, int bk)
{
	gcc_jit_block *unk = block(g), *known = block(g), *done = block(g);
	J.block_end_with_conditional(g->b, NULL, is_unknown(g, bk), unk, known);
	g->b = unk;
	emit_union(g, k, k, bk);
	jump(g, done);
	g->b = known;
	copy(g, slot(g, k), slot(g, bk));
	jump(g, done);
	g->b = done;
}

/* The simple operators: not, is known, the fallback, a date's range and
 * negation; false for others. */
static bool emit_operator(Gen *g, OpCode op, int a, int b)
{
	switch (op) {
	case OP_NOT:
		emit_not(g, top(g, 0));
		return true;
	case OP_IS_KNOWN: {
		int k = top(g, 0);
		set_bool(g, k, cmp(g, GCC_JIT_COMPARISON_NE, tag_of(g, rv(w0(g, k))), cl(g, g->x->t_u64, V_UNKNOWN)));
		return true;
	}
	case OP_FALLBACK:
		emit_fallback(g, top(g, 1), top(g, 0));
		return true;
	case OP_DATEIN:
		emit_datein(g, top(g, -1), g->ch->k[a], g->ch->k[b]);
		return true;
	case OP_NEG: {
		int k = top(g, 0);
		R args[4] = {g->c, chunk_ptr(g), ci(g, g->pc), rv(slot(g, k))};
		set(g, slot(g, k), call(g, H_NEG, 4, args));
		return true;
	}
	default:
		return false;
	}
}

/* The simple instructions, which fall through to the next; false for an
 * instruction this translation does not cover. */
static bool emit_simple(Gen *g, OpCode op, int a, int b)
{
	return emit_load(g, op, a) || emit_read(g, op, a, b) || emit_operator(g, op, a, b);
}

/* The instructions that jump: branches, loops (with their accumulators),
 * cases and tables; false for others. */
static bool emit_flow(Gen *g, OpCode op, int a, int b)
{
	switch (op) {
	case OP_JFALSE_KEEP:
	case OP_JTRUE_KEEP:
		branch_bool(g, top(g, 0), op == OP_JTRUE_KEEP, g->at[a], g->at[g->pc + 1]);
		return true;
	case OP_JKNOWN_KEEP:
		J.block_end_with_conditional(g->b, NULL, is_unknown(g, top(g, 0)), g->at[g->pc + 1], g->at[a]);
		return true;
	case OP_JUMP:
		if (!g->in_loop[g->pc])
			check_interrupt(g);
		jump(g, g->at[a]);
		return true;
	case OP_IFTEST:
		emit_iftest(g, a);
		return true;
	case OP_ITERPREP: {
		int k = top(g, 0);
		gcc_jit_block *known = block(g);
		J.block_end_with_conditional(g->b, NULL, is_unknown(g, k), g->at[b], known);
		g->b = known;
		copy(g, slot(g, a), slot(g, k));
		set_value(g, a + 1, val_int(0));
		go_next(g, 2);
		return true;
	}
	case OP_ITER:
		emit_iter(g, a, b);
		return true;
	case OP_ACCINIT:
	case OP_ACC:
	case OP_ACCEND:
		emit_acc(g, op, a, b);
		return true;
	case OP_FILTER:
		emit_filter(g, a, b);
		return true;
	case OP_JNEK:
		emit_jnek(g, a, b);
		return true;
	case OP_PICK:
		emit_pick(g, a);
		return true;
	case OP_HIT:
		emit_hit(g, a);
		return true;
	default:
		return false;
	}
}

/* Translate the instruction op (operands a, b) at g->pc, into its block. */
static bool emit_op(Gen *g, OpCode op, int a, int b)
{
	if (emit_simple(g, op, a, b)) {
		go_next(g, 1 + op_words[op]);
		return true;
	}
	switch (op) {
	case OP_DECIDE:
		emit_decide(g, a);
		return true;
	case OP_DECIDE_IN:
		emit_decide_in(g, a, b);
		return true;
	case OP_DECIDED:
		emit_decided(g, a);
		return true;
	case OP_CALL:
	case OP_BUILTIN:
		emit_call(g, op == OP_BUILTIN, a, b);
		return true;
	case OP_RETURN: {
		level_up(g);
		steps_out(g);
		finish(g, rv(slot(g, top(g, 0))));
		return true;
	}
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
		emit_arith(g, op == OP_ADD ? AR_ADD : op == OP_SUB ? AR_SUB : op == OP_MUL ? AR_MUL : AR_DIV);
		return true;
	case OP_EQ:
	case OP_NE:
	case OP_EQK:
		emit_equal(g, op, a);
		return true;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
	case OP_GEK:
	case OP_LTK:
		emit_compare(g, op, a);
		return true;
	case OP_AND:
	case OP_OR:
		emit_logic(g, op == OP_AND);
		return true;
	case OP_IN:
		emit_in(g);
		return true;
	case OP_MKLIST:
	case OP_MKREC:
		emit_make(g, op == OP_MKREC, a, op == OP_MKREC ? b : a);
		return true;
	case OP_ERROR: {
		R args[3] = {g->c, chunk_ptr(g), ci(g, g->pc)};
		call_noreturn(g, H_ERROR, 3, args);
		return true;
	}
	case OP_IN_HS:
		emit_in_hs(g, a);
		return true;
	default:
		return emit_flow(g, op, a, b) || emit_replace_top(g, op);
	}
}

/* Translate the instruction at g->pc; false if it is not covered. */
static bool emit_ins(Gen *g)
{
	uint32_t w = g->ch->code[g->pc];
	OpCode op = INS_OP(w);
	int a = INS_A(w), b = op_words[op] ? (int)g->ch->code[g->pc + 1] : 0;
	g->b = g->at[g->pc];
	if (g->blocklen[g->pc]) {
		g->lead = g->pc;
		charge_from(g, g->blocklen[g->pc], g->pc);
		forget_constants(g);
	}
	bool ok = emit_op(g, op, a, b);
	track_constants(g, op, a);
	return ok;
}

/* Whether every reachable instruction of ch is covered. */
static bool covered(const Chunk *ch, const int *depth)
{
	static const OpCode missing[] = {OP_TRACE_COND, OP_TRACE_FACT, OP_TRACE_CASE}; /* explain mode only */
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])]) {
		if (INS_OP(ch->code[pc]) >= OP__COUNT)
			return false;
		for (size_t i = 0; i < sizeof missing / sizeof *missing; i++)
			if (depth[pc] >= 0 && INS_OP(ch->code[pc]) == missing[i])
				return false;
	}
	return ch->n > 0;
}

/* Chunk i of p: decl i, or function i - ndecls. */
static const Chunk *chunk_at(const Program *p, int i)
{
	return i < p->ndecls ? p->dchunk[i] : p->fchunk[i - p->ndecls];
}

/* Declare the function of chunk i, named `name`, if the translation covers
 * it (x->fns[i], else NULL): all are declared before any is translated, so
 * that they call each other directly. */
static void declare(Jit *x, int i, const char *name)
{
	const Chunk *ch = chunk_at(x->p, i);
	x->depths[i] = cg_stack_depths(ch, NULL);
	if (!covered(ch, x->depths[i]))
		return;
	gcc_jit_param *params[2] = {J.context_new_param(x->j, NULL, x->t_ptr, "c"), J.context_new_param(x->j, NULL, x->t_int, "base")};
	x->fns[i] = J.context_new_function(x->j, NULL, GCC_JIT_FUNCTION_EXPORTED, x->t_v, name, 2, params, 0);
}

/* Entering the chunk, as the interpreter's enter does: in place while
 * within the depth limit, above the thread's stack floor (the address of
 * a local of the function says how low it is) and within the value
 * stack's room, else through it (which grows the stack or fails). */
static void enter_frame(Gen *g, R base_param, bool decision)
{
	Jit *x = g->x;
	LV depth = temp(g, x->t_int), here = temp(g, x->t_u8);
	/* a decision's frame starts at the stack top, a function's at the base
	 * it is given (native.h), known here without a test; a task's at the
	 * bottom of the stack */
	set(g, g->base, g->task >= 0 ? ci(g, 0) : decision ? rv(CTX(g, stack_top, x->t_int)) : base_param);
	gcc_jit_block *slow = block(g), *go = block(g);
	set(g, depth, rv(CTX(g, depth, x->t_int)));
	/* a level deeper at once, and back where the checks fail: the way in
	 * that passes them a straight line */
	set(g, CTX(g, depth, x->t_int), bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_int, rv(depth), ci(g, 1)));
	R room = cmp(g, GCC_JIT_COMPARISON_LE, bin(g, GCC_JIT_BINARY_OP_PLUS, x->t_int, rv(g->base), ci(g, g->ch->nlocals + g->ch->maxstack)),
		     rv(CTX(g, cap, x->t_int)));
	R above = cmp(g, GCC_JIT_COMPARISON_GE, cast(g, J.lvalue_get_address(here, NULL), x->t_ptr), rv(CTX(g, stack_floor, x->t_ptr)));
	R within = both(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(depth), ci(g, VM_MAX_DEPTH)), above);
	J.block_end_with_conditional(g->b, NULL, both(g, within, room), go, slow);
	g->b = slow;
	set(g, CTX(g, depth, x->t_int), rv(depth));
	R args[3] = {g->c, chunk_ptr(g), base_param};
	set(g, g->base, call(g, H_ENTER, 3, args));
	jump(g, go);
	g->b = go;
}

/* Whether the instruction ends a block: it may jump, or it spends steps
 * of its own.  Decisions, functions and builtins called within a block
 * hand the rest of its steps back around the call (before_call). */
static bool ends_block(OpCode op)
{
	switch (op) {
	case OP_JUMP: case OP_JFALSE_KEEP: case OP_JTRUE_KEEP: case OP_JKNOWN_KEEP: case OP_IFTEST:
	case OP_ITERPREP: case OP_ITER: case OP_FILTER: case OP_JNEK: case OP_DECIDE_IN: case OP_PICK: case OP_HIT: case OP_RETURN: case OP_ERROR:
	case OP_IN: case OP_IN_HS: case OP_SCALE: case OP_AT:
		return true;
	default:
		return false;
	}
}

/* Mark the places the instruction at pc may jump to. */
static void mark_targets(const Chunk *ch, int pc, bool *lead)
{
	uint32_t w = ch->code[pc];
	OpCode op = INS_OP(w);
	int a = INS_A(w), b = op_words[op] ? (int)ch->code[pc + 1] : 0;
	switch (op) {
	case OP_JUMP: case OP_JFALSE_KEEP: case OP_JTRUE_KEEP: case OP_JKNOWN_KEEP:
		lead[a] = true;
		break;
	case OP_IFTEST:
		lead[a] = lead[pc + 2] = true;
		break;
	case OP_ITERPREP: case OP_ITER: case OP_FILTER: case OP_JNEK: case OP_DECIDE_IN:
		lead[b] = true;
		break;
	case OP_PICK:
		for (int i = 0; i < ch->cases[a]->n; i++)
			lead[ch->cases[a]->target[i]] = true;
		lead[ch->cases[a]->end] = true;
		break;
	case OP_HIT:
		lead[ch->cases[a]->end] = true;
		break;
	default:
		break;
	}
}

/* The blocks of ch: per word, at each block's first instruction, how many
 * instructions it has (it runs them all or fails within them); else 0. */
static int *blocks(const Chunk *ch, const int *depth)
{
	bool *lead = GC_MALLOC_ATOMIC((size_t)ch->n + 2);
	memset(lead, 0, (size_t)ch->n + 2);
	lead[0] = true;
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
		if (depth[pc] >= 0) {
			mark_targets(ch, pc, lead);
			if (ends_block(INS_OP(ch->code[pc])))
				lead[pc + 1 + op_words[INS_OP(ch->code[pc])]] = true;
		}
	int *len = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(ch->n + 1));
	memset(len, 0, sizeof(int) * (size_t)(ch->n + 1));
	int start = -1;
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])]) {
		if (lead[pc])
			start = depth[pc] >= 0 ? pc : -1;
		if (start >= 0)
			len[start]++;
	}
	return len;
}

/* Per word of ch: whether it lies in the body of a loop (after its ITER,
 * before the word it leaves by).  Each pass round a loop runs its ITER,
 * which looks at the interrupt flag, so the jumps within need not: the
 * flag is noticed once an iteration, at the loop's head. */
static bool *loop_bodies(const Chunk *ch, const int *depth)
{
	bool *in = GC_MALLOC_ATOMIC((size_t)ch->n + 1);
	memset(in, 0, (size_t)ch->n + 1);
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
		if (depth[pc] >= 0 && INS_OP(ch->code[pc]) == OP_ITER)
			for (int to = (int)ch->code[pc + 1], k = pc + 2; k < to && k < ch->n; k++)
				in[k] = true;
	return in;
}

/* A task function's way in: its decision's value where the memo has it;
 * else the decision marked as being decided (at the top, where a task
 * starts, none is, so there is no cycle to look for). */
static void task_entry(Gen *g)
{
	gcc_jit_block *hit = block(g), *miss = block(g);
	J.block_end_with_conditional(g->b, NULL, memo_hit(g, g->task), hit, miss);
	J.block_end_with_return(hit, NULL, rv(memo_of(g, g->task)));
	g->b = miss;
	set(g, state_of(g, g->task), J.context_new_rvalue_from_int(g->j, g->x->t_u8, DS_DECIDING));
}

/* Translate chunk i into its declared function, or (task) decision i's
 * chunk into its task function. */
static void translate(Jit *x, int i, bool task)
{
	const Chunk *ch = chunk_at(x->p, i);
	int *depth = x->depths[i];
	Gen g = {.x = x, .j = x->j, .ch = ch, .depth = depth, .blocklen = blocks(ch, depth), .in_loop = loop_bodies(ch, depth), .nl = ch->nlocals, .fn = task ? x->tasks[i] : x->fns[i], .task = task ? i : -1};
	gcc_jit_param *params[2] = {J.function_get_param(g.fn, 0), J.function_get_param(g.fn, 1)};
	g.c = J.param_as_rvalue(params[0]);
	g.base = J.function_new_local(g.fn, NULL, x->t_int, "b");
	g.L = J.function_new_local(g.fn, NULL, x->t_vp, "L");
	g.budget = J.function_new_local(g.fn, NULL, x->t_i64, "budget");
	g.dummy = J.function_new_local(g.fn, NULL, x->t_v, "none");
	g.where = J.function_new_local(g.fn, NULL, x->t_int, "where");
	g.konst = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(ch->maxstack + 1));
	g.nops = ch->maxstack + 1;
	g.ops = GC_MALLOC(sizeof(LV) * (size_t)g.nops);
	for (int d = 0; d < g.nops; d++) {
		char name[24];
		snprintf(name, sizeof name, "o%d", d);
		g.ops[d] = J.function_new_local(g.fn, NULL, x->t_v, name);
	}
	forget_constants(&g);
	g.b = block(&g); /* the first block is the entry */
	g.at = GC_MALLOC(sizeof(gcc_jit_block *) * (size_t)(ch->n + 1));
	for (int pc = 0; pc < ch->n; pc++)
		if (depth[pc] >= 0)
			g.at[pc] = block(&g);
	if (task)
		task_entry(&g);
	enter_frame(&g, J.param_as_rvalue(params[1]), i < x->p->ndecls);
	reload(&g);
	steps_in(&g);
	jump(&g, g.at[0]);
	for (g.pc = 0; g.pc < ch->n; g.pc += 1 + op_words[INS_OP(ch->code[g.pc])])
		if (depth[g.pc] >= 0)
			emit_ins(&g); /* covered() said it would */
}

/* ----------------------------------------------------------- compile */

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

/* Mark in need[] (decls, then functions) what the roots decide and call,
 * directly or not: a walk over their code; in task[] (decls) what they
 * decide first (a query naming a decision starts by deciding it, and
 * evaluations run it as a task), which have task functions. */
static void reach(const Program *p, const Chunk *const *roots, int nroots, bool *need, bool *task)
{
	int *work = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(p->ndecls + p->nfuncs + 1)), nwork = 0;
	for (int r = -nroots; r < nwork; r++) {
		const Chunk *ch = r < 0 ? roots[r + nroots] : chunk_at(p, work[r]);
		for (int pc = 0; ch && pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])]) {
			OpCode op = INS_OP(ch->code[pc]);
			int a = INS_A(ch->code[pc]);
			int i = op == OP_DECIDE || op == OP_DECIDE_IN ? a : op == OP_CALL ? p->ndecls + a : -1;
			if (r < 0 && pc == 0 && i >= 0 && i < p->ndecls)
				task[i] = true;
			if (i >= 0 && i < p->ndecls + p->nfuncs && !need[i]) {
				need[i] = true;
				work[nwork++] = i;
			}
		}
	}
}

/* The name of chunk i's function in the library (edict_dN for decision N,
 * edict_fN for function N), or with task, of decision i's task function
 * (edict_tN), in name. */
static const char *fn_name(const Program *p, int i, bool task, char name[32])
{
	snprintf(name, 32, "edict_%c%d", task ? 't' : i < p->ndecls ? 'd' : 'f', i < p->ndecls ? i : i - p->ndecls);
	return name;
}

/* Declare the task function of decision d, where it is in machine code. */
static void declare_task(Jit *x, int d)
{
	char name[32];
	fn_name(x->p, d, true, name);
	gcc_jit_param *params[2] = {J.context_new_param(x->j, NULL, x->t_ptr, "c"), J.context_new_param(x->j, NULL, x->t_int, "base")};
	x->tasks[d] = J.context_new_function(x->j, NULL, GCC_JIT_FUNCTION_EXPORTED, x->t_v, name, 2, params, 0);
}

/* Translate the chunks needed (need NULL: all), and the task functions of
 * the decisions in task[] (NULL: none: compiling every decision twice
 * would nearly double the compile for the decisions no evaluation runs as
 * a task), each named by fn_name; how many chunks. */
static int translate_all(Jit *x, const Program *p, const bool *need, const bool *task)
{
	int n = 0, all = p->ndecls + p->nfuncs;
	x->p = p;
	x->fns = GC_MALLOC(sizeof(gcc_jit_function *) * (size_t)(all + 1));
	x->tasks = GC_MALLOC(sizeof(gcc_jit_function *) * (size_t)(p->ndecls + 1));
	x->depths = GC_MALLOC(sizeof(int *) * (size_t)(all + 1));
	for (int i = 0; i < all; i++) {
		if (!chunk_at(p, i) || (need && !need[i]))
			continue;
		char name[32];
		declare(x, i, fn_name(p, i, false, name));
		if (x->fns[i]) {
			n++;
			if (i < p->ndecls && task && task[i])
				declare_task(x, i);
		}
	}
	for (int i = 0; i < all; i++)
		if (x->fns[i]) {
			translate(x, i, false);
			if (i < p->ndecls && x->tasks[i])
				translate(x, i, true);
		}
	return n;
}

/* ------------------------------------------------ the child process */

/* The compile runs in a child process of its own (fork), which builds the
 * code, has gcc write it as a shared library into a folder of its own, and
 * ends; this process then loads the library.  The child is a copy of this
 * process, so the code's addresses (the interpreter's helpers, the chunks,
 * the constants) hold here too.  What gcc does to a process as it runs
 * stays in the child: it sets the locale from the environment
 * (setlocale, which must not run while other threads use the locale), and
 * it waits for its assembler and linker; a crash of the compiler is the
 * child's.  So other threads may evaluate meanwhile (edict.h).
 *
 * Built with AddressSanitizer, the compile runs in this process (the
 * same steps, then the same library loaded): a child of a threaded
 * process cannot allocate through the sanitizer's allocator, whose lock
 * another thread may have held as it forked.  There gcc's locale is put
 * back after it, and compiling is for before other threads start. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NATIVE_IN_PROCESS 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NATIVE_IN_PROCESS 1
#endif

/* When the program's native code is garbage, the library that holds the
 * code goes. */
static void unload(void *obj, void *lib)
{
	(void)obj;
	dlclose(lib);
}

/* Decision or function i's function in the library, or NULL; its task
 * function with task. */
static NativeFn lookup(void *lib, const Program *p, int i, bool task)
{
	char name[32];
	void *code = dlsym(lib, fn_name(p, i, task, name));
	NativeFn fn;
	memcpy(&fn, &code, sizeof code);
	return fn;
}

/* Load the library at `so` and attach its functions to p: how many
 * decisions and functions are in machine code (the task functions,
 * another way into the same code, not counted); 0 with *why set when
 * none. */
static int attach(Program *p, const char *so, const char **why)
{
	void *lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		*why = xprintf("the machine code could not be loaded: %s", dlerror());
		return 0;
	}
	/* an object of its own (not a load's arena), for its finalizer */
	Native *nat = GC_malloc(sizeof *nat);
	if (!nat) {
		dlclose(lib);
		pr_throw(ST_MEMORY);
	}
	nat->dfn = GC_MALLOC(sizeof(NativeFn) * (size_t)(p->ndecls + 1));
	nat->ffn = GC_MALLOC(sizeof(NativeFn) * (size_t)(p->nfuncs + 1));
	nat->tfn = GC_MALLOC(sizeof(NativeFn) * (size_t)(p->ndecls + 1));
	nat->nchunks = p->ndecls + p->nfuncs;
	for (int i = 0; i < nat->nchunks; i++) {
		NativeFn fn = lookup(lib, p, i, false);
		*(i < p->ndecls ? &nat->dfn[i] : &nat->ffn[i - p->ndecls]) = fn;
		nat->ndone += fn != NULL;
		if (i < p->ndecls)
			nat->tfn[i] = lookup(lib, p, i, true);
	}
	if (!nat->ndone) {
		dlclose(lib);
		*why = "the machine code holds no decision or function";
		return 0;
	}
	GC_REGISTER_FINALIZER(nat, unload, lib, NULL, NULL);
	/* published whole: a reader sees all of it or nothing */
	__atomic_store_n(&p->native, nat, __ATOMIC_RELEASE);
	return nat->ndone;
}

/* One compile: what it is for, and what came of it. */
typedef struct Build {
	Program *p;
	const Chunk *const *roots;
	int nroots;
	const char *so; /* where the child writes the library */
	Jit x;
	const char *why;
} Build;

static gcc_jit_context *new_context(void)
{
	gcc_jit_context *j = J.context_acquire();
	if (!j)
		return NULL;
	/* gcc's -O1: -O0 makes code no faster than the interpreter, -O2 takes
	 * twice as long for nothing more (EDICT_JIT_O=0..3 to measure it again) */
	const char *level = getenv("EDICT_JIT_O");
	int o = level && level[0] >= '0' && level[0] <= '3' && !level[1] ? level[0] - '0' : 1;
	J.context_set_int_option(j, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, o);
	J.context_set_bool_print_errors_to_stderr(j, 0); /* the library never prints */
	J.context_set_bool_allow_unreachable_blocks(j, 1); /* a jump table's last resort */
	return j;
}

/* In the child: translate what the roots reach and have gcc write it to
 * b->so; b->why says why not. */
static void child_body(void *ud)
{
	Build *b = ud;
	Program *p = b->p;
	if (!(b->x.j = new_context())) {
		b->why = "libgccjit could not start";
		return;
	}
	make_types(&b->x);
	bool *need = NULL, *task = NULL;
	if (b->roots) {
		need = GC_MALLOC_ATOMIC((size_t)(p->ndecls + p->nfuncs + 1));
		memset(need, 0, (size_t)(p->ndecls + p->nfuncs + 1));
		task = GC_MALLOC_ATOMIC((size_t)p->ndecls + 1);
		memset(task, 0, (size_t)p->ndecls + 1);
		reach(p, b->roots, b->nroots, need, task);
	}
	if (translate_all(&b->x, p, need, task) == 0) {
		b->why = "no decision or function is covered by the native tier";
		return;
	}
	J.context_compile_to_file(b->x.j, GCC_JIT_OUTPUT_KIND_DYNAMIC_LIBRARY, b->so);
	const char *err = J.context_get_first_error(b->x.j);
	if (err) {
		b->why = xprintf("the compiler failed: %s", err);
		return;
	}
	/* EDICT_JIT_DUMP=FILE: the generated code as assembler, to read it;
	 * written after the code is made, so that a file it cannot write
	 * leaves the machine code as it is */
	const char *dump = getenv("EDICT_JIT_DUMP");
	if (dump && *dump)
		J.context_compile_to_file(b->x.j, GCC_JIT_OUTPUT_KIND_ASSEMBLER, dump);
}

#ifdef NATIVE_IN_PROCESS
/* The locale category's setting now, a copy (setlocale reuses its
 * string). */
static const char *locale_now(int category)
{
	const char *l = setlocale(category, NULL);
	return l ? xprintf("%s", l) : NULL;
}

/* Run the compile here, as the child would: b->why NULL when it wrote the
 * library. */
static void compile_code(Build *b)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	const char *ctype = locale_now(LC_CTYPE), *messages = locale_now(LC_MESSAGES);
	int st = pr_call(child_body, b);
	if (ctype)
		setlocale(LC_CTYPE, ctype);
	if (messages)
		setlocale(LC_MESSAGES, messages);
	if (b->x.j)
		J.context_release(b->x.j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (st != ST_OK)
		b->why = "out of memory"; /* as the child says it */
}
#else
/* The child process: the compile, with every signal held (a host's timer
 * or Ctrl-C would make gcc's driver give up; this process's parent
 * decides what they mean), and its outcome written to fd: "ok", or why
 * not.  It never returns. */
#ifdef EDICT_COVERAGE
/* gcov's own: the coverage build's child starts its counts from nothing
 * and writes them before it ends, which _exit would not. */
void __gcov_reset(void);
void __gcov_dump(void);
#endif

static _Noreturn void child_main(Build *b, int fd)
{
#ifdef EDICT_COVERAGE
	__gcov_reset();
#endif
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	GC_disable(); /* a short life, alone: nothing to collect for */
	int st = pr_call(child_body, b);
	const char *said = st != ST_OK ? "out of memory" : b->why ? b->why : "ok";
	for (size_t n = strlen(said), off = 0; off < n;) {
		ssize_t w = write(fd, said + off, n - off);
		if (w < 0 && errno != EINTR)
			break;
		off += w > 0 ? (size_t)w : 0;
	}
#ifdef EDICT_COVERAGE
	__gcov_dump();
#endif
	_exit(b->why || st != ST_OK ? 1 : 0);
}

/* What the child said on fd, read until it ended (its end of the pipe
 * closed): the first kilobyte of it. */
static const char *child_said(int fd)
{
	char buf[1024], rest[256];
	size_t n = 0;
	for (;;) {
		bool full = n == sizeof buf - 1;
		ssize_t r = full ? read(fd, rest, sizeof rest) : read(fd, buf + n, sizeof buf - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += full ? 0 : (size_t)r;
	}
	buf[n] = '\0';
	return xprintf("%s", buf);
}

/* Run the compile in a child process and wait for it: b->why NULL when
 * it wrote the library. */
static void compile_code(Build *b)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		b->why = xprintf("cannot start the compiler: %s", strerror(errno));
		return;
	}
	GC_atfork_prepare(); /* so that the child may allocate */
	pid_t pid = fork();
	if (pid == 0) {
		GC_atfork_child();
		close(fds[0]);
		child_main(b, fds[1]);
	}
	GC_atfork_parent();
	close(fds[1]);
	if (pid < 0) {
		b->why = xprintf("cannot start the compiler: %s", strerror(errno));
		close(fds[0]);
		return;
	}
	const char *said = child_said(fds[0]);
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		; /* ECHILD: a host that reaps its children itself */
	b->why = strcmp(said, "ok") == 0 ? NULL : *said ? said : "the compiler ended without saying why";
}
#endif

/* A folder for the child's library: under TMPDIR, else /tmp. */
static const char *new_folder(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xprintf("%s/edict-native-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir);
}

static void build_body(void *ud)
{
	Build *b = ud;
	const char *dir = new_folder();
	if (!dir) {
		b->why = xprintf("cannot make a folder for the machine code: %s", strerror(errno));
		return;
	}
	b->so = xprintf("%s/code.so", dir);
	compile_code(b);
	if (!b->why)
		attach(b->p, b->so, &b->why);
	unlink(b->so); /* loaded, the library needs no file */
	rmdir(dir);
}

bool native_beside_threads(void)
{
#ifdef NATIVE_IN_PROCESS
	return false;
#else
	return true;
#endif
}

int native_compile(Program *p, const Chunk *const *roots, int nroots, const char **why)
{
	if (why)
		*why = NULL;
	if (prog_native(p))
		return prog_native(p)->ndone;
	if (!native_available()) {
		if (why)
			*why = "libgccjit (libgccjit.so.0) is not installed";
		return 0;
	}
	pthread_once(&pow10_once, fill_pow10); /* the code reads this process's table */
	pthread_mutex_lock(&compile_lock);
	Build b = {.p = p, .roots = roots, .nroots = nroots};
	int st = prog_native(p) ? ST_OK : pr_call(build_body, &b); /* or another thread just compiled it */
	pthread_mutex_unlock(&compile_lock);
	if (why)
		*why = st == ST_OK ? b.why : "out of memory";
	if (st != ST_OK)
		pr_pass(st);
	return prog_native(p) ? prog_native(p)->ndone : 0;
}

#else /* no libgccjit header at build time: everything is interpreted */

bool native_available(void)
{
	return false;
}

bool native_beside_threads(void)
{
	return true; /* nothing is compiled */
}

int native_compile(Program *p, const Chunk *const *roots, int nroots, const char **why)
{
	(void)p, (void)roots, (void)nroots;
	if (why)
		*why = "this build of Edict has no native tier (built without libgccjit)";
	return 0;
}

#endif
