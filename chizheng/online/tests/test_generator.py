"""The audit finds exactly the violations the generator planted, on every segment."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chizheng.online import audit, generator
from chizheng.online.schema import RULES


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> generator.Generated:
    out: Path = tmp_path_factory.mktemp("gen")
    return generator.generate(out, learners=40, seed=7, violation_rate=0.3, learners_per_file=15)


@pytest.mark.parametrize("engine", ["duckdb", "duckdb-baseline"])
def test_audit_matches_expected_on_every_segment(
    generated: generator.Generated, engine: str
) -> None:
    expected = pq.read_table(generated.expected)
    result = audit.audit(generated.files, engine=engine)  # type: ignore[arg-type]
    assert result.num_rows == expected.num_rows == generated.segments
    assert result.to_pylist() == expected.to_pylist()


def test_every_rule_is_planted(generated: generator.Generated) -> None:
    flags = pq.read_table(generated.expected).column("flags")
    for code in RULES:
        assert generated.planted[code] > 0
        assert pc.sum(pc.match_substring(flags, code)).as_py() > 0
    assert pc.sum(pc.equal(flags, "")).as_py() > generated.segments // 2


def test_same_seed_same_log(tmp_path: Path) -> None:
    a = generator.generate(tmp_path / "a", learners=3, seed=5)
    b = generator.generate(tmp_path / "b", learners=3, seed=5)
    assert [pq.read_table(f) for f in a.files] == [pq.read_table(f) for f in b.files]
