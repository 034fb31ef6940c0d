"""A small world for the class lifecycle: an institution in 新华区 with its catalog, teachers,
site and workstations, people, an evaluator, and one user per review step; and the training
a class records (its sessions with their recordings and sign-in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core import clock, ids
from chizheng.core.review import Seen
from chizheng.org.models import County, Department
from chizheng.registry.models import (
    CatalogEntry,
    EvaluationScope,
    Institution,
    Occupation,
    Person,
    Site,
    Teacher,
    Workstation,
)
from chizheng.registry.services import person_register
from chizheng.rules import params
from chizheng.training import selectors, services
from chizheng.training.models import Session, TrainingClass

CODE = "6-18-02-05"
START = dt.date(2022, 6, 6)  # a Monday


def occupation(code: str = CODE, name: str = "机械加工材料切割工") -> Occupation:
    major, medium, minor, _ = code.split("-")
    parent = None
    for c, level, n in (
        (f"{major}-00-00-00", "major", "大类"),
        (f"{major}-{medium}-00-00", "medium", "中类"),
        (f"{major}-{medium}-{minor}-00", "minor", "小类"),
        (code, "occupation", name),
    ):
        parent, _ = Occupation.objects.get_or_create(
            code=c, defaults={"name": n, "level": level, "parent": parent}
        )
    assert parent is not None
    return parent


def seen(training_class: TrainingClass | int) -> Seen:
    """What a reviewer who opens the class now sees (the tests act as that reviewer)."""
    fresh = TrainingClass.objects.get(pk=getattr(training_class, "pk", training_class))
    return selectors.review_seen(training_class=fresh) or Seen(
        level="", step="", version=fresh.version
    )


@dataclass
class World:
    institution: Institution
    other_institution: Institution
    evaluator: Institution
    applicant: User
    other_applicant: User
    industry_a: User
    industry_b: User
    hr_a: User
    hr_b: User
    inspector: User
    evaluator_user: User
    people: list[Person]
    teachers: list[Teacher]
    site: Site

    def apply(self, **overrides: Any) -> TrainingClass:
        values: dict[str, Any] = dict(
            batch="2022-切割-01",
            start_date=START,
            end_date=START + dt.timedelta(days=20),
            occupation_code=CODE,
            skill_level=4,
            certificate_type="skill_level",
            planned_count=30,
            class_hours=80,
            practical_hours=50,
            online_theory_hours=0,
            class_hour_minutes=45,
            mode="commissioned",
            contact_name="李老师",
            contact_phone="0375-1234567",
            teacher_ids=[t.pk for t in self.teachers],
            site_ids=[self.site.pk],
        )
        values.update(overrides)
        roster = values.pop("roster", self.people[:30])
        training_class = services.class_create(actor=self.applicant, **values)
        services.roster_add(
            actor=self.applicant, class_id=training_class.pk, person_ids=[p.pk for p in roster]
        )
        return training_class

    def approved(self, **overrides: Any) -> TrainingClass:
        training_class = self.apply(**overrides)
        services.class_submit(actor=self.applicant, class_id=training_class.pk)
        for user in (self.industry_a, self.industry_b, self.hr_a, self.hr_b):
            services.class_review(
                actor=user,
                class_id=training_class.pk,
                seen=seen(training_class),
                decision="approve",
                opinion="同意",
            )
        training_class.refresh_from_db()
        return training_class


@pytest.fixture
def world(city: Any, make_user: Any, today: Any) -> World:
    today(dt.date(2022, 5, 20))
    return build_world(make_user)


def build_world(make_user: Any) -> World:
    occ = occupation()
    xinhua = County.objects.get(code="410402")
    miit = Department.objects.get(code="miit")

    def inst(name: str, kind: str, code: str) -> Institution:
        return Institution.objects.create(
            name=name, credit_code=code, kind=kind, county=xinhua, department=miit
        )

    school = inst("新华区职业培训学校", "private_school", "91410402TRAIN00001")
    other = inst("卫东区培训学校", "private_school", "91410402TRAIN00002")
    evaluator = inst("平顶山市职业技能鉴定中心", "evaluator", "91410402EVAL000001")
    evaluator.evaluator_kind, evaluator.filing_status, evaluator.filed_on = (
        "social",
        "filed",
        dt.date(2022, 1, 10),
    )
    evaluator.save()
    EvaluationScope.objects.create(institution=evaluator, occupation=occ, levels=[5, 4, 3])
    CatalogEntry.objects.create(
        year=2022, institution=school, occupation=occ, valid_from=dt.date(2022, 1, 1)
    )
    teachers = []
    for n in range(2):
        number = ids.make("410402", dt.date(1980, 1, 1 + n), n)
        t = Teacher.objects.create(
            institution=school,
            name=f"教师{n}",
            id_number=number,
            id_index=f"t{n}",
            id_masked=ids.mask(number),
        )
        t.occupations.add(occ)
        teachers.append(t)
    site = Site.objects.create(institution=school, name="实训车间")
    Workstation.objects.create(site=site, occupation=occ, count=40)
    people = [
        person_register(
            actor=None,
            name=f"学员{n}",
            id_number=ids.make("410402", dt.date(1990, 1, 1) + dt.timedelta(days=n), n),
            county=xinhua,
        )
        for n in range(40)
    ]
    return World(
        institution=school,
        other_institution=other,
        evaluator=evaluator,
        applicant=make_user(Role.INSTITUTION, institution=school),
        other_applicant=make_user(Role.INSTITUTION, institution=other),
        industry_a=make_user(Role.INDUSTRY, department=miit),
        industry_b=make_user(Role.INDUSTRY, department=miit),
        hr_a=make_user(Role.COUNTY_HR, county=xinhua),
        hr_b=make_user(Role.COUNTY_HR, county=xinhua),
        inspector=make_user(Role.INSPECTOR, county=xinhua),
        evaluator_user=make_user(Role.EVALUATOR, institution=evaluator),
        people=people,
        teachers=teachers,
        site=site,
    )


@dataclass(frozen=True)
class Lesson:
    """A session to record: its kind and class hours, recorded as §19 asks unless it says
    otherwise."""

    kind: str  # theory / practical
    class_hours: int
    short_hours: int = 0  # practical: class hours whose longest continuous recording is short
    shows_all_trainees: bool = True


LESSON_HOURS = 10  # a training day of the test classes


def lessons(
    *, class_hours: int = 80, practical_hours: int = 50, online_theory_hours: int = 0
) -> list[Lesson]:
    """A class's offline hours as sessions of ``LESSON_HOURS`` (the last of each kind
    shorter): its theory, less the online theory, then its practical hours (the defaults:
    the world's class)."""
    out = []
    for kind, hours in (
        ("theory", class_hours - practical_hours - online_theory_hours),
        ("practical", practical_hours),
    ):
        while hours > 0:
            out.append(Lesson(kind, min(LESSON_HOURS, hours)))
            hours -= LESSON_HOURS
    return out


def record_training(
    w: World,
    training_class: TrainingClass,
    *,
    plan: Sequence[Lesson] | None = None,
    absent: Mapping[int, Collection[int]] | None = None,
) -> list[Session]:
    """Record the class's sessions through the services, one a day from its start (the
    whole of its offline hours unless ``plan`` says otherwise), each with its recording and
    everyone signed in but ``absent[n]``, the person ids missing from the n-th session."""
    people = list(training_class.enrolments.values_list("person_id", flat=True))
    out = []
    if plan is None:
        plan = lessons(
            class_hours=training_class.class_hours,
            practical_hours=training_class.practical_hours,
            online_theory_hours=training_class.online_theory_hours,
        )
    for n, lesson in enumerate(plan):
        day = training_class.start_date + dt.timedelta(days=n)
        minutes = lesson.class_hours * training_class.class_hour_minutes
        longest: list[int] = []
        if lesson.kind == "practical":
            # each class hour recorded exactly as long as §19 asks, a short one a minute less
            need = params.current().value(
                "evidence.min_practical_continuous_recording_minutes", day
            )
            short = lesson.short_hours
            longest = [need] * (lesson.class_hours - short) + [need - 1] * short
        with clock.freeze(day):
            s = services.session_add(
                actor=w.applicant,
                class_id=training_class.pk,
                held_on=day,
                kind=lesson.kind,
                class_hours=lesson.class_hours,
                minutes=minutes,
                recorded_minutes=minutes if lesson.kind == "theory" else sum(longest),
                longest_continuous=longest,
                shows_all_trainees=lesson.shows_all_trainees,
            )
            missing = set((absent or {}).get(n, ()))
            services.attendance_record(
                actor=w.applicant,
                session_id=s.pk,
                present_person_ids=[p for p in people if p not in missing],
            )
        out.append(s)
    return out
