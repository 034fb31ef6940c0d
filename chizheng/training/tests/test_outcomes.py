"""Results and certificates (附件2 结业考核) and the satisfaction survey (§19)."""

import datetime as dt

import pytest

from chizheng.assessment.models import Certificate
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.registry.models import Sanction
from chizheng.training import annex2, services
from chizheng.training.models import Status
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db
HELD = START + dt.timedelta(days=21)


@pytest.fixture
def registered(world, today):
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    services.assessment_register(
        actor=world.applicant,
        class_id=training_class.pk,
        evaluator_id=world.evaluator.pk,
        held_on=HELD,
    )
    today(HELD)
    return training_class


def certs(world, n):
    return [
        services.CertificateIn(p.pk, f"N{k:04d}", "skill_level", 4, HELD)
        for k, p in enumerate(world.people[:n])
    ]


def test_results_record_certificates_each_person_can_see(world, registered, make_user) -> None:
    from chizheng.accounts.access import visible
    from chizheng.accounts.models import Role

    services.results_record(
        actor=world.evaluator_user,
        class_id=registered.pk,
        counts={"skill_level": (30, 27)},
        certificates=certs(world, 27),
    )
    registered.refresh_from_db()
    assert registered.status == Status.ASSESSED
    assert Certificate.objects.filter(training_class=registered).count() == 27
    half = annex2.class_half(training_class=registered)
    assert (half.taking_total, half.certified_total) == (30, 27)
    owner = make_user(Role.WORKER, person=world.people[0])
    mine = visible(owner, Certificate.objects.all())
    assert [c.number for c in mine] == ["N0000"]
    outsider = make_user(Role.WORKER, person=world.people[35])
    assert visible(outsider, Certificate.objects.all()).count() == 0


def test_counts_must_match_the_certificates(world, registered) -> None:
    with pytest.raises(ValidationError, match="取证人数27与录入的证书数26不符"):
        services.results_record(
            actor=world.evaluator_user,
            class_id=registered.pk,
            counts={"skill_level": (30, 27)},
            certificates=certs(world, 26),
        )
    with pytest.raises(ValidationError, match="不在本班名册"):
        services.results_record(
            actor=world.evaluator_user,
            class_id=registered.pk,
            counts={"skill_level": (30, 1)},
            certificates=[services.CertificateIn(world.people[39].pk, "X", "skill_level", 4, HELD)],
        )


def test_only_the_registered_evaluator_enters_results(world, registered) -> None:
    with pytest.raises(PermissionDenied):
        services.results_record(
            actor=world.applicant,
            class_id=registered.pk,
            counts={"skill_level": (30, 1)},
            certificates=certs(world, 1),
        )


def test_satisfaction_below_the_threshold_suspends_the_institution(
    world, registered, make_user
) -> None:
    from chizheng.accounts.models import Role

    for k, p in enumerate(world.people[:20]):
        services.survey_answer(
            actor=make_user(Role.WORKER, person=p), class_id=registered.pk, satisfied=k < 16
        )
    out = services.survey_close(actor=world.hr_a, class_id=registered.pk)
    assert (out.responses, out.satisfied, out.suspended) == (20, 16, True)  # 80% < 85%
    s = Sanction.objects.get(institution=world.institution)
    assert s.kind == "suspension" and s.clause == "§19"
    assert (s.starts_on, s.ends_on) == (HELD, HELD.replace(month=HELD.month + 1))
    with pytest.raises(Exception, match="停止开班整改"):
        world.apply(batch="next")
        services.class_submit(
            actor=world.applicant, class_id=world.institution.classes.get(batch="next").pk
        )


def test_satisfaction_at_the_threshold_passes(world, registered, make_user) -> None:
    from chizheng.accounts.models import Role

    for k, p in enumerate(world.people[:20]):
        services.survey_answer(
            actor=make_user(Role.WORKER, person=p), class_id=registered.pk, satisfied=k < 17
        )
    assert services.survey_close(actor=world.hr_a, class_id=registered.pk).suspended is False  # 85%
    assert not Sanction.objects.exists()


def test_only_trainees_of_the_class_answer(world, registered, make_user) -> None:
    from chizheng.accounts.models import Role

    with pytest.raises(PermissionDenied, match="不在该培训班"):
        services.survey_answer(
            actor=make_user(Role.WORKER, person=world.people[35]),
            class_id=registered.pk,
            satisfied=True,
        )


def test_a_trainee_answers_on_a_phone_sized_page_and_sees_his_certificate(
    world, registered, make_user, client
) -> None:
    from chizheng.accounts.models import Role

    me = make_user(Role.WORKER, person=world.people[0])
    client.force_login(me)
    page = client.get(f"/classes/{registered.pk}/survey/")
    assert page.status_code == 200 and 'name="viewport"' in page.content.decode()
    client.post(f"/classes/{registered.pk}/survey/", {"satisfied": "1", "comment": "老师讲得好"})
    assert registered.enrolments.get(person=world.people[0]).survey.satisfied is True
    services.results_record(
        actor=world.evaluator_user,
        class_id=registered.pk,
        counts={"skill_level": (30, 1)},
        certificates=certs(world, 1),
    )
    home = client.get("/").content.decode()
    assert "N0000" in home and "机械加工材料切割工" in home

    stranger = make_user(Role.WORKER, person=world.people[35])
    client.force_login(stranger)
    assert client.get(f"/classes/{registered.pk}/survey/").status_code == 404
    assert "N0000" not in client.get("/").content.decode()


def test_results_reach_the_plans_progress(world, registered, make_user) -> None:
    from chizheng.accounts.models import Role
    from chizheng.plan.selectors import plan_progress
    from chizheng.plan.services import plan_load

    services.results_record(
        actor=world.evaluator_user,
        class_id=registered.pk,
        counts={"skill_level": (30, 3)},
        certificates=certs(world, 3),
    )
    first = Certificate.objects.filter(training_class=registered)
    assert all(c.first_in_year for c in first)
    progress = plan_progress(
        actor=make_user(Role.PROGRAMME_OFFICE), plan=plan_load(), until=dt.date(2022, 12, 31)
    )
    assert progress.by_code("new_skilled").city.count == 3
