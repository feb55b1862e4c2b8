/*
 * test_load.c - unit tests for interp/load.c: from paths to a Program.
 *
 * Each test builds a small rule directory in a fresh temporary directory
 * (Criterion runs every test in its own process, so changing directory is
 * safe) and loads it with load_paths: module names from paths and `module`
 * lines, which files are read, and the errors for paths that cannot be
 * read, directories without rules, and symbolic links that lead outside
 * the rule directory or round in a loop.
 */
#include <criterion/criterion.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"

static void setup(void)
{
	GC_INIT();
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
