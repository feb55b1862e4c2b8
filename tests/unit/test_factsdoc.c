/*
 * test_factsdoc.c - unit tests for facts built piece by piece
 * (edict_facts_*, interp/factsdoc.c).
 *
 * The main property: a document reported event by event is read exactly as
 * the same document given as JSON text: the same status, the same message
 * for facts that do not fit their declarations, the same decisions.  Each
 * case is walked from json-c's tree of the text, the way a database or a
 * scripting language walks its own.  Then the checks made before a text is
 * parsed (depth, texts, UTF-8, repeated keys, number syntax) and misuse of
 * the calls.
 */
#include <criterion/criterion.h>

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz/json_walk.h"
#include "edict.h"

static const char *rules =
	"module voucher\n"
	"enum company_size = sme | midsize | large\n"
	"record office { city : string  staff : int optional }\n"
	"fact company {\n"
	"  name : string optional\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_requested : money KRW optional\n"
	"  employees : int optional\n"
	"  ratio : decimal optional\n"
	"  exporter : bool optional\n"
	"  office : office optional\n"
	"  markets : list of string optional\n"
	"}\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision award : money KRW = if eligible then min(company.voucher_requested, 50_000_000 KRW) else 0 KRW\n"
	"decision staff : int = company.office.staff\n"
	"decision markets : list of string = company.markets\n"
	"decision ratio : decimal = company.ratio * 2\n"
	"decision exporter : bool = company.exporter\n"
	"decision employees : int = company.employees\n"
	"decision name : string = company.name\n";

static edict_rules *R;
static edict_ctx *A, *B;

static void setup(void)
{
	edict_init();
	cr_assert_eq(edict_load_source("voucher.edict", rules, EDICT_NUL_TERMINATED, &R), EDICT_OK, "%s",
		     edict_rules_report(R));
	cr_assert_eq(edict_ctx_new(R, &A), EDICT_OK);
	cr_assert_eq(edict_ctx_new(R, &B), EDICT_OK);
}

static void teardown(void)
{
	edict_ctx_free(A);
	edict_ctx_free(B);
	edict_rules_free(R);
}

TestSuite(factsdoc, .init = setup, .fini = teardown);

static int build(edict_ctx *x, const char *text)
{
	json_object *j = json_tokener_parse(text);
	cr_assert(j != NULL || strcmp(text, "null") == 0, "the case is not JSON: %s", text);
	cr_assert_eq(edict_facts_begin(x), EDICT_OK);
	int st = walk_json(x, j);
	json_object_put(j);
	int st2 = edict_facts_commit(x);
	cr_assert(st == EDICT_OK || st2 == st, "a failed event must fail the commit");
	return st2;
}

/* A new document, standing at {"company": {"FIELD": */
static void at_field(edict_ctx *x, const char *field)
{
	edict_facts_begin(x);
	edict_facts_object(x);
	edict_facts_key(x, "company", 7);
	edict_facts_object(x);
	edict_facts_key(x, field, strlen(field));
}

/* Every decision of both contexts, as JSON, must be the same. */
static void same_results(const char *text)
{
	for (size_t i = 0; i < edict_rules_decision_count(R); i++) {
		const char *q = edict_rules_decision_name(R, i);
		const char *ja, *jb;
		int sa = edict_eval_json(A, q, &ja);
		char *ea = strdup(sa == EDICT_OK ? ja : edict_ctx_errmsg(A));
		int sb = edict_eval_json(B, q, &jb);
		const char *eb = sb == EDICT_OK ? jb : edict_ctx_errmsg(B);
		cr_expect_eq(sa, sb, "%s on %s", q, text);
		cr_expect_str_eq(ea, eb, "%s on %s", q, text);
		free(ea);
	}
}

static void same_as_text(const char *text)
{
	int st = edict_ctx_set_facts_json(A, text, EDICT_NUL_TERMINATED);
	char *msg = strdup(edict_ctx_errmsg(A));
	int sb = build(B, text);
	cr_expect_eq(st, sb, "status %d from text, %d built, for %s (%s / %s)", st, sb, text, msg, edict_ctx_errmsg(B));
	cr_expect_str_eq(msg, edict_ctx_errmsg(B), "for %s: %s / %s", text, msg, edict_ctx_errmsg(B));
	free(msg);
	if (st == EDICT_OK && sb == EDICT_OK)
		same_results(text);
}

Test(factsdoc, same_as_text_when_good)
{
	const char *docs[] = {
		"{}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\", \"voucher_requested\": \"80000000 KRW\"}}",
		"{\"as_of\": \"2026-12-01\", \"id\": \"C-1\", \"company\": {\"size\": \"large\", \"us_export_share\": \"9.5%\"}}",
		"{\"company\": {\"size\": \"midsize\", \"us_export_share\": \"10%\", \"office\": {\"city\": \"Busan\", \"staff\": 12}}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"markets\": [\"US\", \"EU\", \"\"], \"exporter\": true}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"ratio\": 12.25, \"employees\": -3}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"ratio\": 1e3, \"name\": \"Dhaka \\u00e9\"}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"ratio\": \"0.000000000000000000000000000001\"}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": null, \"office\": null, \"markets\": []}}",
		"{\"company\": null}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		same_as_text(docs[i]);
}

Test(factsdoc, same_as_text_when_bad)
{
	const char *docs[] = {
		"[]",
		"\"company\"",
		"{\"compnay\": {}}",
		"{\"company\": {\"size\": \"tiny\"}}",
		"{\"company\": {\"sise\": \"sme\"}}",
		"{\"company\": {\"size\": \"sme\", \"us_export_share\": 14}}",
		"{\"company\": {\"size\": \"sme\", \"voucher_requested\": \"80 USD\"}}",
		"{\"company\": {\"size\": \"sme\", \"employees\": 1.5}}",
		"{\"company\": {\"size\": \"sme\", \"employees\": 99999999999999999999}}",
		"{\"company\": {\"size\": \"sme\", \"employees\": -99999999999999999999}}",
		"{\"company\": {\"size\": \"sme\", \"ratio\": 99999999999999999999}}",
		"{\"company\": {\"size\": \"sme\", \"ratio\": 1e400}}",
		"{\"company\": {\"size\": \"sme\", \"markets\": [\"US\", 3]}}",
		"{\"company\": {\"size\": \"sme\", \"office\": {\"city\": \"Busan\", \"staff\": \"many\"}}}",
		"{\"company\": {\"size\": \"sme\", \"exporter\": \"yes\"}}",
		"{\"as_of\": \"2026-02-30\"}",
		"{\"company\": []}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		same_as_text(docs[i]);
	/* a bare number or true (the text reader of edict_ctx_set_facts_json
	 * waits for more after them, so they are not compared) */
	cr_assert_eq(build(B, "42"), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B), "the facts must be a JSON object, like {\"company\": {...}}");
	cr_assert_eq(build(B, "true"), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B), "the facts must be a JSON object, like {\"company\": {...}}");
	/* and the message names the place */
	cr_assert_eq(build(B, "{\"company\": {\"size\": \"sme\", \"markets\": [\"US\", 3]}}"), EDICT_EFACTS);
	cr_assert(strstr(edict_ctx_errmsg(B), "company.markets[2]") != NULL, "%s", edict_ctx_errmsg(B));
}

Test(factsdoc, failure_keeps_the_facts)
{
	cr_assert_eq(build(B, "{\"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\"}}"), EDICT_OK);
	cr_assert_eq(build(B, "{\"company\": {\"size\": \"huge\"}}"), EDICT_EFACTS);
	const char *j;
	cr_assert_eq(edict_eval_json(B, "voucher.eligible", &j), EDICT_OK);
	cr_assert_str_eq(j, "true");
}

Test(factsdoc, limits_before_the_declarations)
{
	/* 64 levels are allowed, as in a text; the 65th is refused */
	cr_assert_eq(edict_facts_begin(B), EDICT_OK);
	int st = EDICT_OK;
	for (int i = 0; i < 64 && st == EDICT_OK; i++)
		st = i == 0 ? edict_facts_object(B) : (i == 1 ? edict_facts_key(B, "x", 1), edict_facts_array(B) : edict_facts_array(B));
	cr_assert_eq(st, EDICT_OK, "%s", edict_ctx_errmsg(B));
	cr_assert_eq(edict_facts_array(B), EDICT_EFACTS);
	cr_assert(strstr(edict_ctx_errmsg(B), "nested more than 64 deep") != NULL, "%s", edict_ctx_errmsg(B));
	cr_assert(strstr(edict_ctx_errmsg(B), "x[1][1]") != NULL, "%s", edict_ctx_errmsg(B));
	/* the document is dead: every call repeats the error */
	cr_assert_eq(edict_facts_end(B), EDICT_EFACTS);
	cr_assert_eq(edict_facts_commit(B), EDICT_EFACTS);
	cr_assert(strstr(edict_ctx_errmsg(B), "nested more than 64 deep") != NULL);

	/* a text of more than 1 MiB, invalid UTF-8, a key given twice */
	static char big[(1 << 20) + 2];
	memset(big, 'a', sizeof big);
	const char *why[3];
	for (int k = 0; k < 3; k++) {
		at_field(B, "name");
		if (k == 0)
			edict_facts_string(B, big, sizeof big);
		else if (k == 1)
			edict_facts_string(B, "caf\xc3", 4);
		else
			edict_facts_string(B, "x", 1), edict_facts_key(B, "name", 4);
		cr_assert_eq(edict_facts_commit(B), EDICT_EFACTS);
		why[k] = edict_ctx_errmsg(B);
		cr_assert(strncmp(why[k], "company.name: ", 14) == 0, "%s", why[k]);
		cr_assert(strstr(why[k], k == 0 ? "longer than the limit" : k == 1 ? "not valid UTF-8" : "appears twice"), "%s",
			  why[k]);
	}
}

Test(factsdoc, numbers_in_json_syntax)
{
	const char *bad[] = {"", "1.", ".5", "01", "1e", "+1", "0x10", "NaN", "Infinity", "1 ", "--1", "1e+"};
	const char *good[] = {"0", "-0", "12.25", "1e3", "1E-3", "-1.5e+2", "123456789012345678901234567890"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		at_field(B, "ratio");
		cr_expect_eq(edict_facts_number(B, bad[i], strlen(bad[i])), EDICT_EFACTS, "'%s'", bad[i]);
		cr_expect(strstr(edict_ctx_errmsg(B), "is not a number") != NULL, "%s", edict_ctx_errmsg(B));
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		at_field(B, "ratio");
		cr_expect_eq(edict_facts_number(B, good[i], EDICT_NUL_TERMINATED), EDICT_OK, "'%s'", good[i]);
	}
	/* a number of more than 4096 characters is too long, not "not a number" */
	static char digits[5001];
	memset(digits, '7', 5000);
	at_field(B, "ratio");
	cr_assert_eq(edict_facts_number(B, digits, 5000), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B),
			 "company.ratio: invalid facts: the number is too long to read: 5000 characters, more than 4096");
	at_field(B, "ratio");
	cr_assert_eq(edict_facts_number(B, digits, 4096), EDICT_OK);
	/* exact decimals: no binary floating point on the way */
	cr_assert_eq(build(B, "{\"company\": {\"size\": \"sme\", \"ratio\": 0.1}}"), EDICT_OK);
	const char *j;
	cr_assert_eq(edict_eval_json(B, "voucher.ratio", &j), EDICT_OK);
	cr_assert_str_eq(j, "0.2");
}

/* A text given with its length is read for that length only, in messages
 * too: the bytes after it may not be there at all. */
Test(factsdoc, texts_read_within_their_length)
{
	at_field(B, "ratio");
	cr_assert_eq(edict_facts_number(B, "1x2 and more that is not the number", 3), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B), "company.ratio: invalid JSON: \"1x2\" is not a number");
	/* the text ends a page, and the next page may not be read */
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert(m != MAP_FAILED);
	cr_assert_eq(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
	memcpy(m + pg - 3, "1y2", 3);
	at_field(B, "ratio");
	cr_assert_eq(edict_facts_number(B, m + pg - 3, 3), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B), "company.ratio: invalid JSON: \"1y2\" is not a number");
	munmap(m, 2 * (size_t)pg);
	/* a long one is quoted to 40 bytes, bad bytes as U+FFFD */
	at_field(B, "ratio");
	cr_assert_eq(edict_facts_number(B, "\xff" "1234567890123456789012345678901234567890", EDICT_NUL_TERMINATED),
		     EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B),
			 "company.ratio: invalid JSON: \"\xef\xbf\xbd" "123456789012345678901234567890123456789\" is not a number");
	/* a key that is not UTF-8 is named with U+FFFD for its bad bytes */
	edict_facts_begin(B);
	edict_facts_object(B);
	edict_facts_key(B, "company", 7);
	edict_facts_object(B);
	cr_assert_eq(edict_facts_key(B, "si\xff" "ze\xc3", 6), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B),
			 "company.si\xef\xbf\xbd" "ze\xef\xbf\xbd: invalid JSON: the JSON holds text that is not valid UTF-8");
}

/* A NUL character would cut a key, or a member's name, short: refused
 * with the words of the JSON reader, naming the place; a string keeps it. */
Test(factsdoc, a_nul_character_is_refused_where_it_would_cut_short)
{
	at_field(B, "size");
	cr_assert_eq(edict_facts_string(B, "large\0zzz", 9), EDICT_OK);
	edict_facts_end(B);
	edict_facts_end(B);
	cr_assert_eq(edict_facts_commit(B), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B), "company.size: invalid facts: the value holds a NUL character (\\u0000), "
					      "which only a string may hold");
	cr_assert_eq(build(B, "{\"company\": {\"size\": \"sme\", \"us_export_share\": \"1%\", \"name\": \"a\\u0000b\"}}"),
		     EDICT_OK, "%s", edict_ctx_errmsg(B));
	const char *j;
	cr_assert_eq(edict_eval_json(B, "voucher.name", &j), EDICT_OK);
	cr_assert_str_eq(j, "\"a\\u0000b\"");
	at_field(B, "size");
	edict_facts_string(B, "sme", 3);
	cr_assert_eq(edict_facts_key(B, "size\0x", 6), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B),
			 "company: invalid facts: the key \"size\\u0000x\" may not hold a NUL character (\\u0000)");
	edict_facts_begin(B);
	edict_facts_object(B);
	cr_assert_eq(edict_facts_key(B, "company\0zz", 10), EDICT_EFACTS);
	cr_assert_str_eq(edict_ctx_errmsg(B),
			 "the document: invalid facts: the key \"company\\u0000zz\" may not hold a NUL character (\\u0000)");
}

Test(factsdoc, misuse)
{
	cr_assert_eq(edict_facts_begin(NULL), EDICT_EUSAGE);
	cr_assert_eq(edict_facts_object(NULL), EDICT_EUSAGE);
	edict_ctx *x;
	cr_assert_eq(edict_ctx_new(R, &x), EDICT_OK);
	cr_assert_eq(edict_facts_object(x), EDICT_EUSAGE, "no begin");
	cr_assert_eq(edict_facts_commit(x), EDICT_EUSAGE, "no begin");
	edict_facts_begin(x);
	cr_assert_eq(edict_facts_commit(x), EDICT_EFACTS, "nothing built");
	edict_facts_begin(x);
	cr_assert_eq(edict_facts_end(x), EDICT_EFACTS, "nothing open");
	edict_facts_begin(x);
	edict_facts_object(x);
	cr_assert_eq(edict_facts_string(x, "v", 1), EDICT_EFACTS, "a value without a key");
	edict_facts_begin(x);
	edict_facts_array(x);
	cr_assert_eq(edict_facts_key(x, "k", 1), EDICT_EFACTS, "a key in a list");
	edict_facts_begin(x);
	edict_facts_object(x);
	edict_facts_key(x, "company", 7);
	cr_assert_eq(edict_facts_commit(x), EDICT_EFACTS, "unfinished");
	cr_assert(strstr(edict_ctx_errmsg(x), "still open") != NULL, "%s", edict_ctx_errmsg(x));
	edict_facts_begin(x);
	edict_facts_object(x);
	edict_facts_end(x);
	cr_assert_eq(edict_facts_object(x), EDICT_EFACTS, "a second document");
	edict_facts_begin(x);
	edict_facts_object(x);
	cr_assert_eq(edict_facts_key(x, "a\0b", 3), EDICT_EFACTS, "a NUL in a key");
	/* an unfinished document goes with reset and free */
	edict_facts_begin(x);
	edict_facts_object(x);
	edict_facts_key(x, "company", 7);
	edict_facts_object(x);
	cr_assert_eq(edict_ctx_reset(x), EDICT_OK);
	cr_assert_eq(edict_facts_commit(x), EDICT_EFACTS);
	edict_facts_begin(x);
	edict_facts_array(x);
	edict_ctx_free(x);
}
