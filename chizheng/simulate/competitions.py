"""The year's skill competitions (§11 开展职业技能竞赛年活动): a calendar of events — city
competitions run by the departments §11 names (市人社局、市教体局、市总工会、团市委、市妇联、
市残联) and the provincial selections — each in two or three occupations the host county's
institutions train for, with contestants drawn from the county's people, their scores, ranks
and awards, and the award winners' skill level conferred by the competition a week after it
(竞赛获奖晋升等级), or a 职业技能等级 certificate of theirs obtained in the meantime linked.

Only events over by "today" are made, each step dated when it happened (registered three
weeks before, the results list imported on the last day, the levels a week later); every
write goes through ``competitions.services`` and ``competitions.imports`` as the city
office. Idempotent: an event already recorded (by its name) is skipped. A slice on
2022-05-10 has the spring's events; a city year to December the whole calendar (≥ 10
events, ≥ 30 occupations, ≥ 300 contestants certified).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from chizheng.assessment.models import Certificate
from chizheng.competitions import imports, services
from chizheng.competitions.models import Contestant, Event
from chizheng.core import clock
from chizheng.org.models import Department
from chizheng.registry.models import Occupation, Person

from .actors import Actors

# (month, day, days, level, organiser's department code, title, occupations)
CALENDAR: tuple[tuple[int, int, int, str, str, str, int], ...] = (
    (3, 15, 2, "city", "hrss", "“技能河南”职业技能竞赛（制造类）", 3),
    (3, 29, 1, "city", "union", "职工职业技能大赛", 2),
    (4, 12, 3, "provincial_selection", "hrss", "第46届世界技能大赛河南省选拔赛平顶山市选拔", 3),
    (4, 21, 2, "city", "education", "职业院校技能大赛", 3),
    (4, 27, 1, "city", "women", "巾帼职业技能竞赛", 2),
    (5, 5, 2, "city", "youth", "青年职业技能大赛", 2),
    (6, 14, 2, "provincial_selection", "hrss", "首届河南省职业技能大赛平顶山市选拔赛", 3),
    (6, 28, 1, "city", "disabled", "残疾人职业技能竞赛", 2),
    (7, 19, 2, "city", "union", "“中原大工匠”职工技能竞赛", 3),
    (8, 23, 2, "city", "hrss", "“技能河南”职业技能竞赛（服务类）", 3),
    (9, 20, 2, "city", "education", "技工院校学生技能竞赛", 3),
    (10, 18, 1, "city", "women", "家政服务职业技能竞赛", 2),
    (11, 8, 2, "city", "hrss", "乡村振兴职业技能竞赛", 3),
    (11, 22, 2, "city", "youth", "青年岗位能手技能竞赛", 2),
)
CONTESTANTS = 16  # per occupation of an event
AWARDS = ("first", "second", "second", "third", "third", "third", "excellence", "excellence")
CONFERRED_AFTER = dt.timedelta(days=7)  # the level is conferred a week after the event
LEVEL = {"city": 4, "provincial_selection": 3}  # the level an award winner is promoted to


def _occupations(
    rng: random.Random, a: Actors, county_id: int, used: set[str], n: int
) -> list[str]:
    """``n`` occupations the county's institutions train for, the ones not yet competed in
    first (so that the year's competitions spread over many occupations)."""
    codes = sorted({code for t in a.trainers.get(county_id, []) for code, _ in t.catalog})
    known = set(
        Occupation.objects.filter(
            code__in=codes, level=Occupation.Level.OCCUPATION, active=True
        ).values_list("code", flat=True)
    )
    codes = [c for c in codes if c in known]
    rng.shuffle(codes)
    codes.sort(key=lambda c: c in used)
    return codes[:n]


def run(a: Actors, *, year: int, seed: int, today: dt.date) -> int:
    """Make the calendar's events that are over by ``today``; returns how many were made."""
    rng = random.Random(f"{seed}-{year}-competitions")
    office = a.office[0]
    counties = sorted(cid for cid, trainers in a.trainers.items() if trainers)
    if not counties:
        return 0
    departments = dict(Department.objects.values_list("code", "id"))
    used: set[str] = set(
        Event.objects.filter(starts_on__year=year).values_list("occupations__code", flat=True)
    )
    made = 0
    for n, (month, day, days, level, organiser, title, width) in enumerate(CALENDAR):
        starts = dt.date(year, month, day)
        ends = starts + dt.timedelta(days=days - 1)
        county_id = counties[n % len(counties)]
        codes = _occupations(rng, a, county_id, used, width)
        name = f"{year}年平顶山市{title}"
        if ends > today or not codes or Event.objects.filter(name=name).exists():
            continue
        used.update(codes)
        with clock.freeze(starts - dt.timedelta(days=21)):
            event = services.event_create(
                actor=office,
                name=name,
                level=level,
                occupation_codes=codes,
                starts_on=starts,
                ends_on=ends,
                place=rng.choice(
                    ("平顶山技师学院", "平顶山工业职业技术学院", "市职业技能公共实训基地")
                ),
                county_id=county_id,
                organiser_department_id=departments[organiser],
            )
        _contestants(rng, event, codes, a, today=today)
        made += 1
    return made


def _contestants(
    rng: random.Random, event: Event, codes: list[str], a: Actors, *, today: dt.date
) -> None:
    """The results list as the organiser hands it in (imported on the last day, through the
    import the office uses), then the award winners' certification a week later."""
    office = a.office[0]
    pool = list(
        Person.objects.filter(county_id=event.county_id)
        .order_by("id")
        .values_list("id", flat=True)[: CONTESTANTS * len(codes) * 4]
    )
    chosen = rng.sample(pool, min(len(pool), CONTESTANTS * len(codes)))
    people = Person.objects.in_bulk(chosen)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([c.header for c in imports.COLUMNS])
    winners: dict[int, str] = {}  # person id → occupation code
    for i, code in enumerate(codes):
        group = chosen[i * CONTESTANTS : (i + 1) * CONTESTANTS]
        scores = sorted((rng.randint(6000, 9900) for _ in group), reverse=True)
        for rank, (pid, score) in enumerate(zip(group, scores, strict=True), 1):
            person = people[pid]
            award = AWARDS[rank - 1] if rank <= len(AWARDS) else ""
            if award:
                winners[pid] = code
            out.writerow(
                [person.name, person.id_number, code, f"{score / 100:.2f}", rank, award, ""]
            )
    with clock.freeze(event.ends_on):
        imports.contestants_import(
            actor=office,
            event_id=event.pk,
            filename=f"{event.name}成绩.csv",
            content=buf.getvalue().encode("utf-8"),
        )
    conferred_on = event.ends_on + CONFERRED_AFTER
    if conferred_on > today or not winners:
        return
    held = {
        (c["person_id"], c["occupation_code"]): c["number"]
        for c in Certificate.objects.filter(
            person_id__in=list(winners),
            kind=Certificate.Kind.SKILL_LEVEL,
            issued_on__gte=event.starts_on,
            issued_on__lte=today,
        )
        .exclude(number="")
        .values("person_id", "occupation_code", "number")
    }
    entries = Contestant.objects.filter(event=event, person_id__in=list(winners)).values_list(
        "pk", "person_id"
    )
    for pk, pid in entries.order_by("pk"):
        number = held.get((pid, winners[pid]), "")
        with clock.freeze(conferred_on):
            services.contestant_certify(
                actor=office,
                contestant_id=pk,
                certificate_number=number,
                conferred_level=None if number else LEVEL.get(event.level, 4),
                conferred_on=None if number else conferred_on,
            )
