"""``chizheng simulate --year 2022 --scale slice|city --seed N [--today DATE]``: build the
city-year through the services (``chizheng.simulate``); re-running continues where it stopped."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.simulate.models import Planted
from chizheng.simulate.run import simulate
from chizheng.simulate.scale import SCALES, default_today
from chizheng.training.models import Mode, Status


class Command(BaseCommand):
    help = "模拟一个城市年度：通过各项业务办理培训班、考核取证和补贴申领，直到模拟的“今天”；可中断后续跑"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=2022, help="年度（默认 2022）")
        parser.add_argument("--scale", choices=sorted(SCALES), default="slice", help="规模")
        parser.add_argument("--seed", type=int, default=2022, help="随机种子（同一种子同一结果）")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="模拟的“今天”（YYYY-MM-DD）"
        )
        parser.add_argument(
            "--truth",
            action="store_true",
            help="不模拟，只以 JSON 输出该年度植入的异常及其位置（真值）",
        )
        parser.add_argument(
            "--limit",
            type=int,
            help="本次最多新建的培训班数，随后办理已建培训班的补贴申领（其余下次续跑）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        year = options["year"]
        if options["truth"]:
            found = Planted.objects.filter(year=year).select_related("training_class")
            self.stdout.write(
                json.dumps([p.as_dict() for p in found], ensure_ascii=False, indent=2)
            )
            return
        today = options["today"] or default_today(scale, year)
        if today.year != year:
            raise CommandError(f"模拟的“今天”{today}不在{year}年度内")
        self.stdout.write(f"模拟 {year} 年度（{scale.name}），今天 {today}，种子 {options['seed']}")
        summary = simulate(
            scale,
            year=year,
            seed=options["seed"],
            today=today,
            progress=self.stdout.write,
            limit=options["limit"],
        )
        self.stdout.write(
            f"培训班 {summary.classes} 个：新建 {summary.made}，已有 {summary.skipped}"
        )
        for value, label in Status.choices:
            if summary.states.get(value):
                self.stdout.write(f"  {label:<12} {summary.states[value]}")
        self.stdout.write(
            "补贴申领：" + "，".join(f"{k} {v}" for k, v in sorted(summary.claims.items()))
        )
        labels = dict(Mode.choices)
        self.stdout.write(
            "培训方式："
            + "，".join(f"{labels.get(k, k)} {v}" for k, v in sorted(summary.modes.items()))
        )
        self.stdout.write(
            f"植入异常 {Planted.objects.filter(year=year).count()} 处"
            f"（本次新植入 {summary.planted}；真值见 chizheng simulate --truth）"
        )
        self.stdout.write(f"用时 {summary.seconds:.1f} 秒")
