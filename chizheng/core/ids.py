"""Resident identity numbers (居民身份证号码, GB 11643-1999): validation, normalisation, masking.

Pure Python: no Django import, so the rules engine and the CLI can use it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# GB 11643-1999 §8.2: weights of positions 1..17 and the check character per remainder.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
LENGTH = 18
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class IdCheck:
    number: str
    valid: bool
    reason: str = ""  # Chinese, empty when valid
    reason_en: str = ""


def normalise(raw: str) -> str:
    """The one form of a number: NFKC (full-width ４ and ｘ become 4 and x), every blank and
    invisible character removed (ASCII and ideographic spaces, tabs, zero-width spaces), the
    check character upper-cased. Validation, the blind index and storage all use it, so a
    number typed in full-width mode is the same number, not a second person."""
    text = unicodedata.normalize("NFKC", raw)
    kept = (c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))
    return "".join(kept).upper()


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def check(raw: str, *, today: dt.date | None = None) -> IdCheck:
    """Validate an ID number; the reason says exactly what is wrong."""
    number = normalise(raw)
    if len(number) != LENGTH:
        return IdCheck(
            number,
            False,
            f"长度应为18位，实际为{len(number)}位",
            f"must be 18 characters, got {len(number)}",
        )
    # ASCII digits only: str.isdigit() and int() also accept other scripts' digits.
    if not set(number[:17]) <= _DIGITS:
        return IdCheck(number, False, "前17位必须是数字", "the first 17 characters must be digits")
    if not (number[17] in _DIGITS or number[17] == "X"):
        return IdCheck(
            number, False, "第18位校验码必须是数字或X", "the check character must be a digit or X"
        )
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdCheck(
            number,
            False,
            f"出生日期{number[6:14]}不是有效日期",
            f"date of birth {number[6:14]} is not a valid date",
        )
    today = today or dt.date.today()
    if born > today or born.year < 1900:
        return IdCheck(
            number,
            False,
            f"出生日期{born.isoformat()}不在合理范围内",
            f"date of birth {born.isoformat()} is out of range",
        )
    expected = check_digit(number[:17])
    if number[17] != expected:
        return IdCheck(
            number,
            False,
            f"校验码错误：应为{expected}，实际为{number[17]}",
            f"wrong check character: expected {expected}, got {number[17]}",
        )
    return IdCheck(number, True)


def is_valid(raw: str) -> bool:
    return check(raw).valid


def mask(number: str) -> str:
    """Show the region code and the last four: 410402********0018."""
    n = normalise(number)
    if len(n) <= 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


_PHONE = re.compile(r"1[0-9]{10}", re.ASCII)


def normalise_phone(raw: str) -> str:
    """The one form of a mobile number, as for ID numbers: NFKC (full-width digits become
    ASCII), blanks, invisible characters and the hyphens of ``139-1234-5678`` removed, so the
    blind index finds the number however it was typed."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(
        c
        for c in text
        if not c.isspace() and c != "-" and unicodedata.category(c) not in ("Cf", "Cc")
    )


def is_mobile(phone: str) -> bool:
    """A normalised mainland mobile number: 11 ASCII digits starting with 1."""
    return bool(_PHONE.fullmatch(phone))


def mask_phone(phone: str) -> str:
    p = phone.strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]


def mask_account(account: str) -> str:
    """A bank account or card number as screens, prints and logs show it: its first four and
    last four digits, the rest as ``*``, separators kept (``core.logging``'s filter masks a
    run of digits the same way); one of eight digits or fewer shows only its last four."""
    digits = [i for i, c in enumerate(account) if c.isdigit()]
    keep = set(digits[:4] + digits[-4:]) if len(digits) > 8 else set(digits[-4:])
    return "".join("*" if c.isdigit() and i not in keep else c for i, c in enumerate(account))


def birth_date(number: str) -> dt.date:
    n = normalise(number)
    return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def make(region: str, born: dt.date, sequence: int) -> str:
    """Build a valid number (for demo data and tests): region code, birth date, 3-digit sequence."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
