/*
 * native.c - workload 1 written for the workload in C: the limit.
 *
 *   bench_native DATA.ndjson REPS
 *
 * The benchmark's decisions (eligible, priority, award, the pending
 * field-support steps) over an array of C structs, as a C programmer would
 * write them for this one rule set: sizes as small integers, percentages
 * in hundredths of a percent, KRW as 64-bit integers (exact, like Edict),
 * and -1 for a missing fact, flowing through with the rules' three-valued
 * logic.  Loading (json-c) is not timed; each of REPS passes over all the
 * records is, with the process CPU clock.
 */
#include <json-c/json.h>

#include "common.h"

enum { SME, MIDSIZE, LARGE };

typedef struct Company {
	int8_t size;              /* -1 missing */
	int8_t consulting, finance, logistics, hps; /* -1 missing */
	int32_t share;            /* hundredths of a percent; -1 missing */
	int64_t requested;        /* KRW; -1 missing */
	int64_t received;         /* KRW; default 0 */
} Company;

#define CAP 50000000LL
#define PRIORITY_SHARE 1000 /* 10.00% */

static const char *str(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
												     : NULL;
}

static int8_t flag(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	return (int8_t)json_object_get_boolean(v);
}

/* "14.5%" -> 1450 */
static int32_t pct(const char *s)
{
	if (!s)
		return -1;
	int32_t whole = 0, frac = 0, scale = 100;
	for (; *s >= '0' && *s <= '9'; s++)
		whole = whole * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && scale > 1; s++) {
			scale /= 10;
			frac += (*s - '0') * scale;
		}
	return whole * 100 + frac;
}

static int64_t krw(const char *s)
{
	return s ? strtoll(s, NULL, 10) : -1;
}

static void load(const Lines *l, Company *cs)
{
	for (size_t i = 0; i < l->n; i++) {
		json_object *doc = json_tokener_parse(l->s[i]), *c;
		if (!doc || !json_object_object_get_ex(doc, "company", &c)) {
			fprintf(stderr, "line %zu: no company\n", i + 1);
			exit(3);
		}
		const char *size = str(c, "size");
		Company *x = &cs[i];
		x->size = !size ? -1 : strcmp(size, "sme") == 0 ? SME : strcmp(size, "midsize") == 0 ? MIDSIZE : LARGE;
		x->share = pct(str(c, "us_export_share"));
		x->requested = krw(str(c, "voucher_requested"));
		x->received = str(c, "voucher_received") ? krw(str(c, "voucher_received")) : 0;
		x->consulting = flag(c, "consulting_done");
		x->finance = flag(c, "finance_arranged");
		x->logistics = flag(c, "logistics_arranged");
		x->hps = flag(c, "high_potential_selected");
		json_object_put(doc);
	}
}

/* Three-valued results: 1 true, 0 false, -1 unknown. */
static inline int eligible(const Company *c)
{
	return c->size < 0 ? -1 : c->size == SME || c->size == MIDSIZE;
}

static inline int priority(const Company *c, int e)
{
	if (e == 0)
		return 0;
	if (c->share < 0)
		return -1;
	int ge = c->share >= PRIORITY_SHARE;
	return e < 0 ? (ge ? -1 : 0) : ge;
}

/* -1 for unknown (amounts are never negative) */
static inline int64_t award(const Company *c, int e)
{
	if (e < 0)
		return -1;
	if (!e)
		return 0;
	if (c->requested < 0)
		return -1;
	int64_t left = CAP - c->received;
	if (left < 0)
		left = 0;
	return c->requested < left ? c->requested : left;
}

/* The pending steps into out[]; their number, or -1 when unknown. */
static inline int pending(const Company *c, int out[3])
{
	if (c->consulting < 0 || c->finance < 0 || c->logistics < 0)
		return -1;
	int n = 0;
	if (!c->consulting)
		out[n++] = 6;
	if (!c->finance)
		out[n++] = 11;
	if (!c->logistics)
		out[n++] = 12;
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_native DATA.ndjson [REPS]\n");
		return 2;
	}
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	Lines l = read_lines(argv[1]);
	Company *cs = calloc(l.n ? l.n : 1, sizeof *cs);
	load(&l, cs);
	double *ns = calloc((size_t)reps, sizeof *ns);
	Sum s = {0};
	for (int r = 0; r < reps; r++) {
		memset(&s, 0, sizeof s);
		double t0 = cpu_ns();
		for (size_t i = 0; i < l.n; i++) {
			const Company *c = &cs[i];
			int e = eligible(c), p = priority(c, e), pend[3];
			int64_t a = award(c, e);
			int np = pending(c, pend);
			s.n++;
			sum_tri(&s.et, &s.ef, &s.eu, e);
			sum_tri(&s.pt, &s.pf, &s.pu, p);
			if (a < 0)
				s.au++;
			else
				s.award += a;
			if (np < 0) {
				s.pendu++;
			} else {
				for (int k = 0; k < np; k++)
					s.pendw += (k + 1) * pend[k];
				s.pendn += np;
			}
		}
		ns[r] = (cpu_ns() - t0) / (double)(l.n ? l.n : 1);
	}
	print_reps(ns, reps, &s, NULL);
	return 0;
}
