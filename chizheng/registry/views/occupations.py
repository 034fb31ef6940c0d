"""The page of one entry of the occupational classification (2022): its groups above and the
entries below it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from .common import actor_of


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
