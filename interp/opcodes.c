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
