"""/online/: per platform, the share of void time overall and per rule, by day or month."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from chizheng.api.tests.clients import ApiClient

pytestmark = pytest.mark.django_db


def _get(user: Any, path: str) -> Any:
    client = ApiClient()
    client.force_login(user)
    return client.get(path)


def test_the_office_sees_each_platforms_share(world: Any) -> None:
    r = _get(world.office, "/online/")
    assert r.status_code == 200
    body = r.content.decode()
    assert f'data-testid="void-share-{world.p1.pk}">10.0%' in body  # 600 of 6000 s
    assert f'data-testid="void-share-{world.p2.pk}">0.0%' in body
    assert "vendor/echarts/echarts.min.js" in body and "online-chart-data" in body
    assert "2022-06-01" in body
    assert "2022-06" in _get(world.office, "/online/?period=month").content.decode()


def test_a_platform_name_cannot_close_the_charts_data_block(world: Any) -> None:
    """The chart's data is written with json_script: a name holding </script> stays data."""
    world.p1.name = "平台一</script><script>alert(1)</script>"
    world.p1.save()
    body = _get(world.office, "/online/").content.decode()
    data = body[body.index('id="online-chart-data"') :]
    data = data[: data.index("</script>")]
    assert "<script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in data


def test_export_has_the_same_numbers(world: Any) -> None:
    r = _get(world.office, "/online/?format=xlsx&period=month")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "线上平台",
        "月份",
        "有效时长（小时）",
        "无效时长（小时）",
        "无效占比（%）",
    )
    p1 = next(row for row in rows[1:] if row[0] == "平台一")
    assert p1[1] == "2022-06-01" and p1[4] == 10.0 and p1[6] == 10.0  # FF


def test_a_county_sees_only_its_countys_platforms(world: Any) -> None:
    body = _get(world.county_b, "/online/").content.decode()
    assert "平台二" in body and "平台一" not in body
    body = _get(world.county_b, "/online/?format=xlsx").content
    ws = load_workbook(io.BytesIO(body)).active
    assert ws is not None
    assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == {"平台二"}


@pytest.mark.parametrize("who", ["inst_a", "platform_a", "worker_a1"])
def test_institutions_platforms_and_workers_get_nothing(world: Any, who: str) -> None:
    user = getattr(world, who)
    for path in ("/online/", "/online/?format=xlsx", "/api/v1/online/platform-shares"):
        r = _get(user, path)
        assert r.status_code == 403
        assert b"\xe5\xb9\xb3\xe5\x8f\xb0\xe4\xb8\x80" not in r.content  # "平台一"


def test_the_api_gives_the_same_shares(world: Any) -> None:
    r = _get(world.county_a, "/api/v1/online/platform-shares?period=month")
    assert r.status_code == 200
    (row,) = r.json()
    assert row["platform_name"] == "平台一" and row["void_share"] == 0.1
    assert row["rule_shares"]["FF"] == 0.1 and row["rule_shares"]["MW"] == 0.0
