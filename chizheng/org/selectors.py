"""Reads of the organisation (the city, its counties, the departments), scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User

from .models import County, Department


def county_list(*, actor: User) -> QuerySet[County]:
    return visible(actor, County.objects.all())


def county_options() -> list[tuple[str, str]]:
    """Every county's code and short name, for the public site's filters (public data)."""
    return list(County.objects.order_by("order").values_list("code", "short_name"))


def county_get(*, actor: User, code: str) -> County:
    """The county with this code (区划代码) if the actor sees it, else ``NotFound`` — the same
    for an unknown code and a county outside the actor's scope."""
    pk = County.objects.filter(code=code).values_list("id", flat=True).first()
    return access_by_id(actor, county_list(actor=actor), pk or 0)


def department_list(*, actor: User) -> QuerySet[Department]:
    return visible(actor, Department.objects.all())


def department_by_code(*, code: str) -> Department | None:
    """Reference look-up (no actor needed): the department a record names by its code."""
    return Department.objects.filter(code=code).first()
