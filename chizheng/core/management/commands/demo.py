from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chizheng import demo
from chizheng.jobs.process import worker_process


class Command(BaseCommand):
    help = "建立演示环境：迁移数据库、载入基础数据和演示数据、打印演示账号，然后启动网站和后台任务工作进程（--no-serve 不启动）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        logins = demo.build()
        self.stdout.write(f"演示数据已载入。演示账号（密码均为 {demo.PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role}  {login.scope}")
        if options["no_serve"]:
            return
        self.stdout.write(f"网站地址：http://{options['addr']}/")
        # The background jobs' worker runs beside the server and stops with it.
        with worker_process():
            self.stdout.write("后台任务工作进程已启动（chizheng worker）")
            call_command("runserver", options["addr"], insecure_serving=True, use_reloader=False)
