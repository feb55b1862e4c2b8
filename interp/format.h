/*
 * format.h - values as text: Edict notation and JSON.
 *
 * Results print in the notation of the rule files (50000000 KRW, 14%,
 * 2026-12-01, 14 days, [1, 2], {task: 1}), so an officer can paste them
 * back; JSON output follows the contract in docs/language.md (money
 * "50000000 KRW", percent "14%", unknown null).
 */
#ifndef EDICT_FORMAT_H
#define EDICT_FORMAT_H

#include <stdbool.h>

#include "buf.h"
#include "program.h"

/* Edict notation. */
void fmt_value(const Program *p, Value v, Buf *b);
const char *fmt_value_str(const Program *p, Value v);
/* JSON. */
void fmt_json(const Program *p, Value v, Buf *b);
/* Parts used by both. */
void fmt_scalar_text(Value v, Buf *b); /* money, percent, duration, hs: the text inside JSON quotes */

#endif
