/*
 * ndjson.c - NDJSON read in slices of whole lines (ndjson.h).
 */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ndjson.h"

bool nd_open(NdReader *r, int fd, bool (*wait)(int fd))
{
	*r = (NdReader){.fd = fd, .wait = wait, .buf = malloc(ND_SLICE_BYTES), .cap = ND_SLICE_BYTES};
	return r->buf != NULL;
}

void nd_close(NdReader *r)
{
	free(r->buf);
	r->buf = NULL;
}

void nd_slice_free(NdSlice *s)
{
	free(s->text);
	s->text = NULL;
	s->cap = 0;
}

/* Read more into the buffer (moving what is left to its start, growing it
 * when full); false at the end of the input, when it cannot be read, or
 * when wait said stop. */
static bool refill(NdReader *r)
{
	if (r->eof)
		return false;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t cap = r->cap * 2;
		char *nb = realloc(r->buf, cap);
		if (!nb) {
			r->error = ENOMEM;
			r->eof = true;
			return false;
		}
		r->buf = nb;
		r->cap = cap;
	}
	ssize_t got;
	do
		got = !r->wait || r->wait(r->fd) ? read(r->fd, r->buf + r->end, r->cap - r->end) : 0;
	while (got < 0 && errno == EINTR);
	if (got < 0)
		r->error = errno;
	if (got <= 0) {
		r->eof = true;
		return false;
	}
	r->end += (size_t)got;
	return true;
}

/* Copy n bytes of the reader's buffer into slice s (after a line too long
 * was skipped, where the lines do not start the buffer). */
static bool copy_out(NdReader *r, NdSlice *s, size_t n)
{
	if (n + 1 > s->cap) {
		size_t cap = n + 1 > ND_SLICE_BYTES ? n + 1 : ND_SLICE_BYTES;
		char *nt = realloc(s->text, cap);
		if (!nt) {
			r->error = ENOMEM;
			return false;
		}
		s->text = nt;
		s->cap = cap;
	}
	memcpy(s->text, r->buf + r->start, n);
	s->text[n] = 0;
	s->len = n;
	r->start += n;
	return true;
}

/* The first n bytes of the reader's buffer into slice s.  Where they start
 * the buffer (nearly always), they are not copied: the slice takes the
 * buffer and the reader the slice's (or a new one), into which only the
 * bytes after them move (the start of a line not yet whole).  What the
 * reading thread does alone is then the reads and the cuts. */
static bool take(NdReader *r, NdSlice *s, size_t n)
{
	size_t rest = r->end - r->start - n;
	if (r->start != 0 || n >= r->cap)
		return copy_out(r, s, n);
	char *next = s->text;
	size_t cap = s->cap;
	if (cap < ND_SLICE_BYTES || cap < rest + 1) {
		cap = rest + 1 > ND_SLICE_BYTES ? rest + 1 : ND_SLICE_BYTES;
		if (!(next = realloc(next, cap))) {
			r->error = ENOMEM;
			return false;
		}
	}
	memcpy(next, r->buf + n, rest);
	s->text = r->buf;
	s->cap = r->cap;
	s->text[n] = 0; /* over the first byte of the rest, which has moved */
	s->len = n;
	r->buf = next;
	r->cap = cap;
	r->start = 0;
	r->end = rest;
	return true;
}

/* Skip the rest of a line over ND_MAX_LINE (its start is read): s stands
 * for it. */
static void skip_long_line(NdReader *r, NdSlice *s)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl) {
			r->start = (size_t)(nl + 1 - r->buf);
			break;
		}
		r->start = r->end;
		if (!refill(r))
			break;
	}
	s->too_long = true;
	s->len = 0;
	s->first = ++r->lineno;
}

bool nd_fill(NdReader *r, NdSlice *s)
{
	s->too_long = false;
	s->len = 0;
	const char *nl;
	while (!(nl = memrchr(r->buf + r->start, '\n', r->end - r->start))) {
		if (r->end - r->start > ND_MAX_LINE) {
			skip_long_line(r, s);
			return true;
		}
		if (!refill(r)) {
			if (r->end == r->start || r->error == ENOMEM)
				return false;
			nl = r->buf + r->end - 1; /* a last line without a newline */
			break;
		}
	}
	size_t n = (size_t)(nl + 1 - (r->buf + r->start));
	if (!take(r, s, n))
		return false;
	s->first = r->lineno + 1;
	for (const char *p = s->text, *end = s->text + n; p < end; r->lineno++) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		p = e ? e + 1 : end;
	}
	return true;
}

bool nd_line(const NdSlice *s, const char **p, const char **line, size_t *n)
{
	const char *end = s->text + s->len;
	if (*p >= end)
		return false;
	const char *e = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*n = (size_t)((e ? e : end) - *p);
	*p = e ? e + 1 : end;
	return true;
}

bool nd_blank(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	return true;
}
