/*
 * opcodes.h - every VM instruction, defined once.
 *
 * An instruction is one 32-bit word: the opcode in the low 8 bits and an
 * operand A in the high 24.  Instructions marked "+1 word" take a second
 * operand B in the following word.  Each line gives the name, the number of
 * operand words after the first (0 or 1), the stack effect when it goes on
 * to the next instruction (VAR: it depends on an operand; the code
 * generator's stack analysis, cg_max_stack, handles those and the jumps),
 * and what it does.  The enum, the name table, the operand sizes, the stack
 * effects and the disassembler (disasm.c) are all generated from this list;
 * the meaning of each opcode is written again, in full, above its case in
 * vm.c.
 *
 * Notation: S = the stack, top last; L[n] = frame slot n; K[n] = constant n;
 * U = unknown.  Every operation on U yields U (carrying the union of the
 * facts it depends on), except where Kleene logic decides without it.
 */
#ifndef EDICT_OPCODES_H
#define EDICT_OPCODES_H

#include <stdint.h>

/* The stack effect of an instruction whose effect depends on its operands. */
#define VAR 99

#define EDICT_OPCODES(X)                                                                    \
	X(CONST, 0, 1, "push K[A]")                                                          \
	X(TRUE, 0, 1, "push true")                                                           \
	X(FALSE, 0, 1, "push false")                                                         \
	X(UNKNOWN, 0, 1, "push unknown")                                                     \
	X(ASOF, 0, 1, "push the evaluation's as-of date")                                    \
	X(POP, 0, -1, "pop one value")                                                       \
	X(LOCAL, 0, 1, "push L[A]")                                                          \
	X(SETLOCAL, 0, -1, "L[A] := pop")                                                    \
	X(FACT, 0, 1, "push fact root A")                                                    \
	X(FIELD, 0, 0, "replace the record on top with its field in slot A")                  \
	X(LOCALFIELD, 1, 1, "push field B of the record in L[A] (superinstruction)")          \
	X(FACTFIELD, 1, 1, "push field B of fact root A (superinstruction)")                  \
	X(DECIDE, 0, 1, "push the value of decision A, evaluating it once per evaluation")    \
	X(DECIDE_IN, 1, 0, "decision A compiled in line: in the memo, push it and jump to B (past its DECIDED); else on into its code") \
	X(DECIDED, 0, 0, "the top is decision A's value, decided in line: into the memo")   \
	X(CALL, 1, VAR, "call function A with B arguments from S; push its result")           \
	X(BUILTIN, 1, VAR, "call builtin A with B arguments from S; push its result")          \
	X(RETURN, 0, VAR, "return the top of S from this chunk")                              \
	X(ADD, 0, -1, "a + b")                                                               \
	X(SUB, 0, -1, "a - b")                                                               \
	X(MUL, 0, -1, "a * b")                                                               \
	X(DIV, 0, -1, "a / b")                                                               \
	X(NEG, 0, 0, "-a")                                                                   \
	X(EQ, 0, -1, "a = b")                                                                \
	X(NE, 0, -1, "a != b")                                                               \
	X(LT, 0, -1, "a < b")                                                                \
	X(LE, 0, -1, "a <= b")                                                               \
	X(GT, 0, -1, "a > b")                                                                \
	X(GE, 0, -1, "a >= b")                                                               \
	X(GEK, 0, 0, "a >= K[A] (superinstruction for threshold tests)")                      \
	X(LTK, 0, 0, "a < K[A] (superinstruction for threshold tests)")                       \
	X(EQK, 0, 0, "a = K[A], a known constant (superinstruction)")                         \
	X(NOT, 0, 0, "Kleene not")                                                           \
	X(AND, 0, -1, "Kleene and of a and b")                                               \
	X(OR, 0, -1, "Kleene or of a and b")                                                 \
	X(JFALSE_KEEP, 0, 0, "if top is false jump to A, keeping it (and short-circuit)")    \
	X(JTRUE_KEEP, 0, 0, "if top is true jump to A, keeping it (or short-circuit)")       \
	X(JUMP, 0, 0, "jump to A")                                                           \
	X(IFTEST, 0, -1, "pop c: true: skip the next word; false: jump to A; U: push c and run the next word (a JUMP past the if)") \
	X(JKNOWN_KEEP, 0, 0, "if top is not U jump to A keeping it (otherwise)")            \
	X(JNEK, 1, -1, "if top is K[A]: pop it; else (U too) jump to B keeping it (an unrolled loop's guard)") \
	X(FALLBACK, 0, -1, "a otherwise b, after b: b, or if b is U too, U for the facts of both") \
	X(IN, 0, -1, "a in list b")                                                          \
	X(IN_HS, 0, -1, "tariff code a in chapter/heading/subheading b (A = which); b may be a list") \
	X(IS_KNOWN, 0, 0, "true if top is not U (never U)")                                  \
	X(MKLIST, 0, VAR, "pop A values into a new list")                                     \
	X(MKREC, 1, VAR, "pop B values into a new record of type A")                          \
	X(MKENUM, 0, 0, "replace the top with member K[A] carrying it (U stays U)")           \
	X(MEMBER, 0, 0, "replace the member on top with the same member without its value")  \
	X(ENUMDATA, 0, 0, "replace the member on top with the value it carries")              \
	X(ITERPREP, 1, -1, "pop a list into L[A] and reset its cursor L[A+1]; U: push it and jump to B") \
	X(ITER, 1, 0, "if the list L[A] has more items: L[A+2] := next; else jump to B")     \
	X(ACCINIT, 1, 0, "reset accumulator L[A] and its unknown-marker L[A+1] for kind B")                   \
	X(FILTER, 1, -1, "pop c: true: go on; false: jump to B; U: note it in L[A] and jump to B") \
	X(ACC, 1, -1, "fold pop into accumulator L[A] (B = kind: list, sum, count, min, max, all, any)") \
	X(ACCEND, 1, 1, "push the accumulated result of L[A] (B = kind)")                    \
	X(PICK, 0, VAR, "choose among the case conditions in L: case table A; jumps to the chosen body") \
	X(HIT, 0, VAR, "reduce the list on top by the policy of gathering table A; none and a default: go on to it; else jump past it") \
	X(DATEIN, 1, 1, "push whether as-of is within [K[A], K[B]) (either may be unknown = open)") \
	X(AT, 1, -1, "pop a date; replace the dated values below it by the value they hold then (K[A] = the fact's path; B = 1: record it for explanations)") \
	X(SCALE, 0, 0, "replace the scale description on top with its brackets in force at as-of") \
	X(ERROR, 0, VAR, "raise runtime error message K[A]")                                   \
	X(TRACE_COND, 0, 0, "explain mode: record condition node A with the value on top")    \
	X(TRACE_FACT, 0, 0, "explain mode: record fact path K[A] with the value on top")      \
	X(TRACE_CASE, 0, 0, "explain mode: record that case A of this decision applied")

/*
 * Superinstructions the interpreter runs in place of a common sequence
 * (or of one instruction with common operands).
 * The code generator marks the first instruction of the sequence with one
 * of these opcodes (compile.c: fuse) and leaves every word as it was, operands and
 * the instructions after it included: only the interpreter's dispatch sees
 * the mark, everything else (INS_OP: the disassembler, the stack analysis,
 * native code) sees the first instruction itself.  The interpreter runs the
 * whole sequence in one dispatch where its common case holds (values that
 * compare in place, steps enough for all of it), charging a step for each
 * instruction, and otherwise runs the first instruction alone and goes on
 * with the others as they are; so a jump into the sequence, an error, the
 * step limit and an interrupt behave as without it.
 * Each line: the name, the first instruction, what it runs.
 */
#define EDICT_FUSED(X)                                                                      \
	X(LOCAL_EQK_IFTEST, LOCAL, "LOCAL EQK IFTEST: `if x = 6 then` on a local")              \
	X(NOT_FILTER, NOT, "NOT FILTER: `where not c` (and the loop's ITER it jumps back to)")    \
	X(LOCAL_ACC_JUMP, LOCAL, "LOCAL ACC JUMP: a loop's item into its accumulator, and round again (its ITER too)") \
	X(FACTFIELD_JUMP, FACTFIELD, "FACTFIELD JUMP: a fact's field as a branch's value")          \
	X(FACTFIELD_NOT_FILTER, FACTFIELD, "FACTFIELD JUMP to NOT FILTER: `where not f(t)`, f's branch a fact's truth (and the ITER after it)") \
	X(FACTFIELD_UNLESS_ACC, FACTFIELD, "FACTFIELD NOT FILTER CONST ACC: an unrolled `[k for ... where not f(t)]`, f's value a fact's truth: k appended unless it holds, without a branch") \
	X(FACTFIELD_WHERE_NOT, FACTFIELD, "FACTFIELD NOT FILTER: `where not f(t)` in an unrolled loop, f's value a fact's truth") \
	X(CONST_ACC, CONST, "CONST ACC: an unrolled loop's item into its accumulator")     \
	X(FACTFIELD_DECIDE, FACTFIELD, "FACTFIELD DECIDE: a fact's field and a decision decided already, and the comparison or IN after them, and an AND or OR after that (`ok and company.share >= floor`)") \
	X(JUMP_RETURN, JUMP, "JUMP to a RETURN: the end of a case, or of a branch, that ends the chunk") \
	X(BUILTIN_MIN2, BUILTIN, "BUILTIN min 2: the smaller of two values that order in place")     \
	X(BUILTIN_MAX2, BUILTIN, "BUILTIN max 2: the larger of two values that order in place")

typedef enum OpCode {
#define X(name, words, effect, doc) OP_##name,
	EDICT_OPCODES(X)
#undef X
	OP__COUNT,
	OP__FUSED_BEFORE = OP__COUNT - 1,
#define X(name, first, doc) OP_##name,
	EDICT_FUSED(X)
#undef X
	OP__ALL
} OpCode;

#define OP__NFUSED (OP__ALL - OP__COUNT)

/* The first instruction of each superinstruction. */
extern const unsigned char op_fused_first[OP__NFUSED];

#define INS(op, a) ((uint32_t)(op) | ((uint32_t)(a) << 8))
/* The opcode as the interpreter dispatches on it, superinstructions too. */
#define INS_RAW(w) ((unsigned)((w) & 0xff))
#define INS_A(w) ((int)((w) >> 8))
#define INS_MAX_A 0xffffff

/* The instruction in the word: a superinstruction's first instruction. */
static inline OpCode ins_op(uint32_t w)
{
	unsigned r = INS_RAW(w);
	return (OpCode)(r - OP__COUNT < (unsigned)OP__NFUSED ? op_fused_first[r - OP__COUNT] : r);
}
#define INS_OP(w) ins_op(w)

extern const char *const op_names[OP__COUNT];
extern const unsigned char op_words[OP__COUNT];
extern const signed char op_effect[OP__COUNT];

/* Accumulator kinds for ACC / ACCEND. */
enum { ACC_LIST, ACC_SUM, ACC_COUNT, ACC_MIN, ACC_MAX, ACC_ALL, ACC_ANY };

#endif
