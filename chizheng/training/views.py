"""Thin pages of the class lifecycle: parse, call one service or selector, render."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chizheng.accounts.access import can, require
from chizheng.accounts.models import User
from chizheng.assessment import certificate_mix
from chizheng.core import clock
from chizheng.core.errors import DomainError, PermissionDenied
from chizheng.core.lazy import lazy_import

from . import annex2, exports, jobs, selectors, services, workflow
from .forms import (
    AssessmentForm,
    ClassForm,
    ContractForm,
    InspectionForm,
    ReviewForm,
    RosterForm,
    SessionForm,
    SurveyForm,
)
from .models import FinalAssessment, Mode, Opinion, Status

# Loaded when first used (chizheng.core.lazy): Arrow is not start-up work.
if TYPE_CHECKING:
    from chizheng.online import selectors as online_selectors
else:
    online_selectors = lazy_import("chizheng.online.selectors")

LIST_PAGE_SIZE = 50  # classes a page of the class list shows


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _staff_view(actor: User) -> None:
    """A trainee reaches his class only through his own pages (home, survey): the class page
    shows the whole roster, the reviews and the bank account (``class.view`` is not his)."""
    if not can(actor, "class.view"):
        raise PermissionDenied("学员请在首页查看本人的培训与证书", message_en="not for trainees")


def _back(
    request: HttpRequest, class_id: int, error: DomainError | None = None, ok: str = ""
) -> HttpResponse:
    if error:
        messages.error(request, error.message)
    elif ok:
        messages.success(request, ok)
    return redirect("training:detail", class_id=class_id)


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[f].label if f in form.fields else ''}：{'，'.join(e)}"
        for f, e in form.errors.items()
    )


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = selectors.class_list(
        actor=actor,
        status=request.GET.get("status", ""),
        q=request.GET.get("q", "").strip(),
        county=request.GET.get("county", ""),
        overdue_on=clock.today() if request.GET.get("overdue") == "1" else None,
        decisions=False,
    )
    if request.GET.get("format") == "xlsx":
        if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
            job = jobs.export_start(actor=actor, filters=request.GET)
            return redirect("jobs:detail", pk=job.pk)
        return exports.class_list_xlsx(qs)
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))  # "abc": page 1
    return render(
        request,
        "training/list.html",
        {
            "classes": page.object_list,
            "total": page.paginator.count,
            "page": page,
            "statuses": Status.choices,
            "counts": selectors.status_counts(actor=actor),
            "query": request.GET,
        },
    )


def _class_form(actor: User, data: Any = None, initial: Any = None) -> ClassForm:
    return ClassForm(data, initial=initial, **selectors.class_form_choices(actor=actor))


@login_required
def class_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can(actor, "class.apply"):
        messages.error(request, "只有培训机构或企业可以申请开班")
        return redirect("training:list")
    form = _class_form(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training_class = services.class_create(actor=actor, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "开班申请已保存为草稿，请添加人员名册后提交")
            return redirect("training:detail", class_id=training_class.pk)
    return render(request, "training/form.html", {"form": form, "title": "新建开班申请"})


@login_required
def class_edit(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    training_class = selectors.class_get(actor=actor, class_id=class_id)
    initial = {f: getattr(training_class, f) for f in services.CLASS_FIELDS}
    initial.update(selectors.class_links(training_class=training_class))
    form = _class_form(actor, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_update(actor=actor, class_id=class_id, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            return _back(request, class_id, ok="已保存修改")
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"修改开班申请 {training_class}", "training_class": training_class},
    )


@login_required
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    _staff_view(actor)
    training_class = selectors.class_get(actor=actor, class_id=class_id)
    half = annex2.class_half(training_class=training_class)
    assessment = half.assessment
    records = selectors.class_records(training_class=training_class)
    seen = selectors.review_seen(training_class=training_class)  # the review form carries it back
    evaluators = selectors.evaluator_choices(training_class=training_class)
    attendance = (
        selectors.attendance_of(actor=actor, training_class=training_class)
        if training_class.status in TRAINING_UNDER_WAY
        else None
    )
    recognition = {r.session.pk: r for r in attendance.sessions} if attendance else {}
    context = {
        "training_class": training_class,
        "tag_names": selectors.class_tag_names(training_class=training_class),
        "half": half,
        "opening": half.opening,
        "assessment": assessment,
        "trainees": half.trainees,
        # the boxes of 附件2 the actor may sign now (an opinion, the assessment's patrol)
        "opinion_kinds": [
            (kind, Opinion.Kind(kind).label) for kind in services.may_give(actor, training_class)
        ],
        "actions": {t.name for t in workflow.available(training_class, actor)},
        **selectors.decision_summary(training_class.decisions),
        "history": selectors.history(training_class=training_class),
        **records,
        "review_form": ReviewForm(initial=asdict(seen) if seen else None),
        "roster_form": RosterForm(),
        "apprenticeship": selectors.apprenticeship(training_class=training_class)
        if training_class.mode == Mode.APPRENTICESHIP
        else None,
        "contract_form": ContractForm(),
        "session_form": SessionForm(),
        "inspection_form": InspectionForm(initial={"held_on": training_class.start_date}),
        "assessment_form": AssessmentForm(
            evaluators=evaluators, pure_online=training_class.mode == Mode.ONLINE
        ),
        "evidence": services.evidence_report(training_class=training_class)
        if records["sessions"] or half.opening
        else None,
        # What the actor may do to this class (the table, asked with the class): the page
        # offers only these forms.
        "may_apply": can(actor, "class.apply", training_class),
        "may_deliver": can(actor, "class.deliver", training_class),
        "mix_over": certificate_mix.over_cap(assessment.certificate_mix if assessment else None),
        "may_register_assessment": can(
            actor, "assessment.register", FinalAssessment(training_class=training_class)
        ),
        "may_record_results": assessment is not None
        and can(actor, "assessment.record", assessment),
        "may_bind_course": can(actor, "online.bind", training_class),
        "today": clock.today(),
        "online": online_selectors.class_online(actor=actor, training_class=training_class),
        "attendance": attendance,
        # each session with what §19 recognises of it (None: online theory, or not yet judged)
        "session_rows": [(s, recognition.get(s.pk)) for s in records["sessions"]],
    }
    return render(request, "training/detail.html", context)


# The class page counts attendance once training has begun (§21).
TRAINING_UNDER_WAY = {Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED}


@login_required
@require_POST
def roster_add(request: HttpRequest, class_id: int) -> HttpResponse:
    form = RosterForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    try:
        r = services.roster_add(
            actor=_actor(request),
            class_id=class_id,
            id_numbers=form.cleaned_data["id_numbers"].split(),
        )
    except DomainError as e:
        return _back(request, class_id, e)
    note = f"新增{r.added}人，已在名册{r.already}人"
    if r.unknown:
        note += f"；{len(r.unknown)}人尚未在人员库登记：{'、'.join(r.unknown)}"
    return _back(request, class_id, ok=note)


@login_required
@require_POST
def contract_set(request: HttpRequest, class_id: int, person_id: int) -> HttpResponse:
    form = ContractForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    return _act(
        request,
        class_id,
        "劳动合同已登记",
        lambda: services.apprentice_contract_set(
            actor=_actor(request), class_id=class_id, person_id=person_id, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def class_check(request: HttpRequest, class_id: int) -> HttpResponse:
    _staff_view(_actor(request))
    training_class = selectors.class_get(actor=_actor(request), class_id=class_id)
    report = services.class_check(training_class=training_class)
    return render(
        request,
        "training/_decisions.html",
        selectors.decision_summary([d.as_dict() for d in report.decisions]),
    )


def _act(request: HttpRequest, class_id: int, ok: str, call: Any) -> HttpResponse:
    try:
        call()
    except DomainError as e:
        return _back(request, class_id, e)
    return _back(request, class_id, ok=ok)


@login_required
@require_POST
def class_submit(request: HttpRequest, class_id: int) -> HttpResponse:
    return _act(
        request,
        class_id,
        "已提交，等待行业主管部门初审",
        lambda: services.class_submit(actor=_actor(request), class_id=class_id),
    )


@login_required
@require_POST
def class_review(request: HttpRequest, class_id: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    return _act(
        request,
        class_id,
        "审核意见已提交",
        lambda: services.class_review(
            actor=_actor(request),
            class_id=class_id,
            decision=form.cleaned_data["decision"],
            opinion=form.cleaned_data["opinion"],
            seen=form.seen(),
        ),
    )


@login_required
@require_POST
def class_withdraw(request: HttpRequest, class_id: int) -> HttpResponse:
    return _act(
        request,
        class_id,
        "申请已撤回",
        lambda: services.class_withdraw(
            actor=_actor(request), class_id=class_id, reason=request.POST.get("reason", "")
        ),
    )


@login_required
@require_POST
def class_start(request: HttpRequest, class_id: int) -> HttpResponse:
    return _act(
        request,
        class_id,
        "已开班",
        lambda: services.class_start(actor=_actor(request), class_id=class_id),
    )


@login_required
@require_POST
def session_add(request: HttpRequest, class_id: int) -> HttpResponse:
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    return _act(
        request,
        class_id,
        "课程已登记",
        lambda: services.session_add(actor=_actor(request), class_id=class_id, **form.cleaned_data),
    )


@login_required
@require_POST
def attendance(request: HttpRequest, class_id: int, session_id: int) -> HttpResponse:
    present = [int(v) for v in request.POST.getlist("present")]
    return _act(
        request,
        class_id,
        "签到已登记",
        lambda: services.attendance_record(
            actor=_actor(request), session_id=session_id, present_person_ids=present
        ),
    )


@login_required
@require_POST
def inspection_add(request: HttpRequest, class_id: int) -> HttpResponse:
    form = InspectionForm(request.POST)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    return _act(
        request,
        class_id,
        "检查情况已登记",
        lambda: services.inspection_record(
            actor=_actor(request), class_id=class_id, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def assessment_register(request: HttpRequest, class_id: int) -> HttpResponse:
    evaluators = [(int(request.POST.get("evaluator_id", "0") or 0), "")]
    form = AssessmentForm(request.POST, evaluators=evaluators)
    if not form.is_valid():
        return _back(request, class_id, DomainError(_form_errors(form)))
    return _act(
        request,
        class_id,
        "结业考核已登记",
        lambda: services.assessment_register(
            actor=_actor(request), class_id=class_id, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def results(request: HttpRequest, class_id: int) -> HttpResponse:
    import datetime as dt

    actor = _actor(request)
    training_class = selectors.class_get(actor=actor, class_id=class_id)
    try:
        kind = request.POST["certificate_type"]
        level = int(request.POST["skill_level"]) if request.POST.get("skill_level") else None
        issued_on = dt.date.fromisoformat(request.POST["issued_on"])
        taking = int(request.POST["taking"])
    except (KeyError, ValueError):
        return _back(request, class_id, DomainError("请填写证书类型、发证日期和参加考核人数"))
    certificates = [
        services.CertificateIn(
            e.person_id, request.POST[f"number_{e.pk}"].strip(), kind, level, issued_on
        )
        for e in selectors.class_enrolments(training_class=training_class)
        if request.POST.get(f"number_{e.pk}", "").strip()
    ]
    return _act(
        request,
        class_id,
        "考核结果已录入",
        lambda: services.results_record(
            actor=actor,
            class_id=class_id,
            counts={kind: (taking, len(certificates))},
            certificates=certificates,
        ),
    )


@login_required
@require_POST
def survey_close(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        out = services.survey_close(actor=_actor(request), class_id=class_id)
    except DomainError as e:
        return _back(request, class_id, e)
    note = f"满意度 {out.share:.1%}（{out.satisfied}/{out.responses}）"
    if out.suspended:
        note += f"，低于{out.minimum:.0%}，已对机构停止开班整改"
    return _back(request, class_id, ok=note)


@login_required
def survey(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    training_class = selectors.class_get(actor=actor, class_id=class_id)
    form = SurveyForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=actor, class_id=class_id, **form.cleaned_data)
            done = True
        except DomainError as e:
            form.add_error(None, e.message)
    return render(
        request,
        "training/survey.html",
        {"training_class": training_class, "form": form, "done": done},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = clock.today()
    items = selectors.review_queue(actor=actor, today=today)
    return render(request, "training/queue.html", {"items": items, "today": today})


@login_required
def inspection_plan(request: HttpRequest) -> HttpResponse:
    require(_actor(request), "inspection.record")  # the plan is not shown to those inspected
    today = clock.today()
    items = selectors.inspection_plan(actor=_actor(request), on=today)
    return render(
        request,
        "training/inspection_plan.html",
        {
            "items": [i for i in items if i.chosen],
            "left_out": [i for i in items if not i.chosen],
            "today": today,
        },
    )
