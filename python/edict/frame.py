"""frame.py - RuleSet.decide_frame: a pandas DataFrame in, one out.

Each row becomes a facts document: a column "company.size" is the field
size of the fact company (the dotted names pandas.json_normalize makes), a
column "company" holding dicts is the whole fact, "as_of" and "id" pass
through; NaN, NaT and None are left out (missing).  The documents are
written as JSON text straight from the row's values, and the results are
read typed, as RuleSet.decide does.
"""
from .values import facts_json


def _row_facts(paths, row):
    facts = {}
    for path, v in zip(paths, row):
        if v is None or v != v:  # missing: None, NaN, NaT
            continue
        at = facts
        for key in path[:-1]:
            at = at.setdefault(key, {})
        at[path[-1]] = v
    return facts


def decide_frame(rules, df, queries, as_of):
    import pandas as pd
    paths = [str(c).split(".") for c in df.columns]
    decide = rules._decider(queries, as_of)
    out = [decide(facts_json(_row_facts(paths, row), clean=False)) for row in df.itertuples(index=False, name=None)]
    return pd.DataFrame(out, index=df.index, columns=queries)
