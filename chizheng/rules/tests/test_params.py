import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from chizheng.rules import params

D2022 = dt.date(2022, 6, 1)

# Every 2022 number of SPEC.md's rules table and the online-audit spec.
EXPECTED_2022 = {
    "class.max_size": 80,
    "class.max_trainees_per_teacher": 20,
    "class.max_trainees_per_workstation": 20,
    "class.min_class_hour_minutes": 40,
    "class.min_practical_share": Decimal("0.60"),
    "class.max_online_theory_share": Decimal("0.40"),
    "class.min_pass_certificate_class_hours": 40,
    "class.max_apprentices_per_fulltime_teacher": 20,
    "outcomes.max_special_and_pass_certificate_share": Decimal("0.10"),
    "outcomes.min_satisfaction_share": Decimal("0.85"),
    "outcomes.rectification_months": 1,
    "evidence.min_practical_continuous_recording_minutes": 15,
    "online.popup_max_gap_s": 300,
    "online.segment_gap_s": 60,
    "online.max_rate": Decimal("1.0"),
    "online.tolerance_s": 5,
    "online.face_grace_s": 60,
    "online.class_hour_s": 2700,
    "online.platform_ban_years": 2,
    "trainee.cooldown_months": 1,
    "assessment.min_days_registered_ahead": 3,
    "deadlines.industry_review_working_days": 10,
    "deadlines.public_notice_min_working_days": 5,
    "deadlines.hr_review_working_days": 15,
    "deadlines.finance_review_working_days": 15,
}


@pytest.mark.parametrize(("name", "value"), EXPECTED_2022.items())
def test_shipped_policy_holds_every_2022_number(name: str, value: object) -> None:
    policy = params.load()
    assert policy.value(name, D2022) == value
    version = policy.version(name, D2022)
    assert version.clause and version.original and version.source


def test_funding_order_follows_clause_21() -> None:
    order = params.load().value("funding.source_order", D2022)
    assert order[0] == "skills_upgrade_account"
    assert order[1:3] == ("employment_subsidy", "unemployment_extraction")
    assert params.load().version("funding.source_order", D2022).clause == "§21"


def test_no_value_before_the_first_version_raises() -> None:
    with pytest.raises(params.PolicyNotInForce, match=r"2021-12-31"):
        params.load().value("class.max_size", dt.date(2021, 12, 31))


def test_unknown_parameter_raises() -> None:
    with pytest.raises(params.UnknownParameter, match=r"class\.nope"):
        params.load().value("class.nope", D2022)


def _write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "p.yaml"
    f.write_text(body, encoding="utf-8")
    return f


HEADER = """
parameters:
  x.size:
    description: 人数
    description_en: size
    unit: 人
    type: int
    versions:
"""


def test_a_version_without_a_clause_is_rejected(tmp_path: Path) -> None:
    f = _write(
        tmp_path, HEADER + "      - {from: 2022-01-01, value: 80, original: 每班, source: 文件}\n"
    )
    with pytest.raises(params.PolicyError, match=r"x\.size.*clause"):
        params.load([f])


def test_a_clause_that_cites_nothing_is_rejected(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "      - {from: 2022-01-01, value: 80, clause: somewhere, original: 每班, source: 文件}\n",
    )
    with pytest.raises(params.PolicyError, match="must cite"):
        params.load([f])


def test_an_article_of_another_regulation_is_a_citation(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "      - {from: 2022-01-01, value: 80, clause: 第二条, original: 每班, source: 办法}\n",
    )
    assert params.load([f]).version("x.size", D2022).clause == "第二条"


def test_overlapping_versions_are_rejected(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "      - {from: 2022-01-01, until: 2022-12-31, value: 80, clause: '§20(1)', original: a, source: s}\n"
        + "      - {from: 2022-06-01, value: 60, clause: '§20(1)', original: a, source: s}\n",
    )
    with pytest.raises(params.PolicyError, match="overlap"):
        params.load([f])


def test_a_value_of_the_wrong_type_is_rejected(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "      - {from: 2022-01-01, value: eighty, clause: '§20(1)', original: a, source: s}\n",
    )
    with pytest.raises(params.PolicyError, match="not of type int"):
        params.load([f])


def test_a_share_above_one_is_rejected(tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        HEADER.replace("type: int", "type: share")
        + "      - {from: 2022-01-01, value: '1.5', clause: '§19', original: a, source: s}\n",
    )
    with pytest.raises(params.PolicyError, match="not of type share"):
        params.load([f])


def test_a_new_dated_file_changes_the_value_from_its_date_only(tmp_path: Path) -> None:
    shipped = params.default_policy_dir()
    # The amendment closes nothing by itself: the old version must end first.
    amendment = _write(
        tmp_path,
        "amendments:\n  class.max_size:\n"
        "    - {from: 2023-03-01, value: 60, clause: '§20(1)', original: 每班人数不超过 60 人, source: 测试文件}\n",
    )
    with pytest.raises(params.PolicyError, match="overlap"):
        params.load([shipped, amendment])

    closed = tmp_path / "closed"
    (closed / "parameters").mkdir(parents=True)
    for f in (shipped / "parameters").glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if "class.max_size:" in text:
            text = text.replace(
                "        value: 80\n", "        until: 2023-02-28\n        value: 80\n", 1
            )
        (closed / "parameters" / f.name).write_text(text, encoding="utf-8")
    policy = params.load([closed, amendment])
    assert policy.value("class.max_size", dt.date(2023, 2, 28)) == 80
    assert policy.value("class.max_size", dt.date(2023, 3, 1)) == 60
    assert policy.version("class.max_size", dt.date(2023, 3, 1)).source == "测试文件"


def test_policy_at_gives_values_and_clauses() -> None:
    at = params.load().at(D2022)
    assert at["class.max_size"] == 80
    assert at.clause("class.max_size") == "§20(1)"
    assert len(at.fingerprint) == 16
