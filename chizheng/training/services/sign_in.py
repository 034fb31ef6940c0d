"""Classroom sign-in by QR code (扫码签到, issue 16): the institution's screen draws the
session's current code; the trainee scans it with his phone, takes a selfie and is signed in
— his attendance for the session marked present, the selfie kept as a still of the session
with its hashes (the supervision scan compares it like any sign-in photo)."""

from __future__ import annotations

from django.db import transaction

from chizheng.accounts.access import access_by_id, require, visible
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.rules import params

from .. import sign_in_codes
from ..models import Attendance, Enrolment, Session, Status
from ..stills import Still
from .stills import still_keep

SIGNING = (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED)
INVALID = "签到二维码无效，请扫描老师屏幕上的二维码"
EXPIRED = "签到二维码已过期，请扫描老师屏幕上正在显示的二维码"


def _timing() -> tuple[int, int]:
    at = params.current().at(clock.today())
    return int(at["attendance.qr_renew_seconds"]), int(at["attendance.qr_valid_seconds"])


def sign_in_code(*, actor: User, session_id: int) -> tuple[Session, sign_in_codes.Code, int]:
    """The code the class's institution shows for a session held today, and the seconds
    after which it renews."""
    session = access_by_id(actor, Session.objects.select_related("training_class"), session_id)
    require(
        actor,
        "class.deliver",
        session.training_class,
        message="只有本班的培训机构可以出示签到二维码",
        message_en="only the class's institution shows its sign-in code",
    )
    if session.training_class.status not in SIGNING:
        raise ValidationError(
            f"“{session.training_class.get_status_display()}”状态的培训班不能扫码签到",
            message_en="the class is not in training",
        )
    if session.held_on != clock.today():
        raise ValidationError(
            f"本课次的日期是 {session.held_on:%Y-%m-%d}，只能在当天扫码签到",
            message_en="a session is signed in on its own day",
        )
    renew, _ = _timing()
    return session, sign_in_codes.issue(session.pk, at=clock.now(), renew_seconds=renew), renew


def code_of(*, session_id: int, window: str, nonce: str, check: str) -> sign_in_codes.Code:
    """The scanned code's parts, checked at the boundary (digits, hex, lengths)."""
    if not (
        window.isascii()
        and window.isdigit()
        and len(window) <= 12
        and 0 < len(nonce) <= 2 * sign_in_codes.NONCE_BYTES
        and all(c in "0123456789abcdef" for c in nonce)
        and len(check) == sign_in_codes.CHECK_CHARS
        and all(c in "0123456789abcdef" for c in check)
    ):
        raise ValidationError(INVALID, message_en="not a sign-in code", detail={"field": "code"})
    return sign_in_codes.Code(session_id, int(window), nonce, check)


def code_usable(code: sign_in_codes.Code) -> None:
    """``ValidationError`` unless the code is the system's and still fresh."""
    if not sign_in_codes.genuine(code):
        raise ValidationError(INVALID, message_en="not a sign-in code", detail={"field": "code"})
    renew, valid = _timing()
    if sign_in_codes.expired(code, at=clock.now(), renew_seconds=renew, valid_seconds=valid):
        raise ValidationError(EXPIRED, message_en="the code has expired", detail={"field": "code"})


def _enrolment(actor: User, session: Session) -> Enrolment:
    if actor.person_id is None:
        raise PermissionDenied("只有学员本人可以扫码签到", message_en="trainees only")
    enrolment = (
        visible(actor, Enrolment.objects.filter(training_class_id=session.training_class_id))
        .filter(person_id=actor.person_id)
        .first()
    )
    if enrolment is None:
        raise PermissionDenied("您不在本班的花名册中，不能签到", message_en="not on the roster")
    require(actor, "session.sign_in", enrolment, message="只有学员本人可以扫码签到")
    return enrolment


@transaction.atomic
def qr_sign_in(*, actor: User, code: sign_in_codes.Code, selfie: bytes) -> Attendance:
    """Sign the actor in to the code's session with his selfie; a second scan keeps the
    first sign-in (and its photo) and changes nothing."""
    code_usable(code)
    session = Session.objects.select_related("training_class").filter(pk=code.session_id).first()
    if session is None:
        raise NotFound(INVALID)
    if session.training_class.status not in SIGNING or session.held_on != clock.today():
        raise ValidationError(EXPIRED, message_en="the session is not open for sign-in")
    enrolment = _enrolment(actor, session)
    # one sign-in per trainee and session, however many times he scans at once
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    row = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if row is not None and row.present:
        return row
    still = still_keep(
        actor=actor,
        training_class=session.training_class,
        session=session,
        inspection=None,
        kind=Still.Kind.SELFIE,
        taken_on=session.held_on,
        data=selfie,
    )
    if row is None:
        row = Attendance.objects.create(session=session, enrolment=enrolment, present=True)
    else:
        row.present = True
        row.save(update_fields=["present"])
    audit.record(
        actor=actor,
        action="class.qr_sign_in",
        obj=session,
        after={
            "enrolment": enrolment.pk,
            "window": code.window,
            "still": still.pk,
            "sha256": still.sha256,
            "phash": still.phash,
        },
    )
    return row


__all__ = ["EXPIRED", "INVALID", "code_of", "code_usable", "qr_sign_in", "sign_in_code"]
