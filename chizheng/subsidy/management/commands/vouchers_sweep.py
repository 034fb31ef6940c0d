"""Close the voucher loop (run daily): expire unused vouchers, void those of classes that
ended without an assessment, settle those of assessed classes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.subsidy import services


class Command(BaseCommand):
    help = "电子培训券闭环：过期作废、未考核作废、已考核的取证待兑付或无证作废（兑付在补贴拨付时）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        n = services.vouchers_sweep(on=options["on"])
        self.stdout.write(f"处理电子培训券 {n} 张")
