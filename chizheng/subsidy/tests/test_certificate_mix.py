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
