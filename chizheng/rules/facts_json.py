"""Reading facts from JSON (the ``rules check`` file format, documented in docs/rules.md):
a class application, or any kind of facts the engine judges, one object or a list of each.

Pure Python. Every problem is reported, each naming its field by path
(``class_application.roster[2].id_number``) with a Chinese message, in one ``FactsInvalid``
error; types are strict (``"80"`` is not a number), unknown fields are refused, and every
occupation code must be in the code list given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, TypeAdapter, with_config
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from chizheng.core.errors import ValidationError

from . import occupations
from .evaluate import SUBJECT_OF
from .facts import (
    CERTIFICATE_NAMES,
    LEVELLED_CERTIFICATES,
    Assessment,
    Claim,
    ClassApplication,
    Enrolment,
    Makeup,
    Satisfaction,
    Session,
    TraineeAttendance,
)


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


# Every kind of facts the engine judges, by its name in a check document, and the day each
# is judged on when the document gives no ``date`` (None: the document must give one).
# The document's key for each kind the engine judges (``evaluate.SUBJECT_OF``): the rules'
# subject, but "class_application" for the class (the subject "class" reads as the record).
KINDS: dict[str, type] = {
    ("class_application" if subject == "class" else subject): kind
    for kind, subject in SUBJECT_OF.items()
}


def _natural_date(facts: object) -> dt.date | None:
    if isinstance(facts, ClassApplication):
        return facts.start_date
    if isinstance(facts, Enrolment):
        return facts.application.start_date
    if isinstance(facts, (Assessment, Session)):
        return facts.held_on
    if isinstance(facts, Makeup):
        return facts.completed_on
    if isinstance(facts, TraineeAttendance):
        return facts.final_assessment_on  # none yet: the document gives the day
    if isinstance(facts, Satisfaction):
        return facts.result.surveyed_on
    if isinstance(facts, Claim):
        return facts.as_of
    return None  # attendance, certificate counts, a centre's conditions: no day of their own


@dataclass(frozen=True)
class Item:
    """One set of facts of a check document, where it stands in it, and its day."""

    field: str  # "session[2]"
    facts: object
    on: dt.date


def parse_check(raw: bytes | str, *, known_occupations: Collection[str]) -> list[Item]:
    """Parse a ``rules check`` document holding any of the kinds of ``KINDS`` (an object or
    a list of objects each) and an optional ``date``; every problem is reported at once."""
    try:
        doc = json.loads(raw)
    except ValueError as e:
        raise _invalid([Problem("（文件）", f"JSON 格式错误：{e}", f"invalid JSON: {e}")]) from None
    if not isinstance(doc, dict):
        raise _invalid([Problem("（文件）", "应为 JSON 对象", "must be a JSON object")])
    problems = [
        Problem(key, "未知字段（请检查拼写）", "unknown field (check the spelling)")
        for key in doc
        if key != "date" and key not in KINDS
    ]
    on: dt.date | None = None
    if doc.get("date") is not None:
        try:
            on = _DATE.validate_json(json.dumps(doc["date"]), strict=True)
        except PydanticError as e:
            problems += [Problem("date", *_explain(err)) for err in e.errors()]
    items: list[Item] = []
    for kind, model in KINDS.items():
        if kind not in doc:
            continue
        many = isinstance(doc[kind], list)
        adapter = _adapter(list[model] if many else model)  # type: ignore[valid-type]
        try:
            parsed = adapter.validate_json(json.dumps(doc[kind]), strict=True)
        except PydanticError as e:
            problems += [Problem(_path((kind, *err["loc"])), *_explain(err)) for err in e.errors()]
            continue
        for i, facts in enumerate(parsed if many else [parsed]):
            field = f"{kind}[{i}]" if many else kind
            problems += _facts_problems(field, facts, known_occupations)
            day = on or _natural_date(facts)
            if day is None:
                problems.append(
                    Problem(
                        "date",
                        f"{field} 没有自身的日期，须给出 date（YYYY-MM-DD）",
                        f"{field} has no day of its own: give date (YYYY-MM-DD)",
                    )
                )
                continue
            items.append(Item(field, facts, day))
    if not items and not problems:
        problems.append(
            Problem(
                "（文件）",
                f"文件中没有可判定的事实，应至少包含以下之一：{'、'.join(KINDS)}",
                f"nothing to judge: the document must hold one of {', '.join(KINDS)}",
            )
        )
    if problems:
        raise _invalid(problems)
    return items


_DATE: TypeAdapter[dt.date] = TypeAdapter(dt.date)
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def _facts_problems(field: str, facts: object, known: Collection[str]) -> list[Problem]:
    if isinstance(facts, ClassApplication):
        return _application_problems(facts, known, field)
    if isinstance(facts, Enrolment):
        return _application_problems(facts.application, known, f"{field}.application")
    if isinstance(facts, Assessment):
        return _code_problems(f"{field}.occupation", facts.occupation, known)
    if isinstance(facts, TraineeAttendance):
        return list(_attendance_problems(facts, field))
    return []


def _attendance_problems(a: TraineeAttendance, base: str) -> Iterator[Problem]:
    if a.class_hours <= 0:
        yield Problem(f"{base}.class_hours", "总学时应大于 0", "must be greater than 0")
    for name in ("online_credited_hours", "online_planned_hours"):
        if getattr(a, name) < 0:
            yield Problem(f"{base}.{name}", "不能为负数", "must not be negative")
    refs = [s.ref for s in a.sessions]
    for i, s in enumerate(a.sessions):
        if not 0 <= s.recognised_hours <= s.class_hours:
            yield Problem(
                f"{base}.sessions[{i}].recognised_hours",
                f"认定学时 {s.recognised_hours} 应在 0 与该课次学时 {s.class_hours} 之间",
                "must be between 0 and the session's class hours",
            )
        if refs.index(s.ref) != i:
            yield Problem(
                f"{base}.sessions[{i}].ref", f"课次 {s.ref} 重复", "duplicate session ref"
            )
    for i, m in enumerate(a.makeups):
        if m.class_hours < 0:
            yield Problem(f"{base}.makeups[{i}].class_hours", "不能为负数", "must not be negative")


def _occupation_fields(
    app: ClassApplication, base: str = "class_application"
) -> Iterator[tuple[str, str]]:
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


def _consistency(app: ClassApplication, base: str = "class_application") -> Iterator[Problem]:
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
    problems = _application_problems(app, known_occupations)
    if problems:
        raise _invalid(problems)
    return ClassCheck(app, doc.date or app.start_date)


def _code_problems(field: str, code: str, known: Collection[str]) -> list[Problem]:
    if not occupations.is_well_formed(code):
        return [
            Problem(
                field,
                f"职业编码 {code!r} 格式错误，应如 6-18-02-05",
                f"occupation code {code!r} is malformed",
            )
        ]
    if code not in known:
        return [
            Problem(
                field, f"未知的职业编码 {code}（不在职业目录中）", f"unknown occupation code {code}"
            )
        ]
    return []


def _application_problems(
    app: ClassApplication, known: Collection[str], base: str = "class_application"
) -> list[Problem]:
    problems = list(_consistency(app, base))
    for field, code in _occupation_fields(app, base):
        problems += _code_problems(field, code, known)
    return problems


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
