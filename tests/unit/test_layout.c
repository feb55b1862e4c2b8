/*
 * test_layout.c - unit tests for interp/layout.c, the canonical layout.
 *
 * layout_format must lay out what it knows (spacing, indentation, blank
 * lines, citations, test steps, table rows), keep every comment and
 * paragraph, refuse a text with syntax errors with a diagnostic at the
 * error's place, and give back a laid-out text unchanged.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "layout.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(layout, .init = setup);

static const char *lay(const char *text)
{
	Diags *d = diag_new();
	size_t n;
	const char *out = layout_format("t.edict", text, strlen(text), d, &n);
	cr_assert_not_null(out, "%s", d->n ? d->items[0].msg : "no diagnostic");
	cr_assert_eq(strlen(out), n);
	/* and laying it out again changes nothing */
	const char *again = layout_format("t.edict", out, n, diag_new(), NULL);
	cr_assert_str_eq(again, out);
	return out;
}

Test(layout, spacing_around_operators_and_commas)
{
	cr_assert_str_eq(lay("decision x : bool = a>=1 and b<>2 or c=[1 ,2,3]\n"),
			 "decision x : bool = a >= 1 and b <> 2 or c = [1, 2, 3]\n");
	cr_assert_str_eq(lay("decision y : int = f( -x , - 3 )*2-1\n"), "decision y : int = f(-x, -3) * 2 - 1\n");
	cr_assert_str_eq(lay("decision r : t = {a:1,b:  x.y}\n"), "decision r : t = {a: 1, b: x.y}\n");
}

Test(layout, one_blank_line_between_declarations)
{
	cr_assert_str_eq(lay("fact a : int\nfact b : int\n\n\n\nfact c : int"),
			 "fact a : int\n\nfact b : int\n\nfact c : int\n");
	/* imports stay together */
	cr_assert_str_eq(lay("module m\nimport a\nimport b\ndecision x : int = 1\n"),
			 "module m\nimport a\nimport b\n\ndecision x : int = 1\n");
}

Test(layout, comments_stay_with_what_follows)
{
	cr_assert_str_eq(lay("fact a : int\n# about b\n  # more\nfact b : int  # b\n"),
			 "fact a : int\n\n# about b\n# more\nfact b : int  # b\n");
}

Test(layout, facts_over_time_and_their_dated_givens)
{
	cr_assert_str_eq(lay("fact c { share : percent  over  time }\n"), "fact c {\n  share : percent over time\n}\n");
	cr_assert_str_eq(lay("decision d : bool = c.share   at  as_of-1 month>=1%\n"),
			 "decision d : bool = c.share at as_of - 1 month >= 1%\n");
	cr_assert_str_eq(lay("test \"t\" {\ngiven c.share from 2025-01-01 = 1% from 2025-04-01 = 2%\nexpect d\n}\n"),
			 "test \"t\" {\n  given c.share\n    from 2025-01-01 = 1%\n    from 2025-04-01 = 2%\n  expect d\n}\n");
}

Test(layout, cases_and_citations_on_their_own_lines)
{
	cr_assert_str_eq(lay("decision d : duration default 30 days source \"s\" exception fast when p then 14 days "
			     "assumption \"a\"\n"),
			 "decision d : duration\n"
			 "  default 30 days\n"
			 "    source \"s\"\n"
			 "  exception fast when p then 14 days\n"
			 "    assumption \"a\"\n");
	cr_assert_str_eq(lay("param p : percent from 2025-01-01 = 10% from 2027-01-01 = 8%\n"),
			 "param p : percent\n  from 2025-01-01 = 10%\n  from 2027-01-01 = 8%\n");
}

Test(layout, a_function_with_cases_as_a_decision)
{
	cr_assert_str_eq(lay("function f(c : child) : int default 0 source \"s. 1\" exception minor when c.age < 18 "
			     "then 250 from 2026-01-01 source \"s. 2\"\n"),
			 "function f(c : child) : int\n"
			 "  default 0\n"
			 "    source \"s. 1\"\n"
			 "  exception minor when c.age < 18 then 250 from 2026-01-01\n"
			 "    source \"s. 2\"\n");
}

Test(layout, declarations_for_each_member_indented_in_their_block)
{
	cr_assert_str_eq(lay("for each person in household.members {\n"
			     "decision child : bool = person.age<18\n"
			     "# the allowance\n"
			     "decision benefit : int default 0 exception when child then 100\n"
			     "}\n"
			     "decision total : int = sum(p.benefit for p in household.members)\n"
			     "check \"ages\" : for p in household.members : p.age >= 0 showing p.age\n"),
			 "for each person in household.members {\n"
			 "  decision child : bool = person.age < 18\n"
			 "\n"
			 "  # the allowance\n"
			 "  decision benefit : int\n"
			 "    default 0\n"
			 "    exception when child then 100\n"
			 "}\n"
			 "\n"
			 "decision total : int = sum(p.benefit for p in household.members)\n"
			 "\n"
			 "check \"ages\": for p in household.members: p.age >= 0 showing p.age\n");
}

Test(layout, table_rows_aligned)
{
	cr_assert_str_eq(lay("table t : string hit first\nwhen n > 300 then \"big\"\nwhen n > 5 then \"small\"\n"
			     "default \"none\"\n"),
			 "table t : string hit first\n"
			 "  when n > 300 then \"big\"\n"
			 "  when n > 5   then \"small\"\n"
			 "  default \"none\"\n");
}

Test(layout, test_steps_and_bodies)
{
	cr_assert_str_eq(lay("test \"t\" { given x = 1 expect y = 2 }\n"),
			 "test \"t\" {\n  given x = 1\n  expect y = 2\n}\n");
	cr_assert_str_eq(lay("fact c {\n      a : int source \"s\"\n}\n"),
			 "fact c {\n  a : int\n    source \"s\"\n}\n");
}

Test(layout, long_lines_break_at_the_loosest_operator)
{
	const char *out = lay("decision x : bool = aaaaaaaaaaaaaaaaaaaa and bbbbbbbbbbbbbbbbbbbbbbbb and "
			      "cccccccccccccccccccc or dddddddddddddddddddddddddddddddddd\n");
	cr_assert_str_eq(out, "decision x : bool =\n"
			      "  aaaaaaaaaaaaaaaaaaaa and bbbbbbbbbbbbbbbbbbbbbbbb and cccccccccccccccccccc\n"
			      "  or dddddddddddddddddddddddddddddddddd\n");
}

Test(layout, texts_and_comments_are_kept_byte_for_byte)
{
	cr_assert_str_eq(lay("\xef\xbb\xbf# \xed\x95\x9c\xeb\xb9\x9b  \r\nfact name : string default \"a  \\\"b\\\"\\t\"\r\n"),
			 "# \xed\x95\x9c\xeb\xb9\x9b\nfact name : string default \"a  \\\"b\\\"\\t\"\n");
}

/* A file whose lines end in "\r" alone (old Mac files) or "\r\n" is laid
 * out as the same file with "\n": its comments stay on their lines. */
Test(layout, every_kind_of_line_end_ends_a_line)
{
	const char *lf = "# the cap\ndecision a : int =   1 # one\n\n\n# b\ndecision b : string = \"x\"\n";
	const char *want = lay(lf);
	cr_assert_str_eq(want, "# the cap\ndecision a : int = 1  # one\n\n# b\ndecision b : string = \"x\"\n");
	cr_assert_str_eq(lay("# the cap\rdecision a : int =   1 # one\r\r\r# b\rdecision b : string = \"x\"\r"), want);
	cr_assert_str_eq(lay("# the cap\r\ndecision a : int =   1 # one\r\n\r\n\r\n# b\r\ndecision b : string = \"x\"\r\n"), want);
}

Test(layout, empty_and_comment_only_texts)
{
	cr_assert_str_eq(lay(""), "");
	cr_assert_str_eq(lay("\n\n# only a comment\n\n\n"), "# only a comment\n");
}

Test(layout, a_text_with_errors_is_refused_with_its_place)
{
	Diags *d = diag_new();
	const char *out = layout_format("t.edict", "decision x : int =\n  = 1\n", 24, d, NULL);
	cr_assert_null(out);
	cr_assert_geq(d->nerrors, 1);
	cr_assert_eq(d->items[0].loc.line, 2);
	cr_assert_eq(d->items[0].loc.col, 3);
}
