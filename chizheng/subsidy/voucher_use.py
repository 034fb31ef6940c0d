"""The voucher each trainee of a class presents to its claim, judged by the rule
``claim.voucher`` (§20(5)), as the claim's stored inputs keep it.

Per roster line: the voucher bound to the class for that line (``Voucher.enrolment``; the
holder's own line for a voucher bound before lines were recorded), else the one the trainee
holds in hand (issued, or bound to another class). A voucher already redeemed, void, or
certified for another class is not presented — except one of this class void because the
claim did not come in time (``lapse``): it is presented, and fails. Four queries for any
roster.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone

from chizheng.registry.models import Person
from chizheng.rules.evaluate import evaluate
from chizheng.rules.facts import VoucherState, VoucherUse
from chizheng.training.models import Enrolment, TrainingClass

from .models import Voucher, VoucherEvent, VoucherStatus

AT_CLASS = (VoucherStatus.BOUND, VoucherStatus.CERTIFIED)
IN_HAND = (VoucherStatus.ISSUED, VoucherStatus.BOUND)


def mask_number(number: str) -> str:
    """A voucher's number as a claim line's reason, an export or a log names it."""
    if len(number) <= 11:
        return number[:2] + "****"
    return f"{number[:7]}****{number[-4:]}"


def label(person: Person) -> str:
    """A person as a roster line names him: name and masked ID number."""
    return f"{person.name}（{person.id_masked}）"


def presented(
    *, training_class: TrainingClass, enrolments: list[Enrolment], on: dt.date
) -> dict[int, dict[str, Any]]:
    """person id -> the voucher his line presents and the rule's decision on it:
    ``{id, number (masked), bound_here, outcome, compared, clause}``."""
    by_person: dict[int, Voucher] = {}
    for x in (
        Voucher.objects.filter(training_class=training_class, status__in=AT_CLASS)
        .select_related("person", "training_class", "enrolment")
        .order_by("pk")
    ):
        by_person.setdefault(x.enrolment.person_id if x.enrolment else x.person_id, x)
    lapsed: dict[int, dt.date] = {}
    for voucher_id, at in (
        VoucherEvent.objects.filter(voucher__training_class=training_class, name="lapse")
        .order_by("voucher_id")
        .values_list("voucher_id", "at")
    ):
        lapsed.setdefault(voucher_id, timezone.localdate(at))
    for x in (
        Voucher.objects.filter(pk__in=list(lapsed), status=VoucherStatus.VOID)
        .select_related("person", "training_class", "enrolment")
        .order_by("pk")
    ):
        by_person.setdefault(x.enrolment.person_id if x.enrolment else x.person_id, x)
    for x in (
        Voucher.objects.filter(person_id__in=[e.person_id for e in enrolments], status__in=IN_HAND)
        .exclude(training_class=training_class)
        .select_related("person", "training_class")
        .order_by("pk")
    ):
        by_person.setdefault(x.person_id, x)
    out: dict[int, dict[str, Any]] = {}
    for e in enrolments:
        v = by_person.get(e.person_id)
        if v is None:
            continue
        trainee = label(e.person)
        holder = trainee if v.person_id == e.person_id else label(v.person)
        if holder == trainee and v.person_id != e.person_id:  # two people, one label
            holder += f"（另一人，编号 {v.person_id}）"
        facts = VoucherUse(
            class_ref=training_class.batch,
            trainee_ref=trainee,
            number=mask_number(v.number),
            holder_ref=holder,
            status=cast(VoucherState, v.status),
            expires_on=v.expires_on,
            started_on=training_class.start_date,
            bound_class_ref=(
                v.training_class.batch
                if v.training_class is not None and (v.status in AT_CLASS or v.pk in lapsed)
                else None
            ),
            lapsed_on=lapsed.get(v.pk) if v.status == VoucherStatus.VOID else None,
        )
        for d in evaluate(facts, on=on).decisions:
            out[e.person_id] = {
                "id": v.pk,
                "number": facts.number,
                "bound_here": v.training_class_id == training_class.pk,
                "outcome": d.outcome.value,
                "compared": d.compared,
                "clause": d.clause,
            }
    return out
