"""Reads of individual claims (附件2 备注2: 个人申请): a worker's certificates and where each
stands (may he apply, is it claimed already and by whom), the training institutions he may
name for training outside the system, and the header an individual claim's page shows.

Scoped by the actor through the access layer; the list of training institutions is the
published catalog (目录清单), read by anyone signed in, as the catalog pages are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from chizheng.accounts.access import access_by_id, can, visible
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.assessment.selectors import certificate_list
from chizheng.assessment.verification import verify_path
from chizheng.core.errors import NotFound
from chizheng.registry.models import (
    TRAINING_KINDS,
    CatalogEntry,
    Institution,
    Occupation,
    skill_level_title,
)
from chizheng.training.models import Mode

from . import standards
from .models import ApplicantKind, Claim, ClaimLine, ClaimStatus


def certificate_key(certificate: Certificate) -> str | None:
    """The item of the standard the certificate earns (an apprentice's class: the
    apprenticeship item), or None."""
    k = certificate.training_class
    return standards.key_for(
        certificate.kind,
        certificate.skill_level,
        apprenticeship=k is not None and k.mode == Mode.APPRENTICESHIP,
    )


def training_institutions(*, certificate: Certificate) -> QuerySet[Institution]:
    """The institutions a person may name as having trained him for ``certificate`` outside
    the system's classes: training institutions of his city listed in the catalog (目录清单,
    §21) for the certificate's occupation, in its year or the year before, from a date no
    later than the certificate."""
    issued = certificate.issued_on
    listed = CatalogEntry.objects.filter(
        occupation__code=certificate.occupation_code,
        year__in=(issued.year, issued.year - 1),
        valid_from__lte=issued,
    )
    return (
        Institution.objects.filter(
            kind__in=TRAINING_KINDS,
            county__city_id=certificate.person.county.city_id,
            pk__in=listed.values("institution_id"),
        )
        .select_related("county", "department")
        .order_by("county__order", "name")
    )


@dataclass(frozen=True)
class Standing:
    """Where one of a worker's certificates stands for a subsidy."""

    certificate: Certificate
    occupation: str
    level: str
    may_apply: bool
    note: str  # why not, or what was applied
    claim_id: int | None  # his own claim of it, if any
    verify_path: str = ""  # its public verification page (证书查验), with the QR code


def occupation_names(codes: set[str]) -> dict[str, str]:
    return dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))


def my_certificates(*, actor: User) -> list[Standing]:
    """The worker's certificates, newest first, each with whether he may apply for its
    subsidy himself and, if not, why (a few queries for all of them)."""
    certs = list(
        certificate_list(actor=actor)
        .select_related("training_class", "issuing_institution", "person")
        .order_by("-issued_on", "-id")
    )
    if not certs or actor.person_id is None:
        return []
    names = occupation_names({c.occupation_code for c in certs})
    own = {
        c.certificate_id: c
        for c in Claim.objects.filter(
            applicant_kind=ApplicantKind.INDIVIDUAL, certificate_id__in=[c.pk for c in certs]
        ).order_by("id")
    }
    in_class_claims = {
        line.claim.training_class_id: line.claim
        for line in ClaimLine.objects.filter(
            person_id=actor.person_id, claim__applicant_kind=ApplicantKind.INSTITUTION
        )
        .exclude(claim__status=ClaimStatus.REJECTED)
        .select_related("claim__training_class")
    }
    counted = {
        (line.occupation_code, line.standard_key): line.claim
        for line in ClaimLine.objects.filter(
            person_id=actor.person_id, counted=True
        ).select_related("claim__training_class", "claim__person")
    }
    may = can(actor, "subsidy.claim")
    out = []
    for c in certs:
        key = certificate_key(c)
        mine = own.get(c.pk)
        note, claim_id = "", None
        if mine is not None:
            note, claim_id = f"已申请：{mine.get_status_display()}", mine.pk
        elif c.training_class_id in in_class_claims:
            note = f"已由培训机构申领（{in_class_claims[c.training_class_id].title}）"
        elif key is None:
            note = "补贴标准中无此证书类型或等级"
        elif (c.occupation_code, key) in counted:
            note = f"已享受同职业同等级补贴（{counted[(c.occupation_code, key)].title}）"
        out.append(
            Standing(
                certificate=c,
                occupation=names.get(c.occupation_code, c.occupation_code),
                level=skill_level_title(c.skill_level),
                may_apply=may and not note,
                note=note,
                claim_id=claim_id,
                verify_path=verify_path(c) if c.number else "",
            )
        )
    return out


def my_claims(*, actor: User) -> QuerySet[Claim]:
    """The worker's own claims (个人申请), newest first."""
    return visible(
        actor, Claim.objects.filter(applicant_kind=ApplicantKind.INDIVIDUAL)
    ).select_related("certificate", "trained_by")


def application_form(*, actor: User, certificate_id: int) -> dict[str, Any]:
    """What the form of an individual claim shows for one of the worker's certificates."""
    standing = next(
        (s for s in my_certificates(actor=actor) if s.certificate.pk == certificate_id), None
    )
    if standing is None:
        raise NotFound("证书不存在或不是您本人的证书", detail={"id": str(certificate_id)})
    cert = standing.certificate
    return {
        "standing": standing,
        "certificate": cert,
        "training_class": cert.training_class,
        "institutions": []
        if cert.training_class_id
        else list(training_institutions(certificate=cert)),
    }


@dataclass(frozen=True)
class Header:
    """附件2's header of an individual's claim (备注2): the person, his bank and masked
    account, the training and the evaluation institution, the certificate."""

    name: str
    id_masked: str
    phone_masked: str
    bank_name: str
    account_masked: str
    trained_by: str
    batch: str
    evaluator: str
    certificate_number: str
    certificate_kind: str
    occupation: str
    level: str


def header(*, actor: User, claim: Claim) -> Header | None:
    """The header of an individual claim the actor may read (None for a class's claim)."""
    if not claim.is_individual:
        return None
    claim = access_by_id(
        actor,
        Claim.objects.select_related(
            "person", "trained_by", "certificate__issuing_institution", "training_class"
        ),
        claim.pk,
    )
    assert claim.person is not None and claim.certificate is not None
    cert, person = claim.certificate, claim.person
    names = occupation_names({cert.occupation_code})
    return Header(
        name=person.name,
        id_masked=person.id_masked,
        phone_masked=person.phone_masked,
        bank_name=claim.bank_name,
        account_masked=claim.bank_account_masked,
        trained_by=claim.trained_by.name if claim.trained_by else "",
        batch=claim.training_class.batch if claim.training_class else "",
        evaluator=cert.issuing_institution.name,
        certificate_number=cert.number,
        certificate_kind=cert.get_kind_display(),
        occupation=f"{names.get(cert.occupation_code, '')}（{cert.occupation_code}）",
        level=skill_level_title(cert.skill_level),
    )
