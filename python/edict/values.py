"""values.py - Edict's values in Python, both ways.

Out of the library: a result is read through its kind (edict_value_kind),
so that "14%" the percentage and "14%" a text never look alike:

    bool -> bool            int -> int           decimal -> Decimal
    money -> Money          percent -> Percent   date -> datetime.date
    duration -> Duration    text, enum -> str    tariff code -> HSCode (a str)
    list -> list            record -> dict       unknown -> None

Into the library: facts are written as the JSON document of `edict eval
--facts`; Money, Percent, Duration, dates and Decimals become their Edict
notation, and numpy or pandas scalars their Python values.
"""
import ctypes
import datetime
import json
import math
import re
import sys
from dataclasses import dataclass
from decimal import Decimal

from . import _lib
from .errors import QueryError


@dataclass(frozen=True)
class Money:
    """An amount in one currency: Money(Decimal("50000000"), "KRW")."""
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, text):
        amount, currency = text.rsplit(" ", 1)
        return cls(Decimal(amount), currency)

    def __str__(self):
        return "%s %s" % (_plain(self.amount), self.currency)


@dataclass(frozen=True)
class Percent:
    """A percentage: Percent(Decimal("14.5")) is 14.5%; .fraction is 0.145."""
    value: Decimal

    @classmethod
    def parse(cls, text):
        return cls(Decimal(text.rstrip("%")))

    @property
    def fraction(self):
        return self.value / 100

    def __str__(self):
        return "%s%%" % _plain(self.value)


@dataclass(frozen=True)
class Duration:
    """A whole number of days, weeks, months or years: Duration(14, "days")."""
    amount: int
    unit: str

    @classmethod
    def parse(cls, text):
        amount, unit = text.split(" ", 1)
        return cls(int(amount), unit)

    def __str__(self):
        return "%d %s" % (self.amount, self.unit)


def _plain(number):
    """A number's text without an exponent, as Edict reads numbers:
    Decimal("5E+7") is "50000000", Decimal("1E-7") "0.0000001".  NaN and
    Infinity stay as they are (the library refuses them, naming the fact)."""
    if isinstance(number, Decimal):
        return format(number, "f")
    return str(number)


class HSCode(str):
    """A tariff code, like HSCode("6205.20")."""


def _from_text(kind, s):
    """A value written as a JSON string: money, percentages, dates,
    durations, codes, texts and member names (s without the quotes)."""
    if kind == _lib.K_MONEY:
        return Money.parse(s)
    if kind == _lib.K_PERCENT:
        return Percent.parse(s)
    if kind == _lib.K_DATE:
        return datetime.date.fromisoformat(s)
    if kind == _lib.K_DURATION:
        return Duration.parse(s)
    if kind == _lib.K_HSCODE:
        return HSCode(s)
    return s  # text, enumeration members


def _from_json(kind, o):
    """A value of a scalar kind as json.loads (with Decimal for fractions)
    gave it."""
    if o is None:
        return None
    if kind in (_lib.K_BOOL, _lib.K_TEXT, _lib.K_ENUM):
        return o
    if kind == _lib.K_INT:
        return int(o)
    if kind == _lib.K_DECIMAL:
        return o if isinstance(o, Decimal) else Decimal(o)
    return _from_text(kind, o)


exact = json.JSONDecoder(parse_float=Decimal).decode
_SCALARS = (_lib.K_BOOL, _lib.K_INT, _lib.K_DECIMAL, _lib.K_MONEY, _lib.K_PERCENT, _lib.K_DATE, _lib.K_DURATION,
            _lib.K_TEXT, _lib.K_ENUM, _lib.K_HSCODE)


class _Reader:
    """A query's JSON result read typed: called on one value as `exact`
    decoded it, or on a whole column of them (column), where texts seen
    before give the value made for them before (values are immutable)."""
    __slots__ = ("kind", "item")

    def __init__(self, kind, item=None):
        self.kind, self.item = kind, item

    def __call__(self, o):
        if self.item is None:
            return _from_json(self.kind, o)
        return None if o is None else [_from_json(self.item, x) for x in o]

    def column(self, values):
        if self.item is None:
            return _column_reader(self.kind)(values)
        if self.item in _AS_DECODED:
            return values
        read = _column_reader(self.item)
        return [None if o is None else read(o) for o in values]


# read as decoded: JSON's true/false, text, and integers (the library
# writes an int as a JSON integer, which json decodes as an int)
_AS_DECODED = (_lib.K_BOOL, _lib.K_TEXT, _lib.K_ENUM, _lib.K_INT)
_FROM_TEXT = (_lib.K_MONEY, _lib.K_PERCENT, _lib.K_DATE, _lib.K_DURATION, _lib.K_HSCODE)


def _column_reader(kind):
    """A function: a list of values of one kind as decoded -> the values."""
    if kind in _AS_DECODED:
        return lambda vs: vs
    if kind in _FROM_TEXT:
        made = {}

        def from_text(vs):
            out = []
            for o in vs:
                if o is not None:
                    v = made.get(o)
                    if v is None:
                        v = made[o] = _from_text(kind, o)
                    o = v
                out.append(o)
            return out
        return from_text
    return lambda vs: [_from_json(kind, o) for o in vs]


def json_reader(v):
    """A query's result has one type, whatever the facts: once a value shows
    it (a scalar, or a list with a scalar item), its JSON alone can be read
    typed, with no library call for each value.  Returns a _Reader (the
    result's JSON as `exact` decodes it -> the value); or None when v does
    not show the type yet (unknown, an empty list, records)."""
    lib = _lib.lib
    kind = lib.edict_value_kind(v)
    if kind in _SCALARS:
        return _Reader(kind)
    if kind != _lib.K_LIST:
        return None
    n = ctypes.c_size_t()
    lib.edict_value_list_length(v, ctypes.byref(n))
    if n.value == 0:
        return None
    item = ctypes.c_void_p()
    lib.edict_value_list_item(v, 0, ctypes.byref(item))
    ik = lib.edict_value_kind(item)
    if ik not in _SCALARS:
        return None
    return _Reader(_lib.K_LIST, ik)


def from_value(v):
    """The Python value of an edict_value handle (valid until its
    context's facts change: convert at once)."""
    lib = _lib.lib
    kind = lib.edict_value_kind(v)
    if kind == _lib.K_UNKNOWN or kind < 0:
        return None
    if kind == _lib.K_LIST:
        n = ctypes.c_size_t()
        lib.edict_value_list_length(v, ctypes.byref(n))
        item = ctypes.c_void_p()
        out = []
        for i in range(n.value):
            lib.edict_value_list_item(v, i, ctypes.byref(item))
            out.append(from_value(item))
        return out
    if kind == _lib.K_RECORD:
        field = ctypes.c_void_p()
        out = {}
        for name in json.loads(lib.edict_value_json(v)):
            lib.edict_value_field(v, name.encode(), ctypes.byref(field))
            out[name] = from_value(field)
        return out
    return _from_json(kind, exact(lib.edict_value_json(v).decode()))


def _fact(o):
    """A fact value json cannot write itself."""
    if isinstance(o, (Money, Percent, Duration)):
        return str(o)
    if isinstance(o, Decimal):
        return _plain(o)
    if pandas_missing(o):
        return None
    if isinstance(o, (datetime.date, datetime.datetime)):
        return o.isoformat()[:10]
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if hasattr(o, "isoformat"):  # pandas Timestamp
        return o.isoformat()[:10]
    raise TypeError("a fact cannot be %s (%r)" % (type(o).__name__, o))


def pandas_missing(o):
    """Whether o is pandas' NA or NaT, missing as NaN and None are (without
    importing pandas: where it is not loaded, neither can be there)."""
    pd = sys.modules.get("pandas")
    return pd is not None and (o is pd.NA or o is pd.NaT)


def _key(k):
    """A key of the facts: a date (the dated values of a fact over time,
    {date(2025, 1, 1): Percent(12)}) is written as the text of the day."""
    if isinstance(k, (datetime.date, datetime.datetime)) or hasattr(k, "isoformat"):
        return k.isoformat()[:10]
    return k


def _number(x):
    """A float as a fact: NaN (pandas' missing) is None, a whole number
    (8.0, as pandas makes an int column with holes) the int (Edict's int
    facts take no fraction), within 2**53, where every int is a float.
    An infinity is refused (ValueError)."""
    if x != x:
        return None
    if x.is_integer() and -2 ** 53 <= x <= 2 ** 53:
        return int(x)
    if x in (math.inf, -math.inf):
        raise ValueError("a fact cannot be infinite (%r): give a number, or None where it is missing" % x)
    return x


def _clean(o):
    """NaN becomes null, a whole float an int (_number); date keys become
    text; containers are cleaned inside."""
    if hasattr(o, "dtype") and hasattr(o, "item"):  # numpy scalars
        o = o.item()
    if isinstance(o, float):
        return _number(o)
    if isinstance(o, dict):
        return {_key(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


# json writes a whole float as 8.0: where one may be, the value is cleaned
_WHOLE_FLOAT = re.compile(r"\.0(?:[,\]}]|$)").search


def value_json(value):
    """A value as JSON text, NaN anywhere written as null and a whole float
    as an int (_clean, done only where the value needs it)."""
    try:
        try:
            text = _dumps(value)
        except (ValueError, TypeError):  # NaN somewhere (missing), a date as a key, or what cannot be written
            return _dumps(_clean(value))
        return _dumps(_clean(value)) if _WHOLE_FLOAT(text) else text
    except RecursionError:
        raise ValueError("the facts hold a cycle (a dict or list inside itself), or are nested too deeply "
                         "to write") from None


def facts_json(facts):
    """The facts document as UTF-8 JSON text (value_json)."""
    if not isinstance(facts, dict):
        raise TypeError("facts must be a dict, like {\"company\": {...}}, not %s" % type(facts).__name__)
    text = value_json(facts)
    try:
        return text.encode()
    except UnicodeEncodeError as e:
        raise ValueError("the facts hold text that is not valid Unicode: %r (a lone surrogate) in %r"
                         % (e.object[e.start:e.end], e.object[max(0, e.start - 30):e.end + 30])) from None


_dumps = json.JSONEncoder(default=_fact, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def c_text(text, what):
    """text (str or bytes) as the library reads it, up to its first NUL
    character: text that holds one is refused (ValueError), not cut short."""
    data = text if isinstance(text, bytes) else text.encode()
    at = data.find(b"\0")
    if at >= 0:
        shown = " (%r)" % (text,) if len(text) <= 80 else ""
        raise ValueError("%s%s holds a NUL character (\\x00) at byte %d, which Edict cannot read; remove it"
                         % (what, shown, at))
    return data


def query_text(query):
    """A query as the library reads it; QueryError if it holds a NUL."""
    if not isinstance(query, str):
        raise TypeError("queries must be a decision name or an expression, or a list of them, got %s (%r)"
                        % (type(query).__name__, query))
    try:
        return c_text(query, "the query")
    except ValueError as e:
        raise QueryError(_lib.EUSAGE, str(e)) from None


def as_of_text(as_of):
    if as_of is None:
        return None
    if isinstance(as_of, (datetime.date, datetime.datetime)):
        return as_of.isoformat()[:10].encode()
    try:
        return c_text(str(as_of), "the as-of date")
    except ValueError as e:
        raise QueryError(_lib.EUSAGE, str(e)) from None
