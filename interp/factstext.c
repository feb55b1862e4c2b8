/*
 * factstext.c - the one-pass reader of facts documents: JSON text straight
 * into the facts' values, with no tree in between.
 *
 * It reads, in one pass over the text and the fact declarations together,
 * the documents that make up nearly every stream, and declines everything
 * else: a syntax error, a value of the wrong kind, an unknown key, a key
 * written with escapes, a \u escape, a number with an exponent or of more
 * than 18 digits, anything deeper than FT_MAX_DEPTH.  A declined document
 * goes to the full reader (facts_read, then facts_load_object over json-c's
 * tree), which refuses it with its own message or accepts it.  So this
 * reader has only to accept no document the full one refuses and to build
 * the same values; every message, and every check (duplicate keys, UTF-8,
 * the limits, exact decimals), stays the full reader's.  Numbers keep their
 * text: a decimal is read from its digits, never through a double.
 */
#include "mem.h"
#include <string.h>

#include "buf.h"
#include "factsint.h"

/* Deeper than this, the full reader decides (it allows FACTS_MAX_DEPTH). */
#define FT_MAX_DEPTH 32
/* Longer numbers, and whole numbers of more digits, go to the full reader
 * (json-c clamps whole numbers beyond 64 bits; 18 digits always fit). */
#define FT_MAX_NUMBER 40
#define FT_MAX_WHOLE_DIGITS 18

typedef struct Rd {
	const char *s;   /* the next byte */
	const char *end; /* the end of the text */
	const Program *p;
	size_t values; /* values read so far */
	int depth;
	MemRegion *texts; /* where its texts go (recycling), else NULL */
} Rd;

/* A piece of text: in the document, or decoded into collected memory. */
typedef struct Span {
	const char *s;
	size_t n;
} Span;

static inline bool is_ws(char ch)
{
	return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t';
}

static inline void skip_ws(Rd *r)
{
	while (r->s < r->end && (unsigned char)*r->s <= ' ' && is_ws(*r->s))
		r->s++;
}

/* The next byte after white space is ch: step over it. */
static inline bool eat(Rd *r, char ch)
{
	skip_ws(r);
	if (r->s < r->end && *r->s == ch) {
		r->s++;
		return true;
	}
	return false;
}

/* What may follow a number or a literal. */
static inline bool ends_token(const Rd *r, const char *s)
{
	return s == r->end || is_ws(*s) || *s == ',' || *s == ']' || *s == '}';
}

/* The literal w (true, false, null) at r->s. */
static bool word(Rd *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->s) < n || memcmp(r->s, w, n) != 0 || !ends_token(r, r->s + n))
		return false;
	r->s += n;
	return true;
}

/* Copy the text between start and end, decoding its escapes (\u excepted:
 * the caller has declined those). */
static Span unescape(const char *start, const char *end)
{
	char *d = GC_MALLOC_ATOMIC((size_t)(end - start) + 1);
	size_t k = 0;
	for (const char *s = start; s < end; s++) {
		if (*s != '\\') {
			d[k++] = *s;
			continue;
		}
		char e = *++s;
		d[k++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
	}
	d[k] = 0;
	return (Span){d, k};
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The bytes of w (eight bytes, the first lowest) that end the plain run of
 * a text: a quote, a backslash, a control character, a byte above 127,
 * each marked by its high bit.  Above the first marked byte a plain one
 * may be marked too (a borrow), never below it, so the lowest mark is the
 * first such byte. */
static inline uint64_t special8(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	return (((q - ONES) & ~q) | ((b - ONES) & ~b) | (w - ONES * 0x20) | w) & HIGHS;
}

/* Step over the plain bytes of a text, eight at a time while they last. */
static inline const unsigned char *plain_run(const unsigned char *s, const unsigned char *end)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, m;
	while (end - s >= 8) {
		memcpy(&w, s, 8);
		if ((m = special8(w)) != 0)
			return s + (__builtin_ctzll(m) >> 3);
		s += 8;
	}
#endif
	while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
		s++;
	return s;
}

/* The rest of a text from s, the first byte that is not plain, on (see
 * text): escapes, bytes beyond ASCII, and the checks on them. */
static __attribute__((noinline)) bool text_rest(Rd *r, const unsigned char *s, Span *out, bool decode)
{
	const unsigned char *end = (const unsigned char *)r->end;
	const char *start = r->s;
	bool escaped = false;
	for (;;) {
		if (s >= end || *s < 0x20)
			return false;
		if (*s == '"')
			break;
		if (*s == '\\') {
			if (!decode || end - s < 2 || !strchr("\"\\/bfnrt", s[1]) || !s[1])
				return false;
			escaped = true;
			s += 2;
		} else {
			size_t k = buf_utf8_len(s, (size_t)(end - s));
			if (!k)
				return false;
			s += k;
		}
		s = plain_run(s, end);
	}
	if ((size_t)((const char *)s - start) >= FACTS_MAX_STRING)
		return false;
	r->s = (const char *)s + 1;
	*out = escaped ? unescape(start, (const char *)s) : (Span){start, (size_t)((const char *)s - start)};
	return true;
}

/* A text, its opening quote already read.  Declines control characters,
 * bytes that are not UTF-8 (RFC 3629), \u escapes, escapes at all unless
 * decode, and texts of FACTS_MAX_STRING bytes or more.  A text of plain
 * bytes (nearly every one) is taken here; the rest by text_rest. */
static inline bool text(Rd *r, Span *out, bool decode)
{
	const unsigned char *s = plain_run((const unsigned char *)r->s, (const unsigned char *)r->end);
	size_t n = (size_t)((const char *)s - r->s);
	if (s >= (const unsigned char *)r->end || *s != '"' || n >= FACTS_MAX_STRING)
		return text_rest(r, s, out, decode);
	*out = (Span){r->s, n};
	r->s = (const char *)s + 1;
	return true;
}

/* A number in the plain form -?(0|[1-9][0-9]*)(.[0-9]+)?, at most
 * FT_MAX_NUMBER bytes; *frac says whether it has a fraction. */
static bool number(Rd *r, Span *out, bool *frac)
{
	const char *s = r->s, *start = s;
	if (s < r->end && *s == '-')
		s++;
	const char *digits = s;
	while (s < r->end && *s >= '0' && *s <= '9')
		s++;
	if (s == digits || (*digits == '0' && s - digits > 1))
		return false;
	*frac = s < r->end && *s == '.';
	if (*frac) {
		const char *f = ++s;
		while (s < r->end && *s >= '0' && *s <= '9')
			s++;
		if (s == f)
			return false;
	}
	if (!ends_token(r, s) || s - start > FT_MAX_NUMBER || (!*frac && s - digits > FT_MAX_WHOLE_DIGITS))
		return false;
	*out = (Span){start, (size_t)(s - start)};
	r->s = s;
	return true;
}

static bool value(Rd *r, const Type *t, const Path *path, const Tmpl *tm, Rec *reuse, Value *out);

static bool whole(Rd *r, Value *out)
{
	Span x;
	bool frac;
	if (!number(r, &x, &frac) || frac)
		return false;
	bool neg = x.s[0] == '-';
	int64_t v = 0;
	for (size_t i = neg; i < x.n; i++)
		v = v * 10 + (x.s[i] - '0');
	*out = val_int(neg ? -v : v);
	return true;
}

/* A decimal, from a JSON number or a text.  A whole number is read as
 * json-c writes it back ("-0" as "0"), as the full reader reads it. */
static bool decimal(Rd *r, Value *out)
{
	Span x;
	Dec d;
	if (*r->s == '"') {
		r->s++;
		if (!text(r, &x, true) || dec_parse(x.s, x.n, &d) != DEC_OK)
			return false;
	} else {
		bool frac;
		if (!number(r, &x, &frac))
			return false;
		if (!frac && x.n == 2 && x.s[0] == '-' && x.s[1] == '0')
			x = (Span){"0", 1};
		if (dec_parse_json(x.s, x.n, &d) != DEC_OK)
			return false;
	}
	*out = val_dec(V_DEC, d, 0);
	return true;
}

/* Money, a percentage, a date, a duration, a tariff code: a text. */
static bool scalar(Rd *r, const Type *t, Value *out)
{
	Span x;
	if (*r->s != '"')
		return false;
	r->s++;
	if (!text(r, &x, true) || (x.n && (is_ws(x.s[0]) || is_ws(x.s[x.n - 1]))))
		return false;
	return facts_scalar(t, x.s, x.n, out) == 0;
}

/* The name s (NUL-terminated) is the text k. */
static inline bool named(const char *s, Span k)
{
	return s[0] == k.s[0] && strncmp(s, k.s, k.n) == 0 && s[k.n] == 0;
}

static bool member(Rd *r, const Type *t, Value *out)
{
	Span x;
	if (*r->s != '"')
		return false;
	r->s++;
	if (!text(r, &x, true) || !x.n)
		return false;
	for (int i = 0; i < t->def->nmembers; i++)
		if (named(t->def->members[i], x)) {
			if (t->def->member_types && t->def->member_types[i])
				return false; /* a member that carries a value: the full reader says what to write */
			*out = val_enum(t->def->id, i);
			return true;
		}
	return false;
}

static bool list(Rd *r, const Type *t, const Path *path, Value *out)
{
	if (*r->s != '[' || ++r->depth > FT_MAX_DEPTH)
		return false;
	r->s++;
	Value here[16];
	Value *items = here;
	size_t n = 0, cap = sizeof here / sizeof here[0];
	if (!eat(r, ']')) {
		do {
			if (n == cap) {
				Value *more = GC_MALLOC(sizeof(Value) * cap * 2);
				memcpy(more, items, sizeof(Value) * n);
				items = more;
				cap *= 2;
			}
			Path ip = {path, NULL, n};
			if (!value(r, t->elem, &ip, NULL, NULL, &items[n]))
				return false;
			n++;
		} while (eat(r, ','));
		if (!eat(r, ']'))
			return false;
	}
	r->depth--;
	List *l = val_list_new((uint32_t)n);
	if (n)
		memcpy(l->items, items, sizeof(Value) * n);
	*out = val_list(l);
	return true;
}

/* The slot of the field named k: the one after the last found first
 * (documents usually list fields in the schema's order). */
static int field_slot(const TypeDef *td, Span k, int guess)
{
	if (guess < td->nfields && named(td->fields[guess].name, k))
		return guess;
	for (int i = 0; i < td->nfields; i++)
		if (named(td->fields[i].name, k))
			return i;
	return -1;
}

/* A key and its colon; keys with escapes are declined. */
static bool key(Rd *r, Span *k)
{
	return eat(r, '"') && text(r, k, false) && k->n && eat(r, ':');
}

/* One field of a record into rec; seen[slot]: 1 given as null, FACTS_GIVEN
 * given. */
static bool field(Rd *r, const TypeDef *td, const Path *path, const Tmpl *tm, Value rec, unsigned char *seen, int *guess)
{
	Span k;
	if (!key(r, &k))
		return false;
	int slot = field_slot(td, k, *guess);
	if (slot < 0 || seen[slot] || !td->fields[slot].type)
		return false;
	*guess = slot + 1 < td->nfields ? slot + 1 : 0;
	skip_ws(r);
	if (r->s < r->end && *r->s == 'n') {
		/* null is the same as leaving the field out */
		seen[slot] = 1;
		r->values++;
		return word(r, "null", 4);
	}
	seen[slot] = FACTS_GIVEN;
	Path fp = {path, td->fields[slot].name, 0};
	const Tmpl *ftm = tm && tm->field ? tm->field[slot] : NULL;
	return value(r, td->fields[slot].type, &fp, ftm, NULL, &rec.as.r->f[slot]);
}

static bool record(Rd *r, const Type *t, const Path *path, const Tmpl *tm, Rec *reuse, Value *out)
{
	if (*r->s != '{' || ++r->depth > FT_MAX_DEPTH)
		return false;
	r->s++;
	TypeDef *td = t->def;
	Value rec = facts_record_to_fill(td, reuse);
	unsigned char seen_here[FACTS_SEEN_HERE];
	unsigned char *seen = facts_seen(td, seen_here);
	int guess = 0;
	if (!eat(r, '}')) {
		do
			if (!field(r, td, path, tm, rec, seen, &guess))
				return false;
		while (eat(r, ','));
		if (!eat(r, '}'))
			return false;
	}
	r->depth--;
	facts_fill_absent(r->p, td, path, tm, rec, seen);
	*out = rec;
	return true;
}

/* A text of the document as a value: carved from the load's region when
 * there is one (FactsRecycle), else on its own. */
static Value text_value(Rd *r, Span x)
{
	if (!r->texts)
		return val_str(x.s, x.n);
	Value v = {.tag = V_STR};
	v.as.s = val_str_fill(mem_region_alloc(r->texts, sizeof(Str) + x.n + 1), x.s, x.n);
	return v;
}

/* One value of type t at path (white space before it allowed). */
static bool value(Rd *r, const Type *t, const Path *path, const Tmpl *tm, Rec *reuse, Value *out)
{
	skip_ws(r);
	if (r->s >= r->end || ++r->values > FACTS_MAX_VALUES / 2)
		return false;
	if (*r->s == 'n') {
		if (!word(r, "null", 4))
			return false;
		*out = facts_null(r->p, t, path);
		return true;
	}
	Span x;
	switch (t->kind) {
	case TY_BOOL:
		if (word(r, "true", 4)) {
			*out = val_bool(true);
			return true;
		}
		if (word(r, "false", 5)) {
			*out = val_bool(false);
			return true;
		}
		return false;
	case TY_INT: return whole(r, out);
	case TY_DEC: return decimal(r, out);
	case TY_MONEY:
	case TY_PCT:
	case TY_DATE:
	case TY_DUR:
	case TY_HS: return scalar(r, t, out);
	case TY_STR:
		if (*r->s != '"')
			return false;
		r->s++;
		if (!text(r, &x, true))
			return false;
		*out = text_value(r, x);
		return true;
	case TY_ENUM: return member(r, t, out);
	case TY_LIST: return list(r, t, path, out);
	case TY_REC: return record(r, t, path, tm, reuse, out);
	default: return false;
	}
}

/* The document's "id": a whole number or a text, as the full reader's
 * json-c writes it back (so no "-0", no escapes, no slash, which it
 * writes as "\/", only ASCII); anything else is declined. */
static bool id_value(Rd *r, FactsSpan *id)
{
	skip_ws(r);
	const char *start = r->s;
	Span x;
	bool frac;
	r->values++;
	if (start < r->end && *start == '"') {
		r->s++;
		if (!text(r, &x, false))
			return false;
		for (size_t i = 0; i < x.n; i++)
			if (x.s[i] == '/' || (unsigned char)x.s[i] >= 0x7f)
				return false;
	} else if (!number(r, &x, &frac) || frac || (x.n == 2 && x.s[0] == '-' && x.s[1] == '0')) {
		return false;
	}
	*id = (FactsSpan){start, (size_t)(r->s - start)};
	return true;
}

static bool as_of_value(Rd *r, date_t *d)
{
	Span x;
	r->values++;
	return eat(r, '"') && text(r, &x, true) && date_parse(x.s, x.n, d) == 0;
}

static int fact_index(const Program *p, Span k)
{
	for (int i = 0; i < p->nfacts; i++)
		if (named(p->facts[i]->name, k))
			return i;
	return -1;
}

/* One member of the document: a fact, the as-of date or the id.
 * seen: per fact root, then the as-of date, then the id. */
static bool root_member(Rd *r, Ctx *c, FactsRecycle *rc, Rec **made, bool *seen, date_t *as_of, FactsSpan *id)
{
	const Program *p = c->p;
	Span k;
	if (!key(r, &k))
		return false;
	int idx = named("as_of", k) ? p->nfacts : named("id", k) ? p->nfacts + 1 : fact_index(p, k);
	if (idx < 0 || seen[idx])
		return false;
	seen[idx] = true;
	if (idx == p->nfacts)
		return as_of_value(r, as_of);
	if (idx == p->nfacts + 1)
		return id_value(r, id);
	Path rp = {NULL, p->facts[idx]->name, 0};
	Rec *reuse = rc ? rc->spare[idx] : NULL;
	if (!value(r, p->facts[idx]->type, &rp, p->fact_tmpl ? p->fact_tmpl[idx] : NULL, reuse, &c->facts[idx]))
		return false;
	if (made)
		made[idx] = c->facts[idx].tag == V_REC ? c->facts[idx].as.r : NULL;
	return true;
}

/* The whole document, into c's facts. */
static bool document(Rd *r, Ctx *c, FactsRecycle *rc, Rec **made, bool *seen, date_t *as_of, FactsSpan *id)
{
	if (!eat(r, '{'))
		return false;
	facts_clear(c);
	if (!eat(r, '}')) {
		do
			if (!root_member(r, c, rc, made, seen, as_of, id))
				return false;
		while (eat(r, ','));
		if (!eat(r, '}'))
			return false;
	}
	skip_ws(r);
	return r->s == r->end;
}

int facts_load_text(Ctx *c, const char *text, size_t len, FactsRecycle *rc, FactsSpan *id)
{
	const Program *p = c->p;
	size_t nf = (size_t)p->nfacts;
	*id = (FactsSpan){NULL, 0};
	if (len > FACTS_MAX_BYTES)
		return ST_FACTS;
	Rd r = {text, text + len, p, 0, 0, NULL};
	int side = rc && rc->texts_in == 0 ? 1 : 0;
	if (rc) { /* the texts of the load before last go */
		MemRegion *t = &rc->texts[side];
		(void)mem_region_rewind(t, t->chunk ? t->end - t->chunk : NULL);
		r.texts = t;
	}
	/* a byte order mark may open a document, as for the full reader */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r.s += 3;
	Value saved_here[16];
	Rec *made_here[16];
	bool seen_here[18];
	bool small = nf <= 16;
	Value *saved = small ? saved_here : GC_MALLOC(sizeof(Value) * nf);
	Rec **made = !rc ? NULL : small ? made_here : GC_MALLOC(sizeof(Rec *) * nf);
	bool *seen = small ? seen_here : GC_MALLOC_ATOMIC(nf + 2);
	memcpy(saved, c->facts, sizeof(Value) * nf);
	memset(seen, 0, nf + 2);
	if (made)
		memset(made, 0, sizeof(Rec *) * nf);
	date_t as_of = c->as_of;
	if (!document(&r, c, rc, made, seen, &as_of, id)) {
		memcpy(c->facts, saved, sizeof(Value) * nf); /* declined: as before */
		*id = (FactsSpan){NULL, 0};
		return ST_FACTS;
	}
	c->as_of = as_of;
	if (rc) {
		facts_recycle_swap(p, rc, made);
		rc->texts_in = side;
	}
	return ST_OK;
}

/* ------------------------------------------------ both readers, one door */

typedef struct LoadObject {
	Ctx *c;
	json_object *root;
	const char *name;
	const char **err;
	int st;
	const char *text; /* the fast door's: the text */
	size_t len;
} LoadObject;

static void load_object_body(void *ud)
{
	LoadObject *k = ud;
	k->st = facts_load_object(k->c, k->root, k->name, k->err);
}

static void load_text_body(void *ud)
{
	LoadObject *k = ud;
	FactsSpan id;
	k->st = facts_load_text(k->c, k->text, k->len, NULL, &id);
}

int facts_load_json(Ctx *c, const char *text, size_t len, const char *name, const char **err)
{
	/* the fast door first; what it declines, the full reader decides */
	LoadObject fast = {c, NULL, name, err, ST_OK, text, len};
	int thrown = pr_call(load_text_body, &fast);
	pr_pass(thrown);
	if (thrown != ST_OK)
		return thrown;
	if (fast.st == ST_OK)
		return ST_OK;
	json_object *root;
	int st = facts_parse_json(text, len, name, &root, err);
	if (st != ST_OK)
		return st;
	/* json-c's tree is malloc'd: free it even when memory runs out midway */
	LoadObject k = {c, root, name, err, ST_OK, NULL, 0};
	thrown = pr_call(load_object_body, &k);
	json_object_put(root);
	pr_pass(thrown);
	if (thrown != ST_OK)
		return thrown;
	st = k.st;
	if (st != ST_OK)
		*err = xprintf("%s: %s", name, *err);
	return st;
}
