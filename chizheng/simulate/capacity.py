"""What the year's draw has booked so far, so that it stays within what a county can hold: a
site's workstations for an occupation × the workstation ratio (§20(1), 工位与培训学员比
1:20) on every day of a class, and an evaluation institution's people certified in a day
(``supervision.evaluator_daily_capacity``, §20(4)). A real year is planned that way; a draw
that is not books twenty classes of one occupation on one site, and the supervision scan
rightly finds it — a false finding on the "clean" part of the year.

The draw leaves ``reserve`` of each capacity free for the classes built beside it (other
modes, planted irregularities), which book the same sites and evaluators.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .actors import Trainer


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


@dataclass
class Ledger:
    value: Callable[[str, dt.date], Any]  # the policy value in force on a day
    reserve: float  # the share of each capacity the draw leaves free
    sites: dict[tuple[int, str], Counter[dt.date]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    certified: dict[int, Counter[dt.date]] = field(default_factory=lambda: defaultdict(Counter))

    def site_room(
        self, site: int, workstations: int, code: str, start: dt.date, end: dt.date
    ) -> int:
        """Trainees the site can still take for the occupation on every day of the class."""
        ratio = self.value("class.max_trainees_per_workstation", start)
        cap = int(workstations * ratio * (1 - self.reserve))
        load = self.sites[(site, code)]
        return cap - max(load[d] for d in _days(start, end))

    def best_site(
        self, trainer: Trainer, code: str, start: dt.date, end: dt.date
    ) -> tuple[int, int]:
        """(site id, room) of the trainer's site with the most room for the class; (0, 0)
        when none has workstations for the occupation."""
        rooms = [
            (self.site_room(s, ws.get(code, 0), code, start, end), -k, s)
            for k, (s, ws) in enumerate(trainer.sites)
            if ws.get(code, 0)
        ]
        if not rooms:
            return 0, 0
        room, _, site = max(rooms)
        return site, room

    def book_site(self, site: int, code: str, start: dt.date, end: dt.date, trainees: int) -> None:
        load = self.sites[(site, code)]
        for d in _days(start, end):
            load[d] += trainees

    def assessment_day(
        self, evaluator: int, first: dt.date, last: dt.date, certified: int
    ) -> tuple[dt.date, int]:
        """The first day from ``first`` to ``last`` on which the evaluator can still certify
        ``certified`` people, and that number; when no day can, the day with the most room and
        as many as it has (at least one). The day is booked."""
        load = self.certified[evaluator]
        days = _days(first, max(first, last))

        def cap(d: dt.date) -> int:
            return int(self.value("supervision.evaluator_daily_capacity", d) * (1 - self.reserve))

        day = next((d for d in days if load[d] + certified <= cap(d)), None)
        if day is None:
            day = max(days, key=lambda d: (cap(d) - load[d], -d.toordinal()))
            certified = max(1, min(certified, cap(day) - load[day]))
        load[day] += certified
        return day, certified
