"""A year's holiday arrangement as an .xlsx workbook: the notice's blocks, and every day
whose status the arrangement changes. Text cells that a spreadsheet would read as a
formula are escaped by ``core.spreadsheet``."""

from __future__ import annotations

import io

from chizheng.rules.holiday_schedule import WEEKDAYS, overrides

from .holiday_selectors import YearDetail
from .spreadsheet import cell


def year_xlsx(detail: YearDetail) -> bytes:
    from openpyxl import Workbook  # here: only an export needs it
    from openpyxl.styles import Font

    names = {h.code: h.name for h in detail.holidays}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{detail.year}年节假日安排"
    y = detail.entered
    for label, value in (
        ("年度", detail.year),
        ("依据文件", y.source if y else ""),
        ("文号", y.notice_number if y else ""),
        ("发文日期", y.notice_date if y and y.notice_date else ""),
        ("状态", y.get_status_display() if y else "未录入"),
        (
            "检查结果",
            "完整" if detail.checked.ok else "；".join(p.message for p in detail.checked.problems),
        ),
    ):
        ws.append([label, cell(value)])
    ws.append([])
    header = ["节日", "放假开始", "放假结束", "放假天数", "调休上班"]
    ws.append(header)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for b in detail.blocks:
        ws.append(
            [
                cell("、".join(names.get(c, c) for c in b.holidays)),
                b.first_off,
                b.last_off,
                b.length,
                cell("、".join(f"{d:%Y-%m-%d}" for d in b.workdays)),
            ]
        )
    for letter, width in zip("ABCDE", (18, 14, 14, 10, 28), strict=True):
        ws.column_dimensions[letter].width = width

    days = wb.create_sheet("逐日")
    days.append(["日期", "星期", "上班/休息", "节日"])
    for c in days[1]:
        c.font = Font(bold=True)
    for day, workday, codes in sorted(overrides(detail.blocks)):
        holiday = "、".join(names.get(c, c) for c in codes)
        days.append(
            [
                day,
                f"星期{WEEKDAYS[day.weekday()]}",
                "调休上班" if workday else "放假",
                cell(holiday),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
