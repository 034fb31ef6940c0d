"""``chizheng workdays add / window / count``: deadlines in Chinese working days on the
calendar with the city office's overrides."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.core.calendar import calendar
from chizheng.core.errors import DomainError

from .policy import _date


class Command(BaseCommand):
    help = (
        "工作日历：chizheng workdays add DATE N（N个工作日后，起始日不计）；"
        "window DATE N（含起始日满N个工作日的最后一天）；count START END"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("add", "window"):
            p = sub.add_parser(name)
            p.add_argument("date")
            p.add_argument("n", type=int)
        c = sub.add_parser("count")
        c.add_argument("start")
        c.add_argument("end")

    def handle(self, *args: Any, **options: Any) -> None:
        cal = calendar()
        try:
            if options["action"] == "count":
                self.stdout.write(str(cal.count(_date(options["start"]), _date(options["end"]))))
                return
            day, n = _date(options["date"]), options["n"]
            if n < (1 if options["action"] == "window" else 0):
                raise CommandError(
                    f"N 必须是{'正' if options['action'] == 'window' else '非负'}整数，实际为 {n}"
                )
            result = cal.add(day, n) if options["action"] == "add" else cal.window(day, n)
        except DomainError as e:
            raise CommandError(e.message) from e
        self.stdout.write(result.isoformat())
