"""The clock scanner: warnings at 80% and overdue flags for the clocks of every workflow, as their times pass.

Each workflow registers what a warning and an overdue clock mean to it (`register_clock_handlers`, usually from
its AppConfig.ready). The scanner flips a clock's flag with a compare-and-set and runs the handler in the same
transaction, one transaction per clock: the handler runs exactly once, in the worker that won the row, and if
it fails the flag rolls back with it and the clock is tried again on the next tick. On PostgreSQL a worker first
takes the row with `FOR UPDATE SKIP LOCKED`, so it passes over a clock another worker is handling instead of
waiting for it; on SQLite, whose writers take turns anyway, the compare-and-set alone decides.

An overdue clock not yet warned is not warned first: it is flagged overdue (and warned) at once, so nobody gets
"due soon" after the due time, as the event loop's timer has always done.
"""

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.core.errors import DomainError

from .choices import ClockState
from .clocks import commit_clock
from .models import Clock

log = logging.getLogger(__name__)
# (clock, now): runs inside the transaction that flipped the flag; the clock shows the flags as set.
ClockHandler = Callable[[Clock, dt.datetime], object]
# Scans in a row that only skipped clocks before a catch-up gives up (another worker is doing the rest).
MAX_IDLE_SCANS = 3


@dataclass(frozen=True)
class ClockHandlers:
    on_warn: ClockHandler | None = None
    on_overdue: ClockHandler | None = None


_handlers: dict[str, ClockHandlers] = {}


def register_clock_handlers(
    workflow: str, *, on_warn: ClockHandler | None = None, on_overdue: ClockHandler | None = None
) -> None:
    """What the scanner calls for this workflow's clocks; registering again replaces the handlers.

    A clock of a workflow without handlers still has its flag set (its light is derived from the clock anyway).
    """
    _handlers[workflow] = ClockHandlers(on_warn=on_warn, on_overdue=on_overdue)


def unregister_clock_handlers(workflow: str) -> None:
    _handlers.pop(workflow, None)


# Jobs an app asks the timer worker to run on every tick beside the clocks (licence expiry reminders …): a label
# for the log and a callable returning how many things it did. Each must be safe to run from several workers.
_tick_jobs: dict[str, Callable[[], int]] = {}


def register_tick_job(label: str, job: Callable[[], int]) -> None:
    _tick_jobs[label] = job


def tick_jobs() -> list[tuple[str, Callable[[], int]]]:
    return list(_tick_jobs.items())


@dataclass
class ScanResult:
    warned: int = 0
    overdue: int = 0
    skipped: int = 0  # lost a race or no longer due: another worker or a person acted first
    failed: int = 0  # a handler's unexpected error (logged); the clock is tried again next tick

    @property
    def acted(self) -> int:
        return self.warned + self.overdue

    def add(self, other: "ScanResult") -> None:
        self.warned += other.warned
        self.overdue += other.overdue
        self.skipped += other.skipped
        self.failed += other.failed

    def __str__(self) -> str:
        text = f"时限预警 {self.warned}，时限超期 {self.overdue}，跳过 {self.skipped}"
        return text + (f"，出错 {self.failed}" if self.failed else "")


def clocks_scan(*, now: dt.datetime | None = None, batch: int = 500) -> ScanResult:
    """Flag what is due now (overdue first), up to `batch` clocks of each kind; one transaction per clock."""
    now = now or timezone.now()
    result = ScanResult()
    for clock in _spread(clocks_due(now=now, batch=batch)):
        if _flag(clock, now, result, overdue=True):
            result.overdue += 1
    for clock in _spread(clocks_to_warn(now=now, batch=batch)):
        if _flag(clock, now, result, overdue=False):
            result.warned += 1
    return result


def clocks_due(*, now: dt.datetime, batch: int) -> QuerySet[Clock]:
    """The scan's first half: running clocks past their due time not yet flagged, earliest first (the partial
    index on due_at serves it; bench/bench_timer_scan.py times it)."""
    running = Clock.objects.filter(state=ClockState.RUNNING)
    return running.filter(overdue=False, due_at__lte=now).order_by("due_at")[:batch]


def clocks_to_warn(*, now: dt.datetime, batch: int) -> QuerySet[Clock]:
    """The second half: clocks past their warning time, not yet warned nor due (due_at > now leaves the overdue
    ones to the next scan's first half); the partial index on warn_at serves it."""
    running = Clock.objects.filter(state=ClockState.RUNNING)
    return running.filter(warned=False, warn_at__lte=now, due_at__gt=now).order_by("warn_at")[:batch]


def clocks_catch_up(*, now: dt.datetime | None = None, batch: int = 500) -> ScanResult:
    """Scan until nothing is due. A scan that only lost races does not mean the work is done (another worker
    may still hold the rest), so skipping goes on a few scans more; a clock that keeps failing cannot keep the
    loop alive for ever."""
    total = ScanResult()
    idle = 0
    while True:
        step = clocks_scan(now=now, batch=batch)
        total.add(step)
        if step.acted:
            idle = 0
            continue
        idle += 1
        if step.skipped + step.failed == 0 or idle >= MAX_IDLE_SCANS:
            return total


def _spread(clocks: Iterable[Clock]) -> list[Clock]:
    """The batch in this worker's own random order: workers walking the same order would mostly meet on the
    same rows; in different orders they mostly take different clocks."""
    batch = list(clocks)
    random.shuffle(batch)
    return batch


def _flag(clock: Clock, now: dt.datetime, result: ScanResult, *, overdue: bool) -> bool:
    """Set the flag and run the handler in one transaction; False if this worker did not commit it.

    A database error stops the scan (the worker retries the tick); any other error from a handler is logged and
    skips only this clock, so one bad record cannot stall every deadline behind it.
    """
    try:
        with transaction.atomic():
            if not _claim(clock):
                result.skipped += 1
                return False
            if overdue:
                commit_clock(clock, overdue=True, warned=True)
            else:
                commit_clock(clock, warned=True)
            handlers = _handlers.get(clock.workflow, ClockHandlers())
            handler = handlers.on_overdue if overdue else handlers.on_warn
            if handler is not None:
                handler(clock, now)
            return True
    except DomainError as exc:
        log.debug("clock scan skipped clock %s: %s", clock.pk, exc)
        result.skipped += 1
    except DatabaseError:
        raise
    except Exception:
        log.exception("clock handler failed on clock %s (%s)", clock.pk, clock.workflow)
        result.failed += 1
    return False


def _claim(clock: Clock) -> bool:
    """Lock the row as read, unless another worker holds it (PostgreSQL); elsewhere compare-and-set decides."""
    if not connection.features.has_select_for_update_skip_locked:
        return True
    rows = Clock.objects.select_for_update(skip_locked=True).filter(pk=clock.pk, version=clock.version)
    return bool(list(rows.values_list("pk", flat=True)))
