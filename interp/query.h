/*
 * query.h - questions asked of a compiled rule set from outside it:
 * `--query` texts, REPL lines, API calls, and the rule files' own tests and
 * checks.
 */
#ifndef EDICT_QUERY_H
#define EDICT_QUERY_H

#include "coverage.h"
#include "format.h"
#include "vm.h"

typedef struct Query {
	const char *text;
	Node *expr;
	const Type *type;
	int decl; /* the decision the query names, or -1 for an expression */
	Chunk *plain, *traced;
	VmTask task; /* what the VM runs outside explain mode */
	/* its nodes and its source: the program never holds them, so they go
	 * with the query; own->diags also finds the program's sources, for
	 * quoting a runtime error wherever it is */
	Own *own;
} Query;

/* Parse, check and compile a query.  NULL after reporting to d.
 * name labels the source in messages ("--query", "<repl>").  The program
 * does not grow (Own), but the checker's state is written: a host sharing
 * the program between threads compiles under a lock (api.c). */
Query *query_compile(Program *p, const char *text, const char *name, Diags *d);
/* Evaluate; the traced chunk runs when c->trace is set, its trace filed
 * under c->top_frame with the query's own nodes (ctx_frame_own). */
int query_run(Ctx *c, const Query *q, Value *out);
/* Evaluate qs[0..n) in order, as query_run each, out[i] the value of
 * qs[i], under one protected call where no explanation is recorded: ST_OK,
 * or the status of the first that fails, *failed its index (the ones after
 * it are not run). */
int query_run_many(Ctx *c, const Query *const *qs, int n, Value *out, int *failed);

/* Run every test of the rule set; writes a line per test and a closing
 * "N passed, N failed" line.  Returns the number failed. */
int query_run_tests(Program *p, Buf *out, bool color, int *passed);
/* The same, counting what the tests exercise into cov (coverage.h). */
int query_run_tests_cov(Program *p, Buf *out, bool color, int *passed, Coverage *cov);
/* The same for only the tests written in the files named files[0..n): a
 * reform's own tests, run over the rules it changes (load_reform). */
int query_run_tests_in(Program *p, const char *const *files, int n, Buf *out, bool color, int *passed);

/* Run one test of a program without errors: NULL when it passes, else why
 * it fails, with *where the step that failed. */
const char *query_run_test(Program *p, Decl *t, Loc *where);

/* Run every check.  Failures become diagnostics (error or warning, as the
 * check says) at the check's location.  Returns the number of failed
 * checks of error severity. */
int query_run_checks(Program *p, date_t as_of, Diags *d);

/* Whether the facts loaded in c satisfy the rules' requirements (`require`).
 * ST_OK when every condition holds or cannot be decided for facts not given;
 * ST_FACTS for the first that is false, with *msg saying which, what the
 * facts were, and the source it cites, *where the requirement's place and
 * *cite its citation (NULL when it has none); another status (and c->errmsg)
 * when a condition could not be evaluated. */
int query_requires(Ctx *c, const char **msg, Loc *where, const char **cite);
/* The same, counting each check that ran and held into cov. */
int query_run_checks_cov(Program *p, date_t as_of, Diags *d, Coverage *cov);

#endif
