"""The class hours of a session that §19 recognises agree with the three recording rules:
all of them when every rule passes, fewer exactly when one fails; and a trainee's attendance
facts read from a check document are refused when they cannot be true."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from chizheng.rules import occupations
from chizheng.rules.evaluate import decide
from chizheng.rules.evidence_rules import recognised_hours
from chizheng.rules.facts_json import FactsInvalid, parse_check
from chizheng.rules.params import current
from chizheng.rules.tests.casebook import build

AT = current().at(dt.date(2022, 6, 6))

SESSIONS: list[tuple[str, dict[str, Any], int]] = [
    ("theory recorded in full", {}, 4),
    ("theory one minute short", {"recorded_minutes": 179}, 0),
    ("theory not showing every trainee", {"shows_all_trainees": False}, 0),
    (
        "practical, every class hour at the minimum",
        {"kind": "practical", "longest_recording_per_class_hour": [15, 15, 15, 15]},
        4,
    ),
    (
        "practical, two class hours short",
        {"kind": "practical", "longest_recording_per_class_hour": [20, 14, 20, 3]},
        2,
    ),
    (
        "practical, the last class hour without recording",
        {"kind": "practical", "longest_recording_per_class_hour": [20, 20, 20]},
        3,
    ),
    (
        "practical, long enough but not showing every trainee",
        {
            "kind": "practical",
            "longest_recording_per_class_hour": [20, 20, 20, 20],
            "shows_all_trainees": False,
        },
        0,
    ),
]


@pytest.mark.parametrize(
    ("changes", "hours"), [(c, h) for _, c, h in SESSIONS], ids=[n for n, _, _ in SESSIONS]
)
def test_recognised_hours_follow_the_recording_rules(changes: dict[str, Any], hours: int) -> None:
    session = build("session", changes)
    assert recognised_hours(session, AT) == hours
    failed = [d for d in decide(session, AT) if d.failed]
    assert bool(failed) == (hours < session.class_hours)


def test_impossible_attendance_facts_are_refused_naming_the_field() -> None:
    doc = {
        "date": "2022-08-01",
        "trainee_attendance": {
            "class_ref": "K",
            "trainee_ref": "1",
            "class_hours": 0,
            "sessions": [
                {"ref": "S1", "class_hours": 4, "recognised_hours": 5, "present": True},
                {"ref": "S1", "class_hours": 4, "recognised_hours": 4, "present": True},
            ],
        },
    }
    with pytest.raises(FactsInvalid) as e:
        parse_check(json.dumps(doc), known_occupations=occupations.load_codes())
    fields = {p["field"] for p in e.value.detail}
    assert fields == {
        "trainee_attendance.class_hours",
        "trainee_attendance.sessions[0].recognised_hours",
        "trainee_attendance.sessions[1].ref",
    }
