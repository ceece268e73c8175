"""The timer: warnings at 80% of a limit, overdue flags, and escalation on timeout, as deadlines pass.

Safe with several workers at once and after any downtime: every effect is a compare-and-set step on the
event (`commit_step`), so of two workers racing for the same event exactly one acts and the other skips.
"""

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import DatabaseError, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.notifications.services import notify_after_commit

from ..choices import (
    CLOCKED_STATUSES,
    IN_HAND_STATUSES,
    Level,
    Mode,
    SupervisionKind,
    SupervisionReason,
)
from ..clock import on_grid_clock
from ..models import Event
from ..routing import task_staff_ids
from .core import commit_step
from .escalation import escalate_up, event_supervise, open_supervision_kinds

log = logging.getLogger(__name__)
# Statuses whose stage clock the timer watches (CHECKED waits for the callback, EVALUATED for closing).
CLOCKED = CLOCKED_STATUSES
# Ticks in a row that only skipped events before a catch-up gives up (see `timers_catch_up`).
MAX_IDLE_TICKS = 3
T = TypeVar("T")


@dataclass
class TickResult:
    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    skipped: int = 0  # lost a race or no longer due: another worker or a person acted first
    failed: int = 0  # an unexpected error on one event (logged); the others go on

    @property
    def acted(self) -> int:
        return self.warned + self.overdue + self.escalated

    def add(self, other: "TickResult") -> None:
        self.warned += other.warned
        self.overdue += other.overdue
        self.escalated += other.escalated
        self.skipped += other.skipped
        self.failed += other.failed

    def __str__(self) -> str:
        text = f"预警 {self.warned}，超期 {self.overdue}，升级 {self.escalated}，跳过 {self.skipped}"
        return text + (f"，出错 {self.failed}" if self.failed else "")


def _warn(event: Event, now: dt.datetime) -> str:
    commit_step(event, actor=None, action="warn", note="已用时限 80%（黄灯）", now=now, warned=True)
    people = task_staff_ids([event.holder_unit_id]) if event.holder_unit_id else set()
    if on_grid_clock(event) and event.reporter_id is not None:
        people.add(event.reporter_id)  # the grid worker, who may still fix it on the spot
    if event.mode == Mode.SUPERVISED and event.leader_id is not None:
        people.add(event.leader_id)  # 督办: the owning leader is reminded too
    if people:
        notify_after_commit(
            person_ids=people,
            verb="warn",
            text=f"事件 {event.number} 即将到期（{timezone.localtime(event.deadline):%m-%d %H:%M}）",
            event_id=event.pk,
        )
    return "warned"


def _overdue(event: Event, now: dt.datetime) -> str:
    """Escalate an in-hand event whose type says so (or a grid worker's report left past the level-1 limit), else
    flag it (and urge the unit holding it)."""
    in_hand = event.status in IN_HAND_STATUSES
    if (
        (in_hand or on_grid_clock(event))
        and event.event_type.escalate_on_timeout
        and event.level < Level.DISTRICT
    ):
        # The new level's clock starts now (and clears the overdue flag): no separate overdue row.
        escalate_up(event, actor=None, reason="超时未办结，自动升级", action="escalate", now=now)
        return "escalated"
    commit_step(
        event, actor=None, action="overdue", note="已超过时限（红灯）", now=now, overdue=True, warned=True
    )
    # An urge still open from an earlier overdue stage (the event escalated or was sent on since) stands:
    # a second one would be refused, and would only repeat its notice to the same unit.
    if in_hand and SupervisionKind.URGE not in open_supervision_kinds(event):
        event_supervise(
            actor=None,
            event=event,
            kind=SupervisionKind.URGE,
            reason=SupervisionReason.OVERDUE,
            note="超期自动催办",
            now=now,
        )
    return "overdue"


def timers_tick(*, now: dt.datetime | None = None, batch: int = 500) -> TickResult:
    """Apply what is due now; one transaction per event, so a failure or a lost race affects only that event."""
    now = now or timezone.now()
    result = TickResult()
    for event in _spread(events_due(now=now, batch=batch)):
        outcome = _one(event, result, lambda e: _overdue(e, now))
        if outcome == "escalated":
            result.escalated += 1
        elif outcome == "overdue":
            result.overdue += 1
    for event in _spread(events_to_warn(now=now, batch=batch)):
        if _one(event, result, lambda e: _warn(e, now)) is not None:
            result.warned += 1
    return result


def _clocked() -> RawSQL:
    """`status IN` the clocked statuses, written as literals (they are our own constants): SQLite matches a
    partial index's condition against a literal IN list only, never against bound parameters."""
    statuses = ", ".join(f"'{status}'" for status in CLOCKED)
    return RawSQL(f'"events_event"."status" IN ({statuses})', (), output_field=BooleanField())


def events_due(*, now: dt.datetime, batch: int) -> QuerySet[Event]:
    """Events in a clocked stage past their deadline, not yet flagged overdue, earliest first (served by the
    partial index `event_timer_due_idx`, which holds only these candidates)."""
    due = Event.objects.filter(_clocked(), deadline__lte=now, overdue=False)
    return due.select_related("event_type").order_by("deadline")[:batch]


def events_to_warn(*, now: dt.datetime, batch: int) -> QuerySet[Event]:
    """Events in a clocked stage past their warning time, not yet warned nor due (`event_timer_warn_idx`)."""
    warn = Event.objects.filter(_clocked(), warn_at__lte=now, deadline__gt=now, warned=False)
    return warn.select_related("event_type").order_by("warn_at")[:batch]


def _spread(events: Iterable[Event]) -> list[Event]:
    """The batch in this worker's own random order. Workers that walked the same order would queue behind each
    other's row locks, each mostly losing races; in different orders they mostly take different events."""
    batch = list(events)
    random.shuffle(batch)
    return batch


def _one(event: Event, result: TickResult, act: Callable[[Event], T]) -> T | None:
    """Act on one event in its own transaction; None if it did not commit.

    A database error stops the tick (the worker retries it); any other error is logged and skips only this
    event, so one bad record cannot stall every deadline behind it.
    """
    try:
        with transaction.atomic():
            return act(event)
    except DomainError as exc:
        log.debug("timer skipped event %s: %s", event.pk, exc)
        result.skipped += 1
    except DatabaseError:
        raise
    except Exception:
        log.exception("timer failed on event %s", event.pk)
        result.failed += 1
    return None


def timers_catch_up(*, now: dt.datetime | None = None, batch: int = 500) -> TickResult:
    """Tick until nothing is due (after downtime there may be more than one batch).

    A tick that only lost races (another worker took its whole batch) does not mean the work is done, so
    skipping goes on a few ticks more; an event that keeps failing cannot keep the loop alive for ever.
    """
    total = TickResult()
    idle_ticks = 0
    while True:
        step = timers_tick(now=now, batch=batch)
        total.add(step)
        if step.acted:
            idle_ticks = 0
            continue
        idle_ticks += 1
        if step.skipped + step.failed == 0 or idle_ticks >= MAX_IDLE_TICKS:
            return total
