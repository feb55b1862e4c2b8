/*
 * dot.c - Graphviz for `edict doc` and `edict graph` (dot.h): lay a DOT
 * graph out with libgvc's dot engine and render it as SVG.  libgvc is
 * opened the first time a graph is drawn (dynlib.h), so that the other
 * commands start without it.  Graphviz's messages are kept from the
 * terminal; when a drawing fails, its last one says why.
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvc.h>

#include "dot.h"
#include "dynlib.h"

#ifndef EDICT_GVC_SONAME
#define EDICT_GVC_SONAME "libgvc.so.6"
#endif

static struct {
	__typeof__(gvContext) *context;
	__typeof__(gvLayout) *layout;
	__typeof__(gvRenderData) *render_data;
	__typeof__(gvFreeRenderData) *free_render_data;
	__typeof__(gvFreeLayout) *free_layout;
	__typeof__(gvFreeContext) *free_context;
	__typeof__(agseterr) *seterr;
	__typeof__(aglasterr) *lasterr;
	__typeof__(agmemread) *memread;
	__typeof__(agclose) *close;
} gv;

/* Why the last drawing failed. */
static const char *failure = "Graphviz could not draw the graph";

const char *cli_dot_failure(void)
{
	return failure;
}

/* libgvc's functions (libcgraph's come with it); false when missing. */
static bool open_gvc(void)
{
	static const DynFn fns[] = {
		{"gvContext", (void **)&gv.context},		 {"gvLayout", (void **)&gv.layout},
		{"gvRenderData", (void **)&gv.render_data},	 {"gvFreeRenderData", (void **)&gv.free_render_data},
		{"gvFreeLayout", (void **)&gv.free_layout},	 {"gvFreeContext", (void **)&gv.free_context},
		{"agseterr", (void **)&gv.seterr},		 {"agmemread", (void **)&gv.memread},
		{"agclose", (void **)&gv.close},		 {"aglasterr", (void **)&gv.lasterr},
	};
	return dyn_load(EDICT_GVC_SONAME, fns, sizeof fns / sizeof fns[0], &failure);
}

/* Why the drawing failed, in Graphviz's words when it left some (its
 * last message, which it allocates with malloc). */
static void note_failure(void)
{
	char *msg = gv.lasterr();
	size_t n = msg ? strlen(msg) : 0;
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	static char why[512];
	snprintf(why, sizeof why, "Graphviz could not draw the graph%s%.*s", n ? ": " : "", (int)n, n ? msg : "");
	failure = why;
	free(msg);
}

const char *cli_dot_svg(const char *dot, void *arg)
{
	(void)arg;
	if (!open_gvc())
		return NULL;
	GVC_t *gvc = gv.context();
	if (!gvc)
		return NULL;
	gv.seterr(AGMAX); /* no Graphviz warnings on the terminal */
	Agraph_t *g = gv.memread(dot);
	char *svg = NULL;
	if (g && gv.layout(gvc, g, "dot") == 0) {
		char *data = NULL;
		unsigned int len = 0;
		if (gv.render_data(gvc, g, "svg", &data, &len) == 0 && data) {
			svg = GC_MALLOC_ATOMIC((size_t)len + 1);
			memcpy(svg, data, len);
			svg[len] = 0;
			gv.free_render_data(data);
		}
		gv.free_layout(gvc, g);
	}
	if (g)
		gv.close(g);
	gv.free_context(gvc);
	if (!svg)
		note_failure();
	return svg;
}
