/*
 * lsp.h - the language server of `edict lsp` (cli/lsp.c), for the command
 * and for the fuzzing harness of its input (tests/fuzz/fuzz_lsp.c).
 */
#ifndef EDICT_CLI_LSP_H
#define EDICT_CLI_LSP_H

#include <stdbool.h>
#include <stdio.h>

/* The largest message body accepted; a longer one is skipped and answered
 * with an error.  Rule files are at most 8 MiB (load.h); JSON escapes may
 * double that. */
#define LSP_MAX_MESSAGE (24u << 20)
/* The longest header line, and the most header lines of one message. */
#define LSP_MAX_HEADER 1024
#define LSP_MAX_HEADERS 32
/* Documents open at once (each change reloads the open documents of its
 * rule set, so this bounds the work of one change too). */
#define LSP_MAX_DOCS 1000

typedef struct LspOptions {
	/* false: never read the disk; the rule set of every document is the
	 * set of open documents (for fuzzing; untitled buffers work so always) */
	bool disk;
} LspOptions;

/* Serve the Language Server Protocol on in/out until `exit` or the end of
 * the input.  Returns the exit status: 0 after shutdown and exit, 1 when
 * the input ended or `exit` came without `shutdown` (as the protocol says). */
int lsp_serve(FILE *in, FILE *out, const LspOptions *opts);

#endif
