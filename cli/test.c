/*
 * test.c - `edict test PATH...`: run the tests written in the rule files.
 */
#include "mem.h"
#include <stdio.h>

#include "commands.h"
#include "common.h"
#include "api.h"

int cmd_test(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "test") < 0)
		return EXIT_USAGE;
	Program *p = cli_load(&o);
	if (!p)
		return EXIT_DIAG;
	Buf b = {0};
	int passed;
	int failed = query_run_tests(p, &b, cli_color(stdout), &passed);
	fputs(buf_cstr(&b), stdout);
	return failed ? EXIT_DIAG : EXIT_OK;
}
