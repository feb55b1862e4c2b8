/*
 * test_whynot.c - unit tests for interp/whynot.c: the smallest change of
 * facts that would flip a yes/no decision.
 *
 * Thresholds (against a number the rules compute), enumeration membership,
 * `and` needing both parts, `or` offering each, the date a dated parameter
 * changes; every proposal is checked by evaluating again, and the facts of
 * the context asked about stay as they were.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "format.h"
#include "unit.h"
#include "whynot.h"

static void setup(void)
{
	tu_start();
}

TestSuite(whynot, .init = setup);

static const char *rules =
	"enum company_size = sme | midsize | large\n"
	"fact company { size : company_size  share : percent  staff : int }\n"
	"param threshold : percent\n"
	"  from 2025-01-01 = 10%\n"
	"  from 2027-01-01 = 8%\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.share >= threshold\n"
	"decision small : bool = company.staff < 50 or company.size = sme\n";

/* The why-not text for decision `name`, to make it `want`. */
static const char *why(const char *facts, const char *name, bool want)
{
	Program *p = tu_program(rules);
	Ctx *c = tu_ctx(p, facts);
	Buf b = {0};
	const char *err = NULL;
	Decl *d = prog_find_decl(p, name);
	cr_assert_not_null(d);
	cr_assert_eq(whynot_explain(c, d->index, want, &b, &err), ST_OK, "%s", err ? err : "");
	/* the context asked about is unchanged */
	cr_assert_str_eq(tu_show(c, name), want ? "false" : "true");
	return buf_cstr(&b);
}

Test(whynot, a_threshold_names_the_value_needed_and_the_date_it_changes)
{
	cr_assert_str_eq(why("{\"company\": {\"size\": \"sme\", \"share\": \"9%\", \"staff\": 10}}", "priority", true),
			 "t.priority is false.\n"
			 "It would be true if company.share were 10% or more; it is 9%.\n"
			 "Or it would be true as of 2027-01-01, when threshold is 8%.\n");
}

Test(whynot, and_needs_every_part)
{
	cr_assert_str_eq(why("{\"company\": {\"size\": \"large\", \"share\": \"9%\", \"staff\": 10}}", "priority", true),
			 "t.priority is false.\n"
			 "It would be true if company.size were sme or midsize (it is large) and company.share were 10% or more (it is 9%).\n");
}

Test(whynot, or_offers_each_way)
{
	const char *w = why("{\"company\": {\"size\": \"large\", \"share\": \"9%\", \"staff\": 80}}", "small", true);
	cr_assert(strstr(w, "company.staff were less than 50") != NULL, "%s", w);
	cr_assert(strstr(w, "company.size were sme") != NULL, "%s", w);
}
