/*
 * keywords.c - the keyword table (keywords.h) and its lookup.
 *
 * The lexer asks about every name it reads, so the lookup is a small
 * open-addressed hash over the length and the first and last letters,
 * built once (pthread_once: loads may run on many threads).
 */
#include <pthread.h>
#include <string.h>

#include "keywords.h"

const Keyword kw_table[] = {
#define X(tok, text, cls) {text, cls},
	EDICT_KEYWORDS(X)
#undef X
};

const int kw_count = (int)(sizeof kw_table / sizeof kw_table[0]);

#define SLOTS 256 /* a power of two, well above kw_count */

static signed char slots[SLOTS]; /* index + 1 into kw_table, 0 empty */
static pthread_once_t built = PTHREAD_ONCE_INIT;

static unsigned hash(const char *s, size_t n)
{
	return ((unsigned)n * 31u + (unsigned char)s[0] * 7u + (unsigned char)s[n - 1]) & (SLOTS - 1);
}

static void build(void)
{
	for (int i = 0; i < kw_count; i++) {
		unsigned h = hash(kw_table[i].text, strlen(kw_table[i].text));
		while (slots[h])
			h = (h + 1) & (SLOTS - 1);
		slots[h] = (signed char)(i + 1);
	}
}

int kw_find(const char *s, size_t n)
{
	if (n < 2 || n > 10)
		return -1;
	pthread_once(&built, build);
	for (unsigned h = hash(s, n); slots[h]; h = (h + 1) & (SLOTS - 1)) {
		const char *k = kw_table[slots[h] - 1].text;
		if (k[0] == s[0] && strlen(k) == n && memcmp(k, s, n) == 0)
			return slots[h] - 1;
	}
	return -1;
}
