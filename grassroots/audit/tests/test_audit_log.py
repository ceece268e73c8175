"""The audit log: rows in the same transaction as the change, signed, chained, append-only."""

import pytest
from django.db import connection, transaction

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record, audit_seal, audit_verify
from grassroots.people.services import api_token_create


def test_a_service_writes_its_audit_row(world):
    token, _ = api_token_create(actor=world.oscar, person=world.bob, name="phone")
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == world.oscar
    assert entry.object_id == str(token.pk)
    assert entry.result == "ok"


def test_the_audit_row_rolls_back_with_a_failed_change(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        api_token_create(actor=world.oscar, person=world.bob, name="phone")
        raise RuntimeError("the surrounding change failed")
    assert not AuditEntry.objects.filter(action="api_token.create").exists()


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = audit_record(actor=world.oscar, action="test.act", obj=world.bob)
    entry.action = "other"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_a_clean_log_verifies(world):
    for i in range(3):
        audit_record(actor=world.oscar, action=f"test.{i}", obj=world.bob)
    assert audit_seal(grace_seconds=0) == 3
    assert audit_verify() == []


def test_an_edited_row_is_detected(world):
    entry = audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    AuditEntry.objects.filter(pk=entry.pk).update(action="event.reopen")
    assert audit_verify() == [f"审计记录 #{entry.pk} 内容被修改"]


def test_a_deleted_sealed_row_breaks_the_chain(world):
    rows = [audit_record(actor=world.oscar, action=f"test.{i}", obj=world.bob) for i in range(3)]
    audit_seal(grace_seconds=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [rows[1].pk])
    problems = audit_verify()
    assert problems == [f"审计记录 #{rows[2].pk} 之前的记录链断裂（记录被删除或篡改）"]


def test_young_rows_wait_for_the_grace_period_before_sealing(world):
    audit_record(actor=world.oscar, action="test.young", obj=world.bob)
    assert audit_seal(grace_seconds=60) == 0
