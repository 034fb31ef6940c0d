"""The officials' to-do list on the home page (issue 16): the review steps waiting on the
actor — class applications and subsidy claims — the earliest deadline first, with the
working days left and the overdue marked; nobody else's steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.review import open_steps_for
from chizheng.subsidy.services import REVIEW_CHAIN as CLAIM_CHAIN
from chizheng.training.services import REVIEW_CHAIN as CLASS_CHAIN
from chizheng.web.todo import SHOWN, todo_list

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)


@pytest.fixture
def built() -> None:
    with clock.freeze(TODAY):
        demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))


@pytest.mark.parametrize("username", ["miit1", "xinhua", "finance"])
def test_each_reviewer_sees_his_steps_by_deadline(built: None, username: str) -> None:
    actor = User.objects.get(username=username)
    todo, total = todo_list(actor=actor, today=TODAY)
    waiting = (
        open_steps_for(actor=actor, chain=CLASS_CHAIN).count()
        + open_steps_for(actor=actor, chain=CLAIM_CHAIN).count()
    )
    assert total <= waiting and len(todo) == min(total, SHOWN)
    assert [t.due_on for t in todo] == sorted(t.due_on for t in todo)
    for t in todo:
        assert t.overdue == (t.due_on < TODAY)
        assert (t.working_days_left < 0) <= t.overdue  # a negative count is always late


def test_the_home_page_shows_them_and_a_trainee_none(built: None) -> None:
    reviewer = User.objects.get(username="miit1")
    todo, total = todo_list(actor=reviewer, today=TODAY)
    assert total >= 1, "the demo leaves applications with the industry department"
    client = Client()
    client.force_login(reviewer)
    with clock.freeze(TODAY):
        text = client.get("/").content.decode()
    assert 'data-testid="todo"' in text and text.count('data-testid="todo-row"') == len(todo)
    assert todo[0].subject.split(" · ")[0] in text
    worker = User.objects.get(username="xueyuan")
    assert todo_list(actor=worker, today=TODAY) == ([], 0)
    institution = User.objects.get(username="jsxy")
    assert todo_list(actor=institution, today=TODAY) == ([], 0)
