#!/usr/bin/env python3
"""fault_test.py - `edict serve` under faults: many idle connections, slow
clients, bodies exactly at the limits, and a kill in the middle of reloads.
Nothing may be dropped silently: every request gets a whole reply, or its
client sees the connection fail.

    fault_test.py --edict build/edict --source .
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serveutil import Server  # noqa: E402

failures = []
COMPANY = {"as_of": "2026-12-01", "company": {"size": "sme", "us_export_share": "14%", "voucher_requested": "80000000 KRW"}}


def check(cond, what, detail=""):
    print("ok  " if cond else "FAIL", what, "" if cond else str(detail)[:1500])
    if not cond:
        failures.append(what)


def decide(s, timeout=30):
    return s.json("POST", "/v1/decide", {"facts": COMPANY, "queries": ["voucher.award"]})


def idle_and_slow(a, d):
    s = Server(a.edict, [d, "--threads", "2", "--max-connections", "500", "--request-timeout", "20"])
    try:
        idle = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(200)]
        results = []
        body = json.dumps({"facts": COMPANY, "queries": ["voucher.award"]}).encode()

        def slow_client():
            c = s.conn()
            c.putrequest("POST", "/v1/decide")
            c.putheader("Content-Length", str(len(body)))
            c.endheaders()
            for i in range(0, len(body), 8):
                c.send(body[i:i + 8])
                time.sleep(0.02)
            r = c.getresponse()
            results.append(("slow", r.status, json.loads(r.read())))
            c.close()

        def fast_client():
            for _ in range(10):
                st, r = decide(s)
                results.append(("fast", st, r))
        threads = [threading.Thread(target=slow_client) for _ in range(10)] + [threading.Thread(target=fast_client) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = [x for x in results if x[1] == 200 and x[2]["decisions"]["voucher.award"] == "50000000 KRW"]
        check(len(results) == 60 and len(ok) == 60, "200 idle connections, 10 slow clients: all 60 requests answered",
              [x for x in results if x not in ok][:3])
        for c in idle:
            c.close()
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)


def at_the_limit(a, d):
    s = Server(a.edict, [d, "--max-body", "4096", "--max-batch-body", "8192"])
    try:
        base = json.dumps({"facts": COMPANY})
        exact = base + " " * (4096 - len(base))
        st, r = s.json("POST", "/v1/decide", exact)
        check(st == 200 and len(exact) == 4096, "a body of exactly the limit is taken", r)
        st, r = s.json("POST", "/v1/decide", exact + " ")
        check(st == 413, "one byte more is 413", r)
        line = json.dumps(COMPANY)
        n = 8192 // (len(line) + 1)
        body = (line + "\n") * n
        body += " " * (8192 - len(body))
        st, h, text = s.request("POST", "/v1/batch", body)
        check(st == 200 and len(text.splitlines()) == n, f"a batch of exactly the limit: {n} records", (st, text[:200]))
        st, h, text = s.request("POST", "/v1/batch", body + "\n")
        check(st == 413, "a batch one byte over is 413", st)
        # a line longer than a request may be: its record says so, the rest go on
        long_line = json.dumps({"id": "long", "company": {"name": "x" * 5000}})
        st, h, text = s.request("POST", "/v1/batch?query=voucher.award", line + "\n" + long_line + "\n" + line + "\n")
        recs = [json.loads(x) for x in text.splitlines()]
        check(st == 200 and [r["line"] for r in recs] == [1, 2, 3] and "longer than the limit of 4096" in recs[1]["error"]
              and recs[2]["decisions"]["voucher.award"] == "50000000 KRW",
              "a batch line over the limit gets an error record; the lines after it are evaluated", recs)
        st, h, text = s.request("POST", "/v1/batch?query=voucher.award", line + "\n" + long_line)
        recs = [json.loads(x) for x in text.splitlines()]
        check(st == 200 and [r["line"] for r in recs] == [1, 2] and "longer than" in recs[1]["error"],
              "and a last line over the limit without its newline", recs)
        st, r = decide(s)
        check(st == 200, "served as before")
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)


def kill_during_reload(a, d):
    rules = os.path.join(a.source, "rules", "kotra")
    work = os.path.join(d, "kotra")
    shutil.copytree(rules, work)
    s = Server(a.edict, [work, "--threads", "4"])
    outcomes = []
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                st, r = s.json("POST", "/v1/decide", {"facts": {"company": {"size": "sme"}}, "queries": ["voucher.eligible"]})
                outcomes.append(("reply", st, r))
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                outcomes.append(("failed", type(e).__name__, None))
                if isinstance(e, ConnectionRefusedError):
                    return
            except json.JSONDecodeError as e:
                outcomes.append(("garbled", str(e), None))
    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(6):
        s.signal(signal.SIGHUP)
        time.sleep(0.05 + 0.03 * i)
    s.proc.kill()
    s.proc.wait(10)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    replies = [o for o in outcomes if o[0] == "reply"]
    check(replies and all(o[1] == 200 and o[2]["decisions"]["voucher.eligible"] is True for o in replies),
          f"kill during reloads: {len(replies)} whole replies, each right", [o for o in replies if o[1] != 200][:3])
    check(not [o for o in outcomes if o[0] == "garbled"], "kill during reloads: no reply cut short or garbled")
    check([o for o in outcomes if o[0] == "failed"], "kill during reloads: the clients under way saw the connection fail")
    # a new server on the same files serves at once
    s2 = Server(a.edict, [work])
    try:
        st, r = s2.json("POST", "/v1/decide", {"facts": {"company": {"size": "sme"}}, "queries": ["voucher.eligible"]})
        check(st == 200, "a new server after the kill serves")
    finally:
        code, log = s2.stop()
        check(code == 0, "stops with 0", log)
    # and the graceful way: SIGTERM during reloads answers everything sent
    s3 = Server(a.edict, [work, "--threads", "4"])
    got, sent = [], []

    def client3():
        for _ in range(20):
            sent.append(1)
            try:
                st, r = s3.json("POST", "/v1/decide", {"facts": {"company": {"size": "sme"}}, "queries": ["voucher.eligible"]})
                got.append(st)
            except (ConnectionError, OSError):
                sent.pop()  # refused before it was sent: the drain had closed the door
                return
    ts = [threading.Thread(target=client3) for _ in range(4)]
    for t in ts:
        t.start()
    s3.signal(signal.SIGHUP)
    time.sleep(0.1)
    s3.signal(signal.SIGTERM)
    for t in ts:
        t.join()
    code, log = s3.stop()
    check(code == 0 and len(got) == len(sent) and all(x == 200 for x in got),
          f"SIGTERM during a reload: all {len(got)} requests sent were answered", (code, len(got), len(sent), log[-500:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    a.edict = os.path.abspath(a.edict)
    d = tempfile.mkdtemp(prefix="edict-fault-")
    shutil.copy(os.path.join(a.source, "examples/voucher/voucher.edict"), d)
    try:
        for part in (idle_and_slow, at_the_limit, kill_during_reload):
            print("==", part.__name__)
            part(a, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
