/*
 * fuzz_ndjson.c - libFuzzer harness for the reader of `edict batch` and
 * `edict simulate` input (cli/ndjson.c): one JSON document a line, cut
 * into slices of whole lines.
 *
 * It is built with slices of 64 bytes, probes of 8 and a line limit of 200
 * bytes, so that inputs of a few hundred bytes are cut the ways large ones
 * are.  Each input is read twice: as a regular file (an anonymous memory
 * file: one thread cuts it, and each slice is read and numbered by
 * nd_take, as the workers do) and as a pipe (read and cut by the reader,
 * numbered by nd_take).
 *
 * Invariants, both ways: the slices hold the input's lines in order, each
 * whole, and each slice's text ends with a NUL; a line is left out only as
 * a slice marked too long, and only where it is longer than the limit;
 * the lines are numbered from 1 without a gap, and nlines is the number of
 * lines a slice holds.
 */
#define _GNU_SOURCE /* memfd_create, F_SETPIPE_SZ */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "ndjson.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

/* The input's lines, walked as the slices are. */
typedef struct Lines {
	const uint8_t *at, *end;
	long no; /* lines met so far */
} Lines;

/* The next line of the input (without its newline); false past the last. */
static bool next_line(Lines *l, const uint8_t **s, size_t *n)
{
	if (l->at >= l->end)
		return false;
	const uint8_t *e = memchr(l->at, '\n', (size_t)(l->end - l->at));
	*s = l->at;
	*n = (size_t)((e ? e : l->end) - l->at);
	l->at = e ? e + 1 : l->end;
	l->no++;
	return true;
}

/* Slice sl against the input's next lines. */
static void check_slice(Lines *l, const NdSlice *sl, const char *way)
{
	const uint8_t *s;
	size_t n;
	if (sl->first != l->no + 1) {
		fprintf(stderr, "%s: a slice starts at line %ld after line %ld\n", way, sl->first, l->no);
		abort();
	}
	if (sl->too_long) {
		if (!next_line(l, &s, &n) || n < ND_MAX_LINE || sl->nlines != 1) {
			fprintf(stderr, "%s: line %ld marked too long\n", way, sl->first);
			abort();
		}
		return;
	}
	if (sl->text[sl->len] != 0) {
		fprintf(stderr, "%s: a slice's text without its NUL\n", way);
		abort();
	}
	const char *p = sl->text, *line;
	size_t k;
	long lines = 0;
	while (nd_line(sl, &p, &line, &k)) {
		lines++;
		if (!next_line(l, &s, &n) || n != k || memcmp(s, line, n) != 0) {
			fprintf(stderr, "%s: line %ld of the slices is not the input's\n", way, l->no);
			abort();
		}
	}
	if (lines != sl->nlines || lines == 0) {
		fprintf(stderr, "%s: a slice of %ld lines says %ld\n", way, lines, sl->nlines);
		abort();
	}
}

/* Every slice of r against the input, each taken as a worker takes it. */
static void check_all(NdReader *r, const uint8_t *data, size_t size, const char *way)
{
	Lines l = {data, data + size, 0};
	NdSlice sl[2] = {{0}};
	for (int i = 0; nd_fill(r, &sl[i & 1]); i++) {
		NdSlice *s = &sl[i & 1];
		if (!nd_take(r, NULL, i, s)) {
			fprintf(stderr, "%s: a slice could not be read\n", way);
			abort();
		}
		check_slice(&l, s, way);
	}
	if (l.at != l.end || r->error) {
		fprintf(stderr, "%s: the slices end at line %ld, before the input's end\n", way, l.no);
		abort();
	}
	nd_slice_free(&sl[0]);
	nd_slice_free(&sl[1]);
}

static void as_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("ndjson", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	NdReader r;
	if (nd_open(&r, fd, NULL, true)) {
		if (!r.cut)
			abort(); /* a memory file is a regular file */
		check_all(&r, data, size, "file");
	}
	nd_close(&r);
	close(fd);
}

/* As a pipe, where the input fits in one (else not at all). */
static void as_pipe(const uint8_t *data, size_t size)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return;
	(void)fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
	bool whole = !size || write(p[1], data, size) == (ssize_t)size;
	close(p[1]);
	NdReader r;
	if (whole && nd_open(&r, p[0], NULL, true)) {
		if (r.cut)
			abort(); /* a pipe cannot be cut unread */
		check_all(&r, data, size, "pipe");
	}
	if (whole)
		nd_close(&r);
	close(p[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_file(data, size);
	as_pipe(data, size);
	return 0;
}
