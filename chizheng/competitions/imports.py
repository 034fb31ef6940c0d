"""The contestants of an event from an .xlsx or .csv file, all or nothing.

The registry's import machinery does the reading and the checking (``registry.imports``:
the streaming .xlsx reader that refuses formulas, the cell parsers, every bad cell and
duplicate reported by row and column); this module declares the file's columns and the
checks that need the database — the people by the blind index of their ID number, their
names, the event's occupations, the certificates named, those already entered — each one
query for the whole file. A file with any bad row writes nothing (``ImportHasErrors``, its
detail listing every error); a good one is written in one insert. A contestants file is at
most ``MAX_ROWS`` rows, checked and written within the request.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import audit
from chizheng.core.errors import ValidationError
from chizheng.registry.imports import Column, Kind, RowError, check_file, count_rows
from chizheng.registry.imports.cells import Choices, _Bad, _id_number, _int, _text
from chizheng.registry.imports.context import Context
from chizheng.registry.imports.services import ImportHasErrors
from chizheng.registry.models import Person
from chizheng.registry.selectors import id_index

from .models import Award, Contestant, Event
from .services import CERTIFYING_KINDS, MAX_RANK, MAX_SCORE, own_event

# An event's contestants: a few hundred at most; a file beyond this is not a contestants list.
MAX_ROWS = 5000

COLUMNS = (
    Column("name", "姓名", True, "张伟"),
    Column(
        "id_number",
        "身份证号码",
        True,
        "410402199001010019",
        "须已在实名库登记；Excel中请设为文本格式",
    ),
    Column("occupation", "参赛职业编码", True, "6-18-01-01", "须为本赛事的竞赛职业（工种）"),
    Column("score", "成绩", False, "92.5", "0至9999.99"),
    Column("rank", "名次", False, "1"),
    Column("award", "奖项", False, "一等奖", "一等奖、二等奖、三等奖、优秀奖；未获奖不填"),
    Column(
        "certificate",
        "证书编号",
        False,
        "",
        "通过竞赛取得、已在系统登记的职业资格或职业技能等级证书编号",
    ),
)
AWARDS = Choices([(v, label) for v, label in Award.choices if v], "奖项")


def _score(v: Any) -> Decimal | None:
    if v == "":
        return None
    try:
        score = Decimal(str(v).strip())
    except InvalidOperation:
        raise _Bad("成绩应为数字，如 92.5") from None
    if not score.is_finite() or not Decimal(0) <= score <= MAX_SCORE:
        raise _Bad(f"成绩应在0至{MAX_SCORE}之间")
    return score.quantize(Decimal("0.01"))


def contestants_kind(event: Event) -> Kind:
    """The columns and row check of one event's file (its occupations, loaded once)."""
    occupations = dict(event.occupations.values_list("code", "id"))

    def check(raw: dict[str, Any], ctx: Context, bad: Any) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        parsers: dict[str, Callable[[Any], Any]] = {
            "name": lambda v: _text(v, max_len=50) or _raise("必填"),
            "id_number": _id_number,
            "occupation": lambda v: _occupation(v, occupations),
            "score": _score,
            "rank": lambda v: _int(v, low=1, high=MAX_RANK, what="名次"),
            "award": AWARDS,
            "certificate": lambda v: _text(v, max_len=60),
        }
        ok = True
        for key, parse in parsers.items():
            try:
                out[key] = parse(raw.get(key, ""))
            except _Bad as e:
                bad(key, str(e))
                ok = False
        return out if ok else None

    return Kind(
        name="contestants",
        title="竞赛选手",
        columns=COLUMNS,
        check=check,
        key=lambda row: row["id_number"],
        key_column="id_number",
    )


def _raise(reason: str) -> Any:
    raise _Bad(reason)


def _occupation(v: Any, occupations: dict[str, int]) -> int:
    code = str(v).strip()
    if not code:
        raise _Bad("必填")
    if code not in occupations:
        raise _Bad(f"“{code[:20]}”不是本赛事的竞赛职业（工种）")
    return occupations[code]


def _context(actor: User) -> Context:
    # The registry's context serves its own kinds; this file's checks need only the actor.
    return Context(actor, {}, {}, {}, {}, set())


def _against_records(event: Event, rows: list[dict[str, Any]]) -> list[RowError]:
    """What only the records can tell, for the whole file in four queries: the person of
    each ID number and his name, those already entered, the certificates named."""
    header = {c.key: c.header for c in COLUMNS}
    indexes = {row["_row"]: id_index(row["id_number"]) for row in rows}
    people = {
        p["id_index"]: p
        for p in Person.objects.filter(id_index__in=set(indexes.values())).values(
            "id", "id_index", "name"
        )
    }
    entered = set(Contestant.objects.filter(event=event).values_list("person_id", flat=True))
    numbers = {row["certificate"] for row in rows if row["certificate"]}
    certificates: dict[tuple[int, str], Any] = {}
    if numbers:
        for c in (
            Certificate.objects.filter(
                number__in=numbers, person_id__in=[p["id"] for p in people.values()]
            )
            .order_by("issued_on")
            .values("id", "person_id", "number", "kind", "issued_on")
        ):
            certificates[(c["person_id"], c["number"])] = c
    errors: list[RowError] = []
    for row in rows:
        n = row["_row"]
        person = people.get(indexes[n])
        if person is None:
            errors.append(RowError(n, header["id_number"], "未在实名库登记，请先登记人员"))
            continue
        row["person_id"] = person["id"]
        if person["name"] != row["name"]:
            errors.append(RowError(n, header["name"], "姓名与实名库登记的不一致"))
        if person["id"] in entered:
            errors.append(RowError(n, header["id_number"], "已在本赛事的选手名单中"))
        if row["certificate"]:
            cert = certificates.get((person["id"], row["certificate"]))
            if cert is None:
                errors.append(RowError(n, header["certificate"], "该选手名下没有这个编号的证书"))
            elif cert["kind"] not in CERTIFYING_KINDS:
                errors.append(
                    RowError(n, header["certificate"], "不是职业资格证书或职业技能等级证书")
                )
            elif cert["issued_on"] < event.starts_on:
                errors.append(RowError(n, header["certificate"], "证书早于赛事开始日期取得"))
            else:
                row["certificate_id"], row["certified_on"] = cert["id"], cert["issued_on"]
    return errors


@transaction.atomic
def contestants_import(*, actor: User, event_id: int, filename: str, content: bytes) -> int:
    """Enter every contestant of the file, or none: returns how many were entered."""
    event = own_event(actor, event_id)
    if not content:
        raise ValidationError("文件为空", message_en="empty file", code="import_unreadable")
    if count_rows(content, filename) > MAX_ROWS:
        raise ValidationError(
            f"一个选手名单不能超过{MAX_ROWS}行", message_en=f"at most {MAX_ROWS} rows"
        )
    checked = check_file(
        kind=contestants_kind(event), content=content, filename=filename, ctx=_context(actor)
    )
    errors = list(checked.errors)
    if checked.good:
        errors += _against_records(event, checked.good)
    if not errors and not checked.good:
        raise ValidationError("文件中没有选手", message_en="no rows", code="import_unreadable")
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportHasErrors(
            f"{len({e.row for e in errors})}行有误，未导入任何选手，请改正后重新上传",
            message_en="the file has errors; nothing was imported",
            detail={"total": checked.total, "errors": [e.as_dict() for e in errors[:1000]]},
        )
    Contestant.objects.bulk_create(
        [
            Contestant(
                event=event,
                person_id=row["person_id"],
                occupation_id=row["occupation"],
                score=row["score"],
                rank=row["rank"],
                award=row["award"],
                certificate_id=row.get("certificate_id"),
                certified_on=row.get("certified_on"),
            )
            for row in checked.good
        ],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="competition.contestants.import",
        obj=event,
        after={"filename": filename[:200], "rows": len(checked.good)},
    )
    return len(checked.good)
