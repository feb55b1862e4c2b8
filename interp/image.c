/*
 * image.c - compiled images of a rule set: writing the parsed trees of a
 * rule set's files in a compact binary form, and reading them back with
 * every count, index and offset checked (the format is in image.h).
 *
 * Writing walks the modules once, putting each string once in a string
 * table and each node once in a node table, children first, so that a
 * reader builds the tree in one pass without recursion and checks that
 * every reference points backwards (no cycles) and every node is the
 * child of one parent at most (no shared subtrees that would multiply the
 * checker's work).
 */
#include "mem.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "check.h"
#include "edict.h"
#include "image.h"
#include "load.h"
#include "sha256.h"


/* The reader and writer name every field the parser sets: a field or a
 * kind added to the tree must be added here too (and IMAGE_VERSION
 * raised).  The sizes are those of a 64-bit build. */
_Static_assert(N_SERIES == 28 && D_REQUIRE == 10 && HIT_RULE_ORDER == 10,
	       "a kind was added to the syntax tree: write it in images (image.c) too");
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(Node) == 120 && sizeof(Decl) == 344 && sizeof(TypeDef) == 136 && sizeof(Case) == 168 &&
		       sizeof(Citation) == 96 && sizeof(Field) == 80 && sizeof(TestStep) == 88 && sizeof(Param) == 48 &&
		       sizeof(Module) == 80 && sizeof(Import) == 48 && sizeof(Bracket) == 56 && sizeof(Each) == 96,
	       "a field was added to the syntax tree: write it in images (image.c) too");
#endif

/* ------------------------------------------------------------ build hash */

static void sha_bin(Sha256 *s, unsigned char out[32])
{
	char hex[65];
	sha256_hex(s, hex);
	for (int i = 0; i < 32; i++) {
		int hi = hex[2 * i], lo = hex[2 * i + 1];
		out[i] = (unsigned char)(((hi <= '9' ? hi - '0' : hi - 'a' + 10) << 4) | (lo <= '9' ? lo - '0' : lo - 'a' + 10));
	}
}

/* What makes trees written by one build unreadable by another: the
 * version, the format, the layout of the tree, and when this file was
 * compiled (the build makes it again whenever the grammar changes). */
static void build_hash(unsigned char out[32])
{
	char id[256];
	snprintf(id, sizeof id, "edict %s image %u %s %s node %zu decl %zu kinds %d %d", EDICT_VERSION_STRING, IMAGE_VERSION,
		 __DATE__, __TIME__, sizeof(Node), sizeof(Decl), (int)N_SERIES, (int)D_REQUIRE);
	Sha256 s;
	sha256_init(&s);
	sha256_add(&s, id, strlen(id));
	sha_bin(&s, out);
}

const char *image_build_hash(void)
{
	unsigned char h[32];
	build_hash(h);
	char *hex = GC_MALLOC_ATOMIC(65);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	return hex;
}

/* The last step of the checksum: every bit of h into every bit. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

/* Eight bytes as one word, in the machine's order. */
static inline uint64_t word(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* The payload's checksum, 32 bytes at a step (it finds damage, not
 * attacks: the reader checks every reference anyway).  Each of four lanes
 * takes every fourth word as (lane + word) * an odd constant, a one-to-one
 * step, so a change of any one word always changes its lane; the lanes
 * run side by side, and only the end mixes them. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h0 = 0xcbf29ce484222325ull ^ n, h1 = 0x84222325cbf29ce4ull, h2 = k, h3 = 0xc2b2ae3d27d4eb4full;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		h0 = (h0 + word(p + i)) * k;
		h1 = (h1 + word(p + i + 8)) * k;
		h2 = (h2 + word(p + i + 16)) * k;
		h3 = (h3 + word(p + i + 24)) * k;
	}
	uint64_t r = mix(mix(mix(mix(h0, 0), h1), h2), h3);
	for (; i < n; i++)
		r = (r ^ p[i]) * 0x100000001b3ull;
	return mix(r, n);
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ------------------------------------------------------- pointer maps */

typedef struct PMap {
	const void **keys;
	int *vals;
	size_t cap, n;
} PMap;

static size_t pm_slot(const PMap *m, const void *k)
{
	size_t h = ((uintptr_t)k >> 4) * 0x9e3779b97f4a7c15ull;
	size_t i = h & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void pm_put(PMap *m, const void *k, int v);

static void pm_grow(PMap *m)
{
	PMap old = *m;
	m->cap = old.cap ? old.cap * 2 : 256;
	m->n = 0;
	m->keys = GC_MALLOC(sizeof(void *) * m->cap);
	m->vals = GC_MALLOC_ATOMIC(sizeof(int) * m->cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			pm_put(m, old.keys[i], old.vals[i]);
}

static void pm_put(PMap *m, const void *k, int v)
{
	if ((m->n + 1) * 2 > m->cap)
		pm_grow(m);
	size_t i = pm_slot(m, k);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = k;
	m->vals[i] = v;
}

/* The value for k, or -1. */
static int pm_get(const PMap *m, const void *k)
{
	if (!m->cap)
		return -1;
	size_t i = pm_slot(m, k);
	return m->keys[i] ? m->vals[i] : -1;
}

/* ------------------------------------------------------------- writing */

typedef struct Wr {
	Buf strs, nodes, types, mods;
	int nstrs, nnodes, ntypes;
	const char **str_keys; /* the string table by content: open addressing */
	int *str_vals;
	size_t str_cap;
	PMap node_ix, kid_seen, type_ix; /* per declaration */
	PMap each_ix; /* per module: its `for each` blocks */
	int neach;
	Buf *refs;     /* while a declaration is written: the strings it names, once each */
	PMap ref_seen;
	bool failed;   /* a tree too deep to be a checked one */
	int in_column; /* emitting a column's tree for a cell test */
} Wr;

static void put_u(Buf *b, uint64_t v)
{
	char tmp[10];
	int n = 0;
	do {
		tmp[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	buf_add(b, tmp, (size_t)n);
}

static void put_i(Buf *b, int64_t v)
{
	put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static uint64_t str_hash(const char *s, size_t n)
{
	return checksum((const unsigned char *)s, n);
}

static void str_grow(Wr *w)
{
	const char **ok = w->str_keys;
	int *ov = w->str_vals;
	size_t oc = w->str_cap;
	w->str_cap = oc ? oc * 2 : 512;
	w->str_keys = GC_MALLOC(sizeof(char *) * w->str_cap);
	w->str_vals = GC_MALLOC_ATOMIC(sizeof(int) * w->str_cap);
	for (size_t i = 0; i < oc; i++)
		if (ok[i]) {
			size_t j = str_hash(ok[i], strlen(ok[i])) & (w->str_cap - 1);
			while (w->str_keys[j])
				j = (j + 1) & (w->str_cap - 1);
			w->str_keys[j] = ok[i];
			w->str_vals[j] = ov[i];
		}
}

/* A string's reference, written: 0 for NULL, else its index in the table
 * + 1; while a declaration is written, also noted among its references. */
static void put_ref(Wr *w, Buf *out, int ix)
{
	put_u(out, (uint64_t)ix + 1);
	const void *key = (const void *)((uintptr_t)ix + 1);
	if (w->refs && pm_get(&w->ref_seen, key) < 0) {
		pm_put(&w->ref_seen, key, 1);
		put_u(w->refs, (uint64_t)ix + 1);
	}
}

/* A string's reference.  Texts with a NUL inside (a source's text) are
 * written with their length and never shared. */
static void put_strn(Wr *w, Buf *out, const char *s, size_t n, bool share)
{
	if (!s) {
		put_u(out, 0);
		return;
	}
	size_t j = 0;
	if (share) {
		if ((size_t)(w->nstrs + 1) * 2 > w->str_cap)
			str_grow(w);
		j = str_hash(s, n) & (w->str_cap - 1);
		for (; w->str_keys[j]; j = (j + 1) & (w->str_cap - 1))
			if (strcmp(w->str_keys[j], s) == 0) {
				put_ref(w, out, w->str_vals[j]);
				return;
			}
		w->str_keys[j] = s;
		w->str_vals[j] = w->nstrs;
	}
	put_u(&w->strs, n);
	buf_add(&w->strs, s, n);
	buf_add(&w->strs, "", 1);
	put_ref(w, out, w->nstrs++);
}

static void put_str(Wr *w, Buf *out, const char *s)
{
	put_strn(w, out, s, s ? strlen(s) : 0, true);
}

static void put_loc(Wr *w, Buf *b, Loc l)
{
	put_str(w, b, l.file);
	put_i(b, l.line);
	put_i(b, l.col);
	put_i(b, l.eline);
	put_i(b, l.ecol);
}

static int emit_node(Wr *w, const Node *n, bool as_kid);

/* A node reference: 0 for NULL, else its index + 1. */
static void put_node(Wr *w, Buf *b, const Node *n)
{
	put_u(b, n ? (uint64_t)emit_node(w, n, false) + 1 : 0);
}

/* Put n (its children first) in the node table; a node met again as a
 * child is written again, so that every node has one parent at most. */
static int emit_node(Wr *w, const Node *n, bool as_kid)
{
	int have = pm_get(&w->node_ix, n);
	if (have >= 0 && !(as_kid && pm_get(&w->kid_seen, n) >= 0))
		goto done;
	if (n->depth > CHK_MAX_DEPTH) {
		w->failed = true;
		return 0;
	}
	int *kids = n->nkids ? GC_MALLOC_ATOMIC(sizeof(int) * (size_t)n->nkids) : NULL;
	for (int i = 0; i < n->nkids; i++)
		kids[i] = n->kids[i] ? emit_node(w, n->kids[i], true) + 1 : 0;
	int col = 0; /* the input column a table's cell test reads: a root of its own */
	if (n->column && n->column != n && w->in_column < 2) {
		int c = pm_get(&w->node_ix, n->column);
		w->in_column++;
		col = (c >= 0 ? c : emit_node(w, n->column, false)) + 1;
		w->in_column--;
	}
	Buf *b = &w->nodes;
	put_u(b, (uint64_t)n->kind);
	put_i(b, n->op);
	put_i(b, n->ival);
	put_str(w, b, n->text);
	put_u(b, n->cur);
	put_loc(w, b, n->loc);
	put_i(b, n->depth);
	put_u(b, (uint64_t)(col > 0 ? col : 0));
	put_u(b, (uint64_t)n->nkids);
	for (int i = 0; i < n->nkids; i++)
		put_u(b, (uint64_t)kids[i]);
	have = w->nnodes++;
	pm_put(&w->node_ix, n, have);
done:
	if (as_kid)
		pm_put(&w->kid_seen, n, 1);
	return have;
}

static void put_cites(Wr *w, Buf *b, const Citation *c, int n)
{
	put_u(b, (uint64_t)n);
	for (int i = 0; i < n; i++) {
		put_u(b, c[i].assumption);
		put_str(w, b, c[i].text);
		put_loc(w, b, c[i].loc);
		put_str(w, b, c[i].doc);
		put_str(w, b, c[i].pinpoint);
		put_str(w, b, c[i].quote);
		put_loc(w, b, c[i].quote_loc);
	}
}

static void put_strs(Wr *w, Buf *b, const char *const *s, int n)
{
	put_u(b, (uint64_t)n);
	for (int i = 0; i < n; i++)
		put_str(w, b, s[i]);
}

static void put_locs(Wr *w, Buf *b, const Loc *l, int n)
{
	put_u(b, l ? (uint64_t)n : 0);
	for (int i = 0; l && i < n; i++)
		put_loc(w, b, l[i]);
}

/* A type reference: 0 for NULL, else its index + 1. */
static void put_type(Wr *w, Buf *b, const TypeDef *td)
{
	if (!td) {
		put_u(b, 0);
		return;
	}
	int have = pm_get(&w->type_ix, td);
	if (have < 0) {
		Buf *t = &w->types;
		put_u(t, td->is_enum);
		put_str(w, t, td->name);
		put_strs(w, t, td->members, td->nmembers);
		put_locs(w, t, td->member_locs, td->nmembers);
		put_u(t, td->member_type_nodes != NULL);
		for (int i = 0; td->member_type_nodes && i < td->nmembers; i++)
			put_node(w, t, td->member_type_nodes[i]);
		put_u(t, (uint64_t)td->nfields);
		for (int i = 0; i < td->nfields; i++) {
			const Field *f = &td->fields[i];
			put_str(w, t, f->name);
			put_node(w, t, f->type_node);
			put_u(t, f->optional);
			put_node(w, t, f->dflt);
			put_cites(w, t, f->cites, f->ncites);
			put_loc(w, t, f->loc);
		}
		put_cites(w, t, td->cites, td->ncites);
		put_loc(w, t, td->loc);
		have = w->ntypes++;
		pm_put(&w->type_ix, td, have);
	}
	put_u(b, (uint64_t)have + 1);
}

static void put_case(Wr *w, Buf *b, const Case *c)
{
	put_str(w, b, c->label);
	put_u(b, c->is_default);
	put_node(w, b, c->cond);
	put_node(w, b, c->value);
	put_strs(w, b, c->overrides, c->noverrides);
	put_locs(w, b, c->override_locs, c->noverrides);
	put_str(w, b, c->from);
	put_str(w, b, c->until);
	if (c->from) /* the parser sets a date's place only with the date */
		put_loc(w, b, c->from_loc);
	if (c->until)
		put_loc(w, b, c->until_loc);
	put_cites(w, b, c->cites, c->ncites);
	put_loc(w, b, c->loc);
}

/* A scale's bracket: its dated thresholds, then its dated rates or amounts. */
static void put_bracket(Wr *w, Buf *b, const Bracket *br)
{
	put_u(b, (uint64_t)br->nthresholds);
	for (int i = 0; i < br->nthresholds; i++)
		put_case(w, b, &br->thresholds[i]);
	put_u(b, (uint64_t)br->nvalues);
	for (int i = 0; i < br->nvalues; i++)
		put_case(w, b, &br->values[i]);
	put_loc(w, b, br->loc);
}

static void put_step(Wr *w, Buf *b, const TestStep *s)
{
	put_u(b, (uint64_t)s->kind);
	put_strs(w, b, s->path, s->npath);
	put_node(w, b, s->expr);
	put_str(w, b, s->date);
	put_loc(w, b, s->loc);
}

static void put_decl_body(Wr *w, Buf *b, const Decl *d)
{
	put_u(b, (uint64_t)d->ncases);
	for (int i = 0; i < d->ncases; i++)
		put_case(w, b, &d->cases[i]);
	put_u(b, (uint64_t)d->nbrackets);
	for (int i = 0; i < d->nbrackets; i++)
		put_bracket(w, b, &d->brackets[i]);
	put_u(b, d->is_table);
	put_u(b, (uint64_t)d->hit);
	put_node(w, b, d->hit_order);
	put_u(b, (uint64_t)d->ninputs);
	for (int i = 0; i < d->ninputs; i++)
		put_node(w, b, d->inputs[i]);
	put_u(b, (uint64_t)d->nparams);
	for (int i = 0; i < d->nparams; i++) {
		put_str(w, b, d->params[i].name);
		put_node(w, b, d->params[i].type_node);
		put_loc(w, b, d->params[i].loc);
	}
	put_node(w, b, d->body);
	put_i(b, d->severity);
	put_str(w, b, d->var);
	put_node(w, b, d->over);
	put_node(w, b, d->cond);
	put_node(w, b, d->showing);
	put_u(b, (uint64_t)d->nsteps);
	for (int i = 0; i < d->nsteps; i++)
		put_step(w, b, &d->steps[i]);
}

/* A decision's `for each` block: 0 for none, else its number in the
 * module + 1, the block written whole with the first decision in it. */
static void put_each(Wr *w, Buf *b, const Each *e)
{
	int have = e ? pm_get(&w->each_ix, e) : -1;
	if (!e || have >= 0) {
		put_u(b, e ? (uint64_t)have + 1 : 0);
		return;
	}
	have = w->neach++;
	pm_put(&w->each_ix, e, have);
	put_u(b, (uint64_t)have + 1);
	put_str(w, b, e->var);
	put_loc(w, b, e->var_loc);
	put_node(w, b, e->over);
	put_node(w, b, e->type_node);
	put_loc(w, b, e->loc);
	put_u(b, (uint64_t)e->ndecls);
}

static void put_decl(Wr *w, Buf *b, const Decl *d)
{
	put_u(b, (uint64_t)d->kind);
	put_str(w, b, d->name);
	put_str(w, b, d->qname);
	put_u(b, d->private_);
	put_loc(w, b, d->loc);
	put_node(w, b, d->type_node);
	put_type(w, b, d->def);
	put_i(b, d->fact);
	put_u(b, d->optional);
	put_node(w, b, d->dflt);
	put_decl_body(w, b, d);
	put_str(w, b, d->doc_kind);
	put_loc(w, b, d->doc_kind_loc);
	put_node(w, b, d->entries);
	put_str(w, b, d->view);
	put_each(w, b, d->each);
	put_cites(w, b, d->cites, d->ncites);
}

static void add_buf(Buf *to, const Buf *from)
{
	if (from->n)
		buf_add(to, from->s, from->n);
}

bool image_type_decl(const Decl *d)
{
	return d->kind == D_ENUM || (d->kind == D_RECORD && !d->is_table) || d->kind == D_FACT || d->kind == D_DOCUMENT;
}

/* What a load for some queries does with a declaration (image_choose): a
 * rule or a type is read when something read names it (an enumeration
 * also by a member's name), a test never, anything else always (a fact; a
 * rule in a `for each` block: the block is written with its first rule). */
static ImageRole decl_role(const Decl *d)
{
	if (d->each)
		return IMAGE_ALWAYS;
	if (d->kind == D_TEST)
		return IMAGE_TEST;
	if (image_named_decl(d))
		return IMAGE_NAMED;
	return image_type_decl(d) && d->kind != D_FACT && d->name ? IMAGE_TYPE : IMAGE_ALWAYS;
}

/* The names a declaration is read by (its own, and an enumeration's
 * members), their length in bytes first. */
static void put_names(Wr *w, Buf *b, const Decl *d, ImageRole role)
{
	Buf names = {0};
	if (role == IMAGE_NAMED || role == IMAGE_TYPE) {
		put_str(w, &names, d->name);
		for (int i = 0; d->kind == D_ENUM && d->def && i < d->def->nmembers; i++)
			put_str(w, &names, d->def->members[i]);
	}
	put_u(b, names.n);
	add_buf(b, &names);
}

/* A declaration with its own nodes and types, its length first, so that a
 * reader can pass over it.  Before it: whether it declares a type, its
 * role (with its name for a named rule) and every string it holds, the
 * names it may refer to among them. */
static void put_decl_section(Wr *w, Buf *b, const Decl *d)
{
	PMap none = {0};
	w->node_ix = w->kid_seen = w->type_ix = w->ref_seen = none;
	w->nodes.n = w->types.n = 0;
	w->nnodes = w->ntypes = 0;
	Buf rec = {0}, sec = {0}, refs = {0};
	w->refs = &refs;
	put_decl(w, &rec, d);
	w->refs = NULL; /* the strings it holds, each once */
	put_u(&sec, (uint64_t)w->nnodes);
	add_buf(&sec, &w->nodes);
	put_u(&sec, (uint64_t)w->ntypes);
	add_buf(&sec, &w->types);
	add_buf(&sec, &rec);
	put_u(b, image_type_decl(d));
	ImageRole role = decl_role(d);
	put_u(b, role);
	put_names(w, b, d, role);
	put_u(b, refs.n);
	add_buf(b, &refs);
	put_u(b, sec.n);
	add_buf(b, &sec);
}

/* A module: its outline (name, imports, the names of its rules), then its
 * declarations; its length first. */
static void put_module(Wr *w, Buf *b, const Module *m, int file)
{
	Buf sec = {0};
	PMap none = {0};
	w->each_ix = none;
	w->neach = 0;
	put_str(w, &sec, m->name);
	put_loc(w, &sec, m->name_loc);
	put_u(&sec, m->is_reform);
	put_u(&sec, (uint64_t)file);
	put_u(&sec, (uint64_t)m->nimports);
	for (int i = 0; i < m->nimports; i++) {
		put_str(w, &sec, m->imports[i].name);
		put_str(w, &sec, m->imports[i].alias);
		put_loc(w, &sec, m->imports[i].loc);
	}
	int nnames = 0;
	for (int i = 0; i < m->ndecls; i++)
		nnames += image_named_decl(m->decls[i]);
	put_u(&sec, (uint64_t)nnames);
	for (int i = 0; i < m->ndecls; i++)
		if (image_named_decl(m->decls[i]))
			put_str(w, &sec, m->decls[i]->name);
	put_u(&sec, (uint64_t)m->ndecls);
	for (int i = 0; i < m->ndecls; i++)
		put_decl_section(w, &sec, m->decls[i]);
	put_u(b, sec.n);
	add_buf(b, &sec);
}

bool image_named_decl(const Decl *d)
{
	return (d->kind == D_PARAM || d->kind == D_DECISION || d->kind == D_TABLE || d->kind == D_FUNCTION) && d->name;
}

int64_t image_settled_time(const struct stat *st)
{
	if ((int64_t)time(NULL) - (int64_t)st->st_mtim.tv_sec < 2)
		return 0;
	return image_stamp(st).mtime_ns;
}

ImageDir image_dir_seen(const char *path, const struct stat *st)
{
	int64_t mt = image_settled_time(st);
	return (ImageDir){path, mt, mt ? (uint64_t)st->st_ino : 0};
}

/* What the load that writes the image saw of the rules (ImageWalk):
 * nothing but a 0 when it walked nothing. */
static void put_walk(Wr *w, Buf *b, const ImageWalk *walk)
{
	put_u(b, walk != NULL);
	if (!walk)
		return;
	put_str(w, b, walk->cwd);
	put_u(b, (uint64_t)walk->npaths);
	for (int i = 0; i < walk->npaths; i++)
		put_str(w, b, walk->paths[i]);
	put_u(b, (uint64_t)walk->ndirs);
	for (int i = 0; i < walk->ndirs; i++) {
		put_str(w, b, walk->dirs[i].path);
		put_i(b, walk->dirs[i].mtime_ns);
		put_u(b, walk->dirs[i].ino);
	}
}

/* The file table entry of a module's source: what image_fresh compares.
 * Its time is the one the file had when its text was read, not when the
 * image is written: a change made in between, kept with a time of its
 * own, must not pass for the text the image holds.  A file changed in the
 * two seconds before it was read is compared by content. */
static void put_file(Wr *w, Buf *b, const Source *src, bool std)
{
	put_str(w, b, src->path);
	put_u(b, std);
	put_u(b, (uint64_t)src->len);
	put_i(b, src->mtime_ns);
	Sha256 s;
	sha256_init(&s);
	sha256_add(&s, src->text, src->len);
	unsigned char h[32];
	sha_bin(&s, h);
	buf_add(b, (const char *)h, 32);
	put_strn(w, b, src->text, src->len, false);
}

void image_seal(char *data, size_t len)
{
	if (len < IMAGE_HEADER_BYTES)
		return;
	unsigned char *h = (unsigned char *)data;
	put_le(h + 8, IMAGE_VERSION, 4);
	build_hash(h + 16);
	put_le(h + 80, len - IMAGE_HEADER_BYTES, 8);
	put_le(h + 88, checksum(h + IMAGE_HEADER_BYTES, len - IMAGE_HEADER_BYTES), 8);
}

char *image_encode(Module *const *mods, const bool *stds, int nmods, bool clean, const ImageWalk *walk, size_t *len)
{
	Wr w = {0};
	Buf files = {0};
	Sha256 all;
	sha256_init(&all);
	put_u(&files, (uint64_t)nmods);
	for (int i = 0; i < nmods; i++) {
		put_file(&w, &files, mods[i]->src, stds[i]);
		sha256_add(&all, mods[i]->src->path, strlen(mods[i]->src->path) + 1);
		sha256_add(&all, mods[i]->src->text, mods[i]->src->len);
	}
	put_u(&files, clean);
	put_walk(&w, &files, walk);
	put_u(&w.mods, (uint64_t)nmods);
	for (int i = 0; i < nmods; i++)
		put_module(&w, &w.mods, mods[i], i);
	if (w.failed)
		return NULL;
	Buf out = {0};
	char header[IMAGE_HEADER_BYTES] = {0};
	buf_add(&out, header, sizeof header);
	put_u(&out, (uint64_t)w.nstrs);
	add_buf(&out, &w.strs);
	add_buf(&out, &files);
	add_buf(&out, &w.mods);
	unsigned char *h = (unsigned char *)out.s;
	memcpy(h, IMAGE_MAGIC, 8);
	put_le(h + 8, IMAGE_VERSION, 4);
	put_le(h + 12, IMAGE_HEADER_BYTES, 4);
	sha_bin(&all, h + 48);
	image_seal(out.s, out.n);
	*len = out.n;
	return out.s;
}

/* ------------------------------------------------------------- reading */

struct Image {
	const unsigned char *data;
	size_t len;
	uint32_t *str_off, *str_len; /* each string's offset in data and its length (IMAGE_MAX_BYTES < 4 GiB) */
	int nstrs;
	ImageFile *files;
	int nfiles;
	bool clean; /* written from rules that loaded without a diagnostic */
	bool walked; /* the load that wrote it saw what follows (ImageWalk) */
	const char *cwd;
	const char **paths;
	int npaths;
	ImageDir *dirs;
	int ndirs;
	size_t *mod_off, *mod_len; /* each module's bytes */
	size_t *decls_off;         /* where each module's declarations begin, once its outline is read; else 0 */
};

typedef struct Rd {
	const unsigned char *p, *end;
	const char *err;
	const Image *img;
	Node **nodes; /* the declaration's */
	int nnodes;
	unsigned char *used; /* each node's: referenced by a parent or a part of the declaration */
	Each ***eaches; /* the module's `for each` blocks read so far */
	int *neaches;
	TypeDef **types;
	int ntypes;
} Rd;

static bool rd_fail(Rd *r, const char *why)
{
	if (!r->err)
		r->err = why;
	r->p = r->end;
	return false;
}

static uint64_t rd_u_long(Rd *r);

/* A number: most are below 128, one byte. */
static inline uint64_t rd_u(Rd *r)
{
	if (__builtin_expect(r->p < r->end && *r->p < 0x80, 1))
		return *r->p++;
	return rd_u_long(r);
}

static uint64_t rd_u_long(Rd *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			rd_fail(r, "it ends in the middle of its data (truncated?)");
			return 0;
		}
		unsigned c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	rd_fail(r, "a number in it is too long");
	return 0;
}

static uint64_t rd_max(Rd *r, uint64_t max)
{
	uint64_t v = rd_u(r);
	if (v > max) {
		rd_fail(r, "a number in it is out of range");
		return 0;
	}
	return v;
}

static int64_t rd_i(Rd *r)
{
	uint64_t u = rd_u(r);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static int rd_int(Rd *r)
{
	int64_t v = rd_i(r);
	if (v < INT32_MIN || v > INT32_MAX) {
		rd_fail(r, "a number in it is out of range");
		return 0;
	}
	return (int)v;
}

static bool rd_bool(Rd *r)
{
	return rd_max(r, 1) != 0;
}

/* A count of things that follow: each takes a byte at least. */
static int rd_count(Rd *r)
{
	uint64_t v = rd_u(r);
	if (v > (uint64_t)(r->end - r->p) || v > (1u << 26)) {
		rd_fail(r, "a count in it is larger than the image");
		return 0;
	}
	return (int)v;
}

static const char *rd_str(Rd *r)
{
	uint64_t v = rd_max(r, (uint64_t)r->img->nstrs);
	return v ? (const char *)r->img->data + r->img->str_off[v - 1] : NULL;
}

static Loc rd_loc(Rd *r)
{
	Loc l;
	l.file = rd_str(r);
	l.line = rd_int(r);
	l.col = rd_int(r);
	l.eline = rd_int(r);
	l.ecol = rd_int(r);
	return l;
}

/* An array of n elements with the room the parser's arrays have
 * (ast_grow), so that the checker may append to it as to theirs. */
static void *arr_alloc(int n, size_t elem, bool atomic)
{
	if (n <= 0)
		return NULL;
	size_t cap = 4;
	while (cap < (size_t)n)
		cap *= 2;
	return atomic ? GC_MALLOC_ATOMIC(cap * elem) : GC_MALLOC(cap * elem);
}

static Node *rd_node(Rd *r)
{
	uint64_t v = rd_max(r, (uint64_t)r->nnodes);
	if (!v)
		return NULL;
	/* a tree the checker would visit twice, in two places */
	if (r->used[v - 1])
		rd_fail(r, "a node in it has two parents");
	r->used[v - 1] = 1;
	return r->nodes[v - 1];
}

/* A type as written (the checker's resolve_type): a name, or a list of a
 * type, or (outermost only, as the parser writes it) `T over time`. */
static bool type_tree(const Node *n)
{
	if (n && n->kind == N_SERIES && n->nkids == 1)
		n = n->kids[0];
	for (; n && n->kind == N_LIST; n = n->kids[0])
		if (n->nkids != 1)
			return false;
	return !n || n->text;
}

static Node *rd_type_node(Rd *r)
{
	Node *n = rd_node(r);
	if (!type_tree(n))
		rd_fail(r, "a type in it is not a type's name");
	return n;
}

static TypeDef *rd_type(Rd *r)
{
	uint64_t v = rd_max(r, (uint64_t)r->ntypes);
	return v ? r->types[v - 1] : NULL;
}

static Citation *rd_cites(Rd *r, int *n)
{
	*n = rd_count(r);
	Citation *c = arr_alloc(*n, sizeof *c, false);
	for (int i = 0; i < *n; i++) {
		c[i].assumption = rd_bool(r);
		c[i].text = rd_str(r);
		c[i].loc = rd_loc(r);
		c[i].doc = rd_str(r);
		c[i].pinpoint = rd_str(r);
		c[i].quote = rd_str(r);
		c[i].quote_loc = rd_loc(r);
		if (!c[i].text)
			rd_fail(r, "a citation in it has no text");
	}
	return c;
}

static const char **rd_strs(Rd *r, int *n)
{
	*n = rd_count(r);
	const char **s = arr_alloc(*n, sizeof *s, false);
	for (int i = 0; i < *n; i++)
		s[i] = rd_str(r);
	return s;
}

/* Locations for n things: none, or n. */
static Loc *rd_locs(Rd *r, int n)
{
	int k = rd_count(r);
	if (k != 0 && k != n) {
		rd_fail(r, "a list of places does not match its list");
		return NULL;
	}
	Loc *l = arr_alloc(k, sizeof *l, false);
	for (int i = 0; i < k; i++)
		l[i] = rd_loc(r);
	return l;
}

/* A node's children: earlier nodes only (no cycles), each the child of
 * one node only (no shared subtrees).  Returns the depth below it. */
static int rd_kids(Rd *r, Node *x, int self, unsigned char *used, const int *depth)
{
	x->nkids = rd_count(r);
	x->kids = arr_alloc(x->nkids, sizeof(Node *), false);
	int d = 0;
	for (int j = 0; j < x->nkids; j++) {
		uint64_t k = rd_max(r, (uint64_t)self);
		if (!k)
			continue;
		if (used[k - 1]) {
			rd_fail(r, "a node in it has two parents");
			return 0;
		}
		used[k - 1] = 1;
		x->kids[j] = r->nodes[k - 1];
		if (depth[k - 1] + 1 > d)
			d = depth[k - 1] + 1;
	}
	return d;
}

/* What the parser builds for each kind of node: how many children (max
 * -1: any), how many of the first must be there, whether it has a text.
 * The checker relies on it, so a tree of another shape is refused. */
static const struct Shape {
	signed char min, max, need, text;
} shapes[] = {
	[N_BOOL] = {0, 0, 0, 0},     [N_NUMBER] = {0, 0, 0, 1}, [N_PERCENT] = {0, 0, 0, 1},  [N_MONEY] = {0, 0, 0, 1},
	[N_DATE] = {0, 0, 0, 1},     [N_DURATION] = {0, 0, 0, 1}, [N_STRING] = {0, 0, 0, 1}, [N_HSLIT] = {0, 0, 0, 1},
	[N_UNKNOWN] = {0, 0, 0, 0},  [N_ASOF] = {0, 0, 0, 0},   [N_NAME] = {0, 0, 0, 1},     [N_FIELD] = {1, 1, 1, 1},
	[N_CALL] = {1, -1, 127, 0},   [N_UNARY] = {1, 1, 1, 0},  [N_BINARY] = {2, 2, 2, 0},   [N_IN] = {2, 2, 2, 0},
	[N_IS] = {1, 1, 1, 0},       [N_OTHERWISE] = {2, 2, 2, 0}, [N_IF] = {3, 3, 3, 0},    [N_LET] = {2, 2, 2, 1},
	[N_MATCH] = {1, -1, 127, 0}, [N_ARM] = {1, 2, 2, 0},    [N_LIST] = {0, -1, 127, 0},  [N_RECORD] = {0, -1, 127, 0},
	[N_ENTRY] = {1, 1, 1, 0},    [N_GEN] = {3, 3, 2, 1},    [N_COMP] = {1, 1, 1, 0},
	[N_AT] = {2, 2, 2, 0},       [N_SERIES] = {1, -1, 127, 0},
};

/* The operators the parser writes into a node of each kind. */
static bool op_known(const Node *x)
{
	switch (x->kind) {
	case N_BINARY:
		return x->op > 0 && x->op < 128 && strchr("+-*/=!<l>g&|%^", x->op);
	case N_UNARY: /* not, minus, and a sort key's direction */
		return x->op > 0 && x->op < 128 && strchr("~nad", x->op);
	case N_IN:
		return x->op >= 0 && x->op <= HS_SUBHEADING;
	case N_DURATION:
		return x->op >= 0 && x->op <= 3;
	default:
		return true;
	}
}

static bool shaped(const Node *x)
{
	const struct Shape *s = &shapes[x->kind];
	if (!op_known(x))
		return false;
	if (x->nkids < s->min || (s->max >= 0 && x->nkids > s->max) || (s->text && !x->text))
		return false;
	for (int i = 0; i < x->nkids && i < s->need; i++)
		if (!x->kids[i])
			return false;
	for (int i = 0; i < x->nkids; i++) {
		const Node *k = x->kids[i];
		if ((x->kind == N_MATCH && i > 0 && k->kind != N_ARM) || (x->kind == N_RECORD && k->kind != N_ENTRY) ||
		    (x->kind == N_COMP && k->kind != N_GEN) || (x->kind == N_ARM && i == 1 && k->kind != N_NAME))
			return false;
		/* a record's values are all named, or none (a table row's outputs) */
		if (x->kind == N_RECORD && !k->text != !x->kids[0]->text)
			return false;
		/* dated values: date, value, date, value ... (one kid: a type, `T over time`) */
		if (x->kind == N_SERIES && x->nkids > 1 && (x->nkids % 2 || (i % 2 == 0 && k->kind != N_DATE)))
			return false;
	}
	return true;
}

static bool rd_nodes(Rd *r)
{
	int n = rd_count(r);
	r->nodes = GC_MALLOC(sizeof(Node *) * (size_t)(n + 1));
	r->nnodes = n;
	unsigned char *used = r->used = GC_MALLOC_ATOMIC((size_t)n + 1);
	memset(used, 0, (size_t)n + 1);
	int *depth = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)(n + 1));
	uint64_t *col = GC_MALLOC_ATOMIC(sizeof(uint64_t) * (size_t)(n + 1));
	Node *block = GC_MALLOC(sizeof(Node) * (size_t)(n + 1));
	for (int i = 0; i < n && !r->err; i++) {
		Node *x = r->nodes[i] = &block[i];
		x->kind = (NodeKind)rd_max(r, N_SERIES);
		x->op = rd_int(r);
		x->ival = rd_i(r);
		x->text = rd_str(r);
		x->cur = (uint16_t)rd_max(r, UINT16_MAX);
		x->loc = rd_loc(r);
		x->depth = rd_int(r);
		col[i] = rd_max(r, (uint64_t)n);
		depth[i] = rd_kids(r, x, i, used, depth);
		/* the checker bounds the depth it is told; the real one bounds its recursion */
		if (depth[i] > 4 * CHK_MAX_DEPTH || x->depth < 0)
			rd_fail(r, "a tree in it is deeper than a checked rule's");
		else if (!r->err && !shaped(x))
			rd_fail(r, "an expression in it has a shape the parser never makes");
	}
	for (int i = 0; i < n && !r->err; i++)
		r->nodes[i]->column = col[i] ? r->nodes[col[i] - 1] : NULL;
	return !r->err;
}

static bool rd_types(Rd *r)
{
	int n = rd_count(r);
	r->types = GC_MALLOC(sizeof(TypeDef *) * (size_t)(n + 1));
	r->ntypes = n;
	for (int i = 0; i < n; i++)
		r->types[i] = GC_MALLOC(sizeof(TypeDef));
	for (int i = 0; i < n && !r->err; i++) {
		TypeDef *td = r->types[i];
		td->is_enum = rd_bool(r);
		td->name = rd_str(r);
		td->members = rd_strs(r, &td->nmembers);
		td->member_locs = rd_locs(r, td->nmembers);
		if (rd_bool(r)) {
			td->member_type_nodes = arr_alloc(td->nmembers, sizeof(Node *), false);
			for (int j = 0; j < td->nmembers; j++)
				td->member_type_nodes[j] = rd_type_node(r);
		}
		td->nfields = rd_count(r);
		td->fields = arr_alloc(td->nfields, sizeof(Field), false);
		for (int j = 0; j < td->nfields; j++) {
			Field *f = &td->fields[j];
			f->name = rd_str(r);
			f->type_node = rd_type_node(r);
			f->optional = rd_bool(r);
			f->dflt = rd_node(r);
			f->cites = rd_cites(r, &f->ncites);
			f->loc = rd_loc(r);
			if (!f->name || !f->type_node)
				rd_fail(r, "a field in it has no name or type");
		}
		for (int j = 0; j < td->nmembers; j++)
			if (!td->members[j])
				rd_fail(r, "a member in it has no name");
		td->cites = rd_cites(r, &td->ncites);
		td->loc = rd_loc(r);
	}
	return !r->err;
}

static void rd_case(Rd *r, Case *c)
{
	c->label = rd_str(r);
	c->is_default = rd_bool(r);
	c->cond = rd_node(r);
	c->value = rd_node(r);
	c->overrides = rd_strs(r, &c->noverrides);
	c->override_locs = rd_locs(r, c->noverrides);
	c->from = rd_str(r);
	c->until = rd_str(r);
	if (c->from)
		c->from_loc = rd_loc(r);
	if (c->until)
		c->until_loc = rd_loc(r);
	c->cites = rd_cites(r, &c->ncites);
	c->loc = rd_loc(r);
	bool names = true;
	for (int i = 0; i < c->noverrides; i++)
		names = names && c->overrides[i];
	if (!c->value || (!c->is_default && !c->cond) || !names)
		rd_fail(r, "a case in it lacks what the parser always gives");
}

/* The dated values of one part of a bracket, each labelled with one of
 * the words the parser accepts for that part. */
static Case *rd_bracket_part(Rd *r, int *n, const char *w1, const char *w2)
{
	*n = rd_count(r);
	Case *c = arr_alloc(*n, sizeof(Case), false);
	for (int i = 0; i < *n; i++) {
		rd_case(r, &c[i]);
		const char *l = c[i].label;
		if (!l || (strcmp(l, w1) != 0 && strcmp(l, w2) != 0))
			rd_fail(r, "a bracket in it has a part the parser never makes");
	}
	return c;
}

static void rd_bracket(Rd *r, Bracket *br)
{
	br->thresholds = rd_bracket_part(r, &br->nthresholds, "threshold", "threshold");
	br->values = rd_bracket_part(r, &br->nvalues, "rate", "amount");
	br->loc = rd_loc(r);
}

static void rd_step(Rd *r, TestStep *s)
{
	s->kind = (int)rd_max(r, TS_ASOF);
	s->path = rd_strs(r, &s->npath);
	s->expr = rd_node(r);
	s->date = rd_str(r);
	s->loc = rd_loc(r);
	bool path_ok = s->npath > 0;
	for (int i = 0; i < s->npath; i++)
		path_ok = path_ok && s->path[i];
	if ((s->kind == TS_GIVEN && (!path_ok || !s->expr)) || (s->kind == TS_EXPECT && !s->expr) ||
	    (s->kind == TS_ASOF && !s->date))
		rd_fail(r, "a test step in it lacks what the parser always gives");
}

static void rd_decl_body(Rd *r, Decl *d)
{
	d->ncases = rd_count(r);
	d->cases = arr_alloc(d->ncases, sizeof(Case), false);
	for (int i = 0; i < d->ncases; i++)
		rd_case(r, &d->cases[i]);
	d->nbrackets = rd_count(r);
	d->brackets = arr_alloc(d->nbrackets, sizeof(Bracket), false);
	for (int i = 0; i < d->nbrackets; i++)
		rd_bracket(r, &d->brackets[i]);
	d->is_table = rd_bool(r);
	d->hit = (HitPolicy)rd_max(r, HIT_RULE_ORDER);
	d->hit_order = rd_node(r);
	d->ninputs = rd_count(r);
	d->inputs = arr_alloc(d->ninputs, sizeof(Node *), false);
	for (int i = 0; i < d->ninputs; i++)
		d->inputs[i] = rd_node(r);
	d->nparams = rd_count(r);
	d->params = arr_alloc(d->nparams, sizeof(Param), false);
	for (int i = 0; i < d->nparams; i++) {
		d->params[i].name = rd_str(r);
		d->params[i].type_node = rd_type_node(r);
		d->params[i].loc = rd_loc(r);
		if (!d->params[i].name)
			rd_fail(r, "a parameter in it has no name");
	}
	d->body = rd_node(r);
	d->severity = rd_int(r);
	d->var = rd_str(r);
	d->over = rd_node(r);
	d->cond = rd_node(r);
	d->showing = rd_node(r);
	d->nsteps = rd_count(r);
	d->steps = arr_alloc(d->nsteps, sizeof(TestStep), false);
	for (int i = 0; i < d->nsteps; i++)
		rd_step(r, &d->steps[i]);
}

/* A decision's `for each` block: one read before, or written here whole. */
static Each *rd_each(Rd *r)
{
	uint64_t v = r->neaches ? rd_max(r, (uint64_t)*r->neaches + 1) : 0;
	if (!v || v <= (uint64_t)*r->neaches)
		return v ? (*r->eaches)[v - 1] : NULL;
	Each *e = GC_MALLOC(sizeof *e);
	e->var = rd_str(r);
	e->var_loc = rd_loc(r);
	e->over = rd_node(r);
	e->type_node = rd_type_node(r);
	e->loc = rd_loc(r);
	e->ndecls = rd_int(r);
	if (!e->var || !e->over == !e->type_node)
		rd_fail(r, "a 'for each' block in it names no member, or no list or type");
	AST_PUSH(*r->eaches, *r->neaches, e);
	return e;
}

/* The parameters of a function as the parser gives them: each with a
 * type, or the one member of its `for each` block. */
static bool params_given(const Decl *d)
{
	if (d->each)
		return d->kind == D_FUNCTION && d->nparams == 1 && !d->params[0].type_node &&
		       strcmp(d->params[0].name, d->each->var) == 0;
	for (int i = 0; i < d->nparams; i++)
		if (!d->params[i].type_node)
			return false;
	return true;
}

static void rd_decl_record(Rd *r, Decl *d)
{
	d->kind = (DeclKind)rd_max(r, D_REQUIRE);
	d->name = rd_str(r);
	d->qname = rd_str(r);
	d->private_ = rd_bool(r);
	d->loc = rd_loc(r);
	d->type_node = rd_type_node(r);
	d->def = rd_type(r);
	d->fact = rd_int(r);
	d->optional = rd_bool(r);
	d->dflt = rd_node(r);
	rd_decl_body(r, d);
	d->doc_kind = rd_str(r);
	d->doc_kind_loc = rd_loc(r);
	d->entries = rd_node(r);
	d->view = rd_str(r);
	d->each = rd_each(r);
	d->cites = rd_cites(r, &d->ncites);
	if (!r->err && !params_given(d))
		rd_fail(r, "a parameter in it has no type, or a 'for each' decision has other parameters");
	for (int i = 0; i < d->ninputs; i++)
		if (!d->inputs[i])
			rd_fail(r, "a table's input in it is missing");
	if (!d->name && d->kind != D_CHECK)
		rd_fail(r, "a declaration in it has no name");
	if ((d->kind == D_REQUIRE || d->kind == D_CHECK) && !d->cond)
		rd_fail(r, "a check or requirement in it has no condition");
	if (d->kind == D_FUNCTION && !d->is_table && !d->body == !d->ncases)
		rd_fail(r, "a function in it has no body, or both a body and cases");
	if (d->nbrackets && (d->kind != D_PARAM || !d->type_node))
		rd_fail(r, "brackets in it belong to something other than a parameter with a type");
	if (!d->var != !d->over)
		rd_fail(r, "a check in it names items of nothing");
	bool record = d->entries && d->entries->kind == N_RECORD;
	if ((d->kind == D_DOCUMENT && (!d->doc_kind || !record)) || (d->view && !record))
		rd_fail(r, "a document or view in it has no fields");
	for (int i = 0; record && i < d->entries->nkids; i++)
		if (!d->entries->kids[i]->text) /* written `name: value`, each of them */
			rd_fail(r, "a field of a document or view in it has no name");
	if ((d->kind == D_ENUM || d->kind == D_RECORD) && (!d->def || d->def->is_enum != (d->kind == D_ENUM)))
		rd_fail(r, "a type in it has no members or fields");
}

/* A declaration's section: its nodes, its types, itself, nothing more. */
static Decl *rd_decl(Rd *r, Module *m, size_t len)
{
	Rd s = *r;
	s.end = r->p + len;
	r->p += len;
	Decl *d = GC_MALLOC(sizeof *d);
	d->module = m;
	if (rd_nodes(&s) && rd_types(&s))
		rd_decl_record(&s, d);
	if (!s.err && s.p != s.end)
		rd_fail(&s, "a declaration in it is longer than its contents");
	if (s.err)
		rd_fail(r, s.err);
	return d;
}

/* A module's outline: name, place, file, imports, the names of its rules. */
static Module *rd_outline(Rd *r, Outline *o)
{
	Module *m = GC_MALLOC(sizeof *m);
	memset(o, 0, sizeof *o);
	m->name = o->module = rd_str(r);
	if (!m->name) /* a module read from its file is always named */
		rd_fail(r, "a module in it has no name");
	m->name_loc = rd_loc(r);
	m->is_reform = o->reform = rd_bool(r);
	uint64_t f = rd_max(r, (uint64_t)r->img->nfiles - 1);
	m->src = r->img->files[f].src;
	m->nimports = o->nimports = rd_count(r);
	m->imports = arr_alloc(m->nimports, sizeof(Import), false);
	o->imports = arr_alloc(m->nimports, sizeof(char *), false);
	for (int i = 0; i < m->nimports; i++) {
		o->imports[i] = m->imports[i].name = rd_str(r);
		m->imports[i].alias = rd_str(r);
		m->imports[i].loc = rd_loc(r);
		if (!m->imports[i].name)
			rd_fail(r, "an import in it has no name");
	}
	o->names = rd_strs(r, &o->nnames);
	for (int i = 0; i < o->nnames; i++)
		if (!o->names[i])
			rd_fail(r, "a rule in it has no name");
	return r->err ? NULL : m;
}

static Rd module_reader(const Image *img, int i)
{
	Rd r = {img->data + img->mod_off[i], img->data + img->mod_off[i] + img->mod_len[i], NULL, img, NULL, 0, NULL, 0};
	return r;
}

bool image_outline(const Image *img, int i, Outline *o)
{
	Rd r = module_reader(img, i);
	if (!rd_outline(&r, o))
		return false;
	img->decls_off[i] = (size_t)(r.p - img->data);
	return true;
}

/* Bytes of an image from p to end. */
typedef struct Run {
	const unsigned char *p, *end;
} Run;

/* What comes before a declaration's section (put_decl_section); r is left
 * at the section.  The names and the strings it holds are passed over,
 * read only by image_choose. */
typedef struct DeclHead {
	bool type;
	ImageRole role;
	Run names, refs; /* the names it is read by, the strings it holds */
	size_t len;
} DeclHead;

/* A run of bytes of the length before it (r left after it). */
static Run rd_run(Rd *r)
{
	uint64_t n = rd_u(r);
	if (n > (uint64_t)(r->end - r->p))
		rd_fail(r, "a declaration in it runs past its end");
	Run run = {r->p, r->p + (r->err ? 0 : n)};
	r->p = run.end;
	return run;
}

static bool rd_decl_head(Rd *r, DeclHead *h)
{
	h->type = rd_bool(r);
	h->role = (ImageRole)rd_max(r, IMAGE_TYPE);
	h->names = rd_run(r);
	h->refs = rd_run(r);
	uint64_t len = rd_u(r);
	if (len > (uint64_t)(r->end - r->p))
		rd_fail(r, "a declaration in it runs past its end");
	h->len = (size_t)len;
	return !r->err;
}

Module *image_module(const Image *img, int i, bool types_only, const unsigned char *keep, Diags *d, const char **err)
{
	Rd r = module_reader(img, i);
	Each **eaches = NULL;
	int neaches = 0;
	r.eaches = &eaches;
	r.neaches = &neaches;
	Outline o;
	Module *m = rd_outline(&r, &o);
	int n = rd_count(&r);
	m = r.err ? NULL : m;
	for (int k = 0; k < n && m; k++) {
		DeclHead h;
		if (!rd_decl_head(&r, &h))
			;
		else if ((types_only && !h.type) || (keep && !keep[k]))
			r.p += h.len;
		else
			AST_PUSH(m->decls, m->ndecls, rd_decl(&r, m, h.len));
		if (r.err)
			m = NULL;
	}
	if (m && r.p != r.end)
		rd_fail(&r, "a module in it is longer than its contents"), m = NULL;
	if (!m) {
		*err = r.err;
		return NULL;
	}
	diag_add_source(d, m->src);
	return m;
}

/* ------------------------------------------------ choosing declarations */

/* A declaration a load for some queries may read: of a module they reach,
 * or a type of another. */
typedef struct Entry {
	uint32_t names, names_end, refs, refs_end; /* DeclHead's runs, as offsets in the image */
	int mod, k;
	bool named; /* a rule: a query may name it */
} Entry;

/* One of the names an entry is read by. */
typedef struct Link {
	int entry, next; /* the next link of the same name, or -1 */
} Link;

typedef struct Choice {
	const Image *img;
	Entry *e;
	int n;
	Link *links;
	int nlinks;
	PMap by_name; /* a name (its string in the image) -> its first link */
	unsigned char *kept;
	int *todo, ntodo;
} Choice;

static void keep_entry(Choice *c, int k)
{
	if (!c->kept[k]) {
		c->kept[k] = 1;
		c->todo[c->ntodo++] = k;
	}
}

/* A reader of the strings from offset p to end. */
static Rd strings_reader(const Choice *c, uint32_t p, uint32_t end)
{
	Rd r = {c->img->data + p, c->img->data + end, NULL, c->img, NULL, 0, NULL, 0};
	return r;
}

/* Keep every rule called name (a text from outside); whether there is one. */
static bool keep_called(Choice *c, const char *name)
{
	bool found = false;
	for (int k = 0; k < c->n; k++) {
		Rd r = strings_reader(c, c->e[k].names, c->e[k].names_end);
		const char *s = c->e[k].named ? rd_str(&r) : NULL;
		if (s && strcmp(s, name) == 0) {
			keep_entry(c, k);
			found = true;
		}
	}
	return found;
}

/* Where module i's declarations begin (its outline read once). */
static Rd decls_reader(const Image *img, int i)
{
	Outline o;
	Rd r = module_reader(img, i);
	if (!img->decls_off[i] && !image_outline(img, i, &o))
		rd_fail(&r, "a module's outline is damaged");
	else
		r.p = img->data + img->decls_off[i];
	return r;
}

/* The entries of module i (every declaration of a module in whole, the
 * types of another) into c, which has room for them; false when damaged. */
static bool read_heads(Choice *c, int i, bool whole)
{
	Rd r = decls_reader(c->img, i);
	int n = rd_count(&r);
	for (int k = 0; k < n && !r.err; k++) {
		DeclHead h;
		if (!rd_decl_head(&r, &h))
			break;
		r.p += h.len;
		if (!whole && !h.type)
			continue;
		const unsigned char *at = c->img->data;
		c->e[c->n++] = (Entry){(uint32_t)(h.names.p - at), (uint32_t)(h.names.end - at), (uint32_t)(h.refs.p - at),
				       (uint32_t)(h.refs.end - at), i, k, whole && h.role == IMAGE_NAMED};
		if (h.role == IMAGE_ALWAYS) /* of a module read for its types: a fact */
			keep_entry(c, c->n - 1);
	}
	return !r.err;
}

/* Index every entry by the names it is read by; false when damaged. */
static bool index_names(Choice *c)
{
	for (int k = 0; k < c->n; k++) {
		Rd r = strings_reader(c, c->e[k].names, c->e[k].names_end);
		while (r.p < r.end && !r.err) {
			const char *name = rd_str(&r);
			Link l = {k, name ? pm_get(&c->by_name, name) : -1};
			if (name)
				pm_put(&c->by_name, name, c->nlinks);
			AST_PUSH(c->links, c->nlinks, l);
		}
		if (r.err)
			return false;
	}
	return true;
}

/* Keep what the kept declarations name, until nothing more is named;
 * false when a reference is damaged. */
static bool keep_closure(Choice *c)
{
	while (c->ntodo > 0) {
		const Entry *e = &c->e[c->todo[--c->ntodo]];
		Rd r = strings_reader(c, e->refs, e->refs_end);
		while (r.p < r.end && !r.err) {
			const char *s = rd_str(&r);
			for (int l = s ? pm_get(&c->by_name, s) : -1; l >= 0; l = c->links[l].next)
				keep_entry(c, c->links[l].entry);
		}
		if (r.err)
			return false;
	}
	return true;
}

/* Each module's marks, from the entries' (keep[file][k]). */
static unsigned char **marks(const Choice *c, int nfiles, const int *ndecls)
{
	unsigned char **keep = GC_MALLOC(sizeof(unsigned char *) * (size_t)nfiles);
	for (int i = 0; i < nfiles; i++)
		if (ndecls[i] >= 0)
			keep[i] = GC_MALLOC_ATOMIC((size_t)ndecls[i] + 1);
	for (int k = 0; k < c->n; k++)
		keep[c->e[k].mod][c->e[k].k] = c->kept[k];
	return keep;
}

unsigned char **image_choose(const Image *img, const bool *whole, const char *const *names, int nnames)
{
	if (!img->clean)
		return NULL;
	Choice c = {.img = img};
	int *ndecls = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)img->nfiles), room = 1;
	for (int i = 0; i < img->nfiles; i++) {
		Rd r = img->files[i].std ? module_reader(img, i) : decls_reader(img, i);
		ndecls[i] = img->files[i].std ? -1 : rd_count(&r);
		room += ndecls[i] > 0 ? ndecls[i] : 0;
		if (r.err)
			return NULL;
	}
	c.e = GC_MALLOC(sizeof(Entry) * (size_t)room);
	c.kept = GC_MALLOC_ATOMIC((size_t)room);
	c.todo = GC_MALLOC_ATOMIC(sizeof(int) * (size_t)room);
	for (int i = 0; i < img->nfiles; i++)
		if (!img->files[i].std && !read_heads(&c, i, whole[i]))
			return NULL;
	if (!index_names(&c))
		return NULL;
	for (int q = 0; q < nnames; q++)
		if (!keep_called(&c, names[q]))
			return NULL;
	return keep_closure(&c) ? marks(&c, img->nfiles, ndecls) : NULL;
}

/* The string table: every entry its length, its bytes and a NUL. */
static bool rd_strings(Rd *r, Image *img)
{
	int n = rd_count(r);
	img->str_off = GC_MALLOC_ATOMIC(sizeof(uint32_t) * (size_t)(n + 1));
	img->str_len = GC_MALLOC_ATOMIC(sizeof(uint32_t) * (size_t)(n + 1));
	for (int i = 0; i < n && !r->err; i++) {
		uint64_t len = rd_u(r);
		if (len >= (uint64_t)(r->end - r->p) || r->p[len] != 0)
			return rd_fail(r, "a text in it runs past its end");
		img->str_off[i] = (uint32_t)(r->p - img->data);
		img->str_len[i] = (uint32_t)len;
		r->p += len + 1;
	}
	img->nstrs = n;
	return !r->err;
}

static bool rd_files(Rd *r, Image *img)
{
	int n = rd_count(r);
	if (n == 0)
		return rd_fail(r, "it holds no rule files");
	img->files = GC_MALLOC(sizeof(ImageFile) * (size_t)n);
	img->nfiles = n;
	for (int i = 0; i < n && !r->err; i++) {
		ImageFile *f = &img->files[i];
		Source *src = GC_MALLOC(sizeof *src);
		src->path = rd_str(r);
		f->std = rd_bool(r);
		f->size = rd_u(r);
		f->mtime_ns = src->mtime_ns = rd_i(r);
		if ((size_t)(r->end - r->p) < 32)
			return rd_fail(r, "it ends in the middle of its data (truncated?)");
		memcpy(f->sha, r->p, 32);
		r->p += 32;
		uint64_t t = rd_max(r, (uint64_t)img->nstrs);
		if (r->err)
			break;
		if (!src->path || !t || img->str_len[t - 1] != f->size)
			return rd_fail(r, "a file in it has no name or not its text");
		src->text = (const char *)img->data + img->str_off[t - 1];
		src->len = (size_t)f->size;
		f->src = src;
	}
	return !r->err;
}

/* What the load that wrote the image saw (put_walk). */
static bool rd_walk(Rd *r, Image *img)
{
	img->walked = rd_bool(r);
	if (!img->walked || r->err)
		return !r->err;
	img->cwd = rd_str(r);
	img->npaths = rd_count(r);
	img->paths = GC_MALLOC(sizeof(char *) * ((size_t)img->npaths + 1));
	for (int i = 0; i < img->npaths && !r->err; i++)
		img->paths[i] = rd_str(r);
	img->ndirs = rd_count(r);
	img->dirs = GC_MALLOC(sizeof(ImageDir) * ((size_t)img->ndirs + 1));
	for (int i = 0; i < img->ndirs && !r->err; i++) {
		img->dirs[i].path = rd_str(r);
		img->dirs[i].mtime_ns = rd_i(r);
		img->dirs[i].ino = rd_u(r);
	}
	return !r->err;
}

/* Where each module's bytes are: one module per file, nothing after. */
static bool rd_module_index(Rd *r, Image *img)
{
	int n = rd_count(r);
	if (n != img->nfiles)
		return rd_fail(r, "its modules do not match its files");
	img->mod_off = GC_MALLOC_ATOMIC(sizeof(size_t) * (size_t)n);
	img->mod_len = GC_MALLOC_ATOMIC(sizeof(size_t) * (size_t)n);
	img->decls_off = GC_MALLOC_ATOMIC(sizeof(size_t) * (size_t)n);
	for (int i = 0; i < n && !r->err; i++) {
		uint64_t len = rd_u(r);
		if (len > (uint64_t)(r->end - r->p))
			return rd_fail(r, "a module in it runs past its end");
		img->mod_off[i] = (size_t)(r->p - img->data);
		img->mod_len[i] = (size_t)len;
		r->p += len;
	}
	if (!r->err && r->p != r->end)
		rd_fail(r, "it has bytes after its last module");
	return !r->err;
}

Image *image_open(const char *data, size_t len, const char **err)
{
	const unsigned char *h = (const unsigned char *)data;
	unsigned char want[32];
	*err = NULL;
	if (len < IMAGE_HEADER_BYTES || memcmp(h, IMAGE_MAGIC, 8) != 0)
		*err = "it is not an Edict image (its first bytes are not EDICTIMG)";
	else if (get_le(h + 8, 4) != IMAGE_VERSION)
		*err = "it was written in another version of the image format: compile the rules again";
	else if (build_hash(want), memcmp(h + 16, want, 32) != 0)
		*err = "it was written by another build of edict: compile the rules again";
	else if (get_le(h + 80, 8) != len - IMAGE_HEADER_BYTES)
		*err = "its length is not the length its header gives (truncated?)";
	else if (get_le(h + 88, 8) != checksum(h + IMAGE_HEADER_BYTES, len - IMAGE_HEADER_BYTES))
		*err = "its checksum does not match: the file is damaged";
	if (*err)
		return NULL;
	Image *img = GC_MALLOC(sizeof *img);
	img->data = h;
	img->len = len;
	Rd r = {h + IMAGE_HEADER_BYTES, h + len, NULL, img, NULL, 0, NULL, 0};
	if (!rd_strings(&r, img) || !rd_files(&r, img)) {
		*err = r.err;
		return NULL;
	}
	img->clean = rd_bool(&r);
	if (!rd_walk(&r, img) || !rd_module_index(&r, img)) {
		*err = r.err;
		return NULL;
	}
	return img;
}

const void *image_bytes(const Image *img, size_t *len)
{
	*len = img->len;
	return img->data;
}

int image_nfiles(const Image *img)
{
	return img->nfiles;
}

bool image_clean(const Image *img)
{
	return img->clean;
}

const ImageFile *image_file(const Image *img, int i)
{
	return &img->files[i];
}

FileStamp image_stamp(const struct stat *st)
{
	FileStamp s = {S_ISREG(st->st_mode), (uint64_t)st->st_size,
		       (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec};
	return s;
}

/* Whether the file at f's path still has f's content; seen: its stamp as
 * the caller saw it, or NULL to look at the file now. */
static bool file_same(const ImageFile *f, const FileStamp *seen)
{
	struct stat st;
	FileStamp now;
	if (!seen) {
		if (stat(f->src->path, &st) != 0)
			return false;
		now = image_stamp(&st);
		seen = &now;
	}
	if (!seen->regular || seen->size != f->size)
		return false;
	if (f->mtime_ns != 0 && seen->mtime_ns == f->mtime_ns)
		return true;
	size_t len;
	const char *err;
	char *text = load_file(f->src->path, LOAD_MAX_FILE_BYTES, &len, &err);
	if (!text || len != f->size)
		return false;
	Sha256 s;
	sha256_init(&s);
	sha256_add(&s, text, len);
	unsigned char h[32];
	sha_bin(&s, h);
	return memcmp(h, f->sha, 32) == 0;
}

bool image_fresh(const Image *img, const char *const *paths, const FileStamp *stamps, int npaths)
{
	int k = 0;
	for (int i = 0; i < img->nfiles; i++) {
		const ImageFile *f = &img->files[i];
		const FileStamp *seen = NULL;
		if (!f->std) {
			if (k >= npaths || strcmp(paths[k], f->src->path) != 0)
				return false;
			seen = &stamps[k++];
		}
		if (!file_same(f, seen))
			return false;
	}
	return k == npaths;
}

static bool same_strs(const char *const *a, int na, const char *const *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (!a[i] || strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Whether the directory keeps the time and inode the image saw. */
static bool dir_same(const ImageDir *dir)
{
	struct stat st;
	return dir->path && dir->mtime_ns != 0 && stat(dir->path, &st) == 0 && S_ISDIR(st.st_mode) &&
	       image_stamp(&st).mtime_ns == dir->mtime_ns && (uint64_t)st.st_ino == dir->ino;
}

bool image_fresh_unwalked(const Image *img, const char *cwd, const char *const *paths, int npaths)
{
	if (!img->walked || !img->cwd || strcmp(img->cwd, cwd) != 0 ||
	    !same_strs((const char *const *)img->paths, img->npaths, paths, npaths))
		return false;
	for (int i = 0; i < img->ndirs; i++)
		if (!dir_same(&img->dirs[i]))
			return false;
	for (int i = 0; i < img->nfiles; i++)
		if (!file_same(&img->files[i], NULL))
			return false;
	return true;
}
