"""``chizheng worker [--once]``: run background jobs (and the nightly ones at their time)."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "运行后台任务：依次执行排队的任务（导入、审计、导出、夜间核查），按时排入夜间任务，"
        "接管已停止的工作进程未完成的任务。--once 执行完当前排队的任务即退出"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="执行完当前排队的任务后退出")
        parser.add_argument("--worker-id", default="", help="工作进程标识（默认自动生成）")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(worker_id=options["worker_id"])
        if options["once"]:
            n = worker.drain(maintain=True)
            self.stdout.write(f"已执行 {n} 个任务")
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            if worker.stopping.is_set():
                # A second signal: stop now; the running job is handed back to the queue.
                sys.exit(1)
            self.stderr.write("正在停止：当前任务完成后退出（再按一次立即停止）")
            worker.stop()

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        self.stdout.write(f"工作进程 {worker.worker_id} 已启动")
        worker.run()
