#!/usr/bin/env python3
"""make_seeds.py - (re)build the seed corpora of the fuzz harnesses.

    python3 tests/fuzz/make_seeds.py

Seeds come from the repository itself, so the fuzzers start from real rules:
  corpus/source/  every .edict file of examples/, stdlib/, rules/, bench/ and
                  tests/ (a directory's files also as one multi-file input,
                  split by "----" lines as fuzz_source.c expects), the rule
                  files embedded in tests/golden/cases/*.test, and the
                  hand-written seeds below (one per language feature).
  corpus/facts/   JSON files of examples/ and tests/, the JSON embedded in
                  golden cases, and documents written for fuzz_schema.h.
  corpus/query/   every --query of the golden cases and lines written for
                  fuzz_schema.h, including REPL assignments ("given ...").
  corpus/api/     small programs in fuzz_api.c's operation language: each
                  operation of the C API with typical arguments.
  corpus/factsdoc/ every facts seed as JSON text (a 0 byte in front), and
                  event programs of fuzz_factsdoc.c (a 1 byte in front).
Files are named by the SHA-1 of their contents, like libFuzzer's own, so
running this again only adds what is new.  Inputs above the harnesses' size
limits are skipped.
"""
import hashlib
import os
import re
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LIMITS = {"source": 64 * 1024, "facts": 256 * 1024, "query": 4096, "api": 16384, "factsdoc": 256 * 1024}

# fuzz_factsdoc.c's events: 0 { 1 [ 2 end 3 key 4 text 5 number 6 true
# 7 false 8 null; key, text and number take a length byte and the bytes
def E(*parts):
    out = b"\x01"
    for p in parts:
        if isinstance(p, tuple):
            op, text = p
            text = text if isinstance(text, bytes) else text.encode()
            out += bytes([op, len(text)]) + text
        else:
            out += bytes([p])
    return out


FACTSDOC_EVENTS = [
    E(0, 2),
    E(0, (3, "company"), 0, (3, "size"), (4, "sme"), (3, "us_export_share"), (4, "14%"), 2, 2),
    E(0, (3, "company"), 0, (3, "employees"), (5, "12"), (3, "name"), 8, 2, 2),
    E(0, (3, "tasks"), 1, 0, (3, "number"), (5, "3"), 2, 0, 2, 2, 2),
    E(0, (3, "company"), 0, (3, "size"), (4, "sme"), (3, "size"), (4, "large"), 2, 2),
    E(0, (3, "as_of"), (4, "2026-02-30"), 2),
    E(1, 1, 1, 1, 2, 2, 2, 2),
    E(0, (3, "x"), 6, (3, "y"), 7, 2),
    E(0, (3, "company"), 0, (3, "name"), (4, b"caf\xc3"), 2, 2),
    E(0, (3, "company"), 0, (3, "employees"), (5, "1e400"), 2, 2),
]


def add(harness, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > LIMITS[harness]:
        return 0
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, hashlib.sha1(data).hexdigest())
    if os.path.exists(p):
        return 0
    with open(p, "wb") as f:
        f.write(data)
    return 1


def repo_files(ext):
    skip = ("build", ".git", "corpus", "regressions")
    for top in ("examples", "stdlib", "rules", "bench", "tests", "docs"):
        for dirpath, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(x for x in dirs if not x.startswith(skip))
            for f in sorted(files):
                if f.endswith(ext):
                    yield os.path.join(dirpath, f)


def golden_cases():
    """(files {name: text}, args) of each tests/golden/**/*.test."""
    for top in ("cases", "known-bugs"):
        d = os.path.join(ROOT, "tests", "golden", top)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".test"):
                continue
            text = open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
            args = ""
            m = re.search(r"^args:(.*)$", text, re.M)
            if m:
                args = m.group(1)
            files = {}
            for part in re.split(r"^--- ", text, flags=re.M)[1:]:
                head, _, body = part.partition("\n")
                if head.startswith("file "):
                    files[head[5:].strip()] = body
            yield files, args


SOURCE_SEEDS = [
    "decision x : int = 1 + 2 * 3\n",
    "enum size = sme | midsize | large\nfact company { size : size  share : percent }\n"
    "decision ok : bool = company.size in [sme, midsize] and company.share >= 10%\n",
    "param p : percent\n  from 2025-05-01 = 10% source \"a\"\n  from 2027-01-01 until 2028-01-01 = 8% source \"b\"\n"
    "decision d : percent = p\n",
    "fact f : bool\ndecision d : duration\n  default 30 days source \"s\"\n  exception fast when f then 14 days\n"
    "  exception slow when not f then 40 days overrides fast\n",
    "fact n : int\ntable grade : string hit first\n  when n > 100 then \"big\"\n  when n > 10 then \"medium\"\n"
    "  default \"small\"\n",
    "table t : list of int hit collect\n  when true then 1\n  when 1 < 2 then 2\n",
    "record task { number : int  month : int optional  dhaka : bool default false }\nfact tasks : list of task\n"
    "function launching_in(m : int) : list of int = [t.number for t in tasks where t.month = m]\n"
    "decision n : int = length(launching_in(3))\n",
    "decision m : int = match 2 { 1 => 10, 2 => 20, default => 0 }\n",
    "decision l : int = let x = 4; x * x\n",
    "decision o : int = unknown otherwise 7\n",
    "decision h : bool = hs \"6205.20\" in chapter 62 and hs \"6205.20\" in heading [6204, 6205]\n",
    "decision d : date = 2026-01-31 + 1 month\ndecision n : int = 2026-03-01 - 2026-02-01\n",
    "decision m : money KRW = 10% * 50_000_000 KRW\n",
    "decision r : list of int = sort(distinct([3, 1, 3, 2]))\ndecision s : int = sum(range(1, 10))\n",
    "decision a : bool = all(x > 0 for x in [1, 2, 3]) and any([false, true])\n",
    "decision q : decimal = round(2 / 3, 4)\ndecision f : decimal = floor(2.5) + ceil(2.5) + abs(-1)\n",
    "check \"positive\": 1 > 0\ncheck warning \"all\": for x in [1, 2]: x > 0 showing x\n",
    "fact c { size : int }\ndecision big : bool = c.size > 10\n"
    "test \"big\" {\n  as of 2026-12-01\n  given c = { size: 20 }\n  expect big = true\n}\n",
    "module a.b\nimport other as o\ndecision x : int = o.y + 1\n----\nmodule other\ndecision y : int = 41\n",
    "import std.calendar\ndecision d : int = 1\n",
    "decision x : int = x + 1\n",
    "decision s : string = \"caf\\u00e9 \\\"quoted\\\" \\n\\t\"\n",
    "decision d : bool = 2 weeks = 14 days\ndecision y : int = year_of(as_of) + month_of(as_of) + day_of(as_of)\n",
    "decision p : percent = as_percent(0.25)\ndecision c : bool = changes_heading(hs \"6205.20\", hs \"6204.11\")\n",
    "private decision hidden : int = 1\ndecision shown : int = hidden\n",
    "decision x : int = 1 /0\n",
    "decision x : list of int = range(1, 2000000)\n",
    "function f(n : int) : int = if n <= 0 then 0 else f(n - 1) + 1\ndecision d : int = f(500)\n",
    "enum risk = 'VERY HIGH' | high | low\nfact a { age : int  k : risk }\n"
    "table t : risk hit priority\n  input a.age | a.k\n  when < 18 | - then 'VERY HIGH'\n"
    "  when [18..65) | 'VERY HIGH', high then high\n  when (0..1] | not(low) then low\n  default low\n",
    "fact a { age : int }\ntable o : list of string hit output order [\"b\", \"a\"]\n  input a.age\n"
    "  when > 1 then \"a\"\n  when - then \"b\"\n",
    "fact a { age : int }\ntable t : { g : string, r : percent } hit any\n  input a.age\n  when < 3 then \"x\", 1%\n"
    "  default \"y\", 2%\ntable s : int hit collect sum\n  when a.age > 1 then 2\n",
    "table fee(n : int, b : bool) : int hit unique\n  input n | b\n  when < 10 | true then 1\n  when >= 10 | - then 2\n"
    "decision d : int = fee(3, true)\n",
    "decision p : decimal = 2 ^ 10 + 7 mod 3 + sqrt(2) + exp(1) + ln(10)\n"
    "decision r : money KRW = round_to(12_345 KRW, 10 KRW)\n",
    "decision l : list of int = concat([1], [2, 3])\ndecision i : int = [1, 2][-1] + first([3]) + last([4])\n"
    "decision t : string = join(split(upper(\"a,b\"), \",\"), \"-\") + string(12.50)\n",
    "record person { age : int  income : money EUR optional }\nfact household { members : list of person }\n"
    "for each person in household.members {\n  decision child : bool = person.age < 18\n"
    "  decision benefit : money EUR\n    default 0 EUR\n    exception when child then 100 EUR\n}\n"
    "decision total : money EUR = sum(p.benefit for p in household.members)\n"
    "decision first : money EUR = household.members[1].benefit\n",
    "record sale { years : int }\nfor each s : sale {\n  decision ok : bool = s.years >= 2\n}\n"
    "decision a : sale = { years: 3 }\ndecision b : bool = a.ok\n",
]

FACTS_SEEDS = [
    "{}",
    "{\"as_of\": \"2026-06-15\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\"}}",
    "{\"company\": {\"size\": \"large\", \"us_export_share\": \"9.99%\", \"voucher_received\": \"50000000 KRW\","
    " \"founded\": \"2000-02-29\", \"employees\": 3, \"rating\": 1e2, \"home\": {\"city\": \"Busan\", \"country\": null},"
    " \"tags\": []}}",
    "{\"tasks\": [{\"number\": 1, \"name\": \"x\", \"launch_month\": 13, \"budget\": \"1 KRW\", \"code\": \"6205\"},"
    " {\"number\": -2, \"name\": \"\", \"code\": \"62\", \"dhaka\": false}], \"price\": \"0.01 EUR\"}",
    "{\"wait\": \"3 months\", \"sizes\": [\"midsize\"], \"matrix\": [[], [9223372036854775806], [-1, 0]]}",
    "{\"price\": \"12.50 USD\", \"wait\": \"1 year\", \"company\": null, \"tasks\": null}",
    "{\"company\": {\"size\": \"sme\", \"size\": \"large\"}}",
    "{\"company\": {\"rating\": 1e999999999}}",
    "{\"company\": {\"rating\": \"0.000000000000000000000000000000001\"}}",
    "{\"company\": {\"sizee\": \"sme\"}}",
    "{\"compnay\": {}}",
    "{\"as_of\": \"2026-02-30\"}",
    "{\"id\": \"C-17\", \"matrix\": [[1, [2]]]}",
    "[1, 2, 3]",
    "{\"tasks\": [" + ",".join("{\"number\": %d, \"name\": \"t\"}" % i for i in range(50)) + "]}",
    "{\"company\": {\"tags\": [\"\\u0000\", \"\\ud800\", \"caf\\u00e9\"]}}",
    "{\"matrix\": " + "[" * 63 + "]" * 63 + "}",
    "{\"price\": \"1 KRW\"} trailing",
    "{\"wait\": \"-14 days\", \"company\": {\"us_export_share\": \"-0%\", \"employees\": -0}}",
]

QUERY_SEEDS = [
    "eligible", "award", "total", "grade", "speed", "months", "cap", "age", "due", "city",
    "launching_in(3)", "launching_in(company.employees)",
    "award > 10_000_000 KRW and eligible",
    "[t.name for t in tasks where t.budget > 1_000_000 KRW]",
    "sum(t.budget for t in tasks) / 3",
    "company.size = sme or unknown",
    "company.home.country otherwise \"KR\"",
    "if eligible then 1 else 2",
    "let x = total; x * 2",
    "match company.size { sme => 1, midsize => 2, default => 3 }",
    "count(tasks) + length(company.tags)",
    "as_of + 1 month - 2 weeks",
    "days_between(company.founded, as_of) / 365",
    "hs \"6205.20\" in subheading hs \"6205.20\"",
    "round(amount(price), 1)",
    "{number: 1, name: \"x\"}",
    "distinct(sizes)",
    "max(1, 2, 3) + min([4, 5])",
    "given company.size = large\nspeed",
    "given company.us_export_share = 5%\neligible",
    "given tasks = []\ntotal",
    "given company = {size: midsize, us_export_share: 50%}\naward",
    "given wait = 10 days\ndue",
    "1 / 0",
    "range(1, 10000000)",
    "not not not true",
]


def api_str(text):
    b = text.encode() if isinstance(text, str) else text
    if len(b) < 255:
        return bytes([len(b)]) + b
    return bytes([255, len(b) >> 8, len(b) & 255]) + b


def api_seeds():
    """Programs for fuzz_api.c: an operation byte, then its arguments."""
    S = api_str
    q = [b"\x0b" + S(x) + b"\x00\x03" + S("name") + b"\x01" for x in
         ("award", "eligible", "months", "tasks", "company", "speed", "total + 1 KRW")]
    yield b"\x05" + b"".join(q)
    yield b"\x05\x0e" + S("award") + b"\x0f" + S("speed") + b"\x0f" + S("eligible and dear")
    yield b"\x06" + S("x") + b"\x00" + b"\x01" + S("\"large\"") + b"\x0b" + S("speed") + b"\x00\x00" + S("") + b"\x00"
    yield b"\x06" + S("company.size") + S("sme") + b"\x01" + b"\x07\x03\x02\x05" + b"\x00" * 8 + b"\x08" + S("14%") + b"\x02\x00"
    yield b"\x09" + S("2027-06-01") + b"\x01" + b"\x0d\x00\x00" + b"\x09" + S("") + b"\x00"
    yield b"\x0a\x00\x10\x00\x10" + b"\x05\x0b" + S("sum(x for x in range(1, 100000))") + b"\x00"
    yield b"\x04" + S('{"company": {"size": "midsize", "us_export_share": "50%"}}') + b"\x00\x0b" + S("priority") + b"\x00"
    yield b"\x05\x0b" + S("months") + b"\x00\x00" + S("") + b"\x00" + b"\x04" + S("{}") + b"\x00\x10\x00\x00"
    yield b"\x11\x00\x00\x12\x13\x14\x15\x00\x00\x00\x09\x03\x16\xff"
    yield b"\x00" + S("decision x : int = 1\ndecision y : bool = x > 0\n") + b"\x0d\x00\x00\x11\x00\x00"
    yield b"\x00" + S("decision x : int = nosuch\n") + b"\x11\x00\x00\x11\x01\x00\x11\x05\x00"
    yield b"\x01" + S("module schema\nparam cap : money KRW = 1 KRW\n") + b"\x05\x0b" + S("award") + b"\x00"
    yield (b"\x16\x02" + S("import b\ndecision x : int = b.y\n") + S("module b\ndecision y : int = 2\n") +
           b"\x0d\x00\x00")
    yield b"\x02\x03\x17\x0b" + S("award") + b"\x03\x05\x0b" + S("award") + b"\x00"
    yield (b"\x19\x02\x02\x01" + S('{"company": {"size": "sme", "us_export_share": "14%"}}') + b"\x01" +
           S('{"company": {"size": "large"}}') + b"\x01" + S("award") + b"\x01" + S("eligible") + b"\x01")


def main():
    n = {"source": 0, "facts": 0, "query": 0, "api": 0, "factsdoc": 0}
    # rule files, alone and per directory
    bydir = {}
    for p in repo_files(".edict"):
        text = open(p, "rb").read()
        n["source"] += add("source", text)
        bydir.setdefault(os.path.dirname(p), []).append(text)
    for d, texts in bydir.items():
        if len(texts) > 1:
            for i in range(0, len(texts), 4):
                n["source"] += add("source", b"\n----\n".join(texts[i:i + 4]))
    for s in SOURCE_SEEDS:
        n["source"] += add("source", s)
    for p in repo_files(".json"):
        n["facts"] += add("facts", open(p, "rb").read())
    for s in FACTS_SEEDS:
        n["facts"] += add("facts", s)
    for s in QUERY_SEEDS:
        n["query"] += add("query", s)
    for s in api_seeds():
        n["api"] += add("api", s)
    # golden cases: their rule files, facts and queries
    for files, args in golden_cases():
        rules = [t for name, t in sorted(files.items()) if name.endswith(".edict")]
        if rules:
            n["source"] += add("source", "\n----\n".join(rules[:4]))
        for name, t in files.items():
            if name.endswith(".json"):
                n["facts"] += add("facts", t)
        try:
            words = shlex.split(args)
        except ValueError:
            words = []
        for i, w in enumerate(words[:-1]):
            if w in ("-q", "--query"):
                n["query"] += add("query", words[i + 1])
    facts_dir = os.path.join(HERE, "corpus", "facts")
    for name in sorted(os.listdir(facts_dir)):
        n["factsdoc"] += add("factsdoc", b"\x00" + open(os.path.join(facts_dir, name), "rb").read())
    for s in FACTSDOC_EVENTS:
        n["factsdoc"] += add("factsdoc", s)
    for h in sorted(n):
        total = len(os.listdir(os.path.join(HERE, "corpus", h)))
        print("%s: %d new seeds, %d in all" % (h, n[h], total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
