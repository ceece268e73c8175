"""Deadlines of the loop's clocks, computed with the working-day calendar when a clock starts."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit

from .choices import Level, Status
from .models import Event, EventType, TimeLimit

# When a type has no limit for a level: Shangyu's 1 to 7 working days, grid to district.
DEFAULT_LIMITS = {1: Decimal(1), 2: Decimal(3), 3: Decimal(5), 4: Decimal(7)}
TRIAGE_HOURS = 2  # the command room registers or dispatches a waiting event within this many working hours
CALLBACK_HOURS = 8  # after a passed check, the reporter is called back within this many working hours
CLOSE_ALLOWANCE_DAYS = 1  # after the handling deadline: time for the check and the callback
WARN_FRACTION = 0.8  # yellow light at 80% of the limit


@dataclass(frozen=True)
class Clock:
    started: dt.datetime
    warn_at: dt.datetime
    deadline: dt.datetime


def limit_for(event_type: EventType, level: int) -> tuple[Decimal, str]:
    """The handling limit at `level`: the type's row for it, else the type's own limit (the promise if
    there is one), else the default 1/3/5/7 working days."""
    for limit in _limits(event_type):
        if limit.level == level:
            return limit.amount, limit.unit
    own = event_type.promised_limit or event_type.statutory_limit
    if own is not None:
        return own, event_type.limit_unit
    return DEFAULT_LIMITS[level], LimitUnit.WORKING_DAYS


def _limits(event_type: EventType) -> list[TimeLimit]:
    cached = getattr(event_type, "_prefetched_objects_cache", {}).get("limits")
    if cached is not None:
        return list(cached)
    return list(event_type.limits.all())


def start_clock(started: dt.datetime, amount: Decimal | float, unit: str) -> Clock:
    calendar = get_calendar()
    unit = LimitUnit(unit)
    deadline = calendar.add(started, float(amount), unit=unit)
    if unit == LimitUnit.NATURAL_DAYS:
        warn_at = started + (deadline - started) * WARN_FRACTION
    else:
        total = calendar.working_seconds_between(started, deadline)
        warn_at = calendar.add_working_seconds(started, int(total * WARN_FRACTION))
    return Clock(started=started, warn_at=warn_at, deadline=deadline)


def handling_clock(event_type: EventType, level: int, started: dt.datetime) -> Clock:
    amount, unit = limit_for(event_type, level)
    return start_clock(started, amount, unit)


def on_grid_clock(event: Event) -> bool:
    """A grid worker's own report of a type they may fix on the spot, still waiting at level 1: the level-1 limit
    runs for it (not the command room's triage clock), and when it runs out the event escalates to the village."""
    return (
        event.status == Status.REPORTED
        and event.level == Level.GRID
        and event.reporter_id is not None
        and event.event_type.self_fixable
    )


def hours_clock(started: dt.datetime, hours: float) -> Clock:
    return start_clock(started, hours, LimitUnit.WORKING_HOURS)


def close_due(handling_deadline: dt.datetime) -> dt.datetime:
    return get_calendar().add(handling_deadline, CLOSE_ALLOWANCE_DAYS, unit=LimitUnit.WORKING_DAYS)


def extend(deadline: dt.datetime, days: Decimal | float) -> dt.datetime:
    """A deadline moved by an approved extension of `days` working days."""
    return get_calendar().add(deadline, float(days), unit=LimitUnit.WORKING_DAYS)


def working_seconds(start: dt.datetime | None, end: dt.datetime) -> int:
    if start is None or end <= start:
        return 0
    return get_calendar().working_seconds_between(start, end)
