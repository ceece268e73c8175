"""Properties of a clock under random pause/resume sequences, in every unit: paused time never counts, consumed +
remaining = budget at every moment, and after a resume the due time is the resume moment plus what was left."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.workcal.calendar import SHANGHAI, get_calendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState, PauseKind
from grassroots.workflow.clock_counting import WORKING_UNITS, moment_after, natural_period_end
from grassroots.workflow.clocks import clock_consumed, clock_pause, clock_remaining, clock_resume, clock_start

starts = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 9, 30), timezones=st.just(SHANGHAI)
).map(lambda moment: moment.replace(microsecond=0))
gaps = st.integers(min_value=0, max_value=4 * 86_400).map(lambda s: dt.timedelta(seconds=s))


def run_length(unit: str, start: dt.datetime, end: dt.datetime) -> int:
    """The model: what a run from start to end counts, straight from the calendar."""
    if end <= start:
        return 0
    if unit in WORKING_UNITS:
        return get_calendar().working_seconds_between(start, end)
    return int((end - start).total_seconds())


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    unit=st.sampled_from(list(LimitUnit)),
    amount=st.integers(min_value=1, max_value=15),
    start=starts,
    steps=st.lists(gaps, min_size=1, max_size=8),
)
def test_pauses_never_count_and_consumed_plus_remaining_is_the_budget(unit, amount, start, steps):
    try:
        with transaction.atomic():
            check_walk(unit, amount, start, steps)
            raise Rollback
    except Rollback:
        pass


def check_walk(unit: LimitUnit, amount: int, start: dt.datetime, steps: list[dt.timedelta]) -> None:
    clock = clock_start(
        workflow="prop", object_id=1, name="c", unit=unit, statutory=amount, limit_source="", now=start
    ).clock
    assert clock.running_since is not None
    run_from, consumed, now = clock.running_since, 0, start
    for gap in steps:
        now += gap
        if clock.state == ClockState.RUNNING:
            expected = consumed + run_length(unit, run_from, now)
            assert clock_consumed(clock, now) == expected
            assert clock_consumed(clock, now) + clock_remaining(clock, now) == clock.budget_seconds
            clock_pause(clock=clock, kind=PauseKind.OTHER, actor=None, now=now)
            consumed = expected
            assert clock.consumed_seconds == consumed and clock.due_at is None
        else:
            assert clock_consumed(clock, now) == consumed  # the pause did not count
            clock_resume(clock=clock, actor=None, now=now)
            run_from = now
            due = moment_after(get_calendar(), unit, now, clock.budget_seconds - consumed)
            if unit not in WORKING_UNITS:
                due = natural_period_end(due)
            assert clock.due_at == due
            assert clock_remaining(clock, now) == clock.budget_seconds - consumed
