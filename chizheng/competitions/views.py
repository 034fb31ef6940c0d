"""Pages of the competitions area, under /competitions/: the events (filtered by year, level,
county and a search in the URL, paginated, exported as .xlsx), recording one, an event's
page (its contestants, entering one, importing a file), the contestants of every event
(filtered, exported) and a contestant's result and certification. Offered to whom
``competition.view`` is granted; what each sees is the access layer's."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.accounts.access import can, require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.org.selectors import county_list
from chizheng.registry.imports import template_xlsx_of
from chizheng.registry.tables import XLSX, export_xlsx

from . import forms, imports, selectors, services
from .exports import CONTESTANT_TABLE, EVENT_TABLE, organiser
from .models import Award, Level

PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a contestants list is a few hundred rows


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _viewer(request: HttpRequest) -> User:
    actor = _actor(request)
    require(actor, "competition.view", message="无权查看职业技能竞赛")
    return actor


def _download(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _filters(request: HttpRequest, actor: User) -> dict[str, Any]:
    """The URL's filters, each checked; a bad one is said in Chinese and left out."""
    got = request.GET
    out: dict[str, Any] = {"year": None, "county": "", "q": ""}
    year = got.get("year", "").strip()
    if year:
        if year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100:
            out["year"] = int(year)
        else:
            messages.error(request, f"年度“{year[:10]}”无效，已忽略")
    county = got.get("county", "").strip()
    if county:
        if county in {c.code for c in county_list(actor=actor)}:
            out["county"] = county
        else:
            messages.error(request, "未知的县（市、区），已忽略")
    q = got.get("q", "").strip()[:50]
    if q.isprintable():
        out["q"] = q
    else:
        messages.error(request, "搜索内容含有无效字符，已忽略")
    return out


def _common(request: HttpRequest, actor: User) -> dict[str, Any]:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return {
        "counties": [(c.code, c.short_name) for c in county_list(actor=actor)],
        "years": selectors.event_years(actor=actor),
        "params": params.urlencode(),
        "may_record": can(actor, "competition.record"),
    }


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    chosen = _filters(request, actor)
    level = request.GET.get("level", "").strip()
    if level and level not in Level.values:
        messages.error(request, "未知的竞赛级别，已忽略")
        level = ""
    chosen["level"] = level
    qs = selectors.event_list(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        body = export_xlsx(EVENT_TABLE, qs.prefetch_related("occupations").iterator(chunk_size=500))
        return _download(body, f"职业技能竞赛赛事-{clock.today():%Y%m%d}.xlsx")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/list.html",
        {"page": page, "levels": Level.choices, "chosen": chosen, **_common(request, actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    require(actor, "competition.record", message="您的角色无权登记竞赛赛事")
    initial: dict[str, Any] = {"starts_on": clock.today(), "ends_on": clock.today()}
    if actor.department_id:
        initial["organiser_department"] = actor.department_id
    form = forms.EventForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_create(
                actor=actor,
                name=d["name"],
                level=d["level"],
                occupation_codes=form.codes(),
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                place=d["place"],
                county_id=d["county"].pk,
                organiser_department_id=d["organiser_department"].pk
                if d["organiser_department"]
                else None,
                organiser_institution_id=d["organiser_institution"].pk
                if d["organiser_institution"]
                else None,
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记赛事“{event.name}”")
            return redirect("competitions:event", event_id=event.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "competitions/form.html", {"form": form, "title": "登记竞赛赛事"}, status=status
    )


def _event_page(
    request: HttpRequest,
    actor: User,
    event_id: int,
    *,
    add_form: forms.ContestantForm | None = None,
    import_errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    event = selectors.event_get(actor=actor, event_id=event_id)
    occupations = list(selectors.event_occupations(event=event))
    choices = [(o.code, f"{o.code} {o.name}") for o in occupations]
    contestants = selectors.contestant_list(actor=actor, event_id=event.pk)
    return render(
        request,
        "competitions/event.html",
        {
            "event": event,
            "organiser": organiser(event),
            "occupations": occupations,
            "contestants": contestants,
            "certified": sum(1 for c in contestants if c.certified_on),
            "may_record": can(actor, "competition.record", event),
            "add_form": add_form or forms.ContestantForm(occupations=choices),
            "import_form": forms.ImportForm(),
            "import_errors": import_errors or [],
        },
        status=status,
    )


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    return _event_page(request, _viewer(request), event_id)


@login_required
@require_POST
def contestant_add(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = _viewer(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    choices = [(o.code, o.code) for o in selectors.event_occupations(event=event)]
    form = forms.ContestantForm(request.POST, occupations=choices)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.contestant_add(
                actor=actor,
                event_id=event.pk,
                name=d["name"],
                id_number=d["id_number"],
                occupation_code=d["occupation_code"],
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已添加选手")
            return redirect("competitions:event", event_id=event.pk)
    return _event_page(request, actor, event.pk, add_form=form, status=422)


@login_required
@require_POST
def contestants_import(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = _viewer(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的文件")
        return _event_page(request, actor, event.pk, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD_BYTES:
        messages.error(request, f"文件不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB")
        return _event_page(request, actor, event.pk, status=422)
    try:
        n = imports.contestants_import(
            actor=actor, event_id=event.pk, filename=upload.name or "", content=upload.read()
        )
    except DomainError as e:
        messages.error(request, e.message)
        errors = (e.detail or {}).get("errors", []) if isinstance(e.detail, dict) else []
        return _event_page(request, actor, event.pk, import_errors=errors, status=422)
    messages.success(request, f"已导入{n}名选手")
    return redirect("competitions:event", event_id=event.pk)


@login_required
def contestants_template(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = _viewer(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    return _download(template_xlsx_of(imports.contestants_kind(event)), "竞赛选手导入模板.xlsx")


def _contestant_filters(request: HttpRequest, actor: User) -> dict[str, Any]:
    chosen = _filters(request, actor)
    award = request.GET.get("award")
    if award is not None and award not in Award.values:
        messages.error(request, "未知的奖项，已忽略")
        award = None
    chosen["award"] = award
    certified = request.GET.get("certified", "")
    chosen["certified"] = {"1": True, "0": False}.get(certified)
    return chosen


@login_required
def contestant_list(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    chosen = _contestant_filters(request, actor)
    qs = selectors.contestant_list(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        body = export_xlsx(CONTESTANT_TABLE, qs.iterator(chunk_size=2000))
        return _download(body, f"职业技能竞赛选手-{clock.today():%Y%m%d}.xlsx")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/contestants.html",
        {"page": page, "awards": Award.choices, "chosen": chosen, **_common(request, actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contestant_result(request: HttpRequest, contestant_id: int) -> HttpResponse:
    actor = _viewer(request)
    contestant = selectors.contestant_get(actor=actor, contestant_id=contestant_id)
    require(actor, "competition.record", contestant.event, message="无权登记该赛事的成绩")
    initial = {
        "score": contestant.score,
        "rank": contestant.rank,
        "award": contestant.award,
        "certificate_number": contestant.certificate.number if contestant.certificate else "",
        "conferred_level": contestant.conferred_level,
        "conferred_on": contestant.conferred_on or contestant.event.ends_on,
    }
    form = forms.ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.contestant_record(
                actor=actor,
                contestant_id=contestant.pk,
                score=d["score"],
                rank=d["rank"],
                award=d["award"] or "",
                certificate_number=d["certificate_number"] or "",
                conferred_level=d["conferred_level"],
                conferred_on=d["conferred_on"] if d["conferred_level"] is not None else None,
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记{contestant.person.name}的成绩")
            return redirect("competitions:event", event_id=contestant.event_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "competitions/form.html",
        {
            "form": form,
            "title": f"{contestant.event.name} · {contestant.person.name}（{contestant.person.id_masked}）",
            "back": contestant.event_id,
        },
        status=status,
    )
