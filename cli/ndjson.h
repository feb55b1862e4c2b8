/*
 * ndjson.h - reading one JSON document a line (NDJSON) in slices of whole
 * lines, for `edict batch` and `edict simulate`: the reading thread reads
 * large blocks and cuts them at line ends without looking at the lines in
 * between; whoever evaluates a slice splits it (nd_line).  A line longer
 * than ND_MAX_LINE is skipped to its end and stands alone in a slice
 * marked too_long.
 */
#ifndef EDICT_CLI_NDJSON_H
#define EDICT_CLI_NDJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

#define ND_SLICE_BYTES (64u << 10)  /* what one read asks for; a slice holds at most that (but one long line) */
#define ND_MAX_LINE FACTS_MAX_BYTES /* the longest line read */

typedef struct NdReader {
	int fd;
	bool (*wait)(int fd); /* called before each read: false to stop (a signal); may be NULL */
	char *buf;            /* malloc */
	size_t start, end, cap;
	bool eof;
	int error;   /* errno of a read that failed (0: none) */
	long lineno; /* lines handed out */
} NdReader;

/* Whole lines, each with its newline (the input's last maybe not). */
typedef struct NdSlice {
	char *text; /* malloc */
	size_t len, cap;
	long first;    /* the number of its first line */
	bool too_long; /* one line over ND_MAX_LINE, skipped: no text */
} NdSlice;

/* A reader of fd; false when out of memory. */
bool nd_open(NdReader *r, int fd, bool (*wait)(int fd));
void nd_close(NdReader *r);

/* The next slice of whole lines: what the buffer holds up to its last
 * line end, reading only when it holds no whole line.  False at the end
 * of the input, when it cannot be read (r->error), or when wait said stop. */
bool nd_fill(NdReader *r, NdSlice *s);
void nd_slice_free(NdSlice *s);

/* The line of slice s that starts at *p (its text, without the newline),
 * *n its length; *p moves to the next.  False past the last. */
bool nd_line(const NdSlice *s, const char **p, const char **line, size_t *n);

/* Whether a line holds nothing but spaces, tabs and carriage returns (a
 * blank line is passed over, not reported). */
bool nd_blank(const char *line, size_t n);

#endif
