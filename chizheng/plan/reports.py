"""The reporting cycle of §三(一): monthly scheduling, quarterly bulletin, half-year, annual.

A report is built once as plain tables (``Report``) from the scoped progress selectors, then
rendered as .xlsx (openpyxl) or PDF (ReportLab, built-in CID font STSong-Light: no font file).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from chizheng.accounts.models import User
from chizheng.core import spreadsheet
from chizheng.core.errors import ValidationError
from chizheng.subsidy.money import wan
from chizheng.subsidy.selectors import disbursements

from .models import Indicator, Plan
from .selectors import Cell, IndicatorProgress, Progress, attachment1, plan_progress

KINDS: dict[str, tuple[str, int]] = {  # kind -> (Chinese name, months per period)
    "monthly": ("月调度", 1),
    "quarterly": ("季通报", 3),
    "half": ("半年督导", 6),
    "annual": ("全年总结", 12),
}
FLAGS = {"lagging": "滞后", "over_cap": "超过上限", "todo": "数据待接入", "": ""}


@dataclass
class Section:
    title: str
    headings: list[str]
    rows: list[list[Any]]
    note: str = ""
    placeholder: bool = False  # a section to be filled once its records exist


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int  # 1-based: month, quarter, half; 1 for annual

    @property
    def months(self) -> range:
        size = KINDS[self.kind][1]
        first = (self.index - 1) * size + 1
        return range(first, first + size)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[-1]
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        if self.kind == "monthly":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarterly":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.kind == "half":
            return f"{self.year}年{'上下'[self.index - 1]}半年"
        return f"{self.year}年"


def period_of(*, kind: str, year: int, index: int) -> Period:
    if kind not in KINDS:
        raise ValidationError(
            f"报告类型无效：{kind}（可选：{'、'.join(KINDS)}）",
            message_en=f"unknown report kind {kind}",
            detail={"kind": kind},
        )
    count = 12 // KINDS[kind][1]
    if not 1 <= index <= count:
        raise ValidationError(
            f"{KINDS[kind][0]}的期次应为1至{count}",
            message_en=f"period must be 1..{count}",
            detail={"period": index},
        )
    return Period(kind, year, index)


def fmt(value: Decimal | None, *, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{places}f}"


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _actual(ind: Indicator, cell: Cell) -> str:
    if cell.flag == "todo":
        return "—"
    if ind.measure == Indicator.Measure.SHARE:
        return pct(cell.actual)
    return fmt(cell.actual, places=2 if ind.unit_size > 1 else 0)


def _target(ind: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if ind.measure == Indicator.Measure.SHARE:
        return pct(value)
    return fmt(value, places=2 if ind.unit_size > 1 else 0)


def _in_period(ip: IndicatorProgress, months: range, county_id: int | None = None) -> int:
    src = ip.months if county_id is None else ip.county_months.get(county_id, {})
    return sum(src.get(m, 0) for m in months)


def _county_sections(progress: Progress, months: range | None) -> list[Section]:
    sections = []
    for ip in progress.allocated:
        ind = ip.indicator
        headings = ["序号", "市县", f"目标（{ind.unit}）"]
        if months is not None:
            headings.append("本期完成（人）")
        headings += [f"累计完成（{ind.unit}）", "完成进度", "时间进度", "状态"]
        rows: list[list[Any]] = []
        for c in progress.counties:
            cell = ip.counties[c.pk]
            row: list[Any] = [c.order, c.short_name, _target(ind, cell.target)]
            if months is not None:
                row.append("—" if not ip.available else _in_period(ip, months, c.pk))
            row += [
                _actual(ind, cell),
                pct(cell.share_done),
                pct(progress.expected),
                FLAGS[cell.flag],
            ]
            rows.append(row)
        if progress.is_city:
            row = ["", "合计", _target(ind, ip.city.target)]
            if months is not None:
                row.append("—" if not ip.available else _in_period(ip, months))
            row += [
                _actual(ind, ip.city),
                pct(ip.city.share_done),
                pct(progress.expected),
                FLAGS[ip.city.flag],
            ]
            rows.append(row)
        sections.append(
            Section(
                title=f"{ind.heading or ind.name}（{ind.clause if not ind.allocated else '附件1'}）",
                headings=headings,
                rows=rows,
                note=ip.todo,
            )
        )
    return sections


def indicator_section(progress: Progress, months: range | None, scope: str) -> Section:
    headings = ["指标", "条款", f"目标（{scope}）", "单位"]
    if months is not None:
        headings.append("本期完成（人/家）")
    headings += ["累计完成", "完成进度", "时间进度", "状态/说明"]
    rows: list[list[Any]] = []
    for ip in progress.indicators:
        ind = ip.indicator
        name = ("　" if ind.parent_id else "") + ind.name
        row: list[Any] = [name, ind.clause, _target(ind, ip.city.target), ind.unit]
        if months is not None:
            row.append(
                "—"
                if not ip.available or ind.measure == Indicator.Measure.SHARE
                else _in_period(ip, months)
            )
        status = FLAGS[ip.city.flag] + (f"：{ip.todo}" if ip.todo else "")
        is_cap = ind.measure == Indicator.Measure.SHARE
        target = "≤" + _target(ind, ip.city.target) if is_cap else _target(ind, ip.city.target)
        row[2] = target
        expected = "—" if is_cap or not ip.available else pct(progress.expected)
        row += [_actual(ind, ip.city), pct(ip.city.share_done), expected, status]
        rows.append(row)
    return Section(title="全部指标完成情况", headings=headings, rows=rows)


def _month_section(progress: Progress, months: range) -> Section:
    codes = [
        ip
        for ip in progress.indicators
        if ip.available
        and ip.indicator.measure == Indicator.Measure.COUNT
        and ip.indicator.parent_id is None
    ]
    headings = ["月份", *[f"{ip.indicator.name}（人）" for ip in codes]]
    rows = [[f"{m}月", *[ip.months.get(m, 0) for ip in codes]] for m in months]
    return Section(title="分月完成情况", headings=headings, rows=rows)


def _subsidy_sections(actor: User, progress: Progress, period: Period) -> list[Section]:
    """§三(三): the office reports each quarter what was disbursed, by county and by fund."""
    bulletin = disbursements(actor=actor, start=period.start, end=period.end)
    paid = {c.code: c for c in bulletin.by_county}
    county_rows: list[list[Any]] = []
    for c in progress.counties:
        t = paid.get(c.code)
        county_rows.append(
            [
                c.order,
                c.short_name,
                t.claims if t else 0,
                t.persons if t else 0,
                wan(t.amount) if t else "0",
                wan(t.recovered) if t else "0",
            ]
        )
    if progress.is_city:  # a county report has no city total
        county_rows.append(
            [
                "",
                "合计",
                sum(c.claims for c in bulletin.by_county),
                sum(c.persons for c in bulletin.by_county),
                wan(bulletin.total),
                wan(bulletin.recovered),
            ]
        )
    fund_rows: list[list[Any]] = [[f.name, wan(f.amount)] for f in bulletin.by_fund]
    fund_rows.append(
        [
            "合计" if progress.is_city else "小计",
            wan(sum((f.amount for f in bulletin.by_fund), Decimal(0))),
        ]
    )
    note = f"§三(三)：市领导小组办公室按季度通报补贴资金拨付情况。统计期 {period.start} 至 {period.end}。"
    return [
        Section(
            title="补贴资金拨付情况（按县，§三(三)）",
            headings=[
                "序号",
                "市县",
                "拨付笔数",
                "补贴人数",
                "拨付金额（万元）",
                "追缴金额（万元）",
            ],
            rows=county_rows,
            note=note,
        ),
        Section(
            title="补贴资金拨付情况（按资金来源，§21）",
            headings=["资金来源", "拨付金额（万元）"],
            rows=fund_rows,
        ),
    ]


def scope_label(progress: Progress) -> str:
    if progress.is_city:
        return "全市"
    return "、".join(c.short_name for c in progress.counties) or "本县"


def report_build(*, actor: User, plan: Plan, kind: str, index: int) -> Report:
    """One report of the cycle for a period of the plan's year, scoped to the actor."""
    period = period_of(kind=kind, year=plan.year, index=index)
    progress = plan_progress(actor=actor, plan=plan, until=period.end)
    scope = scope_label(progress)
    name = KINDS[kind][0]
    report = Report(
        title=f"{plan.city.name}“人人持证、技能河南”建设{name}（{period.label}）",
        subtitle=(
            f"范围：{scope}；统计期：{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}；"
            f"累计至{progress.until:%Y年%m月%d日}，时间进度{pct(progress.expected)}；依据：{plan.source}"
        ),
    )
    report.sections += _county_sections(progress, period.months)
    report.sections.append(indicator_section(progress, period.months, scope))
    if kind != "monthly":
        report.sections.append(_month_section(progress, period.months))
    if kind == "quarterly":
        report.sections += _subsidy_sections(actor, progress, period)
    return report


def dashboard_report(*, progress: Progress) -> Report:
    scope = scope_label(progress)
    report = Report(
        title=f"{progress.plan.year}年目标任务完成进度",
        subtitle=f"范围：{scope}；截至{progress.until:%Y年%m月%d日}，时间进度{pct(progress.expected)}",
    )
    report.sections += _county_sections(progress, None)
    report.sections.append(indicator_section(progress, None, scope))
    return report


def attachment1_report(*, actor: User, plan: Plan) -> Report:
    columns, rows = attachment1(actor=actor, plan=plan)
    body: list[list[Any]] = [[n, label, *[f"{v:.2f}" for v in values]] for n, label, values in rows]
    if len(rows) == plan.city.counties.count():
        body.append(["合计", "", *[f"{c.target.normalize():f}" for c in columns]])
    notes = "备注：\n" + "\n".join(f"- {c.allocation_note}；" for c in columns)
    return Report(
        title="附件1",
        subtitle=f"各县（市、区）{plan.year}年“人人持证、技能河南”建设目标任务分解表",
        sections=[
            Section(
                title="",
                headings=["序号", "市县", *[c.heading for c in columns]],
                rows=body,
                note=notes,
            )
        ],
    )


# ---- rendering ------------------------------------------------------------------------------


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "报告"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE4EE")
    ws.append(spreadsheet.row([report.title]))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append(spreadsheet.row([report.subtitle]))
    for section in report.sections:
        ws.append([])
        if section.title:
            ws.append(spreadsheet.row([section.title]))
            ws.cell(row=ws.max_row, column=1).font = bold
        ws.append(spreadsheet.row(section.headings))
        for col in range(1, len(section.headings) + 1):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True)
        for row in section.rows:
            ws.append(spreadsheet.row(_xlsx_value(v) for v in row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, Decimal):
                    places = max(0, -int(cell.value.as_tuple().exponent))
                    cell.number_format = "0." + "0" * places if places else "0"
        if section.note:
            for line in section.note.split("\n"):
                ws.append(spreadsheet.row([line]))
    ws.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJ":
        ws.column_dimensions[letter].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(v: Any) -> Any:
    """Numbers stay numbers (so the office can sum them, and a negative one is not mistaken
    for a formula); formatted text stays text."""
    if isinstance(v, str) and _NUMBER.fullmatch(v):
        return Decimal(v)
    return v


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


_FONT = "STSong-Light"


def _font() -> str:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    return _FONT


def render_pdf(report: Report) -> bytes:
    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, spaceAfter=4)
    normal = ParagraphStyle("n", fontName=font, fontSize=9, leading=12)
    heading = ParagraphStyle(
        "h", fontName=font, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4
    )
    cell_style = ParagraphStyle("c", fontName=font, fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=report.title,
    )
    story: list[Any] = [Paragraph(report.title, title), Paragraph(report.subtitle, normal)]
    for section in report.sections:
        if section.title:
            story.append(Paragraph(section.title, heading))
        data = [[Paragraph(str(h), cell_style) for h in section.headings]]
        data += [[Paragraph(str(v), cell_style) for v in row] for row in section.rows]
        table = Table(data, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        table.setStyle(TableStyle(style))
        story.append(table)
        if section.note:
            for line in section.note.split("\n"):
                story.append(Paragraph(line, normal))
        story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return out.getvalue()
