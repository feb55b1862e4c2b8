/*
 * serve_rules.c - the rule set in service and the threads that evaluate.
 *
 * A reload loads and checks the rules beside the ones serving, and runs
 * their own checks as `edict check` does; only when neither finds an error
 * are they put in service, by swapping one pointer
 * under a lock.  Each request takes a reference to the rule set it starts
 * with and keeps it to the end, so requests in flight finish on their
 * rules, and a rule set goes when its last request has finished.
 *
 * Each evaluation thread (serve_http.c) evaluates with contexts of its own
 * (a Worker), made for the rule set in service and remade after a reload.  A watchdog
 * thread enforces the per-request time limit by interrupting the contexts
 * of a request past its deadline (edict_ctx_interrupt).
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "query.h"
#include "service.h"

char *serve_openapi(const Ruleset *rs); /* serve_openapi.c */

static pthread_mutex_t current_mu = PTHREAD_MUTEX_INITIALIZER;
static Ruleset *current;
static unsigned generation;

uint64_t serve_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The last part of the first path, without ".edict": the rule set's name. */
static const char *set_name(const char *given)
{
	char *real = realpath(given, NULL); /* "." is named after the directory */
	const char *path = real ? real : given;
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	size_t e = n;
	if (e - s > 6 && strncmp(path + e - 6, ".edict", 6) == 0)
		e -= 6;
	char *name = malloc(e - s + 1);
	if (name) {
		memcpy(name, path + s, e - s);
		name[e - s] = 0;
	}
	free(real);
	return name;
}

static void ruleset_free(Ruleset *rs)
{
	edict_rules_free(rs->rules);
	free((char *)rs->name);
	free(rs->schema);
	free(rs->openapi);
	free(rs->ruleset_json);
	free(rs);
}

/* {"ruleset":{..},"facts":..,"decisions":..}: the reply of /v1/schema. */
static char *schema_reply(const Ruleset *rs)
{
	size_t n = edict_rules_schema_json(rs->rules, NULL, 0);
	size_t head = strlen(rs->ruleset_json) + 16;
	char *s = malloc(n + head + 1);
	if (!s)
		return NULL;
	int k = snprintf(s, head + 1, "{\"ruleset\":%s,", rs->ruleset_json);
	edict_rules_schema_json(rs->rules, s + k, n + 1); /* "{..}" */
	memmove(s + k, s + k + 1, n); /* drop its "{" */
	return s;
}

Ruleset *rules_make(edict_rules *r, const char *path, char **report)
{
	Ruleset *rs = calloc(1, sizeof *rs);
	if (!rs) {
		edict_rules_free(r);
		*report = strdup("out of memory");
		return NULL;
	}
	rs->rules = r;
	rs->name = set_name(path);
	edict_rules_hash(r, rs->hash, sizeof rs->hash);
	Buf b = {0};
	buf_puts(&b, "{\"name\":");
	buf_json_str(&b, rs->name ? rs->name : "", rs->name ? strlen(rs->name) : 0);
	buf_printf(&b, ",\"hash\":\"%s\"}", rs->hash);
	rs->ruleset_json = strdup(buf_cstr(&b));
	rs->schema = rs->ruleset_json ? schema_reply(rs) : NULL;
	rs->openapi = rs->schema ? serve_openapi(rs) : NULL;
	if (!rs->name || !rs->schema || !rs->openapi) {
		ruleset_free(rs);
		*report = strdup("out of memory");
		return NULL;
	}
	atomic_init(&rs->refs, 1);
	return rs;
}

/* The rules' own checks, as `edict check` runs them: the failures of
 * error checks rendered into *report (malloc), or NULL when none failed. */
static char *failed_checks(edict_rules *r)
{
	Diags *d = diag_new();
	query_run_checks((Program *)api_program(r), date_today(), d);
	if (!d->nerrors)
		return NULL;
	Buf b = {0};
	const Diag **order = diag_sorted(d);
	for (int i = 0; i < d->n; i++)
		if (order[i]->sev == SEV_ERROR)
			buf_puts(&b, diag_render(d, order[i], false));
	return strdup(buf_cstr(&b));
}

Ruleset *rules_load(const char *const *paths, int npaths, char **report)
{
	*report = NULL;
	edict_rules *r = NULL;
	int st = edict_load_paths(paths, (size_t)npaths, &r);
	if (st != EDICT_OK) {
		const char *rep = r ? edict_rules_report(r) : "out of memory";
		*report = strdup(rep && *rep ? rep : edict_status_name(st));
		edict_rules_free(r);
		return NULL;
	}
	if ((*report = failed_checks(r)) != NULL) {
		edict_rules_free(r);
		return NULL;
	}
	return rules_make(r, paths[0], report);
}

Ruleset *rules_acquire(void)
{
	pthread_mutex_lock(&current_mu);
	Ruleset *rs = current;
	if (rs)
		atomic_fetch_add(&rs->refs, 1);
	pthread_mutex_unlock(&current_mu);
	return rs;
}

void rules_release(Ruleset *rs)
{
	if (rs && atomic_fetch_sub(&rs->refs, 1) == 1)
		ruleset_free(rs);
}

void rules_install(Ruleset *rs)
{
	pthread_mutex_lock(&current_mu);
	Ruleset *old = current;
	rs->gen = ++generation;
	current = rs;
	pthread_mutex_unlock(&current_mu);
	rules_release(old);
}

void rules_shutdown(void)
{
	pthread_mutex_lock(&current_mu);
	Ruleset *old = current;
	current = NULL;
	pthread_mutex_unlock(&current_mu);
	rules_release(old);
}

/* ------------------------------------------------------------- workers */

#define MAX_WORKERS 1024

static pthread_mutex_t workers_mu = PTHREAD_MUTEX_INITIALIZER;
static Worker *workers[MAX_WORKERS];
static int nworkers;
static __thread Worker *mine;

static void drop_contexts(Worker *w)
{
	edict_ctx_free(w->ctx);
	edict_ctx_free(w->ctx2);
	w->ctx = w->ctx2 = NULL;
	rules_release(w->rs);
	w->rs = NULL;
}

/* Contexts for rs, and every public decision compiled once. */
static bool make_contexts(Worker *w, Ruleset *rs, const ServeLimits *lim)
{
	if (edict_ctx_new(rs->rules, &w->ctx) != EDICT_OK || edict_ctx_new(rs->rules, &w->ctx2) != EDICT_OK)
		return false;
	edict_ctx_set_limits(w->ctx, lim->max_steps, lim->max_memory);
	edict_ctx_set_limits(w->ctx2, lim->max_steps, lim->max_memory);
	/* a request's results are written out before the next request's facts
	 * are set: the fact records may be filled again */
	api_recycle_facts(w->ctx);
	api_recycle_facts(w->ctx2);
	atomic_fetch_add(&rs->refs, 1);
	w->rs = rs;
	w->nall = (int)edict_rules_decision_count(rs->rules);
	w->all = GC_MALLOC(sizeof(void *) * (size_t)(w->nall + 1));
	w->keys = GC_MALLOC(sizeof(Buf) * (size_t)(w->nall + 1));
	for (int i = 0; i < w->nall; i++) {
		const char *name = edict_rules_decision_name(rs->rules, (size_t)i);
		w->all[i] = api_query(w->ctx, name);
		buf_json_str(&w->keys[i], name, strlen(name));
		buf_add(&w->keys[i], ":", 1);
	}
	return true;
}

Worker *worker_for(Ruleset *rs, const ServeLimits *lim)
{
	edict_thread_attach();
	Worker *w = mine;
	if (!w) {
		w = mem_uncollectable_apart(sizeof *w);
		if (!w)
			return NULL;
		memset(w, 0, sizeof *w);
		pthread_mutex_init(&w->mu, NULL);
		pthread_mutex_lock(&workers_mu);
		if (nworkers < MAX_WORKERS)
			workers[nworkers++] = w;
		pthread_mutex_unlock(&workers_mu);
		mine = w;
	}
	if (!rs)
		return w;
	pthread_mutex_lock(&w->mu);
	bool stale = w->stale;
	w->stale = false;
	pthread_mutex_unlock(&w->mu);
	if (w->rs != rs || stale || !w->ctx) {
		pthread_mutex_lock(&w->mu); /* the watchdog may be looking at ctx */
		drop_contexts(w);
		pthread_mutex_unlock(&w->mu);
		if (!make_contexts(w, rs, lim)) {
			drop_contexts(w);
			return NULL;
		}
	}
	return w;
}

void worker_start_clock(Worker *w, edict_ctx *ctx, unsigned ms)
{
	pthread_mutex_lock(&w->mu);
	w->watch[0] = ctx ? ctx : w->ctx;
	w->watch[1] = ctx ? NULL : w->ctx2;
	w->fired = false;
	w->deadline_ns = ms ? serve_now_ns() + (uint64_t)ms * 1000000u : 0;
	pthread_mutex_unlock(&w->mu);
}

bool worker_stop_clock(Worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->deadline_ns = 0;
	bool fired = w->fired;
	if (fired && w->watch[0] == w->ctx)
		w->stale = true;
	w->fired = false;
	w->watch[0] = w->watch[1] = NULL;
	pthread_mutex_unlock(&w->mu);
	return fired;
}

/* ------------------------------------------------------------ watchdog */

static pthread_t watchdog;
static atomic_bool watchdog_quit;
static bool watchdog_running;

static void *watch(void *unused)
{
	while (!atomic_load(&watchdog_quit)) {
		struct timespec nap = {0, 2000000}; /* 2 ms: the limit's resolution */
		nanosleep(&nap, NULL);
		uint64_t now = serve_now_ns();
		pthread_mutex_lock(&workers_mu);
		for (int i = 0; i < nworkers; i++) {
			Worker *w = workers[i];
			pthread_mutex_lock(&w->mu);
			if (w->deadline_ns && now > w->deadline_ns && !w->fired) {
				for (int k = 0; k < 2; k++)
					if (w->watch[k])
						edict_ctx_interrupt(w->watch[k]);
				w->fired = true;
			}
			pthread_mutex_unlock(&w->mu);
		}
		pthread_mutex_unlock(&workers_mu);
	}
	return NULL;
}

int watchdog_start(void)
{
	atomic_store(&watchdog_quit, false);
	int rc = pthread_create(&watchdog, NULL, watch, NULL);
	watchdog_running = rc == 0;
	return rc;
}

void watchdog_stop(void)
{
	if (!watchdog_running)
		return;
	atomic_store(&watchdog_quit, true);
	pthread_join(watchdog, NULL);
	watchdog_running = false;
}
