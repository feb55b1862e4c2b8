/*
 * fmt.c - `edict fmt [--check] [--diff] PATH...`: lay rule files out the
 * canonical way (interp/layout.c).
 *
 * Without options each file that is not laid out yet is rewritten in place,
 * atomically (interp/fileio.c): a reader or a crash sees the old file or
 * the new one, never half of each.  `--check` writes nothing and lists the
 * files that are not laid out; `--diff` writes nothing and shows the change
 * as a unified diff.  Either exits 1 when some file would change.  A file
 * with syntax errors is left as it is and its errors are reported; the exit
 * status is then 1.  PATH `-` reads standard input and writes the result to
 * standard output.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "fileio.h"
#include "format.h"
#include "layout.h"
#include "load.h"

typedef struct FmtOpts {
	bool check, diff;
	const char **paths;
	int npaths;
} FmtOpts;

/* ------------------------------------------------------------- diffs */

/* The lines of a text: starts and lengths, with the line break ("\n",
 * "\r\n" or a "\r" alone), so a line whose break changes is a change. */
typedef struct Lines {
	const char **s;
	int *len;
	int n;
} Lines;

static Lines split_lines(const char *t, size_t n)
{
	Lines l = {0};
	int nlen = 0;
	size_t i = 0;
	while (i < n) {
		size_t e = (size_t)(source_line_end(t + i, t + n) - t);
		e += e < n ? (size_t)source_eol(t + e, t + n) : 0;
		const char *start = t + i;
		AST_PUSH(l.s, l.n, start);
		AST_PUSH(l.len, nlen, (int)(e - i));
		i = e;
	}
	return l;
}

static bool same_line(const Lines *a, int i, const Lines *b, int j)
{
	return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], (size_t)a->len[i]) == 0;
}

/* One step of an edit script: keep, delete (from a) or insert (from b). */
typedef enum { ED_KEEP, ED_DEL, ED_INS } Edit;

/* The shortest edit script from a to b (Myers' greedy algorithm), as
 * a->n + b->n - common steps in *ops.  Beyond `limit` differences it gives
 * up and replaces everything, which is still a correct diff. */
static Edit *edit_script(const Lines *a, const Lines *b, int *nops)
{
	int n = a->n, m = b->n, max = n + m, limit = 2000;
	int off = max + 1;
	int *v = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(2 * max + 3));
	int **trace = GC_MALLOC(sizeof(int *) * (size_t)(limit + 1));
	int d, found = -1;
	for (d = 0; d <= max && d <= limit && found < 0; d++) {
		/* v as it was before this round, for k in [-d, d] */
		trace[d] = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(2 * d + 1));
		memcpy(trace[d], v + off - d, sizeof(int) * (size_t)(2 * d + 1));
		for (int k = -d; k <= d; k += 2) {
			int x = k == -d || (k != d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
			int y = x - k;
			while (x < n && y < m && same_line(a, x, b, y))
				x++, y++;
			v[off + k] = x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
	}
	Edit *ops = GC_MALLOC_ATOMIC(sizeof(Edit) * (size_t)(max + 1));
	int no = 0;
	if (found < 0) {
		for (int i = 0; i < n; i++)
			ops[no++] = ED_DEL;
		for (int j = 0; j < m; j++)
			ops[no++] = ED_INS;
		*nops = no;
		return ops;
	}
	/* walk back through the trace, then reverse */
	int x = n, y = m;
	for (d = found; d > 0; d--) {
		const int *pv = trace[d] + d - off; /* pv[off + k] is v[k] */
		int k = x - y;
		int pk = k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]) ? k + 1 : k - 1;
		int px = pv[off + pk], py = px - pk;
		while (x > px && y > py)
			ops[no++] = ED_KEEP, x--, y--;
		ops[no++] = x == px ? ED_INS : ED_DEL;
		x = px;
		y = py;
	}
	while (x > 0 && y > 0)
		ops[no++] = ED_KEEP, x--, y--;
	for (int i = 0; i < no / 2; i++) {
		Edit t = ops[i];
		ops[i] = ops[no - 1 - i];
		ops[no - 1 - i] = t;
	}
	*nops = no;
	return ops;
}

/* One line of a diff, its own line break shown as "\n". */
static void put_line(char mark, const Lines *l, int i)
{
	const char *s = l->s[i];
	size_t n = (size_t)l->len[i];
	n -= n && s[n - 1] == '\n';
	n -= n && s[n - 1] == '\r';
	putchar(mark);
	fwrite(s, 1, n, stdout);
	putchar('\n');
}

/* A unified diff of a to b with three lines of context. */
static void print_diff(const char *path, const Lines *a, const Lines *b)
{
	enum { CONTEXT = 3 };
	int nops;
	Edit *ops = edit_script(a, b, &nops);
	printf("--- %s\n+++ %s\n", path, path);
	int i = 0, ai = 0, bi = 0;
	while (i < nops) {
		if (ops[i] == ED_KEEP) {
			i++, ai++, bi++;
			continue;
		}
		/* a hunk: from CONTEXT kept lines before the change to CONTEXT after the last change near it */
		int back = 0;
		while (back < CONTEXT && i - back > 0 && ops[i - back - 1] == ED_KEEP)
			back++;
		int end = i, keep = 0;
		for (int j = i; j < nops; j++) {
			keep = ops[j] == ED_KEEP ? keep + 1 : 0;
			if (keep > 2 * CONTEXT)
				break;
			if (ops[j] != ED_KEEP)
				end = j + 1;
		}
		int after = 0;
		while (after < CONTEXT && end + after < nops && ops[end + after] == ED_KEEP)
			after++;
		int s = i - back, e = end + after, na = 0, nb = 0;
		for (int j = s; j < e; j++) {
			na += ops[j] != ED_INS;
			nb += ops[j] != ED_DEL;
		}
		int a0 = ai - back, b0 = bi - back;
		printf("@@ -%d,%d +%d,%d @@\n", na ? a0 + 1 : a0, na, nb ? b0 + 1 : b0, nb);
		for (int j = s; j < e; j++) {
			if (ops[j] == ED_KEEP)
				put_line(' ', a, a0++), b0++;
			else if (ops[j] == ED_DEL)
				put_line('-', a, a0++);
			else
				put_line('+', b, b0++);
		}
		ai = a0;
		bi = b0;
		i = e;
	}
}

/* ------------------------------------------------------------- files */

/* Lay out one text; returns the exit status for it.  NULL path: stdin. */
static int fmt_text(const FmtOpts *o, const char *path, const char *text, size_t len)
{
	Diags *d = diag_new();
	size_t outlen;
	const char *out = layout_format(path ? path : "<stdin>", text, len, d, &outlen);
	if (!out) {
		cli_print_diags(d);
		fprintf(stderr, "%s: not formatted, because of the errors above; the file is left as it was\n",
			path ? path : "<stdin>");
		return EXIT_DIAG;
	}
	bool changed = outlen != len || memcmp(out, text, len) != 0;
	if (o->diff && changed) {
		Lines a = split_lines(text, len), b = split_lines(out, outlen);
		print_diff(path ? path : "<stdin>", &a, &b);
	} else if (o->check && changed) {
		printf("%s\n", path ? path : "<stdin>");
	} else if (!path && !o->check && !o->diff) {
		fwrite(out, 1, outlen, stdout);
	} else if (changed && !o->check && !o->diff) {
		const char *err;
		if (!fio_write_file(path, out, outlen, &err)) {
			fprintf(stderr, "edict: %s\n", err);
			return EXIT_DIAG;
		}
	}
	return changed && (o->check || o->diff) ? EXIT_DIAG : EXIT_OK;
}

static int fmt_stdin(const FmtOpts *o)
{
	Buf b = {0};
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (b.n + k > LOAD_MAX_FILE_BYTES) {
			fprintf(stderr, "edict: the standard input is longer than the limit of %u bytes for a rule file\n",
				LOAD_MAX_FILE_BYTES);
			return EXIT_DIAG;
		}
		buf_add(&b, chunk, k);
	}
	return fmt_text(o, NULL, b.s ? b.s : "", b.n);
}

static int parse_fmt_opts(int argc, char **argv, FmtOpts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--check") == 0)
			o->check = true;
		else if (strcmp(a, "--diff") == 0)
			o->diff = true;
		else if (a[0] == '-' && a[1])
			return cli_usage_error("unknown option '%s'", a), -1;
		else
			AST_PUSH(o->paths, o->npaths, a);
	}
	if (o->npaths == 0)
		return cli_usage_error("'edict %s' needs at least one rule file or directory (or - for standard input)", "fmt"), -1;
	return 0;
}

int cmd_fmt(int argc, char **argv)
{
	FmtOpts o;
	if (parse_fmt_opts(argc, argv, &o) < 0)
		return EXIT_USAGE;
	int status = EXIT_OK;
	for (int i = 0; i < o.npaths; i++) {
		if (strcmp(o.paths[i], "-") == 0) {
			status |= fmt_stdin(&o);
			continue;
		}
		Diags *d = diag_new();
		int n;
		const char **files = load_find_files(&o.paths[i], 1, d, &n);
		if (!d->n && n == 0)
			diag_add(d, SEV_ERROR, (Loc){0}, "no rule files (*.edict) were found in %s", o.paths[i]);
		if (d->n) {
			cli_print_diags(d);
			status = EXIT_DIAG;
		}
		for (int k = 0; k < n; k++) {
			size_t len;
			const char *err;
			char *text = load_file(files[k], LOAD_MAX_FILE_BYTES, &len, &err);
			if (!text) {
				fprintf(stderr, "edict: %s\n", err);
				status = EXIT_DIAG;
				continue;
			}
			status |= fmt_text(&o, files[k], text, len);
		}
	}
	return status;
}
