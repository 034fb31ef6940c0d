"""The electronic training record's pages: the worker's own (/record/) and a person's, for
the officials who see him (/record/<person>/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from chizheng.accounts.models import User

from . import record_selectors


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET"])
def my_record(request: HttpRequest) -> HttpResponse:
    record = record_selectors.training_record(actor=_actor(request))
    return render(request, "subsidy/record.html", {"record": record, "mine": True})


@login_required
@require_http_methods(["GET"])
def person_record(request: HttpRequest, person_id: int) -> HttpResponse:
    record = record_selectors.training_record(actor=_actor(request), person_id=person_id)
    return render(request, "subsidy/record.html", {"record": record, "mine": False})
