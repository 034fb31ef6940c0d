"""Reads of certificates, scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import Certificate


def certificate_list(*, actor: User) -> QuerySet[Certificate]:
    """The certificates the actor sees (a worker: his own), newest first."""
    return visible(actor, Certificate.objects.all()).order_by("-issued_on")
