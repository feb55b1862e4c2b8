/*
 * strmap.h - maps from texts to pointers, from the collector.
 *
 * One table for every lookup by name: the checker's names, types and
 * modules (check.c), the rule set's compiled queries (api.c) and the
 * language server's files by path.  Open addressing with linear probing
 * over FNV-1a, half full at the most, doubling as it fills.  Keys are
 * NUL-terminated texts the map does not copy: they must live as long as
 * it does.  A map of all zeros is empty and ready.
 */
#ifndef EDICT_STRMAP_H
#define EDICT_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct StrMap {
	const char **keys; /* NULL in an empty slot */
	void **vals;
	uint32_t *hashes; /* each key's hash: probes compare it before the text */
	size_t cap, n;    /* cap: 0 or a power of two */
} StrMap;

/* The hash of s (32-bit FNV-1a), and of s after a text already hashed to h
 * (for a key made of pieces, without joining them).  Inline: every lookup
 * starts here. */
static inline uint32_t strmap_hash_more(uint32_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static inline uint32_t strmap_hash(const char *s)
{
	return strmap_hash_more(2166136261u, s);
}

/* The value of key k, or NULL when k is not in the map; _hashed with k's
 * hash known already (strmap_hash). */
void *strmap_get(const StrMap *m, const char *k);
void *strmap_get_hashed(const StrMap *m, const char *k, uint32_t h);

/* The value of the key that joins a, the character sep and b ("mod.name"),
 * looked up without building it. */
void *strmap_get_joined(const StrMap *m, const char *a, char sep, const char *b);

/* Set k's value, replacing any it had. */
void strmap_put(StrMap *m, const char *k, void *v);

/* Set k's value unless k is there already (its first value stays): true
 * when it was added. */
bool strmap_add(StrMap *m, const char *k, void *v);

/* Room for n keys in all, made at once rather than by doubling (each
 * doubling puts every key again). */
void strmap_reserve(StrMap *m, size_t n);

#endif
