"""Clock services: start, pause, resume, extend and stop a time limit; read its light and the time left.

A clock keeps its budget, what was consumed before the current run, and since when it runs; every change is a
compare-and-set on (pk, version, state), so pausing and extending are exact and a lost race is a `Conflict`
("stale_clock"). The due time is derived: after a resume it is the resume moment plus the remaining budget in
the clock's unit (working time skips nights, weekends and holidays). These functions write no history or audit
row: the engine does, in the same transaction, from the `ClockChange` each returns.

Counting (DOMAIN.md §7): for natural days the start day is not counted (the first run counts from the midnight
after the start) and a period ending on a rest day ends at 24:00 of the next working day. Working time counts
from the moment, as the event loop's limits always have, unless `from_next_day=True` asks for the legal reading.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit, StatusLight

from .choices import ClockState, PauseKind
from .clock_counting import (
    Amount,
    derived_times,
    measure,
    next_midnight,
    same_measure,
    to_seconds,
    warn_threshold,
)
from .models import Clock, ClockExtension, ClockPause


@dataclass(frozen=True)
class ClockChange:
    """What a service changed, for the caller's history row (`data` is ready for a JSONField)."""

    action: str  # start, pause, resume, extend, stop
    clock: Clock
    at: dt.datetime
    data: dict[str, Any]


# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_limit_positive(seconds: int, *, code: str = "limit_not_positive") -> None:
    if seconds <= 0:
        raise InvalidInput("时限必须大于零", code=code)


def guard_promise_within_statutory(*, statutory: int, promised: int | None) -> None:
    if promised is not None and promised > statutory:
        raise InvalidInput("承诺时限不得长于法定时限", code="promise_exceeds_statutory")


def guard_not_stopped(clock: Clock) -> None:
    if clock.state == ClockState.STOPPED:
        raise Conflict("时限已停止", code="clock_stopped")


def guard_can_pause(clock: Clock) -> None:
    guard_not_stopped(clock)
    if clock.state == ClockState.PAUSED:
        raise Conflict("时限已暂停，不能重复暂停", code="clock_already_paused")


def guard_can_resume(clock: Clock) -> None:
    guard_not_stopped(clock)
    if clock.state != ClockState.PAUSED:
        raise Conflict("时限未暂停，无需恢复", code="clock_not_paused")


def guard_same_measure(clock_unit: str, unit: str) -> None:
    if not same_measure(clock_unit, unit):
        raise InvalidInput("延长的单位与时限的计时方式不同", code="extension_unit_mismatch")


def _whole_second(now: dt.datetime | None) -> dt.datetime:
    # The calendar counts whole seconds; so does the ledger, so that sums of runs add up exactly.
    return (now or timezone.now()).replace(microsecond=0)


# -- readers ------------------------------------------------------------------------------------------------


def clock_consumed(clock: Clock, now: dt.datetime) -> int:
    """Seconds of the unit's measure used up so far; paused time does not count."""
    if clock.state != ClockState.RUNNING or clock.running_since is None:
        return clock.consumed_seconds
    return clock.consumed_seconds + measure(get_calendar(), clock.unit, clock.running_since, now)


def clock_remaining(clock: Clock, now: dt.datetime) -> int:
    """Seconds of the budget left (negative once it is used up): consumed + remaining = budget."""
    return clock.budget_seconds - clock_consumed(clock, now)


def clock_is_late(clock: Clock, now: dt.datetime) -> bool:
    """Past its due time: for a running clock by the wall clock (so a limit due on Friday 17:30 is late on
    Saturday), for a paused one when its budget is used up, for a stopped one as it was when it stopped."""
    if clock.state == ClockState.RUNNING:
        return clock.due_at is not None and clock.due_at <= now
    if clock.state == ClockState.PAUSED:
        return clock.consumed_seconds >= clock.budget_seconds
    return clock.overdue


def clock_light(clock: Clock, now: dt.datetime) -> StatusLight:
    """Green up to 80% of the budget consumed, yellow until the due time, red after it (DOMAIN.md §6)."""
    if clock_is_late(clock, now):
        return StatusLight.RED
    if clock_consumed(clock, now) * 5 > clock.budget_seconds * 4:
        return StatusLight.YELLOW
    return StatusLight.GREEN


# -- services -----------------------------------------------------------------------------------------------


def commit_clock(clock: Clock, **fields: Any) -> None:
    """Write `fields` if nobody changed the clock since it was loaded (same version and state)."""
    matched = Clock.objects.filter(pk=clock.pk, version=clock.version, state=clock.state).update(
        version=F("version") + 1, **fields
    )
    if matched != 1:
        raise Conflict("时限已被他人改变，请刷新后重试", code="stale_clock", details={"clock": clock.pk})
    clock.version += 1
    for name, value in fields.items():
        setattr(clock, name, value)


@transaction.atomic
def clock_start(
    *,
    workflow: str,
    object_id: int,
    name: str,
    unit: LimitUnit,
    statutory: Amount,
    promised: Amount | None = None,
    limit_source: str,
    from_next_day: bool | None = None,
    now: dt.datetime | None = None,
) -> ClockChange:
    """Start a clock against the promised limit if there is one, else the statutory one.

    `limit_source` says where the limit came from (catalogue entry and version, statutory or promised); the
    start's history row names it. `from_next_day` leaves the start day out (default: for natural days only).
    """
    now = _whole_second(now)
    calendar = get_calendar()
    statutory_seconds = to_seconds(statutory, unit, calendar=calendar)
    promised_seconds = None if promised is None else to_seconds(promised, unit, calendar=calendar)
    guard_limit_positive(statutory_seconds)
    if promised_seconds is not None:
        guard_limit_positive(promised_seconds)
    guard_promise_within_statutory(statutory=statutory_seconds, promised=promised_seconds)
    if from_next_day is None:
        from_next_day = unit == LimitUnit.NATURAL_DAYS
    budget = promised_seconds or statutory_seconds
    since = next_midnight(now) if from_next_day else now
    clock = Clock(
        workflow=workflow,
        object_id=object_id,
        name=name,
        unit=unit,
        statutory_seconds=statutory_seconds,
        promised_seconds=promised_seconds,
        budget_seconds=budget,
        running_since=since,
        limit_source=limit_source,
        started_at=now,
    )
    clock.warn_at, clock.due_at = derived_times(calendar, unit=unit, since=since, consumed=0, budget=budget)
    try:
        with transaction.atomic():
            clock.save()
    except IntegrityError:
        raise Conflict("该对象的同名时限正在计时", code="clock_exists", details={"name": name}) from None
    data = {
        "clock": name,
        "unit": unit,
        "statutory_seconds": statutory_seconds,
        "promised_seconds": promised_seconds,
        "budget_seconds": clock.budget_seconds,
        "limit_source": limit_source,
        "counts_from": since.isoformat(),
        "due_at": clock.due_at.isoformat(),
    }
    return ClockChange("start", clock, now, data)


@transaction.atomic
def clock_pause(
    *, clock: Clock, kind: PauseKind, reason: str = "", actor: Person | None, now: dt.datetime | None = None
) -> ClockChange:
    """Pause a running clock (a suspension opens in its ledger); its time stops counting now."""
    now = _whole_second(now)
    guard_can_pause(clock)
    assert clock.running_since is not None
    consumed = clock.consumed_seconds + measure(get_calendar(), clock.unit, clock.running_since, now)
    commit_clock(
        clock,
        state=ClockState.PAUSED,
        consumed_seconds=consumed,
        running_since=None,
        warn_at=None,
        due_at=None,
    )
    pause = ClockPause.objects.create(clock=clock, kind=kind, reason=reason, started_at=now, actor=actor)
    data = {
        "clock": clock.name,
        "kind": kind,
        "reason": reason,
        "consumed_seconds": consumed,
        "pause": pause.pk,
    }
    return ClockChange("pause", clock, now, data)


@transaction.atomic
def clock_resume(*, clock: Clock, actor: Person | None, now: dt.datetime | None = None) -> ClockChange:
    """Resume a paused clock: due = now + the remaining budget in the clock's unit."""
    now = _whole_second(now)
    guard_can_resume(clock)
    warn_at, due_at = derived_times(
        get_calendar(),
        unit=clock.unit,
        since=now,
        consumed=clock.consumed_seconds,
        budget=clock.budget_seconds,
    )
    commit_clock(clock, state=ClockState.RUNNING, running_since=now, warn_at=warn_at, due_at=due_at)
    pause = ClockPause.objects.select_for_update().get(clock=clock, ended_at__isnull=True)
    pause.ended_at, pause.resumed_by = now, actor
    pause.save(update_fields=["ended_at", "resumed_by"])
    data = {
        "clock": clock.name,
        "kind": pause.kind,
        "paused_seconds": int((now - pause.started_at).total_seconds()),
        "remaining_seconds": clock.budget_seconds - clock.consumed_seconds,
        "due_at": due_at.isoformat(),
    }
    return ClockChange("resume", clock, now, data)


@transaction.atomic
def clock_extend(
    *,
    clock: Clock,
    amount: Amount,
    unit: LimitUnit,
    reason: str,
    requested_by: Person | None,
    approved_by: Person | None,
    now: dt.datetime | None = None,
) -> ClockChange:
    """Add an approved extension to a running or paused clock. A warning or overdue flag the new budget no
    longer justifies is cleared, so that the scanner gives it again when the time comes."""
    now = _whole_second(now)
    guard_not_stopped(clock)
    guard_same_measure(clock.unit, unit)
    calendar = get_calendar()
    seconds = to_seconds(amount, unit, calendar=calendar)
    guard_limit_positive(seconds, code="extension_not_positive")
    budget = clock.budget_seconds + seconds
    fields: dict[str, Any] = {"budget_seconds": budget, "extended_seconds": clock.extended_seconds + seconds}
    if clock.state == ClockState.RUNNING:
        assert clock.running_since is not None
        warn_at, due_at = derived_times(
            calendar,
            unit=clock.unit,
            since=clock.running_since,
            consumed=clock.consumed_seconds,
            budget=budget,
        )
        fields.update(warn_at=warn_at, due_at=due_at, warned=clock.warned and warn_at <= now)
        fields["overdue"] = clock.overdue and due_at <= now
    else:
        consumed = clock.consumed_seconds
        fields["warned"] = clock.warned and consumed >= warn_threshold(budget)
        fields["overdue"] = clock.overdue and consumed >= budget
    commit_clock(clock, **fields)
    ClockExtension.objects.create(
        clock=clock,
        amount=Decimal(amount),
        unit=unit,
        seconds=seconds,
        reason=reason,
        requested_by=requested_by,
        approved_by=approved_by,
        at=now,
    )
    data = {"clock": clock.name, "amount": str(amount), "unit": unit, "seconds": seconds, "reason": reason}
    data["due_at"] = clock.due_at.isoformat() if clock.due_at else None
    return ClockChange("extend", clock, now, data)


@transaction.atomic
def clock_stop(
    *, clock: Clock, result: str = "", actor: Person | None, now: dt.datetime | None = None
) -> ClockChange:
    """Stop a clock for good, with the stage's result; an open suspension ends with it.

    `overdue` becomes the final word on whether it was late; `due_at` keeps the due time it last ran against.
    """
    now = _whole_second(now)
    guard_not_stopped(clock)
    late = clock_is_late(clock, now)
    consumed = clock_consumed(clock, now)
    commit_clock(
        clock,
        state=ClockState.STOPPED,
        consumed_seconds=consumed,
        running_since=None,
        warn_at=None,
        overdue=clock.overdue or late,
        stopped_at=now,
        result=result,
    )
    ClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=now, resumed_by=actor)
    data = {
        "clock": clock.name,
        "result": result,
        "consumed_seconds": consumed,
        "budget_seconds": clock.budget_seconds,
        "late": clock.overdue,
    }
    return ClockChange("stop", clock, now, data)
