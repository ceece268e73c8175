"""Backup and restore round trip: every table's rows and the uploaded files come back as they were when the backup
was made, and an archive that is damaged or made by other code is refused with nothing changed.

Runs on whichever database DATABASE_URL names (SQLite by default; CI runs PostgreSQL too). The tests commit for real
(`transaction=True`): pg_dump and pg_restore run in other processes, and SQLite's backup API in another connection.
"""

import io
import json
import tarfile
import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.conftest import World, build_world
from grassroots.core.backup import BackupRefused
from grassroots.events import services as events
from grassroots.events.choices import Source
from grassroots.events.models import Attachment, Event, EventType
from grassroots.events.tests.api_support import png
from grassroots.people.choices import Role

pytestmark = pytest.mark.django_db(transaction=True)


def every_table() -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every model's table (many-to-many tables included), ordered by primary key."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.db_table] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


def media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def report_and_dispatch(world: World, title: str) -> Event:
    """An event with an uploaded photo and a few steps of history (each step writes audit rows)."""
    event = events.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
        files=[png()],
    ).event
    events.event_register(actor=world.oscar, event=event)
    events.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return event


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    return world


def backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    (archive,) = (tmp_path / "backups").glob("*.tar")
    assert str(archive) in out.getvalue()
    return archive


def restore(archive: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out, **options)
    return out.getvalue()


def refusal(archive: Path, **options: Any) -> BackupRefused:
    with pytest.raises(CommandError) as refused:
        restore(archive, **options)
    assert isinstance(refused.value.__cause__, BackupRefused)
    return refused.value.__cause__


def rewritten(archive: Path, change: Any) -> Path:
    """A copy of the archive with `change(name, body) -> body` applied to each member."""
    copy = archive.with_name("changed-" + archive.name)
    with tarfile.open(archive) as source, tarfile.open(copy, "w") as target:
        for member in source.getmembers():
            handle = source.extractfile(member)
            assert handle is not None
            body = change(member.name, handle.read())
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    return copy


def test_a_restore_brings_back_every_table_and_every_file_as_they_were_at_the_backup(world, tmp_path):
    kept = report_and_dispatch(world, "河边私搭简易棚")
    events.event_sign(actor=world.dora, event=kept)
    audit_record(actor=world.oscar, action="test.before_backup", obj=world.bob)
    assert AuditEntry.objects.count() > 0 and Attachment.objects.count() == 1
    before, files_before = every_table(), media_files()
    archive = backup(tmp_path)

    # Everything that happens after the backup: a new event with its photo and history, an account renamed, an
    # event deleted with its history, and an uploaded file lost.
    report_and_dispatch(world, "路灯损坏")
    world.bob.name = "李改名"
    world.bob.save()
    Path(Attachment.objects.get(event=kept).file.path).unlink()
    Event.objects.filter(pk=kept.pk).delete()
    assert every_table() != before and media_files() != files_before

    out = restore(archive, yes=True)

    after = every_table()
    assert [table for table in before if after[table] != before[table]] == []
    assert after == before
    assert media_files() == files_before
    assert "各表行数与备份清单一致" in out and "审计日志核验通过" in out


def test_a_damaged_archive_is_refused_and_nothing_is_changed(world, tmp_path):
    report_and_dispatch(world, "河边私搭简易棚")
    archive = backup(tmp_path)
    world.bob.name = "李改名"
    world.bob.save()
    before = every_table()

    def flip_a_byte(name: str, body: bytes) -> bytes:
        if name.startswith("database."):
            middle = len(body) // 2
            return body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
        return body

    assert refusal(rewritten(archive, flip_a_byte), yes=True).code == "backup_checksum"
    assert every_table() == before

    truncated = archive.with_name("truncated.tar")
    truncated.write_bytes(archive.read_bytes()[:20000])
    assert refusal(truncated, yes=True).code == "backup_damaged"
    assert every_table() == before


def test_an_archive_from_other_migrations_is_refused(world, tmp_path):
    archive = backup(tmp_path)

    def drop_the_last_migration(name: str, body: bytes) -> bytes:
        if name != "manifest.json":
            return body
        manifest = json.loads(body)
        manifest["migrations"] = sorted(manifest["migrations"])[:-1]
        return json.dumps(manifest).encode()

    refused = refusal(rewritten(archive, drop_the_last_migration), yes=True)
    assert refused.code == "backup_migrations"
    assert "迁移" in refused.message


def test_a_database_that_holds_data_is_not_overwritten_without_yes(world, tmp_path):
    archive = backup(tmp_path)
    world.bob.name = "李改名"
    world.bob.save()

    assert refusal(archive).code == "backup_not_empty"
    world.bob.refresh_from_db()
    assert world.bob.name == "李改名"


def test_a_backup_made_while_another_connection_writes_restores_with_the_counts_it_recorded(world, tmp_path):
    # The manifest's counts and the dump must be one moment of the database (the restore recounts against them and
    # fails otherwise), and the audit chain must be whole at that moment.
    stop, written, errors = threading.Event(), [0], []

    def writer() -> None:
        try:
            while not stop.is_set():
                with transaction.atomic():
                    audit_record(actor=world.oscar, action="test.during_backup", obj=world.bob)
                written[0] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 5 and thread.is_alive():
            stop.wait(0.01)
        at_start = written[0]
        archive = backup(tmp_path)
        at_end = written[0]
    finally:
        stop.set()
        thread.join()
    assert errors == [] and at_end > at_start

    out = restore(archive, yes=True)

    assert "各表行数与备份清单一致" in out and "审计日志核验通过" in out
    assert at_start <= AuditEntry.objects.filter(action="test.during_backup").count() <= at_end + 1
