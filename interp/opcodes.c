/*
 * opcodes.c - the tables generated from the opcode list (opcodes.h).
 */
#include "opcodes.h"

const char *const op_names[OP__COUNT] = {
#define X(name, words, effect, doc) #name,
	EDICT_OPCODES(X)
#undef X
};

const unsigned char op_words[OP__COUNT] = {
#define X(name, words, effect, doc) words,
	EDICT_OPCODES(X)
#undef X
};

const signed char op_effect[OP__COUNT] = {
#define X(name, words, effect, doc) effect,
	EDICT_OPCODES(X)
#undef X
};

const unsigned char op_fused_first[OP__NFUSED] = {
#define X(name, first, doc) OP_##first,
	EDICT_FUSED(X)
#undef X
};

_Static_assert(OP__ALL <= 256, "an opcode is the low byte of its word");
