/*
 * facts.c - JSON facts -> typed values.
 *
 * json-c parses the text (it keeps each number's exact text, so decimals
 * never pass through binary floating point); this file checks each value
 * against the declared type and converts it.
 */
#include "mem.h"
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "arith.h"
#include "check.h"
#include "facts.h"
#include "factsint.h"
#include "format.h"

static void path_build(const Path *p, Buf *b)
{
	if (!p)
		return;
	path_build(p->up, b);
	if (p->dated || p->key) {
		buf_puts(b, p->dated ? " from " : p->up ? "." : "");
		buf_puts(b, p->key);
	} else {
		buf_puts(b, "[");
		buf_int(b, (int64_t)p->index + 1); /* items count from 1, as in the rules */
		buf_puts(b, "]");
	}
}

const char *facts_path_text(const Path *p)
{
	Buf b = {0};
	path_build(p, &b);
	return buf_cstr(&b);
}

static int fail(const char **err, const Path *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(const char **err, const Path *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvprintf(fmt, ap);
	va_end(ap);
	*err = path ? xprintf("%s: %s", facts_path_text(path), msg) : msg;
	return ST_FACTS;
}

/* A short quote of what was given, for messages. */
static const char *shown(json_object *j)
{
	const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	size_t n = strlen(s);
	return n > 40 ? xprintf("%.37s...", s) : xprintf("%s", s);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static const char *example(const Type *t)
{
	switch (t->kind) {
	case TY_BOOL: return "true or false";
	case TY_INT: return "a whole number like 42";
	case TY_DEC: return "a number like 12.5";
	case TY_MONEY: {
		if (!t->cur)
			return "an amount like \"50000000 KRW\"";
		char c[4];
		val_currency_text(t->cur, c);
		return xprintf("an amount like \"100 %s\"", c);
	}
	case TY_PCT: return "a percentage like \"12%\"";
	case TY_DATE: return "a date like \"2026-12-01\"";
	case TY_DUR: return "a duration like \"14 days\"";
	case TY_STR: return "text in quotes";
	case TY_HS: return "a tariff code like \"6205.20\"";
	case TY_ENUM: {
		char *s = xprintf("one of");
		for (int i = 0; i < t->def->nmembers; i++)
			s = t->def->member_types && t->def->member_types[i]
				    ? xprintf("%s%s{\"%s\": ...}", s, i ? ", " : " ", t->def->members[i])
				    : xprintf("%s%s\"%s\"", s, i ? ", " : " ", t->def->members[i]);
		return s;
	}
	case TY_LIST: return xprintf("a list (JSON array) of %s", ty_name(t->elem));
	case TY_REC: return xprintf("a %s (JSON object)", t->def->name);
	default: return ty_name(t);
	}
}

int facts_scalar(const Type *t, const char *s, size_t n, Value *out)
{
	Dec d;
	switch (t->kind) {
	case TY_PCT:
		if (n < 2 || s[n - 1] != '%' || dec_parse(s, n - 1, &d) != DEC_OK || d.exp - 2 < DEC_EMIN)
			return -1;
		d.exp -= 2;
		*out = val_dec(V_PCT, d, 0);
		return 0;
	case TY_MONEY: {
		if (n < 5 || s[n - 4] != ' ')
			return -1;
		uint16_t cur = val_currency(s + n - 3);
		size_t m = n - 4;
		while (m && s[m - 1] == ' ')
			m--;
		if (!cur || dec_parse(s, m, &d) != DEC_OK)
			return -1;
		if (t->cur && t->cur != cur)
			return -2;
		*out = val_dec(V_MONEY, d, cur);
		return 0;
	}
	case TY_DEC:
		if (dec_parse(s, n, &d) != DEC_OK)
			return -1;
		*out = val_dec(V_DEC, d, 0);
		return 0;
	case TY_DATE: {
		date_t dt;
		if (date_parse(s, n, &dt) != 0)
			return -1;
		*out = val_date(dt);
		return 0;
	}
	case TY_DUR: {
		static const struct {
			const char *w;
			DurUnit u;
		} units[] = {{"days", DU_DAYS},	    {"day", DU_DAYS},	{"weeks", DU_WEEKS}, {"week", DU_WEEKS},
			     {"months", DU_MONTHS}, {"month", DU_MONTHS}, {"years", DU_YEARS}, {"year", DU_YEARS}};
		const char *sp = memchr(s, ' ', n);
		if (!sp)
			return -1;
		int64_t amount;
		if (dec_parse(s, (size_t)(sp - s), &d) != DEC_OK || !dec_to_int(d, &amount) ||
		    amount > AR_DUR_MAX || amount < -AR_DUR_MAX)
			return -1;
		const char *w = sp + 1;
		size_t wn = n - (size_t)(w - s);
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strlen(units[i].w) == wn && memcmp(units[i].w, w, wn) == 0) {
				*out = val_dur(amount, units[i].u);
				return 0;
			}
		return -1;
	}
	case TY_HS:
		return val_hs_parse(s, n, out);
	default:
		return -1;
	}
}

/* An absent field: its default, else unknown for its path.  A record-typed
 * field stays one unknown (`company.address`) rather than a record of them. */
Value facts_field_absent(const Program *p, const Field *f, const Path *fp)
{
	if (f->type && f->type->kind == TY_REC && !f->dflt) {
		const char *s = facts_path_text(fp);
		return val_unknown(val_missing1(s, strlen(s)));
	}
	return facts_absent_at(p, f->type ? f->type : &ty_error, f->dflt, fp);
}

Value facts_absent_at(const Program *p, const Type *t, const Node *dflt, const Path *path)
{
	if (dflt && dflt->is_const)
		return dflt->k;
	if (dflt && dflt->kind == N_LIST && dflt->nkids == 0)
		return val_list(val_list_new(0));
	if (t->kind == TY_REC) {
		/* an absent record: each field absent in turn, so `company.size`
		 * reports itself as the missing fact */
		TypeDef *td = t->def;
		Value r = val_rec(td->id, (uint32_t)td->nfields);
		for (int i = 0; i < td->nfields; i++) {
			Path fp = {path, td->fields[i].name, 0};
			r.as.r->f[i] = facts_field_absent(p, &td->fields[i], &fp);
		}
		return r;
	}
	const char *s = facts_path_text(path);
	return val_unknown(val_missing1(s, strlen(s)));
}

Value facts_null(const Program *p, const Type *t, const Path *path)
{
	if (t->kind == TY_REC) {
		const char *s = facts_path_text(path);
		return val_unknown(val_missing1(s, strlen(s)));
	}
	return facts_absent_at(p, t, NULL, path);
}

Value facts_record_to_fill(const TypeDef *td, Rec *reuse)
{
	if (reuse && reuse->n == (uint32_t)td->nfields) {
		Value r = {.tag = V_REC, .aux = td->id}; /* every field is written by the caller */
		r.as.r = reuse;
		return r;
	}
	return val_rec(td->id, (uint32_t)td->nfields);
}

unsigned char *facts_seen(const TypeDef *td, unsigned char *here)
{
	unsigned char *seen = td->nfields < FACTS_SEEN_HERE ? here : GC_MALLOC_ATOMIC((size_t)td->nfields + 1);
	memset(seen, 0, (size_t)td->nfields + 1);
	return seen;
}

void facts_fill_absent(const Program *p, const TypeDef *td, const Path *path, const Tmpl *tm, Value rec,
		       const unsigned char *seen)
{
	for (int i = 0; i < td->nfields; i++)
		if (seen[i] != FACTS_GIVEN) {
			Path fp = {path, td->fields[i].name, 0};
			rec.as.r->f[i] = tm && tm->fabsent ? tm->fabsent[i] : facts_field_absent(p, &td->fields[i], &fp);
		}
}

/* ------------------------------------------------------------ templates */

#define TMPL_MAX_DEPTH 8 /* records that contain themselves stop here */

static Tmpl *tmpl_build(const Program *p, const Type *t, Value absent_value, const Path *path, int depth)
{
	Tmpl *tm = GC_MALLOC(sizeof *tm);
	tm->absent = absent_value;
	if (t->kind != TY_REC || depth >= TMPL_MAX_DEPTH)
		return tm;
	TypeDef *td = t->def;
	tm->nfields = td->nfields;
	tm->fabsent = GC_MALLOC(sizeof(Value) * (size_t)(td->nfields + 1));
	tm->field = GC_MALLOC(sizeof(Tmpl *) * (size_t)(td->nfields + 1));
	for (int i = 0; i < td->nfields; i++) {
		Path fp = {path, td->fields[i].name, 0};
		tm->fabsent[i] = facts_field_absent(p, &td->fields[i], &fp);
		if (td->fields[i].type)
			tm->field[i] = tmpl_build(p, td->fields[i].type, tm->fabsent[i], &fp, depth + 1);
	}
	return tm;
}

void facts_prepare(Program *p)
{
	Tmpl **t = GC_MALLOC(sizeof(Tmpl *) * (size_t)(p->nfacts + 1));
	for (int i = 0; i < p->nfacts; i++) {
		Decl *f = p->facts[i];
		Path root = {NULL, f->name, 0};
		t[i] = tmpl_build(p, f->type, facts_absent_at(p, f->type, f->dflt, &root), &root, 0);
	}
	p->fact_tmpl = t;
}

Value facts_absent(const Program *p, const Type *t, const Node *dflt, const char *path)
{
	Path root = {NULL, path, 0};
	return facts_absent_at(p, t, dflt, &root);
}

static int convert(const Program *p, const Type *t, json_object *j, const Path *path, const Tmpl *tm, Rec *reuse,
		   Value *out, const char **err);

static int wrong(const Type *t, json_object *j, const Path *path, const char **err)
{
	return fail(err, path, "expected %s, got %s", example(t), shown(j));
}

static int convert_int(json_object *j, const Path *path, Value *out, const char **err)
{
	/* json-c clamps numbers beyond 64 bits to the largest and the least
	 * whole numbers, so those two cannot be told from the ones it clamped:
	 * refuse them all rather than guess */
	if (json_object_get_int64(j) == INT64_MAX)
		return fail(err, path, "the number is too large for a whole number (at most 9223372036854775806)");
	if (json_object_get_int64(j) == INT64_MIN)
		return fail(err, path, "the number is too small for a whole number (at least -9223372036854775807)");
	*out = val_int(json_object_get_int64(j));
	return ST_OK;
}

/* A decimal from a JSON number (its exact text) or from text. */
static int convert_dec(const Type *t, json_object *j, const Path *path, Value *out, const char **err)
{
	json_type jt = json_object_get_type(j);
	Dec d;
	if (jt == json_type_int || jt == json_type_double) {
		if (jt == json_type_int && (json_object_get_int64(j) == INT64_MAX || json_object_get_int64(j) == INT64_MIN))
			return fail(err, path, "the number is too large to read exactly; write it as text, like "
					       "\"123456789012345678901234\"");
		const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
		DecStatus st = dec_parse_json(s, strlen(s), &d);
		if (st != DEC_OK)
			return fail(err, path, "%s: %s", shown(j), dec_status_text(st));
	} else if (jt == json_type_string) {
		const char *s = json_object_get_string(j);
		if (dec_parse(s, (size_t)json_object_get_string_len(j), &d) != DEC_OK)
			return wrong(t, j, path, err);
	} else {
		return wrong(t, j, path, err);
	}
	*out = val_dec(V_DEC, d, 0);
	return ST_OK;
}

/* money, a percentage, a date, a duration or a tariff code: written as text */
static int convert_scalar(const Type *t, json_object *j, const Path *path, Value *out, const char **err)
{
	if (json_object_get_type(j) != json_type_string)
		return wrong(t, j, path, err);
	const char *s = json_object_get_string(j);
	size_t n = (size_t)json_object_get_string_len(j);
	if (n && (is_space(s[0]) || is_space(s[n - 1])))
		/* refused as the as-of date is: a value is written as it is */
		return fail(err, path, "%s has white space before or after it; expected %s, with nothing around it",
			    shown(j), example(t));
	int rc = facts_scalar(t, s, n, out);
	if (rc == -2)
		return fail(err, path, "expected %s, got %s: the currency differs", example(t), shown(j));
	return rc != 0 ? wrong(t, j, path, err) : ST_OK;
}

static int convert_list(const Program *p, const Type *t, json_object *j, const Path *path, Value *out, const char **err)
{
	if (json_object_get_type(j) != json_type_array)
		return wrong(t, j, path, err);
	size_t n = json_object_array_length(j);
	List *l = val_list_new((uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		Path ip = {path, NULL, i};
		int st = convert(p, t->elem, json_object_array_get_idx(j, i), &ip, NULL, NULL, &l->items[i], err);
		if (st != ST_OK)
			return st;
	}
	*out = val_list(l);
	return ST_OK;
}

/* The slot of field key in td, trying guess first; -1 after the error. */
static int field_slot(const TypeDef *td, const char *key, int guess, const Path *path, const char **err)
{
	int slot = guess < td->nfields && same_name(td->fields[guess].name, key) ? guess : ast_field_slot(td, key);
	if (slot >= 0)
		return slot;
	const char *cands[256];
	int nc = 0;
	for (int i = 0; i < td->nfields && nc < 256; i++)
		cands[nc++] = td->fields[i].name;
	const char *best = diag_closest(key, cands, nc);
	fail(err, path, "unknown field \"%s\"%s", key, best ? xprintf("; did you mean \"%s\"?", best) : "");
	return -1;
}

/* reuse: a record to fill instead of a new one, when t is a record type of
 * as many fields (a fact root's, from FactsRecycle), else NULL. */
static int convert_record(const Program *p, const Type *t, json_object *j, const Path *path, const Tmpl *tm,
			  Rec *reuse, Value *out, const char **err)
{
	if (json_object_get_type(j) != json_type_object)
		return wrong(t, j, path, err);
	TypeDef *td = t->def;
	Value r = facts_record_to_fill(td, reuse);
	unsigned char seen_here[FACTS_SEEN_HERE];
	unsigned char *seen = facts_seen(td, seen_here);
	/* Documents usually list fields in the schema's order: try the field
	 * after the last one found before looking the name up. */
	int guess = 0;
	json_object_object_foreach(j, key, val)
	{
		int slot = field_slot(td, key, guess, path, err);
		if (slot < 0)
			return ST_FACTS;
		guess = slot + 1 < td->nfields ? slot + 1 : 0;
		if (json_object_get_type(val) == json_type_null)
			continue; /* null is the same as leaving the field out: its default, else missing */
		seen[slot] = FACTS_GIVEN;
		Path fp = {path, td->fields[slot].name, 0};
		const Tmpl *ftm = tm && tm->field ? tm->field[slot] : NULL;
		int st = convert(p, td->fields[slot].type, val, &fp, ftm, NULL, &r.as.r->f[slot], err);
		if (st != ST_OK)
			return st;
	}
	facts_fill_absent(p, td, path, tm, r, seen);
	*out = r;
	return ST_OK;
}

/* A fact over time: an object whose keys are the dates each value holds
 * from, earliest first, as {"2025-01-01": "12%", "2025-04-01": "18%"};
 * the value is a list of [date, value] pairs in that order.  (A date
 * named twice is refused by facts_read, as any key named twice.) */
static int convert_series(const Program *p, const Type *t, json_object *j, const Path *path, Value *out,
			  const char **err)
{
	if (json_object_get_type(j) != json_type_object)
		return fail(err, path, "expected dated values: a JSON object with the date each value holds from, like "
				       "{\"2025-01-01\": ..., \"2025-04-01\": ...}, got %s",
			    shown(j));
	List *l = val_list_new((uint32_t)json_object_object_length(j));
	uint32_t n = 0;
	json_object_object_foreach(j, key, val)
	{
		date_t d;
		if (date_parse(key, strlen(key), &d) != 0)
			return fail(err, path, "\"%s\" is not a date; each key is the date its value holds from, like "
					       "\"2025-01-01\"",
				    key);
		if (n && d <= l->items[n - 1].as.l->items[0].as.i) {
			char before[11];
			date_format((date_t)l->items[n - 1].as.l->items[0].as.i, before);
			return fail(err, path, "the dates are not in order: %s comes after %s; write them from the earliest",
				    key, before);
		}
		List *pair = val_list_new(2);
		pair->items[0] = val_date(d);
		Path vp = {path, key, 0, true};
		int st = convert(p, t->elem, val, &vp, NULL, NULL, &pair->items[1], err);
		if (st != ST_OK)
			return st;
		l->items[n++] = val_list(pair);
	}
	*out = val_list(l);
	return ST_OK;
}

/* The member of td named s, or -1. */
static int member_named(const TypeDef *td, const char *s)
{
	for (int i = 0; i < td->nmembers; i++)
		if (same_name(td->members[i], s))
			return i;
	return -1;
}

/* A member of an enumeration: its name, "none", or for a member that carries
 * a value an object with the member's name as its one key,
 * {"most_recent": "2024-05-01"}. */
static int convert_member(const Program *p, const TypeDef *td, json_object *j, const Path *path, Value *out,
			  const char **err)
{
	const Type *t = ty_named((TypeDef *)td);
	json_type jt = json_object_get_type(j);
	if (jt == json_type_string) {
		int i = member_named(td, json_object_get_string(j));
		if (i < 0)
			return wrong(t, j, path, err);
		if (td->member_types && td->member_types[i])
			return fail(err, path, "\"%s\" carries a value: write {\"%s\": ...} with %s", td->members[i],
				    td->members[i], example(td->member_types[i]));
		*out = val_enum(td->id, i);
		return ST_OK;
	}
	if (jt != json_type_object || !td->member_types || json_object_object_length(j) != 1)
		return wrong(t, j, path, err);
	json_object_object_foreach(j, key, val)
	{
		int i = member_named(td, key);
		if (i < 0)
			return wrong(t, j, path, err);
		if (!td->member_types[i])
			return fail(err, path, "\"%s\" carries no value; write it as \"%s\"", td->members[i],
				    td->members[i]);
		if (json_object_get_type(val) == json_type_null)
			return fail(err, path, "\"%s\" needs its value: write {\"%s\": ...} with %s", td->members[i],
				    td->members[i], example(td->member_types[i]));
		Path mp = {path, td->members[i], 0};
		Value data;
		int st = convert(p, td->member_types[i], val, &mp, NULL, NULL, &data, err);
		if (st != ST_OK)
			return st;
		*out = val_enum_data(td->id, i, data);
	}
	return ST_OK;
}

/* The JSON value j as a value of type t at path (null: absent). */
static int convert(const Program *p, const Type *t, json_object *j, const Path *path, const Tmpl *tm, Rec *reuse,
		   Value *out, const char **err)
{
	json_type jt = json_object_get_type(j);
	if (jt == json_type_null) {
		*out = facts_null(p, t, path);
		return ST_OK;
	}
	if (jt == json_type_string && t->kind != TY_STR &&
	    memchr(json_object_get_string(j), 0, (size_t)json_object_get_string_len(j)))
		return fail(err, path, FACTS_NUL_TEXT);
	switch (t->kind) {
	case TY_BOOL:
		if (jt != json_type_boolean)
			return wrong(t, j, path, err);
		*out = val_bool(json_object_get_boolean(j));
		return ST_OK;
	case TY_INT:
		return jt == json_type_int ? convert_int(j, path, out, err) : wrong(t, j, path, err);
	case TY_DEC: return convert_dec(t, j, path, out, err);
	case TY_MONEY:
	case TY_PCT:
	case TY_DATE:
	case TY_DUR:
	case TY_HS: return convert_scalar(t, j, path, out, err);
	case TY_STR:
		if (jt != json_type_string)
			return wrong(t, j, path, err);
		*out = val_str(json_object_get_string(j), (size_t)json_object_get_string_len(j));
		return ST_OK;
	case TY_ENUM: return convert_member(p, t->def, j, path, out, err);
	case TY_LIST: return convert_list(p, t, j, path, out, err);
	case TY_REC: return convert_record(p, t, j, path, tm, reuse, out, err);
	case TY_SERIES: return convert_series(p, t, j, path, out, err);
	default: return fail(err, path, "this fact cannot be read");
	}
}

int facts_convert(const Program *p, const Type *t, json_object *j, const char *path, Value *out, const char **err)
{
	Path root = {NULL, path, 0};
	return convert(p, t, j, &root, NULL, NULL, out, err);
}

/* facts_drop_unknown below one fact: t is p's type, w wider's. */
static void drop_unknown(const Type *t, const Type *w, json_object *j, int depth)
{
	if (!t || !w || depth > FACTS_MAX_DEPTH)
		return;
	if (t->kind == TY_LIST && w->kind == TY_LIST && json_object_get_type(j) == json_type_array) {
		for (size_t i = 0; i < json_object_array_length(j); i++)
			drop_unknown(t->elem, w->elem, json_object_array_get_idx(j, i), depth + 1);
		return;
	}
	if (t->kind != TY_REC || w->kind != TY_REC || json_object_get_type(j) != json_type_object)
		return;
	const char **gone = GC_MALLOC(sizeof(char *) * (size_t)(json_object_object_length(j) + 1));
	int ngone = 0;
	json_object_object_foreach(j, key, val)
	{
		int slot = ast_field_slot(t->def, key), wslot = ast_field_slot(w->def, key);
		if (slot < 0 && wslot >= 0)
			gone[ngone++] = ast_strdup(key, strlen(key));
		else if (slot >= 0 && wslot >= 0)
			drop_unknown(t->def->fields[slot].type, w->def->fields[wslot].type, val, depth + 1);
	}
	for (int i = 0; i < ngone; i++)
		json_object_object_del(j, gone[i]);
}

static const Decl *fact_named(const Program *p, const char *name)
{
	for (int i = 0; i < p->nfacts; i++)
		if (same_name(p->facts[i]->name, name))
			return p->facts[i];
	return NULL;
}

void facts_drop_unknown(const Program *p, const Program *wider, json_object *doc)
{
	if (json_object_get_type(doc) != json_type_object)
		return;
	const char **gone = GC_MALLOC(sizeof(char *) * (size_t)(json_object_object_length(doc) + 1));
	int ngone = 0;
	json_object_object_foreach(doc, key, val)
	{
		const Decl *f = fact_named(p, key), *wf = fact_named(wider, key);
		if (!f && wf)
			gone[ngone++] = ast_strdup(key, strlen(key));
		else if (f && wf)
			drop_unknown(f->type, wf->type, val, 0);
	}
	for (int i = 0; i < ngone; i++)
		json_object_object_del(doc, gone[i]);
}

void facts_clear(Ctx *c)
{
	const Program *p = c->p;
	for (int i = 0; i < p->nfacts; i++) {
		Decl *f = p->facts[i];
		c->facts[i] = p->fact_tmpl ? p->fact_tmpl[i]->absent : facts_absent(p, f->type, f->dflt, f->name);
	}
}

FactsRecycle *facts_recycle_new(const Program *p)
{
	/* a context's: written at every load, apart from other contexts' */
	FactsRecycle *rc = mem_alloc_apart(sizeof *rc);
	rc->installed = mem_alloc_apart(sizeof(Rec *) * (size_t)(p->nfacts + 1));
	rc->spare = mem_alloc_apart(sizeof(Rec *) * (size_t)(p->nfacts + 1));
	rc->texts_in = -1;
	return rc;
}

/* A load went well: each root's new record becomes the installed one and
 * the one it replaces the spare; a root the document did not give a record
 * frees its installed one. */
void facts_recycle_swap(const Program *p, FactsRecycle *rc, Rec *const *made)
{
	for (int i = 0; i < p->nfacts; i++) {
		if (made[i]) {
			rc->spare[i] = rc->installed[i] != made[i] ? rc->installed[i] : rc->spare[i];
			rc->installed[i] = made[i];
		} else if (rc->installed[i]) {
			if (!rc->spare[i])
				rc->spare[i] = rc->installed[i];
			rc->installed[i] = NULL;
		}
	}
}

int facts_load_object_recycling(Ctx *c, json_object *root, const char *name, const char **err, FactsRecycle *rc)
{
	const Program *p = c->p;
	(void)name;
	if (json_object_get_type(root) != json_type_object)
		return fail(err, NULL, "the facts must be a JSON object, like {\"company\": {...}}");
	facts_clear(c);
	Rec *made_here[16];
	Rec **made = NULL;
	if (rc) {
		made = p->nfacts <= 16 ? made_here : GC_MALLOC(sizeof(Rec *) * (size_t)p->nfacts);
		memset(made, 0, sizeof(Rec *) * (size_t)p->nfacts);
	}
	json_object_object_foreach(root, key, val)
	{
		if (same_name(key, "as_of")) {
			Path as_of_path = {NULL, "as_of", 0};
			date_t d;
			if (json_object_get_type(val) != json_type_string ||
			    date_parse(json_object_get_string(val), (size_t)json_object_get_string_len(val), &d) != 0)
				return fail(err, &as_of_path, "expected a date like \"2026-12-01\", got %s", shown(val));
			c->as_of = d;
			continue;
		}
		if (same_name(key, "id"))
			continue;
		int idx = -1;
		for (int i = 0; i < p->nfacts && idx < 0; i++)
			if (same_name(p->facts[i]->name, key))
				idx = i;
		if (idx < 0) {
			const char *cands[256];
			int nc = 0;
			for (int i = 0; i < p->nfacts && nc < 256; i++)
				cands[nc++] = p->facts[i]->name;
			const char *best = diag_closest(key, cands, nc);
			return fail(err, NULL, "unknown fact \"%s\"%s", key, best ? xprintf("; did you mean \"%s\"?", best) : "");
		}
		Path rp = {NULL, p->facts[idx]->name, 0};
		Rec *reuse = rc && !made[idx] ? rc->spare[idx] : NULL;
		int st = convert(p, p->facts[idx]->type, val, &rp, p->fact_tmpl ? p->fact_tmpl[idx] : NULL, reuse,
				 &c->facts[idx], err);
		if (st != ST_OK)
			return st;
		if (rc)
			made[idx] = c->facts[idx].tag == V_REC ? c->facts[idx].as.r : NULL;
	}
	if (rc) {
		facts_recycle_swap(p, rc, made);
		rc->texts_in = -1; /* this reader's texts are its own */
	}
	return ST_OK;
}

int facts_load_object(Ctx *c, json_object *root, const char *name, const char **err)
{
	return facts_load_object_recycling(c, root, name, err, NULL);
}

/* ---------------------------------------------------------- the text */

/* A position in the text, as file:line:col for messages. */
/* The line and column (from 1) of byte off of text. */
static void line_col(const char *text, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n')
			l++, c = 1;
		else
			c++;
	}
	*line = l;
	*col = c;
}

/* A refusal of the document at byte off (SIZE_MAX: the whole of it). */
static int refuse(FactsError *e, const char *text, size_t off, int status, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int refuse(FactsError *e, const char *text, size_t off, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	e->what = xvprintf(fmt, ap);
	va_end(ap);
	e->line = e->col = 0;
	e->not_json = false;
	if (off != SIZE_MAX)
		line_col(text, off, &e->line, &e->col);
	return status;
}

/* One object's keys while scanning: offsets into the text, hashed. */
typedef struct KeySet {
	size_t *off, *len; /* 0 length marks a free slot */
	uint32_t *hash;
	size_t cap, n;
	bool is_object;
} KeySet;

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Decode a key's escapes (so "\u0061" and "a" are one key).  Keys without
 * a backslash are compared as they stand. */
static const char *key_text(const char *s, size_t n, size_t *out_n)
{
	if (!memchr(s, '\\', n)) {
		*out_n = n;
		return s;
	}
	char *d = GC_MALLOC_ATOMIC(n * 3 + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			d[k++] = s[i];
			continue;
		}
		char e = s[++i];
		if (e == 'u' && i + 4 < n) {
			unsigned cp = 0;
			for (int h = 1; h <= 4; h++) {
				char x = s[i + h];
				cp = cp * 16 + (unsigned)(x >= '0' && x <= '9' ? x - '0' : (x | 32) - 'a' + 10);
			}
			i += 4;
			if (cp < 0x80)
				d[k++] = (char)cp;
			else if (cp < 0x800)
				d[k++] = (char)(0xc0 | cp >> 6), d[k++] = (char)(0x80 | (cp & 0x3f));
			else
				d[k++] = (char)(0xe0 | cp >> 12), d[k++] = (char)(0x80 | ((cp >> 6) & 0x3f)),
				d[k++] = (char)(0x80 | (cp & 0x3f));
		} else {
			d[k++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
		}
	}
	*out_n = k;
	return d;
}

/* Add a key; false if the object has it already. */
static bool keyset_add(KeySet *ks, const char *text, size_t off, size_t n)
{
	size_t kn;
	const char *k = key_text(text + off, n, &kn);
	uint32_t h = hash_bytes(k, kn);
	if (ks->n * 2 + 2 > ks->cap) {
		KeySet big = {0};
		big.cap = ks->cap ? ks->cap * 2 : 16;
		big.off = GC_MALLOC_ATOMIC(sizeof(size_t) * big.cap);
		big.len = GC_MALLOC_ATOMIC(sizeof(size_t) * big.cap);
		big.hash = GC_MALLOC_ATOMIC(sizeof(uint32_t) * big.cap);
		for (size_t i = 0; i < ks->cap; i++)
			if (ks->len[i]) {
				size_t j = ks->hash[i] & (big.cap - 1);
				while (big.len[j])
					j = (j + 1) & (big.cap - 1);
				big.off[j] = ks->off[i], big.len[j] = ks->len[i], big.hash[j] = ks->hash[i];
			}
		big.n = ks->n;
		big.is_object = true;
		*ks = big;
	}
	size_t j = h & (ks->cap - 1);
	while (ks->len[j]) {
		if (ks->hash[j] == h) {
			size_t on;
			const char *o = key_text(text + ks->off[j], ks->len[j] - 1, &on);
			if (on == kn && memcmp(o, k, kn) == 0)
				return false;
		}
		j = (j + 1) & (ks->cap - 1);
	}
	ks->off[j] = off, ks->len[j] = n + 1, ks->hash[j] = h; /* len + 1: an empty key still marks the slot */
	ks->n++;
	return true;
}

/* The offset of the quote that closes the text opened before `start`
 * (len when there is none): memchr to each quote, which closes the text
 * unless an odd number of backslashes stands before it. */
static size_t string_end(const char *text, size_t start, size_t len)
{
	for (size_t i = start; i < len; i++) {
		const char *q = memchr(text + i, '"', len - i);
		if (!q)
			return len;
		i = (size_t)(q - text);
		size_t b = i;
		while (b > start && text[b - 1] == '\\')
			b--;
		if ((i - b) % 2 == 0)
			return i;
	}
	return len;
}

/* A key for a message: as written (at most 60 bytes) when it is printable
 * ASCII; other keys are not quoted, as they are not checked for UTF-8 yet. */
static const char *quoted_key(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x20 || k[i] > 0x7e)
			return "a key";
	return xprintf("the key \"%.*s\"", (int)(n > 60 ? 60 : n), k);
}

long facts_nul_escape(const char *s, size_t n)
{
	if (!memchr(s, '\\', n))
		return -1;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '\\') {
			if (s[i + 1] == 'u' && n - i >= 6 && memcmp(s + i + 2, "0000", 4) == 0)
				return (long)i;
			i++; /* the escaped character */
		}
	return -1;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* What is wrong with the number at i, where json-c reads more than JSON
 * allows: a 0 followed by other digits (007) and a decimal point without
 * digits after it (1., 1.e5).  NULL when nothing is; json-c judges the rest. */
static const char *number_slip(const char *text, size_t i, size_t len)
{
	size_t end = i, d = i + (text[i] == '-');
	while (end < len && text[end] && strchr("+-.0123456789eE", text[end]))
		end++;
	size_t z = d; /* past the zeros that lead */
	while (z + 1 < end && text[z] == '0' && is_digit(text[z + 1]))
		z++;
	size_t p = z; /* past the whole part */
	while (p < end && is_digit(text[p]))
		p++;
	bool point = p < end && text[p] == '.' && !(p + 1 < end && is_digit(text[p + 1]));
	if (z == d && !point)
		return NULL;
	const char *what = z > d ? "starts with a 0 followed by other digits" : "has no digits after its decimal point";
	if (end - i > 30)
		return xprintf("invalid JSON: this number %s, which JSON does not allow", what);
	return xprintf("invalid JSON: the number %.*s %s, which JSON does not allow; write %.*s%.*s%s%.*s", (int)(end - i),
		       text + i, what, (int)(d - i), text + i, (int)(p - z), text + z, point ? ".0" : "",
		       (int)(end - p - point), text + p + point);
}

/* Before json-c builds its tree (which takes many times the text in
 * memory), look over the text once: refuse a document with more than
 * FACTS_MAX_VALUES values, one in which an object names a key twice
 * (json-c would silently keep the last, where another reader keeps the
 * first), and one with a number that json-c reads and JSON does not allow. */
static int prescan(const char *text, size_t len, FactsError *e)
{
	KeySet stack[FACTS_MAX_DEPTH + 2];
	int depth = 0;
	size_t values = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == '"') {
			size_t start = ++i;
			i = string_end(text, start, len);
			if (i >= len)
				return ST_OK; /* unterminated: json-c says where */
			if (i - start > FACTS_MAX_STRING)
				return refuse(e, text, start - 1, ST_FACTS, "invalid facts: a text longer than the limit of %d bytes",
					      FACTS_MAX_STRING);
			size_t j = i + 1;
			while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r'))
				j++;
			if (j < len && text[j] == ':' && depth > 0 && stack[depth - 1].is_object &&
			    !keyset_add(&stack[depth - 1], text, start, i - start))
				return refuse(e, text, start - 1, ST_FACTS,
					      "invalid facts: %s appears twice in one object; keep one",
					      quoted_key(text + start, i - start));
			if (j < len && text[j] == ':' && facts_nul_escape(text + start, i - start) >= 0)
				return refuse(e, text, start - 1, ST_FACTS, FACTS_NUL_KEY, quoted_key(text + start, i - start));
			if (!(j < len && text[j] == ':'))
				values++;
		} else if (ch == '{' || ch == '[') {
			values++;
			if (depth > FACTS_MAX_DEPTH)
				return ST_OK; /* json-c reports the depth */
			memset(&stack[depth], 0, sizeof stack[depth]);
			stack[depth++].is_object = ch == '{';
		} else if (ch == '}' || ch == ']') {
			if (depth > 0)
				depth--;
		} else if (ch == '\'') {
			/* json-c reads 'key' even in strict mode, and the checks
			 * above look only for double quotes */
			return refuse(e, text, i, ST_FACTS,
				      "invalid JSON: single quotes are not JSON; write keys and texts in double quotes (\"...\")");
		} else if (is_digit(ch) || ch == '-' || ch == 't' || ch == 'f' || ch == 'n') {
			const char *slip = is_digit(ch) || ch == '-' ? number_slip(text, i, len) : NULL;
			if (slip) {
				refuse(e, text, i, ST_FACTS, "%s", slip);
				e->not_json = true;
				return ST_FACTS;
			}
			values++;
			while (i + 1 < len && text[i + 1] != ',' && text[i + 1] != ']' && text[i + 1] != '}' && text[i + 1] != ' ' &&
			       text[i + 1] != '\n')
				i++;
		}
		if (values > FACTS_MAX_VALUES)
			return refuse(e, text, i, ST_FACTS, "invalid facts: the document holds more than %d values (the limit)",
				      FACTS_MAX_VALUES);
	}
	return ST_OK;
}

static const char *json_error_text(enum json_tokener_error jerr)
{
	switch (jerr) {
	case json_tokener_error_depth: return xprintf("the JSON is nested more than %d deep", FACTS_MAX_DEPTH);
	case json_tokener_error_parse_eof: return "the JSON ends too early";
	case json_tokener_error_parse_utf8_string: return "the JSON holds text that is not valid UTF-8";
	default: return json_tokener_error_desc(jerr);
	}
}

/* One tokener a thread, kept between documents (a stream of small ones
 * would spend a fifth of its time making and freeing them), freed when
 * the thread ends. */
static pthread_key_t tokener_key;
static pthread_once_t tokener_once = PTHREAD_ONCE_INIT;

static void free_tokener(void *tok)
{
	json_tokener_free(tok);
}

static void make_tokener_key(void)
{
	(void)pthread_key_create(&tokener_key, free_tokener);
}

static json_tokener *thread_tokener(void)
{
	(void)pthread_once(&tokener_once, make_tokener_key);
	json_tokener *tok = pthread_getspecific(tokener_key);
	if (tok)
		return tok;
	tok = json_tokener_new_ex(FACTS_MAX_DEPTH);
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	if (pthread_setspecific(tokener_key, tok) != 0) {
		json_tokener_free(tok);
		return NULL;
	}
	return tok;
}

static bool out_of_memory(enum json_tokener_error jerr, int err)
{
#if JSON_C_VERSION_NUM >= ((0 << 16) | (17 << 8))
	if (jerr == json_tokener_error_memory)
		return true;
#else
	(void)jerr;
#endif
	return err == ENOMEM;
}

int facts_read(const char *text, size_t len, json_object **out, FactsError *e)
{
	*out = NULL;
	if (len > FACTS_MAX_BYTES)
		return refuse(e, text, SIZE_MAX, ST_FACTS, "the facts are larger than the limit of %u bytes", FACTS_MAX_BYTES);
	/* a byte order mark may open a document (editors on Windows write one) */
	size_t skip = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	/* json-c would stop at a NUL byte, and say the JSON ends too early */
	const char *nul = memchr(text, 0, len);
	if (nul) {
		refuse(e, text, (size_t)(nul - text), ST_FACTS,
		       "invalid JSON: the document holds a NUL byte (a character of code 0), which JSON may not hold");
		e->not_json = true;
		return ST_FACTS;
	}
	if (prescan(text, len, e) != ST_OK)
		return ST_FACTS;
	json_tokener *tok = thread_tokener();
	if (!tok)
		return refuse(e, text, SIZE_MAX, ST_MEMORY, "out of memory while reading the facts");
	errno = 0;
	json_object *root = json_tokener_parse_ex(tok, text + skip, (int)(len - skip));
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t off = skip + json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* a bare number waits for its end: the end of the text is one */
		root = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr == json_tokener_continue)
			jerr = json_tokener_error_parse_eof;
		off = len;
	}
	if (jerr == json_tokener_success) {
		/* only white space may follow the document */
		for (size_t i = off; i < len; i++)
			if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') {
				jerr = json_tokener_error_parse_unexpected;
				off = i;
				break;
			}
	}
	json_tokener_reset(tok);
	/* json-c 0.16's reset leaves a \u escape's half-read surrogate behind,
	 * which the next document would read as its own first character */
	tok->high_surrogate = 0;
	tok->ucs_char = 0;
	if (jerr == json_tokener_success) {
		*out = root;
		return ST_OK;
	}
	if (root)
		json_object_put(root);
	/* json-c before 0.17 has no error of its own for memory: a failed
	 * malloc shows as some parse error, with errno ENOMEM */
	if (out_of_memory(jerr, errno))
		return refuse(e, text, SIZE_MAX, ST_MEMORY, "out of memory while reading the facts");
	refuse(e, text, off < len ? off : len, ST_FACTS, "invalid JSON: %s", json_error_text(jerr));
	e->not_json = jerr != json_tokener_error_depth && jerr != json_tokener_error_parse_utf8_string;
	return ST_FACTS;
}

int facts_parse_json(const char *text, size_t len, const char *name, json_object **out, const char **err)
{
	FactsError e;
	int st = facts_read(text, len, out, &e);
	if (st != ST_OK)
		*err = e.line ? xprintf("%s:%d:%d: %s", name, e.line, e.col, e.what) : xprintf("%s: %s", name, e.what);
	return st;
}

void facts_set_path(Ctx *c, int root, const int *slots, int nslots, Value v)
{
	if (nslots == 0) {
		c->facts[root] = v;
		return;
	}
	const Program *p = c->p;
	const Type *t = p->facts[root]->type;
	Path path = {NULL, p->facts[root]->name, 0};
	Path *up = GC_MALLOC(sizeof(Path) * (size_t)(nslots + 1));
	Value *at = &c->facts[root];
	for (int i = 0; i < nslots; i++) {
		if (t->kind != TY_REC)
			return; /* the checker guarantees records along the path */
		/* an absent record on the way becomes a record of absent fields */
		if (at->tag != V_REC)
			*at = facts_absent_at(p, t, NULL, i ? &up[i - 1] : &path);
		const Field *f = &t->def->fields[slots[i]];
		up[i] = (Path){i ? &up[i - 1] : &path, f->name, 0};
		t = f->type;
		Value copy = val_rec(at->aux, at->as.r->n);
		memcpy(copy.as.r->f, at->as.r->f, sizeof(Value) * at->as.r->n);
		*at = copy;
		at = &at->as.r->f[slots[i]];
	}
	*at = v;
}
