"""The timer worker verifies the whole audit log once a day; a deleted row is logged as an error and shown to the
audit administrator."""

import datetime as dt
import logging

from django.db import connection
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry, AuditHead
from grassroots.audit.services import audit_record, audit_seal
from grassroots.conftest import make_person
from grassroots.events.management.commands.run_timers import run_tick
from grassroots.people.choices import Role
from grassroots.people.models import Person


def _audit_page(world) -> str:
    auditor = Person.objects.filter(username="abe").first() or make_person(
        "abe", "审计员", Role.AUDIT_ADMIN, division=world.district, is_staff=True
    )
    client = Client()
    client.force_login(auditor)
    return client.get("/audit/").content.decode()


def test_the_timer_worker_verifies_daily_and_a_deleted_row_reaches_the_log_and_the_page(world, caplog):
    rows = [audit_record(actor=world.oscar, action=f"test.{i}", obj=world.bob) for i in range(3)]
    audit_seal()
    assert "尚未核验" in _audit_page(world)

    run_tick()
    head = AuditHead.objects.get(pk=1)
    assert head.verified_at is not None and head.verified_problems == 0
    assert "链值完整" in _audit_page(world)

    middle = AuditEntry.objects.get(pk=rows[1].pk)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.pk])
    run_tick()  # verified less than a day ago: not again yet
    assert AuditHead.objects.get(pk=1).verified_problems == 0

    AuditHead.objects.filter(pk=1).update(verified_at=timezone.now() - dt.timedelta(hours=25))
    with caplog.at_level(logging.ERROR, logger="grassroots.audit.services"):
        run_tick()
    head = AuditHead.objects.get(pk=1)
    assert head.verified_problems >= 1  # the missing row, and the next row's chain value
    assert f"第 {middle.seq}–{middle.seq} 号审计记录缺失" in head.verified_first
    assert any("审计日志核验失败" in r.getMessage() for r in caplog.records)
    assert f"发现 {head.verified_problems} 个问题" in _audit_page(world)
