"""The calendar on known dates: holidays, the edge of the package's data, working hours, pauses, lights."""

from datetime import UTC, date, datetime

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django import DjangoAssertNumQueries

from grassroots.workcal.calendar import (
    PACKAGE_YEARS,
    SHANGHAI,
    WorkCalendar,
    clear_calendar_cache,
    from_epoch_seconds,
    get_calendar,
    to_epoch_seconds,
)
from grassroots.workcal.choices import LimitUnit, StatusLight
from grassroots.workcal.models import CalendarOverride

HOURS = LimitUnit.WORKING_HOURS
DAYS = LimitUnit.WORKING_DAYS
NATURAL = LimitUnit.NATURAL_DAYS

calendar = WorkCalendar(last_year=2029)

needs_unknown_2027 = pytest.mark.skipif(
    2027 in PACKAGE_YEARS, reason="chinesecalendar now knows 2027; the boundary has moved"
)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


# -- days ------------------------------------------------------------------------------------------------


def test_national_day_2026_is_seven_days_off() -> None:
    assert [calendar.is_workday(date(2026, 10, d)) for d in range(1, 9)] == [False] * 7 + [True]


def test_a_2026_make_up_saturday_is_a_working_day() -> None:
    assert date(2026, 10, 10).weekday() == 5
    assert calendar.is_workday(date(2026, 10, 10))


def test_a_deadline_across_national_day_skips_the_holiday() -> None:
    assert calendar.add(at(2026, 9, 30, 10), 1, unit=DAYS) == at(2026, 10, 8, 10)


def test_a_deadline_across_the_make_up_saturday_counts_it() -> None:
    # Thursday 10-08, Friday 10-09, Saturday 10-10 (调休上班), then Monday.
    assert calendar.add(at(2026, 10, 8, 10), 2, unit=DAYS) == at(2026, 10, 10, 10)


def test_an_override_wins_over_the_package() -> None:
    local = WorkCalendar(overrides={date(2026, 10, 10): False, date(2026, 10, 3): True}, last_year=2029)
    assert not local.is_workday(date(2026, 10, 10))
    assert local.is_workday(date(2026, 10, 3))


def test_saturday_plus_one_working_day_is_monday_at_close_of_business() -> None:
    assert calendar.add(at(2026, 11, 21, 10), 1, unit=DAYS) == at(2026, 11, 23, 17, 30)


def test_monday_morning_plus_one_working_day_is_the_same_time_tuesday() -> None:
    assert calendar.add(at(2026, 11, 23, 10), 1, unit=DAYS) == at(2026, 11, 24, 10)


def test_fractional_working_days_count_in_working_hours() -> None:
    # Half of 7.5 h from 08:30: 3.5 h before lunch, 15 minutes after.
    assert calendar.add(at(2026, 11, 23, 8, 30), 0.5, unit=DAYS) == at(2026, 11, 23, 13, 45)


def test_natural_days_are_plain_wall_clock_days() -> None:
    assert calendar.add(at(2026, 9, 30, 10), 3, unit=NATURAL) == at(2026, 10, 3, 10)


def test_adding_nothing_returns_the_start_even_outside_working_hours() -> None:
    assert calendar.add_working_seconds(at(2026, 11, 21, 10), 0) == at(2026, 11, 21, 10)


# -- the edge of the package's data ----------------------------------------------------------------------


@needs_unknown_2027
def test_a_deadline_from_late_2026_lands_in_january_2027_on_weekends_only() -> None:
    # 12-31 (1), 2027-01-01 assumed to be a Friday at work (2), 01-04 (3), 01-05 (4), 01-06 (5).
    assert calendar.add(at(2026, 12, 30, 9), 5, unit=DAYS) == at(2027, 1, 6, 9)
    assert 2027 in calendar.assumed_years
    assert 2026 not in calendar.assumed_years


@needs_unknown_2027
@pytest.mark.django_db
def test_an_override_for_new_year_2027_is_respected() -> None:
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    assert get_calendar().add(at(2026, 12, 30, 9), 5, unit=DAYS) == at(2027, 1, 7, 9)
    assert 2027 not in get_calendar().assumed_years


def test_dates_outside_the_calendar_raise_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="outside the working calendar"):
        calendar.is_workday(date(2003, 12, 31))
    with pytest.raises(ValueError, match="outside the working calendar"):
        calendar.working_clock(at(2030, 1, 1))
    with pytest.raises(ValueError, match="outside the working calendar"):
        calendar.add(at(2029, 12, 31, 9), 2, unit=DAYS)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.add(datetime(2026, 11, 23, 10), 1, unit=DAYS)


# -- working-hour windows ----------------------------------------------------------------------------------


def test_an_hour_from_1130_spans_lunch_and_ends_at_1400() -> None:
    assert calendar.add(at(2026, 11, 23, 11, 30), 1, unit=HOURS) == at(2026, 11, 23, 14)


def test_an_hour_from_inside_the_lunch_break_starts_counting_at_1330() -> None:
    assert calendar.add(at(2026, 11, 23, 12, 30), 1, unit=HOURS) == at(2026, 11, 23, 14, 30)


def test_an_hour_from_before_0830_starts_counting_at_0830() -> None:
    assert calendar.add(at(2026, 11, 23, 7), 1, unit=HOURS) == at(2026, 11, 23, 9, 30)


def test_an_hour_from_after_1730_starts_counting_next_working_morning() -> None:
    assert calendar.add(at(2026, 11, 20, 18), 1, unit=HOURS) == at(2026, 11, 23, 9, 30)


def test_a_limit_filling_the_morning_ends_at_noon_not_after_lunch() -> None:
    assert calendar.add(at(2026, 11, 23, 8, 30), 3.5, unit=HOURS) == at(2026, 11, 23, 12)


def test_working_seconds_between_skip_lunch_and_nights() -> None:
    assert calendar.working_seconds_between(at(2026, 11, 23, 11), at(2026, 11, 23, 14)) == 5400
    assert calendar.working_seconds_between(at(2026, 11, 20, 17), at(2026, 11, 23, 9)) == 3600


def test_the_same_instant_in_another_time_zone_gives_the_same_deadline() -> None:
    start = at(2026, 11, 23, 11, 30)
    assert calendar.add(start.astimezone(UTC), 1, unit=HOURS) == calendar.add(start, 1, unit=HOURS)


def test_configured_windows_set_the_length_of_a_working_day() -> None:
    nine_to_five = WorkCalendar(working_hours=["09:00-17:00"], last_year=2029)
    assert nine_to_five.day_seconds == 8 * 3600
    assert nine_to_five.add(at(2026, 11, 23, 8), 1, unit=DAYS) == at(2026, 11, 23, 17)


@pytest.mark.parametrize(
    "spec", [["8:30"], ["12:00-08:30"], ["08:30-12:00", "11:00-14:00"], [], ["25:00-26:00"]]
)
def test_unreadable_working_hours_are_a_configuration_error(spec: list[str]) -> None:
    with pytest.raises(ImproperlyConfigured):
        WorkCalendar(working_hours=spec, last_year=2029)


# -- pauses ----------------------------------------------------------------------------------------------


def test_elapsed_working_hours_leave_out_lunch() -> None:
    assert calendar.elapsed(at(2026, 11, 23, 9), at(2026, 11, 23, 17), unit=HOURS) == 6.5


def test_overlapping_pauses_are_not_subtracted_twice() -> None:
    pauses = [
        (at(2026, 11, 23, 10), at(2026, 11, 23, 11)),
        (at(2026, 11, 23, 10, 30), at(2026, 11, 23, 11, 30)),
    ]
    assert calendar.elapsed(at(2026, 11, 23, 9), at(2026, 11, 23, 17), unit=HOURS, pauses=pauses) == 5.0


def test_an_open_pause_counts_until_the_end_of_the_interval() -> None:
    pauses = [(at(2026, 11, 23, 16), None)]
    assert calendar.elapsed(at(2026, 11, 23, 9), at(2026, 11, 23, 17), unit=HOURS, pauses=pauses) == 5.5


def test_pauses_outside_the_interval_are_clipped() -> None:
    pauses = [(at(2026, 11, 20, 9), at(2026, 11, 23, 10))]
    assert calendar.elapsed(at(2026, 11, 23, 9), at(2026, 11, 23, 17), unit=HOURS, pauses=pauses) == 5.5


def test_elapsed_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert calendar.elapsed(at(2026, 11, 23, 17), at(2026, 11, 23, 9), unit=DAYS) == 0.0


def test_elapsed_natural_days_subtract_wall_clock_pauses() -> None:
    pauses = [(at(2026, 11, 2), at(2026, 11, 3, 12))]
    assert calendar.elapsed(at(2026, 11, 1), at(2026, 11, 11), unit=NATURAL, pauses=pauses) == 8.5


def test_a_pause_pushes_the_deadline_by_the_working_time_it_covered() -> None:
    pauses = [(at(2026, 11, 23, 10), at(2026, 11, 23, 11)), (at(2026, 11, 23, 10, 30), at(2026, 11, 23, 14))]
    # 10:00-12:00 and 13:30-14:00: 2.5 working hours.
    extended = calendar.extend_for_pauses(at(2026, 11, 25, 17, 30), pauses=pauses, unit=DAYS)
    assert extended == at(2026, 11, 26, 11)


def test_an_open_pause_pushes_the_deadline_until_now() -> None:
    pauses = [(at(2026, 11, 23, 10), None)]
    extended = calendar.extend_for_pauses(
        at(2026, 11, 25, 17, 30), pauses=pauses, unit=HOURS, now=at(2026, 11, 24, 10)
    )
    assert extended == at(2026, 11, 26, 17, 30)  # Monday 10:00 to Tuesday 10:00 is one working day


def test_a_pause_pushes_a_natural_day_deadline_by_wall_clock_time() -> None:
    pauses = [(at(2026, 11, 23, 10), at(2026, 11, 24, 22))]
    extended = calendar.extend_for_pauses(at(2026, 11, 30, 10), pauses=pauses, unit=NATURAL)
    assert extended == at(2026, 12, 1, 22)


# -- status lights ---------------------------------------------------------------------------------------

STARTED = at(2026, 11, 23, 8, 30)  # Monday
DEADLINE = at(2026, 11, 23, 17, 30)  # one working day


@pytest.mark.parametrize(
    ("now", "light"),
    [
        (at(2026, 11, 23, 8, 30), StatusLight.GREEN),
        (at(2026, 11, 23, 16), StatusLight.GREEN),  # exactly 80%: 6 of 7.5 working hours
        (at(2026, 11, 23, 16, 0, 1), StatusLight.YELLOW),
        (at(2026, 11, 23, 17, 30), StatusLight.YELLOW),  # exactly at the deadline
        (at(2026, 11, 23, 17, 30, 1), StatusLight.RED),
        (at(2026, 11, 28, 10), StatusLight.RED),  # Saturday: no working time passed, still overdue
    ],
)
def test_the_light_is_green_to_80_percent_yellow_to_the_deadline_then_red(
    now: datetime, light: StatusLight
) -> None:
    assert calendar.status_light(started=STARTED, deadline=DEADLINE, now=now, unit=DAYS) == light


def test_a_pause_keeps_the_light_yellow_past_the_original_deadline() -> None:
    pauses = [(at(2026, 11, 23, 9), at(2026, 11, 23, 10))]
    light = calendar.status_light(
        started=STARTED, deadline=DEADLINE, now=at(2026, 11, 23, 18), unit=DAYS, pauses=pauses
    )
    assert light == StatusLight.YELLOW
    light = calendar.status_light(
        started=STARTED, deadline=DEADLINE, now=at(2026, 11, 24, 9, 31), unit=DAYS, pauses=pauses
    )
    assert light == StatusLight.RED


def test_an_open_pause_keeps_the_light_green() -> None:
    pauses = [(at(2026, 11, 23, 9), None)]
    light = calendar.status_light(
        started=STARTED, deadline=DEADLINE, now=at(2026, 11, 25, 10), unit=DAYS, pauses=pauses
    )
    assert light == StatusLight.GREEN


def test_natural_day_lights_count_nights_and_weekends() -> None:
    started, deadline = at(2026, 11, 20), at(2026, 11, 30)
    assert (
        calendar.status_light(started=started, deadline=deadline, now=at(2026, 11, 28), unit=NATURAL)
        == "green"
    )
    assert (
        calendar.status_light(started=started, deadline=deadline, now=at(2026, 11, 29), unit=NATURAL)
        == "yellow"
    )
    assert (
        calendar.status_light(started=started, deadline=deadline, now=at(2026, 12, 1), unit=NATURAL) == "red"
    )


# -- batch API -------------------------------------------------------------------------------------------


def test_the_batch_api_agrees_with_the_scalar_api() -> None:
    starts = [at(2026, 11, 21, 10), at(2026, 11, 23, 10), at(2026, 11, 23, 11, 30), at(2026, 9, 30, 10)]
    deadlines = calendar.add_many(starts, 1, unit=DAYS)
    assert [from_epoch_seconds(int(d)) for d in deadlines] == [calendar.add(s, 1, unit=DAYS) for s in starts]


def test_the_batch_api_takes_epoch_seconds_and_per_row_amounts() -> None:
    starts = np.array([to_epoch_seconds(at(2026, 11, 23, 11, 30))] * 3)
    deadlines = calendar.add_working_seconds_many(starts, np.array([0, 1800, 3600]))
    assert [from_epoch_seconds(int(d)) for d in deadlines] == [
        at(2026, 11, 23, 11, 30),
        at(2026, 11, 23, 12),
        at(2026, 11, 23, 14),
    ]


def test_the_batch_api_adds_natural_days_as_wall_clock() -> None:
    deadlines = calendar.add_many([at(2026, 9, 30, 10)], 3, unit=NATURAL)
    assert from_epoch_seconds(int(deadlines[0])) == at(2026, 10, 3, 10)


def test_the_batch_api_refuses_moments_outside_the_calendar() -> None:
    with pytest.raises(ValueError, match="outside the working calendar"):
        calendar.add_working_seconds_many([at(2003, 6, 1)], 3600)


# -- the process-wide calendar -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shared_calendar_is_built_once_and_then_served_without_queries(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    first = get_calendar()
    with django_assert_num_queries(0):
        assert get_calendar() is first


@pytest.mark.django_db
def test_saving_or_deleting_an_override_takes_effect_at_once() -> None:
    monday = date(2026, 11, 23)
    assert get_calendar().is_workday(monday)
    override = CalendarOverride.objects.create(date=monday, is_workday=False, name="临时停工")
    assert not get_calendar().is_workday(monday)
    override.is_workday = True
    override.save()
    assert get_calendar().is_workday(monday)
    override.delete()
    CalendarOverride.objects.create(date=date(2026, 11, 21), is_workday=True, name="调休上班")
    assert get_calendar().is_workday(date(2026, 11, 21))


@pytest.mark.django_db
def test_changes_made_without_signals_are_picked_up_at_the_next_periodic_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monday = date(2026, 11, 23)
    stale = get_calendar()
    CalendarOverride.objects.bulk_create([CalendarOverride(date=monday, is_workday=False)])  # no signals
    assert get_calendar() is stale
    monkeypatch.setattr("grassroots.workcal.calendar.RECHECK_SECONDS", 0.0)
    assert not get_calendar().is_workday(monday)


@pytest.mark.django_db
def test_building_the_shared_calendar_logs_the_assumed_years(caplog: pytest.LogCaptureFixture) -> None:
    clear_calendar_cache()
    calendar = get_calendar()
    assert calendar.assumed_years  # three years ahead is always beyond the package's data
    assert "no holiday data for" in caplog.text
    assert str(max(calendar.assumed_years)) in caplog.text
