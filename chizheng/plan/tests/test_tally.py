"""The derived certificate tally stays equal to the live count of the records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificate_flags_refresh, certificate_record
from chizheng.org.models import County
from chizheng.plan.models import CertificateTally, Plan
from chizheng.plan.selectors import Facts
from chizheng.plan.tally import certificate_counts, tally_refresh
from chizheng.registry.models import Institution, Person


def live(year: int = 2022) -> dict[str, dict[tuple[int, int], int]]:
    return certificate_counts(Certificate.objects.filter(issued_on__year=year))


def test_tally_follows_each_recorded_certificate(
    plan: Plan,
    make_person: Callable[..., Person],
    make_institution: Callable[..., Institution],
    county: Callable[[str], County],
    make_user: Callable[..., User],
) -> None:
    issuer = make_institution("410402")
    p = make_person("410402")
    for month, level in [(6, 4), (3, 2), (9, 1)]:
        certificate_record(
            actor=None,
            person=p,
            occupation_code="6-18-02-05",
            kind="skill_level",
            channel="enterprise",
            issued_on=dt.date(2022, month, 5),
            county=county("410402"),
            issuing_institution=issuer,
            skill_level=level,
        )
    facts = Facts(actor=make_user(Role.PROGRAMME_OFFICE), year=2022, until=dt.date(2022, 12, 31))
    assert facts.certificates == live()
    xinhua = county("410402").pk
    assert facts.certificates["new_skilled"] == {(xinhua, 3): 1}
    assert facts.certificates["new_high_skilled"] == {(xinhua, 3): 1}


def test_bulk_inserts_refreshed_for_the_year_match_the_records(
    plan: Plan,
    make_certificate: Callable[..., Certificate],
    make_user: Callable[..., User],
) -> None:
    for m in range(1, 13):
        make_certificate(
            county_code="410482" if m % 2 else "410402",
            issued_on=dt.date(2022, m, 10),
            level=m % 5 + 1,
            channel=("enterprise", "school", "social")[m % 3],
        )
    CertificateTally.objects.all().delete()
    certificate_flags_refresh(year=2022)
    facts = Facts(actor=make_user(Role.PROGRAMME_OFFICE), year=2022, until=dt.date(2022, 12, 31))
    assert facts.certificates == live()
    assert tally_refresh(year=2022, keys=set()) == 0


def test_an_unfinished_month_is_counted_live_up_to_the_day(
    plan: Plan,
    make_certificate: Callable[..., Certificate],
    make_user: Callable[..., User],
    county: Callable[[str], County],
) -> None:
    make_certificate(issued_on=dt.date(2022, 5, 10))
    make_certificate(issued_on=dt.date(2022, 5, 20))
    make_certificate(issued_on=dt.date(2022, 4, 30))
    actor = make_user(Role.PROGRAMME_OFFICE)
    xinhua = county("410402").pk
    mid = Facts(actor=actor, year=2022, until=dt.date(2022, 5, 15)).certificates
    assert mid["all"] == {(xinhua, 4): 1, (xinhua, 5): 1}
    end = Facts(actor=actor, year=2022, until=dt.date(2022, 5, 31)).certificates
    assert end["all"] == {(xinhua, 4): 1, (xinhua, 5): 2}


def test_a_county_user_reads_only_its_tally(
    plan: Plan,
    make_certificate: Callable[..., Certificate],
    make_user: Callable[..., User],
    county: Callable[[str], County],
) -> None:
    make_certificate(county_code="410402")
    make_certificate(county_code="410482")
    facts = Facts(
        actor=make_user(Role.COUNTY_HR, county=county("410482")),
        year=2022,
        until=dt.date(2022, 12, 31),
    )
    assert facts.certificates["all"] == {(county("410482").pk, 3): 1}


def test_bulk_recorded_certificates_are_flagged_and_counted(
    plan: Plan,
    make_person: Callable[..., Person],
    make_institution: Callable[..., Institution],
    county: Callable[[str], County],
) -> None:
    from chizheng.assessment.services import certificates_bulk_record

    issuer, xinhua = make_institution("410402"), county("410402")
    p, q = make_person("410402"), make_person("410402")
    certificates_bulk_record(
        certificates=[
            Certificate(
                person=who,
                occupation_code="4-10-01-05",
                skill_level=level,
                kind="skill_level",
                channel="social",
                issued_on=day,
                county=xinhua,
                issuing_institution=issuer,
            )
            for who, level, day in [
                (p, 4, dt.date(2022, 7, 1)),
                (p, 3, dt.date(2022, 2, 1)),
                (q, 5, dt.date(2023, 1, 3)),
            ]
        ]
    )
    assert live() == tally_read_all(2022)
    assert live(2022)["new_skilled"] == {(xinhua.pk, 2): 1}
    assert live(2023)["new_skilled"] == {(xinhua.pk, 1): 1}
    assert tally_read_all(2023) == live(2023)


def tally_read_all(year: int) -> dict[str, dict[tuple[int, int], int]]:
    from chizheng.plan.tally import tally_read

    return tally_read(CertificateTally.objects.filter(year=year))


def test_refresh_command_checks_and_rebuilds(
    plan: Plan, make_certificate: Callable[..., Certificate]
) -> None:
    import io

    import pytest
    from django.core.management import CommandError, call_command

    make_certificate(issued_on=dt.date(2022, 8, 8))
    Certificate.objects.update(first_in_year=False)
    CertificateTally.objects.all().delete()
    with pytest.raises(CommandError, match="不一致"):
        call_command("plan", "refresh", "--year", "2022", "--check")
    call_command("plan", "refresh", "--year", "2022", stdout=io.StringIO())
    out = io.StringIO()
    call_command("plan", "refresh", "--year", "2022", "--check", stdout=out)
    assert "一致" in out.getvalue()
    assert Certificate.objects.get().first_in_year
