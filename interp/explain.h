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
/* The facts an unknown value is waiting for, as a JSON array / text list. */
void explain_missing_json(Value v, Buf *out);

#endif
