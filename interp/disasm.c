/*
 * disasm.c - a readable listing of compiled chunks.
 *
 * Operand counts come from the opcode list (opcodes.h), so a new opcode
 * needs no change here.  Each line shows the address, the source line, the
 * opcode and its operands, and what a constant or slot refers to.
 */
#include <string.h>

#include "builtins.h"
#include "disasm.h"
#include "opcodes.h"

void disasm_chunk(const Program *p, const Chunk *ch, Buf *out)
{
	buf_printf(out, "== %s  (%d words, %d constants, %d locals)\n", ch->name ? ch->name : "?", ch->n, ch->nk, ch->nlocals);
	int last_line = -1;
	for (int pc = 0; pc < ch->n;) {
		uint32_t w = ch->code[pc];
		OpCode op = INS_OP(w);
		int a = INS_A(w);
		int line = ch->locs[pc].line;
		if (line != last_line)
			buf_printf(out, "%5d %5d  ", pc, line);
		else
			buf_printf(out, "%5d     |  ", pc);
		last_line = line;
		if ((unsigned)op >= OP__COUNT) {
			buf_printf(out, "??? %u\n", w);
			pc++;
			continue;
		}
		buf_printf(out, "%-12s %6d", op_names[op], a);
		if (op_words[op])
			buf_printf(out, " %6u", ch->code[pc + 1]);
		else
			buf_puts(out, "       ");
		switch (op) {
		case OP_CONST:
		case OP_GEK:
		case OP_EQK:
		case OP_LTK:
		case OP_TRACE_FACT:
		case OP_ERROR:
			if (a < ch->nk) {
				buf_puts(out, "   ; ");
				fmt_value(p, ch->k[a], out);
			}
			break;
		case OP_DECIDE:
		case OP_DECIDE_IN:
		case OP_DECIDED:
			if (a < p->ndecls)
				buf_printf(out, "   ; %s", p->decls[a]->qname);
			break;
		case OP_CALL:
			if (a < p->nfuncs)
				buf_printf(out, "   ; %s", p->funcs[a]->qname);
			break;
		case OP_BUILTIN:
			if (a < bi_count)
				buf_printf(out, "   ; %s", bi_table[a].name);
			break;
		case OP_FACT:
			if (a < p->nfacts)
				buf_printf(out, "   ; %s", p->facts[a]->name);
			break;
		case OP_FACTFIELD:
			if (a < p->nfacts) {
				const Type *t = p->facts[a]->type;
				uint32_t f = ch->code[pc + 1];
				if (t && t->def && f < (uint32_t)t->def->nfields)
					buf_printf(out, "   ; %s.%s", p->facts[a]->name, t->def->fields[f].name);
			}
			break;
		case OP_TRACE_COND: {
			const Node *n = prog_node(p, NULL, (int)a);
			if (n)
				buf_printf(out, "   ; %s", prog_node_text(p, n));
			break;
		}
		default:
			break;
		}
		buf_puts(out, "\n");
		pc += 1 + op_words[op];
	}
}

void disasm_program(const Program *p, Buf *out)
{
	for (int i = 0; i < p->ndecls; i++) {
		disasm_chunk(p, p->dchunk[i], out);
		buf_puts(out, "\n");
	}
	for (int i = 0; i < p->nfuncs; i++) {
		disasm_chunk(p, p->fchunk[i], out);
		buf_puts(out, "\n");
	}
}
