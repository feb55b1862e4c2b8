#!/usr/bin/env python3
"""
signals_test.py - `edict batch` stopped by a signal, and input it cannot read.

- SIGINT, SIGTERM and SIGHUP in the middle of a stream: every record
  written is whole JSON, the records are the first lines in order, the
  summary is printed, and the exit status is 130, 143 or 129.
- The same signals while the batch waits for input that does not come:
  it stops at once, with the same status (the lines of the unfinished
  chunk are dropped whole).
- Standard input that is a directory, or closed: the error is said and the
  exit status is 1 (it used to read as an empty input, "0 lines", status 0).

Usage: signals_test.py --edict PATH/TO/edict --rules FILE
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

LINE = '{"id": %d, "as_of": "2026-12-01", "company": {"size": "sme", "us_export_share": "12%%"}}\n'


def stopped_mid_stream(edict, rules, sig):
    p = subprocess.Popen([edict, "batch", rules, "--jobs", "2"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        try:
            for i in range(1, 2000001):
                p.stdin.write((LINE % i).encode())
        except (BrokenPipeError, ValueError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    first = p.stdout.readline()  # the batch is under way
    p.send_signal(sig)
    # read to the end here: communicate() would first flush the input,
    # which the stopped batch no longer reads
    rest = p.stdout.read()
    err = p.stderr.read()
    p.wait(timeout=60)
    problems = []
    records = (first + rest).splitlines()
    for n, raw in enumerate(records, 1):
        try:
            rec = json.loads(raw)
        except ValueError:
            problems.append("record %d is not whole JSON: %r" % (n, raw[-80:]))
            break
        if rec.get("line") != n or rec.get("id") != n or "error" in rec:
            problems.append("record %d is %r" % (n, raw[:120]))
            break
    if p.returncode != 128 + sig:
        problems.append("exit status %s, not %d" % (p.returncode, 128 + sig))
    if b"edict batch: %d line" % len(records) not in err or b"stopped by" not in err:
        problems.append("no summary of the %d records: %r" % (len(records), err[-300:]))
    return problems, "%d records" % len(records)


def stopped_waiting(edict, rules, sig):
    r, w = os.pipe()
    p = subprocess.Popen([edict, "batch", rules], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r)
    os.write(w, (LINE % 1).encode())
    time.sleep(0.5)  # it has read the line and waits for more (lines are evaluated a chunk at a time)
    p.send_signal(sig)
    try:
        rest, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        os.close(w)
        return ["still waiting 10 s after the signal"], ""
    os.close(w)
    problems = []
    if p.returncode != 128 + sig:
        problems.append("exit status %s, not %d" % (p.returncode, 128 + sig))
    for raw in rest.splitlines():
        try:
            json.loads(raw)
        except ValueError:
            problems.append("a record is not whole JSON: %r" % raw[-80:])
    if b"edict batch: %d line" % len(rest.splitlines()) not in err or b"stopped by" not in err:
        problems.append("no summary: %r" % err)
    return problems, "%d records" % len(rest.splitlines())


def unreadable(edict, rules, how):
    if how == "a directory":
        fd = os.open(os.path.dirname(os.path.abspath(rules)), os.O_RDONLY | os.O_DIRECTORY)
        try:
            p = subprocess.run([edict, "batch", rules], stdin=fd, capture_output=True)
        finally:
            os.close(fd)
        said = b"cannot read the input: Is a directory"
    else:
        p = subprocess.run([edict, "batch", rules], stdin=subprocess.DEVNULL, capture_output=True,
                           preexec_fn=lambda: os.close(0))
        said = b"cannot read the input: Bad file descriptor"
    problems = []
    if p.returncode != 1:
        problems.append("exit status %s, not 1" % p.returncode)
    if said not in p.stderr:
        problems.append("it said %r" % p.stderr)
    return problems, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--rules", required=True)
    a = ap.parse_args()
    checks = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        checks.append(("%s mid-stream" % sig.name, lambda s=sig: stopped_mid_stream(a.edict, a.rules, s)))
        checks.append(("%s while waiting for input" % sig.name, lambda s=sig: stopped_waiting(a.edict, a.rules, s)))
    for how in ("a directory", "closed"):
        checks.append(("standard input %s" % how, lambda h=how: unreadable(a.edict, a.rules, h)))
    failures = 0
    for name, check in checks:
        t = time.time()
        problems, note = check()
        print("%-4s %s %s (%.1f s)" % ("FAIL" if problems else "ok", name, note, time.time() - t))
        for pr in problems:
            print("     " + pr)
        failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
