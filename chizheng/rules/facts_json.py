"""Reading facts from JSON (the ``rules check`` file format, documented in docs/rules.md).

Pure Python. Every problem is reported, each naming its field by path
(``class_application.roster[2].id_number``) with a Chinese message, in one ``FactsInvalid``
error; types are strict (``"80"`` is not a number), unknown fields are refused, and every
occupation code must be in the code list given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from pydantic import ConfigDict, TypeAdapter, with_config
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from chizheng.core.errors import ValidationError

from . import occupations
from .facts import CERTIFICATE_NAMES, LEVELLED_CERTIFICATES, ClassApplication


class FactsInvalid(ValidationError):
    code = "rules_facts_invalid"


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    message_en: str


@dataclass(frozen=True)
class ClassCheck:
    """The ``rules check`` document: the application and the date to judge it on."""

    application: ClassApplication
    on: dt.date


_TYPE_NAMES = {
    "int": ("整数", "an integer"),
    "bool": ("true 或 false", "true or false"),
    "string": ("字符串", "a string"),
    "date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "decimal": ("数字", "a number"),
    "tuple": ("数组", "an array"),
    "list": ("数组", "an array"),
    "dict": ("对象", "an object"),
    "dataclass": ("对象", "an object"),
    "model": ("对象", "an object"),
}


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（文件）"


def _explain(err: ErrorDetails) -> tuple[str, str]:
    kind = err["type"]
    if kind == "missing" or kind == "missing_argument":
        return "缺少必填字段", "required field is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "未知字段（请检查拼写）", "unknown field (check the spelling)"
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"取值应为以下之一：{expected}", f"must be one of {expected}"
    if kind == "json_invalid":
        return f"JSON 格式错误：{err['msg']}", f"invalid JSON: {err['msg']}"
    for prefix, (zh, en) in _TYPE_NAMES.items():
        if kind.startswith(prefix + "_"):
            return f"类型错误：应为{zh}，实际为 {err.get('input')!r}", f"wrong type: must be {en}"
    return f"取值无效：{err['msg']}", f"invalid value: {err['msg']}"


@with_config(ConfigDict(extra="forbid"))
@dataclass(frozen=True)
class _CheckDocument:
    class_application: ClassApplication
    date: dt.date | None = None


_DOCUMENT = TypeAdapter(_CheckDocument)


def _occupation_fields(app: ClassApplication) -> Iterator[tuple[str, str]]:
    base = "class_application"
    yield f"{base}.occupation", app.occupation
    for i, e in enumerate(app.institution.catalog):
        yield f"{base}.institution.catalog[{i}].occupation", e.occupation
    for code in app.institution.fulltime_teachers:
        yield f"{base}.institution.fulltime_teachers.{code}", code
    for i, t in enumerate(app.roster):
        row = f"{base}.roster[{i}]"
        if t.post_occupation is not None:
            yield f"{row}.post_occupation", t.post_occupation
        if t.former_occupation is not None:
            yield f"{row}.former_occupation", t.former_occupation
        if t.student is not None:
            for j, m in enumerate(t.student.major_occupations):
                yield f"{row}.student.major_occupations[{j}]", m


def _consistency(app: ClassApplication) -> Iterator[Problem]:
    base = "class_application"
    nonneg = (
        "planned_trainees",
        "teachers",
        "workstations",
        "practical_hours",
        "online_theory_hours",
        "apprentices_in_occupation",
        "class_hour_minutes",
    )
    for name in nonneg:
        if getattr(app, name) < 0:
            yield Problem(f"{base}.{name}", "不能为负数", "must not be negative")
    if app.level is None:
        if app.certificate_type in LEVELLED_CERTIFICATES:
            yield Problem(
                f"{base}.level",
                f"考核{CERTIFICATE_NAMES[app.certificate_type]}须注明技能等级（1–5）",
                "a levelled certificate needs a skill level (1–5)",
            )
    elif not 1 <= app.level <= 5:
        yield Problem(
            f"{base}.level", f"技能等级应为 1–5，实际为 {app.level}", "skill level must be 1–5"
        )
    if app.class_hours <= 0:
        yield Problem(f"{base}.class_hours", "总学时应大于 0", "must be greater than 0")
    if app.practical_hours > app.class_hours:
        yield Problem(
            f"{base}.practical_hours",
            f"实操学时 {app.practical_hours} 超过总学时 {app.class_hours}",
            "exceeds class_hours",
        )
    refs = [t.ref for t in app.roster]
    for i, t in enumerate(app.roster):
        if refs.index(t.ref) != i:
            yield Problem(
                f"{base}.roster[{i}].ref", f"花名册序号 {t.ref} 重复", "duplicate roster ref"
            )


def parse_class_check(raw: bytes | str, *, known_occupations: Collection[str]) -> ClassCheck:
    """Parse a ``rules check`` file: ``{"date"?: "YYYY-MM-DD", "class_application": {...}}``.

    ``date`` defaults to the class's start date.
    """
    try:
        # Strict JSON mode: "80" is not an integer, but "2022-06-06" is a date.
        doc = _DOCUMENT.validate_json(raw, strict=True)
    except PydanticError as e:
        raise _invalid(
            [Problem(_path(tuple(err["loc"])), *_explain(err)) for err in e.errors()]
        ) from None
    app = doc.class_application
    problems: list[Problem] = []
    problems += list(_consistency(app))
    for field, code in _occupation_fields(app):
        if not occupations.is_well_formed(code):
            problems.append(
                Problem(
                    field,
                    f"职业编码 {code!r} 格式错误，应如 6-18-02-05",
                    f"occupation code {code!r} is malformed",
                )
            )
        elif code not in known_occupations:
            problems.append(
                Problem(
                    field,
                    f"未知的职业编码 {code}（不在职业目录中）",
                    f"unknown occupation code {code}",
                )
            )
    if problems:
        raise _invalid(problems)
    return ClassCheck(app, doc.date or app.start_date)


def _invalid(problems: list[Problem]) -> FactsInvalid:
    lines = "；".join(f"{p.field}：{p.message}" for p in problems)
    lines_en = "; ".join(f"{p.field}: {p.message_en}" for p in problems)
    return FactsInvalid(
        f"输入有误（{len(problems)} 处）：{lines}",
        message_en=f"invalid input ({len(problems)} problems): {lines_en}",
        detail=[
            {"field": p.field, "message": p.message, "message_en": p.message_en} for p in problems
        ],
    )
