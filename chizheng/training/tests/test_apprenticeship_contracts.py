"""An apprenticeship class (企业新型学徒制): each apprentice's labour contract entered per roster
line through the page and the API, with its period checked (§1), and the class page showing
the §20(1) cap and the subsidy per apprentice per year (§20(5))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from chizheng.api.tests.clients import ApiClient
from chizheng.core.errors import NotFound, ValidationError
from chizheng.training import services
from chizheng.training.models import Enrolment, Status

pytestmark = pytest.mark.django_db


def _apprentices(world):
    for t in world.teachers:
        t.full_time = True
        t.save(update_fields=["full_time"])
    return world.apply(
        mode="apprenticeship", batch="学徒", end_date=dt.date(2023, 6, 6), roster=world.people[:2]
    )


def test_a_contract_is_checked_when_it_is_entered(world) -> None:
    k = _apprentices(world)
    p = world.people[0]
    with pytest.raises(ValidationError, match="终止日期应晚于起始日期"):
        services.apprentice_contract_set(
            actor=world.applicant,
            class_id=k.pk,
            person_id=p.pk,
            contract_start=dt.date(2022, 5, 1),
            contract_end=dt.date(2022, 5, 1),
        )
    with pytest.raises(ValidationError, match="学徒须签订12个月以上劳动合同，该合同为11个月"):
        services.apprentice_contract_set(
            actor=world.applicant,
            class_id=k.pk,
            person_id=p.pk,
            contract_start=dt.date(2022, 5, 1),
            contract_end=dt.date(2023, 4, 30),
        )
    with pytest.raises(NotFound):
        services.apprentice_contract_set(
            actor=world.applicant,
            class_id=k.pk,
            person_id=world.people[10].pk,
            contract_start=dt.date(2022, 5, 1),
            contract_end=dt.date(2023, 5, 1),
        )
    commissioned = world.apply(batch="委托")
    with pytest.raises(ValidationError, match="只有企业新型学徒制培训班"):
        services.apprentice_contract_set(
            actor=world.applicant,
            class_id=commissioned.pk,
            person_id=p.pk,
            contract_start=dt.date(2022, 5, 1),
            contract_end=dt.date(2023, 5, 1),
        )


def test_contracts_through_the_page_then_submission(world) -> None:
    k = _apprentices(world)
    client = Client()
    client.force_login(world.applicant)
    page = client.get(reverse("training:detail", kwargs={"class_id": k.pk})).content.decode()
    assert 'data-testid="apprentice-cap">40<' in page  # 2 full-time teachers × 20
    assert "企业新型学徒制 中级工（每人每年） 5,000.00 元" in page
    assert 'data-testid="contract-form-1"' in page
    for p in world.people[:2]:
        client.post(
            reverse("training:contract", kwargs={"class_id": k.pk, "person_id": p.pk}),
            {"contract_start": "2022-05-01", "contract_end": "2024-04-30"},
        )
    assert (
        Enrolment.objects.filter(training_class=k, contract_end=dt.date(2024, 4, 30)).count() == 2
    )
    client.post(reverse("training:submit", kwargs={"class_id": k.pk}))
    k.refresh_from_db()
    assert k.status == Status.SUBMITTED
    page = client.get(reverse("training:detail", kwargs={"class_id": k.pk})).content.decode()
    assert "2022-05-01 至 2024-04-30" in page and 'data-testid="contract-form-1"' not in page


def test_contracts_through_the_api(world) -> None:
    k = _apprentices(world)
    api = ApiClient()
    api.force_login(world.applicant)
    url = f"/api/v1/classes/{k.pk}/roster/{world.people[0].pk}/contract"
    r = api.put(
        url,
        {"contract_start": "2022-05-01", "contract_end": "2022-10-01"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "12个月以上" in r.json()["message"]
    r = api.put(
        url,
        {"contract_start": "2022-05-01", "contract_end": "2023-05-01"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["contract_end"] == "2023-05-01"
    other = ApiClient()
    other.force_login(world.other_applicant)
    r = other.put(
        url,
        {"contract_start": "2022-05-01", "contract_end": "2023-05-01"},
        content_type="application/json",
    )
    assert r.status_code == 404
