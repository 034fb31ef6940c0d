"""The quarterly disbursement bulletin (§三(三)) as .xlsx (openpyxl) and PDF (ReportLab,
built-in CID font STSong-Light: no font file). Figures are the selector's Decimals, written
as exact numbers with two places — nothing is rounded here."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from chizheng.core import spreadsheet

from .selectors import Bulletin

FONT = "STSong-Light"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def title(b: Bulletin) -> str:
    return f"补贴资金拨付情况通报（{b.start:%Y-%m-%d} 至 {b.end:%Y-%m-%d}）"


def _rows(b: Bulletin) -> tuple[list[list[object]], list[list[object]]]:
    county: list[list[object]] = [
        ["县（市、区）", "拨付笔数", "补贴人数", "拨付金额（元）", "追缴金额（元）"]
    ]
    county += [[c.name, c.claims, c.persons, c.amount, c.recovered] for c in b.by_county]
    county.append(
        [
            "合计",
            sum(c.claims for c in b.by_county),
            sum(c.persons for c in b.by_county),
            b.total,
            b.recovered,
        ]
    )
    fund: list[list[object]] = [["资金来源", "拨付金额（元）"]]
    fund += [[f.name, f.amount] for f in b.by_fund]
    fund.append(["合计", b.total])
    return county, fund


def bulletin_xlsx(b: Bulletin) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "按县（市、区）"
    county, fund = _rows(b)
    ws.append(spreadsheet.row([title(b)]))
    ws["A1"].font = Font(bold=True)
    for row in county:
        ws.append(spreadsheet.row(row))
    ws2 = wb.create_sheet("按资金来源")
    for row in fund:
        ws2.append(spreadsheet.row(row))
    for sheet in (ws, ws2):
        for col in sheet.iter_cols(min_row=2):
            for cell in col:
                if isinstance(cell.value, (int, Decimal)):
                    cell.number_format = "#,##0.00" if isinstance(cell.value, Decimal) else "0"
        sheet.column_dimensions["A"].width = 24
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{b.start}-{b.end}.xlsx"'
    return response


def bulletin_pdf_bytes(b: Bulletin) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    h = ParagraphStyle("h", fontName=FONT, fontSize=14, leading=20)
    p = ParagraphStyle("p", fontName=FONT, fontSize=10, leading=14)
    county, fund = _rows(b)

    def table(rows: list[list[object]]) -> Table:
        t = Table([[f"{v:,.2f}" if isinstance(v, Decimal) else str(v) for v in r] for r in rows])
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 10),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ]
            )
        )
        return t

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=title(b))
    doc.build(
        [
            Paragraph(title(b), h),
            Paragraph(
                "平顶山市“人人持证、技能河南”建设工作领导小组办公室（§三(三)：按季度通报补贴资金拨付情况）",
                p,
            ),
            Spacer(1, 10),
            Paragraph("一、按县（市、区）", p),
            table(county),
            Spacer(1, 10),
            Paragraph("二、按资金来源", p),
            table(fund),
        ]
    )
    return buf.getvalue()


def bulletin_pdf(b: Bulletin) -> HttpResponse:
    response = HttpResponse(bulletin_pdf_bytes(b), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{b.start}-{b.end}.pdf"'
    return response
