"""The standard: YAML values of 2022 with their source; the office's dated versions win
from their date, audited; never in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.rules.params import PolicyNotInForce
from chizheng.subsidy import services, standards

from .flow import calculated

pytestmark = pytest.mark.django_db

EXPECTED_2022 = {
    "level_5": "1200",
    "level_4": "1600",
    "level_3": "2000",
    "level_2": "4000",
    "level_1": "5000",
    "training_pass": "700",
    "special_operation": "800",
    "special_operation_reexam": "300",
    "special_ability": "800",
    "apprenticeship_level_4": "5000",
    "apprenticeship_level_3": "6000",
}


def test_the_2022_standard_and_its_source(db) -> None:
    table = standards.standard_at(dt.date(2022, 6, 1))
    assert {k: str(i.amount) for k, i in table.items.items()} == EXPECTED_2022
    item = table.items["level_4"]
    assert item.source == "豫人社规〔2022〕2号" and "待市人社局确认" in item.note
    assert item.origin == "policy"


def test_no_standard_before_2022_raises(db) -> None:
    with pytest.raises(PolicyNotInForce):
        standards.standard_at(dt.date(2021, 12, 31))


@pytest.mark.parametrize(
    ("kind", "level", "apprentice", "key"),
    [
        ("skill_level", 4, False, "level_4"),
        ("vocational_qualification", 1, False, "level_1"),
        ("skill_level", None, False, None),
        ("skill_level", 3, True, "apprenticeship_level_3"),
        ("skill_level", 5, True, None),
        ("training_pass", None, False, "training_pass"),
        ("special_operation", None, False, "special_operation"),
        ("special_ability", None, False, "special_ability"),
    ],
)
def test_which_item_a_certificate_earns(kind, level, apprentice, key) -> None:
    assert standards.key_for(kind, level, apprenticeship=apprentice) == key


def test_the_apprenticeship_levels_are_the_policys(tmp_path) -> None:
    """Which levels the apprenticeship standard covers is read from the items of
    ``subsidy.standard``: a version adding 技师（二级） makes level 2 earn its item."""
    from chizheng.rules import params
    from chizheng.rules.tests.amend import amended

    assert standards.apprenticeship_levels() == {3, 4}
    assert standards.key_for("skill_level", 2, apprenticeship=True) is None
    shipped = dict(params.current().value(standards.PARAMETER, dt.date(2022, 6, 1)))
    with amended(
        tmp_path,
        standards.PARAMETER,
        on=dt.date(2023, 1, 1),
        value={**shipped, "apprenticeship_level_2": "7000"},
    ):
        assert standards.apprenticeship_levels() == {2, 3, 4}
        assert standards.key_for("skill_level", 2, apprenticeship=True) == "apprenticeship_level_2"
        assert standards.standard_at(dt.date(2022, 12, 31)).amount("apprenticeship_level_2") is None
        assert standards.standard_at(dt.date(2023, 1, 1)).amount("apprenticeship_level_2") == 7000


def test_the_office_enters_a_new_dated_version(money) -> None:
    city = money.office.city_id
    before = standards.standard_at(dt.date(2022, 6, 1), city_id=city).fingerprint
    with clock.freeze(dt.date(2022, 6, 1)):
        services.standard_version_add(
            actor=money.office,
            key="level_4",
            amount=Decimal("1800"),
            valid_from=dt.date(2022, 6, 20),
            clause="§20(5)",
            original="中级工补贴标准调整为每人1800元",
            source="平人社〔2022〕（示例）",
            note="市人社局确认后调整",
        )
    assert standards.standard_at(dt.date(2022, 6, 19), city_id=city).amount("level_4") == Decimal(
        "1600"
    )
    after = standards.standard_at(dt.date(2022, 6, 20), city_id=city)
    assert (
        after.amount("level_4") == Decimal("1800.00") and after.items["level_4"].origin == "office"
    )
    assert after.fingerprint != before
    assert AuditEvent.objects.filter(action="subsidy.standard_version").count() == 1
    claim = calculated(money)  # calculated on 2022-06-28
    assert claim.amount == Decimal("50400.00")  # 28 × 1800
    # another city's claims keep the policy file's amount
    assert standards.standard_at(dt.date(2022, 6, 20), city_id=city + 1).amount(
        "level_4"
    ) == Decimal("1600")


def test_only_the_office_edits_the_standard(money) -> None:
    for u in (money.w.hr_a, money.finance_a, money.w.applicant):
        with pytest.raises(PermissionDenied):
            services.standard_version_add(
                actor=u,
                key="level_4",
                amount=Decimal("1"),
                valid_from=dt.date(2022, 7, 1),
                clause="§20(5)",
                original="x",
                source="y",
            )
    with pytest.raises(ValidationError):
        services.standard_version_add(
            actor=money.office,
            key="level_9",
            amount=Decimal("1"),
            valid_from=dt.date(2022, 7, 1),
            clause="§20(5)",
            original="x",
            source="y",
        )


def test_the_standards_page_and_form(money) -> None:
    c = ApiClient()
    c.force_login(money.office)
    assert "1,600.00" in c.get("/subsidy/standards/?at=2022-06-01").content.decode()
    r = c.post(
        "/subsidy/standards/",
        {
            "key": "training_pass",
            "amount": "650",
            "valid_from": "2022-09-01",
            "clause": "§20(5)",
            "source": "示例文件",
            "original": "培训合格证书补贴调整为650元",
        },
    )
    assert r.status_code == 302
    assert standards.standard_at(dt.date(2022, 9, 1), city_id=money.office.city_id).amount(
        "training_pass"
    ) == Decimal("650.00")
