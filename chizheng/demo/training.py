"""Demo classes of the 2022 city-year, in every state of the lifecycle, made through the
services (so every rule ran, every step is in the history and the audit log).

The demo's day is ``DEMO_TODAY`` (``chizheng demo`` sets ``CHIZHENG_TODAY`` to it): classes
started in February and March are assessed with certificates (in one of them a practical
session was recorded too short and a trainee falls below the attendance rate, §19, §21);
April's are in training or have their assessment registered; May's are approved or still in review — some past their
deadline — and a few are drafts, returned, rejected or withdrawn.

Idempotent: a class is found by its batch before it is made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.core import clock, ids
from chizheng.core.review import Seen
from chizheng.org.models import County, Department
from chizheng.plan.models import Programme
from chizheng.registry.models import Institution, Person, Site, Teacher
from chizheng.registry.services import person_register
from chizheng.training import selectors, services
from chizheng.training.models import Mode, Status, TrainingClass

DEMO_TODAY = dt.date(2022, 5, 10)
PASSWORD = "Chizheng@2022"


@dataclass(frozen=True)
class Plan:
    institution: str
    occupation: str
    level: int
    evaluator: str
    start: dt.date
    end_state: str
    trainees: int = 24
    # a practical session recorded too short in some class hours (§19), and a trainee who
    # missed two sessions besides: below the attendance rate, paid nothing (§21)
    lapse: bool = False


# (institution, occupation, level, evaluator, start, state on DEMO_TODAY)
PLANS = [
    Plan(
        "平煤神马集团职工培训中心",
        "6-16-01-06",
        4,
        "平煤神马集团职工培训中心",
        dt.date(2022, 2, 21),
        Status.ASSESSED,
    ),
    Plan(
        "平煤神马集团职工培训中心",
        "6-31-01-03",
        3,
        "平顶山市职业技能鉴定中心",
        dt.date(2022, 3, 7),
        Status.ASSESSED,
    ),
    Plan(
        "宝丰县豫菜师傅培训学校",
        "4-03-02-01",
        5,
        "平顶山市职业技能鉴定中心",
        dt.date(2022, 3, 1),
        Status.ASSESSED,
        lapse=True,
    ),
    Plan(
        "郏县饸饹面技能培训中心",
        "4-03-02-01",
        4,
        "平顶山市职业技能鉴定中心",
        dt.date(2022, 3, 14),
        Status.ASSESSED,
    ),
    Plan(
        "平煤神马集团职工培训中心",
        "6-16-01-06",
        3,
        "平煤神马集团职工培训中心",
        dt.date(2022, 4, 11),
        Status.ASSESSMENT_REGISTERED,
    ),
    Plan(
        "宝丰县豫菜师傅培训学校",
        "4-03-02-01",
        4,
        "平顶山市职业技能鉴定中心",
        dt.date(2022, 4, 18),
        Status.IN_TRAINING,
    ),
    Plan("高新区智能制造实训基地", "6-18-02-05", 4, "", dt.date(2022, 4, 25), Status.IN_TRAINING),
    Plan("舞钢市钢铁职工培训中心", "6-17-02-02", 4, "", dt.date(2022, 5, 16), Status.APPROVED),
    Plan("平煤神马集团职工培训中心", "6-16-01-10", 4, "", dt.date(2022, 5, 23), Status.HR_FIRST),
    Plan("郏县饸饹面技能培训中心", "4-03-02-02", 5, "", dt.date(2022, 5, 30), Status.HR_REVIEW),
    Plan("高新区智能制造实训基地", "6-31-07-03", 4, "", dt.date(2022, 6, 6), Status.INDUSTRY_FIRST),
    Plan("舞钢市钢铁职工培训中心", "6-17-09-02", 5, "", dt.date(2022, 5, 30), Status.SUBMITTED),
    Plan("宝丰县豫菜师傅培训学校", "4-03-02-02", 5, "", dt.date(2022, 6, 13), Status.RETURNED),
    Plan("示范区电商创业培训学校", "4-01-06-01", 5, "", dt.date(2022, 6, 13), Status.REJECTED),
    Plan("高新区智能制造实训基地", "6-18-01-01", 5, "", dt.date(2022, 6, 20), Status.WITHDRAWN),
    Plan("舞钢市钢铁职工培训中心", "6-30-05-01", 5, "", dt.date(2022, 6, 20), Status.DRAFT),
]
# Where each class got to when: submitted 30 days before its start (the overdue SUBMITTED
# class was filed 2022-04-15 and nobody has acted on it since).
SUBMITTED_EARLY: dict[str, dt.date] = {Status.SUBMITTED: dt.date(2022, 4, 15)}


def _programme(occupation: str) -> int:
    """Which of the ten programmes (§1–10) a demo class belongs to, by its occupation."""
    if occupation.startswith("4-03-02"):
        return 6  # “豫菜师傅”
    if occupation.startswith("6-16"):
        return 5  # “安全河南”: coal mining
    if occupation.startswith("4-01-06"):
        return 9  # 大众创业: e-commerce
    return 1  # 重点产业


def _tags(programme: int, level: int | None) -> list[str]:
    """The §1/§9 projects (class.programme_tags) of a demo class: 网络创业 for the
    e-commerce classes, “金蓝领” for high-skill ones of the key industries."""
    if programme == 9:
        return ["malanhua_online"]
    if programme == 1 and level is not None and level <= 3:
        return ["golden_blue_collar"]
    return []


def _user(username: str, display: str, role: str, **scope: object) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "display_name": display, **scope}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _people(county: County, start_seq: int, n: int) -> Iterator[Person]:
    for k in range(n):
        born = dt.date(1985, 1, 1) + dt.timedelta(days=(start_seq + k) * 11 % 5000)
        number = ids.make(county.code, born, (start_seq + k) % 1000)
        yield person_register(
            actor=None, name=f"学员{start_seq + k:04d}", id_number=number, county=county
        )


# The demo classes' 96 class hours (60 practical) as twelve sessions, every other day from
# the start: six of theory (6 class hours) and six practical (10 class hours), alternating.
SESSIONS, SESSION_DAYS = 12, 2
THEORY_HOURS, PRACTICAL_HOURS = 6, 10
RECORDED = [22, 20, 18, 25, 21, 19, 23, 20, 24, 22]  # longest continuous minutes per hour
SHORT = [22, 20, 12, 10, 14, 11, 25, 21, 19, 23]  # four class hours under 15 minutes (§19)
LAPSE_SESSION = 5  # the practical session recorded short, in the lapse class
LAPSE_ABSENT = (2, 3)  # the sessions the lapse class's last certified trainee missed


def _sessions(
    training_class: TrainingClass, plan: Plan, applicant: User, people: list[Person]
) -> None:
    """Sessions with their recordings and sign-in up to the demo's day; in each, one trainee
    is away (a different one each time, so all but the lapse class's trainee stay above the
    attendance rate)."""
    lapser = people[len(people) - 3]  # certified: the line is 0 for attendance alone
    for n in range(SESSIONS):
        on = plan.start + dt.timedelta(days=SESSION_DAYS * n)
        if on > DEMO_TODAY:
            break
        practical = n % 2 == 1
        hours = PRACTICAL_HOURS if practical else THEORY_HOURS
        minutes = hours * training_class.class_hour_minutes
        longest = (SHORT if plan.lapse and n == LAPSE_SESSION else RECORDED) if practical else []
        away = {people[(n * 7) % len(people)].pk}
        if plan.lapse and n in LAPSE_ABSENT:
            away.add(lapser.pk)
        with clock.freeze(on):
            s = services.session_add(
                actor=applicant,
                class_id=training_class.pk,
                held_on=on,
                kind="practical" if practical else "theory",
                class_hours=hours,
                minutes=minutes,
                recorded_minutes=sum(longest) if practical else minutes,
                longest_continuous=longest,
            )
            services.attendance_record(
                actor=applicant,
                session_id=s.pk,
                present_person_ids=[p.pk for p in people if p.pk not in away],
            )


@transaction.atomic
def build(*, rng: random.Random) -> None:
    if TrainingClass.objects.filter(batch__startswith="2022-演示").exists():
        return
    city = County.objects.get(code="410402").city
    by_name = {i.name: i for i in Institution.objects.all()}
    depts = {d.code: d for d in Department.objects.all()}
    reviewers = {
        code: (
            _user(f"{code}1", f"{depts[code].name} 初审", Role.INDUSTRY, department=depts[code]),
            _user(f"{code}2", f"{depts[code].name} 复核", Role.INDUSTRY, department=depts[code]),
        )
        for code in ("miit", "commerce")
    }
    hr = (
        User.objects.get(username="city"),
        _user("city2", "市人社局 复核", Role.PROGRAMME_OFFICE, city=city, is_staff=True),
    )
    inspector = User.objects.get(username="inspector")
    programmes = {p.number: p for p in Programme.objects.filter(plan__year=2022)}
    for i, plan in enumerate(PLANS):
        inst = by_name[plan.institution]
        applicant = User.objects.filter(role=Role.INSTITUTION, institution=inst).order_by(
            "id"
        ).first() or _user(f"inst{inst.pk}", inst.name, Role.INSTITUTION, institution=inst)
        people = list(_people(inst.county, 2000 + i * 40, plan.trainees))
        submitted_on = SUBMITTED_EARLY.get(plan.end_state, plan.start - dt.timedelta(days=30))
        with clock.freeze(submitted_on - dt.timedelta(days=2)):
            training_class = services.class_create(
                actor=applicant,
                batch=f"2022-演示-{i + 1:02d}",
                start_date=plan.start,
                end_date=plan.start + dt.timedelta(days=25),
                occupation_code=plan.occupation,
                skill_level=plan.level,
                certificate_type="skill_level",
                planned_count=plan.trainees,
                class_hours=96,
                practical_hours=60,
                class_hour_minutes=45,
                mode=Mode.ENTERPRISE_SELF
                if inst.kind == "enterprise_centre"
                else Mode.COMMISSIONED,
                programme_id=programmes[_programme(plan.occupation)].pk if programmes else None,
                contact_name="培训部",
                contact_phone="0375-2600000",
                bank_name="中国工商银行平顶山分行",
                bank_account=f"17060000090{inst.pk:08d}",
                teacher_ids=list(
                    Teacher.objects.filter(institution=inst).values_list("pk", flat=True)
                ),
                site_ids=list(Site.objects.filter(institution=inst).values_list("pk", flat=True)),
                tags=_tags(_programme(plan.occupation), plan.level) if programmes else [],
            )
            services.roster_add(
                actor=applicant, class_id=training_class.pk, person_ids=[p.pk for p in people]
            )
        if plan.end_state == Status.DRAFT:
            continue
        _advance(
            training_class,
            plan,
            applicant,
            reviewers[inst.department.code if inst.department else "miit"],
            hr,
            inspector,
            submitted_on,
            people,
        )


def _seen(class_id: int) -> Seen:
    """What the demo's reviewer sees when he opens the class as it stands."""
    seen = selectors.review_seen(training_class=TrainingClass.objects.get(pk=class_id))
    assert seen is not None
    return seen


def _advance(
    training_class: TrainingClass,
    plan: Plan,
    applicant: User,
    industry: tuple[User, User],
    hr: tuple[User, User],
    inspector: User,
    submitted_on: dt.date,
    people: list[Person],
) -> None:
    order: list[str] = [
        Status.SUBMITTED,
        Status.INDUSTRY_FIRST,
        Status.HR_REVIEW,
        Status.HR_FIRST,
        Status.APPROVED,
    ]
    with clock.freeze(submitted_on):
        services.class_submit(actor=applicant, class_id=training_class.pk)
    if plan.end_state == Status.WITHDRAWN:
        with clock.freeze(submitted_on + dt.timedelta(days=1)):
            services.class_withdraw(
                actor=applicant, class_id=training_class.pk, reason="企业生产任务调整，推迟开班"
            )
        return
    if plan.end_state in (Status.RETURNED, Status.REJECTED):
        decision, opinion = (
            ("return", "名册中部分人员未在本单位参保，请核实后重新提交")
            if plan.end_state == Status.RETURNED
            else ("reject", "该职业（工种）不在本机构年度目录清单内")
        )
        with clock.freeze(submitted_on + dt.timedelta(days=3)):
            services.class_review(
                actor=industry[0],
                class_id=training_class.pk,
                decision=decision,
                opinion=opinion,
                seen=_seen(training_class.pk),
            )
        return
    steps = [industry[0], industry[1], hr[0], hr[1]]
    target = order.index(plan.end_state) if plan.end_state in order else len(order) - 1
    for k, user in enumerate(steps[:target]):
        with clock.freeze(submitted_on + dt.timedelta(days=2 + 3 * k)):
            services.class_review(
                actor=user,
                class_id=training_class.pk,
                decision="approve",
                opinion="同意",
                seen=_seen(training_class.pk),
            )
    if plan.end_state in order:
        return
    with clock.freeze(plan.start):
        services.class_start(actor=applicant, class_id=training_class.pk)
        services.inspection_record(
            actor=inspector,
            class_id=training_class.pk,
            kind="opening",
            held_on=plan.start,
            place="实训楼一层",
            present=len(people),
            signed_in=len(people),
            teachers_present=3,
        )
    _sessions(training_class, plan, applicant, people)
    with clock.freeze(plan.start + dt.timedelta(days=8)):
        services.inspection_record(
            actor=inspector,
            class_id=training_class.pk,
            kind="during",
            held_on=plan.start + dt.timedelta(days=8),
            place="实训楼一层",
            present=len(people) - 2,
            signed_in=len(people) - 1,
            teachers_present=2,
        )
    if plan.end_state == Status.IN_TRAINING:
        return
    held = plan.start + dt.timedelta(days=26)
    evaluator = Institution.objects.get(name=plan.evaluator)
    with clock.freeze(held - dt.timedelta(days=5)):
        services.assessment_register(
            actor=applicant, class_id=training_class.pk, evaluator_id=evaluator.pk, held_on=held
        )
    if plan.end_state == Status.ASSESSMENT_REGISTERED:
        return
    evaluator_user = _user(
        f"eval{evaluator.pk}", f"{evaluator.name} 评价", Role.EVALUATOR, institution=evaluator
    )
    certified = people[: len(people) - 2]
    if not User.objects.filter(username="xueyuan").exists():
        _user("xueyuan", certified[0].name, Role.WORKER, person=certified[0])
    with clock.freeze(held + dt.timedelta(days=2)):
        services.results_record(
            actor=evaluator_user,
            class_id=training_class.pk,
            counts={"skill_level": (len(people) - 1, len(certified))},
            certificates=[
                services.CertificateIn(
                    p.pk,
                    f"PDS{held:%Y%m}{training_class.pk:04d}{n:03d}",
                    "skill_level",
                    plan.level,
                    held,
                )
                for n, p in enumerate(certified)
            ],
        )
