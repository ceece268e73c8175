"""The chain: every row numbered and chained as it commits; deleted, edited or re-signed rows are named."""

import datetime as dt
import hashlib
import hmac
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.audit.models import AuditEntry, AuditHead
from grassroots.audit.services import (
    RetentionTooShort,
    _canonical,
    audit_purge,
    audit_record,
    audit_seal,
    audit_verify,
    chain_value,
)
from grassroots.conftest import build_world


def _write(world, n: int) -> list[AuditEntry]:
    return [audit_record(actor=world.oscar, action=f"test.{i}", obj=world.bob) for i in range(n)]


def _raw_delete(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [pk])


def test_a_row_is_chained_as_its_transaction_commits_without_the_timer_worker(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first, second = _write(world, 2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.seq is not None and second.seq == first.seq + 1
    assert second.chain == chain_value(first.chain, second.seq, second.signature)
    assert AuditHead.objects.get(pk=1).seq == second.seq
    assert audit_verify() == []


def test_a_clean_log_verifies(world):
    _write(world, 3)
    assert audit_seal() == 3
    assert audit_verify() == []


def test_an_edited_row_is_detected(world):
    entry = audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    audit_seal()
    AuditEntry.objects.filter(pk=entry.pk).update(action="event.reopen")
    entry.refresh_from_db()
    assert audit_verify() == [f"审计记录 #{entry.pk}（第 {entry.seq} 号）内容被修改或用其他密钥签名"]


def test_a_row_edited_and_re_signed_and_re_chained_with_another_key_is_detected(world):
    rows = _write(world, 3)
    audit_seal()
    forged = AuditEntry.objects.get(pk=rows[1].pk)
    forged.action = "event.reopen"
    other = b"grassroots-insecure-development-key-change-me-in-production-not-the-configured-one"
    forged.signature = hmac.new(other, _canonical(forged), hashlib.sha256).hexdigest()
    previous = AuditEntry.objects.get(pk=rows[0].pk).chain
    forged.chain = hmac.new(
        other, f"{previous}|{forged.seq}|{forged.signature}".encode(), hashlib.sha256
    ).hexdigest()
    AuditEntry.objects.filter(pk=forged.pk).update(
        action=forged.action, signature=forged.signature, chain=forged.chain
    )
    problems = audit_verify()
    assert problems[0] == f"审计记录 #{forged.pk}（第 {forged.seq} 号）内容被修改或用其他密钥签名"


def test_a_deleted_row_is_named_by_its_number(world):
    rows = _write(world, 3)
    audit_seal()
    middle = AuditEntry.objects.get(pk=rows[1].pk)
    _raw_delete(middle.pk)
    problems = audit_verify()
    assert problems[0] == f"第 {middle.seq}–{middle.seq} 号审计记录缺失（#{rows[0].pk} 之后，记录被删除）"


def test_a_row_cut_from_the_end_is_detected_against_the_head(world):
    rows = _write(world, 2)
    audit_seal()
    last = AuditEntry.objects.get(pk=rows[1].pk)
    _raw_delete(last.pk)
    assert audit_verify() == [f"第 {last.seq}–{last.seq} 号审计记录缺失（日志末尾的记录被删除）"]


def test_a_row_left_unchained_is_reported_after_the_grace_period(world):
    entry = audit_record(actor=world.oscar, action="test.late", obj=world.bob)
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - dt.timedelta(minutes=5))
    assert f"审计记录 #{entry.pk} 尚未入链" in audit_verify()


def test_the_verify_command_names_the_first_broken_row(world):
    rows = _write(world, 3)
    audit_seal()
    call_command("audit_verify")
    AuditEntry.objects.filter(pk=rows[2].pk).update(object_repr="someone else")
    with pytest.raises(CommandError, match=f"#{rows[2].pk}"):
        call_command("audit_verify")


def test_a_purge_shorter_than_six_months_is_refused(world):
    _write(world, 1)
    with pytest.raises(RetentionTooShort):
        audit_purge(actor=world.oscar, keep_days=182)
    with pytest.raises(CommandError, match="至少保留"):
        call_command("audit_purge", "--keep-days", "30")
    assert AuditEntry.objects.count() == 1


@override_settings(AUDIT_RETENTION_DAYS=183)
def test_a_purge_keeps_the_rest_verifiable_and_is_audited(world):
    old = _write(world, 2)
    audit_seal()
    long_ago = timezone.now() - dt.timedelta(days=400)
    # Back-dated (their signatures no longer match, but they are purged before verification).
    AuditEntry.objects.filter(pk__in=[r.pk for r in old]).update(at=long_ago)
    young = _write(world, 1)
    audit_seal()
    assert audit_purge(actor=world.oscar, keep_days=183) == 2
    audit_seal()
    assert not AuditEntry.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditEntry.objects.filter(pk=young[0].pk).exists()
    assert AuditEntry.objects.filter(action="audit.purge").exists()
    assert audit_verify() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    world = build_world()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=world.oscar, action=f"test.{n}.{i}", obj=world.bob)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    audit_seal()
    seqs = sorted(
        seq
        for seq in AuditEntry.objects.filter(action__startswith="test.").values_list("seq", flat=True)
        if seq
    )
    assert len(seqs) == 40
    assert seqs == list(range(seqs[0], seqs[0] + 40))
    assert audit_verify() == []
