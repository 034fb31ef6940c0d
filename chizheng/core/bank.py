"""Bank account numbers of people (an individual's subsidy is paid to his own account): the
one normal form, the check at the boundary, and the mask every screen, export and log shows.

The number is stored encrypted (``fields.EncryptedTextField``) beside its mask; it is never
shown, exported or logged in full (``core.logging`` masks any long digit run besides).

The length bounds are a format check, not a policy value of the programme: they catch a
number typed short or long. Chinese bank cards are 16–19 digits (ISO/IEC 7812, GB/T 19584);
passbook and settlement account numbers run from 12 digits up; the payment system's account
field holds at most 32 characters. So 12 to 32 digits, nothing but digits once blanks and
hyphens are taken out.
"""

from __future__ import annotations

import unicodedata

from .errors import ValidationError

ACCOUNT_MIN_DIGITS = 12
ACCOUNT_MAX_DIGITS = 32
SHOWN = 4  # digits shown at each end of a masked number


def normalise_account(raw: str) -> str:
    """NFKC (full-width digits become ASCII), blanks, hyphens and invisible characters out:
    ``6222 0212-3456 7890 123`` → ``6222021234567890123``."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(
        c
        for c in text
        if not c.isspace() and c != "-" and unicodedata.category(c) not in ("Cf", "Cc")
    )


def check_account(raw: str, *, field: str = "bank_account") -> str:
    """The normalised number, or ``ValidationError`` in Chinese. The message never repeats
    the number typed (it would reach the page, the API answer and the log)."""
    number = normalise_account(raw)
    if not number:
        raise ValidationError(
            "请填写银行帐号", message_en="the bank account is required", detail={"field": field}
        )
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(
            "银行帐号只能由数字组成（可含空格或短横线分隔）",
            message_en="a bank account has digits only",
            detail={"field": field, "reason": "digits"},
        )
    if not ACCOUNT_MIN_DIGITS <= len(number) <= ACCOUNT_MAX_DIGITS:
        raise ValidationError(
            f"银行帐号应为{ACCOUNT_MIN_DIGITS}至{ACCOUNT_MAX_DIGITS}位数字（现为{len(number)}位），请核对",
            message_en=f"a bank account has {ACCOUNT_MIN_DIGITS} to {ACCOUNT_MAX_DIGITS} digits",
            detail={"field": field, "reason": "length", "digits": len(number)},
        )
    return number


def mask_account(number: str) -> str:
    """The first and the last four digits, the rest starred: ``6222***********0123``."""
    n = normalise_account(number)
    if len(n) <= 2 * SHOWN:
        return "*" * len(n)
    return n[:SHOWN] + "*" * (len(n) - 2 * SHOWN) + n[-SHOWN:]
