"""Province scale: one district-year generated with full histories, then grown to 5 and 10 districts by cloning
it in SQL; after each growth `rollups rebuild` is timed, then the leader dashboard, the ranking, the monthly report
and the command queue page are timed for a district viewer and an all-district viewer. Prints figures, ratios and
the 100-district estimate; asserts nothing.

    .venv/bin/python bench/bench_scale.py [--sizes 1,5,10] [--events 400000] [--repeat 5] [--rebuild]
                                          [--db postgres|sqlite] [--copy-rollups] [--pg-db NAME]

The first district is the demo district (size 3) with `--events` events from assessment_histories.py, bulk-loaded
by assessment_inserter.py (COPY) with the rollup triggers off (`rollups rebuild` counts everything afterwards).
Districts 2…N are copies made by scale_clone.py: INSERT … SELECT of the geography, units, events, tasks, orders
and steps with id offsets and the codes and foreign keys mapped to the copied geography. One PostgreSQL database
(grassroots_bench_scale) is grown step by step and kept between runs; `--rebuild` starts it again. If
grassroots_bench_assessment (bench_assessment.py, one district) exists, it is copied instead of generated.
SQLite: one district only (var/bench/scale-1.sqlite3).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "grassroots_bench_scale"
PG_SOURCE = "grassroots_bench_assessment"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--sizes", default="1,5,10", help="district counts to measure at, growing")
    parser.add_argument("--events", type=int, default=400_000, help="events of the generated district")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--pg-db", default=PG_DB, help="the PostgreSQL database to grow")
    parser.add_argument(
        "--copy-rollups",
        action="store_true",
        help="copy the rollup rows with each district instead of `rollups rebuild` (checked on one copy)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.db == "sqlite" and max(sizes) > 1:
        parser.error("SQLite: one district only (--sizes 1)")
    os.environ["DATABASE_URL"] = prepare_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    build_first(args)
    if args.build_only:
        return
    import scale_measure

    scale_measure.run(sizes, repeat=args.repeat, copy_rollups=args.copy_rollups)


def prepare_database(args: argparse.Namespace) -> str:
    if args.db == "sqlite":
        path = ROOT / "var" / "bench" / "scale-1.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = args.pg_db
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if args.rebuild:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        if name not in names:
            if PG_SOURCE in names and args.events == 400_000:
                print(f"copying {PG_SOURCE} (bench_assessment.py's district) to {name}", flush=True)
                conn.execute(f"CREATE DATABASE {name} TEMPLATE {PG_SOURCE}")
            else:
                conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def build_first(args: argparse.Namespace) -> None:
    """The demo district and its generated year, unless present."""
    from assessment_histories import Generator
    from assessment_inserter import Inserter
    from assessment_world import World
    from django.db import connection

    from grassroots.demo.district import build_demo_district, demo_district_exists
    from grassroots.events.models import Event

    have = Event.objects.count()
    if have:
        print(f"{have} events present", flush=True)
        return
    started = time.perf_counter()
    if not demo_district_exists():
        build_demo_district(seed=2026, size=3)
    gen = Generator(random.Random(2025), World.load(["330421"]).part("330421"), first_event_id=1)
    inserter = Inserter(connection)
    total = 0
    with triggers_off():
        for chunk in gen.chunks(args.events, 20_000):
            inserter.insert(chunk)
            total += len(chunk["events"])
            print(f"  {total} events ({time.perf_counter() - started:.0f} s)", flush=True)
    inserter.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"one district generated: {total} events in {time.perf_counter() - started:.0f} s", flush=True)


class triggers_off:
    """Bulk loading without the rollup triggers (and, on PostgreSQL, without per-row foreign-key checks): the
    rollups are rebuilt from the rows afterwards. PostgreSQL: session_replication_role = replica."""

    def __enter__(self) -> None:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


if __name__ == "__main__":
    main()
