"""The timer worker's due-set selection at province scale: 1,000,000 running clocks (issue #20: < 100 ms).

    .venv/bin/python bench/bench_timer_scan.py [--db sqlite|postgres] [--clocks 1000000] [--due-now 3000]
        [--events 0] [--runs 20] [--reuse NOW]

A before/after of an index on PostgreSQL: build with the old migrations, apply the new one to
`grassroots_bench_timers` (`DATABASE_URL=… manage.py migrate`), then `--reuse NOW` measures the same rows again
(a SQLite file: `DATABASE_URL=sqlite:///<file> … --reuse NOW`; the file stays in its temporary directory).

Builds a fresh database (PostgreSQL `grassroots_bench_timers`, or a SQLite file in a temporary directory) with
`--clocks` running workflow clocks (grassroots/workflow/models.py Clock) whose due times are spread over the next
year: `--due-now` of them due in the last ten minutes and not yet flagged, as many past their warning time and not
yet warned, a backlog of 5% already flagged overdue (still running), and the rest ahead, warned if their warning
time has passed. Rows are copies of one clock made through the ORM (COPY on PostgreSQL, executemany on SQLite).
`--events N` does the same for the event loop's own stage timers (grassroots/events Event: warn_at, deadline).

Then times the querysets the workers run, taken from the code itself (`clocks_due`, `clocks_to_warn` in
grassroots/workflow/timers.py; `events_due`, `events_to_warn` in grassroots/events/services/timers.py), each
evaluated (rows fetched) `--runs` times with the worker's batch of 500, and prints p50 and max with the plan
(EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) so one sees the index used.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import prepare

TARGET_MS = 100.0
PG_DB = "grassroots_bench_timers"
BATCH = 500
YEAR = 365 * 86400


def clone(model: Any, template_pk: int, n: int, vary: Callable[[int], dict[str, Any]]) -> None:
    """Insert `n` copies of one row of `model`, each with the columns `vary(i)` returns changed."""
    from django.db import connection, transaction

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [template_pk])
        names = [c[0] for c in cursor.description if c[0] != "id"]
        template = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
    columns = ", ".join(names)
    chunk = 50_000
    for start in range(0, n, chunk):
        rows = []
        for i in range(start, min(n, start + chunk)):
            row = {**template, **vary(i)}
            rows.append([row[name] for name in names])
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:  # as Django writes them: naive UTC text
                adapt = connection.ops.adapt_datetimefield_value
                rows = [[adapt(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows]
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def times(now: dt.datetime, budget: int, i: int, due_now: int, rng: random.Random) -> dict[str, Any]:
    """warn_at, due_at and the flags of the i-th clock: see the module's docstring for the mix."""
    if i < due_now:  # due in the last ten minutes, not yet flagged
        due = now - dt.timedelta(seconds=rng.uniform(0, 600))
        return {"due": due, "warn": due - dt.timedelta(seconds=budget // 5), "warned": True, "overdue": False}
    if i < 2 * due_now:  # past the warning time in the last ten minutes, not yet warned
        warn = now - dt.timedelta(seconds=rng.uniform(0, 600))
        return {
            "due": warn + dt.timedelta(seconds=budget // 5),
            "warn": warn,
            "warned": False,
            "overdue": False,
        }
    if rng.random() < 0.05:  # the overdue backlog: flagged, still running
        due = now - dt.timedelta(seconds=rng.uniform(600, YEAR / 4))
        return {"due": due, "warn": due - dt.timedelta(seconds=budget // 5), "warned": True, "overdue": True}
    due = now + dt.timedelta(seconds=rng.uniform(600, YEAR))
    warn = due - dt.timedelta(seconds=budget // 5)
    return {"due": due, "warn": warn, "warned": warn <= now, "overdue": False}


def build_clocks(now: dt.datetime, n: int, due_now: int) -> None:
    from grassroots.workflow.models import Clock

    rng = random.Random(2026)
    template = Clock.objects.create(
        workflow="event", object_id=0, name="handling", unit="natural_days", statutory_seconds=86400,
        budget_seconds=86400, running_since=now, started_at=now, state="running",
    )  # fmt: skip

    def vary(i: int) -> dict[str, Any]:
        budget = rng.randrange(1, 31) * 86400
        t = times(now, budget, i, due_now, rng)
        workflow = ("event", "case", "dispute", "petition")[i % 4]
        return {
            "workflow": workflow, "object_id": i + 1, "statutory_seconds": budget, "budget_seconds": budget,
            "started_at": t["due"] - dt.timedelta(seconds=budget), "running_since": t["due"] - dt.timedelta(seconds=budget),
            "warn_at": t["warn"], "due_at": t["due"], "warned": t["warned"], "overdue": t["overdue"],
        }  # fmt: skip

    clone(Clock, template.pk, n, vary)


def build_events(now: dt.datetime, n: int, due_now: int) -> None:
    from grassroots.events.models import Event, EventType
    from grassroots.events.services.timers import CLOCKED

    rng = random.Random(2027)
    kind = EventType.objects.order_by("pk").first()
    assert kind is not None, "the catalogue is loaded by the events migrations"
    template = Event.objects.create(
        source="patrol", event_type=kind, platform=kind.platform, title="压测", region_code="330000",
        reported_at=now,
    )  # fmt: skip

    def vary(i: int) -> dict[str, Any]:
        budget = rng.randrange(1, 16) * 86400
        t = times(now, budget, i, due_now, rng)
        return {
            "status": CLOCKED[i % len(CLOCKED)], "reported_at": t["due"] - dt.timedelta(seconds=budget),
            "stage_started_at": t["due"] - dt.timedelta(seconds=budget), "warn_at": t["warn"],
            "deadline": t["due"], "warned": t["warned"], "overdue": t["overdue"],
        }  # fmt: skip

    clone(Event, template.pk, n, vary)


def plan(qs: Any, vendor: str) -> str:
    if vendor == "postgresql":
        return qs.explain(analyze=True, buffers=True)
    return qs.explain()


def measure(label: str, make: Callable[[], Any], runs: int, vendor: str) -> None:
    counts, samples = set(), []
    for _ in range(runs):
        started = time.perf_counter()
        counts.add(len(list(make())))
        samples.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(samples)
    print(
        f"{label:<16} rows {sorted(counts)}  p50 {p50:7.2f} ms  max {max(samples):7.2f} ms  "
        f"ratio p50 to {TARGET_MS:.0f} ms {p50 / TARGET_MS:.3f}"
    )
    print("  " + plan(make(), vendor).replace("\n", "\n  "))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clocks", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--due-now", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--reuse",
        metavar="NOW",
        help="measure the database a run built, at its NOW (both printed by it): PostgreSQL's, or the one "
        "DATABASE_URL names (sqlite:///<file>)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-timers-"))
    if args.reuse:
        env = {**os.environ, "LOG_LEVEL": "ERROR", "GRASSROOTS_VAR_DIR": str(workdir)}
        env.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{PG_DB}")
    else:
        env, _ = prepare(args.db, workdir, pg_db=PG_DB)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from grassroots.events.services.timers import events_due, events_to_warn
    from grassroots.workflow.timers import clocks_due, clocks_to_warn

    vendor = connection.vendor
    if args.reuse:
        now = dt.datetime.fromisoformat(args.reuse)
        print(
            f"{vendor}: the database as built before, now {now.isoformat()}; batch {BATCH}, {args.runs} runs"
        )
    else:
        now = timezone.now()
        started = time.perf_counter()
        build_clocks(now, args.clocks, args.due_now)
        if args.events:
            build_events(now, args.events, args.due_now)
        print(
            f"{vendor}: {args.clocks:,} running clocks, {args.events:,} clocked events, {args.due_now:,} due now "
            f"and as many to warn; built in {time.perf_counter() - started:.0f} s; now {now.isoformat()}; "
            f"batch {BATCH}, {args.runs} runs; database {connection.settings_dict['NAME']}"
        )
    measure("clocks due", lambda: clocks_due(now=now, batch=BATCH), args.runs, vendor)
    measure("clocks to warn", lambda: clocks_to_warn(now=now, batch=BATCH), args.runs, vendor)
    if args.events or args.reuse:
        measure("events due", lambda: events_due(now=now, batch=BATCH), args.runs, vendor)
        measure("events to warn", lambda: events_to_warn(now=now, batch=BATCH), args.runs, vendor)


if __name__ == "__main__":
    main()
