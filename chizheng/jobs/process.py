"""A worker as a child process, for as long as a ``with`` block runs (the demo's server)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

STOP_WAIT_S = 60  # a graceful stop lets the running job finish; then it is killed


@contextmanager
def worker_process() -> Iterator[subprocess.Popen[bytes]]:
    # Its own session: a Ctrl-C in the terminal stops the server, which then stops the worker
    # once (gracefully), rather than both receiving it.
    proc = subprocess.Popen(
        [sys.executable, "-m", "chizheng", "worker"], env=os.environ.copy(), start_new_session=True
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
