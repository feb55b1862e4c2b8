/*
 * unit.c - the unit tests' shared helpers (unit.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "facts.h"
#include "format.h"
#include "mem.h"
#include "query.h"
#include "unit.h"

void tu_start(void)
{
	MEM_START();
}

const Source *tu_source(const char *path, const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = path;
	s->text = text;
	s->len = strlen(text);
	return s;
}

Program *tu_load(const char *text, Diags *d)
{
	const Source *srcs[1] = {tu_source("t.edict", text)};
	return load_sources(srcs, 1, d ? d : diag_new());
}

Program *tu_program(const char *text)
{
	return tu_program_at("t.edict", text);
}

Program *tu_program_at(const char *path, const char *text)
{
	Diags *d = diag_new();
	const Source *srcs[1] = {tu_source(path, text)};
	Program *p = load_sources(srcs, 1, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "rules do not check: %s (line %d)", d->n ? d->items[0].msg : "",
		     d->n ? d->items[0].loc.line : 0);
	return p;
}

Ctx *tu_ctx(Program *p, const char *facts)
{
	Ctx *c = vm_new(p);
	cr_assert_not_null(c);
	facts_clear(c);
	if (facts) {
		const char *err = NULL;
		int st = facts_load_json(c, facts, strlen(facts), "facts.json", &err);
		cr_assert_eq(st, ST_OK, "facts: %s", err);
	}
	date_parse("2026-12-01", 10, &c->as_of);
	vm_reset(c);
	return c;
}

int tu_run(Ctx *c, const char *q, Value *out)
{
	Diags *d = diag_new();
	Query *qq = query_compile((Program *)c->p, q, "--query", d);
	cr_assert_not_null(qq, "query %s: %s", q, d->n ? d->items[0].msg : "");
	vm_reset(c);
	return query_run(c, qq, out);
}

const char *tu_show(Ctx *c, const char *q)
{
	Value v;
	int st = tu_run(c, q, &v);
	if (st != ST_OK)
		return xprintf("error: %s", c->errmsg);
	return fmt_value_str(c->p, v);
}

const char *const TU_FACTS_RULES = "enum company_size = sme | midsize | large\n"
				   "record kpi_report { month : int  exports : money USD  on_target : bool optional }\n"
				   "record address { city : string  country : string default \"KR\" }\n"
				   "fact company {\n"
				   "  name : string optional\n"
				   "  size : company_size\n"
				   "  us_export_share : percent\n"
				   "  voucher_requested : money KRW optional\n"
				   "  voucher_received : money KRW default 0 KRW\n"
				   "  founded : date optional\n"
				   "  processing : duration optional\n"
				   "  hs_code : hscode optional\n"
				   "  staff : int optional\n"
				   "  rate : decimal optional\n"
				   "  listed : bool default false\n"
				   "  office : address optional\n"
				   "  tags : list of string default []\n"
				   "}\n"
				   "fact kpi_reports : list of kpi_report\n"
				   "fact fee : money optional\n"
				   "fact headcount : int over time\n";
