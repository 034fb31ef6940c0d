"""The raw SQL writer of imports: one multi-row INSERT per batch (SQLite), COPY on
PostgreSQL, with values already prepared for the database; and the batching every
set-based write of an import goes through.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 2000


ANALYZE_AFTER = 10_000


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _insert(model: type[Model], columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERT, one statement per batch, with values already prepared for the database
    (encrypted, adapted): Django's bulk_create spends most of a 100,000-row import building
    model instances and compiling each value."""
    if not values:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    column_of = {f.name: str(f.column) for f in model._meta.concrete_fields}
    names = ", ".join(ops.quote_name(column_of[c]) for c in columns)
    if connection.vendor == "postgresql":
        # COPY: PostgreSQL's bulk path, several times faster than multi-row INSERTs.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        if len(values) > ANALYZE_AFTER:
            # Fresh statistics, or the planner treats the grown table as empty.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, min(BATCH, 30_000 // len(columns)))  # under SQLite's 32,766 parameters
    with connection.cursor() as cursor:
        for chunk in _chunks(values, per):
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608 - names from the model, values bound
            cursor.execute(sql, [v for row in chunk for v in row])
