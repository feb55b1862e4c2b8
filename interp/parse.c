/*
 * parse.c - drives the generated scanner and parser for one file.
 *
 * The scanner and parser are generated from grammar/lexer.l and
 * grammar/parser.y with the prefix edict_yy, so a host program's own
 * flex/bison parser never clashes with ours.  A file is parsed first by
 * the parser generated without lookahead correction (quicker); only when
 * that reports something is it parsed again with it, whose messages say
 * exactly what was expected.  The outline scan (parse_outline) reads a
 * file's module line, imports, names and type declarations without
 * parsing, for loads that answer given queries only (load.c).
 */
#include "mem.h"
#include <string.h>

#include "keywords.h"
#include "parse.h"
#include "protect.h"
#include "parser.h"
#include "lexer.h"

void lex_error(struct ParseState *ps, const Loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(ps->diags, SEV_ERROR, *loc, fmt, ap);
	va_end(ap);
	ps->nerrors++;
}

void lex_bad_char(struct ParseState *ps, const Loc *loc, int c)
{
	unsigned char u = (unsigned char)c;
	if (u == 0)
		lex_error(ps, loc, "this file contains a NUL byte, which is not allowed in rule text");
	else if (u >= 0x80)
		lex_error(ps, loc, "unexpected non-ASCII character; outside quoted text, rules use plain letters, digits and symbols");
	else if (u < 0x20 || u == 0x7f)
		lex_error(ps, loc, "unexpected control character (code %d)", u);
	else
		lex_error(ps, loc, "unexpected character '%c'", u);
}

void lex_string_add(struct ParseState *ps, const char *s, size_t n)
{
	if (ps->sbuf.n + n > PARSE_MAX_STRING) {
		if (ps->sbuf.n <= PARSE_MAX_STRING)
			lex_error(ps, &ps->str_loc, "this text is longer than the limit of %d bytes", PARSE_MAX_STRING);
		ps->sbuf.n = PARSE_MAX_STRING + 1; /* report once; keep nothing more */
		return;
	}
	buf_add(&ps->sbuf, s, n);
}

/* Valid UTF-8, without overlong forms or surrogates. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (s[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

void lex_check_utf8(struct ParseState *ps, const Loc *loc, const char *s, size_t n)
{
	if (!utf8_valid((const unsigned char *)s, n))
		lex_error(ps, loc, "this comment is not valid UTF-8; save the file as UTF-8");
}

const char *lex_string_done(struct ParseState *ps, Loc *loc)
{
	Loc full = ps->str_loc;
	full.eline = loc->eline;
	full.ecol = loc->ecol;
	*loc = full;
	if (ps->sbuf.n > PARSE_MAX_STRING)
		return "";
	const char *s = ast_strdup(buf_cstr(&ps->sbuf), ps->sbuf.n);
	if (!utf8_valid((const unsigned char *)s, ps->sbuf.n))
		lex_error(ps, &full, "this text is not valid UTF-8; save the file as UTF-8");
	return s;
}

/* The same grammar without lookahead correction (LAC), generated as
 * edict_yyparse_quick (CMakeLists.txt).  LAC only matters once a syntax
 * error is found: it makes the parser report the tokens really expected
 * there.  On rules without errors both parsers take the same steps, so a
 * file is parsed without it first, and again with it when anything at all
 * was reported. */
int edict_yyparse_quick(yyscan_t scanner, struct ParseState *ps);

/* flex's yy_scan_bytes, with the text copied by memcpy: flex's copies it
 * a byte at a time, some five instructions a byte of a large file. */
static YY_BUFFER_STATE scan_copy(const char *text, size_t len, yyscan_t scanner)
{
	char *buf = GC_MALLOC_ATOMIC(len + 2);
	memcpy(buf, text, len);
	buf[len] = buf[len + 1] = 0; /* the two end-of-buffer marks flex asks for */
	return edict_yy_scan_buffer(buf, len + 2, scanner);
}

/* Parse the part of src that starts at byte `off` (line `line`, column
 * `col`) and runs for len bytes: all of it, or one part of an outline. */
static struct ParseState *parse_part(const Source *src, Diags *diags, int start, size_t off, size_t len, int line, int col,
				     bool lac)
{
	struct ParseState *ps = GC_MALLOC(sizeof *ps);
	ps->src = src;
	ps->diags = diags;
	ps->line = line;
	ps->col = col;
	ps->start = start;
	ps->is_query = start != 0;
	ps->is_given = start == START_GIVEN;
	ps->mod = GC_MALLOC(sizeof(Module));
	ps->mod->src = src;
	yyscan_t scanner;
	if (edict_yylex_init_extra(ps, &scanner) != 0)
		return NULL;
	jmp_buf failed;
	ps->scan_failed = &failed;
	if (setjmp(failed)) {
		/* the scanner's state is the collector's: nothing to free */
		ps->nerrors++;
		return ps;
	}
	YY_BUFFER_STATE buf = scan_copy(src->text + off, len, scanner);
	int rc = lac ? edict_yyparse(scanner, ps) : edict_yyparse_quick(scanner, ps);
	edict_yy_delete_buffer(buf, scanner);
	edict_yylex_destroy(scanner);
	if (rc != 0 && ps->nerrors == 0 && !ps->fatal)
		diag_add(diags, SEV_ERROR, (Loc){src->path, 1, 1, 1, 1}, "this text could not be read as rules");
	if (rc != 0 || ps->fatal)
		ps->nerrors++;
	return ps;
}

_Noreturn void lex_fatal(struct ParseState *ps, const char *msg)
{
	if (strstr(msg, "memory"))
		if (pr_active())
			pr_throw(ST_MEMORY); /* else no one catches out of memory: an error here */
	diag_add(ps->diags, SEV_ERROR, (Loc){ps->src->path, ps->line, ps->col, ps->line, ps->col},
		 "the rules could not be read here (%s)", strstr(msg, "memory") ? "out of memory" : msg);
	longjmp(*ps->scan_failed, 1);
}

static struct ParseState *run_part(const Source *src, Diags *diags, int start, size_t off, size_t len, int line, int col)
{
	int n = diags->n, nerrors = diags->nerrors, nwarnings = diags->nwarnings;
	struct ParseState *ps = parse_part(src, diags, start, off, len, line, col, false);
	if (ps && !ps->nerrors && diags->n == n && diags->nerrors == nerrors && diags->nwarnings == nwarnings)
		return ps;
	/* forget what the quick parse reported: the parse with LAC reports it all */
	diags->n = n;
	diags->nerrors = nerrors;
	diags->nwarnings = nwarnings;
	return parse_part(src, diags, start, off, len, line, col, true);
}

static struct ParseState *run(const Source *src, Diags *diags, int start)
{
	diag_add_source(diags, src);
	return run_part(src, diags, start, 0, src->len, 1, 1);
}

Node *parse_expr(const Source *src, Diags *diags)
{
	struct ParseState *ps = run(src, diags, START_EXPR);
	return ps && !ps->nerrors ? ps->expr : NULL;
}

TestStep *parse_given(const Source *src, Diags *diags)
{
	struct ParseState *ps = run(src, diags, START_GIVEN);
	return ps && !ps->nerrors ? ps->given : NULL;
}

Module *parse_module(const Source *src, Diags *diags)
{
	struct ParseState *ps = run(src, diags, 0);
	return ps ? ps->mod : NULL;
}

/* ------------------------------------------------------------- tokens */

bool parse_tokens(const Source *src, Diags *diags, Token **out, int *n)
{
	diag_add_source(diags, src);
	int before = diags->nerrors;
	struct ParseState *ps = GC_MALLOC(sizeof *ps);
	ps->src = src;
	ps->diags = diags;
	ps->line = ps->col = 1;
	ps->mod = GC_MALLOC(sizeof(Module));
	*out = NULL;
	*n = 0;
	yyscan_t scanner;
	if (edict_yylex_init_extra(ps, &scanner) != 0)
		return false;
	YY_BUFFER_STATE buf = scan_copy(src->text, src->len, scanner);
	EDICT_YYSTYPE val;
	Loc loc;
	int kind;
	while (!ps->fatal && (kind = edict_yylex(&val, &loc, scanner)) != END) {
		long start = source_line_offset(src, loc.line);
		long stop = source_line_offset(src, loc.eline);
		if (start < 0 || stop < 0)
			break;
		Token t = {kind == IDENT || kind == DURUNIT ? TOK_NAME
			   : kind == NUMBER || kind == PERCENT || kind == DATE || kind == STRING || kind == CURRENCY
				   ? TOK_LITERAL
				   : TOK_OTHER,
			   kind, (size_t)start + (size_t)(loc.col - 1), 0, loc.line, loc.col};
		t.len = (size_t)stop + (size_t)loc.ecol - t.off;
		AST_PUSH(*out, *n, t);
	}
	edict_yy_delete_buffer(buf, scanner);
	edict_yylex_destroy(scanner);
	return diags->nerrors == before && !ps->fatal;
}

/* ------------------------------------------------------------ outlines */

/* The words that begin a declaration (or the module line, an import):
 * none of them can appear inside one, so they mark where each ends. */
typedef enum { W_OTHER, W_MODULE, W_IMPORT, W_PRIVATE, W_TYPE, W_NAMED, W_CHECK } Word;

static Word top_word(const char *s, size_t n)
{
	static const Word of_class[] = {[KW_MODULE] = W_MODULE, [KW_IMPORT] = W_IMPORT, [KW_PRIVATE] = W_PRIVATE,
					[KW_TYPE] = W_TYPE,	[KW_NAMED] = W_NAMED,	[KW_CHECK] = W_CHECK};
	if (n < 4 || n > 8 || !strchr("mipefrdtcv", s[0]))
		return W_OTHER;
	int k = kw_find(s, n);
	return k < 0 || kw_table[k].cls == KW_EXPR ? W_OTHER : of_class[kw_table[k].cls];
}

/* What each byte is to the outline scan: 1 a letter or '_', 2 a digit,
 * 3 white space other than a line break, 4 a byte that starts something
 * (a line break, '\n' or '\r', a comment, a text, the '.' of a dotted
 * name); 0 any other (operators, brackets). */
#define LETTERS(a) [a] = 1, [a + 1] = 1, [a + 2] = 1, [a + 3] = 1, [a + 4] = 1, [a + 5] = 1, [a + 6] = 1, \
		   [a + 7] = 1, [a + 8] = 1, [a + 9] = 1, [a + 10] = 1, [a + 11] = 1, [a + 12] = 1
static const unsigned char byte_class[256] = {
	LETTERS('a'), LETTERS('n'), LETTERS('A'), LETTERS('N'), ['_'] = 1,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	[' '] = 3, ['\t'] = 3, ['\r'] = 4, ['\n'] = 4, ['#'] = 4, ['"'] = 4, ['.'] = 4, ['\''] = 4,
};
#undef LETTERS

static bool ident_start(char c) { return byte_class[(unsigned char)c] == 1; }
static bool ident_char(char c) { return byte_class[(unsigned char)c] == 1 || byte_class[(unsigned char)c] == 2; }

/* Where the dotted name being read goes: the module line or an import. */
typedef enum { D_NONE, D_MODULE, D_IMPORT, D_DECL_NAME } Dotted;

/* Past white space, comments and texts in quotes, which hold no words,
 * from i; counts the lines passed. */
static size_t skip_blank(const char *t, size_t n, size_t i, int *line, size_t *line_start)
{
	while (i < n) {
		char c = t[i];
		int eol = source_eol(t + i, t + n);
		if (eol) {
			++*line;
			*line_start = i += (size_t)eol;
		} else if (byte_class[(unsigned char)c] == 3) {
			i++;
		} else if (c == '#') {
			i = (size_t)(source_line_end(t + i, t + n) - t);
		} else if (c == '"') {
			for (i++; i < n && t[i] != '"' && !source_eol(t + i, t + n); i++)
				if (t[i] == '\\' && i + 1 < n) {
					/* the escaped byte, or the line break the escape takes */
					int k = source_eol(t + i + 1, t + n);
					if (k) {
						++*line;
						*line_start = i + 1 + (size_t)k;
					}
					i += k ? (size_t)k : 1;
				}
			if (i < n && t[i] == '"')
				i++;
		} else {
			break;
		}
	}
	return i;
}

/* A type declaration starting: its part of the outline (one after the
 * other, they are parsed in one go), to be closed at the next word. */
static OutlinePart *type_part(Outline *o, OutlinePart part)
{
	OutlinePart *last = o->ntypes ? &o->types[o->ntypes - 1] : NULL;
	if (last && last->off + last->len == part.off)
		return last;
	AST_PUSH(o->types, o->ntypes, part);
	return &o->types[o->ntypes - 1];
}

/* Where parse_outline's scan of a file stands. */
typedef struct OutlineScan {
	const char *t;
	size_t n, i, line_start;
	int line;
	Outline *o;
	Dotted want; /* what the next name is */
	Buf name;
	bool name_open; /* the dotted name can take another '.part' */
	bool after_dot;
	OutlinePart *open; /* the type declaration being read */
	size_t priv_off;   /* a 'private' before the next declaration */
	int priv_line, priv_col;
	bool priv;
} OutlineScan;

/* A name in quotes ('VERY LOW'): a name, never a keyword. */
static void outline_quoted(OutlineScan *s)
{
	const char *t = s->t;
	size_t n = s->n, i = s->i, e = i + 1;
	while (e < n && t[e] != '\'' && !source_eol(t + e, t + n))
		e++;
	if (s->want == D_DECL_NAME && e < n && t[e] == '\'' && e > i + 1) {
		AST_PUSH(s->o->names, s->o->nnames, ast_strdup(t + i + 1, e - i - 1));
		s->want = D_NONE;
	}
	s->i = e < n && t[e] == '\'' ? e + 1 : e;
}

/* The word at the scan (its length in *wl, 0 when none starts there). */
static Word outline_word(const OutlineScan *s, size_t *wl)
{
	*wl = 0;
	if (s->i >= s->n || !ident_start(s->t[s->i]))
		return W_OTHER;
	while (s->i + *wl < s->n && ident_char(s->t[s->i + *wl]))
		(*wl)++;
	return top_word(s->t + s->i, *wl);
}

/* A dotted name (a module's or an import's) ends at anything but '.part'. */
static void outline_end_name(OutlineScan *s, bool dot, size_t wl, Word w)
{
	if (!s->name_open || (dot && !s->after_dot) || (s->after_dot && wl && w == W_OTHER))
		return;
	const char *nm = ast_strdup(buf_cstr(&s->name), s->name.n);
	if (s->want == D_MODULE)
		s->o->module = nm;
	else if (s->want == D_IMPORT)
		AST_PUSH(s->o->imports, s->o->nimports, nm);
	s->name_open = false;
	s->want = D_NONE;
}

/* The type declaration being read ends where the next one starts (at
 * its 'private', if it has one). */
static void outline_close_type(OutlineScan *s)
{
	if (!s->open)
		return;
	size_t end = s->priv ? s->priv_off : s->i;
	s->open->len = end - s->open->off;
	s->open = NULL;
}

/* 'private': where the declaration after it starts. */
static void outline_private(OutlineScan *s)
{
	s->priv = true;
	s->priv_off = s->i;
	s->priv_line = s->line;
	s->priv_col = (int)(s->i - s->line_start) + 1;
}

/* A keyword that starts a declaration, a module or an import: what the
 * name after it is. */
static void outline_keyword(OutlineScan *s, Word w, size_t wl)
{
	if (w == W_TYPE) {
		OutlinePart part = {s->priv ? s->priv_off : s->i, 0, s->priv ? s->priv_line : s->line,
				    s->priv ? s->priv_col : (int)(s->i - s->line_start) + 1};
		s->open = type_part(s->o, part);
	}
	s->priv = false;
	if (w == W_MODULE)
		s->o->reform = wl == 6 && memcmp(s->t + s->i, "reform", 6) == 0;
	s->want = w == W_MODULE ? D_MODULE : w == W_IMPORT ? D_IMPORT : w == W_NAMED ? D_DECL_NAME : D_NONE;
	s->name.n = 0;
	s->after_dot = false;
	s->i += wl;
}

/* Anything but a keyword: a word (a declaration's name, a part of a
 * dotted one), a '.' in a dotted name, or operators and numbers. */
static void outline_other(OutlineScan *s, size_t wl, bool dot)
{
	const char *t = s->t;
	if (wl) {
		if (s->want == D_DECL_NAME) {
			AST_PUSH(s->o->names, s->o->nnames, ast_strdup(t + s->i, wl));
			s->want = D_NONE;
		} else if ((s->want == D_MODULE || s->want == D_IMPORT) && (!s->name_open || s->after_dot)) {
			buf_add(&s->name, t + s->i, wl);
			s->name_open = true;
			s->after_dot = false;
		}
		s->i += wl;
	} else if (dot && s->name_open && !s->after_dot) {
		buf_add(&s->name, ".", 1);
		s->after_dot = true;
		s->i++;
	} else {
		if (s->want != D_NONE && !s->name_open)
			s->want = D_NONE;
		/* nothing to note until a word or something that starts one */
		for (s->i++; s->i < s->n && (byte_class[(unsigned char)t[s->i]] == 0 || byte_class[(unsigned char)t[s->i]] == 2);
		     s->i++)
			;
	}
}

void parse_outline(const Source *src, Outline *o)
{
	memset(o, 0, sizeof *o);
	OutlineScan s = {.t = src->text, .n = src->len, .line = 1, .o = o, .want = D_NONE};
	for (;;) {
		s.i = skip_blank(s.t, s.n, s.i, &s.line, &s.line_start);
		if (s.i < s.n && s.t[s.i] == '\'') {
			outline_quoted(&s);
			continue;
		}
		size_t wl;
		Word w = outline_word(&s, &wl);
		bool dot = s.i < s.n && s.t[s.i] == '.';
		outline_end_name(&s, dot, wl, w);
		if (s.i >= s.n || w != W_OTHER)
			outline_close_type(&s);
		if (s.i >= s.n)
			break;
		if (w == W_PRIVATE) {
			outline_private(&s); /* and on as a word */
		} else if (w != W_OTHER) {
			outline_keyword(&s, w, wl);
			continue;
		}
		outline_other(&s, wl, dot);
	}
}

Module *parse_outline_types(const Source *src, const Outline *o, Diags *diags)
{
	Module *m = GC_MALLOC(sizeof *m);
	m->src = src;
	diag_add_source(diags, src);
	for (int i = 0; i < o->ntypes; i++) {
		const OutlinePart *part = &o->types[i];
		struct ParseState *ps = run_part(src, diags, 0, part->off, part->len, part->line, part->col);
		if (!ps)
			return NULL;
		for (int j = 0; j < ps->mod->ndecls; j++) {
			Decl *d = ps->mod->decls[j];
			d->module = m;
			AST_PUSH(m->decls, m->ndecls, d);
		}
	}
	return m;
}
