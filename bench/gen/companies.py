#!/usr/bin/env python3
"""companies.py - the benchmark's companies, as NDJSON, from a fixed seed.

One JSON fact document a line, in the KOTRA facts contract (the
`company` section), so the same file feeds `edict batch`, the Edict C API
harness and every peer (jq, Lua, Python, C).  The mix is chosen so that
every branch of the decisions is taken: all three sizes, US export shares
around the 10% threshold (some exactly 10%), earlier vouchers that leave
part, none or all of the cap, and a few missing facts (so unknowns flow
through the rules and through the peers' hand-written equivalents).

    companies.py N [--seed S] > companies.ndjson

The same N and seed always give the same bytes (random.Random is
deterministic across platforms for these calls).
"""
import argparse
import random
import sys


def company(r, i):
    c = {"name": "Company %d" % i}
    x = r.random()
    if x >= 0.005:  # 0.5% without a size
        c["size"] = "sme" if x < 0.55 else "midsize" if x < 0.80 else "large"
    x = r.random()
    if x < 0.05:
        c["us_export_share"] = "10%"
    elif x < 0.98:  # 2% without a share
        c["us_export_share"] = "%d.%d%%" % (r.randrange(0, 40), r.randrange(0, 10))
    if r.random() >= 0.02:  # 2% without a request
        c["voucher_requested"] = "%d KRW" % (r.randrange(10, 1001) * 100_000)
    if r.random() < 0.4:  # otherwise the default, 0 KRW
        c["voucher_received"] = "%d KRW" % (r.randrange(0, 61) * 1_000_000)
    done = r.random() < 0.5
    c["consulting_done"] = done
    if r.random() >= 0.01:  # 1% without the finance fact
        c["finance_arranged"] = r.random() < (0.5 if done else 0.1)
    c["logistics_arranged"] = r.random() < 0.3
    c["high_potential_selected"] = r.random() < 0.05
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=20250501)
    a = ap.parse_args()
    r = random.Random(a.seed)
    out = sys.stdout
    buf = []
    for i in range(1, a.n + 1):
        c = company(r, i)
        # written by hand (fixed key order, no spaces) so the bytes never
        # depend on the json module's version
        parts = []
        for k, v in c.items():
            if isinstance(v, bool):
                parts.append('"%s":%s' % (k, "true" if v else "false"))
            else:
                parts.append('"%s":"%s"' % (k, v))
        buf.append('{"id":%d,"company":{%s}}\n' % (i, ",".join(parts)))
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
