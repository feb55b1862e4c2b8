/*
 * doc.c - `edict doc PATH... -o DIR`: the rules as a static HTML site
 * (interp/site.c builds the pages; this file writes them).
 *
 * The site is written into a fresh folder next to DIR and renamed into
 * place only when every page is written, so a failure (a full disk, rules
 * with errors) never leaves a half-written site.  An existing DIR is
 * replaced only if it is empty or a site this command wrote (it holds the
 * marker file .edict-site): never a folder of the user's own.
 */
#define _XOPEN_SOURCE 700
#include "mem.h"
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "commands.h"
#include "common.h"
#include "load.h"
#include "query.h"
#include "dot.h"
#include "site.h"

#define MARKER ".edict-site"

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write one page below root, making its folders; false with errno set. */
static bool write_page(const char *root, const SitePage *pg)
{
	char *path = xprintf("%s/%s", root, pg->path);
	for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(pg->data, 1, pg->len, f) == pg->len;
	return fclose(f) == 0 && ok;
}

/* An existing folder may be replaced when it is empty or one of our sites. */
static bool replaceable(const char *dir)
{
	if (access(xprintf("%s/%s", dir, MARKER), F_OK) == 0)
		return true;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	bool empty = true;
	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* The rule set's name for the site's title: the last part of its path. */
static const char *site_title(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *start = path;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/' && i + 1 < n)
			start = path + i + 1;
	return xprintf("Rules: %.*s", (int)(n - (size_t)(start - path)), start);
}

static int fail(const char *tmp, const char *what, const char *path)
{
	fprintf(stderr, "edict: cannot %s %s: %s\n", what, path, strerror(errno));
	if (tmp)
		remove_tree(tmp);
	return EXIT_DIAG;
}

int cmd_doc(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "doc") < 0)
		return EXIT_USAGE;
	if (!o.out) {
		cli_usage_error("'edict doc' needs -o DIR, the folder to write the site into%s", "");
		return EXIT_USAGE;
	}
	SiteOpts so = {date_today(), cli_dot_svg, NULL, site_title(o.eval.paths[0])};
	if (o.eval.as_of)
		date_parse(o.eval.as_of, strlen(o.eval.as_of), &so.as_of);
	Diags *d = diag_new();
	Program *p = load_paths(o.eval.paths, o.eval.npaths, d);
	if (p && !d->nerrors)
		query_run_checks(p, so.as_of, d);
	cli_print_diags(d);
	if (!p || d->nerrors) {
		fprintf(stderr, "edict: the rules have errors; no site was written\n");
		return EXIT_DIAG;
	}
	struct stat st;
	bool exists = stat(o.out, &st) == 0;
	if (exists && (!S_ISDIR(st.st_mode) || !replaceable(o.out))) {
		fprintf(stderr, "edict: %s already exists and is not a site written by edict doc; choose a new folder\n", o.out);
		return EXIT_DIAG;
	}
	int n = 0;
	SitePage *pages = site_build(p, &so, &n);
	char *tmp = xprintf("%s.tmp-XXXXXX", o.out);
	size_t len = strlen(o.out);
	while (len > 1 && tmp[len - 1] == '/') /* "site/" makes "site.tmp-..." */
		memmove(tmp + len - 1, tmp + len, strlen(tmp + len) + 1), len--;
	if (!mkdtemp(tmp))
		return fail(NULL, "create a folder next to", o.out);
	chmod(tmp, 0755);
	for (int i = 0; i < n; i++)
		if (!write_page(tmp, &pages[i]))
			return fail(tmp, "write", xprintf("%s/%s", tmp, pages[i].path));
	SitePage marker = {MARKER, "written by edict doc\n", 21};
	if (!write_page(tmp, &marker))
		return fail(tmp, "write", tmp);
	char *old = NULL;
	if (exists) {
		old = xprintf("%.*s.old-XXXXXX", (int)len, tmp);
		memcpy(old, o.out, len);
		if (!mkdtemp(old) || rename(o.out, old) != 0)
			return fail(tmp, "move aside", o.out);
	}
	if (rename(tmp, xprintf("%.*s", (int)len, tmp)) != 0)
		return fail(tmp, "rename the new site to", o.out);
	if (old)
		remove_tree(old);
	printf("wrote %d files; open %.*s/index.html\n", n, (int)len, tmp);
	return EXIT_OK;
}
