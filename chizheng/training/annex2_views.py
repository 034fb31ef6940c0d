"""Thin pages of 附件2 as one document: the HTML print view and the PDF of a class's whole
form (both from ``annex2.annex2``, so another scope's class is "not found"), and the boxes
an office signs on the class page (the HR bureau's opinions, the assessment's patrol)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from chizheng.core.errors import DomainError
from chizheng.core.lazy import lazy_import
from chizheng.subsidy.services import COMMITMENT

from . import annex2, services
from .forms import OpinionForm
from .models import Opinion
from .views import _act, _actor, _back, _form_errors, _staff_view

# Loaded when a PDF is first asked for (chizheng.core.lazy): ReportLab is not start-up work.
if TYPE_CHECKING:
    from . import pdf
else:
    pdf = lazy_import("chizheng.training.pdf")


@login_required
def form_print(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    _staff_view(actor)
    form = annex2.annex2(actor=actor, class_id=class_id)
    return render(
        request,
        "training/print.html",
        {
            "annex2": form,
            "half": form.half,
            "form": form.claim_form,
            "industry_label": form.industry_label,
            "notice_min_days": form.notice_min_days,
            "commitment": COMMITMENT,
        },
    )


@login_required
def form_pdf(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    _staff_view(actor)
    form = annex2.annex2(actor=actor, class_id=class_id)
    response = HttpResponse(pdf.form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="class-{class_id}-fujian2.pdf"'
    return response


@login_required
@require_POST
def opinion_add(request: HttpRequest, class_id: int) -> HttpResponse:
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    kind = form.cleaned_data["kind"]
    return _act(
        request,
        class_id,
        f"{Opinion.Kind(kind).label}已登记",
        lambda: services.opinion_record(
            actor=_actor(request), class_id=class_id, kind=kind, text=form.cleaned_data["text"]
        ),
    )
