/*
 * buf.h - growable text buffers, from the collector.
 *
 * Every text the library builds (messages, values printed, JSON,
 * explanations) grows in a Buf; it knows nothing of values or rules, so
 * diagnostics (diag.c) and the printer (format.c) share it without
 * depending on each other.
 */
#ifndef EDICT_BUF_H
#define EDICT_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct Buf {
	char *s;
	size_t n, cap;
} Buf;

/* Append n bytes, keeping the text NUL-terminated.  Inline: output is
 * built of many short pieces, and most fit without growing. */
void buf_grow(Buf *b, size_t n);
static inline void buf_add(Buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}
void buf_puts(Buf *b, const char *s);
void buf_int(Buf *b, int64_t v); /* decimal digits, no printf */
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A part of a URL (a file name, an anchor): every byte but letters,
 * digits and - . _ ~ as %XX, so that it cannot end the link or the
 * attribute it is written in. */
void buf_url_part(Buf *b, const char *s);
/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t buf_utf8_len(const unsigned char *s, size_t n);
/* n bytes of s, with the bytes that are not UTF-8 made U+FFFD: a host's
 * text quoted in a message stays valid UTF-8. */
void buf_utf8(Buf *b, const char *s, size_t n);
/* A JSON string literal, escaped; bytes that are not UTF-8 become U+FFFD. */
void buf_json_str(Buf *b, const char *s, size_t n);
const char *buf_cstr(Buf *b);

#endif
