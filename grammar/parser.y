/*
 * parser.y - the Edict grammar: tokens -> syntax tree (ast.h).
 *
 * A pure, reentrant LALR(1) parser with locations, lookahead correction
 * (LAC) and its own syntax-error messages, which name what was expected in
 * words a policy officer reads ("expected 'then'") and catch common slips.
 * Declarations start with a keyword, so after an error the parser skips to
 * the next declaration and carries on: one run reports several errors.
 * Expressions are written with bison's precedence declarations: one rule
 * for each operator, so a value becomes an expression in a few steps.
 */
%code requires {
#include "ast.h"
#include "diag.h"
struct ParseState;
typedef void *yyscan_t;
#define EDICT_YYLTYPE_IS_DECLARED 1
typedef Loc EDICT_YYLTYPE;
/* What some rules build in several steps, kept outside the semantic value
 * (a pointer in it) so that the value stays one word: the parser copies
 * one at every shift and every reduction, and an action that stores one
 * word of a two-word value makes that copy wait (a wide load is not
 * forwarded from a narrower store). */
typedef struct Dates { /* `from DATE until DATE`, either part absent (NULL) */
	const char *from, *until;
	Loc floc, uloc;
} Dates;
typedef struct Names { /* `a | b | c` */
	const char **v;
	Loc *locs;
	int n;
} Names;
typedef struct Cites { /* a declaration's citations: NULL for none */
	Citation *v;
	int n;
} Cites;
typedef struct Members { /* an enumeration's members, with what they carry */
	const char **v;
	Loc *locs;
	Node **types;
	int n;
} Members;
/* A rule's location, written whole: the parser copies locations with
 * wide loads, and a load that spans several narrower stores waits until
 * they are done (the processor forwards only a store that covers it). */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
	do {                                                           \
		if (N) {                                               \
			(Cur) = YYRHSLOC(Rhs, 1);                      \
			memcpy(&(Cur).eline, &YYRHSLOC(Rhs, N).eline, 2 * sizeof(int)); \
		} else {                                               \
			Loc at_ = YYRHSLOC(Rhs, 0);                    \
			Loc empty_ = {at_.file, at_.eline, at_.ecol + 1, at_.eline, at_.ecol}; \
			(Cur) = empty_;                                \
		}                                                      \
	} while (0)
}

%code provides {
int edict_yylex(EDICT_YYSTYPE *lval, EDICT_YYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include "mem.h"
#include <string.h>
#include "keywords.h"
#include "parse.h"

#define YYMALLOC GC_MALLOC
#define YYFREE(p) ((void)(p))
#define YYMAXDEPTH 2000

static void yyerror(Loc *loc, yyscan_t scanner, struct ParseState *ps, const char *msg);
static Decl *new_decl(struct ParseState *ps, DeclKind k, const char *name, Loc loc);
static void one_case(Decl *d, Case c);
static void add_cite(Citation **arr, int *n, bool assumption, const char *text, Loc loc);
static void add_doc_cite(Citation **arr, int *n, const char *doc, Loc loc, const char *pin, const char *quote, Loc qloc);
static Node *name_node(const char *text, Loc loc);
static void push_member(Members *m, const char *name, Loc loc, Node *type);
static void push_name(Names *m, const char *name, Loc loc);
static const Dates *new_dates(const char *from, Loc floc, const char *until, Loc uloc);
static void case_dates(Case *c, const Dates *dt);
static void case_overrides(Case *c, const Names *o);
static uint16_t currency_code(const char *c);
static int dur_unit(const char *w);
/* The citations so far, made when the first comes. */
static Cites *more_cites(Cites *c)
{
	return c ? c : GC_MALLOC(sizeof(Cites));
}

static Citation *cites_v(const Cites *c)
{
	return c ? c->v : NULL;
}

static int cites_n(const Cites *c)
{
	return c ? c->n : 0;
}

static void add_doc_cite(Citation **arr, int *n, const char *doc, Loc loc, const char *pin, const char *quote, Loc qloc)
{
	Citation c = {false, doc, loc, doc, pin, quote, qloc, NULL};
	AST_PUSH(*arr, *n, c);
}

static void push_dated(struct ParseState *ps, const char *from, Loc floc, const char *until, Loc uloc,
		       Node *value, Citation *cites, int ncites, Loc loc);
static void push_bracket(struct ParseState *ps, Loc loc);
static void bracket_part(struct ParseState *ps, const char *word, Loc wloc, bool head, Case c);
static Case dated_case(const char *from, Loc floc, const char *until, Loc uloc, Node *value, Citation *cites, int ncites, Loc loc);
static void split_path(struct ParseState *ps, const char *dotted, TestStep *s);
static Decl *table_decl(struct ParseState *ps, Decl *head, Decl *rows);
static Node *order_node(struct ParseState *ps, const char *by, Loc byloc, Node *key, const char *dir, Loc dirloc);
static void gen_order(struct ParseState *ps, Node *gen, Node *order);
static Node *outputs_node(Node *list);
static Node *cell_row_cond(struct ParseState *ps, Node *cells, Loc loc);
static Node *cell_test(int op, Node *v, Loc loc);
static Node *cell_range(bool lo_in, Node *lo, Node *hi, bool hi_in, Loc loc);
static void each_open(struct ParseState *ps, const char *word, Loc wloc, const char *var, Loc vloc, Node *over, Loc loc);
static void each_add(struct ParseState *ps, Decl *d);
static void each_close(struct ParseState *ps, Loc loc);
}

%define api.pure full
%define api.prefix {edict_yy}
%define parse.error custom
%define parse.lac full
%locations
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct ParseState *ps}

%union {
	const char *str;
	int64_t ival;
	Node *node;
	Decl *decl;
	Case *kase;
	Cites *cites;
	const Dates *dates;
	Names *names;
	Members *emembers;
}

%token END 0 "end of file"
%token <str> IDENT "a name"
%token <str> NUMBER "a number"
%token <str> PERCENT "a percentage"
%token <str> DATE "a date"
%token <str> STRING "a text in quotes"
%token <str> CURRENCY "a currency code"
%token <str> DURUNIT "'days', 'weeks', 'months' or 'years'"
%token MODULE "'module'" REFORM "'reform'" IMPORT "'import'" AS "'as'" OF "'of'"
%token ENUM "'enum'" RECORD "'record'" FACT "'fact'" PARAM "'param'"
%token DECISION "'decision'" FUNCTION "'function'" TABLE "'table'"
%token CHECK "'check'" REQUIRE "'require'" TEST "'test'" PRIVATE "'private'"
%token DOCUMENT "'document'" VIEW "'view'"
%token OPTIONAL "'optional'" DEFAULT "'default'" EXCEPTION "'exception'"
%token WHEN "'when'" THEN "'then'" OVERRIDES "'overrides'"
%token BRACKET "'bracket'"
%token FROM "'from'" UNTIL "'until'" SOURCE "'source'" ASSUMPTION "'assumption'"
%token HIT "'hit'" INPUT "'input'" MOD "'mod'" DOTDOT "'..'" AND "'and'" OR "'or'" NOT "'not'" IN "'in'" IS "'is'"
%token KNOWN "'known'" UNKNOWN "'unknown'" IF "'if'" ELSE "'else'"
%token LET "'let'" MATCH "'match'" FOR "'for'" WHERE "'where'"
%token TRUE "'true'" FALSE "'false'" OTHERWISE "'otherwise'" LIST "'list'"
%token CHAPTER "'chapter'" HEADING "'heading'" SUBHEADING "'subheading'"
%token HS "'hs'" GIVEN "'given'" EXPECT "'expect'" SHOWING "'showing'"
%token AS_OF "'as_of'"
%token AT "'at'" OVER "'over'"
%token START_EXPR "start of an expression" START_GIVEN "start of a fact"
%token ARROW "'=>'" NE "'!='" LE "'<='" GE "'>='"

/* `default 3` followed by a field named `month` reads as `3 month`; a
 * duration wins, and a comma after the default separates them. */
%precedence NUMBER_ALONE
%precedence DURUNIT

/* The character tokens in the order of their first use in the rules below:
 * bison numbers them so, and a syntax error lists what was expected in
 * that order. */
%token '=' '.' '{' '}' ':' '(' ')' '|' ',' ';' '<' '>' '+' '-' '*' '/' '^' '[' ']'

/* The operators of expressions, loosest first.  A comparison takes
 * exactly two sides and `at` one date, and `if`, `let` and `not` read
 * everything after them, so those stay rules of their own (logic, at_e,
 * expr): `a = not b` and `a + if ...` are not expressions. */
%right OTHERWISE
%left OR
%left AND
%precedence NOT
%left '+' '-'
%left '*' '/' MOD
%precedence UMINUS
%right '^'
%precedence '.' '[' '('

%type <str> dotted name
%type <node> enum_data arm type fact_type series_values expr logic at_e arith
%type <node> gen_order table_type elist entries arms args gen outs cells cell tests test hit_order_opt
%type <decl> decl case_list row_list cell_row_list pvalues table_head
%type <kase> case row cell_row
%type <cites> cites
%type <dates> dates
%type <names> members overrides_opt
%type <emembers> enum_members
%type <ival> priv fieldopt_kind table_params
%type <str> label_opt hit_policy

%%

file
	: header imports decls
	| START_EXPR expr { ps->expr = $2; }
	| START_GIVEN dotted '=' expr {
		TestStep st = {0}; st.kind = TS_GIVEN; st.expr = $4; st.loc = @2;
		split_path(ps, $2, &st);
		ps->given = GC_MALLOC(sizeof st); *ps->given = st;
	}
	| START_GIVEN dotted series_values {
		TestStep st = {0}; st.kind = TS_GIVEN; st.expr = $3; st.loc = @2;
		split_path(ps, $2, &st);
		ps->given = GC_MALLOC(sizeof st); *ps->given = st;
	}
	;

header
	: %empty
	| MODULE dotted { ps->mod->name = $2; ps->mod->name_loc = @2; }
	| REFORM dotted { ps->mod->name = $2; ps->mod->name_loc = @2; ps->mod->is_reform = true; }
	;

dotted
	: name { $$ = $1; }
	| dotted '.' name { $$ = ast_join($1, '.', $3); }
	;

/* The duration units (day, month ...) are also ordinary names outside
 * '3 months', so a field or parameter may be called `month`. */
name
	: IDENT
	| DURUNIT
	;

imports
	: %empty
	| imports IMPORT dotted { Import im = {$3, NULL, @3, NULL}; AST_PUSH(ps->mod->imports, ps->mod->nimports, im); }
	| imports IMPORT dotted AS IDENT { Import im = {$3, $5, @3, NULL}; AST_PUSH(ps->mod->imports, ps->mod->nimports, im); }
	;

decls
	: %empty
	| decls decl { if ($2) AST_PUSH(ps->mod->decls, ps->mod->ndecls, $2); }
	| decls each_block
	| decls error
	;

/* `for each person in household.members { decisions }`: rules decided for
 * each member of a list */
each_block
	: FOR IDENT name IN arith '{' { each_open(ps, $2, @2, $3, @3, $5, ast_span(@1, @6)); } each_decls '}' { each_close(ps, @$); }
	/* `for each claim : spouse_claim { ... }`: for any record of a type */
	| FOR IDENT name ':' type '{' { each_open(ps, $2, @2, $3, @3, NULL, ast_span(@1, @6)); ps->each->type_node = $5; } each_decls '}' { each_close(ps, @$); }
	;

each_decls
	: %empty
	| each_decls decl { if ($2) each_add(ps, $2); }
	| each_decls each_block
	| each_decls error
	;

priv
	: %empty { $$ = 0; }
	| PRIVATE { $$ = 1; }
	;

cites
	: %empty { $$ = NULL; }
	| cites SOURCE STRING { $$ = more_cites($1); add_cite(&$$->v, &$$->n, false, $3, @3); }
	| cites ASSUMPTION STRING { $$ = more_cites($1); add_cite(&$$->v, &$$->n, true, $3, @3); }
	/* a declared document, a pinpoint in it, and the words quoted */
	| cites SOURCE IDENT { $$ = more_cites($1); add_doc_cite(&$$->v, &$$->n, $3, @3, NULL, NULL, @3); }
	| cites SOURCE IDENT STRING { $$ = more_cites($1); add_doc_cite(&$$->v, &$$->n, $3, @3, $4, NULL, @4); }
	| cites SOURCE IDENT ':' STRING { $$ = more_cites($1); add_doc_cite(&$$->v, &$$->n, $3, @3, NULL, $5, @5); }
	| cites SOURCE IDENT STRING ':' STRING { $$ = more_cites($1); add_doc_cite(&$$->v, &$$->n, $3, @3, $4, $6, @6); }
	;

dates
	: %empty { $$ = NULL; }
	| FROM DATE { $$ = new_dates($2, @2, NULL, (Loc){0}); }
	| UNTIL DATE { $$ = new_dates(NULL, (Loc){0}, $2, @2); }
	| FROM DATE UNTIL DATE { $$ = new_dates($2, @2, $4, @4); }
	;

decl
	: priv ENUM name '=' enum_members cites {
		$$ = new_decl(ps, D_ENUM, $3, @3);
		TypeDef *td = GC_MALLOC(sizeof *td);
		td->is_enum = true; td->name = $3; td->loc = @3;
		td->members = $5->v; td->member_locs = $5->locs; td->nmembers = $5->n;
		td->member_type_nodes = $5->types;
		td->cites = cites_v($6); td->ncites = cites_n($6);
		$$->def = td; $$->cites = cites_v($6); $$->ncites = cites_n($6);
	}
	| priv RECORD name '{' new_def fields '}' cites {
		$$ = new_decl(ps, D_RECORD, $3, @3);
		$$->def = ps->pending_def; ps->pending_def = NULL;
		$$->def->name = $3; $$->def->loc = @3;
		$$->cites = cites_v($8); $$->ncites = cites_n($8);
	}
	| priv FACT name ':' fact_type fieldopt_kind cites {
		$$ = new_decl(ps, D_FACT, $3, @3);
		$$->type_node = $5; $$->optional = $6 == 1;
		$$->dflt = ps->pending_default; ps->pending_default = NULL;
		$$->cites = cites_v($7); $$->ncites = cites_n($7);
	}
	| priv FACT name '{' new_def fields '}' cites {
		$$ = new_decl(ps, D_FACT, $3, @3);
		$$->def = ps->pending_def; ps->pending_def = NULL;
		$$->def->name = $3; $$->def->loc = @3;
		$$->cites = cites_v($8); $$->ncites = cites_n($8);
	}
	| priv PARAM name ':' type pvalues {
		$$ = $6; $$->kind = D_PARAM; $$->name = $3; $$->loc = @3; $$->type_node = $5;
		$$->private_ = $1; $$->module = ps->mod;
	}
	| priv PARAM name ':' type cites brackets {
		$$ = new_decl(ps, D_PARAM, $3, @3); $$->private_ = $1; $$->type_node = $5;
		$$->cites = cites_v($6); $$->ncites = cites_n($6);
		$$->brackets = ps->pending_brackets; $$->nbrackets = ps->npending_brackets;
		ps->pending_brackets = NULL; ps->npending_brackets = 0;
	}
	| priv DECISION name ':' type '=' expr cites {
		$$ = new_decl(ps, D_DECISION, $3, @3); $$->private_ = $1; $$->type_node = $5;
		Case c = {0}; c.is_default = true; c.value = $7; c.cites = cites_v($8); c.ncites = cites_n($8); c.loc = @7;
		one_case($$, c);
	}
	| priv DECISION name ':' type case_list {
		$$ = $6; $$->kind = D_DECISION; $$->name = $3; $$->loc = @3; $$->type_node = $5;
		$$->private_ = $1; $$->module = ps->mod;
	}
	| table_head row_list { $$ = table_decl(ps, $1, $2); }
	| table_head INPUT input_cols cell_row_list { $$ = table_decl(ps, $1, $4); ps->inputs = NULL; ps->ninputs = 0; }
	| priv FUNCTION name '(' params_opt ')' ':' type '=' expr cites {
		$$ = new_decl(ps, D_FUNCTION, $3, @3); $$->private_ = $1; $$->type_node = $8;
		$$->params = ps->pending_params; $$->nparams = ps->npending_params;
		ps->pending_params = NULL; ps->npending_params = 0;
		$$->body = $10; $$->cites = cites_v($11); $$->ncites = cites_n($11);
	}
	/* a function with a default and exceptions, each maybe dated, as a decision has */
	| priv FUNCTION name '(' params_opt ')' ':' type case_list {
		$$ = $9; $$->kind = D_FUNCTION; $$->name = $3; $$->loc = @3; $$->type_node = $8;
		$$->private_ = $1; $$->module = ps->mod;
		$$->params = ps->pending_params; $$->nparams = ps->npending_params;
		ps->pending_params = NULL; ps->npending_params = 0;
	}
	| CHECK severity STRING ':' expr cites {
		$$ = new_decl(ps, D_CHECK, $3, @3); $$->severity = ps->pending_severity;
		$$->cond = $5; $$->cites = cites_v($6); $$->ncites = cites_n($6);
	}
	| CHECK severity STRING ':' FOR name IN arith ':' expr SHOWING expr cites {
		$$ = new_decl(ps, D_CHECK, $3, @3); $$->severity = ps->pending_severity;
		$$->var = $6; $$->over = $8; $$->cond = $10; $$->showing = $12;
		$$->cites = cites_v($13); $$->ncites = cites_n($13);
	}
	/* what the facts must satisfy, and why: `require "reason": condition source ...` */
	| REQUIRE STRING ':' expr cites {
		$$ = new_decl(ps, D_REQUIRE, $2, @2);
		$$->cond = $4; $$->cites = cites_v($5); $$->ncites = cites_n($5);
	}
	| DOCUMENT name ':' IDENT '{' entries opt_comma '}' {
		$$ = new_decl(ps, D_DOCUMENT, $2, @2);
		$$->doc_kind = $4; $$->doc_kind_loc = @4; $$->entries = $6;
	}
	| priv VIEW name ':' IDENT OF arith '{' entries opt_comma '}' cites {
		$$ = new_decl(ps, D_DECISION, $3, @3); $$->private_ = true;
		$$->view = $5; $$->doc_kind_loc = @5; $$->entries = $9;
		Case c = {0}; c.is_default = true; c.value = $7; c.cites = cites_v($12); c.ncites = cites_n($12); c.loc = @7;
		one_case($$, c);
	}
	| TEST STRING '{' steps '}' {
		$$ = new_decl(ps, D_TEST, $2, @2);
		$$->steps = ps->pending_steps; $$->nsteps = ps->npending_steps;
		ps->pending_steps = NULL; ps->npending_steps = 0;
	}
	;

severity
	: %empty { ps->pending_severity = 1; }
	| IDENT {
		if (strcmp($1, "warning") == 0) ps->pending_severity = 0;
		else if (strcmp($1, "error") == 0) ps->pending_severity = 1;
		else {
			Diag *dg = diag_add(ps->diags, SEV_ERROR, @1, "'%s' is not a check severity", $1);
			diag_hint(dg, "write 'check error \"...\"' or 'check warning \"...\"'");
			ps->pending_severity = 1;
		}
	}
	;

members
	: IDENT { $$ = GC_MALLOC(sizeof *$$); push_name($$, $1, @1); }
	| members '|' IDENT { $$ = $1; push_name($$, $3, @3); }
	| members ',' IDENT { $$ = $1; push_name($$, $3, @3); }
	;

/* an enumeration's members, each with the type of the value it carries
 * when it carries one: `none | most_recent of date` */
enum_members
	: IDENT enum_data { $$ = GC_MALLOC(sizeof *$$); push_member($$, $1, @1, $2); }
	| enum_members '|' IDENT enum_data { $$ = $1; push_member($$, $3, @3, $4); }
	| enum_members ',' IDENT enum_data { $$ = $1; push_member($$, $3, @3, $4); }
	;

enum_data
	: %empty { $$ = NULL; }
	| OF type { $$ = $2; }
	;

new_def
	: %empty { ps->pending_def = GC_MALLOC(sizeof(TypeDef)); }
	;

fields
	: %empty
	| fields field
	| fields ','
	;

field
	: name ':' fact_type fieldopt_kind cites {
		Field f = {0};
		f.name = $1; f.type_node = $3; f.optional = $4 == 1; f.loc = @1;
		f.dflt = ps->pending_default; ps->pending_default = NULL;
		f.cites = cites_v($5); f.ncites = cites_n($5);
		TypeDef *td = ps->pending_def;
		AST_PUSH(td->fields, td->nfields, f);
	}
	;

fieldopt_kind
	: %empty { $$ = 0; ps->pending_default = NULL; }
	| OPTIONAL { $$ = 1; ps->pending_default = NULL; }
	| DEFAULT expr { $$ = 2; ps->pending_default = $2; }
	;

type
	: IDENT { $$ = name_node($1, @1); }
	| IDENT CURRENCY { $$ = name_node($1, @$); $$->cur = currency_code($2); }
	| LIST OF type { $$ = ast_node1(N_LIST, @$, $3); }
	;

/* The type of a fact or field: a type, or `TYPE over time`, dated values
 * of it (an N_SERIES around the type). */
fact_type
	: type { $$ = $1; }
	| type OVER IDENT {
		if (strcmp($3, "time") != 0) {
			Diag *dg = diag_add(ps->diags, SEV_ERROR, @3, "unexpected name '%s' after 'over'", $3);
			diag_hint(dg, "write 'over time' after the type for a fact that holds dated values, as in "
				      "'share : percent over time'");
			ps->nerrors++;
		}
		$$ = ast_node1(N_SERIES, @$, $1);
	}
	;

params_opt
	: %empty
	| param_list
	;

param_list
	: param
	| param_list ',' param
	;

param
	: name ':' type {
		Param p = {$1, $3, NULL, @1};
		AST_PUSH(ps->pending_params, ps->npending_params, p);
	}
	;

pvalues
	: '=' expr cites {
		$$ = new_decl(ps, D_PARAM, NULL, @1);
		Case c = {0}; c.is_default = true; c.value = $2; c.cites = cites_v($3); c.ncites = cites_n($3); c.loc = @2;
		one_case($$, c);
	}
	| dated_values { $$ = ps->pending_decl; ps->pending_decl = NULL; }
	;

brackets
	: bracket
	| brackets bracket
	;

bracket
	: bracket_start FROM expr name expr cites {
		Loc none = {0};
		Case t = dated_case(NULL, none, NULL, none, $3, NULL, 0, @3);
		t.label = "threshold";
		AST_PUSH(ps->pending_brackets[ps->npending_brackets - 1].thresholds,
			 ps->pending_brackets[ps->npending_brackets - 1].nthresholds, t);
		bracket_part(ps, $4, @4, true, dated_case(NULL, none, NULL, none, $5, cites_v($6), cites_n($6), @5));
	} bracket_changes
	| bracket_start bracket_change bracket_changes
	;

bracket_start
	: BRACKET { push_bracket(ps, @1); }
	;

bracket_changes
	: %empty
	| bracket_changes bracket_change
	;

bracket_change
	: name FROM DATE '=' expr cites { bracket_part(ps, $1, @1, false, dated_case($3, @3, NULL, @3, $5, cites_v($6), cites_n($6), @$)); }
	| name FROM DATE UNTIL DATE '=' expr cites { bracket_part(ps, $1, @1, false, dated_case($3, @3, $5, @5, $7, cites_v($8), cites_n($8), @$)); }
	| name FROM DATE '=' expr UNTIL DATE cites { bracket_part(ps, $1, @1, false, dated_case($3, @3, $7, @7, $5, cites_v($8), cites_n($8), @$)); }
	;

dated_values
	: dated_value
	| dated_values dated_value
	;

dated_value
	: FROM DATE '=' expr cites { push_dated(ps, $2, @2, NULL, @2, $4, cites_v($5), cites_n($5), @$); }
	| FROM DATE UNTIL DATE '=' expr cites { push_dated(ps, $2, @2, $4, @4, $6, cites_v($7), cites_n($7), @$); }
	/* 'until' after the value, where a dated case writes it */
	| FROM DATE '=' expr UNTIL DATE cites { push_dated(ps, $2, @2, $6, @6, $4, cites_v($7), cites_n($7), @$); }
	;

case_list
	: case { $$ = new_decl(ps, D_DECISION, NULL, @1); AST_PUSH($$->cases, $$->ncases, *$1); }
	| case_list case { $$ = $1; AST_PUSH($$->cases, $$->ncases, *$2); }
	;

case
	: DEFAULT expr dates cites {
		$$ = GC_MALLOC(sizeof *$$); $$->is_default = true; $$->value = $2; $$->loc = @$;
		case_dates($$, $3);
		$$->cites = cites_v($4); $$->ncites = cites_n($4);
	}
	| EXCEPTION label_opt WHEN expr THEN expr overrides_opt dates cites {
		$$ = GC_MALLOC(sizeof *$$); $$->label = $2; $$->cond = $4; $$->value = $6; $$->loc = @$;
		case_overrides($$, $7);
		case_dates($$, $8);
		$$->cites = cites_v($9); $$->ncites = cites_n($9);
	}
	;

label_opt
	: %empty { $$ = NULL; }
	| IDENT { $$ = $1; }
	;

overrides_opt
	: %empty { $$ = NULL; }
	| OVERRIDES members { $$ = $2; }
	;

row_list
	: row { $$ = new_decl(ps, D_TABLE, NULL, @1); AST_PUSH($$->cases, $$->ncases, *$1); }
	| row_list row { $$ = $1; AST_PUSH($$->cases, $$->ncases, *$2); }
	;

row
	: WHEN expr THEN outs dates cites {
		$$ = GC_MALLOC(sizeof *$$); $$->cond = $2; $$->value = $4; $$->loc = @$;
		case_dates($$, $5);
		$$->cites = cites_v($6); $$->ncites = cites_n($6);
	}
	| DEFAULT outs cites {
		$$ = GC_MALLOC(sizeof *$$); $$->is_default = true; $$->value = $2; $$->loc = @$;
		$$->cites = cites_v($3); $$->ncites = cites_n($3);
	}
	;

steps
	: %empty
	| steps step
	;

step
	: GIVEN dotted '=' expr {
		TestStep s = {0}; s.kind = TS_GIVEN; s.expr = $4; s.loc = @2;
		split_path(ps, $2, &s);
		AST_PUSH(ps->pending_steps, ps->npending_steps, s);
	}
	| GIVEN dotted series_values {
		TestStep s = {0}; s.kind = TS_GIVEN; s.expr = $3; s.loc = @2;
		split_path(ps, $2, &s);
		AST_PUSH(ps->pending_steps, ps->npending_steps, s);
	}
	| EXPECT expr {
		TestStep s = {0}; s.kind = TS_EXPECT; s.expr = $2; s.loc = @2;
		AST_PUSH(ps->pending_steps, ps->npending_steps, s);
	}
	| AS OF DATE {
		TestStep s = {0}; s.kind = TS_ASOF; s.date = $3; s.loc = @3;
		AST_PUSH(ps->pending_steps, ps->npending_steps, s);
	}
	| error
	;

/* The dated values of a fact over time, as a parameter writes its own:
 * `from DATE = value` ...; an N_SERIES whose kids are date, value, date ... */
series_values
	: FROM DATE '=' expr {
		Node *d = ast_node(N_DATE, @2); d->text = $2;
		$$ = ast_node2(N_SERIES, @$, d, $4);
	}
	| series_values FROM DATE '=' expr {
		Node *d = ast_node(N_DATE, @3); d->text = $3;
		$$ = $1; ast_add($$, d); ast_add($$, $5); $$->loc = @$;
	}
	;

/* ------------------------------------------------------------ expressions */

expr
	: IF expr THEN expr ELSE expr { $$ = ast_node2(N_IF, @$, $2, $4); ast_add($$, $6); }
	| LET name '=' expr ';' expr { $$ = ast_node2(N_LET, @$, $4, $6); $$->text = $2; }
	| logic
	;

/* otherwise (the loosest, from the right), or, and, not; a comparison of
 * two sides binds tighter than all of them.  A value alone, or read `at` a
 * date, is written here as well as in at_e: a value that is no side of a
 * comparison becomes a condition in one step (the token after it says
 * which: a comparison's operator or not). */
logic
	: arith
	| arith AT arith { $$ = ast_node2(N_AT, @$, $1, $3); }
	| logic OTHERWISE logic { $$ = ast_node2(N_OTHERWISE, @$, $1, $3); }
	| logic OR logic { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_OR; }
	| logic AND logic { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_AND; }
	| NOT logic { $$ = ast_node1(N_UNARY, @$, $2); $$->op = UN_NOT; }
	| at_e '=' at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '='; }
	| at_e NE at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_NE; }
	| at_e '<' at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '<'; }
	| at_e LE at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_LE; }
	| at_e '>' at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '>'; }
	| at_e GE at_e { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_GE; }
	| at_e IN at_e { $$ = ast_node2(N_IN, @$, $1, $3); }
	| at_e NOT IN at_e { $$ = ast_node1(N_UNARY, @$, ast_node2(N_IN, @$, $1, $4)); $$->op = UN_NOT; }
	| at_e IN CHAPTER at_e { $$ = ast_node2(N_IN, @$, $1, $4); $$->op = HS_CHAPTER; }
	| at_e IN HEADING at_e { $$ = ast_node2(N_IN, @$, $1, $4); $$->op = HS_HEADING; }
	| at_e IN SUBHEADING at_e { $$ = ast_node2(N_IN, @$, $1, $4); $$->op = HS_SUBHEADING; }
	| at_e IS KNOWN { $$ = ast_node1(N_IS, @$, $1); $$->ival = 1; }
	| at_e IS UNKNOWN { $$ = ast_node1(N_IS, @$, $1); $$->ival = 0; }
	| at_e IS NOT KNOWN { $$ = ast_node1(N_IS, @$, $1); $$->ival = 0; }
	| at_e '=' '=' at_e {
		diag_add(ps->diags, SEV_ERROR, @2, "'==' is not an operator here; write a single '=' to compare two values");
		$$ = ast_node2(N_BINARY, @$, $1, $4); $$->op = '=';
	}
	;

/* `x at DATE`: a fact over time read at a date; the date runs to the next
 * comparison, so `x at as_of - 1 month >= 10%` reads it a month before. */
at_e
	: arith
	| arith AT arith { $$ = ast_node2(N_AT, @$, $1, $3); }
	;

/* A value, and the arithmetic on values.  A power binds tighter than a
 * minus sign: -2 ^ 2 is -4; 2 ^ 3 ^ 2 is 2 ^ 9.  A field, an item and a
 * call bind tightest of all. */
arith
	: NUMBER %prec NUMBER_ALONE { $$ = ast_node(N_NUMBER, @$); $$->text = $1; }
	| NUMBER CURRENCY { $$ = ast_node(N_MONEY, @$); $$->text = $1; $$->cur = currency_code($2); }
	| NUMBER DURUNIT { $$ = ast_node(N_DURATION, @$); $$->text = $1; $$->op = dur_unit($2); }
	| PERCENT { $$ = ast_node(N_PERCENT, @$); $$->text = $1; }
	| DATE { $$ = ast_node(N_DATE, @$); $$->text = $1; }
	| STRING { $$ = ast_node(N_STRING, @$); $$->text = $1; }
	| HS STRING { $$ = ast_node(N_HSLIT, @$); $$->text = $2; }
	| TRUE { $$ = ast_node(N_BOOL, @$); $$->ival = 1; }
	| FALSE { $$ = ast_node(N_BOOL, @$); $$->ival = 0; }
	| UNKNOWN { $$ = ast_node(N_UNKNOWN, @$); }
	| AS_OF { $$ = ast_node(N_ASOF, @$); }
	| IDENT { $$ = name_node($1, @1); }
	| DURUNIT { $$ = name_node($1, @1); }
	| CURRENCY {
		/* a slip the checker names: an amount without its number, or an
		 * enumeration's member in capitals (SME for sme) */
		$$ = name_node($1, @1); $$->ival = NAME_CURRENCY_ALONE;
	}
	| '(' expr ')' { $$ = $2; }
	| '[' ']' { $$ = ast_node(N_LIST, @$); }
	| '[' elist opt_comma ']' { $$ = $2; $$->kind = N_LIST; $$->loc = @$; }
	| '[' gen ']' { $$ = ast_node1(N_COMP, @$, $2); }
	| '{' '}' { $$ = ast_node(N_RECORD, @$); }
	| '{' entries opt_comma '}' { $$ = $2; $$->loc = @$; }
	| MATCH expr '{' arms opt_comma '}' {
		$$ = $4; $$->kind = N_MATCH; $$->loc = @$;
		Node **kids = $$->kids; int n = $$->nkids;
		$$->kids = NULL; $$->nkids = 0;
		ast_add($$, $2);
		for (int i = 0; i < n; i++) ast_add($$, kids[i]);
	}
	| arith '+' arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '+'; }
	| arith '-' arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '-'; }
	| arith '*' arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '*'; }
	| arith '/' arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = '/'; }
	| arith MOD arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_MOD; }
	| '-' arith %prec UMINUS { $$ = ast_node1(N_UNARY, @$, $2); $$->op = UN_NEG; }
	| arith '^' arith { $$ = ast_node2(N_BINARY, @$, $1, $3); $$->op = BIN_POW; }
	| arith '.' IDENT { $$ = ast_node1(N_FIELD, @$, $1); $$->text = $3; }
	| arith '.' DURUNIT { $$ = ast_node1(N_FIELD, @$, $1); $$->text = $3; }
	| arith '[' expr ']' {
		/* xs[i]: the builtin item(xs, i) */
		$$ = ast_node2(N_CALL, @$, name_node("item", @2), $1); ast_add($$, $3); $$->text = "item";
	}
	| arith '(' args ')' {
		$$ = $3; $$->loc = @$;
		if ($1->kind == N_NAME) { $$->text = $1->text; }
		else { $$->text = NULL; }
		/* the callee goes first; the checker resolves qualified names */
		Node *callee = $1;
		Node **kids = $$->kids; int n = $$->nkids;
		$$->kids = NULL; $$->nkids = 0;
		ast_add($$, callee);
		for (int i = 0; i < n; i++) ast_add($$, kids[i]);
	}
	;

args
	: %empty { $$ = ast_node(N_CALL, @$); }
	| elist { $$ = $1; $$->kind = N_CALL; }
	| gen { $$ = ast_node1(N_CALL, @$, $1); }
	;

/* kids: element, list, where (or NULL), and for sort(...) an order: `by KEY
 * [ascending|descending]` (kids[3], ival 1 when descending) */
gen
	: expr FOR name IN arith gen_order { $$ = ast_node2(N_GEN, @$, $1, $5); $$->text = $3; ast_add($$, NULL); gen_order(ps, $$, $6); }
	| expr FOR name IN arith WHERE expr gen_order { $$ = ast_node2(N_GEN, @$, $1, $5); $$->text = $3; ast_add($$, $7); gen_order(ps, $$, $8); }
	;

gen_order
	: %empty { $$ = NULL; }
	| IDENT expr { $$ = order_node(ps, $1, @1, $2, NULL, @1); }
	| IDENT expr IDENT { $$ = order_node(ps, $1, @1, $2, $3, @3); }
	;

opt_comma
	: %empty
	| ','
	;

elist
	: expr { $$ = ast_node1(N_LIST, @$, $1); }
	| elist ',' expr { $$ = $1; ast_add($$, $3); }
	;

entries
	: name ':' expr { Node *e = ast_node1(N_ENTRY, @1, $3); e->text = $1; $$ = ast_node1(N_RECORD, @$, e); }
	| entries ',' name ':' expr { $$ = $1; Node *e = ast_node1(N_ENTRY, @3, $5); e->text = $3; ast_add($$, e); }
	;

arms
	: arm { $$ = ast_node1(N_MATCH, @$, $1); }
	| arms ',' arm { $$ = $1; ast_add($$, $3); }
	;

/* member => value, member(name) => value (the member's value, named), default => value */
arm
	: IDENT ARROW expr { $$ = ast_node1(N_ARM, @1, $3); $$->text = $1; }
	| IDENT '(' name ')' ARROW expr { $$ = ast_node2(N_ARM, @1, $6, name_node($3, @3)); $$->text = $1; }
	| DEFAULT ARROW expr { $$ = ast_node1(N_ARM, @1, $3); $$->text = NULL; }
	;

/* ---------------------------------------------------------------- tables
 * (kept last: bison numbers the character tokens in the order they first
 * appear, and the syntax-error messages list what was expected in it) */

/* table NAME [(params)] : TYPE hit POLICY [[values in priority order]] */
table_head
	: priv TABLE name table_params ':' table_type HIT hit_policy hit_order_opt {
		$$ = new_decl(ps, $4 ? D_FUNCTION : D_TABLE, $3, @3); $$->private_ = $1; $$->type_node = $6;
		if (ps->pending_columns) {
			/* the output columns make a record type named after the table */
			Decl *rd = new_decl(ps, D_RECORD, $3, @3);
			rd->is_table = true; /* a table's columns: read with the table, not in a type outline */
			rd->def = ps->pending_columns; rd->def->name = $3; rd->def->loc = @3;
			AST_PUSH(ps->mod->decls, ps->mod->ndecls, rd);
			ps->pending_columns = NULL;
			Node *tn = name_node($3, @6);
			$$->type_node = $6->kind == N_LIST ? ast_node1(N_LIST, @6, tn) : tn;
		}
		$$->is_table = true; $$->hit_order = $9;
		if ($4) {
			$$->params = ps->pending_params; $$->nparams = ps->npending_params;
			ps->pending_params = NULL; ps->npending_params = 0;
		}
		static const char *const pol[] = {"unique", "first", "collect", "sum", "count", "min", "max",
						  "any", "priority", "output order", "rule order"};
		int k = -1;
		for (int i = 0; i < 11; i++) if (strcmp($8, pol[i]) == 0) k = i;
		if (strncmp($8, "collect ", 8) == 0)
			for (int i = HIT_SUM; i <= HIT_MAX; i++) if (strcmp($8 + 8, pol[i]) == 0) k = i;
		if (k < 0) {
			Diag *dg = diag_add(ps->diags, SEV_ERROR, @8, "'%s' is not a hit policy", $8);
			diag_hint(dg, "write one of: unique, any, priority, first, output order, rule order, collect, "
				      "collect sum, collect count, collect min, collect max");
			k = 0;
		}
		$$->hit = (HitPolicy)k;
		if ($9 && !hit_ranks($$->hit))
			diag_add(ps->diags, SEV_ERROR, @9, "a list of values in order belongs to 'hit priority' and 'hit output order' only");
	}
	;

/* a table's type: a type, or its output columns { name : type, ... } */
table_type
	: type { $$ = $1; ps->pending_columns = NULL; }
	| '{' new_def fields '}' { $$ = ast_node(N_RECORD, @$); ps->pending_columns = ps->pending_def; ps->pending_def = NULL; }
	| LIST OF '{' new_def fields '}' { $$ = ast_node1(N_LIST, @$, NULL); ps->pending_columns = ps->pending_def; ps->pending_def = NULL; }
	;

table_params
	: %empty { $$ = 0; }
	| '(' params_opt ')' { $$ = 1; }
	;

hit_policy
	: IDENT { $$ = $1; }
	| IDENT IDENT { $$ = ast_join($1, ' ', $2); }
	;

hit_order_opt
	: %empty { $$ = NULL; }
	| '[' elist opt_comma ']' { $$ = $2; $$->loc = @$; }
	;

input_cols
	: arith { AST_PUSH(ps->inputs, ps->ninputs, $1); }
	| input_cols '|' arith { AST_PUSH(ps->inputs, ps->ninputs, $3); }
	;

/* The value of a row: one expression, or one per output column. */
outs
	: elist { $$ = outputs_node($1); }
	;

/* Rows of a table with input columns: one cell test per column, between '|'. */
cell_row_list
	: cell_row { $$ = new_decl(ps, D_TABLE, NULL, @1); AST_PUSH($$->cases, $$->ncases, *$1); }
	| cell_row_list cell_row { $$ = $1; AST_PUSH($$->cases, $$->ncases, *$2); }
	;

cell_row
	: WHEN cells THEN outs dates cites {
		$$ = GC_MALLOC(sizeof *$$); $$->cond = cell_row_cond(ps, $2, @2); $$->value = $4; $$->loc = @$;
		case_dates($$, $5);
		$$->cites = cites_v($6); $$->ncites = cites_n($6);
	}
	| DEFAULT outs cites {
		$$ = GC_MALLOC(sizeof *$$); $$->is_default = true; $$->value = $2; $$->loc = @$;
		$$->cites = cites_v($3); $$->ncites = cites_n($3);
	}
	;

/* cells: the tests of one row, as a list (a NULL kid is '-', any value) */
cells
	: cell { $$ = ast_node1(N_LIST, @$, $1); }
	| cells '|' cell { $$ = $1; ast_add($$, $3); }
	;

/* A DMN cell test: '-' (anything), one or more tests separated by commas
 * (any of them), or not(tests).  Tests compare the column's value: `< 18`,
 * `[18..65)`, `"A"`.  The parser writes each as an ordinary condition. */
cell
	: '-' { $$ = NULL; }
	| tests { $$ = $1; }
	| NOT '(' tests ')' { $$ = ast_node1(N_UNARY, @$, $3); $$->op = UN_NOT; }
	;

tests
	: test { $$ = ast_node1(N_LIST, @$, $1); }
	| tests ',' test { $$ = $1; ast_add($$, $3); $$->loc = @$; }
	;

test
	: arith { $$ = cell_test(0, $1, @$); }
	| '=' arith { $$ = cell_test('=', $2, @$); }
	| NE arith { $$ = cell_test(BIN_NE, $2, @$); }
	| '<' arith { $$ = cell_test('<', $2, @$); }
	| LE arith { $$ = cell_test(BIN_LE, $2, @$); }
	| '>' arith { $$ = cell_test('>', $2, @$); }
	| GE arith { $$ = cell_test(BIN_GE, $2, @$); }
	| '[' arith DOTDOT arith ']' { $$ = cell_range(true, $2, $4, true, @$); }
	| '[' arith DOTDOT arith ')' { $$ = cell_range(true, $2, $4, false, @$); }
	| '(' arith DOTDOT arith ']' { $$ = cell_range(false, $2, $4, true, @$); }
	| '(' arith DOTDOT arith ')' { $$ = cell_range(false, $2, $4, false, @$); }
	;

%%

#include "value.h"

static uint16_t currency_code(const char *c) { return val_currency(c); }

static int dur_unit(const char *w)
{
	return w[0] == 'd' ? 0 : w[0] == 'w' ? 1 : w[0] == 'm' ? 2 : 3;
}

static Node *name_node(const char *text, Loc loc)
{
	Node *n = ast_node(N_NAME, loc);
	n->text = text;
	return n;
}

/* The head of a `for each` block; its decisions are tagged by each_add. */
static void each_open(struct ParseState *ps, const char *word, Loc wloc, const char *var, Loc vloc, Node *over, Loc loc)
{
	if (strcmp(word, "each") != 0) {
		Diag *dg = diag_add(ps->diags, SEV_ERROR, wloc, "a block of rules for each member starts 'for each'");
		diag_hint(dg, "write 'for each %s in LIST {' or 'for each %s : RECORD {'", var, var);
	}
	Each *e = GC_MALLOC(sizeof *e);
	if (ps->each) {
		Diag *dg = diag_add(ps->diags, SEV_ERROR, loc, "a 'for each' block cannot be written inside another");
		diag_hint(dg, "close the block for each %s with '}' first", ps->each->var);
	}
	e->outer = ps->each;
	e->var = var;
	e->var_loc = vloc;
	e->over = over;
	e->loc = loc;
	ps->each = e;
}

/* A declaration inside a `for each` block: a decision becomes one rule of
 * one parameter, the member; anything else belongs outside. */
static void each_add(struct ParseState *ps, Decl *d)
{
	AST_PUSH(ps->mod->decls, ps->mod->ndecls, d);
	if (d->kind != D_DECISION || d->view) {
		Diag *dg = diag_add(ps->diags, SEV_ERROR, d->loc,
				    "only decisions can be written for each member of a list");
		diag_hint(dg, "move '%s' out of the 'for each %s in ...' block", d->name, ps->each->var);
		return;
	}
	ps->each->ndecls++;
	d->kind = D_FUNCTION;
	d->each = ps->each;
	d->params = GC_MALLOC(sizeof(Param));
	d->params[0] = (Param){ps->each->var, NULL, NULL, ps->each->var_loc};
	d->nparams = 1;
}

/* The end of a `for each` block: a block with no decision decides nothing
 * (and its list is never checked), which is worth a word. */
static void each_close(struct ParseState *ps, Loc loc)
{
	ps->each->loc = loc;
	if (!ps->each->ndecls) {
		Diag *dg = diag_add(ps->diags, SEV_WARNING, loc, "this 'for each %s' block holds no decision", ps->each->var);
		diag_hint(dg, "write the decisions for each %s between its braces, or remove it", ps->each->var);
	}
	ps->each = ps->each->outer;
}

/* enum_members: one more member; the types stay NULL until a member carries a value */
static void push_member(Members *m, const char *name, Loc loc, Node *type)
{
	int nl = m->n, nt = m->n;
	AST_PUSH(m->locs, nl, loc);
	if (type && !m->types)
		m->types = GC_MALLOC(sizeof(Node *) * (2 * (size_t)m->n + 4)); /* room as ast_grow counts it */
	if (m->types) {
		m->types = ast_grow(m->types, nt, sizeof(Node *));
		m->types[nt] = type;
	}
	AST_PUSH(m->v, m->n, name);
}

/* members: one more name */
static void push_name(Names *m, const char *name, Loc loc)
{
	int nl = m->n;
	AST_PUSH(m->locs, nl, loc);
	AST_PUSH(m->v, m->n, name);
}

/* dates: a case's `from`, `until` or both (NULL for neither) */
static const Dates *new_dates(const char *from, Loc floc, const char *until, Loc uloc)
{
	Dates *dt = GC_MALLOC(sizeof *dt);
	*dt = (Dates){from, until, floc, uloc};
	return dt;
}

static void case_dates(Case *c, const Dates *dt)
{
	if (dt) {
		c->from = dt->from;
		c->until = dt->until;
		c->from_loc = dt->floc;
		c->until_loc = dt->uloc;
	}
}

/* overrides_opt: the exceptions a case overrides (NULL for none) */
static void case_overrides(Case *c, const Names *o)
{
	if (o) {
		c->overrides = o->v;
		c->override_locs = o->locs;
		c->noverrides = o->n;
	}
}

static Decl *new_decl(struct ParseState *ps, DeclKind k, const char *name, Loc loc)
{
	Decl *d = GC_MALLOC(sizeof *d);
	d->kind = k;
	d->name = name;
	d->loc = loc;
	d->module = ps->mod;
	d->severity = 1;
	return d;
}

/* The one case of a declaration written as one value (`= expr`), in an
 * array of exactly one, as an image loads it (image.c): a case is large,
 * most declarations have one, and none is added once a declaration is
 * parsed. */
static void one_case(Decl *d, Case c)
{
	d->cases = GC_MALLOC(sizeof c);
	d->cases[0] = c;
	d->ncases = 1;
}

static void add_cite(Citation **arr, int *n, bool assumption, const char *text, Loc loc)
{
	Citation c = {assumption, text, loc, NULL, NULL, NULL, loc, NULL};
	AST_PUSH(*arr, *n, c);
}

static void push_dated(struct ParseState *ps, const char *from, Loc floc, const char *until, Loc uloc,
		       Node *value, Citation *cites, int ncites, Loc loc)
{
	if (!ps->pending_decl)
		ps->pending_decl = new_decl(ps, D_PARAM, NULL, loc);
	Case c = dated_case(from, floc, until, uloc, value, cites, ncites, loc);
	AST_PUSH(ps->pending_decl->cases, ps->pending_decl->ncases, c);
}

/* A scale's brackets: `bracket from 14_000_000 KRW rate 15%`, then the
 * changes of its threshold and rate, each on its own date:
 * `rate from 2025-01-01 = 16%`.  The words threshold, rate and amount are
 * names elsewhere, so they are read as names and checked here. */
static void push_bracket(struct ParseState *ps, Loc loc)
{
	Bracket b = {0};
	b.loc = loc;
	AST_PUSH(ps->pending_brackets, ps->npending_brackets, b);
}

static Case dated_case(const char *from, Loc floc, const char *until, Loc uloc, Node *value, Citation *cites, int ncites, Loc loc)
{
	Case c = {0};
	c.is_default = true;
	c.value = value;
	c.from = from;
	c.from_loc = floc;
	c.until = until;
	c.until_loc = uloc;
	c.cites = cites;
	c.ncites = ncites;
	c.loc = loc;
	return c;
}

static void bracket_part(struct ParseState *ps, const char *word, Loc wloc, bool head, Case c)
{
	Bracket *b = &ps->pending_brackets[ps->npending_brackets - 1];
	bool thr = !head && strcmp(word, "threshold") == 0;
	if (!thr && strcmp(word, "rate") != 0 && strcmp(word, "amount") != 0) {
		static const char *const words[] = {"threshold", "rate", "amount"};
		Diag *dg = diag_add(ps->diags, SEV_ERROR, wloc, "a bracket has a threshold and a rate or an amount, not '%s'", word);
		const char *best = diag_closest(word, words + head, 3 - head);
		if (best)
			diag_hint(dg, "did you mean '%s'?", best);
		else
			diag_hint(dg, head ? "write 'bracket from 14_000_000 KRW rate 15%%'"
					   : "write 'threshold from 2025-01-01 = 14_000_000 KRW' or 'rate from 2025-01-01 = 15%%'");
		ps->nerrors++;
		if (!head)
			return;
		word = "rate"; /* kept as the bracket's rate, so no error follows from its absence */
	}
	c.label = word;
	if (thr)
		AST_PUSH(b->thresholds, b->nthresholds, c);
	else
		AST_PUSH(b->values, b->nvalues, c);
}

/* `by KEY [ascending|descending]` after a 'for': the words are checked here,
 * the key is kept as an N_UNARY whose op says the direction. */
static Node *order_node(struct ParseState *ps, const char *by, Loc byloc, Node *key, const char *dir, Loc dirloc)
{
	if (strcmp(by, "by") != 0) {
		diag_add(ps->diags, SEV_ERROR, byloc, "unexpected name '%s' after the list of a 'for'; write 'where' for a "
			 "condition, or 'by' to sort by a key", by);
		ps->nerrors++;
	}
	bool desc = false;
	if (dir) {
		desc = strcmp(dir, "descending") == 0;
		if (!desc && strcmp(dir, "ascending") != 0) {
			diag_add(ps->diags, SEV_ERROR, dirloc, "write 'ascending' or 'descending' after the key, not '%s'", dir);
			ps->nerrors++;
		}
	}
	Node *o = ast_node1(N_UNARY, byloc, key);
	o->op = desc ? 'd' : 'a';
	return o;
}

static void gen_order(struct ParseState *ps, Node *gen, Node *order)
{
	(void)ps;
	if (!order)
		return;
	ast_add(gen, order->kids[0]);
	gen->ival = order->op == 'd';
	gen->loc = ast_span(gen->loc, order->kids[0]->loc);
}

/* A table: the head (name, parameters, type, policy) with its rows.  Rows
 * with several values, one per output column, are records of the table's
 * type, their fields named by position. */
static Decl *table_decl(struct ParseState *ps, Decl *head, Decl *rows)
{
	head->cases = rows->cases;
	head->ncases = rows->ncases;
	head->inputs = ps->inputs;
	head->ninputs = ps->ninputs;
	return head;
}

static Node *outputs_node(Node *list)
{
	if (list->nkids == 1)
		return list->kids[0];
	/* several outputs: a record whose field names the checker fills in from the table's type */
	Node *r = ast_node(N_RECORD, ast_span(list->kids[0]->loc, list->kids[list->nkids - 1]->loc));
	for (int i = 0; i < list->nkids; i++) {
		Node *e = ast_node1(N_ENTRY, list->kids[i]->loc, list->kids[i]);
		e->text = NULL;
		ast_add(r, e);
	}
	return r;
}

/* The placeholder for a table's input in a cell test, replaced by a copy of
 * the column's expression in cell_row_cond. */
static Node *input_hole(Loc loc)
{
	Node *n = ast_node(N_NAME, loc);
	n->text = NULL;
	return n;
}

static Node *cell_test(int op, Node *v, Loc loc)
{
	Node *n = ast_node2(N_BINARY, loc, input_hole(loc), v);
	n->op = op ? op : '=';
	n->ival = op == 0; /* a plain value: equality, gathered into 'in [...]' with its neighbours */
	return n;
}

static Node *cell_range(bool lo_in, Node *lo, Node *hi, bool hi_in, Loc loc)
{
	Node *a = cell_test(lo_in ? BIN_GE : '>', lo, loc);
	Node *b = cell_test(hi_in ? BIN_LE : '<', hi, loc);
	Node *n = ast_node2(N_BINARY, loc, a, b);
	n->op = BIN_AND;
	return n;
}

/* Put a copy of the column's expression into every hole of a test. */
static void fill_hole(Node *n, const Node *input)
{
	if (!n)
		return;
	for (int i = 0; i < n->nkids; i++) {
		Node *k = n->kids[i];
		if (k && k->kind == N_NAME && !k->text) {
			Node *x = ast_clone(input);
			x->loc = input->loc;
			n->kids[i] = x;
			if (x->depth + 1 > n->depth)
				n->depth = x->depth + 1;
		} else {
			fill_hole(k, input);
		}
	}
}

/* The tests of one cell as a condition: plain values become `x in [...]`,
 * the rest are joined by 'or'. */
static Node *cell_cond(Node *tests, const Node *input)
{
	Node *vals = NULL, *any = NULL;
	for (int i = 0; i < tests->nkids; i++) {
		Node *t = tests->kids[i];
		if (t->kind == N_BINARY && t->ival == 1) {
			if (!vals)
				vals = ast_node(N_LIST, t->loc);
			ast_add(vals, t->kids[1]);
			vals->loc = ast_span(vals->loc, t->loc);
			continue;
		}
		fill_hole(t, input);
		any = any ? ast_node2(N_BINARY, ast_span(any->loc, t->loc), any, t) : t;
		if (any != t)
			any->op = BIN_OR;
	}
	if (vals) {
		Node *x = ast_clone(input);
		Node *v = vals->nkids == 1 ? ast_node2(N_BINARY, vals->loc, x, vals->kids[0])
					   : ast_node2(N_IN, vals->loc, x, vals);
		if (vals->nkids == 1)
			v->op = '=';
		any = any ? ast_node2(N_BINARY, ast_span(v->loc, any->loc), v, any) : v;
		if (any != v)
			any->op = BIN_OR;
	}
	return any;
}

/* Mark the tests of a cell with the column they read, for explanations. */
static void set_column(Node *n, const Node *input)
{
	if (!n || n->column || (n->kind != N_BINARY && n->kind != N_IN && n->kind != N_UNARY))
		return;
	n->column = input;
	for (int i = 0; i < n->nkids; i++)
		set_column(n->kids[i], input);
}

static Node *cell_row_cond(struct ParseState *ps, Node *cells, Loc loc)
{
	if (cells->nkids != ps->ninputs) {
		diag_add(ps->diags, SEV_ERROR, loc, "this row has %d cell%s but the table has %d input%s; "
			 "write one test for each input, separated by '|' ('-' for any value)",
			 cells->nkids, cells->nkids == 1 ? "" : "s", ps->ninputs, ps->ninputs == 1 ? "" : "s");
		ps->nerrors++;
		Node *t = ast_node(N_BOOL, loc);
		t->ival = 1;
		return t;
	}
	Node *cond = NULL;
	for (int i = 0; i < cells->nkids; i++) {
		Node *c = cells->kids[i];
		if (!c)
			continue; /* '-' */
		Node *t;
		if (c->kind == N_UNARY) { /* not(tests) */
			t = ast_node1(N_UNARY, c->loc, cell_cond(c->kids[0], ps->inputs[i]));
			t->op = UN_NOT;
		} else {
			t = cell_cond(c, ps->inputs[i]);
		}
		set_column(t, ps->inputs[i]);
		t->loc = c->loc;
		cond = cond ? ast_node2(N_BINARY, ast_span(cond->loc, t->loc), cond, t) : t;
		if (cond != t)
			cond->op = BIN_AND;
	}
	if (!cond) {
		cond = ast_node(N_BOOL, loc);
		cond->ival = 1;
	}
	return cond;
}

static void push_bracket(struct ParseState *ps, Loc loc);
static void bracket_part(struct ParseState *ps, const char *word, Loc wloc, bool head, Case c);
static Case dated_case(const char *from, Loc floc, const char *until, Loc uloc, Node *value, Citation *cites, int ncites, Loc loc);
static void split_path(struct ParseState *ps, const char *dotted, TestStep *s)
{
	(void)ps;
	const char *p = dotted;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		const char *seg = ast_strdup(p, n);
		AST_PUSH(s->path, s->npath, seg);
		p += n;
		if (*p == '.')
			p++;
	}
}

static void yyerror(Loc *loc, yyscan_t scanner, struct ParseState *ps, const char *msg)
{
	(void)scanner;
	if (strstr(msg, "exhausted"))
		diag_add(ps->diags, SEV_ERROR, *loc, "this rule is nested too deeply to read; split it into smaller decisions");
	else
		diag_add(ps->diags, SEV_ERROR, *loc, "%s", msg);
	ps->nerrors++;
}

/* Tokens that can start an expression: listed together as "an expression". */
static bool starts_expr(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_IDENT: case YYSYMBOL_NUMBER: case YYSYMBOL_PERCENT: case YYSYMBOL_DATE:
	case YYSYMBOL_STRING: case YYSYMBOL_IF: case YYSYMBOL_LET:
	case YYSYMBOL_TRUE: case YYSYMBOL_FALSE: case YYSYMBOL_UNKNOWN:
	case YYSYMBOL_MATCH: case YYSYMBOL_HS: case YYSYMBOL_AS_OF:
		return true;
	default:
		break;
	}
	return false;
}

/* The text of the token at loc, on one line: NULL when it is not in the
 * source or not shorter than max bytes. */
static const char *token_text(const Source *src, const Loc *loc, size_t max)
{
	long off = source_line_offset(src, loc->line);
	if (off < 0 || loc->col < 1)
		return NULL;
	size_t start = (size_t)off + (size_t)(loc->col - 1);
	size_t len = loc->eline == loc->line ? (size_t)(loc->ecol - loc->col + 1) : 1;
	if (start + len > src->len || len >= max)
		return NULL;
	return ast_strdup(src->text + start, len);
}



/* Tokens that continue an expression after a value. */
static bool is_operator(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_AND: case YYSYMBOL_OR: case YYSYMBOL_IN: case YYSYMBOL_IS: case YYSYMBOL_NOT:
	case YYSYMBOL_OTHERWISE: case YYSYMBOL_NE: case YYSYMBOL_LE: case YYSYMBOL_GE: case YYSYMBOL_FOR:
	case YYSYMBOL_MOD: case YYSYMBOL_AT:
		return true;
	default:
		break;
	}
	const char *n = yysymbol_name(k);
	return strlen(n) == 3 && n[0] == '\'' && strchr("+-*/=<>.([{^", n[1]);
}

/* What was expected, in words for the message: "an expression" once for
 * all that can start one (a token that alone is expected by its name: a
 * requirement's reason is "a text in quotes"), "an operator" once for all operators, then the
 * other tokens; the units after a number are left out (true, but never
 * what was meant).  Returns how many. */
static int expected_words(const yysymbol_kind_t *exp, int n, const char **list)
{
	bool expr = false, oper = false;
	int m = 0, nstarts = 0;
	for (int i = 0; i < n; i++)
		nstarts += starts_expr(exp[i]);
	for (int i = 0; i < n; i++) {
		if (starts_expr(exp[i]) && nstarts > 1) {
			if (!expr)
				list[m++] = "an expression";
			expr = true;
		} else if (exp[i] == YYSYMBOL_DURUNIT || exp[i] == YYSYMBOL_CURRENCY) {
			/* the unit after a number */
		} else if (is_operator(exp[i])) {
			oper = true;
		} else if (exp[i] != YYSYMBOL_YYerror) {
			list[m++] = yysymbol_name(exp[i]);
		}
	}
	/* after a complete value any operator could follow: say so once */
	if (oper && !expr && m < 8)
		list[m++] = "an operator";
	return m;
}

/* A misspelt keyword where a declaration starts: the closest of the words
 * that start one (keywords.h). */
static void declaration_hint(struct ParseState *ps, const Loc *loc, Diag *dg)
{
	const char *kws[64];
	int nkw = 0;
	for (int k = 0; k < kw_count && nkw < 64; k++)
		if (kw_table[k].cls != KW_OTHER && kw_table[k].cls != KW_EXPR)
			kws[nkw++] = kw_table[k].text;
	const char *word = token_text(ps->src, loc, 40);
	const char *best = diag_closest(word ? word : "", kws, nkw);
	if (best)
		diag_hint(dg, "did you mean '%s'?", best);
	else
		diag_hint(dg, "a declaration starts with decision, param, table, function, fact, record, enum, check, "
			      "require or test");
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, struct ParseState *ps)
{
	(void)scanner;
	if (ps->fatal)
		return 0;
	enum { MAX = 40 };
	yysymbol_kind_t exp[MAX];
	int n = yypcontext_expected_tokens(ctx, exp, MAX);
	if (n < 0)
		n = 0;
	yysymbol_kind_t got = yypcontext_token(ctx);
	const Loc *loc = yypcontext_location(ctx);
	Loc after;
	if (got == YYSYMBOL_YYEOF || got == YYSYMBOL_YYEMPTY) {
		/* point just past the last token, where something is missing;
		 * at the start when there is none (an empty query) */
		Loc start = {ps->src->path, 1, 0, 1, 0};
		after = ps->last_tok.file ? ps->last_tok : loc->file ? *loc : start;
		after.line = after.eline;
		after.col = after.ecol + 1;
		after.ecol = after.col;
		loc = &after;
	}
	const char *gname = got == YYSYMBOL_YYEMPTY || got == YYSYMBOL_YYEOF ? (ps->is_query ? "end of the query" : "end of file")
									      : yysymbol_name(got);
	/* "a number" reads well after "expected", not after "unexpected" */
	if (strncmp(gname, "a ", 2) == 0)
		gname += 2;
	else if (strncmp(gname, "an ", 3) == 0)
		gname += 3;
	char *what = xprintf("%s", gname);
	if (got == YYSYMBOL_IDENT || got == YYSYMBOL_NUMBER || got == YYSYMBOL_STRING || got == YYSYMBOL_CURRENCY ||
	    got == YYSYMBOL_PERCENT || got == YYSYMBOL_DATE) {
		/* quote the actual text of the offending token */
		const char *t = token_text(ps->src, loc, 60);
		if (t)
			what = xprintf("%s '%s'", gname, t);
	}
	const char *list[MAX + 2];
	int m = expected_words(exp, n, list);
	char *msg;
	if (ps->is_given && (got == YYSYMBOL_YYEOF || got == YYSYMBOL_YYEMPTY)) {
		diag_add(ps->diags, SEV_ERROR, *loc, "a fact needs '=' and a value, like company.us_export_share = 12%%");
		ps->nerrors++;
		return 0;
	}
	if (m == 0 || m > 8) {
		msg = xprintf("unexpected %s", what);
	} else {
		char *l = xprintf("%s", list[0]);
		for (int i = 1; i < m; i++)
			l = xprintf("%s%s%s", l, i == m - 1 ? " or " : ", ", list[i]);
		msg = xprintf("unexpected %s; expected %s", what, l);
	}
	Diag *dg = diag_add(ps->diags, SEV_ERROR, *loc, "%s", msg);
	if (got == YYSYMBOL_IDENT && m > 0 && n > 0) {
		for (int i = 0; i < n; i++)
			if (exp[i] == YYSYMBOL_THEN) {
				diag_hint(dg, "a condition is followed by 'then' and the value");
				break;
			}
	}
	if (got == YYSYMBOL_IDENT && !dg->hint) {
		bool decl_start = false;
		for (int i = 0; i < n; i++)
			decl_start |= exp[i] == YYSYMBOL_DECISION;
		if (decl_start)
			declaration_hint(ps, loc, dg);
	}
	ps->nerrors++;
	return 0;
}

/* The tables below are the same in both parsers (CMakeLists.txt): one copy. */
#ifndef EDICT_PARSER_QUICK
/* What a token is to an editor: the keywords are the tokens whose name in
 * this grammar is a word in quotes ('decision'); keywords.h lists them. */
TokRole parse_token_role(int tok)
{
	yysymbol_kind_t k = YYTRANSLATE(tok);
	switch (k) {
	case YYSYMBOL_IDENT: return TOKR_NAME;
	case YYSYMBOL_NUMBER: case YYSYMBOL_PERCENT: case YYSYMBOL_DATE: return TOKR_NUMBER;
	case YYSYMBOL_STRING: return TOKR_STRING;
	case YYSYMBOL_CURRENCY: return TOKR_CURRENCY;
	case YYSYMBOL_DURUNIT: return TOKR_UNIT;
	default: break;
	}
	const char *n = yysymbol_name(k);
	return n[0] == '\'' && ((n[1] >= 'a' && n[1] <= 'z') || (n[1] >= 'A' && n[1] <= 'Z')) ? TOKR_KEYWORD : TOKR_OPERATOR;
}

#endif
