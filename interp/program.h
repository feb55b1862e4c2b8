/*
 * program.h - a checked and compiled rule set.
 *
 * The Program is what the pipeline produces and what the VM runs: the
 * modules with their checked trees, the global tables (types, fact roots,
 * decisions, functions, checks, tests) and one bytecode Chunk per decision
 * and function, in two flavours: plain, and with explanation tracing.
 * What the load builds is never modified after it, so many threads may
 * evaluate it at once; the few caches that grow later are set apart at the
 * end of the struct, each with its rule for threads.
 */
#ifndef EDICT_PROGRAM_H
#define EDICT_PROGRAM_H

#include "ast.h"
#include "diag.h"
#include "value.h"

/* How deep decisions and functions may call each other in an evaluation;
 * the checker warns of a chain of uses longer than that. */
#define VM_MAX_DEPTH 200

/* How PICK chooses among the cases of a decision or the rows of a table. */
typedef enum PickMode {
	PICK_PRECEDENCE, /* decisions and params: exceptions override defaults */
	PICK_UNIQUE,     /* table hit unique */
	PICK_FIRST,      /* table hit first */
	PICK_GATHER      /* a gathering table: HIT reduces the rows that apply */
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
	/* tables */
	HitPolicy hit;
	bool has_default;     /* PICK_GATHER: a default row's value follows HIT */
	Value order;          /* hit priority / output order: the values, highest first; unknown: the enum's order */
	Value zero;           /* hit sum: the zero of the table's kind (0 KRW) */
} CaseTab;

typedef struct Chunk {
	uint32_t *code;
	Loc *locs; /* one per word */
	int n, cap;
	Value *k;
	int nk, kcap;
	int nlocals;
	int maxstack; /* the most values on the stack above the locals (cg_max_stack) */
	int nargs;
	CaseTab **cases;
	int ncases;
	const char *name;
	struct Decl *decl;
} Chunk;

typedef struct Tmpl Tmpl;

typedef struct Program {
	/* ---- built by the load (load.c: check, compile, facts_prepare), then read-only */
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
	Decl **requires; /* what the facts must satisfy (query_requires) */
	int nrequires;
	Chunk **rchunk;  /* per requirement: its condition's bytecode */
	Decl **tests;
	int ntests;
	/* the files under the paths that start `reform NAME`: not part of
	 * the rules, but loaded over them one at a time (load_reform) by
	 * `edict test` and `edict check` */
	const Source **reforms;
	int nreforms;
	Decl **docs; /* the documents the rules cite (cite.h) */
	int ndocs;
	Chunk **dchunk; /* per decl: its bytecode; NULL for a load without code (load_paths_checked) */
	bool folded;    /* its trees are folded (cg_fold_program) */
	Chunk **fchunk; /* per function */
	struct Tmpl **fact_tmpl; /* per fact root: its absent values (facts.c) */

	/* ---- the caches that grow after the load; each says how it stays
	 * safe for threads sharing the program */
	/* Explain-mode chunks, per decl and per function, compiled on first use
	 * (cg_traced): a whole chunk is built, then published with an atomic
	 * store; two threads may both build one, and either stays. */
	Chunk **dchunk_tr, **fchunk_tr;
	/* Every expression node of the rules by id, for explanations, and the
	 * sources with their diagnostics: complete after the load.  What is
	 * checked later (a query, the REPL's `set`, a fact's Edict value) keeps
	 * its nodes and source in an Own of its own, so that they go when it
	 * goes.  Checking it uses the checker's tables and state in chk: a
	 * host that shares the program between threads checks under a write
	 * lock (api.c). */
	Node **nodes;
	int nnodes;
	Diags *diags;
	struct Chk *chk;
	/* Machine code of the decisions and functions (native.h), or NULL:
	 * set once by native_compile, whole, while other threads may be
	 * evaluating (they read it with prog_native), then read-only. */
	const struct Native *native;
} Program;

/* p's machine code, or NULL: an evaluation that finds it runs there, one
 * that started before it was published runs the interpreter (and the two
 * may mix within an evaluation: they do the same thing). */
static inline const struct Native *prog_native(const Program *p)
{
	return __atomic_load_n(&p->native, __ATOMIC_ACQUIRE);
}

/* What an expression checked after the load owns instead of adding it to
 * the program: its nodes, numbered from the program's nnodes up, and its
 * source, in a list of its own whose lookups go on to the program's. */
typedef struct Own {
	Node **nodes;
	int nnodes;
	Diags *diags;
} Own;

/* An Own for an expression written in src (NULL: none). */
Own *prog_own(const Program *p, const Source *src);
/* The node numbered id: the program's, else o's; NULL for an id neither has. */
const Node *prog_node(const Program *p, const Own *o, int id);

/* Types shared by the checker, the facts loader and the printer. */
extern const Type ty_error, ty_bool, ty_int, ty_dec, ty_money, ty_pct, ty_date, ty_dur, ty_str, ty_hs, ty_empty;
const Type *ty_list(const Type *elem);
/* `elem over time`: a fact's dated values. */
const Type *ty_series(const Type *elem);
const Type *ty_money_in(uint16_t cur);
const Type *ty_named(TypeDef *def);
bool ty_equal(const Type *a, const Type *b);
/* The zero of a sum of values of type t (0 KRW, 0%, 0 days). */
Value ty_zero(const Type *t);
/* A name for the type in messages: "money in KRW", "list of task". */
const char *ty_name(const Type *t);

/* Look a decision, param, table or function up by qualified name
 * ("voucher.priority"), or by its bare name when that is unique. */
Decl *prog_find_decl(const Program *p, const char *name);
Decl *prog_find_fact(const Program *p, const char *name);
/* How a message names case i of a decision, row i of a table, value i of a
 * param: "exception 'fast_track' (line 12)". */
const char *prog_case_label(const Decl *d, int i);
/* The text of a node's source span (for explanations). */
const char *prog_node_text(const Program *p, const Node *n);
/* The same for a node that may be o's, read from o's source (o may be NULL). */
const char *prog_own_text(const Program *p, const Own *o, const Node *n);

#endif
