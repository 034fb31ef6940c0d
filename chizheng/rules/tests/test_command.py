"""``chizheng rules check`` / ``rules list``: exit codes and output."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "class-application.json"


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("rules", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_check_the_example_passes() -> None:
    code, out, _ = _run("check", str(EXAMPLE))
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["counts"]["fail"] == 0
    assert report["decisions"][0]["clause"] == "§20(1)"


def test_check_exits_1_when_a_rule_fails(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["class_application"]["planned_trainees"] = 81
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("check", str(f))
    failed = [d for d in json.loads(out)["decisions"] if d["outcome"] == "fail"]
    assert code == 1
    assert {d["rule"] for d in failed} >= {"class.max_size"}
    assert any(d["compared"] == "班级人数 81 > 80" for d in failed)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.pop("start_date"), "class_application.start_date"),
        (lambda c: c.update(teachers="2"), "class_application.teachers"),
        (lambda c: c.update(occupation="4-10-01-99"), "class_application.occupation"),
    ],
    ids=["missing field", "wrong type", "unknown occupation"],
)
def test_check_exits_2_on_malformed_input_naming_the_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], field: str
) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(doc["class_application"])
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run("check", str(f))
    assert code == 2
    assert field in err and "输入有误" in err
    assert json.loads(out)["detail"][0]["field"] == field


def test_check_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    code, _, err = _run("check", str(tmp_path / "nope.json"))
    assert code == 2 and "无法读取文件" in err


def test_list_prints_every_rule_with_clause_and_values() -> None:
    code, out, _ = _run("list", "--at", "2022-06-01")
    assert code == 0
    assert "class.max_size  [§20(1)]" in out
    assert "class.max_size = 80 人（§20(1)，2022-01-01 起）" in out
    assert "trainee.cooldown_months = 1 月" in out


def test_check_refuses_a_levelled_certificate_without_a_level(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["class_application"]["level"] = None  # certificate_type: skill_level
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run("check", str(f))
    assert code == 2 and "须注明技能等级" in err
    assert json.loads(out)["detail"][0]["field"] == "class_application.level"


def test_check_takes_no_level_for_a_certificate_without_levels(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["class_application"].update(
        level=None, certificate_type="special_ability", certificates_available=["special_ability"]
    )
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("check", str(f))
    assert code in (0, 1) and "decisions" in json.loads(out)
