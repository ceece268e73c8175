"""Assessment at scale: a district-year of events with full histories, bulk-inserted as the services would write
them, then the leader dashboard and the monthly report timed on SQLite and PostgreSQL against the floor: one
hand-written SQL aggregate over the same rows. Prints figures and ratios, asserts nothing.

    .venv/bin/python bench/bench_assessment.py [--db sqlite,postgres] [--events 400000] [--size 3]
                                               [--districts 1] [--rebuild] [--repeat 3]

The demo district (`build_demo_district`, size 3 ≈ 9 townships, ~600 grids) gets `--events` events reported
during 2025. Each event runs the loop like the services do (`grassroots/events/services`): report, on-site
verification for citizens' reports, register / void / merge / self-handle, dispatch to a village committee or a
township agency with the type's limit from the working calendar, sign, handle, extensions, returns, reworks,
joint handling, escalation to the district, feedback, check, callback with a rating, close, reopen, archive,
supervision of overdue work. Deadlines, due dates and each step's working seconds come from the same calendar;
`seq` equals the event's version. The data stop on 15 January 2026 (events still open then stay open).

`--districts N` (N > 1) adds N − 1 synthetic districts of the same size (copies of the demo geography under other
codes) for a province-scale sample; the dashboard is then timed for one district and for the whole sample.

The data come from assessment_world.py (the districts), assessment_histories.py (the events) and
assessment_inserter.py (the bulk insert); the floors from assessment_floor.py.

Databases are kept between runs (var/bench/…sqlite3 and the PostgreSQL database grassroots_bench_assessment);
`--rebuild` regenerates them.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from assessment_floor import floor_sql, same_figures_sql
from assessment_histories import YEAR, Generator
from assessment_inserter import Inserter
from assessment_world import World, clone_districts

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "grassroots_bench_assessment"


# -- orchestration ---------------------------------------------------------------------------------------------


def database_url(db: str, args: argparse.Namespace) -> str:
    if db == "postgres":
        return f"postgres://postgres@127.0.0.1:5432/{pg_name(args)}"
    path = ROOT / "var" / "bench" / f"assessment-{args.size}-{args.events}-{args.districts}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def pg_name(args: argparse.Namespace) -> str:
    return PG_DB if args.districts == 1 else f"{PG_DB}_{args.districts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--events", type=int, default=400_000, help="events per district")
    parser.add_argument("--size", type=int, default=3, help="demo district size (3 townships per unit)")
    parser.add_argument("--districts", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", default="")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args)
        return
    for db in args.db.split(","):
        env = {**os.environ, "DATABASE_URL": database_url(db, args), "FAST_PASSWORD_HASHER": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        name = pg_name(args)
        if db == "postgres" and args.rebuild:
            _psql(f"DROP DATABASE IF EXISTS {name}")
        if db == "postgres":
            exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True).strip()
            if not exists:
                _psql(f"CREATE DATABASE {name}")
        if db == "sqlite" and args.rebuild:
            Path(database_url(db, args)[len("sqlite:///") :]).unlink(missing_ok=True)
        cmd = [PY, __file__, "--worker", db, "--events", str(args.events), "--size", str(args.size)]
        cmd += ["--districts", str(args.districts), "--repeat", str(args.repeat)]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def _psql(sql: str, capture: bool = False) -> str:
    out = subprocess.run(
        ["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return out.stdout


def worker(db: str, args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    from grassroots.events.models import Event

    wanted = args.events * args.districts
    have = Event.objects.count()
    if have and abs(have - wanted) > wanted * 0.05:
        print(f"[{db}] {have} events present, {wanted} wanted: use --rebuild")
        return
    if not have:
        build(db, args)
        print(f"[{db}] built in {time.perf_counter() - started:.0f} s")
    measure(db, args)


# -- the data --------------------------------------------------------------------------------------------------


def build(db: str, args: argparse.Namespace) -> None:
    from django.db import connection

    from grassroots.demo.district import build_demo_district, demo_district_exists

    if not demo_district_exists():
        build_demo_district(seed=2026, size=args.size)
    districts = ["330421"]
    if args.districts > 1:
        districts += clone_districts(args.districts - 1)
    world = World.load(districts)
    inserter = Inserter(connection)
    rng = random.Random(2025)
    t0 = time.perf_counter()
    total = 0
    for district in districts:
        gen = Generator(rng, world.part(district), first_event_id=total + 1)
        for chunk in gen.chunks(args.events, 20_000):
            inserter.insert(chunk)
            total += len(chunk["events"])
            print(f"[{db}] {total} events ({time.perf_counter() - t0:.0f} s)", flush=True)
    inserter.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# -- measuring -----------------------------------------------------------------------------------------------------


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(db: str, args: argparse.Namespace) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.assessment import figures as fig
    from grassroots.assessment.analysis import report_data
    from grassroots.assessment.periods import period_parse
    from grassroots.assessment.selectors import dashboard
    from grassroots.events.models import Assignment, Event, Transition
    from grassroots.people.models import Person

    viewer = Person.objects.get(username="centre")
    if args.districts > 1:
        viewer = Person.objects.filter(is_superuser=True).first() or viewer
    events = Event.objects.count()
    print(
        f"\n[{db}] {connection.vendor} {events} events, {Transition.objects.count()} transitions, "
        f"{Assignment.objects.count()} assignments"
    )
    year, month = period_parse(str(YEAR)), period_parse(f"{YEAR}-06")
    areas = [fig.Area("330421", "嘉善县")]
    if args.districts > 1:
        areas.append(fig.Area("", "全部"))
    for area in areas:
        label = area.name
        floor_area = area.code or "33"
        floor_year, _ = timed(
            lambda a=floor_area: floor_sql(connection, a, year.start, year.end), args.repeat
        )
        floor_month, _ = timed(
            lambda a=floor_area: floor_sql(connection, a, month.start, month.end), args.repeat
        )
        same_year, _ = timed(
            lambda a=floor_area: same_figures_sql(connection, a, year.start, year.end), args.repeat
        )
        with CaptureQueriesContext(connection) as queries:
            dash_year, data = timed(lambda a=area: dashboard(viewer=viewer, period=year, area=a), args.repeat)
        n_queries = len(queries.captured_queries) // args.repeat
        dash_month, _ = timed(lambda a=area: dashboard(viewer=viewer, period=month, area=a), args.repeat)
        report_month, _ = timed(lambda a=area: report_data(viewer=viewer, period=month, area=a), args.repeat)
        print(
            f"  {label}: reported {data.totals['reported']}, on-time completion {data.rate('on_time_completion')}, "
            f"platform split "
            + ", ".join(
                f"{name} {fig.Rate(n, sum(x for _, _, x in data.platforms))}" for _, name, n in data.platforms
            )
        )
        print(
            f"  floor (one SQL aggregate by township): year {floor_year * 1000:.0f} ms, month {floor_month * 1000:.0f} ms"
        )
        print(
            f"  hand-written SQL of the dashboard's own figures (events + assignments joined), year: "
            f"{same_year * 1000:.0f} ms"
        )
        print(
            f"  dashboard, year:    {dash_year * 1000:7.0f} ms  ({dash_year / floor_year:4.1f}× floor, "
            f"{dash_year / same_year:4.1f}× the hand-written figures, {n_queries} queries)"
        )
        print(f"  dashboard, month:   {dash_month * 1000:7.0f} ms  ({dash_month / floor_month:4.1f}× floor)")
        print(
            f"  monthly report:     {report_month * 1000:7.0f} ms  ({report_month / floor_month:4.1f}× floor)"
        )
    # The page itself, over HTTP through the test client (templates and all).
    client = Client()
    client.force_login(viewer)
    reset_queries()
    page, response = timed(
        lambda: client.get(f"/assessment/dashboard/?period={YEAR}&area=330421"), args.repeat
    )
    print(f"  dashboard page (HTTP, year): {page * 1000:.0f} ms, status {response.status_code}")


if __name__ == "__main__":
    main()
