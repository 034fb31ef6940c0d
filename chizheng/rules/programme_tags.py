"""The training projects a class may be tagged with (§1 定向培育、“金蓝领”, §8 整村推进, §9
“马兰花” courses, §10 订单/定岗/项目制 — ``class.programme_tags``): each belongs to one
programme and may ask for a shortest period or a skill level. Pure: returns what is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if end.day >= start.day else months - 1


def tag_problems(
    tags: Sequence[str],
    known: Mapping[str, Mapping[str, Any]],
    *,
    programme: int | None,
    start: dt.date,
    end: dt.date,
    skill_level: int | None,
) -> list[str]:
    """Why the class cannot carry ``tags``, one sentence a problem (none: it can)."""
    out = []
    for code in tags:
        tag = known.get(code)
        if tag is None:
            out.append(f"未知的培训项目：{code}")
            continue
        name = tag["name"]
        wanted = tag.get("programme")
        if wanted is not None and programme != wanted:
            out.append(f"{name}属于第{wanted}项专项（{tag.get('clause', '')}），与所选专项不符")
        months = tag.get("min_months")
        if months and _months_between(start, end) < months:
            out.append(f"{name}的培训期不少于 {months} 个月")
        top = tag.get("max_skill_level")
        if top is not None and (skill_level is None or skill_level > top):
            out.append(f"{name}须为{top}级及以上技能等级的培训")
    if len(set(tags)) != len(tags):
        out.append("培训项目重复")
    return out
