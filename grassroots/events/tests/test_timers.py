"""The timer worker: the yellow light, the red light, escalation on timeout, catch-up after downtime, and the
`run_timers` command around them. Time is passed in as `now=`; nothing sleeps."""

import datetime as dt
import logging
import os
import signal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from grassroots.events import services as s
from grassroots.events.choices import AssignmentStatus, Level, Source, Status, SupervisionKind
from grassroots.events.clock import hours_clock
from grassroots.events.management.commands import run_timers
from grassroots.events.models import Event, EventType, SupervisionOrder, Transition
from grassroots.events.services.timers import CLOCKED, timers_catch_up, timers_tick
from grassroots.notifications.models import Notification, OutboxEmail
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

SECOND = dt.timedelta(seconds=1)


def report(world, *, code: str = "ZF0103", title: str = "违章搭建") -> Event:
    result = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code=code),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
    )
    return result.event


def dispatched(world, *, code: str = "ZF0103", unit: Unit | None = None) -> Event:
    """An event registered by Oscar and dispatched to `unit` (the agency by default): level 3, clock running."""
    event = report(world, code=code)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=(unit or world.agency).pk)
    event.refresh_from_db()
    return event


def district_centre(world) -> Unit:
    return Unit.objects.create(
        code="330421-ZX",
        name="嘉善县社会治理综合指挥中心",
        kind=UnitKind.COMMAND_CENTRE,
        division=world.district,
    )


def actions(event: Event) -> list[str]:
    return list(Transition.objects.filter(event=event).order_by("seq").values_list("action", flat=True))


def deadline_of(event: Event) -> dt.datetime:
    assert event.deadline is not None, f"{event} has no clock running"
    return event.deadline


def warn_at_of(event: Event) -> dt.datetime:
    assert event.warn_at is not None, f"{event} has no clock running"
    return event.warn_at


def history_is_whole(event: Event) -> bool:
    event.refresh_from_db()
    rows = list(Transition.objects.filter(event=event).order_by("seq"))
    chained = all(b.from_status == a.to_status for a, b in pairwise(rows))
    return [r.seq for r in rows] == list(range(1, event.version + 1)) and chained


@pytest.fixture
def mailable_dora(world):
    world.dora.email = "dora@example.com"
    world.dora.save()
    return world.dora


def test_a_warning_at_80_percent_notifies_the_holder_units_staff_once(
    world, mailable_dora, django_capture_on_commit_callbacks
):
    event = dispatched(world)
    assert warn_at_of(event) < deadline_of(event)
    now = warn_at_of(event) + SECOND

    with django_capture_on_commit_callbacks(execute=True):
        first = timers_tick(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        again = timers_tick(now=now + dt.timedelta(minutes=30))

    assert (first.warned, again.warned) == (1, 0)
    event.refresh_from_db()
    assert event.warned and not event.overdue and event.status == Status.DISPATCHED
    assert actions(event)[-1] == "warn"
    warnings = Notification.objects.filter(verb="warn", event=event)
    assert [n.recipient_id for n in warnings] == [world.dora.pk]
    assert OutboxEmail.objects.filter(to="dora@example.com", subject__contains="即将到期").count() == 1


def test_a_warning_and_an_escalation_keep_their_notices_when_the_worker_dies_right_after_the_commit(
    world, mailable_dora
):
    # Found by bench/fault_test.py: notices written after the commit were lost when the database restarted (or the
    # worker died) in between. Here nothing deferred to "after the commit" ever runs (the test's transaction never
    # commits), as if the worker had died at that moment: the notices must already be there.
    officer = Person.objects.create_user(
        username="zoe",
        password="Secret@2026",
        name="周敏",
        role=Role.CENTRE_OPERATOR,
        unit=district_centre(world),
    )
    warned, escalated = dispatched(world), dispatched(world)
    Event.objects.filter(pk=escalated.pk).update(deadline=warn_at_of(warned))

    timers_tick(now=warn_at_of(warned) + SECOND)

    assert [a for a in actions(warned) if a in {"warn", "escalate"}] == ["warn"]
    assert "escalate" in actions(escalated)
    assert Notification.objects.filter(verb="warn", event=warned, recipient=world.dora).count() == 1
    assert OutboxEmail.objects.filter(to="dora@example.com", subject__contains="即将到期").count() == 1
    assert Notification.objects.filter(verb="escalate", event=escalated, recipient=officer).count() == 1


def test_nothing_is_warned_before_the_80_percent_point(world):
    event = dispatched(world)

    result = timers_tick(now=warn_at_of(event) - SECOND)

    assert result.acted == 0
    assert actions(event)[-1] == "dispatch"


def test_an_overdue_event_is_flagged_recorded_and_urged_once(world, django_capture_on_commit_callbacks):
    EventType.objects.filter(code="ZF0103").update(escalate_on_timeout=False)
    event = dispatched(world)
    now = deadline_of(event) + SECOND

    with django_capture_on_commit_callbacks(execute=True):
        first = timers_tick(now=now)
    second = timers_tick(now=now + dt.timedelta(days=3))

    assert (first.overdue, first.escalated, second.acted) == (1, 0, 0)
    event.refresh_from_db()
    assert event.overdue and event.status == Status.DISPATCHED and event.level == Level.TOWNSHIP
    overdue_row = Transition.objects.get(event=event, action="overdue")
    assert (overdue_row.from_status, overdue_row.to_status, overdue_row.at) == (
        "dispatched",
        "dispatched",
        now,
    )
    order = SupervisionOrder.objects.get(event=event)
    assert order.kind == SupervisionKind.URGE and order.reason == "overdue"
    assert order.issued_by is None and order.unit_id == world.agency.pk and order.resolved_at is None
    assert actions(event)[-2:] == ["overdue", "supervise"]
    assert Notification.objects.filter(verb="supervise", recipient=world.dora, event=event).count() == 1
    assert history_is_whole(event)


def test_an_overdue_event_in_hand_escalates_exactly_one_level_to_the_district_centre(
    world, django_capture_on_commit_callbacks
):
    centre = district_centre(world)
    officer = Person.objects.create_user(
        username="zoe", password="Secret@2026", name="周敏", role=Role.CENTRE_OPERATOR, unit=centre
    )
    event = dispatched(world)
    now = deadline_of(event) + SECOND

    with django_capture_on_commit_callbacks(execute=True):
        first = timers_tick(now=now)
    second = timers_tick(now=now)

    assert (first.escalated, first.overdue, second.acted) == (1, 0, 0)
    event.refresh_from_db()
    assert (event.level, event.status, event.holder_unit_id) == (Level.DISTRICT, Status.REGISTERED, centre.pk)
    assert event.escalation_count == 1 and not event.overdue
    escalations = Transition.objects.filter(event=event, action="escalate")
    assert [(t.data["from_level"], t.data["to_level"], t.at) for t in escalations] == [(3, 4, now)]
    # The district's triage clock starts at the moment the timeout was handled.
    assert event.deadline == hours_clock(now, 2).deadline
    assert set(event.assignments.values_list("status", flat=True)) == {AssignmentStatus.CANCELLED}
    assert Notification.objects.filter(verb="escalate", recipient=officer).count() == 1
    assert not SupervisionOrder.objects.filter(event=event).exists()
    assert history_is_whole(event)


def test_after_a_timeout_escalation_a_failed_check_sends_the_rework_to_the_new_unit_not_the_old_one(world):
    """Regression: the old lead's feedback survived the escalation in the same round, and the rework went to it."""
    centre = district_centre(world)
    zoe = Person.objects.create_user(
        username="zoe", password="Secret@2026", name="周敏", role=Role.CENTRE_OPERATOR, unit=centre
    )
    squad = Unit.objects.create(
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=world.township,
    )
    eddie = Person.objects.create_user(
        username="eddie", password="Secret@2026", name="艾迪", role=Role.DEPARTMENT_STAFF, unit=squad
    )
    event = report(world)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk, assist_unit_ids=[squad.pk])
    s.event_sign(actor=world.dora, event=event)
    s.event_sign(actor=eddie, event=event)
    s.event_feed_back(actor=world.dora, event=event, feedback="已拆除一半")  # the squad never feeds back
    timers_tick(now=deadline_of(event) + SECOND)  # times out: up to the district
    event.refresh_from_db()
    s.event_dispatch(actor=zoe, event=event, lead_unit_id=squad.pk)
    s.event_sign(actor=eddie, event=event)
    s.event_feed_back(actor=eddie, event=event, feedback="已全部拆除")

    s.event_check(actor=zoe, event=event, passed=False, note="现场仍有残留")

    event.refresh_from_db()
    active = list(event.assignments.filter(status=AssignmentStatus.DISPATCHED).values_list("unit_id", "role"))
    assert active == [(squad.pk, "lead")]
    assert event.holder_unit_id == squad.pk


def test_a_village_event_that_times_out_goes_up_to_the_township_command_room(world):
    village = Unit.objects.create(
        code="330421102201-CW", name="红菱村村委会", kind=UnitKind.VILLAGE_COMMITTEE, division=world.village_a
    )
    event = dispatched(world, unit=village)
    assert event.level == Level.VILLAGE

    result = timers_tick(now=deadline_of(event) + SECOND)

    event.refresh_from_db()
    assert result.escalated == 1
    assert (event.level, event.status, event.holder_unit_id) == (3, Status.REGISTERED, world.command_room.pk)


def test_a_district_event_cannot_escalate_further_and_is_flagged_overdue_instead(world):
    district_centre(world)
    event = dispatched(world)
    timers_tick(now=deadline_of(event) + SECOND)  # up to the district, waiting for its triage
    event.refresh_from_db()

    result = timers_tick(now=deadline_of(event) + SECOND)

    event.refresh_from_db()
    assert (result.escalated, result.overdue) == (0, 1)
    assert event.level == Level.DISTRICT and event.overdue
    assert actions(event).count("escalate") == 1
    # Not in a unit's hands (waiting for the centre's triage), so there is no one to urge.
    assert not SupervisionOrder.objects.filter(event=event).exists()


def test_a_type_with_emergency_limits_does_not_escalate_on_timeout(world):
    emergency = EventType.objects.filter(escalate_on_timeout=False, parent__isnull=False).first()
    assert emergency is not None, "the catalogue has emergency types that do not escalate on timeout"
    event = dispatched(world, code=emergency.code)

    result = timers_tick(now=deadline_of(event) + SECOND)

    assert (result.escalated, result.overdue) == (0, 1)


def test_a_lost_race_is_skipped_and_changes_nothing(world):
    event = dispatched(world)
    stale = Event.objects.select_related("event_type").get(pk=event.pk)
    s.event_sign(actor=world.dora, event=event)  # a person acts between the timer's read and its step

    from grassroots.events.services.timers import _overdue

    with pytest.raises(Exception, match="已被他人处理"):
        _overdue(stale, deadline_of(stale) + SECOND)

    event.refresh_from_db()
    assert event.level == Level.TOWNSHIP and actions(event)[-1] == "sign"


def test_catch_up_after_downtime_processes_every_passed_deadline_in_one_run(world):
    district_centre(world)
    long_ago = timezone.now() - dt.timedelta(days=40)
    to_escalate = [dispatched(world) for _ in range(5)]
    to_warn = [dispatched(world) for _ in range(3)]
    waiting = [report(world, title=f"待立案 {i}") for i in range(2)]
    # The worker was down while these deadlines passed (the yellow light of `to_warn` too, not its red).
    Event.objects.filter(pk__in=[e.pk for e in to_escalate + waiting]).update(
        warn_at=long_ago - dt.timedelta(days=1), deadline=long_ago
    )
    Event.objects.filter(pk__in=[e.pk for e in to_warn]).update(warn_at=long_ago)
    before = Transition.objects.count()

    call_command("run_timers", "--once", "--batch", "2", verbosity=0)

    now = timezone.now()
    assert not Event.objects.filter(status__in=CLOCKED, deadline__lte=now, overdue=False).exists()
    assert not Event.objects.filter(status__in=CLOCKED, warn_at__lte=now, warned=False).exists()
    for event in to_escalate:
        assert actions(event).count("escalate") == 1
    for event in to_warn:
        assert actions(event)[-1] == "warn"
    for event in waiting:
        assert actions(event)[-1] == "overdue"
    assert Transition.objects.count() == before + 5 + 3 + 2
    assert all(history_is_whole(e) for e in to_escalate + to_warn + waiting)

    call_command("run_timers", "--once", verbosity=0)  # restarting right away finds nothing to do

    assert Transition.objects.count() == before + 10


def test_running_the_tick_twice_does_nothing_the_second_time(world):
    district_centre(world)
    events = [dispatched(world) for _ in range(3)]
    now = max(deadline_of(e) for e in events) + SECOND
    first = timers_catch_up(now=now)
    count = Transition.objects.count()

    second = timers_catch_up(now=now)

    assert first.escalated == 3
    assert (second.acted, second.skipped, second.failed) == (0, 0, 0)
    assert Transition.objects.count() == count


def test_one_broken_event_is_logged_and_does_not_stall_the_others(world, monkeypatch, caplog):
    district_centre(world)
    events = [dispatched(world) for _ in range(3)]
    broken = events[1].pk
    from grassroots.events.services import timers

    real = timers.escalate_up

    def escalate_up(event, **kwargs):
        if event.pk == broken:
            raise TypeError("a bug")
        return real(event, **kwargs)

    monkeypatch.setattr(timers, "escalate_up", escalate_up)
    now = max(deadline_of(e) for e in events) + SECOND

    result = timers_catch_up(now=now)

    # The broken one is retried by the ticks that follow, a bounded number of times.
    assert (result.escalated, result.failed) == (2, 1 + timers.MAX_IDLE_TICKS)
    assert "timer failed on event" in caplog.text
    assert [actions(e).count("escalate") for e in events] == [1, 0, 1]


def test_the_command_logs_one_chinese_line_per_tick_that_did_something(world, caplog):
    event = dispatched(world)
    Event.objects.filter(pk=event.pk).update(warn_at=timezone.now() - SECOND)
    caplog.set_level(logging.INFO, logger="grassroots.timers")

    call_command("run_timers", "--once")
    call_command("run_timers", "--once")

    lines = [r.getMessage() for r in caplog.records if r.name == "grassroots.timers"]
    assert len(lines) == 1
    assert lines[0].startswith("定时任务：预警 1，超期 0，升级 0")


def test_a_database_error_in_one_tick_is_logged_and_the_loop_goes_on_until_sigterm(
    world, monkeypatch, caplog
):
    event = dispatched(world)
    Event.objects.filter(pk=event.pk).update(warn_at=timezone.now() - SECOND)
    ticks = []
    real = run_timers.timers_catch_up

    def catch_up(**kwargs):
        ticks.append(1)
        if len(ticks) == 1:
            raise OperationalError("database is locked")
        if len(ticks) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-tick: the tick still finishes
        return real(**kwargs)

    monkeypatch.setattr(run_timers, "timers_catch_up", catch_up)
    caplog.set_level(logging.INFO, logger="grassroots.timers")
    handler_before = signal.getsignal(signal.SIGTERM)

    call_command("run_timers", "--interval", "0.01")  # returns: exit status 0

    assert len(ticks) == 2
    assert "database is locked" in caplog.text and "下一轮重试" in caplog.text
    assert "收到停止信号" in caplog.text and "定时任务已停止" in caplog.text
    assert actions(event)[-1] == "warn"  # the second tick did its work before stopping
    assert signal.getsignal(signal.SIGTERM) == handler_before


def test_a_failing_job_does_not_stop_the_others(world, monkeypatch):
    OutboxEmail.objects.create(to="a@example.com", subject="s", body="b", next_attempt_at=timezone.now())

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(run_timers, "timers_catch_up", broken)

    summary = run_timers.run_tick()

    assert summary.errors == ["时限"] and summary.sent == 1
    assert "出错：时限" in str(summary)


def test_once_exits_with_an_error_when_a_job_failed(world, monkeypatch):
    from django.core.management.base import CommandError

    def broken(**kwargs):
        raise OperationalError("no such table")

    monkeypatch.setattr(run_timers, "audit_seal", broken)

    with pytest.raises(CommandError, match="本轮定时任务失败"):
        call_command("run_timers", "--once", verbosity=0)
