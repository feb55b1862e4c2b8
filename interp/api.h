/*
 * api.h - the library's internal interface for the front ends in cli/.
 *
 * The hooks of api.c that front ends use beyond the public interface
 * (include/edict.h): batch and simulate hand over facts already parsed by
 * json-c and look at values and programs directly; a server asks what-if
 * questions of parameters and decisions (api_override; whatif.h holds the
 * why-not and what-if analyses).  They follow
 * the public interface's contract (a status, the error on the context) and
 * are not exported from libedict.
 */
#ifndef EDICT_API_H
#define EDICT_API_H

#include <json-c/json.h>

#include "edict.h"

/* What else of the library the front ends build on, listed here so that
 * cli/ includes this header alone: loading rule sets (load.h), queries,
 * tests and checks (query.h), values as text and JSON (format.h),
 * explanations (explain.h), facts (facts.h), contexts and their settings
 * (vm.h, ctx.h: ctx_set_*), the bytecode listing (disasm.h), ordering
 * values (arith.h); for the REPL's own expressions the parser, checker and
 * compiler (parse.h, check.h, compile.h), the builtins' names
 * (builtins.h) and the keywords (keywords.h), atomic file replacement
 * (fileio.h) and why-not (whynot.h).  The services built on this
 * interface (whatif.h, schema.h) include it themselves, so a front end
 * names them beside it. */
#include "arith.h"
#include "builtins.h"
#include "check.h"
#include "compile.h"
#include "disasm.h"
#include "explain.h"
#include "facts.h"
#include "fileio.h"
#include "format.h"
#include "keywords.h"
#include "load.h"
#include "parse.h"
#include "program.h"
#include "query.h"
#include "vm.h"
#include "whynot.h"

/* Replace a context's facts with a parsed JSON document, as
 * edict_ctx_set_facts_json does with text. */
int api_set_facts_object(edict_ctx *ctx, json_object *root);
/* Replace a context's facts with a document read by the fast door
 * (facts_load_text): EDICT_OK, with the document's "id" as JSON text in
 * *id, or EDICT_EFACTS when the door declines the document, the context
 * unchanged, its last error too: then read it with facts_read and
 * api_set_facts_object, which accept it or say why not. */
int api_set_facts_text(edict_ctx *ctx, const char *text, size_t len, FactsSpan *id);
/* Let the context fill the fact records and texts of earlier documents
 * again instead of allocating new ones (see FactsRecycle in facts.h), and
 * carve the values of its evaluations over those made with earlier facts
 * (ctx_reuse_region): for a host that never keeps a value, handle or text
 * of earlier facts, or of the evaluations made with them, once it has set
 * new ones, like `edict batch`.  Document after document, such a context
 * then asks the collector for no more memory. */
int api_recycle_facts(edict_ctx *ctx);

/* Whether the facts set on ctx satisfy the rules' requirements (`require`):
 * EDICT_OK, or EDICT_EFACTS with the broken requirement as the error (every
 * evaluation checks this itself; batch asks first, to count the record's
 * facts as invalid). */
int api_check_requirements(edict_ctx *ctx);
/* The value behind a handle (NULL for a NULL or stale handle). */
const Value *api_value(const edict_value *v);
/* A rule set loaded for the given queries only (load_paths_for): on
 * success *out holds it; otherwise (errors in what the queries reach, a
 * query that does not compile) nothing is kept and the caller loads whole
 * with edict_load_paths, which reports every error of the rule set. */
int api_load_paths_for(const char *const *paths, int npaths, const char *const *queries, int nqueries,
		       edict_rules **out);
/* The compiled program of a rule set (NULL when it has errors). */
const Program *api_program(const edict_rules *rules);

/* A query compiled once, for api_eval_queries: what edict_eval does for its
 * text on every call (the length check, hashing, the caches) happens here
 * only.  NULL with the context's error set, as edict_prepare. */
const struct Query *api_query(edict_ctx *ctx, const char *text);
/* Evaluate n queries from api_query as edict_eval does, but hand back the
 * values themselves (valid until the facts change) instead of handles, and
 * in one call: a host that formats each result at once needs no handle to
 * keep.  errs[i] is the message of query i when it failed, else NULL.
 * Returns how many failed (-1 for bad arguments). */
int api_eval_queries(edict_ctx *ctx, const struct Query *const *qs, int n, Value *vals, const char **errs);
/* The evaluation date now in effect (--as-of, the document's "as_of", or
 * today), as edict_ctx_as_of writes it. */
date_t api_as_of(const edict_ctx *ctx);
/* The evaluation context behind a handle, made ready for an evaluation of
 * its facts on its date within its limits (traced when asked): for the
 * analyses of whatif.c, which evaluate decisions one by one.  NULL for a
 * bad handle. */
struct Ctx *api_ctx_vm(edict_ctx *ctx, bool trace);

/* What if: fix the value of a parameter or decision (by name, as in
 * queries) to `value`, Edict text of its type ("12%", "true", "[sme]"),
 * for every later evaluation of the context, until api_clear_overrides.
 * Decisions that depend on it are decided again. */
int api_override(edict_ctx *ctx, const char *name, const char *value);
int api_clear_overrides(edict_ctx *ctx);

#endif
