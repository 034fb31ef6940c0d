"""Reads of electronic training vouchers for the people who hold and handle them: one
voucher with every step of its loop in plain words (the holder's own page), and a worker's
vouchers each with its steps. Scoped by the actor through the access layer: a worker sees
only his own, an institution the ones bound to its classes, an office its area's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.core import calendar
from chizheng.rules import params
from chizheng.rules.workdays import CalendarUnknown, WorkdayCalendar

from .models import Voucher, VoucherEvent, VoucherStatus

# Each step of the loop as the holder reads it.
WORDS: dict[str, str] = {
    "issue": "发放给本人",
    "bind": "报名时绑定培训班",
    "certify": "取得证书，待补贴拨付时兑付",
    "redeem": "已兑付（以证换券）",
    "void": "作废",
    "forfeit": "作废（未获补贴）",
    "expire": "到期作废",
    "lapse": "逾期未申领作废",
}


@dataclass(frozen=True)
class Step:
    on: dt.date
    words: str  # what happened, in plain words
    detail: str  # why, or with what (the event's reason)
    by: str  # the unit that did it ("系统": the daily sweep, a consequence of another step)


def _by(actor: User | None) -> str:
    """Who acted, as the holder reads it: the unit, not the official's name."""
    if actor is None:
        return "系统"
    if actor.institution is not None:
        return actor.institution.name
    role = str(actor.get_role_display())
    # a county's bureau by its county's name: 新华区人社局
    return role.replace("县（市、区）", str(actor.county)) if actor.county is not None else role


def _step(e: VoucherEvent) -> Step:
    return Step(
        on=timezone.localdate(e.at),
        words=WORDS.get(e.name, e.name),
        detail=e.reason,
        by=_by(e.actor),
    )


def _events() -> Prefetch[str]:
    return Prefetch(
        "events",
        queryset=VoucherEvent.objects.select_related(
            "actor__institution", "actor__county"
        ).order_by("at", "id"),
    )


def voucher_steps(*, actor: User, voucher_id: int) -> tuple[Voucher, list[Step]]:
    """One voucher the actor may see, and each step of its loop in order."""
    v = access_by_id(
        actor,
        Voucher.objects.select_related(
            "person", "training_class", "institution", "certificate"
        ).prefetch_related(_events()),
        voucher_id,
    )
    return v, [_step(e) for e in v.events.all()]


def vouchers_with_steps(*, actor: User, limit: int = 50) -> list[tuple[Voucher, list[Step]]]:
    """The actor's visible vouchers (a worker: his own), newest first, each with its steps."""
    qs = visible(
        actor,
        Voucher.objects.select_related("training_class", "institution").prefetch_related(_events()),
    ).order_by("-issued_on", "-id")[:limit]
    return [(v, [_step(e) for e in v.events.all()]) for v in qs]


@dataclass(frozen=True)
class Deadline:
    """Until when a certified voucher waits for its class's claim (§20(5), the office's
    reading: ``vouchers.claim_working_days`` working days after the certificate)."""

    on: dt.date | None  # None: it runs into a year whose holidays are not yet arranged
    working_days: int


def claim_deadline(certified_on: dt.date, *, cal: WorkdayCalendar | None = None) -> Deadline:
    """The last day a voucher whose holder's certificate was issued on ``certified_on``
    waits for its class's claim to be submitted; the day after, the nightly sweep voids it."""
    n = params.current().value("vouchers.claim_working_days", certified_on)
    try:
        return Deadline((cal or calendar.calendar()).add(certified_on, n), n)
    except CalendarUnknown:
        return Deadline(None, n)


def voucher_deadline(v: Voucher) -> Deadline | None:
    """What its holder's page shows: the deadline of a certified voucher (None otherwise)."""
    if v.status != VoucherStatus.CERTIFIED or v.certificate is None:
        return None
    return claim_deadline(v.certificate.issued_on)
