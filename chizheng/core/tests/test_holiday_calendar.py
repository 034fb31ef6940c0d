"""Next year's calendar: the city office enters it, it is checked, confirmed, and then
deadlines into it work; only the city office edits; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core import holiday_services as hs
from chizheng.core.calendar import calendar
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent, HolidayOverride, HolidayYear
from chizheng.rules.holiday_schedule import Block
from chizheng.rules.workdays import CalendarUnknown

from .holiday_fixture import BLOCKS_2027, NOTICE_2027, SOURCE

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def office(make_user, today):
    today(TODAY)
    return make_user(Role.PROGRAMME_OFFICE)


def save(actor, blocks=BLOCKS_2027, revision=0, **kw) -> HolidayYear:
    return hs.holiday_year_save(
        actor=actor,
        year=2027,
        source=kw.pop("source", SOURCE),
        notice_number=kw.pop("notice_number", "国办发明电〔2026〕99号"),
        notice_date=kw.pop("notice_date", D(2026, 11, 20)),
        blocks=blocks,
        revision=revision,
    )


def test_2027_is_unknown_before_it_is_entered(office) -> None:
    with pytest.raises(CalendarUnknown, match="不包含2027年"):
        calendar().add(D(2026, 12, 24), 10)


def test_a_ten_day_deadline_from_christmas_eve_counts_the_entered_new_year(office) -> None:
    y = save(office)
    with pytest.raises(CalendarUnknown):  # a draft does not count yet
        calendar().add(D(2026, 12, 24), 10)
    hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    # 25, 28, 29, 30, 31 December; 1 January (元旦) off; 4, 5, 6, 7, 8 January
    assert calendar().add(D(2026, 12, 24), 10) == D(2027, 1, 8)
    assert calendar().is_workday(D(2027, 1, 31))  # 调休上班, a Sunday
    assert not calendar().is_workday(D(2027, 10, 4))  # National Day, a Monday


def test_the_deadline_through_the_api_and_the_command(office, client: Client) -> None:
    y = save(office)
    hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    client.force_login(office)
    r = client.get("/api/v1/workdays/add", {"date": "2026-12-24", "n": "10"})
    assert r.status_code == 200 and r.json() == {"date": "2027-01-08"}
    out = StringIO()
    call_command("workdays", "add", "2026-12-24", "10", stdout=out)
    assert out.getvalue().strip() == "2027-01-08"


def test_an_incomplete_year_cannot_be_confirmed(office) -> None:
    y = save(office, blocks=BLOCKS_2027[:-1])
    with pytest.raises(ValidationError, match="不完整，不能启用：缺少国庆节的放假安排") as e:
        hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    assert e.value.detail == {"problems": ["缺少国庆节的放假安排"]}
    y.refresh_from_db()
    assert y.status == HolidayYear.Status.DRAFT


def test_a_known_year_stays_complete(office) -> None:
    y = save(office)
    hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    with pytest.raises(ValidationError, match="已启用，修改后必须仍然完整"):
        save(office, blocks=BLOCKS_2027[1:], revision=y.revision)
    fixed = [*BLOCKS_2027[:-1], Block(("national_day",), D(2027, 10, 1), D(2027, 10, 8))]
    y = save(office, blocks=fixed, revision=y.revision)  # a corrected, still complete year
    assert y.status == HolidayYear.Status.KNOWN
    assert not calendar().is_workday(D(2027, 10, 8))


def test_a_single_day_override_off_on_a_weekday_blocks_confirmation(office) -> None:
    y = save(office)
    HolidayOverride.objects.create(day=D(2027, 3, 3), workday=False, name="误录")
    with pytest.raises(ValidationError, match="不属于任何节日的放假安排"):
        hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)


def test_a_stale_form_is_refused(office, make_user) -> None:
    other = make_user(Role.PROGRAMME_OFFICE)
    save(office)  # revision 1
    save(other, revision=1)  # revision 2
    with pytest.raises(hs.StaleRevision, match="已被他人修改（现为第2版，您修改的是第1版）"):
        save(office, revision=1)
    with pytest.raises(hs.StaleRevision):
        hs.holiday_year_confirm(actor=office, year=2027, revision=1)
    with pytest.raises(hs.StaleRevision):
        save(office, revision=0)  # a second "new year" form


@pytest.mark.parametrize("role", [Role.COUNTY_HR, Role.INDUSTRY, Role.FINANCE, Role.CITY_LEADER])
def test_only_the_programme_office_edits(make_user, county, today, role) -> None:
    today(TODAY)
    scope = {"county": county("410402")} if role == Role.COUNTY_HR else {}
    if role == Role.INDUSTRY:
        from chizheng.org.models import Department

        scope = {"department": Department.objects.get(code="miit")}
    actor = make_user(role, **scope)
    with pytest.raises(PermissionDenied):
        save(actor)
    with pytest.raises(PermissionDenied):
        hs.holiday_year_confirm(actor=actor, year=2027, revision=0)
    assert not HolidayYear.objects.exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2026, "只能录入工作日历尚不包含的年份（2027–2028年），2026年不在其中"),
        (2030, "2030年不在其中"),
    ],
)
def test_only_years_the_package_lacks_and_not_too_far_ahead(office, year, message) -> None:
    with pytest.raises(ValidationError, match=message):
        hs.holiday_year_save(
            actor=office,
            year=year,
            source=SOURCE,
            notice_number="",
            notice_date=None,
            blocks=[],
            revision=0,
        )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"source": ""}, "请填写依据文件"),
        ({"source": "x" * 201}, "依据文件不能超过200个字符"),
        ({"notice_number": "国办\x00发"}, "文号含有控制字符"),
        ({"notice_date": D(2027, 1, 5)}, "发文日期2027-01-05不合理"),
        (
            {"blocks": [Block(("christmas",), D(2027, 12, 25), D(2027, 12, 25))]},
            "未知的节日 christmas",
        ),
        (
            {"blocks": [Block(("new_year",), D(2025, 1, 1), D(2025, 1, 1))]},
            "不在2026-12-01至2027-12-31之间",
        ),
        (
            {"blocks": [Block(("new_year",), D(2027, 1, 1), D(2027, 1, 1), (D(2027, 1, 9),) * 11)]},
            "调休上班日最多10个",
        ),
    ],
)
def test_bad_input_is_refused_naming_it(office, kw, message) -> None:
    with pytest.raises(ValidationError, match=message):
        save(office, **kw)
    assert not HolidayYear.objects.exists()


def test_every_change_is_an_audit_event(office) -> None:
    y = save(office)
    y = save(office, revision=1, notice_number="国办发明电〔2026〕100号")
    hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    events = list(AuditEvent.objects.filter(object_type="core.holidayyear", object_id=str(y.pk)))
    assert [e.action for e in events] == ["calendar.save", "calendar.save", "calendar.confirm"]
    first, second = events[0].after or {}, events[1].after or {}
    assert events[0].before is None and first["revision"] == 1
    assert (events[1].before or {})["notice_number"] == "国办发明电〔2026〕99号"
    assert second["notice_number"] == "国办发明电〔2026〕100号"
    assert second["blocks"][0] == {
        "holidays": ["new_year"],
        "off": ["2027-01-01", "2027-01-03"],
        "workdays": [],
    }
    assert events[2].after == {"status": "known"}
    assert events[2].reason == f"依据{SOURCE}（国办发明电〔2026〕100号）"


def test_pasting_the_notice_enters_the_year(office) -> None:
    y = hs.holiday_year_import(actor=office, year=2027, text=NOTICE_2027, source="", revision=0)
    assert y.notice_number == "国办发明电〔2026〕99号"
    assert hs.blocks_of(y) == BLOCKS_2027
    assert hs.check_year(2027, hs.blocks_of(y)).ok


def test_an_unreadable_notice_saves_nothing(office) -> None:
    with pytest.raises(ValidationError, match="第2行：不认识的节日“圣诞节”"):
        hs.holiday_year_import(
            actor=office,
            year=2027,
            text="一、元旦：1月1日放假。\n二、圣诞节：12月25日放假。",
            source="",
            revision=0,
        )
    assert not HolidayYear.objects.exists()
