/*
 * check.c - name resolution and type checking.
 *
 * Runs in passes over all modules of a rule set:
 *   1. register: every type, fact, param, decision, table and function gets
 *      a global slot and a qualified name; duplicates are reported;
 *   2. imports: each `import x` must name a module of the rule set;
 *   3. types: field, fact and result types are resolved;
 *   4. bodies: every expression is checked against its expected type, and
 *      names are resolved to locals, decisions, facts, members or builtins;
 *   5. cycles: a decision that depends on itself is reported with its path.
 * Messages speak of policy, not compilers: "this decision gives a percentage
 * but was declared as money".
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arith.h"
#include "builtins.h"
#include "check.h"
#include "cite.h"
#include "format.h"
#include "scale.h"
#include "strmap.h"

/* "a whole number", "an amount of money": for sentences. */
static const char *a_ty(const Type *t)
{
	const char *n = ty_name(t);
	if (t->kind == TY_BOOL)
		return "true or false";
	if (t->kind == TY_MONEY)
		return t->cur ? xprintf("an amount of %s", n) : "an amount of money";
	if (t->kind == TY_ERROR || t->kind == TY_LIST || t->kind == TY_EMPTY || t->kind == TY_STR)
		return n;
	return xprintf("%s %s", strchr("aeiou", n[0]) ? "an" : "a", n);
}

static bool is_num(const Type *t)
{
	return t->kind == TY_INT || t->kind == TY_DEC || t->kind == TY_PCT;
}

/* Can a value of type `from` stand where `to` is expected? */
static bool assignable(const Type *from, const Type *to)
{
	if (from->kind == TY_ERROR || to->kind == TY_ERROR)
		return true;
	if (from->kind == TY_INT && to->kind == TY_DEC)
		return true;
	if (from->kind == TY_EMPTY && to->kind == TY_LIST)
		return true;
	if (from->kind == TY_MONEY && to->kind == TY_MONEY)
		return !from->cur || !to->cur || from->cur == to->cur;
	if (from->kind == TY_LIST && to->kind == TY_LIST)
		return assignable(from->elem, to->elem);
	return ty_equal(from, to);
}

/* The common type of two branches, or NULL when they do not mix. */
static const Type *unify(const Type *a, const Type *b)
{
	if (a->kind == TY_ERROR)
		return b;
	if (b->kind == TY_ERROR)
		return a;
	if (ty_equal(a, b))
		return a;
	if ((a->kind == TY_INT && b->kind == TY_DEC) || (a->kind == TY_DEC && b->kind == TY_INT))
		return &ty_dec;
	if (a->kind == TY_EMPTY && b->kind == TY_LIST)
		return b;
	if (b->kind == TY_EMPTY && a->kind == TY_LIST)
		return a;
	if (a->kind == TY_MONEY && b->kind == TY_MONEY)
		return (!a->cur || !b->cur) ? &ty_money : NULL;
	if (a->kind == TY_LIST && b->kind == TY_LIST) {
		const Type *e = unify(a->elem, b->elem);
		return e ? ty_list(e) : NULL;
	}
	return NULL;
}

/* ============================================================== checker */

typedef struct Local {
	const char *name;
	int slot;
	const Type *type;
} Local;

/* An enumeration member name may belong to several enumerations. */
typedef struct MemberRef {
	TypeDef *def;
	int idx;
	struct MemberRef *next;
} MemberRef;

typedef struct Chk {
	Program *p;
	Diags *d;
	StrMap mods;       /* module name -> Module */
	StrMap decls;      /* qualified name -> Decl (params, decisions, tables, functions) */
	StrMap bare;       /* bare name -> Decl, or &ambiguous */
	StrMap types;      /* type name -> TypeDef */
	StrMap facts;      /* fact name -> Decl */
	StrMap tests;      /* qualified test name -> Decl */
	StrMap members;    /* member name -> MemberRef */
	StrMap each_rules; /* "record id:name" -> a decision decided for each member of that record type */
	Module *mod; /* module being checked; NULL for queries */
	Decl *decl;  /* declaration being checked */
	Local *locals;
	int nlocals;
	int nslots, maxslots;
	int loops; /* 'for' loops around the expression being checked */
	Own *own;  /* what is checked after the load keeps its nodes here (NULL: the program's) */
	/* the type of the last money literal: the next one in the same
	 * currency shares it (types are never changed once made) */
	const Type *money;
} Chk;

static char ambiguous;

/* The part of the checker's state that belongs to one declaration or
 * query; saved and restored around nested checks.  Everything else (the
 * tables, the node numbering) carries on. */
typedef struct Scope {
	Module *mod;
	Decl *decl;
	Local *locals;
	int nlocals, nslots, maxslots, loops;
} Scope;

static Scope scope_enter(Chk *c, Module *mod, Decl *decl)
{
	Scope s = {c->mod, c->decl, c->locals, c->nlocals, c->nslots, c->maxslots, c->loops};
	c->mod = mod;
	c->decl = decl;
	c->locals = NULL;
	c->nlocals = c->nslots = c->maxslots = c->loops = 0;
	return s;
}

static void scope_leave(Chk *c, Scope s)
{
	c->mod = s.mod;
	c->decl = s.decl;
	c->locals = s.locals;
	c->nlocals = s.nlocals;
	c->nslots = s.nslots;
	c->maxslots = s.maxslots;
	c->loops = s.loops;
}

/* Number n and keep it by its number, for the traces that name it: in the
 * program's table during the load, after it in the Own being checked. */
static void number(Chk *c, Node *n)
{
	Program *p = c->p;
	if (c->own) {
		n->id = p->nnodes + c->own->nnodes;
		AST_PUSH(c->own->nodes, c->own->nnodes, n);
	} else {
		n->id = p->nnodes;
		AST_PUSH(p->nodes, p->nnodes, n);
	}
}

/* A node's source text, for messages: also an Own's. */
static const char *node_text(const Chk *c, const Node *n)
{
	return prog_own_text(c->p, c->own, n);
}

static Diag *err(Chk *c, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static Diag *err(Chk *c, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	Diag *dg = diag_vadd(c->d, SEV_ERROR, loc, fmt, ap);
	va_end(ap);
	return dg;
}

static const Type *check(Chk *c, Node *n, const Type *expect);

static void add_dep(Chk *c, Decl *d)
{
	if (!c->decl || !d)
		return;
	for (int i = 0; i < c->decl->ndeps; i++)
		if (c->decl->deps[i] == d)
			return;
	AST_PUSH(c->decl->deps, c->decl->ndeps, d);
}

static int push_local(Chk *c, const char *name, const Type *t)
{
	int slot = c->nslots++;
	if (c->nslots > c->maxslots)
		c->maxslots = c->nslots;
	Local l = {name, slot, t};
	AST_PUSH(c->locals, c->nlocals, l);
	return slot;
}

/* Reserve frame slots that no name refers to (loop state). */
static int reserve(Chk *c, int n)
{
	int slot = c->nslots;
	c->nslots += n;
	if (c->nslots > c->maxslots)
		c->maxslots = c->nslots;
	return slot;
}

static Local *find_local(Chk *c, const char *name)
{
	for (int i = c->nlocals - 1; i >= 0; i--)
		if (strcmp(c->locals[i].name, name) == 0)
			return &c->locals[i];
	return NULL;
}

static const char *qualify(const Module *m, const char *name)
{
	return m && m->name && *m->name ? ast_join(m->name, '.', name) : name;
}

/* ------------------------------------------------------------- literals */

Value chk_literal(const Node *n)
{
	return n->k;
}

/* A number: a whole number unless it has a point; percent and money take
 * their kind. */
static const Type *number_literal(Chk *c, Node *n)
{
	Dec d;
	DecStatus st = dec_parse(n->text, strlen(n->text), &d);
	if (n->kind == N_PERCENT && st == DEC_OK && d.exp - 2 < DEC_EMIN)
		st = DEC_OVERFLOW;
	if (st != DEC_OK) {
		err(c, n->loc, "%s", dec_status_text(st));
		return &ty_error;
	}
	if (n->kind == N_PERCENT) {
		d.exp -= 2;
		n->k = val_dec(V_PCT, d, 0);
		return &ty_pct;
	}
	if (n->kind == N_MONEY) {
		n->k = val_dec(V_MONEY, d, n->cur);
		if (!c->money || c->money->cur != n->cur)
			c->money = ty_money_in(n->cur);
		return c->money;
	}
	if (strchr(n->text, '.')) {
		n->k = val_dec(V_DEC, d, 0);
		return &ty_dec;
	}
	int64_t i;
	if (!dec_to_int(d, &i)) {
		Diag *dg = err(c, n->loc, "this whole number is too large");
		diag_hint(dg, "whole numbers go up to 9223372036854775807, decimals to 34 digits: write %s.0 "
			      "to make it a decimal", n->text);
		return &ty_error;
	}
	n->k = val_int(i);
	return &ty_int;
}

static const Type *date_literal(Chk *c, Node *n)
{
	date_t dt;
	int rc = date_parse(n->text, strlen(n->text), &dt);
	if (rc != 0) {
		int mo = atoi(n->text + 5);
		err(c, n->loc, "%s is not a real date%s", n->text,
		    rc == -3 ? ": years run from 0001 to 9999"
		    : rc == -2 && (mo < 1 || mo > 12) ? xprintf(": there is no month %d", mo)
		    : rc == -2 ? ": that day does not exist in that month" : "");
		return &ty_error;
	}
	n->k = val_date(dt);
	return &ty_date;
}

static const Type *duration_literal(Chk *c, Node *n)
{
	Dec d;
	int64_t i;
	DecStatus st = dec_parse(n->text, strlen(n->text), &d);
	if (st != DEC_OK || !dec_to_int(d, &i) || i > 1000000) {
		err(c, n->loc, "a duration is a whole number of days, weeks, months or years (at most 1000000)");
		return &ty_error;
	}
	n->k = val_dur(i, (DurUnit)n->op);
	return &ty_dur;
}

static const Type *hs_literal(Chk *c, Node *n)
{
	if (val_hs_parse(n->text, strlen(n->text), &n->k) != 0) {
		Diag *dg = err(c, n->loc, "\"%s\" is not a tariff code", n->text);
		diag_hint(dg, "write the digits of a chapter, heading or subheading, such as hs \"6205.20\"");
		return &ty_error;
	}
	return &ty_hs;
}

/* A literal: its constant value (Node.k) and type. */
static void literal(Chk *c, Node *n)
{
	n->is_const = true;
	switch (n->kind) {
	case N_BOOL:
		n->k = val_bool(n->ival != 0);
		n->type = &ty_bool;
		return;
	case N_NUMBER:
	case N_PERCENT:
	case N_MONEY:
		n->type = number_literal(c, n);
		return;
	case N_DATE:
		n->type = date_literal(c, n);
		return;
	case N_DURATION:
		n->type = duration_literal(c, n);
		return;
	case N_STRING:
		n->k = val_str(n->text, strlen(n->text));
		n->type = &ty_str;
		return;
	case N_HSLIT:
		n->type = hs_literal(c, n);
		return;
	case N_UNKNOWN:
		n->k = val_unknown(NULL);
		n->type = &ty_error; /* fits anywhere */
		return;
	default:
		n->is_const = false;
		return;
	}
}

/* --------------------------------------------------------------- types */

static const Type *resolve_type(Chk *c, Node *tn)
{
	if (!tn)
		return &ty_error;
	if (tn->kind == N_LIST) {
		const Type *e = resolve_type(c, tn->kids[0]);
		return e->kind == TY_ERROR ? e : ty_list(e);
	}
	if (tn->kind == N_SERIES) {
		const Type *e = resolve_type(c, tn->kids[0]);
		return e->kind == TY_ERROR ? e : ty_series(e);
	}
	const char *s = tn->text;
	static const struct {
		const char *name;
		const Type *t;
	} basic[] = {{"bool", &ty_bool},       {"boolean", &ty_bool}, {"int", &ty_int},
		     {"integer", &ty_int},     {"decimal", &ty_dec},  {"number", &ty_dec},
		     {"money", &ty_money},     {"percent", &ty_pct},  {"percentage", &ty_pct},
		     {"date", &ty_date},       {"duration", &ty_dur}, {"string", &ty_str},
		     {"text", &ty_str},        {"hscode", &ty_hs}};
	for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++)
		if (strcmp(s, basic[i].name) == 0) {
			if (tn->cur && basic[i].t != &ty_money) {
				err(c, tn->loc, "only money takes a currency");
				return &ty_error;
			}
			return basic[i].t == &ty_money ? ty_money_in(tn->cur) : basic[i].t;
		}
	TypeDef *td = strmap_get(&c->types, s);
	if (td)
		return ty_named(td);
	if (strcmp(s, "scale") == 0) {
		Diag *dg = err(c, tn->loc, "a scale is a parameter written with its brackets");
		diag_hint(dg, "write 'param NAME : scale' followed by lines such as 'bracket from 0 KRW rate 6%%'");
		return &ty_error;
	}
	const char *cands[64];
	int nc = 0;
	for (size_t i = 0; i < sizeof basic / sizeof basic[0] && nc < 64; i++)
		cands[nc++] = basic[i].name;
	for (size_t i = 0; i < c->types.cap && nc < 64; i++)
		if (c->types.keys[i])
			cands[nc++] = c->types.keys[i];
	Diag *dg = err(c, tn->loc, "unknown type '%s'", s);
	const char *best = diag_closest(s, cands, nc);
	if (best)
		diag_hint(dg, "did you mean '%s'?", best);
	else
		diag_hint(dg, "types are bool, int, decimal, money, percent, date, duration, string, hscode, "
			      "'list of T', or an enum or record declared in the rules");
	return &ty_error;
}

/* --------------------------------------------------------- name lookup */

static Decl *find_decl_in(Chk *c, const Module *m, const char *name)
{
	if (m && m->name && *m->name)
		return strmap_get_joined(&c->decls, m->name, '.', name);
	return strmap_get(&c->decls, name);
}

/* Is module `name` visible from the current module?  Returns it or NULL. */
static Module *visible_module(Chk *c, const char *name, bool *not_imported)
{
	*not_imported = false;
	if (!c->mod)
		return strmap_get(&c->mods, name);
	if (c->mod->name && strcmp(c->mod->name, name) == 0)
		return c->mod;
	for (int i = 0; i < c->mod->nimports; i++) {
		Import *im = &c->mod->imports[i];
		if (!im->mod)
			continue;
		if (im->alias ? strcmp(im->alias, name) == 0 : strcmp(im->name, name) == 0)
			return im->mod;
	}
	Module *m = strmap_get(&c->mods, name);
	if (m)
		*not_imported = true;
	return NULL;
}

/* Flatten a chain of N_NAME/N_FIELD into "a.b.c"; NULL if it is not one. */
static const char *chain_text(const Node *n)
{
	if (n->kind == N_NAME)
		return n->text;
	if (n->kind == N_FIELD) {
		const char *l = chain_text(n->kids[0]);
		return l ? ast_join(l, '.', n->text) : NULL;
	}
	return NULL;
}

/* If `n` (a chain) names `module.decl`, return the decl.  Reports a module
 * that exists but is not imported. */
static Decl *module_ref(Chk *c, Node *n)
{
	if (n->kind != N_FIELD)
		return NULL;
	const char *modname = chain_text(n->kids[0]);
	if (!modname)
		return NULL;
	/* a local or fact of that name shadows modules */
	const char *root = modname;
	char first[128];
	size_t k = strcspn(root, ".");
	if (k >= sizeof first)
		return NULL;
	memcpy(first, root, k);
	first[k] = 0;
	if (find_local(c, first) || strmap_get(&c->facts, first) || (c->mod && find_decl_in(c, c->mod, first)))
		return NULL;
	bool not_imported;
	Module *m = visible_module(c, modname, &not_imported);
	if (!m) {
		if (not_imported) {
			Diag *dg = err(c, n->loc, "module '%s' is not imported here", modname);
			diag_hint(dg, "add 'import %s' at the top of this file", modname);
			n->type = &ty_error;
			return (Decl *)&ambiguous;
		}
		return NULL;
	}
	Decl *d = find_decl_in(c, m, n->text);
	if (!d) {
		const char *cands[256];
		int nc = 0;
		for (int i = 0; i < m->ndecls && nc < 256; i++)
			cands[nc++] = m->decls[i]->name;
		Diag *dg = err(c, n->loc, "module '%s' has no decision, parameter or function named '%s'", modname, n->text);
		const char *best = diag_closest(n->text, cands, nc);
		if (best)
			diag_hint(dg, "did you mean '%s.%s'?", modname, best);
		n->type = &ty_error;
		return (Decl *)&ambiguous;
	}
	if (d->private_ && d->module != c->mod) {
		err(c, n->loc, "'%s' is private to module '%s'", n->text, modname);
		n->type = &ty_error;
		return (Decl *)&ambiguous;
	}
	return d;
}

static const Type *decl_value_type(Chk *c, Decl *d, Node *use);

/* ------------------------------------------------- rules for each member */

static const char *each_key(const TypeDef *rec, const char *name)
{
	return xprintf("%d:%s", rec->id, name);
}

/* The decision decided for each member of record type rec named `name`, or NULL. */
static Decl *each_rule(Chk *c, const TypeDef *rec, const char *name)
{
	return rec ? strmap_get(&c->each_rules, each_key(rec, name)) : NULL;
}

/* n becomes the call of d, decided for each member, on `member`: how
 * `person.benefit` (and, inside the block, `benefit`) is evaluated. */
static const Type *each_call(Chk *c, Node *n, Decl *d, Node *member)
{
	Node *callee = ast_node(N_NAME, n->loc);
	callee->text = d->name;
	n->kind = N_CALL;
	n->text = d->name;
	n->kids = NULL;
	n->nkids = 0;
	ast_add(n, callee);
	ast_add(n, member);
	n->ref = R_FUNC;
	n->decl = d;
	add_dep(c, d);
	return n->type = d->type ? d->type : &ty_error;
}

/* A bare name of a decision decided for each member: inside a decision of
 * the same members it means this member's; elsewhere it needs a member. */
static const Type *ref_each(Chk *c, Node *n, Decl *d)
{
	const Each *e = d->each;
	if (c->decl && c->decl->each && e->rec && c->decl->each->rec == e->rec) {
		/* the member itself, the rule's first parameter, even where a
		 * loop's variable has taken its name */
		Node *self = ast_node(N_NAME, n->loc);
		self->text = c->decl->each->var;
		self->ref = R_LOCAL;
		self->slot = 0;
		self->type = c->decl->params[0].type;
		number(c, self);
		return each_call(c, n, d, self);
	}
	for (int i = c->nlocals - 1; e->rec && i >= 0; i--) {
		const Type *lt = c->locals[i].type;
		if (lt && lt->kind == TY_REC && lt->def == e->rec) {
			/* a member is at hand: a loop's variable, a parameter */
			Diag *dg = err(c, n->loc, "'%s' is decided for each %s; say for which one", d->name, e->var);
			diag_hint(dg, "write %s.%s", c->locals[i].name, d->name);
			return n->type = &ty_error;
		}
	}
	if (e->rec && !e->over) {
		Diag *dg = err(c, n->loc, "'%s' is decided for each %s, so it needs to say for which one", d->name, e->var);
		diag_hint(dg, "put the %s it is for before it, as in first_%s.%s", e->rec->name, e->rec->name, d->name);
	} else if (e->rec) {
		const char *over = node_text(c, e->over);
		Diag *dg = err(c, n->loc, "'%s' is decided for each %s in %s, so it needs to say which one", d->name, e->var, over);
		if (d->type && d->type->kind == TY_BOOL)
			diag_hint(dg, "count them with count(%s for %s in %s where %s.%s), or name one, as in %s[1].%s", e->var,
				  e->var, over, e->var, d->name, over, d->name);
		else
			diag_hint(dg, "add it up with sum(%s.%s for %s in %s), or name one, as in %s[1].%s", e->var, d->name, e->var,
				  over, over, d->name);
	}
	return n->type = &ty_error;
}

/* The list each block runs over, once per block: its members' record type
 * is where `member.decision` finds the block's decisions. */
static void resolve_each(Chk *c, Decl *d)
{
	Each *e = d->each;
	if (!e->checked) {
		e->checked = true;
		Scope saved = scope_enter(c, d->module, NULL);
		const Type *t = e->over ? check(c, e->over, NULL) : ty_list(resolve_type(c, e->type_node));
		scope_leave(c, saved);
		if (t->kind == TY_LIST && t->elem->kind == TY_REC)
			e->rec = t->elem->def;
		else if (!e->over && t->elem->kind != TY_ERROR) {
			Diag *dg = err(c, e->type_node->loc, "'for each %s : ...' needs a record type, but this is %s", e->var,
				       a_ty(t->elem));
			diag_hint(dg, "name a record, as in 'record claim { ... }'");
		} else if (e->over && t->kind != TY_ERROR) {
			Diag *dg = err(c, e->over->loc, "'for each %s in ...' needs a list of records, but this is %s", e->var, a_ty(t));
			diag_hint(dg, "name a list of records, as in 'fact household { members : list of person }'");
		}
	}
	d->params[0].type = e->rec ? ty_named(e->rec) : &ty_error;
	if (!e->rec)
		return;
	if (ast_field_slot(e->rec, d->name) >= 0) {
		Diag *dg = err(c, d->loc, "'%s' is both a field of %s and a decision for each %s", d->name, e->rec->name, e->var);
		diag_hint(dg, "rename the decision");
		return;
	}
	Decl *prev = each_rule(c, e->rec, d->name);
	if (prev && prev != d) {
		Diag *dg = err(c, d->loc, "'%s' is decided twice for each %s", d->name, e->rec->name);
		diag_related(dg, prev->loc, "the other declaration");
		return;
	}
	strmap_put(&c->each_rules, each_key(e->rec, d->name), d);
}

static const Type *ref_decl(Chk *c, Node *n, Decl *d)
{
	if (d->each)
		return ref_each(c, n, d);
	if (d->kind == D_FUNCTION) {
		Diag *dg = err(c, n->loc, "'%s' is a function; it needs its arguments", d->name);
		diag_hint(dg, "write %s(...) with %d argument%s", d->name, d->nparams, d->nparams == 1 ? "" : "s");
		return n->type = &ty_error;
	}
	n->kind = N_NAME;
	n->ref = R_DECL;
	n->decl = d;
	add_dep(c, d);
	return n->type = decl_value_type(c, d, n);
}

static void unknown_name(Chk *c, Node *n)
{
	const char *cands[512];
	int nc = 0;
	for (int i = 0; i < c->nlocals && nc < 512; i++)
		cands[nc++] = c->locals[i].name;
	if (c->mod)
		for (int i = 0; i < c->mod->ndecls && nc < 512; i++)
			if (c->mod->decls[i]->kind >= D_PARAM && c->mod->decls[i]->kind <= D_FUNCTION)
				cands[nc++] = c->mod->decls[i]->name;
	for (size_t i = 0; i < c->facts.cap && nc < 512; i++)
		if (c->facts.keys[i])
			cands[nc++] = c->facts.keys[i];
	for (size_t i = 0; i < c->members.cap && nc < 512; i++)
		if (c->members.keys[i])
			cands[nc++] = c->members.keys[i];
	if (!c->mod)
		for (size_t i = 0; i < c->bare.cap && nc < 512; i++)
			if (c->bare.keys[i])
				cands[nc++] = c->bare.keys[i];
	Diag *dg = err(c, n->loc, "unknown name '%s'", n->text);
	const char *best = diag_closest(n->text, cands, nc);
	for (int i = 0; i < nc && !best; i++)
		if (strcasecmp(cands[i], n->text) == 0)
			best = cands[i]; /* LARGE for large */
	if (best)
		diag_hint(dg, "did you mean '%s'?", best);
	else if (strmap_get(&c->mods, n->text))
		diag_hint(dg, "'%s' is a module; name one of its decisions, as in %s.something", n->text, n->text);
}

/* A currency code alone where a value goes (`company.size = SME`): the
 * member it may stand for, spelt in other letters (one of the expected
 * enumeration first), else an amount without its number. */
static void currency_alone(Chk *c, const Node *n, const Type *expect)
{
	const char *member = NULL;
	for (size_t i = 0; i < c->members.cap; i++) {
		const char *k = c->members.keys[i];
		if (!k || strcasecmp(k, n->text) != 0)
			continue;
		bool wanted = false;
		for (const MemberRef *r = strmap_get(&c->members, k); r; r = r->next)
			wanted |= expect && expect->kind == TY_ENUM && r->def == expect->def;
		if (!member || wanted)
			member = k;
	}
	if (member) {
		Diag *dg = err(c, n->loc, "unknown name '%s'", n->text);
		diag_hint(dg, "did you mean '%s'? Three capital letters are read as a currency code", member);
		return;
	}
	Diag *dg = err(c, n->loc, "'%s' is a currency code, and a currency needs an amount before it", n->text);
	diag_hint(dg, "write an amount such as '100 %s'; names of three capital letters are reserved for currencies", n->text);
}

static MemberRef *pick_member(Chk *c, Node *n, MemberRef *mr, const Type *expect);
static const Type *member_ref(Chk *c, Node *n, TypeDef *td, int idx);

static const Type *check_name(Chk *c, Node *n, const Type *expect)
{
	Local *l = find_local(c, n->text);
	if (l) {
		n->ref = R_LOCAL;
		n->slot = l->slot;
		return n->type = l->type;
	}
	Decl *d = c->mod ? find_decl_in(c, c->mod, n->text) : NULL;
	if (!d && !c->mod) {
		d = strmap_get(&c->bare, n->text);
		if (d == (Decl *)&ambiguous) {
			err(c, n->loc, "'%s' is declared in several modules; write it with its module, as in module.%s", n->text,
			    n->text);
			return n->type = &ty_error;
		}
		Decl *q = strmap_get(&c->decls, n->text);
		if (q)
			d = q;
	}
	if (d)
		return ref_decl(c, n, d);
	Decl *f = strmap_get(&c->facts, n->text);
	if (f) {
		n->ref = R_FACT;
		n->slot = f->fact;
		if (c->decl)
			c->decl->reads_facts = true;
		return n->type = f->type;
	}
	MemberRef *mr = strmap_get(&c->members, n->text);
	if (mr) {
		MemberRef *pick = pick_member(c, n, mr, expect);
		if (!pick)
			return n->type = &ty_error;
		return member_ref(c, n, pick->def, pick->idx);
	}
	if (n->ival == NAME_CURRENCY_ALONE) {
		currency_alone(c, n, expect);
		return n->type = &ty_error;
	}
	unknown_name(c, n);
	if (expect && expect->kind == TY_STR && c->d->n)
		diag_hint(&c->d->items[c->d->n - 1], "text is written in quotes: \"%s\"", n->text);
	return n->type = &ty_error;
}

/* Which enumeration a member name `n` belongs to: the one the context
 * expects, else the only one; NULL (reported) when several could be meant. */
static MemberRef *pick_member(Chk *c, Node *n, MemberRef *mr, const Type *expect)
{
	MemberRef *pick = NULL;
	if (expect && expect->kind == TY_ENUM) {
		for (MemberRef *r = mr; r; r = r->next)
			if (r->def == expect->def)
				pick = r;
	}
	if (!pick && expect && expect->kind == TY_LIST && expect->elem->kind == TY_ENUM)
		for (MemberRef *r = mr; r; r = r->next)
			if (r->def == expect->elem->def)
				pick = r;
	if (!pick && !mr->next)
		pick = mr;
	if (!pick) {
		Diag *dg = err(c, n->loc, "'%s' is a member of several enumerations", n->text);
		diag_hint(dg, "write it with its enumeration, as in %s.%s", mr->def->name, n->text);
	}
	return pick;
}

/* --------------------------------------------------------- expressions */

/* `what` names the checked value in the message; when `name` is given,
 * `what` is a format with one %s for it.  The text is built only for an
 * error: a load without errors formats nothing. */
static const Type *expect_named(Chk *c, Node *n, const Type *want, const char *what, const char *name)
{
	const Type *t = check(c, n, want);
	if (!assignable(t, want)) {
		if (name)
			what = xprintf(what, name);
		Diag *dg = err(c, n->loc, "%s should be %s, but this is %s", what, a_ty(want), a_ty(t));
		if (want->kind == TY_MONEY && t->kind == TY_MONEY)
			diag_hint(dg, "amounts in different currencies do not mix; convert with an explicit rate, as in "
				      "amount(x) * 1400 KRW");
		else if (want->kind == TY_BOOL && t->kind == TY_PCT && (n->kind == N_NAME || n->kind == N_FIELD))
			diag_hint(dg, "compare it with something, as in '%s >= 10%%'", node_text(c, n));
		return &ty_error;
	}
	return t;
}

static const Type *expect_type(Chk *c, Node *n, const Type *want, const char *what)
{
	return expect_named(c, n, want, what, NULL);
}

/* A name that is member idx of td, written bare: a plain member is a
 * constant; a member that carries a value needs it. */
static const Type *member_ref(Chk *c, Node *n, TypeDef *td, int idx)
{
	n->ref = R_MEMBER;
	n->slot = idx;
	n->is_const = true;
	n->k = val_enum(td->id, idx);
	if (td->member_types && td->member_types[idx]) {
		Diag *dg = err(c, n->loc, "'%s' carries %s, and here it has none", td->members[idx],
			       a_ty(td->member_types[idx]));
		diag_hint(dg, "give its value, as in %s(...), or test which member a value is with 'match'",
			  td->members[idx]);
		return n->type = &ty_error;
	}
	return n->type = ty_named(td);
}

/* The index of member `name` in enumeration td, or -1: through the map
 * of member names, so a match of many arms costs one look-up per arm. */
static int member_index_of(const Chk *c, const TypeDef *td, const char *name)
{
	for (const MemberRef *r = strmap_get(&c->members, name); r; r = r->next)
		if (r->def == td)
			return r->idx;
	return -1;
}

static const Type *check_field(Chk *c, Node *n)
{
	Decl *md = module_ref(c, n);
	if (md == (Decl *)&ambiguous)
		return n->type = &ty_error;
	if (md)
		return ref_decl(c, n, md);
	/* `company_size.sme`: a member written with its enumeration's name,
	 * unless that name is also a value here */
	if (n->kids[0]->kind == N_NAME) {
		const char *tn = n->kids[0]->text;
		TypeDef *td = strmap_get(&c->types, tn);
		if (td && td->is_enum && !find_local(c, tn) && !strmap_get(&c->facts, tn) &&
		    !(c->mod && find_decl_in(c, c->mod, tn))) {
			int i = member_index_of(c, td, n->text);
			if (i >= 0) {
				n->kind = N_NAME;
				return member_ref(c, n, td, i);
			}
			Diag *dg = err(c, n->loc, "'%s' is not a member of %s", n->text, td->name);
			const char *best = diag_closest(n->text, td->members, td->nmembers);
			if (best)
				diag_hint(dg, "did you mean '%s.%s'?", td->name, best);
			return n->type = &ty_error;
		}
	}
	const Type *base = check(c, n->kids[0], NULL);
	if (base->kind == TY_ERROR && n->kids[0]->kind == N_UNKNOWN) {
		/* an error type is silent only where an error was already reported */
		err(c, n->loc, "the value 'unknown' has no field '%s'", n->text);
		return n->type = &ty_error;
	}
	if (base->kind == TY_ERROR)
		return n->type = &ty_error;
	if (base->kind != TY_REC) {
		err(c, n->loc, "'%s' is %s, which has no field '%s'", node_text(c, n->kids[0]), a_ty(base), n->text);
		return n->type = &ty_error;
	}
	TypeDef *td = base->def;
	int slot = ast_field_slot(td, n->text);
	if (slot >= 0) {
		n->slot = slot;
		return n->type = td->fields[slot].type ? td->fields[slot].type : &ty_error;
	}
	Decl *rule = each_rule(c, td, n->text);
	if (rule)
		return each_call(c, n, rule, n->kids[0]);
	const char *cands[256];
	int nc = 0;
	for (int i = 0; i < td->nfields && nc < 256; i++)
		cands[nc++] = td->fields[i].name;
	for (size_t i = 0; i < c->each_rules.cap && nc < 256; i++)
		if (c->each_rules.keys[i] && c->each_rules.vals[i] && ((Decl *)c->each_rules.vals[i])->each->rec == td)
			cands[nc++] = ((Decl *)c->each_rules.vals[i])->name;
	const char *path = chain_text(n->kids[0]);
	Diag *dg = n->kids[0]->ref == R_FACT && path ? err(c, n->loc, "unknown fact '%s.%s'", path, n->text)
						      : err(c, n->loc, "%s has no field '%s'", ty_name(base), n->text);
	const char *best = diag_closest(n->text, cands, nc);
	if (best)
		diag_hint(dg, "did you mean '%s%s%s'?", path ? path : "", path ? "." : "", best);
	else {
		char *all = xprintf("%s", nc ? cands[0] : "");
		for (int i = 1; i < nc; i++)
			all = xprintf("%s, %s", all, cands[i]);
		diag_hint(dg, "the record %s has: %s", td->name, all);
	}
	return n->type = &ty_error;
}

/* The arithmetic of each operator: the result's type, &ty_error after an
 * error that says more than "cannot", or NULL where the operator does not
 * take these types (arith says so). */
#define PLAIN(k) ((k) == TY_INT || (k) == TY_DEC)

/* n mod d: the remainder, with the sign of d (as DMN's modulo) */
static const Type *arith_mod(const Type *a, const Type *b)
{
	TypeKind x = a->kind, y = b->kind;
	if (PLAIN(x) && PLAIN(y))
		return x == TY_INT && y == TY_INT ? &ty_int : &ty_dec;
	if (x == TY_MONEY && y == TY_MONEY && (!a->cur || !b->cur || a->cur == b->cur))
		return a->cur ? a : b;
	if (x == TY_MONEY && PLAIN(y))
		return a;
	return NULL;
}

/* x ^ n: a decimal, exact for a whole exponent */
static const Type *arith_pow(Chk *c, Node *n, const Type *a, const Type *b)
{
	TypeKind x = a->kind, y = b->kind;
	if (PLAIN(x) && PLAIN(y))
		return &ty_dec;
	if (x == TY_PCT || y == TY_PCT || x == TY_MONEY) {
		Diag *dg = err(c, n->loc, "cannot raise %s to the power of %s", a_ty(a), a_ty(b));
		diag_hint(dg, "'^' takes plain numbers: amount(x) ^ 2, or (1 + rate) ^ years with rate a decimal");
		return &ty_error;
	}
	return NULL;
}

static const Type *arith_add(Chk *c, Node *n, const Type *a, const Type *b, const char *opname)
{
	int op = n->op;
	TypeKind x = a->kind, y = b->kind;
	if (PLAIN(x) && PLAIN(y))
		return x == TY_INT && y == TY_INT ? &ty_int : &ty_dec;
	if (x == TY_PCT && y == TY_PCT)
		return &ty_pct;
	if (x == TY_MONEY && y == TY_MONEY) {
		if (a->cur && b->cur && a->cur != b->cur) {
			Diag *dg = err(c, n->loc, "cannot %s %s and %s: the currencies differ", opname, a_ty(a), a_ty(b));
			diag_hint(dg, "convert one amount with an explicit rate first, as in amount(x) * 1400 KRW");
			return &ty_error;
		}
		return a->cur ? a : b;
	}
	if (x == TY_DATE && y == TY_DUR)
		return &ty_date;
	if (x == TY_DATE && y == TY_INT) {
		Diag *dg = err(c, n->loc, "cannot %s a plain number and a date", opname);
		diag_hint(dg, "write the unit: '%s %s N days'", node_text(c, n->kids[0]), op == '+' ? "+" : "-");
		return &ty_error;
	}
	if (op == '-' && x == TY_DATE && y == TY_DATE)
		return &ty_int;
	if (x == TY_DUR && y == TY_DUR)
		return &ty_dur;
	if (op == '+' && x == TY_DUR && y == TY_DATE)
		return &ty_date;
	if ((x == TY_PCT && PLAIN(y)) || (y == TY_PCT && PLAIN(x))) {
		Diag *dg = err(c, n->loc, "cannot %s a percentage and a plain number", opname);
		diag_hint(dg, "a percentage of something is written with '*', as in 10%% * amount");
		return &ty_error;
	}
	return NULL;
}

static const Type *arith_mul(Chk *c, Node *n, const Type *a, const Type *b)
{
	TypeKind x = a->kind, y = b->kind;
	if (PLAIN(x) && PLAIN(y))
		return x == TY_INT && y == TY_INT ? &ty_int : &ty_dec;
	if (x == TY_PCT && y == TY_PCT)
		return &ty_pct;
	if ((x == TY_PCT && PLAIN(y)) || (y == TY_PCT && PLAIN(x)))
		return &ty_dec;
	if (x == TY_MONEY && is_num(b))
		return a;
	if (y == TY_MONEY && is_num(a))
		return b;
	if ((x == TY_DUR && y == TY_INT) || (y == TY_DUR && x == TY_INT))
		return &ty_dur;
	if (x == TY_MONEY && y == TY_MONEY) {
		err(c, n->loc, "cannot multiply two amounts of money");
		return &ty_error;
	}
	return NULL;
}

static const Type *arith_div(Chk *c, Node *n, const Type *a, const Type *b)
{
	TypeKind x = a->kind, y = b->kind;
	if (is_num(a) && is_num(b))
		return x == TY_PCT && PLAIN(y) ? &ty_pct : &ty_dec;
	if (x == TY_MONEY && y == TY_MONEY) {
		if (a->cur && b->cur && a->cur != b->cur) {
			err(c, n->loc, "cannot divide %s by %s: the currencies differ", a_ty(a), a_ty(b));
			return &ty_error;
		}
		return &ty_dec;
	}
	if (x == TY_MONEY && is_num(b))
		return a;
	return NULL;
}

static const Type *arith(Chk *c, Node *n, const Type *a, const Type *b)
{
	int op = n->op;
	if (a->kind == TY_ERROR || b->kind == TY_ERROR)
		return &ty_error;
	TypeKind x = a->kind, y = b->kind;
	const char *opname = op == '+' ? "add" : op == '-' ? "subtract" : op == '*' ? "multiply"
			     : op == BIN_MOD ? "take the remainder of" : op == BIN_POW ? "raise" : "divide";
	if (op == '+' && (x == TY_LIST || x == TY_EMPTY) && (y == TY_LIST || y == TY_EMPTY)) {
		Diag *dg = err(c, n->loc, "'+' does not join lists");
		diag_hint(dg, "to join lists, write concat(%s, %s)", node_text(c, n->kids[0]),
			  node_text(c, n->kids[1]));
		return &ty_error;
	}
	const Type *t = op == BIN_MOD		  ? arith_mod(a, b)
			: op == BIN_POW		  ? arith_pow(c, n, a, b)
			: op == '+' || op == '-' ? arith_add(c, n, a, b, opname)
			: op == '*'		  ? arith_mul(c, n, a, b)
			: op == '/'		  ? arith_div(c, n, a, b)
						  : NULL;
	if (t)
		return t;
	err(c, n->loc, "cannot %s %s and %s", opname, a_ty(a), a_ty(b));
	return &ty_error;
}
#undef PLAIN

static bool comparable(const Type *a, const Type *b, bool ordered)
{
	if (a->kind == TY_ERROR || b->kind == TY_ERROR)
		return true;
	if (is_num(a) && is_num(b))
		return true;
	if (a->kind == TY_MONEY && b->kind == TY_MONEY)
		return !a->cur || !b->cur || a->cur == b->cur;
	if (a->kind == TY_DATE && b->kind == TY_DATE)
		return true;
	if (a->kind == TY_DUR && b->kind == TY_DUR)
		return true;
	if (ordered)
		return a->kind == TY_STR && b->kind == TY_STR;
	return unify(a, b) != NULL;
}

/* "15" -> "1500", "0.6" -> "60", "1.255" -> "125.5": the number times 100,
 * written by moving the decimal point (out is cut at size). */
static void shift_two_places(const char *num, char *out, size_t size)
{
	char digits[64];
	size_t nd = 0, point = strlen(num);
	for (const char *p = num; *p && nd + 3 < sizeof digits; p++) {
		if (*p == '.')
			point = nd;
		else if (*p != '_')
			digits[nd++] = *p;
	}
	if (point > nd)
		point = nd;
	while (nd < point + 2)
		digits[nd++] = '0';
	point += 2;
	size_t start = 0;
	while (start + 1 < point && digits[start] == '0')
		start++;
	while (nd > point && digits[nd - 1] == '0')
		nd--;
	snprintf(out, size, "%.*s%s%.*s", (int)(point - start), digits + start, nd > point ? "." : "", (int)(nd - point),
		 digits + point);
}

/* A percentage compared with a plain number written in the rule
 * (share >= 15): 15 means 1500%, which is almost never what the officer
 * meant. Zero means the same either way and passes, and so does a
 * comparison of two numbers written out (0.1 = 10%). */
static void pct_against_number(Chk *c, const Node *n, const Type *a, const Type *b)
{
	const Node *lit = NULL;
	if (a->kind == TY_PCT && n->kids[1]->kind == N_NUMBER && n->kids[0]->kind != N_PERCENT)
		lit = n->kids[1];
	else if (b->kind == TY_PCT && n->kids[0]->kind == N_NUMBER && n->kids[1]->kind != N_PERCENT)
		lit = n->kids[0];
	if (!lit || strspn(lit->text, "0.") == strlen(lit->text))
		return;
	char times100[64];
	shift_two_places(lit->text, times100, sizeof times100);
	Diag *dg = err(c, lit->loc, "this compares a percentage with the plain number %s, which means %s%%", lit->text,
		       times100);
	diag_hint(dg, "write it as a percentage: %s%%", lit->text);
}

/* A decision or function of decimal numbers compared with a percentage
 * (achievement_of(r) < remedial_threshold) gives a share: explanations
 * show its values as percentages, as the rule reads them. */
static void share_compared(const Chk *c, const Node *n, const Type *a, const Type *b)
{
	if (!c->mod)
		return; /* a query's comparison marks nothing: the program is shared */
	for (int i = 0; i < 2; i++) {
		const Node *k = n->kids[i];
		if ((i ? b : a)->kind != TY_DEC || (i ? a : b)->kind != TY_PCT)
			continue;
		bool named = (k->kind == N_CALL && k->ref == R_FUNC) || (k->kind == N_NAME && k->ref == R_DECL);
		if (named && k->decl && (k->decl->kind == D_FUNCTION || k->decl->kind == D_DECISION))
			k->decl->is_share = true;
	}
}

/* Two durations written out, one in days or weeks and one in months or
 * years (730 days <= 2 years): run time refuses to compare them, since a
 * month has no fixed number of days, so check says so first. */
static void dur_units_mixed(Chk *c, const Node *n)
{
	const Node *l = n->kids[0], *r = n->kids[1];
	if (!l->is_const || !r->is_const || l->k.tag != V_DUR || r->k.tag != V_DUR)
		return;
	bool ldays = l->k.cur == DU_DAYS || l->k.cur == DU_WEEKS, rdays = r->k.cur == DU_DAYS || r->k.cur == DU_WEEKS;
	if (ldays == rdays)
		return;
	Diag *dg = err(c, n->loc, "cannot compare a duration in days or weeks with one in months or years");
	diag_hint(dg, "a month has no fixed number of days; write both in days, or both in months");
}

enum { OPC_ARITH, OPC_CMP, OPC_ORD, OPC_LOGIC };

static int op_class(const Node *n)
{
	switch (n->op) {
	case BIN_ADD: case BIN_SUB: case BIN_MUL: case BIN_DIV: case BIN_MOD: case BIN_POW:
		return OPC_ARITH;
	case BIN_EQ: case BIN_NE:
		return OPC_CMP;
	case BIN_AND: case BIN_OR:
		return OPC_LOGIC;
	default:
		return OPC_ORD;
	}
}

static const Type *check_gen(Chk *c, Node *g, const Type *want, const Type **elem_out)
{
	/* kids: element, iterable, condition (may be NULL) */
	if (g->nkids > 3)
		err(c, g->kids[3]->loc, "'by' orders the items of sort(...) only");
	const Type *it = check(c, g->kids[1], NULL);
	const Type *et = &ty_error;
	if (it->kind == TY_LIST)
		et = it->elem;
	else if (it->kind == TY_EMPTY)
		et = &ty_error;
	else if (it->kind != TY_ERROR) {
		err(c, g->kids[1]->loc, "'for %s in ...' needs a list, but this is %s", g->text, a_ty(it));
	}
	int saved_n = c->nlocals, saved_slots = c->nslots;
	/* frame layout of a loop: list, cursor, the variable, accumulator, its unknown marker */
	g->slot = reserve(c, 2);
	push_local(c, g->text, et);
	reserve(c, 2);
	c->loops++;
	if (g->kids[2])
		expect_type(c, g->kids[2], &ty_bool, "the 'where' condition");
	const Type *t = check(c, g->kids[0], want);
	c->loops--;
	*elem_out = t;
	c->nlocals = saved_n;
	c->nslots = saved_slots;
	return t;
}

static const Type *list_elem_of(Chk *c, Node *arg, bool *is_gen, const char *fname)
{
	if (arg->kind == N_GEN) {
		*is_gen = true;
		const Type *e;
		check_gen(c, arg, NULL, &e);
		return e;
	}
	*is_gen = false;
	const Type *t = check(c, arg, NULL);
	if (t->kind == TY_LIST)
		return t->elem;
	if (t->kind == TY_EMPTY || t->kind == TY_ERROR)
		return &ty_error;
	err(c, arg->loc, "%s needs a list, but this is %s", fname, a_ty(t));
	return &ty_error;
}

/* Whether a type is of a kind in the set (BK_, builtins.h); 0 takes any,
 * and an error was reported already. */
static bool kind_in(const Type *t, unsigned kinds)
{
	return !kinds || t->kind == TY_ERROR || (kinds & BK(t->kind));
}

/* "sum needs numbers or amounts, not text": false after saying so. */
static bool builtin_kind(Chk *c, const BuiltinDef *b, const BiArg *r, Loc at, const Type *t, const Type *shown)
{
	if (kind_in(t, r->kinds))
		return true;
	err(c, at, "%s needs %s, not %s", b->name, r->need, a_ty(shown));
	return false;
}

/* min(a, b, ...): arguments of one type that can be compared. */
static const Type *spread_args(Chk *c, const BuiltinDef *b, Node **a, int argc)
{
	const Type *e = check(c, a[0], NULL);
	for (int i = 1; i < argc; i++) {
		const Type *t2 = check(c, a[i], NULL);
		const Type *u = unify(e, t2);
		if (!u) {
			err(c, a[i]->loc, "%s of %s and %s: they cannot be compared", b->name, a_ty(e), a_ty(t2));
			return NULL;
		}
		e = u;
	}
	return e;
}

/* One argument against its rule (builtins.h).  Returns its type, *item the
 * type of its items; NULL after reporting a wrong one. */
static const Type *builtin_arg(Chk *c, Node *n, const BuiltinDef *b, const BiArg *r, Node *a, const Type **item)
{
	Loc at = (b->flags & BI_AT_CALL) ? n->loc : a->loc;
	bool gen;
	const Type *t;
	switch (r->form) {
	case BA_EXACT:
		return expect_type(c, a, r->type, r->need);
	case BA_ITEMS:
	case BA_SPREAD:
		*item = list_elem_of(c, a, &gen, b->name);
		return builtin_kind(c, b, r, at, *item, *item) ? *item : NULL;
	case BA_LIST:
		t = check(c, a, NULL);
		if (t->kind == TY_EMPTY || t->kind == TY_ERROR)
			return *item = t;
		if (t->kind != TY_LIST) {
			err(c, a->loc, "%s needs a list, not %s", b->name, a_ty(t));
			return NULL;
		}
		*item = t->elem;
		return builtin_kind(c, b, r, at, t->elem, t) ? t : NULL;
	case BA_VALUE:
		t = check(c, a, NULL);
		return builtin_kind(c, b, r, at, t, t) ? t : NULL;
	}
	return NULL;
}

/* marginal_tax, marginal_rate, average_rate, bracket_amount(scale, base):
 * the base is of the kind of the scale's thresholds; the first three take
 * a scale of rates, bracket_amount one of amounts. */
static const Type *scale_result(Chk *c, Node *n, const BuiltinDef *b, Node **a)
{
	const Type *s = a[0]->type, *base = a[1]->type;
	if (!s || !base || s->kind != TY_SCALE || base->kind == TY_ERROR || s->elem->kind == TY_ERROR)
		return &ty_error;
	bool amounts = strcmp(b->name, "bracket_amount") == 0;
	if (amounts != (s->amount != NULL)) {
		Diag *dg = err(c, a[0]->loc, "%s needs a scale of %s, but this is %s", b->name, amounts ? "amounts" : "rates",
			       a_ty(s));
		diag_hint(dg, amounts ? "the rate of the bracket a base falls in is marginal_rate(scale, base)"
				      : "the amount of the bracket a base falls in is bracket_amount(scale, base)");
		return &ty_error;
	}
	if (!assignable(base, s->elem) && !unify(base, s->elem)) {
		err(c, a[1]->loc, "the scale's thresholds are %s, but this base is %s", a_ty(s->elem), a_ty(base));
		return &ty_error;
	}
	if (amounts)
		return s->amount;
	if (strcmp(b->name, "marginal_tax") == 0)
		return base->kind == TY_MONEY ? (base->cur ? base : s->elem) : &ty_dec;
	return &ty_pct;
}

/* The arguments of a call of builtin `bi` against its type rule, and the type it gives. */
static const Type *check_builtin(Chk *c, Node *n, int bi)
{
	const BuiltinDef *b = &bi_table[bi];
	int argc = n->nkids - 1;
	Node **a = n->kids + 1;
	if (argc < b->lo || (b->hi >= 0 && argc > b->hi)) {
		int shown = b->hi < 0 ? b->lo : b->hi;
		err(c, n->loc, "%s takes %s%d argument%s, not %d", b->name,
		    b->hi < 0 ? "at least " : b->lo != b->hi ? "1 or " : "", shown, shown == 1 ? "" : "s", argc);
		return n->type = &ty_error;
	}
	for (int i = 0; i < argc; i++)
		if (a[i]->kind == N_GEN && argc != 1) {
			err(c, a[i]->loc, "a 'for' inside %s(...) must be its only argument", b->name);
			return n->type = &ty_error;
		}
	/* sort(t for t in tasks by t.number [descending]) is
	 * sort_by([t for t in tasks], [t.number for t in tasks]) */
	if (argc == 1 && a[0]->kind == N_GEN && a[0]->nkids > 3) {
		Node *g = a[0];
		if (strcmp(b->name, "sort") != 0) {
			err(c, g->kids[3]->loc, "'by' orders the items of sort(...) only");
			return n->type = &ty_error;
		}
		Node *keys = ast_clone(g);
		keys->kids[0] = keys->kids[3];
		keys->nkids = 3;
		g->nkids = 3;
		ast_add(n, ast_node1(N_COMP, keys->loc, keys));
		n->kids[1] = ast_node1(N_COMP, g->loc, g);
		n->kids[0]->text = n->text = g->ival ? "sort_by_desc" : "sort_by";
		return check_builtin(c, n, bi_lookup(n->text));
	}
	/* a builtin that takes a list takes a 'for' as the list it builds:
	 * sort(t.number for t in tasks) is sort([t.number for t in tasks]) */
	if (argc == 1 && a[0]->kind == N_GEN && b->arg[0].form != BA_ITEMS && b->arg[0].form != BA_SPREAD)
		a[0] = ast_node1(N_COMP, a[0]->loc, a[0]);
	n->ref = R_BUILTIN;
	n->slot = bi;
	const Type *t0 = NULL, *item = &ty_error;
	bool ok = true, all_int = true;
	if (b->arg[0].form == BA_SPREAD && argc > 1) {
		item = t0 = spread_args(c, b, a, argc);
		ok = t0 && builtin_kind(c, b, &b->arg[0], n->loc, t0, t0);
	} else {
		n->ival = b->arg[0].form == BA_SPREAD; /* over a list */
		for (int i = 0; i < argc && ok; i++) {
			const Type *t = builtin_arg(c, n, b, &b->arg[i < 1 ? 0 : 1], a[i], &item);
			if (i == 0)
				t0 = t;
			ok = t != NULL;
			all_int &= t && t->kind == TY_INT;
		}
	}
	if (!ok && !(b->flags & BI_LENIENT))
		return n->type = &ty_error;
	switch (b->result) {
	case BR_ITEM: return n->type = item;
	case BR_ARG: return n->type = t0;
	case BR_ROUNDED:
		/* to a whole number when no places are given */
		if (argc == 1 && t0->kind == TY_DEC)
			return n->type = &ty_int;
		return n->type = t0->kind == TY_INT ? &ty_int : t0;
	case BR_TYPE: return n->type = b->type;
	case BR_LIST: return n->type = ty_list(b->type);
	case BR_SCALE: return n->type = scale_result(c, n, b, a);
	case BR_NUMERIC: return n->type = all_int ? &ty_int : t0->kind == TY_INT ? &ty_dec : t0;
	}
	return n->type = &ty_error;
}

/* member '(' expr ')': a member of an enumeration with the value it carries,
 * `most_recent(2024-05-01)`. */
static const Type *check_construct(Chk *c, Node *n, MemberRef *mr, const Type *expect)
{
	MemberRef *pick = pick_member(c, n->kids[0], mr, expect);
	if (!pick)
		return n->type = &ty_error;
	TypeDef *td = pick->def;
	const Type *want = td->member_types ? td->member_types[pick->idx] : NULL;
	const char *m = td->members[pick->idx];
	if (!want) {
		Diag *dg = err(c, n->loc, "'%s' carries no value, so it takes nothing in brackets", m);
		diag_hint(dg, "write it alone: %s", m);
		return n->type = &ty_error;
	}
	if (n->nkids != 2 || n->kids[1]->kind == N_GEN) {
		Diag *dg = err(c, n->loc, "'%s' carries one value, %s, not %d", m, a_ty(want), n->nkids - 1);
		diag_hint(dg, "write %s(...) with one value in the brackets", m);
		return n->type = &ty_error;
	}
	if (expect_named(c, n->kids[1], want, "the value of '%s'", m) == &ty_error)
		return n->type = &ty_error;
	n->ref = R_MEMBER;
	n->slot = pick->idx;
	return n->type = ty_named(td);
}

static const Type *check_call(Chk *c, Node *n, const Type *expect)
{
	Node *callee = n->kids[0];
	Decl *f = NULL;
	if (callee->kind == N_NAME) {
		if (c->mod)
			f = find_decl_in(c, c->mod, callee->text);
		if (!f && !c->mod) {
			f = strmap_get(&c->decls, callee->text);
			if (!f) {
				f = strmap_get(&c->bare, callee->text);
				if (f == (Decl *)&ambiguous)
					f = NULL;
			}
		}
		if (!f) {
			int bi = bi_lookup(callee->text);
			if (bi >= 0)
				return check_builtin(c, n, bi);
			MemberRef *mr = strmap_get(&c->members, callee->text);
			if (mr)
				return check_construct(c, n, mr, expect);
			const char **cands = GC_MALLOC(sizeof(char *) * (size_t)(bi_count + 256));
			int nc = 0;
			for (int b = 0; b < bi_count; b++)
				cands[nc++] = bi_table[b].name;
			if (c->mod)
				for (int i = 0; i < c->mod->ndecls && nc < bi_count + 256; i++)
					if (c->mod->decls[i]->kind == D_FUNCTION)
						cands[nc++] = c->mod->decls[i]->name;
			Diag *dg = err(c, callee->loc, "unknown function '%s'", callee->text);
			const char *best = diag_closest(callee->text, cands, nc);
			if (best)
				diag_hint(dg, "did you mean '%s'?", best);
			return n->type = &ty_error;
		}
	} else {
		f = module_ref(c, callee);
		if (f == (Decl *)&ambiguous)
			return n->type = &ty_error;
		if (!f) {
			err(c, callee->loc, "only functions can be called");
			return n->type = &ty_error;
		}
	}
	if (f->each) {
		Diag *dg = err(c, callee->loc, "'%s' is decided for each %s, not called like a function", f->name, f->each->var);
		diag_hint(dg, "write it after the member, as in %s.%s", f->each->var, f->name);
		return n->type = &ty_error;
	}
	if (f->kind != D_FUNCTION) {
		err(c, callee->loc, "'%s' is a %s, not a function; write it without parentheses", f->name,
		    f->kind == D_PARAM ? "parameter" : f->kind == D_TABLE ? "table" : "decision");
		return n->type = &ty_error;
	}
	int argc = n->nkids - 1;
	if (argc != f->nparams) {
		err(c, n->loc, "%s takes %d argument%s, not %d", f->name, f->nparams, f->nparams == 1 ? "" : "s", argc);
		return n->type = &ty_error;
	}
	for (int i = 0; i < argc; i++) {
		if (n->kids[i + 1]->kind == N_GEN) {
			err(c, n->kids[i + 1]->loc, "a 'for' argument belongs in [...] here");
			return n->type = &ty_error;
		}
		if (f->params[i].type)
			expect_named(c, n->kids[i + 1], f->params[i].type, "argument '%s'", f->params[i].name);
	}
	n->ref = R_FUNC;
	n->decl = f;
	add_dep(c, f);
	return n->type = f->type ? f->type : &ty_error;
}

static const char *field_names(const TypeDef *td)
{
	const char *s = "";
	for (int i = 0; i < td->nfields; i++)
		s = xprintf("%s%s%s", s, i ? ", " : "", td->fields[i].name);
	return s;
}

static const Type *check_record(Chk *c, Node *n, const Type *expect)
{
	if (n->nkids > 0 && !n->kids[0]->text && (!expect || expect->kind != TY_REC)) {
		for (int i = 0; i < n->nkids; i++)
			check(c, n->kids[i]->kids[0], NULL);
		if (!expect || expect->kind != TY_ERROR) {
			Diag *dg = err(c, n->loc, "this row gives %d values, but the table has one output", n->nkids);
			diag_hint(dg, "to give several values, declare the table's output columns, as in "
				      "table t : { grade : string, rate : percent } hit first");
		}
		return n->type = &ty_error;
	}
	if (!expect || expect->kind != TY_REC) {
		if (expect && expect->kind == TY_ERROR) {
			for (int i = 0; i < n->nkids; i++)
				check(c, n->kids[i]->kids[0], NULL);
			return n->type = &ty_error;
		}
		err(c, n->loc, "a record written with { } is only allowed where the rules say which record it is");
		return n->type = &ty_error;
	}
	TypeDef *td = expect->def;
	Node **byslot = GC_MALLOC(sizeof(Node *) * (size_t)(td->nfields + 1));
	/* a table row's values, one per output column, are named by position */
	if (n->nkids > 0 && !n->kids[0]->text) {
		if (n->nkids != td->nfields) {
			err(c, n->loc, "this row gives %d values, but the table has %d output columns (%s)", n->nkids,
			    td->nfields, field_names(td));
			for (int i = 0; i < n->nkids; i++)
				check(c, n->kids[i]->kids[0], NULL);
			return n->type = &ty_error;
		}
		for (int i = 0; i < n->nkids; i++)
			n->kids[i]->text = td->fields[i].name;
	}
	for (int i = 0; i < n->nkids; i++) {
		Node *e = n->kids[i];
		if (!e->text) { /* the parser names all the values of a record or none; an image may not */
			err(c, e->loc, "this value of a record has no field name");
			continue;
		}
		int slot = ast_field_slot(td, e->text);
		if (slot < 0) {
			const char *cands[256];
			int nc = 0;
			for (int j = 0; j < td->nfields && nc < 256; j++)
				cands[nc++] = td->fields[j].name;
			Diag *dg = err(c, e->loc, "%s has no field '%s'", ty_name(expect), e->text);
			const char *best = diag_closest(e->text, cands, nc);
			if (best)
				diag_hint(dg, "did you mean '%s'?", best);
			continue;
		}
		if (byslot[slot]) {
			err(c, e->loc, "field '%s' is given twice", e->text);
			continue;
		}
		byslot[slot] = e;
		e->slot = slot;
		if (td->fields[slot].type)
			expect_named(c, e->kids[0], td->fields[slot].type, "field '%s'", e->text);
	}
	n->slot = td->id;
	return n->type = expect;
}

static const Type *check_in(Chk *c, Node *n)
{
	const Type *a = check(c, n->kids[0], NULL);
	if (n->op) {
		if (a->kind != TY_HS && a->kind != TY_ERROR)
			err(c, n->kids[0]->loc, "'in chapter/heading/subheading' needs a tariff code, but this is %s", a_ty(a));
		const Type *b = check(c, n->kids[1], NULL);
		const Type *want = n->op == HS_SUBHEADING ? &ty_hs : &ty_int;
		if (!(assignable(b, want) || (b->kind == TY_LIST && assignable(b->elem, want)) || b->kind == TY_EMPTY)) {
			err(c, n->kids[1]->loc, "after 'in %s' write %s or a list of them, not %s",
			    n->op == HS_CHAPTER ? "chapter" : n->op == HS_HEADING ? "heading" : "subheading",
			    n->op == HS_SUBHEADING ? "a tariff code such as hs \"6205.20\"" : "a whole number", a_ty(b));
		}
		return n->type = &ty_bool;
	}
	const Type *b = check(c, n->kids[1], a->kind == TY_ENUM ? ty_list(a) : NULL);
	if (b->kind == TY_EMPTY || b->kind == TY_ERROR)
		return n->type = &ty_bool;
	if (b->kind != TY_LIST) {
		Diag *dg = err(c, n->kids[1]->loc, "'in' needs a list on its right, but this is %s", a_ty(b));
		if (b->kind == TY_HS || a->kind == TY_HS)
			diag_hint(dg, "for tariff codes write 'in chapter 61', 'in heading 6205' or 'in subheading hs \"6205.20\"'");
		return n->type = &ty_bool;
	}
	if (!comparable(a, b->elem, false))
		err(c, n->loc, "cannot look for %s in %s", a_ty(a), a_ty(b));
	return n->type = &ty_bool;
}

/* '-' expr, 'not' expr */
static const Type *check_unary(Chk *c, Node *n, const Type *expect)
{
	if (n->op != UN_NEG) {
		expect_type(c, n->kids[0], &ty_bool, "the condition after 'not'");
		return n->type = &ty_bool;
	}
	const Type *t = check(c, n->kids[0], expect);
	if (t->kind != TY_ERROR && !is_num(t) && t->kind != TY_MONEY && t->kind != TY_DUR) {
		err(c, n->loc, "cannot negate %s", a_ty(t));
		return n->type = &ty_error;
	}
	return n->type = t;
}

/* expr ('=' | '!=' | '<' ...) expr */
static const Type *check_comparison(Chk *c, Node *n)
{
	bool ordered = op_class(n) == OPC_ORD;
	const Type *a = check(c, n->kids[0], NULL);
	const Type *b = check(c, n->kids[1], a);
	if (a->kind == TY_ERROR && n->kids[0]->kind == N_NAME && n->kids[0]->ref == R_MEMBER)
		a = check(c, n->kids[0], b);
	if (!comparable(a, b, ordered)) {
		Diag *dg = err(c, n->loc, "cannot compare %s with %s", a_ty(a), a_ty(b));
		if (a->kind == TY_MONEY && b->kind == TY_MONEY)
			diag_hint(dg, "the currencies differ; convert with an explicit rate, as in amount(x) * 1400 KRW");
		else if ((a->kind == TY_STR) != (b->kind == TY_STR))
			diag_hint(dg, "text is written in quotes, and enumeration members without them");
	} else if (a->kind == TY_DUR && b->kind == TY_DUR) {
		dur_units_mixed(c, n);
	} else if (a->kind == TY_PCT || b->kind == TY_PCT) {
		pct_against_number(c, n, a, b);
		share_compared(c, n, a, b);
	} else if (ordered && (a->kind == TY_BOOL || a->kind == TY_ENUM || a->kind == TY_REC || a->kind == TY_LIST)) {
		err(c, n->loc, "%s values have no order; compare them with = or !=", ty_name(a));
	}
	return n->type = &ty_bool;
}

/* expr op expr */
static const Type *check_binary(Chk *c, Node *n)
{
	switch (op_class(n)) {
	case OPC_ARITH: {
		const Type *a = check(c, n->kids[0], NULL);
		const Type *b = check(c, n->kids[1], a->kind == TY_ENUM ? a : NULL);
		return n->type = arith(c, n, a, b);
	}
	case OPC_LOGIC:
		expect_type(c, n->kids[0], &ty_bool, "each side of 'and' and 'or'");
		expect_type(c, n->kids[1], &ty_bool, "each side of 'and' and 'or'");
		return n->type = &ty_bool;
	default:
		return check_comparison(c, n);
	}
}

/* a 'otherwise' b, 'if' c 'then' a 'else' b: two sides of one type */
static const Type *check_branches(Chk *c, Node *n, const Type *expect)
{
	bool is_if = n->kind == N_IF;
	if (is_if)
		expect_type(c, n->kids[0], &ty_bool, "the condition after 'if'");
	Node *x = n->kids[is_if ? 1 : 0], *y = n->kids[is_if ? 2 : 1];
	const Type *a = check(c, x, expect);
	bool usable = a->kind != TY_ERROR && (!is_if || a->kind != TY_EMPTY);
	const Type *b = check(c, y, usable ? a : expect);
	const Type *t = unify(a, b);
	if (t)
		return n->type = t;
	if (is_if)
		err(c, n->loc, "both branches of 'if' must give one type, but 'then' gives %s and 'else' gives %s", a_ty(a),
		    a_ty(b));
	else
		err(c, n->loc, "both sides of 'otherwise' must be of one type, but here are %s and %s", a_ty(a), a_ty(b));
	return n->type = &ty_error;
}

/* 'let' name '=' expr ';' expr */
static const Type *check_let(Chk *c, Node *n, const Type *expect)
{
	const Type *a = check(c, n->kids[0], NULL);
	int saved_n = c->nlocals, saved_slots = c->nslots;
	n->slot = push_local(c, n->text, a);
	const Type *t = check(c, n->kids[1], expect);
	c->nlocals = saved_n;
	c->nslots = saved_slots;
	return n->type = t;
}

/* One arm's member: its index in td, or -1 for 'default' (or a wrong one). */
static int match_arm(Chk *c, TypeDef *td, Node *arm, bool *seen, bool *has_default)
{
	if (!arm->text) {
		*has_default = true;
		return -1;
	}
	int idx = member_index_of(c, td, arm->text);
	if (idx < 0) {
		Diag *dg = err(c, arm->loc, "'%s' is not a member of %s", arm->text, td->name);
		const char *best = diag_closest(arm->text, td->members, td->nmembers);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
	} else if (seen[idx]) {
		err(c, arm->loc, "'%s' appears twice in this match", arm->text);
	} else {
		seen[idx] = true;
	}
	return idx;
}

/* An arm `most_recent(d) => ...`: d names the value the member carries. */
static void bind_arm(Chk *c, TypeDef *td, Node *arm)
{
	Node *b = arm->kids[1];
	const Type *t = arm->slot >= 0 && td->member_types ? td->member_types[arm->slot] : NULL;
	if (arm->slot >= 0 && !t) {
		Diag *dg = err(c, b->loc, "'%s' carries no value, so there is nothing to name '%s' here", arm->text,
			       b->text);
		diag_hint(dg, "write the branch as '%s => ...'", arm->text);
	}
	b->ref = R_LOCAL;
	b->type = t ? t : &ty_error;
	b->slot = push_local(c, b->text, b->type);
}

/* A match without 'default' must name every member. */
static void match_complete(Chk *c, Node *n, TypeDef *td, const bool *seen)
{
	Buf missing = {0};
	for (int j = 0; j < td->nmembers; j++)
		if (!seen[j])
			buf_printf(&missing, "%s%s", missing.n ? ", " : "", td->members[j]);
	if (missing.n) {
		Diag *dg = err(c, n->loc, "this match does not say what happens for: %s", buf_cstr(&missing));
		diag_hint(dg, "add a branch for each, or 'default => ...'");
	}
}

/* 'match' expr '{' member '=>' expr ... '}' */
static const Type *check_match(Chk *c, Node *n, const Type *expect)
{
	const Type *a = check(c, n->kids[0], NULL);
	if (a->kind != TY_ENUM) {
		if (n->kids[0]->kind == N_UNKNOWN)
			err(c, n->kids[0]->loc, "'match' works on an enumeration, not on the value 'unknown'");
		else if (a->kind != TY_ERROR)
			err(c, n->kids[0]->loc, "'match' works on an enumeration, but this is %s", a_ty(a));
		for (int i = 1; i < n->nkids; i++) {
			Node *arm = n->kids[i];
			int saved_n = c->nlocals, saved_slots = c->nslots;
			if (arm->nkids > 1) /* a name for a value there is not: no second error about it */
				arm->kids[1]->slot = push_local(c, arm->kids[1]->text, &ty_error);
			check(c, arm->kids[0], expect);
			c->nlocals = saved_n;
			c->nslots = saved_slots;
		}
		return n->type = &ty_error;
	}
	TypeDef *td = a->def;
	n->slot = reserve(c, 1);
	bool *seen = GC_MALLOC_ATOMIC((size_t)td->nmembers + 1);
	memset(seen, 0, (size_t)td->nmembers + 1);
	bool has_default = false;
	const Type *t = NULL;
	for (int i = 1; i < n->nkids; i++) {
		Node *arm = n->kids[i];
		arm->slot = match_arm(c, td, arm, seen, &has_default);
		int saved_n = c->nlocals, saved_slots = c->nslots;
		if (arm->nkids > 1)
			bind_arm(c, td, arm);
		const Type *at = check(c, arm->kids[0], t ? t : expect);
		c->nlocals = saved_n;
		c->nslots = saved_slots;
		const Type *u = t ? unify(t, at) : at;
		if (!u) {
			err(c, arm->kids[0]->loc, "every branch of 'match' must give one type: this one gives %s, an earlier one %s",
			    a_ty(at), a_ty(t));
			u = &ty_error;
		}
		t = u;
	}
	if (!has_default)
		match_complete(c, n, td, seen);
	return n->type = t ? t : &ty_error;
}

/* '[' expr, ... ']' */
static const Type *check_list(Chk *c, Node *n, const Type *expect)
{
	const Type *want = expect && expect->kind == TY_LIST ? expect->elem : NULL;
	const Type *t = NULL;
	for (int i = 0; i < n->nkids; i++) {
		const Type *et = check(c, n->kids[i], t && t->kind != TY_ERROR ? t : want);
		const Type *u = t ? unify(t, et) : et;
		if (!u) {
			err(c, n->kids[i]->loc, "a list holds values of one type: this is %s, the ones before are %s", a_ty(et),
			    a_ty(t));
			u = t;
		}
		t = u;
	}
	if (!t)
		return n->type = &ty_empty;
	return n->type = t->kind == TY_ERROR ? t : ty_list(t);
}

/* A name or field that reads a fact over time: its value at the as-of
 * date, unless an enclosing `at` names another date (check_at). */
static const Type *series_read(Node *n, const Type *t)
{
	if (t->kind != TY_SERIES)
		return t;
	n->series_read = SR_ASOF;
	return n->type = t->elem;
}

/* `x at DATE`: x must read a fact over time, the date be a date. */
static const Type *check_at(Chk *c, Node *n)
{
	Node *x = n->kids[0], *when = n->kids[1];
	const Type *t = check(c, x, NULL);
	const Type *dt = check(c, when, &ty_date);
	if (dt->kind != TY_ERROR && dt->kind != TY_DATE) {
		Diag *dg = err(c, when->loc, "'at' needs a date, but '%s' is %s", node_text(c, when), a_ty(dt));
		diag_hint(dg, "write a date such as 2025-03-31, or one computed from the as-of date, such as as_of - 3 months");
	}
	if (t->kind == TY_ERROR)
		return n->type = &ty_error;
	if (x->series_read != SR_ASOF) {
		Diag *dg = err(c, x->loc, "'%s' is not a fact over time, so it has no value at a date", node_text(c, x));
		diag_hint(dg, "'at' reads a fact declared with dated values, as in 'us_export_share : percent over time'");
		return n->type = &ty_error;
	}
	x->series_read = SR_WHOLE;
	return n->type = dt->kind == TY_DATE || dt->kind == TY_ERROR ? t : &ty_error;
}

/* A test's dated values (`from DATE = value` ...): each value of the
 * fact's type, the dates from the earliest, none twice. */
static const Type *check_series(Chk *c, Node *n, const Type *expect)
{
	const Type *elem = expect && expect->kind == TY_SERIES ? expect->elem : &ty_error;
	for (int i = 0; i + 1 < n->nkids; i += 2) {
		Node *d = n->kids[i];
		check(c, d, &ty_date);
		expect_type(c, n->kids[i + 1], elem, "the value");
		Node *prev = i ? n->kids[i - 2] : NULL;
		if (!prev || !prev->is_const || !d->is_const || prev->k.tag != V_DATE || d->k.tag != V_DATE)
			continue;
		if (d->k.as.i == prev->k.as.i) {
			Diag *dg = err(c, d->loc, "two values are given from %s: this one and the one at line %d", d->text,
				       prev->loc.line);
			diag_hint(dg, "keep one, or give this one its own date");
		} else if (d->k.as.i < prev->k.as.i) {
			Diag *dg = err(c, d->loc, "the dates are not in order: %s comes after %s", d->text, prev->text);
			diag_hint(dg, "write the dated values from the earliest date to the latest");
		}
	}
	return n->type = expect && expect->kind == TY_SERIES ? expect : &ty_error;
}

/* Any expression, against the type the context expects (NULL: any):
 * its type, with names resolved and errors reported. */
static const Type *check(Chk *c, Node *n, const Type *expect)
{
	if (!n)
		return &ty_error;
	if (n->depth > CHK_MAX_DEPTH) {
		/* every later stage walks the tree recursively: refuse it here */
		Diag *dg = err(c, n->loc, "this expression is nested more than %d deep", CHK_MAX_DEPTH);
		diag_hint(dg, "split it into smaller decisions");
		return n->type = &ty_error;
	}
	number(c, n);
	n->in_loop = c->loops > 0;
	switch (n->kind) {
	case N_BOOL: case N_NUMBER: case N_PERCENT: case N_MONEY: case N_DATE:
	case N_DURATION: case N_STRING: case N_HSLIT: case N_UNKNOWN:
		literal(c, n);
		if (n->kind == N_UNKNOWN && expect)
			n->type = expect;
		return n->type;
	case N_ASOF: return n->type = &ty_date;
	case N_NAME: return series_read(n, check_name(c, n, expect));
	case N_FIELD: return series_read(n, check_field(c, n));
	case N_AT: return check_at(c, n);
	case N_SERIES: return check_series(c, n, expect);
	case N_CALL: return check_call(c, n, expect);
	case N_UNARY: return check_unary(c, n, expect);
	case N_BINARY: return check_binary(c, n);
	case N_IN: return check_in(c, n);
	case N_IS:
		check(c, n->kids[0], NULL);
		return n->type = &ty_bool;
	case N_OTHERWISE:
	case N_IF: return check_branches(c, n, expect);
	case N_LET: return check_let(c, n, expect);
	case N_MATCH: return check_match(c, n, expect);
	case N_ARM:
	case N_ENTRY:
	case N_GEN:
		return n->type = &ty_error; /* handled by their parents */
	case N_LIST: return check_list(c, n, expect);
	case N_COMP: {
		const Type *e;
		check_gen(c, n->kids[0], expect && expect->kind == TY_LIST ? expect->elem : NULL, &e);
		return n->type = e->kind == TY_ERROR ? e : ty_list(e);
	}
	case N_RECORD: return check_record(c, n, expect);
	}
	return n->type = &ty_error;
}

/* ---------------------------------------------------------- declarations */

/* The type of a decision or parameter as seen from a use: checks its body
 * on first use so types flow in any declaration order. */
static void check_decl(Chk *c, Decl *d);

/* Every decision declares its type, so a use needs only the declaration,
 * not the body: no recursion however long a chain of decisions is. */
static const Type *decl_value_type(Chk *c, Decl *d, Node *use)
{
	(void)use;
	if (d->view || d->nbrackets) {
		check_decl(c, d);
		return d->type ? d->type : &ty_error;
	}
	if (!d->type)
		d->type = resolve_type(c, d->type_node);
	return d->type;
}

static bool parse_date_text(Chk *c, const char *s, Loc loc, date_t *out)
{
	if (!s)
		return false;
	if (date_parse(s, strlen(s), out) != 0) {
		err(c, loc, "%s is not a real date", s);
		return false;
	}
	return true;
}

/* The policy's demands on a table's type: a list for the collecting
 * policies, a whole number for count, an order of values for priority. */
static void check_hit(Chk *c, Decl *d)
{
	const Type *t = d->type;
	const char *pol = hit_name(d->hit);
	if (t->kind == TY_ERROR)
		return;
	if (hit_gives_list(d->hit) && t->kind != TY_LIST) {
		err(c, d->type_node->loc, "a table with 'hit %s' gives a list; declare it as 'list of %s'", pol, ty_name(t));
		return;
	}
	if (d->hit == HIT_COUNT && t->kind != TY_INT)
		err(c, d->type_node->loc, "a table with 'hit %s' gives a whole number; declare it as int", pol);
	if (!hit_ranks(d->hit))
		return;
	const Type *v = t->kind == TY_LIST ? t->elem : t;
	if (d->hit_order) {
		expect_type(c, d->hit_order, ty_list(v), "the order of a table's values");
		if (d->hit_order->nkids == 0)
			err(c, d->hit_order->loc, "the order of the values needs at least one value");
	} else if (v->kind != TY_ENUM && v->kind != TY_BOOL && v->kind != TY_ERROR) {
		Diag *dg = err(c, d->type_node->loc, "a table with 'hit %s' ranks its rows by the order of their values, "
						     "but %s has no order of its own", pol, a_ty(v));
		diag_hint(dg, "declare the output as an enum (its members rank in the order declared, first highest), "
			      "or list the values after the policy: hit %s [\"high\", \"medium\", \"low\"]", pol);
	}
}

/* The exceptions of d by label: for each, the first and the last case
 * that carries it (an empty map when none is labelled). */
static StrMap case_labels(const Decl *d)
{
	StrMap m = {0};
	for (int i = 0; i < d->ncases; i++) {
		const char *l = d->cases[i].label;
		if (!l)
			continue;
		int *at = strmap_get(&m, l);
		if (!at) {
			at = GC_MALLOC_ATOMIC(2 * sizeof(int));
			at[0] = i;
			strmap_put(&m, l, at);
		}
		at[1] = i;
	}
	return m;
}

/* A decision of exceptions only: when none applies there is nothing to
 * decide, which run time reports as an error. Writing 'default unknown'
 * says that is meant. */
static void no_default(Chk *c, const Decl *d)
{
	Diag *dg = err(c, d->loc, "%s '%s' has exceptions but no default, so it fails whenever none of them applies",
		       d->kind == D_FUNCTION && !d->each ? "function" : "decision", d->name);
	diag_hint(dg, "add the general case with 'default', or write 'default unknown' if no value is meant then");
}

/* Two values in force from the same day, where only the condition-less
 * ones (a parameter's values, a decision's defaults) compete: which one
 * the officer meant cannot be told. */
static void same_from_twice(Chk *c, const Case *cases, int n, const char *whose_fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void same_from_twice(Chk *c, const Case *cases, int n, const char *whose_fmt, ...)
{
	StrMap first = {0};       /* each date to the first condition-less case of it */
	const char *whose = NULL; /* formatted when first reported: nearly every rule set reports nothing */
	for (int i = 0; i < n; i++) {
		const Case *k = &cases[i];
		if (k->cond || !k->from)
			continue;
		const Case *e = strmap_get(&first, k->from);
		if (!e) {
			strmap_put(&first, k->from, (void *)k);
			continue;
		}
		if (!whose) {
			va_list ap;
			va_start(ap, whose_fmt);
			whose = xvprintf(whose_fmt, ap);
			va_end(ap);
		}
		Diag *dg = err(c, k->from_loc, "two values of %s are in force from %s: this one and the one at line %d",
			       whose, k->from, e->from_loc.line);
		diag_hint(dg, "keep one, or give this one its own date");
	}
}

static void check_cases(Chk *c, Decl *d)
{
	const char *what = d->is_table ? "each row of '%s'" : "the value of '%s'";
	int ndefault = 0;
	if (d->is_table)
		check_hit(c, d);
	StrMap labels = case_labels(d);
	for (int i = 0; i < d->ncases; i++) {
		Case *k = &d->cases[i];
		if (k->cond)
			expect_type(c, k->cond, &ty_bool, d->is_table ? "a row's condition" : "an exception's condition");
		const Type *want = d->type;
		if (d->is_table) {
			if (hit_gives_list(d->hit))
				want = d->type->kind == TY_LIST ? d->type->elem : &ty_error;
			else if (d->hit == HIT_COUNT)
				want = k->is_default ? &ty_int : NULL;
		}
		if (want)
			expect_named(c, k->value, want, what, d->name);
		else
			check(c, k->value, NULL);
		date_t f, u;
		bool hf = parse_date_text(c, k->from, k->from_loc, &f);
		bool hu = parse_date_text(c, k->until, k->until_loc, &u);
		if (hf && hu && u <= f)
			err(c, k->until_loc, "'until' must come after 'from'");
		if (k->is_default)
			ndefault++;
		/* overrides name earlier or later exceptions by label */
		k->override_idx = k->noverrides ? GC_MALLOC_ATOMIC(sizeof(int) * (size_t)k->noverrides) : NULL;
		for (int j = 0; j < k->noverrides; j++) {
			const int *at = strmap_get(&labels, k->overrides[j]);
			k->override_idx[j] = at ? at[1] : -1;
			if (k->override_idx[j] < 0)
				err(c, k->override_locs[j], "there is no exception named '%s' in %s", k->overrides[j], d->name);
			else if (k->override_idx[j] == i)
				err(c, k->override_locs[j], "an exception cannot override itself");
		}
		if (k->label && ((const int *)strmap_get(&labels, k->label))[0] < i)
			err(c, k->loc, "two exceptions in %s are named '%s'", d->name, k->label);
	}
	if (d->is_table && ndefault > 1)
		err(c, d->loc, "table '%s' has %d 'default' rows; keep one", d->name, ndefault);
	if ((d->kind == D_DECISION || d->kind == D_FUNCTION) && !d->is_table && ndefault == 0 && d->ncases > 0)
		no_default(c, d);
	same_from_twice(c, d->cases, d->ncases, "'%s'", d->name);
}

/* `view NAME : timeline of LIST { label: field, start: field ... }`: a
 * private decision whose value is the list, and which field of its items
 * gives each part of the picture (edict doc draws it). */
static void check_view(Chk *c, Decl *d)
{
	static const char *const parts[] = {"label", "start", "end", "group", "key"};
	enum { NPARTS = sizeof parts / sizeof parts[0] };
	if (strcmp(d->view, "timeline") != 0) {
		Diag *dg = err(c, d->doc_kind_loc, "'%s' is not a kind of view", d->view);
		diag_hint(dg, "write 'timeline'");
	}
	const Type *t = check(c, d->cases[0].value, NULL);
	d->type = t;
	if (t->kind == TY_ERROR)
		return;
	if (t->kind != TY_LIST || t->elem->kind != TY_REC) {
		err(c, d->cases[0].value->loc, "a view shows a list of records, but this is %s", a_ty(t));
		return;
	}
	const TypeDef *rec = t->elem->def;
	bool have_label = false, have_start = false;
	for (int i = 0; i < d->entries->nkids; i++) {
		Node *e = d->entries->kids[i];
		int part = -1;
		for (int k = 0; k < NPARTS; k++)
			if (strcmp(e->text, parts[k]) == 0)
				part = k;
		if (part < 0) {
			Diag *dg = err(c, e->loc, "a timeline has no part '%s'", e->text);
			const char *best = diag_closest(e->text, parts, NPARTS);
			diag_hint(dg, best ? "did you mean '%s'?" : "its parts are label, start, end, group and key%s", best ? best : "");
			continue;
		}
		have_label |= part == 0;
		have_start |= part == 1;
		Node *v = e->kids[0];
		int slot = -1;
		for (int k = 0; v->kind == N_NAME && k < rec->nfields; k++)
			if (strcmp(rec->fields[k].name, v->text) == 0)
				slot = k;
		if (slot < 0) {
			const char *cands[256];
			int nc = 0;
			for (int k = 0; k < rec->nfields && nc < 256; k++)
				cands[nc++] = rec->fields[k].name;
			Diag *dg = err(c, v->loc, "the %s of a timeline is a field of %s", e->text, rec->name);
			const char *best = v->kind == N_NAME ? diag_closest(v->text, cands, nc) : NULL;
			if (best)
				diag_hint(dg, "did you mean '%s'?", best);
			continue;
		}
		v->slot = slot;
		v->type = rec->fields[slot].type;
		TypeKind fk = v->type->kind;
		if ((part == 1 || part == 2) && fk != TY_INT && fk != TY_DATE)
			err(c, v->loc, "the %s of a timeline is a whole number or a date, but '%s' is %s", e->text, v->text, a_ty(v->type));
	}
	if (!have_label || !have_start)
		err(c, d->loc, "a timeline needs at least a label and a start: { label: name, start: launch_month }");
}

/* ------------------------------------------------------------ scales */

/* A parameter declared `: scale`, or written with brackets. */
static bool is_scale(const Decl *d)
{
	return d->kind == D_PARAM &&
	       (d->nbrackets || (d->type_node && d->type_node->kind == N_NAME && strcmp(d->type_node->text, "scale") == 0));
}

/* One dated value of a bracket: a constant of the kinds the part takes.
 * *kind is the type the scale's first such value set, which the others
 * must share (one currency). */
static void scale_value(Chk *c, const Decl *d, Case *k, const Type **kind)
{
	const Type *t = check(c, k->value, NULL);
	date_t f, u;
	bool hf = parse_date_text(c, k->from, k->from_loc, &f);
	bool hu = parse_date_text(c, k->until, k->until_loc, &u);
	if (hf && hu && u <= f)
		err(c, k->until_loc, "'until' must come after 'from'");
	if (t->kind == TY_ERROR)
		return;
	bool is_rate = strcmp(k->label, "rate") == 0;
	if (is_rate && t->kind != TY_PCT) {
		Diag *dg = err(c, k->value->loc, "a bracket's rate is a percentage, but this is %s", a_ty(t));
		diag_hint(dg, "write the rate with %%, like 15%%");
		return;
	}
	if (!is_rate && t->kind != TY_INT && t->kind != TY_DEC && t->kind != TY_MONEY && t->kind != TY_PCT) {
		err(c, k->value->loc, "a bracket's %s is a number or an amount, but this is %s", k->label, a_ty(t));
		return;
	}
	if (!k->value->is_const) {
		Diag *dg = err(c, k->value->loc, "a bracket's %s is written as a value", k->label);
		diag_hint(dg, "write it out, like 14_000_000 KRW or 15%%");
		return;
	}
	if (!*kind) {
		*kind = t;
	} else if (!unify(*kind, t) || (t->kind == TY_MONEY && t->cur != (*kind)->cur)) {
		Diag *dg = err(c, k->value->loc, "the %ss of '%s' mix %s and %s", k->label, d->name, a_ty(*kind), a_ty(t));
		diag_hint(dg, "write every %s of a scale in one kind, in one currency", k->label);
	}
}

/* The threshold value of bracket i's dated value k in a description. */
static Value desc_at(Value desc, int i, int part, int k, int field)
{
	return desc.as.l->items[i].as.l->items[part].as.l->items[k].as.l->items[field];
}

/* The brackets in force on `day` are written lowest first, no two starting
 * at one threshold; false after reporting the first that is not. */
static bool order_on(Chk *c, const Decl *d, Value desc, date_t day, bool dated)
{
	int prev = -1, pk = -1;
	for (int i = 0; i < d->nbrackets; i++) {
		int at = scale_pick(desc.as.l->items[i].as.l->items[0].as.l, day);
		if (at < 0)
			continue;
		if (prev >= 0) {
			Value lo = desc_at(desc, prev, 0, pk, 2), t = desc_at(desc, i, 0, at, 2);
			int cmp = ar_order(lo, t);
			if (cmp >= 0) {
				Loc loc = d->brackets[i].thresholds[at].value->loc;
				char on[16] = "";
				if (dated) {
					strcpy(on, " on ");
					date_format(day, on + 4);
				}
				Diag *dg = cmp == 0 ? err(c, loc, "brackets %d and %d of '%s' both start at %s%s", prev + 1, i + 1,
							  d->name, fmt_value_str(c->p, t), on)
						    : err(c, loc, "bracket %d of '%s' starts at %s, below bracket %d at %s%s", i + 1,
							  d->name, fmt_value_str(c->p, t), prev + 1, fmt_value_str(c->p, lo), on);
				diag_hint(dg, cmp == 0 ? "keep one of them, or give this one its own threshold"
						       : "write the brackets lowest first");
				return false;
			}
		}
		prev = i;
		pk = at;
	}
	return true;
}

/* The order is checked on every day a threshold starts or ends, and
 * before any date. */
static void scale_order(Chk *c, const Decl *d)
{
	Value desc = scale_describe(d);
	if (!order_on(c, d, desc, INT32_MIN, false))
		return;
	for (int b = 0; b < d->nbrackets; b++)
		for (int k = 0; k < d->brackets[b].nthresholds; k++)
			for (int end = 0; end < 2; end++) {
				Value day = desc_at(desc, b, 0, k, end);
				if (day.tag == V_DATE && !order_on(c, d, desc, day.as.i, true))
					return;
			}
}

/* `param NAME : scale` with its brackets: each value checked, one kind of
 * threshold, rates or amounts of one kind, in order on every date. */
static void check_scale(Chk *c, Decl *d)
{
	if (!d->nbrackets) {
		Diag *dg = err(c, d->loc, "the scale '%s' has no brackets", d->name);
		diag_hint(dg, "write its brackets after it, one a line: 'bracket from 0 KRW rate 6%%'");
		d->type = &ty_error;
		return;
	}
	if (!(d->type_node->kind == N_NAME && strcmp(d->type_node->text, "scale") == 0 && !d->type_node->cur)) {
		Diag *dg = err(c, d->type_node->loc, "a parameter with brackets is a scale");
		diag_hint(dg, "write 'param %s : scale'", d->name);
	}
	const Type *thr = NULL, *val = NULL;
	const char *word = NULL;
	int errors = c->d->nerrors;
	for (int b = 0; b < d->nbrackets; b++) {
		Bracket *br = &d->brackets[b];
		for (int k = 0; k < br->nthresholds; k++)
			scale_value(c, d, &br->thresholds[k], &thr);
		for (int k = 0; k < br->nvalues; k++) {
			if (!word)
				word = br->values[k].label;
			else if (strcmp(word, br->values[k].label) != 0) {
				Diag *dg = err(c, br->values[k].loc, "the brackets of '%s' mix rates and amounts", d->name);
				diag_hint(dg, "a scale gives a rate in every bracket or an amount in every bracket");
				continue;
			}
			scale_value(c, d, &br->values[k], &val);
		}
		if (!br->nthresholds)
			err(c, br->loc, "bracket %d of '%s' has no threshold: write 'threshold from DATE = ...'", b + 1, d->name);
		else if (!br->nvalues)
			err(c, br->loc, "bracket %d of '%s' has a threshold but no rate or amount: write 'rate from DATE = ...'", b + 1, d->name);
		same_from_twice(c, br->thresholds, br->nthresholds, "the threshold of bracket %d", b + 1);
		same_from_twice(c, br->values, br->nvalues, "the %s of bracket %d", word ? word : "rate", b + 1);
	}
	if (c->d->nerrors == errors)
		scale_order(c, d);
	Type *t = GC_MALLOC(sizeof *t);
	t->kind = TY_SCALE;
	t->elem = thr ? thr : &ty_error;
	t->amount = word && strcmp(word, "amount") == 0 ? (val ? val : &ty_error) : NULL;
	d->type = t;
}

static void check_decl(Chk *c, Decl *d)
{
	if (d->checked || d->checking)
		return;
	d->checking = true;
	Scope saved = scope_enter(c, d->module, d);
	switch (d->kind) {
	case D_DECISION:
		if (d->view) {
			reserve(c, d->ncases + 2);
			check_view(c, d);
			break;
		}
		/* fall through */
	case D_PARAM:
		if (is_scale(d)) {
			check_scale(c, d);
			break;
		}
		/* fall through */
	case D_TABLE:
		if (!d->type)
			d->type = resolve_type(c, d->type_node);
		/* condition slots for PICK, then an accumulator pair for collecting tables */
		reserve(c, d->ncases + 2);
		check_cases(c, d);
		break;
	case D_FUNCTION:
		if (!d->type)
			d->type = resolve_type(c, d->type_node);
		for (int i = 0; i < d->nparams; i++) {
			if (!d->params[i].type)
				d->params[i].type = resolve_type(c, d->params[i].type_node);
			for (int j = 0; j < i; j++)
				if (strcmp(d->params[j].name, d->params[i].name) == 0)
					err(c, d->params[i].loc, "two parameters are named '%s'", d->params[i].name);
			push_local(c, d->params[i].name, d->params[i].type);
		}
		if (!d->body) {
			/* a table with parameters, or a function with cases: the
			 * slots of its rows or cases follow the parameters */
			reserve(c, d->ncases + 2);
			check_cases(c, d);
			break;
		}
		expect_type(c, d->body, d->type, "the function's result");
		break;
	case D_CHECK:
		if (d->over) {
			const Type *t = check(c, d->over, NULL);
			const Type *et = t->kind == TY_LIST ? t->elem : &ty_error;
			if (t->kind != TY_LIST && t->kind != TY_ERROR && t->kind != TY_EMPTY)
				err(c, d->over->loc, "'for %s in ...' needs a list, but this is %s", d->var, a_ty(t));
			d->index = reserve(c, 2); /* loop layout as in check_gen */
			push_local(c, d->var, et);
			reserve(c, 2);
			expect_type(c, d->cond, &ty_bool, "a check");
			check(c, d->showing, NULL);
		} else {
			expect_type(c, d->cond, &ty_bool, "a check");
		}
		break;
	case D_REQUIRE:
		expect_type(c, d->cond, &ty_bool, "a requirement");
		break;
	default:
		break;
	}
	d->nlocals = c->maxslots;
	scope_leave(c, saved);
	d->checking = false;
	d->checked = true;
}

/* ------------------------------------------------------------ registry */

/* The second declaration of a name points at the first. */
static void point_at_first(Diag *dg, Loc first)
{
	diag_hint(dg, "the other one is at %s:%d", first.file, first.line);
	diag_related(dg, first, "the other declaration");
}

static void add_typedef(Chk *c, Module *m, Decl *d)
{
	Program *p = c->p;
	d->def->id = p->ntypes;
	d->def->module = m;
	AST_PUSH(p->types, p->ntypes, d->def);
	strmap_put(&c->types, d->name, d->def);
}

/* An enum or a record type, and an enum's members under their names. */
static void register_type(Chk *c, Module *m, Decl *d)
{
	TypeDef *prev = strmap_get(&c->types, d->name);
	if (prev) {
		point_at_first(err(c, d->loc, "the type '%s' is declared twice", d->name), prev->loc);
		return;
	}
	add_typedef(c, m, d);
	if (d->kind != D_ENUM)
		return;
	for (int j = 0; j < d->def->nmembers; j++) {
		if (member_index_of(c, d->def, d->def->members[j]) >= 0)
			err(c, d->def->member_locs[j], "'%s' is listed twice in %s", d->def->members[j], d->name);
		MemberRef *r = GC_MALLOC(sizeof *r);
		r->def = d->def;
		r->idx = j;
		r->next = strmap_get(&c->members, d->def->members[j]);
		strmap_put(&c->members, d->def->members[j], r);
	}
}

/* A fact, and the record type it declares in line, if any. */
static void register_fact(Chk *c, Module *m, Decl *d)
{
	Program *p = c->p;
	Decl *prev = strmap_get(&c->facts, d->name);
	if (prev) {
		point_at_first(err(c, d->loc, "the fact '%s' is declared twice", d->name), prev->loc);
		return;
	}
	if (d->def) {
		if (strmap_get(&c->types, d->name)) {
			err(c, d->loc, "'%s' names both a fact and a type; rename one", d->name);
			return;
		}
		add_typedef(c, m, d);
	}
	d->fact = p->nfacts;
	AST_PUSH(p->facts, p->nfacts, d);
	strmap_put(&c->facts, d->name, d);
}

/* A parameter, decision, table or function under its qualified name and,
 * where no other module uses it, its bare name. */
static void register_named(Chk *c, Module *m, Decl *d)
{
	Program *p = c->p;
	d->qname = qualify(m, d->name);
	Decl *prev = strmap_get(&c->decls, d->qname);
	if (prev) {
		point_at_first(err(c, d->loc, "'%s' is declared twice in module %s", d->name, m->name), prev->loc);
		return;
	}
	strmap_put(&c->decls, d->qname, d);
	Decl *b = strmap_get(&c->bare, d->name);
	strmap_put(&c->bare, d->name, b ? (Decl *)&ambiguous : d);
	if (d->kind == D_FUNCTION) {
		d->index = p->nfuncs;
		AST_PUSH(p->funcs, p->nfuncs, d);
	} else {
		d->index = p->ndecls;
		AST_PUSH(p->decls, p->ndecls, d);
	}
}

/* A test, under its qualified name: two tests of one name in a module
 * could not be told apart in a run's report. */
static void register_test(Chk *c, Module *m, Decl *d)
{
	d->qname = qualify(m, d->name);
	Decl *prev = strmap_get(&c->tests, d->qname);
	if (prev) {
		point_at_first(err(c, d->loc, "the test \"%s\" is declared twice in module %s", d->name, m->name),
			       prev->loc);
		return;
	}
	strmap_put(&c->tests, d->qname, d);
	AST_PUSH(c->p->tests, c->p->ntests, d);
}

static void register_decls(Chk *c, Module *m)
{
	Program *p = c->p;
	for (int i = 0; i < m->ndecls; i++) {
		Decl *d = m->decls[i];
		if (i + 4 < m->ndecls)
			__builtin_prefetch(m->decls[i + 4]); /* a large rule set's Decls are not in the cache */
		switch (d->kind) {
		case D_ENUM:
		case D_RECORD:
			register_type(c, m, d);
			break;
		case D_FACT:
			register_fact(c, m, d);
			break;
		case D_PARAM:
		case D_DECISION:
		case D_TABLE:
		case D_FUNCTION:
			register_named(c, m, d);
			break;
		case D_CHECK:
			d->qname = qualify(m, d->name);
			AST_PUSH(p->checks, p->nchecks, d);
			break;
		case D_REQUIRE:
			d->qname = qualify(m, d->name);
			AST_PUSH(p->requires, p->nrequires, d);
			break;
		case D_TEST:
			register_test(c, m, d);
			break;
		case D_DOCUMENT:
			AST_PUSH(p->docs, p->ndocs, d);
			break;
		}
	}
}

static void resolve_fields(Chk *c, TypeDef *td)
{
	ast_index_fields(td);
	for (int i = 0; i < td->nfields; i++) {
		Field *f = &td->fields[i];
		if (ast_field_slot(td, f->name) != i)
			err(c, f->loc, "the field '%s' is declared twice in %s", f->name, td->name);
		f->type = resolve_type(c, f->type_node);
		if (f->dflt) {
			expect_named(c, f->dflt, f->type, "the default of '%s'", f->name);
			if (!f->dflt->is_const && f->dflt->kind != N_LIST && f->dflt->type->kind != TY_ERROR)
				err(c, f->dflt->loc, "a default must be a plain value, such as 0 KRW, false or []");
		}
	}
}

/* The types of the values an enumeration's members carry. */
static void resolve_members(Chk *c, TypeDef *td)
{
	td->member_types = GC_MALLOC(sizeof(Type *) * (size_t)td->nmembers);
	for (int i = 0; i < td->nmembers; i++)
		if (td->member_type_nodes[i])
			td->member_types[i] = resolve_type(c, td->member_type_nodes[i]);
}

/* ---------------------------------------------------------------- cycles */

#define DEP_ID(x) ((x)->kind == D_FUNCTION ? p->ndecls + (x)->index : (x)->index)

/* Of d's uses, the one with the longest chain of uses after it (height,
 * by DEP_ID), or NULL. */
static Decl *deepest_use(const Program *p, const Decl *d, const int *height)
{
	Decl *best = NULL;
	for (int k = 0; k < d->ndeps; k++)
		if (!best || height[DEP_ID(d->deps[k])] > height[DEP_ID(best)])
			best = d->deps[k];
	return best;
}

/* d's uses are all known: the longest chain of uses from it, and a
 * warning, once, where that is deeper than an evaluation may go: asking d
 * stops with an error unless the far end of the chain was decided first. */
static void note_height(Chk *c, Decl *d, int *height, bool *warned)
{
	const Program *p = c->p;
	Decl *next = deepest_use(p, d, height);
	int h = height[DEP_ID(d)] = 1 + (next ? height[DEP_ID(next)] : 0);
	if (h <= VM_MAX_DEPTH || *warned)
		return;
	*warned = true;
	char *path = xprintf("%s", d->qname);
	for (int k = 0; k < 3 && next; k++, next = deepest_use(p, next, height))
		path = xprintf("%s -> %s", path, next->qname);
	Diag *dg = diag_add(c->d, SEV_WARNING, d->loc,
			    "'%s' uses decisions and functions %d deep (%s -> ...); an evaluation goes at most %d deep, "
			    "so asking it stops with an error",
			    d->qname, h, path, VM_MAX_DEPTH);
	diag_hint(dg, "shorten the chain: a decision can sum or compare a list of values instead of chaining one "
		      "decision per value");
}

/* Walk the dependency graph of decisions and functions once, without
 * recursion (a rule set may chain thousands of decisions): report every
 * circle that goes through a decision, and find the decisions that read
 * no fact, directly or through what they use.  Such a decision depends only
 * on the as-of date, so the VM may keep its value from one evaluation to the
 * next (thresholds, the programme's own data). */
static void analyse_deps(Chk *c)
{
	Program *p = c->p;
	int total = p->ndecls + p->nfuncs;
	unsigned char *state = GC_MALLOC_ATOMIC((size_t)total + 1);
	memset(state, 0, (size_t)total + 1);
	typedef struct Frame {
		Decl *d;
		int next;
	} Frame;
	Frame *stack = GC_MALLOC(sizeof(Frame) * ((size_t)total + 1));
	int *height = GC_MALLOC_ATOMIC(sizeof(int) * ((size_t)total + 1));
	memset(height, 0, sizeof(int) * ((size_t)total + 1));
	bool deep = false;
	for (int r = 0; r < total; r++) {
		Decl *root = r < p->ndecls ? p->decls[r] : p->funcs[r - p->ndecls];
		if (r + 4 < p->ndecls)
			__builtin_prefetch(p->decls[r + 4]); /* as in register_decls */
		if (state[DEP_ID(root)])
			continue;
		int sp = 0;
		stack[sp++] = (Frame){root, 0};
		state[DEP_ID(root)] = 1;
		root->fact_free = root->reads_facts ? -1 : 1;
		while (sp > 0) {
			Frame *f = &stack[sp - 1];
			if (f->next < f->d->ndeps) {
				Decl *dep = f->d->deps[f->next++];
				int id = DEP_ID(dep);
				if (state[id] == 0) {
					state[id] = 1;
					dep->fact_free = dep->reads_facts ? -1 : 1;
					stack[sp++] = (Frame){dep, 0};
				} else if (state[id] == 1) {
					/* a circle: from dep's frame to the top; functions alone may recurse */
					int start = sp - 1;
					while (start > 0 && stack[start].d != dep)
						start--;
					bool has_decision = false;
					for (int k = start; k < sp; k++)
						has_decision |= stack[k].d->kind != D_FUNCTION || stack[k].d->each;
					if (has_decision) {
						char *path = xprintf("%s", dep->qname);
						for (int k = start + 1; k < sp && k < start + 20; k++)
							path = xprintf("%s -> %s", path, stack[k].d->qname);
						if (sp - start > 20)
							path = xprintf("%s -> ...", path);
						path = xprintf("%s -> %s", path, dep->qname);
						Diag *dg = err(c, dep->loc, "'%s' depends on itself: %s", dep->qname, path);
						diag_hint(dg, "a decision cannot be used to decide itself; break the circle");
						for (int k = start + 1; k < sp && k < start + 20; k++)
							diag_related(dg, stack[k].d->loc, xprintf("'%s' is part of the circle", stack[k].d->qname));
					}
				} else if (dep->fact_free < 0) {
					f->d->fact_free = -1;
				}
			} else {
				/* all of its uses are known now */
				Decl *d = f->d;
				for (int k = 0; k < d->ndeps; k++)
					if (d->deps[k]->fact_free < 0)
						d->fact_free = -1;
				state[DEP_ID(d)] = 2;
				note_height(c, d, height, &deep);
				sp--;
				if (sp > 0 && d->fact_free < 0)
					stack[sp - 1].d->fact_free = -1;
			}
		}
	}
#undef DEP_ID
	p->keep = GC_MALLOC_ATOMIC((size_t)p->ndecls + 1);
	for (int i = 0; i < p->ndecls; i++)
		p->keep[i] = p->decls[i]->fact_free > 0;
}

/* ---------------------------------------------------------------- entry */

static Chk *new_chk(Program *p, Diags *d)
{
	Chk *c = GC_MALLOC(sizeof *c);
	c->p = p;
	c->d = d;
	return c;
}

/* Each module under its name; a second file defining one is an error. */
static void register_modules(Chk *c, Module **mods, int nmods)
{
	for (int i = 0; i < nmods; i++) {
		Module *m = mods[i];
		Module *prev = strmap_get(&c->mods, m->name);
		if (prev) {
			Diag *dg = err(c, m->name_loc.file ? m->name_loc : (Loc){m->src->path, 1, 1, 1, 1},
				       "two files define the module '%s'", m->name);
			diag_hint(dg, "the other one is %s", prev->src->path);
			continue;
		}
		strmap_put(&c->mods, m->name, m);
	}
}

/* Each import of m to the module it names. */
static void resolve_imports(Chk *c, Module *m, Module **mods, int nmods)
{
	for (int j = 0; j < m->nimports; j++) {
		Import *im = &m->imports[j];
		im->mod = strmap_get(&c->mods, im->name);
		if (!im->mod) {
			const char *cands[256];
			int nc = 0;
			for (int k = 0; k < nmods && nc < 256; k++)
				cands[nc++] = mods[k]->name;
			Diag *dg = err(c, im->loc, "there is no module named '%s' in this rule set", im->name);
			const char *best = diag_closest(im->name, cands, nc);
			if (best)
				diag_hint(dg, "did you mean '%s'?", best);
		} else if (im->mod == m) {
			err(c, im->loc, "a module cannot import itself");
			im->mod = NULL;
		}
	}
}

/* Field types first, so facts and records are known to every body; then
 * the facts' types and defaults. */
static void resolve_types_and_facts(Chk *c, Program *p)
{
	for (int i = 0; i < p->ntypes; i++) {
		c->mod = (Module *)p->types[i]->module;
		if (!p->types[i]->is_enum)
			resolve_fields(c, p->types[i]);
		else if (p->types[i]->member_type_nodes)
			resolve_members(c, p->types[i]);
	}
	for (int i = 0; i < p->nfacts; i++) {
		Decl *f = p->facts[i];
		c->mod = f->module;
		if (f->def) {
			f->type = ty_named(f->def);
		} else {
			f->type = resolve_type(c, f->type_node);
			if (f->dflt)
				expect_named(c, f->dflt, f->type, "the default of '%s'", f->name);
		}
		if (strmap_get(&c->mods, f->name))
			err(c, f->loc, "'%s' names both a fact and a module; rename one", f->name);
	}
	c->mod = NULL;
}

/* Functions' signatures before bodies, so calls check in any order; a
 * decision for each member takes the member. */
static void resolve_signatures(Chk *c, Program *p)
{
	for (int i = 0; i < p->nfuncs; i++) {
		Decl *f = p->funcs[i];
		Scope saved = scope_enter(c, f->module, NULL);
		f->type = resolve_type(c, f->type_node);
		for (int j = 0; j < f->nparams && !f->each; j++)
			f->params[j].type = resolve_type(c, f->params[j].type_node);
		scope_leave(c, saved);
		if (f->each)
			resolve_each(c, f);
	}
}

/* A test's steps: given paths, expectations that are truth values, dates. */
static void check_test(Chk *c, Decl *t)
{
	c->mod = t->module;
	for (int j = 0; j < t->nsteps; j++) {
		TestStep *s = &t->steps[j];
		int nl = 0;
		if (s->kind == TS_GIVEN) {
			chk_given(c->p, NULL, s, c->d, &nl);
		} else if (s->kind == TS_EXPECT) {
			Scope saved = scope_enter(c, t->module, NULL);
			expect_type(c, s->expr, &ty_bool, "what a test expects");
			t->nlocals = c->maxslots > t->nlocals ? c->maxslots : t->nlocals;
			scope_leave(c, saved);
		} else if (s->kind == TS_ASOF) {
			date_t dt;
			parse_date_text(c, s->date, s->loc, &dt);
		}
	}
	c->mod = NULL;
}

Program *chk_program(Module **mods, int nmods, Diags *d)
{
	Program *p = GC_MALLOC(sizeof *p);
	p->diags = d;
	p->mods = mods;
	p->nmods = nmods;
	Chk *c = new_chk(p, d);
	p->chk = c; /* the lookup tables stay with the program for queries */
	register_modules(c, mods, nmods);
	int ndecls = 0;
	for (int i = 0; i < nmods; i++)
		ndecls += mods[i]->ndecls;
	strmap_reserve(&c->decls, ndecls); /* a large rule set's largest map */
	for (int i = 0; i < nmods; i++)
		register_decls(c, mods[i]);
	for (int i = 0; i < nmods; i++)
		resolve_imports(c, mods[i], mods, nmods);
	resolve_types_and_facts(c, p);
	resolve_signatures(c, p);
	for (int i = 0; i < nmods; i++)
		for (int j = 0; j < mods[i]->ndecls; j++) {
			if (j + 1 < mods[i]->ndecls)
				ast_prefetch_decl(mods[i]->decls[j + 1]);
			check_decl(c, mods[i]->decls[j]);
		}
	analyse_deps(c);
	for (int i = 0; i < p->ntests; i++)
		check_test(c, p->tests[i]);
	cite_check(p, d);
	return p;
}

const Type *chk_query(Program *p, Own *own, Node *expr, const Type *expect, Diags *d, int *nlocals)
{
	Chk *c = p->chk;
	Diags *saved_d = c->d;
	c->d = d;
	c->own = own;
	Scope saved = scope_enter(c, NULL, NULL);
	const Type *t = expect ? expect_type(c, expr, expect, "the value") : check(c, expr, NULL);
	*nlocals = c->maxslots;
	scope_leave(c, saved);
	c->d = saved_d;
	c->own = NULL;
	return t;
}

/* A fact over time is given its dated values (`from DATE = value`), any
 * other fact one value. */
static bool given_form_fits(const TestStep *s, const Type *t, Diags *d)
{
	bool dated = s->expr->kind == N_SERIES;
	if (dated == (t->kind == TY_SERIES) || t->kind == TY_ERROR || s->expr->kind == N_UNKNOWN)
		return true;
	char *path = xprintf("%s", s->path[0]);
	for (int j = 1; j < s->npath; j++)
		path = xprintf("%s.%s", path, s->path[j]);
	Diag *dg;
	if (dated) {
		dg = diag_add(d, SEV_ERROR, s->loc, "'%s' is not a fact over time: give it one value", path);
		diag_hint(dg, "write: given %s = ...", path);
	} else {
		dg = diag_add(d, SEV_ERROR, s->loc, "'%s' holds dated values: give each with the date it holds from", path);
		diag_hint(dg, "write: given %s from 2025-01-01 = ...  (one 'from' for each value)", path);
	}
	return false;
}

bool chk_given(Program *p, Own *own, TestStep *s, Diags *d, int *nlocals)
{
	Chk *c = p->chk;
	Decl *f = strmap_get(&c->facts, s->path[0]);
	if (!f) {
		const char *cands[256];
		int nc = 0;
		for (int i = 0; i < p->nfacts && nc < 256; i++)
			cands[nc++] = p->facts[i]->name;
		Diag *dg = diag_add(d, SEV_ERROR, s->loc, "unknown fact '%s'", s->path[0]);
		const char *best = diag_closest(s->path[0], cands, nc);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
		return false;
	}
	s->fact = f->fact;
	const Type *t = f->type;
	s->slots = s->npath > 1 ? GC_MALLOC_ATOMIC(sizeof(int) * (size_t)s->npath) : NULL;
	for (int i = 1; i < s->npath; i++) {
		if (t->kind != TY_REC) {
			diag_add(d, SEV_ERROR, s->loc, "'%s' is %s and has no field '%s'", s->path[i - 1], a_ty(t), s->path[i]);
			return false;
		}
		int slot = ast_field_slot(t->def, s->path[i]);
		if (slot < 0) {
			const char *cands[256];
			int nc = 0;
			for (int j = 0; j < t->def->nfields && nc < 256; j++)
				cands[nc++] = t->def->fields[j].name;
			char *path = xprintf("%s", s->path[0]);
			for (int j = 1; j < i; j++)
				path = xprintf("%s.%s", path, s->path[j]);
			Diag *dg = diag_add(d, SEV_ERROR, s->loc, "unknown fact '%s.%s'", path, s->path[i]);
			const char *best = diag_closest(s->path[i], cands, nc);
			if (best)
				diag_hint(dg, "did you mean '%s.%s'?", path, best);
			return false;
		}
		s->slots[i] = slot;
		t = t->def->fields[slot].type;
	}
	s->type = t;
	if (!given_form_fits(s, t, d))
		return false;
	int before = d->nerrors;
	chk_query(p, own, s->expr, t, d, nlocals);
	return d->nerrors == before;
}
