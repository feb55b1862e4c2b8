/*
 * api.c - the public C interface (include/edict.h) over the interpreter.
 *
 * The handles wrap the interpreter's own structures: edict_rules a Program
 * with its diagnostics, edict_ctx a VM Ctx, edict_value a Value.  What this
 * layer adds is the contract an embedding host relies on:
 *   - every entry point checks its arguments and returns a status, with the
 *     message and place kept on the context; nothing prints or exits, and
 *     running out of memory is thrown to the entry point's protected call
 *     (protect.h; on_ctx below, written once) and returned as EDICT_ENOMEM;
 *   - handles are allocated uncollectable, so a host may keep them in memory
 *     the collector does not scan; what they own hangs off them;
 *   - threads: the collector is started once (edict_init) and each calling
 *     thread is registered on its first call (and unregistered when it
 *     exits, through a pthread key destructor).  A Program is read-only
 *     while evaluating.  Compiling a query adds nothing to it (the query
 *     owns its nodes and source: Own in program.h) but uses the checker's
 *     state, so it happens under the rule set's write lock; explanations
 *     and error rendering take the read lock.  Evaluation itself needs no
 *     lock: each context has its own Ctx.
 *   - compiled queries are cached per rule set (shared, under the lock) and
 *     per context (a few recent ones, no lock).
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"

#include "api.h"
#include "check.h"
#include "compile.h"
#include "edict.h"
#include "explain.h"
#include "facts.h"
#include "factsdoc.h"
#include "load.h"
#include "native.h"
#include "parse.h"
#include "protect.h"
#include "query.h"
#include "strmap.h"

_Static_assert((int)EDICT_OK == (int)ST_OK && (int)EDICT_ESYNTAX == (int)ST_SYNTAX && (int)EDICT_ETYPE == (int)ST_TYPE && (int)EDICT_EFACTS == (int)ST_FACTS &&
		       (int)EDICT_ERUNTIME == (int)ST_RUNTIME && (int)EDICT_ELIMIT == (int)ST_LIMIT && (int)EDICT_ENOMEM == (int)ST_MEMORY &&
		       (int)EDICT_EUSAGE == (int)ST_USAGE && (int)EDICT_EIO == (int)ST_IO && (int)EDICT_EINTERRUPTED == (int)ST_INTERRUPTED,
	       "edict.h statuses must match vm.h");
_Static_assert((int)EDICT_KIND_UNKNOWN == (int)V_UNKNOWN && (int)EDICT_KIND_BOOL == (int)V_BOOL && (int)EDICT_KIND_INT == (int)V_INT &&
		       (int)EDICT_KIND_DECIMAL == (int)V_DEC && (int)EDICT_KIND_MONEY == (int)V_MONEY && (int)EDICT_KIND_PERCENT == (int)V_PCT &&
		       (int)EDICT_KIND_DATE == (int)V_DATE && (int)EDICT_KIND_DURATION == (int)V_DUR && (int)EDICT_KIND_TEXT == (int)V_STR &&
		       (int)EDICT_KIND_ENUM == (int)V_ENUM && (int)EDICT_KIND_HSCODE == (int)V_HS && (int)EDICT_KIND_LIST == (int)V_LIST &&
		       (int)EDICT_KIND_RECORD == (int)V_REC,
	       "edict.h kinds must match value.h");
_Static_assert((int)EDICT_SEV_ERROR == (int)SEV_ERROR && (int)EDICT_SEV_WARNING == (int)SEV_WARNING && (int)EDICT_SEV_NOTE == (int)SEV_NOTE,
	       "edict.h severities must match diag.h");

/* Tags that tell a live handle from a stale or foreign pointer. */
#define RULES_MAGIC 0x45445231u /* "EDR1" */
#define CTX_MAGIC 0x45444331u   /* "EDC1" */
#define VALUE_MAGIC 0x45445631u /* "EDV1" */
#define DEAD_MAGIC 0xdeadedc7u

#define QUERY_MAX_LEN (64u << 10)
#define RULES_CACHE_MAX 4096 /* compiled queries kept per rule set */
#define CTX_CACHE 16         /* recent queries per context (a power of two) */
#define CTX_OWN 8            /* records the setters made, changed in place by the next ones */
#define CTX_PATHS 16         /* fact paths resolved, kept per context */
#define PATH_MAX_DEPTH 32
#define PATH_MAX_LEN 1024    /* a fact path is shorter than this, in bytes */

typedef struct QSlot {
	uint32_t hash;
	const char *text;
	const Query *q;
} QSlot;

struct edict_rules {
	uint32_t magic;
	atomic_int refs; /* the host's handle, plus one per context */
	int status;
	Program *p; /* NULL when the rule set has errors */
	Diags *d;
	int ndiag;
	const Diag **diag;   /* sorted by place */
	const char **render; /* each rendered, computed at load: rendering reads d->sources */
	const char *report;
	const char **decisions;
	int ndecisions;
	pthread_rwlock_t lock; /* see the top of the file */
	StrMap cache;          /* query text -> Query, at most RULES_CACHE_MAX */
};

struct edict_ctx {
	uint32_t magic;
	edict_rules *rules;
	Ctx *c;
	unsigned gen; /* changes with the facts and the date: older values are stale */
	bool fresh;   /* facts changed: forget decided values before the next evaluation */
	bool required; /* the facts and date were found to satisfy the rules' requirements */
	bool date_set, doc_dated;
	date_t date, doc_date;
	date_t today; /* read from the clock when the facts were last set */
	volatile sig_atomic_t stop;
	unsigned long long max_steps;
	size_t max_bytes;
	int status;
	const char *errmsg;
	Loc errloc;
	const char *errhint;
	json_object *pending; /* a JSON tree being read (malloc'd by json-c): freed if memory runs out */
	FactsDoc *doc;        /* a document being built (edict_facts_*), or NULL */
	Value *saved;         /* the facts before a load, to put back if it fails */
	FactsRecycle *recycle; /* fact records reused from load to load, */
	bool recycling;        /* when the host allows it (api_recycle_facts) */
	void **keep;          /* values and strings handed out for the current facts */
	size_t nkeep, capkeep;
	edict_value *spare;   /* room for the next handles for the current facts (new_value) */
	unsigned nspare, block;
	/* records that setters made since the facts were last read (prepare):
	 * no one else points to them, so later setters change them in place */
	const void *own[CTX_OWN];
	int nown;
	struct FactPath *paths; /* the last CTX_PATHS fact paths the setters resolved */
	unsigned next_path;
	QSlot recent[CTX_CACHE];
	char day[DATE_TEXT_LEN + 1];
};

struct edict_value {
	uint32_t magic;
	unsigned gen;
	edict_ctx *ctx;
	Value v;
};

/* ------------------------------------------------------------ threads */

static pthread_once_t started = PTHREAD_ONCE_INIT;
static pthread_key_t registration;
/* 0: not known to us; 1: we registered it; 2: the collector already knew it */
static __thread int attached;

static void detach_at_exit(void *unused)
{
	(void)unused;
	if (attached == 1)
		GC_unregister_my_thread();
	attached = 0;
}

static void start(void)
{
	MEM_START();
	GC_allow_register_threads();
	pthread_key_create(&registration, detach_at_exit);
}

/* Every entry point starts here: the collector must know this thread
 * before the thread touches collected memory. */
static void enter(void)
{
	if (__builtin_expect(attached != 0, 1))
		return;
	pthread_once(&started, start);
	if (GC_thread_is_registered()) {
		attached = 2;
		return;
	}
	struct GC_stack_base sb;
	if (GC_get_stack_base(&sb) != GC_SUCCESS)
		return;
	int rc = GC_register_my_thread(&sb);
	attached = rc == GC_SUCCESS ? 1 : 2;
	if (attached == 1)
		pthread_setspecific(registration, (void *)1);
}

int edict_init(void)
{
	enter();
	return EDICT_OK;
}

int edict_thread_attach(void)
{
	enter();
	return EDICT_OK;
}

int edict_thread_detach(void)
{
	if (attached == 1) {
		pthread_setspecific(registration, NULL);
		GC_unregister_my_thread();
	}
	attached = 0;
	return EDICT_OK;
}

const char *edict_version(void)
{
	return EDICT_VERSION_STRING;
}

const char *edict_status_name(int status)
{
	static const char *const names[] = {"ok",	 "syntax", "type",  "facts", "runtime",
					    "limit", "memory", "usage", "io",	 "interrupted"};
	return status >= 0 && status < (int)(sizeof names / sizeof names[0]) ? names[status] : "unknown";
}

/* ------------------------------------------------------------ helpers */

static const char *copy_text(const char *s, size_t n)
{
	char *t = GC_MALLOC_ATOMIC(n + 1);
	memcpy(t, s, n);
	t[n] = 0;
	return t;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool rules_ok(const edict_rules *r)
{
	return r && r->magic == RULES_MAGIC;
}

static bool ctx_ok(const edict_ctx *x)
{
	return x && x->magic == CTX_MAGIC;
}

static int ok(edict_ctx *x)
{
	x->status = EDICT_OK;
	x->errmsg = "";
	x->errloc = (Loc){0};
	x->errhint = NULL;
	return EDICT_OK;
}

static int fail(edict_ctx *x, int status, Loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(edict_ctx *x, int status, Loc loc, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	x->errmsg = xvprintf(fmt, ap);
	va_end(ap);
	x->status = status;
	x->errloc = loc;
	x->errhint = hint;
	return status;
}

static const Loc noloc = {0};

/* Out of memory: no allocation here.  The VM has put its own state right
 * (vm.c); an evaluation cut short leaves explain mode on. */
static int oom(edict_ctx *x)
{
	if (x) {
		if (x->c)
			x->c->trace = false;
		if (x->pending) {
			json_object_put(x->pending);
			x->pending = NULL;
		}
		x->fresh = true;
		x->status = EDICT_ENOMEM;
		x->errmsg = "out of memory";
		x->errloc = noloc;
		x->errhint = NULL;
	}
	return EDICT_ENOMEM;
}

/* ------------------------------------------------------ entry points */

/* The work of an entry point on a context, with its arguments. */
typedef int (*Body)(edict_ctx *x, void *arg);

typedef struct Entry {
	edict_ctx *x;
	Body body;
	void *arg;
	int st;
} Entry;

static void entry_body(void *ud)
{
	Entry *e = ud;
	e->st = e->body(e->x, e->arg);
}

/* Run body under the protected call: its status, or EDICT_ENOMEM with the
 * context put right when memory runs out anywhere in it. */
static int guarded(edict_ctx *x, Body body, void *arg)
{
	Entry e = {x, body, arg, EDICT_OK};
	if (pr_call(entry_body, &e) != ST_OK)
		return oom(x);
	return e.st;
}

/* Every entry point on a context starts here: the thread known to the
 * collector, the handle checked, the work guarded. */
static int on_ctx(edict_ctx *x, Body body, void *arg)
{
	enter();
	if (!ctx_ok(x))
		return EDICT_EUSAGE;
	return guarded(x, body, arg);
}

/* Run a critical section of body under lock, unlocking also when memory
 * runs out in it (the status is passed on to the entry point). */
static void locked(pthread_rwlock_t *lock, bool write, void (*body)(void *ud), void *ud)
{
	if (write)
		pthread_rwlock_wrlock(lock);
	else
		pthread_rwlock_rdlock(lock);
	int st = pr_call(body, ud);
	pthread_rwlock_unlock(lock);
	pr_pass(st);
}

/* Keep p alive until the facts change (see "Text out" in edict.h). */
static void keep(edict_ctx *x, void *p)
{
	if (x->nkeep == x->capkeep) {
		size_t cap = x->capkeep ? x->capkeep * 2 : 16;
		void **k = GC_MALLOC(sizeof(void *) * cap);
		if (x->nkeep)
			memcpy(k, x->keep, sizeof(void *) * x->nkeep);
		x->keep = k;
		x->capkeep = cap;
	}
	x->keep[x->nkeep++] = p;
}

/* The facts changed by a setter: values decided or handed out are stale. */
static void touched(edict_ctx *x)
{
	x->today = date_today();
	x->gen++;
	x->fresh = true;
	x->required = false;
	if (x->nkeep) /* the array serves the next facts; what it held may go */
		memset(x->keep, 0, sizeof(void *) * x->nkeep);
	x->nkeep = 0;
	x->spare = NULL;
	x->nspare = x->block = 0;
}

/* The facts changed otherwise (read, reset, a date): the same, and the
 * setters' records may now be anyone's. */
static void changed(edict_ctx *x)
{
	touched(x);
	x->nown = 0;
}

static date_t effective_date(const edict_ctx *x)
{
	return x->date_set ? x->date : x->doc_dated ? x->doc_date : x->today;
}

/* --------------------------------------------------------- rule sets */

/* Which status a failed load gets: a path that could not be read (an error
 * with no line), else text that does not parse, else rules that do not
 * check.  The Diags do not record the stage, so the sources are parsed
 * again to tell the last two apart (only when there are errors). */
static int load_status(const Diags *d)
{
	if (d->nerrors == 0)
		return EDICT_OK;
	for (int i = 0; i < d->n; i++)
		if (d->items[i].sev == SEV_ERROR && d->items[i].loc.line <= 0)
			return EDICT_EIO;
	for (int i = 0; i < d->nsources; i++) {
		Diags *scratch = diag_new();
		parse_module(d->sources[i], scratch);
		if (scratch->nerrors)
			return EDICT_ESYNTAX;
	}
	return EDICT_ETYPE;
}

static edict_rules *new_rules(void)
{
	edict_rules *r = GC_MALLOC_UNCOLLECTABLE(sizeof *r);
	if (!r)
		return NULL;
	memset(r, 0, sizeof *r);
	if (pthread_rwlock_init(&r->lock, NULL) != 0) {
		GC_FREE(r);
		return NULL;
	}
	atomic_init(&r->refs, 1);
	r->magic = RULES_MAGIC;
	return r;
}

static void rules_release(edict_rules *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1) {
		pthread_rwlock_destroy(&r->lock);
		r->magic = DEAD_MAGIC;
		GC_FREE(r);
	}
}

/* Fill a new handle from what a load produced. */
static int finish(edict_rules *r, Program *p, Diags *d)
{
	r->d = d;
	r->status = load_status(d);
	r->p = r->status == EDICT_OK ? p : NULL;
	r->ndiag = d->n;
	r->diag = diag_sorted(d);
	r->render = GC_MALLOC(sizeof(char *) * (size_t)(d->n + 1));
	Buf all = {0};
	for (int i = 0; i < d->n; i++) {
		r->render[i] = diag_render(d, r->diag[i], false);
		buf_puts(&all, r->render[i]);
	}
	int max = d->max_errors ? d->max_errors : 100;
	if (d->nerrors > max)
		buf_printf(&all, "... and %d more errors\n", d->nerrors - max);
	r->report = buf_cstr(&all);
	if (r->p) {
		for (int i = 0; i < p->ndecls; i++)
			if (p->decls[i]->kind != D_PARAM && !p->decls[i]->private_)
				AST_PUSH(r->decisions, r->ndecisions, p->decls[i]->qname);
	}
	return r->status;
}

typedef Program *(*Loader)(void *arg, Diags *d);

/* The shape of every load: a handle whatever happens (but memory), and
 * out-of-memory while loading leaves a handle that says so. */
typedef struct Load {
	Loader fn;
	void *arg;
	edict_rules *r;
	int st;
} Load;

static void load_body(void *ud)
{
	Load *k = ud;
	Diags *d = diag_new();
	Program *p = k->fn(k->arg, d);
	k->st = finish(k->r, p, d);
}

static int load_with(Loader fn, void *arg, edict_rules **out)
{
	enter();
	edict_rules *r = new_rules();
	*out = r;
	if (!r)
		return EDICT_ENOMEM;
	Load k = {fn, arg, r, EDICT_OK};
	if (pr_call(load_body, &k) != ST_OK) {
		r->status = EDICT_ENOMEM;
		r->p = NULL;
		r->d = NULL;
		r->ndiag = 0;
		r->report = "out of memory\n";
		return EDICT_ENOMEM;
	}
	return k.st;
}

/* A load refused for what the call passed rather than for what the rules
 * say: no files, too many, a text over the limit on a rule file, a base
 * that did not load.  The handle is made all the same, with the reason as
 * its one diagnostic (edict.h), and the status is EDICT_EUSAGE. */
typedef enum Why { FINE, NO_FILES, TOO_MANY, TOO_BIG, BAD_BASE } Why;

typedef struct Refusal {
	Why why;
	const char *file; /* the text over the limit, else NULL */
} Refusal;

static Program *refusal_fn(void *arg, Diags *d)
{
	const Refusal *a = arg;
	Loc at = {a->file ? copy_text(a->file, strlen(a->file)) : NULL, 0, 0, 0, 0};
	if (a->why == NO_FILES)
		diag_add(d, SEV_ERROR, at, "no rule files were given: the list of files is empty");
	else if (a->why == TOO_MANY)
		diag_add(d, SEV_ERROR, at, "a rule set may hold at most %d files", LOAD_MAX_FILES);
	else if (a->why == TOO_BIG)
		diag_add(d, SEV_ERROR, at, "%s is larger than the limit of %u bytes", at.file, LOAD_MAX_FILE_BYTES);
	else
		diag_add(d, SEV_ERROR, at, "the rule set to reform did not load; fix its errors before loading a reform");
	return NULL;
}

static int refuse(Refusal why, edict_rules **out)
{
	if (load_with(refusal_fn, &why, out) == EDICT_ENOMEM)
		return EDICT_ENOMEM;
	(*out)->status = EDICT_EUSAGE;
	return EDICT_EUSAGE;
}

/* Whether a load of n files can start, by their number. */
static Refusal vet_count(size_t n)
{
	Refusal r = {n == 0 ? NO_FILES : n > LOAD_MAX_FILES ? TOO_MANY : FINE, NULL};
	return r;
}

typedef struct PathsArg {
	const char *const *paths;
	int n;
} PathsArg;

static Program *load_paths_fn(void *arg, Diags *d)
{
	PathsArg *a = arg;
	const char **copy = GC_MALLOC(sizeof(char *) * (size_t)(a->n + 1));
	for (int i = 0; i < a->n; i++)
		copy[i] = copy_text(a->paths[i], strlen(a->paths[i]));
	return load_paths(copy, a->n, d);
}

void edict_set_image_cache(const char *dir)
{
	enter();
	load_set_image_cache(dir);
}

int edict_load_paths(const char *const *paths, size_t npaths, edict_rules **out)
{
	enter();
	if (!out)
		return EDICT_EUSAGE;
	*out = NULL;
	if (!paths)
		return EDICT_EUSAGE;
	Refusal no = vet_count(npaths);
	if (no.why != FINE)
		return refuse(no, out);
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i])
			return EDICT_EUSAGE;
	PathsArg a = {paths, (int)npaths};
	return load_with(load_paths_fn, &a, out);
}

typedef struct SourcesArg {
	const edict_source *srcs;
	int n;
	const Program *base; /* for reforms */
} SourcesArg;

static size_t source_len(const edict_source *src)
{
	return src->len == EDICT_NUL_TERMINATED ? strlen(src->text) : src->len;
}

static const Source **copy_sources(const SourcesArg *a)
{
	const Source **s = GC_MALLOC(sizeof(Source *) * (size_t)(a->n + 1));
	for (int i = 0; i < a->n; i++) {
		Source *src = GC_MALLOC(sizeof *src);
		size_t len = source_len(&a->srcs[i]);
		src->path = copy_text(a->srcs[i].name, strlen(a->srcs[i].name));
		src->text = copy_text(a->srcs[i].text, len);
		src->len = len;
		s[i] = src;
	}
	return s;
}

static Program *load_sources_fn(void *arg, Diags *d)
{
	SourcesArg *a = arg;
	return load_sources(copy_sources(a), a->n, d);
}

/* Whether every name and text is there (n already vetted). */
static bool sources_given(const edict_source *srcs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!srcs[i].name || !srcs[i].text)
			return false;
	return true;
}

/* Whether a load of these texts can start, by their number and sizes. */
static Refusal vet_sources(const edict_source *srcs, size_t n)
{
	Refusal r = vet_count(n);
	for (size_t i = 0; r.why == FINE && i < n; i++)
		if (source_len(&srcs[i]) > LOAD_MAX_FILE_BYTES)
			r = (Refusal){TOO_BIG, srcs[i].name};
	return r;
}

int edict_load_sources(const edict_source *sources, size_t nsources, edict_rules **out)
{
	enter();
	if (!out)
		return EDICT_EUSAGE;
	*out = NULL;
	if (!sources || (nsources <= LOAD_MAX_FILES && !sources_given(sources, nsources)))
		return EDICT_EUSAGE;
	Refusal no = vet_sources(sources, nsources);
	if (no.why != FINE)
		return refuse(no, out);
	SourcesArg a = {sources, (int)nsources, NULL};
	return load_with(load_sources_fn, &a, out);
}

int edict_load_source(const char *name, const char *text, size_t len, edict_rules **out)
{
	edict_source s = {name, text, len};
	return edict_load_sources(&s, 1, out);
}

static Program *load_reform_fn(void *arg, Diags *d)
{
	SourcesArg *a = arg;
	return load_reform(a->base, copy_sources(a), a->n, d);
}

int edict_load_reform_source(edict_rules *base, const char *name, const char *text, size_t len, edict_rules **out)
{
	enter();
	if (!out)
		return EDICT_EUSAGE;
	*out = NULL;
	edict_source s = {name, text, len};
	if (!rules_ok(base) || !sources_given(&s, 1))
		return EDICT_EUSAGE;
	Refusal no = base->p ? vet_sources(&s, 1) : (Refusal){BAD_BASE, NULL};
	if (no.why != FINE)
		return refuse(no, out);
	SourcesArg a = {&s, 1, base->p};
	return load_with(load_reform_fn, &a, out);
}

typedef struct ReformPathsArg {
	const char *const *paths;
	int n;
	const Program *base;
} ReformPathsArg;

static Program *load_reform_paths_fn(void *arg, Diags *d)
{
	ReformPathsArg *a = arg;
	const char **copy = GC_MALLOC(sizeof(char *) * (size_t)(a->n + 1));
	for (int i = 0; i < a->n; i++)
		copy[i] = copy_text(a->paths[i], strlen(a->paths[i]));
	return load_reform_paths(a->base, copy, a->n, d);
}

int edict_load_reform(edict_rules *base, const char *const *paths, size_t npaths, edict_rules **out)
{
	enter();
	if (!out)
		return EDICT_EUSAGE;
	*out = NULL;
	if (!rules_ok(base) || !paths)
		return EDICT_EUSAGE;
	Refusal no = base->p ? vet_count(npaths) : (Refusal){BAD_BASE, NULL};
	if (no.why != FINE)
		return refuse(no, out);
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i])
			return EDICT_EUSAGE;
	ReformPathsArg a = {paths, (int)npaths, base->p};
	return load_with(load_reform_paths_fn, &a, out);
}

int edict_rules_status(const edict_rules *rules)
{
	enter();
	return rules_ok(rules) ? rules->status : EDICT_EUSAGE;
}

size_t edict_rules_diag_count(const edict_rules *rules)
{
	enter();
	return rules_ok(rules) ? (size_t)rules->ndiag : 0;
}

int edict_rules_diag(const edict_rules *rules, size_t i, edict_diag *out)
{
	enter();
	if (!rules_ok(rules) || !out || i >= (size_t)rules->ndiag)
		return EDICT_EUSAGE;
	const Diag *dg = rules->diag[i];
	out->severity = (int)dg->sev;
	out->file = dg->loc.file;
	out->line = dg->loc.line > 0 ? dg->loc.line : 0;
	out->column = dg->loc.line > 0 ? dg->loc.col : 0;
	out->end_line = dg->loc.line > 0 ? dg->loc.eline : 0;
	out->end_column = dg->loc.line > 0 ? dg->loc.ecol : 0;
	out->message = dg->msg;
	out->hint = dg->hint;
	return EDICT_OK;
}

const char *edict_rules_diag_text(const edict_rules *rules, size_t i)
{
	enter();
	if (!rules_ok(rules) || i >= (size_t)rules->ndiag)
		return NULL;
	return rules->render[i];
}

const char *edict_rules_report(const edict_rules *rules)
{
	enter();
	if (!rules_ok(rules))
		return "";
	return rules->report ? rules->report : "";
}

size_t edict_rules_decision_count(const edict_rules *rules)
{
	enter();
	return rules_ok(rules) ? (size_t)rules->ndecisions : 0;
}

const char *edict_rules_decision_name(const edict_rules *rules, size_t i)
{
	enter();
	if (!rules_ok(rules) || i >= (size_t)rules->ndecisions)
		return NULL;
	return rules->decisions[i];
}

void edict_rules_free(edict_rules *rules)
{
	enter();
	if (!rules_ok(rules))
		return;
	rules_release(rules);
}

const Program *api_program(const edict_rules *rules)
{
	return rules_ok(rules) ? rules->p : NULL;
}

/* ----------------------------------------------------------- contexts */

static void new_ctx_body(void *ud)
{
	edict_ctx *x = ud;
	x->c = vm_new(x->rules->p);
	if (!x->c)
		return;
	facts_clear(x->c);
	x->recycle = facts_recycle_new(x->rules->p);
}

int edict_ctx_new(edict_rules *rules, edict_ctx **out)
{
	enter();
	if (!out)
		return EDICT_EUSAGE;
	if (!rules_ok(rules) || !rules->p)
		return EDICT_EUSAGE;
	/* each evaluation writes to it: apart from other threads' contexts */
	edict_ctx *x = mem_uncollectable_apart(sizeof *x);
	if (!x)
		return EDICT_ENOMEM;
	memset(x, 0, sizeof *x);
	x->rules = rules;
	if (pr_call(new_ctx_body, x) != ST_OK || !x->c) {
		mem_free_apart(x);
		return EDICT_ENOMEM;
	}
	x->c->interrupt = &x->stop;
	x->max_steps = VM_DEFAULT_MAX_STEPS;
	x->max_bytes = VM_DEFAULT_MAX_BYTES;
	x->fresh = true;
	x->today = date_today();
	atomic_fetch_add(&rules->refs, 1);
	x->magic = CTX_MAGIC;
	ok(x);
	*out = x;
	return EDICT_OK;
}

void edict_ctx_free(edict_ctx *ctx)
{
	enter();
	if (!ctx_ok(ctx))
		return;
	edict_rules *r = ctx->rules;
	if (ctx->doc)
		fdoc_discard(ctx->doc);
	ctx->magic = DEAD_MAGIC;
	ctx->c = NULL;
	ctx->keep = NULL;
	mem_free_apart(ctx);
	rules_release(r);
}

static int reset_body(edict_ctx *x, void *arg)
{
	(void)arg;
	facts_clear(x->c);
	if (x->doc)
		fdoc_discard(x->doc);
	x->date_set = x->doc_dated = false;
	x->stop = 0;
	changed(x);
	return ok(x);
}

int edict_ctx_reset(edict_ctx *x)
{
	return on_ctx(x, reset_body, NULL);
}

int edict_ctx_status(const edict_ctx *x)
{
	enter();
	return ctx_ok(x) ? x->status : EDICT_EUSAGE;
}

const char *edict_ctx_errmsg(const edict_ctx *x)
{
	enter();
	if (!ctx_ok(x))
		return "the context is NULL or was freed";
	return x->errmsg ? x->errmsg : "";
}

int edict_ctx_error(const edict_ctx *x, edict_diag *out)
{
	enter();
	if (!ctx_ok(x) || !out)
		return EDICT_EUSAGE;
	out->severity = EDICT_SEV_ERROR;
	out->file = x->errloc.file;
	out->line = x->errloc.line > 0 ? x->errloc.line : 0;
	out->column = x->errloc.line > 0 ? x->errloc.col : 0;
	out->end_line = x->errloc.line > 0 ? x->errloc.eline : 0;
	out->end_column = x->errloc.line > 0 ? x->errloc.ecol : 0;
	out->message = x->errmsg ? x->errmsg : "";
	out->hint = x->errhint;
	return EDICT_OK;
}

typedef struct Limits {
	uint64_t max_steps;
	size_t max_bytes;
} Limits;

static int set_limits_body(edict_ctx *x, void *arg)
{
	Limits *l = arg;
	/* the VM counts steps down in a signed register: past INT64_MAX is as good as no limit */
	x->max_steps = l->max_steps ? (l->max_steps > INT64_MAX ? INT64_MAX : l->max_steps) : VM_DEFAULT_MAX_STEPS;
	x->max_bytes = l->max_bytes ? l->max_bytes : VM_DEFAULT_MAX_BYTES;
	return ok(x);
}

int edict_ctx_set_limits(edict_ctx *x, uint64_t max_steps, size_t max_bytes)
{
	Limits l = {max_steps, max_bytes};
	return on_ctx(x, set_limits_body, &l);
}

int edict_ctx_interrupt(edict_ctx *x)
{
	/* no enter(): this may run in a signal handler */
	if (!x || x->magic != CTX_MAGIC)
		return EDICT_EUSAGE;
	__atomic_store_n(&x->stop, 1, __ATOMIC_RELAXED); /* from any thread: the VM reads it atomically */
	return EDICT_OK;
}

static int set_as_of_body(edict_ctx *x, void *arg)
{
	const char *date = arg;
	if (!date) {
		if (x->date_set) {
			x->date_set = false;
			changed(x);
		}
		return ok(x);
	}
	date_t d;
	size_t n = strnlen(date, 64);
	int rc = date_parse(date, n, &d);
	if (rc != 0) {
		const char *why = rc == -2 ? "that day does not exist" : rc == -3 ? "the year must be from 0001 to 9999"
									      : "write it as YYYY-MM-DD";
		return fail(x, EDICT_EUSAGE, noloc, NULL,
			    "the as-of date must be a real date like 2026-12-01, not \"%.40s\": %s", date, why);
	}
	if (!x->date_set || x->date != d) {
		x->date_set = true;
		x->date = d;
		changed(x);
	}
	return ok(x);
}

int edict_ctx_set_as_of(edict_ctx *x, const char *date)
{
	return on_ctx(x, set_as_of_body, (void *)date);
}

const char *edict_ctx_as_of(edict_ctx *x)
{
	enter();
	if (!ctx_ok(x))
		return NULL;
	date_format(effective_date(x), x->day);
	return x->day;
}

/* -------------------------------------------------------------- facts */

typedef struct LoadFacts {
	edict_ctx *x;
	json_object *obj; /* the document as json-c's tree, or */
	const char *text; /* as text, for the fast door (facts_load_text) */
	size_t len;
	FactsSpan *id;
	const char *err;
	int st;
} LoadFacts;

static void load_facts_body(void *ud)
{
	LoadFacts *k = ud;
	edict_ctx *x = k->x;
	FactsRecycle *rc = x->recycling ? x->recycle : NULL;
	if (k->text)
		k->st = facts_load_text(x->c, k->text, k->len, rc, k->id);
	else
		k->st = facts_load_object_recycling(x->c, k->obj, "facts", &k->err, rc);
}

/* Load a document into the context, all or nothing: on failure (running
 * out of memory too) the facts and date are as before.  Returns k->st. */
static int load_into(edict_ctx *x, LoadFacts *k)
{
	Ctx *c = x->c;
	int nf = c->p->nfacts;
	if (!x->saved)
		x->saved = GC_MALLOC(sizeof(Value) * (size_t)(nf + 1));
	Value *saved = x->saved;
	memcpy(saved, c->facts, sizeof(Value) * (size_t)nf);
	const date_t before = c->as_of, none = INT32_MIN;
	c->as_of = none;
	int thrown = pr_call(load_facts_body, k);
	date_t doc = c->as_of;
	c->as_of = before;
	if (thrown != ST_OK || k->st != ST_OK)
		memcpy(c->facts, saved, sizeof(Value) * (size_t)nf);
	pr_pass(thrown);
	if (k->st != ST_OK)
		return k->st;
	x->doc_dated = doc != none;
	x->doc_date = doc;
	changed(x);
	if (x->recycling)
		ctx_reuse_region(c); /* only now: a load that fails puts the earlier facts back */
	return ST_OK;
}

static int load_facts(edict_ctx *x, json_object *obj)
{
	LoadFacts k = {x, obj, NULL, 0, NULL, NULL, ST_OK};
	if (load_into(x, &k) != ST_OK)
		return fail(x, EDICT_EFACTS, (Loc){"facts", 0, 0, 0, 0}, NULL, "%s", k.err ? k.err : "the facts could not be read");
	return ok(x);
}

/* The fast door (facts_load_text): EDICT_OK, or EDICT_EFACTS when it
 * declines the document, with the context as it was, its last error too. */
static int load_fast(edict_ctx *x, const char *text, size_t len, FactsSpan *id)
{
	LoadFacts k = {x, NULL, text, len, id, NULL, ST_OK};
	return load_into(x, &k) == ST_OK ? ok(x) : EDICT_EFACTS;
}

typedef struct Text {
	const char *s;
	size_t len;
} Text;

static int set_facts_text(edict_ctx *x, void *arg)
{
	Text *t = arg;
	if (!t->s)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the facts text is NULL");
	const char *json = t->s;
	size_t len = t->len == EDICT_NUL_TERMINATED ? strlen(json) : t->len;
	FactsSpan id;
	if (load_fast(x, json, len, &id) == EDICT_OK)
		return EDICT_OK;
	FactsError e;
	int st = facts_read(json, len, &x->pending, &e);
	if (st == ST_MEMORY)
		st = oom(x);
	else if (st != ST_OK)
		st = fail(x, EDICT_EFACTS, (Loc){"facts", e.line, e.col, e.line, e.col}, NULL, "facts:%s%s",
			  e.line ? xprintf("%d:%d: ", e.line, e.col) : " ", e.what);
	else
		st = load_facts(x, x->pending);
	json_object_put(x->pending);
	x->pending = NULL;
	return st;
}

int edict_ctx_set_facts_json(edict_ctx *x, const char *json, size_t len)
{
	Text t = {json, len};
	return on_ctx(x, set_facts_text, &t);
}

int api_recycle_facts(edict_ctx *x)
{
	enter();
	if (!ctx_ok(x))
		return EDICT_EUSAGE;
	x->recycling = true;
	return ok(x);
}

static int set_facts_object(edict_ctx *x, void *root)
{
	return load_facts(x, root); /* NULL is the document `null`: refused there */
}

int api_set_facts_object(edict_ctx *x, json_object *root)
{
	return on_ctx(x, set_facts_object, root);
}

typedef struct FastText {
	const char *s;
	size_t len;
	FactsSpan *id;
} FastText;

static int set_facts_fast(edict_ctx *x, void *arg)
{
	FastText *t = arg;
	return load_fast(x, t->s, t->len, t->id);
}

int api_set_facts_text(edict_ctx *x, const char *text, size_t len, FactsSpan *id)
{
	FastText t = {text, len, id};
	return on_ctx(x, set_facts_fast, &t);
}

/* ------------------------------------------ facts, piece by piece */

typedef enum DocEvent { DE_OBJECT, DE_ARRAY, DE_END, DE_KEY, DE_STRING, DE_NUMBER, DE_BOOL, DE_NULL } DocEvent;

typedef struct DocArg {
	DocEvent ev;
	const char *s;
	size_t n;
	int b;
	FactsDoc *d;
	bool ok;
} DocArg;

/* One event applied to the document (factsdoc.h does the work). */
static void doc_apply(void *ud)
{
	DocArg *a = ud;
	FactsDoc *d = a->d;
	size_t n = a->s && a->n == EDICT_NUL_TERMINATED ? strlen(a->s) : a->n;
	if (fdoc_error(d)) {
		a->ok = false; /* the document is dead: the same error again */
		return;
	}
	switch (a->ev) {
	case DE_OBJECT: a->ok = fdoc_open(d, true); break;
	case DE_ARRAY: a->ok = fdoc_open(d, false); break;
	case DE_END: a->ok = fdoc_close(d); break;
	case DE_KEY: a->ok = fdoc_key(d, a->s, n); break;
	case DE_STRING: a->ok = fdoc_string(d, a->s, n); break;
	case DE_NUMBER: a->ok = fdoc_number(d, a->s, n); break;
	case DE_BOOL: a->ok = fdoc_bool(d, a->b != 0); break;
	case DE_NULL: a->ok = fdoc_null(d); break;
	}
}

/* One event of a document being built; running out of memory drops the
 * document (its malloc'd parts freed). */
static int doc_event_body(edict_ctx *x, void *arg)
{
	DocArg *a = arg;
	if (!x->doc)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "no facts document is being built; call edict_facts_begin first");
	a->d = x->doc;
	int thrown = pr_call(doc_apply, a);
	if (thrown != ST_OK) {
		fdoc_discard(a->d);
		x->doc = NULL;
		pr_pass(thrown);
	}
	return a->ok ? ok(x) : fail(x, EDICT_EFACTS, (Loc){"facts", 0, 0, 0, 0}, NULL, "%s", fdoc_error(a->d));
}

static int doc_event(edict_ctx *x, DocEvent ev, const char *s, size_t n, int b)
{
	DocArg a = {ev, s, n, b, NULL, false};
	return on_ctx(x, doc_event_body, &a);
}

static int facts_begin_body(edict_ctx *x, void *arg)
{
	(void)arg;
	if (x->doc)
		fdoc_discard(x->doc);
	else
		x->doc = fdoc_new();
	return ok(x);
}

int edict_facts_begin(edict_ctx *x)
{
	return on_ctx(x, facts_begin_body, NULL);
}

int edict_facts_object(edict_ctx *x)
{
	return doc_event(x, DE_OBJECT, NULL, 0, 0);
}

int edict_facts_array(edict_ctx *x)
{
	return doc_event(x, DE_ARRAY, NULL, 0, 0);
}

int edict_facts_end(edict_ctx *x)
{
	return doc_event(x, DE_END, NULL, 0, 0);
}

int edict_facts_key(edict_ctx *x, const char *key, size_t len)
{
	return doc_event(x, DE_KEY, key, len, 0);
}

int edict_facts_string(edict_ctx *x, const char *text, size_t len)
{
	return doc_event(x, DE_STRING, text, len, 0);
}

int edict_facts_number(edict_ctx *x, const char *json_number, size_t len)
{
	return doc_event(x, DE_NUMBER, json_number, len, 0);
}

int edict_facts_bool(edict_ctx *x, int value)
{
	return doc_event(x, DE_BOOL, NULL, 0, value);
}

int edict_facts_null(edict_ctx *x)
{
	return doc_event(x, DE_NULL, NULL, 0, 0);
}

static int facts_commit_body(edict_ctx *x, void *arg)
{
	(void)arg;
	if (!x->doc)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "no facts document is being built; call edict_facts_begin first");
	int st;
	x->pending = fdoc_take(x->doc);
	if (!x->pending) {
		st = fail(x, EDICT_EFACTS, (Loc){"facts", 0, 0, 0, 0}, NULL, "%s", fdoc_error(x->doc));
	} else {
		st = load_facts(x, x->pending);
		json_object_put(x->pending);
		x->pending = NULL;
	}
	fdoc_discard(x->doc);
	return st;
}

int edict_facts_commit(edict_ctx *x)
{
	return on_ctx(x, facts_commit_body, NULL);
}

/* A fact path resolved against the schema: root, field slots, and the
 * type at each level (types[0] is the root's, types[n] the target's). */
typedef struct FactPath {
	int root;
	int n;
	int slots[PATH_MAX_DEPTH];
	const Type *types[PATH_MAX_DEPTH + 1];
	const char *text;
	size_t len; /* of text */
} FactPath;

static int resolve_path(edict_ctx *x, const char *path, FactPath *fp);

/* A fact path resolved, from the context's recent ones when it is there:
 * *out points into them, good until the next call. */
static int resolve(edict_ctx *x, const char *path, const FactPath **out)
{
	if (!x->paths)
		x->paths = GC_MALLOC(sizeof(FactPath) * CTX_PATHS);
	size_t n = path ? strnlen(path, PATH_MAX_LEN) : 0;
	for (int i = 0; path && i < CTX_PATHS; i++) {
		const FactPath *k = &x->paths[i];
		if (k->text && k->len == n && memcmp(k->text, path, n) == 0) {
			*out = k;
			return EDICT_OK;
		}
	}
	/* made aside and then stored: a path that fails, or memory running out
	 * on the way, leaves no half-made entry behind */
	FactPath made;
	int st = resolve_path(x, path, &made);
	if (st != EDICT_OK)
		return st;
	made.len = n;
	FactPath *fp = &x->paths[x->next_path++ % CTX_PATHS];
	*fp = made;
	*out = fp;
	return EDICT_OK;
}

static int resolve_path(edict_ctx *x, const char *path, FactPath *fp)
{
	const Program *p = x->c->p;
	if (!path)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the fact path is NULL");
	size_t plen = strnlen(path, PATH_MAX_LEN);
	if (plen == 0 || plen >= PATH_MAX_LEN)
		return fail(x, EDICT_EFACTS, noloc, NULL, "a fact path looks like company.us_export_share, not \"%.40s\"", path);
	fp->text = copy_text(path, plen);
	fp->n = 0;
	const char *seg = fp->text;
	const char *dot = strchr(seg, '.');
	const char *name = dot ? copy_text(seg, (size_t)(dot - seg)) : seg;
	fp->root = -1;
	for (int i = 0; i < p->nfacts; i++)
		if (strcmp(p->facts[i]->name, name) == 0)
			fp->root = i;
	if (fp->root < 0) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(p->nfacts + 1));
		for (int i = 0; i < p->nfacts; i++)
			cands[i] = p->facts[i]->name;
		const char *best = diag_closest(name, cands, p->nfacts);
		return fail(x, EDICT_EFACTS, noloc, best ? xprintf("did you mean '%s'?", best) : NULL,
			    "there is no fact named '%s' in these rules%s", name,
			    best ? xprintf("; did you mean '%s'?", best) : "");
	}
	fp->types[0] = p->facts[fp->root]->type;
	while (dot) {
		seg = dot + 1;
		dot = strchr(seg, '.');
		name = dot ? copy_text(seg, (size_t)(dot - seg)) : seg;
		const Type *t = fp->types[fp->n];
		const char *sofar = copy_text(fp->text, (size_t)(seg - 1 - fp->text));
		if (t->kind != TY_REC)
			return fail(x, EDICT_EFACTS, noloc, NULL, "'%s' is %s and has no field '%s'", sofar, ty_name(t), name);
		if (fp->n == PATH_MAX_DEPTH)
			return fail(x, EDICT_EFACTS, noloc, NULL, "the fact path %s is too deep", fp->text);
		int slot = -1;
		const TypeDef *td = t->def;
		for (int i = 0; i < td->nfields; i++)
			if (strcmp(td->fields[i].name, name) == 0)
				slot = i;
		if (slot < 0) {
			const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(td->nfields + 1));
			for (int i = 0; i < td->nfields; i++)
				cands[i] = td->fields[i].name;
			const char *best = diag_closest(name, cands, td->nfields);
			return fail(x, EDICT_EFACTS, noloc, best ? xprintf("did you mean '%s.%s'?", sofar, best) : NULL,
				    "there is no fact '%s.%s'%s", sofar, name,
				    best ? xprintf("; did you mean '%s.%s'?", sofar, best) : "");
		}
		fp->slots[fp->n] = slot;
		fp->types[fp->n + 1] = td->fields[slot].type;
		fp->n++;
	}
	return EDICT_OK;
}

/* Set the value at a resolved path, copying records on the way down (a
 * record may be shared with the value of an earlier evaluation) and making
 * an absent record, with its fields absent, where the path needs one. */
static bool owned(const edict_ctx *x, const void *r)
{
	for (int i = 0; i < x->nown; i++)
		if (x->own[i] == r)
			return true;
	return false;
}

/* The record at level i of fp (*at) made the setters' own: a copy of it,
 * or a new one with its fields absent, unless it is theirs already. */
static void own_record(edict_ctx *x, const FactPath *fp, int i, Value *at)
{
	if (at->tag == V_REC && owned(x, at->as.r))
		return;
	const Program *p = x->c->p;
	Value copy;
	if (at->tag == V_REC) {
		copy = val_rec(at->aux, at->as.r->n);
		memcpy(copy.as.r->f, at->as.r->f, sizeof(Value) * at->as.r->n);
	} else {
		/* the path so far: the root and i fields, up to the path's i+1th dot */
		const char *end = fp->text;
		for (int k = 0; k <= i; k++)
			end = strchr(end, '.') + 1;
		copy = facts_absent(p, fp->types[i], NULL, copy_text(fp->text, (size_t)(end - 1 - fp->text)));
		if (copy.tag != V_REC) /* a record type always gives a record */
			copy = val_rec(fp->types[i]->def->id, (uint32_t)fp->types[i]->def->nfields);
	}
	*at = copy;
	if (x->nown < CTX_OWN)
		x->own[x->nown++] = copy.as.r;
}

static void put(edict_ctx *x, const FactPath *fp, Value v)
{
	Value *at = &x->c->facts[fp->root];
	for (int i = 0; i < fp->n; i++) {
		own_record(x, fp, i, at);
		at = &at->as.r->f[fp->slots[i]];
	}
	*at = v;
	touched(x);
}

static int wrong_type(edict_ctx *x, const FactPath *fp, const char *what)
{
	return fail(x, EDICT_EFACTS, noloc, NULL, "%s is %s, so it cannot be set to %s", fp->text, ty_name(fp->types[fp->n]),
		    what);
}

typedef struct ValueText {
	Program *p;
	const Type *t;
	Source *src;
	Diags *d;
	Chunk *ch;
} ValueText;

static void compile_value_body(void *ud)
{
	ValueText *k = ud;
	Node *e = parse_expr(k->src, k->d);
	if (e && k->d->nerrors == 0) {
		int nl = 0;
		Own *own = prog_own(k->p, k->src);
		chk_query(k->p, own, e, k->t, k->d, &nl);
		if (k->d->nerrors == 0)
			k->ch = cg_expr(k->p, own, e, nl, false, "value");
	}
}

static void prepare(edict_ctx *x, bool trace);

/* Edict text (more than one literal) as a value of type t: compiled
 * against the rules (under the write lock, as for queries) and evaluated
 * in the context.  ST_OK with *out, else the error set, `what` in front. */
static int value_of_text(edict_ctx *x, const Type *t, const char *text, const char *what, Value *out)
{
	edict_rules *r = x->rules;
	Source *src = GC_MALLOC(sizeof *src);
	src->path = "value";
	src->text = copy_text(text, strlen(text));
	src->len = strlen(text);
	Diags *vd = diag_new();
	ValueText k = {r->p, t, src, vd, NULL};
	locked(&r->lock, true, compile_value_body, &k);
	if (!k.ch) {
		const Diag *dg = vd->n ? &vd->items[0] : NULL;
		return fail(x, EDICT_EFACTS, dg ? dg->loc : noloc, dg ? dg->hint : NULL, "%s: %s", what,
			    dg ? dg->msg : "the value could not be read");
	}
	prepare(x, false);
	Ctx *c = x->c;
	int st = vm_eval_chunk(c, k.ch, out);
	if (st != ST_OK)
		return fail(x, st, c->errloc, NULL, "%s: the value could not be computed: %s", what, c->errmsg);
	return EDICT_OK;
}

static int set_edict_value(edict_ctx *x, const FactPath *fp, const char *text)
{
	Value v;
	int st = value_of_text(x, fp->types[fp->n], text, fp->text, &v);
	if (st != EDICT_OK)
		return st;
	put(x, fp, v);
	return ok(x);
}

/* One literal of the target's type, written the Edict way. */
static bool edict_literal(const Type *t, const char *s, Value *out)
{
	size_t n = strlen(s);
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	switch (t->kind) {
	case TY_BOOL:
		if (n == 4 && memcmp(s, "true", 4) == 0)
			return *out = val_bool(true), true;
		if (n == 5 && memcmp(s, "false", 5) == 0)
			return *out = val_bool(false), true;
		return false;
	case TY_INT: {
		Dec d;
		int64_t i;
		if (dec_parse(s, n, &d) != DEC_OK || !dec_to_int(d, &i))
			return false;
		*out = val_int(i);
		return true;
	}
	case TY_ENUM:
		for (int i = 0; i < t->def->nmembers; i++)
			if (strlen(t->def->members[i]) == n && memcmp(t->def->members[i], s, n) == 0 &&
			    !(t->def->member_types && t->def->member_types[i])) {
				*out = val_enum(t->def->id, i);
				return true;
			}
		return false;
	case TY_HS:
		if (n > 3 && memcmp(s, "hs ", 3) == 0) {
			s += 3, n -= 3;
			while (n && is_blank(*s))
				s++, n--;
		}
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
			s++, n -= 2;
		return facts_scalar(t, s, n, out) == 0;
	case TY_DEC:
	case TY_MONEY:
	case TY_PCT:
	case TY_DATE:
	case TY_DUR:
		return facts_scalar(t, s, n, out) == 0;
	default:
		return false;
	}
}

static int set_fact(edict_ctx *x, const char *path, const char *value)
{
	const FactPath *fp;
	int st = resolve(x, path, &fp);
	if (st != EDICT_OK)
		return st;
	if (!value)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the value for %s is NULL", fp->text);
	const Type *t = fp->types[fp->n];
	const Program *p = x->c->p;
	Value v;
	/* JSON first: "\"12%\"", true, {"size": "sme"} */
	json_object *j;
	FactsError e;
	st = facts_read(value, strlen(value), &j, &e);
	if (st == ST_MEMORY)
		return oom(x);
	if (st != ST_OK && !e.not_json) /* JSON, but over a limit, a key twice, not UTF-8 ... */
		return fail(x, EDICT_EFACTS, noloc, NULL, "%s: %s", fp->text, e.what);
	x->pending = j;
	if (st == ST_OK) {
		const char *err = NULL;
		st = facts_convert(p, t, j, fp->text, &v, &err);
		x->pending = NULL;
		json_object_put(j);
		if (st != ST_OK)
			return fail(x, EDICT_EFACTS, noloc, NULL, "%s", err ? err : "the value does not fit");
		put(x, fp, v);
		return ok(x);
	}
	x->pending = NULL;
	if (j)
		json_object_put(j);
	/* then one Edict literal: 12%, 50_000_000 KRW, sme, 2026-12-01 */
	if (edict_literal(t, value, &v)) {
		put(x, fp, v);
		return ok(x);
	}
	/* else any Edict value: records, lists, expressions */
	st = set_edict_value(x, fp, value);
	if (st == EDICT_EFACTS && t->kind != TY_REC && t->kind != TY_LIST) {
		/* for a plain value, say what was expected, as for JSON facts */
		json_object *js = x->pending = json_object_new_string(value);
		const char *err = NULL;
		if (js && facts_convert(p, t, js, fp->text, &v, &err) != ST_OK && err)
			fail(x, EDICT_EFACTS, noloc, NULL, "%s", err);
		x->pending = NULL;
		json_object_put(js);
	}
	return st;
}

/* The arguments of the edict_ctx_set_* calls, and how the value is put
 * at the resolved path. */
typedef struct SetArg SetArg;
typedef int (*Setter)(edict_ctx *x, const FactPath *fp, const SetArg *a);
struct SetArg {
	const char *path;
	const char *text;
	int64_t i;
	Setter set;
};

static int set_body(edict_ctx *x, void *arg)
{
	SetArg *a = arg;
	const FactPath *fp;
	int st = resolve(x, a->path, &fp);
	return st != EDICT_OK ? st : a->set(x, fp, a);
}

static int set_fact_body(edict_ctx *x, void *arg)
{
	SetArg *a = arg;
	return set_fact(x, a->path, a->text);
}

int edict_ctx_set_fact(edict_ctx *x, const char *path, const char *value)
{
	SetArg a = {path, value, 0, NULL};
	return on_ctx(x, set_fact_body, &a);
}

static int set_bool(edict_ctx *x, const FactPath *fp, const SetArg *a)
{
	if (fp->types[fp->n]->kind != TY_BOOL)
		return wrong_type(x, fp, a->i ? "true" : "false");
	put(x, fp, val_bool(a->i != 0));
	return ok(x);
}

int edict_ctx_set_bool(edict_ctx *x, const char *path, int value)
{
	SetArg a = {path, NULL, value, set_bool};
	return on_ctx(x, set_body, &a);
}

static int set_int(edict_ctx *x, const FactPath *fp, const SetArg *a)
{
	const Type *ty = fp->types[fp->n];
	if (ty->kind == TY_INT)
		put(x, fp, val_int(a->i));
	else if (ty->kind == TY_DEC)
		put(x, fp, val_dec(V_DEC, dec_from_int(a->i), 0));
	else
		return wrong_type(x, fp, xprintf("the number %lld", (long long)a->i));
	return ok(x);
}

int edict_ctx_set_int(edict_ctx *x, const char *path, int64_t value)
{
	SetArg a = {path, NULL, value, set_int};
	return on_ctx(x, set_body, &a);
}

static int set_text(edict_ctx *x, const FactPath *fp, const SetArg *a)
{
	if (!a->text)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the text for %s is NULL", fp->text);
	const Type *ty = fp->types[fp->n];
	Value v;
	if (ty->kind == TY_STR)
		put(x, fp, val_str(a->text, strlen(a->text)));
	else if (ty->kind != TY_REC && ty->kind != TY_LIST && edict_literal(ty, a->text, &v))
		put(x, fp, v);
	else
		return wrong_type(x, fp, xprintf("\"%.60s\"", a->text));
	return ok(x);
}

int edict_ctx_set_text(edict_ctx *x, const char *path, const char *text)
{
	SetArg a = {path, text, 0, set_text};
	return on_ctx(x, set_body, &a);
}

static int set_unknown(edict_ctx *x, const FactPath *fp, const SetArg *a)
{
	Value v;
	const char *err = NULL;
	/* exactly what JSON null does */
	if (facts_convert(x->c->p, fp->types[fp->n], NULL, fp->text, &v, &err) != ST_OK)
		return fail(x, EDICT_EFACTS, noloc, NULL, "%s", err ? err : "cannot mark it missing");
	put(x, fp, v);
	return ok(x);
}

int edict_ctx_set_unknown(edict_ctx *x, const char *path)
{
	SetArg a = {path, NULL, 0, set_unknown};
	return on_ctx(x, set_body, &a);
}

/* ------------------------------------------------------------ queries */

static bool plain_name(const char *s)
{
	while (is_blank(*s))
		s++;
	bool start = true;
	for (; *s && !is_blank(*s); s++) {
		char ch = *s;
		bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
		bool digit = ch >= '0' && ch <= '9';
		if (ch == '.') {
			if (start)
				return false;
			start = true;
			continue;
		}
		if (start ? !alpha : !(alpha || digit))
			return false;
		start = false;
	}
	while (is_blank(*s))
		s++;
	return !*s && !start;
}

static void cache_add(edict_rules *r, const Query *q)
{
	if (r->cache.n < RULES_CACHE_MAX)
		strmap_put(&r->cache, q->text, (void *)q);
}

typedef struct PathsForArg {
	PathsArg paths;
	const char *const *queries;
	int nqueries;
} PathsForArg;

static Program *load_paths_for_fn(void *arg, Diags *d)
{
	PathsForArg *a = arg;
	return load_paths_for(a->paths.paths, a->paths.n, a->queries, a->nqueries, d);
}

typedef struct CacheQueries {
	edict_rules *r;
	const char *const *queries;
	int nqueries;
	bool ok;
} CacheQueries;

/* Compile the queries into a new rule set's cache (where edict_eval and
 * api_query look them up): false when one does not compile. */
static bool cache_queries(edict_rules *r, const char *const *queries, int nqueries)
{
	for (int i = 0; i < nqueries; i++) {
		const char *copy = copy_text(queries[i], strlen(queries[i]));
		if (strmap_get(&r->cache, copy))
			continue;
		Diags *qd = diag_new();
		const Query *q = query_compile(r->p, copy, "query", qd);
		if (!q || qd->nerrors)
			return false;
		cache_add(r, q);
	}
	return true;
}

static void cache_queries_body(void *ud)
{
	CacheQueries *k = ud;
	k->ok = cache_queries(k->r, k->queries, k->nqueries);
}

int api_load_paths_for(const char *const *paths, int npaths, const char *const *queries, int nqueries,
		       edict_rules **out)
{
	*out = NULL;
	PathsForArg a = {{paths, npaths}, queries, nqueries};
	edict_rules *r;
	int st = load_with(load_paths_for_fn, &a, &r);
	if (st == EDICT_OK) {
		/* the rule set is not shared yet: no lock */
		CacheQueries k = {r, queries, nqueries, false};
		if (pr_call(cache_queries_body, &k) != ST_OK)
			st = EDICT_ENOMEM;
		else if (!k.ok)
			st = EDICT_ESYNTAX;
	}
	if (st == EDICT_OK) {
		*out = r;
		return EDICT_OK;
	}
	edict_rules_free(r);
	return st == EDICT_ENOMEM ? st : EDICT_ESYNTAX;
}

typedef struct Compile {
	edict_rules *r;
	const char *copy;
	uint32_t h;
	Diags *d;
	const Query *q;
} Compile;

static void compile_body(void *ud)
{
	Compile *k = ud;
	k->q = strmap_get_hashed(&k->r->cache, k->copy, k->h);
	if (!k->q) {
		k->q = query_compile(k->r->p, k->copy, "query", k->d);
		if (k->q)
			cache_add(k->r, k->q);
	}
}

/* Compile a query under the write lock, unless another thread just did. */
static const Query *compile_locked(edict_ctx *x, const char *copy, uint32_t h, Diags *qd)
{
	Compile k = {x->rules, copy, h, qd, NULL};
	locked(&x->rules->lock, true, compile_body, &k);
	x->status = EDICT_OK;
	return k.q;
}

typedef struct NativeRun {
	edict_rules *r;
	const char *const *queries;
	size_t nqueries;
	const Chunk **roots;
	int nroots;
	int n;
} NativeRun;

/* Compile the queries into the rule set's cache (for the contexts to
 * find), under the write lock: the roots of the machine code. */
static void native_roots_body(void *ud)
{
	NativeRun *k = ud;
	for (size_t i = 0; k->queries && i < k->nqueries && i < INT_MAX; i++) {
		if (!k->queries[i] || strnlen(k->queries[i], QUERY_MAX_LEN + 1) > QUERY_MAX_LEN)
			continue; /* the evaluation says what is wrong with it */
		Compile c = {k->r, copy_text(k->queries[i], strlen(k->queries[i])), strmap_hash(k->queries[i]),
		             diag_new(), NULL};
		compile_body(&c);
		if (c.q)
			AST_PUSH(k->roots, k->nroots, c.q->plain);
	}
}

/* The chunks the roots reach, to machine code: outside the rule set's
 * lock, so that other threads evaluate meanwhile (the compile reads only
 * what the load made, and publishes the code whole: native.h). */
static void native_body(void *ud)
{
	NativeRun *k = ud;
	k->n = native_compile(k->r->p, k->queries ? k->roots : NULL, k->nroots, NULL);
}

size_t edict_rules_native(edict_rules *rules, const char *const *queries, size_t nqueries)
{
	enter();
	if (!rules_ok(rules) || !rules->p)
		return 0;
	NativeRun k = {rules, queries, nqueries, NULL, 0, 0};
	locked(&rules->lock, true, native_roots_body, &k);
	pr_pass(pr_call(native_body, &k));
	return (size_t)k.n;
}

/* The compiled query for text: from this context's recent queries, the
 * rule set's cache, or compiled now.  NULL with the error set. */
static const Query *get_query(edict_ctx *x, const char *text)
{
	if (!text) {
		fail(x, EDICT_EUSAGE, noloc, NULL, "the query is NULL; give a decision name like voucher.award");
		return NULL;
	}
	size_t n = strnlen(text, QUERY_MAX_LEN + 1);
	if (n > QUERY_MAX_LEN) {
		fail(x, EDICT_EUSAGE, noloc, NULL, "the query is longer than %u bytes", QUERY_MAX_LEN);
		return NULL;
	}
	uint32_t h = strmap_hash(text);
	QSlot *mine = &x->recent[h & (CTX_CACHE - 1)];
	if (mine->q && mine->hash == h && strcmp(mine->text, text) == 0)
		return mine->q;
	edict_rules *r = x->rules;
	pthread_rwlock_rdlock(&r->lock);
	const Query *q = strmap_get_hashed(&r->cache, text, h);
	pthread_rwlock_unlock(&r->lock);
	if (!q) {
		const char *copy = copy_text(text, n);
		Diags *qd = diag_new();
		q = compile_locked(x, copy, h, qd);
		if (!q) {
			/* which kind of mistake: parse it again on its own to tell */
			Source *src = GC_MALLOC(sizeof *src);
			src->path = "query";
			src->text = copy;
			src->len = n;
			int st = !parse_expr(src, diag_new()) ? EDICT_ESYNTAX : plain_name(copy) ? EDICT_EUSAGE : EDICT_ETYPE;
			const Diag *dg = qd->n ? &qd->items[0] : NULL;
			if (!dg) {
				fail(x, st, noloc, NULL, "the query '%s' could not be compiled", copy);
				return NULL;
			}
			char *msg = diag_render(qd, dg, false);
			size_t ml = strlen(msg);
			while (ml && msg[ml - 1] == '\n')
				msg[--ml] = 0;
			fail(x, st, dg->loc, dg->hint, "%s", msg);
			return NULL;
		}
	}
	*mine = (QSlot){h, q->text, q};
	return q;
}

/* Make the context ready to evaluate: the date, a fresh memo when the facts
 * changed (or for tracing, so every decision records its trace), limits. */
static void prepare(edict_ctx *x, bool trace)
{
	Ctx *c = x->c;
	date_t d = effective_date(x);
	if (d != c->as_of) {
		c->as_of = d;
		x->fresh = true;
	}
	c->trace = trace;
	if (x->fresh || trace) {
		vm_reset(c);
		x->fresh = false;
	}
	x->nown = 0; /* evaluation may keep the facts' records */
	c->nev = 0;
	c->steps = 0;
	c->bytes = 0;
	c->depth = 0;
	c->max_steps = x->max_steps;
	c->max_bytes = x->max_bytes;
}

typedef struct Render {
	const Diags *d;
	const Diag *dg;
	char *msg;
} Render;

static void render_body(void *ud)
{
	Render *k = ud;
	k->msg = k->dg->loc.file ? diag_render(k->d, k->dg, false) : xprintf("error: %s", k->dg->msg);
}

/* A runtime error's message, quoting the line of the rules or of the
 * query (sources: the query's own, which go on to the program's). */
static int runtime_error(edict_ctx *x, int st, const Diags *sources)
{
	Ctx *c = x->c;
	if (st == ST_MEMORY)
		return oom(x);
	Diag dg = {SEV_ERROR, c->errloc, c->errmsg ? c->errmsg : "the evaluation failed", NULL};
	Render k = {sources, &dg, NULL};
	locked(&x->rules->lock, false, render_body, &k);
	char *msg = k.msg;
	size_t ml = strlen(msg);
	while (ml && msg[ml - 1] == '\n')
		msg[--ml] = 0;
	return fail(x, st, c->errloc, NULL, "%s", msg);
}

/* The facts against the rules' requirements, once for each change of the
 * facts or the date: EDICT_EFACTS, citing the requirement, when one is broken. */
static int requirements(edict_ctx *x)
{
	if (x->required || !x->c->p->nrequires)
		return EDICT_OK;
	prepare(x, false);
	const char *msg = NULL, *cite = NULL;
	Loc where = noloc;
	int st = query_requires(x->c, &msg, &where, &cite);
	x->stop = 0;
	if (st == ST_FACTS)
		return fail(x, EDICT_EFACTS, where, cite, "%s", msg);
	if (st != ST_OK)
		return runtime_error(x, st, x->rules->p->diags);
	x->required = true;
	return EDICT_OK;
}

static int requirements_body(edict_ctx *x, void *arg)
{
	(void)arg;
	int st = requirements(x);
	return st == EDICT_OK ? ok(x) : st;
}

int api_check_requirements(edict_ctx *x)
{
	return on_ctx(x, requirements_body, NULL);
}

static int run_query(edict_ctx *x, const Query *q, bool trace, Value *out)
{
	if (x->stop) {
		x->stop = 0;
		return fail(x, EDICT_EINTERRUPTED, noloc, NULL, "interrupted before the evaluation started");
	}
	int rq = requirements(x);
	if (rq != EDICT_OK)
		return rq;
	prepare(x, trace);
	Ctx *c = x->c;
	c->top_frame = -1;
	int st = query_run(c, q, out);
	c->trace = false;
	x->stop = 0;
	if (st != ST_OK)
		return runtime_error(x, st, q->own->diags);
	return EDICT_OK;
}

static int run(edict_ctx *x, const char *query, bool trace, const Query **qo, Value *out)
{
	const Query *q = get_query(x, query);
	if (!q)
		return x->status;
	int st = run_query(x, q, trace, out);
	if (st == EDICT_OK)
		*qo = q;
	return st;
}

/* A handle for v.  Handles for the current facts are carved from blocks
 * of 8, 16, ... 256, kept until the facts change: one allocation for a
 * company's few results instead of one each.  A block serves one set of
 * facts only, so a handle kept past its facts still reads as stale. */
static edict_value *new_value(edict_ctx *x, Value v)
{
	if (!x->nspare) {
		unsigned n = !x->block ? 8 : x->block < 256 ? 2 * x->block : 256;
		x->spare = GC_MALLOC(sizeof(edict_value) * n);
		keep(x, x->spare);
		x->block = x->nspare = n;
	}
	edict_value *ev = x->spare++;
	x->nspare--;
	ev->magic = VALUE_MAGIC;
	ev->gen = x->gen;
	ev->ctx = x;
	ev->v = v;
	return ev;
}

static int prepare_body(edict_ctx *x, void *query)
{
	return get_query(x, query) ? ok(x) : x->status;
}

int edict_prepare(edict_ctx *x, const char *query)
{
	return on_ctx(x, prepare_body, (void *)query);
}

/* The arguments of an evaluation: the query, where its result goes. */
typedef struct EvalArg {
	const char *query;
	void *out;
	int kind; /* eval_text: a TextKind */
} EvalArg;

static int eval_body(edict_ctx *x, void *arg)
{
	EvalArg *a = arg;
	if (!a->out)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the place for the result (out) is NULL");
	const Query *q;
	Value v;
	int st = run(x, a->query, false, &q, &v);
	if (st != EDICT_OK)
		return st;
	*(edict_value **)a->out = new_value(x, v);
	return ok(x);
}

int edict_eval(edict_ctx *x, const char *query, edict_value **out)
{
	EvalArg a = {query, out, 0};
	return on_ctx(x, eval_body, &a);
}

static int query_body(edict_ctx *x, void *arg)
{
	EvalArg *a = arg;
	const Query *q = get_query(x, a->query);
	*(const Query **)a->out = q;
	return q ? ok(x) : x->status;
}

const Query *api_query(edict_ctx *x, const char *text)
{
	const Query *q = NULL;
	EvalArg a = {text, &q, 0};
	return on_ctx(x, query_body, &a) == EDICT_OK ? q : NULL;
}

/* api_eval_queries' queries, the one at `at` under way. */
typedef struct Queries {
	const Query *const *qs;
	int n, at, nerr;
	Value *vals;
	const char **errs;
} Queries;

/* The query under way failed: its message. */
static void query_failed(edict_ctx *x, Queries *m)
{
	m->errs[m->at] = x->errmsg ? x->errmsg : "";
	m->nerr++;
}

static int queries_body(edict_ctx *x, void *arg)
{
	Queries *m = arg;
	for (; m->at < m->n; m->at++) {
		const Query *q = m->qs[m->at];
		m->errs[m->at] = NULL;
		int st = q ? run_query(x, q, false, &m->vals[m->at])
			   : fail(x, EDICT_EUSAGE, noloc, NULL, "the query is NULL; give a decision name like voucher.award");
		if (st != EDICT_OK)
			query_failed(x, m);
	}
	return EDICT_OK;
}

int api_eval_queries(edict_ctx *x, const Query *const *qs, int n, Value *vals, const char **errs)
{
	enter();
	if (!ctx_ok(x) || n < 0 || (n && (!qs || !vals || !errs)))
		return -1;
	/* one protected call for all of them; running out of memory fails the
	 * query it happened in, and the rest are tried as edict_eval would */
	Queries m = {qs, n, 0, 0, vals, errs};
	while (m.at < n)
		if (guarded(x, queries_body, &m) != EDICT_OK) {
			query_failed(x, &m);
			m.at++;
		}
	if (!m.nerr)
		ok(x);
	return m.nerr;
}

date_t api_as_of(const edict_ctx *x)
{
	return effective_date(x);
}

/* The shared shape of the functions that give text about a query. */
typedef enum TextKind { TK_JSON, TK_MISSING, TK_EXPLAIN_JSON, TK_EXPLAIN_TEXT } TextKind;

typedef struct Explain {
	Ctx *c;
	int frame;
	const char *query;
	Value v;
	Buf *b;
	bool json;
} Explain;

static void explain_body(void *ud)
{
	Explain *k = ud;
	if (k->json)
		explain_json(k->c, k->frame, k->query, k->v, k->b);
	else
		explain_text(k->c, k->frame, k->query, k->v, k->b, NULL);
}

static int eval_text_body(edict_ctx *x, void *arg)
{
	EvalArg *a = arg;
	if (!a->out)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the place for the text (out) is NULL");
	const Query *q = NULL;
	Value v;
	bool trace = a->kind == TK_EXPLAIN_JSON || a->kind == TK_EXPLAIN_TEXT;
	int st = run(x, a->query, trace, &q, &v);
	if (st != EDICT_OK)
		return st;
	Buf b = {0};
	const Program *p = x->c->p;
	if (a->kind == TK_JSON) {
		fmt_json(p, v, &b);
	} else if (a->kind == TK_MISSING) {
		explain_missing_json(v, &b);
	} else {
		Explain k = {x->c, q->decl >= 0 ? q->decl : x->c->top_frame, q->text, v, &b, a->kind == TK_EXPLAIN_JSON};
		locked(&x->rules->lock, false, explain_body, &k);
		x->c->nev = 0; /* the trace is in the text now */
	}
	const char *s = buf_cstr(&b);
	keep(x, (void *)s);
	*(const char **)a->out = s;
	return ok(x);
}

static int eval_text(edict_ctx *x, const char *query, const char **out, TextKind kind)
{
	EvalArg a = {query, out, kind};
	return on_ctx(x, eval_text_body, &a);
}

int edict_eval_json(edict_ctx *x, const char *query, const char **json)
{
	return eval_text(x, query, json, TK_JSON);
}

/* The arguments of an evaluation of several queries: their results as
 * handles (results) or as one JSON array (json); at, the query under way. */
typedef struct ManyArg {
	const char *const *queries;
	size_t n, at;
	edict_value **results;
	const char **json;
} ManyArg;

/* The queries in turn, each as edict_eval runs it; the first that fails
 * stops the rest.  Their results as handles, or written to b as one JSON
 * array. */
static int eval_queries(edict_ctx *x, ManyArg *a, Buf *b)
{
	if (b)
		buf_add(b, "[", 1);
	for (a->at = 0; a->at < a->n; a->at++) {
		const Query *q;
		Value v;
		int st = run(x, a->queries[a->at], false, &q, &v);
		if (st != EDICT_OK)
			return st;
		if (!b) {
			a->results[a->at] = new_value(x, v);
			continue;
		}
		if (a->at)
			buf_add(b, ",", 1);
		fmt_json(x->c->p, v, b);
	}
	if (b)
		buf_add(b, "]", 1);
	return EDICT_OK;
}

static int check_many(edict_ctx *x, const ManyArg *a)
{
	if (a->n && !a->queries)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the queries are NULL");
	if (!a->results && !a->json)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the place for the results is NULL");
	return EDICT_OK;
}

/* Text out, kept until the facts change. */
static void hand_out(edict_ctx *x, Buf *b, const char **out)
{
	const char *s = buf_cstr(b);
	keep(x, (void *)s);
	*out = s;
}

/* The queries in one protected call. */
static int many_body(edict_ctx *x, void *arg)
{
	ManyArg *a = arg;
	Buf b = {0};
	int st = check_many(x, a);
	if (st == EDICT_OK)
		st = eval_queries(x, a, a->json ? &b : NULL);
	if (st != EDICT_OK)
		return st;
	if (a->json)
		hand_out(x, &b, a->json);
	return ok(x);
}

/* *failed: the query under way when it failed; n where the call failed
 * before the first (a NULL argument) */
static int eval_many(edict_ctx *x, ManyArg *a, size_t *failed)
{
	a->at = a->n;
	int st = on_ctx(x, many_body, a);
	if (failed)
		*failed = st == EDICT_OK ? a->n : a->at;
	return st;
}

int edict_eval_many(edict_ctx *x, const char *const *queries, size_t n, edict_value **results, size_t *failed)
{
	ManyArg a = {queries, n, 0, results, NULL};
	return eval_many(x, &a, failed);
}

int edict_eval_many_json(edict_ctx *x, const char *const *queries, size_t n, const char **json, size_t *failed)
{
	ManyArg a = {queries, n, 0, NULL, json};
	return eval_many(x, &a, failed);
}

/* The arguments of an evaluation of several documents: the same queries
 * (many) for each; at, the document under way. */
typedef struct BatchArg {
	const char *const *docs;
	const size_t *lens;
	size_t n, at;
	ManyArg many;
} BatchArg;

/* Each document's facts set and its queries evaluated, as
 * edict_ctx_set_facts_json and edict_eval_many_json do them, into one JSON
 * array; the first document that fails stops the rest. */
static int batch_body(edict_ctx *x, void *arg)
{
	BatchArg *a = arg;
	int st = check_many(x, &a->many);
	if (st != EDICT_OK)
		return st;
	if (a->n && !a->docs)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the documents are NULL");
	Buf b = {0};
	buf_add(&b, "[", 1);
	for (a->at = 0; a->at < a->n; a->at++) {
		Text t = {a->docs[a->at], a->lens ? a->lens[a->at] : EDICT_NUL_TERMINATED};
		if (a->at)
			buf_add(&b, ",", 1);
		if ((st = set_facts_text(x, &t)) != EDICT_OK || (st = eval_queries(x, &a->many, &b)) != EDICT_OK)
			return st;
	}
	buf_add(&b, "]", 1);
	hand_out(x, &b, a->many.json);
	return ok(x);
}

int edict_eval_batch_json(edict_ctx *x, const char *const *docs, const size_t *lens, size_t ndocs,
			  const char *const *queries, size_t n, const char **json, size_t *failed)
{
	BatchArg a = {docs, lens, ndocs, ndocs, {queries, n, 0, NULL, json}};
	int st = on_ctx(x, batch_body, &a);
	if (failed)
		*failed = st == EDICT_OK ? ndocs : a.at;
	return st;
}

int edict_missing_json(edict_ctx *x, const char *query, const char **json)
{
	return eval_text(x, query, json, TK_MISSING);
}

int edict_explain_json(edict_ctx *x, const char *query, const char **json)
{
	return eval_text(x, query, json, TK_EXPLAIN_JSON);
}

int edict_explain_text(edict_ctx *x, const char *query, const char **text)
{
	return eval_text(x, query, text, TK_EXPLAIN_TEXT);
}

/* ------------------------------------------------------------- what if */

/* A decision or parameter of the rules by name, or NULL with the error set. */
static const Decl *decision_named(edict_ctx *x, const char *name)
{
	const Program *p = x->c->p;
	Decl *d = name ? prog_find_decl(p, name) : NULL;
	if (d && d->kind != D_FUNCTION)
		return d;
	const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(p->ndecls + 1));
	for (int i = 0; i < p->ndecls; i++)
		cands[i] = p->decls[i]->name;
	const char *best = name ? diag_closest(name, cands, p->ndecls) : NULL;
	fail(x, EDICT_EUSAGE, noloc, NULL, "there is no decision or parameter named '%.60s'%s", name ? name : "",
	     best ? xprintf("; did you mean '%s'?", best) : "");
	return NULL;
}

typedef struct WhatIf {
	const char *name;
	const char *value;
} WhatIf;

static int override_body(edict_ctx *x, void *arg)
{
	WhatIf *a = arg;
	const Decl *d = decision_named(x, a->name);
	if (!d)
		return x->status;
	if (!a->value)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the value for %s is NULL", d->qname);
	Value v;
	int st = value_of_text(x, d->type, a->value, d->qname, &v);
	if (st != EDICT_OK)
		return st;
	vm_override(x->c, d->index, v);
	changed(x);
	return ok(x);
}

int api_override(edict_ctx *x, const char *name, const char *value)
{
	WhatIf a = {name, value};
	return on_ctx(x, override_body, &a);
}

static int clear_overrides_body(edict_ctx *x, void *arg)
{
	(void)arg;
	vm_clear_overrides(x->c);
	changed(x);
	return ok(x);
}

int api_clear_overrides(edict_ctx *x)
{
	return on_ctx(x, clear_overrides_body, NULL);
}

/* ------------------------------------------------------------- values */

/* A value handle that may be read: its context lives and its facts have
 * not changed since. */
static bool value_ok(const edict_value *v)
{
	return v && v->magic == VALUE_MAGIC && ctx_ok(v->ctx) && v->gen == v->ctx->gen;
}

const Value *api_value(const edict_value *v)
{
	return value_ok(v) ? &v->v : NULL;
}

/* A usage error about a value: on its context when it still has one. */
static int value_fail(const edict_value *v, const char *msg)
{
	if (v && v->magic == VALUE_MAGIC && ctx_ok(v->ctx))
		return fail(v->ctx, EDICT_EUSAGE, noloc, NULL, "%s", msg);
	return EDICT_EUSAGE;
}

static const char *stale(const edict_value *v)
{
	return v && v->magic == VALUE_MAGIC && ctx_ok(v->ctx) && v->gen != v->ctx->gen
		       ? "this result was computed from facts (or an as-of date) that have changed since; evaluate again"
		       : "the value is NULL or no longer valid";
}

int edict_value_kind(const edict_value *v)
{
	enter();
	return value_ok(v) ? v->v.tag : -1;
}

/* A value handle's call: the value, what is wanted of it. */
typedef struct ValueArg {
	const edict_value *v;
	const char *what;
	size_t i;
	const char *name;
	void *out;
} ValueArg;

static int wrong_kind_body(edict_ctx *x, void *arg)
{
	ValueArg *a = arg;
	const Value *v = &a->v->v;
	(void)x;
	const char *msg;
	if (v->tag == V_UNKNOWN && v->as.m && v->as.m->len)
		msg = xprintf("the result is unknown, not %s: it needs the fact %s (check edict_value_kind first)", a->what,
			      v->as.m->paths[0]->data);
	else
		msg = xprintf("the result is %s, not %s", val_kind_name(*v), a->what);
	return value_fail(a->v, msg);
}

/* Read a value of one tag, with a clear message when it is something else. */
static int want(const edict_value *v, ValueTag tag, const char *what)
{
	if (!value_ok(v))
		return value_fail(v, stale(v));
	if (v->v.tag == tag)
		return EDICT_OK;
	ValueArg a = {v, what, 0, NULL, NULL};
	return guarded(v->ctx, wrong_kind_body, &a);
}

int edict_value_bool(const edict_value *v, int *out)
{
	enter();
	int st = want(v, V_BOOL, "true or false");
	if (st != EDICT_OK)
		return st;
	if (!out)
		return value_fail(v, "the place for the result (out) is NULL");
	*out = v->v.as.i != 0;
	return ok(v->ctx);
}

int edict_value_int(const edict_value *v, int64_t *out)
{
	enter();
	int st = want(v, V_INT, "a whole number");
	if (st != EDICT_OK)
		return st;
	if (!out)
		return value_fail(v, "the place for the result (out) is NULL");
	*out = v->v.as.i;
	return ok(v->ctx);
}

/* The text of a->v (a->i: 0 Edict notation, 1 JSON, 2 the missing facts'
 * JSON) into the Buf at a->out, kept on the context where a->what says so. */
static int value_string_body(edict_ctx *x, void *arg)
{
	ValueArg *a = arg;
	Buf *b = a->out;
	if (a->i == 0)
		fmt_value(x->c->p, a->v->v, b);
	else if (a->i == 1)
		fmt_json(x->c->p, a->v->v, b);
	else
		explain_missing_json(a->v->v, b);
	if (a->what)
		keep(x, (void *)buf_cstr(b));
	return ok(x);
}

/* The text (which: as value_string_body) in b, or NULL on an error. */
static const char *value_string(const edict_value *v, int which, bool kept, Buf *b)
{
	enter();
	if (!value_ok(v)) {
		value_fail(v, stale(v));
		return NULL;
	}
	ValueArg a = {v, kept ? "kept" : NULL, (size_t)which, NULL, b};
	return guarded(v->ctx, value_string_body, &a) == EDICT_OK ? buf_cstr(b) : NULL;
}

/* The text, kept on the context until the facts change. */
static const char *kept_string(const edict_value *v, int which)
{
	Buf b = {0};
	return value_string(v, which, true, &b);
}

const char *edict_value_text(const edict_value *v)
{
	return kept_string(v, 0);
}

const char *edict_value_json(const edict_value *v)
{
	return kept_string(v, 1);
}

const char *edict_value_missing_json(const edict_value *v)
{
	return kept_string(v, 2);
}

/* The text copied into buf: made on the stack where it fits (most values
 * do), so that copying a result out takes nothing from the collector. */
static size_t copy_string(const edict_value *v, int which, char *buf, size_t size)
{
	char room[256];
	room[0] = 0;
	Buf b = {room, 0, sizeof room};
	const char *s = value_string(v, which, false, &b);
	if (!s) {
		if (buf && size)
			buf[0] = 0;
		return 0;
	}
	size_t n = strlen(s);
	if (buf && size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(buf, s, k);
		buf[k] = 0;
	}
	return n;
}

size_t edict_value_copy_text(const edict_value *v, char *buf, size_t size)
{
	return copy_string(v, 0, buf, size);
}

size_t edict_value_copy_json(const edict_value *v, char *buf, size_t size)
{
	return copy_string(v, 1, buf, size);
}

int edict_value_list_length(const edict_value *v, size_t *n)
{
	enter();
	int st = want(v, V_LIST, "a list");
	if (st != EDICT_OK)
		return st;
	if (!n)
		return value_fail(v, "the place for the length (n) is NULL");
	*n = v->v.as.l->len;
	return ok(v->ctx);
}

static int list_item_body(edict_ctx *x, void *arg)
{
	ValueArg *a = arg;
	const List *l = a->v->v.as.l;
	if (a->i >= l->len)
		return fail(x, EDICT_EUSAGE, noloc, NULL, "the list has %u item%s; there is no item %zu", l->len,
			    l->len == 1 ? "" : "s", a->i);
	*(edict_value **)a->out = new_value(x, l->items[a->i]);
	return ok(x);
}

int edict_value_list_item(const edict_value *v, size_t i, edict_value **out)
{
	enter();
	int st = want(v, V_LIST, "a list");
	if (st != EDICT_OK)
		return st;
	if (!out)
		return value_fail(v, "the place for the item (out) is NULL");
	ValueArg a = {v, NULL, i, NULL, out};
	return guarded(v->ctx, list_item_body, &a);
}

static int field_body(edict_ctx *x, void *arg);

int edict_value_field(const edict_value *v, const char *name, edict_value **out)
{
	enter();
	int st = want(v, V_REC, "a record");
	if (st != EDICT_OK)
		return st;
	if (!out || !name)
		return value_fail(v, "the field name or the place for the field (out) is NULL");
	ValueArg a = {v, NULL, 0, name, out};
	return guarded(v->ctx, field_body, &a);
}

static int field_body(edict_ctx *x, void *arg)
{
	ValueArg *a = arg;
	const edict_value *v = a->v;
	const char *name = a->name;
	const Program *p = x->c->p;
	int st;
	const TypeDef *td = v->v.aux >= 0 && v->v.aux < p->ntypes ? p->types[v->v.aux] : NULL;
	int slot = -1;
	for (int i = 0; td && i < td->nfields && i < (int)v->v.as.r->n; i++)
		if (strcmp(td->fields[i].name, name) == 0)
			slot = i;
	if (slot < 0) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)((td ? td->nfields : 0) + 1));
		for (int i = 0; td && i < td->nfields; i++)
			cands[i] = td->fields[i].name;
		const char *best = td ? diag_closest(name, cands, td->nfields) : NULL;
		st = fail(x, EDICT_EUSAGE, noloc, NULL, "the record %s has no field '%.60s'%s", td ? td->name : "", name,
			  best ? xprintf("; did you mean '%s'?", best) : "");
	} else {
		*(edict_value **)a->out = new_value(x, v->v.as.r->f[slot]);
		st = ok(x);
	}
	return st;
}

/* ------------------------------------------------------- for services */

Ctx *api_ctx_vm(edict_ctx *x, bool trace)
{
	enter();
	if (!ctx_ok(x))
		return NULL;
	prepare(x, trace);
	x->c->top_frame = -1;
	return x->c;
}
