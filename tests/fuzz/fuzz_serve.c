/*
 * fuzz_serve.c - libFuzzer harness for the request path of `edict serve`
 * (cli/serve_api.c): serve_handle fed a raw method, path, query string and
 * body, without sockets, and /v1/batch's line-at-a-time reader fed the
 * body in pieces as they would arrive.
 *
 * The input: a byte choosing the method, a line holding the path with its
 * query string, then the body.  The rule set is fuzz_schema.h's, served
 * with small limits.  Invariants: every reply has a status the service
 * documents; JSON replies are one valid JSON document (NDJSON: one a line);
 * an error reply says its status and has a message.
 */
#include "fuzz_common.h"
#include "fuzz_schema.h"
#include "service.h"

static Service sv;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	edict_init();
	edict_rules *r = NULL;
	if (edict_load_source("fuzz.edict", schema, EDICT_NUL_TERMINATED, &r) != EDICT_OK) {
		fprintf(stderr, "fuzz_serve: the schema does not load:\n%s", edict_rules_report(r));
		abort();
	}
	char *report = NULL;
	Ruleset *rs = rules_make(r, "fuzz", &report);
	if (!rs)
		abort();
	rules_install(rs);
	sv.lim = (ServeLimits){1 << 16, 1 << 16, FUZZ_MAX_STEPS, FUZZ_MAX_BYTES, 0, 10, 1, 1};
	pthread_mutex_init(&sv.mu, NULL);
	return 0;
}

static void check_json(const char *s, size_t n, const char *what)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, s, (int)n);
	enum json_tokener_error e = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!o || e != json_tokener_success) {
		fprintf(stderr, "fuzz_serve: %s is not JSON: %.*s\n", what, (int)n, s);
		abort();
	}
	json_object_put(o);
}

static void check_reply(const Reply *r)
{
	static const int ok[] = {200, 400, 404, 405, 413, 422, 500, 503};
	bool known = false;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		known |= r->status == ok[i];
	if (!known || !r->type) {
		fprintf(stderr, "fuzz_serve: status %d, type %s\n", r->status, r->type ? r->type : "(none)");
		abort();
	}
	if (strcmp(r->type, "application/json") == 0)
		check_json(r->body.s ? r->body.s : "", r->body.n, "the reply");
	if (strcmp(r->type, "application/x-ndjson") == 0)
		for (size_t at = 0; at < r->body.n;) {
			const char *nl = memchr(r->body.s + at, '\n', r->body.n - at);
			size_t end = nl ? (size_t)(nl - r->body.s) : r->body.n;
			check_json(r->body.s + at, end - at, "a record");
			at = end + 1;
		}
	if (r->status >= 400 && !strstr(r->body.s ? r->body.s : "", "\"message\":")) {
		fprintf(stderr, "fuzz_serve: an error without a message\n");
		abort();
	}
}

/* Split "path?a=1&b" into the request's path and arguments. */
static void split_query(Request *rq, char *target)
{
	char *q = strchr(target, '?');
	rq->path = target;
	if (!q)
		return;
	*q++ = 0;
	while (*q && rq->nargs < ARG_MAX) {
		char *amp = strchr(q, '&');
		if (amp)
			*amp = 0;
		char *eq = strchr(q, '=');
		if (eq)
			*eq = 0;
		rq->args[rq->nargs][0] = q;
		rq->args[rq->nargs][1] = eq ? eq + 1 : "";
		rq->nargs++;
		if (!amp)
			break;
		q = amp + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE"};
	static const char *const paths[] = {"/v1/decide", "/v1/batch", "/v1/whynot", "/v1/whatif", "/v1/schema",
					    "/openapi.json", "/v1/examples", "/healthz", "/readyz", "/metrics", "/", "/docs/x"};
	Request rq = {0};
	rq.method = methods[data[0] % 5];
	char *text = fuzz_text(data + 1, size - 1);
	size_t n = size - 1;
	char *nl = memchr(text, '\n', n);
	size_t plen = nl ? (size_t)(nl - text) : 0;
	char *target = GC_MALLOC_ATOMIC(plen + 2);
	memcpy(target, text, plen);
	target[plen] = 0;
	if (plen && plen < 3 && target[0] >= '0' && target[0] <= '9')
		target = xprintf("%s", paths[(target[0] - '0') % 12]); /* a short line names a known path */
	split_query(&rq, target);
	rq.body = nl ? nl + 1 : text;
	rq.len = nl ? n - plen - 1 : n;
	rq.request_id = "fuzz";
	Reply r = {0};
	serve_handle(&sv, &rq, &r);
	check_reply(&r);
	if (strcmp(rq.path, "/v1/batch") == 0) {
		/* the body in pieces, as serve_http.c feeds it */
		BatchRun br;
		batch_begin(&sv, &br, &rq);
		Buf out = {0};
		for (size_t at = 0; br.ready && at < rq.len;) {
			const char *e = memchr(rq.body + at, '\n', rq.len - at);
			size_t end = e ? (size_t)(e - rq.body) : rq.len;
			batch_line(&sv, &br, rq.body + at, end - at, &out);
			at = end + 1;
		}
		batch_end(&br);
		Reply b = {.status = 200, .type = "application/x-ndjson", .body = out};
		check_reply(&b);
	}
	return 0;
}
