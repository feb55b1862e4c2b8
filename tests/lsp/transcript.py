#!/usr/bin/env python3
"""transcript.py - a golden JSON-RPC transcript of `edict lsp`.

Runs one scripted session against the rule set in tests/lsp/rules (opened
from a copy, so edits never touch the tree): the lifecycle, diagnostics
after an edit, hover, definition, references, symbols, rename, completion,
semantic tokens, a did-you-mean code action, a test's code lens and its
run, formatting, and malformed messages of every kind.  Every message
exchanged is written, one JSON line each, with the copy's path replaced by
$ROOT, and compared with transcript.golden (UPDATE=1 rewrites it).

    transcript.py EDICT
"""
import json
import os
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


class Recorder(Client):
    def __init__(self, edict, root):
        super().__init__(edict)
        self.lines = []
        self.root = root

    def log(self, way, obj):
        text = json.dumps(obj, sort_keys=True).replace(pathlib.Path(self.root).as_uri(), "$ROOT")
        text = text.replace(str(self.root), "$DIR")  # a path in a message
        self.lines.append(way + " " + text)

    def send(self, msg):
        self.log(">", msg)
        super().send(msg)

    def raw(self, data):
        self.lines.append("> RAW " + json.dumps(data.decode("utf-8", "replace")))
        super().send_raw(data)

    def read(self):
        m = super().read()
        self.log("<", m)
        return m


def main():
    edict = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="edict-lsp-")
    root = os.path.join(tmp, "rules")
    shutil.copytree(HERE / "rules", root)
    try:
        c = Recorder(edict, root)
        run(c, root)
        code = c.close()
        c.lines.append("exit status %d" % code)
    finally:
        shutil.rmtree(tmp)
    got = "\n".join(c.lines) + "\n"
    golden = HERE / "transcript.golden"
    if os.environ.get("UPDATE"):
        golden.write_text(got)
        print("rewrote", golden)
        return 0
    want = golden.read_text()
    if got != want:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "transcript.golden", "got"))
        return 1
    print("transcript: %d messages as expected" % len(c.lines))
    return 0


def run(c, root):
    # before initialize: refused
    c.request("textDocument/hover", {"textDocument": {"uri": "file:///x.edict"}, "position": {"line": 0, "character": 0}})
    c.initialize()
    grant = c.open(os.path.join(root, "grant.edict"))
    c.wait_diagnostics(grant)
    td = {"uri": grant}

    def at(line, ch):
        return {"textDocument": td, "position": {"line": line, "character": ch}}

    c.request("textDocument/hover", at(15, 70))  # priority_share: its dated values
    c.request("textDocument/hover", at(15, 49))  # export_share: a field and its source
    c.request("textDocument/hover", at(21, 10))  # capped: a function
    c.request("textDocument/definition", at(15, 41))  # firm -> facts.edict
    c.request("textDocument/references", dict(at(13, 10), context={"includeDeclaration": True}))
    c.request("textDocument/documentSymbol", {"textDocument": td})
    c.request("workspace/symbol", {"query": "prior"})
    c.request("textDocument/prepareRename", at(13, 10))
    c.request("textDocument/rename", dict(at(13, 10), newName="qualifies"))
    c.request("textDocument/rename", dict(at(13, 10), newName="decision"))
    c.request("textDocument/rename", dict(at(13, 10), newName="priority"))  # taken in the module
    c.request("textDocument/completion", at(15, 45))  # after `firm.`
    c.request("textDocument/semanticTokens/full", {"textDocument": td})
    shapes(c)
    lens = c.request("textDocument/codeLens", {"textDocument": td})
    cmd = lens["result"][0]["command"]
    c.request("workspace/executeCommand", {"command": cmd["command"], "arguments": cmd["arguments"]})
    c.request("textDocument/codeLens", {"textDocument": td})
    # the test made to fail and run again: its lens shows the last result
    text = (HERE / "rules" / "grant.edict").read_text()
    c.notify("textDocument/didChange", {"textDocument": {"uri": grant, "version": 2},
             "contentChanges": [{"text": text.replace("expect award = 500 KRW", "expect award = 400 KRW")}]})
    c.wait_diagnostics(grant)
    c.request("workspace/executeCommand", {"command": cmd["command"], "arguments": cmd["arguments"]})
    c.request("textDocument/codeLens", {"textDocument": td})
    c.notify("textDocument/didChange", {"textDocument": {"uri": grant, "version": 3}, "contentChanges": [{"text": text}]})
    c.wait_diagnostics(grant)
    # an edit with a misspelt field: the diagnostic, then its fix
    c.notify("textDocument/didChange", {"textDocument": {"uri": grant, "version": 4}, "contentChanges": [
        {"range": {"start": {"line": 15, "character": 45}, "end": {"line": 15, "character": 57}}, "text": "export_shar"}]})
    c.wait_diagnostics(grant)
    c.request("textDocument/codeAction", {"textDocument": td, "range": {"start": {"line": 15, "character": 0},
              "end": {"line": 15, "character": 0}}, "context": {"diagnostics": []}})
    # a syntax error: the rest still answers
    c.notify("textDocument/didChange", {"textDocument": {"uri": grant, "version": 5}, "contentChanges": [
        {"range": {"start": {"line": 13, "character": 0}, "end": {"line": 13, "character": 0}}, "text": "decision broken : bool = = 1\n"}]})
    c.wait_diagnostics(grant)
    c.request("textDocument/hover", at(19, 10))
    c.request("textDocument/formatting", {"textDocument": td, "options": {"tabSize": 2, "insertSpaces": True}})
    # the whole text replaced, laid out badly: formatting lays it out
    text = (HERE / "rules" / "grant.edict").read_text().replace("  default capped", "      default   capped")
    c.notify("textDocument/didChange", {"textDocument": {"uri": grant, "version": 6}, "contentChanges": [{"text": text}]})
    c.wait_diagnostics(grant)
    c.request("textDocument/formatting", {"textDocument": td, "options": {"tabSize": 2, "insertSpaces": True}})
    # malformed messages
    c.raw(b"Content-Length: 11\r\n\r\n{\"jsonrpc\":")
    c.read()
    c.raw(b"Content-Length: nine\r\n\r\n")
    c.read()
    c.raw(b"Content-Type: x\r\n\r\n")
    c.read()
    # a body over the limit (24 MiB) is read past, not kept
    big = 24 * 1024 * 1024 + 1
    c.lines.append("> RAW a body of %d bytes" % big)
    Client.send_raw(c, b"Content-Length: %d\r\n\r\n" % big + b" " * big)
    c.read()
    c.raw(b"Content-Length: 2\r\n\r\n[]")
    c.read()
    for body in (b"5", b"null", b"true"):  # JSON, but not an object
        c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        c.read()
    # an id that cannot come back as it was sent
    body = b'{"jsonrpc":"2.0","id":1000000000000000000000000000000,"method":"x"}'
    c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    c.read()
    # "shutdown" with a NUL after it is not shutdown; bytes that are not
    # UTF-8 in an unknown method's name do not come back as they are
    for body in (b'{"jsonrpc":"2.0","id":"nul","method":"shutdown\\u0000x"}', b'{"jsonrpc":"2.0","id":"bad","method":"\xff\xfe"}'):
        c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        c.read()
    # more header lines than allowed, Content-Length last: refused, and
    # the next request is answered
    body = b'{"jsonrpc":"2.0","id":"many","method":"x"}'
    c.raw(b"X-N: 1\r\n" * 33 + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    c.read()
    c.request("no/such/method", {})
    c.request("textDocument/hover", {"textDocument": 7})
    c.request("workspace/executeCommand", {"command": "rm -rf"})
    # facts.edict changed on disk (not open): its fields are read again
    facts = pathlib.Path(root) / "facts.edict"
    facts.write_text(facts.read_text().replace("request :", "requested :"))
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": facts.as_uri(), "type": 2}]})
    c.wait_diagnostics(grant)
    c.notify("textDocument/didClose", {"textDocument": td})
    c.wait_diagnostics(grant)


# A document of its own (untitled: no rule directory): the members and
# fields of its declarations are their children among its symbols, and
# tokens after text beyond ASCII on a line are counted in UTF-16 units.
SHAPES = """module shapes

enum colour = red | green | blue

record box {
  label : string
  colour : colour
}

decision names : list of string = ["größe", "🎉", "ü", "x"] # ✓ then more
"""


def shapes(c):
    uri = "untitled:shapes.edict"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "edict", "version": 1, "text": SHAPES}})
    c.wait_diagnostics(uri)
    c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    c.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
    # red -> green: taken in the enumeration; label -> colour: taken in the record
    c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 15}, "newName": "green"})
    c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 3}, "newName": "colour"})
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


if __name__ == "__main__":
    sys.exit(main())
