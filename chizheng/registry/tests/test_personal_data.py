"""ID numbers and phones: encrypted at rest, found by blind index, masked, revealed with a reason."""

import pytest
from django.db import connection

from chizheng.accounts.models import Role
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.registry.models import Person
from chizheng.registry.selectors import person_by_id_number
from chizheng.registry.services import person_register, person_reveal_id_number

pytestmark = pytest.mark.django_db
NUMBER = "410402199001010019"


def test_stored_encrypted_not_in_clear(county) -> None:
    p = person_register(
        actor=None, name="张三", id_number=NUMBER, county=county("410402"), phone="13912345678"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, id_masked FROM registry_person WHERE id = %s", [p.pk])
        raw_id, raw_phone, masked = cur.fetchone()
    assert NUMBER not in raw_id and raw_id.startswith("v1:")
    assert "13912345678" not in raw_phone
    assert masked == "410402********0019"
    assert Person.objects.get(pk=p.pk).id_number == NUMBER


def test_one_record_per_person_however_often_registered(county) -> None:
    a = person_register(actor=None, name="张三", id_number=NUMBER, county=county("410402"))
    b = person_register(actor=None, name="张三", id_number=NUMBER.lower(), county=county("410402"))
    assert a.pk == b.pk and Person.objects.count() == 1


def test_an_invalid_number_is_refused(county) -> None:
    with pytest.raises(ValidationError, match="校验码错误"):
        person_register(
            actor=None, name="张三", id_number="410402199001010018", county=county("410402")
        )


def test_lookup_through_the_blind_index_is_scoped(make_user, county) -> None:
    person_register(actor=None, name="张三", id_number=NUMBER, county=county("410402"))
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    ruzhou = make_user(Role.COUNTY_HR, county=county("410482"))
    found = person_by_id_number(actor=xinhua, id_number=NUMBER)
    assert found is not None and found.name == "张三"
    assert person_by_id_number(actor=ruzhou, id_number=NUMBER) is None


def test_reveal_needs_a_role_and_a_reason_and_is_logged(make_user, county) -> None:
    p = person_register(actor=None, name="张三", id_number=NUMBER, county=county("410402"))
    office = make_user(Role.PROGRAMME_OFFICE)
    with pytest.raises(ValidationError, match="事由"):
        person_reveal_id_number(actor=office, person_id=p.pk, reason=" ")
    assert person_reveal_id_number(actor=office, person_id=p.pk, reason="核对补贴申请") == NUMBER
    event = AuditEvent.objects.filter(action="person.reveal_id_number").get()
    assert event.actor_id == office.pk and event.reason == "核对补贴申请"
    assert NUMBER not in str(event.before) + str(event.after)

    institution_user = make_user(Role.INSPECTOR, county=county("410402"))
    with pytest.raises(PermissionDenied):
        person_reveal_id_number(actor=institution_user, person_id=p.pk, reason="x")
    ruzhou = make_user(Role.COUNTY_HR, county=county("410482"))
    with pytest.raises(NotFound):
        person_reveal_id_number(actor=ruzhou, person_id=p.pk, reason="x")


def test_audit_rows_carry_only_the_masked_number(county) -> None:
    person_register(actor=None, name="张三", id_number=NUMBER, county=county("410402"))
    event = AuditEvent.objects.get(action="person.register")
    assert event.after is not None
    assert event.after["id_number"] == "410402********0019"


def test_logs_mask_numbers(caplog) -> None:
    import logging

    from chizheng.core.logging import MaskPersonalData

    logger = logging.getLogger("chizheng.test")
    logger.addFilter(MaskPersonalData())
    with caplog.at_level(logging.INFO, logger="chizheng.test"):
        logger.info("person %s phone %s", NUMBER, "13912345678")
    assert NUMBER not in caplog.text and "410402********0019" in caplog.text
    assert "139****5678" in caplog.text
