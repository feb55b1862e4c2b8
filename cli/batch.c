/*
 * batch.c - `edict batch`: one JSON fact document a line in (NDJSON), one
 * result object a line out, in input order.
 *
 *     edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--fail-fast]
 *         < companies.ndjson > results.ndjson
 *
 * Each output line is {"line":N,"id":..,"as_of":..,"decisions":{..},
 * "missing":{..}} like `edict eval --json` (plus "errors" when a query
 * failed), or {"line":N,"id":..,"error":".."} for a line whose facts are
 * not valid; the batch goes on (--fail-fast stops after it).  Blank lines
 * are skipped.  Exit status: 0 when every line was fine, 1 when a query
 * failed on some line or the input could not be read, else 3 when some
 * line had invalid facts; 130, 143 or 129 when SIGINT, SIGTERM or SIGHUP
 * stopped it (between whole records, after the summary).
 *
 * The input is streamed: lines are read a chunk at a time and the chunk is
 * evaluated (by N threads, each with its own context, through the public
 * API).  Two chunks are in flight: while the workers evaluate one, the
 * reading thread writes the results of the one before, in order, and
 * reads the one after, so that reading and writing are off the workers'
 * path; memory stays flat however long the input.  A summary goes to
 * standard error at the end, and a progress line while running when
 * standard error is a terminal.
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"

#include "api.h"
#include "common.h"
#include "commands.h"

#define BATCH_CHUNK_LINES 256   /* per thread */
#define BATCH_TAKE 8            /* lines a thread takes at a time */
#define BATCH_CHUNK_BYTES (8u << 20)
#define BATCH_MAX_LINE FACTS_MAX_BYTES

typedef enum Outcome { LINE_BLANK, LINE_OK, LINE_FACTS, LINE_EVAL, LINE_DROPPED } Outcome;

typedef struct Options {
	const char **paths;
	int npaths;
	const char **queries;
	int nqueries;
	const char *as_of;
	int jobs;
	bool fail_fast;
} Options;

static const char *help =
	"Usage: edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--fail-fast] < in.ndjson > out.ndjson\n"
	"\n"
	"Reads one JSON fact document a line (as for edict eval --facts) and writes one\n"
	"result a line, in input order: {\"line\":N,\"id\":..,\"as_of\":..,\"decisions\":{..},\n"
	"\"missing\":{..}}, or {\"line\":N,\"id\":..,\"error\":\"..\"} for a line with invalid facts.\n"
	"\n"
	"  --query Q     what to evaluate (repeatable); default: every public decision\n"
	"  --as-of DATE  the evaluation date, before each line's \"as_of\" and today\n"
	"  --jobs N      evaluate on N threads (the output keeps the input order)\n"
	"  --fail-fast   stop after the first line that fails\n"
	"\n"
	"A summary goes to standard error, and a progress line when it is a terminal.\n"
	"Exit status: 0 every line fine, 1 a query failed on some line (or the rules\n"
	"have errors, or the input cannot be read), 2 usage error, 3 some line had\n"
	"invalid facts; 130, 143 or 129 when Ctrl-C, SIGTERM or SIGHUP stopped it\n"
	"(the results written are whole lines, and the summary is printed).\n";

static void usage(const char *fmt, const char *arg)
{
	cli_usage("edict batch", fmt, arg,
		  "Usage: edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--fail-fast]"
		  " < in.ndjson > out.ndjson");
}

static int parse_options(int argc, char **argv, Options *o)
{
	memset(o, 0, sizeof *o);
	o->jobs = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int shared = cli_shared_option(argc, argv, &i, &o->queries, &o->nqueries, &o->as_of, &o->jobs, usage);
		if (shared < 0)
			return -1;
		if (shared) {
			continue;
		} else if (strcmp(a, "--fail-fast") == 0) {
			o->fail_fast = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			return 1;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option '%s'", a), -1;
		} else {
			AST_PUSH(o->paths, o->npaths, a);
		}
	}
	if (o->npaths == 0)
		return usage("needs at least one rule file or directory%s", ""), -1;
	return 0;
}

/* ------------------------------------------------------------- input */

/* A buffered reader of lines of any length up to BATCH_MAX_LINE; longer
 * lines are skipped to their end and reported. */
typedef struct Reader {
	int fd;
	char *buf;
	size_t start, end, cap;
	bool eof;
	int error; /* errno of a read that failed (0: none) */
	unsigned long long consumed; /* bytes handed out, for the progress bar */
	long lineno;
} Reader;

typedef struct Line {
	long no;
	size_t off, len; /* in the chunk's text */
	bool too_long;
} Line;

/* ------------------------------------------------------------ signals */

/* SIGINT, SIGTERM and SIGHUP stop a batch between records: the records
 * written are whole, the lines not yet evaluated are dropped, the summary
 * is printed, and the exit status is 128 + the signal (130, 143, 129).
 * The signals stay blocked (in every thread) except while the reader waits
 * for input, so that nothing is cut halfway and a wait ends at once. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) {
		sigaction(stop_signals[i], &sa, NULL);
		sigaddset(&set, stop_signals[i]);
	}
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* Wait until the input can be read, with the stop signals let through;
 * false when one came. */
static bool wait_for_input(int fd)
{
	sigset_t open;
	pthread_sigmask(SIG_BLOCK, NULL, &open);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		sigdelset(&open, stop_signals[i]);
	struct pollfd pfd = {fd, POLLIN, 0};
	while (!stop_signal && ppoll(&pfd, 1, NULL, &open) < 0 && errno == EINTR)
		;
	return !stop_signal;
}

/* ------------------------------------------------------------ reading */

/* Fill the buffer; false at the end of the input, when it cannot be read
 * (r->error), or when a stop signal came. */
static bool refill(Reader *r)
{
	if (r->eof)
		return false;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t cap = r->cap * 2;
		char *nb = realloc(r->buf, cap);
		if (!nb) {
			r->error = ENOMEM;
			r->eof = true;
			return false;
		}
		r->buf = nb;
		r->cap = cap;
	}
	ssize_t got;
	do
		got = wait_for_input(r->fd) ? read(r->fd, r->buf + r->end, r->cap - r->end) : 0;
	while (got < 0 && errno == EINTR);
	if (got < 0)
		r->error = errno;
	if (got <= 0) {
		r->eof = true;
		return false;
	}
	r->end += (size_t)got;
	return true;
}

/* The next line (without its newline), appended to text.  False at the end. */
static bool next_line(Reader *r, Buf *text, Line *ln)
{
	size_t scanned = 0;
	bool too_long = false;
	for (;;) {
		char *nl = memchr(r->buf + r->start + scanned, '\n', r->end - r->start - scanned);
		if (nl) {
			size_t n = (size_t)(nl - (r->buf + r->start));
			ln->no = ++r->lineno;
			ln->off = text->n;
			ln->len = too_long ? 0 : n;
			ln->too_long = too_long || n > BATCH_MAX_LINE;
			if (!ln->too_long)
				buf_add(text, r->buf + r->start, n);
			else
				ln->len = 0;
			r->start += n + 1;
			r->consumed += n + 1;
			return true;
		}
		scanned = r->end - r->start;
		if (scanned > BATCH_MAX_LINE) {
			/* drop what we have of an overlong line and keep looking for its end */
			too_long = true;
			r->consumed += scanned;
			r->start = r->end;
			scanned = 0;
		}
		if (!refill(r)) {
			if (r->end == r->start && !too_long)
				return false;
			size_t n = r->end - r->start; /* a last line without a newline */
			ln->no = ++r->lineno;
			ln->off = text->n;
			ln->too_long = too_long;
			ln->len = too_long ? 0 : n;
			if (!too_long)
				buf_add(text, r->buf + r->start, n);
			r->consumed += n;
			r->start = r->end;
			return true;
		}
	}
}

/* ------------------------------------------------------------ workers */

/* Where a line's output went: its worker's buffer, from off, len bytes
 * with the newline. */
typedef struct Result {
	Outcome outcome;
	int worker;
	size_t off, len;
} Result;

/* A thread's state, reused from line to line and chunk to chunk, so that a
 * line that goes well allocates nothing of its own: the output lines of the
 * chunk go one after another into `out`, and the results of the queries
 * into `vals`. */
typedef struct Worker {
	struct Pool *pool;
	int index;
	edict_ctx *ctx;
	pthread_t thread;
	Buf id;            /* the current line's "id", as JSON */
	Value *vals;       /* per query */
	const char **errs; /* per query: the message when it failed, else NULL */
	date_t day;        /* the date `as_of` holds (none yet: INT32_MIN) */
	char as_of[DATE_TEXT_LEN + 1];
} Worker;

/* A block of input lines and their output: each worker's output lines go
 * one after another into its own buffer, out[worker]. */
typedef struct Block {
	Buf text;
	Line *lines;
	Result *res;
	int nlines;
	Buf *out;
} Block;

typedef struct Pool {
	const Options *o;
	edict_rules *rules;
	const Program *prog;
	const char **queries;
	const Query **compiled;
	Buf *keys; /* each query as a JSON key with its colon: "voucher.award": */
	int nqueries;
	Block chunks[2];
	Block *cur; /* the chunk being evaluated */
	atomic_int next;
	/* hand-over between the reading thread and the others */
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned round;
	int finished;
	bool quit;
	Worker *workers;
	int nworkers;
	locale_t c_locale; /* see use_c_locale */
} Pool;

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The first line of a message (the rest quotes the rule text). */
static const char *first_line(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? xprintf("%.*s", (int)(nl - s), s) : s;
}

/* The text of the number after the key "id" of the outermost object of a
 * line json-c has read (so well formed), or NULL. */
static const char *raw_id(const char *s, size_t len, size_t *n)
{
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		else if (s[i] == '"') {
			size_t start = ++i;
			while (i < len && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			if (depth != 1 || i - start != 2 || memcmp(s + start, "id", 2) != 0)
				continue;
			size_t j = i + 1;
			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j >= len || s[j] != ':')
				continue;
			j++;
			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
			size_t k = j;
			while (k < len && (s[k] == '-' || s[k] == '+' || s[k] == '.' || s[k] == 'e' || s[k] == 'E' ||
					   (s[k] >= '0' && s[k] <= '9')))
				k++;
			*n = k - j;
			return k > j ? s + j : NULL;
		}
	}
	return NULL;
}

/* The document's "id" as JSON, into w->id (left empty when there is none):
 * a whole number, the usual id, written here; anything else as json-c
 * writes it (which is also what it would write for the number). */
static void take_id(Worker *w, json_object *doc, const char *line, size_t len)
{
	w->id.n = 0;
	json_object *idj;
	if (!doc || json_object_get_type(doc) != json_type_object || !json_object_object_get_ex(doc, "id", &idj))
		return;
	int64_t i;
	size_t n;
	const char *raw;
	if (json_object_get_type(idj) == json_type_int && (i = json_object_get_int64(idj)) != INT64_MAX && i != INT64_MIN)
		buf_int(&w->id, i);
	else if (json_object_get_type(idj) == json_type_int && (raw = raw_id(line, len, &n)))
		buf_add(&w->id, raw, n); /* beyond 64 bits json-c clamps: keep the text, so ids stay distinct */
	else
		buf_puts(&w->id, json_object_to_json_string_ext(idj, JSON_C_TO_STRING_PLAIN));
}

/* {"line":N,"id":.. (when the document has one), the opening of every
 * output line. */
static void record_start(Buf *b, long no, const Worker *w)
{
	buf_add(b, "{\"line\":", 8);
	buf_int(b, no);
	if (w->id.n) {
		buf_add(b, ",\"id\":", 6);
		buf_add(b, w->id.s, w->id.n);
	}
}

static void error_record(Buf *b, long no, const Worker *w, const char *msg)
{
	record_start(b, no, w);
	buf_puts(b, ",\"error\":");
	buf_json_str(b, msg, strlen(msg));
	buf_puts(b, "}");
}

/* The facts of one line into the worker's context: by the fast door
 * (api_set_facts_text), else by json-c's tree, which refuses the line
 * with its message (an error record in b: false) or accepts it. */
static bool set_facts(Worker *w, const char *s, size_t len, long no, Buf *b)
{
	FactsSpan id;
	if (api_set_facts_text(w->ctx, s, len, &id) == EDICT_OK) {
		if (id.s)
			buf_add(&w->id, id.s, id.n);
		return true;
	}
	json_object *doc;
	FactsError e;
	if (facts_read(s, len, &doc, &e) != ST_OK) {
		w->id.n = 0;
		error_record(b, no, w, e.col ? xprintf("line %ld, column %d: %s", no, e.col, e.what) : xprintf("line %ld: %s", no, e.what));
		return false;
	}
	take_id(w, doc, s, len);
	int st = api_set_facts_object(w->ctx, doc);
	json_object_put(doc);
	if (st != EDICT_OK) {
		error_record(b, no, w, xprintf("line %ld: %s", no, edict_ctx_errmsg(w->ctx)));
		return false;
	}
	return true;
}

/* Evaluate one line of chunk c; its output goes to b. */
static Outcome evaluate(Pool *pl, Worker *w, const Block *c, const Line *ln, Buf *b)
{
	const char *s = c->text.s + ln->off;
	w->id.n = 0;
	if (ln->too_long) {
		error_record(b, ln->no, w,
			     xprintf("line %ld is longer than the limit of %u bytes", ln->no, (unsigned)BATCH_MAX_LINE));
		return LINE_FACTS;
	}
	if (blank(s, ln->len))
		return LINE_BLANK;
	if (!set_facts(w, s, ln->len, ln->no, b))
		return LINE_FACTS;
	if (api_check_requirements(w->ctx) != EDICT_OK) { /* facts that break a requirement are invalid facts */
		error_record(b, ln->no, w, xprintf("line %ld: %s", ln->no, edict_ctx_errmsg(w->ctx)));
		return LINE_FACTS;
	}
	int nerr = api_eval_queries(w->ctx, pl->compiled, pl->nqueries, w->vals, w->errs);
	for (int i = 0; i < pl->nqueries && nerr; i++)
		if (w->errs[i])
			w->errs[i] = first_line(w->errs[i]);
	date_t day = api_as_of(w->ctx);
	if (day != w->day) {
		date_format(day, w->as_of);
		w->day = day;
	}
	record_start(b, ln->no, w);
	buf_add(b, ",\"as_of\":\"", 10);
	buf_add(b, w->as_of, DATE_TEXT_LEN);
	buf_add(b, "\",\"decisions\":{", 15);
	int k = 0;
	for (int i = 0; i < pl->nqueries; i++) {
		if (w->errs[i])
			continue;
		if (k++)
			buf_add(b, ",", 1);
		buf_add(b, pl->keys[i].s, pl->keys[i].n);
		fmt_json(pl->prog, w->vals[i], b);
	}
	buf_add(b, "},\"missing\":{", 13);
	k = 0;
	for (int i = 0; i < pl->nqueries; i++) {
		if (w->errs[i] || w->vals[i].tag != V_UNKNOWN)
			continue;
		if (k++)
			buf_add(b, ",", 1);
		buf_add(b, pl->keys[i].s, pl->keys[i].n);
		explain_missing_json(w->vals[i], b);
	}
	buf_add(b, "}", 1);
	Outcome outcome = LINE_OK;
	if (nerr) {
		buf_puts(b, ",\"errors\":{");
		k = 0;
		for (int i = 0; i < pl->nqueries; i++) {
			if (!w->errs[i])
				continue;
			if (k++)
				buf_add(b, ",", 1);
			buf_add(b, pl->keys[i].s, pl->keys[i].n);
			buf_json_str(b, w->errs[i], strlen(w->errs[i]));
		}
		buf_add(b, "}", 1);
		outcome = LINE_EVAL;
	}
	buf_add(b, "}", 1);
	return outcome;
}

static Result process(Pool *pl, Worker *w, Block *c, const Line *ln)
{
	Buf *b = &c->out[w->index];
	size_t off = b->n;
	Outcome o = evaluate(pl, w, c, ln, b);
	if (o != LINE_BLANK)
		buf_add(b, "\n", 1);
	return (Result){o, w->index, off, b->n - off};
}

/* Lines are taken a few at a time: threads then rarely touch the shared
 * counter, or write results in one cache line, and a worker's output lines
 * lie in runs that are written out together. */
static void work(Pool *pl, Worker *w, Block *c)
{
	for (;;) {
		int i = atomic_fetch_add(&pl->next, BATCH_TAKE);
		if (i >= c->nlines)
			return;
		int end = i + BATCH_TAKE < c->nlines ? i + BATCH_TAKE : c->nlines;
		for (; i < end; i++)
			c->res[i] = stop_signal ? (Result){LINE_DROPPED, w->index, 0, 0} : process(pl, w, c, &c->lines[i]);
	}
}

/* json-c switches to the C locale around every parse (duplocale,
 * newlocale, freelocale: some 2,000 instructions a line, a twelfth of the
 * parse) unless the thread already uses glibc's C locale object, which
 * those calls then hand back untouched.  The command never calls
 * setlocale, so it runs in the C locale anyway: using the object changes
 * only the cost.  (The library leaves a host's threads alone.) */
static void use_c_locale(const Pool *pl)
{
	if (pl->c_locale)
		uselocale(pl->c_locale);
}

static void *worker_main(void *arg)
{
	Worker *w = arg;
	Pool *pl = w->pool;
	unsigned seen = 0;
	use_c_locale(pl);
	for (;;) {
		pthread_mutex_lock(&pl->mu);
		while (pl->round == seen && !pl->quit)
			pthread_cond_wait(&pl->go, &pl->mu);
		if (pl->quit) {
			pthread_mutex_unlock(&pl->mu);
			return NULL;
		}
		seen = pl->round;
		Block *c = pl->cur;
		pthread_mutex_unlock(&pl->mu);
		work(pl, w, c);
		pthread_mutex_lock(&pl->mu);
		pl->finished++;
		pthread_cond_signal(&pl->done);
		pthread_mutex_unlock(&pl->mu);
	}
}

/* Hand chunk c to the workers.  With one job there are no worker threads:
 * this thread evaluates it here and now. */
static void start_chunk(Pool *pl, Block *c)
{
	for (int i = 0; i < pl->nworkers; i++)
		c->out[i].n = 0;
	atomic_store(&pl->next, 0);
	if (pl->nworkers == 1) {
		work(pl, &pl->workers[0], c);
		return;
	}
	pthread_mutex_lock(&pl->mu);
	pl->cur = c;
	pl->finished = 0;
	pl->round++;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
}

/* Wait until the workers have finished the chunk handed to them. */
static void wait_chunk(Pool *pl)
{
	if (pl->nworkers == 1)
		return;
	pthread_mutex_lock(&pl->mu);
	while (pl->finished < pl->nworkers)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
}

/* ----------------------------------------------------------- progress */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(long lines, unsigned long long done, unsigned long long total, double elapsed)
{
	double rate = elapsed > 0 ? (double)lines / elapsed : 0;
	if (total > 0) {
		double frac = (double)done / (double)total;
		if (frac > 1)
			frac = 1;
		int width = 30, fill = (int)(frac * width);
		char bar[64];
		for (int i = 0; i < width; i++)
			bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
		bar[width] = 0;
		long left = frac > 0 ? (long)(elapsed * (1 - frac) / frac + 0.5) : 0;
		char eta[32];
		if (left >= 3600)
			snprintf(eta, sizeof eta, "%ld h %02ld min", left / 3600, left / 60 % 60);
		else if (left >= 60)
			snprintf(eta, sizeof eta, "%ld min %02ld s", left / 60, left % 60);
		else
			snprintf(eta, sizeof eta, "%ld s", left);
		fprintf(stderr, "\r\033[K[%s] %3.0f%%  %ld lines  %.0f lines/s  %s left", bar, frac * 100, lines, rate, eta);
	} else {
		fprintf(stderr, "\r\033[K%ld lines  %.0f lines/s", lines, rate);
	}
	fflush(stderr);
}

/* --------------------------------------------------------------- main */

/* Stop the worker threads (the first `started` workers have one), free
 * the contexts and the rule set. */
static void teardown(Pool *pl, int started)
{
	if (started > 0) {
		pthread_mutex_lock(&pl->mu);
		pl->quit = true;
		pthread_cond_broadcast(&pl->go);
		pthread_mutex_unlock(&pl->mu);
		for (int i = 0; i < started; i++)
			pthread_join(pl->workers[i].thread, NULL);
	}
	for (int i = 0; i < pl->nworkers; i++) {
		edict_ctx_free(pl->workers[i].ctx);
	}
	edict_rules_free(pl->rules);
}

/* What the reading thread keeps while it streams: the input, the counts
 * for the summary, and the progress line. */
typedef struct Stream {
	Reader rd;
	int maxlines;
	long nrec, nok, nfacts, neval, stopped_at;
	bool write_failed, tty;
	unsigned long long total; /* bytes of input, when known */
	double t0, shown;
} Stream;

/* Read the next chunk of lines into c; false when the input has none. */
static bool read_chunk(Stream *st, Block *c)
{
	c->text.n = 0;
	c->nlines = 0;
	while (c->nlines < st->maxlines && c->text.n < BATCH_CHUNK_BYTES) {
		if (!next_line(&st->rd, &c->text, &c->lines[c->nlines]))
			break;
		c->nlines++;
	}
	buf_cstr(&c->text);
	return c->nlines > 0;
}

/* Write chunk c's results in input order: each run of lines that lie one
 * after another in one worker's buffer (with one job, the whole chunk) at
 * once.  Counts them, and stops at the first failure with --fail-fast. */
static void write_chunk(Pool *pl, Stream *st, const Block *c)
{
	const char *run = NULL;
	size_t runlen = 0;
	for (int i = 0; i < c->nlines; i++) {
		const Result *r = &c->res[i];
		if (r->outcome == LINE_DROPPED)
			break; /* a stop signal: the lines from here are not written */
		if (r->outcome == LINE_BLANK)
			continue;
		st->nrec++;
		if (r->outcome == LINE_OK)
			st->nok++;
		else if (r->outcome == LINE_FACTS)
			st->nfacts++;
		else
			st->neval++;
		const char *at = c->out[r->worker].s + r->off;
		if (run && run + runlen != at) {
			if (fwrite(run, 1, runlen, stdout) != runlen) {
				st->write_failed = true;
				return;
			}
			run = NULL;
		}
		if (!run) {
			run = at;
			runlen = 0;
		}
		runlen += r->len;
		if (pl->o->fail_fast && r->outcome != LINE_OK) {
			st->stopped_at = c->lines[i].no;
			break;
		}
	}
	if (run && fwrite(run, 1, runlen, stdout) != runlen)
		st->write_failed = true;
	double t = now_seconds();
	if (st->tty && t - st->shown >= 0.2) {
		progress(st->nrec, st->rd.consumed, st->total, t - st->t0);
		st->shown = t;
	}
}

/* Two chunks, each with its lines, results and one output buffer a worker. */
static void make_chunks(Pool *pl, int maxlines)
{
	for (int k = 0; k < 2; k++) {
		Block *c = &pl->chunks[k];
		c->lines = GC_MALLOC_ATOMIC(sizeof(Line) * (size_t)maxlines);
		c->res = GC_MALLOC_ATOMIC(sizeof(Result) * (size_t)maxlines);
		c->out = GC_MALLOC(sizeof(Buf) * (size_t)pl->nworkers);
	}
}

/* Read, evaluate and write chunk after chunk, two in flight: chunk k+1 is
 * read while chunk k is evaluated, and chunk k is written while chunk k+1
 * is; the summary; the exit status. */
static int stream(Pool *pl)
{
	Stream st = {.rd = {STDIN_FILENO, malloc(1 << 16), 0, 0, 1 << 16, false, 0, 0, 0}};
	if (!st.rd.buf) {
		fprintf(stderr, "edict batch: out of memory\n");
		return EXIT_DIAG;
	}
	st.tty = isatty(fileno(stderr));
	/* results leave in runs of a few lines each: a large buffer makes them
	 * a write a megabyte instead of one every 4 KB (stdio's default) */
	static char *outbuf; /* malloc'd: not among the roots every collection scans */
	if (!outbuf && (outbuf = malloc(1 << 20)) != NULL)
		setvbuf(stdout, outbuf, _IOFBF, 1 << 20);
	if (isatty(fileno(stdin)))
		fputs("edict batch: reading JSON documents, one a line, from the terminal; end with Ctrl-D\n", stderr);
	struct stat sb;
	if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode)) {
		off_t pos = lseek(STDIN_FILENO, 0, SEEK_CUR);
		st.total = (unsigned long long)sb.st_size - (unsigned long long)(pos > 0 ? pos : 0);
	}
	st.maxlines = BATCH_CHUNK_LINES * pl->nworkers;
	make_chunks(pl, st.maxlines);
	st.t0 = st.shown = now_seconds();
	Block *running = NULL, *next = &pl->chunks[0];
	for (;;) {
		bool got = read_chunk(&st, next);
		if (running)
			wait_chunk(pl);
		if (got)
			start_chunk(pl, next);
		if (running)
			write_chunk(pl, &st, running);
		if (got && (st.stopped_at || st.write_failed || stop_signal))
			wait_chunk(pl); /* the chunk after is evaluated (or dropped) but not written */
		if (!got || st.stopped_at || st.write_failed || stop_signal)
			break;
		running = next;
		next = next == &pl->chunks[0] ? &pl->chunks[1] : &pl->chunks[0];
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		st.write_failed = true;
	int write_errno = errno;
	double elapsed = now_seconds() - st.t0;
	free(st.rd.buf);
	if (st.tty)
		fputs("\r\033[K", stderr);
	long nrec = st.nrec, nfailed = st.nfacts + st.neval;
	fprintf(stderr, "edict batch: %ld line%s, %ld ok, %ld failed", nrec, nrec == 1 ? "" : "s", st.nok, nfailed);
	if (nfailed)
		fprintf(stderr, " (%ld with invalid facts, %ld with evaluation errors)", st.nfacts, st.neval);
	fprintf(stderr, " in %.2f s (%.0f lines/s)\n", elapsed, elapsed > 0 ? (double)nrec / elapsed : 0.0);
	if (st.stopped_at)
		fprintf(stderr, "edict batch: stopped at line %ld (--fail-fast)\n", st.stopped_at);
	if (st.write_failed) {
		fprintf(stderr, "edict batch: cannot write the results: %s\n", strerror(write_errno));
		return EXIT_DIAG;
	}
	if (stop_signal) {
		fprintf(stderr, "edict batch: stopped by %s; the %ld result%s written are whole; the rest of the input was not evaluated\n",
			stop_signal == SIGINT ? "Ctrl-C (SIGINT)" : stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP", nrec,
			nrec == 1 ? "" : "s");
		return 128 + stop_signal;
	}
	if (st.rd.error) {
		fprintf(stderr, "edict batch: cannot read the input: %s\n", strerror(st.rd.error));
		return EXIT_DIAG;
	}
	return st.neval ? EXIT_DIAG : st.nfacts ? EXIT_FACTS : EXIT_OK;
}

int cmd_batch(int argc, char **argv)
{
	Options o;
	int rc = parse_options(argc, argv, &o);
	if (rc < 0)
		return EXIT_USAGE;
	if (rc > 0) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	edict_init();
	/* with --query, only what the queries reach is loaded whole, as for
	 * `edict eval --query` (docs/language.md, section 17) */
	edict_rules *rules = NULL;
	int st = o.nqueries ? api_load_paths_for(o.paths, o.npaths, o.queries, o.nqueries, &rules) : EDICT_ESYNTAX;
	if (st != EDICT_OK)
		st = edict_load_paths(o.paths, (size_t)o.npaths, &rules);
	fputs(edict_rules_report(rules), stderr);
	if (st != EDICT_OK) {
		edict_rules_free(rules);
		return EXIT_DIAG;
	}
	Pool *pl = GC_MALLOC(sizeof *pl);
	pl->o = &o;
	pl->rules = rules;
	if (o.nqueries) {
		pl->queries = o.queries;
		pl->nqueries = o.nqueries;
	} else {
		pl->nqueries = (int)edict_rules_decision_count(rules);
		pl->queries = GC_MALLOC(sizeof(char *) * (size_t)(pl->nqueries + 1));
		for (int i = 0; i < pl->nqueries; i++)
			pl->queries[i] = edict_rules_decision_name(rules, (size_t)i);
	}
	pl->prog = api_program(rules);
	pl->nworkers = o.jobs;
	pl->workers = GC_MALLOC(sizeof(Worker) * (size_t)pl->nworkers);
	for (int i = 0; i < pl->nworkers; i++) {
		Worker *w = &pl->workers[i];
		w->pool = pl;
		w->index = i;
		w->day = INT32_MIN;
		w->vals = GC_MALLOC(sizeof(Value) * (size_t)(pl->nqueries + 1));
		w->errs = GC_MALLOC(sizeof(char *) * (size_t)(pl->nqueries + 1));
		if (edict_ctx_new(rules, &w->ctx) != EDICT_OK) {
			fprintf(stderr, "edict batch: out of memory\n");
			teardown(pl, 0);
			return EXIT_DIAG;
		}
		/* each line's results are written before the next line is read */
		api_recycle_facts(w->ctx);
		if (o.as_of)
			edict_ctx_set_as_of(w->ctx, o.as_of);
	}
	/* every query must compile before any line is read */
	bool bad = false;
	pl->compiled = GC_MALLOC(sizeof(Query *) * (size_t)(pl->nqueries + 1));
	pl->keys = GC_MALLOC(sizeof(Buf) * (size_t)(pl->nqueries + 1));
	for (int i = 0; i < pl->nqueries; i++) {
		pl->compiled[i] = api_query(pl->workers[0].ctx, pl->queries[i]);
		if (!pl->compiled[i]) {
			fprintf(stderr, "%s\n", edict_ctx_errmsg(pl->workers[0].ctx));
			bad = true;
		}
		buf_json_str(&pl->keys[i], pl->queries[i], strlen(pl->queries[i]));
		buf_add(&pl->keys[i], ":", 1);
	}
	if (bad) {
		teardown(pl, 0);
		return EXIT_DIAG;
	}
	pl->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->go, NULL);
	pthread_cond_init(&pl->done, NULL);
	/* with several jobs every worker has a thread, and this one reads and
	 * writes; with one, this thread is the worker */
	catch_stop_signals(); /* before the workers start, which inherit the blocked signals */
	int started = 0;
	for (; pl->nworkers > 1 && started < pl->nworkers; started++)
		if (pthread_create(&pl->workers[started].thread, NULL, worker_main, &pl->workers[started]) != 0) {
			fprintf(stderr, "edict batch: cannot start thread %d: %s\n", started, strerror(errno));
			teardown(pl, started);
			return EXIT_DIAG;
		}
	use_c_locale(pl);
	int code = stream(pl);
	teardown(pl, started);
	if (pl->c_locale) {
		uselocale(LC_GLOBAL_LOCALE);
		freelocale(pl->c_locale);
	}
	return code;
}
