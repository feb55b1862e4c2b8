"""frame.py - RuleSet.decide_frame: a pandas DataFrame in, one out.

Each row becomes a facts document: a column "company.size" is the field
size of the fact company (the dotted names pandas.json_normalize makes), a
column "company" holding dicts is the whole fact, "as_of" and "id" pass
through; NaN, NaT, None and pandas' NA are left out (missing).

The work is done a column at a time wherever it can be: each column's
cells are written as JSON once, and each row's document is joined from
them; the rows go to the library a few thousand in one call
(edict_eval_batch_json), their results come back as JSON text, and each
query's column is read typed in one pass (a money or date text seen
before gives the value made for it before).  Where the columns
do not make a tree (a path that is also the start of another: a whole
fact beside a column of one of its fields, which wins), each row's facts
are gathered as a dict and written whole.  A column named twice is refused.
"""
import gc
import json

import pandas as pd

from .errors import EdictError
from .values import _number, facts_json, value_json

_string = json.encoder.encode_basestring  # as _dumps writes text (ensure_ascii=False)


def _row_facts(paths, row):
    facts = {}
    for path, v in zip(paths, row):
        if v is None or v is pd.NA or v != v:  # missing: None, NA, NaN, NaT
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
    path is also the start of another."""
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
    return None if v != v else value_json(v)  # NaN, NaT: missing


def _float(v):
    v = _number(v)  # NaN: missing; a whole number: an int
    return None if v is None else value_json(v)


def _missing(v):
    return None


# A cell's JSON text by the type of its value, as value_json writes it
# (None: missing, as pandas' NA and NaT are); a type not here goes through _other.
_CELL = {str: _string, bool: {True: "true", False: "false"}.__getitem__, int: int.__repr__,
         type(None): _missing, type(pd.NA): _missing, type(pd.NaT): _missing, float: _float}


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


def _paths(df):
    """Each column's fact path; ValueError for a name given twice."""
    paths = [str(c).split(".") for c in df.columns]
    seen = set()
    for c, path in zip(df.columns, paths):
        if tuple(path) in seen:
            raise ValueError("the column %r is given twice: a fact can come from one column only; "
                             "drop or rename the other" % (c,))
        seen.add(tuple(path))
    return paths


def _documents(df):
    """Each row's facts document, as JSON text."""
    paths = _paths(df)
    tree = _tree(paths)
    if tree is None:  # a whole fact first, then the columns of its fields set in it
        order = sorted(range(len(paths)), key=lambda i: len(paths[i]))
        paths = [paths[i] for i in order]
        return [facts_json(_row_facts(paths, row))
                for row in df.iloc[:, order].itertuples(index=False, name=None)]
    columns = [_cells(df.iloc[:, i].tolist()) for i in range(len(paths))]
    return [("{" + m + "}").encode() for m in _members(tree, columns, len(df))]


def _decided(rules, queries, as_of, docs, labels):
    """Each document's results, typed.  Until every query's result has shown
    its type, a row is decided on its own and read through the handles;
    then the rest are handed over CHUNK at a time in one library call each,
    their results coming back as JSON, read a column at a time.  A row that
    fails raises its error, which names that row by its label in labels."""
    one = rules._decider(queries, as_of)
    typed = []
    while len(typed) < len(docs) and not rules._known(queries):
        try:
            typed.append(one(docs[len(typed)]))
        except EdictError as e:
            raise e.at_row(labels[len(typed)]) from None
    many = rules._decide_many(queries, as_of)
    for at in range(len(typed), len(docs), CHUNK):
        rows, error = rules._rows(many, queries, docs[at:at + CHUNK])
        if error is not None:
            raise error.at_row(labels[at + len(rows)])
        typed += rows
    return typed


CHUNK = 4096  # documents a call: the arrays of a call stay small


def decide_frame(rules, df, queries, as_of):
    if not isinstance(df, pd.DataFrame):
        raise TypeError("decide_frame needs a pandas DataFrame, got %s: make one first (pandas.DataFrame(...) or "
                        "pandas.json_normalize(...)), or use decide() for one case" % type(df).__name__)
    # The documents and results are many small objects with no cycles
    # among them: the cycle collector would walk them all again and again
    # as they are made, for nothing (a third of the time), so it waits
    # until the frame is made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = _decided(rules, queries, as_of, _documents(df), df.index)
        return pd.DataFrame(rows, index=df.index, columns=queries)
    finally:
        if collecting:
            gc.enable()
