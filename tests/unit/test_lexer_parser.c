/*
 * test_lexer_parser.c - unit tests for the front end: grammar/lexer.l and
 * grammar/parser.y, driven through interp/parse.c.
 *
 * Parses snippets with parse_expr, parse_module and parse_given and looks at
 * the trees they build (node kinds, operators, literal text, the shape that
 * operator precedence gives), at the source locations every node carries
 * (line and column, 1-based, end inclusive), and at the syntax diagnostics:
 * their exact text and where they point.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "keywords.h"
#include "parse.h"
#include "value.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(lexer_parser, .init = setup);

static const Source *src(const char *path, const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = path;
	s->text = text;
	s->len = strlen(text);
	return s;
}

/* Parse an expression that must be valid. */
static Node *E(const char *text)
{
	Diags *d = diag_new();
	Node *n = parse_expr(src("q", text), d);
	cr_assert_not_null(n, "parse_expr(%s) failed: %s", text, d->n ? d->items[0].msg : "(no message)");
	cr_assert_eq(d->nerrors, 0, "parse_expr(%s): %s", text, d->items[0].msg);
	return n;
}

/* Parse a module that must be valid. */
static Module *M(const char *text)
{
	Diags *d = diag_new();
	Module *m = parse_module(src("t.edict", text), d);
	cr_assert_not_null(m);
	cr_assert_eq(d->nerrors, 0, "parse_module: %s at %d:%d", d->n ? d->items[0].msg : "", d->n ? d->items[0].loc.line : 0,
		     d->n ? d->items[0].loc.col : 0);
	return m;
}

/* Parse a module that must fail; returns its diagnostics. */
static Diags *bad(const char *text)
{
	Diags *d = diag_new();
	parse_module(src("t.edict", text), d);
	cr_assert_gt(d->nerrors, 0, "expected a syntax error in: %s", text);
	return d;
}

static void at(Loc l, int line, int col, int eline, int ecol)
{
	cr_assert_eq(l.line, line, "line %d, expected %d", l.line, line);
	cr_assert_eq(l.col, col, "col %d, expected %d", l.col, col);
	cr_assert_eq(l.eline, eline, "end line %d, expected %d", l.eline, eline);
	cr_assert_eq(l.ecol, ecol, "end col %d, expected %d", l.ecol, ecol);
}

static void is_name(const Node *n, const char *text)
{
	cr_assert_eq(n->kind, N_NAME, "kind %s, expected a name", ast_node_kind_name(n->kind));
	cr_assert_str_eq(n->text, text);
}

/* ------------------------------------------------------------ literals */

Test(lexer_parser, number_literals_keep_their_text)
{
	Node *n = E("50_000_000");
	cr_assert_eq(n->kind, N_NUMBER);
	cr_assert_str_eq(n->text, "50_000_000");
	n = E("12.50");
	cr_assert_eq(n->kind, N_NUMBER);
	cr_assert_str_eq(n->text, "12.50");
}

Test(lexer_parser, percent_money_duration_date_literals)
{
	Node *n = E("10%");
	cr_assert_eq(n->kind, N_PERCENT);
	cr_assert_str_eq(n->text, "10", "the text of a percentage is without its %% sign");

	n = E("50_000_000 KRW");
	cr_assert_eq(n->kind, N_MONEY);
	cr_assert_str_eq(n->text, "50_000_000");
	cr_assert_eq(n->cur, val_currency("KRW"));
	at(n->loc, 1, 1, 1, 14);

	n = E("10.00 USD");
	cr_assert_eq(n->cur, val_currency("USD"));
	cr_assert_str_eq(n->text, "10.00");

	static const struct {
		const char *text;
		int unit;
	} durs[] = {{"14 days", DU_DAYS}, {"1 day", DU_DAYS},	    {"2 weeks", DU_WEEKS},
		    {"1 month", DU_MONTHS}, {"6 months", DU_MONTHS}, {"3 years", DU_YEARS}};
	for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++) {
		n = E(durs[i].text);
		cr_assert_eq(n->kind, N_DURATION, "%s", durs[i].text);
		cr_assert_eq(n->op, durs[i].unit, "%s", durs[i].text);
	}

	n = E("2025-05-01");
	cr_assert_eq(n->kind, N_DATE);
	cr_assert_str_eq(n->text, "2025-05-01");
}

Test(lexer_parser, other_literals)
{
	Node *n = E("hs \"6205.20\"");
	cr_assert_eq(n->kind, N_HSLIT);
	cr_assert_str_eq(n->text, "6205.20");
	cr_assert_eq(E("true")->kind, N_BOOL);
	cr_assert_eq(E("true")->ival, 1);
	cr_assert_eq(E("false")->ival, 0);
	cr_assert_eq(E("unknown")->kind, N_UNKNOWN);
	cr_assert_eq(E("as_of")->kind, N_ASOF);
	n = E("\"say \\\"hi\\\"\\n\\ttab \\\\ end\"");
	cr_assert_eq(n->kind, N_STRING);
	cr_assert_str_eq(n->text, "say \"hi\"\n\ttab \\ end", "escapes are decoded");
	n = E("\"한빛 섬유\"");
	cr_assert_str_eq(n->text, "한빛 섬유", "UTF-8 text in quotes is kept");
}

Test(lexer_parser, lists_and_records)
{
	Node *n = E("[1, 2, 3]");
	cr_assert_eq(n->kind, N_LIST);
	cr_assert_eq(n->nkids, 3);
	n = E("[1, 2,]");
	cr_assert_eq(n->nkids, 2, "a trailing comma is allowed");
	n = E("[]");
	cr_assert_eq(n->kind, N_LIST);
	cr_assert_eq(n->nkids, 0);
	n = E("{size: sme, us_export_share: 10%}");
	cr_assert_eq(n->kind, N_RECORD);
	cr_assert_eq(n->nkids, 2);
	cr_assert_eq(n->kids[0]->kind, N_ENTRY);
	cr_assert_str_eq(n->kids[0]->text, "size");
	is_name(n->kids[0]->kids[0], "sme");
	cr_assert_str_eq(n->kids[1]->text, "us_export_share");
	cr_assert_eq(n->kids[1]->kids[0]->kind, N_PERCENT);
}

Test(lexer_parser, comments_are_skipped)
{
	Node *n = E("1 # one\n + 2 # two");
	cr_assert_eq(n->kind, N_BINARY);
	cr_assert_eq(n->op, BIN_ADD);
	at(n->kids[1]->loc, 2, 4, 2, 4);
}

/* ----------------------------------------------------------- precedence */

Test(lexer_parser, multiplication_binds_tighter_than_addition)
{
	Node *n = E("1 + 2 * 3");
	cr_assert_eq(n->kind, N_BINARY);
	cr_assert_eq(n->op, BIN_ADD);
	cr_assert_eq(n->kids[0]->kind, N_NUMBER);
	cr_assert_eq(n->kids[1]->op, BIN_MUL);

	n = E("(1 + 2) * 3");
	cr_assert_eq(n->op, BIN_MUL);
	cr_assert_eq(n->kids[0]->op, BIN_ADD);
}

Test(lexer_parser, arithmetic_is_left_associative)
{
	Node *n = E("10 - 4 - 3");
	cr_assert_eq(n->op, BIN_SUB);
	cr_assert_eq(n->kids[0]->op, BIN_SUB, "(10 - 4) - 3");
	cr_assert_str_eq(n->kids[1]->text, "3");
	n = E("8 / 4 / 2");
	cr_assert_eq(n->kids[0]->op, BIN_DIV);
}

Test(lexer_parser, and_binds_tighter_than_or_and_not_tighter_than_and)
{
	Node *n = E("a or b and c");
	cr_assert_eq(n->op, BIN_OR);
	is_name(n->kids[0], "a");
	cr_assert_eq(n->kids[1]->op, BIN_AND);

	n = E("not a and b");
	cr_assert_eq(n->op, BIN_AND);
	cr_assert_eq(n->kids[0]->kind, N_UNARY);
	cr_assert_eq(n->kids[0]->op, UN_NOT);

	n = E("not x >= 10%");
	cr_assert_eq(n->kind, N_UNARY, "not applies to the whole comparison");
	cr_assert_eq(n->kids[0]->op, BIN_GE);
}

Test(lexer_parser, comparison_binds_looser_than_arithmetic)
{
	Node *n = E("a + 1 >= b * 2 and c");
	cr_assert_eq(n->op, BIN_AND);
	Node *cmp = n->kids[0];
	cr_assert_eq(cmp->op, BIN_GE);
	cr_assert_eq(cmp->kids[0]->op, BIN_ADD);
	cr_assert_eq(cmp->kids[1]->op, BIN_MUL);
}

Test(lexer_parser, comparison_operators)
{
	static const struct {
		const char *text;
		int op;
	} ops[] = {{"a = b", BIN_EQ},  {"a != b", BIN_NE}, {"a <> b", BIN_NE}, {"a < b", BIN_LT},
		   {"a <= b", BIN_LE}, {"a > b", BIN_GT},  {"a >= b", BIN_GE}};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		Node *n = E(ops[i].text);
		cr_assert_eq(n->kind, N_BINARY, "%s", ops[i].text);
		cr_assert_eq(n->op, ops[i].op, "%s", ops[i].text);
	}
}

Test(lexer_parser, otherwise_is_loosest_and_right_associative)
{
	Node *n = E("a otherwise b otherwise c");
	cr_assert_eq(n->kind, N_OTHERWISE);
	is_name(n->kids[0], "a");
	cr_assert_eq(n->kids[1]->kind, N_OTHERWISE);

	n = E("a or b otherwise c");
	cr_assert_eq(n->kind, N_OTHERWISE);
	cr_assert_eq(n->kids[0]->op, BIN_OR);
}

Test(lexer_parser, unary_minus)
{
	Node *n = E("-x * 2");
	cr_assert_eq(n->op, BIN_MUL);
	cr_assert_eq(n->kids[0]->kind, N_UNARY);
	cr_assert_eq(n->kids[0]->op, UN_NEG);
}

/* ---------------------------------------------------- membership, tests */

Test(lexer_parser, in_and_not_in)
{
	Node *n = E("company.size in [sme, midsize]");
	cr_assert_eq(n->kind, N_IN);
	cr_assert_eq(n->op, 0);
	cr_assert_eq(n->kids[0]->kind, N_FIELD);
	cr_assert_eq(n->kids[1]->kind, N_LIST);

	n = E("x not in [1, 2]");
	cr_assert_eq(n->kind, N_UNARY);
	cr_assert_eq(n->op, UN_NOT);
	cr_assert_eq(n->kids[0]->kind, N_IN);
}

Test(lexer_parser, tariff_code_membership)
{
	Node *n = E("code in chapter 61");
	cr_assert_eq(n->kind, N_IN);
	cr_assert_eq(n->op, HS_CHAPTER);
	n = E("code in heading [6204, 6205]");
	cr_assert_eq(n->op, HS_HEADING);
	cr_assert_eq(n->kids[1]->kind, N_LIST);
	n = E("code in subheading hs \"6205.20\"");
	cr_assert_eq(n->op, HS_SUBHEADING);
	cr_assert_eq(n->kids[1]->kind, N_HSLIT);
}

Test(lexer_parser, is_known_and_is_unknown)
{
	Node *n = E("t.launch_month is known");
	cr_assert_eq(n->kind, N_IS);
	cr_assert_eq(n->ival, 1);
	n = E("t.launch_month is unknown");
	cr_assert_eq(n->kind, N_IS);
	cr_assert_eq(n->ival, 0);
	n = E("t.launch_month is not known");
	cr_assert_eq(n->kind, N_IS);
	cr_assert_eq(n->ival, 0);
}

/* ------------------------------------------------------ compound forms */

Test(lexer_parser, field_access_chains)
{
	Node *n = E("a.b.c");
	cr_assert_eq(n->kind, N_FIELD);
	cr_assert_str_eq(n->text, "c");
	cr_assert_eq(n->kids[0]->kind, N_FIELD);
	cr_assert_str_eq(n->kids[0]->text, "b");
	is_name(n->kids[0]->kids[0], "a");
	at(n->loc, 1, 1, 1, 5);
}

Test(lexer_parser, field_named_like_a_duration_unit)
{
	Node *n = E("t.month");
	cr_assert_eq(n->kind, N_FIELD);
	cr_assert_str_eq(n->text, "month");
}

Test(lexer_parser, calls_put_the_callee_first)
{
	Node *n = E("launching_in(3)");
	cr_assert_eq(n->kind, N_CALL);
	cr_assert_str_eq(n->text, "launching_in");
	cr_assert_eq(n->nkids, 2);
	is_name(n->kids[0], "launching_in");
	cr_assert_str_eq(n->kids[1]->text, "3");

	n = E("roadmap.launching_in(3, 4)");
	cr_assert_eq(n->kind, N_CALL);
	cr_assert_eq(n->nkids, 3);
	cr_assert_eq(n->kids[0]->kind, N_FIELD, "a qualified callee stays a field for the checker");

	n = E("f()");
	cr_assert_eq(n->kind, N_CALL);
	cr_assert_eq(n->nkids, 1);
}

Test(lexer_parser, generator_argument)
{
	Node *n = E("sum(t.number for t in tasks where t.dhaka)");
	cr_assert_eq(n->kind, N_CALL);
	cr_assert_eq(n->nkids, 2);
	Node *g = n->kids[1];
	cr_assert_eq(g->kind, N_GEN);
	cr_assert_str_eq(g->text, "t");
	cr_assert_eq(g->nkids, 3);
	cr_assert_eq(g->kids[0]->kind, N_FIELD);
	is_name(g->kids[1], "tasks");
	cr_assert_eq(g->kids[2]->kind, N_FIELD);

	n = E("count(t for t in tasks)");
	cr_assert_null(n->kids[1]->kids[2], "no where: the condition slot is empty");
}

Test(lexer_parser, comprehension)
{
	Node *n = E("[t.number for t in tasks where t.launch_month = month]");
	cr_assert_eq(n->kind, N_COMP);
	cr_assert_eq(n->kids[0]->kind, N_GEN);
	cr_assert_eq(n->kids[0]->kids[2]->op, BIN_EQ);
	is_name(n->kids[0]->kids[2]->kids[1], "month");
}

Test(lexer_parser, if_let_match)
{
	Node *n = E("if a then 1 else 2");
	cr_assert_eq(n->kind, N_IF);
	cr_assert_eq(n->nkids, 3);

	n = E("let x = 5; x * 2");
	cr_assert_eq(n->kind, N_LET);
	cr_assert_str_eq(n->text, "x");
	cr_assert_eq(n->kids[1]->op, BIN_MUL);

	n = E("match size { sme => 1, midsize => 2, default => 3 }");
	cr_assert_eq(n->kind, N_MATCH);
	cr_assert_eq(n->nkids, 4);
	is_name(n->kids[0], "size");
	cr_assert_eq(n->kids[1]->kind, N_ARM);
	cr_assert_str_eq(n->kids[1]->text, "sme");
	cr_assert_str_eq(n->kids[2]->text, "midsize");
	cr_assert_null(n->kids[3]->text, "default arm has no member name");
}

/* ------------------------------------------------------------ locations */

Test(lexer_parser, locations_span_their_text)
{
	Node *n = E("  eligible and\n  company.us_export_share >= 10%");
	cr_assert_eq(n->op, BIN_AND);
	at(n->loc, 1, 3, 2, 32);
	at(n->kids[0]->loc, 1, 3, 1, 10);
	Node *cmp = n->kids[1];
	at(cmp->loc, 2, 3, 2, 32);
	at(cmp->kids[0]->loc, 2, 3, 2, 25);
	at(cmp->kids[1]->loc, 2, 30, 2, 32);
}

Test(lexer_parser, locations_name_the_file)
{
	Node *n = E("a + b");
	cr_assert_str_eq(n->loc.file, "q");
	cr_assert_str_eq(n->kids[1]->loc.file, "q");
}

Test(lexer_parser, string_location_covers_the_quotes)
{
	Node *n = E("x = \"abc\"");
	at(n->kids[1]->loc, 1, 5, 1, 9);
}

/* ---------------------------------------------------------- declarations */

Test(lexer_parser, module_header_and_imports)
{
	Module *m = M("module kotra.voucher\nimport budget\nimport origin.eu as eu\ndecision x : int = 1\n");
	cr_assert_str_eq(m->name, "kotra.voucher");
	cr_assert_eq(m->nimports, 2);
	cr_assert_str_eq(m->imports[0].name, "budget");
	cr_assert_null(m->imports[0].alias);
	cr_assert_str_eq(m->imports[1].name, "origin.eu");
	cr_assert_str_eq(m->imports[1].alias, "eu");
	at(m->imports[1].loc, 3, 8, 3, 16);
	cr_assert_eq(m->ndecls, 1);
}

Test(lexer_parser, no_module_line_leaves_the_name_to_the_loader)
{
	Module *m = M("decision x : int = 1\n");
	cr_assert_null(m->name);
}

Test(lexer_parser, enum_record_and_fact_declarations)
{
	Module *m = M("enum company_size = sme | midsize | large\n"
		      "record task { number : int  name : string, launch_month : int optional\n"
		      "  dhaka : bool default false source \"roadmap\" }\n"
		      "fact company {\n  size : company_size\n  voucher_received : money KRW default 0 KRW\n}\n"
		      "fact kpi_reports : list of task\n");
	cr_assert_eq(m->ndecls, 4);
	Decl *e = m->decls[0];
	cr_assert_eq(e->kind, D_ENUM);
	cr_assert_str_eq(e->name, "company_size");
	cr_assert_eq(e->def->nmembers, 3);
	cr_assert_str_eq(e->def->members[2], "large");
	at(e->def->member_locs[1], 1, 27, 1, 33);

	Decl *r = m->decls[1];
	cr_assert_eq(r->kind, D_RECORD);
	cr_assert_eq(r->def->nfields, 4);
	cr_assert_str_eq(r->def->fields[0].name, "number");
	cr_assert_str_eq(r->def->fields[2].name, "launch_month");
	cr_assert(r->def->fields[2].optional);
	cr_assert_not(r->def->fields[1].optional);
	cr_assert_not_null(r->def->fields[3].dflt);
	cr_assert_eq(r->def->fields[3].dflt->kind, N_BOOL);
	cr_assert_eq(r->def->fields[3].ncites, 1);
	cr_assert_str_eq(r->def->fields[3].cites[0].text, "roadmap");

	Decl *f = m->decls[2];
	cr_assert_eq(f->kind, D_FACT);
	cr_assert_str_eq(f->name, "company");
	cr_assert_eq(f->def->nfields, 2);
	cr_assert_eq(f->def->fields[1].dflt->kind, N_MONEY);

	Decl *l = m->decls[3];
	cr_assert_eq(l->kind, D_FACT);
	cr_assert_null(l->def);
	cr_assert_eq(l->type_node->kind, N_LIST);
	is_name(l->type_node->kids[0], "task");
}

Test(lexer_parser, money_type_with_currency)
{
	Module *m = M("param cap : money KRW = 50_000_000 KRW source \"Task 4\"\n");
	Decl *p = m->decls[0];
	cr_assert_eq(p->kind, D_PARAM);
	is_name(p->type_node, "money");
	cr_assert_eq(p->type_node->cur, val_currency("KRW"));
	cr_assert_eq(p->ncases, 1);
	cr_assert(p->cases[0].is_default);
	cr_assert_eq(p->cases[0].ncites, 1);
	cr_assert_str_eq(p->cases[0].cites[0].text, "Task 4");
	cr_assert_not(p->cases[0].cites[0].assumption);
}

Test(lexer_parser, dated_param_values)
{
	Module *m = M("param priority_share : percent\n"
		      "  from 2025-05-01 = 10% source \"Task 4\"\n"
		      "  from 2027-01-01 until 2028-01-01 = 8% assumption \"draft notice\"\n");
	Decl *p = m->decls[0];
	cr_assert_eq(p->kind, D_PARAM);
	cr_assert_str_eq(p->name, "priority_share");
	cr_assert_eq(p->ncases, 2);
	cr_assert_str_eq(p->cases[0].from, "2025-05-01");
	cr_assert_null(p->cases[0].until);
	cr_assert_str_eq(p->cases[1].from, "2027-01-01");
	cr_assert_str_eq(p->cases[1].until, "2028-01-01");
	at(p->cases[1].until_loc, 3, 25, 3, 34);
	cr_assert(p->cases[1].cites[0].assumption);
	cr_assert_str_eq(p->cases[1].cites[0].text, "draft notice");
}

Test(lexer_parser, simple_decision_is_one_default_case)
{
	Module *m = M("decision eligible : bool =\n  company.size in [sme, midsize]\n  source \"practice\"\n");
	Decl *d = m->decls[0];
	cr_assert_eq(d->kind, D_DECISION);
	cr_assert_not(d->private_);
	cr_assert_eq(d->ncases, 1);
	cr_assert(d->cases[0].is_default);
	cr_assert_null(d->cases[0].cond);
	cr_assert_eq(d->cases[0].value->kind, N_IN);
	cr_assert_str_eq(d->cases[0].cites[0].text, "practice");
	at(d->loc, 1, 10, 1, 17);
	at(d->cases[0].loc, 2, 3, 2, 32);
}

Test(lexer_parser, default_and_exceptions)
{
	Module *m = M("private decision disbursement : duration\n"
		      "  default 30 days source \"standard\"\n"
		      "  exception fast when priority then 14 days source \"fast track\"\n"
		      "  exception slow when late then 40 days overrides fast from 2026-01-01\n"
		      "  exception when other then 7 days\n");
	Decl *d = m->decls[0];
	cr_assert_eq(d->kind, D_DECISION);
	cr_assert(d->private_);
	cr_assert_eq(d->ncases, 4);
	cr_assert(d->cases[0].is_default);
	cr_assert_eq(d->cases[0].value->kind, N_DURATION);
	cr_assert_not(d->cases[1].is_default);
	cr_assert_str_eq(d->cases[1].label, "fast");
	is_name(d->cases[1].cond, "priority");
	cr_assert_str_eq(d->cases[2].label, "slow");
	cr_assert_eq(d->cases[2].noverrides, 1);
	cr_assert_str_eq(d->cases[2].overrides[0], "fast");
	cr_assert_str_eq(d->cases[2].from, "2026-01-01");
	cr_assert_null(d->cases[3].label);
}

Test(lexer_parser, tables_and_hit_policies)
{
	static const char *const pol[] = {"unique", "first", "collect", "sum", "count", "min", "max"};
	for (int i = 0; i < 7; i++) {
		char *text = xprintf("table t : int hit %s\n  when a then 1\n  when b then 2 source \"row\"\n", pol[i]);
		Module *m = M(text);
		Decl *d = m->decls[0];
		cr_assert_eq(d->kind, D_TABLE);
		cr_assert_eq((int)d->hit, i, "hit %s", pol[i]);
		cr_assert_eq(d->ncases, 2);
		cr_assert_str_eq(d->cases[1].cites[0].text, "row");
	}
	Module *m = M("table grade : string hit first\n  when total > 100 then \"big\"\n  default \"small\"\n");
	cr_assert(m->decls[0]->cases[1].is_default);
}

Test(lexer_parser, functions_checks_and_tests)
{
	Module *m = M("function launching_in(month : int, tasks2 : list of int) : list of int = tasks2\n"
		      "check \"three tasks\": length(tasks) = 3\n"
		      "check warning \"months\": for t in tasks: t.launch_month is known showing t.number\n"
		      "test \"priority\" {\n  as of 2025-06-01\n  given company = { size: sme }\n"
		      "  given company.size = large\n  expect priority = true\n}\n");
	cr_assert_eq(m->ndecls, 4);
	Decl *f = m->decls[0];
	cr_assert_eq(f->kind, D_FUNCTION);
	cr_assert_eq(f->nparams, 2);
	cr_assert_str_eq(f->params[0].name, "month", "a parameter may be called like a duration unit");
	cr_assert_eq(f->params[1].type_node->kind, N_LIST);
	is_name(f->body, "tasks2");

	Decl *c = m->decls[1];
	cr_assert_eq(c->kind, D_CHECK);
	cr_assert_str_eq(c->name, "three tasks");
	cr_assert_eq(c->severity, 1, "a check is an error unless it says warning");
	cr_assert_null(c->var);

	Decl *w = m->decls[2];
	cr_assert_eq(w->severity, 0);
	cr_assert_str_eq(w->var, "t");
	is_name(w->over, "tasks");
	cr_assert_eq(w->cond->kind, N_IS);
	cr_assert_eq(w->showing->kind, N_FIELD);

	Decl *t = m->decls[3];
	cr_assert_eq(t->kind, D_TEST);
	cr_assert_str_eq(t->name, "priority");
	cr_assert_eq(t->nsteps, 4);
	cr_assert_eq(t->steps[0].kind, TS_ASOF);
	cr_assert_str_eq(t->steps[0].date, "2025-06-01");
	cr_assert_eq(t->steps[1].kind, TS_GIVEN);
	cr_assert_eq(t->steps[1].npath, 1);
	cr_assert_eq(t->steps[1].expr->kind, N_RECORD);
	cr_assert_eq(t->steps[2].npath, 2);
	cr_assert_str_eq(t->steps[2].path[0], "company");
	cr_assert_str_eq(t->steps[2].path[1], "size");
	cr_assert_eq(t->steps[3].kind, TS_EXPECT);
	cr_assert_eq(t->steps[3].expr->op, BIN_EQ);
}

Test(lexer_parser, default_before_a_field_named_month_needs_a_comma)
{
	Module *m = M("record r { a : int default 3, month : int }\n");
	cr_assert_eq(m->decls[0]->def->nfields, 2);
	cr_assert_str_eq(m->decls[0]->def->fields[1].name, "month");
}

Test(lexer_parser, parse_given_splits_the_path)
{
	Diags *d = diag_new();
	TestStep *s = parse_given(src("<repl>", "company.us_export_share = 14%"), d);
	cr_assert_not_null(s);
	cr_assert_eq(s->kind, TS_GIVEN);
	cr_assert_eq(s->npath, 2);
	cr_assert_str_eq(s->path[0], "company");
	cr_assert_str_eq(s->path[1], "us_export_share");
	cr_assert_eq(s->expr->kind, N_PERCENT);
}

/* ------------------------------------------------------------- errors */

/* The one diagnostic of a bad snippet: its text and where it points. */
static void one_error(const char *text, const char *msg, int line, int col)
{
	Diags *d = bad(text);
	cr_assert_eq(d->nerrors, 1, "expected one error for %s, got %d (first: %s)", text, d->nerrors, d->items[0].msg);
	cr_assert_str_eq(d->items[0].msg, msg);
	cr_assert_eq(d->items[0].loc.line, line, "line of \"%s\"", msg);
	cr_assert_eq(d->items[0].loc.col, col, "column of \"%s\"", msg);
}

Test(lexer_parser, error_missing_then)
{
	one_error("decision x : int =\n  if true 1 else 2\n", "unexpected number '1'; expected 'then' or an operator", 2, 11);
}

Test(lexer_parser, error_unclosed_bracket)
{
	one_error("decision x : list of int = [1, 2\n", "unexpected end of file; expected ',', ']' or an operator", 1, 33);
}

Test(lexer_parser, error_double_equals)
{
	Diags *d = bad("decision x : bool = 1 == 1\n");
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "'==' is not an operator here; write a single '=' to compare two values");
	at(d->items[0].loc, 1, 23, 1, 24);
}

Test(lexer_parser, error_c_style_logic)
{
	one_error("decision x : bool = true && false\n", "'&&' is not an operator here; write 'and'", 1, 26);
	one_error("decision x : bool = true || false\n", "'||' is not an operator here; write 'or'", 1, 26);
}

Test(lexer_parser, error_unknown_character)
{
	Diags *d = bad("decision x : int = 1 $ 2\n");
	cr_assert_str_eq(d->items[0].msg, "unexpected character '$'");
	at(d->items[0].loc, 1, 22, 1, 22);
}

Test(lexer_parser, error_control_character)
{
	Diags *d = bad("decision x : int = 1\x01\n");
	cr_assert_str_eq(d->items[0].msg, "unexpected control character (code 1)");
}

Test(lexer_parser, error_nul_byte)
{
	Source s = {"t.edict", "decision x : int = 1\0\n", 22};
	Diags *d = diag_new();
	parse_module(&s, d);
	cr_assert_gt(d->nerrors, 0);
	cr_assert_str_eq(d->items[0].msg, "this file contains a NUL byte, which is not allowed in rule text");
}

Test(lexer_parser, error_unterminated_string)
{
	one_error("decision name : string = \"Hanbit\ndecision y : int = 1\n",
		  "this string is not closed before the end of the line; add a closing '\"'", 1, 26);
	one_error("decision name : string = \"Hanbit", "this string is not closed before the end of the file; add a closing '\"'", 1,
		  26);
}

/* A line may end in "\n", "\r\n" or a "\r" alone (old Mac files): each is
 * one line end, for comments, texts and names in quotes too, so an error
 * has the same place, and quotes the same line, whichever a file uses. */
Test(lexer_parser, every_kind_of_line_end_ends_a_line)
{
	static const char *const ends[] = {"\n", "\r\n", "\r"};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		const char *e = ends[i];
		const char *text = xprintf("# rates, in \"texts\" and 'names'%sdecision 'VERY LOW' : string = \"a # b\"%s"
					   "decision y : bool = 1 == 2%s",
					   e, e, e);
		Diags *d = bad(text);
		cr_assert_eq(d->nerrors, 1, "line end %zu: %s", i, d->items[0].msg);
		cr_assert_str_eq(d->items[0].msg, "'==' is not an operator here; write a single '=' to compare two values");
		at(d->items[0].loc, 3, 23, 3, 24);
		cr_assert_str_eq(diag_render(d, &d->items[0], false),
				 "t.edict:3:23: error: '==' is not an operator here; write a single '=' to compare two values\n"
				 " 3 | decision y : bool = 1 == 2\n"
				 "   |                       ^^\n");
		/* a text left open ends at its line's end, and the next line is read */
		d = bad(xprintf("decision s : string = \"open%sdecision y : bool = 1 == 2%s", e, e));
		cr_assert_eq(d->nerrors, 2, "line end %zu", i);
		at(d->items[0].loc, 1, 23, 1, 23);
		at(d->items[1].loc, 2, 23, 2, 24);
		/* and a file without errors: each declaration where it stands */
		Module *m = M(xprintf("# a comment%sdecision a : int = 1%s%sdecision b : string = \"x\"%s  # its note%s"
				      "decision 'c d' : int =%s  a + 1",
				      e, e, e, e, e, e));
		cr_assert_eq(m->ndecls, 3);
		cr_assert_eq(m->decls[0]->loc.line, 2);
		cr_assert_eq(m->decls[1]->loc.line, 4);
		at(m->decls[2]->loc, 6, 10, 6, 14);
	}
}

Test(lexer_parser, error_bad_escape)
{
	Diags *d = bad("decision p : string = \"a\\qb\"\n");
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "unknown escape '\\q' in a string; use \\n, \\t, \\\" or \\\\");
	at(d->items[0].loc, 1, 25, 1, 26);
}

Test(lexer_parser, error_invalid_utf8_in_string)
{
	one_error("decision p : string = \"a\xff\"\n", "this text is not valid UTF-8; save the file as UTF-8", 1, 23);
}

Test(lexer_parser, error_hit_policy_and_severity)
{
	Diags *d = bad("table t : int hit sometimes\n  when a then 1\n");
	cr_assert_str_eq(d->items[0].msg, "'sometimes' is not a hit policy");
	cr_assert_str_eq(d->items[0].hint, "write one of: unique, any, priority, first, output order, rule order, collect, collect sum, collect count, collect min, collect max");
	d = bad("check serious \"x\": true\n");
	cr_assert_str_eq(d->items[0].msg, "'serious' is not a check severity");
}

/* A currency code alone is left to the checker, which knows whether it is
 * an amount without its number or a member written in capitals. */
Test(lexer_parser, currency_code_alone_is_named_for_the_checker)
{
	Module *m = M("decision x : money KRW = KRW\n");
	Node *v = m->decls[0]->cases[0].value;
	cr_assert_eq(v->kind, N_NAME);
	cr_assert_str_eq(v->text, "KRW");
	cr_assert_eq(v->ival, NAME_CURRENCY_ALONE);
}

Test(lexer_parser, reform_header)
{
	Module *m = M("reform voucher\nparam cap : int = 1\n");
	cr_assert(m->is_reform);
	cr_assert_str_eq(m->name, "voucher");
	cr_assert(!M("module voucher\n")->is_reform);
}

Test(lexer_parser, error_recovery_reports_each_declaration)
{
	Diags *d = bad("decision a : int = 1 +\ndecision b : int = 2 3\ndecision c : bool = 1 == 1\ndecision d : int = 4\n");
	cr_assert_eq(d->nerrors, 3);
	cr_assert_eq(d->items[0].loc.line, 2);
	cr_assert_eq(d->items[1].loc.line, 2);
	cr_assert_eq(d->items[2].loc.line, 3);
}

Test(lexer_parser, error_nesting_limit)
{
	/* PARSE_MAX_DEPTH + 1 opening brackets: one clean error, no crash */
	char text[1024];
	int n = snprintf(text, sizeof text, "decision x : int = ");
	for (int i = 0; i <= PARSE_MAX_DEPTH; i++)
		text[n++] = '(';
	text[n++] = '1';
	text[n] = 0;
	Diags *d = bad(text);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg,
			 xprintf("brackets are nested more than %d deep here; split this into smaller decisions", PARSE_MAX_DEPTH));
}

Test(lexer_parser, parse_expr_returns_null_after_errors)
{
	Diags *d = diag_new();
	cr_assert_null(parse_expr(src("--query", "eligible and"), d));
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "unexpected end of the query; expected an expression");
	cr_assert_eq(d->items[0].loc.col, 13, "the caret goes after the last word");
	cr_assert_str_eq(d->items[0].loc.file, "--query");
}

Test(lexer_parser, rendered_error_quotes_the_line_with_carets)
{
	Diags *d = bad("fact company { size : string }\ndecision small : bool = company.size == \"sme\"\n");
	cr_assert_str_eq(diag_render(d, &d->items[0], false),
			 "t.edict:2:38: error: '==' is not an operator here; write a single '=' to compare two values\n"
			 " 2 | decision small : bool = company.size == \"sme\"\n"
			 "   |                                      ^^\n");
}

/* The keyword table (keywords.h) and the grammar agree: each word lexes to
 * the token whose name in messages is that word in quotes. */
Test(lexer_parser, every_keyword_is_the_grammars_token_of_that_word)
{
	for (int i = 0; i < kw_count; i++) {
		const char *w = kw_table[i].text;
		Diags *d = bad(xprintf("decision %s : int = 1\n", w));
		cr_assert_geq(d->n, 1, "%s", w);
		cr_expect(strstr(d->items[0].msg, xprintf("unexpected '%s'", w)) != NULL, "%s: %s", w, d->items[0].msg);
	}
	/* a name that only starts like one is a name */
	M("decision iffy : int = 1\ndecision known_size : int = 2\n");
	cr_expect_eq(kw_find("as_of", 5) >= 0, true);
	cr_expect_eq(kw_find("as_o", 4), -1);
	cr_expect_eq(kw_find("x", 1), -1);
}
