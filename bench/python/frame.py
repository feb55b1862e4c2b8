#!/usr/bin/env python3
"""frame.py - the Python package's decide_frame beside a hand-written
Python function applied with pandas, on the benchmark companies (a
benchmark, not a test: nothing is asserted about time).

    EDICT_LIBRARY=build/libedict.so PYTHONPATH=python python3 bench/python/frame.py [ROWS] [--json]

Makes ROWS companies with bench/gen/companies.py (default 100,000), reads
them into a DataFrame with pandas.json_normalize (columns "company.size",
...), and decides voucher.eligible, voucher.priority, voucher.award and
support.pending for every row twice: with RuleSet.decide_frame on
bench/rules, and with DataFrame.apply of the benchmark's hand-written
Python (bench/peers/decisions.py, the same three-valued logic).  Checks that
both decide the same for every row, and prints rows per second of each (the
best of three); with --json, the figures as one JSON object (what
bench/run.sh reads).  Exit status 0, 1 when the two differ on a row, 2
when pandas is not installed for this Python (Debian: python3-pandas, for
/usr/bin/python3).
"""
import json
import os
import subprocess
import sys
import time

try:
    import pandas as pd
except ImportError:
    sys.stderr.write("frame.py: pandas is not installed for %s (Debian: apt-get install python3-pandas, "
                     "then run this with /usr/bin/python3)\n" % sys.executable)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "peers"))
import decisions  # noqa: E402
import edict  # noqa: E402

QUERIES = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
FIELDS = ["size", "us_export_share", "voucher_requested", "voucher_received", "consulting_done", "finance_arranged",
          "logistics_arranged", "high_potential_selected"]


def by_hand(row):
    """The four decisions of one row, by the hand-written functions."""
    c = {}
    for f in FIELDS:
        v = row.get("company." + f)
        c[f] = None if v is None or v != v else v
    r = decisions.record(c)
    elig = decisions.eligible(r)
    return elig, decisions.priority(r, elig), decisions.award(r, elig), decisions.pending(r)


def apply_by_hand(df):
    return pd.DataFrame(df.apply(by_hand, axis=1).tolist(), index=df.index, columns=QUERIES)


def best_of_three(fn):
    best, out = None, None
    for _ in range(3):
        t = time.perf_counter()
        out = fn()
        s = time.perf_counter() - t
        best = s if best is None else min(best, s)
    return best, out


def plain(v):
    """Edict's typed values as the hand-written code has them."""
    if isinstance(v, edict.Money):
        return int(v.amount)
    return v


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    as_json = len(args) < len(sys.argv) - 1
    n = int(args[0]) if args else 100_000
    gen = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen", "companies.py"), str(n)],
                         capture_output=True, text=True, check=True).stdout
    df = pd.json_normalize([json.loads(line) for line in gen.splitlines()])
    rules = edict.RuleSet(os.path.join(ROOT, "bench", "rules"))
    t_edict, a = best_of_three(lambda: rules.decide_frame(df, QUERIES, as_of="2026-12-01"))
    t_hand, b = best_of_three(lambda: apply_by_hand(df))
    differ = sum(1 for x, y in zip(a.itertuples(index=False), b.itertuples(index=False))
                 if [plain(v) for v in x] != [None if v != v else v for v in y])
    if as_json:
        print(json.dumps({"rows": n, "differ": differ, "edict_s": t_edict, "pandas_s": t_hand,
                          "pandas": pd.__version__, "python": sys.version.split()[0]}))
        return 1 if differ else 0
    print("%d companies; decide_frame and the hand-written function differ on %d\n" % (n, differ))
    print("| implementation | seconds | rows/s | vs pandas apply |")
    print("|---|---|---|---|")
    for name, s in (("RuleSet.decide_frame (Edict)", t_edict), ("DataFrame.apply of hand-written Python", t_hand)):
        print("| %s | %.2f | %s | %.2fx |" % (name, s, format(int(n / s), ","), t_hand / s))
    print("\nthe best of three runs each; one thread; %d cores on this machine." % os.cpu_count())
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
