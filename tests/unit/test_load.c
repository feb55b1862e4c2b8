/*
 * test_load.c - unit tests for interp/load.c: from paths to a Program.
 *
 * Each test builds a small rule directory in a fresh temporary directory
 * (Criterion runs every test in its own process, so changing directory is
 * safe) and loads it with load_paths: module names from paths and `module`
 * lines, which files are read, and the errors for paths that cannot be
 * read, directories without rules, and symbolic links that lead outside
 * the rule directory or round in a loop.  Then loading for queries
 * (load_paths_for): the outline of a file (parse_outline) against a whole
 * parse of every rule file of the repository, and which modules a query
 * loads whole.  Last, a load without code (load_paths_checked) against a
 * whole one.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "load.h"
#include "mem.h"
#include "parse.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
	char tmpl[] = "/tmp/edict-test-load-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_eq(chdir(tmpl), 0);
}

TestSuite(load, .init = setup);

static void put(const char *path, const char *text)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static Program *load(const char *path, Diags *d)
{
	const char *paths[1] = {path};
	return load_paths(paths, 1, d);
}

static const Module *module_named(const Program *p, const char *name)
{
	for (int i = 0; i < p->nmods; i++)
		if (strcmp(p->mods[i]->name, name) == 0)
			return p->mods[i];
	return NULL;
}

Test(load, module_names_come_from_paths)
{
	put("rules/budget.edict", "decision cap : int = 5\n");
	put("rules/kotra/voucher.edict", "import budget\ndecision award : int = budget.cap\n");
	put("rules/kotra/origin/eu.edict", "decision threshold : percent = 70%\n");
	Diags *d = diag_new();
	Program *p = load("rules", d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_eq(p->nmods, 3);
	cr_assert_not_null(module_named(p, "budget"));
	cr_assert_not_null(module_named(p, "kotra.voucher"));
	cr_assert_not_null(module_named(p, "kotra.origin.eu"));
	cr_assert_not_null(prog_find_decl(p, "kotra.origin.eu.threshold"));
	cr_assert_str_eq(module_named(p, "kotra.voucher")->src->path, "rules/kotra/voucher.edict");
}

Test(load, a_module_line_names_the_module)
{
	put("rules/kotra/origin/eu.edict", "module origin.eu\ndecision threshold : percent = 70%\n");
	put("rules/main.edict", "import origin.eu\ndecision t : percent = origin.eu.threshold\n");
	Diags *d = diag_new();
	Program *p = load("rules/", d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_not_null(module_named(p, "origin.eu"));
	cr_assert_null(module_named(p, "kotra.origin.eu"));
}

Test(load, a_single_file_is_named_after_itself)
{
	put("voucher.edict", "decision x : int = 1\n");
	Diags *d = diag_new();
	Program *p = load("voucher.edict", d);
	cr_assert_eq(d->nerrors, 0);
	cr_assert_eq(p->nmods, 1);
	cr_assert_str_eq(p->mods[0]->name, "voucher");
}

Test(load, only_edict_files_are_read_in_name_order)
{
	put("rules/b.edict", "decision b : int = 1\n");
	put("rules/a.edict", "decision a : int = 1\n");
	put("rules/notes.txt", "this is not a rule file\n");
	put("rules/.hidden.edict", "this would not parse\n");
	put("rules/c.edict.bak", "nor would this\n");
	Diags *d = diag_new();
	Program *p = load("rules", d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_eq(p->nmods, 2);
	cr_assert_str_eq(p->mods[0]->name, "a");
	cr_assert_str_eq(p->mods[1]->name, "b");
}

Test(load, several_paths_make_one_rule_set)
{
	put("a/types.edict", "enum company_size = sme | large\n");
	put("b/voucher.edict", "fact company { size : company_size }\ndecision small : bool = company.size = sme\n");
	const char *paths[2] = {"a", "b/voucher.edict"};
	Diags *d = diag_new();
	Program *p = load_paths(paths, 2, d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_eq(p->nmods, 2);
}

Test(load, a_missing_path)
{
	Diags *d = diag_new();
	Program *p = load("nowhere.edict", d);
	cr_assert_null(p);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "cannot read nowhere.edict: No such file or directory");
}

Test(load, a_directory_without_rules)
{
	put("rules/readme.txt", "nothing here\n");
	Diags *d = diag_new();
	Program *p = load("rules", d);
	cr_assert_null(p);
	cr_assert_str_eq(d->items[0].msg, "no rule files (*.edict) were found in rules");
}

Test(load, errors_of_every_file_are_reported)
{
	put("rules/a.edict", "decision a : int = \n");
	put("rules/b.edict", "decision b : int = \"b\"\n");
	Diags *d = diag_new();
	load("rules", d);
	cr_assert_eq(d->nerrors, 2);
	cr_assert_str_eq(d->items[0].loc.file, "rules/a.edict");
	cr_assert_str_eq(d->items[1].loc.file, "rules/b.edict");
}

Test(load, a_link_out_of_the_rule_directory_is_not_followed)
{
	put("outside/secret.edict", "decision secret : int = 1\n");
	put("rules/a.edict", "decision a : int = 1\n");
	char *out = realpath("outside", NULL);
	cr_assert_eq(symlink(out, "rules/escape"), 0);
	free(out);
	Diags *d = diag_new();
	load("rules", d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert(strstr(d->items[0].msg, "this directory leads outside the rule directory") == d->items[0].msg, "%s",
		  d->items[0].msg);
	cr_assert_str_eq(d->items[0].loc.file, "rules/escape");
}

Test(load, a_link_loop_is_read_once)
{
	put("rules/sub/a.edict", "decision a : int = 1\n");
	char *sub = realpath("rules/sub", NULL);
	cr_assert_eq(symlink(sub, "rules/sub/again"), 0);
	free(sub);
	Diags *d = diag_new();
	load("rules", d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].msg, "this directory leads back into itself through a symbolic link (a loop); it is not followed");
}

Test(load, load_file_reads_bytes_and_refuses_big_files)
{
	put("f.txt", "abc\ndef\n");
	size_t len = 0;
	const char *err = NULL;
	char *t = load_file("f.txt", 100, &len, &err);
	cr_assert_not_null(t);
	cr_assert_eq(len, 8);
	cr_assert_str_eq(t, "abc\ndef\n");
	char big[5001];
	memset(big, 'x', 5000);
	big[5000] = 0;
	put("big.txt", big);
	cr_assert_null(load_file("big.txt", 4096, &len, &err));
	cr_assert_str_eq(err, "big.txt is larger than the limit of 4096 bytes");
	/* a limit below 4096, and a file of exactly the limit: bug docs-18 */
	cr_assert_null(load_file("none.txt", 100, &len, &err));
	cr_assert_str_eq(err, "cannot open none.txt: No such file or directory");
}

Test(load, sources_in_memory)
{
	Source a = {"budget.edict", "decision cap : int = 5\n", 22};
	Source b = {"dir/voucher.edict", "import budget\ndecision award : int = budget.cap + 1\n", 52};
	const Source *srcs[2] = {&a, &b};
	Diags *d = diag_new();
	Program *p = load_sources(srcs, 2, d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_not_null(module_named(p, "budget"));
	cr_assert_not_null(module_named(p, "voucher"), "in memory, a module is named after its file's base name");
}

/* ------------------------------------------------ loading for queries */

/* parse_outline must find what a whole parse finds: the module line, the
 * imports, the names of params, decisions, tables and functions, and the
 * type declarations, which parse_outline_types parses alone to the same
 * declarations at the same places. */
static void outline_agrees(const Source *src)
{
	Diags *d = diag_new();
	Module *m = parse_module(src, d);
	cr_assert_not_null(m);
	cr_assert_eq(d->nerrors, 0, "%s: %s", src->path, d->n ? d->items[0].msg : "");
	Outline o;
	parse_outline(src, &o);
	cr_assert((o.module == NULL) == (m->name == NULL), "%s: module line", src->path);
	if (m->name)
		cr_assert_str_eq(o.module, m->name, "%s", src->path);
	cr_assert_eq(o.nimports, m->nimports, "%s: imports", src->path);
	for (int i = 0; i < m->nimports; i++)
		cr_assert_str_eq(o.imports[i], m->imports[i].name, "%s", src->path);
	int k = 0, types = 0;
	for (int i = 0; i < m->ndecls; i++) {
		DeclKind dk = m->decls[i]->kind;
		if (dk == D_PARAM || dk == D_DECISION || dk == D_TABLE || dk == D_FUNCTION) {
			cr_assert_lt(k, o.nnames, "%s: names", src->path);
			cr_assert_str_eq(o.names[k], m->decls[i]->name, "%s", src->path);
			k++;
		}
	}
	cr_assert_eq(k, o.nnames, "%s: names", src->path);
	Module *t = parse_outline_types(src, &o, d);
	cr_assert_not_null(t);
	cr_assert_eq(d->nerrors, 0, "%s: %s", src->path, d->n ? d->items[0].msg : "");
	for (int i = 0; i < m->ndecls; i++) {
		const Decl *w = m->decls[i];
		if ((w->kind != D_ENUM && w->kind != D_RECORD && w->kind != D_FACT && w->kind != D_DOCUMENT) ||
		    w->is_table)
			continue;
		cr_assert_lt(types, t->ndecls, "%s: type declarations", src->path);
		const Decl *g = t->decls[types++];
		cr_assert_eq(g->kind, w->kind, "%s: %s", src->path, w->name);
		cr_assert_str_eq(g->name, w->name, "%s", src->path);
		cr_assert_eq(g->private_, w->private_, "%s: %s", src->path, w->name);
		cr_assert(g->loc.line == w->loc.line && g->loc.col == w->loc.col && g->loc.eline == w->loc.eline &&
				  g->loc.ecol == w->loc.ecol,
			  "%s: %s at %d:%d, not %d:%d", src->path, w->name, g->loc.line, g->loc.col, w->loc.line, w->loc.col);
		cr_assert_eq(g->module, t);
	}
	cr_assert_eq(types, t->ndecls, "%s: type declarations", src->path);
}

static const Source *outline_text(const char *text)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = "outline.edict";
	s->text = text;
	s->len = strlen(text);
	outline_agrees(s);
	return s;
}

/* Lines that end in a "\r" alone (old Mac files): the comment and the
 * text end with their lines, and the types are found at their places. */
Test(load, an_outline_reads_lines_that_end_in_a_carriage_return)
{
	const Source *s = outline_text("# decision in a comment\rprivate enum size = sme | large source \"a 'fact x'\"\r"
				       "decision  days : int = 1\rfact tasks : list of task\r\r  record task { month : int }\r");
	Outline o;
	parse_outline(s, &o);
	cr_assert_eq(o.nnames, 1);
	cr_assert_str_eq(o.names[0], "days");
	cr_assert_eq(o.ntypes, 2);
	cr_assert(o.types[0].line == 2 && o.types[0].col == 1);
	cr_assert(o.types[1].line == 4 && o.types[1].col == 1);
}

Test(load, an_outline_finds_what_a_parse_finds)
{
	/* the words that begin declarations inside comments and quotes, a
	 * private type, dotted imports with an alias, a `fact` at the end */
	outline_text("# decision in a comment: enum record fact\n"
		     "module a.b\n"
		     "import c.d as e\n"
		     "import f\n"
		     "private enum size = sme | large source \"a record of 'fact x' # not a comment\"\n"
		     "record task { number : int  name : string default \"decision \\\" table\" }\n"
		     "param cap : money KRW = 5 KRW\n"
		     "private decision ok : bool = company.size = sme\n"
		     "table t : int hit first\n  when ok then 1\n  default 2\n"
		     "function f(x : int) : int = x + 1\n"
		     "check \"it holds\": cap > 0 KRW\n"
		     "test \"t\" {\n  given company.size = sme\n  expect ok = true\n}\n"
		     "fact company {\n  size : size\n}");
	outline_text("decision  days : int = 1\nfact tasks : list of task\nrecord task { month : int, day : int }\n");
	outline_text("");
}

/* Every rule file of the repository: the rule library, the examples, the
 * standard library. */
static void outline_tree(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "find %s -name '*.edict' | sort", dir);
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f);
	char path[1024];
	int n = 0;
	while (fgets(path, sizeof path, f)) {
		path[strcspn(path, "\n")] = 0;
		size_t len;
		const char *err;
		char *text = load_file(path, LOAD_MAX_FILE_BYTES, &len, &err);
		cr_assert_not_null(text, "%s", err);
		Source *s = GC_MALLOC(sizeof *s);
		s->path = ast_strdup(path, strlen(path));
		s->text = text;
		s->len = len;
		outline_agrees(s);
		n++;
	}
	pclose(f);
	cr_assert_gt(n, 0, "no rule files in %s", dir);
}

Test(load, the_outlines_of_the_repository)
{
	outline_tree(EDICT_SOURCE_DIR "/rules");
	outline_tree(EDICT_SOURCE_DIR "/examples");
	outline_tree(EDICT_SOURCE_DIR "/stdlib");
}

/* A rule set of three modules: `a` uses a record and a fact declared in
 * `types`; `broken` has an error outside its type declarations. */
static void three_modules(void)
{
	put("rules/types.edict", "enum size = sme | large\nfact company { size : size  n : int }\n"
				 "decision unused : int = 1\n");
	put("rules/a.edict", "import b\ndecision x : bool = company.size = sme and b.y > 0\n");
	put("rules/b.edict", "decision y : int = company.n\ndecision only_here : int = 7\n");
	put("rules/broken.edict", "record r { v : int }\ndecision z : int = 1 +\n");
	put("rules/cal.edict", "import std.calendar\ndecision q : int = std.calendar.quarter_of(as_of)\n");
}

static Program *load_for(const char *query, Diags *d)
{
	const char *paths[1] = {"rules"};
	const char *queries[1] = {query};
	return load_paths_for(paths, 1, queries, 1, d);
}

Test(load, a_query_loads_what_it_reaches)
{
	three_modules();
	Diags *d = diag_new();
	Program *p = load_for("a.x", d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	const Module *a = module_named(p, "a"), *b = module_named(p, "b"), *t = module_named(p, "types");
	cr_assert(a && b && t && module_named(p, "broken"), "every module is there, if only with its types");
	cr_assert_eq(a->ndecls, 1);
	cr_assert_eq(b->ndecls, 2, "b is imported by a: loaded whole");
	cr_assert_eq(t->ndecls, 2, "of types, the enum and the fact only");
	cr_assert_not_null(module_named(p, "std.calendar"), "what an unreached module imports of the standard library is loaded");
	/* a decision named without its module reaches the module declaring it */
	d = diag_new();
	p = load_for("only_here + 1", d);
	cr_assert_eq(d->nerrors, 0, "%s", d->n ? d->items[0].msg : "");
	cr_assert_eq(module_named(p, "b")->ndecls, 2);
	cr_assert_eq(module_named(p, "a")->ndecls, 0);
	/* the whole load reports the error of broken.edict */
	d = diag_new();
	load("rules", d);
	cr_assert_eq(d->nerrors, 1);
	cr_assert_str_eq(d->items[0].loc.file, "rules/broken.edict");
	/* and so does a query that reaches it */
	d = diag_new();
	load_for("broken.z", d);
	cr_assert_eq(d->nerrors, 1);
}

Test(load, errors_in_type_declarations_are_always_reported)
{
	three_modules();
	put("rules/broken.edict", "record r { v : nonsense }\n");
	Diags *d = diag_new();
	load_for("a.x", d);
	cr_assert_eq(d->nerrors, 1, "types are global: a bad one is an error for every query");
	cr_assert_str_eq(d->items[0].loc.file, "rules/broken.edict");
}

/* A load holds collections off (mem_hold_collections).  Loads one after
 * the other, with nothing allocated between them (a host reloading its
 * rules), must not keep the garbage of the earlier ones: the heap stays
 * the size that a few programs need, not forty.  The few are five: the
 * heap grows in steps while the first loads come, and after three it may
 * be on either side of one, depending on what the stack happens to hold
 * (the collector is conservative). */
Test(load, loads_one_after_another_keep_no_garbage)
{
	Buf b = {0};
	for (int i = 0; i < 300; i++)
		buf_printf(&b, "decision d%d : int = %d + %d * 2\n", i, i, i);
	Source s = {"many.edict", buf_cstr(&b), b.n};
	const Source *srcs[1] = {&s};
	size_t heap5 = 0;
	for (int i = 0; i < 40; i++) {
		Diags *d = diag_new();
		cr_assert_not_null(load_sources(srcs, 1, d));
		cr_assert_eq(d->nerrors, 0);
		if (i == 4)
			heap5 = GC_get_heap_size();
	}
	size_t heap40 = GC_get_heap_size();
	cr_assert_leq(heap40, 3 * heap5, "the heap grew from %zu bytes after 5 loads to %zu after 40", heap5, heap40);
}

/* What a load may allocate with collections held is bounded: past
 * MEM_HOLD_MAX the collector runs again (a huge or hostile rule set), and
 * releasing the hold afterwards leaves it enabled, as nesting expects. */
Test(load, holding_collections_is_bounded_and_nests)
{
	if (mem_stress())
		cr_skip_test("in stress mode nothing is held, no chunk is taken");
	cr_assert_not(GC_is_disabled());
	mem_hold_collections();
	mem_hold_collections();
	cr_assert(GC_is_disabled());
	mem_release_collections();
	cr_assert(GC_is_disabled(), "still held by the outer hold");
	size_t chunk = (size_t)1 << 20;
	for (size_t got = 0; got <= MEM_HOLD_MAX; got += chunk)
		(void)GC_MALLOC_ATOMIC(chunk); /* garbage at once */
	cr_assert_not(GC_is_disabled(), "collections run again past MEM_HOLD_MAX");
	mem_hold_collections(); /* a nested hold past the bound changes nothing */
	cr_assert_not(GC_is_disabled());
	mem_release_collections();
	mem_release_collections();
	cr_assert_not(GC_is_disabled());
	/* and a new hold holds again */
	mem_hold_collections();
	cr_assert(GC_is_disabled());
	mem_release_collections();
	cr_assert_not(GC_is_disabled());
}

/* Whether n bytes at p are all zero. */
static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* The size of the collector's object that p (from GC_MALLOC) lies in: a
 * chunk of the arena, small or large, while collections are held. */
static size_t chunk_size(void *p)
{
	return GC_size(GC_base(p));
}

/* A load that expects to allocate many MB takes its objects from large
 * chunks from the first; one that does not (or was told outside a load,
 * or by the load before it) from small chunks first. */
Test(load, an_expected_large_load_starts_on_large_chunks)
{
	if (mem_stress())
		cr_skip_test("in stress mode nothing is held, no chunk is taken");
	mem_expect((size_t)64 << 20); /* outside a load: nothing */
	mem_hold_collections();
	void *small = GC_MALLOC(64);
	mem_release_collections();
	mem_hold_collections();
	mem_expect((size_t)64 << 20);
	void *large = GC_MALLOC(64), *text = GC_MALLOC_ATOMIC(64);
	mem_release_collections();
	mem_hold_collections();
	void *after = GC_MALLOC(64);
	mem_release_collections();
	cr_assert_lt(chunk_size(small), (size_t)1 << 20);
	cr_assert_geq(chunk_size(large), (size_t)4 << 20);
	cr_assert_geq(chunk_size(text), (size_t)4 << 20);
	cr_assert_lt(chunk_size(after), (size_t)1 << 20);
	cr_assert(all_zero(large, 64) && all_zero(text, 64));
}

/* One load of many small objects, as a large rule set makes (past the
 * first megabytes they come from large chunks): every object comes
 * cleared, a list of them held only from the stack survives a collection
 * after the hold, and atomic objects beside them too; so does an array of
 * 160 KB (larger objects come from the large chunks too), grown past
 * what a chunk gives.  Twice, so that the second load takes memory the
 * collector freed from the first. */
Test(load, a_large_load_gets_cleared_objects_that_stay_alive)
{
	enum { N = 200000 }; /* some 20 MB of objects with pointers */
	typedef struct Obj {
		struct Obj *next;
		char *text;
		long fill[10];
	} Obj;
	for (int round = 0; round < 2; round++) {
		mem_hold_collections();
		Obj *list = NULL;
		for (long i = 0; i < N; i++) {
			Obj *o = GC_MALLOC(sizeof *o);
			char *t = GC_MALLOC_ATOMIC(24);
			cr_assert(all_zero(o, sizeof *o) && all_zero(t, 24), "object %ld of round %d is not cleared", i, round);
			memset(o->fill, 0x5a, sizeof o->fill);
			memset(t, 'a' + (int)(i % 26), 23);
			o->text = t;
			o->next = list;
			list = o;
		}
		enum { M = 20000 };
		Obj **every = GC_MALLOC(M * sizeof *every);
		cr_assert(all_zero(every, M * sizeof *every), "the array of round %d is not cleared", round);
		Obj *at = list;
		for (int k = 0; k < M; k++, at = at->next)
			every[k] = at;
		every = GC_REALLOC(every, 4 * M * sizeof *every);
		cr_assert(every[0] == list && every[M - 1]->next == at, "the array of round %d lost its items when it grew", round);
		mem_release_collections();
		GC_gcollect();
		long i = N;
		for (Obj *o = list; o; o = o->next) {
			i--;
			cr_assert_eq(o->fill[9], 0x5a5a5a5a5a5a5a5aL);
			cr_assert_eq(o->text[22], 'a' + (int)(i % 26));
			cr_assert_eq(o->text[23], 0);
		}
		cr_assert_eq(i, 0);
		for (int k = 0; k < M; k++)
			cr_assert_eq(every[k]->fill[0], 0x5a5a5a5a5a5a5a5aL, "item %d of the array of round %d", k, round);
		list = NULL;
		every = NULL;
		GC_gcollect();
	}
}

/* load_file's limit: a file of exactly `max` bytes is within it; a smaller limit holds. */
Test(load, the_file_size_limit_is_exact)
{
	char tmpl[] = "/tmp/edict-test-load-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	const char *path = xprintf("%s/exact.txt", tmpl);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < 8192; i++)
		fputc('x', f);
	fclose(f);
	size_t len = 0;
	const char *err = NULL;
	char *t = load_file(path, 8192, &len, &err);
	cr_assert_not_null(t, "a file of exactly the limit is refused: %s", err);
	cr_assert_eq(len, 8192);
	cr_assert_null(load_file(path, 100, &len, &err), "a limit below 4096 bytes is not enforced");
	cr_assert_str_eq(err, xprintf("%s is larger than the limit of 100 bytes", path));
	remove(path);
	rmdir(tmpl);
}

/* An editor's unsaved buffers (load_paths_overlay): an overlay replaces the
 * file of the same path; one that matches no file is added. */
Test(load, overlays_replace_files)
{
	put("r/a.edict", "decision x : int = 1\n");
	put("r/b.edict", "decision y : int = a.x\n");
	Source over = {"r/a.edict", "decision z : int = 2\n", 21, NULL, 0};
	Source extra = {"elsewhere/c.edict", "decision w : int = 3\n", 21, NULL, 0};
	const Source *ovs[2] = {&over, &extra};
	const char *root = "r";
	Diags *d = diag_new();
	Program *p = load_paths_overlay(&root, 1, ovs, 2, d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 1, "b.edict names a.x, which the overlay removed");
	cr_assert_not_null(prog_find_decl(p, "a.z"));
	cr_assert_null(prog_find_decl(p, "a.x"));
	cr_assert_not_null(prog_find_decl(p, "c.w"));
}

/* The diagnostics of d, one per line, with their places. */
static const char *diag_lines(const Diags *d)
{
	Buf b = {0};
	for (int i = 0; i < d->n; i++)
		buf_printf(&b, "%d:%d %s\n", d->items[i].loc.line, d->items[i].loc.col, d->items[i].msg);
	return buf_cstr(&b);
}

Test(load, a_load_without_code_reports_what_a_load_with_it_does)
{
	/* a warning about a table whose rows test a folded constant, which only
	 * the folded trees show */
	put("r/t.edict", "fact company { staff : int }\n"
			 "decision cap : int = 2 * 5\n"
			 "table t : int hit unique\n"
			 "  when company.staff < 10 then 1\n"
			 "  when company.staff < 2 * 5 then 2\n"
			 "  default 3\n"
			 "decision u : int = t + cap\n");
	const char *root = "r";
	Diags *full = diag_new(), *checked = diag_new();
	Program *p = load_paths(&root, 1, full);
	Program *q = load_paths_checked(&root, 1, checked);
	cr_assert_not_null(p);
	cr_assert_not_null(q);
	cr_assert_eq(full->nerrors, 0, "%s", diag_lines(full));
	cr_assert_gt(full->nwarnings, 0);
	cr_assert_str_eq(diag_lines(checked), diag_lines(full));
	cr_assert_not_null(p->dchunk);
	cr_assert_null(q->dchunk, "no code was made");
	load_code(q);
	cr_assert_not_null(q->dchunk);
	Ctx *a = tu_ctx(p, "{\"company\": {\"staff\": 12}}"), *b = tu_ctx(q, "{\"company\": {\"staff\": 12}}");
	cr_assert_str_eq(tu_show(b, "u"), tu_show(a, "u"));
	cr_assert_str_eq(tu_show(b, "u"), "13");
}
