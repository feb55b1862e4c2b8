/*
 * edict_pg.c - Edict inside PostgreSQL: the SQL functions of the
 * extension (edict--0.1.sql declares them), its settings, how its errors
 * become PostgreSQL errors, and how a cancel or statement_timeout stops an
 * evaluation.
 *
 * Each call: find the rule set (ruleset.c), set the as-of date and the
 * limits on its context, report the jsonb facts to the library event by
 * event (edict_facts_*: no JSON text is made), evaluate, and turn the
 * JSON answer into jsonb.  The library never calls back into PostgreSQL,
 * so no PostgreSQL error can unwind through it; every failure comes back
 * as a status and is raised here, after the library call has returned.
 *
 * Interruption: while an evaluation runs, this backend's SIGINT and
 * SIGTERM handlers (a cancel, statement_timeout, a termination) also call
 * edict_ctx_interrupt, which only sets a flag that the VM reads at its
 * next backward jump or call; when the evaluation returns interrupted,
 * CHECK_FOR_INTERRUPTS raises PostgreSQL's own error.  The collector and
 * signals: docs/postgres.md.
 */
#include "edict_pg.h"

#include <gc.h>
#include <limits.h>

#include "catalog/pg_type_d.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

PG_MODULE_MAGIC;

char *pg_rules_root;
static int max_steps;
static int max_memory_kb;
static int heap_limit_mb;

void _PG_init(void)
{
	DefineCustomStringVariable("edict.rules_root", "Directory holding rule sets, one directory per rule set.",
				   "Only superusers can change it.", &pg_rules_root, NULL, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("edict.max_steps", "Steps one evaluation may take before it stops with an error.", NULL,
				&max_steps, 10000000, 1000, INT_MAX, PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("edict.max_memory", "Memory one evaluation may allocate before it stops with an error.",
				NULL, &max_memory_kb, 65536, 64, INT_MAX, PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("edict.heap_limit",
				"Largest heap of rules and results a backend may collect, 0 for no limit.",
				"Read when a backend first uses the extension.", &heap_limit_mb, 0, 0, INT_MAX / 2,
				PGC_SUSET, GUC_UNIT_MB, NULL, NULL, NULL);
	MarkGUCPrefixReserved("edict");
}

/* ------------------------------------------------------------ signals */

static edict_ctx *volatile running; /* the context evaluating now, or NULL */
static pqsigfunc next_sigint, next_sigterm;

static void relay(SIGNAL_ARGS)
{
	edict_ctx *x = running;
	if (x)
		edict_ctx_interrupt(x); /* only stores a flag: safe here */
	pqsigfunc next = postgres_signal_arg == SIGINT ? next_sigint : next_sigterm;
	next(postgres_signal_arg);
}

/* Put relay in front of the handler of sig, when that is a function (a
 * backend's and a parallel worker's are). */
static void relay_signal(int sig, pqsigfunc *next)
{
	pqsigfunc old = pqsignal(sig, relay);
	if (old == SIG_IGN || old == SIG_DFL || old == SIG_ERR || old == relay) {
		if (old != relay)
			pqsignal(sig, old);
		return;
	}
	*next = old;
}

void pg_edict_start(void)
{
	static bool started;
	if (started)
		return;
	/* one thread: no parallel marker threads, so the collector never
	 * stops the world with signals (docs/postgres.md) */
	GC_set_markers_count(1);
	edict_init();
	if (heap_limit_mb > 0)
		GC_set_max_heap_size((size_t)heap_limit_mb << 20);
	relay_signal(SIGINT, &next_sigint);
	relay_signal(SIGTERM, &next_sigterm);
	started = true;
}

/* ------------------------------------------------------------- errors */

static int sqlstate(int st)
{
	switch (st) {
	case EDICT_ESYNTAX: return ERRCODE_SYNTAX_ERROR;
	case EDICT_ETYPE: return ERRCODE_DATATYPE_MISMATCH;
	case EDICT_EFACTS: return ERRCODE_INVALID_PARAMETER_VALUE;
	case EDICT_ERUNTIME: return ERRCODE_DATA_EXCEPTION;
	case EDICT_ELIMIT: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
	case EDICT_ENOMEM: return ERRCODE_OUT_OF_MEMORY;
	case EDICT_EUSAGE: return ERRCODE_UNDEFINED_OBJECT;
	case EDICT_EIO: return ERRCODE_IO_ERROR;
	case EDICT_EINTERRUPTED: return ERRCODE_QUERY_CANCELED;
	default: return ERRCODE_INTERNAL_ERROR;
	}
}

/* The context's error as a PostgreSQL ERROR: the message's first line
 * (file:line:col: ...), the quoted line and carets as the detail. */
static void pg_attribute_noreturn() fail(edict_ctx *x, int st)
{
	if (st == EDICT_EINTERRUPTED)
		CHECK_FOR_INTERRUPTS(); /* PostgreSQL's own cancel or timeout error */
	edict_diag d;
	edict_ctx_error(x, &d);
	char *msg = pstrdup(d.message && d.message[0] ? d.message : edict_status_name(st));
	char *hint = d.hint ? pstrdup(d.hint) : NULL;
	char *rest = strchr(msg, '\n');
	if (rest)
		*rest++ = 0;
	ereport(ERROR, (errcode(sqlstate(st)), errmsg("%s", msg), rest ? errdetail("%s", rest) : 0,
			hint ? errhint("%s", hint) : 0));
}

/* ------------------------------------------------------------ a case */

/* Report a jsonb document to the context, event by event. */
static void put_facts(edict_ctx *x, Jsonb *jb)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue v;
	JsonbIteratorToken tok;
	bool raw_scalar = false;
	int st = edict_facts_begin(x);
	while (st == EDICT_OK && (tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
		switch (tok) {
		case WJB_BEGIN_OBJECT: st = edict_facts_object(x); break;
		case WJB_BEGIN_ARRAY:
			/* a bare scalar is stored as a one-item array */
			if (v.val.array.rawScalar)
				raw_scalar = true;
			else
				st = edict_facts_array(x);
			break;
		case WJB_END_ARRAY:
			if (!raw_scalar)
				st = edict_facts_end(x);
			break;
		case WJB_END_OBJECT: st = edict_facts_end(x); break;
		case WJB_KEY: st = edict_facts_key(x, v.val.string.val, (size_t)v.val.string.len); break;
		case WJB_VALUE:
		case WJB_ELEM:
			switch (v.type) {
			case jbvNull: st = edict_facts_null(x); break;
			case jbvBool: st = edict_facts_bool(x, v.val.boolean); break;
			case jbvString: st = edict_facts_string(x, v.val.string.val, (size_t)v.val.string.len); break;
			case jbvNumeric: {
				char *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
				st = edict_facts_number(x, s, strlen(s));
				pfree(s);
				break;
			}
			default: elog(ERROR, "edict: unexpected jsonb value type %d", (int)v.type);
			}
			break;
		default: break;
		}
	}
	st = edict_facts_commit(x);
	if (st != EDICT_OK)
		fail(x, st);
}

static void set_date(edict_ctx *x, FunctionCallInfo fcinfo, int arg)
{
	if (PG_NARGS() <= arg || PG_ARGISNULL(arg)) {
		edict_ctx_set_as_of(x, NULL); /* the facts' "as_of", else today */
		return;
	}
	DateADT d = PG_GETARG_DATEADT(arg);
	int y = 0, m = 0, day = 0;
	if (!DATE_NOT_FINITE(d))
		j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (DATE_NOT_FINITE(d) || y < 1 || y > 9999)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("the as-of date must be a day in the years 0001 to 9999")));
	char day_text[16];
	snprintf(day_text, sizeof day_text, "%04d-%02d-%02d", y, m, day);
	int st = edict_ctx_set_as_of(x, day_text);
	if (st != EDICT_OK)
		fail(x, st);
}

/* Ready the rule set's context for one case: limits, date, facts. */
static edict_ctx *begin_case(FunctionCallInfo fcinfo, int date_arg)
{
	pg_edict_start();
	PgRules *r = pg_rules_for(fcinfo, PG_GETARG_TEXT_PP(0));
	edict_ctx *x = r->ctx;
	edict_ctx_set_limits(x, (uint64_t)max_steps, (size_t)max_memory_kb * 1024);
	set_date(x, fcinfo, date_arg);
	put_facts(x, PG_GETARG_JSONB_P(1));
	return x;
}

typedef enum Answer { ANSWER_VALUE, ANSWER_EXPLAIN, ANSWER_MISSING } Answer;

/* Evaluate one query, interruptibly; the answer as palloc'd JSON text. */
static char *ask(edict_ctx *x, Answer kind, const char *query)
{
	CHECK_FOR_INTERRUPTS();
	const char *out = NULL;
	running = x;
	if (QueryCancelPending || ProcDiePending) /* arrived just before */
		edict_ctx_interrupt(x);
	int st = kind == ANSWER_VALUE	  ? edict_eval_json(x, query, &out)
		 : kind == ANSWER_EXPLAIN ? edict_explain_json(x, query, &out)
					  : edict_missing_json(x, query, &out);
	running = NULL;
	if (st != EDICT_OK)
		fail(x, st);
	return pstrdup(out);
}

static Datum answer_jsonb(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

/* edict_decide, edict_explain, edict_missing: (ruleset, facts, query, as_of) */
static Datum one_query(FunctionCallInfo fcinfo, Answer kind)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	edict_ctx *x = begin_case(fcinfo, 3);
	char *query = text_to_cstring(PG_GETARG_TEXT_PP(2));
	PG_RETURN_DATUM(answer_jsonb(ask(x, kind, query)));
}

/* ------------------------------------------------------ the functions */

PG_FUNCTION_INFO_V1(edict_decide);
Datum edict_decide(PG_FUNCTION_ARGS)
{
	return one_query(fcinfo, ANSWER_VALUE);
}

PG_FUNCTION_INFO_V1(edict_explain);
Datum edict_explain(PG_FUNCTION_ARGS)
{
	return one_query(fcinfo, ANSWER_EXPLAIN);
}

PG_FUNCTION_INFO_V1(edict_missing);
Datum edict_missing(PG_FUNCTION_ARGS)
{
	return one_query(fcinfo, ANSWER_MISSING);
}

/* One key of the answer object. */
static void answer_one(StringInfo b, edict_ctx *x, const char *query, bool first)
{
	if (!first)
		appendStringInfoString(b, ", ");
	escape_json(b, query);
	appendStringInfoString(b, ": ");
	char *json = ask(x, ANSWER_VALUE, query);
	appendStringInfoString(b, json);
	pfree(json);
}

/* (ruleset, facts, queries text[], as_of): {"query": value, ...}; a NULL
 * array asks every public decision. */
PG_FUNCTION_INFO_V1(edict_decide_all);
Datum edict_decide_all(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	edict_ctx *x = begin_case(fcinfo, 3);
	StringInfoData b;
	initStringInfo(&b);
	appendStringInfoChar(&b, '{');
	if (PG_ARGISNULL(2)) {
		PgRules *r = pg_rules_for(fcinfo, PG_GETARG_TEXT_PP(0));
		size_t n = edict_rules_decision_count(r->rules);
		for (size_t i = 0; i < n; i++) {
			char *name = pstrdup(edict_rules_decision_name(r->rules, i));
			answer_one(&b, x, name, i == 0);
		}
	} else {
		ArrayType *arr = PG_GETARG_ARRAYTYPE_P(2);
		Datum *items;
		bool *nulls;
		int n;
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &n);
		for (int i = 0; i < n; i++) {
			if (nulls[i])
				ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("query %d of the array is NULL; give a decision name like voucher.award", i + 1)));
			answer_one(&b, x, TextDatumGetCString(items[i]), i == 0);
		}
	}
	appendStringInfoChar(&b, '}');
	PG_RETURN_DATUM(answer_jsonb(b.data));
}

static const char *severity_name(int sev)
{
	return sev == EDICT_SEV_ERROR ? "error" : sev == EDICT_SEV_WARNING ? "warning" : "note";
}

static void put_diag(Tuplestorestate *ts, TupleDesc desc, const edict_diag *d)
{
	Datum values[6];
	bool nulls[6] = {false};
	values[0] = CStringGetTextDatum(severity_name(d->severity));
	nulls[1] = d->file == NULL;
	values[1] = d->file ? CStringGetTextDatum(d->file) : 0;
	nulls[2] = nulls[3] = d->line <= 0;
	values[2] = Int32GetDatum(d->line);
	values[3] = Int32GetDatum(d->column);
	values[4] = CStringGetTextDatum(d->message ? d->message : "");
	nulls[5] = d->hint == NULL;
	values[5] = d->hint ? CStringGetTextDatum(d->hint) : 0;
	tuplestore_putvalues(ts, desc, values, nulls);
}

/* edict_check(ruleset): the diagnostics of loading it, a row each. */
PG_FUNCTION_INFO_V1(edict_check);
Datum edict_check(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	InitMaterializedSRF(fcinfo, 0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
	char *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	edict_rules *volatile r = pg_rules_load_fresh(name);
	PG_TRY();
	{
		for (size_t i = 0; i < edict_rules_diag_count(r); i++) {
			edict_diag d;
			if (edict_rules_diag(r, i, &d) == EDICT_OK)
				put_diag(rsinfo->setResult, rsinfo->setDesc, &d);
		}
	}
	PG_FINALLY();
	{
		edict_rules_free(r);
	}
	PG_END_TRY();
	return (Datum)0;
}
