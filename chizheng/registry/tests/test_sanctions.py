"""Sanctions: dated, expiring on their own, and refusing what the sanctioned party would do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core.errors import DomainError, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.registry.models import Institution, Sanction
from chizheng.registry.selectors import active_sanctions
from chizheng.registry.services import (
    add_months,
    ensure_may_act,
    sanction_blacklist,
    sanction_lift,
    sanction_platform_ban,
    sanction_suspend,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_suspended_institution_is_refused_a_class(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    s = sanction_suspend(
        actor=office, institution_id=inst.pk, starts_on=D(2022, 5, 10), reason="满意度82%"
    )
    assert (s.ends_on, s.clause) == (
        D(2022, 6, 10),
        "§19",
    )  # one month (outcomes.rectification_months)
    with pytest.raises(DomainError) as e:
        ensure_may_act(institution=inst, action="class.apply", on=D(2022, 5, 20))
    assert e.value.code == "institution_suspended"
    assert "停止开班整改" in e.value.message and "不能提交开班申请" in e.value.message
    assert "2022-06-09" in e.value.message  # the last day in force
    # A suspension stops opening classes, not e.g. assessments of classes already running.
    ensure_may_act(institution=inst, action="assessment.record", on=D(2022, 5, 20))
    assert AuditEvent.objects.filter(action="sanction.suspension", object_id=str(s.pk)).exists()


def test_a_sanction_expires_on_its_end_date(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    s = sanction_suspend(
        actor=office, institution_id=inst.pk, starts_on=D(2022, 5, 10), reason="满意度低"
    )
    assert active_sanctions(party=inst, on=D(2022, 5, 9)) == []
    assert active_sanctions(party=inst, on=D(2022, 5, 10)) == [s]
    assert active_sanctions(party=inst, on=D(2022, 6, 9)) == [s]
    assert active_sanctions(party=inst, on=D(2022, 6, 10)) == []  # the end date: expired, by itself
    ensure_may_act(institution=inst, action="class.apply", on=D(2022, 6, 10))


def test_platform_ban_lasts_two_years_from_the_violation(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    platform = make_institution(kind=Institution.Kind.PLATFORM)
    s = sanction_platform_ban(
        actor=office, institution_id=platform.pk, violated_on=D(2022, 3, 1), reason="快进播放未管控"
    )
    assert (s.ends_on, s.clause) == (D(2024, 3, 1), "§20(3)")  # online.platform_ban_years = 2
    with pytest.raises(DomainError) as e:
        ensure_may_act(institution=platform, action="online.upload", on=D(2024, 2, 29))
    assert e.value.code == "platform_banned"
    ensure_may_act(institution=platform, action="online.upload", on=D(2024, 3, 1))
    school = make_institution()
    with pytest.raises(ValidationError):
        sanction_platform_ban(
            actor=office, institution_id=school.pk, violated_on=D(2022, 3, 1), reason="x"
        )


def test_blacklist_is_open_ended_until_its_dynamic_exit(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution(kind=Institution.Kind.EVALUATOR)
    s = sanction_blacklist(
        actor=office, institution_id=inst.pk, starts_on=D(2022, 4, 1), reason="违规发证"
    )
    assert s.ends_on is None and s.clause == "§20(4)"
    with pytest.raises(DomainError) as e:
        ensure_may_act(institution=inst, action="assessment.record", on=D(2030, 1, 1))
    assert e.value.code == "institution_blacklisted"
    sanction_lift(
        actor=office, sanction_id=s.pk, lifted_on=D(2022, 10, 1), reason="整改到位，动态退出"
    )
    assert active_sanctions(party=inst, on=D(2022, 9, 30)) == [s]
    assert active_sanctions(party=inst, on=D(2022, 10, 1)) == []
    with pytest.raises(ValidationError):
        sanction_lift(actor=office, sanction_id=s.pk, lifted_on=D(2022, 10, 2), reason="again")


def test_only_the_programme_office_sanctions_and_only_what_it_sees(
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    county: Callable[..., object],
) -> None:
    inst = make_institution("410402")
    county_user = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(PermissionDenied):
        sanction_suspend(
            actor=county_user, institution_id=inst.pk, starts_on=D(2022, 5, 1), reason="x"
        )
    assert not Sanction.objects.exists()


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(D(2022, 1, 31), 1) == D(2022, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2022, 12, 15), 1) == D(2023, 1, 15)
