/*
 * fileio.h - writing files so that an edit is never lost.
 *
 * Every file Edict writes (formatter output, REPL saves, batch output to a
 * named file) goes through here.  The new contents go to a temporary file in
 * the same directory, which is flushed, synced to disk and then renamed over
 * the old file; the directory is synced too.  A rename within one directory
 * is atomic, so a reader (or a crash, or a full disk) sees either the whole
 * old file or the whole new one, never a mixture.  When anything fails
 * midway the temporary file is removed and the old file is left as it was.
 *
 * A path that is a symbolic link is written through: the link stays and the
 * file it points to is replaced.  An existing file keeps its permissions.
 *
 * Like the rest of the library this never prints; failures come back as a
 * message in plain words (GC string) that names the file and the step.
 */
#ifndef EDICT_FILEIO_H
#define EDICT_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The steps of a write, in order; used to name a failure and to inject one. */
typedef enum FioStep {
	FIO_NONE = 0,
	FIO_OPEN,   /* creating the temporary file */
	FIO_WRITE,  /* writing the contents (an injected failure writes half, then fails) */
	FIO_FLUSH,  /* flushing the stdio buffer */
	FIO_SYNC,   /* fsync of the temporary file */
	FIO_CLOSE,  /* closing it */
	FIO_RENAME, /* renaming it over the old file */
	FIO_STEP_COUNT
} FioStep;

/* A file being written.  Opaque except through the functions below. */
typedef struct FioFile FioFile;

/* Start writing `path`.  NULL with *err when the temporary file cannot be
 * made (a missing directory, no permission). */
FioFile *fio_begin(const char *path, const char **err);
/* Append bytes.  Returns false after a failure (which is kept: the commit
 * will fail too, so callers may check only once, at the end). */
bool fio_write(FioFile *f, const void *data, size_t len);
bool fio_printf(FioFile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The stdio stream, for code that already writes to a FILE *.  Errors on it
 * are noticed by fio_commit. */
FILE *fio_stream(FioFile *f);
/* Flush, sync, close and rename into place.  Returns true when the new
 * contents are in place; otherwise *err says why, the temporary file is
 * gone and the old file is untouched.  The FioFile is finished either way. */
bool fio_commit(FioFile *f, const char **err);
/* Give up: remove the temporary file; the old file is untouched. */
void fio_abort(FioFile *f);

/* The whole job for contents held in memory. */
bool fio_write_file(const char *path, const void *data, size_t len, const char **err);

/* Tests: make the next write on this thread fail at `step` with errno
 * `error` (ENOSPC, EIO ...).  FIO_NONE turns it off.  The injection is used
 * up by the write that fails. */
void fio_fail_at(FioStep step, int error);
/* The name of a step, for messages and test output. */
const char *fio_step_name(FioStep step);

#endif
