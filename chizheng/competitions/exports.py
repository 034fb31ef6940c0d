"""The events and the contestants as .xlsx tables (the registry's table machinery: text that
would start a formula is escaped; a contestant's ID number is shown masked)."""

from __future__ import annotations

from typing import Any

from chizheng.accounts.models import User
from chizheng.registry.models import skill_level_title
from chizheng.registry.tables import Col, Table

from .models import Event


def _none(actor: User, params: object) -> Any:
    return Event.objects.none()


def organiser(e: Event) -> str:
    found = e.organiser_department or e.organiser_institution
    return str(found) if found else ""


EVENT_TABLE = Table(
    name="competition_events",
    title="职业技能竞赛赛事",
    query=_none,
    columns=(
        Col("编号", lambda e: e.pk),
        Col("赛事名称", lambda e: e.name),
        Col("竞赛级别", lambda e: e.get_level_display()),
        Col("竞赛职业（工种）", lambda e: "、".join(o.name for o in e.occupations.all())),
        Col("主办/承办", organiser),
        Col("开始日期", lambda e: e.starts_on.isoformat()),
        Col("结束日期", lambda e: e.ends_on.isoformat()),
        Col("举办地点", lambda e: e.place),
        Col("县（市、区）", lambda e: e.county.short_name),
        Col("选手人数", lambda e: getattr(e, "contestant_count", 0)),
        Col("取证人数", lambda e: getattr(e, "certified_count", 0)),
    ),
)


def _date(d: Any) -> str:
    return d.isoformat() if d else ""


CONTESTANT_TABLE = Table(
    name="competition_contestants",
    title="职业技能竞赛选手",
    query=_none,
    columns=(
        Col("赛事", lambda c: c.event.name),
        Col("县（市、区）", lambda c: c.event.county.short_name),
        Col("姓名", lambda c: c.person.name),
        Col("身份证号码", lambda c: c.person.id_masked),
        Col("参赛职业", lambda c: f"{c.occupation.code} {c.occupation.name}"),
        Col("成绩", lambda c: str(c.score) if c.score is not None else ""),
        Col("名次", lambda c: c.rank or ""),
        Col("奖项", lambda c: c.get_award_display() if c.award else ""),
        Col("证书编号", lambda c: c.certificate.number if c.certificate else ""),
        Col(
            "晋升等级",
            lambda c: skill_level_title(c.conferred_level) if c.conferred_level else "",
        ),
        Col("取证日期", lambda c: _date(c.certified_on)),
    ),
)
