#!/usr/bin/env python3
"""doc_test.py - run the HTTP examples of docs/serve.md against a real
`edict serve examples/voucher`, so the page shows what the service answers.

Blocks, by their info string:
  ```http                 a request: "METHOD PATH", header lines, a blank
                          line, the body (NDJSON for /v1/batch)
  ```json status=N        the reply it gets: that status, and that JSON
                          (with subset=yes: the members shown, among others;
                          a list of objects shown: each like one of the reply's)
  ```ndjson status=N      a reply of one JSON document a line
  ```text status=N        a reply in which each line shown appears, numbers
                          at the ends of lines standing for any number
UPDATE=1 rewrites json and ndjson replies that differ (read the diff).

    doc_test.py --edict build/edict --source .
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serveutil import Server  # noqa: E402

FENCE = re.compile(r"^```(\S*)(.*)$")


def blocks(lines):
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(1):
            i += 1
            continue
        attrs = dict(a.split("=", 1) for a in m.group(2).split() if "=" in a)
        start, i = i + 1, i + 1
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        yield start, i, m.group(1), attrs, "\n".join(lines[start:i])
        i += 1


def subset(want, got):
    """want's members are in got (a list shown: each of its items is like one of got's)"""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and subset(v, got[k]) for k, v in want.items())
    if isinstance(want, list) and want and isinstance(want[0], dict):
        return isinstance(got, list) and all(any(subset(w, g) for g in got) for w in want)
    return want == got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    doc = os.path.join(a.source, "docs", "serve.md")
    lines = open(doc, encoding="utf-8").read().split("\n")
    server = Server(os.path.abspath(a.edict), ["examples/voucher"], cwd=a.source)
    failures, checked, rewrites, pending = 0, 0, {}, None
    try:
        for start, end, lang, attrs, text in blocks(lines):
            where = f"{doc}:{start}"
            if lang == "http":
                head, _, body = text.partition("\n\n")
                first, *hdrs = head.split("\n")
                method, path = first.split(" ", 1)
                headers = dict(h.split(": ", 1) for h in hdrs)
                if body and "Content-Type" not in headers:
                    headers["Content-Type"] = "application/json"
                pending = (where, server.request(method, path, body.encode() if body else None, headers))
                continue
            if "status" not in attrs or not pending:
                continue
            rwhere, (status, hdrs, got) = pending
            pending = None
            checked += 1
            bad = []
            if status != int(attrs["status"]):
                bad.append(f"status {status}, not {attrs['status']}: {got[:500]}")
            elif lang == "json":
                g = json.loads(got)
                w = json.loads(text)
                if not (subset(w, g) if attrs.get("subset") == "yes" else w == g):
                    bad.append("the reply differs:\n" + json.dumps(g, indent=2)[:3000])
                    if os.environ.get("UPDATE") == "1" and attrs.get("subset") != "yes":
                        rewrites[(start, end)] = json.dumps(g, indent=2, ensure_ascii=False)
            elif lang == "ndjson":
                g = [json.loads(x) for x in got.splitlines()]
                w = [json.loads(x) for x in text.splitlines() if x.strip()]
                if g != w:
                    bad.append("the reply differs:\n" + got)
                    if os.environ.get("UPDATE") == "1":
                        rewrites[(start, end)] = got.rstrip("\n")
            elif lang == "text":
                for line in text.splitlines():
                    pat = re.escape(line)
                    pat = re.sub(r"(\\ )[0-9.e+\\-]+$", r"\1[0-9.e+-]+", pat)
                    if not re.search("^" + pat + "$", got, re.M):
                        bad.append("no line like: " + line)
            for b in bad:
                failures += 1
                print(f"FAIL {rwhere}: {b}")
            if not bad:
                print(f"ok   {rwhere}")
    finally:
        code, log = server.stop()
    if rewrites:
        for (s, e), new in sorted(rewrites.items(), reverse=True):
            lines[s:e] = new.split("\n")
        open(doc, "w", encoding="utf-8").write("\n".join(lines))
        print(f"rewrote {len(rewrites)} replies of {doc}")
    if code != 0:
        print("edict serve did not stop cleanly:", log)
        failures += 1
    print(f"{checked} examples run, {failures} failed")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
