#!/usr/bin/env python3
"""syscalls.py - the start-up cache looks at each rule file once, and
reads no directory while none has changed.

    python3 tests/image/syscalls.py --edict build/edict

A copy of rules/kotra (rule files in two directories, and a README, with
the times of the originals) is evaluated through the start-up cache, once
to write the image and once traced by strace, and the same query from an
image written by `edict compile`.  Checking that the rule files did not
change may cost, over the image, at most one stat-family call for every
rule file and one for every directory, and must read no directory: the
image keeps the time of each directory the load walked, and a file added
or removed there would have changed it.  Then a directory's time is
changed with its files left alone: the cached image, opened once, is
judged by the walk, made once.  Then a rule file is changed: the files
are read after one walk, as without the cache.  `edict compile` opens each
rule file once: the image it writes holds the texts it checked.  Last a
rule file is changed while a load that read it is held (strace delays its
first mkdir, made just before the image is written), keeping its size,
and given a time of its own two seconds past: the image must keep the
time the file had when it was read, so the next load reads the new text.
Exits 77 (skipped) where strace is not installed or cannot trace.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = 77


def strace(cwd, env, args, calls="%%stat"):
    """The calls of one traced run (stat-family by default), its directory
    reads, and its result."""
    log = os.path.join(cwd, "strace.log")
    r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=%s,getdents64" % calls, "-o", log] + args,
                       cwd=cwd, env=env, capture_output=True, timeout=120)
    made, reads = [], []
    if os.path.exists(log):
        with open(log) as f:
            for ln in f:
                (reads if "getdents" in ln else made).append(ln)
        os.remove(log)
    return made, reads, r


def changed_directory(tmp, env, edict, query):
    """A directory whose time changed while its files did not: the cached
    image is judged without a walk, then with one, from one opening of it,
    and the rule directories are read no more than without the cache."""
    os.utime(os.path.join(tmp, "kotra"))
    opens, read, r1 = strace(tmp, env, [edict, "eval", "kotra"] + query, calls="openat")
    _, read_plain, r2 = strace(tmp, env, [edict, "eval", "kotra", "--no-cache"] + query, calls="openat")
    cache = os.path.join(tmp, "cache") + "/"
    images = [ln for ln in opens if cache in ln and ".edc" in ln and "= -1" not in ln]
    print("a directory's time changed: the cached image opened %d time(s); %d directory reads, %d without the cache"
          % (len(images), len(read), len(read_plain)))
    if r1.returncode != 0 or r1.stdout != r2.stdout:
        print("FAIL the runs did not answer alike:\n" + r1.stderr.decode(errors="replace"))
        return False
    if len(images) != 1:
        print("FAIL the cached image is not opened exactly once:\n" + "".join(images))
        return False
    if not read or len(read) > len(read_plain):
        print("FAIL the rule directories are not walked exactly once:\n" + "".join(read))
        return False
    return True


def changed_file(tmp, env, edict, query):
    """A rule file changed: the image is refused and the files are read
    after one walk of their directories, as without the cache."""
    path = os.path.join(tmp, "kotra", "voucher.edict")
    with open(path, "a") as f:
        f.write("\n# a comment added\n")
    _, read, r1 = strace(tmp, env, [edict, "eval", "kotra"] + query, calls="openat")
    _, read_plain, r2 = strace(tmp, env, [edict, "eval", "kotra", "--no-cache"] + query, calls="openat")
    print("a rule file changed: %d directory reads, %d without the cache" % (len(read), len(read_plain)))
    if r1.returncode != 0 or r1.stdout != r2.stdout:
        print("FAIL the runs did not answer alike:\n" + r1.stderr.decode(errors="replace"))
        return False
    if not read or len(read) > len(read_plain):
        print("FAIL the rule directories are walked more than once:\n" + "".join(read))
        return False
    return True


def changed_while_read(tmp, env, edict, query, hold):
    """A rule file changed after a load read it and before it wrote the
    image, with a settled time of its own: the next load through the cache
    answers from the new text.  None when the change came too late or too
    early to say (the held run answered from the new text)."""
    rules = os.path.join(tmp, "held")
    shutil.rmtree(rules, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "rules/kotra"), rules)
    path = os.path.join(rules, "voucher.edict")
    with open(path) as f:
        text = f.read()
    assert "= [sme, midsize]" in text
    held = subprocess.Popen(["strace", "-f", "-qq", "-o", os.devnull, "-e", "trace=mkdir",
                             "-e", "inject=mkdir:delay_exit=%d:when=1" % int(hold * 2e6),
                             edict, "eval", "held"] + query, cwd=tmp, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(hold)
    with open(path, "w") as f:
        f.write(text.replace("= [sme, midsize]", "= [midsize]     "))  # the same size
    past = time.time() - 10
    os.utime(path, (past, past))
    out, err = held.communicate(timeout=120)
    if held.returncode != 0:
        print("FAIL the held run failed:\n" + err.decode(errors="replace"))
        return False
    if b"true" not in out:
        return None
    r1 = subprocess.run([edict, "eval", "held"] + query, cwd=tmp, env=env, capture_output=True)
    r2 = subprocess.run([edict, "eval", "held", "--no-cache"] + query, cwd=tmp, env=env, capture_output=True)
    print("a rule file changed while a load that read it was held: %s through the cache, %s without it"
          % (r1.stdout.decode().strip(), r2.stdout.decode().strip()))
    if r1.returncode != 0 or r1.stdout != r2.stdout or b"false" not in r2.stdout:
        print("FAIL the cache kept the text read before the change:\n" + r1.stderr.decode(errors="replace"))
        return False
    return True


def compile_reads_once(tmp, env, edict, files):
    """edict compile opens each rule file once (the cache off, so that no
    image stands in for a second reading): the texts it writes into the
    image are the texts it checked."""
    off = dict(env, EDICT_CACHE="off")
    opens, _, r = strace(tmp, off, [edict, "compile", "kotra", "-o", "once.edc"], calls="openat")
    rules = [ln for ln in opens if re.search(r'"([^"]*/)?kotra/[^"]*\.edict"', ln) and "= -1" not in ln]
    print("edict compile: %d openings of the %d rule files" % (len(rules), files))
    if r.returncode != 0 or len(rules) != files:
        print("FAIL edict compile does not read each rule file exactly once:\n" + "".join(rules)
              + r.stderr.decode(errors="replace"))
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edict", required=True)
    edict = os.path.abspath(ap.parse_args().edict)
    if not shutil.which("strace"):
        print("strace is not installed: skipped")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="edict-syscalls-") as tmp:
        shutil.copytree(os.path.join(ROOT, "rules/kotra"), os.path.join(tmp, "kotra"))
        facts = os.path.join(ROOT, "examples/companies/cosmetics_sme_exactly_10pct.json")
        query = ["--facts", facts, "--query", "voucher.eligible"]
        # the leak checker of a sanitized build does not run under a tracer
        env = dict(os.environ, EDICT_CACHE=os.path.join(tmp, "cache"),
                   ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
        _, _, r = strace(tmp, env, ["true"])
        if r.returncode != 0:
            print("strace cannot trace here: skipped\n" + r.stderr.decode(errors="replace")[-400:])
            return SKIP
        files = dirs = 0
        for _, _, names in os.walk(os.path.join(tmp, "kotra")):
            dirs += 1
            files += sum(n.endswith(".edict") for n in names)
        subprocess.run([edict, "eval", "kotra"] + query, cwd=tmp, env=env, capture_output=True, check=True)
        subprocess.run([edict, "compile", "kotra", "-o", "kotra.edc"], cwd=tmp, capture_output=True, check=True)
        os.rename(os.path.join(tmp, "kotra.edc"), os.path.join(tmp, "image.edc"))
        cached, read, r1 = strace(tmp, env, [edict, "eval", "kotra"] + query)
        image, _, r2 = strace(tmp, env, [edict, "eval", "image.edc"] + query)
        if r1.returncode != 0 or r2.returncode != 0 or r1.stdout != r2.stdout:
            print("FAIL the traced runs did not answer alike:\n%s%s" % (r1.stderr.decode(errors="replace"),
                                                                      r2.stderr.decode(errors="replace")))
            return 1
        limit = len(image) + files + dirs
        print("%d rule files in %d directories: %d stat-family calls from the cache, %d from the image, at most %d;"
              " %d directory reads" % (files, dirs, len(cached), len(image), limit, len(read)))
        if files < 10 or dirs < 2:
            print("FAIL the copy of rules/kotra has not the files it should")
            return 1
        if len(cached) > limit:
            print("FAIL the cache looks at the rule files more than once:\n" + "".join(cached))
            return 1
        if read:
            print("FAIL the cache reads directories that did not change:\n" + "".join(read))
            return 1
        if not changed_directory(tmp, env, edict, query) or not changed_file(tmp, env, edict, query):
            return 1
        if not compile_reads_once(tmp, env, edict, files):
            return 1
        # the held run must read the rules within the first second (or
        # three, or eight, on a busy machine or under a sanitizer): it says
        # so by its answer
        for hold in (1.0, 3.0, 8.0):
            ok = changed_while_read(tmp, env, edict, query, hold)
            if ok is not None:
                break
            print("the held run read the changed file; holding it longer")
        if not ok:
            if ok is None:
                print("FAIL a run could not be held between its reading and its writing of the image")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
