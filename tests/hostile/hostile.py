#!/usr/bin/env python3
"""hostile.py - hostile inputs to the `edict` command: rule text, facts and
file systems made to break it.

    python3 tests/hostile/hostile.py --edict build/edict [--known-bugs] [-k NAME]

Each case says what must happen: a clean refusal with a message that says
what is wrong (exit 1 for rules, 3 for facts), or a correct answer; in every
case no crash, no sanitizer report, no hang, bounded time and memory (see
tests/limits/edictrun.py).  Cases marked known_bug are bugs still
open; they run only with --known-bugs and fail until fixed.

The inputs (docs/security.md lists them too):
  100,000 nested brackets (rules, query, JSON); a million-digit number
  (rules, JSON number, JSON text, int, date); invalid UTF-8 and NUL bytes
  (rules, query, JSON); unterminated strings, comments, blocks; duplicate
  JSON keys; a symbolic link loop in a rule directory; links leading out of
  the rule root (directory and file); imports naming files outside the
  roots; a FIFO in a rule directory; a 1 GB facts file (sparse file, and a
  stream on standard input); JSON nested 100,000 deep; huge exponents in
  JSON numbers; enormous lists in facts; terminal escape sequences in rules
  and facts; binary garbage as rules and as facts; a byte order mark; CRLF
  line ends and lines that end in a carriage return alone; arithmetic at the edges (int64, dates, durations); compiled
  images truncated, with changed bytes, of garbage, and damaged in the cache.
"""
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "limits"))
from edictrun import Failure, case, main  # noqa: E402

GB = 1 << 30
EMPTY = '{"as_of": "2026-12-01"}'


def facts(run, text=EMPTY, name="facts.json"):
    return run.write(name, text)


def rules(run, text, name="r.edict"):
    return run.write(name, text)


# ------------------------------------------------------ nested brackets

@case("100,000 nested brackets in rules: refused at the nesting limit, quickly")
def _(run):
    rules(run, "decision x : int = %s1%s\n" % ("(" * 100000, ")" * 100000))
    run.edict("check", "r.edict").expect(1, "nested more than 200 deep", max_seconds=5)


@case("100,000 nested brackets in rules: the message stays short (rely-9)")
def _(run):
    rules(run, "decision x : int = %s1%s\n" % ("(" * 100000, ")" * 100000))
    run.edict("check", "r.edict").expect(1, max_output=4096)


@case("60,000 nested brackets in a query: refused at the nesting limit")
def _(run):
    rules(run, "decision x : int = 1\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "(" * 60000 + "x" + ")" * 60000).expect(
        1, "nested more than 200 deep", max_seconds=5)


@case("100,000 nested brackets in JSON facts: refused at the JSON depth limit")
def _(run):
    rules(run, "fact x : list of int\ndecision n : int = length(x)\n")
    facts(run, '{"x": ' + "[" * 100000 + "]" * 100000 + "}")
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "nested more than 64 deep", max_seconds=5)
    facts(run, "[" * 100000)
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "nested more than 64 deep", max_seconds=5)
    facts(run, '{"a":' * 100000)
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "nested more than 64 deep", max_seconds=5)


# ---------------------------------------------------- a million digits

MILLION = "9" * 1000000


@case("a million-digit number in rules, in a query and in facts: refused")
def _(run):
    rules(run, "decision x : decimal = %s\n" % MILLION)
    run.edict("check", "r.edict").expect(1, "more than 34 significant digits", max_seconds=5)
    rules(run, "decision x : decimal = 0.%s\n" % MILLION)
    run.edict("check", "r.edict").expect(1, "more than 34 significant digits", max_seconds=5)
    rules(run, "decision x : int = 1\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "1" * 100000).expect(
        1, "more than 34 significant digits", max_seconds=5)
    rules(run, "fact d : decimal\nfact i : int\nfact m : money\nfact p : percent\nfact t : date\n"
               "decision x : int = 1\n")
    for doc, says in [('{"d": %s}' % MILLION, "too large"),
                      ('{"d": -%s.5}' % MILLION, "more than 34 significant digits"),
                      ('{"d": "%s"}' % MILLION, "expected a number"),
                      ('{"i": %s}' % MILLION, "too large"),
                      ('{"m": "%s USD"}' % MILLION, "expected an amount"),
                      ('{"p": "%s%%"}' % MILLION, "expected a percentage"),
                      ('{"t": "%s-01-01"}' % MILLION, "expected a date")]:
        facts(run, doc)
        run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, says, max_seconds=5, max_output=4096)


# ------------------------------------------------- invalid UTF-8, NUL

@case("invalid UTF-8 in rules: refused in text, in names")
def _(run):
    rules(run, b'decision x : string = "caf\xe9"\n')
    run.edict("check", "r.edict").expect(1, "not valid UTF-8")
    rules(run, b'decision x : string = "\xed\xa0\x80"\n')  # a UTF-16 surrogate
    run.edict("check", "r.edict").expect(1, "not valid UTF-8")
    rules(run, b'decision x : string = "\xc0\xaf"\n')  # an overlong '/'
    run.edict("check", "r.edict").expect(1, "not valid UTF-8")
    rules(run, b"decision caf\xc3\xa9 : int = 1\n")
    run.edict("check", "r.edict").expect(1, "non-ASCII")


@case("valid UTF-8 text in rules and facts comes out as it went in")
def _(run):
    rules(run, 'fact s : string\ndecision x : string = "caf\u00e9 \u4e2d \U0001f600"\ndecision y : string = s\n')
    facts(run, '{"s": "\u00fcber \\u00e9"}')
    run.edict("eval", "r.edict", "--facts", "facts.json", "--as-of", "2026-12-01").expect(
        0, stdout='as of 2026-12-01\nr\n  x = "caf\u00e9 \u4e2d \U0001f600"\n  y = "\u00fcber \u00e9"\n')


@case("NUL bytes in rules (outside text) and in raw JSON: refused")
def _(run):
    rules(run, b"decision x : int = 1\x00 + 2\n")
    run.edict("check", "r.edict").expect(1, "NUL byte")
    rules(run, b"decision x : int = 1\n")
    facts(run, b'{"as_of": "2026-12-01"\x00}')
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "invalid JSON")


@case("NUL inside a rule text literal is refused like any NUL byte (rely-3)")
def _(run):
    rules(run, b'decision x : string = "a\x00b"\n')
    run.edict("check", "r.edict").expect(1, "NUL byte")


@case("an escaped NUL in JSON text is kept, not cut off")
def _(run):
    rules(run, "fact s : string\ndecision n : int = length(s)\ndecision t : string = s\n")
    facts(run, '{"s": "a\\u0000b"}')
    run.edict("eval", "r.edict", "--facts", "facts.json", "--as-of", "2026-12-01").expect(0, stdout='as of 2026-12-01\nr\n  n = 3\n  t = "a\\u0000b"\n')


@case("invalid UTF-8 in JSON facts is refused (rely-5)")
def _(run):
    rules(run, "fact s : string\ndecision t : string = s\n")
    facts(run, b'{"s": "x\xffy"}')
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3)


@case("--json output is valid UTF-8 even for a query with a non-UTF-8 comment (rely-14)")
def _(run):
    rules(run, "decision x : int = 1\n")
    r = run.edict("eval", "r.edict", "--facts", facts(run), "--json", "--explain", "-q", b"x + # caf\xe9\n 1")
    try:
        r.out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Failure("the JSON output is not UTF-8: %s\n%s" % (e, r.describe()))


# ------------------------------------------------------ unterminated

@case("unterminated strings, blocks and comments: clean syntax errors")
def _(run):
    for text, says in [('decision x : string = "abc', "not closed before the end of the file"),
                       ('decision x : string = "abc\ndecision y : int = 1\n', "not closed before the end of the line"),
                       ('decision x : string = "abc\\', "not closed before the end of the file"),
                       ('"', "not closed"),
                       ("record r { a : int\n", "unexpected end of file"),
                       ('test "t" {\n  expect 1 = 1\n', "unexpected end of file"),
                       ("decision x : int = (1 + 2\n", "unexpected end of file"),
                       ("decision x : int =", "unexpected end of file"),
                       ("decision", "unexpected end of file")]:
        rules(run, text)
        run.edict("check", "r.edict").expect(1, says)
    rules(run, "decision x : int = 1 # a comment without a newline at the end")
    run.edict("check", "r.edict").expect(0, "1 file checked")
    rules(run, "#")
    run.edict("check", "r.edict").expect(0, "0 decisions")


# ---------------------------------------------------- duplicate keys

@case("duplicate keys in JSON facts are refused (rely-4)")
def _(run):
    rules(run, "fact s : string\nfact c { a : int }\ndecision t : string = s\n")
    facts(run, '{"s": "first", "s": "second"}')
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "twice")
    facts(run, '{"c": {"a": 1, "a": 2}}')
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "twice")


# ----------------------------------------------------- file systems

@case("a symbolic link loop in a rule directory is reported, not followed forever")
def _(run):
    run.write("rs/a.edict", "decision x : int = 1\n")
    os.makedirs(run.path("rs/sub"))
    os.symlink("..", run.path("rs/sub/up"))
    os.symlink(".", run.path("rs/self"))
    run.edict("check", "rs").expect(1, "a loop", max_seconds=5)


@case("a second link to a directory of the root is read once (rely-12)")
def _(run):
    run.write("rs/a/m.edict", "decision x : int = 1\n")
    os.symlink("a", run.path("rs/b"))
    run.edict("check", "rs").expect(1, "reached a second time, through a symbolic link", not_says="loop")


@case("links leading out of the rule root are refused (directory and file)")
def _(run):
    run.write("secret/passwd.edict", "decision leaked : int = 1\n")
    run.write("rs/a.edict", "decision x : int = 1\n")
    os.symlink(run.path("secret"), run.path("rs/out"))
    run.edict("check", "rs").expect(1, "leads outside the rule directory", not_says="leaked")
    os.unlink(run.path("rs/out"))
    os.symlink(run.path("secret/passwd.edict"), run.path("rs/b.edict"))
    run.edict("check", "rs").expect(1, "leads outside the rule directory")
    os.unlink(run.path("rs/b.edict"))
    os.symlink("/etc/passwd", run.path("rs/c.edict"))
    run.edict("check", "rs").expect(1, "leads outside the rule directory", not_says="root:")
    os.unlink(run.path("rs/c.edict"))
    os.symlink(run.path("nowhere.edict"), run.path("rs/d.edict"))
    run.edict("check", "rs").expect(1, "cannot read")


@case("a rule root that is itself a link is read")
def _(run):
    run.write("real/a.edict", "decision x : int = 1\n")
    os.symlink(run.path("real"), run.path("alias"))
    run.edict("check", "alias").expect(0, "1 file checked")


@case("imports name modules, never files: nothing outside the roots can be reached")
def _(run):
    run.write("secret/passwd.edict", "decision leaked : int = 1\n")
    for text, says in [("import passwd\n", "no module named 'passwd'"),
                       ("import secret.passwd\n", "no module named 'secret.passwd'"),
                       ("import std.passwd\n", "no module named 'std.passwd'"),
                       ("import ../secret/passwd\n", "unexpected"),
                       ('import "/etc/passwd"\n', "unexpected"),
                       ("module ../../etc\n", "unexpected")]:
        run.write("rs/a.edict", text + "decision x : int = 1\n")
        run.edict("check", "rs").expect(1, says, not_says="leaked")


@case("a FIFO in a rule directory does not hang the load (rely-20)")
def _(run):
    run.write("rs/a.edict", "decision x : int = 1\n")
    os.mkfifo(run.path("rs/b.edict"))
    run.edict("check", "rs", timeout=10).expect(1, "not a regular file", max_seconds=5)


# -------------------------------------------------------- 1 GB facts

@case("a 1 GB facts file is refused quickly, without reading it into memory")
def _(run):
    rules(run, "decision x : int = 1\n")
    p = run.path("huge.json")
    with open(p, "wb") as f:
        f.truncate(GB)  # sparse: no disk space used
    try:
        run.edict("eval", "r.edict", "--facts", p).expect(
            3, "larger than the limit of 67108864 bytes", max_seconds=5, max_mb=300)
    finally:
        os.unlink(p)


@case("a 1 GB stream of facts on standard input is refused after the limit")
def _(run):
    rules(run, "decision x : int = 1\n")
    # a lazy generator: yes(1) writes forever; edict must stop reading
    gen = subprocess.Popen(["sh", "-c", 'printf "{\\"s\\": \\""; exec yes xxxxxxxxxxxxxxx'], stdout=subprocess.PIPE)
    try:
        run.edict("eval", "r.edict", "--facts", "-", stdin=gen.stdout, timeout=60).expect(
            3, "larger than the limit of 67108864 bytes", max_seconds=10, max_mb=300)
    finally:
        gen.stdout.close()
        gen.send_signal(signal.SIGTERM)
        gen.wait()


# ------------------------------------------------- numbers at the edges

@case("huge exponents in JSON numbers are refused")
def _(run):
    rules(run, "fact d : decimal\ndecision y : decimal = d\n")
    for n in ["1e999999999", "-1e999999999", "1E+999999999", "1e99999999999999999999999", "9.99e6144"]:
        facts(run, '{"d": %s}' % n)
        run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "too large", max_seconds=5)


@case("tiny exponents in JSON numbers do not print thousands of zeros (rely-13)")
def _(run):
    rules(run, "fact d : decimal\ndecision y : decimal = d\n")
    facts(run, '{"d": 1e-999999999}')
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(max_output=200)


@case("arithmetic at the edges: clean errors, no overflow")
def _(run):
    rules(run, "decision x : int = 1\n")
    f = facts(run)
    for q, says in [("9223372036854775807 + 1", "too large"),
                    ("-9223372036854775807 - 2", "too large"),
                    ("9223372036854775807 * 2", "too large"),
                    ("abs(-9223372036854775807 - 1)", "too large"),
                    ("-(-9223372036854775807 - 1)", "too large"),
                    ("9223372036854775808", "too large"),
                    ("9999-12-31 + 1 day", "outside the years"),
                    ("0001-01-01 - 1 day", "outside the years"),
                    ("2026-01-01 + 300000 years", "outside the years"),
                    ("2 weeks * 9223372036854775807", "too large"),
                    ("2026-01-01 + 9223372036854775807 days", "at most 1000000"),
                    ("round(1.5, 1000)", "out of range"),
                    ("1 / 0", "division by zero"),
                    ("9999999999999999999999999999999999.0 * 10", "more than 34 significant digits")]:
        run.edict("eval", "r.edict", "--facts", f, "-q", q).expect(1, says)


@case("durations multiplied past the literal limit are refused, not overflowed (rely-19)")
def _(run):
    rules(run, "decision x : int = 1\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "-q", "1 week * 9223372036854775807 > 1 day").expect(
        1, "too large")


# ------------------------------------------------------ enormous lists

@case("enormous lists in facts: 400,000 records are read; a million are refused before parsing")
def _(run):
    rules(run, "record t { n : int }\nfact ts : list of t\ndecision c : int = length(ts)\n")
    facts(run, '{"ts": [' + ",".join(['{"n": 1}'] * 400000) + "]}")
    run.edict("eval", "r.edict", "--facts", "facts.json", "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  c = 400000\n", max_seconds=20)
    facts(run, '{"ts": [' + ",".join(['{"n": 1}'] * 1000000) + "]}")
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(
        3, "more than 1000000 values (the limit)", max_seconds=5, max_mb=200)


# ------------------------------------------------- terminal escapes

@case("escape sequences in facts are escaped in the output")
def _(run):
    rules(run, "fact s : string\ndecision t : string = s\n")
    facts(run, '{"s": "\\u001b]0;pwned\\u0007\\u001b[2J"}')
    r = run.edict("eval", "r.edict", "--facts", "facts.json").expect(0)
    if b"\x1b" in r.out or b"\x07" in r.out:
        raise Failure("raw escape characters reached the output\n" + r.describe())


@case("escape sequences in rules are not sent raw to the terminal by diagnostics (rely-9)")
def _(run):
    rules(run, b'decision x : int = 1 + "\x1b]0;pwned\x07" # \x1b[2J\n')
    r = run.edict("check", "r.edict").expect(1)
    if b"\x1b" in r.err or b"\x07" in r.err:
        raise Failure("raw escape characters reached the terminal\n" + r.describe())


# ----------------------------------------------------- garbage, odd files

@case("binary garbage as rules and as facts: refused briefly")
def _(run):
    with open(Run_binary(), "rb") as f:
        junk = f.read(200000)
    rules(run, junk)
    run.edict("check", "r.edict").expect(1, max_seconds=5, max_output=100000)
    rules(run, junk.replace(b"\x00", b" "))
    run.edict("check", "r.edict").expect(1, max_seconds=10)
    rules(run, "decision x : int = 1\n")
    facts(run, junk)
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "invalid JSON", max_output=4096)


@case("empty rules and empty facts")
def _(run):
    rules(run, "")
    run.edict("check", "r.edict").expect(0, "0 decisions")
    rules(run, "decision x : int = 1\n")
    facts(run, "")
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "ends too early")
    facts(run, "null")
    run.edict("eval", "r.edict", "--facts", "facts.json").expect(3, "must be a JSON object")


@case("eval of a rule set without public decisions says so (rely-22)")
def _(run):
    rules(run, "")
    run.edict("eval", "r.edict", "--facts", facts(run)).expect(0, "no public decision to evaluate")


@case("CRLF line ends are read")
def _(run):
    rules(run, "decision x : int = 1\r\n  + 2\r\n")
    run.edict("eval", "r.edict", "--facts", facts(run), "--as-of", "2026-12-01").expect(0, stdout="as of 2026-12-01\nr\n  x = 3\n")


@case("lines that end in a carriage return alone (old Mac files) are lines")
def _(run):
    rules(run, "# the rule\rdecision x : int = 1\r  + 2\rdecision y : bool = x == 3\r")
    run.edict("check", "r.edict").expect(1, stdout="", says=(
        "r.edict:4:23: error: '==' is not an operator here; write a single '=' to compare two values\n"
        " 4 | decision y : bool = x == 3\n"
        "   |                       ^^\n"))
    rules(run, "# the rule\rdecision x : int = 1\r  + 2\rdecision y : bool = x = 3\r")
    run.edict("eval", "r.edict", "--facts", facts(run)).expect(0, stdout="as of 2026-12-01\nr\n  x = 3\n  y = true\n")
    run.edict("fmt", "-", stdin=open(run.path("r.edict"), "rb")).expect(
        0, stdout="# the rule\ndecision x : int = 1\n  + 2\n\ndecision y : bool = x = 3\n")
    # an explanation quotes conditions over several lines as for "\n"
    lf = "decision x : int = 3\n# why\ndecision y : bool =\n  x >\n  1 and x < 5\n"
    explain = ("eval", "r.edict", "--facts", facts(run), "--explain=full")
    rules(run, lf)
    want = run.edict(*explain).expect(0, says="holds   x > 1: true").out
    rules(run, lf.replace("\n", "\r"))
    run.edict(*explain).expect(0, stdout=want.decode())


@case("a byte order mark at the start of a file is skipped or explained (rely-21)")
def _(run):
    rules(run, b"\xef\xbb\xbfdecision x : int = 1\n")
    r = run.edict("check", "r.edict")
    if r.rc != 0 and b"byte order mark" not in r.err:
        raise Failure("a BOM gives a confusing error\n" + r.describe())


# ------------------------------------------------------ compiled images

VOUCHER = ("decision eligible : bool = company.size in [sme, midsize]\n"
           "decision award : money KRW = if eligible then 1000 KRW else 0 KRW\n"
           "enum company_size = sme | midsize | large\n"
           "fact company {\n  size : company_size\n}\n")
ONE = '{"company": {"size": "sme"}}'


def image(run):
    """A rule directory and its compiled image, r.edc; the image's bytes."""
    os.makedirs(run.path("r"), exist_ok=True)
    run.write("r/v.edict", VOUCHER)
    run.write("one.json", ONE)
    run.edict("compile", "r", "-o", "r.edc").expect(0, stdout="wrote r.edc\n")
    with open(run.path("r.edc"), "rb") as f:
        return f.read()


@case("a truncated image is refused with its reason, at every length")
def _(run):
    data = image(run)
    for n in list(range(0, 120, 7)) + list(range(120, len(data), max(1, len(data) // 40))):
        run.write("cut.edc", data[:n])
        run.edict("eval", "cut.edc", "--facts", "one.json").expect(1, "cannot be loaded as compiled rules")


@case("an image with changed bytes is refused by its checksum")
def _(run):
    data = bytearray(image(run))
    for k in range(96, len(data), max(1, len(data) // 30)):
        bad = bytearray(data)
        bad[k] ^= 0x40
        run.write("bad.edc", bytes(bad))
        run.edict("eval", "bad.edc", "--facts", "one.json").expect(1, "checksum does not match")


@case("binary garbage, an empty file and a directory named .edc are not images")
def _(run):
    run.write("g.edc", os.urandom(4096))
    run.edict("eval", "g.edc", "--facts", facts(run)).expect(1, "not an Edict image")
    run.write("e.edc", b"")
    run.edict("eval", "e.edc", "--facts", facts(run)).expect(1, "cannot be loaded as compiled rules")
    os.makedirs(run.path("d.edc"), exist_ok=True)
    run.edict("eval", "d.edc", "--facts", facts(run)).expect(1, "no rule files")


@case("a damaged image in the cache is passed over: the rules are read, the answer is right")
def _(run):
    image(run)
    os.unlink(run.path("r.edc"))  # else the image beside the rules is used
    cache = run.path("cache")
    env = {"EDICT_CACHE": cache}
    run.edict("eval", "r", "--facts", "one.json", "--query", "award", env=env).expect(0, stdout="award = 1000 KRW\n")
    names = [n for n in os.listdir(cache) if n.endswith(".edc")]
    if len(names) != 1:
        raise Failure("the cache holds %r, not one image" % names)
    with open(os.path.join(cache, names[0]), "r+b") as f:
        f.seek(200)
        f.write(b"\xff" * 64)
    run.edict("eval", "r", "--facts", "one.json", "--query", "award", env=env).expect(0, stdout="award = 1000 KRW\n")


def Run_binary():
    from edictrun import Run
    return Run.binary


if __name__ == "__main__":
    sys.exit(main())
