#!/usr/bin/env python3
"""Run the walk-through of docs/repl.md for real.

Every ```repl block of the document is part of one REPL session, shown as
a terminal shows it: `edict> ` before each command (`   ...> ` before a
continued line) and the output below.  The first block starts with the
command line (`$ edict repl ARGS`) and the banner.  This script feeds the
commands, in order, to `edict repl --echo ARGS` in a copy of the rule
library and the example cases, and compares everything the session prints
with the blocks.  UPDATE=1 rewrites the outputs in the document instead
(read the diff before committing it).

Usage: doc_test.py --edict PATH/TO/edict [--doc docs/repl.md]
"""
import argparse
import difflib
import os
import pty
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT, MORE = "edict> ", "   ...> "


def read_blocks(text):
    """(start, end) line indexes of the body of each ```repl block."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```repl":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append((i + 1, j))
            i = j
        i += 1
    return lines, out


def banner(edict, args):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execve(edict, [edict, "repl", *args], dict(os.environ, TERM="dumb", NO_COLOR="1",
                                                     HOME=tempfile.gettempdir()))
    seen = b""
    end = time.time() + 30
    while b"edict> " not in seen and time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    # Ctrl-D to leave; a key typed while libedit is still setting up the
    # terminal may be dropped, so press it again until the REPL is gone
    end = time.time() + 10
    while time.time() < end:
        os.write(fd, b"\x04")
        time.sleep(0.25)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        while select.select([fd], [], [], 0)[0]:
            try:
                os.read(fd, 4096)
            except OSError:
                break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return seen.decode("utf-8", "replace").replace("\r", "").split("\n")[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "repl.md"))
    a = ap.parse_args()
    edict = os.path.abspath(a.edict)
    lines, blocks = read_blocks(open(a.doc, encoding="utf-8").read())
    if not blocks:
        print("FAIL no ```repl blocks in " + a.doc)
        return 1
    first = lines[blocks[0][0]]
    if not first.startswith("$ edict repl "):
        print("FAIL the first ```repl block must start with `$ edict repl ARGS`")
        return 1
    args = shlex.split(first[len("$ edict repl "):])
    # the commands, and which block each belongs to
    script = []
    for n, (s, e) in enumerate(blocks):
        for line in lines[s:e]:
            if line.startswith(PROMPT):
                script.append((n, "> ", line[len(PROMPT):]))
            elif line.startswith(MORE):
                script.append((n, "... ", line[len(MORE):]))
    work = tempfile.mkdtemp(prefix="edict-repl-doc-")
    try:
        for d in ("rules/kotra", "examples/companies", "examples/products"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d))
        env = dict(os.environ, HOME=work, NO_COLOR="1", LC_ALL="C", TZ="UTC")
        r = subprocess.run([edict, "repl", "--echo", *args], cwd=work, env=env,
                           input="".join(c + "\n" for _, _, c in script).encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        out = r.stdout.decode("utf-8", "replace").split("\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # cut the output into the blocks, at the echo of each block's first command
    got = [[] for _ in blocks]
    k, n = 0, 0
    for line in out:
        if k < len(script) and line == script[k][1] + script[k][2]:
            n = script[k][0]
            line = (PROMPT if script[k][1] == "> " else MORE) + script[k][2]
            k += 1
        got[n].append(line)
    while got[-1] and got[-1][-1] == "":
        got[-1].pop()
    if k < len(script):
        print(f"FAIL the session stopped before `{script[k][2]}`:\n" + "\n".join(out[-20:]))
        return 1
    # the first block keeps its command line, and the banner that only a
    # terminal shows: asked of the REPL on a pseudo-terminal
    got[0] = [first, banner(edict, args)] + got[0]
    if os.environ.get("UPDATE") == "1":
        for (s, e), body in reversed(list(zip(blocks, got))):
            lines[s:e] = body
        with open(a.doc, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"rewrote {len(blocks)} blocks of {a.doc}")
        return 0
    failed = 0
    for n, ((s, e), body) in enumerate(zip(blocks, got)):
        want = lines[s:e]
        if want != body:
            failed += 1
            print(f"FAIL {os.path.relpath(a.doc, ROOT)}:{s}: the session prints something else")
            sys.stdout.writelines(difflib.unified_diff([l + "\n" for l in want], [l + "\n" for l in body],
                                                       "shown in the doc", "actual output"))
    print(f"{len(blocks) - failed} blocks as shown, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
