"""What each role's home page shows (a selector: reads only, scoped by the actor)."""

from __future__ import annotations

from typing import Any

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.accounts.reviewers import PEOPLE_PER_LEVEL, departments_without_reviewers
from chizheng.core import clock
from chizheng.core.holiday_selectors import next_year_warning
from chizheng.org.selectors import county_list
from chizheng.registry.selectors import institution_list, person_list
from chizheng.subsidy.individual_selectors import my_certificates, my_claims
from chizheng.training.models import Status
from chizheng.training.selectors import my_attendance, overdue_reviews, review_queue, status_counts

from .alerts import alerts_for
from .next_steps import next_steps
from .todo import todo_list


def home_for(*, actor: User) -> dict[str, Any]:
    institutions = institution_list(actor=actor)
    people = person_list(actor=actor)
    today = clock.today()
    trainee = can(actor, "trainee.own")  # a trainee's home lists his own classes, certificates
    todo, todo_total = todo_list(actor=actor, today=today)
    classes = status_counts(actor=actor)
    queue = len(review_queue(actor=actor, today=today))
    return {
        "todo": todo,  # the review steps waiting on him, the earliest deadline first
        "todo_total": todo_total,
        "today": today,
        "next_year": next_year_warning(actor=actor, today=today),
        "alerts": alerts_for(actor=actor, today=today),  # findings, sanctions ending
        "classes": classes,
        # an institution's own classes by state, each opening its list
        "by_state": [(s, label, classes[s]) for s, label in Status.choices if classes[s]]
        if can(actor, "class.apply")
        else [],
        "queue": queue,
        "overdue": overdue_reviews(actor=actor, today=today).count(),
        "scope_label": actor.get_scope_label() if hasattr(actor, "get_scope_label") else "",
        "counts": {
            "institutions": institutions.count(),
            "people": people.count(),
            "counties": county_list(actor=actor).count(),
        },
        "institutions": institutions[:10],
        # his classes with the hours signed in and what the assessment still needs (§21)
        "my_classes": my_attendance(actor=actor) if trainee else [],
        # each with its next step: 个人申领补贴, or where its subsidy stands
        "my_certificates": my_certificates(actor=actor)[:20] if trainee else [],
        "my_claims": my_claims(actor=actor)[:20] if trainee else [],
        "trainee": trainee,
        # No application goes nowhere (附件2): the departments the office must staff.
        "understaffed": departments_without_reviewers(actor=actor)
        if can(actor, "reviewers.watch")
        else [],
        "people_per_level": PEOPLE_PER_LEVEL,
        "next_steps": next_steps(actor=actor, today=today, classes=classes, waiting=queue),
        # the registry's figures mean something to those who read the registry only
        "registry": can(actor, "registry.view"),
        "api": can(actor, "api.token") or can(actor, "registry.view"),
    }
