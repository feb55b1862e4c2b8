/*
 * graph.h - the decision dependency graph of a rule set, as Graphviz DOT.
 *
 * One node per parameter, decision, table and function, grouped by module,
 * and an arrow from each to the declarations that use it (the direction in
 * which values flow).  `edict graph` prints it; `edict doc` draws it on the
 * site with each node linked to its declaration.
 */
#ifndef EDICT_GRAPH_H
#define EDICT_GRAPH_H

#include "program.h"

/* The graph of every declaration, or of `root` and what it uses.  With a
 * link_prefix, each node links to LINK_PREFIX<module>.html#<name>. */
const char *graph_dot(const Program *p, const Decl *root, const char *link_prefix);

/* Whether a declaration is drawn: parameters, decisions (not views),
 * tables and functions. */
bool graph_node(const Decl *d);

#endif
