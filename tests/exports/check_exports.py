#!/usr/bin/env python3
"""check_exports.py HEADER LIBRARY - every function the public header
declares with EDICT_API is a defined dynamic symbol of the shared library.

A function is exported only when the file that defines it is compiled with
EDICT_BUILDING (CMakeLists.txt sets it for the whole core); one that is not
links in the static library and the command but is missing from
libedict.so, where hosts, the Python package and the PostgreSQL extension
look for it.  Exits 1 naming every missing function."""
import re
import subprocess
import sys


def declared(header):
    """The names of the functions declared with EDICT_API, in order."""
    with open(header, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    text = re.sub(r"^\s*#.*$", "", text, flags=re.M)  # the macro's own definition
    return re.findall(r"\bEDICT_API\b[^;{]*?\b(edict_\w+)\s*\(", text)


def exported(library):
    """The names of the functions libedict.so defines for the dynamic linker."""
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                         text=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split()[1:2] == ["T"]}


def main():
    header, library = sys.argv[1], sys.argv[2]
    names = declared(header)
    if not names:
        print(f"{header}: no function declared with EDICT_API was found")
        return 1
    missing = [n for n in names if n not in exported(library)]
    for n in missing:
        print(f"{library}: {n} is declared in {header} but not exported")
    print(f"{len(names) - len(missing)} of {len(names)} functions exported")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
