/*
 * lsp.c - `edict lsp`: a language server (LSP 3.17) on stdin and stdout.
 *
 * Transport: messages framed by a Content-Length header, bodies of JSON-RPC
 * 2.0 read with json-c.  Anything malformed (a bad or missing header, a
 * body too long, bad JSON, a request without a method, unknown methods,
 * wrong parameters) is answered with a JSON-RPC error and the server reads
 * on; nothing in the input can stop it but `exit` or its end.  The body of
 * a message refused for its length (none, not a number, over the limit)
 * is skipped by its shape, a JSON value, never by a length the server
 * would have to guess; whatever is not JSON, up to the next header,
 * goes with it (resync).
 *
 * Method: the rule set of a document is the rule directory it lies in (the
 * highest directory above it, step by step, that holds .edict files),
 * with the open documents' text in place of their files.  After every
 * change the whole rule set is loaded again (load_paths_overlay), its
 * checks run as `edict check` runs them, and the diagnostics of every file
 * are published; a rule set with errors is indexed too (symbols.c), so
 * hover, definitions, references, completion and the rest keep working
 * for the declarations that parse.
 *
 * Positions: the protocol counts UTF-16 code units unless the client
 * offers UTF-8 (positionEncoding, LSP 3.17); Edict counts bytes.  Every
 * position crossing the door is converted against the line's text.
 */
#include "mem.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "commands.h"
#include "common.h"
#include "date.h"
#include "edict.h"
#include "layout.h"
#include "load.h"
#include "lsp.h"
#include "parse.h"
#include "query.h"
#include "strmap.h"
#include "symbols.h"

/* JSON-RPC and LSP error codes. */
enum {
	E_PARSE = -32700,
	E_INVALID_REQUEST = -32600,
	E_NO_METHOD = -32601,
	E_INVALID_PARAMS = -32602,
	E_INTERNAL = -32603,
	E_NOT_INITIALIZED = -32002,
	E_REQUEST_FAILED = -32803
};

typedef struct Doc {
	const char *uri;
	const char *path;
	Source *src;
	int version;
	struct Space *space;
} Doc;

/* A rule set: a directory (or, without the disk, the open documents). */
typedef struct Space {
	const char *root; /* NULL: the open documents only */
	Program *p;
	Diags *d;
	SymIndex *ix;
	StrMap sources;         /* the files loaded, by path */
	const char **published; /* files with diagnostics last time */
	int npublished;
	const char **test_names; /* the last result of each test run from a code lens */
	const char **test_results;
	int ntests;
} Space;

/* The last byte column turned into a protocol character (to_char). */
typedef struct CharPlace {
	const Source *src;
	int line;
	size_t byte; /* from 0, within the line */
	int units;   /* UTF-16 code units before it */
} CharPlace;

typedef struct Server {
	FILE *in, *out;
	LspOptions opts;
	bool initialized, shutdown, utf8;
	bool lens_refresh; /* the client takes workspace/codeLens/refresh */
	Doc **docs;
	int ndocs;
	StrMap doc_paths; /* the documents by path, made again after docs_changed */
	bool docs_changed;
	Space **spaces;
	int nspaces;
	int next_id; /* of requests to the client */
	const char *errmsg; /* of the failing handler */
	bool resync; /* the last message's body is still to skip (skip_body) */
	CharPlace last_char;
} Server;

/* ============================================================ transport */

/* The body as valid UTF-8.  Strings from the client come back in replies
 * (an unknown method's name, a URI) and may hold bytes that are not UTF-8;
 * each such byte becomes U+FFFD, which keeps the JSON valid. */
static const char *valid_utf8(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = *len, i = 0, k;
	while (i < n && (k = buf_utf8_len(u + i, n - i)) > 0)
		i += k;
	if (i == n)
		return s;
	Buf b = {0};
	for (i = 0; i < n; i += k ? k : 1) {
		k = buf_utf8_len(u + i, n - i);
		if (k)
			buf_add(&b, s + i, k);
		else
			buf_puts(&b, "\xef\xbf\xbd");
	}
	*len = b.n;
	return b.s;
}

static void send_json(Server *s, json_object *msg)
{
	size_t len;
	const char *body = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN, &len);
	body = valid_utf8(body, &len);
	fprintf(s->out, "Content-Length: %zu\r\n\r\n", len);
	fwrite(body, 1, len, s->out);
	fflush(s->out);
	json_object_put(msg);
}

static void send_error(Server *s, json_object *id, int code, const char *msg)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "id", id ? json_object_get(id) : NULL);
	json_object *e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(m, "error", e);
	send_json(s, m);
}

static void send_result(Server *s, json_object *id, json_object *result)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "id", json_object_get(id));
	json_object_object_add(m, "result", result);
	send_json(s, m);
}

static void send_notification(Server *s, const char *method, json_object *params)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params);
	send_json(s, m);
}

static void send_request(Server *s, const char *method, json_object *params)
{
	json_object *m = json_object_new_object();
	json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(m, "id", json_object_new_int(++s->next_id));
	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params);
	send_json(s, m);
}

/* Read one header line (without its line break: CR LF, LF alone or CR
 * alone) into buf (LSP_MAX_HEADER + 1 bytes), of which the first n bytes
 * are there already; -1 at the end of the input, -2 for a line longer
 * than LSP_MAX_HEADER (the rest is skipped). */
static int read_header_line(FILE *in, char *buf, int n)
{
	int c;
	bool too_long = false;
	while ((c = getc(in)) != EOF && c != '\n' && c != '\r') {
		if (n < LSP_MAX_HEADER)
			buf[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == '\r' && (c = getc(in)) != '\n' && c != EOF)
		ungetc(c, in); /* a CR alone: the next line has begun */
	else if (c == EOF && n == 0)
		return -1;
	buf[n] = 0;
	return too_long ? -2 : n;
}

/* A Content-Length header line into *length (other lines: nothing).  The
 * value is digits alone, counted no further once over LSP_MAX_MESSAGE
 * (however many digits follow, it stays over the limit). */
static void content_length(const char *line, long long *length, const char **bad)
{
	if (strncasecmp(line, "Content-Length:", 15) != 0)
		return;
	const char *v = line + 15;
	while (*v == ' ' || *v == '\t')
		v++;
	long long k = 0;
	const char *end = v;
	for (; *end >= '0' && *end <= '9'; end++)
		k = k > LSP_MAX_MESSAGE ? k : k * 10 + (*end - '0');
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == v || *end) {
		if (!*bad)
			*bad = "the Content-Length header is not a number";
	} else {
		*length = k;
	}
}

/* After a message refused without a length to trust (none, not a number,
 * over the limit), skip what follows its header as its body, by its
 * shape: blanks, and JSON values followed through their strings and
 * nesting, up to LSP_MAX_MESSAGE bytes inside values; stop before anything
 * else (the next header, or what shows the body is not JSON).  A line
 * break inside a string ends the skip: no JSON string holds one, but the
 * next header ends with one; so does a character JSON has no use for
 * outside a string (the next header's first letter, or text). */
static void skip_body(FILE *in)
{
	int depth = 0, c;
	bool str = false, esc = false;
	size_t n = 0;
	while ((c = getc(in)) != EOF) {
		if (str && (c == '\n' || c == '\r'))
			break;
		if (!str && !(c && strchr(depth ? " \t\r\n{[\"}],:-+.0123456789eEtrufalsn" : " \t\r\n{[\"", c)))
			break;
		if (str) {
			str = esc || c != '"';
			esc = !esc && c == '\\';
		} else if (c == '"') {
			str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
		if ((depth > 0 || str) && ++n > LSP_MAX_MESSAGE)
			return;
	}
	if (c != EOF)
		ungetc(c, in);
}

/* Whether c may stand in a header's name (a token, as HTTP has them). */
static bool name_char(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* After a refused message, where the next one begins: its body skipped
 * (skip_body), then anything else up to the next header, into line as
 * read_header_line reads it.  The next header is a line that begins with
 * a name and a colon, or "Content-Length:" (in any letters, as header
 * names are) wherever it stands: a body that is not JSON ends without a
 * line break, straight into the next message.  After LSP_MAX_MESSAGE
 * bytes without one, the next line is taken as it comes. */
static int resync(FILE *in, char *line)
{
	static const char length[] = "content-length:";
	const int len = (int)sizeof length - 1;
	skip_body(in);
	int k = 0, at = 0, c; /* k: bytes of `length` just read; at: of a name at the line's start, or -1 */
	for (size_t n = 0; n < LSP_MAX_MESSAGE && (c = getc(in)) != EOF; n++) {
		k = tolower(c) == length[k] ? k + 1 : tolower(c) == length[0];
		if (k == len) {
			memcpy(line, "Content-Length:", (size_t)len);
			return read_header_line(in, line, len);
		}
		if (c == ':' && at > 0) {
			line[at++] = ':';
			return read_header_line(in, line, at);
		}
		if (c == '\n' || c == '\r')
			at = 0;
		else if (at >= 0 && at < LSP_MAX_HEADER - 1 && name_char(c))
			line[at++] = (char)c;
		else
			at = -1;
	}
	return read_header_line(in, line, 0);
}

/* Read one message's body.  NULL at the end of the input; *bad holds why
 * a message was refused (its body skipped), else NULL. */
static char *read_message(Server *s, size_t *len, const char **bad)
{
	char line[LSP_MAX_HEADER + 1];
	long long length = -1;
	int nlines = 0;
	*bad = NULL;
	int n = s->resync ? resync(s->in, line) : read_header_line(s->in, line, 0);
	s->resync = false;
	for (;; n = read_header_line(s->in, line, 0)) {
		if (n == -1)
			return NULL;
		if (n == 0 && nlines == 0)
			continue; /* stray line breaks between messages */
		if (n == 0)
			break;
		/* over the limits, the header is refused, but its Content-Length
		 * is still read: the body is skipped and the next message answered */
		if (++nlines > LSP_MAX_HEADERS || n == -2)
			*bad = "a message header is too long";
		if (n > 0)
			content_length(line, &length, bad);
	}
	if (!*bad && length < 0)
		*bad = "the message has no Content-Length header";
	if (!*bad && length > LSP_MAX_MESSAGE)
		*bad = xprintf("the message is longer than the limit of %u bytes", LSP_MAX_MESSAGE);
	if (*bad) {
		/* a body of a length to trust is skipped now; any other after the
		 * error is sent (reading it first could wait for ever) */
		s->resync = length < 0 || length > LSP_MAX_MESSAGE;
		for (long long i = 0; !s->resync && i < length && getc(s->in) != EOF; i++)
			;
		*len = 0;
		return "";
	}
	char *body = GC_MALLOC_ATOMIC((size_t)length + 1);
	size_t got = fread(body, 1, (size_t)length, s->in);
	body[got] = 0;
	*len = got;
	if (got < (size_t)length)
		*bad = "the input ended inside a message";
	return body;
}

/* ======================================================= JSON helpers */

static json_object *jget(json_object *o, const char *key, json_type t)
{
	json_object *v;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, t) ? v : NULL;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key, json_type_string);
	return v ? json_object_get_string(v) : NULL;
}

static bool jint(json_object *o, const char *key, int *out)
{
	json_object *v = jget(o, key, json_type_int);
	if (!v)
		return false;
	int64_t k = json_object_get_int64(v);
	if (k < 0 || k > 1 << 30)
		return false;
	*out = (int)k;
	return true;
}

static const char *gc_str(const char *s)
{
	return ast_strdup(s, strlen(s));
}

/* ================================================== paths and sources */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The file of a file:// URI, or NULL (another scheme, a NUL byte). */
static const char *uri_path(const char *uri)
{
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	const char *p = uri + 7;
	if (strncmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return NULL;
	Buf b = {0};
	for (; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			char c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			if (c == 0)
				return NULL;
			buf_add(&b, &c, 1);
			p += 2;
		} else {
			buf_add(&b, p, 1);
		}
	}
	return buf_cstr(&b);
}

/* The open document of a file (of several naming it, the first), or NULL. */
static Doc *doc_at(Server *s, const char *path)
{
	if (s->docs_changed) {
		s->doc_paths = (StrMap){0};
		for (int i = 0; i < s->ndocs; i++)
			strmap_add(&s->doc_paths, s->docs[i]->path, s->docs[i]);
		s->docs_changed = false;
	}
	return strmap_get(&s->doc_paths, path);
}

/* The sources of d by path (of several of one path, the last added, as
 * diag_find_source finds them). */
static StrMap source_map(const Diags *d)
{
	StrMap m = {0};
	for (const Diags *l = d; l; l = l->parent)
		for (int i = l->nsources - 1; i >= 0; i--)
			strmap_add(&m, l->sources[i]->path, (void *)l->sources[i]);
	return m;
}

static const char *path_uri(Server *s, const char *path)
{
	Doc *doc = doc_at(s, path);
	if (doc)
		return doc->uri;
	if (path[0] != '/')
		return path; /* not a file: the URI it came as */
	Buf b = {0};
	buf_puts(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			buf_add(&b, (const char *)p, 1);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_cstr(&b);
}

static Source *new_source(const char *path, const char *text, size_t len)
{
	Source *src = GC_MALLOC(sizeof *src);
	src->path = path;
	char *t = GC_MALLOC_ATOMIC(len + 1);
	memcpy(t, text, len);
	t[len] = 0;
	src->text = t;
	src->len = len;
	diag_add_source(diag_new(), src); /* its line index */
	return src;
}

static Doc *find_doc(Server *s, const char *uri)
{
	for (int i = 0; i < s->ndocs; i++)
		if (strcmp(s->docs[i]->uri, uri) == 0)
			return s->docs[i];
	return NULL;
}

/* The text of a file of a rule set: an open document, or what was loaded. */
static const Source *file_source(Server *s, Space *sp, const char *path)
{
	Doc *doc = doc_at(s, path);
	if (doc)
		return doc->src;
	return sp ? strmap_get(&sp->sources, path) : NULL;
}

/* ============================================================ positions */

/* The line's text (line from 1) and its length without the line break. */
static const char *line_of(const Source *src, int line, size_t *len)
{
	long off = src ? source_line_offset(src, line) : -1;
	if (off < 0) {
		*len = 0;
		return "";
	}
	const char *t = src->text + off;
	*len = (size_t)(source_line_end(t, src->text + src->len) - t);
	return t;
}

/* Byte column (from 1) -> protocol character (from 0).  Conversions come
 * in order along a line (the tokens of a line, the start and end of a
 * range, the uses of a name), so the last one is kept and the next on the
 * same line goes on from where it stopped: a long line is counted once,
 * not once for each token on it. */
static int to_char(Server *s, const Source *src, int line, int col)
{
	if (s->utf8 || col <= 1)
		return col > 0 ? col - 1 : 0;
	long off = src ? source_line_offset(src, line) : -1;
	size_t want = (size_t)(col - 1);
	if (off < 0)
		return (int)want;
	const unsigned char *t = (const unsigned char *)src->text + off;
	size_t end = src->len - (size_t)off, i = 0;
	int units = 0;
	CharPlace *last = &s->last_char;
	if (last->src == src && last->line == line && last->byte <= want)
		i = last->byte, units = last->units;
	for (; i < want && i < end && t[i] != '\n' && t[i] != '\r'; i++)
		if ((t[i] & 0xc0) != 0x80)
			units += t[i] >= 0xf0 ? 2 : 1;
	*last = (CharPlace){src, line, i, units};
	return units + (int)(want - i); /* past the end of the line: a unit a byte */
}

/* Protocol character (from 0) -> byte column (from 1), clamped to the line. */
static int to_col(Server *s, const Source *src, int line, int ch)
{
	size_t len;
	const unsigned char *t = (const unsigned char *)line_of(src, line, &len);
	if (s->utf8)
		return (size_t)ch > len ? (int)len + 1 : ch + 1;
	size_t i = 0;
	int units = 0;
	while (i < len && units < ch) {
		units += t[i] >= 0xf0 ? 2 : 1;
		i++;
		while (i < len && (t[i] & 0xc0) == 0x80)
			i++;
	}
	return (int)i + 1;
}

static json_object *position(Server *s, const Source *src, int line, int col)
{
	json_object *p = json_object_new_object();
	json_object_object_add(p, "line", json_object_new_int(line > 0 ? line - 1 : 0));
	json_object_object_add(p, "character", json_object_new_int(line > 0 ? to_char(s, src, line, col) : 0));
	return p;
}

/* A Loc (last character inclusive) as a protocol range (end exclusive). */
static json_object *range(Server *s, const Source *src, Loc l)
{
	json_object *r = json_object_new_object();
	json_object_object_add(r, "start", position(s, src, l.line, l.col));
	json_object_object_add(r, "end", position(s, src, l.eline ? l.eline : l.line, (l.eline ? l.ecol : l.col) + 1));
	return r;
}

static json_object *location(Server *s, Space *sp, Loc l)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "uri", json_object_new_string(path_uri(s, l.file)));
	json_object_object_add(o, "range", range(s, file_source(s, sp, l.file), l));
	return o;
}

/* params.textDocument.uri and params.position, as a document and a byte
 * place.  false (with s->errmsg) when they are missing or wrong. */
static bool doc_position(Server *s, json_object *params, Doc **doc, int *line, int *col)
{
	json_object *td = jget(params, "textDocument", json_type_object);
	json_object *pos = jget(params, "position", json_type_object);
	const char *uri = jstr(td, "uri");
	int l, c;
	if (!uri || !pos || !jint(pos, "line", &l) || !jint(pos, "character", &c)) {
		s->errmsg = "expected textDocument.uri and position {line, character}";
		return false;
	}
	*doc = find_doc(s, uri);
	*line = l + 1;
	*col = *doc ? to_col(s, (*doc)->src, l + 1, c) : c + 1;
	return true;
}

static Doc *doc_param(Server *s, json_object *params)
{
	const char *uri = jstr(jget(params, "textDocument", json_type_object), "uri");
	if (!uri) {
		s->errmsg = "expected textDocument.uri";
		return NULL;
	}
	return find_doc(s, uri);
}

/* =========================================================== rule sets */

static bool has_rule_files(const char *dir)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(dh)) != NULL) {
		size_t n = strlen(e->d_name);
		found = n > 6 && e->d_name[0] != '.' && strcmp(e->d_name + n - 6, ".edict") == 0;
	}
	closedir(dh);
	return found;
}

/* The rule directory of a file: its directory, and the one above as long
 * as that holds rule files too (rules/kotra/origin/eu.edict: rules/kotra). */
static const char *rule_root(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return NULL;
	const char *dir = ast_strdup(path, (size_t)(slash - path));
	for (int depth = 0; depth < LOAD_MAX_DIR_DEPTH; depth++) {
		const char *up = strrchr(dir, '/');
		if (!up || up == dir)
			break;
		const char *parent = ast_strdup(dir, (size_t)(up - dir));
		if (!has_rule_files(parent))
			break;
		dir = parent;
	}
	return dir;
}

static Space *space_for(Server *s, const char *path)
{
	const char *root = s->opts.disk && path[0] == '/' ? rule_root(path) : NULL;
	struct stat st;
	if (root && stat(root, &st) != 0)
		root = NULL;
	for (int i = 0; i < s->nspaces; i++) {
		const char *r = s->spaces[i]->root;
		if ((!r && !root) || (r && root && strcmp(r, root) == 0))
			return s->spaces[i];
	}
	Space *sp = GC_MALLOC(sizeof *sp);
	sp->root = root;
	AST_PUSH(s->spaces, s->nspaces, sp);
	return sp;
}

static json_object *diagnostic(Server *s, Space *sp, const Diag *dg, const Source *src)
{
	json_object *o = json_object_new_object();
	Loc l = dg->loc;
	if (!l.file || l.line <= 0)
		l = (Loc){l.file, 1, 1, 1, 0};
	json_object_object_add(o, "range", range(s, src, l));
	json_object_object_add(o, "severity", json_object_new_int(dg->sev == SEV_ERROR ? 1 : dg->sev == SEV_WARNING ? 2 : 3));
	json_object_object_add(o, "source", json_object_new_string("edict"));
	const char *msg = dg->hint ? xprintf("%s\n%s", dg->msg, dg->hint) : dg->msg;
	json_object_object_add(o, "message", json_object_new_string(msg));
	if (dg->nrelated) {
		json_object *rel = json_object_new_array();
		for (int i = 0; i < dg->nrelated; i++) {
			if (!dg->related[i].loc.file)
				continue;
			json_object *r = json_object_new_object();
			json_object_object_add(r, "location", location(s, sp, dg->related[i].loc));
			json_object_object_add(r, "message", json_object_new_string(dg->related[i].msg));
			json_object_array_add(rel, r);
		}
		json_object_object_add(o, "relatedInformation", rel);
	}
	return o;
}

static void publish(Server *s, const char *path, json_object *list, int version)
{
	json_object *p = json_object_new_object();
	json_object_object_add(p, "uri", json_object_new_string(path_uri(s, path)));
	Doc *doc = doc_at(s, path);
	if (version < 0 && doc)
		version = doc->version;
	if (version >= 0)
		json_object_object_add(p, "version", json_object_new_int(version));
	json_object_object_add(p, "diagnostics", list);
	send_notification(s, "textDocument/publishDiagnostics", p);
}

/* A diagnostic and the file its list goes to. */
typedef struct Placed {
	const char *file;
	const Diag *dg;
	int rank; /* in the order of the text */
} Placed;

static int by_file(const void *a, const void *b)
{
	const Placed *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : x->rank - y->rank;
}

/* An empty list for a file not published yet (done: those that were). */
static void publish_none(Server *s, StrMap *done, const char *path)
{
	if (strmap_add(done, path, (void *)path))
		publish(s, path, json_object_new_array(), -1);
}

/* Publish the diagnostics of every file of the rule set, and empty lists
 * for the files that had some last time or are open.  The diagnostics are
 * sorted by file once, so that each file's list is one run of them. */
static void publish_space(Server *s, Space *sp, const char *fallback)
{
	int n = sp->d->n;
	const Diag **order = diag_sorted(sp->d);
	Placed *v = GC_MALLOC(sizeof *v * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		v[i] = (Placed){order[i]->loc.file ? order[i]->loc.file : fallback, order[i], i};
	qsort(v, (size_t)n, sizeof *v, by_file);
	const char **files = NULL;
	int nfiles = 0;
	StrMap done = {0};
	for (int i = 0; i < n;) {
		const char *f = v[i].file;
		const Source *src = file_source(s, sp, f);
		json_object *list = json_object_new_array();
		for (; i < n && strcmp(v[i].file, f) == 0; i++)
			json_object_array_add(list, diagnostic(s, sp, v[i].dg, src));
		publish(s, f, list, -1);
		strmap_add(&done, f, (void *)f);
		AST_PUSH(files, nfiles, f);
	}
	for (int i = 0; i < sp->npublished; i++)
		publish_none(s, &done, sp->published[i]);
	for (int i = 0; i < s->ndocs; i++)
		if (s->docs[i]->space == sp)
			publish_none(s, &done, s->docs[i]->path);
	sp->published = files;
	sp->npublished = nfiles;
}

/* Each reform among the files (`reform NAME`), loaded over the rules as
 * `edict check` does: what it says about the reform's own file joins d. */
static void reform_diags(const Program *p, Diags *d)
{
	for (int i = 0; i < p->nreforms; i++) {
		const Source *src = p->reforms[i];
		Diags *rd = diag_new();
		load_reform(p, &p->reforms[i], 1, rd);
		diag_add_source(d, src);
		for (int k = 0; k < rd->n; k++) {
			const Diag *g = &rd->items[k];
			if (!g->loc.file || strcmp(g->loc.file, src->path) != 0)
				continue;
			Diag *nd = diag_add(d, g->sev, g->loc, "%s", g->msg);
			nd->hint = g->hint;
			nd->fix = g->fix;
		}
	}
}

/* Load the rule set again, as `edict check` would, and publish. */
static void analyse(Server *s, Space *sp, const char *trigger)
{
	const Source **ovs = NULL;
	int n = 0;
	for (int i = 0; i < s->ndocs; i++)
		if (s->docs[i]->space == sp)
			AST_PUSH(ovs, n, s->docs[i]->src);
	Diags *d = diag_new();
	Program *p;
	if (sp->root)
		p = load_paths_overlay(&sp->root, 1, ovs, n, d);
	else
		p = n ? load_sources(ovs, n, d) : NULL;
	if (p && d->nerrors == 0) {
		query_run_checks(p, date_today(), d);
		reform_diags(p, d);
	}
	sp->p = p;
	sp->d = d;
	sp->sources = source_map(d);
	sp->ix = p ? sym_index(p) : NULL;
	publish_space(s, sp, trigger);
}

/* ========================================================== lifecycle */

static json_object *str_array(const char *const *v, int n)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static const char *const token_types[] = {"namespace", "type",     "enum",      "struct", "enumMember", "property",
					  "variable",  "parameter", "function", "keyword", "number",     "string",
					  "comment",   "operator"};
enum { TT_NAMESPACE, TT_TYPE, TT_ENUM, TT_STRUCT, TT_MEMBER, TT_PROPERTY, TT_VARIABLE, TT_PARAMETER, TT_FUNCTION,
       TT_KEYWORD, TT_NUMBER, TT_STRING, TT_COMMENT, TT_OPERATOR };
static const char *const token_mods[] = {"declaration", "readonly", "defaultLibrary"};
enum { TM_DECLARATION = 1, TM_READONLY = 2, TM_LIBRARY = 4 };

static int m_initialize(Server *s, json_object *params, json_object **result)
{
	json_object *caps = jget(params, "capabilities", json_type_object);
	json_object *encs = jget(jget(caps, "general", json_type_object), "positionEncodings", json_type_array);
	for (size_t i = 0; encs && i < json_object_array_length(encs); i++) {
		json_object *e = json_object_array_get_idx(encs, i);
		if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), "utf-8") == 0)
			s->utf8 = true;
	}
	json_object *lens = jget(jget(caps, "workspace", json_type_object), "codeLens", json_type_object);
	json_object *refresh = jget(lens, "refreshSupport", json_type_boolean);
	s->lens_refresh = refresh && json_object_get_boolean(refresh);
	s->initialized = true;

	json_object *c = json_object_new_object();
	json_object_object_add(c, "positionEncoding", json_object_new_string(s->utf8 ? "utf-8" : "utf-16"));
	json_object *sync = json_object_new_object();
	json_object_object_add(sync, "openClose", json_object_new_boolean(1));
	json_object_object_add(sync, "change", json_object_new_int(2)); /* incremental */
	json_object *save = json_object_new_object();
	json_object_object_add(save, "includeText", json_object_new_boolean(0));
	json_object_object_add(sync, "save", save);
	json_object_object_add(c, "textDocumentSync", sync);
	static const char *const bools[] = {"hoverProvider", "definitionProvider", "referencesProvider",
					    "documentSymbolProvider", "workspaceSymbolProvider",
					    "documentFormattingProvider"};
	for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++)
		json_object_object_add(c, bools[i], json_object_new_boolean(1));
	json_object *rename = json_object_new_object();
	json_object_object_add(rename, "prepareProvider", json_object_new_boolean(1));
	json_object_object_add(c, "renameProvider", rename);
	json_object *comp = json_object_new_object();
	const char *trig[] = {"."};
	json_object_object_add(comp, "triggerCharacters", str_array(trig, 1));
	json_object_object_add(c, "completionProvider", comp);
	json_object *sem = json_object_new_object();
	json_object *legend = json_object_new_object();
	json_object_object_add(legend, "tokenTypes", str_array(token_types, (int)(sizeof token_types / sizeof token_types[0])));
	json_object_object_add(legend, "tokenModifiers", str_array(token_mods, (int)(sizeof token_mods / sizeof token_mods[0])));
	json_object_object_add(sem, "legend", legend);
	json_object_object_add(sem, "full", json_object_new_boolean(1));
	json_object_object_add(c, "semanticTokensProvider", sem);
	json_object *ca = json_object_new_object();
	const char *kinds[] = {"quickfix"};
	json_object_object_add(ca, "codeActionKinds", str_array(kinds, 1));
	json_object_object_add(c, "codeActionProvider", ca);
	json_object *cl = json_object_new_object();
	json_object_object_add(cl, "resolveProvider", json_object_new_boolean(0));
	json_object_object_add(c, "codeLensProvider", cl);
	json_object *ex = json_object_new_object();
	const char *cmds[] = {"edict.runTest"};
	json_object_object_add(ex, "commands", str_array(cmds, 1));
	json_object_object_add(c, "executeCommandProvider", ex);

	json_object *r = json_object_new_object();
	json_object_object_add(r, "capabilities", c);
	json_object *info = json_object_new_object();
	json_object_object_add(info, "name", json_object_new_string("edict"));
	json_object_object_add(info, "version", json_object_new_string(EDICT_VERSION_STRING));
	json_object_object_add(r, "serverInfo", info);
	*result = r;
	return 0;
}

static int m_shutdown(Server *s, json_object *params, json_object **result)
{
	s->shutdown = true;
	*result = NULL;
	return 0;
}

/* ========================================================== documents */

static void set_text(Doc *doc, const char *text, size_t len)
{
	doc->src = new_source(doc->path, text, len);
}

static int m_did_open(Server *s, json_object *params, json_object **result)
{
	json_object *td = jget(params, "textDocument", json_type_object);
	const char *uri = jstr(td, "uri"), *text = jstr(td, "text");
	int version = 0;
	if (!uri || !text) {
		s->errmsg = "expected textDocument {uri, text}";
		return E_INVALID_PARAMS;
	}
	jint(td, "version", &version);
	size_t len = (size_t)json_object_get_string_len(jget(td, "text", json_type_string));
	if (len > LOAD_MAX_FILE_BYTES) {
		s->errmsg = "the document is larger than the limit for rule files";
		return E_INVALID_PARAMS;
	}
	Doc *doc = find_doc(s, uri);
	if (!doc) {
		if (s->ndocs >= LSP_MAX_DOCS) {
			s->errmsg = "too many documents are open";
			return E_INVALID_PARAMS;
		}
		doc = GC_MALLOC(sizeof *doc);
		doc->uri = gc_str(uri);
		const char *path = uri_path(uri);
		doc->path = path ? path : doc->uri;
		doc->space = space_for(s, doc->path);
		AST_PUSH(s->docs, s->ndocs, doc);
		s->docs_changed = true;
	}
	doc->version = version;
	set_text(doc, text, len);
	analyse(s, doc->space, doc->path);
	return 0;
}

/* Byte offset of a protocol position in doc, or -1. */
static long doc_offset(Server *s, Doc *doc, json_object *pos)
{
	int l, c;
	if (!jint(pos, "line", &l) || !jint(pos, "character", &c))
		return -1;
	if (l >= source_nlines(doc->src))
		return (long)doc->src->len;
	int col = to_col(s, doc->src, l + 1, c);
	return source_line_offset(doc->src, l + 1) + col - 1;
}

static int m_did_change(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	json_object *changes = jget(params, "contentChanges", json_type_array);
	if (!doc || !changes) {
		s->errmsg = doc ? "expected contentChanges" : "the document is not open";
		return E_INVALID_PARAMS;
	}
	int version;
	if (jint(jget(params, "textDocument", json_type_object), "version", &version))
		doc->version = version;
	for (size_t i = 0; i < json_object_array_length(changes); i++) {
		json_object *ch = json_object_array_get_idx(changes, i);
		json_object *text = jget(ch, "text", json_type_string);
		json_object *rg = jget(ch, "range", json_type_object);
		if (!text)
			continue;
		const char *t = json_object_get_string(text);
		size_t tl = (size_t)json_object_get_string_len(text);
		if (!rg) {
			if (tl <= LOAD_MAX_FILE_BYTES)
				set_text(doc, t, tl);
			continue;
		}
		long a = doc_offset(s, doc, jget(rg, "start", json_type_object));
		long b = doc_offset(s, doc, jget(rg, "end", json_type_object));
		if (a < 0 || b < a || doc->src->len - (size_t)(b - a) + tl > LOAD_MAX_FILE_BYTES)
			continue;
		Buf nb = {0};
		buf_add(&nb, doc->src->text, (size_t)a);
		buf_add(&nb, t, tl);
		buf_add(&nb, doc->src->text + b, doc->src->len - (size_t)b);
		set_text(doc, nb.s ? nb.s : "", nb.n);
	}
	analyse(s, doc->space, doc->path);
	return 0;
}

static int m_did_save(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	if (doc)
		analyse(s, doc->space, doc->path);
	return 0;
}

static int m_did_close(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	if (!doc)
		return 0;
	for (int i = 0; i < s->ndocs; i++)
		if (s->docs[i] == doc) {
			s->docs[i] = s->docs[--s->ndocs];
			s->docs_changed = true;
			break;
		}
	/* its file on disk counts again (a file that is not there, nothing);
	 * its diagnostics are now those of that file */
	analyse(s, doc->space, doc->path);
	return 0;
}

/* Rule files changed on disk (another program, a checkout): every rule set
 * with open documents is loaded again. */
static int m_watched_files(Server *s, json_object *params, json_object **result)
{
	for (int i = 0; i < s->nspaces; i++)
		for (int k = 0; k < s->ndocs; k++)
			if (s->docs[k]->space == s->spaces[i]) {
				analyse(s, s->spaces[i], s->docs[k]->path);
				break;
			}
	return 0;
}

/* ================================================== reading the rules */

/* The use under the cursor: the document's rule set and the use, or NULL. */
static const SymUse *use_at(Server *s, json_object *params, Space **spp, int *err)
{
	Doc *doc;
	int line, col;
	*err = 0;
	if (!doc_position(s, params, &doc, &line, &col)) {
		*err = E_INVALID_PARAMS;
		return NULL;
	}
	if (!doc || !doc->space->ix)
		return NULL;
	*spp = doc->space;
	return sym_at(doc->space->ix, doc->path, line, col);
}

static int m_hover(Server *s, json_object *params, json_object **result)
{
	Space *sp = NULL;
	int err;
	const SymUse *u = use_at(s, params, &sp, &err);
	*result = NULL;
	if (!u)
		return err;
	json_object *h = json_object_new_object();
	json_object *c = json_object_new_object();
	json_object_object_add(c, "kind", json_object_new_string("markdown"));
	json_object_object_add(c, "value", json_object_new_string(sym_hover(sp->ix, u->sym)));
	json_object_object_add(h, "contents", c);
	json_object_object_add(h, "range", range(s, file_source(s, sp, u->loc.file), u->loc));
	*result = h;
	return 0;
}

static int m_definition(Server *s, json_object *params, json_object **result)
{
	Space *sp = NULL;
	int err;
	const SymUse *u = use_at(s, params, &sp, &err);
	*result = NULL;
	if (u && u->sym->loc.file)
		*result = location(s, sp, u->sym->loc);
	return u ? 0 : err;
}

static int m_references(Server *s, json_object *params, json_object **result)
{
	Space *sp = NULL;
	int err;
	const SymUse *u = use_at(s, params, &sp, &err);
	*result = NULL;
	if (!u)
		return err;
	json_object *ctx = jget(params, "context", json_type_object);
	json_object *inc = jget(ctx, "includeDeclaration", json_type_boolean);
	bool with_decl = !inc || json_object_get_boolean(inc);
	json_object *a = json_object_new_array();
	for (int i = 0; i < sp->ix->nuses; i++) {
		const SymUse *v = &sp->ix->uses[i];
		if (v->sym == u->sym && (with_decl || !v->def))
			json_object_array_add(a, location(s, sp, v->loc));
	}
	*result = a;
	return 0;
}

static int symbol_kind(SymKind k)
{
	static const int kinds[] = {
		[SK_MODULE] = 2,    [SK_ENUM] = 10,  [SK_RECORD] = 23, [SK_MEMBER] = 22, [SK_FIELD] = 8,
		[SK_FACT] = 13,     [SK_PARAM] = 14, [SK_DECISION] = 12, [SK_TABLE] = 12, [SK_FUNCTION] = 12,
		[SK_ARG] = 13,      [SK_LOCAL] = 13, [SK_CHECK] = 17,  [SK_TEST] = 6,    [SK_BUILTIN] = 12,
		[SK_KEYWORD] = 12,  [SK_CURRENCY] = 14, [SK_DOCUMENT] = 1,
	};
	return kinds[k];
}

static bool top_level(SymKind k)
{
	return k != SK_MODULE && k != SK_MEMBER && k != SK_FIELD && k != SK_ARG && k != SK_LOCAL && k != SK_BUILTIN;
}

static json_object *doc_symbol(Server *s, const Source *src, const Sym *sym)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(sym->kind == SK_CHECK || sym->kind == SK_TEST ? sym->qname : sym->name));
	json_object_object_add(o, "kind", json_object_new_int(symbol_kind(sym->kind)));
	if (sym->type)
		json_object_object_add(o, "detail", json_object_new_string(ty_name(sym->type)));
	json_object_object_add(o, "range", range(s, src, sym->loc));
	json_object_object_add(o, "selectionRange", range(s, src, sym->loc));
	return o;
}

/* The members and fields of a document's declarations, sorted by their
 * declaration (then by their place in the index), so that each declaration
 * finds its own with one search instead of a pass over the whole index. */
typedef struct Kid {
	const Sym *parent;
	int i;
} Kid;

static int by_parent(const void *a, const void *b)
{
	const Kid *x = a, *y = b;
	if (x->parent != y->parent)
		return (uintptr_t)x->parent < (uintptr_t)y->parent ? -1 : 1;
	return x->i - y->i;
}

static Kid *doc_kids(const SymIndex *ix, const char *path, int *n)
{
	Kid *k = GC_MALLOC(sizeof(Kid) * (size_t)(ix->nsyms + 1));
	*n = 0;
	for (int i = 0; i < ix->nsyms; i++) {
		const Sym *p = ix->syms[i]->parent;
		if (p && p->loc.file && strcmp(p->loc.file, path) == 0)
			k[(*n)++] = (Kid){p, i};
	}
	qsort(k, (size_t)*n, sizeof(Kid), by_parent);
	return k;
}

/* The first of sym's children in kids (n when it has none). */
static int first_kid(const Kid *kids, int n, const Sym *sym)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if ((uintptr_t)kids[mid].parent < (uintptr_t)sym)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int m_document_symbol(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	*result = json_object_new_array();
	if (!doc)
		return s->errmsg && strcmp(s->errmsg, "expected textDocument.uri") == 0 ? E_INVALID_PARAMS : 0;
	SymIndex *ix = doc->space->ix;
	int nkids = 0;
	Kid *kids = ix ? doc_kids(ix, doc->path, &nkids) : NULL;
	for (int i = 0; ix && i < ix->nsyms; i++) {
		const Sym *sym = ix->syms[i];
		if (!top_level(sym->kind) || !sym->loc.file || strcmp(sym->loc.file, doc->path) != 0)
			continue;
		json_object *o = doc_symbol(s, doc->src, sym);
		json_object *list = NULL;
		for (int k = first_kid(kids, nkids, sym); k < nkids && kids[k].parent == sym; k++) {
			if (!list)
				list = json_object_new_array();
			json_object_array_add(list, doc_symbol(s, doc->src, ix->syms[kids[k].i]));
		}
		if (list)
			json_object_object_add(o, "children", list);
		json_object_array_add(*result, o);
	}
	return 0;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static int m_workspace_symbol(Server *s, json_object *params, json_object **result)
{
	const char *q = jstr(params, "query");
	if (!q) {
		s->errmsg = "expected query";
		return E_INVALID_PARAMS;
	}
	*result = json_object_new_array();
	for (int k = 0; k < s->nspaces; k++) {
		Space *sp = s->spaces[k];
		for (int i = 0; sp->ix && i < sp->ix->nsyms; i++) {
			const Sym *sym = sp->ix->syms[i];
			if (!top_level(sym->kind) || !sym->loc.file || !contains_nocase(sym->qname, q))
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "name", json_object_new_string(sym->qname));
			json_object_object_add(o, "kind", json_object_new_int(symbol_kind(sym->kind)));
			json_object_object_add(o, "location", location(s, sp, sym->loc));
			if (sym->decl && sym->decl->module && sym->decl->module->name)
				json_object_object_add(o, "containerName", json_object_new_string(sym->decl->module->name));
			json_object_array_add(*result, o);
		}
	}
	return 0;
}

/* ============================================================= rename */

static bool renamable(const Sym *sym)
{
	if (sym->kind == SK_MODULE || sym->kind == SK_BUILTIN || sym->kind == SK_CHECK || sym->kind == SK_TEST)
		return false;
	const Decl *d = sym->decl;
	return !(d && d->module && d->module->name && strncmp(d->module->name, "std.", 4) == 0);
}

/* A declaration named `name` where sym's new name would clash with it:
 * a member of the same enumeration, a field of the same record or fact,
 * a declaration of the same module.  NULL when the name is free. */
static const Sym *same_scope(const SymIndex *ix, const Sym *sym, const char *name)
{
	const Module *m = sym->decl ? sym->decl->module : NULL;
	for (int i = 0; i < ix->nsyms; i++) {
		const Sym *o = ix->syms[i];
		if (o == sym || strcmp(o->name, name) != 0)
			continue;
		if (sym->parent ? o->parent == sym->parent
				: !o->parent && top_level(sym->kind) && top_level(o->kind) && o->decl && o->decl->module == m)
			return o;
	}
	return NULL;
}

/* "'priority' is already a decision of module grant, at grant.edict:16:10 ..." */
static const char *taken_message(const Space *sp, const Sym *o)
{
	const char *file = o->loc.file ? o->loc.file : "?";
	size_t n = sp->root ? strlen(sp->root) : 0;
	if (n && strncmp(file, sp->root, n) == 0 && file[n] == '/')
		file += n + 1; /* the file within its rule directory */
	const Module *m = o->decl ? o->decl->module : NULL;
	const char *of = o->parent	     ? xprintf("%s %s", sym_kind_name(o->parent->kind), o->parent->name)
			 : m && m->name ? xprintf("module %s", m->name)
					: "these rules";
	return xprintf("'%s' is already a %s of %s, at %s:%d:%d; choose another name", o->name, sym_kind_name(o->kind), of,
		       file, o->loc.line, o->loc.col);
}

static int m_prepare_rename(Server *s, json_object *params, json_object **result)
{
	Space *sp = NULL;
	int err;
	const SymUse *u = use_at(s, params, &sp, &err);
	*result = NULL;
	if (!u)
		return err;
	if (!renamable(u->sym)) {
		s->errmsg = "this name cannot be renamed here (a module, a built-in function, a test or check title, or the standard library)";
		return E_REQUEST_FAILED;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "range", range(s, file_source(s, sp, u->loc.file), u->loc));
	json_object_object_add(o, "placeholder", json_object_new_string(u->sym->name));
	*result = o;
	return 0;
}

static int m_rename(Server *s, json_object *params, json_object **result)
{
	const char *name = jstr(params, "newName");
	if (!name) {
		s->errmsg = "expected newName";
		return E_INVALID_PARAMS;
	}
	int err = m_prepare_rename(s, params, result);
	if (err || !*result)
		return err;
	json_object_put(*result);
	*result = NULL;
	if (!sym_valid_name(name)) {
		s->errmsg = xprintf("'%s' cannot be a name: use letters, digits and '_', not a keyword or a currency code", name);
		return E_REQUEST_FAILED;
	}
	Space *sp = NULL;
	const SymUse *u = use_at(s, params, &sp, &err);
	const Sym *taken = same_scope(sp->ix, u->sym, name);
	if (taken) {
		s->errmsg = taken_message(sp, taken);
		return E_REQUEST_FAILED;
	}
	json_object *changes = json_object_new_object();
	for (int i = 0; i < sp->ix->nuses; i++) {
		const SymUse *v = &sp->ix->uses[i];
		if (v->sym != u->sym)
			continue;
		const char *uri = path_uri(s, v->loc.file);
		json_object *edits;
		if (!json_object_object_get_ex(changes, uri, &edits)) {
			edits = json_object_new_array();
			json_object_object_add(changes, uri, edits);
		}
		json_object *e = json_object_new_object();
		json_object_object_add(e, "range", range(s, file_source(s, sp, v->loc.file), v->loc));
		json_object_object_add(e, "newText", json_object_new_string(name));
		json_object_array_add(edits, e);
	}
	json_object *we = json_object_new_object();
	json_object_object_add(we, "changes", changes);
	*result = we;
	return 0;
}

/* ========================================================= completion */

static int completion_kind(SymKind k)
{
	static const int kinds[] = {
		[SK_MODULE] = 9,    [SK_ENUM] = 13,  [SK_RECORD] = 22, [SK_MEMBER] = 20, [SK_FIELD] = 5,
		[SK_FACT] = 6,      [SK_PARAM] = 21, [SK_DECISION] = 6, [SK_TABLE] = 6,  [SK_FUNCTION] = 3,
		[SK_ARG] = 6,       [SK_LOCAL] = 6,  [SK_CHECK] = 1,   [SK_TEST] = 1,    [SK_BUILTIN] = 3,
		[SK_KEYWORD] = 14,  [SK_CURRENCY] = 11, [SK_DOCUMENT] = 17,
	};
	return kinds[k];
}

static int m_completion(Server *s, json_object *params, json_object **result)
{
	Doc *doc;
	int line, col;
	if (!doc_position(s, params, &doc, &line, &col))
		return E_INVALID_PARAMS;
	*result = json_object_new_array();
	if (!doc || !doc->space->ix)
		return 0;
	size_t len;
	const char *t = line_of(doc->src, line, &len);
	size_t upto = (size_t)(col - 1) < len ? (size_t)(col - 1) : len;
	SymCand *c;
	int n = sym_complete(doc->space->ix, doc->path, ast_strdup(t, upto), &c);
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "label", json_object_new_string(c[i].label));
		json_object_object_add(o, "kind", json_object_new_int(completion_kind(c[i].kind)));
		json_object_object_add(o, "detail",
				       json_object_new_string(c[i].detail ? xprintf("%s : %s", sym_kind_name(c[i].kind), c[i].detail)
									  : sym_kind_name(c[i].kind)));
		json_object_array_add(*result, o);
	}
	return 0;
}

/* ==================================================== semantic tokens */

typedef struct TokenOut {
	Server *s;
	Doc *doc;
	json_object *data;
	int line, ch; /* of the previous token */
} TokenOut;

static int sym_token(const Sym *sym, int *mods)
{
	switch (sym->kind) {
	case SK_MODULE: return TT_NAMESPACE;
	case SK_ENUM: return TT_ENUM;
	case SK_RECORD: return TT_STRUCT;
	case SK_MEMBER: return TT_MEMBER;
	case SK_FIELD: return TT_PROPERTY;
	case SK_PARAM: *mods |= TM_READONLY; return TT_VARIABLE;
	case SK_FUNCTION: return TT_FUNCTION;
	case SK_BUILTIN: *mods |= TM_LIBRARY; return TT_FUNCTION;
	case SK_ARG: return TT_PARAMETER;
	default: return TT_VARIABLE;
	}
}

static int token_type(TokenOut *o, const Token *t, int *mods)
{
	switch (parse_token_role(t->kind)) {
	case TOKR_KEYWORD: return TT_KEYWORD;
	case TOKR_NUMBER: return TT_NUMBER;
	case TOKR_STRING: return TT_STRING;
	case TOKR_CURRENCY: return TT_TYPE;
	case TOKR_OPERATOR: return TT_OPERATOR;
	case TOKR_NAME:
	case TOKR_UNIT: break;
	}
	SymIndex *ix = o->doc->space->ix;
	const SymUse *u = ix ? sym_at(ix, o->doc->path, t->line, t->col) : NULL;
	if (!u)
		return parse_token_role(t->kind) == TOKR_UNIT ? TT_KEYWORD : TT_VARIABLE;
	if (u->def)
		*mods |= TM_DECLARATION;
	return sym_token(u->sym, mods);
}

/* One token of `len` bytes at (line, col): relative to the one before. */
static void put_token(TokenOut *o, int line, int col, size_t len, int type, int mods)
{
	int ch = to_char(o->s, o->doc->src, line, col);
	int n = to_char(o->s, o->doc->src, line, col + (int)len) - ch;
	json_object_array_add(o->data, json_object_new_int(line - 1 - o->line));
	json_object_array_add(o->data, json_object_new_int(line - 1 == o->line ? ch - o->ch : ch));
	json_object_array_add(o->data, json_object_new_int(n));
	json_object_array_add(o->data, json_object_new_int(type));
	json_object_array_add(o->data, json_object_new_int(mods));
	o->line = line - 1;
	o->ch = ch;
}

/* The comments in the text between two tokens (only they and white space
 * are there), from byte a to b, starting at (line, col). */
static void put_comments(TokenOut *o, size_t a, size_t b, int line, int col)
{
	const char *t = o->doc->src->text;
	for (size_t i = a; i < b; i++) {
		int eol = source_eol(t + i, t + b);
		if (t[i] == '#') {
			size_t e = (size_t)(source_line_end(t + i, t + b) - t);
			put_token(o, line, col, e - i, TT_COMMENT, 0);
			col += (int)(e - i);
			i = e - 1;
		} else if (eol) {
			line++;
			col = 1;
			i += (size_t)eol - 1;
		} else {
			col++;
		}
	}
}

static int m_semantic_tokens(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	if (!doc) {
		*result = NULL;
		return s->errmsg && strcmp(s->errmsg, "expected textDocument.uri") == 0 ? E_INVALID_PARAMS : 0;
	}
	TokenOut o = {s, doc, json_object_new_array(), 0, 0};
	Token *toks;
	int n;
	parse_tokens(doc->src, diag_new(), &toks, &n);
	size_t at = 0;
	int line = 1, col = 1;
	for (int i = 0; i < n; i++) {
		const Token *t = &toks[i];
		put_comments(&o, at, t->off, line, col);
		at = t->off + t->len;
		line = t->line;
		col = t->col + (int)t->len;
		const char *text = doc->src->text;
		if (source_line_end(text + t->off, text + at) < text + at) {
			/* a token over lines (an unclosed text): not highlighted */
			for (size_t k = t->off; k < at; k++) {
				int eol = source_eol(text + k, text + at);
				if (eol)
					k += (size_t)eol - 1, line++, col = (int)(at - k);
			}
			continue;
		}
		int mods = 0;
		int type = token_type(&o, t, &mods);
		put_token(&o, t->line, t->col, t->len, type, mods);
	}
	put_comments(&o, at, doc->src->len, line, col);
	*result = json_object_new_object();
	json_object_object_add(*result, "data", o.data);
	return 0;
}

/* ======================================================= code actions */

static bool ident_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where a "did you mean" replacement goes: the dotted name the diagnostic
 * points at (`company.us_share` for `company.us_export_share`), or its last
 * part when the suggestion is a bare name; false when the place holds no
 * name (then no action is offered). */
static bool fix_span(const Source *src, const Diag *dg, Loc *out)
{
	long off = source_line_offset(src, dg->loc.line);
	if (off < 0 || dg->loc.line != dg->loc.eline)
		return false;
	const char *t = src->text + off + dg->loc.col - 1;
	int n = 0, last = 0;
	while (n <= dg->loc.ecol - dg->loc.col && (ident_byte(t[n]) || t[n] == '.')) {
		if (t[n] == '.')
			last = n + 1;
		n++;
	}
	if (n == 0 || last == n)
		return false;
	*out = dg->loc;
	out->ecol = dg->loc.col + n - 1;
	if (!strchr(dg->fix, '.'))
		out->col = dg->loc.col + last;
	return true;
}

static bool overlaps(const Loc *a, int l1, int l2)
{
	return a->line <= l2 && (a->eline ? a->eline : a->line) >= l1;
}

static int m_code_action(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	json_object *rg = jget(params, "range", json_type_object);
	int l1, l2;
	if (!rg || !jint(jget(rg, "start", json_type_object), "line", &l1) ||
	    !jint(jget(rg, "end", json_type_object), "line", &l2)) {
		s->errmsg = "expected textDocument and range";
		return E_INVALID_PARAMS;
	}
	*result = json_object_new_array();
	if (!doc || !doc->space->d)
		return 0;
	Space *sp = doc->space;
	for (int i = 0; i < sp->d->n; i++) {
		const Diag *dg = &sp->d->items[i];
		Loc at;
		if (!dg->fix || !dg->loc.file || strcmp(dg->loc.file, doc->path) != 0 || !overlaps(&dg->loc, l1 + 1, l2 + 1) ||
		    !fix_span(doc->src, dg, &at))
			continue;
		json_object *edit = json_object_new_object();
		json_object_object_add(edit, "range", range(s, doc->src, at));
		json_object_object_add(edit, "newText", json_object_new_string(dg->fix));
		json_object *edits = json_object_new_array();
		json_object_array_add(edits, edit);
		json_object *changes = json_object_new_object();
		json_object_object_add(changes, doc->uri, edits);
		json_object *we = json_object_new_object();
		json_object_object_add(we, "changes", changes);
		json_object *a = json_object_new_object();
		json_object_object_add(a, "title", json_object_new_string(xprintf("Change to '%s'", dg->fix)));
		json_object_object_add(a, "kind", json_object_new_string("quickfix"));
		json_object *ds = json_object_new_array();
		json_object_array_add(ds, diagnostic(s, sp, dg, doc->src));
		json_object_object_add(a, "diagnostics", ds);
		json_object_object_add(a, "isPreferred", json_object_new_boolean(1));
		json_object_object_add(a, "edit", we);
		json_object_array_add(*result, a);
	}
	return 0;
}

/* ===================================================== tests in lenses */

static const char *last_result(Space *sp, const char *test)
{
	for (int i = 0; i < sp->ntests; i++)
		if (strcmp(sp->test_names[i], test) == 0)
			return sp->test_results[i];
	return NULL;
}

/* The result of a test's last run, in place of the one before (a lens
 * shows the last). */
static void keep_result(Space *sp, const char *test, const char *text)
{
	for (int i = 0; i < sp->ntests; i++)
		if (strcmp(sp->test_names[i], test) == 0) {
			sp->test_results[i] = text;
			return;
		}
	AST_PUSH(sp->test_names, sp->ntests, test);
	int n = sp->ntests - 1;
	AST_PUSH(sp->test_results, n, text);
}

static int m_code_lens(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	*result = json_object_new_array();
	if (!doc)
		return s->errmsg && strcmp(s->errmsg, "expected textDocument.uri") == 0 ? E_INVALID_PARAMS : 0;
	Space *sp = doc->space;
	for (int i = 0; sp->ix && i < sp->ix->nsyms; i++) {
		const Sym *sym = sp->ix->syms[i];
		if (sym->kind != SK_TEST || !sym->loc.file || strcmp(sym->loc.file, doc->path) != 0 || !sym->decl->qname)
			continue;
		const char *last = last_result(sp, sym->decl->qname);
		json_object *cmd = json_object_new_object();
		json_object_object_add(cmd, "title", json_object_new_string(last ? xprintf("%s (run again)", last) : "Run test"));
		json_object_object_add(cmd, "command", json_object_new_string("edict.runTest"));
		json_object *args = json_object_new_array();
		json_object_array_add(args, json_object_new_string(doc->uri));
		json_object_array_add(args, json_object_new_string(sym->decl->qname));
		json_object_object_add(cmd, "arguments", args);
		json_object *lens = json_object_new_object();
		json_object_object_add(lens, "range", range(s, doc->src, sym->loc));
		json_object_object_add(lens, "command", cmd);
		json_object_array_add(*result, lens);
	}
	return 0;
}

static int run_test(Server *s, const char *uri, const char *name, json_object **result)
{
	Doc *doc = find_doc(s, uri);
	if (!doc || !doc->space->p) {
		s->errmsg = "the document is not open";
		return E_INVALID_PARAMS;
	}
	Space *sp = doc->space;
	if (sp->d->nerrors) {
		s->errmsg = "the rules have errors; a test runs once they are fixed";
		return E_REQUEST_FAILED;
	}
	Decl *t = NULL;
	for (int i = 0; i < sp->p->ntests && !t; i++)
		if (strcmp(sp->p->tests[i]->qname, name) == 0)
			t = sp->p->tests[i];
	if (!t) {
		s->errmsg = xprintf("there is no test '%s'", name);
		return E_INVALID_PARAMS;
	}
	Loc where;
	const char *why = query_run_test(sp->p, t, &where);
	const char *text = why ? xprintf("FAIL: %s:%d:%d: %s", where.file, where.line, where.col, why) : "PASS";
	keep_result(sp, t->qname, text);
	json_object *msg = json_object_new_object();
	json_object_object_add(msg, "type", json_object_new_int(why ? 1 : 3));
	json_object_object_add(msg, "message", json_object_new_string(xprintf("test %s: %s", t->qname, text)));
	send_notification(s, "window/showMessage", msg);
	if (s->lens_refresh)
		send_request(s, "workspace/codeLens/refresh", NULL);
	json_object *r = json_object_new_object();
	json_object_object_add(r, "test", json_object_new_string(t->qname));
	json_object_object_add(r, "passed", json_object_new_boolean(!why));
	json_object_object_add(r, "message", json_object_new_string(text));
	*result = r;
	return 0;
}

static int m_execute_command(Server *s, json_object *params, json_object **result)
{
	const char *cmd = jstr(params, "command");
	json_object *args = jget(params, "arguments", json_type_array);
	*result = NULL;
	if (!cmd || strcmp(cmd, "edict.runTest") != 0) {
		s->errmsg = "the only command is edict.runTest";
		return E_INVALID_PARAMS;
	}
	json_object *a0 = args ? json_object_array_get_idx(args, 0) : NULL;
	json_object *a1 = args ? json_object_array_get_idx(args, 1) : NULL;
	if (!a0 || !a1 || !json_object_is_type(a0, json_type_string) || !json_object_is_type(a1, json_type_string)) {
		s->errmsg = "edict.runTest takes a document URI and a test name";
		return E_INVALID_PARAMS;
	}
	return run_test(s, json_object_get_string(a0), json_object_get_string(a1), result);
}

/* ========================================================= formatting */

static int m_formatting(Server *s, json_object *params, json_object **result)
{
	Doc *doc = doc_param(s, params);
	*result = NULL;
	if (!doc)
		return s->errmsg && strcmp(s->errmsg, "expected textDocument.uri") == 0 ? E_INVALID_PARAMS : 0;
	size_t len;
	const char *text = layout_format(doc->path, doc->src->text, doc->src->len, diag_new(), &len);
	if (!text) {
		s->errmsg = "the document has syntax errors; it is laid out once they are fixed";
		return E_REQUEST_FAILED;
	}
	*result = json_object_new_array();
	if (len == doc->src->len && memcmp(text, doc->src->text, len) == 0)
		return 0;
	/* one edit: the whole text */
	size_t last;
	line_of(doc->src, source_nlines(doc->src), &last);
	Loc all = {doc->path, 1, 1, source_nlines(doc->src), (int)last};
	json_object *e = json_object_new_object();
	json_object_object_add(e, "range", range(s, doc->src, all));
	json_object_object_add(e, "newText", json_object_new_string_len(text, (int)len));
	json_object_array_add(*result, e);
	return 0;
}

/* =========================================================== dispatch */

typedef int (*Handler)(Server *s, json_object *params, json_object **result);

static const struct {
	const char *method;
	Handler fn;
} methods[] = {
	{"initialize", m_initialize},
	{"shutdown", m_shutdown},
	{"textDocument/didOpen", m_did_open},
	{"textDocument/didChange", m_did_change},
	{"textDocument/didSave", m_did_save},
	{"textDocument/didClose", m_did_close},
	{"workspace/didChangeWatchedFiles", m_watched_files},
	{"textDocument/hover", m_hover},
	{"textDocument/definition", m_definition},
	{"textDocument/references", m_references},
	{"textDocument/documentSymbol", m_document_symbol},
	{"workspace/symbol", m_workspace_symbol},
	{"textDocument/prepareRename", m_prepare_rename},
	{"textDocument/rename", m_rename},
	{"textDocument/completion", m_completion},
	{"textDocument/semanticTokens/full", m_semantic_tokens},
	{"textDocument/codeAction", m_code_action},
	{"textDocument/codeLens", m_code_lens},
	{"workspace/executeCommand", m_execute_command},
	{"textDocument/formatting", m_formatting},
};

/* What a JSON value is, in words. */
static const char *json_kind(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "true or false";
	case json_type_int:
	case json_type_double: return "a number";
	case json_type_string: return "a string";
	case json_type_array: return "a list";
	case json_type_object: return "an object";
	}
	return "something else";
}

/* An id the reply can give back exactly: a string, or an integer in the
 * range LSP allows (json-c would clamp 10^30 to 2^64 - 1). */
static bool good_id(json_object *id)
{
	if (json_object_is_type(id, json_type_string))
		return true;
	if (!json_object_is_type(id, json_type_int))
		return false;
	int64_t k = json_object_get_int64(id);
	return k >= INT32_MIN && k <= INT32_MAX;
}

/* One message.  Returns 1 when the server should stop (exit). */
static int handle(Server *s, json_object *msg)
{
	if (!json_object_is_type(msg, json_type_object)) {
		send_error(s, NULL, E_INVALID_REQUEST,
			   xprintf("a message must be a JSON object ({\"jsonrpc\": \"2.0\", \"method\": ...}), not %s",
				   json_kind(msg)));
		return 0;
	}
	json_object *id = NULL;
	bool has_id = json_object_object_get_ex(msg, "id", &id);
	if (has_id && id && !good_id(id)) {
		send_error(s, NULL, E_INVALID_REQUEST,
			   "the id must be a string or a whole number from -2147483648 to 2147483647 (an LSP integer)");
		return 0;
	}
	const char *method = jstr(msg, "method");
	if (!method) {
		if (has_id && (json_object_object_get_ex(msg, "result", NULL) || json_object_object_get_ex(msg, "error", NULL)))
			return 0; /* the client's answer to a request of ours */
		send_error(s, id, E_INVALID_REQUEST, "the message has no method");
		return 0;
	}
	if (strlen(method) != (size_t)json_object_get_string_len(jget(msg, "method", json_type_string))) {
		/* "shutdown\u0000x" is not shutdown */
		send_error(s, id, E_INVALID_REQUEST, "the method name holds a NUL character (\\u0000); no method has one");
		return 0;
	}
	if (strcmp(method, "exit") == 0)
		return 1;
	json_object *params = NULL;
	json_object_object_get_ex(msg, "params", &params);
	if (params && !json_object_is_type(params, json_type_object) && !json_object_is_type(params, json_type_array)) {
		if (has_id)
			send_error(s, id, E_INVALID_PARAMS, "params must be an object or an array");
		return 0;
	}
	if (!has_id && strcmp(method, "initialized") == 0)
		return 0;
	if (!s->initialized && strcmp(method, "initialize") != 0) {
		if (has_id)
			send_error(s, id, E_NOT_INITIALIZED, "the server is not initialized yet");
		return 0;
	}
	if (s->initialized && strcmp(method, "initialize") == 0 && has_id) {
		send_error(s, id, E_INVALID_REQUEST, "the server is already initialized");
		return 0;
	}
	if (s->shutdown && has_id) {
		send_error(s, id, E_INVALID_REQUEST, "the server is shutting down");
		return 0;
	}
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (strcmp(methods[i].method, method) != 0)
			continue;
		json_object *result = NULL;
		s->errmsg = NULL;
		int code = methods[i].fn(s, params, &result);
		if (!has_id) {
			json_object_put(result);
			if (code) {
				/* a notification has no answer: tell the person instead */
				json_object *m = json_object_new_object();
				json_object_object_add(m, "type", json_object_new_int(1));
				json_object_object_add(m, "message", json_object_new_string(
					xprintf("edict: %s: %s", method, s->errmsg ? s->errmsg : "the notification failed")));
				send_notification(s, "window/showMessage", m);
			}
		} else if (code) {
			json_object_put(result);
			send_error(s, id, code, s->errmsg ? s->errmsg : "the request failed");
		} else {
			send_result(s, id, result);
		}
		return 0;
	}
	if (has_id)
		send_error(s, id, E_NO_METHOD, xprintf("unknown method '%s'", method));
	return 0;
}

int lsp_serve(FILE *in, FILE *out, const LspOptions *opts)
{
	Server *s = GC_MALLOC(sizeof *s);
	s->in = in;
	s->out = out;
	s->opts = *opts;
	json_tokener *tok = json_tokener_new_ex(64);
	for (;;) {
		size_t len;
		const char *bad;
		char *body = read_message(s, &len, &bad);
		if (!body)
			break;
		if (bad) {
			send_error(s, NULL, E_PARSE, bad);
			continue;
		}
		json_tokener_reset(tok);
		json_object *msg = json_tokener_parse_ex(tok, body, (int)len);
		enum json_tokener_error jerr = json_tokener_get_error(tok);
		size_t end = jerr == json_tokener_success ? json_tokener_get_parse_end(tok) : 0;
		if (jerr == json_tokener_continue && len > 0) {
			/* a bare number or word (`5`, `null`) waits for more: there is none */
			msg = json_tokener_parse_ex(tok, " ", 1);
			jerr = json_tokener_get_error(tok);
			end = len;
		}
		while (end < len && strchr(" \t\r\n", body[end]) && body[end])
			end++;
		if (jerr != json_tokener_success || end != len) {
			json_object_put(msg);
			send_error(s, NULL, E_PARSE,
				   xprintf("the message is not valid JSON: %s",
					   jerr == json_tokener_success    ? "there is more after the value"
					   : jerr == json_tokener_continue ? "it ends before the value does"
									   : json_tokener_error_desc(jerr)));
			continue;
		}
		int stop = handle(s, msg);
		json_object_put(msg);
		if (stop)
			break;
	}
	json_tokener_free(tok);
	return s->shutdown ? 0 : 1;
}

/* ============================================================ command */

int cmd_lsp(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--stdio") != 0) {
			cli_usage_error("edict lsp takes no arguments but --stdio, not '%s'", argv[i]);
			return EXIT_USAGE;
		}
	LspOptions o = {.disk = true};
	return lsp_serve(stdin, stdout, &o);
}
