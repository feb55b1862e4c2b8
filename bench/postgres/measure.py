#!/usr/bin/env python3
"""measure.py - the timings of bench/postgres/run.sh, and the agreement check.

Runs edict_decide_all over the table `companies` with 0, 1 and 2 parallel
workers (psql's \\timing, the best of three), then `edict batch` on the same
NDJSON (1 and 2 threads, the best of three), checks that PostgreSQL and batch
decide the same for every company, and prints a Markdown table: rows per
second, and rows per second per process (a worker and the leader are one
process each; batch's threads likewise).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

QUERIES = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
AS_OF = "2026-12-01"
CALL = "edict_decide_all('bench', facts, ARRAY[%s], '%s')" % (", ".join("'%s'" % q for q in QUERIES), AS_OF)


def psql(a, sql):
    cmd = ["psql", "-X", "-q", "-A", "-t", "-h", a.host, "-p", str(a.port), "-U", "postgres", "-d", "postgres",
           "-v", "ON_ERROR_STOP=1"]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, input=sql, capture_output=True, text=True, check=True).stdout


def pg_seconds(a, workers):
    # parallel plans whenever workers are allowed; no JIT (it compiles the
    # plan's expressions, which here are only the call)
    settings = ("SET max_parallel_workers_per_gather = %d;\nSET parallel_setup_cost = 0;\nSET parallel_tuple_cost = 0;\n"
                "SET min_parallel_table_scan_size = 0;\nSET jit = off;\n" % workers)
    out = psql(a, settings + "\\timing on\n" + "SELECT count(%s) FROM companies;\n" % CALL * 3)
    times = [float(m) / 1000 for m in re.findall(r"Time: ([0-9.]+) ms", out)]
    plan = psql(a, settings + "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(%s) FROM companies;" % CALL)
    launched = re.search(r"Workers Launched: (\d+)", plan)
    return min(times), int(launched.group(1)) if launched else 0


def batch_seconds(a, jobs):
    best = None
    for _ in range(3):
        with open(a.ndjson) as f:
            t = time.perf_counter()
            subprocess.run([a.edict, "batch", a.rules, "--as-of", AS_OF, "--jobs", str(jobs)] +
                           sum([["--query", q] for q in QUERIES], []), stdin=f, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            s = time.perf_counter() - t
        best = s if best is None else min(best, s)
    return best


def agree(a):
    pg = {}
    for line in psql(a, "SELECT (facts->>'id') || ' ' || %s FROM companies;" % CALL).splitlines():
        i, d = line.split(" ", 1)
        pg[int(i)] = json.loads(d)
    with open(a.ndjson) as f:
        out = subprocess.run([a.edict, "batch", a.rules, "--as-of", AS_OF] + sum([["--query", q] for q in QUERIES], []),
                             stdin=f, capture_output=True, text=True).stdout
    differ = 0
    for line in out.splitlines():
        r = json.loads(line)
        if pg.get(r["id"]) != r.get("decisions"):
            differ += 1
    return len(pg), differ


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for k in ("host", "edict", "rules", "ndjson"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    a = ap.parse_args()
    n, differ = agree(a)
    print("%d companies; PostgreSQL and edict batch differ on %d" % (n, differ))
    rows = []
    for w in (0, 1, 2):
        s, launched = pg_seconds(a, w)
        procs = 1 + launched
        rows.append(("edict_decide_all, %d workers planned (%d launched)" % (w, launched), s, procs))
    for j in (1, 2):
        rows.append(("edict batch --jobs %d" % j, batch_seconds(a, j), j))
    base = a.rows / rows[3][1]
    print("\n| run | seconds | rows/s | processes | rows/s per process | per process vs batch --jobs 1 |")
    print("|---|---|---|---|---|---|")
    for name, s, procs in rows:
        r = a.rows / s
        print("| %s | %.2f | %s | %d | %s | %.2fx |" % (name, s, format(int(r), ","), procs, format(int(r / procs), ","),
                                                   (r / procs) / base))
    print("\n%d rows; %d cores on this machine; the best of three runs each." % (a.rows, os.cpu_count()))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
