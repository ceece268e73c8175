"""The loop under real concurrency: two timer workers (OS processes) over thousands of overdue events, and two
people dispatching the same event at the same moment. Compare-and-set must let exactly one of them act.

These tests commit for real (`transaction=True`), so other processes and connections see the data.
"""

import datetime as dt
import queue
import re
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.test import Client
from django.utils import timezone

from grassroots.conftest import build_world, make_person
from grassroots.core.errors import Conflict
from grassroots.events import services as s
from grassroots.events.choices import (
    ACTIVE_ASSIGNMENT,
    AssignmentRole,
    Mode,
    Source,
    Status,
    SupervisionKind,
)
from grassroots.events.models import Assignment, Event, EventType, SupervisionOrder, Transition
from grassroots.notifications.models import Notification
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from . import workers

# Transactional tests empty the database afterwards; the autouse `_reference_data` fixture (conftest) puts the
# catalogue of types back. No serialized rollback: after another transactional test's flush it would reload
# content types that post_migrate has already recreated under new ids, and fail on their unique names.
committed = pytest.mark.django_db(transaction=True)
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's test database is in memory, out of reach of other processes, and its "
    "shared-cache mode answers concurrent writers with 'table is locked' instead of waiting",
)
L3_TITLE = "待升级"  # dispatched at level 3: must go up to the district, once
L4_TITLE = "区级超期"  # already at level 4: must be flagged overdue and urged, once


# -- a small world, built without pytest fixtures so that a worker process can build it too -----------------


def make_places() -> dict[str, Any]:
    """The personas' world (conftest), plus the district centre and its operator."""
    w = build_world()
    centre = Unit.objects.create(
        code="330421-ZX", name="嘉善县社会治理综合指挥中心", kind=UnitKind.COMMAND_CENTRE, division=w.district
    )
    return {
        "district": w.district,
        "township": w.township,
        "village": w.village_a,
        "grid": w.grid_a,
        "room": w.command_room,
        "agency": w.agency,
        "centre": centre,
        "alice": w.alice,
        "oscar": w.oscar,
        "dora": w.dora,
        "zoe": make_person("zoe", "周敏", Role.CENTRE_OPERATOR, unit=centre),
    }


def seed_overdue_events(count: int, *, at_district: int = 0) -> dict[str, int]:
    """`count` events dispatched at level 3 and `at_district` at level 4, all days past their deadline.

    Written in bulk but consistent with what the services write: three history rows (report, register,
    dispatch) and version 3, one lead assignment each, holder = the agency.
    """
    p = make_places()
    event_type = EventType.objects.get(code="ZF0103")
    now = timezone.now()
    reported = now - dt.timedelta(days=20)
    dispatched = reported + dt.timedelta(hours=2)
    levels = [3] * count + [4] * at_district
    warn_at = dispatched + dt.timedelta(days=4)
    # Distinct deadlines, so that both workers walk the same order.
    deadlines = [now - dt.timedelta(days=3, seconds=i) for i in range(len(levels))]
    events = [
        Event(
            number=f"ZF0103-20261101-{i:06d}",
            source=Source.PATROL,
            event_type=event_type,
            platform=event_type.platform,
            status=Status.DISPATCHED,
            level=level,
            mode=Mode.ASSIGNED,
            title=f"{L3_TITLE if level == 3 else L4_TITLE} {i}",
            lon=120.885,
            lat=30.945,
            grid=p["grid"],
            village=p["village"],
            township=p["township"],
            region_code=p["grid"].code,
            reporter=p["alice"],
            created_by=p["alice"],
            holder_unit=p["agency"],
            stage_started_at=dispatched,
            warn_at=warn_at,
            deadline=deadlines[i],
            warned=True,
            due_at=now - dt.timedelta(days=2),
            reported_at=reported,
            registered_at=reported + dt.timedelta(hours=1),
            dispatched_at=dispatched,
            last_step_at=dispatched,
            version=3,
        )
        for i, level in enumerate(levels)
    ]
    Event.objects.bulk_create(events, batch_size=2000)
    history = [("report", "", Status.REPORTED), ("register", Status.REPORTED, Status.REGISTERED)]
    history.append(("dispatch", Status.REGISTERED, Status.DISPATCHED))
    Transition.objects.bulk_create(
        [
            Transition(
                event=event,
                seq=seq,
                at=[reported, reported + dt.timedelta(hours=1), dispatched][seq - 1],
                actor=p["alice"] if seq == 1 else p["oscar"],
                action=action,
                from_status=from_status,
                to_status=to_status,
                level=event.level,
            )
            for event in events
            for seq, (action, from_status, to_status) in enumerate(history, start=1)
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                event=event,
                unit=p["agency"],
                role=AssignmentRole.LEAD,
                level=event.level,
                mode=Mode.ASSIGNED,
                dispatched_by=p["oscar"],
                dispatched_at=dispatched,
                warn_at=warn_at,
                deadline=deadline,
                warned=True,
            )
            for event, deadline in zip(events, deadlines, strict=True)
        ],
        batch_size=2000,
    )
    return {
        "escalate": count,
        "district": at_district,
        "centre_staff": p["zoe"].pk,
        "agency_staff": p["dora"].pk,
    }


def loop_report() -> dict[str, Any]:
    """What the workers left behind, as numbers that must all be as `assert_each_acted_once` expects."""
    l3 = Event.objects.filter(title__startswith=L3_TITLE)
    l4 = Event.objects.filter(title__startswith=L4_TITLE)
    escalate_rows = Transition.objects.filter(action="escalate", event__in=l3)
    history_gaps = (
        Event.objects.annotate(
            n=Count("transitions"), low=Min("transitions__seq"), top=Max("transitions__seq")
        )
        .exclude(n=F("version"), low=1, top=F("version"))
        .count()
    )
    broken_chains = 0
    previous: tuple[int, str] | None = None
    rows = Transition.objects.order_by("event_id", "seq").values_list("event_id", "from_status", "to_status")
    for event_id, from_status, to_status in rows.iterator(chunk_size=5000):
        if previous is not None and previous[0] == event_id and previous[1] != from_status:
            broken_chains += 1
        previous = (event_id, to_status)
    orders = SupervisionOrder.objects.values("event_id").annotate(n=Count("id"))
    return {
        "l3_events": l3.count(),
        "l3_not_escalated_exactly_once": l3.annotate(
            k=Count("transitions", filter=Q(transitions__action="escalate"))
        )
        .exclude(k=1)
        .count(),
        "l3_escalate_rows": escalate_rows.count(),
        "l3_escalate_rows_not_3_to_4": sum(
            1
            for data in escalate_rows.values_list("data", flat=True)
            if (data["from_level"], data["to_level"]) != (3, 4)
        ),
        "l3_not_at_district_once": l3.exclude(level=4, escalation_count=1, status=Status.REGISTERED).count(),
        "l3_not_held_by_centre": l3.exclude(holder_unit__kind=UnitKind.COMMAND_CENTRE).count(),
        "l3_active_assignments": Assignment.objects.filter(
            event__in=l3, status__in=ACTIVE_ASSIGNMENT
        ).count(),
        "l3_escalate_notifications": Notification.objects.filter(verb="escalate", event__in=l3).count(),
        "l3_supervision_orders": SupervisionOrder.objects.filter(event__in=l3).count(),
        "l4_events": l4.count(),
        "l4_not_overdue_once": l4.annotate(k=Count("transitions", filter=Q(transitions__action="overdue")))
        .exclude(k=1, overdue=True, level=4)
        .count(),
        "l4_urge_orders": SupervisionOrder.objects.filter(event__in=l4, kind=SupervisionKind.URGE).count(),
        "l4_supervise_notifications": Notification.objects.filter(verb="supervise", event__in=l4).count(),
        "events_with_duplicate_orders": orders.filter(n__gt=1).count(),
        "history_gaps": history_gaps,
        "broken_chains": broken_chains,
    }


def assert_each_acted_once(report: dict[str, Any], *, escalate: int, district: int) -> None:
    expected = {
        "l3_events": escalate,
        "l3_not_escalated_exactly_once": 0,
        "l3_escalate_rows": escalate,
        "l3_escalate_rows_not_3_to_4": 0,
        "l3_not_at_district_once": 0,
        "l3_not_held_by_centre": 0,
        "l3_active_assignments": 0,
        "l3_escalate_notifications": escalate,  # the centre's one officer, once per event
        "l3_supervision_orders": 0,
        "l4_events": district,
        "l4_not_overdue_once": 0,
        "l4_urge_orders": district,
        "l4_supervise_notifications": district,  # the agency's one officer, once per event
        "events_with_duplicate_orders": 0,
        "history_gaps": 0,
        "broken_chains": 0,
    }
    assert report == expected


def escalations_reported(output: str) -> int:
    """The escalations a worker counted, from its one-line summary."""
    return sum(int(n) for n in re.findall(r"升级 (\d+)", output))


def run_two_workers(env: dict[str, str]) -> list[tuple[int, str]]:
    both = [workers.start("run_timers", "--once", env=env) for _ in range(2)]
    return [workers.finish(p) for p in both]


# -- two timer workers -------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_postgresql
@committed
def test_two_timer_workers_over_10000_overdue_events_act_on_each_exactly_once():
    escalate, district = 10_000, 200
    seed_overdue_events(escalate, at_district=district)
    env = workers.env_for(workers.database_url(connection.settings_dict))

    results = run_two_workers(env)

    for code, output in results:
        assert code == 0, output
    # Each worker counts only what it committed: together exactly one escalation per event, and both took part.
    counts = [escalations_reported(output) for _, output in results]
    assert sum(counts) == escalate, counts
    assert all(counts), f"one worker did everything, the race was not exercised: {counts}"
    assert_each_acted_once(loop_report(), escalate=escalate, district=district)


@pytest.mark.slow
def test_two_timer_workers_on_sqlite_act_on_each_event_exactly_once(tmp_path):
    """SQLite: the same race between two processes on one database file (IMMEDIATE transactions, WAL)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant runs in the SQLite suite")
    escalate, district = 2_000, 200
    env = workers.sqlite_file_database(tmp_path / "race.sqlite3")
    module = "grassroots.events.tests.test_concurrency"
    workers.python_in(
        f"from {module} import seed_overdue_events\nresult = seed_overdue_events({escalate}, at_district={district})",
        env=env,
    )

    results = run_two_workers(env)

    for code, output in results:
        assert code == 0, output
    counts = [escalations_reported(output) for _, output in results]
    assert sum(counts) == escalate, counts
    assert all(counts), f"one worker did everything, the race was not exercised: {counts}"
    report = workers.python_in(f"from {module} import loop_report\nresult = loop_report()", env=env)
    assert_each_acted_once(report, escalate=escalate, district=district)


@committed
def test_a_worker_stops_cleanly_on_sigterm_and_sigint(tmp_path):
    if connection.vendor == "postgresql":
        env = workers.env_for(workers.database_url(connection.settings_dict))
    else:
        env = workers.sqlite_file_database(tmp_path / "signals.sqlite3")
    for sig in (signal.SIGTERM, signal.SIGINT):
        worker = workers.start("run_timers", "--interval", "0.2", env=env)
        lines = stderr_lines(worker)
        seen = read_until(lines, "定时任务已启动")

        worker.send_signal(sig)

        assert worker.wait(timeout=30) == 0
        seen += read_until(lines, None)
        assert "收到停止信号" in seen and "定时任务已停止" in seen


def read_until(lines: "queue.Queue[str | None]", marker: str | None) -> str:
    """Read lines until one contains `marker` (or, for None, until the process has closed its stderr)."""
    seen = ""
    while True:
        line = lines.get(timeout=30)
        if line is None:
            assert marker is None, f"the worker exited before saying {marker!r}:\n{seen}"
            return seen
        seen += line
        if marker is not None and marker in line:
            return seen


def stderr_lines(process: subprocess.Popen[str]) -> "queue.Queue[str | None]":
    """The lines a process writes to stderr, as they come; None after the last one."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


# -- two people, one event ---------------------------------------------------------------------------------


def contend(count: int, act: Callable[[int, Callable[[], None]], Any]) -> list[Any]:
    """Run `act(i, start)` in `count` threads, each with its own database connection; `start()` waits until
    every thread has called it, so all of them have read their data before any of them writes."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def start() -> None:
        barrier.wait(timeout=30)

    def run(i: int) -> None:
        try:
            results[i] = act(i, start)
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def registered_event(p: dict[str, Any], title: str) -> Event:
    event = s.event_report(
        actor=p["alice"],
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=p["oscar"], event=event)
    return event


def assert_dispatched_once(event_pk: int, results: list[Any]) -> None:
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict), repr(losers[0])
    assert (losers[0].status, losers[0].code) == (409, "stale_event")
    event = Event.objects.get(pk=event_pk)
    assert event.status == Status.DISPATCHED and event.version == 3
    assert Assignment.objects.filter(event=event).count() == 1
    assert Transition.objects.filter(event=event, action="dispatch").count() == 1
    seqs = list(Transition.objects.filter(event=event).order_by("seq").values_list("seq", flat=True))
    assert seqs == [1, 2, 3]


@needs_postgresql
@committed
def test_two_concurrent_dispatches_of_the_same_event_one_wins_and_the_other_gets_409():
    p = make_places()
    # A second agency: the two dispatchers disagree on the unit, and still only one dispatch may stand.
    other = Unit.objects.create(
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=p["township"],
    )
    oscar2 = Person.objects.create_user(
        username="olga", password="Secret@2026", name="欧阳", role=Role.DISPATCHER, unit=p["room"]
    )
    for round_no in range(10):  # a race can be won by luck once; ten in a row cannot
        event = registered_event(p, f"并发派遣 {round_no}")

        def dispatch(i: int, start: Callable[[], None], pk: int = event.pk) -> Event:
            mine = Event.objects.select_related("event_type").get(pk=pk)
            start()
            return s.event_dispatch(
                actor=[p["oscar"], oscar2][i],
                event=mine,
                lead_unit_id=[p["agency"], other][i].pk,
            )

        results = contend(2, dispatch)

        assert_dispatched_once(event.pk, results)


@needs_postgresql
@committed
def test_two_concurrent_dispatches_through_the_api_one_gets_409_stale_event():
    """Two dispatchers who both saw version 2 post at once: one 200, one 409 stale_event, one dispatch."""
    p = make_places()
    for round_no in range(5):
        event = registered_event(p, f"接口并发派遣 {round_no}")
        seen = Event.objects.get(pk=event.pk).version

        def post(i: int, start: Callable[[], None], pk: int = event.pk, version: int = seen) -> Any:
            client = Client()
            client.force_login(p["oscar"])
            start()
            return client.post(
                f"/api/v1/events/{pk}/dispatch",
                data={"lead_unit_id": p["agency"].pk, "mode": Mode.ASSIGNED},
                content_type="application/json",
                headers={"If-Match": f'"{version}"'},
            )

        responses = contend(2, post)

        assert sorted(r.status_code for r in responses) == [200, 409], [
            (r.status_code, r.content[:300]) for r in responses
        ]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json()["code"] == "stale_event"
        assert Assignment.objects.filter(event_id=event.pk).count() == 1
        assert Transition.objects.filter(event_id=event.pk, action="dispatch").count() == 1
