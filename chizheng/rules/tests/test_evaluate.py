"""The entry point: all decisions on a class application, roster included; the JSON reader."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chizheng.rules import occupations
from chizheng.rules.evaluate import all_rules, evaluate, evaluate_many
from chizheng.rules.facts_json import FactsInvalid, parse_class_check
from chizheng.rules.params import PolicyNotInForce, current
from chizheng.rules.tests.casebook import build

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "class-application.json"
KNOWN = occupations.load_codes()


def test_every_failure_is_reported_not_just_the_first() -> None:
    app = build(
        "class_application",
        {
            "planned_trainees": 85,
            "class_hour_minutes": 35,
            "practical_hours": 10,
            "roster": [
                {"ref": "1", "id_number": "410402198803140215"},
                {
                    "ref": "2",
                    "id_number": "410402198803140216",
                    "history": [{"class_ref": "X", "started_on": dt.date(2022, 5, 1)}],
                },
            ],
        },
    )
    report = evaluate(app, on=app.start_date)
    failed = {(d.rule, d.subject) for d in report.failed}
    assert {r for r, _ in failed} >= {
        "class.max_size",
        "class.teacher_ratio",
        "class.workstation_ratio",
        "class.class_hour_minutes",
        "class.practical_share",
        "trainee.id_valid",
        "trainee.cooldown",
    }
    assert ("trainee.id_valid", "class PDS-2022-0001 trainee 1") in failed
    assert ("trainee.cooldown", "class PDS-2022-0001 trainee 2") in failed
    assert not report.ok
    assert report.as_dict()["counts"]["fail"] == len(report.failed)


def test_every_decision_cites_a_clause_and_the_policy() -> None:
    app = build("class_application", {})
    report = evaluate(app, on=app.start_date)
    assert report.ok
    for d in report.decisions:
        assert d.clause.startswith(("§", "附件"))
        assert d.policy == report.policy and d.date == app.start_date


def test_a_date_before_any_policy_raises_instead_of_passing() -> None:
    app = build("class_application", {})
    with pytest.raises(PolicyNotInForce):
        evaluate(app, on=dt.date(2021, 6, 1))


def test_sessions_are_judged_together() -> None:
    sessions = [
        build("session", {"ref": "S1"}),
        build("session", {"ref": "S2", "recorded_minutes": 10}),
    ]
    report = evaluate_many(sessions, on=dt.date(2022, 6, 6))
    assert [d.subject for d in report.failed] == ["class PDS-2022-0001 session S2"]


def test_rule_codes_are_unique_and_named_by_area() -> None:
    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes)) >= 30
    assert all(
        c.split(".")[0]
        in {"class", "trainee", "assessment", "evidence", "attendance", "outcomes", "claim"}
        for c in codes
    )


def test_the_documented_example_passes() -> None:
    doc = parse_class_check(EXAMPLE.read_bytes(), known_occupations=KNOWN)
    report = evaluate(doc.application, on=doc.on)
    assert report.ok, [d.compared for d in report.failed]
    assert len(doc.application.roster) == 3


def _example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _problems(doc: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(FactsInvalid) as e:
        parse_class_check(json.dumps(doc), known_occupations=KNOWN)
    return list(e.value.detail)


def test_a_missing_field_is_named() -> None:
    doc = _example()
    del doc["class_application"]["teachers"]
    assert _problems(doc) == [
        {
            "field": "class_application.teachers",
            "message": "缺少必填字段",
            "message_en": "required field is missing",
        }
    ]


def test_a_wrong_type_is_named_and_not_coerced() -> None:
    doc = _example()
    doc["class_application"]["planned_trainees"] = "40"
    doc["class_application"]["roster"][1]["history"] = [
        {"class_ref": "A", "started_on": "2022/05/01"}
    ]
    fields = {p["field"]: p["message"] for p in _problems(doc)}
    assert fields["class_application.planned_trainees"].startswith("类型错误：应为整数")
    assert "日期" in fields["class_application.roster[1].history[0].started_on"]


def test_an_unknown_occupation_is_named() -> None:
    doc = _example()
    doc["class_application"]["roster"][0]["post_occupation"] = "4-10-01-99"
    doc["class_application"]["occupation"] = "4-10-1-5"
    fields = {p["field"]: p["message"] for p in _problems(doc)}
    assert "未知的职业编码 4-10-01-99" in fields["class_application.roster[0].post_occupation"]
    assert "格式错误" in fields["class_application.occupation"]


def test_an_unknown_field_and_bad_json_are_refused() -> None:
    doc = _example()
    doc["class_application"]["techers"] = 2
    assert (
        "未知字段"
        in {p["field"]: p["message"] for p in _problems(doc)}["class_application.techers"]
    )
    with pytest.raises(FactsInvalid, match="JSON"):
        parse_class_check(b"{not json", known_occupations=KNOWN)


def test_the_rules_package_imports_no_django() -> None:
    code = (
        "import sys, chizheng.rules.evaluate, chizheng.rules.facts_json;"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    # Our own interpreter running fixed code: nothing untrusted reaches the subprocess.
    argv = [sys.executable, "-c", code]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_declared_clause_is_the_one_the_2022_policy_cites() -> None:
    # The registry's clause is what docs and `rules list` show when no parameter is read;
    # for rules that read parameters it must agree with the parameters' own clauses.
    at = current().at(dt.date(2022, 6, 1))
    for spec in all_rules():
        assert spec.clause_at(at) == spec.clause, spec.code
