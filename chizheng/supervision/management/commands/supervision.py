"""``chizheng supervision scan [--year Y] [--json]``: run every cross-check over the city-year,
store the findings (replacing the year's open ones) and print them."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.supervision import selectors, services


class Command(BaseCommand):
    help = "监督核查：对全市一个年度的记录运行全部交叉比对，保存并列出核查线索"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="运行全部交叉比对并列出核查线索")
        scan.add_argument("--year", type=int, default=None, help="年度（默认：系统当前日期的年度）")
        scan.add_argument("--json", action="store_true", help="以 JSON 输出线索列表")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or clock.today().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间")
        try:
            result = services.scan(year=year)
        except DomainError as e:
            raise CommandError(e.message) from e
        findings = list(selectors.findings_all(year=year))
        if options["json"]:
            self.stdout.write(
                json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
            )
            return
        for f in findings:
            self.stdout.write(f"[{f.clause}] {f.get_kind_display()}  分值 {f.score}  {f.summary}")
        self.stdout.write(
            f"{year}年度核查线索 {len(findings)} 条（新增 {result.added}，更新 {result.updated}，"
            f"移除 {result.removed}），用时 {result.total_seconds:.2f} 秒"
        )
