/*
 * whatif.h - why-not and what-if for services: the analyses of the REPL's
 * `why not` and `what if`, on evaluation contexts of the C interface, with
 * their answers as JSON.
 */
#ifndef EDICT_WHATIF_H
#define EDICT_WHATIF_H

#include "edict.h"
#include "format.h"
#include "vm.h"

/* What would make the yes/no decision `decision` flip (or, when it is
 * unknown, come out true) for ctx's facts and date:
 *   {"decision":"voucher.priority","value":false,"want":true,
 *    "answer":"voucher.priority is false.\nIt would be true if ..."}
 * Returns an EDICT_* status; on failure *err says why (an unknown or
 * not-yes/no decision is EDICT_EUSAGE). */
int whatif_whynot_json(edict_ctx *ctx, const char *decision, Buf *out, const char **err);

/* The public decisions that differ between two contexts of the same rule
 * set (before and after a change), each with the reasons: the conditions
 * that now hold or fail, the facts and decisions it read that changed, the
 * case that now applies.
 *   {"changes":[{"decision":"voucher.priority","before":false,"after":true,
 *     "before_text":"false","after_text":"true","reasons":["..."]}]}
 * Returns an EDICT_* status; on failure *err says why. */
int whatif_compare_json(edict_ctx *before, edict_ctx *after, Buf *out, const char **err);

/* The lines of reasons why decision d differs between two traced
 * evaluations a and b of one program ("    company.us_export_share: 8% ->
 * 12%"), each with the indent `in` and a newline: the REPL's and the
 * service's what-if share them. */
void whatif_reasons(const Ctx *a, const Ctx *b, int d, const char *in, Buf *out);

#endif
