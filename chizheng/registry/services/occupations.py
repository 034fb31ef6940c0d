"""The occupational classification (职业分类大典 2022): loading the shipped file (idempotent;
codes no longer in it are deactivated, never deleted) and finding the active occupation of
a code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import ValidationError

from ..models import Occupation

OCCUPATIONS_FILE = Path(__file__).parent.parent / "data" / "occupations-2022.csv"


@dataclass(frozen=True)
class OccupationLoad:
    created: int
    updated: int
    deactivated: int
    total: int


@transaction.atomic
def load_occupations(*, path: Path = OCCUPATIONS_FILE, actor: User | None = None) -> OccupationLoad:
    """Load the classification file; idempotent (a second run changes nothing). Codes no longer
    in the file are marked inactive, never deleted: records refer to them."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_code = {o.code: o for o in Occupation.objects.all()}
    created: list[Occupation] = []
    # Level by level, so that every new row is inserted with its parent already known.
    for level in Occupation.Level.values:
        batch = [
            Occupation(
                code=r["code"],
                name=r["name"],
                level=r["level"],
                parent_id=by_code[r["parent"]].pk if r["parent"] in by_code else None,
            )
            for r in rows
            if r["level"] == level and r["code"] not in by_code
        ]
        Occupation.objects.bulk_create(batch, batch_size=1000)
        created += batch
        by_code.update(
            {o.code: o for o in Occupation.objects.filter(code__in=[o.code for o in batch])}
        )
    created_codes = {o.code for o in created}
    changed: list[Occupation] = []
    for r in rows:
        o = by_code[r["code"]]
        parent_id = by_code[r["parent"]].pk if r["parent"] else None
        if (o.name, o.level, o.parent_id, o.active) != (r["name"], r["level"], parent_id, True):
            o.name, o.level, o.parent_id, o.active = r["name"], r["level"], parent_id, True
            changed.append(o)
    Occupation.objects.bulk_update(changed, ["name", "level", "parent", "active"], batch_size=1000)
    gone = set(by_code) - {r["code"] for r in rows}
    deactivated = Occupation.objects.filter(code__in=gone, active=True).update(active=False)
    result = OccupationLoad(
        created=len(created),
        updated=len([o for o in changed if o.code not in created_codes]),
        deactivated=deactivated,
        total=len(rows),
    )
    if result.created or result.updated or result.deactivated:
        audit.record(
            actor=actor,
            action="occupation.load",
            object_type="registry.occupation",
            after={"file": path.name, **result.__dict__},
        )
    return result


def occupation_for_code(code: str) -> Occupation:
    """The active occupation (细类) with that code; the list, not a pattern, decides."""
    found = Occupation.objects.filter(
        code=code.strip(), level=Occupation.Level.OCCUPATION, active=True
    ).first()
    if found is None:
        raise ValidationError(
            f"职业编码 {code.strip()} 不在2022年版职业分类大典的职业（细类）中",
            message_en=f"{code.strip()} is not an occupation of the 2022 classification",
            code="occupation_unknown",
            detail={"field": "occupation", "code": code},
        )
    return found
