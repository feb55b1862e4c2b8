#!/usr/bin/env python3
"""numbers.py - the facts of workload 5 (exact decimals), from a fixed seed.

    numbers.py N > numbers.json

{"numbers": {"xs": [...], "ys": [...], "amounts": ["1234567 KRW", ...]}}:
N decimals with two fractional digits up to 10,000.00, and N KRW amounts.
JSON numbers are written as text with their digits, so nothing passes
through binary floating point on the way into Edict.
"""
import random
import sys

n = int(sys.argv[1])
r = random.Random(5)
xs = ["%d.%02d" % (r.randrange(0, 10000), r.randrange(0, 100)) for _ in range(n)]
ys = ["%d.%02d" % (r.randrange(0, 10000), r.randrange(0, 100)) for _ in range(n)]
am = ['"%d KRW"' % r.randrange(1, 100_000_000) for _ in range(n)]
sys.stdout.write('{"numbers": {"xs": [%s], "ys": [%s], "amounts": [%s]}}\n' % (",".join(xs), ",".join(ys), ",".join(am)))
