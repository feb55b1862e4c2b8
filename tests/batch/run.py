#!/usr/bin/env python3
"""
run.py - golden tests of `edict batch` and `edict simulate`.

The cases (cases/*.test) use the format of tests/golden/run.py, which runs
them (read its docstring); `copy:` lines name files of fixtures/ here.  One
thing differs: batch's closing summary ends with the time taken and the
rate, which change from run to run, so they are compared as
"in T s (R lines/s)".

Usage: run.py --edict PATH/TO/edict [CASE_OR_DIR ...]   (UPDATE=1 as for run.py)
"""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("golden_run", os.path.join(HERE, "..", "golden", "run.py"))
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)

golden.FIXTURES = os.path.join(HERE, "fixtures")
TIMING = re.compile(r" in \d+\.\d+ s \(\d+ lines/s\)")
_run_case = golden.run_case


def run_case(case, edict, cache=None):
    code, out, err, why = _run_case(case, edict, cache)
    return code, out, TIMING.sub(" in T s (R lines/s)", err), why


golden.run_case = run_case
golden.normalize = lambda r: (r[0], r[1], TIMING.sub(" in T s (R lines/s)", r[2]), r[3])

if __name__ == "__main__":
    if len(sys.argv) in (3, 5) and sys.argv[1] == "--edict":
        sys.argv.append(os.path.join(HERE, "cases"))
    sys.exit(golden.main())
