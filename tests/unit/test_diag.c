/*
 * test_diag.c - unit tests for interp/diag.c: collecting and rendering
 * diagnostics.
 *
 * One message shape is used everywhere: `file:line:col: error: message`,
 * the source line with carets under the span, then any note.  These tests
 * pin that shape down (with and without a location, several lines, tabs,
 * colour), the "did you mean" suggestions, and the cap on the number of
 * errors kept.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "diag.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(diag, .init = setup);

static Source SRC = {"rules/voucher.edict",
		     "decision priority : bool =\n"
		     "  eligible and company.us_share >= priority_share\n"
		     "\tdecision x : int = 1\n",
		     0};

static Diags *with_source(void)
{
	SRC.len = strlen(SRC.text);
	Diags *d = diag_new();
	diag_add_source(d, &SRC);
	return d;
}

static Loc at(int line, int col, int eline, int ecol)
{
	Loc l = {SRC.path, line, col, eline, ecol};
	return l;
}

Test(diag, render_quotes_the_line_with_carets)
{
	Diags *d = with_source();
	Diag *dg = diag_add(d, SEV_ERROR, at(2, 16, 2, 31), "unknown fact '%s'", "company.us_share");
	diag_hint(dg, "company has: size, us_export_share");
	cr_assert_str_eq(diag_render(d, dg, false), "rules/voucher.edict:2:16: error: unknown fact 'company.us_share'\n"
						    " 2 |   eligible and company.us_share >= priority_share\n"
						    "   |                ^^^^^^^^^^^^^^^^\n"
						    "note: company has: size, us_export_share\n");
}

Test(diag, did_you_mean_goes_into_the_message)
{
	Diags *d = with_source();
	Diag *dg = diag_add(d, SEV_ERROR, at(2, 16, 2, 31), "unknown fact 'company.us_share'");
	diag_hint(dg, "did you mean '%s'?", "company.us_export_share");
	cr_assert_str_eq(dg->msg, "unknown fact 'company.us_share'; did you mean 'company.us_export_share'?");
	cr_assert_null(dg->hint);
}

Test(diag, a_span_over_several_lines_underlines_to_the_end_of_the_first)
{
	Diags *d = with_source();
	Diag *dg = diag_add(d, SEV_WARNING, at(1, 10, 2, 49), "a warning");
	cr_assert_str_eq(diag_render(d, dg, false), "rules/voucher.edict:1:10: warning: a warning\n"
						    " 1 | decision priority : bool =\n"
						    "   |          ^^^^^^^^^^^^^^^^^\n");
	cr_assert_eq(d->nwarnings, 1);
	cr_assert_eq(d->nerrors, 0);
}

/* "\n", "\r\n" and a "\r" alone each end one line: the line index and the
 * quoted line agree with the scanner's line numbers. */
Test(diag, every_kind_of_line_end_ends_a_line)
{
	Source mixed = {"mixed.edict", "one\rtwo\r\nthree\nfour\r", 0, NULL, 0};
	mixed.len = strlen(mixed.text);
	cr_assert_eq(source_nlines(&mixed), 5);
	static const long starts[] = {0, 4, 9, 15, 20};
	for (int line = 1; line <= 5; line++)
		cr_assert_eq(source_line_offset(&mixed, line), starts[line - 1], "line %d", line);
	cr_assert_eq(source_line_offset(&mixed, 6), -1);
	Diags *d = diag_new();
	diag_add_source(d, &mixed);
	static const char *const quoted[] = {"one", "two", "three", "four"};
	for (int line = 1; line <= 4; line++) {
		Loc l = {mixed.path, line, 2, line, 2};
		const char *want = xprintf("mixed.edict:%d:2: error: here\n %d | %s\n   |  ^\n", line, line, quoted[line - 1]);
		cr_assert_str_eq(diag_render(d, diag_add(d, SEV_ERROR, l, "here"), false), want);
	}
	cr_assert_eq(source_line_end(mixed.text, mixed.text + mixed.len), mixed.text + 3);
	cr_assert_eq(source_eol(mixed.text + 7, mixed.text + mixed.len), 2);
	cr_assert_eq(source_eol(mixed.text + 3, mixed.text + mixed.len), 1);
	cr_assert_eq(source_eol(mixed.text + 19, mixed.text + mixed.len), 1);
	cr_assert_eq(source_eol(mixed.text, mixed.text + mixed.len), 0);
}

Test(diag, tabs_become_spaces_so_carets_line_up)
{
	Diags *d = with_source();
	Diag *dg = diag_add(d, SEV_ERROR, at(3, 11, 3, 11), "here");
	cr_assert_str_eq(diag_render(d, dg, false), "rules/voucher.edict:3:11: error: here\n"
						    " 3 |  decision x : int = 1\n"
						    "   |           ^\n");
}

Test(diag, without_a_location)
{
	Diags *d = diag_new();
	Loc none = {NULL, 0, 0, 0, 0};
	Diag *dg = diag_add(d, SEV_ERROR, none, "cannot read %s", "nowhere.edict");
	cr_assert_str_eq(diag_render(d, dg, false), "error: cannot read nowhere.edict\n");
	Loc file_only = {"rules/escape", 0, 0, 0, 0};
	dg = diag_add(d, SEV_ERROR, file_only, "this directory leads outside");
	cr_assert_str_eq(diag_render(d, dg, false), "rules/escape: error: this directory leads outside\n");
}

Test(diag, unknown_source_prints_no_line)
{
	Diags *d = diag_new();
	Loc l = {"other.edict", 4, 2, 4, 3};
	Diag *dg = diag_add(d, SEV_NOTE, l, "a note");
	cr_assert_str_eq(diag_render(d, dg, false), "other.edict:4:2: note: a note\n");
}

Test(diag, colour)
{
	Diags *d = with_source();
	Diag *dg = diag_add(d, SEV_ERROR, at(1, 1, 1, 8), "bad");
	cr_assert_str_eq(diag_render(d, dg, true), "\033[1mrules/voucher.edict:1:1:\033[0m \033[1;31merror:\033[0m bad\n"
						   " 1 | decision priority : bool =\n"
						   "   | \033[1;31m^^^^^^^^\033[0m\n");
}

Test(diag, sources_are_found_by_identity_first)
{
	Diags *d = diag_new();
	Source a = {xprintf("--query"), "first", 5}, b = {xprintf("--query"), "second", 6};
	diag_add_source(d, &a);
	diag_add_source(d, &b);
	cr_assert_eq(diag_find_source(d, a.path), &a);
	cr_assert_eq(diag_find_source(d, b.path), &b);
	cr_assert_eq(diag_find_source(d, "--query"), &b, "by name, the latest");
	cr_assert_null(diag_find_source(d, "nothing"));
	cr_assert_null(diag_find_source(d, NULL));
}

Test(diag, errors_are_capped)
{
	Diags *d = diag_new();
	d->max_errors = 3;
	Loc none = {NULL, 0, 0, 0, 0};
	for (int i = 0; i < 10; i++) {
		Diag *dg = diag_add(d, SEV_ERROR, none, "error %d", i);
		diag_hint(dg, "a hint is absorbed once the budget is spent");
	}
	diag_add(d, SEV_WARNING, none, "warnings are still kept");
	cr_assert_eq(d->nerrors, 10, "every error is counted");
	cr_assert_eq(d->n, 4, "three errors and the warning are kept");
	cr_assert_str_eq(d->items[2].msg, "error 2");
}

Test(diag, closest_names)
{
	const char *const cands[] = {"size", "us_export_share", "voucher_received", "eligible"};
	cr_assert_str_eq(diag_closest("eligble", cands, 4), "eligible");
	cr_assert_str_eq(diag_closest("us_export_shar", cands, 4), "us_export_share");
	cr_assert_str_eq(diag_closest("us_share", cands, 4), "us_export_share", "the words of the name, in order");
	cr_assert_str_eq(diag_closest("siz", cands, 4), "size");
	cr_assert_null(diag_closest("nothing_like_it", cands, 4));
	cr_assert_null(diag_closest("x", cands, 4));
	cr_assert_null(diag_closest("size", NULL, 0));
}

Test(diag, printf_helpers)
{
	cr_assert_str_eq(xprintf("%s:%d", "a", 12), "a:12");
	char big[3000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	cr_assert_eq(strlen(xprintf("<%s>", big)), sizeof big + 1);
	cr_assert_str_eq(diag_severity_name(SEV_ERROR), "error");
	cr_assert_str_eq(diag_severity_name(SEV_WARNING), "warning");
	cr_assert_str_eq(diag_severity_name(SEV_NOTE), "note");
}

/* A list's sources go on to its parent's: a query's own text, then the rules'. */
Test(diag, sources_are_found_in_the_parent_list_too)
{
	Diags *rules = with_source();
	Source q = {"--query", "priority and x", 14, NULL, 0};
	Diags *own = diag_new();
	own->parent = rules;
	diag_add_source(own, &q);
	cr_assert_eq(diag_find_source(own, "--query"), &q);
	cr_assert_eq(diag_find_source(own, SRC.path), &SRC);
	cr_assert_null(diag_find_source(rules, "--query"), "a parent never sees its children's sources");
	cr_assert_null(diag_find_source(own, "other.edict"));
}
