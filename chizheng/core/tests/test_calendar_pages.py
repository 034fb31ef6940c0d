"""The calendar pages: the years, a year's form, pasting the notice, confirming, the Excel
export; who sees what (every office reads, only the city office edits)."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core import holiday_services as hs
from chizheng.core.models import HolidayYear
from chizheng.org.models import Department
from chizheng.registry.models import Institution

from .holiday_fixture import BLOCKS_2027, NOTICE_2027, SOURCE

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def office(make_user, today):
    today(TODAY)
    return make_user(Role.PROGRAMME_OFFICE)


@pytest.fixture
def county_hr(make_user, county, today):
    today(TODAY)
    return make_user(Role.COUNTY_HR, county=county("410402"))


def form_data(blocks=BLOCKS_2027, revision=0, **kw) -> dict[str, object]:
    data: dict[str, object] = {
        "source": kw.get("source", SOURCE),
        "notice_number": "国办发明电〔2026〕99号",
        "notice_date": "2026-11-20",
        "revision": revision,
    }
    for i, b in enumerate(blocks):
        data[f"b{i}-holidays"] = list(b.holidays)
        data[f"b{i}-first"] = b.first_off.isoformat()
        data[f"b{i}-last"] = b.last_off.isoformat()
        data[f"b{i}-workdays"] = ", ".join(d.isoformat() for d in b.workdays)
    return data


def test_the_index_offers_the_programme_office_to_enter_next_year(client: Client, office) -> None:
    client.force_login(office)
    page = client.get("/calendar/").content.decode()
    assert 'data-testid="enter-2027"' in page and "录入2027年节假日安排" in page
    assert "2026" in page  # known from the package


def test_other_offices_read_but_get_no_link(client: Client, county_hr) -> None:
    client.force_login(county_hr)
    page = client.get("/calendar/").content.decode()
    assert "待市人社局（领导小组办公室）录入" in page and 'data-testid="enter-2027"' not in page


@pytest.mark.parametrize("role", [Role.WORKER, Role.PLATFORM])
def test_people_and_platforms_get_nothing(
    client: Client, make_user, make_person, make_institution, today, role
) -> None:
    today(TODAY)
    if role == Role.WORKER:
        user = make_user(role, person=make_person())
    else:
        user = make_user(role, institution=make_institution(kind=Institution.Kind.PLATFORM))
    client.force_login(user)
    assert client.get("/calendar/").status_code == 403
    assert client.get("/calendar/2027/").status_code == 403
    assert client.get("/calendar/2027/export.xlsx").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    r = client.get("/calendar/2027/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


@pytest.mark.parametrize("year", ["2020", "2026", "2031", "99999999999999999999"])
def test_years_that_cannot_be_entered_are_not_found(client: Client, office, year) -> None:
    client.force_login(office)
    assert client.get(f"/calendar/{year}/").status_code == 404


def test_enter_check_and_confirm_through_the_pages(client: Client, office) -> None:
    client.force_login(office)
    page = client.get("/calendar/2027/").content.decode()
    assert 'data-testid="year-form"' in page and "未录入" in page
    r = client.post("/calendar/2027/", form_data(BLOCKS_2027[:-1]))
    assert r.status_code == 302
    page = client.get("/calendar/2027/").content.decode()
    assert "缺少国庆节的放假安排" in page and "录入中" in page
    assert re.search(r'data-testid="confirm"[^>]*disabled', page)

    r = client.post("/calendar/2027/", form_data(revision=1))
    assert r.status_code == 302
    page = client.get("/calendar/2027/").content.decode()
    assert 'data-testid="check-ok"' in page
    assert 'data-confirm="启用后' in page  # asks before it takes effect
    r = client.post("/calendar/2027/confirm/", {"revision": 2})
    assert r.status_code == 302
    page = client.get("/calendar/2027/").content.decode()
    assert "已启用" in page and "确认并启用" in page  # the history names the step
    assert HolidayYear.objects.get(year=2027).status == HolidayYear.Status.KNOWN


def test_a_bad_row_is_shown_with_what_was_typed(client: Client, office) -> None:
    client.force_login(office)
    data = form_data()
    data["b1-workdays"] = "2027-01-31, 2027-02-30"
    data["b2-first"] = ""
    r = client.post("/calendar/2027/", data)
    assert r.status_code == 422
    page = r.content.decode()
    assert "第2项：调休上班日期“2027-02-30”不是有效日期" in page
    assert "第3项：请填写放假开始和结束日期" in page
    assert 'value="2027-01-31, 2027-02-30"' in page  # kept for correction
    assert not HolidayYear.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revision": "abc"}, "版本："),
        ({"revision": str(2**63)}, "版本："),
        ({"source": "国务院\x00通知"}, "依据文件："),
        ({"notice_date": "2026-13-01"}, "发文日期："),
        ({"b0-holidays": ["christmas"]}, "第1项：未知的节日 christmas"),
        ({"b0-first": "2027-01-01\x00", "b0-last": "x" * 10_000}, "第1项：放假开始日期"),
    ],
)
def test_malformed_input_is_refused_not_a_500(client: Client, office, change, message) -> None:
    client.force_login(office)
    data = form_data()
    data.update(change)
    r = client.post("/calendar/2027/", data)
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not HolidayYear.objects.exists()


def test_a_stale_form_is_refused_on_the_page(client: Client, office) -> None:
    client.force_login(office)
    client.post("/calendar/2027/", form_data())
    r = client.post("/calendar/2027/", form_data(revision=0))
    assert r.status_code == 422
    assert "已被他人修改" in r.content.decode()


def test_confirming_an_incomplete_year_says_why(client: Client, office) -> None:
    client.force_login(office)
    client.post("/calendar/2027/", form_data(BLOCKS_2027[1:]))
    r = client.post("/calendar/2027/confirm/", {"revision": 1}, follow=True)
    assert "不完整，不能启用：缺少元旦的放假安排" in r.content.decode()
    assert HolidayYear.objects.get(year=2027).status == HolidayYear.Status.DRAFT


def test_pasting_the_notice(client: Client, office) -> None:
    client.force_login(office)
    r = client.post("/calendar/2027/import/", {"text": NOTICE_2027, "revision": 0})
    assert r.status_code == 302
    assert hs.blocks_of(HolidayYear.objects.get(year=2027)) == BLOCKS_2027
    bad = client.post("/calendar/2027/import/", {"text": "一、元旦：放假", "revision": 1})
    assert bad.status_code == 422 and "没有找到放假日期" in bad.content.decode()


def test_a_county_cannot_edit_through_the_pages(client: Client, county_hr) -> None:
    client.force_login(county_hr)
    page = client.get("/calendar/2027/").content.decode()
    assert 'data-testid="year-form"' not in page
    assert client.post("/calendar/2027/", form_data()).status_code == 403
    assert (
        client.post("/calendar/2027/import/", {"text": NOTICE_2027, "revision": 0}).status_code
        == 403
    )
    assert not HolidayYear.objects.exists()


@pytest.mark.parametrize("role", [Role.INDUSTRY, Role.FINANCE])
def test_departments_cannot_confirm(client: Client, office, make_user, role) -> None:
    hs.holiday_year_save(
        actor=office,
        year=2027,
        source=SOURCE,
        notice_number="",
        notice_date=None,
        blocks=BLOCKS_2027,
        revision=0,
    )
    scope = {"department": Department.objects.get(code="miit")} if role == Role.INDUSTRY else {}
    client.force_login(make_user(role, **scope))
    assert client.post("/calendar/2027/confirm/", {"revision": 1}).status_code == 403
    assert HolidayYear.objects.get(year=2027).status == HolidayYear.Status.DRAFT


def test_the_export(client: Client, office, county_hr) -> None:
    hs.holiday_year_save(
        actor=office,
        year=2027,
        source='=HYPERLINK("http://x")',
        notice_number="",
        notice_date=None,
        blocks=BLOCKS_2027,
        revision=0,
    )
    client.force_login(county_hr)  # every office reads it
    r = client.get("/calendar/2027/export.xlsx")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = wb["2027年节假日安排"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("依据文件", '\'=HYPERLINK("http://x")')  # written as text
    assert (
        "春节",
        dt.datetime(2027, 2, 5),
        dt.datetime(2027, 2, 13),
        9,
        "2027-01-31、2027-02-20",
    ) in [r[:5] for r in rows]
    days = list(wb["逐日"].iter_rows(values_only=True))
    assert (dt.datetime(2027, 1, 31), "星期日", "调休上班", "春节") in days
    assert len(days) == 1 + 3 + 9 + 2 + 3 + 5 + 2 + 1 + 1 + 7 + 2


def test_the_pages_have_no_inline_script_or_style(client: Client, office) -> None:
    """A strict Content-Security-Policy allows neither."""
    client.force_login(office)
    hs.holiday_year_import(actor=office, year=2027, text=NOTICE_2027, source="", revision=0)
    for url in ("/calendar/", "/calendar/2027/", "/"):
        page = client.get(url).content.decode()
        assert "style=" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"\son[a-z]+=", page), url
