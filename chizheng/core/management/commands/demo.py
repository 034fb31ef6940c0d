"""``chizheng demo``: migrate, load the demo city-year, print the logins, then hand over to
the production server (``chizheng serve``), as ``make run`` does."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chizheng import demo
from chizheng.jobs.process import worker_process


class Command(BaseCommand):
    help = "建立演示环境：迁移数据库、载入基础数据和演示数据、打印演示账号，然后以生产服务器启动网站和后台任务工作进程（--no-serve 不启动）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", default="8000", help="端口（默认 8000）")
        parser.add_argument("--workers", default="2", help="工作进程数（默认 2）")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        logins = demo.build()
        self.stdout.write(f"演示数据已载入。演示账号（密码均为 {demo.PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role}  {login.scope}")
        env_file = os.environ.get("CHIZHENG_ENV_FILE")
        if env_file:
            self.stdout.write(f"其他命令使用演示环境的设置：export CHIZHENG_ENV_FILE={env_file}")
        if options["no_serve"]:
            return
        # The background jobs' worker runs beside the server and stops with it.
        with worker_process():
            self.stdout.write("后台任务工作进程已启动（chizheng worker）")
            call_command(
                "serve",
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                stdout=self.stdout,
            )
