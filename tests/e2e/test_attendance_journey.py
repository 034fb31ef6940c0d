"""Journeys: what is trained is what is paid (§19, §21), through the real pages.

A void recording reducing a claim: the institution records a practical session whose
continuous recording is too short in seven of its ten class hours; the class page marks the
session with the failing rule and the trainee who had missed another session falls below
the attendance rate; the claim it calculates shows his line at 0 with the reason and
his figures, the others paid.

Online hours in a claim: on a blended class, a trainee's valid online study is credited by
the audit and his claim line shows it; another's fast-forwarded study is void and his line
is 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.subsidy.tests.conftest import CLAIM_DAY, HELD
from chizheng.subsidy.tests.online import catalog_platform, study_online
from chizheng.training import services as training
from chizheng.training.models import TrainingClass
from chizheng.training.tests.conftest import START, World, build_world, lessons, record_training

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _started(w: World, **overrides: object) -> TrainingClass:
    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = w.approved(**overrides)
    with clock.freeze(START):
        training.class_start(actor=w.applicant, class_id=training_class.pk)
    return training_class


def _assessed(w: World, training_class: TrainingClass) -> None:
    """Registered ahead and held on ``HELD``: every trainee certified at 中级工."""
    people = list(training_class.enrolments.order_by("id").values_list("person_id", flat=True))
    with clock.freeze(START + dt.timedelta(days=14)):
        training.assessment_register(
            actor=w.applicant,
            class_id=training_class.pk,
            evaluator_id=w.evaluator.pk,
            held_on=HELD,
        )
    with clock.freeze(HELD):
        training.results_record(
            actor=w.evaluator_user,
            class_id=training_class.pk,
            counts={"skill_level": (len(people), len(people))},
            certificates=[
                training.CertificateIn(
                    pid, f"E{training_class.pk:04d}{n:03d}", "skill_level", 4, HELD
                )
                for n, pid in enumerate(people)
            ],
        )


def _calculate(page: Page, base: str, training_class: TrainingClass) -> None:
    page.goto(f"{base}/subsidy/classes/{training_class.pk}/")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("calculation")).to_be_visible()


def test_a_void_recording_reduces_the_claim(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    training_class = _started(w)
    late = w.people[0]
    # Seven days of 10 class hours recorded as §19 asks; the first one missed by ``late``.
    record_training(w, training_class, plan=lessons()[:7], absent={0: [late.pk]})

    day = START + dt.timedelta(days=7)
    with clock.freeze(day):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        form = page.get_by_test_id("session-form")
        form.get_by_label("日期").fill(day.isoformat())
        form.get_by_label("类型").select_option("practical")
        form.get_by_label("课时数").fill("10")
        form.get_by_label("时长（分钟）", exact=True).fill("450")
        form.get_by_label("录像总时长（分钟）").fill("158")
        form.get_by_label("每课时最长连续录像（分钟，逗号分隔）").fill(
            "20,20,20,14,14,14,14,14,14,14"
        )
        form.get_by_role("button", name="登记课程").click()
        expect(page.get_by_role("status")).to_contain_text("课程已登记")
        row = page.get_by_test_id("sessions").locator("tr", has_text=day.isoformat())
        row.get_by_role("button", name="登记签到").click()
        expect(page.get_by_role("status")).to_contain_text("签到已登记")
        row = page.get_by_test_id("sessions").locator("tr", has_text=day.isoformat())
        expect(row).to_contain_text("认定 3/10")
        expect(row).to_contain_text("（第 4, 5, 6, 7, 8, 9, 10 学时不足）（§19）")
        attendance = page.get_by_test_id(f"attendance-{late.pk}")
        expect(attendance).to_contain_text("到课 63/80 学时 = 78.7% < 80.0%")
        expect(page.get_by_test_id(f"rate-{w.people[1].pk}")).to_have_text("91.2%")  # 73/80
        shot(page, "attendance-01-void-recording")
        logout(page)

    _assessed(w, training_class)
    with clock.freeze(CLAIM_DAY):
        login(page, base, w.applicant.username)
        _calculate(page, base, training_class)
        expect(page.get_by_test_id(f"amount-{late.pk}")).to_have_text("0.00")
        expect(page.get_by_test_id(f"reason-{late.pk}")).to_have_text(
            "到课率 78.7% 低于 80.0%（§21）"
        )
        expect(page.get_by_test_id(f"attendance-{late.pk}")).to_contain_text("63/80 学时")
        expect(page.get_by_test_id(f"attendance-{late.pk}")).to_contain_text("未认定课次 1")
        expect(page.get_by_test_id(f"amount-{w.people[1].pk}")).to_have_text("1,600.00")
        expect(page.get_by_test_id("calc-total")).to_have_text("46,400.00")  # 29 × 1600
        shot(page, "attendance-02-claim-line-at-zero")
        logout(page)


def test_online_hours_in_a_claim(
    live_server, page: Page, make_user, city, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = live_server.url
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "online"))
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    office = make_user(Role.PROGRAMME_OFFICE)
    platform = catalog_platform(w, office, make_user)
    training_class = _started(w, mode="blended", platform_id=platform.pk, online_theory_hours=8)
    studied, skipped = w.people[0], w.people[1]
    # Both miss one offline day (62 of 72 offline hours); one studies 8 hours online validly,
    # the other fast-forwards through as many.
    record_training(w, training_class, absent={0: [studied.pk, skipped.pk]})
    study_online(
        office=office, training_class=training_class, valid={studied.pk: 8}, void={skipped.pk: 8}
    )
    _assessed(w, training_class)
    with clock.freeze(CLAIM_DAY):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        expect(
            page.get_by_test_id(f"credited-{training_class.enrolments.get(person=studied).pk}")
        ).to_have_text("8")
        expect(page.get_by_test_id(f"rate-{studied.pk}")).to_have_text("87.5%")  # 70/80
        expect(page.get_by_test_id(f"rate-{skipped.pk}")).to_have_text("77.5%")  # 62/80
        _calculate(page, base, training_class)
        expect(page.get_by_test_id(f"attendance-{studied.pk}")).to_contain_text("线上认定 8")
        expect(page.get_by_test_id(f"amount-{studied.pk}")).to_have_text("1,600.00")
        expect(page.get_by_test_id(f"amount-{skipped.pk}")).to_have_text("0.00")
        expect(page.get_by_test_id(f"reason-{skipped.pk}")).to_have_text(
            "到课率 77.5% 低于 80.0%（§21）"
        )
        shot(page, "attendance-03-online-hours-in-a-claim")
        logout(page)
