"""A period's evaluator checks as .xlsx (formula text escaped by ``core.spreadsheet``)."""

from __future__ import annotations

from collections.abc import Iterable

from chizheng.core import spreadsheet

from .models import EvaluatorCheck

HEADERS = (
    "评价机构",
    "县（市、区）",
    "期次",
    "检查期限",
    "状态",
    "检查日期",
    "不符合项",
    "发现的问题",
    "处理方式",
)


def checks_xlsx(checks: Iterable[EvaluatorCheck], handling_names: dict[str, str]) -> bytes:
    return spreadsheet.workbook(
        "评价机构专项检查",
        HEADERS,
        (
            [
                c.evaluator.name,
                c.county.short_name,
                f"{c.year}年{c.get_half_display()}",
                c.due_on,
                c.get_state_display(),
                c.held_on,
                "；".join(i["item"] for i in c.checklist if not i.get("ok")),
                c.findings,
                handling_names.get(c.handling, c.handling),
            ]
            for c in checks
        ),
    )
