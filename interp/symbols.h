/*
 * symbols.h - what an editor asks of a rule set: which name stands where,
 * what it refers to, and what it is.
 *
 * sym_index walks the checked trees of a Program (one with errors too: the
 * declarations that parsed are checked and annotated) and records every
 * declared thing (a Sym) and every place a name stands for one (a SymUse):
 * its declaration, its uses, module prefixes and the paths of a test's
 * `given`.  Go to definition, find references, rename, hover, document and
 * workspace symbols, completion and semantic highlighting are all answered
 * from it (the language server, cli/lsp.c).  Nothing here prints.
 */
#ifndef EDICT_SYMBOLS_H
#define EDICT_SYMBOLS_H

#include "format.h"
#include "program.h"

typedef enum SymKind {
	SK_MODULE,
	SK_ENUM,
	SK_RECORD,
	SK_MEMBER,
	SK_FIELD,
	SK_FACT,
	SK_PARAM,
	SK_DECISION,
	SK_TABLE,
	SK_FUNCTION,
	SK_ARG,   /* a function's parameter */
	SK_LOCAL, /* let, for */
	SK_CHECK,
	SK_TEST,
	SK_BUILTIN,
	SK_KEYWORD, /* completion only */
	SK_CURRENCY, /* completion only */
	SK_DOCUMENT  /* a policy document the rules cite */
} SymKind;

typedef struct Sym {
	SymKind kind;
	const char *name;  /* as declared */
	const char *qname; /* for people: voucher.priority, company.us_export_share */
	Loc loc;           /* the name where it is declared (file NULL: nowhere) */
	const Source *src; /* the file it is declared in */
	Decl *decl;        /* the declaration it is, or is declared in */
	TypeDef *def;      /* enum, record, member, field; a fact with its own record */
	int idx;           /* member or field index */
	const Type *type;
	struct Sym *parent; /* a member's enum, a field's record or fact */
} Sym;

typedef struct SymUse {
	Loc loc; /* the name itself; of a qualified name, its last part */
	Sym *sym;
	bool def; /* the declaration, not a use */
} SymUse;

typedef struct SymIndex {
	const Program *p;
	Sym **syms; /* every declared thing, in the order of the files */
	int nsyms;
	SymUse *uses;
	int nuses;
} SymIndex;

/* Index a checked program (errors allowed). */
SymIndex *sym_index(const Program *p);
/* The use at a place (line and byte column from 1), or NULL. */
const SymUse *sym_at(const SymIndex *ix, const char *file, int line, int col);
/* "decision", "parameter", "enumeration member" ... */
const char *sym_kind_name(SymKind k);
/* Hover text in Markdown: the kind and type, the comment above the
 * declaration, its citations with their quotes, a parameter's dated values. */
char *sym_hover(const SymIndex *ix, const Sym *s);
/* The comment lines right above line `line` of src, without their '#'
 * (NULL when there are none). */
const char *sym_doc(const Source *src, int line);

/* Completion: the candidates after `before`, the text of the line up to
 * the cursor, in file `file`: after `a.b.` the fields, members or
 * declarations that `a.b` has; otherwise keywords, declarations, facts,
 * members, types, builtins and currency codes. */
typedef struct SymCand {
	const char *label;
	SymKind kind;
	const char *detail; /* a type, or NULL */
} SymCand;
int sym_complete(const SymIndex *ix, const char *file, const char *before, SymCand **out);

/* Is s a name that may be declared (a word that is not a keyword nor a
 * currency code)?  For rename. */
bool sym_valid_name(const char *s);

#endif
