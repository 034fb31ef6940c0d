"""The 2022 classification loads whole, under its groups, and codes are checked against it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chizheng.core.errors import ValidationError
from chizheng.registry.models import Occupation
from chizheng.registry.selectors import occupation_by_code, occupation_path
from chizheng.registry.services import load_occupations, occupation_for_code
from chizheng.rules.occupations import same_classification, similar

pytestmark = pytest.mark.django_db


def test_the_full_classification_loads_under_its_groups(occupations: None) -> None:
    counts = {lv: Occupation.objects.filter(level=lv).count() for lv in Occupation.Level.values}
    # What the source holds (PROVENANCE.md explains the gap to the announced 79/450/1,639).
    assert counts == {"major": 8, "medium": 72, "minor": 336, "occupation": 1631}
    orphans = Occupation.objects.exclude(level="major").filter(parent__isnull=True)
    assert not orphans.exists()
    for o in Occupation.objects.filter(level="occupation").select_related("parent__parent__parent"):
        chain = occupation_path(o)
        assert chain[0].level == "major" and o.code.startswith(chain[0].code[0])


def test_lookup_6_18_02_05() -> None:
    load_occupations()
    o = occupation_by_code(code="6-18-02-05")
    assert o is not None and o.name == "机械加工材料切割工"
    assert [g.code for g in occupation_path(o)] == ["6-00-00-00", "6-18-00-00", "6-18-02-00"]


def test_loading_again_changes_nothing(occupations: None) -> None:
    again = load_occupations()
    assert (again.created, again.updated, again.deactivated) == (0, 0, 0)
    assert again.total == Occupation.objects.count() == 2047


def test_names_carry_no_green_or_digital_marker(occupations: None) -> None:
    marked = [
        n for n in Occupation.objects.values_list("name", flat=True) if re.search(r"[A-Za-z/ ]", n)
    ]
    assert marked == []
    assert Occupation.objects.get(code="2-02-01-01").name.endswith("工程技术人员")


def test_duplicated_codes_are_resolved(occupations: None) -> None:
    assert Occupation.objects.get(code="2-03-01-00").level == "occupation"
    assert Occupation.objects.get(code="6-20-03-00").level == "minor"
    assert (
        Occupation.objects.filter(code__in=["4-12-04-02", "6-20-05-03", "5-03-00-00"]).count() == 3
    )


def test_codes_are_checked_against_the_list_not_a_pattern(occupations: None) -> None:
    assert occupation_for_code("6-18-02-05").name == "机械加工材料切割工"
    with pytest.raises(ValidationError) as e:
        occupation_for_code("6-18-02-99")  # well formed, not in the classification
    assert e.value.code == "occupation_unknown" and "不在" in e.value.message
    with pytest.raises(ValidationError):
        occupation_for_code("6-18-00-00")  # a group, not an occupation


def test_similar_and_same_classification_come_from_the_rules_module() -> None:
    assert similar("6-18-02-05", "6-18-02-01")
    assert not similar("6-18-02-05", "6-18-01-01")
    assert same_classification("6-18-02-05", "6-18-01-01")


def test_a_code_dropped_from_the_file_is_deactivated_not_deleted(
    occupations: None, tmp_path: Path
) -> None:
    from chizheng.registry.services import OCCUPATIONS_FILE

    lines = OCCUPATIONS_FILE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("6-18-02-05,")]
    smaller = tmp_path / "occ.csv"
    smaller.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = load_occupations(path=smaller)
    assert result.deactivated == 1
    assert Occupation.objects.get(code="6-18-02-05").active is False
    load_occupations()
    assert Occupation.objects.get(code="6-18-02-05").active is True
