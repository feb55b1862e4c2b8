#!/usr/bin/env python3
"""
file_test.py - `edict batch` and `edict simulate` read a file the way they
read a pipe.

From a regular file the reading thread only cuts the input into slices and
the workers read them; from a pipe the reading thread reads everything.
Either way, with one job or several, the records (their line numbers
included) and the simulation report must be the same.  The input mixes
good lines, bad facts, bad JSON, blank lines and lines of blanks, CRLF
line ends, lines longer than a slice (64 KiB), a line longer than the limit
(64 MiB), and a last line without its newline.  Batch reading a standard
input that was read from already starts at its offset, numbers from 1 and
leaves the offset at the end, as reading it would.

Usage: file_test.py --edict PATH/TO/edict --rules DIR --fixtures DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

LIMIT = 64 << 20


def lines():
    out = []
    for i in range(1, 3001):
        if i % 701 == 0:
            out.append('{"id": %d, "company": {"size": "sme", "note": "%s"}}' % (i, "n" * (70000 + i)))
        elif i % 97 == 0:
            out.append("")
        elif i % 89 == 0:
            out.append("   \t")
        elif i % 83 == 0:
            out.append('{"id": %d, "company": ' % i)
        elif i % 79 == 0:
            out.append('{"id": %d, "company": {"size": "huge"}}' % i)
        elif i % 61 == 0:
            out.append('{"id": %d, "company": {"size": "midsize"}}\r' % i)
        else:
            out.append('{"id": %d, "company": {"size": "%s", "us_export_share": "%d%%"}}'
                       % (i, ["sme", "midsize", "large"][i % 3], i % 30))
        if i == 1500:
            out.append("x" * (LIMIT + 10))
    return "\n".join(out)  # the last line without its newline


def batch(edict, rules, path, jobs, pipe):
    with open(path, "rb") as f:
        data = f.read() if pipe else None
        p = subprocess.run([edict, "batch", rules, "--query", "voucher.eligible", "--jobs", str(jobs)],
                           input=data, stdin=None if pipe else f, capture_output=True)
    return p.returncode, p.stdout


def simulate(edict, fixtures, path, jobs, pipe):
    args = [edict, "simulate", os.path.join(fixtures, "voucher.edict"), "--reform",
            os.path.join(fixtures, "reform_cap_40m.edict"), "--population", "-" if pipe else path,
            "--jobs", str(jobs), "--json", "--examples", "3"]
    with open(path, "rb") as f:
        p = subprocess.run(args, stdin=f if not pipe else None, input=f.read() if pipe else None,
                           capture_output=True)
    try:
        report = json.loads(p.stdout)
        report.pop("population")  # "-" or the file's name
    except (ValueError, KeyError):
        report = p.stdout
    return p.returncode, report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--fixtures", required=True)
    a = ap.parse_args()
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.ndjson")
        text = lines()
        with open(path, "w") as f:
            f.write(text)
        # the line each record must name: every line that is not blank
        want = [n for n, s in enumerate(text.split("\n"), 1) if s.strip(" \t\r")]

        base = batch(a.edict, a.rules, path, 1, True)
        got = [int(r.split(b",")[0].split(b":")[1]) for r in base[1].splitlines()]
        if got != want:
            errors.append("batch from a pipe: the records name lines %s..., expected %s..." % (got[:5], want[:5]))
        if base[0] != 3:
            errors.append("batch from a pipe: exit status %d, expected 3 (bad lines)" % base[0])
        if b"longer than the limit" not in base[1]:
            errors.append("batch: the line over the limit is not reported")
        for jobs in (1, 2, 3):
            for pipe in (False, True):
                if batch(a.edict, a.rules, path, jobs, pipe) != base:
                    errors.append("batch, %d jobs, from a %s: not the records of one job from a pipe"
                                  % (jobs, "pipe" if pipe else "file"))
        sim = simulate(a.edict, a.fixtures, path, 1, True)
        if sim[0] != 3 or not isinstance(sim[1], dict) or not sim[1].get("invalid_records"):
            errors.append("simulate from a pipe: exit status %d (expected 3: invalid records), %r"
                          % (sim[0], str(sim[1])[:200]))
        for jobs in (1, 2, 3):
            if simulate(a.edict, a.fixtures, path, jobs, False) != sim:
                errors.append("simulate, %d jobs, from a file: not the report of one job from a pipe" % jobs)

        # standard input already read from: batch starts where it was left
        # and leaves it at the end
        small = os.path.join(tmp, "small.ndjson")
        with open(small, "w") as f:
            f.write("".join('{"id": %d, "company": {"size": "sme"}}\n' % i for i in range(1, 6)))
        with open(small, "rb") as f:
            f.readline()
            os.lseek(f.fileno(), f.tell(), os.SEEK_SET)
            p = subprocess.run([a.edict, "batch", a.rules, "--query", "voucher.eligible", "--jobs", "2"],
                               stdin=f, capture_output=True)
            left = os.lseek(f.fileno(), 0, os.SEEK_CUR)
        recs = p.stdout.splitlines()
        if len(recs) != 4 or not recs[0].startswith(b'{"line":1,"id":2,'):
            errors.append("batch from an input read from already: %r" % recs[:2])
        if left != os.path.getsize(small):
            errors.append("batch left standard input at %d, not at its end (%d)" % (left, os.path.getsize(small)))
    for e in errors:
        print("FAIL:", e)
    print("file_test: %d problem(s)" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
