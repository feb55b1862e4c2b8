"""decimals.py - workload 5 in Python with its exact decimal module: the
loops of bench/rules-decimal, for a second exact implementation to compare.
    python3 decimals.py numbers.json TIMES
Prints {"loop": {"ns": per element, "value": "..."}, "add": ...}.
"""
import json
import sys
import time
from decimal import Decimal, getcontext

getcontext().prec = 34  # Edict's 34 significant digits


def main():
    path, times = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with open(path) as f:
        doc = json.load(f, parse_float=Decimal)
    xs = doc["numbers"]["xs"]
    am = [Decimal(s[:-4]) for s in doc["numbers"]["amounts"]]
    n = len(xs)
    rate, factor, threshold = Decimal("0.125"), Decimal("1.07"), Decimal("5000.50")

    def loop():
        k = 0
        for x in xs:
            k += 1
        return k

    def add():
        s = Decimal(0)
        for x in xs:
            s += x
        return s

    def mul():
        s = Decimal(0)
        for x in xs:
            s += x * factor
        return s

    def compare():
        k = 0
        for x in xs:
            if x >= threshold:
                k += 1
        return k

    def money_x_percent():
        s = Decimal(0)
        for m in am:
            s += m * rate
        return s

    out = []
    for name, fn in (("loop", loop), ("add", add), ("mul", mul), ("compare", compare),
                     ("money_x_percent", money_x_percent)):
        best = []
        for _ in range(5):
            t0 = time.process_time()
            for _ in range(times):
                v = fn()
            best.append((time.process_time() - t0) * 1e9 / (times * n))
        best.sort()
        out.append('"%s": {"ns": %.3f, "value": "%s"}' % (name, best[2], v))
    print("{" + ", ".join(out) + "}")


main()
