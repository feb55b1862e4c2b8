/*
 * builtins.h - the builtin functions, one table.
 *
 * Each entry says everything about one builtin: its name, how many
 * arguments it takes, its type rule (what its arguments must be and what it
 * gives), its implementation and what it costs in steps.  The checker
 * (check.c) reads the type rule, the code generator (compile.c) the
 * accumulator kind, the VM (vm.c) and the constant folder (fold.c) call the
 * implementation through bi_call.  Adding a builtin is one function and one
 * entry in builtins.c, as jq's function_list and Wren's primitives are.
 */
#ifndef EDICT_BUILTINS_H
#define EDICT_BUILTINS_H

#include "ctx.h"

/* Sets of type kinds (TypeKind, ast.h) that an argument may have. */
#define BK(k) (1u << (k))
#define BK_NUM (BK(TY_INT) | BK(TY_DEC) | BK(TY_PCT))
#define BK_ORDERED (BK_NUM | BK(TY_MONEY) | BK(TY_DATE) | BK(TY_DUR) | BK(TY_STR))

/* What an argument must be. */
typedef enum BiForm {
	BA_VALUE,  /* a value whose kind is in `kinds` (0: any) */
	BA_EXACT,  /* a value of exactly `type`, described as `need` ("the first date") */
	BA_ITEMS,  /* a list or a generator (x for x in xs) whose items' kinds are in `kinds` */
	BA_LIST,   /* a list whose items' kinds are in `kinds`; an empty list gives itself */
	BA_SPREAD  /* like BA_ITEMS when it is the only argument, else any number of
		    * arguments of one type whose kind is in `kinds` */
} BiForm;

typedef struct BiArg {
	BiForm form;
	unsigned kinds;   /* BK_ set; 0: any */
	const Type *type; /* BA_EXACT */
	const char *need; /* "numbers or amounts": "<name> needs <need>, not <type>" */
} BiArg;

/* What the call gives. */
typedef enum BiResult {
	BR_ITEM,    /* the type of the items (or of the spread arguments) */
	BR_ARG,     /* the type of the first argument */
	BR_ROUNDED, /* round: a whole number without places, else the first argument's type */
	BR_TYPE,    /* `type` */
	BR_LIST,    /* a list of `type` */
	BR_SCALE,   /* a scale builtin (scale.h): the checker types it by the scale and the base */
	BR_NUMERIC  /* a whole number when every argument is one, else the first argument's
		     * type (a decimal for a whole number): modulo(7, 2) is 1, modulo(7, 2.5) 2.0 */
} BiResult;

/* How many steps a call costs beyond its instruction: the budget is spent
 * before the work starts, so a call too big for the limit does none of it. */
typedef enum BiCost {
	BC_ONE,   /* constant work: the instruction's step */
	BC_TEXT,  /* one step per byte of text (a list's length is known) */
	BC_ITEMS, /* one step per item of the first argument */
	BC_SORT,  /* n log2 n steps for n items */
	BC_MADE   /* one step per item made, spent by the implementation once it
		   * knows how many (range) */
} BiCost;

enum {
	BI_AT_CALL = 1, /* a wrong kind is reported at the call, not at the argument */
	BI_LENIENT = 2, /* a wrong argument still gives the result's type */
	BI_ZERO = 4     /* gets the zero of its items as a hidden last argument (sum) */
};

typedef struct BuiltinDef BuiltinDef;

/* An implementation: a[0..argc-1] are known (bi_call sees to unknowns);
 * returns ST_OK with *out set, or a status with the error in c. */
typedef int (*BiFn)(Ctx *c, const BuiltinDef *b, const Value *a, int argc, Value *out);

struct BuiltinDef {
	const char *name;
	int lo, hi;    /* fewest and most arguments; hi < 0: any number */
	BiArg arg[2];  /* the arguments' rules (a third and later repeat the last) */
	BiResult result;
	const Type *type; /* BR_TYPE, BR_LIST */
	int flags;     /* BI_ */
	int acc;       /* over a generator: the accumulator kind (opcodes.h ACC_) */
	BiCost cost;
	BiFn fn;
};

extern const BuiltinDef bi_table[];
extern const int bi_count;

/* The index of the builtin called `name`, or -1. */
int bi_lookup(const char *name);

/* Call builtin b: an unknown argument makes the result unknown for the
 * facts of all of them; otherwise its steps are spent and it runs.
 * Returns ST_OK, or a status with the error recorded in c. */
int bi_call(Ctx *c, int b, const Value *a, int argc, Value *out);

#endif
