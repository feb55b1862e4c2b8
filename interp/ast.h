/*
 * ast.h - the syntax tree of a rule file, and the types the checker puts on it.
 *
 * The parser (grammar/parser.y) builds one Module per file: a list of Decls,
 * each holding expression Nodes.  The checker (check.c) resolves every name
 * and fills in the annotation fields (type, ref, slot); the compiler
 * (compile.c) reads only checked trees.  Everything is allocated from the
 * collector; nothing here is freed by hand.
 */
#ifndef EDICT_AST_H
#define EDICT_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* A source span.  Lines and columns count from 1; columns in bytes. */
typedef struct Loc {
	const char *file;
	int line, col;
	int eline, ecol; /* last character, inclusive */
} Loc;

/* A loaded source text, kept so diagnostics can quote the line. */
typedef struct Source {
	const char *path;
	const char *text;
	size_t len;
	/* byte offset of each line's start, built the first time a line is
	 * asked for (a load that reports nothing never scans its texts) and
	 * published atomically, as sources are shared between threads */
	const size_t *line_start;
	int nlines;
	/* the file's time as it was when the text was read, for an image to
	 * keep (image_settled_time); 0 where it was not yet settled or the
	 * text comes from no file: an image keeps it to compare by content */
	int64_t mtime_ns;
} Source;

/* The length of the line break at p (p < end): 2 for "\r\n", 1 for "\n"
 * or for a "\r" alone (as old Mac files end their lines), else 0.  The
 * scanner, the diagnostics and the layout all count lines with it, so a
 * line number means the same line everywhere. */
static inline int source_eol(const char *p, const char *end)
{
	return *p == '\n' ? 1 : *p != '\r' ? 0 : p + 1 < end && p[1] == '\n' ? 2 : 1;
}

/* The first line break at or after p (see source_eol), or end. */
const char *source_line_end(const char *p, const char *end);

/* The byte offset of line `line` (1-based) in src, or -1. */
long source_line_offset(const Source *src, int line);
/* How many lines src has (a last line without a newline counts). */
int source_nlines(const Source *src);

/* ---------------------------------------------------------------- types */

typedef enum TypeKind {
	TY_ERROR, /* already reported: suppresses follow-on errors */
	TY_BOOL,
	TY_INT,
	TY_DEC,
	TY_MONEY,
	TY_PCT,
	TY_DATE,
	TY_DUR,
	TY_STR,
	TY_HS,
	TY_ENUM,
	TY_REC,
	TY_LIST,
	TY_EMPTY, /* the empty list [] before its element type is known */
	TY_SERIES, /* a fact over time: dated values of elem (a list of [date, value] pairs, dates ascending) */
	TY_SCALE  /* a bracket schedule (a `scale` parameter): elem is its thresholds' type */
} TypeKind;

typedef struct TypeDef TypeDef;
typedef struct Node Node;

typedef struct Type {
	TypeKind kind;
	uint16_t cur;        /* TY_MONEY: currency, 0 = any currency */
	const struct Type *elem; /* TY_LIST, TY_SERIES */
	TypeDef *def;        /* TY_ENUM, TY_REC */
	const struct Type *amount; /* TY_SCALE: the type of its amounts, NULL for a scale of rates */
} Type;

/* `source "text"`, `assumption "text"`, or a citation of a declared
 * document: `source DOC "pinpoint": "quoted words"`.  For the last, the
 * checker resolves `doc` to its `document` declaration and sets `text` to
 * the citation as it is printed (cite_text in explain.h). */
typedef struct Citation {
	bool assumption; /* `assumption "..."`: beyond the sources */
	const char *text;
	Loc loc;
	const char *doc;      /* the document's name, or NULL for a plain citation */
	const char *pinpoint; /* article, annex, rule, column, section ... or NULL */
	const char *quote;    /* the words quoted, or NULL */
	Loc quote_loc;
	struct Decl *document; /* resolved by the checker */
} Citation;

typedef struct Field {
	const char *name;
	Node *type_node;
	const Type *type;
	bool optional;
	Node *dflt; /* default value, or NULL */
	Citation *cites;
	int ncites;
	Loc loc;
} Field;

struct TypeDef {
	int id; /* index into the program's type table */
	bool is_enum;
	const char *name;
	const char **members; /* enum */
	Loc *member_locs;
	int nmembers;
	/* enum: the type of the value each member carries (`most_recent of
	 * date`), NULL for a member without one; both arrays are NULL when no
	 * member carries a value */
	Node **member_type_nodes;
	const struct Type **member_types;
	Field *fields; /* record */
	int nfields;
	int *field_index; /* fields by name, for large records (ast_index_fields) */
	int field_index_cap;
	Citation *cites;
	int ncites;
	Loc loc;
	const struct Module *module;
};

/* ---------------------------------------------------------------- nodes */

typedef enum NodeKind {
	/* literals: text holds the source text of the number */
	N_BOOL,     /* ival */
	N_NUMBER,   /* text: int or decimal */
	N_PERCENT,  /* text without the % */
	N_MONEY,    /* text, cur */
	N_DATE,     /* text */
	N_DURATION, /* text (the amount), op = DurUnit */
	N_STRING,   /* text (unescaped) */
	N_HSLIT,    /* hs "6205.20": text */
	N_UNKNOWN,  /* the literal `unknown` */
	N_ASOF,     /* the evaluation's as-of date */
	N_NAME,     /* text */
	N_FIELD,    /* kids[0] . text */
	N_CALL,     /* text(kids...) ; a generator argument is an N_GEN */
	N_UNARY,    /* op kids[0] */
	N_BINARY,   /* kids[0] op kids[1] */
	N_IN,       /* kids[0] in kids[1]; op = 0 list, or HS_CHAPTER/HEADING/SUBHEADING */
	N_IS,       /* kids[0] is known (ival 1) / is unknown (ival 0) */
	N_OTHERWISE,/* kids[0] otherwise kids[1] */
	N_IF,       /* if kids[0] then kids[1] else kids[2] */
	N_LET,      /* let text = kids[0]; kids[1] */
	N_MATCH,    /* match kids[0] { arms } : kids[1..] are N_ARM */
	N_ARM,      /* text (member, or NULL for `default`) => kids[0] */
	N_LIST,     /* [kids...] */
	N_RECORD,   /* { text: kids ... } : kids are N_ENTRY */
	N_ENTRY,    /* text : kids[0] */
	N_GEN,      /* kids[0] for text in kids[1] where kids[2] (may be NULL) */
	N_COMP,     /* [ N_GEN ] */
	N_AT,       /* kids[0] at kids[1]: a fact over time read at a date */
	N_SERIES    /* a test's dated values: kids are date, value, date, value ...;
		     * as a type node, `kids[0] over time` */
} NodeKind;

enum { HS_CHAPTER = 1, HS_HEADING, HS_SUBHEADING };

/* N_BINARY and N_UNARY operators. */
enum {
	BIN_ADD = '+', BIN_SUB = '-', BIN_MUL = '*', BIN_DIV = '/',
	BIN_EQ = '=', BIN_NE = '!', BIN_LT = '<', BIN_LE = 'l', BIN_GT = '>', BIN_GE = 'g',
	BIN_AND = '&', BIN_OR = '|', UN_NOT = '~', UN_NEG = 'n',
	BIN_MOD = '%', BIN_POW = '^'
};

/* What a name refers to, once checked. */
typedef enum RefKind {
	R_NONE,
	R_LOCAL,  /* slot = frame slot */
	R_DECL,   /* decl = a param, decision or table */
	R_FUNC,   /* decl = a function */
	R_FACT,   /* slot = fact root index */
	R_MEMBER, /* enum member: slot = member index, of type->def */
	R_BUILTIN /* slot = builtin id */
} RefKind;

struct Decl;

/* N_NAME's ival: a currency code written alone, where a value goes */
#define NAME_CURRENCY_ALONE 1

struct Node {
	/* what a pass over the tree reads first, together (a node spans few
	 * cache lines) */
	NodeKind kind;
	int op;
	Node **kids;
	int nkids;
	bool is_const; /* a literal: k holds its value */
	bool in_loop;  /* inside a 'for' (its item or 'where'): its value changes from item to item */
	uint16_t cur;
	/* checker annotations */
	const Type *type;
	int slot;
	int id; /* a unique number per node in a rule set, for traces */
	struct Decl *decl;
	const char *text;
	int64_t ival;
	Value k;
	Loc loc;
	const struct Node *column; /* a table's cell test: the input column it tests (for explanations) */
	int depth;     /* 1 + the depth of its deepest child: bounded by the checker */
	/* the small fields last, in a byte each: a node of 120 bytes takes 128
	 * with the arena's word before it, where 128 took 144 (a large rule
	 * set has some hundred thousand nodes) */
	RefKind ref : 8;
	/* a fact over time read by name (N_NAME, N_FIELD): SR_ASOF read at the
	 * as-of date, SR_WHOLE all its dated values, read by an enclosing N_AT */
	enum { SR_NONE, SR_ASOF, SR_WHOLE } series_read : 8;
};

/* ---------------------------------------------------------------- decls */

typedef enum DeclKind {
	D_ENUM,
	D_RECORD,
	D_FACT,
	D_PARAM,
	D_DECISION,
	D_TABLE,
	D_FUNCTION,
	D_CHECK,
	D_TEST,
	D_DOCUMENT, /* a policy document the rules cite (global, like types) */
	D_REQUIRE   /* `require "reason": condition`: what facts must satisfy (cond, cites) */
} DeclKind;

/* One case of a decision (default or exception), one row of a table, one
 * dated value of a parameter. */
typedef struct Case {
	const char *label; /* exception name, or NULL */
	bool is_default;
	Node *cond;        /* NULL for default / param values */
	Node *value;
	const char **overrides;
	Loc *override_locs;
	int noverrides;
	int *override_idx; /* resolved by the checker */
	const char *from, *until; /* dates, or NULL */
	Loc from_loc, until_loc;
	Citation *cites;
	int ncites;
	Loc loc;
} Case;

/* One bracket of a scale: its threshold and its rate (or amount), each a
 * list of values dated as a parameter's are (an undated one is always in
 * force).  Each Case's label is the word written: "threshold", "rate" or
 * "amount". */
typedef struct Bracket {
	Case *thresholds;
	int nthresholds;
	Case *values;
	int nvalues;
	Loc loc;
} Bracket;

typedef struct Param {
	const char *name;
	Node *type_node;
	const Type *type;
	Loc loc;
} Param;

/* A test's `given path = value` or `expect cond`. */
typedef struct TestStep {
	enum { TS_GIVEN, TS_EXPECT, TS_ASOF } kind;
	const char **path; /* given: fact path segments */
	int npath;
	Node *expr;
	const char *date; /* as of */
	Loc loc;
	int fact;         /* given: resolved fact root */
	const Type *type; /* given: the type of the path */
	int *slots;       /* given: field slots after the root */
} TestStep;

/* A table's hit policy: what it gives when several rows apply.  The DMN
 * names: unique, any, priority, first, output order, rule order, collect,
 * collect sum / count / min / max (also written sum, count, min, max). */
typedef enum HitPolicy {
	HIT_UNIQUE, HIT_FIRST, HIT_COLLECT, HIT_SUM, HIT_COUNT, HIT_MIN, HIT_MAX,
	HIT_ANY, HIT_PRIORITY, HIT_OUTPUT_ORDER, HIT_RULE_ORDER
} HitPolicy;

/* Policies that gather every row that applies (rather than pick one). */
static inline bool hit_gathers(HitPolicy h) { return h != HIT_UNIQUE && h != HIT_FIRST; }
/* Policies whose result is a list of the rows' values. */
static inline bool hit_gives_list(HitPolicy h)
{
	return h == HIT_COLLECT || h == HIT_OUTPUT_ORDER || h == HIT_RULE_ORDER;
}
/* The policy as written in the rules: "output order", "collect sum". */
const char *hit_name(HitPolicy h);
/* Policies that rank rows by the order of the output's values. */
static inline bool hit_ranks(HitPolicy h) { return h == HIT_PRIORITY || h == HIT_OUTPUT_ORDER; }

/* `for each person in household.members { decisions }`: the decisions of
 * the block are decided for each member of the list; inside, `var` names
 * the member.  `for each claim : spouse_claim { ... }` names the record
 * type instead of a list: its decisions apply to any record of that type
 * (a group of rules applied to named inputs).  The checker sets `rec`, the
 * record type of the members; each such decision is a D_FUNCTION of one
 * parameter, the member. */
typedef struct Each {
	const char *var;
	Loc var_loc;
	Node *over;      /* the list, or NULL */
	Node *type_node; /* the record type, when there is no list */
	Loc loc;       /* the whole block, once read */
	TypeDef *rec;  /* NULL until checked, or when `over` is no list of records */
	bool checked;
	int ndecls;         /* the decisions written in it */
	struct Each *outer; /* the parser's: the block this one was (wrongly) written in */
} Each;

typedef struct Decl {
	DeclKind kind;
	const char *name;
	const char *qname; /* module-qualified name, e.g. "voucher.priority" */
	bool private_;
	Loc loc;
	struct Module *module;
	Node *type_node; /* declared result type */
	const Type *type;
	/* D_ENUM, D_RECORD, inline D_FACT record */
	TypeDef *def;
	/* D_FACT: root index; optional/default for scalar facts */
	int fact;
	bool optional;
	Node *dflt;
	/* D_PARAM, D_DECISION, D_TABLE: cases; simple decisions have one default */
	Case *cases;
	int ncases;
	Bracket *brackets; /* D_PARAM of type scale: its brackets, lowest first */
	int nbrackets;
	bool is_table;   /* D_TABLE, or a D_FUNCTION written as a table with parameters;
			  * on a D_RECORD: the output columns of the table of that name */
	HitPolicy hit;
	Node *hit_order; /* hit priority / output order [values]: the explicit order, or NULL */
	Node **inputs;   /* `input a | b`: the columns its rows' cell tests read (kept for tools) */
	int ninputs;
	/* D_FUNCTION */
	Param *params;
	int nparams;
	Node *body;
	int nlocals; /* frame size after checking */
	/* D_CHECK: severity 1 = error, 0 = warning; `for var in kids` form.
	 * D_REQUIRE: name is the reason, cond the condition */
	int severity;
	const char *var;
	Node *over, *cond, *showing;
	/* D_TEST */
	TestStep *steps;
	int nsteps;
	/* D_DOCUMENT: kind (law, regulation ...) and its fields, an N_RECORD;
	 * a decision declared with `view`: how it is presented (timeline) and
	 * which field of its items gives what, an N_RECORD of names */
	const char *doc_kind;
	Loc doc_kind_loc;
	Node *entries;
	const char *view; /* NULL for an ordinary decision */
	Each *each;       /* a decision decided for each member of a list, or NULL */
	Citation *cites;
	int ncites;
	int index; /* decl slot: memo index for params/decisions/tables, function index */
	struct Decl **deps; /* decls and functions this one refers to */
	int ndeps;
	bool checking, checked; /* cycle detection in the checker */
	bool reads_facts;       /* its own body names a fact */
	bool is_share;          /* decimal, compared with a percentage: explained as one */
	signed char fact_free;  /* 1: neither it nor anything it uses reads a fact (0 unknown, -1 no) */
} Decl;

typedef struct Import {
	const char *name;
	const char *alias;
	Loc loc;
	struct Module *mod;
} Import;

typedef struct Module {
	const char *name;
	Loc name_loc;
	bool is_reform; /* `reform NAME`: changes the module NAME (load_reform) */
	const Source *src;
	Import *imports;
	int nimports;
	Decl **decls;
	int ndecls;
} Module;

/* ------------------------------------------------------------- builders */

Node *ast_node(NodeKind k, Loc loc);
Node *ast_node1(NodeKind k, Loc loc, Node *a);
Node *ast_node2(NodeKind k, Loc loc, Node *a, Node *b);
void ast_add(Node *parent, Node *kid);
/* A deep copy of an unchecked tree (a table's input, used in each of its cells). */
Node *ast_clone(const Node *n);
Loc ast_span(Loc a, Loc b);
const char *ast_strdup(const char *s, size_t n);
/* "a" sep "b" (qualified names: "voucher.award"), without printf. */
const char *ast_join(const char *a, char sep, const char *b);
const char *ast_node_kind_name(NodeKind k);

/* Growable arrays of GC pointers or structs, used by the parser and checker. */
void *ast_grow(void *arr, int n, size_t elem);
/* A record's fields by name: ast_index_fields builds the index once the
 * fields are known (large records only); ast_field_slot finds a field's
 * slot (its first declaration), or -1, in constant time where indexed. */
void ast_index_fields(TypeDef *td);
int ast_field_slot(const TypeDef *td, const char *name);
/* Ask the processor to start reading a declaration's tree before a pass
 * walks it.  The parser makes a declaration after the nodes of its
 * expressions, and a load's arena (mem.c) hands out memory in order, so
 * the nodes lie in the few kilobytes before the Decl.  A large rule set's
 * trees do not fit in the cache, and a pass over them waits on memory at
 * nearly every node; prefetching the next declaration's while this one is
 * walked hides most of it.  Only a hint: a prefetch never faults, and a
 * layout that differs costs nothing but the reads. */
static inline void ast_prefetch_decl(const struct Decl *d)
{
	/* the nodes before, the Decl and its one Case after */
	enum { BEFORE = 4096, AFTER = 640, CACHE_LINE = 64 };
	uintptr_t at = (uintptr_t)d;
	for (int q = -BEFORE; q < AFTER; q += CACHE_LINE)
		__builtin_prefetch((const void *)(at + (uintptr_t)(intptr_t)q));
}

#define AST_PUSH(arr, n, val)                                              \
	do {                                                               \
		(arr) = ast_grow((arr), (n), sizeof *(arr));               \
		(arr)[(n)++] = (val);                                      \
	} while (0)

#endif
