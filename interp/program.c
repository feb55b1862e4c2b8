/*
 * program.c - looking things up in a compiled Program.
 */
#include "mem.h"
#include <string.h>

#include "program.h"

Decl *prog_find_decl(const Program *p, const char *name)
{
	Decl *bare = NULL;
	int nbare = 0;
	for (int i = 0; i < p->ndecls + p->nfuncs; i++) {
		Decl *d = i < p->ndecls ? p->decls[i] : p->funcs[i - p->ndecls];
		if (strcmp(d->qname, name) == 0)
			return d;
		if (strcmp(d->name, name) == 0) {
			bare = d;
			nbare++;
		}
	}
	return nbare == 1 ? bare : NULL;
}

Decl *prog_find_fact(const Program *p, const char *name)
{
	for (int i = 0; i < p->nfacts; i++)
		if (strcmp(p->facts[i]->name, name) == 0)
			return p->facts[i];
	return NULL;
}

const char *prog_node_text(const Program *p, const Node *n)
{
	const Source *src = p && p->diags ? diag_find_source(p->diags, n->loc.file) : NULL;
	if (!src || n->loc.line <= 0)
		return n->text ? n->text : "?";
	const char *end = src->text + src->len;
	long off = source_line_offset(src, n->loc.line);
	if (off < 0)
		return n->text ? n->text : "?";
	int line = n->loc.line;
	const char *start = src->text + off + (n->loc.col - 1);
	const char *stop = start;
	int l = line, c = n->loc.col;
	while (stop < end && (l < n->loc.eline || (l == n->loc.eline && c <= n->loc.ecol))) {
		if (*stop == '\n')
			l++, c = 1;
		else
			c++;
		stop++;
	}
	if (start > end || stop <= start)
		return n->text ? n->text : "?";
	/* fold line breaks and runs of blanks so a condition reads on one line */
	char *out = GC_MALLOC_ATOMIC((size_t)(stop - start) + 1);
	size_t k = 0;
	bool space = false;
	for (const char *s = start; s < stop; s++) {
		bool blank = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (blank) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = *s;
	}
	out[k] = 0;
	return out;
}
