"""What the system accepts as text and as a choice from outside.

One place for the checks every boundary shares — the API schemas (``chizheng.api.types``),
the web forms, the imports and the services — so a value is refused the same way, with
the same Chinese message, wherever it enters:

- text: no control characters (Unicode category Cc; tab and line breaks only where the
  field holds several lines) and no lone surrogates (they cannot be stored as UTF-8);
  PostgreSQL refuses NUL in any text, and a control character in a name or a number is
  never meant;
- a choice: one of the declared values, or a refusal that names the allowed ones by their
  Chinese labels (“处理类型应为：停止开班整改、黑名单、平台禁止参与补贴培训”).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ValidationError

# A text column without a declared length (TextField: reasons, opinions, notes) takes at
# most this many characters from outside: several paragraphs, not a document.
LONG_TEXT = 5000
# Dates the programme deals with: its documents start in 2022, people's records earlier;
# nothing it records lies a century ahead (and date arithmetic on year 9999 overflows).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
FIRST_YEAR, LAST_YEAR = FIRST_DAY.year, LAST_DAY.year

# Kept in multi-line text (reasons, opinions, notes): tab, line feed, carriage return.
LINE_BREAKS = frozenset("\t\n\r")
# For documentation (the OpenAPI ``pattern``): what a single-line text may not contain.
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def _refused(ch: str, multiline: bool) -> bool:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate: not a character, cannot be encoded
        return True
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return not (multiline and ch in LINE_BREAKS)
    return False


def first_control_character(value: str, *, multiline: bool = False) -> int | None:
    """The index of the first character the text may not hold, or ``None``."""
    for i, ch in enumerate(value):
        if _refused(ch, multiline):
            return i
    return None


def control_character_reason(position: int, value: str) -> str:
    return f"不能含有控制字符（第 {position + 1} 个字符 U+{ord(value[position]):04X}）"


def check_text(
    value: str,
    *,
    field: str,
    label: str,
    max_length: int | None = None,
    multiline: bool = False,
) -> str:
    """``value`` if it is acceptable text, else ``ValidationError`` naming the field."""
    at = first_control_character(value, multiline=multiline)
    if at is not None:
        reason = control_character_reason(at, value)
        raise ValidationError(
            f"{label}{reason}",
            message_en=f"{field} contains a control character",
            detail={"field": field, "reason": reason},
        )
    if max_length is not None and len(value) > max_length:
        reason = f"不能超过 {max_length} 个字符"
        raise ValidationError(
            f"{label}{reason}（现为 {len(value)} 个）",
            message_en=f"{field} is longer than {max_length} characters",
            detail={"field": field, "reason": reason},
        )
    return value


def _pairs(choices: Any) -> list[tuple[Any, str]]:
    """(value, label) of a Django ``Choices`` class, a mapping or a list of pairs."""
    if isinstance(choices, Mapping):
        return [(k, str(v)) for k, v in choices.items()]
    if hasattr(choices, "choices"):
        return [(v, str(label)) for v, label in choices.choices]
    return [(v, str(label)) for v, label in choices]


def choice_values(choices: Any, *, blank: bool = False) -> list[Any]:
    return [v for v, _ in _pairs(choices) if blank or v != ""]


def choice_message(label: str, choices: Any, *, blank: bool = False) -> str:
    labels = [lab for v, lab in _pairs(choices) if blank or v != ""]
    return f"{label}应为：{'、'.join(labels)}"


def check_choice(value: Any, choices: Any, *, field: str, label: str, blank: bool = False) -> Any:
    """``value`` if it is one of ``choices`` (``""`` too when ``blank``), else
    ``ValidationError`` naming the allowed values by their Chinese labels."""
    allowed = choice_values(choices, blank=blank)
    if value in allowed and not isinstance(value, bool):
        return value
    raise ValidationError(
        choice_message(label, choices, blank=blank),
        message_en=f"{field} must be one of {', '.join(map(str, allowed))}",
        detail={"field": field, "value": str(value)[:100], "allowed": allowed},
    )


def check_choices(values: Iterable[Any], choices: Any, *, field: str, label: str) -> list[Any]:
    return [check_choice(v, choices, field=field, label=label) for v in values]


def full_clean(obj: Any, *, exclude: Iterable[str] | None = None) -> None:
    """``obj.full_clean()`` with Django's refusal turned into a ``ValidationError`` (one
    ``{field, reason}`` per problem, labelled by the fields' Chinese names), so that a
    service's model check answers 422, never a 500."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        obj.full_clean(exclude=list(exclude) if exclude is not None else None)
    except DjangoValidationError as e:
        problems: list[dict[str, str]] = []
        for name, messages in e.message_dict.items():
            try:
                label = str(obj._meta.get_field(name).verbose_name)
            except Exception:
                label = ""
            problems.extend({"field": name, "label": label, "reason": str(m)} for m in messages)
        shown = "；".join(f"{p['label'] or p['field']}：{p['reason']}" for p in problems[:3])
        raise ValidationError(shown, message_en="invalid record", detail=problems) from None
