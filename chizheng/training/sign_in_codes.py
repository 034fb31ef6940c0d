"""The classroom sign-in QR code (扫码签到, issue 16): the teacher's screen shows a code that
binds the session, the time window it was shown in and a random nonce under a keyed check,
and renews it every ``attendance.qr_renew_seconds``; a trainee's scan is accepted for
``attendance.qr_valid_seconds`` from the window's start — a screenshot passed to a friend at
home has expired by the time he opens it. Pure: the clock's instant is given."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

SALT = "chizheng.training.sign_in_codes"
CHECK_CHARS = 20  # hex characters of the keyed check
NONCE_BYTES = 8


@dataclass(frozen=True)
class Code:
    session_id: int
    window: int  # the renewal window's number: seconds since the epoch // renew seconds
    nonce: str
    check: str

    def query(self) -> str:
        return f"w={self.window}&n={self.nonce}&t={self.check}"


def window_of(at: dt.datetime, renew_seconds: int) -> int:
    return int(at.timestamp()) // renew_seconds


def _check(session_id: int, window: int, nonce: str) -> str:
    return salted_hmac(SALT, f"{session_id}:{window}:{nonce}", algorithm="sha256").hexdigest()[
        :CHECK_CHARS
    ]


def issue(session_id: int, *, at: dt.datetime, renew_seconds: int) -> Code:
    """The code to show for ``session_id`` now: a fresh nonce each time it is drawn."""
    window = window_of(at, renew_seconds)
    nonce = secrets.token_hex(NONCE_BYTES)
    return Code(session_id, window, nonce, _check(session_id, window, nonce))


def genuine(code: Code) -> bool:
    """Whether the check is the system's for this session, window and nonce."""
    return hmac.compare_digest(_check(code.session_id, code.window, code.nonce), code.check)


def expired(code: Code, *, at: dt.datetime, renew_seconds: int, valid_seconds: int) -> bool:
    """Whether the code was shown more than ``valid_seconds`` ago (or claims a window not
    yet begun)."""
    shown = code.window * renew_seconds
    now = at.timestamp()
    return not shown <= now < shown + valid_seconds


__all__ = ["Code", "expired", "genuine", "issue", "window_of"]
