"""lspclient.py - a small Language Server Protocol client for the tests
and the benchmark of `edict lsp`: starts the server, frames messages,
sends requests and notifications, and collects what comes back."""
import json
import os
import subprocess
import pathlib


class Client:
    def __init__(self, edict, cwd=None):
        self.proc = subprocess.Popen([edict, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 0
        self.notes = []  # notifications and requests from the server, in order

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                if length is not None:
                    break
                continue
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                length = int(v)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait_response(self.next_id)

    def wait_response(self, rid):
        while True:
            m = self.read()
            if m.get("id") == rid and "method" not in m:
                return m
            self.notes.append(m)

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def wait_diagnostics(self, uri):
        """The next diagnostics published for uri (earlier ones kept are used first)."""
        for i, m in enumerate(self.notes):
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                del self.notes[i]
                return m["params"]
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]
            self.notes.append(m)

    def initialize(self, caps=None):
        r = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps or {}})
        self.notify("initialized", {})
        return r

    def open(self, path, text=None):
        path = pathlib.Path(path).resolve()
        uri = path.as_uri()
        if text is None:
            text = path.read_text()
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "edict", "version": 1, "text": text}})
        return uri

    def close(self):
        self.request("shutdown")
        self.notify("exit")
        self.proc.stdin.close()
        return self.proc.wait(timeout=30)
