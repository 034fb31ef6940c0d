"""The modes the document names: pure-online (§20(3)), apprenticeship (§1, §20(1)), and the
inspection plan that leaves out classes supervised by recordings or remote video (§21)."""

import datetime as dt

import pytest

from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.registry.models import Institution
from chizheng.training import selectors, services
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(world):
    return Institution.objects.create(
        name="在线平台",
        credit_code="91410402PLAT000001",
        kind="platform",
        county=world.institution.county,
        catalog_status="listed",
        catalog_since=dt.date(2022, 1, 1),
    )


def online(world, platform):
    return world.apply(
        mode="online", platform_id=platform.pk, practical_hours=0, online_theory_hours=0
    )


def test_pure_online_only_in_the_offices_occupations(world, platform, make_user) -> None:
    from chizheng.accounts.models import Role

    training_class = online(world, platform)
    with pytest.raises(ValidationError, match=r"不在纯线上培训职业清单内（§20\(3\)"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    with pytest.raises(PermissionDenied):
        services.pure_online_allow(
            actor=world.hr_a,
            occupation_code="6-18-02-05",
            valid_from=dt.date(2022, 1, 1),
            reason="x",
        )
    office = make_user(Role.PROGRAMME_OFFICE)
    services.pure_online_allow(
        actor=office,
        occupation_code="6-18-02-05",
        valid_from=dt.date(2022, 1, 1),
        reason="市人社局2022年纯线上培训职业清单",
    )
    report = services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    assert report.ok and training_class.status == "submitted"
    assert any(d.rule == "class.online_platform" and not d.failed for d in report.decisions)


def test_apprenticeship_needs_one_to_two_years_and_contracts(world) -> None:
    short = world.apply(mode="apprenticeship", end_date=START + dt.timedelta(days=200))
    with pytest.raises(ValidationError, match="培训期限应为12至24个月，本班为6个月"):
        services.class_submit(actor=world.applicant, class_id=short.pk)
    training_class = world.apply(
        mode="apprenticeship", batch="学徒", end_date=dt.date(2023, 6, 6), roster=world.people[:2]
    )
    with pytest.raises(ValidationError, match="学徒须签订12个月以上劳动合同"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    for p in world.people[:2]:
        services.apprentice_contract_set(
            actor=world.applicant,
            class_id=training_class.pk,
            person_id=p.pk,
            contract_start=dt.date(2022, 5, 1),
            contract_end=dt.date(2023, 5, 1),
        )
    report = services.class_submit(actor=world.applicant, class_id=training_class.pk)
    assert any(d.rule == "class.apprentices" for d in report.decisions)


def test_the_inspection_plan_leaves_out_classes_supervised_by_recordings(world, today) -> None:
    a = world.approved()
    b = world.approved(
        batch="远程", roster=world.people[30:40], planned_count=10, remote_video=True
    )
    today(START)
    assert [
        i.training_class for i in selectors.inspection_plan(actor=world.inspector, on=START)
    ] == [a]
    services.class_start(actor=world.applicant, class_id=a.pk)
    services.class_start(actor=world.applicant, class_id=b.pk)
    services.session_add(
        actor=world.applicant,
        class_id=a.pk,
        held_on=START,
        kind="practical",
        class_hours=2,
        minutes=90,
        recorded_minutes=40,
        longest_continuous=[20, 18],
    )
    assert selectors.inspection_plan(actor=world.inspector, on=START) == []
    services.session_add(
        actor=world.applicant,
        class_id=a.pk,
        held_on=START,
        kind="theory",
        class_hours=2,
        minutes=90,
        recorded_minutes=60,
    )
    plan = selectors.inspection_plan(actor=world.inspector, on=START)
    assert [(i.training_class, i.reason) for i in plan] == [(a, "未做开班当日检查")]


def test_the_inspection_plan_is_scoped(world, today, make_user, county) -> None:
    from chizheng.accounts.models import Role

    world.approved()
    today(START)
    ruzhou = make_user(Role.INSPECTOR, county=county("410482"))
    assert selectors.inspection_plan(actor=ruzhou, on=START) == []
    assert len(selectors.inspection_plan(actor=world.inspector, on=START)) == 1
