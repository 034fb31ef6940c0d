"""The §19 watch on special-ability plus training-pass certificates (at most 10% of all
certificates, per institution, county and city): evaluated when an assessment is registered
(the class's roster projected) and when a claim is calculated (the year's certificates),
stored where the pages show it, flagged as a warning — never a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from chizheng.assessment import certificate_mix
from chizheng.core import clock
from chizheng.subsidy import calculation, services
from chizheng.training import services as training
from chizheng.training.models import FinalAssessment, Status
from chizheng.training.tests.conftest import START

from .conftest import CLAIM_DAY, HELD, assess

pytestmark = pytest.mark.django_db


def _scopes(decisions):
    return {d["subject"].split()[0]: d for d in decisions}


def test_registration_projects_a_special_ability_class_and_flags_it(world) -> None:
    with clock.freeze(dt.date(2022, 5, 20)):
        k = world.approved(certificate_type="special_ability")
    with clock.freeze(START):
        training.class_start(actor=world.applicant, class_id=k.pk)
        a = training.assessment_register(
            actor=world.applicant, class_id=k.pk, evaluator_id=world.evaluator.pk, held_on=HELD
        )
    k.refresh_from_db()
    assert k.status == Status.ASSESSMENT_REGISTERED  # a warning, not a refusal
    stored = FinalAssessment.objects.get(pk=a.pk).certificate_mix
    scopes = _scopes(stored)
    assert set(scopes) == {"institution", "county", "city"}
    assert scopes["institution"]["outcome"] == "fail"
    assert scopes["institution"]["values"]["special_ability"] == 30  # the roster, projected
    assert scopes["institution"]["values"]["projected"] == 30
    client = Client()
    client.force_login(world.industry_a)
    page = client.get(reverse("training:detail", kwargs={"class_id": k.pk})).content.decode()
    assert 'data-testid="certificate-mix-flag"' in page
    assert "此为提示" in page and "不影响本次考核登记" in page


def test_a_skill_level_class_is_not_projected_and_not_flagged(world) -> None:
    k = assess(world)
    scopes = _scopes(k.assessment.certificate_mix)
    assert scopes["institution"]["outcome"] == "pass"
    assert scopes["institution"]["values"]["projected"] == 0
    assert certificate_mix.over_cap(k.assessment.certificate_mix) == []


def test_the_claim_keeps_the_years_actual_mix_and_still_recomputes(world) -> None:
    assess(world, batch="技能", roster=world.people[:20], certified=20)
    k = assess(
        world,
        batch="合格",
        roster=world.people[20:40],
        certified=10,
        kind="training_pass",
    )
    with clock.freeze(CLAIM_DAY):
        claim = services.claim_calculate(actor=world.applicant, class_id=k.pk)
    mix = claim.calculation["inputs"]["certificate_mix"]
    scopes = _scopes(mix)
    assert scopes["institution"]["values"]["training_pass"] == 10
    assert scopes["institution"]["values"]["total"] == 30
    assert scopes["institution"]["outcome"] == "fail"  # 10/30 > 10%
    assert calculation.recompute(claim.calculation)
    client = Client()
    client.force_login(world.applicant)
    page = client.get(reverse("subsidy:detail", kwargs={"claim_id": claim.pk})).content.decode()
    assert 'data-testid="certificate-mix-flag"' in page and "10/30" in page
    assert "不影响本次申领" in page
    # each line names its standard, not its key (issue 16, item 1)
    assert "培训合格证书</td>" in page and ">training_pass<" not in page


def _recount(institution, year: int) -> dict[str, int]:
    """The watch's counts straight from the certificate records (the definition)."""
    from chizheng.assessment.models import Certificate

    year_of = Certificate.objects.filter(
        issued_on__year=year, county__city_id=institution.county.city_id
    )
    scopes = {
        "city": year_of,
        "county": year_of.filter(county_id=institution.county_id),
        "institution": year_of.filter(training_class__institution_id=institution.pk),
    }
    out = {}
    for scope, qs in scopes.items():
        out[f"{scope}_total"] = qs.count()
        for kind in certificate_mix.CAPPED:
            out[f"{scope}_{kind}"] = qs.filter(kind=kind).count()
    return out


@pytest.mark.parametrize("classes", [1, 3])
def test_the_counts_are_the_records_in_three_queries_whatever_the_year(world, classes) -> None:
    """City and county totals come from the plan's tally, the capped kinds and the
    institution's from the certificates: the same figures as counting the records, in the
    same three queries for one class's certificates or three classes'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(classes):
        assess(
            world,
            batch=f"规模-{n}",
            roster=world.people[n * 10 : n * 10 + 10],
            certified=8 if n else 5,
            kind="training_pass" if n == 1 else "skill_level",
        )
    institution = world.applicant.institution
    with CaptureQueriesContext(connection) as q:
        counts = certificate_mix._counts(institution, HELD.year)
    assert len(q.captured_queries) == 3
    assert counts == _recount(institution, HELD.year)
    assert counts["institution_total"] == 5 + 8 * (classes - 1)
    assert counts["institution_training_pass"] == (8 if classes > 1 else 0)
