"""frame.py - RuleSet.decide_frame: a pandas DataFrame in, one out.

Each row becomes a facts document: a column "company.size" is the field
size of the fact company (the dotted names pandas.json_normalize makes), a
column "company" holding dicts is the whole fact, "as_of" and "id" pass
through; NaN, NaT and None are left out (missing).

The work is done a column at a time wherever it can be: each column's
cells are written as JSON once, and each row's document is joined from
them; the rows' results come back as JSON text, read all together at the
end, and each query's column is read typed in one pass (a money or date
text seen before gives the value made for it before).  Where the columns
do not make a tree (a path that is also the start of another, or a column
named twice), each row's facts are gathered as a dict and written whole.
"""
import gc
import json

from .values import _dumps, exact, facts_json

_string = json.encoder.encode_basestring  # as _dumps writes text (ensure_ascii=False)


def _row_facts(paths, row):
    facts = {}
    for path, v in zip(paths, row):
        if v is None or v != v:  # missing: None, NaN, NaT
            continue
        at = facts
        for key in path[:-1]:
            sub = at.get(key)
            # a dict of the frame's own is copied before a field is set in it
            at[key] = sub = {} if sub is None else dict(sub)
            at = sub
        at[path[-1]] = v
    return facts


def _tree(paths):
    """{key: column number, or a tree of the keys below}; None where a
    path is also the start of another, or named twice."""
    root = {}
    for i, path in enumerate(paths):
        at = root
        for key in path[:-1]:
            at = at.setdefault(key, {})
            if not isinstance(at, dict):
                return None
        if path[-1] in at:
            return None
        at[path[-1]] = i
    return root


def _other(v):
    return None if v != v else _dumps(v)  # NaN, NaT: missing


# A cell's JSON text by the type of its value, as _dumps writes it (None:
# missing); a type not here goes through _other.
_CELL = {str: _string, bool: {True: "true", False: "false"}.__getitem__, int: int.__repr__,
         type(None): lambda v: None, float: _other}


def _cells(values):
    """Each value's JSON text; None for a missing one."""
    cell = _CELL.get
    return [(cell(type(v)) or _other)(v) for v in values]


def _members(tree, columns, n):
    """For each of n rows, the members of the object `tree` describes,
    "key":value,... ("" where all are missing)."""
    parts = []
    for key, sub in tree.items():
        name = _string(key) + ":"
        if isinstance(sub, int):
            values = columns[sub]
        else:
            values = ["{" + m + "}" if m else None for m in _members(sub, columns, n)]
        parts.append([None if v is None else name + v for v in values])
    if not parts:
        return [""] * n
    return [",".join(filter(None, row)) for row in zip(*parts)]


def _documents(df):
    """Each row's facts document, as JSON text."""
    paths = [str(c).split(".") for c in df.columns]
    tree = _tree(paths)
    if tree is None:
        return [facts_json(_row_facts(paths, row), clean=False)
                for row in df.itertuples(index=False, name=None)]
    columns = [_cells(df.iloc[:, i].tolist()) for i in range(len(paths))]
    return [("{" + m + "}").encode() for m in _members(tree, columns, len(df))]


def _results(rules, queries, out):
    """The rows' results, typed: out holds for each row its results, or
    the text of their JSON array (rules._decider's raw form)."""
    texts = [i for i, r in enumerate(out) if type(r) is str]
    if not texts or not queries:
        return out
    decoded = exact("[" + ",".join(out[i] for i in texts) + "]")
    columns = [rules._readers[q].column(list(c)) for q, c in zip(queries, zip(*decoded))]
    rows = list(zip(*columns))
    if len(texts) == len(out):
        return rows
    for i, row in zip(texts, rows):
        out[i] = row
    return out


def decide_frame(rules, df, queries, as_of):
    import pandas as pd
    # The documents and results are many small objects with no cycles
    # among them: the cycle collector would walk them all again and again
    # as they are made, for nothing (a third of the time), so it waits
    # until the frame is made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        decide = rules._decider(queries, as_of, raw=True)
        out = [decide(text) for text in _documents(df)]
        return pd.DataFrame(_results(rules, queries, out), index=df.index, columns=queries)
    finally:
        if collecting:
            gc.enable()
