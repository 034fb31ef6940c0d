"""``chizheng online generate | ingest | audit``: thin wrappers around the services."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.core.errors import DomainError
from chizheng.online import generator, services


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期格式错误：{raw!r}，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "线上培训监管：generate 生成测试日志；ingest 接收事件；audit 审计学习段；"
        "apply 将审计结果计入系统"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="生成带已知违规的测试日志及预期结果")
        gen.add_argument("--learners", type=int, required=True)
        gen.add_argument("--out", type=Path, required=True)
        gen.add_argument("--seed", type=int, default=1)
        gen.add_argument(
            "--violation-rate", type=float, default=0.05, help="被植入违规的学习段比例（默认 0.05）"
        )
        gen.add_argument("--duplicates", type=float, default=0.005, help="重复发送的行比例")
        ing = sub.add_parser("ingest", help="接收事件文件（NDJSON、CSV、Parquet），每个文件一批")
        ing.add_argument("files", nargs="+", type=Path)
        ing.add_argument("--platform", required=True)
        aud = sub.add_parser("audit", help="审计学习段，每段一行写入 Parquet")
        aud.add_argument(
            "events", nargs="*", type=Path, help="事件 Parquet 文件；不给则审计全部已接收事件"
        )
        aud.add_argument("--out", type=Path, required=True)
        aud.add_argument(
            "--engine", choices=["duckdb", "duckdb-baseline", "spark"], default="duckdb"
        )
        aud.add_argument("--at", default="", help="按该日生效的政策参数（默认取数据时间跨度）")

        rep = sub.add_parser("report", help="按学员和课程汇总有效学时；或列出某学员的无效学习段")
        rep.add_argument("result", type=Path, help="audit 的结果文件")
        rep.add_argument("--learner", default="", help="列出该学员的无效学习段及所违反条款")
        rep.add_argument("--at", default="", help="按该日生效的政策参数（默认今天）")

        app = sub.add_parser(
            "apply", help="将审计结果计入系统：各学员认定线上课时、各平台每日无效时长"
        )
        app.add_argument(
            "result",
            nargs="?",
            type=Path,
            help="audit 的结果文件（默认 <数据目录>/results/latest.parquet）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as e:
            detail = e.detail if isinstance(e.detail, dict) else {}
            for p in detail.get("problems", [])[:50]:
                self.stderr.write(f"  第 {p['row']} 行 {p['field']}：{p['reason']}")
            raise CommandError(f"[{e.code}] {e.message}") from e

    def _generate(self, o: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        g = generator.generate(
            o["out"],
            learners=o["learners"],
            seed=o["seed"],
            violation_rate=o["violation_rate"],
            duplicates=o["duplicates"],
        )
        planted = "，".join(f"{k} {v}" for k, v in g.planted.items())
        self.stdout.write(
            f"已生成 {g.events} 条事件、{g.segments} 个学习段（{time.perf_counter() - t0:.1f} 秒）："
            f"{len(g.files)} 个文件于 {o['out'] / 'events'}，预期结果 {g.expected}\n植入违规：{planted}"
        )

    def _ingest(self, o: dict[str, Any]) -> None:
        for path, r in zip(
            o["files"], services.ingest_files(paths=o["files"], platform=o["platform"]), strict=True
        ):
            self.stdout.write(
                f"{path}：收到 {r.received} 行，新存 {r.stored} 条，重复 {r.duplicates} 条"
                + (
                    f"（其中 {r.changed} 条内容与已存的不同，未存：事件号 "
                    + "、".join(str(c.event_id) for c in r.changed_events[:20])
                    + ("……" if r.changed > 20 else "")
                    + "）"
                    if r.changed
                    else ""
                )
            )

    def _report(self, o: dict[str, Any]) -> None:
        import pyarrow.parquet as pq

        from chizheng.core import clock
        from chizheng.online import results

        at = _date(o["at"]) if o["at"] else clock.now().date()
        try:
            table = pq.read_table(o["result"])
        except (OSError, ValueError) as e:
            raise CommandError(f"无法读取审计结果 {o['result']}：{e}") from e
        if o["learner"]:
            for seg in results.void_segments(table, learner=o["learner"], at=at):
                rules = "；".join(f"{c} {label}（{clause}）" for c, label, clause in seg.rules)
                self.stdout.write(
                    f"{seg.course} 第 {seg.lesson} 课 {seg.start:%Y-%m-%d %H:%M:%S}–"
                    f"{seg.end:%H:%M:%S} 会话 {seg.session}：{rules}"
                )
            return
        for r in results.by_learner_course(table, at=at).to_pylist():
            self.stdout.write(
                f"{r['learner']} {r['course']}：有效 {r['valid_s'] / 60:.0f} 分钟，无效 "
                f"{r['void_s'] / 60:.0f} 分钟（{r['void_segments']}/{r['segments']} 段），"
                f"认定 {r['credited_class_hours']} 课时"
            )

    def _audit(self, o: dict[str, Any]) -> None:
        at = _date(o["at"]) if o["at"] else None
        t0 = time.perf_counter()
        n = services.audit_to_file(sources=o["events"], out=o["out"], at=at, engine=o["engine"])
        self.stdout.write(
            f"已审计 {n} 个学习段，结果写入 {o['out']}（{time.perf_counter() - t0:.1f} 秒）"
        )

    def _apply(self, o: dict[str, Any]) -> None:
        applied = services.apply_results(actor=None, result_path=o["result"])
        self.stdout.write(
            f"已计入：学习段 {applied.segments}，有认定课时的学员 {applied.learners_credited}，"
            f"未对应到培训班的学员课程 {applied.unmatched_pairs}，平台日统计 {applied.platform_days}"
        )
