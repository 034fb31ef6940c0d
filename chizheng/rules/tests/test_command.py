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


SUPERVISION = EXAMPLE.parent / "supervision-facts.json"


def _every_kind() -> dict[str, Any]:
    """One document with each kind of facts the engine judges."""
    doc = json.loads(SUPERVISION.read_text(encoding="utf-8"))
    application = json.loads(EXAMPLE.read_text(encoding="utf-8"))["class_application"]
    trainee = application["roster"][0]
    doc.update(
        class_application=application,
        enrolment={"trainee": trainee, "application": application},
        assessment={
            "class_ref": application["ref"],
            "occupation": application["occupation"],
            "level": 4,
            "mode": "offline",
            "certificate_type": "skill_level",
            "certificates_available": ["skill_level"],
            "registered_on": "2022-06-10",
            "held_on": "2022-06-25",
        },
        claim={
            "class_ref": application["ref"],
            "as_of": "2022-07-20",
            "submitted_on": "2022-07-01",
        },
        centre={
            "institution": "ENT-001",
            "occupation": application["occupation"],
            "certified_teachers": 1,
            "sites": 1,
            "workstations": 10,
        },
        voucher={
            "class_ref": application["ref"],
            "trainee_ref": trainee["ref"],
            "number": "PDS2022410402*******0101",
            "holder_ref": trainee["ref"],
            "status": "bound",
            "expires_on": "2022-12-31",
            "started_on": application["start_date"],
            "bound_class_ref": "PDS-2022-0099",
        },
    )
    return doc


def test_check_reads_every_kind_of_facts_the_engine_judges(tmp_path: Path) -> None:
    from chizheng.rules.facts_json import KINDS

    doc = _every_kind()
    assert set(doc) - {"date"} == set(KINDS)  # the test holds every kind there is
    f = tmp_path / "all.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("check", str(f))
    decided = {d["rule"].split(".")[0] for d in json.loads(out)["decisions"]}
    # class and trainee rules (class_application, enrolment), assessment, the evidence of
    # sessions and makeups, attendance, satisfaction and certificate outcomes, the claim
    assert decided >= {
        "class",
        "trainee",
        "assessment",
        "evidence",
        "attendance",
        "outcomes",
        "claim",
    }
    voucher = [d for d in json.loads(out)["decisions"] if d["rule"] == "claim.voucher"]
    assert [d["outcome"] for d in voucher] == ["fail"]  # bound to another class (§20(5))
    assert code == 1  # the supervision example holds failures (a short recording …)


def test_check_without_any_facts_names_the_kinds(tmp_path: Path) -> None:
    f = tmp_path / "empty.json"
    f.write_text('{"date": "2022-06-06"}', encoding="utf-8")
    code, out, err = _run("check", str(f))
    assert code == 2
    assert "session" in err and "claim" in err and "class_application" in err
    assert json.loads(out)["code"] == "rules_facts_invalid"


def test_facts_without_a_day_of_their_own_need_the_document_date(tmp_path: Path) -> None:
    doc = json.loads(SUPERVISION.read_text(encoding="utf-8"))
    del doc["date"]
    f = tmp_path / "nodate.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = _run("check", str(f))
    assert code == 2 and "attendance" in err and "date" in err


def test_check_in_text_for_people(tmp_path: Path) -> None:
    code, out, _ = _run("check", str(SUPERVISION), "--format", "text")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("判定日期 2022-06-20")
    assert lines[1].startswith("✗ 不通过") and "（§19）" in lines[1]  # failures first
    assert any(line.strip().startswith("建议：") for line in lines)
    assert lines[-1].startswith("合计：") and "不通过 3" in lines[-1]
    assert not out.lstrip().startswith("{")


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
