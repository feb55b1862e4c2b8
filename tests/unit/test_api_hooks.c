/*
 * test_api_hooks.c - unit tests for the library's internal interface for
 * front ends (interp/api.h): what-if on parameters and decisions
 * (api_override, api_clear_overrides), as a server asks it.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "api.h"

static const char *rules =
	"module voucher\n"
	"enum company_size = sme | midsize | large\n"
	"fact company { size : company_size  us_export_share : percent }\n"
	"param priority_share : percent = 10%\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.us_export_share >= priority_share\n"
	"decision award : money KRW = if priority then 30_000_000 KRW else 10_000_000 KRW\n";

static edict_ctx *context(const char *facts)
{
	cr_assert_eq(edict_init(), EDICT_OK);
	edict_rules *r;
	cr_assert_eq(edict_load_source("voucher.edict", rules, EDICT_NUL_TERMINATED, &r), EDICT_OK, "%s",
		     edict_rules_report(r));
	edict_ctx *x;
	cr_assert_eq(edict_ctx_new(r, &x), EDICT_OK);
	edict_rules_free(r);
	cr_assert_eq(edict_ctx_set_facts_json(x, facts, EDICT_NUL_TERMINATED), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_eq(edict_ctx_set_as_of(x, "2026-12-01"), EDICT_OK);
	return x;
}

static const char *text_of(edict_ctx *x, const char *query)
{
	edict_value *v;
	cr_assert_eq(edict_eval(x, query, &v), EDICT_OK, "%s", edict_ctx_errmsg(x));
	return edict_value_text(v);
}

Test(api_hooks, what_if_a_parameter_changes)
{
	edict_ctx *x = context("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"8%\"}}");
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_eq(api_override(x, "priority_share", "5%"), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_str_eq(text_of(x, "priority"), "true");
	cr_assert_str_eq(text_of(x, "award"), "30000000 KRW");
	/* a decision, fixed: what depends on it follows */
	cr_assert_eq(api_override(x, "voucher.priority", "false"), EDICT_OK, "%s", edict_ctx_errmsg(x));
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_eq(api_clear_overrides(x), EDICT_OK);
	cr_assert_str_eq(text_of(x, "award"), "10000000 KRW");
	cr_assert_str_eq(text_of(x, "priority_share"), "10%");
	edict_ctx_free(x);
}

Test(api_hooks, what_if_refuses_what_it_cannot_do)
{
	edict_ctx *x = context("{\"company\": {\"size\": \"sme\", \"us_export_share\": \"8%\"}}");
	cr_assert_eq(api_override(x, "priority_shares", "5%"), EDICT_EUSAGE);
	cr_assert_str_eq(edict_ctx_errmsg(x),
			 "there is no decision or parameter named 'priority_shares'; did you mean 'priority_share'?");
	cr_assert_eq(api_override(x, "priority_share", "5 KRW"), EDICT_EFACTS);
	cr_assert(strstr(edict_ctx_errmsg(x), "voucher.priority_share: "), "%s", edict_ctx_errmsg(x));
	cr_assert_eq(api_override(x, "priority_share", NULL), EDICT_EUSAGE);
	cr_assert_eq(api_override(NULL, "priority_share", "5%"), EDICT_EUSAGE);
	/* nothing was fixed */
	cr_assert_str_eq(text_of(x, "priority_share"), "10%");
	edict_ctx_free(x);
}
