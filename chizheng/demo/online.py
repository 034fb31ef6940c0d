"""Demo records for online training supervision: the demo platform's token and a log.

Idempotent: the token is issued once (its clear text kept in ``<online dir>/demo-token``,
mode 600, for trying the API), and the event log is generated and ingested only while
the platform has nothing stored; the audit result is written beside the store.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.online import audit, config, generator
from chizheng.online.models import PlatformToken
from chizheng.online.tokens import issue_platform_token
from chizheng.registry.models import Institution

PLATFORM_NAME = "河南职业技能在线学习平台（平顶山）"
CODE = "PDS-ONLINE"
LEARNERS = 60


def build(*, rng: random.Random) -> None:
    institution = Institution.objects.filter(name=PLATFORM_NAME).first()
    office = User.objects.filter(username="city").first()
    if institution is None or office is None:
        return
    root = config.data_dir()
    root.mkdir(parents=True, exist_ok=True)
    if not PlatformToken.objects.filter(institution=institution).exists():
        token = issue_platform_token(actor=office, institution=institution, code=CODE)
        path = root / "demo-token"
        path.write_text(token + "\n", encoding="utf-8")
        path.chmod(0o600)
    store = config.store()
    if store.files(CODE):
        return
    with tempfile.TemporaryDirectory() as tmp:
        gen = generator.generate(Path(tmp), learners=LEARNERS, seed=rng.randrange(1, 10**6))
        for f in gen.files:
            table = pq.read_table(f)
            table = table.set_column(
                table.schema.get_field_index("platform"),
                "platform",
                pa.array([CODE] * table.num_rows, pa.string()),
            )
            store.ingest(table, platform=CODE, now=clock.now())
    audit.audit_to_parquet(store.files(), root / "results" / "latest.parquet", unique=True)
