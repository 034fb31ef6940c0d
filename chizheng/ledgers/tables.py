"""The ledgers as spreadsheets: a ledger's rows with its total, and the certificate list a
row of the evaluation ledger drills down to (names and ID numbers masked, formula text
escaped by ``core.spreadsheet``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chizheng.assessment.models import Certificate
from chizheng.core import spreadsheet

from .selectors import LEVELS, Ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CERTIFICATE_HEADERS = (
    "证书编号",
    "持证人",
    "身份证号码",
    "职业（工种）",
    "等级",
    "证书类型",
    "评价渠道",
    "发证日期",
    "评价机构",
    "培训班",
)


def ledger_xlsx(ledger: Ledger, title: str) -> bytes:
    header = [ledger.by.label, *(h for _, h in ledger.columns)]
    rows = [[r.label, *(r.counts[n] for n, _ in ledger.columns)] for r in ledger.rows]
    rows.append(["合计", *(ledger.total[n] for n, _ in ledger.columns)])
    return spreadsheet.workbook(title, header, rows)


def certificate_row(c: Certificate) -> list[object]:
    person = c.person
    return [
        c.number,
        person.name,  # officials of his scope see names; the ID number stays masked
        person.id_masked,
        c.occupation_code,
        LEVELS.get(c.skill_level or 0, "—"),
        c.get_kind_display(),
        c.get_channel_display(),
        c.issued_on,
        c.issuing_institution.name if c.issuing_institution else "",
        c.training_class.batch if c.training_class else "",
    ]


def certificates_xlsx(
    certificates: Iterable[Certificate], on_rows: Callable[[int], None] | None = None
) -> bytes:
    return spreadsheet.workbook(
        "证书清单", CERTIFICATE_HEADERS, (certificate_row(c) for c in certificates), on_rows=on_rows
    )
