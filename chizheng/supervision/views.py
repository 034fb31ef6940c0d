"""Pages of the supervision area, under /supervision/: the findings (filtered by year, kind,
county and institution in the URL, paginated, exported as .xlsx) and one finding with its
evidence; the cases (核查案件): their list (filters and search in the URL, .xlsx), one case
with the action of its current step at the top, opening one from a finding, its evidence
files. Offered to whom ``supervision.view`` is granted; what each sees is the access
layer's (a county bureau its county's findings and cases)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chizheng.accounts.access import can, require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.org.selectors import county_list
from chizheng.registry.tables import XLSX, export_xlsx

from . import case_selectors, case_services, selectors
from .case_flow import CASES
from .exports import CASE_TABLE, FINDING_TABLE
from .forms import AssignForm, ConcludeForm, NoteForm, OpenForm
from .models import Case, Finding

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _year(request: HttpRequest) -> int | None:
    """The URL's year (2000–2100); a bad one is said in Chinese and left out."""
    year = request.GET.get("year", "").strip()
    if not year:
        return None
    if year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100:
        return int(year)
    messages.error(request, f"年度“{year[:10]}”无效，已忽略")
    return None


def _county(request: HttpRequest, actor: User) -> str:
    """The URL's county code, one the actor sees; another is said in Chinese and left out."""
    county = request.GET.get("county", "").strip()
    if county and county not in {c.code for c in county_list(actor=actor)}:
        messages.error(request, "未知的县（市、区），已忽略")
        return ""
    return county


def _filters(request: HttpRequest, actor: User) -> dict[str, Any]:
    """The URL's filters, each checked; a bad one is said in Chinese and left out."""
    got = request.GET
    out: dict[str, Any] = {"year": None, "kind": "", "state": "", "county": "", "institution": None}
    out["year"] = _year(request)
    state = got.get("state", "").strip()
    if state:
        if state in Finding.State.values:
            out["state"] = state
        else:
            messages.error(request, "未知的线索状态，已忽略")
    kind = got.get("kind", "").strip()
    if kind:
        if kind in Finding.Kind.values:
            out["kind"] = kind
        else:
            messages.error(request, "未知的线索类型，已忽略")
    out["county"] = _county(request, actor)
    institution = got.get("institution", "").strip()
    if institution:
        if institution.isascii() and institution.isdigit():
            out["institution"] = int(institution)
        else:
            messages.error(request, "培训机构编号无效，已忽略")
    return out


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看监督核查线索")
    chosen = _filters(request, actor)
    qs = selectors.finding_list(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        return _xlsx(export_xlsx(FINDING_TABLE, qs.iterator(chunk_size=2000)), "监督核查线索")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "supervision/list.html",
        {
            "page": page,
            "kinds": Finding.Kind.choices,
            "states": Finding.State.choices,
            "counties": [(c.code, c.short_name) for c in county_list(actor=actor)],
            "institutions": selectors.finding_institutions(actor=actor),
            "years": selectors.finding_years(actor=actor),
            "chosen": chosen,
            "params": params.urlencode(),
        },
    )


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看监督核查线索")
    finding = selectors.finding_get(actor=actor, finding_id=finding_id)
    cases = case_selectors.case_list(actor=actor).filter(findings=finding)
    return render(request, "supervision/detail.html", {"finding": finding, "cases": cases})


def _xlsx(body: bytes, title: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    name = f"{title}-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _case_filters(request: HttpRequest, actor: User) -> dict[str, Any]:
    """The case list's filters from the URL; a bad one is said in Chinese and left out."""
    got = request.GET
    out: dict[str, Any] = {"state": "", "county": "", "year": None, "q": "", "assignee": None}
    state = got.get("state", "").strip()
    if state:
        if state in Case.State.values:
            out["state"] = state
        else:
            messages.error(request, "未知的案件状态，已忽略")
    out["county"] = _county(request, actor)
    out["year"] = _year(request)
    q = got.get("q", "").strip()
    if q:
        if len(q) > 100 or any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in q):
            messages.error(request, "搜索内容不能超过100个字符且不能含有控制字符，已忽略")
        else:
            out["q"] = q
    if got.get("mine") == "1":
        out["assignee"] = actor.pk
    return out


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看核查案件")
    chosen = _case_filters(request, actor)
    qs = case_selectors.case_list(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        return _xlsx(export_xlsx(CASE_TABLE, qs.iterator(chunk_size=2000)), "核查案件")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "supervision/case_list.html",
        {
            "page": page,
            "states": Case.State.choices,
            "counties": [(c.code, c.short_name) for c in county_list(actor=actor)],
            "years": case_selectors.case_years(actor=actor),
            "chosen": chosen,
            "mine": request.GET.get("mine") == "1",
            "params": params.urlencode(),
        },
    )


@login_required
@require_POST
def case_open(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    ids = [
        int(x)
        for x in request.POST.getlist("findings")
        if x.isascii() and x.isdigit() and len(x) < 19
    ]
    form = OpenForm(request.POST, finding_ids=ids)
    back = request.POST.get("back") == "detail" and ids
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect(
            reverse("supervision:detail", args=[ids[0]]) if back else "supervision:list"
        )
    try:
        case = case_services.case_open(
            actor=actor, finding_ids=form.cleaned_data["findings"], title=form.cleaned_data["title"]
        )
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(
            reverse("supervision:detail", args=[ids[0]]) if back else "supervision:list"
        )
    messages.success(request, f"已立案：{case.number}")
    return redirect("supervision:case", case_id=case.pk)


def _lines(actor: User, case: Case) -> list[tuple[int, str]]:
    return [
        (ln.pk, f"{ln.claim.title}｜{ln.person.name}｜{ln.amount} 元")
        for ln in case_selectors.recoverable_lines(actor=actor, case=case)
    ]


def _institutions(case: Case) -> list[tuple[int, str]]:
    return sorted(
        {(f.institution.pk, f.institution.name) for f in case.findings.all() if f.institution},
        key=lambda x: x[1],
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看核查案件")
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    steps = [t for t in CASES.available(case, actor) if can(actor, t.action, case)]
    may_note = not case.concluded and can(actor, "case.investigate", case)
    return render(
        request,
        "supervision/case_detail.html",
        {
            "case": case,
            "findings": case.findings.select_related("institution").order_by("-score", "id"),
            "steps": {t.name for t in steps},
            "may_assign": not case.concluded and can(actor, "case.assign", case),
            "may_note": may_note,
            "assignees": case_selectors.assignees(case=case) if not case.concluded else [],
            "lines": _lines(actor, case) if "recover" in {t.name for t in steps} else [],
            "institutions": _institutions(case),
            "sanction_kinds": ConcludeForm.base_fields["sanction_kind"].choices,  # type: ignore[attr-defined]
            "notes": case.notes.select_related("author").prefetch_related("files"),
            "history": [
                (t, CASES.transitions[t.name].label)
                for t in case.transitions.select_related("actor")
            ],
            "recoveries": case.recoveries.select_related("disbursement__claim"),
            "sanctions": case.sanctions.select_related("institution"),
        },
    )


def _form_error(form: Any) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}{e}"
        for k, errs in form.errors.items()
        for e in errs
    )


@login_required
@require_POST
def case_act(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """One step on a case: assign, investigate, note (with a file), conclude."""
    actor = _actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    done = {"assign": "已指派承办人", "investigate": "已开始核查", "note": "核查记录已保存"}
    try:
        if step == "assign":
            form: Any = AssignForm(request.POST)
            if form.is_valid():
                case_services.case_assign(
                    actor=actor, case_id=case.pk, assignee_id=form.cleaned_data["assignee"]
                )
        elif step == "investigate":
            form = None
            case_services.case_investigate(actor=actor, case_id=case.pk)
        elif step == "note":
            form = NoteForm(request.POST, request.FILES)
            if form.is_valid():
                f = form.cleaned_data.get("file")
                upload = case_services.Upload(f.name, f.read()) if f is not None else None
                case_services.case_note(
                    actor=actor, case_id=case.pk, text=form.cleaned_data["text"], upload=upload
                )
        elif step == "conclude":
            form = ConcludeForm(
                request.POST, lines=_lines(actor, case), institutions=_institutions(case)
            )
            if form.is_valid():
                d = form.cleaned_data
                case_services.case_conclude(
                    actor=actor,
                    case_id=case.pk,
                    outcome=d["outcome"],
                    conclusion=d["conclusion"],
                    line_ids=d["lines"] if d["outcome"] == Case.State.RECOVERY else None,
                    sanction_kind=d["sanction_kind"],
                    institution_id=d["institution"],
                )
                done["conclude"] = f"案件{Case.State(d['outcome']).label}"
        else:
            messages.error(request, "未知的操作")
            return redirect("supervision:case", case_id=case.pk)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if form is not None and not form.is_valid():
            messages.error(request, _form_error(form))
        else:
            messages.success(request, done[step])
    return redirect("supervision:case", case_id=case.pk)


@login_required
def case_file(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看核查案件")
    f = case_selectors.case_file_get(actor=actor, file_id=file_id)
    response = HttpResponse(bytes(f.data), content_type=f.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
