#!/usr/bin/env python3
"""compare.py - a rule set answers the same from its compiled image as from
its files.

    python3 tests/image/compare.py --edict build/edict

For every rule set of the repository (rules/kotra, the examples, the
standard library), `edict compile` writes its image into a temporary
folder; then `edict test` is run on the files (the start-up cache off) and
on the image, with and without --coverage; for rules/kotra `edict eval` of
every company of examples/companies, and for examples/law (scales, facts
over time, enumerations carrying values, requirements, functions with
cases) `edict eval` of tests/image/law-facts.json on two dates, as text,
as JSON, with explanations and for one query, and of facts that break its
requirement; and for both, every public decision as a query of its own
(from an image, a query of a plain name reads only the rules it names,
what those name, and so on), two queries at once and a misspelt one:
standard output, standard error and exit status must be the same, byte
for byte.
"""
import json
import argparse
import glob
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULE_SETS = ["rules/kotra", "examples/voucher", "examples/law", "examples/language", "examples/dmn", "stdlib"]


def run(edict, *args):
    env = dict(os.environ, NO_COLOR="1", TZ="UTC", EDICT_CACHE="off")
    r = subprocess.run([edict] + list(args), cwd=ROOT, capture_output=True, env=env, timeout=120)
    return r.returncode, r.stdout, r.stderr


def query_pairs(edict, rules, image, facts, day):
    """Each public decision of the rule set as a query of its own, two at
    once, and a misspelt one, from the files and from the image."""
    common = ["--facts", facts, "--as-of", day]
    rc, out, _ = run(edict, "eval", image, "--json", *common)
    names = sorted(json.loads(out)["decisions"]) if rc == 0 else []
    queries = [["--query", n] for n in names]
    if len(names) >= 2:
        queries.append(["--query", names[0], "--query", names[-1]])
        queries.append(["--query", names[0] + "x", "--explain"])
    return [(["eval", rules] + common + q, ["eval", image] + common + q) for q in queries]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edict", required=True)
    edict = os.path.abspath(ap.parse_args().edict)
    failed = compared = 0
    with tempfile.TemporaryDirectory(prefix="edict-image-") as tmp:
        for rules in RULE_SETS:
            image = os.path.join(tmp, os.path.basename(rules) + ".edc")
            rc, out, err = run(edict, "compile", rules, "-o", image)
            if rc != 0:
                print("FAIL edict compile %s: %s" % (rules, err.decode(errors="replace")))
                failed += 1
                continue
            pairs = [(["test", rules], ["test", image]), (["test", rules, "--coverage"], ["test", image, "--coverage"])]
            if rules == "rules/kotra":
                for facts in sorted(glob.glob(os.path.join(ROOT, "examples/companies/*.json"))):
                    for opt in ([], ["--json"], ["--explain"], ["--query", "voucher.award"]):
                        pairs.append((["eval", rules, "--facts", facts, "--as-of", "2026-12-01"] + opt,
                                      ["eval", image, "--facts", facts, "--as-of", "2026-12-01"] + opt))
                    if facts.endswith("cosmetics_sme_exactly_10pct.json"):
                        pairs += query_pairs(edict, rules, image, facts, "2026-12-01")
            if rules == "examples/law":
                facts = os.path.join(ROOT, "tests/image/law-facts.json")
                for day in ("2025-05-20", "2026-03-01"):
                    for opt in ([], ["--json"], ["--explain=full"], ["--query", "income_tax.income_tax"],
                                ["--query", "home_sale.exclusion", "--explain"]):
                        common = ["--facts", facts, "--as-of", day] + opt
                        pairs.append((["eval", rules] + common, ["eval", image] + common))
                # facts that break a requirement: the same refusal, naming the same place
                broken = ["--facts", os.path.join(ROOT, "tests/image/law-facts-inconsistent.json"), "--as-of", "2026-03-01"]
                pairs.append((["eval", rules] + broken, ["eval", image] + broken))
                pairs += query_pairs(edict, rules, image, facts, "2026-03-01")
            for files, img in pairs:
                compared += 1
                a, b = run(edict, *files), run(edict, *img)
                if a != b:
                    failed += 1
                    print("FAIL edict %s\n  differs from edict %s" % (" ".join(files), " ".join(img)))
                    print("  files: exit %d\n%s%s\n  image: exit %d\n%s%s" % (
                        a[0], a[1].decode(errors="replace")[-800:], a[2].decode(errors="replace")[-800:],
                        b[0], b[1].decode(errors="replace")[-800:], b[2].decode(errors="replace")[-800:]))
    print("%d compared, %d differ" % (compared, failed))
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
