"""The electronic training record (电子档案): the worker's own and, scoped, a person's for
the officials who see him — trainings with sign-in, certificates, subsidies, vouchers; the ID
number masked; another worker, another county, another institution get nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chizheng import demo
from chizheng.accounts.models import Role, User
from chizheng.registry.models import Person
from chizheng.subsidy import record_selectors
from chizheng.subsidy.models import ClaimLine, Voucher
from chizheng.training.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee() -> User:
    demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))
    return User.objects.get(username="xueyuan")


def test_the_workers_own_record_holds_every_part(trainee: User) -> None:
    me = trainee.person
    assert me is not None
    record = record_selectors.training_record(actor=trainee)
    assert record.person == me
    assert {t.enrolment.pk for t in record.trainings} == set(
        Enrolment.objects.filter(person=me).values_list("pk", flat=True)
    )
    for t in record.trainings:
        signed = Attendance.objects.filter(enrolment=t.enrolment, present=True)
        assert t.present == signed.count()
        assert t.signed_hours == sum(a.session.class_hours for a in signed)
    assert record.certificates and all(h.certificate.person == me for h in record.certificates)
    assert [line.pk for line in record.lines] == list(
        ClaimLine.objects.filter(person=me)
        .order_by("-claim__calculated_on", "-id")
        .values_list("pk", flat=True)
    )
    assert len(record.vouchers) == Voucher.objects.filter(person=me).count()
    client = Client()
    client.force_login(trainee)
    page = client.get("/record/")
    text = page.content.decode()
    assert page.status_code == 200 and me.id_masked in text
    assert me.id_number not in text  # never the number in full
    assert 'data-testid="record-certificates"' in text


def test_officials_see_a_persons_record_within_their_scope_only(
    trainee: User, make_user: Any, make_person: Any
) -> None:
    me = trainee.person
    assert me is not None
    office = User.objects.get(username="city")
    client = Client()
    client.force_login(office)
    assert client.get(f"/record/{me.pk}/").status_code == 200
    assert client.get(f"/registry/people/{me.pk}/").content.decode().count(f"/record/{me.pk}/")
    # a county bureau of another county, another worker: nothing
    other_county = "410425" if me.county.code != "410425" else "410402"
    from chizheng.org.models import County

    bureau = make_user(Role.COUNTY_HR, county=County.objects.get(code=other_county))
    stranger = make_user(Role.WORKER, person=make_person(other_county))
    for actor in (bureau, stranger):
        c = Client()
        c.force_login(actor)
        assert c.get(f"/record/{me.pk}/").status_code == 404
    # a worker's /record/ is always his own
    c = Client()
    c.force_login(stranger)
    own = c.get("/record/").content.decode()
    assert stranger.person is not None and stranger.person.name in own and me.name not in own


def test_an_account_without_a_person_has_no_record_of_its_own() -> None:
    demo.build(people=5, areas=("registry",))
    office = User.objects.get(username="city")
    client = Client()
    client.force_login(office)
    assert client.get("/record/").status_code == 404
    assert Person.objects.exists()
