/*
 * facts.h - the facts an evaluation reads, from JSON, checked against the
 * fact schema (`fact` declarations).
 *
 * Every fact arrives typed: a percentage as "14%", money as "50000000 KRW",
 * a date as "2026-12-01", a fact over time as its dated values, an object
 * {"2025-01-01": "12%", "2025-04-01": "18%"} from the earliest date.  A
 * missing fact becomes an unknown value that remembers its path, so a
 * decision that cannot be made can say which facts it still needs.  Errors name the path: `company.us_export_share: expected
 * a percentage like "12%", got "abc"`.
 */
#ifndef EDICT_FACTS_H
#define EDICT_FACTS_H

#include <json-c/json.h>

#include "vm.h"

#define FACTS_MAX_DEPTH 64
#define FACTS_MAX_BYTES (64u << 20)
#define FACTS_MAX_VALUES 1000000 /* values in one document: json-c's tree is ~50x the text */
#define FACTS_MAX_STRING (1 << 20) /* bytes in one text of a document */
/* A NUL character (\u0000) would cut a key, or a text read as a member,
 * an amount, a date ..., short where it is read as a C string: every door
 * refuses it, with these words.  A string fact keeps it, as it keeps its
 * length. */
#define FACTS_NUL_TEXT "invalid facts: the value holds a NUL character (\\u0000), which only a string may hold"
#define FACTS_NUL_KEY "invalid facts: %s may not hold a NUL character (\\u0000)"

/* Why a facts document was refused, and where (line and column from 1;
 * 0 when it is the whole document, as for its size). */
typedef struct FactsError {
	int line, col;
	const char *what; /* "invalid JSON: the JSON ends too early" */
	bool not_json;    /* json-c's syntax error: the text may be meant as something else */
} FactsError;

/* The one reader of facts documents: every door facts enter by (the
 * command's --facts, batch and simulate lines, the REPL's load, the C API's
 * edict_ctx_set_facts_json, and the hosts built on it) reads through here,
 * so that each document meets the same checks.  Before json-c builds its
 * tree: the size (FACTS_MAX_BYTES), NUL bytes, the number of values
 * (FACTS_MAX_VALUES), the length of each text (FACTS_MAX_STRING), keys
 * named twice in an object, keys that hold a NUL character (\u0000),
 * single quotes (which json-c accepts even when
 * strict).  Then json-c parses strictly, at most FACTS_MAX_DEPTH deep,
 * with UTF-8 validated; only white space may follow the document.  A
 * byte order mark may open it.  Returns ST_OK with the tree in *out (the
 * caller puts it: json_object_put), ST_FACTS with *e, or ST_MEMORY when
 * json-c runs out of memory (said as such, never as bad JSON). */
int facts_read(const char *text, size_t len, json_object **out, FactsError *e);
/* Where JSON text first writes the escape of a NUL character (\u0000),
 * an escape being a backslash that no escape's backslash precedes; -1
 * when it writes none.  json-c keeps a key only up to a NUL, so a key
 * with one is refused (facts_read), as the service refuses one anywhere in
 * a request. */
long facts_nul_escape(const char *s, size_t n);
/* facts_read with the refusal as one message: "name:line:col: what". */
int facts_parse_json(const char *text, size_t len, const char *name, json_object **out, const char **err);

/* Build the absent values of every fact and field once (load.c calls it). */
void facts_prepare(Program *p);
/* Reset every fact root to "absent" (defaults, or unknown). */
void facts_clear(Ctx *c);
/* Load one JSON document (an object with a key per fact root; "as_of" and
 * "id" are allowed besides).  Facts not in the document are absent.
 * Returns ST_OK, or ST_FACTS with *err. name labels messages. */
int facts_load_json(Ctx *c, const char *text, size_t len, const char *name, const char **err);
int facts_load_object(Ctx *c, json_object *root, const char *name, const char **err);

/* The records of a context's fact roots, kept from one document to the
 * next so that a stream of documents does not allocate each fact record
 * anew: per root, the record the last load made and one of an earlier
 * load, free to be filled again.  Only for a host that never keeps a value
 * of earlier facts once it has loaded new ones (`edict batch`), since the
 * record of the load before last is overwritten.  Allocate it zeroed with
 * facts_recycle_new. */
typedef struct FactsRecycle {
	Rec **installed;
	Rec **spare;
	/* the texts of the documents the fast door reads (facts_load_text),
	 * carved from two regions in turn: texts[texts_in] holds those of the
	 * facts installed (-1: none does), and the next load carves the other
	 * over from its start */
	MemRegion texts[2];
	int texts_in;
} FactsRecycle;

FactsRecycle *facts_recycle_new(const Program *p);
/* facts_load_object, filling the spare records of rc (NULL: as
 * facts_load_object). */
int facts_load_object_recycling(Ctx *c, json_object *root, const char *name, const char **err, FactsRecycle *rc);

/* A piece of the text of a document. */
typedef struct FactsSpan {
	const char *s; /* NULL: none */
	size_t n;
} FactsSpan;

/* The fast door for the documents of a stream (factstext.c): the text read
 * in one pass straight into c's facts, as facts_read and then
 * facts_load_object_recycling would load them, with no tree in between.
 * Returns ST_OK, with the document's "id" as its JSON text in *id (as
 * json-c writes it back; s NULL when the document has none), or ST_FACTS
 * when it declines the document (anything it does not read, right or
 * wrong), leaving c as it was: then the full reader decides, and says
 * why when it refuses.  rc may be NULL. */
int facts_load_text(Ctx *c, const char *text, size_t len, FactsRecycle *rc, FactsSpan *id);

/* Convert JSON to a value of type t; path names it in messages. */
int facts_convert(const Program *p, const Type *t, json_object *j, const char *path, Value *out, const char **err);
/* Take out of a facts document (in place) the facts and fields that p
 * does not declare but wider does: the new facts of a reform, left out of
 * the document the rules as they are read (`edict simulate`). */
void facts_drop_unknown(const Program *p, const Program *wider, json_object *doc);
/* The value of an absent fact or field of type t at path (its default or unknown). */
Value facts_absent(const Program *p, const Type *t, const Node *dflt, const char *path);
/* Set the fact at root[slots...] to v, copying records on the way so no
 * other context sees the change. */
void facts_set_path(Ctx *c, int root, const int *slots, int nslots, Value v);
/* Parse "14%", "50000000 KRW", "2026-12-01", "14 days", "6205.20" for type t. */
int facts_scalar(const Type *t, const char *s, size_t n, Value *out);

#endif
