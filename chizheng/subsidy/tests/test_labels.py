"""Labels of 附件2 and the public notice that name a limit of §21 read the parameter in
force, never a number written into the label: a dated amendment changes them from its date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.rules.tests.amend import amended
from chizheng.subsidy import selectors

from .flow import NOTICE_FROM, on_notice, submitted

INDUSTRY_DAYS = "deadlines.industry_review_working_days"
NOTICE_DAYS = "deadlines.public_notice_min_working_days"


def test_the_industry_review_label_names_the_limit_in_force(tmp_path: Path) -> None:
    assert selectors.industry_review_label(on=dt.date(2022, 6, 1)) == (
        "行业主管部门审核情况（自受理之日起10个工作日内）"
    )
    with amended(tmp_path, INDUSTRY_DAYS, on=dt.date(2023, 1, 1), value=8):
        assert "10个工作日" in selectors.industry_review_label(on=dt.date(2022, 12, 31))
        assert "8个工作日" in selectors.industry_review_label(on=dt.date(2023, 1, 1))


@pytest.mark.django_db
def test_the_claim_page_labels_the_step_with_the_limit_on_its_acceptance(
    money, tmp_path: Path
) -> None:
    claim = submitted(money)  # accepted 2022-06-28
    with clock.freeze(dt.date(2022, 6, 29)):
        label = selectors.claim_page(actor=money.office, claim_id=claim.pk)["form"].steps[0][0]
    assert label == "行业主管部门审核情况（自受理之日起10个工作日内）"
    with (
        amended(tmp_path, INDUSTRY_DAYS, on=dt.date(2022, 6, 1), value=12),
        clock.freeze(dt.date(2022, 6, 29)),
    ):
        page = selectors.claim_page(actor=money.office, claim_id=claim.pk)
    assert page["form"].steps[0][0] == "行业主管部门审核情况（自受理之日起12个工作日内）"


def test_the_shortest_notice_is_the_parameter_in_force(tmp_path: Path) -> None:
    assert selectors.notice_min_days(on=dt.date(2022, 6, 1)) == 5
    with amended(tmp_path, NOTICE_DAYS, on=dt.date(2023, 1, 1), value=7):
        assert selectors.notice_min_days(on=dt.date(2022, 12, 31)) == 5
        assert selectors.notice_min_days(on=dt.date(2023, 1, 1)) == 7


@pytest.mark.django_db
def test_the_notice_pages_name_the_shortest_notice_in_force(money, tmp_path: Path) -> None:
    claim = on_notice(money)
    c = ApiClient()
    with clock.freeze(NOTICE_FROM):
        assert "不少于5个工作日" in c.get("/notices/").content.decode()
        assert "不少于5个工作日" in c.get(f"/notices/{claim.pk}/").content.decode()
    with (
        amended(tmp_path, NOTICE_DAYS, on=dt.date(2022, 6, 1), value=7),
        clock.freeze(NOTICE_FROM),
    ):
        assert "不少于7个工作日" in c.get("/notices/").content.decode()
        assert "不少于7个工作日" in c.get(f"/notices/{claim.pk}/").content.decode()
        c.force_login(money.office)
        page = c.get(f"/subsidy/claims/{claim.pk}/").content.decode()
        assert "公示情况（不少于7个工作日）" in page
