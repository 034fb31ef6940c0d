"""The last resort when the database refuses an input: a 4xx, logged, never a 500.

Every input is validated at its boundary (``chizheng.api.types``, the forms, the imports,
the services). Should a value still reach the database that it cannot hold — a NUL in a
PostgreSQL text, a number beyond a column's range, more digits than a decimal column has —
the database's error is turned into ``InputRefused`` (422) by the API's handler and the
pages' middleware, and logged as an error: it means a boundary check is missing, and the
fuzzing test treats its code as a failure.
"""

from __future__ import annotations

import logging

from django.db import DataError

from .errors import ValidationError

log = logging.getLogger("chizheng.input")

# Where an error from the database comes from: the driver, or Django's database layer
# adapting a value for it (e.g. SQLite's "Python int too large to convert").
_DATABASE_MODULES = ("django.db.", "sqlite3", "psycopg")


class InputRefused(ValidationError):
    code = "input_refused_by_database"


def from_database(exc: BaseException) -> bool:
    """Whether ``exc`` is the database (or Django adapting a value for it) refusing a value."""
    if isinstance(exc, DataError):
        return True
    if not isinstance(exc, ValueError | ArithmeticError):
        return False
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    module = last.tb_frame.f_globals.get("__name__", "") if last is not None else ""
    return module.startswith(_DATABASE_MODULES)


def refusal(exc: BaseException, *, path: str) -> InputRefused:
    """The error to answer with; the missing boundary check is logged for the developers."""
    log.error(
        "the database refused an input that no boundary check caught (%s: %s) at %s",
        type(exc).__name__,
        str(exc)[:200],
        path,
    )
    return InputRefused(
        "提交的数据无法保存：有数值超出允许范围、文字过长或含有不允许的字符，请检查后重试",
        message_en="the input was refused by the database (out of range or bad characters)",
    )
