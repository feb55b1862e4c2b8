/*
 * test_date.c - unit tests for interp/date.c.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "date.h"

#define DAY_MIN (-719162) /* 0001-01-01 */
#define DAY_MAX 2932896   /* 9999-12-31 */

static date_t ymd(int y, int m, int d)
{
	cr_assert(date_valid(y, m, d), "%04d-%02d-%02d should be valid", y, m, d);
	return date_from_ymd(y, m, d);
}

static date_t parse_ok(const char *s)
{
	date_t t = 0;
	int rc = date_parse(s, strlen(s), &t);

	cr_assert_eq(rc, 0, "parse \"%s\" returned %d", s, rc);
	return t;
}

static int parse_rc(const char *s)
{
	date_t t = 12345;
	int rc = date_parse(s, strlen(s), &t);

	if (rc != 0)
		cr_assert_eq(t, 12345, "failed parse of \"%s\" wrote *out", s);
	return rc;
}

static void assert_text(date_t t, const char *want)
{
	char buf[DATE_TEXT_LEN + 1];

	date_format(t, buf);
	cr_assert_str_eq(buf, want);
}

static void assert_add_months(const char *from, int64_t n, const char *want)
{
	date_t t;

	cr_assert_eq(date_add_months(parse_ok(from), n, &t), 0,
		     "%s + %lld months failed", from, (long long)n);
	assert_text(t, want);
}

static void assert_add_days(const char *from, int64_t n, const char *want)
{
	date_t t;

	cr_assert_eq(date_add_days(parse_ok(from), n, &t), 0,
		     "%s + %lld days failed", from, (long long)n);
	assert_text(t, want);
}

Test(date, epoch)
{
	int y, m, d;

	cr_assert_eq(ymd(1970, 1, 1), 0);
	cr_assert_eq(parse_ok("1970-01-01"), 0);
	date_to_ymd(0, &y, &m, &d);
	cr_assert_eq(y, 1970);
	cr_assert_eq(m, 1);
	cr_assert_eq(d, 1);
	assert_text(0, "1970-01-01");
	assert_text(-1, "1969-12-31");
	assert_text(1, "1970-01-02");
}

Test(date, known_day_numbers)
{
	cr_assert_eq(ymd(1, 1, 1), DAY_MIN);
	cr_assert_eq(ymd(9999, 12, 31), DAY_MAX);
	cr_assert_eq(ymd(2000, 1, 1), 10957);
	cr_assert_eq(ymd(2000, 3, 1), 11017);
	cr_assert_eq(ymd(2024, 2, 29), 19782);
	cr_assert_eq(ymd(1900, 3, 1), -25508);
	cr_assert_eq(ymd(1600, 1, 1), -135140);
	assert_text(DAY_MIN, "0001-01-01");
	assert_text(DAY_MAX, "9999-12-31");
}

/* Every day of the range: day numbers are consecutive, y/m/d advance like a
 * calendar counted by hand, and parse(format(t)) == t. */
Test(date, round_trip_every_day)
{
	int ey = 1, em = 1, ed = 1;
	date_t first = date_from_ymd(1, 1, 1);
	date_t last = date_from_ymd(9999, 12, 31);
	long count = 0;

	cr_assert_eq(first, DAY_MIN);
	cr_assert_eq(last, DAY_MAX);
	for (date_t t = first; t <= last; t++) {
		char buf[DATE_TEXT_LEN + 2];
		int y, m, d, rc;
		date_t back = 0;

		date_to_ymd(t, &y, &m, &d);
		if (y != ey || m != em || d != ed)
			cr_assert_fail("day %d: got %d-%d-%d, want %d-%d-%d",
				       (int)t, y, m, d, ey, em, ed);
		if (date_from_ymd(y, m, d) != t)
			cr_assert_fail("day %d: from_ymd(to_ymd) = %d", (int)t,
				       (int)date_from_ymd(y, m, d));
		if (!date_valid(y, m, d))
			cr_assert_fail("day %d: %d-%d-%d not valid", (int)t, y, m, d);
		memset(buf, 'x', sizeof buf);
		date_format(t, buf);
		if (buf[DATE_TEXT_LEN] != '\0' || strlen(buf) != DATE_TEXT_LEN)
			cr_assert_fail("day %d: bad text length", (int)t);
		rc = date_parse(buf, DATE_TEXT_LEN, &back);
		if (rc != 0 || back != t)
			cr_assert_fail("day %d: parse(\"%s\") = %d, %d", (int)t, buf,
				       rc, (int)back);
		count++;

		/* advance the expected calendar date by hand */
		if (++ed > date_days_in_month(ey, em)) {
			ed = 1;
			if (++em > 12) {
				em = 1;
				ey++;
			}
		}
	}
	cr_assert_eq(count, (long)DAY_MAX - DAY_MIN + 1);
	cr_assert_eq(ey, 10000);
	cr_assert_eq(em, 1);
	cr_assert_eq(ed, 1);
	/* 400 Gregorian years hold 146097 days; 9999 years */
	cr_assert_eq(count, 24 * 146097L + 399 * 365L + 96);
}

Test(date, leap_years)
{
	cr_assert_eq(date_days_in_month(1900, 2), 28);
	cr_assert_eq(date_days_in_month(2000, 2), 29);
	cr_assert_eq(date_days_in_month(2024, 2), 29);
	cr_assert_eq(date_days_in_month(2025, 2), 28);
	cr_assert_eq(date_days_in_month(2100, 2), 28);
	cr_assert_eq(date_days_in_month(2400, 2), 29);
	cr_assert_eq(date_days_in_month(4, 2), 29);
	cr_assert_eq(date_days_in_month(1, 2), 28);
	cr_assert_not(date_valid(1900, 2, 29));
	cr_assert(date_valid(2000, 2, 29));
	cr_assert(date_valid(2024, 2, 29));
	cr_assert_eq(parse_rc("1900-02-29"), -2);
	cr_assert_eq(parse_rc("2000-02-29"), 0);
	cr_assert_eq(parse_rc("2024-02-29"), 0);
	cr_assert_eq(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
	cr_assert_eq(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	cr_assert_eq(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
}

Test(date, days_in_month)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	for (int m = 1; m <= 12; m++)
		cr_assert_eq(date_days_in_month(2023, m), len[m - 1], "month %d", m);
	cr_assert_eq(date_days_in_month(2023, 0), 0);
	cr_assert_eq(date_days_in_month(2023, 13), 0);
}

Test(date, valid)
{
	cr_assert(date_valid(1, 1, 1));
	cr_assert(date_valid(9999, 12, 31));
	cr_assert_not(date_valid(0, 12, 31));
	cr_assert_not(date_valid(10000, 1, 1));
	cr_assert_not(date_valid(2025, 0, 1));
	cr_assert_not(date_valid(2025, 13, 1));
	cr_assert_not(date_valid(2025, 1, 0));
	cr_assert_not(date_valid(2025, 1, 32));
	cr_assert_not(date_valid(2025, 4, 31));
	cr_assert_not(date_valid(INT_MIN, INT_MIN, INT_MIN));
	cr_assert_not(date_valid(INT_MAX, INT_MAX, INT_MAX));
}

Test(date, invalid_dates)
{
	/* days that do not exist */
	cr_assert_eq(parse_rc("2025-02-29"), -2);
	cr_assert_eq(parse_rc("2025-02-30"), -2);
	cr_assert_eq(parse_rc("2025-04-31"), -2);
	cr_assert_eq(parse_rc("2025-13-01"), -2);
	cr_assert_eq(parse_rc("2025-00-10"), -2);
	cr_assert_eq(parse_rc("2025-01-00"), -2);
	cr_assert_eq(parse_rc("2025-01-32"), -2);
	cr_assert_eq(parse_rc("2025-99-99"), -2);

	/* bad syntax */
	cr_assert_eq(parse_rc("2025-1-01"), -1);
	cr_assert_eq(parse_rc("2025-01-1"), -1);
	cr_assert_eq(parse_rc("25-01-01"), -1);
	cr_assert_eq(parse_rc("2025/01/01"), -1);
	cr_assert_eq(parse_rc("2025-01/01"), -1);
	cr_assert_eq(parse_rc("20250101"), -1);
	cr_assert_eq(parse_rc("2025-01-01 "), -1);
	cr_assert_eq(parse_rc("2025-01-01x"), -1);
	cr_assert_eq(parse_rc("2025-01-01T00:00"), -1);
	cr_assert_eq(parse_rc(" 2025-01-01"), -1);
	cr_assert_eq(parse_rc("2025-01-0a"), -1);
	cr_assert_eq(parse_rc("+025-01-01"), -1);
	cr_assert_eq(parse_rc("-025-01-01"), -1);
	cr_assert_eq(parse_rc("2025--1-01"), -1);
	cr_assert_eq(parse_rc("2025-01- 1"), -1);
	cr_assert_eq(parse_rc("12025-01-01"), -1);
	cr_assert_eq(parse_rc(""), -1);
	cr_assert_eq(parse_rc("----------"), -1);

	/* year out of range */
	cr_assert_eq(parse_rc("0000-01-01"), -3);
	cr_assert_eq(parse_rc("0000-02-30"), -3);

	/* the length is n, not strlen: trailing characters beyond n are
	 * ignored, a short n is a syntax error, an embedded NUL is too */
	{
		date_t t = 0;

		cr_assert_eq(date_parse("2025-01-15xyz", 10, &t), 0);
		cr_assert_eq(t, ymd(2025, 1, 15));
		cr_assert_eq(date_parse("2025-01-15", 9, &t), -1);
		cr_assert_eq(date_parse("2025-01-15", 11, &t), -1);
		cr_assert_eq(date_parse("2025-01\0001", 10, &t), -1);
		cr_assert_eq(date_parse(NULL, 10, &t), -1);
		cr_assert_eq(date_parse(NULL, 0, &t), -1);
	}
}

Test(date, parse_edges)
{
	cr_assert_eq(parse_ok("0001-01-01"), DAY_MIN);
	cr_assert_eq(parse_ok("9999-12-31"), DAY_MAX);
	cr_assert_eq(parse_ok("2025-12-31"), ymd(2025, 12, 31));
}

Test(date, format)
{
	assert_text(ymd(2025, 3, 7), "2025-03-07");
	assert_text(ymd(42, 11, 9), "0042-11-09");
	assert_text(ymd(1, 1, 1), "0001-01-01");
	assert_text(ymd(9999, 12, 31), "9999-12-31");
}

Test(date, format_out_of_range_is_bounded)
{
	char buf[DATE_TEXT_LEN + 2];
	date_t odd[] = { INT32_MIN, INT32_MAX, DAY_MIN - 1, DAY_MAX + 1 };

	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		memset(buf, 'x', sizeof buf);
		date_format(odd[i], buf);
		cr_assert_eq(buf[DATE_TEXT_LEN], '\0');
		cr_assert_eq(buf[DATE_TEXT_LEN + 1], 'x');
		cr_assert_eq(strlen(buf), DATE_TEXT_LEN);
	}
}

Test(date, month_clamping)
{
	assert_add_months("2025-01-31", 1, "2025-02-28");
	assert_add_months("2024-01-31", 1, "2024-02-29");
	assert_add_months("2024-02-29", 12, "2025-02-28");
	assert_add_months("2024-02-29", 48, "2028-02-29");
	assert_add_months("2025-03-31", -1, "2025-02-28");
	assert_add_months("2024-03-31", -1, "2024-02-29");
	assert_add_months("2025-05-31", 1, "2025-06-30");
	assert_add_months("2025-01-31", 2, "2025-03-31");
	assert_add_months("2025-01-15", 0, "2025-01-15");
	assert_add_months("2025-01-31", -1, "2024-12-31");
	assert_add_months("2025-01-31", 11, "2025-12-31");
	assert_add_months("2025-01-31", 12, "2026-01-31");
	assert_add_months("2025-01-31", -12, "2024-01-31");
	assert_add_months("2025-01-31", -13, "2023-12-31");
	assert_add_months("2025-12-15", 1, "2026-01-15");
	assert_add_months("2025-10-31", -8, "2025-02-28");
	assert_add_months("2000-02-29", -1200, "1900-02-28");
	assert_add_months("0001-01-01", 119987, "9999-12-01");
	assert_add_months("9999-12-31", -119987, "0001-01-31");
}

Test(date, add_months_bounds)
{
	date_t t = 777;

	cr_assert_eq(date_add_months(DAY_MIN, -1, &t), -1);
	cr_assert_eq(date_add_months(DAY_MAX, 1, &t), -1);
	cr_assert_eq(date_add_months(DAY_MIN, 119988, &t), -1);
	cr_assert_eq(date_add_months(DAY_MAX, -119988, &t), -1);
	cr_assert_eq(date_add_months(ymd(2025, 6, 15), INT64_MAX, &t), -1);
	cr_assert_eq(date_add_months(ymd(2025, 6, 15), INT64_MIN, &t), -1);
	cr_assert_eq(date_add_months(ymd(2025, 6, 15), INT64_MAX / 12, &t), -1);
	cr_assert_eq(date_add_months(ymd(2025, 6, 15), INT64_MIN / 12, &t), -1);
	cr_assert_eq(date_add_months(ymd(2025, 6, 15), (int64_t)INT32_MAX + 1, &t), -1);
	cr_assert_eq(t, 777, "failed add wrote *out");
}

Test(date, add_days)
{
	assert_add_days("2024-12-31", 1, "2025-01-01");
	assert_add_days("2025-01-01", -1, "2024-12-31");
	assert_add_days("2024-12-25", 10, "2025-01-04");
	assert_add_days("2025-01-04", -10, "2024-12-25");
	assert_add_days("2024-02-28", 1, "2024-02-29");
	assert_add_days("2025-02-28", 1, "2025-03-01");
	assert_add_days("2024-01-01", 366, "2025-01-01");
	assert_add_days("2025-01-01", 365, "2026-01-01");
	assert_add_days("1999-12-31", 1, "2000-01-01");
	assert_add_days("1970-01-01", 7, "1970-01-08");
	assert_add_days("1970-01-01", -7, "1969-12-25");
	assert_add_days("2000-01-01", 146097, "2400-01-01");
	assert_add_days("0001-01-01", DAY_MAX - DAY_MIN, "9999-12-31");
	assert_add_days("9999-12-31", -(int64_t)(DAY_MAX - DAY_MIN), "0001-01-01");
	assert_add_days("2025-06-15", 0, "2025-06-15");
}

Test(date, add_days_bounds)
{
	date_t t = 777;

	cr_assert_eq(date_add_days(DAY_MIN, -1, &t), -1);
	cr_assert_eq(date_add_days(DAY_MAX, 1, &t), -1);
	cr_assert_eq(date_add_days(ymd(1, 1, 1), -1, &t), -1);
	cr_assert_eq(date_add_days(ymd(9999, 12, 31), 1, &t), -1);
	cr_assert_eq(date_add_days(DAY_MIN, (int64_t)DAY_MAX - DAY_MIN + 1, &t), -1);
	cr_assert_eq(date_add_days(DAY_MAX, -((int64_t)DAY_MAX - DAY_MIN + 1), &t), -1);
	cr_assert_eq(t, 777, "failed add wrote *out");
	cr_assert_eq(date_add_days(DAY_MIN, 0, &t), 0);
	cr_assert_eq(t, DAY_MIN);
	cr_assert_eq(date_add_days(DAY_MAX, 0, &t), 0);
	cr_assert_eq(t, DAY_MAX);
}

Test(date, huge_arguments)
{
	date_t base = ymd(2025, 6, 15);
	date_t t = 777;
	const int64_t huge[] = {
		INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
		(int64_t)INT32_MAX, (int64_t)INT32_MIN,
		(int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1,
		(int64_t)UINT32_MAX, -(int64_t)UINT32_MAX,
		(int64_t)1 << 62, -((int64_t)1 << 62),
	};

	for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
		cr_assert_eq(date_add_days(base, huge[i], &t), -1, "days #%zu", i);
		cr_assert_eq(date_add_months(base, huge[i], &t), -1, "months #%zu", i);
		cr_assert_eq(date_add_days(DAY_MIN, huge[i], &t), -1);
		cr_assert_eq(date_add_days(DAY_MAX, huge[i], &t), -1);
		cr_assert_eq(date_add_months(DAY_MIN, huge[i], &t), -1);
		cr_assert_eq(date_add_months(DAY_MAX, huge[i], &t), -1);
	}
	cr_assert_eq(t, 777, "failed add wrote *out");
}

Test(date, date_difference)
{
	cr_assert_eq(ymd(2025, 3, 1) - ymd(2025, 2, 1), 28);
	cr_assert_eq(ymd(2025, 1, 1) - ymd(2024, 1, 1), 366);
	cr_assert_eq(ymd(2024, 1, 1) - ymd(2025, 1, 1), -366);
}

Test(date, today)
{
	date_t t = date_today();
	char buf[DATE_TEXT_LEN + 1];
	date_t back;

	/* later than the day this test was written, and a valid date */
	cr_assert_geq(t, ymd(2024, 1, 1));
	cr_assert_leq(t, DAY_MAX);
	date_format(t, buf);
	cr_assert_eq(date_parse(buf, DATE_TEXT_LEN, &back), 0);
	cr_assert_eq(back, t);
}
