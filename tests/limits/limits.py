#!/usr/bin/env python3
"""limits.py - every limit of Edict, just under and just over, through the
`edict` command (test_limits.c does the same through the internal API).

    python3 tests/limits/limits.py --edict build/edict [--known-bugs] [-k NAME]

Over a limit must be a clean error that names the limit (exit 1 for rules,
3 for facts), never a crash, a stack overflow or a hang.  Cases marked
known_bug are limits that are missing or not enforced cleanly today;
they run only with --known-bugs (CTest limits.cli.known_bugs)
and fail until fixed.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from edictrun import case, main  # noqa: E402

MiB = 1 << 20
FACTS = '{"as_of": "2026-12-01"}'


def facts(run, text=FACTS):
    return run.write("facts.json", text)


def rules(run, text, name="r.edict"):
    return run.write(name, text)


# ------------------------------------------------- nesting of brackets

@case("brackets nested 200 deep are accepted")
def _(run):
    rules(run, "decision x : int = %s1%s\n" % ("(" * 200, ")" * 200))
    run.edict("eval", "r.edict", "--facts", facts(run), "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  x = 1\n")


@case("brackets nested 201 deep are refused, naming the limit")
def _(run):
    rules(run, "decision x : int = %s1%s\n" % ("(" * 201, ")" * 201))
    run.edict("check", "r.edict").expect(1, "brackets are nested more than 200 deep")


@case("brackets of every kind count towards the same limit")
def _(run):
    rules(run, "decision x : list of int = %s1%s\n" % ("[(" * 100 + "[", "]" + ")]" * 100))
    run.edict("check", "r.edict").expect(1, "nested more than 200 deep")


@case("brackets in a query: 200 deep accepted, 201 refused")
def _(run):
    rules(run, "decision x : int = 1\n")
    f = facts(run)
    run.edict("eval", "r.edict", "--facts", f, "-q", "(" * 200 + "x" + ")" * 200).expect(0, "= 1")
    run.edict("eval", "r.edict", "--facts", f, "-q", "(" * 201 + "x" + ")" * 201).expect(
        1, "nested more than 200 deep")


# ------------------------------------------------------ parser stack

@case("500 prefix operators are accepted (parser stack)")
def _(run):
    rules(run, "decision x : bool = %strue\ndecision y : int = %s7\n" % ("not " * 500, "- " * 500))
    run.edict("eval", "r.edict", "--facts", facts(run), "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  x = true\n  y = 7\n")


@case("2000 prefix operators are refused (parser stack of 2000)")
def _(run):
    rules(run, "decision x : bool = %strue\n" % ("not " * 2000))
    run.edict("check", "r.edict").expect(1, "nested too deeply")
    rules(run, "decision x : int = %s1\n" % ("if true then 1 else " * 1000))
    run.edict("check", "r.edict").expect(1, "nested too deeply")


# ------------------------------------------------- expression depth

@case("expressions nested 500 deep are accepted; 501 are refused, naming the limit")
def _(run):
    rules(run, "decision x : int = 1%s\n" % (" + 1" * 500))
    run.edict("eval", "r.edict", "--facts", facts(run), "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  x = 501\n")
    rules(run, "decision x : int = 1%s\n" % (" + 1" * 501))
    run.edict("check", "r.edict").expect(1, "this expression is nested more than 500 deep")
    rules(run, "decision x : int = 1\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "x" + " * x" * 500).expect(0, "= 1")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "x" + " * x" * 501).expect(1, "nested more than 500 deep")


@case("a chain of 100000 terms is a clean error (rely-1)")
def _(run):
    rules(run, "decision x : int = 1%s\n" % (" + 1" * 100000))
    run.edict("check", "r.edict").expect(1, "nested more than 500 deep", max_output=4096)
    rules(run, "record r { x : int }\nfact f : r\ndecision x : int = f%s\n" % (".x" * 100000))
    run.edict("check", "r.edict").expect(1, "nested more than 500 deep", max_output=4096)


# ---------------------------------------------------- rule file size

def sized(run, name, n):
    head = b"decision x : int = 1\n#"
    return run.write(name, head + b"x" * (n - len(head) - 1) + b"\n")


@case("a rule file of 8 MiB is read")
def _(run):
    sized(run, "big.edict", 8 * MiB)
    run.edict("check", "big.edict").expect(0, "1 file checked", max_seconds=20)


@case("a rule file of 8 MiB + 1 byte is refused, naming the limit")
def _(run):
    sized(run, "big.edict", 8 * MiB + 1)
    run.edict("check", "big.edict").expect(1, "larger than the limit of 8388608 bytes")


# -------------------------------------------- files, directory depth

@case("a rule set of 10000 files is read; 10001 are refused")
def _(run):
    for i in range(10000):
        run.write("rs/m%05d.edict" % i, "")
    run.edict("check", "rs").expect(0, "10000 files checked", max_seconds=60)
    run.write("rs/m10000.edict", "")
    run.edict("check", "rs").expect(1, "at most 10000 files", max_seconds=60)


@case("directories 32 deep are read; 33 deep are refused")
def _(run):
    run.write("rs/" + "d/" * 32 + "deep.edict", "decision x : int = 1\n")
    run.edict("check", "rs").expect(0, "1 file checked")
    run.write("rs2/" + "d/" * 33 + "deep.edict", "decision x : int = 1\n")
    run.edict("check", "rs2").expect(1, "nested more than 32 deep")


# ----------------------------------------------- imports: depth, cycles

@case("imports: a chain of 300 modules checks; deciding through it stops at the call depth")
def _(run):
    for i in range(300):
        run.write("rs/m%03d.edict" % i, "import m%03d\ndecision d : int = m%03d.d + 1\n" % (i + 1, i + 1))
    run.write("rs/m300.edict", "decision d : int = 0\n")
    run.edict("check", "rs").expect(0, "301 files checked")
    f = facts(run)
    run.edict("eval", "rs", "--facts", f, "-q", "m150.d").expect(0, stdout="m150.d = 150\n")
    run.edict("eval", "rs", "--facts", f, "-q", "m000.d").expect(1, "more than 200 deep")


@case("imports: modules may import each other; a decision cycle between them is reported")
def _(run):
    run.write("rs/a.edict", "import b\ndecision x : int = b.y + 1\ndecision z : int = 5\n")
    run.write("rs/b.edict", "import a\ndecision y : int = a.z * 2\n")
    run.edict("eval", "rs", "--facts", facts(run), "-q", "a.x").expect(0, stdout="a.x = 11\n")
    run.write("rs/b.edict", "import a\ndecision y : int = a.x * 2\n")
    run.edict("check", "rs").expect(1, "depends on itself")
    run.write("rs/b.edict", "import b\ndecision y : int = 1\n")
    run.edict("check", "rs").expect(1, "cannot import itself")


# ---------------------------------------------------------- JSON facts

def json_depth(n):
    return '{"x": %s%s}' % ("[" * (n - 1), "]" * (n - 1))


@case("JSON nested 64 deep is read; 65 deep is refused, naming the limit")
def _(run):
    rules(run, "fact x : list of int\ndecision n : int = length(x)\n")
    run.edict("eval", "r.edict", "--facts", run.write("f.json", json_depth(64))).expect(
        3, "expected a whole number", not_says="nested")
    run.edict("eval", "r.edict", "--facts", run.write("f.json", json_depth(65))).expect(3, "nested more than 64 deep")


def json_sized(n):
    head = b'{"s": "x"'
    return head + b" " * (n - len(head) - 1) + b"}"


@case("facts of 64 MiB are read; 64 MiB + 1 byte are refused (file and stdin)")
def _(run):
    rules(run, "fact s : string\ndecision n : int = 1\n")
    run.write("f.json", json_sized(64 * MiB))
    run.edict("eval", "r.edict", "--facts", "f.json", "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  n = 1\n", max_seconds=30)
    run.write("g.json", json_sized(64 * MiB + 1))
    run.edict("eval", "r.edict", "--facts", "g.json").expect(3, "larger than the limit of 67108864 bytes")
    with open(run.path("g.json"), "rb") as f:
        run.edict("eval", "r.edict", "--facts", "-", stdin=f).expect(3, "larger than the limit of 67108864 bytes")


# ------------------------------------------------------ decimal digits

@case("decimals: 34 significant digits are exact; 35 are refused (rules, queries, facts)")
def _(run):
    d34 = "1234567890123456789012345678901.234"
    d35 = "1234567890123456789012345678901.2345"
    rules(run, "fact d : decimal\ndecision x : decimal = %s\ndecision y : decimal = d\n" % d34)
    run.edict("eval", "r.edict", "--facts", facts(run, '{"d": %s}' % d34), "--as-of", "2026-12-01").expect(
        0, stdout="as of 2026-12-01\nr\n  x = %s\n  y = %s\n" % (d34, d34))
    run.edict("eval", "r.edict", "--facts", facts(run, '{"d": "%s"}' % d34)).expect(0, "  y = %s" % d34)
    run.edict("eval", "r.edict", "--facts", facts(run, '{"d": %s}' % d35)).expect(3, "more than 34 significant digits")
    run.edict("eval", "r.edict", "--facts", facts(run, '{"d": "%s"}' % d35)).expect(3, "expected a number")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", d35).expect(1, "more than 34 significant digits")
    rules(run, "decision x : decimal = %s\n" % d35)
    run.edict("check", "r.edict").expect(1, "more than 34 significant digits")


# ------------------------------------------------ evaluation: steps

@case("evaluation steps: a million-step loop finishes; a runaway one stops at 10 million")
def _(run):
    rules(run, "decision r : list of int = range(1, 1000)\n"
               "decision some : int = sum(sum(x for x in r) for y in range(1, 100))\n"
               "decision spin : int = sum(sum(x for x in r) for y in range(1, 1000000))\n")
    f = facts(run)
    run.edict("eval", "r.edict", "--facts", f, "-q", "some").expect(0, stdout="some = 50050000\n")
    run.edict("eval", "r.edict", "--facts", f, "-q", "spin").expect(
        1, "took more than 10000000 steps", max_seconds=10)


# ----------------------------------------------- evaluation: memory

@case("evaluation memory: 32 MB fits; 160 MB stops at the 64 MiB limit")
def _(run):
    rules(run, "decision fits : int = length([x for x in range(1, 1000000)])\n"
               "decision too_much : int = sum(length(range(1, 1000000)) for y in range(1, 10))\n")
    f = facts(run)
    run.edict("eval", "r.edict", "--facts", f, "-q", "fits").expect(0, stdout="fits = 1000000\n")
    run.edict("eval", "r.edict", "--facts", f, "-q", "too_much").expect(
        1, "more than the memory limit of 67108864 bytes", max_mb=400)


# --------------------------------------------------------- call depth

def chain(n):
    return "".join("decision d%d : int = d%d + 1\n" % (i, i + 1) for i in range(n)) + "decision d%d : int = 0\n" % n


@case("call depth: 200 frames are fine; 201 stop, naming the limit")
def _(run):
    rules(run, chain(199))
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "d0").expect(0, stdout="d0 = 199\n")
    rules(run, chain(200))
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "d0").expect(1, "more than 200 deep")
    rules(run, "function f(n : int) : int = if n > 0 then f(n - 1) + 1 else 0\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "f(150)").expect(0, stdout="f(150) = 150\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "f(100000)").expect(1, "more than 200 deep")


@case("a chain of 50000 decisions checks, and stops at the call depth (rely-2)")
def _(run):
    rules(run, chain(50000))
    run.edict("check", "r.edict").expect(0, "50001 decisions")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "d0").expect(1, "more than 200 deep")


# -------------------------------------------------------------- range()

@case("range(): a million numbers; one more is refused, naming the limit")
def _(run):
    rules(run, "decision x : int = 1\n")
    f = facts(run)
    run.edict("eval", "r.edict", "--facts", f, "-q", "length(range(1, 1000000))").expect(0, "= 1000000")
    run.edict("eval", "r.edict", "--facts", f, "-q", "length(range(1, 1000001))").expect(
        1, "would hold more than 1000000 numbers")


@case("range() of extreme bounds is refused by its size, without overflow (rely-18)")
def _(run):
    rules(run, "decision x : int = 1\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q",
              "length(range(-9223372036854775807, 9223372036854775807))").expect(1, "more than 1000000 numbers")


# --------------------------------------------------------- diagnostics

@case("diagnostics: 100 errors are shown, then a count of the rest")
def _(run):
    rules(run, "".join("decision x%d : int = nosuch\n" % i for i in range(150)))
    r = run.edict("check", "r.edict").expect(1, "... and 50 more errors")
    assert r.text().count("error:") == 100, r.describe()


def overlapping(k, rows):
    return ("table t%d : int hit unique\n" % k + "".join("  when n > %d then %d\n" % (i, i) for i in range(rows)) +
            "  default 0\n")


@case("diagnostics: 20 overlaps per table, 1000 warnings in all, then counts (rely-10)")
def _(run):
    rules(run, "fact n : int\n" + overlapping(0, 3000))
    r = run.edict("check", "r.edict", timeout=60).expect(
        0, ("table 't0' has ", "more pairs of overlapping rows"), max_seconds=10, max_output=1 << 16)
    assert r.text().count("warning:") == 21, r.describe()
    rules(run, "fact n : int\n" + "".join(overlapping(k, 25) for k in range(60)))
    r = run.edict("check", "r.edict").expect(0, ("... and 260 more warnings", "1260 warnings"))
    assert r.text().count("warning:") == 1000, r.describe()


# ------------------------------------- strings and lists (missing limits)

@case("a text of 1 MiB in facts is read; 1 MiB + 1 byte is refused, naming the limit (rely-6)")
def _(run):
    rules(run, "fact s : string\ndecision n : int = length(s)\n")
    run.write("f.json", b'{"s": "' + b"x" * MiB + b'"}')
    run.edict("eval", "r.edict", "--facts", "f.json", "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  n = 1048576\n")
    run.write("f.json", b'{"s": "' + b"x" * (MiB + 1) + b'"}')
    run.edict("eval", "r.edict", "--facts", "f.json").expect(3, "a text longer than the limit of 1048576 bytes")
    run.write("f.json", b'{"s": "' + b"x" * (32 * MiB) + b'"}')
    run.edict("eval", "r.edict", "--facts", "f.json").expect(3, "a text longer than the limit of 1048576 bytes")


@case("facts of a million values are read; one more is refused, naming the limit (rely-6)")
def _(run):
    rules(run, "fact xs : list of int\ndecision n : int = length(xs)\n")
    # {"xs": [...]} holds 2 + n values
    run.write("f.json", '{"xs": [' + "0," * (1000000 - 3) + "0]}")
    run.edict("eval", "r.edict", "--facts", "f.json", "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  n = 999998\n", max_seconds=20)
    run.write("f.json", '{"xs": [' + "0," * (1000000 - 2) + "0]}")
    run.edict("eval", "r.edict", "--facts", "f.json").expect(3, "more than 1000000 values (the limit)")
    run.write("f.json", '{"xs": [' + "0," * 5000000 + "0]}")
    run.edict("eval", "r.edict", "--facts", "f.json").expect(3, "more than 1000000 values (the limit)", max_mb=300)


if __name__ == "__main__":
    sys.exit(main())
