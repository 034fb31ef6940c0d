"""Who may act on a claim or a voucher is the permission table's: the class's institution
claims and binds, the HR bureau closes the notice; a refusal says so in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from chizheng.core import clock
from chizheng.core.errors import PermissionDenied
from chizheng.subsidy import services

from .conftest import CLAIM_DAY
from .flow import CLOSE_DAY, calculated, on_notice

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(PermissionDenied) as refused:
        call()
    assert refused.value.message == message and refused.value.http_status == 403


def test_only_the_class_s_institution_claims(money) -> None:
    w = money.w
    with clock.freeze(CLAIM_DAY):
        _refused(
            lambda: services.claim_calculate(actor=w.hr_a, class_id=money.training_class.pk),
            "您的角色无权执行此操作",
        )
    claim = calculated(money)
    with clock.freeze(CLAIM_DAY):
        _refused(
            lambda: services.claim_submit(
                actor=w.hr_a,
                claim_id=claim.pk,
                applicant_name="张校长",
                commitment=services.COMMITMENT,
            ),
            "只有开班机构可以提交申领",
        )


def test_only_the_hr_bureau_closes_the_notice(money) -> None:
    claim = on_notice(money)
    with clock.freeze(CLOSE_DAY):
        _refused(
            lambda: services.notice_close(actor=money.w.industry_a, claim_id=claim.pk),
            "您的角色无权执行此操作",
        )


def test_only_an_institution_binds_a_voucher(world) -> None:
    with clock.freeze(dt.date(2022, 5, 21)):
        v = services.voucher_issue(
            actor=world.hr_a, person_id=world.people[0].pk, expires_on=dt.date(2022, 12, 31)
        )
        training_class = world.approved(batch="2022-券-01")
    with clock.freeze(dt.date(2022, 5, 22)):
        _refused(
            lambda: services.voucher_bind(
                actor=world.hr_a,
                number=v.number,
                class_id=training_class.pk,
                person_id=world.people[0].pk,
            ),
            "您的角色无权执行此操作",
        )
