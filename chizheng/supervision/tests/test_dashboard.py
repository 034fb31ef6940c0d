"""/supervision/dashboard/: the findings counted by kind, county, institution and month (the
month its class started), drawn with the vendored ECharts and exported; a county bureau counts
only its own findings."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from chizheng.accounts.models import Role
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.supervision.models import Finding
from chizheng.supervision.tests.classes import make_class as _class

pytestmark = pytest.mark.django_db


def _finding(
    county: County, inst: Institution | None, kind: str, score: str, classes: list[int]
) -> Finding:
    n = Finding.objects.count() + 1
    return Finding.objects.create(
        year=2022,
        kind=kind,
        clause="§21",
        key=f"{kind}:{n}",
        summary=f"第 {n} 条",
        subjects=[],
        evidence={"columns": [], "rows": [], "compared": ""},
        classes=classes,
        score=Decimal(score),
        county=county,
        institution=inst,
        found_at=timezone.now(),
    )


@pytest.fixture
def findings(county: Any, make_institution: Any) -> dict[str, Any]:
    xinhua, ruzhou = county("410402"), county("410482")
    a = make_institution("410402", name="@新华学校")
    b = make_institution("410482", name="汝州学校")
    march, may = _class(a, dt.date(2022, 3, 7)), _class(a, dt.date(2022, 5, 9))
    june = _class(b, dt.date(2022, 6, 6))
    return {
        "a": a,
        "b": b,
        "1": _finding(xinhua, a, "sign_in_above_present", "5", [march.pk]),
        "2": _finding(xinhua, a, "sign_in_above_present", "10", [may.pk]),
        # one person on the March and the May class: the month of the later one
        "3": _finding(xinhua, a, "person_overlap", "10", [march.pk, may.pk]),
        "4": _finding(ruzhou, None, "shared_phone", "12", [june.pk]),
        "5": _finding(ruzhou, b, "certificate_before_end", "8", []),
    }


def _lines(stats: Any, name: str) -> list[tuple[str, int, Decimal]]:
    return [(ln.label, ln.findings, ln.score) for ln in getattr(stats, name)]


def test_the_city_counts_by_kind_county_institution_and_month(
    client: Any, make_user: Any, findings: Any
) -> None:
    client.force_login(make_user(Role.INSPECTOR))
    page = client.get(reverse("supervision:dashboard"))
    assert page.status_code == 200
    stats = page.context["stats"]
    assert (stats.total, stats.score) == (5, Decimal("45"))
    assert _lines(stats, "by_kind") == [
        ("实地检查时签到人数多于在位人数", 2, Decimal("15")),
        ("同一手机号码对应多名参训人员", 1, Decimal("12")),
        ("同一人员同时参加培训期重叠的补贴培训班", 1, Decimal("10")),
        ("培训结束前即已发证", 1, Decimal("8")),
    ]
    assert _lines(stats, "by_county") == [
        ("新华区", 3, Decimal("25")),
        ("汝州市", 2, Decimal("20")),
    ]
    assert _lines(stats, "by_institution") == [
        ("@新华学校", 3, Decimal("25")),
        ("—（涉及多个机构）", 1, Decimal("12")),
        ("汝州学校", 1, Decimal("8")),
    ]
    assert _lines(stats, "by_month") == [
        ("2022-03", 1, Decimal("5")),
        ("2022-05", 2, Decimal("20")),
        ("2022-06", 1, Decimal("12")),
        ("—", 1, Decimal("8")),
    ]
    chart = page.context["chart"]
    assert chart["months"] == ["2022-03", "2022-05", "2022-06", "—"]
    assert chart["series"][0] == {"name": "实地检查时签到人数多于在位人数", "data": [1, 1, 0, 0]}
    html = page.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "supervision/dashboard.js" in html
    assert 'id="findings-chart-data"' in html and "cdn" not in html.lower()


def test_a_county_counts_only_its_own(
    client: Any, make_user: Any, findings: Any, county: Any
) -> None:
    client.force_login(make_user(Role.COUNTY_HR, county=county("410402")))
    page = client.get(reverse("supervision:dashboard"))
    stats = page.context["stats"]
    assert stats.total == 3
    assert _lines(stats, "by_county") == [("新华区", 3, Decimal("25"))]
    assert "汝州" not in page.content.decode()
    body = client.get(reverse("supervision:dashboard") + "?format=xlsx").content
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["按类型", "按县（市、区）", "按培训机构", "按月份"]
    counties = list(wb["按县（市、区）"].iter_rows(values_only=True))
    assert counties == [
        ("县（市、区）", "线索数", "风险分值合计"),
        ("新华区", 3, 25),
        ("合计", 3, 25),
    ]


def test_filters_and_the_export_escapes_formulas(
    client: Any, make_user: Any, findings: Any
) -> None:
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    page = client.get(
        reverse("supervision:dashboard") + "?kind=sign_in_above_present&county=410402"
    )
    assert page.context["stats"].total == 2
    page = client.get(reverse("supervision:dashboard") + "?kind=bad&county=x&year=19")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["stats"].total == 5
    assert "未知的线索类型" in text and "未知的县（市、区）" in text and "年度“19”无效" in text
    body = client.get(reverse("supervision:dashboard") + "?format=xlsx").content
    rows = list(openpyxl.load_workbook(io.BytesIO(body))["按培训机构"].iter_rows(values_only=True))
    assert ("'@新华学校", 3, 25) in rows
