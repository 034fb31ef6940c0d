"""Registering many people at once (``people_register``): the import's set-based writer behind
the same rules as one registration — every number checked first, one record per person,
encrypted and masked — in a fixed number of queries whatever the list's length."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chizheng.core import ids
from chizheng.core.errors import ValidationError
from chizheng.core.models import AuditEvent
from chizheng.registry.models import Person
from chizheng.registry.services import people_register, person_register

pytestmark = pytest.mark.django_db


def _numbers(n: int, county: str = "410402") -> list[str]:
    return [
        ids.make(county, dt.date(1990, 1, 1) + dt.timedelta(days=k), k % 1000) for k in range(n)
    ]


def test_registers_in_order_encrypted_and_masked_with_one_event(county) -> None:
    numbers = _numbers(3)
    people = people_register(
        actor=None,
        county=county("410402"),
        people=[(" 张三 ", numbers[0]), ("李四", numbers[1]), ("王五", numbers[2])],
    )
    assert [p.name for p in people] == ["张三", "李四", "王五"]
    assert [p.id_number for p in people] == numbers
    assert people[0].id_masked == ids.mask(numbers[0])
    assert people[0].birth_date == dt.date(1990, 1, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM registry_person WHERE id = %s", [people[0].pk])
        (raw,) = cur.fetchone()
    assert numbers[0] not in raw
    event = AuditEvent.objects.get(action="person.register_many")
    assert event.after == {"county": "410402", "created": 3, "given": 3}
    assert all(n not in str(event.after) for n in numbers)


def test_one_record_per_person_already_registered_or_given_twice(county) -> None:
    numbers = _numbers(2)
    known = person_register(actor=None, name="张三", id_number=numbers[0], county=county("410402"))
    people = people_register(
        actor=None,
        county=county("410402"),
        people=[("张三丰", numbers[0]), ("李四", numbers[1]), ("李四", numbers[1].lower())],
    )
    assert people[0].pk == known.pk and people[0].name == "张三"  # found, not changed
    assert people[1].pk == people[2].pk
    assert Person.objects.count() == 2
    after = AuditEvent.objects.get(action="person.register_many").after
    assert after is not None and after["created"] == 1
    again = people_register(actor=None, county=county("410402"), people=[("李四", numbers[1])])
    assert again[0].pk == people[1].pk
    assert AuditEvent.objects.filter(action="person.register_many").count() == 1  # nothing new


def test_one_bad_number_refuses_the_whole_list(county) -> None:
    good = _numbers(1)[0]
    with pytest.raises(ValidationError, match="校验码错误"):
        people_register(
            actor=None,
            county=county("410402"),
            people=[("张三", good), ("李四", "410402199001010018")],
        )
    with pytest.raises(ValidationError, match="姓名"):
        people_register(actor=None, county=county("410402"), people=[(" ", good)])
    assert not Person.objects.exists()


@pytest.mark.parametrize("size", [5, 60])
def test_a_fixed_number_of_queries_whatever_the_length(county, size: int) -> None:
    c = county("410402")
    with CaptureQueriesContext(connection) as q:
        people = people_register(actor=None, county=c, people=[("张三", n) for n in _numbers(size)])
    assert len(people) == size
    # find existing, insert, read back ids, load the people, the audit event (3), and the
    # transaction's own statements: never one per person
    assert len(q.captured_queries) <= 12
