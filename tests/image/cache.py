#!/usr/bin/env python3
"""cache.py - a rule set answers the same through the start-up cache as
without it, and a changed rule file is noticed.

    python3 tests/image/cache.py --edict build/edict

A copy of rules/kotra is evaluated with a private cache folder (written by
a first run, read by the next) and with the cache off: every public
decision as a query of its own (from a cached image of rules that check
cleanly, a query of a plain name reads only what it names), all of them,
two queries at once and a misspelt one, for every company of
examples/companies.  A rule set with warnings is compared the same way
(its warnings must come again from the cache).  Then a figure of the copy
is changed, once keeping the size and time of a file written just now:
the cached answer must follow the change.  A file is added to a
subdirectory of the copy and removed again, and so is a directory, and a
rule file that is a symbolic link has the file it leads to changed (once
keeping its size and time): each time the cached answer must follow.  Standard output,
standard error and exit status must be the same, byte for byte.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WARNED = """enum company_size = sme | midsize | large
fact company { size : company_size }
table band : string hit unique
  when company.size = sme then "small"
  when company.size in [sme, midsize] then "not large"
"""


class Runner:
    def __init__(self, edict, cwd, cache):
        self.edict, self.cwd, self.cache = edict, cwd, cache
        self.failed = self.compared = 0

    def run(self, cache, *args):
        env = dict(os.environ, NO_COLOR="1", TZ="UTC", EDICT_CACHE=cache)
        r = subprocess.run([self.edict] + list(args), cwd=self.cwd, capture_output=True, env=env, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def same(self, *args):
        """The answer without the cache, checked against two with it (the
        first may write the image, the second reads it); returned."""
        want = self.run("off", *args)
        for _ in range(2):
            got = self.run(self.cache, *args)
            self.compared += 1
            if got != want:
                self.failed += 1
                print("FAIL edict %s: the cache changes the answer" % " ".join(args))
                print("  without: exit %d\n%s%s\n  with: exit %d\n%s%s" % (
                    want[0], want[1].decode(errors="replace")[-800:], want[2].decode(errors="replace")[-800:],
                    got[0], got[1].decode(errors="replace")[-800:], got[2].decode(errors="replace")[-800:]))
        return want

    def check(self, ok, what):
        self.compared += 1
        if not ok:
            self.failed += 1
            print("FAIL " + what)


def decisions(r, facts):
    rc, out, _ = r.run("off", "eval", "kotra", "--json", "--facts", facts)
    return sorted(json.loads(out)["decisions"]) if rc == 0 else []


def compare_kotra(r):
    for facts in sorted(glob.glob(os.path.join(ROOT, "examples/companies/*.json"))):
        common = ["eval", "kotra", "--facts", facts, "--as-of", "2026-12-01"]
        names = decisions(r, facts)
        r.check(len(names) > 2, "no decisions of rules/kotra for %s" % facts)
        for q in [[]] + [["--query", n] for n in names]:
            r.same(*common, *q)
        r.same(*common, "--query", names[0], "--query", names[-1])
        r.same(*common, "--query", names[0] + "x", "--explain")


def change_figure(r, path, old, new, keep_time):
    st = os.stat(path)
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))
    if keep_time:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def stale(r):
    facts = os.path.join(ROOT, "examples/companies/cosmetics_sme_exactly_10pct.json")
    args = ["eval", "kotra", "--facts", facts, "--as-of", "2026-12-01", "--query", "voucher.cap"]
    path = os.path.join(r.cwd, "kotra/voucher.edict")
    os.utime(path)  # written just now, as by an editor: the time alone does not say it is unchanged
    before = r.same(*args)
    change_figure(r, path, "= 50_000_000 KRW", "= 40_000_000 KRW", True)
    after = r.same(*args)
    r.check(b"40000000" in after[1] and after != before, "a change of the same size and time is not seen")
    change_figure(r, path, "= 40_000_000 KRW", "= 4_000_000 KRW", False)
    last = r.same(*args)
    r.check(b"4000000" in last[1] and last != after, "a changed file is not seen")


def added_and_removed(r):
    """A file added to a subdirectory after the image was written, then
    removed again: the cache must see both (the walk finds the files)."""
    facts = os.path.join(ROOT, "examples/companies/cosmetics_sme_exactly_10pct.json")
    args = ["eval", "kotra", "--facts", facts, "--query", "origin.extra.added"]
    path = os.path.join(r.cwd, "kotra/origin/extra.edict")
    missing = r.same(*args)
    r.check(missing[0] != 0, "a query of a file not there yet was answered")
    with open(path, "w") as f:
        f.write("decision added : int = 41\n")
    added = r.same(*args)
    r.check(added[0] == 0 and b"41" in added[1], "a file added to a subdirectory is not seen")
    os.remove(path)
    removed = r.same(*args)
    r.check(removed == missing, "a file removed from a subdirectory is still read")
    # a new directory: only the time of the one it is made in says so
    args = ["eval", "kotra", "--facts", facts, "--query", "fresh.extra.added"]
    missing = r.same(*args)
    os.mkdir(os.path.join(r.cwd, "kotra/fresh"))
    with open(os.path.join(r.cwd, "kotra/fresh/extra.edict"), "w") as f:
        f.write("decision added : int = 43\n")
    added = r.same(*args)
    r.check(missing[0] != 0 and added[0] == 0 and b"43" in added[1], "a directory added to the rules is not seen")
    shutil.rmtree(os.path.join(r.cwd, "kotra/fresh"))
    r.check(r.same(*args) == missing, "a directory removed from the rules is still read")


def linked(r):
    """A rule file that is a symbolic link: the cache compares the file it
    leads to, whose change must be seen (also one keeping size and time)."""
    os.mkdir(os.path.join(r.cwd, "linked"))
    target = os.path.join(r.cwd, "linked/level.txt")
    with open(target, "w") as f:
        f.write("decision level : int = 11\n")
    os.symlink("level.txt", os.path.join(r.cwd, "linked/main.edict"))
    with open(os.path.join(r.cwd, "none.json"), "w") as f:
        f.write("{}")
    args = ["eval", "linked", "--facts", "none.json", "--query", "level"]
    first = r.same(*args)
    r.check(b"11" in first[1], "the linked rule file is not read")
    change_figure(r, target, "= 11", "= 12", False)
    r.check(b"12" in r.same(*args)[1], "a change to the file a link leads to is not seen")
    os.utime(target)
    r.same(*args)  # the image now holds a file written just now
    change_figure(r, target, "= 12", "= 13", True)
    r.check(b"13" in r.same(*args)[1], "a change of the same size and time behind a link is not seen")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edict", required=True)
    edict = os.path.abspath(ap.parse_args().edict)
    with tempfile.TemporaryDirectory(prefix="edict-cache-") as tmp:
        shutil.copytree(os.path.join(ROOT, "rules/kotra"), os.path.join(tmp, "kotra"))
        os.mkdir(os.path.join(tmp, "warned"))
        with open(os.path.join(tmp, "warned/rules.edict"), "w") as f:
            f.write(WARNED)
        with open(os.path.join(tmp, "sme.json"), "w") as f:
            json.dump({"company": {"size": "sme"}}, f)
        r = Runner(edict, tmp, os.path.join(tmp, "cache"))
        compare_kotra(r)
        warned = r.same("eval", "warned", "--facts", "sme.json", "--query", "band")
        r.check(b"warning" in warned[2], "the rule set with warnings gave none")
        stale(r)
        added_and_removed(r)
        linked(r)
        r.check(len(glob.glob(os.path.join(tmp, "cache/*.edc"))) == 3, "the cache folder does not hold three images")
    print("%d compared, %d differ" % (r.compared, r.failed))
    return 1 if r.failed or not r.compared else 0


if __name__ == "__main__":
    sys.exit(main())
