"""附件2's signed boxes (``training.Opinion``): the county HR bureau's opinions on the
supervision and on the results, an inspector's patrol of the assessment — who may give
them, at which stage, what is refused, the audit row, and the page, the API and the
scope of each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.core.workflow import TransitionRefused
from chizheng.training import annex2, services
from chizheng.training.models import Opinion
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db
HELD = START + dt.timedelta(days=21)
SUPERVISION, PATROL, RESULTS = Opinion.Kind.SUPERVISION, Opinion.Kind.PATROL, Opinion.Kind.RESULTS


@pytest.fixture
def started(world: Any, today: Any) -> Any:
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    return training_class


def _register(world: Any, training_class: Any) -> None:
    services.assessment_register(
        actor=world.applicant,
        class_id=training_class.pk,
        evaluator_id=world.evaluator.pk,
        held_on=HELD,
    )


def _results(world: Any, training_class: Any) -> None:
    services.results_record(
        actor=world.evaluator_user,
        class_id=training_class.pk,
        counts={"skill_level": (30, 2)},
        certificates=[
            services.CertificateIn(p.pk, f"OP{n:03d}", "skill_level", 4, HELD)
            for n, p in enumerate(world.people[:2])
        ],
    )


def test_the_county_hr_bureau_gives_its_supervision_opinion_in_training(world, started) -> None:
    o = services.opinion_record(
        actor=world.hr_a, class_id=started.pk, kind=SUPERVISION, text="  过程监管规范，资料齐全。 "
    )
    assert (o.kind, o.text, o.author, o.given_on) == (
        SUPERVISION,
        "过程监管规范，资料齐全。",
        world.hr_a,
        START,
    )
    event = AuditEvent.objects.get(action="class.opinion.supervision")
    assert event.object_id == str(o.pk) and event.actor_id == world.hr_a.pk
    assert event.after is not None and event.after["text"] == "过程监管规范，资料齐全。"
    half = annex2.class_half(training_class=started)
    assert half.supervision_opinion == o and half.results_opinion is None


def test_a_later_opinion_replaces_the_earlier_on_the_form_and_both_are_kept(
    world, started, today
) -> None:
    first = services.opinion_record(
        actor=world.hr_a, class_id=started.pk, kind=SUPERVISION, text="请补充签到表。"
    )
    today(START + dt.timedelta(days=3))
    second = services.opinion_record(
        actor=world.hr_b, class_id=started.pk, kind=SUPERVISION, text="已补充，同意。"
    )
    half = annex2.class_half(training_class=started)
    assert half.supervision_opinion == second
    assert half.opinions == [first, second]
    assert AuditEvent.objects.filter(action="class.opinion.supervision").count() == 2


def test_each_box_is_refused_before_its_stage(world: Any, today: Any) -> None:
    approved = world.approved()
    with pytest.raises(TransitionRefused, match="开班后登记"):
        services.opinion_record(actor=world.hr_a, class_id=approved.pk, kind=SUPERVISION, text="x")
    today(START)
    services.class_start(actor=world.applicant, class_id=approved.pk)
    with pytest.raises(TransitionRefused, match="登记结业考核后登记"):
        services.opinion_record(actor=world.inspector, class_id=approved.pk, kind=PATROL, text="x")
    with pytest.raises(TransitionRefused, match="录入考核结果后登记"):
        services.opinion_record(actor=world.hr_a, class_id=approved.pk, kind=RESULTS, text="x")
    assert not Opinion.objects.exists()


def test_the_patrol_is_signed_on_or_after_the_assessment_day_once_by_each_inspector(
    world, started, today, make_user, county
) -> None:
    _register(world, started)
    today(HELD - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="考核当日或之后方可登记巡查"):
        services.opinion_record(actor=world.inspector, class_id=started.pk, kind=PATROL, text="x")
    today(HELD)
    services.opinion_record(
        actor=world.inspector, class_id=started.pk, kind=PATROL, text="考场秩序良好"
    )
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.opinion_record(
            actor=world.inspector, class_id=started.pk, kind=PATROL, text="再次巡查"
        )
    city_inspector = make_user(Role.INSPECTOR)
    services.opinion_record(actor=city_inspector, class_id=started.pk, kind=PATROL, text="巡查")
    half = annex2.class_half(training_class=started)
    assert [p.author for p in half.patrols] == [world.inspector, city_inspector]


def test_the_results_opinion_follows_the_results(world, started, today) -> None:
    _register(world, started)
    today(HELD)
    _results(world, started)
    o = services.opinion_record(
        actor=world.hr_b, class_id=started.pk, kind=RESULTS, text="考核结果属实，同意。"
    )
    assert annex2.class_half(training_class=started).results_opinion == o


def test_who_may_sign_is_the_permission_tables(world, started, make_user, county) -> None:
    _register(world, started)
    for actor, kind in (
        (world.applicant, SUPERVISION),
        (world.evaluator_user, SUPERVISION),
        (world.industry_a, SUPERVISION),
        (world.inspector, SUPERVISION),
        (world.hr_a, PATROL),
        (make_user(Role.PROGRAMME_OFFICE), SUPERVISION),
    ):
        with pytest.raises((PermissionDenied, NotFound)):
            services.opinion_record(actor=actor, class_id=started.pk, kind=kind, text="x")
    other_county = make_user(Role.COUNTY_HR, county=county("410482"))
    with pytest.raises(NotFound):
        services.opinion_record(actor=other_county, class_id=started.pk, kind=SUPERVISION, text="x")
    other_inspector = make_user(Role.INSPECTOR, county=county("410482"))
    with clock.freeze(HELD), pytest.raises(NotFound):
        services.opinion_record(actor=other_inspector, class_id=started.pk, kind=PATROL, text="x")
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("opinion", "同意", "意见类型"),
        (SUPERVISION, "   ", "请填写意见"),
        (SUPERVISION, "同" * 501, "不能超过 500 个字符"),
        (SUPERVISION, "同意\x00", "意见"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, started, kind, text, message) -> None:
    with pytest.raises(ValidationError, match=message):
        services.opinion_record(actor=world.hr_a, class_id=started.pk, kind=kind, text=text)
    assert not Opinion.objects.exists()


def test_the_class_page_offers_the_box_of_the_step_and_records_it(
    world, started, client: Client
) -> None:
    client.force_login(world.hr_a)
    page = client.get(f"/classes/{started.pk}/").content.decode()
    assert 'data-testid="opinion-form-supervision"' in page
    assert 'data-testid="opinion-form-results"' not in page  # not assessed yet
    r = client.post(
        f"/classes/{started.pk}/opinions/", {"kind": SUPERVISION, "text": "同意开展培训。"}
    )
    assert r.status_code == 302
    assert Opinion.objects.get().text == "同意开展培训。"
    page = client.get(f"/classes/{started.pk}/").content.decode()
    assert "同意开展培训。" in page and "人力资源社会保障部门检查意见已登记" in page
    client.force_login(world.applicant)
    page = client.get(f"/classes/{started.pk}/").content.decode()
    assert "opinion-form-" not in page  # the institution signs none of them
    r = client.post(f"/classes/{started.pk}/opinions/", {"kind": SUPERVISION, "text": "自评"})
    assert Opinion.objects.count() == 1
    follow = client.get(r["Location"]).content.decode()
    assert "只有培训班所在县（市、区）的人力资源社会保障部门可以出具检查意见" in follow


def test_another_county_posting_to_the_page_changes_nothing(
    world, started, client: Client, make_user, county
) -> None:
    client.force_login(make_user(Role.COUNTY_HR, county=county("410482")))
    client.post(f"/classes/{started.pk}/opinions/", {"kind": SUPERVISION, "text": "越权"})
    assert not Opinion.objects.exists()
    assert client.get(f"/classes/{started.pk}/").status_code == 404


def test_the_api_records_an_opinion_and_keeps_to_its_scope(
    world, started, client: Client, make_user, county
) -> None:
    url = f"/api/v1/classes/{started.pk}/opinions"
    client.force_login(make_user(Role.COUNTY_HR, county=county("410482")))
    r = client.post(url, {"kind": SUPERVISION, "text": "越权"}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    client.force_login(world.hr_a)
    r = client.post(url, {"kind": "x", "text": "同意"}, content_type="application/json")
    assert r.status_code == 422
    r = client.post(url, {"kind": SUPERVISION, "text": " "}, content_type="application/json")
    assert r.status_code == 422 and r.json()["message"] == "请填写意见"
    r = client.post(url, {"kind": RESULTS, "text": "同意"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "transition_refused"
    r = client.post(url, {"kind": SUPERVISION, "text": "同意"}, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["kind"] == SUPERVISION and body["text"] == "同意" and body["given_on"] == str(START)
    assert body["kind_label"] == "人力资源社会保障部门检查意见"
    assert Opinion.objects.count() == 1
