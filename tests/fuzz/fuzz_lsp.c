/*
 * fuzz_lsp.c - libFuzzer harness for the language server's input
 * (cli/lsp.c): the bytes of stdin, headers and JSON-RPC bodies alike.
 *
 * Each input is fed to lsp_serve as its whole input stream, without the
 * disk (the rule set of a document is the open documents), and the output
 * goes to /dev/null.  The corpus holds whole sessions: initialize, open,
 * edits, every request.  Invariants: the server returns (no crash, no hang)
 * with status 0 or 1.
 */
#include "fuzz_common.h"
#include "lsp.h"

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	sink = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 65536)
		return 0;
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	LspOptions o = {.disk = false};
	int rc = lsp_serve(in, sink, &o);
	fclose(in);
	FUZZ_ASSERT(rc == 0 || rc == 1);
	return 0;
}
