#!/usr/bin/env python3
"""Drive `edict repl` through a pseudo-terminal, as an officer would.

Checks what only a terminal shows: the prompt and the continuation prompt,
line editing (cursor keys, Ctrl-A), tab completion of commands, decisions,
fact paths and enumeration members (and the list of candidates when there
are several), history kept across sessions in ~/.edict_history, Ctrl-C
stopping a long evaluation and dropping a half-typed line, and Ctrl-D
leaving.  HOME is a temporary directory, so the officer's own history is
never touched.

Usage: pty_test.py --edict PATH/TO/edict
"""
import argparse
import os
import pty
import re
import select
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\x07|\x08")

UP, LEFT, CTRL_A, CTRL_C, CTRL_D, TAB = b"\x1b[A", b"\x1b[D", b"\x01", b"\x03", b"\x04", b"\t"


class Session:
    def __init__(self, edict, home, *paths):
        env = dict(os.environ, HOME=home, TERM="xterm", NO_COLOR="1", COLUMNS="100", LINES="40",
                   LSAN_OPTIONS="suppressions=" + os.path.join(HERE, "lsan.supp"),
                   ASAN_OPTIONS=":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "fast_unwind_on_malloc=0"])))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(HERE)
            os.execve(edict, [edict, "repl", *paths], env)
        self.seen = b""  # everything read so far
        self.mark = 0    # where the current step's output starts

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.seen += data
        return True

    def text(self):
        return ANSI.sub(b"", self.seen[self.mark:]).decode("utf-8", "replace")

    def expect(self, what, timeout=10.0, why=""):
        """Wait until `what` (a regex) appears in the output since the mark."""
        end = time.time() + timeout
        while time.time() < end:
            if re.search(what, self.text()):
                return
            self.read(0.05)
        fail(f"{why or 'waiting'}: expected {what!r}; the terminal shows:\n{self.text()[-1500:]}")

    def send(self, data):
        """Type data.  A new line (Enter) or a control key starts a new
        step: what is expected next is looked for in the output after it."""
        # let the output settle first: libedit may drop keys typed while it
        # sets the terminal up for the next line
        self.settle(0.1)
        if data.startswith(b"\r") or data.endswith(b"\r") or data in (CTRL_C, CTRL_D):
            self.mark = len(self.seen)
        else:
            self.mark = min(self.mark, len(self.seen))
        os.write(self.fd, data)

    def settle(self, quiet=0.3):
        while self.read(quiet):
            pass

    def wait_exit(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            self.read(0.05)
        os.kill(self.pid, signal.SIGKILL)
        fail("the REPL did not leave after Ctrl-D")


failures = 0


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def ok(msg):
    print("ok   " + msg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    edict = os.path.abspath(ap.parse_args().edict)
    home = tempfile.mkdtemp(prefix="edict-repl-pty-")
    try:
        run(edict, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("all terminal checks passed")


def run(edict, home):
    s = Session(edict, home, "rules", "slowness.edict")
    s.expect(r"'help' lists the commands.*\nedict> $", why="the banner and the prompt")
    ok("banner and prompt")

    s.send(b"load company.json\r")
    s.expect(r"loaded company\.json: company; as of 2026-12-01\nedict> $")

    # completion: a command, a decision, a fact path, an enumeration member
    s.send(b"expl" + TAB)
    s.expect(r"explain $", why="completing a command")
    s.send(b"prio" + TAB)
    s.expect(r"explain priority $", why="completing a decision after explain")
    s.send(b"\r")
    s.expect(r"priority = false\n(.|\n)*edict> $")
    ok("completion of commands and decision names")

    s.send(b"company.us_" + TAB)
    s.expect(r"company\.us_export_share $", why="completing a fact path")
    s.send(b"= 12%\r")
    s.expect(r"voucher\.priority: false -> true\n(.|\n)*edict> $")
    s.send(b"comp" + TAB)
    s.expect(r"company\.$", why="a record fact completes to its fields")
    s.send(b"si" + TAB)
    s.expect(r"company\.size $")
    s.send(b"= mid" + TAB)
    s.expect(r"company\.size = midsize $", why="completing an enumeration member")
    s.send(b"\r")
    s.expect(r"edict> $")
    s.send(b"midsize\r")  # a member alone is a value too
    s.expect(r"\nmidsize\nedict> $")
    ok("completion of fact paths and enumeration members")

    # several candidates: the list is shown and the line stays
    s.send(b"why not b" + TAB)
    s.expect(r"band\s+big_award(.|\n)*why not b$", why="listing the candidates")
    s.send(b"ig" + TAB)
    s.expect(r"why not big_award $")
    s.send(b"\r")
    s.expect(r"voucher\.big_award is true\.\nIt would be false if company\.size were large; it is midsize\.\nedict> $")
    ok("candidates listed when several fit; why not through completion")

    # line editing: cursor keys and Ctrl-A
    s.send(b"prority" + LEFT * 5 + b"i\r")
    s.expect(r"\ntrue\nedict> $", why="inserting a letter after moving left")
    s.send(b"ority" + CTRL_A + b"pri\r")
    s.expect(r"\ntrue\nedict> $", why="Ctrl-A then typing at the start")
    ok("line editing")

    # multi-line input while a bracket is open
    s.send(b"[1,\r")
    s.expect(r"\.\.\.> $", why="the continuation prompt")
    s.send(b"2]\r")
    s.expect(r"\[1, 2\]\nedict> $")
    ok("multi-line input")

    # Ctrl-C stops a long evaluation; the session goes on
    s.send(b"slow\r")
    s.settle(0.5)
    t0 = time.time()
    s.send(CTRL_C)
    s.expect(r"interrupted\nedict> $", timeout=5, why="Ctrl-C during an evaluation")
    ok(f"Ctrl-C stopped the evaluation in {time.time() - t0:.2f}s")
    s.send(b"1 + 1\r")
    s.expect(r"\n2\nedict> $")

    # Ctrl-C at the prompt drops the half-typed line
    s.send(b"this is not sent")
    s.settle(0.2)
    s.send(CTRL_C)
    s.expect(r"edict> $")
    s.send(b"1 + 2\r")
    s.expect(r"\n3\nedict> $")
    if "this is not sent" in s.text():
        fail("the half-typed line was sent after Ctrl-C")
    ok("Ctrl-C at the prompt drops the line")

    # history: the up arrow recalls the last line
    s.send(UP)
    s.expect(r"edict> 1 \+ 2$", why="the up arrow")
    s.send(b"\r")
    s.expect(r"\n3\nedict> $")
    ok("history within a session")

    s.send(CTRL_D)
    code = s.wait_exit()
    if code != 0:
        fail(f"Ctrl-D: exit status {code}")
    ok("Ctrl-D leaves with status 0")

    hist = os.path.join(home, ".edict_history")
    if not os.path.exists(hist):
        fail("no ~/.edict_history after the session")
    text = open(hist, encoding="utf-8", errors="replace").read()
    for line in ["load company.json", "explain priority", "1 + 2"]:
        if line.replace(" ", "\\040") not in text and line not in text:
            fail(f"~/.edict_history lacks {line!r}:\n{text}")

    # a new session remembers the last one
    s = Session(edict, home, "rules")
    s.expect(r"edict> $")
    s.send(UP)
    s.expect(r"edict> 1 \+ 2$", why="history from the previous session")
    # the line before it: the screen is redrawn in place, so judge by the result
    s.send(UP + b"\r")
    s.expect(r"\n2\nedict> $", why="and the line before it (1 + 1)")
    s.send(CTRL_D)
    if s.wait_exit() != 0:
        fail("second session: bad exit status")
    ok("history kept across sessions in ~/.edict_history")


if __name__ == "__main__":
    main()
