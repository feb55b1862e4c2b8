/*
 * disasm.c - `edict disasm PATH...`: the compiled bytecode, for developers.
 */
#include "mem.h"
#include <stdio.h>

#include "commands.h"
#include "common.h"
#include "api.h"

int cmd_disasm(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "disasm") < 0)
		return EXIT_USAGE;
	Program *p = cli_load(&o);
	if (!p)
		return EXIT_DIAG;
	Buf b = {0};
	disasm_program(p, &b);
	fputs(buf_cstr(&b), stdout);
	return EXIT_OK;
}
