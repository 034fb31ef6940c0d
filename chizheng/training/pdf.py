"""附件2 (年度补贴培训资金申请表) as an A4 PDF, both halves, every box filled from the records
(``annex2.Annex2``): the class's half on the first page(s), the claim's (补贴资金申领, 资金拨付)
from a new page. ``claim_rows`` draws the claim half alone, for any claim's form.

ReportLab's built-in CID font STSong-Light renders Chinese without a font file. Each half
is one table of four columns (label, value, label, value) under section rows; a table
splits between rows, so a long list of inspections runs on to the next page with nothing
cut. Every page carries the class, the print date and its number.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from chizheng.registry.models import skill_level_title

from .annex2_text import BLANK_DATE, day, patrollers, seal, signed, yes_no

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.flowables import Flowable

    from chizheng.subsidy.selectors import Form

    from .annex2 import Annex2, ClassHalf
    from .models import Inspection

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
LABEL = ParagraphStyle("label", parent=CELL, textColor=colors.HexColor("#333333"))
SECTION = ParagraphStyle("section", parent=CELL, fontSize=10, leading=13)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10)
WIDTHS = [46 * mm, 62 * mm, 28 * mm, 44 * mm]  # 180 mm: A4 less 15 mm margins


def _p(text: Any, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(_escape(str(text)) if text not in (None, "") else "", style)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Rows:
    """A half's table as it is built: its rows, and the rows that span (a section's name
    across the table, a long value across the last three columns)."""

    cells: list[list[Any]] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    wide: list[int] = field(default_factory=list)

    def section(self, name: str) -> None:
        self.sections.append(len(self.cells))
        self.cells.append([_p(name, SECTION), "", "", ""])

    def pair(self, label: str, value: Any, label2: str, value2: Any) -> None:
        self.cells.append([_p(label, LABEL), _p(value), _p(label2, LABEL), _p(value2)])

    def line(self, label: str, value: Any) -> None:
        self.wide.append(len(self.cells))
        self.cells.append([_p(label, LABEL), _p(value), "", ""])

    def table(self) -> Table:
        t = Table(self.cells, colWidths=WIDTHS)
        style: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for r in self.sections:
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.lightgrey)]
        style += [("SPAN", (1, r), (-1, r)) for r in self.wide]
        t.setStyle(TableStyle(style))
        return t


def _yuan(amount: Any, wan: str) -> str:
    return f"{wan} 万元（{amount} 元）" if amount is not None else ""


def class_rows(half: ClassHalf) -> Rows:
    """The upper half: header, 开班申请, 过程监管, 结业考核."""
    k, a, rows = half.training_class, half.assessment, Rows()
    rows.pair(
        "培训机构（或企业、个人）名称（加盖印章）",
        k.institution.name,
        "联系人及电话",
        f"{k.contact_name} {half.contact_phone}",
    )
    rows.pair("开户银行名称", k.bank_name, "银行帐号", half.bank_account)
    rows.section("开班申请")
    level = f" {skill_level_title(k.skill_level)}" if k.skill_level else ""
    rows.pair(
        "开班批次及开班时间",
        f"{k.batch}　{day(k.start_date)}",
        "培训工种及级别",
        f"{k.occupation_name}（{k.occupation_code}）{level}",
    )
    rows.pair(
        "拟培训人数",
        k.planned_count,
        "培训时长",
        f"{day(k.start_date)}至{day(k.end_date)}，共{k.class_hours}课时",
    )
    platform = f"（线上平台：{k.platform.name}）" if k.platform else ""
    rows.line("拟培训方式（企业自主培训或委托培训等）", f"{k.get_mode_display()}{platform}")
    rows.line(
        "培训计划及人员名册是否在职业培训信息化管理系统填报",
        yes_no(k.plan_in_system and k.roster_in_system),
    )
    rows.line("行业主管部门审核意见", seal(*half.industry))
    rows.line("人力资源社会保障部门审核意见", seal(*half.hr))
    rows.section("过程监管")
    o = half.opening
    rows.pair(
        "开班当日检查情况",
        f"学员人数：{o.present}人　签到情况：{o.signed_in}人签到　培训资料留存情况："
        f"{'已留存' if o.materials_kept else '未留存'}"
        if o
        else "学员人数：　　签到情况：　　培训资料留存情况：",
        "检查人员签字",
        f"{o.inspector}（{day(o.held_on)}）" if o else "",
    )
    during: list[Inspection | None] = [*half.during] or [None]
    for i in during:
        rows.pair(
            "培训期间检查情况",
            f"时间：{day(i.held_on)}　地点：{i.place}　师资情况：在岗教师{i.teachers_present}人　"
            f"学员出勤情况：在位{i.present}人"
            if i
            else f"时间：{BLANK_DATE}　地点：　　师资情况：　　学员出勤情况：",
            "检查人员签字",
            str(i.inspector) if i else "",
        )
    rows.pair(
        "检查情况是否在职业培训信息化管理系统填报",
        yes_no(half.checks_in_system),
        "平均出勤人数",
        k.average_present if k.average_present is not None else "",
    )
    rows.line("人力资源社会保障部门检查意见", signed(half.supervision_opinion))
    rows.section("结业考核")
    rows.pair(
        f"组织考核（评价、鉴定）时间（提前{half.assessment_ahead_days}天提出，"
        "并在信息化管理系统上填报）",
        f"{day(a.held_on)}（{day(a.registered_on)}在系统登记；评价机构：{a.evaluator.name}）"
        if a
        else "",
        "参加考核人数",
        half.taking_total if half.taking_total is not None else "",
    )
    for c in half.count_rows:
        rows.pair(
            c.label,
            c.taking if c.taking is not None else "",
            "取证人数",
            c.certified if c.certified is not None else "",
        )
    rows.pair(
        "考核结果是否在职业培训信息化管理系统填报",
        yes_no(half.results_in_system),
        "取证总人数",
        half.certified_total if half.certified_total is not None else "",
    )
    rows.line("考核巡查人员签字", patrollers(half.patrols))
    rows.line("人力资源社会保障部门意见", signed(half.results_opinion))
    return rows


def claim_rows(form: Form | None, *, industry_label: str = "", notice_min_days: int = 0) -> Rows:
    """The lower half (补贴资金申领, 资金拨付) of one claim's form, or its blank boxes when
    there is no claim yet (then the labels' limits are the caller's, in force today)."""
    from chizheng.subsidy.services import COMMITMENT  # the subsidy app reads classes

    rows = Rows()
    rows.section("补贴资金申领")
    f = form
    rows.pair(
        "企业或培训机构或个人向行业主管部门申请　申请补贴人数",
        f.persons if f else "",
        "申请补贴资金（万元）",
        _yuan(f.amount, f.amount_wan) if f else "",
    )
    rows.line(
        "承诺",
        f"{f.commitment}　申请承诺人：{f.applicant_name or '　　　'}　{day(f.committed_on)}"
        if f
        else f"{COMMITMENT}　申请承诺人：　　　{BLANK_DATE}",
    )
    steps: Sequence[tuple[str, Any, Any]] = (
        f.steps
        if f
        else [
            (industry_label, None, None),
            ("人力资源社会保障部门审核意见", None, None),
            ("财政部门审核意见", None, None),
        ]
    )
    for n, (label, first, second) in enumerate(steps):
        rows.line(label, seal(first, second))
        if n == 0:
            rows.line(
                f"人力资源社会保障部门对补贴信息公示情况（不少于{f.notice_min_days if f else notice_min_days}个工作日）",
                _notice(f),
            )
    rows.section("资金拨付")
    rows.pair(
        "拨付时间",
        day(f.paid_on) if f and f.paid_on else "",
        "拨付金额（万元）",
        _yuan(f.paid_amount, f.paid_wan) if f and f.paid_on else "",
    )
    sources = (
        "；".join(f"{s.name}（{s.year}年度）{_yuan(s.amount, s.amount_wan)}" for s in f.sources)
        if f
        else ""
    )
    if f and f.recovered:
        sources += f"；已追缴 {f.recovered} 元"
    rows.line("资金来源（就业补助资金、失业保险基金、职业技能提升行动资金等）", sources)
    return rows


def _notice(f: Form | None) -> str:
    if f is None or f.notice_from is None:
        return (
            f"{BLANK_DATE}至{BLANK_DATE}在　　省（市、县）人力资源和社会保障局官网进行公示，"
            "公示期　　天，期间收到异议情况和处理情况："
        )
    until = (
        day(f.notice_until)
        if f.notice_until
        else f"（公示中，最早{day(f.notice_earliest_end)}期满）"
    )
    handled = "；".join(
        f"{n}. {o.get_outcome_display()}{'：' + o.handling if o.handling else ''}"
        for n, o in enumerate(f.objections, 1)
    )
    days = f"{f.notice_days}个工作日" if f.notice_days is not None else "—"
    return (
        f"{day(f.notice_from)}至{until}在{f.notice_site}官网进行公示，公示期{days}，"
        f"期间收到异议情况和处理情况：收到异议{len(f.objections)}件"
        + (f"（{handled}）" if handled else "")
    )


def form_pdf(form: Annex2) -> bytes:
    """The whole form of one class and its live claim."""
    k = form.half.training_class
    story: list[Flowable] = [
        Paragraph("年度补贴培训资金申请表", TITLE),
        Spacer(1, 4 * mm),
        class_rows(form.half).table(),
        PageBreak(),
        Paragraph("年度补贴培训资金申请表（续）", TITLE),
        Spacer(1, 4 * mm),
        claim_rows(
            form.claim_form,
            industry_label=form.industry_label,
            notice_min_days=form.notice_min_days,
        ).table(),
        Spacer(1, 4 * mm),
        Paragraph(
            "备注：1. 培训专业及批次较多的，可在此表相应栏目中添加；"
            "2. 个人申请的，仅填写此表涉及个人及培训机构、评价机构等基本信息。",
            SMALL,
        ),
    ]

    def page(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(
            15 * mm, 8 * mm, f"{k.batch}　{k.occupation_name}　打印于 {day(form.printed_on)}"
        )
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="年度补贴培训资金申请表",
        author="chizheng",
    )
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()
