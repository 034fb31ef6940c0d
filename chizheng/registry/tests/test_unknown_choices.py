"""Unknown choice values are refused, naming the allowed ones in Chinese — through the API,
the services (the boundary of commands and imports) and the pages — never stored as given
(``{"kind": "garbage"}`` once created a blacklist)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core.errors import ValidationError
from chizheng.org.models import County
from chizheng.registry import services
from chizheng.registry.models import Institution, Sanction

pytestmark = pytest.mark.django_db


def test_a_garbage_sanction_kind_is_refused_not_a_blacklist(
    client: Client, make_user: Callable[..., Any], make_institution: Callable[..., Any]
) -> None:
    inst = make_institution()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    r = client.post(
        f"/api/v1/institutions/{inst.pk}/sanctions",
        {"kind": "garbage", "starts_on": "2022-05-10", "reason": "测试"},
        content_type="application/json",
    )
    assert r.status_code == 422
    reason = r.json()["detail"][0]
    assert reason == {
        "field": "kind",
        "reason": "处理类型应为：停止开班整改、黑名单、平台禁止参与补贴培训",
    }
    assert not Sanction.objects.exists()


def test_the_services_refuse_unknown_values(
    make_user: Callable[..., Any], make_institution: Callable[..., Any], occupations: None
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    with pytest.raises(ValidationError) as e:
        services.sanction_create(
            actor=office,
            institution_id=inst.pk,
            kind="garbage",
            starts_on=dt.date(2022, 5, 10),
            reason="测试",
        )
    assert "黑名单" in e.value.message and e.value.detail["allowed"] == Sanction.Kind.values
    with pytest.raises(ValidationError):
        services.catalog_add(
            actor=office,
            institution_id=inst.pk,
            year=2022,
            occupation_code="6-18-02-05",
            valid_from=dt.date(2022, 3, 1),
            source="garbage",
        )
    with pytest.raises(ValidationError) as e:
        services.institution_create(
            actor=office,
            name="新机构",
            credit_code="91410400MA0000009X",
            kind="garbage",
            county=County.objects.get(code="410402"),
        )
    assert "民办职业培训学校" in e.value.message
    with pytest.raises(ValidationError):
        services.institution_update(actor=office, institution_id=inst.pk, evaluator_kind="garbage")
    with pytest.raises(ValidationError) as e:
        services.person_register(
            actor=None,
            name="张三",
            id_number="11010519491231002X",
            county=County.objects.get(code="410402"),
            key_group="garbage",
        )
    assert "农民工" in e.value.message
    assert not Institution.objects.filter(kind="garbage").exists()
