"""``chizheng plan``: load the plan document; allocate a total by weights (largest remainder)."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.assessment.services import certificate_flags_refresh
from chizheng.core import spreadsheet
from chizheng.core.errors import DomainError
from chizheng.plan.services import PINGDINGSHAN_2022, plan_load
from chizheng.plan.tally import tally_matches
from chizheng.plan.weights import fixes_parse, weights_parse
from chizheng.rules.allocation import allocate


def _decimal(raw: str, what: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CommandError(f"{what}不是数字：{raw}") from None
    if not value.is_finite():
        raise CommandError(f"{what}不是数字：{raw}")
    return value


class Command(BaseCommand):
    help = (
        "目标任务：chizheng plan load [FILE] | plan refresh --year 2022 [--check] | "
        "plan allocate --total 19 --unit 0.01 --weights FILE.csv [--fix NAME=VALUE]…"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="导入年度工作方案（含附件1、十大专项），可重复执行")
        load.add_argument("file", nargs="?", default=str(PINGDINGSHAN_2022))
        refresh = sub.add_parser(
            "refresh", help="按证书记录重算某年度的首次取证标记和进度统计（批量导入后执行）"
        )
        refresh.add_argument("--year", type=int, required=True)
        refresh.add_argument(
            "--check", action="store_true", help="只核对统计与记录是否一致，不修改"
        )
        alloc = sub.add_parser("allocate", help="按权重以最大余额法分解总数，输出 name,value CSV")
        alloc.add_argument("--total", required=True, help="总数，如 19")
        alloc.add_argument("--unit", default="0.01", help="取整单位，如 0.01（默认）")
        alloc.add_argument("--weights", required=True, help="权重文件（CSV：name,weight）")
        alloc.add_argument(
            "--fix",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="人工固定某单位的数值，其余单位重新分配；可重复",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "load":
                plan = plan_load(path=Path(options["file"]))
                self.stdout.write(
                    f"已导入 {plan.year} 年度工作方案 {plan.source}："
                    f"{plan.indicators.count()} 项指标，{plan.programmes.count()} 个专项"
                )
                return
            if options["action"] == "refresh":
                self._refresh(options["year"], check=options["check"])
                return
            self._allocate(options)
        except DomainError as e:
            raise CommandError(e.message) from e

    def _refresh(self, year: int, *, check: bool) -> None:
        if check:
            if not tally_matches(year=year):
                raise CommandError(
                    f"{year}年度进度统计与证书记录不一致，请执行 chizheng plan refresh --year {year}"
                )
            self.stdout.write(f"{year}年度进度统计与证书记录一致")
            return
        n = certificate_flags_refresh(year=year)
        self.stdout.write(f"已按 {n} 张证书重算{year}年度首次取证标记和进度统计")

    def _allocate(self, options: dict[str, Any]) -> None:
        path = Path(options["weights"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"找不到权重文件：{path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"权重文件不是 UTF-8 编码的 CSV：{path}") from None
        except OSError as e:
            raise CommandError(f"无法读取权重文件 {path}：{e.strerror}") from None
        weights = weights_parse(text)
        fixed = fixes_parse(options["fix"], names=[n for n, _ in weights])
        result = allocate(
            total=_decimal(options["total"], "总数"),
            unit=_decimal(options["unit"], "取整单位"),
            weights=weights,
            fixed=fixed,
        )
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["name", "value"])
        for part in result.parts:
            writer.writerow(spreadsheet.row([part.name, f"{part.value}"]))
