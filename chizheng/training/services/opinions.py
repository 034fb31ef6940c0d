"""The boxes of 附件2 that are an office's signed word on a stage of the class
(``training.Opinion``): the county HR bureau's opinion on the supervision (人力资源社会保障部门
检查意见, after 过程监管), an inspector's patrol of the final assessment (考核巡查人员签字) and
the county HR bureau's opinion on the results (人力资源社会保障部门意见, after 结业考核).

Each is one person's word, dated the day it is given: the form has no 初审/复核 and no seal
for them, so they are not a review chain (``core.review``), and no transition waits for
them — the document does not make the claim or anything else depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice, check_text
from chizheng.core.logging import mask_text

from .. import workflow
from ..models import FinalAssessment, Opinion, Status, TrainingClass
from .common import _classes

OPINION_MAX = Opinion._meta.get_field("text").max_length or 500


@dataclass(frozen=True)
class Step:
    """Where a kind of opinion belongs: the action that grants it, the statuses in which it
    may be given, and who may (the refusal's wording)."""

    action: str
    statuses: frozenset[str]
    who: str
    stage: str  # the stage it follows, for the refusal


STEPS: dict[str, Step] = {
    Opinion.Kind.SUPERVISION: Step(
        "class.opinion.supervision",
        frozenset({Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED}),
        "只有培训班所在县（市、区）的人力资源社会保障部门可以出具检查意见",
        "开班后",
    ),
    Opinion.Kind.PATROL: Step(
        "assessment.patrol",
        frozenset({Status.ASSESSMENT_REGISTERED, Status.ASSESSED}),
        "只有检查人员可以登记考核巡查",
        "登记结业考核后",
    ),
    Opinion.Kind.RESULTS: Step(
        "class.opinion.results",
        frozenset({Status.ASSESSED}),
        "只有培训班所在县（市、区）的人力资源社会保障部门可以对考核结果出具意见",
        "录入考核结果后",
    ),
}


def may_give(actor: User, training_class: TrainingClass) -> list[str]:
    """The kinds of opinion the actor may give on the class now (the page offers these)."""
    return [
        kind
        for kind, step in STEPS.items()
        if training_class.status in step.statuses and can(actor, step.action, training_class)
    ]


@transaction.atomic
def opinion_record(*, actor: User, class_id: int, kind: str, text: str) -> Opinion:
    """Record one opinion or patrol, dated today. Refused out of its stage, empty, too long,
    with control characters, before the assessment is held (a patrol) or a second time by
    the same patroller."""
    check_choice(kind, Opinion.Kind, field="kind", label="意见类型")
    step = STEPS[kind]
    require(actor, step.action, message=step.who)
    training_class: TrainingClass = access_by_id(
        actor, _classes().select_for_update(of=("self",)), class_id
    )
    require(actor, step.action, training_class, message=step.who)
    if training_class.status not in step.statuses:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的培训班不能登记"
            f"{Opinion.Kind(kind).label}（{step.stage}登记）"
        )
    text = check_text(
        text.strip(), field="text", label="意见", max_length=OPINION_MAX, multiline=True
    )
    if not text:
        raise ValidationError("请填写意见", message_en="text is empty", detail={"field": "text"})
    today = clock.today()
    if kind == Opinion.Kind.PATROL:
        assessment = FinalAssessment.objects.get(training_class=training_class)
        if today < assessment.held_on:
            raise ValidationError(
                f"结业考核定于{assessment.held_on}，考核当日或之后方可登记巡查",
                detail={"field": "kind"},
            )
        if training_class.opinions.filter(kind=kind, author=actor).exists():
            raise ValidationError("您已登记本次考核的巡查，不能重复登记", detail={"field": "kind"})
    o = Opinion.objects.create(
        training_class=training_class,
        kind=kind,
        text=text,
        author=actor,
        given_on=today,
        at=clock.now(),
    )
    audit.record(
        actor=actor,
        action=f"class.opinion.{kind}",
        obj=o,
        after={
            "class": training_class.pk,
            "kind": kind,
            "text": mask_text(text),
            "given_on": today,
        },
    )
    return o
