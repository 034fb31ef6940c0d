"""For tests: run what the queue holds, here and now, through the real worker code."""

from __future__ import annotations

from chizheng.jobs.worker import Worker


def drain() -> int:
    # The test's transaction holds SQLite's one writer: the heartbeat goes on its connection.
    return Worker(worker_id="test-worker", beat_thread=False).drain()
