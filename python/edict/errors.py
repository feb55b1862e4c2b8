"""errors.py - what the package raises: EdictError and its subclasses,
each with the place and message of the command line, and the Diagnostic of
a rule set that does not load; made from a context's error by ctx_error."""
import ctypes

from . import _lib
from ._lib import lib as _c


class Diagnostic:
    """One message about rules: severity, file, line, column, message, hint."""

    def __init__(self, d, text=None):
        self.severity = _lib.SEV_NAMES.get(d.severity, "error")
        self.file = d.file.decode() if d.file else None
        self.line, self.column = d.line, d.column
        self.end_line, self.end_column = d.end_line, d.end_column
        self.message = d.message.decode() if d.message else ""
        self.hint = d.hint.decode() if d.hint else None
        self.text = text  # rendered, with the quoted line and carets

    def __repr__(self):
        return "Diagnostic(%s:%d:%d: %s: %s)" % (self.file, self.line, self.column, self.severity, self.message)


class EdictError(Exception):
    """A failure, with where it happened (file, line, column: 0 when there is
    no place), the message as the command line prints it, and a hint."""

    def __init__(self, status, message, file=None, line=0, column=0, hint=None):
        super().__init__(message)
        self.status = status
        self.status_name = _c.edict_status_name(status).decode()
        self.message = message
        self.file, self.line, self.column, self.hint = file, line, column, hint
        self.row = None  # decide_frame: the label of the row that failed

    def at_row(self, label):
        """This error, said of a DataFrame's row: .row holds its label and the
        message begins "row <label>: "."""
        self.row = label
        self.message = "row %s: %s" % (label, self.message)
        self.args = (self.message,)
        return self


class RulesError(EdictError):
    """The rule set does not load; .diagnostics holds every message."""


class FactsError(EdictError):
    """Facts that do not fit the rules' declarations (the message names the field)."""


class QueryError(EdictError):
    """A query that does not parse, does not check, or names no decision."""


class EvaluationError(EdictError):
    """The rules failed while deciding (division by zero, conflicting exceptions ...)."""


class LimitError(EdictError):
    """An evaluation went past its step or memory limit."""


class EvaluationInterrupted(EdictError):
    """RuleSet.interrupt() stopped the evaluation."""


_CLASSES = {_lib.ESYNTAX: QueryError, _lib.ETYPE: QueryError, _lib.EUSAGE: QueryError, _lib.EFACTS: FactsError,
            _lib.ERUNTIME: EvaluationError, _lib.ELIMIT: LimitError, _lib.EINTERRUPTED: EvaluationInterrupted}


def ctx_error(ctx, status):
    d = _lib.Diag()
    _c.edict_ctx_error(ctx, ctypes.byref(d))
    if status == _lib.ENOMEM:
        return MemoryError("Edict ran out of memory")
    cls = _CLASSES.get(status, EdictError)
    return cls(status, d.message.decode() if d.message else _c.edict_status_name(status).decode(),
               d.file.decode() if d.file else None, d.line, d.column, d.hint.decode() if d.hint else None)
