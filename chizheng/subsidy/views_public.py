"""The public notices (公示, §21): the claims on notice now, searchable and paged, and one
notice's page where anyone may lodge an objection. No sign-in; nothing personal unmasked."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.core.search import matching, search_query

from . import selectors, services

PUBLIC_PAGE_SIZE = 30  # notices on one page of the public list


def public_list(request: HttpRequest) -> HttpResponse:
    q = search_query(request)
    rows = matching(
        selectors.public_notices(), q, "institution", "batch", "occupation", "county", "applicant"
    )
    return render(
        request,
        "subsidy/public_list.html",
        {
            "page": Paginator(rows, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page")),
            "q": q,
            "min_days": selectors.notice_min_days(on=clock.today()),
        },
    )


def public_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    if request.method == "POST":
        try:
            services.objection_submit(
                claim_id=claim_id,
                text=request.POST.get("text", ""),
                contact=request.POST.get("contact", ""),
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "您的异议已收到，人社部门将调查处理。")
        return redirect("notices:detail", claim_id=claim_id)
    row, people = selectors.public_notice(claim_id=claim_id)
    return render(request, "subsidy/public_detail.html", {"row": row, "people": people})
