"""Rules judged again on a class's roster after its submission, against today's records.

§20(3): a person may not be on two subsidised classes whose periods overlap, whichever
started first. The class's submission judged the roster against the classes known then; a
class submitted later, a roster changed after approval or dates moved on a returned class
can make an overlap appear afterwards, so the claim asks again (``overlaps``). Not scoped:
for the services that have already reached the class through the access layer.
"""

from __future__ import annotations

import datetime as dt

from chizheng.rules import facts as f
from chizheng.rules import params
from chizheng.rules.evaluate import decide

from . import facts
from .models import TrainingClass

OVERLAP_RULE = "trainee.overlap"


def overlaps(*, training_class: TrainingClass, on: dt.date) -> dict[str, str]:
    """Trainees (by their masked reference, as decisions name them) who are on another
    subsidised class at the same time, each with the rule's words and clause."""
    application = facts.class_application(training_class)
    at = params.current().at(on)
    found: dict[str, str] = {}
    for trainee in application.roster:
        for d in decide(f.Enrolment(trainee, application), at):
            if d.rule == OVERLAP_RULE and d.failed:
                found[trainee.ref] = f"{d.compared}（{d.clause}）"
    return found
