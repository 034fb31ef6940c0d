"""The demo's worker child: running while the server runs, stopped with it."""

from __future__ import annotations

import pytest

from chizheng.jobs import process


def test_the_worker_child_runs_for_the_block_and_is_stopped_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stands in for `chizheng worker`: a process that runs until it is told to stop.
    monkeypatch.setattr(process, "COMMAND", ["-c", "import time; time.sleep(120)"])
    with process.worker_process() as child:
        assert child.poll() is None  # running beside the server
    assert child.returncode is not None and child.returncode != 0  # stopped (SIGTERM)
