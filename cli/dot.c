/*
 * dot.c - Graphviz for `edict doc` and `edict graph` (dot.h): lay a DOT
 * graph out with libgvc's dot engine and render it as SVG.
 */
#include "mem.h"
#include <string.h>

#include <graphviz/gvc.h>

#include "dot.h"

const char *cli_dot_svg(const char *dot, void *arg)
{
	(void)arg;
	GVC_t *gvc = gvContext();
	if (!gvc)
		return NULL;
	agseterr(AGMAX); /* no Graphviz warnings on the terminal */
	Agraph_t *g = agmemread(dot);
	char *svg = NULL;
	if (g && gvLayout(gvc, g, "dot") == 0) {
		char *data = NULL;
		unsigned int len = 0;
		if (gvRenderData(gvc, g, "svg", &data, &len) == 0 && data) {
			svg = GC_MALLOC_ATOMIC((size_t)len + 1);
			memcpy(svg, data, len);
			svg[len] = 0;
			gvFreeRenderData(data);
		}
		gvFreeLayout(gvc, g);
	}
	if (g)
		agclose(g);
	gvFreeContext(gvc);
	return svg;
}
