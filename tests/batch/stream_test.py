#!/usr/bin/env python3
"""
stream_test.py - `edict batch` on a long stream: results come out in input
order on several threads, bad lines anywhere in the stream are reported and
passed over, and memory stays flat however long the input.

The input is generated while the batch runs (it is never a file), the
output is checked as it comes.  The same run is made with a short and a ten
times longer stream; the peak memory of the long one may not exceed the
short one's by more than a margin.

Usage: stream_test.py --edict PATH/TO/edict --rules DIR [--lines N] [--jobs N]
"""
import argparse
import json
import os
import subprocess
import sys
import threading

SIZES = ["sme", "midsize", "large"]


def line(i):
    if i % 997 == 0:
        return '{"id": %d, "company": {"size": "sme", "us_export_share": "lots"}}' % i  # bad facts
    if i % 1499 == 0:
        return '{"id": %d, "company": ' % i  # bad JSON
    return json.dumps({"id": i, "as_of": "2026-12-01", "company": {
        "size": SIZES[i % 3], "us_export_share": "%d.%d%%" % (i % 23, i % 10),
        "voucher_requested": "%d KRW" % (i * 1000 % 90000000)}})


def run(edict, rules, n, jobs):
    p = subprocess.Popen([edict, "batch", rules, "--jobs", str(jobs)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        try:
            for i in range(1, n + 1):
                p.stdin.write((line(i) + "\n").encode())
            p.stdin.close()
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed)
    t.start()
    errors = []
    count = bad = 0
    for raw in p.stdout:
        count += 1
        rec = json.loads(raw)
        bad_json = count % 1499 == 0 and count % 997 != 0
        if rec["line"] != count or rec.get("id") != (None if bad_json else count):
            errors.append("record %d: line %s, id %s" % (count, rec["line"], rec.get("id")))
            break
        is_bad = count % 997 == 0 or count % 1499 == 0
        if is_bad != ("error" in rec):
            errors.append("record %d: %s" % (count, raw.decode().strip()))
            break
        if not is_bad:
            size = SIZES[count % 3]
            if rec["decisions"]["voucher.eligible"] != (size != "large"):
                errors.append("record %d: wrong eligibility: %s" % (count, raw.decode().strip()))
                break
        bad += "error" in rec
    if errors:
        p.kill()  # it may be blocked writing what no one reads any more
    p.stdout.close()
    t.join()
    stderr = p.stderr.read().decode()
    _, status, usage = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if count != n and not errors:
        errors.append("%d records for %d lines" % (count, n))
    if code != 3 and not errors:
        errors.append("exit status %d, expected 3 (bad lines)" % code)
    return errors, usage.ru_maxrss, stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--lines", type=int, default=30000)
    ap.add_argument("--jobs", type=int, default=4)
    o = ap.parse_args()
    results = []
    for n in (o.lines, o.lines * 10):
        errors, rss, summary = run(o.edict, o.rules, n, o.jobs)
        print("%d lines on %d threads: peak %d KiB; %s" % (n, o.jobs, rss, summary))
        for e in errors:
            print("FAIL " + e)
        if errors:
            return 1
        results.append(rss)
    short, long_ = results
    if long_ > short * 1.5 + 32 * 1024:
        print("FAIL memory grows with the input: %d KiB for %d lines, %d KiB for %d" % (short, o.lines, long_, o.lines * 10))
        return 1
    print("ok: memory flat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
