"""Test helper: a class row made directly (no application workflow), in training from
``start``, and its opening-day inspection — what the dashboard and the inspection plan read."""

from __future__ import annotations

import datetime as dt

from chizheng.accounts.models import Role, User
from chizheng.registry.models import Institution
from chizheng.training.models import Inspection, TrainingClass


def make_class(
    inst: Institution, start: dt.date, *, opened: bool = False, status: str = "in_training"
) -> TrainingClass:
    n = TrainingClass.objects.count() + 1
    by = User.objects.create_user(username=f"applicant{n}", role=Role.INSTITUTION, institution=inst)
    assert inst.department is not None  # conftest.make_institution gives every one a department
    k = TrainingClass.objects.create(
        institution=inst,
        department=inst.department,
        contact_name="李老师",
        contact_phone="0375-1234567",
        class_hour_minutes=45,
        mode="commissioned",
        created_by=by,
        batch=f"2022-测试-{n:02d}",
        occupation_code="6-18-02-05",
        occupation_name="机械加工材料切割工",
        skill_level=4,
        certificate_type="skill_level",
        start_date=start,
        end_date=start + dt.timedelta(days=20),
        planned_count=30,
        class_hours=80,
        practical_hours=50,
        status=status,
    )
    if opened:
        Inspection.objects.create(
            training_class=k,
            kind=Inspection.Kind.OPENING,
            held_on=start,
            place="实训车间",
            inspector=by,
            present=30,
            signed_in=30,
            teachers_present=2,
        )
    return k
