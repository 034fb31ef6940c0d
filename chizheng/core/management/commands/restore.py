"""``chizheng restore FILE [--yes]``: replace the database's content with a backup's (a thin
wrapper around ``chizheng.core.backup``). Asks before overwriting a database that holds
data; stop the server and the worker first."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from chizheng.core import audit, backup, crypto, dbstate
from chizheng.core.errors import DomainError
from chizheng.registry.models import Person


class Command(BaseCommand):
    help = (
        "从 chizheng backup 的备份文件恢复数据库：覆盖已有数据前需确认（或 --yes）。"
        "恢复前请停止网站和后台任务；须使用备份时的数据密钥"
    )
    # The database may be empty or of another version: nothing to check before replacing it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--yes", action="store_true", help="不询问，直接覆盖已有数据")

    def _confirm(self, question: str, *, yes: bool) -> bool:
        self.stdout.write(question)
        if yes:
            return True
        if not sys.stdin.isatty():
            self.stderr.write(
                "需要确认：在终端中运行并输入 yes，或加 --yes（to overwrite, pass --yes）"
            )
            return False
        try:
            answer = input("输入 yes 继续恢复（type yes to continue）：")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"

    def handle(self, *args: Any, **options: Any) -> None:
        db = backup.Database.from_settings(settings.DATABASES["default"])
        file = Path(options["file"])
        connections.close_all()
        try:
            restored = backup.restore(
                db=db, file=file, confirm=lambda q: self._confirm(q, yes=options["yes"])
            )
        except DomainError as e:
            raise CommandError(e.message) from e
        self.stdout.write(f"已从 {restored.file} 恢复 {db.label}")
        self._after(db, restored)

    def _after(self, db: backup.Database, restored: backup.Restored) -> None:
        opens = backup.keys_open_the_data(
            db,
            table=Person._meta.db_table,
            column=str(Person._meta.get_field("id_number").column),
            decrypt=crypto.decrypt,
        )
        if opens is False:
            self.stderr.write(
                self.style.ERROR(
                    "当前的 CHIZHENG_DATA_KEY 无法解密恢复的个人信息：请设置备份时使用的数据密钥和索引密钥。"
                )
            )
            self.stderr.write(
                self.style.ERROR(
                    "The CHIZHENG_DATA_KEY in use does not open the restored personal data: "
                    "set the keys the backup was made with."
                )
            )
        elif opens:
            self.stdout.write("当前的数据密钥可以解密恢复的个人信息")
        self.stderr.write(self.style.WARNING(backup.KEY_WARNING))
        if dbstate.unapplied_migrations():
            self.stdout.write("备份早于当前版本：请运行 `chizheng migrate`")
            return
        audit.record(
            actor=None,
            action="system.restore",
            object_type="database",
            object_id=db.name[-64:],
            after={"file": restored.file.name, "replaced_tables": restored.replaced_tables},
            reason=f"从备份 {restored.file.name} 恢复",
        )
