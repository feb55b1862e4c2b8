/*
 * graph.c - `edict graph PATH... [--query Q] [--format dot|svg]`: the
 * decision dependency graph (interp/graph.c), as Graphviz DOT or drawn as SVG.
 * With --query, only the named decision and what it uses.
 */
#include "mem.h"
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "dot.h"
#include "graph.h"

int cmd_graph(int argc, char **argv)
{
	Opts o;
	if (cli_parse_opts(argc, argv, &o, "graph") < 0)
		return EXIT_USAGE;
	if (o.eval.nqueries > 1) {
		cli_usage_error("'edict graph' takes one --query, the decision to draw%s", "");
		return EXIT_USAGE;
	}
	Program *p = cli_load(&o);
	if (!p)
		return EXIT_DIAG;
	const Decl *root = NULL;
	if (o.eval.nqueries) {
		root = prog_find_decl(p, o.eval.queries[0]);
		if (!root || !graph_node(root)) {
			/* a bare name is compared with bare names, a dotted one with qualified names */
			bool dotted = strchr(o.eval.queries[0], '.') != NULL;
			const char **names = GC_MALLOC(sizeof(char *) * ((size_t)p->ndecls + 1));
			for (int i = 0; i < p->ndecls; i++)
				names[i] = dotted ? p->decls[i]->qname : p->decls[i]->name;
			const char *best = diag_closest(o.eval.queries[0], names, p->ndecls);
			for (int i = 0; best && !dotted && i < p->ndecls; i++)
				if (names[i] == best)
					best = p->decls[i]->qname;
			fprintf(stderr, "edict: there is no decision, parameter or table named '%s'%s%s%s\n", o.eval.queries[0],
				best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
			return EXIT_DIAG;
		}
	}
	const char *dot = graph_dot(p, root, NULL);
	if (o.format && strcmp(o.format, "svg") == 0) {
		const char *svg = cli_dot_svg(dot, NULL);
		if (!svg) {
			fprintf(stderr, "edict: %s\n", cli_dot_failure());
			return EXIT_DIAG;
		}
		fputs(svg, stdout);
	} else {
		fputs(dot, stdout);
	}
	return EXIT_OK;
}
