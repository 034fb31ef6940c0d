"""Binding a platform course to a class: who may, and one class per course key."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.core.errors import NotFound, ValidationError
from chizheng.online import services
from chizheng.online.models import OnlineCourse

pytestmark = pytest.mark.django_db


def test_another_institution_cannot_bind(world: Any) -> None:
    with pytest.raises(NotFound):
        services.bind_course(actor=world.inst_b, class_id=world.class_a.pk, course_key="X")
    assert not OnlineCourse.objects.filter(course_key="X").exists()


def test_a_course_key_belongs_to_one_class(world: Any) -> None:
    world.class_b.platform = world.p1
    world.class_b.save()
    with pytest.raises(ValidationError) as e:
        services.bind_course(actor=world.office, class_id=world.class_b.pk, course_key="CA")
    assert e.value.code == "online_course_taken"


def test_binding_again_is_a_no_op(world: Any) -> None:
    services.bind_course(actor=world.inst_a, class_id=world.class_a.pk, course_key="CA")
    assert OnlineCourse.objects.filter(training_class=world.class_a).count() == 1
