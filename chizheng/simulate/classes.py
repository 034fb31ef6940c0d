"""One class of the simulated year, driven through the services to the state its draw says:
created and rostered by its institution, submitted, reviewed by two people at each level,
started, its sessions held and signed in, inspected at the opening and during training,
surveyed, its makeups approved, its final assessment registered and its results recorded
with certificates. Every step runs with the clock frozen at the day it happens, never
after the simulated "today".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.core import clock, ids
from chizheng.registry.models import Person
from chizheng.registry.services import people_register
from chizheng.rules import params
from chizheng.training import selectors, services
from chizheng.training.models import Enrolment, Mode, Status, TrainingClass

from .actors import Actors, Trainer, user

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国红梅玉志海燕春子涵浩然欣怡宇轩"
# 附件2's class hours: 96 in all, 60 of them practical, 45-minute hours (as the demo's classes).
CLASS_HOURS, PRACTICAL_HOURS, HOUR_MINUTES = 96, 60, 45
DURATION = 20  # days from the start to the end of a class
# The sessions recorded per class (days after the start, kind): three periods (当期, §19)
# that together hold the class's offline hours — the theory in two halves around the
# practical — since the attendance rate counts hours of the whole class (§21).
SESSIONS = ((0, "theory"), (7, "practical"), (14, "theory"))
REVIEW_STATES = (Status.SUBMITTED, Status.INDUSTRY_FIRST, Status.HR_REVIEW, Status.HR_FIRST)
STARTED = (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED)


@dataclass(frozen=True)
class ClassDraw:
    """What the year's draw decided for one class (``run.plan_year``)."""

    index: int  # its place in the year: the trainees' ID sequence numbers derive from it
    batch: str
    county_id: int
    county_code: str
    trainer: int  # index into the county's trainers
    occupation: str
    level: int
    programme: int
    mode: str
    state: str
    start: dt.date
    submitted_on: dt.date
    trainees: int
    names: tuple[str, ...]
    certified: int  # trainees certified at the final assessment
    absent: bool  # one trainee misses the second session and makes it up
    survey: bool
    site: int | None = None  # the site it books (None: every site of its institution)
    later: int = 0  # days the evaluator's calendar puts the assessment after the usual day

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=DURATION)

    @property
    def held(self) -> dt.date:
        """The final assessment's day."""
        return self.end + dt.timedelta(days=2 + self.later)


# The projects of §1/§8/§9/§10 (class.programme_tags) a class of a programme is tagged
# with, by its place in the year (no draw: the year's other draws stay as they were).
PROJECTS = {
    8: ("whole_village", None, None),
    9: ("malanhua_awareness", "malanhua_start_improve", "malanhua_online", "malanhua_practice"),
    10: ("order", "post", "project"),
}
HIGH_SKILL = 3  # the "金蓝领" project trains at level 3 and above


def _tags(draw: ClassDraw) -> list[str]:
    if draw.programme == 1:
        return ["golden_blue_collar"] if draw.level <= HIGH_SKILL and draw.index % 2 else []
    options = PROJECTS.get(draw.programme, ())
    code = options[draw.index % len(options)] if options else None
    return [code] if code else []


def _people(draw: ClassDraw) -> list[Person]:
    """The class's trainees, registered in its county in one set-based call."""
    from chizheng.org.models import County

    county = County.objects.get(pk=draw.county_id)
    wanted = []
    for k, name in enumerate(draw.names):
        counter = draw.index * 100 + k
        born = dt.date(1978, 1, 1) + dt.timedelta(days=counter // 1000)
        wanted.append((name, ids.make(draw.county_code, born, counter % 1000)))
    return people_register(actor=None, county=county, people=wanted)


def _review(actor: User, class_id: int, day: dt.date, decision: str, opinion: str) -> None:
    with clock.freeze(day):
        seen = selectors.review_seen(training_class=TrainingClass.objects.get(pk=class_id))
        assert seen is not None
        services.class_review(
            actor=actor, class_id=class_id, decision=decision, opinion=opinion, seen=seen
        )


@transaction.atomic
def build(draw: ClassDraw, actors: Actors, *, today: dt.date, platform_id: int | None) -> str:
    """Make the class and take it as far as its draw says; returns the state it reached."""
    trainer: Trainer = actors.trainers[draw.county_id][draw.trainer]
    applicant = trainer.applicant
    created_on = (
        min(draw.submitted_on, today) - dt.timedelta(days=2)
        if draw.state != Status.DRAFT
        else draw.submitted_on
    )
    with clock.freeze(created_on):  # registered when the institution drew up the roster
        people = _people(draw)
    from chizheng.plan.models import Programme

    programme = Programme.objects.filter(plan__year=draw.start.year, number=draw.programme).first()
    with clock.freeze(created_on):
        c = services.class_create(
            actor=applicant,
            batch=draw.batch,
            start_date=draw.start,
            end_date=draw.end,
            occupation_code=draw.occupation,
            skill_level=draw.level,
            certificate_type="skill_level",
            planned_count=draw.trainees,
            class_hours=CLASS_HOURS,
            practical_hours=PRACTICAL_HOURS,
            online_theory_hours=12 if draw.mode == Mode.BLENDED else 0,
            class_hour_minutes=HOUR_MINUTES,
            mode=draw.mode,
            platform_id=platform_id if draw.mode == Mode.BLENDED else None,
            programme_id=programme.pk if programme else None,
            contact_name="培训部",
            contact_phone="0375-2600000",
            bank_name="中国工商银行平顶山分行",
            bank_account=f"17060000090{trainer.institution.pk:08d}",
            teacher_ids=trainer.teacher_ids,
            site_ids=[draw.site] if draw.site else trainer.site_ids,
            tags=_tags(draw) if programme else [],
        )
        services.roster_add(actor=applicant, class_id=c.pk, person_ids=[p.pk for p in people])
    if draw.state == Status.DRAFT:
        return Status.DRAFT
    with clock.freeze(draw.submitted_on):
        services.class_submit(actor=applicant, class_id=c.pk)
    return _review_and_deliver(c, draw, actors, trainer, people, today)


def _review_and_deliver(
    c: TrainingClass,
    draw: ClassDraw,
    actors: Actors,
    trainer: Trainer,
    people: list[Person],
    today: dt.date,
) -> str:
    industry = actors.industry[trainer.institution.department_id]  # type: ignore[index]
    hr = actors.county_hr[draw.county_id]
    day = draw.submitted_on
    if draw.state == Status.WITHDRAWN:
        with clock.freeze(day + dt.timedelta(days=1)):
            services.class_withdraw(
                actor=trainer.applicant, class_id=c.pk, reason="企业生产任务调整，推迟开班"
            )
        return Status.WITHDRAWN
    if draw.state in (Status.RETURNED, Status.REJECTED):
        decision, opinion = (
            ("return", "名册中部分人员信息需核实，请补充后重新提交")
            if draw.state == Status.RETURNED
            else ("reject", "培训计划与本专项方向不符，不予批准")
        )
        _review(industry[0], c.pk, day + dt.timedelta(days=1), decision, opinion)
        return draw.state
    steps = (industry[0], industry[1], hr[0], hr[1])
    stop = REVIEW_STATES.index(draw.state) if draw.state in REVIEW_STATES else len(steps)
    for k, reviewer in enumerate(steps[:stop]):
        _review(reviewer, c.pk, day + dt.timedelta(days=k + 1), "approve", "同意")
    if draw.state not in STARTED:
        return draw.state
    return _deliver(c, draw, actors, trainer.applicant, people, today)


def _deliver(
    c: TrainingClass,
    draw: ClassDraw,
    actors: Actors,
    applicant: User,
    people: list[Person],
    today: dt.date,
) -> str:
    n, ids_ = len(people), [p.pk for p in people]
    inspector = actors.inspectors[draw.index % 2]
    with clock.freeze(draw.start):
        services.class_start(actor=applicant, class_id=c.pk)
        services.inspection_record(
            actor=inspector,
            class_id=c.pk,
            kind="opening",
            held_on=draw.start,
            place="实训楼一层",
            present=n,
            signed_in=n,
            teachers_present=2,
        )
    missed = None
    for (offset, kind), hours in zip(SESSIONS, _period_hours(c), strict=True):
        on = draw.start + dt.timedelta(days=offset)
        if on > today:
            break
        absent = {ids_[-1]} if draw.absent and offset == SESSIONS[1][0] else set()
        with clock.freeze(on):
            s = services.session_add(
                actor=applicant,
                class_id=c.pk,
                held_on=on,
                kind=kind,
                class_hours=hours,
                minutes=hours * HOUR_MINUTES,
                recorded_minutes=hours * HOUR_MINUTES,
                longest_continuous=[HOUR_MINUTES] * hours if kind == "practical" else [],
            )
            services.attendance_record(
                actor=applicant,
                session_id=s.pk,
                present_person_ids=[i for i in ids_ if i not in absent],
            )
        if absent:
            missed = s
        if offset == SESSIONS[1][0]:
            with clock.freeze(on):
                services.inspection_record(
                    actor=inspector,
                    class_id=c.pk,
                    kind="during",
                    held_on=on,
                    place="实训楼一层",
                    present=n - len(absent),
                    signed_in=n - len(absent),
                    teachers_present=2,
                )
    hr = actors.county_hr[draw.county_id]
    # §21: approved by the county bureau beforehand, done before the final assessment —
    # a makeup that counts toward his attendance rate
    if missed is not None and missed.held_on + dt.timedelta(days=2) <= today:
        done = missed.held_on + dt.timedelta(days=2)
        with clock.freeze(missed.held_on + dt.timedelta(days=1)):
            services.makeup_approve(
                actor=hr[0],
                enrolment_id=Enrolment.objects.get(training_class=c, person_id=ids_[-1]).pk,
                session_id=missed.pk,
                completed_on=done,
            )
    if draw.survey:
        _survey(c, draw, hr[0], people, today)
    if draw.state == Status.IN_TRAINING:
        return Status.IN_TRAINING
    return _assess(c, draw, actors, applicant, people, today)


def _period_hours(c: TrainingClass) -> list[int]:
    """The class hours of each of ``SESSIONS``: the offline theory (less the online theory)
    in two halves, the practical hours between them."""
    theory = c.class_hours - c.practical_hours - c.online_theory_hours
    return [theory - theory // 2, c.practical_hours, theory // 2]


def _survey(
    c: TrainingClass, draw: ClassDraw, hr: User, people: list[Person], today: dt.date
) -> None:
    """§19: a few trainees answer (satisfied), the county's HR bureau closes the survey."""
    answered = draw.start + dt.timedelta(days=10)
    if answered + dt.timedelta(days=2) > today:
        return
    with clock.freeze(answered):
        for p in people[:3]:
            worker = user(f"xy{p.pk}", p.name, Role.WORKER, usable=False, person=p)
            services.survey_answer(
                actor=worker, class_id=c.pk, satisfied=True, comment="老师讲得清楚"
            )
    with clock.freeze(answered + dt.timedelta(days=2)):
        services.survey_close(actor=hr, class_id=c.pk)


def _assess(
    c: TrainingClass,
    draw: ClassDraw,
    actors: Actors,
    applicant: User,
    people: list[Person],
    today: dt.date,
) -> str:
    evaluator, evaluator_user = actors.evaluators[draw.county_id]
    held = min(draw.held, today)
    # registered a day earlier than 附件2's minimum asks, as an institution would
    ahead = params.current().value("assessment.min_days_registered_ahead", held) + 1
    with clock.freeze(held - dt.timedelta(days=ahead)):
        services.assessment_register(
            actor=applicant, class_id=c.pk, evaluator_id=evaluator.pk, held_on=held
        )
    if draw.state == Status.ASSESSMENT_REGISTERED:
        return Status.ASSESSMENT_REGISTERED
    certified = people[: draw.certified]
    with clock.freeze(held + dt.timedelta(days=1)):
        services.results_record(
            actor=evaluator_user,
            class_id=c.pk,
            counts={"skill_level": (len(people), len(certified))},
            certificates=[
                services.CertificateIn(
                    p.pk, f"S{held:%Y}{c.pk:06d}{k:03d}", "skill_level", draw.level, held
                )
                for k, p in enumerate(certified)
            ],
        )
    return Status.ASSESSED
