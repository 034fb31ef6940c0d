"""Reads from the registries, always scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import Institution, Person
from .services import id_index


def institution_list(*, actor: User) -> QuerySet[Institution]:
    return visible(actor, Institution.objects.select_related("county", "department"))


def person_list(*, actor: User) -> QuerySet[Person]:
    return visible(actor, Person.objects.select_related("county").defer("id_number", "phone"))


def person_by_id_number(*, actor: User, id_number: str) -> Person | None:
    return person_list(actor=actor).filter(id_index=id_index(id_number)).first()
