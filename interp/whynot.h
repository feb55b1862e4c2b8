/*
 * whynot.h - "why not?": the smallest change of facts that would flip a
 * yes/no decision.
 *
 * The analysis walks the checked tree of the decision (and of the yes/no
 * decisions it uses): and/or/not, comparisons of a fact with a value the
 * rules compute, `in` lists, the cases of decisions and tables.  From the
 * current values it proposes changes ("company.us_export_share = 10%"),
 * plus the dates on which a dated parameter or case changes, and keeps only
 * the proposals that really flip the decision when it is evaluated again in
 * a scratch context.  Nothing is printed; the REPL shows the text.
 */
#ifndef EDICT_WHYNOT_H
#define EDICT_WHYNOT_H

#include "format.h"
#include "vm.h"

/* At most this many alternative answers are shown. */
#define WHYNOT_MAX_ANSWERS 4

/* Explain what would make decision `decl` (a bool decision or table) come
 * out as `want`, for the facts and date of `base`, which is not changed.
 * Writes sentences for a policy officer to out.  Returns ST_OK, or the
 * status of an evaluation that failed (ST_INTERRUPTED when c->interrupt
 * was raised), with the message in *err. */
int whynot_explain(const Ctx *base, int decl, bool want, Buf *out, const char **err);

#endif
