/*
 * load.h - reading a rule set: paths -> sources -> modules -> Program.
 *
 * A rule set is a list of files and directories.  A directory contributes
 * every `.edict` file below it; a file's module name is its path below the
 * directory with dots for slashes (origin/eu.edict is `origin.eu`), or its
 * `module` line.  Nothing outside the given roots is read: symbolic links
 * that lead out of a root, or round in a loop, are reported.
 */
#ifndef EDICT_LOAD_H
#define EDICT_LOAD_H

#include "image.h"
#include "parse.h"
#include "program.h"

#define LOAD_MAX_FILE_BYTES (8u << 20)
#define LOAD_MAX_FILES 10000
#define LOAD_MAX_DIR_DEPTH 32

/* Load, check and (when there are no errors) compile.  Returns the
 * program, or NULL only when nothing could be read; errors are in d. */
Program *load_paths(const char *const *paths, int npaths, Diags *d);
/* The same for answering the given queries only (edict eval --query): the
 * files of the modules the queries name, and of what those import, are
 * parsed, checked and compiled whole; of the other files only the type
 * declarations (enum, record, fact: global to the rule set) are, so errors
 * elsewhere in them are not seen (the standard library modules they
 * import are loaded).  When this load has errors, or a query fails to
 * compile against it, the caller loads whole (load_paths): only that gives
 * the diagnostics of the whole rule set, in their exact words (a type
 * declaration parsed alone may be reported differently).  Without queries
 * this is load_paths. */
Program *load_paths_for(const char *const *paths, int npaths, const char *const *queries, int nqueries, Diags *d);
/* load_paths, with the text of some files taken from memory instead of
 * disk (an editor's unsaved buffers): a file found under the paths whose
 * path equals an overlay's is read from the overlay; an overlay found
 * nowhere under them is added to the rule set as one more file. */
Program *load_paths_overlay(const char *const *paths, int npaths, const Source *const *overlays, int noverlays,
			    Diags *d);
/* load_paths without the code: every diagnostic of load_paths (the trees
 * are checked and folded and the tables analysed), for a caller that runs
 * nothing, or only after load_code (`edict check`: the checks written in
 * the rules).  A rule set of many decisions takes a fifth less time and
 * memory than load_paths. */
Program *load_paths_checked(const char *const *paths, int npaths, Diags *d);
/* Make the code of a program loaded by load_paths_checked; nothing for
 * one that has it. */
void load_code(Program *p);
/* The same for rule text held in memory (the C API, tests, fuzzing). */
Program *load_sources(const Source *const *srcs, int nsrcs, Diags *d);
/* A reform (`edict simulate`, the C API): the program of base with the
 * declarations of the reform sources replacing those of the same name in
 * the module they name.  Errors (and warnings for additions) go to d;
 * returns NULL only when nothing could be built. */
Program *load_reform(const Program *base, const Source *const *srcs, int nsrcs, Diags *d);
/* load_reform from the files at paths (a directory: every .edict file
 * below it, the files of one reform). */
Program *load_reform_paths(const Program *base, const char *const *paths, int npaths, Diags *d);
/* The paths of the rule files under paths (a directory gives every .edict
 * file below it, in name order, as a load reads them); errors (unreadable
 * paths, links leading out) go to d.  *n receives the count. */
const char **load_find_files(const char *const *paths, int npaths, Diags *d, int *n);
/* Read a whole file (binary-safe) into a GC string.  NULL with *err on failure. */
char *load_file(const char *path, size_t max, size_t *len, const char **err);

/* ------------------------------------------ compiled images (imgload.c) */

/* A rule set compiled into an image (image.h): the files under paths,
 * checked (errors go to d, and nothing is written), parsed and written to
 * out.  A load of the single path FILE.edc loads the image (load_image). */
bool load_compile_image(const char *const *paths, int npaths, const char *out, Diags *d);
/* The program of the image in file path (for queries: as load_paths_for);
 * a file that is not a valid image of this build is refused with an error
 * in d saying why. */
Program *load_image(const char *path, const char *const *queries, int nqueries, Diags *d);
/* The start-up cache: with a folder set, loads of rule files use a valid
 * image of them (DIR.edc beside a single rule directory, or one in the
 * folder) and write one to the folder after reading the files.  Set once,
 * before loading; NULL turns it off (the default). */
void load_set_image_cache(const char *dir);
/* The image beside a rule directory or file: DIR.edc, voucher.edc. */
const char *load_image_beside(const char *path);
const char *load_image_cache(void);

/* What load.c and imgload.c share. */
typedef struct LoadQuery {
	const char *const *queries;
	int nqueries;
} LoadQuery;
/* What a load's walk of its rule files found: each file's path, in load
 * order, and what the walk saw of it. */
typedef struct LoadWalked {
	const char *const *files;
	const FileStamp *stamps;
	int n;
} LoadWalked;
/* Walk the rule files: false when none were found or d has errors. */
typedef bool (*LoadWalkFn)(void *arg, LoadWalked *out, Diags *d);
/* The program of a valid, fresh image of these paths' rule files, or
 * NULL.  The cache folder's image is judged first without a walk of the
 * rule directories (image_fresh_unwalked); when that fails, walk(arg) is
 * called and the image beside the paths, then the same cached image, are
 * judged by what it found (image_fresh).  NULL is returned only after the
 * walk, which is made at most once. */
Program *load_cached(const char *const *paths, int npaths, LoadWalkFn walk, void *arg, const LoadQuery *q, Diags *d);
/* Write the image of these sources (read from paths) to the cache; clean:
 * a check of all of them found no diagnostic (as image_encode takes it);
 * dirs: the directories the walk of paths entered, as it saw them. */
void load_cache_save(const char *const *paths, int npaths, Source *const *srcs, const char *const *names, int n,
		     bool clean, const ImageDir *dirs, int ndirs);
/* The rule files under paths, read (their module names in *names), or
 * NULL after errors in d; with p, *p the rule set loaded from those very
 * texts (as load_paths would load them, but read once: an image made of
 * the texts is checked as it is). */
Source **load_read_files(const char *const *paths, int npaths, Diags *d, const char ***names, int *n, Program **p);
/* Check and compile parsed modules, with the std modules they import. */
Program *load_build(Module **mods, int nmods, Diags *d);
void load_add_stdlib(Module ***mods, int *nmods, Diags *d);
/* The file of standard module `module` (std.dates: STDLIB/std/dates.edict). */
const char *load_stdlib_path(const char *module);
/* Mark the files a query reaches (load_paths_for). */
void load_reach_query(const Outline *outs, const char *const *names, int n, bool *whole, const char *q);

#endif
