/*
 * common.h - what the commands of cli/ share: the exit statuses, printing
 * diagnostics, the usage message, and parsing the options that several
 * commands take.  No command file calls another; they meet here.
 */
#ifndef EDICT_CLI_COMMON_H
#define EDICT_CLI_COMMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "api.h"

/* The exit statuses: a contract with the scripts that call edict. */
enum { EXIT_OK = 0, EXIT_DIAG = 1, EXIT_USAGE = 2, EXIT_FACTS = 3 };

/* Whether to colour what goes to f (a terminal, and NO_COLOR unset). */
bool cli_color(FILE *f);

/* "edict: <fmt with arg>" and a pointer to `edict help`, on stderr. */
/* A usage error: "WHO: " the reason (fmt with arg), then the line `then`
 * (the command's usage, or where to read it). */
void cli_usage(const char *who, const char *fmt, const char *arg, const char *then);
void cli_usage_error(const char *fmt, const char *arg);

void cli_print_diags(const Diags *d);
/* The diagnostics of a reform loaded over rules that loaded well: every
 * error, and the warnings about the reform's own files (those about the
 * rules were said when they loaded). */
void cli_print_reform_diags(const Diags *d, const char *const *files, int nfiles);

/* How the commands that evaluate many records run them: on `jobs`
 * threads (--jobs/-j N), and in machine code where it can (--native). */
typedef struct CliRun {
	int jobs;
	bool native;
} CliRun;

/* What every command that evaluates takes: the rule files and folders,
 * and the shared options (cli_shared_option).  batch and simulate parse
 * it with cli_parse_eval_opts, the others within Opts. */
typedef struct CliEvalOpts {
	const char **paths;
	int npaths;
	const char **queries;
	int nqueries;
	const char *as_of;
	CliRun run;
} CliEvalOpts;

/* The options the commands that evaluate share, into e: --query/-q,
 * --as-of, --jobs/-j and --native.  argv[*i] is looked at; returns 1 when
 * it was one of them (and *i moves past its value), 0 when it was not, -1
 * after calling usage with the reason. */
typedef void (*CliUsage)(const char *fmt, const char *arg);
int cli_shared_option(int argc, char **argv, int *i, CliEvalOpts *e, CliUsage usage);

/* The value after the option argv[*i] (*i moves to it), or NULL after
 * calling usage with need, a message about argv[*i] (its %s). */
const char *cli_option_value(int argc, char **argv, int *i, const char *need, CliUsage usage);

/* The whole number from lo to hi after the option argv[*i] (whose long
 * form is name), into *n; *i moves to it.  1, or -1 after calling usage
 * with the reason. */
int cli_number_option(int argc, char **argv, int *i, const char *name, long lo, long hi, long *n, CliUsage usage);

/* One of a command's own options at argv[*i], for cli_parse_eval_opts:
 * 1 when it is one (and *i moves past its value), 0 when it is not, -1
 * after calling usage with the reason. */
typedef int (*CliOwnOption)(int argc, char **argv, int *i, void *opts, CliUsage usage);

/* cli_parse_eval_opts's answer when the command should go on. */
#define CLI_GO_ON (-1)

/* Parse argv (the words after the command's name) into e (from scratch,
 * one job) and, through own, the command's opts: each word is an option
 * of the command's own, a shared one (cli_shared_option), --help/-h, or a
 * rule file or folder, of which there must be one at least.  Returns
 * CLI_GO_ON, or the exit status: EXIT_OK after writing help to standard
 * output, EXIT_USAGE after calling usage with the reason. */
int cli_parse_eval_opts(int argc, char **argv, CliEvalOpts *e, CliOwnOption own, void *opts, CliUsage usage,
			const char *help);

/* Options shared by the commands that take a rule set (check, eval, test,
 * disasm). */
typedef struct Opts {
	CliEvalOpts eval; /* the rules, --query, --as-of, --jobs, --native */
	const char *facts;
	bool json, explain, explain_full, fail_fast;
	/* test: --coverage, --lcov FILE, --min PERCENT (either implies coverage) */
	bool coverage;
	const char *lcov;
	double min;
	const char **reforms; /* test: --reform FILE|DIR, repeatable: one reform */
	int nreforms;
	const char *out;    /* doc: -o DIR */
	const char *format; /* graph: --format dot|svg */
} Opts;

/* Parse argv (the words after the command's name) into o; -1 after a usage
 * message. */
int cli_parse_opts(int argc, char **argv, Opts *o, const char *cmd);

/* The start-up cache of compiled images (eval, batch, test): on unless
 * --no-cache is among the arguments (taken out of them) or EDICT_CACHE is
 * "off" or "0"; its folder is EDICT_CACHE when that names one, else
 * $XDG_CACHE_HOME/edict, else ~/.cache/edict.  Returns whether it is on. */
bool cli_image_cache(int *argc, char **argv);

/* Before evaluating on `jobs` threads (batch, simulate): a collected heap of
 * CLI_HEAP_PER_JOB a thread, so that the collector, which stops every
 * thread to collect, does so a few times less often.  Nothing with one
 * job, or when GC_INITIAL_HEAP_SIZE is set. */
#define CLI_HEAP_PER_JOB ((size_t)8 << 20)
void cli_heap_for_jobs(int jobs);
/* --native for the commands that evaluate many records (batch, simulate):
 * the rule sets' decisions that the queries reach compiled to machine code
 * on a thread of its own, while the interpreter starts on the records; the
 * evaluations move to the machine code once it is ready
 * (edict_rules_native).  Nothing with no rule sets; compiled first where
 * no thread can be made, or the compile is not for beside other threads
 * (native_beside_threads). */
typedef struct CliNative {
	edict_rules *rules[2];
	int nrules;
	const char *const *queries;
	size_t nqueries;
	pthread_t thread;
	bool started;
} CliNative;
void cli_native_start(CliNative *n);
/* Wait for the compile to end, before the rules go. */
void cli_native_wait(CliNative *n);

/* Load o's paths, printing the diagnostics; NULL when there were errors. */
Program *cli_load(const Opts *o);

#endif
