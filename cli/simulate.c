/*
 * simulate.c - `edict simulate`: what a reform changes across a population.
 *
 *     edict simulate PATH... --reform REFORM... --population FILE.ndjson
 *         [--query Q]... [--as-of DATE] [--budget AMOUNT] [--examples N] [--jobs N] [--native] [--json]
 *
 * The rule set is loaded twice: as it is (the baseline) and with the
 * reform's declarations in place of its own (load_reform).  Each record of
 * the population (one JSON fact document a line, as for `edict batch`) is
 * evaluated under both, a slice of records at a time (on --jobs threads,
 * each with its own pair of contexts, whose counts are merged at the end:
 * the report is the same for any number), so the population is never
 * held in memory.  For each query the report says:
 *   - how many records change, and which way: false -> true, true -> false,
 *     increased, decreased, other (a change of kind, of text, to or from
 *     unknown);
 *   - for yes/no queries, how many records are yes before and after;
 *   - for money, the totals before and after, and their share of --budget
 *     (the 200 billion KRW envelope of a voucher programme);
 *   - a few records that flip, with the reason: the decisions, params and
 *     conditions of the explanation whose values differ between the two.
 * A reform may add declarations: a query only the reform can answer is
 * evaluated under it alone and reported as new, and a record may carry
 * facts only the reform declares (left out of what the baseline reads,
 * facts_drop_unknown).
 * --json gives the same report as one JSON object.  Exit status: 0, or 1
 * if a query failed on some record, else 3 if some record had invalid
 * facts (those records are skipped and listed).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

#include "api.h"
#include "common.h"
#include "commands.h"
#include "ndjson.h"

#define SIM_DEFAULT_EXAMPLES 3
#define SIM_MAX_REASONS 6
#define SIM_MAX_LISTED 5 /* invalid records and errors listed in the report */

typedef enum Dir { D_FALSE_TRUE, D_TRUE_FALSE, D_UP, D_DOWN, D_OTHER, D__N } Dir;
static const char *const dir_key[D__N] = {"false_to_true", "true_to_false", "increased", "decreased", "other"};
static const char *const dir_words[D__N] = {"false -> true", "true -> false", "increased", "decreased", "other"};

typedef struct Options {
	CliEvalOpts eval; /* the rules, --query, --as-of, --jobs, --native */
	const char **reforms;
	int nreforms;
	const char *population;
	const char *budget;
	int examples;
	bool json;
} Options;

typedef struct Example {
	long line;
	const char *id; /* JSON, or NULL */
	const char *before, *after; /* Edict text */
	const char *before_json, *after_json;
	const char *reason_text;
	const char *reason_json;
} Example;

/* A money total: one currency, or mixed. */
typedef struct Total {
	Dec sum;
	uint16_t cur;
	bool any, mixed, overflow;
	long unknown;
} Total;

typedef struct Stat {
	const char *query;
	long compared, changed, errors;
	long dir[D__N];
	long yes[2]; /* bool results that are true: baseline, reform */
	bool is_bool, is_money;
	Total total[2];
	Example *ex;
	int nex;
	const char *first_error;
	long first_error_line;
	bool only_reform; /* a query the rules as they are do not have: the reform's alone */
} Stat;

typedef struct Listed {
	long line;
	const char *msg;
} Listed;

static const char *help =
	"Usage: edict simulate PATH... --reform REFORM --population FILE.ndjson [--query Q]...\n"
	"           [--as-of DATE] [--budget AMOUNT] [--examples N] [--jobs N] [--native] [--json]\n"
	"\n"
	"Evaluates every record of the population (one JSON fact document a line; - for\n"
	"standard input) under the rules and under the rules changed by the reform (rule\n"
	"files starting `reform MODULE`, whose declarations replace those of the same name\n"
	"in that module or are added to it), and reports for each query how many records\n"
	"change and which way, the totals of money results, and a few records that flip\n"
	"with the reason.  A decision only the reform has is reported as new in it.\n"
	"\n"
	"  --reform FILE|DIR  the reform (repeatable: all the files make one reform)\n"
	"  --query Q        what to compare (repeatable); default: every public decision\n"
	"  --as-of DATE     the evaluation date, before each record's \"as_of\" and today\n"
	"  --budget AMOUNT  show money totals as a share of this amount, above zero and in\n"
	"                   their currency (\"200_000_000_000 KRW\")\n"
	"  --examples N     records shown per query (default 3)\n"
	"  --jobs N         evaluate on N threads (the report is the same)\n"
	"  --native         compile the decisions to machine code, on a thread of its own\n"
	"                   while the interpreter starts (the same report; where\n"
	"                   libgccjit is missing, the interpreter runs them all)\n"
	"  --json           the report as one JSON object\n"
	"\n"
	"Exit status: 0, 1 a query failed on some record (or the rules or the reform have\n"
	"errors), 2 usage error, 3 some record had invalid facts.\n";

static void usage(const char *fmt, const char *arg)
{
	cli_usage("edict simulate", fmt, arg,
		  "Usage: edict simulate PATH... --reform REFORM --population FILE.ndjson [--query Q]...\n"
		  "           [--as-of DATE] [--budget AMOUNT] [--examples N] [--jobs N] [--native] [--json]");
}

/* --reform, --population, --budget, --examples and --json, simulate's
 * own options. */
static int own_option(int argc, char **argv, int *i, void *opts, CliUsage say)
{
	Options *o = opts;
	const char *a = argv[*i], *v;
	if (strcmp(a, "--reform") == 0 || strcmp(a, "-r") == 0) {
		if (!(v = cli_option_value(argc, argv, i, "%s needs a rule file that changes the rules", say)))
			return -1;
		AST_PUSH(o->reforms, o->nreforms, v);
	} else if (strcmp(a, "--population") == 0 || strcmp(a, "-p") == 0) {
		if (!(o->population = cli_option_value(
			      argc, argv, i, "%s needs a file of JSON fact documents, one a line (or - for standard input)", say)))
			return -1;
	} else if (strcmp(a, "--budget") == 0) {
		if (!(o->budget = cli_option_value(argc, argv, i, "%s needs an amount like \"200_000_000_000 KRW\"", say)))
			return -1;
	} else if (strcmp(a, "--examples") == 0) {
		long n;
		if (cli_number_option(argc, argv, i, "--examples", 0, 100, &n, say) < 0)
			return -1;
		o->examples = (int)n;
	} else if (strcmp(a, "--json") == 0) {
		o->json = true;
	} else {
		return 0;
	}
	return 1;
}

/* CLI_GO_ON, or the exit status after help or a usage error. */
static int parse_options(int argc, char **argv, Options *o)
{
	memset(o, 0, sizeof *o);
	o->examples = SIM_DEFAULT_EXAMPLES;
	int rc = cli_parse_eval_opts(argc, argv, &o->eval, own_option, o, usage, help);
	if (rc != CLI_GO_ON)
		return rc;
	if (o->nreforms == 0)
		return usage("needs --reform FILE: the rule file with the changed declarations%s", ""), EXIT_USAGE;
	if (!o->population)
		return usage("needs --population FILE: JSON fact documents, one a line%s", ""), EXIT_USAGE;
	return CLI_GO_ON;
}

/* ------------------------------------------------------------ compare */

static bool numeric_like(const Value *v)
{
	return v->tag == V_INT || v->tag == V_DEC || v->tag == V_MONEY || v->tag == V_PCT || v->tag == V_DATE ||
	       v->tag == V_DUR;
}

static Dir direction(const Value *a, const Value *b)
{
	if (a->tag == V_BOOL && b->tag == V_BOOL)
		return a->as.i ? D_TRUE_FALSE : D_FALSE_TRUE;
	bool same = a->tag == b->tag || (val_is_declike(*a) && val_is_declike(*b) && a->tag != V_MONEY && b->tag != V_MONEY) ||
		    ((a->tag == V_INT || a->tag == V_DEC) && (b->tag == V_INT || b->tag == V_DEC));
	if (!same || !numeric_like(a) || !numeric_like(b))
		return D_OTHER;
	if (a->tag == V_MONEY && a->cur != b->cur && a->cur && b->cur)
		return D_OTHER;
	if (a->tag == V_DUR && (a->cur <= DU_WEEKS) != (b->cur <= DU_WEEKS))
		return D_OTHER;
	int c = ar_order(*a, *b);
	return c < 0 ? D_UP : c > 0 ? D_DOWN : D_OTHER;
}

static void add_total(Total *t, const Value *v)
{
	if (v->tag == V_UNKNOWN) {
		t->unknown++;
		return;
	}
	if (v->tag != V_MONEY)
		return;
	if (!t->any) {
		t->any = true;
		t->cur = v->cur;
		t->sum = val_get_dec(*v);
		return;
	}
	if (v->cur && t->cur && v->cur != t->cur)
		t->mixed = true;
	if (!t->cur)
		t->cur = v->cur;
	Dec r;
	if (dec_add(t->sum, val_get_dec(*v), &r) != DEC_OK)
		t->overflow = true;
	else
		t->sum = r;
}

static const char *money_text(Dec d, uint16_t cur)
{
	Buf b = {0};
	fmt_scalar_text(val_dec(V_MONEY, d, cur), &b);
	return buf_cstr(&b);
}

/* a / b as a percentage with 2 places (4 below 1%), "" when it cannot be said */
static const char *percent_of(Dec a, Dec b)
{
	Dec r, h = dec_from_int(100);
	if (dec_is_zero(b) || dec_mul(a, h, &r) != DEC_OK || dec_div(r, b, &r) != DEC_OK)
		return "";
	int places = dec_cmp(dec_abs(r), dec_from_int(1)) < 0 ? 4 : 2;
	if (dec_round(r, places, DEC_HALF_EVEN, &r) != DEC_OK)
		return "";
	char tmp[DEC_FMT_MAX];
	size_t n = dec_format(r, tmp);
	return xprintf("%.*s%%", (int)n, tmp);
}

/* Why a money total in cur is not set against the budget, or NULL when it
 * is: a budget in another currency (one with none fits any). */
static const char *budget_mismatch(uint16_t budget_cur, uint16_t cur)
{
	if (!budget_cur || !cur || budget_cur == cur)
		return NULL;
	char theirs[4], ours[4];
	val_currency_text(budget_cur, ours);
	val_currency_text(cur, theirs);
	return xprintf("the budget is in %s, the totals in %s", ours, theirs);
}

/* ------------------------------------------------------------ reasons */

/* What an explanation says, flattened: each decision's value and each
 * condition's value, by name / text, first occurrence. */
typedef struct Entry {
	const char *key;
	json_object *val;
	bool cond; /* a condition's text, else a decision's name */
} Entry;

typedef struct Flat {
	Entry *e;
	int n;
} Flat;

static int flat_find(const Flat *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->e[i].key, key) == 0)
			return i;
	return -1;
}

static void flatten(json_object *node, Flat *f, const char *skip)
{
	if (!node || json_object_get_type(node) != json_type_object)
		return;
	json_object *name, *val, *conds, *uses;
	if (json_object_object_get_ex(node, "decision", &name) && json_object_object_get_ex(node, "value", &val)) {
		const char *k = json_object_get_string(name);
		if (flat_find(f, k) < 0 && !(skip && strcmp(k, skip) == 0)) {
			Entry e = {xprintf("%s", k), val, false};
			AST_PUSH(f->e, f->n, e);
		}
	}
	if (json_object_object_get_ex(node, "conditions", &conds) && json_object_get_type(conds) == json_type_array)
		for (size_t i = 0; i < json_object_array_length(conds); i++) {
			json_object *c = json_object_array_get_idx(conds, i), *t, *v;
			if (!json_object_object_get_ex(c, "text", &t) || !json_object_object_get_ex(c, "value", &v))
				continue;
			const char *k = json_object_get_string(t);
			if (flat_find(f, k) < 0) {
				Entry e = {xprintf("%s", k), v, true};
				AST_PUSH(f->e, f->n, e);
			}
		}
	if (json_object_object_get_ex(node, "uses", &uses) && json_object_get_type(uses) == json_type_array)
		for (size_t i = 0; i < json_object_array_length(uses); i++)
			flatten(json_object_array_get_idx(uses, i), f, skip);
}

/* A condition that is just a decision's name says nothing more than the
 * decision's own entry. */
static bool names_decision(const Flat *f, const char *text)
{
	size_t n = strlen(text);
	for (int i = 0; i < f->n; i++) {
		const char *k = f->e[i].key;
		size_t kn = strlen(k);
		if (f->e[i].cond)
			continue;
		if (strcmp(k, text) == 0 || (kn > n && k[kn - n - 1] == '.' && strcmp(k + kn - n, text) == 0))
			return true;
	}
	return false;
}

/* A JSON value for people: strings without their quotes. */
static const char *plain(json_object *v)
{
	if (!v)
		return "unknown";
	if (json_object_get_type(v) == json_type_string)
		return xprintf("%s", json_object_get_string(v));
	if (json_object_get_type(v) == json_type_null)
		return "unknown";
	return xprintf("%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static const char *json_of(json_object *v)
{
	return v ? xprintf("%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)) : "null";
}

/* Why the query's value differs for this record: the differences between
 * its two explanations, decisions and params first. */
static void reason(edict_ctx *base, edict_ctx *reform, const char *query, Example *ex)
{
	const char *ja, *jb;
	ex->reason_text = "";
	ex->reason_json = "[]";
	if (edict_explain_json(base, query, &ja) != EDICT_OK || edict_explain_json(reform, query, &jb) != EDICT_OK)
		return;
	json_object *a = json_tokener_parse(ja), *b = json_tokener_parse(jb);
	if (!a || !b) {
		json_object_put(a);
		json_object_put(b);
		return;
	}
	json_object *top;
	const char *self = json_object_object_get_ex(a, "decision", &top) ? json_object_get_string(top) : NULL;
	Flat fa = {0}, fb = {0};
	flatten(a, &fa, self);
	flatten(b, &fb, self);
	Buf t = {0}, j = {0};
	buf_puts(&j, "[");
	int n = 0;
	/* decisions and params (names), then conditions (texts with spaces) */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < fb.n && n < SIM_MAX_REASONS; i++) {
			const Entry *eb = &fb.e[i];
			if (eb->cond != (pass == 1) || (eb->cond && names_decision(&fb, eb->key)))
				continue;
			int k = flat_find(&fa, eb->key);
			bool found = k >= 0;
			json_object *va = found ? fa.e[k].val : NULL;
			const char *sa = json_of(va), *sb = json_of(eb->val);
			if (found && strcmp(sa, sb) == 0)
				continue;
			buf_printf(&t, "%s%s: %s -> %s", n ? "; " : "", eb->key, found ? plain(va) : "(not used)", plain(eb->val));
			if (n)
				buf_puts(&j, ",");
			buf_puts(&j, "{\"what\":");
			buf_json_str(&j, eb->key, strlen(eb->key));
			buf_printf(&j, ",\"before\":%s,\"after\":%s}", found ? sa : "null", sb);
			n++;
		}
	buf_puts(&j, "]");
	ex->reason_text = buf_cstr(&t);
	ex->reason_json = buf_cstr(&j);
	json_object_put(a);
	json_object_put(b);
}

/* ------------------------------------------------------------- report */

/* Whether a declaration of the reformed rules came from the reform's
 * files rather than from the rules' own. */
static bool from_reform(const Program *bp, const Decl *d)
{
	for (int i = 0; i < bp->nmods; i++)
		if (d->loc.file && strcmp(bp->mods[i]->src->path, d->loc.file) == 0)
			return false;
	return true;
}

/* A declaration's text: from its line to the next declaration of its file
 * in its module (or the end of the file). */
static const char *decl_text(const Program *p, const Decl *d, size_t *len)
{
	const Source *src = diag_find_source(p->diags, d->loc.file);
	if (!src || !d->module)
		return NULL;
	int next = INT_MAX;
	for (int i = 0; i < d->module->ndecls; i++) {
		const Decl *o = d->module->decls[i];
		if (o->loc.file && strcmp(o->loc.file, d->loc.file) == 0 && o->loc.line > d->loc.line && o->loc.line < next)
			next = o->loc.line;
	}
	long at = source_line_offset(src, d->loc.line);
	long end = next == INT_MAX ? -1 : source_line_offset(src, next);
	if (at < 0)
		return NULL;
	*len = (end < 0 ? (long)src->len : end) - at;
	return src->text + at;
}

/* Whether the reform's declaration d reads as the rules' own, word for
 * word (a reform that is a changed copy of the whole rule set repeats
 * what it does not change). */
static bool same_text(const Program *bp, const Decl *bd, const Program *rp, const Decl *d)
{
	size_t na, nb;
	const char *a = decl_text(bp, bd, &na), *b = decl_text(rp, d, &nb);
	return a && b && na == nb && memcmp(a, b, na) == 0;
}

/* The names of what the reform replaces (added false) or adds, as text
 * ("a, b") or as the members of a JSON array. */
static void list_changes(const Program *bp, const Program *rp, bool added, Buf *names, bool json)
{
	int k = 0;
	for (int i = 0; i < rp->ndecls + rp->nfuncs + rp->nfacts; i++) {
		const Decl *d = i < rp->ndecls		   ? rp->decls[i]
				: i < rp->ndecls + rp->nfuncs ? rp->funcs[i - rp->ndecls]
							     : rp->facts[i - rp->ndecls - rp->nfuncs];
		if (!from_reform(bp, d))
			continue;
		bool fact = i >= rp->ndecls + rp->nfuncs;
		const char *name = fact ? d->name : d->qname;
		const Decl *bd = fact ? prog_find_fact(bp, name) : prog_find_decl(bp, name);
		if ((bd != NULL) == added || (bd && same_text(bp, bd, rp, d)))
			continue;
		if (k++)
			buf_puts(names, json ? "," : ", ");
		if (json)
			buf_json_str(names, name, strlen(name));
		else
			buf_puts(names, name);
	}
}

static void examples_text(const Stat *s, Buf *b)
{
	if (!s->nex)
		return;
	buf_puts(b, "  for example:\n");
	for (int e = 0; e < s->nex; e++) {
		const Example *ex = &s->ex[e];
		buf_printf(b, "    line %ld", ex->line);
		if (ex->id)
			buf_printf(b, " (id %s)", ex->id);
		buf_printf(b, ": %s -> %s\n", ex->before, ex->after);
		if (*ex->reason_text)
			buf_printf(b, "      because %s\n", ex->reason_text);
	}
}

/* A query only the reform has: its values under the reform. */
static void only_reform_text(const Stat *s, Buf *b)
{
	buf_printf(b, "  new in the reform: the rules as they are do not have it\n");
	buf_printf(b, "  under the reform, in %ld record%s:", s->compared, s->compared == 1 ? "" : "s");
	const Total *t = &s->total[1];
	if (s->is_bool)
		buf_printf(b, " true in %ld\n", s->yes[1]);
	else if (s->is_money && (t->mixed || t->overflow))
		buf_puts(b, " total: cannot be added up (several currencies, or too large)\n");
	else if (s->is_money)
		buf_printf(b, " total %s\n", money_text(t->any ? t->sum : dec_from_int(0), t->cur));
	else
		buf_puts(b, " see the examples\n");
	if (s->is_money && t->unknown)
		buf_printf(b, "  not in the total: unknown in %ld record%s\n", t->unknown, t->unknown == 1 ? "" : "s");
	examples_text(s, b);
}

static void text_report(const Options *o, const char *changes, const char *adds, long nrec, long ninvalid, const Listed *invalid,
			int nlisted, Stat *st, int nq, const Dec *budget, uint16_t budget_cur, Buf *b)
{
	buf_printf(b, "Reform %s", o->reforms[0]);
	for (int i = 1; i < o->nreforms; i++)
		buf_printf(b, ", %s", o->reforms[i]);
	if (*changes || !*adds)
		buf_printf(b, " (changes %s%s%s)\n", *changes ? changes : "nothing in use", *adds ? "; adds " : "", adds);
	else
		buf_printf(b, " (adds %s)\n", adds);
	buf_printf(b, "Population %s: %ld record%s", o->population, nrec, nrec == 1 ? "" : "s");
	if (ninvalid)
		buf_printf(b, ", %ld with invalid facts (skipped)", ninvalid);
	buf_puts(b, "\n");
	for (int i = 0; i < nlisted; i++)
		buf_printf(b, "  line %ld: %s\n", invalid[i].line, invalid[i].msg);
	if (ninvalid > nlisted)
		buf_printf(b, "  ... and %ld more\n", ninvalid - nlisted);
	for (int q = 0; q < nq; q++) {
		Stat *s = &st[q];
		buf_printf(b, "\n%s\n", s->query);
		if (s->errors)
			buf_printf(b, "  failed on %ld record%s; first, line %ld: %s\n", s->errors, s->errors == 1 ? "" : "s",
				   s->first_error_line, s->first_error);
		if (s->only_reform) {
			only_reform_text(s, b);
			continue;
		}
		if (!s->changed) {
			buf_printf(b, "  unchanged in all %ld record%s\n", s->compared, s->compared == 1 ? "" : "s");
		} else {
			buf_printf(b, "  changed in %ld of %ld records (%s):", s->changed, s->compared,
				   percent_of(dec_from_int(s->changed), dec_from_int(s->compared)));
			int k = 0;
			for (int d = 0; d < D__N; d++)
				if (s->dir[d])
					buf_printf(b, "%s %s %ld", k++ ? "," : "", dir_words[d], s->dir[d]);
			buf_puts(b, "\n");
		}
		if (s->is_bool)
			buf_printf(b, "  true in %ld -> %ld records\n", s->yes[0], s->yes[1]);
		if (s->is_money) {
			Total *ta = &s->total[0], *tb = &s->total[1];
			if (ta->mixed || tb->mixed || ta->overflow || tb->overflow) {
				buf_puts(b, "  total: cannot be added up (several currencies, or too large)\n");
			} else {
				uint16_t cur = ta->any ? ta->cur : tb->cur;
				Dec za = ta->any ? ta->sum : dec_from_int(0), zb = tb->any ? tb->sum : dec_from_int(0), diff;
				buf_printf(b, "  total %s -> %s", money_text(za, cur), money_text(zb, cur));
				if (dec_sub(zb, za, &diff) == DEC_OK && dec_is_zero(diff)) {
					buf_puts(b, " (no change)");
				} else if (dec_sub(zb, za, &diff) == DEC_OK) {
					buf_printf(b, " (%s%s", dec_sign(diff) > 0 ? "+" : "", money_text(diff, cur));
					const char *pc = percent_of(diff, za);
					buf_printf(b, "%s%s%s)", *pc ? ", " : "", *pc && dec_sign(diff) > 0 ? "+" : "", pc);
				}
				buf_puts(b, "\n");
				if (ta->unknown || tb->unknown)
					buf_printf(b, "  not in the total: unknown in %ld record%s before, %ld after\n", ta->unknown,
						   ta->unknown == 1 ? "" : "s", tb->unknown);
				const char *mismatch = budget ? budget_mismatch(budget_cur, cur) : NULL;
				if (budget && mismatch)
					buf_printf(b, "  of the budget %s: not compared, %s\n", money_text(*budget, budget_cur), mismatch);
				else if (budget)
					buf_printf(b, "  of the budget %s: %s -> %s\n", money_text(*budget, budget_cur),
						   percent_of(za, *budget), percent_of(zb, *budget));
			}
		}
		examples_text(s, b);
	}
}

static void json_report(const Options *o, const Program *bp, const Program *rp, long nrec, long ninvalid, const Listed *invalid,
			int nlisted, Stat *st, int nq, const Dec *budget, uint16_t budget_cur, Buf *b)
{
	buf_puts(b, "{\"reform\":[");
	for (int i = 0; i < o->nreforms; i++) {
		if (i)
			buf_puts(b, ",");
		buf_json_str(b, o->reforms[i], strlen(o->reforms[i]));
	}
	buf_puts(b, "],\"changes\":[");
	list_changes(bp, rp, false, b, true);
	buf_puts(b, "],\"adds\":[");
	list_changes(bp, rp, true, b, true);
	buf_puts(b, "],\"population\":");
	buf_json_str(b, o->population, strlen(o->population));
	buf_printf(b, ",\"records\":%ld,\"invalid\":%ld,\"invalid_records\":[", nrec, ninvalid);
	for (int i = 0; i < nlisted; i++) {
		buf_printf(b, "%s{\"line\":%ld,\"error\":", i ? "," : "", invalid[i].line);
		buf_json_str(b, invalid[i].msg, strlen(invalid[i].msg));
		buf_puts(b, "}");
	}
	buf_puts(b, "],\"queries\":[");
	for (int q = 0; q < nq; q++) {
		Stat *s = &st[q];
		if (q)
			buf_puts(b, ",");
		buf_puts(b, "{\"query\":");
		buf_json_str(b, s->query, strlen(s->query));
		if (s->only_reform)
			buf_puts(b, ",\"only_in_reform\":true");
		buf_printf(b, ",\"compared\":%ld,\"changed\":%ld,\"errors\":%ld,\"directions\":{", s->compared, s->changed,
			   s->errors);
		for (int d = 0; d < D__N; d++)
			buf_printf(b, "%s\"%s\":%ld", d ? "," : "", dir_key[d], s->dir[d]);
		buf_puts(b, "}");
		if (s->errors) {
			buf_printf(b, ",\"first_error\":{\"line\":%ld,\"error\":", s->first_error_line);
			buf_json_str(b, s->first_error, strlen(s->first_error));
			buf_puts(b, "}");
		}
		if (s->is_bool && s->only_reform)
			buf_printf(b, ",\"true\":{\"baseline\":null,\"reform\":%ld}", s->yes[1]);
		else if (s->is_bool)
			buf_printf(b, ",\"true\":{\"baseline\":%ld,\"reform\":%ld}", s->yes[0], s->yes[1]);
		if (s->is_money && s->only_reform) {
			const Total *t = &s->total[1];
			if (t->mixed || t->overflow)
				buf_puts(b, ",\"total\":null");
			else
				buf_printf(b, ",\"total\":{\"baseline\":null,\"reform\":\"%s\",\"unknown\":{\"baseline\":null,\"reform\":%ld}}",
					   money_text(t->any ? t->sum : dec_from_int(0), t->cur), t->unknown);
		} else if (s->is_money) {
			Total *ta = &s->total[0], *tb = &s->total[1];
			if (ta->mixed || tb->mixed || ta->overflow || tb->overflow) {
				buf_puts(b, ",\"total\":null");
			} else {
				uint16_t cur = ta->any ? ta->cur : tb->cur;
				Dec za = ta->any ? ta->sum : dec_from_int(0), zb = tb->any ? tb->sum : dec_from_int(0), diff;
				buf_printf(b, ",\"total\":{\"baseline\":\"%s\",\"reform\":\"%s\"", money_text(za, cur),
					   money_text(zb, cur));
				if (dec_sub(zb, za, &diff) == DEC_OK)
					buf_printf(b, ",\"change\":\"%s\"", money_text(diff, cur));
				buf_printf(b, ",\"unknown\":{\"baseline\":%ld,\"reform\":%ld}}", ta->unknown, tb->unknown);
				const char *mismatch = budget ? budget_mismatch(budget_cur, cur) : NULL;
				if (budget && mismatch)
					buf_printf(b, ",\"budget\":{\"amount\":\"%s\",\"baseline_share\":null,\"reform_share\":null,"
						      "\"not_compared\":\"%s\"}", money_text(*budget, budget_cur), mismatch);
				else if (budget)
					buf_printf(b, ",\"budget\":{\"amount\":\"%s\",\"baseline_share\":\"%s\",\"reform_share\":\"%s\"}",
						   money_text(*budget, budget_cur), percent_of(za, *budget), percent_of(zb, *budget));
			}
		}
		buf_puts(b, ",\"examples\":[");
		for (int e = 0; e < s->nex; e++) {
			Example *ex = &s->ex[e];
			buf_printf(b, "%s{\"line\":%ld", e ? "," : "", ex->line);
			if (ex->id)
				buf_printf(b, ",\"id\":%s", ex->id);
			buf_printf(b, ",\"before\":%s,\"after\":%s,\"reason\":%s}", ex->before_json, ex->after_json,
				   ex->reason_json);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}\n");
}

/* --------------------------------------------------------------- main */

static void print_report(edict_rules *r)
{
	fputs(edict_rules_report(r), stderr);
}

/* --budget's amount; false after a usage message. */
static bool parse_budget(const char *text, Dec *budget, uint16_t *cur)
{
	Value bv;
	if (facts_scalar(&ty_money, text, strlen(text), &bv) != 0) {
		usage("--budget needs an amount like \"200_000_000_000 KRW\", not '%s'", text);
		return false;
	}
	*budget = val_get_dec(bv);
	*cur = bv.cur;
	if (dec_sign(*budget) <= 0) {
		usage("--budget needs an amount above zero, not '%s'", text);
		return false;
	}
	return true;
}

/* One record's facts into both contexts: by the fast door
 * (api_set_facts_text), else by json-c's tree.  Returns NULL, with the
 * record's "id" as JSON in *id (NULL: none), or why the record is invalid. */
/* A record's JSON in both contexts: NULL, or why it was refused.  Facts
 * only the reform declares are left out of what the rules as they are
 * read. */
static const char *set_json(edict_ctx *cb, edict_ctx *cr, const Program *bp, const Program *rp, json_object *doc)
{
	if (api_set_facts_object(cb, doc) != EDICT_OK) {
		const char *err = xprintf("%s", edict_ctx_errmsg(cb));
		json_object *copy = NULL;
		if (api_set_facts_object(cr, doc) != EDICT_OK || json_object_deep_copy(doc, &copy, NULL) != 0)
			return err;
		facts_drop_unknown(bp, rp, copy);
		int st = api_set_facts_object(cb, copy);
		json_object_put(copy);
		return st == EDICT_OK ? NULL : err;
	}
	if (api_set_facts_object(cr, doc) != EDICT_OK)
		return xprintf("under the reform: %s", edict_ctx_errmsg(cr));
	return NULL;
}

static const char *read_both(edict_ctx *cb, edict_ctx *cr, const Program *bp, const Program *rp, const char *line,
			     size_t n, const char **id)
{
	FactsSpan idt;
	if (api_set_facts_text(cb, line, n, &idt) == EDICT_OK && api_set_facts_text(cr, line, n, &idt) == EDICT_OK) {
		*id = idt.s ? xprintf("%.*s", (int)idt.n, idt.s) : NULL;
		return NULL;
	}
	const char *err = NULL;
	json_object *doc = NULL;
	FactsError fe;
	bool read = facts_read(line, n, &doc, &fe) == ST_OK;
	if (!read)
		err = fe.col ? xprintf("column %d: %s", fe.col, fe.what) : fe.what;
	json_object *idj;
	if (doc && json_object_get_type(doc) == json_type_object && json_object_object_get_ex(doc, "id", &idj))
		*id = xprintf("%s", json_object_to_json_string_ext(idj, JSON_C_TO_STRING_PLAIN));
	if (read)
		err = set_json(cb, cr, bp, rp, doc);
	if (doc)
		json_object_put(doc);
	return err;
}

/* The record's facts in both contexts; facts that break a requirement (of
 * the base or the reform) are invalid facts too. */
static const char *set_both(edict_ctx *cb, edict_ctx *cr, const Program *bp, const Program *rp, const char *line,
			    size_t n, const char **id)
{
	const char *err = read_both(cb, cr, bp, rp, line, n, id);
	if (!err && api_check_requirements(cb) != EDICT_OK)
		err = xprintf("%s", edict_ctx_errmsg(cb));
	else if (!err && api_check_requirements(cr) != EDICT_OK)
		err = xprintf("under the reform: %s", edict_ctx_errmsg(cr));
	return err;
}

/* One query for one record, under the rules and under the reform: counted
 * in s, and kept as an example when it changed.  False when either
 * evaluation failed. */
/* A query failed on a record: counted, and the first message's first
 * line kept (after prefix). */
static void count_error(Stat *s, const char *prefix, const char *m, long lineno)
{
	if (s->errors++)
		return;
	const char *nl = strchr(m, '\n');
	s->first_error = xprintf("%s%.*s", prefix, nl ? (int)(nl - m) : (int)strlen(m), m);
	s->first_error_line = lineno;
}

/* A query only the reform has, for one record: its value under the
 * reform, counted; false when the evaluation failed. */
static bool reform_only(edict_ctx *cr, Stat *s, int examples, long lineno, const char *id)
{
	edict_value *v;
	if (edict_eval(cr, s->query, &v) != EDICT_OK) {
		count_error(s, "under the reform: ", edict_ctx_errmsg(cr), lineno);
		return false;
	}
	const Value *b = api_value(v);
	s->compared++;
	s->is_bool |= b->tag == V_BOOL;
	s->is_money |= b->tag == V_MONEY;
	s->yes[1] += b->tag == V_BOOL && b->as.i;
	add_total(&s->total[1], b);
	if (s->nex < examples) {
		Example *ex = &s->ex[s->nex++];
		*ex = (Example){.line = lineno, .id = id, .before = "absent", .before_json = "null", .reason_text = "",
				.reason_json = "[]"};
		ex->after = xprintf("%s", edict_value_text(v));
		ex->after_json = xprintf("%s", edict_value_json(v));
	}
	return true;
}

static bool compare(edict_ctx *cb, edict_ctx *cr, Stat *s, int examples, long lineno, const char *id)
{
	if (s->only_reform)
		return reform_only(cr, s, examples, lineno, id);
	edict_value *va, *vb;
	int sa = edict_eval(cb, s->query, &va);
	int sb = sa == EDICT_OK ? edict_eval(cr, s->query, &vb) : sa;
	if (sa != EDICT_OK || sb != EDICT_OK) {
		count_error(s, sa != EDICT_OK ? "" : "under the reform: ",
			    sa != EDICT_OK ? edict_ctx_errmsg(cb) : edict_ctx_errmsg(cr), lineno);
		return false;
	}
	const Value *a = api_value(va), *b = api_value(vb);
	s->compared++;
	if (a->tag == V_BOOL || b->tag == V_BOOL) {
		s->is_bool = true;
		s->yes[0] += a->tag == V_BOOL && a->as.i;
		s->yes[1] += b->tag == V_BOOL && b->as.i;
	}
	if (a->tag == V_MONEY || b->tag == V_MONEY)
		s->is_money = true;
	add_total(&s->total[0], a);
	add_total(&s->total[1], b);
	const char *ja = edict_value_json(va), *jb = edict_value_json(vb);
	if (strcmp(ja, jb) == 0)
		return true;
	s->changed++;
	Dir d = a->tag == V_UNKNOWN || b->tag == V_UNKNOWN ? D_OTHER : direction(a, b);
	s->dir[d]++;
	if (s->nex < examples) {
		Example *ex = &s->ex[s->nex++];
		ex->line = lineno;
		ex->id = id;
		ex->before = xprintf("%s", edict_value_text(va));
		ex->after = xprintf("%s", edict_value_text(vb));
		ex->before_json = xprintf("%s", ja);
		ex->after_json = xprintf("%s", jb);
		reason(cb, cr, s->query, ex);
	}
	return true;
}

/* ------------------------------------------------------------ workers */

/* One thread's share of the population: its own two contexts and its own
 * counts, merged when the population is read (merge_parts); on cache lines
 * of its own, as its counts are (they change at every record). */
typedef struct Part {
	_Alignas(MEM_LINE) struct Sim *sim;
	edict_ctx *cb, *cr;
	Stat *stats; /* one per query */
	Listed invalid[SIM_MAX_LISTED];
	int nlisted;
	long nrec, ninvalid;
	bool any_error;
	pthread_t thread;
} Part;

/* The population read in slices (ndjson.h) into a ring that the parts'
 * threads take from in turn; with one job the reading thread evaluates
 * each slice itself. */
typedef struct Sim {
	const Options *o;
	const Program *bp, *rp;
	Part *parts;
	int nparts;
	NdSlice *ring;
	bool *busy; /* a slice filled and not yet evaluated */
	int nring;
	NdReader *rd;
	_Alignas(MEM_LINE) long filled, taken; /* under mu (on lines apart from what is read at every record) */
	bool ended;
	pthread_mutex_t mu;
	pthread_cond_t ready, freed;
} Sim;

/* A record refused: counted, and listed among the first. */
static void refuse(Part *pt, long lineno, const char *err)
{
	pt->ninvalid++;
	if (pt->nlisted < SIM_MAX_LISTED)
		pt->invalid[pt->nlisted++] = (Listed){lineno, err};
}

/* One line of the population: skipped when blank, else its facts in both
 * contexts and every query compared. */
static void sim_record(Part *pt, const char *line, size_t n, long lineno)
{
	if (nd_blank(line, n))
		return;
	while (line[n - 1] == '\r')
		n--;
	pt->nrec++;
	const char *id = NULL;
	const char *err = set_both(pt->cb, pt->cr, pt->sim->bp, pt->sim->rp, line, n, &id);
	if (err) {
		refuse(pt, lineno, err);
		return;
	}
	for (int q = 0; q < pt->sim->o->eval.nqueries; q++)
		pt->any_error |= !compare(pt->cb, pt->cr, &pt->stats[q], pt->sim->o->examples, lineno, id);
}

static void sim_slice(Part *pt, const NdSlice *s)
{
	if (s->too_long) {
		pt->nrec++;
		refuse(pt, s->first, xprintf("the line is longer than the limit of %u bytes", (unsigned)ND_MAX_LINE));
		return;
	}
	const char *p = s->text, *line;
	size_t n;
	for (long no = s->first; nd_line(s, &p, &line, &n); no++)
		sim_record(pt, line, n, no);
}

/* A thread: take the next slice, read it (while the others read theirs),
 * number it once the slices before it are, and compare its records. */
static void *part_main(void *arg)
{
	Part *pt = arg;
	Sim *sm = pt->sim;
	pthread_mutex_lock(&sm->mu);
	for (;;) {
		while (!sm->ended && sm->taken == sm->filled)
			pthread_cond_wait(&sm->ready, &sm->mu);
		if (sm->taken == sm->filled)
			break;
		long i = sm->taken++;
		int k = (int)(i % sm->nring);
		(void)nd_take(sm->rd, &sm->mu, i, &sm->ring[k]); /* a failure ends in rd->error */
		pthread_mutex_unlock(&sm->mu);
		sim_slice(pt, &sm->ring[k]);
		pthread_mutex_lock(&sm->mu);
		sm->busy[k] = false;
		pthread_cond_broadcast(&sm->freed);
	}
	pthread_mutex_unlock(&sm->mu);
	return NULL;
}

/* Read the population into the ring, slice after slice, each slot once
 * the slice it held is evaluated; then let the threads finish. */
static void read_population(Sim *sm, NdReader *rd)
{
	pthread_mutex_lock(&sm->mu);
	for (;;) {
		int k = (int)(sm->filled % sm->nring);
		while (sm->busy[k])
			pthread_cond_wait(&sm->freed, &sm->mu);
		pthread_mutex_unlock(&sm->mu);
		bool got = nd_fill(rd, &sm->ring[k]);
		pthread_mutex_lock(&sm->mu);
		if (!got)
			break;
		sm->busy[k] = true;
		sm->filled++;
		pthread_cond_signal(&sm->ready);
	}
	sm->ended = true;
	pthread_cond_broadcast(&sm->ready);
	pthread_mutex_unlock(&sm->mu);
}

/* ------------------------------------------------------------- merging */

static int example_order(const void *a, const void *b)
{
	long x = ((const Example *)a)->line, y = ((const Example *)b)->line;
	return (x > y) - (x < y);
}

static int listed_order(const void *a, const void *b)
{
	long x = ((const Listed *)a)->line, y = ((const Listed *)b)->line;
	return (x > y) - (x < y);
}

/* The first `keep` in order of the n items of kept (which has room for
 * keep) and the m of more, into kept; how many that is. */
static int earliest(void *kept, int n, const void *more, int m, size_t size, int (*order)(const void *, const void *),
		    int keep)
{
	char *all = GC_MALLOC(size * (size_t)(n + m + 1));
	memcpy(all, kept, size * (size_t)n);
	memcpy(all + size * (size_t)n, more, size * (size_t)m);
	qsort(all, (size_t)(n + m), size, order);
	int k = n + m < keep ? n + m : keep;
	memcpy(kept, all, size * (size_t)k);
	return k;
}

static void merge_total(Total *t, const Total *u)
{
	t->unknown += u->unknown;
	if (!u->any)
		return;
	t->mixed |= u->mixed || (t->any && u->cur && t->cur && u->cur != t->cur);
	t->overflow |= u->overflow;
	if (!t->any) {
		*t = (Total){u->sum, u->cur, true, t->mixed, t->overflow, t->unknown};
		return;
	}
	if (!t->cur)
		t->cur = u->cur;
	Dec r;
	if (dec_add(t->sum, u->sum, &r) != DEC_OK)
		t->overflow = true;
	else
		t->sum = r;
}

/* u's counts added to s's; the examples and the first error those of the
 * earliest lines, as one thread reading everything would have kept. */
static void merge_stat(Stat *s, const Stat *u, int examples)
{
	s->compared += u->compared;
	s->changed += u->changed;
	for (int d = 0; d < D__N; d++)
		s->dir[d] += u->dir[d];
	s->yes[0] += u->yes[0];
	s->yes[1] += u->yes[1];
	s->is_bool |= u->is_bool;
	s->is_money |= u->is_money;
	merge_total(&s->total[0], &u->total[0]);
	merge_total(&s->total[1], &u->total[1]);
	if (u->errors && (!s->errors || u->first_error_line < s->first_error_line)) {
		s->first_error = u->first_error;
		s->first_error_line = u->first_error_line;
	}
	s->errors += u->errors;
	s->nex = earliest(s->ex, s->nex, u->ex, u->nex, sizeof(Example), example_order, examples);
}

/* Every part's counts into the first's. */
static void merge_parts(Sim *sm)
{
	Part *p0 = &sm->parts[0];
	for (int i = 1; i < sm->nparts; i++) {
		Part *pt = &sm->parts[i];
		for (int q = 0; q < sm->o->eval.nqueries; q++)
			merge_stat(&p0->stats[q], &pt->stats[q], sm->o->examples);
		p0->nrec += pt->nrec;
		p0->ninvalid += pt->ninvalid;
		p0->any_error |= pt->any_error;
		p0->nlisted = earliest(p0->invalid, p0->nlisted, pt->invalid, pt->nlisted, sizeof(Listed), listed_order,
				       SIM_MAX_LISTED);
	}
}

/* -------------------------------------------------------------- driver */

/* A part beyond the first: contexts of its own, the queries prepared. */
static bool new_part(Sim *sm, Part *pt, edict_rules *base, edict_rules *reform, const Stat *model)
{
	pt->sim = sm;
	if (edict_ctx_new(base, &pt->cb) != EDICT_OK || edict_ctx_new(reform, &pt->cr) != EDICT_OK)
		return false;
	if (sm->o->eval.as_of) {
		edict_ctx_set_as_of(pt->cb, sm->o->eval.as_of);
		edict_ctx_set_as_of(pt->cr, sm->o->eval.as_of);
	}
	pt->stats = mem_alloc_apart(sizeof(Stat) * (size_t)(sm->o->eval.nqueries + 1));
	for (int q = 0; q < sm->o->eval.nqueries; q++) {
		pt->stats[q] = (Stat){.query = model[q].query, .only_reform = model[q].only_reform};
		pt->stats[q].ex = GC_MALLOC(sizeof(Example) * (size_t)(sm->o->examples + 1));
		if (!model[q].only_reform)
			edict_prepare(pt->cb, model[q].query);
		edict_prepare(pt->cr, model[q].query);
	}
	return true;
}

/* The parts' threads: how many started (none when the first could not). */
static int start_parts(Sim *sm, edict_rules *base, edict_rules *reform)
{
	pthread_mutex_init(&sm->mu, NULL);
	pthread_cond_init(&sm->ready, NULL);
	pthread_cond_init(&sm->freed, NULL);
	int started = 0;
	for (; started < sm->nparts; started++)
		if ((started > 0 && !new_part(sm, &sm->parts[started], base, reform, sm->parts[0].stats)) ||
		    pthread_create(&sm->parts[started].thread, NULL, part_main, &sm->parts[started]) != 0)
			break;
	return started;
}

/* Every record of the population read from fd and compared, on
 * sm->nparts threads; the counts end in parts[0] (whose contexts and
 * stats are the caller's).  False when the population cannot be read. */
static bool run_population(Sim *sm, int fd, edict_rules *base, edict_rules *reform)
{
	NdReader rd;
	if (!nd_open(&rd, fd, NULL, true))
		return false;
	sm->rd = &rd;
	sm->nring = sm->nparts * 3;
	sm->ring = GC_MALLOC(sizeof(NdSlice) * (size_t)sm->nring);
	sm->busy = GC_MALLOC_ATOMIC(sizeof(bool) * (size_t)sm->nring);
	memset(sm->busy, 0, sizeof(bool) * (size_t)sm->nring);
	cli_heap_for_jobs(sm->nparts);
	int started = sm->nparts > 1 ? start_parts(sm, base, reform) : 0;
	if (started == 0) {
		for (long i = 0; nd_fill(&rd, &sm->ring[0]); i++) {
			(void)nd_take(&rd, NULL, i, &sm->ring[0]); /* a failure ends in rd.error */
			sim_slice(&sm->parts[0], &sm->ring[0]);
		}
	} else {
		read_population(sm, &rd);
		for (int i = 0; i < started; i++)
			pthread_join(sm->parts[i].thread, NULL);
	}
	sm->nparts = started > 0 ? started : 1;
	merge_parts(sm);
	for (int i = 1; i < started; i++) {
		edict_ctx_free(sm->parts[i].cb);
		edict_ctx_free(sm->parts[i].cr);
	}
	for (int i = 0; i < sm->nring; i++)
		nd_slice_free(&sm->ring[i]);
	bool ok = rd.error == 0;
	nd_close(&rd);
	return ok;
}

/* The rule set and the reform loaded, a context for each, and every query
 * compiled in both: EXIT_OK, else the exit status (the reasons printed). */
static int open_rules(Options *o, edict_rules **base, edict_rules **reform, edict_ctx **cb, edict_ctx **cr)
{
	int st = edict_load_paths(o->eval.paths, (size_t)o->eval.npaths, base);
	print_report(*base);
	if (st != EDICT_OK)
		return EXIT_DIAG;
	st = edict_load_reform(*base, o->reforms, (size_t)o->nreforms, reform);
	print_report(*reform);
	if (st != EDICT_OK)
		return EXIT_DIAG;
	if (edict_ctx_new(*base, cb) != EDICT_OK || edict_ctx_new(*reform, cr) != EDICT_OK) {
		fprintf(stderr, "edict simulate: out of memory\n");
		return EXIT_DIAG;
	}
	if (o->eval.as_of) {
		edict_ctx_set_as_of(*cb, o->eval.as_of);
		edict_ctx_set_as_of(*cr, o->eval.as_of);
	}
	/* by default every public decision, the reform's new ones too */
	if (!o->eval.nqueries) {
		o->eval.nqueries = (int)edict_rules_decision_count(*reform);
		o->eval.queries = GC_MALLOC(sizeof(char *) * (size_t)(o->eval.nqueries + 1));
		for (int i = 0; i < o->eval.nqueries; i++)
			o->eval.queries[i] = edict_rules_decision_name(*reform, (size_t)i);
	}
	return EXIT_OK;
}

/* Every query compiled under the reform, and under the rules as they
 * are unless only the reform has what it names: EXIT_OK, else
 * EXIT_DIAG (the reasons printed). */
static int prepare_queries(edict_ctx *cb, edict_ctx *cr, Stat *stats, int nq)
{
	bool bad = false;
	for (int i = 0; i < nq; i++) {
		if (edict_prepare(cr, stats[i].query) != EDICT_OK) {
			if (edict_prepare(cb, stats[i].query) != EDICT_OK)
				fprintf(stderr, "%s\n", edict_ctx_errmsg(cb));
			else
				fprintf(stderr, "under the reform: %s\n", edict_ctx_errmsg(cr));
			bad = true;
		} else if (edict_prepare(cb, stats[i].query) != EDICT_OK) {
			stats[i].only_reform = true;
		}
	}
	return bad ? EXIT_DIAG : EXIT_OK;
}

int cmd_simulate(int argc, char **argv)
{
	Options o;
	int rc = parse_options(argc, argv, &o);
	if (rc != CLI_GO_ON)
		return rc;
	Dec budget;
	uint16_t budget_cur = 0;
	if (o.budget && !parse_budget(o.budget, &budget, &budget_cur))
		return EXIT_USAGE;
	edict_init();
	int fd = strcmp(o.population, "-") == 0 ? STDIN_FILENO : open(o.population, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "edict simulate: cannot open %s: %s\n", o.population, strerror(errno));
		return EXIT_FACTS;
	}
	edict_rules *base = NULL, *reform = NULL;
	edict_ctx *cb = NULL, *cr = NULL;
	rc = open_rules(&o, &base, &reform, &cb, &cr);
	if (rc != EXIT_OK)
		return rc;
	Stat *stats = mem_alloc_apart(sizeof(Stat) * (size_t)o.eval.nqueries); /* part 0's: see Part */
	for (int i = 0; i < o.eval.nqueries; i++) {
		stats[i].query = o.eval.queries[i];
		stats[i].ex = GC_MALLOC(sizeof(Example) * (size_t)(o.examples + 1));
	}
	rc = prepare_queries(cb, cr, stats, o.eval.nqueries);
	if (rc != EXIT_OK)
		return rc;
	/* --native: compiled while the records are read and evaluated */
	CliNative nat = {{base, reform}, o.eval.run.native ? 2 : 0, (const char *const *)o.eval.queries, (size_t)o.eval.nqueries};
	cli_native_start(&nat);
	Sim sm = {.o = &o, .bp = api_program(base), .rp = api_program(reform), .nparts = o.eval.run.jobs};
	sm.parts = mem_alloc_apart(sizeof(Part) * (size_t)o.eval.run.jobs);
	sm.parts[0] = (Part){.sim = &sm, .cb = cb, .cr = cr, .stats = stats};
	bool read_ok = run_population(&sm, fd, base, reform);
	cli_native_wait(&nat);
	if (fd != STDIN_FILENO)
		close(fd);
	if (!read_ok) {
		fprintf(stderr, "edict simulate: cannot read %s\n", o.population);
		return EXIT_FACTS;
	}
	const Part *all = &sm.parts[0];
	long nrec = all->nrec, ninvalid = all->ninvalid;
	const Listed *invalid = all->invalid;
	int nlisted = all->nlisted;
	bool any_error = all->any_error;
	/* money totals are only for queries whose results are money */
	for (int q = 0; q < o.eval.nqueries; q++)
		if (!stats[q].is_money)
			memset(stats[q].total, 0, sizeof stats[q].total);
	Buf out = {0};
	const Program *bp = api_program(base), *rp = api_program(reform);
	if (o.json) {
		json_report(&o, bp, rp, nrec, ninvalid, invalid, nlisted, stats, o.eval.nqueries, o.budget ? &budget : NULL, budget_cur,
			    &out);
	} else {
		Buf changes = {0}, adds = {0};
		list_changes(bp, rp, false, &changes, false);
		list_changes(bp, rp, true, &adds, false);
		text_report(&o, buf_cstr(&changes), buf_cstr(&adds), nrec, ninvalid, invalid, nlisted, stats, o.eval.nqueries,
			    o.budget ? &budget : NULL, budget_cur, &out);
	}
	fputs(buf_cstr(&out), stdout);
	edict_ctx_free(cb);
	edict_ctx_free(cr);
	edict_rules_free(base);
	edict_rules_free(reform);
	if (fflush(stdout) == EOF)
		return EXIT_DIAG;
	return any_error ? EXIT_DIAG : ninvalid ? EXIT_FACTS : EXIT_OK;
}
