/*
 * ndjson.c - NDJSON read in slices of whole lines (ndjson.h).
 */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ndjson.h"

bool nd_open(NdReader *r, int fd, bool (*wait)(int fd), bool cut)
{
	*r = (NdReader){.fd = fd, .wait = wait, .buf = malloc(ND_SLICE_BYTES), .cap = ND_SLICE_BYTES};
	pthread_cond_init(&r->turn, NULL);
	struct stat st;
	if (cut && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (r->pos = lseek(fd, 0, SEEK_CUR)) >= 0)
		r->cut = true;
	return r->buf != NULL;
}

void nd_close(NdReader *r)
{
	if (r->cut)
		(void)lseek(r->fd, r->pos, SEEK_SET);
	pthread_cond_destroy(&r->turn);
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

/* Room for need bytes in the malloc'd buffer *buf of *cap bytes, and
 * never less than a slice's worth; false when out of memory (*buf is
 * then as it was). */
static bool room(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap && *cap >= ND_SLICE_BYTES)
		return true;
	size_t want = need > ND_SLICE_BYTES ? need : ND_SLICE_BYTES;
	char *nb = realloc(*buf, want);
	if (!nb)
		return false;
	*buf = nb;
	*cap = want;
	return true;
}

/* Copy n bytes of the reader's buffer into slice s (after a line too long
 * was skipped, where the lines do not start the buffer). */
static bool copy_out(NdReader *r, NdSlice *s, size_t n)
{
	if (!room(&s->text, &s->cap, n + 1)) {
		r->error = ENOMEM;
		return false;
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
	if (!room(&next, &cap, rest + 1)) {
		r->error = ENOMEM;
		return false;
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
	s->nlines = 1;
}

/* How many lines the n bytes at p hold (the last maybe without its newline). */
static long count_lines(const char *p, size_t n)
{
	long lines = 0;
	for (const char *end = p + n; p < end; lines++) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		p = e ? e + 1 : end;
	}
	return lines;
}

/* ------------------------------------------------- a regular file, cut */

/* A read that failed, from the cutting thread or a taker's load, which
 * may fail at the same time: the error is stored atomically. */
static void failed(NdReader *r, int e)
{
	__atomic_store_n(&r->error, e, __ATOMIC_RELAXED);
}

#ifndef ND_PROBE
#define ND_PROBE 1024 /* what is read at a time to find a line end */
#endif

/* Up to n bytes of the file at off into buf, in as many reads as that
 * takes: how many (fewer at the file's end), or -1 (errno). */
static ssize_t read_at(int fd, char *buf, size_t n, off_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, buf + got, n - got, off + (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* The offset just past the last line end in [from, to) of the file, read
 * back from `to` a probe at a time: 0 where there is none, -1 on an error. */
static off_t end_before(NdReader *r, off_t from, off_t to)
{
	char probe[ND_PROBE];
	while (to > from) {
		off_t at = to - from > ND_PROBE ? to - ND_PROBE : from;
		ssize_t got = read_at(r->fd, probe, (size_t)(to - at), at);
		if (got < 0)
			return -1;
		const char *nl = memrchr(probe, '\n', (size_t)got);
		if (nl)
			return at + (nl - probe) + 1;
		to = at;
	}
	return 0;
}

/* The offset just past the first line end from `from` on, read forward a
 * buffer at a time (the reader's, which cutting does not otherwise use: a
 * line this long may be very long): the file's end where it has none
 * there, -1 on an error. */
static off_t end_after(NdReader *r, off_t from)
{
	for (;;) {
		ssize_t got = read_at(r->fd, r->buf, r->cap, from);
		if (got <= 0)
			return got < 0 ? -1 : from;
		const char *nl = memchr(r->buf, '\n', (size_t)got);
		if (nl)
			return from + (nl - r->buf) + 1;
		from += got;
	}
}

/* The next slice of the file, cut where a slice's worth of bytes ends with
 * the line end before it, unread; a first line longer than a slice is one
 * slice, and marked too long (and skipped) past ND_MAX_LINE. */
static bool cut_next(NdReader *r, NdSlice *s)
{
	struct stat st;
	off_t from = r->pos, to;
	if (fstat(r->fd, &st) != 0) {
		failed(r, errno);
		return false;
	}
	if (st.st_size <= from)
		return false;
	if (st.st_size - from <= (off_t)ND_SLICE_BYTES)
		to = st.st_size; /* the rest, its last line maybe without a newline */
	else if ((to = end_before(r, from, from + (off_t)ND_SLICE_BYTES)) == 0)
		to = end_after(r, from + (off_t)ND_SLICE_BYTES);
	if (to < 0) {
		failed(r, errno);
		return false;
	}
	r->pos = to;
	if (to - from > (off_t)ND_MAX_LINE + 1) {
		s->too_long = true;
		s->nlines = 1;
		return true;
	}
	s->unread = true;
	s->off = from;
	s->len = (size_t)(to - from);
	return true;
}

/* Read slice s where it was cut unread, and count its lines (the reading
 * thread leaves both to whoever takes it); safe to call from several
 * threads at once, each for its own slice.  False when the file cannot be
 * read (r->error is set, s is left empty). */
static bool load(NdReader *r, NdSlice *s)
{
	if (s->too_long)
		return true;
	if (s->unread) {
		s->unread = false;
		size_t want = s->len;
		s->len = 0;
		s->nlines = 0;
		if (!room(&s->text, &s->cap, want + 1)) {
			failed(r, ENOMEM);
			return false;
		}
		ssize_t got = read_at(r->fd, s->text, want, s->off);
		if (got < 0) {
			failed(r, errno);
			return false;
		}
		s->len = (size_t)got; /* fewer where the file has shrunk since */
		s->text[s->len] = 0;
	}
	s->nlines = count_lines(s->text, s->len);
	return true;
}

bool nd_take(NdReader *r, pthread_mutex_t *mu, long k, NdSlice *s)
{
	if (mu)
		pthread_mutex_unlock(mu);
	bool ok = load(r, s);
	if (mu) {
		pthread_mutex_lock(mu);
		while (r->numbered != k)
			pthread_cond_wait(&r->turn, mu);
	}
	s->first = r->lines + 1;
	r->lines += s->nlines;
	r->numbered++;
	if (mu)
		pthread_cond_broadcast(&r->turn);
	return ok;
}

bool nd_fill(NdReader *r, NdSlice *s)
{
	s->too_long = false;
	s->unread = false;
	s->len = 0;
	s->first = -1;
	if (r->cut)
		return cut_next(r, s);
	const char *nl;
	size_t seen = 0; /* bytes from r->start on known to hold no line end: each read's are looked at once */
	while (!(nl = memrchr(r->buf + r->start + seen, '\n', r->end - r->start - seen))) {
		seen = r->end - r->start;
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
	return take(r, s, n);
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
