"""``chizheng rules check FILE.json [--format json|text]`` and ``chizheng rules list``: a thin
wrapper around ``chizheng.rules.evaluate``. A check document holds any kind of facts the
engine judges (docs/rules.md). Exit codes of ``check``: 0 all pass (warnings allowed), 1 a
rule failed, 2 the input is malformed (the message names the field)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.core.errors import DomainError
from chizheng.rules import occupations
from chizheng.rules.decision import REGISTRY, Outcome
from chizheng.rules.evaluate import Report, all_rules, evaluate
from chizheng.rules.facts_json import KINDS, parse_check
from chizheng.rules.params import current

OUTCOME_LABELS = {
    Outcome.PASS: "✓ 通过",
    Outcome.FAIL: "✗ 不通过",
    Outcome.WARN: "! 提示",
}


class Command(BaseCommand):
    # Database-free (chizheng.cli runs it with config.settings_nodb): nothing to check.
    requires_system_checks: list[str] = []
    help = "合规规则：chizheng rules check FILE.json | chizheng rules list [--at DATE]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check",
            help="按事实 JSON（开班申请、参训、考核、课次、出勤、补课、满意度、证书、申领）运行"
            "全部规则，输出判定；有不通过时退出码 1，输入有误时 2",
        )
        check.add_argument(
            "file",
            help=f"事实 JSON 文件（格式见 docs/rules.md；可含 {', '.join(KINDS)}），- 为标准输入",
        )
        check.add_argument(
            "--format",
            choices=["json", "text"],
            default="json",
            help="json（默认，供程序读取）或 text（供人阅读）",
        )
        check.add_argument(
            "--occupations",
            default="",
            help="职业编码表 CSV（code,name），默认为 2022 年职业分类大典（chizheng/registry/data/occupations-2022.csv）",
        )
        lst = sub.add_parser("list", help="列出每条规则、条款及所用参数的现行取值")
        lst.add_argument("--at", default="", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options["file"], options["occupations"], options["format"])
        else:
            self._list(options["at"])

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def _check(self, file: str, codes_file: str, fmt: str) -> None:
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as e:
            self._fail(f"无法读取文件 {file}：{e.strerror}")
            return
        try:
            known = occupations.load_codes(Path(codes_file) if codes_file else None)
            items = parse_check(raw, known_occupations=known)
            reports = [evaluate(item.facts, on=item.on) for item in items]
        except DomainError as e:
            if fmt == "json":
                payload = {"code": e.code, "message": e.message, "detail": e.detail}
                self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            self._fail(e.message)
            return
        # One report: each decision carries the day it was judged on.
        report = Report(
            tuple(d for r in reports for d in r.decisions), reports[0].date, reports[0].policy
        )
        if fmt == "text":
            self._write_text(report)
        else:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if not report.ok:
            raise SystemExit(1)

    def _write_text(self, report: Report) -> None:
        self.stdout.write(f"判定日期 {report.date}　政策版本 {report.policy[:12]}")
        order = {Outcome.FAIL: 0, Outcome.WARN: 1, Outcome.PASS: 2}
        for d in sorted(report.decisions, key=lambda d: order[d.outcome]):
            title = REGISTRY[d.rule].title if d.rule in REGISTRY else d.rule
            self.stdout.write(
                f"{OUTCOME_LABELS[d.outcome]}　{title}（{d.clause}）　{d.compared}"
                f"　[{d.rule}，{d.subject}]"
            )
            if d.remedy:
                self.stdout.write(f"    建议：{d.remedy}")
        counts = "，".join(
            f"{OUTCOME_LABELS[o][2:]} {sum(1 for d in report.decisions if d.outcome is o)}"
            for o in Outcome
        )
        self.stdout.write(f"合计：{counts}")

    def _list(self, at_raw: str) -> None:
        try:
            day = dt.date.fromisoformat(at_raw) if at_raw else dt.date.today()
        except ValueError:
            self._fail(f"日期格式错误：{at_raw!r}，应为 YYYY-MM-DD")
            return
        policy = current()
        at = policy.at(day)
        for spec in all_rules():
            try:
                clause = spec.clause_at(at)
            except DomainError as e:
                clause = f"（{e.message}）"
            self.stdout.write(f"{spec.code}  [{clause}]  {spec.title} / {spec.title_en}")
            for name in spec.parameters:
                try:
                    value = at[name]
                    p = policy.parameter(name)
                    version = at.version(name)
                    shown = ", ".join(map(str, value)) if isinstance(value, tuple) else value
                    self.stdout.write(
                        f"    {name} = {shown} {p.unit}（{version.clause}，{version.valid_from} 起）"
                    )
                except DomainError as e:
                    self.stdout.write(f"    {name}：{e.message}")
