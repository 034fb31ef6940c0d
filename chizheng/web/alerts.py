"""A workbench's alerts (issue 16): the supervision findings waiting to be taken up in the
actor's scope, and the sanctions in his scope that end soon (§20(4) 动态退出: the office
checks the rectification before one ends; an institution sees its own). Each alert says
what, how many, and links where it is handled. The missing calendar of next year has its
own banner (``core.holiday_selectors.next_year_warning``). Reads only, scoped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.registry.selectors import sanction_list
from chizheng.rules import params
from chizheng.supervision.models import Finding
from chizheng.supervision.selectors import finding_list

SHOWN = 5  # sanctions named one by one; the rest are counted


@dataclass(frozen=True)
class Alert:
    testid: str
    text: str
    url: str
    urgent: bool = False


def _findings(actor: User, today: dt.date) -> list[Alert]:
    if not can(actor, "supervision.view"):
        return []
    open_ = finding_list(actor=actor, year=today.year, state=Finding.State.OPEN)
    n = open_.count()
    if not n:
        return []
    top = open_.values_list("score", flat=True).first()
    return [
        Alert(
            "alert-findings",
            f"{today.year}年有 {n} 条核查线索待核查（最高风险分 {top}），请研判后立案核查或排除",
            reverse("supervision:list") + f"?year={today.year}&state=open",
            urgent=True,
        )
    ]


def _sanctions_ending(actor: User, today: dt.date) -> list[Alert]:
    days = int(params.current().value("supervision.sanction_ending_alert_days", today))
    ending = (
        sanction_list(actor=actor, active_on=today)
        .filter(ends_on__isnull=False, ends_on__lte=today + dt.timedelta(days=days))
        .order_by("ends_on", "id")
    )
    out = [
        Alert(
            "alert-sanction-ending",
            f"{s.institution.name} 的{s.get_kind_display()}将于 {s.ends_on:%Y-%m-%d} 到期"
            f"（还有 {(s.ends_on - today).days} 天）"
            + ("，请在到期前复核整改情况" if can(actor, "sanction.edit") else ""),
            reverse("registry:sanction", args=[s.pk]),
        )
        for s in ending[:SHOWN]
        if s.ends_on is not None
    ]
    more = ending.count() - len(out)
    if more > 0:
        out.append(
            Alert(
                "alert-sanction-more",
                f"另有 {more} 项处理措施将在 {days} 天内到期",
                reverse("registry:list", args=["sanctions"]),
            )
        )
    return out


def alerts_for(*, actor: User, today: dt.date) -> list[Alert]:
    return _findings(actor, today) + _sanctions_ending(actor, today)
