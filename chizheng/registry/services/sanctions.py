"""Sanctions on institutions (§19, §20(3), §20(4)): suspension for rectification, the
blacklist, the platform ban, lifting one early; and ``ensure_may_act``, which refuses what
a sanction in force stops.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.inputs import LONG_TEXT, check_choice, check_text
from chizheng.rules import params
from chizheng.rules.decision import add_months

from ..models import Institution, Sanction
from ..selectors import active_sanctions


def _sanction(
    *,
    actor: User,
    institution_id: int,
    kind: str,
    clause: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
) -> Sanction:
    require(actor, "sanction.edit")
    check_choice(kind, Sanction.Kind, field="kind", label="处理类型")
    check_text(reason, field="reason", label="事由", max_length=LONG_TEXT, multiline=True)
    inst = access_by_id(actor, Institution.objects.all(), institution_id)
    if not reason.strip():
        raise ValidationError(
            "请填写处理事由", message_en="a reason is required", detail={"field": "reason"}
        )
    s = Sanction.objects.create(
        institution=inst,
        kind=kind,
        clause=clause,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=f"sanction.{kind}",
        obj=s,
        reason=reason.strip(),
        after={
            "institution": inst.credit_code,
            "kind": kind,
            "clause": clause,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    return s


@transaction.atomic
def sanction_suspend(
    *, actor: User, institution_id: int, starts_on: dt.date, reason: str
) -> Sanction:
    """§19: satisfaction below the threshold — no new classes, rectification for the period of
    ``outcomes.rectification_months`` (ends on the same day of the month after)."""
    months = params.current().value("outcomes.rectification_months", starts_on)
    clause = params.current().version("outcomes.rectification_months", starts_on).clause
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.SUSPENSION,
        clause=clause,
        reason=reason,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
    )


@transaction.atomic
def sanction_suspend_automatic(
    *, institution: Institution, starts_on: dt.date, reason: str, actor: User | None
) -> Sanction:
    """§19, applied by the system when a class's satisfaction survey closes below the
    threshold (no sanction.edit permission needed: the rule, not a person, decides)."""
    months = params.current().value("outcomes.rectification_months", starts_on)
    clause = params.current().version("outcomes.rectification_months", starts_on).clause
    s = Sanction.objects.create(
        institution=institution,
        kind=Sanction.Kind.SUSPENSION,
        clause=clause,
        reason=reason,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="sanction.suspension",
        obj=s,
        reason=reason,
        after={
            "institution": institution.credit_code,
            "starts_on": starts_on,
            "ends_on": s.ends_on,
        },
    )
    return s


@transaction.atomic
def sanction_blacklist(
    *,
    actor: User,
    institution_id: int,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
) -> Sanction:
    """§20(4): blacklist for serious problems; open-ended unless an end is set, left by a
    dynamic exit (``sanction_lift``)."""
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError("到期日期应晚于起始日期", message_en="must end after it starts")
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.BLACKLIST,
        clause="§20(4)",
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def sanction_platform_ban(
    *, actor: User, institution_id: int, violated_on: dt.date, reason: str
) -> Sanction:
    """§20(3): a platform that broke the rules is barred from subsidised training for
    ``online.platform_ban_years`` from the day of the violation."""
    inst = access_by_id(actor, Institution.objects.all(), institution_id)
    if inst.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            "平台禁入只适用于线上平台",
            message_en="only platforms can be banned",
            code="not_platform",
        )
    years = params.current().value("online.platform_ban_years", violated_on)
    clause = params.current().version("online.platform_ban_years", violated_on).clause
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.PLATFORM_BAN,
        clause=clause,
        reason=reason,
        starts_on=violated_on,
        ends_on=add_months(violated_on, 12 * years),
    )


def sanction_create(
    *,
    actor: User,
    institution_id: int,
    kind: str,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
) -> Sanction:
    """A sanction of the kind asked for (an unknown kind is refused, never a blacklist);
    for a platform ban ``starts_on`` is the day of the violation."""
    check_choice(kind, Sanction.Kind, field="kind", label="处理类型")
    if kind == Sanction.Kind.SUSPENSION:
        return sanction_suspend(
            actor=actor, institution_id=institution_id, starts_on=starts_on, reason=reason
        )
    if kind == Sanction.Kind.PLATFORM_BAN:
        return sanction_platform_ban(
            actor=actor, institution_id=institution_id, violated_on=starts_on, reason=reason
        )
    return sanction_blacklist(
        actor=actor,
        institution_id=institution_id,
        starts_on=starts_on,
        reason=reason,
        ends_on=ends_on,
    )


@transaction.atomic
def sanction_lift(*, actor: User, sanction_id: int, lifted_on: dt.date, reason: str) -> Sanction:
    """End a sanction early — for a blacklist, its dynamic exit (动态退出)."""
    require(actor, "sanction.edit")
    s = access_by_id(actor, Sanction.objects.select_for_update(), sanction_id)
    check_text(reason, field="reason", label="事由", max_length=LONG_TEXT, multiline=True)
    if not reason.strip():
        raise ValidationError(
            "请填写解除事由", message_en="a reason is required", detail={"field": "reason"}
        )
    if s.lifted_on is not None:
        raise ValidationError("该处理已解除", message_en="already lifted", code="already_lifted")
    if lifted_on < s.starts_on:
        raise ValidationError("解除日期早于起始日期", message_en="lifted before it started")
    s.lifted_on, s.lift_reason = lifted_on, reason.strip()
    s.save(update_fields=["lifted_on", "lift_reason"])
    audit.record(
        actor=actor,
        action="sanction.lift",
        obj=s,
        reason=reason.strip(),
        after={"lifted_on": lifted_on},
    )
    return s


class InstitutionSanctioned(DomainError):
    code = "institution_sanctioned"
    http_status = 409


# What each kind of sanction stops (§19, §20(3), §20(4)); every other action is allowed.
SANCTION_STOPS: dict[str, frozenset[str]] = {
    Sanction.Kind.SUSPENSION: frozenset({"class.apply"}),
    Sanction.Kind.BLACKLIST: frozenset(
        {"class.apply", "assessment.record", "subsidy.claim", "online.upload"}
    ),
    Sanction.Kind.PLATFORM_BAN: frozenset({"class.apply", "online.upload", "subsidy.claim"}),
}

SANCTION_CODES: dict[str, str] = {
    Sanction.Kind.SUSPENSION: "institution_suspended",
    Sanction.Kind.BLACKLIST: "institution_blacklisted",
    Sanction.Kind.PLATFORM_BAN: "platform_banned",
}

ACTION_LABELS = {
    "class.apply": "提交开班申请",
    "assessment.record": "开展评价",
    "subsidy.claim": "申领补贴",
    "online.upload": "参与补贴性线上培训",
}


def ensure_may_act(*, institution: Institution, action: str, on: dt.date | None = None) -> None:
    """Refuse ``action`` while a sanction that stops it is in force (call it wherever the
    institution acts: class applications, assessments, claims, platform uploads)."""
    day = on or clock.today()
    for s in active_sanctions(party=institution, on=day):
        if action in SANCTION_STOPS.get(s.kind, frozenset()):
            until = (
                f"至{s.ends_on - dt.timedelta(days=1)}"
                if s.ends_on
                else "（未设到期日，待动态退出）"
            )
            raise InstitutionSanctioned(
                f"{institution.name}自{s.starts_on}{until}处于“{s.get_kind_display()}”期间"
                f"（{s.clause}），不能{ACTION_LABELS.get(action, action)}。事由：{s.reason}",
                message_en=f"{institution.name} is under {s.kind} ({s.clause}) and may not {action}",
                code=SANCTION_CODES[s.kind],
                detail={
                    "sanction": s.pk,
                    "kind": s.kind,
                    "clause": s.clause,
                    "starts_on": s.starts_on.isoformat(),
                    "ends_on": s.ends_on.isoformat() if s.ends_on else None,
                },
            )
