"""Logging: personal data masked in every record, the request's id and user on every line,
plain text or one JSON object per line (``CHIZHENG_LOG_FORMAT=json``).

Masking happens twice on purpose: the ``MaskPersonalData`` filter masks the message, the
formatted traceback and the stack before any formatter sees them, and both formatters mask
what they emit (an exception's text, an ``extra`` field, a path) so that nothing a handler
writes carries a full ID number, mobile phone or bank-account-like digit run.

The request context (``request_id``, ``user_id``) lives in context variables set by
``chizheng.web.request_log.RequestLogMiddleware`` for a request, or by ``log_context`` for
other work (a command, a job).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

# Resident ID (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence, check char.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXxＸｘ])(?![0-9A-Za-z])")
# Mobile phones, with or without +86/0086 and 3-4-4 separators.
PHONE = re.compile(r"(?<![0-9A-Za-z+])((?:\+?86|0086)[ -]?)?(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
# Bank cards and accounts: 12 or more digits in a row, or groups of four separated by blanks
# or hyphens (6222 0212 3456 7890 123). Masked after ID numbers and phones, so it takes any
# other long digit run too (an old 15-digit ID number, an account of 20 digits).
DIGIT_RUN = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{4}(?:[ -]\d{4}){2,6}(?:[ -]\d{1,4})?|\d{12,})(?![0-9A-Za-z])"
)


def _mask_run(match: re.Match[str]) -> str:
    """Keep the first four and the last four digits, keep the separators."""
    text = match.group(0)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    hidden = set(digits[4:-4])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def mask_text(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    text = PHONE.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(3), text)
    return DIGIT_RUN.sub(_mask_run, text)


class MaskPersonalData(logging.Filter):
    """Masks the message, the traceback and the stack of every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string still gets logged, masked
            message = f"{record.msg!s} {record.args!r}"
        record.msg = mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


# --- the request context ----------------------------------------------------------------

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "chizheng_request_id", default=None
)
_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "chizheng_user_id", default=None
)


def current_request_id() -> str | None:
    return _request_id.get()


def set_user_id(user_id: int | None) -> None:
    _user_id.set(user_id)


@contextmanager
def log_context(*, request_id: str | None, user_id: int | None = None) -> Iterator[None]:
    """Every record logged inside the block carries this request id and user id."""
    rid, uid = _request_id.set(request_id), _user_id.set(user_id)
    try:
        yield
    finally:
        _user_id.reset(uid)
        _request_id.reset(rid)


class RequestContext(logging.Filter):
    """Puts ``request_id`` and ``user_id`` on every record (``None`` outside a request).

    Django logs a 4xx response after the middleware has returned, passing the request on
    the record: its id and user are then read from the request the middleware marked."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get() or getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            record.user_id = _user_id.get() or getattr(request, "log_user_id", None)
        return True


# --- formatters -------------------------------------------------------------------------

# Attributes every LogRecord has; anything else on a record came in through ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_CONTEXT = ("request_id", "user_id")


def _safe(value: Any) -> Any:
    """A JSON value with personal data masked (long integers are digit runs too)."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**11 else mask_text(str(value))
    return mask_text(value if isinstance(value, str) else str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id, the
    ``extra`` fields of the record, and ``exception`` (the masked traceback) if any."""

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, tz=self.zone)
        line: dict[str, Any] = {
            "time": when.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_text(record.getMessage()),
            "request_id": _safe(getattr(record, "request_id", None)),
            "user_id": _safe(getattr(record, "user_id", None)),
        }
        for key, value in record.__dict__.items():
            # ``extra`` fields; objects (Django's ``request``, whose repr has the query
            # string) are left out, not stringified.
            if key in _STANDARD or key in _CONTEXT or key.startswith("_"):
                continue
            if value is None or isinstance(value, str | int | float):
                line[key] = _safe(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = mask_text(record.exc_text)
        if record.stack_info:
            line["stack"] = mask_text(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger [request id] user=N message``, masked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "fmt",
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] user=%(user_id)s %(message)s",
        )
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        shown = logging.makeLogRecord(record.__dict__)  # other handlers keep the record as is
        for name in _CONTEXT:
            if getattr(shown, name, None) is None:
                setattr(shown, name, "-")
        return mask_text(super().format(shown))
