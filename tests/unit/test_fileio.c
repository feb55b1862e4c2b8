/*
 * test_fileio.c - unit tests for interp/fileio.c: no edit is ever lost.
 *
 * Each test works in a fresh directory under /tmp.  The central test makes
 * every step of a write fail in turn (fio_fail_at) and proves that the old
 * file is byte for byte what it was, that no temporary file is left behind,
 * and that the message names the file and the step.  Others cover new files,
 * permissions, symbolic links, streaming writes and large contents.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "mem.h"
#include "unit.h"

static char dir[64];

static void setup(void)
{
	tu_start();
	strcpy(dir, "/tmp/edict-fileio-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(fileio, .init = setup, .fini = teardown);

static char *path_of(const char *name)
{
	char *p = GC_MALLOC_ATOMIC(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* The whole file, or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = GC_MALLOC_ATOMIC((size_t)n + 1);
	size_t got = fread(b, 1, (size_t)n, f);
	fclose(f);
	b[got] = 0;
	if (len)
		*len = got;
	return b;
}

/* How many entries the test directory holds (temporary files included). */
static int entries(void)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

Test(fileio, writes_a_new_file)
{
	const char *p = path_of("new.edict");
	const char *err = NULL;
	cr_assert(fio_write_file(p, "decision x : int = 1\n", 21, &err), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "decision x : int = 1\n");
	cr_assert_eq(entries(), 1, "only the file itself, no temporary file");
	/* a new file gets the usual permissions: 0666 less the umask */
	mode_t um = umask(022);
	umask(um);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0666 & ~um);
}

Test(fileio, replaces_an_old_file_and_keeps_its_mode)
{
	const char *p = path_of("rules.edict");
	put(p, "old contents\n");
	cr_assert_eq(chmod(p, 0640), 0);
	const char *err = NULL;
	cr_assert(fio_write_file(p, "new contents\n", 13, &err), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "new contents\n");
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640);
	cr_assert_eq(entries(), 1);
}

Test(fileio, empty_contents)
{
	const char *p = path_of("empty.txt");
	put(p, "something");
	const char *err = NULL;
	cr_assert(fio_write_file(p, "", 0, &err), "%s", err);
	size_t len = 99;
	cr_assert_not_null(slurp(p, &len));
	cr_assert_eq(len, 0);
}

/* The heart of it: a failure at any step leaves the old file intact. */
Test(fileio, a_failure_at_any_step_leaves_the_old_file_intact)
{
	const char *p = path_of("notes.edict");
	/* old contents larger than a stdio buffer, so a half write is real */
	size_t oldn = 100000;
	char *old = GC_MALLOC_ATOMIC(oldn + 1);
	for (size_t i = 0; i < oldn; i++)
		old[i] = (char)('a' + i % 26);
	old[oldn] = 0;
	put(p, old);
	size_t newn = 300000;
	char *new = GC_MALLOC_ATOMIC(newn);
	memset(new, 'N', newn);
	static const int errors[] = {ENOSPC, EIO, EDQUOT, EACCES};
	for (int step = FIO_OPEN; step < FIO_STEP_COUNT; step++) {
		for (size_t k = 0; k < sizeof errors / sizeof errors[0]; k++) {
			fio_fail_at((FioStep)step, errors[k]);
			const char *err = NULL;
			bool ok = fio_write_file(p, new, newn, &err);
			cr_assert(!ok, "a failure injected at %s must be reported", fio_step_name((FioStep)step));
			cr_assert_not_null(err);
			cr_assert_not_null(strstr(err, p), "the message names the file: %s", err);
			cr_assert_not_null(strstr(err, fio_step_name((FioStep)step)), "the message names the step: %s", err);
			cr_assert_not_null(strstr(err, strerror(errors[k])), "the message gives the reason: %s", err);
			cr_assert_not_null(strstr(err, "not changed"), "%s", err);
			size_t len;
			char *now = slurp(p, &len);
			cr_assert_not_null(now);
			cr_assert_eq(len, oldn, "step %s: the old file changed size", fio_step_name((FioStep)step));
			cr_assert(memcmp(now, old, oldn) == 0, "step %s: the old file changed", fio_step_name((FioStep)step));
			cr_assert_eq(entries(), 1, "step %s: a temporary file was left behind", fio_step_name((FioStep)step));
		}
	}
	/* the injection is used up: the next write succeeds */
	const char *err = NULL;
	cr_assert(fio_write_file(p, new, newn, &err), "%s", err);
	size_t len;
	char *now = slurp(p, &len);
	cr_assert_eq(len, newn);
	cr_assert(memcmp(now, new, newn) == 0);
}

Test(fileio, a_failure_when_there_was_no_old_file_creates_nothing)
{
	const char *p = path_of("fresh.edict");
	for (int step = FIO_OPEN; step < FIO_STEP_COUNT; step++) {
		fio_fail_at((FioStep)step, ENOSPC);
		const char *err = NULL;
		cr_assert(!fio_write_file(p, "x\n", 2, &err));
		cr_assert_eq(access(p, F_OK), -1, "step %s created the file", fio_step_name((FioStep)step));
		cr_assert_eq(entries(), 0);
	}
}

Test(fileio, streaming_writes)
{
	const char *p = path_of("out.jsonl");
	put(p, "old\n");
	const char *err = NULL;
	FioFile *f = fio_begin(p, &err);
	cr_assert_not_null(f, "%s", err);
	for (int i = 0; i < 10000; i++)
		fprintf(fio_stream(f), "{\"line\":%d}\n", i);
	cr_assert(fio_printf(f, "end %s\n", "here"));
	/* until the commit, readers see the old file */
	cr_assert_str_eq(slurp(p, NULL), "old\n");
	cr_assert_eq(entries(), 2, "the old file and the temporary file");
	cr_assert(fio_commit(f, &err), "%s", err);
	char *now = slurp(p, NULL);
	cr_assert(strncmp(now, "{\"line\":0}\n{\"line\":1}\n", 22) == 0);
	cr_assert_not_null(strstr(now, "{\"line\":9999}\nend here\n"));
	cr_assert_eq(entries(), 1);
	/* a finished file cannot be committed twice */
	cr_assert(!fio_commit(f, &err));
	cr_assert(!fio_write(f, "x", 1));
}

Test(fileio, a_failed_write_in_a_stream_fails_the_commit)
{
	const char *p = path_of("out.txt");
	put(p, "old\n");
	const char *err = NULL;
	FioFile *f = fio_begin(p, &err);
	cr_assert_not_null(f);
	cr_assert(fio_write(f, "first part\n", 11));
	fio_fail_at(FIO_WRITE, ENOSPC);
	cr_assert(!fio_write(f, "second part\n", 12));
	cr_assert(!fio_write(f, "third part\n", 11), "a failure is kept");
	cr_assert(!fio_commit(f, &err));
	cr_assert_not_null(strstr(err, "No space left on device"), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "old\n");
	cr_assert_eq(entries(), 1);
}

Test(fileio, abort_leaves_the_old_file)
{
	const char *p = path_of("keep.edict");
	put(p, "keep me\n");
	const char *err = NULL;
	FioFile *f = fio_begin(p, &err);
	cr_assert_not_null(f);
	cr_assert(fio_write(f, "half of an edi", 14));
	fio_abort(f);
	fio_abort(f); /* twice is harmless */
	cr_assert_str_eq(slurp(p, NULL), "keep me\n");
	cr_assert_eq(entries(), 1);
}

Test(fileio, a_symbolic_link_is_written_through)
{
	const char *target = path_of("real.edict");
	const char *link = path_of("link.edict");
	put(target, "old\n");
	cr_assert_eq(symlink("real.edict", link), 0);
	const char *err = NULL;
	cr_assert(fio_write_file(link, "new\n", 4, &err), "%s", err);
	struct stat st;
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link is still a link");
	cr_assert_str_eq(slurp(target, NULL), "new\n");
	cr_assert_eq(entries(), 2);
}

Test(fileio, a_dangling_link_creates_its_target)
{
	const char *target = path_of("later.edict");
	const char *link = path_of("link2.edict");
	cr_assert_eq(symlink("later.edict", link), 0);
	const char *err = NULL;
	cr_assert(fio_write_file(link, "made\n", 5, &err), "%s", err);
	cr_assert_str_eq(slurp(target, NULL), "made\n");
}

Test(fileio, a_missing_directory_is_reported)
{
	const char *p = path_of("no/such/dir/x.edict");
	const char *err = NULL;
	cr_assert(!fio_write_file(p, "x", 1, &err));
	cr_assert_not_null(strstr(err, "No such file or directory"), "%s", err);
	cr_assert_not_null(strstr(err, "x.edict"), "%s", err);
	cr_assert_eq(entries(), 0);
}

Test(fileio, a_directory_is_not_a_file)
{
	const char *err = NULL;
	cr_assert(!fio_write_file(path_of(""), "x", 1, &err));
	cr_assert_not_null(err);
	cr_assert_eq(entries(), 0);
}

Test(fileio, a_read_only_directory_is_reported)
{
	if (geteuid() == 0)
		cr_skip_test("root may write anywhere");
	const char *p = path_of("x.edict");
	put(p, "old\n");
	cr_assert_eq(chmod(dir, 0555), 0);
	const char *err = NULL;
	bool ok = fio_write_file(p, "new\n", 4, &err);
	chmod(dir, 0755);
	cr_assert(!ok);
	cr_assert_not_null(strstr(err, "Permission denied"), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "old\n");
}

Test(fileio, large_contents_arrive_whole)
{
	const char *p = path_of("big.bin");
	size_t n = 5u << 20;
	unsigned char *b = GC_MALLOC_ATOMIC(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 2654435761u >> 13); /* includes NUL bytes */
	const char *err = NULL;
	cr_assert(fio_write_file(p, b, n, &err), "%s", err);
	size_t len;
	char *now = slurp(p, &len);
	cr_assert_eq(len, n);
	cr_assert(memcmp(now, b, n) == 0);
}

static void write_file(void *path)
{
	const char *err = NULL;
	FioFile *f = fio_begin(path, &err);
	if (f) {
		fio_printf(f, "line %d of a long text that %s\n", 7, "goes on");
		fio_write(f, "more\n", 5);
		fio_commit(f, &err);
	}
}

/* Running out of memory at any allocation of a write unwinds cleanly: the
 * old file is intact, no temporary file stays, and the next write works. */
Test(fileio, out_of_memory_at_any_point_leaves_the_old_file)
{
	const char *p = path_of("oom.edict");
	put(p, "old\n");
	int n;
	for (n = 1; n < 1000; n++) {
		mem_fail_after(n);
		int thrown = pr_call(write_file, (void *)p);
		bool finished = thrown == ST_OK;
		bool failed = mem_failed();
		mem_fail_after(0);
		if (!failed) {
			cr_assert(finished);
			break; /* every allocation has been made to fail once */
		}
		cr_assert_str_eq(slurp(p, NULL), "old\n", "allocation %d: the old file changed", n);
		cr_assert_eq(entries(), 1, "allocation %d: a temporary file was left behind", n);
	}
	cr_assert_gt(n, 2, "the write allocates");
	cr_assert_lt(n, 1000);
	cr_assert(strncmp(slurp(p, NULL), "line ", 5) == 0, "the last run, without a failure, wrote the file");
}

Test(fileio, a_name_of_255_bytes)
{
	char name[256];
	memset(name, 'n', 255);
	name[255] = 0;
	const char *p = path_of(name);
	const char *err = NULL;
	cr_assert(fio_write_file(p, "long\n", 5, &err), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "long\n");
	cr_assert_eq(entries(), 1);
}

Test(fileio, step_names)
{
	for (int s = FIO_OPEN; s < FIO_STEP_COUNT; s++)
		cr_assert_neq(strcmp(fio_step_name((FioStep)s), "?"), 0);
}

/* ---------------------------------------------- what is never replaced */

Test(fileio, refuses_a_fifo_and_a_device)
{
	const char *fifo = path_of("notes.edict");
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	const char *err = NULL;
	cr_assert(!fio_write_file(fifo, "x\n", 2, &err), "a FIFO is not replaced");
	cr_assert(strstr(err, "it is a FIFO, not a regular file") != NULL, "%s", err);
	struct stat st;
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO is still there");
	/* a link to a device: the device is not replaced (as root, /dev/null
	 * would have become a plain file) */
	const char *link = path_of("null.edict");
	cr_assert_eq(symlink("/dev/null", link), 0);
	err = NULL;
	cr_assert(!fio_write_file(link, "x\n", 2, &err));
	cr_assert(strstr(err, "it is a device") != NULL, "%s", err);
	cr_assert_eq(stat("/dev/null", &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(entries(), 2, "no temporary file");
}

/* A process id that is surely gone: a child's, after it has been waited for. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	cr_assert(pid > 0);
	int status;
	waitpid(pid, &status, 0);
	return pid;
}

Test(fileio, removes_the_temporary_files_of_killed_writers)
{
	const char *p = path_of("notes.edict");
	put(p, "old\n");
	/* what a writer killed midway leaves, and what a live writer holds */
	char name[128];
	snprintf(name, sizeof name, ".notes.edict.tmp-%ld-abcdef", (long)dead_pid());
	const char *stale = path_of(name);
	put(stale, "half of it");
	snprintf(name, sizeof name, ".notes.edict.tmp-%ld-123456", (long)getppid());
	const char *live = path_of(name);
	put(live, "being written");
	const char *other = path_of(".other.edict.tmp-1-abcdef");
	put(other, "another file's");
	const char *err = NULL;
	cr_assert(fio_write_file(p, "new\n", 4, &err), "%s", err);
	cr_assert_str_eq(slurp(p, NULL), "new\n");
	cr_assert_null(slurp(stale, NULL), "the killed writer's temporary file is gone");
	cr_assert_not_null(slurp(live, NULL), "a live writer's stays");
	cr_assert_not_null(slurp(other, NULL), "another file's stays");
}
