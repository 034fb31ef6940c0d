"""The inspection plan samples spot checks by the risk of the class's institution: the high
band all, the medium half, the low a fifth (at least one each, ``supervision.risk_bands``),
in a draw fixed for the day; opening-day checks are never sampled away; the riskiest class
comes first and each says why. Scoped: a county inspector's risks are his county's findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from chizheng.accounts.models import Role
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.supervision.models import Finding
from chizheng.supervision.tests.classes import make_class
from chizheng.training import selectors

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 6, 15)


def _finding(
    county: County, inst: Institution, score: str, named: Institution | None = None
) -> None:
    n = Finding.objects.count() + 1
    subjects = [{"kind": "institution", "id": named.pk, "label": named.name}] if named else []
    Finding.objects.create(
        year=2022,
        kind="sign_in_above_present",
        clause="§21",
        key=f"k:{n}",
        summary=f"第 {n} 条",
        subjects=subjects,
        evidence={"columns": [], "rows": [], "compared": ""},
        score=Decimal(score),
        county=county,
        institution=inst,
        found_at=timezone.now(),
    )


@pytest.fixture
def plan_world(county: Any, make_institution: Any, today: Any) -> dict[str, Any]:
    today(DAY)
    xinhua, ruzhou = county("410402"), county("410482")
    risky = make_institution("410402", name="新华高风险学校")
    middling = make_institution("410402", name="新华中风险学校")
    calm = make_institution("410402", name="新华低风险学校")
    far = make_institution("410482", name="汝州学校")
    _finding(xinhua, risky, "45")
    _finding(xinhua, middling, "12")
    # 汝州's finding names 新华's calm school too: the city counts it, 新华's inspector not
    _finding(ruzhou, far, "10", named=calm)
    start = DAY - dt.timedelta(days=5)
    return {
        "risky": [make_class(risky, start + dt.timedelta(days=2), opened=True)],
        "middling": [make_class(middling, start, opened=True) for _ in range(4)],
        "calm": [make_class(calm, start - dt.timedelta(days=1), opened=True) for _ in range(10)],
        "opening": make_class(calm, DAY + dt.timedelta(days=3), status="approved"),
        "far": make_class(far, start, opened=True),
    }


def test_the_riskiest_class_first_and_each_band_sampled(
    plan_world: Any, make_user: Any, county: Any
) -> None:
    inspector = make_user(Role.INSPECTOR, county=county("410402"))
    plan = selectors.inspection_plan(actor=inspector, on=DAY)
    chosen = [i for i in plan if i.chosen]
    assert chosen[0].training_class == plan_world["risky"][0]
    assert (chosen[0].risk, chosen[0].band) == (Decimal("45.00"), "高风险")
    assert "高风险抽取 100%、至少 1 个班" in chosen[0].why
    ids = {i.training_class.pk for i in chosen}
    assert len(ids & {k.pk for k in plan_world["middling"]}) == 2  # half of 4
    assert len(ids & {k.pk for k in plan_world["calm"]}) == 2  # a fifth of 10
    assert plan_world["opening"].pk in ids  # the opening-day check is never drawn away
    opening = next(i for i in plan if i.training_class == plan_world["opening"])
    assert opening.reason == "开班当日检查" and "每班必查" in opening.why
    assert plan_world["far"].pk not in {i.training_class.pk for i in plan}  # 汝州's class
    assert all(i.risk == 0 for i in plan if i.training_class.institution.name == "新华低风险学校")
    left = [i for i in plan if not i.chosen]
    assert len(left) == 2 + 8 and all("未抽中" in i.why for i in left)
    risks = [i.risk for i in chosen]
    assert risks == sorted(risks, reverse=True)


def test_the_city_counts_every_countys_findings(plan_world: Any, make_user: Any) -> None:
    plan = selectors.inspection_plan(actor=make_user(Role.INSPECTOR), on=DAY)
    calm = [i for i in plan if i.training_class.institution.name == "新华低风险学校"]
    assert {(i.risk, i.band) for i in calm} == {(Decimal("10.00"), "中风险")}
    assert plan_world["far"].pk in {i.training_class.pk for i in plan}


def test_the_draw_is_fixed_for_the_day(plan_world: Any, make_user: Any, county: Any) -> None:
    inspector = make_user(Role.INSPECTOR, county=county("410402"))

    def drawn(day: dt.date) -> list[int]:
        return [
            i.training_class.pk
            for i in selectors.inspection_plan(actor=inspector, on=day)
            if i.chosen
        ]

    assert drawn(DAY) == drawn(DAY)
    assert len({tuple(sorted(drawn(DAY + dt.timedelta(days=d)))) for d in range(6)}) > 1


def test_the_page_shows_risk_and_why(
    plan_world: Any, make_user: Any, client: Any, county: Any
) -> None:
    client.force_login(make_user(Role.INSPECTOR, county=county("410402")))
    page = client.get(reverse("training:inspection_plan"))
    text = page.content.decode()
    assert page.status_code == 200
    first = page.context["items"][0]
    assert first.training_class == plan_world["risky"][0]
    assert "45.00 高风险" in text and "本日未抽中的培训班（10 个）" in text
    assert text.index(plan_world["risky"][0].batch) < text.index(plan_world["middling"][0].batch)
