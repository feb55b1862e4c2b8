/*
 * serve_metrics.c - what /metrics reports, in Prometheus' text format:
 * requests and a latency histogram by endpoint and status, evaluations and
 * their errors, reloads, connections, the decision log's records written
 * and dropped, and the rule set in service (its hash as a label).
 * Counters are atomics, so recording never takes a lock.
 */
#include <stdatomic.h>
#include <string.h>

#include "service.h"

static const int statuses[] = {200, 400, 401, 404, 405, 408, 413, 422, 500, 503};
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKET (int)(sizeof bounds / sizeof bounds[0])

typedef struct Series {
	atomic_ullong count, sum_ns;
	atomic_ullong bucket[NBUCKET]; /* not cumulative; summed when rendered */
} Series;

static Series series[EP__COUNT][NSTATUS + 1]; /* the last: any other status */
static atomic_llong inflight, evaluations, eval_errors, reloads_ok, reloads_failed, connections, log_written, log_dropped;

static int status_index(int status)
{
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS;
}

void metrics_request(int endpoint, int status, uint64_t ns)
{
	if (endpoint < 0 || endpoint >= EP__COUNT)
		endpoint = EP_OTHER;
	Series *s = &series[endpoint][status_index(status)];
	atomic_fetch_add(&s->count, 1);
	atomic_fetch_add(&s->sum_ns, ns);
	double secs = (double)ns / 1e9;
	for (int i = 0; i < NBUCKET; i++)
		if (secs <= bounds[i]) {
			atomic_fetch_add(&s->bucket[i], 1);
			break;
		}
}

void metrics_evaluations(long n, long errors)
{
	atomic_fetch_add(&evaluations, n);
	atomic_fetch_add(&eval_errors, errors);
}

void metrics_reload(bool ok)
{
	atomic_fetch_add(ok ? &reloads_ok : &reloads_failed, 1);
}

void metrics_connection(int delta)
{
	atomic_fetch_add(&connections, delta);
}

void metrics_inflight(int delta)
{
	atomic_fetch_add(&inflight, delta);
}

long metrics_connections_now(void)
{
	return (long)atomic_load(&connections);
}

long metrics_inflight_now(void)
{
	return (long)atomic_load(&inflight);
}

void metrics_log(long written, long dropped)
{
	atomic_fetch_add(&log_written, written);
	atomic_fetch_add(&log_dropped, dropped);
}

static void counter(Buf *b, const char *name, const char *help, const char *type, long long v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", name, help, name, type, name, v);
}

static void status_label(Buf *b, int i)
{
	if (i < NSTATUS)
		buf_printf(b, "%d", statuses[i]);
	else
		buf_puts(b, "other");
}

void metrics_render(Buf *b, const Ruleset *rs)
{
	buf_puts(b, "# HELP edict_http_requests_total HTTP requests answered, by endpoint and status.\n"
		    "# TYPE edict_http_requests_total counter\n");
	for (int e = 0; e < EP__COUNT; e++)
		for (int s = 0; s <= NSTATUS; s++) {
			unsigned long long n = atomic_load(&series[e][s].count);
			if (!n)
				continue;
			buf_printf(b, "edict_http_requests_total{endpoint=\"%s\",status=\"", serve_endpoint_names[e]);
			status_label(b, s);
			buf_printf(b, "\"} %llu\n", n);
		}
	buf_puts(b, "# HELP edict_http_request_duration_seconds Time from a request's arrival to its reply.\n"
		    "# TYPE edict_http_request_duration_seconds histogram\n");
	for (int e = 0; e < EP__COUNT; e++)
		for (int s = 0; s <= NSTATUS; s++) {
			Series *x = &series[e][s];
			unsigned long long n = atomic_load(&x->count), cum = 0;
			if (!n)
				continue;
			Buf lab = {0};
			buf_printf(&lab, "endpoint=\"%s\",status=\"", serve_endpoint_names[e]);
			status_label(&lab, s);
			buf_puts(&lab, "\"");
			for (int i = 0; i < NBUCKET; i++) {
				cum += atomic_load(&x->bucket[i]);
				buf_printf(b, "edict_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", lab.s, bounds[i], cum);
			}
			buf_printf(b, "edict_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", lab.s, n);
			buf_printf(b, "edict_http_request_duration_seconds_sum{%s} %.9f\n", lab.s,
				   (double)atomic_load(&x->sum_ns) / 1e9);
			buf_printf(b, "edict_http_request_duration_seconds_count{%s} %llu\n", lab.s, n);
		}
	counter(b, "edict_evaluations_total", "Decisions and queries evaluated.", "counter", atomic_load(&evaluations));
	counter(b, "edict_evaluation_errors_total", "Evaluations that failed (runtime errors, limits).", "counter",
		atomic_load(&eval_errors));
	buf_puts(b, "# HELP edict_reloads_total Rule set reloads, by result.\n# TYPE edict_reloads_total counter\n");
	buf_printf(b, "edict_reloads_total{result=\"ok\"} %lld\n", (long long)atomic_load(&reloads_ok));
	buf_printf(b, "edict_reloads_total{result=\"failed\"} %lld\n", (long long)atomic_load(&reloads_failed));
	counter(b, "edict_connections", "Connections open.", "gauge", atomic_load(&connections));
	counter(b, "edict_requests_in_flight", "Requests received and not yet answered.", "gauge", atomic_load(&inflight));
	counter(b, "edict_decision_log_records_total", "Decision log records written.", "counter", atomic_load(&log_written));
	counter(b, "edict_decision_log_dropped_total", "Decision log records dropped because the queue was full.", "counter",
		atomic_load(&log_dropped));
	buf_puts(b, "# HELP edict_ruleset_info The rule set in service.\n# TYPE edict_ruleset_info gauge\n");
	if (rs) {
		buf_puts(b, "edict_ruleset_info{name=");
		buf_json_str(b, rs->name, strlen(rs->name));
		buf_printf(b, ",hash=\"%s\"} 1\n", rs->hash);
	}
}
