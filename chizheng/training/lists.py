"""The class list, as every list of classes reads it (pages, API, exports): the classes the
actor sees, filtered, with the roster's size of each."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import Enrolment, Review, TrainingClass


def class_list(
    *,
    actor: User,
    status: str = "",
    q: str = "",
    county: str = "",
    occupation: str = "",
    overdue_on: dt.date | None = None,
    decisions: bool = True,
) -> QuerySet[TrainingClass]:
    """The classes the actor sees (``decisions=False``: without the rule decisions, a JSON
    document per class a list does not show); ``trainees``, the roster's size, is a
    correlated count — for the rows shown only, and out of the list's total."""
    qs = visible(actor, TrainingClass.objects.select_related("institution__county", "department"))
    if not decisions:
        qs = qs.defer("decisions")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(batch__icontains=q)
            | Q(institution__name__icontains=q)
            | Q(occupation_name__icontains=q)
        )
    if county:
        qs = qs.filter(institution__county__code=county)
    if occupation:
        qs = qs.filter(occupation_code__startswith=occupation)
    if overdue_on is not None:  # a review step still open past its deadline on that day
        late = Review.objects.filter(
            training_class=OuterRef("pk"), done_on__isnull=True, due_on__lt=overdue_on
        )
        qs = qs.filter(Exists(late))
    roster = (
        Enrolment.objects.filter(training_class=OuterRef("pk")).order_by().values("training_class")
    )
    return qs.annotate(trainees=Coalesce(Subquery(roster.annotate(n=Count("pk")).values("n")), 0))
