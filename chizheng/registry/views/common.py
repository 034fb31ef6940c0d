"""What the registry pages share: the signed-in actor, file downloads, and running a service
for a valid form (a domain error becomes the form's error)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chizheng.accounts.models import User
from chizheng.core.errors import DomainError

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def actor_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def download(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def submit(form: django_forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service for a valid form; a domain error becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return action()
    except DomainError as e:
        form.add_error(None, e.message)
        return None


def back_with_errors(
    request: HttpRequest, form: django_forms.Form, view: str, pk: int
) -> HttpResponse:
    """Back to the record's page, or the form's errors (422) when the action was refused."""
    if form.errors:
        return render(
            request,
            "registry/form.html",
            {"form": form, "title": "提交有误", "readonly": True},
            status=422,
        )
    return redirect(view, pk=pk)
