"""Public certificate verification (证书查验, issue 16): anyone holding a certificate's number
and its holder's name — or the QR code printed with it, which carries the number and a
keyed check — sees what the certificate is (type, occupation, level, issuer, date) with the
holder's name masked. Nothing else is shown and nothing is listed: a number alone, a wrong
name or a wrong check finds nothing, and each says the same."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.urls import reverse
from django.utils.crypto import salted_hmac

from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry.models import Occupation

from .models import Certificate

SALT = "chizheng.assessment.verification"
CHECK_CHARS = 16  # hex characters of the keyed check in a certificate's verification URL
NUMBER_MAX, NAME_MAX = 60, 50  # the model's lengths


@dataclass(frozen=True)
class Verified:
    number: str
    kind: str
    occupation: str
    level: str
    issuer: str
    issued_on: dt.date
    holder: str  # masked: 王**
    path: str  # its verification URL's path (with the check)


def check_of(number: str) -> str:
    """The keyed check of a certificate number (HMAC under the site's secret)."""
    return salted_hmac(SALT, number, algorithm="sha256").hexdigest()[:CHECK_CHARS]


def verify_path(certificate: Certificate) -> str:
    return reverse("verify:certificate", args=[certificate.number]) + (
        f"?k={check_of(certificate.number)}"
    )


def mask_holder(name: str) -> str:
    """王小明 → 王**."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _verified(c: Certificate) -> Verified:
    occupation = Occupation.objects.filter(code=c.occupation_code).values_list("name", flat=True)
    return Verified(
        number=c.number,
        kind=c.get_kind_display(),
        occupation=f"{occupation.first() or ''}（{c.occupation_code}）",
        level=c.get_skill_level_display() if c.skill_level else "—",
        issuer=c.issuing_institution.name,
        issued_on=c.issued_on,
        holder=mask_holder(c.person.name),
        path=verify_path(c),
    )


def clean_query(*, number: str, name: str) -> tuple[str, str]:
    """The number and name as typed, checked at the boundary (length, control characters)."""
    number, name = number.strip(), name.strip()
    if not number:
        raise ValidationError("请填写证书编号", message_en="the certificate number is required")
    if not name:
        raise ValidationError("请填写持证人姓名", message_en="the holder's name is required")
    if len(number) > NUMBER_MAX:
        raise ValidationError(
            f"证书编号不超过 {NUMBER_MAX} 个字符",
            message_en=f"the certificate number is at most {NUMBER_MAX} characters",
        )
    if len(name) > NAME_MAX:
        raise ValidationError(
            f"姓名不超过 {NAME_MAX} 个字符", message_en=f"the name is at most {NAME_MAX} characters"
        )
    return (
        check_text(number, field="number", label="证书编号"),
        check_text(name, field="name", label="姓名"),
    )


def certificate_verify(*, number: str, name: str) -> Verified | None:
    """The certificate of that number whose holder has that name, else ``None``."""
    number, name = clean_query(number=number, name=name)
    for c in (
        Certificate.objects.filter(number=number)
        .select_related("person", "issuing_institution")
        .order_by("id")
    ):
        if c.person.name == name:
            return _verified(c)
    return None


def certificate_by_check(*, number: str, check: str) -> Verified | None:
    """The certificate a QR code names: its number and the keyed check, else ``None``."""
    if (
        not number
        or len(number) > NUMBER_MAX
        or not hmac.compare_digest(check_of(number), check[:CHECK_CHARS].ljust(CHECK_CHARS))
    ):
        return None
    c = (
        Certificate.objects.filter(number=number)
        .select_related("person", "issuing_institution")
        .order_by("id")
        .first()
    )
    return _verified(c) if c is not None else None


__all__ = [
    "Verified",
    "certificate_by_check",
    "certificate_verify",
    "check_of",
    "clean_query",
    "mask_holder",
    "verify_path",
]
