/*
 * date.c - calendar dates for Edict (see date.h).
 *
 * Method.  Day numbers count from 1970-01-01 in the proleptic Gregorian
 * calendar.  Conversions use a year that starts on 1 March, so the leap day
 * is the last day of its year and the day of the year follows from the month
 * by a linear formula: with March = 0 .. February = 11, the month mp starts
 * on day (153 * mp + 2) / 5.  Years are grouped into 400-year eras of 146097
 * days each; inside an era the year follows from the day by removing the
 * leap days (one per 4 years, less one per 100, plus one per 400).  Day 0 of
 * era 0 is 0000-03-01, which is 719468 days before 1970-01-01.
 *
 * All intermediate arithmetic is in int64_t with floor division, so any
 * date_t converts without overflow; callers that add days or months get the
 * range check against years 1..9999 before a result is stored.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "date.h"

#include <time.h>

#define ERA_DAYS 146097   /* days in 400 Gregorian years */
#define EPOCH_SHIFT 719468 /* days from 0000-03-01 to 1970-01-01 */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	int mp;

	if (m <= 2)
		y--;
	era = floor_div(y, 400);
	yoe = y - era * 400;                 /* 0 .. 399 */
	mp = (m + 9) % 12;                    /* March = 0 */
	doy = (153 * mp + 2) / 5 + d - 1;     /* 0 .. 365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0 .. 146096 */
	return era * ERA_DAYS + doe - EPOCH_SHIFT;
}

static void civil_from_days(int64_t t, int64_t *y, int *m, int *d)
{
	int64_t z, era, doe, yoe, doy, mp;

	z = t + EPOCH_SHIFT;
	era = floor_div(z, ERA_DAYS);
	doe = z - era * ERA_DAYS;                        /* 0 .. 146096 */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (yoe * 365 + yoe / 4 - yoe / 100);   /* 0 .. 365 */
	mp = (5 * doy + 2) / 153;                        /* 0 .. 11 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t min_day(void)
{
	return days_from_civil(DATE_MIN_YEAR, 1, 1);
}

static int64_t max_day(void)
{
	return days_from_civil(DATE_MAX_YEAR, 12, 31);
}

static int month_len(int64_t y, int m)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void put_digits(char *buf, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int date_parse(const char *s, size_t n, date_t *out)
{
	int y, m, d;

	if (s == NULL || n != DATE_TEXT_LEN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (!is_digit(s[i])) {
			return -1;
		}
	}
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
		return -3;
	if (!date_valid(y, m, d))
		return -2;
	if (out != NULL)
		*out = date_from_ymd(y, m, d);
	return 0;
}

int date_valid(int y, int m, int d)
{
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
		return 0;
	if (m < 1 || m > 12)
		return 0;
	return d >= 1 && d <= month_len(y, m);
}

date_t date_from_ymd(int y, int m, int d)
{
	return (date_t)days_from_civil(y, m, d);
}

void date_to_ymd(date_t t, int *y, int *m, int *d)
{
	int64_t yy;
	int mm, dd;

	civil_from_days(t, &yy, &mm, &dd);
	if (y != NULL)
		*y = (int)yy;
	if (m != NULL)
		*m = mm;
	if (d != NULL)
		*d = dd;
}

void date_format(date_t t, char *buf)
{
	int64_t y;
	int m, d;

	civil_from_days(t, &y, &m, &d);
	/* Out-of-range day numbers still give 10 characters: the year is
	 * written modulo 10000 (a caller bug, but never an overrun). */
	y %= 10000;
	if (y < 0)
		y += 10000;
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[DATE_TEXT_LEN] = '\0';
}

int date_days_in_month(int y, int m)
{
	return month_len(y, m);
}

int date_add_days(date_t t, int64_t days, date_t *out)
{
	int64_t lo = min_day() - t;
	int64_t hi = max_day() - t;

	if (days < lo || days > hi)
		return -1;
	if (out != NULL)
		*out = (date_t)(t + days);
	return 0;
}

int date_add_months(date_t t, int64_t months, date_t *out)
{
	/* Any move of more than the whole range fails; this bound also keeps
	 * the month count below far from int64 overflow. */
	const int64_t span = (int64_t)(DATE_MAX_YEAR - DATE_MIN_YEAR + 1) * 12;
	int64_t y, total, ny;
	int m, d, nm, len;

	if (months < -span || months > span)
		return -1;
	civil_from_days(t, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	ny = floor_div(total, 12);
	nm = (int)(total - ny * 12) + 1;
	if (ny < DATE_MIN_YEAR || ny > DATE_MAX_YEAR)
		return -1;
	len = month_len(ny, nm);
	if (d > len)
		d = len;
	if (out != NULL)
		*out = (date_t)days_from_civil(ny, nm, d);
	return 0;
}

date_t date_today(void)
{
	/* POSIX time has 86400 seconds a day, so the day number is a floor
	 * division: no calendar, and no time zone file read (gmtime_r reads
	 * one on its first call, seven system calls at every start-up). */
	time_t now = time(NULL);
	int64_t day;

	if (now == (time_t)-1)
		return 0;
	day = floor_div((int64_t)now, 86400);
	if (day < min_day() || day > max_day())
		return 0;
	return (date_t)day;
}
