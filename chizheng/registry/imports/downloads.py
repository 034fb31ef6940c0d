"""What an importer downloads: the template of each kind (.xlsx with a sheet of instructions,
or .csv) and a job's error report as a workbook. Every cell goes through
``core.spreadsheet``, so nothing in them runs as a formula when opened.
"""

from __future__ import annotations

import csv
import io

from chizheng.core import spreadsheet

from ..models import ImportJob
from .schemas import Kind, kind_of


def template_xlsx(kind: str) -> bytes:
    """A template with Chinese headers (required ones marked *), text-formatted ID columns,
    one example row and a sheet of instructions."""
    return template_xlsx_of(kind_of(kind))


def template_xlsx_of(spec: Kind) -> bytes:
    """The template of a kind declared elsewhere (another app's import of its own records)."""
    import openpyxl  # here, not at the top: the URL configuration imports this module
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = spec.title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE7E7")
    for i, c in enumerate(spec.columns, start=1):
        cell = ws.cell(
            row=1, column=i, value=spreadsheet.cell(c.header + ("*" if c.required else ""))
        )
        cell.font = bold
        if c.required:
            cell.fill = fill
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(12, len(c.header) * 2 + 2)
        for row in range(2, 2002):
            ws.cell(row=row, column=i).number_format = "@"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "示例", "说明"])
    for c in spec.columns:
        notes.append(spreadsheet.row([c.header, "是" if c.required else "否", c.example, c.note]))
    notes.append([])
    notes.append(
        [
            "说明",
            "",
            "",
            "第1行为表头，请勿修改；从第2行起每行一条记录。身份证号码等列已设为文本格式。",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(kind: str) -> bytes:
    spec = kind_of(kind)
    buf = io.StringIO()
    csv.writer(buf).writerow(
        spreadsheet.row(c.header + ("*" if c.required else "") for c in spec.columns)
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def errors_xlsx(job: ImportJob) -> bytes:
    """The report of a job as a workbook the user can work through."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "错误明细"
    ws.append(["行号", "列", "原因"])
    for e in job.errors:
        ws.append(spreadsheet.row([e["row"], e["column"], e["reason"]]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
