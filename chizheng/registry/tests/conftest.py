"""Fixtures of the registry tests: the classification and a people file generator."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest

from chizheng.core import ids
from chizheng.org.models import City
from chizheng.registry.services import load_occupations

HEADERS = [
    "姓名",
    "身份证号码",
    "手机号码",
    "所属县（市、区）",
    "重点群体",
    "工作单位统一社会信用代码",
    "岗位职业编码",
    "原岗位职业编码（转岗）",
    "转岗日期",
    "在读学校统一社会信用代码",
    "在读专业对应职业编码",
    "毕业年份",
]


@pytest.fixture
def occupations(city: City) -> None:
    load_occupations()


def person_row(n: int, county: str = "410402") -> list[str]:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=n % 12000)
    number = ids.make(county, born, n % 1000)
    return [
        f"张{n}",
        number,
        f"139{n:08d}",
        county,
        "农民工" if n % 3 == 0 else "",
        "",
        "6-18-02-05" if n % 2 == 0 else "",
        "",
        "",
        "",
        "",
        "",
    ]


@pytest.fixture
def people_csv() -> Callable[[list[list[str]]], bytes]:
    def make(rows: list[list[str]]) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(HEADERS)
        w.writerows(rows)
        return buf.getvalue().encode("utf-8")

    return make
