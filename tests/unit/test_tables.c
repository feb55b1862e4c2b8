/*
 * test_tables.c - unit tests for interp/tables.c: the overlap and gap
 * analysis of decision tables, run by every load.
 *
 * Rows of a `hit unique` table that can both apply are reported with a
 * case where they do; a single-input table with a value no row covers is
 * reported with that value, and a table over several inputs with the
 * combination of values; `hit first` tables and rows that exclude each
 * other (members, ranges of numbers) are quiet; the number of findings per
 * table is bounded.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "format.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(tables, .init = setup);

static const char *schema = "enum company_size = sme | midsize | large\n"
			    "fact company { size : company_size  staff : int  exporter : bool }\n";

/* The warnings of loading a table, one per line. */
static const char *warnings(const char *table)
{
	Diags *d = diag_new();
	Program *p = tu_load(xprintf("%s%s", schema, table), d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	Buf b = {0};
	for (int i = 0; i < d->n; i++)
		if (d->items[i].sev == SEV_WARNING)
			buf_printf(&b, "%s\n", d->items[i].msg);
	return buf_cstr(&b);
}

Test(tables, overlapping_members_are_reported_with_a_case)
{
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.size = sme then 1\n"
				  "  when company.size in [sme, midsize] then 2\n"
				  "  default 3\n"),
			 "rows 1 and 2 of table 't' overlap: both apply when company.size is sme\n");
}

Test(tables, rows_that_exclude_each_other_are_quiet)
{
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.size = sme then 1\n"
				  "  when company.size = midsize then 2\n"
				  "  when company.size = large then 3\n"),
			 "");
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.staff < 10 then 1\n"
				  "  when company.staff >= 10 then 2\n"),
			 "");
}

Test(tables, overlapping_ranges_are_reported)
{
	const char *w = warnings("table t : int hit unique\n"
				 "  when company.staff < 10 then 1\n"
				 "  when company.staff >= 5 then 2\n");
	cr_assert(strstr(w, "rows 1 and 2 of table 't' overlap: both apply when company.staff is") == w, "%s", w);
}

Test(tables, hit_first_tables_may_overlap)
{
	cr_assert_str_eq(warnings("table t : int hit first\n"
				  "  when company.size = sme then 1\n"
				  "  when company.size in [sme, midsize] then 2\n"
				  "  default 3\n"),
			 "");
}

Test(tables, a_value_no_row_covers_is_a_gap)
{
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.size = sme then 1\n"
				  "  when company.size = midsize then 2\n"),
			 "no row of table 't' applies when company.size is large\n");
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.exporter then 1\n"),
			 "no row of table 't' applies when company.exporter is false\n");
}

Test(tables, the_findings_per_table_are_bounded)
{
	Buf t = {0};
	buf_puts(&t, "table t : int hit unique\n");
	for (int i = 0; i < 30; i++)
		buf_printf(&t, "  when company.staff >= %d then %d\n", i, i);
	const char *w = warnings(buf_cstr(&t));
	int lines = 0;
	for (const char *s = w; *s; s++)
		lines += *s == '\n';
	cr_assert_leq(lines, 22, "%s", w);
	cr_assert(strstr(w, "more pairs of overlapping rows") != NULL, "%s", w);
}

Test(tables, a_gap_over_several_inputs_is_found_by_combining_them)
{
	/* each row looks at one input: the combination neither covers */
	cr_assert_str_eq(warnings("table t : int hit first\n"
				  "  when company.size = sme then 1\n"
				  "  when not company.exporter then 2\n"),
			 "no row of table 't' applies when company.size is midsize and company.exporter is true\n");
	/* whole numbers: the one value between two rows' bounds */
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.staff <= 9 and company.exporter then 1\n"
				  "  when company.staff >= 11 and company.exporter then 2\n"
				  "  when not company.exporter then 3\n"),
			 "no row of table 't' applies when company.staff is 10 and company.exporter is true\n");
	/* rows that between them cover every combination are quiet */
	cr_assert_str_eq(warnings("table t : int hit unique\n"
				  "  when company.staff < 10 and company.exporter then 1\n"
				  "  when company.staff >= 10 and company.exporter then 2\n"
				  "  when not company.exporter and company.size in [sme, midsize] then 3\n"
				  "  when not company.exporter and company.size = large then 4\n"),
			 "");
}

/* A table of n rows `when g.x = i and g.y = i`: (n + 2)^2 combinations of
 * pieces (nothing lies between two whole numbers side by side). */
static const char *diagonal(int n)
{
	Buf t = {0};
	buf_puts(&t, "fact g { x : int  y : int }\ntable t : int hit unique\n");
	for (int i = 0; i < n; i++)
		buf_printf(&t, "  when g.x = %d and g.y = %d then %d\n", i, i, i);
	return warnings(buf_cstr(&t));
}

Test(tables, a_gap_over_several_inputs_is_looked_for_within_a_bound)
{
	cr_assert_str_eq(diagonal(100), "no row of table 't' applies when g.x is below 0 and g.y is below 0\n");
	/* 202 x 202 combinations, each against 200 rows: more work than is
	 * done for a gap, so nothing is said */
	cr_assert_str_eq(diagonal(200), "");
}
