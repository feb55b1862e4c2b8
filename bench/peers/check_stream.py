"""check_stream.py - the checksum of a stream of result lines.
    python3 check_stream.py < decisions.ndjson
Reads the results any streaming implementation wrote (the peers' shape,
{"line", "id", "decisions": {name: value}}, or `edict batch`'s) and prints
the same checksum line the in-memory workloads print, so the runner can
prove that every implementation decided the same for every company.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import decisions as D  # noqa: E402


def find(obj, name):
    """The value of decision `name` wherever the writer put it."""
    if "decisions" in obj and isinstance(obj["decisions"], dict):
        obj = obj["decisions"]
    for key in (name, name.split(".")[-1]):
        if key in obj:
            return obj[key]
    return None


def main():
    s = D.Sum()
    lines = []
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        lines.append(r.get("line"))
        a = find(r, "voucher.award")
        D.add(s, find(r, "voucher.eligible"), find(r, "voucher.priority"),
              None if a is None else int(a.split()[0]), find(r, "support.pending"))
    if lines and lines[0] is not None and lines != list(range(1, len(lines) + 1)):
        sys.exit("check_stream: the results are not in input order")
    print(s.text())


main()
