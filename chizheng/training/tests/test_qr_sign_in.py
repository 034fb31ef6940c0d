"""Classroom sign-in by QR code (issue 16): the class's institution shows a code renewed every
30 s; a trainee on the roster signs in with a fresh one and a selfie; an expired, forged or
another session's code, someone not on the roster, another day, or a file that is no photo
is refused in Chinese and changes nothing; another institution sees no code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.core.errors import DomainError, NotFound, PermissionDenied
from chizheng.core.models import AuditEvent
from chizheng.training import selectors, services, sign_in_codes
from chizheng.training.models import Attendance, Session
from chizheng.training.stills import Still
from chizheng.training.tests.conftest import START, World
from chizheng.training.tests.test_stills import picture

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(dt.datetime(START.year, START.month, START.day, 9, 0, 5))


@pytest.fixture
def session(world: World, today: Any) -> Session:
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    return services.session_add(
        actor=world.applicant,
        class_id=training_class.pk,
        held_on=START,
        kind="theory",
        class_hours=4,
        minutes=180,
        recorded_minutes=180,
    )


@pytest.fixture
def trainee(world: World, make_user: Any) -> Any:
    return make_user(Role.WORKER, person=world.people[0])


def _code(world: World, session: Session, at: dt.datetime = AT) -> sign_in_codes.Code:
    with clock.freeze(at):
        _, code, renew = services.sign_in_code(actor=world.applicant, session_id=session.pk)
    assert renew == 30
    return code


def test_a_trainee_signs_in_with_a_fresh_code_and_a_selfie(
    world: World, session: Session, trainee: Any
) -> None:
    code = _code(world, session)
    with clock.freeze(AT + dt.timedelta(seconds=40)):  # still within the 60 s it is valid
        row = services.qr_sign_in(actor=trainee, code=code, selfie=picture(1))
    assert row.present and row.enrolment.person_id == world.people[0].pk
    (still,) = Still.objects.filter(session=session)
    assert still.kind == Still.Kind.SELFIE and still.uploaded_by == trainee
    assert len(still.phash) == 16 and still.taken_on == START
    event = AuditEvent.objects.get(action="class.qr_sign_in")
    assert event.after is not None and event.after["still"] == still.pk
    # a second scan keeps the first sign-in and its photo
    with clock.freeze(AT + dt.timedelta(seconds=50)):
        again = services.qr_sign_in(actor=trainee, code=code, selfie=picture(2))
    assert again.pk == row.pk and Still.objects.filter(session=session).count() == 1
    (mine,) = selectors.my_attendance(actor=trainee)
    assert (mine.signed_hours, mine.class_hours) == (4, mine.enrolment.training_class.class_hours)
    assert mine.still_needed == mine.needed_hours - 4 > 0


@pytest.mark.parametrize("late", [60, 61, 3600])
def test_an_expired_code_is_refused(
    world: World, session: Session, trainee: Any, late: int
) -> None:
    code = _code(world, session)
    shown = code.window * 30
    moment = dt.datetime.fromtimestamp(shown + late, tz=dt.UTC)
    with clock.freeze(moment), pytest.raises(DomainError, match="已过期"):
        services.qr_sign_in(actor=trainee, code=code, selfie=picture(1))
    assert not Attendance.objects.filter(session=session).exists()
    assert not Still.objects.exists()


def test_a_forged_or_other_sessions_code_is_refused(
    world: World, session: Session, trainee: Any
) -> None:
    code = _code(world, session)
    forged = sign_in_codes.Code(session.pk, code.window, code.nonce, "0" * 20)
    moved = sign_in_codes.Code(session.pk + 1, code.window, code.nonce, code.check)
    later = sign_in_codes.Code(session.pk, code.window + 1, code.nonce, code.check)
    with clock.freeze(AT):
        for bad in (forged, moved, later):
            with pytest.raises(DomainError, match="无效"):
                services.qr_sign_in(actor=trainee, code=bad, selfie=picture(1))
    assert not Attendance.objects.exists()


def test_only_the_roster_signs_in_and_only_with_a_photo(
    world: World, session: Session, make_user: Any, make_person: Any, trainee: Any
) -> None:
    code = _code(world, session)
    stranger = make_user(Role.WORKER, person=make_person())
    with clock.freeze(AT):
        with pytest.raises(PermissionDenied, match="花名册"):
            services.qr_sign_in(actor=stranger, code=code, selfie=picture(1))
        with pytest.raises(DomainError, match="JPEG 或 PNG"):
            services.qr_sign_in(actor=trainee, code=code, selfie=b"%PDF-1.4 not a photo")
        with pytest.raises(DomainError, match="请上传照片"):
            services.qr_sign_in(actor=trainee, code=code, selfie=b"")
    assert not Attendance.objects.exists() and not Still.objects.exists()


def test_the_code_is_shown_on_the_sessions_day_by_its_institution_only(
    world: World, session: Session, make_user: Any
) -> None:
    with clock.freeze(AT):
        with pytest.raises(NotFound):
            services.sign_in_code(actor=world.other_applicant, session_id=session.pk)
        with pytest.raises(PermissionDenied):
            services.sign_in_code(actor=world.hr_a, session_id=session.pk)
        with pytest.raises(PermissionDenied):  # his class, not his to show
            services.sign_in_code(
                actor=make_user(Role.WORKER, person=world.people[0]), session_id=session.pk
            )
    tomorrow = AT + dt.timedelta(days=1)
    with clock.freeze(tomorrow), pytest.raises(DomainError, match="只能在当天扫码签到"):
        services.sign_in_code(actor=world.applicant, session_id=session.pk)


def test_the_pages_the_screen_renews_and_the_phone_posts(
    world: World, session: Session, trainee: Any
) -> None:
    institution = Client()
    institution.force_login(world.applicant)
    with clock.freeze(AT):
        page = institution.get(f"/classes/sessions/{session.pk}/code/").content.decode()
        assert 'hx-trigger="every 30s"' in page and "<svg" in page
        fragment = institution.get(
            f"/classes/sessions/{session.pk}/code/", headers={"HX-Request": "true"}
        ).content.decode()
    assert "<html" not in fragment
    url = re.search(r'data-url="([^"]+)"', fragment).group(1)  # type: ignore[union-attr]
    assert f"/classes/sessions/{session.pk}/sign-in/?w=" in url
    other = Client()
    other.force_login(world.other_applicant)
    with clock.freeze(AT):
        assert other.get(f"/classes/sessions/{session.pk}/code/").status_code == 404

    phone = Client()
    phone.force_login(trainee)
    path = url.split("testserver", 1)[1].replace("&amp;", "&")
    with clock.freeze(AT + dt.timedelta(seconds=5)):
        form = phone.get(path).content.decode()
        assert 'name="selfie"' in form and 'capture="user"' in form
        query = dict(p.split("=") for p in path.split("?")[1].split("&"))
        image = _upload(picture(3))
        done = phone.post(path.split("?")[0], {**query, "selfie": image})
    assert done.status_code == 200 and 'data-testid="signed-in"' in done.content.decode()
    assert "已签到 4 课时" in done.content.decode()
    with clock.freeze(AT + dt.timedelta(seconds=90)):
        stale = phone.get(path)
    assert stale.status_code == 400 and "已过期" in stale.content.decode()
    bad = phone.get(f"/classes/sessions/{session.pk}/sign-in/?w=x1&n=zz&t=1")
    assert bad.status_code == 400 and "二维码无效" in bad.content.decode()


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("selfie.jpg", data, content_type="image/jpeg")


def test_the_window_arithmetic() -> None:
    at = dt.datetime(2022, 6, 6, 1, 0, 29, tzinfo=dt.UTC)
    code = sign_in_codes.issue(7, at=at, renew_seconds=30)
    assert sign_in_codes.genuine(code) and code.window == int(at.timestamp()) // 30
    shown = code.window * 30
    for offset, gone in ((0, False), (59, False), (60, True), (-1, True)):
        moment = dt.datetime.fromtimestamp(shown + offset, tz=dt.UTC)
        assert sign_in_codes.expired(code, at=moment, renew_seconds=30, valid_seconds=60) is gone
    assert code.nonce != sign_in_codes.issue(7, at=at, renew_seconds=30).nonce  # fresh each draw


def test_the_survey_code_is_the_institutions_to_show(
    world: World, session: Session, trainee: Any
) -> None:
    pk = session.training_class_id
    institution = Client()
    institution.force_login(world.applicant)
    page = institution.get(f"/classes/{pk}/survey/code/").content.decode()
    url = re.search(r'data-url="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert url.endswith(f"/classes/{pk}/survey/") and "<svg" in page
    other = Client()
    other.force_login(world.other_applicant)
    assert other.get(f"/classes/{pk}/survey/code/").status_code == 404
    phone = Client()
    phone.force_login(trainee)
    assert phone.get(f"/classes/{pk}/survey/code/").status_code == 403
    assert phone.get(f"/classes/{pk}/survey/").status_code == 200  # what the code opens
