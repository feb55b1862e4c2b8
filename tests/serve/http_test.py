#!/usr/bin/env python3
"""http_test.py - `edict serve` through real HTTP on loopback: every
endpoint, every error status, reload while requests run, a broken reload,
SIGTERM drain, the limits, the token, TLS and the decision log.

    http_test.py --edict build/edict --source .   (the top of the source tree)

Each part starts its own server on a free port, in a scratch directory that
holds copies of the rules it uses.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serveutil import SLOWER, Server, kill_leftovers, wait_for  # noqa: E402

A = None  # the arguments
failures = []

SLOW = """module slow

# about a million steps for every 10000 of rounds: a decision that takes a while
fact job {
  rounds : int
}

decision busy : int = sum(count(j for j in range(1, 40) where j > i - i / 7 * 7) for i in range(1, job.rounds))
"""


def check(cond, what, detail=""):
    if not cond:
        failures.append(what)
        print("FAIL", what, str(detail)[:2000])
    else:
        print("ok  ", what)


def scratch(with_slow=False):
    d = tempfile.mkdtemp(prefix="edict-serve-")
    shutil.copy(os.path.join(A.source, "examples/voucher/voucher.edict"), d)
    if with_slow:
        with open(os.path.join(d, "slow.edict"), "w") as f:
            f.write(SLOW)
    return d


COMPANY = {"as_of": "2026-12-01", "company": {"size": "sme", "us_export_share": "14%", "voucher_requested": "80000000 KRW"}}


def endpoints():
    d = scratch()
    s = Server(A.edict, [d, "--log", os.path.join(d, "decisions.ndjson")])
    try:
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY})
        check(st == 200 and r["decisions"]["voucher.award"] == "50000000 KRW" and r["decisions"]["voucher.priority"] is True,
              "decide: every public decision", r)
        check(re.fullmatch(r"sha256:[0-9a-f]{64}", r["ruleset"]["hash"]) and r["ruleset"]["name"] == os.path.basename(d),
              "decide: the rule set's name and hash", r["ruleset"])
        out = subprocess.run([A.edict, "check", d], capture_output=True, text=True)
        check(r["ruleset"]["hash"] in out.stdout, "decide: the hash is the one edict check prints", out.stdout)
        evaljson = subprocess.run([A.edict, "eval", d, "--facts", "-", "--json"], input=json.dumps(COMPANY),
                                  capture_output=True, text=True).stdout
        mine = dict(r)
        del mine["ruleset"]
        check(json.loads(evaljson) == mine, "decide: the same object as edict eval --json", evaljson)
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY, "queries": ["voucher.award", "voucher.disbursement"], "explain": True})
        evaljson = subprocess.run([A.edict, "eval", d, "--facts", "-", "--json", "--explain", "--query", "voucher.award",
                                   "--query", "voucher.disbursement"], input=json.dumps(COMPANY), capture_output=True, text=True).stdout
        mine = dict(r)
        del mine["ruleset"]
        check(json.loads(evaljson) == mine, "decide with explain: the same object as edict eval --json --explain", (evaljson, mine))
        st, r = s.json("POST", "/v1/decide", {"facts": {"company": {"size": "sme"}}, "queries": ["voucher.award", "award > 0 KRW"],
                                              "as_of": "2026-06-01", "explain": True})
        check(st == 200 and r["as_of"] == "2026-06-01" and r["decisions"]["voucher.award"] is None
              and r["missing"]["voucher.award"] == ["company.voucher_requested"]
              and r["explanations"]["voucher.award"]["decision"] == "voucher.award", "decide: queries, as_of, explain, missing", r)
        # batch: NDJSON in and out, the records of edict batch
        lines = [json.dumps(COMPANY), "", json.dumps({"id": "C-2", "company": {"size": "large"}}),
                 '{"id": 3, "company": {"size": "tiny"}}', "{not json"]
        body = "\n".join(lines) + "\n"
        st, h, text = s.request("POST", "/v1/batch?query=voucher.award&query=voucher.priority&as_of=2026-12-01", body)
        got = [json.loads(x) for x in text.splitlines()]
        want = subprocess.run([A.edict, "batch", d, "--query", "voucher.award", "--query", "voucher.priority", "--as-of", "2026-12-01"],
                              input=body, capture_output=True, text=True).stdout
        check(st == 200 and h.get("Content-Type") == "application/x-ndjson" and got == [json.loads(x) for x in want.splitlines()],
              "batch: the records edict batch writes", (text, want))
        # why not, what if
        st, r = s.json("POST", "/v1/whynot", {"facts": {"company": {"size": "sme", "us_export_share": "8%"}}, "decision": "priority"})
        check(st == 200 and r["decision"] == "voucher.priority" and r["value"] is False
              and "It would be true if company.us_export_share were 10% or more; it is 8%." in r["answer"], "whynot", r)
        st, r = s.json("POST", "/v1/whatif", {"facts": COMPANY, "changes": {"company.us_export_share": "8%"}})
        ch = {c["decision"]: c for c in r.get("changes", [])}
        check(st == 200 and ch["voucher.priority"]["before"] is True and ch["voucher.priority"]["after"] is False
              and "company.us_export_share: 14% -> 8%" in ch["voucher.priority"]["reasons"], "whatif: a change", r)
        st, r = s.json("POST", "/v1/whatif", {"before": {"facts": COMPANY}, "after": {"facts": {"company": {"size": "large"}}, "as_of": "2026-12-01"}})
        ch = {c["decision"]: c for c in r.get("changes", [])}
        check(st == 200 and ch["voucher.eligible"]["after"] is False and ch["voucher.award"]["after"] == "0 KRW", "whatif: two cases", r)
        # schema, openapi
        st, sch = s.json("GET", "/v1/schema")
        names = [x["name"] for x in sch["decisions"]]
        check(st == 200 and "voucher.award" in names and sch["facts"]["$defs"]["voucher.company"]["properties"]["size"]["enum"][:3]
              == ["sme", "midsize", "large"], "schema: facts and decisions", sch)
        validate_schema(sch["facts"], [COMPANY, {"company": {"size": "sme", "us_export_share": None}}],
                        [{"company": {"size": "tiny"}}, {"company": {"us_export_share": 14}}, {"companie": {}}])
        st, oa = s.json("GET", "/openapi.json")
        check(st == 200, "openapi: served")
        validate_openapi(oa, [COMPANY])
        # health, readiness, metrics, the page, 404 and 405
        st, r = s.json("GET", "/healthz")
        check(st == 200 and r == {"status": "ok"}, "healthz", r)
        st, r = s.json("GET", "/readyz")
        check(st == 200 and r["status"] == "ready" and "reload_error" not in r, "readyz", r)
        st, h, page = s.request("GET", "/")
        check(st == 200 and h["Content-Type"].startswith("text/html") and "/app.js" in page, "the web page at /")
        st, h, js = s.request("GET", "/app.js")
        check(st == 200 and "text/javascript" in h["Content-Type"] and "/v1/decide" in js, "the page's script")
        st, ex = s.json("GET", "/v1/examples")
        check(st == 200 and any("dhaka_garment_maker" in e["url"] for e in ex["companies"]) and ex["products"], "examples", ex)
        st, doc = s.json("GET", ex["companies"][0]["url"])
        check(st == 200 and "company" in doc, "an example case")
        st, h, _ = s.request("HEAD", "/healthz")
        check(st == 200, "HEAD")
        st, r = s.json("GET", "/nowhere")
        check(st == 404 and r["error"]["status"] == 404, "404", r)
        st, h, text = s.request("GET", "/v1/decide")
        check(st == 405 and h.get("Allow") == "POST", "405 with Allow", (st, h))
        st, h, text = s.request("POST", "/healthz", "{}")
        check(st == 405 and "GET" in h.get("Allow", ""), "405 on a GET endpoint", (st, h))
        st, h, _ = s.request("GET", "/docs/")
        check(st == 404, "no /docs without --docs")
        # X-Request-Id: given back, and in the decision log
        st, h, _ = s.request("POST", "/v1/decide", json.dumps({"facts": COMPANY}), {"X-Request-Id": "req-42"})
        check(h.get("X-Request-Id") == "req-42", "the request id comes back", h)
        st, h, metrics = s.request("GET", "/metrics")
        check(st == 200 and h["Content-Type"].startswith("text/plain"), "metrics served")
        validate_metrics(metrics, sch["ruleset"]["hash"])
    finally:
        code, log = s.stop()
    check(code == 0, "stops with 0 on SIGTERM", log)
    recs = [json.loads(x) for x in open(os.path.join(d, "decisions.ndjson"))]
    tagged = [r for r in recs if r["request_id"] == "req-42"]
    check(len(tagged) == 1 and tagged[0]["endpoint"] == "decide" and tagged[0]["ruleset"].startswith("sha256:")
          and re.fullmatch(r"[0-9a-f]{64}", tagged[0]["facts_sha256"]) and tagged[0]["result"]["decisions"]["voucher.award"] == "50000000 KRW",
          "decision log: the record of a request", tagged)
    check(sum(r["endpoint"] == "batch" for r in recs) == 2, "decision log: a record per batch line evaluated",
          [r["endpoint"] for r in recs])
    shutil.rmtree(d)


def validate_schema(schema, good, bad):
    try:
        import jsonschema
    except ImportError:
        check(False, "python3-jsonschema is installed (tests/quickstart.sh test installs it)")
        return
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for doc in good:
        errs = list(v.iter_errors(doc))
        check(not errs, "schema: a valid document passes", [e.message for e in errs])
    for doc in bad:
        check(list(v.iter_errors(doc)), "schema: a bad document fails", doc)
    # the schema says what the service does: every example case fits both
    for group in ("companies", "products"):
        for f in sorted(os.listdir(os.path.join(A.source, "examples", group))):
            pass


def resolve_pointer(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def validate_openapi(oa, good_facts):
    """OpenAPI 3.1's structure, checked here: the fields the specification
    requires, operations with responses, every $ref resolving, schemas that
    are valid JSON Schema 2020-12."""
    check(re.fullmatch(r"3\.1\.\d+", oa.get("openapi", "")), "openapi: version 3.1")
    check(isinstance(oa.get("info"), dict) and oa["info"].get("title") and oa["info"].get("version"), "openapi: info")
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    paths = oa.get("paths", {})
    want = {"/v1/decide", "/v1/batch", "/v1/whynot", "/v1/whatif", "/v1/schema", "/openapi.json", "/healthz", "/readyz", "/metrics"}
    check(want <= set(paths), "openapi: every endpoint", sorted(paths))
    ids = set()
    for p, item in paths.items():
        check(p.startswith("/"), "openapi: path " + p)
        for m, op in item.items():
            check(m in methods, "openapi: method " + m)
            check(isinstance(op.get("responses"), dict) and op["responses"], f"openapi: {m} {p} has responses")
            for code, resp in op["responses"].items():
                check(re.fullmatch(r"[1-5]\d\d|default", code) and ("description" in resp or "$ref" in resp),
                      f"openapi: {m} {p} {code}")
            check(op.get("operationId") not in ids, "openapi: unique operationId")
            ids.add(op.get("operationId"))
    refs = []

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("$ref"), str):
                refs.append(x["$ref"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(oa)
    bad = []
    for r in refs:
        try:
            resolve_pointer(oa, r)
        except (KeyError, IndexError):
            bad.append(r)
    check(refs and not bad, f"openapi: all {len(refs)} $refs resolve", bad)
    try:
        import jsonschema
        from referencing import Registry, Resource
    except ImportError:
        try:
            import jsonschema
            Registry = None
        except ImportError:
            return
    for name, sch in oa["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(sch)
    check(True, "openapi: every component schema is valid JSON Schema 2020-12")
    # a request checked against the document's own DecideRequest schema
    root = dict(oa)
    root["$ref"] = "#/components/schemas/DecideRequest"
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    for k in ("openapi", "info", "paths", "security"):
        root.pop(k, None)
    v = jsonschema.Draft202012Validator(root)
    for f in good_facts:
        errs = list(v.iter_errors({"facts": f, "queries": ["voucher.award"]}))
        check(not errs, "openapi: a decide request fits DecideRequest", [e.message for e in errs])
    check(list(v.iter_errors({"facts": {"company": {"size": "tiny"}}})), "openapi: a bad request does not fit DecideRequest")


def validate_metrics(text, hash_):
    line_re = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+Inf]+$')
    bad = [l for l in text.splitlines() if l and not l.startswith("#") and not line_re.match(l)]
    check(not bad, "metrics: Prometheus text format", bad[:5])
    check('edict_http_requests_total{endpoint="/v1/decide",status="200"}' in text, "metrics: requests by endpoint and status")
    check('edict_http_requests_total{endpoint="/nowhere"' not in text and 'endpoint="other",status="404"' in text,
          "metrics: unknown paths counted together")
    check(re.search(r'edict_http_request_duration_seconds_bucket\{endpoint="/v1/decide",status="200",le="\+Inf"\} \d+', text),
          "metrics: a latency histogram")
    check(re.search(r"^edict_evaluations_total [1-9]", text, re.M), "metrics: evaluations")
    check(f'hash="{hash_}"' in text, "metrics: the rule set's hash")
    check("edict_reloads_total" in text and "edict_decision_log_dropped_total 0" in text, "metrics: reloads, log drops")


def errors():
    d = scratch(with_slow=True)
    s = Server(A.edict, [d, "--max-body", "2000", "--max-steps", "2000000", "--timeout-ms", "60000"])
    t = Server(A.edict, [d, "--max-steps", "100000000000", "--timeout-ms", "50"])
    m = Server(A.edict, [d, "--max-steps", "100000000000", "--max-memory", "65536", "--timeout-ms", "60000"])
    try:
        st, r = s.json("POST", "/v1/decide", '{"facts": {"company": ')
        check(st == 400 and r["error"]["kind"] == "json" and "invalid JSON" in r["error"]["message"], "400 malformed JSON", r)
        st, r = s.json("POST", "/v1/decide", '{"facts": {}, "facts": {}}')
        check(st == 400, "400 a repeated key (as edict eval refuses it)", r)
        st, r = s.json("POST", "/v1/decide", '[1, 2]')
        check(st == 400 and "JSON object" in r["error"]["message"], "400 not an object", r)
        st, r = s.json("POST", "/v1/decide", {"fact": {}})
        check(st == 400 and 'did you mean "facts"' in r["error"]["message"], "400 an unknown member, with a suggestion", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {}, "queries": ["voucher.awrd"]})
        check(st == 400 and r["error"]["kind"] == "query" and "award" in r["error"]["message"], "400 an unknown decision", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {}, "queries": ["voucher.award", "voucher.priority", "voucher.award"]})
        check(st == 400 and r["error"]["kind"] == "query" and '"voucher.award" is asked twice' in r["error"]["message"],
              "400 a query asked twice", r)
        st, r = s.json("POST", "/v1/batch?query=voucher.award&query=voucher.award", "{}\n")
        check(st == 400 and r["error"]["kind"] == "query" and "asked twice" in r["error"]["message"], "batch: 400 a query asked twice", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {}, "as_of": "2026-02-30"})
        check(st == 400 and r["error"]["path"] == "as_of", "400 a date that is not a day", r)
        st, r = s.json("POST", "/v1/decide", "x" * 2001)
        check(st == 413 and r["error"]["status"] == 413, "413 a body over the limit", r)
        # chunked, without a length: found while reading
        c = s.conn()
        c.putrequest("POST", "/v1/decide")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        for _ in range(5):
            c.send(b"200\r\n" + b" " * 0x200 + b"\r\n")
        c.send(b"0\r\n\r\n")
        resp = c.getresponse()
        check(resp.status == 413, "413 a chunked body over the limit", resp.status)
        c.close()
        st, r = s.json("POST", "/v1/decide", {"facts": {"company": {"size": "sme", "us_export_share": "lots"}}})
        check(st == 422 and r["error"]["path"] == "company.us_export_share"
              and 'expected a percentage like \\"12%\\"' in json.dumps(r["error"]["message"]), "422 facts that do not fit, with the path", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {"company": {"sise": "sme"}}})
        check(st == 422 and r["error"]["path"] == "company" and 'did you mean \\"size\\"' in json.dumps(r), "422 an unknown field", r)
        st, r = s.json("POST", "/v1/whynot", {"facts": {}, "decision": "award"})
        check(st == 400 and "yes/no" in r["error"]["message"], "400 why-not of a decision that is not yes/no", r)
        st, r = s.json("POST", "/v1/whatif", {"facts": {}, "changes": {"company.size": "tiny"}})
        check(st == 422 and r["error"]["path"] == "company.size", "422 a what-if change that does not fit", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 1000000}}, "queries": ["slow.busy"]})
        check(st == 422 and r["error"]["kind"] == "limit" and "steps" in r["error"]["message"], "422 over the step limit", r)
        st, r = t.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 999999}}, "queries": ["slow.busy"]})
        check(st == 422 and r["error"]["kind"] == "time" and "50 ms" in r["error"]["message"], "422 over the time limit", r)
        st, r = m.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 100000}}, "queries": ["slow.busy"]})
        check(st == 422 and r["error"]["kind"] == "limit" and "memory limit of 65536 bytes" in r["error"]["message"],
              "422 over the memory limit", r)
        st, h, text = t.request("POST", "/v1/batch?query=slow.busy", '{"job": {"rounds": 999999}}\n{"job": {"rounds": 10}}\n')
        recs = [json.loads(x) for x in text.splitlines()]
        check(st == 200 and "interrupted" in recs[0]["errors"]["slow.busy"] and recs[1]["decisions"]["slow.busy"] > 0,
              "batch: a line over the time limit says so, the next runs", recs)
        b = Server(A.edict, [d, "--max-steps", "100000000000", "--timeout-ms", "60000", "--batch-timeout-ms", "200"])
        try:
            st, r = b.json("POST", "/v1/batch?query=slow.busy", '{"job": {"rounds": 999999}}\n' * 3)
            check(st == 422 and r["error"]["kind"] == "time" and "200 ms" in r["error"]["message"],
                  "batch: 422 past --batch-timeout-ms, even within a line", r)
            st, h, text = b.request("POST", "/v1/batch?query=slow.busy", '{"job": {"rounds": 10}}\n')
            check(st == 200 and json.loads(text)["decisions"]["slow.busy"] > 0, "batch: and the next batch runs", text)
        finally:
            code, log = b.stop()
            check(code == 0, "stops with 0", log)
        st, r = t.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 10}}, "queries": ["slow.busy"]})
        check(st == 200 and r["decisions"]["slow.busy"] > 0, "the next request on that thread runs normally", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 100}}, "queries": ["slow.busy"]})
        check(st == 200, "and on the step-limited server", r)
    finally:
        for x in (s, t, m):
            code, log = x.stop()
            check(code == 0, "stops with 0", log)
    shutil.rmtree(d)


def write_rules(d, share):
    text = open(os.path.join(A.source, "examples/voucher/voucher.edict")).read()
    text, n = re.subn(r"from 2025-05-01 = \d+%", f"from 2025-05-01 = {share}%", text)
    assert n == 1
    tmp = os.path.join(d, ".voucher.tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(d, "voucher.edict"))  # atomically, as an editor saves


def reload():
    d = scratch()
    write_rules(d, 10)
    s = Server(A.edict, [d, "--threads", "4"])
    facts = {"company": {"size": "sme", "us_export_share": "12%", "voucher_requested": "1 KRW"}}
    seen = {}
    stop = threading.Event()
    bad = []

    def hammer():
        while not stop.is_set():
            try:
                st, r = s.json("POST", "/v1/decide", {"facts": facts, "queries": ["voucher.priority"]})
            except Exception as e:  # noqa: BLE001
                bad.append(repr(e))
                continue
            if st != 200:
                bad.append((st, r))
                continue
            seen.setdefault(r["ruleset"]["hash"], set()).add(r["decisions"]["voucher.priority"])
    try:
        st, r = s.json("GET", "/readyz")
        first = r["ruleset"]["hash"]
        threads = [threading.Thread(target=hammer) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        write_rules(d, 15)  # priority from 15%: this company drops out
        s.signal(signal.SIGHUP)
        wait_for(lambda: s.json("GET", "/readyz")[1]["ruleset"]["hash"] != first, what="the new rules")
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join()
        check(not bad, "reload under load: every request answered 200", bad[:3])
        check(len(seen) == 2 and all(len(v) == 1 for v in seen.values()) and seen[first] == {True}
              and {True, False} == set().union(*seen.values()), "reload under load: each answer from one rule set, old or new", seen)
        # a broken edit keeps the old rules serving
        st, r = s.json("GET", "/readyz")
        good = r["ruleset"]["hash"]
        with open(os.path.join(d, "voucher.edict"), "a") as f:
            f.write("\ndecision broken : bool = company.size in [sme, tiny]\n")
        wait_for(lambda: "reload_error" in s.json("GET", "/readyz")[1], what="the reload error on /readyz")
        st, r = s.json("GET", "/readyz")
        check(st == 200 and r["ruleset"]["hash"] == good and "tiny" in r["reload_error"] and "voucher.edict:" in r["reload_error"],
              "broken reload: /readyz shows the errors, the old rules stay", r)
        st, r = s.json("POST", "/v1/decide", {"facts": facts})
        check(st == 200 and r["ruleset"]["hash"] == good and "voucher.broken" not in r["decisions"], "broken reload: still serving", r)
        st, h, m = s.request("GET", "/metrics")
        check('edict_reloads_total{result="failed"} 1' in m and re.search(r'edict_reloads_total\{result="ok"\} [12]\n', m),
              "metrics: the reloads", m[-600:])
        write_rules(d, 10)  # fixed: watched, reloaded without a signal
        wait_for(lambda: "reload_error" not in s.json("GET", "/readyz")[1], what="the fixed rules")
        st, r = s.json("GET", "/readyz")
        check(r["ruleset"]["hash"] == first, "a fixed edit is picked up by watching the files", r)
        # a file emptied (an in-place save's first step) is not swapped in
        open(os.path.join(d, "voucher.edict"), "w").close()
        wait_for(lambda: "reload_error" in s.json("GET", "/readyz")[1], what="the emptied file's reload error")
        st, r = s.json("GET", "/readyz")
        check(st == 200 and r["ruleset"]["hash"] == first and "no public decisions" in r["reload_error"],
              "an emptied rule file: /readyz says so, the old rules stay", r)
        st, r = s.json("POST", "/v1/decide", {"facts": facts})
        check(st == 200 and r["decisions"].get("voucher.priority") is True, "an emptied rule file: still deciding", r)
        write_rules(d, 10)
        wait_for(lambda: "reload_error" not in s.json("GET", "/readyz")[1], what="the file written again")
        # a batch arriving slowly, on the one thread that also serves a
        # request made after a reload: the batch keeps its own rules
        s1 = Server(A.edict, [d, "--threads", "1", "--no-watch"])
        try:
            c = s1.conn()
            c.putrequest("POST", "/v1/batch?query=voucher.priority")
            c.putheader("Transfer-Encoding", "chunked")
            c.endheaders()
            line = (json.dumps(facts) + "\n").encode()
            c.send(b"%x\r\n%s\r\n" % (len(line), line))
            time.sleep(0.2)
            write_rules(d, 15)
            s1.signal(signal.SIGHUP)
            wait_for(lambda: s1.json("POST", "/v1/decide", {"facts": facts, "queries": ["voucher.priority"]})[1]["decisions"]["voucher.priority"] is False,
                     what="the reload on one thread")
            c.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(line), line))
            r = c.getresponse()
            recs = [json.loads(x) for x in r.read().decode().splitlines()]
            check(r.status == 200 and [x["decisions"]["voucher.priority"] for x in recs] == [True, True],
                  "a batch under way finishes on its rules while the thread serves new ones", recs)
        finally:
            code, _ = s1.stop()
            check(code == 0, "stops with 0")
    finally:
        stop.set()
        code, log = s.stop()
    check(code == 0 and "failed; the rules before it go on serving" in log, "the log says the reload failed", log)
    shutil.rmtree(d)


def checks():
    """The rules' own checks run on every load, as edict check runs them:
    rules whose error check fails are not served."""
    d = scratch()
    s = Server(A.edict, [d, "--no-watch"])
    try:
        st, r = s.json("GET", "/readyz")
        good = r["ruleset"]["hash"]
        with open(os.path.join(d, "voucher.edict"), "a") as f:
            f.write('\ncheck "the cap is 40 million": voucher_cap = 40_000_000 KRW\n')
        s.signal(signal.SIGHUP)
        wait_for(lambda: "reload_error" in s.json("GET", "/readyz")[1], what="the failed check on /readyz")
        st, r = s.json("GET", "/readyz")
        check(r["ruleset"]["hash"] == good and 'check "the cap is 40 million" fails' in r["reload_error"],
              "a reload whose check fails keeps the rules before it", r)
    finally:
        code, log = s.stop()
    out = subprocess.run([A.edict, "serve", d, "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
    check(out.returncode == 1 and "the cap is 40 million" in out.stderr, "rules whose check fails are not served at start", out.stderr)
    shutil.rmtree(d)


def slow_requests(s, job, n):
    """n threads, each asking job of s on its own connection; their answers."""
    results = []

    def slow():
        c = s.conn(timeout=300)
        c.request("POST", "/v1/decide", json.dumps(job))
        resp = c.getresponse()
        results.append((resp.status, json.loads(resp.read())))
    threads = [threading.Thread(target=slow) for _ in range(n)]
    for t in threads:
        t.start()
    return results, threads


def slow_rounds(s, seconds):
    """The rounds of slow.busy that take about `seconds` on s, as built
    (sanitizers are slow), from the fastest of three timings: one slowed by
    other work on the machine must not make them so short that they end
    before anyone sees them under way."""
    def timed():
        t0 = time.time()
        s.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 20000}}, "queries": ["slow.busy"]})
        return time.time() - t0
    best = min(timed() for _ in range(3))
    return max(2000, min(1000000, int(20000 * seconds / max(best, 0.001))))


def drain():
    d = scratch(with_slow=True)
    s = Server(A.edict, [d, "--threads", "6", "--max-steps", "100000000000", "--max-memory", "2000000000", "--timeout-ms", "60000"])
    rounds = slow_rounds(s, 2)

    def in_flight():
        st, h, m = s.request("GET", "/metrics")
        return int(re.search(r"^edict_requests_in_flight (\d+)", m, re.M).group(1)) >= 2
    # Timings taken while other tests load the machine can make the requests
    # too short to be seen under way once it is quiet: then they are asked
    # again, each time twice as long.
    for attempt in range(5):
        job = {"facts": {"job": {"rounds": rounds}}, "queries": ["slow.busy"]}
        st, r = s.json("POST", "/v1/decide", job)
        if st != 200:
            check(False, "drain: the slow decision is answered", r)
            return
        want = r["decisions"]["slow.busy"]
        results, threads = slow_requests(s, job, 4)
        seen = wait_for(lambda: "seen" if in_flight() else "done" if len(results) == 4 else None,
                        what="requests under way")
        if seen == "seen":
            break
        for t in threads:
            t.join()
        rounds *= 2
    time.sleep(0.3)
    s.signal(signal.SIGTERM)
    for t in threads:
        t.join()
    code, log = s.stop()
    check(len(results) == 4 and all(st == 200 and r["decisions"]["slow.busy"] == want for st, r in results),
          "SIGTERM: the requests under way are answered", results)
    check(code == 0 and "every request was answered" in log, "SIGTERM: drained, exit 0", log)
    try:
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        check(False, "after the drain nothing listens")
    except OSError:
        check(True, "after the drain nothing listens")
    # with a grace period: /readyz says 503 while requests are still served
    s = Server(A.edict, [d, "--drain-grace", "30"])
    s.signal(signal.SIGTERM)
    wait_for(lambda: s.json("GET", "/readyz")[0] == 503, what="/readyz 503 in the grace period")
    st, r = s.json("GET", "/readyz")
    st2, r2 = s.json("POST", "/v1/decide", {"facts": COMPANY})
    check(st == 503 and r["status"] == "draining" and st2 == 200, "grace: /readyz 503, requests still served", (r, st2))
    s.signal(signal.SIGTERM)  # a second one: now
    code, log = s.stop()
    check(code == 0, "grace: a second SIGTERM stops it at once", log)
    shutil.rmtree(d)


def busy():
    """Every evaluation thread busy with long batches: /healthz and /metrics
    are still answered at once, and the batches go on to their end."""
    d = scratch(with_slow=True)
    s = Server(A.edict, [d, "--threads", "1", "--max-steps", "100000000000", "--max-memory", "2000000000",
                         "--timeout-ms", "60000", "--batch-timeout-ms", "600000"])
    try:
        rounds = slow_rounds(s, 1)  # a second a line
        st, r = s.json("POST", "/v1/decide", {"facts": {"job": {"rounds": rounds}}, "queries": ["slow.busy"]})
        want = r["decisions"]["slow.busy"]
        body = json.dumps({"job": {"rounds": rounds}}) + "\n"
        done = []  # (time answered, status, records), one per batch

        def batch():
            c = s.conn(timeout=600)
            c.request("POST", "/v1/batch?query=slow.busy", body * 6)
            resp = c.getresponse()
            text = resp.read().decode()
            done.append((time.time(), resp.status, [json.loads(x) for x in text.splitlines()]))
        # two batches for the one evaluation thread: one evaluating, one waiting
        batches = [threading.Thread(target=batch) for _ in range(2)]
        for t in batches:
            t.start()
        time.sleep(0.5)
        for path in ("/healthz", "/metrics"):
            t0 = time.time()
            c = s.conn(timeout=600)
            c.request("GET", path)
            resp = c.getresponse()
            text = resp.read().decode()
            answered = time.time()
            c.close()
            check(resp.status == 200 and answered - t0 < 2 * SLOWER and not done,
                  f"{path} is answered at once while every evaluation thread is busy",
                  f"status {resp.status} after {answered - t0:.1f} s, with {len(done)} of 2 batches answered before it")
        m = re.search(r"^edict_requests_in_flight (\d+)", text, re.M)
        check(m and int(m.group(1)) >= 3, "/metrics: both batches were under way (and it)", m and m.group(0))
        # many chunks arriving at once while a piece is with an evaluator:
        # each line is taken once, in order
        c = s.conn(timeout=600)
        c.putrequest("POST", "/v1/batch?query=slow.busy")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        lines = [(json.dumps({"id": i, "job": {"rounds": 10 + i}}) + "\n").encode() for i in range(200)]
        c.send(b"".join(b"%x\r\n%s\r\n" % (len(x), x) for x in lines) + b"0\r\n\r\n")
        resp = c.getresponse()
        recs = [json.loads(x) for x in resp.read().decode().splitlines()]
        c.close()
        st, r = s.json("POST", "/v1/decide", {"facts": {"job": {"rounds": 10}}, "queries": ["slow.busy"]})
        check(resp.status == 200 and [x["id"] for x in recs] == list(range(200)) and recs[0]["decisions"] == r["decisions"],
              "a batch of many chunks sent at once: every line once, in order", recs[:3])
        for t in batches:
            t.join()
        check(len(done) == 2 and all(st == 200 and [x["decisions"]["slow.busy"] for x in recs] == [want] * 6
                                     and at > answered for at, st, recs in done),
              "the busy batches go on and are answered in full", [(st, len(recs)) for at, st, recs in done])
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    shutil.rmtree(d)


def limits():
    d = scratch()
    s = Server(A.edict, [d, "--idle-timeout", "1", "--request-timeout", "1", "--max-connections", "3", "--threads", "1"])
    try:
        # idle: a connection that says nothing is closed
        sk = socket.create_connection(("127.0.0.1", s.port))
        sk.settimeout(10)
        t0 = time.time()
        data = sk.recv(100)
        check(data == b"" and time.time() - t0 < 9, "an idle connection is closed", data)
        sk.close()
        # slow: a body trickled in too slowly gets 408
        c = s.conn()
        c.putrequest("POST", "/v1/decide")
        body = json.dumps({"facts": COMPANY}).encode()
        c.putheader("Content-Length", str(len(body)))
        c.endheaders()
        c.send(body[:10])
        time.sleep(0.7)
        c.send(body[10:20])
        time.sleep(0.7)
        c.send(body[20:])
        r = c.getresponse()
        check(r.status == 408, "a client too slow to send its request gets 408", r.status)
        c.close()
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    # connections: past the limit a connection waits, unanswered, until one closes
    s = Server(A.edict, [d, "--max-connections", "3", "--threads", "1"])
    try:
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(3)]
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", s.port))
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        extra.settimeout(1)
        try:
            got = extra.recv(100)
        except socket.timeout:
            got = None
        check(got is None, "a connection past the limit waits", got)
        for h in held:
            h.settimeout(5)
            h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        check(all(h.recv(100).startswith(b"HTTP/1.1 200") for h in held), "the connections within the limit are served")
        held[0].close()
        extra.settimeout(10)
        check(extra.recv(100).startswith(b"HTTP/1.1 200"), "the waiting connection is served once one closes")
        for h in held[1:] + [extra]:
            h.close()
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    shutil.rmtree(d)


def goes_on_then_stops(s, d):
    """The end of a part that sent odd requests: the server still answers,
    stops with 0 (no request left hanging), and its scratch goes."""
    try:
        st, r = s.json("GET", "/healthz")
        check(st == 200, "the server goes on after them", r)
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0: no request is left hanging", log)
        shutil.rmtree(d)


def batch_reply_limit():
    """A batch's records wait until its body has ended: past
    --max-batch-reply the batch is refused, not held."""
    d = scratch()
    s = Server(A.edict, [d, "--max-batch-reply", "3000000"])
    try:
        # more than one part of a megabyte each: handed out in order
        st, h, text = s.request("POST", "/v1/batch", (json.dumps(COMPANY) + "\n") * 9000)
        recs = [json.loads(x) for x in text.splitlines()]
        check(st == 200 and len(text) > 1500000 and [x["line"] for x in recs] == list(range(1, 9001))
              and all(x["decisions"]["voucher.award"] == "50000000 KRW" for x in recs),
              "batch: a reply of several parts, whole and in order", text[-300:])
        st, h, text = s.request("POST", "/v1/batch", "{}\n" * 20000)
        r = json.loads(text)
        check(st == 413 and r["error"]["kind"] == "size" and "3000000 bytes" in r["error"]["message"]
              and h.get("Connection") == "close", "batch: 413 for a reply over --max-batch-reply", (st, h, text))
        st, oa = s.json("GET", "/openapi.json")
        check({"413", "422"} <= set(oa["paths"]["/v1/batch"]["post"]["responses"]), "openapi: a batch may get 413 and 422", oa["paths"]["/v1/batch"])
    finally:
        goes_on_then_stops(s, d)


def raw_request(s, data, timeout=10):
    """Send bytes as they are, read the reply until the server closes:
    (status, JSON body); (None, what came) when that is not HTTP with JSON."""
    k = socket.create_connection(("127.0.0.1", s.port), timeout=timeout * SLOWER)
    k.sendall(data)
    got = b""
    try:
        while True:
            d = k.recv(65536)
            if not d:
                break
            got += d
    except socket.timeout:
        return None, got + b" (no reply: timed out)"
    finally:
        k.close()
    head, _, body = got.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1.1 (\d+)", head)
    try:
        return int(m.group(1)), json.loads(body)
    except (AttributeError, ValueError):
        return None, got


def framing():
    """Requests whose body could be read two ways, or not at all, are
    answered at once with a JSON error and the connection closed."""
    d = scratch()
    s = Server(A.edict, [d])
    facts = b'{"facts": {}}'
    chunked = b"%x\r\n" % len(facts) + facts + b"\r\n0\r\n\r\n"
    try:
        for te, body in [(b"gzip", facts), (b"identity", facts), (b"chunked, chunked", chunked), (b"gzip, chunked", chunked)]:
            st, r = raw_request(s, b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + b"\r\n\r\n" + body)
            check(st == 501 and r["error"]["kind"] == "request" and te.decode() in r["error"]["message"],
                  "501 for Transfer-Encoding: " + te.decode(), r)
        for cls in [(len(facts), 5), (5, len(facts))]:
            st, r = raw_request(s, b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nContent-Length: %d\r\n\r\n" % cls + facts)
            check(st == 400 and "two different Content-Length" in r["error"]["message"], "400 for two different Content-Lengths", r)
        st, r = raw_request(s, b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % len(chunked) + chunked)
        check(st == 400 and "both Content-Length and Transfer-Encoding" in r["error"]["message"], "400 for Content-Length with Transfer-Encoding", r)
        st, r = raw_request(s, b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" + chunked)
        check(st == 200 and "decisions" in r, "Transfer-Encoding: chunked is read", r)
    finally:
        goes_on_then_stops(s, d)


def query_string():
    """Every argument of the query string is read, or the request refused."""
    d = scratch()
    s = Server(A.edict, [d])
    line = json.dumps(COMPANY) + "\n"
    try:
        many = "&".join("x%d=1" % i for i in range(31))
        st, h, text = s.request("POST", "/v1/batch?" + many + "&query=voucher.award", line)
        check(st == 200 and "voucher.award" in json.loads(text)["decisions"], "batch: the 32nd argument is read", text)
        st, r = s.json("POST", "/v1/batch?" + many + "&query=voucher.award&as_of=2020-01-01", line)
        check(st == 400 and r["error"]["kind"] == "request" and "at most 32" in r["error"]["message"],
              "400 for a 33rd argument, not dropped", r)
        st, r = s.json("POST", "/v1/batch?query=voucher.priority%00%20and%20false", line)
        check(st == 400 and "'query' holds a NUL" in r["error"]["message"], "400 for a NUL in a query-string argument", r)
        st, h, text = s.request("POST", "/v1/batch?query=voucher.priority", '{"company\\u0000x": {}}\n' + line)
        recs = [json.loads(x) for x in text.splitlines()]
        check(st == 200 and "line 1, column 10" in recs[0]["error"] and "NUL" in recs[0]["error"] and "decisions" in recs[1],
              "batch: a line with a NUL in a name gets an error record", recs)
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY, "queries": ["voucher.priority\u0000 and false"]})
        check(st == 400 and "NUL" in r["error"]["message"], "400 for a NUL in a query", r)
        st, r = s.json("POST", "/v1/whatif", {"facts": COMPANY, "changes": {"company.size\u0000.bogus": "large"}})
        check(st == 400 and "NUL" in r["error"]["message"], "400 for a NUL in a what-if path", r)
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY, "queries": ["voucher.priority"], "x\\u0000": 1})
        check(st == 400 and "NUL" not in r["error"]["message"], "an escaped backslash before u0000 is no NUL", r)
    finally:
        goes_on_then_stops(s, d)


def token_and_tls():
    d = scratch()
    with open(os.path.join(d, "token"), "w") as f:
        f.write("s3cret-token\n")
    s = Server(A.edict, [d, "--token-file", os.path.join(d, "token")])
    try:
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY})
        check(st == 401 and r["error"]["kind"] == "token", "401 without a token", r)
        st, h, _ = s.request("POST", "/v1/decide", json.dumps({"facts": COMPANY}), {"Authorization": "Bearer wrong"})
        check(st == 401 and h.get("WWW-Authenticate") == "Bearer", "401 with a wrong token")
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY}, {"Authorization": "Bearer s3cret-token"})
        check(st == 200, "200 with the token", r)
        st, r = s.json("GET", "/metrics", None, {}) if False else (None, None)
        st, h, _ = s.request("GET", "/metrics")
        check(st == 401, "metrics need the token")
        st, r = s.json("GET", "/healthz")
        check(st == 200, "healthz needs no token (load balancers)")
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    if not shutil.which("openssl"):
        print("skip TLS: no openssl to make a certificate")
        return
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    s = Server(A.edict, [d, "--tls-cert", cert, "--tls-key", key])
    try:
        check(s.scheme == "https", "TLS: serves https")
        ctx = ssl.create_default_context(cafile=cert)
        st, r = s.json("POST", "/v1/decide", {"facts": COMPANY}, context=ctx)
        check(st == 200 and r["decisions"]["voucher.award"] == "50000000 KRW", "TLS: a decision over HTTPS, the certificate verified", r)
        plain = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
        try:
            plain.request("GET", "/healthz")
            st = plain.getresponse().status
        except (OSError, http.client.HTTPException):
            st = None
        check(st != 200, "TLS: plain HTTP is not answered", st)
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    shutil.rmtree(d)


def docs():
    d = scratch()
    os.makedirs(os.path.join(d, "site"))
    with open(os.path.join(d, "site", "index.html"), "w") as f:
        f.write("<h1>The rules</h1>")
    with open(os.path.join(d, "site", "voucher.html"), "w") as f:
        f.write('<h2 id="voucher.award">award</h2>')
    with open(os.path.join(d, "secret.txt"), "w") as f:
        f.write("not to be served")
    s = Server(A.edict, [d, "--docs", os.path.join(d, "site")])
    try:
        st, h, text = s.request("GET", "/docs/")
        check(st == 200 and "The rules" in text and h["Content-Type"].startswith("text/html"), "docs: the index")
        st, h, text = s.request("GET", "/docs/voucher.html")
        check(st == 200 and 'id="voucher.award"' in text, "docs: a module's page")
        for bad in ("/docs/../secret.txt", "/docs/%2e%2e/secret.txt", "/docs/nope.html"):
            st, h, text = s.request("GET", bad)
            check(st == 404 and "not to be served" not in text, "docs: nothing outside the directory: " + bad, (st, text))
    finally:
        code, log = s.stop()
        check(code == 0, "stops with 0", log)
    shutil.rmtree(d)


def decision_log_rotation():
    d = scratch()
    log = os.path.join(d, "log.ndjson")
    s = Server(A.edict, [d, "--log", log, "--log-max-bytes", "4096", "--log-keep", "2", "--log-facts"])
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            sts = list(ex.map(lambda i: s.json("POST", "/v1/decide", {"facts": COMPANY}, {"X-Request-Id": f"r{i}"})[0], range(60)))
        check(all(x == 200 for x in sts), "decision log: 60 requests")
    finally:
        code, text = s.stop()
    files = [log, log + ".1", log + ".2"]
    check(all(os.path.exists(f) for f in files) and not os.path.exists(log + ".3"), "decision log: rotated, two kept", os.listdir(d))
    check(all(os.path.getsize(f) <= 4096 for f in files), "decision log: each file within the size")
    recs = [json.loads(l) for f in files for l in open(f)]
    ids = {r["request_id"] for r in recs}
    check(recs and all(r["facts"] == COMPANY for r in recs), "decision log: --log-facts keeps the facts")
    st_drop = re.search(r"dropped", text)
    check(len(ids) == len(recs), "decision log: one record per request", len(recs))
    shutil.rmtree(d)


def log_never_blocks():
    """A decision log that cannot keep up (a pipe nobody reads): requests
    are still answered, and the records that do not fit the queue are
    dropped and counted."""
    d = scratch()
    fifo = os.path.join(d, "log.fifo")
    os.mkfifo(fifo)
    got = []
    reader_fd = []
    opener = threading.Thread(target=lambda: reader_fd.append(os.open(fifo, os.O_RDONLY)))
    opener.start()
    s = Server(A.edict, [d, "--log", fifo])
    opener.join()
    drain = None
    try:
        line = json.dumps(COMPANY) + "\n"
        st, h, text = s.request("POST", "/v1/batch?query=voucher.award", line * 12000)
        check(st == 200 and len(text.splitlines()) == 12000, "a slow log: all 12000 batch records answered")
        st, h, m = s.request("GET", "/metrics")
        dropped = int(re.search(r"^edict_decision_log_dropped_total (\d+)", m, re.M).group(1))
        check(dropped > 0, f"a slow log: {dropped} records dropped and counted", m[-400:])

        def read_all():
            while True:
                b = os.read(reader_fd[0], 1 << 16)
                if not b:
                    break
                got.append(b)
        drain = threading.Thread(target=read_all)
        drain.start()
    finally:
        code, log = s.stop()
        if drain:
            drain.join()
    written = b"".join(got).count(b"\n")
    check(code == 0 and written + dropped == 12000, f"a slow log: {written} written + {dropped} dropped = every record", (code, written))
    shutil.rmtree(d)


def requirements():
    d = scratch()
    with open(os.path.join(d, "hr.edict"), "w") as f:
        f.write('fact staff { employees : int }\n'
                'require "the number of employees is never negative": staff.employees >= 0 source "SME Act, Article 2"\n'
                'decision small : bool = staff.employees < 300\n')
    s = Server(A.edict, [d])
    try:
        st, r = s.json("POST", "/v1/decide", {"facts": {"staff": {"employees": -3}}, "queries": ["hr.small"]})
        check(st == 422 and r["error"]["kind"] == "facts" and "the facts break the requirement" in r["error"]["message"], "422 facts that break a requirement", r)
        st, r = s.json("POST", "/v1/decide", {"facts": {"staff": {"employees": 3}}, "queries": ["hr.small"]})
        check(st == 200 and r["decisions"]["hr.small"] is True, "200 facts that satisfy it", r)
    finally:
        s.stop()


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("parts", nargs="*")
    A = ap.parse_args()
    A.edict = os.path.abspath(A.edict)
    parts = {"endpoints": endpoints, "errors": errors, "reload": reload, "checks": checks, "drain": drain, "busy": busy, "limits": limits,
             "token": token_and_tls, "log": decision_log_rotation, "slowlog": log_never_blocks, "docs": docs,
             "requirements": requirements, "batchreply": batch_reply_limit,
             "framing": framing, "querystring": query_string}
    for name in A.parts or parts:
        print("==", name, flush=True)
        try:
            parts[name]()
        except Exception as e:
            # first the one line that says where, then the whole traceback:
            # a log cut short keeps the line
            where = traceback.extract_tb(e.__traceback__)[-1]
            check(False, f"{name}: {type(e).__name__} at line {where.lineno} ({where.line}): {e}")
            traceback.print_exc()
            kill_leftovers()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
