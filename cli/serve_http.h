/*
 * serve_http.h - the HTTP daemon of `edict serve` (serve_http.c).
 */
#ifndef EDICT_CLI_SERVE_HTTP_H
#define EDICT_CLI_SERVE_HTTP_H

#include "service.h"

typedef struct Http {
	Service *sv;
	const char *listen; /* HOST:PORT */
	unsigned threads; /* evaluating, and as many for libmicrohttpd */
	const char *token;             /* NULL: none needed */
	const char *tls_cert, *tls_key; /* PEM text, or NULL */
	unsigned instance;             /* for request ids */
	struct MHD_Daemon *daemon;
	unsigned port;           /* the port bound (for :0) */
	atomic_bool door_closed; /* http_quiesce: new connections are refused as they come */
} Http;

/* Listen and serve on a thread pool; -1 with *err. */
int http_start(Http *h, const char **err);
/* Stop accepting connections (requests under way go on). */
void http_quiesce(Http *h);
void http_stop(Http *h);

#endif
