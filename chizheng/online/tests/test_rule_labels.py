"""The rules' Chinese names carry the numbers of the policy in force (§20(3) "连续5分钟内无
弹窗管控" is ``online.popup_max_gap_s``), on a learner's void segments and the dashboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.online import audit, selectors
from chizheng.online.results import RULE_CODES, rule_labels, void_segments
from chizheng.online.tests.logs import Log
from chizheng.rules.tests.amend import amended

POPUP = "online.popup_max_gap_s"


def test_the_popup_rule_names_the_gap_in_force(tmp_path: Path) -> None:
    assert rule_labels(dt.date(2022, 6, 1))["POP"] == "连续5分钟内无弹窗管控"
    assert set(rule_labels(dt.date(2022, 6, 1))) == set(RULE_CODES)
    with amended(tmp_path, POPUP, on=dt.date(2023, 1, 1), value=240):
        assert rule_labels(dt.date(2022, 12, 31))["POP"] == "连续5分钟内无弹窗管控"
        assert rule_labels(dt.date(2023, 1, 1))["POP"] == "连续4分钟内无弹窗管控"


def test_a_gap_of_part_of_a_minute_is_named_in_seconds(tmp_path: Path) -> None:
    with amended(tmp_path, POPUP, on=dt.date(2023, 1, 1), value=90):
        assert rule_labels(dt.date(2023, 1, 1))["POP"] == "连续90秒内无弹窗管控"


def test_a_void_segment_is_labelled_with_the_policy_of_its_audit(tmp_path: Path) -> None:
    log = Log().play(0, 600, popups=False).add("popup", 400, ok=True)  # a 400 s gap
    with amended(tmp_path, POPUP, on=dt.date(2023, 1, 1), value=240):
        at = dt.date(2023, 6, 1)
        (seg,) = void_segments(audit.audit(log.table(), at=at), learner="L1", at=at)
    assert ("POP", "连续4分钟内无弹窗管控", "§20(3)") in seg.rules


@pytest.mark.django_db
def test_the_dashboard_heads_name_todays_values(world: Any, tmp_path: Path) -> None:
    client = ApiClient()
    client.force_login(world.office)
    with clock.freeze(dt.date(2022, 6, 1)):
        assert "连续5分钟内无弹窗管控" in client.get("/online/").content.decode()
    with amended(tmp_path, POPUP, on=dt.date(2022, 6, 1), value=240):
        with clock.freeze(dt.date(2022, 6, 1)):
            body = client.get("/online/").content.decode()
        assert "连续4分钟内无弹窗管控" in body and "连续5分钟" not in body
        assert selectors.rule_headers(on=dt.date(2022, 5, 31))[4] == (
            "POP",
            "连续5分钟内无弹窗管控",
        )
