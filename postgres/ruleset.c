/*
 * ruleset.c - where the extension's rule sets come from, and each
 * backend's cache of loaded ones.
 *
 * A rule set is named in every call.  It comes from the newest version of
 * that name in the table edict.ruleset (the rule files as a jsonb object,
 * file name -> text), else from the directory of that name under the
 * setting edict.rules_root, which only a superuser sets.  A statement
 * looks its rule set up once, on its first call (the name and the content
 * hash are kept in the call's fn_extra): the table row is read with the
 * statement's snapshot, the directory's files are read and hashed.  The
 * backend keeps the loaded rule set by name and content hash; when the
 * content changes, the next statement loads the new one and frees the old.
 * Nothing is shared between backends: each parallel worker looks up and
 * loads for itself.
 */
#include "edict_pg.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#define NAME_MAX_LEN 200
#define DIR_MAX_DEPTH 32 /* as the library's walk */

static PgRules *loaded; /* this backend's rule sets, newest first */

/* What a lookup found: a table row or a directory, and its content hash. */
typedef struct Found {
	bool in_table;
	uint64 hash;
	Jsonb *files; /* the table's row */
	char *dir;    /* the directory */
} Found;

/* Names usable as a directory: letters, digits, _ . -, not starting with
 * a dot (so never "..", never a path). */
static bool dir_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

/* The newest row of edict.ruleset with this name, read with the calling
 * statement's snapshot. */
static bool find_in_table(const char *name, Found *f)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid types[1] = {TEXTOID};
	Datum args[1] = {CStringGetTextDatum(name)};
	bool found = false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "edict: SPI_connect failed");
	int rc = SPI_execute_with_args("SELECT version, files FROM edict.ruleset"
				       " WHERE name OPERATOR(pg_catalog.=) $1 ORDER BY version DESC LIMIT 1",
				       1, types, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "edict: reading edict.ruleset failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 1) {
		bool null_version, null_files;
		Datum v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null_version);
		Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &null_files);
		if (!null_files) {
			MemoryContext spi = MemoryContextSwitchTo(outer);
			f->files = DatumGetJsonbPCopy(d);
			MemoryContextSwitchTo(spi);
			int32 version = null_version ? 0 : DatumGetInt32(v);
			f->in_table = found = true;
			f->hash = hash_bytes_extended((const unsigned char *)VARDATA(f->files), VARSIZE(f->files) - VARHDRSZ,
						      (uint64)version);
		}
	}
	SPI_finish();
	return found;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mix every .edict file below dir (its path from the root and its bytes)
 * into h, in name order.  Files that cannot be read are mixed in as such:
 * the load then says why. */
static uint64 hash_dir(const char *dir, const char *rel, int depth, uint64 h)
{
	DIR *d = depth <= DIR_MAX_DEPTH ? opendir(dir) : NULL;
	if (!d)
		return hash_bytes_extended((const unsigned char *)rel, strlen(rel), h ^ 0x5bd1e995);
	int n = 0, cap = 16;
	char **names = palloc(sizeof(char *) * cap);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap)
			names = repalloc(names, sizeof(char *) * (cap *= 2));
		names[n++] = pstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), compare_names);
	for (int i = 0; i < n; i++) {
		char *path = psprintf("%s/%s", dir, names[i]);
		char *rpath = psprintf("%s/%s", rel, names[i]);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			h = hash_dir(path, rpath, depth + 1, h);
		} else if (S_ISREG(st.st_mode) && strlen(names[i]) > 6 && strcmp(names[i] + strlen(names[i]) - 6, ".edict") == 0) {
			h = hash_bytes_extended((const unsigned char *)rpath, strlen(rpath), h);
			int fd = open(path, O_RDONLY | O_NONBLOCK);
			if (fd < 0)
				continue;
			char buf[65536];
			ssize_t got;
			while ((got = read(fd, buf, sizeof buf)) > 0)
				h = hash_bytes_extended((const unsigned char *)buf, (size_t)got, h);
			close(fd);
		}
	}
	return h;
}

static bool find_in_dir(const char *name, Found *f)
{
	if (!pg_rules_root || !pg_rules_root[0] || !dir_name_ok(name))
		return false;
	char *dir = psprintf("%s/%s", pg_rules_root, name);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	f->dir = dir;
	f->hash = hash_dir(dir, name, 0, 0x9e3779b97f4a7c15ull);
	return true;
}

static void find(const char *name, Found *f)
{
	memset(f, 0, sizeof *f);
	if (find_in_table(name, f) || find_in_dir(name, f))
		return;
	ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("there is no rule set named \"%s\"", name),
			errhint("Add its files to the table edict.ruleset, or put a directory \"%s\" under edict.rules_root%s.",
				name, pg_rules_root && pg_rules_root[0] ? "" : " (not set)")));
}

/* Load what was found: the table's files from memory, or the directory. */
static edict_rules *load(const char *name, const Found *f)
{
	pg_edict_start();
	edict_rules *r = NULL;
	int st;
	if (f->in_table) {
		if (!JB_ROOT_IS_OBJECT(f->files) || JB_ROOT_IS_SCALAR(f->files))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("the files of rule set \"%s\" in edict.ruleset must be a JSON object of file name and rule text",
					       name)));
		int n = JB_ROOT_COUNT(f->files), i = 0;
		edict_source *srcs = palloc0(sizeof(edict_source) * (n + 1));
		JsonbIterator *it = JsonbIteratorInit(&f->files->root);
		JsonbValue v;
		JsonbIteratorToken tok;
		char *key = NULL;
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
			if (tok == WJB_KEY) {
				key = pnstrdup(v.val.string.val, v.val.string.len);
			} else if (tok == WJB_VALUE) {
				if (v.type != jbvString)
					ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("the file \"%s\" of rule set \"%s\" in edict.ruleset must be rule text (a JSON string)",
							       key, name)));
				srcs[i++] = (edict_source){key, v.val.string.val, (size_t)v.val.string.len};
			}
		}
		st = edict_load_sources(srcs, (size_t)i, &r);
	} else {
		const char *paths[1] = {f->dir};
		st = edict_load_paths(paths, 1, &r);
	}
	if (!r)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory loading rule set \"%s\"", name)));
	(void)st;
	return r;
}

/* The first error of a failed load, as an ERROR with the whole report as
 * its detail; frees the handle. */
static void pg_attribute_noreturn() load_failed(const char *name, edict_rules *r)
{
	int st = edict_rules_status(r);
	char *report = pstrdup(edict_rules_report(r));
	size_t n = strlen(report);
	while (n && report[n - 1] == '\n')
		report[--n] = 0;
	char *first = NULL;
	for (size_t i = 0; i < edict_rules_diag_count(r) && !first; i++) {
		edict_diag d;
		if (edict_rules_diag(r, i, &d) == EDICT_OK && d.severity == EDICT_SEV_ERROR)
			first = d.line > 0 ? psprintf("%s:%d:%d: error: %s", d.file ? d.file : "", d.line, d.column, d.message)
					   : psprintf("%s%s%s", d.file ? d.file : "", d.file ? ": " : "", d.message);
	}
	edict_rules_free(r);
	ereport(ERROR, (errcode(st == EDICT_EIO ? ERRCODE_IO_ERROR : st == EDICT_ENOMEM ? ERRCODE_OUT_OF_MEMORY
											 : ERRCODE_INVALID_OBJECT_DEFINITION),
			errmsg("rule set \"%s\" does not load: %s", name, first ? first : "out of memory"),
			errdetail("%s", report)));
}

static PgRules *cached(const char *name, uint64 hash)
{
	for (PgRules *p = loaded; p; p = p->next)
		if (p->hash == hash && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Keep a new load, dropping older loads of the same name. */
static PgRules *keep(const char *name, uint64 hash, edict_rules *r)
{
	edict_ctx *x = NULL;
	if (edict_ctx_new(r, &x) != EDICT_OK) {
		edict_rules_free(r);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory loading rule set \"%s\"", name)));
	}
	PgRules *p = malloc(sizeof *p);
	char *copy = strdup(name);
	if (!p || !copy) {
		free(p);
		free(copy);
		edict_ctx_free(x);
		edict_rules_free(r);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	for (PgRules **at = &loaded; *at;) {
		PgRules *old = *at;
		if (strcmp(old->name, name) == 0) {
			*at = old->next;
			edict_ctx_free(old->ctx);
			edict_rules_free(old->rules);
			free(old->name);
			free(old);
		} else {
			at = &old->next;
		}
	}
	*p = (PgRules){copy, hash, r, x, loaded};
	loaded = p;
	return p;
}

/* What a call site keeps for its statement (fn_extra). */
typedef struct StmtRules {
	char name[NAME_MAX_LEN + 1];
	uint64 hash;
} StmtRules;

PgRules *pg_rules_for(FunctionCallInfo fcinfo, text *name_arg)
{
	char *name = text_to_cstring(name_arg);
	StmtRules *s = fcinfo->flinfo->fn_extra;
	if (s && strcmp(s->name, name) == 0) {
		PgRules *p = cached(name, s->hash);
		if (p)
			return p;
	}
	if (strlen(name) > NAME_MAX_LEN)
		ereport(ERROR, (errcode(ERRCODE_NAME_TOO_LONG), errmsg("a rule set name has at most %d bytes", NAME_MAX_LEN)));
	Found f;
	find(name, &f);
	PgRules *p = cached(name, f.hash);
	if (!p) {
		edict_rules *r = load(name, &f);
		if (edict_rules_status(r) != EDICT_OK)
			load_failed(name, r);
		p = keep(name, f.hash, r);
	}
	if (!s)
		s = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *s);
	strlcpy(s->name, name, sizeof s->name);
	s->hash = f.hash;
	return p;
}

edict_rules *pg_rules_load_fresh(const char *name)
{
	Found f;
	find(name, &f);
	return load(name, &f);
}
