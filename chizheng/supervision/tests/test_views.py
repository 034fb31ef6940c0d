"""/supervision/: the city's offices and inspectors see the city's findings, a county bureau
its county's, institutions and the rest nothing; filters come from the URL and bad ones are
said in Chinese; the export escapes formulas; a finding's page shows its evidence."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from chizheng.accounts.models import Role
from chizheng.org.models import County
from chizheng.supervision.models import Finding

pytestmark = pytest.mark.django_db


def _finding(
    county: County, kind: str = "sign_in_above_present", summary: str = "", **kw: Any
) -> Finding:
    n = Finding.objects.count() + 1
    return Finding.objects.create(
        year=2022,
        kind=kind,
        clause="§21",
        key=f"{kind}:{n}",
        summary=summary or f"{county.short_name} 第 {n} 条",
        subjects=[{"kind": "person", "id": 1, "label": "张三（410402********0011）"}],
        evidence={
            "columns": ["检查", "签到人数", "在位人数"],
            "rows": [["培训期间检查", 12, 10]],
            "compared": "签到 12 人 > 在位 10 人",
        },
        score=Decimal("10"),
        county=county,
        found_at=timezone.now(),
        **kw,
    )


@pytest.fixture
def findings(county: Any, make_institution: Any) -> dict[str, Finding]:
    inst = make_institution("410402")
    return {
        "xinhua": _finding(county("410402"), institution=inst),
        "ruzhou": _finding(county("410482"), kind="shared_phone", summary='=HYPERLINK("x")'),
    }


def _login(client: Any, make_user: Any, role: str, **scope: Any) -> Any:
    client.force_login(make_user(role, **scope))
    return client


@pytest.mark.parametrize("role", [Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.INSPECTOR])
def test_the_city_sees_every_county(client: Any, make_user: Any, findings: Any, role: str) -> None:
    page = _login(client, make_user, role).get(reverse("supervision:list"))
    assert page.status_code == 200
    shown = {f.pk for f in page.context["page"].object_list}
    assert shown == {f.pk for f in findings.values()}


def test_a_county_sees_only_its_own(
    client: Any, make_user: Any, findings: Any, county: Any
) -> None:
    c = _login(client, make_user, Role.COUNTY_HR, county=county("410402"))
    page = c.get(reverse("supervision:list"))
    assert [f.pk for f in page.context["page"].object_list] == [findings["xinhua"].pk]
    assert c.get(reverse("supervision:detail", args=[findings["ruzhou"].pk])).status_code == 404
    assert c.get(reverse("supervision:detail", args=[findings["xinhua"].pk])).status_code == 200
    body = c.get(reverse("supervision:list") + "?format=xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    assert ws is not None and ws.max_row == 2  # the header and its one finding


@pytest.mark.parametrize(
    "role", [Role.INSTITUTION, Role.EVALUATOR, Role.FINANCE, Role.INDUSTRY, Role.WORKER]
)
def test_others_get_nothing(
    client: Any, make_user: Any, make_institution: Any, make_person: Any, findings: Any, role: str
) -> None:
    from chizheng.org.models import Department

    scopes: dict[str, dict[str, Any]] = {
        Role.INSTITUTION: {"institution": make_institution()},
        Role.EVALUATOR: {"institution": make_institution()},
        Role.INDUSTRY: {"department": Department.objects.get(code="miit")},
        Role.WORKER: {"person": make_person()},
    }
    scope = scopes.get(role, {})
    c = _login(client, make_user, role, **scope)
    for url in (
        reverse("supervision:list"),
        reverse("supervision:list") + "?format=xlsx",
        reverse("supervision:detail", args=[findings["xinhua"].pk]),
    ):
        r = c.get(url)
        assert r.status_code in (403, 404), (role, url)
        assert "张三" not in r.content.decode(errors="ignore")


def test_filters_from_the_url_and_bad_ones_said(client: Any, make_user: Any, findings: Any) -> None:
    c = _login(client, make_user, Role.PROGRAMME_OFFICE)
    page = c.get(reverse("supervision:list") + "?kind=shared_phone")
    assert [f.pk for f in page.context["page"].object_list] == [findings["ruzhou"].pk]
    page = c.get(
        reverse("supervision:list")
        + "?county=410402&institution="
        + str(findings["xinhua"].institution_id)
    )
    assert [f.pk for f in page.context["page"].object_list] == [findings["xinhua"].pk]
    page = c.get(reverse("supervision:list") + "?kind=nonsense&year=abc&institution=x&page=zz")
    assert page.status_code == 200
    text = page.content.decode()
    assert "未知的线索类型" in text and "年度“abc”无效" in text and "培训机构编号无效" in text
    assert len(page.context["page"].object_list) == 2


def test_the_export_escapes_formulas(client: Any, make_user: Any, findings: Any) -> None:
    body = (
        _login(client, make_user, Role.PROGRAMME_OFFICE)
        .get(reverse("supervision:list") + "?format=xlsx")
        .content
    )
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    assert ws is not None
    summaries = [r[7] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in summaries


def test_a_finding_shows_its_evidence_in_chinese(
    client: Any, make_user: Any, findings: Any
) -> None:
    page = _login(client, make_user, Role.INSPECTOR).get(
        reverse("supervision:detail", args=[findings["xinhua"].pk])
    )
    text = page.content.decode()
    assert "检查时签到人数多于在位人数" in text or "实地检查时签到人数多于在位人数" in text
    assert "<th>签到人数</th>" in text and "<td>12</td>" in text
    assert "签到 12 人 &gt; 在位 10 人" in text
    assert "处理建议" in text
