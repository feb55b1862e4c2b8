#!/usr/bin/env python3
"""Golden transcripts of `edict repl`: a script of REPL input and the exact
output expected for it.

Each case is cases/NAME.in (the input, one command a line) and cases/NAME.out
(the expected standard output of `edict repl --echo ...`, which repeats
each input line after "> ", so the .out file reads as a transcript, followed
by a last line "[exit N]" with the exit status).

Directives, in lines of the .in file that the REPL itself skips as comments:
  #! repl ARGS...   (first line) the arguments after `edict repl`; default: rules
  #! sh COMMAND     run COMMAND with sh once the REPL has finished every line
                    before it (to edit a rule file mid-session, or show a file)

Every case runs in a fresh temporary copy of this directory's fixtures
(rules/, *.json, *.edict), so cases may change files freely.  Today's date
is shown as TODAY.  UPDATE=1 rewrites the .out files from the actual output
(read the diff before committing it).

Usage: run_golden.py --edict PATH/TO/edict [CASE...]
"""
import argparse
import datetime
import difflib
import os
import queue
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")


def copy_fixtures(dest):
    for name in os.listdir(HERE):
        src = os.path.join(HERE, name)
        if name in ("cases", "__pycache__") or name.endswith((".py", ".supp")):
            continue
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, name))
        else:
            shutil.copy2(src, dest)


def run_case(edict, path):
    lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
    args = ["rules"]
    if lines and lines[0].startswith("#! repl"):
        args = shlex.split(lines[0][len("#! repl"):])
    work = tempfile.mkdtemp(prefix="edict-repl-golden-")
    try:
        copy_fixtures(work)
        env = dict(os.environ, HOME=work, NO_COLOR="1", LC_ALL="C")
        p = subprocess.Popen([edict, "repl", "--echo", *args], cwd=work, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = queue.Queue()

        def reader():
            for line in iter(p.stdout.readline, b""):
                out.put(line)
            out.put(None)

        threading.Thread(target=reader, daemon=True).start()
        got = []

        def wait_for(echo):
            # the REPL echoes a line when it reads it, after finishing the
            # lines before it
            while True:
                line = out.get(timeout=60)
                if line is None:
                    raise RuntimeError(f"the REPL ended before reaching {echo!r}")
                got.append(line)
                if line.decode("utf-8", "replace").rstrip("\n") == echo:
                    return

        for line in lines:
            p.stdin.write(line.encode("utf-8"))
            if line.startswith("#! sh "):
                p.stdin.flush()
                wait_for("> " + line.rstrip("\n"))
                sh = subprocess.run(["sh", "-c", line[len("#! sh "):]], cwd=work, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                got.append(sh.stdout)
        p.stdin.close()
        while True:
            line = out.get(timeout=60)
            if line is None:
                break
            got.append(line)
        code = p.wait(timeout=60)
        text = b"".join(got).decode("utf-8", "replace") + f"[exit {code}]\n"
        return text.replace(datetime.date.today().isoformat(), "TODAY")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    edict = os.path.abspath(a.edict)
    names = a.cases or sorted(f[:-3] for f in os.listdir(CASES) if f.endswith(".in"))
    update = os.environ.get("UPDATE") == "1"
    failed = 0
    for name in names:
        actual = run_case(edict, os.path.join(CASES, name + ".in"))
        want_path = os.path.join(CASES, name + ".out")
        if update:
            with open(want_path, "w", encoding="utf-8") as f:
                f.write(actual)
            print(f"wrote {name}.out")
            continue
        want = open(want_path, encoding="utf-8").read() if os.path.exists(want_path) else ""
        if actual == want:
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}")
            sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), actual.splitlines(True),
                                                       f"{name}.out (expected)", f"{name} (actual)"))
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
