"""serveutil.py - start `edict serve` on a free loopback port for a test,
and talk to it with the standard library's HTTP client."""
import atexit
import http.client
import json
import os
import re
import signal
import subprocess
import time


_started = []


@atexit.register
def kill_leftovers():
    """A test that failed half-way leaves no server running: at exit, and
    after a part of a test that raised."""
    for s in _started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


class Server:
    def __init__(self, edict, args, cwd=None, env=None):
        self.edict, self.args, self.cwd = edict, args, cwd
        self.log = open(os.devnull, "w")
        self.proc = subprocess.Popen([edict, "serve", *args, "--listen", "127.0.0.1:0"], cwd=cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        _started.append(self)
        self.lines = []
        line = self.proc.stderr.readline()
        self.lines.append(line)
        m = re.search(r"on (https?)://[^:]+:(\d+)/", line)
        if not m:
            rest = self.proc.stderr.read()
            raise RuntimeError("edict serve did not start: " + line + rest)
        self.scheme, self.port = m.group(1), int(m.group(2))

    def conn(self, timeout=30, context=None):
        if self.scheme == "https":
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, context=None):
        """(status, headers, body text)"""
        c = self.conn(context=context)
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read().decode("utf-8")
        c.close()
        return r.status, dict(r.getheaders()), data

    def json(self, method, path, body=None, headers=None, context=None):
        status, hdrs, data = self.request(method, path, body, headers, context)
        return status, json.loads(data) if data.strip() else None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        """SIGTERM; the exit status and what it wrote to stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rest = self.proc.stderr.read()
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        return self.proc.returncode, "".join(self.lines) + rest

    def read_line(self):
        line = self.proc.stderr.readline()
        self.lines.append(line)
        return line


# Under the collector's stress mode (a collection at every allocation, with
# the sanitizers) a server is tens of times slower, the more so beside other
# tests: a reload under load once took longer than 20 s there.
SLOWER = 6 if os.environ.get("EDICT_GC_STRESS") else 1


def wait_for(pred, timeout=20, step=0.05, what="a condition"):
    end = time.time() + timeout * SLOWER
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError("timed out waiting for " + what)
