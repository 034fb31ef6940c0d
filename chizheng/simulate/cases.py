"""The year's cases (核查案件, issue 15): a few of the year's findings taken into cases by the
county bureaus, the inspectors and the city office, every step dated on or before "today" —
one concluded with the recovery of one trainee's subsidy on a paid claim, one cleared (on a
finding no plant explains, when there is one), one under investigation (assigned, a note
recorded), one only opened.

The scan runs first when the year has no findings yet (the cases start from its findings;
the demo scans again at load, and the findings in cases survive it). No sanction is
concluded here: a sanction stops its institution's class starts and the year's draw reads
the sanctions, so a year built again would draw differently. Idempotent: a year with cases
is left as it is.
"""

from __future__ import annotations

import datetime as dt

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.subsidy.models import Claim
from chizheng.supervision import case_selectors
from chizheng.supervision import case_services as cases
from chizheng.supervision import services as supervision
from chizheng.supervision.measure import CHECK_OF
from chizheng.supervision.models import Case, Finding

from .actors import Actors
from .models import Planted


def run(a: Actors, *, year: int, today: dt.date) -> int:
    """Open (and take as far as described) the year's cases; returns how many were opened."""
    if Case.objects.filter(year=year).exists():
        return 0
    if not Finding.objects.filter(year=year).exists():
        with clock.freeze(today):
            supervision.scan(year=year)
    # By key, not id: ids differ between a year built in one run and one built in parts.
    found = list(
        Finding.objects.filter(year=year, state=Finding.State.OPEN).order_by("kind", "key")
    )
    if not found:
        return 0
    paid = set(
        Claim.objects.filter(disbursement__isnull=False).values_list("training_class_id", flat=True)
    )
    on_paid = next((f for f in found if paid.intersection(f.classes)), None)
    # The cleared case takes a finding on no planted irregularity when there is one (a planted
    # one is true by construction); the others follow in key order (``sorted`` is stable).
    planted = {
        (CHECK_OF[kind], class_id)
        for kind, class_id in Planted.objects.filter(year=year).values_list(
            "kind", "training_class_id"
        )
    }
    rest = sorted(
        (f for f in found if f is not on_paid),
        key=lambda f: any((f.kind, c) in planted for c in f.classes),
    )
    opened, inspector = 0, a.inspectors[0]

    def day(back: int) -> dt.date:
        return today - dt.timedelta(days=back)

    def hr(f: Finding) -> tuple[User, User]:
        return a.county_hr.get(f.county_id) or a.office

    if on_paid is not None:
        first, _ = hr(on_paid)
        with clock.freeze(day(6)):
            case = cases.case_open(
                actor=first,
                finding_ids=[on_paid.pk],
                assignee_id=inspector.pk,
            )
        with clock.freeze(day(4)):
            cases.case_note(
                actor=inspector,
                case_id=case.pk,
                text="调取该班签到表、培训录像和实地检查记录，询问学员；一名学员培训期间未实际参训。",
            )
        line = case_selectors.recoverable_lines(actor=inspector, case=case).first()
        with clock.freeze(day(1)):
            if line is not None:
                cases.case_conclude(
                    actor=inspector,
                    case_id=case.pk,
                    outcome="recovery",
                    conclusion="线索属实：该学员未实际参训，追缴其培训补贴。",
                    line_ids=[line.pk],
                )
        opened += 1
    plan = [("cleared", 5), ("investigating", 3), ("opened", 0)]
    for f, (goal, back) in zip(rest, plan, strict=False):
        first, second = hr(f)
        with clock.freeze(day(back)):
            case = cases.case_open(actor=first, finding_ids=[f.pk])
            opened += 1
            if goal == "opened":
                continue
            cases.case_assign(actor=first, case_id=case.pk, assignee_id=inspector.pk)
            cases.case_note(
                actor=inspector,
                case_id=case.pk,
                text="已调取相关记录并实地核查。",
            )
        if goal == "cleared":
            with clock.freeze(day(back - 2)):
                cases.case_conclude(
                    actor=second,
                    case_id=case.pk,
                    outcome="cleared",
                    conclusion="经调取原始记录核实，线索所列差异已有合理解释，不属违规。",
                )
    return opened
