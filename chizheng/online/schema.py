"""The event log's columns and types (spec/online-learning-audit.md, "Event log")."""

from __future__ import annotations

import pyarrow as pa

KINDS: tuple[str, ...] = ("hb", "popup", "face", "photo", "done")

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.int64()),
        ("platform", pa.string()),
        ("learner", pa.string()),
        ("session", pa.string()),
        ("course", pa.string()),
        ("lesson", pa.int32()),
        ("ts", pa.timestamp("ms", tz="UTC")),
        ("kind", pa.string()),
        ("pos", pa.float64()),
        ("rate", pa.float64()),
        ("ok", pa.bool_()),
    ]
)

COLUMNS: tuple[str, ...] = tuple(EVENT_SCHEMA.names)

RESULT_SCHEMA = pa.schema(
    [
        ("learner", pa.string()),
        ("session", pa.string()),
        ("course", pa.string()),
        ("lesson", pa.int32()),
        ("start", pa.timestamp("ms", tz="UTC")),
        ("end", pa.timestamp("ms", tz="UTC")),
        ("flags", pa.string()),
    ]
)

RESULT_COLUMNS: tuple[str, ...] = tuple(RESULT_SCHEMA.names)

# Rule codes in the order they appear in ``flags`` (alphabetical).
RULES: tuple[str, ...] = ("FACE", "FF", "MW", "PHOTO", "POP", "SEQ")
