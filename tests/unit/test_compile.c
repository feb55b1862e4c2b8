/*
 * test_compile.c - the code generator's output (interp/compile.c, fold.c),
 * as Lua's testes/code.lua checks the opcodes a snippet compiles to.
 *
 * Each test compiles a small rule and compares the opcodes of its chunk
 * (operands left out unless they matter) with the sequence expected:
 * constant folding, the superinstructions for thresholds and known
 * constants, fields of facts, Kleene short-circuits, if, loops, cases and
 * PICK, inlined functions; then the stack depth each chunk reserves, from
 * the opcodes' stack effects (debug builds check it at every instruction
 * the VM runs, so the whole test suite under the sanitizers checks it).
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "compile.h"
#include "format.h"
#include "opcodes.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(compile, .init = setup);

static const char *schema = "enum company_size = sme | midsize | large\n"
			    "fact company { size : company_size  share : percent  employees : int  tasks : list of int }\n"
			    "param threshold : percent = 10%\n";

static const Chunk *chunk_of(const char *rules, const char *decl)
{
	Program *p = tu_program(xprintf("%s%s", schema, rules));
	Decl *d = prog_find_decl(p, decl);
	cr_assert_not_null(d, "no %s", decl);
	return d->kind == D_FUNCTION ? p->fchunk[d->index] : p->dchunk[d->index];
}

/* The opcodes of a chunk, space-separated. */
static const char *ops(const Chunk *ch)
{
	Buf b = {0};
	for (int pc = 0; pc < ch->n; pc += 1 + op_words[INS_OP(ch->code[pc])])
		buf_printf(&b, "%s%s", pc ? " " : "", op_names[INS_OP(ch->code[pc])]);
	return buf_cstr(&b);
}

#define EXPECT_OPS(rules, decl, want) cr_expect_str_eq(ops(chunk_of(rules, decl)), want, "%s", rules)

Test(compile, constants_are_folded)
{
	EXPECT_OPS("decision x : int = 2 + 3 * 4\n", "x", "CONST RETURN");
	EXPECT_OPS("decision x : money KRW = 50_000_000 KRW * 10%\n", "x", "CONST RETURN");
	EXPECT_OPS("decision x : bool = 3 in [1, 2, 3] and not false\n", "x", "TRUE RETURN");
	EXPECT_OPS("decision x : int = if 1 > 2 then 1 else 2\n", "x", "CONST RETURN");
	/* a constant list is one constant */
	EXPECT_OPS("decision x : list of int = [1, 2, 3]\n", "x", "CONST RETURN");
	Program *p = tu_program(xprintf("%sdecision x : money KRW = 50_000_000 KRW * 10%%\n", schema));
	const Chunk *ch = p->dchunk[prog_find_decl(p, "x")->index];
	cr_expect_str_eq(fmt_value_str(p, ch->k[INS_A(ch->code[0])]), "5000000 KRW");
}

Test(compile, what_fails_is_not_folded)
{
	/* the error comes when and where it is evaluated */
	EXPECT_OPS("decision x : int = 1 + 9223372036854775807\n", "x", "CONST CONST ADD RETURN");
	EXPECT_OPS("decision x : decimal = 1 / 0\n", "x", "CONST CONST DIV RETURN");
	/* and calls are never folded */
	EXPECT_OPS("decision x : int = max(1, 2)\n", "x", "CONST CONST BUILTIN RETURN");
}

Test(compile, thresholds_and_known_constants_use_superinstructions)
{
	EXPECT_OPS("decision x : bool = company.share >= 10%\n", "x", "FACTFIELD GEK RETURN");
	EXPECT_OPS("decision x : bool = company.employees < 50\n", "x", "FACTFIELD LTK RETURN");
	EXPECT_OPS("decision x : bool = company.size = sme\n", "x", "FACTFIELD EQK RETURN");
	/* a parameter is a decision, not a constant */
	EXPECT_OPS("decision x : bool = company.share >= threshold\n", "x", "FACTFIELD DECIDE GE RETURN");
	EXPECT_OPS("decision x : bool = company.employees > 50\n", "x", "FACTFIELD CONST GT RETURN");
}

Test(compile, and_or_short_circuit_under_kleene_logic)
{
	EXPECT_OPS("decision x : bool = company.size = sme and company.employees < 50\n", "x",
		   "FACTFIELD EQK JFALSE_KEEP FACTFIELD LTK AND RETURN");
	EXPECT_OPS("decision x : bool = company.size = sme or company.employees < 50\n", "x",
		   "FACTFIELD EQK JTRUE_KEEP FACTFIELD LTK OR RETURN");
	EXPECT_OPS("decision x : bool = company.share is known\n", "x", "FACTFIELD IS_KNOWN RETURN");
	EXPECT_OPS("decision x : int = company.employees otherwise 0\n", "x",
		   "FACTFIELD JKNOWN_KEEP CONST FALLBACK RETURN");
}

Test(compile, if_has_a_way_out_for_an_unknown_condition)
{
	EXPECT_OPS("decision x : int = if company.employees < 50 then 1 else 2\n", "x",
		   "FACTFIELD LTK IFTEST JUMP CONST JUMP CONST RETURN");
}

Test(compile, loops_fold_into_accumulators)
{
	EXPECT_OPS("decision x : int = sum(t for t in company.tasks where t > 1)\n", "x",
		   "FACTFIELD ITERPREP ACCINIT CONST SETLOCAL ITER LOCAL CONST GT FILTER LOCAL ACC JUMP ACCEND RETURN");
	EXPECT_OPS("decision x : int = count(t for t in company.tasks)\n", "x",
		   "FACTFIELD ITERPREP ACCINIT ITER TRUE ACC JUMP ACCEND RETURN");
	/* over a constant list: unrolled, the tests on its variable decided */
	EXPECT_OPS("decision x : int = sum(t for t in [1, 2, 3] where t > 1)\n", "x",
		   "ACCINIT CONST SETLOCAL CONST ACC CONST ACC ACCEND RETURN");
	/* over a param's: unrolled while the param has the value compiled (JNEK) */
	EXPECT_OPS("param ts : list of int = [1, 2]\n"
		   "decision x : int = count(t for t in ts where t > company.employees)\n", "x",
		   "DECIDE JNEK ACCINIT CONST FACTFIELD GT FILTER TRUE ACC CONST FACTFIELD GT FILTER TRUE ACC ACCEND JUMP "
		   "ITERPREP ACCINIT ITER LOCAL FACTFIELD GT FILTER TRUE ACC JUMP ACCEND RETURN");
	/* a plain list's sum gets the zero of its items */
	EXPECT_OPS("decision x : int = sum(company.tasks)\n", "x", "FACTFIELD CONST BUILTIN RETURN");
}

Test(compile, cases_become_condition_slots_and_one_pick)
{
	EXPECT_OPS("decision x : int\n"
		   "  default 1\n"
		   "  exception a when company.size = sme then 2\n"
		   "  exception b when company.employees > 10 then 3\n",
		   "x", "TRUE SETLOCAL FACTFIELD EQK SETLOCAL FACTFIELD CONST GT SETLOCAL PICK CONST JUMP CONST JUMP CONST JUMP RETURN");
	/* a default and one exception: a test of the exception's condition */
	EXPECT_OPS("decision x : int\n"
		   "  default 1\n"
		   "  exception a when company.size = sme then 2\n",
		   "x", "FACTFIELD EQK IFTEST JUMP CONST JUMP CONST RETURN");
	/* a single unconditional case needs no PICK */
	EXPECT_OPS("decision x : int = company.employees\n", "x", "FACTFIELD RETURN");
	EXPECT_OPS("param p : percent\n  from 2025-01-01 = 10%\n", "p", "DATEIN SETLOCAL PICK CONST JUMP RETURN");
}

Test(compile, small_functions_are_inlined)
{
	EXPECT_OPS("function twice(n : int) : int = n * 2\n"
		   "decision x : int = twice(company.employees)\n",
		   "x", "FACTFIELD SETLOCAL LOCAL CONST MUL RETURN");
	/* a recursive one is called */
	EXPECT_OPS("function down(n : int) : int = if n = 0 then 0 else down(n - 1)\n"
		   "decision x : int = down(company.employees)\n",
		   "x", "FACTFIELD CALL RETURN");
}

Test(compile, each_chunk_reserves_the_stack_its_opcodes_need)
{
	cr_expect_eq(chunk_of("decision x : int = 2 + 3\n", "x")->maxstack, 1);
	cr_expect_eq(chunk_of("decision x : int = company.employees + company.employees * company.employees\n", "x")->maxstack, 3);
	cr_expect_eq(chunk_of("decision x : list of int = [company.employees, 1, company.employees, 2]\n", "x")->maxstack, 4);
	cr_expect_eq(chunk_of("decision x : int = sum(t for t in company.tasks where t > 1)\n", "x")->maxstack, 2);
	/* the undecided way out of a PICK pushes one value */
	cr_expect_eq(chunk_of("decision x : int\n  default 1\n  exception a when company.size = sme then 2\n", "x")->maxstack,
		     1);
}
