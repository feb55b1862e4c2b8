/*
 * image.h - compiled images of a rule set (`edict compile`, the start-up
 * cache).
 *
 * An image holds a rule set's files (path, size, time, SHA-256 and text)
 * and their syntax trees as the parser built them, in a compact binary
 * form, so that a load from it skips reading, scanning and parsing; the
 * checker and the code generator run on the trees as after a parse, so a
 * program loaded from an image is the program loaded from the files.
 *
 * The format: a header of 96 bytes (the magic "EDICTIMG", the format
 * version, the hash of the edict build that wrote it, the SHA-256 of the
 * sources, the payload's length and checksum), then the payload: a string
 * table, the file table (and whether the rules loaded without a
 * diagnostic), and the modules, each its outline then its declarations; a
 * declaration holds its own nodes (children before their parents) and
 * record and enum types, its length first, so that a load for some
 * queries reads whole only the modules they reach, and of the others their
 * types, as a load of the files does.  Before each declaration: whether it
 * declares a type, its role (ImageRole), the names it is read by and the
 * strings it holds, each run of bytes its length first, so that a load for some queries of an image of rules that loaded
 * cleanly reads of the modules they reach only the rules they name, what
 * those name, and so on (image_choose).  Numbers are LEB128 varints; every
 * reference is an index checked against its table, every count against the
 * bytes left, so a damaged or hostile image is refused with a reason and
 * never read out of bounds.
 */
#ifndef EDICT_IMAGE_H
#define EDICT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

#define IMAGE_MAGIC "EDICTIMG"
#define IMAGE_VERSION 8u
#define IMAGE_HEADER_BYTES 96u
#define IMAGE_MAX_BYTES ((size_t)256 << 20)

/* One file of an image: std is true for a standard library module. */
typedef struct ImageFile {
	const Source *src;
	bool std;
	uint64_t size;
	int64_t mtime_ns; /* 0: compare the content's hash */
	unsigned char sha[32];
} ImageFile;

typedef struct Image Image;

/* What a file's status says of its content, as image_fresh compares it:
 * whether it is a regular file, its size and its time. */
typedef struct FileStamp {
	bool regular;
	uint64_t size;
	int64_t mtime_ns;
} FileStamp;

FileStamp image_stamp(const struct stat *st);

/* What a load for some queries does with a declaration (image_choose):
 * read it always, read a rule when something read names it, never read a
 * test, read a type (not a fact) when something read names it or, for an
 * enumeration, one of its members. */
typedef enum ImageRole { IMAGE_ALWAYS, IMAGE_NAMED, IMAGE_TEST, IMAGE_TYPE } ImageRole;

/* The time of a file or directory (its stat st, taken now), as an image
 * keeps it for a later load to compare; 0 (compare something else, or
 * trust nothing) when its time is not at least two seconds past (a later
 * change within the clock's tick would keep its time, and a time ahead of
 * the clock says nothing). */
int64_t image_settled_time(const struct stat *st);

/* A directory a walk entered, as it saw it before reading it: its time
 * (0: not to be trusted) and inode. */
typedef struct ImageDir {
	const char *path;
	int64_t mtime_ns;
	uint64_t ino;
} ImageDir;
/* The directory at path as a walk sees it now, st its stat: its time is
 * kept only when at least two seconds past (image_settled_time), as a
 * file's is when its text is read. */
ImageDir image_dir_seen(const char *path, const struct stat *st);

/* What a load saw of the rules when it wrote an image for the start-up
 * cache: the working directory, the paths it was given, and each
 * directory its walk of them entered, as the walk saw it.  A later load of
 * the same paths from the same directory may trust the image without
 * walking again while every directory keeps its time (a file added,
 * removed or renamed in a directory changes the directory's time) and
 * every file its own. */
typedef struct ImageWalk {
	const char *cwd;
	const char *const *paths;
	int npaths;
	const ImageDir *dirs;
	int ndirs;
} ImageWalk;

/* The image of parsed (not yet checked) modules; stds[i] marks the
 * standard library's; clean says they loaded (checked and compiled)
 * without a single diagnostic; walk, or NULL, what the load saw of the
 * rule directories.  A GC buffer, its length in *len. */
char *image_encode(Module *const *mods, const bool *stds, int nmods, bool clean, const ImageWalk *walk, size_t *len);
/* Open an image: header, checksum, strings and files.  NULL with a reason
 * in *err when it is not a valid image of this build. */
Image *image_open(const char *data, size_t len, const char **err);
/* The bytes the image was opened on. */
const void *image_bytes(const Image *img, size_t *len);
int image_nfiles(const Image *img);
/* Whether it was written from rules that loaded without a diagnostic. */
bool image_clean(const Image *img);
const ImageFile *image_file(const Image *img, int i);
/* Whether the image's rule files are exactly these paths, in this order,
 * and every file (standard modules too) still has the content it had:
 * the same size and time, or else the same SHA-256.  stamps[i] is what
 * the caller's own look at paths[i] saw (a walk of the rule directory
 * has just looked), so the rule files are not looked at again; the
 * standard modules are. */
bool image_fresh(const Image *img, const char *const *paths, const FileStamp *stamps, int npaths);
/* Whether the image was written by a load of these paths from the working
 * directory cwd whose directories all keep the times they had then, and
 * whose files (standard modules too) all keep their content: the image
 * is fresh without a walk of the directories. */
bool image_fresh_unwalked(const Image *img, const char *cwd, const char *const *paths, int npaths);
/* Module i's outline (name, imports, the names of its rules), as
 * parse_outline finds it in a file; false when it is damaged. */
bool image_outline(const Image *img, int i, Outline *o);
/* Module i (that of file i) as the parser built it, or with types_only
 * its type declarations only (as parse_outline_types reads them), or with
 * keep (from image_choose) the declarations it marks; its source is
 * registered with d.  NULL with a reason in *err when damaged. */
Module *image_module(const Image *img, int i, bool types_only, const unsigned char *keep, Diags *d,
		     const char **err);
/* For a load of the rules called names (each by its last part), of the
 * modules marked in whole (indexed by file) and the types of the others:
 * which of each rule module's declarations it needs (keep[file][k]): the
 * rules of those names, what they name, and so on; every fact, and every
 * declaration of the modules in whole that is no rule, type or test; the
 * types all these name.  NULL where the image cannot tell: it was not
 * written from rules that loaded without a diagnostic (then a part left
 * out could hide a message), or a name is no rule of those modules. */
unsigned char **image_choose(const Image *img, const bool *whole, const char *const *names, int nnames);
/* The declarations a types-only module keeps, and those whose names an
 * outline lists. */
bool image_type_decl(const Decl *d);
bool image_named_decl(const Decl *d);

/* Give an image (at least a header long) this build's format version and
 * hash and the checksum of its payload as it now is, so that the reader judges the
 * payload itself: for fuzzing and for tests of damaged images. */
void image_seal(char *data, size_t len);
/* The hash of this build of edict, as 64 hex digits. */
const char *image_build_hash(void);

#endif
