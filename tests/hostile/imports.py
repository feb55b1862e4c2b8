#!/usr/bin/env python3
"""imports.py - the library never prints, exits or aborts: libedict.so
imports none of the C library's functions for that.

    python3 tests/hostile/imports.py build/libedict.so

Writing files through a FILE (fwrite, vfprintf: interp/fileio.c's atomic
saves) is allowed; the standard streams and the ways out of a process are
not.  flex's skeleton names them (yy_fatal_error prints and exits;
yyin/yyout default to stdin/stdout); grammar/lexer.l routes those away.
"""
import re
import subprocess
import sys

FORBIDDEN = {"exit", "_exit", "_Exit", "abort", "quick_exit", "printf", "fprintf", "vprintf", "puts", "fputs",
             "putchar", "perror", "stdout", "stderr", "stdin", "__printf_chk", "__fprintf_chk"}


def main():
    out = subprocess.run(["nm", "-D", "--undefined-only", sys.argv[1]], capture_output=True, text=True, check=True)
    names = {re.sub(r"@.*", "", line.split()[-1]) for line in out.stdout.splitlines() if line.strip()}
    bad = sorted(names & FORBIDDEN)
    print("%s imports %d symbols; forbidden: %s" % (sys.argv[1], len(names), ", ".join(bad) or "none"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
