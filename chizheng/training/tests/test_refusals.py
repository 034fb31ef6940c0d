"""Who may act on a class is the permission table's; a refusal keeps saying, in Chinese,
who may (附件2: the applicant, the institution running the class, the inspectors, the HR
bureau, the evaluator, the trainee himself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from chizheng.core.errors import PermissionDenied
from chizheng.training import services
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(PermissionDenied) as refused:
        call()
    assert refused.value.message == message
    assert refused.value.code == "permission_denied" and refused.value.http_status == 403


def test_only_an_institution_applies_and_only_the_applicant_changes_its_class(world) -> None:
    training_class = world.apply()
    _refused(
        lambda: services.class_create(actor=world.hr_a, occupation_code="6-18-02-05"),
        "只有培训机构或企业可以申请开班",
    )
    _refused(
        lambda: services.roster_add(
            actor=world.hr_a, class_id=training_class.pk, person_ids=[world.people[35].pk]
        ),
        "只有申请机构本身可以进行此操作",
    )
    _refused(
        lambda: services.class_submit(actor=world.industry_a, class_id=training_class.pk),
        "只有申请机构本身可以进行此操作",
    )


def test_only_the_institution_running_the_class_delivers_it(world, today) -> None:
    training_class = world.approved()
    today(START)
    _refused(
        lambda: services.class_start(actor=world.hr_a, class_id=training_class.pk),
        "只有申请机构本身可以进行此操作",
    )
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    _refused(
        lambda: services.session_add(
            actor=world.hr_a,
            class_id=training_class.pk,
            held_on=START,
            kind="theory",
            class_hours=1,
            minutes=45,
        ),
        "只有培训机构可以登记课程",
    )
    session = services.session_add(
        actor=world.applicant,
        class_id=training_class.pk,
        held_on=START,
        kind="theory",
        class_hours=1,
        minutes=45,
    )
    _refused(
        lambda: services.attendance_record(
            actor=world.hr_a, session_id=session.pk, present_person_ids=[]
        ),
        "只有本班的培训机构可以登记签到",
    )


def test_inspections_surveys_and_results_are_each_their_own_roles(world, today) -> None:
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    _refused(
        lambda: services.inspection_record(
            actor=world.applicant,
            class_id=training_class.pk,
            kind="opening",
            held_on=START,
            place="实训车间",
            present=30,
            signed_in=30,
            teachers_present=2,
        ),
        "只有检查人员可以登记检查情况",
    )
    _refused(
        lambda: services.survey_close(actor=world.applicant, class_id=training_class.pk),
        "只有人社部门可以汇总满意度调查",
    )
    _refused(
        lambda: services.survey_answer(
            actor=world.applicant, class_id=training_class.pk, satisfied=True
        ),
        "满意度调查由参训学员本人填写",
    )
    held = START + dt.timedelta(days=21)
    _refused(
        lambda: services.assessment_register(
            actor=world.hr_a,
            class_id=training_class.pk,
            evaluator_id=world.evaluator.pk,
            held_on=held,
        ),
        "只有申请机构或承担考核的评价机构可以登记考核",
    )
    services.assessment_register(
        actor=world.applicant,
        class_id=training_class.pk,
        evaluator_id=world.evaluator.pk,
        held_on=held,
    )
    today(held)
    _refused(
        lambda: services.results_record(
            actor=world.applicant, class_id=training_class.pk, counts={}, certificates=[]
        ),
        "只有承担考核的评价机构可以录入考核结果",
    )
