"""The review chain of an object of 附件2, and the one service that takes a step of it.

Every stage of 附件2 has the same shape: levels in order (行业主管部门, 人社部门, 财政部门 …),
each a first review (初审) by one person and a second (复核) by another of the same unit, due
a number of working days after the level accepted the object. A ``Chain`` declares an
object's levels; this module opens their steps, says who may take the pending one and
records his decision. The apps fire their own transitions and open their next level: a
chain knows no statuses.

Who may take a step: the level's action in the permission table (``accounts.permissions``)
over the object; nobody for an object of his own institution; the second step of a level
not by the person who did its first (``same_reviewer``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet, TextChoices

from chizheng.accounts import permissions
from chizheng.accounts.access import visible
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.inputs import LONG_TEXT, check_choice, check_text
from chizheng.core.workflow import TransitionRefused
from chizheng.rules import params

from .models import Decision, ReviewStep, Step, Versioned, choice_labels
from .seen import Seen, check_seen

S = TypeVar("S", bound=ReviewStep)


@dataclass(frozen=True)
class Level:
    """One level of a chain: the value its steps store, its Chinese name, the action of the
    permission table that lets a reviewer take its steps, and the policy parameter of its
    limit in working days (both steps together, from the level's acceptance)."""

    code: str
    label: str
    action: str
    deadline: str

    @classmethod
    def of(cls, choice: TextChoices, *, action: str, deadline: str) -> Level:
        """The level of a step model's ``Level`` choice (its value and label)."""
        return cls(
            code=str(choice.value), label=str(choice.label), action=action, deadline=deadline
        )


@dataclass(frozen=True)
class Chain(Generic[S]):
    """The levels an object goes through, in order, and where its steps are kept: ``model``
    (a ``ReviewStep``) pointing at the object by ``fk``. ``noun`` names the object in
    messages (申请, 申领); ``institution`` is the path from the object to the institution
    whose people may not review it."""

    levels: tuple[Level, ...]
    noun: str
    model: type[S]
    fk: str
    institution: str | None = "institution"

    def __post_init__(self) -> None:
        # The step model's ``Level`` choices and the chain's levels must not drift apart.
        declared = choice_labels(self.model, "level")
        mine = {lv.code: lv.label for lv in self.levels}
        if declared != mine:
            raise ValueError(f"{self.model.__name__}.level declares {declared}, the chain {mine}")

    def level(self, code: str) -> Level:
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(f"no level {code!r} in the chain of the {self.model.__name__}")

    def after(self, code: str) -> Level | None:
        """The level that follows ``code``, if any."""
        codes = [lv.code for lv in self.levels]
        i = codes.index(code) + 1
        return self.levels[i] if i < len(codes) else None

    @property
    def decisions(self) -> Mapping[str, str]:
        """The decisions of a step, worded for this object (the step model's choices)."""
        return choice_labels(self.model, "decision")

    def steps(self, obj: Versioned) -> QuerySet[S]:
        return self.model._default_manager.filter(**{self.fk: obj})

    def step_label(self, step: ReviewStep) -> str:
        """行业主管部门初审 …"""
        return f"{self.level(step.level).label}{Step(step.step).label}"


def deadline_days(chain: Chain[Any], level: str, on: dt.date) -> int:
    """The level's limit in working days, as in force on ``on``."""
    return int(params.current().value(chain.level(level).deadline, on))


def open_step(chain: Chain[S], obj: Versioned, *, level: str, step: str, accepted_on: dt.date) -> S:
    """Open a step of ``level``. A first step is due the level's limit in working days after
    ``accepted_on``; a second counts against the same limit from the same acceptance."""
    first = (
        chain.steps(obj).filter(level=level, step=Step.FIRST).order_by("-id").first()
        if step == Step.SECOND
        else None
    )
    if first is not None:
        accepted_on, due_on = first.accepted_on, first.due_on
    else:
        due_on = calendar().add(accepted_on, deadline_days(chain, level, accepted_on))
    return chain.model._default_manager.create(
        **{chain.fk: obj}, level=level, step=step, accepted_on=accepted_on, due_on=due_on
    )


def pending_step(chain: Chain[S], obj: Versioned, *, lock: bool = False) -> S | None:
    """The open step of the object (the oldest, should there be more), row-locked when
    ``lock`` (inside the caller's transaction, after the object's own lock)."""
    qs = chain.steps(obj).filter(done_on__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("id").first()


def latest(steps: Iterable[S], level: str, step: str, *, done: bool = False) -> S | None:
    """The last of ``steps`` (in their order) of that level and step; only a done one when
    ``done``. For pages that show a level's 初审 and 复核 from steps already read."""
    return next(
        (
            s
            for s in reversed(list(steps))
            if s.level == level and s.step == step and (s.done_on or not done)
        ),
        None,
    )


def seen_of(chain: Chain[Any], obj: Versioned) -> Seen | None:
    """The pending step and the object's version: what a review request must name."""
    pending = pending_step(chain, obj)
    if pending is None:
        return None
    return Seen(level=pending.level, step=pending.step, version=obj.version)


def check_may_review(*, actor: User, chain: Chain[Any], obj: Versioned, step: ReviewStep) -> None:
    """Refuse unless the actor may take ``step`` of ``obj``."""
    own = permissions.owner_of(obj, chain.institution) if chain.institution else None
    if own is not None and actor.institution_id == own:
        raise PermissionDenied(
            f"不能审核本机构的{chain.noun}", message_en="no one reviews his own institution"
        )
    permissions.require(
        actor, chain.level(step.level).action, obj, message=f"您不能进行“{chain.step_label(step)}”"
    )
    if step.step == Step.SECOND:
        first = (
            chain.steps(obj)
            .filter(level=step.level, step=Step.FIRST, done_on__isnull=False)
            .order_by("-id")
            .first()
        )
        if first is not None and first.reviewer_id == actor.pk:
            raise PermissionDenied(
                "复核须由初审人以外的人员进行",
                message_en="the second review must be by another person",
                code="same_reviewer",
            )


def record_decision(
    *,
    actor: User,
    chain: Chain[S],
    obj: Versioned,
    seen: Seen,
    decision: str,
    opinion: str = "",
) -> S:
    """Take the pending step of ``obj`` (locked by the caller): who may, what he saw, what he
    decided and why. Approve needs no reason; return and reject do. The caller fires its
    transition and opens the next step."""
    step = pending_step(chain, obj, lock=True)
    if step is None:
        raise TransitionRefused(f"该{chain.noun}没有待办审核", message_en="no review step is open")
    check_may_review(actor=actor, chain=chain, obj=obj, step=step)
    check_seen(
        seen,
        level=step.level,
        step=step.step,
        version=obj.version,
        pending=chain.step_label(step),
        what=chain.noun,
    )
    check_choice(decision, chain.decisions, field="decision", label="审核结论")
    check_text(opinion, field="opinion", label="审核意见", max_length=LONG_TEXT, multiline=True)
    opinion = opinion.strip()
    if decision != Decision.APPROVE and not opinion:
        raise ValidationError(
            f"退回或{chain.decisions[Decision.REJECT]}须填写理由",
            message_en="a return or a rejection needs a reason",
            detail={"field": "opinion"},
        )
    step.reviewer, step.decision, step.opinion, step.done_on = (
        actor,
        decision,
        opinion,
        clock.today(),
    )
    step.save()
    return step


def open_steps_for(*, actor: User, chain: Chain[S]) -> QuerySet[S]:
    """The open steps the actor may take: of the levels his role is granted, in his scope,
    not of his own institution, and no second step of a level whose first he did."""
    levels = [lv.code for lv in chain.levels if permissions.can(actor, lv.action)]
    qs = visible(actor, chain.model._default_manager.filter(done_on__isnull=True, level__in=levels))
    if chain.institution and actor.institution_id is not None:
        path = chain.institution.replace(".", "__")
        qs = qs.exclude(**{f"{chain.fk}__{path}": actor.institution_id})
    first_by_me = chain.model._default_manager.filter(
        **{chain.fk: OuterRef(chain.fk)},
        level=OuterRef("level"),
        step=Step.FIRST,
        reviewer_id=actor.pk,
    )
    return qs.exclude(Q(step=Step.SECOND) & Exists(first_by_me))


def may_take(actor: User, chain: Chain[Any], step: ReviewStep, obj: Versioned) -> bool:
    """Whether the permission table grants the step's level over ``obj`` to the actor (the
    queue's last word on a row: its scope is the access layer's)."""
    return permissions.can(actor, chain.level(step.level).action, obj)
