/*
 * strmap.c - maps from texts to pointers (strmap.h).
 *
 * Each slot keeps its key's hash beside it, so that a probe passing over
 * other keys compares a number, not a text, and growing never hashes a
 * key again.
 */
#include "mem.h"
#include <string.h>

#include "strmap.h"

#define FIRST_CAP 64

/* The slot of k (hashed to h): where it is, or the empty one where it
 * would go.  The map has slots, some of them empty. */
static size_t slot_of(const StrMap *m, const char *k, uint32_t h)
{
	size_t mask = m->cap - 1, i = h & mask;
	while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], k) != 0))
		i = (i + 1) & mask;
	return i;
}

void *strmap_get_hashed(const StrMap *m, const char *k, uint32_t h)
{
	return m->cap ? m->vals[slot_of(m, k, h)] : NULL;
}

void *strmap_get(const StrMap *m, const char *k)
{
	return strmap_get_hashed(m, k, strmap_hash(k));
}

void *strmap_get_joined(const StrMap *m, const char *a, char sep, const char *b)
{
	if (!m->cap)
		return NULL;
	uint32_t h = strmap_hash_more(strmap_hash_more(strmap_hash(a), (char[]){sep, 0}), b);
	size_t al = strlen(a), mask = m->cap - 1;
	for (size_t i = h & mask; m->keys[i]; i = (i + 1) & mask) {
		const char *key = m->keys[i];
		if (m->hashes[i] == h && strncmp(key, a, al) == 0 && key[al] == sep && strcmp(key + al + 1, b) == 0)
			return m->vals[i];
	}
	return NULL;
}

/* The map with room for cap slots (a power of two), its keys put again.
 * The new arrays are all made before the map changes, so running out of
 * memory leaves it as it was. */
static void grow(StrMap *m, size_t cap)
{
	StrMap big = {GC_MALLOC(cap * sizeof(char *)), GC_MALLOC(cap * sizeof(void *)),
	              GC_MALLOC_ATOMIC(cap * sizeof(uint32_t)), cap, m->n};
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot_of(&big, m->keys[i], m->hashes[i]);
		big.keys[j] = m->keys[i];
		big.vals[j] = m->vals[i];
		big.hashes[j] = m->hashes[i];
	}
	*m = big;
}

void strmap_reserve(StrMap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : FIRST_CAP;
	while (cap <= 2 * n)
		cap *= 2;
	if (cap > m->cap)
		grow(m, cap);
}

/* The slot of k as slot_of finds it, the map grown first when it is half
 * full: k may be a new key. */
static size_t slot_for(StrMap *m, const char *k, uint32_t h)
{
	if (m->n * 2 >= m->cap)
		grow(m, m->cap ? m->cap * 2 : FIRST_CAP);
	size_t i = slot_of(m, k, h);
	if (!m->keys[i]) {
		m->keys[i] = k;
		m->hashes[i] = h;
		m->n++;
	}
	return i;
}

void strmap_put(StrMap *m, const char *k, void *v)
{
	size_t i = slot_for(m, k, strmap_hash(k)); /* before m->vals: it may grow */
	m->vals[i] = v;
}

bool strmap_add(StrMap *m, const char *k, void *v)
{
	size_t n = m->n, i = slot_for(m, k, strmap_hash(k));
	if (m->n == n)
		return false;
	m->vals[i] = v;
	return true;
}
