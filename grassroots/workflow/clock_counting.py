"""How a clock counts time (DOMAIN.md §6, §7): amounts as seconds of a unit's measure, the day-counting rules,
and the warn and due moments derived from a budget. Pure functions over the working calendar; no database writes.

Measures: working days and working hours count working seconds (the calendar's daily windows on working days);
natural days count wall-clock seconds. Two rules for calendar days: the start day is not counted (`next_midnight`),
and a period whose last day is a rest day ends at 24:00 of the next working day (`natural_period_end`).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from grassroots.workcal.calendar import SHANGHAI, WorkCalendar, get_calendar
from grassroots.workcal.choices import LimitUnit

Amount = Decimal | int
WORKING_UNITS = frozenset({LimitUnit.WORKING_DAYS.value, LimitUnit.WORKING_HOURS.value})


def to_seconds(amount: Amount, unit: str, *, calendar: WorkCalendar | None = None) -> int:
    """An amount of a unit as seconds of its measure: 1 working day = the calendar's working hours of a day."""
    per_unit = (calendar or get_calendar()).unit_seconds(LimitUnit(unit))
    return int((Decimal(amount) * per_unit).to_integral_value(rounding=ROUND_HALF_UP))


def same_measure(unit_a: str, unit_b: str) -> bool:
    """Whether seconds of the two units can be added: working with working, natural with natural."""
    return (unit_a in WORKING_UNITS) == (unit_b in WORKING_UNITS)


def next_midnight(moment: dt.datetime) -> dt.datetime:
    """00:00 (China time) of the day after `moment`: where a count that leaves out the start day begins."""
    day = moment.astimezone(SHANGHAI).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)


def natural_period_end(end: dt.datetime, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """A period of calendar days whose last day is a rest day (a holiday or a weekend, not a 调休 working day)
    ends at 24:00 of the next working day instead (民法典 第二百零三条; weekends count as rest days)."""
    calendar = calendar or get_calendar()
    local = end.astimezone(SHANGHAI)
    last_day = (local - dt.timedelta(seconds=1)).date()  # a period ending at 00:00 ended the day before
    if calendar.is_workday(last_day):
        return local
    day = last_day + dt.timedelta(days=1)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)


def measure(calendar: WorkCalendar, unit: str, start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of the unit's measure from start to end; 0 when end is not after start."""
    if end <= start:
        return 0
    if unit in WORKING_UNITS:
        return calendar.working_seconds_between(start, end)
    return int((end - start).total_seconds())


def moment_after(calendar: WorkCalendar, unit: str, start: dt.datetime, seconds: int) -> dt.datetime:
    """When `seconds` of the unit's measure will have passed since `start` (before it, if negative).

    Working time lands on the earliest such moment: a limit using up Friday afternoon is due Friday 17:30.
    """
    if unit not in WORKING_UNITS:
        return start + dt.timedelta(seconds=seconds)
    if seconds == 0:
        return start
    return calendar.moment_at(calendar.working_clock(start) + seconds)


def warn_threshold(budget: int) -> int:
    """Seconds consumed at 80% of the budget (rounded up): the warning comes then, while still green."""
    return -(-budget * 4 // 5)


def derived_times(
    calendar: WorkCalendar, *, unit: str, since: dt.datetime, consumed: int, budget: int
) -> tuple[dt.datetime, dt.datetime]:
    """(warn_at, due_at) of a clock running since `since` against `budget`, having consumed `consumed` before."""
    warn_at = moment_after(calendar, unit, since, warn_threshold(budget) - consumed)
    due_at = moment_after(calendar, unit, since, budget - consumed)
    if unit not in WORKING_UNITS:
        due_at = natural_period_end(due_at, calendar=calendar)
    return warn_at, due_at
