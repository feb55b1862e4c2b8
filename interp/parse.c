/*
 * parse.c - drives the generated scanner and parser for one file.
 *
 * The scanner and parser are generated from grammar/lexer.l and
 * grammar/parser.y with the prefix edict_yy, so a host program's own
 * flex/bison parser never clashes with ours.
 */
#include "mem.h"
#include <string.h>

#include "parse.h"
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

static struct ParseState *run(const Source *src, Diags *diags, int start)
{
	struct ParseState *ps = GC_MALLOC(sizeof *ps);
	ps->src = src;
	ps->diags = diags;
	ps->line = 1;
	ps->col = 1;
	ps->start = start;
	ps->is_query = start != 0;
	ps->is_given = start == START_GIVEN;
	ps->mod = GC_MALLOC(sizeof(Module));
	ps->mod->src = src;
	diag_add_source(diags, src);
	yyscan_t scanner;
	if (edict_yylex_init_extra(ps, &scanner) != 0)
		return NULL;
	YY_BUFFER_STATE buf = edict_yy_scan_bytes(src->text, (int)src->len, scanner);
	int rc = edict_yyparse(scanner, ps);
	edict_yy_delete_buffer(buf, scanner);
	edict_yylex_destroy(scanner);
	if (rc != 0 && ps->nerrors == 0 && !ps->fatal)
		diag_add(diags, SEV_ERROR, (Loc){src->path, 1, 1, 1, 1}, "this text could not be read as rules");
	if (rc != 0 || ps->fatal)
		ps->nerrors++;
	return ps;
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
