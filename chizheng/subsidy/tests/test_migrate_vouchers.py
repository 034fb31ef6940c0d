"""Migration 0008: a voucher redeemed under the earlier rule (on the certificate alone)
without a paid claim line goes back to 已取证，待兑付, with an event saying why; going back
restores the earlier state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chizheng.core import ids
from chizheng.registry.services import person_register
from chizheng.subsidy.models import Voucher, VoucherStatus

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("subsidy", "0007_voucher_redeemed_on_payment")]
AFTER = [("subsidy", "0008_voucher_redeemed_on_payment_data")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema() -> object:
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_voucher_redeemed_without_a_paid_line_awaits_the_payment(city) -> None:
    _migrate(BEFORE)
    county = city.counties.get(code="410402")
    person = person_register(
        actor=None, name="学员", id_number=ids.make("410402", dt.date(1990, 1, 1), 1), county=county
    )
    v = Voucher.objects.create(
        number="PDS20224104020000000101",
        person=person,
        county=county,
        status=VoucherStatus.REDEEMED,
        issued_on=dt.date(2022, 3, 1),
        expires_on=dt.date(2022, 12, 31),
        amount=Decimal("1600.00"),
        standard_key="level_4",
    )
    _migrate(AFTER)
    v.refresh_from_db()
    assert (v.status, v.amount, v.standard_key) == ("certified", None, "")
    event = v.events.get()
    assert (event.name, event.from_status, event.to_status) == ("certify", "redeemed", "certified")
    assert "兑付改在补贴拨付时进行" in event.reason
    _migrate(BEFORE)
    v.refresh_from_db()
    assert v.status == VoucherStatus.REDEEMED
