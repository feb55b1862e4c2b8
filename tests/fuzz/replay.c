/*
 * replay.c - a main() for the fuzz harnesses without libFuzzer.
 *
 * Linked with one harness it feeds every file named on the command line
 * (directories: every file in them, sorted) to LLVMFuzzerTestOneInput, one
 * after another in one process, as libFuzzer would.  The normal test suite
 * uses it to replay the seed corpora and every crash ever found
 * (tests/fuzz/regressions/<harness>/), with the compiler's own sanitizers
 * when the build has them.  Prints one line per input with -v.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", path);
		return 1;
	}
	if (verbose)
		fprintf(stderr, "%s (%zu bytes)\n", path, n);
	/* an exact-size copy, so ASan sees reads past the end of the input */
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	char **names = NULL;
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, sizeof *names * (nn + 1));
		names[nn] = malloc(strlen(path) + strlen(e->d_name) + 2);
		sprintf(names[nn], "%s/%s", path, e->d_name);
		nn++;
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof *names, cmp);
	int bad = 0;
	for (size_t i = 0; i < nn; i++) {
		bad |= run_path(names[i], count);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	int bad = 0, count = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		bad |= run_path(argv[i], &count);
	}
	printf("%d inputs replayed\n", count);
	return bad;
}
