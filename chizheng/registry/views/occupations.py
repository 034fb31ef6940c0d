"""The page of one entry of the occupational classification (2022): its groups above and the
entries below it; and the picker's options, the entries matching what was typed (a code's
start or a part of the name)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chizheng.registry.models import Occupation

from .. import selectors
from .common import actor_of

PICK_MAX = 20  # options the picker offers at once


@login_required
def occupation_detail(request: HttpRequest, code: str) -> HttpResponse:
    occupation = selectors.occupation_get(actor=actor_of(request), code=code)
    if occupation is None:
        raise Http404
    return render(
        request,
        "registry/occupation.html",
        {
            "o": occupation,
            "path": selectors.occupation_path(occupation),
            "children": selectors.occupation_children(occupation=occupation),
        },
    )


@login_required
def occupation_pick(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the occupation picker (HTMX): ``q`` or the field's own value. What is
    not a plausible code or name (too long, control characters) matches nothing."""
    typed = (request.GET.get("q") or request.GET.get("occupation_code") or "").strip()
    found: list[Occupation] = []
    if typed and len(typed) <= 40 and typed.isprintable():
        found = list(
            selectors.occupation_list(
                actor=actor_of(request), q=typed, level=Occupation.Level.OCCUPATION
            ).order_by("code")[:PICK_MAX]
        )
    return render(request, "registry/_occupation_options.html", {"found": found})
