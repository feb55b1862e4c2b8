/*
 * test_cite.c - unit tests for interp/cite.c: declared documents and
 * citations.  Rules are loaded from text (load_sources); the tests look at
 * the diagnostics and at the citations the checker resolved: the printed
 * form, the document found, and stale quotes for each kind of figure
 * (amounts with "million", amounts with a currency first, percentages,
 * durations in words and in digits), both ways; and the symbol index an
 * editor uses, where a citation's document name leads to its declaration.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <string.h>

#include "cite.h"
#include "load.h"
#include "mem.h"
#include "symbols.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(cite, .init = setup);

static const char *const docs = "document g : guidance { title: \"Guidelines\", issuer: \"MSS\" }\n"
				"document r : regulation { title: \"Regulation 1\" }\n";

static Program *load(const char *text, Diags **out)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "t.edict";
	s->text = xprintf("%s%s", docs, text);
	s->len = strlen(s->text);
	const Source *srcs[1] = {s};
	*out = diag_new();
	return load_sources(srcs, 1, *out);
}

/* The messages of d, joined by newlines. */
static const char *messages(const Diags *d)
{
	char *all = "";
	for (int i = 0; i < d->n; i++)
		all = xprintf("%s%s: %s\n", all, diag_severity_name(d->items[i].sev), d->items[i].msg);
	return all;
}

static void expect_stale(const char *value, const char *quote, const char *want)
{
	Diags *d;
	load(xprintf("param x : %s source g \"s 1\": \"%s\"\n", value, quote), &d);
	const char *m = messages(d);
	if (want)
		cr_assert(strstr(m, want) != NULL, "%s / %s: got '%s'", value, quote, m);
	else
		cr_assert_eq(d->nwarnings + d->nerrors, 0, "%s / %s: got '%s'", value, quote, m);
}

Test(cite, printed_form_and_document)
{
	Diags *d;
	Program *p = load("decision x : bool = true source r \"Annex 1, column (a)\": \"Manufacture from fabric\"\n", &d);
	cr_assert_eq(d->nerrors, 0, "%s", messages(d));
	const Citation *c = &p->decls[0]->cases[0].cites[0];
	cr_assert_str_eq(c->document->name, "r");
	cr_assert_str_eq(cite_text(c), "Regulation 1, Annex 1, column (a): \"Manufacture from fabric\"");
	cr_assert_str_eq(cite_doc_field(c->document, "title"), "Regulation 1");
	cr_assert_null(cite_doc_field(c->document, "issuer"));
}

Test(cite, plain_sources_still_work)
{
	Diags *d;
	Program *p = load("decision x : bool = true source \"Task 4\" assumption \"to be confirmed\"\n", &d);
	cr_assert_eq(d->nerrors + d->nwarnings, 0, "%s", messages(d));
	cr_assert_str_eq(cite_text(&p->decls[0]->cases[0].cites[0]), "\"Task 4\"");
	cr_assert_null(p->decls[0]->cases[0].cites[0].document);
}

Test(cite, undeclared_document_is_an_error_with_a_hint)
{
	Diags *d;
	load("decision x : bool = true source gg \"s 1\"\n", &d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert(strstr(d->items[0].msg, "no document named 'gg'") != NULL);
	cr_assert_eq(d->items[0].loc.line, 3);
	cr_assert_eq(d->items[0].loc.col, 33);
}

Test(cite, regulation_without_pinpoint_warns_guidance_does_not)
{
	Diags *d;
	load("decision x : bool = true source r\ndecision y : bool = true source g\n", &d);
	cr_assert_eq(d->nerrors, 0);
	cr_assert_eq(d->nwarnings, 1, "%s", messages(d));
	cr_assert_eq(d->items[0].loc.line, 3);
}

Test(cite, stale_quotes)
{
	expect_stale("money KRW = 70_000_000 KRW", "up to 50 million KRW per company",
		     "quote says 50 million KRW, the value is 70,000,000 KRW");
	expect_stale("money KRW = 50_000_000 KRW", "up to 50 million KRW per company", NULL);
	expect_stale("money KRW = 200_000_000_000 KRW", "200B KRW Export Voucher Budget", NULL);
	expect_stale("money EUR = 6000 EUR", "consignments up to EUR 6,000", NULL);
	expect_stale("money EUR = 5000 EUR", "consignments up to EUR 6,000", "quote says EUR 6,000, the value is 5,000 EUR");
	expect_stale("money USD = 6000 USD", "consignments up to EUR 6,000", NULL); /* another currency: not compared */
	expect_stale("percent = 10%", "10%+ US export share", NULL);
	expect_stale("percent = 8%", "10%+ US export share", "quote says 10%, the value is 8%");
	expect_stale("percent = 55%", "at most 55% of FOB; 65% for LDCs", NULL);
	expect_stale("duration = 14 days", "within two weeks of application", NULL);
	expect_stale("duration = 10 days", "within two weeks of application", "quote says two weeks, the value is 10 days");
	expect_stale("duration = 6 months", "30,000 leads in 6 months", NULL);
	expect_stale("money KRW = 1 KRW", "no figure here", NULL);
}

Test(cite, stale_quote_through_a_parameter_names_its_date)
{
	Diags *d;
	load("param cap : money KRW\n"
	     "  from 2025-01-01 until 2025-09-01 = 50_000_000 KRW\n"
	     "  from 2025-09-01 = 70_000_000 KRW\n"
	     "decision c : money KRW = cap source g \"s 3\": \"up to 50 million KRW\"\n",
	     &d);
	cr_assert(strstr(messages(d), "the value is 70,000,000 KRW from 2025-09-01") != NULL, "%s", messages(d));
}

Test(cite, document_fields_are_checked)
{
	Diags *d;
	load("document bad : memo { title: 3, author: \"x\", date: \"2015\" }\n"
	     "document bad : law { title: \"again\" }\n",
	     &d);
	const char *m = messages(d);
	cr_assert(strstr(m, "'memo' is not a kind of document") != NULL, "%s", m);
	cr_assert(strstr(m, "the title of a document is a text in quotes") != NULL, "%s", m);
	cr_assert(strstr(m, "a document has no field 'author'") != NULL, "%s", m);
	cr_assert(strstr(m, "the date of a document is written like 2015-07-28") != NULL, "%s", m);
	cr_assert(strstr(m, "the document 'bad' is declared twice") != NULL, "%s", m);
}

Test(cite, the_document_name_of_a_citation_is_a_use_of_the_document)
{
	Diags *d;
	Program *p = load("decision x : bool = true source r \"Article 4\"\n", &d);
	cr_assert_eq(d->nerrors, 0, "%s", messages(d));
	SymIndex *ix = sym_index(p);
	const SymUse *u = sym_at(ix, "t.edict", 3, 34);
	cr_assert_not_null(u);
	cr_assert_eq(u->sym->kind, SK_DOCUMENT);
	cr_assert_str_eq(u->sym->name, "r");
	cr_assert_eq(u->sym->loc.line, 2);
}
