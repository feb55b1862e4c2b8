#!/usr/bin/env python3
"""`save FILE.json` in the REPL never destroys the previous file.

The REPL is run with a file-size limit (RLIMIT_FSIZE) too small for the new
contents, so the write really fails halfway, as on a full disk.  The old
file must be left exactly as it was, no temporary file may be left behind,
the officer must be told, and the session must go on.  Then, without the
limit, the same save must replace the file with contents that load back.

Usage: save_test.py --edict PATH/TO/edict
"""
import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OLD = '{"as_of": "2026-12-01", "company": {"size": "sme", "us_export_share": "8%"}}\n'


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def repl(edict, work, script, limit=None):
    def preexec():
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([edict, "repl", "rules"], cwd=work, input=script.encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, preexec_fn=preexec, timeout=60).stdout.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    edict = os.path.abspath(ap.parse_args().edict)
    work = tempfile.mkdtemp(prefix="edict-repl-save-")
    try:
        shutil.copytree(os.path.join(HERE, "rules"), os.path.join(work, "rules"))
        shutil.copy(os.path.join(HERE, "busan.json"), work)
        target = os.path.join(work, "company.json")
        with open(target, "w") as f:
            f.write(OLD)

        out = repl(edict, work, "load busan.json\nsave company.json\n1 + 1\n", limit=len(OLD) - 10)
        if "error: cannot save company.json" not in out:
            fail("a failed save was not reported:\n" + out)
        if not out.rstrip().endswith("2"):
            fail("the session did not go on after the failed save:\n" + out)
        if open(target).read() != OLD:
            fail("the previous file was changed by a failed save")
        left = [n for n in os.listdir(work) if n not in ("rules", "busan.json", "company.json")]
        if left:
            fail(f"a failed save left files behind: {left}")
        print("ok   a save that fails halfway leaves the previous file as it was, and nothing else")

        out = repl(edict, work, "load busan.json\nsave company.json\nload company.json\nfacts\n")
        if "saved the current facts to company.json" not in out or "company.region = busan" not in out:
            fail("the save without a limit did not work:\n" + out)
        if '"region": "busan"' not in open(target).read():
            fail("the file does not hold the new facts")
        print("ok   a save that succeeds replaces the file with facts that load back")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
