"""Two timer workers (OS processes) over thousands of due clocks of two workflows at once: every clock is warned
exactly once and made overdue exactly once, and each workflow's handler runs exactly once per clock and flag;
also when one scan finds clocks at both stages (a clock overdue before it was warned is not warned as well).

The handlers write an audit row each (as the engine's will write history and audit), so a handler that ran twice,
or ran for a flag its worker did not commit, shows as a row too many or too few. These tests commit for real.
"""

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.events.tests import workers
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.models import Clock
from grassroots.workflow.timers import ClockHandler, clocks_catch_up, register_clock_handlers

WORKFLOWS = ("probe_service", "probe_dispute")
MODULE = "grassroots.workflow.tests.test_timers_concurrency"
STARTED = dt.datetime(2026, 10, 12, 9, tzinfo=SHANGHAI)
BUDGET = 10 * 86_400
WARN_SCAN = STARTED + dt.timedelta(days=9)  # every clock past 80%, none due
DUE_SCAN = STARTED + dt.timedelta(days=12)  # every clock past due
BARRIER_TIMEOUT = 120.0  # seconds a worker waits for the other to have set Django up


def seed_clocks(count: int) -> int:
    """`count` running natural-day clocks, alternating between the two workflows, with distinct due times."""
    clocks = [
        Clock(
            workflow=WORKFLOWS[i % 2],
            object_id=i,
            name="handling",
            unit=LimitUnit.NATURAL_DAYS,
            statutory_seconds=BUDGET,
            budget_seconds=BUDGET,
            running_since=STARTED,
            started_at=STARTED,
            warn_at=STARTED + dt.timedelta(seconds=BUDGET * 4 // 5 - i),
            due_at=STARTED + dt.timedelta(seconds=BUDGET - i),
            limit_source="并发测试",
        )
        for i in range(count)
    ]
    Clock.objects.bulk_create(clocks, batch_size=1000)
    return count


def _recorder(kind: str) -> ClockHandler:
    def record(clock: Clock, now: dt.datetime) -> None:
        audit_record(actor=None, action=f"clock.{kind}", object_type=clock.workflow, object_id=str(clock.pk))

    return record


def work(now: str, barrier: str, me: int) -> dict[str, int]:
    """One worker: register the workflows' handlers, wait until the other is ready too, scan until nothing is due.
    The start is a barrier of two files rather than a fixed delay: setting Django up takes longer on a loaded
    machine, and a worker that started late would find nothing left to race for."""
    for workflow in WORKFLOWS:
        register_clock_handlers(workflow, on_warn=_recorder("warn"), on_overdue=_recorder("overdue"))
    Path(barrier, f"ready-{me}").touch()
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while len(list(Path(barrier).glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    result = clocks_catch_up(now=dt.datetime.fromisoformat(now), batch=200)
    return {"warned": result.warned, "overdue": result.overdue, "failed": result.failed}


def race_report() -> dict[str, Any]:
    """What the workers left, as numbers that must all be as `assert_each_flagged_once` expects."""
    rows = AuditEntry.objects.filter(action__in=["clock.warn", "clock.overdue"])
    per_clock = rows.values("action", "object_id").annotate(n=Count("id"))
    workflow_of = dict(Clock.objects.values_list("pk", "workflow"))
    return {
        "clocks": Clock.objects.count(),
        "not_warned": Clock.objects.filter(warned=False).count(),
        "not_overdue": Clock.objects.filter(overdue=False).count(),
        "warn_rows": rows.filter(action="clock.warn").count(),
        "overdue_rows": rows.filter(action="clock.overdue").count(),
        "clocks_handled_twice": per_clock.filter(n__gt=1).count(),
        "rows_of_another_workflow": sum(
            1
            for pk, workflow in rows.values_list("object_id", "object_type")
            if workflow_of[int(pk)] != workflow
        ),
        "rows_per_workflow": dict(sorted(rows.values_list("object_type").annotate(n=Count("id")))),
    }


def assert_each_flagged_once(report: dict[str, Any], count: int) -> None:
    assert report == {
        "clocks": count,
        "not_warned": 0,
        "not_overdue": 0,
        "warn_rows": count,
        "overdue_rows": count,
        "clocks_handled_twice": 0,
        "rows_of_another_workflow": 0,
        "rows_per_workflow": {workflow: count for workflow in sorted(WORKFLOWS)},  # two flags per clock
    }


def run_two_workers(env: dict[str, str], now: dt.datetime) -> list[dict[str, int]]:
    barrier = tempfile.mkdtemp(prefix="clock-race-")

    def code(me: int) -> str:
        return f"from {MODULE} import work\nresult = work({now.isoformat()!r}, {barrier!r}, {me})"

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda me: workers.python_in(code(me), env=env), range(2)))


def race(env: dict[str, str], count: int) -> None:
    """The warn phase, then the due phase, each with two workers at once."""
    for now, key in ((WARN_SCAN, "warned"), (DUE_SCAN, "overdue")):
        results = run_two_workers(env, now)
        counts = [result[key] for result in results]
        assert sum(counts) == count, results
        assert all(counts), f"one worker did everything, the race was not exercised: {counts}"
        assert not any(result["failed"] for result in results), results


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL race; SQLite has its own below")
@pytest.mark.django_db(transaction=True)
def test_two_workers_over_3000_clocks_of_two_workflows_flag_and_handle_each_exactly_once():
    count = seed_clocks(3_000)
    env = workers.env_for(workers.database_url(connection.settings_dict))

    race(env, count)

    assert_each_flagged_once(race_report(), count)


@pytest.mark.slow
def test_two_workers_on_sqlite_flag_and_handle_each_clock_exactly_once(tmp_path):
    """SQLite: the same race between two processes on one database file (IMMEDIATE transactions, WAL)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant runs in the SQLite suite")
    count = 1_000
    env = workers.sqlite_file_database(tmp_path / "clocks.sqlite3")
    workers.python_in(f"from {MODULE} import seed_clocks\nresult = seed_clocks({count})", env=env)

    race(env, count)

    report = workers.python_in(f"from {MODULE} import race_report\nresult = race_report()", env=env)
    assert_each_flagged_once(report, count)


def stage_report() -> dict[str, Any]:
    """After a scan that found the older half of the clocks (object_id ≥ half) due and the newer half past 80%."""
    half = Clock.objects.count() // 2
    rows = AuditEntry.objects.filter(action__in=["clock.warn", "clock.overdue"])
    older = [str(pk) for pk in Clock.objects.filter(object_id__gte=half).values_list("pk", flat=True)]
    return {
        "older_warn_rows": rows.filter(action="clock.warn", object_id__in=older).count(),
        "older_overdue_rows": rows.filter(action="clock.overdue", object_id__in=older).count(),
        "newer_warn_rows": rows.filter(action="clock.warn").exclude(object_id__in=older).count(),
        "newer_overdue_rows": rows.filter(action="clock.overdue").exclude(object_id__in=older).count(),
        "older_flagged_overdue": Clock.objects.filter(object_id__gte=half, overdue=True, warned=True).count(),
        "newer_flagged_warned": Clock.objects.filter(object_id__lt=half, overdue=False, warned=True).count(),
    }


def mixed_race(env: dict[str, str], count: int, report: Callable[[], dict[str, Any]]) -> None:
    """One scan with two workers where half the clocks are due, never warned, and half only past 80%; then the
    due phase. The due half runs only its overdue handler, the other half its warn handler, each once."""
    half = count // 2
    results = run_two_workers(env, STARTED + dt.timedelta(seconds=BUDGET - half))
    assert sum(r["overdue"] for r in results) == half and sum(r["warned"] for r in results) == half, results
    assert all(r["overdue"] + r["warned"] for r in results), f"one worker did everything: {results}"
    assert report() == {
        "older_warn_rows": 0,
        "older_overdue_rows": half,
        "newer_warn_rows": half,
        "newer_overdue_rows": 0,
        "older_flagged_overdue": half,
        "newer_flagged_warned": half,
    }
    results = run_two_workers(env, DUE_SCAN)
    assert sum(r["overdue"] for r in results) == half and not any(r["warned"] for r in results), results


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL race; SQLite has its own below")
@pytest.mark.django_db(transaction=True)
def test_two_workers_over_clocks_at_both_stages_at_once_run_each_handler_once():
    count = seed_clocks(3_000)
    env = workers.env_for(workers.database_url(connection.settings_dict))

    mixed_race(env, count, stage_report)

    report = race_report()
    assert (report["warn_rows"], report["overdue_rows"], report["clocks_handled_twice"]) == (
        count // 2,
        count,
        0,
    )
    # Per workflow: half its clocks warned then overdue (two rows), half overdue at once (one row).
    assert report["rows_per_workflow"] == {w: count // 2 + count // 4 for w in sorted(WORKFLOWS)}
    assert (report["not_overdue"], report["rows_of_another_workflow"]) == (0, 0)


@pytest.mark.slow
def test_two_workers_on_sqlite_over_clocks_at_both_stages_run_each_handler_once(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant runs in the SQLite suite")
    count = 1_000
    env = workers.sqlite_file_database(tmp_path / "clocks.sqlite3")
    workers.python_in(f"from {MODULE} import seed_clocks\nresult = seed_clocks({count})", env=env)

    mixed_race(
        env,
        count,
        lambda: workers.python_in(f"from {MODULE} import stage_report\nresult = stage_report()", env=env),
    )

    report = workers.python_in(f"from {MODULE} import race_report\nresult = race_report()", env=env)
    assert (report["warn_rows"], report["overdue_rows"], report["clocks_handled_twice"]) == (
        count // 2,
        count,
        0,
    )
    assert report["rows_per_workflow"] == {w: count // 2 + count // 4 for w in sorted(WORKFLOWS)}
    assert (report["not_overdue"], report["rows_of_another_workflow"]) == (0, 0)
