/*
 * repl.c - `edict repl PATH...`: ask the rules questions, change facts,
 * compare, explain.
 *
 * The session keeps a rule set (a Program), the current facts and any
 * named scenarios.  Facts are kept as the JSON the officer gave (a file
 * loaded, plus single facts set and unset), not as typed values: every
 * question builds a fresh evaluation context from that JSON, and after the
 * rule files change the same JSON is simply read against the new rules
 * (whatever no longer fits is dropped, with a note).  A fact set in the
 * rules' notation (`company.us_export_share = 12%`) is parsed and checked
 * like a test's `given`, evaluated, and stored as its JSON form.
 *
 * Input is a terminal (libedit: history, completion, multi-line input
 * while a bracket is open, Ctrl-C to stop an evaluation) or a script read
 * line by line with plain output.  Everything the session says goes to
 * standard output, in order, so a transcript can be compared as a whole.
 */
#include <dirent.h>
#include <errno.h>
#include "mem.h"
#include <histedit.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "whatif.h"
#include "commands.h"
#include "common.h"
#include "dynlib.h"

/* libedit's functions: the REPL opens the library when its input is a
 * terminal (dynlib.h), so that the other commands start without it and
 * its dependencies; without it the REPL reads plain lines. */
static struct {
	__typeof__(el_init) *init;
	__typeof__(el_end) *end;
	__typeof__(el_set) *set;
	__typeof__(el_source) *source;
	__typeof__(el_gets) *gets;
	__typeof__(el_line) *line;
	__typeof__(el_insertstr) *insertstr;
	__typeof__(history_init) *history_init;
	__typeof__(history_end) *history_end;
	__typeof__(history) *history;
} ed;

static bool open_libedit(void)
{
#define FN(f, field) {#f, (void **)&ed.field}
	static const DynFn fns[] = {
		FN(el_init, init),	   FN(el_end, end),	FN(el_set, set),
		FN(el_source, source),	   FN(el_gets, gets),	FN(el_line, line),
		FN(el_insertstr, insertstr), FN(history_init, history_init), FN(history_end, history_end),
		FN(history, history),
	};
#undef FN
	const char *why;
	return dyn_load(EDICT_LIBEDIT_SONAME, fns, sizeof fns / sizeof fns[0], &why);
}

#ifndef EDICT_VERSION
#define EDICT_VERSION "0.1.0"
#endif

/* ------------------------------------------------------------ the session */

/* A parameter changed in a scenario (a policy tried out): its name and
 * its value as JSON, read against the rules each time it is used, so that
 * it follows a reload of the rule files as the facts do. */
typedef struct ParamSet {
	const char *qname;
	const char *json;
} ParamSet;

/* The facts of a scenario, as given, its date, and its changed parameters. */
typedef struct State {
	json_object *doc; /* an object: fact root -> JSON value */
	bool dated;       /* as_of chosen; otherwise today */
	date_t as_of;
	ParamSet *params;
	int nparams;
} State;

typedef struct Scenario {
	const char *name;
	State st;
} Scenario;

typedef struct Repl {
	const char **paths;
	int npaths;
	Program *p;
	const char *sig; /* the rule files' names and times when last read */
	State cur;
	Scenario *scen;
	int nscen;
	bool interactive, color, echo;
	int nerrors; /* commands that failed */
	bool quit;
	EditLine *el;
	History *hist;
	const char *histfile;
	int ninput; /* inputs read, for naming them in messages */
} Repl;

static volatile sig_atomic_t interrupted;
static Repl *the_repl; /* for libedit's callbacks */
static bool continuing; /* the prompt: a bracket is still open */

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* --------------------------------------------------------------- output */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

static void fail(Repl *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(Repl *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvprintf(fmt, ap);
	va_end(ap);
	say("%serror:%s %s\n", r->color ? "\033[1;31m" : "", r->color ? "\033[0m" : "", msg);
	r->nerrors++;
}

/* Diagnostics in the one shape used everywhere (file:line:col: error: ...,
 * the quoted line, carets), in source order. */
static void show_diags(Repl *r, const Diags *d)
{
	const Diag **order = diag_sorted(d);
	for (int i = 0; i < d->n; i++)
		fputs(diag_render(d, order[i], r->color), stdout);
	int max = d->max_errors ? d->max_errors : 100;
	if (d->nerrors > max)
		say("... and %d more errors\n", d->nerrors - max);
	if (d->nerrors)
		r->nerrors++;
}

/* An evaluation that stopped: a runtime error at its place in a rule file
 * or in the question (quoted from sources: the question's own, which go
 * on to the program's), or an interruption. */
static void eval_failed(Repl *r, const Ctx *c, const Diags *sources)
{
	if (c->status == ST_INTERRUPTED) {
		say("interrupted\n");
		r->nerrors++;
		return;
	}
	Diags *d = diag_new();
	d->parent = sources;
	diag_add(d, SEV_ERROR, c->errloc, "%s", c->errmsg ? c->errmsg : "the evaluation failed");
	show_diags(r, d);
}

/* "unknown  # missing: a, b": still pastes back as a value. */
static void value_line(const Program *p, Value v, Buf *b)
{
	fmt_value(p, v, b);
	if (v.tag == V_UNKNOWN && v.as.m && v.as.m->len) {
		buf_puts(b, "  # missing: ");
		for (uint32_t i = 0; i < v.as.m->len; i++)
			buf_printf(b, "%s%s", i ? ", " : "", v.as.m->paths[i]->data);
	}
}

static const char *day_text(date_t d)
{
	char *s = GC_MALLOC_ATOMIC(DATE_TEXT_LEN + 1);
	date_format(d, s);
	return s;
}

/* ----------------------------------------------------------------- text */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static bool is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* If s starts with the word w, the text after it (and its spaces). */
static const char *word(const char *s, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(s, w, n) != 0 || is_name_char((unsigned char)s[n]) || s[n] == '.')
		return NULL;
	return skip_ws(s + n);
}

static char *trim_copy(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return (char *)ast_strdup(s, n);
}

/* Brackets still open in a text (outside strings and comments); negative
 * when it closes more than it opens.  A string ends at the end of its line
 * at the latest (the lexer says it was not closed there), so an unclosed
 * string never keeps the input open and the next line is a new input. */
static int open_brackets(const char *s)
{
	int depth = 0;
	bool str = false;
	for (; *s; s++) {
		if (str) {
			if (*s == '\\' && s[1] && s[1] != '\n')
				s++;
			else if (*s == '"' || *s == '\n')
				str = false;
			continue;
		}
		if (*s == '"')
			str = true;
		else if (*s == '#')
			while (s[1] && s[1] != '\n')
				s++;
		else if (*s == '(' || *s == '[' || *s == '{')
			depth++;
		else if (*s == ')' || *s == ']' || *s == '}')
			depth--;
	}
	return str ? 0 : depth;
}

/* A copy of the whole input with everything outside [from, to) blanked,
 * so a piece of a line parses on its own but keeps its line and column. */
static Source *piece(Repl *r, const char *input, size_t from, size_t to)
{
	size_t n = strlen(input);
	char *t = GC_MALLOC_ATOMIC(n + 1);
	for (size_t i = 0; i < n; i++)
		t[i] = (i >= from && i < to) || input[i] == '\n' ? input[i] : ' ';
	t[n] = 0;
	Source *src = GC_MALLOC(sizeof *src);
	src->path = xprintf("<repl>");
	src->text = t;
	src->len = n;
	return src;
}

/* A trailing `as of DATE` (or `as of today`): cut from text.  Returns -1
 * after reporting a bad date, 1 when found, 0 when not. */
static int cut_as_of(Repl *r, char *text, bool *dated, date_t *as_of)
{
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n'))
		n--;
	size_t e = n;
	while (e && text[e - 1] != ' ' && text[e - 1] != '\t' && text[e - 1] != '\n')
		e--;
	size_t k = e;
	while (k && (text[k - 1] == ' ' || text[k - 1] == '\t' || text[k - 1] == '\n'))
		k--;
	if (k < 2 || strncmp(text + k - 2, "of", 2) != 0)
		return 0;
	size_t a = k - 2;
	if (a && is_name_char((unsigned char)text[a - 1]))
		return 0;
	while (a && (text[a - 1] == ' ' || text[a - 1] == '\t' || text[a - 1] == '\n'))
		a--;
	if (a < 2 || strncmp(text + a - 2, "as", 2) != 0 || (a > 2 && is_name_char((unsigned char)text[a - 3])))
		return 0;
	if (a - 2 > 0 && text[a - 3] != ' ' && text[a - 3] != '\t' && text[a - 3] != '\n' && text[a - 3] != ')' &&
	    text[a - 3] != ']' && text[a - 3] != '}' && text[a - 3] != '"')
		return 0;
	char *date = (char *)ast_strdup(text + e, n - e);
	text[a - 2] = 0;
	if (strcmp(date, "today") == 0) {
		*dated = false;
		return 1;
	}
	if (date_parse(date, strlen(date), as_of) != 0) {
		fail(r, "'%s' is not a date; write it like as of 2026-12-01 (or as of today)", date);
		return -1;
	}
	*dated = true;
	return 1;
}

/* ------------------------------------------------------------- the facts */

static State state_copy(const State *s)
{
	State c = *s;
	c.doc = NULL;
	if (json_object_deep_copy(s->doc, &c.doc, NULL) != 0 || !c.doc)
		c.doc = json_object_new_object();
	c.params = GC_MALLOC(sizeof(ParamSet) * (size_t)(s->nparams + 1));
	if (s->nparams)
		memcpy(c.params, s->params, sizeof(ParamSet) * (size_t)s->nparams);
	return c;
}

/* A changed parameter's value read against the current rules; false when
 * the rules no longer have it or it no longer fits (*err says why). */
static bool param_value(Repl *r, const ParamSet *ps, const Decl **d, Value *v, const char **err)
{
	*d = prog_find_decl(r->p, ps->qname);
	if (!*d || (*d)->kind != D_PARAM) {
		*err = xprintf("the rules have no parameter %s", ps->qname);
		return false;
	}
	json_object *j = json_tokener_parse(ps->json);
	int st = facts_convert(r->p, (*d)->type, j, ps->qname, v, err);
	json_object_put(j);
	return st == ST_OK;
}

/* The scenario's changed parameters, fixed in c (those that no longer fit
 * the rules are left out; `facts` says so). */
static void apply_params(Repl *r, const State *s, Ctx *c)
{
	for (int i = 0; i < s->nparams; i++) {
		const Decl *d;
		Value v;
		const char *err;
		if (param_value(r, &s->params[i], &d, &v, &err))
			vm_override(c, d->index, v);
	}
}

static int param_find(const State *s, const char *qname)
{
	for (int i = 0; i < s->nparams; i++)
		if (strcmp(s->params[i].qname, qname) == 0)
			return i;
	return -1;
}

static void state_free(State *s)
{
	if (s->doc)
		json_object_put(s->doc);
	s->doc = NULL;
}

static date_t state_day(const State *s)
{
	return s->dated ? s->as_of : date_today();
}

/* A fresh evaluation context for a scenario.  patient: the one question
 * the officer asked, which on a terminal may run past the step limit,
 * since Ctrl-C stops it; the decisions evaluated in bulk (what-if, diff,
 * reload) keep the limit, so one slow decision cannot hold them up. */
static Ctx *state_ctx(Repl *r, const State *s, bool trace, bool patient)
{
	Ctx *c = vm_new(r->p);
	const char *err;
	if (facts_load_object(c, s->doc, "facts", &err) != ST_OK)
		facts_clear(c); /* cannot happen: the facts are refitted on every change */
	ctx_set_as_of(c, state_day(s));
	ctx_set_interrupt(c, &interrupted);
	if (r->interactive && patient)
		ctx_set_limits(c, ULLONG_MAX / 2, 0);
	ctx_set_trace(c, trace);
	vm_reset(c);
	apply_params(r, s, c);
	return c;
}

/* Objects inside a value lose their null members: an absent field then
 * takes its default again when read. */
static void drop_nulls(json_object *j)
{
	if (json_object_is_type(j, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(j); i++)
			drop_nulls(json_object_array_get_idx(j, i));
		return;
	}
	if (!json_object_is_type(j, json_type_object))
		return;
	const char **gone = NULL;
	int n = 0;
	json_object_object_foreach(j, key, val)
	{
		if (!val)
			AST_PUSH(gone, n, ast_strdup(key, strlen(key)));
		else
			drop_nulls(val);
	}
	for (int i = 0; i < n; i++)
		json_object_object_del(j, gone[i]);
}

static json_object *value_json(const Program *p, Value v)
{
	if (v.tag == V_UNKNOWN)
		return NULL;
	Buf b = {0};
	fmt_json(p, v, &b);
	json_object *j = json_tokener_parse(buf_cstr(&b));
	drop_nulls(j);
	return j;
}

/* The dated values of a fact over time, a list of [date, value] pairs, as
 * the facts reader takes them: {"2025-01-01": value, ...}. */
static json_object *series_json(const Program *p, Value v)
{
	if (v.tag != V_LIST)
		return value_json(p, v);
	json_object *o = json_object_new_object();
	for (uint32_t i = 0; i < v.as.l->len; i++) {
		const List *pair = v.as.l->items[i].as.l;
		char day[11];
		date_format((date_t)pair->items[0].as.i, day);
		json_object_object_add(o, day, value_json(p, pair->items[1]));
	}
	return o;
}

/* Put val at path in doc (taking the reference), making objects on the way. */
static void doc_put(json_object *doc, const char *const *segs, int n, json_object *val)
{
	json_object *o = doc;
	for (int i = 0; i < n - 1; i++) {
		json_object *next = NULL;
		if (!json_object_object_get_ex(o, segs[i], &next) || !json_object_is_type(next, json_type_object)) {
			next = json_object_new_object();
			json_object_object_add(o, segs[i], next);
		}
		o = next;
	}
	json_object_object_add(o, segs[n - 1], val);
}

/* Remove path from doc, and any object left empty on the way.  Returns
 * whether it was there. */
static bool doc_del(json_object *doc, const char *const *segs, int n)
{
	json_object *next = NULL;
	if (!json_object_object_get_ex(doc, segs[0], &next))
		return false;
	if (n == 1) {
		json_object_object_del(doc, segs[0]);
		return true;
	}
	if (!json_object_is_type(next, json_type_object) || !doc_del(next, segs + 1, n - 1))
		return false;
	if (json_object_object_length(next) == 0)
		json_object_object_del(doc, segs[0]);
	return true;
}

/* Keep only what fits the rules' fact schema: after a reload a fact may
 * have gone or changed type.  Each thing dropped is reported. */
static void refit_value(Repl *r, const Type *t, json_object *parent, const char *key, const char *path, const char *who,
			const char *verb, Buf *notes)
{
	json_object *j = NULL;
	json_object_object_get_ex(parent, key, &j);
	if (!j)
		return;
	if (t->kind == TY_REC && json_object_is_type(j, json_type_object)) {
		const char **keys = NULL;
		int nk = 0;
		json_object_object_foreach(j, k, v)
		{
			(void)v;
			AST_PUSH(keys, nk, ast_strdup(k, strlen(k)));
		}
		for (int i = 0; i < nk; i++) {
			const Field *f = NULL;
			for (int fi = 0; fi < t->def->nfields; fi++)
				if (strcmp(t->def->fields[fi].name, keys[i]) == 0)
					f = &t->def->fields[fi];
			const char *fp = xprintf("%s.%s", path, keys[i]);
			if (!f) {
				buf_printf(notes, "note: %s%s %s: it is no longer a fact of the rules\n", who, verb, fp);
				json_object_object_del(j, keys[i]);
				continue;
			}
			refit_value(r, f->type, j, keys[i], fp, who, verb, notes);
		}
		return;
	}
	Value v;
	const char *err;
	if (facts_convert(r->p, t, j, path, &v, &err) != ST_OK) {
		buf_printf(notes, "note: %s%s %s (the rules changed)\n", who, verb, err);
		json_object_object_del(parent, key);
	}
}

static void refit(Repl *r, State *s, const char *who, const char *verb, Buf *notes)
{
	const char **keys = NULL;
	int nk = 0;
	json_object_object_foreach(s->doc, k, v)
	{
		(void)v;
		AST_PUSH(keys, nk, ast_strdup(k, strlen(k)));
	}
	for (int i = 0; i < nk; i++) {
		if (strcmp(keys[i], "id") == 0)
			continue;
		Decl *f = prog_find_fact(r->p, keys[i]);
		if (!f) {
			buf_printf(notes, "note: %s%s %s: it is no longer a fact of the rules\n", who, verb, keys[i]);
			json_object_object_del(s->doc, keys[i]);
			continue;
		}
		refit_value(r, f->type, s->doc, keys[i], keys[i], who, verb, notes);
	}
}

/* A scenario's facts as the rules now read them: a copy without what no
 * longer fits.  The scenario itself keeps every fact it was saved with, so
 * that rules changed back (or a file emptied by mistake and restored)
 * find them again; notes (if not NULL) say what is left out. */
static State scenario_state(Repl *r, const Scenario *sc, Buf *notes)
{
	State s = state_copy(&sc->st);
	Buf ignored = {0};
	refit(r, &s, xprintf("scenario %s: ", sc->name), "leaves out", notes ? notes : &ignored);
	return s;
}

/* The type of a fact path ("company.size"), or NULL with *err. */
static const Type *path_type(const Program *p, const char *const *segs, int n, const char **err)
{
	Decl *f = prog_find_fact(p, segs[0]);
	if (!f) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(p->nfacts + 1));
		for (int i = 0; i < p->nfacts; i++)
			cands[i] = p->facts[i]->name;
		const char *best = diag_closest(segs[0], cands, p->nfacts);
		*err = xprintf("unknown fact '%s'%s", segs[0], best ? xprintf("; did you mean '%s'?", best) : "");
		return NULL;
	}
	const Type *t = f->type;
	for (int i = 1; i < n; i++) {
		if (t->kind != TY_REC) {
			*err = xprintf("'%s' is %s and has no field '%s'", segs[i - 1], ty_name(t), segs[i]);
			return NULL;
		}
		const Field *fl = NULL;
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(t->def->nfields + 1));
		for (int k = 0; k < t->def->nfields; k++) {
			cands[k] = t->def->fields[k].name;
			if (strcmp(cands[k], segs[i]) == 0)
				fl = &t->def->fields[k];
		}
		if (!fl) {
			char *path = xprintf("%s", segs[0]);
			for (int k = 1; k < i; k++)
				path = xprintf("%s.%s", path, segs[k]);
			const char *best = diag_closest(segs[i], cands, t->def->nfields);
			*err = xprintf("unknown fact '%s.%s'%s", path, segs[i], best ? xprintf("; did you mean '%s.%s'?", path, best) : "");
			return NULL;
		}
		t = fl->type;
	}
	return t;
}

static int split_path(const char *s, const char ***segs)
{
	int n = 0;
	*segs = NULL;
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		AST_PUSH(*segs, n, ast_strdup(s, len));
		if (!dot)
			return n;
		s = dot + 1;
	}
}

/* Every fact leaf of a context, with whether the officer gave it. */
typedef struct Leaf {
	const char *path;
	Value v;
	bool given;
} Leaf;

static void leaves(const Program *p, const Type *t, Value v, json_object *j, const char *path, Leaf **out, int *n)
{
	if (t->kind == TY_REC && v.tag == V_REC) {
		for (int i = 0; i < t->def->nfields && i < (int)v.as.r->n; i++) {
			json_object *k = NULL;
			bool has = j && json_object_is_type(j, json_type_object) &&
				   json_object_object_get_ex(j, t->def->fields[i].name, &k);
			leaves(p, t->def->fields[i].type, v.as.r->f[i], has ? k : NULL, xprintf("%s.%s", path, t->def->fields[i].name),
			       out, n);
			if (has && !k) /* given as null: unknown on purpose */
				(*out)[*n - 1].given = true;
		}
		return;
	}
	Leaf l = {path, v, j != NULL};
	AST_PUSH(*out, *n, l);
}

static Leaf *state_leaves(Repl *r, const State *s, int *n)
{
	Ctx *c = state_ctx(r, s, false, false);
	Leaf *out = NULL;
	*n = 0;
	for (int i = 0; i < r->p->nfacts; i++) {
		Decl *f = r->p->facts[i];
		json_object *j = NULL;
		json_object_object_get_ex(s->doc, f->name, &j);
		leaves(r->p, f->type, c->facts[i], j, f->name, &out, n);
	}
	return out;
}

/* ------------------------------------------------------------- rule files */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names, times and sizes of the rule files: when it changes, the
 * rules are read again. */
static void sig_path(Buf *b, const char *path, int depth, bool root)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		buf_printf(b, "? %s\n", path);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > LOAD_MAX_DIR_DEPTH)
			return;
		buf_printf(b, "d %s %lld.%09ld\n", path, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		DIR *dh = opendir(path);
		if (!dh)
			return;
		const char **names = NULL;
		int n = 0;
		struct dirent *e;
		while ((e = readdir(dh)) != NULL)
			if (e->d_name[0] != '.')
				AST_PUSH(names, n, ast_strdup(e->d_name, strlen(e->d_name)));
		closedir(dh);
		if (n)
			qsort(names, (size_t)n, sizeof *names, cmp_str);
		for (int i = 0; i < n; i++)
			sig_path(b, xprintf("%s/%s", path, names[i]), depth + 1, false);
		return;
	}
	size_t len = strlen(path);
	if (root || (len > 6 && strcmp(path + len - 6, ".edict") == 0))
		buf_printf(b, "f %s %lld.%09ld %lld %llu\n", path, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			   (long long)st.st_size, (unsigned long long)st.st_ino);
}

static const char *signature(Repl *r)
{
	Buf b = {0};
	for (int i = 0; i < r->npaths; i++)
		sig_path(&b, r->paths[i], 0, true);
	return buf_cstr(&b);
}

/* The value of every decision (and param) of a program for a scenario, in
 * one context; texts compare values across programs. */
typedef struct Snap {
	Ctx *c;
	int n;
	int *idx;
	Value *v;
	const char **text;
} Snap;

static bool shown_decl(const Decl *d, bool params)
{
	if (d->private_)
		return false;
	return d->kind == D_DECISION || d->kind == D_TABLE || (params && d->kind == D_PARAM);
}

/* false when interrupted (reported). */
static bool snap(Repl *r, const State *s, bool trace, bool params, Snap *out)
{
	memset(out, 0, sizeof *out);
	out->c = state_ctx(r, s, trace, false);
	const Program *p = r->p;
	out->idx = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(p->ndecls + 1));
	out->v = GC_MALLOC(sizeof(Value) * (size_t)(p->ndecls + 1));
	out->text = GC_MALLOC(sizeof(char *) * (size_t)(p->ndecls + 1));
	for (int i = 0; i < p->ndecls; i++) {
		if (!shown_decl(p->decls[i], params))
			continue;
		Value v;
		int st = vm_eval_decl(out->c, i, &v);
		if (st == ST_INTERRUPTED) {
			say("interrupted\n");
			r->nerrors++;
			return false;
		}
		out->idx[out->n] = i;
		out->v[out->n] = st == ST_OK ? v : val_unknown(NULL);
		out->text[out->n] = st == ST_OK ? fmt_value_str(p, v) : xprintf("error (%s)", out->c->errmsg);
		out->n++;
	}
	return true;
}

static int snap_find(const Snap *s, const Program *p, const char *qname)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(p->decls[s->idx[i]]->qname, qname) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------ explaining */


/* Print each decision whose value differs between two snapshots of the
 * same program (with reasons when both were traced).  Returns how many. */
static int changes(Repl *r, const Snap *a, const Snap *b, bool why, const char *indent)
{
	Buf out = {0};
	int n = 0;
	for (int i = 0; i < b->n; i++) {
		int j = snap_find(a, r->p, r->p->decls[b->idx[i]]->qname);
		if (j < 0 || strcmp(a->text[j], b->text[i]) == 0)
			continue;
		n++;
		buf_printf(&out, "%s%s: %s -> %s\n", indent, r->p->decls[b->idx[i]]->qname, a->text[j], b->text[i]);
		if (why)
			whatif_reasons(a->c, b->c, b->idx[i], indent, &out);
	}
	fputs(buf_cstr(&out), stdout);
	return n;
}

/* ---------------------------------------------------------------- reload */

static int public_decisions(const Program *p)
{
	int n = 0;
	for (int i = 0; p && i < p->ndecls; i++)
		n += shown_decl(p->decls[i], false);
	return n;
}

/* Rule files with no public decisions where the rules in use have some
 * (a file emptied by a save midway, a checkout) are not taken: that would
 * drop every fact.  True after saying so. */
static bool emptied(Repl *r, const Program *np)
{
	int had = public_decisions(r->p);
	if (!had || public_decisions(np))
		return false;
	say("the rules were not reloaded: the rule files now have no public decisions, where the rules in use have %d; "
	    "the previous rules and the facts stay in use until the files have decisions again\n",
	    had);
	return true;
}

static void reload(Repl *r, bool asked)
{
	const char *sig = signature(r);
	Diags *d = diag_new();
	Program *np = load_paths(r->paths, r->npaths, d);
	if (!np || d->nerrors) {
		show_diags(r, d);
		say("the rules were not reloaded: the previous rules stay in use until the errors above are fixed\n");
		r->sig = sig; /* not again until the files change again */
		return;
	}
	if (emptied(r, np)) {
		r->sig = sig;
		return;
	}
	Snap before;
	if (!snap(r, &r->cur, false, true, &before))
		return;
	Program *old = r->p;
	r->p = np;
	r->sig = sig;
	if (d->n)
		show_diags(r, d); /* warnings */
	Buf notes = {0};
	refit(r, &r->cur, "", "dropped", &notes);
	for (int i = 0; i < r->nscen; i++) {
		State t = scenario_state(r, &r->scen[i], &notes);
		state_free(&t);
	}
	if (r->nscen && strstr(buf_cstr(&notes), "leaves out"))
		buf_puts(&notes, "note: a scenario keeps what it leaves out, for when the rules take it again\n");
	say("reloaded %d rule file%s%s\n", np->nmods, np->nmods == 1 ? "" : "s", asked ? "" : " (they changed on disk)");
	fputs(buf_cstr(&notes), stdout);
	Snap after;
	if (!snap(r, &r->cur, false, true, &after))
		return;
	int n = 0;
	for (int i = 0; i < after.n; i++) {
		const char *qn = np->decls[after.idx[i]]->qname;
		int j = snap_find(&before, old, qn);
		if (j < 0) {
			say("%s: new, %s\n", qn, after.text[i]);
			n++;
		} else if (strcmp(before.text[j], after.text[i]) != 0) {
			say("%s: %s -> %s\n", qn, before.text[j], after.text[i]);
			n++;
		}
	}
	for (int i = 0; i < before.n; i++) {
		const char *qn = old->decls[before.idx[i]]->qname;
		if (snap_find(&after, np, qn) < 0) {
			say("%s: no longer in the rules\n", qn);
			n++;
		}
	}
	if (!n)
		say("no decision changed\n");
}

static void maybe_reload(Repl *r)
{
	if (strcmp(signature(r), r->sig) != 0)
		reload(r, false);
}

/* ------------------------------------------------------------- setting */

/* One `path = value`: parsed, checked against the fact schema and
 * evaluated with the current facts (so `x = x + 1%` works).  NULL after
 * reporting. */
typedef struct Given {
	TestStep *st;
	Value v;
} Given;

static bool given(Repl *r, Source *src, Given *g)
{
	Diags *d = diag_new();
	TestStep *st = parse_given(src, d);
	int nlocals = 0;
	Own *own = prog_own(r->p, src);
	if (!st || d->nerrors || !chk_given(r->p, own, st, d, &nlocals)) {
		if (!d->nerrors)
			diag_add(d, SEV_ERROR, (Loc){src->path, 1, 1, 1, 1}, "write a fact and its value, like company.us_export_share = 12%%");
		show_diags(r, d);
		return false;
	}
	Ctx *c = state_ctx(r, &r->cur, false, true);
	Chunk *ch = cg_expr(r->p, own, st->expr, nlocals + 1, false, "the value");
	if (vm_eval_chunk(c, ch, &g->v) != ST_OK) {
		eval_failed(r, c, own->diags);
		return false;
	}
	g->st = st;
	return true;
}

/* Store a checked value into a scenario; false (reported) if it would not
 * read back. */
static bool put(Repl *r, State *s, const Given *g)
{
	State trial = state_copy(s);
	doc_put(trial.doc, g->st->path, g->st->npath,
		g->st->type->kind == TY_SERIES ? series_json(r->p, g->v) : value_json(r->p, g->v));
	Ctx *c = vm_new(r->p);
	const char *err;
	if (facts_load_object(c, trial.doc, "facts", &err) != ST_OK) {
		state_free(&trial);
		fail(r, "%s", err);
		return false;
	}
	state_free(s);
	*s = trial;
	return true;
}

/* The declaration named at the start of s, or NULL (also for a fact
 * path: facts come first); *end is past its name. */
static const Decl *decl_at(Repl *r, const char *s, const char **end)
{
	const char *t = s, *root = NULL;
	while (is_name_char((unsigned char)*t) || (*t == '.' && is_name_char((unsigned char)t[1]))) {
		if (*t == '.' && !root)
			root = t;
		t++;
	}
	*end = t;
	if (t == s || prog_find_fact(r->p, ast_strdup(s, (size_t)((root ? root : t) - s))))
		return NULL;
	return prog_find_decl(r->p, ast_strdup(s, (size_t)(t - s)));
}

/* The parameter named at the start of s (`voucher.cap_per_company =
 * ...`), or NULL; *end is past its name. */
static const Decl *param_at(Repl *r, const char *s, const char **end)
{
	const Decl *d = decl_at(r, s, end);
	return d && d->kind == D_PARAM ? d : NULL;
}

static Query *compile_question(Repl *r, const char *text);

/* `param = value` in input[from, to): the value evaluated in scenario s
 * (so `cap = cap * 2` works), checked against the parameter's type, and
 * kept in s.  False after reporting. */
static bool param_given(Repl *r, const char *input, size_t from, size_t to, State *s)
{
	const char *name_end;
	const Decl *d = param_at(r, input + from, &name_end);
	const char *eq = skip_ws(name_end);
	if (!d || *eq != '=' || (size_t)(eq - input) >= to) {
		fail(r, "write a parameter and its value, like voucher.cap_per_company = 70_000_000 KRW");
		return false;
	}
	Source *src = piece(r, input, (size_t)(eq + 1 - input), to);
	Query *q = compile_question(r, src->text);
	if (!q)
		return false;
	Ctx *c = state_ctx(r, s, false, true);
	Value v;
	if (query_run(c, q, &v) != ST_OK) {
		eval_failed(r, c, q->own->diags);
		return false;
	}
	json_object *j = value_json(r->p, v);
	ParamSet ps = {d->qname, xprintf("%s", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN))};
	json_object_put(j);
	const Decl *dd;
	const char *err;
	if (!param_value(r, &ps, &dd, &v, &err)) {
		Diags *dg = diag_new();
		diag_add_source(dg, src);
		const Node *e = q->expr;
		diag_hint(diag_add(dg, SEV_ERROR, e->loc, "%s is %s; this value does not fit it", d->qname, ty_name(d->type)),
			  "%s", err);
		show_diags(r, dg);
		return false;
	}
	int at = param_find(s, d->qname);
	if (at < 0) {
		ParamSet *grown = GC_MALLOC(sizeof(ParamSet) * (size_t)(s->nparams + 1));
		if (s->nparams)
			memcpy(grown, s->params, sizeof(ParamSet) * (size_t)s->nparams);
		s->params = grown;
		at = s->nparams++;
	}
	s->params[at] = ps;
	return true;
}

static bool looks_like_set(Repl *r, const char *s)
{
	const char *pe;
	if (param_at(r, s, &pe)) {
		pe = skip_ws(pe);
		return pe[0] == '=' && pe[1] != '=' && pe[1] != '>';
	}
	const char *t = s;
	while (is_name_char((unsigned char)*t))
		t++;
	if (t == s || !prog_find_fact(r->p, ast_strdup(s, (size_t)(t - s))))
		return false;
	while (is_name_char((unsigned char)*t) || *t == '.')
		t++;
	t = skip_ws(t);
	/* a fact over time: `path from DATE = value ...` */
	if (strncmp(t, "from", 4) == 0 && (t[4] == ' ' || t[4] == '\t'))
		return true;
	return t[0] == '=' && t[1] != '=' && t[1] != '>';
}

/* What changed after set/unset: a short list of decisions. */
static void after_change(Repl *r, const State *before)
{
	Snap a, b;
	if (!snap(r, before, false, false, &a) || !snap(r, &r->cur, false, false, &b))
		return;
	changes(r, &a, &b, false, "");
}

static void cmd_set(Repl *r, const char *input, const char *at)
{
	size_t from = (size_t)(at - input);
	const char *pe;
	if (param_at(r, skip_ws(at), &pe)) {
		State before = state_copy(&r->cur);
		if (param_given(r, input, (size_t)(skip_ws(at) - input), strlen(input), &r->cur))
			after_change(r, &before);
		state_free(&before);
		return;
	}
	Given g;
	if (!given(r, piece(r, input, from, strlen(input)), &g))
		return;
	State before = state_copy(&r->cur);
	if (put(r, &r->cur, &g))
		after_change(r, &before);
	state_free(&before);
}

static void cmd_unset(Repl *r, const char *arg)
{
	char *path = trim_copy(arg, strlen(arg));
	if (!*path) {
		fail(r, "unset needs a fact, like: unset company.size");
		return;
	}
	const char *pe;
	const Decl *pd = param_at(r, path, &pe);
	if (pd && !*pe) {
		int at = param_find(&r->cur, pd->qname);
		if (at < 0) {
			say("%s was not changed; nothing to unset\n", pd->qname);
			return;
		}
		State before = state_copy(&r->cur);
		memmove(&r->cur.params[at], &r->cur.params[at + 1], sizeof(ParamSet) * (size_t)(r->cur.nparams - at - 1));
		r->cur.nparams--;
		after_change(r, &before);
		state_free(&before);
		return;
	}
	for (const char *t = path; *t; t++)
		if (!is_name_char((unsigned char)*t) && *t != '.') {
			fail(r, "'%s' is not a fact path; write it like company.size", path);
			return;
		}
	const char **segs;
	int n = split_path(path, &segs);
	const char *err;
	if (!path_type(r->p, segs, n, &err)) {
		fail(r, "%s", err);
		return;
	}
	State before = state_copy(&r->cur);
	if (!doc_del(r->cur.doc, segs, n))
		say("%s was not given; nothing to unset\n", path);
	else
		after_change(r, &before);
	state_free(&before);
}

/* --------------------------------------------------------------- files */

static bool save_state(Repl *r, const State *s, const char *file)
{
	json_object *o = json_object_new_object();
	if (s->dated)
		json_object_object_add(o, "as_of", json_object_new_string(day_text(s->as_of)));
	json_object_object_foreach(s->doc, k, v)
		json_object_object_add(o, k, json_object_get(v));
	const char *text = xprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
									      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	const char *err;
	/* a temporary file, synced, then renamed: never a half-written file */
	if (!fio_write_file(file, text, strlen(text), &err)) {
		fail(r, "%s", err);
		return false;
	}
	return true;
}

static const char *file_arg(Repl *r, const char *arg, const char *what)
{
	char *f = trim_copy(arg, strlen(arg));
	size_t n = strlen(f);
	if (n >= 2 && f[0] == '"' && f[n - 1] == '"')
		f = (char *)ast_strdup(f + 1, n - 2);
	if (!*f) {
		fail(r, "%s", what);
		return NULL;
	}
	return f;
}

static void cmd_load(Repl *r, const char *arg)
{
	const char *file = file_arg(r, arg, "load needs a JSON facts file, like: load company.json");
	if (!file)
		return;
	size_t len;
	const char *err;
	char *text = load_file(file, FACTS_MAX_BYTES, &len, &err);
	if (!text) {
		fail(r, "%s", err);
		return;
	}
	/* checked with the same rules as `edict eval --facts` */
	Ctx *c = vm_new(r->p);
	ctx_set_as_of(c, 0);
	if (facts_load_json(c, text, len, file, &err) != ST_OK) {
		fail(r, "%s", err);
		say("the current facts are unchanged\n");
		return;
	}
	json_object *doc = NULL;
	if (facts_parse_json(text, len, file, &doc, &err) != ST_OK || !json_object_is_type(doc, json_type_object)) {
		if (doc)
			json_object_put(doc);
		fail(r, "%s", doc ? xprintf("%s: the facts must be a JSON object", file) : err);
		return;
	}
	State s = {doc, r->cur.dated, r->cur.as_of};
	json_object *asof = NULL;
	if (json_object_object_get_ex(doc, "as_of", &asof)) {
		s.dated = true;
		s.as_of = c->as_of;
		json_object_object_del(doc, "as_of");
	}
	state_free(&r->cur);
	r->cur = s;
	Buf names = {0};
	int n = 0;
	json_object_object_foreach(doc, k, v)
	{
		(void)v;
		if (strcmp(k, "id") != 0)
			buf_printf(&names, "%s%s", n++ ? ", " : "", k);
	}
	say("loaded %s: %s%s", file, n ? buf_cstr(&names) : "no facts", asof ? xprintf("; as of %s\n", day_text(s.as_of)) : "\n");
}

/* ------------------------------------------------------------ scenarios */

static bool good_name(const char *s)
{
	if (!*s || !(is_name_char((unsigned char)*s) && !(*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!is_name_char((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static Scenario *find_scenario(Repl *r, const char *name, bool report)
{
	for (int i = 0; i < r->nscen; i++)
		if (strcmp(r->scen[i].name, name) == 0)
			return &r->scen[i];
	if (report) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(r->nscen + 2));
		for (int i = 0; i < r->nscen; i++)
			cands[i] = r->scen[i].name;
		const char *best = diag_closest(name, cands, r->nscen);
		if (best)
			fail(r, "there is no scenario '%s'; did you mean '%s'?", name, best);
		else if (r->nscen)
			fail(r, "there is no scenario '%s'; 'scenarios' lists them", name);
		else
			fail(r, "there is no scenario '%s'; keep the current facts as one with: save scenario %s", name, name);
	}
	return NULL;
}

/* Split "a b c" into words. */
static int words(const char *s, const char ***out)
{
	int n = 0;
	*out = NULL;
	for (;;) {
		s = skip_ws(s);
		if (!*s)
			return n;
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t' && *e != '\n')
			e++;
		AST_PUSH(*out, n, ast_strdup(s, (size_t)(e - s)));
		s = e;
	}
}

static void cmd_save(Repl *r, const char *arg)
{
	const char *rest = word(arg, "scenario");
	if (!rest) {
		const char *file = file_arg(r, arg, "save needs a file name, like: save company.json (or: save scenario NAME)");
		if (file && save_state(r, &r->cur, file))
			say("saved the current facts to %s\n", file);
		return;
	}
	const char **w;
	int n = words(rest, &w);
	if (n < 1 || n > 2) {
		fail(r, "write: save scenario NAME, or save scenario NAME FILE.json");
		return;
	}
	if (!good_name(w[0]) || strcmp(w[0], "current") == 0) {
		fail(r, "'%s' cannot name a scenario; use letters, digits, _ and - (and not 'current')", w[0]);
		return;
	}
	Scenario *s = find_scenario(r, w[0], false);
	bool existed = s != NULL;
	if (!s) {
		Scenario z = {w[0], {NULL, false, 0}};
		AST_PUSH(r->scen, r->nscen, z);
		s = &r->scen[r->nscen - 1];
	} else {
		state_free(&s->st);
	}
	s->st = state_copy(&r->cur);
	if (n == 2) {
		if (save_state(r, &s->st, w[1]))
			say("%s scenario %s and wrote it to %s\n", existed ? "replaced" : "saved", w[0], w[1]);
		else
			say("scenario %s is %s in this session all the same; only the file was not written\n", w[0],
			    existed ? "replaced" : "kept");
	} else {
		say("%s scenario %s\n", existed ? "replaced" : "saved", w[0]);
	}
}

static void cmd_use(Repl *r, const char *arg)
{
	const char **w;
	if (words(arg, &w) != 1) {
		fail(r, "write: use NAME (a scenario kept with 'save scenario NAME')");
		return;
	}
	Scenario *s = find_scenario(r, w[0], true);
	if (!s)
		return;
	Buf notes = {0};
	State st = scenario_state(r, s, &notes);
	fputs(buf_cstr(&notes), stdout);
	state_free(&r->cur);
	r->cur = st;
	say("using scenario %s (as of %s)\n", s->name, day_text(state_day(&r->cur)));
}

static void cmd_scenarios(Repl *r)
{
	if (!r->nscen) {
		say("no scenarios yet; keep the current facts with: save scenario NAME\n");
		return;
	}
	for (int i = 0; i < r->nscen; i++) {
		int n, given = 0;
		State st = scenario_state(r, &r->scen[i], NULL);
		Leaf *l = state_leaves(r, &st, &n);
		for (int k = 0; k < n; k++)
			given += l[k].given;
		state_free(&st);
		say("%s  as of %s, %d fact%s given\n", r->scen[i].name, day_text(state_day(&r->scen[i].st)), given,
		    given == 1 ? "" : "s");
	}
}

/* The facts of a scenario by name ('current' too), as a copy for the
 * caller to free; false (reported) when there is none. */
static bool named_state(Repl *r, const char *name, State *out)
{
	if (strcmp(name, "current") == 0) {
		*out = state_copy(&r->cur);
		return true;
	}
	Scenario *s = find_scenario(r, name, true);
	if (s)
		*out = scenario_state(r, s, NULL);
	return s != NULL;
}

/* Facts and decisions that differ between two scenarios. */
static void compare(Repl *r, const State *a, const State *b)
{
	int na, nb, nf = 0;
	Leaf *la = state_leaves(r, a, &na), *lb = state_leaves(r, b, &nb);
	Buf out = {0};
	if (state_day(a) != state_day(b))
		buf_printf(&out, "  as of: %s -> %s\n", day_text(state_day(a)), day_text(state_day(b)));
	for (int i = 0; i < nb; i++)
		for (int k = 0; k < na; k++)
			if (strcmp(la[k].path, lb[i].path) == 0) {
				const char *x = la[k].v.tag == V_UNKNOWN ? "not given" : fmt_value_str(r->p, la[k].v);
				const char *y = lb[i].v.tag == V_UNKNOWN ? "not given" : fmt_value_str(r->p, lb[i].v);
				if (strcmp(x, y) != 0) {
					buf_printf(&out, "  %s: %s -> %s\n", lb[i].path, x, y);
					nf++;
				}
			}
	if (out.n) {
		say("facts:\n%s", buf_cstr(&out));
	} else {
		say("the facts are the same\n");
	}
	Snap sa, sb;
	if (!snap(r, a, true, true, &sa) || !snap(r, b, true, true, &sb))
		return;
	bool any = false;
	for (int i = 0; i < sb.n && !any; i++)
		any = strcmp(sa.text[i], sb.text[i]) != 0;
	if (!any) {
		say("no decision differs\n");
		return;
	}
	say("decisions:\n");
	changes(r, &sa, &sb, true, "  ");
}

static void cmd_diff(Repl *r, const char *arg)
{
	const char **w;
	if (words(arg, &w) != 2) {
		fail(r, "write: diff A B, with two scenario names ('current' is the current facts)");
		return;
	}
	State a, b;
	if (!named_state(r, w[0], &a))
		return;
	if (named_state(r, w[1], &b)) {
		compare(r, &a, &b);
		state_free(&b);
	}
	state_free(&a);
}

/* ----------------------------------------------------------- questions */

/* A question: its words with any `as of DATE` cut off, and the scenario it
 * is asked in (the current one, or it at that date).  False, reported, when
 * the date is wrong. */
static bool question(Repl *r, const char *arg, char **text, State *s)
{
	*text = (char *)ast_strdup(arg, strlen(arg));
	bool dated = false;
	date_t as_of = 0;
	int has = cut_as_of(r, *text, &dated, &as_of);
	if (has < 0)
		return false;
	*s = r->cur;
	if (has) {
		s->dated = dated;
		s->as_of = as_of;
	}
	return true;
}

static Query *compile_question(Repl *r, const char *text)
{
	Diags *d = diag_new();
	Query *q = query_compile(r->p, text, xprintf("<repl>"), d);
	if (!q || d->nerrors) {
		show_diags(r, d);
		return NULL;
	}
	return q;
}

/* Compile and evaluate a question in scenario s; false after reporting. */
static bool ask(Repl *r, const char *text, const State *s, bool trace, Query **q, Ctx **c, Value *v)
{
	if (!(*q = compile_question(r, text)))
		return false;
	*c = state_ctx(r, s, trace, true);
	/* facts that break a requirement decide nothing, as in edict eval */
	const char *broken, *cite;
	Loc at;
	int st = query_requires(*c, &broken, &at, &cite);
	if (st == ST_FACTS) {
		say("error: %s\n", broken);
		r->nerrors++;
		return false;
	}
	vm_reset(*c);
	if (st != ST_OK || query_run(*c, *q, v) != ST_OK) {
		eval_failed(r, *c, (*q)->own->diags);
		return false;
	}
	return true;
}

/* Under an answer: the parameters the scenario changes, so that a value
 * is never taken for the rules' own. */
static void changed_params_note(Repl *r, const State *s)
{
	Buf b = {0};
	for (int i = 0; i < s->nparams; i++) {
		const Decl *d;
		Value v;
		const char *err;
		if (!param_value(r, &s->params[i], &d, &v, &err))
			continue;
		buf_printf(&b, "%s%s = ", b.n ? ", " : "", d->qname);
		fmt_value(r->p, v, &b);
	}
	if (b.n)
		say("  (with %s, changed from the rules)\n", buf_cstr(&b));
}

static void cmd_expr(Repl *r, const char *input)
{
	char *text;
	State s;
	Query *q;
	Ctx *c;
	Value v;
	if (!question(r, input, &text, &s) || !ask(r, text, &s, false, &q, &c, &v))
		return;
	Buf b = {0};
	value_line(r->p, v, &b);
	say("%s\n", buf_cstr(&b));
	changed_params_note(r, &s);
}

/* `DECISION = VALUE` reads like setting it, but a decision is not set:
 * it is the comparison the rules' `=` means, and a note under the answer
 * says so.  The decision on the left, or NULL. */
static const Decl *compared_decision(Repl *r, const char *s)
{
	const char *e;
	const Decl *d = decl_at(r, s, &e);
	e = skip_ws(e);
	return d && d->kind != D_PARAM && e[0] == '=' && e[1] != '=' && e[1] != '>' ? d : NULL;
}

static void cmd_compare(Repl *r, const char *input, const Decl *d)
{
	int errors = r->nerrors;
	cmd_expr(r, input);
	if (r->nerrors == errors)
		say("  ('=' compares: %s is decided by the rules and cannot be set; change the facts it uses, "
		    "or try them with: what if PATH = VALUE)\n",
		    d->qname);
}

static void cmd_decisions(Repl *r, const char *arg)
{
	char *text;
	State s;
	if (!question(r, arg, &text, &s))
		return;
	if (*skip_ws(text)) {
		fail(r, "decisions takes no argument (but: decisions as of DATE)");
		return;
	}
	Snap sn;
	if (!snap(r, &s, false, false, &sn))
		return;
	Buf b = {0};
	for (int i = 0; i < sn.n; i++) {
		buf_printf(&b, "%s = ", r->p->decls[sn.idx[i]]->qname);
		if (strncmp(sn.text[i], "error (", 7) == 0)
			buf_puts(&b, sn.text[i]);
		else
			value_line(r->p, sn.v[i], &b);
		buf_puts(&b, "\n");
	}
	if (!sn.n)
		buf_puts(&b, "the rules have no public decisions\n");
	fputs(buf_cstr(&b), stdout);
}

static void cmd_explain(Repl *r, const char *arg)
{
	char *text;
	State s;
	/* `explain full NAME`: every item of a loop and the inside of the functions called */
	const char *rest = word(arg, "full");
	bool full = rest && *rest;
	if (full)
		arg = rest;
	else if (rest && !prog_find_decl(r->p, "full")) {
		fail(r, "explain full needs a decision or an expression after it, like: explain full priority");
		return;
	}
	if (!question(r, arg, &text, &s))
		return;
	if (!*skip_ws(text)) {
		fail(r, "explain needs a decision or an expression, like: explain priority");
		return;
	}
	Query *q;
	Ctx *c;
	Value v;
	if (!ask(r, text, &s, true, &q, &c, &v))
		return;
	Buf b = {0};
	buf_printf(&b, "as of %s\n", day_text(c->as_of));
	ctx_set_explain_full(c, full);
	explain_text(c, q->decl, trim_copy(q->text, strlen(q->text)), v, &b, NULL);
	fputs(buf_cstr(&b), stdout);
}

/* How a fact's value is written, for the officer who must give it. */
static const char *type_hint(const Type *t)
{
	if (!t)
		return NULL;
	if (t->kind == TY_ENUM) {
		char *s = xprintf("one of");
		for (int i = 0; i < t->def->nmembers; i++)
			s = xprintf("%s%s%s", s, i ? ", " : " ", t->def->members[i]);
		return s;
	}
	return ty_name(t);
}

static const char *example_value(const Type *t, date_t as_of)
{
	switch (t ? t->kind : TY_ERROR) {
	case TY_ENUM: return t->def->members[0];
	case TY_BOOL: return "true";
	case TY_INT: return "1";
	case TY_DEC: return "1.5";
	case TY_PCT: return "10%";
	case TY_MONEY: {
		char c[4] = "KRW";
		if (t->cur)
			val_currency_text(t->cur, c);
		return xprintf("1_000_000 %s", c);
	}
	case TY_DATE: return day_text(as_of);
	case TY_DUR: return "30 days";
	case TY_STR: return "\"...\"";
	case TY_HS: return "hs \"6205.20\"";
	default: return NULL;
	}
}

typedef struct Need {
	const char *path;
	int order;
	const char **by;
	int nby;
} Need;

static int by_need(const void *a, const void *b)
{
	const Need *x = a, *y = b;
	if (x->nby != y->nby)
		return y->nby - x->nby;
	return x->order - y->order;
}

static void cmd_missing(Repl *r, const char *arg)
{
	char *text;
	State s;
	if (!question(r, arg, &text, &s))
		return;
	if (!*skip_ws(text)) {
		fail(r, "missing needs a decision, like: missing award");
		return;
	}
	Query *q;
	Ctx *c;
	Value v;
	if (!ask(r, text, &s, false, &q, &c, &v))
		return;
	const char *label = q->decl >= 0 ? r->p->decls[q->decl]->qname : trim_copy(q->text, strlen(q->text));
	if (v.tag != V_UNKNOWN) {
		say("%s is decided: %s; no fact is missing\n", label, fmt_value_str(r->p, v));
		return;
	}
	if (!v.as.m || !v.as.m->len) {
		say("%s is unknown, but not for want of a fact: the rules themselves give unknown here\n", label);
		return;
	}
	/* most useful first: the facts that hold up the most undecided decisions */
	Need *need = GC_MALLOC(sizeof(Need) * v.as.m->len);
	for (uint32_t i = 0; i < v.as.m->len; i++) {
		need[i].path = v.as.m->paths[i]->data;
		need[i].order = (int)i;
	}
	ctx_set_limits(c, VM_DEFAULT_MAX_STEPS, 0); /* the others only rank the facts */
	for (int i = 0; i < r->p->ndecls; i++) {
		if (!shown_decl(r->p->decls[i], false))
			continue;
		Value dv;
		int st = vm_eval_decl(c, i, &dv);
		if (st == ST_INTERRUPTED) {
			eval_failed(r, c, r->p->diags);
			return;
		}
		if (st != ST_OK || dv.tag != V_UNKNOWN || !dv.as.m)
			continue;
		for (uint32_t k = 0; k < dv.as.m->len; k++)
			for (uint32_t j = 0; j < v.as.m->len; j++)
				if (strcmp(dv.as.m->paths[k]->data, need[j].path) == 0)
					AST_PUSH(need[j].by, need[j].nby, r->p->decls[i]->name);
	}
	qsort(need, v.as.m->len, sizeof *need, by_need);
	say("%s is unknown. Facts still needed, most useful first:\n", label);
	for (uint32_t i = 0; i < v.as.m->len; i++) {
		const char **segs;
		const char *err;
		int n = split_path(need[i].path, &segs);
		const Type *t = strchr(need[i].path, '[') ? NULL : path_type(r->p, segs, n, &err);
		const char *hint = type_hint(t);
		say("  %s%s%s%s\n", need[i].path, hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
		if (need[i].nby) {
			Buf b = {0};
			for (int k = 0; k < need[i].nby; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", need[i].by[k]);
			say("      holds up %d undecided decision%s: %s\n", need[i].nby, need[i].nby == 1 ? "" : "s", buf_cstr(&b));
		}
	}
	const char **segs;
	const char *err;
	int n = split_path(need[0].path, &segs);
	const char *ex = strchr(need[0].path, '[') ? NULL : example_value(path_type(r->p, segs, n, &err), c->as_of);
	if (ex)
		say("Give one with a line like: %s = %s\n", need[0].path, ex);
}

static void cmd_why(Repl *r, const char *arg, bool why_not)
{
	char *text;
	State s;
	if (!question(r, arg, &text, &s))
		return;
	char *name = trim_copy(text, strlen(text));
	const char *cmd = why_not ? "why not" : "why";
	if (!*name) {
		fail(r, "%s needs a yes/no decision, like: %s priority", cmd, cmd);
		return;
	}
	Decl *d = prog_find_decl(r->p, name);
	if (!d || (d->kind != D_DECISION && d->kind != D_TABLE)) {
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(r->p->ndecls + 1));
		int nc = 0;
		for (int i = 0; i < r->p->ndecls; i++)
			if (r->p->decls[i]->kind != D_PARAM)
				cands[nc++] = r->p->decls[i]->name;
		const char *best = diag_closest(name, cands, nc);
		fail(r, "there is no decision named '%s'%s", name, best ? xprintf("; did you mean '%s'?", best) : "");
		return;
	}
	if (!d->type || d->type->kind != TY_BOOL) {
		fail(r, "'%s %s' works on yes/no decisions; %s is %s (try: explain %s)", cmd, name, d->qname, ty_name(d->type), name);
		return;
	}
	Ctx *c = state_ctx(r, &s, false, true);
	Value v;
	if (vm_eval_decl(c, d->index, &v) != ST_OK) {
		eval_failed(r, c, r->p->diags);
		return;
	}
	/* what would flip it; for an unknown decision, the value asked about */
	bool want = v.tag == V_BOOL ? !v.as.i : why_not;
	Buf b = {0};
	const char *err = NULL;
	int st = whynot_explain(c, d->index, want, &b, &err);
	fputs(buf_cstr(&b), stdout);
	if (st != ST_OK) {
		if (st == ST_INTERRUPTED) {
			say("interrupted\n");
			r->nerrors++;
		} else {
			fail(r, "%s", err ? err : "the analysis failed");
		}
	}
}

/* Where the change of a what-if starting at start ends: at the `and`
 * that starts another change (outside brackets and strings), or len. */
static size_t change_end(Repl *r, const char *input, size_t start, size_t len)
{
	size_t e = start;
	int depth = 0;
	bool str = false;
	for (; e < len; e++) {
		char ch = input[e];
		if (str) {
			if (ch == '\\')
				e++;
			else if (ch == '"')
				str = false;
			continue;
		}
		if (ch == '"')
			str = true;
		else if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if (ch == ')' || ch == ']' || ch == '}')
			depth--;
		else if (depth == 0 && e > start && (input[e - 1] == ' ' || input[e - 1] == '\t' || input[e - 1] == '\n')) {
			const char *after = word(input + e, "and");
			if (after && (word(after, "as") || looks_like_set(r, after)))
				break;
		}
	}
	return e;
}

/* One change of a what-if, input[start..e), into s: a date, a parameter
 * or a fact; false after saying what is wrong. */
static bool apply_change(Repl *r, const char *input, size_t start, size_t e, State *s)
{
	const char *part = skip_ws(input + start);
	const char *as = word(part, "as");
	if (as && word(as, "of")) {
		char *one = trim_copy(input + start, e - start);
		bool one_dated = false;
		date_t d = 0;
		int got = cut_as_of(r, one, &one_dated, &d);
		if (got <= 0 || *skip_ws(one)) {
			if (got >= 0)
				fail(r, "write the date alone: what if as of 2027-01-01");
			return false;
		}
		s->dated = one_dated;
		s->as_of = d;
		return true;
	}
	if (decl_at(r, part, &as) && !param_at(r, part, &as)) {
		fail(r, "%s is decided by the rules; what if changes facts and parameters", decl_at(r, part, &as)->qname);
		return false;
	}
	if (param_at(r, part, &as))
		return param_given(r, input, (size_t)(part - input), e, s);
	Given g;
	return given(r, piece(r, input, (size_t)(part - input), e), &g) && put(r, s, &g);
}

/* Cut the `and` that ends text after its `as of DATE` was cut, if any. */
static void cut_last_and(char *text, size_t rest_off)
{
	size_t n = strlen(text);
	while (n > rest_off && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n'))
		n--;
	if (n >= rest_off + 3 && strncmp(text + n - 3, "and", 3) == 0 &&
	    (n == rest_off + 3 || !is_name_char((unsigned char)text[n - 4])))
		text[n - 3] = 0;
}

/* `what if a = 1 and b = 2 and as of 2027-01-01`: split at each `and`
 * that starts another change, apply each to a copy of the state, and say
 * which decisions change. */
static void cmd_what_if(Repl *r, const char *input, const char *at)
{
	const char *rest = word(at, "if");
	if (!rest) {
		fail(r, "write: what if company.us_export_share = 12%% [and ...]");
		return;
	}
	/* a last `as of DATE` needs no `and` before it */
	size_t rest_off = (size_t)(rest - input);
	char *text = (char *)ast_strdup(input, strlen(input));
	bool dated = false;
	date_t day = 0;
	int has = cut_as_of(r, text, &dated, &day);
	if (has < 0)
		return;
	if (has)
		cut_last_and(text, rest_off);
	State s = state_copy(&r->cur);
	if (has) {
		s.dated = dated;
		s.as_of = day;
	}
	size_t start = rest_off, len = strlen(text);
	int nchanges = has;
	while (start < len) {
		size_t e = change_end(r, text, start, len);
		if (!apply_change(r, text, start, e, &s)) {
			state_free(&s);
			return;
		}
		nchanges++;
		start = e < len ? (size_t)(word(text + e, "and") - text) : len;
	}
	if (!nchanges) {
		fail(r, "write: what if company.us_export_share = 12%% [and ...]");
		state_free(&s);
		return;
	}
	Snap a, b;
	if (snap(r, &r->cur, true, true, &a) && snap(r, &s, true, true, &b) && !changes(r, &a, &b, true, ""))
		say("no decision changes\n");
	state_free(&s);
}

/* The parameters a scenario changes, a line each. */
static void params_text(Repl *r, const State *s, Buf *b)
{
	for (int i = 0; i < s->nparams; i++) {
		const Decl *d;
		Value v;
		const char *err;
		if (!param_value(r, &s->params[i], &d, &v, &err)) {
			buf_printf(b, "%s: left out, %s\n", s->params[i].qname, err);
			continue;
		}
		buf_printf(b, "%s = ", d->qname);
		fmt_value(r->p, v, b);
		buf_printf(b, "  # changed from the rules (unset %s to undo)\n", d->qname);
	}
}

static void cmd_facts(Repl *r)
{
	int n;
	Leaf *l = state_leaves(r, &r->cur, &n);
	Buf b = {0}, absent = {0};
	buf_printf(&b, "as of %s%s\n", day_text(state_day(&r->cur)), r->cur.dated ? "" : " (today)");
	int nabsent = 0;
	for (int i = 0; i < n; i++) {
		if (l[i].v.tag == V_UNKNOWN) {
			buf_printf(&absent, "%s%s", nabsent++ ? ", " : "", l[i].path);
			continue;
		}
		buf_printf(&b, "%s = ", l[i].path);
		fmt_value(r->p, l[i].v, &b);
		buf_puts(&b, l[i].given ? "\n" : "  # default\n");
	}
	if (nabsent)
		buf_printf(&b, "not given: %s\n", buf_cstr(&absent));
	params_text(r, &r->cur, &b);
	fputs(buf_cstr(&b), stdout);
}

static void cmd_as_of(Repl *r, const char *arg)
{
	char *d = trim_copy(arg, strlen(arg));
	if (!*d) {
		say("as of %s%s\n", day_text(state_day(&r->cur)), r->cur.dated ? "" : " (today)");
		return;
	}
	if (strcmp(d, "today") == 0) {
		r->cur.dated = false;
		say("as of %s (today)\n", day_text(state_day(&r->cur)));
		return;
	}
	date_t t;
	int rc = date_parse(d, strlen(d), &t);
	if (rc != 0) {
		fail(r, "%s", rc == -2 ? xprintf("%s is not a day of the calendar", d)
				       : xprintf("'%s' is not a date; write it like as of 2026-12-01 (or as of today)", d));
		return;
	}
	r->cur.dated = true;
	r->cur.as_of = t;
	say("as of %s\n", day_text(t));
}

static const char *help_text =
	"Ask the rules questions; change facts and compare.  Each command, then an example:\n"
	"\n"
	"  NAME or EXPRESSION           evaluate a decision or any expression\n"
	"                                 priority     award * 2     company.size in [sme, midsize]\n"
	"  ... as of DATE               ask one question as of another date\n"
	"                                 priority as of 2027-06-01\n"
	"  decisions                    every public decision and its value\n"
	"  explain NAME                 how a decision was reached, with its sources\n"
	"                                 explain priority\n"
	"  explain full NAME            the same, with each item of a loop and the inside of functions\n"
	"                                 explain full award\n"
	"  missing NAME                 the facts still needed to decide it, most useful first\n"
	"                                 missing award\n"
	"  why not NAME / why NAME      the smallest change of facts that would flip a yes/no decision\n"
	"                                 why not priority\n"
	"  what if PATH = VALUE [and ...]   the decisions that would change, and why; the facts stay\n"
	"                                 what if company.us_export_share = 12% and company.size = large\n"
	"                                 what if as of 2027-06-01\n"
	"                                 what if voucher.cap = 70_000_000 KRW   (a parameter: a policy change)\n"
	"  PATH = VALUE                 set a fact, in the rules' notation (also: set PATH = VALUE)\n"
	"                                 company.us_export_share = 12%\n"
	"  PARAM = VALUE                change a parameter for the session (shown under answers)\n"
	"                                 voucher.cap = 70_000_000 KRW\n"
	"  unset PATH / unset PARAM     forget a fact (its default, or unknown, applies again),\n"
	"                                 or a changed parameter (the rules' value applies again)\n"
	"                                 unset company.size\n"
	"  facts                        the current facts, and the parameters changed\n"
	"  load FILE.json               replace the current facts with a JSON facts file\n"
	"                                 load examples/voucher/company.json\n"
	"  save FILE.json               write the current facts to a JSON file (safely)\n"
	"                                 save company-2.json\n"
	"  as of DATE                   the date of every question from now on ('as of' shows it)\n"
	"                                 as of 2026-12-01     as of today\n"
	"  save scenario NAME [FILE]    keep the current facts under a name (and write them)\n"
	"                                 save scenario base\n"
	"  use NAME                     make a kept scenario the current facts\n"
	"                                 use base\n"
	"  scenarios                    list the kept scenarios\n"
	"  diff A B                     compare two scenarios ('current' is the current facts)\n"
	"                                 diff base current\n"
	"  reload                       read the rule files again (done by itself when they change)\n"
	"  help                         this list\n"
	"  quit                         leave (or Ctrl-D); Ctrl-C stops a long evaluation\n"
	"\n"
	"Values are written as in the rule files: 12%, 50_000_000 KRW, 2026-12-01, 14 days, sme,\n"
	"\"text\", [1, 2], {size: sme}.  A line may go on while a bracket is open.\n";

/* ------------------------------------------------------------- dispatch */

/* Is s the command `cmd` with nothing after it?  With more after it, says
 * that the command takes no argument (`quit now` does not quit). */
static bool alone(Repl *r, const char *s, const char *cmd)
{
	const char *a = word(s, cmd);
	if (!a)
		return false;
	if (!*a)
		return true;
	fail(r, "'%s' takes nothing after it; write just: %s", cmd, cmd);
	return false;
}

/* `facts ...` with words after it: a question about a fact or decision
 * named facts, where the rules have one, not the command. */
static bool facts_expr(Repl *r)
{
	return prog_find_fact(r->p, "facts") || prog_find_decl(r->p, "facts");
}

static void handle(Repl *r, const char *input)
{
	const char *s = skip_ws(input);
	if (!*s || *s == '#')
		return;
	const char *a;
	if ((a = word(s, "help")) || strcmp(s, "?") == 0) {
		fputs(help_text, stdout);
		return;
	}
	if (alone(r, s, "quit") || alone(r, s, "exit")) {
		r->quit = true;
		return;
	}
	if (alone(r, s, "reload")) {
		reload(r, true);
		return;
	}
	if (word(s, "quit") || word(s, "exit") || word(s, "reload"))
		return; /* refused by alone() */
	maybe_reload(r);
	if ((a = word(s, "load")))
		cmd_load(r, a);
	else if ((a = word(s, "save")))
		cmd_save(r, a);
	else if ((a = word(s, "use")))
		cmd_use(r, a);
	else if ((a = word(s, "diff")))
		cmd_diff(r, a);
	else if (word(s, "scenarios")) {
		if (alone(r, s, "scenarios"))
			cmd_scenarios(r);
	} else if ((a = word(s, "facts")) && !(*a && facts_expr(r))) {
		if (alone(r, s, "facts"))
			cmd_facts(r);
	}
	else if ((a = word(s, "decisions")))
		cmd_decisions(r, a);
	else if ((a = word(s, "unset")))
		cmd_unset(r, a);
	else if ((a = word(s, "set")))
		cmd_set(r, input, a);
	else if ((a = word(s, "as")) && (a = word(a, "of")))
		cmd_as_of(r, a);
	else if (strcmp(s, "as of") == 0)
		cmd_as_of(r, "");
	else if ((a = word(s, "explain")))
		cmd_explain(r, a);
	else if ((a = word(s, "missing")))
		cmd_missing(r, a);
	else if ((a = word(s, "why")) && word(a, "not"))
		cmd_why(r, word(a, "not"), true);
	else if ((a = word(s, "why")))
		cmd_why(r, a, false);
	else if ((a = word(s, "what")))
		cmd_what_if(r, input, a);
	else if (looks_like_set(r, s))
		cmd_set(r, input, s);
	else if (compared_decision(r, s))
		cmd_compare(r, s, compared_decision(r, s));
	else
		cmd_expr(r, s);
}

typedef struct Command {
	Repl *r;
	const char *text;
} Command;

static void command_body(void *ud)
{
	Command *k = ud;
	handle(k->r, k->text);
}

/* Running out of memory ends the command, not the session. */
static void run_command(Repl *r, const char *text)
{
	Command k = {r, text};
	if (pr_call(command_body, &k) == ST_MEMORY) {
		say("error: out of memory; the command was stopped\n");
		r->nerrors++;
	}
}

/* ------------------------------------------------------------ completion */

static const char *const commands[] = {"help",	    "quit",	 "exit",	"load",	   "save", "use",
				       "diff",	    "scenarios", "set",		"unset",   "facts", "as",
				       "explain",   "missing",	 "why",		"what",	   "reload", "decisions"};

typedef struct Cands {
	const char **v;
	int n;
} Cands;

static void cand(Cands *c, const char *prefix, const char *s)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		return;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	AST_PUSH(c->v, c->n, s);
}

/* Fact paths below a type, for completing `company.` */
static void fact_paths(Cands *c, const char *prefix, const Type *t, const char *path, int depth)
{
	cand(c, prefix, path);
	if (t->kind != TY_REC || depth > 6)
		return;
	for (int i = 0; i < t->def->nfields; i++)
		fact_paths(c, prefix, t->def->fields[i].type, xprintf("%s.%s", path, t->def->fields[i].name), depth + 1);
}

static int dots(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '.';
	return n;
}

static void name_cands(Repl *r, Cands *c, const char *prefix, bool decisions_only, bool facts_only)
{
	const Program *p = r->p;
	Cands all = {0};
	if (!facts_only)
		for (int i = 0; i < p->ndecls; i++) {
			Decl *d = p->decls[i];
			if (decisions_only && d->kind != D_DECISION && d->kind != D_TABLE)
				continue;
			cand(&all, prefix, d->name);
			cand(&all, prefix, d->qname);
			if (d->module && d->module->name)
				cand(&all, prefix, d->module->name);
		}
	if (!decisions_only) {
		for (int i = 0; i < p->nfacts; i++)
			fact_paths(&all, prefix, p->facts[i]->type, p->facts[i]->name, 0);
		if (!facts_only)
			for (int i = 0; i < p->nfuncs; i++) {
				cand(&all, prefix, p->funcs[i]->name);
				cand(&all, prefix, p->funcs[i]->qname);
			}
	}
	/* one level at a time: `comp` offers company, `company.` its fields */
	int want = dots(prefix);
	for (int i = 0; i < all.n; i++)
		if (dots(all.v[i]) == want)
			cand(c, prefix, all.v[i]);
}

static void member_cands(Repl *r, Cands *c, const char *prefix, const Type *only)
{
	for (int i = 0; i < r->p->ntypes; i++) {
		TypeDef *td = r->p->types[i];
		if (!td->is_enum || (only && only->def != td))
			continue;
		for (int k = 0; k < td->nmembers; k++)
			cand(c, prefix, td->members[k]);
	}
}

static void file_cands(Cands *c, const char *prefix)
{
	const char *slash = strrchr(prefix, '/');
	const char *dir = slash ? (slash == prefix ? "/" : ast_strdup(prefix, (size_t)(slash - prefix))) : ".";
	const char *base = slash ? slash + 1 : prefix;
	DIR *dh = opendir(dir);
	if (!dh)
		return;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (strncmp(e->d_name, base, strlen(base)) != 0 || (e->d_name[0] == '.' && base[0] != '.'))
			continue;
		const char *full = slash ? xprintf("%.*s%s", (int)(slash - prefix + 1), prefix, e->d_name) : e->d_name;
		struct stat st;
		const char *on_disk = slash ? full : e->d_name;
		if (stat(on_disk, &st) == 0 && S_ISDIR(st.st_mode))
			full = xprintf("%s/", full);
		cand(c, prefix, ast_strdup(full, strlen(full)));
	}
	closedir(dh);
}

/* The type of the fact path just before "=" at the end of text, if any. */
static const Type *assigned_type(Repl *r, const char *before)
{
	size_t n = strlen(before);
	while (n && before[n - 1] == ' ')
		n--;
	if (!n || before[n - 1] != '=')
		return NULL;
	n--;
	while (n && before[n - 1] == ' ')
		n--;
	size_t e = n;
	while (n && (is_name_char((unsigned char)before[n - 1]) || before[n - 1] == '.'))
		n--;
	if (n == e)
		return NULL;
	const char **segs;
	const char *err;
	int k = split_path(ast_strdup(before + n, e - n), &segs);
	return path_type(r->p, segs, k, &err);
}

static void list_cands(const Cands *c)
{
	size_t w = 0;
	for (int i = 0; i < c->n; i++)
		if (strlen(c->v[i]) > w)
			w = strlen(c->v[i]);
	int cols = (int)(78 / (w + 2));
	if (cols < 1)
		cols = 1;
	fputs("\n", stdout);
	for (int i = 0; i < c->n; i++)
		printf("%-*s%s", (int)(w + 2), c->v[i], (i + 1) % cols == 0 || i + 1 == c->n ? "\n" : "");
	fflush(stdout);
}

/* The candidates for completing prefix after the words before it: file
 * names, commands, names, members, keywords. */
static void gather_cands(Repl *r, Cands *c, const char *before, const char *prefix, bool files)
{
	if (files) {
		file_cands(c, prefix);
	} else if (!*before) {
		for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
			cand(c, prefix, commands[i]);
		name_cands(r, c, prefix, false, false);
	} else if (!strcmp(before, "explain") || !strcmp(before, "missing") || !strcmp(before, "why") ||
		   !strcmp(before, "why not")) {
		if (!strcmp(before, "why"))
			cand(c, prefix, "not");
		name_cands(r, c, prefix, true, false);
	} else if (!strcmp(before, "what")) {
		cand(c, prefix, "if");
	} else if (!strcmp(before, "as")) {
		cand(c, prefix, "of");
	} else if (!strcmp(before, "save")) {
		cand(c, prefix, "scenario");
		file_cands(c, prefix);
	} else if (!strcmp(before, "use") || !strcmp(before, "save scenario") || word(before, "diff")) {
		for (int i = 0; i < r->nscen; i++)
			cand(c, prefix, r->scen[i].name);
		if (word(before, "diff"))
			cand(c, prefix, "current");
	} else if (!strcmp(before, "unset") || !strcmp(before, "set") || !strcmp(before, "what if") ||
		   (word(before, "what") && strlen(before) > 4 && !strcmp(before + strlen(before) - 4, " and"))) {
		name_cands(r, c, prefix, false, true);
		if (!strcmp(before, "what if") || strlen(before) > 7)
			cand(c, prefix, "as");
	} else {
		const Type *t = assigned_type(r, before);
		if (t && t->kind == TY_ENUM) {
			member_cands(r, c, prefix, t);
		} else if (t && t->kind == TY_BOOL) {
			cand(c, prefix, "true");
			cand(c, prefix, "false");
		} else {
			name_cands(r, c, prefix, false, false);
			member_cands(r, c, prefix, NULL);
			for (int i = 0; i < kw_count; i++)
				if (kw_table[i].cls == KW_EXPR)
					cand(c, prefix, kw_table[i].text);
			for (int i = 0; i < bi_count; i++)
				cand(c, prefix, bi_table[i].name);
		}
	}
}

/* Complete with the one candidate, or the part all of them share, or list
 * them. */
static unsigned char insert_cands(EditLine *e, Repl *r, Cands *c, const char *prefix, bool files)
{
	if (!c->n)
		return CC_REFRESH_BEEP;
	qsort(c->v, (size_t)c->n, sizeof *c->v, cmp_str);
	size_t plen = strlen(prefix);
	if (c->n == 1) {
		const char *full = c->v[0];
		ed.insertstr(e, full + plen);
		/* a record fact goes on with its fields; a directory with its files */
		size_t fl = strlen(full);
		if (fl && full[fl - 1] != '/') {
			const char **segs;
			const char *err;
			int k = split_path(full, &segs);
			const Type *t = !files && prog_find_fact(r->p, segs[0]) ? path_type(r->p, segs, k, &err) : NULL;
			ed.insertstr(e, t && t->kind == TY_REC ? "." : " ");
		}
		return CC_REFRESH;
	}
	size_t common = strlen(c->v[0]);
	for (int i = 1; i < c->n; i++) {
		size_t k = 0;
		while (k < common && c->v[i][k] == c->v[0][k])
			k++;
		common = k;
	}
	if (common > plen) {
		ed.insertstr(e, ast_strdup(c->v[0] + plen, common - plen));
		return CC_REFRESH;
	}
	list_cands(c);
	return CC_REDISPLAY;
}

static unsigned char complete(EditLine *e, int ch)
{
	(void)ch;
	Repl *r = the_repl;
	const LineInfo *li = ed.line(e);
	char *line = (char *)ast_strdup(li->buffer, (size_t)(li->cursor - li->buffer));
	const char *s = skip_ws(line);
	const char *a;
	bool files = ((a = word(s, "load")) != NULL) || ((a = word(s, "save")) && !word(a, "scenario")) ||
		     ((a = word(s, "save")) && (a = word(a, "scenario")) && strchr(a, ' '));
	size_t cur = strlen(line), st = cur;
	if (files)
		while (st && line[st - 1] != ' ')
			st--;
	else
		while (st && (is_name_char((unsigned char)line[st - 1]) || line[st - 1] == '.'))
			st--;
	const char *prefix = line + st;
	char *before = trim_copy(line, st);
	Cands c = {0};
	gather_cands(r, &c, before, prefix, files);
	return insert_cands(e, r, &c, prefix, files);
}

/* ----------------------------------------------------------------- input */

static const char *prompt(EditLine *e)
{
	(void)e;
	return continuing ? "   ...> " : "edict> ";
}

static void setup_editor(Repl *r)
{
	if (!open_libedit()) {
		r->interactive = false;
		return;
	}
	r->el = ed.init("edict", stdin, stdout, stderr);
	r->hist = ed.history_init();
	if (!r->el || !r->hist) {
		r->interactive = false;
		return;
	}
	HistEvent ev;
	ed.history(r->hist, &ev, H_SETSIZE, 1000);
	ed.history(r->hist, &ev, H_SETUNIQUE, 1);
	const char *home = getenv("HOME");
	if (home && *home) {
		r->histfile = xprintf("%s/.edict_history", home);
		ed.history(r->hist, &ev, H_LOAD, r->histfile);
	}
	ed.set(r->el, EL_EDITOR, "emacs");
	ed.set(r->el, EL_PROMPT, prompt);
	ed.set(r->el, EL_SIGNAL, 1);
	ed.set(r->el, EL_HIST, ed.history, r->hist);
	ed.set(r->el, EL_ADDFN, "edict-complete", "complete a command, decision, fact or member", complete);
	ed.set(r->el, EL_BIND, "^I", "edict-complete", NULL);
	ed.source(r->el, NULL); /* the officer's ~/.editrc, if any */
}

static void remember(Repl *r, const char *text)
{
	if (!r->hist || !*skip_ws(text))
		return;
	/* one history line per input: a multi-line input joins its lines */
	char *one = (char *)ast_strdup(text, strlen(text));
	if (!strchr(one, '#'))
		for (char *t = one; *t; t++)
			if (*t == '\n')
				*t = ' ';
	HistEvent ev;
	ed.history(r->hist, &ev, H_ENTER, one);
	if (r->histfile)
		ed.history(r->hist, &ev, H_SAVE, r->histfile);
}

/* One input: a line, or several while a bracket stays open.  NULL at the
 * end of the input. */
static const char *read_input(Repl *r)
{
	static char *lbuf;
	static size_t lcap;
	Buf acc = {0};
	continuing = false;
	for (;;) {
		const char *line;
		size_t n;
		if (r->interactive) {
			int count;
			interrupted = 0;
			errno = 0;
			line = ed.gets(r->el, &count);
			if (!line) {
				if (count == -1 && (interrupted || errno == EINTR)) {
					/* Ctrl-C at the prompt: drop what was typed */
					fputs("\n", stdout);
					acc.n = 0;
					continuing = false;
					continue;
				}
				fputs("\n", stdout);
				return acc.n ? buf_cstr(&acc) : NULL;
			}
			n = strlen(line);
		} else {
			ssize_t got = getline(&lbuf, &lcap, stdin);
			if (got < 0)
				return acc.n ? buf_cstr(&acc) : NULL;
			line = lbuf;
			n = (size_t)got;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (r->echo) {
			printf("%s%.*s\n", acc.n ? "... " : "> ", (int)n, line);
			fflush(stdout);
		}
		/* an empty line ends an input even with a bracket open, so one
		 * missing ')' cannot swallow the rest of a script */
		if (continuing && n == 0)
			return buf_cstr(&acc);
		if (acc.n)
			buf_add(&acc, "\n", 1);
		buf_add(&acc, line, n);
		if (open_brackets(buf_cstr(&acc)) <= 0)
			return buf_cstr(&acc);
		continuing = true;
	}
}

/* ------------------------------------------------------------------ main */

static void usage(const char *fmt, const char *arg)
{
	cli_usage("edict", fmt, arg,
		  "Usage: edict repl PATH... [--facts FILE.json] [--as-of DATE] [--echo]");
}

/* The command line: rule paths into r, --facts and --as-of; false after
 * saying what is wrong. */
static bool repl_options(Repl *r, int argc, char **argv, const char **facts, const char **as_of)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--facts") == 0 || strcmp(a, "-f") == 0) {
			if (i + 1 >= argc)
				return usage("%s needs a JSON facts file", a), false;
			*facts = argv[++i];
		} else if (strcmp(a, "--as-of") == 0) {
			if (i + 1 >= argc)
				return usage("%s needs a date like 2026-12-01", a), false;
			*as_of = argv[++i];
		} else if (strcmp(a, "--echo") == 0) {
			r->echo = true;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option '%s'", a), false;
		} else {
			AST_PUSH(r->paths, r->npaths, a);
		}
	}
	if (!r->npaths)
		return usage("'edict repl' needs at least one rule file or directory%s", ""), false;
	return true;
}

/* Leave the session: what it holds freed, the editor ended. */
static void repl_end(Repl *r)
{
	fflush(stdout);
	state_free(&r->cur);
	for (int i = 0; i < r->nscen; i++)
		state_free(&r->scen[i].st);
	if (r->el)
		ed.end(r->el);
	if (r->hist)
		ed.history_end(r->hist);
}

int cmd_repl(int argc, char **argv)
{
	Repl *r = GC_MALLOC(sizeof *r);
	the_repl = r;
	const char *facts = NULL, *as_of = NULL;
	if (!repl_options(r, argc, argv, &facts, &as_of))
		return 2;
	date_t day = 0;
	if (as_of && date_parse(as_of, strlen(as_of), &day) != 0)
		return usage("--as-of needs a real date like 2026-12-01, not '%s'", as_of), 2;

	r->interactive = isatty(STDIN_FILENO);
	const char *nc = getenv("NO_COLOR");
	r->color = r->interactive && isatty(STDOUT_FILENO) && !(nc && *nc);
	r->cur.doc = json_object_new_object();

	r->sig = signature(r);
	Diags *d = diag_new();
	r->p = load_paths(r->paths, r->npaths, d);
	if (d->n)
		show_diags(r, d);
	if (!r->p || d->nerrors) {
		fflush(stdout);
		return 1;
	}
	r->nerrors = 0;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);

	if (facts)
		cmd_load(r, facts);
	if (as_of) {
		r->cur.dated = true;
		r->cur.as_of = day;
		if (facts) /* --as-of wins over the file's date: say so */
			say("as of %s\n", day_text(day));
	}
	if (r->interactive) {
		setup_editor(r);
		int ndec = 0;
		for (int i = 0; i < r->p->ndecls; i++)
			ndec += shown_decl(r->p->decls[i], false);
		say("Edict %s: %d rule file%s, %d decision%s.  'help' lists the commands; Ctrl-D leaves.\n", EDICT_VERSION,
		    r->p->nmods, r->p->nmods == 1 ? "" : "s", ndec, ndec == 1 ? "" : "s");
	}
	for (;;) {
		fflush(stdout);
		const char *text = read_input(r);
		if (!text)
			break;
		if (r->interactive)
			remember(r, text);
		interrupted = 0;
		run_command(r, text);
		if (r->quit)
			break;
	}
	repl_end(r);
	return !r->interactive && r->nerrors ? 1 : 0;
}
