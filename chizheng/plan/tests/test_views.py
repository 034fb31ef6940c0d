"""The dashboard, 附件1 and the reports: city sees twelve units and totals, a county only itself."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.assessment.models import Certificate
from chizheng.org.models import County
from chizheng.plan.models import Plan

XINHUA, RUZHOU = "410402", "410482"
COUNTY_NAMES = [
    "汝州市",
    "舞钢市",
    "宝丰县",
    "郏 县",
    "鲁山县",
    "叶 县",
    "新华区",
    "卫东区",
    "湛河区",
    "石龙区",
    "示范区",
    "高新区",
]


@pytest.fixture
def records(plan: Plan, make_certificate: Callable[..., Certificate]) -> None:
    make_certificate(county_code=XINHUA, issued_on=dt.date(2022, 2, 10), level=3)
    make_certificate(county_code=RUZHOU, issued_on=dt.date(2022, 2, 11), level=4)
    make_certificate(county_code=RUZHOU, issued_on=dt.date(2022, 8, 1), level=2, channel="school")


def client_for(user: User) -> Client:
    c = ApiClient()
    c.force_login(user)
    return c


def sheet_text(body: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(body)).active
    assert ws is not None
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_city_dashboard_shows_twelve_units_and_totals(
    records: None, make_user: Callable[..., User]
) -> None:
    page = client_for(make_user(Role.CITY_LEADER)).get("/plan/?year=2022&until=2022-06-30")
    assert page.status_code == 200
    html = page.content.decode()
    for name in COUNTY_NAMES:
        assert f"<td>{name}</td>" in html
    assert 'data-testid="total-new_skilled"' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert "滞后" in html


def test_county_dashboard_shows_only_that_county(
    records: None, make_user: Callable[..., User], county: Callable[[str], County]
) -> None:
    user = make_user(Role.COUNTY_HR, county=county(XINHUA))
    html = client_for(user).get("/plan/?year=2022").content.decode()
    assert "<td>新华区</td>" in html
    for name in COUNTY_NAMES:
        if name != "新华区":
            assert f"<td>{name}</td>" not in html
    assert "合计" not in html
    export = client_for(user).get("/plan/?year=2022&format=xlsx")
    rows = sheet_text(export.content)
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "新华区" in flat and "汝州市" not in flat and "合计" not in flat


def test_city_export_has_every_unit_and_the_totals(
    records: None, make_user: Callable[..., User]
) -> None:
    response = client_for(make_user(Role.PROGRAMME_OFFICE)).get(
        "/plan/?year=2022&until=2022-12-31&format=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    flat = [str(v) for row in sheet_text(response.content) for v in row if v is not None]
    for name in COUNTY_NAMES:
        assert name in flat
    assert flat.count("合计") == 3


def test_attachment1_page_and_export_are_exactly_the_document(
    plan: Plan, make_user: Callable[..., User]
) -> None:
    c = client_for(make_user(Role.PROGRAMME_OFFICE))
    html = c.get("/plan/document/?year=2022").content.decode()
    assert "<td>郏 县</td><td>2.02</td><td>1.64</td><td>0.65</td>" in html
    assert "<td>合计</td><td></td><td>19</td><td>15</td><td>5.7</td>" in html
    assert "“豫菜师傅”技能人才培训专项" in html and "市商务局" in html
    rows = sheet_text(c.get("/plan/document/?year=2022&format=xlsx").content)
    table = [r[:5] for r in rows if r and isinstance(r[0], int)]
    assert [(r[0], r[1], f"{r[2]:.2f}", f"{r[3]:.2f}", f"{r[4]:.2f}") for r in table][3] == (
        4,
        "郏 县",
        "2.02",
        "1.64",
        "0.65",
    )
    assert len(table) == 12
    total = next(r for r in rows if r and r[0] == "合计")
    assert [float(str(v)) for v in total[2:5]] == [19, 15, 5.7]
    assert any(r[0] and "2020年数据" in str(r[0]) for r in rows)


@pytest.mark.parametrize(
    ("kind", "period"), [("monthly", 2), ("quarterly", 1), ("half", 2), ("annual", 1)]
)
def test_reports_for_city_and_county(
    records: None,
    make_user: Callable[..., User],
    county: Callable[[str], County],
    kind: str,
    period: int,
) -> None:
    city = client_for(make_user(Role.PROGRAMME_OFFICE))
    xlsx = city.get(f"/plan/reports/?year=2022&kind={kind}&period={period}&format=xlsx")
    flat = [str(v) for row in sheet_text(xlsx.content) for v in row if v is not None]
    assert all(name in flat for name in COUNTY_NAMES) and "合计" in flat
    assert ("补贴资金拨付情况（按县，§三(三)）" in flat) == (kind == "quarterly")
    pdf = city.get(f"/plan/reports/?year=2022&kind={kind}&period={period}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content

    mine = client_for(make_user(Role.COUNTY_HR, county=county(RUZHOU)))
    flat = [
        str(v)
        for row in sheet_text(
            mine.get(f"/plan/reports/?year=2022&kind={kind}&period={period}&format=xlsx").content
        )
        for v in row
        if v is not None
    ]
    assert "汝州市" in flat and "新华区" not in flat and "合计" not in flat
    assert mine.get(f"/plan/reports/?year=2022&kind={kind}&period={period}").status_code == 200


def test_monthly_report_counts_the_month_and_the_year_to_date(
    records: None, make_user: Callable[..., User]
) -> None:
    body = (
        client_for(make_user(Role.PROGRAMME_OFFICE))
        .get("/plan/reports/?year=2022&kind=monthly&period=2")
        .content
    )
    html = body.decode()
    assert "2022年2月" in html
    # New skilled, 合计 row: 2 people this month, 0.00万 (0.0002) year to date.
    assert "<td></td><td>合计</td><td>15.00</td><td>2</td><td>0.00</td>" in html


def test_bad_period_is_a_chinese_error(plan: Plan, make_user: Callable[..., User]) -> None:
    response = client_for(make_user(Role.PROGRAMME_OFFICE)).get(
        "/plan/reports/?year=2022&kind=quarterly&period=5"
    )
    assert response.status_code == 422
    assert "季通报的期次应为1至4" in response.content.decode()


def test_api_progress_is_scoped(
    records: None, make_user: Callable[..., User], county: Callable[[str], County]
) -> None:
    data = (
        client_for(make_user(Role.COUNTY_HR, county=county(RUZHOU)))
        .get("/api/v1/plan/progress?year=2022&until=2022-12-31")
        .json()
    )
    skilled = next(i for i in data["indicators"] if i["code"] == "new_skilled")
    assert [c["county"] for c in skilled["counties"]] == [RUZHOU]
    assert skilled["total"]["count"] == 2
    assert skilled["county_months"] == {RUZHOU: {"2": 1, "8": 1}}
    city = (
        client_for(make_user(Role.PROGRAMME_OFFICE)).get("/api/v1/plan/progress?year=2022").json()
    )
    assert len(next(i for i in city["indicators"] if i["code"] == "training")["counties"]) == 12
