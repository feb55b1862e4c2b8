/*
 * serve_http.c - the HTTP side of `edict serve`, on GNU libmicrohttpd: the
 * daemon and its thread pool, the body and time limits applied while a
 * request arrives, the bearer token, TLS, and the reply with its headers.
 * What a request means is serve_api.c's business.
 *
 * A batch is evaluated on threads of its own, the evaluators, never on
 * libmicrohttpd's: its connection is suspended and queued with each piece
 * of its body, an evaluator evaluates the piece's lines and resumes it,
 * and libmicrohttpd reads on and at last sends the reply.  A batch may
 * run for --batch-timeout-ms, and libmicrohttpd keeps a connection on one
 * thread with many others, /healthz and /metrics among them: evaluated
 * there, a batch left them all unanswered.  A single request (a decision,
 * why-not, what-if) is evaluated on the thread that read it, within
 * --timeout-ms: handing it to another thread and back cost a third of the
 * requests a second at one and sixteen connections, for a wait that is
 * microseconds unless the rules are slow.
 *
 * libmicrohttpd calls on_request several times for one request: first with
 * the headers (the token and the declared length are checked then, and a
 * 401 or 413 goes back before the body is read), then with each piece of
 * the body, then once more to answer.  /v1/batch evaluates each line as
 * soon as it has arrived, so its body is never held whole; its records
 * wait, up to a limit, for the answer (Records); other bodies are
 * collected up to their limit.  The per-connection state holds
 * collected memory, so it is allocated where the collector looks
 * (GC_MALLOC_UNCOLLECTABLE), and every thread registers itself with the
 * collector before touching any.  libmicrohttpd (with GnuTLS and
 * its dependencies) is opened when the service starts (dynlib.h): the
 * other commands start without it.
 */
#include "mem.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dynlib.h"
#include "service.h"
#include "serve_http.h"

#ifndef EDICT_MHD_SONAME
#define EDICT_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* libmicrohttpd's functions, filled by open_mhd. */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_is_feature_supported) *is_feature_supported;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_create_response_from_callback) *create_response_from_callback;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_get_connection_values_n) *get_connection_values_n;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
} mhd;

static bool open_mhd(const char **err)
{
#define FN(f) {"MHD_" #f, (void **)&mhd.f}
	static const DynFn fns[] = {
		FN(start_daemon),	   FN(stop_daemon),
		FN(get_daemon_info),	   FN(is_feature_supported), FN(create_response_from_buffer),
		FN(create_response_from_callback),
		FN(add_response_header),   FN(queue_response),	   FN(destroy_response),
		FN(lookup_connection_value), FN(get_connection_values), FN(get_connection_values_n),
		FN(get_connection_info),   FN(suspend_connection),   FN(resume_connection),
	};
#undef FN
	return dyn_load(EDICT_MHD_SONAME, fns, sizeof fns / sizeof fns[0], err);
}

/* /v1/batch's records, kept until the body has ended, in parts of about
 * PART bytes: what is kept is never copied to grow it, and each part goes
 * as soon as it has been sent. */
typedef struct Records {
	Buf *part; /* GC_MALLOC, so that the collector sees the parts */
	int n, cap;
	size_t bytes; /* in every part */
	int sent;     /* the parts sent, and how much of the next one */
	size_t off;
} Records;

enum { PART = 1 << 20 };

typedef struct Conn {
	uint64_t start_ns;
	int endpoint;
	bool started, too_large, too_slow, answered;
	bool line_too_long; /* /v1/batch: the line arriving is over the limit */
	bool no_memory;     /* the body could not be kept */
	bool reply_too_large; /* /v1/batch: the records passed --max-batch-reply */
	bool overdue;         /* /v1/batch: past --batch-timeout-ms */
	bool close;           /* answered before the body's end was known: close after */
	bool too_many_args;   /* the query string has more than ARG_MAX */
	const char *nul_arg;  /* the query-string argument with a NUL in it */
	char *body; /* malloc; for /v1/batch, the part of a line not yet complete */
	size_t len, cap, total;
	BatchRun br;
	bool batch;
	Buf out;     /* /v1/batch's records since the last part */
	Records rec; /* and the parts before */
	Request rq;
	char request_id[64];
	/* handed to the evaluators (below) */
	struct MHD_Connection *mc;
	struct Conn *next; /* in their queue */
	char *piece;       /* a piece of a /v1/batch body to evaluate (malloc) */
	size_t piece_n;
	bool evaluated; /* the batch's last line is evaluated */
	bool cut;       /* not evaluated: the service is stopping */
} Conn;

static Http *the_http;
static atomic_long request_seq;

/* The connections waiting for an evaluator, in order, and the evaluators
 * themselves (--threads of them, each with its own worker: serve_rules.c).
 * Once closed, nothing more is queued, a batch stops at its next line, and
 * what waits is resumed unevaluated, so that no connection is left
 * suspended when libmicrohttpd stops. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t more;
	Conn *head, *tail;
	atomic_bool closed;
	pthread_t *threads;
	unsigned n;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

/* Append to c->body, keeping it under limit (false: too large). */
static bool take(Conn *c, const char *data, size_t n, size_t limit)
{
	if (c->len + n > limit)
		return false;
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		while (cap < c->len + n + 1)
			cap *= 2;
		char *nb = realloc(c->body, cap);
		if (!nb)
			return false;
		c->body = nb;
		c->cap = cap;
	}
	memcpy(c->body + c->len, data, n);
	c->len += n;
	c->body[c->len] = 0;
	return true;
}

/* An argument of the query string, decoded: a NUL in it (%00) would cut it
 * short unseen, so the first one that has one is noted instead. */
static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				   const char *value, size_t value_size)
{
	Conn *c = cls;
	Request *rq = &c->rq;
	if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
		c->nul_arg = xprintf("%s", key);
		return MHD_NO;
	}
	if (rq->nargs == ARG_MAX) {
		c->too_many_args = true;
		return MHD_NO;
	}
	rq->args[rq->nargs][0] = xprintf("%s", key);
	rq->args[rq->nargs][1] = value ? xprintf("%s", value) : "";
	rq->nargs++;
	return MHD_YES;
}

/* The query string into c->rq; a sentence when it cannot be taken whole. */
static const char *read_args(struct MHD_Connection *mc, Conn *c)
{
	mhd.get_connection_values_n(mc, MHD_GET_ARGUMENT_KIND, collect_arg, c);
	if (c->nul_arg)
		return xprintf("the query-string argument '%s' holds a NUL character (%%00), which no name, "
			       "query or date may contain", c->nul_arg);
	if (c->too_many_args)
		return xprintf("the query string has too many arguments: at most %d are taken", ARG_MAX);
	return NULL;
}

/* The constant-time comparison of a presented token. */
static bool token_ok(const Http *h, const char *auth)
{
	if (!h->token)
		return true;
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	const char *t = auth + 7;
	size_t n = strlen(t), m = strlen(h->token);
	unsigned char diff = (unsigned char)(n != m);
	for (size_t i = 0; i < m; i++)
		diff |= (unsigned char)(h->token[i] ^ (i < n ? t[i] : 0));
	return diff == 0;
}

static bool needs_token(int ep)
{
	return ep != EP_HEALTHZ && ep != EP_READYZ && ep != EP_WEB && ep != EP_DOCS && ep != EP_EXAMPLES;
}

/* Queue resp with the headers every reply has, as r's status. */
static enum MHD_Result queue(struct MHD_Connection *mc, Conn *c, struct MHD_Response *resp, const Reply *r)
{
	if (!resp)
		return MHD_NO;
	mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type ? r->type : "application/json");
	mhd.add_response_header(resp, "X-Request-Id", c->request_id);
	mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (c->endpoint != EP_WEB && c->endpoint != EP_DOCS)
		mhd.add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->allow)
		mhd.add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->status == 401)
		mhd.add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (atomic_load(&the_http->sv->draining) || r->status == 413 || r->status == 408 || c->close)
		mhd.add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = mhd.queue_response(mc, (unsigned)r->status, resp);
	mhd.destroy_response(resp);
	metrics_request(c->endpoint, r->status, serve_now_ns() - c->start_ns);
	c->answered = true;
	return ok;
}

static enum MHD_Result send_reply(struct MHD_Connection *mc, Conn *c, Reply *r)
{
	void *text = r->body.n ? r->body.s : (void *)"";
	return queue(mc, c, mhd.create_response_from_buffer(r->body.n, text, MHD_RESPMEM_MUST_COPY), r);
}

/* Move c->out into the parts (false: out of memory). */
static bool keep_part(Conn *c)
{
	Records *rc = &c->rec;
	if (rc->n == rc->cap) {
		int cap = rc->cap ? 2 * rc->cap : 16;
		Buf *np = GC_MALLOC(sizeof(Buf) * (size_t)cap);
		if (!np)
			return false;
		if (rc->n)
			memcpy(np, rc->part, sizeof(Buf) * (size_t)rc->n);
		rc->part = np;
		rc->cap = cap;
	}
	rc->part[rc->n++] = c->out;
	rc->bytes += c->out.n;
	c->out = (Buf){0};
	return true;
}

/* libmicrohttpd asks for the next bytes of the records, in order. */
static ssize_t read_records(void *cls, uint64_t pos, char *buf, size_t max)
{
	Records *rc = cls;
	while (rc->sent < rc->n && rc->off == rc->part[rc->sent].n) {
		rc->part[rc->sent++] = (Buf){0}; /* sent: the collector may take it */
		rc->off = 0;
	}
	if (rc->sent == rc->n)
		return MHD_CONTENT_READER_END_OF_STREAM;
	const Buf *p = &rc->part[rc->sent];
	size_t k = p->n - rc->off < max ? p->n - rc->off : max;
	memcpy(buf, p->s + rc->off, k);
	rc->off += k;
	return (ssize_t)k;
}

static enum MHD_Result send_error(struct MHD_Connection *mc, Conn *c, int status, const char *kind, const char *msg)
{
	Reply r = {0};
	r.endpoint = c->endpoint;
	reply_error(&r, status, kind, msg, NULL);
	return send_reply(mc, c, &r);
}

static enum MHD_Result send_records(struct MHD_Connection *mc, Conn *c)
{
	if (!keep_part(c))
		return send_error(mc, c, 503, "memory", "out of memory while answering the batch; try again");
	Reply r = {.status = 200, .type = "application/x-ndjson"};
	struct MHD_Response *resp =
		mhd.create_response_from_callback(c->rec.bytes, 64 * 1024, read_records, &c->rec, NULL);
	return queue(mc, c, resp, &r);
}

/* The values of one request header, however many times it is given. */
typedef struct Header {
	const char *name;
	int n;
	const char *first;
	bool differ;
} Header;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	Header *hd = cls;
	value = value ? value : "";
	if (strcasecmp(key, hd->name) != 0)
		return MHD_YES;
	if (hd->n++ == 0)
		hd->first = value;
	else if (strcmp(hd->first, value) != 0)
		hd->differ = true;
	return MHD_YES;
}

/* Where the body ends, as the headers say: a request that two servers in a
 * chain could read differently (a proxy and this one) is refused, and so is
 * an encoding libmicrohttpd cannot undo.  NULL when the framing is clear. */
static const char *framing_error(struct MHD_Connection *mc, int *status)
{
	Header te = {MHD_HTTP_HEADER_TRANSFER_ENCODING}, cl = {MHD_HTTP_HEADER_CONTENT_LENGTH};
	mhd.get_connection_values(mc, MHD_HEADER_KIND, count_header, &te);
	mhd.get_connection_values(mc, MHD_HEADER_KIND, count_header, &cl);
	*status = 400;
	if (cl.differ)
		return "the request has two different Content-Length headers; send one";
	if (te.n && cl.n)
		return "the request has both Content-Length and Transfer-Encoding; send one of them";
	*status = 501;
	if (te.n > 1 || (te.n && strcasecmp(te.first, "chunked") != 0))
		return xprintf("the body is sent with 'Transfer-Encoding: %s'; this service takes a body sent whole "
			       "(with Content-Length) or with 'Transfer-Encoding: chunked' alone", te.first);
	return NULL;
}

/* The first call: headers only. */
static enum MHD_Result begin(Http *h, struct MHD_Connection *mc, Conn *c, const char *url, const char *method)
{
	c->start_ns = serve_now_ns();
	c->rq.method = xprintf("%s", method);
	c->rq.path = xprintf("%s", url);
	c->endpoint = serve_endpoint(method, url);
	const char *id = mhd.lookup_connection_value(mc, MHD_HEADER_KIND, "X-Request-Id");
	if (id && *id && strlen(id) < sizeof c->request_id && strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == strlen(id))
		snprintf(c->request_id, sizeof c->request_id, "%s", id);
	else
		snprintf(c->request_id, sizeof c->request_id, "%x-%ld", h->instance, atomic_fetch_add(&request_seq, 1) + 1);
	c->rq.request_id = c->request_id;
	int status;
	const char *framing = framing_error(mc, &status);
	if (framing) {
		c->close = true;
		return send_error(mc, c, status, "request", framing);
	}
	const char *bad_args = read_args(mc, c);
	if (needs_token(c->endpoint) && !token_ok(h, mhd.lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION)))
		return send_error(mc, c, 401, "token", "this service needs a bearer token: send the header 'Authorization: Bearer TOKEN'");
	if (bad_args)
		return send_error(mc, c, 400, "request", bad_args);
	c->batch = c->endpoint == EP_BATCH && strcmp(method, "POST") == 0;
	size_t limit = c->batch ? h->sv->lim.max_batch_body : h->sv->lim.max_body;
	const char *cl = mhd.lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > limit)
		return send_error(mc, c, 413, "size", xprintf("the request body is larger than the limit of %zu bytes", limit));
	if (c->batch) {
		batch_begin(h->sv, &c->br, &c->rq);
		if (h->sv->lim.batch_time_ms)
			c->br.until_ns = c->start_ns + (uint64_t)h->sv->lim.batch_time_ms * 1000000u;
	}
	return MHD_YES;
}

/* After each record.  The reply cannot start before the body has ended
 * (libmicrohttpd answers a request only once it has read it), so the
 * records wait in c->out: past --max-batch-reply they are dropped and the
 * batch is answered 413.  And a batch holds an evaluator while a piece of
 * it is evaluated: past --batch-timeout-ms it is stopped and answered 422. */
static void batch_record(Http *h, Conn *c)
{
	if (c->out.n >= PART && !keep_part(c))
		c->no_memory = true;
	size_t most = h->sv->lim.max_batch_reply;
	c->reply_too_large = most && c->rec.bytes + c->out.n > most;
	c->overdue = c->br.until_ns && serve_now_ns() >= c->br.until_ns;
	if (c->reply_too_large || c->overdue || c->no_memory) {
		c->out = (Buf){0};
		c->rec = (Records){0};
	}
}

/* A piece of a /v1/batch body: evaluate every line it completes.  A line
 * longer than a request may be is dropped as it arrives, and its record
 * says so. */
static void batch_piece(Http *h, Conn *c, const char *data, size_t n)
{
	while (n && !c->reply_too_large && !c->overdue && !c->no_memory && !atomic_load(&pool.closed)) {
		const char *nl = memchr(data, '\n', n);
		size_t k = nl ? (size_t)(nl - data) : n;
		if (!c->line_too_long && !take(c, data, k, h->sv->lim.max_body)) {
			c->len = 0;
			c->line_too_long = true;
		}
		if (!nl)
			return;
		if (c->line_too_long) {
			c->br.lineno++;
			buf_printf(&c->out, "{\"line\":%ld,\"error\":\"line %ld is longer than the limit of %zu bytes\"}\n",
				   c->br.lineno, c->br.lineno, h->sv->lim.max_body);
			c->line_too_long = false;
		} else {
			batch_line(h->sv, &c->br, c->body, c->len, &c->out);
		}
		batch_record(h, c);
		c->len = 0;
		data += k + 1;
		n -= k + 1;
	}
}

/* ------------------------------------------------------- the evaluators */

/* An evaluator's work on a batch c: a piece of its body, or its last
 * line. */
static void evaluate(Http *h, Conn *c)
{
	if (c->piece) {
		batch_piece(h, c, c->piece, c->piece_n);
		free(c->piece);
		c->piece = NULL;
		c->cut = atomic_load(&pool.closed); /* perhaps stopped part-way */
	} else {
		batch_piece(h, c, "\n", 1); /* the last line had no newline */
		c->evaluated = true;
	}
}

static void *evaluator(void *arg)
{
	Http *h = arg;
	edict_thread_attach();
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (!pool.head && !pool.closed)
			pthread_cond_wait(&pool.more, &pool.mu);
		Conn *c = pool.head;
		if (!c)
			break;
		pool.head = c->next;
		if (!pool.head)
			pool.tail = NULL;
		bool cut = pool.closed;
		pthread_mutex_unlock(&pool.mu);
		if (cut)
			c->cut = true;
		else
			evaluate(h, c);
		mhd.resume_connection(c->mc); /* libmicrohttpd's thread takes c up again */
		pthread_mutex_lock(&pool.mu);
	}
	pthread_mutex_unlock(&pool.mu);
	edict_thread_detach();
	return NULL;
}

/* Queue c for an evaluator (with piece, a copy of a batch's body part, or
 * NULL for the request's last evaluation), suspended until it is done.
 * MHD_NO, closing the connection, once the service is stopping. */
static enum MHD_Result evaluate_later(Conn *c, const char *piece, size_t n)
{
	if (piece) {
		if (!(c->piece = malloc(n))) {
			c->no_memory = true;
			return MHD_YES;
		}
		memcpy(c->piece, piece, n);
		c->piece_n = n;
	}
	pthread_mutex_lock(&pool.mu);
	bool open = !pool.closed;
	if (open) {
		mhd.suspend_connection(c->mc);
		c->next = NULL;
		if (pool.tail)
			pool.tail->next = c;
		else
			pool.head = c;
		pool.tail = c;
		pthread_cond_signal(&pool.more);
	}
	pthread_mutex_unlock(&pool.mu);
	if (!open) {
		free(c->piece);
		c->piece = NULL;
	}
	return open ? MHD_YES : MHD_NO;
}

/* A call while c is suspended (libmicrohttpd may offer the next piece of
 * a body in the same pass): nothing is taken until it is resumed. */
static bool suspended(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *info = mhd.get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_SUSPENDED);
	return info && info->suspended == MHD_YES;
}

static int pool_start(Http *h)
{
	pool.threads = calloc(h->threads, sizeof *pool.threads);
	if (!pool.threads)
		return -1;
	for (pool.n = 0; pool.n < h->threads; pool.n++)
		if (pthread_create(&pool.threads[pool.n], NULL, evaluator, h) != 0)
			return -1;
	return 0;
}

/* Close the queue and wait for the evaluators: each finishes the
 * evaluation under way, and resumes the connections still waiting. */
static void pool_stop(void)
{
	pthread_mutex_lock(&pool.mu);
	atomic_store(&pool.closed, true);
	pthread_cond_broadcast(&pool.more);
	pthread_mutex_unlock(&pool.mu);
	for (unsigned i = 0; i < pool.n; i++)
		pthread_join(pool.threads[i], NULL);
	free(pool.threads);
	pool.threads = NULL;
	pool.n = 0;
}

/* The request needs an evaluator before its reply: a batch whose last
 * line had no newline. */
static bool needs_evaluator(Conn *c)
{
	return c->batch && !c->too_large && !c->too_slow && !c->no_memory && c->br.ready &&
	       (c->len || c->line_too_long);
}

/* The last call, the whole request read: the reply, or why there is none. */
static enum MHD_Result answer(Http *h, struct MHD_Connection *mc, Conn *c)
{
	if (!c->evaluated && needs_evaluator(c))
		return evaluate_later(c, NULL, 0);
	if (c->no_memory)
		return send_error(mc, c, 503, "memory", "out of memory while receiving the request; try again");
	if (c->too_slow)
		return send_error(mc, c, 408, "slow", "the request arrived too slowly; send it within the time limit");
	if (c->too_large && (!c->batch || c->total > h->sv->lim.max_batch_body))
		return send_error(mc, c, 413, "size",
				  xprintf("the request body is larger than the limit of %zu bytes",
					  c->batch ? h->sv->lim.max_batch_body : h->sv->lim.max_body));
	if (c->overdue)
		return send_error(mc, c, 422, "time",
				  xprintf("the batch took longer than the limit of %u ms and was stopped; send the "
					  "cases in smaller batches", h->sv->lim.batch_time_ms));
	if (c->reply_too_large)
		return send_error(mc, c, 413, "size",
				  xprintf("the batch's reply would be larger than the limit of %zu bytes; send the "
					  "cases in smaller batches", h->sv->lim.max_batch_reply));
	Reply r = {0};
	if (c->batch && !c->br.ready) {
		r.status = c->br.status;
		r.type = "application/json";
		r.body = c->br.error;
	} else if (c->batch) {
		return send_records(mc, c);
	} else {
		c->rq.body = c->body ? c->body : "";
		c->rq.len = c->len;
		serve_handle(h->sv, &c->rq, &r);
	}
	return send_reply(mc, c, &r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	Http *h = cls;
	edict_thread_attach();
	Conn *c = *con_cls;
	if (!c) {
		c = GC_MALLOC_UNCOLLECTABLE(sizeof *c);
		if (!c)
			return MHD_NO;
		memset(c, 0, sizeof *c);
		c->mc = mc;
		*con_cls = c;
		metrics_inflight(1);
		return begin(h, mc, c, url, method);
	}
	if (suspended(mc))
		return MHD_YES;
	if (c->cut)
		return MHD_NO;
	if (c->answered) { /* an early reply: the rest of the body is not read */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		c->total += n;
		if (h->sv->lim.request_timeout_s && serve_now_ns() - c->start_ns > (uint64_t)h->sv->lim.request_timeout_s * 1000000000u)
			c->too_slow = true;
		size_t limit = c->batch ? h->sv->lim.max_batch_body : h->sv->lim.max_body;
		if (c->total > limit)
			c->too_large = true;
		if (c->too_large || c->too_slow || c->no_memory)
			return MHD_YES;
		if (c->batch && c->br.ready && !c->reply_too_large && !c->overdue)
			return evaluate_later(c, upload_data, n);
		if (!c->batch && !take(c, upload_data, n, limit))
			c->no_memory = true; /* within the limit, checked above */
		return MHD_YES;
	}
	return answer(h, mc, c); /* the whole request is here */
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	Conn *c = *con_cls;
	if (!c)
		return;
	if (c->batch)
		batch_end(&c->br);
	free(c->body);
	free(c->piece);
	GC_FREE(c);
	*con_cls = NULL;
	metrics_inflight(-1);
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	metrics_connection(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:0" */
static int resolve(const char *listen, struct sockaddr_storage *out, socklen_t *len, const char **err)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || !colon[1] || (size_t)(colon - listen) >= sizeof host) {
		*err = "--listen needs HOST:PORT, like 127.0.0.1:8080";
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = 0;
		h++;
	}
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
	int rc = getaddrinfo(h, colon + 1, &hints, &res);
	if (rc != 0) {
		*err = xprintf("cannot use the address %s: %s", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* A new connection, before it is read: refused once the door is closed. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)addr, (void)len;
	return atomic_load(&((Http *)cls)->door_closed) ? MHD_NO : MHD_YES;
}

int http_start(Http *h, const char **err)
{
	struct sockaddr_storage addr;
	socklen_t alen;
	if (!open_mhd(err) || resolve(h->listen, &addr, &alen, err) < 0)
		return -1;
	the_http = h;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (h->tls_cert) {
		if (mhd.is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			*err = "this libmicrohttpd was built without TLS support";
			return -1;
		}
		flags |= MHD_USE_TLS;
	}
	const ServeLimits *lim = &h->sv->lim;
	struct MHD_OptionItem opts[] = {
		{MHD_OPTION_SOCK_ADDR, 0, &addr},
		{MHD_OPTION_THREAD_POOL_SIZE, h->threads, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, lim->max_connections, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, lim->idle_timeout_s, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, h},
		{MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, h},
		{MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL},
		{h->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)h->tls_cert},
		{h->tls_key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)h->tls_key},
		{MHD_OPTION_END, 0, NULL}};
	if (pool_start(h) != 0) {
		*err = "cannot start the evaluation threads";
		return -1;
	}
	atomic_store(&h->door_closed, false);
	h->daemon = mhd.start_daemon(flags, 0, on_accept, h, on_request, h, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!h->daemon) {
		pool_stop();
		*err = xprintf("cannot listen on %s (in use, or not an address of this machine?)", h->listen);
		return -1;
	}
	const union MHD_DaemonInfo *info = mhd.get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	return 0;
}

/* libmicrohttpd 0.9.75's own way to close the door (MHD_quiesce_daemon)
 * races, with a pool of epoll threads, against a thread taking the listening
 * socket out of its epoll set itself, and then aborts the process ("Failed
 * to remove listen FD from epoll set"); so the door is closed here, each new
 * connection refused (closed at once) from then on.  The listening socket
 * is closed with the daemon. */
void http_quiesce(Http *h)
{
	atomic_store(&h->door_closed, true);
}

void http_stop(Http *h)
{
	pool_stop(); /* no connection stays suspended */
	if (h->daemon)
		mhd.stop_daemon(h->daemon);
	h->daemon = NULL;
}
