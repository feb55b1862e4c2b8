#!/usr/bin/env python3
"""
doc_examples.py - run every example in docs/*.md, so the documentation never
shows rules or output that the real `edict` does not produce.

Fenced blocks, by their info string:

  ```edict                a complete rule file with at least one `test`:
                          `edict check` and `edict test` must both succeed,
                          with no failed test.
  ```edict file=DIR/X.edict
                          a file of the document's workspace (kept across the
                          document, for the console blocks that follow).  A
                          file at the top is checked and tested on its own
                          right away; the files of a directory are checked and
                          tested together at the end of the document.
  ```edict-error [file=X] rules that must fail: `edict check` fails (exit 1),
                          or else `edict test` does (a failing test); either
                          must print exactly the ```text block that follows.
  ```json file=X          a facts file of the workspace.
  ```console              commands run in the workspace: each line `$ cmd`,
                          followed by the exact output expected (standard
                          output, then standard error, as a terminal shows
                          them).  `$ echo $?` prints the previous exit status.

Every command runs with NO_COLOR=1 and TZ=UTC, with the edict under test
first on PATH.  Usage: doc_examples.py --edict PATH/TO/edict [DOC_OR_DIR ...]
With UPDATE=1 in the environment, console and error-text blocks whose output
differs are rewritten with the actual output (read the diff before keeping it).
"""
import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\S*)(.*)$")


def blocks(path):
    """Yield (line, lang, attrs, text) for every fenced block of a Markdown file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(1):
            i += 1
            continue
        start = i + 1
        lang = m.group(1)
        attrs = dict(a.split("=", 1) for a in m.group(2).split() if "=" in a)
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        yield start, lang, attrs, "".join(l + "\n" for l in body)


class Runner:
    def __init__(self, edict):
        self.edict = edict
        self.env = dict(os.environ)
        self.env["NO_COLOR"] = "1"
        self.env["TZ"] = "UTC"
        self.env["LC_ALL"] = "C"
        self.env["PATH"] = os.path.dirname(edict) + os.pathsep + self.env.get("PATH", "")
        self.failures = 0
        self.checked = 0
        self.update = os.environ.get("UPDATE") == "1"
        self.rewrites = {}  # line of a block's first content line -> its new content

    def run(self, args, cwd):
        r = subprocess.run(args, cwd=cwd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")

    def fail(self, where, what):
        self.failures += 1
        print("FAIL %s: %s" % (where, what.rstrip("\n")))

    def check_and_test(self, where, target, cwd):
        """edict check and edict test on target: both clean, at least one test."""
        self.checked += 1
        code, out, err = self.run([self.edict, "check", target], cwd)
        if code != 0:
            self.fail(where, "edict check %s exited %d:\n%s%s" % (target, code, out, err))
            return
        code, out, err = self.run([self.edict, "test", target], cwd)
        m = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
        if code != 0 or not m or m.group(2) != "0":
            self.fail(where, "edict test %s exited %d:\n%s%s" % (target, code, out, err))
        elif m.group(1) == "0":
            self.fail(where, "the example has no test; every example carries at least one")

    def console(self, where, text, cwd):
        self.checked += 1
        cmds = []  # [command, expected output]
        for line in text.split("\n")[:-1]:
            if line.startswith("$ "):
                cmds.append([line[2:], ""])
            elif cmds:
                cmds[-1][1] += line + "\n"
            else:
                self.fail(where, "a console block starts with a line that is not a command: %r" % line)
                return
        status = 0
        fresh = ""
        for cmd, want in cmds:
            if cmd.strip() == "echo $?":
                got = "%d\n" % status
            else:
                code, out, err = self.run(["bash", "-c", cmd], cwd)
                status = code
                got = out + err
            fresh += "$ %s\n%s" % (cmd, got)
            if got != want and self.update:
                self.rewrites[int(where.rsplit(":", 1)[1])] = None
            if got != want:
                diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "shown in the doc",
                                                    "actual output"))
                self.fail(where, "$ %s\n%s" % (cmd, diff))
        if self.update and int(where.rsplit(":", 1)[1]) in self.rewrites:
            self.rewrites[int(where.rsplit(":", 1)[1])] = fresh

    def document(self, path):
        rel = os.path.relpath(path)
        with tempfile.TemporaryDirectory(prefix="edict-doc-") as ws:
            dirs = {}  # directory in the workspace -> first line that wrote to it
            pending_error = None  # (where, stderr) of an edict-error block awaiting its ```text
            for line, lang, attrs, text in blocks(path):
                where = "%s:%d" % (rel, line)
                if pending_error and lang != "text":
                    self.fail(pending_error[0], "an edict-error block must be followed by a ```text block")
                    pending_error = None
                if lang == "edict":
                    name = attrs.get("file")
                    if not name:
                        with tempfile.TemporaryDirectory(prefix="edict-doc-example-") as one:
                            with open(os.path.join(one, "example.edict"), "w", encoding="utf-8") as f:
                                f.write(text)
                            self.check_and_test(where, "example.edict", one)
                        continue
                    full = os.path.join(ws, name)
                    os.makedirs(os.path.dirname(full), exist_ok=True)
                    with open(full, "w", encoding="utf-8") as f:
                        f.write(text)
                    top = name.split("/", 1)[0]
                    if "/" in name:
                        dirs.setdefault(top, where)
                    else:
                        self.check_and_test(where, name, ws)
                elif lang == "edict-error":
                    name = attrs.get("file", "example.edict")
                    with tempfile.TemporaryDirectory(prefix="edict-doc-error-") as one:
                        full = os.path.join(one, name)
                        os.makedirs(os.path.dirname(full), exist_ok=True)
                        with open(full, "w", encoding="utf-8") as f:
                            f.write(text)
                        code, out, err = self.run([self.edict, "check", name], one)
                        if code == 0:
                            code, out, err = self.run([self.edict, "test", name], one)
                    if code != 1:
                        self.fail(where, "this example should fail, but edict check and edict test exited %d:\n%s%s"
                                  % (code, out, err))
                    else:
                        pending_error = (where, out + err)
                elif lang == "text" and pending_error:
                    self.checked += 1
                    ewhere, got = pending_error
                    pending_error = None
                    if got != text and self.update:
                        self.rewrites[line] = got
                    if got != text:
                        diff = "".join(difflib.unified_diff(text.splitlines(True), got.splitlines(True),
                                                            "shown in the doc", "actual output"))
                        self.fail(ewhere, "the error message differs:\n" + diff)
                elif lang == "json" and "file" in attrs:
                    full = os.path.join(ws, attrs["file"])
                    os.makedirs(os.path.dirname(full), exist_ok=True)
                    with open(full, "w", encoding="utf-8") as f:
                        f.write(text)
                elif lang == "console":
                    self.console(where, text, ws)
            if pending_error:
                self.fail(pending_error[0], "an edict-error block must be followed by a ```text block")
            if self.rewrites:
                self.rewrite(path)
            for top, where in sorted(dirs.items()):
                self.check_and_test("%s (directory %s/)" % (where, top), top, ws)


    def rewrite(self, path):
        """Replace the content of the blocks that start at the recorded lines."""
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for start in sorted(self.rewrites, reverse=True):
            new = self.rewrites[start]
            if new is None:
                continue
            end = start
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            lines[start:end] = (new[:-1] if new.endswith("\n") else new).split("\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print("rewrote %d blocks of %s" % (len([v for v in self.rewrites.values() if v is not None]), path))
        self.rewrites = {}


def main():
    ap = argparse.ArgumentParser(description="run the examples of the documentation")
    ap.add_argument("--edict", required=True)
    ap.add_argument("paths", nargs="+")
    o = ap.parse_args()
    r = Runner(os.path.abspath(o.edict))
    docs = []
    for p in o.paths:
        if os.path.isdir(p):
            docs.extend(sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith(".md")))
        else:
            docs.append(p)
    for d in docs:
        r.document(d)
    print("%d examples run, %d failed" % (r.checked, r.failures))
    return 1 if r.failures or not r.checked else 0


if __name__ == "__main__":
    sys.exit(main())
