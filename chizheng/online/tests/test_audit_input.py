"""What the audit accepts: event files with the spec's columns, one policy period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from chizheng.core.errors import ValidationError
from chizheng.online import audit
from chizheng.online.parameters import PolicySpanError
from chizheng.online.tests.logs import Log
from chizheng.rules.params import PolicyNotInForce


def test_not_parquet_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "events.parquet"
    bad.write_text("hello")
    with pytest.raises(ValidationError) as exc:
        audit.audit([bad])
    assert exc.value.code == "online_bad_file"


def test_empty_log_has_no_segments() -> None:
    log = Log()
    assert audit.audit(log.table()).num_rows == 0


def test_parameters_come_from_the_policy_at_the_date() -> None:
    log = Log().play(0, 300)
    with pytest.raises(PolicyNotInForce):
        audit.audit(log.table(), at=dt.date(2021, 6, 1))
    assert audit.audit(log.table(), at=dt.date(2022, 6, 1)).num_rows == 1


def _policy_with_amendment(tmp_path: Path) -> Path:
    """The real online parameters, with popup_max_gap_s lowered to 240 s from 2023."""
    import yaml

    src = Path(__file__).resolve().parents[3] / "policy" / "parameters" / "online.yaml"
    doc = yaml.safe_load(src.read_text(encoding="utf-8"))
    versions = doc["parameters"]["online.popup_max_gap_s"]["versions"]
    versions[0]["until"] = dt.date(2022, 12, 31)
    versions.append({**versions[0], "from": dt.date(2023, 1, 1), "value": 240})
    del versions[1]["until"]
    out = tmp_path / "policy" / "parameters"
    out.mkdir(parents=True)
    (out / "online.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return tmp_path / "policy"


@pytest.fixture
def amended_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from chizheng.rules import params

    monkeypatch.setenv("CHIZHENG_POLICY_DIR", str(_policy_with_amendment(tmp_path)))
    params.current.cache_clear()
    yield
    params.current.cache_clear()


@pytest.mark.usefixtures("amended_policy")
def test_the_policy_value_in_force_is_used() -> None:
    log = Log().play(0, 600, popups=False).add("popup", 300, ok=True)  # gaps of 300 s
    assert log.flags(at=dt.date(2022, 6, 1)) == [""]
    assert log.flags(at=dt.date(2023, 6, 1)) == ["POP"]


@pytest.mark.usefixtures("amended_policy")
def test_a_log_across_a_policy_change_is_refused() -> None:
    log = Log().play(0, 300)
    log.add("popup", 86_400 * 300, ok=True)  # the log runs into 2023
    with pytest.raises(PolicySpanError) as exc:
        audit.audit(log.table())
    assert exc.value.detail["parameters"] == ["online.popup_max_gap_s"]
