#!/usr/bin/env python3
"""line_ends_test.py - `edict lsp` places things alike whatever ends the lines.

The language server protocol counts a CR alone, an LF alone and CR LF each
as one line end, as `edict check` does.  The same small module is opened
three times, its lines ended each way: its one error must be published at
the same line and character, and its comments highlighted as the same
tokens (a comment ends at its line's end, not at the next LF), each time.

    line_ends_test.py EDICT
"""
import os
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
LINES = [
    "# levy.edict - a levy, to place things by.",
    "module levy",
    "",
    "# The rate.",
    "decision levy : bool = eligble",
]


def comments(data, ctype):
    """The (line, character, length) of the comment tokens in encoded data."""
    out, line, ch = [], 0, 0
    for i in range(0, len(data), 5):
        dl, dc, n, t = data[i:i + 4]
        line, ch = line + dl, (ch + dc if dl == 0 else dc)
        if t == ctype:
            out.append((line, ch, n))
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="edict-lsp-eol-")
    root = os.path.join(tmp, "rules")
    shutil.copytree(HERE / "rules", root)
    path = os.path.join(root, "levy.edict")
    c = Client(sys.argv[1])
    failed = 0
    try:
        init = c.initialize()
        legend = init["result"]["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"]
        ctype = legend.index("comment")
        seen = {}
        for name, eol in (("LF", "\n"), ("CR LF", "\r\n"), ("CR", "\r")):
            text = eol.join(LINES) + eol
            with open(path, "w", newline="") as f:
                f.write(text)
            uri = c.open(path, text)
            diags = c.wait_diagnostics(uri)["diagnostics"]
            toks = c.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})["result"]["data"]
            c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            c.wait_diagnostics(uri)
            got = ([d["range"] for d in diags], comments(toks, ctype))
            seen[name] = got
            print("%s: errors at %s, comments %s" % (name, got[0], got[1]))
        want_error = {"start": {"line": 4, "character": 23}, "end": {"line": 4, "character": 30}}
        want_comments = [(0, 0, len(LINES[0])), (3, 0, len(LINES[3]))]
        for name, (ranges, comms) in seen.items():
            ok = ranges == [want_error] and comms == want_comments
            print(("ok - " if ok else "FAIL - ") + "lines ended by " + name)
            failed += not ok
        assert c.close() == 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
