/*
 * date.h - calendar dates and durations for Edict.
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before it).  Years 0001 to 9999 only, so every date has
 * an ISO text.  The rules, documented in docs/language.md:
 *   - date - date is a number of days;
 *   - date + N days / weeks moves by 1 or 7 days per unit;
 *   - date + N months / years moves the month and clamps the day to the end
 *     of the target month: 2025-01-31 + 1 month = 2025-02-28,
 *     2024-02-29 + 1 year = 2025-02-28.
 * This module knows nothing of values, types or the VM.
 */
#ifndef EDICT_DATE_H
#define EDICT_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999
#define DATE_TEXT_LEN 10 /* "YYYY-MM-DD" */

typedef int32_t date_t;

/* Strict ISO "YYYY-MM-DD" of exactly 10 characters, a real calendar day.
 * Returns 0 on success, -1 on bad syntax, -2 on a day that does not exist
 * (2025-02-30), -3 on a year outside 1..9999. */
int date_parse(const char *s, size_t n, date_t *out);
int date_valid(int y, int m, int d);
date_t date_from_ymd(int y, int m, int d); /* arguments must be valid */
void date_to_ymd(date_t t, int *y, int *m, int *d);
/* Writes exactly 10 characters plus NUL into buf[11]. */
void date_format(date_t t, char *buf);
int date_days_in_month(int y, int m);
/* 0 on success, -1 if the result leaves years 1..9999. */
int date_add_days(date_t t, int64_t days, date_t *out);
int date_add_months(date_t t, int64_t months, date_t *out);
/* Today in UTC, from the system clock: used only by the command line for the
 * default as-of date; the language itself has no clock. */
date_t date_today(void);

#endif
