"""decisions.py - the benchmark's decisions written by hand in Python, as a
programmer would who picked Python instead of Edict: eligible, priority,
award and the pending field-support steps, over plain dicts.  Missing facts
are None and flow through as None (unknown), with the same three-valued
logic as the rules (false and unknown = false), so every peer computes
exactly what Edict computes.  KRW amounts are ints; percentages are floats.
Shared by eval.py (in memory) and stream.py (NDJSON).
"""

CAP = 50_000_000
PRIORITY_SHARE = 10.0


def pct(s):
    return None if s is None else float(s[:-1])


def krw(s):
    return None if s is None else int(s[:-4])


def record(c):
    """One JSON company object (as decoded) -> the in-memory record."""
    return {
        "size": c.get("size"),
        "us_export_share": pct(c.get("us_export_share")),
        "voucher_requested": krw(c.get("voucher_requested")),
        "voucher_received": krw(c.get("voucher_received")) or 0,
        "consulting_done": c.get("consulting_done"),
        "finance_arranged": c.get("finance_arranged"),
        "logistics_arranged": c.get("logistics_arranged"),
        "high_potential_selected": c.get("high_potential_selected"),
    }


def eligible(c):
    s = c["size"]
    if s is None:
        return None
    return s == "sme" or s == "midsize"


def priority(c, elig):
    if elig is False:
        return False
    share = c["us_export_share"]
    if share is None:
        return None
    ge = share >= PRIORITY_SHARE
    if elig is None:
        return None if ge else False
    return ge


def award(c, elig):
    if elig is None:
        return None
    if not elig:
        return 0
    req = c["voucher_requested"]
    if req is None:
        return None
    left = CAP - c["voucher_received"]
    if left < 0:
        left = 0
    return req if req < left else left


def pending(c):
    """consulting (task 6), then finance (11), then logistics (12): the ones
    not done, in order; unknown when any of the three facts is missing."""
    a, b, d = c["consulting_done"], c["finance_arranged"], c["logistics_arranged"]
    if a is None or b is None or d is None:
        return None
    out = []
    if not a:
        out.append(6)
    if not b:
        out.append(11)
    if not d:
        out.append(12)
    return out


class Sum:
    """The checksum every implementation prints, to prove they agree."""

    def __init__(self):
        self.c = [0] * 12  # n et ef eu pt pf pu award au pendn pendw pendu

    def text(self):
        n, et, ef, eu, pt, pf, pu, aw, au, pn, pw, pu2 = self.c
        return "n=%d eligible=%d/%d/%d priority=%d/%d/%d award=%d/%d pending=%d/%d/%d" % (
            n, et, ef, eu, pt, pf, pu, aw, au, pn, pw, pu2)


def add(s, e, p, a, pend):
    c = s.c
    c[0] += 1
    c[3 if e is None else 1 if e else 2] += 1
    c[6 if p is None else 4 if p else 5] += 1
    if a is None:
        c[8] += 1
    else:
        c[7] += a
    if pend is None:
        c[11] += 1
    else:
        c[9] += len(pend)
        c[10] += sum((k + 1) * t for k, t in enumerate(pend))
