/*
 * graph.c - the decision dependency graph as Graphviz DOT (see graph.h).
 *
 * Built from the dependency lists the checker records on each declaration
 * (Decl.deps).  With a root, only what the root reaches is drawn: a
 * worklist walk, so a chain of any length costs one visit per declaration.
 */
#include "mem.h"
#include <string.h>

#include "format.h"
#include "graph.h"

bool graph_node(const Decl *d)
{
	return (d->kind == D_PARAM || d->kind == D_DECISION || d->kind == D_TABLE || d->kind == D_FUNCTION) && !d->view &&
	       d->qname;
}

static int node_id(const Program *p, const Decl *d)
{
	return d->kind == D_FUNCTION ? p->ndecls + d->index : d->index;
}

/* A DOT string literal. */
static void dot_str(Buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

static const char *kind_shape(const Decl *d)
{
	switch (d->kind) {
	case D_PARAM: return "note";
	case D_TABLE: return "box3d";
	case D_FUNCTION: return "component";
	default: return "box";
	}
}

/* One node: its qualified name as its id, and with link_prefix, a link to
 * its rule (a module is named after its file: the link is percent-escaped). */
static void node_line(Buf *b, const Module *mod, const Decl *d, const char *link_prefix)
{
	buf_puts(b, "    ");
	dot_str(b, d->qname);
	buf_puts(b, " [label=");
	dot_str(b, d->name);
	buf_printf(b, ", shape=%s", kind_shape(d));
	if (link_prefix) {
		Buf url = {0};
		buf_puts(&url, link_prefix);
		buf_url_part(&url, mod->name);
		buf_puts(&url, ".html#");
		buf_url_part(&url, d->name);
		buf_puts(b, ", URL=");
		dot_str(b, buf_cstr(&url));
		buf_puts(b, ", tooltip=");
		dot_str(b, d->qname);
	}
	buf_puts(b, "];\n");
}

/* A module's nodes that are kept, boxed together (a cluster); nothing when
 * none is.  Its name, like every id, is a DOT string: a module's name may
 * hold quotes. */
static void module_cluster(Buf *b, const Program *p, const Module *mod, const unsigned char *keep, const char *link_prefix)
{
	bool open = false;
	for (int i = 0; i < mod->ndecls; i++) {
		const Decl *d = mod->decls[i];
		if (!graph_node(d) || !keep[node_id(p, d)])
			continue;
		if (!open) {
			buf_puts(b, "  subgraph ");
			dot_str(b, xprintf("cluster_%s", mod->name));
			buf_puts(b, " {\n    label=");
			dot_str(b, mod->name);
			buf_puts(b, "; style=\"rounded\"; color=\"#c9c2b2\"; fontname=\"Helvetica\";\n");
			open = true;
		}
		node_line(b, mod, d, link_prefix);
	}
	if (open)
		buf_puts(b, "  }\n");
}

const char *graph_dot(const Program *p, const Decl *root, const char *link_prefix)
{
	int total = p->ndecls + p->nfuncs;
	unsigned char *keep = GC_MALLOC_ATOMIC((size_t)total + 1);
	memset(keep, root ? 0 : 1, (size_t)total + 1);
	if (root) {
		const Decl **work = GC_MALLOC(sizeof(Decl *) * ((size_t)total + 1));
		int n = 0;
		keep[node_id(p, root)] = 1;
		work[n++] = root;
		while (n > 0) {
			const Decl *d = work[--n];
			for (int i = 0; i < d->ndeps; i++) {
				int id = node_id(p, d->deps[i]);
				if (!keep[id]) {
					keep[id] = 1;
					work[n++] = d->deps[i];
				}
			}
		}
	}
	Buf b = {0};
	buf_puts(&b, "digraph rules {\n  rankdir=LR;\n  node [style=\"rounded,filled\", fillcolor=\"#f4f1ea\", "
		     "fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#8a8a8a\"];\n");
	for (int m = 0; m < p->nmods; m++)
		module_cluster(&b, p, p->mods[m], keep, link_prefix);
	for (int i = 0; i < total; i++) {
		const Decl *d = i < p->ndecls ? p->decls[i] : p->funcs[i - p->ndecls];
		if (!graph_node(d) || !keep[i])
			continue;
		for (int k = 0; k < d->ndeps; k++) {
			const Decl *u = d->deps[k];
			if (!graph_node(u) || u == d)
				continue;
			buf_puts(&b, "  ");
			dot_str(&b, u->qname);
			buf_puts(&b, " -> ");
			dot_str(&b, d->qname);
			buf_puts(&b, ";\n");
		}
	}
	buf_puts(&b, "}\n");
	return buf_cstr(&b);
}
