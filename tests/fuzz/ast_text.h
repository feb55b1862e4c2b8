/*
 * ast_text.h - a syntax tree as text, without its places, for the tests
 * that compare the trees of two texts (the formatter must keep the tree:
 * fuzz_layout.c, and the check of every rule file in the repository).
 *
 * Every field the parser sets is written, except locations and what the
 * checker adds later; two texts with the same tree give the same string.
 */
#ifndef EDICT_AST_TEXT_H
#define EDICT_AST_TEXT_H

#include "ast.h"
#include "format.h"

static void at_str(Buf *b, const char *s)
{
	if (s)
		buf_json_str(b, s, strlen(s));
	else
		buf_puts(b, "-");
	buf_puts(b, " ");
}

static void at_int(Buf *b, long long v)
{
	buf_printf(b, "%lld ", v);
}

static void at_node(Buf *b, const Node *n)
{
	if (!n) {
		buf_puts(b, "() ");
		return;
	}
	buf_printf(b, "(%d %d %lld %u ", (int)n->kind, n->op, (long long)n->ival, (unsigned)n->cur);
	at_str(b, n->text);
	for (int i = 0; i < n->nkids; i++)
		at_node(b, n->kids[i]);
	buf_puts(b, ") ");
}

static void at_cites(Buf *b, const Citation *c, int n)
{
	buf_puts(b, "[cites ");
	for (int i = 0; i < n; i++) {
		at_int(b, c[i].assumption);
		at_str(b, c[i].text);
	}
	buf_puts(b, "] ");
}

static void at_typedef(Buf *b, const TypeDef *td)
{
	if (!td) {
		buf_puts(b, "[nodef] ");
		return;
	}
	buf_puts(b, "[def ");
	at_int(b, td->is_enum);
	at_str(b, td->name);
	for (int i = 0; i < td->nmembers; i++)
		at_str(b, td->members[i]);
	for (int i = 0; i < td->nfields; i++) {
		const Field *f = &td->fields[i];
		at_str(b, f->name);
		at_node(b, f->type_node);
		at_int(b, f->optional);
		at_node(b, f->dflt);
		at_cites(b, f->cites, f->ncites);
	}
	at_cites(b, td->cites, td->ncites);
	buf_puts(b, "] ");
}

static void at_case(Buf *b, const Case *c)
{
	buf_puts(b, "[case ");
	at_str(b, c->label);
	at_int(b, c->is_default);
	at_node(b, c->cond);
	at_node(b, c->value);
	for (int i = 0; i < c->noverrides; i++)
		at_str(b, c->overrides[i]);
	at_str(b, c->from);
	at_str(b, c->until);
	at_cites(b, c->cites, c->ncites);
	buf_puts(b, "] ");
}

static void at_decl(Buf *b, const Decl *d)
{
	buf_printf(b, "\n[decl %d ", (int)d->kind);
	at_str(b, d->name);
	at_int(b, d->private_);
	at_node(b, d->type_node);
	at_typedef(b, d->def);
	at_int(b, d->optional);
	at_node(b, d->dflt);
	for (int i = 0; i < d->ncases; i++)
		at_case(b, &d->cases[i]);
	at_int(b, d->hit);
	for (int i = 0; i < d->nparams; i++) {
		at_str(b, d->params[i].name);
		at_node(b, d->params[i].type_node);
	}
	at_node(b, d->body);
	if (d->each) {
		/* a decision for each member: the block it is written in */
		at_str(b, d->each->var);
		at_node(b, d->each->over);
		at_node(b, d->each->type_node);
	}
	at_int(b, d->severity);
	at_str(b, d->var);
	at_node(b, d->over);
	at_node(b, d->cond);
	at_node(b, d->showing);
	for (int i = 0; i < d->nsteps; i++) {
		const TestStep *s = &d->steps[i];
		at_int(b, s->kind);
		for (int k = 0; k < s->npath; k++)
			at_str(b, s->path[k]);
		at_node(b, s->expr);
		at_str(b, s->date);
	}
	at_cites(b, d->cites, d->ncites);
	buf_puts(b, "]");
}

/* The tree of a module as one string. */
static const char *ast_text(const Module *m)
{
	Buf b = {0};
	buf_puts(&b, "[module ");
	at_str(&b, m->name);
	for (int i = 0; i < m->nimports; i++) {
		at_str(&b, m->imports[i].name);
		at_str(&b, m->imports[i].alias);
	}
	for (int i = 0; i < m->ndecls; i++)
		at_decl(&b, m->decls[i]);
	buf_puts(&b, "]\n");
	return buf_cstr(&b);
}

#endif
