/*
 * format.h - values as text: Edict notation and JSON.
 *
 * Results print in the notation of the rule files (50000000 KRW, 14%,
 * 2026-12-01, 14 days, [1, 2], {task: 1}), so an officer can paste them
 * back; JSON output follows the contract in docs/language.md (money
 * "50000000 KRW", percent "14%", unknown null).
 */
#ifndef EDICT_FORMAT_H
#define EDICT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "program.h"

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
/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t fmt_utf8_len(const unsigned char *s, size_t n);
/* A JSON string literal, escaped; bytes that are not UTF-8 become U+FFFD. */
void buf_json_str(Buf *b, const char *s, size_t n);
const char *buf_cstr(Buf *b);

/* Edict notation. */
void fmt_value(const Program *p, Value v, Buf *b);
const char *fmt_value_str(const Program *p, Value v);
/* JSON. */
void fmt_json(const Program *p, Value v, Buf *b);
/* Parts used by both. */
void fmt_scalar_text(Value v, Buf *b); /* money, percent, duration, hs: the text inside JSON quotes */

#endif
