"""``chizheng registry load-occupations | import | expire-check``: thin wrappers over the services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.accounts.models import User
from chizheng.core.errors import DomainError

from ... import imports, selectors, services
from ...models import Institution


class Command(BaseCommand):
    help = "基础名录：载入职业分类、导入文件、查看机构在某日生效的处理措施"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-occupations", help="载入2022年版职业分类（可重复执行）")
        load.add_argument("--file", type=Path, default=services.OCCUPATIONS_FILE)
        imp = sub.add_parser("import", help="导入 .xlsx/.csv 文件")
        imp.add_argument("kind", choices=sorted(imports.KINDS))
        imp.add_argument("path", type=Path)
        imp.add_argument("--user", required=True, help="以该用户的身份和权限范围导入")
        imp.add_argument("--good-rows-only", action="store_true", help="有错误行时仅导入无误的行")
        imp.add_argument("--institution", type=int, help="花名册所属机构ID")
        chk = sub.add_parser("sanctions", help="机构在某日生效的处理措施")
        chk.add_argument("credit_code")
        chk.add_argument("--on", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as e:
            raise CommandError(e.message) from e

    def _load_occupations(self, options: dict[str, Any]) -> None:
        r = services.load_occupations(path=options["file"])
        self.stdout.write(
            f"职业分类：共{r.total}条，新增{r.created}，更新{r.updated}，停用{r.deactivated}"
        )

    def _import(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户 {options['user']} 不存在")
        path: Path = options["path"]
        job = imports.import_file(
            actor=user,
            kind=options["kind"],
            filename=path.name,
            content=path.read_bytes(),
            good_rows_only=options["good_rows_only"],
            institution_id=options["institution"],
        )
        for e in job.errors:
            self.stdout.write(f"第{e['row']}行 【{e['column']}】 {e['reason']}")
        self.stdout.write(
            f"共{job.total_rows}行，有误{job.bad_rows}行；状态：{job.get_status_display()}；{job.result}"
        )

    def _sanctions(self, options: dict[str, Any]) -> None:
        inst = Institution.objects.filter(credit_code=options["credit_code"]).first()
        if inst is None:
            raise CommandError("机构不存在")
        on = options["on"] or dt.date.today()
        found = selectors.active_sanctions(party=inst, on=on)
        for s in found:
            self.stdout.write(
                f"{s.get_kind_display()} {s.clause} {s.starts_on}–{s.ends_on or '…'} {s.reason}"
            )
        if not found:
            self.stdout.write(f"{inst.name} 在 {on} 没有生效的处理措施")
