/*
 * dot.h - Graphviz for the commands that draw (doc, graph): DOT to SVG.
 * Kept apart from the interpreter's headers, whose names Graphviz's
 * headers would clash with.
 */
#ifndef EDICT_CLI_DOT_H
#define EDICT_CLI_DOT_H

/* A DOT graph laid out and drawn as SVG (libgvc), in a collected string;
 * NULL when Graphviz fails.  The signature of SiteSvg (site.h); arg is unused. */
const char *cli_dot_svg(const char *dot, void *arg);
/* Why cli_dot_svg last answered NULL, in a sentence: Graphviz could not
 * draw, or its library is not installed. */
const char *cli_dot_failure(void);

#endif
