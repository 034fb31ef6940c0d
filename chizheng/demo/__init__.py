"""The demo data set: a realistic Pingdingshan city-year, loaded idempotently.

Each capability adds its records here (see ``build``), so that ``make run`` shows it working.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.core import ids
from chizheng.org.models import City, County, Department
from chizheng.org.services import load_reference
from chizheng.registry.models import Institution, Person
from chizheng.registry.services import person_register

PASSWORD = "Chizheng@2022"
# Each capability adds its demo records in chizheng/demo/<area>.py, a ``build(*, rng)``
# that is idempotent (re-running the demo changes nothing). Order matters: later areas
# build on earlier ones.
AREAS: tuple[str, ...] = (
    "registry",
    "plan",
    "training",
    "subsidy",
    "simulate",
    "online",
    "jobs",
)
SEED = 2022

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕春梅小红永刚国强子涵浩然欣怡宇轩梓萱"

INSTITUTIONS = [
    ("平顶山技师学院", "technical_school", "410402", "hrss"),
    ("平顶山工业职业技术学院", "vocational_school", "410411", "education"),
    ("平顶山市公共就业训练中心", "public_centre", "410403", "hrss"),
    ("平煤神马集团职工培训中心", "enterprise_centre", "410402", "miit"),
    ("汝州市职业技能培训学校", "private_school", "410482", "hrss"),
    ("舞钢市钢铁职工培训中心", "enterprise_centre", "410481", "miit"),
    ("宝丰县豫菜师傅培训学校", "private_school", "410421", "commerce"),
    ("郏县饸饹面技能培训中心", "private_school", "410425", "commerce"),
    ("鲁山县丝绸技艺培训学校", "private_school", "410423", "culture"),
    ("叶县康养照护培训学校", "private_school", "410422", "civil"),
    ("平顶山学院", "university", "410402", "education"),
    ("石龙区煤矿安全培训中心", "enterprise_centre", "410404", "emergency"),
    ("示范区电商创业培训学校", "private_school", "410472", "commerce"),
    ("高新区智能制造实训基地", "enterprise_centre", "410471", "miit"),
    ("平顶山市职业技能鉴定中心", "evaluator", "410403", "hrss"),
    ("河南职业技能在线学习平台（平顶山）", "platform", "410402", "hrss"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


def _credit_code(rng: random.Random) -> str:
    return "91410400" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))


@transaction.atomic
def build(*, people: int = 600, areas: tuple[str, ...] = AREAS) -> list[DemoLogin]:
    rng = random.Random(SEED)
    city = load_reference()
    counties = {c.code: c for c in County.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}

    institutions: dict[str, Institution] = {}
    for name, kind, county_code, dept in INSTITUTIONS:
        code = _credit_code(rng)
        inst, _ = Institution.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": code,
                "kind": kind,
                "county": counties[county_code],
                "department": departments[dept],
            },
        )
        institutions[name] = inst

    county_list = list(counties.values())
    for i in range(people):
        county = county_list[i % len(county_list)]
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        number = ids.make(county.code, born, i % 1000)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        phone = "13" + "".join(rng.choice("0123456789") for _ in range(9))
        person_register(actor=None, name=name, id_number=number, county=county, phone=phone)

    first_person = Person.objects.order_by("id").first()
    _users(city, counties, departments, institutions, first_person)
    for area in areas:
        module = importlib.import_module(f"chizheng.demo.{area}")
        module.build(rng=random.Random(f"{SEED}-{area}"))
    # Only accounts one can sign in with: the simulated trainees who answered a survey have
    # no password (they stand for people, not for logins of the demo).
    return [
        DemoLogin(u.username, u.get_role_display(), u.get_scope_label())
        for u in User.objects.exclude(role="")
        .select_related("city", "county", "department", "institution", "person")
        .order_by("id")
        if u.has_usable_password()
    ]


def _users(
    city: City,
    counties: dict[str, County],
    departments: dict[str, Department],
    institutions: dict[str, Institution],
    person: Person | None,
) -> None:
    specs: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "city",
            "市人社局 职业能力建设科",
            Role.PROGRAMME_OFFICE,
            {"city": city, "is_staff": True},
        ),
        ("leader", "市领导小组办公室 主任", Role.CITY_LEADER, {"city": city}),
        ("xinhua", "新华区人社局", Role.COUNTY_HR, {"county": counties["410402"]}),
        ("ruzhou", "汝州市人社局", Role.COUNTY_HR, {"county": counties["410482"]}),
        ("miit1", "市工信局 初审", Role.INDUSTRY, {"department": departments["miit"]}),
        ("miit2", "市工信局 复核", Role.INDUSTRY, {"department": departments["miit"]}),
        ("finance", "市财政局", Role.FINANCE, {"city": city}),
        ("inspector", "市人社局 检查人员", Role.INSPECTOR, {"city": city}),
        (
            "jsxy",
            "平顶山技师学院",
            Role.INSTITUTION,
            {"institution": institutions["平顶山技师学院"]},
        ),
        (
            "pmsm",
            "平煤神马集团职工培训中心",
            Role.INSTITUTION,
            {"institution": institutions["平煤神马集团职工培训中心"]},
        ),
        (
            "jdzx",
            "平顶山市职业技能鉴定中心",
            Role.EVALUATOR,
            {"institution": institutions["平顶山市职业技能鉴定中心"]},
        ),
        (
            "platform",
            "在线学习平台",
            Role.PLATFORM,
            {"institution": institutions["河南职业技能在线学习平台（平顶山）"]},
        ),
        ("worker", person.name if person else "劳动者", Role.WORKER, {"person": person}),
    ]
    for username, display, role, scope in specs:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "display_name": display, **scope}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
