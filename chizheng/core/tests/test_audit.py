"""The audit log is append-only and hash-chained; tampering is detected."""

import pytest
from django.db import connection

from chizheng.core import audit
from chizheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _three(make_user) -> None:
    actor = make_user()
    for i in range(3):
        audit.record(
            actor=actor,
            action="test.step",
            object_type="x",
            object_id=i,
            after={"n": i, "money": "1.10"},
        )


def _raw(sql: str, params: list[int | str]) -> None:
    """Tamper as a database administrator would: past the guard trigger (rolled back after)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER core_auditevent_append_only")
        cur.execute(sql, params)


def test_an_intact_chain_verifies(make_user) -> None:
    _three(make_user)
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditEvent.objects.count() >= 3


def test_an_altered_row_is_found(make_user) -> None:
    _three(make_user)
    target = AuditEvent.objects.order_by("seq")[1]
    _raw("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["改过了", target.seq])
    _, broken = audit.verify()
    assert broken is not None and broken.seq == target.seq
    assert "被修改" in broken.problem


def test_a_deleted_row_is_found(make_user) -> None:
    _three(make_user)
    target = AuditEvent.objects.order_by("seq")[1]
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [target.seq])
    _, broken = audit.verify()
    assert broken is not None and broken.seq == target.seq
    assert "缺失" in broken.problem


def test_a_deleted_last_row_is_found(make_user) -> None:
    _three(make_user)
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])
    _, broken = audit.verify()
    assert broken is not None and "末尾被删除" in broken.problem


def test_the_orm_refuses_to_change_or_delete_events(make_user) -> None:
    _three(make_user)
    event = AuditEvent.objects.first()
    assert event is not None
    event.reason = "x"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.update(reason="x")


def test_the_database_refuses_an_update(make_user) -> None:
    _three(make_user)
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE core_auditevent SET reason = 'x'")


def test_reasons_are_masked(make_user) -> None:
    actor = make_user()
    e = audit.record(actor=actor, action="t", reason="查看 410402199001010019 电话 13912345678")
    assert "410402********0019" in e.reason and "139****5678" in e.reason
