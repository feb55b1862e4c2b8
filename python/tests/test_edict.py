"""test_edict.py - the Python package edict, with pytest.

Run by CTest (python.pytest) with EDICT_LIBRARY naming the libedict.so of
the build and EDICT_SOURCE_DIR the repository (for its example rules).
"""
import datetime
import gc
import json
import os
import subprocess
import threading
from decimal import Decimal

import pytest

import edict
from edict import Duration, HSCode, Money, Percent

ROOT = os.environ.get("EDICT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

RULES = """module t
enum company_size = sme | midsize | large
record office { city : string  staff : int optional }
fact company {
  name : string optional
  size : company_size
  us_export_share : percent
  voucher_requested : money KRW optional
  employees : int optional
  ratio : decimal optional
  founded : date optional
  office : office optional
  markets : list of string optional
  code : hscode optional
}
param cap : money KRW = 50_000_000 KRW source "up to 50 million KRW per company"
decision eligible : bool = company.size in [sme, midsize]
decision award : money KRW = if eligible then min(company.voucher_requested, cap) else 0 KRW
decision share : percent = company.us_export_share
decision employees : int = company.employees
decision ratio : decimal = company.ratio * 2
decision founded : date = company.founded
decision wait : duration = 14 days
decision size : company_size = company.size
decision name : string = company.name
decision code : hscode = company.code
decision markets : list of string = company.markets
decision shares : list of percent = [company.us_export_share, 1%]
decision office : office = company.office
decision per_employee : money KRW = award / company.employees
"""

SLOW = "module slow\ndecision looping : int = let l = range(1, 3000); sum(sum(sum(1 for z in l) for y in l) for x in l)\n"

FULL = {"company": {"name": "Hana Knit", "size": "sme", "us_export_share": "14.5%",
                    "voucher_requested": "80000000 KRW", "employees": 8, "ratio": "0.1",
                    "founded": "2020-02-29", "office": {"city": "Busan", "staff": 4},
                    "markets": ["US", "EU"], "code": "6205.20"}}


@pytest.fixture(scope="module")
def rules():
    return edict.RuleSet.from_text(RULES, "t.edict")


def test_every_kind_of_value(rules):
    r = rules.decide(FULL, as_of="2026-12-01")
    assert r["t.eligible"] is True
    assert r["t.award"] == Money(Decimal("50000000"), "KRW")
    assert r["t.share"] == Percent(Decimal("14.5")) and r["t.share"].fraction == Decimal("0.145")
    assert r["t.employees"] == 8 and type(r["t.employees"]) is int
    assert r["t.ratio"] == Decimal("0.2") and isinstance(r["t.ratio"], Decimal)
    assert r["t.founded"] == datetime.date(2020, 2, 29)
    assert r["t.wait"] == Duration(14, "days")
    assert r["t.size"] == "sme"
    assert r["t.name"] == "Hana Knit"
    assert r["t.code"] == HSCode("6205.20") and isinstance(r["t.code"], HSCode)
    assert r["t.markets"] == ["US", "EU"]
    assert r["t.shares"] == [Percent(Decimal("14.5")), Percent(Decimal("1"))]
    assert r["t.office"] == {"city": "Busan", "staff": 4}
    assert r["t.per_employee"] == Money(Decimal("6250000"), "KRW")
    assert str(r["t.award"]) == "50000000 KRW" and str(r["t.share"]) == "14.5%" and str(r["t.wait"]) == "14 days"


def test_results_read_from_one_json_array_as_from_their_handles():
    # a new rule set: the first case reads each result through its handle,
    # the next ones all the results from one JSON array; both the same
    fresh = edict.RuleSet.from_text(RULES, "t.edict")
    queries = [d for d in fresh.decisions if d != "t.office"]  # a record never shows its type
    facts = {"company": dict(FULL["company"], name="Hana \"Knit\"\n\u00e9")}
    first = fresh.decide(facts, queries, as_of="2026-12-01")
    again = fresh.decide(facts, queries, as_of="2026-12-01")
    assert again == first
    assert [type(again[q]) for q in queries] == [type(first[q]) for q in queries]
    assert again["t.name"] == "Hana \"Knit\"\n\u00e9"
    # unknowns, and a failure, through the array too
    some = fresh.decide({"company": {"size": "large"}}, queries, as_of="2026-12-01")
    assert some["t.share"] is None and some["t.award"] == Money(Decimal("0"), "KRW")
    with pytest.raises(edict.EvaluationError) as e:
        fresh.decide({"company": {"size": "sme", "voucher_requested": "10 KRW", "employees": 0}}, queries,
                     as_of="2026-12-01")
    assert e.value.line > 0


def test_queries_and_unknowns(rules):
    facts = {"company": {"size": "sme"}}
    assert rules.decide(facts, "t.eligible") == {"t.eligible": True}
    assert rules.decide(facts, ["t.share", "eligible and t.share > 10%"]) == {"t.share": None,
                                                                             "eligible and t.share > 10%": None}
    assert rules.missing(facts, "t.share") == ["company.us_export_share"]
    assert rules.missing(FULL, "t.share") == []
    assert set(rules.decide(facts)) == set(rules.decisions)


def test_facts_from_python_values(rules):
    facts = {"company": {"size": "sme", "us_export_share": Percent(Decimal("9.5")),
                         "voucher_requested": Money(Decimal("12.5"), "KRW"), "ratio": Decimal("1.25"),
                         "founded": datetime.date(2021, 3, 1), "employees": None, "name": float("nan")}}
    r = rules.decide(facts, ["t.share", "t.award", "t.ratio", "t.founded", "t.employees", "t.name"], as_of="2026-12-01")
    assert r == {"t.share": Percent(Decimal("9.5")), "t.award": Money(Decimal("12.5"), "KRW"),
                 "t.ratio": Decimal("2.50"), "t.founded": datetime.date(2021, 3, 1), "t.employees": None,
                 "t.name": None}


def test_facts_over_time():
    r = edict.RuleSet.from_text("module h\nfact company { us_export_share : percent over time }\n"
                                "decision now : percent = company.us_export_share\n"
                                "decision q1 : percent = company.us_export_share at 2025-03-31\n", "h.edict")
    dated = {"2025-01-01": "8%", "2025-04-01": "12%"}
    assert r.decide({"company": {"us_export_share": dated}}, ["h.now", "h.q1"], as_of="2025-05-15") == \
        {"h.now": Percent(Decimal("12")), "h.q1": Percent(Decimal("8"))}
    by_date = {datetime.date(2025, 1, 1): Percent(Decimal("8")), datetime.date(2025, 4, 1): Percent(Decimal("12"))}
    assert r.decide({"company": {"us_export_share": by_date}}, "h.q1", as_of="2025-05-15") == \
        {"h.q1": Percent(Decimal("8"))}
    assert r.missing({"company": {"us_export_share": {"2025-04-01": "12%"}}}, "h.q1") == \
        ["company.us_export_share on 2025-03-31"]
    with pytest.raises(edict.FactsError) as e:
        r.decide({"company": {"us_export_share": {"2025-04-01": "12%", "2025-01-01": "8%"}}})
    assert e.value.message == ("company.us_export_share: the dates are not in order: 2025-01-01 comes after "
                               "2025-04-01; write them from the earliest")


def test_as_of(rules):
    assert rules.decide({}, "as_of", as_of="2026-12-01") == {"as_of": datetime.date(2026, 12, 1)}
    assert rules.decide({}, "as_of", as_of=datetime.date(2025, 1, 31)) == {"as_of": datetime.date(2025, 1, 31)}
    assert rules.decide({"as_of": "2024-02-29"}, "as_of") == {"as_of": datetime.date(2024, 2, 29)}
    with pytest.raises(edict.QueryError) as e:
        rules.decide({}, "as_of", as_of="2026-02-30")
    assert "that day does not exist" in e.value.message


def test_explain(rules):
    e = rules.explain(FULL, "t.award", as_of="2026-12-01")
    assert e["decision"] == "t.award" and e["value"] == "50000000 KRW"
    assert e["file"] == "t.edict" and e["line"] == 18
    text = rules.explain(FULL, "t.award", as_of="2026-12-01", text=True)
    assert text.startswith("t.award = 50000000 KRW\n  by its rule at t.edict:18")


def test_errors_carry_the_place(rules):
    with pytest.raises(edict.FactsError) as e:
        rules.decide({"company": {"markets": ["US", 3]}})
    assert e.value.message == "company.markets[2]: expected text in quotes, got 3" and e.value.status_name == "facts"
    with pytest.raises(edict.QueryError) as e:
        rules.decide({}, "t.awrd")
    assert (e.value.file, e.value.line, e.value.column) == ("query", 1, 1)
    assert "did you mean 't.award'?" in e.value.message
    with pytest.raises(edict.QueryError) as e:
        rules.decide({}, "award >")
    assert (e.value.line, e.value.column) == (1, 8)
    with pytest.raises(edict.EvaluationError) as e:
        rules.decide({"company": {"size": "sme", "voucher_requested": "1 KRW", "employees": 0}}, "t.per_employee")
    assert (e.value.file, e.value.line, e.value.column) == ("t.edict", 30, 37)
    assert e.value.message.startswith("t.edict:30:37: error: division by zero")
    with pytest.raises(TypeError):
        rules.decide([1, 2])


def test_rules_errors():
    with pytest.raises(edict.RulesError) as e:
        edict.RuleSet.from_text("module b\ndecision a : int = 1 +\ndecision b : bool = c\n", "b.edict")
    err = e.value
    assert (err.file, err.line, err.column) == ("b.edict", 3, 1)
    assert [(d.severity, d.line, d.column) for d in err.diagnostics] == [("error", 3, 1), ("error", 3, 21)]
    assert err.diagnostics[1].message == "unknown name 'c'; did you mean 'b'?"
    assert "b.edict:3:1: error: unexpected 'decision'; expected an expression" in err.message
    with pytest.raises(edict.RulesError) as e:
        edict.RuleSet("/nonexistent/rules")
    assert e.value.status_name == "io"
    ok = edict.RuleSet(os.path.join(ROOT, "examples", "voucher"))
    assert "voucher.award" in ok.decisions and ok.diagnostics == []


def test_limits():
    small = edict.RuleSet.from_text(SLOW, "slow.edict", max_steps=1000)
    with pytest.raises(edict.LimitError) as e:
        small.decide({}, "slow.looping")
    assert "more than 1000 steps" in e.value.message and (e.value.file, e.value.line) == ("slow.edict", 2)


def test_batch(rules):
    cases = [FULL, {"company": {"size": "large"}}, {"company": {"size": "tiny"}}, {}]
    out = list(rules.batch(cases, ["t.award", "t.eligible"], as_of="2026-12-01", errors="keep"))
    assert out[0] == {"t.award": Money(Decimal("50000000"), "KRW"), "t.eligible": True}
    assert out[1] == {"t.award": Money(Decimal("0"), "KRW"), "t.eligible": False}
    assert isinstance(out[2], edict.FactsError)
    assert out[3] == {"t.award": None, "t.eligible": None}
    with pytest.raises(edict.FactsError):
        list(rules.batch(cases, ["t.award"]))


def test_batch_of_a_list_as_of_a_generator():
    """A list is asked many cases a library call; a generator one at a time:
    the same results, the same exceptions in the same places."""
    bench = edict.RuleSet(os.path.join(ROOT, "bench", "rules"))
    docs = companies(300)
    docs[120] = {"company": {"size": "tiny"}}
    docs[121] = {"company": {"size": "sme", "us_export_share": "lots"}}
    queries = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
    want = list(bench.batch(iter(docs), queries, as_of="2026-12-01", errors="keep"))
    old, edict.BATCH_CHUNK = edict.BATCH_CHUNK, 16
    try:
        got = list(bench.batch(docs, queries, as_of="2026-12-01", errors="keep"))
        assert [type(g) for g in got] == [type(w) for w in want]
        assert [str(g) if isinstance(g, Exception) else g for g in got] == \
            [str(w) if isinstance(w, Exception) else w for w in want]
        assert isinstance(got[120], edict.FactsError) and isinstance(got[121], edict.FactsError)
        assert got[0] == bench.decide(docs[0], queries, as_of="2026-12-01")
        # errors="raise": every case before the one refused, then its exception
        seen = []
        with pytest.raises(edict.FactsError, match="tiny"):
            for r in bench.batch(docs, queries, as_of="2026-12-01"):
                seen.append(r)
        assert seen == got[:120]
        # a case that is not a dict stops there too, after the ones before it
        seen = []
        with pytest.raises(TypeError):
            for r in bench.batch(docs[:5] + ["nonsense"], queries, as_of="2026-12-01"):
                seen.append(r)
        assert seen == got[:5]
    finally:
        edict.BATCH_CHUNK = old


def companies(n):
    gen = os.path.join(ROOT, "bench", "gen", "companies.py")
    out = subprocess.run(["python3", gen, str(n)], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_decide_frame():
    pd = pytest.importorskip("pandas")
    bench = edict.RuleSet(os.path.join(ROOT, "bench", "rules"))
    docs = companies(300)
    df = pd.json_normalize(docs)
    assert "company.size" in df.columns
    queries = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
    frame = bench.decide_frame(df, queries, as_of="2026-12-01")
    assert list(frame.columns) == queries and list(frame.index) == list(df.index)
    for i, doc in enumerate(docs):
        assert frame.iloc[i].to_dict() == bench.decide(doc, queries, as_of="2026-12-01"), doc
    # a column of whole facts works as well as dotted columns
    df2 = pd.DataFrame({"company": [d["company"] for d in docs[:20]]})
    frame2 = bench.decide_frame(df2, queries, as_of="2026-12-01")
    assert frame2.to_dict("records") == frame.iloc[:20].to_dict("records")
    # handed over a few rows a call, as a few thousand are: the same frame
    from edict import frame as frame_module
    chunk, frame_module.CHUNK = frame_module.CHUNK, 7
    try:
        assert bench.decide_frame(df, queries, as_of="2026-12-01").equals(frame)
        # a row whose facts are refused, deep in a call: its message
        bad = df.copy()
        bad.loc[250, "company.size"] = "tiny"
        with pytest.raises(edict.FactsError, match="tiny") as e:
            bench.decide_frame(bad, queries, as_of="2026-12-01")
        assert e.value.row == 250 and str(e.value).startswith("row 250: ") and e.value.message.startswith("row 250: ")
        # named by its label, not its place: the frame's index is its own
        bad.index = ["c%d" % i for i in range(len(bad))]
        with pytest.raises(edict.FactsError, match="^row c250: .*tiny") as e:
            bench.decide_frame(bad, queries, as_of="2026-12-01")
        assert e.value.row == "c250" and "company.size: expected one of" in e.value.message
    finally:
        frame_module.CHUNK = chunk


def test_decide_frame_every_kind_and_every_cell(rules):
    """Each row of a frame decides as decide() decides its facts: every kind
    of result (read a column at a time), cells of every Python type, holes,
    text that JSON escapes, and columns that are not a tree (a whole fact
    beside one of its fields), which must leave the frame's dicts as they were."""
    pd = pytest.importorskip("pandas")
    nan = float("nan")
    names = ['Hana "Knit"', "\u00e9clair\\co", None, "Daewoo\n", nan, "X"]
    df = pd.DataFrame({
        "company.name": names,
        "company.size": ["sme", "large", "midsize", None, "sme", "sme"],
        "company.us_export_share": ["14.5%", Percent(Decimal("3")), "10%", "1%", nan, "20%"],
        "company.voucher_requested": ["80000000 KRW", Money(Decimal("1000"), "KRW"), None, "5 KRW", "5 KRW", nan],
        "company.employees": [8, 3, 0, 2, 4, 7],
        "company.ratio": [Decimal("0.1"), 0.25, nan, None, "1.5", 2],
        "company.founded": pd.Series([datetime.date(2020, 2, 29), pd.NaT, "2021-01-01", pd.Timestamp("2019-05-06"),
                                      None, nan], dtype=object),
        "company.office.city": ["Busan", None, "Seoul", nan, "Incheon", None],
        "company.office.staff": [4, 5, 6, 7, 8, 9],
        "company.markets": [["US", "EU"], None, [], ["VN"], nan, ["US"]],
        "company.code": ["6205.20", None, "8471", nan, "6205.20", "6205.20"],
    })
    queries = rules.decisions
    frame = rules.decide_frame(df, queries, as_of="2026-12-01")
    assert list(frame.columns) == queries and list(frame.index) == list(df.index)
    for i, row in enumerate(df.to_dict("records")):
        company = {}
        for path, v in row.items():
            if v is None or (not isinstance(v, list) and v != v):
                continue
            keys = path.split(".")[1:]
            at = company
            for k in keys[:-1]:
                at = at.setdefault(k, {})
            at[keys[-1]] = v
        assert frame.iloc[i].to_dict() == rules.decide({"company": company}, queries, as_of="2026-12-01"), row
    assert frame["t.name"].tolist()[:2] == ['Hana "Knit"', "\u00e9clair\\co"]
    assert frame["t.award"].tolist()[1] == Money(Decimal("0"), "KRW")
    assert frame["t.founded"].tolist()[3] == datetime.date(2019, 5, 6)
    # a whole fact beside one of its fields: the field is set in a copy
    whole = [{"size": "large", "us_export_share": "14%"}, {"size": "sme", "us_export_share": "2%"}]
    mixed = pd.DataFrame({"company": whole, "company.size": ["sme", None]})
    got = rules.decide_frame(mixed, ["t.eligible", "t.size"], as_of="2026-12-01")
    assert got.to_dict("records") == [{"t.eligible": True, "t.size": "sme"}, {"t.eligible": True, "t.size": "sme"}]
    assert whole[0] == {"size": "large", "us_export_share": "14%"}
    # a frame with no rows, and a row whose facts do not fit, say so
    assert len(rules.decide_frame(df.iloc[:0], ["t.eligible"])) == 0
    bad = pd.DataFrame({"company.size": ["sme", "tiny"], "company.us_export_share": ["1%", "1%"]}, index=[10, 11])
    with pytest.raises(edict.FactsError, match="^row 11: .*tiny") as e:
        rules.decide_frame(bad, ["t.eligible"])
    assert e.value.row == 11
    # the first row, asked on its own: a new rule set knows no result's type yet
    with pytest.raises(edict.FactsError, match="^row 11: .*tiny") as e:
        edict.RuleSet.from_text(RULES, "t.edict").decide_frame(bad.iloc[::-1], ["t.eligible"])
    assert e.value.row == 11
    assert gc.isenabled()  # held back while a frame is made, and back after, even after an error


def test_threads():
    bench = edict.RuleSet(os.path.join(ROOT, "bench", "rules"))
    docs = companies(400)
    queries = ["voucher.eligible", "voucher.priority", "voucher.award", "support.pending"]
    expected = [bench.decide(d, queries, as_of="2026-12-01") for d in docs]
    results = {}
    errors = []

    def work(k):
        try:
            for _ in range(3):
                got = [bench.decide(d, queries, as_of="2026-12-01") for d in docs]
            results[k] = got
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 8 and all(results[k] == expected for k in results)


def test_interrupt_from_another_thread():
    rules = edict.RuleSet.from_text(SLOW, "slow.edict", max_steps=2_000_000_000)
    caught = []

    def slow():
        try:
            rules.decide({}, "slow.looping")
        except edict.EdictError as e:
            caught.append(e)

    t = threading.Thread(target=slow)
    t.start()
    while t.is_alive():
        rules.interrupt()
        t.join(0.05)
    assert len(caught) == 1 and isinstance(caught[0], edict.EvaluationInterrupted)
    assert rules.decide({}, "1 + 1") == {"1 + 1": 2}


def test_interrupt_after_the_evaluation_ended_stops_nothing_later(rules, monkeypatch):
    """interrupt() that comes when the library has finished but the call has
    not yet returned (the moment another thread may hit) is dropped: the
    next, unrelated evaluation runs."""
    for name in ("edict_eval", "edict_eval_many_json", "edict_eval_batch_json"):
        real = getattr(edict._c, name)

        def late(*args, real=real):
            st = real(*args)
            rules.interrupt()  # the evaluation is over, the call not yet
            return st
        monkeypatch.setattr(edict._c, name, late)
    fresh = edict.RuleSet.from_text(RULES, "t.edict")  # asked one query at a time: edict_eval
    assert fresh.decide(FULL, "t.size") == {"t.size": "sme"}
    assert fresh.decide(FULL, "t.size") == {"t.size": "sme"}  # edict_eval_many_json
    assert list(rules.batch([FULL, FULL], ["t.size"])) == [{"t.size": "sme"}] * 2  # edict_eval_batch_json
    monkeypatch.undo()
    for r in (rules, fresh):
        assert r.decide(FULL, ["t.size", "t.employees"]) == {"t.size": "sme", "t.employees": 8}


def test_interrupt_from_a_thread_that_then_stops_leaves_nothing_pending():
    rules = edict.RuleSet.from_text("module m\ndecision fast : int = 1\n", "m.edict")
    stale = 0
    for _ in range(200):
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                rules.interrupt()
        h = threading.Thread(target=hammer)
        h.start()
        for _ in range(20):
            try:
                rules.decide({}, "m.fast")
            except edict.EvaluationInterrupted:
                pass
        stop.set()
        h.join()
        try:
            rules.decide({}, "m.fast")
        except edict.EvaluationInterrupted:
            stale += 1
    assert stale == 0


def test_text_holding_a_nul_is_refused_not_cut_short(rules, tmp_path):
    with pytest.raises(edict.QueryError, match=r"as-of date .*NUL character"):
        rules.decide(FULL, "t.size", as_of="2026-01-01\x00junk")
    with pytest.raises(edict.QueryError, match=r"the query .*NUL character"):
        rules.decide(FULL, "t.wait\x00 + garbage")
    with pytest.raises(edict.QueryError, match="NUL"):
        rules.explain(FULL, "t.size\x00x")
    with pytest.raises(edict.QueryError, match="NUL"):
        list(rules.batch([FULL], ["t.size", "t.size\x00x"]))
    with pytest.raises(ValueError, match="rule text of t.edict .*NUL character"):
        edict.RuleSet.from_text(RULES + "\x00junk", "t.edict")
    with pytest.raises(ValueError, match="rule file's name .*NUL"):
        edict.RuleSet.from_text({"t.edict\x00x": RULES})
    (tmp_path / "t.edict").write_text(RULES)
    with pytest.raises(ValueError, match="rule path .*NUL"):
        edict.RuleSet(str(tmp_path / "t.edict") + "\x00junk")
    with pytest.raises(ValueError, match="rule path .*NUL"):
        edict.RuleSet([os.fsencode(tmp_path / "t.edict") + b"\x00"])


def test_queries_and_rule_text_of_the_wrong_type_say_what_is_expected(rules):
    for bad in (123, [1], b"t.size", [None]):
        with pytest.raises(TypeError, match="queries must be a decision name .*got %s" % type(
                bad[0] if isinstance(bad, list) else bad).__name__):
            rules.decide(FULL, bad)
    with pytest.raises(TypeError, match="got NoneType"):
        rules.explain(FULL, None)
    assert rules.decide(FULL, (q for q in ["t.size"])) == {"t.size": "sme"}  # any iterable of them
    with pytest.raises(TypeError, match=r"rule text must be text \(str\), got bytes"):
        edict.RuleSet.from_text(RULES.encode())


def test_decimals_in_exponent_form_are_written_plainly(rules):
    def company(**fields):
        return {"company": dict({"size": "sme", "us_export_share": "1%"}, **fields)}
    assert rules.decide(company(ratio=Decimal("0.0000001")), "t.ratio") == {"t.ratio": Decimal("0.0000002")}
    assert rules.decide(company(ratio=Decimal(1) / Decimal(10**7)), "t.ratio") == {"t.ratio": Decimal("0.0000002")}
    assert rules.decide(company(ratio=Decimal("1E+2")), "t.ratio") == {"t.ratio": Decimal("200")}
    got = rules.decide(company(voucher_requested=Money(Decimal("5E+7"), "KRW")), "t.award")
    assert got == {"t.award": Money(Decimal("50000000"), "KRW")}
    got = rules.decide(company(us_export_share=Percent(Decimal("1E+1"))), "t.share")
    assert got == {"t.share": Percent(Decimal("10"))}
    assert str(Money(Decimal("5E+7"), "KRW")) == "50000000 KRW" and str(Percent(Decimal("1E+1"))) == "10%"
    for bad in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(edict.FactsError, match='company.ratio: expected a number like 12.5, got "%s"' % bad):
            rules.decide(company(ratio=Decimal(bad)), "t.ratio")


def test_whole_floats_are_written_as_whole_numbers(rules):
    """pandas makes an int column with holes float64 (8.0): a whole float is
    written as an int, which int and decimal facts both take."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    docs = [{"company": {"size": "sme", "us_export_share": "1%", "employees": 8, "ratio": 3}},
            {"company": {"size": "sme", "us_export_share": "1%"}}]
    df = pd.json_normalize(docs)
    assert df["company.employees"].dtype == "float64"
    got = rules.decide_frame(df, ["t.employees", "t.ratio"])
    assert got["t.employees"].tolist()[0] == 8 and got["t.ratio"].tolist()[0] == Decimal("6")
    assert got["t.employees"].isna().tolist() == [False, True]
    # a float in a cell's dict
    whole = pd.DataFrame({"company": [dict(docs[0]["company"], employees=8.0), docs[1]["company"]]})
    assert rules.decide_frame(whole, ["t.employees"])["t.employees"].tolist()[0] == 8
    for eight in (8.0, np.float64(8.0), np.float32(8.0), [8.0][0]):
        company = {"size": "sme", "us_export_share": "1%", "employees": eight, "ratio": eight}
        assert rules.decide({"company": company}, ["t.employees", "t.ratio"]) == \
            {"t.employees": 8, "t.ratio": Decimal("16")}
    company = {"size": "sme", "us_export_share": "1%", "name": "a.0,", "ratio": 0.5}
    assert rules.decide({"company": company}, ["t.name", "t.ratio"]) == {"t.name": "a.0,", "t.ratio": Decimal("1.0")}
    with pytest.raises(edict.FactsError, match="whole number"):  # past 2**53 a float is no exact int
        rules.decide({"company": dict(company, employees=2.0 ** 60)}, "t.employees")


def test_pandas_na_and_nat_are_missing(rules):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "company.size": pd.array(["sme", None, "large"], dtype="string"),
        "company.us_export_share": pd.Series(["1%", "2%", pd.NA], dtype=object),
        "company.employees": pd.array([3, None, 5], dtype="Int64"),
        "company.ratio": pd.array([0.5, None, 1.5], dtype="Float64"),
        "company.founded": pd.Series([pd.NaT, pd.Timestamp("2020-01-02"), pd.NA], dtype=object),
        "company.office": [{"city": "Busan", "staff": pd.NA}, pd.NA, None],
    })
    queries = ["t.size", "t.share", "t.employees", "t.ratio", "t.founded", "t.office"]
    got = rules.decide_frame(df, queries, as_of="2026-12-01").to_dict("records")
    assert got[0] == {"t.size": "sme", "t.share": Percent(Decimal("1")), "t.employees": 3, "t.ratio": Decimal("1.0"),
                      "t.founded": None, "t.office": {"city": "Busan", "staff": None}}
    assert got[1]["t.size"] is None and got[1]["t.employees"] != got[1]["t.employees"]  # NaN: pandas' hole
    assert got[1]["t.founded"] == datetime.date(2020, 1, 2) and got[2]["t.share"] is None
    bools = pd.DataFrame({"company.size": ["sme", "sme"], "company.us_export_share": ["1%", "1%"],
                          "company.name": pd.array(["Hana", None], dtype="string")})
    assert rules.decide_frame(bools, ["t.name"])["t.name"].tolist() == ["Hana", None]
    facts = {"company": {"size": "sme", "us_export_share": "1%", "employees": pd.NA, "founded": pd.NaT}}
    assert rules.decide(facts, ["t.employees", "t.founded", "t.eligible"]) == \
        {"t.employees": None, "t.founded": None, "t.eligible": True}


def test_a_field_column_wins_over_its_whole_fact_in_either_order(rules):
    pd = pytest.importorskip("pandas")
    whole = [{"size": "large", "us_export_share": "1%", "office": {"city": "Busan", "staff": 2}}]
    columns = {"company": whole, "company.size": ["sme"], "company.office.city": ["Seoul"]}
    want = [{"t.size": "sme", "t.office": {"city": "Seoul", "staff": 2}}]
    for order in (["company", "company.size", "company.office.city"],
                  ["company.office.city", "company.size", "company"],
                  ["company.size", "company", "company.office.city"]):
        df = pd.DataFrame({c: columns[c] for c in order})
        assert rules.decide_frame(df, ["t.size", "t.office"]).to_dict("records") == want, order
    assert whole[0]["size"] == "large" and whole[0]["office"]["city"] == "Busan"
    twice = pd.DataFrame([["sme", "large", "1%"]], columns=["company.size", "company.size", "company.us_export_share"])
    with pytest.raises(ValueError, match="'company.size' is given twice"):
        rules.decide_frame(twice, ["t.size"])


def test_facts_that_cannot_be_written_say_why(rules):
    pd = pytest.importorskip("pandas")
    cyclic = {}
    cyclic["x"] = cyclic
    with pytest.raises(ValueError, match="the facts hold a cycle"):
        rules.decide({"company": cyclic}, "t.size")
    for where in ({"ratio": float("inf")}, {"markets": [float("-inf")]}):
        with pytest.raises(ValueError, match=r"a fact cannot be infinite \(-?inf\)"):
            rules.decide({"company": dict({"size": "sme", "us_export_share": "1%"}, **where)}, "t.ratio")
    with pytest.raises(ValueError, match="not valid Unicode"):
        rules.decide({"company": {"size": "sme", "us_export_share": "1%", "name": "\ud800"}}, "t.name")
    with pytest.raises(TypeError, match="a fact cannot be object"):
        rules.decide({"company": {"name": object()}}, "t.name")
    frame = pd.DataFrame({"company.size": ["sme"], "company.us_export_share": ["1%"], "company.ratio": [float("inf")]})
    with pytest.raises(ValueError, match="cannot be infinite"):
        rules.decide_frame(frame, ["t.ratio"])
    with pytest.raises(TypeError, match="decide_frame needs a pandas DataFrame, got dict"):
        rules.decide_frame({"company.size": ["sme"]})


@pytest.mark.parametrize("bad", [{"ratio": float("inf")}, {"name": "\ud800"}, {"name": object()}])
def test_batch_of_a_list_with_facts_that_cannot_be_written_as_of_an_iterator(rules, bad):
    good = {"company": {"size": "sme", "us_export_share": "1%"}}
    cases = [good, good, {"company": dict(good["company"], **bad)}, good]
    rules.decide(good, ["t.eligible"])  # the result's type is known: a list goes to the library many a call
    for given in (lambda: cases, lambda: iter(cases)):
        kept = list(rules.batch(given(), ["t.eligible"], errors="keep"))
        assert kept[:2] == [{"t.eligible": True}] * 2 and kept[3] == {"t.eligible": True}
        assert isinstance(kept[2], (TypeError, ValueError))
        seen = []
        with pytest.raises(type(kept[2])):
            for r in rules.batch(given(), ["t.eligible"]):
                seen.append(r)
        assert seen == [{"t.eligible": True}] * 2
