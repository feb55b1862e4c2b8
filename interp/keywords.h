/*
 * keywords.h - every keyword of the language, once (as Lua's luaX_tokens).
 *
 * Each line gives the grammar's token (grammar/parser.y declares it, with
 * the quoted text its messages use), the word, and its class: the words
 * that start a declaration (which the outline scan and the parser's "did
 * you mean" hint need, by kind), the words of expressions (which the REPL
 * completes), and the rest.  The lexer looks every name up here (kw_find);
 * tests/unit/test_lexer_parser.c checks that the grammar agrees.
 */
#ifndef EDICT_KEYWORDS_H
#define EDICT_KEYWORDS_H

#include <stddef.h>

typedef enum KwClass {
	KW_OTHER,   /* inside declarations: optional, default, when ... */
	KW_MODULE,  /* module */
	KW_IMPORT,  /* import */
	KW_PRIVATE, /* private */
	KW_TYPE,    /* enum, record, fact, document: a declaration of a type */
	KW_NAMED,   /* param, decision, table, function, view: a named rule */
	KW_CHECK,   /* check, test */
	KW_EXPR     /* a word of expressions: and, if, otherwise ... */
} KwClass;

#define EDICT_KEYWORDS(X)                        \
	X(MODULE, "module", KW_MODULE)           \
	X(IMPORT, "import", KW_IMPORT)           \
	X(AS, "as", KW_OTHER)                    \
	X(OF, "of", KW_OTHER)                    \
	X(ENUM, "enum", KW_TYPE)                 \
	X(RECORD, "record", KW_TYPE)             \
	X(FACT, "fact", KW_TYPE)                 \
	X(PARAM, "param", KW_NAMED)              \
	X(DECISION, "decision", KW_NAMED)        \
	X(FUNCTION, "function", KW_NAMED)        \
	X(TABLE, "table", KW_NAMED)              \
	X(CHECK, "check", KW_CHECK)              \
	X(REQUIRE, "require", KW_CHECK)          \
	X(DOCUMENT, "document", KW_TYPE)         \
	X(VIEW, "view", KW_NAMED)                \
	X(TEST, "test", KW_CHECK)                \
	X(PRIVATE, "private", KW_PRIVATE)        \
	X(OPTIONAL, "optional", KW_OTHER)        \
	X(DEFAULT, "default", KW_OTHER)          \
	X(EXCEPTION, "exception", KW_OTHER)      \
	X(WHEN, "when", KW_OTHER)                \
	X(THEN, "then", KW_EXPR)                 \
	X(OVERRIDES, "overrides", KW_OTHER)      \
	X(FROM, "from", KW_OTHER)                \
	X(UNTIL, "until", KW_OTHER)              \
	X(SOURCE, "source", KW_OTHER)            \
	X(ASSUMPTION, "assumption", KW_OTHER)    \
	X(HIT, "hit", KW_OTHER)                  \
	X(INPUT, "input", KW_OTHER)              \
	X(MOD, "mod", KW_EXPR)                   \
	X(AND, "and", KW_EXPR)                   \
	X(OR, "or", KW_EXPR)                     \
	X(NOT, "not", KW_EXPR)                   \
	X(IN, "in", KW_EXPR)                     \
	X(IS, "is", KW_EXPR)                     \
	X(KNOWN, "known", KW_EXPR)               \
	X(UNKNOWN, "unknown", KW_EXPR)           \
	X(IF, "if", KW_EXPR)                     \
	X(ELSE, "else", KW_EXPR)                 \
	X(LET, "let", KW_EXPR)                   \
	X(MATCH, "match", KW_EXPR)               \
	X(FOR, "for", KW_EXPR)                   \
	X(WHERE, "where", KW_EXPR)               \
	X(TRUE, "true", KW_EXPR)                 \
	X(FALSE, "false", KW_EXPR)               \
	X(OTHERWISE, "otherwise", KW_EXPR)       \
	X(LIST, "list", KW_OTHER)                \
	X(CHAPTER, "chapter", KW_EXPR)           \
	X(HEADING, "heading", KW_EXPR)           \
	X(SUBHEADING, "subheading", KW_EXPR)     \
	X(HS, "hs", KW_OTHER)                    \
	X(GIVEN, "given", KW_OTHER)              \
	X(EXPECT, "expect", KW_OTHER)            \
	X(SHOWING, "showing", KW_OTHER)          \
	X(AS_OF, "as_of", KW_EXPR)               \
	X(AT, "at", KW_EXPR)                     \
	X(OVER, "over", KW_OTHER)

typedef struct Keyword {
	const char *text;
	KwClass cls;
} Keyword;

extern const Keyword kw_table[];
extern const int kw_count;

/* The index in kw_table of the keyword spelt s[0..n), or -1. */
int kw_find(const char *s, size_t n);

#endif
