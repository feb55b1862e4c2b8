/*
 * test_factstext.c - the one-pass reader (interp/factstext.c) against the
 * full reader (json-c's tree, interp/facts.c), document by document.
 *
 * For a corpus of tricky documents (numbers with exponents and of many
 * digits, escapes, surrogates, bytes that are not UTF-8, nesting, keys
 * named twice, text after the document) and for every cut and one-byte
 * change of ordinary ones: whatever the one-pass reader accepts, the full
 * reader accepts too, with the same values (every field, the paths of the
 * unknown ones, the as-of date, the id as json-c writes it); whatever it
 * declines leaves the context as it was.  The ordinary documents must be
 * taken by the one-pass reader, so that it is the one that reads streams.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "explain.h"
#include "facts.h"
#include "format.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(factstext, .init = setup);

static Program *program(void)
{
	static Program *p;
	if (!p)
		p = tu_program(TU_FACTS_RULES);
	return p;
}

static Ctx *fresh(void)
{
	Ctx *c = vm_new(program());
	facts_clear(c);
	return c;
}

/* Every part of a value: fields and items in turn, an unknown's paths. */
static void digest(const Program *p, Value v, Buf *b)
{
	if (v.tag == V_REC) {
		buf_printf(b, "{%u:", v.aux);
		for (uint32_t i = 0; i < v.as.r->n; i++) {
			digest(p, v.as.r->f[i], b);
			buf_puts(b, ";");
		}
		buf_puts(b, "}");
	} else if (v.tag == V_LIST) {
		buf_puts(b, "[");
		for (uint32_t i = 0; i < v.as.l->len; i++) {
			digest(p, v.as.l->items[i], b);
			buf_puts(b, ";");
		}
		buf_puts(b, "]");
	} else if (v.tag == V_UNKNOWN) {
		buf_puts(b, "?");
		explain_missing_json(v, b);
	} else {
		buf_printf(b, "%d:", v.tag);
		fmt_value(p, v, b);
	}
}

static const char *facts_digest(const Ctx *c)
{
	Buf b = {0};
	buf_printf(&b, "as_of %d\n", c->as_of);
	for (int i = 0; i < c->p->nfacts; i++) {
		digest(c->p, c->facts[i], &b);
		buf_puts(&b, "\n");
	}
	return buf_cstr(&b);
}

/* One document through both readers; true when the one-pass reader took it. */
static bool compare(const char *doc, size_t len)
{
	Ctx *a = fresh();
	const char *before = facts_digest(a);
	FactsSpan id;
	int fast = facts_load_text(a, doc, len, NULL, &id);
	json_object *tree = NULL;
	FactsError e;
	int read = facts_read(doc, len, &tree, &e);
	Ctx *b = fresh();
	const char *err = NULL;
	int loaded = read == ST_OK ? facts_load_object(b, tree, "facts", &err) : read;
	if (fast != ST_OK) {
		cr_assert_eq(fast, ST_FACTS);
		cr_assert_str_eq(facts_digest(a), before, "a declined document changed the facts: %.*s", (int)len, doc);
		if (tree)
			json_object_put(tree);
		return false;
	}
	cr_assert_eq(read, ST_OK, "accepted, but json-c refuses (%s): %.*s", read == ST_OK ? "" : e.what, (int)len, doc);
	cr_assert_eq(loaded, ST_OK, "accepted, but the full reader refuses (%s): %.*s", err, (int)len, doc);
	cr_assert_str_eq(facts_digest(a), facts_digest(b), "values differ: %.*s", (int)len, doc);
	json_object *idj;
	if (json_object_object_get_ex(tree, "id", &idj)) {
		cr_assert_not_null(id.s, "the id is lost: %.*s", (int)len, doc);
		cr_assert_str_eq(xprintf("%.*s", (int)id.n, id.s), json_object_to_json_string_ext(idj, JSON_C_TO_STRING_PLAIN));
	} else {
		cr_assert_null(id.s);
	}
	json_object_put(tree);
	return true;
}

static bool compare_str(const char *doc)
{
	return compare(doc, strlen(doc));
}

/* Documents the one-pass reader must read itself. */
static const char *const ORDINARY[] = {
	"{\"id\":1,\"company\":{\"name\":\"Company 1\",\"size\":\"sme\",\"us_export_share\":\"19.6%\",\"voucher_requested\":"
	"\"94500000 KRW\",\"voucher_received\":\"56000000 KRW\",\"listed\":true}}",
	"{\"id\":\"c-7\",\"as_of\":\"2026-03-01\",\"company\":{\"size\":\"large\",\"founded\":\"2001-02-28\",\"processing\":"
	"\"14 days\",\"hs_code\":\"6205.20\",\"staff\":-12,\"rate\":1.50,\"office\":{\"city\":\"Seoul\"},\"tags\":[\"a\",\"b\"]},"
	"\"kpi_reports\":[{\"month\":1,\"exports\":\"100 USD\"},{\"month\":2,\"exports\":\"2.5 USD\",\"on_target\":false}],"
	"\"fee\":\"3 EUR\"}",
	" \t\r\n{ \"company\" : { \"size\" : \"midsize\" , \"name\" : null , \"rate\" : \"0.1\" , \"tags\" : [ ] } } \n",
	"\xef\xbb\xbf{\"company\":{\"size\":\"sme\",\"name\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 a\\\"b\\\\c\\/d\\n\"}}",
	"{\"company\":null,\"kpi_reports\":null,\"fee\":null}",
	"{\"company\":{\"size\":\"sme\",\"rate\":-0,\"staff\":0,\"tags\":[\"x\",null]},\"id\":-5}",
	"{}",
};

Test(factstext, ordinary_documents_are_read_in_one_pass)
{
	for (size_t i = 0; i < sizeof ORDINARY / sizeof ORDINARY[0]; i++)
		cr_assert(compare_str(ORDINARY[i]), "declined: %s", ORDINARY[i]);
}

Test(factstext, tricky_documents_agree_with_json_c)
{
	static const char *const docs[] = {
		/* numbers */
		"{\"company\":{\"size\":\"sme\",\"staff\":1e3}}", "{\"company\":{\"size\":\"sme\",\"rate\":1E3}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":1.5e-2}}", "{\"company\":{\"size\":\"sme\",\"rate\":-0.0}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":007}}", "{\"company\":{\"size\":\"sme\",\"rate\":1.}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":.5}}", "{\"company\":{\"size\":\"sme\",\"rate\":+1}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":00}}", "{\"company\":{\"size\":\"sme\",\"rate\":-01}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":01.5}}", "{\"company\":{\"size\":\"sme\",\"rate\":1.e5}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":0.}}", "{\"id\":00}",
		"{\"company\":{\"size\":\"sme\",\"staff\":123456789012345678}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":1234567890123456789}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":9223372036854775807}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":-9223372036854775808}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":12345678901234567890123}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":12345678901234567890123}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":1234567890123456789012345678901234.5}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":0.0000000000000000000000000000000000001}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":100000000000000000000000000000000000000000000000000.5}}",
		"{\"company\":{\"size\":\"sme\",\"staff\":1.0}}", "{\"company\":{\"size\":\"sme\",\"staff\":\"1\"}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":-}}", "{\"company\":{\"size\":\"sme\",\"rate\":1x}}",
		"{\"company\":{\"size\":\"sme\",\"rate\":NaN}}", "{\"company\":{\"size\":\"sme\",\"rate\":\" 1\"}}",
		/* escapes, surrogates, UTF-8 */
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\u00e9\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\ud83d\\ude00\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\ud83d\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\udc00x\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\u0000\"}}", "{\"company\":{\"size\":\"sme\",\"name\":\"\\x\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\\\"}}", "{\"company\":{\"size\":\"sme\",\"name\":\"a\tb\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\xc3\x28\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\xc0\xaf\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\xed\xa0\x80\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\xf4\x90\x80\x80\"}}",
		"{\"company\":{\"size\":\"sme\",\"name\":\"\xe2\x82\"}}", "{\"company\":{\"size\":\"sme\",\"name\":\"\xff\"}}",
		"{\"company\":{\"\\u0073ize\":\"sme\"}}", "{\"company\":{\"size\":\"s\\u006de\"}}",
		"{\"company\":{\"size\":\"sme\",\"hs_code\":\"6205\\u002e20\"}}",
		/* keys twice, unknown keys */
		"{\"company\":{\"size\":\"sme\",\"size\":\"large\"}}", "{\"company\":{\"name\":null,\"name\":\"x\",\"size\":\"sme\"}}",
		"{\"company\":{\"size\":\"sme\"},\"company\":{\"size\":\"sme\"}}", "{\"as_of\":\"2026-01-01\",\"as_of\":\"2026-01-02\"}",
		"{\"id\":1,\"id\":2}", "{\"company\":{\"size\":\"sme\",\"sizes\":\"sme\"}}", "{\"compan\":{}}",
		"{\"company\":{\"size\":\"sme\",\"office\":{\"city\":\"a\",\"city\":\"b\"}}}",
		/* nesting */
		"{\"company\":{\"size\":\"sme\",\"office\":{\"city\":\"Busan\",\"country\":\"KR\"}}}",
		"{\"company\":{\"size\":\"sme\",\"tags\":[[\"a\"]]}}", "{\"company\":{\"size\":\"sme\",\"office\":[]}}",
		"{\"kpi_reports\":[{\"month\":1,\"exports\":\"1 USD\"},null]}",
		"{\"kpi_reports\":[{\"month\":1,\"exports\":\"1 KRW\"}]}",
		/* the end of the document */
		"{\"company\":{\"size\":\"sme\"}} x", "{\"company\":{\"size\":\"sme\"}}}", "{\"company\":{\"size\":\"sme\"}},",
		"{\"company\":{\"size\":\"sme\",}}", "{\"company\":{\"size\":\"sme\",\"tags\":[\"a\",]}}",
		"{\"company\":{\"size\":\"sme\"}", "{\"company\":{\"size\":\"sme\"}} \n\t ", "{\"company\":{\"size\":\"sme\"}}\v",
		/* other kinds and forms */
		"", " ", "null", "[]", "1", "\"x\"", "{'company':{}}", "{\"company\":{'size':'sme'}}",
		"{\"company\":{\"size\":\"SME\"}}", "{\"company\":{\"size\":\"\"}}", "{\"company\":{\"size\":1}}",
		"{\"company\":{\"size\":\"sme\",\"listed\":\"true\"}}", "{\"company\":{\"size\":\"sme\",\"listed\":tru}}",
		"{\"company\":{\"size\":\"sme\",\"listed\":truex}}", "{\"company\":{\"size\":\"sme\",\"listed\":nul}}",
		"{\"company\":{\"size\":\"sme\",\"voucher_requested\":\" 5 KRW\"}}",
		"{\"company\":{\"size\":\"sme\",\"voucher_requested\":\"5  KRW\"}}",
		"{\"company\":{\"size\":\"sme\",\"voucher_requested\":\"5 USD\"}}",
		"{\"company\":{\"size\":\"sme\",\"us_export_share\":\"12 %\"}}",
		"{\"company\":{\"size\":\"sme\",\"founded\":\"2026-02-30\"}}", "{\"as_of\":\"2026-12-01 \"}",
		"{\"as_of\":20261201}", "{\"id\":-0}", "{\"id\":1.5}", "{\"id\":{\"a\":1}}", "{\"id\":\"a/b\"}",
		"{\"id\":\"caf\xc3\xa9\"}", "{\"id\":12345678901234567890123}", "{\"id\":\"a\\nb\"}", "{\"id\":null}",
		"{\"id\":true}", "{\"company\":{\"size\":\"sme\"},\"fee\":\"3 XXX\"}",
	};
	int taken = 0;
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		taken += compare_str(docs[i]);
	cr_assert_gt(taken, 5, "the one-pass reader took only %d of the tricky documents", taken);
}

Test(factstext, nesting_past_the_limit)
{
	Buf b = {0};
	buf_puts(&b, "{\"company\":{\"size\":\"sme\",\"tags\":");
	for (int i = 0; i < FACTS_MAX_DEPTH + 4; i++)
		buf_puts(&b, "[");
	for (int i = 0; i < FACTS_MAX_DEPTH + 4; i++)
		buf_puts(&b, "]");
	buf_puts(&b, "}}");
	cr_assert_not(compare_str(buf_cstr(&b)));
}

Test(factstext, every_cut_and_byte_change_agrees)
{
	static const char subst[] = {'"', '\\', '}', ']', ',', ':', '0', '-', '.', 'e', ' ', 'n', '\x80', '\xc3', '{', '['};
	for (size_t d = 0; d < 3; d++) {
		const char *doc = ORDINARY[d];
		size_t len = strlen(doc);
		char *m = GC_MALLOC_ATOMIC(len + 1);
		for (size_t i = 0; i < len; i++) {
			compare(doc, i);
			for (size_t k = 0; k < sizeof subst; k++) {
				memcpy(m, doc, len + 1);
				m[i] = subst[k];
				compare(m, len);
			}
		}
	}
}
