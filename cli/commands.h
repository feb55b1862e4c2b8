/*
 * commands.h - the subcommands of `edict`, one file each in cli/.  Each
 * takes the words after its name and returns the exit status (common.h).
 */
#ifndef EDICT_CLI_COMMANDS_H
#define EDICT_CLI_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_repl(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_lsp(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_compile(int argc, char **argv);

#endif
