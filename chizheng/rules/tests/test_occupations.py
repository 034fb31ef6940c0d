from __future__ import annotations

import pytest

from chizheng.rules import occupations


def test_similar_is_the_same_minor_group() -> None:
    assert occupations.similar("4-10-01-05", "4-10-01-06")
    assert not occupations.similar("4-10-01-05", "4-10-03-01")


def test_same_classification_is_the_same_medium_group() -> None:
    assert occupations.same_classification("4-10-01-05", "4-10-03-01")
    assert not occupations.same_classification("4-10-01-05", "6-18-02-04")


@pytest.mark.parametrize("bad", ["4-10-01", "4-10-1-05", "9-10-01-05", "4-10-01-05-1", ""])
def test_a_malformed_code_is_refused(bad: str) -> None:
    assert not occupations.is_well_formed(bad)
    with pytest.raises(occupations.BadOccupationCode):
        occupations.parse(bad)


def test_the_2022_classification_loads_with_occupations_only() -> None:
    codes = occupations.load_codes()
    text = occupations.CLASSIFICATION_FILE.read_text(encoding="utf-8")
    assert len(codes) == text.count(",occupation,") > 1600
    assert codes["6-18-02-05"] == "机械加工材料切割工"
    assert "4-10-00-00" not in codes  # groups are not occupations
    assert occupations.unknown(["4-10-01-05", "4-10-01-99", "x"], codes) == ["4-10-01-99", "x"]
