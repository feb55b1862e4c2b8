#!/usr/bin/env python3
"""framing_test.py - `edict lsp` reads on after a message it cannot frame.

Each case starts a server, sends one message with a malformed header (a
Content-Length with junk after the number, none, negative, over the
limit, no such header) or with unusual line breaks (LF alone, CR alone,
mixed), waits for the answer to it, then sends a well-formed request and
waits for that one's answer. A refused message is answered with a
JSON-RPC parse error (-32700) whose id is null; its body is skipped,
even one that holds the words of a header inside a string. Line breaks
of LF alone or CR alone are read as CR LF. After a refused header, a
body that is not JSON (text, a value cut short, a string broken by a line
break, text running straight into the next header) costs nothing more:
the server reads on from the next Content-Length header, and the request
after it is answered. A server that waits for a body it invented, or
reads the next request as part of the refused one, never answers: a
watchdog ends it, and the case fails.

    framing_test.py EDICT
"""
import contextlib
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

WATCHDOG = 20  # seconds a case may take; each needs milliseconds
LSP_MAX_MESSAGE = 24 << 20  # bytes a message may hold (cli/lsp.h)
failed = 0


def expect(cond, what):
    global failed
    print(("ok - " if cond else "FAIL - ") + what)
    failed += not cond


def body(rid, params=None):
    msg = {"jsonrpc": "2.0", "id": rid, "method": "no/such"}
    if params is not None:
        msg["params"] = params
    return json.dumps(msg).encode()


B = body(1)
# a body that looks like a header inside its strings, braces included
TRICKY = body(1, {"text": "}] Content-Length: 5\r\n\r\n{", "quote": "\\\"", "list": [[{}]]})
REFUSED = [
    ("junk after the number", b"Content-Length: 12abc\r\n\r\n" + B, "not a number"),
    ("no number", b"Content-Length:\r\n\r\n" + B, "not a number"),
    ("blanks for a number", b"Content-Length:   \r\n\r\n" + B, "not a number"),
    ("a negative number", b"Content-Length: -5\r\n\r\n" + B, "not a number"),
    ("a number and another", b"Content-Length: 5 5\r\n\r\n" + B, "not a number"),
    ("a length over the limit", b"Content-Length: 99999999999\r\n\r\n" + B, "longer than the limit"),
    ("a length of 30 digits", b"Content-Length: " + b"9" * 30 + b"\r\n\r\n" + B, "longer than the limit"),
    ("no Content-Length", b"Content-Type: x\r\n\r\n" + B, "no Content-Length header"),
    ("a header in a string of the body", b"Content-Length: x\r\n\r\n" + TRICKY, "not a number"),
    ("a refused header with no body", b"Content-Length: x\r\n\r\n", "not a number"),
]
# bodies that are not JSON after a refused header: the request after them
# (sent once the refusal is read, straight after the body) is answered
NOT_JSON = [
    ("text", b"hello"),
    ("a line of text", b"hello\r\n"),
    ("lines of text and a blank one", b"line one\r\n\r\nline three\r\n"),
    ("an object cut short", b"{broken"),
    ("a list cut short over lines", b"[1,\r\n 2,\r\n"),
    ("a string broken by a line break", b'{"text": "cut\r\n'),
    ("a value and text after it", b'{"a": 1} and more'),
    ("text holding a header of its own", b"x\r\ncontent-length: y\r\n\r\nz"),
    ("a line that reads like a header", b"Note: not JSON\r\n"),
]
REFUSED += [("a body of " + name, b"Content-Length: x\r\n\r\n" + raw, "not a number") for name, raw in NOT_JSON]
ACCEPTED = [
    ("LF alone", b"Content-Length: %d\n\n" % len(B) + B),
    ("CR alone", b"Content-Length: %d\r\r" % len(B) + B),
    ("CR alone, two header lines", b"Content-Type: application/vscode-jsonrpc\rContent-Length: %d\r\r" % len(B) + B),
    ("CR LF, then LF alone", b"Content-Length: %d\r\n\n" % len(B) + B),
    ("LF alone, then CR LF", b"Content-Length: %d\n\r\n" % len(B) + B),
    ("CR LF, then CR alone", b"Content-Length: %d\r\n\r" % len(B) + B),
]


@contextlib.contextmanager
def session(name):
    """An initialized server, ended by a watchdog if it stops answering."""
    c = Client(sys.argv[1])
    dog = threading.Timer(WATCHDOG, c.proc.kill)
    dog.start()
    try:
        c.initialize()
        yield c
    except (EOFError, ValueError, KeyError) as e:
        expect(False, "%s: the server stopped answering (%r)" % (name, e))
    finally:
        dog.cancel()
        c.proc.kill()
        c.proc.wait()


def run(name, raw, check):
    """Send raw, check its answer, then a well-formed request's."""
    with session(name) as c:
        c.send_raw(raw)
        check(c.read())
        m = c.request("no/such")
        expect(m.get("id") == c.next_id and m["error"]["code"] == -32601,
               "%s: the next request is answered" % name)
        expect(c.close() == 0, "%s: the server exits with 0" % name)


def refused_then(name, junk, extra, check):
    """A refused header and junk after it, then extra; check reads on."""
    with session(name) as c:
        c.send_raw(b"Content-Length: x\r\n\r\n" + junk + extra)
        m = c.read()
        expect(m.get("id") is None and m["error"]["code"] == -32700, "%s: refused" % name)
        check(c)


def lower_case_header():
    """The header after a body that is not JSON, in other letters."""
    name = "a body that is not JSON, then content-length in small letters"

    def check(c):
        m = c.wait_response(7)
        expect(m["error"]["code"] == -32601, "%s: the message after it is answered" % name)
    refused_then(name, b"hello", b"content-length: %d\r\n\r\n" % len(body(7)) + body(7), check)


def no_length_after():
    """A refused header with no body, then a message with no
    Content-Length: that one is refused in its turn, not passed over."""
    name = "a refused header, then a message with no Content-Length"

    def check(c):
        m = c.read()
        expect(m.get("id") is None and "no Content-Length header" in m["error"]["message"],
               "%s: the second is refused" % name)
        m = c.request("no/such")
        expect(m["error"]["code"] == -32601, "%s: the next request is answered" % name)
    refused_then(name, b"", b"Content-Type: x\r\n\r\n", check)


def junk_over_the_limit():
    """More junk than a message may hold: the server reads no more of it
    than the limit looking for a header, then reads on (the request run
    into the junk's last line is lost with it) and answers the next."""
    name = "junk over the message limit"

    def check(c):
        c.send({"jsonrpc": "2.0", "id": 2, "method": "no/such"})
        c.send({"jsonrpc": "2.0", "id": 3, "method": "no/such"})
        m = c.wait_response(3)
        expect(m["error"]["code"] == -32601, "%s: the request after the next is answered" % name)
        expect(any(n.get("id") is None and "header is too long" in n["error"]["message"] for n in c.notes),
               "%s: the rest of its last line is read as a header, and refused" % name)
    refused_then(name, b"x" * (LSP_MAX_MESSAGE + (1 << 20)), b"", check)


def main():
    for name, raw, why in REFUSED:
        def refused(m, name=name, why=why):
            expect(m.get("id") is None and m["error"]["code"] == -32700 and why in m["error"]["message"],
                   "%s: refused, '%s'" % (name, why))
        run(name, raw, refused)
    for name, raw in ACCEPTED:
        def answered(m, name=name):
            expect(m.get("id") == 1 and m["error"]["code"] == -32601, "%s: read and answered" % name)
        run(name, raw, answered)
    lower_case_header()
    no_length_after()
    junk_over_the_limit()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
