"""The demo's slice of the city-year (``chizheng.simulate``, scale ``slice``): some 300
classes across the twelve units in every state on the demo's day, their trainees, reviews,
sessions, inspections, surveys, assessments and certificates, and the claims paid on them —
built through the services by the users who would do each step.

It runs after the hand-made classes of ``demo.training`` and ``demo.subsidy`` (kept: the
README's walkthrough names them) and adds to them; ``demo.plan``'s bulk certificates stand
for the evaluation-only channels (§12–14), apart from the trained ones. Idempotent: the
simulation skips the classes and claims it made already.
"""

from __future__ import annotations

import random

from chizheng.simulate import opinions
from chizheng.simulate.run import simulate
from chizheng.simulate.scale import SLICE, SLICE_TODAY, Scale
from chizheng.supervision import services as supervision

SEED = 2022
SCALE: Scale = SLICE  # tests make it smaller


def build(*, rng: random.Random) -> None:
    simulate(SCALE, year=SLICE_TODAY.year, seed=SEED, today=SLICE_TODAY)
    opinions.run_hand_made(today=SLICE_TODAY)  # 附件2's signed boxes of the hand-made classes
    # The supervision scan runs nightly in a deployment; the demo runs it once, so that its
    # findings page shows what the year holds (the planted irregularities among them).
    supervision.scan(year=SLICE_TODAY.year)
