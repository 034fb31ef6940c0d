"""``chizheng backup [--out FILE]``: the whole database in one file (a thin wrapper around
``chizheng.core.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.core import backup, clock
from chizheng.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "备份数据库到一个文件（PostgreSQL：pg_dump；SQLite：在线备份），默认为 "
        "var/backups/chizheng-日期-时间。数据密钥须与备份一同保管"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="", help="备份文件（不得已存在）")

    def handle(self, *args: Any, **options: Any) -> None:
        db = backup.Database.from_settings(settings.DATABASES["default"])
        out = (
            Path(options["out"])
            if options["out"]
            else backup.default_file(db, Path(settings.VAR_DIR), clock.now())
        )
        try:
            written = backup.backup(db=db, out=out)
        except DomainError as e:
            raise CommandError(e.message) from e
        size = written.stat().st_size
        self.stdout.write(f"已备份 {db.label} 到 {written}（{size / 1e6:.1f} MB）")
        self.stderr.write(self.style.WARNING(backup.KEY_WARNING))
        self.stderr.write(self.style.WARNING(backup.KEY_WARNING_EN))
