"""The office confirms a platform's violations: banned for the policy's period (§20(3)),
audited, and its uploads refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core.models import AuditEvent
from chizheng.online.tests.logs import Log, ndjson
from chizheng.registry.models import Sanction

pytestmark = pytest.mark.django_db


def _upload(token: str, code: str, log: Log) -> Any:
    return ApiClient().post(
        f"/api/v1/online/platforms/{code}/events",
        data=ndjson(log.rows),
        content_type="application/x-ndjson",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _confirm(user: Any, platform_id: int, **data: str) -> Any:
    client = ApiClient()
    client.force_login(user)
    payload = {"violated_on": "2022-06-02", "reason": "快进播放占比过高"} | data
    return client.post(f"/online/platforms/{platform_id}/confirm/", payload, follow=True)


def test_confirming_bans_the_platform_and_refuses_its_uploads(world: Any) -> None:
    assert _upload(world.tokens["P1"], "P1", Log(platform="P1").play(0, 300)).status_code == 200
    r = _confirm(world.office, world.p1.pk)
    assert "已确认违规" in r.content.decode()
    assert f'data-testid="banned-{world.p1.pk}"' in r.content.decode()
    assert f'data-testid="confirm-{world.p1.pk}"' not in r.content.decode()
    s = Sanction.objects.get(institution=world.p1)
    assert s.kind == Sanction.Kind.PLATFORM_BAN and s.clause == "§20(3)"
    assert (s.starts_on, s.ends_on) == (dt.date(2022, 6, 2), dt.date(2024, 6, 2))
    assert AuditEvent.objects.filter(action="online.violation.confirm").count() == 1
    refused = _upload(world.tokens["P1"], "P1", Log(platform="P1").play(1000, 1300))
    assert refused.status_code == 409
    assert refused.json()["code"] == "platform_banned"
    assert "参与补贴性线上培训" in refused.json()["message"]
    # the other platform still uploads
    assert _upload(world.tokens["P2"], "P2", Log(platform="P2").play(0, 300)).status_code == 200


@pytest.mark.parametrize("who", ["county_a", "county_b", "inst_a", "platform_a", "worker_a1"])
def test_only_the_programme_office_confirms(world: Any, who: str) -> None:
    r = _confirm(getattr(world, who), world.p1.pk)
    assert "已确认违规" not in r.content.decode()
    assert not Sanction.objects.exists()


def test_a_reason_and_a_past_date_are_required(world: Any) -> None:
    assert "请填写违规事实" in _confirm(world.office, world.p1.pk, reason=" ").content.decode()
    assert "请填写违规日期" in _confirm(world.office, world.p1.pk, violated_on="").content.decode()
    assert not Sanction.objects.exists()
