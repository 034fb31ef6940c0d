"""``chizheng load_reference``: loads the city, its 12 counties and the departments (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chizheng.org.services import load_reference


class Command(BaseCommand):
    help = "载入平顶山市2022年基础数据（市、12个县（市、区）、责任单位），可重复执行"

    def handle(self, *args: Any, **options: Any) -> None:
        city = load_reference()
        self.stdout.write(
            f"已载入：{city.name}，{city.counties.count()} 个县（市、区），{city.departments.count()} 个部门"
        )
