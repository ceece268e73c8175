"""Notifications: written only once the change commits, routed around absences (AB岗), and emails sent from the
outbox with retries and backoff, never twice however many senders run."""

import datetime as dt
import os
import re
import smtplib
import time
from collections.abc import Sequence

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import Assignment, Event, EventType
from grassroots.events.tests import workers
from grassroots.notifications.models import Notification, OutboxEmail, OutboxStatus
from grassroots.notifications.services import (
    MAX_ATTEMPTS,
    notify,
    outbox_add,
    outbox_send_due,
    route_to_present,
)
from grassroots.org.models import Absence, BackupPost
from grassroots.people.choices import Role
from grassroots.people.models import Person

HERE = "grassroots.notifications.tests.test_notifications"
MAIL_LOG = "GRASSROOTS_TEST_MAIL_LOG"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("邮件服务器无响应")


class RecordingBackend(BaseEmailBackend):
    """Appends one line per recipient to the file named in $GRASSROOTS_TEST_MAIL_LOG, a little slowly, so that
    concurrent senders overlap. Usable from worker processes (EMAIL_BACKEND comes from the environment)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.005)
        with open(os.environ[MAIL_LOG], "a", encoding="utf-8") as log:
            for message in email_messages:
                log.write(f"{message.to[0]}\n")
        return len(email_messages)


def registered(world) -> Event:
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=world.oscar, event=event)
    return event


@pytest.fixture
def erin(world) -> Person:
    """Dora's backup (B岗) at the agency's window, who sits in the command room."""
    erin = Person.objects.create_user(
        username="erin",
        password="Secret@2026",
        name="钱芳",
        role=Role.DEPARTMENT_STAFF,
        unit=world.command_room,
        email="erin@example.com",
    )
    BackupPost.objects.create(name="市场监管受理岗", unit=world.agency, holder=world.dora, backup=erin)
    world.dora.email = "dora@example.com"
    world.dora.save()
    return erin


def away(person: Person, *, days: int = 3, start: dt.datetime | None = None) -> Absence:
    start = start or timezone.now() - dt.timedelta(hours=1)
    return Absence.objects.create(
        person=person, start=start, end=start + dt.timedelta(days=days), reason="年休假"
    )


# -- with the step, in its transaction -----------------------------------------------------------------------

committed = pytest.mark.django_db(transaction=True)  # see events/tests/test_concurrency.py


@committed
def test_a_dispatch_notifies_the_units_staff_in_the_same_transaction_as_the_step(world, erin):
    event = registered(world)

    with transaction.atomic():
        s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
        # Written with the step (bench/fault_test.py lost notices written after the commit): both commit or neither.
        assert Notification.objects.filter(verb="dispatch").exists()

    inbox = Notification.objects.get(verb="dispatch")
    assert inbox.recipient == world.dora and inbox.event_id == event.pk and str(event.number) in inbox.text
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["dora@example.com"]


@committed
def test_nothing_is_notified_when_the_change_rolls_back(world, erin):
    event = registered(world)

    with pytest.raises(RuntimeError), transaction.atomic():
        s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
        raise RuntimeError("a later step of the same request failed")

    assert not Notification.objects.exists() and not OutboxEmail.objects.exists()
    event.refresh_from_db()
    assert event.status == Status.REGISTERED and not Assignment.objects.filter(event=event).exists()


def test_a_notification_that_fails_fails_its_step_so_nothing_is_half_done(world, erin, monkeypatch):
    from grassroots.notifications import services as notifications

    def broken(*args, **kwargs):
        raise DatabaseError("inbox table is locked")

    monkeypatch.setattr(notifications, "route_to_present", broken)
    event = registered(world)

    with pytest.raises(DatabaseError):
        s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)

    event.refresh_from_db()
    assert event.status == Status.REGISTERED and not Assignment.objects.filter(event=event).exists()


# -- A/B posts (AB岗) --------------------------------------------------------------------------------------


def test_work_for_an_absent_person_goes_to_their_backup(world, erin, django_capture_on_commit_callbacks):
    away(world.dora)
    event = registered(world)

    with django_capture_on_commit_callbacks(execute=True):
        s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)

    assert list(Notification.objects.filter(verb="dispatch").values_list("recipient_id", flat=True)) == [
        erin.pk
    ]
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["erin@example.com"]


def test_once_the_absence_is_over_notifications_go_to_the_holder_again(world, erin):
    absence = away(world.dora, days=2)

    assert set(route_to_present([world.dora.pk], at=absence.end - dt.timedelta(minutes=1))) == {erin.pk}
    assert set(route_to_present([world.dora.pk], at=absence.end)) == {world.dora.pk}
    assert set(route_to_present([world.dora.pk], at=absence.start - dt.timedelta(minutes=1))) == {
        world.dora.pk
    }


def test_present_people_are_not_rerouted_and_a_backup_is_not_notified_twice(world, erin):
    away(world.dora)

    assert set(route_to_present([world.dora.pk, erin.pk, world.bob.pk])) == {erin.pk, world.bob.pk}
    assert notify(person_ids=[world.dora.pk, erin.pk], verb="test", text="测试") == 1


def test_someone_absent_without_a_backup_keeps_their_notifications(world):
    away(world.bob)

    assert set(route_to_present([world.bob.pk, world.carol.pk])) == {world.bob.pk, world.carol.pk}


def test_routing_reads_memos_and_sees_a_new_absence_and_address_at_once(
    world, erin, django_assert_num_queries
):
    people = [world.dora.pk, world.bob.pk]
    route_to_present(people)
    with django_assert_num_queries(0):
        assert route_to_present(people) == {world.dora.pk: world.dora.email, world.bob.pk: world.bob.email}

    away(world.dora)  # saving an absence or a person forgets the memos
    world.bob.email = "bob.new@example.com"
    world.bob.save(update_fields=["email"])

    assert route_to_present(people) == {erin.pk: erin.email, world.bob.pk: "bob.new@example.com"}


def test_an_absence_long_past_is_read_from_the_database(world, erin):
    absence = away(world.dora, days=2, start=timezone.now() - dt.timedelta(days=30))
    route_to_present([world.dora.pk])  # the memo holds absences from a day ago on

    assert set(route_to_present([world.dora.pk], at=absence.start + dt.timedelta(days=1))) == {erin.pk}
    assert set(route_to_present([world.dora.pk], at=absence.end)) == {world.dora.pk}


def test_a_backup_who_is_away_too_is_passed_over(world, erin):
    away(world.dora)
    away(erin)

    assert set(route_to_present([world.dora.pk])) == {world.dora.pk}


# -- the outbox ----------------------------------------------------------------------------------------------


def test_a_failing_mail_is_retried_with_growing_backoff_then_marked_failed(world, settings):
    settings.EMAIL_BACKEND = f"{HERE}.FailingBackend"
    outbox_add(to=["dora@example.com"], subject="新派遣任务", body="请签收")
    letter = OutboxEmail.objects.get()
    now = letter.next_attempt_at

    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert outbox_send_due(now=now - dt.timedelta(seconds=1)) == (0, 0), "tried before it was due"
        assert outbox_send_due(now=now) == (0, 1)
        letter.refresh_from_db()
        assert letter.attempts == attempt and "邮件服务器无响应" in letter.last_error
        if attempt < MAX_ATTEMPTS:
            assert letter.status == OutboxStatus.PENDING
            assert letter.next_attempt_at == now + dt.timedelta(minutes=2**attempt)  # 2, 4, 8, 16, 32 min
            now = letter.next_attempt_at

    assert letter.status == OutboxStatus.FAILED and letter.sent_at is None
    assert outbox_send_due(now=now + dt.timedelta(days=1)) == (0, 0), "a mail given up on is not retried"


def test_a_mail_that_failed_once_is_sent_on_the_retry_and_marked_sent(world, settings):
    outbox_add(to=["dora@example.com"], subject="新派遣任务", body="请签收")
    letter = OutboxEmail.objects.get()
    settings.EMAIL_BACKEND = f"{HERE}.FailingBackend"
    outbox_send_due(now=letter.next_attempt_at)
    letter.refresh_from_db()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert outbox_send_due(now=letter.next_attempt_at) == (1, 0)

    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (OutboxStatus.SENT, 2) and letter.sent_at is not None
    assert [(m.to, m.subject) for m in mail.outbox] == [(["dora@example.com"], "新派遣任务")]
    assert outbox_send_due(now=letter.next_attempt_at + dt.timedelta(days=1)) == (0, 0)


def test_a_sender_that_died_mid_send_leaves_the_mail_to_be_retried_later(world, settings):
    """The claim holds a mail for five minutes; a sender that crashed before recording the result is retried."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_add(to=["dora@example.com"], subject="s", body="b")
    letter = OutboxEmail.objects.get()
    claimed_at = letter.next_attempt_at
    OutboxEmail.objects.filter(pk=letter.pk).update(
        attempts=1, next_attempt_at=claimed_at + dt.timedelta(minutes=5)
    )  # what a claim writes; the sender then died

    assert outbox_send_due(now=claimed_at + dt.timedelta(minutes=4)) == (0, 0)
    assert outbox_send_due(now=claimed_at + dt.timedelta(minutes=5)) == (1, 0)


@pytest.mark.slow
@committed
def test_two_concurrent_outbox_senders_never_send_the_same_mail_twice(tmp_path):
    """Two `run_timers --once` processes drain one outbox at the same moment: every mail goes out exactly once."""
    count = 400
    log = tmp_path / "sent.log"
    log.touch()
    if connection.vendor == "postgresql":
        env = workers.env_for(workers.database_url(connection.settings_dict))
    else:  # the in-memory test database is out of other processes' reach: a database file of our own
        env = workers.sqlite_file_database(tmp_path / "outbox.sqlite3")
    env |= {"EMAIL_BACKEND": f"{HERE}.RecordingBackend", MAIL_LOG: str(log)}
    workers.python_in(
        "from grassroots.notifications.services import outbox_add\n"
        f"outbox_add(to=[f'p{{i}}@example.com' for i in range({count})], subject='通知', body='正文')",
        env=env,
    )

    senders = [workers.start("run_timers", "--once", env=env) for _ in range(2)]
    results = [workers.finish(p) for p in senders]

    for code, output in results:
        assert code == 0, output
    sent = log.read_text().split()
    assert len(sent) == count and len(set(sent)) == count, f"{len(sent)} sends for {len(set(sent))} mails"
    per_worker = [sum(int(n) for n in _numbers(output, "邮件发送")) for _, output in results]
    assert sum(per_worker) == count and all(per_worker), per_worker
    statuses = workers.python_in(
        "from django.db.models import Count\n"
        "from grassroots.notifications.models import OutboxEmail\n"
        "result = dict(OutboxEmail.objects.values_list('status').annotate(n=Count('id')))",
        env=env,
    )
    assert statuses == {"sent": count}


def _numbers(output: str, label: str) -> list[str]:
    return re.findall(rf"{label} (\d+)", output)


# -- the admin -----------------------------------------------------------------------------------------------


def test_the_admin_lists_the_inbox_and_outbox_and_resends_failed_mail_with_an_audit_row(world, client):
    root = Person.objects.create_superuser(
        username="root", password="Secret@2026", name="系统管理员", role=Role.SYSTEM_ADMIN
    )
    client.force_login(root)
    notify(person_ids=[world.bob.pk], verb="test", text="测试通知")
    outbox_add(to=["a@example.com", "b@example.com"], subject="s", body="b")
    failed, sent = OutboxEmail.objects.order_by("pk")
    OutboxEmail.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED, attempts=6, last_error="拒绝")
    OutboxEmail.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT, attempts=1)
    for page in [
        reverse("admin:notifications_notification_changelist"),
        reverse("admin:notifications_outboxemail_changelist"),
        reverse("admin:notifications_outboxemail_change", args=[failed.pk]),
    ]:
        assert client.get(page).status_code == 200, page
    assert client.get(reverse("admin:notifications_outboxemail_add")).status_code == 403

    response = client.post(
        reverse("admin:notifications_outboxemail_changelist"),
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
    )

    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (OutboxStatus.PENDING, 0, "")
    assert sent.status == OutboxStatus.SENT, "a sent mail is not sent again"
    assert AuditEntry.objects.get(action="outboxemail.retry").detail == {"ids": [failed.pk]}
