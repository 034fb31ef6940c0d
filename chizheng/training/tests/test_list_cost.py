"""The class list on a city year: the same queries whatever the number of classes, the
roster's size counted for the rows shown only, and the total counted without reading the
rosters (issue 13: no page grows with the rows it does not show)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chizheng.training import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("classes", [1, 4])
def test_the_list_page_takes_the_same_queries_however_many_classes(
    world: Any, classes: int
) -> None:
    for n in range(classes):
        world.apply(batch=f"列表-{n}", roster=world.people[n * 3 : n * 3 + 3])
    rows: list[Any] = list(selectors.class_list(actor=world.industry_a))
    assert sorted(k.trainees for k in rows) == [3] * classes
    total = selectors.class_list(actor=world.industry_a)
    with CaptureQueriesContext(connection) as q:
        assert total.count() == classes
    assert "training_enrolment" not in q.captured_queries[0]["sql"]  # no roster read to count
    client = Client()
    client.force_login(world.industry_a)
    with CaptureQueriesContext(connection) as q:
        page = client.get(reverse("training:list"))
    assert page.status_code == 200
    assert len(q.captured_queries) <= 8  # session, user, total, rows, status counts …
    assert len(re.findall(r"<td>3/\d+</td>", page.content.decode())) == classes
