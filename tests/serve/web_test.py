#!/usr/bin/env python3
"""web_test.py - the page of `edict serve` in headless Chromium, driven
through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages ended by NUL bytes on file descriptors 3 and 4; no network).

An officer's path through the page: choose the Dhaka garment maker, see the
voucher award and, folded open, its citation; press "why not" on priority;
change the US export share and see the difference next to the baseline;
change the as-of date and see a dated rule change.  A screenshot of each
step is saved in --out (the build directory) as an artifact.

    web_test.py --edict build/edict --rules rules/kotra --out build/serve-web
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serveutil import Server  # noqa: E402


class Browser:
    def __init__(self, chromium, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def fds():
            # move both ends above 4 first, then to 3 and 4
            a, b = os.dup(to_r), os.dup(from_w)
            a2, b2 = os.dup2(a, 100), os.dup2(b, 101)
            os.dup2(a2, 3)
            os.dup2(b2, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-sync", "--window-size=1280,1000",
             "--user-data-dir=" + profile, "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self.buf:
                chunk = os.read(self.from_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("in the page: " + json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def wait(self, expr, what, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            v = self.js(expr)
            if v:
                return v
            time.sleep(0.1)
        raise AssertionError("timed out waiting for " + what + "; the page shows:\n" +
                             str(self.js("document.body.innerText"))[:3000])

    def screenshot(self, path):
        h = self.js("Math.max(document.documentElement.scrollHeight, 1000)")
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": min(int(h), 4000), "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        print("screenshot", path)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def decision(name):
    return f'document.querySelector(\'#decisions li[data-decision="{name}"]\')'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    a = ap.parse_args()
    if not a.chromium:
        print("chromium is not installed (tests/quickstart.sh test installs it)")
        return 1
    os.makedirs(a.out, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="edict-chromium-")
    site = os.path.join(profile, "site")  # the pages edict doc writes
    subprocess.run([a.edict, "doc", a.rules, "-o", site], check=True, capture_output=True)
    server = Server(a.edict, [a.rules, "--docs", site])
    b = Browser(a.chromium, profile)
    try:
        b.open(f"http://127.0.0.1:{server.port}/")
        b.wait("document.querySelector('#example option[value*=\"dhaka_garment_maker\"]') !== null", "the example menu")
        # choose the Dhaka garment maker
        b.js("""(() => { const s = document.querySelector('#example');
                 s.value = [...s.options].find(o => o.value.includes('dhaka_garment_maker')).value;
                 s.dispatchEvent(new Event('change')); })()""")
        award = decision("voucher.award")
        b.wait(f"{award} && {award}.querySelector('.value').textContent === '40000000 KRW'", "the voucher award of 40000000 KRW")
        assert b.js("document.querySelector('input[data-path=\"company.us_export_share\"]').value") == "22"
        href = b.js(f"{award}.querySelector('a') && {award}.querySelector('a').getAttribute('href')")
        assert href == "/docs/module/voucher.html#award", href
        # its explanation, with the citation
        b.js(f"{award}.querySelector('details.explain').open = true")
        cite = b.wait(f"(() => {{ const c = {award}.querySelector('.cite'); return c && c.textContent; }})()", "the award's citation")
        assert cite.startswith("source: "), cite
        assert "providing up to 50 million KRW per company" in cite, cite
        b.screenshot(os.path.join(a.out, "1-award-and-citation.png"))
        # why not, on priority
        prio = decision("voucher.priority")
        assert b.js(f"{prio}.querySelector('.value').textContent") == "yes"
        b.js(f"{prio}.querySelector('button.whynot').click()")
        answer = b.wait(f"(() => {{ const x = {prio}.querySelector('.answer'); return x && x.textContent; }})()", "the why-not answer")
        assert "It would be false if" in answer and "us_export_share" in answer, answer
        b.screenshot(os.path.join(a.out, "2-why-not-priority.png"))
        # what if the US share were 5%: side by side with the baseline
        b.js("""(() => { const i = document.querySelector('input[data-path="company.us_export_share"]');
                 i.value = '5'; i.dispatchEvent(new Event('input', {bubbles: true})); })()""")
        row = "document.querySelector('#whatif-table tr[data-decision=\"voucher.priority\"]')"
        b.wait(f"{row} !== null", "the what-if row of voucher.priority")
        cells = b.js(f"[...{row}.cells].map(c => c.textContent)")
        assert cells[1] == "yes" and cells[2] == "no", cells
        assert "22% -> 5%" in cells[3], cells
        assert "company.us_export_share" in b.js("document.querySelector('#fact-changes').textContent")
        b.wait(f"{prio}.querySelector('.value').textContent === 'no'", "priority now no")
        b.screenshot(os.path.join(a.out, "3-what-if-us-share.png"))
        # a later date: the EU's EBA transition has ended
        claim = decision("origin.eu.preference_claimable")
        assert b.js(f"{claim}.querySelector('.value').textContent") == "yes"
        b.js("""(() => { const d = document.querySelector('#as-of'); d.value = '2029-12-01';
                 d.dispatchEvent(new Event('change')); })()""")
        b.wait("document.querySelector('#as-of-shown').textContent === 'as of 2029-12-01'", "the new as-of date")
        b.wait(f"{claim}.querySelector('.value').textContent === 'no'", "the EU preference no longer claimable")
        b.wait("document.querySelector('#whatif-table tr[data-decision=\"origin.eu.preference_claimable\"]') !== null",
               "the dated change in the what-if table")
        b.screenshot(os.path.join(a.out, "4-as-of-2029.png"))
        print("web page: award, citation, why-not, what-if and as-of all shown")
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
        code, log = server.stop()
    if code != 0:
        print(log)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
