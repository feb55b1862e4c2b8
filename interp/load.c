/*
 * load.c - finding, reading and building the rule files of a rule set.
 */
#include <dirent.h>
#include <errno.h>
#include "mem.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "compile.h"
#include "facts.h"
#include "load.h"
#include "parse.h"
#include "tables.h"

char *load_file(const char *path, size_t max, size_t *len, const char **err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*err = xprintf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	/* read at most max + 1 bytes: one more than allowed says it is too large */
	size_t cap = max < 4096 ? max + 1 : 4096, n = 0;
	char *buf = GC_MALLOC_ATOMIC(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = GC_MALLOC_ATOMIC(ncap + 1);
			memcpy(nb, buf, n);
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		*err = xprintf("cannot read %s", path);
		return NULL;
	}
	if (n > max) {
		*err = xprintf("%s is larger than the limit of %zu bytes", path, max);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

typedef struct Found {
	const char *path;
	const char *module;
} Found;

typedef struct Walk {
	Diags *d;
	Found *files;
	int n;
	const char *root_real;
	dev_t *devs;
	ino_t *inos;
	int nvisit;
} Walk;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static Loc no_loc(const char *file)
{
	Loc l = {file, 0, 0, 0, 0};
	return l;
}

static void walk_dir(Walk *w, const char *dir, const char *prefix, int depth)
{
	if (depth > LOAD_MAX_DIR_DEPTH) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "directories are nested more than %d deep here", LOAD_MAX_DIR_DEPTH);
		return;
	}
	struct stat st;
	if (stat(dir, &st) != 0)
		return;
	for (int i = 0; i < w->nvisit; i++)
		if (w->devs[i] == st.st_dev && w->inos[i] == st.st_ino) {
			diag_add(w->d, SEV_ERROR, no_loc(dir), "this directory is reached again through a symbolic link (a loop); it is read once");
			return;
		}
	int nv = w->nvisit;
	AST_PUSH(w->devs, nv, st.st_dev);
	AST_PUSH(w->inos, w->nvisit, st.st_ino);
	char *real = realpath(dir, NULL);
	if (real) {
		size_t rl = strlen(w->root_real);
		bool inside = strncmp(real, w->root_real, rl) == 0 && (real[rl] == '/' || real[rl] == 0);
		free(real);
		if (!inside) {
			diag_add(w->d, SEV_ERROR, no_loc(dir), "this directory leads outside the rule directory %s; it is not read",
				 w->root_real);
			return;
		}
	}
	DIR *dh = opendir(dir);
	if (!dh) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "cannot read the directory: %s", strerror(errno));
		return;
	}
	const char **names = NULL;
	int nn = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		const char *nm = ast_strdup(e->d_name, strlen(e->d_name));
		AST_PUSH(names, nn, nm);
	}
	closedir(dh);
	if (nn)
		qsort(names, (size_t)nn, sizeof *names, cmp_names);
	for (int i = 0; i < nn; i++) {
		const char *full = xprintf("%s/%s", dir, names[i]);
		if (stat(full, &st) != 0) {
			diag_add(w->d, SEV_ERROR, no_loc(full), "cannot read: %s", strerror(errno));
			continue;
		}
		size_t len = strlen(names[i]);
		if (S_ISDIR(st.st_mode)) {
			walk_dir(w, full, prefix ? xprintf("%s.%s", prefix, names[i]) : names[i], depth + 1);
		} else if (len > 6 && strcmp(names[i] + len - 6, ".edict") == 0) {
			char *rp = realpath(full, NULL);
			if (rp) {
				size_t rl = strlen(w->root_real);
				bool inside = strncmp(rp, w->root_real, rl) == 0 && rp[rl] == '/';
				free(rp);
				if (!inside) {
					diag_add(w->d, SEV_ERROR, no_loc(full), "this file leads outside the rule directory %s; it is not read",
						 w->root_real);
					continue;
				}
			}
			const char *base = ast_strdup(names[i], len - 6);
			Found f = {full, prefix ? xprintf("%s.%s", prefix, base) : base};
			if (w->n >= LOAD_MAX_FILES) {
				diag_add(w->d, SEV_ERROR, no_loc(full), "a rule set may hold at most %d files", LOAD_MAX_FILES);
				return;
			}
			AST_PUSH(w->files, w->n, f);
		}
	}
}

/* ------------------------------------------------------------ stdlib */

/* Where the standard library lives: $EDICT_STDLIB, else the directory the
 * build was configured with (the source tree or the installed share/). */
static const char *stdlib_dir(void)
{
	const char *env = getenv("EDICT_STDLIB");
	if (env && *env)
		return env;
#ifdef EDICT_STDLIB_DIR
	return EDICT_STDLIB_DIR;
#else
	return "stdlib";
#endif
}

static bool have_module(Module **mods, int nmods, const char *name)
{
	for (int i = 0; i < nmods; i++)
		if (mods[i]->name && strcmp(mods[i]->name, name) == 0)
			return true;
	return false;
}

/* Add every `std.*` module that the rule set imports, and those they
 * import in turn.  A std module is stdlib/std/NAME.edict. */
static void add_stdlib(Module ***mods, int *nmods, Diags *d)
{
	for (int i = 0; i < *nmods; i++) {
		Module *m = (*mods)[i];
		for (int j = 0; j < m->nimports; j++) {
			const char *name = m->imports[j].name;
			if (strncmp(name, "std.", 4) != 0 || have_module(*mods, *nmods, name))
				continue;
			char *rel = xprintf("%s", name);
			for (char *q = rel; *q; q++)
				if (*q == '.')
					*q = '/';
			const char *path = xprintf("%s/%s.edict", stdlib_dir(), rel);
			size_t len;
			const char *err;
			char *text = load_file(path, LOAD_MAX_FILE_BYTES, &len, &err);
			if (!text)
				continue; /* the checker reports the unknown module */
			Source *src = GC_MALLOC(sizeof *src);
			src->path = path;
			src->text = text;
			src->len = len;
			Module *sm = parse_module(src, d);
			if (!sm)
				continue;
			sm->name = name;
			AST_PUSH(*mods, *nmods, sm);
		}
	}
}

static Program *build(Module **mods, int nmods, Diags *d)
{
	add_stdlib(&mods, &nmods, d);
	Program *p = chk_program(mods, nmods, d);
	if (d->nerrors == 0) {
		cg_program(p);
		facts_prepare(p);
		for (int i = 0; i < p->ndecls; i++)
			tab_analyze(p, p->decls[i], d);
	}
	return p;
}

Program *load_sources(const Source *const *srcs, int nsrcs, Diags *d)
{
	Module **mods = NULL;
	int nmods = 0;
	for (int i = 0; i < nsrcs; i++) {
		Module *m = parse_module(srcs[i], d);
		if (!m)
			continue;
		if (!m->name) {
			const char *b = strrchr(srcs[i]->path, '/');
			b = b ? b + 1 : srcs[i]->path;
			size_t len = strlen(b);
			m->name = len > 6 && strcmp(b + len - 6, ".edict") == 0 ? ast_strdup(b, len - 6) : b;
		}
		AST_PUSH(mods, nmods, m);
	}
	return build(mods, nmods, d);
}

Program *load_paths(const char *const *paths, int npaths, Diags *d)
{
	Walk w = {0};
	w.d = d;
	for (int i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			diag_add(d, SEV_ERROR, no_loc(NULL), "cannot read %s: %s", paths[i], strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			char *real = realpath(paths[i], NULL);
			w.root_real = real ? ast_strdup(real, strlen(real)) : paths[i];
			free(real);
			size_t len = strlen(paths[i]);
			const char *dir = len > 1 && paths[i][len - 1] == '/' ? ast_strdup(paths[i], len - 1) : paths[i];
			walk_dir(&w, dir, NULL, 0);
		} else {
			const char *b = strrchr(paths[i], '/');
			b = b ? b + 1 : paths[i];
			size_t len = strlen(b);
			Found f = {paths[i], len > 6 && strcmp(b + len - 6, ".edict") == 0 ? ast_strdup(b, len - 6) : b};
			AST_PUSH(w.files, w.n, f);
		}
	}
	if (d->nerrors)
		return NULL;
	if (w.n == 0) {
		diag_add(d, SEV_ERROR, no_loc(NULL), "no rule files (*.edict) were found in %s", npaths ? paths[0] : "the arguments");
		return NULL;
	}
	Module **mods = NULL;
	int nmods = 0;
	for (int i = 0; i < w.n; i++) {
		size_t len;
		const char *err;
		char *text = load_file(w.files[i].path, LOAD_MAX_FILE_BYTES, &len, &err);
		if (!text) {
			diag_add(d, SEV_ERROR, no_loc(NULL), "%s", err);
			continue;
		}
		Source *src = GC_MALLOC(sizeof *src);
		src->path = w.files[i].path;
		src->text = text;
		src->len = len;
		Module *m = parse_module(src, d);
		if (!m)
			continue;
		if (!m->name)
			m->name = w.files[i].module;
		AST_PUSH(mods, nmods, m);
	}
	return build(mods, nmods, d);
}

/* ------------------------------------------------------------ reforms */

static Loc src_loc(const Source *src)
{
	Loc l = {src->path, 1, 1, 1, 1};
	return l;
}

static bool replaceable(const Decl *d)
{
	return d->name && d->kind != D_CHECK && d->kind != D_TEST;
}

/* A reform (edict simulate --reform, edict_load_reform): rule files whose
 * declarations replace those of the same name in the module of the same
 * name, or are added to it.  The base program's modules are parsed afresh
 * from their sources, because checking annotates a tree in place and each
 * tree is checked once; the base is not changed.  Declared in simulate.h. */
Program *load_reform(const Program *base, const Source *const *srcs, int nsrcs, Diags *d)
{
	Module **mods = NULL;
	int nmods = 0;
	for (int i = 0; i < base->nmods; i++) {
		Module *m = parse_module(base->mods[i]->src, d);
		if (!m)
			continue;
		m->name = base->mods[i]->name;
		AST_PUSH(mods, nmods, m);
	}
	/* the module a reform without a `module` line changes: the only one */
	Module *only = NULL;
	int nuser = 0;
	for (int i = 0; i < nmods; i++)
		if (strncmp(mods[i]->name, "std.", 4) != 0)
			only = mods[i], nuser++;
	for (int i = 0; i < nsrcs; i++) {
		Module *r = parse_module(srcs[i], d);
		if (!r)
			continue;
		Module *m = NULL;
		if (!r->name) {
			if (nuser != 1) {
				Diag *dg = diag_add(d, SEV_ERROR, src_loc(srcs[i]),
						    "this reform does not say which module it changes");
				diag_hint(dg, "start it with a line `module NAME`, naming one of the rule set's modules");
				continue;
			}
			m = only;
		} else {
			for (int j = 0; j < nmods && !m; j++)
				if (strcmp(mods[j]->name, r->name) == 0)
					m = mods[j];
			if (!m) {
				const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(nmods + 1));
				for (int j = 0; j < nmods; j++)
					cands[j] = mods[j]->name;
				Diag *dg = diag_add(d, SEV_ERROR, r->name_loc.file ? r->name_loc : src_loc(srcs[i]),
						    "the reform changes the module '%s', which is not in the rule set", r->name);
				const char *best = diag_closest(r->name, cands, nmods);
				if (best)
					diag_hint(dg, "did you mean '%s'?", best);
				continue;
			}
		}
		for (int j = 0; j < r->nimports; j++) {
			bool have = false;
			for (int k = 0; k < m->nimports && !have; k++)
				have = strcmp(m->imports[k].name, r->imports[j].name) == 0;
			if (!have)
				AST_PUSH(m->imports, m->nimports, r->imports[j]);
		}
		for (int j = 0; j < r->ndecls; j++) {
			Decl *dd = r->decls[j];
			dd->module = m;
			int at = -1;
			for (int k = 0; k < m->ndecls && at < 0 && replaceable(dd); k++)
				if (replaceable(m->decls[k]) && strcmp(m->decls[k]->name, dd->name) == 0)
					at = k;
			if (at >= 0) {
				m->decls[at] = dd;
				continue;
			}
			if (replaceable(dd)) {
				const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(m->ndecls + 1));
				int nc = 0;
				for (int k = 0; k < m->ndecls; k++)
					if (replaceable(m->decls[k]))
						cands[nc++] = m->decls[k]->name;
				Diag *dg = diag_add(d, SEV_WARNING, dd->loc,
						    "the reform adds '%s', which the module '%s' does not have", dd->name, m->name);
				const char *best = diag_closest(dd->name, cands, nc);
				if (best)
					diag_hint(dg, "did you mean '%s'? A reform replaces declarations by name", best);
				else
					diag_hint(dg, "a reform replaces declarations by name; a new one is used only by what the reform adds");
			}
			AST_PUSH(m->decls, m->ndecls, dd);
		}
	}
	return build(mods, nmods, d);
}
