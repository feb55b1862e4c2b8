"""edictrun.py - a small runner for tests that drive the `edict` command
with generated inputs: tests/limits/limits.py and tests/hostile/hostile.py.

A test is a function registered with @case(name) (or @case(name,
known_bug="ID") for a bug still open, ID naming it in the bug tracker).
It gets a Run, whose .tmp is a fresh directory, and calls run.edict(...),
which runs the command with a time limit and returns a Result: exit code,
stdout, stderr, seconds and peak memory.  Result.expect(...) checks the
exit code and message fragments; any crash (a signal), hang (the time limit)
or sanitizer report fails the test whatever the test expected.

    python3 limits.py --edict build/edict [--known-bugs] [-k NAME] [-v]

Without --known-bugs the cases that pass today run (CTest: limits.cli);
with it only the known-bug cases run, and they fail until fixed.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

CASES = []


def case(name, known_bug=None):
    def register(fn):
        CASES.append((name, known_bug, fn))
        return fn
    return register


class Failure(Exception):
    pass


class Result:
    def __init__(self, args, rc, out, err, seconds, rss_mb):
        self.args, self.rc, self.out, self.err = args, rc, out, err
        self.seconds, self.rss_mb = seconds, rss_mb

    def text(self):
        return (self.out + self.err).decode("utf-8", "replace")

    def describe(self):
        t = self.text()
        if len(t) > 600:
            t = t[:300] + " ... " + t[-300:]
        return "edict %s -> exit %s in %.2f s, %d MB:\n%s" % (
            " ".join(a if len(a) < 60 else a[:57] + "..." for a in
                     (x.decode("utf-8", "replace") if isinstance(x, bytes) else x for x in self.args)), self.rc, self.seconds, self.rss_mb, t)

    def expect(self, rc=None, says=(), not_says=(), stdout=None, max_seconds=None, max_mb=None, max_output=None):
        """Check the outcome; says/not_says are fragments of stdout+stderr."""
        if isinstance(says, str):
            says = (says,)
        if isinstance(not_says, str):
            not_says = (not_says,)
        t = self.text()
        if rc is not None and self.rc != rc:
            raise Failure("expected exit %s\n%s" % (rc, self.describe()))
        for s in says:
            if s not in t:
                raise Failure("expected the output to say %r\n%s" % (s, self.describe()))
        for s in not_says:
            if s in t:
                raise Failure("expected the output not to say %r\n%s" % (s, self.describe()))
        if stdout is not None and self.out.decode("utf-8", "replace") != stdout:
            raise Failure("expected stdout %r\n%s" % (stdout, self.describe()))
        if max_seconds is not None and self.seconds > max_seconds * Run.slow:
            raise Failure("took %.1f s, more than %.1f s\n%s" % (self.seconds, max_seconds * Run.slow, self.describe()))
        if max_mb is not None and self.rss_mb > max_mb * Run.fat:
            raise Failure("used %d MB, more than %d MB\n%s" % (self.rss_mb, max_mb * Run.fat, self.describe()))
        if max_output is not None and len(self.out) + len(self.err) > max_output:
            raise Failure("printed %d bytes, more than %d\n%s" % (len(self.out) + len(self.err), max_output,
                                                                   self.describe()))
        return self


class Run:
    binary = None
    slow = 1.0  # time allowances are multiplied by this (sanitizer builds are slower)
    fat = 1.0   # and memory allowances by this

    def __init__(self, tmp):
        self.tmp = tmp

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write(self, name, data):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        return p

    def edict(self, *args, stdin=None, timeout=120, env=None):
        """Run the command; stdin may be bytes or an open file."""
        out_f = tempfile.TemporaryFile(dir=self.tmp)
        err_f = tempfile.TemporaryFile(dir=self.tmp)
        e = dict(os.environ)
        e["NO_COLOR"] = "1"
        e.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        if env:
            e.update(env)
        in_f = subprocess.DEVNULL
        if isinstance(stdin, (bytes, str)):
            in_f = tempfile.TemporaryFile(dir=self.tmp)
            in_f.write(stdin.encode() if isinstance(stdin, str) else stdin)
            in_f.seek(0)
        elif stdin is not None:
            in_f = stdin
        # /usr/bin/time measures the command's own peak memory (wait4 here
        # would count the pages of this Python process it was forked from)
        rss_file = os.path.join(self.tmp, ".rss")
        cmd = [Run.binary] + list(args)
        if os.access("/usr/bin/time", os.X_OK):
            cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=in_f, stdout=out_f, stderr=err_f, cwd=self.tmp, env=e)
        killed = []

        def kill():
            killed.append(1)
            p.kill()
        timer = threading.Timer(timeout * Run.slow, kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out_f.seek(0)
        err_f.seek(0)
        rss_kb = usage.ru_maxrss
        rc = p.returncode
        try:
            with open(rss_file) as f:
                report = f.read()
            os.unlink(rss_file)
            rss_kb = int(report.split()[-1])
            m = re.search(r"terminated by signal (\d+)", report)
            if m:
                rc = -int(m.group(1))
        except (OSError, ValueError, IndexError):
            pass
        r = Result(list(args), rc, out_f.read(), err_f.read(), seconds, rss_kb // 1024)
        if killed:
            raise Failure("did not finish within %d s (a hang)\n%s" % (timeout * Run.slow, r.describe()))
        if r.rc < 0:
            raise Failure("crashed with signal %s\n%s" % (signal.Signals(-r.rc).name, r.describe()))
        if b"runtime error:" in r.err or b"Sanitizer" in r.err:
            raise Failure("sanitizer report\n%s" % r.describe())
        return r


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--known-bugs", action="store_true", help="run only the cases of bugs still open")
    ap.add_argument("-k", help="run only cases whose name contains this")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args(argv)
    Run.binary = os.path.abspath(a.edict)
    # sanitizer builds: more time and memory
    try:
        with open(Run.binary, "rb") as f:
            if b"__asan_init" in f.read():
                Run.slow, Run.fat = 5.0, 4.0
    except OSError:
        pass
    failed = ran = 0
    for name, bug, fn in CASES:
        if (bug is not None) != a.known_bugs or (a.k and a.k not in name):
            continue
        ran += 1
        tmp = tempfile.mkdtemp(prefix="edict-test-")
        start = time.monotonic()
        try:
            try:
                fn(Run(tmp))
            except OSError as e:
                raise Failure("could not run the test: %s" % e)
            print("ok   %s%s (%.1f s)" % (name, " [%s fixed?]" % bug if bug else "", time.monotonic() - start))
        except Failure as e:
            failed += 1
            print("FAIL %s%s\n     %s" % (name, " [known bug %s]" % bug if bug else "",
                                        str(e).replace("\n", "\n     ")))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        sys.stdout.flush()
    print("%d passed, %d failed" % (ran - failed, failed))
    return 1 if failed else 0
