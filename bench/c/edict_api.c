/*
 * edict_api.c - workload 1 through Edict's public C interface (edict.h), the
 * way an embedding host would call it.
 *
 *   bench_api memory --rules P... --data F [--reps N] [--variant json|setters] [--query Q]...
 *
 * One context, reused for every company.  Loading the companies is not
 * timed; each pass is, with the process CPU clock.
 *   json     edict_ctx_set_facts_json with the company's line, then
 *            edict_eval of each query.
 *   setters  the host holds each company's facts already parsed (C strings
 *            and booleans, as from its own database); per company
 *            edict_ctx_reset, one typed setter per field present, then
 *            edict_eval of each query.
 * Prints the same {"reps_ns": [...], "checksum": "..."} line as the other
 * programs of the suite.
 */
#include <json-c/json.h>
#include <stdbool.h>

#include "common.h"
#include "edict.h"

#define MAXQ 16

typedef struct Company {
	const char *size, *share, *requested, *received; /* NULL: absent */
	signed char consulting, finance, logistics, hps;  /* -1: absent */
} Company;

static _Noreturn void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_api: %s: %s\n", what, msg);
	exit(2);
}

static const char *dupstr(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static signed char flag(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	return (signed char)json_object_get_boolean(v);
}

static void check(edict_ctx *ctx, int st, const char *what)
{
	if (st != EDICT_OK)
		die(what, edict_ctx_errmsg(ctx));
}

static int tri(const edict_value *v)
{
	int b;
	return edict_value_kind(v) == EDICT_KIND_BOOL && edict_value_bool(v, &b) == EDICT_OK ? b : -1;
}

int main(int argc, char **argv)
{
	const char *rules[64], *queries[MAXQ], *data = NULL, *variant = "json";
	size_t nrules = 0;
	int nq = 0, reps = 3;
	if (argc < 2 || strcmp(argv[1], "memory") != 0)
		die("usage", "bench_api memory --rules P... --data F [--reps N] [--variant json|setters] [--query Q]...");
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rules") == 0 && nrules < 64)
			rules[nrules++] = argv[i + 1];
		else if (strcmp(argv[i], "--query") == 0 && nq < MAXQ)
			queries[nq++] = argv[i + 1];
		else if (strcmp(argv[i], "--data") == 0)
			data = argv[i + 1];
		else if (strcmp(argv[i], "--reps") == 0)
			reps = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--variant") == 0)
			variant = argv[i + 1];
		else
			die("unknown option", argv[i]);
	}
	if (nq == 0) {
		queries[nq++] = "voucher.eligible";
		queries[nq++] = "voucher.priority";
		queries[nq++] = "voucher.award";
		queries[nq++] = "support.pending";
	}
	if (!data || !nrules)
		die("usage", "--rules and --data are required");
	bool setters = strcmp(variant, "setters") == 0;

	edict_init();
	edict_rules *r;
	if (edict_load_paths(rules, nrules, &r) != EDICT_OK)
		die("rules", edict_rules_report(r));
	edict_ctx *ctx;
	if (edict_ctx_new(r, &ctx) != EDICT_OK)
		die("context", "cannot make one");

	Lines l = read_lines(data);
	Company *cs = calloc(l.n ? l.n : 1, sizeof *cs);
	if (setters) {
		for (size_t i = 0; i < l.n; i++) {
			json_object *doc = json_tokener_parse(l.s[i]), *c;
			if (!doc || !json_object_object_get_ex(doc, "company", &c))
				die("data", "a line without a company");
			cs[i] = (Company){dupstr(c, "size"), dupstr(c, "us_export_share"), dupstr(c, "voucher_requested"),
					  dupstr(c, "voucher_received"), flag(c, "consulting_done"), flag(c, "finance_arranged"),
					  flag(c, "logistics_arranged"), flag(c, "high_potential_selected")};
			json_object_put(doc);
		}
	}

	double *ns = calloc((size_t)reps, sizeof *ns);
	Sum s = {0};
	for (int rep = 0; rep < reps; rep++) {
		memset(&s, 0, sizeof s);
		double t0 = cpu_ns();
		for (size_t i = 0; i < l.n; i++) {
			if (setters) {
				const Company *c = &cs[i];
				check(ctx, edict_ctx_reset(ctx), "reset");
				if (c->size)
					check(ctx, edict_ctx_set_text(ctx, "company.size", c->size), "size");
				if (c->share)
					check(ctx, edict_ctx_set_text(ctx, "company.us_export_share", c->share), "share");
				if (c->requested)
					check(ctx, edict_ctx_set_text(ctx, "company.voucher_requested", c->requested), "requested");
				if (c->received)
					check(ctx, edict_ctx_set_text(ctx, "company.voucher_received", c->received), "received");
				if (c->consulting >= 0)
					check(ctx, edict_ctx_set_bool(ctx, "company.consulting_done", c->consulting), "consulting");
				if (c->finance >= 0)
					check(ctx, edict_ctx_set_bool(ctx, "company.finance_arranged", c->finance), "finance");
				if (c->logistics >= 0)
					check(ctx, edict_ctx_set_bool(ctx, "company.logistics_arranged", c->logistics), "logistics");
				if (c->hps >= 0)
					check(ctx, edict_ctx_set_bool(ctx, "company.high_potential_selected", c->hps), "hps");
			} else {
				check(ctx, edict_ctx_set_facts_json(ctx, l.s[i], l.len[i]), "facts");
			}
			edict_value *v[MAXQ];
			for (int q = 0; q < nq; q++)
				check(ctx, edict_eval(ctx, queries[q], &v[q]), queries[q]);
			/* the checksum (query order: eligible, priority, award, pending) */
			s.n++;
			if (nq < 4)
				continue;
			sum_tri(&s.et, &s.ef, &s.eu, tri(v[0]));
			sum_tri(&s.pt, &s.pf, &s.pu, tri(v[1]));
			if (edict_value_kind(v[2]) == EDICT_KIND_MONEY) {
				char buf[64];
				edict_value_copy_text(v[2], buf, sizeof buf);
				s.award += strtoll(buf, NULL, 10);
			} else {
				s.au++;
			}
			size_t n;
			if (edict_value_kind(v[3]) == EDICT_KIND_LIST && edict_value_list_length(v[3], &n) == EDICT_OK) {
				for (size_t k = 0; k < n; k++) {
					edict_value *item;
					int64_t t;
					if (edict_value_list_item(v[3], k, &item) == EDICT_OK && edict_value_int(item, &t) == EDICT_OK)
						s.pendw += (long long)(k + 1) * t;
				}
				s.pendn += (long long)n;
			} else {
				s.pendu++;
			}
		}
		ns[rep] = (cpu_ns() - t0) / (double)(l.n ? l.n : 1);
	}
	print_reps(ns, reps, &s, NULL);
	edict_ctx_free(ctx);
	edict_rules_free(r);
	return 0;
}
