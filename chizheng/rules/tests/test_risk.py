"""Risk as a pure rule: a finding's score counts toward every institution, evaluator and
platform it names, weighted by kind and decayed by year; bands and the day's draw of spot
checks come from the policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from chizheng.rules import params
from chizheng.rules import risk as r
from chizheng.rules.crosschecks import CHECKS
from chizheng.rules.params import PolicyError
from chizheng.rules.tests.amend import amended_policy_dir

AT = params.load().at(dt.date(2022, 6, 1))


def finding(
    pk: int,
    kind: str = "sign_in_above_present",
    score: str = "10",
    year: int = 2022,
    institution: int | None = 1,
    subjects: tuple[dict[str, Any], ...] = (),
) -> r.FindingFacts:
    return r.FindingFacts(
        id=pk,
        kind=kind,
        year=year,
        score=Decimal(score),
        institution_id=institution,
        subjects=subjects,
        summary=f"线索{pk}",
    )


def by_subject(risks: list[r.Risk]) -> dict[tuple[str, int], Decimal]:
    return {(x.subject_kind, x.subject_id): x.score for x in risks}


def test_every_kind_of_finding_has_a_risk_weight() -> None:
    weights = AT["supervision.risk_weights"]
    assert set(CHECKS) <= set(weights), set(CHECKS) - set(weights)


def test_a_finding_counts_toward_its_institution_and_every_institution_evaluator_platform_named() -> (
    None
):
    f = finding(
        1,
        kind="person_overlap",
        score="10",
        institution=2,
        subjects=(
            {"kind": "person", "id": 9, "label": "张三"},
            {"kind": "institution", "id": 1, "label": "甲"},
            {"kind": "institution", "id": 2, "label": "乙"},  # its own, counted once
            {"kind": "evaluator", "id": 7, "label": "评价机构"},
            {"kind": "platform", "id": 8, "label": "平台"},
            {"kind": "class", "id": 3, "label": "班"},
        ),
    )
    got = by_subject(r.scores([f], AT, year=2022))
    assert got == {
        ("institution", 1): Decimal("10.00"),
        ("institution", 2): Decimal("10.00"),
        ("evaluator", 7): Decimal("10.00"),
        ("platform", 8): Decimal("10.00"),
    }


def test_scores_add_up_weighted_by_kind_highest_first() -> None:
    risks = r.scores(
        [
            finding(1, score="10", institution=1),
            finding(2, score="30", institution=1),
            # a recording fault weighs half (supervision.risk_weights)
            finding(3, kind="session_not_recognised", score="6", institution=2),
        ],
        AT,
        year=2022,
    )
    assert [(x.subject_id, x.score) for x in risks] == [(1, Decimal("40.00")), (2, Decimal("3.00"))]
    top = risks[0]
    assert top.band.code == "high" and top.band.label == "高风险"
    assert [c.finding_id for c in top.contributions] == [2, 1]  # largest first
    assert risks[1].contributions[0].weight == Decimal("0.5")
    assert risks[1].band.code == "low"


def test_last_years_findings_count_half_and_older_or_later_ones_not_at_all() -> None:
    risks = r.scores(
        [
            finding(1, score="20", year=2022),
            finding(2, score="20", year=2021),  # × 0.5
            finding(3, score="20", year=2020),  # beyond supervision.risk_years (2)
            finding(4, score="20", year=2023),  # after the year judged
        ],
        AT,
        year=2022,
    )
    (only,) = risks
    assert only.score == Decimal("30.00")
    assert {c.finding_id: c.decay for c in only.contributions} == {1: 1, 2: Decimal("0.5")}


def test_bands_by_the_lowest_score_of_each() -> None:
    in_force = r.bands(AT)
    assert [b.code for b in in_force] == ["high", "medium", "low"]
    assert r.band_of(Decimal("30"), in_force).code == "high"
    assert r.band_of(Decimal("29.99"), in_force).code == "medium"
    assert r.band_of(Decimal("10"), in_force).code == "medium"
    assert r.band_of(Decimal("9.99"), in_force).code == "low"
    assert r.band_of(Decimal("0"), in_force).code == "low"


def test_a_kind_without_a_weight_is_refused_not_counted_as_zero() -> None:
    with pytest.raises(PolicyError, match="未规定线索类型 new_kind 的权重"):
        r.scores([finding(1, kind="new_kind")], AT, year=2022)


def test_bands_without_one_starting_at_zero_are_refused(tmp_path: Any) -> None:
    bad = {"high": {"min_score": "30", "share": "1", "minimum": 1}}
    on = dt.date(2022, 7, 1)
    policy = params.load([amended_policy_dir(tmp_path, "supervision.risk_bands", on=on, value=bad)])
    r.bands(policy.at(on - dt.timedelta(days=1)))  # the shipped bands, before the amendment
    with pytest.raises(PolicyError, match="分值下限为 0"):
        r.bands(policy.at(on))


@pytest.mark.parametrize(
    ("band", "n", "k"),
    [
        ("high", 3, 3),
        ("medium", 5, 3),
        ("medium", 1, 1),
        ("low", 10, 2),
        ("low", 3, 1),
        ("low", 0, 0),
    ],
)
def test_how_many_of_a_band_are_drawn(band: str, n: int, k: int) -> None:
    b = next(x for x in r.bands(AT) if x.code == band)
    assert r.how_many(b, n) == k


def _candidates() -> list[r.Candidate]:
    low = [r.Candidate(id=i, risk=Decimal("0.00"), opening=False) for i in range(1, 11)]
    medium = [r.Candidate(id=i, risk=Decimal("12.00"), opening=False) for i in range(11, 15)]
    high = [r.Candidate(id=15, risk=Decimal("45.00"), opening=False)]
    opening = [r.Candidate(id=16, risk=Decimal("0.00"), opening=True)]
    return low + medium + high + opening


def test_the_draw_takes_each_bands_share_highest_risk_first() -> None:
    picks = r.sample(_candidates(), AT, day="2022-06-08")
    chosen = [p for p in picks if p.chosen]
    assert chosen[0].id == 15 and chosen[0].band.code == "high"
    assert sum(1 for p in chosen if p.band.code == "medium") == 2  # half of 4
    assert sum(1 for p in chosen if p.band.code == "low" and p.id != 16) == 2  # 20 % of 10
    assert 16 in {p.id for p in chosen}  # the opening-day check is never sampled away
    assert all(p.chosen for p in picks[: len(chosen)])  # chosen first
    risks = [p.risk for p in chosen]
    assert risks == sorted(risks, reverse=True)
    assert "高风险抽取 100%、至少 1 个班" in chosen[0].why
    left = next(p for p in picks if not p.chosen)
    assert "未抽中" in left.why


def test_the_draw_is_the_same_all_day_and_another_the_next() -> None:
    cs = _candidates()
    today = [p.id for p in r.sample(cs, AT, day="2022-06-08") if p.chosen]
    again = [p.id for p in r.sample(list(reversed(cs)), AT, day="2022-06-08") if p.chosen]
    assert sorted(today) == sorted(again)
    days = {
        frozenset(p.id for p in r.sample(cs, AT, day=f"2022-06-{d:02d}") if p.chosen)
        for d in range(1, 15)
    }
    assert len(days) > 1  # the low band's draw changes from day to day


def test_a_class_added_during_the_day_does_not_move_the_others() -> None:
    cs = _candidates()
    before = {p.id: r.draw_key("2022-06-08", p.id) for p in cs}
    added = [*cs, r.Candidate(id=99, risk=Decimal("0.00"), opening=False)]
    after = {p.id: r.draw_key("2022-06-08", p.id) for p in added}
    assert all(after[i] == k for i, k in before.items())
