"""Demo records for online training supervision: the demo platform's code, an API token of
its user, and a log.

Idempotent: the code is registered and the token issued once (its clear text kept in
``<online dir>/demo-token``, mode 600, for trying the API), and the event log is generated
and ingested only while the platform has nothing stored; the audit result is written
beside the store.

Then one demo class takes its online theory on the platform: its courses are bound, its
trainees get their learner keys, and a log of theirs is ingested (a fixed seed and its own
event ids, so a second run stores nothing new); the audit result is brought into the
system (credited hours per trainee, the platform's void time per day).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chizheng.accounts.models import Role, User
from chizheng.accounts.tokens import token_issue
from chizheng.core import clock
from chizheng.online import audit, config, generator, services
from chizheng.online.models import OnlineLearner, PlatformCode
from chizheng.online.platforms import platform_code_register
from chizheng.registry.models import Institution
from chizheng.training.models import TrainingClass

PLATFORM_NAME = "河南职业技能在线学习平台（平顶山）"
CODE = "PDS-ONLINE"
LEARNERS = 60
CLASS_SEED = 20220510
CLASS_EVENT_ID_BASE = 10**12  # the class's log never reuses an id of the platform's log
CLASS_ONLINE_HOURS = 24


def build(*, rng: random.Random) -> None:
    institution = Institution.objects.filter(name=PLATFORM_NAME).first()
    office = User.objects.filter(username="city").first()
    if institution is None or office is None:
        return
    root = config.data_dir()
    root.mkdir(parents=True, exist_ok=True)
    if not PlatformCode.objects.filter(institution=institution).exists():
        platform_code_register(actor=office, institution=institution, code=CODE)
    # the simulated year (``simulate.online_logs``) may have registered it first
    code = PlatformCode.objects.get(institution=institution).code
    path = root / "demo-token"
    uploader = User.objects.filter(role=Role.PLATFORM, institution=institution).first()
    if uploader is not None and not path.exists():
        _, token = token_issue(actor=uploader, name="演示平台上传", days=365)
        path.write_text(token + "\n", encoding="utf-8")
        path.chmod(0o600)
    store = config.store()
    if not store.files(code):
        _platform_log(rng=rng, code=code)
    _class_log(institution=institution, code=code)
    audit.audit_to_parquet(store.files(), config.latest_result(), unique=True)
    services.apply_results(actor=None)


def _platform_log(*, rng: random.Random, code: str) -> None:
    store = config.store()
    with tempfile.TemporaryDirectory() as tmp:
        gen = generator.generate(Path(tmp), learners=LEARNERS, seed=rng.randrange(1, 10**6))
        for f in gen.files:
            table = pq.read_table(f)
            table = table.set_column(
                table.schema.get_field_index("platform"),
                "platform",
                pa.array([code] * table.num_rows, pa.string()),
            )
            store.ingest(table, platform=code, now=clock.now())


def _class_log(*, institution: Institution, code: str) -> None:
    """The first demo class learns its theory on the platform: bind, key, log (once)."""
    training_class = (
        TrainingClass.objects.filter(batch__startswith="2022-演示").order_by("pk").first()
    )
    if training_class is None or not training_class.enrolments.exists():
        return
    if training_class.platform_id is None:
        training_class.platform = institution
        training_class.online_theory_hours = (
            training_class.online_theory_hours or CLASS_ONLINE_HOURS
        )
        training_class.save(update_fields=["platform", "online_theory_hours"])
    if training_class.platform_id != institution.pk:
        return
    office = User.objects.get(username="city")
    prefix = f"K{training_class.pk}-"
    trainees = training_class.enrolments.count()
    with tempfile.TemporaryDirectory() as tmp:
        gen = generator.generate(Path(tmp), learners=trainees, seed=CLASS_SEED)
        table = pa.concat_tables([pq.read_table(f) for f in gen.files])
    for course in sorted(set(table["course"].to_pylist())):
        services.bind_course(actor=office, class_id=training_class.pk, course_key=prefix + course)
    keys = list(
        OnlineLearner.objects.filter(enrolment__training_class=training_class)
        .order_by("enrolment_id")
        .values_list("learner_key", flat=True)
    )
    rename = dict(zip(sorted(set(table["learner"].to_pylist())), keys, strict=True))
    n = table.num_rows

    def column(name: str, values: pa.Array) -> None:
        nonlocal table
        table = table.set_column(table.schema.get_field_index(name), name, values)

    column("platform", pa.array([code] * n, pa.string()))
    column("learner", pa.array([rename[v] for v in table["learner"].to_pylist()], pa.string()))
    column("course", pa.array([prefix + v for v in table["course"].to_pylist()], pa.string()))
    column(
        "event_id",
        pa.array([CLASS_EVENT_ID_BASE + v for v in table["event_id"].to_pylist()], pa.int64()),
    )
    # the same seed gives the same event ids: a second run stores nothing new
    config.store().ingest(table, platform=code, now=clock.now())
