/*
 * sha256.c - SHA-256 (FIPS 180-4): the content hash of a rule set
 * (schema.c), small enough not to need a crypto library.
 *
 * Blocks go through the processor's SHA instructions where it has them
 * (x86-64, checked once with cpuid), else through the portable rounds.
 */
#include <stdbool.h>
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

#define S0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define S1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
/* One round, with the eight working variables named where they stand
 * (renaming them round by round instead of moving them). */
#define ROUND(a, b, c, d, e, f, g, h, i)                                             \
	do {                                                                         \
		uint32_t t1 = h + S1(e) + ((e & f) ^ (~e & g)) + K[i] + w[i];        \
		d += t1;                                                             \
		h = t1 + S0(a) + ((a & b) ^ (a & c) ^ (b & c));                      \
	} while (0)

static void compress(Sha256 *s, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i += 8) {
		ROUND(a, b, c, d, e, f, g, h, i);
		ROUND(h, a, b, c, d, e, f, g, i + 1);
		ROUND(g, h, a, b, c, d, e, f, i + 2);
		ROUND(f, g, h, a, b, c, d, e, i + 3);
		ROUND(e, f, g, h, a, b, c, d, i + 4);
		ROUND(d, e, f, g, h, a, b, c, i + 5);
		ROUND(c, d, e, f, g, h, a, b, i + 6);
		ROUND(b, c, d, e, f, g, h, a, i + 7);
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

#ifdef HAVE_SHA_NI
/* The same compression with the SHA extensions: the state kept as the
 * pairs ABEF and CDGH the instructions work on, four rounds a step, the
 * message words made four at a time in a ring of four vectors. */
__attribute__((target("sha,sse4.1"))) static void compress_ni(Sha256 *s, const unsigned char *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s->h[0]), 0xB1); /* CDAB */
	__m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s->h[4]), 0x1B); /* EFGH */
	__m128i abef = _mm_alignr_epi8(dcba, hgfe, 8), cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);
	const __m128i abef0 = abef, cdgh0 = cdgh;
	__m128i w[4];
	for (int q = 0; q < 16; q++) {
		if (q < 4) {
			w[q] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * q)), bswap);
		} else {
			__m128i t = _mm_sha256msg1_epu32(w[q & 3], w[(q + 1) & 3]);
			t = _mm_add_epi32(t, _mm_alignr_epi8(w[(q + 3) & 3], w[(q + 2) & 3], 4));
			w[q & 3] = _mm_sha256msg2_epu32(t, w[(q + 3) & 3]);
		}
		__m128i k = _mm_add_epi32(w[q & 3], _mm_loadu_si128((const __m128i *)&K[4 * q]));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
		abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0E));
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	__m128i feba = _mm_shuffle_epi32(abef, 0x1B), dchg = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)&s->h[0], _mm_blend_epi16(feba, dchg, 0xF0));
	_mm_storeu_si128((__m128i *)&s->h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static bool has_sha_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

static int use_ni = -1; /* not known yet; racing threads find the same answer */

void sha256_portable(bool only)
{
#ifdef HAVE_SHA_NI
	__atomic_store_n(&use_ni, only ? 0 : has_sha_ni(), __ATOMIC_RELAXED);
#else
	(void)only;
#endif
}

/* Whether the processor has SHA instructions is asked only once a message
 * reaches this many bytes: cpuid, the asking, takes some 7 microseconds in
 * a virtual machine (four of them here), the portable rounds well under one
 * a block, so short texts (the build's hash an image is checked against,
 * read by every command that loads one) never ask. */
#define SHA_NI_AFTER 4096

/* One 64-byte block, by the fastest means this processor has. */
static void block(Sha256 *s, const unsigned char *p)
{
#ifdef HAVE_SHA_NI
	int ni = __atomic_load_n(&use_ni, __ATOMIC_RELAXED);
	if (ni < 0 && s->len < SHA_NI_AFTER)
		ni = 0;
	else if (ni < 0) {
		ni = has_sha_ni();
		__atomic_store_n(&use_ni, ni, __ATOMIC_RELAXED);
	}
	if (ni) {
		compress_ni(s, p);
		return;
	}
#endif
	compress(s, p);
}

void sha256_init(Sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->fill = 0;
}

void sha256_add(Sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->len += n;
	while (n) {
		if (s->fill == 0 && n >= 64) { /* whole blocks straight from the data */
			block(s, p);
			p += 64;
			n -= 64;
			continue;
		}
		size_t k = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->block + s->fill, p, k);
		s->fill += k;
		p += k;
		n -= k;
		if (s->fill == 64) {
			block(s, s->block);
			s->fill = 0;
		}
	}
}

void sha256_hex(Sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	sha256_add(s, &pad, 1);
	while (s->fill != 56)
		sha256_add(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_add(s, len, 8);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 8; j++)
			out[8 * i + j] = hex[(s->h[i] >> (28 - 4 * j)) & 15];
	out[64] = 0;
}
