"""The clock scanner in one worker: each flag once, the handler of the clock's workflow once, in the same
transaction as the flag; an overdue clock is not warned first; a failing handler leaves the clock to retry."""

import datetime as dt
from collections.abc import Iterator

import pytest

from grassroots.workcal.calendar import SHANGHAI, clear_calendar_cache
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import PauseKind
from grassroots.workflow.clocks import clock_extend, clock_pause, clock_start
from grassroots.workflow.models import Clock
from grassroots.workflow.timers import (
    clocks_catch_up,
    clocks_scan,
    register_clock_handlers,
    unregister_clock_handlers,
)

pytestmark = pytest.mark.django_db
calls: list[tuple[str, str, int]] = []


@pytest.fixture(autouse=True)
def _handlers() -> Iterator[None]:
    clear_calendar_cache()
    calls.clear()
    for workflow in ("alpha", "beta"):
        register_clock_handlers(
            workflow,
            on_warn=lambda clock, now: calls.append(("warn", clock.workflow, clock.pk)),
            on_overdue=lambda clock, now: calls.append(("overdue", clock.workflow, clock.pk)),
        )
    yield
    for workflow in ("alpha", "beta", "broken"):
        unregister_clock_handlers(workflow)
    clear_calendar_cache()


def at(month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def start(workflow: str, object_id: int, days: int = 5) -> Clock:
    return clock_start(
        workflow=workflow,
        object_id=object_id,
        name="handling",
        unit=LimitUnit.WORKING_DAYS,
        statutory=days,
        limit_source="测试",
        now=at(10, 12, 9),
    ).clock


def test_each_clock_is_warned_then_made_overdue_once_by_its_own_workflows_handler():
    a, b = start("alpha", 1), start("beta", 1)
    assert clocks_scan(now=at(10, 12, 12)).acted == 0
    warned = clocks_scan(now=at(10, 16, 12))  # Friday noon: 4+ of 5 working days used
    assert (warned.warned, warned.overdue) == (2, 0)
    assert clocks_scan(now=at(10, 16, 13)).acted == 0
    overdue = clocks_catch_up(now=at(10, 20))
    assert (overdue.warned, overdue.overdue) == (0, 2)
    assert clocks_catch_up(now=at(10, 30)).acted == 0
    assert sorted(calls) == sorted(
        [
            ("warn", "alpha", a.pk),
            ("warn", "beta", b.pk),
            ("overdue", "alpha", a.pk),
            ("overdue", "beta", b.pk),
        ]
    )
    assert Clock.objects.filter(warned=True, overdue=True).count() == 2


def test_a_clock_found_already_overdue_is_made_overdue_without_a_warning_first():
    clock = start("alpha", 1)
    result = clocks_catch_up(now=at(10, 30))
    assert (result.warned, result.overdue) == (0, 1)
    assert calls == [("overdue", "alpha", clock.pk)]
    assert Clock.objects.filter(pk=clock.pk, warned=True, overdue=True).exists()


def test_paused_clocks_are_not_scanned_and_an_extension_rearms_the_warning():
    paused, extended = start("alpha", 1), start("beta", 2)
    clock_pause(clock=paused, kind=PauseKind.HEARING, actor=None, now=at(10, 13, 9))
    clocks_scan(now=at(10, 16, 12))
    extended.refresh_from_db()
    assert calls == [("warn", "beta", extended.pk)]
    clock_extend(
        clock=extended,
        amount=5,
        unit=LimitUnit.WORKING_DAYS,
        reason="",
        requested_by=None,
        approved_by=None,
        now=at(10, 16, 13),
    )
    assert not extended.warned
    clocks_catch_up(now=at(11, 30))
    assert calls.count(("warn", "beta", extended.pk)) == 1  # overdue supersedes; not warned twice
    assert calls[-1] == ("overdue", "beta", extended.pk)
    assert ("overdue", "alpha", paused.pk) not in calls


def test_a_failing_handler_rolls_its_flag_back_and_is_retried():
    failures = [RuntimeError("down")]

    def flaky(clock: Clock, now: dt.datetime) -> None:
        if failures:
            raise failures.pop()
        calls.append(("overdue", clock.workflow, clock.pk))

    register_clock_handlers("broken", on_overdue=flaky)
    clock = start("broken", 1)
    first = clocks_scan(now=at(10, 30))
    assert (first.overdue, first.failed) == (0, 1)
    assert not Clock.objects.get(pk=clock.pk).overdue
    assert clocks_scan(now=at(10, 30)).overdue == 1
    assert calls == [("overdue", "broken", clock.pk)]


def test_a_workflow_without_handlers_still_has_its_flags_set():
    clock = start("unregistered", 1)
    assert clocks_catch_up(now=at(10, 30)).overdue == 1
    assert Clock.objects.filter(pk=clock.pk, overdue=True).exists() and calls == []
