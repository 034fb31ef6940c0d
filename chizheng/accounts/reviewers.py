"""Who can review what: the active users the permission table grants a review level over an
object, the refusal of an application that would wait in nobody's queue, and the
departments the programme office must staff.

附件2's reviews are 初审 and 复核 by two different people of the same unit, so a level with
fewer than two people who may act cannot finish: an application or a claim is refused at
submission rather than left waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from chizheng.core.errors import ValidationError

from . import permissions
from .access import visible
from .models import User

# 初审 by one person, 复核 by another (附件2): the document's shape, not a policy value.
PEOPLE_PER_LEVEL = 2


class NoReviewer(ValidationError):
    code = "no_reviewer"
    http_status = 409


def reviewers_for(*, action: str, obj: Any) -> list[User]:
    """The active users who may do review ``action`` on ``obj``."""
    candidates = User.objects.filter(is_active=True, role__in=permissions.roles(action))
    return [u for u in candidates.order_by("id") if permissions.can(u, action, obj)]


def ensure_reviewers(*, levels: dict[str, str], obj: Any, what: str) -> None:
    """Refuse (``no_reviewer``) unless every level (action → its Chinese name, e.g.
    ``{"class.review.industry": "市工信局"}``) has two people who may act on ``obj``;
    ``what`` is 开班申请 or 补贴申领."""
    short = [(name, len(reviewers_for(action=action, obj=obj))) for action, name in levels.items()]
    short = [(name, n) for name, n in short if n < PEOPLE_PER_LEVEL]
    if short:
        who = "、".join(f"{name}（现有 {n} 人）" for name, n in short)
        raise NoReviewer(
            f"{who}可办理审核的在岗人员不足 {PEOPLE_PER_LEVEL} 人（初审、复核须由不同人员办理），"
            f"本{what}提交后将无人审核，暂不能提交。请联系市人社局（领导小组办公室）配置审核人员",
            message_en=f"fewer than {PEOPLE_PER_LEVEL} active reviewers at: "
            + ", ".join(name for name, _ in short),
            detail={"levels": [{"unit": name, "reviewers": n} for name, n in short]},
        )


@dataclass(frozen=True)
class Understaffed:
    department_id: int
    name: str
    reviewers: int


def departments_without_reviewers(*, actor: User) -> list[Understaffed]:
    """The departments of the actor's scope that classes are applied to and that have fewer
    than two active reviewers (the programme office staffs them)."""
    from chizheng.org.models import Department

    rows: QuerySet[Department] = (
        visible(actor, Department.objects.all())
        .filter(Q(institutions__isnull=False) | Q(classes__isnull=False))
        .annotate(
            reviewers=Count(
                "users",
                filter=Q(
                    users__is_active=True,
                    users__role__in=permissions.roles("class.review.industry"),
                ),
                distinct=True,
            )
        )
        .filter(reviewers__lt=PEOPLE_PER_LEVEL)
        .distinct()
        .order_by("code")
    )
    return [Understaffed(d.pk, d.name, d.reviewers) for d in rows]  # type: ignore[attr-defined]
