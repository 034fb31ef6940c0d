"""The half-yearly special checks of the evaluation institutions (§20(4) 每半年至少对评价机构
评价情况进行一次专项检查): the office plans one for every filed evaluation institution of the
period; whoever checks it records the checklist, what was found and how it is handled — a
suspension or a blacklist (人社职司便函〔2021〕57号) imposed through the registry's sanctions.
Every step is in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from chizheng.accounts import access, permissions
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry import services as registry
from chizheng.registry.models import Institution, Sanction
from chizheng.rules import params
from chizheng.rules.decision import add_months

from .models import EvaluatorCheck

FINDINGS_MAX = 2000
NOTE_MAX = 200


def period_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the year's ``half``-th check period (its length in months is
    ``assessment.evaluation_institution_check_months``, six: a half-year)."""
    months = int(
        params.current().value(
            "assessment.evaluation_institution_check_months", dt.date(year, 1, 1)
        )
    )
    periods = 12 // months
    if not 1 <= half <= periods:
        raise ValidationError(
            f"检查期次应为 1 至 {periods}",
            message_en="no such check period",
            detail={"field": "half"},
        )
    first = add_months(dt.date(year, 1, 1), (half - 1) * months)
    return first, add_months(first, months) - dt.timedelta(days=1)


def handling_options(on: dt.date) -> dict[str, dict[str, str]]:
    return dict(params.current().value("supervision.evaluator_check_handling", on))


def checklist_items(on: dt.date) -> list[str]:
    return list(params.current().value("supervision.evaluator_checklist", on))


@transaction.atomic
def evaluator_checks_plan(*, actor: User, year: int, half: int) -> int:
    """One planned check for every filed evaluation institution of the actor's city that has
    none in the period; returns how many were planned (planning twice plans nothing more)."""
    permissions.require(actor, "evaluator_check.plan", message="您的角色不能制定专项检查计划")
    _, due = period_bounds(year, half)
    evaluators = access.visible(
        actor,
        Institution.objects.filter(
            kind=Institution.Kind.EVALUATOR, filing_status=Institution.FilingStatus.FILED
        ),
    ).exclude(pk__in=EvaluatorCheck.objects.filter(year=year, half=half).values("evaluator_id"))
    made = EvaluatorCheck.objects.bulk_create(
        [
            EvaluatorCheck(evaluator=e, county_id=e.county_id, year=year, half=half, due_on=due)
            for e in evaluators.order_by("id")
        ],
        ignore_conflicts=True,
    )
    if not made:
        return 0  # nothing new: nothing to log (planning again changes nothing)
    audit.record(
        actor=actor,
        action="supervision.evaluator_checks_plan",
        object_type="supervision.evaluatorcheck",
        object_id=f"{year}-{half}",
        after={"year": year, "half": half, "planned": len(made)},
    )
    return len(made)


def _results(raw: Mapping[int, tuple[bool, str]], items: list[str]) -> list[dict[str, Any]]:
    missing = [items[k] for k in range(len(items)) if k not in raw]
    if missing:
        raise ValidationError(
            f"请逐项填写检查结果：{'、'.join(missing)}",
            message_en="every checklist item needs a result",
            detail={"field": "checklist", "missing": missing},
        )
    out = []
    for k, item in enumerate(items):
        ok, note = raw[k]
        check_text(note, field=f"note_{k}", label=f"“{item}”的说明", max_length=NOTE_MAX)
        if not ok and not note.strip():
            raise ValidationError(
                f"“{item}”不符合要求，请说明发现的问题",
                message_en="a failed item needs a note",
                detail={"field": f"note_{k}"},
            )
        out.append({"item": item, "ok": ok, "note": note.strip()})
    return out


@transaction.atomic
def evaluator_check_record(
    *,
    actor: User,
    check_id: int,
    held_on: dt.date,
    results: Mapping[int, tuple[bool, str]],
    findings: str,
    handling: str,
) -> EvaluatorCheck:
    """Record a planned check (once): ``results`` by checklist item (its index): passed, and
    a note (required where it did not). A handling with a sanction imposes it."""
    check = access.access_by_id(
        actor,
        EvaluatorCheck.objects.select_for_update(of=("self",)).select_related("evaluator"),
        check_id,
    )
    permissions.require(
        actor, "evaluator_check.record", check, message="该评价机构不在您的检查范围内"
    )
    if check.state == EvaluatorCheck.State.DONE:
        raise ValidationError(
            "该专项检查已登记，不能重复登记", message_en="already recorded", code="already_recorded"
        )
    start, end = period_bounds(check.year, check.half)
    today = clock.today()
    if not start <= held_on <= min(end, today):
        raise ValidationError(
            f"检查日期应在 {start} 至 {min(end, today)} 之间",
            message_en="the check's day is outside its period or in the future",
            detail={"field": "held_on"},
        )
    items = checklist_items(held_on)
    done = _results(results, items)
    check_text(
        findings, field="findings", label="发现的问题", max_length=FINDINGS_MAX, multiline=True
    )
    options = handling_options(held_on)
    if handling not in options:
        raise ValidationError(
            "处理方式应为：" + "、".join(o["name"] for o in options.values()),
            message_en="unknown handling",
            detail={"field": "handling"},
        )
    failed = [d["item"] for d in done if not d["ok"]]
    if failed and handling == "none":
        raise ValidationError(
            f"有 {len(failed)} 项不符合要求，处理方式不能为“{options['none']['name']}”",
            message_en="problems found: choose a handling",
            detail={"field": "handling"},
        )
    sanction_kind = options[handling].get("sanction", "")
    if sanction_kind:
        reason = f"评价机构专项检查（{check.year}年{check.get_half_display()}）：{options[handling]['name']}"
        reason += f"。{findings.strip()}" if findings.strip() else ""
        permissions.require(
            actor, "sanction.edit", message="暂停、取消备案列入黑名单须由市人社局决定"
        )
        if sanction_kind == Sanction.Kind.SUSPENSION:
            check.sanction = registry.sanction_suspend(
                actor=actor,
                institution_id=check.evaluator_id,
                starts_on=held_on,
                reason=reason[:500],
            )
        else:
            check.sanction = registry.sanction_blacklist(
                actor=actor,
                institution_id=check.evaluator_id,
                starts_on=held_on,
                reason=reason[:500],
            )
    check.state = EvaluatorCheck.State.DONE
    check.held_on = held_on
    check.inspector = actor
    check.checklist = done
    check.findings = findings.strip()
    check.handling = handling
    check.recorded_at = timezone.now()
    check.save()
    audit.record(
        actor=actor,
        action="supervision.evaluator_check_record",
        obj=check,
        after={
            "held_on": held_on.isoformat(),
            "failed": failed,
            "handling": handling,
            "sanction": check.sanction_id,
        },
    )
    return check
