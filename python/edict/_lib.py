"""_lib.py - libedict through ctypes: finding the library, and the C
functions of include/edict.h with their argument and result types.

The library is found, in order: the path in the environment variable
EDICT_LIBRARY; a libedict.so next to this package; the system's search
(ldconfig: an installed /usr/local/lib/libedict.so.0).  ctypes releases the
GIL during each call, so threads evaluate in parallel (each thread has its
own evaluation context; see __init__.py).
"""
import ctypes
import ctypes.util
import os

# The statuses and value kinds of edict.h; the numbers never change.
OK, ESYNTAX, ETYPE, EFACTS, ERUNTIME, ELIMIT, ENOMEM, EUSAGE, EIO, EINTERRUPTED = range(10)
(K_UNKNOWN, K_BOOL, K_INT, K_DECIMAL, K_MONEY, K_PERCENT, K_DATE, K_DURATION, K_TEXT, K_ENUM, K_HSCODE, K_LIST,
 K_RECORD) = range(13)
SEV_NAMES = {0: "error", 1: "warning", 2: "note"}


class Diag(ctypes.Structure):
    _fields_ = [("severity", ctypes.c_int), ("file", ctypes.c_char_p), ("line", ctypes.c_int),
                ("column", ctypes.c_int), ("end_line", ctypes.c_int), ("end_column", ctypes.c_int),
                ("message", ctypes.c_char_p), ("hint", ctypes.c_char_p)]


class Source(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("text", ctypes.c_char_p), ("len", ctypes.c_size_t)]


def _find():
    env = os.environ.get("EDICT_LIBRARY")
    if env:
        return env
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libedict.so")
    if os.path.exists(here):
        return here
    name = ctypes.util.find_library("edict")
    if name:
        return name
    raise ImportError("libedict was not found: install Edict (cmake --install), or set EDICT_LIBRARY to the "
                      "path of libedict.so")


P = ctypes.c_void_p
PP = ctypes.POINTER(ctypes.c_void_p)
S = ctypes.c_char_p
SP = ctypes.POINTER(ctypes.c_char_p)
I = ctypes.c_int
Z = ctypes.c_size_t

# name: (result, arguments)
_PROTOTYPES = {
    "edict_init": (I, []),
    "edict_version": (S, []),
    "edict_status_name": (S, [I]),
    "edict_load_paths": (I, [SP, Z, PP]),
    "edict_load_sources": (I, [ctypes.POINTER(Source), Z, PP]),
    "edict_rules_status": (I, [P]),
    "edict_rules_diag_count": (Z, [P]),
    "edict_rules_diag": (I, [P, Z, ctypes.POINTER(Diag)]),
    "edict_rules_report": (S, [P]),
    "edict_rules_decision_count": (Z, [P]),
    "edict_rules_decision_name": (S, [P, Z]),
    "edict_rules_free": (None, [P]),
    "edict_ctx_new": (I, [P, PP]),
    "edict_ctx_free": (None, [P]),
    "edict_ctx_reset": (I, [P]),
    "edict_ctx_set_facts_json": (I, [P, S, Z]),
    "edict_ctx_set_as_of": (I, [P, S]),
    "edict_ctx_set_limits": (I, [P, ctypes.c_uint64, Z]),
    "edict_ctx_interrupt": (I, [P]),
    "edict_ctx_error": (I, [P, ctypes.POINTER(Diag)]),
    "edict_ctx_errmsg": (S, [P]),
    "edict_eval": (I, [P, S, PP]),
    "edict_eval_json": (I, [P, S, SP]),
    "edict_eval_many_json": (I, [P, SP, Z, SP, ctypes.POINTER(Z)]),
    "edict_eval_batch_json": (I, [P, SP, ctypes.POINTER(Z), Z, SP, Z, SP, ctypes.POINTER(Z)]),
    "edict_missing_json": (I, [P, S, SP]),
    "edict_explain_json": (I, [P, S, SP]),
    "edict_explain_text": (I, [P, S, SP]),
    "edict_value_kind": (I, [P]),
    "edict_value_json": (S, [P]),
    "edict_value_list_length": (I, [P, ctypes.POINTER(Z)]),
    "edict_value_list_item": (I, [P, Z, PP]),
    "edict_value_field": (I, [P, S, PP]),
}


def load():
    lib = ctypes.CDLL(_find())
    for name, (res, args) in _PROTOTYPES.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    lib.edict_init()
    return lib


lib = load()
