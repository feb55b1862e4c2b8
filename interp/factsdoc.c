/*
 * factsdoc.c - a facts document built from a host's events (factsdoc.h).
 *
 * Method: a stack of the objects and lists still open, each with the key
 * or index being filled, so that an error names its place as the fact
 * paths do (`company.kpi_reports[2].actual`).  Values become json-c
 * objects exactly as json-c's parser makes them from text: whole numbers
 * that fit 64 bits are ints, larger ones are clamped (the fact reader
 * refuses them with its own message), other numbers keep their text; so
 * the fact reader cannot tell a built document from a parsed one.  The
 * tree is malloc'd by json-c; the stack and texts here are collected.
 */
#include "mem.h"
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "facts.h"
#include "factsdoc.h"
#include "format.h"

#define SHORT_TEXT 64 /* keys and numbers this long are copied into the level, not allocated */
#define MAX_NUMBER 4096 /* characters in a number */

typedef struct Level {
	json_object *obj;
	bool object;
	const char *key; /* objects: the key whose value comes next, or NULL */
	char keybuf[SHORT_TEXT]; /* where key is when it is short */
	size_t index;    /* lists: the index of the next item */
	const char *name; /* where this object or list sits in the one around it: */
	size_t pos;       /* under the key name, or at index pos when name is NULL */
} Level;

struct FactsDoc {
	Level stack[FACTS_MAX_DEPTH];
	int depth;
	json_object *root;
	size_t values;
	const char *err;
};

FactsDoc *fdoc_new(void)
{
	FactsDoc *d = GC_MALLOC(sizeof *d);
	memset(d, 0, sizeof *d);
	return d;
}

void fdoc_discard(FactsDoc *d)
{
	if (d->root)
		json_object_put(d->root);
	/* the levels are written as they open: no need to clear them */
	d->root = NULL;
	d->depth = 0;
	d->values = 0;
	d->err = NULL;
}

const char *fdoc_error(const FactsDoc *d)
{
	return d->err;
}

/* The place being filled, as a fact path ("company.size", "a[2]"), or
 * "the document" at the top. */
static const char *place(const FactsDoc *d, const char *key)
{
	Buf b = {0};
	for (int i = 1; i < d->depth; i++) {
		const Level *l = &d->stack[i];
		if (l->name)
			buf_printf(&b, "%s%s", b.n ? "." : "", l->name);
		else
			buf_printf(&b, "[%zu]", l->pos + 1); /* items count from 1, as in the rules */
	}
	const Level *top = d->depth ? &d->stack[d->depth - 1] : NULL;
	if (!key && top)
		key = top->object ? top->key : NULL;
	if (key) {
		/* a key refused for its UTF-8 is named here too */
		buf_puts(&b, b.n ? "." : "");
		buf_utf8(&b, key, strlen(key));
	}
	else if (top && !top->object)
		buf_printf(&b, "[%zu]", top->index + 1);
	return b.n ? buf_cstr(&b) : "the document";
}

static bool fail(FactsDoc *d, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(FactsDoc *d, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = xvprintf(fmt, ap);
	va_end(ap);
	d->err = xprintf("%s: %s", place(d, key), msg);
	return false;
}

/* Put a new value where the document stands; takes v. */
static bool add(FactsDoc *d, json_object *v)
{
	if (!v)
		return fail(d, NULL, "out of memory");
	if (++d->values > FACTS_MAX_VALUES) {
		json_object_put(v);
		return fail(d, NULL, "invalid facts: the document holds more than %d values (the limit)", FACTS_MAX_VALUES);
	}
	if (d->depth == 0) {
		if (d->root) {
			json_object_put(v);
			return fail(d, NULL, "invalid JSON: a second value after the whole document");
		}
		d->root = v;
		return true;
	}
	Level *l = &d->stack[d->depth - 1];
	if (l->object) {
		if (!l->key) {
			json_object_put(v);
			return fail(d, NULL, "invalid JSON: a value in an object needs a key before it");
		}
		/* the key is new: fdoc_key checked */
		if (json_object_object_add_ex(l->obj, l->key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW) != 0) {
			json_object_put(v);
			return fail(d, NULL, "out of memory");
		}
		l->key = NULL;
		return true;
	}
	if (json_object_array_add(l->obj, v) != 0) {
		json_object_put(v);
		return fail(d, NULL, "out of memory");
	}
	l->index++;
	return true;
}

/* A text or key: within the length limit, valid UTF-8. */
static bool text_ok(FactsDoc *d, const char *key, const char *s, size_t n)
{
	if (n > FACTS_MAX_STRING)
		return fail(d, key, "invalid facts: a text longer than the limit of %d bytes", FACTS_MAX_STRING);
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) { /* most texts are ASCII */
			i++;
			continue;
		}
		size_t k = buf_utf8_len((const unsigned char *)s + i, n - i);
		if (!k)
			return fail(d, key, "invalid JSON: the JSON holds text that is not valid UTF-8");
		i += k;
	}
	return true;
}

/* The start of a host's text for a message: at most 40 of its len bytes
 * (it need not end in a NUL), quoted, as valid UTF-8. */
static const char *quote(const char *text, size_t len)
{
	Buf b = {0};
	buf_json_str(&b, text, len < 40 ? len : 40);
	return buf_cstr(&b);
}

bool fdoc_open(FactsDoc *d, bool object)
{
	if (d->err)
		return false;
	if (d->depth >= FACTS_MAX_DEPTH)
		return fail(d, NULL, "invalid JSON: the JSON is nested more than %d deep", FACTS_MAX_DEPTH);
	json_object *o = object ? json_object_new_object() : json_object_new_array();
	const Level *up = d->depth ? &d->stack[d->depth - 1] : NULL;
	const char *name = up && up->object ? up->key : NULL;
	size_t pos = up ? up->index : 0;
	if (!add(d, o))
		return false;
	Level *l = &d->stack[d->depth++];
	l->obj = o;
	l->object = object;
	l->key = NULL;
	l->index = 0;
	l->name = name;
	l->pos = pos;
	return true;
}

bool fdoc_close(FactsDoc *d)
{
	if (d->err)
		return false;
	if (d->depth == 0)
		return fail(d, NULL, "invalid JSON: a close with nothing open");
	if (d->stack[d->depth - 1].key)
		return fail(d, NULL, "invalid JSON: the key has no value");
	d->depth--;
	return true;
}

bool fdoc_key(FactsDoc *d, const char *key, size_t len)
{
	if (d->err)
		return false;
	Level *l = d->depth ? &d->stack[d->depth - 1] : NULL;
	if (!l || !l->object || l->key)
		return fail(d, NULL, "invalid JSON: a key where a value belongs");
	if (!key)
		return fail(d, NULL, "invalid facts: the key is NULL");
	if (memchr(key, 0, len))
		return fail(d, NULL, FACTS_NUL_KEY, xprintf("the key %s", quote(key, len)));
	/* a short key is kept in the level: most documents allocate none */
	char *k = len < SHORT_TEXT ? l->keybuf : GC_MALLOC_ATOMIC(len + 1);
	memcpy(k, key, len);
	k[len] = 0;
	if (!text_ok(d, k, key, len))
		return false;
	if (json_object_object_get_ex(l->obj, k, NULL))
		return fail(d, k, "invalid facts: the key \"%.60s\" appears twice in one object; keep one", k);
	l->key = k;
	return true;
}

bool fdoc_string(FactsDoc *d, const char *s, size_t len)
{
	if (d->err)
		return false;
	if (!s && len)
		return fail(d, NULL, "invalid facts: the text is NULL");
	if (!text_ok(d, NULL, s ? s : "", len))
		return false;
	return add(d, json_object_new_string_len(s ? s : "", (int)len));
}

/* JSON's number syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * Sets *whole when there is neither fraction nor exponent. */
static bool json_number(const char *s, size_t n, bool *whole)
{
	size_t i = 0;
	*whole = true;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.') {
		*whole = false;
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		*whole = false;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

bool fdoc_number(FactsDoc *d, const char *text, size_t len)
{
	if (d->err)
		return false;
	bool whole;
	if (!text || !json_number(text, len, &whole))
		return fail(d, NULL, "invalid JSON: %s is not a number", quote(text ? text : "", text ? len : 0));
	if (len > MAX_NUMBER)
		return fail(d, NULL, "invalid facts: the number is too long to read: %zu characters, more than %d", len,
			    MAX_NUMBER);
	char buf[SHORT_TEXT];
	char *t = len < SHORT_TEXT ? buf : GC_MALLOC_ATOMIC(len + 1);
	memcpy(t, text, len);
	t[len] = 0;
	if (whole) {
		/* as json-c's own parser: a number that is not negative is read as
		 * unsigned (beyond 64 bits it clamps to the largest), and kept as
		 * unsigned only when it does not fit a signed one; the fact reader
		 * refuses the clamped ones */
		if (t[0] != '-') {
			unsigned long long u = strtoull(t, NULL, 10);
			return add(d, u <= INT64_MAX ? json_object_new_int64((int64_t)u) : json_object_new_uint64(u));
		}
		long long v = strtoll(t, NULL, 10);
		return add(d, json_object_new_int64(v));
	}
	return add(d, json_object_new_double_s(strtod(t, NULL), t));
}

bool fdoc_bool(FactsDoc *d, bool b)
{
	if (d->err)
		return false;
	return add(d, json_object_new_boolean(b));
}

bool fdoc_null(FactsDoc *d)
{
	if (d->err)
		return false;
	/* json-c's null is the NULL pointer: count it, and fill the slot */
	if (++d->values > FACTS_MAX_VALUES)
		return fail(d, NULL, "invalid facts: the document holds more than %d values (the limit)", FACTS_MAX_VALUES);
	if (d->depth == 0) {
		if (d->root)
			return fail(d, NULL, "invalid JSON: a second value after the whole document");
		d->err = "the facts must be a JSON object, like {\"company\": {...}}";
		return false;
	}
	Level *l = &d->stack[d->depth - 1];
	if (l->object) {
		if (!l->key)
			return fail(d, NULL, "invalid JSON: a value in an object needs a key before it");
		if (json_object_object_add_ex(l->obj, l->key, NULL, JSON_C_OBJECT_ADD_KEY_IS_NEW) != 0)
			return fail(d, NULL, "out of memory");
		l->key = NULL;
		return true;
	}
	if (json_object_array_add(l->obj, NULL) != 0)
		return fail(d, NULL, "out of memory");
	l->index++;
	return true;
}

json_object *fdoc_take(FactsDoc *d)
{
	if (d->err)
		return NULL;
	if (!d->root) {
		d->err = "the facts must be a JSON object, like {\"company\": {...}}";
		return NULL;
	}
	if (d->depth) {
		fail(d, NULL, "invalid JSON: the document ends with %d object%s or list%s still open", d->depth,
		     d->depth == 1 ? "" : "s", d->depth == 1 ? "" : "s");
		return NULL;
	}
	json_object *root = d->root;
	d->root = NULL;
	return root;
}
