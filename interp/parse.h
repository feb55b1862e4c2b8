/*
 * parse.h - the bridge between the generated scanner/parser and the rest.
 *
 * parse_module turns one source text into a Module, reporting syntax errors
 * to a Diags list.  The scanner and parser share a ParseState.
 */
#ifndef EDICT_PARSE_H
#define EDICT_PARSE_H

#include <setjmp.h>

#include "ast.h"
#include "diag.h"
#include "format.h"

struct ParseState {
	const Source *src;
	Diags *diags;
	Module *mod;
	int line, col;
	Buf sbuf; /* string literal being scanned */
	Loc str_loc;
	int nerrors;
	int depth; /* nesting of brackets, for the depth limit */
	bool fatal; /* stop reporting: a limit was hit */
	/* pieces of the declaration being parsed */
	TypeDef *pending_def;
	Node *pending_default;
	Param *pending_params;
	int npending_params;
	TestStep *pending_steps;
	int npending_steps;
	int pending_severity;
	Decl *pending_decl;
	Bracket *pending_brackets; /* a scale's brackets */
	int npending_brackets;
	Each *each; /* the `for each` block being read, or NULL */
	TypeDef *pending_columns; /* a table's output columns { name : type ... } */
	Node **inputs; /* the input columns of the table being read */
	int ninputs;
	int start;       /* first token to hand out: START_EXPR, START_GIVEN or 0 */
	bool is_query;   /* parsing a query or a REPL line, not a file */
	bool is_given;   /* parsing `path = value` */
	Loc last_tok;    /* the last token that was not white space */
	Node *expr;      /* parse_expr's result */
	TestStep *given; /* parse_given's result */
	jmp_buf *scan_failed; /* where the scanner's fatal errors go (lex_fatal) */
};

/* Maximum nesting of brackets and blocks in one file. */
#define PARSE_MAX_DEPTH 200
/* Bytes in one text in quotes. */
#define PARSE_MAX_STRING (1 << 20)

void lex_error(struct ParseState *ps, const Loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void lex_bad_char(struct ParseState *ps, const Loc *loc, int c);
/* flex's fatal errors (YY_FATAL_ERROR), which would print and exit: out of
 * memory unwinds as every out of memory does (mem.h), anything else ends
 * the parse with an error.  Never returns. */
_Noreturn void lex_fatal(struct ParseState *ps, const char *msg);
void lex_string_add(struct ParseState *ps, const char *s, size_t n);
void lex_check_utf8(struct ParseState *ps, const Loc *loc, const char *s, size_t n);
const char *lex_string_done(struct ParseState *ps, Loc *loc);

/* Parse one file.  Returns the module (possibly partial) or NULL when the
 * text could not be parsed at all; errors go to diags. */
Module *parse_module(const Source *src, Diags *diags);
/* Parse one expression (a --query, a REPL line).  NULL after errors. */
Node *parse_expr(const Source *src, Diags *diags);
/* Parse `path = value` (a REPL assignment).  NULL after errors. */
TestStep *parse_given(const Source *src, Diags *diags);

/* One token of a rule file, as the scanner sees it, for tools that lay
 * the text out again (layout.c).  The text between two tokens holds only
 * white space and comments, so a token list and the source give the whole
 * file.  Offsets are bytes into the source text. */
typedef enum TokClass {
	TOK_NAME,    /* a name: an identifier, or a duration unit used as one */
	TOK_LITERAL, /* a number, percentage, date, text in quotes or currency */
	TOK_OTHER    /* a keyword or a symbol (told apart by its text) */
} TokClass;

typedef struct Token {
	TokClass cls;
	int kind; /* the scanner's token number: equal tokens have equal kinds */
	size_t off, len;
	int line, col;
} Token;

/* Scan the whole of src into tokens (GC array in *out, count in *n).
 * Lexical errors go to diags; returns false after any. */
bool parse_tokens(const Source *src, Diags *diags, Token **out, int *n);

/* The outline of a rule file, read without parsing it (a scan for the
 * words that begin declarations, which appear nowhere else): its `module`
 * name, its imports, the names of its params, decisions, tables and
 * functions, and where its type declarations (enum, record, fact) are.
 * A load for given queries parses whole only the modules the queries
 * reach, and of the others these type declarations, which are global to
 * the rule set (load.c). */
typedef struct OutlinePart {
	size_t off, len; /* the declaration's bytes, with a `private` before it */
	int line, col;   /* where it starts */
} OutlinePart;

typedef struct Outline {
	const char *module; /* NULL without a `module` line */
	bool reform;        /* the line is `reform NAME` (load_reform) */
	const char **imports;
	int nimports;
	const char **names;
	int nnames;
	OutlinePart *types;
	int ntypes;
} Outline;

void parse_outline(const Source *src, Outline *o);
/* A module holding only the type declarations of the outline, parsed
 * (syntax errors in them reported as in a whole parse); no name, no
 * imports.  NULL only when the scanner cannot start. */
Module *parse_outline_types(const Source *src, const Outline *o, Diags *diags);

/* What a token is to an editor (highlighting, completion), from the
 * grammar (parser.y): a keyword is a token whose name there is a word in
 * quotes ('decision'), so the list grows with the grammar. */
typedef enum TokRole {
	TOKR_NAME,
	TOKR_KEYWORD,
	TOKR_UNIT,   /* day(s), week(s), month(s), year(s): also usable as names */
	TOKR_NUMBER, /* numbers, percentages, dates */
	TOKR_STRING,
	TOKR_CURRENCY,
	TOKR_OPERATOR /* operators and brackets */
} TokRole;

/* The role of a scanner token number (Token.kind). */
TokRole parse_token_role(int kind);

#endif
