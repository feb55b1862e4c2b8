/*
 * vmrt.h - the interpreter's operations that native code calls.
 *
 * Native code (native.c) runs a chunk's instructions itself where they are
 * simple and calls these for the rest: each is the interpreter's own code
 * for that instruction, so the two tiers cannot drift apart.  `ch` and `pc`
 * (the word index of the instruction) give the location for errors, which
 * unwind as they do from the interpreter.  Slots are indexes into the
 * context's value stack (absolute, not frame-relative).
 */
#ifndef EDICT_VMRT_H
#define EDICT_VMRT_H

#include "ctx.h"

/* A list accumulator (ACCINIT) starts with room for LIST_FIRST_ROOM items
 * in its own block, after the List; an item added at a length of
 * LIST_FIRST_ROOM or more that is a power of two first doubles the room
 * (vm.c: list_grow).  Native code adds items in place where no room is
 * needed, by this rule. */
#define LIST_FIRST_ROOM 4

/* Whether an item added to a list accumulator of length n needs more room
 * first, by that rule. */
static inline bool list_full(uint32_t n)
{
	return n >= LIST_FIRST_ROOM && (n & (n - 1)) == 0;
}

/* Entering a chunk: the depth limit, the stack; returns the frame's base. */
int nrt_enter(Ctx *c, const Chunk *ch, int base);
/* Go on with the chunk entered at base in the interpreter, from word pc
 * with depth values on its operand stack, to its RETURN (where the steps
 * left may run out within the next instructions: the interpreter stops
 * exactly where it would have). */
Value nrt_resume(Ctx *c, const Chunk *ch, int base, int pc, int depth);
/* DECIDE on a miss of the memo; top: where the decision's frame starts. */
Value nrt_decide(Ctx *c, const Chunk *ch, int pc, int d, int top);
/* CALL of function f (non-explain) with its arguments from slot nb. */
Value nrt_call(Ctx *c, int f, int nb);
/* BUILTIN bi over argc values from slot nb. */
Value nrt_builtin(Ctx *c, const Chunk *ch, int pc, int bi, int nb, int argc);
/* ADD, SUB, MUL, DIV (op: an ArOp) and NEG, beyond the in-place cases. */
Value nrt_arith(Ctx *c, const Chunk *ch, int pc, int op, Value a, Value b);
Value nrt_neg(Ctx *c, const Chunk *ch, int pc, Value a);
/* The order (-1, 0, 1) and equality of two known values, and IN of a in
 * the list l (both known), beyond the in-place cases.  Each spends the
 * steps of comparing long values (arith.h: ar_compare_steps, before it;
 * ar_in_within, as it goes) from c->steps, which native code brings up to
 * date before a comparison that may spend any. */
int nrt_compare(Ctx *c, const Chunk *ch, int pc, Value a, Value b);
int nrt_equal(Ctx *c, const Chunk *ch, int pc, Value a, Value b);
Value nrt_in(Ctx *c, const Chunk *ch, int pc, Value a, const List *l);
/* MKLIST and MKREC of n values from slot nb. */
Value nrt_mklist(Ctx *c, const Chunk *ch, int pc, int nb, int n);
Value nrt_mkrec(Ctx *c, const Chunk *ch, int pc, int t, int nb, int n);
/* n bytes from the collector for a list or record that native code fills
 * in itself (pointers allowed), counted against the memory limit: where
 * that is reached, the error is placed at the instruction. */
void *nrt_alloc(Ctx *c, const Chunk *ch, int pc, int n);
/* n bytes for the lists and records that several instructions build (n:
 * all their bytes), or NULL where that passes the memory limit: then each
 * instruction allocates its own and fails where the interpreter would. */
void *nrt_alloc_all(Ctx *c, const Chunk *ch, int pc, int n);
/* ACCINIT, ACC, ACCEND on the accumulator in slot s. */
void nrt_accinit(Ctx *c, const Chunk *ch, int pc, int s, int kind);
void nrt_acc(Ctx *c, const Chunk *ch, int pc, int s, int kind, Value a);
Value nrt_accend(Ctx *c, const Chunk *ch, int pc, int s, int kind);
/* FILTER with a condition that is not a truth value: note its facts in
 * the marker slot. */
void nrt_filter_unknown(Ctx *c, int marker, Value a);
/* DECIDE_IN where decision d is not in the memo, or is being decided
 * already, or the context has no room for a level deeper. */
void nrt_into_line(Ctx *c, const Chunk *ch, int pc, int d);
/* JNEK's test: whether a is still the constant k (1) or not (0). */
int nrt_still_const(Ctx *c, const Chunk *ch, int pc, Value a, Value k);
/* PICK with case table t of ch, the frame at base: the address to go on
 * at, or -1 with the unknown written to slot top. */
int nrt_pick(Ctx *c, const Chunk *ch, int pc, int t, int base, int top);
/* HIT with gathering table t of ch over the list a (known): 1 with the
 * result in *slot top (go past the default row), 0: on to the default. */
int nrt_hit(Ctx *c, const Chunk *ch, int pc, int t, Value a, int top);
/* MKENUM (the member from the instruction's constant), MEMBER and
 * ENUMDATA (data: 0, 1), IN_HS (a and b known; 0 or 1), AT, SCALE. */
Value nrt_mkenum(Ctx *c, const Chunk *ch, int pc, Value v);
Value nrt_enum_part(Value v, int data);
int nrt_hs_in(int kind, Value a, Value b);
Value nrt_at(Ctx *c, const Chunk *ch, int pc, Value s, Value when);
Value nrt_scale(Ctx *c, const Chunk *ch, int pc, Value v);
/* ERROR, the step limit and an interrupt, at the instruction. */
_Noreturn void nrt_error(Ctx *c, const Chunk *ch, int pc);
_Noreturn void nrt_steps_out(Ctx *c, const Chunk *ch, int pc);
_Noreturn void nrt_interrupted(Ctx *c, const Chunk *ch, int pc);

#endif
