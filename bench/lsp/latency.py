#!/usr/bin/env python3
"""latency.py - how long `edict lsp` takes to publish diagnostics after an edit.

    python3 bench/lsp/latency.py [--edict PATH] [--edits N] [--rules DIR] [--file NAME]

Opens NAME (default voucher.edict) of the rule set DIR (default
rules/kotra, copied to a scratch directory so nothing on disk changes),
then makes N edits (default 200), each changing one digit of a parameter
back and forth, and every fifth one introducing and removing a misspelt
name, and measures, for each edit, the time from sending didChange to
receiving the publishDiagnostics of that file (the server reloads and
checks the whole rule set, runs its checks and indexes it each time).
Prints the median, the 95th percentile, the best and the worst wall-clock
times against the target of 50 ms, and the server's own CPU time per edit
(which other processes on a busy machine do not inflate).  A benchmark, not a test: nothing is asserted.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lsp"))
from lspclient import Client  # noqa: E402


def cpu_seconds(pid):
    """User and system time of a process so far (Linux /proc)."""
    fields = pathlib.Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", default=str(ROOT / "build" / "edict"))
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--rules", default=str(ROOT / "rules" / "kotra"))
    ap.add_argument("--file", default="voucher.edict")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="edict-lsp-bench-")
    root = os.path.join(tmp, "rules")
    shutil.copytree(a.rules, root)
    try:
        c = Client(a.edict)
        c.initialize()
        path = os.path.join(root, a.file)
        text = pathlib.Path(path).read_text()
        t0 = time.perf_counter()
        uri = c.open(path, text)
        c.wait_diagnostics(uri)
        first = time.perf_counter() - t0
        cpu0 = cpu_seconds(c.proc.pid)
        lines = text.split("\n")
        # a line with a percentage or a number to change
        target = next(i for i, l in enumerate(lines) if "%" in l and "=" in l and not l.lstrip().startswith("#"))
        col = next(j for j, ch in enumerate(lines[target]) if ch.isdigit())
        times = []
        errors = 0
        for k in range(a.edits):
            if k % 5 == 4:
                # a misspelt name: an error diagnostic, then back
                edit = {"range": {"start": {"line": target, "character": 0}, "end": {"line": target, "character": 0}},
                        "text": "decision oops : bool = no_such_name\n"}
                undo = {"range": {"start": {"line": target, "character": 0}, "end": {"line": target + 1, "character": 0}},
                        "text": ""}
                for ch in (edit, undo):
                    t = time.perf_counter()
                    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2 + 2 * k}, "contentChanges": [ch]})
                    d = c.wait_diagnostics(uri)
                    times.append(time.perf_counter() - t)
                    errors += len(d["diagnostics"]) > 0
                continue
            digit = str((int(lines[target][col]) + 1 + k) % 10)
            ch = {"range": {"start": {"line": target, "character": col}, "end": {"line": target, "character": col + 1}},
                  "text": digit}
            t = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2 + 2 * k}, "contentChanges": [ch]})
            c.wait_diagnostics(uri)
            times.append(time.perf_counter() - t)
        cpu = cpu_seconds(c.proc.pid) - cpu0
        c.close()
    finally:
        shutil.rmtree(tmp)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print("edict lsp: diagnostics after an edit of %s/%s (%d edits, %d with an error)" %
          (os.path.basename(a.rules.rstrip("/")), a.file, len(ms), errors))
    print("  first open   %7.1f ms" % (first * 1000))
    print("  median       %7.1f ms" % statistics.median(ms))
    print("  95th pct     %7.1f ms" % p95)
    print("  best         %7.1f ms" % ms[0])
    print("  worst        %7.1f ms" % ms[-1])
    print("  server CPU   %7.1f ms an edit (user + system, averaged; free of other processes' load)" %
          (cpu * 1000 / len(ms)))
    print("  target          50.0 ms: %s" % ("met (95th percentile)" if p95 <= 50 else "NOT met"))


if __name__ == "__main__":
    main()
