#!/usr/bin/env python3
"""check_links.py - every internal link of a site written by `edict doc` resolves.

For each HTML page: every href and src (also xlink:href in the inline SVG of
the dependency graph) must name a file of the site, and a #fragment an id in
that file.  Links out of the site (http:, https:, //...) are errors: the site
must work without a network.  Exit 1 with one line per broken link.

    python3 tests/doc/check_links.py SITE_DIR
"""
import html.parser
import os
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)
            if k in ("href", "src", "xlink:href") and v is not None:
                self.links.append((tag, v))

    handle_startendtag = handle_starttag


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def main(root):
    root = os.path.abspath(root)
    pages = {}
    for d, _, files in os.walk(root):
        for n in files:
            if n.endswith(".html"):
                pages[os.path.join(d, n)] = parse(os.path.join(d, n))
    broken, checked = [], 0
    for path, page in sorted(pages.items()):
        for tag, link in page.links:
            checked += 1
            u = urllib.parse.urlsplit(link)
            where = "%s: <%s> %s" % (os.path.relpath(path, root), tag, link)
            if u.scheme or link.startswith("//"):
                broken.append(where + ": leaves the site")
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(u.path))) if u.path else path
            if not target.startswith(root + os.sep) or not os.path.isfile(target):
                broken.append(where + ": no such file")
                continue
            if u.fragment:
                tp = pages.get(target)
                if tp is None or urllib.parse.unquote(u.fragment) not in tp.ids:
                    broken.append(where + ": no element with id '%s'" % u.fragment)
    for b in broken:
        print("BROKEN " + b)
    print("%d pages, %d links checked, %d broken" % (len(pages), checked, len(broken)))
    return 1 if broken or not pages or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
