#!/usr/bin/env python3
"""imports.py - the library never prints, exits or aborts: libedict.so
imports none of the C library's functions for that.

    python3 tests/hostile/imports.py build/libedict.so [OBJECTS]

One exception, checked in the library's object files (OBJECTS, a list
separated by ";", as CMake gives $<TARGET_OBJECTS:...>): `_exit` ends the
native tier's compiling child process, a copy of the host that compiles and
ends (interp/native.c), never the host itself.  Only native.c's object may
import it; without OBJECTS it is forbidden like the others.

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


CHILD_ONLY = {"_exit"}
CHILD_OBJECT = "native.c.o"


def undefined(path, dynamic):
    out = subprocess.run(["nm"] + (["-D"] if dynamic else []) + ["--undefined-only", path], capture_output=True,
                         text=True, check=True)
    return {re.sub(r"@.*", "", line.split()[-1]) for line in out.stdout.splitlines() if line.strip()}


def main():
    names = undefined(sys.argv[1], True)
    objects = [o for arg in sys.argv[2:] for o in arg.split(";") if o]
    allowed = set()
    if objects:
        allowed = CHILD_ONLY
        for o in objects:
            wrong = sorted(undefined(o, False) & CHILD_ONLY) if not o.endswith(CHILD_OBJECT) else []
            if wrong:
                print("%s imports %s, which only %s may" % (o, ", ".join(wrong), CHILD_OBJECT))
                return 1
    bad = sorted((names & FORBIDDEN) - allowed)
    print("%s imports %d symbols; forbidden: %s" % (sys.argv[1], len(names), ", ".join(bad) or "none"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
