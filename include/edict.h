/*
 * edict.h - the C interface to Edict, the one public header.
 *
 * Edict evaluates policy rules written in the Edict language.  A host
 * program loads a rule set once, then asks questions of it for many sets of
 * facts, from as many threads as it likes:
 *
 *     edict_rules  a loaded, checked and compiled rule set.  Immutable once
 *                  loaded; one handle is shared by every thread.
 *     edict_ctx    an evaluation context: the facts of one case (one company,
 *                  one request), its as-of date and its limits.  One per
 *                  thread at a time; reuse it for case after case.
 *     edict_value  the result of one evaluation, read as a typed value, as
 *                  Edict text or as JSON.
 *
 * Conventions (read these once; every function follows them):
 *
 *   Status.  Every function that can fail returns an int status, EDICT_OK
 *   (0) on success.  The numbers are stable.  After a failure on a context,
 *   edict_ctx_errmsg() says what went wrong, where, and what would fix it;
 *   edict_ctx_error() gives the same as data.  Loading a rule set always
 *   yields a handle (unless its arguments are NULL or memory runs out) whose
 *   diagnostics say what is wrong with the rules.  The library never prints, never exits and never
 *   aborts on bad input: NULL pointers, unknown decisions, malformed dates,
 *   bad JSON and runaway rules all come back as statuses.
 *
 *   Out parameters are written only on success, except the rule set handle
 *   of the load functions, which is written whenever it is not NULL.
 *
 *   Text in.  Strings passed in are UTF-8 and copied when the library needs
 *   them later; the caller may free them as soon as the call returns.  A
 *   length argument may be EDICT_NUL_TERMINATED for a NUL-terminated string.
 *
 *   Text out.  Strings returned belong to the library.  Those of a rule set
 *   (diagnostics, decision names) live until edict_rules_free().  Those of
 *   a context and its values (results, JSON, explanations, error messages)
 *   live until the context's facts or as-of date change (any
 *   edict_ctx_set_*), edict_ctx_reset() or edict_ctx_free(); so do the
 *   edict_value handles.  Copy what you keep longer, e.g. with
 *   edict_value_copy_text().  Never free them yourself.
 *
 *   Memory.  The library allocates from a garbage collector (Boehm GC) that
 *   it starts in edict_init().  Handles are kept alive by the library until
 *   their *_free call, so they may be stored anywhere, including memory the
 *   collector does not scan (malloc, C++ objects).
 *
 *   Threads.  One edict_rules may be used by any number of threads at once:
 *   creating contexts, evaluating, explaining, reading diagnostics.  A
 *   context and its values belong to one thread at a time (use them from
 *   several threads only with your own locking).  The collector must know
 *   every thread that holds its memory: every entry point registers an
 *   unknown calling thread automatically, and unregisters it when the
 *   thread exits; edict_thread_attach()/edict_thread_detach() do the same
 *   explicitly, e.g. for a thread pool that wants to register up front.
 *   Only edict_ctx_interrupt() may be called from another thread (or a
 *   signal handler) on a context in use.
 *
 *   Versions.  EDICT_VERSION_* describe this header; edict_version()
 *   describes the library actually linked.  Within one major version, and
 *   for 0.x within one minor version, the interface only grows.
 */
#ifndef EDICT_H
#define EDICT_H

#include <stddef.h>
#include <stdint.h>

#define EDICT_VERSION_MAJOR 0
#define EDICT_VERSION_MINOR 1
#define EDICT_VERSION_PATCH 0
#define EDICT_VERSION_STRING "0.1.0"
/* One comparable number: 10000 * major + 100 * minor + patch. */
#define EDICT_VERSION_NUMBER (EDICT_VERSION_MAJOR * 10000 + EDICT_VERSION_MINOR * 100 + EDICT_VERSION_PATCH)

/* EDICT_BUILDING: set by the build for every file of the library. */
#if defined(EDICT_BUILDING) && defined(__GNUC__)
#define EDICT_API __attribute__((visibility("default")))
#else
#define EDICT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct edict_rules edict_rules;
typedef struct edict_ctx edict_ctx;
typedef struct edict_value edict_value;

/* Statuses.  The numbers never change. */
enum edict_status {
	EDICT_OK = 0,
	EDICT_ESYNTAX = 1,     /* rule text or a query does not parse */
	EDICT_ETYPE = 2,       /* rules or a query do not check: unknown names, types that do not fit */
	EDICT_EFACTS = 3,      /* facts that are not valid JSON or do not fit the fact declarations */
	EDICT_ERUNTIME = 4,    /* the rules failed while deciding: conflicting exceptions, division by zero */
	EDICT_ELIMIT = 5,      /* an evaluation went past its step or memory limit, or nested too deep */
	EDICT_ENOMEM = 6,      /* out of memory */
	EDICT_EUSAGE = 7,      /* the call itself is wrong: a NULL pointer, an unknown decision, a bad date */
	EDICT_EIO = 8,         /* a rule file or directory could not be read */
	EDICT_EINTERRUPTED = 9 /* edict_ctx_interrupt() stopped the evaluation */
};

/* A short lowercase name for a status: "ok", "syntax", "type", "facts",
 * "runtime", "limit", "memory", "usage", "io", "interrupted"; "unknown"
 * for any other number.  Never NULL; static storage. */
EDICT_API const char *edict_status_name(int status);

/* The version of the linked library, like "0.1.0"; static storage. */
EDICT_API const char *edict_version(void);

/* -------------------------------------------------------------- setup */

/* Start the library: the garbage collector and its thread support.  Call
 * it once from the main thread before anything else, and before creating
 * threads that will call the library.  Further calls do nothing.  Every
 * entry point calls it if you did not, but some platforms need the
 * collector started from the main thread.  Returns EDICT_OK. */
EDICT_API int edict_init(void);

/* Register the calling thread with the collector (a no-op when it already
 * is).  Needed only if you want registration at a time of your choosing;
 * every entry point registers an unregistered thread itself, and a thread
 * registered by the library is unregistered automatically when it exits. */
EDICT_API int edict_thread_attach(void);
/* Unregister a thread that the library registered.  Afterwards the thread
 * must not use values or strings it got from the library (handles stay
 * valid; its next call registers it again).  Does nothing for threads that
 * the library did not register, such as the one that called edict_init(). */
EDICT_API int edict_thread_detach(void);

/* --------------------------------------------------------- rule sets */

/* Pass as a length to mean "up to the terminating NUL". */
#define EDICT_NUL_TERMINATED ((size_t)-1)

/* Diagnostic severities. */
enum edict_severity { EDICT_SEV_ERROR = 0, EDICT_SEV_WARNING = 1, EDICT_SEV_NOTE = 2 };

/* One diagnostic (or, from edict_ctx_error, the last error of a context).
 * Strings are owned by the library (see "Text out"); line and column
 * count from 1 (columns in bytes) and are 0 when there is no place, e.g. a
 * path that cannot be read; file is then the path or NULL. */
typedef struct edict_diag {
	int severity;        /* enum edict_severity */
	const char *file;    /* rule file, "query", "facts", or NULL */
	int line, column;    /* where it starts */
	int end_line, end_column; /* last character, inclusive */
	const char *message; /* one line, plain words */
	const char *hint;    /* a suggestion ("did you mean 'priority'?"), or NULL */
} edict_diag;

/* Load a rule set from files and directories (a directory contributes every
 * .edict file below it; see docs/language.md for module names).
 * *out receives a handle in every case but two: EDICT_EUSAGE for NULL
 * arguments, and EDICT_ENOMEM when not even the handle could be made (*out
 * is then NULL).  On failure the handle carries the diagnostics; free it
 * with edict_rules_free() either way.
 * Returns EDICT_OK (warnings allowed), EDICT_EIO (a path could not be
 * read), EDICT_ESYNTAX (some text does not parse) or EDICT_ETYPE (it parses
 * but does not check).  A load refused for what was passed (no files, more
 * than 10000, a text in memory over the 8 MiB limit on a rule file, a
 * reform of a rule set that did not load) returns EDICT_EUSAGE with a
 * handle whose one diagnostic says why.  The rules' own `check`s are not
 * run here (that is `edict check`'s job), as for `edict eval`. */
EDICT_API int edict_load_paths(const char *const *paths, size_t npaths, edict_rules **out);

/* The start-up cache of compiled images for edict_load_paths (the
 * command's eval, batch and test use it; docs/embedding.md): with a folder
 * (created when missing), a load of rule files starts from a valid image of
 * exactly those files, beside a single rule directory (DIR.edc, written by
 * `edict compile DIR`) or in the folder, and writes one to the folder after
 * reading the files.  An image is used only when every file it was made
 * from has the same size and time, or else the same content; the results
 * and diagnostics are those of a load of the files.  NULL (the default)
 * turns it off.  Call it before loading, not while other threads load. */
EDICT_API void edict_set_image_cache(const char *dir);

/* A rule file held in memory. name labels it in diagnostics and gives its
 * module name ("voucher" or "voucher.edict" -> module voucher) unless the
 * text starts with a `module` line. */
typedef struct edict_source {
	const char *name;
	const char *text;
	size_t len; /* or EDICT_NUL_TERMINATED */
} edict_source;

/* Load a rule set from text in memory: one file, or several that import
 * each other.  Same results as edict_load_paths (never EDICT_EIO). */
EDICT_API int edict_load_source(const char *name, const char *text, size_t len, edict_rules **out);
EDICT_API int edict_load_sources(const edict_source *sources, size_t nsources, edict_rules **out);

/* Load a reform of a rule set: rule files whose declarations replace the
 * declarations of the same name in the module of the same name (a reform
 * file names its module with a `module` line), like OpenFisca reforms:
 *     module voucher
 *     param priority_share : percent = 8%
 * Declarations the rule set does not have are added (with a warning, in
 * case the name is misspelt).  base must have loaded without errors; it is
 * not changed, and may be freed before or after the reform. */
EDICT_API int edict_load_reform(edict_rules *base, const char *const *paths, size_t npaths, edict_rules **out);
EDICT_API int edict_load_reform_source(edict_rules *base, const char *name, const char *text, size_t len,
				       edict_rules **out);

/* The status the load returned. EDICT_EUSAGE for NULL. */
EDICT_API int edict_rules_status(const edict_rules *rules);

/* Diagnostics, sorted by file, line and column: errors and warnings. */
EDICT_API size_t edict_rules_diag_count(const edict_rules *rules);
/* Fill *out with diagnostic i.  EDICT_EUSAGE if i is out of range. */
EDICT_API int edict_rules_diag(const edict_rules *rules, size_t i, edict_diag *out);
/* Diagnostic i rendered for people: "file:line:col: error: message", the
 * quoted line with carets under the place, and the hint.  NULL if i is out
 * of range. */
EDICT_API const char *edict_rules_diag_text(const edict_rules *rules, size_t i);
/* Every diagnostic rendered, one after another ("" when there are none). */
EDICT_API const char *edict_rules_report(const edict_rules *rules);

/* The public decisions (not params, not private), by qualified name such as
 * "voucher.priority", in declaration order; what `edict eval` evaluates when
 * no query is given.  0 / NULL for a rule set with errors. */
EDICT_API size_t edict_rules_decision_count(const edict_rules *rules);
EDICT_API const char *edict_rules_decision_name(const edict_rules *rules, size_t i);

/* The native tier: compile the rule set's decisions and functions to
 * machine code (through libgccjit, opened when first asked), so that the
 * evaluations with the rules, in every context, run them there from then
 * on: those the nqueries queries reach (decide or call, directly or not),
 * or, queries NULL, all of them.  Compiling takes about a millisecond an
 * instruction of bytecode (`edict disasm` shows them), so name the queries
 * where the rule set is large.  The compile runs in a child process of its
 * own, which leaves this process as it was (gcc sets the locale as it
 * runs, for one), so other threads may evaluate with the rules meanwhile:
 * an evaluation that starts before the machine code is ready is
 * interpreted, and a host can compile on a thread of its own and start
 * work at once, as `edict batch --native` does.  Results, errors and step
 * counts are the interpreter's; explanations always use the interpreter.
 * Returns how many decisions and functions are in machine code: 0 when
 * this machine has no libgccjit (libgccjit0), this build no native tier,
 * or the compile failed, and the interpreter runs everything, silently.
 * Once some are, asking again changes nothing. */
EDICT_API size_t edict_rules_native(edict_rules *rules, const char *const *queries, size_t nqueries);

/* Give up the handle.  The memory goes when the last context made from it
 * is freed too, so contexts may be freed before or after it.  NULL is fine. */
EDICT_API void edict_rules_free(edict_rules *rules);

/* ----------------------------------------------------------- contexts */

/* A new context for evaluating rules.  It starts with every fact absent
 * (unknown, or its declared default), the as-of date of today (UTC) and the
 * default limits.  EDICT_EUSAGE if rules is NULL or has errors. */
EDICT_API int edict_ctx_new(edict_rules *rules, edict_ctx **out);
/* Free a context; its values and strings go with it.  NULL is fine. */
EDICT_API void edict_ctx_free(edict_ctx *ctx);
/* Back to the state of a new context (every fact absent, as-of date today,
 * no error), keeping the limits.  Cheaper than a new context. */
EDICT_API int edict_ctx_reset(edict_ctx *ctx);

/* Replace all facts with one JSON document:
 *     {"as_of": "2026-12-01", "id": "C-17",
 *      "company": {"size": "sme", "us_export_share": "14%"}}
 * one key per `fact` of the rules; "as_of" and "id" are allowed besides.
 * Typed values are strings in Edict notation ("14%", "50000000 KRW",
 * "2026-12-01", "14 days", "6205.20"); null means missing.
 * Returns EDICT_EFACTS for invalid JSON or facts that do not fit their
 * declaration; the context's facts are then unchanged. */
EDICT_API int edict_ctx_set_facts_json(edict_ctx *ctx, const char *json, size_t len);

/* Set one fact, or one field of a fact, by path ("company.us_export_share").
 * value is JSON ("\"12%\"", "true", "{\"size\": \"sme\"}") or an Edict value
 * ("12%", "50_000_000 KRW", "sme", "{size: sme, us_export_share: 10%}").
 * Setting a field of an absent record makes the record with its other
 * fields absent.  EDICT_EFACTS for an unknown path or a value that does not
 * fit.  Note: values that are neither JSON nor a single Edict literal (records,
 * lists, expressions) are compiled against the rule set, which keeps a few
 * hundred bytes per call; prefer JSON for values built by programs. */
EDICT_API int edict_ctx_set_fact(edict_ctx *ctx, const char *path, const char *value);
/* Typed setters, for the fact at path of the matching type: */
EDICT_API int edict_ctx_set_bool(edict_ctx *ctx, const char *path, int value);
/* int facts; decimal facts too */
EDICT_API int edict_ctx_set_int(edict_ctx *ctx, const char *path, int64_t value);
/* string facts take the text as it is; enumerations take a member name;
 * typed facts their Edict notation ("14%", "50000000 KRW", "2026-12-01",
 * "14 days", "6205.20", "12.5") */
EDICT_API int edict_ctx_set_text(edict_ctx *ctx, const char *path, const char *text);
/* Mark a fact missing (unknown), as JSON null does. */
EDICT_API int edict_ctx_set_unknown(edict_ctx *ctx, const char *path);

/* A facts document built piece by piece, for a host whose facts are parsed
 * already (a database's JSON column, a scripting language's dictionary):
 * no JSON text is made and parsed again.  Report the document in order:
 *     edict_facts_begin(ctx);
 *     edict_facts_object(ctx);                        {
 *     edict_facts_key(ctx, "company", 7);               "company":
 *     edict_facts_object(ctx);                          {
 *     edict_facts_key(ctx, "size", 4);                    "size":
 *     edict_facts_string(ctx, "sme", 3);                  "sme"
 *     edict_facts_end(ctx);                             }
 *     edict_facts_end(ctx);                           }
 *     edict_facts_commit(ctx);
 * The document gets every check a JSON text gets (depth, number of values,
 * length and UTF-8 of texts, keys given twice, numbers in JSON syntax) and
 * then the same checks against the fact declarations, with the same
 * messages, naming the place ("company.size: expected one of ...").
 * Numbers are given as their JSON text ("12.5", "-3", "1e3"), so they
 * never pass through binary floating point.  Each call returns EDICT_OK or
 * EDICT_EFACTS (EDICT_ENOMEM); after a failure the document is dead and
 * every call but edict_facts_begin returns the same error, so a host may
 * check only the status of edict_facts_commit.  Commit replaces all facts
 * as edict_ctx_set_facts_json does; on failure the facts are unchanged.
 * Texts are copied; a document not committed is dropped by the next
 * edict_facts_begin, edict_ctx_reset or edict_ctx_free. */
EDICT_API int edict_facts_begin(edict_ctx *ctx);
EDICT_API int edict_facts_object(edict_ctx *ctx); /* opens an object: { */
EDICT_API int edict_facts_array(edict_ctx *ctx);  /* opens a list: [ */
EDICT_API int edict_facts_end(edict_ctx *ctx);    /* closes the innermost: } or ] */
EDICT_API int edict_facts_key(edict_ctx *ctx, const char *key, size_t len);
EDICT_API int edict_facts_string(edict_ctx *ctx, const char *text, size_t len);
EDICT_API int edict_facts_number(edict_ctx *ctx, const char *json_number, size_t len);
EDICT_API int edict_facts_bool(edict_ctx *ctx, int value);
EDICT_API int edict_facts_null(edict_ctx *ctx);
EDICT_API int edict_facts_commit(edict_ctx *ctx);

/* The as-of date the rules see (`as_of`, and which dated values apply):
 * "YYYY-MM-DD".  The date used is the one set here; else the facts
 * document's "as_of"; else today (UTC), as read from the clock when the
 * facts were last set.  NULL clears the date set here.
 * EDICT_EUSAGE for a date that is not a real day in years 0001-9999. */
EDICT_API int edict_ctx_set_as_of(edict_ctx *ctx, const char *date);
/* The date the next evaluation will use, "YYYY-MM-DD" (NULL if ctx is NULL). */
EDICT_API const char *edict_ctx_as_of(edict_ctx *ctx);

/* Limits for each evaluation: VM steps and bytes allocated.  0 means the
 * default (10 million steps, 64 MiB); UINT64_MAX steps or SIZE_MAX bytes
 * mean no practical limit.  Going past a limit stops that evaluation with
 * EDICT_ELIMIT. */
EDICT_API int edict_ctx_set_limits(edict_ctx *ctx, uint64_t max_steps, size_t max_bytes);

/* Ask the evaluation running on ctx to stop; it returns EDICT_EINTERRUPTED
 * at its next loop iteration.  Safe from another thread or a signal
 * handler.  A request made while nothing runs stops the next evaluation. */
EDICT_API int edict_ctx_interrupt(edict_ctx *ctx);

/* The status of the last call on ctx, and its message with a location
 * ("query:1:10: error: there is no decision named 'priorty'" plus the
 * quoted query and carets, or "facts:1:17: invalid JSON: ...").  "" after a
 * success; a fixed text for a NULL ctx. */
EDICT_API int edict_ctx_status(const edict_ctx *ctx);
EDICT_API const char *edict_ctx_errmsg(const edict_ctx *ctx);
/* The last error as data.  EDICT_EUSAGE for NULL arguments. */
EDICT_API int edict_ctx_error(const edict_ctx *ctx, edict_diag *out);

/* --------------------------------------------------------- evaluation */

/* Evaluate a query: a decision, param or table by name ("voucher.award",
 * or "award" when the name is unique), or any expression over the rules and
 * facts ("award > 10_000_000 KRW and priority").  Queries are compiled once
 * per rule set and cached.  Decisions are decided at most once per set of
 * facts, so asking several queries of the same facts is cheap.
 * Returns EDICT_OK with *out, EDICT_EUSAGE for an unknown decision name,
 * EDICT_ESYNTAX / EDICT_ETYPE for a bad expression, EDICT_ERUNTIME,
 * EDICT_ELIMIT or EDICT_EINTERRUPTED. A result may be unknown: see
 * edict_value_kind and edict_value_missing_json. */
EDICT_API int edict_eval(edict_ctx *ctx, const char *query, edict_value **out);
/* Compile a query (and cache it) without evaluating it, to find a mistake
 * in it early: the statuses of edict_eval but for the evaluation ones. */
EDICT_API int edict_prepare(edict_ctx *ctx, const char *query);
/* The same as edict_eval, with the result as JSON: true, 42, "50000000 KRW", "14%",
 * "sme", [..], {..}, or null when unknown. */
EDICT_API int edict_eval_json(edict_ctx *ctx, const char *query, const char **json);
/* Several queries of the same facts in one call, each evaluated as
 * edict_eval evaluates it (the decisions they share are decided once, as
 * for separate calls): results[i] is the result of queries[i].  The first
 * query that fails stops the rest: its status is returned, with the
 * context's message and place, and its index in *failed (unless failed is
 * NULL); the results before it are set.  *failed is n when every query
 * succeeded, and for a NULL argument. */
EDICT_API int edict_eval_many(edict_ctx *ctx, const char *const *queries, size_t n, edict_value **results,
			      size_t *failed);
/* The same, the results as one JSON array, each as edict_eval_json writes
 * it: [true, "50000000 KRW", [11, 12], null]. */
EDICT_API int edict_eval_many_json(edict_ctx *ctx, const char *const *queries, size_t n, const char **json,
				   size_t *failed);
/* Many documents, the same queries of each, in one call (for a host whose
 * every call costs, as from Python): for each of the ndocs documents in
 * turn, the facts are set from docs[i] (lens[i] bytes of JSON, or
 * EDICT_NUL_TERMINATED; lens NULL: every one NUL-terminated) as
 * edict_ctx_set_facts_json sets them, and the queries evaluated as
 * edict_eval_many_json evaluates them.  *json is one JSON array of each
 * document's array: [[true, "50000000 KRW"], [false, "0 KRW"]].  The first
 * document whose facts are refused or whose query fails stops the rest: its
 * status is returned, with the context's message and place, and its index
 * in *failed (unless failed is NULL); *failed is ndocs when every document
 * succeeded, and for a NULL argument.  Afterwards the context holds the
 * facts of the last document set. */
EDICT_API int edict_eval_batch_json(edict_ctx *ctx, const char *const *docs, const size_t *lens, size_t ndocs,
				    const char *const *queries, size_t n, const char **json, size_t *failed);
/* The facts the result still needs, as a JSON array of paths:
 * ["company.size"]; [] when the result is known. */
EDICT_API int edict_missing_json(edict_ctx *ctx, const char *query, const char **json);
/* How the result was reached, as JSON (docs/explain.md): the case that
 * applied with its sources, the conditions tested, the facts read and the
 * decisions used, nested. */
EDICT_API int edict_explain_json(edict_ctx *ctx, const char *query, const char **json);
/* The same explanation as indented text, as `edict eval --explain` prints. */
EDICT_API int edict_explain_text(edict_ctx *ctx, const char *query, const char **text);

/* ------------------------------------------------------------- values */

/* What a value is.  The numbers never change. */
enum edict_kind {
	EDICT_KIND_UNKNOWN = 0, /* missing facts: see edict_value_missing_json */
	EDICT_KIND_BOOL = 1,
	EDICT_KIND_INT = 2,
	EDICT_KIND_DECIMAL = 3,
	EDICT_KIND_MONEY = 4,
	EDICT_KIND_PERCENT = 5,
	EDICT_KIND_DATE = 6,
	EDICT_KIND_DURATION = 7,
	EDICT_KIND_TEXT = 8,
	EDICT_KIND_ENUM = 9,
	EDICT_KIND_HSCODE = 10,
	EDICT_KIND_LIST = 11,
	EDICT_KIND_RECORD = 12
};

/* The kind of a value, or -1 (not a kind) for NULL or a stale value. */
EDICT_API int edict_value_kind(const edict_value *v);
/* true/false as 1/0.  EDICT_EUSAGE if v is not a bool (an unknown value is
 * not a bool: check the kind first); the message is on v's context. */
EDICT_API int edict_value_bool(const edict_value *v, int *out);
EDICT_API int edict_value_int(const edict_value *v, int64_t *out);
/* The value in Edict notation: "true", "50000000 KRW", "14%", "2026-12-01",
 * "14 days", "sme", "\"text\"", "[1, 2]", "{size: sme}", "unknown".
 * NULL only for a NULL or stale v. */
EDICT_API const char *edict_value_text(const edict_value *v);
/* The value as JSON (null when unknown). */
EDICT_API const char *edict_value_json(const edict_value *v);
/* The facts an unknown value is waiting for, a JSON array ("[]" if known). */
EDICT_API const char *edict_value_missing_json(const edict_value *v);
/* Copy the Edict text or the JSON into buf (size bytes, NUL-terminated,
 * cut short if need be), like snprintf: returns the length of the whole
 * text, so a result >= size means it was cut.  0 for a NULL or stale v. */
EDICT_API size_t edict_value_copy_text(const edict_value *v, char *buf, size_t size);
EDICT_API size_t edict_value_copy_json(const edict_value *v, char *buf, size_t size);
/* Lists: the number of items, and item i (0-based). */
EDICT_API int edict_value_list_length(const edict_value *v, size_t *n);
EDICT_API int edict_value_list_item(const edict_value *v, size_t i, edict_value **out);
/* Records: the field of that name. */
EDICT_API int edict_value_field(const edict_value *v, const char *name, edict_value **out);

/* ----------------------------------------------------------- services */

/* A content hash of the rule set's files, "sha256:" and 64 hex digits: the
 * name and text of each module, not where the files lie, so the same rules
 * hash alike on every machine (`edict check` prints it).  Copied into buf
 * like snprintf: returns the whole length (71), 0 for a rule set with
 * errors or NULL. */
EDICT_API size_t edict_rules_hash(const edict_rules *rules, char *buf, size_t size);

/* What the rule set asks for and answers, as one JSON object:
 *   {"facts": <a JSON Schema (2020-12) of a facts document>,
 *    "decisions": [{"name":"voucher.award","module":"voucher",
 *                   "type":"money in KRW","kind":"money",...}]}
 * The schema's "x-edict-*" keywords carry the rules' types.  Copied into
 * buf like snprintf (call with size 0 to learn the length); 0 for a rule
 * set with errors or NULL. */
EDICT_API size_t edict_rules_schema_json(const edict_rules *rules, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
