/*
 * explain.h - how a decision was reached, from the trace of an evaluation.
 *
 * In explain mode the VM runs the traced chunks, which record the case that
 * applied, each condition with its value, each fact read and each decision
 * used.  This module turns that record into the text of `edict eval
 * --explain` and the JSON form documented in docs/explain.md.
 */
#ifndef EDICT_EXPLAIN_H
#define EDICT_EXPLAIN_H

#include "format.h"
#include "vm.h"

/* decl: the decision explained, or for a query expression the (negative)
 * top_frame it ran with; label names it. */
/* seen: one byte per decision, shared across calls so a decision explained
 * for an earlier query is referred to rather than repeated; NULL for none. */
void explain_text(const Ctx *c, int decl, const char *label, Value v, Buf *out, unsigned char *seen);
void explain_json(const Ctx *c, int decl, const char *label, Value v, Buf *out);
/* What the trace says about one decision (or query frame, or function
 * call): the case that applied, the last value of each condition, fact and
 * decision it read, and the functions it called (each call apart, calls
 * alike once).  Explanations leave out the conditions tested for the items
 * of a loop or inside a called function, unless the context asks for them
 * in full; explain_summarize keeps every one, and joins what each call
 * read to its caller's (calls stays empty). */
typedef struct ExplainSum {
	int kase;
	const TraceEv **conds, **facts, **uses, **calls, **notes;
	int nconds, nfacts, nuses, ncalls, nnotes;
} ExplainSum;
void explain_summarize(const Ctx *c, int frame, ExplainSum *s);
/* The condition a TR_COND event records, and its source text: a query's
 * own nodes are found through the Own its frame ran with (ctx_frame_own). */
const Node *explain_cond(const Ctx *c, const TraceEv *e);
const char *explain_cond_text(const Ctx *c, const TraceEv *e);
/* "exception 'fast'", "row 2", "the value from 2025-05-01" ... */
const char *explain_case_name(const Decl *d, int i);

/* A citation of a declared document as a JSON object: the document's
 * name, kind, title, issuer, date, version and reference, the pinpoint and
 * the quote (null when absent). */
void explain_citation_json(Buf *b, const Citation *c);

/* The facts an unknown value is waiting for, as a JSON array / text list. */
void explain_missing_json(Value v, Buf *out);

#endif
