"""A class's training projects of §1/§8/§9/§10 (class.programme_tags): kept when they fit
the class's programme, period and level, refused in Chinese when not, checked again when the
application changes, and shown on the class page (the ledgers count them: ``ledgers``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from chizheng.core.errors import ValidationError
from chizheng.plan.models import Programme
from chizheng.plan.services import plan_load
from chizheng.rules.programme_tags import tag_problems
from chizheng.training import services
from chizheng.training.tests.conftest import START, build_world

pytestmark = pytest.mark.django_db

KNOWN = {
    "golden": {"name": "金蓝领", "clause": "§1", "programme": 1, "max_skill_level": 3},
    "directed": {"name": "定向培育", "clause": "§1", "programme": 1, "min_months": 6},
    "order": {"name": "订单培训", "clause": "§10", "programme": 10},
}


def test_the_rule_names_every_problem() -> None:
    end = START + dt.timedelta(days=20)
    ok = dict(programme=1, start=START, end=end, skill_level=3)
    assert tag_problems(["golden"], KNOWN, **ok) == []  # type: ignore[arg-type]
    assert tag_problems(["golden"], KNOWN, **(ok | {"skill_level": 4})) == [  # type: ignore[arg-type]
        "金蓝领须为3级及以上技能等级的培训"
    ]
    assert tag_problems(["directed"], KNOWN, **ok) == ["定向培育的培训期不少于 6 个月"]  # type: ignore[arg-type]
    six = dt.date(START.year, START.month + 6, START.day)
    assert tag_problems(["directed"], KNOWN, **(ok | {"end": six})) == []  # type: ignore[arg-type]
    assert tag_problems(["order"], KNOWN, **ok) == ["订单培训属于第10项专项（§10），与所选专项不符"]  # type: ignore[arg-type]
    assert tag_problems(["x", "golden", "golden"], KNOWN, **ok) == [  # type: ignore[arg-type]
        "未知的培训项目：x",
        "培训项目重复",
    ]


def test_a_class_keeps_its_projects_and_shows_them(city: Any, make_user: Any) -> None:
    plan_load()
    world = build_world(make_user)
    first = Programme.objects.get(plan__year=2022, number=1)
    tenth = Programme.objects.get(plan__year=2022, number=10)
    with pytest.raises(ValidationError, match="与所选专项不符"):
        world.apply(programme_id=first.pk, tags=["order"])
    k = world.apply(programme_id=tenth.pk, tags=["order"], batch="订单班")
    assert list(k.tag_rows.values_list("code", flat=True)) == ["order"]
    # a change of programme that the project does not fit is refused, the old kept
    with pytest.raises(ValidationError, match="订单培训属于第10项专项"):
        services.class_update(actor=world.applicant, class_id=k.pk, programme_id=first.pk)
    services.class_update(actor=world.applicant, class_id=k.pk, tags=["post", "project"])
    assert sorted(k.tag_rows.values_list("code", flat=True)) == ["post", "project"]
    client = Client()
    client.force_login(world.applicant)
    page = client.get(f"/classes/{k.pk}/").content.decode()
    assert "定岗培训" in page and "项目制培训" in page
    form = client.get(f"/classes/{k.pk}/edit/").content.decode()
    assert 'name="tags"' in form and "“金蓝领”" in form
