"""Loading the reference organisation of the source document (idempotent)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from .models import City, County, Department

REFERENCE = Path(__file__).parent / "reference" / "pingdingshan.yaml"


@transaction.atomic
def load_reference(*, path: Path = REFERENCE) -> City:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    city, _ = City.objects.update_or_create(
        code=doc["city"]["code"], defaults={"name": doc["city"]["name"]}
    )
    for c in doc["counties"]:
        County.objects.update_or_create(
            code=c["code"],
            defaults={
                "city": city,
                "name": c["name"],
                "short_name": c["short_name"],
                "kind": c["kind"],
                "order": c["order"],
                "code_is_gb2260": c.get("gb2260", True),
            },
        )
    for d in doc["departments"]:
        Department.objects.update_or_create(
            code=d["code"], defaults={"city": city, "name": d["name"], "kind": d["kind"]}
        )
    return city
