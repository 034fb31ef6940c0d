"""The demo's online records load, and loading them twice changes nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from chizheng.accounts.models import ApiToken, Role
from chizheng.demo import online
from chizheng.online import config
from chizheng.online.models import PlatformCode
from chizheng.registry.models import Institution

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(
    online_dir: Path,
    make_institution: Callable[..., Any],
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(online, "LEARNERS", 3)
    platform = make_institution(kind=Institution.Kind.PLATFORM, name=online.PLATFORM_NAME)
    make_user(Role.PLATFORM, institution=platform)  # the demo issues its token
    office = make_user(Role.PROGRAMME_OFFICE)
    office.username = "city"
    office.save()
    online.build(rng=random.Random(1))
    files = config.store().files(online.CODE)
    token = (online_dir / "demo-token").read_text().strip()
    online.build(rng=random.Random(1))
    assert config.store().files(online.CODE) == files and files
    assert PlatformCode.objects.get().code == online.CODE
    assert ApiToken.objects.get().prefix == token[:10]  # issued once
    assert pq.read_table(online_dir / "results" / "latest.parquet").num_rows > 0
