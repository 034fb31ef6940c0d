"""PHOTO: each full 2700 s window from the segment's start holds a photo of the segment."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def _segment(end: float) -> Log:
    return Log().play(0, end, photos=False)


def test_shorter_than_a_class_hour_needs_no_photo() -> None:
    assert _segment(2699).flags() == [""]


def test_one_full_window_without_photo_fails() -> None:
    assert _segment(2700).flags() == ["PHOTO"]


def test_one_full_window_with_photo_passes() -> None:
    assert _segment(2700).add("photo", 2699.999).flags() == [""]


def test_last_partial_window_needs_none() -> None:
    assert _segment(5399).add("photo", 100).flags() == [""]


def test_each_full_window_needs_its_own_photo() -> None:
    assert _segment(5400).add("photo", 100).add("photo", 200).flags() == ["PHOTO"]
    assert _segment(5400).add("photo", 100).add("photo", 2700).flags() == [""]


def test_photo_of_another_session_does_not_count() -> None:
    assert _segment(2700).add("photo", 100, session="S2").flags() == ["PHOTO"]
