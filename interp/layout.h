/*
 * layout.h - the canonical layout of rule text: what `edict fmt` writes and
 * what an editor's "format document" asks for.
 *
 * layout_format takes the text of one rule file and returns it laid out
 * the one canonical way (indentation, spacing, blank lines, citations on
 * their own lines, aligned table columns, a line width), keeping every
 * comment and the blank lines that separate the writer's paragraphs.  The
 * tokens of the result are exactly the tokens of the input, so the syntax
 * tree and the meaning are the same; a text with syntax errors is not laid
 * out at all.  Laying out a laid-out text changes nothing.
 */
#ifndef EDICT_LAYOUT_H
#define EDICT_LAYOUT_H

#include <stddef.h>

#include "diag.h"

/* The longest line the layout aims for, in bytes, before it breaks a line
 * at an operator or after a comma (texts in quotes are never broken). */
#define LAYOUT_WIDTH 100

/* Lay out one rule file.  path names it in diagnostics.  Returns the new
 * text (a GC string, NUL-terminated, its length in *outlen when outlen is
 * not NULL), or NULL when the text has syntax errors, which are added to d
 * with their file, line and column. */
const char *layout_format(const char *path, const char *text, size_t len, Diags *d, size_t *outlen);

#endif
