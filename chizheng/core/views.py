"""The holiday calendar's pages: the years deadlines can count in, and a year's arrangement
(enter, paste the notice, check, confirm, export, history). Thin: parse, call one service
or selector, render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chizheng.accounts.models import User

from . import clock, holiday_export, holiday_selectors, holiday_services
from .errors import DomainError
from .forms import ImportForm, YearForm, parse_rows, rows_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _reachable(actor: User, year: int, today: dt.date) -> holiday_selectors.YearDetail:
    """The year's page exists for an entered year and for one the office may enter."""
    if not 2000 <= year <= today.year + 2:  # before any query: the URL takes any integer
        raise Http404
    detail = holiday_selectors.holiday_year_detail(actor=actor, year=year)
    if detail.entered is None and year not in holiday_services.editable_years(today):
        raise Http404
    return detail


@login_required
@require_GET
def calendar_index(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    overview = holiday_selectors.calendar_overview(actor=_actor(request), today=today)
    return render(request, "core/calendar_index.html", {"overview": overview, "today": today})


def _page(
    request: HttpRequest,
    detail: holiday_selectors.YearDetail,
    *,
    form: YearForm | None = None,
    rows: list | None = None,
    errors: list[str] | None = None,
    import_form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    y = detail.entered
    revision = y.revision if y else 0
    form = form or YearForm(
        initial={
            "source": y.source if y else f"国务院办公厅关于{detail.year}年部分节假日安排的通知",
            "notice_number": y.notice_number if y else "",
            "notice_date": y.notice_date if y else None,
            "revision": revision,
        }
    )
    raw_date = form["notice_date"].value()
    names = {h.code: h.name for h in detail.holidays}
    context = {
        "notice_date_value": raw_date.isoformat()
        if isinstance(raw_date, dt.date)
        else raw_date or "",
        "summary": [
            (
                "、".join(names.get(c, c) for c in b.holidays),
                b.first_off,
                b.last_off,
                b.length,
                "、".join(f"{d:%Y-%m-%d}" for d in b.workdays),
            )
            for b in detail.blocks
        ],
        "detail": detail,
        "form": form,
        "rows": rows if rows is not None else rows_for(detail.blocks, detail.holidays),
        "errors": errors or [],
        "import_form": import_form or ImportForm(initial={"revision": revision}),
        "revision": revision,
    }
    return render(request, "core/calendar_year.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    actor, today = _actor(request), clock.today()
    detail = _reachable(actor, year, today)
    if request.method == "GET":
        return _page(request, detail)
    form = YearForm(request.POST)
    parsed = parse_rows(request.POST, detail.holidays)
    errors = list(parsed.errors)
    if form.is_valid() and not errors:
        try:
            holiday_services.holiday_year_save(
                actor=actor,
                year=year,
                source=form.cleaned_data["source"],
                notice_number=form.cleaned_data["notice_number"],
                notice_date=form.cleaned_data["notice_date"],
                blocks=parsed.blocks,
                revision=form.cleaned_data["revision"],
            )
        except DomainError as e:
            if e.http_status == 403:
                raise
            errors.append(e.message)
        else:
            messages.success(request, f"{year}年的节假日安排已保存")
            return redirect("core:calendar_year", year=year)
    for name, field_errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        errors.extend(f"{label}：{e}" for e in field_errors)
    return _page(request, detail, form=form, rows=parsed.rows, errors=errors, status=422)


@login_required
@require_POST
def calendar_import(request: HttpRequest, year: int) -> HttpResponse:
    actor, today = _actor(request), clock.today()
    detail = _reachable(actor, year, today)
    form = ImportForm(request.POST)
    if form.is_valid():
        try:
            holiday_services.holiday_year_import(
                actor=actor,
                year=year,
                text=form.cleaned_data["text"],
                source=detail.entered.source if detail.entered else "",
                revision=form.cleaned_data["revision"],
            )
        except DomainError as e:
            if e.http_status == 403:
                raise
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已按通知内容填入{year}年的节假日安排，请核对后确认启用")
            return redirect("core:calendar_year", year=year)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return _page(request, detail, import_form=form, errors=errors, status=422)


@login_required
@require_POST
def calendar_confirm(request: HttpRequest, year: int) -> HttpResponse:
    actor, today = _actor(request), clock.today()
    _reachable(actor, year, today)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        holiday_services.holiday_year_confirm(actor=actor, year=year, revision=revision)
    except DomainError as e:
        if e.http_status == 403:
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, f"{year}年的节假日安排已启用：跨入{year}年的期限从现在起按它计算")
    return redirect("core:calendar_year", year=year)


@login_required
@require_GET
def calendar_export(request: HttpRequest, year: int) -> HttpResponse:
    detail = _reachable(_actor(request), year, clock.today())
    response = HttpResponse(holiday_export.year_xlsx(detail), content_type=XLSX)
    name = f"{year}年节假日安排.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"calendar-{year}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
