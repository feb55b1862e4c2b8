/*
 * test_schema.c - unit tests for the service helpers of the library:
 * SHA-256 (interp/sha256.c), the rule set hash and the facts schema
 * (interp/schema.c), why-not and what-if as JSON (interp/whatif.c).
 */
#include <criterion/criterion.h>

#include <json-c/json.h>
#include <string.h>

#include "edict.h"
#include "sha256.h"
#include "whatif.h"

static const char *rules_text =
	"module voucher\n"
	"enum company_size = sme | midsize | large\n"
	"fact company {\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_requested : money KRW optional\n"
	"}\n"
	"param cap : money KRW = 50_000_000 KRW\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.us_export_share >= 10%\n"
	"decision award : money KRW = if eligible then min(company.voucher_requested, cap) else 0 KRW\n";

static void hex_of(const char *text, size_t n, size_t times, char out[65])
{
	Sha256 s;
	sha256_init(&s);
	for (size_t i = 0; i < times; i++)
		sha256_add(&s, text, n);
	sha256_hex(&s, out);
}

static void known_answers(void)
{
	char h[65];
	hex_of("", 0, 1, h);
	cr_assert_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, 1, h);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), 1, h);
	cr_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_of("a", 1, 1000000, h);
	cr_assert_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* blocks taken straight from the data and through the buffer */
	hex_of(two, strlen(two), 1000, h);
	char h2[65];
	Sha256 s;
	sha256_init(&s);
	for (size_t i = 0; i < 1000 * strlen(two); i++)
		sha256_add(&s, two + i % strlen(two), 1);
	sha256_hex(&s, h2);
	cr_assert_str_eq(h, h2);
}

Test(schema, sha256_known_answers)
{
	known_answers(); /* the processor's SHA instructions where it has them */
	sha256_portable(true);
	known_answers();
	sha256_portable(false);
}

static edict_rules *load(const char *name, const char *text)
{
	edict_rules *r = NULL;
	cr_assert_eq(edict_load_source(name, text, EDICT_NUL_TERMINATED, &r), EDICT_OK);
	return r;
}

Test(schema, hash_follows_the_text_not_the_file_name)
{
	edict_rules *a = load("voucher.edict", rules_text), *b = load("elsewhere/voucher.edict", rules_text);
	char ha[80], hb[80];
	cr_assert_eq(edict_rules_hash(a, ha, sizeof ha), 71);
	cr_assert_eq(edict_rules_hash(b, hb, sizeof hb), 71);
	cr_assert_str_eq(ha, hb);
	cr_assert_eq(strncmp(ha, "sha256:", 7), 0);
	char *edited = malloc(strlen(rules_text) + 2);
	strcpy(edited, rules_text);
	strcat(edited, "\n");
	edict_rules *c = load("voucher.edict", edited);
	char hc[80];
	edict_rules_hash(c, hc, sizeof hc);
	cr_assert_str_neq(ha, hc);
	char small[10];
	cr_assert_eq(edict_rules_hash(a, small, sizeof small), 71, "the whole length, like snprintf");
	cr_assert_eq(strlen(small), 9);
	cr_assert_eq(edict_rules_hash(NULL, ha, sizeof ha), 0);
	free(edited);
	edict_rules_free(a);
	edict_rules_free(b);
	edict_rules_free(c);
}

Test(schema, facts_schema_and_decisions)
{
	edict_rules *r = load("voucher.edict", rules_text);
	size_t n = edict_rules_schema_json(r, NULL, 0);
	cr_assert_gt(n, 100);
	char *buf = malloc(n + 1);
	cr_assert_eq(edict_rules_schema_json(r, buf, n + 1), n);
	json_object *j = json_tokener_parse(buf);
	cr_assert_not_null(j, "valid JSON: %s", buf);
	json_object *facts, *decisions, *x;
	cr_assert(json_object_object_get_ex(j, "facts", &facts));
	cr_assert(json_object_object_get_ex(j, "decisions", &decisions));
	cr_assert(json_object_object_get_ex(facts, "properties", &x));
	cr_assert(json_object_object_get_ex(x, "company", &x));
	cr_assert(json_object_object_get_ex(x, "$ref", &x));
	cr_assert_str_eq(json_object_get_string(x), "#/$defs/voucher.company");
	json_object *size;
	cr_assert(json_object_object_get_ex(facts, "$defs", &x));
	cr_assert(json_object_object_get_ex(x, "voucher.company", &x));
	cr_assert(json_object_object_get_ex(x, "properties", &x));
	cr_assert(json_object_object_get_ex(x, "size", &size));
	cr_assert(json_object_object_get_ex(size, "enum", &size));
	cr_assert_eq(json_object_array_length(size), 4, "three members and null");
	json_object *req;
	cr_assert(json_object_object_get_ex(x, "voucher_requested", &req));
	cr_assert(json_object_object_get_ex(req, "x-edict-currency", &req));
	cr_assert_str_eq(json_object_get_string(req), "KRW");
	cr_assert_eq(json_object_array_length(decisions), 3);
	json_object *award = json_object_array_get_idx(decisions, 2), *kind;
	cr_assert(json_object_object_get_ex(award, "kind", &kind));
	cr_assert_str_eq(json_object_get_string(kind), "money");
	json_object_put(j);
	free(buf);
	edict_rules_free(r);
}

Test(schema, a_fact_over_time_is_an_object_of_dated_values)
{
	edict_rules *r = load("h.edict", "fact headcount : int over time\ndecision h : int = headcount\n");
	size_t n = edict_rules_schema_json(r, NULL, 0);
	char *buf = malloc(n + 1);
	cr_assert_eq(edict_rules_schema_json(r, buf, n + 1), n);
	json_object *j = json_tokener_parse(buf), *x, *y;
	cr_assert_not_null(j, "valid JSON: %s", buf);
	cr_assert(json_object_object_get_ex(j, "facts", &x));
	cr_assert(json_object_object_get_ex(x, "properties", &x));
	cr_assert(json_object_object_get_ex(x, "headcount", &x));
	cr_assert(json_object_object_get_ex(x, "x-edict-kind", &y));
	cr_assert_str_eq(json_object_get_string(y), "over time");
	cr_assert(json_object_object_get_ex(x, "x-edict-type", &y));
	cr_assert_str_eq(json_object_get_string(y), "whole number over time");
	cr_assert(json_object_object_get_ex(x, "propertyNames", &y));
	cr_assert(json_object_object_get_ex(y, "format", &y));
	cr_assert_str_eq(json_object_get_string(y), "date", "each key is a date");
	cr_assert(json_object_object_get_ex(x, "additionalProperties", &y));
	cr_assert(json_object_object_get_ex(y, "x-edict-kind", &y));
	cr_assert_str_eq(json_object_get_string(y), "int", "each value is of the fact's type");
	json_object_put(j);
	free(buf);
	edict_rules_free(r);
}

Test(schema, whynot_and_whatif_json)
{
	edict_rules *r = load("voucher.edict", rules_text);
	edict_ctx *a, *b;
	cr_assert_eq(edict_ctx_new(r, &a), EDICT_OK);
	cr_assert_eq(edict_ctx_new(r, &b), EDICT_OK);
	cr_assert_eq(edict_ctx_set_facts_json(a, "{\"company\":{\"size\":\"sme\",\"us_export_share\":\"8%\"}}",
					      EDICT_NUL_TERMINATED), EDICT_OK);
	cr_assert_eq(edict_ctx_set_facts_json(b, "{\"company\":{\"size\":\"sme\",\"us_export_share\":\"12%\"}}",
					      EDICT_NUL_TERMINATED), EDICT_OK);
	Buf out = {0};
	const char *err;
	cr_assert_eq(whatif_whynot_json(a, "priority", &out, &err), EDICT_OK);
	cr_assert(strstr(out.s, "company.us_export_share were 10% or more"), "%s", out.s);
	out.n = 0;
	cr_assert_eq(whatif_whynot_json(a, "award", &out, &err), EDICT_EUSAGE);
	cr_assert(strstr(err, "yes/no"), "%s", err);
	cr_assert_eq(whatif_whynot_json(a, "priorty", &out, &err), EDICT_EUSAGE);
	cr_assert(strstr(err, "did you mean 'voucher.priority'"), "%s", err);
	out.n = 0;
	cr_assert_eq(whatif_compare_json(a, b, &out, &err), EDICT_OK);
	cr_assert(strstr(out.s, "\"decision\":\"voucher.priority\",\"before\":false,\"after\":true"), "%s", out.s);
	cr_assert(strstr(out.s, "company.us_export_share: 8% -> 12%"), "%s", out.s);
	edict_ctx_free(a);
	edict_ctx_free(b);
	edict_rules_free(r);
}

/* A member that carries a value is described as the object the facts give. */
Test(schema, members_with_values_are_objects_with_one_key)
{
	edict_rules *r = load("home.edict", "enum prior_sale = none | most_recent of date\n"
					    "fact sale { prior : prior_sale }\n"
					    "decision sold_before : bool = sale.prior != none\n");
	size_t n = edict_rules_schema_json(r, NULL, 0);
	char *buf = malloc(n + 1);
	cr_assert_eq(edict_rules_schema_json(r, buf, n + 1), n);
	json_object *j = json_tokener_parse(buf), *x, *any;
	cr_assert_not_null(j, "valid JSON: %s", buf);
	cr_assert(json_object_object_get_ex(j, "facts", &x));
	cr_assert(json_object_object_get_ex(x, "$defs", &x));
	cr_assert(json_object_object_get_ex(x, "home.sale", &x));
	cr_assert(json_object_object_get_ex(x, "properties", &x));
	cr_assert(json_object_object_get_ex(x, "prior", &x));
	cr_assert(json_object_object_get_ex(x, "anyOf", &any));
	cr_assert_eq(json_object_array_length(any), 2);
	cr_assert_str_eq(json_object_to_json_string_ext(json_object_array_get_idx(any, 0), JSON_C_TO_STRING_PLAIN),
			 "{\"enum\":[\"none\",null]}");
	x = json_object_array_get_idx(any, 1);
	cr_assert(json_object_object_get_ex(x, "properties", &x));
	cr_assert(json_object_object_get_ex(x, "most_recent", &x));
	cr_assert(json_object_object_get_ex(x, "x-edict-kind", &x));
	cr_assert_str_eq(json_object_get_string(x), "date");
	json_object_put(j);
	free(buf);
	edict_rules_free(r);
}

/* Why not: a member that carries a value is not offered without one. */
Test(schema, whynot_offers_no_member_without_its_value)
{
	edict_rules *r = load("home.edict", "enum status = single | married | widowed of date\n"
					    "fact person { status : status }\n"
					    "decision single_filer : bool = person.status != married\n");
	edict_ctx *a;
	cr_assert_eq(edict_ctx_new(r, &a), EDICT_OK);
	cr_assert_eq(edict_ctx_set_facts_json(a, "{\"person\":{\"status\":\"married\"}}", EDICT_NUL_TERMINATED), EDICT_OK);
	Buf out = {0};
	const char *err;
	cr_assert_eq(whatif_whynot_json(a, "single_filer", &out, &err), EDICT_OK);
	cr_assert(strstr(out.s, "single"), "%s", out.s);
	cr_assert_null(strstr(out.s, "widowed"), "%s", out.s);
}
