"""The half-yearly special checks of the evaluation institutions (§20(4)) in the simulated
year: the office plans each half in its first week; the county bureau checks its evaluators
during the half — every one in a half that has ended, about two in three of the half "today"
falls in — each item passing but for one evaluator in five, which is ordered to rectify.
Everything through the services, dated up to "today"."""

from __future__ import annotations

import datetime as dt

from chizheng.core import clock
from chizheng.supervision import evaluator_check_services as services
from chizheng.supervision.models import EvaluatorCheck

from .actors import Actors

RECTIFY_EVERY = 5  # one checked evaluator in N has an item that does not pass


def run(a: Actors, *, year: int, today: dt.date) -> int:
    """Plan and record the year's checks up to ``today``; returns the checks recorded."""
    recorded = 0
    for half in (1, 2):
        start, end = services.period_bounds(year, half)
        planned_on = start + dt.timedelta(days=6)
        if planned_on > today:
            break
        with clock.freeze(planned_on):
            services.evaluator_checks_plan(actor=a.office[0], year=year, half=half)
        checks = list(EvaluatorCheck.objects.filter(year=year, half=half).order_by("evaluator_id"))
        last = min(end, today)
        span = (last - planned_on).days
        share = 1.0 if end <= today else 2 / 3
        for k, check in enumerate(checks[: round(len(checks) * share)]):
            if check.state == EvaluatorCheck.State.DONE:
                continue
            held = planned_on + dt.timedelta(days=(k * 13) % max(1, span) + 1)
            held = min(held, last)
            hr = a.county_hr.get(check.county_id, a.office)[0]
            items = services.checklist_items(held)
            rectify = k % RECTIFY_EVERY == RECTIFY_EVERY - 1
            results = {i: (True, "") for i in range(len(items))}
            if rectify:
                results[min(3, len(items) - 1)] = (False, "评价结果未在规定时间内公示")
            with clock.freeze(held):
                services.evaluator_check_record(
                    actor=hr,
                    check_id=check.pk,
                    held_on=held,
                    results=results,
                    findings="评价结果公示不及时" if rectify else "",
                    handling="rectify" if rectify else "none",
                )
            recorded += 1
    return recorded
