/*
 * fileio.c - atomic file replacement: temporary file, write, flush, fsync,
 * rename, fsync of the directory.  See fileio.h.
 *
 * The temporary file is created next to the target (".NAME.tmp-PID-XXXXXX"),
 * because rename() is only atomic within one file system.  The writer's
 * process id in the name lets a later write remove the temporary files of
 * writers that were killed midway (their process is gone).  It is created
 * with open(O_CREAT | O_EXCL, 0666) rather than mkstemp so the process umask
 * applies without calling umask() (which is process-wide, and this library
 * runs in other programs' threads); an existing file's mode is copied over.
 */
#include "mem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"

struct FioFile {
	FILE *f;
	const char *path;   /* as the caller named it, for messages */
	const char *target; /* the file actually replaced (symbolic links followed) */
	const char *dir;    /* its directory, synced after the rename */
	const char *tmp;    /* the temporary file */
	FioStep failed_at;  /* the first step that failed, or FIO_NONE */
	int error;          /* its errno */
	bool done;
};

static __thread FioStep inject_step;
static __thread int inject_error;

void fio_fail_at(FioStep step, int error)
{
	inject_step = step;
	inject_error = error ? error : EIO;
}

const char *fio_step_name(FioStep step)
{
	switch (step) {
	case FIO_NONE: return "none";
	case FIO_OPEN: return "creating the temporary file";
	case FIO_WRITE: return "writing";
	case FIO_FLUSH: return "flushing";
	case FIO_SYNC: return "syncing to disk";
	case FIO_CLOSE: return "closing";
	case FIO_RENAME: return "renaming into place";
	default: return "?";
	}
}

/* Whether the injected failure is at `step`; uses it up. */
static bool injected(FioStep step)
{
	if (inject_step != step)
		return false;
	inject_step = FIO_NONE;
	errno = inject_error;
	return true;
}

static void fail(FioFile *f, FioStep step, int error)
{
	if (f->failed_at == FIO_NONE) {
		f->failed_at = step;
		f->error = error;
	}
}

static const char *message(const FioFile *f)
{
	return xprintf("cannot save %s: %s failed: %s; the file was not changed", f->path, fio_step_name(f->failed_at),
		       strerror(f->error));
}

/* The file a write to `path` must replace: path itself, or where its
 * symbolic link(s) lead, so that the link survives. */
static const char *resolve(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return path;
	char buf[PATH_MAX];
	if (realpath(path, buf))
		return xprintf("%s", buf);
	/* a dangling link: create the file it names */
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n <= 0)
		return path;
	buf[n] = 0;
	if (buf[0] == '/')
		return xprintf("%s", buf);
	const char *slash = strrchr(path, '/');
	return slash ? xprintf("%.*s/%s", (int)(slash - path), path, buf) : xprintf("%s", buf);
}

/* What a path that exists but is not a regular file is, for messages. */
static const char *not_regular(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISSOCK(m) ? "a socket"
												   : "not a regular file";
}

/* Remove the temporary files of earlier writes to base in dir whose
 * writer is gone (killed during a write): ".BASE.tmp-PID-XXXXXX" with no
 * process PID.  Another live writer's file, or this process's, stays. */
static void remove_stale(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	size_t n = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, n) != 0)
			continue;
		char *end;
		long pid = strtol(e->d_name + n, &end, 10);
		if (pid <= 0 || *end != '-' || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[PATH_MAX];
		struct stat st;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path && lstat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			unlink(path);
	}
	closedir(d);
}

FioFile *fio_begin(const char *path, const char **err)
{
	FioFile *f = GC_MALLOC(sizeof *f);
	f->path = path;
	f->target = resolve(path);
	const char *slash = strrchr(f->target, '/');
	const char *base = slash ? slash + 1 : f->target;
	f->dir = slash ? (slash == f->target ? "/" : xprintf("%.*s", (int)(slash - f->target), f->target)) : ".";
	if (!*base) {
		*err = xprintf("cannot save %s: this names a directory, not a file", path);
		return NULL;
	}
	/* only a regular file is replaced: renaming over a FIFO or a device
	 * (as root, /dev/null) would put a plain file in its place */
	struct stat old;
	if (stat(f->target, &old) == 0 && !S_ISREG(old.st_mode)) {
		*err = xprintf("cannot save %s: it is %s, not a regular file; save under another name", path,
			       not_regular(old.st_mode));
		return NULL;
	}
	/* everything allocated before the file exists: an out-of-memory unwind
	 * cannot leave a temporary file behind */
	const char **names = GC_MALLOC(sizeof(char *) * 16);
	static __thread unsigned long counter; /* varies the names between tries */
	unsigned long seed = (unsigned long)getpid() * 2654435761ul ^ (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)f;
	/* a name near NAME_MAX (255) is cut, so the temporary name still fits */
	int keep = (int)(strlen(base) > 200 ? 200 : strlen(base));
	const char *prefix = xprintf(".%.*s.tmp-", keep, base);
	for (int i = 0; i < 16; i++) {
		unsigned long r = seed + ++counter * 0x9e3779b97f4a7c15ul;
		names[i] = xprintf("%s/%s%ld-%06lx", f->dir, prefix, (long)getpid(), (r >> 8) & 0xffffff);
	}
	remove_stale(f->dir, prefix);
	int fd = -1;
	if (injected(FIO_OPEN)) {
		fail(f, FIO_OPEN, errno);
	} else {
		for (int i = 0; i < 16 && fd < 0; i++) {
			fd = open(names[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
			if (fd >= 0)
				f->tmp = names[i];
			else if (errno != EEXIST)
				break;
		}
		if (fd < 0)
			fail(f, FIO_OPEN, errno);
	}
	if (fd >= 0) {
		/* keep the permissions of the file being replaced */
		struct stat st;
		if (stat(f->target, &st) == 0 && S_ISREG(st.st_mode))
			(void)fchmod(fd, st.st_mode & 07777);
		f->f = fdopen(fd, "wb");
		if (!f->f) {
			fail(f, FIO_OPEN, errno);
			close(fd);
		}
	}
	if (f->failed_at != FIO_NONE) {
		if (f->tmp)
			unlink(f->tmp);
		*err = message(f);
		return NULL;
	}
	return f;
}

bool fio_write(FioFile *f, const void *data, size_t len)
{
	if (f->done || f->failed_at != FIO_NONE)
		return false;
	if (injected(FIO_WRITE)) {
		/* a disk that fills up midway: part of the data is written */
		int e = errno;
		(void)fwrite(data, 1, len / 2, f->f);
		(void)fflush(f->f);
		fail(f, FIO_WRITE, e);
		return false;
	}
	if (len && fwrite(data, 1, len, f->f) != len) {
		fail(f, FIO_WRITE, errno ? errno : EIO);
		return false;
	}
	return true;
}

bool fio_printf(FioFile *f, const char *fmt, ...)
{
	/* straight to the stream: no allocation while the file is open, so an
	 * out-of-memory unwind cannot strand it */
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fail(f, FIO_WRITE, EINVAL);
		return false;
	}
	if ((size_t)n < sizeof small)
		return fio_write(f, small, (size_t)n);
	if (f->done || f->failed_at != FIO_NONE)
		return false;
	if (injected(FIO_WRITE)) {
		fail(f, FIO_WRITE, errno);
		return false;
	}
	va_start(ap, fmt);
	int m = vfprintf(f->f, fmt, ap);
	va_end(ap);
	if (m != n) {
		fail(f, FIO_WRITE, errno ? errno : EIO);
		return false;
	}
	return true;
}

FILE *fio_stream(FioFile *f)
{
	return f->f;
}

static void discard(FioFile *f)
{
	if (f->f)
		fclose(f->f);
	f->f = NULL;
	if (f->tmp)
		unlink(f->tmp);
	f->done = true;
}

bool fio_commit(FioFile *f, const char **err)
{
	if (f->done) {
		*err = xprintf("cannot save %s: this file was already finished", f->path);
		return false;
	}
	if (f->failed_at == FIO_NONE && ferror(f->f))
		fail(f, FIO_WRITE, EIO);
	if (f->failed_at == FIO_NONE && (injected(FIO_FLUSH) || fflush(f->f) != 0))
		fail(f, FIO_FLUSH, errno);
	if (f->failed_at == FIO_NONE && (injected(FIO_SYNC) || fsync(fileno(f->f)) != 0))
		fail(f, FIO_SYNC, errno);
	if (f->failed_at == FIO_NONE) {
		bool inj = injected(FIO_CLOSE);
		int e = errno;
		int rc = fclose(f->f);
		f->f = NULL;
		if (inj || rc != 0)
			fail(f, FIO_CLOSE, inj ? e : errno);
	}
	if (f->failed_at == FIO_NONE && (injected(FIO_RENAME) || rename(f->tmp, f->target) != 0))
		fail(f, FIO_RENAME, errno);
	if (f->failed_at != FIO_NONE) {
		discard(f); /* first: making the message allocates */
		*err = message(f);
		return false;
	}
	f->done = true;
	/* make the rename itself durable; some file systems refuse, which is
	 * no reason to report failure: the new contents are in place */
	int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return true;
}

void fio_abort(FioFile *f)
{
	if (f && !f->done)
		discard(f);
}

bool fio_write_file(const char *path, const void *data, size_t len, const char **err)
{
	FioFile *f = fio_begin(path, err);
	if (!f)
		return false;
	fio_write(f, data, len);
	return fio_commit(f, err);
}
