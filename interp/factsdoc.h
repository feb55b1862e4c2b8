/*
 * factsdoc.h - a facts document built piece by piece by a host, for hosts
 * whose facts are already parsed (a database's jsonb, a Python dict).
 *
 * The host reports what it walks: an object opens, a key, a text, a number,
 * a list closes.  The builder applies, as it goes, the checks that a facts
 * document read from JSON text gets before json-c parses it (facts.h): at
 * most FACTS_MAX_DEPTH levels, FACTS_MAX_VALUES values, texts of at most
 * FACTS_MAX_STRING bytes and valid UTF-8, numbers in JSON's syntax, no key
 * twice in one object; and it builds the same json-c tree as the parser,
 * so that facts_load_object then checks every value against the fact
 * declarations with the same code and messages as for text.  A message
 * names the place in the document: `company.name: ...`.
 */
#ifndef EDICT_FACTSDOC_H
#define EDICT_FACTSDOC_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct FactsDoc FactsDoc;

/* A new, empty document (collected memory; the json-c tree inside is
 * malloc'd: fdoc_discard frees it). */
FactsDoc *fdoc_new(void);
/* Free the tree built so far and start again. */
void fdoc_discard(FactsDoc *d);

/* The events, in document order.  Each returns true, or false with the
 * first error kept (fdoc_error); after an error every event returns false
 * until fdoc_discard. */
bool fdoc_open(FactsDoc *d, bool object);
bool fdoc_close(FactsDoc *d);
bool fdoc_key(FactsDoc *d, const char *key, size_t len);
bool fdoc_string(FactsDoc *d, const char *s, size_t len);
bool fdoc_number(FactsDoc *d, const char *text, size_t len);
bool fdoc_bool(FactsDoc *d, bool b);
bool fdoc_null(FactsDoc *d);

/* The finished tree, handed over (the caller puts it); NULL with an error
 * when the document is not complete or an event failed. */
json_object *fdoc_take(FactsDoc *d);
/* The first error, or NULL. */
const char *fdoc_error(const FactsDoc *d);

#endif
