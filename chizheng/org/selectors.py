from __future__ import annotations

from django.db.models import QuerySet

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import County, Department


def county_list(*, actor: User) -> QuerySet[County]:
    return visible(actor, County.objects.all())


def department_list(*, actor: User) -> QuerySet[Department]:
    return visible(actor, Department.objects.all())
