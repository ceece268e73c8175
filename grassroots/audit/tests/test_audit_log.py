"""The audit log: rows in the same transaction as the change, signed, chained, append-only."""

import pytest
from django.db import transaction

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
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
