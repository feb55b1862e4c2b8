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
 * (a line break, a comment, a text, the '.' of a dotted name); 0 any other
 * (operators, brackets). */
#define LETTERS(a) [a] = 1, [a + 1] = 1, [a + 2] = 1, [a + 3] = 1, [a + 4] = 1, [a + 5] = 1, [a + 6] = 1, \
		   [a + 7] = 1, [a + 8] = 1, [a + 9] = 1, [a + 10] = 1, [a + 11] = 1, [a + 12] = 1
static const unsigned char byte_class[256] = {
	LETTERS('a'), LETTERS('n'), LETTERS('A'), LETTERS('N'), ['_'] = 1,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	[' '] = 3, ['\t'] = 3, ['\r'] = 3, ['\n'] = 4, ['#'] = 4, ['"'] = 4, ['.'] = 4, ['\''] = 4,
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
		if (c == '\n') {
			++*line;
			*line_start = ++i;
		} else if (byte_class[(unsigned char)c] == 3) {
			i++;
		} else if (c == '#') {
			const char *nl = memchr(t + i, '\n', n - i);
			i = nl ? (size_t)(nl - t) : n;
		} else if (c == '"') {
			for (i++; i < n && t[i] != '"' && t[i] != '\n'; i++)
				if (t[i] == '\\' && i + 1 < n) {
					if (t[++i] == '\n') {
						++*line;
						*line_start = i + 1;
					}
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

void parse_outline(const Source *src, Outline *o)
{
	memset(o, 0, sizeof *o);
	const char *t = src->text;
	size_t n = src->len, i = 0, line_start = 0;
	int line = 1;
	Dotted want = D_NONE;
	Buf name = {0};
	bool name_open = false; /* the dotted name can take another '.part' */
	bool after_dot = false;
	OutlinePart *open = NULL; /* the type declaration being read */
	size_t priv_off = 0;
	int priv_line = 0, priv_col = 0;
	bool priv = false;
	for (;;) {
		i = skip_blank(t, n, i, &line, &line_start);
		size_t at = i;
		Word w = W_OTHER;
		size_t wl = 0;
		if (i < n && t[i] == '\'') {
			/* a name in quotes ('VERY LOW'): a name, never a keyword */
			size_t e = i + 1;
			while (e < n && t[e] != '\'' && t[e] != '\n')
				e++;
			if (want == D_DECL_NAME && e < n && t[e] == '\'' && e > i + 1) {
				AST_PUSH(o->names, o->nnames, ast_strdup(t + i + 1, e - i - 1));
				want = D_NONE;
			}
			i = e < n && t[e] == '\'' ? e + 1 : e;
			continue;
		}
		if (i < n && ident_start(t[i])) {
			while (i + wl < n && ident_char(t[i + wl]))
				wl++;
			w = top_word(t + i, wl);
		}
		bool dot = i < n && t[i] == '.';
		/* a dotted name ends at anything but '.part' */
		if (name_open && !(dot && !after_dot) && !(after_dot && wl && w == W_OTHER)) {
			const char *nm = ast_strdup(buf_cstr(&name), name.n);
			if (want == D_MODULE)
				o->module = nm;
			else if (want == D_IMPORT)
				AST_PUSH(o->imports, o->nimports, nm);
			name_open = false;
			want = D_NONE;
		}
		if (i >= n || w != W_OTHER) {
			if (open) {
				size_t end = priv ? priv_off : at;
				open->len = end - open->off;
				open = NULL;
			}
			if (i >= n)
				break;
		}
		if (w == W_PRIVATE) {
			priv = true;
			priv_off = at;
			priv_line = line;
			priv_col = (int)(at - line_start) + 1;
		} else if (w != W_OTHER) {
			if (w == W_TYPE) {
				OutlinePart part = {priv ? priv_off : at, 0, priv ? priv_line : line,
						    priv ? priv_col : (int)(at - line_start) + 1};
				open = type_part(o, part);
			}
			priv = false;
			if (w == W_MODULE)
				o->reform = wl == 6 && memcmp(t + i, "reform", 6) == 0;
			want = w == W_MODULE ? D_MODULE : w == W_IMPORT ? D_IMPORT : w == W_NAMED ? D_DECL_NAME : D_NONE;
			name.n = 0;
			after_dot = false;
			i += wl;
			continue;
		}
		if (wl) {
			if (want == D_DECL_NAME) {
				AST_PUSH(o->names, o->nnames, ast_strdup(t + i, wl));
				want = D_NONE;
			} else if ((want == D_MODULE || want == D_IMPORT) && (!name_open || after_dot)) {
				buf_add(&name, t + i, wl);
				name_open = true;
				after_dot = false;
			}
			i += wl;
		} else if (dot && name_open && !after_dot) {
			buf_add(&name, ".", 1);
			after_dot = true;
			i++;
		} else {
			if (want != D_NONE && !name_open)
				want = D_NONE;
			/* operators and numbers: nothing to note until a word or
			 * something that starts one */
			for (i++; i < n && (byte_class[(unsigned char)t[i]] == 0 || byte_class[(unsigned char)t[i]] == 2); i++)
				;
		}
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
