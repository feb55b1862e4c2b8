#!/usr/bin/env python3
"""
run.py - golden tests of the `edict` command line.

Each case is one `.test` file: the rule files and facts it needs, the
command's arguments, and the exact standard output, standard error and exit
status expected (error text with its carets included), in the spirit of jq's
tests/*.test and clox's `// expect:` comments.  A case reads:

    # What this case shows (comment lines start with '#').
    args: eval voucher.edict --facts facts.json --json
    copy: voucher.edict            (optional: a file or directory from fixtures/,
                                    or with '@' from the repository: @rules/kotra)
    --- file voucher.edict         (any number of files, written as given)
    ...
    --- replace kotra/x.edict      (optional: an edit of a file copied or written:
    TEXT                            TEXT, found exactly once, becomes NEW)
    =====
    NEW
    --- after voucher.edict        (optional: what the file holds after the run)
    ...
    --- stdin                      (optional)
    ...
    --- stdout
    ...
    --- stderr
    ...
    --- exit 1

A section holds every line up to the next `--- ` header, each ending in a
newline (in stdout, a line `--- NAME` whose first word is not a section's is
output, as in a unified diff); a header ending in `(no newline at end)` drops the last one.  The
command runs in a fresh temporary directory holding the files, with relative
paths, NO_COLOR=1 and TZ=UTC, so the output never depends on where or when
it runs.

A case with a `bug: ID` line shows a known bug (ID names it in the bug
tracker): its expectations are the correct behaviour, not today's, and it
lives in known-bugs/ so it fails on its own until the fix.

Usage:
    run.py --edict PATH/TO/edict [CASE_OR_DIR ...]
    UPDATE=1 run.py ...   rewrite stdout, stderr and exit of failing cases
                          (never for known-bug cases); read every change
                          before keeping it.
"""
import argparse
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(HERE, "fixtures")
NO_NL = "(no newline at end)"


class Case:
    def __init__(self, path):
        self.path = path
        self.head = []      # comment, args:, copy:, bug: lines, as written
        self.args = None
        self.copies = []
        self.bug = None
        self.sections = []  # [kind, name, text]; kind: file stdin stdout stderr exit replace after
        self.after = {}     # file name -> its text after the run

    def get(self, kind):
        for s in self.sections:
            if s[0] == kind:
                return s
        return None


def parse(path):
    case = Case(path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cur = None
    for line in lines:
        if line.startswith("--- "):
            hdr = line[4:].strip()
            nonl = hdr.endswith(NO_NL)
            if nonl:
                hdr = hdr[: -len(NO_NL)].strip()
            words = hdr.split(None, 1)
            kind = words[0]
            name = words[1] if len(words) > 1 else ""
            known = kind in ("file", "stdin", "stdout", "stderr", "exit", "replace", "after")
            if not known and cur is not None and cur[0] == "stdout":
                cur[2].append(line)  # a unified diff's "--- file" line, in the output
                continue
            if not known:
                raise ValueError("%s: unknown section '--- %s'" % (path, hdr))
            cur = [kind, name, [], nonl]
            case.sections.append(cur)
            continue
        if cur is None:
            case.head.append(line)
            s = line.strip()
            if s.startswith("args:"):
                case.args = shlex.split(s[5:])
            elif s.startswith("copy:"):
                case.copies.extend(s[5:].split())
            elif s.startswith("bug:"):
                case.bug = s[4:].strip()
            elif s and not s.startswith("#"):
                raise ValueError("%s: unexpected line before the sections: %r" % (path, line))
        else:
            cur[2].append(line)
    out = []
    for kind, name, body, nonl in case.sections:
        if kind == "exit":
            out.append([kind, name, ""])
            continue
        text = "".join(l + "\n" for l in body)
        if nonl and text.endswith("\n"):
            text = text[:-1]
        out.append([kind, name, text])
    case.sections = out
    if case.args is None:
        raise ValueError("%s: no 'args:' line" % path)
    if not case.get("exit"):
        raise ValueError("%s: no '--- exit N' section" % path)
    return case


def serialize(case):
    parts = ["\n".join(case.head) + "\n" if case.head else ""]
    for kind, name, text in case.sections:
        if kind == "exit":
            parts.append("--- exit %s\n" % name)
            continue
        hdr = "--- " + kind + (" " + name if name else "")
        if text and not text.endswith("\n"):
            parts.append(hdr + " " + NO_NL + "\n" + text + "\n")
        else:
            parts.append(hdr + "\n" + text)
    return "".join(parts)


def run_case(case, edict):
    with tempfile.TemporaryDirectory(prefix="edict-golden-") as tmp:
        for c in case.copies:
            base, c = (ROOT, c[1:]) if c.startswith("@") else (FIXTURES, c)
            src = os.path.join(base, c.rstrip("/"))
            dst = os.path.join(tmp, os.path.basename(c.rstrip("/")) if base == ROOT else c.rstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if os.path.isdir(src):
                shutil.copytree(src, dst)
            else:
                shutil.copyfile(src, dst)
        stdin = None
        for kind, name, text in case.sections:
            if kind == "file":
                p = os.path.join(tmp, name)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            elif kind == "stdin":
                stdin = text
            elif kind == "replace":
                replace(os.path.join(tmp, name), text)
        env = dict(os.environ)
        env["NO_COLOR"] = "1"
        env["TZ"] = "UTC"
        env["LC_ALL"] = "C"
        try:
            r = subprocess.run([edict] + case.args, cwd=tmp, input=(stdin or "").encode(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
        except subprocess.TimeoutExpired:
            return None, "", "timed out after 60 seconds", -1
        after = {}
        for kind, name, text in case.sections:
            if kind == "after":
                try:
                    with open(os.path.join(tmp, name), encoding="utf-8", newline="") as f:
                        after[name] = f.read()
                except OSError as e:
                    after[name] = "(cannot read: %s)\n" % e.strerror
        case.after = after
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace"), None


def replace(path, text):
    """Apply a `--- replace` section: its text before a line `=====` becomes the text after it."""
    old, sep, new = text.partition("=====\n")
    if not sep:
        raise ValueError("a '--- replace' section needs a line '=====' between the old text and the new")
    with open(path, encoding="utf-8", newline="") as f:
        content = f.read()
    if content.count(old) != 1:
        raise ValueError("%s: the text to replace is found %d times, not once" % (path, content.count(old)))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(content.replace(old, new))


def diff(name, want, got):
    d = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                             "expected " + name, "actual " + name)
    out = []
    for l in d:
        out.append(l if l.endswith("\n") else l + "\n\\ no newline at end\n")
    return "".join(out)


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files.extend(os.path.join(root, n) for n in names if n.endswith(".test"))
        else:
            files.append(p)
    return sorted(files)


def main():
    ap = argparse.ArgumentParser(description="golden tests of the edict command")
    ap.add_argument("--edict", required=True, help="the edict binary")
    ap.add_argument("paths", nargs="*", help="cases or directories (default: cases/)")
    o = ap.parse_args()
    edict = os.path.abspath(o.edict)
    update = os.environ.get("UPDATE") == "1"
    files = collect(o.paths or [os.path.join(HERE, "cases")])
    if not files:
        print("no golden cases found")
        return 1
    passed = failed = 0
    for path in files:
        rel = os.path.relpath(path, HERE)
        try:
            case = parse(path)
        except ValueError as e:
            print("ERROR %s" % e)
            failed += 1
            continue
        try:
            code, out, err, why = run_case(case, edict)
        except ValueError as e:
            print("ERROR %s" % e)
            failed += 1
            continue
        want_out = (case.get("stdout") or [0, 0, ""])[2]
        want_err = (case.get("stderr") or [0, 0, ""])[2]
        want_code = case.get("exit")[1].strip()
        report = ""
        if why:
            report = why + "\n"
        if out != want_out:
            report += diff("stdout", want_out, out)
        if err != want_err:
            report += diff("stderr", want_err, err)
        if str(code) != want_code:
            report += "exit status: expected %s, got %s\n" % (want_code, code)
        for kind, name, text in case.sections:
            if kind == "after" and case.after.get(name) != text:
                report += diff("file " + name, text, case.after.get(name, ""))
        if not report:
            passed += 1
            continue
        if update and not case.bug and not why:
            for kind, text in (("stdout", out), ("stderr", err)):
                s = case.get(kind)
                if s:
                    s[2] = text
                elif text:
                    case.sections.insert(case.sections.index(case.get("exit")), [kind, "", text])
            case.get("exit")[1] = str(code)
            for sec in case.sections:
                if sec[0] == "after":
                    sec[2] = case.after.get(sec[1], "")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(serialize(case))
            print("UPDATED %s" % rel)
            passed += 1
            continue
        failed += 1
        label = " (known bug %s)" % case.bug if case.bug else ""
        print("FAIL %s%s\n  args: %s" % (rel, label, " ".join(shlex.quote(a) for a in case.args)))
        sys.stdout.write("".join("  " + l for l in report.splitlines(True)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
