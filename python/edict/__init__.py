"""edict - Edict rule sets from Python, over the C library libedict.

    import edict
    rules = edict.RuleSet("rules/kotra")
    rules.decide({"company": {"size": "sme", "us_export_share": "14%"}},
                 ["voucher.priority", "voucher.award"], as_of="2026-12-01")
    # {"voucher.priority": True, "voucher.award": Money(Decimal("50000000"), "KRW")}

A RuleSet is loaded once and shared by every thread; each thread evaluates
in a context of its own (made on its first call), so calls from several
threads run in parallel.  Facts are the JSON document of `edict eval
--facts`, as a dict.  Failures raise EdictError subclasses carrying the
file, line, column and message of the command line.  docs/python.md.
"""
import ctypes
import threading
import weakref

from . import _lib
from ._lib import lib as _c
from .errors import (Diagnostic, EdictError, EvaluationError, EvaluationInterrupted, FactsError,  # noqa: F401
                     LimitError, QueryError, RulesError)
from .errors import ctx_error as _ctx_error
from .values import (Duration, HSCode, Money, Percent, as_of_text, c_text, exact, facts_json, from_value, json_reader,
                     query_text)

__all__ = ["RuleSet", "Money", "Percent", "Duration", "HSCode", "Diagnostic", "EdictError", "RulesError",
           "FactsError", "QueryError", "EvaluationError", "LimitError", "EvaluationInterrupted", "version"]


def version():
    """The version of the linked libedict, like "0.1.0"."""
    return _c.edict_version().decode()


# ----------------------------------------------------------------- contexts

class _Context:
    """One thread's evaluation context on a rule set; freed with the thread."""

    def __init__(self, rules):
        self.ptr = ctypes.c_void_p()
        st = _c.edict_ctx_new(rules, ctypes.byref(self.ptr))
        if st != _lib.OK:
            raise EdictError(st, "cannot make an evaluation context: %s" % _c.edict_status_name(st).decode())
        self.running = False  # evaluating now: interrupt() stops only those
        self.asked = False  # interrupt() asked while running
        self.lock = threading.Lock()  # running and asked change together

    def begin(self):
        """An evaluation starts on this thread: interrupt() may stop it."""
        with self.lock:
            self.running = True

    def end(self):
        """The evaluation is over (its results read).  A request of
        interrupt() that came after the library finished would stay pending
        and stop the next evaluation: the context is reset, which drops it
        (every call sets its facts and date again)."""
        with self.lock:
            self.running = False
            if self.asked:
                self.asked = False
                _c.edict_ctx_reset(self.ptr)

    def interrupt(self):
        with self.lock:
            if self.ptr and self.running:
                self.asked = True
                _c.edict_ctx_interrupt(self.ptr)

    def __del__(self):
        if self.ptr:
            _c.edict_ctx_free(self.ptr)
            self.ptr = None


# ----------------------------------------------------------------- rule sets

def _source(name, text):
    """(name, text) of a rule file in memory, as the library reads them."""
    for what, t in (("the rule file's name", name), ("the rule text", text)):
        if not isinstance(t, str):
            raise TypeError("%s must be text (str), got %s; decode bytes first, e.g. data.decode(\"utf-8\")"
                            % (what, type(t).__name__))
    return c_text(name, "the rule file's name"), c_text(text, "the rule text of %s" % name)


BATCH_CHUNK = 1024  # cases of a list a library call in RuleSet.batch


def _kept(error, errors):
    """A case's error, yielded in its place by batch(errors="keep"), or raised."""
    if errors != "keep":
        raise error
    return error


class RuleSet:
    """A loaded rule set: RuleSet("rules/kotra"), RuleSet(["a.edict", "dir"]),
    or RuleSet.from_text("module m\\n...").  Raises RulesError if it does not
    load (every diagnostic in .diagnostics); warnings are in .diagnostics of
    a rule set that loads."""

    def __init__(self, paths, *, max_steps=0, max_bytes=0):
        if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
            paths = [paths]
        encoded = [c_text(p if isinstance(p, bytes) else str(p), "the rule path") for p in paths]
        arr = (ctypes.c_char_p * len(encoded))(*encoded)
        handle = ctypes.c_void_p()
        _c.edict_load_paths(arr, len(encoded), ctypes.byref(handle))
        self._adopt(handle, max_steps, max_bytes)

    @classmethod
    def from_text(cls, text, name="rules.edict", *, max_steps=0, max_bytes=0):
        """A rule set from text in memory; several files as {name: text}."""
        files = text if isinstance(text, dict) else {name: text}
        keep = [_source(n, t) for n, t in files.items()]
        arr = (_lib.Source * len(keep))(*[_lib.Source(n, t, len(t)) for n, t in keep])
        handle = ctypes.c_void_p()
        _c.edict_load_sources(arr, len(keep), ctypes.byref(handle))
        self = cls.__new__(cls)
        self._adopt(handle, max_steps, max_bytes)
        return self

    def _adopt(self, handle, max_steps, max_bytes):
        self._rules = None
        if not handle:
            raise MemoryError("Edict ran out of memory loading the rules")
        self._rules = handle
        self._local = threading.local()
        self._contexts = weakref.WeakSet()  # every thread's, for interrupt()
        self._readers = {}  # query -> its JSON read typed (values.json_reader)
        self._limits = (max_steps, max_bytes)
        self.diagnostics = []
        for i in range(_c.edict_rules_diag_count(handle)):
            d = _lib.Diag()
            _c.edict_rules_diag(handle, i, ctypes.byref(d))
            self.diagnostics.append(Diagnostic(d))
        st = _c.edict_rules_status(handle)
        if st != _lib.OK:
            report = _c.edict_rules_report(handle).decode()
            first = next((d for d in self.diagnostics if d.severity == "error"), None)
            err = RulesError(st, report.rstrip("\n"), first.file if first else None, first.line if first else 0,
                             first.column if first else 0, first.hint if first else None)
            err.diagnostics = self.diagnostics
            raise err
        self.decisions = [_c.edict_rules_decision_name(handle, i).decode()
                          for i in range(_c.edict_rules_decision_count(handle))]

    def __del__(self):
        if getattr(self, "_rules", None):
            _c.edict_rules_free(self._rules)
            self._rules = None

    # -------------------------------------------------------------- one case

    def _ctx(self):
        ctx = getattr(self._local, "ctx", None)
        if ctx is None:
            ctx = self._local.ctx = _Context(self._rules)
            self._contexts.add(ctx)
            _c.edict_ctx_set_limits(ctx.ptr, self._limits[0], self._limits[1])
        return ctx.ptr

    def _case(self, text, date):
        """This thread's context, with the facts (JSON text) and the date
        (as_of_text) set."""
        ctx = self._ctx()
        st = _c.edict_ctx_set_facts_json(ctx, text, len(text))
        if st != _lib.OK:
            raise _ctx_error(ctx, st)
        st = _c.edict_ctx_set_as_of(ctx, date)
        if st != _lib.OK:
            raise QueryError(st, _c.edict_ctx_errmsg(ctx).decode())
        return ctx

    def _queries(self, queries):
        if queries is None:
            return self.decisions
        if isinstance(queries, str):
            queries = [queries]
        elif isinstance(queries, (bytes, bytearray)) or not hasattr(queries, "__iter__"):
            raise TypeError("queries must be a decision name or an expression, or a list of them, got %s (%r)"
                            % (type(queries).__name__, queries))
        queries = list(queries)
        for q in queries:
            query_text(q)  # TypeError, QueryError: said before anything runs
        return queries

    def _decider(self, queries, as_of):
        """A function: facts as JSON text -> the queries' results, in order,
        on the calling thread's context.  What stays the same from case to
        case (the queries' text, the date's, the place for the results) is
        made once, for a caller that decides many cases.  Once every query's
        result has shown its type (values.json_reader), a case is one library
        call that hands back all the results as one JSON array; until then
        each query is evaluated on its own and read through its handle."""
        date = as_of_text(as_of)
        encoded = [query_text(q) for q in queries]
        texts = (ctypes.c_char_p * len(encoded))(*encoded)
        readers = self._readers
        known = [None]  # the readers in the queries' order, once all are known
        js = ctypes.c_char_p()
        at_js = ctypes.byref(js)
        v = ctypes.c_void_p()

        def learn():
            if all(q in readers for q in queries):
                known[0] = [readers[q] for q in queries]

        def one_by_one(ctx):
            out = []
            for q, e in zip(queries, encoded):
                st = _c.edict_eval(ctx, e, ctypes.byref(v))
                if st != _lib.OK:
                    raise _ctx_error(ctx, st)
                out.append(from_value(v))
                read = json_reader(v)
                if read is not None:
                    readers[q] = read
            learn()
            return out

        def decide(text):
            ctx = self._case(text, date)
            mine = self._local.ctx
            mine.begin()
            try:
                if known[0] is None:
                    return one_by_one(ctx)
                st = _c.edict_eval_many_json(ctx, texts, len(encoded), at_js, None)
                if st != _lib.OK:
                    raise _ctx_error(ctx, st)
                return [read(o) for read, o in zip(known[0], exact(js.value.decode()))]
            finally:
                mine.end()
        learn()
        return decide

    def _known(self, queries):
        """Whether every query's result can be read from its JSON alone."""
        return all(q in self._readers for q in queries)

    def _typed_rows(self, queries, decoded):
        """The results of many cases as _decide_many's JSON decoded them,
        read typed a query's column at a time: a tuple a case."""
        if not queries:
            return [()] * len(decoded)
        return list(zip(*[self._readers[q].column(list(c)) for q, c in zip(queries, zip(*decoded))]))

    def _rows(self, many, queries, docs):
        """docs (JSON text) decided in one call of many (_decide_many): the
        typed results of those before the first that failed (of all, when
        none did), and that one's exception, or None."""
        text, failed, error = many(docs)
        if error is not None:  # the ones before it again
            text = many(docs[:failed])[0] if failed else "[]"
        return self._typed_rows(queries, exact(text)), error

    def _decide_many(self, queries, as_of):
        """A function: a list of facts documents (JSON text) -> (the text of
        one JSON array of each one's results, each read with self._readers;
        len(docs); None), all decided in one library call on the calling
        thread's context, or (None, the index of the document that failed,
        its exception)."""
        date = as_of_text(as_of)
        encoded = [query_text(q) for q in queries]
        texts = (ctypes.c_char_p * len(encoded))(*encoded)
        js = ctypes.c_char_p()
        failed = ctypes.c_size_t()

        def decide(docs):
            ctx = self._ctx()
            st = _c.edict_ctx_set_as_of(ctx, date)
            if st != _lib.OK:
                raise QueryError(st, _c.edict_ctx_errmsg(ctx).decode())
            n = len(docs)
            mine = self._local.ctx
            mine.begin()
            try:
                st = _c.edict_eval_batch_json(ctx, (ctypes.c_char_p * n)(*docs), (ctypes.c_size_t * n)(*map(len, docs)),
                                              n, texts, len(encoded), ctypes.byref(js), ctypes.byref(failed))
                if st != _lib.OK:
                    return None, failed.value, _ctx_error(ctx, st)
                return js.value.decode(), n, None
            finally:
                mine.end()
        return decide

    def decide(self, facts, queries=None, as_of=None):
        """{query: value} for the queries (a decision name or an expression;
        None: every public decision) on these facts.  as_of: a date or
        "YYYY-MM-DD"; None: the facts' "as_of", else today."""
        queries = self._queries(queries)
        return dict(zip(queries, self._decider(queries, as_of)(facts_json(facts))))

    def _text(self, fn, facts, query, as_of):
        ctx = self._case(facts_json(facts), as_of_text(as_of))
        out = ctypes.c_char_p()
        st = fn(ctx, query_text(query), ctypes.byref(out))
        if st != _lib.OK:
            raise _ctx_error(ctx, st)
        return out.value.decode()

    def explain(self, facts, query, as_of=None, text=False):
        """How the value of query was reached: the JSON of docs/explain.md as
        a dict, or with text=True the text of `edict eval --explain`."""
        import json
        if text:
            return self._text(_c.edict_explain_text, facts, query, as_of)
        return json.loads(self._text(_c.edict_explain_json, facts, query, as_of))

    def missing(self, facts, query, as_of=None):
        """The facts the value of query still waits for, as paths."""
        import json
        return json.loads(self._text(_c.edict_missing_json, facts, query, as_of))

    def batch(self, cases, queries=None, as_of=None, errors="raise"):
        """decide() for each facts dict of an iterable, lazily.  errors="keep"
        yields a case's exception in place of its results instead of raising."""
        queries = self._queries(queries)
        decide = self._decider(queries, as_of)
        if isinstance(cases, (list, tuple)):  # all there already: asked many a call
            yield from self._batch_many(cases, queries, as_of, decide, errors)
            return
        for facts in cases:
            yield self._batch_one(decide, queries, facts, errors)

    def _batch_one(self, decide, queries, facts, errors):
        try:
            text = facts_json(facts)
        except (TypeError, ValueError) as e:  # facts that cannot be written
            return _kept(e, errors)
        try:
            return dict(zip(queries, decide(text)))
        except EdictError as e:
            return _kept(e, errors)

    def _batch_many(self, cases, queries, as_of, decide, errors):
        """batch() of a list: once every query's result can be read from its
        JSON, the cases go to the library BATCH_CHUNK a call."""
        many = self._decide_many(queries, as_of)
        i = 0
        while i < len(cases):
            if not self._known(queries):
                yield self._batch_one(decide, queries, cases[i], errors)
                i += 1
                continue
            docs = []
            for facts in cases[i:i + BATCH_CHUNK]:
                try:
                    docs.append(facts_json(facts))
                except (TypeError, ValueError):  # raised or kept in its turn, by _batch_one
                    break
            if not docs:
                yield self._batch_one(decide, queries, cases[i], errors)
                i += 1
                continue
            rows, error = self._rows(many, queries, docs)
            for row in rows:
                yield dict(zip(queries, row))
            i += len(rows)
            if error is not None:
                if errors != "keep":
                    raise error
                yield error
                i += 1

    def decide_frame(self, df, queries=None, as_of=None):
        """A DataFrame of results, a column per query and a row per row of df.
        Columns name facts by path: "company.size" (as pandas.json_normalize
        writes them), or "company" holding dicts; NaN and None are missing."""
        from .frame import decide_frame
        return decide_frame(self, df, self._queries(queries), as_of)

    def interrupt(self):
        """Stop the evaluations running now on this rule set, in any thread
        (call it from another thread); each raises EvaluationInterrupted."""
        for ctx in list(self._contexts):
            ctx.interrupt()
