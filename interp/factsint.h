/*
 * factsint.h - what the two readers of facts documents share (facts.c, the
 * reader over json-c's tree; factstext.c, the one-pass reader of the text):
 * where a value sits, the absent values built once per rule set, and the
 * values of absent and null facts.  Internal to the library.
 */
#ifndef EDICT_FACTSINT_H
#define EDICT_FACTSINT_H

#include <string.h>

#include "facts.h"

/* Where a value sits in the document: built on the stack as a reader
 * descends, and spelled out ("kpi_reports[2].actual") only when a message
 * or an unknown value needs it, so well-formed facts cost no strings. */
typedef struct Path {
	const struct Path *up;
	const char *key; /* field name, or NULL for a list item */
	size_t index;
	bool dated; /* key is the date a value of a fact over time holds from */
} Path;

/* What an absent fact or field looks like depends only on the schema and
 * the path, so for every path that goes through records (not list items)
 * it is built once per Program; loading a document then copies it and
 * overwrites what the document gives, and spells out no paths. */
struct Tmpl {
	Value absent;        /* the value of this fact or field when absent */
	int nfields;         /* records: */
	Value *fabsent;      /*   each field's absent value */
	struct Tmpl **field; /*   each field's own template */
};

/* Names of fields, facts and members mostly differ in their first letter:
 * comparing it first spares most calls of strcmp when looking a key up. */
static inline bool same_name(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

const char *facts_path_text(const Path *p);
/* An absent fact or field of type t: its default, else unknown for path. */
Value facts_absent_at(const Program *p, const Type *t, const Node *dflt, const Path *path);
/* An absent field (a record-typed one stays one unknown). */
Value facts_field_absent(const Program *p, const Field *f, const Path *fp);
/* The value of a fact or field given as JSON null. */
Value facts_null(const Program *p, const Type *t, const Path *path);
/* The record of type td a reader fills: reuse when it has as many fields
 * (a fact root's, from FactsRecycle), else a new one. */
Value facts_record_to_fill(const TypeDef *td, Rec *reuse);
/* Per field of td, what the document gave (zeroed): here when it has
 * room (FACTS_SEEN_HERE bytes, on the caller's stack), else collected. */
#define FACTS_SEEN_HERE 64
unsigned char *facts_seen(const TypeDef *td, unsigned char *here);
/* seen[i] of a field the document gave a value (not null) */
#define FACTS_GIVEN 2
/* Every field of rec the document did not give (seen[i] != FACTS_GIVEN):
 * its absent value. */
void facts_fill_absent(const Program *p, const TypeDef *td, const Path *path, const Tmpl *tm, Value rec,
		       const unsigned char *seen);
/* A load went well: each root's new record becomes the installed one of
 * rc (made: per root, the record the load filled, or NULL). */
void facts_recycle_swap(const Program *p, FactsRecycle *rc, Rec *const *made);

#endif
