/*
 * symbols.c - the symbol index of a checked rule set (symbols.h).
 *
 * Two passes over the modules: the first makes a Sym for every declaration,
 * enumeration member and record field (so a use may come before its
 * declaration in the text); the second walks every tree and records a
 * SymUse for each name, using what the checker wrote on the nodes (ref,
 * decl, slot, type).  Locals (let, for, a function's parameters) are
 * tracked on a scope stack during the walk, as the checker does.  The
 * position of a name that the tree does not keep (the variable of `let x`,
 * `for x in`) is found in the source text after its keyword.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "cite.h"
#include "keywords.h"
#include "parse.h"
#include "symbols.h"

/* ================================================================ index */

/* Syms by what they stand for: a pointer (Decl, TypeDef, Module) and an
 * index (member, field), in an open-addressed table. */
typedef struct Key {
	const void *ptr;
	int idx;
	Sym *sym;
} Key;

typedef struct Ix {
	SymIndex *ix;
	Key *keys;
	int cap, n;
	/* the scope stack of locals during the walk */
	Sym **scope;
	int nscope;
	const Module *mod;
	Sym **builtins; /* one per entry of the builtins table, made when first named */
} Ix;

static unsigned key_hash(const void *p, int idx)
{
	uintptr_t v = (uintptr_t)p;
	return (unsigned)((v >> 4) ^ (v >> 20) ^ (uintptr_t)idx * 2654435761u);
}

static void key_put(Ix *x, const void *p, int idx, Sym *s);

static void key_grow(Ix *x)
{
	Key *old = x->keys;
	int ocap = x->cap;
	x->cap = ocap ? ocap * 2 : 256;
	x->keys = GC_MALLOC(sizeof(Key) * (size_t)x->cap);
	x->n = 0;
	for (int i = 0; i < ocap; i++)
		if (old[i].ptr)
			key_put(x, old[i].ptr, old[i].idx, old[i].sym);
}

static void key_put(Ix *x, const void *p, int idx, Sym *s)
{
	if (x->n * 2 >= x->cap)
		key_grow(x);
	unsigned i = key_hash(p, idx) & (unsigned)(x->cap - 1);
	while (x->keys[i].ptr && !(x->keys[i].ptr == p && x->keys[i].idx == idx))
		i = (i + 1) & (unsigned)(x->cap - 1);
	if (!x->keys[i].ptr)
		x->n++;
	x->keys[i] = (Key){p, idx, s};
}

static Sym *key_get(const Ix *x, const void *p, int idx)
{
	if (!x->cap || !p)
		return NULL;
	for (unsigned i = key_hash(p, idx) & (unsigned)(x->cap - 1); x->keys[i].ptr; i = (i + 1) & (unsigned)(x->cap - 1))
		if (x->keys[i].ptr == p && x->keys[i].idx == idx)
			return x->keys[i].sym;
	return NULL;
}

static Sym *new_sym(Ix *x, SymKind k, const char *name, Loc loc, const Module *m)
{
	Sym *s = GC_MALLOC(sizeof *s);
	s->kind = k;
	s->name = name ? name : "";
	s->qname = s->name;
	s->loc = loc;
	s->src = m ? m->src : NULL;
	AST_PUSH(x->ix->syms, x->ix->nsyms, s);
	return s;
}

static void use(Ix *x, Sym *s, Loc loc, bool def)
{
	if (!s || !loc.file || loc.line <= 0)
		return;
	SymUse u = {loc, s, def};
	AST_PUSH(x->ix->uses, x->ix->nuses, u);
}

/* --------------------------------------------------------- source text */

/* The byte offset of (line, col) in src, or -1. */
static long offset_of(const Source *src, int line, int col)
{
	if (!src)
		return -1;
	long off = source_line_offset(src, line);
	if (off < 0 || off + col - 1 > (long)src->len)
		return -1;
	return off + col - 1;
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The span of the last name of the chain at `span` (`voucher.priority`:
 * `priority`), whose text is `name`, in src; a name written in quotes
 * ('VERY LOW') spans its quotes too. */
static Loc last_part(const Source *src, Loc span, const char *name)
{
	int len = (int)strlen(name);
	long end = offset_of(src, span.eline, span.ecol);
	if (end >= 0 && (size_t)end < src->len && src->text[end] == '\'')
		len += 2;
	Loc l = span;
	if (span.line == span.eline && span.ecol - span.col + 1 >= len) {
		l.line = span.eline;
		l.col = span.ecol - len + 1;
	} else {
		l.eline = l.line;
		l.ecol = l.col + len - 1;
	}
	return l;
}

/* The first name after the word `kw` at or after (line, col) in src:
 * the variable of `let x`, `for x in`. */
static Loc name_after(const Source *src, Loc from, const char *kw)
{
	Loc none = {0};
	long off = offset_of(src, from.line, from.col);
	if (off < 0)
		return none;
	size_t kl = strlen(kw);
	const char *t = src->text;
	int line = from.line, col = from.col;
	for (size_t i = (size_t)off; i + kl < src->len; i++) {
		int eol = source_eol(t + i, t + src->len);
		if (eol) {
			line++;
			col = 1;
			i += (size_t)eol - 1;
			continue;
		}
		if (memcmp(t + i, kw, kl) == 0 && (i == 0 || !is_ident_char(t[i - 1])) && !is_ident_char(t[i + kl])) {
			size_t j = i + kl;
			int c = col + (int)kl;
			while (j < src->len && (t[j] == ' ' || t[j] == '\t'))
				j++, c++;
			size_t k = j;
			while (k < src->len && is_ident_char(t[k]))
				k++;
			if (k == j)
				return none;
			Loc l = {src->path, line, c, line, c + (int)(k - j) - 1};
			return l;
		}
		col++;
	}
	return none;
}

/* ----------------------------------------------------- first pass: syms */

static SymKind decl_kind(DeclKind k)
{
	switch (k) {
	case D_ENUM: return SK_ENUM;
	case D_RECORD: return SK_RECORD;
	case D_FACT: return SK_FACT;
	case D_PARAM: return SK_PARAM;
	case D_DECISION: return SK_DECISION;
	case D_TABLE: return SK_TABLE;
	case D_FUNCTION: return SK_FUNCTION;
	case D_CHECK:
	case D_REQUIRE: return SK_CHECK;
	case D_TEST: return SK_TEST;
	case D_DOCUMENT: return SK_DOCUMENT;
	}
	return SK_DECISION;
}

static void def_syms(Ix *x, Sym *parent, TypeDef *td, const Module *m)
{
	if (!td)
		return;
	for (int i = 0; i < td->nmembers; i++) {
		Sym *s = new_sym(x, SK_MEMBER, td->members[i], td->member_locs ? td->member_locs[i] : parent->loc, m);
		s->qname = ast_join(td->name, '.', td->members[i]);
		s->def = td, s->idx = i, s->parent = parent, s->decl = parent->decl;
		s->type = ty_named(td);
		key_put(x, td, i, s);
	}
	for (int i = 0; i < td->nfields; i++) {
		Field *f = &td->fields[i];
		Sym *s = new_sym(x, SK_FIELD, f->name, f->loc, m);
		s->qname = ast_join(parent->name, '.', f->name);
		s->def = td, s->idx = i, s->parent = parent, s->decl = parent->decl;
		s->type = f->type;
		key_put(x, td, 1000000 + i, s);
	}
}

static void decl_syms(Ix *x, Module *m)
{
	Sym *ms = new_sym(x, SK_MODULE, m->name, m->name_loc.file ? m->name_loc : (Loc){m->src ? m->src->path : NULL, 1, 1, 1, 0}, m);
	key_put(x, m, 0, ms);
	for (int i = 0; i < m->ndecls; i++) {
		Decl *d = m->decls[i];
		if (!d->name)
			continue;
		Sym *s = new_sym(x, decl_kind(d->kind), d->name, d->loc, m);
		s->decl = d;
		s->def = d->def;
		s->type = d->type;
		s->qname = d->qname ? d->qname : d->name;
		if (d->kind == D_CHECK || d->kind == D_TEST || d->kind == D_REQUIRE)
			s->qname = xprintf("%s \"%s\"", d->kind == D_CHECK ? "check" : d->kind == D_TEST ? "test" : "require",
					   d->name);
		key_put(x, d, 0, s);
		if (d->def) {
			key_put(x, d->def, -1, s);
			def_syms(x, s, d->def, m);
		}
	}
}

/* ---------------------------------------------------- second pass: uses */

static Sym *module_sym(Ix *x, const char *name)
{
	for (int i = 0; i < x->ix->p->nmods; i++)
		if (x->ix->p->mods[i]->name && strcmp(x->ix->p->mods[i]->name, name) == 0)
			return key_get(x, x->ix->p->mods[i], 0);
	return NULL;
}

static Sym *type_sym(Ix *x, const char *name)
{
	for (int i = 0; i < x->ix->p->ntypes; i++)
		if (strcmp(x->ix->p->types[i]->name, name) == 0)
			return key_get(x, x->ix->p->types[i], -1);
	return NULL;
}

/* The prefix of a qualified name at `span` before its last part `name`
 * (`voucher` of `voucher.priority`): a module or an enumeration. */
static void prefix_use(Ix *x, Loc span, const char *name)
{
	Loc last = last_part(x->mod->src, span, name);
	if (last.col - span.col < 2 || span.line != span.eline)
		return;
	long off = offset_of(x->mod->src, span.line, span.col);
	if (off < 0)
		return;
	size_t n = (size_t)(last.col - span.col - 1);
	const char *t = x->mod->src->text + off;
	for (size_t i = 0; i < n; i++)
		if (!is_ident_char(t[i]) && t[i] != '.')
			return;
	const char *pre = ast_strdup(t, n);
	Sym *s = module_sym(x, pre);
	if (!s)
		s = type_sym(x, pre);
	Loc l = {span.file, span.line, span.col, span.line, span.col + (int)n - 1};
	use(x, s, l, false);
}

static Sym *find_local(Ix *x, const char *name)
{
	for (int i = x->nscope - 1; i >= 0; i--)
		if (strcmp(x->scope[i]->name, name) == 0)
			return x->scope[i];
	return NULL;
}

static Sym *push_local(Ix *x, const char *name, Loc loc, const Type *t, SymKind k)
{
	Sym *s = new_sym(x, k, name, loc, x->mod);
	s->type = t;
	use(x, s, loc, true);
	int n = x->nscope;
	AST_PUSH(x->scope, n, s);
	x->nscope = n;
	return s;
}

static Sym *builtin_sym(Ix *x, const char *name)
{
	int b = bi_lookup(name);
	if (b < 0)
		return NULL;
	if (!x->builtins)
		x->builtins = GC_MALLOC(sizeof(Sym *) * (size_t)bi_count);
	if (!x->builtins[b])
		x->builtins[b] = new_sym(x, SK_BUILTIN, bi_table[b].name, (Loc){0}, NULL);
	return x->builtins[b];
}

static Sym *field_sym(Ix *x, const Type *rec, const char *name)
{
	if (!rec || rec->kind != TY_REC || !rec->def || !name)
		return NULL;
	for (int i = 0; i < rec->def->nfields; i++)
		if (strcmp(rec->def->fields[i].name, name) == 0)
			return key_get(x, rec->def, 1000000 + i);
	return NULL;
}

static Sym *member_sym(Ix *x, const Type *en, const char *name)
{
	if (!en || en->kind != TY_ENUM || !en->def || !name)
		return NULL;
	for (int i = 0; i < en->def->nmembers; i++)
		if (strcmp(en->def->members[i], name) == 0)
			return key_get(x, en->def, i);
	return NULL;
}

static void walk_type(Ix *x, Node *tn)
{
	if (!tn)
		return;
	if (tn->kind == N_LIST) {
		walk_type(x, tn->kids[0]);
		return;
	}
	if (tn->kind == N_NAME && tn->text) {
		Loc l = tn->loc;
		l.eline = l.line;
		l.ecol = l.col + (int)strlen(tn->text) - 1;
		use(x, type_sym(x, tn->text), l, false);
	}
}

static void walk(Ix *x, Node *n);

static void walk_kids(Ix *x, Node *n, int from)
{
	for (int i = from; i < n->nkids; i++)
		walk(x, n->kids[i]);
}

static void walk_name(Ix *x, Node *n)
{
	Sym *s = NULL;
	switch (n->ref) {
	case R_LOCAL: s = find_local(x, n->text); break;
	case R_DECL: s = key_get(x, n->decl, 0); break;
	case R_FACT:
		if (n->slot >= 0 && n->slot < x->ix->p->nfacts)
			s = key_get(x, x->ix->p->facts[n->slot], 0);
		break;
	case R_MEMBER:
		if (n->type && n->type->kind == TY_ENUM)
			s = key_get(x, n->type->def, n->slot);
		break;
	default: break;
	}
	if (!s || !n->text)
		return;
	use(x, s, last_part(x->mod->src, n->loc, n->text), false);
	prefix_use(x, n->loc, n->text);
}

/* `x` of a `let x = ...; body` or `... for x in list`: the tree keeps its
 * name; its place is found after the keyword. */
static void walk_bound(Ix *x, const char *name, Loc from, const char *kw, const Type *t, Node **inner, int ninner)
{
	int mark = x->nscope;
	push_local(x, name, name_after(x->mod->src, from, kw), t, SK_LOCAL);
	for (int i = 0; i < ninner; i++)
		walk(x, inner[i]);
	x->nscope = mark;
}

static void walk(Ix *x, Node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_NAME:
		walk_name(x, n);
		break;
	case N_FIELD:
		walk(x, n->kids[0]);
		if (n->kids[0]->type && n->text)
			use(x, field_sym(x, n->kids[0]->type, n->text), last_part(x->mod->src, n->loc, n->text), false);
		break;
	case N_CALL: {
		Node *callee = n->nkids ? n->kids[0] : NULL;
		if (callee && callee->kind == N_NAME && callee->text) {
			Sym *s = n->ref == R_FUNC ? key_get(x, n->decl, 0)
				 : n->ref == R_MEMBER && n->type && n->type->kind == TY_ENUM
				     ? key_get(x, n->type->def, n->slot) /* most_recent(...) */
				     : builtin_sym(x, callee->text);
			use(x, s, callee->loc, false);
		} else if (callee && callee->kind == N_FIELD && n->ref == R_FUNC) {
			use(x, key_get(x, n->decl, 0), last_part(x->mod->src, callee->loc, callee->text), false);
			prefix_use(x, callee->loc, callee->text);
		}
		walk_kids(x, n, 1);
		break;
	}
	case N_LET: {
		walk(x, n->kids[0]);
		Node *body[1] = {n->kids[1]};
		walk_bound(x, n->text, n->loc, "let", n->kids[0] ? n->kids[0]->type : NULL, body, 1);
		break;
	}
	case N_GEN: {
		walk(x, n->kids[1]);
		const Type *lt = n->kids[1] ? n->kids[1]->type : NULL;
		Node *inner[2] = {n->kids[0], n->nkids > 2 ? n->kids[2] : NULL};
		Loc from = n->kids[0] ? n->kids[0]->loc : n->loc;
		from.line = from.eline;
		from.col = from.ecol + 1;
		walk_bound(x, n->text, from, "for", lt && lt->kind == TY_LIST ? lt->elem : NULL, inner, 2);
		break;
	}
	case N_MATCH:
		walk(x, n->kids[0]);
		for (int i = 1; i < n->nkids; i++) {
			Node *arm = n->kids[i];
			if (arm && arm->kind == N_ARM && arm->text) {
				Loc l = arm->loc;
				l.eline = l.line;
				l.ecol = l.col + (int)strlen(arm->text) - 1;
				use(x, member_sym(x, n->kids[0]->type, arm->text), l, false);
			}
			if (arm)
				walk_kids(x, arm, 0);
		}
		break;
	case N_RECORD:
		for (int i = 0; i < n->nkids; i++) {
			Node *e = n->kids[i];
			if (e && e->kind == N_ENTRY && e->text) {
				Loc l = e->loc;
				l.eline = l.line;
				l.ecol = l.col + (int)strlen(e->text) - 1;
				use(x, field_sym(x, n->type, e->text), l, false);
			}
			if (e)
				walk_kids(x, e, 0);
		}
		break;
	default:
		walk_kids(x, n, 0);
		break;
	}
}

/* A test's `given a.b.c = ...`: the fact and its fields, by name. */
static void walk_given(Ix *x, TestStep *s)
{
	long off = offset_of(x->mod->src, s->loc.line, s->loc.col);
	if (off < 0 || s->npath <= 0)
		return;
	const char *t = x->mod->src->text;
	size_t i = (size_t)off;
	int col = s->loc.col;
	const Type *ty = NULL;
	for (int k = 0; k < s->npath; k++) {
		while (i < x->mod->src->len && (t[i] == ' ' || t[i] == '.'))
			i++, col++;
		size_t len = strlen(s->path[k]);
		if (i + len > x->mod->src->len || memcmp(t + i, s->path[k], len) != 0)
			return;
		Loc l = {s->loc.file, s->loc.line, col, s->loc.line, col + (int)len - 1};
		Sym *sym = NULL;
		if (k == 0) {
			Decl *f = prog_find_fact(x->ix->p, s->path[0]);
			sym = f ? key_get(x, f, 0) : NULL;
		} else {
			sym = field_sym(x, ty, s->path[k]);
		}
		if (!sym)
			return;
		use(x, sym, l, false);
		ty = sym->type;
		i += len;
		col += (int)len;
	}
}

static void walk_fields(Ix *x, TypeDef *td)
{
	if (!td)
		return;
	for (int i = 0; i < td->nmembers; i++)
		use(x, key_get(x, td, i), td->member_locs ? td->member_locs[i] : (Loc){0}, true);
	for (int i = 0; i < td->nfields; i++) {
		use(x, key_get(x, td, 1000000 + i), td->fields[i].loc, true);
		walk_type(x, td->fields[i].type_node);
		walk(x, td->fields[i].dflt);
	}
}

static void walk_cases(Ix *x, Decl *d)
{
	for (int i = 0; i < d->ncases; i++) {
		walk(x, d->cases[i].cond);
		walk(x, d->cases[i].value);
	}
}

static void walk_decl(Ix *x, Decl *d)
{
	Sym *self = key_get(x, d, 0);
	use(x, self, d->loc, true);
	walk_type(x, d->type_node);
	walk_fields(x, d->def);
	walk(x, d->dflt);
	/* a decision for each member: its member is no parameter written out
	 * (the checker passes it to the block's other decisions unseen) */
	if (d->each)
		walk_cases(x, d);
	int mark = x->nscope;
	for (int i = 0; i < d->nparams; i++) {
		walk_type(x, d->params[i].type_node);
		push_local(x, d->params[i].name, d->params[i].loc, d->params[i].type, SK_ARG);
	}
	if (!d->each) /* the cases of a function read its parameters */
		walk_cases(x, d);
	walk(x, d->body);
	x->nscope = mark;
	if (d->kind == D_REQUIRE)
		walk(x, d->cond);
	if (d->kind == D_CHECK) {
		walk(x, d->over);
		if (d->var) {
			const Type *lt = d->over ? d->over->type : NULL;
			Node *inner[2] = {d->cond, d->showing};
			walk_bound(x, d->var, d->loc, "for", lt && lt->kind == TY_LIST ? lt->elem : NULL, inner, 2);
		} else {
			walk(x, d->cond);
		}
	}
	for (int i = 0; i < d->nsteps; i++) {
		if (d->steps[i].kind == TS_GIVEN)
			walk_given(x, &d->steps[i]);
		walk(x, d->steps[i].expr);
	}
}

/* A citation names its document: a use of the document's symbol. */
static void cite_use(Citation *c, Decl *owner, Case *kase, void *arg)
{
	(void)owner, (void)kase;
	Ix *x = arg;
	if (c->document)
		use(x, key_get(x, c->document, 0), c->loc, false);
}
static int by_place(const void *a, const void *b);

SymIndex *sym_index(const Program *p)
{
	Ix x = {0};
	x.ix = GC_MALLOC(sizeof *x.ix);
	x.ix->p = p;
	for (int i = 0; i < p->nmods; i++)
		decl_syms(&x, p->mods[i]);
	for (int i = 0; i < p->nmods; i++) {
		Module *m = p->mods[i];
		x.mod = m;
		if (m->name_loc.file)
			use(&x, key_get(&x, m, 0), m->name_loc, true);
		for (int j = 0; j < m->nimports; j++)
			use(&x, module_sym(&x, m->imports[j].name), m->imports[j].loc, false);
		for (int j = 0; j < m->ndecls; j++)
			walk_decl(&x, m->decls[j]);
	}
	cite_each(p, cite_use, &x);
	if (x.ix->nuses > 1)
		qsort(x.ix->uses, (size_t)x.ix->nuses, sizeof(SymUse), by_place);
	return x.ix;
}

/* The order of places: file, line, column. */
static int cmp_place(const char *file, int line, int col, const SymUse *u)
{
	int c = strcmp(file, u->loc.file);
	if (c)
		return c;
	return line != u->loc.line ? (line < u->loc.line ? -1 : 1) : col < u->loc.col ? -1 : col > u->loc.col;
}

static int by_place(const void *a, const void *b)
{
	const SymUse *u = a;
	return cmp_place(u->loc.file, u->loc.line, u->loc.col, b);
}

const SymUse *sym_at(const SymIndex *ix, const char *file, int line, int col)
{
	/* the last use that starts at or before the place (uses do not overlap) */
	int lo = 0, hi = ix->nuses - 1, best = -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (cmp_place(file, line, col, &ix->uses[mid]) >= 0)
			best = mid, lo = mid + 1;
		else
			hi = mid - 1;
	}
	/* the cursor may stand just after a name (col == ecol + 1) */
	for (int i = best; i >= 0 && i >= best - 1; i--) {
		const SymUse *u = &ix->uses[i];
		if (u->loc.line == line && u->loc.eline == line && col >= u->loc.col && col <= u->loc.ecol + 1 &&
		    strcmp(u->loc.file, file) == 0)
			return u;
	}
	return NULL;
}

/* ================================================================ hover */

const char *sym_kind_name(SymKind k)
{
	static const char *const names[] = {
		[SK_MODULE] = "module",      [SK_ENUM] = "enumeration", [SK_RECORD] = "record",
		[SK_MEMBER] = "member",      [SK_FIELD] = "field",      [SK_FACT] = "fact",
		[SK_PARAM] = "parameter",    [SK_DECISION] = "decision", [SK_TABLE] = "table",
		[SK_FUNCTION] = "function",  [SK_ARG] = "argument",     [SK_LOCAL] = "local name",
		[SK_CHECK] = "check",        [SK_TEST] = "test",        [SK_BUILTIN] = "built-in function",
		[SK_KEYWORD] = "keyword",    [SK_CURRENCY] = "currency", [SK_DOCUMENT] = "document",
	};
	return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "name";
}

const char *sym_doc(const Source *src, int line)
{
	if (!src || line <= 1)
		return NULL;
	int first = line;
	for (int l = line - 1; l >= 1; l--) {
		long off = source_line_offset(src, l);
		if (off < 0)
			break;
		const char *t = src->text + off;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t != '#')
			break;
		first = l;
	}
	if (first == line)
		return NULL;
	Buf b = {0};
	for (int l = first; l < line; l++) {
		const char *t = src->text + source_line_offset(src, l);
		while (*t == ' ' || *t == '\t')
			t++;
		t++;
		if (*t == ' ')
			t++;
		size_t n = strcspn(t, "\r\n");
		if (b.n)
			buf_add(&b, "\n", 1);
		buf_add(&b, t, n);
	}
	return buf_cstr(&b);
}

static void cites_md(Buf *b, const Citation *c, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(b, "\n> %s: %s\n", c[i].assumption ? "assumption" : "source", cite_text(&c[i]));
}

/* The declaration line for the hover: `decision voucher.priority : bool`. */
static void signature_md(Buf *b, const Sym *s)
{
	buf_printf(b, "```edict\n%s %s", sym_kind_name(s->kind), s->qname);
	if (s->kind == SK_FUNCTION && s->decl) {
		buf_puts(b, "(");
		for (int i = 0; i < s->decl->nparams; i++)
			buf_printf(b, "%s%s : %s", i ? ", " : "", s->decl->params[i].name,
				   s->decl->params[i].type ? ty_name(s->decl->params[i].type) : "?");
		buf_puts(b, ")");
	}
	if (s->type && s->kind != SK_ENUM && s->kind != SK_RECORD && s->kind != SK_MEMBER)
		buf_printf(b, " : %s", ty_name(s->type));
	if (s->kind == SK_MEMBER && s->def)
		buf_printf(b, " : %s", s->def->name);
	buf_puts(b, "\n```\n");
}

/* A parameter's dated values, a decision's cases: value, dates, sources. */
static void cases_md(Buf *b, const SymIndex *ix, const Decl *d)
{
	for (int i = 0; i < d->ncases; i++) {
		const Case *c = &d->cases[i];
		if (d->ncases == 1 && !c->from && !c->until && d->kind != D_PARAM) {
			cites_md(b, c->cites, c->ncites);
			continue;
		}
		buf_puts(b, "\n- ");
		if (c->label)
			buf_printf(b, "exception %s: ", c->label);
		else if (c->cond)
			buf_printf(b, "when `%s`: ", prog_node_text(ix->p, c->cond));
		else if (d->kind != D_PARAM)
			buf_puts(b, "default: ");
		buf_printf(b, "`%s`", c->value ? prog_node_text(ix->p, c->value) : "?");
		if (c->from)
			buf_printf(b, " from %s", c->from);
		if (c->until)
			buf_printf(b, " until %s", c->until);
		for (int k = 0; k < c->ncites; k++)
			buf_printf(b, "; %s \"%s\"", c->cites[k].assumption ? "assumption" : "source", c->cites[k].text);
	}
	if (d->ncases > 1 || (d->ncases == 1 && (d->cases[0].from || d->kind == D_PARAM)))
		buf_puts(b, "\n");
}

char *sym_hover(const SymIndex *ix, const Sym *s)
{
	Buf b = {0};
	signature_md(&b, s);
	const char *doc = s->loc.file ? sym_doc(s->src, s->loc.line) : NULL;
	if (doc)
		buf_printf(&b, "\n%s\n", doc);
	if (s->kind == SK_BUILTIN)
		buf_puts(&b, "\nA function built into the language (see the language guide).\n");
	if (s->kind == SK_FIELD && s->def) {
		const Field *f = &s->def->fields[s->idx];
		if (f->optional)
			buf_puts(&b, "\nOptional: it may be absent from the facts.\n");
		if (f->dflt)
			buf_printf(&b, "\nDefault: `%s`\n", prog_node_text(ix->p, f->dflt));
		cites_md(&b, f->cites, f->ncites);
	}
	if (s->kind == SK_ENUM && s->def) {
		buf_puts(&b, "\nMembers:");
		for (int i = 0; i < s->def->nmembers; i++)
			buf_printf(&b, "%s `%s`", i ? "," : "", s->def->members[i]);
		buf_puts(&b, "\n");
	}
	if (s->decl && s->kind != SK_MEMBER && s->kind != SK_FIELD) {
		cases_md(&b, ix, s->decl);
		cites_md(&b, s->decl->cites, s->decl->ncites);
	}
	return (char *)buf_cstr(&b);
}

/* ============================================================ completion */

static void cand(SymCand **out, int *n, const char *label, SymKind k, const Type *t)
{
	SymCand c = {label, k, t ? ty_name(t) : NULL};
	AST_PUSH(*out, *n, c);
}

static const Module *module_of_file(const SymIndex *ix, const char *file)
{
	for (int i = 0; i < ix->p->nmods; i++)
		if (ix->p->mods[i]->src && strcmp(ix->p->mods[i]->src->path, file) == 0)
			return ix->p->mods[i];
	return NULL;
}

/* The type a dotted path (`company.address`) has, or NULL. */
static const Type *path_type(const SymIndex *ix, const Module *m, const char *path)
{
	const char *dot = strchr(path, '.');
	const char *root = dot ? ast_strdup(path, (size_t)(dot - path)) : path;
	const Type *t = NULL;
	Decl *f = prog_find_fact(ix->p, root);
	if (f)
		t = f->type;
	else {
		Decl *d = m ? prog_find_decl(ix->p, ast_join(m->name, '.', root)) : NULL;
		t = d ? d->type : NULL;
	}
	while (t && dot) {
		const char *seg = dot + 1;
		dot = strchr(seg, '.');
		const char *name = dot ? ast_strdup(seg, (size_t)(dot - seg)) : seg;
		const Type *next = NULL;
		if (t->kind == TY_REC)
			for (int i = 0; i < t->def->nfields; i++)
				if (strcmp(t->def->fields[i].name, name) == 0)
					next = t->def->fields[i].type;
		t = next;
	}
	return t;
}

/* After `prefix.`: what the prefix has. */
static int complete_after(const SymIndex *ix, const Module *m, const char *prefix, SymCand **out)
{
	int n = 0;
	const Program *p = ix->p;
	for (int i = 0; i < p->nmods; i++)
		if (p->mods[i]->name && strcmp(p->mods[i]->name, prefix) == 0)
			for (int j = 0; j < p->mods[i]->ndecls; j++) {
				Decl *d = p->mods[i]->decls[j];
				if (d->name && d->kind >= D_PARAM && d->kind <= D_FUNCTION && (!d->private_ || p->mods[i] == m))
					cand(out, &n, d->name, decl_kind(d->kind), d->type);
			}
	for (int i = 0; i < p->ntypes; i++)
		if (p->types[i]->is_enum && strcmp(p->types[i]->name, prefix) == 0)
			for (int j = 0; j < p->types[i]->nmembers; j++)
				cand(out, &n, p->types[i]->members[j], SK_MEMBER, NULL);
	const Type *t = path_type(ix, m, prefix);
	if (t && t->kind == TY_REC)
		for (int i = 0; i < t->def->nfields; i++)
			cand(out, &n, t->def->fields[i].name, SK_FIELD, t->def->fields[i].type);
	return n;
}

static const char *const common_currencies[] = {"KRW", "USD", "EUR", "BDT", "JPY", "CNY", "GBP"};

static void complete_currencies(const SymIndex *ix, SymCand **out, int *n)
{
	const char *seen[64];
	int ns = 0;
	for (size_t i = 0; i < sizeof common_currencies / sizeof common_currencies[0]; i++)
		seen[ns++] = common_currencies[i];
	/* and every code the rule set writes */
	for (int i = 0; i < ix->p->nnodes && ns < 64; i++) {
		const Node *nd = ix->p->nodes[i];
		if (!nd || nd->kind != N_MONEY || !nd->cur)
			continue;
		char c[4];
		val_currency_text(nd->cur, c);
		bool have = false;
		for (int k = 0; k < ns && !have; k++)
			have = strcmp(seen[k], c) == 0;
		if (!have)
			seen[ns++] = ast_strdup(c, 3);
	}
	for (int k = 0; k < ns; k++)
		cand(out, n, seen[k], SK_CURRENCY, NULL);
}

int sym_complete(const SymIndex *ix, const char *file, const char *before, SymCand **out)
{
	*out = NULL;
	const Module *m = module_of_file(ix, file);
	size_t len = strlen(before), start = len;
	while (start > 0 && (is_ident_char(before[start - 1]) || before[start - 1] == '.'))
		start--;
	const char *word = before + start;
	const char *dot = strrchr(word, '.');
	if (dot)
		return complete_after(ix, m, ast_strdup(word, (size_t)(dot - word)), out);
	int n = 0;
	const Program *p = ix->p;
	for (int i = 0; i < kw_count; i++)
		cand(out, &n, kw_table[i].text, SK_KEYWORD, NULL);
	for (int i = 0; i < p->nmods; i++) {
		const Module *o = p->mods[i];
		if (o != m && o->name)
			cand(out, &n, o->name, SK_MODULE, NULL);
		for (int j = 0; j < o->ndecls && o == m; j++) {
			Decl *d = o->decls[j];
			if (d->name && d->kind >= D_PARAM && d->kind <= D_FUNCTION)
				cand(out, &n, d->name, decl_kind(d->kind), d->type);
		}
	}
	for (int i = 0; i < p->nfacts; i++)
		cand(out, &n, p->facts[i]->name, SK_FACT, p->facts[i]->type);
	for (int i = 0; i < p->ntypes; i++) {
		TypeDef *td = p->types[i];
		cand(out, &n, td->name, td->is_enum ? SK_ENUM : SK_RECORD, NULL);
		for (int j = 0; j < td->nmembers; j++)
			cand(out, &n, td->members[j], SK_MEMBER, NULL);
	}
	for (int b = 0; b < bi_count; b++)
		cand(out, &n, bi_table[b].name, SK_BUILTIN, NULL);
	complete_currencies(ix, out, &n);
	return n;
}

bool sym_valid_name(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!is_ident_char(s[i]))
			return false;
	if (n == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z')
		return false;
	return kw_find(s, n) < 0;
}
