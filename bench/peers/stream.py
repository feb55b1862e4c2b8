"""stream.py - workload 2 (streaming NDJSON) in Python.
    python3 stream.py < companies.ndjson > decisions.ndjson
For each input line writes one result line with the four decisions (null
for unknown), the shape the other streaming peers write.  The checksum goes
to stderr so the runner can compare implementations.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import decisions as D  # noqa: E402


def main():
    s = D.Sum()
    out = sys.stdout
    dumps, loads = json.dumps, json.loads
    for lineno, line in enumerate(sys.stdin, 1):
        doc = loads(line)
        c = D.record(doc.get("company") or {})
        e = D.eligible(c)
        p, a, pend = D.priority(c, e), D.award(c, e), D.pending(c)
        D.add(s, e, p, a, pend)
        out.write(dumps({"line": lineno, "id": doc.get("id"), "decisions": {
            "voucher.eligible": e, "voucher.priority": p,
            "voucher.award": None if a is None else "%d KRW" % a,
            "support.pending": pend}}, separators=(",", ":")))
        out.write("\n")
    sys.stderr.write("checksum " + s.text() + "\n")


main()
