"""A person's electronic training record (电子档案, §三(二) 分级分类建立培训、评价台账): his
trainings with the hours signed in, his certificates, the subsidies paid or claimed for him
and his vouchers — for the worker himself and, scoped, for the officials who see him. Every
part is read through the access layer: an official of one county sees the person's records
in his county, not another's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.assessment.verification import verify_path
from chizheng.core.errors import NotFound
from chizheng.registry.models import Occupation, Person, skill_level_title
from chizheng.training.models import Enrolment

from .models import ClaimLine, Voucher


@dataclass(frozen=True)
class Training:
    enrolment: Enrolment
    occupation: str
    sessions: int  # sessions with a sign-in sheet for him
    present: int
    signed_hours: int
    makeups: int


@dataclass(frozen=True)
class Held:
    certificate: Certificate
    occupation: str
    level: str
    verify_path: str


@dataclass(frozen=True)
class Record:
    person: Person
    trainings: list[Training]
    certificates: list[Held]
    lines: list[ClaimLine]
    vouchers: list[Voucher]


def record_person(*, actor: User, person_id: int | None = None) -> Person:
    """The person whose record is asked: the actor himself when no id is given."""
    pk = person_id if person_id is not None else actor.person_id
    if pk is None:
        raise NotFound("没有可显示的电子档案", message_en="no person")
    return access_by_id(actor, Person.objects.select_related("county"), pk)


def training_record(*, actor: User, person_id: int | None = None) -> Record:
    """The record, each part as the actor may see it (six queries)."""
    person = record_person(actor=actor, person_id=person_id)
    enrolments = list(
        visible(actor, Enrolment.objects.filter(person=person))
        .select_related("training_class__institution")
        .annotate(
            sheets=Count("attendance", distinct=True),
            present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
            signed=Sum("attendance__session__class_hours", filter=Q(attendance__present=True)),
            made_up=Count("makeups", distinct=True),
        )
        .order_by("-training_class__start_date", "-id")
    )
    certificates = list(
        visible(actor, Certificate.objects.filter(person=person))
        .select_related("issuing_institution", "training_class")
        .order_by("-issued_on", "-id")
    )
    codes = {e.training_class.occupation_code for e in enrolments} | {
        c.occupation_code for c in certificates
    }
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
    return Record(
        person=person,
        trainings=[
            Training(
                e,
                names.get(e.training_class.occupation_code, e.training_class.occupation_code),
                e.sheets,
                e.present,
                e.signed or 0,
                e.made_up,
            )
            for e in enrolments
        ],
        certificates=[
            Held(
                c,
                names.get(c.occupation_code, c.occupation_code),
                skill_level_title(c.skill_level),
                verify_path(c) if c.number else "",
            )
            for c in certificates
        ],
        lines=list(
            visible(actor, ClaimLine.objects.filter(person=person))
            .select_related("claim__training_class", "claim__person", "claim__disbursement")
            .order_by("-claim__calculated_on", "-id")
        ),
        vouchers=list(
            visible(actor, Voucher.objects.filter(person=person))
            .select_related("training_class", "institution")
            .order_by("-issued_on", "-id")
        ),
    )


__all__ = ["Held", "Record", "Training", "record_person", "training_record"]
