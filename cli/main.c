/*
 * main.c - the `edict` command: dispatch to one file per subcommand (check,
 * eval, test, disasm, repl, batch, simulate, fmt, lsp, serve, doc, graph,
 * compile), and the help text.
 *
 * The command is a host like any other: it loads a rule set, reports
 * diagnostics, and evaluates.  Exit statuses are a contract (common.h):
 *   0 success (warnings allowed), 1 diagnostics, failed tests or checks,
 *   2 usage error, 3 invalid facts input.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"

#ifndef EDICT_VERSION
#define EDICT_VERSION "0.1.0"
#endif

static const char *help_text =
	"Edict " EDICT_VERSION " - policy rules that read like policy.\n"
	"\n"
	"Usage:\n"
	"  edict check PATH...                  check rule files and run their checks\n"
	"  edict compile PATH... [-o FILE.edc]  check the rules and write their compiled image\n"
	"  edict eval PATH... --facts FILE|-    evaluate decisions for one set of facts\n"
	"        [--query Q]... [--as-of DATE] [--json] [--explain[=full]]\n"
	"  edict test PATH... [--reform R]... [--coverage] [--lcov FILE] [--min PERCENT]\n"
	"                                       run the tests written in the rule files (and in\n"
	"                                       each reform, over the rules it changes), and say\n"
	"                                       what they exercised\n"
	"  edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--fail-fast]\n"
	"        [--native]                     one JSON document a line in, one result a line out\n"
	"  edict simulate PATH... --reform R... --population FILE.ndjson [--query Q]...\n"
	"        [--as-of DATE] [--budget AMOUNT] [--examples N] [--jobs N] [--native] [--json]\n"
	"                                       what a reform changes across a population\n"
	"  edict repl PATH... [--facts FILE] [--as-of DATE] [--echo]\n"
	"                                       ask questions, try what-ifs, see why not ('help' inside)\n"
	"  edict fmt [--check] [--diff] PATH... lay rule files out the one canonical way\n"
	"  edict serve PATH... [--listen HOST:PORT] [--threads N] [--log FILE]\n"
	"        [--token-file F] [--tls-cert F --tls-key F] [--docs DIR]\n"
	"                                       decisions over HTTP, and a web page at /\n"
	"  edict doc PATH... -o DIR [--as-of DATE]\n"
	"                                       write the rules as an HTML site (no server needed)\n"
	"  edict graph PATH... [--query Q] [--format dot|svg]\n"
	"                                       the decision dependency graph\n"
	"  edict disasm PATH...                 show the compiled bytecode\n"
	"  edict lsp                            a language server for editors, on stdin and stdout\n"
	"  edict --version                      print the version\n"
	"  edict help                           print this help\n"
	"\n"
	"PATH is a .edict file or a directory of them.  Q is a decision name\n"
	"(voucher.priority) or any expression over the rules ('roadmap.launching_in(3)').\n"
	"Without --query, every public decision is evaluated.  --as-of defaults to\n"
	"the facts' \"as_of\" field, else today.\n"
	"\n"
	"Exit status: 0 success, 1 errors, failed tests or checks, 2 usage error,\n"
	"3 invalid facts.\n";

/* A one-shot command runs one thread from start to end: it starts before
 * the collector (mem_start_lazy), which starts when the command needs it,
 * if ever.  The others (threads, or a process that lives long) start it
 * at once.  A command that answers from a rule set may start from the
 * rule set's compiled image (cli_image_cache). */
typedef struct Command {
	const char *name;
	int (*run)(int argc, char **argv);
	bool one_shot;
	bool from_image;
} Command;

static const Command commands[] = {
	{"check", cmd_check, true, false},     {"eval", cmd_eval, true, true},
	{"test", cmd_test, true, true},        {"disasm", cmd_disasm, true, false},
	{"repl", cmd_repl, false, false},      {"batch", cmd_batch, false, true},
	{"simulate", cmd_simulate, false, false}, {"lsp", cmd_lsp, false, false},
	{"fmt", cmd_fmt, true, false},         {"serve", cmd_serve, false, false},
	{"doc", cmd_doc, true, false},         {"graph", cmd_graph, true, false},
	{"compile", cmd_compile, true, false},
};

/* The command called name; NULL for none. */
static const Command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* A command run under the protected call: out of memory ends it cleanly. */
typedef struct Run {
	int (*run)(int argc, char **argv);
	int argc;
	char **argv;
	int rc;
} Run;

static void run_body(void *ud)
{
	Run *r = ud;
	r->rc = r->run(r->argc, r->argv);
}

/* glibc's record of where the main thread's stack began. */
extern void *__libc_stack_end;

int main(int argc, char **argv)
{
	/* The collector would find the main thread's stack by reading
	 * /proc/self/maps, a sixth of a one-company evaluation's start; the
	 * C library already knows it. */
	struct GC_stack_base main_stack = {__libc_stack_end};
	GC_set_stackbottom(NULL, &main_stack);
	const char *cmd = argc < 2 ? "help" : argv[1];
	const Command *c = find_command(cmd);
	if (!c || c->one_shot)
		mem_start_lazy(); /* the version, help, a usage error, a one-shot command */
	else
		mem_start();
	if (argc < 2) {
		fputs(help_text, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("edict %s\n", EDICT_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(help_text, stdout);
		return EXIT_OK;
	}
	if (c) {
		Run r = {c->run, argc - 2, argv + 2, EXIT_OK};
		if (c->from_image)
			cli_image_cache(&r.argc, r.argv);
		if (pr_call(run_body, &r) == ST_MEMORY) {
			fputs("edict: out of memory\n", stderr);
			return EXIT_DIAG;
		}
		return r.rc;
	}
	cli_usage_error("unknown command '%s'", cmd);
	return EXIT_USAGE;
}
