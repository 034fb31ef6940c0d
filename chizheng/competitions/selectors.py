"""Reads of the competitions area, each scoped by the actor (``access.visible``): the events
and contestants with the URL's filters, one event or contestant, and the tallies of the
three §11 indicators the plan reads (``progress``), by county × month, set-based.

The indicators (docs/competitions.md):

- **occupations** — the distinct occupations competed in events begun in the year up to the
  date; each counted once, in the county and month of its first event;
- **events** — the events begun in the year up to the date, in their county and month;
- **certified** — the distinct contestants (people) certified through a competition in the
  year up to the date (a certificate linked, or a level conferred), each once, in the
  county of the event and the month of his first certification.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.org.models import County, Department
from chizheng.registry.models import Institution, Occupation

from .models import Contestant, Event

# (county id, month) → records counted: the shape every indicator selector of the plan returns.
Counts = dict[tuple[int, int], int]


def event_list(
    *,
    actor: User,
    year: int | None = None,
    level: str = "",
    county: str = "",
    q: str = "",
) -> QuerySet[Event]:
    qs = visible(actor, Event.objects.all()).select_related(
        "county", "organiser_department", "organiser_institution"
    )
    if year is not None:
        qs = qs.filter(starts_on__year=year)
    if level:
        qs = qs.filter(level=level)
    if county:
        qs = qs.filter(county__code=county)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(place__contains=q))
    return qs.annotate(
        contestant_count=Count("contestants", distinct=True),
        certified_count=Count(
            "contestants", filter=Q(contestants__certified_on__isnull=False), distinct=True
        ),
    ).order_by("-starts_on", "-id")


def event_get(*, actor: User, event_id: int) -> Event:
    """One event the actor sees, or ``NotFound`` (the same for missing and forbidden)."""
    return access_by_id(
        actor,
        Event.objects.select_related("county", "organiser_department", "organiser_institution"),
        event_id,
    )


def event_occupations(*, event: Event) -> QuerySet[Occupation]:
    return event.occupations.order_by("code")


def event_years(*, actor: User) -> list[int]:
    years = visible(actor, Event.objects.all()).dates("starts_on", "year", order="DESC")
    return [d.year for d in years]


def contestant_list(
    *,
    actor: User,
    event_id: int | None = None,
    year: int | None = None,
    county: str = "",
    award: str | None = None,
    certified: bool | None = None,
    q: str = "",
) -> QuerySet[Contestant]:
    qs = visible(actor, Contestant.objects.all()).select_related(
        "event", "event__county", "person", "occupation", "certificate"
    )
    if event_id is not None:
        qs = qs.filter(event_id=event_id)
    if year is not None:
        qs = qs.filter(event__starts_on__year=year)
    if county:
        qs = qs.filter(event__county__code=county)
    if award is not None:
        qs = qs.filter(award=award)
    if certified is not None:
        qs = qs.filter(certified_on__isnull=not certified)
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(event__name__contains=q))
    return qs.order_by("-event__starts_on", "event_id", F("rank").asc(nulls_last=True), "id")


def contestant_get(*, actor: User, contestant_id: int) -> Contestant:
    return access_by_id(
        actor,
        Contestant.objects.select_related(
            "event", "event__county", "person", "occupation", "certificate"
        ),
        contestant_id,
    )


def organiser_departments(*, actor: User) -> QuerySet[Department]:
    """The departments an event may name as organiser, as the actor sees them."""
    return visible(actor, Department.objects.all())


def organiser_institutions(*, actor: User) -> QuerySet[Institution]:
    return visible(actor, Institution.objects.all()).order_by("name")


def host_counties(*, actor: User) -> QuerySet[County]:
    """The counties of the actor's city, where an event he records may be held (a department
    reads no county of its own, but its events are held in one)."""
    city_id = actor.home_city_id
    if city_id is None:
        return County.objects.none()
    return County.objects.filter(city_id=city_id).order_by("order")


# --- the plan's indicators ---------------------------------------------------------------


def _year_events(*, actor: User, year: int, until: dt.date) -> QuerySet[Event]:
    return visible(actor, Event.objects.all()).filter(
        starts_on__gte=dt.date(year, 1, 1), starts_on__lte=until
    )


def _first(rows: Any) -> Counts:
    """Each key counted once, in the (county, month) of its first row; ``rows`` are
    (key, day, county id) in the order of the day."""
    seen: set[Any] = set()
    counts: Counts = {}
    for key, day, county_id in rows:
        if key is None or key in seen:  # an event without occupations yet
            continue
        seen.add(key)
        cell = (county_id, day.month)
        counts[cell] = counts.get(cell, 0) + 1
    return counts


def progress(*, actor: User, year: int, until: dt.date) -> dict[str, Counts]:
    """The three §11 indicators by county × month, in the actor's scope: three queries."""
    events = _year_events(actor=actor, year=year, until=until)
    by_event: Counts = {}
    for r in events.values("county_id", "starts_on"):
        cell = (r["county_id"], r["starts_on"].month)
        by_event[cell] = by_event.get(cell, 0) + 1
    occupations = _first(
        events.order_by("starts_on", "id").values_list("occupations", "starts_on", "county_id")
    )
    certified = visible(actor, Contestant.objects.all()).filter(
        certified_on__gte=dt.date(year, 1, 1), certified_on__lte=until
    )
    people = _first(
        certified.order_by("certified_on", "id").values_list(
            "person_id", "certified_on", "event__county_id"
        )
    )
    return {"occupations": occupations, "events": by_event, "certified": people}
