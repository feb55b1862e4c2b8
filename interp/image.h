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
 * table, the file table, and the modules, each its outline then its
 * declarations; a declaration holds its own nodes (children before their
 * parents) and record and enum types, its length first, so that a load
 * for some queries reads whole only the modules they reach, and of the
 * others their types, as a load of the files does.  Numbers are LEB128 varints; every
 * reference is an index checked against its table, every count against the
 * bytes left, so a damaged or hostile image is refused with a reason and
 * never read out of bounds.
 */
#ifndef EDICT_IMAGE_H
#define EDICT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

#define IMAGE_MAGIC "EDICTIMG"
#define IMAGE_VERSION 6u
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

/* The image of parsed (not yet checked) modules; stds[i] marks the
 * standard library's.  A GC buffer, its length in *len. */
char *image_encode(Module *const *mods, const bool *stds, int nmods, size_t *len);
/* Open an image: header, checksum, strings and files.  NULL with a reason
 * in *err when it is not a valid image of this build. */
Image *image_open(const char *data, size_t len, const char **err);
/* The bytes the image was opened on. */
const void *image_bytes(const Image *img, size_t *len);
int image_nfiles(const Image *img);
const ImageFile *image_file(const Image *img, int i);
/* Whether the image's rule files are exactly these paths, in this order,
 * and every file (standard modules too) still has the content it had:
 * the same size and time, or else the same SHA-256. */
bool image_fresh(const Image *img, const char *const *paths, int npaths);
/* Module i's outline (name, imports, the names of its rules), as
 * parse_outline finds it in a file; false when it is damaged. */
bool image_outline(const Image *img, int i, Outline *o);
/* Module i (that of file i) as the parser built it, or with types_only
 * its type declarations only (as parse_outline_types reads them); its
 * source is registered with d.  NULL with a reason in *err when damaged. */
Module *image_module(const Image *img, int i, bool types_only, Diags *d, const char **err);
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
