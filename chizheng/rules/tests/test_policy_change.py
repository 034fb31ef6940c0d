"""A new dated policy file changes a decision from its date only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chizheng.rules import params
from chizheng.rules.class_rules import max_size
from chizheng.rules.tests.casebook import build


def _amended_policy(tmp_path: Path) -> params.Policy:
    """The shipped policy with class.max_size closed on 2023-02-28 and 60 from 2023-03-01."""
    shipped = params.default_policy_dir()
    closed = tmp_path / "closed" / "parameters"
    closed.mkdir(parents=True)
    for f in (shipped / "parameters").glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if "class.max_size:" in text:
            text = text.replace(
                "        value: 80\n", "        until: 2023-02-28\n        value: 80\n", 1
            )
        (closed / f.name).write_text(text, encoding="utf-8")
    amendment = tmp_path / "2023-amendment.yaml"
    amendment.write_text(
        "amendments:\n  class.max_size:\n"
        "    - {from: 2023-03-01, value: 60, clause: '§20(1)', original: 每班人数不超过 60 人,"
        " source: 测试用 2023 年文件}\n",
        encoding="utf-8",
    )
    return params.load([closed.parent, amendment])


def test_a_smaller_class_size_applies_from_its_date_only(tmp_path: Path) -> None:
    policy = _amended_policy(tmp_path)
    app = build("class_application", {"planned_trainees": 70, "teachers": 4, "workstations": 4})

    before = max_size(app, policy.at(dt.date(2023, 2, 28)))
    after = max_size(app, policy.at(dt.date(2023, 3, 1)))

    assert before is not None and after is not None
    assert before.outcome == "pass" and before.compared == "班级人数 70 ≤ 80"
    assert before.parameters == {"class.max_size": "2022-01-01"}
    assert after.outcome == "fail" and after.compared == "班级人数 70 > 60"
    assert after.parameters == {"class.max_size": "2023-03-01"}
    assert before.policy == after.policy == policy.fingerprint
    # The shipped policy is untouched: 70 still passes in 2023 there.
    shipped = max_size(app, params.load().at(dt.date(2023, 3, 1)))
    assert shipped is not None and shipped.outcome == "pass"
