/*
 * test_known_bugs.c - unit tests for bugs filed in bugs-docs.md and not yet
 * fixed, kept apart so every other suite stays green.
 *
 * Each test is named bug_docs_N_... after its entry and sits in the suite of
 * the module that has the bug (check, vm, ...).  They assert the correct
 * behaviour, so they fail until the fix; once one passes, move it into the
 * module's own test file (test_check.c, test_vm.c, ...).
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts.h"
#include "load.h"
#include "query.h"

static void setup(void)
{
	GC_INIT();
}

TestSuite(check, .init = setup);
TestSuite(vm, .init = setup);
TestSuite(facts, .init = setup);
TestSuite(load, .init = setup);

static Program *load(const char *text, Diags *d)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "t.edict";
	s->text = text;
	s->len = strlen(text);
	const Source *srcs[1] = {s};
	return load_sources(srcs, 1, d);
}

/* docs-12: the plural follows the number shown. */
Test(check, bug_docs_12_plural_of_at_least_one_argument)
{
	Diags *d = diag_new();
	load("decision b : int = min()\n", d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "min takes at least 1 argument, not 0");
}

/* docs-14: either side of `otherwise` can decide it, so both sides' facts are missing. */
Test(vm, bug_docs_14_otherwise_lists_both_sides)
{
	Diags *d = diag_new();
	Program *p = load("fact company { voucher_requested : money KRW optional  staff : int optional }\n", d);
	cr_assert_eq(d->nerrors, 0);
	Query *q = query_compile(p, "company.voucher_requested otherwise company.staff * 1 KRW", "--query", d);
	cr_assert_not_null(q);
	Ctx *c = vm_new(p);
	facts_clear(c);
	vm_reset(c);
	Value v;
	cr_assert_eq(query_run(c, q, &v), ST_OK);
	cr_assert_eq(v.tag, V_UNKNOWN);
	cr_assert_not_null(v.as.m);
	cr_assert_eq(v.as.m->len, 2, "missing: %s%s%s", v.as.m->len ? v.as.m->paths[0]->data : "",
		     v.as.m->len > 1 ? ", " : "", v.as.m->len > 1 ? v.as.m->paths[1]->data : "");
	cr_assert_str_eq(v.as.m->paths[0]->data, "company.staff");
	cr_assert_str_eq(v.as.m->paths[1]->data, "company.voucher_requested");
}

static const char *facts_error(const char *rules, const char *json)
{
	Diags *d = diag_new();
	Program *p = load(rules, d);
	cr_assert_eq(d->nerrors, 0);
	Ctx *c = vm_new(p);
	const char *err = NULL;
	cr_assert_eq(facts_load_json(c, json, strlen(json), "facts.json", &err), ST_FACTS);
	return err;
}

/* docs-15: a bare JSON number is a complete document, just not an object. */
Test(facts, bug_docs_15_bare_number_is_not_an_object)
{
	cr_assert_str_eq(facts_error("fact staff : int\n", "42"),
			 "facts.json: the facts must be a JSON object, like {\"company\": {...}}");
}

/* docs-16: the message quotes the number as written, not json-c's clamped value. */
/* json-c keeps no text for integers past 64 bits (it clamps them), so the
 * message names the limit rather than quoting a number that was not written. */
Test(facts, bug_docs_16_too_large_number_not_misquoted)
{
	cr_assert_str_eq(facts_error("fact company { staff : int }\n", "{\"company\": {\"staff\": 99999999999999999999}}"),
			 "facts.json: company.staff: the number is too large for a whole number (at most 9223372036854775806)");
}

/* docs-18: load_file's limit: a file of exactly `max` bytes is within it; a smaller limit holds. */
Test(load, bug_docs_18_file_size_limit_is_exact)
{
	char tmpl[] = "/tmp/edict-test-bugs-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_eq(chdir(tmpl), 0);
	FILE *f = fopen("exact.txt", "w");
	for (int i = 0; i < 8192; i++)
		fputc('x', f);
	fclose(f);
	size_t len = 0;
	const char *err = NULL;
	char *t = load_file("exact.txt", 8192, &len, &err);
	cr_assert_not_null(t, "a file of exactly the limit is refused: %s", err);
	cr_assert_eq(len, 8192);
	cr_assert_null(load_file("exact.txt", 100, &len, &err), "a limit below 4096 bytes is not enforced");
	cr_assert_str_eq(err, "exact.txt is larger than the limit of 100 bytes");
}
