/*
 * schema.c - what a rule set asks for and answers, for services: the fact
 * declarations as a JSON Schema (2020-12), the public decisions with their
 * types and sources, and a content hash of the rule files.
 *
 *     edict_rules_schema_json  {"facts": <JSON Schema>, "decisions": [..]}
 *     edict_rules_hash         "sha256:<64 hex digits>"
 *
 * The hash covers each module's name and text (not where the files lie), so
 * the same rules give the same hash on every machine; `edict check` prints
 * it and `edict serve` reports it with every decision.
 */
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "format.h"
#include "schema.h"
#include "sha256.h"

/* ---------------------------------------------------------------- hash */

static int by_module_name(const void *a, const void *b)
{
	const Module *x = *(const Module *const *)a, *y = *(const Module *const *)b;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

void schema_hash(const Program *p, char out[72])
{
	const Module **mods = GC_MALLOC(sizeof(Module *) * (size_t)(p->nmods + 1));
	for (int i = 0; i < p->nmods; i++)
		mods[i] = p->mods[i];
	qsort(mods, (size_t)p->nmods, sizeof *mods, by_module_name);
	Sha256 s;
	sha256_init(&s);
	for (int i = 0; i < p->nmods; i++) {
		const Module *m = mods[i];
		const char *name = m->name ? m->name : "";
		char len[24];
		size_t n = m->src ? m->src->len : 0;
		int k = snprintf(len, sizeof len, "\n%zu\n", n);
		sha256_add(&s, name, strlen(name));
		sha256_add(&s, len, (size_t)k);
		if (n)
			sha256_add(&s, m->src->text, n);
	}
	memcpy(out, "sha256:", 7);
	sha256_hex(&s, out + 7);
}

/* Copy text into buf as snprintf would; the whole length. */
static size_t copy_out(const char *text, size_t n, char *buf, size_t size)
{
	if (buf && size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(buf, text, k);
		buf[k] = 0;
	}
	return n;
}

/* A text made from a program under the protected call. */
typedef struct Text {
	const Program *p;
	const char *s;
	size_t n;
} Text;

static void hash_body(void *ud)
{
	Text *k = ud;
	char *h = GC_MALLOC_ATOMIC(72);
	schema_hash(k->p, h);
	k->s = h;
	k->n = strlen(h);
}

/* A text about a rule set, made by body under the protected call and
 * copied out as edict_rules_hash and edict_rules_schema_json promise. */
static size_t rules_text(const edict_rules *rules, void (*body)(void *), char *buf, size_t size)
{
	edict_init();
	edict_thread_attach();
	const Program *p = api_program(rules);
	if (!p)
		return 0;
	Text k = {p, NULL, 0};
	if (pr_call(body, &k) != ST_OK)
		return 0;
	return copy_out(k.s, k.n, buf, size);
}

size_t edict_rules_hash(const edict_rules *rules, char *buf, size_t size)
{
	return rules_text(rules, hash_body, buf, size);
}

/* -------------------------------------------------------------- schema */

static void put_key(Buf *b, const char *k)
{
	buf_json_str(b, k, strlen(k));
	buf_puts(b, ":");
}

static const char *kind_name(TypeKind k)
{
	switch (k) {
	case TY_BOOL: return "bool";
	case TY_INT: return "int";
	case TY_DEC: return "decimal";
	case TY_MONEY: return "money";
	case TY_PCT: return "percent";
	case TY_DATE: return "date";
	case TY_DUR: return "duration";
	case TY_STR: return "text";
	case TY_HS: return "hscode";
	case TY_ENUM: return "enum";
	case TY_REC: return "record";
	case TY_LIST: return "list";
	case TY_SERIES: return "over time";
	default: return "other";
	}
}

/* The key of a record type in "$defs": its module and name. */
static const char *def_key(const TypeDef *td)
{
	return td->module && td->module->name ? xprintf("%s.%s", td->module->name, td->name) : td->name;
}

static void currency(Buf *b, const Type *t)
{
	if (t->kind == TY_MONEY && t->cur) {
		char c[4];
		val_currency_text(t->cur, c);
		buf_puts(b, ",\"x-edict-currency\":");
		buf_json_str(b, c, 3);
	}
}

/* A string in Edict notation: its pattern and an example. */
static void notation(Buf *b, const Type *t)
{
	const char *pattern = NULL, *ex = NULL;
	switch (t->kind) {
	case TY_DEC: pattern = "^-?[0-9][0-9_]*(\\.[0-9]+)?$"; ex = "12.5"; break;
	case TY_MONEY: pattern = "^-?[0-9][0-9_]*(\\.[0-9]+)? [A-Z]{3}$"; ex = "50000000 KRW"; break;
	case TY_PCT: pattern = "^-?[0-9]+(\\.[0-9]+)?%$"; ex = "12%"; break;
	case TY_DATE: ex = "2026-12-01"; break;
	case TY_DUR: pattern = "^[0-9]+ (day|days|week|weeks|month|months|year|years)$"; ex = "14 days"; break;
	case TY_HS: pattern = "^[0-9]{2}([0-9]{2}(\\.?[0-9]{2}([0-9]{2})?)?)?$"; ex = "6205.20"; break;
	default: break;
	}
	if (t->kind == TY_MONEY && t->cur) {
		char c[4];
		val_currency_text(t->cur, c);
		ex = xprintf("100 %s", c);
	}
	if (pattern) {
		buf_puts(b, ",\"pattern\":");
		buf_json_str(b, pattern, strlen(pattern));
	}
	if (t->kind == TY_DATE)
		buf_puts(b, ",\"format\":\"date\"");
	if (ex) {
		buf_puts(b, ",\"examples\":[");
		buf_json_str(b, ex, strlen(ex));
		buf_puts(b, "]");
	}
}

static void type_schema(Buf *b, const Type *t, const TypeDef **defs, int *ndefs);

/* A record's schema: an object of its fields, none required (a missing
 * field is unknown, or its default); x-edict-optional marks the fields the
 * rules expect may be missing. */
static void record_schema(Buf *b, const TypeDef *td, const TypeDef **defs, int *ndefs)
{
	buf_puts(b, "{\"type\":[\"object\",\"null\"],\"title\":");
	buf_json_str(b, td->name, strlen(td->name));
	buf_puts(b, ",\"additionalProperties\":false,\"properties\":{");
	for (int i = 0; i < td->nfields; i++) {
		const Field *f = &td->fields[i];
		if (i)
			buf_puts(b, ",");
		put_key(b, f->name);
		type_schema(b, f->type, defs, ndefs);
		/* the field's own notes go after its type's: reopen the object */
		b->s[--b->n] = 0;
		if (f->optional)
			buf_puts(b, ",\"x-edict-optional\":true");
		if (f->dflt)
			buf_puts(b, ",\"x-edict-has-default\":true");
		if (f->ncites) {
			buf_puts(b, ",\"description\":");
			buf_json_str(b, f->cites[0].text, strlen(f->cites[0].text));
		}
		buf_puts(b, "}");
	}
	buf_puts(b, "}}");
}

static void type_schema(Buf *b, const Type *t, const TypeDef **defs, int *ndefs);

/* An enumeration's members by name; a member that carries a value is an
 * object with the member as its one key: {"most_recent": "2024-05-01"}. */
static void enum_schema(Buf *b, const TypeDef *td, const TypeDef **defs, int *ndefs)
{
	buf_puts(b, td->member_types ? "{\"anyOf\":[{\"enum\":[" : "{\"enum\":[");
	for (int i = 0; i < td->nmembers; i++)
		if (!td->member_types || !td->member_types[i]) {
			buf_json_str(b, td->members[i], strlen(td->members[i]));
			buf_puts(b, ",");
		}
	buf_puts(b, "null]");
	if (!td->member_types)
		return;
	buf_puts(b, "}");
	for (int i = 0; i < td->nmembers; i++)
		if (td->member_types[i]) {
			buf_puts(b, ",{\"type\":\"object\",\"properties\":{");
			buf_json_str(b, td->members[i], strlen(td->members[i]));
			buf_puts(b, ":");
			type_schema(b, td->member_types[i], defs, ndefs);
			buf_puts(b, "},\"required\":[");
			buf_json_str(b, td->members[i], strlen(td->members[i]));
			buf_puts(b, "],\"additionalProperties\":false}");
		}
	buf_puts(b, "]");
}

static void type_schema(Buf *b, const Type *t, const TypeDef **defs, int *ndefs)
{
	const char *tn = ty_name(t);
	switch (t->kind) {
	case TY_BOOL: buf_puts(b, "{\"type\":[\"boolean\",\"null\"]"); break;
	case TY_INT: buf_puts(b, "{\"type\":[\"integer\",\"null\"]"); break;
	case TY_DEC: buf_puts(b, "{\"type\":[\"string\",\"number\",\"null\"]"); break;
	case TY_ENUM:
		enum_schema(b, t->def, defs, ndefs);
		break;
	case TY_LIST:
		buf_puts(b, "{\"type\":[\"array\",\"null\"],\"items\":");
		type_schema(b, t->elem, defs, ndefs);
		break;
	case TY_SERIES:
		/* {"2025-01-01": value, ...}: each key the date the value holds from */
		buf_puts(b, "{\"type\":[\"object\",\"null\"],\"propertyNames\":{\"format\":\"date\","
			    "\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"},\"additionalProperties\":");
		type_schema(b, t->elem, defs, ndefs);
		break;
	case TY_REC: {
		int i = 0;
		while (i < *ndefs && defs[i] != t->def)
			i++;
		if (i == *ndefs)
			defs[(*ndefs)++] = t->def;
		buf_puts(b, "{\"$ref\":");
		buf_json_str(b, xprintf("#/$defs/%s", def_key(t->def)), strlen(def_key(t->def)) + 8);
		break;
	}
	default: buf_puts(b, "{\"type\":[\"string\",\"null\"]"); break;
	}
	notation(b, t);
	buf_puts(b, ",\"x-edict-type\":");
	buf_json_str(b, tn, strlen(tn));
	buf_puts(b, ",\"x-edict-kind\":");
	buf_puts(b, xprintf("\"%s\"", kind_name(t->kind)));
	currency(b, t);
	buf_puts(b, "}");
}

static void facts_schema(const Program *p, Buf *b)
{
	const TypeDef **defs = GC_MALLOC(sizeof(TypeDef *) * (size_t)(p->ntypes + p->nfacts + 1));
	int ndefs = 0;
	buf_puts(b, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"facts\","
		    "\"description\":\"One facts document: a key per fact; typed values are strings in Edict "
		    "notation; null or an absent key means missing.\",\"type\":\"object\","
		    "\"additionalProperties\":false,\"properties\":{"
		    "\"as_of\":{\"type\":\"string\",\"format\":\"date\",\"examples\":[\"2026-12-01\"]},"
		    "\"id\":{\"type\":[\"string\",\"integer\"]}");
	for (int i = 0; i < p->nfacts; i++) {
		const Decl *f = p->facts[i];
		buf_puts(b, ",");
		put_key(b, f->name);
		type_schema(b, f->type, defs, &ndefs);
	}
	buf_puts(b, "},\"$defs\":{");
	for (int i = 0; i < ndefs; i++) { /* record_schema may add more */
		if (i)
			buf_puts(b, ",");
		put_key(b, def_key(defs[i]));
		record_schema(b, defs[i], defs, &ndefs);
	}
	buf_puts(b, "}}");
}

static void cites_json(Buf *b, const Citation *c, int n)
{
	buf_puts(b, "[");
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ",");
		buf_puts(b, c[i].assumption ? "{\"assumption\":" : "{\"source\":");
		buf_json_str(b, c[i].text, strlen(c[i].text));
		buf_puts(b, "}");
	}
	buf_puts(b, "]");
}

/* The public decisions: name, module, type, kind (and currency, members),
 * and the sources cited for the decision (its first case's). */
static void decisions_json(const Program *p, Buf *b)
{
	buf_puts(b, "[");
	int k = 0;
	for (int i = 0; i < p->ndecls; i++) {
		const Decl *d = p->decls[i];
		if (d->kind == D_PARAM || d->private_ || !d->type)
			continue;
		if (k++)
			buf_puts(b, ",");
		buf_puts(b, "{\"name\":");
		buf_json_str(b, d->qname, strlen(d->qname));
		buf_puts(b, ",\"module\":");
		buf_json_str(b, d->module->name, strlen(d->module->name));
		buf_puts(b, ",\"type\":");
		const char *tn = ty_name(d->type);
		buf_json_str(b, tn, strlen(tn));
		buf_printf(b, ",\"kind\":\"%s\"", kind_name(d->type->kind));
		currency(b, d->type);
		if (d->type->kind == TY_ENUM) {
			buf_puts(b, ",\"members\":[");
			for (int j = 0; j < d->type->def->nmembers; j++) {
				if (j)
					buf_puts(b, ",");
				buf_json_str(b, d->type->def->members[j], strlen(d->type->def->members[j]));
			}
			buf_puts(b, "]");
		}
		buf_printf(b, ",\"file\":");
		buf_json_str(b, d->loc.file ? d->loc.file : "", d->loc.file ? strlen(d->loc.file) : 0);
		buf_printf(b, ",\"line\":%d,\"sources\":", d->loc.line);
		const Citation *c = d->ncases ? d->cases[0].cites : NULL;
		cites_json(b, c, d->ncases ? d->cases[0].ncites : 0);
		buf_puts(b, "}");
	}
	buf_puts(b, "]");
}

static void schema_body(void *ud)
{
	Text *k = ud;
	Buf b = {0};
	buf_puts(&b, "{\"facts\":");
	facts_schema(k->p, &b);
	buf_puts(&b, ",\"decisions\":");
	decisions_json(k->p, &b);
	buf_puts(&b, "}");
	k->s = b.s;
	k->n = b.n;
}

size_t edict_rules_schema_json(const edict_rules *rules, char *buf, size_t size)
{
	return rules_text(rules, schema_body, buf, size);
}
