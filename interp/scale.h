/*
 * scale.h - bracket schedules: a `scale` parameter's brackets, dated one
 * by one, and the builtins that compute with them (scale.c).
 */
#ifndef EDICT_SCALE_H
#define EDICT_SCALE_H

#include "ctx.h"

/* The constant the compiler gives a checked scale parameter: for each
 * bracket, the dated values of its threshold and of its rate or amount. */
Value scale_describe(const Decl *d);

/* Of a bracket's dated values, [[from, until, value], ...], the index of the
 * one in force on `day`: of those whose dates hold it, the one with the
 * latest `from` (an undated one is the earliest), as for a parameter's
 * values; -1 when none is. */
int scale_pick(const List *dated, date_t day);

/* The brackets of a description in force on c's as-of date, lowest first:
 * [[threshold, rate or amount], ...].  ST_OK, or a runtime error (no
 * bracket in force, or a threshold without its rate) recorded in c. */
int scale_in_force(Ctx *c, Value desc, Value *out);

/* What the builtins of scales ask (builtins.c: marginal_tax, marginal_rate,
 * average_rate, bracket_amount) of a scale's brackets in force, for a base. */
typedef enum ScaleAsk { SCALE_TAX, SCALE_RATE, SCALE_AVERAGE, SCALE_AMOUNT } ScaleAsk;
int scale_ask(Ctx *c, ScaleAsk ask, const List *brackets, Value base, Value *out);

#endif
