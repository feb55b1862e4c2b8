/*
 * serve_log.c - the decision log of `edict serve --log FILE`: one JSON
 * record a line, appended, rotated by size (FILE.1, FILE.2, ...).
 *
 * Requests never wait for the disk: a record goes into a bounded queue
 * (under a lock held for a pointer copy) and a writer thread appends it.
 * When the queue is full the record is dropped and counted in /metrics.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "service.h"

#define QUEUE_CAP 8192

typedef struct LogRec {
	char *text;
	size_t n;
} LogRec;

static struct {
	bool on, quit;
	const char *file;
	size_t max_bytes, size;
	int keep;
	FILE *f;
	pthread_t writer;
	pthread_mutex_t mu;
	pthread_cond_t more, empty;
	LogRec q[QUEUE_CAP];
	int head, count;
} lg = {.mu = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER, .empty = PTHREAD_COND_INITIALIZER};

bool declog_enabled(void)
{
	return lg.on;
}

/* FILE -> FILE.1 -> FILE.2 ... FILE.keep (dropped); a new FILE. */
static void rotate(void)
{
	fclose(lg.f);
	for (int i = lg.keep; i >= 1; i--) {
		char from[4096], to[4096];
		if (i == 1)
			snprintf(from, sizeof from, "%s", lg.file);
		else
			snprintf(from, sizeof from, "%s.%d", lg.file, i - 1);
		snprintf(to, sizeof to, "%s.%d", lg.file, i);
		rename(from, to);
	}
	lg.f = fopen(lg.file, "a");
	lg.size = 0;
	if (!lg.f)
		fprintf(stderr, "edict serve: cannot open the decision log %s: %s\n", lg.file, strerror(errno));
}

static void *writer(void *unused)
{
	pthread_mutex_lock(&lg.mu);
	for (;;) {
		while (!lg.count && !lg.quit)
			pthread_cond_wait(&lg.more, &lg.mu);
		if (!lg.count && lg.quit)
			break;
		LogRec r = lg.q[lg.head];
		lg.head = (lg.head + 1) % QUEUE_CAP;
		lg.count--;
		bool last = lg.count == 0;
		pthread_mutex_unlock(&lg.mu);
		if (lg.f) {
			if (lg.max_bytes && lg.size + r.n + 1 > lg.max_bytes && lg.size > 0)
				rotate();
			if (lg.f) {
				fwrite(r.text, 1, r.n, lg.f);
				fputc('\n', lg.f);
				lg.size += r.n + 1;
				if (last)
					fflush(lg.f);
				metrics_log(1, 0);
			}
		}
		free(r.text);
		pthread_mutex_lock(&lg.mu);
		if (!lg.count)
			pthread_cond_broadcast(&lg.empty);
	}
	pthread_mutex_unlock(&lg.mu);
	return NULL;
}

int declog_open(const char *file, size_t max_bytes, int keep)
{
	lg.file = file;
	lg.max_bytes = max_bytes;
	lg.keep = keep < 1 ? 1 : keep;
	lg.f = fopen(file, "a");
	if (!lg.f)
		return -1;
	struct stat st;
	lg.size = fstat(fileno(lg.f), &st) == 0 ? (size_t)st.st_size : 0;
	if (pthread_create(&lg.writer, NULL, writer, NULL) != 0) {
		fclose(lg.f);
		return -1;
	}
	lg.on = true;
	return 0;
}

void declog_put(const char *json, size_t n)
{
	if (!lg.on)
		return;
	char *copy = malloc(n + 1);
	if (!copy) {
		metrics_log(0, 1);
		return;
	}
	memcpy(copy, json, n);
	copy[n] = 0;
	pthread_mutex_lock(&lg.mu);
	if (lg.count == QUEUE_CAP || lg.quit) {
		pthread_mutex_unlock(&lg.mu);
		free(copy);
		metrics_log(0, 1);
		return;
	}
	lg.q[(lg.head + lg.count) % QUEUE_CAP] = (LogRec){copy, n};
	lg.count++;
	pthread_cond_signal(&lg.more);
	pthread_mutex_unlock(&lg.mu);
}

/* Write what is queued, then stop; a log that cannot be written (a full
 * disk that blocks, a pipe nobody reads) holds the exit up ten seconds at
 * most. */
void declog_close(void)
{
	if (!lg.on)
		return;
	pthread_mutex_lock(&lg.mu);
	lg.quit = true;
	pthread_cond_signal(&lg.more);
	pthread_mutex_unlock(&lg.mu);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	if (pthread_timedjoin_np(lg.writer, NULL, &until) != 0) {
		pthread_mutex_lock(&lg.mu);
		fprintf(stderr, "edict serve: the decision log %s could not be written in time; %d records are lost\n", lg.file,
			lg.count);
		pthread_mutex_unlock(&lg.mu);
		lg.on = false;
		return;
	}
	if (lg.f)
		fclose(lg.f);
	lg.f = NULL;
	lg.on = false;
}
