/*
 * diag.h - diagnostics: errors and warnings with their source location.
 *
 * Every stage (lexer, parser, checker, facts loader, VM) reports through a
 * Diags list; nothing prints.  diag_render gives the one message shape used
 * everywhere:
 *     rules/voucher.edict:12:9: error: unknown fact 'company.us_share'
 *        12 |   eligible and company.us_share >= priority_share
 *           |                ^^^^^^^^^^^^^^^^
 * followed by any hint ("did you mean ...").
 */
#ifndef EDICT_DIAG_H
#define EDICT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

#include "ast.h"

typedef enum Severity { SEV_ERROR, SEV_WARNING, SEV_NOTE } Severity;

/* Another place a diagnostic concerns (the first of two declarations, a
 * step of a circle), for editors; the message says it in words too. */
typedef struct DiagRel {
	Loc loc;
	const char *msg;
} DiagRel;

typedef struct Diag {
	Severity sev;
	Loc loc;         /* loc.file == NULL: no location (command-line input) */
	const char *msg;
	const char *hint; /* or NULL */
	const char *fix;  /* the name a "did you mean 'x'?" suggests, or NULL */
	DiagRel *related;
	int nrelated;
} Diag;

typedef struct Diags {
	Diag *items;
	int n;
	int nerrors, nwarnings;
	const Source **sources;
	int nsources;
	const struct Diags *parent; /* where sources not found here are looked for (NULL: nowhere) */
	int max_errors; /* stop recording after this many errors (0 = 100) */
	Diag sink;      /* takes the hints of diagnostics past the budget */
} Diags;

#define DIAG_MAX_WARNINGS 1000 /* warnings kept; the rest are counted */

Diags *diag_new(void);
void diag_add_source(Diags *d, const Source *src);
const Source *diag_find_source(const Diags *d, const char *file);
Diag *diag_add(Diags *d, Severity sev, Loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
Diag *diag_vadd(Diags *d, Severity sev, Loc loc, const char *fmt, va_list ap);
void diag_hint(Diag *dg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_related(Diag *dg, Loc loc, const char *msg);
/* Render one diagnostic with the quoted line and carets (color: ANSI). */
char *diag_render(const Diags *d, const Diag *dg, bool color);
const char *diag_severity_name(Severity s);
/* The diagnostics in the order of the text: by file, line and column. */
const Diag **diag_sorted(const Diags *d);

/* printf into a fresh GC string. */
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvprintf(const char *fmt, va_list ap);

/* The closest of `n` candidate names to `name`, or NULL if none is close:
 * used for "did you mean ...?" hints. */
const char *diag_closest(const char *name, const char *const *cands, int n);

#endif
