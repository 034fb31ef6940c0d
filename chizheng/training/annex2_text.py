"""How 附件2's signed boxes read, one wording for the PDF and the HTML views (the template
filters of ``templatetags/annex2.py`` are these functions): a date as the form writes it,
a review level's 初审人/复核人/盖章, an office's signed opinion, the patrollers.

Where the paper form has a signature or a seal, the system prints who acted and when (盖章
is an approval recorded in the system); an empty box keeps the form's blanks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

BLANK_DATE = "　　年　　月　　日"


def day(value: dt.date | None) -> str:
    """2022年6月6日, or the form's blank date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else BLANK_DATE


def _who(step: Any) -> str:
    if step is None or step.reviewer is None:
        return "　　　"
    return f"{step.reviewer}（{step.get_decision_display()}，{day(step.done_on)}）"


def seal(first: Any, second: Any) -> str:
    """A level's two steps (初审, 复核: done review steps or None) as the form's box: the
    opinions, who reviewed first and second, and the seal's date (the second review's)."""
    opinions: list[str] = []
    for step in (first, second):
        if step is not None and step.opinion and step.opinion not in opinions:
            opinions.append(step.opinion)
    said = f"意见：{'；'.join(opinions)}　" if opinions else ""
    sealed = day(second.done_on if second is not None else None)
    return f"{said}初审人：{_who(first)}　复核人：{_who(second)}　盖章　{sealed}"


def signed(opinion: Any) -> str:
    """An office's opinion with its signature and date, or nothing."""
    if opinion is None:
        return ""
    return f"{opinion.text}（{opinion.author}，{day(opinion.given_on)}）"


def patrollers(patrols: Iterable[Any]) -> str:
    """考核巡查人员签字: each patroller and the day he signed."""
    return "、".join(f"{p.author}（{day(p.given_on)}）" for p in patrols)


def yes_no(value: bool) -> str:
    return "是" if value else "否"
