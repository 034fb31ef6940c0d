"""The review component (``core.review``) with the two chains it serves today: a class
application's (industry → HR) and a subsidy claim's (industry → HR → finance). The same
checks hold for both: who may take a step, nobody for his own institution, the second step
by another person on the first step's limit, a reason for a return or a rejection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from chizheng.accounts import permissions
from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.review import (
    Chain,
    Decision,
    Seen,
    Step,
    check_may_review,
    deadline_days,
    open_steps_for,
    pending_step,
    seen_of,
)
from chizheng.org.models import Department
from chizheng.rules import params
from chizheng.subsidy import services as subsidy
from chizheng.subsidy.models import Claim
from chizheng.subsidy.tests.conftest import CLAIM_DAY, assess
from chizheng.training import services as training
from chizheng.training.models import Review, TrainingClass
from chizheng.training.tests.conftest import World, build_world

APPLIED = dt.date(2022, 5, 20)
CLAIM_REVIEW_DAY = CLAIM_DAY + dt.timedelta(days=1)


@dataclass
class Case:
    """One reviewed object on its chain, and the app's service that takes its steps."""

    chain: Chain[Any]
    model: type[TrainingClass] | type[Claim]
    pk: int
    day: dt.date  # the day its reviewers act
    take: Callable[..., Any]  # the app's review service: take(actor=, seen=, decision=, opinion=)

    def obj(self) -> Any:
        return self.model._default_manager.get(pk=self.pk)

    def seen(self) -> Seen:
        seen = seen_of(self.chain, self.obj())
        assert seen is not None
        return seen

    def review(self, actor: User, decision: str = "approve", opinion: str = "") -> Any:
        with clock.freeze(self.day):
            return self.take(actor=actor, seen=self.seen(), decision=decision, opinion=opinion)


@pytest.fixture
def w(city: Any, make_user: Any) -> World:
    with clock.freeze(APPLIED):
        world = build_world(make_user)
    # the claim's finance level has its two reviewers (初审, 复核), or it is not submitted
    make_user(Role.FINANCE), make_user(Role.FINANCE)
    return world


def class_case(w: World) -> Case:
    with clock.freeze(APPLIED):
        training_class = w.apply()
        training.class_submit(actor=w.applicant, class_id=training_class.pk)

    def take(**kw: Any) -> Any:
        return training.class_review(class_id=training_class.pk, **kw)

    return Case(training.REVIEW_CHAIN, TrainingClass, training_class.pk, APPLIED, take)


def claim_case(w: World) -> Case:
    training_class = assess(w)
    with clock.freeze(CLAIM_DAY):
        claim = subsidy.claim_calculate(actor=w.applicant, class_id=training_class.pk)
        subsidy.claim_submit(
            actor=w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=subsidy.COMMITMENT,
        )

    def take(**kw: Any) -> Any:
        return subsidy.claim_review(claim_id=claim.pk, **kw)

    return Case(subsidy.REVIEW_CHAIN, Claim, claim.pk, CLAIM_REVIEW_DAY, take)


@pytest.fixture(params=["class application", "claim"])
def case(request: Any, w: World) -> Case:
    return class_case(w) if request.param == "class application" else claim_case(w)


# ----------------------------------------------------------------------------- the chains


@pytest.mark.parametrize(
    ("chain", "levels"),
    [
        (training.REVIEW_CHAIN, ["industry", "hr"]),
        (subsidy.REVIEW_CHAIN, ["industry", "hr", "finance"]),
    ],
)
def test_each_level_names_an_action_of_the_permission_table_and_a_limit_of_the_policy(
    chain: Chain[Any], levels: list[str]
) -> None:
    assert [lv.code for lv in chain.levels] == levels
    for lv in chain.levels:
        assert permissions.roles(lv.action), lv.action
        assert params.current().value(lv.deadline, dt.date(2022, 6, 1)) > 0
    assert chain.after(levels[0]) == chain.levels[1] and chain.after(levels[-1]) is None


def test_a_chain_whose_levels_differ_from_its_step_models_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        Chain(
            levels=training.REVIEW_CHAIN.levels[:1],
            noun="申请",
            model=Review,
            fk="training_class",
        )


def test_a_rejection_is_worded_for_its_object() -> None:
    assert training.REVIEW_CHAIN.decisions == {
        "approve": "同意",
        "return": "退回修改",
        "reject": "不予批准",
    }
    assert subsidy.REVIEW_CHAIN.decisions == {
        "approve": "同意",
        "return": "退回修改",
        "reject": "不予补贴",
    }
    assert set(subsidy.REVIEW_CHAIN.decisions) == set(Decision.values)


# ----------------------------------------------------------------------------- who may act


def test_nobody_reviews_his_own_institutions_object(case: Case, w: World, make_user: Any) -> None:
    obj = case.obj()
    # Granted the level over the object by the table, but of the object's institution.
    insider = make_user(Role.INDUSTRY, department=obj.department, institution=w.institution)
    for actor in (insider, w.applicant):
        with pytest.raises(PermissionDenied, match=f"不能审核本机构的{case.chain.noun}"):
            case.review(actor)
    step = pending_step(case.chain, case.obj())
    assert step is not None and step.done_on is None and step.reviewer_id is None
    assert case.obj().version == obj.version
    assert list(open_steps_for(actor=insider, chain=case.chain)) == []
    assert list(open_steps_for(actor=w.industry_a, chain=case.chain)) == [step]


def test_a_level_is_taken_only_by_those_the_permission_table_grants_it(
    case: Case, w: World, make_user: Any
) -> None:
    obj = case.obj()
    step = pending_step(case.chain, obj)
    assert step is not None and step.level == "industry"
    action = case.chain.level("industry").action
    # HR's role is not granted the industry level at all.
    with pytest.raises(PermissionDenied) as refused:
        check_may_review(actor=w.hr_a, chain=case.chain, obj=obj, step=step)
    assert refused.value.detail == {"action": action}
    # Another department's reviewer is granted the level, over his department's objects only.
    commerce = Department.objects.exclude(pk=obj.department_id).first()
    outsider = make_user(Role.INDUSTRY, department=commerce)
    with pytest.raises(PermissionDenied, match="您不能进行“行业主管部门初审”"):
        check_may_review(actor=outsider, chain=case.chain, obj=obj, step=step)
    check_may_review(actor=w.industry_a, chain=case.chain, obj=obj, step=step)
    assert list(open_steps_for(actor=outsider, chain=case.chain)) == []
    assert list(open_steps_for(actor=w.hr_a, chain=case.chain)) == []


# ----------------------------------------------------------------------------- the steps


def test_the_first_step_is_due_the_levels_working_days_after_acceptance(case: Case) -> None:
    step = pending_step(case.chain, case.obj())
    assert step is not None and (step.level, step.step) == ("industry", Step.FIRST)
    days = deadline_days(case.chain, "industry", step.accepted_on)
    assert days == 10
    assert step.due_on == calendar().add(step.accepted_on, days)


def test_the_second_step_is_another_persons_on_the_first_steps_limit(case: Case, w: World) -> None:
    first = case.review(w.industry_a, opinion="  材料齐全 \n")
    assert (first.reviewer_id, first.decision, first.opinion, first.done_on) == (
        w.industry_a.pk,
        "approve",
        "材料齐全",
        case.day,
    )
    second = pending_step(case.chain, case.obj())
    assert second is not None and (second.level, second.step) == ("industry", Step.SECOND)
    assert (second.accepted_on, second.due_on) == (first.accepted_on, first.due_on)
    with pytest.raises(PermissionDenied, match="复核须由初审人以外的人员进行") as refused:
        case.review(w.industry_a)
    assert refused.value.code == "same_reviewer"
    assert list(open_steps_for(actor=w.industry_a, chain=case.chain)) == []
    assert list(open_steps_for(actor=w.industry_b, chain=case.chain)) == [second]
    done = case.review(w.industry_b)
    assert done.pk == second.pk and done.reviewer_id == w.industry_b.pk


def test_a_return_or_a_rejection_needs_a_reason_and_clean_text(case: Case, w: World) -> None:
    version = case.obj().version
    reject = case.chain.decisions["reject"]
    for decision in ("return", "reject"):
        with pytest.raises(ValidationError, match=f"退回或{reject}须填写理由"):
            case.review(w.industry_a, decision, " \n ")
    with pytest.raises(ValidationError) as refused:
        case.review(w.industry_a, "return", "名册\x07不全")
    assert refused.value.detail["field"] == "opinion"
    with pytest.raises(ValidationError, match="审核结论"):
        case.review(w.industry_a, "maybe", "?")
    step = pending_step(case.chain, case.obj())
    assert step is not None and step.done_on is None
    assert case.obj().version == version
