"""Due dates counted in working days (DOMAIN.md §7: the start day is not counted; holidays and 调休 follow the
working calendar, grassroots/workcal)."""

import datetime as dt

from grassroots.workcal.calendar import get_calendar

# Limits of the 经营异常名录 (DOMAIN.md §7); configuration, with these defaults.
LIST_WITHIN_WORKING_DAYS = 10
REMOVE_WITHIN_WORKING_DAYS = 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day on which `days` working days after `start` are complete."""
    calendar = get_calendar()
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day
