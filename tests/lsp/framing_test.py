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
body that is not JSON can cost the request after it, never more. A
server that waits for a body it invented, or reads the next request as
part of the refused one, never answers: a watchdog ends it, and the case
fails.

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


def not_json():
    """A refused header and a body that is not JSON: the next request may
    be read as part of it, the one after is answered."""
    name = "a body that is not JSON"
    with session(name) as c:
        c.send_raw(b"Content-Length: x\r\n\r\nhello")
        m = c.read()
        expect(m.get("id") is None and m["error"]["code"] == -32700, "%s: refused" % name)
        c.send({"jsonrpc": "2.0", "id": 2, "method": "no/such"})
        c.send({"jsonrpc": "2.0", "id": 3, "method": "no/such"})
        m = c.wait_response(3)
        expect(m["error"]["code"] == -32601, "%s: the request after the next is answered" % name)


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
    not_json()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
