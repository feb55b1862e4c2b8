/*
 * serve.c - `edict serve PATH...`: decisions over HTTP, and a web page for
 * officers (docs/serve.md).
 *
 *     edict serve PATH... [--listen 127.0.0.1:8080] [--threads N] [--log FILE]
 *         [--token-file F] [--tls-cert F --tls-key F] [--docs DIR] [limits]
 *
 * This file is the command: its options, the start, and the main thread's
 * loop, which waits for signals and watches the rule files.  SIGHUP, or a
 * rule file that changed, reloads the rules (serve_rules.c swaps them in
 * only when they check); SIGTERM or SIGINT drains: no new connections, the
 * requests under way finish, and the process exits 0.
 */
#include "mem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "common.h"
#include "load.h"
#include "service.h"
#include "serve_http.h"

typedef struct ServeOpts {
	const char **paths;
	int npaths;
	const char *listen, *log, *token_file, *tls_cert, *tls_key, *docs;
	unsigned threads, drain_s, grace_s;
	size_t log_max_bytes;
	int log_keep;
	bool log_facts, watch;
	ServeLimits lim;
} ServeOpts;

static const char *help =
	"Usage: edict serve PATH... [options]\n"
	"\n"
	"Serves the rules' decisions over HTTP (POST /v1/decide, /v1/batch, /v1/whynot,\n"
	"/v1/whatif; GET /v1/schema, /openapi.json, /healthz, /readyz, /metrics) and a\n"
	"web page for trying cases at /.  See docs/serve.md.\n"
	"\n"
	"  --listen HOST:PORT     where to listen (default 127.0.0.1:8080; port 0: any free one)\n"
	"  --threads N            threads answering requests, and as many evaluating batches (default 4)\n"
	"  --token-file F         require 'Authorization: Bearer TOKEN', the token read from F\n"
	"  --tls-cert F --tls-key F   HTTPS with this certificate and key (PEM)\n"
	"  --docs DIR             serve DIR (edict doc's output) at /docs and link decisions to it\n"
	"  --log FILE             the decision log: one JSON record per decision, appended\n"
	"  --log-max-bytes N      rotate the log when it would pass N bytes (default 100000000)\n"
	"  --log-keep N           rotated logs kept: FILE.1 .. FILE.N (default 5)\n"
	"  --log-facts            log the facts themselves, not their SHA-256 digest\n"
	"  --no-watch             reload only on SIGHUP, not when a rule file changes\n"
	"Limits:\n"
	"  --max-body BYTES       a JSON request body (default 1048576)\n"
	"  --max-batch-body BYTES a /v1/batch body (default 67108864)\n"
	"  --max-batch-reply BYTES a /v1/batch reply, kept until the body ends (default 268435456)\n"
	"  --max-steps N          steps per evaluation (default 10000000)\n"
	"  --max-memory BYTES     memory per evaluation (default 67108864)\n"
	"  --timeout-ms N         evaluation time per request (default 5000)\n"
	"  --batch-timeout-ms N   a /v1/batch request's whole time, arriving and evaluated (default 30000)\n"
	"  --max-connections N    connections open at once (default 1000)\n"
	"  --idle-timeout S       close a connection silent for S seconds (default 60)\n"
	"  --request-timeout S    a request must arrive within S seconds (default 30)\n"
	"  --drain-timeout S      on SIGTERM, wait at most S seconds for requests (default 30)\n"
	"  --drain-grace S        on SIGTERM, first answer /readyz 503 for S seconds while still\n"
	"                         serving, so a load balancer stops sending (default 0)\n";

static void usage(const char *fmt, const char *arg)
{
	cli_usage("edict serve", fmt, arg,
		  "Run 'edict serve --help' for the options.");
}

/* A whole number from min to max for option `name`; -1 after usage. */
static int number(const char *name, const char *text, unsigned long long min, unsigned long long max,
		  unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v < min || v > max) {
		usage(xprintf("%s needs a whole number from %llu to %llu, not '%%s'", name, min, max), text);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, ServeOpts *o)
{
	memset(o, 0, sizeof *o);
	o->listen = "127.0.0.1:8080";
	o->threads = 4;
	o->drain_s = 30;
	o->log_max_bytes = 100000000;
	o->log_keep = 5;
	o->watch = true;
	o->lim = (ServeLimits){1 << 20, 64u << 20, 0, 0, 5000, 1000, 60, 30, 256u << 20, 30000};
	static const struct {
		const char *name;
		unsigned long long min, max;
	} nums[] = {{"--threads", 1, 256},	   {"--max-body", 64, 1ull << 30},      {"--max-batch-body", 64, 1ull << 34},
		    {"--max-steps", 1, 1ull << 40}, {"--max-memory", 1 << 16, 1ull << 36}, {"--timeout-ms", 1, 3600000},
		    {"--max-connections", 1, 100000}, {"--idle-timeout", 1, 86400},     {"--request-timeout", 1, 86400},
		    {"--drain-timeout", 0, 86400}, {"--log-max-bytes", 1024, 1ull << 40}, {"--log-keep", 1, 1000},
		    {"--drain-grace", 0, 3600},	   {"--max-batch-reply", 1024, 1ull << 36},
		    {"--batch-timeout-ms", 1, 86400000}};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strcmp(a, "--log-facts") == 0) {
			o->log_facts = true;
			continue;
		}
		if (strcmp(a, "--no-watch") == 0) {
			o->watch = false;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			AST_PUSH(o->paths, o->npaths, a);
			continue;
		}
		if (i + 1 >= argc)
			return usage("%s needs a value after it", a), -1;
		const char *v = argv[++i];
		const char **text = strcmp(a, "--listen") == 0	   ? &o->listen
				    : strcmp(a, "--log") == 0	   ? &o->log
				    : strcmp(a, "--token-file") == 0 ? &o->token_file
				    : strcmp(a, "--tls-cert") == 0   ? &o->tls_cert
				    : strcmp(a, "--tls-key") == 0    ? &o->tls_key
				    : strcmp(a, "--docs") == 0	   ? &o->docs
								   : NULL;
		if (text) {
			*text = v;
			continue;
		}
		size_t k = 0;
		while (k < sizeof nums / sizeof nums[0] && strcmp(nums[k].name, a) != 0)
			k++;
		if (k == sizeof nums / sizeof nums[0])
			return usage("unknown option '%s'", a), -1;
		unsigned long long n;
		if (number(a, v, nums[k].min, nums[k].max, &n) < 0)
			return -1;
		switch (k) {
		case 0: o->threads = (unsigned)n; break;
		case 1: o->lim.max_body = n; break;
		case 2: o->lim.max_batch_body = n; break;
		case 3: o->lim.max_steps = n; break;
		case 4: o->lim.max_memory = n; break;
		case 5: o->lim.time_ms = (unsigned)n; break;
		case 6: o->lim.max_connections = (unsigned)n; break;
		case 7: o->lim.idle_timeout_s = (unsigned)n; break;
		case 8: o->lim.request_timeout_s = (unsigned)n; break;
		case 9: o->drain_s = (unsigned)n; break;
		case 10: o->log_max_bytes = n; break;
		case 11: o->log_keep = (int)n; break;
		case 12: o->grace_s = (unsigned)n; break;
		case 13: o->lim.max_batch_reply = n; break;
		default: o->lim.batch_time_ms = (unsigned)n; break;
		}
	}
	if (!o->npaths)
		return usage("needs at least one rule file or directory%s", ""), -1;
	if (!o->tls_cert != !o->tls_key)
		return usage("TLS needs both --tls-cert and --tls-key%s", ""), -1;
	return 0;
}

/* ------------------------------------------------------- watching files */

/* Each rule file's name, size and modification time, one after another:
 * when it changes, the rules are read again. */
static void signature_of(const char *path, Buf *b, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0 || depth > 16)
		return;
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			const char *nm = names[i]->d_name;
			size_t l = strlen(nm);
			if (nm[0] != '.') {
				const char *sub = xprintf("%s/%s", path, nm);
				struct stat ss;
				if (stat(sub, &ss) == 0 && (S_ISDIR(ss.st_mode) || (l > 6 && strcmp(nm + l - 6, ".edict") == 0)))
					signature_of(sub, b, depth + 1);
			}
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		return;
	}
	buf_printf(b, "%s %lld %lld.%09ld\n", path, (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static char *signature(const ServeOpts *o)
{
	Buf b = {0};
	for (int i = 0; i < o->npaths; i++)
		signature_of(o->paths[i], &b, 0);
	return strdup(buf_cstr(&b));
}

/* ---------------------------------------------------------------- main */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s edict serve: ", when);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

/* A rule set with no public decisions where the one serving has some is
 * most likely a file caught half-saved (an in-place save empties it
 * first): it is refused like rules with errors.  NULL when rs may serve. */
static char *emptied(const Ruleset *rs)
{
	Ruleset *old = rules_acquire();
	size_t before = old ? edict_rules_decision_count(old->rules) : 0;
	rules_release(old);
	if (before == 0 || edict_rules_decision_count(rs->rules) > 0)
		return NULL;
	return strdup(xprintf("the rules as read now have no public decisions, where the rules serving have %zu "
			      "(a file emptied, or caught half-way through a save?)\n", before));
}

static void reload(Service *sv, const ServeOpts *o, const char *why)
{
	char *report = NULL;
	Ruleset *rs = rules_load(o->paths, o->npaths, &report);
	if (rs && (report = emptied(rs))) {
		rules_release(rs);
		rs = NULL;
	}
	metrics_reload(rs != NULL);
	pthread_mutex_lock(&sv->mu);
	free(sv->reload_error);
	sv->reload_error = rs ? NULL : report;
	pthread_mutex_unlock(&sv->mu);
	if (rs) {
		say("reloaded (%s): %s %s\n", why, rs->name, rs->hash);
		rules_install(rs);
	} else {
		say("reload (%s) failed; the rules before it go on serving:\n%s", why, report);
	}
}

/* A file's text (a token, a certificate), or NULL after a message. */
static char *read_small(const char *file, const char *what)
{
	size_t len;
	const char *err;
	char *text = load_file(file, 1 << 20, &len, &err);
	if (!text) {
		fprintf(stderr, "edict serve: cannot read the %s: %s\n", what, err);
		return NULL;
	}
	return strdup(text);
}

/* Signals arrive on any thread (the collector's and the server's too), so
 * the handler only writes the signal's number into a pipe, which the main
 * thread's loop reads. */
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(signal_pipe[1], &b, 1) < 0) {
		/* the pipe is full: signals enough are waiting already */
	}
	errno = saved;
}

static int catch_signals(void)
{
	if (pipe(signal_pipe) != 0)
		return -1;
	fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* The next signal, or 0 after waiting ms milliseconds for one. */
static int next_signal(int ms)
{
	struct pollfd p = {signal_pipe[0], POLLIN, 0};
	if (poll(&p, 1, ms) <= 0)
		return 0;
	unsigned char b;
	return read(signal_pipe[0], &b, 1) == 1 ? b : 0;
}

/* The rule files as last seen, and since when they have changed without a
 * reload.  A save writes a file in several steps (an in-place one empties
 * it first), so a change is read only once the files have stayed the same
 * for SETTLE_NS. */
typedef struct Watch {
	char *sig;
	uint64_t changed_ns; /* 0: no change waits */
} Watch;

enum { SETTLE_NS = 500000000 };

static void watch_files(Watch *w, Service *sv, const ServeOpts *o)
{
	char *now = signature(o);
	if (strcmp(now, w->sig) != 0) {
		free(w->sig);
		w->sig = now;
		w->changed_ns = serve_now_ns();
		return;
	}
	free(now);
	if (w->changed_ns && serve_now_ns() - w->changed_ns >= SETTLE_NS) {
		w->changed_ns = 0;
		reload(sv, o, "a rule file changed");
	}
}

static int run(ServeOpts *o, Service *sv, Http *h)
{
	Watch w = {o->watch ? signature(o) : NULL, 0};
	for (;;) {
		int s = next_signal(300);
		if (s == SIGTERM || s == SIGINT)
			break;
		if (s == SIGHUP) {
			reload(sv, o, "SIGHUP");
			continue;
		}
		if (w.sig)
			watch_files(&w, sv, o);
	}
	free(w.sig);
	atomic_store(&sv->draining, true);
	if (o->grace_s) {
		say("draining: /readyz says so for %u s before the door closes\n", o->grace_s);
		uint64_t open_until = serve_now_ns() + (uint64_t)o->grace_s * 1000000000u;
		while (serve_now_ns() < open_until) {
			int s = next_signal(100);
			if (s == SIGTERM || s == SIGINT)
				break; /* asked again: now */
		}
	}
	say("draining: %ld requests under way\n", metrics_inflight_now());
	http_quiesce(h);
	/* Done when nothing is under way and has not been for a while: a
	 * connection accepted just before the door closed may not have been
	 * read yet, and its request is under way as soon as it is. */
	uint64_t until = serve_now_ns() + (uint64_t)o->drain_s * 1000000000u, quiet_since = serve_now_ns();
	const uint64_t quiet = 300000000u;
	while (serve_now_ns() < until && metrics_connections_now() > 0) {
		if (metrics_inflight_now() > 0)
			quiet_since = serve_now_ns();
		else if (serve_now_ns() - quiet_since >= quiet)
			break;
		struct timespec nap = {0, 10000000};
		nanosleep(&nap, NULL);
	}
	long left = metrics_inflight_now();
	http_stop(h);
	say("stopped%s\n", left ? xprintf(" with %ld requests cut off at the drain timeout", left) : "; every request was answered");
	return left ? EXIT_DIAG : EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
	ServeOpts o;
	int rc = parse(argc, argv, &o);
	if (rc != 0) {
		if (rc > 0)
			fputs(help, stdout);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	edict_init();
	/* Collect when as much has been allocated as the heap holds, not a
	 * third of it: every request's garbage is short-lived, and each
	 * collection stops every server thread.  Measured with
	 * bench/serve/run.sh: a third more requests a second and a p99 several
	 * times lower, for about 6 MiB more resident memory.  The collector's
	 * own GC_FREE_SPACE_DIVISOR still decides when it is set. */
	if (!getenv("GC_FREE_SPACE_DIVISOR"))
		GC_set_free_space_divisor(1);
	if (catch_signals() != 0) {
		fprintf(stderr, "edict serve: cannot set up signal handling: %s\n", strerror(errno));
		return EXIT_DIAG;
	}
	/* one service a process, for as long as it runs */
	static Service service;
	static Http http;
	Service *sv = &service;
	Http *h = &http;
	sv->lim = o.lim;
	sv->docs_dir = o.docs;
	sv->log_facts = o.log_facts;
	pthread_mutex_init(&sv->mu, NULL);
	char *report = NULL;
	Ruleset *rs = rules_load(o.paths, o.npaths, &report);
	if (!rs) {
		fputs(report, stderr);
		free(report);
		fprintf(stderr, "edict serve: the rules have errors; nothing is served\n");
		return EXIT_DIAG;
	}
	rules_install(rs);
	h->sv = sv;
	h->listen = o.listen;
	h->threads = o.threads;
	h->instance = (unsigned)getpid() ^ (unsigned)time(NULL);
	if (o.token_file) {
		char *t = read_small(o.token_file, "token file");
		if (!t)
			return EXIT_USAGE;
		size_t n = strlen(t);
		while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' '))
			t[--n] = 0;
		if (!n) {
			fprintf(stderr, "edict serve: the token file %s is empty\n", o.token_file);
			return EXIT_USAGE;
		}
		h->token = t;
	}
	if (o.tls_cert && (!(h->tls_cert = read_small(o.tls_cert, "certificate")) || !(h->tls_key = read_small(o.tls_key, "key"))))
		return EXIT_USAGE;
	if (o.log && declog_open(o.log, o.log_max_bytes, o.log_keep) != 0) {
		fprintf(stderr, "edict serve: cannot open the decision log %s: %s\n", o.log, strerror(errno));
		return EXIT_USAGE;
	}
	const char *err;
	if (watchdog_start() != 0 || http_start(h, &err) != 0) {
		fprintf(stderr, "edict serve: %s\n", err);
		return EXIT_USAGE;
	}
	Ruleset *now = rules_acquire();
	say("%s %s on %s://%s:%u/ (%u threads)\n", now->name, now->hash, h->tls_cert ? "https" : "http",
	    xprintf("%.*s", (int)(strrchr(o.listen, ':') - o.listen), o.listen), h->port, o.threads);
	rules_release(now);
	int code = run(&o, sv, h);
	watchdog_stop();
	declog_close();
	rules_shutdown();
	return code;
}
