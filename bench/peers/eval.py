"""eval.py - workload 1 (rule evaluation in memory) in Python.
    python3 eval.py DATA.ndjson REPS
Loads every company into a dict (not timed), then REPS times decides
eligible, priority, award and pending for each one, timing each pass with
time.process_time (process CPU time).  Prints one JSON line:
{"reps_ns": [...per record...], "checksum": "..."}.
"""
import gc
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import decisions as D  # noqa: E402


def main():
    path, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(path) as f:
        recs = [D.record(json.loads(line)["company"]) for line in f]
    n = len(recs)
    eligible, priority, award, pending = D.eligible, D.priority, D.award, D.pending
    times = []
    for _ in range(reps):
        gc.collect()
        # the checksum in locals, so that checking costs Python as little as it can
        et = ef = eu = pt = pf = pu = aw = au = pendn = pendw = pendu = 0
        t0 = time.process_time()
        for c in recs:
            e = eligible(c)
            p, a, pend = priority(c, e), award(c, e), pending(c)
            if e is None:
                eu += 1
            elif e:
                et += 1
            else:
                ef += 1
            if p is None:
                pu += 1
            elif p:
                pt += 1
            else:
                pf += 1
            if a is None:
                au += 1
            else:
                aw += a
            if pend is None:
                pendu += 1
            else:
                k = 0
                for t in pend:
                    k += 1
                    pendw += k * t
                pendn += k
        t1 = time.process_time()
        times.append("%.3f" % ((t1 - t0) * 1e9 / n))
        s = D.Sum()
        s.c = [n, et, ef, eu, pt, pf, pu, aw, au, pendn, pendw, pendu]
    print('{"reps_ns": [%s], "checksum": "%s"}' % (", ".join(times), s.text()))


main()
