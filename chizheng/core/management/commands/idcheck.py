"""``chizheng idcheck NUMBER …``: checks ID numbers (GB 11643-1999) without a database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.core import ids


class Command(BaseCommand):
    # Database-free (chizheng.cli runs it with config.settings_nodb): nothing to check.
    requires_system_checks: list[str] = []
    help = (
        "校验身份证号码（GB 11643-1999）：逐个打印 valid 或 invalid 及原因；有无效号码时退出码为 1"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("numbers", nargs="+", metavar="NUMBER")

    def handle(self, *args: Any, **options: Any) -> None:
        bad = 0
        for raw in options["numbers"]:
            r = ids.check(raw)
            if r.valid:
                self.stdout.write(f"{r.number} valid")
            else:
                bad += 1
                self.stdout.write(f"{raw} invalid: {r.reason}")
        if bad:
            raise SystemExit(1)
