/*
 * layout.c - the canonical layout of rule text (layout.h), for `edict fmt`
 * and the language server's formatting.
 *
 * The method is gofmt's: work from the token stream, not the tree.  The
 * scanner (parse_tokens) gives every token with its place; the text between
 * two tokens holds only white space and comments, so the comments and the
 * writer's line breaks are read from those gaps.  The layout keeps the
 * writer's line breaks (and one blank line of each run of blank lines),
 * and adds the breaks the canonical form asks for: before each declaration
 * (with one blank line, above the comments that belong to it), before each
 * case of a decision, row of a table and dated value of a parameter, and
 * before each citation.  It then computes each line's indentation from a
 * little structure (declarations, their cases, open brackets), the spacing
 * between tokens from their kinds, breaks lines longer than LAYOUT_WIDTH at
 * the loosest operator, and aligns the `then` of one-line table rows and
 * `|` columns.
 *
 * Only the tokens' neighbourhood is looked at, so constructs the layout
 * does not know (new keywords, new operators) are laid out conservatively:
 * an unknown symbol keeps the spacing the writer gave it.  Meaning is never
 * at stake: the result is scanned again and must give exactly the input's
 * tokens and comments, or the text is handed back unchanged with an error.
 */
#include "mem.h"
#include <string.h>

#include "format.h"
#include "layout.h"
#include "parse.h"

/* What a token does in the layout. */
typedef enum Role {
	ROLE_PLAIN,
	ROLE_DECL, /* starts a top-level declaration (or the module line, an import) */
	ROLE_CASE, /* starts a case, a table row or a dated value */
	ROLE_PART, /* starts a dated change of a scale's bracket: `rate from 2025-01-01 = 16%` */
	ROLE_CITE, /* starts a citation: `source` or `assumption` */
	ROLE_LINE  /* starts a line, nothing more: a test's step, a body's brace */
} Role;

/* The declaration a token belongs to, by its keyword. */
typedef enum DeclWord {
	DW_NONE, DW_MODULE, DW_IMPORT, DW_ENUM, DW_RECORD, DW_FACT, DW_PARAM, DW_DECISION,
	DW_FUNCTION, DW_TABLE, DW_CHECK, DW_TEST, DW_OTHER,
	DW_EACH /* `for each x in xs {`: a block of declarations */
} DeclWord;

/* Where a long line may be broken, loosest first. */
typedef enum Break {
	BRK_NONE, BRK_EQ, BRK_THEN, BRK_FOR, BRK_OTHERWISE, BRK_OR, BRK_AND, BRK_COMMA
} Break;

typedef struct Item {
	const char *text;
	size_t len;
	const Token *tok; /* NULL for a comment */
	int nl;           /* line breaks before it: 0, 1, or 2 after a blank line */
	bool trailing;    /* a comment after code on its line */
	bool newer;       /* starts a declaration of a kind the layout does not know */
	bool flush;       /* the keyword after `private`: in the first column if it starts a line */
	int width;        /* in characters */
	bool orig_space;  /* white space before it in the input */
	Role role;
	DeclWord decl;
	int depth;        /* brackets open before it */
	bool annot;       /* a ':' of a type annotation (spaced on both sides) */
	bool block;       /* a brace around a declaration's body (spaced inside, its items a line each) */
	bool spaced;      /* a brace spaced inside: a body, or a table's columns */
	bool group;       /* a brace of a `for each` block: the declarations in it stay declarations, indented */
	bool unary;       /* a '-' that negates */
	Break brk;
	/* computed by lay_lines */
	int indent;       /* for the first item of a line */
	int pad;          /* spaces before it within its line */
	int col;          /* where it starts (0-based), in characters */
} Item;

typedef struct Lay {
	Item *it;
	int n;
} Lay;

/* --------------------------------------------------------- token kinds */

static bool is_text(const Item *x, const char *s)
{
	size_t n = strlen(s);
	return x && x->tok && x->len == n && memcmp(x->text, s, n) == 0;
}

static bool is_word(const Item *x)
{
	char c = x->text[0];
	return x->tok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
}

static bool is_opener(const Item *x) { return x->tok && x->len == 1 && strchr("([{", x->text[0]); }
static bool is_closer(const Item *x) { return x->tok && x->len == 1 && strchr(")]}", x->text[0]); }

/* The keywords of the language as the layout knows them; a word the
 * scanner treats as a keyword but that is not here is a newer one. */
static bool known_keyword(const Item *x)
{
	static const char *const kw[] = {
		"module", "reform", "import", "as", "of", "enum", "record", "fact", "param", "decision", "function",
		"table", "check", "test", "private", "optional", "default", "exception", "when", "then",
		"overrides", "from", "until", "source", "assumption", "hit", "and", "or", "not", "in",
		"is", "known", "unknown", "if", "else", "let", "match", "for", "where", "true", "false",
		"otherwise", "list", "chapter", "heading", "subheading", "hs", "given", "expect",
		"showing", "as_of", "mod", "input", "document", "view", "at", "over", "bracket", "require"};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (is_text(x, kw[i]))
			return true;
	return false;
}

static DeclWord decl_word(const Item *x)
{
	static const struct { const char *w; DeclWord k; } words[] = {
		{"module", DW_MODULE}, {"reform", DW_MODULE}, {"import", DW_IMPORT}, {"enum", DW_ENUM},     {"record", DW_RECORD},
		{"fact", DW_FACT},     {"param", DW_PARAM},   {"decision", DW_DECISION}, {"function", DW_FUNCTION},
		{"table", DW_TABLE},   {"check", DW_CHECK},   {"test", DW_TEST},     {"document", DW_OTHER},
		{"view", DW_OTHER},    {"require", DW_CHECK}};
	if (!x->tok || x->tok->cls != TOK_OTHER)
		return DW_NONE; /* a name, even one written in quotes */
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (is_text(x, words[i].w))
			return words[i].k;
	return DW_NONE;
}

/* The symbols the layout knows how to space; any other keeps the writer's
 * spacing. */
static bool known_symbol(const Item *x)
{
	static const char *const sym[] = {"(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "=", "!=", "<>",
					  "<=", ">=", "<", ">", "+", "-", "*", "/", "|", "=>"};
	for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++)
		if (is_text(x, sym[i]))
			return true;
	return false;
}

static bool known_token(const Item *x)
{
	return x->tok->cls != TOK_OTHER || (is_word(x) && known_keyword(x)) || known_symbol(x);
}

/* A token after which a value has ended (so a '-' after it subtracts). */
static bool ends_value(const Item *x)
{
	return x->tok && (x->tok->cls != TOK_OTHER || is_closer(x) || is_text(x, "true") || is_text(x, "false") ||
			  is_text(x, "unknown") || is_text(x, "as_of") || is_text(x, "known"));
}

static bool starts_value(const Item *x)
{
	return x && x->tok && (x->tok->cls != TOK_OTHER || is_opener(x) || is_text(x, "-"));
}

/* ------------------------------------------------------------- reading */

static void add_item(Lay *l, Item x)
{
	for (size_t k = 0; k < x.len; k++)
		x.width += ((unsigned char)x.text[k] & 0xc0) != 0x80;
	AST_PUSH(l->it, l->n, x);
}

/* The comments and line breaks in the gap src[a, b), which holds only white
 * space and comments (and a byte order mark at the start). */
static void read_gap(Lay *l, const char *src, size_t a, size_t b, int *nl, bool *space)
{
	for (size_t i = a; i < b; i++) {
		char c = src[i];
		int eol = source_eol(src + i, src + b);
		if (eol) {
			++*nl;
			i += (size_t)eol - 1;
		} else if (c == '#') {
			size_t e = (size_t)(source_line_end(src + i, src + b) - src);
			size_t t = e;
			while (t > i && (src[t - 1] == ' ' || src[t - 1] == '\t' || src[t - 1] == '\r'))
				t--;
			Item x = {.text = src + i, .len = t - i, .nl = *nl > 2 ? 2 : *nl};
			x.trailing = l->n > 0 && *nl == 0;
			add_item(l, x);
			*nl = 0;
			i = e - 1;
		}
		*space = true;
	}
}

static Lay *read_items(const char *src, size_t len, const Token *toks, int ntoks)
{
	Lay *l = GC_MALLOC(sizeof *l);
	size_t at = 0;
	for (int i = 0; i <= ntoks; i++) {
		size_t next = i < ntoks ? toks[i].off : len;
		int nl = 0;
		bool space = false;
		read_gap(l, src, at, next, &nl, &space);
		if (i == ntoks)
			break;
		Item x = {.text = src + toks[i].off, .len = toks[i].len, .tok = &toks[i], .orig_space = space};
		x.nl = nl > 2 ? 2 : nl;
		add_item(l, x);
		at = toks[i].off + toks[i].len;
	}
	if (l->n)
		l->it[0].nl = 0;
	return l;
}

/* ------------------------------------------------------------- roles */

/* Whether x starts a case of the declaration it is in, at depth 0. */
static bool starts_case(DeclWord d, const Item *x)
{
	switch (d) {
	case DW_DECISION:
	case DW_FUNCTION: /* a function with cases */
		return is_text(x, "default") || is_text(x, "exception");
	case DW_TABLE:
		return is_text(x, "default") || is_text(x, "when");
	case DW_PARAM:
		return is_text(x, "from");
	default:
		return false;
	}
}

/* A bracket open at some point, for roles and for indentation. */
typedef struct Open {
	int indent;  /* of the line it opened on */
	bool annot;  /* a fact or record body, a function's parameters, a table's columns */
	bool block;  /* a declaration's body */
	bool spaced; /* spaced inside */
} Open;

typedef struct Stack {
	Open *v;
	int n;
} Stack;

static void push(Stack *s, Open o) { AST_PUSH(s->v, s->n, o); }
static const Open *top(const Stack *s) { return s->n ? &s->v[s->n - 1] : NULL; }
static void pop(Stack *s)
{
	if (s->n) /* a closer of another kind (a range like [1..5)) closes it too */
		s->n--;
}

/* A dated value a test gives a fact over time (`from DATE = value`): on a
 * line of its own, under its `given`. */
static bool is_dated_given(const Item *x)
{
	return x->decl == DW_TEST && x->depth == 1 && is_text(x, "from");
}

/* The steps of a test, and what a declaration's body holds between its
 * braces, start their own lines. */
static bool on_own_line(const Lay *l, int i, const Open *t, DeclWord decl)
{
	const Item *x = &l->it[i];
	if (!t || !t->block)
		return false;
	if (is_closer(x))
		return !(i > 0 && is_text(&l->it[i - 1], "{"));
	if (i > 0 && is_text(&l->it[i - 1], "{") && l->it[i - 1].block)
		return true;
	return decl == DW_TEST && x->depth == 1 &&
	       (is_text(x, "given") || is_text(x, "expect") || is_text(x, "as") || is_text(x, "from"));
}

/* The state of the walk that marks the tokens. */
typedef struct Walk {
	Stack st;
	DeclWord decl;      /* the declaration being walked */
	bool after_private; /* the token before was `private` */
	bool seen_eq;       /* its `=` (or a case) has been seen */
	bool scale;         /* a parameter with brackets: `from` starts no case */
	int groups;         /* `for each` blocks open */
	const Item *prev;   /* the token before */
} Walk;

/* In a scale, the word of a bracket's dated change: `rate from ...`. */
static bool starts_part(const Lay *l, int i)
{
	const Item *x = &l->it[i];
	return i + 1 < l->n && is_text(&l->it[i + 1], "from") &&
	       (is_text(x, "threshold") || is_text(x, "rate") || is_text(x, "amount"));
}

/* Whether token i is the `for` of a `for each` block. */
static bool starts_each(const Lay *l, int i)
{
	int j = i + 1;
	while (j < l->n && !l->it[j].tok)
		j++;
	return is_text(&l->it[i], "for") && j < l->n && is_text(&l->it[j], "each");
}

/* Token i's role, and the declaration it belongs to. */
static void mark_role(Lay *l, int i, Walk *w)
{
	Item *x = &l->it[i];
	DeclWord kw = decl_word(x);
	bool top_level = w->st.n == 0;
	if (top_level && (is_text(x, "private") || (kw != DW_NONE && !w->after_private))) {
		x->role = ROLE_DECL;
		w->decl = is_text(x, "private") ? DW_OTHER : kw;
		w->seen_eq = false;
		w->scale = false;
	} else if (top_level && w->decl == DW_PARAM && is_text(x, "bracket")) {
		x->role = ROLE_CASE;
		w->scale = w->seen_eq = true;
	} else if (top_level && w->scale && (is_text(x, "from") || starts_part(l, i))) {
		x->role = is_text(x, "from") ? ROLE_PLAIN : ROLE_PART;
	} else if (top_level && starts_each(l, i)) {
		x->role = ROLE_DECL;
		w->decl = DW_EACH;
	} else if (top_level && w->groups && is_text(x, "}")) {
		x->role = ROLE_LINE;
	} else if (top_level && w->after_private) {
		w->decl = kw != DW_NONE ? kw : DW_OTHER;
		x->flush = true;
	} else if (top_level && x->tok->cls == TOK_OTHER && is_word(x) && !known_keyword(x) && x->tok->col == 1) {
		/* a newer kind of declaration, where its writer started it */
		x->role = ROLE_DECL;
		x->newer = true;
		w->decl = DW_OTHER;
		w->seen_eq = false;
	} else if (top_level && starts_case(w->decl, x)) {
		x->role = ROLE_CASE;
		w->seen_eq = true; /* a '=' in a case compares */
	} else if (is_text(x, "source") || is_text(x, "assumption")) {
		x->role = ROLE_CITE;
	} else if (on_own_line(l, i, top(&w->st), w->decl)) {
		x->role = ROLE_LINE;
	}
	w->after_private = x->role == ROLE_DECL && is_text(x, "private");
	x->decl = w->decl;
}

/* Where a long line may break before x. */
static Break break_before(const Item *x, Walk *w)
{
	DeclWord d = w->decl;
	const Item *p = w->prev;
	if (p && w->st.n == 0 && !w->seen_eq && (is_text(p, "=") || (d == DW_CHECK && is_text(p, ":"))) &&
	    (d == DW_DECISION || d == DW_PARAM || d == DW_FUNCTION || d == DW_CHECK)) {
		w->seen_eq = true;
		return BRK_EQ; /* after the `=` of a declaration */
	}
	if (is_text(x, "then") || is_text(x, "else"))
		return BRK_THEN;
	if (is_text(x, "otherwise"))
		return BRK_OTHERWISE;
	if (is_text(x, "or"))
		return BRK_OR;
	if (is_text(x, "and"))
		return BRK_AND;
	if (is_text(x, "for") || is_text(x, "where"))
		return BRK_FOR;
	return p && is_text(p, ",") ? BRK_COMMA : BRK_NONE;
}

/* Open or close a bracket at x: what kind of braces, fields or a body. */
static void mark_bracket(Item *x, Walk *w)
{
	const Open *t = top(&w->st);
	DeclWord d = w->decl;
	bool top_level = w->st.n == 0;
	if (top_level && ((d == DW_EACH && is_text(x, "{")) || (w->groups && is_text(x, "}")))) {
		/* the braces of a `for each` block open no bracket: what they
		 * hold is laid out as declarations */
		x->group = true;
		w->groups += is_text(x, "{") ? 1 : -1;
		w->decl = DW_NONE;
		return;
	}
	if (is_opener(x)) {
		/* a body of a fact, record, test or newer declaration; the
		 * braces of a decision's value hold a record */
		x->block = top_level && x->text[0] == '{' && d != DW_DECISION && d != DW_PARAM && d != DW_FUNCTION &&
			   d != DW_CHECK && d != DW_TABLE && d != DW_ENUM;
		/* a table's output columns are fields, spaced like a body */
		bool columns = top_level && x->text[0] == '{' && d == DW_TABLE;
		bool fields = top_level && ((x->text[0] == '{' && (d == DW_FACT || d == DW_RECORD)) ||
					    (x->text[0] == '(' && (d == DW_FUNCTION || d == DW_TABLE)));
		x->spaced = x->block || columns;
		push(&w->st, (Open){0, columns || fields, x->block, x->spaced});
	} else if (is_closer(x)) {
		x->block = t && t->block;
		x->spaced = t && t->spaced;
		pop(&w->st);
	}
}

/* Mark each token's role, declaration, depth and the breaks it allows. */
static void find_roles(Lay *l)
{
	Walk w = {0};
	for (int i = 0; i < l->n; i++) {
		Item *x = &l->it[i];
		if (!x->tok)
			continue;
		x->depth = w.st.n;
		mark_role(l, i, &w);
		x->unary = is_text(x, "-") && !(w.prev && ends_value(w.prev));
		const Open *t = top(&w.st);
		/* a ':' after a text, or in `source doc: "quote"`, is a citation's
		 * (source doc "Article 4": "..."): written like a label */
		bool quote = i >= 2 && (is_text(&l->it[i - 2], "source") || is_text(&l->it[i - 2], "assumption"));
		x->annot = is_text(x, ":") && w.decl != DW_CHECK && !quote &&
			   !(w.prev && w.prev->tok->cls == TOK_LITERAL) && (t ? t->annot : true);
		x->brk = break_before(x, &w);
		mark_bracket(x, &w);
		w.prev = x;
	}
}

/* ------------------------------------------------------- line breaks */

/* The comments right above item i, on their own lines with no blank line
 * between them and it, belong to it: the first of them, or i itself. */
static int attached_start(const Lay *l, int i)
{
	int s = i;
	while (s > 0 && l->it[s].nl == 1 && !l->it[s - 1].tok && !l->it[s - 1].trailing && (l->it[s - 1].nl >= 1 || s == 1))
		s--;
	return s;
}

static void force_breaks(Lay *l)
{
	DeclWord last = DW_NONE;
	for (int i = 0; i < l->n; i++) {
		Item *x = &l->it[i];
		if (!x->tok)
			continue;
		if (x->role != ROLE_PLAIN && x->nl == 0 && i > 0)
			x->nl = 1;
		if (x->role != ROLE_DECL)
			continue;
		DeclWord w = decl_word(x);
		bool together = w == DW_IMPORT && (last == DW_IMPORT || last == DW_MODULE);
		if (!together && !x->newer) {
			/* one blank line between declarations, above their comments
			 * (none right after the brace of a `for each` block) */
			int s = attached_start(l, i);
			if (s > 0)
				l->it[s].nl = l->it[s - 1].group && is_text(&l->it[s - 1], "{") ? 1 : 2;
			if (s != i)
				x->nl = 1;
		}
		last = w;
	}
}

/* ------------------------------------------------------- indentation */

static int space_before(const Item *p, const Item *x)
{
	if (!x->tok)
		return 2; /* a comment after code */
	if (!known_token(p) || !known_token(x))
		return x->orig_space;
	if (is_text(x, ",") || is_text(x, ";") || is_text(p, ".") || is_text(x, "."))
		return 0;
	if (is_text(p, "(") || is_text(p, "[") || is_text(x, ")") || is_text(x, "]"))
		return 0;
	if (is_text(p, "{"))
		return p->spaced && !is_text(x, "}");
	if (is_text(x, "}"))
		return x->spaced && !is_text(p, "{");
	if (is_text(x, "[") && (p->tok->cls == TOK_NAME || is_closer(p)))
		return x->orig_space; /* an index, or a list after a name: as written */
	if (is_text(x, "("))
		return p->tok->cls != TOK_NAME && !p->unary;
	if (is_text(x, ":"))
		return x->annot;
	if (p->unary)
		return !starts_value(x);
	return 1;
}

/* Indentation and spacing of every item, and its column. */
static void lay_lines(Lay *l)
{
	Stack st = {0};
	int clause = 0, indent = 0, colno = 0, base = 0; /* base: inside `for each` blocks */
	const Item *prev = NULL;
	for (int i = 0; i < l->n; i++) {
		Item *x = &l->it[i];
		bool first = i == 0 || x->nl > 0;
		if (x->group && is_text(x, "}") && base >= 2)
			base -= 2;
		if (first) {
			const Open *t = top(&st);
			if (!x->tok)
				indent = t ? t->indent + 2 : base; /* fixed below when code follows */
			else if (t)
				indent = is_closer(x) ? t->indent : t->indent + (x->role == ROLE_CITE || is_dated_given(x) ? 4 : 2);
			else if (x->role == ROLE_DECL || x->flush || x->group)
				indent = clause = base;
			else if (x->role == ROLE_CASE)
				indent = clause = base + 2;
			else if (x->role == ROLE_PART)
				indent = clause = base + 4;
			else
				indent = clause + 2;
			x->indent = indent;
			x->pad = 0;
			colno = indent;
		} else {
			x->pad = prev ? space_before(prev, x) : 0;
			colno += x->pad;
		}
		x->col = colno;
		colno += x->width;
		if (!x->tok)
			continue;
		if (x->group)
			base += is_text(x, "{") ? 2 : 0;
		else if (is_opener(x))
			push(&st, (Open){indent, false, false, false});
		else if (is_closer(x))
			pop(&st);
		prev = x;
	}
	/* a comment line takes the indentation of the code right below it */
	for (int i = l->n - 1; i >= 0; i--) {
		Item *x = &l->it[i];
		if (x->tok || x->trailing || i + 1 >= l->n || l->it[i + 1].nl != 1 || l->it[i + 1].trailing)
			continue;
		const Item *y = &l->it[i + 1];
		x->indent = y->tok && is_closer(y) ? y->indent + 2 : y->indent;
		x->col = x->indent;
	}
}

/* ---------------------------------------------------- long lines */

/* The end of the line that starts at item s: the first item of the next. */
static int line_end(const Lay *l, int s)
{
	int e = s + 1;
	while (e < l->n && l->it[e].nl == 0)
		e++;
	return e;
}

static int code_width(const Lay *l, int s, int e)
{
	int w = 0;
	for (int i = s; i < e; i++)
		if (l->it[i].tok)
			w = l->it[i].col + l->it[i].width;
	return w;
}

/* The loosest break points of line [s, e): the shallowest, then the
 * loosest kind; false when it has none. */
static bool loosest(const Lay *l, int s, int e, int *depth, Break *kind)
{
	bool any = false;
	for (int i = s + 1; i < e; i++) {
		const Item *x = &l->it[i];
		if (!x->tok || x->brk == BRK_NONE)
			continue;
		if (!any || x->depth < *depth || (x->depth == *depth && x->brk < *kind)) {
			*depth = x->depth;
			*kind = x->brk;
		}
		any = true;
	}
	return any;
}

/* Break the line [s, e) at its loosest break points, filling each piece as
 * far as it goes: before the last point that still starts within the
 * width, or before the first when none does.  A piece is guessed to start
 * two columns in; the next round lays it out for real.  False when the
 * line has no break point. */
static bool break_line(Lay *l, int s, int e)
{
	int depth = 0;
	Break kind = BRK_NONE;
	if (!loosest(l, s, e, &depth, &kind))
		return false;
	int in = l->it[s].col + 2, shift = 0, fit = -1;
	for (int i = s + 1; i < e; i++) {
		Item *x = &l->it[i];
		if (!x->tok || x->depth != depth || x->brk != kind)
			continue;
		if (x->col - shift <= LAYOUT_WIDTH) {
			fit = i;
			continue;
		}
		int at = fit >= 0 ? fit : i;
		l->it[at].nl = 1;
		shift = l->it[at].col - in;
		fit = -1;
		if (at != i && x->col - shift <= LAYOUT_WIDTH) {
			fit = i;
		} else if (at != i) {
			x->nl = 1;
			shift = x->col - in;
		}
	}
	/* the last piece, if it is still too long */
	if (fit >= 0 && code_width(l, s, e) - shift > LAYOUT_WIDTH)
		l->it[fit].nl = 1;
	return true;
}

static void break_long_lines(Lay *l)
{
	for (;;) {
		lay_lines(l);
		bool changed = false;
		/* the columns are stale after a break: lay out again, until no
		 * long line can be broken */
		for (int s = 0, e; s < l->n; s = e) {
			e = line_end(l, s);
			if (code_width(l, s, e) > LAYOUT_WIDTH)
				changed |= break_line(l, s, e);
		}
		if (!changed)
			return;
	}
}

/* ---------------------------------------------------------- alignment */

/* The item of line [s, e) that is the first `then` at the line's own
 * depth, or -1. */
static int row_then(const Lay *l, int s, int e)
{
	if (!is_text(&l->it[s], "when") || l->it[s].decl != DW_TABLE || l->it[s].role != ROLE_CASE)
		return -1;
	for (int i = s + 1; i < e; i++)
		if (is_text(&l->it[i], "then") && l->it[i].depth == l->it[s].depth)
			return i;
	return -1;
}

/* Shift item k and the rest of its line [k, e) right by d. */
static void shift(Lay *l, int k, int e, int d)
{
	if (k == 0 || l->it[k].nl > 0)
		l->it[k].indent += d;
	else
		l->it[k].pad += d;
	for (int i = k; i < e; i++)
		l->it[i].col += d;
}

/* Line up the `then` of the one-line rows of each table, when every row
 * still fits in the line width. */
static void align_tables(Lay *l)
{
	for (int s = 0; s < l->n;) {
		if (!(l->it[s].role == ROLE_DECL && l->it[s].decl == DW_TABLE)) {
			s = line_end(l, s);
			continue;
		}
		int end = line_end(l, s), col = 0, widest = 0;
		while (end < l->n && l->it[end].role != ROLE_DECL)
			end = line_end(l, end);
		for (int r = s; r < end; r = line_end(l, r)) {
			int k = row_then(l, r, line_end(l, r));
			if (k >= 0) {
				col = col > l->it[k].col ? col : l->it[k].col;
				int w = code_width(l, r, line_end(l, r)) - l->it[k].col;
				widest = widest > w ? widest : w;
			}
		}
		if (col + widest <= LAYOUT_WIDTH)
			for (int r = s; r < end; r = line_end(l, r)) {
				int k = row_then(l, r, line_end(l, r));
				if (k >= 0)
					shift(l, k, line_end(l, r), col - l->it[k].col);
			}
		s = end;
	}
}

/* The items of line [s, e) that are `|` at the line's own depth. */
static int bars(const Lay *l, int s, int e, int *at, int max)
{
	int n = 0;
	for (int i = s; i < e && n < max; i++)
		if (is_text(&l->it[i], "|") && l->it[i].depth == l->it[s].depth)
			at[n++] = i;
	return n;
}

/* Line up the `|` of consecutive lines that have the same number of them:
 * the columns of a table written with bars. */
static void align_bars(Lay *l)
{
	enum { MAXB = 64 };
	int at[MAXB], at2[MAXB];
	for (int s = 0; s < l->n;) {
		int n = bars(l, s, line_end(l, s), at, MAXB), e = line_end(l, s), last = s;
		while (n >= 1 && e < l->n && l->it[e].nl == 1 && l->it[e].tok &&
		       bars(l, e, line_end(l, e), at2, MAXB) == n) {
			last = e;
			e = line_end(l, e);
		}
		if (last == s) {
			s = line_end(l, s);
			continue;
		}
		for (int b = 0; b < n; b++) {
			int col = 0;
			for (int r = s; r < e; r = line_end(l, r)) {
				bars(l, r, line_end(l, r), at2, MAXB);
				col = col > l->it[at2[b]].col ? col : l->it[at2[b]].col;
			}
			for (int r = s; r < e; r = line_end(l, r)) {
				bars(l, r, line_end(l, r), at2, MAXB);
				shift(l, at2[b], line_end(l, r), col - l->it[at2[b]].col);
			}
		}
		s = e;
	}
}

/* ---------------------------------------------------------- writing */

static void render(const Lay *l, Buf *b)
{
	for (int i = 0; i < l->n; i++) {
		const Item *x = &l->it[i];
		if (i > 0 && x->nl > 0) {
			buf_add(b, x->nl > 1 ? "\n\n" : "\n", (size_t)(x->nl > 1 ? 2 : 1));
		}
		int spaces = i == 0 || x->nl > 0 ? x->indent : x->pad;
		for (int k = 0; k < spaces; k++)
			buf_add(b, " ", 1);
		buf_add(b, x->text, x->len);
	}
	if (l->n)
		buf_add(b, "\n", 1);
}

/* The output scans to the input's tokens and keeps its comments. */
static bool same_text(const Lay *in, const char *path, const char *text, size_t len)
{
	Source *src = GC_MALLOC(sizeof *src);
	src->path = path;
	src->text = text;
	src->len = len;
	Token *toks;
	int n;
	if (!parse_tokens(src, diag_new(), &toks, &n))
		return false;
	Lay *out = read_items(text, len, toks, n);
	if (out->n != in->n)
		return false;
	for (int i = 0; i < in->n; i++) {
		const Item *a = &in->it[i], *b = &out->it[i];
		if (!a->tok != !b->tok || a->len != b->len || memcmp(a->text, b->text, a->len) != 0 ||
		    (a->tok && a->tok->kind != b->tok->kind))
			return false;
	}
	return true;
}

const char *layout_format(const char *path, const char *text, size_t len, Diags *d, size_t *outlen)
{
	Source *src = GC_MALLOC(sizeof *src);
	src->path = path;
	src->text = text;
	src->len = len;
	int before = d->nerrors;
	Diags *scratch = diag_new();
	(void)parse_module(src, d);
	Token *toks;
	int n;
	if (d->nerrors > before || !parse_tokens(src, scratch, &toks, &n))
		return NULL;
	Lay *l = read_items(text, len, toks, n);
	find_roles(l);
	force_breaks(l);
	break_long_lines(l);
	align_bars(l);
	align_tables(l);
	Buf b = {0};
	render(l, &b);
	if (!same_text(l, path, buf_cstr(&b), b.n)) {
		diag_add(d, SEV_ERROR, (Loc){path, 1, 1, 1, 1},
			 "this file could not be laid out without changing its rules, so it was left as it was");
		return NULL;
	}
	if (outlen)
		*outlen = b.n;
	return buf_cstr(&b);
}
