#!/usr/bin/env python3
"""limits_test.py - the limits of `edict lsp`'s input, just under and just over.

A header line of 1024 bytes (LSP_MAX_HEADER) and 32 header lines
(LSP_MAX_HEADERS) are read, one byte or line more is refused; a body of
24 MiB (LSP_MAX_MESSAGE) is read, one byte more is refused (and skipped:
the next message is answered); a document of 8 MiB (LOAD_MAX_FILE_BYTES)
is opened, one byte more is refused with a message to the person.

    limits_test.py EDICT
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

MAX_HEADER = 1024
MAX_HEADERS = 32
MAX_MESSAGE = 24 << 20
MAX_FILE = 8 << 20
failed = 0


def expect(cond, what):
    global failed
    print(("ok - " if cond else "FAIL - ") + what)
    failed += not cond


def frame(body, headers=()):
    h = b"".join(x + b"\r\n" for x in headers)
    return b"Content-Length: %d\r\n" % len(body) + h + b"\r\n" + body


def probe(c, rid, headers=(), pad=0):
    """A request for an unknown method, with extra headers and padding."""
    body = json.dumps({"jsonrpc": "2.0", "id": rid, "method": "no/such"}).encode()
    c.send_raw(frame(body + b" " * pad, headers))
    return c.read()


def main():
    c = Client(sys.argv[1])
    c.initialize()
    line = b"X-Pad: " + b"a" * (MAX_HEADER - 7)
    m = probe(c, 1, [line])
    expect(m.get("id") == 1 and m["error"]["code"] == -32601, "a header line of %d bytes is read" % len(line))
    m = probe(c, 2, [line + b"a"])
    expect(m.get("id") is None and "header is too long" in m["error"]["message"], "one byte more is refused")
    m = probe(c, 3, [b"X-N: 1"] * (MAX_HEADERS - 1))
    expect(m.get("id") == 3, "%d header lines are read" % MAX_HEADERS)
    m = probe(c, 4, [b"X-N: 1"] * MAX_HEADERS)
    expect(m.get("id") is None and "too long" in m["error"]["message"], "one line more is refused")
    base = len(json.dumps({"jsonrpc": "2.0", "id": 5, "method": "no/such"}))
    m = probe(c, 5, pad=MAX_MESSAGE - base)
    expect(m.get("id") == 5, "a body of %d bytes is read" % MAX_MESSAGE)
    m = probe(c, 6, pad=MAX_MESSAGE - base + 1)
    expect(m.get("id") is None and "longer than the limit" in m["error"]["message"], "one byte more is refused")
    m = probe(c, 7)
    expect(m.get("id") == 7, "and the next message is answered")
    for size, ok in ((MAX_FILE, True), (MAX_FILE + 1, False)):
        text = ("# " + "x" * 97 + "\n") * (size // 100)
        text += "#" * (size - len(text))
        uri = "untitled:big%d" % size
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "edict", "version": 1, "text": text}})
        m = c.read()
        if ok:
            expect(m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
                   "a document of %d bytes is opened and checked" % size)
        else:
            expect(m.get("method") == "window/showMessage" and "larger than the limit" in m["params"]["message"],
                   "one byte more is refused, with a message")
    code = c.close()
    expect(code == 0, "the server exits with 0 after shutdown and exit")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
