/*
 * service.h - `edict serve`: what the files of the decision service share.
 *
 *   serve.c          the command: options, start, signals, reload, drain
 *   serve_http.c     HTTP on GNU libmicrohttpd: limits, token, TLS, streaming;
 *                    the evaluation threads
 *   serve_api.c      one request in, one reply out (no sockets: fuzzed)
 *   serve_rules.c    the rule set in service, swapped atomically; per-thread
 *                    evaluation contexts and the per-request time limit
 *   serve_log.c      the decision log: a bounded queue, a writer, rotation
 *   serve_metrics.c  counters and latency histograms, in Prometheus text
 *
 * Every request evaluates through the library's interface (edict.h and the
 * internal api.h/whatif.h), with the facts read and checked as for
 * `edict eval`.
 */
#ifndef EDICT_CLI_SERVICE_H
#define EDICT_CLI_SERVICE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "format.h"
#include "mem.h"

/* ------------------------------------------------------------- limits */

typedef struct ServeLimits {
	size_t max_body;       /* bytes of a JSON request body */
	size_t max_batch_body; /* bytes of a /v1/batch body */
	uint64_t max_steps;    /* per evaluation (0: the library's default) */
	size_t max_memory;     /* bytes per evaluation (0: the default) */
	unsigned time_ms;      /* per request's evaluations */
	unsigned max_connections;
	unsigned idle_timeout_s;    /* a connection with nothing to say */
	unsigned request_timeout_s; /* a client too slow to send its request */
	/* last, so that a harness that sets the fields above in order need not
	 * know them: 0 is no limit */
	size_t max_batch_reply;  /* bytes of a /v1/batch reply, held until the body ends */
	unsigned batch_time_ms;  /* a /v1/batch request, from its start to its reply */
} ServeLimits;

/* ------------------------------------------------------------ rule sets */

/* A rule set in service.  Requests hold a reference for their whole
 * length, so a reload never pulls rules from under one. */
typedef struct Ruleset {
	edict_rules *rules;
	const char *name;  /* the rule path's last part: "kotra" */
	char hash[80];     /* "sha256:..." */
	char *schema;      /* GET /v1/schema's reply (malloc) */
	char *openapi;     /* GET /openapi.json's reply (malloc) */
	char *ruleset_json; /* {"name":..,"hash":..} (malloc) */
	unsigned gen;
	atomic_int refs;
} Ruleset;

/* Load and check the rules at paths; NULL with *report (malloc'd) holding
 * the diagnostics when they have errors. */
Ruleset *rules_load(const char *const *paths, int npaths, char **report);
/* The same for rules already loaded without errors (the handle is taken
 * over); path names the set. */
Ruleset *rules_make(edict_rules *r, const char *path, char **report);
/* The rule set in service now (a new reference), or NULL before the first
 * load succeeded. */
Ruleset *rules_acquire(void);
void rules_release(Ruleset *rs);
/* Put rs in service; the old one goes when its last request finishes. */
void rules_install(Ruleset *rs);
/* Drop the rule set in service (at exit). */
void rules_shutdown(void);

/* An evaluation thread's contexts, made for one rule set and remade when
 * another comes into service; on cache lines of its own, as every request
 * writes to it while other threads write to theirs. */
typedef struct Worker {
	_Alignas(MEM_LINE) Ruleset *rs;
	edict_ctx *ctx, *ctx2;  /* ctx2: the "after" side of a what-if */
	const struct Query **all; /* every public decision, compiled */
	Buf *keys;                /* each as a JSON key with its colon */
	int nall;
	Value *vals;
	const char **errs;
	int cap; /* of vals, errs */
	/* the time limit: past the deadline the watchdog interrupts the
	 * contexts in `watch` (a thread runs one evaluation at a time) */
	pthread_mutex_t mu;
	uint64_t deadline_ns; /* 0: nothing running */
	edict_ctx *watch[2];
	bool fired; /* the watchdog interrupted `watch` */
	bool stale; /* ctx and ctx2 were interrupted: remade before their next use */
} Worker;

/* The calling thread's worker, ready for rs (NULL: only its clock is
 * needed, its contexts are left as they are); NULL when out of memory. */
Worker *worker_for(Ruleset *rs, const ServeLimits *lim);
/* Start and stop the time limit around a request's evaluations on ctx
 * (NULL: the worker's own ctx and ctx2).  Stopping says whether the
 * watchdog interrupted them (an interrupted context may hold a stale stop
 * request: the worker's own are remade; others are the caller's to remake). */
void worker_start_clock(Worker *w, edict_ctx *ctx, unsigned ms);
bool worker_stop_clock(Worker *w);
/* The watchdog thread that enforces the time limits. */
int watchdog_start(void);
void watchdog_stop(void);
uint64_t serve_now_ns(void);

/* ------------------------------------------------------------- requests */

enum { ARG_MAX = 32 };

typedef struct Request {
	const char *method, *path;
	const char *args[ARG_MAX][2]; /* the query string: key, value */
	int nargs;
	const char *body;
	size_t len;
	const char *request_id;
} Request;

typedef struct Reply {
	int status;
	const char *type; /* Content-Type */
	Buf body;
	const char *allow; /* for 405: the methods allowed */
	int endpoint;      /* for the metrics: an ENDPOINT_* */
} Reply;

enum {
	EP_DECIDE, EP_BATCH, EP_WHYNOT, EP_WHATIF, EP_SCHEMA, EP_OPENAPI, EP_EXAMPLES,
	EP_HEALTHZ, EP_READYZ, EP_METRICS, EP_WEB, EP_DOCS, EP_OTHER, EP__COUNT
};
extern const char *const serve_endpoint_names[EP__COUNT];

/* The service's settings, shared by every request. */
typedef struct Service {
	ServeLimits lim;
	const char *docs_dir; /* --docs DIR, or NULL */
	bool log_facts;       /* the decision log keeps the facts, not their digest */
	atomic_bool draining;
	/* the last reload that failed: its diagnostics (malloc), under mu */
	pthread_mutex_t mu;
	char *reload_error;
} Service;

/* Answer one request (everything but the HTTP framing).  The reply's body
 * is collector memory, valid until the caller's next request. */
void serve_handle(Service *sv, const Request *rq, Reply *out);
/* The endpoint a path names, for the limits applied before the body is read. */
int serve_endpoint(const char *method, const char *path);

/* /v1/batch, a line at a time as the body arrives: the record of one line
 * (with its newline) appended to out. */
typedef struct BatchRun {
	Ruleset *rs;
	edict_ctx *ctx;  /* the batch's own: a line borrows its thread's worker's clock */
	const ServeLimits *lim;
	const struct Query **qs;
	Buf *keys;
	int nq;
	const char *as_of;
	long lineno;
	uint64_t until_ns; /* the batch's deadline (0: none): no line's clock runs past it */
	const char *request_id;
	Value *vals;
	const char **errs;
	bool ready;
	int status; /* set when the queries do not compile (400) */
	Buf error;  /* its reply */
} BatchRun;
void batch_begin(Service *sv, BatchRun *br, const Request *rq);
void batch_line(Service *sv, BatchRun *br, const char *line, size_t n, Buf *out);
void batch_end(BatchRun *br);

/* An error reply: {"error":{"status":..,"kind":..,"message":..[,"path":..]}}. */
void reply_error(Reply *out, int status, const char *kind, const char *message, const char *path);

/* Embedded files (web/app, the examples): generated at build time. */
typedef struct Asset {
	const char *path; /* "/index.html", "/examples/companies/x.json" */
	const unsigned char *data;
	size_t len;
} Asset;
extern const Asset serve_assets[];
extern const size_t serve_nassets;

/* ---------------------------------------------------------- decision log */

int declog_open(const char *file, size_t max_bytes, int keep);
/* Queue one record (a JSON object without newline); never waits: when the
 * queue is full it is dropped and counted. */
void declog_put(const char *json, size_t n);
void declog_close(void);
bool declog_enabled(void);

/* -------------------------------------------------------------- metrics */

void metrics_request(int endpoint, int status, uint64_t ns);
void metrics_evaluations(long n, long errors);
void metrics_reload(bool ok);
void metrics_connection(int delta);
void metrics_inflight(int delta);
long metrics_inflight_now(void);
long metrics_connections_now(void);
void metrics_log(long written, long dropped);
void metrics_render(Buf *out, const Ruleset *rs);

#endif
