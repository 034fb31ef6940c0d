"""Demo records for the plan: the 2022 plan and its certificates across the 12 units and months.

These certificates are the evaluation-only channels of §12–14 (enterprise, school and social
evaluation without subsidised training): no class produced them, each is issued by a filed
evaluation institution. The trained certificates come from the classes (``demo.training``
and the simulated slice, ``demo.simulate``).

Idempotent: the plan loads in place, and the certificates are made once (a second run finds
them and stops). Everything is inserted in batches (``_insert``) and the first-of-year flags are
set afterwards in two set-based UPDATEs, so a city-year loads in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificate_flags_refresh
from chizheng.core import audit, crypto, ids
from chizheng.org.models import County
from chizheng.plan.models import CountyTarget
from chizheng.plan.services import plan_load
from chizheng.registry.models import Institution, Person

YEAR = 2022
# Demo people use ID sequence numbers 900–999 (the base demo uses 0–599), so they never collide.
FIRST_SEQUENCE = 900
# The demo runs at the plan's full pace, January to MONTHS_RECORDED (a city-year in full is
# ≈150k people and takes longer to load than a demo should): view /plan/?until=2022-04-30.
MONTHS_RECORDED = 4
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国红梅玉志海燕春子涵浩然欣怡宇轩"
OCCUPATIONS = [  # (code, usual levels): a spread of the occupations of §1–10
    ("6-18-02-05", (3, 4, 5)),
    ("4-10-01-05", (4, 5)),
    ("4-03-02-01", (3, 4, 5)),
    ("6-31-01-03", (2, 3, 4)),
    ("4-14-01-01", (4, 5)),
    ("6-05-01-01", (3, 4, 5)),
    ("4-10-01-06", (5,)),
    ("6-29-01-03", (3, 4)),
    ("4-13-01-02", (4, 5)),
    ("6-23-03-06", (1, 2, 3)),
]
# Monthly rhythm of certification: slow start after the Spring Festival, peaks mid-year and Q4.
MONTH_WEIGHTS = [3, 4, 8, 9, 10, 11, 9, 8, 9, 10, 10, 9]
CHANNEL_KIND = {
    Certificate.Channel.ENTERPRISE: Institution.Kind.EMPLOYER,
    Certificate.Channel.SCHOOL: Institution.Kind.VOCATIONAL_SCHOOL,
    Certificate.Channel.SOCIAL: Institution.Kind.EVALUATOR,
}
# Each issuer is filed (备案) for its channel: an evaluation-only certificate traces to a filed
# evaluation institution (chizheng check-books).
CHANNEL_EVALUATOR = {
    Certificate.Channel.ENTERPRISE: Institution.EvaluatorKind.EMPLOYER,
    Certificate.Channel.SCHOOL: Institution.EvaluatorKind.SCHOOL,
    Certificate.Channel.SOCIAL: Institution.EvaluatorKind.SOCIAL,
}
CHANNEL_NAME = {
    Certificate.Channel.ENTERPRISE: "企业技能等级评价机构",
    Certificate.Channel.SCHOOL: "职业院校评价机构",
    Certificate.Channel.SOCIAL: "社会培训评价组织",
}


def _issuers(counties: list[County]) -> dict[tuple[int, str], Institution]:
    """One evaluation institution per county and channel (get_or_create: idempotent)."""
    out: dict[tuple[int, str], Institution] = {}
    for c in counties:
        for i, (channel, kind) in enumerate(CHANNEL_KIND.items()):
            inst, _ = Institution.objects.get_or_create(
                credit_code=f"91410400P{c.code}{i:03d}",
                defaults={
                    "name": f"{c.short_name.replace(' ', '')}{CHANNEL_NAME[channel]}",
                    "kind": kind,
                    "county": c,
                    "evaluator_kind": CHANNEL_EVALUATOR[channel],
                    "filing_status": Institution.FilingStatus.FILED,
                    "filed_on": dt.date(YEAR, 1, 4),
                },
            )
            out[(c.pk, channel)] = inst
    return out


# Fields (exact types) whose Python value is what the database driver takes as it is.
_PLAIN: frozenset[type[models.Field[Any, Any]]] = frozenset(
    {
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
        models.ForeignKey,
    }
)


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if type(field) in _PLAIN:
        return lambda v: v
    if type(field) is models.DateField:
        return connection.ops.adapt_datefield_value
    return lambda v: field.get_db_prep_save(v, connection)  # an encrypted field encrypts here


def _insert(model: type[models.Model], rows: list[dict[str, Any]], *, batch: int = 5000) -> None:
    """``bulk_create`` without building model instances: values prepared as the fields do (an
    encrypted field encrypts), several times faster for a city-year of rows."""
    if not rows:
        return
    # Every concrete column: fields another issue adds later get their declared default.
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.name: f.get_default() for f in fields if f.name not in rows[0]}
    plan = [(f.name, _converter(f), defaults.get(f.name)) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql,
                [
                    [convert(row.get(name, default)) for name, convert, default in plan]
                    for row in rows[start : start + batch]
                ],
            )


def _elapsed_share() -> Decimal:
    """The calendar share of the recorded months (January to MONTHS_RECORDED)."""
    last = dt.date(YEAR + MONTHS_RECORDED // 12, MONTHS_RECORDED % 12 + 1, 1) - dt.timedelta(days=1)
    return Decimal(last.timetuple().tm_yday) / Decimal(365)


def _issued_on(rng: random.Random) -> dt.date:
    month = rng.choices(range(1, MONTHS_RECORDED + 1), weights=MONTH_WEIGHTS[:MONTHS_RECORDED])[0]
    day = rng.randint(1, 28)
    return dt.date(YEAR, month, day)


@transaction.atomic
def build(*, rng: random.Random) -> None:
    plan = plan_load()
    if Certificate.objects.filter(issued_on__year=YEAR).exists():
        return
    counties = list(County.objects.filter(city=plan.city).order_by("order"))
    issuers = _issuers(counties)
    targets = {
        t.county_id: t.target
        for t in CountyTarget.objects.filter(indicator__plan=plan, indicator__code="new_skilled")
    }
    known = set(Person.objects.values_list("id_index", flat=True))
    people: list[dict[str, Any]] = []
    for c in counties:
        # Some counties run ahead of the calendar, some lag: 0.80–1.15 of the calendar share.
        pace = Decimal(rng.randint(80, 115)) / 100
        n = int(targets[c.pk] * 10000 * _elapsed_share() * pace)
        for k in range(n):
            born = dt.date(1968, 1, 1) + dt.timedelta(days=k // 100)
            number = ids.make(c.code, born, FIRST_SEQUENCE + k % 100)
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            index = crypto.blind_index(number)
            if index in known:
                continue
            known.add(index)
            people.append(
                {
                    "name": name,
                    "id_number": number,
                    "id_index": index,
                    "id_masked": ids.mask(number),
                    "phone": "",
                    "phone_index": "",
                    "phone_masked": "",
                    "birth_date": born,
                    "county": c.pk,
                }
            )
    _insert(Person, people)
    county_of = {p["id_index"]: p["county"] for p in people}
    by_index = {
        index: pk
        for index, pk in Person.objects.filter(county__city=plan.city).values_list("id_index", "id")
        if index in county_of
    }
    indexes = list(county_of)

    channels = list(CHANNEL_KIND)
    certificates: list[dict[str, Any]] = []
    for index in indexes:
        person_id, county_id = by_index[index], county_of[index]
        # 附件1's mix: enterprise 6.48 : schools 5.4 : social 3.12; about 1 in 8 certified twice.
        for _ in range(2 if rng.random() < 0.12 else 1):
            channel = rng.choices(channels, weights=[648, 540, 312])[0]
            code, levels = rng.choice(OCCUPATIONS)
            roll = rng.random()
            if roll < 0.04:
                kind, level = Certificate.Kind.SPECIAL_ABILITY, None
            elif roll < 0.07:
                kind, level = Certificate.Kind.TRAINING_PASS, None
            elif roll < 0.12:
                kind, level = Certificate.Kind.SPECIAL_OPERATION, None
            else:
                kind, level = Certificate.Kind.SKILL_LEVEL, rng.choice(levels)
            certificates.append(
                {
                    "number": f"Y{YEAR}{county_id:02d}{len(certificates) + 1:07d}",
                    "person": person_id,
                    "occupation_code": code,
                    "skill_level": level,
                    "kind": kind,
                    "channel": channel,
                    "issued_on": _issued_on(rng),
                    "county": county_id,
                    "issuing_institution": issuers[(county_id, channel)].pk,
                    "first_in_year": False,
                    "first_high_in_year": False,
                }
            )
    _insert(Certificate, certificates)
    certificate_flags_refresh(year=YEAR)
    # One audit event for the bulk load (the rows bypass the per-record services on purpose).
    audit.record(
        actor=None,
        action="demo.plan.load",
        object_type="assessment.certificate",
        after={"year": YEAR, "people": len(people), "certificates": len(certificates)},
    )
