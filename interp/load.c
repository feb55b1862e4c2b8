/*
 * load.c - finding, reading and building the rule files of a rule set.
 *
 * A rule set is the *.edict files under the paths given (directories are
 * walked in name order; a file's module is its path with dots, or its
 * `module` line) plus the std.* modules they import.  Each file is parsed
 * (parse.c), then the modules are checked and compiled together (build).
 * A load for given queries (load_paths_for: `edict eval --query`, `edict
 * batch --query`) parses whole only the modules the queries reach and of
 * the other files only their type declarations, found by an outline scan.
 * Collections are held while a load runs (held): nearly all it allocates
 * stays alive.  Reforms (load_reform) rebuild a base program with some
 * declarations replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include "mem.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "compile.h"
#include "facts.h"
#include "load.h"
#include "native.h"
#include "parse.h"
#include "tables.h"

typedef struct Copy {
	const char *buf;
	size_t n;
	char *out;
} Copy;

static void copy_body(void *ud)
{
	Copy *k = ud;
	k->out = GC_MALLOC_ATOMIC(k->n + 1);
	memcpy(k->out, k->buf, k->n);
	k->out[k->n] = 0;
}

/* Copy a malloc'd buffer to the collector and free it, also when memory
 * runs out (the status is passed on). */
static char *gc_copy(char *buf, size_t n)
{
	Copy k = {buf, n, NULL};
	int st = pr_call(copy_body, &k);
	free(buf);
	pr_pass(st);
	return st == ST_OK ? k.out : NULL;
}

/* An entry of a directory: its name, and its type where the file system
 * gives it (readdir's d_type; DT_UNKNOWN where it does not). */
typedef struct Entry {
	const char *name;
	unsigned char type;
} Entry;

/* A directory's entries, as the reader malloc'd them (the type byte, then
 * the name), copied to the collector. */
typedef struct Names {
	const char *const *raw;
	size_t nraw;
	Entry *entries;
	int nn;
} Names;

static void names_body(void *ud)
{
	Names *k = ud;
	for (size_t i = 0; i < k->nraw; i++) {
		Entry e = {ast_strdup(k->raw[i] + 1, strlen(k->raw[i] + 1)), (unsigned char)k->raw[i][0]};
		AST_PUSH(k->entries, k->nn, e);
	}
}

/* Read a file with no collector allocation while it is open, so running
 * out of memory (which unwinds) never leaves a descriptor behind.  Rule
 * files must be regular files, opened without blocking (a FIFO named
 * *.edict would otherwise hang the load); facts may come from a pipe.
 * *mtime_ns, where given: the file's time before its first byte was
 * read, once settled (image_settled_time), else 0. */
static char *read_file(const char *path, size_t max, bool regular_only, size_t *len, int64_t *mtime_ns,
		       const char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
	if (fd < 0) {
		*err = xprintf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	bool known = fstat(fd, &st) == 0, folder = known && S_ISDIR(st.st_mode);
	if (mtime_ns)
		*mtime_ns = known && S_ISREG(st.st_mode) ? image_settled_time(&st) : 0;
	if (!known || folder || (regular_only && !S_ISREG(st.st_mode))) {
		close(fd);
		*err = folder ? xprintf("%s is a folder, not a file", path)
			      : xprintf("%s is not a regular file; it is not read", path);
		return NULL;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		*err = xprintf("%s is larger than the limit of %zu bytes", path, max);
		return NULL;
	}
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, n = 0;
	char *buf = malloc(cap + 1);
	bool too_big = false, bad = buf == NULL;
	int why = ENOMEM;
	while (buf && !bad) {
		if (n == cap) {
			if (cap > max) {
				too_big = true;
				break;
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = realloc(buf, ncap + 1);
			if (!nb) {
				bad = true;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			bad = true;
			why = errno;
		}
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (bad || too_big || n > max) {
		free(buf);
		*err = too_big || n > max ? xprintf("%s is larger than the limit of %zu bytes", path, max)
					  : xprintf("cannot read %s: %s", path, strerror(why));
		return NULL;
	}
	char *out = gc_copy(buf, n);
	if (!out) {
		*err = "out of memory";
		return NULL;
	}
	*len = n;
	return out;
}

char *load_file(const char *path, size_t max, size_t *len, const char **err)
{
	return read_file(path, max, false, len, NULL, err);
}

/* A rule file read whole, with its time as it was read, or NULL (the
 * reason in *err). */
static Source *file_source(const char *path, bool regular_only, const char **err)
{
	size_t len;
	int64_t mtime_ns;
	char *text = read_file(path, LOAD_MAX_FILE_BYTES, regular_only, &len, &mtime_ns, err);
	if (!text)
		return NULL;
	Source *src = GC_MALLOC(sizeof *src);
	src->path = path;
	src->text = text;
	src->len = len;
	src->mtime_ns = mtime_ns;
	return src;
}

typedef struct Found {
	const char *path;
	const char *module;
	FileStamp stamp; /* what the walk saw of it: the cache compares this */
} Found;

typedef struct Walk {
	Diags *d;
	Found *files;
	int n;
	const char *root;      /* the rule directory being walked */
	const char *root_real; /* its real path, once a symbolic link needs it */
	dev_t *devs;
	ino_t *inos;
	int nvisit;
	dev_t path_dev[LOAD_MAX_DIR_DEPTH + 1]; /* the directories the walk is inside */
	ino_t path_ino[LOAD_MAX_DIR_DEPTH + 1];
	ImageDir *dirs; /* each directory entered, as it was then: for the start-up cache */
	int ndirs;
} Walk;

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

/* A directory entry's type as readdir gives it, or DT_UNKNOWN. */
static unsigned char entry_type(const struct dirent *e)
{
#ifdef DT_UNKNOWN
	return e->d_type;
#else
	(void)e;
	return 0;
#endif
}

/* Whether an entry of this type may be a directory or lead to one: a
 * directory, a symbolic link, or a type the file system did not give. */
static bool may_be_dir(unsigned char type)
{
#ifdef DT_UNKNOWN
	return type == DT_DIR || type == DT_LNK || type == DT_UNKNOWN;
#else
	(void)type;
	return true;
#endif
}

/* Whether the file system says the entry is a symbolic link. */
static bool is_link(unsigned char type)
{
#ifdef DT_LNK
	return type == DT_LNK;
#else
	(void)type;
	return false;
#endif
}

static Loc no_loc(const char *file)
{
	Loc l = {file, 0, 0, 0, 0};
	return l;
}

/* The real path of the rule directory, found when a symbolic link first
 * needs it: a walk without links spends no system call on it. */
static const char *root_real(Walk *w)
{
	char real[PATH_MAX];
	if (!w->root_real)
		w->root_real = realpath(w->root, real) ? ast_strdup(real, strlen(real)) : w->root;
	return w->root_real;
}

/* Whether a path a symbolic link led to (real) lies in the rule directory;
 * dir: the rule directory itself counts. */
static bool inside_root(Walk *w, const char *real, bool dir)
{
	const char *root = root_real(w);
	size_t rl = strlen(root);
	return strncmp(real, root, rl) == 0 && (real[rl] == '/' || (dir && real[rl] == 0));
}

/* Whether to go into a directory (st: its status, as the walk saw it):
 * not too deep, not one it is inside (a loop) or has been in, not outside
 * the rule directory.  Only a path through a symbolic link (linked) can
 * lead outside: a plain entry of a directory found inside lies inside, so
 * only a link's is resolved. */
static bool enter_dir(Walk *w, const char *dir, const struct stat *st, int depth, bool linked)
{
	if (depth > LOAD_MAX_DIR_DEPTH) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "directories are nested more than %d deep here", LOAD_MAX_DIR_DEPTH);
		return false;
	}
	for (int i = 0; i < w->nvisit; i++)
		if (w->devs[i] == st->st_dev && w->inos[i] == st->st_ino) {
			/* one of the directories it is inside: following it would never end */
			bool loop = false;
			for (int k = 0; k < depth && k < LOAD_MAX_DIR_DEPTH + 1; k++)
				loop |= w->path_dev[k] == st->st_dev && w->path_ino[k] == st->st_ino;
			diag_add(w->d, SEV_ERROR, no_loc(dir),
				 loop ? "this directory leads back into itself through a symbolic link (a loop); it is not followed"
				      : "this directory is reached a second time, through a symbolic link; its files are read once only");
			return false;
		}
	if (depth <= LOAD_MAX_DIR_DEPTH) {
		w->path_dev[depth] = st->st_dev;
		w->path_ino[depth] = st->st_ino;
	}
	int nv = w->nvisit;
	AST_PUSH(w->devs, nv, st->st_dev);
	AST_PUSH(w->inos, w->nvisit, st->st_ino);
	char real[PATH_MAX];
	if (linked && realpath(dir, real) && !inside_root(w, real, true)) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "this directory leads outside the rule directory %s; it is not read",
			 root_real(w));
		return false;
	}
	AST_PUSH(w->dirs, w->ndirs, image_dir_seen(dir, st));
	return true;
}

/* The entries of a directory (not hidden ones), sorted by name; -1 after
 * an error.  They go to malloc'd memory while the directory is open
 * (nothing may unwind past closedir), then to the collector. */
static int read_names(Walk *w, const char *dir, Entry **out)
{
	DIR *dh = opendir(dir);
	if (!dh) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "cannot read the directory: %s", strerror(errno));
		return -1;
	}
	char **raw = NULL;
	size_t nraw = 0, capraw = 0;
	bool short_of_memory = false;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL && !short_of_memory) {
		if (e->d_name[0] == '.')
			continue;
		if (nraw == capraw) {
			size_t ncap = capraw ? capraw * 2 : 32;
			char **nr = realloc(raw, sizeof(char *) * ncap);
			if (!nr) {
				short_of_memory = true;
				break;
			}
			raw = nr;
			capraw = ncap;
		}
		size_t len = strlen(e->d_name);
		if (!(raw[nraw] = malloc(len + 2))) {
			short_of_memory = true;
		} else {
			raw[nraw][0] = (char)entry_type(e);
			memcpy(raw[nraw++] + 1, e->d_name, len + 1);
		}
	}
	closedir(dh);
	Names nm = {(const char *const *)raw, nraw, NULL, 0};
	int thrown = pr_call(names_body, &nm);
	for (size_t k = 0; k < nraw; k++)
		free(raw[k]);
	free(raw);
	pr_pass(thrown);
	if (short_of_memory) {
		diag_add(w->d, SEV_ERROR, no_loc(dir), "out of memory while reading the directory");
		return -1;
	}
	if (nm.nn)
		qsort(nm.entries, (size_t)nm.nn, sizeof *nm.entries, cmp_entries);
	*out = nm.entries;
	return nm.nn;
}

/* A rule file found at full (name without ".edict": base): kept unless it
 * is not a regular file or leads outside the rule directory (only a
 * symbolic link can: linked, as for enter_dir).  False when the rule set
 * holds too many files to go on. */
static bool add_file(Walk *w, const char *full, const struct stat *st, bool linked, const char *base,
		     const char *prefix)
{
	if (!S_ISREG(st->st_mode)) {
		diag_add(w->d, SEV_ERROR, no_loc(full), "this is not a regular file; it is not read");
		return true;
	}
	char rp[PATH_MAX];
	if (linked && realpath(full, rp) && !inside_root(w, rp, false)) {
		diag_add(w->d, SEV_ERROR, no_loc(full), "this file leads outside the rule directory %s; it is not read",
			 root_real(w));
		return true;
	}
	Found f = {full, prefix ? ast_join(prefix, '.', base) : base, image_stamp(st)};
	if (w->n >= LOAD_MAX_FILES) {
		diag_add(w->d, SEV_ERROR, no_loc(full), "a rule set may hold at most %d files", LOAD_MAX_FILES);
		return false;
	}
	AST_PUSH(w->files, w->n, f);
	return true;
}

/* Every .edict file under dir (st: its status), its module named after
 * its path (prefix).  An entry the file system says is neither a
 * directory nor a symbolic link is looked at only when its name is a rule
 * file's: a README costs no system call. */
static void walk_dir(Walk *w, const char *dir, const struct stat *dst, const char *prefix, int depth, bool linked)
{
	if (!enter_dir(w, dir, dst, depth, linked))
		return;
	Entry *ents = NULL;
	int nn = read_names(w, dir, &ents);
	for (int i = 0; i < nn; i++) {
		const char *name = ents[i].name;
		size_t len = strlen(name);
		bool rule = len > 6 && strcmp(name + len - 6, ".edict") == 0;
		if (!rule && !may_be_dir(ents[i].type))
			continue;
		const char *full = ast_join(dir, '/', name);
		struct stat st;
		bool link = is_link(ents[i].type) || lstat(full, &st) != 0 || S_ISLNK(st.st_mode);
		if (link && stat(full, &st) != 0) {
			diag_add(w->d, SEV_ERROR, no_loc(full), "cannot read: %s", strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode))
			walk_dir(w, full, &st, prefix ? ast_join(prefix, '.', name) : name, depth + 1, linked || link);
		else if (rule && !add_file(w, full, &st, linked || link, ast_strdup(name, len - 6), prefix))
			return;
	}
}

static Walk find_files(const char *const *paths, int npaths, Diags *d);

const char **load_find_files(const char *const *paths, int npaths, Diags *d, int *n)
{
	Walk w = find_files(paths, npaths, d);
	const char **out = GC_MALLOC(sizeof(char *) * (size_t)(w.n + 1));
	for (int i = 0; i < w.n; i++)
		out[i] = w.files[i].path;
	*n = w.n;
	return out;
}

/* ------------------------------------------------------------ stdlib */

/* Where the standard library lives: $EDICT_STDLIB, else the source tree the
 * build was configured in while it exists, else the installed share/edict. */
static const char *stdlib_dir(void)
{
	const char *env = getenv("EDICT_STDLIB");
	if (env && *env)
		return env;
#ifdef EDICT_STDLIB_DIR
	struct stat st;
	if (stat(EDICT_STDLIB_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return EDICT_STDLIB_DIR;
#endif
#ifdef EDICT_STDLIB_INSTALL_DIR
	return EDICT_STDLIB_INSTALL_DIR;
#else
	return "stdlib";
#endif
}

const char *load_stdlib_path(const char *module)
{
	char *rel = xprintf("%s", module);
	for (char *q = rel; *q; q++)
		if (*q == '.')
			*q = '/';
	return xprintf("%s/%s.edict", stdlib_dir(), rel);
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
void load_add_stdlib(Module ***mods, int *nmods, Diags *d)
{
	for (int i = 0; i < *nmods; i++) {
		Module *m = (*mods)[i];
		for (int j = 0; j < m->nimports; j++) {
			const char *name = m->imports[j].name;
			if (strncmp(name, "std.", 4) != 0 || have_module(*mods, *nmods, name))
				continue;
			const char *err;
			Source *src = file_source(load_stdlib_path(name), false, &err);
			if (!src)
				continue; /* the checker reports the unknown module */
			Module *sm = parse_module(src, d);
			if (!sm)
				continue;
			sm->name = name;
			AST_PUSH(*mods, *nmods, sm);
		}
	}
}

/* The overlaps and gaps of a table's rows (and of a function written as a
 * table), found once its trees are folded. */
static void analyse_table(Program *p, Decl *decl, void *d)
{
	tab_analyze(p, decl, d);
}

/* load_build, with the code made or not (load_paths_checked): the trees
 * are folded either way, so the tables are analysed alike. */
static Program *build(Module **mods, int nmods, bool code, Diags *d)
{
	load_add_stdlib(&mods, &nmods, d);
	Program *p = chk_program(mods, nmods, d);
	if (d->nerrors == 0) {
		if (code)
			cg_program(p, analyse_table, d);
		else
			cg_fold_program(p, analyse_table, d);
		facts_prepare(p);
		if (code && native_by_default())
			native_compile(p, NULL, 0, NULL);
	}
	return p;
}

Program *load_build(Module **mods, int nmods, Diags *d)
{
	return build(mods, nmods, true, d);
}

void load_code(Program *p)
{
	if (p->dchunk)
		return;
	cg_program(p, NULL, NULL);
	if (native_by_default())
		native_compile(p, NULL, 0, NULL);
}

/* Run a load with collections held off (mem_hold_collections), released
 * also when running out of memory unwinds through it. */
typedef Program *(*LoadFn)(const void *arg, Diags *d);

typedef struct Held {
	LoadFn fn;
	const void *arg;
	Diags *d;
	Program *p;
} Held;

static void held_body(void *ud)
{
	Held *h = ud;
	h->p = h->fn(h->arg, h->d);
}

static Program *held(LoadFn fn, const void *arg, Diags *d)
{
	Held h = {fn, arg, d, NULL};
	mem_hold_collections();
	int st = pr_call(held_body, &h);
	mem_release_collections();
	pr_pass(st);
	return st == ST_OK ? h.p : NULL;
}

typedef struct LoadArgs {
	const char *const *paths;
	const char *const *queries;
	int nqueries;
	const Source *const *srcs;
	int n;
	const Program *base;
	const char *const *names; /* reforms: each source's module by its path, or NULL */
	const Source *const *overlays;
	int noverlays;
	bool no_code; /* load_paths_checked */
	const Walk *walk; /* the walk of paths already made, or NULL */
} LoadArgs;

/* A load allocates some 30 bytes for each byte of rule text it parses
 * (10,000 decisions: 31 MB for 0.93 MB); the estimate mem_expect is told
 * errs low. */
#define LOAD_BYTES_PER_TEXT_BYTE 16

static void expect_sources(const Source *const *srcs, int n)
{
	size_t bytes = 0;
	for (int i = 0; i < n; i++)
		bytes += srcs[i] ? srcs[i]->len : 0;
	mem_expect(bytes * LOAD_BYTES_PER_TEXT_BYTE);
}

/* build, with the reform files found among the rule files kept apart. */
static Program *build_apart(Module **mods, int nmods, const Source **reforms, int nreforms, bool code, Diags *d)
{
	Program *p = build(mods, nmods, code, d);
	if (p) {
		p->reforms = reforms;
		p->nreforms = nreforms;
	}
	return p;
}

static Program *sources_fn(const void *arg, Diags *d)
{
	const LoadArgs *a = arg;
	const Source *const *srcs = a->srcs;
	int nsrcs = a->n;
	Module **mods = NULL;
	int nmods = 0;
	const Source **reforms = NULL;
	int nreforms = 0;
	expect_sources(srcs, nsrcs);
	for (int i = 0; i < nsrcs; i++) {
		Module *m = parse_module(srcs[i], d);
		if (!m)
			continue;
		if (m->is_reform) {
			AST_PUSH(reforms, nreforms, srcs[i]);
			continue;
		}
		if (!m->name) {
			const char *b = strrchr(srcs[i]->path, '/');
			b = b ? b + 1 : srcs[i]->path;
			size_t len = strlen(b);
			m->name = len > 6 && strcmp(b + len - 6, ".edict") == 0 ? ast_strdup(b, len - 6) : b;
		}
		AST_PUSH(mods, nmods, m);
	}
	return build_apart(mods, nmods, reforms, nreforms, !a->no_code, d);
}

Program *load_sources(const Source *const *srcs, int nsrcs, Diags *d)
{
	LoadArgs a = {.srcs = srcs, .n = nsrcs};
	return held(sources_fn, &a, d);
}

/* ---------------------------------------------------- loading for queries */

/* Mark the files of module `name`, and of the modules they import. */
static void reach(const Outline *outs, const char *const *names, int n, bool *whole, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!whole[i] && names[i] && strcmp(names[i], name) == 0) {
			whole[i] = true;
			for (int j = 0; j < outs[i].nimports; j++)
				reach(outs, names, n, whole, outs[i].imports[j]);
		}
}

/* Mark what one query may name: every module named by a dotted prefix of a
 * name in it (`origin.eu.qualifies` names origin and origin.eu), and every
 * module that declares a decision, param, table or function called like
 * any part of a name (a query may name a decision without its module when
 * one module declares it).  More than the query uses is harmless: it is
 * checked and compiled as in a whole load. */
void load_reach_query(const Outline *outs, const char *const *names, int n, bool *whole, const char *q)
{
	Buf path = {0};
	for (const char *s = q; *s;) {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && s[1])
					s++;
			if (*s)
				s++;
			continue;
		}
		bool start = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_';
		if (!start) {
			s++;
			continue;
		}
		path.n = 0;
		for (;;) {
			const char *w = s;
			while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')
				s++;
			const char *part = ast_strdup(w, (size_t)(s - w));
			for (int i = 0; i < n; i++)
				for (int j = 0; j < outs[i].nnames && !whole[i]; j++)
					if (strcmp(outs[i].names[j], part) == 0)
						reach(outs, names, n, whole, names[i]);
			if (path.n)
				buf_add(&path, ".", 1);
			buf_add(&path, w, (size_t)(s - w));
			reach(outs, names, n, whole, buf_cstr(&path));
			bool more = s[0] == '.' && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z') || s[1] == '_');
			if (!more)
				break;
			s++;
		}
	}
}

/* Which files to parse whole: all of them, or for queries those of the
 * modules the queries reach (and what those import); of the other files
 * only the type declarations are read (parse_outline). */
static bool *reached_files(Source *const *srcs, const Found *files, int n, const char *const *queries, int nqueries,
			   Outline *outs)
{
	bool *whole = GC_MALLOC_ATOMIC(sizeof(bool) * (size_t)(n + 1));
	if (nqueries == 0) {
		memset(whole, 1, sizeof(bool) * (size_t)n);
		return whole;
	}
	const char **names = GC_MALLOC(sizeof(char *) * (size_t)n);
	for (int i = 0; i < n; i++) {
		if (!srcs[i])
			continue;
		parse_outline(srcs[i], &outs[i]);
		names[i] = outs[i].module ? outs[i].module : files[i].module;
	}
	for (int k = 0; k < nqueries; k++)
		load_reach_query(outs, names, n, whole, queries[k]);
	return whole;
}

/* The rule files under the paths: each directory walked (walk_dir), each
 * file taken as it is.  Errors go to d. */
static Walk find_files(const char *const *paths, int npaths, Diags *d)
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
			w.root = paths[i];
			w.root_real = NULL;
			size_t len = strlen(paths[i]);
			const char *dir = len > 1 && paths[i][len - 1] == '/' ? ast_strdup(paths[i], len - 1) : paths[i];
			walk_dir(&w, dir, &st, NULL, 0, false); /* root is this directory */
		} else {
			const char *b = strrchr(paths[i], '/');
			b = b ? b + 1 : paths[i];
			size_t len = strlen(b);
			Found f = {paths[i], len > 6 && strcmp(b + len - 6, ".edict") == 0 ? ast_strdup(b, len - 6) : b,
				   image_stamp(&st)};
			AST_PUSH(w.files, w.n, f);
		}
	}
	return w;
}

/* Whether the text holds the word `reform` anywhere: the outline marks a
 * reform on that word only, so a text without it needs no outline scan. */
static bool mentions_reform(const char *t, size_t n)
{
	const char *end = t + n;
	for (const char *p = t; n >= 6 && (p = memchr(p, 'r', (size_t)(end - p))) && end - p >= 6; p++)
		if (memcmp(p, "reform", 6) == 0)
			return true;
	return false;
}

/* Whether a rule file starts `reform NAME`: a change to the rules kept
 * apart from them (its outline says so when the load made one). */
static bool is_reform_file(const Source *src, const Outline *o)
{
	Outline own;
	if (!o) {
		if (!mentions_reform(src->text, src->len))
			return false;
		parse_outline(src, &own);
		o = &own;
	}
	return o->reform;
}

/* A rule file read whole, or NULL (the reason in d). */
static Source *read_source(const char *path, bool regular_only, Diags *d)
{
	const char *err;
	Source *src = file_source(path, regular_only, &err);
	if (!src)
		diag_add(d, SEV_ERROR, no_loc(NULL), "%s", err);
	return src;
}

/* The rule files under the paths and the overlays not among them, each
 * read or taken from its overlay; NULL after errors in d.  *w receives
 * the walk (paths and module names), or holds it already (walked). */
static Source **read_sources(const LoadArgs *a, Walk *w, bool walked, Diags *d)
{
	if (!walked)
		*w = find_files(a->paths, a->n, d);
	if (d->nerrors)
		return NULL;
	for (int k = 0; k < a->noverlays; k++) {
		bool used = false;
		for (int i = 0; i < w->n && !used; i++)
			used = strcmp(w->files[i].path, a->overlays[k]->path) == 0;
		if (!used) {
			const char *b = strrchr(a->overlays[k]->path, '/');
			b = b ? b + 1 : a->overlays[k]->path;
			size_t len = strlen(b);
			Found f = {a->overlays[k]->path, len > 6 && strcmp(b + len - 6, ".edict") == 0 ? ast_strdup(b, len - 6) : b};
			AST_PUSH(w->files, w->n, f);
		}
	}
	if (w->n == 0) {
		diag_add(d, SEV_ERROR, no_loc(NULL), "no rule files (*.edict) were found in %s", a->n ? a->paths[0] : "the arguments");
		return NULL;
	}
	Source **srcs = GC_MALLOC(sizeof(Source *) * (size_t)w->n);
	for (int i = 0; i < w->n; i++) {
		for (int k = 0; k < a->noverlays && !srcs[i]; k++)
			if (strcmp(w->files[i].path, a->overlays[k]->path) == 0)
				srcs[i] = (Source *)a->overlays[k];
		if (srcs[i])
			continue;
		srcs[i] = read_source(w->files[i].path, true, d);
	}
	return srcs;
}

/* The module names of a walk's files, in its order. */
static const char **walk_names(const Walk *w)
{
	const char **names = GC_MALLOC(sizeof(char *) * (size_t)(w->n + 1));
	for (int i = 0; i < w->n; i++)
		names[i] = w->files[i].module;
	return names;
}

/* The files of a walk that a cached image must hold, or a single FILE.edc. */
static const char **walk_paths(const Walk *w)
{
	const char **files = GC_MALLOC(sizeof(char *) * (size_t)(w->n + 1));
	for (int i = 0; i < w->n; i++)
		files[i] = w->files[i].path;
	return files;
}

/* What the walk saw of each of its files, in its order. */
static const FileStamp *walk_stamps(const Walk *w)
{
	FileStamp *stamps = GC_MALLOC_ATOMIC(sizeof(FileStamp) * (size_t)(w->n + 1));
	for (int i = 0; i < w->n; i++)
		stamps[i] = w->files[i].stamp;
	return stamps;
}

static bool is_image_path(const LoadArgs *a)
{
	if (a->n != 1 || a->noverlays)
		return false;
	size_t len = strlen(a->paths[0]);
	struct stat st;
	return len > 4 && strcmp(a->paths[0] + len - 4, ".edc") == 0 && stat(a->paths[0], &st) == 0 && S_ISREG(st.st_mode);
}

static Program *paths_fn(const void *arg, Diags *d);

/* The load of the rules under paths from the texts a walk w of them
 * found and read (srcs): nothing is walked or read again. */
static LoadArgs as_read(const char *const *paths, int npaths, const Walk *w, Source **srcs)
{
	return (LoadArgs){.paths = paths, .n = npaths, .overlays = (const Source *const *)srcs, .noverlays = w->n,
			  .walk = w};
}

/* Whether the rules just read check without a diagnostic: a check of
 * all of them from the texts already read, not read again. */
static bool checks_clean(const LoadArgs *a, const Walk *w, Source **srcs)
{
	LoadArgs all = as_read(a->paths, a->n, w, srcs);
	all.no_code = true;
	Diags *chk = diag_new();
	return paths_fn(&all, chk) && chk->n == 0;
}

/* Keep the image of the rules just read for the next load.  It is marked
 * clean, as `edict compile` marks its image, when they check without a
 * diagnostic: a query of a plain name then reads only what it names
 * from it. */
static void save_cache(const LoadArgs *a, const Walk *w, Source **srcs, bool clean)
{
	load_cache_save(a->paths, a->n, srcs, walk_names(w), w->n, clean, w->dirs, w->ndirs);
}

static bool all_true(const bool *v, int n)
{
	for (int i = 0; i < n; i++)
		if (!v[i])
			return false;
	return true;
}

/* The walk load_cached asks for, kept for the load of the files that
 * follows when no image serves. */
typedef struct CacheWalk {
	const LoadArgs *a;
	Walk w;
	bool walked;
} CacheWalk;

static bool walk_for_cache(void *arg, LoadWalked *out, Diags *d)
{
	CacheWalk *cw = arg;
	cw->w = find_files(cw->a->paths, cw->a->n, d);
	cw->walked = true;
	*out = (LoadWalked){walk_paths(&cw->w), walk_stamps(&cw->w), cw->w.n};
	return !d->nerrors && cw->w.n;
}

static Program *paths_fn(const void *arg, Diags *d)
{
	const LoadArgs *a = arg;
	if (is_image_path(a))
		return load_image(a->paths[0], a->queries, a->nqueries, d);
	CacheWalk cw = {a, {0}, false};
	if (load_image_cache() && !a->noverlays) {
		LoadQuery q = {a->queries, a->nqueries};
		Program *p = load_cached(a->paths, a->n, walk_for_cache, &cw, &q, d);
		if (p || d->nerrors)
			return p;
	}
	Walk w = a->walk ? *a->walk : cw.w;
	Source **srcs = read_sources(a, &w, a->walk || cw.walked, d);
	if (!srcs)
		return NULL;
	expect_sources((const Source *const *)srcs, w.n);
	bool save = cw.walked && d->n == 0; /* the cache is on and served nothing */
	Outline *outs = a->nqueries ? GC_MALLOC(sizeof(Outline) * (size_t)w.n) : NULL;
	bool *whole = reached_files(srcs, w.files, w.n, a->queries, a->nqueries, outs);
	Module **mods = NULL;
	int nmods = 0;
	const Source **reforms = NULL;
	int nreforms = 0;
	for (int i = 0; i < w.n; i++) {
		if (!srcs[i])
			continue;
		Module *m;
		if (is_reform_file(srcs[i], outs ? &outs[i] : NULL)) {
			AST_PUSH(reforms, nreforms, srcs[i]);
			continue;
		}
		if (whole[i]) {
			m = parse_module(srcs[i], d);
		} else {
			m = parse_outline_types(srcs[i], &outs[i], d);
			if (m) {
				m->name = outs[i].module;
				/* the standard library's types are global too */
				for (int j = 0; j < outs[i].nimports; j++)
					if (strncmp(outs[i].imports[j], "std.", 4) == 0) {
						Import im = {outs[i].imports[j], NULL, no_loc(srcs[i]->path), NULL};
						AST_PUSH(m->imports, m->nimports, im);
					}
			}
		}
		if (!m)
			continue;
		if (!m->name)
			m->name = w.files[i].module;
		AST_PUSH(mods, nmods, m);
	}
	Program *p = build_apart(mods, nmods, reforms, nreforms, !a->no_code, d);
	/* a build of every file whole is the check the image's mark needs */
	if (save)
		save_cache(a, &w, srcs, all_true(whole, w.n) ? p && d->n == 0 : checks_clean(a, &w, srcs));
	return p;
}

Program *load_paths(const char *const *paths, int npaths, Diags *d)
{
	return load_paths_for(paths, npaths, NULL, 0, d);
}

Program *load_paths_overlay(const char *const *paths, int npaths, const Source *const *overlays, int noverlays,
			    Diags *d)
{
	LoadArgs a = {.paths = paths, .n = npaths, .overlays = overlays, .noverlays = noverlays};
	return held(paths_fn, &a, d);
}

Source **load_read_files(const char *const *paths, int npaths, Diags *d, const char ***names, int *n, Program **p)
{
	LoadArgs a = {.paths = paths, .n = npaths};
	Walk w;
	Source **srcs = read_sources(&a, &w, false, d);
	*n = w.n;
	*names = walk_names(&w);
	if (!srcs || d->nerrors)
		return NULL;
	if (p) {
		LoadArgs all = as_read(paths, npaths, &w, srcs);
		*p = held(paths_fn, &all, d);
	}
	return srcs;
}

Program *load_paths_checked(const char *const *paths, int npaths, Diags *d)
{
	LoadArgs a = {.paths = paths, .n = npaths, .no_code = true};
	return held(paths_fn, &a, d);
}

Program *load_paths_for(const char *const *paths, int npaths, const char *const *queries, int nqueries, Diags *d)
{
	LoadArgs a = {.paths = paths, .n = npaths, .queries = queries, .nqueries = nqueries};
	return held(paths_fn, &a, d);
}

/* ------------------------------------------------------------ reforms */

static Loc src_loc(const Source *src)
{
	Loc l = {src->path, 1, 1, 1, 1};
	return l;
}

static bool replaceable(const Decl *d)
{
	return d->name && d->kind != D_CHECK && d->kind != D_TEST && d->kind != D_REQUIRE; /* those are added */
}

static bool in_sources(const char *file, const Source *const *srcs, int n)
{
	for (int i = 0; file && i < n; i++)
		if (strcmp(srcs[i]->path, file) == 0)
			return true;
	return false;
}

/* Whether the reform's declaration dd takes the place of the module's old:
 * one of the same name, and a test of the rules named like one of the
 * reform's (a changed copy of the whole rule set holds its tests again). */
static bool replaces(const Decl *dd, const Decl *old, const Source *const *srcs, int nsrcs)
{
	if (replaceable(dd))
		return replaceable(old) && strcmp(old->name, dd->name) == 0;
	return dd->kind == D_TEST && old->kind == D_TEST && strcmp(old->name, dd->name) == 0 &&
	       !in_sources(old->loc.file, srcs, nsrcs);
}

/* A reform may add declarations (a new tax and its rate); one named
 * nearly like a declaration of the rules is more likely a misspelt
 * replacement, and gets a warning. */
static void misspelt_addition(const Module *m, const Decl *dd, const Source *const *srcs, int nsrcs, Diags *d)
{
	const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(m->ndecls + 1));
	int nc = 0;
	for (int k = 0; k < m->ndecls; k++)
		if (replaceable(m->decls[k]) && !in_sources(m->decls[k]->loc.file, srcs, nsrcs))
			cands[nc++] = m->decls[k]->name;
	const char *best = diag_closest(dd->name, cands, nc);
	if (!best)
		return;
	Diag *dg = diag_add(d, SEV_WARNING, dd->loc, "the reform adds '%s', which the module '%s' does not have", dd->name,
			    m->name);
	diag_hint(dg, "did you mean '%s'? A reform replaces declarations by name", best);
}

static Module *module_named(Module **mods, int nmods, const char *name)
{
	for (int j = 0; name && j < nmods; j++)
		if (strcmp(mods[j]->name, name) == 0)
			return mods[j];
	return NULL;
}

/* The module a reform file r changes: the one its first line names; else
 * the one named like the file's path in a reform directory (a changed copy
 * of the whole rule set); else the rule set's only module.  NULL after an
 * error. */
static Module *target_module(Module **mods, int nmods, const Module *r, const Source *src, const char *by_path,
			     Diags *d)
{
	if (r->name) {
		Module *m = module_named(mods, nmods, r->name);
		if (m)
			return m;
		const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(nmods + 1));
		for (int j = 0; j < nmods; j++)
			cands[j] = mods[j]->name;
		Diag *dg = diag_add(d, SEV_ERROR, r->name_loc.file ? r->name_loc : src_loc(src),
				    "the reform changes the module '%s', which is not in the rule set", r->name);
		const char *best = diag_closest(r->name, cands, nmods);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
		return NULL;
	}
	Module *m = module_named(mods, nmods, by_path), *only = NULL;
	int nuser = 0;
	for (int i = 0; i < nmods && !m; i++)
		if (strncmp(mods[i]->name, "std.", 4) != 0)
			only = mods[i], nuser++;
	if (m || nuser == 1)
		return m ? m : only;
	Diag *dg = diag_add(d, SEV_ERROR, src_loc(src), "this reform does not say which module it changes");
	diag_hint(dg, "start it with a line `reform NAME`, naming one of the rule set's modules");
	return NULL;
}

/* A reform (edict simulate --reform, edict_load_reform): rule files whose
 * declarations replace those of the same name in the module of the same
 * name, or are added to it.  The base program's modules are parsed afresh
 * from their sources, because checking annotates a tree in place and each
 * tree is checked once; the base is not changed.  Used by `edict simulate` (cli/simulate.c). */
static Program *reform_fn(const void *arg, Diags *d)
{
	const LoadArgs *a = arg;
	const Program *base = a->base;
	const Source *const *srcs = a->srcs;
	int nsrcs = a->n;
	Module **mods = NULL;
	int nmods = 0;
	for (int i = 0; i < base->nmods; i++) {
		Module *m = parse_module(base->mods[i]->src, d);
		if (!m)
			continue;
		m->name = base->mods[i]->name;
		AST_PUSH(mods, nmods, m);
	}
	for (int i = 0; i < nsrcs; i++) {
		Module *r = parse_module(srcs[i], d);
		if (!r)
			continue;
		Module *m = target_module(mods, nmods, r, srcs[i], a->names ? a->names[i] : NULL, d);
		if (!m)
			continue;
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
			for (int k = 0; k < m->ndecls && at < 0; k++)
				if (replaces(dd, m->decls[k], srcs, nsrcs))
					at = k;
			if (at >= 0) {
				m->decls[at] = dd;
				continue;
			}
			if (replaceable(dd))
				misspelt_addition(m, dd, srcs, nsrcs, d);
			AST_PUSH(m->decls, m->ndecls, dd);
		}
	}
	return load_build(mods, nmods, d);
}

Program *load_reform(const Program *base, const Source *const *srcs, int nsrcs, Diags *d)
{
	LoadArgs a = {.srcs = srcs, .n = nsrcs, .base = base};
	return held(reform_fn, &a, d);
}

/* The reform's files (a directory: every .edict file below it), read,
 * then reform_fn. */
static Program *reform_paths_fn(const void *arg, Diags *d)
{
	const LoadArgs *a = arg;
	Walk w = find_files(a->paths, a->n, d);
	if (!w.n && !d->nerrors)
		diag_add(d, SEV_ERROR, no_loc(NULL), "no rule files (*.edict) were found in %s", a->paths[0]);
	const Source **srcs = GC_MALLOC(sizeof(Source *) * (size_t)(w.n + 1));
	const char **names = GC_MALLOC(sizeof(char *) * (size_t)(w.n + 1));
	int n = 0;
	for (int i = 0; i < w.n; i++) {
		Source *src = read_source(w.files[i].path, false, d);
		if (src)
			names[n] = w.files[i].module, srcs[n++] = src;
	}
	if (d->nerrors)
		return NULL;
	LoadArgs ra = {.srcs = srcs, .n = n, .base = a->base, .names = names};
	return reform_fn(&ra, d);
}

Program *load_reform_paths(const Program *base, const char *const *paths, int npaths, Diags *d)
{
	LoadArgs a = {.paths = paths, .n = npaths, .base = base};
	return held(reform_paths_fn, &a, d);
}
