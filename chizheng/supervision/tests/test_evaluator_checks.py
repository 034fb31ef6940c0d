"""The half-yearly special checks of the evaluation institutions (§20(4)): planned once for
every filed evaluator, recorded once with every checklist item, a serious problem handled by
a sanction of the registry (the office's), each county seeing and recording its own only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.core.errors import DomainError, NotFound, PermissionDenied
from chizheng.core.models import AuditEvent
from chizheng.org.models import County
from chizheng.registry.models import Institution, Sanction
from chizheng.supervision import evaluator_check_services as services
from chizheng.supervision.evaluator_check_selectors import coverage
from chizheng.supervision.models import EvaluatorCheck

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 5, 10)


@pytest.fixture
def scene(
    make_user: Callable[..., User], make_institution: Callable[..., Institution], today: Any
) -> dict[str, Any]:
    today(DAY)

    def evaluator(code: str, name: str, filed: bool = True) -> Institution:
        return make_institution(
            code,
            name=name,
            kind=Institution.Kind.EVALUATOR,
            filing_status=Institution.FilingStatus.FILED if filed else "",
            department=None,
        )

    return {
        "mine": evaluator("410402", "新华评价站"),
        "other": evaluator("410482", "汝州评价站"),
        "unfiled": evaluator("410402", "未备案站", filed=False),
        "office": make_user(Role.PROGRAMME_OFFICE),
        "hr": make_user(Role.COUNTY_HR, county=County.objects.get(code="410402")),
        "other_hr": make_user(Role.COUNTY_HR, county=County.objects.get(code="410482")),
    }


def _all_ok(n: int) -> dict[int, tuple[bool, str]]:
    return {k: (True, "") for k in range(n)}


def test_every_filed_evaluator_is_planned_once_a_period(scene: dict[str, Any]) -> None:
    assert services.evaluator_checks_plan(actor=scene["office"], year=2022, half=1) == 2
    assert services.evaluator_checks_plan(actor=scene["office"], year=2022, half=1) == 0
    checks = EvaluatorCheck.objects.filter(year=2022, half=1)
    assert {c.evaluator.name for c in checks} == {"新华评价站", "汝州评价站"}
    assert {c.due_on for c in checks} == {dt.date(2022, 6, 30)}
    assert AuditEvent.objects.filter(action="supervision.evaluator_checks_plan").count() == 1
    with pytest.raises(PermissionDenied):
        services.evaluator_checks_plan(actor=scene["hr"], year=2022, half=2)
    with pytest.raises(DomainError):
        services.evaluator_checks_plan(actor=scene["office"], year=2022, half=3)


def test_a_check_is_recorded_once_with_every_item(scene: dict[str, Any]) -> None:
    services.evaluator_checks_plan(actor=scene["office"], year=2022, half=1)
    check = EvaluatorCheck.objects.get(evaluator=scene["mine"])
    n = len(services.checklist_items(DAY))
    record: dict[str, Any] = dict(
        actor=scene["hr"], check_id=check.pk, held_on=DAY, findings="", handling="none"
    )
    with pytest.raises(DomainError, match="请逐项填写"):
        services.evaluator_check_record(**record, results={0: (True, "")})
    failing = _all_ok(n) | {1: (False, "")}
    with pytest.raises(DomainError, match="请说明发现的问题"):
        services.evaluator_check_record(**record, results=failing)
    failing = _all_ok(n) | {1: (False, "2名考评员无资格证书")}
    with pytest.raises(DomainError, match="处理方式不能为"):
        services.evaluator_check_record(**record, results=failing)
    with pytest.raises(DomainError, match="检查日期应在"):
        services.evaluator_check_record(
            **(record | {"held_on": dt.date(2022, 7, 1)}), results=_all_ok(n)
        )
    with pytest.raises(DomainError, match="处理方式应为"):
        services.evaluator_check_record(**(record | {"handling": "fine"}), results=_all_ok(n))
    assert EvaluatorCheck.objects.get(pk=check.pk).state == EvaluatorCheck.State.PLANNED
    done = services.evaluator_check_record(
        **(record | {"handling": "rectify", "findings": "考评员配备不足"}),
        results=failing,
    )
    assert done.state == EvaluatorCheck.State.DONE and done.sanction is None
    assert [i["ok"] for i in done.checklist].count(False) == 1
    with pytest.raises(DomainError, match="不能重复登记"):
        services.evaluator_check_record(**record, results=_all_ok(n))
    cov = coverage(actor=scene["office"], year=2022, half=1, today=dt.date(2022, 7, 2))
    assert (cov.planned, cov.done, cov.overdue) == (2, 1, 1)


def test_a_blacklist_goes_through_the_registry_and_is_the_offices(scene: dict[str, Any]) -> None:
    services.evaluator_checks_plan(actor=scene["office"], year=2022, half=1)
    check = EvaluatorCheck.objects.get(evaluator=scene["mine"])
    n = len(services.checklist_items(DAY))
    failing = _all_ok(n) | {0: (False, "超出备案范围发证")}
    record: dict[str, Any] = dict(
        check_id=check.pk, held_on=DAY, findings="超范围评价", handling="blacklist"
    )
    with pytest.raises(PermissionDenied, match="须由市人社局决定"):
        services.evaluator_check_record(actor=scene["hr"], results=failing, **record)
    done = services.evaluator_check_record(actor=scene["office"], results=failing, **record)
    assert done.sanction is not None and done.sanction.kind == Sanction.Kind.BLACKLIST
    assert done.sanction.institution_id == scene["mine"].pk and "超范围评价" in done.sanction.reason


def test_a_county_sees_and_records_its_own_only(scene: dict[str, Any]) -> None:
    services.evaluator_checks_plan(actor=scene["office"], year=2022, half=1)
    theirs = EvaluatorCheck.objects.get(evaluator=scene["other"])
    n = len(services.checklist_items(DAY))
    with pytest.raises((NotFound, PermissionDenied)):
        services.evaluator_check_record(
            actor=scene["hr"],
            check_id=theirs.pk,
            held_on=DAY,
            results=_all_ok(n),
            findings="",
            handling="none",
        )
    client = Client()
    client.force_login(scene["hr"])
    page = client.get("/supervision/evaluator-checks/?year=2022&half=1").content.decode()
    assert "新华评价站" in page and "汝州评价站" not in page and "制定本期检查计划" not in page
    assert client.get(f"/supervision/evaluator-checks/{theirs.pk}/").status_code == 404
    body = client.get("/supervision/evaluator-checks/?year=2022&half=1&format=xlsx").content
    import io

    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["新华评价站"]


def test_the_pages_plan_and_record(scene: dict[str, Any]) -> None:
    office = Client()
    office.force_login(scene["office"])
    response = office.post("/supervision/evaluator-checks/plan/", {"year": "2022", "half": "1"})
    assert response.status_code == 302
    check = EvaluatorCheck.objects.get(evaluator=scene["mine"])
    n = len(services.checklist_items(DAY))
    hr = Client()
    hr.force_login(scene["hr"])
    page = hr.get(f"/supervision/evaluator-checks/{check.pk}/").content.decode()
    assert 'data-testid="check-form"' in page
    bad = hr.post(f"/supervision/evaluator-checks/{check.pk}/", {"held_on": "x"})
    assert bad.status_code == 422 and "请填写检查日期" in bad.content.decode()
    form = {"held_on": DAY.isoformat(), "handling": "none", "findings": ""}
    form |= {f"item_{k}": "ok" for k in range(n)}
    assert hr.post(f"/supervision/evaluator-checks/{check.pk}/", form).status_code == 302
    page = hr.get(f"/supervision/evaluator-checks/{check.pk}/").content.decode()
    assert 'data-testid="check-record"' in page and "未发现问题" in page
    listed = hr.get("/supervision/evaluator-checks/?year=2022&half=1").content.decode()
    assert "未发现问题" in listed and ">none<" not in listed  # the handling's name, not its code
