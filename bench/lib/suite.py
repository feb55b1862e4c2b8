#!/usr/bin/env python3
"""suite.py - runs the benchmark suite and writes its tables.

Called by bench/run.sh (which builds the C programs first); see
docs/performance.md for what each workload measures and why.

    suite.py --size tiny|small|full --build DIR [--out FILE] [--only 1,2,...]

Every workload runs Edict and its peers on the same generated data in the
same run, several times, and reports medians and ratios (peer time / Edict
time: above 1 means Edict is faster).  Before any timing counts, every
implementation's results are checked against the C program's: a peer that
computes something else is a failed run, not a data point.  The exit status
is 0 when every check passed, 1 otherwise; no timing is ever asserted.
"""
import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
PEERS = os.path.join(BENCH, "peers")

SIZES = {
    # w1: companies in memory, w1_rounds the rounds of the rows the targets
    # compare; w2: NDJSON lines; w3: generated decisions; startup_runs: the
    # turns of the start-up commands, each starting every one once; w4: the two
    # stream lengths compared; w5: numbers per list; w6: rows of the Python
    # door's DataFrame
    "tiny": dict(w1=1000, w1_reps=3, w1_rounds=1, w2=1000, w2_reps=1, w3=200, w3_reps=3,
                 hf_runs=3, hf_warmup=1, startup_runs=3,
                 w4=(1000, 5000), w5=1000, w5_times=3, check_lines=1000, w6=1000),
    "small": dict(w1=100_000, w1_reps=3, w1_rounds=2, w2=100_000, w2_reps=3, w3=10_000, w3_reps=5,
                  hf_runs=10, hf_warmup=2, startup_runs=200,
                  w4=(10_000, 100_000), w5=10_000, w5_times=20, check_lines=10_000, w6=100_000),
    "full": dict(w1=1_000_000, w1_reps=5, w1_rounds=3, w2=1_000_000, w2_reps=3, w3=10_000, w3_reps=10,
                 hf_runs=30, hf_warmup=3, startup_runs=600,
                 w4=(10_000, 1_000_000), w5=10_000, w5_times=100, check_lines=10_000, w6=100_000),
}

# the rows of workload 1 that its targets compare, run in rounds
PAIRED_W1 = ("c", "edict", "edict-native")

QUERIES = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
TIMEOUT = 3600
RUNNER = None  # bench_run, set from --build

failures = []
notes = []


def log(msg):
    sys.stderr.write("[bench] %s\n" % msg)
    sys.stderr.flush()


def fail(msg):
    failures.append(msg)
    log("FAILED: " + msg)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)


def have(cmd):
    return shutil.which(cmd) is not None


def lua_has_cjson(lua):
    if not have(lua):
        return False
    r = sh([lua, "-e", "require 'cjson'"])
    return r.returncode == 0


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def run_timed(cmd, stdin_path=None, stdout_path=os.devnull, env=None):
    """Run cmd once through bench_run; return (wall seconds, peak RSS in KiB,
    exit status, stderr)."""
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    fout = open(stdout_path, "wb")
    ferr = tempfile.TemporaryFile()
    res = tempfile.NamedTemporaryFile(suffix=".txt", delete=False)
    res.close()
    try:
        p = subprocess.run([RUNNER, res.name] + list(cmd), stdin=fin, stdout=fout, stderr=ferr, env=env,
                           timeout=TIMEOUT)
        ferr.seek(0)
        err = ferr.read().decode(errors="replace")
        try:
            wall, rss, code = open(res.name).read().split()
        except ValueError:
            return 0.0, 0, p.returncode or 2, err
        return float(wall), int(rss), int(code), err
    finally:
        if stdin_path:
            fin.close()
        fout.close()
        ferr.close()
        os.unlink(res.name)


def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1e9:
        return "%.2f s" % (ns / 1e9)
    if ns >= 1e6:
        return "%.1f ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.2f µs" % (ns / 1e3)
    return "%.1f ns" % ns


def fmt_ratio(r):
    if r is None:
        return "-"
    return "%.2f" % r if r < 10 else "%.1f" % r


def fmt_rate(per_s):
    if per_s >= 1e6:
        return "%.2f M/s" % (per_s / 1e6)
    if per_s >= 1e3:
        return "%.0f k/s" % (per_s / 1e3)
    return "%.0f /s" % per_s


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(x) for x in r) + " |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- context


class Env:
    def __init__(self, a):
        self.size = a.size
        self.cfg = SIZES[a.size]
        self.build = os.path.abspath(a.build)
        self.data = os.path.join(self.build, "data")
        os.makedirs(self.data, exist_ok=True)
        self.bench_edict = os.path.join(self.build, "bench_edict")
        self.bench_api = os.path.join(self.build, "bench_api")
        if not os.path.exists(self.bench_api):
            self.bench_api = None
        self.native = os.path.join(self.build, "bench_native")
        self.floor = os.path.join(self.build, "bench_floor")
        global RUNNER
        RUNNER = os.path.join(self.build, "bench_run")
        self.edict = a.edict or os.path.join(self.build, "edict", "edict")
        self.python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        self.lua54 = "lua5.4" if lua_has_cjson("lua5.4") else None
        self.luajit = "luajit" if lua_has_cjson("luajit") else None
        self.jq = "jq" if have("jq") else None
        self.luac = "luac5.4" if have("luac5.4") else None
        self.hyperfine = "hyperfine" if have("hyperfine") else None
        for name, v in (("lua5.4 with lua-cjson", self.lua54), ("luajit with lua-cjson", self.luajit),
                        ("jq", self.jq), ("luac5.4", self.luac), ("hyperfine", self.hyperfine)):
            if not v:
                notes.append("%s is not installed: its rows are left out (bench/run.sh --install adds it)." % name)
        self.rules = self.pick_rules()
        self.batch = self.has_batch()
        if not self.batch:
            notes.append("`edict batch` is not in this build yet: workload 2 streams through bench_edict's "
                         "stand-in (the same library calls, one thread), and --jobs 2 is left out.")

    def pick_rules(self):
        """rules/kotra when it has the four decisions, else the suite's own copy."""
        kotra = os.path.join(ROOT, "rules", "kotra")
        sample = os.path.join(self.data, "one.json")
        with open(sample, "w") as f:
            f.write('{"company":{"size":"sme","us_export_share":"12%","voucher_requested":"1000000 KRW",'
                    '"consulting_done":true,"finance_arranged":false,"logistics_arranged":false,'
                    '"high_potential_selected":false}}\n')
        if os.path.isdir(kotra):
            cmd = [self.edict, "eval", kotra, "--facts", sample]
            for q in QUERIES:
                cmd += ["--query", q]
            r = sh(cmd)
            if r.returncode == 0:
                return kotra
            notes.append("rules/kotra does not answer the four queries yet (%s): Edict runs bench/rules, "
                         "the same logic in three small files." % (r.stderr.strip().splitlines() or ["?"])[-1])
        return os.path.join(BENCH, "rules")

    def has_batch(self):
        r = subprocess.run([self.edict, "batch", self.rules, "--query", QUERIES[0]], input='{"company":{}}\n',
                           capture_output=True, text=True, timeout=60)
        return r.returncode in (0, 1) and r.stdout.strip().startswith("{")

    def companies(self, n):
        path = os.path.join(self.data, "companies-%d.ndjson" % n)
        if not os.path.exists(path):
            log("generating %d companies" % n)
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                subprocess.run([self.python, os.path.join(BENCH, "gen", "companies.py"), str(n)], stdout=f, check=True)
            os.rename(tmp, path)
        return path

    def prefix(self, n, k):
        """The first k lines of the n-company file (for result checks)."""
        if k >= n:
            return self.companies(n)
        path = os.path.join(self.data, "companies-%d-head-%d.ndjson" % (n, k))
        if not os.path.exists(path):
            with open(self.companies(n)) as src, open(path, "w") as dst:
                for i, line in enumerate(src):
                    if i >= k:
                        break
                    dst.write(line)
        return path

    def native_checksum(self, path):
        r = sh([self.native, path, "1"])
        if r.returncode != 0:
            fail("bench_native failed on %s: %s" % (path, r.stderr))
            return None
        return json.loads(r.stdout)["checksum"]

    def edict_query_args(self):
        out = []
        for q in QUERIES:
            out += ["--query", q]
        return out

    def rules_label(self):
        return os.path.relpath(self.rules, ROOT)


# ---------------------------------------------------------------- workload 1


def workload1(env, results):
    n, reps = env.cfg["w1"], env.cfg["w1_reps"]
    data = env.companies(n)
    log("workload 1: %d companies in memory, %d passes" % (n, reps))
    q = env.edict_query_args()
    runs = [
        ("C, written for the workload (the limit)", "c", [env.native, data, str(reps)]),
        ("Edict, %s, facts as typed values" % env.rules_label(), "edict",
         [env.bench_edict, "memory", "--rules", env.rules, "--data", data, "--reps", str(reps)] + q),
    ]
    # the native tier: where libgccjit is missing it runs the interpreter, and says so on stderr
    runs.append(("Edict --native (machine code through libgccjit), %s, typed values" % env.rules_label(),
                 "edict-native",
                 [env.bench_edict, "memory", "--rules", env.rules, "--data", data, "--reps", str(reps), "--native"] + q))
    if env.rules != os.path.join(BENCH, "rules"):
        runs.append(("Edict, bench/rules (same logic, 3 small files), typed values", "edict-small",
                     [env.bench_edict, "memory", "--rules", os.path.join(BENCH, "rules"), "--data", data,
                      "--reps", str(reps)] + q))
    runs.append(("Edict, %s, facts from JSON text each time" % env.rules_label(), "edict-json",
                 [env.bench_edict, "memory", "--rules", env.rules, "--data", data, "--reps", str(reps),
                  "--variant", "json"] + q))
    if env.bench_api:
        runs.append(("Edict C API (edict.h), facts from JSON text", "edict-api-json",
                     [env.bench_api, "memory", "--rules", env.rules, "--data", data, "--reps", str(reps),
                      "--variant", "json"] + q))
        runs.append(("Edict C API (edict.h), typed setters per field", "edict-api-setters",
                     [env.bench_api, "memory", "--rules", env.rules, "--data", data, "--reps", str(reps),
                      "--variant", "setters"] + q))
    if env.lua54:
        runs.append(("Lua 5.4, tables with named fields", "lua", [env.lua54, os.path.join(PEERS, "eval.lua"), data, str(reps)]))
    if env.luajit:
        runs.append(("LuaJIT interpreter (-joff)", "luajit-joff",
                     [env.luajit, "-joff", os.path.join(PEERS, "eval.lua"), data, str(reps)]))
        runs.append(("LuaJIT with its JIT", "luajit", [env.luajit, os.path.join(PEERS, "eval.lua"), data, str(reps)]))
    runs.append(("Python %s, dicts" % platform.python_version(), "python",
                 [env.python, os.path.join(PEERS, "eval.py"), data, str(reps)]))
    # the C program and the two Edict rows its targets compare are run in
    # rounds, the three in turn (a round's order rotated from the last), so
    # that a slow minute of a shared machine slows one round of each rather
    # than all the passes of one; the other rows run once, after them
    rounds = env.cfg.get("w1_rounds", 1)
    paired = [r for r in runs if r[1] in PAIRED_W1]
    order = []
    for k in range(rounds):
        order += paired[k % len(paired):] + paired[:k % len(paired)]
    order += [r for r in runs if r[1] not in PAIRED_W1]
    got = {}
    for label, key, cmd in order:
        r = sh(cmd)
        if r.returncode != 0:
            fail("workload 1, %s: exit %d: %s" % (label, r.returncode, r.stderr.strip()[-500:]))
            continue
        res = json.loads(r.stdout.strip().splitlines()[-1])
        res["label"] = label
        got.setdefault(key, []).append(res)
        log("  %-60s %s/record" % (label, fmt_ns(statistics.median(res["reps_ns"]))))
    expect = got["c"][0]["checksum"] if "c" in got else None
    out = {}
    for label, key, cmd in runs:
        if key not in got:
            continue
        for res in got[key]:
            if key != "c" and res["checksum"] != expect:
                fail("workload 1, %s decided differently from the C program:\n  %s\n  %s" % (label, res["checksum"], expect))
        meds = [statistics.median(res["reps_ns"]) for res in got[key]]
        row = dict(got[key][-1], reps_ns=[x for res in got[key] for x in res["reps_ns"]], round_medians=meds,
                   median_ns=statistics.median(meds))
        c_meds = out.get("c", {}).get("round_medians", [])
        if key != "c" and key in PAIRED_W1 and len(c_meds) == len(meds):
            # the ratio to C round by round, then the median of those
            row["to_c"] = statistics.median(m / cm for m, cm in zip(meds, c_meds))
        out[key] = row
    results["w1"] = {"n": n, "reps": reps, "rounds": rounds, "rows": out, "checksum": expect}


def report1(env, w):
    rows = w["rows"]
    base = rows.get("edict", {}).get("median_ns")
    body = []
    for key, r in rows.items():
        ns = r["median_ns"]
        notes = []
        if "alloc_bytes_per_record" in r:
            notes.append("%.0f B allocated/record" % r["alloc_bytes_per_record"])
        if len(r.get("round_medians", [])) > 1:
            notes.append("rounds: %s" % ", ".join(fmt_ns(m) for m in r["round_medians"]))
        if r.get("to_c"):
            notes.append("%.1fx C, round by round" % r["to_c"])
        extra = "; ".join(notes)
        body.append([r["label"], fmt_ns(ns), fmt_rate(1e9 / ns) if ns else "-",
                     fmt_ratio(ns / base) if base and key != "edict" else ("1" if key == "edict" else "-"), extra])
    s = "### Workload 1: rule evaluation in memory (%s companies, median of %d passes)\n\n" % (
        "{:,}".format(w["n"]), w["reps"])
    s += ("Each pass decides `voucher.eligible`, `voucher.priority`, `voucher.award` and `support.pending` "
          "for every company. Time per company, process CPU time. Ratio = peer time / Edict time "
          "(above 1: Edict is faster); for the other Edict rows it is that row's time / the first Edict row's. "
          "Every row printed the same checksum: `%s`." % w["checksum"])
    if w.get("rounds", 1) > 1:
        s += (" The C program and the two Edict rows its targets compare ran in %d rounds, the three in turn, "
              "each round a process of %d passes: their figure is the median of the rounds' medians (in the notes), "
              "and their ratio to C for the targets is taken round by round, then the median of those."
              % (w["rounds"], w["reps"]))
    s += "\n\n" + table(["implementation", "per company", "companies/s", "ratio", "notes"], body)
    return s


# ---------------------------------------------------------------- workload 2


def stream_commands(env):
    q = env.edict_query_args()
    cmds = []
    if env.batch:
        cmds.append(("edict batch", "edict", [env.edict, "batch", env.rules] + q))
        # --jobs 2, 4, 8 ... up to this machine's processors: the speed-up by jobs
        jobs = 2
        while jobs <= min(os.cpu_count() or 1, 64):
            cmds.append(("edict batch --jobs %d" % jobs, "edict-j%d" % jobs,
                         [env.edict, "batch", env.rules, "--jobs", str(jobs)] + q))
            jobs *= 2
        cmds.append(("edict batch --native", "edict-native", [env.edict, "batch", env.rules, "--native"] + q))
        cmds.append(("bench_edict stream (the same library calls without batch's machinery)", "edict-lib",
                     [env.bench_edict, "stream", "--rules", env.rules] + q))
    else:
        cmds.append(("Edict (bench_edict stream, a stand-in for edict batch)", "edict",
                     [env.bench_edict, "stream", "--rules", env.rules] + q))
    if env.jq:
        cmds.append(("jq 1.6", "jq", [env.jq, "-c", "-f", os.path.join(PEERS, "stream.jq")]))
    if env.lua54:
        cmds.append(("Lua 5.4 + lua-cjson", "lua", [env.lua54, os.path.join(PEERS, "stream.lua")]))
    if env.luajit:
        cmds.append(("LuaJIT + lua-cjson", "luajit", [env.luajit, os.path.join(PEERS, "stream.lua")]))
    cmds.append(("Python %s (json module)" % platform.python_version(), "python",
                 [env.python, os.path.join(PEERS, "stream.py")]))
    cmds.append(("json-c parse only (the floor)", "floor", [env.floor]))
    return cmds


def check_stream(env, label, cmd, path, expect):
    with tempfile.NamedTemporaryFile(suffix=".ndjson") as out:
        wall, rss, rc, err = run_timed(cmd, path, out.name)
        if rc != 0:
            fail("workload 2, %s: exit %d on the check run: %s" % (label, rc, err.strip()[-500:]))
            return
        r = sh([env.python, os.path.join(PEERS, "check_stream.py")], stdin=open(out.name))
        got = r.stdout.strip()
        if r.returncode != 0 or got != expect:
            fail("workload 2, %s decided differently from the C program:\n  %s\n  %s\n  %s" % (label, got, expect, r.stderr))


def workload2(env, results):
    n, reps = env.cfg["w2"], env.cfg["w2_reps"]
    data = env.companies(n)
    head = env.prefix(n, env.cfg["check_lines"])
    expect = env.native_checksum(head)
    log("workload 2: %d NDJSON lines, %d runs each" % (n, reps))
    # the runs are made in rounds, every command once in each, the floor
    # right after `edict batch`: a slow minute of a shared machine then
    # moves one run of each rather than all the runs of one
    cmds = stream_commands(env)
    cmds.sort(key=lambda c: 0 if c[1] == "edict" else 1 if c[1] == "floor" else 2)
    for label, key, cmd in cmds:
        if key != "floor":
            check_stream(env, label, cmd, head, expect)
    runs = {}
    for _ in range(reps):
        for label, key, cmd in cmds:
            if key in runs and runs[key] is None:
                continue
            wall, rss, rc, err = run_timed(cmd, data)
            if rc != 0:
                fail("workload 2, %s: exit %d: %s" % (label, rc, err.strip()[-500:]))
                runs[key] = None
                continue
            runs.setdefault(key, []).append((wall, rss))
    out = {}
    for label, key, cmd in stream_commands(env):
        if not runs.get(key):
            continue
        times = [w for w, _ in runs[key]]
        out[key] = {"label": label, "walls": times, "median_s": statistics.median(times),
                    "rss_kib": max(r for _, r in runs[key])}
        log("  %-60s %.2f s, %d MiB" % (label, out[key]["median_s"], out[key]["rss_kib"] // 1024))
    if "edict" in out and "floor" in out and len(out["edict"]["walls"]) == len(out["floor"]["walls"]):
        # the floor against the run of `edict batch` just before it
        out["floor"]["to_edict"] = statistics.median(f / e for f, e in zip(out["floor"]["walls"], out["edict"]["walls"]))
    results["w2"] = {"n": n, "reps": reps, "rows": out, "checksum": expect}


def report2(env, w):
    rows = w["rows"]
    base = rows.get("edict", {}).get("median_s")
    floor = rows.get("floor", {}).get("median_s")
    body = []
    for key, r in rows.items():
        t = r["median_s"]
        body.append([r["label"], "%.3f s" % t, fmt_rate(w["n"] / t), fmt_ratio(t / base) if base else "-",
                     "%.1f MiB" % (r["rss_kib"] / 1024)])
    s = "### Workload 2: streaming NDJSON end to end (%s lines, median of %d runs)\n\n" % ("{:,}".format(w["n"]), w["reps"])
    s += ("Whole-process wall time, input from a file, output to /dev/null; the runs are made in rounds, "
          "every command once in each (the floor right after `edict batch`). Ratio = peer time / Edict time. "
          "Before timing, each implementation's output for the first lines was checked against the C program "
          "(checksum `%s`).\n\n" % w["checksum"])
    s += table(["implementation", "wall time", "lines/s", "ratio", "peak RSS"], body)
    if base and floor:
        s += ("\nEdict takes %.2fx the json-c parse-only floor's time: the floor takes %.2fx Edict's"
              % (base / floor, floor / base))
        if rows["floor"].get("to_edict"):
            s += " (%.2fx, run by run: each run of the floor against the run of `edict batch` just before it)" % (
                rows["floor"]["to_edict"])
        s += ".\n"
    speedups = ["%s jobs %.2fx" % (k[len("edict-j"):], base / r["median_s"]) for k, r in rows.items()
                if k.startswith("edict-j")]
    if base and speedups:
        s += ("\nSpeed-up of `edict batch --jobs N` over one job (this machine has %d processors): %s.\n"
              % (os.cpu_count() or 1, ", ".join(speedups)))
    return s


# ---------------------------------------------------------------- workload 3


def hyperfine(env, cmds, runs, warmup, rounds=3):
    """[(label, argv)] -> {label: (median s, stddev s)} via hyperfine -N.

    The runs are made in `rounds` rounds, each timing every command in turn,
    and a command's figure is the median of its rounds' medians: on a
    shared machine a noisy minute then slows one round of every command,
    not all the runs of one."""
    per = {}
    for _ in range(rounds):
        one = hyperfine_round(env, cmds, max(3, runs // rounds), warmup)
        if not one:
            return {}
        for label, (med, sd) in one.items():
            per.setdefault(label, []).append((med, sd))
    return {label: (statistics.median(m for m, _ in v), statistics.median(sd for _, sd in v))
            for label, v in per.items()}


def hyperfine_round(env, cmds, runs, warmup):
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        argv = [env.hyperfine, "-N", "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
                "--export-json", js.name]
        for label, cmd in cmds:
            argv += ["-n", label, " ".join(shell_quote(c) for c in cmd)]
        r = sh(argv)
        if r.returncode != 0:
            fail("hyperfine failed: %s" % r.stderr.strip()[-800:])
            return {}
        res = json.load(open(js.name))["results"]
        return {x["command"]: (x["median"], x["stddev"] or 0.0) for x in res}


def interleaved(cmds, runs, warmup, environ=None):
    """[(label, argv)] -> ({label: (median s, stddev s)}, {label: [s of
    each turn]}) over `runs` turns, each starting every command once, in a
    new random order each turn (posix_spawn, output to /dev/null, timed to
    its exit).  Commands of a millisecond move with the machine from one
    second to the next; within a turn they share the same seconds, so two
    are compared turn by turn (turn_ratio).  A command that fails leaves
    nothing: {}, {}."""
    env = dict(os.environ) if environ is None else environ
    for label, cmd in cmds:
        r = sh(cmd, env=env)
        if r.returncode != 0:
            fail("start-up: %s failed: %s" % (label, r.stderr.strip()[-500:]))
            return {}, {}
    devnull = os.open(os.devnull, os.O_WRONLY)
    order = random.Random(1)
    times = [[] for _ in cmds]
    try:
        for turn in range(warmup + runs):
            ks = list(range(len(cmds)))
            order.shuffle(ks)
            for k in ks:
                argv = cmds[k][1]
                t0 = time.perf_counter_ns()
                pid = os.posix_spawn(argv[0] if os.path.isabs(argv[0]) else shutil.which(argv[0]), argv, env,
                                     file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
                _, status = os.waitpid(pid, 0)
                t = (time.perf_counter_ns() - t0) / 1e9
                if status != 0:
                    fail("start-up: %s exited with status %d" % (cmds[k][0], status))
                    return {}, {}
                if turn >= warmup:
                    times[k].append(t)
    finally:
        os.close(devnull)
    figures = {label: (statistics.median(times[k]), statistics.pstdev(times[k])) for k, (label, _) in enumerate(cmds)}
    return figures, {label: times[k] for k, (label, _) in enumerate(cmds)}


def startup(w, cmds, runs, warmup, environ):
    """Time the start-up commands (the first: the start-up cache) into w.
    Those of a millisecond or so are interleaved together; jq and Python,
    which take ten to twenty times longer and leave the caches cold for the
    command after them, are interleaved apart with the first command, in a
    sixth of the turns.  w["startup"]: each command's median and σ;
    w["startup_ratio"]: each one's time / the first's, turn by turn;
    w["startup_turns"]: the quick commands' times, turn by turn."""
    slow = [c for c in cmds[1:] if os.path.basename(c[1][0]).startswith(("jq", "python"))]
    quick = [c for c in cmds if c not in slow]
    figures, turns = interleaved(quick, runs, warmup, environ)
    more, slow_turns = interleaved(cmds[:1] + slow, max(3, runs // 6), warmup, environ) if slow and figures else ({}, {})
    first = cmds[0][0]
    w["startup"] = dict(figures, **{k: v for k, v in more.items() if k != first})
    w["startup_ratio"] = {k: turn_ratio(turns, k, first) for k in turns}
    w["startup_ratio"].update({k: turn_ratio(slow_turns, k, first) for k in slow_turns if k != first})
    w["startup_turns"] = turns


def turn_ratio(turns, a, b):
    """The median over the turns of a's time / b's time (interleaved)."""
    return statistics.median(x / y for x, y in zip(turns[a], turns[b]))


def shell_quote(s):
    if re.fullmatch(r"[A-Za-z0-9_./:=,+-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def workload3(env, results):
    reps = env.cfg["w3_reps"]
    log("workload 3: load and compile, start-up")
    w = {"load": {}, "gen": {}, "startup": {}}
    # (a) the rule library, in process
    for label, path in (("rules/kotra (the whole library)", os.path.join(ROOT, "rules", "kotra")),
                        ("bench/rules (the benchmark's 3 files)", os.path.join(BENCH, "rules"))):
        if not os.path.isdir(path):
            continue
        r = sh([env.bench_edict, "load", "--rules", path, "--reps", str(max(reps, 10))])
        if r.returncode != 0:
            fail("workload 3, loading %s: %s" % (label, r.stderr.strip()[-500:]))
            continue
        res = json.loads(r.stdout)
        w["load"][label] = {"median_ns": statistics.median(res["reps_ns"]), "decls": res["decls"], "modules": res["modules"]}
    # (b) a generated rule set of N decisions against luac on the same logic
    n = env.cfg["w3"]
    gdir = os.path.join(env.data, "ruleset-%d" % n)
    if not os.path.isdir(gdir):
        subprocess.run([env.python, os.path.join(BENCH, "gen", "ruleset.py"), str(n), gdir], check=True)
    r = sh([env.bench_edict, "load", "--rules", os.path.join(gdir, "edict"), "--reps", str(reps)])
    if r.returncode != 0:
        fail("workload 3, loading the generated rule set: %s" % r.stderr.strip()[-500:])
    else:
        res = json.loads(r.stdout)
        w["gen"]["in_process_ns"] = statistics.median(res["reps_ns"])
        w["gen"]["decls"] = res["decls"]
    w["gen"]["n"] = n
    if env.hyperfine:
        cmds = [("edict check (%d decisions)" % n, [env.edict, "check", os.path.join(gdir, "edict")])]
        if env.luac:
            cmds.append(("luac5.4 -p (the same logic in Lua)", [env.luac, "-p", os.path.join(gdir, "gen.lua")]))
            cmds.append(("luac5.4 -o /dev/null (compile and write)", [env.luac, "-o", "/dev/null", os.path.join(gdir, "gen.lua")]))
        if env.luajit:
            cmds.append(("luajit -b (compile to bytecode)", ["luajit", "-b", os.path.join(gdir, "gen.lua"), "/dev/null"]))
        w["gen"]["process"] = hyperfine(env, cmds, env.cfg["hf_runs"], env.cfg["hf_warmup"])
    # (c) start-up: one company, one answer
    one = os.path.join(env.data, "one.json")
    lua_one = ("local c = {size='sme', us_export_share=12, voucher_requested=1000000, voucher_received=0}; "
               "local e = c.size == 'sme' or c.size == 'midsize'; "
               "print(e and math.min(c.voucher_requested, math.max(50000000 - c.voucher_received, 0)) or 0)")
    # as a user runs it (the start-up cache, in a folder of the run's own,
    # written by a first run before any is timed), from the rule files
    # (the cache off), and from the compiled image
    image = os.path.join(env.data, "rules.edc")
    sh([env.edict, "compile", env.rules, "-o", image])
    cache = os.path.join(env.data, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    environ = dict(os.environ, EDICT_CACHE=cache)
    award = ["--facts", one, "--query", "voucher.award"]
    sh([env.edict, "eval", env.rules] + award, env=environ)
    cmds = [("edict eval %s --query voucher.award (the start-up cache, as by default)" % env.rules_label(),
             [env.edict, "eval", env.rules] + award),
            ("edict eval %s --query voucher.award --no-cache (from the files)" % env.rules_label(),
             [env.edict, "eval", "--no-cache", env.rules] + award),
            ("edict eval bench/rules --query voucher.award --no-cache",
             [env.edict, "eval", "--no-cache", os.path.join(BENCH, "rules")] + award)]
    if os.path.exists(image):
        cmds.append(("edict eval %s compiled (edict compile), --query voucher.award" % env.rules_label(),
                     [env.edict, "eval", image, "--facts", one, "--query", "voucher.award"]))
    if have("lua5.4"):
        cmds.append(("lua5.4 -e (the award of one company)", ["lua5.4", "-e", lua_one]))
    if have("luajit"):
        cmds.append(("luajit -e (the same)", ["luajit", "-e", lua_one]))
    if env.jq:
        cmds.append(("jq .company.size (one lookup)", [env.jq, ".company.size", one]))
    cmds.append(("python3 -c (the same as lua -e)", [env.python, "-c", "print(min(1000000, max(50000000 - 0, 0)))"]))
    startup(w, cmds, env.cfg["startup_runs"], env.cfg["hf_warmup"], environ)
    results["w3"] = w


def report3(env, w):
    s = "### Workload 3: load and compile; start-up\n\n"
    if w["load"]:
        body = [[k, "%d modules, %d decisions/params/tables" % (v["modules"], v["decls"]), fmt_ns(v["median_ns"])]
                for k, v in w["load"].items()]
        s += "Loading, checking and compiling a rule set inside one process (median):\n\n"
        s += table(["rule set", "size", "load + check + compile"], body) + "\n"
    g = w["gen"]
    if g.get("in_process_ns") is not None:
        s += ("A generated rule set of %s decisions (bench/gen/ruleset.py; the same logic as %s Lua functions): "
              "Edict loads, checks and compiles it in process in %s (median).\n\n"
              % ("{:,}".format(g["n"]), "{:,}".format(g["n"]), fmt_ns(g["in_process_ns"])))
    if g.get("process"):
        base = next(iter(g["process"].values()))[0]
        body = [[k, "%.1f ms ± %.1f" % (m * 1e3, sd * 1e3), fmt_ratio(m / base)] for k, (m, sd) in g["process"].items()]
        s += ("The same, as whole processes (hyperfine, three rounds of every command in turn, the median of "
              "the rounds' medians ± the median σ; ratio = peer time / Edict time):\n\n")
        s += table(["command", "time", "ratio"], body) + "\n"
    if w["startup"]:
        body = [[k, "%.2f ms ± %.2f" % (m * 1e3, sd * 1e3), fmt_ratio(w["startup_ratio"][k])]
                for k, (m, sd) in w["startup"].items()]
        s += ("Start-up: one process, one company, one answer (%d turns, each starting every command once in a new "
              "random order, with posix_spawn and no shell; jq and Python, ten to twenty times slower, in %d turns "
              "of their own with the first row; the median ± σ of each command's runs; ratio = command / the first "
              "row in the same turn, the median over the turns, i.e. peer time / Edict time):\n\n"
              % (env.cfg["startup_runs"], max(3, env.cfg["startup_runs"] // 6)))
        s += table(["command", "time", "ratio"], body)
    return s


# ---------------------------------------------------------------- workload 4


def workload4(env, results):
    lo, hi = env.cfg["w4"]
    log("workload 4: memory at %d and %d lines" % (lo, hi))
    w = {"stream": {}, "ctx": None}
    label, key, cmd = stream_commands(env)[0]
    for n in (lo, hi):
        path = env.companies(hi) if n == hi else env.prefix(hi, n)
        rss = []
        for _ in range(2):
            wall, kib, rc, err = run_timed(cmd, path)
            if rc != 0:
                fail("workload 4, %s at %d lines: %s" % (label, n, err.strip()[-300:]))
                break
            rss.append(kib)
        if rss:
            w["stream"][n] = max(rss)
    w["label"] = label
    r = sh([env.bench_edict, "ctx", "--rules", env.rules] + env.edict_query_args())
    if r.returncode == 0:
        w["ctx"] = json.loads(r.stdout)
    else:
        fail("workload 4, context size: %s" % r.stderr.strip()[-300:])
    results["w4"] = w


def report4(env, w):
    s = "### Workload 4: memory\n\n"
    if w["stream"]:
        items = sorted(w["stream"].items())
        body = [["{:,}".format(n), "%.1f MiB" % (k / 1024)] for n, k in items]
        s += "Peak resident memory of %s (the largest of 2 runs):\n\n" % w["label"]
        s += table(["lines", "peak RSS"], body)
        if len(items) == 2:
            growth = items[1][1] / items[0][1] - 1
            s += "\nFrom %s to %s lines the peak grows by %.1f%% (target: within 10%%).\n\n" % (
                "{:,}".format(items[0][0]), "{:,}".format(items[1][0]), growth * 100)
            w["growth"] = growth
    c = w["ctx"]
    if c:
        s += ("One evaluation context for %s (%d decisions/params/tables, %d fact roots): %.0f bytes when new; "
              "loading one company's facts allocates %.0f bytes; its first evaluation of the four decisions "
              "another %.0f bytes (the value stack, 256 slots, and the decisions' results).\n"
              % (env.rules_label(), c["decls"], c["facts"], c["ctx_new_bytes"], c["facts_bytes"], c["first_eval_bytes"]))
    return s


# ---------------------------------------------------------------- workload 5


def workload5(env, results):
    n, times = env.cfg["w5"], env.cfg["w5_times"]
    log("workload 5: exact decimals, %d numbers" % n)
    facts = os.path.join(env.data, "numbers-%d.json" % n)
    if not os.path.exists(facts):
        with open(facts, "w") as f:
            subprocess.run([env.python, os.path.join(BENCH, "gen", "numbers.py"), str(n)], stdout=f, check=True)
    w = {"n": n, "prims": None, "vm": {}}
    r = sh([env.bench_edict, "decimal", "--n", str(max(n, 100_000) * 10), "--reps", "5"])
    if r.returncode == 0:
        w["prims"] = json.loads(r.stdout)
    else:
        fail("workload 5, primitives: %s" % r.stderr.strip()[-300:])
    ops = ["loop", "add", "mul", "compare", "money_x_percent"]
    cmd = [env.bench_edict, "repeat", "--rules", os.path.join(BENCH, "rules-decimal"), "--facts", facts,
           "--times", str(times), "--reps", "5"]
    for op in ops:
        cmd += ["--query", "dec." + op]
    r = sh(cmd)
    if r.returncode == 0:
        res = json.loads(r.stdout)
        w["vm"]["Edict (exact decimals)"] = {op: {"ns": res["dec." + op]["ns_per_eval"] / n,
                                                   "value": res["dec." + op]["value"]} for op in ops}
    else:
        fail("workload 5, Edict: %s" % r.stderr.strip()[-300:])
    peers = []
    if env.lua54:
        peers.append(("Lua 5.4 (binary floats)", [env.lua54, os.path.join(PEERS, "decimals.lua"), facts, str(times)]))
    if env.luajit:
        peers.append(("LuaJIT -joff (binary floats)", [env.luajit, "-joff", os.path.join(PEERS, "decimals.lua"), facts, str(times)]))
        peers.append(("LuaJIT (binary floats)", [env.luajit, os.path.join(PEERS, "decimals.lua"), facts, str(times)]))
    peers.append(("Python decimal module (exact, 34 digits)",
                  [env.python, os.path.join(PEERS, "decimals.py"), facts, str(max(1, times // 10))]))
    for label, c in peers:
        r = sh(c)
        if r.returncode != 0:
            fail("workload 5, %s: %s" % (label, r.stderr.strip()[-300:]))
            continue
        w["vm"][label] = json.loads(r.stdout)
    results["w5"] = w


# ---------------------------------------------------------------- the Python door


def leave_out(msg):
    notes.append(msg)
    log(msg)


def workload6(env, results):
    """bench/python/frame.py: the Python package's RuleSet.decide_frame
    beside a pandas DataFrame.apply of hand-written Python, on the same
    rows; left out, with a note saying why, where pandas or the library
    cannot be had."""
    n = env.cfg["w6"]
    lib = os.path.join(os.path.dirname(os.path.abspath(env.edict)), "libedict.so")
    py_env = dict(os.environ, EDICT_LIBRARY=lib, PYTHONPATH=os.path.join(ROOT, "python"), PYTHONDONTWRITEBYTECODE="1")
    if not os.path.exists(lib):
        leave_out("there is no libedict.so beside %s: the Python door (bench/python/frame.py) is left out." % env.edict)
        return
    probe = sh([env.python, "-c", "import pandas"], env=py_env)
    if probe.returncode != 0:
        leave_out("pandas is not installed for %s: the Python door (bench/python/frame.py) is left out "
                     "(Debian: python3-pandas; bench/run.sh --install adds it)." % env.python)
        return
    probe = sh([env.python, "-c", "import edict; edict.RuleSet"], env=py_env)
    if probe.returncode != 0:
        leave_out("the Python package cannot load %s here (%s): the Python door is left out."
                     % (lib, (probe.stderr.strip().splitlines() or ["?"])[-1][:200]))
        return
    log("the Python door: decide_frame beside pandas, %d rows" % n)
    r = sh([env.python, os.path.join(BENCH, "python", "frame.py"), str(n), "--json"], env=py_env)
    if r.returncode not in (0, 1) or not r.stdout.strip():
        fail("the Python door, bench/python/frame.py: %s" % r.stderr.strip()[-300:])
        return
    w = json.loads(r.stdout.strip().splitlines()[-1])
    if w["differ"]:
        fail("the Python door: decide_frame and the hand-written function differ on %d of %d rows" % (w["differ"], n))
    results["w6"] = w


def report6(env, w):
    n = w["rows"]
    rows = [["`RuleSet.decide_frame` (Edict)", "%.2f s" % w["edict_s"], "{:,}".format(int(n / w["edict_s"])),
             fmt_ratio(w["pandas_s"] / w["edict_s"])],
            ["`DataFrame.apply` of hand-written Python", "%.2f s" % w["pandas_s"], "{:,}".format(int(n / w["pandas_s"])),
             "1.00"]]
    return ("### The Python door: `decide_frame` beside pandas\n\n"
            "bench/python/frame.py: the four decisions for each of %s rows of a DataFrame (pandas %s, Python %s), "
            "the best of three runs each, one thread; both decided the same for every row "
            "(ratio = pandas time / Edict time):\n\n" % ("{:,}".format(n), w["pandas"], w["python"])
            + table(["implementation", "time", "rows/s", "ratio"], rows))


def same_number(a, b):
    """Whether two printed results are the same number (units and trailing zeros aside)."""
    a, b = a.split()[0], b.split()[0]
    try:
        from decimal import Decimal
        return Decimal(a) == Decimal(b)
    except Exception:
        return a == b


def report5(env, w):
    s = "### Workload 5: the price of exact decimals\n\n"
    p = w["prims"]
    if p:
        body = [[op.replace("_", " "), "%.1f ns" % v["dec_ns"], "%.1f ns" % v["double_ns"], fmt_ratio(v["dec_ns"] / v["double_ns"])]
                for op, v in p.items()]
        s += ("The library's decimal primitives (interp/decimal.h: 128-bit coefficient, 34 digits) against C doubles, "
              "per operation over arrays of random amounts with 2 decimals and percentages with 1:\n\n")
        s += table(["operation", "Edict dec_*", "C double", "cost of exactness"], body) + "\n"
    vm = w["vm"]
    if vm:
        ops = ["loop", "add", "mul", "compare", "money_x_percent"]
        names = {"loop": "loop alone: `count(x for x in xs)`", "add": "add: `sum(x for x in xs)`",
                 "mul": "mul: `sum(x * 1.07 for x in xs)`", "compare": "compare: `count(x for x in xs where x >= 5000.50)`",
                 "money_x_percent": "money × percent: `sum(m * 12.5% for m in amounts)`"}
        impls = list(vm.keys())
        ed = vm.get("Edict (exact decimals)")
        head = ["per element, %s numbers" % "{:,}".format(w["n"])] + impls
        body = []
        for op in ops:
            row = [names[op]]
            for i in impls:
                v = vm[i].get(op)
                if not v:
                    row.append("-")
                    continue
                cell = "%.1f ns" % v["ns"]
                if ed and i != "Edict (exact decimals)":
                    cell += " (%s)" % fmt_ratio(v["ns"] / ed[op]["ns"])
                    if not same_number(v["value"], ed[op]["value"]):
                        cell += " ≠"
                row.append(cell)
            body.append(row)
        s += ("Inside the interpreters: each rule folds one operation over a list (bench/rules-decimal), "
              "per element, with ratio peer / Edict in brackets. ≠ marks a peer whose result differs from the exact one "
              "(binary floating point: e.g. Edict's sum is %s, Lua's %s).\n\n"
              % (ed["add"]["value"] if ed else "?", vm.get("Lua 5.4 (binary floats)", {}).get("add", {}).get("value", "?")))
        s += table(head, body)
    return s


# ---------------------------------------------------------------- targets


def targets(env, results):
    rows = []

    def row(what, target, got, ok):
        rows.append([what, target, got, "met" if ok else ("**not met**" if ok is False else "not measured")])

    w1 = results.get("w1", {}).get("rows", {})
    ed = w1.get("edict", {}).get("median_ns")
    for key, name in (("lua", "Lua 5.4"), ("luajit-joff", "LuaJIT interpreter")):
        peer = w1.get(key, {}).get("median_ns")
        row("W1: faster than %s" % name, "ratio > 1", fmt_ratio(peer / ed) if ed and peer else "-",
            (peer / ed > 1) if ed and peer else None)
    c = w1.get("c", {}).get("median_ns")
    for key, what, want in (("edict", "the interpreter within 10x of C", 10),
                            ("edict-native", "the native tier (--native) within 3x of C", 3)):
        e = w1.get(key, {})
        x = e.get("to_c") or (e["median_ns"] / c if e.get("median_ns") and c else None)
        row("W1: %s" % what, "Edict / C ≤ %g" % want, "%.1fx" % x if x else "-", (x <= want) if x else None)
    w2 = results.get("w2", {}).get("rows", {})
    e2 = w2.get("edict", {}).get("median_s")
    for key, name, want in (("jq", "at least 25x jq", 25), ("python", "ahead of Python", 1),
                            ("lua", "at least 4x Lua 5.4 + lua-cjson", 4)):
        peer = w2.get(key, {}).get("median_s")
        row("W2: %s" % name, "ratio ≥ %g" % want, fmt_ratio(peer / e2) if e2 and peer else "-",
            (peer / e2 >= want) if e2 and peer else None)
    fl = w2.get("floor", {})
    x = fl.get("to_edict") or (fl["median_s"] / e2 if e2 and fl.get("median_s") else None)
    row("W2: 1.5x faster than the json-c parse-only floor", "floor / Edict ≥ 1.5",
        "%.2fx" % x if x else "-", (x >= 1.5) if x else None)
    j16 = w2.get("edict-j16", {}).get("median_s")
    row("W2: edict batch --jobs 16 at least 12x one job", "speed-up ≥ 12 on 16 processors",
        "%.2fx" % (e2 / j16) if e2 and j16 else "- (%d processors)" % (os.cpu_count() or 1),
        (e2 / j16 >= 12) if e2 and j16 else None)
    w3 = results.get("w3", {})
    lib = w3.get("load", {}).get("rules/kotra (the whole library)")
    row("W3: rule library loads in under 5 ms", "< 5 ms", fmt_ns(lib["median_ns"]) if lib else "-",
        (lib["median_ns"] < 5e6) if lib else None)
    proc = w3.get("gen", {}).get("process", {})
    e3 = next((v[0] for k, v in proc.items() if k.startswith("edict check")), None)
    l3 = next((v[0] for k, v in proc.items() if k.startswith("luac5.4 -p")), None)
    row("W3: %s decisions at least as fast as luac" % "{:,}".format(w3.get("gen", {}).get("n", 0)), "ratio ≥ 1",
        fmt_ratio(l3 / e3) if e3 and l3 else "-", (l3 / e3 >= 1) if e3 and l3 else None)
    turns = w3.get("startup_turns", {})
    es = next((k for k in turns if k.startswith("edict eval") and "start-up cache" in k), None)
    ei = next((k for k in turns if k.startswith("edict eval") and "compiled" in k), None)
    lua = next((k for k in turns if k.startswith("lua5.4 -e")), None)
    for name, edict in (("W3: one-company edict eval starts as fast as lua -e (the start-up cache)", es),
                        ("W3: the same from a compiled image", ei)):
        r = turn_ratio(turns, lua, edict) if edict and lua else None
        row(name, "ratio ≥ 1", fmt_ratio(r) if r else "-", (r >= 1) if r else None)
    g = results.get("w4", {}).get("growth")
    row("W4: memory flat", "growth ≤ 10%", "%.1f%%" % (g * 100) if g is not None else "-", (g <= 0.10) if g is not None else None)
    return "### Targets (this run)\n\n" + table(["target", "wants", "this run", ""], rows)


# ---------------------------------------------------------------- main


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.0f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return cpu, os.cpu_count(), mem


def versions(env):
    def first(cmd):
        try:
            r = sh(cmd)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except Exception:
            return "not installed"
    return {
        "edict": first([env.edict, "--version"]),
        "lua5.4": " ".join(first(["lua5.4", "-v"]).split()[:2]) if have("lua5.4") else "not installed",
        "luajit": " ".join(first(["luajit", "-v"]).split()[:2]) if have("luajit") else "not installed",
        "jq": first(["jq", "--version"]) if have("jq") else "not installed",
        "python": first([env.python, "--version"]),
        "gcc": first(["gcc", "--version"]),
        "hyperfine": first(["hyperfine", "--version"]) if have("hyperfine") else "not installed",
    }


def update_doc(text):
    """Replace the block between the results markers of docs/performance.md,
    headings one level down (the page has its own title and sections)."""
    path = os.path.join(ROOT, "docs", "performance.md")
    doc = open(path, encoding="utf-8").read()
    begin, end = "<!-- results:begin -->\n", "<!-- results:end -->"
    i, j = doc.find(begin), doc.find(end)
    if i < 0 or j < i:
        fail("docs/performance.md has no results markers; not updated")
        return
    body = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.M)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc[:i + len(begin)] + body + doc[j:])
    log("docs/performance.md updated")


def main():
    ap = argparse.ArgumentParser(description="Edict's benchmark suite")
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--build", required=True)
    ap.add_argument("--edict", help="the edict command (default: BUILD/edict/edict)")
    ap.add_argument("--out", help="Markdown report (default: BUILD/results-SIZE.md)")
    ap.add_argument("--only", default="1,2,3,4,5,6", help="workloads to run, e.g. 1,3 (6: the Python door)")
    ap.add_argument("--update-doc", action="store_true",
                    help="also put the report into docs/performance.md, between its results markers")
    a = ap.parse_args()
    env = Env(a)
    only = {int(x) for x in a.only.split(",") if x}
    load_before = loadavg()
    started = datetime.datetime.now()
    results = {}
    steps = [(1, workload1), (2, workload2), (3, workload3), (4, workload4), (5, workload5), (6, workload6)]
    for k, fn in steps:
        if k in only:
            try:
                fn(env, results)
            except subprocess.TimeoutExpired as e:
                fail("workload %d timed out: %s" % (k, e))
    load_after = loadavg()
    elapsed = datetime.datetime.now() - started
    cpu, ncpu, mem = machine()
    v = versions(env)
    commit = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    md = ["## Benchmark results: size `%s`, %s\n" % (env.size, started.strftime("%Y-%m-%d %H:%M"))]
    md.append("- Machine: %s, %s cores, %s; %s %s\n" % (cpu, ncpu, mem, platform.system(), platform.release()))
    md.append("- Load average (1, 5, 15 min) before: %s; after: %s; the run took %s.\n"
              % (load_before, load_after, str(elapsed).split(".")[0]))
    md.append("- Edict: commit %s%s, rules: %s; %s\n" % (commit, " with uncommitted changes" if dirty else "",
                                                         env.rules_label(), v["edict"]))
    md.append("- Peers: %s; %s; %s; %s; %s; %s\n" % (v["lua5.4"], v["luajit"], v["jq"], v["python"], v["gcc"], v["hyperfine"]))
    md.append("- Command: `bench/run.sh --size %s%s`\n" % (env.size, "" if a.only == "1,2,3,4,5,6" else " --only " + a.only))
    for n in notes:
        md.append("- Note: %s\n" % n)
    md.append("\n")
    for k, rep in ((1, report1), (2, report2), (3, report3), (4, report4), (5, report5), (6, report6)):
        key = "w%d" % k
        if key in results:
            try:
                md.append(rep(env, results[key]) + "\n")
            except Exception as e:  # a report must never hide the others
                fail("report of workload %d: %r" % (k, e))
    md.append(targets(env, results) + "\n")
    if failures:
        md.append("### Failed checks\n\n" + "".join("- %s\n" % f.replace("\n", " ") for f in failures) + "\n")
    text = "".join(md)
    out = a.out or os.path.join(env.build, "results-%s.md" % env.size)
    with open(out, "w") as f:
        f.write(text)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump({"size": env.size, "results": results, "failures": failures, "notes": notes,
                   "load_before": load_before, "load_after": load_after}, f, indent=1, default=str)
    sys.stdout.write(text)
    log("report written to %s" % out)
    if a.update_doc:
        update_doc(text)
    if failures:
        log("%d check(s) failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
