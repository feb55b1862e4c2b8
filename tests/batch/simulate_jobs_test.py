#!/usr/bin/env python3
"""
simulate_jobs_test.py - `edict simulate --jobs N` gives the report one
thread gives: the same counts, totals, examples (the earliest lines) and
listed invalid records, in text and in JSON, on a population large enough
to be split among the threads, with invalid facts, bad JSON and blank
lines in it.

Usage: simulate_jobs_test.py --edict PATH/TO/edict --fixtures DIR
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile


def population(path, n):
    rnd = random.Random(7)
    with open(path, "w") as out:
        for i in range(1, n + 1):
            if i % 997 == 0:
                out.write('{"id": "bad-%d", "company": {"size": "huge"}}\n' % i)
            elif i % 1499 == 0:
                out.write("  \n")
            elif i % 1801 == 0:
                out.write('{"id": "cut-%d", "company": \n' % i)
            else:
                c = {"size": rnd.choice(["sme", "midsize", "large"]),
                     "us_export_share": "%d%%" % rnd.randint(0, 40),
                     "voucher_requested": "%d KRW" % (rnd.randint(1, 90) * 1000000)}
                if rnd.random() < 0.5:
                    c["voucher_received"] = "%d KRW" % (rnd.randint(0, 50) * 1000000)
                if rnd.random() < 0.05:
                    del c["us_export_share"]
                out.write(json.dumps({"id": "C-%d" % i, "as_of": "2026-12-01", "company": c}) + "\n")


def simulate(edict, fixtures, pop, reform, jobs, extra):
    p = subprocess.run([edict, "simulate", os.path.join(fixtures, "voucher.edict"), "--reform",
                        os.path.join(fixtures, reform), "--population", pop, "--jobs", str(jobs)] + extra,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--fixtures", required=True)
    a = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        pop = os.path.join(tmp, "population.ndjson")
        population(pop, 30000)
        for reform in ("reform_cap_40m.edict", "reform_priority_8.edict"):
            for extra in ([], ["--json", "--examples", "7"]):
                rc1, out1, err1 = simulate(a.edict, a.fixtures, pop, reform, 1, extra)
                if rc1 != 3 or "records" not in out1:
                    failures.append("%s %s, one job: exit %d, %s" % (reform, extra, rc1, err1[-300:]))
                    continue
                if extra:
                    report = json.loads(out1)
                    if report["invalid"] != 30 + 16 or len(report["invalid_records"]) != 5:
                        failures.append("%s: %d invalid records, %d listed" % (
                            reform, report["invalid"], len(report["invalid_records"])))
                for jobs in (2, 5):
                    rc, out, err = simulate(a.edict, a.fixtures, pop, reform, jobs, extra)
                    if (rc, out) != (rc1, out1):
                        failures.append("%s %s: --jobs %d differs from one job (exit %d)" % (reform, extra, jobs, rc))
    for f in failures:
        print("FAIL:", f)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
