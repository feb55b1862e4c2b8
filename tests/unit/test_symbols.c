/*
 * test_symbols.c - unit tests for interp/symbols.c: the symbol index that
 * the language server answers from.
 *
 * Two small modules are loaded from memory; then: the use under a place
 * and what it refers to (decisions, params, facts, fields, members,
 * locals, module prefixes, a test's given path), all the uses of one
 * declaration, hover text (type, comment, citations, dated values),
 * completion after a dot and without one, the grammar's keywords, names
 * valid for a rename, an index of a rule set with errors, and a diagnostic's
 * suggestion and related places.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "load.h"
#include "mem.h"
#include "parse.h"
#include "symbols.h"
#include "keywords.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(symbols, .init = setup);

static const char facts_src[] =
	"module facts\n"                          /* 1 */
	"enum size = small | large\n"             /* 2 */
	"fact firm {\n"                           /* 3 */
	"  size : size\n"                         /* 4 */
	"  share : percent source \"the share\"\n" /* 5 */
	"}\n";

static const char grant_src[] =
	"module grant\n"                                                     /* 1 */
	"import facts\n"                                                     /* 2 */
	"# The share that gives priority.\n"                                 /* 3 */
	"param limit : percent\n"                                            /* 4 */
	"  from 2025-01-01 = 10% source \"rule of 2025\"\n"                  /* 5 */
	"  from 2026-01-01 = 8%\n"                                           /* 6 */
	"decision small_firm : bool = firm.size = small\n"                   /* 7 */
	"decision prio : bool = small_firm and firm.share >= limit\n"        /* 8 */
	"function twice(x : int) : int = let y = x * 2; y + x\n"             /* 9 */
	"decision six : int = grant.twice(2)\n"                              /* 10 */
	"test \"t\" {\n"                                                     /* 11 */
	"  given firm.share = 12%\n"                                         /* 12 */
	"  expect prio or true\n"                                            /* 13 */
	"}\n";

static Program *load(const char *grant, Diags **dout)
{
	static Source a, b;
	a = (Source){"facts.edict", facts_src, sizeof facts_src - 1, NULL, 0};
	b = (Source){"grant.edict", grant, strlen(grant), NULL, 0};
	const Source *srcs[2] = {&a, &b};
	Diags *d = diag_new();
	Program *p = load_sources(srcs, 2, d);
	if (dout)
		*dout = d;
	return p;
}

static const Sym *at(const SymIndex *ix, const char *file, int line, int col)
{
	const SymUse *u = sym_at(ix, file, line, col);
	cr_assert_not_null(u, "no name at %s:%d:%d", file, line, col);
	return u->sym;
}

Test(symbols, names_refer_to_their_declarations)
{
	Diags *d;
	Program *p = load(grant_src, &d);
	cr_assert_eq(d->nerrors, 0);
	SymIndex *ix = sym_index(p);
	const Sym *s = at(ix, "grant.edict", 8, 24); /* small_firm */
	cr_assert_eq(s->kind, SK_DECISION);
	cr_assert_str_eq(s->qname, "grant.small_firm");
	cr_assert_eq(s->loc.line, 7);
	cr_assert_eq(s->loc.col, 10);
	cr_assert_eq(at(ix, "grant.edict", 8, 39)->kind, SK_FACT);   /* firm */
	const Sym *f = at(ix, "grant.edict", 8, 44);                 /* share */
	cr_assert_eq(f->kind, SK_FIELD);
	cr_assert_str_eq(f->loc.file, "facts.edict");
	cr_assert_eq(f->loc.line, 5);
	cr_assert_eq(at(ix, "grant.edict", 8, 53)->kind, SK_PARAM);  /* limit */
	cr_assert_eq(at(ix, "grant.edict", 7, 42)->kind, SK_MEMBER); /* small */
	const Sym *y = at(ix, "grant.edict", 9, 49);                 /* y in `y + x` */
	cr_assert_eq(y->kind, SK_LOCAL);
	cr_assert_eq(y->loc.col, 37);
	cr_assert_eq(at(ix, "grant.edict", 9, 53)->kind, SK_ARG);      /* x */
	cr_assert_eq(at(ix, "grant.edict", 10, 28)->kind, SK_FUNCTION); /* twice of grant.twice */
	cr_assert_eq(at(ix, "grant.edict", 10, 22)->kind, SK_MODULE);   /* grant of grant.twice */
	cr_assert_eq(at(ix, "grant.edict", 12, 14)->kind, SK_FIELD);    /* share of a given */
	cr_assert_null(sym_at(ix, "grant.edict", 8, 36)); /* `and` */
}

Test(symbols, uses_of_one_declaration)
{
	SymIndex *ix = sym_index(load(grant_src, NULL));
	const Sym *s = at(ix, "grant.edict", 7, 12);
	int n = 0, defs = 0;
	for (int i = 0; i < ix->nuses; i++)
		if (ix->uses[i].sym == s)
			n++, defs += ix->uses[i].def;
	cr_assert_eq(n, 2);
	cr_assert_eq(defs, 1);
}

Test(symbols, hover_text)
{
	SymIndex *ix = sym_index(load(grant_src, NULL));
	const char *h = sym_hover(ix, at(ix, "grant.edict", 8, 53));
	cr_assert(strstr(h, "parameter grant.limit : percentage"), "%s", h);
	cr_assert(strstr(h, "The share that gives priority."), "%s", h);
	cr_assert(strstr(h, "`10%` from 2025-01-01; source \"rule of 2025\""), "%s", h);
	cr_assert(strstr(h, "`8%` from 2026-01-01"), "%s", h);
	h = sym_hover(ix, at(ix, "grant.edict", 8, 44));
	cr_assert(strstr(h, "field firm.share : percentage"), "%s", h);
	cr_assert(strstr(h, "source: \"the share\""), "%s", h);
}

static bool has(const SymCand *c, int n, const char *label, SymKind k)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].label, label) == 0 && c[i].kind == k)
			return true;
	return false;
}

Test(symbols, completion)
{
	SymIndex *ix = sym_index(load(grant_src, NULL));
	SymCand *c;
	int n = sym_complete(ix, "grant.edict", "decision z : bool = firm.", &c);
	cr_assert(has(c, n, "share", SK_FIELD));
	cr_assert(has(c, n, "size", SK_FIELD));
	cr_assert(!has(c, n, "decision", SK_KEYWORD));
	n = sym_complete(ix, "grant.edict", "decision z : bool = size.", &c);
	cr_assert(has(c, n, "large", SK_MEMBER));
	n = sym_complete(ix, "grant.edict", "decision z : bool = grant.", &c);
	cr_assert(has(c, n, "prio", SK_DECISION));
	n = sym_complete(ix, "grant.edict", "decision z : money = 3 ", &c);
	cr_assert(has(c, n, "decision", SK_KEYWORD));
	cr_assert(has(c, n, "limit", SK_PARAM));
	cr_assert(has(c, n, "firm", SK_FACT));
	cr_assert(has(c, n, "small", SK_MEMBER));
	cr_assert(has(c, n, "KRW", SK_CURRENCY));
	cr_assert(has(c, n, "min", SK_BUILTIN));
}

Test(symbols, keywords_and_names)
{
	bool decision = false, days = false;
	for (int i = 0; i < kw_count; i++) {
		decision |= strcmp(kw_table[i].text, "decision") == 0;
		days |= strstr(kw_table[i].text, "days") != NULL;
	}
	cr_assert(decision);
	cr_assert(!days, "units are not keywords");
	cr_assert(sym_valid_name("eligible_2"));
	cr_assert(!sym_valid_name("decision"));
	cr_assert(!sym_valid_name("KRW"));
	cr_assert(!sym_valid_name("2x"));
	cr_assert(!sym_valid_name("a-b"));
}

Test(symbols, a_rule_set_with_errors_is_indexed)
{
	char *broken = xprintf("%s", grant_src);
	char *eq = strstr(broken, "firm.share >= limit");
	memcpy(eq, "firm.shar  >= limit", 19);
	Diags *d;
	SymIndex *ix = sym_index(load(broken, &d));
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].fix, "firm.share");
	cr_assert_eq(at(ix, "grant.edict", 8, 53)->kind, SK_PARAM);
	cr_assert_null(sym_at(ix, "grant.edict", 8, 44));
}

Test(symbols, duplicates_point_at_each_other)
{
	char *dup = xprintf("%sdecision six : int = 6\n", grant_src);
	Diags *d;
	load(dup, &d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_eq(d->items[0].nrelated, 1);
	cr_assert_eq(d->items[0].related[0].loc.line, 10);
}

/* A member written with its value, most_recent(...), refers to the member. */
Test(symbols, a_member_with_its_value_refers_to_the_member)
{
	Diags *d;
	Program *p = load("enum prior_sale = none | most_recent of date\n"
			  "decision last : prior_sale = most_recent(2024-05-01)\n",
			  &d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	SymIndex *ix = sym_index(p);
	const Sym *s = at(ix, "grant.edict", 2, 30);
	cr_assert_eq(s->kind, SK_MEMBER);
	cr_assert_eq(s->loc.line, 1);
	cr_assert_eq(s->loc.col, 26);
}
