/*
 * test_native.c - the native tier (native.h): the same rules loaded twice,
 * once left to the interpreter and once compiled to machine code, must
 * give the same values, the same unknowns with the same facts, the same
 * errors at the same places and spend the same steps.  The rest of the
 * interpreter's unit tests and the golden tests also run with
 * EDICT_NATIVE=1 (tests/CMakeLists.txt), which compiles every rule set
 * they load.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "mem.h"
#include "native.h"
#include "query.h"
#include "unit.h"

static const char RULES[] =
	"enum company_size = sme | midsize | large\n"
	"record step {\n  task : int\n  done : bool\n}\n"
	"fact company {\n"
	"  size : company_size\n  share : percent\n  requested : money KRW\n"
	"  received : money KRW default 0 KRW\n  staff : int\n  founded : date\n"
	"  name : string optional\n  consulting : bool\n  finance : bool\n  steps : list of step optional\n"
	"}\n"
	"param cap : money KRW = 50_000_000 KRW\n"
	"param share_floor : percent\n  from 2025-05-01 = 10%\n  from 2026-06-01 = 12.5%\n"
	"decision eligible : bool = company.size in [sme, midsize]\n"
	"decision priority : bool = eligible and company.share >= share_floor\n"
	"decision left : money KRW = max(cap - company.received, 0 KRW)\n"
	"decision award : money KRW = if eligible then min(company.requested, left) else 0 KRW\n"
	"decision half : money KRW = award / 2\n"
	"decision per_head : decimal = company.staff * 1.5 - 3\n"
	"decision negated : int = -company.staff\n"
	"decision older : bool = company.founded < 2020-01-01\n"
	"decision named : bool = company.name = \"Hanil\" or company.name != \"x\"\n"
	"decision either : bool = company.consulting or company.finance\n"
	"decision neither : bool = not company.consulting and not company.finance\n"
	"decision size_or : company_size = company.size otherwise large\n"
	"decision known_share : bool = company.share is known\n"
	"decision pending : list of int = [s.task for s in company.steps where not s.done]\n"
	"decision open_count : int = count(s for s in company.steps where not s.done)\n"
	"decision task_sum : int = sum(s.task for s in company.steps)\n"
	"decision all_done : bool = all(s.done for s in company.steps)\n"
	"decision first_task : int = min(s.task for s in company.steps)\n"
	"decision steps_made : list of step = [{task: 6, done: company.consulting}, {task: 11, done: company.finance}]\n"
	"decision plan : list of list of step = [[{task: 1, done: true}], [], [{task: 2, done: company.consulting}, {task: 3, done: false}]]\n"
	"decision any_open : bool = any(not s.done for s in company.steps)\n"
	"decision evens : list of int = [i * 2 for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] where i != company.staff]\n"
	"decision big_sum : int = sum(i for i in [9_000_000_000_000_000_000, company.staff, 9_000_000_000_000_000_000])\n"
	"decision staff_listed : bool = company.staff in [1, 12, 150]\n"
	"decision not_large : bool = not (company.size in [large])\n"
	"decision near_cap : bool = company.requested >= 29_999_999.995 KRW\n"
	"decision way_past : bool = company.requested > 0.000000000001 KRW\n"
	"decision share_ladder : list of bool = [company.share >= 14.49%, company.share < 14.5001%, company.share > 0.000000000000000001%]\n"
	"decision share_order : bool = company.share / 3 <= share_floor\n"
	"decision grant : money KRW\n"
	"  default company.requested\n"
	"  exception nothing when not eligible then 0 KRW\n"
	"  exception token when company.staff < 20 then 1 KRW\n"
	"table tier : string hit unique\n"
	"  when company.staff >= 100 then \"large\"\n"
	"  when company.staff < 100 then \"small\"\n"
	"  when company.staff = 150 then \"exactly\"\n"
	"decision sizes : list of company_size = [sme, midsize]\n"
	"decision listed_size : bool = company.size in sizes\n"
	"function twice(x : int) : int = x * 2\n"
	"decision doubled : int = twice(company.staff) + twice(1)\n"
	"decision band : string\n"
	"  default \"small\"\n"
	"  exception big when company.staff > 100 then \"big\"\n"
	"  exception huge when company.staff > 1000 then \"huge\" overrides big\n"
	"table level : string hit first\n"
	"  when company.share >= 50% then \"intensive\"\n"
	"  when company.share >= 10% then \"standard\"\n"
	"  default \"light\"\n"
	"table points : int hit sum\n"
	"  when company.consulting then 5\n"
	"  when company.finance then 10\n"
	"  default 0\n"
	"decision broken : decimal = company.staff / (company.staff - company.staff)\n"
	"function step_done(t : int) : bool =\n"
	"  if t = 6 then company.consulting else if t = 11 then company.finance else false\n"
	"decision undone : list of int = [t for t in [6, 11, 12] where not step_done(t)]\n"
	"function share_of(t : int) : decimal = 100 / (t - company.staff)\n"
	"decision shares : list of int = [t for t in [6, 11, 12] where share_of(t) > 0]\n"
	"function loop(n : int) : int = loop(n + 1)\n"
	"decision endless : int = loop(0)\n";

static const char *QUERIES[] = {"eligible", "priority", "left", "award", "half", "per_head", "negated",
				"older", "named", "either", "neither", "size_or", "known_share", "pending",
				"open_count", "task_sum", "all_done", "first_task", "steps_made", "doubled",
				"band", "level", "points", "broken", "endless", "share_floor",
				"plan", "any_open", "evens", "big_sum", "staff_listed", "not_large",
				"near_cap", "way_past", "share_ladder", "share_order", "grant", "tier", "listed_size",
				"award + 1 KRW", "[eligible, priority]", "undone", "shares"};

static const char *FACTS[] = {
	"{\"company\": {\"size\": \"sme\", \"share\": \"14.5%\", \"requested\": \"30000000 KRW\", \"staff\": 12, "
	"\"founded\": \"2010-03-01\", \"name\": \"Hanil\", \"consulting\": true, \"finance\": false, "
	"\"steps\": [{\"task\": 6, \"done\": true}, {\"task\": 11, \"done\": false}, {\"task\": 12, \"done\": false}]}}",
	("{\"company\": {\"size\": \"large\", \"share\": \"60%\", \"requested\": \"90000000 KRW\", \"received\": \"45000000 KRW\", "
	 "\"staff\": 1500, \"founded\": \"2021-01-01\", \"consulting\": false, \"finance\": false, \"steps\": []}}"),
	"{\"company\": {\"size\": \"midsize\", \"staff\": 150, \"steps\": [{\"task\": 6}, {\"task\": 11, \"done\": true}]}}",
	"{\"company\": {}}",
};

/* What the rules above leave out: enumeration members carrying a value
 * and a match on them, a fact over time read on a date, a scale with a
 * dated threshold, tariff codes in chapters and headings. */
static const char LAW[] =
	"enum prior_sale = none | most_recent of date\n"
	"fact earner {\n  income : money KRW\n  share : percent over time\n  prior : prior_sale\n  hs_code : hscode optional\n}\n"
	"param tax_scale : scale\n"
	"  bracket from 0 KRW rate 6%\n"
	"  bracket from 12_000_000 KRW rate 15%\n"
	"    threshold from 2023-01-01 = 14_000_000 KRW\n"
	"decision tax : money KRW = round_down(marginal_tax(tax_scale, earner.income))\n"
	"decision old_share : percent = earner.share at 2025-03-31\n"
	"decision recent : bool = match earner.prior { most_recent(d) => d > 2024-01-01, none => false, }\n"
	"decision sold : prior_sale = if earner.income > 0 KRW then most_recent(2025-01-02) else none\n"
	"decision garment : bool = earner.hs_code in chapter 62 or earner.hs_code in heading [6204, 6205]\n";

static const char *LAW_QUERIES[] = {"tax", "old_share", "recent", "sold", "garment"};

static const char *LAW_FACTS[] = {
	("{\"earner\": {\"income\": \"15000000 KRW\", \"share\": {\"2025-01-01\": \"12%\", "
	 "\"2025-04-01\": \"7%\"}, \"prior\": {\"most_recent\": \"2024-06-01\"}, \"hs_code\": \"6205.20\"}}"),
	"{\"earner\": {\"income\": \"0 KRW\", \"prior\": \"none\", \"hs_code\": \"8471.30\"}}",
	"{\"earner\": {}}",
};

/* The value of q in c and the steps spent, or the error with its place. */
static const char *outcome(Ctx *c, const char *q)
{
	Value v;
	int st = tu_run(c, q, &v);
	if (st != ST_OK)
		return xprintf("error %d at %d:%d: %s", st, c->errloc.line, c->errloc.col, c->errmsg);
	const char *missing = "";
	if (v.tag == V_UNKNOWN && v.as.m)
		for (uint32_t i = 0; i < v.as.m->len; i++)
			missing = xprintf("%s %s", missing, v.as.m->paths[i]->data);
	return xprintf("%s%s (%llu steps)", fmt_value_str(c->p, v), missing, (unsigned long long)c->steps);
}

typedef struct Set {
	const char *rules;
	const char *const *queries;
	size_t nqueries;
	const char *const *facts;
	size_t nfacts;
} Set;

static const Set MAIN = {RULES, QUERIES, sizeof QUERIES / sizeof *QUERIES, FACTS, sizeof FACTS / sizeof *FACTS};
static const Set LAWS = {LAW, LAW_QUERIES, sizeof LAW_QUERIES / sizeof *LAW_QUERIES, LAW_FACTS,
			 sizeof LAW_FACTS / sizeof *LAW_FACTS};

/* Limits to run under: steps and bytes (0: the default). */
typedef struct Limits {
	unsigned long long steps;
	size_t bytes;
} Limits;

/* Each query of the set on each of its facts under each of the limits:
 * the same outcome from the interpreter and from machine code. */
static void same_under(const Set *set, const char *as_of, const Limits *lim, size_t nlim)
{
	Program *vm = tu_program(set->rules), *nat = tu_program(set->rules);
	cr_assert_null(vm->native, "the first program stays with the interpreter");
	const char *why = NULL;
	int n = native_compile(nat, NULL, 0, &why);
	cr_assert_gt(n, 0, "nothing compiled: %s", why ? why : "");
	cr_assert_not_null(nat->native);
	cr_assert_eq(n, nat->native->nchunks, "every chunk is covered: %d of %d", n, nat->native->nchunks);
	date_t day;
	cr_assert_eq(date_parse(as_of, strlen(as_of), &day), 0);
	for (size_t f = 0; f < set->nfacts; f++) {
		Ctx *a = tu_ctx(vm, set->facts[f]), *b = tu_ctx(nat, set->facts[f]);
		ctx_set_as_of(a, day);
		ctx_set_as_of(b, day);
		for (size_t l = 0; l < nlim; l++) {
			ctx_set_limits(a, lim[l].steps ? lim[l].steps : VM_DEFAULT_MAX_STEPS, lim[l].bytes ? lim[l].bytes : VM_DEFAULT_MAX_BYTES);
			ctx_set_limits(b, lim[l].steps ? lim[l].steps : VM_DEFAULT_MAX_STEPS, lim[l].bytes ? lim[l].bytes : VM_DEFAULT_MAX_BYTES);
			for (size_t q = 0; q < set->nqueries; q++) {
				vm_reset(a);
				vm_reset(b);
				const char *want = outcome(a, set->queries[q]), *got = outcome(b, set->queries[q]);
				cr_expect_str_eq(got, want, "facts %zu, limits %llu steps %zu bytes, %s: %s, not %s", f, lim[l].steps,
						 lim[l].bytes, set->queries[q], got, want);
			}
		}
	}
}

static void same_for(const Set *set, const char *as_of)
{
	Limits none = {0, 0};
	same_under(set, as_of, &none, 1);
}

/* Step limits from 1 below `below`, every `by`. */
static void same_within_steps(const Set *set, const char *as_of, unsigned long long below, unsigned long long by)
{
	Limits lim[64];
	size_t n = 0;
	for (unsigned long long max = 1; max < below && n < 64; max += by)
		lim[n++] = (Limits){max, 0};
	same_under(set, as_of, lim, n);
}

TestSuite(native, .init = tu_start);

Test(native, same_values_unknowns_errors_and_steps)
{
	same_for(&MAIN, "2026-12-01");
}

Test(native, same_on_another_date)
{
	same_for(&MAIN, "2025-06-01");
}

Test(native, same_place_when_the_step_limit_stops_it)
{
	/* small limits stop the evaluation at every place in turn */
	same_within_steps(&MAIN, "2026-12-01", 60, 7);
}

Test(native, same_place_when_the_memory_limit_stops_it)
{
	/* lists and records made one by one and several at once, and lists
	 * growing, stopped at every size in turn */
	Limits lim[64];
	size_t n = 0;
	for (size_t max = 16; max < 1000 && n < 64; max += 16)
		lim[n++] = (Limits){0, max};
	same_under(&MAIN, "2026-12-01", lim, n);
}

Test(native, same_for_members_with_values_dated_facts_scales_and_tariff_codes)
{
	same_for(&LAWS, "2025-05-20");
	same_for(&LAWS, "2022-05-20");
	same_within_steps(&LAWS, "2025-05-20", 40, 3);
}

/* Decisions, functions and builtins called in the middle of a run of
 * instructions, with more after them: the steps charged for those are
 * handed back around the call, so every step limit stops both tiers at
 * the same place, within the callee or after it. */
static const char CALLS[] =
	"fact company {\n  staff : int\n  cap : money KRW\n}\n"
	"decision base : int = company.staff + 1\n"
	"function plus(x : int) : int = x + company.staff\n"
	"decision chain : int = base + plus(base) + base * 2 + plus(3) + 1\n"
	"decision sizes : list of int = [1, 12, 150]\n"
	"decision listed : bool = company.staff in sizes and base > 2\n"
	"decision capped : money KRW = max(company.cap - 10 KRW, 0 KRW) + min(company.cap, 5 KRW) + 1 KRW\n";

static const char *CALLS_QUERIES[] = {"chain", "listed", "capped", "[chain, base, chain + base]"};

static const char *CALLS_FACTS[] = {
	"{\"company\": {\"staff\": 12, \"cap\": \"40 KRW\"}}",
	"{\"company\": {\"staff\": 3}}",
	"{\"company\": {}}",
};

Test(native, same_place_when_the_step_limit_stops_it_around_a_call)
{
	static const Set set = {CALLS, CALLS_QUERIES, sizeof CALLS_QUERIES / sizeof *CALLS_QUERIES, CALLS_FACTS,
				sizeof CALLS_FACTS / sizeof *CALLS_FACTS};
	same_for(&set, "2026-12-01");
	same_within_steps(&set, "2026-12-01", 64, 1);
}

/* Comparisons of long texts and lists, which spend a step for each 64
 * bytes they read: within a run of instructions charged at once, and at
 * the `in` that ends one, every step limit stops both tiers at the same
 * place. */
static const char LONG_TEXTS[] =
	"fact doc {\n  texts : list of string\n  key : string\n  n : int\n}\n"
	"decision key : string = doc.key\n"
	"decision same : int = count(t for t in doc.texts where t = key)\n"
	"decision order : list of list of bool = [[t != key, t <= key, key > t, t = key, doc.n + 1 > 2] for t in doc.texts]\n"
	"decision listed : list of bool = [key in doc.texts, doc.n + 1 > 2]\n"
	"decision lists : list of bool = [[doc.texts] = [doc.texts], doc.n + 1 > 2]\n";

static const char *LONG_QUERIES[] = {"same", "order", "listed", "lists"};

/* A text of 640 bytes, each of them 'x': ten steps to compare. */
static const char *x640(void)
{
	char *t = GC_MALLOC_ATOMIC(641);
	memset(t, 'x', 640);
	t[640] = 0;
	return t;
}

/* The queries q of rules on the facts f0 and f1: the same in both tiers
 * under the default limits and every step limit below `below`, every `by`. */
static void same_within_steps_of(const char *rules, const char **q, size_t nq, const char *f0, const char *f1,
				 unsigned long long below, unsigned long long by)
{
	const char *facts[] = {f0, f1};
	const Set set = {rules, q, nq, facts, 2};
	same_for(&set, "2026-12-01");
	same_within_steps(&set, "2026-12-01", below, by);
}

Test(native, same_place_when_the_step_limit_stops_a_comparison_of_long_texts)
{
	const char *t = x640();
	same_within_steps_of(LONG_TEXTS, LONG_QUERIES, sizeof LONG_QUERIES / sizeof *LONG_QUERIES,
			     xprintf("{\"doc\": {\"texts\": [\"%s\", \"%s\", \"%s\"], \"key\": \"%sy\", \"n\": 2}}", t, t, t, t),
			     xprintf("{\"doc\": {\"texts\": [\"%s\"], \"key\": \"%s\", \"n\": 1}}", t, t), 256, 4);
}

/* min and max of long texts (in a list, as arguments, in a
 * comprehension), which spend a step for each 64 bytes they compare, and
 * `in`, which spends them for the items up to the one it finds: every step
 * limit stops both tiers at the same place. */
static const char MIN_MAX_TEXTS[] =
	"fact doc {\n  texts : list of string\n  key : string\n  n : int\n}\n"
	"decision key : string = doc.key\n"
	"decision listed : int = count([min(doc.texts), max(doc.texts)]) + doc.n\n"
	"decision pairs : int = count(concat([min(t, key) for t in doc.texts], [max(key, t, key) for t in doc.texts])) + doc.n\n"
	"decision folded : list of bool = [min(t for t in doc.texts) = key, doc.n + 1 > 2, max(t for t in doc.texts where doc.n > 0) = key, doc.n + 1 > 2]\n"
	"decision found : list of bool = [key in doc.texts, doc.n + 1 > 2, key in [key], doc.n > 0]\n";

static const char *MIN_MAX_QUERIES[] = {"listed", "pairs", "folded", "found"};

Test(native, same_place_when_the_step_limit_stops_min_max_or_in_of_long_texts)
{
	const char *t = x640();
	same_within_steps_of(MIN_MAX_TEXTS, MIN_MAX_QUERIES, sizeof MIN_MAX_QUERIES / sizeof *MIN_MAX_QUERIES,
			     xprintf("{\"doc\": {\"texts\": [\"%s\", \"%sz\", \"%s\"], \"key\": \"%sy\", \"n\": 2}}", t, t, t, t),
			     xprintf("{\"doc\": {\"texts\": [\"%s\", \"%s\", \"%s\"], \"key\": \"%s\", \"n\": 1}}", t, t, t, t), 190, 3);
}

/* Tables that compare what their rows give, long texts here: hit max,
 * hit any, and hit any with a row that waits for a missing fact.  Every
 * step limit stops both tiers at the same place. */
static const char TABLE_TEXTS[] =
	"fact doc {\n  key : string\n  n : int\n  m : int\n}\n"
	"table top : string hit max\n  when doc.n > 0 then doc.key\n  when doc.n > 1 then doc.key\n  when true then doc.key\n"
	"table agreed : string hit any\n  when doc.n > 0 then doc.key\n  when doc.n > 1 then doc.key\n  when true then doc.key\n"
	"table open : string hit any\n  when true then doc.key\n  when doc.m > 0 then doc.key\n  when doc.n > 0 then doc.key\n"
	"decision rows : list of int = [count([top]), doc.n + 1, count([agreed]), doc.n + 2, count([open]), doc.n]\n";

static const char *TABLE_QUERIES[] = {"rows"};

Test(native, same_place_when_the_step_limit_stops_a_table_comparing_long_texts)
{
	const char *t = x640();
	same_within_steps_of(TABLE_TEXTS, TABLE_QUERIES, 1, xprintf("{\"doc\": {\"key\": \"%s\", \"n\": 2}}", t),
			     xprintf("{\"doc\": {\"key\": \"%sy\", \"n\": 1}}", t), 200, 4);
}

/* The interrupt flag raised before each query: both tiers stop at the
 * first place that looks at it (a loop's head, a jump outside loops) with
 * the same message, place and steps. */
Test(native, same_place_when_interrupted)
{
	static volatile sig_atomic_t raised = 1;
	Program *vm = tu_program(RULES), *nat = tu_program(RULES);
	cr_assert_gt(native_compile(nat, NULL, 0, NULL), 0);
	int stopped = 0;
	for (size_t f = 0; f < sizeof FACTS / sizeof *FACTS; f++) {
		Ctx *a = tu_ctx(vm, FACTS[f]), *b = tu_ctx(nat, FACTS[f]);
		ctx_set_interrupt(a, &raised);
		ctx_set_interrupt(b, &raised);
		for (size_t q = 0; q < sizeof QUERIES / sizeof *QUERIES; q++) {
			vm_reset(a);
			vm_reset(b);
			const char *want = outcome(a, QUERIES[q]), *got = outcome(b, QUERIES[q]);
			cr_expect_str_eq(got, want, "facts %zu, %s: %s, not %s", f, QUERIES[q], got, want);
			stopped += strstr(want, "interrupted") != NULL;
		}
	}
	cr_assert_gt(stopped, 8, "the loops and branches were interrupted (%d)", stopped);
}

Test(native, compiles_once)
{
	cr_assert(native_available(), "this build has the native tier, so libgccjit must be installed (libgccjit0)");
	Program *p = tu_program(RULES);
	int n = native_compile(p, NULL, 0, NULL);
	cr_assert_gt(n, 0);
	cr_assert_eq(native_compile(p, NULL, 0, NULL), n, "asking again changes nothing");
}

/* A context for TU_DEEP_RULES, its function in machine code. */
static Ctx *deep_native(void)
{
	cr_assert(native_available(), "this build has the native tier, so libgccjit must be installed (libgccjit0)");
	Program *p = tu_program(TU_DEEP_RULES);
	cr_assert_gt(native_compile(p, NULL, 0, NULL), 0);
	cr_assert_eq(p->nfuncs, 1);
	cr_assert_not_null(p->native->ffn[0], "f is machine code");
	return tu_ctx(p, NULL);
}

Test(native, a_small_thread_stack_stops_a_deep_recursion_cleanly)
{
	tu_expect_small_stack_stops(deep_native());
}

Test(native, a_large_thread_stack_holds_the_same_recursion)
{
	tu_expect_large_stack_holds(deep_native());
}

Test(native, a_dump_that_cannot_be_written_leaves_the_machine_code)
{
	Program *p = tu_program(RULES), *q = tu_program(RULES);
	int n = native_compile(p, NULL, 0, NULL);
	cr_assert_gt(n, 0);
	setenv("EDICT_JIT_DUMP", "/nonexistent-folder/edict.s", 1);
	const char *why = NULL;
	int m = native_compile(q, NULL, 0, &why);
	unsetenv("EDICT_JIT_DUMP");
	cr_assert_eq(m, n, "as many chunks in machine code as without the dump (%s)", why ? why : "");
}

/* The compiler sets the locale's character types and messages from the
 * environment as it runs, in a process of its own: the host's stay as
 * they were. */
Test(native, the_hosts_locale_stays)
{
	cr_assert_not_null(setlocale(LC_ALL, "C"));
	setenv("LC_ALL", "C.UTF-8", 1); /* what the compiler would take */
	Program *p = tu_program(RULES);
	cr_assert_gt(native_compile(p, NULL, 0, NULL), 0);
	cr_expect_str_eq(setlocale(LC_CTYPE, NULL), "C");
	cr_expect_str_eq(setlocale(LC_MESSAGES, NULL), "C");
}

/* The compiler's library goes into a new folder under TMPDIR, which is
 * gone once the library is loaded; where no folder can be made there,
 * nothing is compiled, with the reason, and the interpreter runs it all. */
Test(native, the_compilers_folder_goes_and_its_absence_is_said)
{
	char dir[] = "/tmp/edict-test-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	Program *p = tu_program(RULES);
	cr_assert_gt(native_compile(p, NULL, 0, NULL), 0);
	cr_expect_eq(rmdir(dir), 0, "the folder is empty again");
	Program *q = tu_program(RULES);
	const char *why = NULL;
	cr_assert_eq(native_compile(q, NULL, 0, &why), 0, "no folder for the code: nothing compiled");
	cr_assert_not_null(why);
	cr_expect(strstr(why, "cannot make a folder for the machine code"), "%s", why);
	cr_assert_null(q->native);
	Ctx *c = tu_ctx(q, FACTS[0]);
	vm_reset(c);
	const char *got = outcome(c, "award");
	cr_expect(strncmp(got, "30000000 KRW (", 14) == 0, "the interpreter runs it: %s", got);
}

Test(native, only_what_the_roots_reach)
{
	Program *p = tu_program(RULES);
	Query *q = query_compile(p, "award", "query", diag_new());
	cr_assert_not_null(q);
	const Chunk *roots[1] = {q->plain};
	int n = native_compile(p, roots, 1, NULL);
	int award = prog_find_decl(p, "award")->index, priority = prog_find_decl(p, "priority")->index;
	cr_assert_not_null(p->native->dfn[award]);
	cr_assert_null(p->native->dfn[priority], "priority is not reached from award");
	cr_assert_eq(n, 4, "award and what it decides: eligible, left and cap (%d)", n);
	int eligible = prog_find_decl(p, "eligible")->index;
	cr_assert_not_null(p->native->tfn[award], "the query decides award: it has a task function");
	cr_assert_not_null(p->native->dfn[eligible]);
	cr_assert_null(p->native->tfn[eligible], "eligible is decided within award only: no task function");
}

/* Compiled whole, with no queries named, no decision has a task function:
 * the library's loop runs the tasks. */
Test(native, no_task_functions_without_queries)
{
	Program *p = tu_program(RULES);
	cr_assert_gt(native_compile(p, NULL, 0, NULL), 0);
	for (int d = 0; d < p->ndecls; d++)
		cr_assert_null(p->native->tfn[d], "%s", p->decls[d]->qname);
}

Test(native, explanations_use_the_interpreter)
{
	Program *p = tu_program(RULES);
	native_compile(p, NULL, 0, NULL);
	Ctx *c = tu_ctx(p, FACTS[0]);
	ctx_set_trace(c, true);
	vm_reset(c);
	Value v;
	cr_assert_eq(tu_run(c, "priority", &v), ST_OK);
	cr_assert_gt(c->nev, 0, "the trace was recorded");
}

/* Lists and records carved from the context's region in place: each
 * evaluation counts the bytes the interpreter counts and gets values of its
 * own (evaluated again and again in one context, so that the region has
 * room and the in-place path is taken, not only the first one's call). */
Test(native, lists_carved_in_place_count_the_same_bytes)
{
	static const char *made[] = {"pending", "steps_made", "plan", "evens", "share_ladder", "[eligible, priority]"};
	Program *vm = tu_program(RULES), *nat = tu_program(RULES);
	cr_assert_gt(native_compile(nat, NULL, 0, NULL), 0);
	for (size_t f = 0; f < sizeof FACTS / sizeof *FACTS; f++) {
		Ctx *a = tu_ctx(vm, FACTS[f]), *b = tu_ctx(nat, FACTS[f]);
		for (int round = 0; round < 3; round++)
			for (size_t q = 0; q < sizeof made / sizeof *made; q++) {
				vm_reset(a);
				vm_reset(b);
				const char *want = outcome(a, made[q]), *got = outcome(b, made[q]);
				cr_expect_str_eq(got, want, "facts %zu, round %d, %s", f, round, made[q]);
				cr_expect_eq(b->bytes, a->bytes, "facts %zu, round %d, %s: %zu bytes, not %zu", f, round, made[q], b->bytes,
					     a->bytes);
			}
		if (!mem_stress()) /* in stress mode every object is the collector's own */
			cr_assert_not_null(b->region.at, "the values came from the context's region");
	}
}

/* The queries' texts compiled for p into qs; with `native`, what they
 * reach then compiled to machine code, as `edict batch --native` compiles
 * it, so that the decisions they name have task functions (native.h). */
static void queries_for(Program *p, const char *const *texts, int n, Query **qs, bool native)
{
	const Chunk *roots[16];
	cr_assert_leq(n, 16);
	for (int i = 0; i < n; i++) {
		cr_assert_not_null(qs[i] = query_compile(p, texts[i], "--query", diag_new()));
		roots[i] = qs[i]->plain;
	}
	if (native)
		cr_assert_gt(native_compile(p, roots, n, NULL), 0);
}

/* Several queries under one protected call in machine code, their tasks
 * read where the queries hold them: the values before a failure, its
 * index and message as the interpreter gives them, and the context fit
 * for the next evaluation. */
Test(native, queries_at_once_as_the_interpreter_runs_them)
{
	static const char *texts[] = {"award", "pending", "broken", "priority"};
	enum { N = sizeof texts / sizeof *texts };
	/* interpreted; all in machine code, the tasks run by the library's
	 * loop; what the queries reach, the tasks by their task functions */
	Program *p[3] = {tu_program(RULES), tu_program(RULES), tu_program(RULES)};
	cr_assert_gt(native_compile(p[1], NULL, 0, NULL), 0);
	const char *got[3][N + 2];
	for (int t = 0; t < 3; t++) {
		Query *qs[N];
		queries_for(p[t], texts, N, qs, t == 2);
		Ctx *c = tu_ctx(p[t], FACTS[0]);
		vm_reset(c);
		Value v[N] = {0};
		int failed = -1;
		cr_assert_eq(query_run_many(c, (const Query *const *)qs, N, v, &failed), ST_RUNTIME);
		cr_assert_eq(failed, 2, "the third divides by zero");
		cr_assert_eq(v[3].tag, 0, "nothing runs after the failure");
		got[t][0] = fmt_value_str(p[t], v[0]);
		got[t][1] = fmt_value_str(p[t], v[1]);
		got[t][2] = xprintf("%d:%d %s", c->errloc.line, c->errloc.col, c->errmsg);
		cr_assert_eq(query_run_many(c, (const Query *const *)qs + 3, 1, v + 3, &failed), ST_OK, "%s", c->errmsg);
		got[t][3] = fmt_value_str(p[t], v[3]);
		vm_reset(c);
		Query *ok[3] = {qs[3], qs[1], qs[0]};
		cr_assert_eq(query_run_many(c, (const Query *const *)ok, 3, v, &failed), ST_OK, "%s", c->errmsg);
		got[t][4] = xprintf("%s %s %s", fmt_value_str(p[t], v[0]), fmt_value_str(p[t], v[1]), fmt_value_str(p[t], v[2]));
		got[t][5] = xprintf("%llu steps", (unsigned long long)c->steps);
	}
	for (int t = 1; t < 3; t++)
		for (int i = 0; i < N + 2; i++)
			cr_expect_str_eq(got[t][i], got[0][i], "program %d, part %d", t, i);
	cr_expect_str_eq(got[1][4], "true [11, 12] 30000000 KRW");
	cr_assert_not_null(p[2]->native->tfn[prog_find_decl(p[2], "broken")->index], "the failing task has a task function");
}

/* What deciding a query's decision leaves in the context, in words: the
 * values, the steps, where the memo holds each decision and the frame. */
static const char *left_by(Ctx *c, const Value *v, int n, const int *decls, int ndecls)
{
	const char *s = xprintf("%llu steps, frame %s", (unsigned long long)c->steps, c->frame == c->top_frame ? "the query's" : "other");
	for (int i = 0; i < n; i++)
		s = xprintf("%s; %s", s, fmt_value_str(c->p, v[i]));
	for (int i = 0; i < ndecls; i++)
		s = xprintf("%s; state %d%s", s, c->state[decls[i]], c->stamp[decls[i]] == c->epoch ? " now" : c->stamp[decls[i]] == STAMP_ALWAYS ? " always" : "");
	return s;
}

/* A query's decision that is in machine code is decided from the query's
 * top by its task function, without the interpreter's decide or run_calls'
 * memo and bookkeeping, and leaves the context as decide
 * does: its value memoized for the rest of the evaluation (asked again, it
 * costs no steps), kept for the next evaluations where it reads no facts
 * (sizes), and the frame back to the query's.  Run twice, so the second
 * evaluation starts from what the first kept. */
Test(native, decisions_queried_leave_what_decide_leaves)
{
	static const char *texts[] = {"sizes", "award", "sizes", "award", "eligible"};
	enum { N = sizeof texts / sizeof *texts };
	Program *p[2] = {tu_program(RULES), tu_program(RULES)};
	Query *qs[2][N];
	for (int t = 0; t < 2; t++)
		queries_for(p[t], texts, N, qs[t], t == 1);
	int decls[3] = {prog_find_decl(p[0], "sizes")->index, prog_find_decl(p[0], "award")->index,
			prog_find_decl(p[0], "eligible")->index};
	for (int i = 0; i < 3; i++) /* so that the tasks run in machine code from the top */
		cr_assert_not_null(p[1]->native->tfn[decls[i]], "decision %d has a task function", decls[i]);
	const char *got[2][2];
	for (int t = 0; t < 2; t++) {
		Ctx *c = tu_ctx(p[t], FACTS[0]);
		for (int round = 0; round < 2; round++) {
			vm_reset(c);
			Value v[N];
			int failed = -1;
			cr_assert_eq(query_run_many(c, (const Query *const *)qs[t], N, v, &failed), ST_OK, "%s", c->errmsg);
			got[t][round] = left_by(c, v, N, decls, 3);
		}
	}
	for (int round = 0; round < 2; round++)
		cr_expect_str_eq(got[1][round], got[0][round], "evaluation %d", round + 1);
	const char *kept = xprintf("; state %d always; state %d now; state %d now", DS_KEPT, DS_UNDECIDED, DS_UNDECIDED);
	cr_expect(strstr(got[1][0], kept), "the first evaluation decides all three, and keeps sizes: %s", got[1][0]);
	cr_expect(strstr(got[1][1], kept), "the second takes sizes from the first: %s", got[1][1]);
}
