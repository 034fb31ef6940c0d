"""``chizheng policy show [--at DATE] [NAME]``: the policy parameters in force, without a
database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.core.errors import DomainError
from chizheng.core.policy import policy_rows


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期格式错误：{raw!r}，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    # Database-free (chizheng.cli runs it with config.settings_nodb): nothing to check.
    requires_system_checks: list[str] = []
    help = "政策参数：chizheng policy show [--at DATE] [NAME]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="打印在某日生效的参数及其条款")
        show.add_argument("name", nargs="?", default="")
        show.add_argument("--at", default="", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        at = _date(options["at"]) if options["at"] else None
        try:
            rows = policy_rows(at=at, name=options["name"] or None)
        except DomainError as e:
            raise CommandError(e.message) from e
        for r in rows:
            value = ", ".join(map(str, r["value"])) if isinstance(r["value"], tuple) else r["value"]
            until = r["until"] or "…"
            self.stdout.write(
                f"{r['name']} = {value} {r['unit']}  [{r['clause']}] {r['valid_from']}–{until}\n"
                f"    {r['description']}：“{r['original']}”（{r['source']}）"
            )
