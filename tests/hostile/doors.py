#!/usr/bin/env python3
"""doors.py - one set of hostile facts documents through every door facts
enter by, each of which must refuse them alike (they all read through one
reader, facts_read in interp/facts.c).

    python3 tests/hostile/doors.py --edict build/edict --door build/.../facts_door

The doors: `edict eval --facts`, a line of `edict batch`, a line of `edict
simulate --population`, the REPL's `load`, and the C API's
edict_ctx_set_facts_json and edict_ctx_set_fact (tests/hostile/facts_door.c).
Every refusal must name what is wrong (the phrase in the table below); a
document that is fine must be taken by every door.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "doors", "firms.edict")
REFORM = os.path.join(HERE, "doors", "reform.edict")


def company(inner):
    return b'{"company": ' + inner + b"}"


# (name, document, the phrase every door must say; None: the document is fine)
CASES = [
    ("a key twice", company(b'{"name": "a", "name": "b"}'), "appears twice"),
    ("a key twice, once spelt with an escape", company(b'{"name": "a", "\\u006eame": "b"}'), "appears twice"),
    ("a key in single quotes", b"{'company': {}}", "single quotes"),
    ("a key twice, once in single quotes", company(b'{"name": "a", \'name\': "b"}'), "single quotes"),
    ("a text in single quotes", company(b"{\"name\": 'a'}"), "single quotes"),
    ("invalid UTF-8 in a text", company(b'{"name": "caf\xe9"}'), "UTF-8"),
    ("invalid UTF-8 in a key", company(b'{"n\xffme": "a"}'), "UTF-8"),
    ("more than 1,000,000 values", company(b'{"scores": [' + b"0," * 1000000 + b"0]}"), "1000000 values"),
    ("a text longer than 1 MiB", company(b'{"name": "' + b"a" * ((1 << 20) + 1) + b'"}'), "longer than the limit"),
    ("nested 100 deep", company(b"[" * 100 + b"]" * 100), "nested more than 64 deep"),
    ("null", b"null", "must be a JSON object"),
    ("a number", b"5", "must be a JSON object"),
    ("a text", b'"company"', "must be a JSON object"),
    ("something after the document", company(b"{}") + b" {}", "invalid JSON"),
    ("a date with spaces around it", company(b'{"founded": " 2025-01-01 "}'), "white space"),
    ("a tariff code with two dots", company(b'{"code": "6205..20"}'), "tariff code"),
    ("a byte order mark first", b"\xef\xbb\xbf" + company(b'{"name": "bom"}'), None),
    ("a plain document", company(b'{"name": "plain", "founded": "2025-01-01", "code": "6205.20"}'), None),
]


class Doors:
    def __init__(self, edict, door, tmp):
        self.edict, self.door, self.tmp = edict, door, tmp

    def run(self, args, stdin=None):
        p = subprocess.run(args, input=stdin, capture_output=True, timeout=120)
        return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")

    def file(self, doc):
        path = os.path.join(self.tmp, "facts.json")
        with open(path, "wb") as f:
            f.write(doc)
        return path

    # Each door: (taken, what it said).

    def eval(self, doc):
        rc, out = self.run([self.edict, "eval", RULES, "--facts", self.file(doc)])
        return rc == 0, out

    def batch(self, doc):
        rc, out = self.run([self.edict, "batch", RULES], stdin=doc + b"\n")
        records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        # the output is JSON whatever the input held
        return rc == 0 and records and "error" not in records[0], out

    def simulate(self, doc):
        path = os.path.join(self.tmp, "population.ndjson")
        with open(path, "wb") as f:
            f.write(doc + b"\n")
        rc, out = self.run([self.edict, "simulate", RULES, "--reform", REFORM, "--population", path])
        return rc == 0 and "invalid" not in out.lower(), out

    def repl(self, doc):
        rc, out = self.run([self.edict, "repl", RULES], stdin=("load %s\n" % self.file(doc)).encode())
        return rc == 0 and "error" not in out, out

    def api(self, doc):
        rc, out = self.run([self.door, RULES, self.file(doc)])
        return rc == 0, out

    def api_fact(self, doc):
        # the company record alone, through edict_ctx_set_fact
        prefix = b'{"company": '
        if not doc.startswith(prefix) or not doc.endswith(b"}"):
            return None, ""
        rc, out = self.run([self.door, RULES, self.file(doc[len(prefix):-1]), "company"])
        return rc == 0, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--door", required=True)
    a = ap.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        d = Doors(a.edict, a.door, tmp)
        doors = [("eval", d.eval), ("batch", d.batch), ("simulate", d.simulate), ("repl load", d.repl),
                 ("edict_ctx_set_facts_json", d.api), ("edict_ctx_set_fact", d.api_fact)]
        for name, doc, phrase in CASES:
            for door, fn in doors:
                taken, out = fn(doc)
                if taken is None:
                    continue
                if door == "edict_ctx_set_fact" and phrase == "invalid JSON":
                    phrase = ""  # the value may be Edict text too: refused, in Edict's words
                if phrase is None:
                    ok = taken
                    why = "refused a document that is fine"
                else:
                    ok = not taken and phrase in out
                    why = "took it" if taken else "did not say '%s'" % phrase
                print("%-4s %-42s %s" % ("ok" if ok else "FAIL", name, door))
                if not ok:
                    failures += 1
                    print("     %s; it said:\n     %s" % (why, out.strip()[:600].replace("\n", "\n     ")))
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
