"""Fixtures of the jobs tests: kinds whose handlers count, refuse, crash or are interrupted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chizheng.jobs import kinds

from . import handlers

TEST_KINDS = {
    "test.counts": kinds.Kind("test.counts", "计数", "chizheng.jobs.tests.handlers.counts"),
    "test.refuses": kinds.Kind("test.refuses", "拒绝", "chizheng.jobs.tests.handlers.refuses"),
    "test.crashes": kinds.Kind(
        "test.crashes", "出错", "chizheng.jobs.tests.handlers.crashes", max_attempts=2
    ),
    "test.crashes_once": kinds.Kind(
        "test.crashes_once", "出错一次", "chizheng.jobs.tests.handlers.crashes_once"
    ),
    "test.in_transaction": kinds.Kind(
        "test.in_transaction", "事务内计数", "chizheng.jobs.tests.handlers.counts_in_a_transaction"
    ),
    "test.interrupted": kinds.Kind(
        "test.interrupted", "被停止", "chizheng.jobs.tests.handlers.interrupted"
    ),
}


@pytest.fixture
def test_kinds(settings: object) -> Iterator[None]:
    handlers.SEEN.clear()
    settings.WORKER_RETRY_DELAY_SECONDS = 0  # type: ignore[attr-defined]
    kinds.KINDS.update(TEST_KINDS)
    yield
    for name in TEST_KINDS:
        kinds.KINDS.pop(name, None)
