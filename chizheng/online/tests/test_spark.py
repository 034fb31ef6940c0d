"""The Spark engine gives the same result as DuckDB, segment by segment.

One Spark run (local mode) over a log that holds the generator's planted violations and
the hand-written boundary cases side by side (each case its own learner). Starting a JVM
and planning ~60 Spark stages takes 30 s to 2 min on a 2-core machine. It always runs: Java
comes from ``scripts/ensure-system-packages`` (which ``make test`` runs), and a missing Java
fails the test rather than skipping it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chizheng.online import audit, generator
from chizheng.online.tests.logs import Log

if shutil.which("java") is None:
    raise RuntimeError(
        "Spark needs Java: run scripts/ensure-system-packages (default-jre-headless)"
    )


@pytest.fixture(autouse=True, scope="module")
def _spark_stopped() -> Iterator[None]:
    yield
    from chizheng.online.engines import spark

    if spark._session is not None:
        spark._session.stop()
        spark._session = None


def _boundaries() -> Log:
    log = Log(platform="PX")
    log.play(0, 300, popups=False, learner="pop300").play(0, 301, popups=False, learner="pop301")
    log.play(0, 300, learner="rate101").hb(330, rate=1.01, learner="rate101")
    log.play(0, 60, learner="ff95").hb(90, pos=95, learner="ff95")
    log.play(0, 60, learner="ff95x").hb(90, pos=95.001, learner="ff95x")
    log.play(0, 600, learner="reach").play(2000, 2300, session="S2", pos0=600, learner="reach")
    log.play(0, 600, learner="mw").play(300, 400, session="S2", pos0=306, learner="mw")
    log.play(0, 600, learner="touch").play(600, 900, session="S2", course="C2", learner="touch")
    log.add("face", 0, ok=True, learner="gap").hb(0, learner="gap").hb(61, pos=61, learner="gap")
    log.play(100, 400, face=False, learner="face60").add("face", 160, ok=True, learner="face60")
    log.play(100, 400, face=False, learner="face61").add("face", 161, ok=True, learner="face61")
    log.play(0, 120, learner="seq").add("done", 200.001, learner="seq")
    log.play(200, 300, lesson=2, learner="seq")
    log.play(0, 5400, photos=False, learner="photo").add("photo", 100, learner="photo")
    log.add("photo", 2700, learner="photo")
    log.play(0, 2700, photos=False, learner="photo1")
    log.rows.append({**log.rows[5], "rate": 2.0})  # a duplicate, ignored
    return log


def test_spark_equals_duckdb(tmp_path: Path) -> None:
    gen = generator.generate(tmp_path / "gen", learners=12, seed=3, violation_rate=0.3)
    cases = tmp_path / "cases.parquet"
    pq.write_table(_boundaries().table(), cases)
    files = [*gen.files, cases]
    duck = audit.audit(files)
    spark = audit.audit(files, engine="spark")
    assert isinstance(spark, pa.Table)
    assert spark.num_rows == duck.num_rows > gen.segments
    assert spark.to_pylist() == duck.to_pylist()
