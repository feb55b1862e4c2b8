/*
 * repl.h - `edict repl PATH...`: the what-if REPL for policy officers.
 *
 * Loads a rule set and answers questions about it line by line: evaluate
 * decisions and expressions, set and unset facts in the rules' own
 * notation, explain, list the facts still missing, ask "what if" and
 * "why not", keep named scenarios and compare them, and pick up edits to
 * the rule files.  With a terminal it edits lines with libedit (history in
 * ~/.edict_history, tab completion); otherwise it reads commands line by
 * line and prints plain results, so sessions can be scripted and diffed.
 * This is part of the command (cli.c), not of the library: it prints.
 */
#ifndef EDICT_REPL_H
#define EDICT_REPL_H

/* argv holds what follows `edict repl`.  Returns the exit status: 0, or 1
 * when the rules could not be loaded or (without a terminal) a command
 * failed; 2 for a usage error. */
int repl_main(int argc, char **argv);

#endif
