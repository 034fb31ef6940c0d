"""The risk ranking and the findings dashboard as .xlsx (text that would start a formula is
escaped, ``core.spreadsheet``; the names and summaries are the findings' own, personal data
already masked)."""

from __future__ import annotations

import io

from chizheng.core import spreadsheet
from chizheng.registry.tables import Col, Table, export_xlsx
from chizheng.rules.risk import CENT

from .dashboard import Line, Stats
from .risk import RiskRow


def _none(actor: object, params: object) -> object:
    raise NotImplementedError  # the rows are given to export_xlsx, never queried by the table


def _findings(r: RiskRow) -> str:
    return "；".join(f"#{c.finding_id} {c.points.quantize(CENT)}" for c in r.risk.contributions)


RISK_TABLE = Table(
    name="risk",
    title="机构风险排名",
    query=_none,  # type: ignore[arg-type]
    columns=(
        Col("对象类别", lambda r: r.kind_label),
        Col("名称", lambda r: r.institution.name),
        Col("统一社会信用代码", lambda r: r.institution.credit_code),
        Col("县（市、区）", lambda r: r.institution.county.short_name),
        Col("风险分值", lambda r: float(r.risk.score)),
        Col("风险等级", lambda r: r.risk.band.label),
        Col("线索数", lambda r: r.risk.findings),
        Col("线索（编号 计入分值）", _findings),
    ),
)


def risk_xlsx(rows: list[RiskRow]) -> bytes:
    return export_xlsx(RISK_TABLE, rows)


def stats_xlsx(stats: Stats) -> bytes:
    """One sheet per breakdown: by kind, county, institution and month."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheets: tuple[tuple[str, str, list[Line]], ...] = (
        ("按类型", "线索类型", stats.by_kind),
        ("按县（市、区）", "县（市、区）", stats.by_county),
        ("按培训机构", "培训机构", stats.by_institution),
        ("按月份", "月份（培训班开班）", stats.by_month),
    )
    for title, heading, lines in sheets:
        ws = wb.create_sheet(title)
        ws.append(spreadsheet.row([heading, "线索数", "风险分值合计"]))
        for line in lines:
            ws.append(spreadsheet.row([line.label, line.findings, float(line.score)]))
        ws.append(spreadsheet.row(["合计", stats.total, float(stats.score)]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
