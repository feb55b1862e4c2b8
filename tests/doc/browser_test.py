#!/usr/bin/env python3
"""browser_test.py - the site of rules/kotra as a browser shows it.

Writes the site with `edict doc`, opens pages in headless Chromium (Debian's
`chromium`), and checks the DOM the browser built (after its scripts ran):
the index and its search box (searched through ?q=, which search.js reads),
a module page, a document page, the dependency graph and the roadmap view.
A screenshot of each page is saved in OUT/screenshots as a test artifact.

    python3 tests/doc/browser_test.py --edict build/edict --out build/doc-browser
"""
import argparse
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


class Dom(html.parser.HTMLParser):
    """The elements of a dumped DOM: (tag, attrs, text inside)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elems, self.stack = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        e = [tag, dict(attrs), ""]
        self.elems.append(e)
        if tag not in ("meta", "link", "input", "br", "img", "rect", "path", "polygon", "ellipse", "line"):
            self.stack.append(e)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for e in self.stack:
            e[2] += data

    def find(self, tag, **attrs):
        out = []
        for t, a, text in self.elems:
            if t != tag:
                continue
            if all((a.get(k.rstrip("_")) or "").split().count(v) if k.rstrip("_") == "class" else a.get(k.rstrip("_")) == v
                   for k, v in attrs.items()):
                out.append((a, text))
        return out


def chromium(args, profile):
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--user-data-dir=" + profile, "--virtual-time-budget=3000"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def page(site, path, shots, name, profile, query=""):
    url = "file://" + os.path.join(site, path) + query
    r = chromium(["--dump-dom", url], profile)
    shot = os.path.join(shots, name + ".png")
    chromium(["--window-size=1280,1000", "--screenshot=" + shot, url], profile)
    check(os.path.isfile(shot) and os.path.getsize(shot) > 10000, "screenshot of %s saved as %s" % (path, shot))
    return Dom(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edict", required=True)
    ap.add_argument("--out", required=True)
    o = ap.parse_args()
    if not shutil.which("chromium"):
        print("FAIL chromium is not installed (tests/quickstart.sh test installs it)")
        return 1
    out = os.path.abspath(o.out)
    shutil.rmtree(out, ignore_errors=True)
    shots = os.path.join(out, "screenshots")
    os.makedirs(shots)
    site = os.path.join(out, "site")
    r = subprocess.run([os.path.abspath(o.edict), "doc", os.path.join(ROOT, "rules", "kotra"), "-o", site,
                        "--as-of", "2026-12-01"], capture_output=True, text=True)
    check(r.returncode == 0, "edict doc rules/kotra")
    profile = tempfile.mkdtemp(prefix="edict-chromium-")
    try:
        dom = page(site, "index.html", shots, "index", profile, "?q=award")
        check(len(dom.find("input", id="search")) == 1, "index: the search box")
        hits = [a.get("href") for a, _ in dom.find("a") if a.get("href") == "module/voucher.html#award"]
        found = [t for _, t in dom.find("ul", id="results")]
        check("voucher.award" in "".join(found) and hits, "index: searching 'award' lists voucher.award (the script ran)")
        mods = [a["href"] for a, _ in dom.find("a") if a.get("href", "").startswith("module/")]
        check("module/origin.eu.html" in mods and "module/voucher.html" in mods, "index: links to the modules")

        dom = page(site, "module/voucher.html", shots, "module-voucher", profile)
        sec = dom.find("section", id="award")
        check(len(sec) == 1 and "min(company.voucher_requested, remaining)" in sec[0][1], "module: the declaration as written")
        check(any("k" in a.get("class", "").split() and t == "decision" for a, t in dom.find("span")),
              "module: keywords highlighted")
        docs = [a["href"] for a, _ in dom.find("a", class_="doc")]
        check("../document/commentary.html#task-4" in docs, "module: citations link to the document page, by pinpoint")
        check(len(dom.find("svg", class_="timeline")) >= 1, "module: a parameter's dated values as a timeline")
        check(any("Tests" in t for _, t in dom.find("p", class_="tests")), "module: the tests that exercise a decision")

        dom = page(site, "document/eu_2015_2446.html", shots, "document-eu-2015-2446", profile)
        check(any("Commission Delegated Regulation (EU) 2015/2446" in t for _, t in dom.find("h1")), "document: its title")
        pins = [t for _, t in dom.find("h3")]
        check(any(p.startswith("Annex 22-03, chapter 61, column (a)") for p in pins), "document: rules grouped by pinpoint")
        check(len(dom.find("li")) > 20, "document: every rule that cites it")

        dom = page(site, "graph.html", shots, "graph", profile)
        nodes = dom.find("g", class_="node")
        links = [a for a, _ in dom.find("a") if (a.get("xlink:href") or a.get("href") or "").startswith("module/")]
        check(len(nodes) > 100 and len(links) > 100, "graph: %d nodes drawn, %d linked to their rules" % (len(nodes), len(links)))

        dom = page(site, "view/roadmap.launch_chart.html", shots, "roadmap", profile)
        bars = dom.find("rect", class_="bar")
        labels = [t for _, t in dom.find("text", class_="label")]
        unsched = [t for _, t in dom.find("text", class_="unscheduled")]
        check(len(bars) == 17 and len(labels) == 17, "roadmap: one bar per task (%d bars)" % len(bars))
        check(labels[-1:] == ["13 FTA utilisation"] and unsched == ["unscheduled"], "roadmap: task 13 marked unscheduled")
        legend = [t for _, t in dom.find("g", class_="legend")]
        check(len(legend) == 4 and "field_support" in legend, "roadmap: coloured by the four categories")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print("%d failed; screenshots in %s" % (len(failures), shots))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
