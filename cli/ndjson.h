/*
 * ndjson.h - reading one JSON document a line (NDJSON) in slices of whole
 * lines, for `edict batch` and `edict simulate`: the reading thread reads
 * large blocks and cuts them at line ends without looking at the lines in
 * between; whoever evaluates a slice numbers its lines in input order and
 * splits it (nd_take, nd_line).  A line longer than ND_MAX_LINE is skipped
 * to its end and stands alone in a slice marked too_long.
 */
#ifndef EDICT_CLI_NDJSON_H
#define EDICT_CLI_NDJSON_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "api.h"

/* (the fuzz harness makes both small, to cut inputs of a few hundred bytes
 * the ways large ones are cut) */
#ifndef ND_SLICE_BYTES
#define ND_SLICE_BYTES (64u << 10)  /* what one read asks for; a slice holds at most that (but one long line) */
#endif
#ifndef ND_MAX_LINE
#define ND_MAX_LINE FACTS_MAX_BYTES /* the longest line read */
#endif

typedef struct NdReader {
	int fd;
	bool (*wait)(int fd); /* called before each read: false to stop (a signal); may be NULL */
	char *buf;            /* malloc */
	size_t start, end, cap;
	bool eof;
	int error;   /* errno of a read that failed (0: none); where cut, set atomically */
	bool cut;    /* a regular file read by whoever takes a slice (nd_open's cut) */
	off_t pos;   /* where cut: the offset of the next slice */
	/* nd_take's, under the takers' lock: */
	long numbered, lines; /* slices numbered, and their lines */
	pthread_cond_t turn;  /* a slice numbered */
} NdReader;

/* Whole lines, each with its newline (the input's last maybe not). */
typedef struct NdSlice {
	char *text; /* malloc */
	size_t len, cap;
	long first;    /* the number of its first line (-1 until nd_take) */
	long nlines;   /* how many lines it has, counted by nd_take (a line too long is one) */
	bool too_long; /* one line over ND_MAX_LINE, skipped: no text */
	bool unread;   /* cut but not read: len bytes of the file at off */
	off_t off;
} NdSlice;

/* A reader of fd; false when out of memory.  With cut, where fd is a
 * regular file, the reading thread only finds where each slice ends
 * (reading a few kilobytes around its end) and leaves the slice unread:
 * whoever takes it reads it (nd_take, in parallel with the others). */
bool nd_open(NdReader *r, int fd, bool (*wait)(int fd), bool cut);
/* Frees the buffer; where cut, leaves fd's offset past what was cut, as
 * reading it would have. */
void nd_close(NdReader *r);

/* The next slice of whole lines: what the buffer holds up to its last
 * line end, reading only when it holds no whole line.  False at the end
 * of the input, when it cannot be read (r->error), or when wait said stop. */
bool nd_fill(NdReader *r, NdSlice *s);
/* Slice s, the k-th nd_fill gave (from 0), read where it was cut unread
 * and numbered after the lines of the slices before it, once those are
 * numbered.  Threads that take slices call it with their lock *mu held:
 * it is let go while the slice is read (so that the takers read at once,
 * each its own) and held while waiting for the slice's turn.  One thread
 * alone, taking them in order, passes NULL.  False when the slice cannot
 * be read (r->error is set; s is left empty, and numbered). */
bool nd_take(NdReader *r, pthread_mutex_t *mu, long k, NdSlice *s);
void nd_slice_free(NdSlice *s);

/* The line of slice s that starts at *p (its text, without the newline),
 * *n its length; *p moves to the next.  False past the last. */
bool nd_line(const NdSlice *s, const char **p, const char **line, size_t *n);

/* Whether a line holds nothing but spaces, tabs and carriage returns (a
 * blank line is passed over, not reported). */
bool nd_blank(const char *line, size_t n);

#endif
