/*
 * test_value.c - unit tests for interp/value.c: runtime values.
 *
 * Equality across scales and units (1.5 = 1.50, 2 weeks = 14 days), the
 * hash that must agree with it (distinct and every hash table rely on
 * that), currencies as numbers, tariff codes, the facts an unknown
 * remembers, and the kind names messages use.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "value.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(value, .init = setup);

static Value dec(const char *text, ValueTag tag, uint16_t cur)
{
	Dec d;
	cr_assert_eq(dec_parse(text, strlen(text), &d), DEC_OK, "%s", text);
	return val_dec(tag, d, cur);
}

/* Equal values hash alike, and the pair is equal as expected. */
static void same(Value a, Value b, bool equal, const char *what)
{
	cr_expect_eq(val_equal(a, b), equal, "%s", what);
	cr_expect_eq(val_equal(b, a), equal, "%s (the other way)", what);
	if (equal)
		cr_expect_eq(val_hash(a), val_hash(b), "%s: equal values hash alike", what);
}

Test(value, numbers_are_equal_across_scales_and_hash_alike)
{
	same(dec("1.5", V_DEC, 0), dec("1.50", V_DEC, 0), true, "1.5 = 1.50");
	same(val_int(2), dec("2.000", V_DEC, 0), true, "2 = 2.000");
	same(val_int(0), dec("0.00", V_DEC, 0), true, "0 = 0.00");
	same(val_int(-30), dec("-30.0", V_DEC, 0), true, "-30 = -30.0");
	same(dec("12", V_PCT, 0), dec("12.0", V_PCT, 0), true, "percentages");
	same(val_int(2), dec("2.5", V_DEC, 0), false, "2 != 2.5");
	/* a coefficient too wide for 64 bits against its reduced form */
	same(dec("123456789012345678901234567890", V_DEC, 0), dec("123456789012345678901234567890.000", V_DEC, 0), true,
	     "wide decimals");
	same(dec("10000000000000000000000", V_DEC, 0), dec("10000000000000000000000.0", V_DEC, 0), true,
	     "wide, with trailing zeros");
}

Test(value, amounts_compare_by_currency)
{
	uint16_t krw = val_currency("KRW"), usd = val_currency("USD");
	same(dec("100", V_MONEY, krw), dec("100.00", V_MONEY, krw), true, "100 KRW = 100.00 KRW");
	same(dec("100", V_MONEY, krw), dec("100", V_MONEY, usd), false, "KRW against USD");
	/* the zero of an empty sum has no currency and equals any */
	same(dec("0", V_MONEY, 0), dec("0", V_MONEY, krw), true, "a zero without currency");
	same(dec("100", V_MONEY, krw), val_int(100), false, "money against a number");
	char text[4];
	val_currency_text(krw, text);
	cr_assert_str_eq(text, "KRW");
	cr_assert_eq(val_currency("krw"), 0);
	cr_assert_eq(val_currency("KR"), 0);
}

Test(value, durations_compare_by_length)
{
	same(val_dur(2, DU_WEEKS), val_dur(14, DU_DAYS), true, "2 weeks = 14 days");
	same(val_dur(1, DU_YEARS), val_dur(12, DU_MONTHS), true, "1 year = 12 months");
	same(val_dur(30, DU_DAYS), val_dur(1, DU_MONTHS), false, "days and months never meet");
}

Test(value, text_lists_and_members)
{
	same(val_str("seoul", 5), val_str("seoul", 5), true, "text");
	same(val_str("seoul", 5), val_str("busan", 5), false, "other text");
	same(val_enum(1, 2), val_enum(1, 2), true, "a member");
	same(val_enum(1, 2), val_enum(2, 2), false, "members of two enumerations");
	List *a = val_list_new(2), *b = val_list_new(2);
	a->items[0] = val_int(1), a->items[1] = dec("2.0", V_DEC, 0);
	b->items[0] = dec("1.00", V_DEC, 0), b->items[1] = val_int(2);
	same(val_list(a), val_list(b), true, "lists of equal items");
	b->items[1] = val_int(3);
	same(val_list(a), val_list(b), false, "lists that differ");
}

Test(value, tariff_codes)
{
	Value v;
	cr_assert_eq(val_hs_parse("6205.20", 7, &v), 0);
	cr_assert_eq(v.aux, 6);
	cr_assert_eq(v.as.i, 620520);
	cr_assert_eq(val_hs_chapter(v), 62);
	cr_assert_eq(val_hs_heading(v), 6205);
	cr_assert_eq(val_hs_parse("62", 2, &v), 0);
	cr_assert_eq(val_hs_heading(v), -1, "a chapter has no heading");
	cr_assert_neq(val_hs_parse("62x5", 4, &v), 0);
}

Test(value, unknowns_remember_their_facts_sorted_once)
{
	Value a = val_unknown(val_missing1("company.size", 12));
	Value b = val_unknown(val_missing1("company.share", 13));
	Value u = val_unknown_union(a, val_unknown_union(b, a));
	cr_assert_eq(u.tag, V_UNKNOWN);
	cr_assert_eq(u.as.m->len, 2);
	cr_assert_str_eq(u.as.m->paths[0]->data, "company.share");
	cr_assert_str_eq(u.as.m->paths[1]->data, "company.size");
	/* a known value adds nothing */
	cr_assert_eq(val_unknown_union(a, val_int(1)).as.m->len, 1);
}

Test(value, kinds_in_words)
{
	cr_assert_str_eq(val_kind_name(val_int(1)), "a whole number");
	cr_assert_str_eq(val_kind_name(dec("1", V_MONEY, 0)), "an amount of money");
	cr_assert_str_eq(val_kind_name(val_dur(1, DU_DAYS)), "a duration");
	cr_assert_str_eq(val_kind_name(val_unknown(NULL)), "unknown");
}
