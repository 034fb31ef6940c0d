"""The latest audit result becomes credited online class hours per enrolment (§20(3))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.online import services
from chizheng.online.models import OnlineLearner, PlatformVoidDay

pytestmark = pytest.mark.django_db


def test_only_valid_time_is_credited(world: Any) -> None:
    assert world.a1.credited_hours == 2  # 5400 s valid = 2 × 2700 s
    assert world.a1.valid_s == Decimal("5400.000") and world.a1.void_s == Decimal("600.000")
    assert (world.a1.segments, world.a1.void_segments) == (2, 1)
    assert world.a2.credited_hours == 0 and world.a2.audited_at is not None
    assert world.b1.credited_hours == 1


def test_applying_again_changes_nothing(world: Any) -> None:
    before = list(OnlineLearner.objects.order_by("pk").values())
    days = list(PlatformVoidDay.objects.order_by("pk").values("platform", "day", "void_s"))
    services.apply_results(actor=world.office)
    after = list(OnlineLearner.objects.order_by("pk").values())
    assert [{**r, "audited_at": None} for r in after] == [{**r, "audited_at": None} for r in before]
    again = list(PlatformVoidDay.objects.order_by("pk").values("platform", "day", "void_s"))
    assert [(d["platform"], d["day"], d["void_s"]) for d in again] == [
        (d["platform"], d["day"], d["void_s"]) for d in days
    ]
    assert AuditEvent.objects.filter(action="online.results.apply").count() == 2


def test_learner_key_is_per_platform_and_hides_the_id_number(world: Any) -> None:
    person = world.a1.enrolment.person
    key = world.a1.learner_key
    assert person.id_number not in key and person.id_index not in key
    assert key == services.learner_key(platform_code="P1", id_index=person.id_index)
    assert key != services.learner_key(platform_code="P2", id_index=person.id_index)


def test_time_outside_the_class_courses_is_not_credited(world: Any) -> None:
    # b1's key is P2's; the same valid time on another course is not class B's
    assert world.b1.valid_s == Decimal("2700.000")
    applied = services.apply_results(actor=world.office)
    assert applied.unmatched_pairs == 0 and applied.learners_credited == 2


def test_platform_days_hold_void_time_per_rule(world: Any) -> None:
    (p1,) = PlatformVoidDay.objects.filter(platform=world.p1)
    assert (p1.valid_s, p1.void_s, p1.ff_s, p1.pop_s) == (
        Decimal("5400.000"),
        Decimal("600.000"),
        Decimal("600.000"),
        Decimal("0.000"),
    )
    assert str(p1.day) == "2022-06-01"


def test_only_the_office_applies_results(world: Any, make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.apply_results(actor=world.county_a)
    with pytest.raises(PermissionDenied):
        services.apply_results(actor=make_user(Role.INSTITUTION, institution=world.p1))


def test_no_result_yet_is_a_clear_error(online_dir: Any, make_user: Any) -> None:
    with pytest.raises(ValidationError) as e:
        services.apply_results(actor=make_user(Role.PROGRAMME_OFFICE))
    assert e.value.code == "online_no_result"


def test_the_apply_command_wraps_the_service(world: Any) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("online", "apply", stdout=out)
    assert "有认定课时的学员 2" in out.getvalue()
    world.a1.refresh_from_db()
    assert world.a1.credited_hours == 2
