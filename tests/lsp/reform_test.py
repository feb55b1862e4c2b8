#!/usr/bin/env python3
"""reform_test.py - `edict lsp` on a reform file (`reform NAME`).

A reform among the rule files is not part of the rules, but the editor
shows what `edict check` says about it: a misspelt name in the reform is an
error at its place, with its did-you-mean; once fixed, the file's
diagnostics are empty.  The rules' own files get nothing from the reform.

    reform_test.py EDICT
"""
import os
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
BAD = "reform grant\n\nparam levy_rate : percent = 2%\n\ndecision levy : bool = eligble and levy_rate > 1%\n"


def main():
    tmp = tempfile.mkdtemp(prefix="edict-lsp-reform-")
    root = os.path.join(tmp, "rules")
    shutil.copytree(HERE / "rules", root)
    path = os.path.join(root, "levy.edict")
    with open(path, "w") as f:
        f.write(BAD)
    c = Client(sys.argv[1])
    try:
        c.initialize()
        uri = c.open(path)
        diags = c.wait_diagnostics(uri)["diagnostics"]
        assert len(diags) == 1, diags
        d = diags[0]
        assert d["message"].startswith("unknown name 'eligble'; did you mean 'eligible'?"), d
        assert d["range"]["start"] == {"line": 4, "character": 23}, d["range"]
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                            "contentChanges": [{"text": BAD.replace("eligble", "eligible")}]})
        assert c.wait_diagnostics(uri)["diagnostics"] == []
        assert c.close() == 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
