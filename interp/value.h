/*
 * value.h - runtime values of the Edict VM.
 *
 * A Value is a 16-byte tagged union passed by value.  Booleans, integers,
 * dates, durations, enumeration members, tariff codes and decimals whose
 * coefficient fits in 64 bits live inside the Value itself; only strings,
 * lists, records, wide decimals and the "unknown" marker's fact set point to
 * the heap, and all of that comes from the collector (libgc).
 *
 * Decimal-like tags (V_DEC, V_MONEY, V_PCT) share one layout:
 *   small:  big == 0, as.i = coefficient, aux = exponent
 *   wide:   big == 1, as.p = Dec* (GC_MALLOC_ATOMIC), aux unused
 * A percentage is stored as its fraction: 12% is 0.12.
 * A money amount carries its ISO 4217 currency in `cur` as a base-26 number
 * (see val_currency), so no table is needed.
 */
#ifndef EDICT_VALUE_H
#define EDICT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "decimal.h"

typedef enum ValueTag {
	V_UNKNOWN, /* a missing fact, or anything computed from one */
	V_BOOL,
	V_INT,
	V_DEC,
	V_MONEY,
	V_PCT,
	V_DATE,
	V_DUR,
	V_STR,
	V_ENUM,
	V_HS,
	V_LIST,
	V_REC
} ValueTag;

/* Duration units, kept as written: 2 weeks prints as "2 weeks". */
typedef enum DurUnit { DU_DAYS, DU_WEEKS, DU_MONTHS, DU_YEARS } DurUnit;

typedef struct Str {
	uint32_t len;
	char data[]; /* NUL-terminated for convenience */
} Str;

typedef struct Value Value;

typedef struct Rec {
	uint32_t n;
	Value *f; /* GC_MALLOC'd fields, in slot order */
} Rec;

typedef struct List {
	uint32_t len;
	Value *items; /* GC_MALLOC'd array of len values */
} List;

/* The facts an unknown value depends on: sorted, without duplicates. */
typedef struct Missing {
	uint32_t len;
	Str *paths[];
} Missing;

struct Value {
	uint8_t tag;
	uint8_t big;  /* decimal-like: coefficient is in as.p */
	uint16_t cur; /* V_MONEY currency; V_DUR unit */
	int32_t aux;  /* decimal exponent; V_ENUM/V_REC type id; V_HS digit count */
	union {
		int64_t i;       /* V_BOOL, V_INT, V_DATE, V_DUR amount, V_ENUM member, V_HS digits, small coef */
		Dec *d;          /* wide decimal */
		Str *s;          /* V_STR */
		List *l;         /* V_LIST */
		Rec *r;          /* V_REC */
		Missing *m;      /* V_UNKNOWN (NULL: unknown for no particular fact) */
		struct EnumData *e; /* V_ENUM with big == 1: a member carrying a value */
	} as;
};

/* A member of an enumeration that carries a value (`most_recent(2024-05-01)`):
 * the Value has big == 1 and points here.  A member without data keeps its
 * index in as.i, so plain enumerations cost nothing. */
typedef struct EnumData {
	int64_t member;
	Value data;
} EnumData;

static inline Value val_bool(bool b) { Value v = {.tag = V_BOOL}; v.as.i = b; return v; }
static inline Value val_int(int64_t i) { Value v = {.tag = V_INT}; v.as.i = i; return v; }
static inline Value val_date(date_t d) { Value v = {.tag = V_DATE}; v.as.i = d; return v; }
static inline Value val_unknown(Missing *m) { Value v = {.tag = V_UNKNOWN}; v.as.m = m; return v; }
static inline Value val_enum(int type, int64_t member)
{
	Value v = {.tag = V_ENUM, .aux = type};
	v.as.i = member;
	return v;
}
/* The member index of a V_ENUM, with or without data. */
static inline int64_t val_member(Value v) { return v.big ? v.as.e->member : v.as.i; }
/* Member `member` of enumeration `type` carrying `data` (known). */
Value val_enum_data(int type, int64_t member, Value data);
static inline Value val_dur(int64_t n, DurUnit u)
{
	Value v = {.tag = V_DUR, .cur = (uint16_t)u};
	v.as.i = n;
	return v;
}
static inline bool val_is_unknown(Value v) { return v.tag == V_UNKNOWN; }
static inline bool val_is_declike(Value v) { return v.tag == V_DEC || v.tag == V_MONEY || v.tag == V_PCT; }

/* Decimal-like values: tag is V_DEC, V_MONEY or V_PCT. */
Value val_dec(ValueTag tag, Dec d, uint16_t cur);
Dec val_get_dec(Value v);

/* Currency codes: "KRW" <-> base-26 number; 0 is not a currency. */
uint16_t val_currency(const char *code3);
void val_currency_text(uint16_t cur, char out[4]);

Str *val_str_new(const char *s, size_t n);
/* The text s (n bytes) into mem, room for sizeof(Str) + n + 1 bytes. */
Str *val_str_fill(void *mem, const char *s, size_t n);
Value val_str(const char *s, size_t n);
List *val_list_new(uint32_t len);
Value val_list(List *l);
Value val_rec(int type, uint32_t nfields); /* fields start unknown */

/* HS tariff codes: "6205.20" -> digits 620520, 6 digits. */
int val_hs_parse(const char *s, size_t n, Value *out);
int val_hs_chapter(Value v);
int val_hs_heading(Value v);

/* Unknown markers. */
Missing *val_missing1(const char *path, size_t n);
Missing *val_missing_union(Missing *a, Missing *b);
Value val_unknown_union(Value a, Value b); /* both may be unknown or not */

/* The kind of a value in words: "a whole number", "an amount of money". */
const char *val_kind_name(Value v);

/* Structural equality (1.0 == 1.00, same currency).  Unknowns never reach it. */
bool val_equal(Value a, Value b);
/* A hash that agrees with val_equal: equal values hash alike (1.0 and 1.00,
 * 2 weeks and 14 days, an amount whatever its currency). */
uint64_t val_hash(Value v);
/* The work val_equal or val_hash may do on v beyond one step: one for
 * each byte of its texts and each value inside it.  Counting stops past
 * limit (a list that holds one list many times over is small in memory,
 * large here). */
uint64_t val_weight(Value v, uint64_t limit);
/* The same for comparing v with another value (=, <, `in`): a step for
 * each value inside it, as val_weight, but one for each 2^
 * VAL_BYTES_A_STEP_SHIFT bytes of its texts, which memcmp reads that much
 * faster.  Short texts weigh nothing. */
#define VAL_BYTES_A_STEP_SHIFT 6
uint64_t val_compare_weight(Value v, uint64_t limit);

#endif
