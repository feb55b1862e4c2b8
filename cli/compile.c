/*
 * compile.c - `edict compile PATH... [-o FILE.edc]`: check a rule set and
 * write its compiled image (interp/image.h), which `edict eval`, `batch`
 * and `test` load instead of the files: DIR.edc beside a rule directory
 * (or voucher.edc beside voucher.edict) is found on its own, and any image
 * may be given in place of the rules.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "load.h"

int cmd_compile(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "compile") < 0)
		return EXIT_USAGE;
	const char *out = o.out ? o.out : o.eval.npaths == 1 ? load_image_beside(o.eval.paths[0]) : NULL;
	if (!out) {
		cli_usage("edict compile", "several paths need %s", "-o FILE.edc (the image to write)",
			  "Usage: edict compile PATH... [-o FILE.edc]");
		return EXIT_USAGE;
	}
	Diags *d = diag_new();
	bool ok = load_compile_image(o.eval.paths, o.eval.npaths, out, d);
	cli_print_diags(d);
	if (!ok)
		return EXIT_DIAG;
	printf("wrote %s\n", out);
	return EXIT_OK;
}
