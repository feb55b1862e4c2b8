/*
 * serve_api.c - one request of `edict serve` in, one reply out: the routes,
 * the JSON endpoints under /v1, the health and metrics endpoints, the web
 * page and the documentation.  No sockets here (serve_http.c frames the
 * requests), so the fuzz harness feeds this file raw requests.
 *
 * Request bodies are read as `edict eval` reads a facts file (facts.h:
 * strict JSON, the same size, depth and count limits); the facts in them
 * are checked against the fact declarations by the library, so a bad
 * document gets the words the command line gives.  Statuses: 400 for a
 * request that is not well formed, 404, 405, 413 (serve_http.c), 422 for
 * facts that do not fit (with the field's path) and for an evaluation that
 * went past its step, memory or time limit, 503 while no rules serve.
 */
#include "mem.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "explain.h"
#include "facts.h"
#include "service.h"
#include "sha256.h"
#include "whatif.h"

const char *const serve_endpoint_names[EP__COUNT] = {
	"/v1/decide", "/v1/batch", "/v1/whynot", "/v1/whatif", "/v1/schema", "/openapi.json", "/v1/examples",
	"/healthz", "/readyz", "/metrics", "/", "/docs", "other"};

/* ------------------------------------------------------------- replies */

static void reply_json(Reply *out, int status)
{
	out->status = status;
	out->type = "application/json";
}

void reply_error(Reply *out, int status, const char *kind, const char *message, const char *path)
{
	out->body.n = 0;
	reply_json(out, status);
	buf_printf(&out->body, "{\"error\":{\"status\":%d,\"kind\":\"%s\",\"message\":", status, kind);
	buf_json_str(&out->body, message, strlen(message));
	if (path) {
		buf_puts(&out->body, ",\"path\":");
		buf_json_str(&out->body, path, strlen(path));
	}
	buf_puts(&out->body, "}}\n");
}

/* The first line of a message (the rest quotes rule text). */
static const char *first_line(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? xprintf("%.*s", (int)(nl - s), s) : s;
}

/* The fact path a facts error names: "facts: company.size: expected .."
 * -> "company.size"; NULL when it names none. */
static const char *error_path(const char *msg)
{
	for (const char *s = msg; *s; s++) {
		const char *e = s;
		while (isalnum((unsigned char)*e) || *e == '_' || *e == '.' || *e == '[' || *e == ']')
			e++;
		if (e > s && e[0] == ':' && e[1] == ' ' && (e - s != 5 || strncmp(s, "facts", 5) != 0) &&
		    (e - s != 5 || strncmp(s, "error", 5) != 0))
			return xprintf("%.*s", (int)(e - s), s);
		s = *e ? e : e - 1;
	}
	return NULL;
}

/* ------------------------------------------------------------ requests */

/* The first escape \u0000 (NUL) in JSON text, as "NAME:LINE:COL: ..."; NULL
 * when there is none.  The JSON reader keeps names only up to a NUL, so
 * "company.size\u0000.x" would be read as "company.size": refused instead. */
static const char *nul_escape(const char *s, size_t n, const char *name)
{
	long at = facts_nul_escape(s, n);
	if (at < 0)
		return NULL;
	int line = 1;
	size_t bol = 0;
	for (size_t i = 0; i < (size_t)at; i++)
		if (s[i] == '\n') {
			line++;
			bol = i + 1;
		}
	return xprintf("%s:%d:%zu: a text holds the character \\u0000 (NUL), which no name, "
		       "query or value may contain", name, line, (size_t)at - bol + 1);
}

/* A request body: a JSON object whose members are among `allowed`.  NULL
 * after replying 400. */
static json_object *read_body(const Request *rq, Reply *out, const char *const *allowed)
{
	json_object *root = NULL;
	const char *err = NULL;
	if (rq->len == 0) {
		reply_error(out, 400, "request", "the request has no body; send a JSON object like {\"facts\": {...}}", NULL);
		return NULL;
	}
	if ((err = nul_escape(rq->body, rq->len, "request"))) {
		reply_error(out, 400, "request", err, NULL);
		return NULL;
	}
	int st = facts_parse_json(rq->body, rq->len, "request", &root, &err);
	if (st != ST_OK) {
		reply_error(out, st == ST_MEMORY ? 503 : 400, st == ST_MEMORY ? "memory" : "json", err ? err : "invalid JSON", NULL);
		return NULL;
	}
	if (json_object_get_type(root) != json_type_object) {
		json_object_put(root);
		reply_error(out, 400, "request", "the request body must be a JSON object like {\"facts\": {...}}", NULL);
		return NULL;
	}
	json_object_object_foreach(root, key, val)
	{
		(void)val;
		int i = 0;
		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i]) {
			int n = 0;
			while (allowed[n])
				n++;
			const char *best = diag_closest(key, allowed, n);
			Buf m = {0};
			buf_printf(&m, "the request has an unknown member \"%s\"", key);
			if (best)
				buf_printf(&m, "; did you mean \"%s\"?", best);
			else {
				buf_puts(&m, "; it may have");
				for (int k = 0; k < n; k++)
					buf_printf(&m, "%s \"%s\"", k ? "," : "", allowed[k]);
			}
			json_object_put(root);
			reply_error(out, 400, "request", buf_cstr(&m), NULL);
			return NULL;
		}
	}
	return root;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (o && json_object_object_get_ex(o, key, &v) && json_object_get_type(v) != json_type_null)
		return v;
	return NULL;
}

/* An "as_of" member: NULL when absent; "" after replying 400. */
static const char *as_of_member(json_object *o, const char *key, Reply *out)
{
	json_object *v = member(o, key);
	if (!v)
		return NULL;
	date_t d;
	const char *s = json_object_get_string(v);
	if (json_object_get_type(v) != json_type_string || date_parse(s, strlen(s), &d) != 0) {
		reply_error(out, 400, "request", xprintf("\"%s\" must be a real date like \"2026-12-01\"", key), key);
		return "";
	}
	return xprintf("%s", s);
}

/* Put a facts document and a date into ctx; false after replying 422. */
static bool set_case(edict_ctx *ctx, json_object *facts, const char *as_of, Reply *out)
{
	edict_ctx_set_as_of(ctx, as_of);
	if (facts && json_object_get_type(facts) != json_type_object) {
		reply_error(out, 422, "facts", "\"facts\" must be a JSON object with a key per fact, like {\"company\": {...}}",
			    "facts");
		return false;
	}
	json_object *empty = facts ? NULL : json_object_new_object();
	int st = api_set_facts_object(ctx, facts ? facts : empty);
	if (empty)
		json_object_put(empty);
	if (st == EDICT_OK)
		st = api_check_requirements(ctx); /* facts that break a requirement are invalid facts */
	if (st == EDICT_OK)
		return true;
	const char *msg = edict_ctx_errmsg(ctx);
	reply_error(out, st == EDICT_EFACTS ? 422 : 503, st == EDICT_EFACTS ? "facts" : edict_status_name(st), msg,
		    st == EDICT_EFACTS ? error_path(msg) : NULL);
	return false;
}

/* 422 for an evaluation stopped by a limit; false when st is another. */
static bool limit_reply(const Service *sv, int st, const char *msg, Reply *out)
{
	if (st == EDICT_ELIMIT) {
		reply_error(out, 422, "limit", first_line(msg), NULL);
		return true;
	}
	if (st == EDICT_EINTERRUPTED) {
		reply_error(out, 422, "time",
			    xprintf("the evaluation took longer than the limit of %u ms and was stopped", sv->lim.time_ms), NULL);
		return true;
	}
	return false;
}

/* Compile the queries of a request (NULL: every public decision).  False
 * after replying 400.  Each is a key of the reply's objects, so a query
 * asked twice is refused rather than answered under one key twice. */
static bool compile(edict_ctx *ctx, const char *const *texts, int n, const struct Query ***qs, Buf **keys, Reply *out)
{
	*qs = GC_MALLOC(sizeof(void *) * (size_t)(n + 1));
	*keys = GC_MALLOC(sizeof(Buf) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(texts[i], texts[j]) == 0) {
				const char *m = xprintf("the query \"%s\" is asked twice; ask each once", texts[i]);
				reply_error(out, 400, "query", m, NULL);
				return false;
			}
		(*qs)[i] = api_query(ctx, texts[i]);
		if (!(*qs)[i]) {
			reply_error(out, 400, "query", edict_ctx_errmsg(ctx), NULL);
			return false;
		}
		buf_json_str(&(*keys)[i], texts[i], strlen(texts[i]));
		buf_add(&(*keys)[i], ":", 1);
	}
	return true;
}

static void grow(Worker *w, int n)
{
	if (n <= w->cap)
		return;
	w->vals = GC_MALLOC(sizeof(Value) * (size_t)n);
	w->errs = GC_MALLOC(sizeof(char *) * (size_t)n);
	w->cap = n;
}

/* "as_of","decisions","missing"[,"errors"]: the members of `edict eval
 * --json`'s object, for decide and each line of batch. */
static void result_members(const Program *p, edict_ctx *ctx, Buf *keys, int n, Value *vals, const char **errs, Buf *b)
{
	char day[DATE_TEXT_LEN + 1];
	date_format(api_as_of(ctx), day);
	buf_printf(b, "\"as_of\":\"%s\",\"decisions\":{", day);
	int k = 0, nerr = 0;
	for (int i = 0; i < n; i++) {
		if (errs[i]) {
			nerr++;
			continue;
		}
		if (k++)
			buf_add(b, ",", 1);
		buf_add(b, keys[i].s, keys[i].n);
		fmt_json(p, vals[i], b);
	}
	buf_puts(b, "},\"missing\":{");
	k = 0;
	for (int i = 0; i < n; i++) {
		if (errs[i] || vals[i].tag != V_UNKNOWN)
			continue;
		if (k++)
			buf_add(b, ",", 1);
		buf_add(b, keys[i].s, keys[i].n);
		explain_missing_json(vals[i], b);
	}
	buf_puts(b, "}");
	if (!nerr)
		return;
	buf_puts(b, ",\"errors\":{");
	k = 0;
	for (int i = 0; i < n; i++) {
		if (!errs[i])
			continue;
		if (k++)
			buf_add(b, ",", 1);
		buf_add(b, keys[i].s, keys[i].n);
		const char *m = first_line(errs[i]);
		buf_json_str(b, m, strlen(m));
	}
	buf_puts(b, "}");
}

/* A record of the decision log. */
static void log_decision(Service *sv, const Request *rq, const char *endpoint, const Ruleset *rs, json_object *facts,
			 const char *result, size_t n)
{
	if (!declog_enabled())
		return;
	Buf b = {0};
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(&b, "{\"time\":\"%s\",\"request_id\":", when);
	const char *id = rq->request_id ? rq->request_id : "";
	buf_json_str(&b, id, strlen(id));
	buf_printf(&b, ",\"endpoint\":\"%s\",\"ruleset\":\"%s\",", endpoint, rs->hash);
	const char *ft = facts ? json_object_to_json_string_ext(facts, JSON_C_TO_STRING_PLAIN) : "{}";
	if (sv->log_facts) {
		buf_puts(&b, "\"facts\":");
		buf_puts(&b, ft);
	} else {
		Sha256 s;
		char hex[65];
		sha256_init(&s);
		sha256_add(&s, ft, strlen(ft));
		sha256_hex(&s, hex);
		buf_printf(&b, "\"facts_sha256\":\"%s\"", hex);
	}
	buf_puts(&b, ",\"result\":");
	buf_add(&b, result, n);
	buf_puts(&b, "}");
	declog_put(b.s, b.n);
}

/* ---------------------------------------------------------- /v1/decide */

static const char *const decide_members[] = {"facts", "queries", "as_of", "explain", NULL};

/* The "queries" member: strings; *texts NULL when absent.  False after
 * replying 400. */
static bool queries_member(json_object *req, const char ***texts, int *n, Reply *out)
{
	json_object *q = member(req, "queries");
	*texts = NULL;
	*n = 0;
	if (!q)
		return true;
	if (json_object_get_type(q) != json_type_array || json_object_array_length(q) == 0) {
		reply_error(out, 400, "request", "\"queries\" must be a list of decision names or expressions, like [\"voucher.award\"]",
			    "queries");
		return false;
	}
	*n = (int)json_object_array_length(q);
	*texts = GC_MALLOC(sizeof(char *) * (size_t)(*n + 1));
	for (int i = 0; i < *n; i++) {
		json_object *e = json_object_array_get_idx(q, (size_t)i);
		if (json_object_get_type(e) != json_type_string) {
			reply_error(out, 400, "request", "each of \"queries\" must be text, like \"voucher.award\"", "queries");
			return false;
		}
		(*texts)[i] = xprintf("%s", json_object_get_string(e));
	}
	return true;
}

static void decide(Service *sv, const Request *rq, Ruleset *rs, Worker *w, json_object *req, Reply *out)
{
	const char **texts;
	int n;
	const char *as_of = as_of_member(req, "as_of", out);
	if ((as_of && !*as_of) || !queries_member(req, &texts, &n, out))
		return;
	json_object *ex = member(req, "explain");
	if (ex && json_object_get_type(ex) != json_type_boolean) {
		reply_error(out, 400, "request", "\"explain\" must be true or false", "explain");
		return;
	}
	bool explain = ex && json_object_get_boolean(ex);
	json_object *facts = member(req, "facts");
	if (!set_case(w->ctx, facts, as_of, out))
		return;
	const struct Query **qs = w->all;
	Buf *keys = w->keys;
	if (texts && !compile(w->ctx, texts, n, &qs, &keys, out))
		return;
	if (!texts)
		n = w->nall;
	grow(w, n + 1);
	worker_start_clock(w, NULL, sv->lim.time_ms);
	int nerr = api_eval_queries(w->ctx, qs, n, w->vals, w->errs);
	int st = edict_ctx_status(w->ctx);
	const char *msg = edict_ctx_errmsg(w->ctx);
	Buf ex_json = {0};
	if (explain && nerr == 0) {
		buf_puts(&ex_json, ",\"explanations\":{");
		for (int i = 0; i < n && st == EDICT_OK; i++) {
			const char *json;
			const char *text = texts ? texts[i] : edict_rules_decision_name(rs->rules, (size_t)i);
			st = edict_explain_json(w->ctx, text, &json);
			if (st != EDICT_OK) {
				msg = edict_ctx_errmsg(w->ctx);
				break;
			}
			if (i)
				buf_puts(&ex_json, ",");
			buf_add(&ex_json, keys[i].s, keys[i].n);
			buf_puts(&ex_json, json);
		}
		buf_puts(&ex_json, "}");
	}
	worker_stop_clock(w);
	metrics_evaluations(n, nerr);
	if (nerr && limit_reply(sv, st, msg, out))
		return;
	if (explain && st != EDICT_OK && !nerr) {
		if (!limit_reply(sv, st, msg, out))
			reply_error(out, 500, edict_status_name(st), first_line(msg), NULL);
		return;
	}
	Buf *b = &out->body;
	reply_json(out, 200);
	size_t start = b->n;
	buf_puts(b, "{");
	result_members(api_program(rs->rules), w->ctx, keys, n, w->vals, w->errs, b);
	if (ex_json.n)
		buf_add(b, ex_json.s, ex_json.n);
	buf_puts(b, "}");
	log_decision(sv, rq, "decide", rs, facts, b->s + start, b->n - start);
	b->n--; /* the ruleset goes inside */
	buf_puts(b, ",\"ruleset\":");
	buf_puts(b, rs->ruleset_json);
	buf_puts(b, "}\n");
}

/* ----------------------------------------------------------- /v1/batch */

static const char *arg(const Request *rq, const char *key, int *from)
{
	for (int i = from ? *from : 0; i < rq->nargs; i++)
		if (strcmp(rq->args[i][0], key) == 0) {
			if (from)
				*from = i + 1;
			return rq->args[i][1] ? rq->args[i][1] : "";
		}
	return NULL;
}

/* The batch's own context, with the service's limits. */
static bool batch_ctx(BatchRun *br)
{
	edict_ctx_free(br->ctx);
	br->ctx = NULL;
	if (edict_ctx_new(br->rs->rules, &br->ctx) != EDICT_OK)
		return false;
	edict_ctx_set_limits(br->ctx, br->lim->max_steps, br->lim->max_memory);
	api_recycle_facts(br->ctx); /* each line's record is written before the next is read */
	return true;
}

void batch_begin(Service *sv, BatchRun *br, const Request *rq)
{
	memset(br, 0, sizeof *br);
	br->request_id = rq->request_id;
	br->lim = &sv->lim;
	br->rs = rules_acquire();
	if (!br->rs) {
		br->status = 503;
		buf_puts(&br->error, "{\"error\":{\"status\":503,\"kind\":\"rules\",\"message\":\"no rules are in service\"}}\n");
		return;
	}
	Reply r = {0};
	if (!batch_ctx(br)) {
		reply_error(&r, 503, "memory", "out of memory", NULL);
	} else {
		const char **texts = NULL;
		int n = 0;
		for (int from = 0;;) {
			const char *q = arg(rq, "query", &from);
			if (!q)
				break;
			AST_PUSH(texts, n, q);
		}
		if (!n)
			for (size_t i = 0; i < edict_rules_decision_count(br->rs->rules); i++)
				AST_PUSH(texts, n, edict_rules_decision_name(br->rs->rules, i));
		br->as_of = arg(rq, "as_of", NULL);
		date_t d;
		if (br->as_of && date_parse(br->as_of, strlen(br->as_of), &d) != 0)
			reply_error(&r, 400, "request", "as_of must be a real date like 2026-12-01", "as_of");
		else if (compile(br->ctx, texts, n, &br->qs, &br->keys, &r))
			br->nq = n;
	}
	if (r.status) {
		br->status = r.status;
		br->error = r.body;
		return;
	}
	br->vals = GC_MALLOC(sizeof(Value) * (size_t)(br->nq + 1));
	br->errs = GC_MALLOC(sizeof(char *) * (size_t)(br->nq + 1));
	br->ready = true;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The document's "id" as JSON, for the record; "" when it has none. */
static const char *id_json(json_object *doc)
{
	json_object *id;
	if (!doc || json_object_get_type(doc) != json_type_object || !json_object_object_get_ex(doc, "id", &id))
		return "";
	return xprintf(",\"id\":%s", json_object_to_json_string_ext(id, JSON_C_TO_STRING_PLAIN));
}

/* A line's time limit: the request's, or less when the batch's deadline
 * comes first. */
static unsigned line_ms(const BatchRun *br)
{
	uint64_t now = serve_now_ns(), ms = br->lim->time_ms;
	if (br->until_ns && (br->until_ns <= now || (br->until_ns - now) / 1000000 < ms))
		ms = br->until_ns <= now ? 1 : (br->until_ns - now) / 1000000 + 1;
	return (unsigned)ms;
}

void batch_line(Service *sv, BatchRun *br, const char *line, size_t n, Buf *out)
{
	long no = ++br->lineno;
	if (!br->ready || blank(line, n))
		return;
	json_object *doc = NULL;
	const char *name = xprintf("line %ld", no), *err = nul_escape(line, n, name);
	if (err || facts_parse_json(line, n, name, &doc, &err) != ST_OK) {
		/* "line 4:1:2: invalid JSON" is written as edict batch writes it */
		const char *at = xprintf("line %ld:1:", no);
		if (strncmp(err, at, strlen(at)) == 0) {
			const char *col = err + strlen(at);
			err = xprintf("line %ld, column %.*s%s", no, (int)strspn(col, "0123456789"), col, col + strspn(col, "0123456789"));
		}
		buf_printf(out, "{\"line\":%ld,\"error\":", no);
		buf_json_str(out, err, strlen(err));
		buf_puts(out, "}\n");
		return;
	}
	const char *id = id_json(doc);
	edict_ctx *ctx = br->ctx;
	edict_ctx_set_as_of(ctx, br->as_of);
	Worker *w = worker_for(NULL, br->lim); /* this thread's, for its clock */
	const char *fail = NULL;
	if (!w)
		fail = "out of memory";
	else if (api_set_facts_object(ctx, doc) != EDICT_OK || api_check_requirements(ctx) != EDICT_OK)
		fail = edict_ctx_errmsg(ctx);
	if (fail) {
		const char *m = xprintf("line %ld: %s", no, fail);
		buf_printf(out, "{\"line\":%ld%s,\"error\":", no, id);
		buf_json_str(out, m, strlen(m));
		buf_puts(out, "}\n");
		json_object_put(doc);
		return;
	}
	worker_start_clock(w, ctx, line_ms(br));
	int nerr = api_eval_queries(ctx, br->qs, br->nq, br->vals, br->errs);
	bool interrupted = worker_stop_clock(w);
	metrics_evaluations(br->nq, nerr);
	size_t start = out->n;
	buf_printf(out, "{\"line\":%ld%s,", no, id);
	result_members(api_program(br->rs->rules), ctx, br->keys, br->nq, br->vals, br->errs, out);
	buf_puts(out, "}");
	Request rq = {.request_id = br->request_id};
	log_decision(sv, &rq, "batch", br->rs, doc, out->s + start, out->n - start);
	buf_puts(out, "\n");
	json_object_put(doc);
	if (interrupted && !batch_ctx(br)) /* its stop request may still be pending */
		br->ready = false;
}

void batch_end(BatchRun *br)
{
	edict_ctx_free(br->ctx);
	br->ctx = NULL;
	rules_release(br->rs);
	br->rs = NULL;
	br->ready = false;
}

static void batch_whole(Service *sv, const Request *rq, Reply *out)
{
	BatchRun br;
	batch_begin(sv, &br, rq);
	if (!br.ready) {
		out->status = br.status;
		out->type = "application/json";
		out->body = br.error;
		batch_end(&br);
		return;
	}
	out->status = 200;
	out->type = "application/x-ndjson";
	size_t at = 0;
	while (at < rq->len) {
		const char *nl = memchr(rq->body + at, '\n', rq->len - at);
		size_t end = nl ? (size_t)(nl - rq->body) : rq->len;
		batch_line(sv, &br, rq->body + at, end - at, &out->body);
		at = end + 1;
	}
	batch_end(&br);
}

/* ------------------------------------------------- /v1/whynot, /v1/whatif */

static const char *const whynot_members[] = {"facts", "as_of", "decision", NULL};

/* {"ruleset":..,"as_of":.. and the members of obj ("{...}"). */
static void wrap(Reply *out, const Ruleset *rs, edict_ctx *ctx, const char *obj, size_t n)
{
	reply_json(out, 200);
	char day[DATE_TEXT_LEN + 1];
	date_format(api_as_of(ctx), day);
	buf_printf(&out->body, "{\"ruleset\":%s,\"as_of\":\"%s\",", rs->ruleset_json, day);
	buf_add(&out->body, obj + 1, n - 1);
	buf_puts(&out->body, "\n");
}

static void whynot(Service *sv, const Request *rq, Ruleset *rs, Worker *w, json_object *req, Reply *out)
{
	json_object *d = member(req, "decision");
	if (!d || json_object_get_type(d) != json_type_string) {
		reply_error(out, 400, "request", "name the yes/no decision: {\"decision\": \"voucher.priority\", \"facts\": {...}}",
			    "decision");
		return;
	}
	const char *as_of = as_of_member(req, "as_of", out);
	if ((as_of && !*as_of) || !set_case(w->ctx, member(req, "facts"), as_of, out))
		return;
	Buf b = {0};
	const char *err = NULL;
	worker_start_clock(w, NULL, sv->lim.time_ms);
	int st = whatif_whynot_json(w->ctx, json_object_get_string(d), &b, &err);
	worker_stop_clock(w);
	metrics_evaluations(1, st != EDICT_OK);
	if (st == EDICT_OK)
		wrap(out, rs, w->ctx, b.s, b.n);
	else if (!limit_reply(sv, st, err ? err : "", out))
		reply_error(out, st == EDICT_EUSAGE ? 400 : 500, st == EDICT_EUSAGE ? "decision" : edict_status_name(st),
			    err ? err : edict_status_name(st), st == EDICT_EUSAGE ? "decision" : NULL);
}

static const char *const whatif_members[] = {"facts", "as_of", "changes", "before", "after", NULL};
static const char *const side_members[] = {"facts", "as_of", NULL};

/* One side of a what-if given whole: {"facts":..,"as_of":..}. */
static bool side(json_object *req, const char *key, edict_ctx *ctx, Reply *out)
{
	json_object *s = member(req, key);
	if (!s || json_object_get_type(s) != json_type_object) {
		reply_error(out, 400, "request", xprintf("\"%s\" must be an object like {\"facts\": {...}, \"as_of\": \"2026-12-01\"}", key), key);
		return false;
	}
	json_object_object_foreach(s, k, v)
	{
		(void)v;
		if (strcmp(k, "facts") != 0 && strcmp(k, "as_of") != 0) {
			const char *best = diag_closest(k, side_members, 2);
			reply_error(out, 400, "request", xprintf("\"%s\" has an unknown member \"%s\"%s", key, k,
								 best ? xprintf("; did you mean \"%s\"?", best) : ""), key);
			return false;
		}
	}
	const char *as_of = as_of_member(s, "as_of", out);
	return !(as_of && !*as_of) && set_case(ctx, member(s, "facts"), as_of, out);
}

/* Apply {"path": value, ..., "as_of": date} to ctx. */
static bool apply_changes(json_object *changes, edict_ctx *ctx, Reply *out)
{
	if (json_object_get_type(changes) != json_type_object || json_object_object_length(changes) == 0) {
		reply_error(out, 400, "request", "\"changes\" must be an object like {\"company.us_export_share\": \"12%\"}",
			    "changes");
		return false;
	}
	json_object_object_foreach(changes, path, val)
	{
		if (strcmp(path, "as_of") == 0) {
			const char *s = json_object_get_string(val);
			if (json_object_get_type(val) != json_type_string || edict_ctx_set_as_of(ctx, s) != EDICT_OK) {
				reply_error(out, 400, "request", "a change of \"as_of\" must be a real date like \"2027-01-01\"", "as_of");
				return false;
			}
			continue;
		}
		const char *text = json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN);
		if (edict_ctx_set_fact(ctx, path, text) != EDICT_OK) {
			reply_error(out, 422, "facts", first_line(edict_ctx_errmsg(ctx)), path);
			return false;
		}
	}
	return true;
}

static void whatif(Service *sv, const Request *rq, Ruleset *rs, Worker *w, json_object *req, Reply *out)
{
	json_object *changes = member(req, "changes");
	bool two = member(req, "before") || member(req, "after");
	if (two == (changes != NULL) || (two && (member(req, "facts") || member(req, "as_of")))) {
		reply_error(out, 400, "request",
			    "give the facts and the changes ({\"facts\": {...}, \"changes\": {\"company.us_export_share\": \"12%\"}}),"
			    " or two cases ({\"before\": {\"facts\": ...}, \"after\": {\"facts\": ...}})", NULL);
		return;
	}
	if (two) {
		if (!side(req, "before", w->ctx, out) || !side(req, "after", w->ctx2, out))
			return;
	} else {
		const char *as_of = as_of_member(req, "as_of", out);
		json_object *facts = member(req, "facts");
		if ((as_of && !*as_of) || !set_case(w->ctx, facts, as_of, out) || !set_case(w->ctx2, facts, as_of, out) ||
		    !apply_changes(changes, w->ctx2, out))
			return;
	}
	Buf b = {0};
	const char *err = NULL;
	worker_start_clock(w, NULL, sv->lim.time_ms);
	int st = whatif_compare_json(w->ctx, w->ctx2, &b, &err);
	worker_stop_clock(w);
	metrics_evaluations(2, st != EDICT_OK);
	if (st != EDICT_OK) {
		if (!limit_reply(sv, st, err ? err : "", out))
			reply_error(out, 500, edict_status_name(st), err ? err : edict_status_name(st), NULL);
		return;
	}
	reply_json(out, 200);
	char d1[DATE_TEXT_LEN + 1], d2[DATE_TEXT_LEN + 1];
	date_format(api_as_of(w->ctx), d1);
	date_format(api_as_of(w->ctx2), d2);
	buf_printf(&out->body, "{\"ruleset\":%s,\"before\":{\"as_of\":\"%s\"},\"after\":{\"as_of\":\"%s\"},", rs->ruleset_json,
		   d1, d2);
	buf_add(&out->body, b.s + 1, b.n - 1);
	buf_puts(&out->body, "\n");
}

/* --------------------------------------------------------- the routes */

typedef void (*JsonEndpoint)(Service *, const Request *, Ruleset *, Worker *, json_object *, Reply *);

/* A POST endpoint that takes a JSON object and evaluates. */
static void json_endpoint(Service *sv, const Request *rq, Reply *out, const char *const *members, JsonEndpoint fn)
{
	Ruleset *rs = rules_acquire();
	if (!rs) {
		reply_error(out, 503, "rules", "no rules are in service", NULL);
		return;
	}
	json_object *req = read_body(rq, out, members);
	if (req) {
		Worker *w = worker_for(rs, &sv->lim);
		if (!w) {
			reply_error(out, 503, "memory", "out of memory", NULL);
		} else {
			fn(sv, rq, rs, w, req, out);
		}
		json_object_put(req);
	}
	rules_release(rs);
}

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".json", "application/json"},
		{".svg", "image/svg+xml"},             {".png", "image/png"},
		{".txt", "text/plain; charset=utf-8"}, {".md", "text/plain; charset=utf-8"}};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

static const Asset *find_asset(const char *path)
{
	for (size_t i = 0; i < serve_nassets; i++)
		if (strcmp(serve_assets[i].path, path) == 0)
			return &serve_assets[i];
	return NULL;
}

/* GET /v1/examples: the example cases built in, by group. */
static void examples(Reply *out)
{
	reply_json(out, 200);
	Buf *b = &out->body;
	buf_puts(b, "{");
	const char *groups[] = {"companies", "products"};
	for (int g = 0; g < 2; g++) {
		buf_printf(b, "%s\"%s\":[", g ? "," : "", groups[g]);
		const char *prefix = xprintf("/examples/%s/", groups[g]);
		int k = 0;
		for (size_t i = 0; i < serve_nassets; i++) {
			const Asset *a = &serve_assets[i];
			if (strncmp(a->path, prefix, strlen(prefix)) != 0)
				continue;
			json_object *doc = json_tokener_parse((const char *)a->data), *id = NULL;
			const char *title = doc && json_object_object_get_ex(doc, "id", &id) ? json_object_get_string(id) : "";
			buf_puts(b, k++ ? ",{\"url\":" : "{\"url\":");
			buf_json_str(b, a->path, strlen(a->path));
			buf_puts(b, ",\"title\":");
			buf_json_str(b, title, strlen(title));
			buf_puts(b, "}");
			if (doc)
				json_object_put(doc);
		}
		buf_puts(b, "]");
	}
	buf_puts(b, "}\n");
}

/* GET /docs/...: a file of the --docs directory. */
static void docs(Service *sv, const char *path, Reply *out)
{
	if (!sv->docs_dir) {
		reply_error(out, 404, "not_found", "no documentation is served; start edict serve with --docs DIR", NULL);
		return;
	}
	const char *rel = path + 5; /* after "/docs" */
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = "index.html";
	if (strstr(rel, "..") || strchr(rel, '\\') || rel[0] == '.') {
		reply_error(out, 404, "not_found", "no such page", NULL);
		return;
	}
	const char *file = xprintf("%s/%s", sv->docs_dir, rel);
	struct stat st;
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode))
		file = xprintf("%s/index.html", file);
	FILE *f = fopen(file, "rb");
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (16 << 20)) {
		if (f)
			fclose(f);
		reply_error(out, 404, "not_found", xprintf("no page %s in the documentation", rel), NULL);
		return;
	}
	buf_grow(&out->body, (size_t)st.st_size + 1);
	out->body.n = fread(out->body.s, 1, (size_t)st.st_size, f);
	out->body.s[out->body.n] = 0;
	fclose(f);
	out->status = 200;
	out->type = content_type(file);
}

static void readyz(Service *sv, Reply *out)
{
	Ruleset *rs = rules_acquire();
	Buf *b = &out->body;
	bool draining = atomic_load(&sv->draining);
	reply_json(out, rs && !draining ? 200 : 503);
	buf_printf(b, "{\"status\":\"%s\"", draining ? "draining" : rs ? "ready" : "no rules");
	if (rs)
		buf_printf(b, ",\"ruleset\":%s", rs->ruleset_json);
	pthread_mutex_lock(&sv->mu);
	if (sv->reload_error) {
		buf_puts(b, ",\"reload_error\":");
		buf_json_str(b, sv->reload_error, strlen(sv->reload_error));
	}
	pthread_mutex_unlock(&sv->mu);
	buf_puts(b, "}\n");
	rules_release(rs);
}

int serve_endpoint(const char *method, const char *path)
{
	static const char *const exact[] = {"/v1/decide", "/v1/batch", "/v1/whynot", "/v1/whatif", "/v1/schema",
					    "/openapi.json", "/v1/examples", "/healthz", "/readyz", "/metrics"};
	for (int i = 0; i < (int)(sizeof exact / sizeof exact[0]); i++)
		if (strcmp(path, exact[i]) == 0)
			return i;
	if (strcmp(path, "/docs") == 0 || strncmp(path, "/docs/", 6) == 0)
		return EP_DOCS;
	if (strcmp(path, "/") == 0 || find_asset(path))
		return EP_WEB;
	(void)method;
	return EP_OTHER;
}

static bool method_is(const Request *rq, const char *m, Reply *out)
{
	if (strcmp(rq->method, m) == 0 || (strcmp(m, "GET") == 0 && strcmp(rq->method, "HEAD") == 0))
		return true;
	out->allow = strcmp(m, "GET") == 0 ? "GET, HEAD" : m;
	reply_error(out, 405, "method", xprintf("%s takes %s, not %s", rq->path, m, rq->method), NULL);
	return false;
}

static void static_reply(Reply *out, const char *type, const char *text)
{
	out->status = 200;
	out->type = type;
	buf_puts(&out->body, text);
}

typedef struct Handle {
	Service *sv;
	const Request *rq;
	Reply *out;
} Handle;

static void handle_body(void *ud)
{
	Handle *h = ud;
	Service *sv = h->sv;
	const Request *rq = h->rq;
	Reply *out = h->out;
	int ep = serve_endpoint(rq->method, rq->path);
	out->endpoint = ep;
	out->status = 0;
	const char *get = "GET", *post = "POST";
	Ruleset *rs;
	switch (ep) {
	case EP_DECIDE:
		if (method_is(rq, post, out))
			json_endpoint(sv, rq, out, decide_members, decide);
		break;
	case EP_BATCH:
		if (method_is(rq, post, out))
			batch_whole(sv, rq, out);
		break;
	case EP_WHYNOT:
		if (method_is(rq, post, out))
			json_endpoint(sv, rq, out, whynot_members, whynot);
		break;
	case EP_WHATIF:
		if (method_is(rq, post, out))
			json_endpoint(sv, rq, out, whatif_members, whatif);
		break;
	case EP_SCHEMA:
	case EP_OPENAPI:
		if (!method_is(rq, get, out))
			break;
		if (!(rs = rules_acquire())) {
			reply_error(out, 503, "rules", "no rules are in service", NULL);
			break;
		}
		static_reply(out, "application/json", ep == EP_SCHEMA ? rs->schema : rs->openapi);
		rules_release(rs);
		break;
	case EP_EXAMPLES:
		if (method_is(rq, get, out))
			examples(out);
		break;
	case EP_HEALTHZ:
		if (method_is(rq, get, out))
			static_reply(out, "application/json", "{\"status\":\"ok\"}\n");
		break;
	case EP_READYZ:
		if (method_is(rq, get, out))
			readyz(sv, out);
		break;
	case EP_METRICS:
		if (method_is(rq, get, out)) {
			rs = rules_acquire();
			out->status = 200;
			out->type = "text/plain; version=0.0.4; charset=utf-8";
			metrics_render(&out->body, rs);
			rules_release(rs);
		}
		break;
	case EP_WEB:
		if (method_is(rq, get, out)) {
			const Asset *a = find_asset(strcmp(rq->path, "/") == 0 ? "/index.html" : rq->path);
			out->status = 200;
			out->type = content_type(a->path);
			buf_add(&out->body, (const char *)a->data, a->len);
		}
		break;
	case EP_DOCS:
		if (method_is(rq, get, out))
			docs(sv, rq->path, out);
		break;
	default:
		reply_error(out, 404, "not_found", xprintf("there is nothing at %s; see /openapi.json for the endpoints", rq->path),
			    NULL);
	}
}

void serve_handle(Service *sv, const Request *rq, Reply *out)
{
	edict_thread_attach();
	Handle h = {sv, rq, out};
	if (pr_call(handle_body, &h) != ST_OK) {
		out->body = (Buf){0};
		reply_error(out, 503, "memory", "out of memory", NULL);
	}
}
