/*
 * cost_test.c - the language server's own work on a rule folder grows in
 * proportion to its files and their diagnostics.
 *
 * A folder of n rule files, each with a check that fails (a warning), is
 * served through
 * lsp_serve: one file opened, saved twice and closed, so the diagnostics
 * of every file are published four times.  The same session runs at n and
 * 10n files and the two costs are compared as tests/complexity compares
 * its stages, by a deterministic measure, never the clock: the server
 * (cli/lsp.c) is built for this test with -fsanitize-coverage=trace-pc,
 * whose every basic block calls __sanitizer_cov_trace_pc, defined here to
 * count (the library is built as usual and not counted: loading the
 * folder is tests/complexity's business).  Linear growth gives a ratio
 * near 10; the test fails above 16 (grouping the diagnostics by file with
 * a pass over all of them for each file gives about 100).  Every file's
 * diagnostic must also come out, each time.
 *
 *     lsp_cost_test
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edict.h"
#include "lsp.h"

#define MAX_RATIO 16.0
#define N 100 /* and 10 N: 1000 warnings, all kept (DIAG_MAX_WARNINGS) */

static uint64_t blocks;

/* Called at every basic block of the counted server. */
void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
	blocks++;
}

/* One JSON-RPC message, framed, onto f. */
static void put(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(FILE *f, const char *fmt, ...)
{
	char body[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	fprintf(f, "Content-Length: %d\r\n\r\n%s", n, body);
}

static const char text_fmt[] = "module m%03d\n\ncheck warning \"c%03d\": 1 = 2\n";

/* dir/rules/fNNN.edict for NNN below n, each with a check that fails. */
static int make_folder(const char *dir, int n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/rules", dir);
	if (mkdir(path, 0700) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/rules/f%03d.edict", dir, i);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, text_fmt, i, i);
		fclose(f);
	}
	return 0;
}

static void remove_folder(const char *dir, int n)
{
	char path[512];
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/rules/f%03d.edict", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/rules", dir);
	rmdir(path);
	rmdir(dir);
}

/* The session's input: open, save twice, close the first file. */
static char *session(const char *dir, size_t *len)
{
	char *s;
	FILE *f = open_memstream(&s, len);
	char uri[512];
	snprintf(uri, sizeof uri, "file://%s/rules/f000.edict", dir);
	put(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
	put(f, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
	put(f, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"%s\","
	       "\"languageId\":\"edict\",\"version\":1,\"text\":\"module m000\\n\\ncheck warning \\\"c000\\\": 1 = 2\\n\"}}}",
	    uri);
	for (int i = 0; i < 2; i++)
		put(f, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didSave\",\"params\":{\"textDocument\":{\"uri\":\"%s\"}}}",
		    uri);
	put(f, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":{\"uri\":\"%s\"}}}", uri);
	put(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
	put(f, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
	fclose(f);
	return s;
}

static int count(const char *hay, const char *needle)
{
	int k = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		k++;
	return k;
}

/* The blocks the server runs for the session on n files; 0 when it fails. */
static uint64_t measure(int n)
{
	char dir[] = "/tmp/edict-lsp-cost-XXXXXX";
	if (!mkdtemp(dir) || make_folder(dir, n) != 0) {
		fprintf(stderr, "FAIL: cannot write a rule folder of %d files in /tmp\n", n);
		return 0;
	}
	size_t inlen, outlen;
	char *input = session(dir, &inlen), *output;
	FILE *in = fmemopen(input, inlen, "r"), *out = open_memstream(&output, &outlen);
	LspOptions o = {.disk = true};
	uint64_t before = blocks;
	int rc = lsp_serve(in, out, &o);
	uint64_t cost = blocks - before;
	fclose(in);
	fclose(out);
	remove_folder(dir, n);
	int published = count(output, "publishDiagnostics"), mistakes = count(output, "fails");
	printf("%4d files: %d diagnostics published in %d lists, %llu blocks\n", n, mistakes, published,
	       (unsigned long long)cost);
	if (rc != 0 || published != 4 * n || mistakes != 4 * n) {
		fprintf(stderr, "FAIL: %d files: status %d, %d lists and %d diagnostics published, not %d\n", n, rc,
			published, mistakes, 4 * n);
		cost = 0;
	}
	free(input);
	free(output);
	return cost;
}

int main(void)
{
	if (edict_init() != EDICT_OK)
		return 1;
	uint64_t small = measure(N), big = measure(10 * N);
	if (!small || !big)
		return 1;
	double q = (double)big / (double)small;
	printf("x%.1f for 10 times the files%s\n", q, q <= MAX_RATIO ? "" : "  TOO STEEP");
	if (q > MAX_RATIO)
		fprintf(stderr, "FAIL: the server's work grows %.1f times for 10 times the files\n", q);
	return q <= MAX_RATIO ? 0 : 1;
}
