"""The level-1 clock: a grid worker's own report of a problem they may fix on the spot runs on the type's level-1
limit; the timer warns at 80% (the grid worker too) and, once it runs out, escalates the event to the village."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.events import services as s
from grassroots.events.choices import AssignmentStatus, Level, Source, Status
from grassroots.events.clock import DEFAULT_LIMITS, handling_clock, hours_clock
from grassroots.events.models import Assignment, Event, EventType, TimeLimit, Transition
from grassroots.events.services.timers import timers_tick
from grassroots.notifications.models import Notification
from grassroots.workcal.choices import LimitUnit

from .api_support import cast_of, png

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


def report(world, code: str, *, actor=None, source: str = Source.PATROL) -> Event:
    return s.event_report(
        actor=actor or world.alice,
        event_type=EventType.objects.get(code=code),
        source=source,
        title="路边垃圾堆放",
        lon=120.885,
        lat=30.945,
    ).event


def fresh(event: Event) -> Event:
    return Event.objects.select_related("event_type").get(pk=event.pk)


def test_a_grid_workers_report_she_may_fix_runs_on_the_level_1_limit_of_its_type(world):
    event = report(world, "ZF0101")  # 暴露垃圾: level 1 limit 4 working hours
    expected = handling_clock(event.event_type, Level.GRID, event.reported_at)
    assert (event.level, event.status) == (Level.GRID, Status.REPORTED)
    assert (event.stage_started_at, event.warn_at, event.deadline) == (
        event.reported_at,
        expected.warn_at,
        expected.deadline,
    )
    assert event.deadline == hours_clock(event.reported_at, 4).deadline


def test_the_level_1_limit_is_configuration(world):
    limit = TimeLimit.objects.get(event_type__code="ZF0101", level=Level.GRID)
    limit.amount, limit.unit = Decimal(1), LimitUnit.WORKING_DAYS
    limit.save()
    event = report(world, "ZF0101")
    assert event.deadline == handling_clock(event.event_type, Level.GRID, event.reported_at).deadline
    assert DEFAULT_LIMITS[Level.GRID] == 1  # a type without a level-1 row: one working day


def test_reports_the_grid_worker_may_not_fix_still_wait_on_the_command_rooms_triage_clock(world):
    not_fixable = report(world, "ZF0103")  # 私搭乱建
    assert not_fixable.deadline == hours_clock(not_fixable.reported_at, 2).deadline
    by_phone = report(world, "ZF0101", actor=world.oscar, source=Source.PHONE)
    assert by_phone.level == Level.TOWNSHIP
    assert by_phone.deadline == hours_clock(by_phone.reported_at, 2).deadline


def test_the_timer_warns_the_grid_worker_then_escalates_to_the_village_when_the_limit_runs_out(
    world, django_capture_on_commit_callbacks
):
    committee = cast_of(world).village_committee  # Bob's unit
    event = report(world, "ZF0101")
    assert event.warn_at is not None and event.deadline is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert timers_tick(now=event.warn_at - SECOND).acted == 0
        assert timers_tick(now=event.warn_at).warned == 1
    assert fresh(event).warned
    assert Notification.objects.filter(recipient=world.alice, verb="warn", event_id=event.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = timers_tick(now=event.deadline + SECOND)
    assert result.escalated == 1
    event = fresh(event)
    assert (event.status, event.level, event.holder_unit_id) == (
        Status.DISPATCHED,
        Level.VILLAGE,
        committee.pk,
    )
    assignment = Assignment.objects.get(event=event)
    assert (assignment.unit_id, assignment.status, assignment.dispatched_by_id) == (
        committee.pk,
        AssignmentStatus.DISPATCHED,
        None,
    )
    row = Transition.objects.filter(event=event).order_by("seq").last()
    assert row is not None and (row.action, row.actor_id, row.from_status) == ("escalate", None, "reported")
    assert (row.level, row.data["lead"]) == (Level.VILLAGE, committee.pk)
    assert Notification.objects.filter(recipient=world.bob, verb="dispatch", event_id=event.pk).exists()


def test_without_a_village_committee_the_timeout_goes_to_the_township_command_room(world):
    event = report(world, "ZF0101")
    assert event.deadline is not None
    assert timers_tick(now=event.deadline + SECOND).escalated == 1
    event = fresh(event)
    assert (event.status, event.level, event.holder_unit_id) == (
        Status.REGISTERED,
        Level.TOWNSHIP,
        world.command_room.pk,
    )


def test_fixed_on_the_spot_in_time_the_timer_has_nothing_to_do(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = report(world, "ZF0101")
    deadline = event.deadline
    assert deadline is not None
    s.event_self_handle(actor=world.alice, event=event, note="已清理", files=[png()])
    assert timers_tick(now=deadline + SECOND).acted == 0
    assert fresh(event).status == Status.SELF_HANDLED


def test_registered_by_the_command_room_the_event_leaves_the_grid_clock_for_triage(world):
    event = report(world, "ZF0101")
    s.event_register(actor=world.oscar, event=event)
    event = fresh(event)
    assert event.deadline is not None and event.stage_started_at is not None
    assert event.deadline == hours_clock(event.stage_started_at, 2).deadline
