"""Two counties, two institutions, two platforms, a class on each platform, its trainees'
learner keys, a log and its audit brought into the system — the fixture of the scope tests.

Class A (新华区, platform P1, course CA): trainee a1 has 5400 s valid (2 class hours) and a
600 s fast-forwarded segment; a2 nothing. Class B (舞钢市, platform P2, course CB): b1 has
2700 s valid (1 class hour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.online import audit, config, services
from chizheng.online.models import OnlineLearner
from chizheng.online.tests.logs import Log
from chizheng.online.tests.platforms import issue_platform_token
from chizheng.org.models import Department
from chizheng.registry.models import Institution, Person
from chizheng.training.models import Enrolment, TrainingClass

A, B = "410402", "410482"


@dataclass
class World:
    office: User
    county_a: User
    county_b: User
    inst_a: User
    inst_b: User
    platform_a: User
    platform_b: User
    worker_a1: User
    worker_b1: User
    p1: Institution
    p2: Institution
    class_a: TrainingClass
    class_b: TrainingClass
    a1: OnlineLearner
    a2: OnlineLearner
    b1: OnlineLearner
    tokens: dict[str, str]


def _class(inst: Institution, platform: Institution, by: User) -> TrainingClass:
    return TrainingClass.objects.create(
        institution=inst,
        department=Department.objects.get(code="miit"),
        contact_name="李老师",
        contact_phone="0375-1234567",
        batch=f"2022-线上-{inst.pk}",
        start_date=dt.date(2022, 6, 1),
        end_date=dt.date(2022, 6, 30),
        occupation_code="6-18-02-05",
        occupation_name="机械加工材料切割工",
        certificate_type="skill_level",
        planned_count=30,
        class_hours=80,
        practical_hours=50,
        online_theory_hours=24,
        class_hour_minutes=45,
        platform=platform,
        mode="commissioned",
        created_by=by,
    )


def build(
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    make_person: Callable[..., Person],
) -> World:
    from chizheng.org.models import County

    office = make_user(Role.PROGRAMME_OFFICE)
    p1 = make_institution(A, kind=Institution.Kind.PLATFORM, name="平台一")
    p2 = make_institution(B, kind=Institution.Kind.PLATFORM, name="平台二")
    tokens = {
        "P1": issue_platform_token(office, p1, "P1", make_user),
        "P2": issue_platform_token(office, p2, "P2", make_user),
    }
    school_a, school_b = make_institution(A), make_institution(B)
    inst_a = make_user(Role.INSTITUTION, institution=school_a)
    inst_b = make_user(Role.INSTITUTION, institution=school_b)
    class_a, class_b = _class(school_a, p1, inst_a), _class(school_b, p2, inst_b)
    a1, a2, b1 = make_person(A), make_person(A), make_person(B)
    enrol = {
        p.pk: Enrolment.objects.create(training_class=k, person=p)
        for k, p in ((class_a, a1), (class_a, a2), (class_b, b1))
    }
    services.bind_course(actor=inst_a, class_id=class_a.pk, course_key="CA")
    services.bind_course(actor=office, class_id=class_b.pk, course_key="CB")
    key = {p.pk: OnlineLearner.objects.get(enrolment=enrol[p.pk]) for p in (a1, a2, b1)}

    log = Log(platform="P1")
    k1 = key[a1.pk].learner_key
    log.play(0, 5400, learner=k1, course="CA").add("done", 5401, learner=k1, course="CA")
    log.play(6000, 6600, learner=k1, course="CA", lesson=2, rate=1.5)  # FF
    other = Log(platform="P2")
    kb = key[b1.pk].learner_key
    other.play(0, 2700, learner=kb, session="SB", course="CB")
    store = config.store()
    now = clock.now()
    store.ingest(log.table(), platform="P1", now=now)
    store.ingest(other.table(), platform="P2", now=now)
    audit.audit_to_parquet(store.files(), config.latest_result(), unique=True)
    services.apply_results(actor=office)
    for row in key.values():
        row.refresh_from_db()
    return World(
        office=office,
        county_a=make_user(Role.COUNTY_HR, county=County.objects.get(code=A)),
        county_b=make_user(Role.COUNTY_HR, county=County.objects.get(code=B)),
        inst_a=inst_a,
        inst_b=inst_b,
        platform_a=make_user(Role.PLATFORM, institution=p1),
        platform_b=make_user(Role.PLATFORM, institution=p2),
        worker_a1=make_user(Role.WORKER, person=a1),
        worker_b1=make_user(Role.WORKER, person=b1),
        p1=p1,
        p2=p2,
        class_a=class_a,
        class_b=class_b,
        a1=key[a1.pk],
        a2=key[a2.pk],
        b1=key[b1.pk],
        tokens=tokens,
    )
