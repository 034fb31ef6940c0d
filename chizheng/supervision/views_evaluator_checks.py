"""The evaluation institutions' special checks (§20(4)): a period's checks with how many are
done, planning the period (the office), one check's page with its record form or its
record, and the period's list as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.accounts.access import can, require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.registry.views.common import download

from . import evaluator_check_selectors as selectors
from . import evaluator_check_services as services
from .exports_checks import checks_xlsx
from .models import EvaluatorCheck


def _actor(request: HttpRequest) -> User:
    actor: User = request.user  # type: ignore[assignment]
    require(actor, "supervision.view", message="无权查看评价机构专项检查")
    return actor


def _period(request: HttpRequest) -> tuple[int, int]:
    today = clock.today()
    year, half = today.year, 1 if today.month <= 6 else 2
    raw_year, raw_half = request.GET.get("year", ""), request.GET.get("half", "")
    if raw_year:
        if raw_year.isascii() and raw_year.isdigit() and 2000 <= int(raw_year) <= today.year:
            year = int(raw_year)
        else:
            messages.error(request, f"年度“{raw_year[:10]}”无效，已显示本期")
    if raw_half:
        if raw_half in ("1", "2"):
            half = int(raw_half)
        else:
            messages.error(request, "半年应为 1（上半年）或 2（下半年），已显示本期")
    return year, half


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year, half = _period(request)
    state = request.GET.get("state", "")
    if state and state not in EvaluatorCheck.State.values:
        messages.error(request, "未知的检查状态，已忽略")
        state = ""
    qs = selectors.evaluator_check_list(actor=actor, year=year, half=half, state=state)
    start, end = services.period_bounds(year, half)
    names = {code: o["name"] for code, o in services.handling_options(end).items()}
    if request.GET.get("format") == "xlsx":
        name = f"评价机构专项检查-{year}年{'上' if half == 1 else '下'}半年"
        return download(
            checks_xlsx(qs, names),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return render(
        request,
        "supervision/evaluator_checks.html",
        {
            "checks": [(c, names.get(c.handling, c.handling)) for c in qs],
            "year": year,
            "half": half,
            "state": state,
            "states": EvaluatorCheck.State.choices,
            "start": start,
            "end": end,
            "coverage": selectors.coverage(actor=actor, year=year, half=half, today=clock.today()),
            "may_plan": can(actor, "evaluator_check.plan"),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def check_plan(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year, half = request.POST.get("year", ""), request.POST.get("half", "")
    if not (year.isascii() and year.isdigit() and half in ("1", "2")):
        messages.error(request, "请选择年度和半年")
        return redirect("supervision:evaluator_checks")
    try:
        made = services.evaluator_checks_plan(actor=actor, year=int(year), half=int(half))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            f"已为 {made} 家评价机构制定专项检查计划" if made else "各评价机构本期已有检查计划",
        )
    return redirect(reverse("supervision:evaluator_checks") + f"?year={year}&half={half}")


@login_required
@require_http_methods(["GET", "POST"])
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    actor = _actor(request)
    check = selectors.evaluator_check_get(actor=actor, check_id=check_id)
    on = check.held_on or clock.today()
    items = services.checklist_items(on)
    options = services.handling_options(on)
    error, status = "", 200
    if request.method == "POST":
        results: dict[int, tuple[bool, str]] = {}
        for k in range(len(items)):
            got = request.POST.get(f"item_{k}", "")
            if got in ("ok", "problem"):
                results[k] = (got == "ok", request.POST.get(f"note_{k}", ""))
        try:
            held_on = dt.date.fromisoformat(request.POST.get("held_on", ""))
        except ValueError:
            error, status = "请填写检查日期（年-月-日）", 422
        else:
            try:
                services.evaluator_check_record(
                    actor=actor,
                    check_id=check.pk,
                    held_on=held_on,
                    results=results,
                    findings=request.POST.get("findings", ""),
                    handling=request.POST.get("handling", ""),
                )
            except DomainError as e:
                error, status = e.message, 422
            else:
                messages.success(request, "专项检查已登记")
                return redirect("supervision:evaluator_check", check_id=check.pk)
    return render(
        request,
        "supervision/evaluator_check.html",
        {
            "check": check,
            "items": list(enumerate(items)),
            "options": [(code, o["name"], o.get("sanction", "")) for code, o in options.items()],
            "handling_name": options.get(check.handling, {}).get("name", ""),
            "may_record": check.state == EvaluatorCheck.State.PLANNED
            and can(actor, "evaluator_check.record", check),
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
            "today": clock.today(),
        },
        status=status,
    )
