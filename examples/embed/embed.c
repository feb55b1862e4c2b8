/*
 * embed.c - a host program that embeds Edict: it loads a rule set and
 * prints one company's export voucher decision with its explanation.
 *
 *     embed [RULES_DIR [FACTS.json]]
 *
 * RULES_DIR defaults to ../../rules/kotra (the KOTRA rule library, from
 * this directory); FACTS.json to a company written below.  Build it against
 * an installed libedict with pkg-config:
 *
 *     cc -o embed embed.c $(pkg-config --cflags --libs edict)
 *
 * or `make` (see the Makefile).  Exit status: 0, or 1 with the reason on
 * standard error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <edict.h>

static const char *default_company =
	"{\"as_of\": \"2026-12-01\",\n"
	" \"company\": {\"name\": \"Hanbit Apparel Co.\", \"size\": \"sme\", \"us_export_share\": \"22%\",\n"
	"             \"voucher_requested\": \"40000000 KRW\", \"voucher_received\": \"0 KRW\"}}";

/* Read a whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *more = realloc(buf, cap * 2);
		if (!more)
			free(buf);
		buf = more;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../../rules/kotra";
	edict_init();

	/* 1. Load the rule set once.  Its diagnostics are data: print them. */
	edict_rules *rules;
	int st = edict_load_paths(&dir, 1, &rules);
	if (st != EDICT_OK) {
		fprintf(stderr, "embed: the rules in %s do not load (%s):\n", dir, edict_status_name(st));
		for (size_t i = 0; i < edict_rules_diag_count(rules); i++)
			fputs(edict_rules_diag_text(rules, i), stderr);
		edict_rules_free(rules);
		return 1;
	}

	/* 2. A context per case: the company's facts. */
	edict_ctx *ctx;
	if (edict_ctx_new(rules, &ctx) != EDICT_OK) {
		fprintf(stderr, "embed: out of memory\n");
		return 1;
	}
	char *text = NULL;
	size_t len = EDICT_NUL_TERMINATED;
	if (argc > 2 && !(text = read_file(argv[2], &len))) {
		perror(argv[2]);
		return 1;
	}
	if (edict_ctx_set_facts_json(ctx, text ? text : default_company, len) != EDICT_OK) {
		fprintf(stderr, "embed: %s\n", edict_ctx_errmsg(ctx));
		return 1;
	}
	free(text); /* the library copied what it needs */

	/* 3. Ask: typed values ... */
	edict_value *eligible, *award;
	int yes;
	if (edict_eval(ctx, "voucher.eligible", &eligible) != EDICT_OK ||
	    edict_eval(ctx, "voucher.award", &award) != EDICT_OK) {
		fprintf(stderr, "embed: %s\n", edict_ctx_errmsg(ctx));
		return 1;
	}
	printf("as of %s\n", edict_ctx_as_of(ctx));
	if (edict_value_kind(eligible) == EDICT_KIND_UNKNOWN)
		printf("eligible: not known yet, it needs %s\n", edict_value_missing_json(eligible));
	else if (edict_value_bool(eligible, &yes) == EDICT_OK)
		printf("eligible: %s\n", yes ? "yes" : "no");
	printf("voucher award: %s\n", edict_value_text(award));

	/* ... and why, with the policy text each step rests on. */
	const char *why;
	if (edict_explain_text(ctx, "voucher.award", &why) != EDICT_OK) {
		fprintf(stderr, "embed: %s\n", edict_ctx_errmsg(ctx));
		return 1;
	}
	printf("\n%s", why);

	/* 4. Done: free the context, then the rule set (any order works). */
	edict_ctx_free(ctx);
	edict_rules_free(rules);
	return 0;
}
