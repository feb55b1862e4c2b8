/*
 * site.h - a rule set as a static HTML site, for officers who review policy
 * rather than code (`edict doc`).
 *
 * The site opens from the file system: no server, no network, nothing
 * fetched.  It has an index with a search box; a page per module with every
 * declaration as written (syntax highlighted), its citations linked to the
 * document's page, the tests that exercise it, what it uses and what uses
 * it, parameters' dated values drawn as a timeline, tables as tables; a page
 * per declared document listing every rule that cites it, by pinpoint; the
 * dependency graph; and a page per `view` (a timeline of a list of records).
 *
 * The library only builds the pages in memory; the caller writes them, and
 * turns DOT into SVG if it can (the command uses Graphviz).
 */
#ifndef EDICT_SITE_H
#define EDICT_SITE_H

#include <stddef.h>

#include "program.h"

typedef struct SitePage {
	const char *path; /* relative, with '/' */
	const char *data;
	size_t len;
} SitePage;

/* A file of web/doc, built into the library (generated site_assets.c). */
typedef struct SiteAsset {
	const char *name;
	const unsigned char *data;
	size_t len;
} SiteAsset;
extern const SiteAsset site_assets[]; /* ends with a NULL name */

/* Turns DOT into SVG; NULL when it cannot (the page then shows the DOT). */
typedef const char *(*SiteSvg)(const char *dot, void *arg);

typedef struct SiteOpts {
	date_t as_of;   /* for evaluating views and fact-free values */
	SiteSvg svg;    /* or NULL */
	void *svg_arg;
	const char *title; /* the site's title, e.g. the rule set's folder name */
} SiteOpts;

/* Every page of the site.  The program must have no errors. */
SitePage *site_build(const Program *p, const SiteOpts *o, int *npages);

/* The SVG of a view's timeline, for its current value (NULL when the
 * value cannot be decided: it then says why in *why). */
const char *site_timeline_svg(const Program *p, const Decl *view, date_t as_of, const char **why);

#endif
