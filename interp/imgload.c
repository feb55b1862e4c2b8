/*
 * imgload.c - loading rule sets through compiled images: `edict compile`,
 * an image given in place of the rules, and the start-up cache.
 *
 * The cache: when it is on (load_set_image_cache), a load of rule files
 * first looks for a valid image of exactly those files, next to the rule
 * directory (DIR.edc, as `edict compile DIR` writes it) or in the cache
 * folder (one image per working directory and list of paths); an image is
 * used only when every file it was made from still has the same size and
 * time, or else the same SHA-256 (the size and time the walk of the rule
 * directory saw: the files are not looked at twice).  A load that reads
 * the files writes the image to the cache folder for the next one, when
 * the files parsed without a single diagnostic, with the time of each
 * directory its walk entered, as the walk saw it before reading it: the
 * next load of the same paths from the same working directory tries that
 * image before any walk, and while no directory's time has changed
 * (nothing added, removed or renamed in it) it only looks at the files'
 * own size and time.  Whatever goes wrong with the cache (a folder that
 * cannot be written, a damaged image) only means the files are read as
 * without it: the cache never changes a result or a message.
 */
#include "mem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "image.h"
#include "load.h"
#include "parse.h"
#include "sha256.h"

static const char *cache_dir; /* NULL: no cache */

void load_set_image_cache(const char *dir)
{
	cache_dir = dir && *dir ? ast_strdup(dir, strlen(dir)) : NULL;
}

const char *load_image_cache(void)
{
	return cache_dir;
}

/* ------------------------------------------------------ choosing modules */

/* The module as a query-only load reads an unreached file: its type
 * declarations and its imports of the standard library. */
static Module *types_only(const Module *m)
{
	Module *t = GC_MALLOC(sizeof *t);
	t->name = m->name;
	t->src = m->src;
	for (int i = 0; i < m->nimports; i++)
		if (strncmp(m->imports[i].name, "std.", 4) == 0) {
			Import im = {m->imports[i].name, NULL, {m->src->path, 0, 0, 0, 0}, NULL};
			AST_PUSH(t->imports, t->nimports, im);
		}
	for (int i = 0; i < m->ndecls; i++) {
		m->decls[i]->module = t;
		AST_PUSH(t->decls, t->ndecls, m->decls[i]);
	}
	return t;
}

static bool imports(Module *const *mods, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < mods[i]->nimports; j++)
			if (strcmp(mods[i]->imports[j].name, name) == 0)
				return true;
	return false;
}

/* Which modules a load for these queries reads whole (load_paths_for):
 * those the queries reach and what they import; all without queries. */
static bool *reached(const Image *img, const LoadQuery *q, const char **err)
{
	int n = image_nfiles(img);
	bool *whole = GC_MALLOC_ATOMIC((size_t)n + 1);
	memset(whole, !q->nqueries, (size_t)n + 1);
	if (!q->nqueries)
		return whole;
	Outline *outs = GC_MALLOC(sizeof(Outline) * (size_t)n);
	const char **names = GC_MALLOC(sizeof(char *) * (size_t)n);
	for (int i = 0; i < n; i++)
		if (!image_file(img, i)->std) {
			if (!image_outline(img, i, &outs[i])) {
				*err = "a module's outline is damaged";
				return NULL;
			}
			names[i] = outs[i].module;
		}
	for (int k = 0; k < q->nqueries; k++)
		load_reach_query(outs, names, n, whole, q->queries[k]);
	return whole;
}

/* The rule a query names when it is a plain name (`voucher.award`,
 * `award`): its last part; NULL for anything else. */
static const char *plain_name(const char *q)
{
	const char *last = q;
	for (const char *s = q;; s++) {
		bool start = s == last;
		if (*s == '.' || !*s) {
			if (start)
				return NULL;
			if (!*s)
				return last;
			last = s + 1;
		} else if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			     (!start && *s >= '0' && *s <= '9'))) {
			return NULL;
		}
	}
}

/* Which declarations of the reached modules queries of plain names need
 * (image_choose); NULL: all of them. */
static unsigned char **chosen(const Image *img, const bool *whole, const LoadQuery *q)
{
	if (!whole || !q->nqueries)
		return NULL;
	const char **names = GC_MALLOC(sizeof(char *) * (size_t)q->nqueries);
	for (int k = 0; k < q->nqueries; k++)
		if (!(names[k] = plain_name(q->queries[k])))
			return NULL;
	return image_choose(img, whole, names, q->nqueries);
}

/* The program of an opened image: all of it, or what the queries need:
 * the modules they reach (of an image of rules that loaded cleanly, what
 * the queries name in them, and so on), the others' types, and the
 * standard modules these import (as add_stdlib would find them). */
static Program *build_image(const Image *img, const LoadQuery *q, Diags *d, const char **err)
{
	int n = image_nfiles(img), m = 0;
	bool *whole = reached(img, q, err);
	unsigned char **keep = chosen(img, whole, q);
	Module **out = NULL;
	const Source **reforms = NULL; /* kept apart, as a load of the files keeps them */
	int nreforms = 0;
	for (int i = 0; whole && i < n; i++) {
		if (image_file(img, i)->std && q->nqueries)
			continue;
		Module *mod = image_module(img, i, !whole[i], keep ? keep[i] : NULL, d, err);
		if (!mod)
			return NULL;
		if (mod->is_reform)
			AST_PUSH(reforms, nreforms, mod->src);
		else
			AST_PUSH(out, m, whole[i] ? mod : types_only(mod));
	}
	for (bool more = whole && q->nqueries; more;) {
		more = false;
		for (int i = 0; i < n; i++) {
			Outline o;
			if (!image_file(img, i)->std || whole[i] || !image_outline(img, i, &o) || !imports(out, m, o.module))
				continue;
			Module *mod = image_module(img, i, false, NULL, d, err);
			if (!mod)
				return NULL;
			whole[i] = more = true;
			AST_PUSH(out, m, mod);
		}
	}
	Program *p = whole ? load_build(out, m, d) : NULL;
	if (p) {
		p->reforms = reforms;
		p->nreforms = nreforms;
	}
	return p;
}

/* ------------------------------------------------------------ the cache */

/* The working directory, or NULL when it cannot be named. */
static const char *working_dir(void)
{
	char cwd[4096];
	return getcwd(cwd, sizeof cwd) ? ast_strdup(cwd, strlen(cwd)) : NULL;
}

/* The cache file for these paths read from the working directory cwd. */
static const char *cache_file(const char *cwd, const char *const *paths, int npaths)
{
	if (!cache_dir || !cwd)
		return NULL;
	Sha256 s;
	sha256_init(&s);
	sha256_add(&s, cwd, strlen(cwd) + 1);
	for (int i = 0; i < npaths; i++)
		sha256_add(&s, paths[i], strlen(paths[i]) + 1);
	char hex[65];
	sha256_hex(&s, hex);
	return xprintf("%s/%.32s.edc", cache_dir, hex);
}

const char *load_image_beside(const char *path)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len > 6 && strncmp(path + len - 6, ".edict", 6) == 0)
		len -= 6;
	return xprintf("%.*s.edc", (int)len, path);
}

/* The image next to a single rule directory or file: DIR.edc. */
static const char *beside_file(const char *const *paths, int npaths)
{
	return npaths == 1 ? load_image_beside(paths[0]) : NULL;
}

/* Every page of an image is read at once (its checksum): mapped in place
 * in one call, rather than a fault every sixteen pages. */
#ifdef MAP_POPULATE
#define IMAGE_MAP_FLAGS MAP_POPULATE
#else
#define IMAGE_MAP_FLAGS 0
#endif

/* An image mapped from a file, or NULL with a reason.  The mapping stays
 * for the life of the process: the program loaded from it points into it
 * (its texts); the collector neither scans nor counts it. */
static Image *open_file(const char *path, const char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > IMAGE_MAX_BYTES) {
		*err = fd < 0 ? xprintf("cannot open it: %s", strerror(errno))
		       : "it is not a regular file of a size an image can have";
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	void *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | IMAGE_MAP_FLAGS, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		*err = xprintf("cannot map it: %s", strerror(errno));
		return NULL;
	}
	Image *img = image_open(data, (size_t)st.st_size, err);
	if (!img)
		munmap(data, (size_t)st.st_size);
	return img;
}

/* Whether the image's standard modules are the files a load would read
 * for them now (EDICT_STDLIB may point elsewhere). */
static bool same_stdlib(const Image *img)
{
	for (int i = 0; i < image_nfiles(img); i++) {
		Outline o;
		const ImageFile *f = image_file(img, i);
		if (f->std && (!image_outline(img, i, &o) || !o.module ||
			       strcmp(f->src->path, load_stdlib_path(o.module)) != 0))
			return false;
	}
	return true;
}

/* Unmap an image nothing points into (stale or damaged). */
static void close_image(Image *img)
{
	size_t len;
	const void *data = image_bytes(img, &len);
	munmap((void *)data, len);
}

/* What a load knows of its rule files to judge an image by: what its walk
 * of them saw, or (files NULL: no walk yet) the paths it was given and
 * the working directory. */
typedef struct Judge {
	const char *const *files;
	const FileStamp *stamps;
	int nfiles;
	const char *cwd;
	const char *const *paths;
	int npaths;
} Judge;

static bool fresh(const Image *img, const Judge *j)
{
	bool same = j->files ? image_fresh(img, j->files, j->stamps, j->nfiles)
			     : image_fresh_unwalked(img, j->cwd, j->paths, j->npaths);
	return same && same_stdlib(img);
}

/* The program of img, or NULL with img closed (damaged). */
static Program *build_or_close(Image *img, const LoadQuery *q, Diags *d)
{
	const char *err;
	Diags *scratch = diag_new();
	Program *p = build_image(img, q, scratch, &err);
	if (!p) {
		close_image(img);
		return NULL;
	}
	*d = *scratch;
	return p;
}

/* The program of img when it is fresh by j, or NULL with img closed
 * (img NULL: nothing to judge). */
static Program *use_image(Image *img, const Judge *j, const LoadQuery *q, Diags *d)
{
	if (img && !fresh(img, j)) {
		close_image(img);
		return NULL;
	}
	return img ? build_or_close(img, q, d) : NULL;
}

static Image *open_quietly(const char *path)
{
	const char *err;
	return path ? open_file(path, &err) : NULL;
}

Program *load_cached(const char *const *paths, int npaths, LoadWalkFn walk, void *arg, const LoadQuery *q, Diags *d)
{
	const char *cwd = working_dir();
	/* the cache folder's image is opened (and its checksum read) once,
	 * for the judgement without a walk and, when that fails, with one */
	Image *cached = open_quietly(cache_file(cwd, paths, npaths));
	Judge j = {NULL, NULL, 0, cwd, paths, npaths};
	if (cached && fresh(cached, &j)) {
		Program *p = build_or_close(cached, q, d);
		if (p)
			return p;
		cached = NULL; /* damaged, and closed */
	}
	LoadWalked w = {NULL, NULL, 0};
	Program *p = NULL;
	if (walk(arg, &w, d)) {
		j = (Judge){w.files, w.stamps, w.n, NULL, paths, npaths};
		p = use_image(open_quietly(beside_file(paths, npaths)), &j, q, d);
		if (!p) {
			p = use_image(cached, &j, q, d);
			cached = NULL;
		}
	}
	if (cached)
		close_image(cached);
	return p;
}

/* mkdir -p, for the cache folder (private to its user). */
static bool make_dirs(const char *dir)
{
	char *p = xprintf("%s", dir);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return false;
		if (!(*s = c))
			return true;
	}
}

/* Write data to path whole or not at all: a temporary file renamed. */
static bool write_whole(const char *path, const char *data, size_t len)
{
	const char *tmp = xprintf("%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	size_t done = 0;
	while (done < len) {
		ssize_t k = write(fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	bool ok = done == len && close(fd) == 0;
	if (done != len)
		close(fd);
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return false;
	}
	return true;
}

/* The image of these sources (names: their module names), or NULL when
 * any of them has a diagnostic: only a clean parse is worth keeping. */
static char *encode_sources(Source *const *srcs, const char *const *names, int n, bool clean, const ImageWalk *walk,
			    size_t *len)
{
	Diags *d = diag_new();
	Module **mods = NULL;
	int nmods = 0;
	for (int i = 0; i < n; i++) {
		Module *m = parse_module(srcs[i], d);
		if (!m || d->n)
			return NULL;
		if (!m->name)
			m->name = names[i];
		AST_PUSH(mods, nmods, m);
	}
	int nrules = nmods;
	load_add_stdlib(&mods, &nmods, d);
	if (d->n)
		return NULL;
	bool *std = GC_MALLOC_ATOMIC((size_t)nmods + 1);
	for (int i = 0; i < nmods; i++)
		std[i] = i >= nrules;
	return image_encode(mods, std, nmods, clean, walk, len);
}

void load_cache_save(const char *const *paths, int npaths, Source *const *srcs, const char *const *names, int n,
		     bool clean, const ImageDir *dirs, int ndirs)
{
	const char *cwd = working_dir();
	const char *path = cache_file(cwd, paths, npaths);
	ImageWalk walk = {cwd, paths, npaths, dirs, ndirs};
	size_t len;
	char *data;
	if (path && make_dirs(cache_dir) && (data = encode_sources(srcs, names, n, clean, &walk, &len)) != NULL)
		(void)write_whole(path, data, len);
}

/* ----------------------------------------------------- explicit images */

Program *load_image(const char *path, const char *const *queries, int nqueries, Diags *d)
{
	const char *err = NULL;
	Image *img = open_file(path, &err);
	LoadQuery q = {queries, nqueries};
	/* the image stays mapped even when refused: d may quote its texts */
	Program *p = img ? build_image(img, &q, d, &err) : NULL;
	if (!p && err) {
		Loc l = {path, 0, 0, 0, 0};
		Diag *dg = diag_add(d, SEV_ERROR, l, "this file cannot be loaded as compiled rules: %s", err);
		diag_hint(dg, "write it again with 'edict compile RULES -o %s', or give the rule files themselves", path);
	}
	return p;
}

bool load_compile_image(const char *const *paths, int npaths, const char *out, Diags *d)
{
	int n;
	const char **names;
	Program *p = NULL;
	Source **srcs = load_read_files(paths, npaths, d, &names, &n, &p);
	if (!srcs || !p || d->nerrors)
		return false;
	size_t len;
	char *data = encode_sources(srcs, names, n, d->n == 0, NULL, &len);
	Loc l = {out, 0, 0, 0, 0};
	if (!data) {
		diag_add(d, SEV_ERROR, l, "the rules changed while they were compiled; compile them again");
		return false;
	}
	if (!write_whole(out, data, len)) {
		diag_add(d, SEV_ERROR, l, "cannot write %s: %s", out, strerror(errno));
		return false;
	}
	return true;
}
