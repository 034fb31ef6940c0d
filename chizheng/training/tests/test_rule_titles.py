"""A class page shown in Chinese names each rule by its title; the code stays in the
tooltip (issue 16, item 1: no ``class.max_size`` on a Chinese page)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chizheng.rules.evaluate import all_rules
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db

CODES = {spec.code for spec in all_rules()}


def _text(html: str) -> str:
    """What the page shows: tags (and so their attributes, where the code may sit as a
    tooltip) removed."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_class_page_names_rules_by_title_with_the_code_as_tooltip(world, today) -> None:
    training_class = world.approved()
    today(START)
    client = Client()
    client.force_login(world.applicant)
    page = client.get(
        reverse("training:detail", kwargs={"class_id": training_class.pk})
    ).content.decode()
    shown = _text(page)
    assert 'data-testid="decisions"' in page
    assert not {c for c in CODES if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w.])", shown)}
    assert 'title="class.max_size"' in page  # the code is still there for who looks for it
    max_size = next(s for s in all_rules() if s.code == "class.max_size")
    assert max_size.title in shown
