/*
 * common.h - small helpers shared by the benchmark's C programs: reading
 * lines, the CPU clock, medians, and the checksum every implementation
 * prints so the runner can prove they all decided the same.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Process CPU time in nanoseconds: what Lua's os.clock and Python's
 * time.process_time measure, so every in-memory figure is the same kind. */
static inline double cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline double wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Every line of a file, in malloc'd memory (outside the collector's heap). */
typedef struct Lines {
	char **s;
	size_t *len;
	size_t n;
} Lines;

static inline Lines read_lines(const char *path)
{
	Lines l = {0};
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	while ((n = getline(&line, &lcap, f)) > 0) {
		if (l.n == cap) {
			cap = cap ? cap * 2 : 1024;
			l.s = realloc(l.s, cap * sizeof *l.s);
			l.len = realloc(l.len, cap * sizeof *l.len);
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		l.s[l.n] = malloc((size_t)n + 1);
		memcpy(l.s[l.n], line, (size_t)n + 1);
		l.len[l.n++] = (size_t)n;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return l;
}

/* The checksum: counts of true/false/unknown, the sum of known awards, and
 * the pending lists' lengths and position-weighted task numbers. */
typedef struct Sum {
	long long n, et, ef, eu, pt, pf, pu, award, au, pendn, pendw, pendu;
} Sum;

static inline void sum_tri(long long *t, long long *f, long long *u, int v)
{
	if (v < 0)
		(*u)++;
	else if (v)
		(*t)++;
	else
		(*f)++;
}

static inline void sum_text(const Sum *s, char *out, size_t n)
{
	snprintf(out, n, "n=%lld eligible=%lld/%lld/%lld priority=%lld/%lld/%lld award=%lld/%lld pending=%lld/%lld/%lld",
		 s->n, s->et, s->ef, s->eu, s->pt, s->pf, s->pu, s->award, s->au, s->pendn, s->pendw, s->pendu);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* {"reps_ns": [..], "checksum": ".."} on stdout: the runner's input. */
static inline void print_reps(const double *ns, int reps, const Sum *s, const char *extra)
{
	char cs[512];
	sum_text(s, cs, sizeof cs);
	printf("{\"reps_ns\": [");
	for (int i = 0; i < reps; i++)
		printf("%s%.3f", i ? ", " : "", ns[i]);
	printf("], \"checksum\": \"%s\"%s%s}\n", cs, extra ? ", " : "", extra ? extra : "");
	fflush(stdout);
}

#endif
