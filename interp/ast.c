/*
 * ast.c - building the syntax tree.
 *
 * Small constructors used by the parser and the checker.  Nodes and arrays
 * come from the collector; arrays grow by doubling.
 */
#include "mem.h"
#include <string.h>

#include "ast.h"
#include "strmap.h"

Node *ast_node(NodeKind k, Loc loc)
{
	Node *n = GC_MALLOC(sizeof *n);
	n->kind = k;
	n->loc = loc;
	return n;
}

static void note_depth(Node *parent, const Node *kid)
{
	if (kid && kid->depth + 1 > parent->depth)
		parent->depth = kid->depth + 1;
}

/* A node with its first kids: the room for two comes in the node's own
 * allocation, right after it, so most nodes (operators, fields, calls of
 * one argument) take one allocation instead of two.  ast_add moves the
 * kids to an array of their own at the third. */
#define INLINE_KIDS 2

static Node *node_with_kids(NodeKind k, Loc loc, Node *a, Node *b, int nkids)
{
	Node *n = GC_MALLOC(sizeof *n + INLINE_KIDS * sizeof(Node *));
	n->kind = k;
	n->loc = loc;
	n->kids = (Node **)(n + 1);
	n->kids[0] = a;
	n->kids[1] = b;
	n->nkids = nkids;
	note_depth(n, a);
	note_depth(n, b);
	return n;
}

Node *ast_node1(NodeKind k, Loc loc, Node *a)
{
	return node_with_kids(k, loc, a, NULL, 1);
}

Node *ast_node2(NodeKind k, Loc loc, Node *a, Node *b)
{
	return node_with_kids(k, loc, a, b, 2);
}

void ast_add(Node *parent, Node *kid)
{
	if (parent->nkids == INLINE_KIDS && parent->kids == (Node **)(parent + 1)) {
		/* the room in the node is full: on to an array as ast_grow makes
		 * them (room for four, copied out at the fifth) */
		Node **kids = GC_MALLOC(4 * sizeof *kids);
		memcpy(kids, parent->kids, INLINE_KIDS * sizeof *kids);
		parent->kids = kids;
	}
	AST_PUSH(parent->kids, parent->nkids, kid);
	note_depth(parent, kid);
}

const char *hit_name(HitPolicy h)
{
	static const char *const names[] = {"unique", "first", "collect", "sum", "count",
					    "min", "max", "any", "priority", "output order",
					    "rule order"};
	return (unsigned)h < sizeof names / sizeof names[0] ? names[h] : "?";
}

Node *ast_clone(const Node *n)
{
	if (!n)
		return NULL;
	Node *c = ast_node(n->kind, n->loc);
	*c = *n;
	c->kids = NULL;
	c->nkids = 0;
	c->depth = 0;
	for (int i = 0; i < n->nkids; i++)
		ast_add(c, ast_clone(n->kids[i]));
	return c;
}

Loc ast_span(Loc a, Loc b)
{
	Loc r = a;
	r.eline = b.eline;
	r.ecol = b.ecol;
	return r;
}

const char *ast_strdup(const char *s, size_t n)
{
	char *p = GC_MALLOC_ATOMIC(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

const char *ast_join(const char *a, char sep, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *p = GC_MALLOC_ATOMIC(na + nb + 2);
	memcpy(p, a, na);
	p[na] = sep;
	memcpy(p + na + 1, b, nb + 1);
	return p;
}

/* Capacity doubles at powers of two, so the count alone says when to grow.
 * The first four are copied out rather than reallocated (an array of four
 * may have been made by ast_add from a node's own room). */
void *ast_grow(void *arr, int n, size_t elem)
{
	if (n == 0)
		return GC_MALLOC(4 * elem);
	if (n == 4) {
		void *p = GC_MALLOC(8 * elem);
		memcpy(p, arr, 4 * elem);
		return p;
	}
	if (n > 4 && (n & (n - 1)) == 0)
		return GC_REALLOC(arr, (size_t)n * 2 * elem);
	return arr;
}

const char *ast_node_kind_name(NodeKind k)
{
	static const char *const names[] = {
		"true/false", "number", "percentage", "money amount", "date", "duration", "text",
		"tariff code", "unknown", "as_of", "name", "field", "call", "unary", "binary",
		"in", "is", "otherwise", "if", "let", "match", "arm", "list", "record", "entry",
		"generator", "comprehension", "at", "dated values"};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* ------------------------------------------------------- fields by name */

#define FIELD_INDEX_MIN 16 /* smaller records: a look along the fields is as quick */

void ast_index_fields(TypeDef *td)
{
	if (td->nfields < FIELD_INDEX_MIN || td->field_index)
		return;
	int cap = 32;
	while (cap < 2 * td->nfields)
		cap *= 2;
	int *ix = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)cap);
	for (int i = 0; i < td->nfields; i++) {
		unsigned j = strmap_hash(td->fields[i].name) & (unsigned)(cap - 1);
		while (ix[j] && strcmp(td->fields[ix[j] - 1].name, td->fields[i].name) != 0)
			j = (j + 1) & (unsigned)(cap - 1);
		if (!ix[j])
			ix[j] = i + 1;
	}
	td->field_index_cap = cap;
	td->field_index = ix;
}

int ast_field_slot(const TypeDef *td, const char *name)
{
	if (!td->field_index) {
		for (int i = 0; i < td->nfields; i++)
			if (strcmp(td->fields[i].name, name) == 0)
				return i;
		return -1;
	}
	unsigned mask = (unsigned)(td->field_index_cap - 1);
	for (unsigned j = strmap_hash(name) & mask; td->field_index[j]; j = (j + 1) & mask)
		if (strcmp(td->fields[td->field_index[j] - 1].name, name) == 0)
			return td->field_index[j] - 1;
	return -1;
}
