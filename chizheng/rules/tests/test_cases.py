"""Runs the rule cases of ``chizheng/rules/cases/*.yaml`` (see docs/rules.md for the format).

Each case: the facts it changes from ``defaults.yaml``, the date, and the expected outcome
and clause (and optionally a part of the compared text and some values). One test per case,
named ``file::rule::case name`` so a policy officer can find a failing case.
"""

from __future__ import annotations

import pytest

from chizheng.rules import evaluate
from chizheng.rules.decision import REGISTRY
from chizheng.rules.params import current
from chizheng.rules.tests.casebook import OUTCOMES, Case, build, load_cases

CASES = list(load_cases())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case) -> None:
    spec = REGISTRY[case.rule]
    decision = spec(build(case.kind, case.facts), current().at(case.date))
    expected = case.expect["outcome"]
    assert expected in OUTCOMES, f"unknown outcome {expected}"
    if expected == "not_applicable":
        assert decision is None, decision
        return
    assert decision is not None, f"{case.rule} did not apply"
    assert decision.outcome.value == expected, decision.compared
    assert decision.clause == case.expect["clause"]
    assert decision.rule == case.rule
    if "compared" in case.expect:
        assert case.expect["compared"] in decision.compared, decision.compared
    for key, value in (case.expect.get("values") or {}).items():
        assert str(decision.as_dict()["values"][key]) == str(value), (key, decision.values)
    if decision.outcome.value != "pass":
        assert decision.remedy and decision.remedy_en, "a non-pass decision must say what to do"


def test_every_rule_has_cases_on_both_sides() -> None:
    evaluate.all_rules()  # loads every rule module
    seen: dict[str, set[str]] = {}
    for c in CASES:
        seen.setdefault(c.rule, set()).add(c.expect["outcome"])
    missing = [
        code
        for code in REGISTRY
        if "pass" not in seen.get(code, set())
        or not seen.get(code, set()) - {"pass", "not_applicable"}
    ]
    assert not missing, f"rules without a passing and a non-passing case: {missing}"


def test_case_names_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
