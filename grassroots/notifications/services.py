"""Notifications: written with the change, in its transaction, to the inbox and (where there is an address) the outbox.

Work addressed to someone who is away goes to their backup (AB岗).
"""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.refcache import reference_cached
from grassroots.org.models import Absence, BackupPost
from grassroots.people.actors import Actor
from grassroots.people.models import Person

from .models import Notification, OutboxEmail, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def route_to_present(person_ids: Iterable[int], *, at: dt.datetime | None = None) -> dict[int, str]:
    """The same people, except that anyone absent now is replaced by their backup(s) who are present; each with
    their email address ("" for none). Read from per-process memos of addresses and absences, so a step's
    notification costs no query unless someone is away (then one, for the backups).

    Someone absent with no present backup keeps their messages: they read them on return, nothing is lost.
    """
    at = at or timezone.now()
    ids = frozenset(person_ids)
    if not ids:
        return {}
    addresses = _addresses(ids)
    away = _away(addresses.keys(), at)
    routed = {pk: address for pk, address in addresses.items() if pk not in away}
    if not away:
        return routed
    backups: dict[int, dict[int, str]] = {}
    posts = BackupPost.objects.filter(holder_id__in=away, backup__is_active=True)
    for holder_id, backup_id, address in posts.values_list("holder_id", "backup_id", "backup__email"):
        backups.setdefault(holder_id, {})[backup_id] = address
    absent_backups = _away({pk for of_holder in backups.values() for pk in of_holder}, at)
    for person_id in away:
        present = {pk: a for pk, a in backups.get(person_id, {}).items() if pk not in absent_backups}
        routed.update(present or {person_id: addresses[person_id]})
    return routed


@reference_cached(Person)
def _addresses(ids: frozenset[int]) -> dict[int, str]:
    """Who of these people exists, with their email address."""
    return dict(Person.objects.filter(pk__in=ids).values_list("pk", "email"))


# Absences are memoised from a day before the moment of loading: an older moment is asked of the database.
_ABSENCE_LOOKBACK = dt.timedelta(days=1)


@reference_cached(Absence)
def _absences() -> tuple[dt.datetime, dict[int, list[tuple[dt.datetime, dt.datetime]]]]:
    since = timezone.now() - _ABSENCE_LOOKBACK
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for person_id, start, end in Absence.objects.filter(end__gt=since).values_list(
        "person_id", "start", "end"
    ):
        spans.setdefault(person_id, []).append((start, end))
    return since, spans


def _away(person_ids: Iterable[int], at: dt.datetime) -> set[int]:
    """Which of these people are absent at `at`."""
    person_ids = set(person_ids)
    since, spans = _absences()
    if at < since:
        return set(
            Absence.objects.filter(person_id__in=person_ids, start__lte=at, end__gt=at).values_list(
                "person_id", flat=True
            )
        )
    return {pk for pk in person_ids if any(start <= at < end for start, end in spans.get(pk, ()))}


@reference_cached(Person)
def _staff_of(unit_ids: tuple[int, ...], except_roles: tuple[str, ...]) -> frozenset[int]:
    return frozenset(
        Person.objects.filter(unit_id__in=unit_ids, is_active=True)
        .filter(~Q(password__startswith="!"))
        .exclude(role__in=except_roles)
        .values_list("pk", flat=True)
    )


def unit_staff_ids(unit_ids: Iterable[int], *, except_roles: Iterable[str] = ()) -> set[int]:
    """The active staff with a login in these units, but for `except_roles` (memoised per process: staff
    lists change rarely)."""
    return set(_staff_of(tuple(sorted(set(unit_ids))), tuple(sorted(except_roles))))


def notify(
    *, person_ids: Iterable[int], verb: str, text: str, event_id: int | None = None, email: bool = True
) -> int:
    """Write inbox rows (and outbox emails) now. Call it from `notify_after_commit` inside transactions.

    A notice of the same kind about the same event that a recipient has not read yet is brought up to date
    (text, time, one more in its count) instead of added again, so the inbox keeps one line per event and kind;
    its email is not sent again within `EMAIL_QUIET` of the previous one.
    """
    recipients = route_to_present(person_ids)
    if not recipients:
        return 0
    now = timezone.now()
    with transaction.atomic():  # the inbox rows and their emails together (and one commit, not two)
        last_told = _repeat_unread(recipients, verb=verb, text=text, event_id=event_id, now=now)
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=pid, verb=verb, text=text[:300], event_id=event_id)
                for pid in recipients
                if pid not in last_told
            ]
        )
        if email:
            quiet = {pid for pid, at in last_told.items() if now - at < EMAIL_QUIET}
            addresses = [address for pid, address in recipients.items() if pid not in quiet]
            outbox_add(to=addresses, subject=text[:200], body=text)
    return len(recipients)


# A repeated notice within this time after the last one is not emailed again (it is still counted in the inbox).
EMAIL_QUIET = dt.timedelta(hours=1)


def _repeat_unread(
    recipients: Iterable[int], *, verb: str, text: str, event_id: int | None, now: dt.datetime
) -> dict[int, dt.datetime]:
    """Count a repeat on each recipient's unread notice of this kind about this event; for each recipient who
    had one, when it was last brought to them."""
    if event_id is None:
        return {}
    rows = (
        Notification.objects.filter(
            recipient_id__in=list(recipients), event_id=event_id, verb=verb, read_at__isnull=True
        )
        .order_by("recipient_id", "-created_at", "-id")
        .select_for_update()  # two notices at once both count (PostgreSQL; SQLite writes one at a time)
        .values_list("pk", "recipient_id", "created_at")
    )
    latest: dict[int, tuple[int, dt.datetime]] = {}
    for pk, recipient_id, created_at in rows:
        latest.setdefault(recipient_id, (pk, created_at))
    if latest:
        Notification.objects.filter(pk__in=[pk for pk, _ in latest.values()]).update(
            text=text[:300], created_at=now, repeats=F("repeats") + 1
        )
    return {recipient_id: at for recipient_id, (_, at) in latest.items()}


def notify_after_commit(**kwargs: Any) -> None:
    """Notify in the caller's transaction: the inbox rows and outbox emails become visible when the step commits, and
    only then (a rolled-back step notifies nobody; emails leave later, from the outbox).

    Written inside the step's transaction, not after it: a notice written after the commit was lost whenever the
    process died or the database went away in between (the fault test saw escalation notices lost across a database
    restart). Now a failed notice fails its step, which the caller (a client, the timer's next tick) tries again.
    """
    notify(**kwargs)


def outbox_add(*, to: Iterable[str], subject: str, body: str) -> None:
    now = timezone.now()
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(to=address, subject=subject, body=body, next_attempt_at=now)
            for address in to
            if address
        ]
    )


def outbox_send_due(*, limit: int = 100, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send due emails; a failure is retried with exponential backoff, then marked failed. Returns (sent, failed)."""
    sent = failed = 0
    now = now or timezone.now()
    due = list(
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("id")[
            :limit
        ]
    )
    for mail in due:
        # Claim the row (compare-and-set on attempts) so two workers never send the same mail.
        claimed = OutboxEmail.objects.filter(
            pk=mail.pk, status=OutboxStatus.PENDING, attempts=mail.attempts
        ).update(attempts=mail.attempts + 1, next_attempt_at=now + dt.timedelta(minutes=5))
        if not claimed:
            continue
        attempts = mail.attempts + 1
        try:
            send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
        except Exception as exc:  # any backend failure: keep the mail and try again later
            log.warning("email to %s failed (attempt %s): %s", mail.to, attempts, exc)
            give_up = attempts >= MAX_ATTEMPTS
            OutboxEmail.objects.filter(pk=mail.pk).update(
                status=OutboxStatus.FAILED if give_up else OutboxStatus.PENDING,
                next_attempt_at=now + dt.timedelta(minutes=2**attempts),
                last_error=str(exc)[:1000],
            )
            failed += 1
            continue
        OutboxEmail.objects.filter(pk=mail.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
        sent += 1
    return sent, failed


def unread_count(person: Any) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def notifications_mark_read(*, person: Any, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def outbox_retry(*, actor: Actor, ids: Iterable[int]) -> int:
    """Send failed or waiting mails again at the next tick (after the mail server is fixed), with fresh attempts."""
    with transaction.atomic():
        mails = OutboxEmail.objects.filter(pk__in=list(ids)).exclude(status=OutboxStatus.SENT)
        retried = sorted(mails.values_list("pk", flat=True))
        mails.update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
        if retried:
            audit_record(
                actor=actor,
                action="outboxemail.retry",
                object_type="notifications.outboxemail",
                detail={"ids": retried},
            )
    return len(retried)
