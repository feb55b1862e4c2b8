#!/usr/bin/env python3
"""site_test.py - `edict doc` and `edict graph`, run for real.

  * golden HTML fragments: parts of the site written for tests/doc/fixture
    (a dated parameter's timeline, a table with its hit policy, citations
    linked to document pages, uses, used-by and tests, a view's timeline,
    a document page, the index's list of documents) are compared with
    tests/doc/expected/*.html (UPDATE=1 rewrites them; read the diff);
  * every internal link of the fixture's site and of rules/kotra's resolves
    (check_links.py), and no page links out of the site;
  * a rule set with errors: exit 1, the diagnostics, and no site, not even
    a temporary folder; a folder that is not a site is never replaced; a
    second run replaces the first site;
  * edict graph: DOT by default, SVG with --format svg, one decision with
    --query, and a clear error for an unknown one;
  * module and file names holding <, >, & and quotes (a module is named
    after its file): escaped in the pages' text, percent-escaped in links,
    which still resolve; no markup of theirs gets into a page.

    python3 tests/doc/site_test.py --edict build/edict --out build/doc-test
"""
import argparse
import html.parser
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FRAGMENTS = [
    ("module/programme.html", "section", "cap", "param-cap"),
    ("module/programme.html", "section", "support_level", "table-support-level"),
    ("module/programme.html", "section", "priority", "decision-priority"),
    ("module/programme.html", "section", "plan", "view-plan"),
    ("document/guide.html", "main", None, "document-guide"),
    ("index.html", "section", "documents", "index-documents"),
]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(edict, args, cwd=None):
    return subprocess.run([edict] + args, cwd=cwd, capture_output=True, text=True, timeout=120)


def fragment(html, tag, ident):
    if ident is None:
        m = re.search(r"<%s>.*?</%s>" % (tag, tag), html, re.S)
    else:
        m = re.search(r'<%s[^>]* id="%s"[^>]*>.*?</%s>' % (tag, re.escape(ident), tag), html, re.S)
    return m.group(0) + "\n" if m else None


def golden(site):
    update = os.environ.get("UPDATE") == "1"
    for page, tag, ident, name in FRAGMENTS:
        with open(os.path.join(site, page), encoding="utf-8") as f:
            got = fragment(f.read(), tag, ident)
        path = os.path.join(HERE, "expected", name + ".html")
        if update and got:
            with open(path, "w", encoding="utf-8") as f:
                f.write(got)
        want = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        check(got is not None and got == want, "fragment %s of %s matches expected/%s.html" % (ident or tag, page, name))
        if got != want and got and want:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "actual"))


def links(site, what):
    r = subprocess.run([sys.executable, os.path.join(HERE, "check_links.py"), site], capture_output=True, text=True)
    print(r.stdout.strip())
    check(r.returncode == 0, "every link of %s resolves" % what)


def errors(edict, out):
    bad = os.path.join(out, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "rules.edict"), "w") as f:
        f.write('decision x : bool = true source nowhere "article 1"\n')
    r = run(edict, ["doc", "rules.edict", "-o", "site"], cwd=bad)
    check(r.returncode == 1, "a rule set with errors: exit status 1")
    check("there is no document named 'nowhere'" in r.stderr and "rules.edict:1:" in r.stderr,
          "a rule set with errors: the diagnostics, with the place")
    check(sorted(os.listdir(bad)) == ["rules.edict"], "a rule set with errors: no site and no temporary folder")
    mine = os.path.join(out, "mine")
    os.makedirs(mine, exist_ok=True)
    with open(os.path.join(mine, "notes.txt"), "w") as f:
        f.write("my own file\n")
    r = run(edict, ["doc", os.path.join(HERE, "fixture"), "-o", mine])
    check(r.returncode == 1 and os.path.exists(os.path.join(mine, "notes.txt")),
          "a folder that is not a site is left alone")
    again = os.path.join(out, "again")
    first = run(edict, ["doc", os.path.join(HERE, "fixture"), "-o", again])
    second = run(edict, ["doc", os.path.join(HERE, "fixture"), "-o", again])
    leftovers = [n for n in os.listdir(out) if ".tmp-" in n or ".old-" in n]
    check(first.returncode == 0 and second.returncode == 0 and os.path.isfile(os.path.join(again, "index.html"))
          and not leftovers, "a second run replaces the site, leaving nothing behind")
    r = run(edict, ["doc", os.path.join(HERE, "fixture")])
    check(r.returncode == 2 and "-o DIR" in r.stderr, "without -o: a usage error")


class Tags(html.parser.HTMLParser):
    """The tags of a page, and its text."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def hostile_names(edict, out):
    rules = os.path.join(out, "names", 'd_<script>&"q"')
    os.makedirs(rules)
    for name in ("<script>", 'a"b'):
        with open(os.path.join(rules, name + ".edict"), "w") as f:
            f.write("decision x : int = 1\n")
    site = os.path.join(out, "names-site")
    r = run(edict, ["doc", rules, "-o", site])
    check(r.returncode == 0, "edict doc on modules named <script> and a\"b (%s)" % r.stderr.strip())
    pages = {}
    for d, _, files in os.walk(site):
        for n in files:
            if n.endswith(".html"):
                t = Tags()
                with open(os.path.join(d, n), encoding="utf-8") as f:
                    t.feed(f.read())
                pages[os.path.relpath(os.path.join(d, n), site)] = t
    check(len(pages) >= 4, "hostile names: the pages are written (%s)" % ", ".join(sorted(pages)))
    scripts = [p for p, t in pages.items() for tag, a in t.tags if tag == "script" and "src" not in a]
    check(not scripts, "hostile names: no script of a file name's in a page (%s)" % ", ".join(scripts))
    index = pages.get("index.html", Tags())
    hrefs = [a.get("href", "") for tag, a in index.tags if tag == "a"]
    check("module/%3Cscript%3E.html" in hrefs and "module/a%22b.html" in hrefs,
          "hostile names: module links percent-escaped (%s)" % ", ".join(hrefs))
    text = "".join(index.text)
    check('d_<script>&"q"/<script>.edict' in text and 'd_<script>&"q"/a"b.edict' in text,
          "hostile names: the file names read as written")
    module = "".join(pages.get("module/<script>.html", Tags()).text)
    check('d_<script>&"q"/<script>.edict:1' in module, "hostile names: the place of a declaration reads as written")
    drawn = [a["xlink:href"] for tag, a in pages.get("graph.html", Tags()).tags if tag == "a" and "xlink:href" in a]
    check(sorted(drawn) == ["module/%3Cscript%3E.html#x", "module/a%22b.html#x"],
          "hostile names: the dependency graph is drawn, linking both modules (%s)" % drawn)
    links(site, "the site of hostile names")
    r = run(edict, ["graph", rules])
    check(r.returncode == 0 and 'subgraph "cluster_a\\"b" {' in r.stdout and '"a\\"b.x" [' in r.stdout,
          "edict graph: a module name with a quote is escaped in its cluster's name as in its nodes'")
    r = run(edict, ["graph", rules, "--format", "svg"])
    check(r.returncode == 0 and r.stdout.count('<g id="clust') == 2,
          "edict graph --format svg draws modules named <script> and a\"b (%s)" % r.stderr.strip())


def graph(edict):
    fx = os.path.join(HERE, "fixture")
    r = run(edict, ["graph", fx])
    check(r.returncode == 0 and r.stdout.startswith("digraph") and '"programme.cap" -> ' not in r.stdout
          and '"programme.priority"' in r.stdout, "edict graph: DOT of every declaration")
    r = run(edict, ["graph", os.path.join(ROOT, "rules", "kotra"), "--query", "voucher.award"])
    nodes = set(re.findall(r'^    "([a-z_.]+)" \[', r.stdout, re.M))
    check(r.returncode == 0 and nodes == {"voucher.award", "voucher.eligible", "voucher.eligible_sizes", "voucher.remaining",
                                          "voucher.cap", "voucher.cap_per_company"},
          "edict graph --query: the decision and what it uses (%s)" % ", ".join(sorted(nodes)))
    r = run(edict, ["graph", fx, "--format", "svg"])
    check(r.returncode == 0 and "<svg" in r.stdout and "priority" in r.stdout, "edict graph --format svg draws it")
    r = run(edict, ["graph", fx, "--query", "priorty"])
    check(r.returncode == 1 and "did you mean 'programme.priority'" in r.stderr, "edict graph --query: a misspelt name")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--out", required=True)
    o = ap.parse_args()
    edict = os.path.abspath(o.edict)
    out = os.path.abspath(o.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    site = os.path.join(out, "fixture-site")
    r = run(edict, ["doc", "fixture", "-o", site, "--as-of", "2025-06-01"], cwd=HERE)
    check(r.returncode == 0 and "open " in r.stdout, "edict doc on the fixture (%s)" % r.stdout.strip())
    golden(site)
    links(site, "the fixture's site")
    kotra = os.path.join(out, "kotra-site")
    r = run(edict, ["doc", os.path.join(ROOT, "rules", "kotra"), "-o", kotra, "--as-of", "2026-12-01"])
    check(r.returncode == 0, "edict doc rules/kotra")
    links(kotra, "rules/kotra's site")
    errors(edict, out)
    hostile_names(edict, out)
    graph(edict)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
