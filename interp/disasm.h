/*
 * disasm.h - printing bytecode, for `edict disasm` and for debugging.
 */
#ifndef EDICT_DISASM_H
#define EDICT_DISASM_H

#include "format.h"

void disasm_chunk(const Program *p, const Chunk *ch, Buf *out);
void disasm_program(const Program *p, Buf *out);

#endif
