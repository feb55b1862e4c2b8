/*
 * test_format.c - unit tests for interp/format.c: values as Edict notation
 * and as JSON.
 *
 * The two forms are a contract (docs/language.md): Edict notation is what
 * an officer can paste back into a rule file; JSON is what `eval --json`
 * prints and what facts files contain.  Every value kind is checked in both.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "format.h"
#include "load.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(format, .init = setup);

static const char *edict(const Program *p, Value v)
{
	Buf b = {0};
	fmt_value(p, v, &b);
	cr_assert_str_eq(buf_cstr(&b), fmt_value_str(p, v), "fmt_value and fmt_value_str agree");
	return buf_cstr(&b);
}

static const char *json(const Program *p, Value v)
{
	Buf b = {0};
	fmt_json(p, v, &b);
	return buf_cstr(&b);
}

static Value dec(ValueTag tag, long long coef, int exp, const char *cur)
{
	Dec d = {coef, exp};
	return val_dec(tag, d, cur ? val_currency(cur) : 0);
}

static Program *program(void)
{
	static const char *text = "enum company_size = sme | midsize | large\n"
				  "record task { number : int  name : string  launch_month : int optional }\n";
	return tu_program(text);
}

static TypeDef *type_named(Program *p, const char *name)
{
	for (int i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i]->name, name) == 0)
			return p->types[i];
	cr_assert_fail("no type %s", name);
	return NULL;
}

Test(format, booleans_and_whole_numbers)
{
	cr_assert_str_eq(edict(NULL, val_bool(true)), "true");
	cr_assert_str_eq(json(NULL, val_bool(false)), "false");
	cr_assert_str_eq(edict(NULL, val_int(-42)), "-42");
	cr_assert_str_eq(json(NULL, val_int(9223372036854775807LL)), "9223372036854775807");
}

Test(format, decimals_keep_their_digits)
{
	cr_assert_str_eq(edict(NULL, dec(V_DEC, 250, -2, NULL)), "2.50");
	cr_assert_str_eq(json(NULL, dec(V_DEC, 250, -2, NULL)), "2.50", "a JSON number with its exact digits");
	cr_assert_str_eq(edict(NULL, dec(V_DEC, -5, -1, NULL)), "-0.5");
	cr_assert_str_eq(edict(NULL, dec(V_DEC, 12, 3, NULL)), "12000", "never exponent notation");
	Dec third;
	cr_assert_eq(dec_div(dec_from_int(1), dec_from_int(3), &third), DEC_OK);
	Value v = val_dec(V_DEC, third, 0);
	cr_assert_str_eq(json(NULL, v), "0.3333333333333333333333333333333333");
}

Test(format, money_percent_duration_date)
{
	cr_assert_str_eq(edict(NULL, dec(V_MONEY, 50000000, 0, "KRW")), "50000000 KRW");
	cr_assert_str_eq(json(NULL, dec(V_MONEY, 50000000, 0, "KRW")), "\"50000000 KRW\"");
	cr_assert_str_eq(edict(NULL, dec(V_MONEY, 1000, -2, "USD")), "10.00 USD");
	/* a percentage is kept as its fraction: 0.14 is 14% */
	cr_assert_str_eq(edict(NULL, dec(V_PCT, 14, -2, NULL)), "14%");
	cr_assert_str_eq(json(NULL, dec(V_PCT, 14, -2, NULL)), "\"14%\"");
	cr_assert_str_eq(edict(NULL, dec(V_PCT, 125, -3, NULL)), "12.5%");
	cr_assert_str_eq(edict(NULL, dec(V_PCT, 1, 0, NULL)), "100%");
	cr_assert_str_eq(edict(NULL, val_dur(14, DU_DAYS)), "14 days");
	cr_assert_str_eq(json(NULL, val_dur(14, DU_DAYS)), "\"14 days\"");
	cr_assert_str_eq(edict(NULL, val_dur(1, DU_DAYS)), "1 day");
	cr_assert_str_eq(edict(NULL, val_dur(2, DU_WEEKS)), "2 weeks");
	cr_assert_str_eq(edict(NULL, val_dur(1, DU_MONTHS)), "1 month");
	cr_assert_str_eq(edict(NULL, val_dur(-1, DU_YEARS)), "-1 year");
	cr_assert_str_eq(edict(NULL, val_dur(3, DU_YEARS)), "3 years");
	date_t d;
	cr_assert_eq(date_parse("2026-12-01", 10, &d), 0);
	cr_assert_str_eq(edict(NULL, val_date(d)), "2026-12-01");
	cr_assert_str_eq(json(NULL, val_date(d)), "\"2026-12-01\"");
}

Test(format, tariff_codes)
{
	Value v;
	cr_assert_eq(val_hs_parse("6205.20", 7, &v), 0);
	cr_assert_str_eq(edict(NULL, v), "hs \"6205.20\"");
	cr_assert_str_eq(json(NULL, v), "\"6205.20\"");
	cr_assert_eq(val_hs_parse("0101", 4, &v), 0);
	cr_assert_str_eq(edict(NULL, v), "hs \"0101\"", "leading zeros are kept");
	cr_assert_eq(val_hs_parse("6205.20.10", 10, &v), 0);
	cr_assert_str_eq(json(NULL, v), "\"6205.20.10\"");
	Buf b = {0};
	fmt_scalar_text(v, &b);
	cr_assert_str_eq(buf_cstr(&b), "6205.20.10");
}

Test(format, text_is_quoted_and_escaped)
{
	Value s = val_str("say \"hi\"\n\tand \\ go", 18);
	cr_assert_str_eq(edict(NULL, s), "\"say \\\"hi\\\"\\n\\tand \\\\ go\"");
	cr_assert_str_eq(json(NULL, s), "\"say \\\"hi\\\"\\n\\tand \\\\ go\"");
	cr_assert_str_eq(json(NULL, val_str("한빛", strlen("한빛"))), "\"한빛\"", "UTF-8 passes through");
	Buf b = {0};
	buf_json_str(&b, "a\x01z\r", 4);
	cr_assert_str_eq(buf_cstr(&b), "\"a\\u0001z\\r\"");
}

Test(format, unknown)
{
	cr_assert_str_eq(edict(NULL, val_unknown(NULL)), "unknown");
	cr_assert_str_eq(json(NULL, val_unknown(val_missing1("company.size", 12))), "null");
}

Test(format, enumeration_members_by_name)
{
	Program *p = program();
	TypeDef *td = type_named(p, "company_size");
	Value v = val_enum(td->id, 1);
	cr_assert_str_eq(edict(p, v), "midsize");
	cr_assert_str_eq(json(p, v), "\"midsize\"");
}

Test(format, lists)
{
	List *l = val_list_new(3);
	l->items[0] = val_int(1);
	l->items[1] = val_unknown(NULL);
	l->items[2] = dec(V_MONEY, 5, 0, "KRW");
	Value v = val_list(l);
	cr_assert_str_eq(edict(NULL, v), "[1, unknown, 5 KRW]");
	cr_assert_str_eq(json(NULL, v), "[1,null,\"5 KRW\"]");
	cr_assert_str_eq(edict(NULL, val_list(val_list_new(0))), "[]");
	cr_assert_str_eq(json(NULL, val_list(val_list_new(0))), "[]");
}

Test(format, records_by_field_name)
{
	Program *p = program();
	TypeDef *td = type_named(p, "task");
	Value r = val_rec(td->id, (uint32_t)td->nfields);
	r.as.r->f[0] = val_int(13);
	r.as.r->f[1] = val_str("FTA centre", 10);
	/* f[2] stays unknown: val_rec starts every field unknown */
	cr_assert_str_eq(edict(p, r), "{number: 13, name: \"FTA centre\", launch_month: unknown}");
	cr_assert_str_eq(json(p, r), "{\"number\":13,\"name\":\"FTA centre\",\"launch_month\":null}");
}

Test(format, nested_values)
{
	Program *p = program();
	TypeDef *td = type_named(p, "task");
	List *l = val_list_new(2);
	for (int i = 0; i < 2; i++) {
		l->items[i] = val_rec(td->id, 3);
		l->items[i].as.r->f[0] = val_int(i + 1);
		l->items[i].as.r->f[1] = val_str("t", 1);
		l->items[i].as.r->f[2] = val_int(i + 5);
	}
	cr_assert_str_eq(json(p, val_list(l)),
			 "[{\"number\":1,\"name\":\"t\",\"launch_month\":5},{\"number\":2,\"name\":\"t\",\"launch_month\":6}]");
}

Test(format, buffers_grow)
{
	Buf b = {0};
	cr_assert_str_eq(buf_cstr(&b), "", "an empty buffer reads as empty text");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	cr_assert_eq(b.n, 2000);
	cr_assert_eq(strlen(buf_cstr(&b)), 2000);
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	Buf c = {0};
	buf_printf(&c, "[%s]", big);
	cr_assert_eq(c.n, 601, "a line longer than the small buffer is printed whole");
}
