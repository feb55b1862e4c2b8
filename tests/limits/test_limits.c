/*
 * test_limits.c - every limit of the library, just under and just over,
 * through the internal API (parse, load, facts, VM).
 *
 * Over a limit must be a clean error that names the limit: a diagnostic or
 * a status with a message, never a crash, a stack overflow or a hang.
 * tests/limits/limits.py does the same through the `edict` command.  The
 * suite limits_known_bugs holds the limits that are missing or not enforced
 * cleanly today; it runs as its own CTest and fails until
 * they are fixed.
 *
 * Table of limits (docs/security.md has the same):
 *   PARSE_MAX_DEPTH 200       brackets and blocks nested in one file/query
 *   YYMAXDEPTH 2000           parser stack (`not not ...`, `- - x`, `if .. else if`)
 *   CHK_MAX_DEPTH 500         expression tree depth (`1 + 1 + ...`, `a.b.c...`)
 *   LOAD_MAX_FILE_BYTES 8 MiB one rule file
 *   LOAD_MAX_FILES 10000      files in one rule set
 *   LOAD_MAX_DIR_DEPTH 32     directories below a rule root
 *   FACTS_MAX_DEPTH 64        JSON nesting
 *   FACTS_MAX_BYTES 64 MiB    one facts document
 *   FACTS_MAX_VALUES 1000000  values in one facts document
 *   FACTS_MAX_STRING 1 MiB    one text in a facts document
 *   DEC_DIGITS 34             significant digits of a decimal
 *   Ctx.max_steps             VM instructions per evaluation (default 10 million)
 *   Ctx.max_bytes             bytes allocated per evaluation (default 64 MiB)
 *   VM_MAX_DEPTH 200          decisions/functions calling each other
 *   range() 1000000           numbers in one range
 *   100 errors                diagnostics kept per load
 *   DIAG_MAX_WARNINGS 1000    warnings kept per load
 *   TAB_MAX_FINDINGS 20       overlapping pairs reported per table
 *   64 KiB                    one query through the C API
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edict.h"
#include "check.h"
#include "facts.h"
#include "load.h"
#include "mem.h"
#include "parse.h"
#include "query.h"

static void setup(void)
{
	GC_INIT();
	mem_init();
}

TestSuite(limits, .init = setup, .timeout = 300);
/* limits still missing or not enforced cleanly (none open today) */
TestSuite(limits_known_bugs, .init = setup, .timeout = 120);

/* ------------------------------------------------------------ helpers */

static char *repeat(const char *s, int n)
{
	size_t len = strlen(s);
	char *out = GC_MALLOC_ATOMIC(len * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		memcpy(out + len * (size_t)i, s, len);
	out[len * (size_t)n] = 0;
	return out;
}

static const Source *src(const char *path, const char *text, size_t len)
{
	Source *s = GC_MALLOC(sizeof *s);
	s->path = path;
	s->text = text;
	s->len = len;
	return s;
}

/* Load one rule file from memory. */
static Program *load1(const char *text, Diags **dp)
{
	Diags *d = diag_new();
	const Source *s = src("t.edict", text, strlen(text));
	Program *p = load_sources(&s, 1, d);
	*dp = d;
	return p;
}

/* Does any diagnostic's message contain `what`? */
static bool has_diag(const Diags *d, const char *what)
{
	for (int i = 0; i < d->n; i++)
		if (strstr(d->items[i].msg, what))
			return true;
	return false;
}

static const char *first_msg(const Diags *d)
{
	return d->n ? d->items[0].msg : "(no diagnostics)";
}

static Program *load_ok(const char *text)
{
	Diags *d;
	Program *p = load1(text, &d);
	cr_assert_not_null(p);
	cr_assert_eq(d->nerrors, 0, "expected no errors, got: %s", first_msg(d));
	return p;
}

static void load_fails(const char *text, const char *what)
{
	Diags *d;
	load1(text, &d);
	cr_assert_gt(d->nerrors, 0, "expected an error naming '%s'", what);
	cr_assert(has_diag(d, what), "expected an error naming '%s', got: %s", what, first_msg(d));
}

/* Evaluate a query with the given limits (0 = default). */
static int eval(Program *p, const char *q, unsigned long long steps, size_t bytes, Ctx **cp, Value *out)
{
	Diags *d = diag_new();
	Query *qq = query_compile(p, q, "query", d);
	cr_assert_not_null(qq, "query %s: %s", q, first_msg(d));
	Ctx *c = vm_new(p);
	facts_clear(c);
	if (steps)
		c->max_steps = steps;
	if (bytes)
		c->max_bytes = bytes;
	vm_reset(c);
	int st = query_run(c, qq, out);
	if (cp)
		*cp = c;
	return st;
}

/* -------------------------------------------- source nesting (brackets) */

static const char *nested(int depth)
{
	return xprintf("decision x : int = %s1%s\n", repeat("(", depth), repeat(")", depth));
}

Test(limits, bracket_depth_200_is_accepted)
{
	Program *p = load_ok(nested(PARSE_MAX_DEPTH));
	Value v;
	cr_assert_eq(eval(p, "x", 0, 0, NULL, &v), ST_OK);
	cr_assert_eq(v.as.i, 1);
}

Test(limits, bracket_depth_201_is_refused)
{
	load_fails(nested(PARSE_MAX_DEPTH + 1), "nested more than 200 deep");
}

Test(limits, bracket_depth_counts_every_kind)
{
	/* [ { ( mixed: 67 of each kind = 201 levels */
	char *open = repeat("[{(", 67);
	const char *text = xprintf("decision x : bool = %s1", open);
	load_fails(text, "nested more than 200 deep");
}

Test(limits, bracket_depth_in_a_query)
{
	Program *p = load_ok("decision x : int = 1\n");
	Diags *d = diag_new();
	Query *q = query_compile(p, xprintf("%sx%s", repeat("(", 200), repeat(")", 200)), "query", d);
	cr_assert_not_null(q, "%s", first_msg(d));
	d = diag_new();
	q = query_compile(p, xprintf("%sx%s", repeat("(", 201), repeat(")", 201)), "query", d);
	cr_assert_null(q);
	cr_assert(has_diag(d, "nested more than 200 deep"), "%s", first_msg(d));
}

Test(limits, hundred_thousand_brackets_stop_at_the_limit)
{
	load_fails(nested(100000), "nested more than 200 deep");
}

/* ------------------------------------------------- parser stack depth */

Test(limits, parser_stack_under_the_limit)
{
	/* 500 prefix operators need about 1000 parser stack entries of 2000 */
	Program *p = load_ok(xprintf("decision x : bool = %strue\ndecision y : int = %s1\n", repeat("not ", 500),
				     repeat("- ", 500)));
	Value v;
	cr_assert_eq(eval(p, "x", 0, 0, NULL, &v), ST_OK);
	cr_assert_eq(v.as.i, 1); /* an even number of nots */
	cr_assert_eq(eval(p, "y", 0, 0, NULL, &v), ST_OK);
	cr_assert_eq(v.as.i, 1);
}

Test(limits, parser_stack_over_the_limit)
{
	load_fails(xprintf("decision x : bool = %strue\n", repeat("not ", 2000)), "nested too deeply");
	load_fails(xprintf("decision x : int = %s1\n", repeat("- ", 2000)), "nested too deeply");
	load_fails(xprintf("decision x : int = %s1\n", repeat("if true then 1 else ", 1000)), "nested too deeply");
	load_fails(xprintf("decision x : int = %s1\n", repeat("let a = 1; ", 2000)), "nested too deeply");
	load_fails(xprintf("decision x : int = 1%s\n", repeat(" otherwise 1", 2000)), "nested too deeply");
}

Test(limits, parser_stack_over_the_limit_in_a_query)
{
	Program *p = load_ok("decision x : bool = true\n");
	Diags *d = diag_new();
	cr_assert_null(query_compile(p, xprintf("%sx", repeat("not ", 100000)), "query", d));
	cr_assert(has_diag(d, "nested too deeply"), "%s", first_msg(d));
}

/* ------------------------------------------- expression (tree) depth */

/* a chain of n terms is n - 1 operators deep */
Test(limits, expression_depth_500_is_accepted)
{
	Program *p = load_ok(xprintf("fact b : bool\ndecision x : int = 1%s\ndecision y : bool = b%s\n",
				     repeat(" + 1", CHK_MAX_DEPTH), repeat(" and b", CHK_MAX_DEPTH)));
	Value v;
	cr_assert_eq(eval(p, "x", 0, 0, NULL, &v), ST_OK);
	cr_assert_eq(v.as.i, CHK_MAX_DEPTH + 1);
	Diags *d = diag_new();
	cr_assert_not_null(query_compile(p, xprintf("1%s", repeat(" * 1", CHK_MAX_DEPTH)), "query", d), "%s",
			   first_msg(d));
}

Test(limits, expression_depth_501_is_refused)
{
	load_fails(xprintf("decision x : int = 1%s\n", repeat(" + 1", CHK_MAX_DEPTH + 1)), "nested more than 500 deep");
	load_fails(xprintf("fact b : bool\ndecision y : bool = b%s\n", repeat(" and b", CHK_MAX_DEPTH + 1)),
		   "nested more than 500 deep");
}

/* rely-1 (fixed): a long left-nested chain was a stack overflow */
Test(limits, expression_depth_200000_is_a_clean_error)
{
	load_fails(xprintf("decision x : int = 1%s\n", repeat(" + 1", 200000)), "nested more than 500 deep");
	load_fails(xprintf("record r { x : int }\nfact f : r\ndecision x : int = f%s\n", repeat(".x", 200000)),
		   "nested more than 500 deep");
	Program *p = load_ok("decision x : bool = true\n");
	Diags *d = diag_new();
	cr_assert_null(query_compile(p, xprintf("x%s", repeat(" and x", 200000)), "query", d));
	cr_assert(has_diag(d, "nested more than 500 deep"), "%s", first_msg(d));
}

/* ---------------------------------------------------- rule file size */

static char dir[64];

static void mkdir_tmp(void)
{
	strcpy(dir, "/tmp/edict-limits-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm_rf(const char *path)
{
	char *cmd = xprintf("rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

/* A rule file of exactly n bytes: a decision, then a comment filling it. */
static const char *file_of_size(const char *name, size_t n)
{
	const char *path = xprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	const char *head = "decision x : int = 1\n#";
	fputs(head, f);
	for (size_t i = strlen(head); i + 1 < n; i++)
		fputc('x', f);
	fputc('\n', f);
	fclose(f);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq((size_t)st.st_size, n);
	return path;
}

Test(limits, rule_file_just_under_8_MiB)
{
	mkdir_tmp();
	const char *p = file_of_size("big.edict", LOAD_MAX_FILE_BYTES - 1);
	Diags *d = diag_new();
	Program *prog = load_paths(&p, 1, d);
	rm_rf(dir);
	cr_assert_not_null(prog);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
}

Test(limits, rule_file_just_over_8_MiB)
{
	mkdir_tmp();
	const char *p = file_of_size("big.edict", LOAD_MAX_FILE_BYTES + 1);
	Diags *d = diag_new();
	load_paths(&p, 1, d);
	rm_rf(dir);
	cr_assert_gt(d->nerrors, 0);
	cr_assert(has_diag(d, "larger than the limit of 8388608 bytes"), "%s", first_msg(d));
}

/* a file of exactly the limit is within it (rely-8, fixed) */
Test(limits, rule_file_of_exactly_8_MiB)
{
	mkdir_tmp();
	const char *p = file_of_size("big.edict", LOAD_MAX_FILE_BYTES);
	Diags *d = diag_new();
	load_paths(&p, 1, d);
	rm_rf(dir);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
}

/* The same limit on a rule text handed to the C API in memory: a handle
 * whose one diagnostic names the text and the limit, as for a file. */
static const char *text_of_size(size_t n)
{
	char *t = GC_MALLOC_ATOMIC(n + 1);
	const char *head = "decision x : int = 1\n#";
	memcpy(t, head, strlen(head));
	memset(t + strlen(head), 'x', n - strlen(head) - 1);
	t[n - 1] = '\n';
	t[n] = 0;
	return t;
}

Test(limits, rule_text_just_over_8_MiB_through_the_api)
{
	edict_rules *r = NULL;
	size_t n = LOAD_MAX_FILE_BYTES + 1;
	cr_assert_eq(edict_load_source("big.edict", text_of_size(n), n, &r), EDICT_EUSAGE);
	cr_assert_not_null(r, "the handle carries the reason");
	edict_diag d;
	cr_assert_eq(edict_rules_diag(r, 0, &d), EDICT_OK);
	cr_assert_str_eq(d.file, "big.edict");
	cr_assert_str_eq(d.message, "big.edict is larger than the limit of 8388608 bytes");
	cr_assert_str_eq(edict_rules_report(r), "big.edict: error: big.edict is larger than the limit of 8388608 bytes\n");
	edict_rules_free(r);
}

Test(limits, rule_text_of_exactly_8_MiB_through_the_api)
{
	edict_rules *r = NULL;
	size_t n = LOAD_MAX_FILE_BYTES;
	cr_assert_eq(edict_load_source("big.edict", text_of_size(n), n, &r), EDICT_OK, "%s", edict_rules_report(r));
	edict_rules_free(r);
}

/* --------------------------------------- files per rule set, dir depth */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static Diags *load_dir_with_files(int n)
{
	mkdir_tmp();
	for (int i = 0; i < n; i++)
		write_text(xprintf("%s/m%05d.edict", dir, i), "");
	const char *p = dir;
	Diags *d = diag_new();
	load_paths(&p, 1, d);
	rm_rf(dir);
	return d;
}

Test(limits, ten_thousand_files_are_accepted)
{
	Diags *d = load_dir_with_files(LOAD_MAX_FILES);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
}

Test(limits, ten_thousand_and_one_files_are_refused)
{
	Diags *d = load_dir_with_files(LOAD_MAX_FILES + 1);
	cr_assert(has_diag(d, "at most 10000 files"), "%s", first_msg(d));
}

static Diags *load_nested_dirs(int depth)
{
	mkdir_tmp();
	const char *at = dir;
	for (int i = 0; i < depth; i++) {
		at = xprintf("%s/d", at);
		cr_assert_eq(mkdir(at, 0755), 0);
	}
	write_text(xprintf("%s/deep.edict", at), "decision x : int = 1\n");
	const char *p = dir;
	Diags *d = diag_new();
	load_paths(&p, 1, d);
	rm_rf(dir);
	return d;
}

Test(limits, directories_32_deep_are_read)
{
	Diags *d = load_nested_dirs(LOAD_MAX_DIR_DEPTH);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
}

Test(limits, directories_33_deep_are_refused)
{
	Diags *d = load_nested_dirs(LOAD_MAX_DIR_DEPTH + 1);
	cr_assert(has_diag(d, "nested more than 32 deep"), "%s", first_msg(d));
}

/* ------------------------------------------------------ JSON facts */

static Program *facts_prog(void)
{
	return load_ok("fact xs : list of list of int\nfact s : string\nfact d : decimal\nfact m : money\n"
		       "decision n : int = length(xs)\n");
}

static int load_facts(Program *p, const char *json, size_t len, const char **err)
{
	Ctx *c = vm_new(p);
	return facts_load_json(c, json, len, "facts", err);
}

/* {"xs": [[...]]}: depth counts the outer object, so depth-2 lists deep in
 * "xs" (the innermost empty) makes `depth` levels in all */
static const char *json_depth(int depth)
{
	return xprintf("{\"x\": %s%s}", repeat("[", depth - 1), repeat("]", depth - 1));
}

Test(limits, json_depth_64_is_accepted)
{
	Program *p = load_ok("fact x : list of int\n");
	const char *err = NULL;
	const char *j = json_depth(FACTS_MAX_DEPTH);
	int st = load_facts(p, j, strlen(j), &err);
	/* the JSON is read; it is then refused for its type, not its depth */
	cr_assert_eq(st, ST_FACTS);
	cr_assert_null(strstr(err, "nested"), "%s", err);
	cr_assert_not_null(strstr(err, "expected a whole number"), "%s", err);
}

Test(limits, json_depth_65_is_refused)
{
	Program *p = load_ok("fact x : list of int\n");
	const char *err = NULL;
	const char *j = json_depth(FACTS_MAX_DEPTH + 1);
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
	cr_assert_not_null(strstr(err, "nested more than 64 deep"), "%s", err);
}

Test(limits, json_depth_100000_is_refused)
{
	Program *p = load_ok("fact x : list of int\n");
	const char *err = NULL;
	const char *j = json_depth(100000);
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
	cr_assert_not_null(strstr(err, "nested more than 64 deep"), "%s", err);
}

/* A facts document of exactly n bytes: {"s": "x"} padded with spaces */
static char *json_of_size(size_t n)
{
	char *j = GC_MALLOC_ATOMIC(n + 1);
	const char *head = "{\"s\": \"x\"";
	size_t h = strlen(head);
	memcpy(j, head, h);
	memset(j + h, ' ', n - h - 1);
	j[n - 1] = '}';
	j[n] = 0;
	return j;
}

/* {"s": "xxx..."} whose text is n bytes long */
static char *json_text_of(size_t n)
{
	char *j = GC_MALLOC_ATOMIC(n + 10);
	memcpy(j, "{\"s\": \"", 7);
	memset(j + 7, 'x', n);
	memcpy(j + 7 + n, "\"}", 3);
	return j;
}

Test(limits, json_of_64_MiB_is_accepted)
{
	Program *p = facts_prog();
	const char *err = NULL;
	char *j = json_of_size(FACTS_MAX_BYTES);
	cr_assert_eq(load_facts(p, j, FACTS_MAX_BYTES, &err), ST_OK, "%s", err);
}

Test(limits, json_over_64_MiB_is_refused)
{
	Program *p = facts_prog();
	const char *err = NULL;
	char *j = json_of_size(FACTS_MAX_BYTES + 1);
	cr_assert_eq(load_facts(p, j, FACTS_MAX_BYTES + 1, &err), ST_FACTS);
	cr_assert_not_null(strstr(err, "larger than the limit of 67108864 bytes"), "%s", err);
}

/* ------------------------------------------------ decimal digits */

Test(limits, decimal_digits_in_rules)
{
	Program *p = load_ok("decision x : decimal = 1234567890123456789012345678901.234\n");
	Value v;
	cr_assert_eq(eval(p, "x", 0, 0, NULL, &v), ST_OK);
	load_fails("decision x : decimal = 1234567890123456789012345678901.2345\n", "more than 34 significant digits");
	load_fails(xprintf("decision x : decimal = 1.%s\n", repeat("1", 1000000)), "more than 34 significant digits");
}

Test(limits, decimal_digits_in_facts)
{
	Program *p = facts_prog();
	const char *err = NULL;
	const char *ok1 = "{\"d\": 1234567890123456789012345678901.234}";
	const char *ok2 = "{\"d\": \"1234567890123456789012345678901.234\", \"m\": \"1234567890123456789012345678901.234 USD\"}";
	cr_assert_eq(load_facts(p, ok1, strlen(ok1), &err), ST_OK, "%s", err);
	cr_assert_eq(load_facts(p, ok2, strlen(ok2), &err), ST_OK, "%s", err);
	const char *bad[] = {
		"{\"d\": 1234567890123456789012345678901.2345}",
		"{\"d\": \"1234567890123456789012345678901.2345\"}",
		"{\"m\": \"1234567890123456789012345678901.2345 USD\"}",
	};
	for (size_t i = 0; i < 3; i++) {
		err = NULL;
		cr_assert_eq(load_facts(p, bad[i], strlen(bad[i]), &err), ST_FACTS, "%s", bad[i]);
		cr_assert_not_null(err);
	}
	/* a million digits, as a JSON number */
	const char *big = xprintf("{\"d\": %s}", repeat("9", 1000000));
	cr_assert_eq(load_facts(p, big, strlen(big), &err), ST_FACTS);
}

/* -------------------------------------------- evaluation steps, memory */

static const char *work = "decision total : int = sum(x * 2 for x in range(1, 1000) where x > 3)\n";

Test(limits, steps_exactly_enough_and_one_short)
{
	Program *p = load_ok(work);
	Ctx *c;
	Value v;
	cr_assert_eq(eval(p, "total", 0, 0, &c, &v), ST_OK);
	unsigned long long need = c->steps;
	cr_assert_gt(need, 1000);
	cr_assert_eq(eval(p, "total", need, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, 1000988); /* 2 * (4 + 5 + ... + 1000) */
	cr_assert_eq(eval(p, "total", need - 1, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, xprintf("more than %llu steps", need - 1)), "%s", c->errmsg);
}

Test(limits, a_loop_without_end_stops_at_the_default_step_limit)
{
	/* (the memory limit counts every byte allocated, so the loop must not
	 * allocate as it goes) */
	Program *p = load_ok("decision r : list of int = range(1, 1000)\n"
			     "decision spin : int = sum(sum(x for x in r) for y in range(1, 1000000))\n");
	Ctx *c;
	Value v;
	cr_assert_eq(eval(p, "spin", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 10000000 steps"), "%s", c->errmsg);
}

Test(limits, memory_exactly_enough_and_one_short)
{
	Program *p = load_ok("decision l : list of int = [x * 2 for x in range(1, 5000)]\n");
	Ctx *c;
	Value v;
	cr_assert_eq(eval(p, "l", 0, 0, &c, &v), ST_OK);
	size_t need = c->bytes;
	cr_assert_gt(need, 5000 * 8);
	cr_assert_eq(eval(p, "l", 0, need, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.l->len, 5000);
	cr_assert_eq(eval(p, "l", 0, need - 1, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, xprintf("memory limit of %zu bytes", need - 1)), "%s", c->errmsg);
}

Test(limits, memory_default_limit)
{
	/* 1000 lists of 100000 numbers: far more than 64 MiB */
	Program *p = load_ok("decision big : int = sum(length([x for x in range(1, 100000)]) for y in range(1, 1000))\n");
	Ctx *c;
	Value v;
	int st = eval(p, "big", 1000000000ull, 0, &c, &v);
	cr_assert_eq(st, ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "memory limit of 67108864 bytes"), "%s", c->errmsg);
}

/* rely-7 (fixed): explanation traces were not counted */
Test(limits, traces_count_against_the_memory_limit)
{
	Program *p = load_ok("decision n : int = count(x for x in range(1, 100000) where x > 5 and x < 999999)\n");
	Diags *d = diag_new();
	Query *q = query_compile(p, "n", "query", d);
	Ctx *c = vm_new(p);
	facts_clear(c);
	vm_reset(c);
	Value v;
	cr_assert_eq(query_run(c, q, &v), ST_OK);
	size_t plain = c->bytes;
	/* traced, with room for the plain run and 64 KiB more */
	c->trace = true;
	c->max_bytes = plain + (64u << 10);
	vm_reset(c);
	cr_assert_eq(query_run(c, q, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, 99995);
	cr_assert_leq(c->bytes, c->max_bytes);
	cr_assert(c->trace_truncated, "the trace of 300000 conditions cannot fit in 64 KiB");
}

/* ----------------------------------------------------- call depth */

static const char *chain(int n)
{
	Buf b = {0};
	for (int i = 0; i < n; i++)
		buf_printf(&b, "decision d%d : int = d%d + 1\n", i, i + 1);
	buf_printf(&b, "decision d%d : int = 0\n", n);
	return buf_cstr(&b);
}

Test(limits, call_depth_under_the_limit)
{
	/* d0 .. d199: 200 frames */
	Program *p = load_ok(chain(VM_MAX_DEPTH - 1));
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "d0", 0, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, VM_MAX_DEPTH - 1);
}

Test(limits, call_depth_over_the_limit)
{
	Program *p = load_ok(chain(VM_MAX_DEPTH));
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "d0", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 200 deep"), "%s", c->errmsg);
	/* the same context works afterwards, for a decision within reach */
	Diags *d = diag_new();
	Query *q = query_compile(p, "d150", "query", d);
	vm_reset(c);
	cr_assert_eq(query_run(c, q, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, VM_MAX_DEPTH - 150);
}

Test(limits, recursion_depth)
{
	Program *p = load_ok("function f(n : int) : int = if n > 0 then f(n - 1) + 1 else 0\n");
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "f(150)", 0, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, 150);
	cr_assert_eq(eval(p, "f(250)", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 200 deep"), "%s", c->errmsg);
	cr_assert_eq(eval(p, "f(100000000)", 0, 0, &c, &v), ST_LIMIT);
}

/* rely-2 (fixed): a long chain of decisions overflowed the checker's stack */
Test(limits, a_chain_of_50000_decisions_checks_and_stops_at_the_call_depth)
{
	Program *p = load_ok(chain(50000));
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "d0", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 200 deep"), "%s", c->errmsg);
	cr_assert_eq(eval(p, "d49900", 0, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, 100);
}

/* ---------------------------------------------------------- range() */

Test(limits, range_of_a_million_numbers)
{
	Program *p = load_ok("decision x : int = 1\n");
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "length(range(1, 1000000))", 0, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.i, 1000000);
	cr_assert_eq(eval(p, "length(range(1, 1000001))", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 1000000 numbers"), "%s", c->errmsg);
	cr_assert_eq(eval(p, "length(range(-1000000, 1000000))", 0, 0, &c, &v), ST_LIMIT);
}

/* rely-18 (fixed): the size check overflowed for far-apart bounds */
Test(limits, range_of_extreme_bounds)
{
	Program *p = load_ok("decision x : int = 1\n");
	Value v;
	Ctx *c;
	cr_assert_eq(eval(p, "length(range(-9223372036854775807, 9223372036854775807))", 0, 0, &c, &v), ST_LIMIT);
	cr_assert_not_null(strstr(c->errmsg, "more than 1000000 numbers"), "%s", c->errmsg);
	cr_assert_eq(eval(p, "range(9223372036854775806, 9223372036854775807)", 0, 0, &c, &v), ST_OK, "%s", c->errmsg);
	cr_assert_eq(v.as.l->len, 2);
	cr_assert_eq(v.as.l->items[1].as.i, INT64_MAX);
}

/* ----------------------------------------------------- diagnostics */

Test(limits, at_most_100_errors_are_kept)
{
	Diags *d;
	load1(repeat("decision x : int = nosuch\n", 150), &d);
	cr_assert_geq(d->nerrors, 150);
	int errors = 0;
	for (int i = 0; i < d->n; i++)
		errors += d->items[i].sev == SEV_ERROR;
	cr_assert_eq(errors, 100);
}

#ifndef TAB_MAX_FINDINGS
#define TAB_MAX_FINDINGS 20 /* overlapping pairs reported per table (tables.c) */
#endif

static const char *overlapping_table(int k, int rows)
{
	Buf b = {0};
	buf_printf(&b, "table t%d : int hit unique\n", k);
	for (int i = 0; i < rows; i++)
		buf_printf(&b, "  when n > %d then %d\n", i, i);
	buf_puts(&b, "  default 0\n");
	return buf_cstr(&b);
}

static int count_sev(const Diags *d, Severity sev)
{
	int n = 0;
	for (int i = 0; i < d->n; i++)
		n += d->items[i].sev == sev;
	return n;
}

/* rely-10 (fixed): each pair of overlapping rows was a warning */
Test(limits, overlaps_reported_per_table)
{
	Diags *d;
	load1(xprintf("fact n : int\n%s", overlapping_table(0, 300)), &d);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
	cr_assert_eq(count_sev(d, SEV_WARNING), TAB_MAX_FINDINGS + 1, "%d warnings", count_sev(d, SEV_WARNING));
	cr_assert(has_diag(d, "more pairs of overlapping rows"), "%s", first_msg(d));
}

Test(limits, a_table_of_3000_overlapping_rows_loads_quickly)
{
	Diags *d;
	load1(xprintf("fact n : int\n%s", overlapping_table(0, 3000)), &d);
	cr_assert_leq(count_sev(d, SEV_WARNING), TAB_MAX_FINDINGS + 1);
}

Test(limits, at_most_1000_warnings_are_kept)
{
	/* 60 tables x 21 warnings = 1260 */
	Buf b = {0};
	buf_puts(&b, "fact n : int\n");
	for (int k = 0; k < 60; k++)
		buf_puts(&b, overlapping_table(k, 25));
	Diags *d;
	load1(buf_cstr(&b), &d);
	cr_assert_eq(d->nerrors, 0, "%s", first_msg(d));
	cr_assert_eq(count_sev(d, SEV_WARNING), DIAG_MAX_WARNINGS);
	cr_assert_eq(d->nwarnings, 60 * (TAB_MAX_FINDINGS + 1));
}

/* -------------------------------------------------- missing limits */

/* rely-6 (fixed): 64 MB of JSON could take 3 GB as a json-c tree.
 * {"xs": [[0, 0, ...]]} holds 3 + n values */
Test(limits, facts_of_a_million_values_are_read)
{
	Program *p = facts_prog();
	const char *err = NULL;
	int n = FACTS_MAX_VALUES - 3;
	const char *j = xprintf("{\"xs\": [[%s0]]}", repeat("0,", n - 1));
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_OK, "%s", err);
}

Test(limits, facts_of_a_million_and_one_values_are_refused)
{
	Program *p = facts_prog();
	const char *err = NULL;
	int n = FACTS_MAX_VALUES - 2;
	const char *j = xprintf("{\"xs\": [[%s0]]}", repeat("0,", n - 1));
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
	cr_assert_not_null(strstr(err, "more than 1000000 values (the limit)"), "%s", err);
	j = xprintf("{\"xs\": [[%s0]]}", repeat("0,", 3000000));
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
}

/* rely-6 (fixed): text in facts was bounded only by the document size */
Test(limits, facts_text_of_1_MiB)
{
	Program *p = facts_prog();
	const char *err = NULL;
	char *j = json_text_of(FACTS_MAX_STRING);
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_OK, "%s", err);
	j = json_text_of(FACTS_MAX_STRING + 1);
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
	cr_assert_not_null(strstr(err, "a text longer than the limit of 1048576 bytes"), "%s", err);
	j = json_text_of(32u << 20);
	cr_assert_eq(load_facts(p, j, strlen(j), &err), ST_FACTS);
}
