"""Clock services: counting in each unit, the day-counting rules of DOMAIN.md §7, the suspension ledger, extensions,
and every refusal by its code."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.workcal.calendar import SHANGHAI, clear_calendar_cache
from grassroots.workcal.choices import LimitUnit, StatusLight
from grassroots.workcal.models import CalendarOverride
from grassroots.workflow.choices import ClockState, PauseKind
from grassroots.workflow.clock_counting import natural_period_end
from grassroots.workflow.clocks import (
    clock_consumed,
    clock_extend,
    clock_light,
    clock_pause,
    clock_remaining,
    clock_resume,
    clock_start,
    clock_stop,
)
from grassroots.workflow.models import Clock, ClockExtension, ClockPause

pytestmark = pytest.mark.django_db
DAYS, HOURS, NATURAL = LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS, LimitUnit.NATURAL_DAYS
WORKDAY = 27_000  # 08:30-12:00 and 13:30-17:30


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    clear_calendar_cache()
    yield
    clear_calendar_cache()


def at(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def start(unit: LimitUnit = DAYS, amount: int | Decimal = 5, *, now: dt.datetime, **kw: object) -> Clock:
    return clock_start(
        workflow="test",
        object_id=1,
        name="handling",
        unit=unit,
        statutory=amount,
        limit_source="测试",
        now=now,
        **kw,  # type: ignore[arg-type]
    ).clock


def refused(code: str, call: object, exc: type[Exception] = Conflict) -> None:
    with pytest.raises(exc) as info:
        call()  # type: ignore[operator]
    assert info.value.code == code  # type: ignore[attr-defined]


# -- starting -----------------------------------------------------------------------------------------------


def test_working_days_count_from_the_moment_and_skip_the_weekend():
    clock = start(DAYS, 2, now=at(10, 9, 10))  # Friday; Saturday 10-10 is a 调休 working day
    assert clock.due_at == at(10, 12, 10)
    # 80% = 12 h: 6 h on Friday, then Saturday 08:30-12:00 and 13:30-16:00.
    assert clock.warn_at == at(10, 10, 16)
    assert clock.budget_seconds == 2 * WORKDAY and clock.state == ClockState.RUNNING


def test_working_days_from_the_next_day_end_at_the_close_of_the_last_day():
    clock = start(DAYS, 1, now=at(9, 28, 15), from_next_day=True)
    assert clock.due_at == at(9, 29, 17, 30)


def test_a_working_day_limit_skips_national_day():
    clock = start(DAYS, 1, now=at(9, 30, 10))
    assert clock.due_at == at(10, 8, 10)


def test_natural_days_leave_out_the_start_day():
    clock = start(NATURAL, 3, now=at(10, 12, 15))  # Monday 15:00 + 3 日 = the end of Thursday
    assert clock.running_since == at(10, 13)
    assert clock.due_at == at(10, 16)  # 24:00 Thursday


def test_a_natural_day_period_ending_on_a_weekend_ends_with_the_next_working_day():
    clock = start(NATURAL, 5, now=at(10, 12, 9))  # counted from Tuesday 10-13: the last day is Saturday 10-17
    assert clock.due_at == at(10, 20)  # Saturday and Sunday are rest days: the end of Monday 10-19


def test_a_natural_day_period_ending_in_national_day_ends_after_it():
    clock = start(NATURAL, 2, now=at(9, 29, 11))  # last day 10-01, a holiday, through 10-07
    assert clock.due_at == at(10, 9)  # the end of Thursday 10-08


def test_a_natural_day_period_ending_on_a_make_up_saturday_stays():
    clock = start(NATURAL, 1, now=at(10, 9, 11))  # last day Saturday 10-10, a 调休 working day
    assert clock.due_at == at(10, 11)


def test_a_local_holiday_override_moves_a_natural_day_end():
    CalendarOverride.objects.create(date=dt.date(2026, 10, 15), is_workday=False, name="地方假日")
    assert natural_period_end(at(10, 16)) == at(10, 17)
    clock = start(NATURAL, 2, now=at(10, 13, 8))  # last day 10-15, now a local holiday
    assert clock.due_at == at(10, 17)


def test_working_hours_skip_lunch_and_the_night():
    clock = start(HOURS, 2, now=at(10, 12, 16, 30))  # an hour on Monday, the second Tuesday from 08:30
    assert clock.due_at == at(10, 13, 9, 30)


def test_the_promise_is_what_the_clock_runs_against_and_may_not_exceed_the_statutory_limit():
    clock = start(DAYS, 20, now=at(10, 12, 9), promised=10)
    assert (clock.statutory_seconds, clock.promised_seconds, clock.budget_seconds) == (
        20 * WORKDAY,
        10 * WORKDAY,
        10 * WORKDAY,
    )
    refused("promise_exceeds_statutory", lambda: start(DAYS, 5, now=at(10, 12), promised=6), InvalidInput)
    refused("limit_not_positive", lambda: start(DAYS, 0, now=at(10, 12)), InvalidInput)


def test_one_live_clock_per_name_and_record_but_a_stopped_one_may_be_followed():
    clock = start(now=at(10, 12, 9))
    refused("clock_exists", lambda: start(now=at(10, 12, 10)))
    clock_stop(clock=clock, result="granted", actor=None, now=at(10, 13, 9))
    assert start(now=at(10, 13, 10)).pk != clock.pk


def test_the_change_names_the_limit_it_used():
    change = clock_start(
        workflow="service",
        object_id=7,
        name="promise",
        unit=DAYS,
        statutory=20,
        promised=Decimal("7.5"),
        limit_source="事项 330421-XK-001 第 3 版 承诺时限",
        now=at(10, 12, 9),
    )
    assert change.action == "start" and change.data["limit_source"] == "事项 330421-XK-001 第 3 版 承诺时限"
    assert change.data["budget_seconds"] == 7.5 * WORKDAY


# -- pausing, resuming, extending, stopping ------------------------------------------------------------------


def test_a_pause_over_the_weekend_moves_the_due_time_by_exactly_the_working_time_it_covered():
    clock = start(DAYS, 3, now=at(10, 12, 9))  # Monday 09:00, due Thursday 09:00
    clock_pause(clock=clock, kind=PauseKind.CORRECTION, reason="补正材料", actor=None, now=at(10, 13, 9))
    assert clock.state == ClockState.PAUSED and clock.due_at is None and clock.consumed_seconds == WORKDAY
    assert clock_consumed(clock, at(10, 20)) == WORKDAY  # paused time does not count
    clock_resume(clock=clock, actor=None, now=at(10, 19, 14))  # Monday 14:00, two working days left
    assert clock.due_at == at(10, 21, 14)
    pause = ClockPause.objects.get(clock=clock)
    assert (pause.kind, pause.started_at, pause.ended_at) == (
        PauseKind.CORRECTION,
        at(10, 13, 9),
        at(10, 19, 14),
    )


def test_consumed_and_remaining_add_up_to_the_budget():
    clock = start(HOURS, 10, now=at(10, 12, 9))
    for moment in (at(10, 12, 9), at(10, 12, 12, 30), at(10, 13, 11), at(10, 20)):
        assert clock_consumed(clock, moment) + clock_remaining(clock, moment) == clock.budget_seconds


def test_lights_follow_the_share_used_and_a_paused_clock_stays_yellow():
    clock = start(HOURS, 10, now=at(10, 12, 8, 30))  # 10 h: due Tuesday 11:00 (8 h Monday... 7.5 h)
    assert clock_light(clock, at(10, 13, 8, 30)) == StatusLight.GREEN  # 7.5 h = 75%
    assert clock_light(clock, at(10, 13, 9, 30)) == StatusLight.YELLOW  # 8.5 h = 85%
    assert clock_light(clock, clock.due_at) == StatusLight.RED  # type: ignore[arg-type]
    clock_pause(clock=clock, kind=PauseKind.HEARING, actor=None, now=at(10, 13, 9, 30))
    assert clock_light(clock, at(11, 30)) == StatusLight.YELLOW


def test_an_extension_moves_the_due_time_and_clears_a_warning_no_longer_due():
    clock = start(DAYS, 2, now=at(10, 12, 9))
    Clock.objects.filter(pk=clock.pk).update(warned=True)
    clock.warned = True
    change = clock_extend(
        clock=clock,
        amount=3,
        unit=DAYS,
        reason="情况复杂",
        requested_by=None,
        approved_by=None,
        now=at(10, 13, 16),
    )
    assert clock.due_at == at(10, 19, 9) and not clock.warned and clock.extended_seconds == 3 * WORKDAY
    assert change.data["seconds"] == 3 * WORKDAY
    assert ClockExtension.objects.get(clock=clock).seconds == 3 * WORKDAY
    refused(
        "extension_unit_mismatch",
        lambda: clock_extend(
            clock=clock,
            amount=1,
            unit=NATURAL,
            reason="",
            requested_by=None,
            approved_by=None,
            now=at(10, 14),
        ),
        InvalidInput,
    )


def test_stopping_late_records_it_and_closes_an_open_pause():
    clock = start(DAYS, 1, now=at(10, 12, 9))
    clock_pause(clock=clock, kind=PauseKind.SUSPENDED, actor=None, now=at(10, 13, 10))
    change = clock_stop(clock=clock, result="refused", actor=None, now=at(10, 14))
    assert clock.state == ClockState.STOPPED and clock.overdue and change.data["late"]
    assert ClockPause.objects.get(clock=clock).ended_at == at(10, 14)
    on_time = start(NATURAL, 3, now=at(10, 12, 9))
    clock_stop(clock=on_time, result="granted", actor=None, now=at(10, 14))
    assert not on_time.overdue and on_time.due_at == at(10, 16)


def test_each_wrong_move_is_refused_with_its_code_and_changes_nothing():
    clock = start(now=at(10, 12, 9))
    refused("clock_not_paused", lambda: clock_resume(clock=clock, actor=None, now=at(10, 12, 10)))
    clock_pause(clock=clock, kind=PauseKind.NOTICE, actor=None, now=at(10, 12, 10))
    refused("clock_already_paused", lambda: clock_pause(clock=clock, kind=PauseKind.OTHER, actor=None))
    clock_stop(clock=clock, actor=None, now=at(10, 12, 11))
    before = Clock.objects.values().get(pk=clock.pk)
    refused("clock_stopped", lambda: clock_pause(clock=clock, kind=PauseKind.OTHER, actor=None))
    refused("clock_stopped", lambda: clock_resume(clock=clock, actor=None))
    refused("clock_stopped", lambda: clock_stop(clock=clock, actor=None))
    refused(
        "clock_stopped",
        lambda: clock_extend(
            clock=clock, amount=1, unit=DAYS, reason="", requested_by=None, approved_by=None
        ),
    )
    assert Clock.objects.values().get(pk=clock.pk) == before


def test_a_stale_copy_is_refused_and_the_ledger_is_untouched():
    clock = start(now=at(10, 12, 9))
    stale = Clock.objects.get(pk=clock.pk)
    clock_pause(clock=clock, kind=PauseKind.TESTING, actor=None, now=at(10, 12, 10))
    clock_resume(clock=clock, actor=None, now=at(10, 12, 11))
    refused(
        "stale_clock",
        lambda: clock_pause(clock=stale, kind=PauseKind.TESTING, actor=None, now=at(10, 12, 12)),
    )
    assert ClockPause.objects.filter(clock=clock).count() == 1
    assert Clock.objects.get(pk=clock.pk).version == clock.version == 3
