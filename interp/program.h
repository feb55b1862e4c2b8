/*
 * program.h - a checked and compiled rule set.
 *
 * The Program is what the pipeline produces and what the VM runs: the
 * modules with their checked trees, the global tables (types, fact roots,
 * decisions, functions, checks, tests) and one bytecode Chunk per decision
 * and function, in two flavours: plain, and with explanation tracing.
 * Once built it is never modified, so many threads may evaluate it at once.
 */
#ifndef EDICT_PROGRAM_H
#define EDICT_PROGRAM_H

#include "ast.h"
#include "diag.h"
#include "value.h"

/* Builtin functions: name, fewest and most arguments (-1: any number). */
#define EDICT_BUILTINS(X)                                                       \
	X(MIN, "min", 1, -1)                                                    \
	X(MAX, "max", 1, -1)                                                    \
	X(SUM, "sum", 1, 1)                                                     \
	X(COUNT, "count", 1, 1)                                                 \
	X(ALL, "all", 1, 1)                                                     \
	X(ANY, "any", 1, 1)                                                     \
	X(LENGTH, "length", 1, 1)                                               \
	X(SORT, "sort", 1, 1)                                                   \
	X(DISTINCT, "distinct", 1, 1)                                           \
	X(ABS, "abs", 1, 1)                                                     \
	X(ROUND, "round", 1, 2)                                                 \
	X(FLOOR, "floor", 1, 2)                                                 \
	X(CEIL, "ceil", 1, 2)                                                   \
	X(AMOUNT, "amount", 1, 1)                                               \
	X(CHAPTER, "chapter_of", 1, 1)                                          \
	X(HEADING, "heading_of", 1, 1)                                          \
	X(YEAR, "year_of", 1, 1)                                                \
	X(MONTH, "month_of", 1, 1)                                              \
	X(DAY, "day_of", 1, 1)                                                  \
	X(RANGE, "range", 2, 2)                                                 \
	X(DAYS_BETWEEN, "days_between", 2, 2)                                   \
	X(AS_PERCENT, "as_percent", 1, 1)                                       \
	X(CHANGES_HEADING, "changes_heading", 2, 2)                             \
	X(CURRENCY, "currency_of", 1, 1)

typedef enum Builtin {
#define X(id, name, lo, hi) B_##id,
	EDICT_BUILTINS(X)
#undef X
	B__COUNT
} Builtin;

extern const char *const builtin_names[B__COUNT];

/* How PICK chooses among the cases of a decision or the rows of a table. */
typedef enum PickMode {
	PICK_PRECEDENCE, /* decisions and params: exceptions override defaults */
	PICK_UNIQUE,     /* table hit unique */
	PICK_FIRST       /* table hit first */
} PickMode;

typedef struct CaseTab {
	PickMode mode;
	int n;
	int first_slot;       /* conditions are in L[first_slot ..] */
	int *target;          /* body address of each case */
	int end;              /* address after the bodies */
	bool *is_default;
	/* Which case beats which, in space linear in the cases: every
	 * exception (or table row) beats every default; a default beats the
	 * defaults of a lower rank (rank: 0 undated, else the order of its
	 * `from` date); an exception beats the exceptions it reaches through
	 * `overrides` (over_start/over: the overrides of case i are
	 * over[over_start[i] .. over_start[i + 1]), NULL when there are none). */
	int *rank;
	int *over_start;
	int *over;
} CaseTab;

typedef struct Chunk {
	uint32_t *code;
	Loc *locs; /* one per word */
	int n, cap;
	Value *k;
	int nk, kcap;
	int nlocals;
	int nargs;
	CaseTab **cases;
	int ncases;
	const char *name;
	struct Decl *decl;
} Chunk;

typedef struct Tmpl Tmpl;

typedef struct Program {
	Diags *diags;
	Module **mods;
	int nmods;
	TypeDef **types;
	int ntypes;
	Decl **facts; /* fact roots, by index */
	int nfacts;
	Decl **decls; /* params, decisions and tables: memo slots */
	int ndecls;
	unsigned char *keep; /* per decl: reads no facts, so a value may outlive an evaluation */
	Decl **funcs;
	int nfuncs;
	Decl **checks;
	int nchecks;
	Decl **tests;
	int ntests;
	Decl **docs; /* the documents the rules cite (cite.h) */
	int ndocs;
	Chunk **dchunk, **dchunk_tr; /* per decl: plain, and traced (compiled on first use: cg_traced) */
	Chunk **fchunk, **fchunk_tr; /* per function, likewise */
	Node **nodes; /* every expression node by id, for explanations */
	int nnodes;
	struct Chk *chk; /* the checker's lookup tables, for queries */
	struct Tmpl **fact_tmpl; /* per fact root: its absent values, built once (facts.c) */
} Program;

/* Types shared by the checker, the facts loader and the printer. */
extern const Type ty_error, ty_bool, ty_int, ty_dec, ty_money, ty_pct, ty_date, ty_dur, ty_str, ty_hs, ty_empty;
const Type *ty_list(const Type *elem);
const Type *ty_money_in(uint16_t cur);
const Type *ty_named(TypeDef *def);
bool ty_equal(const Type *a, const Type *b);
/* A name for the type in messages: "money in KRW", "list of task". */
const char *ty_name(const Type *t);

/* Look a decision, param, table or function up by qualified name
 * ("voucher.priority"), or by its bare name when that is unique. */
Decl *prog_find_decl(const Program *p, const char *name);
Decl *prog_find_fact(const Program *p, const char *name);
/* The text of a node's source span (for explanations). */
const char *prog_node_text(const Program *p, const Node *n);

#endif
