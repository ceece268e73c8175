"""The timer: warnings at 80% of a limit, overdue flags, and escalation on timeout, as deadlines pass.

Safe with several workers at once and after any downtime: every effect is a compare-and-set step on the
event (`commit_step`), so of two workers racing for the same event exactly one acts and the other skips.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.notifications.services import notify_after_commit, unit_staff_ids

from ..choices import IN_HAND_STATUSES, OPEN_STATUSES, Level, SupervisionKind, SupervisionReason
from ..models import Event
from .core import commit_step
from .escalation import escalate_up, event_supervise

log = logging.getLogger(__name__)
# Statuses whose stage clock the timer watches (CHECKED waits for the callback, EVALUATED for closing).
CLOCKED = sorted(OPEN_STATUSES)


@dataclass
class TickResult:
    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"预警 {self.warned}，超期 {self.overdue}，升级 {self.escalated}，跳过 {self.skipped}"


def _warn(event: Event, now: dt.datetime) -> None:
    commit_step(event, actor=None, action="warn", note="已用时限 80%（黄灯）", now=now, warned=True)
    if event.holder_unit_id:
        notify_after_commit(
            person_ids=unit_staff_ids([event.holder_unit_id]),
            verb="warn",
            text=f"事件 {event.number} 即将到期（{timezone.localtime(event.deadline):%m-%d %H:%M}）",
            event_id=event.pk,
        )


def _overdue(event: Event, now: dt.datetime, result: TickResult) -> None:
    in_hand = event.status in IN_HAND_STATUSES
    if in_hand and event.event_type.escalate_on_timeout and event.level < Level.DISTRICT:
        escalate_up(
            event, actor=None, reason="超时未办结，自动升级", action="escalate", extra={"overdue": False}
        )
        result.escalated += 1
        return
    commit_step(
        event, actor=None, action="overdue", note="已超过时限（红灯）", now=now, overdue=True, warned=True
    )
    if in_hand:
        event_supervise(
            actor=None,
            event=event,
            kind=SupervisionKind.URGE,
            reason=SupervisionReason.OVERDUE,
            note="超期自动催办",
            now=now,
        )
    result.overdue += 1


def timers_tick(*, now: dt.datetime | None = None, batch: int = 500) -> TickResult:
    """Apply what is due now; one transaction per event, so a failure or a lost race affects only that event."""
    now = now or timezone.now()
    result = TickResult()
    due = (
        Event.objects.filter(status__in=CLOCKED, deadline__lte=now, overdue=False)
        .select_related("event_type")
        .order_by("deadline")[:batch]
    )
    for event in due:
        try:
            with transaction.atomic():
                _overdue(event, now, result)
        except DomainError as exc:
            log.debug("timer skipped event %s: %s", event.pk, exc)
            result.skipped += 1
    warn = (
        Event.objects.filter(status__in=CLOCKED, warn_at__lte=now, deadline__gt=now, warned=False)
        .select_related("event_type")
        .order_by("warn_at")[:batch]
    )
    for event in warn:
        try:
            with transaction.atomic():
                _warn(event, now)
                result.warned += 1
        except DomainError:
            result.skipped += 1
    return result


def timers_catch_up(*, now: dt.datetime | None = None, batch: int = 500) -> TickResult:
    """Tick until nothing is due (after downtime there may be more than one batch)."""
    total = TickResult()
    while True:
        step = timers_tick(now=now, batch=batch)
        total.warned += step.warned
        total.overdue += step.overdue
        total.escalated += step.escalated
        total.skipped += step.skipped
        if step.warned + step.overdue + step.escalated == 0:
            return total
