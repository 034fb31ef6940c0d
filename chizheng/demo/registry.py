"""Demo records for the registries: the 2022 classification, employers, filed evaluators with
their scopes, the platform's catalog status, the 2022 catalog, teachers, sites and workstations,
people with key groups, employers, transfers and student status, and a few sanctions.

Idempotent: every record is found by its natural key (credit code, ID number, unique pairs)
before it is made, so a second run changes nothing. Uses the base demo's institutions and
counties (``chizheng.demo.INSTITUTIONS``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from chizheng.core import ids
from chizheng.org.models import County
from chizheng.registry.models import (
    CatalogEntry,
    EvaluationScope,
    Institution,
    KeyGroup,
    Occupation,
    Person,
    Sanction,
    Site,
    Teacher,
    TeacherCertificate,
    Workstation,
)
from chizheng.registry.selectors import id_index
from chizheng.registry.services import add_months, load_occupations, person_register
from chizheng.rules import params

YEAR = 2022
# Registry demo people and teachers use ID sequence numbers 600–899 (base demo 0–599, plan 900–999).
FIRST_SEQUENCE = 600

# Employers of the demo (credit codes are made up, in the 18-character format).
EMPLOYERS = [
    ("平顶山天安煤业股份有限公司（演示）", "410402", "emergency", "91410400DEMOEMP001"),
    ("舞阳钢铁有限责任公司（演示）", "410481", "miit", "91410400DEMOEMP002"),
    ("平高集团有限公司（演示）", "410411", "miit", "91410400DEMOEMP003"),
    ("鲁山县丝绸产业园（演示）", "410423", "miit", "91410400DEMOEMP004"),
    ("郏县饸饹面餐饮有限公司（演示）", "410425", "commerce", "91410400DEMOEMP005"),
]

# Per training institution: the occupations of its 2022 catalog (§21).
CATALOG: dict[str, list[str]] = {
    "平顶山技师学院": ["6-18-02-04", "6-18-01-01", "6-31-01-03", "6-31-07-03"],
    "平顶山工业职业技术学院": ["6-31-07-03", "4-04-05-01", "6-29-03-03"],
    "平顶山市公共就业训练中心": ["4-10-01-06", "4-10-01-05", "4-01-06-02", "4-03-02-01"],
    "平煤神马集团职工培训中心": ["6-16-01-06", "6-16-01-10", "6-31-01-03", "6-18-02-04"],
    "汝州市职业技能培训学校": ["6-09-03-03", "4-10-03-02", "4-03-02-02"],
    "舞钢市钢铁职工培训中心": ["6-17-02-02", "6-17-09-02", "6-30-05-01"],
    "宝丰县豫菜师傅培训学校": ["4-03-02-01", "4-03-02-02"],
    "郏县饸饹面技能培训中心": ["4-03-02-02", "4-03-02-01"],
    "鲁山县丝绸技艺培训学校": ["6-04-02-02", "6-04-03-03"],
    "叶县康养照护培训学校": ["4-10-01-05", "4-14-01-03", "4-10-01-03"],
    "平顶山学院": ["4-04-05-01", "4-01-06-01"],
    "石龙区煤矿安全培训中心": ["6-16-01-10", "6-16-01-06"],
    "示范区电商创业培训学校": ["4-01-06-01", "4-01-06-02"],
    "高新区智能制造实训基地": ["6-31-07-03", "6-18-02-05", "6-18-01-01"],
}

TEACHER_SURNAMES = "王李张刘陈杨赵黄周吴徐孙"
TEACHER_GIVEN = [
    "建华",
    "国强",
    "秀英",
    "志刚",
    "海燕",
    "明",
    "磊",
    "静",
    "伟",
    "红梅",
    "立新",
    "春生",
]


@transaction.atomic
def build(*, rng: random.Random) -> None:
    load_occupations()
    occ = {o.code: o for o in Occupation.objects.filter(level=Occupation.Level.OCCUPATION)}
    counties = {c.code: c for c in County.objects.all()}
    by_name = {i.name: i for i in Institution.objects.all()}
    employers = _employers(counties)
    _evaluators(by_name, occ)
    _catalog(by_name, occ)
    _teachers_and_sites(rng, by_name, occ, counties)
    _people(rng, counties, employers, by_name, occ)
    _sanctions(by_name, counties)


def _employers(counties: dict[str, County]) -> list[Institution]:
    from chizheng.org.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    out = []
    for name, county, dept, code in EMPLOYERS:
        inst, _ = Institution.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": name,
                "kind": Institution.Kind.EMPLOYER,
                "county": counties[county],
                "department": departments.get(dept),
            },
        )
        out.append(inst)
    return out


def _evaluators(by_name: dict[str, Institution], occ: dict[str, Occupation]) -> None:
    filed = [
        (
            "平顶山市职业技能鉴定中心",
            Institution.EvaluatorKind.SOCIAL,
            dt.date(2022, 2, 15),
            {"4-03-02-01": [5, 4, 3], "4-10-01-05": [5, 4, 3], "6-31-01-03": [5, 4, 3, 2]},
        ),
        (
            "平煤神马集团职工培训中心",
            Institution.EvaluatorKind.EMPLOYER,
            dt.date(2022, 3, 8),
            {"6-16-01-06": [5, 4, 3, 2, 1], "6-18-02-04": [5, 4, 3, 2]},
        ),
        (
            "平顶山技师学院",
            Institution.EvaluatorKind.SCHOOL,
            dt.date(2022, 3, 20),
            {"6-18-02-04": [5, 4, 3], "6-18-01-01": [5, 4, 3]},
        ),
    ]
    for name, kind, filed_on, scopes in filed:
        inst = by_name.get(name)
        if inst is None:
            continue
        if not inst.evaluator_kind:
            inst.evaluator_kind, inst.filing_status, inst.filed_on = (
                kind,
                Institution.FilingStatus.FILED,
                filed_on,
            )
            inst.filing_number = f"PDS-PJ-{filed_on:%Y%m%d}"
            inst.save(
                update_fields=["evaluator_kind", "filing_status", "filed_on", "filing_number"]
            )
        for code, levels in scopes.items():
            EvaluationScope.objects.get_or_create(
                institution=inst, occupation=occ[code], defaults={"levels": levels}
            )
    platform = by_name.get("河南职业技能在线学习平台（平顶山）")
    if platform is not None and not platform.catalog_status:
        platform.catalog_status, platform.catalog_since = (
            Institution.CatalogStatus.LISTED,
            dt.date(2022, 1, 10),
        )
        platform.save(update_fields=["catalog_status", "catalog_since"])


def _catalog(by_name: dict[str, Institution], occ: dict[str, Occupation]) -> None:
    for name, codes in CATALOG.items():
        inst = by_name.get(name)
        if inst is None:
            continue
        for k, code in enumerate(codes):
            # The last occupation of an institution came by a change in May (§21: counts from its date).
            source, start = (
                (CatalogEntry.Source.CHANGE, dt.date(YEAR, 5, 16))
                if k == len(codes) - 1 and k > 1
                else (CatalogEntry.Source.ANNUAL, dt.date(YEAR, 1, 1))
            )
            if inst.kind == Institution.Kind.UNIVERSITY:
                source, start = CatalogEntry.Source.UNIVERSITY, dt.date(YEAR, 3, 1)
            CatalogEntry.objects.get_or_create(
                year=YEAR,
                institution=inst,
                occupation=occ[code],
                defaults={"valid_from": start, "source": source},
            )


def _teachers_and_sites(
    rng: random.Random,
    by_name: dict[str, Institution],
    occ: dict[str, Occupation],
    counties: dict[str, County],
) -> None:
    seq = FIRST_SEQUENCE
    for name, codes in CATALOG.items():
        inst = by_name.get(name)
        if inst is None:
            continue
        site, _ = Site.objects.get_or_create(
            institution=inst,
            name="实训楼一层",
            defaults={"address": f"{inst.county.name}（演示地址）", "area_m2": 600},
        )
        for code in codes:
            Workstation.objects.get_or_create(
                site=site, occupation=occ[code], defaults={"count": rng.choice((20, 24, 30, 40))}
            )
        for k in range(max(3, len(codes) + 1)):
            seq += 1
            born = dt.date(1970, 1, 1) + dt.timedelta(days=(seq * 37) % 9000)
            number = ids.make(inst.county.code, born, seq % 1000)
            name_ = (
                TEACHER_SURNAMES[seq % len(TEACHER_SURNAMES)]
                + TEACHER_GIVEN[seq % len(TEACHER_GIVEN)]
            )
            teacher, created = Teacher.objects.get_or_create(
                institution=inst,
                id_index=id_index(number),
                defaults={
                    "name": name_,
                    "id_number": number,
                    "id_masked": ids.mask(number),
                    "full_time": k % 3 != 2,
                },
            )
            if created:
                teacher.occupations.set([occ[codes[k % len(codes)]]])
                TeacherCertificate.objects.create(
                    teacher=teacher,
                    kind=TeacherCertificate.Kind.SKILL_LEVEL,
                    number=f"S{YEAR}{seq:06d}",
                    occupation=occ[codes[k % len(codes)]],
                    level=rng.choice((1, 2, 3)),
                )


def _people(
    rng: random.Random,
    counties: dict[str, County],
    employers: list[Institution],
    by_name: dict[str, Institution],
    occ: dict[str, Occupation],
) -> None:
    from chizheng.demo import GIVEN, SURNAMES

    groups = [g for g, _ in KeyGroup.choices]
    county_list = list(counties.values())
    schools = [i for i in by_name.values() if i.is_school]
    post_codes = ["6-16-01-06", "6-17-02-02", "6-18-02-04", "6-04-03-03", "4-03-02-01"]
    for n in range(200):
        seq = 700 + n % 200
        county = county_list[n % len(county_list)]
        born = dt.date(1975, 1, 1) + dt.timedelta(days=(n * 53) % 9000)
        number = ids.make(county.code, born, seq % 1000)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        fields: dict[str, object] = {"key_group": groups[n % len(groups)] if n % 4 else ""}
        if n % 5 == 0:  # an enterprise employee, his post's occupation
            employer = employers[n % len(employers)]
            fields.update(
                key_group="",
                employer=employer,
                post_occupation=occ[post_codes[n % len(post_codes)]],
            )
            if n % 10 == 0:  # transferred from another post
                fields.update(
                    former_occupation=occ["6-31-01-03"], transferred_on=dt.date(2021, 9, 1)
                )
        elif n % 7 == 0 and schools:  # a student in his graduating year
            fields.update(
                key_group=KeyGroup.GRADUATE,
                school=schools[n % len(schools)],
                major_occupation=occ["6-31-07-03"],
                graduation_year=YEAR,
            )
        if Person.objects.filter(id_index=id_index(number)).exists():
            continue
        person_register(
            actor=None,
            name=name,
            id_number=number,
            county=county,
            phone="13" + "".join(rng.choice("0123456789") for _ in range(9)),
            **fields,
        )


def _sanctions(by_name: dict[str, Institution], counties: dict[str, County]) -> None:
    suspended = by_name.get("叶县康养照护培训学校")
    if suspended is not None:
        start = dt.date(YEAR, 6, 6)
        Sanction.objects.get_or_create(
            institution=suspended,
            kind=Sanction.Kind.SUSPENSION,
            starts_on=start,
            defaults={
                "clause": "§19",
                "ends_on": add_months(
                    start, params.current().value("outcomes.rectification_months", start)
                ),
                "reason": "2022年第2期养老护理员培训满意度调查结果为81.3%，低于85%",
            },
        )
    evaluator, _ = Institution.objects.get_or_create(
        credit_code="91410400DEMOEVA009",
        defaults={
            "name": "（演示）某职业技能评价服务有限公司",
            "kind": Institution.Kind.EVALUATOR,
            "county": counties["410421"],
            "evaluator_kind": Institution.EvaluatorKind.SOCIAL,
            "filing_status": Institution.FilingStatus.REVOKED,
            "filed_on": dt.date(2021, 11, 1),
        },
    )
    Sanction.objects.get_or_create(
        institution=evaluator,
        kind=Sanction.Kind.BLACKLIST,
        starts_on=dt.date(YEAR, 7, 12),
        defaults={
            "clause": "§20(4)",
            "reason": "半年专项检查发现考评员未到场、评价记录造假，撤销备案并列入黑名单",
        },
    )
    platform, _ = Institution.objects.get_or_create(
        credit_code="91410400DEMOPLT010",
        defaults={
            "name": "（演示）某在线职业培训平台",
            "kind": Institution.Kind.PLATFORM,
            "county": counties["410402"],
            "catalog_status": Institution.CatalogStatus.REMOVED,
        },
    )
    violated = dt.date(YEAR, 4, 18)
    Sanction.objects.get_or_create(
        institution=platform,
        kind=Sanction.Kind.PLATFORM_BAN,
        starts_on=violated,
        defaults={
            "clause": "§20(3)",
            "ends_on": add_months(
                violated, 12 * params.current().value("online.platform_ban_years", violated)
            ),
            "reason": "学习记录存在快进播放且无人脸活体比对，视同培训无效",
        },
    )
