/*
 * batch.c - `edict batch`: one JSON fact document a line in (NDJSON), one
 * result object a line out, in input order.
 *
 *     edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--native] [--fail-fast]
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
 * The input is streamed in slices: the reading thread reads large blocks
 * and cuts them at line ends, without looking at the lines in between; N
 * workers (threads, each with its own context, through the public API)
 * take the slices in turn, split them into lines, evaluate them and write
 * each slice's records into the slice's own buffer; whichever worker
 * finishes the slice that is next in input order writes it, and every
 * finished slice after it.  No thread copies or scans a line on the
 * others' behalf, and no lock is held while reading, evaluating or
 * writing; a ring of slices keeps memory flat however long the input.  A
 * summary goes to standard error at the end, and a progress line while
 * running when standard error is a terminal.
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
#include "ndjson.h"

#define BATCH_SLICES_PER_JOB 3 /* slices in flight for each worker */

typedef enum Outcome { LINE_BLANK, LINE_OK, LINE_FACTS, LINE_EVAL } Outcome;

typedef struct Options {
	CliEvalOpts eval; /* the rules, --query, --as-of, --jobs, --native */
	bool fail_fast;
} Options;

static const char *help =
	"Usage: edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--native] [--fail-fast] < in.ndjson > out.ndjson\n"
	"\n"
	"Reads one JSON fact document a line (as for edict eval --facts) and writes one\n"
	"result a line, in input order: {\"line\":N,\"id\":..,\"as_of\":..,\"decisions\":{..},\n"
	"\"missing\":{..}}, or {\"line\":N,\"id\":..,\"error\":\"..\"} for a line with invalid facts.\n"
	"\n"
	"  --query Q     what to evaluate (repeatable); default: every public decision\n"
	"  --as-of DATE  the evaluation date, before each line's \"as_of\" and today\n"
	"  --jobs N      evaluate on N threads (the output keeps the input order)\n"
	"  --native      compile the decisions to machine code, on a thread of its own\n"
	"                while the interpreter starts (the same results; where\n"
	"                libgccjit is missing, the interpreter runs them all)\n"
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
		  "Usage: edict batch PATH... [--query Q]... [--as-of DATE] [--jobs N] [--native] [--fail-fast]"
		  " < in.ndjson > out.ndjson");
}

/* --fail-fast, batch's own option. */
static int own_option(int argc, char **argv, int *i, void *opts, CliUsage say)
{
	(void)argc;
	(void)say;
	if (strcmp(argv[*i], "--fail-fast") != 0)
		return 0;
	((Options *)opts)->fail_fast = true;
	return 1;
}

/* CLI_GO_ON, or the exit status after help or a usage error. */
static int parse_options(int argc, char **argv, Options *o)
{
	memset(o, 0, sizeof *o);
	return cli_parse_eval_opts(argc, argv, &o->eval, own_option, o, usage, help);
}

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

/* --------------------------------------------------------------- slices */

/* Whole lines of the input and their records.  The text is the reading
 * thread's until it counts the slice filled, then its worker's; the
 * records are the worker's until it marks the slice done, then the
 * writer's, who frees the slice for the reading thread again.  Each is on
 * cache lines of its own (as the workers are): the workers write to theirs
 * at every line. */
typedef struct Slice {
	_Alignas(MEM_LINE) NdSlice in;
	Buf out; /* its records, one after another */
	long nrec, nok, nfacts, neval;
	long failed;       /* the first line that failed (for --fail-fast), else 0 */
	size_t failed_end; /* the end of that line's record in out */
	bool dropped;      /* a stop signal came before its last line */
	bool unreadable;   /* its text could not be read (nd_take) */
	bool done;         /* evaluated, not yet written (under the pool's lock) */
} Slice;

/* ------------------------------------------------------------ workers */

/* A thread's state, reused from line to line and slice to slice, so that
 * a line that goes well allocates nothing of its own: its record goes into
 * the slice's `out`, and the results of the queries into `vals`. */
typedef struct Worker {
	_Alignas(MEM_LINE) struct Pool *pool;
	int index;
	edict_ctx *ctx;
	pthread_t thread;
	Buf id;            /* the current line's "id", as JSON */
	Value *vals;       /* per query */
	const char **errs; /* per query: the message when it failed, else NULL */
	date_t day;        /* the date `as_of` holds (none yet: INT32_MIN) */
	char as_of[DATE_TEXT_LEN + 1];
} Worker;

/* ------------------------------------------------------------ the pool */

/* The threads' shared state.  Slice i of the input lives in ring[i %
 * nring]; the reading thread fills slices while fewer than nring are
 * unwritten, the workers take them in order, and the writer writes them
 * in order.  The counts are the writer's. */
typedef struct Pool {
	const Options *o;
	edict_rules *rules;
	const Program *prog;
	const char **queries;
	const Query **compiled;
	Buf *keys; /* each query as a JSON key with its colon: "voucher.award": */
	int nqueries;
	Worker *workers;
	int nworkers;
	locale_t c_locale; /* see use_c_locale */
	Slice *ring;
	int nring;
	NdReader *rd;
	/* under mu (on lines apart from what the workers read at every line): */
	_Alignas(MEM_LINE) long filled, taken, written; /* slices read, taken by a worker, written */
	bool writing;                /* a thread is writing slices out */
	bool ended;                  /* the reading thread reads no more */
	bool stop;                   /* write no more: --fail-fast, a failed write, a stop signal */
	pthread_mutex_t mu;
	pthread_cond_t ready; /* a slice to take, or the end */
	pthread_cond_t freed; /* a slice written, or the stop */
	/* the writer's: */
	_Alignas(MEM_LINE) long nrec, nok, nfacts, neval, stopped_at;
	bool write_failed, tty;
	unsigned long long total, done; /* bytes of input (when known), and of the slices written */
	double t0, shown;
} Pool;

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

/* Evaluate line `no` (s, len bytes without its newline; too_long: over
 * ND_MAX_LINE, not read); its record goes to b. */
static Outcome evaluate(Pool *pl, Worker *w, const char *s, size_t len, long no, bool too_long, Buf *b)
{
	w->id.n = 0;
	if (too_long) {
		error_record(b, no, w, xprintf("line %ld is longer than the limit of %u bytes", no, (unsigned)ND_MAX_LINE));
		return LINE_FACTS;
	}
	if (nd_blank(s, len))
		return LINE_BLANK;
	if (!set_facts(w, s, len, no, b))
		return LINE_FACTS;
	if (api_check_requirements(w->ctx) != EDICT_OK) { /* facts that break a requirement are invalid facts */
		error_record(b, no, w, xprintf("line %ld: %s", no, edict_ctx_errmsg(w->ctx)));
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
	record_start(b, no, w);
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

/* One line's outcome into slice s's counts; a record ends with a newline. */
static void count(Slice *s, Outcome o, long no)
{
	if (o == LINE_BLANK)
		return;
	buf_add(&s->out, "\n", 1);
	s->nrec++;
	if (o == LINE_OK)
		s->nok++;
	else if (o == LINE_FACTS)
		s->nfacts++;
	else
		s->neval++;
	if (o != LINE_OK && !s->failed) {
		s->failed = no;
		s->failed_end = s->out.n;
	}
}

/* Evaluate the lines of slice s, their records into s->out.  A stop signal
 * drops the lines after the one being evaluated; with --fail-fast the
 * lines after the first that fails are not evaluated (nor written). */
static void eval_slice(Pool *pl, Worker *w, Slice *s)
{
	s->out.n = 0;
	s->nrec = s->nok = s->nfacts = s->neval = s->failed = 0;
	s->dropped = s->unreadable; /* the batch stops there: the input cannot be read */
	if (s->unreadable)
		return;
	if (s->in.too_long) {
		count(s, evaluate(pl, w, NULL, 0, s->in.first, true, &s->out), s->in.first);
		return;
	}
	const char *p = s->in.text, *line;
	size_t n;
	for (long no = s->in.first; !(pl->o->fail_fast && s->failed) && nd_line(&s->in, &p, &line, &n); no++) {
		if (stop_signal) {
			s->dropped = true;
			return;
		}
		count(s, evaluate(pl, w, line, n, no, n > ND_MAX_LINE, &s->out), no);
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

/* ------------------------------------------------------------ writing */

/* Write slice s's records and count them: up to its first failure with
 * --fail-fast.  False when the batch stops here (--fail-fast, a stop
 * signal, a failed write). */
static bool write_slice(Pool *pl, Slice *s)
{
	bool stop_here = pl->o->fail_fast && s->failed;
	size_t n = stop_here ? s->failed_end : s->out.n;
	if (n && fwrite(s->out.s, 1, n, stdout) != n) {
		pl->write_failed = true;
		return false;
	}
	pl->nrec += s->nrec;
	pl->nok += s->nok;
	pl->nfacts += s->nfacts;
	pl->neval += s->neval;
	pl->done += s->in.len;
	if (stop_here)
		pl->stopped_at = s->failed;
	double t = now_seconds();
	if (pl->tty && t - pl->shown >= 0.2) {
		progress(pl->nrec, pl->done, pl->total, t - pl->t0);
		pl->shown = t;
	}
	return !stop_here && !s->dropped;
}

/* Write every finished slice, in input order, from the next one to be
 * written, unless another thread is at it (it will find this one's slice
 * finished when it looks again).  Called and returns with the lock held;
 * the lock is let go while writing. */
static void write_ready(Pool *pl)
{
	if (pl->writing)
		return;
	pl->writing = true;
	while (!pl->stop && pl->written < pl->taken && pl->ring[pl->written % pl->nring].done) {
		Slice *s = &pl->ring[pl->written % pl->nring];
		pthread_mutex_unlock(&pl->mu);
		bool go_on = write_slice(pl, s);
		pthread_mutex_lock(&pl->mu);
		s->done = false;
		pl->written++;
		if (!go_on) {
			pl->stop = true;
			pthread_cond_broadcast(&pl->ready);
		}
		pthread_cond_broadcast(&pl->freed);
	}
	pl->writing = false;
}

/* ------------------------------------------------------------ threads */

/* Slice s, the k-th of the input, read and numbered (nd_take: with the
 * lock held where mu is given). */
static void take_slice(Pool *pl, pthread_mutex_t *mu, long k, Slice *s)
{
	s->unreadable = !nd_take(pl->rd, mu, k, &s->in);
}

/* A worker: take the next slice, read it (while the others read theirs),
 * number its lines once the slices before it are numbered, evaluate it,
 * mark it done and write what is ready, until the input ends or the batch
 * stops. */
static void *worker_main(void *arg)
{
	Worker *w = arg;
	Pool *pl = w->pool;
	use_c_locale(pl);
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && !pl->ended && pl->taken == pl->filled)
			pthread_cond_wait(&pl->ready, &pl->mu);
		if (pl->stop || pl->taken == pl->filled)
			break;
		long k = pl->taken++;
		Slice *s = &pl->ring[k % pl->nring];
		take_slice(pl, &pl->mu, k, s);
		pthread_mutex_unlock(&pl->mu);
		eval_slice(pl, w, s);
		pthread_mutex_lock(&pl->mu);
		s->done = true;
		write_ready(pl);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* The reading thread with several workers: fill the ring's free slices
 * until the input ends or the batch stops, then wait until every slice
 * read is written (or the batch stopped). */
static void read_all(Pool *pl, NdReader *rd)
{
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && pl->filled - pl->written >= pl->nring)
			pthread_cond_wait(&pl->freed, &pl->mu);
		if (pl->stop)
			break;
		Slice *s = &pl->ring[pl->filled % pl->nring];
		pthread_mutex_unlock(&pl->mu);
		bool got = !stop_signal && nd_fill(rd, &s->in);
		pthread_mutex_lock(&pl->mu);
		if (!got)
			break;
		pl->filled++;
		pthread_cond_signal(&pl->ready);
	}
	pl->ended = true;
	pthread_cond_broadcast(&pl->ready);
	while (!pl->stop && pl->written < pl->filled)
		pthread_cond_wait(&pl->freed, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
}

/* With one job this thread reads, evaluates and writes, slice by slice. */
static void run_alone(Pool *pl, NdReader *rd)
{
	Slice *s = &pl->ring[0];
	for (long k = 0; !stop_signal && nd_fill(rd, &s->in); k++) {
		take_slice(pl, NULL, k, s);
		eval_slice(pl, &pl->workers[0], s);
		if (!write_slice(pl, s))
			break;
	}
}

/* --------------------------------------------------------------- main */

/* Stop the worker threads (the first `started` workers have one), free
 * the slices, the contexts and the rule set. */
static void teardown(Pool *pl, int started)
{
	if (started > 0) {
		pthread_mutex_lock(&pl->mu);
		pl->ended = true;
		pthread_cond_broadcast(&pl->ready);
		pthread_mutex_unlock(&pl->mu);
		for (int i = 0; i < started; i++)
			pthread_join(pl->workers[i].thread, NULL);
	}
	for (int i = 0; i < pl->nring; i++)
		nd_slice_free(&pl->ring[i].in);
	for (int i = 0; i < pl->nworkers; i++)
		edict_ctx_free(pl->workers[i].ctx);
	edict_rules_free(pl->rules);
}

/* The summary on standard error and the exit status. */
static int summary(const Pool *pl, const NdReader *rd, int write_errno)
{
	double elapsed = now_seconds() - pl->t0;
	if (pl->tty)
		fputs("\r\033[K", stderr);
	long nrec = pl->nrec, nfailed = pl->nfacts + pl->neval;
	fprintf(stderr, "edict batch: %ld line%s, %ld ok, %ld failed", nrec, nrec == 1 ? "" : "s", pl->nok, nfailed);
	if (nfailed)
		fprintf(stderr, " (%ld with invalid facts, %ld with evaluation errors)", pl->nfacts, pl->neval);
	fprintf(stderr, " in %.2f s (%.0f lines/s)\n", elapsed, elapsed > 0 ? (double)nrec / elapsed : 0.0);
	if (pl->stopped_at)
		fprintf(stderr, "edict batch: stopped at line %ld (--fail-fast)\n", pl->stopped_at);
	if (pl->write_failed) {
		fprintf(stderr, "edict batch: cannot write the results: %s\n", strerror(write_errno));
		return EXIT_DIAG;
	}
	if (stop_signal) {
		fprintf(stderr, "edict batch: stopped by %s; the %ld result%s written are whole; the rest of the input was not evaluated\n",
			stop_signal == SIGINT ? "Ctrl-C (SIGINT)" : stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP", nrec,
			nrec == 1 ? "" : "s");
		return 128 + stop_signal;
	}
	if (rd->error) {
		fprintf(stderr, "edict batch: cannot read the input: %s\n", strerror(rd->error));
		return EXIT_DIAG;
	}
	return pl->neval ? EXIT_DIAG : pl->nfacts ? EXIT_FACTS : EXIT_OK;
}

/* Read, evaluate and write every slice of the input (run_alone, or the
 * workers with read_all); the summary; the exit status. */
static int stream(Pool *pl)
{
	NdReader rd;
	if (!nd_open(&rd, STDIN_FILENO, wait_for_input, true)) {
		fprintf(stderr, "edict batch: out of memory\n");
		return EXIT_DIAG;
	}
	pl->tty = isatty(fileno(stderr));
	/* records leave a slice at a time: a large buffer makes them a write a
	 * megabyte instead of one every 4 KB (stdio's default) */
	static char *outbuf; /* malloc'd: not among the roots every collection scans */
	if (!outbuf && (outbuf = malloc(1 << 20)) != NULL)
		setvbuf(stdout, outbuf, _IOFBF, 1 << 20);
	if (isatty(fileno(stdin)))
		fputs("edict batch: reading JSON documents, one a line, from the terminal; end with Ctrl-D\n", stderr);
	struct stat sb;
	if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode)) {
		off_t pos = lseek(STDIN_FILENO, 0, SEEK_CUR);
		pl->total = (unsigned long long)sb.st_size - (unsigned long long)(pos > 0 ? pos : 0);
	}
	pl->t0 = pl->shown = now_seconds();
	pl->rd = &rd;
	if (pl->nworkers == 1)
		run_alone(pl, &rd);
	else
		read_all(pl, &rd);
	if (fflush(stdout) == EOF || ferror(stdout))
		pl->write_failed = true;
	int write_errno = errno;
	nd_close(&rd);
	return summary(pl, &rd, write_errno);
}

/* The pool for the rules and options: the queries (every public decision
 * without --query), a context for each worker. */
static Pool *new_pool(Options *o, edict_rules *rules)
{
	Pool *pl = mem_alloc_apart(sizeof *pl);
	pl->o = o;
	pl->rules = rules;
	if (o->eval.nqueries) {
		pl->queries = o->eval.queries;
		pl->nqueries = o->eval.nqueries;
	} else {
		pl->nqueries = (int)edict_rules_decision_count(rules);
		pl->queries = GC_MALLOC(sizeof(char *) * (size_t)(pl->nqueries + 1));
		for (int i = 0; i < pl->nqueries; i++)
			pl->queries[i] = edict_rules_decision_name(rules, (size_t)i);
	}
	pl->prog = api_program(rules);
	pl->nworkers = o->eval.run.jobs;
	pl->workers = mem_alloc_apart(sizeof(Worker) * (size_t)pl->nworkers);
	return pl;
}

/* Each worker's context and result arrays; false when out of memory. */
static bool new_contexts(Pool *pl)
{
	for (int i = 0; i < pl->nworkers; i++) {
		Worker *w = &pl->workers[i];
		w->pool = pl;
		w->index = i;
		w->day = INT32_MIN;
		w->vals = mem_alloc_apart(sizeof(Value) * (size_t)(pl->nqueries + 1));
		w->errs = mem_alloc_apart(sizeof(char *) * (size_t)(pl->nqueries + 1));
		if (edict_ctx_new(pl->rules, &w->ctx) != EDICT_OK)
			return false;
		/* each line's results are written before the next line is read */
		api_recycle_facts(w->ctx);
		if (pl->o->eval.as_of)
			edict_ctx_set_as_of(w->ctx, pl->o->eval.as_of);
	}
	return true;
}

/* Every query compiled before any line is read, and its JSON key; false
 * after saying which did not compile. */
static bool compile_queries(Pool *pl)
{
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
	return !bad;
}

/* With several jobs every worker has a thread (and writes in turn), and
 * this one reads; with one, this thread does it all.  The number of
 * threads started, all of them or after saying why one did not start. */
static int start_workers(Pool *pl)
{
	pl->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->ready, NULL);
	pthread_cond_init(&pl->freed, NULL);
	/* one slice alone, or a few in flight for each worker */
	pl->nring = pl->nworkers == 1 ? 1 : pl->nworkers * BATCH_SLICES_PER_JOB;
	pl->ring = mem_alloc_apart(sizeof(Slice) * (size_t)pl->nring);
	catch_stop_signals(); /* before the workers start, which inherit the blocked signals */
	int started = 0;
	for (; pl->nworkers > 1 && started < pl->nworkers; started++)
		if (pthread_create(&pl->workers[started].thread, NULL, worker_main, &pl->workers[started]) != 0) {
			fprintf(stderr, "edict batch: cannot start thread %d: %s\n", started, strerror(errno));
			break;
		}
	return started;
}

int cmd_batch(int argc, char **argv)
{
	Options o;
	int rc = parse_options(argc, argv, &o);
	if (rc != CLI_GO_ON)
		return rc;
	edict_init();
	/* with --query, only what the queries reach is loaded whole, as for
	 * `edict eval --query` (docs/language.md, section 17) */
	edict_rules *rules = NULL;
	int st = o.eval.nqueries ? api_load_paths_for(o.eval.paths, o.eval.npaths, o.eval.queries, o.eval.nqueries, &rules) : EDICT_ESYNTAX;
	if (st != EDICT_OK)
		st = edict_load_paths(o.eval.paths, (size_t)o.eval.npaths, &rules);
	fputs(edict_rules_report(rules), stderr);
	if (st != EDICT_OK) {
		edict_rules_free(rules);
		return EXIT_DIAG;
	}
	Pool *pl = new_pool(&o, rules);
	bool ready = new_contexts(pl);
	if (!ready)
		fprintf(stderr, "edict batch: out of memory\n");
	if (!ready || !compile_queries(pl)) {
		teardown(pl, 0);
		return EXIT_DIAG;
	}
	cli_heap_for_jobs(pl->nworkers);
	/* --native: compiled while the workers start on the lines */
	CliNative nat = {{rules}, o.eval.run.native ? 1 : 0, (const char *const *)pl->queries, (size_t)pl->nqueries};
	cli_native_start(&nat);
	int started = start_workers(pl);
	if (pl->nworkers > 1 && started < pl->nworkers) {
		cli_native_wait(&nat);
		teardown(pl, started);
		return EXIT_DIAG;
	}
	use_c_locale(pl);
	int code = stream(pl);
	cli_native_wait(&nat);
	teardown(pl, started);
	if (pl->c_locale) {
		uselocale(LC_GLOBAL_LOCALE);
		freelocale(pl->c_locale);
	}
	return code;
}
