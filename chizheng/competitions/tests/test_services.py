"""Recording events, contestants, results and certification through the services: each
refusal says why in Chinese, the permission table decides who may, and each write is
audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.competitions import services
from chizheng.competitions.models import Contestant, Event
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.org.models import Department
from chizheng.registry.models import Institution, Person

pytestmark = pytest.mark.django_db


def _certificate(
    person: Person,
    *,
    kind: str = "skill_level",
    issued_on: dt.date,
    number: str,
    make_institution: Callable[..., Institution],
) -> Certificate:
    return Certificate.objects.create(
        person=person,
        number=number,
        occupation_code="6-18-01-01",
        skill_level=3,
        kind=kind,
        channel=Certificate.Channel.SOCIAL,
        issued_on=issued_on,
        county=person.county,
        issuing_institution=make_institution(kind=Institution.Kind.EVALUATOR),
    )


def test_the_office_records_an_event_with_its_occupations_and_an_audit_row(
    make_event: Callable[..., Event],
) -> None:
    event = make_event(codes=("6-18-01-01", "6-18-01-02", "6-18-01-01"))
    assert sorted(event.occupations.values_list("code", flat=True)) == ["6-18-01-01", "6-18-01-02"]
    assert AuditEvent.objects.filter(action="competition.event.create", object_id=str(event.pk))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": dt.date(2022, 4, 1)}, "结束日期不能早于开始日期"),
        ({"codes": ("9-99-99-99",)}, "不在2022年版职业分类大典"),
        ({"codes": ()}, "请至少选择一个竞赛职业"),
        ({"name": "  "}, "请填写赛事名称"),
        ({"level": "world"}, "竞赛级别应为"),
    ],
)
def test_a_bad_event_is_refused_in_chinese(
    make_event: Callable[..., Event], change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as e:
        make_event(**change)
    assert message in e.value.message
    assert not Event.objects.exists()


def test_a_department_records_only_its_own_events(
    make_event: Callable[..., Event], make_user: Callable[..., User]
) -> None:
    union = make_user(Role.INDUSTRY, department=Department.objects.get(code="union"))
    own = make_event(actor=union, department="union")
    assert own.organiser_department is not None and own.organiser_department.code == "union"
    with pytest.raises(PermissionDenied) as e:
        make_event(actor=union, department="miit")
    assert "本部门主办" in e.value.message


@pytest.mark.parametrize("role", [Role.COUNTY_HR, Role.CITY_LEADER, Role.INSTITUTION])
def test_other_roles_record_no_event(
    make_event: Callable[..., Event],
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    county: Any,
    role: str,
) -> None:
    scopes: dict[str, dict[str, Any]] = {
        Role.COUNTY_HR: {"county": county("410402")},
        Role.INSTITUTION: {"institution": make_institution()},
    }
    scope = scopes.get(role, {})
    with pytest.raises(PermissionDenied):
        make_event(actor=make_user(role, **scope))


def test_a_contestant_is_a_registered_person_in_one_of_the_events_occupations(
    make_event: Callable[..., Event],
    enter: Callable[..., Contestant],
    make_person: Callable[..., Person],
    office: User,
) -> None:
    event = make_event()
    person = make_person()
    c = enter(event, person, rank=1, award="first", score=Decimal("95.5"))
    assert (c.person, c.occupation.code, c.award, c.rank) == (person, "6-18-01-01", "first", 1)
    after = AuditEvent.objects.get(action="competition.contestant.add").after
    assert after is not None
    assert after["person"] == person.id_masked and person.id_number not in str(after)
    with pytest.raises(ValidationError, match="已在本赛事"):
        enter(event, person)
    with pytest.raises(ValidationError, match="不是本赛事的竞赛职业"):
        enter(event, make_person(), code="4-03-02-01")
    other = make_person()
    with pytest.raises(ValidationError, match="姓名与实名库"):
        services.contestant_add(
            actor=office,
            event_id=event.pk,
            name="别人",
            id_number=other.id_number,
            occupation_code="6-18-01-01",
        )
    with pytest.raises(ValidationError, match="未在实名库登记"):
        services.contestant_add(
            actor=office,
            event_id=event.pk,
            name="张三",
            id_number="410402199001010019",
            occupation_code="6-18-01-01",
        )


def test_another_countys_bureau_cannot_reach_an_event(
    make_event: Callable[..., Event],
    make_person: Callable[..., Person],
    make_user: Callable[..., User],
    county: Any,
) -> None:
    event = make_event(county_code="410402")
    ruzhou = make_user(Role.COUNTY_HR, county=county("410482"))
    person = make_person()
    with pytest.raises(NotFound):
        services.contestant_add(
            actor=ruzhou,
            event_id=event.pk,
            name=person.name,
            id_number=person.id_number,
            occupation_code="6-18-01-01",
        )
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(PermissionDenied):  # sees it, records nothing
        services.contestant_add(
            actor=xinhua,
            event_id=event.pk,
            name=person.name,
            id_number=person.id_number,
            occupation_code="6-18-01-01",
        )


def test_certification_by_a_certificate_or_a_conferred_level(
    make_event: Callable[..., Event],
    enter: Callable[..., Contestant],
    make_person: Callable[..., Person],
    make_institution: Callable[..., Institution],
    office: User,
    today: Callable[[dt.date], None],
) -> None:
    today(dt.date(2022, 5, 10))
    event = make_event(starts_on=dt.date(2022, 4, 12))
    a, b = make_person(), make_person()
    ca, cb = enter(event, a), enter(event, b)
    _certificate(a, issued_on=dt.date(2022, 4, 20), number="C-1", make_institution=make_institution)
    _certificate(
        a, issued_on=dt.date(2022, 3, 1), number="C-OLD", make_institution=make_institution
    )
    _certificate(
        a,
        kind="training_pass",
        issued_on=dt.date(2022, 4, 20),
        number="C-PASS",
        make_institution=make_institution,
    )
    for number, reason in (
        ("C-OLD", "早于赛事开始日期"),
        ("C-PASS", "只有职业资格证书或职业技能等级证书"),
        ("C-NONE", "名下没有这个编号"),
    ):
        with pytest.raises(ValidationError, match=reason):
            services.contestant_certify(
                actor=office, contestant_id=ca.pk, certificate_number=number
            )
    done = services.contestant_certify(actor=office, contestant_id=ca.pk, certificate_number="C-1")
    assert done.certified_on == dt.date(2022, 4, 20)

    def confer(on: dt.date) -> Contestant:
        return services.contestant_certify(
            actor=office, contestant_id=cb.pk, conferred_level=3, conferred_on=on
        )

    with pytest.raises(ValidationError, match="只有获奖选手"):
        confer(dt.date(2022, 4, 30))
    services.contestant_result(actor=office, contestant_id=cb.pk, score=None, rank=1, award="first")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        confer(dt.date(2022, 5, 11))
    with pytest.raises(ValidationError, match="不能早于赛事结束日期"):
        confer(dt.date(2022, 4, 12))
    assert confer(dt.date(2022, 4, 30)).certified_on == dt.date(2022, 4, 30)
    with pytest.raises(ValidationError, match="请先撤销晋升等级"):
        services.contestant_result(actor=office, contestant_id=cb.pk, score=None, rank=1, award="")
    # Withdrawn together on the result page: the conferral first, then the award.
    back = services.contestant_record(
        actor=office, contestant_id=cb.pk, score=None, rank=None, award=""
    )
    assert back.certified_on is None and back.award == ""
    assert AuditEvent.objects.filter(action="competition.contestant.certify").count() == 3
