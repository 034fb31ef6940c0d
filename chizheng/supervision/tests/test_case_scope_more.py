"""What a review of the cases found: the cases API asks for ``supervision.view`` as the pages
do (finance, city-wide but not a supervisor, reads no case); a case's recoverable lines are
those the actor sees (a finding may name another county's class); a number that is not
ASCII digits in a filter or a form is refused or ignored, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.supervision import case_selectors, case_services
from chizheng.supervision.models import Finding

from .conftest import CASE_DAY, CaseWorld, make_finding

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/cases"


def test_finance_reads_no_case_through_the_api(cw: CaseWorld) -> None:
    with clock.freeze(CASE_DAY):
        case = case_services.case_open(actor=cw.office, finding_ids=[cw.finding.pk])
    finance = ApiClient()
    finance.force_login(cw.m.finance_a)
    assert finance.get(URL).status_code == 403
    assert finance.get(f"{URL}/{case.pk}").status_code == 403
    office = ApiClient()
    office.force_login(cw.office)
    assert office.get(f"{URL}/{case.pk}").status_code == 200


def test_a_case_recovers_only_the_lines_its_actor_sees(cw: CaseWorld, county: Any) -> None:
    training_class = cw.claim.training_class
    assert training_class is not None
    ruzhou = county("410482")
    assert training_class.institution.county_id != ruzhou.pk
    # a finding of 汝州市 that names the 新华区 class too (as an overlap does)
    crossing: Finding = make_finding(ruzhou, n=7, classes=[training_class.pk])
    with clock.freeze(CASE_DAY):
        case = case_services.case_open(actor=cw.other_hr, finding_ids=[crossing.pk])
    assert not case_selectors.recoverable_lines(actor=cw.other_hr, case=case).exists()
    assert case_selectors.recoverable_lines(actor=cw.office, case=case).exists()
    page = Client()
    page.force_login(cw.other_hr)
    body = page.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert cw.claim.title not in body


@pytest.mark.parametrize(
    "path",
    [
        "/supervision/?year=²",
        "/supervision/?institution=①",
        "/supervision/cases/?year=²",
        "/supervision/risk/?year=²",
        "/competitions/?year=²",
    ],
)
def test_digits_of_other_scripts_are_not_a_server_error(cw: CaseWorld, path: str) -> None:
    c = Client()
    c.force_login(cw.office)
    assert c.get(path).status_code in (200, 302)


def test_opening_a_case_from_a_finding_number_in_other_digits_is_no_server_error(
    cw: CaseWorld,
) -> None:
    c = Client()
    c.force_login(cw.office)
    r = c.post("/supervision/cases/open/", {"findings": ["²"]})
    assert r.status_code in (200, 302, 400)


@pytest.mark.django_db(transaction=True)
def test_two_cases_opened_at_once_in_one_county_get_two_numbers(cw: CaseWorld) -> None:
    """PostgreSQL: two threads, each its own connection, open a case in one county at the
    same moment; the county's row lock numbers them one after the other. SQLite (one
    writer) runs them in turn."""
    import threading

    from django.db import connection

    from chizheng.supervision.models import Case

    county = cw.finding.county
    second = make_finding(county, n=9)
    parallel = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if parallel else 1)
    errors: list[str] = []

    def open_case(finding_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            with clock.freeze(CASE_DAY):
                case_services.case_open(actor=cw.office, finding_ids=[finding_id])
        except Exception as e:  # the race's failure is what is asserted
            errors.append(repr(e))
        finally:
            if parallel:
                connection.close()

    ids = (cw.finding.pk, second.pk)
    if parallel:
        threads = [threading.Thread(target=open_case, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    else:
        for i in ids:
            open_case(i)
    assert errors == []
    numbers = sorted(Case.objects.filter(county=county).values_list("number", flat=True))
    assert len(numbers) == 2 and numbers[0] != numbers[1]
