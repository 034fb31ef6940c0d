from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chizheng.online.tests import logs


@pytest.fixture(params=["duckdb", "duckdb-baseline"])
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a rule test on each engine: the fast query and the simple baseline."""
    previous = logs.ENGINE
    logs.ENGINE = request.param
    yield request.param
    logs.ENGINE = previous


@pytest.fixture
def online_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh event store for the test."""
    path = tmp_path / "online"
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(path))
    return path


@pytest.fixture
def platform_token(make_institution: Any, make_user: Any) -> Any:
    """A new platform with its code registered by the office and a user who issued an API
    token: ``platform_token("P1") -> token``."""
    from chizheng.accounts.models import Role
    from chizheng.online.tests.platforms import issue_platform_token
    from chizheng.registry.models import Institution

    office = make_user(Role.PROGRAMME_OFFICE)

    def issue(code: str) -> str:
        inst = make_institution(kind=Institution.Kind.PLATFORM, name=f"平台{code}")
        return issue_platform_token(office, inst, code, make_user)

    return issue


@pytest.fixture
def world(
    online_dir: Path, make_user: Any, make_institution: Any, make_person: Any, today: Any
) -> Any:
    """Two counties' classes on two platforms, with an audit brought into the system; the
    system's date is 2022-06-10 (after the log's day)."""
    import datetime as dt

    from chizheng.online.tests.world import build

    today(dt.date(2022, 6, 10))
    return build(make_user, make_institution, make_person)
