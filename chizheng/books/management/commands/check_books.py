"""``chizheng check-books [--json]``: verify the invariants across areas (``books.checks``);
exit 1 naming the first that is broken."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.books import checks


class Command(BaseCommand):
    help = (
        "核对账目：已拨付补贴均有证书、到课和兑付的培训券，资金余额与预算、拨付、追缴相符，"
        "目标进度与证书一致，证书可追溯到考核，同一人同一职业等级只补贴一次；不符时退出码 1"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出每项核对的结果")

    def handle(self, *args: Any, **options: Any) -> None:
        results = checks.run()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "code": r.code,
                            "label": r.label,
                            "ok": r.ok,
                            "checked": r.checked,
                            "broken": r.broken,
                        }
                        for r in results
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for r in results:
                mark = "✓" if r.ok else "✗"
                self.stdout.write(f"{mark} {r.label}（核对 {r.checked} 项）")
                for line in r.broken:
                    self.stdout.write(f"    {line}")
        first = next((r for r in results if not r.ok), None)
        if first is not None:
            self.stderr.write(f"账目不符：{first.label}——{first.broken[0]}")
            raise SystemExit(1)
