/*
 * buf.c - growable text buffers (buf.h).
 */
#include "mem.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

/* Room for n more bytes and the NUL. */
void buf_grow(Buf *b, size_t n)
{
	if (b->n + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 128;
	while (cap < b->n + n + 1)
		cap *= 2;
	char *ns = GC_MALLOC_ATOMIC(cap);
	if (b->n)
		memcpy(ns, b->s, b->n);
	b->s = ns;
	b->cap = cap;
}

void buf_puts(Buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	char *big = GC_MALLOC_ATOMIC((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
}

void buf_int(Buf *b, int64_t v)
{
	char tmp[24], *q = tmp + sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	buf_add(b, q, (size_t)(tmp + sizeof tmp - q));
}

void buf_url_part(Buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c);
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
		buf_add(b, plain ? s : esc, plain ? 1 : 3);
	}
}

const char *buf_cstr(Buf *b)
{
	return b->s ? b->s : "";
}

size_t buf_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		k = 2, min = 0x80, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		k = 3, min = 0x800, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		k = 4, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t j = 1; j < k; j++) {
		if ((s[j] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[j] & 0x3f);
	}
	return c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0 : k;
}

void buf_utf8(Buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		size_t k = buf_utf8_len((const unsigned char *)s + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		buf_add(b, s + start, i - start);
		buf_add(b, "\xef\xbf\xbd", 3);
		start = ++i;
	}
	buf_add(b, s + start, n - start);
}

void buf_json_str(Buf *b, const char *s, size_t n)
{
	buf_add(b, "\"", 1);
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x80) {
			/* JSON is UTF-8: a byte that does not fit becomes U+FFFD */
			size_t k = buf_utf8_len((const unsigned char *)s + i, n - i);
			if (k) {
				i += k - 1;
				continue;
			}
			buf_add(b, s + start, i - start);
			buf_add(b, "\xef\xbf\xbd", 3);
			start = i + 1;
			continue;
		}
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		buf_add(b, s + start, i - start);
		start = i + 1;
		switch (ch) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default: buf_printf(b, "\\u%04x", ch); break;
		}
	}
	buf_add(b, s + start, n - start);
	buf_add(b, "\"", 1);
}
