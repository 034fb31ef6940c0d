"""The class list, as every list of classes reads it (pages, API, exports): the classes the
actor sees, filtered, with the roster's size of each."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import Enrolment, TrainingClass


def class_list(
    *,
    actor: User,
    status: str = "",
    q: str = "",
    county: str = "",
    occupation: str = "",
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
    roster = (
        Enrolment.objects.filter(training_class=OuterRef("pk")).order_by().values("training_class")
    )
    return qs.annotate(trainees=Coalesce(Subquery(roster.annotate(n=Count("pk")).values("n")), 0))
