from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.core import audit


class Command(BaseCommand):
    help = (
        "审计日志：chizheng audit verify 校验哈希链，发现篡改时退出码为 1 并指出第一条被破坏的记录"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit.verify()
        if broken:
            self.stderr.write(f"审计日志校验失败：{broken.problem}（seq={broken.seq}）")
            raise SystemExit(1)
        self.stdout.write(f"审计日志完整：{checked} 条记录，哈希链无断裂")
