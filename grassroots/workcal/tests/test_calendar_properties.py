"""Properties of the working clock, checked against chinesecalendar over every year it knows."""

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from grassroots.workcal.calendar import (
    PACKAGE_YEARS,
    SHANGHAI,
    WorkCalendar,
    from_epoch_seconds,
    to_epoch_seconds,
)

calendar = WorkCalendar(last_year=max(PACKAGE_YEARS) + 3)
FIRST = date(2004, 1, 1)
LAST = date(max(PACKAGE_YEARS), 12, 31)
SIXTY_DAYS = 60 * calendar.day_seconds

days = st.dates(min_value=FIRST, max_value=LAST)
moments = st.datetimes(
    min_value=datetime.combine(FIRST, time()),
    max_value=datetime.combine(LAST, time(23, 59, 59)),
    timezones=st.just(SHANGHAI),
)
durations = st.integers(min_value=0, max_value=SIXTY_DAYS)
positive_durations = st.integers(min_value=1, max_value=SIXTY_DAYS)


@st.composite
def moments_in_a_window(draw: st.DrawFn) -> datetime:
    day = draw(days.filter(calendar.is_workday))
    start, end = draw(st.sampled_from(calendar.windows))
    second = draw(st.integers(min_value=start, max_value=end - 1))
    return datetime.combine(day, time(), tzinfo=SHANGHAI) + timedelta(seconds=second)


def test_every_day_the_package_knows_agrees_with_the_package() -> None:
    day = FIRST
    while day <= LAST:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@given(days)
def test_is_workday_agrees_with_chinesecalendar(day: date) -> None:
    assert calendar.is_workday(day) == chinese_calendar.is_workday(day)


@given(moments, durations)
def test_adding_working_time_then_measuring_it_gives_it_back(start: datetime, seconds: int) -> None:
    assert calendar.working_seconds_between(start, calendar.add_working_seconds(start, seconds)) == seconds


@given(moments, positive_durations)
def test_a_deadline_is_the_earliest_moment_with_that_much_working_time(start: datetime, seconds: int) -> None:
    deadline = calendar.add_working_seconds(start, seconds)
    assert deadline > start
    assert calendar.working_seconds_between(start, deadline - timedelta(seconds=1)) == seconds - 1


@given(moments, moments)
def test_the_working_clock_never_runs_backwards(first: datetime, second: datetime) -> None:
    earlier, later = sorted([first, second])
    assert calendar.working_clock(earlier) <= calendar.working_clock(later)
    assert calendar.working_seconds_between(earlier, later) >= 0


@given(moments)
def test_the_working_clock_gains_at_most_one_second_per_second(start: datetime) -> None:
    gained = calendar.working_seconds_between(start, start + timedelta(minutes=1))
    assert 0 <= gained <= 60


@given(moments_in_a_window(), positive_durations, positive_durations)
def test_adding_in_two_steps_is_adding_the_sum(start: datetime, a: int, b: int) -> None:
    two_steps = calendar.add_working_seconds(calendar.add_working_seconds(start, a), b)
    assert calendar.add_working_seconds(start, a + b) == two_steps


@given(st.lists(moments, min_size=1, max_size=20), durations)
def test_the_batch_api_agrees_with_the_scalar_api(starts: list[datetime], seconds: int) -> None:
    batch = calendar.add_working_seconds_many(starts, seconds)
    scalar = [calendar.add_working_seconds(start, seconds) for start in starts]
    assert [from_epoch_seconds(int(epoch)) for epoch in batch] == [
        moment.replace(microsecond=0) if seconds == 0 else moment for moment in scalar
    ]
    assert np.array_equal(
        calendar.working_clock_many(starts), [calendar.working_clock(start) for start in starts]
    )


@given(moments)
def test_china_time_and_utc_give_the_same_epoch_second(moment: datetime) -> None:
    # Shanghai datetimes take a shortcut through the wall clock; it must match the general path.
    assert to_epoch_seconds(moment) == to_epoch_seconds(moment.astimezone(UTC))
