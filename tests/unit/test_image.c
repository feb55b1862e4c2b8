/*
 * test_image.c - unit tests for compiled images (interp/image.c,
 * interp/imgload.c): an image written and read back gives the same trees
 * (written again, the same bytes) and the same answers; a damaged,
 * truncated or foreign image is refused with its reason, never read out of
 * bounds; the start-up cache writes an image, uses it, and notices a file
 * that changed.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image.h"
#include "load.h"
#include "mem.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
	char tmpl[] = "/tmp/edict-test-image-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_eq(chdir(tmpl), 0);
}

TestSuite(image, .init = setup);

static void put(const char *path, const char *text)
{
	mkdir("rules", 0700);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* Three modules with much of what the parser builds: a document and a
 * citation of it, an enum, a fact record with a default, a dated param, a
 * table with input columns and cell tests, a comprehension, a test; an
 * enum member carrying a value and a match on it, a fact over time read
 * with 'at', a requirement, a scale with a dated threshold, a function with
 * dated cases, a test giving dated values. */
static void write_rules(void)
{
	put("rules/facts.edict",
		"module facts\n"
		"\n"
		"document law : regulation {\n"
		"  title: \"Voucher Rules\",\n"
		"  issuer: \"Ministry\"\n"
		"}\n"
		"\n"
		"enum company_size = sme | midsize | large\n"
		"  source \"facts contract\"\n"
		"\n"
		"fact company {\n"
		"  size : company_size\n"
		"  share : percent\n"
		"  asked : money KRW\n"
		"  received : money KRW default 0 KRW\n"
		"}\n");
	put("rules/voucher.edict",
		"module voucher\n"
		"\n"
		"param cap : money KRW = 50_000_000 KRW\n"
		"  source law \"Art. 4\": \"up to 50 million KRW\"\n"
		"\n"
		"param priority_share : percent\n"
		"  from 2025-05-01 = 10%\n"
		"\n"
		"decision eligible : bool =\n"
		"  company.size in [sme, midsize]\n"
		"\n"
		"decision award : money KRW =\n"
		"  if eligible then min(company.asked, max(cap - company.received, 0 KRW)) else 0 KRW\n"
		"\n"
		"table band : string hit first\n"
		"  input company.share | company.size\n"
		"  when < 5%           | -           then \"low\"\n"
		"  when [5%..20%]      | sme, midsize then \"mid\"\n"
		"  when -              | -           then \"high\"\n"
		"\n"
		"decision bands : list of string = [b for b in [\"x\", band] where b != \"x\"]\n"
		"\n"
		"test \"an sme gets what it asks\" {\n"
		"  as of 2026-06-01\n"
		"  given company = {size: sme, share: 3%, asked: 1000 KRW}\n"
		"  expect award = 1000 KRW\n"
		"  expect band = \"low\"\n"
		"}\n");	put("rules/law.edict",
		"module law\n"
		"\n"
		"enum prior_sale = none | most_recent of date\n"
		"\n"
		"fact earner {\n"
		"  income : money KRW\n"
		"  share : percent over time\n"
		"  prior : prior_sale\n"
		"}\n"
		"\n"
		"require \"an income is not negative\":\n"
		"  earner.income >= 0 KRW\n"
		"\n"
		"param tax_scale : scale\n"
		"  bracket from 0 KRW rate 6%\n"
		"  bracket from 12_000_000 KRW rate 15%\n"
		"    threshold from 2023-01-01 = 14_000_000 KRW\n"
		"\n"
		"function credit(x : money KRW) : money KRW\n"
		"  default 0 KRW\n"
		"  exception small when x < 20_000_000 KRW then 100 KRW from 2024-01-01\n"
		"\n"
		"decision tax : money KRW = round_down(marginal_tax(tax_scale, earner.income)) - credit(earner.income)\n"
		"\n"
		"decision old_share : percent = earner.share at 2025-03-31\n"
		"\n"
		"decision recent : bool = match earner.prior { most_recent(d) => d > 2024-01-01, none => false, }\n"
		"\n"
		"enum filing = paper | online\n"
		"\n"
		"decision web : bool = online in [online, paper]\n"
		"\n"
		"test \"a small earner\" {\n"
		"  as of 2025-05-20\n"
		"  given earner.income = 15_000_000 KRW\n"
		"  given earner.share\n"
		"    from 2025-01-01 = 12%\n"
		"    from 2025-04-01 = 7%\n"
		"  given earner.prior = most_recent(2024-06-01)\n"
		"  expect old_share = 12%\n"
		"  expect recent\n"
		"  expect tax = 989_900 KRW\n"
		"}\n");
}

static const char *const rule_dir[] = {"rules"};
static const char *const facts =
	"{\"company\": {\"size\": \"sme\", \"share\": \"12%\", \"asked\": \"70000000 KRW\", \"received\": \"0 KRW\"}}";

static char *read_all(const char *path, size_t *len)
{
	return load_file(path, IMAGE_MAX_BYTES, len, &(const char *){NULL});
}

static char *compile_rules(size_t *len)
{
	write_rules();
	Diags *d = diag_new();
	cr_assert(load_compile_image(rule_dir, 1, "rules.edc", d), "%s", d->n ? d->items[0].msg : "?");
	return read_all("rules.edc", len);
}

/* Every module of an image, decoded; NULL at the first damaged one. */
static Module **decode(const Image *img, const char **err)
{
	Module **mods = GC_MALLOC(sizeof(Module *) * (size_t)image_nfiles(img));
	for (int i = 0; i < image_nfiles(img); i++) {
		Outline o;
		if (!image_outline(img, i, &o)) {
			*err = "outline";
			return NULL;
		}
		if (!(mods[i] = image_module(img, i, false, NULL, diag_new(), err)))
			return NULL;
	}
	return mods;
}

Test(image, written_again_gives_the_same_bytes)
{
	size_t len;
	char *data = compile_rules(&len);
	const char *err = NULL;
	Image *img = image_open(data, len, &err);
	cr_assert_not_null(img, "%s", err);
	int n = image_nfiles(img);
	cr_assert_eq(n, 3); /* facts, law and voucher; they import no standard module */
	Module **mods = decode(img, &err);
	cr_assert_not_null(mods, "%s", err);
	bool *std = GC_MALLOC_ATOMIC((size_t)n);
	for (int i = 0; i < n; i++)
		std[i] = image_file(img, i)->std;
	size_t len2;
	char *again = image_encode(mods, std, n, image_clean(img), NULL, &len2);
	cr_assert_eq(len2, len);
	cr_assert(memcmp(again, data, len) == 0);
}

static const char *award(const char *const *paths)
{
	Diags *d = diag_new();
	Program *p = load_paths(paths, 1, d);
	cr_assert(p && d->nerrors == 0, "%s", d->n ? d->items[0].msg : "no program");
	return tu_show(tu_ctx(p, facts), "voucher.award");
}

Test(image, a_program_from_its_image_answers_as_from_its_files)
{
	size_t len;
	compile_rules(&len);
	const char *from_files = award(rule_dir);
	cr_assert_str_eq(from_files, "50000000 KRW");
	cr_assert_str_eq(award((const char *const[]){"rules.edc"}), from_files);
	/* for a query: only what it reaches, as a load of the files does */
	Diags *d = diag_new();
	Program *p = load_image("rules.edc", (const char *const[]){"voucher.award"}, 1, d);
	cr_assert(p && d->nerrors == 0);
	cr_assert_str_eq(tu_show(tu_ctx(p, facts), "voucher.award"), from_files);
}

/* law's decisions, each shown, from a program loaded from paths */
static const char *law_answers(const char *const *paths)
{
	static const char *const law_facts = "{\"earner\": {\"income\": \"15000000 KRW\", \"prior\": {\"most_recent\": "
					     "\"2024-06-01\"}, \"share\": {\"2025-01-01\": \"12%\", \"2025-04-01\": \"7%\"}}}";
	Diags *d = diag_new();
	Program *p = load_paths(paths, 1, d);
	cr_assert(p && d->nerrors == 0, "%s", d->n ? d->items[0].msg : "no program");
	Ctx *c = tu_ctx(p, law_facts);
	return xprintf("%s %s %s", tu_show(c, "law.tax"), tu_show(c, "law.old_share"), tu_show(c, "law.recent"));
}

Test(image, scales_facts_over_time_and_functions_with_cases_answer_from_an_image)
{
	size_t len;
	compile_rules(&len);
	const char *from_files = law_answers(rule_dir);
	/* 14M at 6% and 1M at 15% (the threshold raised in 2023), less the credit */
	cr_assert_str_eq(from_files, "989900 KRW 12% true");
	cr_assert_str_eq(law_answers((const char *const[]){"rules.edc"}), from_files);
}

static const char *refusal(const char *data, size_t len)
{
	const char *err = NULL;
	Image *img = image_open(data, len, &err);
	if (img && decode(img, &err))
		return NULL;
	cr_assert_not_null(err);
	return err;
}

static Decl *find_decl(Module *const *mods, int n, const char *name, DeclKind kind)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < mods[i]->ndecls; j++) {
			Decl *d = mods[i]->decls[j];
			if (d->kind == kind && (!name || (d->name && strcmp(d->name, name) == 0)))
				return d;
		}
	cr_assert_fail("no declaration %s", name ? name : "of that kind");
	return NULL;
}

/* One damage to law's trees that the parser never makes; the reason the
 * reader then gives. */
static const char *damage(Module *const *mods, int n, int k)
{
	Decl *credit = find_decl(mods, n, "credit", D_FUNCTION);
	Decl *scale = find_decl(mods, n, "tax_scale", D_PARAM);
	Decl *tax = find_decl(mods, n, "tax", D_DECISION);
	Decl *test = find_decl(mods, n, "a small earner", D_TEST);
	switch (k) {
	case 0: credit->ncases = 0; return "a function in it has no body";
	case 1: /* a copy of its default, a literal */
		credit->body = GC_MALLOC(sizeof(Node));
		*credit->body = *credit->cases[0].value;
		return "both a body and cases";
	case 5: credit->cases[1].value = credit->cases[0].value; return "a node in it has two parents";
	case 2: scale->brackets[0].values[0].label = "bogus"; return "a bracket in it has a part the parser never makes";
	case 3: tax->brackets = scale->brackets; tax->nbrackets = scale->nbrackets; return "brackets in it belong";
	case 4:
		for (int i = 0; i < test->nsteps; i++)
			if (test->steps[i].expr && test->steps[i].expr->kind == N_SERIES)
				test->steps[i].expr->nkids = 3; /* a date without its value */
		return "a shape the parser never makes";
	}
	return NULL;
}

/* The image in data with damage k, sealed (its checksum matches); the
 * reason a reader gives in *why. */
static char *damaged(const char *data, size_t len, int k, const char **why, size_t *len2)
{
	const char *err = NULL;
	Image *img = image_open(data, len, &err);
	cr_assert_not_null(img, "%s", err);
	int n = image_nfiles(img);
	Module **mods = decode(img, &err);
	cr_assert_not_null(mods, "%s", err);
	bool *std = GC_MALLOC_ATOMIC((size_t)n);
	for (int i = 0; i < n; i++)
		std[i] = image_file(img, i)->std;
	*why = damage(mods, n, k);
	return image_encode(mods, std, n, image_clean(img), NULL, len2);
}

Test(image, a_function_scale_or_dated_values_the_parser_never_makes_is_refused)
{
	size_t len;
	char *data = compile_rules(&len);
	for (int k = 0; k < 6; k++) {
		const char *why;
		size_t len2;
		char *bad = damaged(data, len, k, &why, &len2);
		const char *got = refusal(bad, len2);
		cr_assert(got && strstr(got, why), "damage %d: refused with '%s', not '%s'", k, got ? got : "(read)", why);
	}
}

Test(image, a_foreign_or_damaged_header_is_refused_with_its_reason)
{
	size_t len;
	char *data = compile_rules(&len);
	char *c = GC_MALLOC_ATOMIC(len);
	memcpy(c, data, len);
	c[0] = 'X';
	cr_assert(strstr(refusal(c, len), "not an Edict image"));
	memcpy(c, data, len);
	c[8] = 99;
	cr_assert(strstr(refusal(c, len), "another version of the image format"));
	memcpy(c, data, len);
	c[20] ^= 1;
	cr_assert(strstr(refusal(c, len), "another build of edict"));
	memcpy(c, data, len);
	c[len - 1] ^= 1;
	cr_assert(strstr(refusal(c, len), "checksum"));
	cr_assert(strstr(refusal(data, len - 1), "length"));
	cr_assert(strstr(refusal(data, 10), "not an Edict image"));
}

Test(image, every_truncation_is_refused)
{
	size_t len;
	char *data = compile_rules(&len);
	char *c = GC_MALLOC_ATOMIC(len);
	for (size_t k = IMAGE_HEADER_BYTES; k < len; k += 1 + k / 64) {
		memcpy(c, data, k);
		image_seal(c, k); /* past the checksum: the structure itself must tell */
		cr_assert_not_null(refusal(c, k), "a cut at %zu was read as an image", k);
	}
}

Test(image, changed_bytes_never_crash)
{
	size_t len;
	char *data = compile_rules(&len);
	char *c = GC_MALLOC_ATOMIC(len);
	for (size_t k = IMAGE_HEADER_BYTES; k < len; k += 13) {
		memcpy(c, data, len);
		c[k] = (char)(c[k] ^ (1 << (k % 8)));
		image_seal(c, len);
		const char *err = NULL;
		Image *img = image_open(c, len, &err);
		Module **mods = img ? decode(img, &err) : NULL;
		if (mods)
			(void)load_build(mods, image_nfiles(img), diag_new());
		else
			cr_assert_not_null(err);
	}
}

/* Whether the program holds a declaration of that name and kind. */
static bool holds(const Program *p, const char *name, DeclKind kind)
{
	for (int i = 0; i < p->nmods; i++)
		for (int j = 0; j < p->mods[i]->ndecls; j++) {
			const Decl *d = p->mods[i]->decls[j];
			if (d->kind == kind && (!name || (d->name && strcmp(d->name, name) == 0)))
				return true;
		}
	return false;
}

static Program *load_for(const char *path, const char *query, Diags *d)
{
	return load_image(path, (const char *const[]){query}, 1, d);
}

Test(image, a_query_of_a_name_reads_the_rules_it_names_what_they_name_and_their_types)
{
	size_t len;
	compile_rules(&len);
	Diags *d = diag_new();
	Program *p = load_for("rules.edc", "voucher.award", d);
	cr_assert(p && d->n == 0, "%s", d->n ? d->items[0].msg : "no program");
	/* award names eligible and cap; nothing names band, bands or priority_share */
	cr_assert(holds(p, "award", D_DECISION) && holds(p, "eligible", D_DECISION) && holds(p, "cap", D_PARAM));
	cr_assert(!holds(p, "band", D_TABLE) && !holds(p, "bands", D_DECISION) && !holds(p, "priority_share", D_PARAM));
	cr_assert(!holds(p, NULL, D_TEST));
	/* every fact, the types and documents these name; no other type, nor
	 * the requirement of a module read for its types */
	cr_assert(holds(p, "company", D_FACT) && holds(p, "earner", D_FACT) && holds(p, "prior_sale", D_ENUM));
	cr_assert(holds(p, "law", D_DOCUMENT) && !holds(p, "filing", D_ENUM));
	cr_assert(!holds(p, "tax", D_DECISION) && !holds(p, NULL, D_REQUIRE));
	cr_assert_str_eq(tu_show(tu_ctx(p, facts), "voucher.award"), "50000000 KRW");
	/* bands names band inside a comprehension; a name without its module */
	p = load_for("rules.edc", "bands", d);
	cr_assert(p && d->n == 0 && holds(p, "band", D_TABLE) && !holds(p, "award", D_DECISION));
	cr_assert_str_eq(tu_show(tu_ctx(p, facts), "voucher.bands"), "[\"mid\"]");
	/* law's tax names the scale and the function; its requirement is read */
	p = load_for("rules.edc", "law.tax", d);
	cr_assert(p && d->n == 0 && holds(p, "tax_scale", D_PARAM) && holds(p, "credit", D_FUNCTION));
	cr_assert(holds(p, NULL, D_REQUIRE) && !holds(p, "recent", D_DECISION) && !holds(p, "filing", D_ENUM));
	/* web names its enumeration only by its members */
	p = load_for("rules.edc", "law.web", d);
	cr_assert(p && d->n == 0 && holds(p, "filing", D_ENUM));
}

/* The repository's rule library (this file is tests/unit/test_image.c). */
static const char *library(void)
{
	const char *f = __FILE__;
	const char *end = strstr(f, "tests/unit/test_image.c");
	cr_assert(end && f[0] == '/', "built from %s", f);
	return xprintf("%.*srules/kotra", (int)(end - f), f);
}

/* Every public decision of the rule library, as a query of its own: what
 * the image reads loads without a diagnostic (nothing it names is left
 * out), holds the decision and is less than the whole.  Not under GC
 * stress (a collection at every allocation of the whole library's
 * compilation: tens of seconds). */
Test(image, every_decision_of_the_library_loads_from_what_its_query_reads)
{
	if (mem_stress())
		cr_skip_test("a collection at every allocation");
	const char *rules[] = {library()};
	Diags *d = diag_new();
	cr_assert(load_compile_image(rules, 1, "kotra.edc", d), "%s", d->n ? d->items[0].msg : "?");
	const Program *all = load_image("kotra.edc", NULL, 0, d);
	cr_assert(all && d->n == 0);
	int tried = 0;
	for (int i = 0; i < all->ndecls; i++) {
		const Decl *dl = all->decls[i];
		if (dl->kind == D_PARAM || dl->private_)
			continue;
		tried++;
		d = diag_new();
		Program *p = load_for("kotra.edc", dl->qname, d);
		cr_assert(p && d->n == 0, "%s: %s", dl->qname, d->n ? d->items[0].msg : "no program");
		cr_assert(holds(p, dl->name, dl->kind), "%s", dl->qname);
		cr_assert_lt(p->ndecls, all->ndecls, "%s: read whole", dl->qname);
	}
	cr_assert_gt(tried, 2);
}

Test(image, a_query_that_is_no_plain_name_or_names_no_rule_reads_the_modules_whole)
{
	size_t len;
	compile_rules(&len);
	Diags *d = diag_new();
	Program *p = load_for("rules.edc", "voucher.award + 1 KRW", d);
	cr_assert(p && d->n == 0 && holds(p, "band", D_TABLE) && holds(p, NULL, D_TEST));
	p = load_for("rules.edc", "voucher.awrd", d);
	cr_assert(p && d->n == 0 && holds(p, "band", D_TABLE) && holds(p, "award", D_DECISION));
}

/* Rules that load with a warning (a quote that no longer says the value,
 * of a param the query does not name): their image reads a reached module
 * whole, so a query gives the warnings a load of the files gives. */
Test(image, an_image_of_rules_with_a_warning_reads_the_modules_a_query_reaches_whole)
{
	write_rules();
	put("rules/voucher.edict",
		"module voucher\n"
		"\n"
		"param cap : money KRW = 50_000_000 KRW\n"
		"  source law \"Art. 4\": \"up to 40 million KRW\"\n"
		"\n"
		"decision award : money KRW = company.asked\n");
	Diags *d = diag_new();
	cr_assert(load_compile_image(rule_dir, 1, "rules.edc", d));
	cr_assert_eq(d->nerrors, 0);
	cr_assert_eq(d->n, 1, "the stale quote's warning");
	Diags *from_files = diag_new(), *from_image = diag_new();
	Program *p = load_paths_for(rule_dir, 1, (const char *const[]){"voucher.award"}, 1, from_files);
	cr_assert(p && from_files->n == 1);
	p = load_for("rules.edc", "voucher.award", from_image);
	cr_assert(p && from_image->n == 1 && holds(p, "cap", D_PARAM));
	cr_assert_str_eq(from_image->items[0].msg, from_files->items[0].msg);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* The rules' image with damage k, sealed, written to path. */
static void write_damaged(int k, const char *path)
{
	size_t len, len2;
	const char *why;
	char *data = compile_rules(&len);
	char *bad = damaged(data, len, k, &why, &len2);
	write_file(path, bad, len2);
}

/* A damaged declaration a query does not read (law's test) does not stop
 * it; one it reads (credit, which tax calls) is refused with its reason,
 * as is the whole image.  (A changed byte anywhere fails the checksum
 * first: this damage was sealed past it.) */
Test(image, a_damaged_declaration_is_refused_when_read_and_only_then)
{
	write_damaged(4, "test-damaged.edc");
	Diags *d = diag_new();
	Program *p = load_for("test-damaged.edc", "law.tax", d);
	cr_assert(p && d->n == 0, "%s", d->n ? d->items[0].msg : "no program");
	cr_assert_str_eq(tu_show(tu_ctx(p, "{\"earner\": {\"income\": \"15000000 KRW\", \"share\": {}, \"prior\": \"none\"}}"),
				 "law.tax"),
			 "989900 KRW");
	p = load_image("test-damaged.edc", NULL, 0, d);
	cr_assert(!p && d->nerrors == 1 && strstr(d->items[0].msg, "a shape the parser never makes"));
	write_damaged(0, "credit-damaged.edc");
	d = diag_new();
	p = load_for("credit-damaged.edc", "law.tax", d);
	cr_assert(!p && d->nerrors == 1 && strstr(d->items[0].msg, "a function in it has no body"), "%s",
		  d->n ? d->items[0].msg : "loaded");
	d = diag_new();
	p = load_for("credit-damaged.edc", "voucher.award", d);
	cr_assert(p && d->n == 0, "law is read for its types only");
}

Test(image, the_cache_writes_an_image_uses_it_and_notices_a_change)
{
	write_rules();
	/* voucher.edict's time a day ahead: too late to be trusted however
	 * slow this run is (a time within two seconds of the image is not),
	 * so the image compares it by content, as a file written just now */
	struct timespec ahead[2] = {{time(NULL) + 86400, 0}, {time(NULL) + 86400, 0}};
	cr_assert_eq(utimensat(AT_FDCWD, "rules/voucher.edict", ahead, 0), 0);
	mkdir("cache", 0700);
	char cwd[512];
	cr_assert_not_null(getcwd(cwd, sizeof cwd));
	load_set_image_cache(xprintf("%s/cache/edict", cwd));
	cr_assert_str_eq(award(rule_dir), "50000000 KRW");
	Diags *d = diag_new();
	const char **names;
	int n;
	cr_assert_not_null(load_read_files(rule_dir, 1, d, &names, &n, NULL));
	cr_assert_eq(n, 3);
	/* the image is there, and is what the second load reads */
	FILE *ls = popen("ls cache/edict | grep -c '\\.edc$'", "r");
	int count = 0;
	cr_assert_eq(fscanf(ls, "%d", &count), 1);
	pclose(ls);
	cr_assert_eq(count, 1);
	/* a check of all the rules found nothing: marked clean, as by edict compile */
	FILE *nm = popen("ls cache/edict/*.edc", "r");
	char path[600] = {0};
	cr_assert_not_null(fgets(path, sizeof path, nm));
	pclose(nm);
	path[strcspn(path, "\n")] = 0;
	size_t len;
	const char *err = NULL;
	char *data = read_all(path, &len);
	Image *img = image_open(data, len, &err);
	cr_assert(img && image_clean(img), "%s", err ? err : "the cached image is not marked clean");
	cr_assert_str_eq(award(rule_dir), "50000000 KRW");
	/* the same size, the same time: a file of an untrusted time is compared by content */
	struct stat st;
	cr_assert_eq(stat("rules/voucher.edict", &st), 0);
	FILE *f = fopen("rules/voucher.edict", "r+");
	cr_assert_not_null(f);
	char *text = read_all("rules/voucher.edict", &(size_t){0});
	char *at = strstr(text, "50_000_000 KRW");
	cr_assert_not_null(at);
	fseek(f, (long)(at - text), SEEK_SET);
	fputs("40_000_000 KRW", f);
	fclose(f);
	struct timespec times[2] = {st.st_atim, st.st_mtim};
	cr_assert_eq(utimensat(AT_FDCWD, "rules/voucher.edict", times, 0), 0);
	cr_assert_str_eq(award(rule_dir), "40000000 KRW");
	load_set_image_cache(NULL);
}
