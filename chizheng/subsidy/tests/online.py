"""A blended class's online theory for the tests: a platform in the catalog with its code,
the class's course bound, each trainee's study logged — valid, or fast-forwarded and so void
(§20(3)) — and the audit brought into the system, so that credited online hours are written
exactly as the online area writes them. Needs ``CHIZHENG_ONLINE_DIR`` set to a scratch
directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.training.models import TrainingClass
from chizheng.training.tests.conftest import World

CODE = "P1"


def catalog_platform(w: World, office: User, make_user: Callable[..., Any]) -> Institution:
    """A platform in the year's catalog, its code registered by the office."""
    from chizheng.online.tests.platforms import issue_platform_token

    platform = Institution.objects.create(
        name="在线平台",
        credit_code="91410402PLAT000001",
        kind="platform",
        county=w.institution.county,
        catalog_status="listed",
        catalog_since=dt.date(2022, 1, 1),
    )
    issue_platform_token(office, platform, CODE, make_user)
    return platform


def study_online(
    *,
    office: User,
    training_class: TrainingClass,
    valid: Mapping[int, int],
    void: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """Trainees (person id → class hours) study the class's course validly, or as long but
    fast-forwarded (``void``); the audit runs and its result is applied. Returns the credited
    online hours by person id."""
    from chizheng.online import audit, config, services
    from chizheng.online.models import OnlineLearner
    from chizheng.online.tests.logs import T0, Log

    services.bind_course(actor=office, class_id=training_class.pk, course_key="CA")
    learners = OnlineLearner.objects.filter(enrolment__training_class=training_class)
    key = dict(learners.values_list("enrolment__person_id", "learner_key"))
    hour_s = params.current().value("online.class_hour_s", T0.date())
    log = Log(platform=CODE)
    studies = [(person, hours, 1.0) for person, hours in valid.items()]
    studies += [
        (person, hours, 1.5) for person, hours in (void or {}).items()
    ]  # fast-forwarded: void
    for n, (person, hours, rate) in enumerate(studies):
        log.play(0, hours * hour_s, learner=key[person], session=f"S{n}", course="CA", rate=rate)
    store = config.store()
    store.ingest(log.table(), platform=CODE, now=clock.now())
    audit.audit_to_parquet(store.files(), config.latest_result(), unique=True)
    services.apply_results(actor=office)
    return dict(learners.values_list("enrolment__person_id", "credited_hours"))
