"""A worker as a child process, for as long as a ``with`` block runs (the demo's server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_WAIT_S = 60  # a graceful stop lets the running job finish; then it is killed
COMMAND = ["-m", "chizheng", "worker"]  # run with this interpreter


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # so that the ``finally`` below runs and stops the worker


@contextmanager
def worker_process() -> Iterator[subprocess.Popen[bytes]]:
    # Its own session: a Ctrl-C in the terminal stops the server, which then stops the worker
    # once (gracefully), rather than both receiving it.
    proc = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed command
        [sys.executable, *COMMAND], env=os.environ.copy(), start_new_session=True
    )
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield proc
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
