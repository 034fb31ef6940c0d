"""Progress is computed from certificates: one selector per indicator, by county × month, scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificate_flags_refresh, certificate_record
from chizheng.core.errors import PermissionDenied
from chizheng.org.models import County
from chizheng.plan.models import Plan
from chizheng.plan.selectors import SELECTORS, Facts, calendar_share, plan_progress
from chizheng.registry.models import Institution, Person

XINHUA, RUZHOU = "410402", "410482"
END = dt.date(2022, 12, 31)


def test_every_indicator_has_one_selector(plan: Plan) -> None:
    assert set(SELECTORS) == set(plan.indicators.values_list("code", flat=True))


def test_new_skilled_counts_a_person_once_in_the_month_and_county_of_the_first_certificate(
    plan: Plan,
    make_user: Callable[..., User],
    make_person: Callable[..., Person],
    make_certificate: Callable[..., Certificate],
    county: Callable[[str], County],
) -> None:
    p = make_person(XINHUA)
    make_certificate(person=p, county_code=XINHUA, issued_on=dt.date(2022, 5, 3), level=5)
    make_certificate(person=p, county_code=RUZHOU, issued_on=dt.date(2022, 2, 1), level=4)
    make_certificate(person=p, county_code=XINHUA, issued_on=dt.date(2022, 9, 9), level=3)
    make_certificate(
        person=p, county_code=XINHUA, issued_on=dt.date(2021, 12, 31), level=2
    )  # other year
    make_certificate(
        county_code=XINHUA,
        issued_on=dt.date(2022, 5, 20),
        level=None,
        kind=Certificate.Kind.SPECIAL_OPERATION,
    )
    actor = make_user(Role.PROGRAMME_OFFICE)
    facts = Facts(actor=actor, year=2022, until=END)
    xinhua, ruzhou = county(XINHUA).pk, county(RUZHOU).pk
    assert SELECTORS["new_skilled"](facts).counts == {(ruzhou, 2): 1, (xinhua, 5): 1}
    # High-skilled: level 3 and above (1..3), first such certificate of the year only.
    assert SELECTORS["new_high_skilled"](facts).counts == {(xinhua, 9): 1}
    assert SELECTORS["certs_enterprise"](facts).counts == {
        (ruzhou, 2): 1,
        (xinhua, 5): 2,
        (xinhua, 9): 1,
    }
    assert SELECTORS["certs_enterprise_high"](facts).counts == {(xinhua, 9): 1}


def test_flags_follow_a_certificate_dated_earlier_than_the_existing_ones(
    plan: Plan,
    make_person: Callable[..., Person],
    make_institution: Callable[..., Institution],
    county: Callable[[str], County],
) -> None:
    p = make_person(XINHUA)
    issuer = make_institution(XINHUA)
    later = certificate_record(
        actor=None,
        person=p,
        occupation_code="6-18-02-05",
        kind="skill_level",
        channel="school",
        issued_on=dt.date(2022, 6, 1),
        county=county(XINHUA),
        issuing_institution=issuer,
        skill_level=3,
    )
    assert later.first_in_year and later.first_high_in_year
    earlier = certificate_record(
        actor=None,
        person=p,
        occupation_code="6-18-02-05",
        kind="skill_level",
        channel="school",
        issued_on=dt.date(2022, 3, 1),
        county=county(XINHUA),
        issuing_institution=issuer,
        skill_level=2,
    )
    later.refresh_from_db()
    assert earlier.first_in_year and earlier.first_high_in_year
    assert not later.first_in_year and not later.first_high_in_year


def test_refresh_of_the_whole_year_matches_the_definition(
    plan: Plan,
    make_person: Callable[..., Person],
    make_certificate: Callable[..., Certificate],
) -> None:
    people = [make_person(XINHUA) for _ in range(4)]
    for i, p in enumerate(people):
        for m in (3, 1, 7)[: i + 1]:
            make_certificate(person=p, issued_on=dt.date(2022, m, 1), level=(5, 3, 1)[(i + m) % 3])
    Certificate.objects.update(first_in_year=False, first_high_in_year=True)
    certificate_flags_refresh(year=2022)
    for p in people:
        certs = list(Certificate.objects.filter(person=p).order_by("issued_on", "id"))
        assert [c.first_in_year for c in certs] == [i == 0 for i in range(len(certs))]
        highs = [c for c in certs if c.skill_level is not None and c.skill_level <= 3]
        assert [c.first_high_in_year for c in certs] == [
            bool(highs) and c.pk == highs[0].pk for c in certs
        ]


def test_channels_and_the_cap_share(
    plan: Plan,
    make_user: Callable[..., User],
    make_certificate: Callable[..., Certificate],
) -> None:
    for channel, level in [("school", 3), ("school", 4), ("social", 2), ("social", 5)]:
        make_certificate(channel=channel, level=level)
    make_certificate(channel="social", level=None, kind=Certificate.Kind.SPECIAL_ABILITY)
    make_certificate(channel="social", level=None, kind=Certificate.Kind.TRAINING_PASS)
    progress = plan_progress(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan, until=END)
    assert progress.by_code("certs_school").city.count == 2
    assert progress.by_code("certs_school_high").city.count == 1
    assert progress.by_code("certs_social").city.count == 4
    assert progress.by_code("certs_social_high").city.count == 1
    cap = progress.by_code("special_pass_share").city
    assert cap.actual == Decimal(2) / Decimal(6)
    assert cap.flag == "over_cap"


def test_every_indicator_is_computed_from_records_and_reads_zero_without_them(
    plan: Plan, make_user: Callable[..., User]
) -> None:
    progress = plan_progress(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan, until=END)
    for ip in progress.indicators:
        assert ip.available and ip.city.flag != "todo" and not ip.todo, ip.indicator.code
    for code in ("competition_occupations", "competition_events", "competition_certified"):
        assert progress.by_code(code).city.count == 0


def test_a_county_lags_when_its_share_falls_behind_the_calendar(
    plan: Plan,
    make_user: Callable[..., User],
    make_certificate: Callable[..., Certificate],
    county: Callable[[str], County],
) -> None:
    # 石龙区 (410404): new-skilled target 0.14万 = 1400 people. By 30 June the calendar is ~49.6%.
    for _ in range(3):
        make_certificate(county_code="410404", issued_on=dt.date(2022, 6, 1))
    progress = plan_progress(
        actor=make_user(Role.PROGRAMME_OFFICE), plan=plan, until=dt.date(2022, 6, 30)
    )
    cell = progress.by_code("new_skilled").counties[county("410404").pk]
    assert cell.target == Decimal("0.14")
    assert cell.actual == Decimal("0.0003")
    assert cell.flag == "lagging"
    assert progress.expected == Decimal(181) / Decimal(365)


def test_calendar_share() -> None:
    assert calendar_share(year=2022, until=dt.date(2021, 12, 31)) == 0
    assert calendar_share(year=2022, until=dt.date(2022, 1, 1)) == Decimal(1) / Decimal(365)
    assert calendar_share(year=2024, until=dt.date(2024, 12, 30)) == Decimal(365) / Decimal(366)
    assert calendar_share(year=2022, until=dt.date(2023, 2, 1)) == 1


def test_a_county_user_sees_only_its_county(
    plan: Plan,
    make_user: Callable[..., User],
    make_certificate: Callable[..., Certificate],
    county: Callable[[str], County],
) -> None:
    make_certificate(county_code=XINHUA)
    make_certificate(county_code=RUZHOU)
    make_certificate(county_code=RUZHOU)
    actor = make_user(Role.COUNTY_HR, county=county(XINHUA))
    progress = plan_progress(actor=actor, plan=plan, until=END)
    assert [c.code for c in progress.counties] == [XINHUA]
    ip = progress.by_code("new_skilled")
    assert ip.city.count == 1 and ip.city.target == Decimal("1.09")
    assert set(ip.counties) == {county(XINHUA).pk}
    city = plan_progress(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan, until=END)
    assert len(city.counties) == 12 and city.by_code("new_skilled").city.count == 3
    assert city.by_code("new_skilled").city.target == Decimal(15)


def test_other_roles_are_refused(
    plan: Plan, make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    with pytest.raises(PermissionDenied):
        plan_progress(actor=make_user(Role.INSTITUTION, institution=make_institution()), plan=plan)


def test_the_home_headline_is_the_first_indicator_as_the_dashboard_computes_it(
    plan: Plan,
    make_user: Callable[..., User],
    make_certificate: Callable[..., Certificate],
    county: Callable[..., County],
) -> None:
    from chizheng.plan.headline import plan_headline

    make_certificate(county_code="410402", issued_on=dt.date(2022, 3, 1))
    office = make_user(Role.PROGRAMME_OFFICE)
    day = dt.date(2022, 6, 30)
    full = plan_progress(actor=office, plan=plan, until=day)
    first = full.indicators[0]
    text = plan_headline(actor=office, today=day)
    assert text.startswith(first.indicator.name)
    if first.city.share_done is not None:
        assert f"{first.city.share_done:.0%}" in text and f"{full.expected:.0%}" in text
        lagging = sum(1 for c in first.counties.values() if c.flag == "lagging")
        assert (f"{lagging} 个县（市、区）滞后" in text) == bool(lagging)
    hr = make_user(Role.COUNTY_HR, county=county("410402"))
    assert "滞后" not in plan_headline(actor=hr, today=day)  # his county alone: no count of others
    assert plan_headline(actor=office, today=dt.date(2031, 6, 1)) == ""  # no plan that year
