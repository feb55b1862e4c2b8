/*
 * sha256.h - SHA-256 (FIPS 180-4), for the content hash of a rule set.
 */
#ifndef EDICT_SHA256_H
#define EDICT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed */
	unsigned char block[64];
	size_t fill;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_add(Sha256 *s, const void *data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(Sha256 *s, char out[65]);
/* Only the portable rounds (true), or the processor's SHA instructions
 * where it has them (false, the default); for tests that try both. */
void sha256_portable(bool only);

#endif
