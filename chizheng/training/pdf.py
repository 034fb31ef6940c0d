"""附件2 (年度补贴培训资金申请表) as a PDF, every box filled from the records.

ReportLab's built-in CID font STSong-Light renders Chinese without a font file. Where the
paper form has signatures and seals, the PDF prints the reviewer's name and date (盖章 is an
approval recorded in the system).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)

CERT_ROWS = [
    ("vocational_qualification", "参加国家职业资格鉴定人数"),
    ("skill_level", "参加职业技能等级评定人数"),
    ("special_operation", "参加特种作业操作考核人数"),
    ("special_ability", "参加专项能力考核认定人数"),
    ("training_pass", "参加结业考核人数"),
]


def _p(text: Any) -> Paragraph:
    return Paragraph(str(text) if text not in (None, "") else "", CELL)


def _seal(review: Any) -> str:
    if review is None:
        return "初审人：    复核人：    盖章    年  月  日"
    return (
        f"{review.get_decision_display()}　审核人：{review.reviewer}　{review.done_on:%Y年%m月%d日}"
    )


def _pair(first: Any, second: Any) -> str:
    def who(r: Any) -> str:
        return f"{r.reviewer}（{r.done_on:%Y-%m-%d}，{r.get_decision_display()}）" if r else "—"

    opinion = "；".join(r.opinion for r in (first, second) if r and r.opinion)
    return f"{opinion}　初审人：{who(first)}　复核人：{who(second)}"


def form_pdf(boxes: dict[str, Any]) -> bytes:
    k = boxes["training_class"]
    opening, during, a, counts = (
        boxes["opening"],
        boxes["during"],
        boxes["assessment"],
        boxes["counts"],
    )
    rows: list[list[Any]] = [
        [
            _p("培训机构（或企业、个人）名称"),
            _p(f"{k.institution.name}（已在系统登记）"),
            _p("联系人及电话"),
            _p(f"{k.contact_name} {k.contact_phone}"),
        ],
        [_p("开户银行名称"), _p(k.bank_name), _p("银行帐号"), _p(k.bank_account)],
        [
            _p("开班批次及开班时间"),
            _p(f"{k.batch}　{k.start_date:%Y年%m月%d日}"),
            _p("培训工种及级别"),
            _p(f"{k.occupation_name}（{k.occupation_code}）{k.skill_level or ''}级"),
        ],
        [
            _p("拟培训人数"),
            _p(k.planned_count),
            _p("培训时长"),
            _p(f"{k.start_date:%Y年%m月%d日}至{k.end_date:%Y年%m月%d日}，共{k.class_hours}课时"),
        ],
        [
            _p("拟培训方式"),
            _p(k.get_mode_display()),
            _p("计划及名册是否在系统填报"),
            _p("是" if k.plan_in_system and k.roster_in_system else "否"),
        ],
        [_p("行业主管部门审核意见"), _p(_pair(*boxes["industry"])), "", ""],
        [_p("人力资源社会保障部门审核意见"), _p(_pair(*boxes["hr"])), "", ""],
        [
            _p("开班当日检查情况"),
            _p(
                f"学员人数：{opening.present}　签到情况：{opening.signed_in}人　培训资料留存情况：{'留存' if opening.materials_kept else '未留存'}"
                if opening
                else ""
            ),
            _p("检查人员签字"),
            _p(f"{opening.inspector}（{opening.held_on}）" if opening else ""),
        ],
    ]
    for i in during or [None]:
        rows.append(
            [
                _p("培训期间检查情况"),
                _p(
                    f"时间：{i.held_on:%Y年%m月%d日}　地点：{i.place}　师资情况：在岗教师{i.teachers_present}人　学员出勤情况：{i.present}人"
                    if i
                    else ""
                ),
                _p("检查人员签字"),
                _p(f"{i.inspector}" if i else ""),
            ]
        )
    rows += [
        [
            _p("检查情况是否在系统填报"),
            _p("是" if opening or during else "否"),
            _p("平均出勤人数"),
            _p(k.average_present or ""),
        ],
        [
            _p(f"组织考核时间（提前{boxes['assessment_ahead_days']}天提出并在系统填报）"),
            _p(
                f"{a.held_on:%Y年%m月%d日}（{a.registered_on:%Y年%m月%d日}登记，评价机构：{a.evaluator.name}）"
                if a
                else ""
            ),
            _p("参加考核人数"),
            _p(boxes["taking_total"] if a else ""),
        ],
    ]
    for code, label in CERT_ROWS:
        c = counts.get(code)
        rows.append(
            [_p(label), _p(c.taking if c else ""), _p("取证人数"), _p(c.certified if c else "")]
        )
    rows.append(
        [
            _p("考核结果是否在系统填报"),
            _p("是" if a and a.results_entered_on else "否"),
            _p("取证总人数"),
            _p(boxes["certified_total"] if a else ""),
        ]
    )
    table = Table(rows, colWidths=[42 * mm, 68 * mm, 30 * mm, 40 * mm])
    spans = [("SPAN", (1, r), (3, r)) for r in (5, 6)]
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                *spans,
            ]
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        title="年度补贴培训资金申请表",
        author="chizheng",
    )
    doc.build([Paragraph("年度补贴培训资金申请表", TITLE), Spacer(1, 6 * mm), table])
    return buf.getvalue()
